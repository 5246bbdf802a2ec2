/* Output names: derived from URLs, checked when the user gives them, and
 * made unique within one run. */
#ifndef SALVO_NAMING_H
#define SALVO_NAMING_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

/* Longest name salvo derives. Below NAME_MAX (255) so that NAME.part and
 * a NAME.N collision suffix still fit. */
#define NAMING_MAX 240

/* Makes one path component from len raw bytes (which may hold NULs):
 * '/', '\\', NUL and control bytes become '_', "." and ".." become "_"
 * and "__", empty becomes "index.html", longer than NAMING_MAX is cut
 * (keeping a short extension, never splitting a UTF-8 sequence). The
 * caller frees the result; NULL when out of memory. */
char *naming_sanitize(const char *raw, size_t len);

/* The file name for url: its last non-empty path segment, without the
 * query, percent-decoded once, then naming_sanitize()d. The caller frees
 * it; NULL when out of memory. */
char *naming_from_url(const char *url);

/* The file name a Content-Disposition header value asks for:
 * filename*= (RFC 8187: charset'lang'percent-encoded) wins over
 * filename=; only what follows the last '/' or '\\' is kept, then it is
 * naming_sanitize()d. NULL if the header names no file (or out of
 * memory): the caller falls back to naming_from_url(). The caller frees
 * the result. */
char *naming_from_disposition(const char *value);

/* "DIR/NAME" as shown to the user ("NAME" when DIR is "."). The caller
 * frees it; NULL when out of memory. */
char *naming_display_path(const char *dir, const char *name);

/* Checks and normalises a NAME given on an input line: a relative path,
 * sub-folders allowed; "." and empty components are dropped; absolute
 * paths, ".." components, control bytes and components longer than
 * NAMING_MAX are refused. A NAME ending in '/' is a folder: the name
 * derived from url goes inside it. Returns the path (caller frees), or
 * NULL with the reason in err (or "out of memory"). */
char *naming_user_path(const char *name, const char *url, char *err,
                       size_t errlen);

/* The names claimed in this run, so that two items never share one
 * output file. Stores a 64-bit hash per name, not the name: in a table
 * in memory of at most max_slots (1 MiB by default); when that fills,
 * its hashes go sorted to a temporary file (unlinked at once, in
 * $TMPDIR or /tmp) and memory keeps only a Bloom filter (10 bits per
 * name) and every 64th hash of each such run. So a million names cost
 * about 2.5 MiB, not 16; a lookup reads the file only on a filter hit.
 * Without a temporary file the table just grows. */
struct names_run;
struct names {
    pthread_mutex_t lock; /* guards all below */
    uint64_t *slots;      /* open addressing; 0 means empty */
    size_t used, cap, max_cap;
    int fd; /* the spill file, -1 until the first spill */
    struct names_run *runs;
    size_t nruns;
    uint64_t spilled; /* hashes in the file */
};

int names_setup(struct names *n);
/* names_setup() with another memory bound (for tests); a power of 2. */
int names_setup_bounded(struct names *n, size_t max_slots);
void names_teardown(struct names *n);

/* Claims want, or the first free of want.1, want.2, ... A claim also
 * holds NAME.part, so one item's final name is never another item's
 * temporary file (checked on lookup; one hash is stored per name). Returns the
 * claimed name (caller frees), NULL when out of memory. Thread-safe. */
char *names_claim(struct names *n, const char *want);

#endif
