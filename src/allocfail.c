#define SALVO_ALLOCFAIL_IMPL
#include "config.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>

#include "allocfail.h"

static atomic_ulong calls;
static unsigned long fail_at; /* 0: never */
static atomic_int ready;

static void report_count(void)
{
    const char *path = getenv("SALVO_ALLOC_REPORT");
    FILE *f = path ? fopen(path, "w") : NULL;

    if (f) {
        fprintf(f, "%lu\n", atomic_load(&calls));
        fclose(f);
    }
}

/* Returns 1 if this allocation is the one to fail. */
static int should_fail(void)
{
    int expected = 0;

    if (atomic_compare_exchange_strong(&ready, &expected, 1)) {
        const char *k = getenv("SALVO_FAIL_ALLOC");
        fail_at = k ? strtoul(k, NULL, 10) : 0;
        atexit(report_count);
        atomic_store(&ready, 2);
    }
    while (atomic_load(&ready) != 2)
        ;
    if (atomic_fetch_add(&calls, 1) + 1 == fail_at) {
        errno = ENOMEM;
        return 1;
    }
    return 0;
}

void *allocfail_malloc(size_t n)
{
    return should_fail() ? NULL : malloc(n);
}

void *allocfail_calloc(size_t n, size_t size)
{
    return should_fail() ? NULL : calloc(n, size);
}

void *allocfail_realloc(void *p, size_t n)
{
    return should_fail() ? NULL : realloc(p, n);
}

char *allocfail_strdup(const char *s)
{
    return should_fail() ? NULL : strdup(s);
}
