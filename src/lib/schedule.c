#include "schedule.h"

#include <math.h>
#include <stdio.h>

int schedule_check(const Schedule *s, char *err, size_t n)
{
    if (!(s->lr0 >= 0.0) || !isfinite(s->lr0)) {
        snprintf(err, n, "the initial learning rate l_0 = %g must be finite and non-negative", s->lr0);
        return -1;
    }
    if (s->kind == SCHEDULE_COSINE || s->kind == SCHEDULE_COSINE_RESTARTS) {
        if (s->T <= 0) {
            snprintf(err, n, "the period T = %ld must be at least 1 step", s->T);
            return -1;
        }
        if (!(s->lr_min >= 0.0)) {
            snprintf(err, n, "the final learning rate l_T = %g must be non-negative", s->lr_min);
            return -1;
        }
        if (s->lr_min > s->lr0) {
            snprintf(err, n, "the final learning rate l_T = %g exceeds the initial l_0 = %g",
                     s->lr_min, s->lr0);
            return -1;
        }
    }
    if (s->kind == SCHEDULE_COSINE_RESTARTS && !(s->mult >= 1.0 && s->mult == floor(s->mult))) {
        snprintf(err, n, "the period multiplier %g must be a whole number, at least 1", s->mult);
        return -1;
    }
    if (s->kind == SCHEDULE_STEP && (s->step_size <= 0 || !(s->gamma > 0.0 && s->gamma <= 1.0))) {
        snprintf(err, n, "step decay needs a step size >= 1 (not %ld) and 0 < gamma <= 1 (not %g)",
                 s->step_size, s->gamma);
        return -1;
    }
    return 0;
}

/* @listing begin lib_cosine */
/* l_t = l_T + (l_0 - l_T) / 2 (1 + cos(pi t / T)): equation (eq:ch08-cosine). */
static double cosine_rate(double l0, double lT, long t, long T)
{
    if (t >= T)
        return lT;
    /* @solution begin cosine_rate */
    return lT + 0.5 * (l0 - lT) * (1.0 + cos(M_PI * (double)t / (double)T));
    /* @solution end cosine_rate */
}

double schedule_rate(const Schedule *s, long t)
{
    switch (s->kind) {
    case SCHEDULE_CONSTANT:
        return s->lr0;
    case SCHEDULE_STEP:
        return s->lr0 * pow(s->gamma, (double)(t / s->step_size));
    case SCHEDULE_COSINE:
        return cosine_rate(s->lr0, s->lr_min, t, s->T);
    case SCHEDULE_COSINE_RESTARTS: {
        /* Find the period t falls in: T_0, T_0 mult, T_0 mult^2, ... */
        long start = 0, period = s->T;
        while (t >= start + period) {
            start += period;
            period *= (long)s->mult;
        }
        return cosine_rate(s->lr0, s->lr_min, t - start, period);
    }
    }
    return s->lr0;
}
/* @listing end lib_cosine */

double schedule_learning_rate(const void *ctx, int epoch, long step)
{
    (void)epoch;
    return schedule_rate(ctx, step);
}

/* @listing begin ch08_run_schedule */
Schedule cosine_for_run(double l0, double lT, long steps)
{
    Schedule s = { .kind = SCHEDULE_COSINE, .lr0 = l0, .lr_min = lT,
                   .T = steps > 1 ? steps - 1 : 1 };   /* t = T is the last step */
    return s;
}
/* @listing end ch08_run_schedule */
