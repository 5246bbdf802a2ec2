/* A pool of idle libcurl easy handles, and the share handle behind them.
 *
 * A finished handle keeps its live connection, so giving it to the next
 * transfer to the same host reuses that connection. libcurl cannot share
 * one connection cache between threads, so connections travel with the
 * handles; DNS results and TLS sessions go through the share handle. */
#ifndef SALVO_POOL_H
#define SALVO_POOL_H

#include <pthread.h>
#include <stddef.h>

#include <curl/curl.h>

#include "transfer.h"

struct pool_entry {
    CURL *h;
    char *host; /* owned: host[:port] it last talked to */
};

struct pool {
    pthread_mutex_t lock; /* guards idle, nidle */
    struct pool_entry *idle;
    size_t nidle, cap;
    CURLSH *share;
    pthread_mutex_t share_locks[CURL_LOCK_DATA_LAST];
    struct transfer_config *cfg; /* borrowed; its share is set here */
};

/* cap: most idle handles kept (the number of transfers at once). Sets
 * cfg->share. Returns 0 or -1. */
int pool_setup(struct pool *p, struct transfer_config *cfg, size_t cap);
void pool_teardown(struct pool *p);

/* An easy handle for url: one that last talked to the same host if any
 * is idle, else any idle one, else a new one. The caller owns it until
 * pool_give. NULL when out of memory. Thread-safe. */
CURL *pool_take(struct pool *p, const char *url);

/* Returns h (which last fetched url) to the pool. Thread-safe. */
void pool_give(struct pool *p, CURL *h, const char *url);

#endif
