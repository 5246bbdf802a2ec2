/* A counting semaphore on a pthread mutex and condition variable.
 *
 * Unnamed POSIX semaphores do not exist everywhere (macOS), and this one
 * can be shut down: waiters then return at once, which is how a stop
 * request (SIGINT) reaches threads blocked waiting for a slot. */
#ifndef SALVO_SEM_H
#define SALVO_SEM_H

#include <pthread.h>

struct sem {
    pthread_mutex_t lock; /* guards count, shut */
    pthread_cond_t changed;
    unsigned count;
    int shut;
};

/* Returns 0 or -errno. */
int sem_setup(struct sem *s, unsigned count);
void sem_teardown(struct sem *s);

/* Blocks until a slot is free and takes it: returns 0.  Returns -1 without
 * taking a slot once sem_shutdown() has been called. Thread-safe. */
int sem_acquire(struct sem *s);

/* Takes a slot only if one is free now: 0 taken, -1 not. */
int sem_tryacquire(struct sem *s);

/* Gives back one slot taken by sem_acquire. Thread-safe. */
void sem_release(struct sem *s);

/* Wakes every waiter; later sem_acquire calls fail. Thread-safe. */
void sem_shutdown(struct sem *s);

#endif
