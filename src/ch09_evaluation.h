/* ch09_evaluation.h - the bookkeeping of chapter 09: the cells of the
 * learning-rate sweep, each run over the same seeds, and the statistics
 * that compare two of them. */
#ifndef CH09_EVALUATION_H
#define CH09_EVALUATION_H

#include <stddef.h>

#include "lib/stats.h"
#include "lib/verdict.h"

enum { SWEEP_ARCHS = 2, SWEEP_SCHEDULES = 2, SWEEP_RATES = 3, SWEEP_CELLS = 12, SWEEP_MAX_SEEDS = 20 };
extern const double SWEEP_RATE[SWEEP_RATES];           /* 0.01, 0.1, 1 */
extern const char *const SWEEP_ARCH[SWEEP_ARCHS];      /* "plain", "residual" */
extern const char *const SWEEP_SCHEDULE[SWEEP_SCHEDULES]; /* "constant", "cosine" */

/* One cell of the sweep: a network, a schedule and a rate, and the test
 * accuracy (percent) after the last epoch of each seed's run, NaN for a
 * run that diverged. */
typedef struct {
    int arch, schedule, rate;       /* indices into the arrays above */
    int seeds;
    double accuracy[SWEEP_MAX_SEEDS];
    double best[SWEEP_MAX_SEEDS];   /* the highest test accuracy of any epoch
                                     * (percent), NaN when not measured */
    int over_bound;                 /* runs whose epoch mean loss passed the
                                     * divergence bound but stayed finite: they
                                     * trained on, and have an accuracy */
} SweepCell;

/* The cell's index in a sweep: every (arch, schedule, rate) once. */
int sweep_index(int arch, int schedule, int rate);

/* The cells in order, each with its indices set and no runs yet. */
void sweep_init(SweepCell cells[SWEEP_CELLS], int seeds);

/* The runs of a cell that finished (did not diverge), and their summary. */
int sweep_finished(const SweepCell *c);
Summary sweep_summary(const SweepCell *c);

/* Cell a against cell b, seed by seed over the seeds where both finished
 * (eq:ch09-paired); .n is the number of such seeds (a comparison needs 2). */
PairedDifference sweep_compare(const SweepCell *a, const SweepCell *b);

/* The problem set's claims, judged case by case.  A claim makes one or
 * more comparisons (cases); each case holds, is contradicted, or is
 * undecided (the seeds cannot tell).  The claim is "true" when every case
 * holds, "partly" when some hold and some do not, "false" when none holds
 * and at least one is contradicted, and "not shown" when none holds and
 * none is contradicted. */
enum { CASE_HOLDS, CASE_CONTRADICTED, CASE_UNDECIDED };
extern const VerdictRule CLAIM_RULE;
const char *claim_verdict(int holds, int contradicted, int cases);
/* A case that says "a is higher than b", from their paired verdict. */
int case_higher(const char *paired);
/* A case that says "a is lower than b". */
int case_lower(const char *paired);

/* Calibration: "well calibrated" when the expected calibration error is at
 * most tol; otherwise "overconfident" when the mean confidence exceeds the
 * accuracy (both as fractions), else "underconfident". */
#define CALIBRATION_TOL 0.02
extern const VerdictRule CALIBRATION_RULE;
const char *calibration_verdict(double ece, double mean_confidence, double accuracy, double tol);

/* The share num / den as a percentage with `decimals` decimals (0 to 3),
 * computed from the counts in integer arithmetic, so that every cell of a
 * table rounds alike (the binary double of 98.45 or 99.25 does not):
 * PERCENT_NEAREST rounds to the nearest, a half up; PERCENT_FLOOR rounds
 * down, for a lower bound that must not be overstated.  Writes "--" when
 * den is 0 (a class never predicted has no precision). */
enum { PERCENT_NEAREST, PERCENT_FLOOR };
void percent_of_counts(char *buf, size_t size, long num, long den, int decimals, int rounding);

#endif
