#include "config.h"

#include "ratelimit.h"

int ratelimit_setup(struct ratelimit *rl, uint64_t rate)
{
    rl->rate = (double)rate;
    /* A tenth of a second's worth: small enough that any window of a
     * few seconds stays within a few percent of the rate. */
    rl->burst = rl->rate / 10;
    rl->tokens = rl->burst;
    rl->last = -1;
    return pthread_mutex_init(&rl->lock, NULL) == 0 ? 0 : -1;
}

void ratelimit_teardown(struct ratelimit *rl)
{
    pthread_mutex_destroy(&rl->lock);
}

double ratelimit_take(struct ratelimit *rl, size_t n, double now)
{
    double wait = 0;

    pthread_mutex_lock(&rl->lock);
    if (rl->last < 0)
        rl->last = now;
    if (now > rl->last) {
        rl->tokens += (now - rl->last) * rl->rate;
        if (rl->tokens > rl->burst)
            rl->tokens = rl->burst;
        rl->last = now;
    }
    rl->tokens -= (double)n;
    if (rl->tokens < 0)
        wait = -rl->tokens / rl->rate;
    pthread_mutex_unlock(&rl->lock);
    return wait;
}
