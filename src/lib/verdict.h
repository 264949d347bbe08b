/* verdict.h - the words the book uses about measured results, decided by
 * the programs from their numbers.
 *
 * A sentence that compares or judges a measurement ("higher", "at chance",
 * "diverged", "one minimum") does not choose its word by hand: the program
 * that measured it applies a stated rule and writes the outcome into its
 * numbers.tex as
 *     \kitoutcome{key}{outcome}{every outcome of the rule, |-separated}
 * The chapter prints it with \kitverdict{key}, branches on it with
 * \kitif{key}{outcome}{...}{...}, or asserts it with \kitclaim{key}{outcome}
 * beside a sentence that holds only for that outcome; tools/check-claims.py
 * stops the build, naming the sentence, when the outcome no longer holds.
 *
 * Each rule is stated once in the book where the reader first meets it. */
#ifndef KIT_VERDICT_H
#define KIT_VERDICT_H

#include "results.h"
#include "stats.h"

/* A rule: its name and its outcomes, the phrases a sentence may print. */
typedef struct {
    const char *name;
    const char *outcomes[5];   /* NULL after the last */
} VerdictRule;

/* Write the outcome of rule for key; outcome must be one of the rule's
 * (anything else is a bug in the program, and aborts it). */
void verdict_put(Numbers *nb, const char *key, const VerdictRule *rule, const char *outcome);

/* Paired comparison of a - b over the same seeds (eq:ch09-paired):
 * "higher" when the 95 % interval of the mean difference lies above 0,
 * "lower" when it lies below, "no difference" when it contains 0, and
 * "too few runs" when fewer than two seeds finished. */
extern const VerdictRule PAIRED_RULE;
const char *paired_verdict(PairedDifference d);
/* The comparison d as the numbers PREFIX.mean, PREFIX.low, PREFIX.high
 * (signed, with decimals places; "--" with fewer than two seeds) and its
 * verdict PREFIX.verdict. */
void paired_put(Numbers *nb, const char *prefix, PairedDifference d, int decimals);

/* Chance: a classifier is "at chance" when its accuracy (percent) is at
 * most CHANCE_MARGIN points above the share of the largest class in the
 * same data (what always answering that class scores), otherwise "above
 * chance"; an accuracy of NaN (every run diverged) is "no run finished". */
#define CHANCE_MARGIN 5.0
extern const VerdictRule CHANCE_RULE;
const char *chance_verdict(double accuracy, double largest_share);
/* The share, in percent, of the most frequent of the n labels (0..9). */
double largest_class_share(const unsigned char *labels, int n);

/* Divergence over repeated runs: "none diverged", "some diverged" or
 * "all diverged" (runs is the number started, diverged how many stopped). */
extern const VerdictRule DIVERGED_RULE;
const char *diverged_verdict(int diverged, int runs);

/* One value against a reference: "higher" when value > reference + tol,
 * "lower" when value < reference - tol, "level" otherwise. */
extern const VerdictRule COMPARE_RULE;
const char *compare_verdict(double value, double reference, double tol);

/* Agreement of two values: "agree" when |a - b| <= tol, else "differ". */
extern const VerdictRule AGREE_RULE;
const char *agree_verdict(double a, double b, double tol);

/* Monotone curves y[0..n): "decreasing" when no step rises by more than
 * tol, "increasing" when none falls by more than tol, "not monotone"
 * otherwise (a flat curve counts as decreasing). */
extern const VerdictRule MONOTONE_RULE;
const char *monotone_verdict(const double *y, int n, double tol);

/* The minima of a curve y[0..n), read with a tolerance tol so that noise
 * makes none: a local minimum is a point below every other point within
 * its basin by more than tol on both sides (for the last point: on its
 * left, and the curve is then "still falling" at the edge).  Counts the
 * interior minima; *falling_at_edge tells whether the curve's last point
 * is a minimum on its left. */
int count_minima(const double *y, int n, double tol, int *falling_at_edge);
/* "one minimum", "two minima" or "no minimum" inside the range, from the
 * count above. */
extern const VerdictRule MINIMA_RULE;
const char *minima_verdict(int interior_minima);

/* Whether a and b print the same with `decimals` decimals (printf's %.*f),
 * so that the text says "both 100.0 %" instead of "100.0 % and 100.0 %". */
int same_when_printed(double a, double b, int decimals);

/* Yes or no, for a condition a sentence depends on ("yes", "no"). */
extern const VerdictRule YESNO_RULE;
const char *yesno_verdict(int condition);

#endif
