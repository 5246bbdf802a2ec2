/* The live view, drawn into a file with a simulated clock and a fixed
 * terminal size: the ETA from bytes (and none when it cannot be known),
 * the block's height, the fields that fit each width, names that stay
 * distinguishable, and waiting items. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/progress.h"
#include "../tap.h"

#define MAXLINES 64

/* One drawn frame, split into lines without the escape sequences. */
struct frame {
    char text[16384];
    char *lines[MAXLINES];
    int n;
};

/* Draws p into a fresh file and reads the frame back. */
static void draw(struct progress *p, const struct progress_totals *t,
                 double now, struct frame *f)
{
    FILE *tmp = tmpfile();
    size_t len;
    char *src, *dst;

    p->err = tmp;
    p->nlens = 0; /* nothing to erase in a fresh file */
    progress_draw(p, t, now);
    rewind(tmp);
    len = fread(f->text, 1, sizeof f->text - 1, tmp);
    f->text[len] = '\0';
    fclose(tmp);
    /* Drop CSI sequences (cursor moves, erase) and CRs. */
    for (src = dst = f->text; *src; src++) {
        if (*src == '\033' && src[1] == '[') {
            src += 2;
            while (*src && !(*src >= '@' && *src <= '~'))
                src++;
            if (!*src)
                break;
            continue;
        }
        if (*src != '\r')
            *dst++ = *src;
    }
    *dst = '\0';
    f->n = 0;
    for (char *s = f->text; *s && f->n < MAXLINES;) {
        char *nl = strchr(s, '\n');
        f->lines[f->n++] = s;
        if (!nl)
            break;
        *nl = '\0';
        s = nl + 1;
    }
}

static const char *total_of(const struct frame *f)
{
    return f->n > 0 ? f->lines[f->n - 1] : "";
}

/* The ETA on the total line in seconds, or -1 when there is none. */
static long eta_of(const struct frame *f)
{
    const char *e = strstr(total_of(f), "ETA ");
    unsigned long m, s;

    if (!e || sscanf(e, "ETA %lu:%lu", &m, &s) != 2)
        return -1;
    return (long)(m * 60 + s);
}

/* Totals with ok items done of queued. */
#define TOTALS(ok_, queued_, input_done_)                                     \
    (&(struct progress_totals){.ok = (ok_),                                   \
                               .queued = (queued_),                           \
                               .done = (ok_),                                 \
                               .input_done = (input_done_)})

/* One 390 KiB file at 46 KiB/s and nine 1 KB files that finish in the
 * first second: the ETA follows the big file's bytes, never 0:00 while
 * it runs. */
static void test_eta_from_bytes(void)
{
    struct progress p;
    struct frame f;
    struct meter *big, *small[9];
    const double rate = 46.0 * 1024, dt = 0.1;
    const uint64_t size = 390 * 1024;
    unsigned long finished = 0;
    int zero = 0, missing = 0, off = 0, checked = 0;
    double t = 100;

    progress_setup(&p, NULL, 0, t);
    p.cols = 120;
    p.rows = 40;
    big = progress_begin(&p, "big.iso", t);
    atomic_store(&big->total, size);
    for (int i = 0; i < 9; i++) {
        char name[32];
        snprintf(name, sizeof name, "small-%d.txt", i);
        small[i] = progress_begin(&p, name, t);
        atomic_store(&small[i]->total, 1000);
    }
    for (int step = 1; atomic_load(&big->now) < size; step++) {
        uint64_t now = (uint64_t)(rate * dt * step);
        t += dt;
        atomic_store(&big->now, now < size ? now : size);
        if (step <= 9) {
            atomic_store(&small[step - 1]->now, 1000);
            progress_end(&p, small[step - 1]);
            finished++;
        }
        draw(&p,
             &(struct progress_totals){.ok = finished,
                                       .queued = 10,
                                       .done = finished,
                                       .input_done = 1},
             t, &f);
        if (step < 15 || atomic_load(&big->now) >= size - size / 10)
            continue; /* the rate is settling; the last 10 % */
        {
            long eta = eta_of(&f);
            double want = (double)(size - atomic_load(&big->now)) / rate;
            checked++;
            if (eta < 0)
                missing++;
            else if (eta == 0)
                zero++;
            else if (eta < want - 1.5 || eta > want + 1.5)
                off++;
            if ((eta < 0 || eta == 0 || eta < want - 1.5 ||
                 eta > want + 1.5) &&
                missing + zero + off == 1) {
                char msg[256];
                snprintf(msg, sizeof msg, "at %.1f s: '%s', want ETA %.1f s",
                         t - 100, total_of(&f), want);
                diag(msg);
            }
        }
    }
    ok(checked > 40, "the big file ran for a while");
    ok(missing == 0, "an ETA while every size left is known");
    ok(zero == 0, "the ETA is never 0:00 while the big file runs");
    ok(off == 0, "the ETA is the bytes left over the rate (+-1.5 s)");
    progress_teardown(&p);
}

