/* Fuzz target for the small parsers of option values and checksum
 * lines. The first byte picks the parser (its value mod 4: '0' rate,
 * '1' seconds, '2' shard, '3' sha256sum line); the rest is its input: a
 * NUL-terminated copy for the C-string parsers, an unterminated copy of
 * exactly those bytes for checksums_parse_line, which takes a length.
 * Each parser must keep its values in range, and agree with a plain
 * reference parser on the inputs that are simply digits. */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../src/checksums.h"
#include "../src/naming.h"
#include "../src/options.h"
#include "fuzz.h"

#define RATE_MAX (UINT64_C(1) << 40) /* 1 TiB/s */
#define SHARD_MAX 1000000
#define SAT (UINT64_C(1) << 62) /* digits() saturates here */

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Reads the decimal digits at *s (advancing *s) into a value that
 * saturates at SAT. */
static uint64_t digits(const char **s)
{
    uint64_t v = 0;

    for (; is_digit(**s); (*s)++)
        v = v >= SAT / 10 ? SAT : v * 10 + (uint64_t)(**s - '0');
    return v;
}

/* The rate "DIGITS[KMG][B][/s]" asks for, in bytes, or -1 if s is not
 * of that form. */
static int64_t simple_rate(const char *s)
{
    const char *p = s;
    uint64_t v = digits(&p), mult = 1;

    if (p == s)
        return -1;
    if (*p == 'k' || *p == 'K')
        mult = UINT64_C(1) << 10;
    else if (*p == 'm' || *p == 'M')
        mult = UINT64_C(1) << 20;
    else if (*p == 'g' || *p == 'G')
        mult = UINT64_C(1) << 30;
    if (mult > 1)
        p++;
    if (*p == 'b' || *p == 'B')
        p++;
    if (strcmp(p, "/s") == 0)
        p += 2;
    if (*p != '\0')
        return -1;
    return v > SAT / mult ? (int64_t)SAT : (int64_t)(v * mult);
}

static void check_rate(const char *s)
{
    uint64_t got = 0;
    int rc = options_parse_rate(s, &got);
    int64_t want = simple_rate(s);

    FUZZ_CHECK(rc == 0 || rc == -1);
    if (rc == 0)
        FUZZ_CHECK(got <= RATE_MAX);
    if (want >= 0 && (uint64_t)want <= RATE_MAX)
        FUZZ_CHECK(rc == 0 && got == (uint64_t)want);
    else if (want >= 0)
        FUZZ_CHECK(rc == -1);
}

static void check_seconds(const char *s)
{
    const char *p = s;
    double got = -1;
    int rc = options_parse_seconds(s, &got);
    uint64_t want = digits(&p);

    FUZZ_CHECK(rc == 0 || rc == -1);
    if (rc == 0)
        FUZZ_CHECK(isfinite(got) && got >= 0 && got <= 1e6);
    if (p != s && *p == '\0') {
        if (want <= 1000000)
            FUZZ_CHECK(rc == 0 && got == (double)want);
        else
            FUZZ_CHECK(rc == -1);
    }
}

/* "K/N" is the only form taken: the parse succeeds exactly when s is
 * DIGITS/DIGITS with 1 <= K <= N <= 1000000, and gives those numbers. */
static void check_shard(const char *s)
{
    const char *p = s;
    unsigned k = 0, n = 0;
    int rc = options_parse_shard(s, &k, &n);
    uint64_t wk = digits(&p), wn = 0;
    int form = p != s && *p == '/';

    if (form) {
        const char *q = ++p;
        wn = digits(&p);
        form = p != q && *p == '\0';
    }
    FUZZ_CHECK(rc == 0 || rc == -1);
    if (rc == 0)
        FUZZ_CHECK(k >= 1 && k <= n && n <= SHARD_MAX);
    if (form && wk >= 1 && wk <= wn && wn <= SHARD_MAX)
        FUZZ_CHECK(rc == 0 && k == wk && n == wn);
    else
        FUZZ_CHECK(rc == -1);
}

