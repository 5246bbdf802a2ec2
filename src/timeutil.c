#include "config.h"

#include <time.h>

#include "timeutil.h"

double timeutil_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int timeutil_nap(double secs, atomic_int *stop)
{
    double end = timeutil_now() + secs;

    while (!atomic_load(stop)) {
        double left = end - timeutil_now();
        struct timespec ts;
        if (left <= 0)
            return 0;
        if (left > 0.05)
            left = 0.05;
        ts.tv_sec = 0;
        ts.tv_nsec = (long)(left * 1e9);
        nanosleep(&ts, NULL);
    }
    return -1;
}
