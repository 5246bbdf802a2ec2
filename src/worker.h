/* Worker threads: one per item, at most a window of them alive, each
 * taking a transfer slot from the semaphore before any network I/O. */
#ifndef SALVO_WORKER_H
#define SALVO_WORKER_H

#include <pthread.h>
#include <stdatomic.h>

#include "checksums.h"
#include "hosts.h"
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
    atomic_int *stop;
    pthread_attr_t attr;

    pthread_mutex_t lock; /* guards live, done */
    pthread_cond_t finished;
    unsigned live, window;
    struct worker *done; /* finished, waiting to be joined */
};

int run_setup(struct run *r, const struct options *o, int dirfd,
              struct pool *pool, struct report *rep, struct names *names,
              const struct transfer_config *cfg);
void run_teardown(struct run *r);

/* Starts a worker for it, first waiting while the window of live
 * workers is full. Takes ownership of it even on failure (then the item
 * is reported failed). Returns 0 or -errno. Main thread only. */
int worker_start(struct run *r, struct item *it);

/* Waits for every worker to finish and joins them. Main thread only. */
void worker_wait_all(struct run *r);

/* Frees an item and its strings; NULL is fine. */
void item_free(struct item *it);

#endif
