#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "httpparse.h"
#include "timeutil.h"
#include "transfer.h"
#include "url.h"

#define PROTOCOLS "http,https,ftp,ftps"
#define SECURE_PROTOCOLS "https,ftps"
#define NO_LIMIT UINT64_MAX

/* State of one attempt, seen by the libcurl callbacks. */
struct attempt {
    CURL *h;
    const struct transfer_config *cfg;
    struct outfile *out;
    const struct xfer_hooks *hooks;
    uint64_t offset; /* the Range start asked for; 0: none */

    /* Of the response being received; reset at each status line. */
    long code;
    int headers_done; /* its blank line came */
    int has_range;    /* a well-formed Content-Range came */
    struct httpparse_range range;
    double retry_after;  /* -1: none */
    char *disposition;   /* owned */
    int body_seen;       /* the first body byte has been handled */
    uint64_t body_start; /* out->bytes where this response's body began */
    uint64_t body_max;   /* most body bytes it may carry, or NO_LIMIT */

    /* Timing, on timeutil_now()'s clock. */
    double last_data; /* when bytes last came (or a throttle pause ended) */
    double resume_at; /* --limit-rate: no body before then */
    int paused;       /* the write callback paused the transfer */
    int redirect_refused;
    char etag[256];             /* of the last response, or "" */
    struct curl_slist *headers; /* -N: -H lines and If-None-Match */

    /* Why a callback stopped the transfer: its result and reason. */
    enum xfer_result abort_result;
    char abort_why[256];
};

static int is_http(CURL *h)
{
    char *scheme = NULL;

    curl_easy_getinfo(h, CURLINFO_SCHEME, &scheme);
    return scheme && (strcasecmp(scheme, "http") == 0 ||
                      strcasecmp(scheme, "https") == 0);
}

/* Stops the transfer from a callback with a result and a reason. */
static size_t abort_with(struct attempt *a, enum xfer_result r,
                         const char *why)
{
    a->abort_result = r;
    snprintf(a->abort_why, sizeof a->abort_why, "%s", why);
    return 0;
}

/* A header value with surrounding space and the line end removed. */
static char *header_value(const char *line, size_t len, size_t skip)
{
    const char *v = line + skip;
    size_t n = len - skip;
    char *out;

    while (n > 0 && (*v == ' ' || *v == '\t')) {
        v++;
        n--;
    }
    while (n > 0 && (v[n - 1] == '\r' || v[n - 1] == '\n' || v[n - 1] == ' '))
        n--;
    out = calloc(n + 1, 1);
    if (out) {
        memcpy(out, v, n);
        out[n] = '\0';
    }
    return out;
}

static int header_is(const char *line, size_t len, const char *name)
{
    size_t n = strlen(name);

    return len > n && strncasecmp(line, name, n) == 0;
}

static void new_response(struct attempt *a, const char *line)
{
    const char *sp = strchr(line, ' ');

    a->etag[0] = '\0';
    /* "HTTP/1.1 200 OK" */
    a->code = sp ? strtol(sp + 1, NULL, 10) : 0;
    a->headers_done = 0;
    a->has_range = 0;
    memset(&a->range, 0, sizeof a->range);
    a->retry_after = -1;
    free(a->disposition);
    a->disposition = NULL;
    a->body_seen = 0;
    a->body_max = NO_LIMIT;
}

/* A Location from https to http: libcurl's redirect protocols are fixed
 * per transfer, so this catches the downgrade on a later hop of a
 * chain. Returns 1 when the redirect is refused. */
static int downgrade(struct attempt *a, const char *location)
{
    char *scheme = NULL;

    curl_easy_getinfo(a->h, CURLINFO_SCHEME, &scheme);
    return a->code >= 300 && a->code < 400 && scheme &&
           strcasecmp(scheme, "https") == 0 &&
           strncasecmp(location, "http:", 5) == 0;
}

static size_t refuse_downgrade(struct attempt *a, const char *location)
{
    char why[sizeof a->abort_why];
    char *shown = url_masked(location);

    a->redirect_refused = 1;
    snprintf(why, sizeof why, "refused redirect to %.200s (no https to http)",
             shown ? shown : "?");
    free(shown);
    return abort_with(a, XFER_FATAL, why);
}

