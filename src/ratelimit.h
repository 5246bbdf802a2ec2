/* --limit-rate: one token bucket shared by every transfer, so the total
 * rate holds however many transfers run (libcurl's per-handle limit
 * cannot do that). */
#ifndef SALVO_RATELIMIT_H
#define SALVO_RATELIMIT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

struct ratelimit {
    pthread_mutex_t lock; /* guards tokens, last */
    double rate;          /* bytes per second */
    double burst;         /* most tokens that can pile up */
    double tokens;        /* may go below zero: a debt being slept off */
    double last;          /* when tokens was last topped up */
};

int ratelimit_setup(struct ratelimit *rl, uint64_t rate);
void ratelimit_teardown(struct ratelimit *rl);

/* How long the caller must wait before using n more bytes: takes them
 * from the bucket at once (in arrival order, so transfers share the
 * rate fairly) and returns the debt in seconds (0 if none). now is a
 * monotonic time in seconds. Thread-safe; never sleeps itself. */
double ratelimit_take(struct ratelimit *rl, size_t n, double now);

#endif
