/* The set of claimed output names (see names.h): 64-bit hashes in an
 * open-addressing table, spilled as sorted runs to a temporary file
 * once the table reaches its bound, each run fronted by a Bloom filter
 * and a sparse index in memory. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hash.h"
#include "names.h"

#define NAMES_MAX_SLOTS ((size_t)1 << 17) /* 1 MiB of hashes */
#define NAMES_STEP 64 /* hashes per index entry and per file read */
#define BLOOM_BITS 10 /* per hash: about 1% false positives */
#define BLOCK_WORDS 8 /* a 512-bit block, one cache line */
#define BLOOM_K 7     /* bits set per hash, all in one block */

/* One sorted run of hashes in the file. */
struct names_run {
    uint64_t first;  /* index (in hashes) of its first one in the file */
    size_t n;        /* how many */
    uint64_t *bloom; /* nblocks x BLOCK_WORDS */
    size_t nblocks;
    uint64_t *index; /* every NAMES_STEP-th hash: ceil(n / NAMES_STEP) */
};

int names_setup_bounded(struct names *n, size_t max_slots)
{
    memset(n, 0, sizeof *n);
    n->fd = -1;
    n->max_cap = max_slots < 64 ? 64 : max_slots;
    n->cap = n->max_cap < 1024 ? n->max_cap : 1024;
    n->slots = calloc(n->cap, sizeof *n->slots);
    n->hints = calloc(NAMES_HINTS, sizeof *n->hints);
    n->lines = calloc(NAMES_HINTS, sizeof *n->lines);
    if (!n->slots || !n->hints || !n->lines ||
        pthread_mutex_init(&n->lock, NULL) != 0) {
        free(n->slots);
        free(n->hints);
        free(n->lines);
        return -1;
    }
    return 0;
}

int names_setup(struct names *n)
{
    return names_setup_bounded(n, NAMES_MAX_SLOTS);
}

void names_teardown(struct names *n)
{
    for (size_t i = 0; i < n->nruns; i++) {
        free(n->runs[i].bloom);
        free(n->runs[i].index);
    }
    free(n->runs);
    free(n->slots);
    free(n->hints);
    free(n->lines);
    if (n->fd >= 0)
        close(n->fd);
    pthread_mutex_destroy(&n->lock);
}

/* The hash of the first alen bytes of a, then of b (may be NULL); 0 is
 * reserved for "empty". */
static uint64_t hash_parts(const char *a, size_t alen, const char *b)
{
    uint64_t h = hash_fnv(HASH_FNV_INIT, a, alen);

    if (b)
        h = hash_fnv(h, b, strlen(b));
    h = hash_mix(h);
    return h ? h : 1;
}

/* The Bloom block of h in run, chosen by h's high bits. */
static const uint64_t *bloom_block(const struct names_run *run, uint64_t h)
{
    uint64_t b = ((h >> 32) * (uint64_t)run->nblocks) >> 32;

    return run->bloom + b * BLOCK_WORDS;
}

/* Sets h's BLOOM_K bits in its block; their positions come from another,
 * independent mix of h. */
static void bloom_add(struct names_run *run, uint64_t h)
{
    uint64_t *blk = (uint64_t *)bloom_block(run, h);
    uint64_t m = hash_mix(h ^ 0x9e3779b97f4a7c15ULL);

    for (int i = 0; i < BLOOM_K; i++, m >>= 9)
        blk[(m >> 6) & 7] |= (uint64_t)1 << (m & 63);
}

/* 0 if h is surely not in run, 1 if it may be (bloom_add's bits). */
static int bloom_maybe(const struct names_run *run, uint64_t h)
{
    const uint64_t *blk = bloom_block(run, h);
    uint64_t m = hash_mix(h ^ 0x9e3779b97f4a7c15ULL);

    for (int i = 0; i < BLOOM_K; i++, m >>= 9)
        if (!(blk[(m >> 6) & 7] & ((uint64_t)1 << (m & 63))))
            return 0;
    return 1;
}

/* Reads count hashes from the file at hash index at; 0 or -1. */
static int read_hashes(int fd, uint64_t at, uint64_t *buf, size_t count)
{
    size_t want = count * sizeof *buf, got = 0;

    while (got < want) {
        ssize_t r = pread(fd, (char *)buf + got, want - got,
                          (off_t)(at * sizeof *buf + got));
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        got += (size_t)r;
    }
    return 0;
}

