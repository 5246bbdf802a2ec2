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

enum item_status {
    ITEM_OK,
    ITEM_SKIPPED,
    ITEM_FAILED,
    ITEM_INTERRUPTED, /* stopped mid-transfer; bytes kept in the .part */
    ITEM_NOT_STARTED, /* a stop came before its first attempt */
    ITEM_PLANNED,     /* --dry-run: would be downloaded */
    ITEM_UNCHANGED    /* -N: the server said 304 */
};

/* One finished item. Strings are borrowed. */
struct result {
    const char *url;  /* as given (masked and escaped here) */
    const char *path; /* DIR/NAME, or NULL when no name was chosen */
    enum item_status status;
    long http_status; /* 0: none */
    uint64_t bytes;    /* size of the file (or kept .part) after the run */
    uint64_t received; /* body bytes received by this run */
    double seconds;
    unsigned attempts;
    const char *error;    /* NULL unless failed */
    unsigned long lineno; /* input line number; 0 for an argument */
    int bad_line;         /* the line itself is bad: "failed line N" */
};

struct report {
    pthread_mutex_t lock; /* guards everything below and the streams */
    const struct options *opts;
    FILE *out, *err;
    unsigned long ok, failed, skipped, planned;
    uint64_t bytes;
    double t0;
    atomic_int *stop;
    int out_closed;       /* stdout gave EPIPE: write nothing more there */
    int color;            /* colour the status words */
    unsigned long queued; /* items accepted so far */
    int input_done;       /* queued is final */

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

/* Prints "URL -> PATH" on stdout (--dry-run). Thread-safe. */
void report_dry_run(struct report *r, const char *url, const char *path);

/* The live view shows m's item waiting: what ("retry 2/3", "waiting
 * for host"; NULL: transferring again), until (timeutil_now() time the
 * wait ends, 0: none) and reason (or NULL). m may be NULL. Thread-safe. */
void report_meter_wait(struct report *r, struct meter *m, const char *what,
                       double until, const char *reason);

/* A retry to come: in plain mode one line "retrying URL in 4 s (2/3):
 * HTTP 503"; the live view shows it in the item's line instead.
 * Thread-safe. */
void report_retry(struct report *r, const char *url, unsigned n, unsigned max,
                  double wait, const char *reason);

/* The summary line; returns the exit status for the counts (0 or 1).
 * Ends the live view first. */
int report_summary(struct report *r);

/* Starts the live view's renderer thread if stderr is a terminal (and
 * not -q, --no-progress, TERM=dumb). Returns 0 or -1. */
int report_start(struct report *r);

/* One more item accepted (the total grows while input streams), and the
 * end of the input. Thread-safe. */
void report_queued(struct report *r);
void report_input_done(struct report *r);

/* A meter for the live view while a transfer runs (NULL when there is
 * no live view); report_meter_end gives it back. Thread-safe. */
struct meter *report_meter_begin(struct report *r, const char *name);
void report_meter_end(struct report *r, struct meter *m);

#endif
