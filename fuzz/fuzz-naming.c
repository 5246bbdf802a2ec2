/* Fuzz target for src/naming.c. The input is a raw name for
 * naming_sanitize; as a C string it is also a URL for naming_from_url;
 * for naming_user_path it is NAME, NUL, URL (or NAME alone, used as the
 * URL too). Every name salvo derives must be one safe path component,
 * every --dirs-from-url path a relative path of them. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../src/names.h"
#include "../src/naming.h"
#include "fuzz.h"

#define MAX_CLAIMS 8

/* A name salvo derives: one component, and no '\\' either (some file
 * systems and tools split on it). */
static void check_derived(const char *name)
{
    fuzz_check_component(name, strlen(name), NAMING_MAX);
    FUZZ_CHECK(!strchr(name, '\\'));
}

/* What naming_sanitize does to each byte. */
static char sanitized_byte(unsigned char c)
{
    return fuzz_is_control(c) || c == '/' || c == '\\' ? '_' : (char)c;
}

/* Short names keep their length and change only the bytes they must;
 * long ones are a head of the name plus, maybe, its tail (a short
 * extension), and stay valid UTF-8 if they were. */
static void check_sanitize(const uint8_t *data, size_t size)
{
    char *want = malloc(size + 1),
         *got = naming_sanitize((const char *)data, size);
    size_t glen, head = 0;

    if (!want || !got)
        goto out;
    check_derived(got);
    glen = strlen(got);
    for (size_t i = 0; i < size; i++)
        want[i] = sanitized_byte(data[i]);
    want[size] = '\0';
    if (size == 0) {
        FUZZ_CHECK(strcmp(got, "index.html") == 0);
    } else if (size <= NAMING_MAX) {
        if (strcmp(want, ".") == 0 || strcmp(want, "..") == 0)
            memset(want, '_', size);
        FUZZ_CHECK(glen == size && memcmp(got, want, size) == 0);
    } else {
        while (head < glen && got[head] == want[head])
            head++;
        /* got[k..] must be a tail of want for some k <= head. */
        for (size_t k = 0;; k++) {
            FUZZ_CHECK(k <= head);
            if (memcmp(got + k, want + size - (glen - k), glen - k) == 0)
                break;
        }
        if (fuzz_utf8_valid(want, size))
            FUZZ_CHECK(fuzz_utf8_valid(got, glen));
    }
out:
    free(want);
    free(got);
}

/* Returns naming_user_path(name, url) after checking it. */
static char *check_user_path(const char *name, const char *url)
{
    char err[256];
    char *path, *derived;
    size_t plen, dlen;

    err[0] = '\0';
    path = naming_user_path(name, url, err, sizeof err);
    if (!path) {
        FUZZ_CHECK(err[0] != '\0');
        return NULL;
    }
    fuzz_check_rel_path(path, NAMING_MAX);
    /* A NAME ending in '/' is a folder for the name derived from url. */
    if (name[0] != '\0' && name[strlen(name) - 1] == '/') {
        derived = naming_from_url(url);
        if (derived) {
            plen = strlen(path);
            dlen = strlen(derived);
            FUZZ_CHECK(plen >= dlen);
            FUZZ_CHECK(strcmp(path + plen - dlen, derived) == 0);
            FUZZ_CHECK(plen == dlen || path[plen - dlen - 1] == '/');
        }
        free(derived);
    }
    return path;
}

/* --dirs-from-url: a relative path of safe components (never "..", so
 * never out of the output directory), or NULL with a reason. The host
 * folder and --cut-dirs only take folders away in front. */
static void check_dirs(const char *url)
{
    char err[256];
    char *with, *without;

    err[0] = '\0';
    with = naming_dirs_from_url(url, 1, 0, NULL, err, sizeof err);
    if (!with)
        FUZZ_CHECK(err[0] != '\0');
    else
        fuzz_check_rel_path(with, NAMING_MAX);
    without = naming_dirs_from_url(url, 0, 1, "leaf.bin", err, sizeof err);
    if (without) {
        size_t len = strlen(without);
        fuzz_check_rel_path(without, NAMING_MAX);
        FUZZ_CHECK(len >= 8 && strcmp(without + len - 8, "leaf.bin") == 0);
    }
    free(with);
    free(without);
}

/* Claims each name twice: no two claims (and no claim and another's
 * NAME.part) may be equal, and each starts with what was asked for. */
static void check_claims(char *const *want, size_t n)
{
    struct names names;
    char *got[MAX_CLAIMS];
    size_t k = 0;

    FUZZ_CHECK(names_setup(&names) == 0);
    for (size_t round = 0; round < 2; round++) {
        for (size_t i = 0; i < n && k < MAX_CLAIMS; i++) {
            if (!want[i])
                continue;
            got[k] = names_claim(&names, want[i]);
            FUZZ_CHECK(got[k] != NULL);
            FUZZ_CHECK(strncmp(got[k], want[i], strlen(want[i])) == 0);
            k++;
        }
    }
    for (size_t i = 0; i < k; i++) {
        for (size_t j = 0; j < k; j++) {
            size_t len = strlen(got[j]);
            if (i == j)
                continue;
            FUZZ_CHECK(strcmp(got[i], got[j]) != 0);
            FUZZ_CHECK(!(strncmp(got[i], got[j], len) == 0 &&
                         strcmp(got[i] + len, ".part") == 0));
        }
    }
    for (size_t i = 0; i < k; i++)
        free(got[i]);
    names_teardown(&names);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *str = fuzz_strdup(data, size);
    const char *url;
    char *want[3] = {NULL, NULL, NULL};
    size_t nlen;

    if (!str)
        return 0;
    check_sanitize(data, size);
    check_dirs(str);
    want[0] = naming_from_url(str);
    if (want[0])
        check_derived(want[0]);
    nlen = strlen(str);
    url = nlen < size ? str + nlen + 1 : str;
    want[1] = check_user_path(str, url);
    want[2] = naming_sanitize(str, nlen);
    check_claims(want, 3);
    for (size_t i = 0; i < 3; i++)
        free(want[i]);
    free(str);
    return 0;
}
