/* A tiny TAP producer for the unit tests (run by automake's
 * tap-driver.sh). Header-only: each test is one small program. */
#ifndef SALVO_TAP_H
#define SALVO_TAP_H

#include <stdio.h>
#include <string.h>

static int tap_n;
static int tap_failed;

/* Prints "ok N - what" or "not ok N - what"; returns cond. */
static inline int ok(int cond, const char *what)
{
    printf("%sok %d - %s\n", cond ? "" : "not ", ++tap_n, what);
    if (!cond)
        tap_failed++;
    fflush(stdout);
    return cond;
}

static inline void diag(const char *msg)
{
    printf("# %s\n", msg);
}

/* ok() on two strings, showing both when they differ. */
static inline int is_str(const char *got, const char *want, const char *what)
{
    int same = got && want && strcmp(got, want) == 0;

    if (!same) {
        printf("# got:  '%s'\n# want: '%s'\n", got ? got : "(null)",
               want ? want : "(null)");
    }
    return ok(same, what);
}

/* Prints the plan (after the tests: TAP allows it) and the exit code. */
static int done_testing(void)
{
    printf("1..%d\n", tap_n);
    return tap_failed ? 1 : 0;
}

#endif
