/* Time: a monotonic clock and a sleep that a stop request cuts short. */
#ifndef SALVO_TIMEUTIL_H
#define SALVO_TIMEUTIL_H

#include <stdatomic.h>

/* Seconds on a monotonic clock. */
double timeutil_now(void);

/* Sleeps secs, waking every 50 ms to look at *stop: returns -1 as soon
 * as it is set, 0 after the full time. Thread-safe. */
int timeutil_nap(double secs, atomic_int *stop);

#endif
