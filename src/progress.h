/* The live view: one line per active transfer and a total line, drawn
 * in place on a terminal. The caller (report.c) holds its lock around
 * every call here except the meter updates, which workers make with
 * atomic stores: no lock per byte. */
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
    int used;
    char name[256]; /* escaped for the terminal */
    struct meter meter;
    uint64_t last_now; /* the renderer's last sample, for the rate */
    double last_t, rate;
};

/* What the total line shows. */
struct progress_totals {
    unsigned long ok, failed, skipped, queued;
    int input_done; /* queued is final: an ETA can be shown */
    uint64_t bytes; /* of finished items */
    double elapsed;
};

struct progress {
    struct progress_slot *slots;
    unsigned nslots;
    FILE *err;
    int color;
    unsigned rows;     /* screen rows the block takes now */
    unsigned lens[64]; /* columns of each drawn line, for erasing */
    unsigned nlens;
    uint64_t last_bytes;
    double last_t, rate;
};

int progress_setup(struct progress *p, unsigned nslots, FILE *err, int color);
void progress_teardown(struct progress *p);

/* A meter for a transfer starting now, shown under name; NULL if every
 * slot is taken. progress_end gives it back. */
struct meter *progress_begin(struct progress *p, const char *name);
void progress_end(struct progress *p, const struct meter *m);

/* Removes the block from the screen (before a permanent line). */
void progress_erase(struct progress *p);

/* Draws the block again, sized to the terminal's width now. */
void progress_draw(struct progress *p, const struct progress_totals *t);

/* Human sizes and rates: "12.3 MiB". buf needs 16 bytes. */
void progress_size(char *buf, size_t len, double bytes);

#endif
