#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "pool.h"
#include "url.h"

static void share_lock(CURL *h, curl_lock_data data, curl_lock_access acc,
                       void *userp)
{
    struct pool *p = userp;

    (void)h;
    (void)acc;
    pthread_mutex_lock(&p->share_locks[data]);
}

static void share_unlock(CURL *h, curl_lock_data data, void *userp)
{
    struct pool *p = userp;

    (void)h;
    pthread_mutex_unlock(&p->share_locks[data]);
}

int pool_setup(struct pool *p, struct transfer_config *cfg, size_t cap)
{
    size_t i;

    memset(p, 0, sizeof *p);
    p->cfg = cfg;
    p->cap = cap;
    p->idle = calloc(cap, sizeof *p->idle);
    if (!p->idle)
        return -1;
    for (i = 0; i < CURL_LOCK_DATA_LAST; i++)
        pthread_mutex_init(&p->share_locks[i], NULL);
    pthread_mutex_init(&p->lock, NULL);
    p->share = curl_share_init();
    if (!p->share) {
        pool_teardown(p);
        return -1;
    }
    curl_share_setopt(p->share, CURLSHOPT_LOCKFUNC, share_lock);
    curl_share_setopt(p->share, CURLSHOPT_UNLOCKFUNC, share_unlock);
    curl_share_setopt(p->share, CURLSHOPT_USERDATA, p);
    curl_share_setopt(p->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
    curl_share_setopt(p->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
    cfg->share = p->share;
    return 0;
}

void pool_teardown(struct pool *p)
{
    for (size_t i = 0; i < p->nidle; i++) {
        curl_easy_cleanup(p->idle[i].h);
        free(p->idle[i].host);
    }
    /* Handles are gone, so the share is no longer in use. */
    if (p->share)
        curl_share_cleanup(p->share);
    free(p->idle);
    for (size_t i = 0; i < CURL_LOCK_DATA_LAST; i++)
        pthread_mutex_destroy(&p->share_locks[i]);
    pthread_mutex_destroy(&p->lock);
    memset(p, 0, sizeof *p);
}

static int same_host(const char *host, const char *url)
{
    const char *a;
    size_t alen;

    return host && url_authority(url, &a, &alen) == 0 &&
           strlen(host) == alen && strncmp(host, a, alen) == 0;
}

CURL *pool_take(struct pool *p, const char *url)
{
    struct pool_entry e = {NULL, NULL};

    pthread_mutex_lock(&p->lock);
    if (p->nidle > 0) {
        /* Newest first: it is the likeliest to hold a live connection. */
        size_t pick = p->nidle - 1;
        for (size_t i = p->nidle; i-- > 0;) {
            if (same_host(p->idle[i].host, url)) {
                pick = i;
                break;
            }
        }
        e = p->idle[pick];
        p->idle[pick] = p->idle[--p->nidle];
    }
    pthread_mutex_unlock(&p->lock);
    free(e.host);
    return e.h ? e.h : transfer_handle_new(p->cfg);
}

void pool_give(struct pool *p, CURL *h, const char *url)
{
    const char *a;
    size_t alen = 0;
    char *host = NULL;
    CURL *drop = NULL;

    if (url_authority(url, &a, &alen) == 0) {
        host = malloc(alen + 1);
        if (host) {
            memcpy(host, a, alen);
            host[alen] = '\0';
        }
    }
    pthread_mutex_lock(&p->lock);
    if (p->nidle < p->cap) {
        p->idle[p->nidle].h = h;
        p->idle[p->nidle].host = host;
        p->nidle++;
        host = NULL;
    } else {
        drop = h;
    }
    pthread_mutex_unlock(&p->lock);
    free(host);
    if (drop)
        curl_easy_cleanup(drop);
}
