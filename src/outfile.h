/* Output files: NAME.part while data arrives, NAME once it is complete.
 *
 * Every path is opened relative to the output directory's descriptor,
 * one component at a time with O_NOFOLLOW, so a symlink planted in the
 * output tree is never followed out of it.
 *
 * A .part is locked (a POSIX record lock over the whole file) while it
 * is written, and what is committed is the file salvo wrote, found by
 * its descriptor rather than by its name: whatever someone puts at
 * NAME.part meanwhile never becomes NAME.
 *
 * A fresh, small download of known size is written to an unnamed file
 * (Linux O_TMPFILE) and linked to NAME at the end: one directory entry
 * instead of three. If it fails with data, the data is linked to
 * NAME.part so that -c resumes it. */
#ifndef SALVO_OUTFILE_H
#define SALVO_OUTFILE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* The largest known size written to an unnamed file rather than to a
 * NAME.part: a small file gains most from fewer directory entries, and
 * an interrupted one loses little. */
#define OUTFILE_UNNAMED_MAX ((int64_t)1024 * 1024)

struct outfile {
    int dirfd;        /* borrowed: the output directory */
    const char *name; /* borrowed: path relative to dirfd */
    int pdirfd;       /* owned: the directory holding name, or -1 */
    const char *base; /* last component of name */
    char *part;       /* owned: base + ".part" */
    int fd;           /* owned: the open .part file, or -1 */
    int unnamed;      /* fd has no name yet (O_TMPFILE) */
    int keep_part;    /* -c: always write to NAME.part */
    int no_old_part;  /* the output directory was empty at the start:
                         no earlier run left a NAME.part to look for */
    int known;        /* dev and ino are set */
    dev_t dev;        /* what fd is open on */
    ino_t ino;
    uint64_t bytes;        /* written to fd */
    uint64_t expect_total; /* the resource's length as first announced
                              (kept across attempts), or 0: unknown */
    void *md;              /* owned: SHA-256 of the bytes so far, or NULL */
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
 * writing it: outfile_open() then says so) or -errno. After this call
 * the data always goes to NAME.part, never to an unnamed file. */
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

/* Creates the folders of name and a new, empty file: an unnamed one when
 * size (the expected length, -1 if unknown) is at most
 * OUTFILE_UNNAMED_MAX, there is no NAME.part and outfile_resume() was
 * not called; else NAME.part (an old one is replaced, a symlink there
 * is removed, never followed). Returns 0 or -errno: -EBUSY when another
 * process is writing NAME.part (that file is left alone). The
 * environment variable SALVO_NO_TMPFILE=1 turns unnamed files off. */
int outfile_open(struct outfile *f, int64_t size);

/* Writes all of buf (retrying short writes). Returns 0 or -errno. */
int outfile_write(struct outfile *f, const void *buf, size_t len);

/* Gives the file written its final name, and closes it. Without
 * overwrite an existing NAME is never replaced: -EEXIST, and the data is
 * in NAME.part. Returns 0 or -errno: -ESTALE when NAME.part was replaced
 * by another file and the file written cannot be linked by its
 * descriptor (no /proc/self/fd; SALVO_NO_PROC_FD=1 forces that way). */
int outfile_commit(struct outfile *f, int overwrite);

/* Closes the file after a failure; removes it if remove is set, else
 * keeps its data in NAME.part. */
void outfile_abandon(struct outfile *f, int remove);

/* Says what went wrong with path's .part: "PATH.part is being written
 * by another process" for -EBUSY, "PATH.part: strerror" for others. */
void outfile_describe(const char *path, int rc, char *buf, size_t len);

#endif