static size_t on_header(char *data, size_t size, size_t n, void *p)
{
    struct attempt *a = p;
    size_t len = size * n;
    char *v;

    a->last_data = timeutil_now();
    if (len >= 5 && strncmp(data, "HTTP/", 5) == 0) {
        new_response(a, data);
        return len;
    }
    if (data[0] == '\r' || data[0] == '\n') {
        a->headers_done = 1;
        return len;
    }
    if (!header_is(data, len, "content-range:") &&
        !header_is(data, len, "retry-after:") &&
        !header_is(data, len, "etag:") && !header_is(data, len, "location:") &&
        !header_is(data, len, "content-disposition:"))
        return len;
    v = header_value(data, len, (size_t)(strchr(data, ':') - data) + 1);
    if (!v)
        return abort_with(a, XFER_FATAL, "out of memory");
    if (header_is(data, len, "content-range:")) {
        a->has_range = httpparse_content_range(v, &a->range) == 0;
    } else if (header_is(data, len, "retry-after:")) {
        /* Not CURLINFO_RETRY_AFTER(3): it gives 0 both for no header and
         * for "Retry-After: 0", and salvo must tell them apart (a 0 is
         * "retry now", no header is "use the backoff"). */
        httpparse_retry_after(v, time(NULL), &a->retry_after);
    } else if (header_is(data, len, "etag:")) {
        /* Kept as sent (quotes and W/ included) for If-None-Match; one
         * too long for our buffer is as good as none. */
        if (strlen(v) < sizeof a->etag)
            snprintf(a->etag, sizeof a->etag, "%s", v);
    } else if (header_is(data, len, "location:")) {
        if (downgrade(a, v)) {
            size_t r = refuse_downgrade(a, v);
            free(v);
            return r;
        }
    } else if (a->cfg->opts->content_disposition && !a->disposition) {
        a->disposition = v;
        v = NULL;
    }
    free(v);
    return len;
}

static uint64_t content_length(struct attempt *a, int *known)
{
    curl_off_t cl = -1;

    curl_easy_getinfo(a->h, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &cl);
    *known = cl >= 0;
    return cl >= 0 ? (uint64_t)cl : 0;
}

/* The .part could not be opened or cut: why, and whether to try again
 * (out of descriptors is a moment's shortage, not the file's). */
static enum xfer_result file_error(const struct outfile *o, int rc, char *why,
                                   size_t whylen)
{
    outfile_describe(o->name, rc, why, whylen);
    return rc == -EMFILE || rc == -ENFILE ? XFER_TRANSIENT : XFER_FATAL;
}

/* What the .part holds does not belong with this response: empty it (the
 * next attempt asks for everything) and forget the length announced. */
static enum xfer_result start_over(struct attempt *a, char *why, size_t whylen)
{
    struct outfile *o = a->out;
    int rc = o->fd >= 0 ? outfile_truncate(o, 0) : 0;

    o->expect_total = 0;
    if (rc < 0) {
        snprintf(why, whylen, "%s.part: %s", o->name, strerror(-rc));
        return XFER_FATAL;
    }
    return XFER_TRANSIENT;
}

/* A 206: its range must start at or before the end of what the .part
 * holds (0 when no .part is open: a 206 to a request without a Range
 * must start at byte 0), agree with the length first announced, and
 * with its own Content-Length. Then the bytes from its start on are
 * replaced by its body, which may not run past the range. */
