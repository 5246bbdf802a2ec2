/* Making bytes from URLs and servers safe to print. Pure functions. */
#ifndef SALVO_ESCAPE_H
#define SALVO_ESCAPE_H

#include <stddef.h>
#include <stdio.h>

/* A copy of s that is safe on a terminal: C0 controls, DEL, C1 controls
 * and bytes that are not valid UTF-8 become "\xNN"; a backslash becomes
 * "\\". The caller frees it; NULL when out of memory. */
char *escape_term(const char *s);

/* Writes s to f as a JSON string literal with its quotes. Invalid UTF-8
 * becomes U+FFFD so the line stays valid JSON. */
void escape_json(FILE *f, const char *s);

/* Length of the valid UTF-8 sequence at p (at most avail bytes), or 0
 * if the bytes there are not valid UTF-8 (overlong, surrogate, > U+10FFFF
 * or truncated). */
size_t escape_utf8_len(const unsigned char *p, size_t avail);

#endif
