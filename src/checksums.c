#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checksums.h"
#include "hash.h"
#include "naming.h"

/* Characters of a hex SHA-256 digest. */
#define HEXLEN ((size_t)2 * CHECKSUMS_LEN)

struct checksum_entry {
    unsigned char digest[CHECKSUMS_LEN];
    char name[];
};

/* Undoes sha256sum's escapes ("\\\\" and "\\n") in place. */
static void unescape(char *s)
{
    char *o = s;

    for (; *s; s++) {
        if (*s == '\\' && s[1] == 'n') {
            *o++ = '\n';
            s++;
        } else if (*s == '\\' && s[1] == '\\') {
            *o++ = '\\';
            s++;
        } else {
            *o++ = *s;
        }
    }
    *o = '\0';
}

/* The value of a hex digit, or -1. */
static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int checksums_parse_line(const char *line, size_t len,
                         unsigned char digest[CHECKSUMS_LEN], char **name,
                         char *err, size_t errlen)
{
    int escaped = 0;
    char *raw;

    while (len > 0 && (line[len - 1] == '\r' || line[len - 1] == '\n'))
        len--;
    if (len == 0 || line[0] == '#')
        return 0;
    if (line[0] == '\\') {
        escaped = 1;
        line++;
        len--;
    }
    if (len < HEXLEN + 2 || line[HEXLEN] != ' ' ||
        (line[HEXLEN + 1] != ' ' && line[HEXLEN + 1] != '*')) {
        snprintf(err, errlen, "not a sha256sum line (HEX  NAME)");
        return -1;
    }
    for (size_t i = 0; i < CHECKSUMS_LEN; i++) {
        int hi = hexval(line[2 * i]), lo = hexval(line[(2 * i) + 1]);
        if (hi < 0 || lo < 0) {
            snprintf(err, errlen, "bad hex digest");
            return -1;
        }
        digest[i] = (unsigned char)(hi * 16 + lo);
    }
    line += HEXLEN + 2;
    len -= HEXLEN + 2;
    if (memchr(line, '\0', len) || len == 0) {
        snprintf(err, errlen, "bad file name");
        return -1;
    }
    raw = malloc(len + 1);
    if (!raw) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    memcpy(raw, line, len);
    raw[len] = '\0';
    if (escaped)
        unescape(raw);
    /* "./x" and "x" are one file; the rules of an input line's NAME. */
    *name = naming_user_path(raw, "", err, errlen);
    free(raw);
    return *name ? 1 : -1;
}

static uint64_t hash_name(const char *s)
{
    return hash_fnv(HASH_FNV_INIT, s, strlen(s));
}

static int insert(struct checksums *c, struct checksum_entry *e)
{
    size_t i;

    if ((c->used + 1) * 2 > c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 64;
        struct checksum_entry **t = calloc(cap, sizeof *t);
        if (!t)
            return -1;
        for (size_t k = 0; k < c->cap; k++) {
            if (!c->table[k])
                continue;
            i = hash_name(c->table[k]->name) & (cap - 1);
            while (t[i])
                i = (i + 1) & (cap - 1);
            t[i] = c->table[k];
        }
        free(c->table);
        c->table = t;
        c->cap = cap;
    }
    for (i = hash_name(e->name) & (c->cap - 1); c->table[i];
         i = (i + 1) & (c->cap - 1)) {
        if (strcmp(c->table[i]->name, e->name) == 0) {
            free(c->table[i]); /* a later line wins */
            c->table[i] = e;
            return 0;
        }
    }
    c->table[i] = e;
    c->used++;
    return 0;
}

/* Adds one parsed line. */
static int add(struct checksums *c, const unsigned char *digest, char *name)
{
    size_t len = strlen(name);
    struct checksum_entry *e = malloc(sizeof *e + len + 1);

    if (!e)
        return -1;
    memcpy(e->digest, digest, CHECKSUMS_LEN);
    memcpy(e->name, name, len + 1);
    if (insert(c, e) != 0) {
        free(e);
        return -1;
    }
    return 0;
}

int checksums_load(struct checksums *c, const char *path, char *err,
                   size_t errlen)
{
    FILE *f = fopen(path, "r");
    char *line = NULL, why[256];
    size_t cap = 0;
    ssize_t n;
    unsigned long lineno = 0;
    int rc = 0;

    memset(c, 0, sizeof *c);
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    while (rc == 0 && (n = getline(&line, &cap, f)) >= 0) {
        unsigned char digest[CHECKSUMS_LEN];
        char *name = NULL;
        int k = checksums_parse_line(line, (size_t)n, digest, &name, why,
                                     sizeof why);
        lineno++;
        if (k < 0) {
            snprintf(err, errlen, "%s: line %lu: %s", path, lineno, why);
            rc = -1;
        } else if (k > 0 && add(c, digest, name) != 0) {
            snprintf(err, errlen, "out of memory");
            rc = -1;
        }
        free(name);
    }
    free(line);
    fclose(f);
    if (rc != 0)
        checksums_free(c);
    return rc;
}

void checksums_free(struct checksums *c)
{
    for (size_t i = 0; i < c->cap; i++)
        free(c->table[i]);
    free(c->table);
    memset(c, 0, sizeof *c);
}

const unsigned char *checksums_find(const struct checksums *c,
                                    const char *name)
{
    if (c->cap == 0)
        return NULL;
    for (size_t i = hash_name(name) & (c->cap - 1); c->table[i];
         i = (i + 1) & (c->cap - 1))
        if (strcmp(c->table[i]->name, name) == 0)
            return c->table[i]->digest;
    return NULL;
}
