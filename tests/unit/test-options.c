/* Option parsing: defaults, values, and usage errors. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../src/options.h"
#include "../tap.h"

/* rate_is S WANT: S parses as a rate of WANT bytes per second. */
static void rate_is(const char *s, uint64_t want)
{
    uint64_t got = 12345;
    int rc = options_parse_rate(s, &got);
    char what[128];

    snprintf(what, sizeof what, "rate '%s' is %llu", s,
             (unsigned long long)want);
    if (!ok(rc == 0 && got == want, what)) {
        snprintf(what, sizeof what, "rc %d, got %llu", rc,
                 (unsigned long long)got);
        diag(what);
    }
}

static void rate_refused(const char *s)
{
    uint64_t got = 0;
    char what[128];

    snprintf(what, sizeof what, "rate '%s' refused", s);
    ok(options_parse_rate(s, &got) == -1, what);
}

/* Every option of the table (as --dump-options prints it) is known to
 * the parser, and each one that takes an argument wants it. */
static void table_drives_parser(void)
{
    char *buf = NULL, line[1024], err[256], what[512];
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    FILE *in;
    int n = 0, known = 0, wants = 0;

    options_dump(f);
    fclose(f);
    in = fmemopen(buf, len, "r");
    while (fgets(line, sizeof line, in)) {
        struct options o;
        char *name = strtok(line, "\t"), *shortopt = strtok(NULL, "\t");
        char *arg = strtok(NULL, "\t");
        char *argv[] = {"salvo", name, NULL};

        (void)shortopt;
        n++;
        err[0] = '\0';
        if (options_parse(2, argv, &o, err, sizeof err) == OPTIONS_USAGE &&
            strncmp(err, "unknown option", 14) == 0) {
            snprintf(what, sizeof what, "%s: %s", name, err);
            diag(what);
        } else
            known++;
        options_free(&o);
        if (strcmp(arg, "-") != 0) {
            if (options_parse(2, argv, &o, err, sizeof err) == OPTIONS_USAGE &&
                strstr(err, "needs an argument"))
                wants++;
            else {
                snprintf(what, sizeof what, "%s takes %s but does not want it",
                         name, arg);
                diag(what);
            }
            options_free(&o);
        } else {
            wants++;
        }
    }
    fclose(in);
    free(buf);
    snprintf(what, sizeof what, "the table has %d options", n);
    ok(n >= 20, what);
    ok(known == n, "the parser knows every one of them");
    ok(wants == n, "and wants an argument exactly where the table says");
}

static char last_err[512];

static enum options_result parse(struct options *o, int argc, char **argv)
{
    last_err[0] = '\0';
    return options_parse(argc, argv, o, last_err, sizeof last_err);
}

/* Writes text to a new temporary file; returns its name (static). */
static const char *config(const char *text)
{
    static char name[64];
    FILE *f;
    int fd;

    strcpy(name, "/tmp/salvo-test-config.XXXXXX");
    fd = mkstemp(name);
    if (fd < 0 || !(f = fdopen(fd, "w"))) {
        perror("mkstemp");
        exit(99);
    }
    fputs(text, f);
    fclose(f);
    return name;
}

/* config_bad TEXT LINE WHAT: a config file of TEXT is a usage error whose
 * message names the file and LINE. */
static void config_bad(const char *text, int line, const char *what)
{
    struct options o;
    char *a[] = {"salvo", "http://h/x", NULL};
    char want[128], name[64];

    snprintf(name, sizeof name, "%s", config(text));
    setenv("SALVO_CONFIG", name, 1);
    snprintf(want, sizeof want, "%s:%d: ", name, line);
    ok(parse(&o, 2, a) == OPTIONS_USAGE &&
           strncmp(last_err, want, strlen(want)) == 0,
       what);
    if (strncmp(last_err, want, strlen(want)) != 0)
        diag(last_err);
    options_free(&o);
    unlink(name);
    unsetenv("SALVO_CONFIG");
}

