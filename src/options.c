#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include <curl/curl.h>

#include "options.h"

enum {
    OPT_OVERWRITE = 256,
    OPT_JSON,
    OPT_DRY_RUN,
    OPT_NO_PROGRESS,
    OPT_RETRY,
    OPT_RETRY_DELAY,
    OPT_CONNECT_TIMEOUT,
    OPT_STALL_TIMEOUT,
    OPT_TIMEOUT,
    OPT_CONTENT_DISPOSITION,
    OPT_CACERT,
    OPT_MAX_PER_HOST,
    OPT_LIMIT_RATE,
    OPT_CHECKSUMS,
    OPT_SHARD,
    OPT_COLOR,
    OPT_PROXY,
    OPT_NETRC,
    OPT_NETRC_FILE,
    OPT_NO_CONFIG,
    OPT_DUMP_OPTIONS,
    OPT_DIRS_FROM_URL,
    OPT_NO_HOST_DIRS,
    OPT_CUT_DIRS,
};

/* How a shell completion offers an option's argument. */
enum complete { COMPLETE_NONE, COMPLETE_FILE, COMPLETE_DIR, COMPLETE_WORDS };

/* One option: the only place its name, letter, argument, default and help
 * are written down. getopt_long's table, --help and (through the hidden
 * --dump-options) the bash and zsh completions are all made from it. */
struct optdef {
    const char *name;  /* long name, without the dashes */
    const char *arg;   /* the argument's name; NULL: a flag */
    const char *deflt; /* the default as the docs say it; NULL: none */
    const char *help;  /* one sentence, no final full stop */
    const char *words; /* COMPLETE_WORDS: the choices, space-separated */
    int key;           /* the short letter, or an OPT_ value */
    enum complete complete;
    int repeatable; /* may be given more than once, and adds up */
};

/* In --help order. Unset fields are 0: no argument, no default, nothing
 * to complete, given once. */
