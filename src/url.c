#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "hash.h"
#include "url.h"

static const char *const schemes[] = {"http", "https", "ftp", "ftps"};

/* Length of the scheme if url starts with "scheme://", else 0. */
static size_t scheme_len(const char *url)
{
    size_t n = 0;

    while ((url[n] >= 'a' && url[n] <= 'z') ||
           (url[n] >= 'A' && url[n] <= 'Z') ||
           (n > 0 && ((url[n] >= '0' && url[n] <= '9') || url[n] == '+' ||
                      url[n] == '-' || url[n] == '.')))
        n++;
    if (n == 0 || strncmp(url + n, "://", 3) != 0)
        return 0;
    return n;
}

/* Whole authority span including userinfo. */
static void authority_span(const char *url, size_t slen, const char **start,
                           size_t *len)
{
    const char *a = url + slen + 3;

    *start = a;
    *len = strcspn(a, "/?#");
}

int url_authority(const char *url, const char **start, size_t *len)
{
    size_t slen = scheme_len(url);
    const char *a, *at;
    size_t alen;

    if (slen == 0)
        return -1;
    authority_span(url, slen, &a, &alen);
    at = NULL;
    for (size_t i = 0; i < alen; i++)
        if (a[i] == '@')
            at = a + i;
    if (at) {
        alen -= (size_t)(at + 1 - a);
        a = at + 1;
    }
    *start = a;
    *len = alen;
    return 0;
}

void url_path(const char *url, const char **start, size_t *len)
{
    size_t slen = scheme_len(url);
    const char *a;
    size_t alen;

    if (slen == 0) {
        *start = url + strlen(url);
        *len = 0;
        return;
    }
    authority_span(url, slen, &a, &alen);
    *start = a + alen;
    *len = (**start == '/') ? strcspn(*start, "?#") : 0;
}

/* "no scheme: did you mean https://URL?", with a long URL cut. A URL
 * whose "//" is missing or short ("http:/x") keeps its scheme. */
static void no_scheme(const char *url, char *err, size_t errlen)
{
    const char *scheme = "https";
    size_t len, n = 0;

    for (size_t i = 0; i < sizeof schemes / sizeof schemes[0]; i++) {
        size_t k = strlen(schemes[i]);
        if (strncasecmp(url, schemes[i], k) == 0 && url[k] == ':' && k > n) {
            scheme = schemes[i];
            n = k;
        }
    }
    url += n ? n + 1 : 0;
    while (*url == '/')
        url++;
    len = strlen(url);
    snprintf(err, errlen, "no scheme: did you mean %s://%.*s%s?", scheme,
             len > 200 ? 200 : (int)len, url, len > 200 ? "..." : "");
}

/* The host key of a parsed URL: "host:port", lower-cased, the default
 * port filled in. NULL when out of memory or libcurl cannot say. */
static char *key_of(CURLU *u)
{
    char *host = NULL, *port = NULL, *key = NULL;
    size_t len;

    if (curl_url_get(u, CURLUPART_HOST, &host, 0) ||
        curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT))
        goto out;
    len = strlen(host) + strlen(port) + 2;
    key = malloc(len);
    if (!key)
        goto out;
    snprintf(key, len, "%s:%s", host, port);
    /* Host names are case-insensitive (RFC 3986, section 3.2.2). */
    for (char *k = key; *k; k++)
        if (*k >= 'A' && *k <= 'Z')
            *k = (char)(*k - 'A' + 'a');
out:
    curl_free(host);
    curl_free(port);
    return key;
}

/* The facts of a parsed URL into f: 0, or -1 when out of memory. */
static int facts_from(CURLU *u, struct url_facts *f)
{
    char *path = NULL;

    f->host_key = key_of(u);
    if (curl_url_get(u, CURLUPART_PATH, &path, 0) == CURLUE_OK) {
        f->path = strdup(path);
        curl_free(path);
    }
    if (f->host_key && f->path)
        return 0;
    url_facts_clear(f);
    return -1;
}

