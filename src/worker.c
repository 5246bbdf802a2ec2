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

/* How often a waiting thread looks at the stop flag. */
#define STOP_POLL 0.2

int run_setup(struct run *r, const struct options *o, int dirfd,
              struct pool *pool, struct report *rep, struct names *names,
              const struct transfer_config *cfg)
{
    unsigned j = o->max_concurrent;

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
    r->max_threads = 4 * j + 64;
    r->read_ahead = 4 * j;
    r->max_queued = 16 * j + 1024;
    r->tids = calloc(r->max_threads, sizeof *r->tids);
    if (!r->tids)
        return -1;
    if (sem_setup(&r->slots, j) != 0) {
        free(r->tids);
        return -1;
    }
    if (hosts_setup(&r->hosts, o->max_per_host) != 0) {
        sem_teardown(&r->slots);
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
    hosts_teardown(&r->hosts);
    free(r->tids);
    pthread_mutex_destroy(&r->lock);
    sem_teardown(&r->slots);
}

/* An absolute CLOCK_REALTIME time secs from now, for timed waits. */
static struct timespec deadline(double secs)
{
    struct timespec ts;

    if (secs < 0.001)
        secs = 0.001;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += (time_t)secs;
    ts.tv_nsec += (long)((secs - (double)(time_t)secs) * 1e9);
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    return ts;
}

static void ready_push(struct run *r, struct item *it)
{
    it->next = NULL;
    if (r->rtail)
        r->rtail->next = it;
    else
        r->rhead = it;
    r->rtail = it;
    r->nready++;
}

/* Blocked items go back to the front: they are older than the rest. */
static void ready_push_front(struct run *r, struct item *it)
{
    it->next = r->rhead;
    r->rhead = it;
    if (!r->rtail)
        r->rtail = it;
    r->nready++;
}

static struct item *ready_pop(struct run *r)
{
    struct item *it = r->rhead;

    if (!it)
        return NULL;
    r->rhead = it->next;
    if (!r->rhead)
        r->rtail = NULL;
    it->next = NULL;
    r->nready--;
    return it;
}

/* Moves every item blocked behind e back to the front of the ready
 * queue, in their order. */
static void unblock_all(struct run *r, struct host *e)
{
    struct item *first = e->bhead, *last = e->btail;

    if (!first)
        return;
    r->nready += e->nblocked;
    r->nblocked -= e->nblocked;
    last->next = r->rhead;
    r->rhead = first;
    if (!r->rtail)
        r->rtail = last;
    e->bhead = e->btail = NULL;
    e->nblocked = 0;
}

/* Hosts whose pause is over let their blocked items go. */
static void expire_pauses(struct run *r, double now)
{
    struct host **p = &r->paused;

    if (!r->paused || now < r->paused_min)
        return;
    r->paused_min = 0;
    while (*p) {
        struct host *e = *p;
        if (e->pause_until <= now) {
            *p = e->pnext;
            e->pnext = NULL;
            e->on_paused = 0;
            unblock_all(r, e);
            pthread_cond_broadcast(&e->changed);
            continue;
        }
        if (r->paused_min == 0 || e->pause_until < r->paused_min)
            r->paused_min = e->pause_until;
        p = &e->pnext;
    }
}

/* Remembers that e has items waiting for its pause to end. Only
 * expire_pauses (or a stop) lets them go: so while e is on the list its
 * blocked items keep a reference to it. */
static void note_paused(struct run *r, struct host *e)
{
    if (e->on_paused)
        return;
    e->on_paused = 1;
    e->pnext = r->paused;
    r->paused = e;
    if (r->paused_min == 0 || e->pause_until < r->paused_min)
        r->paused_min = e->pause_until;
}

/* The next item that may run now, with its host's slot taken; items
 * whose host is busy or paused are set aside in its line on the way.
 * NULL if there is none. On a stop any item goes, to be reported. */
static struct item *take_item(struct run *r)
{
    double now = timeutil_now();
    struct item *it;

    expire_pauses(r, now);
    while ((it = ready_pop(r)) != NULL) {
        if (r->stopping)
            return it;
        if (hosts_free(&r->hosts, it->host, now)) {
            it->host->inflight++;
            it->holds_host = 1;
            return it;
        }
        hosts_block(it->host, it);
        r->nblocked++;
        if (it->host->pause_until > now)
            note_paused(r, it->host);
    }
    return NULL;
}

static int can_read(const struct run *r)
{
    return r->stopping || (r->nready < r->read_ahead &&
                           r->nready + r->nblocked < r->max_queued);
}

/* Once the main thread found no room it sleeps until the ready queue is
 * down to three quarters: it is woken once per -j items or so, not per
 * item, and refills before the workers run dry. */
static void wake_main(struct run *r)
{
    if (!r->main_waiting)
        return;
    if (r->stopping || r->nready + r->nblocked + r->nheld == 0 ||
        (r->nready <= r->read_ahead - r->read_ahead / 4 &&
         r->nready + r->nblocked < r->max_queued)) {
        r->main_waiting = 0;
        pthread_cond_signal(&r->has_room);
    }
}

static void *worker_main(void *arg);

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

/* If an item is ready and a counted worker is free to run it, wakes an
 * idle worker or starts one (below the thread bound). A woken worker
 * that finds the item gone (blocked behind its host) just goes back to
 * sleep. Called with r->lock held. */
static void kick(struct run *r)
{
    unsigned j = r->opts->max_concurrent;

    if (r->nready == 0)
        return;
    if (!r->stopping && r->active + r->wakeups >= j)
        return;
    if (r->idle > r->wakeups) {
        r->wakeups++;
        pthread_cond_signal(&r->has_work);
    } else if (r->nthreads < r->max_threads && create_thread(r) == 0) {
        r->wakeups++;
    }
}

/* Ends what an item holds in the pool; it is done. Called with r->lock
 * held. */
static void finish(struct run *r, struct item *it)
{
    if (it->holds_host) {
        it->host->inflight--;
        it->holds_host = 0;
        if (it->host->waiting) {
            pthread_cond_signal(&it->host->changed);
        } else if (it->host->bhead && !it->host->on_paused &&
                   hosts_free(&r->hosts, it->host, timeutil_now())) {
            ready_push_front(r, hosts_unblock(it->host));
            r->nblocked--;
        }
    }
    if (it->counted) {
        r->active--;
        it->counted = 0;
    }
}

/* Sleeps until there may be work; with items waiting for a pause, no
 * longer than until the first pause ends. Called with r->lock held. */
static void idle_wait(struct run *r)
{
    expire_pauses(r, timeutil_now());
    if (r->nready > 0 && (r->active < r->opts->max_concurrent || r->stopping))
        return; /* a pause ended: go and take one */
    r->idle++;
    if (r->paused) {
        struct timespec ts = deadline(r->paused_min - timeutil_now() + 0.001);
        pthread_cond_timedwait(&r->has_work, &r->lock, &ts);
    } else {
        pthread_cond_wait(&r->has_work, &r->lock);
    }
    r->idle--;
    if (r->wakeups > 0)
        r->wakeups--;
}

static void *worker_main(void *arg)
{
    struct run *r = arg;
    unsigned j = r->opts->max_concurrent;

    pthread_mutex_lock(&r->lock);
    if (r->wakeups > 0) /* started for an item: this was its wake-up */
        r->wakeups--;
    for (;;) {
        struct item *it = NULL;
        int stopping;
        if (r->active < j || r->stopping)
            it = take_item(r);
        if (!it) {
            if (r->closing)
                break;
            idle_wait(r);
            continue;
        }
        stopping = r->stopping;
        r->nheld++;
        it->counted = 1;
        r->active++;
        kick(r);
        wake_main(r);
        pthread_mutex_unlock(&r->lock);
        if (stopping)
            item_not_started(r, it);
        else
            item_run(r, it);
        pthread_mutex_lock(&r->lock);
        finish(r, it);
        hosts_unref(&r->hosts, it->host, timeutil_now());
        it->host = NULL;
        r->nheld--;
        kick(r);
        wake_main(r);
        pthread_mutex_unlock(&r->lock);
        item_free(it);
        pthread_mutex_lock(&r->lock);
    }
    pthread_mutex_unlock(&r->lock);
    return NULL;
}

int worker_enter(struct run *r, struct item *it)
{
    struct host *e = it->host;
    unsigned limit = r->hosts.limit;
    int rc = 0;

    pthread_mutex_lock(&r->lock);
    if (!it->holds_host) {
        int shown = 0;
        e->waiting++;
        for (;;) {
            double now = timeutil_now(), until = now + STOP_POLL;
            struct timespec ts;
            if (r->stopping || atomic_load(r->stop)) {
                rc = -1;
                break;
            }
            if (e->pause_until <= now && (!limit || e->inflight < limit))
                break;
            if (!shown) {
                report_meter_wait(r->report, it->meter, "waiting for host",
                                  e->pause_until > now ? e->pause_until : 0,
                                  NULL);
                shown = 1;
            }
            if (e->pause_until > now && e->pause_until < until)
                until = e->pause_until;
            ts = deadline(until - now);
            pthread_cond_timedwait(&e->changed, &r->lock, &ts);
        }
        e->waiting--;
        if (shown)
            report_meter_wait(r->report, it->meter, NULL, 0, NULL);
        if (rc == 0) {
            e->inflight++;
            it->holds_host = 1;
        }
    }
    if (rc == 0 && !it->counted) {
        r->active++;
        it->counted = 1;
    }
    pthread_mutex_unlock(&r->lock);
    return rc;
}

void worker_leave(struct run *r, struct item *it)
{
    pthread_mutex_lock(&r->lock);
    finish(r, it);
    kick(r);
    pthread_mutex_unlock(&r->lock);
}

int worker_pause_host(struct run *r, struct item *it, double secs)
{
    int fresh;

    pthread_mutex_lock(&r->lock);
    fresh = hosts_pause(it->host, timeutil_now(), secs);
    pthread_mutex_unlock(&r->lock);
    return fresh;
}

/* The entry of url's host: curl_url's host and port (url_host_key), the
 * one identity the handle pool uses too; the authority as written if
 * libcurl cannot say. */
static struct host *host_of(struct run *r, const char *url)
{
    char *key = url_host_key(url);
    const char *host = url;
    size_t len = 0;
    struct host *e;

    if (key) {
        host = key;
        len = strlen(key);
    } else if (url_authority(url, &host, &len) != 0) {
        len = 0;
    }
    e = hosts_ref(&r->hosts, host, len, timeutil_now());
    free(key);
    return e;
}

void worker_rehost(struct run *r, struct item *it, const char *url)
{
    struct host *e;

    pthread_mutex_lock(&r->lock);
    e = host_of(r, url);
    if (e) { /* out of memory: the old host's limits will do */
        hosts_unref(&r->hosts, it->host, timeutil_now());
        it->host = e;
    }
    pthread_mutex_unlock(&r->lock);
}

/* Reports it failed with why and frees it. */
static void refuse(struct run *r, struct item *it, const char *why)
{
    struct result res = {.url = it->url,
                         .path = it->path,
                         .status = ITEM_FAILED,
                         .error = why,
                         .lineno = it->lineno};

    report_result(r->report, &res);
    item_free(it);
}

int worker_start(struct run *r, struct item *it)
{
    char err[256];
    int rc = 0;

    pthread_mutex_lock(&r->lock);
    while (!can_read(r) && !atomic_load(r->stop)) {
        struct timespec ts = deadline(STOP_POLL);
        r->main_waiting = 1;
        pthread_cond_timedwait(&r->has_room, &r->lock, &ts);
    }
    r->main_waiting = 0;
    it->host = host_of(r, it->url);
    if (!it->host) {
        pthread_mutex_unlock(&r->lock);
        refuse(r, it, "out of memory");
        return -ENOMEM;
    }
    ready_push(r, it);
    kick(r);
    if (r->nthreads == 0) { /* no worker at all: nobody has taken it */
        rc = EAGAIN;
        r->rtail = NULL;
        r->rhead = NULL;
        r->nready = 0;
        hosts_unref(&r->hosts, it->host, timeutil_now());
        it->host = NULL;
    }
    pthread_mutex_unlock(&r->lock);
    if (rc == 0)
        return 0;
    snprintf(err, sizeof err, "cannot start a worker: %s", strerror(rc));
    refuse(r, it, err);
    return -rc;
}

/* A stop: every queued item is let go, to be reported not started,
 * and every waiting worker is woken. Called with r->lock held. */
static void stop_all(struct run *r)
{
    r->stopping = 1;
    sem_shutdown(&r->slots);
    for (size_t i = 0; i < r->hosts.cap; i++)
        for (struct host *e = r->hosts.table[i]; e; e = e->chain) {
            e->on_paused = 0;
            e->pnext = NULL;
            unblock_all(r, e);
            pthread_cond_broadcast(&e->changed);
        }
    r->paused = NULL;
    pthread_cond_broadcast(&r->has_work);
    while (r->nready > 0 && r->idle + r->wakeups < r->nready &&
           r->nthreads < r->max_threads && create_thread(r) == 0)
        r->wakeups++;
}

void worker_wait_all(struct run *r)
{
    pthread_mutex_lock(&r->lock);
    while (r->nready + r->nblocked + r->nheld > 0) {
        struct timespec ts = deadline(STOP_POLL);
        if (atomic_load(r->stop) && !r->stopping)
            stop_all(r);
        r->main_waiting = 1;
        pthread_cond_timedwait(&r->has_room, &r->lock, &ts);
    }
    r->main_waiting = 0;
    r->closing = 1;
    pthread_cond_broadcast(&r->has_work);
    pthread_mutex_unlock(&r->lock);
    for (unsigned i = 0; i < r->nthreads; i++)
        pthread_join(r->tids[i], NULL);
    r->nthreads = 0;
}
