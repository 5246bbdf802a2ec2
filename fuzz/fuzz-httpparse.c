/* Fuzz target for src/httpparse.c, the parsers of server bytes. The
 * input, as a C string, is given to each parser as a header value:
 * - a Content-Range that parses is self-consistent (first <= last, last
 *   < total when the total is known), and printing it back and parsing
 *   again gives the same range;
 * - a Retry-After that parses is a wait within [0, the cap], and a value
 *   of plain digits always parses;
 * - a Content-Disposition file name is no longer than the value (with
 *   room for ISO-8859-1 doubling), and filename= with no filename*
 *   quoted around a name without '"', '\\' or ';' comes back as it is. */
#include "config.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/httpparse.h"
#include "fuzz.h"

static void check_range(const char *s)
{
    struct httpparse_range r, again;
    char buf[128];

    if (httpparse_content_range(s, &r) != 0)
        return;
    if (r.unsatisfied) {
        FUZZ_CHECK(r.total_known);
        snprintf(buf, sizeof buf, "bytes */%" PRIu64, r.total);
    } else {
        FUZZ_CHECK(r.first <= r.last);
        if (r.total_known) {
            FUZZ_CHECK(r.last < r.total);
            snprintf(buf, sizeof buf, "bytes %" PRIu64 "-%" PRIu64 "/%" PRIu64,
                     r.first, r.last, r.total);
        } else {
            snprintf(buf, sizeof buf, "bytes %" PRIu64 "-%" PRIu64 "/*",
                     r.first, r.last);
        }
    }
    FUZZ_CHECK(httpparse_content_range(buf, &again) == 0);
    FUZZ_CHECK(again.unsatisfied == r.unsatisfied && again.first == r.first &&
               again.last == r.last && again.total_known == r.total_known &&
               again.total == r.total);
}

static void check_retry_after(const char *s)
{
    double secs = -1;
    size_t n = strspn(s, "0123456789");

    if (httpparse_retry_after(s, 1000000000, &secs) == 0)
        FUZZ_CHECK(secs >= 0 && secs <= HTTPPARSE_RETRY_AFTER_MAX);
    else
        FUZZ_CHECK(secs == -1);
    if (n > 0 && s[n] == '\0')
        FUZZ_CHECK(httpparse_retry_after(s, 0, &secs) == 0);
}

static void check_disposition(const char *s)
{
    char *got = httpparse_disposition_filename(s), *value;
    size_t len = strlen(s);

    if (got) {
        FUZZ_CHECK(strlen(got) <= 2 * len);
        free(got);
    }
    if (strpbrk(s, "\"\\;"))
        return;
    value = malloc(len + sizeof "attachment; filename=\"\"");
    if (!value)
        return;
    sprintf(value, "attachment; filename=\"%s\"", s);
    got = httpparse_disposition_filename(value);
    FUZZ_CHECK(got && strcmp(got, s) == 0);
    free(got);
    free(value);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *str = fuzz_strdup(data, size);

    if (!str)
        return 0;
    check_range(str);
    check_retry_after(str);
    check_disposition(str);
    free(str);
    return 0;
}
