#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
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

/* Locks fd's whole file for writing, without waiting. A POSIX record
 * lock: another salvo (or anyone asking) sees NAME.part is in use. Only
 * a conflict is an error (-EBUSY); a file system without locks is
 * written unlocked, as before. */
static int lock_file(int fd)
{
    struct flock l;

    memset(&l, 0, sizeof l);
    l.l_type = F_WRLCK;
    l.l_whence = SEEK_SET;
    l.l_start = 0;
    l.l_len = 0;
    if (fcntl(fd, F_SETLK, &l) == 0)
        return 0;
    return errno == EACCES || errno == EAGAIN ? -EBUSY : 0;
}

/* Learns what f->fd is open on, once: the unnamed file's common path
 * never needs to. 0 or -errno. */
static int identify(struct outfile *f)
{
    struct stat st;

    if (f->known)
        return 0;
    if (fstat(f->fd, &st) != 0)
        return -errno;
    f->dev = st.st_dev;
    f->ino = st.st_ino;
    f->known = 1;
    return 0;
}

/* 1 if name in the folder is (not followed) the file that f->fd is open
 * on, else 0. */
static int is_ours(struct outfile *f, const char *name)
{
    struct stat st;

    return identify(f) == 0 &&
           fstatat(f->pdirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
           st.st_dev == f->dev && st.st_ino == f->ino;
}

/* Takes fd (locked by now, or unnamed) as the file written. */
static int adopt(struct outfile *f, int fd, int unnamed)
{
    f->fd = fd;
    f->unnamed = unnamed;
    f->known = 0;
    return 0;
}

/* What this system offers, looked at once per process. */
struct outfile_caps {
    int fd_links; /* linkat() of /proc/self/fd/N links the open file */
    int unnamed;  /* O_TMPFILE may be tried */
};
static struct outfile_caps caps;
static pthread_once_t caps_once = PTHREAD_ONCE_INIT;
#ifdef AT_EMPTY_PATH
/* linkat(fd, "", ..., AT_EMPTY_PATH) works: until it is refused (or
 * SALVO_NO_EMPTY_PATH=1, for the tests of the /proc way). */
static atomic_int empty_path_ok;
#endif

static int env_is_1(const char *name)
{
    const char *v = getenv(name);
    return v && strcmp(v, "1") == 0;
}

/* Linux's /proc/self/fd links lead to the open file itself, also to one
 * that has no name: where /proc is mounted and is that, files are linked
 * by descriptor (with AT_EMPTY_PATH where the kernel allows it). Elsewhere (or
 * with SALVO_NO_PROC_FD=1, for the tests of the portable way) a file is linked
 * by its name, checked before and after, and there are no unnamed files
 * (SALVO_NO_TMPFILE=1 turns just those off: the fallback where O_TMPFILE is
 * refused). */
static void caps_look(void)
{
#ifdef __linux__
    char path[64];
    struct stat a, b;
    int fd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

    if (fd >= 0) {
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
        caps.fd_links = !env_is_1("SALVO_NO_PROC_FD") && fstat(fd, &a) == 0 &&
                        stat(path, &b) == 0 && a.st_dev == b.st_dev &&
                        a.st_ino == b.st_ino;
        close(fd);
    }
#endif
#ifdef AT_EMPTY_PATH
    atomic_store(&empty_path_ok,
                 caps.fd_links && !env_is_1("SALVO_NO_EMPTY_PATH"));
#endif
#ifdef O_TMPFILE
    caps.unnamed = caps.fd_links && !env_is_1("SALVO_NO_TMPFILE");
#endif
}

static int fd_links(void)
{
    pthread_once(&caps_once, caps_look);
    return caps.fd_links;
}

/* Links the open file as name in its folder. Returns 0 or -errno. */
static int link_fd(struct outfile *f, const char *name)
{
    char path[64];
    int rc;

#ifdef AT_EMPTY_PATH
    /* The same without a walk through /proc; allowed without
     * CAP_DAC_READ_SEARCH only by newer kernels (ENOENT otherwise, see
     * linkat(2)), so after one refusal that /proc grants, not tried. */
    if (atomic_load_explicit(&empty_path_ok, memory_order_relaxed)) {
        if (linkat(f->fd, "", f->pdirfd, name, AT_EMPTY_PATH) == 0)
            return 0;
        if (errno != ENOENT && errno != EPERM)
            return -errno;
    }
#endif
    snprintf(path, sizeof path, "/proc/self/fd/%d", f->fd);
    /* AT_SYMLINK_FOLLOW: the magic link leads to the open file itself
     * (linkat(2); for an O_TMPFILE file too, made without O_EXCL). */
    rc = linkat(AT_FDCWD, path, f->pdirfd, name, AT_SYMLINK_FOLLOW) == 0
             ? 0
             : -errno;
#ifdef AT_EMPTY_PATH
    if (rc == 0)
        atomic_store_explicit(&empty_path_ok, 0, memory_order_relaxed);
#endif
    return rc;
}

int outfile_init(struct outfile *f, int dirfd, const char *name)
{
    f->dirfd = dirfd;
    f->name = NULL;
    f->base = NULL;
    f->part = NULL;
    f->pdirfd = -1;
    f->fd = -1;
    f->unnamed = f->keep_part = f->no_old_part = f->known = 0;
    f->dev = 0;
    f->ino = 0;
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
    int fd, rc;

    f->keep_part = 1;
    if (f->pdirfd < 0) {
        int pfd = walk(f->dirfd, f->name, 0, &base);
        if (pfd == -ENOENT)
            return 0;
        if (pfd < 0)
            return pfd;
        f->pdirfd = pfd;
    }
    /* Read too: --checksums hashes what is there already. */
    fd = openat(f->pdirfd, f->part, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0 && errno == ELOOP) {
        /* A symlink planted at NAME.part: never followed, never resumed;
         * outfile_open() replaces it with a new file. */
        return 0;
    }
    if (fd < 0)
        return errno == ENOENT ? 0 : -errno;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
        lseek(fd, 0, SEEK_END) < 0) {
        int e = S_ISREG(st.st_mode) ? errno : EINVAL;
        close(fd);
        return -e;
    }
    rc = lock_file(fd);
    if (rc == -EBUSY) {
        /* Another process writes it: outfile_open() will say so. */
        close(fd);
        return 0;
    }
    rc = adopt(f, fd, 0);
    if (rc == 0)
        f->bytes = (uint64_t)st.st_size;
    return rc;
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

/* Removes the NAME.part that an earlier run left (or a symlink planted
 * there), unless another process is writing it: -EBUSY. */
static int drop_old_part(struct outfile *f)
{
    struct stat st, mine;
    int fd = openat(f->pdirfd, f->part,
                    O_RDWR | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC),
        rc = 0;

    if (fd < 0) {
        if (errno == ENOENT)
            return 0;
        if (errno == EMFILE || errno == ENFILE)
            return -errno;
        if (fstatat(f->pdirfd, f->part, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
            S_ISDIR(st.st_mode))
            return -EISDIR;
        /* Not a file we can open: a symlink (unlinking it removes the
         * link, not what it points to), a socket, a file we may not
         * write. It stands where our .part goes. */
        if (unlinkat(f->pdirfd, f->part, 0) != 0 && errno != ENOENT)
            return -errno;
        return 0;
    }
    rc = lock_file(fd);
    /* Unlink only the file just locked, not one put there meanwhile. */
    if (rc == 0 && fstat(fd, &mine) == 0 &&
        fstatat(f->pdirfd, f->part, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
        st.st_dev == mine.st_dev && st.st_ino == mine.st_ino &&
        unlinkat(f->pdirfd, f->part, 0) != 0 && errno != ENOENT)
        rc = -errno;
    close(fd); /* drops the lock */
    return rc;
}

/* Creates and locks a new NAME.part. Another run could drop it in the
 * moment between its creation and the lock: the file written then has
 * no name left, cannot be linked by its descriptor, is not the one at
 * NAME.part, and the commit fails (-ESTALE), never committing the other
 * run's file. Not worth a look at every file to find out earlier. */
static int open_part(struct outfile *f)
{
    /* Another run may drop and create NAME.part between our steps; a
     * few rounds settle who has it. */
    for (int round = 0; round < 4; round++) {
        int rc, fd = openat(f->pdirfd, f->part,
                            O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                            0666);
        if (fd >= 0) {
            rc = lock_file(fd);
            if (rc != 0) {
                close(fd);
                return rc;
            }
            return adopt(f, fd, 0);
        }
        if (errno != EEXIST)
            return -errno;
        rc = drop_old_part(f);
        if (rc != 0)
            return rc;
    }
    return -EBUSY;
}

/* Opens an unnamed file in the folder: 0, or -errno to use NAME.part. */
static int open_unnamed(struct outfile *f)
{
    struct stat st;

    pthread_once(&caps_once, caps_look);
    if (!caps.unnamed) /* never set without O_TMPFILE */
        return -EOPNOTSUPP;
    /* An old NAME.part (maybe another run's, locked) is dealt with as
     * before. The look is skipped where no earlier run can have left
     * one: a name that is not in the kernel's cache is looked up under
     * the directory's lock, which every other thread's link of a
     * finished file takes too (100,000 files at -j 32: one thread switch
     * in seven was a wait for that lock). */
    if (!f->no_old_part &&
        fstatat(f->pdirfd, f->part, &st, AT_SYMLINK_NOFOLLOW) == 0)
        return -EEXIST;
#ifdef O_TMPFILE
    {
        /* Without O_EXCL, so that linkat() can name it (open(2)). */
        int fd = openat(f->pdirfd, ".", O_TMPFILE | O_RDWR | O_CLOEXEC, 0666);
        if (fd < 0)
            return -errno; /* EOPNOTSUPP, EISDIR (an old kernel), EINVAL */
        return adopt(f, fd, 1);
    }
#else
    return -EOPNOTSUPP;
#endif
}

int outfile_open(struct outfile *f, int64_t size)
{
    const char *base;
    int rc = -1;

    if (f->pdirfd < 0) {
        int pfd = walk(f->dirfd, f->name, 1, &base);
        if (pfd < 0)
            return pfd;
        f->pdirfd = pfd;
    }
    if (!f->keep_part && size >= 0 && size <= OUTFILE_UNNAMED_MAX)
        rc = open_unnamed(f);
    if (rc == -EMFILE || rc == -ENFILE)
        return rc;
    if (rc != 0)
        rc = open_part(f);
    if (rc != 0)
        return rc;
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

/* Renames NAME.part, which must be the file written, to NAME (over an
 * existing one), and checks that NAME is then that file. */
static int rename_checked(struct outfile *f, const char *from)
{
    if (!is_ours(f, from))
        return -ESTALE;
    if (renameat(f->pdirfd, from, f->pdirfd, f->base) != 0)
        return -errno;
    if (!is_ours(f, f->base)) {
        /* from was swapped between the look and the rename: what came
         * to NAME is not ours, so it does not stay. */
        unlinkat(f->pdirfd, f->base, 0);
        return -ESTALE;
    }
    return 0;
}

/* NAME for the file written, never replacing an existing NAME. */
static int commit_new(struct outfile *f)
{
    if (fd_links()) {
        int rc = link_fd(f, f->base);
        if (rc == 0 || rc == -EEXIST || f->unnamed)
            return rc;
    }
    /* By name: NAME.part must be our file before the link, and NAME
     * after it (linkat() on a symlink would link the symlink). */
    if (!is_ours(f, f->part))
        return -ESTALE;
    if (linkat(f->pdirfd, f->part, f->pdirfd, f->base, 0) == 0) {
        if (is_ours(f, f->base))
            return 0;
        unlinkat(f->pdirfd, f->base, 0);
        return -ESTALE;
    }
    if (errno == EEXIST)
        return -EEXIST;
    /* No hard links on this file system: check, then rename. */
    if (outfile_exists(f->pdirfd, f->base) == 1)
        return -EEXIST;
    return rename_checked(f, f->part);
}

/* NAME for the file written, replacing an existing NAME. */
static int commit_over(struct outfile *f)
{
    char tmp[64];
    int rc;

    if (is_ours(f, f->part))
        return rename_checked(f, f->part);
    /* NAME.part is not the file written (swapped, or another run's now):
     * leave it alone, and give ours a name of its own to rename. */
    if (!fd_links())
        return -ESTALE;
    snprintf(tmp, sizeof tmp, ".salvo-%ld-%d.tmp", (long)getpid(), f->fd);
    rc = link_fd(f, tmp);
    /* -ENOENT: the file written has no name left to link from;
     * -EEXIST: something has that name, and it is not ours to remove. */
    if (rc != 0)
        return rc == -ENOENT || rc == -EEXIST ? -ESTALE : rc;
    rc = rename_checked(f, tmp);
    if (rc != 0 && is_ours(f, tmp))
        unlinkat(f->pdirfd, tmp, 0);
    return rc;
}

int outfile_commit(struct outfile *f, int overwrite)
{
    int rc = overwrite ? commit_over(f) : commit_new(f);

    if (rc == 0 && !f->unnamed && is_ours(f, f->part))
        unlinkat(f->pdirfd, f->part, 0);
    if (rc == -EEXIST && f->unnamed)
        link_fd(f, f->part); /* the data is kept in NAME.part */
    /* The lock is held until NAME is there: closing drops it. */
    if (close(f->fd) != 0 && rc == 0) {
        rc = -errno;
        /* A failed close may mean lost data (NFS): not a complete NAME.
         * (What an unnamed file is was not looked at; O_TMPFILE files
         * live on local file systems.) */
        if (f->known && is_ours(f, f->base))
            unlinkat(f->pdirfd, f->base, 0);
    }
    f->fd = -1;
    return rc;
}

void outfile_abandon(struct outfile *f, int remove)
{
    if (f->fd < 0)
        return;
    if (f->unnamed) {
        /* -c resumes from NAME.part; an unnamed file just vanishes. */
        if (!remove)
            link_fd(f, f->part);
    } else if (remove && is_ours(f, f->part)) {
        unlinkat(f->pdirfd, f->part, 0);
    }
    close(f->fd);
    f->fd = -1;
}

void outfile_describe(const char *path, int rc, char *buf, size_t len)
{
    if (rc == -EBUSY)
        snprintf(buf, len, "%s.part is being written by another process",
                 path);
    else if (rc == -ESTALE)
        snprintf(buf, len, "%s.part was replaced during the download", path);
    else
        snprintf(buf, len, "%s.part: %s", path, strerror(-rc));
}
