/* A keep-alive HTTP/1.1 server for the latency workload of bench.py, in
 * C: the same protocol as latency_server.py, without its interpreter.
 *
 * Every GET waits --delay-ms (50 ms by default), counted from the arrival
 * of its request line, and then answers with a 64-byte body: the hex
 * SHA-256 of the request path, so that a file saved under the wrong name
 * is caught by the verification. Each accepted TCP connection is logged
 * as one line "N PORT" in --conn-log, which bench.py slices per run to
 * count the connections a tool opened.
 *
 * One thread per connection, as in the Python server; here a request
 * costs some microseconds, not the millisecond or two that 50 Python
 * threads waking at once take under the GIL, so the time of a round is
 * the delay plus what the client takes. Loopback only. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define REQ_MAX 65536

static long delay_ns = 50L * 1000 * 1000;
static int conn_log = -1;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned long accepted;

static void usage(void)
{
    fprintf(stderr, "usage: latency-server --port-file F --conn-log F "
                    "[--port N] [--delay-ms D]\n");
    exit(2);
}

/* The hex SHA-256 of path[0..len): 64 characters into out. */
static void body_for(const char *path, size_t len, char out[65])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;

    EVP_Digest(path, len, md, &mdlen, EVP_sha256(), NULL);
    for (unsigned int i = 0; i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", md[i]);
}

static int write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* The value of header name in the head [h, end), or NULL; *vlen set. */
static const char *header(const char *h, const char *end, const char *name,
                          size_t *vlen)
{
    size_t nlen = strlen(name);

    while (h < end) {
        const char *eol = memchr(h, '\n', (size_t)(end - h));
        if (!eol)
            break;
        if ((size_t)(eol - h) > nlen && h[nlen] == ':' &&
            strncasecmp(h, name, nlen) == 0) {
            const char *v = h + nlen + 1, *ve = eol;
            while (v < ve && (*v == ' ' || *v == '\t'))
                v++;
            while (ve > v && (ve[-1] == '\r' || ve[-1] == ' '))
                ve--;
            *vlen = (size_t)(ve - v);
            return v;
        }
        h = eol + 1;
    }
    return NULL;
}

/* Reads more of the request into buf (REQ_MAX bytes, *have used):
 * 0, or -1 at the end of the connection or when the request is too
 * long. */
static int fill(int fd, char *buf, size_t *have)
{
    for (;;) {
        ssize_t r =
            *have < REQ_MAX ? recv(fd, buf + *have, REQ_MAX - *have, 0) : -1;
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        *have += (size_t)r;
        return 0;
    }
}

static void *serve(void *arg)
{
    int fd = (int)(intptr_t)arg;
    char *buf = malloc(REQ_MAX);
    size_t have = 0;

    while (buf) {
        char *line_end, *head_end, *sp1, *sp2, *q;
        char body[65], resp[512];
        struct timespec t0, until;
        size_t vlen, used, plen;
        const char *v;
        int close_after, n, is_get;
        long long length = 0;

        /* Up to the end of the request line: that is when the delay
         * starts, as in the Python server. */
        while (!(line_end = memchr(buf, '\n', have)))
            if (fill(fd, buf, &have) != 0)
                goto out;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        while (!(head_end = memmem(buf, have, "\r\n\r\n", 4)))
            if (fill(fd, buf, &have) != 0)
                goto out;
        head_end += 4;
        sp1 = memchr(buf, ' ', (size_t)(line_end - buf));
        sp2 = sp1 ? memchr(sp1 + 1, ' ', (size_t)(line_end - sp1 - 1)) : NULL;
        if (!sp1 || !sp2 || strncmp(sp2 + 1, "HTTP/1.", 7) != 0)
            goto out;
        is_get = sp1 - buf == 3 && memcmp(buf, "GET", 3) == 0;
        close_after = strncmp(sp2 + 1, "HTTP/1.0", 8) == 0;
        v = header(line_end + 1, head_end, "Connection", &vlen);
        if (v && vlen == 5 && strncasecmp(v, "close", 5) == 0)
            close_after = 1;
        else if (v && vlen == 10 && strncasecmp(v, "keep-alive", 10) == 0)
            close_after = 0;
        v = header(line_end + 1, head_end, "Content-Length", &vlen);
        if (v)
            length = strtoll(v, NULL, 10);
        /* The path, without its query. */
        q = memchr(sp1 + 1, '?', (size_t)(sp2 - sp1 - 1));
        plen = (size_t)((q ? q : sp2) - (sp1 + 1));
        body_for(sp1 + 1, plen, body);
        n = snprintf(resp, sizeof resp,
                     "HTTP/1.1 200 OK\r\n"
                     "Content-Type: application/octet-stream\r\n"
                     "Content-Length: 64\r\n"
                     "Connection: %s\r\n\r\n%s",
                     close_after ? "close" : "keep-alive", is_get ? body : "");
        /* Drop the request (and its body, if any) from the buffer. */
        used = (size_t)(head_end - buf);
        while (length > 0) {
            size_t take =
                have - used < (size_t)length ? have - used : (size_t)length;
            used += take;
            length -= (long long)take;
            if (length > 0) {
                ssize_t r = recv(fd, buf, REQ_MAX, 0);
                if (r <= 0)
                    goto out;
                have = (size_t)r;
                used = 0;
            }
        }
        memmove(buf, buf + used, have - used);
        have -= used;
        if (is_get) {
            until = t0;
            until.tv_nsec += delay_ns % 1000000000L;
            until.tv_sec +=
                delay_ns / 1000000000L + until.tv_nsec / 1000000000L;
            until.tv_nsec %= 1000000000L;
            while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until,
                                   NULL) == EINTR)
                ;
        }
        if (write_all(fd, resp, (size_t)n) != 0 || close_after)
            break;
    }
