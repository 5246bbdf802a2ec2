#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "escape.h"

size_t escape_utf8_len(const unsigned char *p, size_t avail)
{
    size_t n;
    unsigned long cp;

    if (avail == 0)
        return 0;
    if (p[0] < 0x80)
        return 1;
    if (p[0] >= 0xc2 && p[0] <= 0xdf) {
        n = 2;
        cp = p[0] & 0x1f;
    } else if (p[0] >= 0xe0 && p[0] <= 0xef) {
        n = 3;
        cp = p[0] & 0x0f;
    } else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
        n = 4;
        cp = p[0] & 0x07;
    } else {
        return 0;
    }
    if (avail < n)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (p[i] & 0x3f);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
        (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
        return 0;
    return n;
}

static const char hex[] = "0123456789abcdef";

/* Unicode's format characters (General Category Cf, Unicode 15), plus
 * the line and paragraph separators: invisible, yet they reorder or
 * break what follows (U+202E shows "txt.exe" as "exe.txt"). Sorted. */
static const unsigned long format_chars[][2] = {
    {0x00ad, 0x00ad},   {0x0600, 0x0605},   {0x061c, 0x061c},
    {0x06dd, 0x06dd},   {0x070f, 0x070f},   {0x0890, 0x0891},
    {0x08e2, 0x08e2},   {0x180e, 0x180e},   {0x200b, 0x200f},
    {0x2028, 0x202e},   {0x2060, 0x2064},   {0x2066, 0x206f},
    {0xfeff, 0xfeff},   {0xfff9, 0xfffb},   {0x110bd, 0x110bd},
    {0x110cd, 0x110cd}, {0x13430, 0x1343f}, {0x1bca0, 0x1bca3},
    {0x1d173, 0x1d17a}, {0xe0001, 0xe0001}, {0xe0020, 0xe007f},
};

/* The code point of the valid n-byte UTF-8 sequence at p. */
static unsigned long utf8_decode(const unsigned char *p, size_t n)
{
    static const unsigned char lead_mask[] = {0, 0x7f, 0x1f, 0x0f, 0x07};
    unsigned long cp = p[0] & lead_mask[n];

    for (size_t i = 1; i < n; i++)
        cp = (cp << 6) | (p[i] & 0x3f);
    return cp;
}

int escape_is_format(unsigned long cp)
{
    size_t n = sizeof format_chars / sizeof format_chars[0];

    for (size_t i = 0; i < n && format_chars[i][0] <= cp; i++)
        if (cp <= format_chars[i][1])
            return 1;
    return 0;
}

char *escape_term(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t len = strlen(s), o = 0;
    char *out = malloc(len * 4 + 1); /* worst case: every byte \xNN */

    if (!out)
        return NULL;
    for (size_t i = 0; i < len;) {
        size_t n = escape_utf8_len(p + i, len - i);
        /* C1 controls are U+0080..U+009F: c2 80 .. c2 9f */
        int c1 = n == 2 && p[i] == 0xc2 && p[i + 1] < 0xa0;
        int shown = n > 1 && !c1 && !escape_is_format(utf8_decode(p + i, n));
        if (n == 1 && p[i] >= 0x20 && p[i] != 0x7f && p[i] != '\\') {
            out[o++] = (char)p[i++];
        } else if (n == 1 && p[i] == '\\') {
            out[o++] = '\\';
            out[o++] = '\\';
            i++;
        } else if (shown) {
            memcpy(out + o, p + i, n);
            o += n;
            i += n;
        } else {
            /* one byte at a time: a control, or an invalid byte */
            size_t k = n > 1 ? n : 1;
            for (size_t j = 0; j < k; j++, i++) {
                out[o++] = '\\';
                out[o++] = 'x';
                out[o++] = hex[p[i] >> 4];
                out[o++] = hex[p[i] & 15];
            }
        }
    }
    out[o] = '\0';
    return out;
}

void escape_json(FILE *f, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t len = strlen(s);

    putc('"', f);
    for (size_t i = 0; i < len;) {
        size_t n = escape_utf8_len(p + i, len - i);
        if (n == 0) {
            fputs("\\ufffd", f);
            i++;
        } else if (n > 1) {
            fwrite(p + i, 1, n, f);
            i += n;
        } else if (p[i] == '"' || p[i] == '\\') {
            putc('\\', f);
            putc(p[i++], f);
        } else if (p[i] < 0x20 || p[i] == 0x7f) {
            fprintf(f, "\\u%04x", p[i++]);
        } else {
            putc(p[i++], f);
        }
    }
    putc('"', f);
}