static const struct optdef optdefs[] = {
    {.name = "max-concurrent",
     .key = 'j',
     .arg = "N",
     .deflt = "8",
     .help = "transfers in flight at once, 1..1024; fewer if the open-file "
             "limit is too low"},
    {.name = "dir",
     .key = 'd',
     .arg = "DIR",
     .deflt = ".",
     .help = "output directory, created if missing",
     .complete = COMPLETE_DIR},
    {.name = "max-per-host",
     .key = OPT_MAX_PER_HOST,
     .arg = "N",
     .deflt = "no limit",
     .help = "transfers in flight to one host, 1..1024"},
    {.name = "limit-rate",
     .key = OPT_LIMIT_RATE,
     .arg = "RATE",
     .deflt = "no limit",
     .help = "total bandwidth of all transfers together in bytes per "
             "second, as 500K, 2M, 2MiB or 1G (K = KiB = 1024); 0 = no "
             "limit"},
    {.name = "input-file",
     .key = 'i',
     .arg = "FILE",
     .help = "read URLs from FILE, - for stdin; repeatable, read in order",
     .complete = COMPLETE_FILE,
     .repeatable = 1},
    {.name = "output",
     .key = 'o',
     .arg = "NAME",
     .help = "name (a path under --dir) for the one URL argument",
     .complete = COMPLETE_FILE},
    {.name = "overwrite",
     .key = OPT_OVERWRITE,
     .help = "replace files that already exist (default: skip them)"},
    {.name = "continue",
     .key = 'c',
     .help = "resume NAME.part files (Range request)"},
    {.name = "timestamping",
     .key = 'N',
     .help = "fetch only what changed (ETag, else Last-Modified), replace "
             "it, set its mtime"},
    {.name = "content-disposition",
     .key = OPT_CONTENT_DISPOSITION,
     .help = "name files from the server's Content-Disposition header"},
    {.name = "dirs-from-url",
     .key = OPT_DIRS_FROM_URL,
     .help = "save under folders made from the URL's host and path, as "
             "wget -x: host/a/b/file"},
    {.name = "no-host-dirs",
     .key = OPT_NO_HOST_DIRS,
     .help = "with --dirs-from-url, no host folder: a/b/file"},
    {.name = "cut-dirs",
     .key = OPT_CUT_DIRS,
     .arg = "N",
     .deflt = "0",
     .help = "with --dirs-from-url, drop the path's first N folders"},
    {.name = "retry",
     .key = OPT_RETRY,
     .arg = "N",
     .deflt = "3",
     .help = "retries of a transient failure, 0..100"},
    {.name = "retry-delay",
     .key = OPT_RETRY_DELAY,
     .arg = "SECS",
     .deflt = "1",
     .help = "first backoff; doubles, with jitter, capped at 60 s; a "
             "server's Retry-After wins"},
    {.name = "connect-timeout",
     .key = OPT_CONNECT_TIMEOUT,
     .arg = "SECS",
     .deflt = "30",
     .help = "per connection attempt"},
    {.name = "stall-timeout",
     .key = OPT_STALL_TIMEOUT,
     .arg = "SECS",
     .deflt = "60",
     .help = "abort (and retry) an attempt that receives nothing for SECS; "
             "0 = off"},
    {.name = "timeout",
     .key = OPT_TIMEOUT,
     .arg = "SECS",
     .deflt = "no limit",
     .help = "cap on one attempt; 0 = no limit"},
    {.name = "cacert",
     .key = OPT_CACERT,
     .arg = "FILE",
     .help = "verify TLS with the CA certificates in FILE instead of the "
             "system's",
     .complete = COMPLETE_FILE},
    {.name = "checksums",
     .key = OPT_CHECKSUMS,
     .arg = "FILE",
     .help = "verify each file against a sha256sum-format FILE",
     .complete = COMPLETE_FILE},
    {.name = "shard",
     .key = OPT_SHARD,
     .arg = "K/N",
     .deflt = "all items",
     .help = "only the items whose URL hashes to shard K of N, 1 <= K <= N"},
    {.name = "proxy",
     .key = OPT_PROXY,
     .arg = "URL",
     .help = "proxy for every transfer (default: libcurl's http_proxy, "
             "https_proxy, no_proxy ...)"},
    {.name = "netrc",
     .key = OPT_NETRC,
     .help = "user names and passwords from ~/.netrc (libcurl's rules)"},
    {.name = "netrc-file",
     .key = OPT_NETRC_FILE,
     .arg = "FILE",
     .help = "like --netrc, from FILE",
     .complete = COMPLETE_FILE},
    {.name = "header",
     .key = 'H',
     .arg = "LINE",
     .help = "extra request header, repeatable",
     .repeatable = 1},
    {.name = "user-agent",
     .key = 'A',
     .arg = "STR",
     .deflt = "salvo/VERSION",
     .help = "User-Agent"},
    {.name = "json",
     .key = OPT_JSON,
     .help = "one JSON object per finished URL on stdout"},
    {.name = "dry-run",
     .key = OPT_DRY_RUN,
     .help = "print URL -> PATH, download nothing"},
    {.name = "quiet", .key = 'q', .help = "print only errors"},
    {.name = "verbose",
     .key = 'v',
     .help = "print each attempt, retry and redirect"},
    {.name = "no-progress",
     .key = OPT_NO_PROGRESS,
     .help = "plain lines, no live view"},
    {.name = "color",
     .key = OPT_COLOR,
     .arg = "WHEN",
     .deflt = "auto",
     .help = "auto, always or never; NO_COLOR in the environment means never",
     .complete = COMPLETE_WORDS,
     .words = "auto always never"},
    {.name = "no-config",
     .key = OPT_NO_CONFIG,
     .help = "do not read the config file (see below)"},
    {.name = "help", .key = 'h', .help = "show this help and exit"},
    {.name = "version", .key = 'V', .help = "show the version and exit"},
};

#define NOPTDEFS (sizeof optdefs / sizeof optdefs[0])

/* Not in --help and not in the completions: it is how the completions
 * learn the options, from the salvo being completed, at the time of the
 * TAB. That keeps them true to the binary without a file generated at
 * build time (which a cross-build could not run). */
static const char dump_options_name[] = "dump-options";

#define HELP_COL 26   /* where the help text of an option starts */
#define HELP_WIDTH 79 /* no --help line is longer */

/* The length of the text's next unit that a line break must not split:
 * a word, or "A = B", "K <= N" and "URL -> PATH" kept whole. */
static int help_unit(const char *text)
{
    int n = (int)strcspn(text, " ");

    for (;;) {
        const char *op = text + n + 1;
        int m = (int)strcspn(op, " ");

        if (text[n] != ' ' || !((m == 1 && op[0] == '=') ||
                                (m == 2 && (strncmp(op, "<=", 2) == 0 ||
                                            strncmp(op, "->", 2) == 0))))
            return n;
        n += 1 + m;
        if (op[m] == ' ')
            n += 1 + (int)strcspn(op + m + 1, " ");
    }
}

