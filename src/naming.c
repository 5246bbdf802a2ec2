#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hash.h"
#include "httpparse.h"
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

/* Percent-decodes len bytes of s into out (room for len bytes); returns
 * the decoded length. Bad escapes are kept as they are. */
static size_t pct_decode(const char *s, size_t len, char *out)
{
    size_t o = 0;

    for (size_t i = 0; i < len; i++) {
        int hi = i + 2 < len && s[i] == '%' ? hash_hexval(s[i + 1]) : -1;
        int lo = hi >= 0 ? hash_hexval(s[i + 2]) : -1;
        if (lo >= 0) {
            out[o++] = (char)(hi * 16 + lo);
            i += 2;
        } else {
            out[o++] = s[i];
        }
    }
    return o;
}

char *naming_from_url(const char *url)
{
    const char *path, *seg;
    size_t plen, slen = 0, o = 0;
    char *dec, *out;

    url_path(url, &path, &plen);
    while (plen > 0 && path[plen - 1] == '/')
        plen--;
    seg = path + plen;
    while (seg > path && seg[-1] != '/') {
        seg--;
        slen++;
    }
    dec = malloc(slen + 1);
    if (!dec)
        return NULL;
    o = pct_decode(seg, slen, dec);
    out = naming_sanitize(dec, o);
    free(dec);
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
