#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "timeutil.h"
#include "url.h"
#include "worker.h"

/* Small stacks: thousands of URLs must not cost gigabytes of address
 * space; libcurl and OpenSSL are comfortable in this much. */
#define WORKER_STACK ((size_t)512 * 1024)

void item_free(struct item *it)
{
    if (!it)
        return;
    free(it->url);
    free(it->name);
    free(it->path);
    free(it);
}

int run_setup(struct run *r, const struct options *o, int dirfd,
              struct pool *pool, struct report *rep, struct names *names,
              const struct transfer_config *cfg)
{
    memset(r, 0, sizeof *r);
    r->opts = o;
    r->dirfd = dirfd;
    r->pool = pool;
    r->report = rep;
    r->names = names;
    r->cfg = cfg;
    r->stop = cfg->stop;
    r->fresh =
        dirfd >= 0 && !o->resume && !o->overwrite && outfile_dir_empty(dirfd);
    r->window = 4 * o->max_concurrent;
    r->queue = calloc(r->window, sizeof *r->queue);
    r->tids = calloc((size_t)2 * o->max_concurrent, sizeof *r->tids);
    if (!r->queue || !r->tids ||
        sem_setup(&r->slots, o->max_concurrent) != 0) {
        free(r->queue);
        free(r->tids);
        return -1;
    }
    pthread_mutex_init(&r->lock, NULL);
    pthread_cond_init(&r->has_work, NULL);
    pthread_cond_init(&r->has_room, NULL);
    pthread_attr_init(&r->attr);
    pthread_attr_setstacksize(&r->attr, WORKER_STACK);
    return 0;
}

void run_teardown(struct run *r)
{
    pthread_attr_destroy(&r->attr);
    pthread_cond_destroy(&r->has_work);
    pthread_cond_destroy(&r->has_room);
    free(r->queue);
    free(r->tids);
    pthread_mutex_destroy(&r->lock);
    sem_teardown(&r->slots);
}

/* Sets res to failed with reason why (copied into err). */
static void fail(struct result *res, char *err, size_t errlen, const char *why)
{
    if (why != err)
        snprintf(err, errlen, "%s", why);
    res->status = ITEM_FAILED;
    res->error = err;
}

/* Gives the finished .part its name, or says why not. */
/* --checksums: 0 if the .part's SHA-256 is the one listed for it. A
 * mismatch removes the .part: no bad bytes are kept. */
static int verify(struct run *r, struct item *it, struct outfile *out,
                  char *err, size_t errlen)
{
    const unsigned char *want = checksums_find(r->sums, it->name);
    unsigned char got[CHECKSUMS_LEN];

    if (!want) {
        snprintf(err, errlen,
                 "no checksum for %s in %s; the data is in %s.part", it->name,
                 r->opts->checksums, it->path);
        return -1;
    }
    if (outfile_digest(out, got) != 0) {
        snprintf(err, errlen, "cannot compute the SHA-256 of %s.part",
                 it->path);
        return -1;
    }
    if (memcmp(want, got, CHECKSUMS_LEN) != 0) {
        snprintf(err, errlen, "SHA-256 mismatch; %s.part removed", it->path);
        outfile_abandon(out, 1);
        return -1;
    }
    return 0;
}

static void commit(struct run *r, struct item *it, struct outfile *out,
                   struct result *res, char *err, size_t errlen)
{
    int rc;

    if (r->sums && verify(r, it, out, err, errlen) != 0) {
        fail(res, err, errlen, err);
        return;
    }
    rc = outfile_commit(out, r->opts->overwrite);

    if (rc == 0) {
        res->status = ITEM_OK;
    } else if (rc == -EEXIST) {
        snprintf(err, errlen,
                 "%s appeared during the download; the data is in %s.part",
                 it->path, it->path);
        fail(res, err, errlen, err);
    } else {
        snprintf(err, errlen, "%s: %s", it->path, strerror(-rc));
        fail(res, err, errlen, err);
    }
}

