/* --shard: url_shard spreads URLs evenly and the same way every time. */
#include "config.h"

#include <stdio.h>

#include "../../src/url.h"
#include "../tap.h"

#define NURLS 10000

/* Lists of distinct URLs, as people have them. */
static void url_number(char *buf, size_t len, int i)
{
    snprintf(buf, len, "https://example.com/data/part-%05d.bin", i);
}

static void url_host(char *buf, size_t len, int i)
{
    snprintf(buf, len, "http://mirror%d.example.org/pub/file.tar.gz", i);
}

static void url_hex(char *buf, size_t len, int i)
{
    snprintf(buf, len, "https://cdn.example.net/img/%x.jpg", (unsigned)i);
}

/* Every shard in 1..n, for n from 1 to 50 and many URLs. */
static void in_range(void)
{
    char url[128];
    int good = 1;

    for (unsigned n = 1; n <= 50; n++) {
        for (int i = 0; i < 1000; i++) {
            unsigned s;
            url_number(url, sizeof url, i);
            s = url_shard(url, n);
            if (s < 1 || s > n)
                good = 0;
        }
    }
    ok(good, "shard in 1..n for n = 1..50");
    ok(url_shard("", 7) >= 1 && url_shard("", 7) <= 7, "empty URL too");
    ok(url_shard("http://h/", 1000000) <= 1000000, "n = 1000000");
}

/* Shard sizes for n over NURLS URLs made by make, each between 80% and
 * 120% of an even share (20% to 30% for n = 4). */
static void even(void (*make)(char *, size_t, int), unsigned n,
                 const char *what)
{
    unsigned count[16] = {0};
    char url[128], msg[160];
    int good = 1;

    for (int i = 0; i < NURLS; i++) {
        make(url, sizeof url, i);
        count[url_shard(url, n) - 1]++;
    }
    for (unsigned s = 0; s < n; s++) {
        double share = (double)count[s] / NURLS;
        snprintf(msg, sizeof msg, "%s: shard %u/%u has %.1f%%", what, s + 1, n,
                 share * 100);
        diag(msg);
        if (share < 0.8 / n || share > 1.2 / n)
            good = 0;
    }
    ok(good, what);
}

static void stable(void)
{
    char url[128];
    int same = 1;

    for (int i = 0; i < NURLS; i++) {
        unsigned s;
        url_number(url, sizeof url, i);
        s = url_shard(url, 4);
        for (int k = 0; k < 3; k++)
            if (url_shard(url, 4) != s)
                same = 0;
    }
    ok(same, "the same URL always gives the same shard");
    /* Fixed values (64-bit FNV-1a, then MurmurHash3's fmix64): hosts that
     * split one list must agree, so a change of hash must be deliberate. */
    ok(url_shard("https://example.com/a", 4) == 1, "fixed value (a)");
    ok(url_shard("https://example.com/b", 4) == 1, "fixed value (b)");
    ok(url_shard("http://h/x.iso", 1000000) == 123180,
       "fixed value (n large)");
    ok(url_shard("", 4) == 3, "fixed value (empty URL)");
}

static void one_shard(void)
{
    char url[128];
    int all_one = 1;

    for (int i = 0; i < NURLS; i++) {
        url_number(url, sizeof url, i);
        if (url_shard(url, 1) != 1)
            all_one = 0;
    }
    ok(all_one && url_shard("", 1) == 1, "n = 1 is always shard 1");
}

int main(void)
{
    in_range();
    even(url_number, 4, "n = 4, numbered files: each 20% to 30%");
    even(url_host, 4, "n = 4, numbered hosts: each 20% to 30%");
    even(url_hex, 4, "n = 4, hex names: each 20% to 30%");
    even(url_number, 3, "n = 3: each within 20% of a third");
    even(url_number, 16, "n = 16: each within 20% of a sixteenth");
    stable();
    one_shard();
    return done_testing();
}
