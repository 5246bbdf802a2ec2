#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "escape.h"
#include "report.h"
#include "timeutil.h"
#include "url.h"

static const char *const status_names[] = {
    "ok", "skipped", "failed", "interrupted", "not_started", "planned",
    "unchanged"};

/* --color, NO_COLOR (any non-empty value), TERM=dumb. */
static int use_color(const struct options *o, FILE *err)
{
    const char *no = getenv("NO_COLOR"), *term = getenv("TERM");

    if (o->color == COLOR_ALWAYS)
        return 1;
    if (o->color == COLOR_NEVER || (no && *no))
        return 0;
    return isatty(fileno(err)) && term && strcmp(term, "dumb") != 0;
}

/* Redraws the live block; the lock is held. */
static void draw(struct report *r)
{
    struct progress_totals t = {
        .ok = r->ok,
        .failed = r->failed,
        .skipped = r->skipped,
        .queued = r->queued,
        .input_done = r->input_done,
        .bytes = r->bytes,
        .elapsed = timeutil_now() - r->t0,
    };

    progress_draw(&r->live, &t);
}

int report_setup(struct report *r, const struct options *o, FILE *out,
                 FILE *err, atomic_int *stop)
{
    r->stop = stop;
    r->out_closed = 0;
    r->opts = o;
    r->out = out;
    r->err = err;
    r->ok = r->failed = r->skipped = r->planned = 0;
    r->bytes = 0;
    r->t0 = timeutil_now();
    r->queued = 0;
    r->input_done = 0;
    r->live_on = 0;
    atomic_init(&r->quit, 0);
    r->color = use_color(o, err);
    return pthread_mutex_init(&r->lock, NULL) == 0 ? 0 : -1;
}

/* The live view is for people at a terminal that can move the cursor. */
static int want_live(const struct options *o, FILE *err)
{
    const char *term = getenv("TERM");

    return !o->quiet && !o->no_progress && !o->dry_run &&
           isatty(fileno(err)) && term && *term && strcmp(term, "dumb") != 0;
}

static void *render(void *p)
{
    struct report *r = p;
    struct timespec tick = {0, 100000000L}; /* at most 10 a second */

    while (!atomic_load(&r->quit)) {
        nanosleep(&tick, NULL);
        pthread_mutex_lock(&r->lock);
        if (!atomic_load(&r->quit))
            draw(r);
        pthread_mutex_unlock(&r->lock);
    }
    return NULL;
}

int report_start(struct report *r)
{
    sigset_t block, old;
    int rc;

    if (!want_live(r->opts, r->err))
        return 0;
    if (progress_setup(&r->live, r->opts->max_concurrent, r->err, r->color) !=
        0)
        return -1;
    /* The renderer takes no signals: they are for the main thread. */
    sigfillset(&block);
    pthread_sigmask(SIG_BLOCK, &block, &old);
    rc = pthread_create(&r->renderer, NULL, render, r);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc != 0) {
        progress_teardown(&r->live);
        return 0; /* plain lines then: not worth failing the run */
    }
    r->live_on = 1;
    return 0;
}

/* Ends the renderer and wipes the block; the lock is not held. */
static void stop_live(struct report *r)
{
    if (!r->live_on)
        return;
    atomic_store(&r->quit, 1);
    pthread_join(r->renderer, NULL);
    pthread_mutex_lock(&r->lock);
    progress_erase(&r->live);
    progress_teardown(&r->live);
    r->live_on = 0;
    pthread_mutex_unlock(&r->lock);
}

void report_queued(struct report *r)
{
    pthread_mutex_lock(&r->lock);
    r->queued++;
    pthread_mutex_unlock(&r->lock);
}

void report_input_done(struct report *r)
{
    pthread_mutex_lock(&r->lock);
    r->input_done = 1;
    pthread_mutex_unlock(&r->lock);
}

struct meter *report_meter_begin(struct report *r, const char *name)
{
    struct meter *m = NULL;

    pthread_mutex_lock(&r->lock);
    if (r->live_on)
        m = progress_begin(&r->live, name);
    pthread_mutex_unlock(&r->lock);
    return m;
}

void report_meter_end(struct report *r, struct meter *m)
{
    if (!m)
        return;
    pthread_mutex_lock(&r->lock);
    if (r->live_on)
        progress_end(&r->live, m);
    pthread_mutex_unlock(&r->lock);
}

void report_teardown(struct report *r)
{
    stop_live(r);
    pthread_mutex_destroy(&r->lock);
}

/* A URL as it may be shown: credentials masked, then escaped for the
 * terminal if term is set. The caller frees it; NULL if out of memory. */
static char *shown_url(const char *url, int term)
{
    char *m = url_masked(url), *e;

    if (!m || !term)
        return m;
    e = escape_term(m);
    free(m);
    return e;
}

/* Flushes stdout; if the reader has gone, asks everything to stop. */
static void check_out(struct report *r)
{
    int expected = 0;

    if (fflush(r->out) == 0 && !ferror(r->out))
        return;
    r->out_closed = 1;
    if (errno == EPIPE)
        atomic_compare_exchange_strong(r->stop, &expected, SIGPIPE);
}

