#include "losses.h"

#include <math.h>

double quadratic_loss(int rows, int k, const double *f, const double *y)
{
    double sum = 0.0;
    for (long i = 0; i < (long)rows * k; i++)
        sum += 0.5 * (f[i] - y[i]) * (f[i] - y[i]);
    return sum / rows;
}

void quadratic_loss_backward(int rows, int k, const double *f, const double *y, double *df)
{
    for (long i = 0; i < (long)rows * k; i++)
        df[i] = (f[i] - y[i]) / rows;
}

double cross_entropy_loss(int rows, int k, const double *f, const double *y)
{
    double sum = 0.0;
    for (long i = 0; i < (long)rows * k; i++)
        if (y[i] != 0.0)
            sum -= y[i] * log(f[i]);
    return sum / rows;
}

void softmax_cross_entropy_backward(int rows, int k, const double *f, const double *y, double *dz)
{
    for (long i = 0; i < (long)rows * k; i++)
        dz[i] = (f[i] - y[i]) / rows;
}
