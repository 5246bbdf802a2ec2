/* Shared by the fuzz targets and fuzz/replay.c: the libFuzzer entry
 * point and the checks more than one target makes. Header-only, like
 * tests/tap.h, so each target stays one file. */
#ifndef SALVO_FUZZ_H
#define SALVO_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Called by libFuzzer (make fuzz) or by replay.c (make check). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* abort(), not assert(): NDEBUG must not turn the checks off, and
 * libFuzzer and replay.c both treat an abort as a finding. */
#define FUZZ_CHECK(cond)                                                      \
    do {                                                                      \
        if (!(cond))                                                          \
            fuzz_fail(__FILE__, __LINE__, #cond);                             \
    } while (0)

static inline void fuzz_fail(const char *file, int line, const char *what)
{
    fprintf(stderr, "%s:%d: check failed: %s\n", file, line, what);
    abort();
}

/* A NUL-terminated copy of the input, for the functions that take C
 * strings (they see the bytes up to the first NUL). The caller frees
 * it; NULL when out of memory. */
static inline char *fuzz_strdup(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);

    if (s) {
        memcpy(s, data, size);
        s[size] = '\0';
    }
    return s;
}

static inline int fuzz_is_control(unsigned char c)
{
    return c < 0x20 || c == 0x7f;
}

/* Length of the well-formed UTF-8 sequence at p, or 0. Written from the
 * table in RFC 3629, section 4, not from src/escape.c, so that the two
 * can be compared. */
static inline size_t fuzz_utf8_len(const unsigned char *p, size_t avail)
{
    unsigned char lo = 0x80, hi = 0xbf;
    size_t n;

    if (avail == 0)
        return 0;
    if (p[0] < 0x80)
        return 1;
    if (p[0] >= 0xc2 && p[0] <= 0xdf)
        n = 2;
    else if (p[0] >= 0xe0 && p[0] <= 0xef)
        n = 3;
    else if (p[0] >= 0xf0 && p[0] <= 0xf4)
        n = 4;
    else
        return 0;
    /* Only the second byte has a narrower range, for a few lead bytes. */
    if (p[0] == 0xe0)
        lo = 0xa0;
    else if (p[0] == 0xed)
        hi = 0x9f;
    else if (p[0] == 0xf0)
        lo = 0x90;
    else if (p[0] == 0xf4)
        hi = 0x8f;
    if (avail < n || p[1] < lo || p[1] > hi)
        return 0;
    for (size_t i = 2; i < n; i++)
        if (p[i] < 0x80 || p[i] > 0xbf)
            return 0;
    return n;
}

static inline int fuzz_utf8_valid(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;

    for (size_t i = 0; i < len;) {
        size_t n = fuzz_utf8_len(p + i, len - i);
        if (n == 0)
            return 0;
        i += n;
    }
    return 1;
}

/* One path component salvo may create: not empty, at most max bytes, no
 * '/', no control byte, not "." or "..". */
static inline void fuzz_check_component(const char *c, size_t len, size_t max)
{
    FUZZ_CHECK(len > 0);
    FUZZ_CHECK(len <= max);
    FUZZ_CHECK(!(len == 1 && c[0] == '.'));
    FUZZ_CHECK(!(len == 2 && c[0] == '.' && c[1] == '.'));
    for (size_t i = 0; i < len; i++) {
        FUZZ_CHECK(c[i] != '/' && c[i] != '\0');
        FUZZ_CHECK(!fuzz_is_control((unsigned char)c[i]));
    }
}

/* A normalised relative path: no leading '/', and every component (so
 * no empty one: no "//", no trailing '/') passes the check above. */
static inline void fuzz_check_rel_path(const char *path, size_t max)
{
    const char *c = path;

    FUZZ_CHECK(path[0] != '/');
    for (;;) {
        size_t len = strcspn(c, "/");
        fuzz_check_component(c, len, max);
        if (c[len] == '\0')
            break;
        c += len + 1;
    }
}

#endif
