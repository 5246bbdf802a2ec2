/* Facts about URLs. url_check and url_host_key parse with libcurl's
 * curl_url(3), so that salvo and libcurl agree on what a URL is; the span
 * helpers work on the string as written. No easy handle, no network:
 * these run on every input line and in the unit tests. */
#ifndef SALVO_URL_H
#define SALVO_URL_H

#include <stddef.h>

/* Checks that url is scheme://host... with a scheme salvo speaks (http,
 * https, ftp, ftps), no whitespace or control bytes, and that curl_url(3)
 * accepts it as CURLOPT_URL(3) would (port, host, userinfo). Returns 0,
 * or -1 with a reason in err: without "://" that is "no scheme: did you
 * mean https://URL?". Thread-safe. */
int url_check(const char *url, char *err, size_t errlen);

/* What one parse of a URL tells: its host key (see url_host_key) and
 * the path libcurl will request (dot segments removed), both owned. */
struct url_facts {
    char *host_key;
    char *path;
};

/* url_check, and on success fills f (when not NULL) from the same
 * parse, so that a line's URL is parsed once. url_facts_clear frees. */
int url_check_facts(const char *url, struct url_facts *f, char *err,
                    size_t errlen);
void url_facts_clear(struct url_facts *f);

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
