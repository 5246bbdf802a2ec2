/* salvo: download many URLs at once. main only wires the modules. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <curl/curl.h>

#include "checksums.h"
#include "item.h"
#include "fdlimit.h"
#include "input.h"
#include "names.h"
#include "naming.h"
#include "options.h"
#include "pool.h"
#include "ratelimit.h"
#include "report.h"
#include "transfer.h"
#include "url.h"
#include "worker.h"

/* The only global: which signal asked us to stop (0: none). An atomic
 * rather than a volatile sig_atomic_t because worker threads read it;
 * lock-free atomics are safe in a signal handler. */
static atomic_int stop_requested;
_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "a lock-free atomic int");

static void on_signal(int sig)
{
    if (atomic_load(&stop_requested))
        _exit(128 + sig); /* the second signal: now */
    atomic_store(&stop_requested, sig);
}

struct app {
    struct options opts;
    struct report report;
    struct names names;
    struct transfer_config cfg;
    struct pool pool;
    struct run run;
    struct ratelimit rate;
    struct checksums sums;
    int *listfds; /* the lists to read, in order (owned) */
    size_t nlists;
    int stdin_closed; /* descriptor 0 was closed at the start */
    int dirfd;
    int ready; /* how many parts setup() has made */
};

/* A bad command line: the message and where to read more. */
static void usage_error(const char *msg)
{
    fprintf(stderr, "salvo: %s\nTry 'salvo --help' for more information.\n",
            msg);
}

/* A setup error that is not about the command line's form. */
static void setup_error(const char *msg)
{
    fprintf(stderr, "salvo: %s\n", msg);
}

static void install_signals(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_IGN;
    /* A closed stdout or a file-size limit is an error to report, not a
     * reason to die: write() returns EPIPE or EFBIG instead. */
    sigaction(SIGPIPE, &sa, NULL);
    sigaction(SIGXFSZ, &sa, NULL);
    sa.sa_handler = on_signal;
    /* No SA_RESTART: a read() of stdin must return to see the flag. */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

/* Opens /dev/null onto any of descriptors 0, 1 and 2 that is closed, so
 * that no file salvo opens later becomes its stdin, stdout or stderr (a
 * progress line written into a download). Returns 1 if stdin was closed,
 * else 0. */
static int open_std_fds(void)
{
    int stdin_closed = 0;

    for (int fd = 0; fd <= 2; fd++) {
        if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
            continue;
        if (fd == 0)
            stdin_closed = 1;
        /* The lowest free descriptor: fd itself. */
        if (open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY) != fd)
            _exit(2);
    }
    return stdin_closed;
}

/* mkdir -p dir, then open it. Returns a descriptor or -errno. */
static int open_outdir(const char *dir)
{
    char *p = strdup(dir);
    int fd;

    if (!p)
        return -ENOMEM;
    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST) {
            int e = errno;
            free(p);
            return -e;
        }
        *s = '/';
    }
    free(p);
    if (mkdir(dir, 0777) != 0 && errno != EEXIST)
        return -errno;
    fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    /* Can we create files in it? Better to say so before any traffic. */
    if (faccessat(fd, ".", W_OK | X_OK, AT_EACCESS) != 0) {
        int e = errno;
        close(fd);
        return -e;
    }
    return fd;
}

/* Reports a line that is not an item. */
static void report_bad(struct app *a, const char *shown, unsigned long lineno,
                       const char *why)
{
    struct result res = {
        .url = shown, .status = ITEM_FAILED, .error = why, .lineno = lineno};

    report_result(&a->report, &res);
}

/* Turns a parsed line into an item: planned (--dry-run) or queued. */
static void start_item(struct app *a, struct input_item *in,
                       unsigned long lineno)
{
    struct item *it;

    if (item_prepare(&a->run, in, lineno, &it) != 0 || !it)
        return;
    if (a->opts.dry_run) {
        item_plan(&a->run, it);
        return;
    }
    report_queued(&a->report);
    worker_start(&a->run, it);
}

