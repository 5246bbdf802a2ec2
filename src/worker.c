#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "url.h"
#include "worker.h"

/* Small stacks: thousands of URLs must not cost gigabytes of address
 * space; libcurl and OpenSSL are comfortable in this much. */
#define WORKER_STACK ((size_t)512 * 1024)

struct worker {
    pthread_t tid;
    struct run *run;
    struct item *item; /* owned until the worker frees it */
    struct worker *next;
};

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
              struct pool *pool, struct report *rep,
              const struct transfer_config *cfg)
{
    memset(r, 0, sizeof *r);
    r->opts = o;
    r->dirfd = dirfd;
    r->pool = pool;
    r->report = rep;
    r->cfg = cfg;
    r->stop = cfg->stop;
    r->window = 2 * o->max_concurrent;
    if (sem_setup(&r->slots, o->max_concurrent) != 0)
        return -1;
    pthread_mutex_init(&r->lock, NULL);
    pthread_cond_init(&r->finished, NULL);
    pthread_attr_init(&r->attr);
    pthread_attr_setstacksize(&r->attr, WORKER_STACK);
    return 0;
}

void run_teardown(struct run *r)
{
    pthread_attr_destroy(&r->attr);
    pthread_cond_destroy(&r->finished);
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
static void commit(struct run *r, struct item *it, struct outfile *out,
                   struct result *res, char *err, size_t errlen)
{
    int rc = outfile_commit(out, r->opts->overwrite);

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
                        enum xfer_result x, const struct xfer_stats *st,
                        const char *err)
{
    char line[1536];
    long redirects = 0;
    char *final = NULL;

    curl_easy_getinfo(h, CURLINFO_REDIRECT_COUNT, &redirects);
    curl_easy_getinfo(h, CURLINFO_EFFECTIVE_URL, &final);
    if (redirects > 0 && final) {
        char *shown = url_masked(final);
        snprintf(line, sizeof line, "followed %ld redirect%s to %s", redirects,
                 redirects == 1 ? "" : "s", shown ? shown : "?");
        free(shown);
        report_verbose(r->report, it->url, line);
    }
    if (x == XFER_OK)
        snprintf(line, sizeof line, "attempt 1: HTTP %ld, %llu bytes",
                 st->http_status, (unsigned long long)st->bytes);
    else
        snprintf(line, sizeof line, "attempt 1 failed: %s", err);
    report_verbose(r->report, it->url, line);
}

/* One slot, one handle, one attempt. */
static void fetch(struct run *r, struct item *it, struct result *res,
                  char *err, size_t errlen)
{
    struct outfile out;
    struct xfer_stats st;
    enum xfer_result x;
    double t0;
    CURL *h;

    if (outfile_init(&out, r->dirfd, it->name) != 0) {
        fail(res, err, errlen, "out of memory");
        goto out;
    }
    if (sem_acquire(&r->slots) != 0) {
        fail(res, err, errlen, "interrupted before it started");
        goto out;
    }
    if (*r->stop) {
        sem_release(&r->slots);
        fail(res, err, errlen, "interrupted before it started");
        goto out;
    }
    h = pool_take(r->pool, it->url);
    if (!h) {
        sem_release(&r->slots);
        fail(res, err, errlen, "cannot create a transfer (out of memory)");
        goto out;
    }
    t0 = report_now();
    res->attempts = 1;
    if (r->opts->verbose)
        report_verbose(r->report, it->url, "starting attempt 1");
    x = transfer_run(h, r->cfg, it->url, &out, &st, err, errlen);
    if (r->opts->verbose)
        say_attempt(r, it, h, x, &st, err);
    pool_give(r->pool, h, it->url);
    sem_release(&r->slots);
    res->seconds = report_now() - t0;
    res->http_status = st.http_status;
    res->bytes = st.bytes;
    if (x == XFER_OK) {
        commit(r, it, &out, res, err, errlen);
    } else {
        /* Keep partial data for a later -c; an empty .part is noise. */
        outfile_abandon(&out, st.bytes == 0);
        fail(res, err, errlen, err);
    }
out:
    outfile_cleanup(&out);
}

/* Skips an existing file, or fetches. */
static void run_item(struct run *r, struct item *it, struct result *res,
                     char *err, size_t errlen)
{
    if (*r->stop) {
        fail(res, err, errlen, "interrupted before it started");
        return;
    }
    if (!r->opts->overwrite) {
        int ex = outfile_exists(r->dirfd, it->name);
        if (ex == 1) {
            res->status = ITEM_SKIPPED;
            return;
        }
        if (ex < 0) {
            snprintf(err, errlen, "%s: %s", it->path, strerror(-ex));
            fail(res, err, errlen, err);
            return;
        }
    }
    fetch(r, it, res, err, errlen);
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    struct run *r = w->run;
    struct item *it = w->item;
    struct result res = {.url = it->url, .path = it->path};
    char err[1024] = "";

    run_item(r, it, &res, err, sizeof err);
    report_result(r->report, &res);
    item_free(it);
    w->item = NULL;

    pthread_mutex_lock(&r->lock);
    w->next = r->done;
    r->done = w;
    r->live--;
    pthread_cond_signal(&r->finished);
    pthread_mutex_unlock(&r->lock);
    return NULL;
}

/* Joins the workers that have finished. */
static void reap(struct run *r)
{
    struct worker *list;

    pthread_mutex_lock(&r->lock);
    list = r->done;
    r->done = NULL;
    pthread_mutex_unlock(&r->lock);
    while (list) {
        struct worker *next = list->next;
        pthread_join(list->tid, NULL);
        free(list);
        list = next;
    }
}

/* Workers start with SIGINT and SIGTERM blocked, so those reach only
 * the main thread, whose read() of the list they interrupt. */
static int create_thread(struct run *r, struct worker *w)
{
    sigset_t block, old;
    int rc;

    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &block, &old);
    rc = pthread_create(&w->tid, &r->attr, worker_main, w);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return rc;
}

int worker_start(struct run *r, struct item *it)
{
    struct worker *w;
    char err[256];
    int rc;

    pthread_mutex_lock(&r->lock);
    while (r->live >= r->window)
        pthread_cond_wait(&r->finished, &r->lock);
    r->live++;
    pthread_mutex_unlock(&r->lock);
    reap(r);

    w = calloc(1, sizeof *w);
    rc = ENOMEM;
    if (w) {
        w->run = r;
        w->item = it;
        rc = create_thread(r, w);
    }
    if (rc == 0)
        return 0;
    free(w);
    pthread_mutex_lock(&r->lock);
    r->live--;
    pthread_mutex_unlock(&r->lock);
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
    while (r->live > 0)
        pthread_cond_wait(&r->finished, &r->lock);
    pthread_mutex_unlock(&r->lock);
    reap(r);
}
