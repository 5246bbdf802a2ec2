#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

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

/* HEXLEN hex digits into a digest: 0, or -1. */
static int parse_hex(const char *hex, unsigned char digest[CHECKSUMS_LEN])
{
    for (size_t i = 0; i < CHECKSUMS_LEN; i++) {
        int hi = hexval(hex[2 * i]), lo = hexval(hex[(2 * i) + 1]);
        if (hi < 0 || lo < 0)
            return -1;
        digest[i] = (unsigned char)(hi * 16 + lo);
    }
    return 0;
}

/* The name of a line, len bytes: checked like an input line's NAME (so
 * "./x" and "x" are one file). NULL with a reason in err. */
static char *line_name(const char *line, size_t len, int escaped, char *err,
                       size_t errlen)
{
    char *raw, *name;

    if (memchr(line, '\0', len) || len == 0) {
        snprintf(err, errlen, "bad file name");
        return NULL;
    }
    raw = malloc(len + 1);
    if (!raw) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    memcpy(raw, line, len);
    raw[len] = '\0';
    if (escaped)
        unescape(raw);
    name = naming_user_path(raw, "", err, errlen);
    free(raw);
    return name;
}

/* `sha256sum --tag` (BSD) form: "SHA256 (NAME) = HEX". */
static int parse_tagged(const char *line, size_t len,
                        unsigned char digest[CHECKSUMS_LEN], char **name,
                        int escaped, char *err, size_t errlen)
{
    static const char tag[] = "SHA256 (";
    const size_t taglen = sizeof tag - 1, tail = 4 + HEXLEN; /* ") = " */

    if (len < taglen + tail + 1 || memcmp(line + len - tail, ") = ", 4) != 0) {
        snprintf(err, errlen, "not a sha256sum line (SHA256 (NAME) = HEX)");
        return -1;
    }
    if (parse_hex(line + len - HEXLEN, digest) != 0) {
        snprintf(err, errlen, "bad hex digest");
        return -1;
    }
    *name =
        line_name(line + taglen, len - taglen - tail, escaped, err, errlen);
    return *name ? 1 : -1;
}

int checksums_parse_line(const char *line, size_t len,
                         unsigned char digest[CHECKSUMS_LEN], char **name,
                         char *err, size_t errlen)
{
    int escaped = 0;

    while (len > 0 && (line[len - 1] == '\r' || line[len - 1] == '\n'))
        len--;
    if (len == 0 || line[0] == '#')
        return 0;
    if (line[0] == '\\') {
        escaped = 1;
        line++;
        len--;
    }
    if (len >= 8 && memcmp(line, "SHA256 (", 8) == 0)
        return parse_tagged(line, len, digest, name, escaped, err, errlen);
    if (len < HEXLEN + 2 || line[HEXLEN] != ' ' ||
        (line[HEXLEN + 1] != ' ' && line[HEXLEN + 1] != '*')) {
        snprintf(err, errlen, "not a sha256sum line (HEX  NAME)");
        return -1;
    }
    if (parse_hex(line, digest) != 0) {
        snprintf(err, errlen, "bad hex digest");
        return -1;
    }
    *name =
        line_name(line + HEXLEN + 2, len - HEXLEN - 2, escaped, err, errlen);
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

int checksums_file(int dirfd, const char *name,
                   unsigned char out[CHECKSUMS_LEN])
{
    int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    EVP_MD_CTX *md = NULL;
    unsigned char buf[65536];
    unsigned int len = 0;
    ssize_t n = 0;
    int rc = -EIO;

    if (fd < 0)
        return -errno;
    md = EVP_MD_CTX_new();
    if (!md || EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1) {
        rc = -ENOMEM;
        goto out;
    }
    while ((n = read(fd, buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR))
        if (n > 0 && EVP_DigestUpdate(md, buf, (size_t)n) != 1)
            goto out;
    if (n < 0) {
        rc = -errno;
        goto out;
    }
    if (EVP_DigestFinal_ex(md, out, &len) == 1 && len == CHECKSUMS_LEN)
        rc = 0;
out:
    EVP_MD_CTX_free(md);
    close(fd);
    return rc;
}

void checksums_hex(const unsigned char digest[CHECKSUMS_LEN],
                   char hex[2 * CHECKSUMS_LEN + 1])
{
    static const char digits[] = "0123456789abcdef";

    for (size_t i = 0; i < CHECKSUMS_LEN; i++) {
        hex[2 * i] = digits[digest[i] >> 4];
        hex[(2 * i) + 1] = digits[digest[i] & 15];
    }
    hex[(size_t)2 * CHECKSUMS_LEN] = '\0';
}
