#include "config.h"

#include <ctype.h>
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

/* Does the field of len bytes start with a scheme and "://"? */
static int looks_like_url(const char *s, size_t len)
{
    size_t i = 0;

    if (len == 0 ||
        !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
        return 0;
    while (i < len && (isalnum((unsigned char)s[i]) || s[i] == '+' ||
                       s[i] == '-' || s[i] == '.'))
        i++;
    return i + 3 <= len && s[i] == ':' && s[i + 1] == '/' && s[i + 2] == '/';
}

/* Adds one more URL of the line to out. 0, or -1 with err set. */
static int add_mirror(struct input_item *out, const char *s, size_t len,
                      char *err, size_t errlen)
{
    char *u = dup_span(s, len), **m;
    char why[400];

    if (!u) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (url_check(u, why, sizeof why) != 0) {
        snprintf(err, errlen, "mirror URL %zu: %s", out->nmirrors + 2, why);
        free(u);
        return -1;
    }
    m = realloc(out->mirrors, (out->nmirrors + 1) * sizeof *m);
    if (!m) {
        free(u);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    out->mirrors = m;
    out->mirrors[out->nmirrors++] = u;
    return 0;
}

/* What follows the first URL: more URLs, then at most a NAME. */
static enum input_kind parse_rest(const char *line, size_t len,
                                  struct input_item *out, char *err,
                                  size_t errlen)
{
    for (;;) {
        size_t flen = 0;
        char *name;
        while (len > 0 && is_space(line[0])) {
            line++;
            len--;
        }
        if (len == 0)
            return INPUT_ITEM;
        while (flen < len && !is_space(line[flen]))
            flen++;
        if (looks_like_url(line, flen)) {
            if (add_mirror(out, line, flen, err, errlen) != 0)
                return INPUT_BAD;
            line += flen;
            len -= flen;
            continue;
        }
        name = dup_span(line, len);
        if (!name) {
            snprintf(err, errlen, "out of memory");
            return INPUT_BAD;
        }
        if (strstr(name, "://")) {
            snprintf(err, errlen,
                     "NAME must not contain '://' (a URL "
                     "after the NAME?)");
            free(name);
            return INPUT_BAD;
        }
        out->name = naming_user_path(name, out->url, err, errlen);
        free(name);
        return out->name ? INPUT_ITEM : INPUT_BAD;
    }
}

enum input_kind input_parse_line(const char *line, size_t len,
                                 struct input_item *out, char *err,
                                 size_t errlen)
{
    size_t ulen = 0;
    enum input_kind k;

    memset(out, 0, sizeof *out);
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
    if (!out->url) {
        snprintf(err, errlen, "out of memory");
        return INPUT_BAD;
    }
    if (url_check_facts(out->url, &out->facts, err, errlen) != 0) {
        input_item_clear(out);
        return INPUT_BAD;
    }
    k = parse_rest(line + ulen, len - ulen, out, err, errlen);
    if (k == INPUT_BAD)
        input_item_clear(out);
    return k;
}

void input_item_clear(struct input_item *it)
{
    for (size_t i = 0; i < it->nmirrors; i++)
        free(it->mirrors[i]);
    free(it->mirrors);
    free(it->url);
    free(it->name);
    url_facts_clear(&it->facts);
    memset(it, 0, sizeof *it);
}

int input_reader_setup(struct input_reader *r, int fd)
{
    r->fd = fd;
    r->len = r->start = 0;
    r->eof = 0;
    r->skip_lf = 0;
    r->lineno = 0;
    r->before_read = NULL;
    r->ctx = NULL;
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

    if (r->before_read)
        r->before_read(r->ctx);
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
