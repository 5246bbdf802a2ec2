/* --checksums=FILE: expected SHA-256 digests, by output name. */
#ifndef SALVO_CHECKSUMS_H
#define SALVO_CHECKSUMS_H

#include <stddef.h>

#define CHECKSUMS_LEN 32 /* SHA-256 */

struct checksum_entry;

struct checksums {
    struct checksum_entry **table;
    size_t cap, used;
};

/* Parses one line of `sha256sum` output: "HEX  NAME", "HEX *NAME", or
 * the `--tag` (BSD) form "SHA256 (NAME) = HEX" (a leading '\\' marks a
 * name with "\\\\" and "\\n" escapes). On success
 * returns 1 with the digest and the normalised name (the caller frees
 * it); 0 for a blank line or a comment; -1 with a reason in err. */
int checksums_parse_line(const char *line, size_t len,
                         unsigned char digest[CHECKSUMS_LEN], char **name,
                         char *err, size_t errlen);

/* Reads a whole file. Returns 0, or -1 with the reason (and the line
 * number) in err. */
int checksums_load(struct checksums *c, const char *path, char *err,
                   size_t errlen);
void checksums_free(struct checksums *c);

/* The digest for name (a path relative to the output dir), or NULL.
 * Read-only after loading, so thread-safe. */
const unsigned char *checksums_find(const struct checksums *c,
                                    const char *name);

/* The SHA-256 of the file at name, relative to dirfd (a symlink at name
 * is not followed). Returns 0 or -errno. Thread-safe. */
int checksums_file(int dirfd, const char *name,
                   unsigned char out[CHECKSUMS_LEN]);

/* The digest in lower-case hex. */
void checksums_hex(const unsigned char digest[CHECKSUMS_LEN],
                   char hex[2 * CHECKSUMS_LEN + 1]);

#endif
