#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "timeutil.h"
#include "transfer.h"
#include "url.h"

#define PROTOCOLS "http,https,ftp,ftps"
#define SECURE_PROTOCOLS "https,ftps"
#define RETRY_AFTER_MAX 300.0

/* State of one attempt, seen by the libcurl callbacks. */
struct attempt {
    CURL *h;
    const struct transfer_config *cfg;
    struct outfile *out;
    const struct xfer_hooks *hooks;
    uint64_t offset; /* the Range start asked for; 0: none */

    /* Of the response being received; reset at each status line. */
    long code;
    int has_range;  /* a Content-Range came */
    int range_star; /* it was "bytes *\/SIZE" */
    uint64_t range_start, range_size;
    double retry_after; /* -1: none */
    char *disposition;  /* owned */
    int body_seen;      /* the first body byte has been handled */

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

/* "bytes A-B/T" or "bytes *\/T". */
static void parse_content_range(struct attempt *a, const char *v)
{
    char *end;

    while (*v == ' ')
        v++;
    if (strncasecmp(v, "bytes", 5) != 0)
        return;
    v += 5;
    while (*v == ' ')
        v++;
    if (v[0] == '*' && v[1] == '/') {
        a->range_size = strtoull(v + 2, &end, 10);
        if (end != v + 2)
            a->has_range = a->range_star = 1;
        return;
    }
    if (*v < '0' || *v > '9')
        return;
    a->range_start = strtoull(v, &end, 10);
    if (*end != '-')
        return;
    a->has_range = 1;
    v = strchr(end, '/');
    a->range_size = v ? strtoull(v + 1, NULL, 10) : 0;
}

/* Delta-seconds or an HTTP-date. */
static void parse_retry_after(struct attempt *a, const char *v)
{
    char *end;
    double secs;

    while (*v == ' ')
        v++;
    secs = strtod(v, &end);
    if (end == v || (*end && *end != '\r' && *end != '\n' && *end != ' ')) {
        time_t when = curl_getdate(v, NULL);
        if (when < 0)
            return;
        secs = difftime(when, time(NULL));
    }
    if (!(secs >= 0))
        secs = 0;
    a->retry_after = secs > RETRY_AFTER_MAX ? RETRY_AFTER_MAX : secs;
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

    /* "HTTP/1.1 200 OK" */
    a->code = sp ? strtol(sp + 1, NULL, 10) : 0;
    a->has_range = a->range_star = 0;
    a->range_start = a->range_size = 0;
    a->retry_after = -1;
    free(a->disposition);
    a->disposition = NULL;
    a->body_seen = 0;
}

static size_t on_header(char *data, size_t size, size_t n, void *p)
{
    struct attempt *a = p;
    size_t len = size * n;
    char *v;

    if (len >= 5 && strncmp(data, "HTTP/", 5) == 0) {
        new_response(a, data);
        return len;
    }
    if (!header_is(data, len, "content-range:") &&
        !header_is(data, len, "retry-after:") &&
        !header_is(data, len, "location:") &&
        !header_is(data, len, "content-disposition:"))
        return len;
    v = header_value(data, len, (size_t)(strchr(data, ':') - data) + 1);
    if (!v)
        return abort_with(a, XFER_FATAL, "out of memory");
    if (header_is(data, len, "content-range:")) {
        parse_content_range(a, v);
    } else if (header_is(data, len, "retry-after:")) {
        parse_retry_after(a, v);
    } else if (header_is(data, len, "location:")) {
        char *scheme = NULL;
        curl_easy_getinfo(a->h, CURLINFO_SCHEME, &scheme);
        /* libcurl's redirect protocols are fixed per transfer; this
         * catches https -> http on a later hop of a chain. */
        if (a->code >= 300 && a->code < 400 && scheme &&
            strcasecmp(scheme, "https") == 0 &&
            strncasecmp(v, "http:", 5) == 0) {
            free(v);
            return abort_with(a, XFER_FATAL,
                              "redirect from https to http refused");
        }
    } else if (a->cfg->opts->content_disposition && !a->disposition) {
        a->disposition = v;
        v = NULL;
    }
    free(v);
    return len;
}

/* Decides, at the first body byte of a successful response, where the
 * bytes go: appended, or the file cut to match, or started over. */
static enum xfer_result place_body(struct attempt *a, char *why, size_t whylen)
{
    struct outfile *o = a->out;
    int rc = 0;