/* Prints text, whose first word goes at column col, wrapped at spaces so
 * that no line passes HELP_WIDTH; later lines start at HELP_COL. */
static void help_wrap(FILE *f, int col, const char *text)
{
    int first = 1;

    while (*text != '\0') {
        int n = help_unit(text);

        if (!first && col + 1 + n > HELP_WIDTH) {
            fprintf(f, "\n%*s", HELP_COL, "");
            col = HELP_COL;
        } else if (!first) {
            fputc(' ', f);
            col++;
        }
        fwrite(text, 1, (size_t)n, f);
        col += n;
        first = 0;
        text += n;
        while (*text == ' ')
            text++;
    }
    fputc('\n', f);
}

/* "  -j, --max-concurrent=N  transfers ... (8)" */
static void help_option(FILE *f, const struct optdef *d)
{
    char left[80], text[512];
    int n;

    if (d->key < 256)
        n = snprintf(left, sizeof left, "  -%c, --%s%s%s", d->key, d->name,
                     d->arg ? "=" : "", d->arg ? d->arg : "");
    else
        n = snprintf(left, sizeof left, "      --%s%s%s", d->name,
                     d->arg ? "=" : "", d->arg ? d->arg : "");
    if (n + 2 <= HELP_COL) {
        fprintf(f, "%-*s", HELP_COL, left);
        n = HELP_COL;
    } else {
        fprintf(f, "%s  ", left);
        n += 2;
    }
    snprintf(text, sizeof text, "%s%s%s%s", d->help, d->deflt ? " (" : "",
             d->deflt ? d->deflt : "", d->deflt ? ")" : "");
    help_wrap(f, n, text);
}

void options_help(FILE *f)
{
    size_t i;

    fputs("Usage: salvo [OPTION]... [URL]...\n"
          "Download many URLs at once. URLs come from the arguments, then\n"
          "from -i FILE; with neither, from standard input, as a stream.\n"
          "Input lines: URL, or URL NAME (a path under --dir). Blank lines\n"
          "and lines that start with '#' are skipped; a '#' later in a line\n"
          "is not a comment.\n"
          "\n"
          "Options (defaults in parentheses):\n",
          f);
    for (i = 0; i < NOPTDEFS; i++)
        help_option(f, &optdefs[i]);
    fputs("\n"
          "SECS may be a fraction (0.5). Files are written to NAME.part and\n"
          "renamed when complete. Past 65,000 URLs the names taken so far\n"
          "are kept in a temporary file in TMPDIR (or /tmp).\n"
          "\n"
          "Config file: $SALVO_CONFIG, else $XDG_CONFIG_HOME/salvo/config\n"
          "(default ~/.config/salvo/config), if it exists: one long option\n"
          "a line, without its dashes ('retry = 5' or 'max-concurrent 16');\n"
          "lines that start with '#' are comments. The command line wins;\n"
          "-H and -i add to the file's. --no-config skips the file.\n"
          "\n"
          "Exit status:\n"
          "  0    every item ok, skipped or unchanged (-N)\n"
          "  1    at least one item failed\n"
          "  2    usage error: a bad option or config file line, nothing\n"
          "       to read, a bad --checksums file, an unusable output\n"
          "       directory\n"
          "  130  interrupted by SIGINT\n"
          "  141  standard output closed under --json or --dry-run\n"
          "  143  terminated by SIGTERM\n",
          f);
}

static const char *complete_name(const struct optdef *d)
{
    switch (d->complete) {
    case COMPLETE_FILE:
        return "file";
    case COMPLETE_DIR:
        return "dir";
    case COMPLETE_WORDS:
        return "words";
    case COMPLETE_NONE:
        break;
    }
    return "none";
}

/* One line per option, eight tab-separated fields, "-" for an empty one:
 * --LONG, -S, ARG, COMPLETION (none, file, dir or words), CHOICES
 * (space-separated, for words), once or many, DEFAULT; then the help as
 * the rest of the line. Read by completions/salvo.bash and _salvo, and by
 * the test that the man page and README list every option. */
