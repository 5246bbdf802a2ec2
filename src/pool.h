/* A pool of idle libcurl easy handles, and the share handle behind them.
 *
 * A finished handle keeps its live connection, so giving it to the next
 * transfer to the same host reuses that connection. libcurl cannot share
 * one connection cache between threads, so connections travel with the
 * handles; DNS results and TLS sessions go through a share handle.
 *
 * libcurl walks the whole DNS cache of a handle at the end of every
 * transfer (to drop entries older than CURLOPT_DNS_CACHE_TIMEOUT(3), 60 s
 * by default), and the share keeps its entries in a small fixed hash. A
 * list with a new host on every line made each transfer cost as much as
 * the hosts before it. So the pool starts a fresh share (a "generation")
 * after POOL_SHARE_HOSTS transfers that changed host, and moves every
 * handle onto it when it next passes through the pool; an old share is
 * freed once no handle uses it. A share thus holds at most a few
 * thousand DNS entries, whatever the number of hosts. */
#ifndef SALVO_POOL_H
#define SALVO_POOL_H

#include <pthread.h>
#include <stddef.h>

#include <curl/curl.h>

#include "transfer.h"

/* Transfers that change host before the pool starts a new share (a
 * build may set it lower to test the change of shares). */
#ifndef POOL_SHARE_HOSTS
#define POOL_SHARE_HOSTS 512
#endif

struct pool_share;

struct pool_entry {
    CURL *h;
    char *host; /* owned: url_host_key() of what it last talked to */
};

struct pool {
    pthread_mutex_t lock; /* guards all below */
    struct pool_entry *idle;
    size_t nidle, cap;
    struct pool_share *cur;      /* the share new transfers use */
    struct pool_share *old;      /* older shares, freed when unused */
    size_t switches;             /* host changes since cur was made */
    struct transfer_config *cfg; /* borrowed */
};

/* cap: most idle handles kept (the number of transfers at once). Sets
 * cfg->share to NULL: the pool attaches its own share to each handle it
 * hands out. Returns 0 or -1. */
int pool_setup(struct pool *p, struct transfer_config *cfg, size_t cap);
void pool_teardown(struct pool *p);

/* An easy handle for host (a url_host_key, which the caller has parsed
 * already): one that last talked to it if any is idle, else any idle
 * one, else a new one. The caller owns it until pool_give. NULL when
 * out of memory. Thread-safe. */
CURL *pool_take(struct pool *p, const char *host);

/* Returns h (which last talked to host, or NULL if unknown) to the
 * pool. Thread-safe. */
void pool_give(struct pool *p, CURL *h, const char *host);

/* Frees one idle handle, if there is one (a worker that ends for good
 * frees one, so that the teardown has few left). */
void pool_drop_idle(struct pool *p);

#endif
