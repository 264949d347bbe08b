/* schedule.h - learning-rate schedules: constant, step decay, cosine
 * annealing, and cosine annealing with warm restarts (SGDR).
 *
 * t counts optimisation steps from 0.  Cosine annealing over T steps is
 *     l_t = l_T + (l_0 - l_T) / 2 * (1 + cos(pi t / T)),   0 <= t <= T,
 * and stays at l_T after T.  Chapter 08 derives its properties. */
#ifndef KIT_SCHEDULE_H
#define KIT_SCHEDULE_H

#include <stddef.h>

typedef enum {
    SCHEDULE_CONSTANT,        /* l_0 throughout */
    SCHEDULE_STEP,            /* l_0 * gamma^floor(t / step_size) */
    SCHEDULE_COSINE,          /* from l_0 at t = 0 to l_T at t = T */
    SCHEDULE_COSINE_RESTARTS  /* cosine over T_0 steps, then again over T_0 * mult, ... */
} ScheduleKind;

typedef struct {
    ScheduleKind kind;
    double lr0;        /* l_0, the first rate */
    double lr_min;     /* l_T, the last rate of a cosine period */
    long T;            /* the cosine's length in steps; the first period for restarts */
    double mult;       /* restarts: each period is mult times the one before (1, 2, ...) */
    long step_size;    /* step decay: steps between drops */
    double gamma;      /* step decay: the factor of each drop, in (0, 1] */
} Schedule;

/* 0 if the schedule's parameters make sense; otherwise -1 with a message
 * naming the parameter in err (T <= 0, a negative rate, l_T > l_0, ...). */
int schedule_check(const Schedule *s, char *err, size_t n);

/* The learning rate of step t (t >= 0). */
double schedule_rate(const Schedule *s, long t);

/* The same, in the form the training loop takes (train.h's
 * LearningRateFn): ctx is a Schedule. */
double schedule_learning_rate(const void *ctx, int epoch, long step);

/* Cosine annealing over a run of `steps` optimisation steps, t = 0 ..
 * steps - 1, with T = steps - 1: the first step uses exactly l_0 and the
 * last exactly l_T (the kit's choice; see (eq:ch08-off-by-one)). */
Schedule cosine_for_run(double l0, double lT, long steps);

#endif