/* The config file, -i, -o, --proxy and --netrc. */
static void config_and_friends(void)
{
    struct options o;
    const char *name;
    char dir[64] = "/tmp/salvo-test-xdg.XXXXXX", path[128];

    name = config("# defaults for salvo\n"
                  "\n"
                  "retry = 5\n"
                  "  max-concurrent 16\t\r\n"
                  "json\n"
                  "--overwrite\n"
                  "header = X-A: 1\n"
                  "user-agent=from config\n"
                  "   # an indented comment\n");
    setenv("SALVO_CONFIG", name, 1);
    {
        char *a[] = {"salvo", "-j", "3", "-H", "X-B: 2", "http://h/x", NULL};
        ok(parse(&o, 6, a) == OPTIONS_OK, "a config file");
        ok(o.retries == 5 && o.json && o.overwrite &&
               strcmp(o.user_agent, "from config") == 0,
           "its values");
        ok(o.max_concurrent == 3, "the command line wins");
        ok(o.nheaders == 2 && strcmp(o.headers[0], "X-A: 1") == 0 &&
               strcmp(o.headers[1], "X-B: 2") == 0,
           "-H adds to the file's headers");
        ok(o.config_file && strcmp(o.config_file, name) == 0,
           "config_file names the file read");
        options_free(&o);
    }
    {
        char *a[] = {"salvo", "--no-config", "http://h/x", NULL};
        ok(parse(&o, 3, a) == OPTIONS_OK && o.retries == 3 && !o.config_file,
           "--no-config skips it");
        options_free(&o);
    }
    unlink(name);
    {
        char *a[] = {"salvo", "http://h/x", NULL};
        ok(parse(&o, 2, a) == OPTIONS_USAGE && strstr(last_err, name),
           "a missing $SALVO_CONFIG is a usage error");
        options_free(&o);
    }
    unsetenv("SALVO_CONFIG");

    config_bad("retry = 5\nbogus = 1\n", 2, "an unknown option, by line");
    config_bad("retry = many\n", 1, "a bad value");
    config_bad("\n#\nretry =\n", 3, "a missing value");
    config_bad("json = yes\n", 1, "a value for a flag");
    config_bad("= 5\n", 1, "no name");
    config_bad("help\n", 1, "help in a config file");
    config_bad("output = x\n", 1, "output in a config file");
    {
        char *a[] = {"salvo", "--help", NULL};
        setenv("SALVO_CONFIG", config("bogus\n"), 1);
        ok(parse(&o, 2, a) == OPTIONS_HELP,
           "--help works whatever the config file says");
        options_free(&o);
        unlink(getenv("SALVO_CONFIG"));
        unsetenv("SALVO_CONFIG");
    }

    /* $XDG_CONFIG_HOME/salvo/config, read only if it exists. */
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        exit(99);
    }
    setenv("XDG_CONFIG_HOME", dir, 1);
    {
        char *a[] = {"salvo", "http://h/x", NULL};
        FILE *f;

        ok(parse(&o, 2, a) == OPTIONS_OK && !o.config_file,
           "no config file: none read");
        options_free(&o);
        snprintf(path, sizeof path, "%s/salvo", dir);
        mkdir(path, 0700);
        snprintf(path, sizeof path, "%s/salvo/config", dir);
        f = fopen(path, "w");
        fputs("retry 7\n", f);
        fclose(f);
        ok(parse(&o, 2, a) == OPTIONS_OK && o.retries == 7 && o.config_file &&
               strcmp(o.config_file, path) == 0,
           "$XDG_CONFIG_HOME/salvo/config");
        options_free(&o);
        unlink(path);
        snprintf(path, sizeof path, "%s/salvo", dir);
        rmdir(path);
        rmdir(dir);
    }
    setenv("XDG_CONFIG_HOME", "/nonexistent/salvo-test", 1);

    {
        char *a[] = {"salvo",          "-i", "a.txt", "-i", "-",
                     "--input-file=c", NULL};
        ok(parse(&o, 6, a) == OPTIONS_OK && o.ninput_files == 3 &&
               strcmp(o.input_files[0], "a.txt") == 0 &&
               strcmp(o.input_files[1], "-") == 0 &&
               strcmp(o.input_files[2], "c") == 0 &&
               strcmp(o.input_file, "a.txt") == 0,
           "-i is repeatable, in order");
        options_free(&o);
    }
    {
        char *one[] = {"salvo", "-o", "x.bin", "http://h/x", NULL};
        char *two[] = {"salvo",      "-o",         "x.bin",
                       "http://h/x", "http://h/y", NULL};
        char *none[] = {"salvo", "--output=x.bin", NULL};
        char *list[] = {"salvo", "-o", "x", "-i", "l", "http://h/x", NULL};
        char *empty[] = {"salvo", "-o", "", "http://h/x", NULL};
        ok(parse(&o, 4, one) == OPTIONS_OK && strcmp(o.output, "x.bin") == 0,
           "-o with one URL");
        options_free(&o);
        ok(parse(&o, 5, two) == OPTIONS_USAGE, "-o with two URLs refused");
        options_free(&o);
        ok(parse(&o, 2, none) == OPTIONS_USAGE, "-o with no URL refused");
        options_free(&o);
        ok(parse(&o, 6, list) == OPTIONS_USAGE, "-o with -i refused");
        options_free(&o);
        ok(parse(&o, 4, empty) == OPTIONS_USAGE, "an empty -o refused");
        options_free(&o);
    }
    {
        char *p[] = {"salvo", "--proxy=http://127.0.0.1:3128", "--netrc",
                     "http://h/x", NULL};
        char *nf[] = {"salvo", "--netrc-file", "/nonexistent/netrc",
                      "http://h/x", NULL};
        char *d[] = {"salvo", "http://h/x", NULL};
        ok(parse(&o, 4, p) == OPTIONS_OK &&
               strcmp(o.proxy, "http://127.0.0.1:3128") == 0 && o.netrc &&
               !o.netrc_file,
           "--proxy and --netrc");
        options_free(&o);
        ok(parse(&o, 4, nf) == OPTIONS_USAGE &&
               strstr(last_err, "/nonexistent/netrc"),
           "an unreadable --netrc-file refused");
        options_free(&o);
        name = config("");
        nf[2] = (char *)name;
        ok(parse(&o, 4, nf) == OPTIONS_OK && o.netrc &&
               strcmp(o.netrc_file, name) == 0,
           "--netrc-file implies --netrc");
        options_free(&o);
        unlink(name);
        ok(parse(&o, 2, d) == OPTIONS_OK && !o.proxy && !o.netrc &&
               !o.output && o.ninput_files == 0 && !o.input_file,
           "their defaults");
        options_free(&o);
    }
}