static enum xfer_result place_range(struct attempt *a, char *why,
                                    size_t whylen)
{
    struct outfile *o = a->out;
    const struct httpparse_range *g = &a->range;
    uint64_t have = o->fd >= 0 ? o->bytes : 0, cl;
    int known, rc = 0;

    if (!a->has_range || g->unsatisfied) {
        snprintf(why, whylen, "HTTP 206 without a usable Content-Range");
        return start_over(a, why, whylen);
    }
    if (g->total_known && o->expect_total && g->total != o->expect_total) {
        snprintf(why, whylen,
                 "the server's length changed from %" PRIu64 " to %" PRIu64
                 " bytes; starting over",
                 o->expect_total, g->total);
        return start_over(a, why, whylen);
    }
    if (g->first > have) {
        /* A gap we cannot fill: the next attempt starts over. */
        snprintf(why, whylen,
                 "server sent bytes from %" PRIu64 ", not from %" PRIu64,
                 g->first, have);
        return start_over(a, why, whylen);
    }
    cl = content_length(a, &known);
    if (known && cl != g->last - g->first + 1) {
        snprintf(why, whylen,
                 "HTTP 206 of %" PRIu64 " bytes for the range %" PRIu64
                 "-%" PRIu64,
                 cl, g->first, g->last);
        return XFER_TRANSIENT;
    }
    if (o->fd < 0)
        rc = outfile_open(o, -1);
    else if (g->first < o->bytes)
        rc = outfile_truncate(o, g->first);
    if (rc < 0)
        return file_error(o, rc, why, whylen);
    if (g->total_known)
        o->expect_total = g->total;
    a->body_max = g->last - g->first + 1;
    return XFER_OK;
}

/* Any other success: the whole resource, from byte 0 (for ftp, a resume
 * that the server accepted goes on where the .part ends). */
static enum xfer_result place_whole(struct attempt *a, char *why,
                                    size_t whylen)
{
    struct outfile *o = a->out;
    int http = is_http(a->h), known, rc = 0;
    uint64_t cl;

    cl = content_length(a, &known);
    if (o->fd < 0) /* a small known size may skip NAME.part */
        rc = outfile_open(o, known ? (int64_t)cl : -1);
    else if (http || a->offset == 0)
        rc = outfile_truncate(o, 0); /* a 200 to a Range request */
    if (rc < 0)
        return file_error(o, rc, why, whylen);
    if (http)
        o->expect_total = known ? cl : 0;
    return XFER_OK;
}

/* Decides, at the first body byte of a successful response, where the
 * bytes go: appended, or the file cut to match, or started over. */
static enum xfer_result place_body(struct attempt *a, char *why, size_t whylen)
{
    struct outfile *o = a->out;
    enum xfer_result r;

    if (!o->name) {
        r = a->hooks->namer(a->hooks->namer_ctx, o, a->disposition, why,
                            whylen);
        if (r != XFER_OK)
            return r;
    }
    if (a->code == 206 && is_http(a->h))
        r = place_range(a, why, whylen);
    else
        r = place_whole(a, why, whylen);
    a->body_start = o->bytes;
    return r;
}

/* --limit-rate: the bytes are taken from the shared bucket as they come;
 * a debt pauses this transfer (CURL_WRITEFUNC_PAUSE, see
 * CURLOPT_WRITEFUNCTION(3)) until it is paid, and run_throttled()
 * unpauses it. libcurl stays in control meanwhile, so its timeouts run.
 * Returns 1 when the data must wait. */
static int throttled(struct attempt *a, size_t len)
{
    double now = timeutil_now(), wait;

    if (now < a->resume_at) {
        a->paused = 1;
        return 1;
    }
    wait = ratelimit_take(a->cfg->rate, len, now);
    a->resume_at = wait > 0 ? now + wait : 0;
    return 0;
}

/* A 206 body that runs past its range is a broken answer: nothing of it
 * is kept. */
static size_t overlong(struct attempt *a)
{
    char why[160];
    int rc = outfile_truncate(a->out, a->body_start);

    snprintf(why, sizeof why,
             "HTTP 206 body longer than its range %" PRIu64 "-%" PRIu64,
             a->range.first, a->range.last);
    return abort_with(a, rc == 0 ? XFER_TRANSIENT : XFER_FATAL, why);
}