/* -v: how an attempt ended, and where redirects led. */
static void say_attempt(struct run *r, const struct item *it, CURL *h,
                        unsigned n, enum xfer_result x,
                        const struct xfer_stats *st)
{
    char line[1536];
    long redirects = 0;
    char *final = NULL;

    curl_easy_getinfo(h, CURLINFO_REDIRECT_COUNT, &redirects);
    curl_easy_getinfo(h, CURLINFO_EFFECTIVE_URL, &final);
    /* Only a redirect that was followed: EFFECTIVE_URL is then another. */
    if (redirects > 0 && final && strcmp(final, it->url) != 0) {
        char *shown = url_masked(final);
        snprintf(line, sizeof line, "followed %ld redirect%s to %s", redirects,
                 redirects == 1 ? "" : "s", shown ? shown : "?");
        free(shown);
        report_verbose(r->report, it->url, line);
    }
    if (x == XFER_OK) {
        snprintf(line, sizeof line, "attempt %u: HTTP %ld, %llu bytes", n,
                 st->http_status, (unsigned long long)st->bytes);
        report_verbose(r->report, it->url, line);
    }
}

/* --content-disposition: the name is chosen when the response comes. */
struct namer_ctx {
    struct run *run;
    struct item *item;
};

static enum xfer_result name_from_server(void *p, struct outfile *out,
                                         const char *disposition, char *err,
                                         size_t errlen)
{
    struct namer_ctx *n = p;
    struct item *it = n->item;
    char *want = disposition ? naming_from_disposition(disposition) : NULL;
    int ex;

    if (!want)
        want = naming_from_url(it->url);
    if (want)
        it->name = names_claim(n->run->names, want);
    free(want);
    if (it->name)
        it->path = naming_display_path(n->run->opts->dir, it->name);
    if (!it->path || outfile_set_name(out, it->name) != 0) {
        snprintf(err, errlen, "out of memory");
        return XFER_FATAL;
    }
    ex = n->run->opts->overwrite || n->run->fresh
             ? 0
             : outfile_exists(n->run->dirfd, it->name);
    if (ex == 1)
        return XFER_SKIPPED;
    if (ex < 0) {
        snprintf(err, errlen, "%s: %s", it->path, strerror(-ex));
        return XFER_FATAL;
    }
    return XFER_OK;
}

/* Takes the host's slot, then a global one: always in that order, so
 * nothing deadlocks, and a worker waiting for a busy host holds no
 * global slot that URLs for other hosts could use. Returns -1 (holding
 * nothing) on a stop. */
static void give_slots(struct run *r, struct sem *host)
{
    sem_release(&r->slots);
    if (host)
        sem_release(host);
}

static int take_slots(struct run *r, struct sem *host)
{
    if (host && sem_acquire(host) != 0)
        return -1;
    if (sem_acquire(&r->slots) != 0) { /* shut: a stop */
        if (host)
            sem_release(host);
        return -1;
    }
    if (atomic_load(r->stop)) {
        give_slots(r, host);
        return -1;
    }
    return 0;
}

/* Takes a slot and a handle, makes attempt number n, gives both back. */
static enum xfer_result attempt_once(struct run *r, struct item *it,
                                     struct outfile *out, unsigned n,
                                     struct xfer_stats *st, char *err,
                                     size_t errlen)
{
    struct namer_ctx nc = {r, it};
    struct xfer_hooks hooks = {name_from_server, &nc, NULL};
    struct sem *host = NULL;
    enum xfer_result x;
    CURL *h;

    memset(st, 0, sizeof *st);
    st->retry_after = -1;
    if (r->hosts) {
        host = hosts_sem(r->hosts, it->url);
        if (!host) {
            snprintf(err, errlen, "out of memory");
            return XFER_FATAL;
        }
    }
    if (take_slots(r, host) != 0) {
        snprintf(err, errlen, "interrupted");
        return XFER_STOPPED;
    }
    h = pool_take(r->pool, it->url);
    if (!h) {
        give_slots(r, host);
        snprintf(err, errlen, "cannot create a transfer (out of memory)");
        return XFER_FATAL;
    }
    if (r->opts->verbose) {
        char line[64];
        snprintf(line, sizeof line, "starting attempt %u", n);
        report_verbose(r->report, it->url, line);
    }
    hooks.meter = report_meter_begin(r->report, it->name ? it->name : it->url);
    x = transfer_run(h, r->cfg, it->url, out, &hooks, st, err, errlen);
    report_meter_end(r->report, hooks.meter);
    if (r->opts->verbose)
        say_attempt(r, it, h, n, x, st);
    pool_give(r->pool, h, it->url);
    give_slots(r, host);
    return x;
}

/* The wait before retry number n: the server's Retry-After, else an
 * exponential backoff from --retry-delay, capped at 60 s, with jitter
 * (a random time in [d/2, d]) so that retries do not come in waves. */
