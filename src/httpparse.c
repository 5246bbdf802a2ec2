#include "config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "httpparse.h"

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

static const char *skip_blanks(const char *s)
{
    while (is_blank(*s))
        s++;
    return s;
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Reads a run of decimal digits at *s into *v, advancing *s. Returns -1
 * if there is none or it does not fit in 63 bits (no length in a real
 * header comes near). */
static int read_number(const char **s, uint64_t *v)
{
    const char *p = *s;
    uint64_t n = 0;

    if (!is_digit(*p))
        return -1;
    for (; is_digit(*p); p++) {
        if (n > (UINT64_C(1) << 62) / 10)
            return -1;
        n = n * 10 + (uint64_t)(*p - '0');
    }
    *s = p;
    *v = n;
    return 0;
}

/* Only blanks and a line end may follow a value. */
static int at_end(const char *s)
{
    s = skip_blanks(s);
    while (*s == '\r' || *s == '\n')
        s++;
    return *s == '\0';
}

int httpparse_content_range(const char *v, struct httpparse_range *r)
{
    memset(r, 0, sizeof *r);
    v = skip_blanks(v);
    if (strncasecmp(v, "bytes", 5) != 0 || !is_blank(v[5]))
        return -1;
    v = skip_blanks(v + 5);
    if (*v == '*') {
        r->unsatisfied = 1;
        v = skip_blanks(v + 1);
    } else {
        if (read_number(&v, &r->first) != 0)
            return -1;
        v = skip_blanks(v);
        if (*v++ != '-')
            return -1;
        v = skip_blanks(v);
        if (read_number(&v, &r->last) != 0 || r->last < r->first)
            return -1;
        v = skip_blanks(v);
    }
    if (*v++ != '/')
        return -1;
    v = skip_blanks(v);
    if (*v == '*' && !r->unsatisfied) {
        v++; /* "FIRST-LAST/ *": the total is not known */
    } else {
        if (read_number(&v, &r->total) != 0)
            return -1;
        r->total_known = 1;
        if (!r->unsatisfied && r->last >= r->total)
            return -1;
    }
    return at_end(v) ? 0 : -1;
}

int httpparse_retry_after(const char *v, time_t now, double *secs)
{
    const char *p = skip_blanks(v);
    uint64_t n;
    double s;

    if (is_digit(*p)) {
        /* delta-seconds: digits only (RFC 9110, 10.2.3) */
        if (read_number(&p, &n) != 0) {
            s = HTTPPARSE_RETRY_AFTER_MAX; /* absurdly large: the cap */
        } else {
            if (!at_end(p))
                return -1;
            s = (double)n;
        }
    } else {
        time_t when = curl_getdate(p, &now);
        if (when == -1)
            return -1;
        s = difftime(when, now);
    }
    if (!(s >= 0))
        s = 0;
    *secs = s > HTTPPARSE_RETRY_AFTER_MAX ? HTTPPARSE_RETRY_AFTER_MAX : s;
    return 0;
}

/* ISO-8859-1 bytes to UTF-8 into out (room for 2 * len). */
static size_t latin1_to_utf8(const char *s, size_t len, char *out)
{
    size_t o = 0;

    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            out[o++] = (char)c;
        } else {
            out[o++] = (char)(0xc0 | (c >> 6));
            out[o++] = (char)(0x80 | (c & 0x3f));
        }
    }
    return o;
}

/* Finds parameter name (case-insensitive) in a header value; copies its
 * value (unquoted, backslash escapes resolved) to a new string. */
static char *disposition_param(const char *v, const char *name)
{
    size_t nlen = strlen(name);

    for (const char *p = strchr(v, ';'); p; p = strchr(p, ';')) {
        const char *s = skip_blanks(p + 1), *e;
        char *out;
        size_t o = 0;
        p = s;
        if (strncasecmp(s, name, nlen) != 0)
            continue;
        s = skip_blanks(s + nlen);
        if (*s != '=')
            continue;
        s = skip_blanks(s + 1);
        out = calloc(strlen(s) + 1, 1);
        if (!out)
            return NULL;
        if (*s == '"') {
            for (e = s + 1; *e && *e != '"'; e++) {
                if (*e == '\\' && e[1])
                    e++;
                out[o++] = *e;
            }
        } else {
            for (e = s; *e && *e != ';' && !is_blank(*e); e++)
                out[o++] = *e;
        }
        out[o] = '\0';
        return out;
    }
    return NULL;
}

/* filename*=charset'lang'pct: decoded to UTF-8, or NULL. */
static char *ext_value(const char *raw)
{
    const char *q1 = strchr(raw, '\''), *q2;
    size_t len;
    int dlen = 0;
    char *dec, *out;

    if (!q1)
        return NULL;
    q2 = strchr(q1 + 1, '\'');
    if (!q2)
        return NULL;
    len = strlen(q2 + 1);
    /* Decoded by libcurl (curl_easy_unescape(3) ignores its handle since
     * 7.82.0); a '%' without two hex digits stays as written. */
    dec = len < INT_MAX ? curl_easy_unescape(NULL, q2 + 1, (int)len, &dlen)
                        : NULL;
    out = calloc(2 * len + 1, 1);
    if (dec && out) {
        size_t n = (size_t)dlen;
        if ((size_t)(q1 - raw) == 10 &&
            strncasecmp(raw, "iso-8859-1", 10) == 0)
            n = latin1_to_utf8(dec, n, out);
        else
            memcpy(out, dec, n);
        out[n] = '\0';
    } else {
        free(out);
        out = NULL;
    }
    curl_free(dec);
    return out;
}

char *httpparse_disposition_filename(const char *value)
{
    char *raw = disposition_param(value, "filename*");
    char *name = raw ? ext_value(raw) : NULL;

    free(raw);
    if (!name)
        name = disposition_param(value, "filename");
    return name;
}
