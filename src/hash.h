/* Small shared hashing helpers: FNV-1a and a 64-bit finaliser.
 * Header-only. */
#ifndef SALVO_HASH_H
#define SALVO_HASH_H

#include <stddef.h>
#include <stdint.h>

#define HASH_FNV_INIT 14695981039346656037ULL

/* FNV-1a, 64 bit, of len bytes of s, continuing from h (start with
 * HASH_FNV_INIT). */
static inline uint64_t hash_fnv(uint64_t h, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return h;
}

/* MurmurHash3's 64-bit finaliser: a bijection that spreads every input
 * bit over the output (FNV's low bits mix poorly on their own). */
static inline uint64_t hash_mix(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

#endif
