/* The worker pool: which item runs when, on which thread.
 *
 * The main thread queues items; worker threads take them and carry
 * each to its end (item.h), then take the next. The transfer semaphore
 * (-j slots) alone bounds transfers. Threads follow the waits: a worker
 * counts against -j only while its item is getting ready for, or
 * running, a transfer. One that waits for anything else (a backoff, a
 * Retry-After, its host's slot or pause) or finishes up (hashing,
 * renaming, reporting) does not, and while it does another worker takes
 * the next item. So whenever -j items could transfer, -j do.
 *
 * A queued item whose host is busy (--max-per-host) or paused (a 429 or
 * 503 with Retry-After) waits in its host's line without a thread, so
 * items for free hosts go past it.
 *
 * Bounds: at most 4 x -j + 64 threads; the main thread stops reading
 * while 4 x -j items are ready to go, or 16 x -j + 1024 are queued in
 * all. Memory therefore stays flat however long the list. */
#ifndef SALVO_WORKER_H
#define SALVO_WORKER_H

#include <pthread.h>
#include <stdatomic.h>

#include "checksums.h"
#include "hosts.h"
#include "item.h"
#include "names.h"
#include "naming.h"
#include "options.h"
#include "pool.h"
#include "report.h"
#include "sem.h"
#include "transfer.h"

/* Shared by all workers; owned by main, which outlives them. */
struct run {
    const struct options *opts;
    int dirfd;        /* the output directory, or -1 (a dry run, none yet) */
    struct sem slots; /* transfers in flight */
    struct pool *pool;
    struct report *report;
    const struct transfer_config *cfg;
    struct names *names;          /* claimed output names */
    const struct checksums *sums; /* --checksums, or NULL */
    int fresh; /* the directory was empty at the start (and no -c): no
                  NAME can exist but ours, which claims keep apart, so
                  there is nothing to skip and no need to look; a file
                  made there meanwhile by someone else still stops the
                  rename (link() fails with EEXIST) */
    atomic_int *stop;
    pthread_attr_t attr;
    struct item_scratch scratch; /* the main thread's, for preparing */
    struct item *phead, *ptail;  /* main's items not queued yet: they go */
    unsigned npending;           /* to the workers a batch at a time */
    unsigned pending_max;        /* that batch: min(-j, 32) */

    pthread_mutex_t lock;    /* guards everything below */
    pthread_cond_t has_work; /* idle workers wait here */
    pthread_cond_t has_room; /* the main thread waits here */
    struct hosts hosts;
    struct item *rhead, *rtail; /* ready to go, oldest first */
    struct item *dead;          /* run and reported: main frees them */
    struct host *paused;        /* hosts with items waiting for a pause */
    double paused_min;          /* the earliest end of those pauses */
    unsigned nready, nblocked;  /* queued: ready, or behind a host */
    unsigned nheld;             /* on workers */
    atomic_uint active;         /* workers counted against -j: raised under the
                                   lock, lowered without it by a worker that is
                                   done transferring (worker_leave) */
    unsigned nthreads, idle;    /* started, waiting for work */
    unsigned nwaiting;          /* in a wait that is not a transfer */
    unsigned wakeups;           /* idle workers woken, not yet awake */
    unsigned max_threads, read_ahead, max_queued;
    unsigned batch;   /* ready items that wake a worker: max(2, -j / 4) */
    int draining;     /* every item is queued: a worker that finds none
                         ready or blocked exits (none can come any more) */
    unsigned nexited; /* workers that did, not yet joined */
    int closing;      /* no more items: idle workers exit */
    int stopping;     /* a stop: queued items are reported not started */
    int main_waiting;
    pthread_t *tids; /* max_threads slots; nthreads used */
};

/* dirfd may be -1 (a dry run with no output directory yet). Returns 0
 * or -1. */
int run_setup(struct run *r, const struct options *o, int dirfd,
              struct pool *pool, struct report *rep, struct names *names,
              const struct transfer_config *cfg);
void run_teardown(struct run *r);

/* Queues it with the next min(-j, 32) items (worker_flush queues fewer
 * before a read that may block), first waiting while enough items are
 * queued; wakes or starts a worker for them. Takes ownership of it even
 * on failure (then the item is reported failed). Returns 0 or -errno.
 * Main thread only. */
int worker_start(struct run *r, struct item *it);

/* Wakes (or starts) workers for every item queued so far. The main
 * thread calls it before a read of the list that may block. */
void worker_flush(struct run *r);

/* Waits for every item to end, then joins the workers. On a stop it
 * reports the queued items as not started. Main thread only. */
void worker_wait_all(struct run *r);

/* For item.c, on the item's worker. worker_enter waits (not counted
 * against -j) until the item's host has a slot for it and is not
 * paused, then takes the slot and counts the worker: 0, or -1 on a
 * stop. worker_leave gives both back (either may be held or not). */
int worker_enter(struct run *r, struct item *it);
void worker_leave(struct run *r, struct item *it);

/* Around a wait of the item's worker that is not a transfer (a backoff)
 * or long work without one (hashing): meanwhile it does not count as a
 * thread that could transfer, and another worker may start. */
void worker_wait_begin(struct run *r);
void worker_wait_end(struct run *r);

/* The item moves on to url (a mirror): its host is now url's. Called
 * while it holds no host slot. */
void worker_rehost(struct run *r, struct item *it, const char *url);

/* Pauses new attempts to the item's host for secs (its Retry-After).
 * Returns 1 if the host was not paused already. */
int worker_pause_host(struct run *r, struct item *it, double secs);

#endif