static size_t on_write(char *data, size_t size, size_t n, void *p)
{
    struct attempt *a = p;
    size_t len = size * n;
    int rc;

    /* An error page (or a redirect's body) is never kept. */
    if (a->code >= 300 && is_http(a->h))
        return len;
    if (a->cfg->rate && throttled(a, len))
        return CURL_WRITEFUNC_PAUSE;
    a->last_data = timeutil_now();
    if (!a->body_seen) {
        char why[256];
        enum xfer_result r = place_body(a, why, sizeof why);
        if (r != XFER_OK)
            return abort_with(a, r, why);
        a->body_seen = 1;
    }
    if (a->body_max != NO_LIMIT &&
        len > a->body_max - (a->out->bytes - a->body_start))
        return overlong(a);
    rc = outfile_write(a->out, data, len);
    if (rc < 0) {
        char why[256];
        snprintf(why, sizeof why, "%s.part: %s", a->out->name, strerror(-rc));
        return abort_with(a, XFER_FATAL, why);
    }
    return len;
}

static int on_progress(void *p, curl_off_t dltotal, curl_off_t dlnow,
                       curl_off_t ultotal, curl_off_t ulnow)
{
    struct attempt *a = p;
    struct meter *m = a->hooks->meter;
    double stall = a->cfg->opts->stall_timeout;

    (void)dlnow;
    (void)ultotal;
    (void)ulnow;
    if (m) {
        /* Relaxed: a counter for the eye, not for synchronisation. */
        atomic_store_explicit(&m->now, a->out->bytes, memory_order_relaxed);
        atomic_store_explicit(&m->total,
                              dltotal > 0 ? a->offset + (uint64_t)dltotal : 0,
                              memory_order_relaxed);
    }
    if (atomic_load(a->cfg->stop))
        return 1;
    /* Our own stall check, on a millisecond clock: CURLOPT_LOW_SPEED_TIME
     * (3) judges a speed averaged over several seconds, so a stall of 2 s
     * was only seen after about 8. Time paused by --limit-rate is not a
     * stall. */
    if (stall > 0 && !a->paused && timeutil_now() - a->last_data > stall) {
        char why[96];
        snprintf(why, sizeof why, "no data for %g s (--stall-timeout)", stall);
        abort_with(a, XFER_TRANSIENT, why);
        return 1;
    }
    return 0;
}

/* Seconds to a libcurl millisecond option: never 0 for a positive time
 * (0 would mean "the default" to libcurl, not "at once"). */
static long to_ms(double secs)
{
    double ms = secs * 1000;

    if (ms >= (double)LONG_MAX)
        return LONG_MAX;
    return ms < 1 ? 1 : (long)ms + ((double)(long)ms < ms);
}

/* The receive buffer: fewer, larger reads and writes for big files (4 x
 * 256 MiB at -j 4: 512 KiB took 5 % less time and 12 % less CPU than
 * 64 KiB; 200 x 1 MiB at -j 8, 7 % and 20 %). libcurl allocates it per
 * transfer and fills only what arrives, so small files touch a page or
 * two of it; all the transfers at once hold at most 8 MiB of buffers:
 * 512 KiB up to -j 16, then less, never under 64 KiB. 512 KiB is
 * CURL_MAX_READ_SIZE before libcurl 7.88 (CURLOPT_BUFFERSIZE(3)). Under
 * --limit-rate it stays 64 KiB: the limit pauses a transfer after a
 * read, and a smaller read keeps the rate smooth. */
static long receive_buffer(const struct options *o)
{
    long size = (8L << 20) / (long)(o->max_concurrent ? o->max_concurrent : 1);

    if (o->limit_rate)
        return 64L * 1024;

    if (size > 512L * 1024)
        return 512L * 1024;
    return size < 64L * 1024 ? 64L * 1024 : size;
}

