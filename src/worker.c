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

static void free_dead(struct item *it);
static struct item *take_dead(struct run *r);

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
    r->batch = j / 4 > 2 ? j / 4 : 2;
    r->pending_max = j < 32 ? j : 32;
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
    free_dead(take_dead(r));
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
    /* The clock only matters once some host was paused. */
    double now = r->hosts.paused_ever ? timeutil_now() : 0;
    struct item *it;

    expire_pauses(r, now);
    while ((it = ready_pop(r)) != NULL) {
        if (r->stopping)
            return it;
        if (hosts_free(&r->hosts, it->host, now)) {
            if (r->hosts.limit) { /* slots are counted only for a limit */
                it->host->inflight++;
                it->holds_host = 1;
            }
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
static int wake_main(struct run *r)
{
    if (!r->main_waiting)
        return 0;
    if (r->stopping || r->nready + r->nblocked + r->nheld == 0 ||
        (r->nready <= r->read_ahead - r->read_ahead / 4 &&
         r->nready + r->nblocked < r->max_queued)) {
        r->main_waiting = 0;
        return 1;
    }
    return 0;
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
 * idle worker, or (when create is set) starts one below the thread
 * bound. A worker that only finishes up (a rename, a report) does not
 * ask for a new thread: it takes the next item itself a moment later;
 * one that goes into a real wait does. A woken worker that finds the
 * item gone (blocked behind its host) just goes back to sleep. Called
 * with r->lock held. */
static int kick(struct run *r, int create)
{
    unsigned j = r->opts->max_concurrent;

    if (r->nready <= r->wakeups)
        return 0;
    if (!r->stopping && atomic_load(&r->active) + r->wakeups >= j)
        return 0;
    if (r->idle > r->wakeups) {
        r->wakeups++;
        pthread_cond_signal(&r->has_work);
        return 1;
    }
    /* A new thread only while fewer than -j threads could run a transfer:
     * those in a real wait do not count; one that only finishes up will
     * be back in a moment. */
    if (create && r->nthreads < r->max_threads &&
        r->nthreads - r->nexited - r->nwaiting < j && create_thread(r) == 0) {
        r->wakeups++;
        return 1;
    }
    return 0;
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
        atomic_fetch_sub(&r->active, 1);
        it->counted = 0;
    }
}

/* Sleeps until there may be work; with items waiting for a pause, no
 * longer than until the first pause ends. Called with r->lock held. */
static void idle_wait(struct run *r)
{
    expire_pauses(r, timeutil_now());
    if (r->nready > 0 &&
        (atomic_load(&r->active) < r->opts->max_concurrent || r->stopping))
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

/* Whether nothing is left for an idle worker, ever: every item is
 * queued and none is ready or behind a host. Those that remain are on
 * workers, which carry them to the end (retries included). Called with
 * r->lock held. */
static int done_for_good(const struct run *r)
{
    return r->draining && !r->stopping && r->nready == 0 && r->nblocked == 0;
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
        int stopping, wake;
        if (atomic_load(&r->active) < j || r->stopping)
            it = take_item(r);
        if (!it) {
            if (r->closing)
                break;
            if (wake_main(r))
                pthread_cond_signal(&r->has_room);
            if (done_for_good(r)) {
                r->nexited++;
                pthread_mutex_unlock(&r->lock);
                /* Its handle would only wait for the teardown: it goes
                 * now, while other transfers still run, not after the
                 * last one. */
                pool_drop_idle(r->pool);
                return NULL;
            }
            idle_wait(r);
            continue;
        }
        stopping = r->stopping;
        r->nheld++;
        it->counted = 1;
        it->cleared = 1;
        atomic_fetch_add(&r->active, 1);
        /* More ready: this worker wakes (or starts) the next ones, so
         * that main, busy making items, wakes one per batch rather than
         * one per item. Two at a time: a start-up ramp doubles. */
        if (kick(r, 1))
            kick(r, 1);
        else if (r->idle > 0 && done_for_good(r))
            pthread_cond_broadcast(&r->has_work); /* the idle ones exit */
        wake = wake_main(r);
        pthread_mutex_unlock(&r->lock);
        /* Signalled without the lock: the main thread wakes to take it,
         * not to block on it. */
        if (wake)
            pthread_cond_signal(&r->has_room);
        {
            struct item_scratch sc;
            sc.err[0] = sc.etag[0] = sc.new_etag[0] = '\0';
            it->s = &sc;
            if (stopping)
                item_not_started(r, it);
            else
                item_run(r, it);
            it->s = NULL;
        }
        item_release(it);
        /* The end of this item and the start of the next in one go. The
         * item goes back to main, which made it: freed by the thread that
         * allocated it, it takes no malloc arena lock from main. */
        pthread_mutex_lock(&r->lock);
        finish(r, it);
        hosts_unref(&r->hosts, it->host,
                    r->hosts.paused_ever ? timeutil_now() : 0);
        it->host = NULL;
        r->nheld--;
        it->next = r->dead;
        r->dead = it;
    }
    pthread_mutex_unlock(&r->lock);
    return NULL;
}

/* Frees a list of items the workers handed back (main only). */
static void free_dead(struct item *it)
{
    while (it) {
        struct item *next = it->next;
        item_free(it);
        it = next;
    }
}

/* Takes the items the workers handed back, to free without the lock.
 * Called with r->lock held. */
static struct item *take_dead(struct run *r)
{
    struct item *dead = r->dead;

    r->dead = NULL;
    return dead;
}

int worker_enter(struct run *r, struct item *it)
{
    struct host *e = it->host;
    unsigned limit = r->hosts.limit;
    int rc = 0, shown = 0;

    /* The first attempt was cleared by the dispatch (host free, worker
     * counted): it needs no lock. */
    if (it->cleared) {
        it->cleared = 0;
        return 0;
    }
    pthread_mutex_lock(&r->lock);
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
            r->nwaiting++; /* a real wait: let another run */
            kick(r, 1);
            report_meter_wait(r->report, it->meter, "waiting for host",
                              e->pause_until > now ? e->pause_until : 0, NULL);
            shown = 1;
        }
        if (e->pause_until > now && e->pause_until < until)
            until = e->pause_until;
        ts = deadline(until - now);
        pthread_cond_timedwait(&e->changed, &r->lock, &ts);
    }
    e->waiting--;
    if (shown) {
        r->nwaiting--;
        report_meter_wait(r->report, it->meter, NULL, 0, NULL);
    }
    if (rc == 0 && limit) {
        e->inflight++;
        it->holds_host = 1;
    }
    if (rc == 0 && !it->counted) {
        atomic_fetch_add(&r->active, 1);
        it->counted = 1;
    }
    pthread_mutex_unlock(&r->lock);
    return rc;
}

