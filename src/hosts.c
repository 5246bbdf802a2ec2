#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hosts.h"
#include "url.h"

struct host_entry {
    struct sem sem;
    char name[]; /* lower-cased host[:port] */
};

int hosts_setup(struct hosts *h, unsigned limit)
{
    h->cap = 64;
    h->used = 0;
    h->limit = limit;
    h->table = calloc(h->cap, sizeof *h->table);
    if (!h->table)
        return -1;
    pthread_mutex_init(&h->lock, NULL);
    return 0;
}

void hosts_teardown(struct hosts *h)
{
    for (size_t i = 0; i < h->cap; i++) {
        if (h->table[i]) {
            sem_teardown(&h->table[i]->sem);
            free(h->table[i]);
        }
    }
    free(h->table);
    pthread_mutex_destroy(&h->lock);
}

static uint64_t hash_host(const char *s, size_t len)
{
    uint64_t x = 14695981039346656037ULL;

    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c - 'A' + 'a');
        x = (x ^ c) * 1099511628211ULL;
    }
    return x;
}

static int grow(struct hosts *h)
{
    size_t cap = h->cap * 2;
    struct host_entry **t = calloc(cap, sizeof *t);

    if (!t)
        return -1;
    for (size_t i = 0; i < h->cap; i++) {
        struct host_entry *e = h->table[i];
        size_t j;
        if (!e)
            continue;
        j = hash_host(e->name, strlen(e->name)) & (cap - 1);
        while (t[j])
            j = (j + 1) & (cap - 1);
        t[j] = e;
    }
    free(h->table);
    h->table = t;
    h->cap = cap;
    return 0;
}

/* Finds or makes the entry for a host; the caller holds the lock. */
static struct host_entry *lookup(struct hosts *h, const char *host, size_t len)
{
    size_t i = hash_host(host, len) & (h->cap - 1);
    struct host_entry *e;

    for (; h->table[i]; i = (i + 1) & (h->cap - 1)) {
        e = h->table[i];
        if (strlen(e->name) == len && strncasecmp(e->name, host, len) == 0)
            return e;
    }
    if ((h->used + 1) * 2 > h->cap) {
        if (grow(h) != 0)
            return NULL;
        return lookup(h, host, len);
    }
    e = malloc(sizeof *e + len + 1);
    if (!e)
        return NULL;
    if (sem_setup(&e->sem, h->limit) != 0) {
        free(e);
        return NULL;
    }
    memcpy(e->name, host, len);
    e->name[len] = '\0';
    h->table[i] = e;
    h->used++;
    return e;
}

struct sem *hosts_sem(struct hosts *h, const char *url)
{
    const char *host = url;
    size_t len = 0;
    struct host_entry *e;

    if (url_authority(url, &host, &len) != 0)
        len = 0;
    pthread_mutex_lock(&h->lock);
    e = lookup(h, host, len);
    pthread_mutex_unlock(&h->lock);
    return e ? &e->sem : NULL;
}