void options_dump(FILE *f)
{
    size_t i;

    for (i = 0; i < NOPTDEFS; i++) {
        const struct optdef *d = &optdefs[i];
        char s[3] = "-";

        if (d->key < 256) {
            s[0] = '-';
            s[1] = (char)d->key;
        }
        fprintf(f, "--%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", d->name, s,
                d->arg ? d->arg : "-", complete_name(d),
                d->words ? d->words : "-", d->repeatable ? "many" : "once",
                d->deflt ? d->deflt : "-", d->help);
    }
}

void options_version(FILE *f)
{
    fprintf(f, "salvo %s\n%s\n", PACKAGE_VERSION, curl_version());
}

int options_parse_seconds(const char *s, double *out)
{
    char *end;
    double v;

    if ((*s < '0' || *s > '9') && *s != '.')
        return -1;
    errno = 0;
    v = strtod(s, &end);
    /* v == v: not NaN */
    if (errno != 0 || *end != '\0' || !(v == v) || v < 0 || v > 1e6)
        return -1;
    *out = v;
    return 0;
}

int options_parse_rate(const char *s, uint64_t *out)
{
    char *end;
    double v, mult = 1;

    if ((*s < '0' || *s > '9') && *s != '.')
        return -1;
    errno = 0;
    v = strtod(s, &end);
    if (errno != 0 || !(v == v))
        return -1;
    switch (*end) {
    case 'k':
    case 'K':
        mult = 1024.0;
        break;
    case 'm':
    case 'M':
        mult = 1024.0 * 1024;
        break;
    case 'g':
    case 'G':
        mult = 1024.0 * 1024 * 1024;
        break;
    default:
        break;
    }
    if (mult > 1) {
        end++;
        /* "KiB": the unit the live view prints; the 'i' wants its 'B' */
        if ((*end == 'i' || *end == 'I') && (end[1] == 'B' || end[1] == 'b'))
            end++;
    }
    if (*end == 'B' || *end == 'b')
        end++;
    if (strcmp(end, "/s") == 0)
        end += 2;
    v *= mult;
    if (*end != '\0' || v < 0 || v > 1099511627776.0)
        return -1;
    *out = (uint64_t)v;
    return 0;
}

int options_parse_shard(const char *s, unsigned *k, unsigned *n)
{
    unsigned long kk, nn;
    char *slash = strchr(s, '/'), *end;

    if (!slash || *s < '0' || *s > '9' || slash[1] < '0' || slash[1] > '9')
        return -1;
    errno = 0;
    kk = strtoul(s, &end, 10);
    if (end != slash || errno != 0)
        return -1;
    nn = strtoul(slash + 1, &end, 10);
    if (*end != '\0' || errno != 0 || nn < 1 || nn > 1000000 || kk < 1 ||
        kk > nn)
        return -1;
    *k = (unsigned)kk;
    *n = (unsigned)nn;
    return 0;
}

