#include "config.h"

#include <fcntl.h>
#include <limits.h>
#include <unistd.h>
#include <sys/resource.h>

#include "fdlimit.h"

unsigned fdlimit_fit(unsigned want, uint64_t limit)
{
    uint64_t fit;

    if (limit <= FDLIMIT_RESERVE + FDLIMIT_PER_TRANSFER)
        return 1;
    fit = (limit - FDLIMIT_RESERVE) / FDLIMIT_PER_TRANSFER;
    return fit < want ? (unsigned)fit : want;
}

/* The soft limit after raising it as far as allowed; RLIM_INFINITY for
 * none, 0 if it cannot be read. */
static rlim_t raise_limit(void)
{
    struct rlimit rl, want;

    if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
        return 0;
    if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= rl.rlim_max)
        return rl.rlim_cur;
    want = rl;
    want.rlim_cur = rl.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &want) == 0)
        return want.rlim_cur;
#ifdef OPEN_MAX
    /* macOS refuses a soft limit above OPEN_MAX, even when the hard one
     * is unlimited (setrlimit(2) there). */
    if (rl.rlim_max > OPEN_MAX && rl.rlim_cur < OPEN_MAX) {
        want.rlim_cur = OPEN_MAX;
        if (setrlimit(RLIMIT_NOFILE, &want) == 0)
            return want.rlim_cur;
    }
#endif
    return rl.rlim_cur;
}

unsigned fdlimit_apply(const struct options *o, FILE *err)
{
    rlim_t limit = raise_limit();
    unsigned fit;

    if (limit == 0 || limit == RLIM_INFINITY)
        return o->max_concurrent;
    fit = fdlimit_fit(o->max_concurrent, (uint64_t)limit);
    if (fit < o->max_concurrent && !o->quiet && !o->dry_run &&
        (o->verbose || o->max_concurrent_set))
        fprintf(err,
                "salvo: %srunning %u transfer%s at once, not %u: %llu open "
                "files are allowed (ulimit -n), about %d per transfer\n",
                o->max_concurrent_set ? "warning: " : "", fit,
                fit == 1 ? "" : "s", o->max_concurrent,
                (unsigned long long)limit, FDLIMIT_PER_TRANSFER);
    return fit;
}

int fdlimit_table_size(unsigned transfers, uint64_t limit)
{
    uint64_t want =
        FDLIMIT_RESERVE + (uint64_t)transfers * FDLIMIT_PER_TRANSFER;

    if (limit > 0 && want > limit - 1)
        want = limit - 1;
    return want > INT_MAX ? INT_MAX : (int)want;
}

/* A descriptor table grows when a descriptor above its size is opened,
 * and never shrinks. In a process with more than one thread, Linux
 * waits for an RCU grace period on each growth (expand_fdtable() in
 * fs/file.c: "if (atomic_read(&files->count) > 1) synchronize_rcu()"),
 * 10 to 30 ms here, and every thread that opens a socket or a file
 * meanwhile waits too: at -j 50 the first requests went out in three
 * bursts 12 ms apart. One dup above the size needed, made while there
 * is one thread, grows the table once at no such cost. F_DUPFD is
 * POSIX; elsewhere it only costs a dup and a close. */
void fdlimit_size_table(unsigned transfers)
{
    struct rlimit rl;
    uint64_t limit = 0;
    int fd;

    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
        limit = (uint64_t)rl.rlim_cur;
    fd = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC,
               fdlimit_table_size(transfers, limit));
    if (fd >= 0)
        close(fd);
}
