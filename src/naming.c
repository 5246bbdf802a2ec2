#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hash.h"
#include "httpparse.h"
#include <curl/curl.h>

#include "naming.h"
#include "url.h"

/* Cuts a name of len > NAMING_MAX bytes in place; returns the new length. */
static size_t shorten(char *s, size_t len)
{
    const char *dot = strrchr(s, '.');
    size_t ext = dot ? len - (size_t)(dot - s) : 0;
    size_t head;

    if (ext < 2 || ext > 16)
        ext = 0;
    head = NAMING_MAX - ext;
    /* Back off over UTF-8 continuation bytes so no character is split;
     * a character has at most 3 of them, so never back off further (a
     * run of stray continuation bytes is not a character). */
    for (int i = 0;
         i < 3 && head > 0 && ((unsigned char)s[head] & 0xc0) == 0x80; i++)
        head--;
    memmove(s + head, s + len - ext, ext);
    s[head + ext] = '\0';
    return head + ext;
}

char *naming_sanitize(const char *raw, size_t len)
{
    char *s;

    if (len == 0)
        return strdup("index.html");
    s = malloc(len + 1);
    if (!s)
        return NULL;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)raw[i];
        s[i] =
            (c < 0x20 || c == 0x7f || c == '/' || c == '\\') ? '_' : (char)c;
    }
    s[len] = '\0';
    if (len > NAMING_MAX)
        len = shorten(s, len);
    /* After shortening, which can leave "." or "..". */
    if (strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
        memset(s, '_', len);
    return s;
}

/* The path of url as libcurl will request it (curl_url(3) removes dot
 * segments), or the path as written if curl_url rejects url. Sets *owned
 * (for curl_free) or leaves it NULL. */
static void request_path(const char *url, char **owned, const char **p,
                         size_t *len)
{
    CURLU *u = curl_url();

    *owned = NULL;
    if (u &&
        curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) ==
            CURLUE_OK &&
        curl_url_get(u, CURLUPART_PATH, owned, 0) == CURLUE_OK) {
        *p = *owned;
        *len = strlen(*owned);
    } else {
        url_path(url, p, len);
    }
    curl_url_cleanup(u);
}

/* The name of a request path of plen bytes: its last non-empty
 * segment, decoded and made safe. */
static char *from_path(const char *path, size_t plen)
{
    const char *seg;
    char *dec, *out = NULL;
    size_t slen = 0;
    int dlen = 0;

    while (plen > 0 && path[plen - 1] == '/')
        plen--;
    seg = path + plen;
    while (seg > path && seg[-1] != '/' && slen < INT_MAX) {
        seg--;
        slen++;
    }
    if (slen == 0)
        return naming_sanitize("", 0);
    /* Decoded once, by libcurl (curl_easy_unescape(3) ignores its handle
     * since 7.82.0); bad escapes stay as written. */
    dec = curl_easy_unescape(NULL, seg, (int)slen, &dlen);
    if (dec)
        out = naming_sanitize(dec, (size_t)dlen);
    curl_free(dec);
    return out;
}

char *naming_from_url(const char *url)
{
    const char *path;
    char *owned, *out;
    size_t plen;

    request_path(url, &owned, &path, &plen);
    out = from_path(path, plen);
    curl_free(owned);
    return out;
}

char *naming_from_path(const char *path)
{
    return from_path(path, strlen(path));
}

/* One segment of a URL path, percent-decoded once (curl_easy_unescape(3);
 * bad escapes stay as written). Sets *dec (for curl_free) and *dlen;
 * returns -1 when out of memory. */
static int decode_segment(const char *seg, size_t len, char **dec, int *dlen)
{
    *dlen = 0;
    if (len > INT_MAX)
        len = INT_MAX;
    /* A length of 0 would make libcurl take strlen(seg), the rest of
     * the path. */
    *dec = curl_easy_unescape(NULL, len ? seg : "", (int)len, dlen);
    return *dec ? 0 : -1;
}

/* Appends "/" (unless out is empty) and a naming_sanitize()d s to out
 * at *o. out has room: a sanitised name is never longer than its input,
 * except "index.html" for an empty one, which the caller counts. */
