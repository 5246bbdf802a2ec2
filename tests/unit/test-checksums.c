/* --checksums: sha256sum lines, loading a file, looking names up. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../src/checksums.h"
#include "../tap.h"

/* sha256("") and sha256("abc"). */
#define HEX_EMPTY                                                             \
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define HEX_ABC                                                               \
    "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD"

static const unsigned char digest_empty[CHECKSUMS_LEN] = {
    0xe3, 0xb0, 0xc4, 0x42, 0x98, 0xfc, 0x1c, 0x14, 0x9a, 0xfb, 0xf4,
    0xc8, 0x99, 0x6f, 0xb9, 0x24, 0x27, 0xae, 0x41, 0xe4, 0x64, 0x9b,
    0x93, 0x4c, 0xa4, 0x95, 0x99, 0x1b, 0x78, 0x52, 0xb8, 0x55};
static const unsigned char digest_abc[CHECKSUMS_LEN] = {
    0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40,
    0xde, 0x5d, 0xae, 0x22, 0x23, 0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17,
    0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad};

/* Parses line; checks it gives want_name with want_digest. */
static void good(const char *line, const char *want_name,
                 const unsigned char *want_digest, const char *what)
{
    unsigned char digest[CHECKSUMS_LEN];
    char err[256] = "", *name = NULL;
    int rc = checksums_parse_line(line, strlen(line), digest, &name, err,
                                  sizeof err);

    if (rc != 1)
        diag(err);
    ok(rc == 1 && memcmp(digest, want_digest, CHECKSUMS_LEN) == 0, what);
    is_str(name, want_name, what);
    free(name);
}

/* Parses line; checks it is refused with a reason. */
static void bad(const char *line, const char *what)
{
    unsigned char digest[CHECKSUMS_LEN];
    char err[256] = "", *name = NULL;
    int rc = checksums_parse_line(line, strlen(line), digest, &name, err,
                                  sizeof err);

    ok(rc == -1 && err[0] != '\0', what);
    if (rc == 1)
        free(name);
}

static int skipped(const char *line)
{
    unsigned char digest[CHECKSUMS_LEN];
    char err[256] = "", *name = NULL;

    return checksums_parse_line(line, strlen(line), digest, &name, err,
                                sizeof err) == 0;
}

static void parse_lines(void)
{
    good(HEX_EMPTY "  file.txt\n", "file.txt", digest_empty, "two spaces");
    good(HEX_ABC " *data.bin\r\n", "data.bin", digest_abc,
         "binary mark, CRLF, upper-case hex");
    good(HEX_EMPTY "  ./x", "x", digest_empty, "./x is x");
    good(HEX_EMPTY "  a/./b//c", "a/b/c", digest_empty, "path normalised");
    good(HEX_EMPTY "  with space.txt", "with space.txt", digest_empty,
         "space in name");
    good("\\" HEX_EMPTY "  back\\\\slash", "back\\slash", digest_empty,
         "escaped backslash");
    good(HEX_EMPTY "  back\\\\slash", "back\\\\slash", digest_empty,
         "no escapes without the leading backslash");
    ok(skipped(""), "empty line skipped");
    ok(skipped("\n"), "blank line skipped");
    ok(skipped("# " HEX_EMPTY "  x\n"), "comment skipped");

    good(HEX_EMPTY "  a\\nb", "a\\nb", digest_empty,
         "no escapes without the leading backslash (\\n)");
    bad("\\" HEX_EMPTY "  a\\nb", "escaped newline refused (control byte)");
    bad("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b8  x",
        "short hex");
    bad("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85g"
        "  x",
        "bad hex");
    bad(HEX_EMPTY "  ", "missing name");
    bad(HEX_EMPTY, "digest alone");
    bad(HEX_EMPTY " x", "one space");
    bad(HEX_EMPTY "  ../x", "'..' name");
    bad(HEX_EMPTY "  a/../../x", "'..' inside a name");
    bad(HEX_EMPTY "  /etc/passwd", "absolute name");
    bad(HEX_EMPTY "  .", "'.' names no file");
    bad(HEX_EMPTY "  a\tb", "control byte");
    bad("just some text", "not a checksum line");

    good("SHA256 (file.txt) = " HEX_EMPTY "\n", "file.txt", digest_empty,
         "BSD (--tag) form");
    good("SHA256 (with ) paren.txt) = " HEX_ABC, "with ) paren.txt",
         digest_abc, "BSD form, ') ' inside the name");
    good("\\SHA256 (a\\\\b) = " HEX_EMPTY, "a\\b", digest_empty,
         "BSD form with escapes");
    bad("SHA256 (x) = " HEX_EMPTY "0", "BSD form, 65 hex digits");
    bad("SHA256 (x) " HEX_EMPTY, "BSD form without ' = '");
    bad("SHA256 () = " HEX_EMPTY, "BSD form without a name");
    bad("SHA256 (../x) = " HEX_EMPTY, "BSD form, '..' name");
    bad("MD5 (x) = d41d8cd98f00b204e9800998ecf8427e", "another algorithm");
}