/* No ETA when the sizes left are not all known. */
static void test_no_eta_when_unknown(void)
{
    struct progress p;
    struct frame f;
    struct meter *a, *b;
    double t = 5;

    progress_setup(&p, NULL, 0, t);
    p.cols = 120;
    p.rows = 40;
    a = progress_begin(&p, "a.bin", t);
    b = progress_begin(&p, "b.bin", t);
    atomic_store(&a->total, 1000000);
    atomic_store(&b->total, 1000000);
    for (int i = 1; i <= 20; i++) {
        atomic_store(&a->now, (uint64_t)i * 10000);
        atomic_store(&b->now, (uint64_t)i * 10000);
        draw(&p, &(struct progress_totals){.queued = 2, .input_done = 1},
             t + 0.1 * i, &f);
    }
    t += 2;
    ok(eta_of(&f) > 0, "an ETA with two known sizes and nothing queued");
    draw(&p, &(struct progress_totals){.queued = 2, .input_done = 0}, t, &f);
    ok(eta_of(&f) < 0, "no ETA while the input may still grow");
    draw(&p, &(struct progress_totals){.queued = 3, .input_done = 1}, t, &f);
    ok(eta_of(&f) < 0, "no ETA while a queued item has not started");
    atomic_store(&b->total, 0);
    draw(&p, &(struct progress_totals){.queued = 2, .input_done = 1}, t, &f);
    ok(eta_of(&f) < 0, "no ETA while a size is unknown");
    atomic_store(&b->total, 1000000);
    progress_wait(&p, b, "retry 1/3", t + 4, "HTTP 503");
    draw(&p, &(struct progress_totals){.queued = 2, .input_done = 1}, t, &f);
    ok(eta_of(&f) > 0, "a waiting item with a known size keeps the ETA");
    progress_teardown(&p);
}

/* More items than rows: rows - 2 lines, the last two "... and N more"
 * and the total line. */
static void test_height(void)
{
    struct progress p;
    struct frame f;
    char name[32], want[64];

    progress_setup(&p, NULL, 0, 0);
    p.cols = 80;
    p.rows = 10;
    for (int i = 0; i < 20; i++) {
        snprintf(name, sizeof name, "file-%02d.bin", i);
        progress_begin(&p, name, 0);
    }
    draw(&p, TOTALS(0, 20, 1), 1, &f);
    ok(f.n == 8, "20 items in 10 rows: an 8-line block");
    snprintf(want, sizeof want, "... and %d more", 20 - 6);
    is_str(f.n >= 2 ? f.lines[f.n - 2] : "", want,
           "the '... and N more' line");
    ok(strncmp(total_of(&f), "total: ", 7) == 0, "the total line last");
    p.rows = 30;
    draw(&p, TOTALS(0, 20, 1), 1, &f);
    ok(f.n == 21, "in 30 rows all 20 items show, and the total");
    p.rows = 3;
    draw(&p, TOTALS(0, 20, 1), 1, &f);
    ok(f.n == 1, "in 3 rows only the total line");
    progress_teardown(&p);
}

/* The name as drawn: up to the first run of two spaces or the first
 * space before a digit field. */
static void name_of(const char *line, char *out, size_t len)
{
    size_t n = strcspn(line, " ");

    snprintf(out, len, "%.*s", (int)n, line);
}

static int all_fit(const struct frame *f, size_t width)
{
    for (int i = 0; i < f->n; i++)
        if (strlen(f->lines[i]) > width - 1)
            return 0;
    return 1;
}