static double backoff(const struct options *o, unsigned n, double retry_after,
                      unsigned short seed[3])
{
    double d = o->retry_delay;

    if (retry_after >= 0)
        return retry_after;
    for (unsigned i = 1; i < n && d < 60; i++)
        d *= 2;
    if (d > 60)
        d = 60;
    return d / 2 + erand48(seed) * d / 2;
}

/* -v: why an attempt failed, and the retry to come (wait >= 0). */
static void say_failed(struct run *r, const struct item *it, unsigned n,
                       const char *err, double wait)
{
    char line[1536];

    if (wait >= 0)
        snprintf(line, sizeof line,
                 "attempt %u failed: %s; retrying in %.1f s", n, err, wait);
    else
        snprintf(line, sizeof line, "attempt %u failed: %s", n, err);
    report_verbose(r->report, it->url, line);
}

/* Attempts until one succeeds, fails for good, or the retries run out. */
static enum xfer_result attempts(struct run *r, struct item *it,
                                 struct outfile *out, struct result *res,
                                 char *err, size_t errlen)
{
    unsigned short seed[3];
    struct xfer_stats st;
    uintptr_t mix = (uintptr_t)it ^ (uintptr_t)time(NULL);

    seed[0] = (unsigned short)mix;
    seed[1] = (unsigned short)(mix >> 16);
    seed[2] = (unsigned short)((mix >> 16) >> 16);
    for (unsigned n = 1;; n++) {
        double wait;
        enum xfer_result x;
        res->attempts = n;
        x = attempt_once(r, it, out, n, &st, err, errlen);
        res->http_status = st.http_status;
        res->bytes = out->bytes;
        if (x != XFER_TRANSIENT || n > r->opts->retries) {
            if (r->opts->verbose && x != XFER_OK && x != XFER_SKIPPED)
                say_failed(r, it, n, err, -1);
            return x;
        }
        wait = backoff(r->opts, n, st.retry_after, seed);
        if (r->opts->verbose)
            say_failed(r, it, n, err, wait);
        if (timeutil_nap(wait, r->stop) != 0) {
            snprintf(err, errlen, "interrupted");
            return XFER_STOPPED;
        }
    }
}

/* Resumes or starts the .part, runs the attempts, names the result. */
static void fetch(struct run *r, struct item *it, struct result *res,
                  char *err, size_t errlen)
{
    struct outfile out;
    enum xfer_result x;
    double t0 = timeutil_now();
    int rc = outfile_init(&out, r->dirfd, it->name);

    if (rc == 0 && r->opts->resume && it->name)
        rc = outfile_resume(&out);
    if (rc == 0 && r->sums)
        rc = outfile_hash(&out);
    if (rc != 0) {
        snprintf(err, errlen, "%s.part: %s", it->path, strerror(-rc));
        fail(res, err, errlen, err);
        goto out;
    }
    x = attempts(r, it, &out, res, err, errlen);
    res->seconds = timeutil_now() - t0;
    res->path = it->path;
    if (x == XFER_OK) {
        commit(r, it, &out, res, err, errlen);
    } else if (x == XFER_SKIPPED) {
        res->status = ITEM_SKIPPED;
        res->bytes = 0;
    } else {
        /* Keep partial data for a later -c; an empty .part is noise. */
        outfile_abandon(&out, out.bytes == 0);
        fail(res, err, errlen, err);
    }
out:
    outfile_cleanup(&out);
}

/* Skips an existing file, or fetches. */
static void run_item(struct run *r, struct item *it, struct result *res,
                     char *err, size_t errlen)
{
    if (atomic_load(r->stop)) {
        fail(res, err, errlen, "interrupted before it started");
        return;
    }
    if (it->name && r->sums && !checksums_find(r->sums, it->name)) {
        snprintf(err, errlen, "no checksum for %s in %s", it->name,
                 r->opts->checksums);
        fail(res, err, errlen, err);
        return;
    }
    if (it->name && !r->opts->overwrite && !r->fresh) {
        int ex = outfile_exists(r->dirfd, it->name);
        if (ex == 1) {
            res->status = ITEM_SKIPPED;
            return;
        }
        if (ex < 0) {
            snprintf(err, errlen, "%s: %s", it->path,
                     ex == -ELOOP ? "a symlink on the way (not followed)"
                                  : strerror(-ex));
            fail(res, err, errlen, err);
            return;
        }
    }
    fetch(r, it, res, err, errlen);
}

