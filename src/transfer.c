#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "transfer.h"
#include "url.h"

#define PROTOCOLS "http,https,ftp,ftps"
#define SECURE_PROTOCOLS "https,ftps"

/* State of one attempt, seen by the libcurl callbacks. */
struct attempt {
    CURL *h;
    const struct transfer_config *cfg;
    struct outfile *out;
    int write_err; /* -errno from the output file, or 0 */
};

static int is_http(CURL *h)
{
    char *scheme = NULL;

    curl_easy_getinfo(h, CURLINFO_SCHEME, &scheme);
    return scheme && (strcasecmp(scheme, "http") == 0 ||
                      strcasecmp(scheme, "https") == 0);
}

static size_t on_write(char *data, size_t size, size_t n, void *p)
{
    struct attempt *a = p;
    size_t len = size * n;
    long code = 0;
    int rc;

    /* Looked at on every call: cheap, and right even if a redirect's
     * body were ever passed here. An error page is never kept. */
    curl_easy_getinfo(a->h, CURLINFO_RESPONSE_CODE, &code);
    if (code >= 300 && is_http(a->h))
        return len;
    if (a->out->fd < 0) {
        rc = outfile_open(a->out);
        if (rc < 0) {
            a->write_err = rc;
            return 0;
        }
    }
    rc = outfile_write(a->out, data, len);
    if (rc < 0) {
        a->write_err = rc;
        return 0;
    }
    return len;
}

static int on_progress(void *p, curl_off_t dltotal, curl_off_t dlnow,
                       curl_off_t ultotal, curl_off_t ulnow)
{
    const struct attempt *a = p;

    (void)dltotal;
    (void)dlnow;
    (void)ultotal;
    (void)ulnow;
    return *a->cfg->stop ? 1 : 0;
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
    curl_easy_setopt(h, CURLOPT_USERAGENT, o->user_agent);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, cfg->headers);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 30L);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_write);
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

/* Classifies a finished attempt whose perform returned CURLE_OK. */
static enum xfer_result finish_ok(struct attempt *a, struct xfer_stats *st,
                                  char *err, size_t errlen)
{
    if (is_http(a->h) && st->http_status >= 300) {
        st->http_error = 1;
        snprintf(err, errlen, "HTTP %ld", st->http_status);
        return http_transient(st->http_status) ? XFER_TRANSIENT : XFER_FATAL;
    }
    if (a->out->fd < 0) { /* an empty body: still a file */
        int rc = outfile_open(a->out);
        if (rc < 0) {
            snprintf(err, errlen, "%s.part: %s", a->out->name, strerror(-rc));
            return XFER_FATAL;
        }
    }
    return XFER_OK;
}

enum xfer_result transfer_run(CURL *h, const struct transfer_config *cfg,
                              const char *url, struct outfile *out,
                              struct xfer_stats *st, char *err, size_t errlen)
{
    struct attempt a = {.h = h, .cfg = cfg, .out = out};
    char cerr[CURL_ERROR_SIZE] = "";
    CURLcode c;

    memset(st, 0, sizeof *st);
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &a);
    curl_easy_setopt(h, CURLOPT_XFERINFODATA, &a);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, cerr);
    /* Never downgrade: from https only https (and ftps) redirects. */
    curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR,
                     url_is_secure(url) ? SECURE_PROTOCOLS : PROTOCOLS);
    c = curl_easy_perform(h);
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &st->http_status);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, NULL);
    st->bytes = out->bytes;
    if (c == CURLE_OK)
        return finish_ok(&a, st, err, errlen);
    if (a.write_err) {
        snprintf(err, errlen, "%s.part: %s", out->name,
                 strerror(-a.write_err));
        return XFER_FATAL;
    }
    if (c == CURLE_ABORTED_BY_CALLBACK && *cfg->stop) {
        snprintf(err, errlen, "interrupted");
        return XFER_STOPPED;
    }
    snprintf(err, errlen, "%s", cerr[0] ? cerr : curl_easy_strerror(c));
    return curl_transient(c) ? XFER_TRANSIENT : XFER_FATAL;
}
