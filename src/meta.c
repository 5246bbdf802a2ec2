#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#if defined(HAVE_SYS_XATTR_H) && defined(__linux__)
#include <sys/xattr.h>
#define META_XATTR 1
#endif

#include "meta.h"

#define ETAG_ATTR "user.salvo.etag"

int meta_etag_get(int dirfd, const char *name, char *buf, size_t len)
{
#ifdef META_XATTR
    int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    ssize_t n;

    if (fd < 0)
        return -1;
    n = fgetxattr(fd, ETAG_ATTR, buf, len - 1);
    close(fd);
    if (n <= 0)
        return -1;
    buf[n] = '\0';
    /* An ETag is one header value: no line ends, no NULs. */
    if (strlen(buf) != (size_t)n || strpbrk(buf, "\r\n"))
        return -1;
    return 0;
#else
    (void)dirfd;
    (void)name;
    (void)buf;
    (void)len;
    return -1;
#endif
}

int meta_etag_set(int fd, const char *etag)
{
#ifdef META_XATTR
    if (!etag[0])
        return fremovexattr(fd, ETAG_ATTR) == 0 || errno == ENODATA ? 0 : -1;
    return fsetxattr(fd, ETAG_ATTR, etag, strlen(etag), 0) == 0 ? 0 : -1;
#else
    (void)fd;
    (void)etag;
    return -1;
#endif
}

int meta_mtime_set(int fd, int64_t t)
{
    struct timespec ts[2];

    ts[0].tv_sec = ts[1].tv_sec = (time_t)t;
    ts[0].tv_nsec = ts[1].tv_nsec = 0;
    return futimens(fd, ts) == 0 ? 0 : -errno;
}
