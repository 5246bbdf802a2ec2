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
    term("o/\xe2\x80\xaetxt.exe", "o/\\xe2\\x80\\xaetxt.exe",
         "U+202E (right-to-left override) escaped");
    term("\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad",
         "\\xe2\\x80\\xaa\\xe2\\x80\\xab\\xe2\\x80\\xac"
         "\\xe2\\x80\\xad",
         "U+202A..U+202D escaped");
    term("\xe2\x81\xa6x\xe2\x81\xa9", "\\xe2\\x81\\xa6x\\xe2\\x81\\xa9",
         "U+2066 and U+2069 (isolates) escaped");
    term("zw\xe2\x80\x8bsp", "zw\\xe2\\x80\\x8bsp", "U+200B escaped");
    term("\xe2\x80\x8f", "\\xe2\\x80\\x8f", "U+200F escaped");
    term("l\xe2\x80\xa8p\xe2\x80\xa9", "l\\xe2\\x80\\xa8p\\xe2\\x80\\xa9",
         "U+2028 and U+2029 escaped");
    term("\xef\xbb\xbf"
         "bom",
         "\\xef\\xbb\\xbf"
         "bom",
         "U+FEFF escaped");
    term("tag\xf3\xa0\x80\x81", "tag\\xf3\\xa0\\x80\\x81",
         "U+E0001 (a 4-byte Cf) escaped");
    term("\xe2\x80\x90-\xe2\x80\xaf", "\xe2\x80\x90-\xe2\x80\xaf",
         "U+2010 and U+202F (not Cf) kept");
    term("\xef\xbb\xbe", "\xef\xbb\xbe", "U+FEFE kept");
    ok(escape_is_format(0x202e) && escape_is_format(0x2066) &&
           escape_is_format(0x2069) && escape_is_format(0x200b) &&
           escape_is_format(0xfeff) && escape_is_format(0xad),
       "format characters known");
    ok(!escape_is_format('a') && !escape_is_format(0x2070) &&
           !escape_is_format(0x202f) && !escape_is_format(0xe0080) &&
           !escape_is_format(0x10ffff),
       "others are not format characters");

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