/* One input line (or argument: lineno 0). */
static void handle_line(struct app *a, const char *line, size_t len,
                        unsigned long lineno, int toolong)
{
    struct input_item in;
    char err[512];
    enum input_kind k;

    if (toolong) {
        report_bad(a, "", lineno, "line is longer than 64 KiB");
        return;
    }
    k = input_parse_line(line, len, &in, err, sizeof err);
    if (k == INPUT_ITEM && lineno == 0 && a->opts.output && !in.name) {
        /* -o: the name of the one URL argument, by a NAME's rules. */
        in.name = naming_user_path(a->opts.output, in.url, err, sizeof err);
        if (!in.name) {
            input_item_clear(&in);
            k = INPUT_BAD;
        }
    }
    if (k == INPUT_ITEM) {
        start_item(a, &in, lineno);
        input_item_clear(&in);
    } else if (k == INPUT_BAD) {
        /* Show what the line held, short and without its NULs. */
        char shown[201];
        size_t n = strnlen(line, len < 200 ? len : 200);
        memcpy(shown, line, n);
        shown[n] = '\0';
        report_bad(a, shown, lineno, err);
    }
}

/* Before a read of the list that may block: the items read so far go
 * to workers now, not when enough have gathered. */
static void flush_workers(void *run)
{
    worker_flush(run);
}

/* Reads lines from fd until its end or a stop. Returns 0 or -errno. */
static int read_list(struct app *a, int fd)
{
    struct input_reader r;
    const char *line;
    size_t len;
    int toolong, rc = 0;

    if (input_reader_setup(&r, fd) != 0)
        return -ENOMEM;
    r.before_read = flush_workers;
    r.ctx = &a->run;
    while (!stop_requested) {
        rc = input_next(&r, &line, &len, &toolong);
        if (rc == -EINTR)
            continue;
        if (rc <= 0)
            break;
        handle_line(a, line, len, r.lineno, toolong);
    }
    input_reader_teardown(&r);
    return rc < 0 && rc != -EINTR ? rc : 0;
}

/* Opens every list to read, in order: each -i FILE (- is stdin), or
 * stdin when there is neither an -i nor a URL argument. Returns 0, or
 * -1 with the reason in err (a usage error when usage is set). */
static int open_lists(struct app *a, char *err, size_t errlen, int *usage)
{
    const struct options *o = &a->opts;
    size_t n = o->ninput_files ? o->ninput_files : (o->nurls == 0);

    *usage = 0;
    a->listfds = calloc(n ? n : 1, sizeof *a->listfds);
    if (!a->listfds) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        const char *f = o->ninput_files ? o->input_files[i] : "-";
        int fd =
            strcmp(f, "-") == 0 ? STDIN_FILENO : open(f, O_RDONLY | O_CLOEXEC);
        if (fd == STDIN_FILENO && a->stdin_closed) {
            snprintf(err, errlen,
                     o->ninput_files ? "cannot read '-': standard input is "
                                       "closed"
                                     : "no URLs given (and standard input "
                                       "is closed)");
            *usage = 1;
            return -1;
        }
        if (fd < 0) {
            snprintf(err, errlen, "cannot read '%s': %s", f, strerror(errno));
            return -1;
        }
        a->listfds[a->nlists++] = fd;
    }
    if (!o->ninput_files && n == 1 && isatty(STDIN_FILENO)) {
        snprintf(err, errlen,
                 "no URLs given (and standard input is a terminal)");
        *usage = 1;
        return -1;
    }
    return 0;
}

static void close_lists(struct app *a)
{
    for (size_t i = 0; i < a->nlists; i++)
        if (a->listfds[i] > STDIN_FILENO)
            close(a->listfds[i]);
    free(a->listfds);
}

/* --limit-rate, --checksums: made only when asked for. */
static int setup_limits(struct app *a)
{
    if (a->opts.limit_rate) {
        if (ratelimit_setup(&a->rate, a->opts.limit_rate) != 0)
            return -1;
        a->cfg.rate = &a->rate;
    }
    a->ready = 6;
    if (a->opts.checksums)
        a->run.sums = &a->sums;
    return 0;
}

/* Sets up the parts in order; a->ready counts those that are, so that
 * teardown() undoes exactly them, also after a failure half-way. */
static int setup(struct app *a)
{
    if (report_setup(&a->report, &a->opts, stdout, stderr, &stop_requested) !=
        0)
        return -1;
    a->ready = 1;
    if (names_setup(&a->names) != 0)
        return -1;
    a->ready = 2;
    a->cfg.opts = &a->opts;
    a->cfg.stop = &stop_requested;
    for (size_t i = 0; i < a->opts.nheaders; i++) {
        struct curl_slist *l =
            curl_slist_append(a->cfg.headers, a->opts.headers[i]);
        if (!l)
            return -1;
        a->cfg.headers = l;
    }
    if (pool_setup(&a->pool, &a->cfg, a->opts.max_concurrent) != 0)
        return -1;
    a->ready = 3;
    if (run_setup(&a->run, &a->opts, a->dirfd, &a->pool, &a->report, &a->names,
                  &a->cfg) != 0)
        return -1;
    a->ready = 4;
    return setup_limits(a);
}

