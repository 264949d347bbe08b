/* ch09_evaluation.h - the bookkeeping of chapter 09: the cells of the
 * learning-rate sweep, each run over the same seeds, and the statistics
 * that compare two of them. */
#ifndef CH09_EVALUATION_H
#define CH09_EVALUATION_H

#include "lib/stats.h"

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

#endif
