/* Hosts: what salvo knows of each host while items for it are about.
 *
 * One entry per host key ("host:port", lower-cased, the same key for
 * the handle pool, --max-per-host and a host's pause). It counts the
 * items holding one of its slots, the workers waiting for one, and the
 * items queued behind it while it is busy or paused. An entry lives
 * while items refer to it, or while a pause it was asked for lasts, so
 * the table stays as small as the items in memory.
 *
 * Not thread-safe by itself: the worker pool calls every function here
 * with its one lock held. */
#ifndef SALVO_HOSTS_H
#define SALVO_HOSTS_H

#include <pthread.h>
#include <stddef.h>

struct item;

struct host {
    struct host *chain; /* next in the hash bucket */
    unsigned refs;      /* items that point here */
    unsigned inflight;  /* items holding one of its slots */
    unsigned waiting;   /* workers waiting for a slot (retries) */
    double pause_until; /* timeutil_now() time; 0: no pause */
    struct item *bhead; /* blocked items, oldest first, linked */
    struct item *btail; /* through item->next */
    unsigned nblocked;
    pthread_cond_t changed; /* a slot freed or a pause ended */
    struct host *linger;    /* in the list of paused unused entries */
    int lingering;
    struct host *pnext; /* the worker pool's list of paused hosts */
    int on_paused;      /* with blocked items: while set, refs > 0 */
    char key[];         /* host:port, lower-cased */
};

struct hosts {
    struct host **table; /* buckets */
    size_t cap, used;
    unsigned limit;         /* slots per host; 0: no limit */
    struct host *lingering; /* unused entries kept for their pause */
    double linger_min;      /* the earliest pause end among them */
    int paused_ever;        /* some host was paused: times matter */
};

/* limit: --max-per-host, 0 for none. Returns 0 or -1. */
int hosts_setup(struct hosts *h, unsigned limit);

/* Frees every entry; items must not point at them any more. */
void hosts_teardown(struct hosts *h);

/* The entry for key (len bytes, any case), made if there is none, with
 * one more reference. NULL when out of memory. now is timeutil_now(). */
struct host *hosts_ref(struct hosts *h, const char *key, size_t len,
                       double now);

/* Drops a reference; an entry nobody refers to is freed, or kept until
 * its pause ends. */
void hosts_unref(struct hosts *h, struct host *e, double now);

/* 1 if e can take one more transfer now: not paused, and under the
 * limit counting the workers that wait for it first. */
int hosts_free(const struct hosts *h, const struct host *e, double now);

/* Pauses e until now + secs (a later end wins). Returns 1 if e was not
 * paused before (a new pause to tell the user about), else 0. */
int hosts_pause(struct hosts *h, struct host *e, double now, double secs);

/* Queue and unqueue blocked items on e. */
void hosts_block(struct host *e, struct item *it);
struct item *hosts_unblock(struct host *e);

#endif