/* Writes text to a new temporary file named in path (room for
 * TEMP_LEN bytes). Returns 0 or -1. */
#define TEMP_LEN 32
static int temp_file(char *path, const char *text)
{
    int fd;
    FILE *f;

    snprintf(path, TEMP_LEN, "/tmp/test-checksums.XXXXXX");
    fd = mkstemp(path);
    if (fd < 0)
        return -1;
    f = fdopen(fd, "w");
    if (!f) {
        close(fd);
        return -1;
    }
    fputs(text, f);
    return fclose(f) == 0 ? 0 : -1;
}

static void load_bad_file(void)
{
    struct checksums c;
    char err[512] = "", path[TEMP_LEN];

    if (!ok(temp_file(path, "# made by a test\n" HEX_EMPTY "  a\n"
                            "\n" HEX_EMPTY "  ../b\n" HEX_ABC "  c\n") == 0,
            "temporary file"))
        return;
    ok(checksums_load(&c, path, err, sizeof err) == -1, "bad line refused");
    diag(err);
    ok(strstr(err, "line 4:") != NULL, "reason names line 4");
    ok(strstr(err, path) != NULL, "reason names the file");
    unlink(path);
    ok(checksums_load(&c, path, err, sizeof err) == -1, "missing file");
    ok(strstr(err, path) != NULL, "reason names the missing file");
}

static int same(const unsigned char *d, const unsigned char *want)
{
    return d && memcmp(d, want, CHECKSUMS_LEN) == 0;
}

static void load_and_find(void)
{
    struct checksums c;
    char err[512] = "", path[TEMP_LEN];

    if (!ok(temp_file(path, HEX_EMPTY "  a.txt\n" HEX_ABC " *./d/b\n" HEX_EMPTY
                                      "  dup\n" HEX_ABC "  ./dup\n") == 0,
            "temporary file"))
        return;
    ok(checksums_load(&c, path, err, sizeof err) == 0, "file loads");
    ok(same(checksums_find(&c, "a.txt"), digest_empty), "find a.txt");
    ok(same(checksums_find(&c, "d/b"), digest_abc), "find d/b");
    ok(same(checksums_find(&c, "dup"), digest_abc), "a later line wins");
    ok(!checksums_find(&c, "missing"), "miss");
    ok(!checksums_find(&c, "d"), "a folder is no entry");
    ok(!checksums_find(&c, "A.TXT"), "names are case-sensitive");
    checksums_free(&c);
    ok(!checksums_find(&c, "a.txt"), "miss after checksums_free");
    unlink(path);
}

/* Past the first table size (64), so the table grows. */
static void load_many(void)
{
    enum { N = 500 };
    struct checksums c;
    char err[512] = "", path[TEMP_LEN], name[32];
    char *text = malloc(N * 80);
    size_t o = 0;
    int all = 1;

    if (!text)
        return;
    for (int i = 0; i < N; i++)
        o += (size_t)sprintf(text + o, "%s  f%d\n",
                             i % 2 ? HEX_ABC : HEX_EMPTY, i);
    ok(temp_file(path, text) == 0, "temporary file");
    free(text);
    ok(checksums_load(&c, path, err, sizeof err) == 0, "500 lines load");
    for (int i = 0; i < N; i++) {
        snprintf(name, sizeof name, "f%d", i);
        if (!same(checksums_find(&c, name), i % 2 ? digest_abc : digest_empty))
            all = 0;
    }
    ok(all, "each of 500 names found with its digest");
    ok(!checksums_find(&c, "f500"), "and no other");
    checksums_free(&c);
    unlink(path);
}

int main(void)
{
    parse_lines();
    load_bad_file();
    load_and_find();
    load_many();
    return done_testing();
}
