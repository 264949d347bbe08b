/* ch09_evaluation.c - the bookkeeping of chapter 09 (see the header). */
#include "ch09_evaluation.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

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
                c->over_bound = 0;
                for (int i = 0; i < SWEEP_MAX_SEEDS; i++)
                    c->accuracy[i] = c->best[i] = NAN;
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
    return paired_over_finished(a->accuracy, b->accuracy, a->seeds < b->seeds ? a->seeds : b->seeds);
}

const VerdictRule CLAIM_RULE = { "claim", { "true", "partly", "false", "not shown", NULL } };

const char *claim_verdict(int holds, int contradicted, int cases)
{
    if (holds == cases)
        return "true";
    if (holds > 0)
        return "partly";
    return contradicted > 0 ? "false" : "not shown";
}

int case_higher(const char *paired)
{
    return strcmp(paired, "higher") == 0 ? CASE_HOLDS
         : strcmp(paired, "lower") == 0 ? CASE_CONTRADICTED : CASE_UNDECIDED;
}

int case_lower(const char *paired)
{
    return strcmp(paired, "lower") == 0 ? CASE_HOLDS
         : strcmp(paired, "higher") == 0 ? CASE_CONTRADICTED : CASE_UNDECIDED;
}

const VerdictRule CALIBRATION_RULE = { "calibration",
                                       { "well calibrated", "overconfident", "underconfident", NULL } };

const char *calibration_verdict(double ece, double mean_confidence, double accuracy, double tol)
{
    if (ece <= tol)
        return "well calibrated";
    return mean_confidence > accuracy ? "overconfident" : "underconfident";
}

void percent_of_counts(char *buf, size_t size, long num, long den, int decimals, int rounding)
{
    if (den <= 0 || num < 0 || decimals < 0 || decimals > 3) {
        snprintf(buf, size, "--");
        return;
    }
    long long scale = 1;
    for (int i = 0; i < decimals; i++)
        scale *= 10;
    long long units = 100LL * scale * num;    /* the percentage times scale, over den */
    long long q = rounding == PERCENT_FLOOR ? units / den : (2 * units + den) / (2LL * den);
    if (decimals == 0)
        snprintf(buf, size, "%lld", q);
    else
        snprintf(buf, size, "%lld.%0*lld", q / scale, decimals, q % scale);
}
