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
#include "fdlimit.h"
#include "hosts.h"
#include "input.h"
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
    struct hosts hosts;
    struct ratelimit rate;
    struct checksums sums;
    int dirfd;
    int ready; /* how many parts setup() has made */
};

static void usage_error(const char *msg)
{
    fprintf(stderr, "salvo: %s\nTry 'salvo --help' for more information.\n",
            msg);
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

/* Reports an item that failed before it got a worker. */
static void report_bad(struct app *a, const char *url, const char *path,
                       unsigned long lineno, const char *why)
{
    struct result res = {.url = url,
                         .path = path,
                         .status = ITEM_FAILED,
                         .error = why,
                         .lineno = lineno};

    report_result(&a->report, &res);
}

/* Turns a parsed line into an item and starts it. */
static void start_item(struct app *a, struct input_item *in)
{
    struct item *it = calloc(1, sizeof *it);
    /* --content-disposition: the worker names it when the answer comes.
     * Otherwise names are claimed here, in input order, so the first of
     * two URLs with one name always gets NAME and the second NAME.1. */
    int later = a->opts.content_disposition && !in->name && !a->opts.dry_run;

    if (!it)
        goto oom;
    it->url = in->url;
    in->url = NULL;
    if (!later) {
        char *want = in->name ? in->name : naming_from_url(it->url);
        if (want)
            it->name = names_claim(&a->names, want);
        if (want != in->name)
            free(want);
        if (it->name)
            it->path = naming_display_path(a->opts.dir, it->name);
        if (!it->path)
            goto oom;
    }
    /* Named like every other item (so NAME.1 does not depend on the
     * shard), then left to the machine whose shard it is. */
    if (a->opts.nshards &&
        url_shard(it->url, a->opts.nshards) != a->opts.shard) {
        item_free(it);
        return;
    }
    if (a->opts.dry_run) {
        report_dry_run(&a->report, it->url, it->path);
        item_free(it);
        return;
    }
    report_queued(&a->report);
    worker_start(&a->run, it);
    return;
oom:
    report_bad(a, it && it->url ? it->url : in->url, NULL, 0, "out of memory");
    item_free(it);
}

/* One input line (or argument: lineno 0). */
static void handle_line(struct app *a, const char *line, size_t len,
                        unsigned long lineno, int toolong)
{
    struct input_item in;
    char err[512];
    enum input_kind k;

    if (toolong) {
        report_bad(a, "", NULL, lineno, "line is longer than 64 KiB");
        return;
    }
    k = input_parse_line(line, len, &in, err, sizeof err);
    if (k == INPUT_ITEM) {
        start_item(a, &in);
        input_item_clear(&in);
    } else if (k == INPUT_BAD) {
        /* Show what the line held, short and without its NULs. */
        char shown[201];
        size_t n = strnlen(line, len < 200 ? len : 200);
        memcpy(shown, line, n);
        shown[n] = '\0';
        report_bad(a, shown, NULL, lineno, err);
    }
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

/* Which descriptor to read the list from: -1 none, or an open fd. */
static int open_list(const struct options *o)
{
    if (o->input_file && strcmp(o->input_file, "-") != 0)
        return open(o->input_file, O_RDONLY | O_CLOEXEC);
    if (o->input_file || o->nurls == 0)
        return STDIN_FILENO;
    return -1;
}

/* --max-per-host, --limit-rate: made only when asked for. */
static int setup_limits(struct app *a)
{
    if (a->opts.max_per_host) {
        if (hosts_setup(&a->hosts, a->opts.max_per_host) != 0)
            return -1;
        a->run.hosts = &a->hosts;
    }
    a->ready = 5;
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
    if (a->ready >= 5 && a->run.hosts)
        hosts_teardown(&a->hosts);
    if (a->ready >= 4)
        run_teardown(&a->run);
    if (a->ready >= 3)
        pool_teardown(&a->pool);
    curl_slist_free_all(a->cfg.headers);
    if (a->ready >= 2)
        names_teardown(&a->names);
    if (a->ready >= 1)
        report_teardown(&a->report);
    checksums_free(&a->sums);
    options_free(&a->opts);
    if (a->dirfd >= 0)
        close(a->dirfd);
}

/* Reads every source and runs every item; returns the exit status. */
static int run_all(struct app *a, int listfd)
{
    int rc = 0, status;

    for (int i = 0; i < a->opts.nurls && !stop_requested; i++)
        handle_line(a, a->opts.urls[i], strlen(a->opts.urls[i]), 0, 0);
    if (listfd >= 0)
        rc = read_list(a, listfd);
    report_input_done(&a->report);
    if (rc < 0)
        fprintf(stderr, "salvo: reading the URL list: %s\n", strerror(-rc));
    if (stop_requested)
        sem_shutdown(&a->run.slots);
    worker_wait_all(&a->run);
    status = report_summary(&a->report);
    if (stop_requested)
        return 128 + stop_requested;
    return rc < 0 ? 1 : status;
}

int main(int argc, char **argv)
{
    struct app a;
    char err[512];
    int listfd, status;

    memset(&a, 0, sizeof a);
    a.dirfd = -1;
    switch (options_parse(argc, argv, &a.opts, err, sizeof err)) {
    case OPTIONS_HELP:
        options_help(stdout);
        options_free(&a.opts);
        return 0;
    case OPTIONS_VERSION:
        options_version(stdout);
        options_free(&a.opts);
        return 0;
    case OPTIONS_USAGE:
        usage_error(err);
        options_free(&a.opts);
        return 2;
    case OPTIONS_OK:
        break;
    }
    listfd = open_list(&a.opts);
    if (listfd < 0 && a.opts.input_file) {
        snprintf(err, sizeof err, "cannot read '%s': %s", a.opts.input_file,
                 strerror(errno));
        usage_error(err);
        options_free(&a.opts);
        return 2;
    }
    if (listfd == STDIN_FILENO && !a.opts.input_file && isatty(listfd)) {
        usage_error("no URLs given (and standard input is a terminal)");
        options_free(&a.opts);
        return 2;
    }
    if (a.opts.checksums &&
        checksums_load(&a.sums, a.opts.checksums, err, sizeof err) != 0) {
        usage_error(err);
        options_free(&a.opts);
        return 2;
    }
    install_signals();
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        fprintf(stderr, "salvo: cannot initialise libcurl\n");
        return 1;
    }
    if (!a.opts.dry_run) {
        a.dirfd = open_outdir(a.opts.dir);
        if (a.dirfd < 0) {
            snprintf(err, sizeof err, "cannot use output directory '%s': %s",
                     a.opts.dir, strerror(-a.dirfd));
            usage_error(err);
            options_free(&a.opts);
            curl_global_cleanup();
            return 2;
        }
    }
    a.opts.max_concurrent = fdlimit_apply(&a.opts, stderr);
    if (setup(&a) != 0) {
        fprintf(stderr, "salvo: out of memory\n");
        teardown(&a);
        curl_global_cleanup();
        return 1;
    }
    report_start(&a.report);
    status = run_all(&a, listfd);
    if (listfd > STDIN_FILENO)
        close(listfd);
    teardown(&a);
    curl_global_cleanup();
    return status;
}
