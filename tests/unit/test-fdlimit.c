/* How many transfers fit in a descriptor limit. */
#include "config.h"

#include <stdio.h>

#include "../../src/fdlimit.h"
#include "../tap.h"

int main(void)
{
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
    return done_testing();
}