/* --dirs-from-url, --no-host-dirs, --cut-dirs=N. */
static void dirs_options(void)
{
    struct options o;
    char *all[] = {"salvo",        "--dirs-from-url", "--no-host-dirs",
                   "--cut-dirs=3", "http://h/x",      NULL};
    char *alone[] = {"salvo", "--cut-dirs", "2", "http://h/x", NULL};
    char *none[] = {"salvo", "http://h/x", NULL};
    const char *bad[] = {"-1", "x", "", "1x", "1000001", "99999999999999999"};

    ok(parse(&o, 5, all) == OPTIONS_OK && o.dirs_from_url && o.no_host_dirs &&
           o.cut_dirs == 3,
       "--dirs-from-url --no-host-dirs --cut-dirs=3");
    options_free(&o);
    ok(parse(&o, 4, alone) == OPTIONS_OK && !o.dirs_from_url &&
           o.cut_dirs == 2,
       "--cut-dirs alone is taken (and ignored, as in wget)");
    options_free(&o);
    ok(parse(&o, 2, none) == OPTIONS_OK && !o.dirs_from_url &&
           !o.no_host_dirs && o.cut_dirs == 0,
       "their defaults: off, off, 0");
    options_free(&o);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char arg[64];
        char *a[] = {"salvo", arg, "http://h/x", NULL};
        snprintf(arg, sizeof arg, "--cut-dirs=%s", bad[i]);
        ok(parse(&o, 3, a) == OPTIONS_USAGE && strstr(last_err, "--cut-dirs"),
           arg);
        options_free(&o);
    }
    {
        const char *name = config("dirs-from-url\ncut-dirs = 1\n");
        char *a[] = {"salvo", "http://h/x", NULL};
        setenv("SALVO_CONFIG", name, 1);
        ok(parse(&o, 2, a) == OPTIONS_OK && o.dirs_from_url && o.cut_dirs == 1,
           "set in a config file");
        options_free(&o);
        unsetenv("SALVO_CONFIG");
        unlink(name);
    }
}

