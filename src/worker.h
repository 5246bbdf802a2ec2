/* Worker threads: each item runs on a worker thread of its own, which
 * takes a transfer slot from the semaphore before any network I/O. A
 * worker that has finished its item takes the next one waiting instead
 * of exiting, so a thread is started only while fewer than -j (2 x -j
 * with --max-per-host) exist, not once per URL. The main thread queues
 * items ahead, at most a window of 4 x -j queued or running. */
#ifndef SALVO_WORKER_H
#define SALVO_WORKER_H

#include <pthread.h>
#include <stdatomic.h>

#include "checksums.h"
#include "hosts.h"
#include "names.h"
#include "naming.h"
#include "options.h"
#include "pool.h"
#include "report.h"
#include "sem.h"
#include "transfer.h"

struct worker;

/* One URL to fetch. main allocates it; its worker frees it. */
struct item {
    char *url;  /* owned */
    char *name; /* owned: claimed path relative to the output dir; NULL
                   until the response names it (--content-disposition) */
    char *path; /* owned: DIR/NAME as shown to the user, or NULL */
};

/* Shared by all workers; owned by main, which outlives them. */
struct run {
    const struct options *opts;
    int dirfd;
    struct sem slots; /* transfers in flight */
    struct pool *pool;
    struct report *report;
    const struct transfer_config *cfg;
    struct names *names;          /* claimed output names */
    struct hosts *hosts;          /* --max-per-host, or NULL */
    const struct checksums *sums; /* --checksums, or NULL */
    int fresh; /* the directory was empty at the start (and no -c): no
                  NAME can exist but ours, which claims keep apart, so
                  there is nothing to skip and no need to look; a file
                  made there meanwhile by someone else still stops the
                  rename (link() fails with EEXIST) */
    atomic_int *stop;
    pthread_attr_t attr;

    pthread_mutex_t lock;    /* guards everything below */
    pthread_cond_t has_work; /* queue not empty, or closing */
    pthread_cond_t has_room; /* pending fell below the window */
    unsigned pending;        /* items queued or running */
    unsigned window;         /* bound on pending: 4 x -j */
    unsigned nthreads, idle; /* workers started, waiting for work */
    int closing;             /* no more items: idle workers exit */
    struct item **queue;     /* ring of window slots */
    unsigned head, count;    /* queued items: queue[head...] */
    pthread_t *tids;         /* 2 x -j slots; nthreads used */
};

int run_setup(struct run *r, const struct options *o, int dirfd,
              struct pool *pool, struct report *rep, struct names *names,
              const struct transfer_config *cfg);
void run_teardown(struct run *r);

/* Hands it to a worker, first waiting while the window is full (items
 * queued or running); starts a worker if no idle one is free for it
 * and fewer than the thread bound exist. Takes ownership of it even on
 * failure (then the item is reported failed). Returns 0 or -errno.
 * Main thread only. */
int worker_start(struct run *r, struct item *it);

/* Waits for every worker to finish and joins them. Main thread only. */
void worker_wait_all(struct run *r);

/* Frees an item and its strings; NULL is fine. */
void item_free(struct item *it);

#endif
