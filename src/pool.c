#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "pool.h"
#include "url.h"

/* One share handle and its locks. */
struct pool_share {
    CURLSH *sh;
    pthread_mutex_t locks[CURL_LOCK_DATA_LAST];
    struct pool_share *next; /* in pool.old */
};

static void share_lock(CURL *h, curl_lock_data data, curl_lock_access acc,
                       void *userp)
{
    struct pool_share *s = userp;

    (void)h;
    (void)acc;
    pthread_mutex_lock(&s->locks[data]);
}

static void share_unlock(CURL *h, curl_lock_data data, void *userp)
{
    struct pool_share *s = userp;

    (void)h;
    pthread_mutex_unlock(&s->locks[data]);
}

/* Whether TLS sessions may go through the share. libcurl before
 * 8.10.1 hands one OpenSSL SSL_SESSION object to every handle that
 * resumes it, and OpenSSL changes that object during a handshake
 * outside the share's lock (its ssl_session_dup reads what another
 * thread frees): a data race that ThreadSanitizer caught here with
 * libcurl 7.88.1 and OpenSSL 3.0. curl 8.10.1 stores sessions
 * serialised instead (curl PR 14751). Before that, with OpenSSL, each
 * handle keeps its own sessions (CURLOPT_SSL_SESSIONID_CACHE(3)), which
 * the pool's recycled handles still reuse. */
static int tls_sessions_shareable(void)
{
    const curl_version_info_data *v = curl_version_info(CURLVERSION_NOW);

    if (v->version_num >= 0x080a01)
        return 1;
    /* The OpenSSL family, also in a build with several backends. */
    return !v->ssl_version || (!strstr(v->ssl_version, "OpenSSL") &&
                               !strstr(v->ssl_version, "BoringSSL") &&
                               !strstr(v->ssl_version, "LibreSSL") &&
                               !strstr(v->ssl_version, "quictls"));
}

/* A new share for DNS results and, where that is safe, TLS sessions,
 * or NULL. */
static struct pool_share *share_new(void)
{
    struct pool_share *s = calloc(1, sizeof *s);

