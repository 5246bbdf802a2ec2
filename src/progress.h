/* The live view: one line per active item and a total line, drawn in
 * place on a terminal. The caller (report.c) holds its lock around
 * every call here except the meter updates, which workers make with
 * atomic stores: no lock per byte. The clock is a parameter (now, on
 * timeutil_now()'s scale) so that a test can drive it. */
#ifndef SALVO_PROGRESS_H
#define SALVO_PROGRESS_H

#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>

/* Bytes of one transfer: written by its worker, read by the renderer. */
struct meter {
    atomic_uint_least64_t now, total; /* total 0: unknown */
};

struct progress_slot {
    struct meter meter; /* first: a meter's address is its slot's */
    int used;
    unsigned long seq; /* start order */
    char name[256];    /* escaped for the terminal */
    uint64_t seen;     /* meter.now when last counted into p->seen */
    double last_t, rate;
    uint64_t last_now; /* meter.now at last_t, for the rate */
    /* A wait instead of a transfer: what[0] == 0 when transferring. */
    char what[64];    /* "retry 2/3", "waiting for host" */
    char reason[128]; /* "HTTP 503", or "" */
    double until;     /* the wait's end on the clock, 0: no countdown */
};

/* What the total line shows. */
struct progress_totals {
    unsigned long ok, failed, skipped, queued;
    unsigned long done; /* finished in any way (ok, failed, ...) */
    int input_done;     /* queued is final: an ETA can be shown */
    uint64_t bytes;     /* received by finished items */
};

struct progress {
    struct progress_slot **slots; /* each allocated once, reused */
    unsigned nslots, cap;
    unsigned long started; /* meters begun, for their order */
    FILE *err;
    int fd; /* the terminal, for its size */
    int color;
    unsigned cols, rows; /* 0: ask the terminal (tests set them) */
    unsigned *lens;      /* columns of each drawn line, for erasing */
    unsigned nlens, lenscap;
    uint64_t seen; /* bytes seen arriving on every meter, ever */
    uint64_t last_seen;
    double last_t, rate; /* the recent total rate, for the ETA */
};

/* now: the clock's time (timeutil_now() in salvo). */
int progress_setup(struct progress *p, FILE *err, int color, double now);
void progress_teardown(struct progress *p);

/* A meter for an item starting now, shown under name; NULL if out of
 * memory. progress_end gives it back. */
struct meter *progress_begin(struct progress *p, const char *name, double now);
void progress_end(struct progress *p, struct meter *m);

/* The item of m waits instead of transferring: shown as "NAME  WHAT in
 * N s (REASON)". what NULL: it transfers again. until: the wait's end
 * on the clock, 0 for no countdown; reason may be NULL. Strings are
 * copied. */
void progress_wait(struct progress *p, struct meter *m, const char *what,
                   double until, const char *reason);

/* Removes the block from the screen (before a permanent line). */
void progress_erase(struct progress *p);

/* Draws the block again, sized to the terminal now: at most rows - 2
 * lines, so that it never scrolls (a block taller than the screen
 * could not be erased and would leave copies in the scrollback). */
void progress_draw(struct progress *p, const struct progress_totals *t,
                   double now);

/* Human sizes and rates: "12.3 MiB". buf needs 16 bytes. */
void progress_size(char *buf, size_t len, double bytes);

#endif
