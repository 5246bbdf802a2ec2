/* One transfer attempt with libcurl: a URL into an outfile. */
#ifndef SALVO_TRANSFER_H
#define SALVO_TRANSFER_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include <curl/curl.h>

#include "options.h"
#include "outfile.h"
#include "progress.h"
#include "ratelimit.h"

/* What every handle shares; owned by main, read-only while workers run. */
struct transfer_config {
    const struct options *opts;
    struct curl_slist *headers; /* -H lines */
    CURLSH *share;              /* DNS and TLS sessions */
    atomic_int *stop;           /* nonzero: a stop was requested */
    struct ratelimit *rate;     /* --limit-rate, or NULL */
};

enum xfer_result {
    XFER_OK,
    XFER_TRANSIENT, /* worth another attempt */
    XFER_FATAL,     /* will not get better by retrying */
    XFER_STOPPED,   /* a stop was requested */
    XFER_SKIPPED,   /* the name the server gave exists already */
    XFER_UNCHANGED  /* -N: the server says the file has not changed */
};

/* Called once per item, before the first body byte is kept, when out has
 * no name yet (--content-disposition): sets it with outfile_set_name.
 * disposition is the header's value or NULL. Returns XFER_OK to go on,
 * XFER_SKIPPED, or XFER_FATAL with the reason in err. */
typedef enum xfer_result (*transfer_namer)(void *ctx, struct outfile *out,
                                           const char *disposition, char *err,
                                           size_t errlen);

struct xfer_stats {
    long http_status;     /* 0 if none */
    uint64_t bytes;       /* in the .part after this attempt */
    double retry_after;   /* seconds the server asked us to wait, or -1 */
    int redirect_refused; /* a redirect was refused (scheme, downgrade):
                             none was followed, whatever libcurl counts */
    char etag[256];       /* the response's ETag as sent, or "" */
    int64_t filetime;     /* its Last-Modified (Unix time), or -1 */
};

/* A new easy handle with the options that never change between
 * transfers. The caller owns it (curl_easy_cleanup); NULL on failure. */
CURL *transfer_handle_new(const struct transfer_config *cfg);

/* Runs one attempt of url on h, writing the body to out. If out already
 * holds bytes (an earlier attempt, or -c) it asks for the rest with a
 * Range request and appends only a 206 that starts where out ends; a 200
 * starts the file over. The .part is opened when the first body byte of
 * a successful response arrives; error pages are never written. The
 * reason for a failure goes to err. h must not be used by another thread
 * meanwhile. */
struct xfer_hooks {
    transfer_namer namer; /* see above */
    void *namer_ctx;
    struct meter *meter; /* the live view's, or NULL */
    /* -N: ask only for a change (no Range then, ever): send
     * If-None-Match with if_none_match when set, else If-Modified-Since
     * with if_modified_since when >= 0. */
    int conditional;
    const char *if_none_match;
    int64_t if_modified_since;
};

enum xfer_result transfer_run(CURL *h, const struct transfer_config *cfg,
                              const char *url, struct outfile *out,
                              const struct xfer_hooks *hooks,
                              struct xfer_stats *st, char *err, size_t errlen);

#endif
