#include "config.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "escape.h"
#include "progress.h"

/* The columns of a transfer line's fields (see layouts below). */
#define SIZES_W 21  /* "%9s / %-9s" */
#define PCT_W 4     /* "%3d%%" */
#define RATE_W 11   /* "%9s/s" */
#define NAME_MIN 16 /* a name squeezed below this says too little */

int progress_setup(struct progress *p, FILE *err, int color, double now)
{
    memset(p, 0, sizeof *p);
    p->err = err;
    p->fd = err ? fileno(err) : -1;
    p->color = color;
    p->last_t = now;
    return 0;
}

void progress_teardown(struct progress *p)
{
    for (unsigned i = 0; i < p->nslots; i++)
        free(p->slots[i]);
    free(p->slots);
    free(p->lens);
    p->slots = NULL;
    p->lens = NULL;
    p->nslots = p->cap = p->nlens = p->lenscap = 0;
}

/* Columns a UTF-8 string takes (one per character; no wide ones). */
static size_t columns(const char *s)
{
    size_t n = 0;

    for (; *s; s++)
        if (((unsigned char)*s & 0xc0) != 0x80)
            n++;
    return n;
}

/* Byte offset of column col in s (its length if s is shorter). */
static size_t at_column(const char *s, size_t col)
{
    size_t i = 0, n = 0;

    for (; s[i]; i++) {
        if (((unsigned char)s[i] & 0xc0) != 0x80) {
            if (n == col)
                break;
            n++;
        }
    }
    return i;
}

/* Appends columns [from, from + n) of s to out (of outlen bytes). */
static void append_cols(char *out, size_t outlen, const char *s, size_t from,
                        size_t n)
{
    size_t a = at_column(s, from), b = at_column(s, from + n);
    size_t len = strlen(out);

    if (len + 1 >= outlen)
        return;
    if (b - a > outlen - len - 1)
        b = a + (outlen - len - 1);
    memcpy(out + len, s + a, b - a);
    out[len + (b - a)] = '\0';
}

static size_t min_size(size_t a, size_t b)
{
    return a < b ? a : b;
}

/* Copies name into out, shortened to width columns with "..." when it
 * is longer. Names shown at the same time must stay distinguishable:
 * pre is the number of leading columns this name shares with another
 * one shown, suf the trailing ones; the cut keeps column pre (where it
 * starts to differ) in the head or column cols - suf - 1 in the tail. */
static void shorten(char *out, size_t outlen, const char *name, size_t width,
                    size_t pre, size_t suf)
{
    size_t cols = columns(name), budget, h, t;

    out[0] = '\0';
    if (cols <= width) {
        append_cols(out, outlen, name, 0, cols);
        return;
    }
    if (width < 5) {
        append_cols(out, outlen, name, 0, width);
        return;
    }
    budget = width - 3;
    h = (budget + 1) / 2;
    t = budget - h;
    if (pre >= h && suf + 1 > t) {
        /* The middle cut hides the difference: move the cut so that
         * the longer of head and tail still shows it. */
        size_t bh = pre + 1, ct = suf + 1;
        int b_ok = bh <= budget, c_ok = ct <= budget;
        size_t b_min = b_ok ? min_size(bh, budget - bh) : 0;
        size_t c_min = c_ok ? min_size(ct, budget - ct) : 0;

        if (c_ok && (!b_ok || c_min >= b_min)) {
            t = ct;
            h = budget - t;
        } else if (b_ok) {
            h = bh;
            t = budget - h;
        } else if (width >= 12 && pre < cols) {
            /* Both far from the ends: head...MIDDLE...tail. */
            size_t hh = 2, tt = 2, mid = width - 6 - hh - tt;
            size_t from = pre > mid / 2 ? pre - mid / 2 : 0;

            if (from < hh)
                from = hh;
            if (from + mid > cols - tt)
                from = cols - tt - mid;
            append_cols(out, outlen, name, 0, hh);
            append_cols(out, outlen, "...", 0, 3);
            append_cols(out, outlen, name, from, mid);
            append_cols(out, outlen, "...", 0, 3);
            append_cols(out, outlen, name, cols - tt, tt);
            return;
        }
    }
    append_cols(out, outlen, name, 0, h);
    append_cols(out, outlen, "...", 0, 3);
    append_cols(out, outlen, name, cols - t, t);
}

static struct progress_slot *slot_of(struct meter *m)
{
    /* The meter is the slot's first member. */
    return (
        struct progress_slot *)(void *)((char *)m -
                                        offsetof(struct progress_slot, meter));
}

struct meter *progress_begin(struct progress *p, const char *name, double now)
{
    struct progress_slot *s = NULL;
    char *shown = escape_term(name);