static void json_line(struct report *r, const struct result *res)
{
    FILE *f = r->out;
    char *url = shown_url(res->url, 0);

    fputs("{\"url\":", f);
    escape_json(f, url ? url : "");
    fputs(",\"path\":", f);
    if (res->path)
        escape_json(f, res->path);
    else
        fputs("null", f);
    fprintf(f,
            ",\"status\":\"%s\",\"http_status\":", status_names[res->status]);
    if (res->http_status > 0)
        fprintf(f, "%ld", res->http_status);
    else
        fputs("null", f);
    fprintf(f, ",\"bytes\":%" PRIu64 ",\"seconds\":%.3f,\"attempts\":%u",
            res->bytes, res->seconds, res->attempts);
    fputs(",\"error\":", f);
    if (res->error)
        escape_json(f, res->error);
    else
        fputs("null", f);
    fputs("}\n", f);
    free(url);
    check_out(r);
}

static void plain_line(struct report *r, const struct result *res)
{
    char *path = res->path ? escape_term(res->path) : NULL;
    char *url = shown_url(res->url, 1);
    char *why = res->error ? escape_term(res->error) : NULL;

    const char *on = "", *off = r->color ? "\033[0m" : "";

    if (r->color)
        on = res->status == ITEM_OK        ? "\033[32m"
             : res->status == ITEM_SKIPPED ? "\033[33m"
                                           : "\033[31m";
    if (r->live_on)
        progress_erase(&r->live);
    if (res->status == ITEM_OK && !r->opts->quiet)
        fprintf(r->err, "%sok%s %s (%" PRIu64 " bytes)\n", on, off,
                path ? path : "?", res->bytes);
    else if (res->status == ITEM_SKIPPED && !r->opts->quiet)
        fprintf(r->err, "%sskipped%s %s (%s)\n", on, off, path ? path : "?",
                why ? why : "exists");
    else if (res->status == ITEM_FAILED && res->bad_line)
        fprintf(r->err, "%sfailed%s line %lu: %s\n", on, off, res->lineno,
                why ? why : "?");
    else if (res->status == ITEM_FAILED)
        fprintf(r->err, "%sfailed%s %s: %s\n", on, off, url ? url : "?",
                why ? why : "?");
    free(path);
    free(url);
    free(why);
}

void report_result(struct report *r, const struct result *res)
{
    if (res->status == ITEM_PLANNED) {
        report_dry_run(r, res->url, res->path ? res->path : "?");
        return;
    }
    pthread_mutex_lock(&r->lock);
    if (res->status == ITEM_OK) {
        r->ok++;
        r->bytes += res->bytes;
    } else if (res->status == ITEM_SKIPPED) {
        r->skipped++;
    } else {
        r->failed++;
    }
    plain_line(r, res);
    if (r->opts->json && !r->out_closed)
        json_line(r, res);
    pthread_mutex_unlock(&r->lock);
}

void report_verbose(struct report *r, const char *url, const char *what)
{
    char *u = shown_url(url, 1), *w = escape_term(what);

    pthread_mutex_lock(&r->lock);
    if (r->live_on)
        progress_erase(&r->live);
    fprintf(r->err, "salvo: %s: %s\n", u ? u : "?", w ? w : "?");
    pthread_mutex_unlock(&r->lock);
    free(u);
    free(w);
}

void report_dry_run(struct report *r, const char *url, const char *path)
{
    int term = isatty(fileno(r->out));
    char *u = shown_url(url, term);
    char *p = term ? escape_term(path) : strdup(path);

    pthread_mutex_lock(&r->lock);
    if (!r->out_closed) {
        fprintf(r->out, "%s -> %s\n", u ? u : "?", p ? p : "?");
        check_out(r);
    }
    r->planned++;
    pthread_mutex_unlock(&r->lock);
    free(u);
    free(p);
}

int report_summary(struct report *r)
{
    int failed;

    stop_live(r);
    pthread_mutex_lock(&r->lock);
    failed = r->failed > 0;
    if (r->opts->quiet)
        ; /* errors only */
    else if (r->opts->dry_run)
        fprintf(r->err, "salvo: dry run: %lu to download, %lu failed\n",
                r->planned, r->failed);
    else
        fprintf(r->err,
                "salvo: %lu ok, %lu failed, %lu skipped, %" PRIu64
                " bytes in %.2f s%s\n",
                r->ok, r->failed, r->skipped, r->bytes, timeutil_now() - r->t0,
                atomic_load(r->stop) ? " (interrupted)" : "");
    if (!r->out_closed)
        fflush(r->out);
    pthread_mutex_unlock(&r->lock);
    return failed;
}

void report_meter_wait(struct report *r, struct meter *m, const char *what,
                       double until, const char *reason)
{
    (void)r;
    (void)m;
    (void)what;
    (void)until;
    (void)reason;
}

void report_retry(struct report *r, const char *url, unsigned n, unsigned max,
                  double wait, const char *reason)
{
    char *u;

    if (r->opts->quiet || r->live_on)
        return;
    u = shown_url(url, 1);
    pthread_mutex_lock(&r->lock);
    fprintf(r->err, "retrying %s in %.0f s (%u/%u): %s\n", u ? u : "?", wait,
            n, max, reason ? reason : "?");
    pthread_mutex_unlock(&r->lock);
    free(u);
}
