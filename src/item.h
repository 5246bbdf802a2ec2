/* One item's life: from an input line to its report. Naming, the
 * exists check, the .part, the attempts with their backoff, the
 * checksum and the commit all happen here, on one worker thread; when
 * which item runs is the worker pool's business (worker.h). */
#ifndef SALVO_ITEM_H
#define SALVO_ITEM_H

#include <stdint.h>

#include "input.h"
#include "outfile.h"
#include "progress.h"
#include "report.h"

struct run;
struct host;

/* The buffers of an item's life: too big to travel with every queued
 * item (and to be freed by another thread than made them). */
struct item_scratch {
    char err[1024];     /* res.error's text */
    char etag[256];     /* -N: the stored ETag of NAME, or "" */
    char new_etag[256]; /* -N: the last response's ETag, or "" */
};

/* Everything about one URL, from its line to its report: curl's
 * per_transfer. main makes it (item_prepare); the worker that runs it
 * lets go of its file (item_release) after the report and hands it back
 * to main, which frees it (item_free). */
struct item {
    char *url;      /* owned: the first URL, which names it */
    char **mirrors; /* owned: more URLs for it, tried in order */
    size_t nmirrors;
    const char *src;      /* the URL being tried: url or a mirror */
    char *name;           /* owned: claimed path relative to the output
                             dir; NULL until the response names it */
    char *path;           /* owned: DIR/NAME as shown, or NULL */
    unsigned long lineno; /* input line; 0 for an argument */
    char *host_key;       /* owned: url's, from the line's one parse;
                             the pool takes it (NULL after) */
    char *req_path;       /* owned: url's request path, for its name;
                             freed once it is named */

    /* The worker pool's, under its lock. */
    struct host *host; /* its host's entry (one reference) */
    struct item *next; /* in a queue */
    int holds_host;    /* holds one of its host's slots (they are
                          counted with --max-per-host only) */
    int counted;       /* counts against the -j workers */
    int cleared;       /* dispatched (host free, counted): the first
                          attempt goes at once, without the lock */

    /* Its life, on its worker. */
    struct outfile out;
    int out_ready; /* out was set up: clean it up */
    int replace;   /* NAME exists but fails its checksum: replace
                      it once the new data matches */
    /* -N: the validators of the NAME that exists (etag "" / mtime -1:
     * none), and those of the last response. */
    int64_t mtime;
    int64_t new_mtime;
    unsigned attempts;      /* begun so far */
    uint64_t received;      /* body bytes received by this run */
    struct meter *meter;    /* the live view's line, or NULL */
    struct result res;      /* what is reported */
    struct item_scratch *s; /* its buffers: on its worker's stack while it
                               runs (main's while main prepares it), so
                               that the item itself stays small */
};

/* Makes the item for a parsed line (its strings are taken from in):
 * claims its name in input order, then keeps it only if it is in this
 * machine's --shard. Returns 0 with *out set (NULL: not ours), or -1
 * after reporting the line as failed. Main thread only. */
int item_prepare(struct run *r, struct input_item *in, unsigned long lineno,
                 struct item **out);

/* --dry-run: makes every decision that needs no network as a real run
 * would, reports it, and frees it. */
void item_plan(struct run *r, struct item *it);

/* Runs it to its end and reports it, on a worker. The pool has given
 * it one of its host's slots and counts it against -j already. */
void item_run(struct run *r, struct item *it);

/* Reports an item that a stop kept from starting. */
void item_not_started(struct run *r, struct item *it);

/* Closes and frees what the item's run opened (its file); the rest
 * stays for item_free. */
void item_release(struct item *it);

/* Frees an item and what it owns; NULL is fine. */
void item_free(struct item *it);

#endif
