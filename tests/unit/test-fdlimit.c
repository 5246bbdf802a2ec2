/* How many transfers fit in a descriptor limit. */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "../../src/fdlimit.h"
#include "../tap.h"

/* The descriptor table's size from /proc/self/status (Linux); -1 where
 * there is none. */
static long fd_table_size(void)
{
    char line[256];
    long size = -1;
    FILE *f = fopen("/proc/self/status", "r");

    if (!f)
        return -1;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, "FDSize:", 7) == 0)
            size = strtol(line + 7, NULL, 10);
    fclose(f);
    return size;
}

int main(void)
{
    long before, after;
    int fd1, fd2;
    unsigned fit128 = fdlimit_fit(200, 128);

    ok(fdlimit_fit(8, 1024) == 8, "-j 8 fits in 1024");
    ok(fdlimit_fit(1024, 1048576) == 1024, "-j 1024 fits in a million");
    ok(fdlimit_fit(1024, 1024) ==
           (1024 - FDLIMIT_RESERVE) / FDLIMIT_PER_TRANSFER,
       "-j 1024 in 1024: as many as fit");
    ok(fit128 >= 10 && fit128 < 200, "-j 200 in 128: fewer, but some");
    ok(FDLIMIT_RESERVE + fit128 * FDLIMIT_PER_TRANSFER <= 128,
       "what fits in 128 leaves the reserve");
    ok(fdlimit_fit(64, 10) == 1, "a tiny limit still runs one transfer");
    ok(fdlimit_fit(64, 0) == 1, "a zero limit still runs one transfer");
    ok(fdlimit_fit(1, 40) == 1, "never more than asked");

    ok(fdlimit_table_size(50, 0) ==
           FDLIMIT_RESERVE + 50 * FDLIMIT_PER_TRANSFER,
       "table for -j 50, no limit known");
    ok(fdlimit_table_size(50, 100) == 99, "table size stays below the limit");
    ok(fdlimit_table_size(4000000000u, 0) > 0, "a huge -j does not overflow");

    /* Sizing the table leaves no descriptor behind, and (on Linux) the
     * table is then big enough for -j 100. */
    before = fd_table_size();
    fd1 = open("/dev/null", O_RDONLY);
    close(fd1);
    fdlimit_size_table(100);
    fd2 = open("/dev/null", O_RDONLY);
    close(fd2);
    ok(fd1 >= 0 && fd1 == fd2, "no descriptor left open");
    after = fd_table_size();
    if (before < 0) {
        diag("no /proc/self/status here: the table's size is not checked");
    } else {
        struct rlimit rl;
        uint64_t limit = 0;
        char what[128];
        if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
            limit = rl.rlim_cur;
        snprintf(what, sizeof what, "table grown up front: FDSize %ld -> %ld",
                 before, after);
        ok(after > fdlimit_table_size(100, limit), what);
    }
    return done_testing();
}