/* Is h in the run? A file that cannot be read says yes: a name taken
 * for nothing costs a ".1", a name given twice costs a file. */
static int run_has(int fd, const struct names_run *run, uint64_t h)
{
    size_t lo = 0, hi = (run->n + NAMES_STEP - 1) / NAMES_STEP, count;
    uint64_t buf[NAMES_STEP] = {0};

    if (!bloom_maybe(run, h) || h < run->index[0])
        return 0;
    while (hi - lo > 1) { /* the last index entry <= h */
        size_t mid = lo + (hi - lo) / 2;
        if (run->index[mid] <= h)
            lo = mid;
        else
            hi = mid;
    }
    count = run->n - lo * NAMES_STEP;
    if (count > NAMES_STEP)
        count = NAMES_STEP;
    if (read_hashes(fd, run->first + lo * NAMES_STEP, buf, count) != 0)
        return 1;
    for (size_t i = 0; i < count && buf[i] <= h; i++)
        if (buf[i] == h)
            return 1;
    return 0;
}

/* Is hash h claimed: in the table or in a spilled run? */
static int has(const struct names *n, uint64_t h)
{
    for (size_t i = h & (n->cap - 1); n->slots[i]; i = (i + 1) & (n->cap - 1))
        if (n->slots[i] == h)
            return 1;
    for (size_t r = 0; r < n->nruns; r++)
        if (run_has(n->fd, &n->runs[r], h))
            return 1;
    return 0;
}

/* Adds h to an open-addressing table that has room. */
static void put(uint64_t *slots, size_t cap, uint64_t h)
{
    size_t i = h & (cap - 1);

    while (slots[i] && slots[i] != h)
        i = (i + 1) & (cap - 1);
    slots[i] = h;
}

/* Doubles the table; 0, or -1 (then it is as it was). */
static int grow(struct names *n)
{
    size_t cap = n->cap * 2;
    uint64_t *slots;

    /* Setup makes cap at least 64; this keeps an overflow from becoming
     * a table of size 0. */
    if (cap <= n->cap)
        return -1;
    slots = calloc(cap, sizeof *slots);
    if (!slots)
        return -1;
    for (size_t i = 0; i < n->cap; i++)
        if (n->slots[i])
            put(slots, cap, n->slots[i]);
    free(n->slots);
    n->slots = slots;
    n->cap = cap;
    return 0;
}

static int cmp_hash(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

    return (x > y) - (x < y);
}

/* Opens the unlinked spill file; 0 or -1. */
static int open_spill(struct names *n)
{
    const char *dir = getenv("TMPDIR");
    char path[4096];
    int fd;

    if (!dir || !*dir)
        dir = "/tmp";
    if ((size_t)snprintf(path, sizeof path, "%s/salvo-names-XXXXXX", dir) >=
        sizeof path)
        return -1;
    fd = mkstemp(path);
    if (fd < 0)
        return -1;
    unlink(path);
    if (fcntl(fd, F_SETFD, FD_CLOEXEC) != 0) {
        close(fd);
        return -1;
    }
    n->fd = fd;
    return 0;
}

/* Writes count hashes to the file at hash index at; 0 or -1. */
static int write_hashes(int fd, uint64_t at, const uint64_t *buf, size_t count)
{
    size_t want = count * sizeof *buf, done = 0;

    while (done < want) {
        ssize_t w = pwrite(fd, (const char *)buf + done, want - done,
                           (off_t)(at * sizeof *buf + done));
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        done += (size_t)w;
    }
    return 0;
}

/* Moves the table's hashes to a new sorted run in the file; 0, or -1
 * (then the table is as it was). */
