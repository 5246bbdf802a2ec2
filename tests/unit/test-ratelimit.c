/* --limit-rate's token bucket, on a simulated clock: the burst, the
 * debts, the rate over windows of a few seconds, and fairness. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "../../src/ratelimit.h"
#include "../tap.h"

#define RATE 1000 /* bytes per second */
#define CHUNK 100 /* bytes per take */
#define MAX_TAKERS 16

static int near(double got, double want)
{
    return fabs(got - want) < 1e-9;
}

/* ok() on two waits, showing both when they differ. */
static void is_wait(double got, double want, const char *what)
{
    char msg[128];

    if (!near(got, want)) {
        snprintf(msg, sizeof msg, "got %.6f s, want %.6f s", got, want);
        diag(msg);
    }
    ok(near(got, want), what);
}

static void burst_then_debts(void)
{
    struct ratelimit rl;

    ok(ratelimit_setup(&rl, RATE) == 0, "setup");
    /* The burst is a tenth of a second's worth: 100 bytes. */
    is_wait(ratelimit_take(&rl, 50, 10.0), 0, "first 50 bytes are free");
    is_wait(ratelimit_take(&rl, 50, 10.0), 0, "the rest of the burst too");
    is_wait(ratelimit_take(&rl, 100, 10.0), 0.1, "then a debt of 0.1 s");
    is_wait(ratelimit_take(&rl, 100, 10.0), 0.2, "the next waits longer");
    is_wait(ratelimit_take(&rl, 100, 10.05), 0.25,
            "time that passed pays part of the debt");
    is_wait(ratelimit_take(&rl, 0, 10.05), 0.25, "a take of 0 sees the debt");
    is_wait(ratelimit_take(&rl, 100, 10.0), 0.35,
            "a clock that goes back adds no tokens");
    is_wait(ratelimit_take(&rl, 100, 100.0), 0,
            "after a long idle time, a burst is free again");
    is_wait(ratelimit_take(&rl, 1, 100.0), 0.001, "but no more than a burst");
    ratelimit_teardown(&rl);
}

/* Runs takers that each take CHUNK bytes, wait as told, then use them
 * and take again, until the clock reaches until. Records when each chunk
 * may be used in when[] (returns how many) and the bytes each taker got
 * in got[]. The earliest taker goes next; ties go to the lowest index. */
static size_t simulate(int takers, double until, double *when, size_t max,
                       double *got)
{
    struct ratelimit rl;
    double next[MAX_TAKERS] = {0};
    size_t n = 0;

    if (ratelimit_setup(&rl, RATE) != 0)
        return 0;
    for (int i = 0; i < takers; i++)
        got[i] = 0;
    while (n < max) {
        int k = 0;
        for (int i = 1; i < takers; i++)
            if (next[i] < next[k])
                k = i;
        if (next[k] >= until)
            break;
        next[k] += ratelimit_take(&rl, CHUNK, next[k]);
        when[n++] = next[k];
        got[k] += CHUNK;
    }
    ratelimit_teardown(&rl);
    return n;
}

/* Every 3 s window, starting each quarter second, gets 3 * RATE bytes
 * within 5%, the first one (with the burst) too. */
static void windows_hold_the_rate(void)
{
    enum { TAKERS = 8, SECONDS = 30, MAX = 2 * RATE * SECONDS / CHUNK };
    double *when = malloc(MAX * sizeof *when), got[TAKERS], worst = 0;
    size_t n;
    char msg[128];

    if (!ok(when != NULL, "memory"))
        return;
    n = simulate(TAKERS, SECONDS, when, MAX, got);
    ok(n > 0 && n < MAX, "simulation ran");
    for (double s = 0; s + 3 <= SECONDS; s += 0.25) {
        double bytes = 0, off;
        for (size_t i = 0; i < n; i++)
            if (when[i] >= s && when[i] < s + 3)
                bytes += CHUNK;
        off = fabs(bytes - 3.0 * RATE) / (3.0 * RATE);
        if (off > worst)
            worst = off;
    }
    snprintf(msg, sizeof msg, "%d takers: worst 3 s window %.1f%% off", TAKERS,
             worst * 100);
    diag(msg);
    ok(worst <= 0.05, "every 3 s window within 5% of 3 * rate");
    free(when);
}

static void takers_share_fairly(void)
{
    enum { TAKERS = 4, SECONDS = 60, MAX = 2 * RATE * SECONDS / CHUNK };
    double *when = malloc(MAX * sizeof *when), got[TAKERS], total = 0;
    int fair = 1;
    char msg[128];

    if (!ok(when != NULL, "memory"))
        return;
    simulate(TAKERS, SECONDS, when, MAX, got);
    for (int i = 0; i < TAKERS; i++)
        total += got[i];
    for (int i = 0; i < TAKERS; i++) {
        snprintf(msg, sizeof msg, "taker %d: %.0f of %.0f bytes", i, got[i],
                 total);
        diag(msg);
        if (fabs(got[i] - total / TAKERS) > 0.1 * total / TAKERS)
            fair = 0;
    }
    ok(total > 0 && fair, "4 takers each get within 10% of a quarter");
    free(when);
}

int main(void)
{
    burst_then_debts();
    windows_hold_the_rate();
    takers_share_fairly();
    return done_testing();
}
