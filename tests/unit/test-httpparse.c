/* httpparse: Content-Range, Retry-After and Content-Disposition file
 * names, as servers send them and as hostile servers might. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "../../src/httpparse.h"
#include "../tap.h"

/* A range parse and its fields, in one ok(). */
static void is_range(const char *v, int rc, int unsat, uint64_t first,
                     uint64_t last, int known, uint64_t total)
{
    struct httpparse_range r;
    int got = httpparse_content_range(v, &r);
    char what[160];

    snprintf(what, sizeof what, "Content-Range '%s'", v);
    if (rc != 0) {
        ok(got == -1, what);
        return;
    }
    if (got != 0 || r.unsatisfied != unsat || r.first != first ||
        r.last != last || r.total_known != known || r.total != total)
        printf("# got rc %d: %d %llu-%llu %d/%llu\n", got, r.unsatisfied,
               (unsigned long long)r.first, (unsigned long long)r.last,
               r.total_known, (unsigned long long)r.total);
    ok(got == 0 && r.unsatisfied == unsat && r.first == first &&
           r.last == last && r.total_known == known && r.total == total,
       what);
}

static void content_range(void)
{
    is_range("bytes 5000-9999/10000", 0, 0, 5000, 9999, 1, 10000);
    is_range("  Bytes 0-0/1\r\n", 0, 0, 0, 0, 1, 1);
    is_range("bytes 5000-5009/10000", 0, 0, 5000, 5009, 1, 10000);
    is_range("bytes 10-19/*", 0, 0, 10, 19, 0, 0);
    is_range("bytes */10000", 0, 1, 0, 0, 1, 10000);
    is_range("bytes 5 - 9 / 10", 0, 0, 5, 9, 1, 10);
    is_range("bytes 9-5/10", -1, 0, 0, 0, 0, 0);
    is_range("bytes 5-10/10", -1, 0, 0, 0, 0, 0);
    is_range("bytes 5-/10", -1, 0, 0, 0, 0, 0);
    is_range("bytes -5/10", -1, 0, 0, 0, 0, 0);
    is_range("bytes 5-9", -1, 0, 0, 0, 0, 0);
    is_range("bytes */*", -1, 0, 0, 0, 0, 0);
    is_range("bytes 5-9/10x", -1, 0, 0, 0, 0, 0);
    is_range("bytes5-9/10", -1, 0, 0, 0, 0, 0);
    is_range("items 5-9/10", -1, 0, 0, 0, 0, 0);
    is_range("", -1, 0, 0, 0, 0, 0);
    is_range("bytes 99999999999999999999-1/2", -1, 0, 0, 0, 0, 0);
    is_range("bytes 0-1/99999999999999999999", -1, 0, 0, 0, 0, 0);
}

static void is_after(const char *v, time_t now, int rc, double want)
{
    double got = -7;
    int r = httpparse_retry_after(v, now, &got);
    char what[160];

    snprintf(what, sizeof what, "Retry-After '%s'", v);
    if (r != rc || (rc == 0 && got != want))
        printf("# got rc %d, %.3f s\n", r, got);
    ok(r == rc && (rc != 0 || got == want) && (rc == 0 || got == -7), what);
}

static void retry_after(void)
{
    /* Sun, 06 Nov 1994 08:49:37 GMT */
    time_t t = 784111777;

    is_after("0", t, 0, 0);
    is_after(" 8\r\n", t, 0, 8);
    is_after("120", t, 0, 120);
    is_after("100000", t, 0, HTTPPARSE_RETRY_AFTER_MAX);
    is_after("99999999999999999999999", t, 0, HTTPPARSE_RETRY_AFTER_MAX);
    is_after("Sun, 06 Nov 1994 08:49:47 GMT", t, 0, 10);
    is_after("Sun, 06 Nov 1994 08:49:27 GMT", t, 0, 0);
    is_after("Mon, 07 Nov 1994 08:49:37 GMT", t, 0, HTTPPARSE_RETRY_AFTER_MAX);
    is_after("1.5", t, -1, 0);
    is_after("-3", t, -1, 0);
    is_after("soon", t, -1, 0);
    is_after("", t, -1, 0);
}

static void is_name(const char *v, const char *want)
{
    char *got = httpparse_disposition_filename(v);
    char what[160];

    snprintf(what, sizeof what, "Content-Disposition '%s'", v);
    if (!want)
        ok(got == NULL, what);
    else
        is_str(got, want, what);
    free(got);
}

static void disposition(void)
{
    is_name("attachment; filename=\"a b.txt\"", "a b.txt");
    is_name("attachment; filename=plain.bin", "plain.bin");
    is_name("attachment;filename = x.bin ;size=3", "x.bin");
    is_name("attachment; filename=\"q\\\"uote.txt\"", "q\"uote.txt");
    is_name("attachment; filename=\"d.bin\"; "
            "filename*=UTF-8''%E2%82%AC%20rates.txt",
            "\xe2\x82\xac rates.txt");
    is_name("attachment; FILENAME*=iso-8859-1'en'%A3.txt", "\xc2\xa3.txt");
    is_name("attachment; filename*=bad; filename=fallback.txt",
            "fallback.txt");
    is_name("attachment; filename=\"../../etc/passwd\"", "../../etc/passwd");
    is_name("attachment", NULL);
    is_name("attachment; name=x", NULL);
    is_name("inline; filename=\"unterminated", "unterminated");
}

int main(void)
{
    content_range();
    retry_after();
    disposition();
    return done_testing();
}