static int spill(struct names *n)
{
    struct names_run run = {0}, *runs;
    uint64_t *sorted = NULL;
    size_t k = 0;

    if (n->fd < 0 && open_spill(n) != 0)
        return -1;
    runs = realloc(n->runs, (n->nruns + 1) * sizeof *runs);
    if (!runs)
        return -1;
    n->runs = runs;
    run.first = n->spilled;
    run.n = n->used;
    run.nblocks = (n->used * BLOOM_BITS + 511) / 512;
    run.bloom = calloc(run.nblocks * BLOCK_WORDS, sizeof *run.bloom);
    run.index =
        malloc((n->used + NAMES_STEP - 1) / NAMES_STEP * sizeof *run.index);
    sorted = malloc(n->used * sizeof *sorted);
    if (!run.bloom || !run.index || !sorted)
        goto fail;
    for (size_t i = 0; i < n->cap; i++)
        if (n->slots[i])
            sorted[k++] = n->slots[i];
    qsort(sorted, k, sizeof *sorted, cmp_hash);
    if (write_hashes(n->fd, run.first, sorted, k) != 0)
        goto fail;
    for (size_t i = 0; i < k; i++) {
        bloom_add(&run, sorted[i]);
        if (i % NAMES_STEP == 0)
            run.index[i / NAMES_STEP] = sorted[i];
    }
    free(sorted);
    memset(n->slots, 0, n->cap * sizeof *n->slots);
    n->runs[n->nruns++] = run;
    n->spilled += k;
    n->used = 0;
    return 0;
fail:
    free(sorted);
    free(run.bloom);
    free(run.index);
    return -1;
}

/* Room for one more hash: grow the table up to its bound, then spill
 * it; with no spill file, grow past the bound. */
static int room(struct names *n)
{
    if ((n->used + 1) * 2 <= n->cap)
        return 0;
    if (n->cap >= n->max_cap && spill(n) == 0)
        return 0;
    return grow(n);
}

/* Is cand, or its .part, already someone's? Only names are stored (one
 * hash each, half the memory of storing both): cand's own .part is
 * looked up, and a cand ending in ".part" is another item's temporary
 * file if the name without it is claimed. */
static int taken(const struct names *n, const char *cand)
{
    size_t len = strlen(cand);

    if (has(n, hash_parts(cand, len, NULL)) ||
        has(n, hash_parts(cand, len, ".part")))
        return 1;
    return len > 5 && strcmp(cand + len - 5, ".part") == 0 &&
           has(n, hash_parts(cand, len - 5, NULL));
}

/* The hint slot for the wanted name of hash h. */
static struct names_hint *hint_of(const struct names *n, uint64_t h)
{
    return &n->hints[(h >> 20) & (NAMES_HINTS - 1)];
}

char *names_claim(struct names *n, const char *want)
{
    size_t len = strlen(want);
    char *cand = malloc(len + 24);
    uint64_t wh = hash_parts(want, len, NULL);
    struct names_hint *hint;
    unsigned long k = 0;

    if (!cand)
        return NULL;
    memcpy(cand, want, len + 1);
    pthread_mutex_lock(&n->lock);
    if (room(n) != 0) {
        pthread_mutex_unlock(&n->lock);
        free(cand);
        return NULL;
    }
    /* Claims are never given back, so what was taken stays taken: start
     * where the last claim of this name stopped. */
    hint = hint_of(n, wh);
    if (hint->want == wh && hint->next > 0) {
        k = hint->next;
        snprintf(cand + len, 24, ".%lu", k);
    }
    while (taken(n, cand))
        snprintf(cand + len, 24, ".%lu", ++k);
    hint->want = wh;
    hint->next = k + 1;
    put(n->slots, n->cap, hash_parts(cand, strlen(cand), NULL));
    n->used++;
    pthread_mutex_unlock(&n->lock);
    return cand;
}

int names_seen(struct names *n, const char *url, const char *name,
               unsigned long lineno, unsigned long *first)
{
    /* "\1" first and the URL's NUL after it: no name (control bytes are
     * refused in names) and no other URL and NAME pair hash alike but by
     * chance. */
    uint64_t h = hash_fnv(HASH_FNV_INIT, "\1", 1);
    struct names_line *slot;
    int seen;

    h = hash_fnv(h, url, strlen(url) + 1);
    if (name)
        h = hash_fnv(h, name, strlen(name));
    h = hash_mix(h);
    h = h ? h : 1;
    slot = &n->lines[(h >> 20) & (NAMES_HINTS - 1)];
    pthread_mutex_lock(&n->lock);
    seen = has(n, h);
    if (seen) {
        *first = slot->key == h ? slot->line : 0;
    } else if (room(n) != 0) {
        seen = -1;
    } else {
        put(n->slots, n->cap, h);
        n->used++;
        slot->key = h;
        slot->line = lineno;
    }
    pthread_mutex_unlock(&n->lock);
    return seen;
}
