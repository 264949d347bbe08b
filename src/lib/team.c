#include "team.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* SPIN: how many times a waiting thread looks for the next task (or for
 * the last piece to finish) before it sleeps, about a fifth of a
 * millisecond.  Between two steps the caller gathers the next batch
 * (tens of microseconds); a helper that slept through it wakes late, and
 * with SPIN = 5000 a two-thread batch of 64 ran 1.05 times as fast as one
 * thread instead of 1.5 times. */
enum { MAX_TEAM = 16, SPIN = 200000 };

/* The task in hand.  `ticket` holds the task's number (high 32 bits) and
 * the next piece to take (low 32 bits) in one atomic word, so that a
 * helper takes a piece only of the task it looked at: a helper that was
 * asleep while a task came and went cannot take a piece of the next one
 * under the old task's name. */
struct Team {
    int size;
    pthread_t helpers[MAX_TEAM];
    _Atomic uint64_t ticket;
    atomic_int done;            /* pieces of the task finished */
    TeamTask task;              /* written before the ticket announces it */
    void *arg;
    atomic_int pieces;
    int quit;
    pthread_mutex_t lock;       /* for sleeping: */
    pthread_cond_t wake, finished;
};

static uint32_t task_number(uint64_t ticket)
{
    return (uint32_t)(ticket >> 32);
}

/* Take the next piece of task number `number`: its index, or -1 when the
 * pieces are all taken or another task has begun. */
static int take_piece(Team *t, uint32_t number, int pieces)
{
    uint64_t ticket = atomic_load(&t->ticket);
    while (task_number(ticket) == number && (int)(uint32_t)ticket < pieces)
        if (atomic_compare_exchange_weak(&t->ticket, &ticket, ticket + 1))
            return (int)(uint32_t)ticket;
    return -1;
}

/* Take and run pieces of task `number` until none is left. */
static void work_on(Team *t, uint32_t number)
{
    int piece, pieces = atomic_load(&t->pieces);
    while ((piece = take_piece(t, number, pieces)) >= 0) {
        t->task(t->arg, piece);
        if (atomic_fetch_add(&t->done, 1) + 1 == pieces) {
            pthread_mutex_lock(&t->lock);      /* the last piece: wake the caller */
            pthread_cond_broadcast(&t->finished);
            pthread_mutex_unlock(&t->lock);
        }
    }
}

static void *helper_main(void *arg)
{
    Team *t = arg;
    uint32_t seen = 0;
    for (;;) {
        uint32_t number = seen;
        for (int i = 0; i < SPIN && number == seen; i++)
            number = task_number(atomic_load(&t->ticket));
        if (number == seen) {
            pthread_mutex_lock(&t->lock);
            while ((number = task_number(atomic_load(&t->ticket))) == seen)
                pthread_cond_wait(&t->wake, &t->lock);
            pthread_mutex_unlock(&t->lock);
        }
        seen = number;
        if (t->quit)
            return NULL;
        work_on(t, number);
    }
}

Team *team_create(int size)
{
    if (size < 1 || size > MAX_TEAM) {
        fprintf(stderr, "error: a team has 1 to %d threads, not %d\n", MAX_TEAM, size);
        return NULL;
    }
    Team *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->size = 1;
    pthread_mutex_init(&t->lock, NULL);
    pthread_cond_init(&t->wake, NULL);
    pthread_cond_init(&t->finished, NULL);
    for (int i = 1; i < size; i++) {
        if (pthread_create(&t->helpers[i], NULL, helper_main, t) != 0) {
            fprintf(stderr, "error: cannot start thread %d of a team of %d\n", i + 1, size);
            team_free(t);
            return NULL;
        }
        t->size = i + 1;
    }
    return t;
}

int team_size(const Team *team)
{
    return team ? team->size : 1;
}

/* Announce a new task (or the order to quit): its number goes up by one
 * and its pieces start from 0. */
static uint32_t announce(Team *t, TeamTask task, void *arg, int pieces, int quit)
{
    uint32_t number = task_number(atomic_load(&t->ticket)) + 1;
    t->task = task;
    t->arg = arg;
    atomic_store(&t->pieces, pieces);
    t->quit = quit;
    atomic_store(&t->done, 0);
    pthread_mutex_lock(&t->lock);
    atomic_store(&t->ticket, (uint64_t)number << 32);
    pthread_cond_broadcast(&t->wake);
    pthread_mutex_unlock(&t->lock);
    return number;
}

void team_run(Team *t, TeamTask task, void *arg, int pieces)
{
    if (!t || t->size == 1 || pieces <= 1) {
        for (int piece = 0; piece < pieces; piece++)
            task(arg, piece);
        return;
    }
    uint32_t number = announce(t, task, arg, pieces, 0);
    work_on(t, number);
    for (int i = 0; i < SPIN && atomic_load(&t->done) < pieces; i++)
        continue;                              /* a helper is finishing its piece */
    pthread_mutex_lock(&t->lock);
    while (atomic_load(&t->done) < pieces)
        pthread_cond_wait(&t->finished, &t->lock);
    pthread_mutex_unlock(&t->lock);
}

void team_free(Team *t)
{
    if (!t)
        return;
    if (t->size > 1)
        announce(t, NULL, NULL, 0, 1);
    for (int i = 1; i < t->size; i++)
        pthread_join(t->helpers[i], NULL);
    pthread_mutex_destroy(&t->lock);
    pthread_cond_destroy(&t->wake);
    pthread_cond_destroy(&t->finished);
    free(t);
}