    for (unsigned i = 0; i < p->nslots && !s; i++)
        if (!p->slots[i]->used)
            s = p->slots[i];
    if (!s) {
        if (p->nslots == p->cap) {
            unsigned cap = p->cap ? 2 * p->cap : 16;
            struct progress_slot **n =
                realloc(p->slots, cap * sizeof *p->slots);
            if (!n)
                goto out;
            p->slots = n;
            p->cap = cap;
        }
        s = calloc(1, sizeof *s);
        if (!s)
            goto out;
        p->slots[p->nslots++] = s;
    }
    s->used = 1;
    s->seq = ++p->started;
    snprintf(s->name, sizeof s->name, "%s", shown ? shown : "?");
    atomic_store(&s->meter.now, 0);
    atomic_store(&s->meter.total, 0);
    s->seen = 0;
    s->last_now = 0;
    s->last_t = now;
    s->rate = 0;
    s->what[0] = s->reason[0] = '\0';
    s->until = 0;
out:
    free(shown);
    return s ? &s->meter : NULL;
}

/* Adds the bytes that arrived on s since the last look to p->seen. A
 * meter that went back (an attempt that restarts from byte 0) starts
 * counting again from there. */
static void count_seen(struct progress *p, struct progress_slot *s)
{
    uint64_t cur = atomic_load(&s->meter.now);

    if (cur >= s->seen)
        p->seen += cur - s->seen;
    s->seen = cur;
}

void progress_end(struct progress *p, struct meter *m)
{
    struct progress_slot *s = slot_of(m);

    count_seen(p, s);
    s->used = 0;
}

void progress_wait(struct progress *p, struct meter *m, const char *what,
                   double until, const char *reason)
{
    struct progress_slot *s = slot_of(m);
    char *w = what ? escape_term(what) : NULL;
    char *r = reason ? escape_term(reason) : NULL;

    (void)p;
    snprintf(s->what, sizeof s->what, "%s", what ? (w ? w : "waiting") : "");
    snprintf(s->reason, sizeof s->reason, "%s", r ? r : "");
    s->until = what ? until : 0;
    free(w);
    free(r);
}

void progress_size(char *buf, size_t len, double bytes)
{
    static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    unsigned u = 0;

    while (bytes >= 1024 && u < 4) {
        bytes /= 1024;
        u++;
    }
    if (u == 0)
        snprintf(buf, len, "%.0f %s", bytes, units[u]);
    else
        snprintf(buf, len, "%.1f %s", bytes, units[u]);
}

static void term_size(struct progress *p, unsigned *cols, unsigned *rows)
{
    struct winsize ws;
    int ok = p->fd >= 0 && ioctl(p->fd, TIOCGWINSZ, &ws) == 0;

    *cols = p->cols ? p->cols : ok && ws.ws_col > 0 ? ws.ws_col : 80;
    *rows = p->rows ? p->rows : ok && ws.ws_row > 0 ? ws.ws_row : 24;
}

void progress_erase(struct progress *p)
{
    unsigned width, height, rows = 0;

    term_size(p, &width, &height);
    /* A line longer than the width now (the terminal shrank) wraps:
     * count the rows it takes today. */
    for (unsigned i = 0; i < p->nlens; i++)
        rows += p->lens[i] == 0 ? 1 : (p->lens[i] + width - 1) / width;
    if (rows > 0)
        fprintf(p->err, "\r\033[%uA\033[J", rows);
    p->nlens = 0;
}

/* Prints one line of the block, cut to width - 1 columns (the lines
 * are built to fit; the cut only guards the last column, where some
 * terminals wrap at once). */
static void put_line(struct progress *p, const char *line, unsigned width)
{
    size_t cols = columns(line);

    if (cols > width - 1)
        cols = width - 1;
    fprintf(p->err, "%.*s\033[K\n", (int)at_column(line, cols), line);
    if (p->nlens == p->lenscap) {
        unsigned cap = p->lenscap ? 2 * p->lenscap : 64;
        unsigned *n = realloc(p->lens, cap * sizeof *n);
        if (!n)
            return; /* erase then leaves this line: better than a crash */
        p->lens = n;
        p->lenscap = cap;
    }
    p->lens[p->nlens++] = (unsigned)cols;
}

/* The fields of a transfer line, richest first. A narrower terminal
 * drops whole fields rather than cutting one. */
