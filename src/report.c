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

/* JSON "status", by enum item_status (not_started is never printed). */
static const char *const status_names[] = {
    "ok",          "skipped", "failed",   "interrupted",
    "not_started", "planned", "unchanged"};

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
        .ok = r->ok + r->unchanged,
        .failed = r->failed,
        .skipped = r->skipped,
        .queued = atomic_load_explicit(&r->queued, memory_order_relaxed),
        .done = r->ok + r->unchanged + r->failed + r->skipped +
                r->interrupted + r->not_started,
        .input_done = r->input_done,
        .bytes = r->bytes,
    };

    progress_draw(&r->live, &t, timeutil_now());
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
    r->unchanged = r->interrupted = r->not_started = r->partial = 0;
    r->bytes = 0;
    r->t0 = timeutil_now();
    atomic_init(&r->queued, 0);
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
    if (progress_setup(&r->live, r->err, r->color, timeutil_now()) != 0)
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
    /* Without the lock, which every worker takes for its result: main
     * counts each item it queues. */
    atomic_fetch_add_explicit(&r->queued, 1, memory_order_relaxed);
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
        m = progress_begin(&r->live, name, timeutil_now());
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

void report_meter_wait(struct report *r, struct meter *m, const char *what,
                       double until, const char *reason)
{
    if (!m)
        return;
    pthread_mutex_lock(&r->lock);
    if (r->live_on)
        progress_wait(&r->live, m, what, until, reason);
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
    char *m = url_masked(url ? url : ""), *e;

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

/* A failed item that never got as far as a request, with a line number
 * but no name, is a bad input line: it is named by its number. */
static int bad_line(const struct result *res)
{
    return res->status == ITEM_FAILED && res->lineno > 0 && !res->path &&
           res->attempts == 0;
}

static void json_line(struct report *r, const struct result *res)
{
    FILE *f = r->out;
    char *url = shown_url(res->url, 0);
    const char *src = res->source ? res->source : res->url;
    char *source = NULL;

    /* The URL whose bytes were kept: none when nothing was (a skip, a
     * plan, a failure that kept nothing). */
    if (res->source || res->status == ITEM_OK ||
        ((res->status == ITEM_INTERRUPTED || res->status == ITEM_FAILED) &&
         res->bytes > 0))
        source = shown_url(src, 0);
    fputs("{\"url\":", f);
    escape_json(f, url ? url : "");
    if (res->lineno > 0)
        fprintf(f, ",\"line\":%lu", res->lineno);
    else
        fputs(",\"line\":null", f);
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
    fputs(",\"source\":", f);
    if (source)
        escape_json(f, source);
    else
        fputs("null", f);
    fputs(",\"error\":", f);
    if (res->error && res->status != ITEM_SKIPPED) /* a skip's is a note */
        escape_json(f, res->error);
    else
        fputs("null", f);
    if (res->nmirrors > 0) {
        fputs(",\"mirrors\":[", f);
        for (size_t i = 0; i < res->nmirrors; i++) {
            char *m = shown_url(res->mirrors[i], 0);
            if (i > 0)
                fputc(',', f);
            escape_json(f, m ? m : "");
            free(m);
        }
        fputc(']', f);
    }
    fputs("}\n", f);
    free(url);
    free(source);
    check_out(r);
}

/* The colour of a status word, or "". */
static const char *colour_of(const struct report *r, enum item_status st)
{
    if (!r->color)
        return "";
    switch (st) {
    case ITEM_OK:
        return "\033[32m";
    case ITEM_FAILED:
        return "\033[31m";
    default:
        return "\033[33m";
    }
}

static void plain_line(struct report *r, const struct result *res)
{
    char *path = res->path ? escape_term(res->path) : NULL;
    char *url = shown_url(res->url, 1);
    char *why = res->error ? escape_term(res->error) : NULL;
    const char *on = colour_of(r, res->status),
               *off = r->color ? "\033[0m" : "";
    const char *p = path ? path : url ? url : "?";
    int quiet = r->opts->quiet;
    char tries[48] = "";

    if (r->live_on && res->status != ITEM_NOT_STARTED &&
        (!quiet || res->status == ITEM_FAILED))
        progress_erase(&r->live);
    /* How hard it tried, unless the reason says so already. */
    if (res->attempts > 1 && !(why && strstr(why, "attempts)")))
        snprintf(tries, sizeof tries, " (%u attempts)", res->attempts);
    switch (res->status) {
    case ITEM_OK:
        if (!quiet)
            fprintf(r->err, "%sok%s %s (%" PRIu64 " bytes)\n", on, off, p,
                    res->bytes);
        break;
    case ITEM_UNCHANGED:
        if (!quiet)
            fprintf(r->err, "%sunchanged%s %s\n", on, off, p);
        break;
    case ITEM_SKIPPED:
        if (!quiet)
            fprintf(r->err, "%sskipped%s %s (%s)\n", on, off, p,
                    why ? why : "exists");
        break;
    case ITEM_INTERRUPTED:
        if (quiet)
            break;
        if (res->bytes > 0 && path)
            fprintf(r->err,
                    "%sinterrupted%s %s (%" PRIu64 " bytes kept in %s.part)\n",
                    on, off, p, res->bytes, path);
        else
            fprintf(r->err, "%sinterrupted%s %s\n", on, off, p);
        break;
    case ITEM_FAILED:
        if (bad_line(res))
            fprintf(r->err, "%sfailed%s line %lu: %s\n", on, off, res->lineno,
                    why ? why : "?");
        else
            fprintf(r->err, "%sfailed%s %s: %s%s\n", on, off, url ? url : "?",
                    why ? why : "?", tries);
        break;
    case ITEM_NOT_STARTED:
    case ITEM_PLANNED:
        break;
    }
    free(path);
    free(url);
    free(why);
}

/* --dry-run: what a real run would do with the item, on stdout. */
static void plan_line(struct report *r, const struct result *res)
{
    int term = isatty(fileno(r->out));
    char *url = shown_url(res->url, term);
    char *path = !res->path ? NULL
                 : term     ? escape_term(res->path)
                            : strdup(res->path);
    char *why = !res->error ? NULL
                : term      ? escape_term(res->error)
                            : strdup(res->error);
    const char *u = url ? url : "?", *p = path ? path : "?";

    if (res->status == ITEM_PLANNED) {
        /* Every URL of the item, in the order they would be tried. */
        fputs(u, r->out);
        for (size_t i = 0; i < res->nmirrors; i++) {
            char *m = shown_url(res->mirrors[i], term);
            fprintf(r->out, " %s", m ? m : "?");
            free(m);
        }
        fprintf(r->out, " -> %s\n", p);
    } else if (res->status == ITEM_SKIPPED)
        fprintf(r->out, "skip %s (%s)\n", p, why ? why : "exists");
    else if (bad_line(res))
        fprintf(r->out, "fail line %lu: %s\n", res->lineno, why ? why : "?");
    else if (res->status == ITEM_FAILED)
        fprintf(r->out, "fail %s: %s\n", u, why ? why : "?");
    check_out(r);
    free(url);
    free(path);
    free(why);
}

/* Counts the item; the lock is held. */
static void count(struct report *r, const struct result *res)
{
    r->bytes += res->received;
    switch (res->status) {
    case ITEM_OK:
        r->ok++;
        break;
    case ITEM_UNCHANGED:
        r->unchanged++;
        break;
    case ITEM_SKIPPED:
        r->skipped++;
        break;
    case ITEM_FAILED:
        r->failed++;
        break;
    case ITEM_INTERRUPTED:
        r->interrupted++;
        break;
    case ITEM_NOT_STARTED:
        r->not_started++;
        break;
    case ITEM_PLANNED:
        r->planned++;
        break;
    }
    if ((res->status == ITEM_INTERRUPTED || res->status == ITEM_FAILED) &&
        res->bytes > 0 && res->path)
        r->partial++;
}

void report_result(struct report *r, const struct result *res)
{
    pthread_mutex_lock(&r->lock);
    count(r, res);
    if (res->status == ITEM_NOT_STARTED)
        ; /* not a failure, nothing to say: counted for the summary */
    else if (r->opts->json && !r->out_closed)
        json_line(r, res);
    else if (r->opts->dry_run && !r->out_closed)
        plan_line(r, res);
    if (!r->opts->dry_run)
        plain_line(r, res);
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

void report_retry(struct report *r, const char *url, unsigned n, unsigned max,
                  double wait, const char *reason)
{
    char *u, *why;

    if (r->opts->quiet)
        return;
    u = shown_url(url, 1);
    why = reason ? escape_term(reason) : NULL;
    pthread_mutex_lock(&r->lock);
    if (!r->live_on) {
        /* Whole seconds when whole (or long), else tenths. */
        int whole = wait >= 10 || wait == (double)(long)wait;
        fprintf(r->err, "retrying %s in %.*f s (%u/%u)%s%s\n", u ? u : "?",
                whole ? 0 : 1, wait, n, max, why ? ": " : "", why ? why : "");
    }
    pthread_mutex_unlock(&r->lock);
    free(u);
    free(why);
}

void report_dry_run(struct report *r, const char *url, const char *path)
{
    struct result res = {.url = url, .path = path, .status = ITEM_PLANNED};

    report_result(r, &res);
}

int report_summary(struct report *r)
{
    int failed;

    stop_live(r);
    pthread_mutex_lock(&r->lock);
    failed = r->failed > 0;
    if (r->opts->quiet) {
        ; /* errors only */
    } else if (r->opts->dry_run) {
        fprintf(r->err,
                "salvo: dry run: %lu to download, %lu skipped, %lu failed\n",
                r->planned, r->skipped, r->failed);
    } else {
        fprintf(r->err, "salvo: %lu ok, %lu failed, %lu skipped", r->ok,
                r->failed, r->skipped);
        if (r->unchanged)
            fprintf(r->err, ", %lu unchanged", r->unchanged);
        if (r->interrupted)
            fprintf(r->err, ", %lu interrupted", r->interrupted);
        if (r->not_started)
            fprintf(r->err, ", %lu not started", r->not_started);
        fprintf(r->err, ", %" PRIu64 " bytes in %.2f s%s", r->bytes,
                timeutil_now() - r->t0,
                atomic_load(r->stop) ? " (interrupted)" : "");
        if (r->partial)
            fprintf(r->err, "; rerun with -c to resume %lu partial file%s",
                    r->partial, r->partial == 1 ? "" : "s");
        fputc('\n', r->err);
    }
    if (!r->out_closed)
        fflush(r->out);
    pthread_mutex_unlock(&r->lock);
    return failed;
}
