#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "hosts.h"
#include "item.h"

int hosts_setup(struct hosts *h, unsigned limit)
{
    memset(h, 0, sizeof *h);
    h->cap = 64;
    h->limit = limit;
    h->table = calloc(h->cap, sizeof *h->table);
    return h->table ? 0 : -1;
}

static void entry_free(struct host *e)
{
    pthread_cond_destroy(&e->changed);
    free(e);
}

void hosts_teardown(struct hosts *h)
{
    for (size_t i = 0; i < h->cap; i++) {
        struct host *e = h->table[i], *next;
        for (; e; e = next) {
            next = e->chain;
            entry_free(e);
        }
    }
    free(h->table);
    h->table = NULL;
}

static uint64_t key_hash(const char *s, size_t len)
{
    return hash_mix(hash_fnv(HASH_FNV_INIT, s, len));
}

/* Doubles the buckets once entries outnumber them. On failure the table
 * just stays as it is: chains get longer, nothing is lost. */
static void grow(struct hosts *h)
{
    size_t cap = h->cap * 2;
    struct host **t = calloc(cap, sizeof *t);

    if (!t)
        return;
    for (size_t i = 0; i < h->cap; i++) {
        struct host *e = h->table[i], *next;
        for (; e; e = next) {
            size_t j = key_hash(e->key, strlen(e->key)) & (cap - 1);
            next = e->chain;
            e->chain = t[j];
            t[j] = e;
        }
    }
    free(h->table);
    h->table = t;
    h->cap = cap;
}

static void unlink_entry(struct hosts *h, struct host *e)
{
    struct host **p =
        &h->table[key_hash(e->key, strlen(e->key)) & (h->cap - 1)];

    while (*p && *p != e)
        p = &(*p)->chain;
    if (*p)
        *p = e->chain;
    h->used--;
}

/* Frees the lingering entries whose pause is over; recomputes the
 * earliest end among the rest. Pauses are rare, the list short. */
static void prune(struct hosts *h, double now)
{
    struct host **p = &h->lingering;

    h->linger_min = 0;
    while (*p) {
        struct host *e = *p;
        if (e->pause_until <= now) {
            *p = e->linger;
            unlink_entry(h, e);
            entry_free(e);
            continue;
        }
        if (h->linger_min == 0 || e->pause_until < h->linger_min)
            h->linger_min = e->pause_until;
        p = &e->linger;
    }
}

/* Takes e off the lingering list: it is in use again. */
static void unlinger(struct hosts *h, struct host *e)
{
    struct host **p = &h->lingering;

    while (*p && *p != e)
        p = &(*p)->linger;
    if (*p)
        *p = e->linger;
    e->lingering = 0;
}

static char lower(char c)
{
    return (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
}

/* The entry for a lower-cased key, or NULL. */
static struct host *find(const struct hosts *h, const char *key, size_t len)
{
    struct host *e = h->table[key_hash(key, len) & (h->cap - 1)];

    for (; e; e = e->chain)
        if (strncmp(e->key, key, len) == 0 && e->key[len] == '\0')
            return e;
    return NULL;
}

struct host *hosts_ref(struct hosts *h, const char *key, size_t len,
                       double now)
{
    struct host *e;
    char small[256], *k = len < sizeof small ? small : malloc(len + 1);
    size_t i;

    if (!k)
        return NULL;
    for (i = 0; i < len; i++)
        k[i] = lower(key[i]);
    k[len] = '\0';
    if (h->lingering && now >= h->linger_min)
        prune(h, now);
    e = find(h, k, len);
    if (!e) {
        e = calloc(1, sizeof *e + len + 1);
        if (e) {
            memcpy(e->key, k, len + 1);
            pthread_cond_init(&e->changed, NULL);
            i = key_hash(k, len) & (h->cap - 1);
            e->chain = h->table[i];
            h->table[i] = e;
            if (++h->used > h->cap)
                grow(h);
        }
    }
    if (k != small)
        free(k);
    if (!e)
        return NULL;
    if (e->lingering)
        unlinger(h, e);
    e->refs++;
    return e;
}

void hosts_unref(struct hosts *h, struct host *e, double now)
{
    if (--e->refs > 0)
        return;
    if (e->pause_until > now) {
        e->lingering = 1;
        e->linger = h->lingering;
        h->lingering = e;
        if (h->linger_min == 0 || e->pause_until < h->linger_min)
            h->linger_min = e->pause_until;
        return;
    }
    unlink_entry(h, e);
    entry_free(e);
}

int hosts_free(const struct hosts *h, const struct host *e, double now)
{
    if (e->pause_until > now)
        return 0;
    return h->limit == 0 || e->inflight + e->waiting < h->limit;
}

int hosts_pause(struct hosts *h, struct host *e, double now, double secs)
{
    int fresh = e->pause_until <= now;

    h->paused_ever = 1;
    if (now + secs > e->pause_until)
        e->pause_until = now + secs;
    return fresh;
}

void hosts_block(struct host *e, struct item *it)
{
    it->next = NULL;
    if (e->btail)
        e->btail->next = it;
    else
        e->bhead = it;
    e->btail = it;
    e->nblocked++;
}

struct item *hosts_unblock(struct host *e)
{
    struct item *it = e->bhead;

    if (!it)
        return NULL;
    e->bhead = it->next;
    if (!e->bhead)
        e->btail = NULL;
    it->next = NULL;
    e->nblocked--;
    return it;
}
