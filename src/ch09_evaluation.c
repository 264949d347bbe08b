/* ch09_evaluation.c - the bookkeeping of chapter 09 (see the header). */
#include "ch09_evaluation.h"

#include <math.h>

const double SWEEP_RATE[SWEEP_RATES] = { 0.01, 0.1, 1.0 };
const char *const SWEEP_ARCH[SWEEP_ARCHS] = { "plain", "residual" };
const char *const SWEEP_SCHEDULE[SWEEP_SCHEDULES] = { "constant", "cosine" };

int sweep_index(int arch, int schedule, int rate)
{
    return (arch * SWEEP_SCHEDULES + schedule) * SWEEP_RATES + rate;
}

void sweep_init(SweepCell cells[SWEEP_CELLS], int seeds)
{
    for (int a = 0; a < SWEEP_ARCHS; a++)
        for (int s = 0; s < SWEEP_SCHEDULES; s++)
            for (int r = 0; r < SWEEP_RATES; r++) {
                SweepCell *c = &cells[sweep_index(a, s, r)];
                c->arch = a;
                c->schedule = s;
                c->rate = r;
                c->seeds = seeds;
                for (int i = 0; i < SWEEP_MAX_SEEDS; i++)
                    c->accuracy[i] = NAN;
            }
}

int sweep_finished(const SweepCell *c)
{
    int n = 0;
    for (int i = 0; i < c->seeds; i++)
        n += !isnan(c->accuracy[i]);
    return n;
}

Summary sweep_summary(const SweepCell *c)
{
    double v[SWEEP_MAX_SEEDS];
    int n = 0;
    for (int i = 0; i < c->seeds; i++)
        if (!isnan(c->accuracy[i]))
            v[n++] = c->accuracy[i];
    if (n == 0) {
        Summary none = { .n = 0, .mean = NAN, .sd = NAN, .min = NAN, .max = NAN };
        return none;
    }
    return summarize(v, n);
}

PairedDifference sweep_compare(const SweepCell *a, const SweepCell *b)
{
    double x[SWEEP_MAX_SEEDS], y[SWEEP_MAX_SEEDS];
    int n = 0;
    for (int i = 0; i < a->seeds && i < b->seeds; i++)
        if (!isnan(a->accuracy[i]) && !isnan(b->accuracy[i])) {
            x[n] = a->accuracy[i];
            y[n++] = b->accuracy[i];
        }
    if (n < 2) {
        PairedDifference none = { .n = n, .mean = NAN, .sd = NAN, .low = NAN, .high = NAN };
        return none;
    }
    return paired_difference(x, y, n);
}
