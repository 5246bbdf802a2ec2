/* What -N keeps about a file besides its bytes: the ETag the server gave
 * it (in the extended attribute user.salvo.etag, where the file system
 * has user xattrs) and its mtime (from Last-Modified). */
#ifndef SALVO_META_H
#define SALVO_META_H

#include <stddef.h>
#include <stdint.h>

/* The stored ETag of name (relative to dirfd; a symlink is not
 * followed) into buf, NUL-terminated. Returns 0, or -1 when there is
 * none (or no xattrs here). Thread-safe. */
int meta_etag_get(int dirfd, const char *name, char *buf, size_t len);

/* Stores etag on the open file fd; removes a stale one when etag is
 * empty. Returns 0 or -1 (no xattrs here: not an error to report). */
int meta_etag_set(int fd, const char *etag);

/* Sets the open file's mtime (and atime) to t, seconds since the epoch.
 * Returns 0 or -errno. */
int meta_mtime_set(int fd, int64_t t);

#endif
