/* --max-per-host: one semaphore per host, made on first use. */
#ifndef SALVO_HOSTS_H
#define SALVO_HOSTS_H

#include <pthread.h>
#include <stddef.h>

#include "sem.h"

struct host_entry;

struct hosts {
    pthread_mutex_t lock; /* guards the table */
    struct host_entry **table;
    size_t cap, used;
    unsigned limit;
};

int hosts_setup(struct hosts *h, unsigned limit);
void hosts_teardown(struct hosts *h);

/* The semaphore of url's host (as written in the URL), made with limit
 * slots on first use. It lives until hosts_teardown. NULL when out of
 * memory. Thread-safe. */
struct sem *hosts_sem(struct hosts *h, const char *url);

#endif