int main(void)
{
    /* No config file of the user's may change what is tested here. */
    unsetenv("SALVO_CONFIG");
    setenv("XDG_CONFIG_HOME", "/nonexistent/salvo-test", 1);

    struct options o;
    char *a1[] = {"salvo", "http://h/x", NULL};
    char *a2[] = {"salvo",      "-j", "16",     "-d", "out",
                  "--json",     "-H", "X-A: 1", "-H", "X-B: 2",
                  "http://h/x", "-q", NULL};
    char *a3[] = {"salvo", "-j", "0", NULL};
    char *a4[] = {"salvo", "-j", "1025", NULL};
    char *a5[] = {"salvo", "--max-concurrent=abc", NULL};
    char *a6[] = {"salvo", "--bogus", NULL};
    char *a7[] = {"salvo", "-d", NULL};
    char *a8[] = {"salvo", "-H", "no colon", NULL};
    char *a9[] = {"salvo", "--help", NULL};
    char *a10[] = {"salvo", "-V", NULL};
    char *a11[] = {"salvo", "-q", "-v", NULL};
    char *a12[] = {"salvo", "-j", "1024", "-j16", NULL};
    char *a13[] = {"salvo", "http://h/x", "-d", NULL};

    ok(parse(&o, 2, a1) == OPTIONS_OK, "a URL");
    ok(o.max_concurrent == 8 && strcmp(o.dir, ".") == 0 && o.nurls == 1 &&
           !o.json && !o.overwrite,
       "defaults");
    ok(strncmp(o.user_agent, "salvo/", 6) == 0, "default User-Agent");
    options_free(&o);
    ok(parse(&o, 12, a2) == OPTIONS_OK, "many options");
    ok(o.max_concurrent == 16 && strcmp(o.dir, "out") == 0 && o.json &&
           o.quiet && o.nheaders == 2 && o.nurls == 1,
       "their values (options after the URL too)");
    options_free(&o);
    ok(parse(&o, 3, a3) == OPTIONS_USAGE, "-j 0 refused");
    options_free(&o);
    ok(parse(&o, 3, a4) == OPTIONS_USAGE, "-j 1025 refused");
    options_free(&o);
    ok(parse(&o, 2, a5) == OPTIONS_USAGE, "-j abc refused");
    options_free(&o);
    ok(parse(&o, 2, a6) == OPTIONS_USAGE, "unknown option refused");
    options_free(&o);
    ok(parse(&o, 2, a7) == OPTIONS_USAGE, "missing argument refused");
    options_free(&o);
    ok(parse(&o, 3, a13) == OPTIONS_USAGE,
       "missing argument after the URL refused");
    options_free(&o);
    ok(parse(&o, 3, a8) == OPTIONS_USAGE, "header without colon refused");
    options_free(&o);
    ok(parse(&o, 2, a9) == OPTIONS_HELP, "--help");
    options_free(&o);
    ok(parse(&o, 2, a10) == OPTIONS_VERSION, "-V");
    options_free(&o);
    ok(parse(&o, 3, a11) == OPTIONS_USAGE, "-q with -v refused");
    options_free(&o);
    ok(parse(&o, 4, a12) == OPTIONS_OK && o.max_concurrent == 16,
       "the last -j wins");
    options_free(&o);
    {
        double v = -1;
        ok(options_parse_seconds("1.5", &v) == 0 && v == 1.5, "1.5 seconds");
        ok(options_parse_seconds("0", &v) == 0 && v == 0, "0 seconds");
        ok(options_parse_seconds(".25", &v) == 0 && v == 0.25, ".25 s");
        ok(options_parse_seconds("-1", &v) != 0, "negative refused");
        ok(options_parse_seconds("nan", &v) != 0, "nan refused");
        ok(options_parse_seconds("inf", &v) != 0, "inf refused");
        ok(options_parse_seconds("1e9", &v) != 0, "too many refused");
        ok(options_parse_seconds("5s", &v) != 0, "trailing junk refused");
        ok(options_parse_seconds("", &v) != 0, "empty refused");
    }
    {
        char *b[] = {"salvo",
                     "--retry=0",
                     "--retry-delay=0.5",
                     "-c",
                     "--timeout=2",
                     "--stall-timeout=3",
                     "--connect-timeout=4",
                     "--content-disposition",
                     "--cacert=ca.pem",
                     NULL};
        char *d[] = {"salvo", "--retry=101", NULL};
        char *e[] = {"salvo", "--timeout=soon", NULL};
        ok(parse(&o, 9, b) == OPTIONS_OK && o.retries == 0 &&
               o.retry_delay == 0.5 && o.resume && o.timeout == 2 &&
               o.stall_timeout == 3 && o.connect_timeout == 4 &&
               o.content_disposition && strcmp(o.cacert, "ca.pem") == 0,
           "retry, timeout, resume and TLS options and their values");
        options_free(&o);
        ok(parse(&o, 1, a1) == OPTIONS_OK && o.retries == 3 &&
               o.retry_delay == 1 && o.stall_timeout == 60 &&
               o.connect_timeout == 30 && o.timeout == 0 && !o.resume,
           "their defaults");
        options_free(&o);
        ok(parse(&o, 2, d) == OPTIONS_USAGE, "--retry=101 refused");
        options_free(&o);
        ok(parse(&o, 2, e) == OPTIONS_USAGE, "--timeout=soon refused");
        options_free(&o);
    }
    rate_is("0", 0);
    rate_is("100", 100);
    rate_is("500K", 512000);
    rate_is("500k", 512000);
    rate_is("500KiB", 512000);
    rate_is("500KB", 512000);
    rate_is("2M", 2097152);
    rate_is("2MiB", 2097152);
    rate_is("2mib", 2097152);
    rate_is("2MB/s", 2097152);
    rate_is("2MiB/s", 2097152);
    rate_is("1.5M", 1572864);
    rate_is("1G", 1073741824);
    rate_is("1GiB", 1073741824);
    rate_is("1024G", UINT64_C(1099511627776));
    rate_is("10B", 10);
    rate_refused("");
    rate_refused("K");
    rate_refused("-1");
    rate_refused("2X");
    rate_refused("2Mi");
    rate_refused("2iB");
    rate_refused("2 M");
    rate_refused("2MiBs");
    rate_refused("1025G");
    rate_refused("nan");
    {
        char *r[] = {"salvo", "--limit-rate=2MiB", NULL};
        char *z[] = {"salvo", "--limit-rate=0", NULL};
        char *x[] = {"salvo", "--limit-rate=2Mbit", NULL};
        ok(parse(&o, 2, r) == OPTIONS_OK && o.limit_rate == 2097152,
           "--limit-rate=2MiB");
        options_free(&o);
        ok(parse(&o, 2, z) == OPTIONS_OK && o.limit_rate == 0,
           "--limit-rate=0: no limit");
        options_free(&o);
        ok(parse(&o, 2, x) == OPTIONS_USAGE, "--limit-rate=2Mbit refused");
        options_free(&o);
    }
    {
        char *d[] = {"salvo", "--dump-options", NULL};
        ok(parse(&o, 2, d) == OPTIONS_DUMP, "--dump-options");
        options_free(&o);
    }
    table_drives_parser();
    config_and_friends();
    dirs_options();
    return done_testing();
}