static int hexval(unsigned char c)
{
    if (is_digit((char)c))
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* sha256sum's escapes undone: "\\\\" and "\\n"; others kept. */
static char *unescaped(const uint8_t *s, size_t len, int escaped)
{
    char *out = malloc(len + 1);
    size_t o = 0;

    if (!out)
        return NULL;
    for (size_t i = 0; i < len; i++) {
        if (escaped && s[i] == '\\' && i + 1 < len &&
            (s[i + 1] == 'n' || s[i + 1] == '\\'))
            out[o++] = s[++i] == 'n' ? '\n' : '\\';
        else
            out[o++] = (char)s[i];
    }
    out[o] = '\0';
    return out;
}

/* A name naming_user_path keeps as it is: one component, no control
 * byte, not "." or "..", not too long. */
static int plain_name(const char *s)
{
    size_t len = strlen(s);

    if (len == 0 || len > NAMING_MAX || strcmp(s, ".") == 0 ||
        strcmp(s, "..") == 0 || strchr(s, '/'))
        return 0;
    for (size_t i = 0; i < len; i++)
        if (fuzz_is_control((unsigned char)s[i]))
            return 0;
    return 1;
}

/* 64 hex digits at h into digest: 0, or -1. */
static int hex_digest(const uint8_t *h, unsigned char digest[CHECKSUMS_LEN])
{
    for (size_t i = 0; i < CHECKSUMS_LEN; i++) {
        int hi = hexval(h[2 * i]), lo = hexval(h[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return -1;
        digest[i] = (unsigned char)(hi * 16 + lo);
    }
    return 0;
}

/* The `sha256sum --tag` form "SHA256 (NAME) = HEX" of len bytes at h:
 * the name, unescaped, or NULL. */
static char *tagged_shape(const uint8_t *h, size_t len, int escaped,
                          unsigned char digest[CHECKSUMS_LEN])
{
    const size_t tail = 4 + 2 * CHECKSUMS_LEN; /* ") = " HEX */

    if (len < 8 + tail + 1 || memcmp(h + len - tail, ") = ", 4) != 0 ||
        hex_digest(h + len - 2 * CHECKSUMS_LEN, digest) != 0 ||
        memchr(h + 8, '\0', len - 8 - tail))
        return NULL;
    return unescaped(h + 8, len - 8 - tail, escaped);
}

/* Whether line (len bytes, CR/LF stripped, not blank) is "HEX  NAME",
 * "HEX *NAME" or "SHA256 (NAME) = HEX" with 64 hex digits (decoded into
 * digest) and a name of no NUL, after an optional '\\'; the name is
 * returned unescaped. */
static char *line_shape(const uint8_t *line, size_t len,
                        unsigned char digest[CHECKSUMS_LEN])
{
    int escaped = line[0] == '\\';
    const uint8_t *h = line + escaped;

    len -= (size_t)escaped;
    if (len >= 8 && memcmp(h, "SHA256 (", 8) == 0)
        return tagged_shape(h, len, escaped, digest);
    if (len <= 2 * CHECKSUMS_LEN + 2 || h[2 * CHECKSUMS_LEN] != ' ' ||
        (h[2 * CHECKSUMS_LEN + 1] != ' ' && h[2 * CHECKSUMS_LEN + 1] != '*'))
        return NULL;
    if (hex_digest(h, digest) != 0)
        return NULL;
    h += 2 * CHECKSUMS_LEN + 2;
    len -= 2 * CHECKSUMS_LEN + 2;
    if (memchr(h, '\0', len))
        return NULL;
    return unescaped(h, len, escaped);
}

static void check_checksum_line(const uint8_t *data, size_t size)
{
    uint8_t *line = malloc(size ? size : 1); /* exactly size bytes */
    unsigned char digest[CHECKSUMS_LEN], want[CHECKSUMS_LEN];
    char err[256] = "", *name = NULL, *raw = NULL;
    size_t len = size;
    int rc;

    if (!line)
        return;
    memcpy(line, data, size);
    rc = checksums_parse_line((const char *)line, size, digest, &name, err,
                              sizeof err);
    while (len > 0 && (data[len - 1] == '\r' || data[len - 1] == '\n'))
        len--;
    if (len == 0 || data[0] == '#') {
        FUZZ_CHECK(rc == 0);
        goto out;
    }
    raw = line_shape(data, len, want);
    FUZZ_CHECK(rc == 1 || rc == -1);
    if (rc == -1) {
        FUZZ_CHECK(err[0] != '\0');
        FUZZ_CHECK(!raw || !plain_name(raw));
        goto out;
    }
    FUZZ_CHECK(raw != NULL && name != NULL);
    FUZZ_CHECK(memcmp(digest, want, CHECKSUMS_LEN) == 0);
    /* Relative, normalised, no "..", no control byte (so no '\n'). */
    fuzz_check_rel_path(name, NAMING_MAX);
    if (!strchr(raw, '/'))
        FUZZ_CHECK(strcmp(name, raw) == 0);
out:
    free(raw);
    free(name);
    free(line);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *str;

    if (size == 0)
        return 0;
    if (data[0] % 4 == 3) {
        check_checksum_line(data + 1, size - 1);
        return 0;
    }
    str = fuzz_strdup(data + 1, size - 1);
    if (!str)
        return 0;
    if (data[0] % 4 == 0)
        check_rate(str);
    else if (data[0] % 4 == 1)
        check_seconds(str);
    else
        check_shard(str);
    free(str);
    return 0;
}
