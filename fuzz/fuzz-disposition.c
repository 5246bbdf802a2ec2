/* Fuzz target for naming_from_disposition (src/naming.c). The input,
 * as a C string, is a Content-Disposition value from a server: the name
 * it yields, if any, must be one safe path component. Then the input up
 * to its first NUL is used as a file name N, put in the header in three
 * ways (RFC 8187 UTF-8 and ISO-8859-1 percent-encoding, and a quoted
 * string); each must give back N's last component, sanitized. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../src/naming.h"
#include "fuzz.h"

/* A name salvo derives: one component, and no '\\' either. */
static void check_derived(const char *name)
{
    fuzz_check_component(name, strlen(name), NAMING_MAX);
    FUZZ_CHECK(!strchr(name, '\\'));
}

static int has_high_byte(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80)
            return 1;
    return 0;
}

/* Properties of any header value. */
static void check_value(const char *value)
{
    char *got = naming_from_disposition(value);

    if (!got)
        return;
    check_derived(got);
    /* No parameter, no name: salvo falls back to the URL's. */
    FUZZ_CHECK(strcasestr(value, "filename") != NULL);
    /* Only %XX or ISO-8859-1 decoding can make bytes >= 0x80. */
    if (!strchr(value, '%'))
        FUZZ_CHECK(has_high_byte(value) || !has_high_byte(got));
    free(got);
}

/* What follows the last '/' or '\\' of name, sanitized; NULL if that is
 * empty. latin1: name is ISO-8859-1, converted to UTF-8 first. */
static char *expected_name(const char *name, int latin1)
{
    size_t len = strlen(name), o = 0;
    char *utf8 = malloc(2 * len + 1), *want = NULL;
    const char *base;

    if (!utf8)
        return NULL;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)name[i];
        if (latin1 && c >= 0x80) {
            utf8[o++] = (char)(0xc0 | (c >> 6));
            utf8[o++] = (char)(0x80 | (c & 0x3f));
        } else {
            utf8[o++] = (char)c;
        }
    }
    utf8[o] = '\0';
    base = utf8;
    for (const char *p = utf8; *p; p++)
        if (*p == '/' || *p == '\\')
            base = p + 1;
    if (*base)
        want = naming_sanitize(base, strlen(base));
    free(utf8);
    return want;
}

/* Checks naming_from_disposition(value) is expected_name(name). */
static void check_round_trip(const char *value, const char *name, int latin1)
{
    char *got = naming_from_disposition(value),
         *want = expected_name(name, latin1);

    if (!want) {
        FUZZ_CHECK(got == NULL); /* N is empty or ends in '/' or '\\' */
    } else {
        FUZZ_CHECK(got != NULL);
        FUZZ_CHECK(strcmp(got, want) == 0);
    }
    free(got);
    free(want);
}

/* name as filename*=CHARSET''%XX%XX..., after a filename= decoy, which
 * the extended parameter must win over. */
static void check_ext(const char *name, const char *charset, int latin1)
{
    static const char hex[] = "0123456789ABCDEF";
    static const char fmt[] = "attachment; filename=\"decoy.bin\"; "
                              "filename*=%s'en'";
    size_t len = strlen(name), o;
    char *value = malloc(sizeof fmt + strlen(charset) + 3 * len);

    if (!value)
        return;
    o = (size_t)sprintf(value, fmt, charset);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)name[i];
        value[o++] = '%';
        value[o++] = hex[c >> 4];
        value[o++] = hex[c & 15];
    }
    value[o] = '\0';
    check_round_trip(value, name, latin1);
    free(value);
}

/* name as filename="...", with '"' and '\\' escaped. Skipped when name
 * holds a ';': the parameter scan does not skip quoted strings, so a
 * "; filename*=" inside one would be taken as a parameter. */
static void check_quoted(const char *name)
{
    static const char pre[] = "inline; filename=\"";
    size_t len = strlen(name), o = sizeof pre - 1;
    char *value;

    if (strchr(name, ';'))
        return;
    value = malloc(sizeof pre + 2 * len + 1);
    if (!value)
        return;
    memcpy(value, pre, o);
    for (size_t i = 0; i < len; i++) {
        if (name[i] == '"' || name[i] == '\\')
            value[o++] = '\\';
        value[o++] = name[i];
    }
    value[o++] = '"';
    value[o] = '\0';
    check_round_trip(value, name, 0);
    free(value);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *str = fuzz_strdup(data, size);

    if (!str)
        return 0;
    check_value(str);
    check_ext(str, "UTF-8", 0);
    check_ext(str, "iso-8859-1", 1);
    check_quoted(str);
    free(str);
    return 0;
}
