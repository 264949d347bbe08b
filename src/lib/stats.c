#include "stats.h"

#include <math.h>

Summary summarize(const double *v, int n)
{
    Summary s = { .n = n, .min = v[0], .max = v[0] };
    for (int i = 0; i < n; i++) {
        s.mean += v[i] / n;
        s.min = fmin(s.min, v[i]);
        s.max = fmax(s.max, v[i]);
    }
    double squares = 0.0;
    for (int i = 0; i < n; i++)
        squares += (v[i] - s.mean) * (v[i] - s.mean);
    s.sd = n > 1 ? sqrt(squares / (n - 1)) : 0.0;
    return s;
}

double student_t_975(int df)
{
    static const double TABLE[30] = {
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
        2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
        2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042 };
    return df <= 30 ? TABLE[df - 1] : 1.96;
}

/* @listing begin lib_paired */
PairedDifference paired_difference(const double *a, const double *b, int n)
{
    PairedDifference p = { .n = n };
    /* @solution begin ch09_paired */
    double d[n];
    for (int i = 0; i < n; i++)       /* one difference per seed (eq:ch09-paired) */
        d[i] = a[i] - b[i];
    Summary s = summarize(d, n);
    double half = student_t_975(n - 1) * s.sd / sqrt(n);
    p.mean = s.mean;
    p.sd = s.sd;
    p.low = s.mean - half;
    p.high = s.mean + half;
    /* @solution end ch09_paired */
    return p;
}
/* @listing end lib_paired */

PairedDifference paired_over_finished(const double *a, const double *b, int n)
{
    double x[n > 0 ? n : 1], y[n > 0 ? n : 1];
    int finished = 0;
    for (int i = 0; i < n; i++)
        if (!isnan(a[i]) && !isnan(b[i])) {
            x[finished] = a[i];
            y[finished++] = b[i];
        }
    if (finished < 2)
        return (PairedDifference){ .n = finished, .mean = NAN, .sd = NAN, .low = NAN, .high = NAN };
    return paired_difference(x, y, finished);
}
