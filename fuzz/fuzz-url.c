/* Fuzz target for src/url.c and src/escape.c. The input, up to its first
 * NUL, is a URL for the url_* functions and a string to escape. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../src/escape.h"
#include "../src/url.h"
#include "fuzz.h"

/* The value of a hex digit, or -1. */
static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* RFC 3986: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ), here
 * followed by "://". Returns its length, or 0. */
static size_t scheme_of(const char *url)
{
    size_t n = 0;

    while ((url[n] >= 'a' && url[n] <= 'z') ||
           (url[n] >= 'A' && url[n] <= 'Z') ||
           (n > 0 && ((url[n] >= '0' && url[n] <= '9') || url[n] == '+' ||
                      url[n] == '-' || url[n] == '.')))
        n++;
    return n > 0 && strncmp(url + n, "://", 3) == 0 ? n : 0;
}

static int scheme_is(const char *url, size_t slen, const char *name)
{
    return slen == strlen(name) && strncasecmp(url, name, slen) == 0;
}

static void check_url_check(const char *url)
{
    char err[256];
    size_t slen = scheme_of(url);
    const char *host;
    size_t hlen;
    int rc;
    char *key;

    err[0] = '\0';
    rc = url_check(url, err, sizeof err);
    FUZZ_CHECK(rc == 0 || rc == -1);
    if (rc != 0) {
        FUZZ_CHECK(err[0] != '\0');
        return;
    }
    for (const char *p = url; *p; p++)
        FUZZ_CHECK(*p != ' ' && !fuzz_is_control((unsigned char)*p));
    FUZZ_CHECK(scheme_is(url, slen, "http") || scheme_is(url, slen, "https") ||
               scheme_is(url, slen, "ftp") || scheme_is(url, slen, "ftps"));
    FUZZ_CHECK(url_authority(url, &host, &hlen) == 0);
    FUZZ_CHECK(hlen > 0 && host[0] != ':');
    /* What url_check accepts, curl_url accepts: it has a host key,
     * lower-case, with a port. */
    key = url_host_key(url);
    FUZZ_CHECK(key != NULL);
    FUZZ_CHECK(strchr(key, ':') != NULL);
    for (const char *k = key; *k; k++)
        FUZZ_CHECK(!(*k >= 'A' && *k <= 'Z'));
    free(key);
}

/* The spans lie inside the string and hold what the header says. */
static void check_spans(const char *url)
{
    const char *end = url + strlen(url), *s;
    size_t len, slen = scheme_of(url);

    if (url_authority(url, &s, &len) == 0) {
        FUZZ_CHECK(slen > 0);
        FUZZ_CHECK(s >= url + slen + 3 && s + len <= end);
        for (size_t i = 0; i < len; i++)
            FUZZ_CHECK(!strchr("/?#@", s[i]));
    } else {
        FUZZ_CHECK(slen == 0);
    }
    url_path(url, &s, &len);
    FUZZ_CHECK(s >= url && s + len <= end);
    FUZZ_CHECK(len == 0 || s[0] == '/');
    for (size_t i = 0; i < len; i++)
        FUZZ_CHECK(s[i] != '?' && s[i] != '#');
    FUZZ_CHECK(len == 0 || s[len] == '\0' || s[len] == '?' || s[len] == '#');
    FUZZ_CHECK(url_is_secure(url) == (scheme_is(url, slen, "https") ||
                                      scheme_is(url, slen, "ftps")));
}

/* The masked URL is the URL with everything from the start of the
 * authority to its last '@' replaced by "***@", so no byte of a
 * "user:pass@" survives (the authority ends at '/', '?' or '#', RFC
 * 3986 section 3.2). Without such an '@' it is the URL itself. */
static void check_masked(const char *url)
{
    size_t slen = scheme_of(url), alen;
    const char *a, *at = NULL;
    char *got = url_masked(url);

    if (!got)
        return;
    if (slen > 0) {
        a = url + slen + 3;
        alen = strcspn(a, "/?#");
        for (size_t i = 0; i < alen; i++)
            if (a[i] == '@')
                at = a + i;
    }
    if (at) {
        size_t pre = (size_t)(a - url);
        FUZZ_CHECK(strncmp(got, url, pre) == 0);
        FUZZ_CHECK(strncmp(got + pre, "***@", 4) == 0);
        FUZZ_CHECK(strcmp(got + pre + 4, at + 1) == 0);
    } else {
        FUZZ_CHECK(strcmp(got, url) == 0);
    }
    free(got);
}

/* The byte that backslash-c stands for in JSON (c not 'u'), or -1. */
static int json_unescape(char c)
{
    switch (c) {
    case '"':
    case '\\':
    case '/':
        return c;
    case 'b':
        return '\b';
    case 'f':
        return '\f';
    case 'n':
        return '\n';
    case 'r':
        return '\r';
    case 't':
        return '\t';
    default:
        return -1;
    }
}

/* escape_term's output: no C0, DEL or C1 control, valid UTF-8, no
 * escapes but \\ and \xNN (never for printable ASCII), and unescaping
 * it gives back the input. */