CURL *transfer_handle_new(const struct transfer_config *cfg)
{
    const struct options *o = cfg->opts;
    CURL *h = curl_easy_init();

    if (!h)
        return NULL;
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_SHARE, cfg->share);
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(h, CURLOPT_MAXREDIRS, 20L);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, PROTOCOLS);
    /* One connection per handle: the pool bounds the handles, so this
     * bounds the connections. */
    curl_easy_setopt(h, CURLOPT_MAXCONNECTS, 1L);
    curl_easy_setopt(h, CURLOPT_BUFFERSIZE, receive_buffer(o));
    curl_easy_setopt(h, CURLOPT_USERAGENT, o->user_agent);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, cfg->headers);
    /* NULL (no --proxy): libcurl's *_proxy variables, CURLOPT_PROXY(3) */
    curl_easy_setopt(h, CURLOPT_PROXY, o->proxy);
    /* --netrc, --netrc-file: libcurl's rules (CURLOPT_NETRC(3)): a
     * machine's entry is used for that host only, so credentials do not
     * follow a redirect to another host. */
    curl_easy_setopt(h, CURLOPT_NETRC,
                     o->netrc ? (long)CURL_NETRC_OPTIONAL
                              : (long)CURL_NETRC_IGNORED);
    if (o->netrc_file)
        curl_easy_setopt(h, CURLOPT_NETRC_FILE, o->netrc_file);
    if (o->cacert)
        curl_easy_setopt(h, CURLOPT_CAINFO, o->cacert);
    /* 0 keeps libcurl's default connect timeout (300 s). */
    if (o->connect_timeout > 0)
        curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                         to_ms(o->connect_timeout));
    /* --stall-timeout is checked in on_progress. */
    if (o->timeout > 0)
        curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, to_ms(o->timeout));
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_write);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
    return h;
}

/* Is this libcurl error worth another attempt? */
static int curl_transient(CURLcode c)
{
    switch (c) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_PARTIAL_FILE:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_SSL_CONNECT_ERROR:
        return 1;
    default:
        return 0;
    }
}

static int http_transient(long code)
{
    return code == 408 || code == 429 || code == 500 || code == 502 ||
           code == 503 || code == 504;
}

/* A 2xx that ended cleanly: is the .part now the whole resource? Its
 * range, body length and size must agree with each other and with the
 * length first announced. A short range (some servers cap open-ended
 * ones) is kept: the next attempt goes on from its end. */
static enum xfer_result check_complete(struct attempt *a, char *err,
                                       size_t errlen)
{
    const struct outfile *o = a->out;
    uint64_t got = o->bytes - a->body_start;

    if (a->body_max != NO_LIMIT && got != a->body_max) {
        snprintf(err, errlen,
                 "HTTP 206 ended after %" PRIu64 " of the %" PRIu64
                 " bytes of its range",
                 got, a->body_max);
        return XFER_TRANSIENT;
    }
    if (o->expect_total && o->bytes != o->expect_total) {
        if (a->code == 206)
            snprintf(err, errlen,
                     "server sent bytes %" PRIu64 "-%" PRIu64 " of %" PRIu64
                     "; %" PRIu64 " to go",
                     a->range.first, a->range.last, o->expect_total,
                     o->expect_total - o->bytes);
        else
            snprintf(err, errlen, "got %" PRIu64 " of %" PRIu64 " bytes",
                     o->bytes, o->expect_total);
        return XFER_TRANSIENT;
    }
    return XFER_OK;
}

/* Classifies an attempt whose perform returned CURLE_OK. */
static enum xfer_result finish_ok(struct attempt *a, struct xfer_stats *st,
                                  char *err, size_t errlen)
{
    struct outfile *o = a->out;
    int http = is_http(a->h);

    if (http && st->http_status == 416 && a->offset > 0) {
        /* Nothing after our bytes: complete if the lengths agree. */
        if (a->has_range && a->range.unsatisfied &&
            a->range.total == o->bytes &&
            (!o->expect_total || o->expect_total == o->bytes))
            return XFER_OK;
        snprintf(err, errlen, "HTTP 416; starting over");
        return start_over(a, err, errlen);
    }
    if (http && a->hooks->conditional) {
        long unmet = 0;
        /* A 304, or a 200 whose Last-Modified is not newer, which libcurl
         * then does not take (CURLINFO_CONDITION_UNMET(3)). */
        curl_easy_getinfo(a->h, CURLINFO_CONDITION_UNMET, &unmet);
        if (st->http_status == 304 || unmet)
            return XFER_UNCHANGED;
    }
    if (http && st->http_status >= 300) {
        snprintf(err, errlen, "HTTP %ld", st->http_status);
        return http_transient(st->http_status) ? XFER_TRANSIENT : XFER_FATAL;
    }
    if (!a->body_seen) { /* an empty body: still a file */
        enum xfer_result r = place_body(a, err, errlen);
        if (r != XFER_OK)
            return r;
    }
    return http ? check_complete(a, err, errlen) : XFER_OK;
}