/* Parses a whole decimal number in [lo, hi]; -1 if it is not one. */
static int parse_uint(const char *s, unsigned long lo, unsigned long hi,
                      unsigned long *out)
{
    char *end;
    unsigned long v;

    if (*s < '0' || *s > '9')
        return -1;
    errno = 0;
    v = strtoul(s, &end, 10);
    if (errno != 0 || *end != '\0' || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

static int add_input_file(struct options *o, char *f, char *err, size_t errlen)
{
    char **more;

    more = realloc(o->input_files, (o->ninput_files + 1) * sizeof *more);
    if (!more) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    o->input_files = more;
    o->input_files[o->ninput_files++] = f;
    o->input_file = o->input_files[0];
    return 0;
}

static int add_header(struct options *o, const char *h, char *err,
                      size_t errlen)
{
    const char **more;

    if (!strchr(h, ':') || strpbrk(h, "\r\n") || h[0] == ':') {
        snprintf(err, errlen, "bad header '%s' (want 'Name: value')", h);
        return -1;
    }
    more = realloc(o->headers, (o->nheaders + 1) * sizeof *more);
    if (!more) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    o->headers = more;
    o->headers[o->nheaders++] = h;
    return 0;
}

/* The options with ranges and forms of their own: limits, sharding,
 * colour. */
static enum options_result apply_limits(struct options *o, int c,
                                        const char *arg, char *err,
                                        size_t errlen)
{
    unsigned long v;

    if (c == OPT_MAX_PER_HOST) {
        if (parse_uint(arg, 1, OPTIONS_MAX_CONCURRENT, &v) != 0) {
            snprintf(err, errlen,
                     "--max-per-host must be a number from 1 to %d, not '%s'",
                     OPTIONS_MAX_CONCURRENT, arg);
            return OPTIONS_USAGE;
        }
        o->max_per_host = (unsigned)v;
    } else if (c == OPT_LIMIT_RATE) {
        if (options_parse_rate(arg, &o->limit_rate) != 0) {
            snprintf(err, errlen,
                     "--limit-rate wants a rate like 500K, 2M or 1G, "
                     "not '%s'",
                     arg);
            return OPTIONS_USAGE;
        }
    } else if (c == OPT_SHARD) {
        if (options_parse_shard(arg, &o->shard, &o->nshards) != 0) {
            snprintf(err, errlen,
                     "--shard wants K/N with 1 <= K <= N, not '%s'", arg);
            return OPTIONS_USAGE;
        }
    } else if (strcmp(arg, "auto") == 0) {
        o->color = COLOR_AUTO;
    } else if (strcmp(arg, "always") == 0) {
        o->color = COLOR_ALWAYS;
    } else if (strcmp(arg, "never") == 0) {
        o->color = COLOR_NEVER;
    } else {
        snprintf(err, errlen, "--color wants auto, always or never, not '%s'",
                 arg);
        return OPTIONS_USAGE;
    }
    return OPTIONS_OK;
}

/* The options that take SECS. */
static enum options_result apply_seconds(struct options *o, int c,
                                         const char *arg, char *err,
                                         size_t errlen)
{
    double v;
    const char *name = c == OPT_RETRY_DELAY       ? "--retry-delay"
                       : c == OPT_CONNECT_TIMEOUT ? "--connect-timeout"
                       : c == OPT_STALL_TIMEOUT   ? "--stall-timeout"
                                                  : "--timeout";

    if (options_parse_seconds(arg, &v) != 0) {
        snprintf(err, errlen, "%s wants a number of seconds, not '%s'", name,
                 arg);
        return OPTIONS_USAGE;
    }
    if (c == OPT_RETRY_DELAY)
        o->retry_delay = v;
    else if (c == OPT_CONNECT_TIMEOUT)
        o->connect_timeout = v;
    else if (c == OPT_STALL_TIMEOUT)
        o->stall_timeout = v;
    else
        o->timeout = v;
    return OPTIONS_OK;
}

/* Applies one option; returns OPTIONS_OK to go on. */
static enum options_result apply(struct options *o, int c, char *arg,
                                 char *err, size_t errlen)
{
    unsigned long v;

    switch (c) {
    case 'j':
        if (parse_uint(arg, 1, OPTIONS_MAX_CONCURRENT, &v) != 0) {
            snprintf(err, errlen,
                     "--max-concurrent must be a number from 1 to %d, "
                     "not '%s'",
                     OPTIONS_MAX_CONCURRENT, arg);
            return OPTIONS_USAGE;
        }
        o->max_concurrent = (unsigned)v;
        o->max_concurrent_set = 1;
        break;
    case 'd':
        if (arg[0] == '\0') {
            snprintf(err, errlen, "--dir must not be empty");
            return OPTIONS_USAGE;
        }
        o->dir = arg;
        break;
    case 'i':
        return add_input_file(o, arg, err, errlen) ? OPTIONS_USAGE
                                                   : OPTIONS_OK;
    case 'o':
        if (arg[0] == '\0') {
            snprintf(err, errlen, "--output must not be empty");
            return OPTIONS_USAGE;
        }
        o->output = arg;
        break;
    case OPT_PROXY:
        o->proxy = arg;
        break;
    case OPT_NETRC:
        o->netrc = 1;
        break;
    case OPT_NETRC_FILE:
        o->netrc_file = arg;
        o->netrc = 1;
        break;
    case OPT_NO_CONFIG:
        break; /* acted on before the config file is read */
    case 'H':
        return add_header(o, arg, err, errlen) ? OPTIONS_USAGE : OPTIONS_OK;
    case 'A':
        o->user_agent = arg;
        break;
    case OPT_OVERWRITE:
        o->overwrite = 1;
        break;
    case OPT_JSON:
        o->json = 1;
        break;
    case OPT_DRY_RUN:
        o->dry_run = 1;
        break;
    case 'q':
        o->quiet = 1;
        break;
    case 'v':
        o->verbose = 1;
        break;
    case OPT_NO_PROGRESS:
        o->no_progress = 1;
        break;
    case 'c':
        o->resume = 1;
        break;
    case 'N':
        o->timestamping = 1;
        break;
    case OPT_CONTENT_DISPOSITION:
        o->content_disposition = 1;
        break;
    case OPT_DIRS_FROM_URL:
        o->dirs_from_url = 1;
        break;
    case OPT_NO_HOST_DIRS:
        o->no_host_dirs = 1;
        break;
    case OPT_CUT_DIRS:
        /* Like wget, --cut-dirs and --no-host-dirs alone change nothing:
         * a config file may set them for the runs that ask for folders. */
        if (parse_uint(arg, 0, 1000000, &v) != 0) {
            snprintf(err, errlen,
                     "--cut-dirs must be a number from 0 to 1000000, "
                     "not '%s'",
                     arg);
            return OPTIONS_USAGE;
        }
        o->cut_dirs = (unsigned)v;
        break;
    case OPT_CACERT:
        o->cacert = arg;
        break;
    case OPT_CHECKSUMS:
        o->checksums = arg;
        break;
    case OPT_MAX_PER_HOST:
    case OPT_LIMIT_RATE:
    case OPT_SHARD:
    case OPT_COLOR:
        return apply_limits(o, c, arg, err, errlen);
    case OPT_RETRY:
        if (parse_uint(arg, 0, 100, &v) != 0) {
            snprintf(err, errlen,
                     "--retry must be a number from 0 to 100, not '%s'", arg);
            return OPTIONS_USAGE;
        }
        o->retries = (unsigned)v;
        break;
    case OPT_RETRY_DELAY:
    case OPT_CONNECT_TIMEOUT:
    case OPT_STALL_TIMEOUT:
    case OPT_TIMEOUT:
        return apply_seconds(o, c, arg, err, errlen);
    case 'h':
        return OPTIONS_HELP;
    case 'V':
        return OPTIONS_VERSION;
    default:
        /* getopt has printed why; add nothing misleading */
        snprintf(err, errlen, "bad usage");
        return OPTIONS_USAGE;
    }
    return OPTIONS_OK;
}

/* getopt_long's two tables, made from optdefs (plus the hidden
 * --dump-options); longs has room for NOPTDEFS + 2 entries and shorts
 * for 2 * NOPTDEFS + 2 bytes. */
static void make_getopt_tables(struct option *longs, char *shorts)
{
    size_t i, n = 0;

    shorts[n++] = ':'; /* tell a missing argument from an unknown option */
    for (i = 0; i < NOPTDEFS; i++) {
        const struct optdef *d = &optdefs[i];

        longs[i].name = d->name;
        longs[i].has_arg = d->arg ? required_argument : no_argument;
        longs[i].flag = NULL;
        longs[i].val = d->key;
        if (d->key < 256) {
            shorts[n++] = (char)d->key;
            if (d->arg)
                shorts[n++] = ':';
        }
    }
    shorts[n] = '\0';
    longs[i].name = dump_options_name;
    longs[i].has_arg = no_argument;
    longs[i].flag = NULL;
    longs[i].val = OPT_DUMP_OPTIONS;
    memset(&longs[i + 1], 0, sizeof longs[i + 1]);
}

/* A copy of a + b, or NULL if out of memory. */
static char *concat(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    char *p = malloc(la + lb + 1);

    if (p)
        snprintf(p, la + lb + 1, "%s%s", a, b);
    return p;
}

/* Sets *path to the config file to read (allocated), or NULL for none:
 * $SALVO_CONFIG, which must then exist (*must = 1); else
 * $XDG_CONFIG_HOME/salvo/config (an absolute XDG_CONFIG_HOME only, as
 * the XDG Base Directory spec says), else ~/.config/salvo/config, either
 * only if it exists. Returns 0, or -1 if out of memory. */
static int config_path(char **path, int *must)
{
    const char *env = getenv("SALVO_CONFIG"), *xdg, *home;

    *path = NULL;
    *must = env && *env;
    xdg = getenv("XDG_CONFIG_HOME");
    home = getenv("HOME");
    if (*must)
        *path = concat(env, "");
    else if (xdg && *xdg == '/')
        *path = concat(xdg, "/salvo/config");
    else if (home && *home)
        *path = concat(home, "/.config/salvo/config");
    else
        return 0;
    return *path ? 0 : -1;
}

static const struct optdef *optdef_find(const char *name)
{
    size_t i;

    for (i = 0; i < NOPTDEFS; i++)
        if (strcmp(optdefs[i].name, name) == 0)
            return &optdefs[i];
    return NULL;
}

/* Applies one line of the config file, trimmed, neither blank nor a
 * comment: "name = value", "name value" or "name" (a flag); the value is
 * the rest of the line, taken as it is (no quotes). Returns OPTIONS_OK,
 * or OPTIONS_USAGE with err naming FILE:N. */
static enum options_result config_line(struct options *o, char *line,
                                       const char *file, unsigned long n,
                                       char *err, size_t errlen)
{
    char *name = line, *end, *value, *copy, why[256];
    const struct optdef *d;
    enum options_result r;

    if (strncmp(name, "--", 2) == 0)
        name += 2;
    end = name + strcspn(name, " \t=");
    value = end + strspn(end, " \t");
    if (*value == '=') {
        value++;
        value += strspn(value, " \t");
    }
    *end = '\0';
    d = optdef_find(name);
    if (!d) {
        snprintf(err, errlen, "%s:%lu: unknown option '%.64s'", file, n, name);
        return OPTIONS_USAGE;
    }
    /* What a config file sets is a default: these are not defaults. */
    if (d->key == 'h' || d->key == 'V' || d->key == 'o' ||
        d->key == OPT_NO_CONFIG) {
        snprintf(err, errlen, "%s:%lu: '%s' cannot be set in a config file",
                 file, n, name);
        return OPTIONS_USAGE;
    }
    if (!d->arg && *value != '\0') {
        snprintf(err, errlen, "%s:%lu: '%s' takes no value", file, n, name);
        return OPTIONS_USAGE;
    }
    if (d->arg && *value == '\0') {
        snprintf(err, errlen, "%s:%lu: '%s' needs a value (%s)", file, n, name,
                 d->arg);
        return OPTIONS_USAGE;
    }
    copy = value; /* a flag's: "" */
    if (d->arg) {
        char **more = realloc(o->owned, (o->nowned + 1) * sizeof *more);

        copy = more ? concat(value, "") : NULL;
        if (more)
            o->owned = more;
        if (!copy) {
            snprintf(err, errlen, "out of memory");
            return OPTIONS_USAGE;
        }
        o->owned[o->nowned++] = copy;
    }
    r = apply(o, d->key, copy, why, sizeof why);
    if (r != OPTIONS_OK)
        snprintf(err, errlen, "%s:%lu: %s", file, n, why);
    return r;
}

/* Reads the config file, if there is one, into o. */
static enum options_result read_config(struct options *o, char *err,
                                       size_t errlen)
{
    int must;
    char *path, *line = NULL;
    size_t cap = 0;
    ssize_t len;
    unsigned long n = 0;
    enum options_result r = OPTIONS_OK;
    FILE *f;

    if (config_path(&path, &must) != 0) {
        snprintf(err, errlen, "out of memory");
        return OPTIONS_USAGE;
    }
    if (!path)
        return OPTIONS_OK;
    f = fopen(path, "r");
    if (!f) {
        if (!must && (errno == ENOENT || errno == ENOTDIR)) {
            free(path);
            return OPTIONS_OK;
        }
        snprintf(err, errlen, "cannot read config file '%s': %s", path,
                 strerror(errno));
        free(path);
        return OPTIONS_USAGE;
    }
    o->config_file = path;
    while (r == OPTIONS_OK && (len = getline(&line, &cap, f)) != -1) {
        char *p = line, *e = line + len;

        n++;
        if (memchr(line, '\0', (size_t)len)) {
            snprintf(err, errlen, "%s:%lu: a NUL byte", path, n);
            r = OPTIONS_USAGE;
            break;
        }
        while (e > p && strchr(" \t\r\n", e[-1]))
            *--e = '\0';
        p += strspn(p, " \t");
        if (*p != '\0' && *p != '#')
            r = config_line(o, p, path, n, err, errlen);
    }
    if (r == OPTIONS_OK && ferror(f)) {
        snprintf(err, errlen, "cannot read config file '%s': %s", path,
                 strerror(errno));
        r = OPTIONS_USAGE;
    }
    free(line);
    fclose(f);
    return r;
}

/* Whether to read the config file: not with --no-config, nor for --help,
 * --version or --dump-options (a broken file must not hide the help).
 * A first getopt pass over a copy of argv: GNU getopt permutes what it
 * scans, and a pass that stopped at an error ("URL -d") would leave an
 * order ("-d URL") that the real pass reads differently. Errors are left
 * to the real pass. Returns 1, 0, or -1 if out of memory. */
static int want_config(int argc, char **argv, const struct option *longs,
                       const char *shorts)
{
    char **copy = malloc(((size_t)argc + 1) * sizeof *copy);
    int c, want = 1;

    if (!copy)
        return -1;
    memcpy(copy, argv, ((size_t)argc + 1) * sizeof *copy);
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, copy, shorts, longs, NULL)) != -1)
        if (c == OPT_NO_CONFIG || c == 'h' || c == 'V' ||
            c == OPT_DUMP_OPTIONS)
            want = 0;
    free(copy);
    return want;
}