    if (!s)
        return NULL;
    s->sh = curl_share_init();
    if (!s->sh) {
        free(s);
        return NULL;
    }
    for (size_t i = 0; i < CURL_LOCK_DATA_LAST; i++)
        pthread_mutex_init(&s->locks[i], NULL);
    curl_share_setopt(s->sh, CURLSHOPT_LOCKFUNC, share_lock);
    curl_share_setopt(s->sh, CURLSHOPT_UNLOCKFUNC, share_unlock);
    curl_share_setopt(s->sh, CURLSHOPT_USERDATA, s);
    curl_share_setopt(s->sh, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
    if (tls_sessions_shareable())
        curl_share_setopt(s->sh, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
    return s;
}

/* Frees s unless a handle still uses it (curl_share_cleanup(3) then
 * says CURLSHE_IN_USE and leaves it). Returns 0 if freed, else -1. */
static int share_free(struct pool_share *s)
{
    if (curl_share_cleanup(s->sh) != CURLSHE_OK)
        return -1;
    for (size_t i = 0; i < CURL_LOCK_DATA_LAST; i++)
        pthread_mutex_destroy(&s->locks[i]);
    free(s);
    return 0;
}

/* Frees the old shares that no handle uses any more. Called with the
 * pool locked: only the pool attaches handles to a share, so none can
 * attach to one while it goes. */
static void reap(struct pool *p)
{
    struct pool_share **s = &p->old;

    while (*s) {
        struct pool_share *next = (*s)->next;
        if (share_free(*s) == 0)
            *s = next;
        else
            s = &(*s)->next;
    }
}

/* Starts a new share for every handle from now on; the idle ones move
 * at once, busy ones when they come back. Called with the pool locked.
 * Out of memory: keep the current one. */
/* Puts h on share sh unless it is there already: setting CURLOPT_SHARE
 * detaches and attaches under the share's locks every time
 * (CURLOPT_SHARE(3)), so the share a handle is on is remembered in its
 * CURLOPT_PRIVATE(3), which nothing else uses. */
static void attach(CURL *h, CURLSH *sh)
{
    void *on = NULL;

    curl_easy_getinfo(h, CURLINFO_PRIVATE, &on);
    if (on == (void *)sh)
        return;
    curl_easy_setopt(h, CURLOPT_SHARE, sh);
    curl_easy_setopt(h, CURLOPT_PRIVATE, (void *)sh);
}

static void new_generation(struct pool *p)
{
    struct pool_share *s = share_new();

    p->switches = 0;
    if (!s)
        return;
    p->cur->next = p->old;
    p->old = p->cur;
    p->cur = s;
    for (size_t i = 0; i < p->nidle; i++)
        attach(p->idle[i].h, s->sh);
    reap(p);
}

int pool_setup(struct pool *p, struct transfer_config *cfg, size_t cap)
{
    memset(p, 0, sizeof *p);
    p->cfg = cfg;
    cfg->share = NULL;
    p->cap = cap;
    p->idle = calloc(cap, sizeof *p->idle);
    p->cur = share_new();
    if (!p->idle || !p->cur) {
        free(p->idle);
        if (p->cur)
            share_free(p->cur);
        return -1;
    }
    pthread_mutex_init(&p->lock, NULL);
    return 0;
}

void pool_teardown(struct pool *p)
{
    for (size_t i = 0; i < p->nidle; i++) {
        curl_easy_cleanup(p->idle[i].h);
        free(p->idle[i].host);
    }
    /* The handles are gone, so the shares are no longer in use. */
    if (p->cur)
        share_free(p->cur);
    reap(p);
    free(p->idle);
    pthread_mutex_destroy(&p->lock);
    memset(p, 0, sizeof *p);
}

void pool_drop_idle(struct pool *p)
{
    struct pool_entry e = {NULL, NULL};

    pthread_mutex_lock(&p->lock);
    if (p->nidle > 0) {
        e = p->idle[--p->nidle];
        /* Detached here, so that it never holds a share being freed. */
        attach(e.h, NULL);
    }
    pthread_mutex_unlock(&p->lock);
    if (e.h)
        curl_easy_cleanup(e.h);
    free(e.host);
}

static int same_host(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

CURL *pool_take(struct pool *p, const char *key)
{
    struct pool_entry e = {NULL, NULL};
    CURL *h;

    pthread_mutex_lock(&p->lock);
    if (p->nidle > 0) {
        /* Newest first: it is the likeliest to hold a live connection. */
        size_t pick = p->nidle - 1;
        for (size_t i = p->nidle; i-- > 0;) {
            if (same_host(p->idle[i].host, key)) {
                pick = i;
                break;
            }
        }
        e = p->idle[pick];
        p->idle[pick] = p->idle[--p->nidle];
    }
    /* A new host for this handle: likely one more DNS cache entry. */
    if (!same_host(e.host, key) && ++p->switches >= POOL_SHARE_HOSTS)
        new_generation(p);
    pthread_mutex_unlock(&p->lock);
    free(e.host);
    if (e.h)
        return e.h;
    h = transfer_handle_new(p->cfg);
    if (h) {
        pthread_mutex_lock(&p->lock);
        attach(h, p->cur->sh);
        pthread_mutex_unlock(&p->lock);
    }
    return h;
}

void pool_give(struct pool *p, CURL *h, const char *key)
{
    char *host = key ? strdup(key) : NULL;
    CURL *drop = NULL;

    pthread_mutex_lock(&p->lock);
    /* Off an old share, if a new one began while h was out. */
    attach(h, p->cur->sh);
    if (p->nidle < p->cap) {
        p->idle[p->nidle].h = h;
        p->idle[p->nidle].host = host;
        p->nidle++;
        host = NULL;
    } else {
        /* Detached here, so that it never holds a share being freed. */
        attach(h, NULL);
        drop = h;
    }
    if (p->old)
        reap(p);
    pthread_mutex_unlock(&p->lock);
    free(host);
    if (drop)
        curl_easy_cleanup(drop);
}