enum { F_SIZES = 1, F_PCT = 2, F_RATE = 4 };
static const struct layout {
    int fields;
    int bar; /* columns of the bar inside [ ], 0: none */
} layouts[] = {
    {F_SIZES | F_PCT | F_RATE, 20},
    {F_SIZES | F_PCT | F_RATE, 12},
    {F_SIZES | F_PCT | F_RATE, 8},
    {F_SIZES | F_PCT | F_RATE, 0},
    {F_PCT | F_RATE, 0},
    {F_PCT, 0},
    {0, 0},
};
#define NLAYOUTS (sizeof layouts / sizeof layouts[0])
#define RICH_LAYOUTS 4 /* those that show the sizes */

static unsigned layout_width(const struct layout *l)
{
    unsigned w = 0;

    if (l->fields & F_SIZES)
        w += 1 + SIZES_W;
    if (l->bar)
        w += 1 + (unsigned)l->bar + 2;
    if (l->fields & F_PCT)
        w += 1 + PCT_W;
    if (l->fields & F_RATE)
        w += 1 + RATE_W;
    return w;
}

/* Picks the layout and the name column's width for names up to
 * longest columns in a line of avail columns. The name is never padded
 * wider than the longest one: padding goes before any field does. */
static const struct layout *choose(unsigned avail, unsigned longest,
                                   unsigned *namew)
{
    unsigned want = longest == 0 ? 1 : longest < NAME_MIN ? longest : NAME_MIN;
    /* Whole names with the sizes, if some layout allows that. */
    for (unsigned i = 0; i < RICH_LAYOUTS; i++) {
        unsigned lw = layout_width(&layouts[i]);
        if (lw < avail && avail - lw >= longest) {
            *namew = longest;
            return &layouts[i];
        }
    }
    for (unsigned i = 0; i < NLAYOUTS; i++) {
        unsigned lw = layout_width(&layouts[i]);
        if (lw < avail && avail - lw >= want) {
            *namew = avail - lw < longest ? avail - lw : longest;
            return &layouts[i];
        }
    }
    *namew = avail;
    return &layouts[NLAYOUTS - 1];
}

/* The wait text that fits in room columns, dropping whole parts: the
 * reason, then the countdown, then trailing words. */
static void wait_text(char *out, size_t outlen, const struct progress_slot *s,
                      double now, size_t room)
{
    char count[32] = "", what[64];

    if (s->until > 0) {
        double left = s->until - now;
        long secs = left > 0 ? (long)left : 0;
        if ((double)secs < left) /* whole seconds, rounded up */
            secs++;
        snprintf(count, sizeof count, " in %ld s", secs);
    }
    snprintf(out, outlen, "%s%s%s%s%s", s->what, count,
             s->reason[0] ? " (" : "", s->reason, s->reason[0] ? ")" : "");
    if (columns(out) <= room)
        return;
    snprintf(out, outlen, "%s%s", s->what, count);
    if (columns(out) <= room)
        return;
    snprintf(what, sizeof what, "%s", s->what);
    while (columns(what) > room) {
        char *sp = strrchr(what, ' ');
        if (!sp) {
            what[0] = '\0';
            break;
        }
        *sp = '\0';
    }
    snprintf(out, outlen, "%s", what);
}

static void transfer_line(struct progress *p, struct progress_slot *s,
                          const struct layout *l, unsigned namew, size_t pre,
                          size_t suf, unsigned width, double now)
{
    uint64_t done = atomic_load(&s->meter.now);
    uint64_t total = atomic_load(&s->meter.total);
    char line[1024], name[600], field[64];
    size_t len;

    if (now - s->last_t >= 0.5) { /* a steadier rate than per frame */
        double inst = done >= s->last_now
                          ? (double)(done - s->last_now) / (now - s->last_t)
                          : 0;
        s->rate = s->rate == 0 ? inst : 0.5 * s->rate + 0.5 * inst;
        s->last_now = done;
        s->last_t = now;
    }
    shorten(name, sizeof name, s->name, namew, pre, suf);
    len = columns(name);
    snprintf(line, sizeof line, "%s%*s", name, (int)(namew - len), "");
    if (s->what[0]) {
        size_t used = columns(line) + 2;
        char text[256];
        wait_text(text, sizeof text, s, now,
                  used < width - 1 ? width - 1 - used : 0);
        if (text[0]) {
            strncat(line, "  ", sizeof line - strlen(line) - 1);
            strncat(line, text, sizeof line - strlen(line) - 1);
        }
        put_line(p, line, width);
        return;
    }
    if (total > 0 && done > total)
        total = done;
    if (l->fields & F_SIZES) {
        char a[16], b[16];
        progress_size(a, sizeof a, (double)done);
        if (total > 0)
            progress_size(b, sizeof b, (double)total);
        else
            snprintf(b, sizeof b, "?");
        snprintf(field, sizeof field, " %9s / %-9s", a, b);
        strncat(line, field, sizeof line - strlen(line) - 1);
    }
    if (l->bar) {
        int fill = total > 0
                       ? (int)((double)l->bar * (double)done / (double)total)
                       : 0;
        snprintf(field, sizeof field, " [%.*s%*s]", fill,
                 "====================", l->bar - fill, "");
        strncat(line, field, sizeof line - strlen(line) - 1);
    }
    if (l->fields & F_PCT) {
        if (total > 0)
            snprintf(field, sizeof field, " %3d%%",
                     (int)(100.0 * (double)done / (double)total));
        else
            snprintf(field, sizeof field, " %4s", "");
        strncat(line, field, sizeof line - strlen(line) - 1);
    }
    if (l->fields & F_RATE) {
        char r[16];
        progress_size(r, sizeof r, s->rate);
        snprintf(field, sizeof field, " %9s/s", r);
        strncat(line, field, sizeof line - strlen(line) - 1);
    }
    /* No trailing blanks (a line without a total ends in spaces). */
    len = strlen(line);
    while (len > 0 && line[len - 1] == ' ')
        line[--len] = '\0';
    put_line(p, line, width);
}

