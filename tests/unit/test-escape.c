/* Escaping for terminals and JSON. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "../../src/escape.h"
#include "../tap.h"

static void term(const char *in, const char *want, const char *what)
{
    char *e = escape_term(in);

    is_str(e, want, what);
    free(e);
}

static void json(const char *in, const char *want, const char *what)
{
    char buf[256] = "";
    FILE *f = fmemopen(buf, sizeof buf - 1, "w");

    escape_json(f, in);
    fclose(f);
    is_str(buf, want, what);
}

int main(void)
{
    term("plain.txt", "plain.txt", "plain text unchanged");
    term("a\x1b[31mred", "a\\x1b[31mred", "ESC escaped");
    term("cr\rlf\n", "cr\\x0dlf\\x0a", "CR and LF escaped");
    term("del\x7f", "del\\x7f", "DEL escaped");
    term("caf\xc3\xa9", "caf\xc3\xa9", "valid UTF-8 kept");
    term("c1\xc2\x9b", "c1\\xc2\\x9b", "C1 control (CSI) escaped");
    term("bad\xff\xfe", "bad\\xff\\xfe", "invalid bytes escaped");
    term("over\xc0\xaf", "over\\xc0\\xaf", "overlong escaped");
    term("sur\xed\xa0\x80", "sur\\xed\\xa0\\x80", "surrogate escaped");
    term("cut\xe2\x82", "cut\\xe2\\x82", "truncated sequence escaped");
    term("back\\slash", "back\\\\slash", "backslash doubled");
    term("", "", "empty");

    json("a\"b\\c", "\"a\\\"b\\\\c\"", "quotes and backslash");
    json("t\tn\n", "\"t\\u0009n\\u000a\"", "controls as \\u");
    json("\xff", "\"\\ufffd\"", "invalid UTF-8 becomes U+FFFD");
    json("\xe2\x82\xac", "\"\xe2\x82\xac\"", "valid UTF-8 kept");

    ok(escape_utf8_len((const unsigned char *)"\xf4\x90\x80\x80", 4) == 0,
       "above U+10FFFF invalid");
    ok(escape_utf8_len((const unsigned char *)"\xf0\x9f\x98\x80", 4) == 4,
       "emoji valid");
    return done_testing();
}
