/* Parsers of bytes a server sends: Content-Range, Retry-After and the
 * file name parameters of Content-Disposition. Pure functions of their
 * input (and, for an HTTP-date, the given time), so they are unit tested
 * and fuzzed alone. Thread-safe. */
#ifndef SALVO_HTTPPARSE_H
#define SALVO_HTTPPARSE_H

#include <stdint.h>
#include <time.h>

/* Longest Retry-After salvo obeys, in seconds: a server cannot park an
 * item for hours. */
#define HTTPPARSE_RETRY_AFTER_MAX 300.0

/* A Content-Range value. Either "bytes FIRST-LAST/TOTAL" (or "/ *" for an
 * unknown total) or the unsatisfied form "bytes * /TOTAL". */
struct httpparse_range {
    int unsatisfied; /* the "bytes * /TOTAL" form: first, last unset */
    uint64_t first;  /* inclusive */
    uint64_t last;   /* inclusive, >= first */
    int total_known; /* 0: the total was "*" */
    uint64_t total;  /* > last when known */
};

/* Parses value (the header's value, surrounding blanks allowed) into r.
 * Returns 0, or -1 when it is not a well-formed byte range: a range whose
 * last byte comes before its first, or lies beyond a known total, is
 * rejected. r is unspecified after -1. */
int httpparse_content_range(const char *value, struct httpparse_range *r);

/* Parses a Retry-After value: delta-seconds, or an HTTP-date taken
 * relative to now. *secs is set to the wait in seconds, clamped to
 * [0, HTTPPARSE_RETRY_AFTER_MAX] (a date in the past is 0). Returns 0,
 * or -1 when the value is neither form (then *secs is untouched). */
int httpparse_retry_after(const char *value, time_t now, double *secs);

/* The file name a Content-Disposition value carries, decoded but not yet
 * made safe: filename* (RFC 8187: charset'lang'percent-encoded, UTF-8 or
 * ISO-8859-1, the latter converted to UTF-8) wins over filename (a token
 * or a quoted string, backslash escapes resolved). The result may hold
 * '/', '\\', control bytes or even stop early at a decoded NUL: the
 * caller sanitises it. NULL when there is no such parameter (or out of
 * memory). The caller frees the result. */
char *httpparse_disposition_filename(const char *value);

#endif