/* Runs one item to its end and reports it; frees it. */
static void work(struct run *r, struct item *it)
{
    struct result res = {.url = it->url, .path = it->path};
    char err[1024] = "";

    run_item(r, it, &res, err, sizeof err);
    report_result(r->report, &res);
    item_free(it);
}

/* Once the main thread finds the window (4 x -j items) full it sleeps
 * until pending falls to this, 3 x -j: -j items are gone and about 2 x
 * -j still queued. So it is woken once per -j items rather than per
 * item, and refills before the workers run dry and sleep. */
static unsigned low_water(const struct run *r)
{
    return r->window - r->window / 4;
}

/* Takes the next queued item, waiting for one; NULL once closing and
 * the queue is empty. Called with r->lock held. */
static struct item *next_item(struct run *r)
{
    struct item *it;

    while (r->count == 0 && !r->closing) {
        r->idle++;
        pthread_cond_wait(&r->has_work, &r->lock);
        r->idle--;
    }
    if (r->count == 0)
        return NULL;
    it = r->queue[r->head];
    r->queue[r->head] = NULL;
    r->head = (r->head + 1) % r->window;
    r->count--;
    return it;
}

static void *worker_main(void *arg)
{
    struct run *r = arg;
    struct item *it;

    pthread_mutex_lock(&r->lock);
    while ((it = next_item(r)) != NULL) {
        pthread_mutex_unlock(&r->lock);
        work(r, it);
        pthread_mutex_lock(&r->lock);
        /* The main thread waits for the low-water mark once the window
         * is full, and for nothing pending at the end. */
        if (--r->pending == low_water(r) || r->pending == 0)
            pthread_cond_signal(&r->has_room);
    }
    pthread_mutex_unlock(&r->lock);
    return NULL;
}

/* Workers start with SIGINT and SIGTERM blocked, so those reach only
 * the main thread, whose read() of the list they interrupt. Called
 * with r->lock held. */
static int create_thread(struct run *r)
{
    sigset_t block, old;
    int rc;

    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &block, &old);
    rc = pthread_create(&r->tids[r->nthreads], &r->attr, worker_main, r);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc == 0)
        r->nthreads++;
    return rc;
}

int worker_start(struct run *r, struct item *it)
{
    char err[256];
    int rc = 0;

    /* Without --max-per-host no worker ever waits for a slot that
     * another holds, so max-concurrent workers keep every slot busy;
     * with it, a worker waiting for a busy host holds no global slot,
     * and up to 2 x -j workers let other hosts use those. */
    unsigned cap = r->opts->max_concurrent * (r->hosts ? 2 : 1);

    pthread_mutex_lock(&r->lock);
    if (r->pending >= r->window)
        while (r->pending > low_water(r))
            pthread_cond_wait(&r->has_room, &r->lock);
    r->queue[(r->head + r->count) % r->window] = it;
    r->count++;
    r->pending++;
    /* Each queued item needs a worker of its own: an idle one (already
     * woken ones still count as idle until they take theirs), else a
     * new one while fewer than cap exist; past that, the next one to
     * finish takes it. */
    if (r->count > r->idle && r->nthreads < cap)
        rc = create_thread(r);
    if (rc != 0 && r->nthreads > 0)
        rc = 0;
    if (rc != 0) { /* no worker at all: nobody can have taken it */
        r->count--;
        r->pending--;
        r->queue[(r->head + r->count) % r->window] = NULL;
    } else if (r->idle > 0) {
        pthread_cond_signal(&r->has_work);
    }
    pthread_mutex_unlock(&r->lock);
    if (rc == 0)
        return 0;
    snprintf(err, sizeof err, "cannot start a worker: %s", strerror(rc));
    {
        struct result res = {.url = it->url,
                             .path = it->path,
                             .status = ITEM_FAILED,
                             .error = err};
        report_result(r->report, &res);
    }
    item_free(it);
    return -rc;
}

void worker_wait_all(struct run *r)
{
    pthread_mutex_lock(&r->lock);
    while (r->pending > 0)
        pthread_cond_wait(&r->has_room, &r->lock);
    r->closing = 1;
    pthread_cond_broadcast(&r->has_work);
    pthread_mutex_unlock(&r->lock);
    for (unsigned i = 0; i < r->nthreads; i++)
        pthread_join(r->tids[i], NULL);
    r->nthreads = 0;
}
