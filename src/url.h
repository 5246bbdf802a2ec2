/* Small, pure helpers on URL strings. No libcurl: these run on every
 * input line, in the main thread, and in the unit tests. */
#ifndef SALVO_URL_H
#define SALVO_URL_H

#include <stddef.h>

/* Checks that URL looks like scheme://host... with a scheme salvo
 * speaks (http, https, ftp, ftps) and no whitespace or control bytes.
 * Returns 0, or -1 with a reason in err. */
int url_check(const char *url, char *err, size_t errlen);

/* Span of the authority (after "://", before the path) without any
 * "user:pass@" part: sets *start and *len. Returns -1 if there is no
 * "://". */
int url_authority(const char *url, const char **start, size_t *len);

/* Span of the path (from the first '/' after the authority to '?', '#'
 * or the end; may be empty). */
void url_path(const char *url, const char **start, size_t *len);

/* Returns 1 if the URL's scheme is https or ftps (case-insensitive). */
int url_is_secure(const char *url);

/* Which of n shards (1..n) url belongs to: a fixed hash of the URL as
 * written, the same on every machine. */
unsigned url_shard(const char *url, unsigned n);

/* A copy of url with any "user:pass@" shown as "***@". The caller frees
 * it. NULL only when out of memory. */
char *url_masked(const char *url);

/* The one identity of url's host: "host:port" as curl_url() parses them,
 * the host lower-cased, the scheme's default port filled in (so
 * "http://H/" and "http://h:80/" are one host; an IPv6 host keeps its
 * brackets). Owned here, used as the key of the handle pool,
 * --max-per-host and host pauses. The caller frees the result; NULL when
 * curl_url() rejects url or memory runs out. Thread-safe. */
char *url_host_key(const char *url);

#endif