void worker_leave(struct run *r, struct item *it)
{
    it->cleared = 0;
    if (!it->holds_host) {
        /* No host slot to give back (no --max-per-host): no lock. Nobody
         * is woken for the place this frees: this worker takes the next
         * item itself in a moment, or says it will wait (worker_wait_begin).
         */
        if (it->counted) {
            atomic_fetch_sub(&r->active, 1);
            it->counted = 0;
        }
        return;
    }
    pthread_mutex_lock(&r->lock);
    finish(r, it);
    kick(r, 0);
    pthread_mutex_unlock(&r->lock);
}

void worker_wait_begin(struct run *r)
{
    pthread_mutex_lock(&r->lock);
    r->nwaiting++;
    kick(r, 1);
    pthread_mutex_unlock(&r->lock);
}

void worker_wait_end(struct run *r)
{
    pthread_mutex_lock(&r->lock);
    r->nwaiting--;
    pthread_mutex_unlock(&r->lock);
}

int worker_pause_host(struct run *r, struct item *it, double secs)
{
    int fresh;

    pthread_mutex_lock(&r->lock);
    fresh = hosts_pause(&r->hosts, it->host, timeutil_now(), secs);
    pthread_mutex_unlock(&r->lock);
    return fresh;
}

/* The entry of url's host: key, curl_url's host and port (url_host_key,
 * parsed by the caller before it took the lock), the one identity the
 * handle pool uses too; the authority as written if libcurl could not
 * say (key NULL). Called with r->lock held. */
static struct host *host_of(struct run *r, const char *url, const char *key)
{
    const char *host = url;
    size_t len = 0;

