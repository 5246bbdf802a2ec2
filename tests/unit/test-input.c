/* Input line parsing and the bounded line reader. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../src/input.h"
#include "../tap.h"

static enum input_kind parse(const char *line, struct input_item *it)
{
    char err[256];

    return input_parse_line(line, strlen(line), it, err, sizeof err);
}

static void item(const char *line, const char *url, const char *name)
{
    struct input_item it;
    enum input_kind k = parse(line, &it);

    ok(k == INPUT_ITEM, line);
    if (k == INPUT_ITEM) {
        is_str(it.url, url, "  its URL");
        if (name)
            is_str(it.name, name, "  its NAME");
        else
            ok(it.name == NULL, "  no NAME");
    }
    input_item_clear(&it);
}

/* The reason input_parse_line gives for a bad line. */
static const char *err_of(const char *line)
{
    static char err[512];
    struct input_item it;

    err[0] = '\0';
    if (input_parse_line(line, strlen(line), &it, err, sizeof err) !=
        INPUT_BAD)
        input_item_clear(&it);
    return err;
}

static void kind(const char *line, enum input_kind want, const char *what)
{
    struct input_item it;

    ok(parse(line, &it) == want, what);
    input_item_clear(&it);
}

int main(void)
{
    struct input_item it;
    char err[256];

    item("http://h/a", "http://h/a", NULL);
    item("  http://h/a  \r", "http://h/a", NULL);
    item("http://h/a out.bin", "http://h/a", "out.bin");
    item("http://h/a\t\tsub/out.bin\r", "http://h/a", "sub/out.bin");
    item("http://h/a my file.bin", "http://h/a", "my file.bin");
    kind("", INPUT_SKIP, "empty line skipped");
    kind("   \t \r", INPUT_SKIP, "blank line skipped");
    kind("# comment", INPUT_SKIP, "comment skipped");
    kind("   # indented comment", INPUT_SKIP, "indented comment skipped");
    kind("gopher://h/x", INPUT_BAD, "unsupported scheme is bad");
    kind("not a url", INPUT_BAD, "not a URL is bad");
    kind("http://h/a ../x", INPUT_BAD, "'..' NAME is bad");
    kind("http://h/a /etc/x", INPUT_BAD, "absolute NAME is bad");
    /* Every URL goes through curl_url() when its line is read. */
    kind("http://127.0.0.1:70000/x", INPUT_BAD, "port over 65535 is bad");
    ok(strstr(err_of("http://127.0.0.1:70000/x out.bin"), "Port number") !=
           NULL,
       "  and says why");
    kind("http://a@b@host/x", INPUT_BAD, "'a@b@host' is bad, as in libcurl");
    is_str(err_of("  example.invalid/x  "),
           "no scheme: did you mean https://example.invalid/x?",
           "no scheme: a suggestion");
    ok(input_parse_line("http://h/\0x", 11, &it, err, sizeof err) == INPUT_BAD,
       "NUL byte is bad");
    ok(strstr(err, "NUL") != NULL, "  and says so");

    {
        /* The reader: CRLF, no final newline, and a too-long line. */
        int fds[2];
        struct input_reader r;
        const char *line;
        size_t len;
        int toolong, rc;
        char *big = malloc(INPUT_MAX_LINE * 3);
        if (pipe(fds) != 0 || !big)
            return 1;
        memset(big, 'x', INPUT_MAX_LINE * 3);
        if (fork() == 0) {
            close(fds[0]);
            if (write(fds[1], "a\r\nb\n", 5) != 5 ||
                write(fds[1], big, INPUT_MAX_LINE * 3) < 0 ||
                write(fds[1], "\nc\n", 3) != 3 ||
                write(fds[1], "last", 4) != 4)
                _exit(1);
            _exit(0);
        }
        close(fds[1]);
        input_reader_setup(&r, fds[0]);
        rc = input_next(&r, &line, &len, &toolong);
        ok(rc == 1 && len == 1 && line[0] == 'a' && !toolong,
           "reader: first line, CRLF is its end");
        rc = input_next(&r, &line, &len, &toolong);
        ok(rc == 1 && len == 1 && line[0] == 'b', "reader: second line");
        rc = input_next(&r, &line, &len, &toolong);
        ok(rc == 1 && toolong && r.lineno == 3, "reader: long line flagged");
        rc = input_next(&r, &line, &len, &toolong);
        ok(rc == 1 && len == 1 && line[0] == 'c' && !toolong && r.lineno == 4,
           "reader: the line after it is intact");
        rc = input_next(&r, &line, &len, &toolong);
        ok(rc == 1 && len == 4 && memcmp(line, "last", 4) == 0,
           "reader: last line without newline");
        rc = input_next(&r, &line, &len, &toolong);
        ok(rc == 0, "reader: end");
        input_reader_teardown(&r);
        close(fds[0]);
        free(big);
    }
    {
        /* Lone CRs end lines; CRLF is one end, also when its CR is the
         * last byte the buffer holds (after a line of exactly
         * INPUT_MAX_LINE bytes) and its LF comes with the next read. */
        static const char *const want[] = {"a", "b", "c", "", NULL, "e"};
        int fds[2], all = 1;
        struct input_reader r;
        const char *line;
        size_t len;
        int toolong, rc;
        char *big = malloc(INPUT_MAX_LINE);
        if (pipe(fds) != 0 || !big)
            return 1;
        memset(big, 'x', INPUT_MAX_LINE);
        if (fork() == 0) {
            close(fds[0]);
            if (write(fds[1], "a\r\nb\rc\r\r\n", 9) != 9 ||
                write(fds[1], big, INPUT_MAX_LINE) < 0 ||
                write(fds[1], "\r\ne\r", 4) != 4)
                _exit(1);
            _exit(0);
        }
        close(fds[1]);
        input_reader_setup(&r, fds[0]);
        for (size_t i = 0; i < 6; i++) {
            rc = input_next(&r, &line, &len, &toolong);
            if (rc != 1 || toolong || r.lineno != i + 1)
                all = 0;
            else if (want[i] && (len != strlen(want[i]) ||
                                 memcmp(line, want[i], len) != 0))
                all = 0;
            else if (!want[i] && len != INPUT_MAX_LINE)
                all = 0;
        }
        ok(all, "reader: CR, CRLF and CR + CRLF split lines as they should");
        rc = input_next(&r, &line, &len, &toolong);
        ok(rc == 0, "reader: end after a final CR");
        input_reader_teardown(&r);
        close(fds[0]);
        free(big);
    }
    return done_testing();
}
