/* Making bytes from URLs and servers safe to print. Pure functions. */
#ifndef SALVO_ESCAPE_H
#define SALVO_ESCAPE_H

#include <stddef.h>
#include <stdio.h>

/* A copy of s that is safe on a terminal: C0 controls, DEL, C1 controls,
 * format characters (escape_is_format) and bytes that are not valid UTF-8
 * become "\xNN", one per byte; a backslash becomes "\\". The caller
 * frees it; NULL when out of memory. */
char *escape_term(const char *s);

/* 1 if code point cp is a Unicode format character (category Cf: bidi
 * controls U+202A-U+202E and U+2066-U+2069, zero-width U+200B-U+200F,
 * U+FEFF, ...) or U+2028/U+2029, which escape_term never prints raw. */
int escape_is_format(unsigned long cp);

/* Writes s to f as a JSON string literal with its quotes. Invalid UTF-8
 * becomes U+FFFD so the line stays valid JSON. */
void escape_json(FILE *f, const char *s);

/* Length of the valid UTF-8 sequence at p (at most avail bytes), or 0
 * if the bytes there are not valid UTF-8 (overlong, surrogate, > U+10FFFF
 * or truncated). */
size_t escape_utf8_len(const unsigned char *p, size_t avail);

#endif
