/* stats.h - summaries of repeated runs: the mean, the spread and the range
 * of a measurement over seeds. */
#ifndef KIT_STATS_H
#define KIT_STATS_H

typedef struct {
    int n;
    double mean;
    double sd;          /* the sample standard deviation (n - 1 in the
                         * denominator); 0 for a single value */
    double min, max;
} Summary;

/* The summary of v[0..n), n >= 1. */
Summary summarize(const double *v, int n);

/* The 97.5 % quantile of Student's t distribution with df degrees of
 * freedom (df >= 1), from the standard table: the factor of a two-sided
 * 95 % interval.  Above 30 degrees of freedom, the normal's 1.96 is off by
 * less than 2 %. */
double student_t_975(int df);

/* A paired comparison of two configurations run on the same n >= 2 seeds
 * (eq:ch09-paired): the differences a[i] - b[i], their mean, their sample
 * standard deviation, and the 95 % interval mean +- t sd / sqrt(n).  The
 * difference is real (at that level) when the interval excludes 0. */
typedef struct {
    int n;
    double mean, sd, low, high;
} PairedDifference;
PairedDifference paired_difference(const double *a, const double *b, int n);

/* The same over the seeds where both runs finished, of n seeds (NaN marks
 * a run that diverged); .n is how many did, and with fewer than two the
 * mean, sd and interval are NaN. */
PairedDifference paired_over_finished(const double *a, const double *b, int n);

#endif