out:
    free(buf);
    close(fd);
    return NULL;
}

int main(int argc, char **argv)
{
    const char *port_file = NULL, *log_path = NULL;
    int port = 0, one = 1, lfd;
    struct sockaddr_in sa;
    socklen_t salen = sizeof sa;
    pthread_attr_t attr;
    char tmp[4096];
    FILE *f;

    for (int i = 1; i < argc; i++) {
        if (i + 1 >= argc)
            usage();
        if (strcmp(argv[i], "--port") == 0)
            port = atoi(argv[++i]);
        else if (strcmp(argv[i], "--port-file") == 0)
            port_file = argv[++i];
        else if (strcmp(argv[i], "--conn-log") == 0)
            log_path = argv[++i];
        else if (strcmp(argv[i], "--delay-ms") == 0)
            delay_ns = (long)(atof(argv[++i]) * 1e6);
        else
            usage();
    }
    if (!port_file || !log_path)
        usage();
    conn_log = open(log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    lfd = socket(AF_INET, SOCK_STREAM, 0);
    if (conn_log < 0 || lfd < 0)
        return 1;
    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((unsigned short)port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    /* A backlog of 1024: 50 clients connecting at once must not lose a
     * SYN (a lost one costs a 1 s retransmission). */
    if (bind(lfd, (struct sockaddr *)&sa, sizeof sa) != 0 ||
        listen(lfd, 1024) != 0 ||
        getsockname(lfd, (struct sockaddr *)&sa, &salen) != 0) {
        perror("latency-server");
        return 1;
    }
    snprintf(tmp, sizeof tmp, "%s.tmp", port_file);
    f = fopen(tmp, "w");
    if (!f || fprintf(f, "%d\n", ntohs(sa.sin_port)) < 0 || fclose(f) != 0 ||
        rename(tmp, port_file) != 0) {
        perror("latency-server: port file");
        return 1;
    }
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&attr, 256 * 1024);
    for (;;) {
        struct sockaddr_in peer;
        socklen_t plen = sizeof peer;
        pthread_t t;
        int n, c = accept(lfd, (struct sockaddr *)&peer, &plen);
        if (c < 0) {
            if (errno == EINTR || errno == ECONNABORTED || errno == EMFILE)
                continue;
            perror("latency-server: accept");
            return 1;
        }
        /* One write per response and no Nagle: a split head and body
         * would meet the client's delayed ACK. */
        setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        pthread_mutex_lock(&log_lock);
        n = snprintf(tmp, sizeof tmp, "%lu %d\n", ++accepted,
                     ntohs(peer.sin_port));
        if (write(conn_log, tmp, (size_t)n) != n)
            perror("latency-server: conn log");
        pthread_mutex_unlock(&log_lock);
        if (pthread_create(&t, &attr, serve, (void *)(intptr_t)c) != 0)
            close(c);
    }
}
