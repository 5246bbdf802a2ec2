#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "outfile.h"

/* Closes a descriptor from walk() unless it is dirfd itself. */
static void unwalk(int fd, int dirfd)
{
    if (fd >= 0 && fd != dirfd)
        close(fd);
}

/* Opens the directory that holds path's last component, walking from
 * dirfd without following symlinks, creating missing folders if create
 * is set. Returns dirfd itself for a name with no '/' (no system call:
 * the common case), else a new descriptor; or -errno. *base points
 * into path. Give the result back with unwalk(). */
static int walk(int dirfd, const char *path, int create, const char **base)
{
    int cur;
    const char *slash;
    char comp[256];

    *base = path;
    if (!strchr(path, '/'))
        return dirfd;
    cur = dup(dirfd);
    if (cur < 0)
        return -errno;
    while ((slash = strchr(path, '/')) != NULL) {
        size_t len = (size_t)(slash - path);
        int next;
        if (len >= sizeof comp) {
            close(cur);
            return -ENAMETOOLONG;
        }
        memcpy(comp, path, len);
        comp[len] = '\0';
        if (create && mkdirat(cur, comp, 0777) != 0 && errno != EEXIST) {
            int e = errno;
            close(cur);
            return -e;
        }
        next =
            openat(cur, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (next < 0) {
            struct stat st;
            int e = errno;
            /* Say -ELOOP for a symlink, whatever this system says. */
            if (fstatat(cur, comp, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
                S_ISLNK(st.st_mode))
                e = ELOOP;
            close(cur);
            return -e;
        }
        close(cur);
        cur = next;
        path = slash + 1;
    }
    *base = path;
    return cur;
}

int outfile_init(struct outfile *f, int dirfd, const char *name)
{
    f->dirfd = dirfd;
    f->name = NULL;
    f->base = NULL;
    f->part = NULL;
    f->pdirfd = -1;
    f->fd = -1;
    f->bytes = 0;
    f->expect_total = 0;
    f->md = NULL;
    return name ? outfile_set_name(f, name) : 0;
}

int outfile_set_name(struct outfile *f, const char *name)
{
    const char *slash = strrchr(name, '/');
    size_t blen;

    f->name = name;
    f->base = slash ? slash + 1 : name;
    blen = strlen(f->base);
    f->part = malloc(blen + sizeof ".part");
    if (!f->part)
        return -ENOMEM;
    memcpy(f->part, f->base, blen);
    memcpy(f->part + blen, ".part", sizeof ".part");
    return 0;
}

void outfile_cleanup(struct outfile *f)
{
    if (f->fd >= 0)
        close(f->fd);
    unwalk(f->pdirfd, f->dirfd);
    free(f->part);
    EVP_MD_CTX_free(f->md);
    f->md = NULL;
    f->part = NULL;
    f->fd = f->pdirfd = -1;
}

int outfile_exists(int dirfd, const char *name)
{
    const char *base;
    struct stat st;
    int pfd = walk(dirfd, name, 0, &base), rc;

    if (pfd == -ENOENT)
        return 0;
    if (pfd < 0)
        return pfd;
    rc = fstatat(pfd, base, &st, AT_SYMLINK_NOFOLLOW);
    if (rc != 0)
        rc = errno == ENOENT ? 0 : -errno;
    else if (S_ISREG(st.st_mode) || S_ISLNK(st.st_mode))
        rc = 1; /* the user's: skip it (a link is not followed) */
    else
        rc = S_ISDIR(st.st_mode) ? -EISDIR : -EEXIST;
    unwalk(pfd, dirfd);
    return rc;
}

int outfile_dir_empty(int dirfd)
{
    int fd = dup(dirfd), empty = 1;
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    struct dirent *e;

    if (!d) {
        if (fd >= 0)
            close(fd);
        return 0;
    }
    errno = 0;
    while (empty && (e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            empty = 0;
    if (errno != 0)
        empty = 0;
    closedir(d);
    return empty;
}

int outfile_resume(struct outfile *f)
{
    const char *base;
    struct stat st;

    if (f->pdirfd < 0) {
        int pfd = walk(f->dirfd, f->name, 0, &base);
        if (pfd == -ENOENT)
            return 0;
        if (pfd < 0)
            return pfd;
        f->pdirfd = pfd;
    }
    /* Read too: --checksums hashes what is there already. */
    f->fd = openat(f->pdirfd, f->part, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
    if (f->fd < 0 && errno == ELOOP) {
        /* A symlink planted at NAME.part: never followed, never resumed;
         * outfile_open() replaces it with a new file. */
        return 0;
    }
    if (f->fd < 0)
        return errno == ENOENT ? 0 : -errno;
    if (fstat(f->fd, &st) != 0 || !S_ISREG(st.st_mode) ||
        lseek(f->fd, 0, SEEK_END) < 0) {
        int e = S_ISREG(st.st_mode) ? errno : EINVAL;
        close(f->fd);
        f->fd = -1;
        return -e;
    }
    f->bytes = (uint64_t)st.st_size;
    return 0;
}

/* (Re)starts the hash over the first f->bytes bytes of the file. */
static int rehash(struct outfile *f)
{
    char buf[65536];
    uint64_t off = 0;

    if (EVP_DigestInit_ex(f->md, EVP_sha256(), NULL) != 1)
        return -ENOMEM;
    while (off < f->bytes) {
        size_t want = f->bytes - off < sizeof buf ? (size_t)(f->bytes - off)
                                                  : sizeof buf;
        ssize_t n = pread(f->fd, buf, want, (off_t)off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return n < 0 ? -errno : -EIO;
        if (EVP_DigestUpdate(f->md, buf, (size_t)n) != 1)
            return -ENOMEM;
        off += (uint64_t)n;
    }
    return 0;
}

int outfile_truncate(struct outfile *f, uint64_t size)
{
    if (ftruncate(f->fd, (off_t)size) != 0 ||
        lseek(f->fd, (off_t)size, SEEK_SET) < 0)
        return -errno;
    f->bytes = size;
    return f->md ? rehash(f) : 0;
}

int outfile_hash(struct outfile *f)
{
    if (!f->md) {
        f->md = EVP_MD_CTX_new();
        if (!f->md)
            return -ENOMEM;
    }
    if (f->fd < 0) {
        f->bytes = 0;
        return EVP_DigestInit_ex(f->md, EVP_sha256(), NULL) == 1 ? 0 : -ENOMEM;
    }
    return rehash(f);
}

int outfile_digest(struct outfile *f, unsigned char out[32])
{
    unsigned int len = 0;

    if (!f->md || EVP_DigestFinal_ex(f->md, out, &len) != 1 || len != 32)
        return -1;
    return 0;
}

int outfile_open(struct outfile *f)
{
    const char *base;

    if (f->pdirfd < 0) {
        int pfd = walk(f->dirfd, f->name, 1, &base);
        if (pfd < 0)
            return pfd;
        f->pdirfd = pfd;
    }
    f->fd = openat(f->pdirfd, f->part,
                   O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (f->fd < 0 && errno == EEXIST) {
        /* A .part left by an earlier run is ours to replace; unlinking a
         * planted symlink removes the link, not what it points to. */
        if (unlinkat(f->pdirfd, f->part, 0) != 0 && errno != ENOENT)
            return -errno;
        f->fd =
            openat(f->pdirfd, f->part,
                   O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    }
    if (f->fd < 0)
        return -errno;
    f->bytes = 0;
    if (f->md && EVP_DigestInit_ex(f->md, EVP_sha256(), NULL) != 1)
        return -ENOMEM;
    return 0;
}

int outfile_write(struct outfile *f, const void *buf, size_t len)
{
    const char *p = buf;

    while (len > 0) {
        ssize_t n = write(f->fd, p, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -errno;
        }
        if (f->md && EVP_DigestUpdate(f->md, p, (size_t)n) != 1)
            return -ENOMEM;
        p += n;
        len -= (size_t)n;
        f->bytes += (uint64_t)n;
    }
    return 0;
}

int outfile_commit(struct outfile *f, int overwrite)
{
    int rc = close(f->fd);

    f->fd = -1;
    if (rc != 0)
        return -errno;
    if (overwrite)
        return renameat(f->pdirfd, f->part, f->pdirfd, f->base) == 0 ? 0
                                                                     : -errno;
    /* link() fails if NAME exists, which rename() would replace. */
    if (linkat(f->pdirfd, f->part, f->pdirfd, f->base, 0) == 0) {
        unlinkat(f->pdirfd, f->part, 0);
        return 0;
    }
    if (errno == EEXIST)
        return -EEXIST;
    /* No hard links on this file system: check, then rename. */
    if (outfile_exists(f->pdirfd, f->base) == 1)
        return -EEXIST;
    return renameat(f->pdirfd, f->part, f->pdirfd, f->base) == 0 ? 0 : -errno;
}

void outfile_abandon(struct outfile *f, int remove)
{
    if (f->fd >= 0) {
        close(f->fd);
        f->fd = -1;
        if (remove)
            unlinkat(f->pdirfd, f->part, 0);
    }
}
