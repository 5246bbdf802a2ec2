/* The output names claimed in one run, so that two items never share one
 * output file. */
#ifndef SALVO_NAMES_H
#define SALVO_NAMES_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

/* Stores a 64-bit hash per name, not the name: in a table in memory of
 * at most max_slots (1 MiB by default); when that fills, its hashes go
 * sorted to a temporary file (unlinked at once, in $TMPDIR or /tmp) and
 * memory keeps only a Bloom filter (10 bits per name) and every 64th
 * hash of each such run. So a million names cost about 2.5 MiB, not 16;
 * a lookup reads the file only on a filter hit. Without a temporary file
 * the table just grows.
 *
 * Beside it, a fixed table of NAMES_HINTS hints remembers, per wanted
 * name, the next suffix to try, so that a list of many URLs with one name
 * costs one probe per claim, not one per earlier claim. A hint is only a
 * shortcut: a lost one (two names in one hint slot) costs probes, never a
 * wrong name. */
#define NAMES_HINTS 4096

struct names_run;
struct names_hint {
    uint64_t want;      /* hash of the wanted name; 0: empty */
    unsigned long next; /* want.1 .. want.(next - 1) are taken */
};

struct names_line {
    uint64_t key;       /* hash of a URL and NAME; 0: empty */
    unsigned long line; /* the line it was first seen on */
};

struct names {
    pthread_mutex_t lock; /* guards all below */
    uint64_t *slots;      /* open addressing; 0 means empty */
    size_t used, cap, max_cap;
    int fd; /* the spill file, -1 until the first spill */
    struct names_run *runs;
    size_t nruns;
    uint64_t spilled;         /* hashes in the file */
    struct names_hint *hints; /* NAMES_HINTS of them */
    struct names_line *lines; /* NAMES_HINTS of them: where keys were seen */
};

/* Returns 0, or -1 when out of memory. */
int names_setup(struct names *n);
/* names_setup() with another memory bound (for tests); a power of 2. */
int names_setup_bounded(struct names *n, size_t max_slots);
void names_teardown(struct names *n);

/* Claims want, or the first free of want.1, want.2, ... A claim also
 * holds NAME.part, so one item's final name is never another item's
 * temporary file (checked on lookup; one hash is stored per name).
 * Returns the claimed name (caller frees), NULL when out of memory.
 * Thread-safe. */
char *names_claim(struct names *n, const char *want);

/* Records that the item (url, name: NULL for none) was seen on line
 * lineno: 1 if it was seen before (then *first is that line, or 0 when
 * that is no longer known or it was an argument), 0 if it is new, -1
 * when out of memory. Kept in the same bounded store as the names (one
 * hash each, apart from any name's), so a list of any length is
 * checked whole. Thread-safe. */
int names_seen(struct names *n, const char *url, const char *name,
               unsigned long lineno, unsigned long *first);

#endif
