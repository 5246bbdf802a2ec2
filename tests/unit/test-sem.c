/* The counting semaphore: counts, blocking, shutdown, and a stress test
 * that many threads never hold more slots than the count. */
#include "config.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

#include "../../src/sem.h"
#include "../tap.h"

#define SLOTS 5
#define THREADS 64
#define ROUNDS 2000

struct stress {
    struct sem s;
    atomic_int inside, peak, violations;
};

static void *hammer(void *p)
{
    struct stress *st = p;

    for (int i = 0; i < ROUNDS; i++) {
        int now, seen;
        if (sem_acquire(&st->s) != 0)
            return NULL;
        now = atomic_fetch_add(&st->inside, 1) + 1;
        if (now > SLOTS)
            atomic_fetch_add(&st->violations, 1);
        seen = atomic_load(&st->peak);
        while (now > seen &&
               !atomic_compare_exchange_weak(&st->peak, &seen, now))
            ;
        atomic_fetch_sub(&st->inside, 1);
        sem_release(&st->s);
    }
    return NULL;
}

struct waiter {
    struct sem *s;
    int rc;
    atomic_int started;
};

static void *wait_one(void *p)
{
    struct waiter *w = p;

    atomic_store(&w->started, 1);
    w->rc = sem_acquire(w->s);
    return NULL;
}

int main(void)
{
    struct stress st;
    pthread_t t[THREADS];
    struct sem s;
    struct waiter w = {.s = &s, .rc = 99};

    ok(sem_setup(&s, 2) == 0, "setup");
    ok(sem_tryacquire(&s) == 0, "first slot taken");
    ok(sem_tryacquire(&s) == 0, "second slot taken");
    ok(sem_tryacquire(&s) != 0, "no third slot");
    sem_release(&s);
    ok(sem_tryacquire(&s) == 0, "a released slot can be taken again");

    /* No slot is free: a waiter blocks until one is released. */
    pthread_create(&t[0], NULL, wait_one, &w);
    while (!atomic_load(&w.started))
        ;
    sem_release(&s);
    pthread_join(t[0], NULL);
    ok(w.rc == 0, "a release wakes a blocked waiter with the slot");
    ok(sem_tryacquire(&s) != 0, "and the slot is then taken");
    sem_teardown(&s);

    ok(sem_setup(&s, 0) == 0, "setup with no slots");
    w.rc = 99;
    atomic_store(&w.started, 0);
    pthread_create(&t[0], NULL, wait_one, &w);
    while (!atomic_load(&w.started))
        ;
    sem_shutdown(&s);
    pthread_join(t[0], NULL);
    ok(w.rc == -1, "shutdown wakes a waiter without a slot");
    ok(sem_acquire(&s) == -1, "acquire after shutdown fails");
    sem_teardown(&s);

    sem_setup(&st.s, SLOTS);
    atomic_init(&st.inside, 0);
    atomic_init(&st.peak, 0);
    atomic_init(&st.violations, 0);
    for (int i = 0; i < THREADS; i++)
        pthread_create(&t[i], NULL, hammer, &st);
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    ok(atomic_load(&st.violations) == 0, "stress: never more than the count");
    ok(atomic_load(&st.peak) <= SLOTS, "stress: peak within the count");
    ok(atomic_load(&st.peak) >= 1, "stress: slots were used");
    ok(sem_tryacquire(&st.s) == 0, "stress: all slots given back (1)");
    {
        int n = 1;
        while (sem_tryacquire(&st.s) == 0)
            n++;
        ok(n == SLOTS, "stress: exactly the count is free afterwards");
    }
    sem_teardown(&st.s);
    return done_testing();
}