    if (key) {
        host = key;
        len = strlen(key);
    } else if (url_authority(url, &host, &len) != 0) {
        len = 0;
    }
    return hosts_ref(&r->hosts, host, len,
                     r->hosts.paused_ever ? timeutil_now() : 0);
}

void worker_rehost(struct run *r, struct item *it, const char *url)
{
    struct host *e;
    char *key = url_host_key(url);

    pthread_mutex_lock(&r->lock);
    e = host_of(r, url, key);
    free(key);
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

/* Queues main's pending items in one go: first waits while enough are
 * queued, then wakes or starts a worker for them, which wakes the
 * next. Main thread only. Returns 0 or -errno. */
static int push_pending(struct run *r)
{
    struct item *batch = r->phead, *dead, *refused = NULL, *orphans = NULL;
    int rc = 0;

    r->phead = r->ptail = NULL;
    r->npending = 0;
    if (!batch)
        return 0;
    pthread_mutex_lock(&r->lock);
    while (!can_read(r) && !atomic_load(r->stop)) {
        struct timespec ts = deadline(STOP_POLL);
        r->main_waiting = 1;
        pthread_cond_timedwait(&r->has_room, &r->lock, &ts);
    }
    r->main_waiting = 0;
    while (batch) {
        struct item *it = batch;
        batch = it->next;
        it->next = NULL;
        it->host = host_of(r, it->url, it->host_key);
        free(it->host_key);
        it->host_key = NULL;
        if (!it->host) {
            it->next = refused;
            refused = it;
            continue;
        }
        ready_push(r, it);
    }
    dead = take_dead(r);
    /* Workers are woken for a few items at a time, not one each: one
     * woken takes what is there, and wakes the next (worker_main). While
     * such a wake is under way, main leaves it to that chain. */
    if ((atomic_load(&r->active) == 0 || r->nready >= r->batch) &&
        r->wakeups == 0)
        kick(r, 1);
    if (r->nthreads == 0) { /* no worker at all: nobody has taken them */
        rc = EAGAIN;
        orphans = r->rhead;
        r->rtail = NULL;
        r->rhead = NULL;
        r->nready = 0;
        for (struct item *it = orphans; it; it = it->next) {
            hosts_unref(&r->hosts, it->host, timeutil_now());
            it->host = NULL;
        }
    }
    pthread_mutex_unlock(&r->lock);
    free_dead(dead);
    while (refused) {
        struct item *it = refused;
        refused = it->next;
        refuse(r, it, "out of memory");
        rc = rc ? rc : ENOMEM;
    }
    if (orphans) {
        char err[256];
        snprintf(err, sizeof err, "cannot start a worker: %s",
                 strerror(EAGAIN));
        while (orphans) {
            struct item *it = orphans;
            orphans = it->next;
            refuse(r, it, err);
        }
    }
    return -rc;
}

int worker_start(struct run *r, struct item *it)
{
    /* The key comes from the line's one parse; else parsed here,
     * before the lock. */
    if (!it->host_key)
        it->host_key = url_host_key(it->url);
    free(it->req_path); /* named by now */
    it->req_path = NULL;
    it->next = NULL;
    if (r->ptail)
        r->ptail->next = it;
    else
        r->phead = it;
    r->ptail = it;
    /* A batch at a time: main takes the pool's lock once per batch, not
     * once per item, and is less often put to sleep by a worker that
     * holds it (at -j 64 on two cores, main waited 114 ms in 220 to run
     * again). */
    if (++r->npending >= r->pending_max)
        return push_pending(r);
    return 0;
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

void worker_flush(struct run *r)
{
    struct item *dead;

    push_pending(r);
    pthread_mutex_lock(&r->lock);
    while (kick(r, 1))
        ;
    dead = take_dead(r);
    pthread_mutex_unlock(&r->lock);
    free_dead(dead);
}

void worker_wait_all(struct run *r)
{
    push_pending(r);
    pthread_mutex_lock(&r->lock);
    r->draining = 1;
    while (kick(r, 1))
        ;
    if (r->idle > 0 && done_for_good(r))
        pthread_cond_broadcast(&r->has_work);
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
    free_dead(take_dead(r));
}