/* Seconds left: the bytes still to come over the recent rate, or -1
 * when that cannot be known: the input may still grow, an item left
 * has no meter yet or no known size, or nothing is arriving. */
static double eta(const struct progress *p, const struct progress_totals *t)
{
    unsigned long active = 0;
    uint64_t left = 0;

    if (!t->input_done || p->rate < 1)
        return -1;
    for (unsigned i = 0; i < p->nslots; i++) {
        const struct progress_slot *s = p->slots[i];
        uint64_t now, total;
        if (!s->used)
            continue;
        now = atomic_load(&s->meter.now);
        total = atomic_load(&s->meter.total);
        if (total == 0)
            return -1;
        left += total > now ? total - now : 0;
        active++;
    }
    /* Items queued but without a meter have not started: size unknown.
     * (Items that never reach a worker, bad lines, may make done larger
     * than queued: then there is nothing unknown left either.) */
    if (t->queued > t->done && t->queued - t->done > active)
        return -1;
    return (double)left / p->rate;
}

static void total_line(struct progress *p, const struct progress_totals *t,
                       unsigned width, uint64_t inflight)
{
    char counts[4][160], extra[3][48], line[640], a[16], r[16];
    const char *plus = t->input_done ? "" : "+";
    double left = eta(p, t);
    int extras[4][3] = {{1, 1, 1}, {0, 1, 1}, {0, 0, 1}, {0, 0, 0}};

    progress_size(a, sizeof a, (double)(t->bytes + inflight));
    progress_size(r, sizeof r, p->rate);
    snprintf(extra[0], sizeof extra[0], "  %s", a);
    snprintf(extra[1], sizeof extra[1], "  %s/s", r);
    extra[2][0] = '\0';
    if (left >= 0) {
        unsigned long s = (unsigned long)(left + 0.5);
        if (s >= 3600)
            snprintf(extra[2], sizeof extra[2], "  ETA %lu:%02lu:%02lu",
                     s / 3600, s / 60 % 60, s % 60);
        else
            snprintf(extra[2], sizeof extra[2], "  ETA %lu:%02lu", s / 60,
                     s % 60);
    }
    snprintf(counts[0], sizeof counts[0],
             "total: %lu ok, %lu failed, %lu skipped of %lu%s", t->ok,
             t->failed, t->skipped, t->queued, plus);
    snprintf(counts[1], sizeof counts[1],
             "%lu ok, %lu failed, %lu skipped of %lu%s", t->ok, t->failed,
             t->skipped, t->queued, plus);
    snprintf(counts[2], sizeof counts[2], "%lu ok, %lu failed of %lu%s", t->ok,
             t->failed, t->queued, plus);
    snprintf(counts[3], sizeof counts[3], "%lu/%lu%s", t->done, t->queued,
             plus);
    for (unsigned c = 0; c < 4; c++) {
        for (unsigned e = 0; e < 4; e++) {
            snprintf(line, sizeof line, "%s", counts[c]);
            for (unsigned k = 0; k < 3; k++)
                if (extras[e][k])
                    strncat(line, extra[k], sizeof line - strlen(line) - 1);
            if (columns(line) <= width - 1) {
                put_line(p, line, width);
                return;
            }
        }
    }
    put_line(p, "", width); /* not even "N/M" fits: an empty line */
}

