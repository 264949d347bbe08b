/* ch08_cosine.h - chapter 08: cosine annealing of the learning rate,
 * counted per step so that the first step uses l_0 and the last l_T; and
 * the rule that says whether a run recovered from chance. */
#ifndef CH08_COSINE_H
#define CH08_COSINE_H

#include "lib/schedule.h"
#include "lib/verdict.h"

/* The last rate a run uses when the formula's T is the number of epochs
 * E and epochs are counted t = 0 .. E - 1, as the problem set describes:
 * l_{E-1} = l_T + (l_0 - l_T)/2 (1 + cos(pi (E - 1) / E)) > l_T. */
double last_rate_counting_epochs(double l0, double lT, int epochs);

/* The cosine rate of a run of `steps` steps (cosine_for_run, T = steps - 1)
 * at the steps t = 0, T/4, T/2, 3T/4 (rounded to the nearest step), T - 1
 * and T, from the library's schedule_rate: the chapter's table of
 * (eq:ch08-cosine) evaluated. */
enum { COSINE_POINTS = 6 };
void cosine_rate_points(double l0, double lT, long steps, long t[COSINE_POINTS],
                        double rate[COSINE_POINTS]);

/* Recovery from chance, read from a run's test accuracy (percent) after
 * each of its n epochs, with chance_verdict against the largest class
 * share (lib/verdict.h):
 *   "recovered"       the last epoch is above chance and an earlier one is at chance;
 *   "ended at chance" the last epoch is at chance;
 *   "never at chance" no epoch is at chance.
 * An epoch whose accuracy is NaN counts as at chance. */
extern const VerdictRule RECOVERY_RULE;
const char *recovery_verdict(const double *accuracy, int n, double largest_share);

/* The first and the last epoch (counted from 1) whose accuracy is at
 * chance by the same rule, or 0 if none is. */
int first_epoch_at_chance(const double *accuracy, int n, double largest_share);
int last_epoch_at_chance(const double *accuracy, int n, double largest_share);


#endif
