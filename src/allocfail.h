/* Allocation-failure testing (configure --enable-alloc-fail only).
 *
 * Every allocation in salvo's own code goes through these counting
 * wrappers; with SALVO_FAIL_ALLOC=K in the environment the K-th one
 * fails. libcurl's allocations are not affected. A test build only: the
 * counter is the one global outside main.c, and it never ships. */
#ifndef SALVO_ALLOCFAIL_H
#define SALVO_ALLOCFAIL_H

#include <stdlib.h>
#include <string.h>

void *allocfail_malloc(size_t n);
void *allocfail_calloc(size_t n, size_t size);
void *allocfail_realloc(void *p, size_t n);
char *allocfail_strdup(const char *s);

#ifndef SALVO_ALLOCFAIL_IMPL
#define malloc(n) allocfail_malloc(n)
#define calloc(n, s) allocfail_calloc(n, s)
#define realloc(p, n) allocfail_realloc(p, n)
#define strdup(s) allocfail_strdup(s)
#endif

#endif
