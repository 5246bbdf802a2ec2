/* Reading the URL list: lines from a file descriptor as a stream, and
 * parsing one line into an item. */
#ifndef SALVO_INPUT_H
#define SALVO_INPUT_H

#include <stddef.h>

/* Longest input line; longer lines are reported, not stored. */
#define INPUT_MAX_LINE ((size_t)64 * 1024)

enum input_kind { INPUT_SKIP, INPUT_ITEM, INPUT_BAD };

#include "url.h"

struct input_item {
    char *url;              /* owned: the first URL, which names the file */
    struct url_facts facts; /* owned: of url, from the one parse */
    char **mirrors;         /* owned: more URLs for the same file, in order */
    size_t nmirrors;
    char *name; /* owned; normalised relative path, NULL if not given */
};

/* Parses one line of len bytes (no line end needed; it may hold NULs,
 * which make it bad): URL [MIRROR-URL]... [NAME], fields apart by
 * spaces or tabs. A field that starts like a URL (a scheme and "://")
 * is a URL; the first one that does not starts NAME, which is the rest
 * of the line (spaces allowed, "://" not). INPUT_ITEM fills out (the caller
 * frees both strings with input_item_clear); INPUT_BAD puts the reason in err.
 */
enum input_kind input_parse_line(const char *line, size_t len,
                                 struct input_item *out, char *err,
                                 size_t errlen);
void input_item_clear(struct input_item *it);

/* A line reader over a file descriptor that never holds more than
 * INPUT_MAX_LINE bytes, however long a line is. */
struct input_reader {
    int fd;
    char *buf;
    size_t len;   /* bytes in buf */
    size_t start; /* where the next line begins */
    int eof;
    int skip_lf;          /* the last line ended in '\r': skip one '\n' */
    unsigned long lineno; /* of the line last returned */
    /* Called, when set, just before a read that may block: the caller
     * hands out what it has gathered first. */
    void (*before_read)(void *ctx);
    void *ctx;
};

int input_reader_setup(struct input_reader *r, int fd);
void input_reader_teardown(struct input_reader *r);

/* Lines end at "\n", "\r\n" or a lone "\r" (old Mac files).
 * Returns 1 with the next line in *line and *len (valid until the next call;
 * *toolong set if the line was longer than INPUT_MAX_LINE and has been
 * skipped), 0 at end of input, or -errno (-EINTR: call again). */
int input_next(struct input_reader *r, const char **line, size_t *len,
               int *toolong);

#endif
