/* Output files: NAME.part while data arrives, NAME once it is complete.
 *
 * Every path is opened relative to the output directory's descriptor,
 * one component at a time with O_NOFOLLOW, so a symlink planted in the
 * output tree is never followed out of it.
 *
 * A .part is locked (a POSIX record lock over the whole file) while it
 * is written, and what is committed is the file salvo wrote, found by
 * its descriptor rather than by its name: whatever someone puts at
 * NAME.part meanwhile never becomes NAME. */
#ifndef SALVO_OUTFILE_H
#define SALVO_OUTFILE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct outfile {
    int dirfd;        /* borrowed: the output directory */
    const char *name; /* borrowed: path relative to dirfd */
    int pdirfd;       /* owned: the directory holding name, or -1 */
    const char *base; /* last component of name */
    char *part;       /* owned: base + ".part" */
    int fd;           /* owned: the open .part file, or -1 */
    dev_t dev;        /* what fd is open on */
    ino_t ino;
    uint64_t bytes; /* written to fd */
    void *md;       /* owned: SHA-256 of the bytes so far, or NULL */
};

/* Returns 0 or -errno. outfile_cleanup() must follow either way. name
 * may be NULL when it is not known yet: outfile_set_name() then comes
 * before anything else. */
int outfile_init(struct outfile *f, int dirfd, const char *name);
int outfile_set_name(struct outfile *f, const char *name);
void outfile_cleanup(struct outfile *f);

/* 1 if a file or a symlink (not followed) stands at name, 0 if nothing
 * does, -EISDIR for a directory, -EEXIST for anything else, or another
 * -errno (say -ELOOP for a symlinked folder on the way). */
int outfile_exists(int dirfd, const char *name);

/* 1 if the directory holds nothing but "." and "..", else 0 (also when
 * it cannot be read). */
int outfile_dir_empty(int dirfd);

/* Opens an existing NAME.part to append to it (-c): bytes is its size.
 * Returns 0 (fd stays -1 if there is none, or if another process is
 * writing it: outfile_open() then says so) or -errno. */
int outfile_resume(struct outfile *f);

/* Cuts the open .part to size bytes; writing goes on from there.
 * Returns 0 or -errno. */
int outfile_truncate(struct outfile *f, uint64_t size);

/* Starts a SHA-256 over everything written (and what a resumed .part
 * holds already, read once now). Data is hashed as it streams in; a
 * truncation re-reads only the kept prefix. Returns 0 or -errno. */
int outfile_hash(struct outfile *f);

/* The SHA-256 of the .part's bytes (32 bytes into out). 0 or -1. */
int outfile_digest(struct outfile *f, unsigned char out[32]);

/* Creates the folders of name and a new, empty, locked NAME.part (an
 * old one is replaced, a symlink there is removed, never followed).
 * Returns 0 or -errno: -EBUSY when another process is writing NAME.part
 * (that file is left alone). */
int outfile_open(struct outfile *f);

/* Writes all of buf (retrying short writes). Returns 0 or -errno. */
int outfile_write(struct outfile *f, const void *buf, size_t len);

/* Gives the file written its final name, and closes it. Without
 * overwrite an existing NAME is never replaced: -EEXIST, and the data is
 * in NAME.part. Returns 0 or -errno: -ESTALE when NAME.part was replaced
 * by another file and the file written cannot be linked by its
 * descriptor (no /proc/self/fd; SALVO_NO_PROC_FD=1 forces that way). */
int outfile_commit(struct outfile *f, int overwrite);

/* Closes NAME.part after a failure; removes it if remove is set. */
void outfile_abandon(struct outfile *f, int remove);

/* Says what went wrong with path's .part: "PATH.part is being written
 * by another process" for -EBUSY, "PATH.part: strerror" for others. */
void outfile_describe(const char *path, int rc, char *buf, size_t len);

#endif