/* -N: the request asks only for a change: If-None-Match with the ETag
 * stored for the file, else If-Modified-Since with its mtime
 * (CURLOPT_TIMECONDITION(3)); and the answer's Last-Modified is read
 * (CURLOPT_FILETIME(3)). Without -N every one of these is off again. */
static void conditional(CURL *h, struct attempt *a)
{
    const struct xfer_hooks *k = a->hooks;
    const char *inm = k->conditional ? k->if_none_match : NULL;

    curl_easy_setopt(h, CURLOPT_FILETIME, (long)k->conditional);
    if (inm) {
        char line[300];
        struct curl_slist *l;
        a->headers = NULL;
        for (const struct curl_slist *p = a->cfg->headers; p; p = p->next)
            if ((l = curl_slist_append(a->headers, p->data)) != NULL)
                a->headers = l;
        snprintf(line, sizeof line, "If-None-Match: %s", inm);
        if ((l = curl_slist_append(a->headers, line)) != NULL)
            a->headers = l;
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, a->headers);
    } else {
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, a->cfg->headers);
    }
    if (!inm && k->conditional && k->if_modified_since >= 0) {
        curl_easy_setopt(h, CURLOPT_TIMECONDITION,
                         (long)CURL_TIMECOND_IFMODSINCE);
        curl_easy_setopt(h, CURLOPT_TIMEVALUE_LARGE,
                         (curl_off_t)k->if_modified_since);
    } else {
        curl_easy_setopt(h, CURLOPT_TIMECONDITION, (long)CURL_TIMECOND_NONE);
    }
}

/* Sets the options that change from one attempt to the next. */
static void per_attempt(CURL *h, struct attempt *a, const char *url,
                        char *cerr)
{
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, a);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, a);
    curl_easy_setopt(h, CURLOPT_XFERINFODATA, a);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, cerr);
    /* Never downgrade: from https only https (and ftps) redirects. */
    curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR,
                     url_is_secure(url) ? SECURE_PROTOCOLS : PROTOCOLS);
    conditional(h, a);
    if (a->offset > 0) {
        char range[32];
        snprintf(range, sizeof range, "%" PRIu64 "-", a->offset);
        curl_easy_setopt(h, CURLOPT_RANGE, range);
    } else {
        curl_easy_setopt(h, CURLOPT_RANGE, NULL);
    }
}

/* --limit-rate: runs the transfer on a multi handle of its own, so that
 * a transfer the limiter paused is unpaused on time. curl_easy_perform()
 * would look at a paused transfer about once a second; here the wait
 * for the next poll is the time left of the pause. libcurl's own timers
 * (CURLOPT_TIMEOUT_MS(3), the connect timeout) keep running, as
 * curl_multi_perform() checks them. The cost: the connection lives in
 * this multi's cache and closes with it, so it is not reused by the next
 * transfer; at a bandwidth cap that does not matter. */
static CURLcode run_throttled(struct attempt *a)
{
    CURLM *m = curl_multi_init();
    CURLcode c = CURLE_OUT_OF_MEMORY;
    CURLMsg *msg;
    int running = 1, left;

    if (!m)
        return c;
    if (curl_multi_add_handle(m, a->h) != CURLM_OK) {
        curl_multi_cleanup(m);
        return c;
    }
    while (running) {
        int ms = 100;
        if (curl_multi_perform(m, &running) != CURLM_OK || !running)
            break;
        if (a->paused) {
            double now = timeutil_now();
            if (now >= a->resume_at) {
                /* Cleared first: the unpause may call on_write at once. */
                a->paused = 0;
                a->last_data = now;
                curl_easy_pause(a->h, CURLPAUSE_CONT);
                continue;
            }
            if (a->resume_at - now < 0.1)
                ms = 1 + (int)((a->resume_at - now) * 1000);
        }
        curl_multi_poll(m, NULL, 0, ms, NULL);
    }
    while ((msg = curl_multi_info_read(m, &left)))
        if (msg->msg == CURLMSG_DONE)
            c = msg->data.result;
    curl_multi_remove_handle(m, a->h);
    curl_multi_cleanup(m);
    return c;
}