/* The longest common prefix and suffix, in columns, of any two
 * different names of the n shown in this frame. Every name is cut so
 * as to keep the column after that prefix or before that suffix: the
 * names stay distinguishable, and all are cut the same way. */
static void overlap(struct progress_slot *const *shown, unsigned n,
                    size_t *pre, size_t *suf)
{
    *pre = *suf = 0;
    for (unsigned a = 0; a < n; a++) {
        const char *x = shown[a]->name;
        size_t la = strlen(x);

        for (unsigned b = a + 1; b < n; b++) {
            const char *y = shown[b]->name;
            size_t lb = strlen(y), k = 0, j = 0;
            char head[256];

            while (k < la && k < lb && x[k] == y[k])
                k++;
            while (j < la && j < lb && x[la - 1 - j] == y[lb - 1 - j])
                j++;
            if (k == la && k == lb)
                continue; /* the very same name: nothing tells them apart */
            snprintf(head, sizeof head, "%.*s", (int)k, x);
            if (columns(head) > *pre)
                *pre = columns(head);
            if (columns(x + la - j) > *suf)
                *suf = columns(x + la - j);
        }
    }
}

/* Transferring items before waiting ones, each oldest first: the
 * lines keep their places from frame to frame. */
static int by_start(const void *a, const void *b)
{
    const struct progress_slot *x = *(struct progress_slot *const *)a;
    const struct progress_slot *y = *(struct progress_slot *const *)b;
    int xw = x->what[0] != '\0', yw = y->what[0] != '\0';

    if (xw != yw)
        return xw - yw;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Counts what arrived since the last frame, updates the total rate,
 * and lists the items in use, in the order they are shown. Returns
 * their number, or 0 with *all NULL. */
static unsigned sample(struct progress *p, double now,
                       struct progress_slot ***all, uint64_t *inflight)
{
    unsigned n = 0;

    *inflight = 0;
    *all = p->nslots ? malloc(p->nslots * sizeof **all) : NULL;
    for (unsigned i = 0; i < p->nslots; i++) {
        struct progress_slot *s = p->slots[i];
        if (!s->used)
            continue;
        count_seen(p, s);
        *inflight += atomic_load(&s->meter.now);
        if (*all)
            (*all)[n++] = s;
    }
    if (now - p->last_t >= 0.5) {
        double inst = (double)(p->seen - p->last_seen) / (now - p->last_t);
        p->rate = p->rate == 0 ? inst : 0.5 * p->rate + 0.5 * inst;
        p->last_seen = p->seen;
        p->last_t = now;
    }
    if (n > 1)
        qsort(*all, n, sizeof **all, by_start);
    return n;
}

static void draw_frame(struct progress *p, const struct progress_totals *t,
                       double now)
{
    unsigned width, height, maxlines, nused, room, longest = 0, namew = 0;
    size_t pre, suf;
    uint64_t inflight;
    const struct layout *l;
    struct progress_slot **all;

    progress_erase(p);
    term_size(p, &width, &height);
    if (width < 10)
        width = 10;
    /* At most height - 2 rows: the block never reaches the top of the
     * screen, so the cursor can always climb back over all of it. */
    maxlines = height > 3 ? height - 2 : 1;
    nused = sample(p, now, &all, &inflight);
    /* Room for item lines: all of them and the total line, or as many
     * as fit above "... and N more" and the total line. */
    if (nused + 1 <= maxlines)
        room = nused;
    else
        room = maxlines >= 3 ? maxlines - 2 : 0;
    for (unsigned i = 0; i < room; i++)
        if (columns(all[i]->name) > longest)
            longest = (unsigned)columns(all[i]->name);
    l = choose(width - 1, longest, &namew);
    overlap(all, room, &pre, &suf);
    for (unsigned i = 0; i < room; i++)
        transfer_line(p, all[i], l, namew, pre, suf, width, now);
    free(all);
    if (nused > room && maxlines >= 2) {
        char line[64];
        snprintf(line, sizeof line, "... and %u more", nused - room);
        put_line(p, line, width);
    }
    total_line(p, t, width, inflight);
}

/* The frame goes out in one write: a terminal never shows half of it
 * (no flicker), and there is one system call per frame, not per line.
 * Without the memory stream it is written line by line. */
void progress_draw(struct progress *p, const struct progress_totals *t,
                   double now)
{
    FILE *out = p->err;
    char *buf = NULL;
    size_t len = 0;
    FILE *frame = open_memstream(&buf, &len);

    if (frame)
        p->err = frame;
    draw_frame(p, t, now);
    if (frame) {
        p->err = out;
        if (fclose(frame) == 0 && buf)
            fwrite(buf, 1, len, out);
        free(buf);
    }
    fflush(out);
}
