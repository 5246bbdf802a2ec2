#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "input.h"
#include "naming.h"
#include "url.h"

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' ||
           c == '\f';
}

static char *dup_span(const char *s, size_t len)
{
    char *d = malloc(len + 1);

    if (d) {
        memcpy(d, s, len);
        d[len] = '\0';
    }
    return d;
}

enum input_kind input_parse_line(const char *line, size_t len,
                                 struct input_item *out, char *err,
                                 size_t errlen)
{
    size_t ulen = 0;
    char *name = NULL;

    out->url = out->name = NULL;
    if (memchr(line, '\0', len)) {
        snprintf(err, errlen, "line contains a NUL byte");
        return INPUT_BAD;
    }
    while (len > 0 && is_space(line[0])) {
        line++;
        len--;
    }
    while (len > 0 && is_space(line[len - 1]))
        len--;
    if (len == 0 || line[0] == '#')
        return INPUT_SKIP;
    while (ulen < len && !is_space(line[ulen]))
        ulen++;
    out->url = dup_span(line, ulen);
    if (!out->url)
        goto oom;
    if (url_check(out->url, err, errlen) != 0)
        goto bad;
    line += ulen;
    len -= ulen;
    while (len > 0 && is_space(line[0])) {
        line++;
        len--;
    }
    if (len == 0)
        return INPUT_ITEM;
    name = dup_span(line, len);
    if (!name)
        goto oom;
    out->name = naming_user_path(name, out->url, err, errlen);
    free(name);
    if (!out->name)
        goto bad;
    return INPUT_ITEM;
oom:
    snprintf(err, errlen, "out of memory");
bad:
    input_item_clear(out);
    return INPUT_BAD;
}

void input_item_clear(struct input_item *it)
{
    free(it->url);
    free(it->name);
    it->url = it->name = NULL;
}

int input_reader_setup(struct input_reader *r, int fd)
{
    r->fd = fd;
    r->len = r->start = 0;
    r->eof = 0;
    r->skip_lf = 0;
    r->lineno = 0;
    r->buf = malloc(INPUT_MAX_LINE + 1);
    return r->buf ? 0 : -ENOMEM;
}

void input_reader_teardown(struct input_reader *r)
{
    free(r->buf);
    r->buf = NULL;
}

/* Reads more bytes after moving the unread part to the front. Returns
 * bytes read (0 at EOF) or -errno. */
static ssize_t fill(struct input_reader *r)
{
    ssize_t n;

    if (r->start > 0) {
        memmove(r->buf, r->buf + r->start, r->len - r->start);
        r->len -= r->start;
        r->start = 0;
    }
    n = read(r->fd, r->buf + r->len, INPUT_MAX_LINE + 1 - r->len);
    if (n < 0)
        return -errno;
    if (n == 0)
        r->eof = 1;
    r->len += (size_t)n;
    return n;
}

/* The first line end ('\n' or '\r') in len bytes at b, or NULL. */
static char *find_eol(char *b, size_t len)
{
    char *nl = memchr(b, '\n', len);
    char *cr = memchr(b, '\r', nl ? (size_t)(nl - b) : len);

    return cr ? cr : nl;
}

int input_next(struct input_reader *r, const char **line, size_t *len,
               int *toolong)
{
    *toolong = 0;
    for (;;) {
        char *b = r->buf + r->start;
        size_t avail = r->len - r->start;
        char *eol;
        ssize_t n;

        /* The '\n' of a "\r\n" whose '\r' ended the last line. */
        if (r->skip_lf && avail == 0 && !r->eof) {
            n = fill(r);
            if (n < 0)
                return (int)n;
            continue;
        }
        if (r->skip_lf) {
            r->skip_lf = 0;
            if (avail > 0 && b[0] == '\n') {
                r->start++;
                continue;
            }
        }
        eol = find_eol(b, avail);
        if (eol || (r->eof && (avail > 0 || *toolong))) {
            size_t l = eol ? (size_t)(eol - b) : avail;
            r->start += eol ? l + 1 : l;
            /* A lone '\r' ends a line too (old Mac files); "\r\n" is
             * one end. */
            r->skip_lf = eol && *eol == '\r';
            if (*toolong) /* the tail of a skipped line */
                l = 0;
            *line = b;
            *len = l;
            r->lineno++;
            return 1;
        }
        if (r->eof)
            return 0;
        if (avail > INPUT_MAX_LINE) {
            /* A full buffer and no line end: drop it, remember why. */
            *toolong = 1;
            r->start = r->len;
        }
        n = fill(r);
        if (n < 0)
            return (int)n;
    }
}
