#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "escape.h"
#include "progress.h"
#include "timeutil.h"

#define MAX_LINES 64 /* transfers shown; the rest are summed up */

int progress_setup(struct progress *p, unsigned nslots, FILE *err, int color)
{
    memset(p, 0, sizeof *p);
    p->slots = calloc(nslots, sizeof *p->slots);
    if (!p->slots)
        return -1;
    p->nslots = nslots;
    p->err = err;
    p->color = color;
    p->last_t = timeutil_now();
    return 0;
}

void progress_teardown(struct progress *p)
{
    free(p->slots);
    p->slots = NULL;
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

/* Byte offset of column col in s. */
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

/* Copies name into out shortened from the middle to width columns. */
static void fit(char *out, size_t outlen, const char *name, size_t width)
{
    size_t cols = columns(name), head, tail;

    if (cols <= width || width < 5) {
        snprintf(out, outlen, "%.*s", (int)at_column(name, width), name);
        return;
    }
    head = (width - 3) / 2;
    tail = width - 3 - head;
    snprintf(out, outlen, "%.*s...%s", (int)at_column(name, head), name,
             name + at_column(name, cols - tail));
}

struct meter *progress_begin(struct progress *p, const char *name)
{
    char *shown = escape_term(name);

    for (unsigned i = 0; i < p->nslots; i++) {
        struct progress_slot *s = &p->slots[i];
        if (s->used)
            continue;
        s->used = 1;
        snprintf(s->name, sizeof s->name, "%s", shown ? shown : "?");
        atomic_store(&s->meter.now, 0);
        atomic_store(&s->meter.total, 0);
        s->last_now = 0;
        s->last_t = timeutil_now();
        s->rate = 0;
        free(shown);
        return &s->meter;
    }
    free(shown);
    return NULL;
}

void progress_end(struct progress *p, const struct meter *m)
{
    for (unsigned i = 0; i < p->nslots; i++)
        if (&p->slots[i].meter == m)
            p->slots[i].used = 0;
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

static unsigned term_width(FILE *f)
{
    struct winsize ws;

    if (ioctl(fileno(f), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    return 80;
}

void progress_erase(struct progress *p)
{
    unsigned width = term_width(p->err), rows = 0;

    /* A line longer than the width now (the terminal shrank) wraps:
     * count the rows it takes today. */
    for (unsigned i = 0; i < p->nlens; i++)
        rows += p->lens[i] == 0 ? 1 : (p->lens[i] + width - 1) / width;
    if (rows > 0)
        fprintf(p->err, "\r\033[%uA\033[J", rows);
    p->nlens = 0;
}

/* Prints one line of the block, cut to width - 1 columns. */
static void put_line(struct progress *p, const char *line, unsigned width)
{
    size_t cols = columns(line);

    if (cols > width - 1)
        cols = width - 1;
    fprintf(p->err, "%.*s\033[K\n", (int)at_column(line, cols), line);
    if (p->nlens < MAX_LINES + 2)
        p->lens[p->nlens++] = (unsigned)cols;
}

static void transfer_line(struct progress *p, struct progress_slot *s,
                          unsigned width, double now)
{
    uint64_t done = atomic_load(&s->meter.now);
    uint64_t total = atomic_load(&s->meter.total);
    char line[1024], name[600], a[16], b[16], r[16], bar[40] = "";
    /* The columns besides the name: sizes 22, bar 27, rate 13. */
    int with_bar = width >= 62 + 20;
    int namew = (int)width - 1 - (with_bar ? 62 : 35);

    if (now - s->last_t >= 0.5) { /* a steadier rate than per frame */
        double inst = (double)(done - s->last_now) / (now - s->last_t);
        s->rate = s->rate == 0 ? inst : 0.5 * s->rate + 0.5 * inst;
        s->last_now = done;
        s->last_t = now;
    }
    progress_size(a, sizeof a, (double)done);
    progress_size(r, sizeof r, s->rate);
    if (namew < 8)
        namew = 8;
    fit(name, sizeof name, s->name, (size_t)namew);
    if (total > 0 && with_bar) {
        int fill = (int)(20.0 * (double)done / (double)total);
        progress_size(b, sizeof b, (double)total);
        if (fill > 20)
            fill = 20;
        snprintf(bar, sizeof bar, "[%.*s%*s] %3d%%", fill,
                 "====================", 20 - fill, "",
                 (int)(100.0 * (double)done / (double)total));
    }
    if (total > 0 && !with_bar)
        progress_size(b, sizeof b, (double)total);
    else if (total == 0)
        snprintf(b, sizeof b, "?");
    snprintf(line, sizeof line, "%-*s %9s / %-9s%s%s %9s/s", namew, name, a, b,
             with_bar ? " " : "", bar, r);
    put_line(p, line, width);
}

static void total_line(struct progress *p, const struct progress_totals *t,
                       unsigned width, double now, uint64_t inflight)
{
    uint64_t bytes = t->bytes + inflight;
    unsigned long done = t->ok + t->failed + t->skipped;
    char line[512], a[16], r[16], eta[32] = "";

    if (now - p->last_t >= 0.5) {
        double inst = (double)(bytes - p->last_bytes) / (now - p->last_t);
        if (bytes < p->last_bytes)
            inst = 0;
        p->rate = p->rate == 0 ? inst : 0.5 * p->rate + 0.5 * inst;
        p->last_bytes = bytes;
        p->last_t = now;
    }
    progress_size(a, sizeof a, (double)bytes);
    progress_size(r, sizeof r, p->rate);
    if (t->input_done && done > 0 && done < t->queued) {
        double left = t->elapsed / (double)done * (double)(t->queued - done);
        snprintf(eta, sizeof eta, "  ETA %lu:%02lu", (unsigned long)left / 60,
                 (unsigned long)left % 60);
    }
    snprintf(line, sizeof line,
             "total: %lu ok, %lu failed, %lu skipped of %lu%s  %s  %s/s%s",
             t->ok, t->failed, t->skipped, t->queued, t->input_done ? "" : "+",
             a, r, eta);
    if (columns(line) > width - 1) /* narrow: counts and rate matter most */
        snprintf(line, sizeof line,
                 "total: %lu ok, %lu failed, %lu skipped of %lu%s %s/s", t->ok,
                 t->failed, t->skipped, t->queued, t->input_done ? "" : "+",
                 r);
    put_line(p, line, width);
}

void progress_draw(struct progress *p, const struct progress_totals *t)
{
    unsigned width = term_width(p->err), shown = 0, more = 0;
    double now = timeutil_now();
    uint64_t inflight = 0;

    progress_erase(p);
    if (width < 20)
        width = 20;
    for (unsigned i = 0; i < p->nslots; i++) {
        struct progress_slot *s = &p->slots[i];
        if (!s->used)
            continue;
        inflight += atomic_load(&s->meter.now);
        if (shown < MAX_LINES) {
            transfer_line(p, s, width, now);
            shown++;
        } else {
            more++;
        }
    }
    if (more > 0) {
        char line[64];
        snprintf(line, sizeof line, "... and %u more", more);
        put_line(p, line, width);
    }
    total_line(p, t, width, now, inflight);
    fflush(p->err);
}
