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