static void test_widths(void)
{
    static const char *const names[] = {"dataset-part-001-2026.tar.gz",
                                        "dataset-part-002-2026.tar.gz",
                                        "dataset-part-003-2026.tar.gz"};
    struct progress p;
    struct frame f;
    struct meter *m[3];
    char shown[3][64];
    int bar = 1, distinct, whole;

    progress_setup(&p, NULL, 0, 0);
    for (int i = 0; i < 3; i++) {
        m[i] = progress_begin(&p, names[i], 0);
        atomic_store(&m[i]->total, 3000000);
    }
    for (int i = 1; i <= 10; i++) {
        for (int k = 0; k < 3; k++)
            atomic_store(&m[k]->now, (uint64_t)(i * 50000 * (k + 1)));
        p.cols = 80;
        p.rows = 24;
        draw(&p, TOTALS(4, 12, 1), 0.1 * i, &f);
    }
    /* 80 columns: whole names, a bar and a percentage. */
    ok(f.n == 4 && all_fit(&f, 80), "80 columns: 4 lines that fit");
    for (int i = 0; i < 3 && i < f.n; i++)
        bar = bar && strchr(f.lines[i], '[') && strchr(f.lines[i], '%') &&
              strncmp(f.lines[i], names[i], strlen(names[i])) == 0;
    ok(bar, "80 columns: whole names with a bar and a percentage");
    if (!bar)
        diag(f.lines[0]);
    ok(strstr(f.lines[0], names[0]) &&
           strstr(f.lines[0], names[0])[strlen(names[0])] == ' ' &&
           strstr(f.lines[0], names[0])[strlen(names[0]) + 1] != ' ',
       "80 columns: no padding after the longest name");

    /* 60 columns: the names are shortened, each still tells which. */
    p.cols = 60;
    draw(&p, TOTALS(4, 12, 1), 1.1, &f);
    ok(all_fit(&f, 60), "60 columns: every line fits");
    for (int i = 0; i < 3; i++)
        name_of(f.lines[i], shown[i], sizeof shown[i]);
    distinct = strcmp(shown[0], shown[1]) && strcmp(shown[1], shown[2]) &&
               strcmp(shown[0], shown[2]);
    ok(distinct && strstr(shown[0], "...") && strstr(shown[0], "1") &&
           strstr(shown[1], "2") && strstr(shown[2], "3"),
       "60 columns: shortened names stay distinguishable");
    for (int i = 0; i < 3; i++)
        diag(f.lines[i]);
    ok(strchr(f.lines[0], '%') != NULL, "60 columns: a percentage");

    /* 35 columns: whole fields only. */
    p.cols = 35;
    draw(&p, TOTALS(4, 12, 1), 1.2, &f);
    ok(all_fit(&f, 35), "35 columns: every line fits");
    whole = 1;
    for (int i = 0; i < 3; i++) {
        size_t n = strlen(f.lines[i]);
        whole = whole && n > 2 &&
                (strcmp(f.lines[i] + n - 2, "/s") == 0 ||
                 f.lines[i][n - 1] == '%');
        diag(f.lines[i]);
    }
    ok(whole, "35 columns: transfer lines end in a whole field");
    diag(total_of(&f));
    ok(strlen(total_of(&f)) > 0 && (strstr(total_of(&f), "of 12") != NULL),
       "35 columns: the total line keeps its counts whole");
    progress_teardown(&p);
}

/* Names that differ only far from both ends still differ when cut. */
static void test_names_differ_in_the_middle(void)
{
    static const char *const names[] = {
        "backup-2026-01-15-host-alpha-full-archive.tar.gz",
        "backup-2026-01-15-host-bravo-full-archive.tar.gz"};
    struct progress p;
    struct frame f;
    char shown[2][64];

    progress_setup(&p, NULL, 0, 0);
    p.cols = 35;
    p.rows = 10;
    for (int i = 0; i < 2; i++)
        atomic_store(&progress_begin(&p, names[i], 0)->total, 1000);
    draw(&p, TOTALS(0, 2, 1), 1, &f);
    for (int i = 0; i < 2; i++) {
        name_of(f.lines[i], shown[i], sizeof shown[i]);
        diag(f.lines[i]);
    }
    ok(all_fit(&f, 35) && strcmp(shown[0], shown[1]) != 0 &&
           strstr(shown[0], "alph") && strstr(shown[1], "brav"),
       "names differing in the middle keep the middle");
    progress_teardown(&p);
}

static void test_wait(void)
{
    struct progress p;
    struct frame f;
    struct meter *m;

    progress_setup(&p, NULL, 0, 0);
    p.cols = 80;
    p.rows = 24;
    m = progress_begin(&p, "slow.bin", 10);
    progress_wait(&p, m, "retry 2/3", 14, "HTTP 503");
    draw(&p, TOTALS(0, 1, 1), 10.2, &f);
    is_str(f.lines[0], "slow.bin  retry 2/3 in 4 s (HTTP 503)",
           "a retry with its countdown and reason");
    progress_wait(&p, m, "waiting for host", 0, NULL);
    draw(&p, TOTALS(0, 1, 1), 10.3, &f);
    is_str(f.lines[0], "slow.bin  waiting for host", "a wait without a clock");
    p.cols = 30;
    progress_wait(&p, m, "retry 2/3", 14, "HTTP 503");
    draw(&p, TOTALS(0, 1, 1), 10.2, &f);
    is_str(f.lines[0], "slow.bin  retry 2/3 in 4 s",
           "narrow: the reason goes whole");
    progress_wait(&p, m, NULL, 0, NULL);
    atomic_store(&m->total, 1000);
    atomic_store(&m->now, 500);
    p.cols = 80;
    draw(&p, TOTALS(0, 1, 1), 10.4, &f);
    ok(strstr(f.lines[0], "50%") != NULL, "transferring again: the bar");
    progress_teardown(&p);
}

int main(void)
{
    test_eta_from_bytes();
    test_no_eta_when_unknown();
    test_height();
    test_widths();
    test_names_differ_in_the_middle();
    test_wait();
    return done_testing();
}
