/* Fuzz target for src/input.c: one line through input_parse_line, and
 * the whole input as a stream through input_reader, checked against a
 * simple model of how lines are split. */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../src/input.h"
#include "../src/naming.h"
#include "../src/url.h"
#include "fuzz.h"

/* An input starting with this byte and three length bytes is stretched:
 * see stretch(). */
#define STRETCH_MARK 0xff
#define STRETCH_MAX (2 * INPUT_MAX_LINE + 8)
/* Longer streams go through a file, not a socket pair. */
#define SOCKET_MAX 16384

static void check_parse(const char *line, size_t len)
{
    struct input_item it;
    char err[256], err2[256];
    enum input_kind kind;

    err[0] = '\0';
    kind = input_parse_line(line, len, &it, err, sizeof err);
    if (memchr(line, '\0', len))
        FUZZ_CHECK(kind == INPUT_BAD);
    switch (kind) {
    case INPUT_SKIP:
        /* Nothing allocated: LeakSanitizer would see it otherwise. */
        FUZZ_CHECK(it.url == NULL && it.name == NULL);
        break;
    case INPUT_ITEM:
        FUZZ_CHECK(it.url != NULL);
        FUZZ_CHECK(url_check(it.url, err2, sizeof err2) == 0);
        FUZZ_CHECK(memmem(line, len, it.url, strlen(it.url)) != NULL);
        if (it.name)
            fuzz_check_rel_path(it.name, NAMING_MAX);
        input_item_clear(&it);
        break;
    case INPUT_BAD:
        FUZZ_CHECK(err[0] != '\0');
        FUZZ_CHECK(memchr(err, '\0', sizeof err) != NULL);
        break;
    default:
        FUZZ_CHECK(!"input_parse_line returned no input_kind");
    }
}

/* Lines up to 64 KiB need inputs far longer than the fuzzer's -max_len.
 * So "\xff" L1 L2 L3 BODY stands for BODY[0] repeated L times (L from
 * the three bytes, below STRETCH_MAX) followed by the rest of BODY: one
 * long line of a chosen length, then whatever the fuzzer puts after it.
 * Returns the stream to read: the input itself, or a buffer kept for
 * the next call (a new one each time costs a third of the speed). */
static const uint8_t *stretch(const uint8_t *data, size_t size, size_t *len)
{
    static uint8_t *buf;
    static size_t cap;
    size_t run;

    *len = size;
    if (size < 5 || data[0] != STRETCH_MARK)
        return data;
    run =
        ((size_t)data[1] << 16 | (size_t)data[2] << 8 | data[3]) % STRETCH_MAX;
    if (run + size - 5 > cap) {
        free(buf);
        cap = run + size - 5;
        buf = malloc(cap);
        FUZZ_CHECK(buf != NULL);
    }
    memset(buf, data[4], run);
    memcpy(buf + run, data + 5, size - 5);
    *len = run + size - 5;
    return buf;
}

/* A temporary file holding s, for the whole run, rewritten for each
 * input (a file per input would be slow). Returns a descriptor for the
 * caller to close. */
static int stream_file(const uint8_t *s, size_t len)
{
    static FILE *tmp;
    int fd;

    if (!tmp)
        tmp = tmpfile();
    FUZZ_CHECK(tmp != NULL);
    fd = fileno(tmp);
    FUZZ_CHECK(ftruncate(fd, 0) == 0);
    FUZZ_CHECK(lseek(fd, 0, SEEK_SET) == 0);
    for (size_t off = 0; off < len;) {
        ssize_t n = write(fd, s + off, len - off);
        FUZZ_CHECK(n > 0 || (n < 0 && errno == EINTR));
        if (n > 0)
            off += (size_t)n;
    }
    FUZZ_CHECK(lseek(fd, 0, SEEK_SET) == 0);
    fd = dup(fd);
    FUZZ_CHECK(fd >= 0);
    return fd;
}

/* A descriptor to read s from, for the caller to close: a socket pair
 * when s fits in its buffer (ten times faster than rewriting a file),
 * else the temporary file. */
static int stream_open(const uint8_t *s, size_t len)
{
    int sv[2];
    ssize_t n = 0;

    if (len > SOCKET_MAX || socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
        return stream_file(s, len);
    if (len > 0)
        n = send(sv[1], s, len, MSG_DONTWAIT | MSG_NOSIGNAL);
    close(sv[1]); /* the reader sees the end of input after s */
    if (n == (ssize_t)len)
        return sv[0];
    close(sv[0]);
    return stream_file(s, len);
}

/* The first line end ('\n' or '\r') in s[pos..len), or NULL. */
static const uint8_t *model_eol(const uint8_t *s, size_t pos, size_t len)
{
    for (size_t i = pos; i < len; i++)
        if (s[i] == '\n' || s[i] == '\r')
            return s + i;
    return NULL;
}

/* The model: lines end at '\n', "\r\n" or a lone '\r' (not returned);
 * a last line without one counts if not empty; a line longer than
 * INPUT_MAX_LINE comes back empty with toolong set. The reader must
 * return exactly these. */
static void check_reader(const uint8_t *s, size_t slen)
{
    struct input_reader r;
    size_t pos = 0;
    unsigned long lines = 0;
    int fd = stream_open(s, slen);

    FUZZ_CHECK(input_reader_setup(&r, fd) == 0);
    for (;;) {
        const char *line;
        size_t len;
        int toolong, rc;
        const uint8_t *nl = model_eol(s, pos, slen);
        size_t want = nl ? (size_t)(nl - (s + pos)) : slen - pos;
        /* "\r\n" is one line end. */
        size_t end = nl && *nl == '\r' && nl + 1 < s + slen && nl[1] == '\n'
                         ? 2
                         : nl != NULL;

        rc = input_next(&r, &line, &len, &toolong);
        if (rc == -EINTR)
            continue;
        if (pos == slen) {
            FUZZ_CHECK(rc == 0);
            break;
        }
        FUZZ_CHECK(rc == 1);
        FUZZ_CHECK(r.lineno == ++lines);
        FUZZ_CHECK(len <= INPUT_MAX_LINE);
        FUZZ_CHECK(!memchr(line, '\n', len) && !memchr(line, '\r', len));
        FUZZ_CHECK(toolong == (want > INPUT_MAX_LINE));
        if (toolong) {
            FUZZ_CHECK(len == 0);
        } else {
            FUZZ_CHECK(len == want);
            FUZZ_CHECK(memcmp(line, s + pos, len) == 0);
            check_parse(line, len);
        }
        pos += want + end;
    }
    input_reader_teardown(&r);
    close(fd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t slen;
    const uint8_t *s = stretch(data, size, &slen);

    check_parse((const char *)data, size);
    check_reader(s, slen);
    return 0;
}
