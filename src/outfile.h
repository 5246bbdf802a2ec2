/* Output files: NAME.part while data arrives, NAME once it is complete.
 *
 * Every path is opened relative to the output directory's descriptor,
 * one component at a time with O_NOFOLLOW, so a symlink planted in the
 * output tree is never followed out of it. */
#ifndef SALVO_OUTFILE_H
#define SALVO_OUTFILE_H

#include <stddef.h>
#include <stdint.h>

struct outfile {
    int dirfd;        /* borrowed: the output directory */
    const char *name; /* borrowed: path relative to dirfd */
    int pdirfd;       /* owned: the directory holding name, or -1 */
    const char *base; /* last component of name */
    char *part;       /* owned: base + ".part" */
    int fd;           /* owned: the open .part file, or -1 */
    uint64_t bytes;   /* written to fd */
};

/* Returns 0 or -errno. outfile_cleanup() must follow either way. */
int outfile_init(struct outfile *f, int dirfd, const char *name);
void outfile_cleanup(struct outfile *f);

/* 1 if something (file, directory, symlink) stands at name, 0 if not,
 * or -errno. */
int outfile_exists(int dirfd, const char *name);

/* Creates the folders of name and a new, empty NAME.part (an old one is
 * replaced). Returns 0 or -errno. */
int outfile_open(struct outfile *f);

/* Writes all of buf (retrying short writes). Returns 0 or -errno. */
int outfile_write(struct outfile *f, const void *buf, size_t len);

/* Closes NAME.part and gives it its final name. Without overwrite an
 * existing NAME is never replaced: -EEXIST, and NAME.part stays.
 * Returns 0 or -errno. */
int outfile_commit(struct outfile *f, int overwrite);

/* Closes NAME.part after a failure; removes it if remove is set. */
void outfile_abandon(struct outfile *f, int remove);

#endif
