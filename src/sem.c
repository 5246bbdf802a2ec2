#include "config.h"

#include <errno.h>

#include "sem.h"

int sem_setup(struct sem *s, unsigned count)
{
    int rc = pthread_mutex_init(&s->lock, NULL);
    if (rc != 0)
        return -rc;
    rc = pthread_cond_init(&s->changed, NULL);
    if (rc != 0) {
        pthread_mutex_destroy(&s->lock);
        return -rc;
    }
    s->count = count;
    s->shut = 0;
    return 0;
}

void sem_teardown(struct sem *s)
{
    pthread_cond_destroy(&s->changed);
    pthread_mutex_destroy(&s->lock);
}

int sem_acquire(struct sem *s)
{
    int rc = -1;

    pthread_mutex_lock(&s->lock);
    while (s->count == 0 && !s->shut)
        pthread_cond_wait(&s->changed, &s->lock);
    if (!s->shut) {
        s->count--;
        rc = 0;
    }
    pthread_mutex_unlock(&s->lock);
    return rc;
}

int sem_tryacquire(struct sem *s)
{
    int rc = -1;

    pthread_mutex_lock(&s->lock);
    if (s->count > 0 && !s->shut) {
        s->count--;
        rc = 0;
    }
    pthread_mutex_unlock(&s->lock);
    return rc;
}

void sem_release(struct sem *s)
{
    pthread_mutex_lock(&s->lock);
    s->count++;
    /* One waiter can use one slot: signal, not broadcast. */
    pthread_cond_signal(&s->changed);
    pthread_mutex_unlock(&s->lock);
}

void sem_shutdown(struct sem *s)
{
    pthread_mutex_lock(&s->lock);
    s->shut = 1;
    pthread_cond_broadcast(&s->changed);
    pthread_mutex_unlock(&s->lock);
}
