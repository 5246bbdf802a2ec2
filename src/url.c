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

int url_check(const char *url, char *err, size_t errlen)
{
    size_t slen = scheme_len(url);
    const char *host;
    size_t hlen;
    int known = 0;

    for (const unsigned char *p = (const unsigned char *)url; *p; p++) {
        if (*p <= 0x20 || *p == 0x7f) {
            snprintf(err, errlen, "not a URL (space or control byte)");
            return -1;
        }
    }
    if (slen == 0) {
        snprintf(err, errlen,
                 "not a URL (expected http://, https://, ftp:// "
                 "or ftps://)");
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
    url_authority(url, &host, &hlen);
    if (hlen == 0 || host[0] == ':') {
        snprintf(err, errlen, "no host name in URL");
        return -1;
    }
    return 0;
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
    char *host = NULL, *port = NULL, *key = NULL;
    size_t len;

    if (!u)
        return NULL;
    /* CURLU_NON_SUPPORT_SCHEME: the same parse as CURLOPT_URL(3), which
     * leaves the scheme to the protocol check. */
    if (curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) ||
        curl_url_get(u, CURLUPART_HOST, &host, 0) ||
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
    curl_url_cleanup(u);
    return key;
}
