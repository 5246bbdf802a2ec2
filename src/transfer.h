/* One transfer attempt with libcurl: a URL into an outfile. */
#ifndef SALVO_TRANSFER_H
#define SALVO_TRANSFER_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include <curl/curl.h>

#include "options.h"
#include "outfile.h"

/* What every handle shares; owned by main, read-only while workers run. */
struct transfer_config {
    const struct options *opts;
    struct curl_slist *headers; /* -H lines */
    CURLSH *share;              /* DNS and TLS sessions */
    const volatile sig_atomic_t *stop;
};

enum xfer_result {
    XFER_OK,
    XFER_TRANSIENT, /* worth another attempt */
    XFER_FATAL,     /* will not get better by retrying */
    XFER_STOPPED    /* a stop was requested */
};

struct xfer_stats {
    long http_status; /* 0 if none */
    uint64_t bytes;   /* body bytes written */
    int http_error;   /* the server answered >= 400: no body kept */
};

/* A new easy handle with the options that never change between
 * transfers. The caller owns it (curl_easy_cleanup); NULL on failure. */
CURL *transfer_handle_new(const struct transfer_config *cfg);

/* Runs one attempt of url on h, writing the body to out (opened when
 * the first body byte of a successful response arrives). The reason for
 * a failure goes to err. h must not be used by another thread meanwhile. */
enum xfer_result transfer_run(CURL *h, const struct transfer_config *cfg,
                              const char *url, struct outfile *out,
                              struct xfer_stats *st, char *err, size_t errlen);

#endif