static void teardown(struct app *a)
{
    if (a->ready >= 6 && a->cfg.rate)
        ratelimit_teardown(&a->rate);
    if (a->ready >= 4)
        run_teardown(&a->run);
    if (a->ready >= 3)
        pool_teardown(&a->pool);
    curl_slist_free_all(a->cfg.headers);
    if (a->ready >= 2)
        names_teardown(&a->names);
    if (a->ready >= 1)
        report_teardown(&a->report);
}

/* Reads every source and runs every item; returns the exit status. */
static int run_all(struct app *a)
{
    int rc = 0, status;

    for (int i = 0; i < a->opts.nurls && !stop_requested; i++)
        handle_line(a, a->opts.urls[i], strlen(a->opts.urls[i]), 0, 0);
    for (size_t i = 0; i < a->nlists && rc == 0 && !stop_requested; i++)
        rc = read_list(a, a->listfds[i]);
    report_input_done(&a->report);
    if (rc < 0)
        fprintf(stderr, "salvo: reading the URL list: %s\n", strerror(-rc));
    worker_wait_all(&a->run);
    status = report_summary(&a->report);
    if (stop_requested)
        return 128 + stop_requested;
    return rc < 0 ? 1 : status;
}

/* Checks the command line and opens what it names: the checksums
 * file, the list, the output directory. Returns 0, or an exit status
 * after saying why. */
static int prepare(struct app *a, int argc, char **argv)
{
    char err[512];
    int usage;

    switch (options_parse(argc, argv, &a->opts, err, sizeof err)) {
    case OPTIONS_HELP:
        options_help(stdout);
        return -1;
    case OPTIONS_VERSION:
        options_version(stdout);
        return -1;
    case OPTIONS_DUMP:
        options_dump(stdout);
        return -1;
    case OPTIONS_USAGE:
        usage_error(err);
        return 2;
    case OPTIONS_OK:
        break;
    }
    if (open_lists(a, err, sizeof err, &usage) != 0) {
        if (usage)
            usage_error(err);
        else
            setup_error(err);
        return 2;
    }
    if (a->opts.checksums &&
        checksums_load(&a->sums, a->opts.checksums, err, sizeof err) != 0) {
        setup_error(err);
        return 2;
    }
    /* A dry run creates nothing, but looks at what is there already. */
    a->dirfd = a->opts.dry_run
                   ? open(a->opts.dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
                   : open_outdir(a->opts.dir);
    if (a->dirfd < 0 && !a->opts.dry_run) {
        snprintf(err, sizeof err, "cannot use output directory '%s': %s",
                 a->opts.dir, strerror(-a->dirfd));
        setup_error(err);
        return 2;
    }
    if (a->dirfd < 0)
        a->dirfd = -1;
    return 0;
}

/* Runs everything once the command line is good: the exit status. */
static int run(struct app *a)
{
    int status;

    install_signals();
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        setup_error("cannot initialise libcurl");
        return 1;
    }
    a->opts.max_concurrent = fdlimit_apply(&a->opts, stderr);
    fdlimit_size_table(a->opts.max_concurrent);
    if (setup(a) != 0) {
        setup_error("out of memory");
        status = 1;
    } else {
        if (a->opts.verbose && a->opts.config_file)
            fprintf(stderr, "salvo: read config %s\n", a->opts.config_file);
        report_start(&a->report);
        status = run_all(a);
    }
    teardown(a);
    curl_global_cleanup();
    return status;
}

int main(int argc, char **argv)
{
    struct app a;
    int status;

    /* First of all: a closed 0, 1 or 2 must not become the list, the
     * output directory or a .part by accident. */
    int stdin_closed = open_std_fds();

    memset(&a, 0, sizeof a);
    a.dirfd = -1;
    a.stdin_closed = stdin_closed;
    status = prepare(&a, argc, argv);
    if (status == 0)
        status = run(&a);
    close_lists(&a);
    if (a.dirfd >= 0)
        close(a.dirfd);
    checksums_free(&a.sums);
    options_free(&a.opts);
    return status < 0 ? 0 : status;
}
