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

#endif