static void check_escape_term(const char *s)
{
    char *got = escape_term(s);
    size_t glen, slen = strlen(s), o = 0;

    if (!got)
        return;
    glen = strlen(got);
    FUZZ_CHECK(fuzz_utf8_valid(got, glen));
    for (size_t i = 0; i < glen; i++) {
        unsigned char c = (unsigned char)got[i];
        FUZZ_CHECK(!fuzz_is_control(c));
        /* U+0080..U+009F is c2 80..c2 9f */
        FUZZ_CHECK(
            !(c == 0xc2 && i + 1 < glen && (unsigned char)got[i + 1] < 0xa0));
    }
    /* No format character (bidi controls and the like) stays raw. */
    for (size_t i = 0; i < glen;) {
        const unsigned char *u = (const unsigned char *)got + i;
        size_t n = fuzz_utf8_len(u, glen - i);
        unsigned long cp = u[0];
        FUZZ_CHECK(n > 0);
        if (n > 1)
            cp &= 0x7fu >> n;
        for (size_t k = 1; k < n; k++)
            cp = cp << 6 | (u[k] & 0x3fu);
        FUZZ_CHECK(!escape_is_format(cp));
        i += n;
    }
    for (size_t i = 0; i < glen; o++) {
        int hi, lo;
        FUZZ_CHECK(o < slen);
        if (got[i] != '\\') {
            FUZZ_CHECK(got[i++] == s[o]);
            continue;
        }
        FUZZ_CHECK(i + 1 < glen);
        if (got[i + 1] == '\\') {
            FUZZ_CHECK(s[o] == '\\');
            i += 2;
            continue;
        }
        FUZZ_CHECK(got[i + 1] == 'x' && i + 3 < glen);
        hi = hexval(got[i + 2]);
        lo = hexval(got[i + 3]);
        FUZZ_CHECK(hi >= 0 && lo >= 0);
        FUZZ_CHECK((unsigned char)s[o] == hi * 16 + lo);
        /* printable ASCII is never escaped */
        FUZZ_CHECK(hi * 16 + lo < 0x20 || hi * 16 + lo >= 0x7f);
        i += 4;
    }
    FUZZ_CHECK(o == slen);
    free(got);
}

/* Appends code point cp as UTF-8. */
static size_t put_utf8(char *out, unsigned long cp)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xc0 | cp >> 6);
        out[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    out[0] = (char)(0xe0 | cp >> 12);
    out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
    out[2] = (char)(0x80 | (cp & 0x3f));
    return 3;
}

/* A small validator for one JSON string literal (RFC 8259, section 7)
 * of len bytes; decodes it into out (room for len bytes). Surrogate
 * escapes are refused: escape_json has no reason to write them. Returns
 * the decoded length. */
static size_t json_string(const char *j, size_t len, char *out)
{
    size_t o = 0;
    unsigned long cp;

    FUZZ_CHECK(len >= 2 && j[0] == '"' && j[len - 1] == '"');
    for (size_t i = 1; i < len - 1;) {
        unsigned char c = (unsigned char)j[i];
        size_t n = fuzz_utf8_len((const unsigned char *)j + i, len - 1 - i);
        FUZZ_CHECK(n > 0 && c >= 0x20 && c != '"');
        if (c != '\\') {
            memcpy(out + o, j + i, n);
            o += n;
            i += n;
            continue;
        }
        FUZZ_CHECK(i + 1 < len - 1);
        c = (unsigned char)j[i + 1];
        if (c != 'u') {
            int e = json_unescape((char)c);
            FUZZ_CHECK(e >= 0);
            out[o++] = (char)e;
            i += 2;
            continue;
        }
        FUZZ_CHECK(i + 5 < len - 1);
        cp = 0;
        for (size_t k = 2; k < 6; k++) {
            int h = hexval(j[i + k]);
            FUZZ_CHECK(h >= 0);
            cp = cp << 4 | (unsigned long)h;
        }
        FUZZ_CHECK(cp < 0xd800 || cp > 0xdfff);
        o += put_utf8(out + o, cp);
        i += 6;
    }
    return o;
}

/* escape_json writes one valid JSON string; for valid UTF-8 input it
 * decodes to the input, otherwise to valid UTF-8 (U+FFFD for the bad
 * bytes). */
static void check_escape_json(const char *s)
{
    char *j = NULL, *dec;
    size_t jlen = 0, dlen, slen = strlen(s);
    FILE *f = open_memstream(&j, &jlen);

    if (!f)
        return;
    escape_json(f, s);
    FUZZ_CHECK(fclose(f) == 0);
    FUZZ_CHECK(j != NULL && strlen(j) == jlen);
    dec = malloc(jlen);
    if (dec) {
        dlen = json_string(j, jlen, dec);
        FUZZ_CHECK(fuzz_utf8_valid(dec, dlen));
        if (fuzz_utf8_valid(s, slen))
            FUZZ_CHECK(dlen == slen && memcmp(dec, s, slen) == 0);
    }
    free(dec);
    free(j);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *url = fuzz_strdup(data, size);

    if (!url)
        return 0;
    check_url_check(url);
    check_spans(url);
    check_masked(url);
    check_escape_term(url);
    check_escape_json(url);
    /* escape_utf8_len agrees with the RFC 3629 table everywhere. */
    for (size_t i = 0; i <= size; i++)
        FUZZ_CHECK(escape_utf8_len(data + i, size - i) ==
                   fuzz_utf8_len(data + i, size - i));
    free(url);
    return 0;
}