/* The checks that need the whole command line. */
static enum options_result check_all(struct options *o, char *err,
                                     size_t errlen)
{
    if (o->quiet && o->verbose) {
        snprintf(err, errlen, "--quiet and --verbose exclude each other");
        return OPTIONS_USAGE;
    }
    if (o->timestamping && o->resume) {
        snprintf(err, errlen,
                 "-N never sends a Range request: it excludes -c/--continue");
        return OPTIONS_USAGE;
    }
    if (o->output && (o->nurls != 1 || o->ninput_files > 0)) {
        snprintf(err, errlen,
                 "-o/--output names the file of one URL argument, not %s",
                 o->ninput_files > 0 ? "a list from -i"
                 : o->nurls == 0     ? "a list from standard input"
                                     : "of several");
        return OPTIONS_USAGE;
    }
    /* libcurl would skip an unreadable netrc file without a word; a
     * file named on purpose that cannot be read is an error. */
    if (o->netrc_file && access(o->netrc_file, R_OK) != 0) {
        snprintf(err, errlen, "cannot read --netrc-file '%s': %s",
                 o->netrc_file, strerror(errno));
        return OPTIONS_USAGE;
    }
    return OPTIONS_OK;
}

enum options_result options_parse(int argc, char **argv, struct options *o,
                                  char *err, size_t errlen)
{
    struct option longs[NOPTDEFS + 2];
    char shorts[2 * NOPTDEFS + 2];
    enum options_result r;
    int c;

    memset(o, 0, sizeof *o);
    o->max_concurrent = 8;
    o->dir = ".";
    o->user_agent = "salvo/" PACKAGE_VERSION;
    o->retries = 3;
    o->retry_delay = 1;
    o->connect_timeout = 30;
    o->stall_timeout = 60;
    make_getopt_tables(longs, shorts);
    switch (want_config(argc, argv, longs, shorts)) {
    case -1:
        snprintf(err, errlen, "out of memory");
        return OPTIONS_USAGE;
    case 1:
        r = read_config(o, err, errlen);
        if (r != OPTIONS_OK)
            return r;
        break;
    default:
        break;
    }
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
        if (c == '?' || c == ':') {
            const char *what = argv[optind - 1];
            if (optopt && c == '?')
                snprintf(err, errlen, "unknown option '-%c'", optopt);
            else if (c == '?')
                snprintf(err, errlen, "unknown option '%s'", what);
            else
                snprintf(err, errlen, "option '%s' needs an argument", what);
            return OPTIONS_USAGE;
        }
        if (c == OPT_DUMP_OPTIONS)
            return OPTIONS_DUMP;
        r = apply(o, c, optarg, err, errlen);
        if (r != OPTIONS_OK)
            return r;
    }
    o->urls = argv + optind;
    o->nurls = argc - optind;
    return check_all(o, err, errlen);
}

void options_free(struct options *o)
{
    size_t i;

    free(o->headers);
    o->headers = NULL;
    o->nheaders = 0;
    free(o->input_files);
    o->input_files = NULL;
    o->ninput_files = 0;
    o->input_file = NULL;
    for (i = 0; i < o->nowned; i++)
        free(o->owned[i]);
    free(o->owned);
    o->owned = NULL;
    o->nowned = 0;
    free(o->config_file);
    o->config_file = NULL;
}