/* A response header line over libcurl's limit (CURL_MAX_HTTP_HEADER):
 * libcurl 7.x says CURLE_OUT_OF_MEMORY, 8.6 and later CURLE_TOO_LARGE.
 * Either one while a response's headers are still coming is that. */
static int too_large(const struct attempt *a, CURLcode c)
{
#if LIBCURL_VERSION_NUM >= 0x080600
    if (c == CURLE_TOO_LARGE)
        return 1;
#endif
    return c == CURLE_OUT_OF_MEMORY && a->code > 0 && !a->headers_done;
}

/* libcurl's failure as a reason, in salvo's words where libcurl's would
 * mislead: a refused redirect, a header line over libcurl's limit, a
 * certificate that does not verify. */
static void curl_reason(struct attempt *a, const char *url, CURLcode c,
                        const char *cerr, char *err, size_t errlen)
{
    const char *raw = cerr[0] ? cerr : curl_easy_strerror(c);

    if (c == CURLE_UNSUPPORTED_PROTOCOL && a->code >= 300 && a->code < 400) {
        char *to = NULL, *shown;
        curl_easy_getinfo(a->h, CURLINFO_EFFECTIVE_URL, &to);
        shown = to ? url_masked(to) : NULL;
        a->redirect_refused = 1;
        snprintf(err, errlen, "refused redirect to %.200s (%s)",
                 shown ? shown : "?",
                 url_is_secure(url) && to && strncasecmp(to, "http:", 5) == 0
                     ? "no https to http"
                     : "only http, https, ftp, ftps");
        free(shown);
    } else if (too_large(a, c)) {
        snprintf(err, errlen, "response header too large");
    } else if (c == CURLE_PEER_FAILED_VERIFICATION) {
        snprintf(err, errlen, "%s (use --cacert FILE for a private CA)", raw);
    } else {
        snprintf(err, errlen, "%s", raw);
    }
}

enum xfer_result transfer_run(CURL *h, const struct transfer_config *cfg,
                              const char *url, struct outfile *out,
                              const struct xfer_hooks *hooks,
                              struct xfer_stats *st, char *err, size_t errlen)
{
    struct attempt a = {.h = h,
                        .cfg = cfg,
                        .out = out,
                        .hooks = hooks,
                        .retry_after = -1,
                        .body_max = NO_LIMIT,
                        .abort_result = XFER_OK};
    char cerr[CURL_ERROR_SIZE] = "";
    enum xfer_result r;
    CURLcode c;

    memset(st, 0, sizeof *st);
    /* -N never sends a Range: an earlier attempt's bytes are dropped. */
    a.offset = out->fd >= 0 && !hooks->conditional ? out->bytes : 0;
    per_attempt(h, &a, url, cerr);
    a.last_data = timeutil_now();
    c = cfg->rate ? run_throttled(&a) : curl_easy_perform(h);
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &st->http_status);
    st->retry_after = a.retry_after;
    if (a.abort_result != XFER_OK) {
        snprintf(err, errlen, "%s", a.abort_why);
        r = a.abort_result;
    } else if (c == CURLE_OK) {
        r = finish_ok(&a, st, err, errlen);
    } else if (c == CURLE_ABORTED_BY_CALLBACK && atomic_load(cfg->stop)) {
        snprintf(err, errlen, "interrupted");
        r = XFER_STOPPED;
    } else {
        curl_reason(&a, url, c, cerr, err, errlen);
        r = curl_transient(c) && !too_large(&a, c) ? XFER_TRANSIENT
                                                   : XFER_FATAL;
    }
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, NULL);
    st->redirect_refused = a.redirect_refused;
    snprintf(st->etag, sizeof st->etag, "%s", a.etag);
    {
        curl_off_t ft = -1;
        curl_easy_getinfo(h, CURLINFO_FILETIME_T, &ft);
        st->filetime = hooks->conditional ? (int64_t)ft : -1;
    }
    st->bytes = out->bytes;
    if (a.headers) {
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, cfg->headers);
        curl_slist_free_all(a.headers);
    }
    free(a.disposition);
    return r;
}