static int append_component(char *out, size_t *o, const char *s, size_t len)
{
    char *safe = naming_sanitize(s, len);
    size_t slen;

    if (!safe)
        return -1;
    slen = strlen(safe);
    if (*o > 0)
        out[(*o)++] = '/';
    memcpy(out + *o, safe, slen);
    *o += slen;
    out[*o] = '\0';
    free(safe);
    return 0;
}

/* "host" or "host:port" (a port that is not the scheme's default), from
 * u; lower-cased. The caller frees it; NULL when out of memory or when
 * u has no host. */
static char *host_folder(CURLU *u)
{
    char *host = NULL, *port = NULL, *out = NULL;
    size_t len;

    if (curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK)
        goto out;
    /* CURLU_NO_DEFAULT_PORT: "h:80" is "h", as wget names it. */
    if (curl_url_get(u, CURLUPART_PORT, &port, CURLU_NO_DEFAULT_PORT) !=
        CURLUE_OK)
        port = NULL;
    len = strlen(host) + (port ? strlen(port) + 1 : 0) + 1;
    out = malloc(len);
    if (!out)
        goto out;
    snprintf(out, len, "%s%s%s", host, port ? ":" : "", port ? port : "");
    /* Host names are case-insensitive (RFC 3986, section 3.2.2). */
    for (char *c = out; *c; c++)
        if (*c >= 'A' && *c <= 'Z')
            *c = (char)(*c - 'A' + 'a');
out:
    curl_free(host);
    curl_free(port);
    return out;
}

/* Appends the folders of path (all but its last segment), dropping
 * empty and "." ones and then the first cut; sets *last to the last
 * segment. Returns 0, -1 when out of memory, or -2 for a "..". */
static int append_folders(char *out, size_t *o, const char *path, unsigned cut,
                          const char **last)
{
    const char *seg = path;

    for (;;) {
        size_t len = strcspn(seg, "/");
        char *dec;
        int dlen, rc = 0;

        if (seg[len] == '\0') {
            *last = seg;
            return 0;
        }
        if (decode_segment(seg, len, &dec, &dlen) != 0)
            return -1;
        if (dlen == 2 && dec[0] == '.' && dec[1] == '.')
            rc = -2;
        else if (dlen == 0 || (dlen == 1 && dec[0] == '.'))
            ; /* as curl_url(3) would have dropped it */
        else if (cut > 0)
            cut--;
        else
            rc = append_component(out, o, dec, (size_t)dlen);
        curl_free(dec);
        if (rc != 0)
            return rc;
        seg += len + 1;
    }
}

/* Appends the file name: leaf, or the last segment of the path. */
static int append_leaf(char *out, size_t *o, const char *last,
                       const char *leaf)
{
    char *dec;
    int dlen, rc;

    if (leaf)
        return append_component(out, o, leaf, strlen(leaf));
    if (decode_segment(last, strlen(last), &dec, &dlen) != 0)
        return -1;
    if (dlen == 2 && dec[0] == '.' && dec[1] == '.')
        rc = -2;
    else if (dlen == 1 && dec[0] == '.')
        rc = append_component(out, o, "", 0); /* "a/." is "a/" */
    else
        rc = append_component(out, o, dec, (size_t)dlen);
    curl_free(dec);
    return rc;
}

