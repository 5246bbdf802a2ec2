/* What salvo tells people (stderr) and scripts (stdout, --json). All
 * output of finished items goes through here, under one lock, so lines
 * from different workers never interleave. */
#ifndef SALVO_REPORT_H
#define SALVO_REPORT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>

#include "options.h"
#include "progress.h"

/* How an item ended. ITEM_NOT_STARTED (a stop came first) prints
 * nothing and is only counted; ITEM_INTERRUPTED (stopped mid-transfer)
 * is not a failure; ITEM_UNCHANGED (-N, 304) counts like ok.
 * ITEM_PLANNED is a --dry-run item that would be downloaded; in a dry
 * run ITEM_SKIPPED and ITEM_FAILED say what a real run would do. */
enum item_status {
    ITEM_OK,
    ITEM_SKIPPED,
    ITEM_FAILED,
    ITEM_INTERRUPTED,
    ITEM_NOT_STARTED,
    ITEM_PLANNED,
    ITEM_UNCHANGED
};

/* One finished item. Strings are borrowed. */
struct result {
    const char *url;  /* as given (masked and escaped here) */
    const char *path; /* DIR/NAME, or NULL when no name was chosen */
    enum item_status status;
    long http_status; /* 0: none */
    /* The file's size after the run, resumed bytes included: the final
     * file when ok, the .part's (the bytes kept) when interrupted or
     * failed. */
    uint64_t bytes;
    uint64_t received; /* body bytes this run received, any status */
    double seconds;
    unsigned attempts; /* 0 for an item that never made a request */
    /* Why it failed or was skipped (a skip's reason: "exists" when
     * NULL, e.g. "checksum ok"); NULL when ok. */
    const char *error;
    /* The input line's number; 0 for a command-line argument (JSON
     * "line":null). A failed item with a line number, no path and no
     * attempt is a bad line: "failed line N: REASON". */
    unsigned long lineno;
    const char *source;         /* the URL whose bytes were kept; NULL: url */
    const char *const *mirrors; /* the item's other URLs (--dry-run) */
    size_t nmirrors;
};

struct report {
    pthread_mutex_t lock; /* guards everything below and the streams */
    const struct options *opts;
    FILE *out, *err;
    unsigned long ok, failed, skipped, planned, unchanged, interrupted,
        not_started;
    unsigned long partial; /* items that left bytes in a .part */
    uint64_t bytes;        /* received, by all items */
    double t0;
    atomic_int *stop;
    int out_closed;      /* stdout gave EPIPE: write nothing more there */
    int color;           /* colour the status words */
    atomic_ulong queued; /* items accepted so far (no lock: main counts
                            them, the view reads them) */
    int input_done;      /* queued is final */

    /* The live view, when stderr is a terminal (else live_on is 0). */
    int live_on;
    struct progress live;
    pthread_t renderer;
    atomic_int quit; /* tells the renderer to end */
};

/* stop is set to SIGPIPE when stdout turns out to be closed (say
 * `salvo --json | head -1`): nobody reads the results any more. */
int report_setup(struct report *r, const struct options *o, FILE *out,
                 FILE *err, atomic_int *stop);
void report_teardown(struct report *r);

/* Prints one finished item (a plain line and/or a JSON line) and counts
 * it. Thread-safe. */
void report_result(struct report *r, const struct result *res);

/* A -v line on stderr: "salvo: URL: WHAT", the URL masked, both
 * escaped. Thread-safe. */
void report_verbose(struct report *r, const char *url, const char *what);

/* report_result with ITEM_PLANNED ("URL -> PATH" on stdout in a dry
 * run). Thread-safe. */
void report_dry_run(struct report *r, const char *url, const char *path);

/* A retry is coming: in plain mode (no live view, not -q) one line
 * "retrying URL in 4 s (2/3): HTTP 503" on stderr; the live view shows
 * it on the item's meter instead (report_meter_wait). wait in seconds;
 * reason may be NULL. Thread-safe. */
void report_retry(struct report *r, const char *url, unsigned n, unsigned max,
                  double wait, const char *reason);

/* The summary line (with the hint to resume partial files); returns
 * the exit status for the counts: 1 if an item failed (or would, in a
 * dry run), else 0. Ends the live view first. */
int report_summary(struct report *r);

/* Starts the live view's renderer thread if stderr is a terminal (and
 * not -q, --no-progress, TERM=dumb). Returns 0 or -1. */
int report_start(struct report *r);

/* One more item accepted (the total grows while input streams), and the
 * end of the input. Thread-safe. */
void report_queued(struct report *r);
void report_input_done(struct report *r);

/* A meter for the live view for an item's whole life, waits included
 * (NULL when there is no live view); report_meter_end gives it back.
 * Thread-safe. */
struct meter *report_meter_begin(struct report *r, const char *name);
void report_meter_end(struct report *r, struct meter *m);

/* The item of m (NULL: nothing happens) waits: the view draws "NAME
 * WHAT in N s (REASON)", e.g. what "retry 2/3" or "waiting for host"
 * (copied), until the absolute time on timeutil_now()'s clock when the
 * wait ends (0: no countdown), reason e.g. "HTTP 503" or NULL. what
 * NULL: the item transfers again (bytes, rate, bar). Thread-safe. */
void report_meter_wait(struct report *r, struct meter *m, const char *what,
                       double until, const char *reason);

#endif