    if (!o->name) {
        enum xfer_result r = a->hooks->namer(a->hooks->namer_ctx, o,
                                             a->disposition, why, whylen);
        if (r != XFER_OK)
            return r;
    }
    if (o->fd < 0) {
        curl_off_t size = -1; /* a small known size may skip NAME.part */
        curl_easy_getinfo(a->h, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &size);
        rc = outfile_open(o, (int64_t)size);
    } else if (a->code == 206 && is_http(a->h)) {
        if (!a->has_range || a->range_star || a->range_start > o->bytes) {
            /* A gap we cannot fill: the next attempt starts over. */
            rc = outfile_truncate(o, 0);
            snprintf(why, whylen,
                     "server resumed at byte %" PRIu64 ", not %" PRIu64,
                     a->range_start, o->bytes);
            return rc == 0 ? XFER_TRANSIENT : XFER_FATAL;
        }
        if (a->range_start < o->bytes)
            rc = outfile_truncate(o, a->range_start);
    } else if (is_http(a->h) || a->offset == 0) {
        /* 200 to a Range request: the whole body comes again. */
        rc = outfile_truncate(o, 0);
    }
    if (rc < 0) {
        outfile_describe(o->name, rc, why, whylen);
        /* Out of descriptors is a moment's shortage, not the file's. */
        return rc == -EMFILE || rc == -ENFILE ? XFER_TRANSIENT : XFER_FATAL;
    }
    return XFER_OK;
}

static size_t on_write(char *data, size_t size, size_t n, void *p)
{
    struct attempt *a = p;
    size_t len = size * n;
    int rc;

    /* An error page (or a redirect's body) is never kept. */
    if (a->code >= 300 && is_http(a->h))
        return len;
    if (!a->body_seen) {
        char why[256];
        enum xfer_result r = place_body(a, why, sizeof why);
        if (r != XFER_OK)
            return abort_with(a, r, why);
        a->body_seen = 1;
    }
    if (a->cfg->rate) {
        /* Blocking here is the throttle: libcurl stops reading, the
         * socket buffer fills, and the server slows down. */
        double wait = ratelimit_take(a->cfg->rate, len, timeutil_now());
        if (wait > 0 && timeutil_nap(wait, a->cfg->stop) != 0)
            return abort_with(a, XFER_STOPPED, "interrupted");
    }
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
    const struct attempt *a = p;
    struct meter *m = a->hooks->meter;

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
    return atomic_load(a->cfg->stop) ? 1 : 0;
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
    /* Fewer, larger writes for big files; small enough that -j 64
     * handles stay a few MiB. */
    curl_easy_setopt(h, CURLOPT_BUFFERSIZE, 64L * 1024);
    curl_easy_setopt(h, CURLOPT_USERAGENT, o->user_agent);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, cfg->headers);
    if (o->cacert)
        curl_easy_setopt(h, CURLOPT_CAINFO, o->cacert);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                     (long)(o->connect_timeout * 1000));
    if (o->stall_timeout > 0) {
        /* Less than a byte a second for that long is a stall. */
        curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
        curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME,
                         (long)(o->stall_timeout + 0.999));
    }
    if (o->timeout > 0)
        curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)(o->timeout * 1000));
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

/* Classifies an attempt whose perform returned CURLE_OK. */
static enum xfer_result finish_ok(struct attempt *a, struct xfer_stats *st,
                                  char *err, size_t errlen)
{
    if (is_http(a->h) && st->http_status == 416 && a->offset > 0) {
        /* Nothing after our bytes: complete if the sizes agree. */
        if (a->range_star && a->range_size == a->out->bytes)
            return XFER_OK;
        snprintf(err, errlen, "HTTP 416; starting over");
        return outfile_truncate(a->out, 0) == 0 ? XFER_TRANSIENT : XFER_FATAL;
    }
    if (is_http(a->h) && st->http_status >= 300) {
        snprintf(err, errlen, "HTTP %ld", st->http_status);
        return http_transient(st->http_status) ? XFER_TRANSIENT : XFER_FATAL;
    }
    if (!a->body_seen) { /* an empty body: still a file */
        enum xfer_result r = place_body(a, err, errlen);
        if (r != XFER_OK)
            return r;
    }
    return XFER_OK;
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
    if (a->offset > 0) {
        char range[32];
        snprintf(range, sizeof range, "%" PRIu64 "-", a->offset);
        curl_easy_setopt(h, CURLOPT_RANGE, range);
    } else {
        curl_easy_setopt(h, CURLOPT_RANGE, NULL);
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
                        .abort_result = XFER_OK};
    char cerr[CURL_ERROR_SIZE] = "";
    enum xfer_result r;
    CURLcode c;

    memset(st, 0, sizeof *st);
    a.offset = out->fd >= 0 ? out->bytes : 0;
    per_attempt(h, &a, url, cerr);
    c = curl_easy_perform(h);
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &st->http_status);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, NULL);
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
        snprintf(err, errlen, "%s", cerr[0] ? cerr : curl_easy_strerror(c));
        r = curl_transient(c) ? XFER_TRANSIENT : XFER_FATAL;
    }
    st->bytes = out->bytes;
    free(a.disposition);
    return r;
}