char *naming_dirs_from_url(const char *url, int host_dir, unsigned cut,
                           const char *leaf, char *err, size_t errlen)
{
    CURLU *u = curl_url();
    char *path = NULL, *host = NULL, *out = NULL;
    const char *last = "";
    size_t o = 0, cap;
    int rc = -1;

    if (!u)
        goto oom;
    /* The path libcurl will request: curl_url(3) has removed its dot
     * segments, but not "%2e%2e", which only decoding reveals. */
    if (curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME)) {
        snprintf(err, errlen, "bad URL");
        goto out;
    }
    if (curl_url_get(u, CURLUPART_PATH, &path, 0) != CURLUE_OK)
        goto oom;
    host = host_dir ? host_folder(u) : NULL;
    if (host_dir && !host)
        goto oom;
    cap = (host ? strlen(host) : 0) + strlen(path) + 2 +
          (leaf ? strlen(leaf) : 0) + sizeof "index.html";
    out = malloc(cap);
    if (!out)
        goto oom;
    out[0] = '\0';
    if (host && append_component(out, &o, host, strlen(host)) != 0)
        goto oom;
    rc = append_folders(out, &o, path[0] == '/' ? path + 1 : path, cut, &last);
    if (rc == 0)
        rc = append_leaf(out, &o, last, leaf);
    if (rc == -2)
        snprintf(err, errlen,
                 "the URL path has a '..' folder (not followed with "
                 "--dirs-from-url)");
    else if (rc != 0)
        goto oom;
    goto out;
oom:
    rc = -1;
    snprintf(err, errlen, "out of memory");
out:
    if (rc != 0) {
        free(out);
        out = NULL;
    }
    free(host);
    curl_free(path);
    curl_url_cleanup(u);
    return out;
}

char *naming_from_disposition(const char *value)
{
    char *name = httpparse_disposition_filename(value), *out = NULL;
    const char *base;

    if (!name)
        return NULL;
    /* Only the last component: a server does not pick our folders. */
    base = name;
    for (const char *p = name; *p; p++)
        if (*p == '/' || *p == '\\')
            base = p + 1;
    /* Decoding may have put NULs in; a name stops at the first. */
    if (*base)
        out = naming_sanitize(base, strlen(base));
    free(name);
    return out;
}

char *naming_display_path(const char *dir, const char *name)
{
    size_t dlen = strlen(dir), nlen = strlen(name);
    char *p;

    if (strcmp(dir, ".") == 0)
        return strdup(name);
    while (dlen > 1 && dir[dlen - 1] == '/')
        dlen--;
    p = malloc(dlen + nlen + 2);
    if (p)
        snprintf(p, dlen + nlen + 2, "%.*s%s%s", (int)dlen, dir,
                 dir[dlen - 1] == '/' ? "" : "/", name);
    return p;
}

/* Checks one component of a user path; returns a reason or NULL. */
static const char *bad_component(const char *c, size_t len)
{
    if (len == 2 && c[0] == '.' && c[1] == '.')
        return "NAME must not contain '..'";
    if (len > NAMING_MAX)
        return "NAME has a component longer than 240 bytes";
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)c[i] < 0x20 || c[i] == 0x7f)
            return "NAME contains a control byte";
    return NULL;
}

char *naming_user_path(const char *name, const char *url, char *err,
                       size_t errlen)
{
    size_t len = strlen(name), o = 0;
    int folder = len > 0 && name[len - 1] == '/';
    char *derived = NULL, *out;

    if (name[0] == '/') {
        snprintf(err, errlen, "NAME must be a relative path");
        return NULL;
    }
    if (folder) {
        derived = naming_from_url(url);
        if (!derived)
            goto oom;
    }
    out = malloc(len + (derived ? strlen(derived) : 0) + 2);
    if (!out)
        goto oom;
    for (const char *c = name; *c;) {
        size_t clen = strcspn(c, "/");
        const char *why = bad_component(c, clen);
        if (why) {
            snprintf(err, errlen, "%s", why);
            free(out);
            free(derived);
            return NULL;
        }
        if (clen > 0 && !(clen == 1 && c[0] == '.')) {
            if (o > 0)
                out[o++] = '/';
            memcpy(out + o, c, clen);
            o += clen;
        }
        c += clen;
        while (*c == '/')
            c++;
    }
    if (derived) {
        if (o > 0)
            out[o++] = '/';
        size_t dlen = strlen(derived);
        memcpy(out + o, derived, dlen);
        o += dlen;
    }
    out[o] = '\0';
    free(derived);
    if (o == 0) {
        snprintf(err, errlen, "NAME is empty");
        free(out);
        return NULL;
    }
    return out;
oom:
    free(derived);
    snprintf(err, errlen, "out of memory");
    return NULL;
}