int url_check_facts(const char *url, struct url_facts *f, char *err,
                    size_t errlen)
{
    size_t slen = scheme_len(url);
    const char *host;
    size_t hlen;
    int known = 0, rc = -1;
    CURLU *u;
    CURLUcode uc;

    for (const unsigned char *p = (const unsigned char *)url; *p; p++) {
        if (*p <= 0x20 || *p == 0x7f) {
            snprintf(err, errlen, "not a URL (space or control byte)");
            return -1;
        }
    }
    if (slen == 0) {
        no_scheme(url, err, errlen);
        return -1;
    }
    for (size_t i = 0; i < sizeof schemes / sizeof schemes[0]; i++)
        if (strlen(schemes[i]) == slen &&
            strncasecmp(url, schemes[i], slen) == 0)
            known = 1;
    if (!known) {
        snprintf(err, errlen, "unsupported scheme '%.*s'",
                 slen > 32 ? 32 : (int)slen, url);
        return -1;
    }
    /* libcurl's own parse, with the flags CURLOPT_URL(3) uses, so that a
     * line it would refuse at transfer time (a port over 65535, a bad
     * host, "a@b@host") is refused here, with its line number. */
    u = curl_url();
    if (!u) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    uc = curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME);
    if (uc != CURLUE_OK) {
        snprintf(err, errlen, "bad URL: %s", curl_url_strerror(uc));
        goto out;
    }
    url_authority(url, &host, &hlen);
    if (hlen == 0 || host[0] == ':') {
        snprintf(err, errlen, "no host name in URL");
        goto out;
    }
    rc = f ? facts_from(u, f) : 0;
    if (rc != 0)
        snprintf(err, errlen, "out of memory");
out:
    curl_url_cleanup(u);
    return rc;
}

int url_check(const char *url, char *err, size_t errlen)
{
    return url_check_facts(url, NULL, err, errlen);
}

void url_facts_clear(struct url_facts *f)
{
    free(f->host_key);
    free(f->path);
    f->host_key = f->path = NULL;
}

unsigned url_shard(const char *url, unsigned n)
{
    uint64_t h = hash_fnv(HASH_FNV_INIT, url, strlen(url));

    /* FNV's low bits mix poorly (mod 4 sees only the characters' low
     * bits); a 64-bit finaliser (MurmurHash3's fmix64) spreads them. */
    return (unsigned)(hash_mix(h) % n) + 1;
}

int url_is_secure(const char *url)
{
    size_t slen = scheme_len(url);

    return (slen == 5 && strncasecmp(url, "https", 5) == 0) ||
           (slen == 4 && strncasecmp(url, "ftps", 4) == 0);
}

char *url_masked(const char *url)
{
    size_t slen = scheme_len(url);
    const char *a, *host = NULL;
    size_t alen, hlen = 0, pre;
    char *out;

    if (slen == 0)
        return strdup(url);
    authority_span(url, slen, &a, &alen);
    if (url_authority(url, &host, &hlen) != 0 || !host || host == a)
        return strdup(url);
    /* "***@" replaces everything from the authority start to the '@'. */
    pre = (size_t)(a - url);
    hlen = strlen(host);
    out = malloc(pre + 4 + hlen + 1);
    if (!out)
        return NULL;
    snprintf(out, pre + 4 + hlen + 1, "%.*s***@%s", (int)pre, url, host);
    return out;
}

char *url_host_key(const char *url)
{
    CURLU *u = curl_url();
    char *key = NULL;

    if (!u)
        return NULL;
    /* CURLU_NON_SUPPORT_SCHEME: the same parse as CURLOPT_URL(3), which
     * leaves the scheme to the protocol check. */
    if (curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) ==
        CURLUE_OK)
        key = key_of(u);
    curl_url_cleanup(u);
    return key;
}
