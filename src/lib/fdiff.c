#include "fdiff.h"

#include <math.h>
#include <stdlib.h>

/* f(x + s e_i + t e_j), with x restored; j < 0 leaves out the second step. */
static double f_shifted(ScalarFn f, double *x, int i, double s, int j, double t, void *ctx)
{
    double xi = x[i], xj = j >= 0 ? x[j] : 0.0;
    x[i] = xi + s;
    if (j >= 0)
        x[j] = xj + t;
    double value = f(x, ctx);
    x[i] = xi;
    if (j >= 0)
        x[j] = xj;
    return value;
}

void fd_gradient(ScalarFn f, double *x, int n, double h, void *ctx, double *grad)
{
    for (int i = 0; i < n; i++)
        grad[i] = (f_shifted(f, x, i, h, -1, 0.0, ctx) - f_shifted(f, x, i, -h, -1, 0.0, ctx)) /
                  (2.0 * h);
}

void fd_jacobian(VectorFn g, double *x, int n, double h, void *ctx, double *jac)
{
    double *g_plus = malloc(sizeof(double) * (size_t)n);
    double *g_minus = malloc(sizeof(double) * (size_t)n);
    if (!g_plus || !g_minus)
        abort();
    for (int j = 0; j < n; j++) {
        double xj = x[j];
        x[j] = xj + h;
        g(x, g_plus, ctx);
        x[j] = xj - h;
        g(x, g_minus, ctx);
        x[j] = xj;
        for (int i = 0; i < n; i++)
            jac[i * n + j] = (g_plus[i] - g_minus[i]) / (2.0 * h);
    }
    free(g_plus);
    free(g_minus);
}

void fd_hessian(ScalarFn f, double *x, int n, double h, void *ctx, double *H)
{
    double f0 = f(x, ctx);
    for (int i = 0; i < n; i++) {
        H[i * n + i] = (f_shifted(f, x, i, h, -1, 0.0, ctx) - 2.0 * f0 +
                        f_shifted(f, x, i, -h, -1, 0.0, ctx)) / (h * h);
        for (int j = i + 1; j < n; j++) {
            H[i * n + j] = (f_shifted(f, x, i, h, j, h, ctx) - f_shifted(f, x, i, h, j, -h, ctx) -
                            f_shifted(f, x, i, -h, j, h, ctx) + f_shifted(f, x, i, -h, j, -h, ctx)) /
                           (4.0 * h * h);
            H[j * n + i] = H[i * n + j];
        }
    }
}

double relative_error(double a, double b, double floor)
{
    double scale = fmax(fmax(fabs(a), fabs(b)), floor);
    return fabs(a - b) / scale;
}

double vector_relative_error(const double *a, const double *b, int n, double floor)
{
    double diff = 0.0, na = 0.0, nb = 0.0;
    for (int i = 0; i < n; i++) {
        diff += (a[i] - b[i]) * (a[i] - b[i]);
        na += a[i] * a[i];
        nb += b[i] * b[i];
    }
    return sqrt(diff) / fmax(fmax(sqrt(na), sqrt(nb)), floor);
}

double max_relative_error(const double *a, const double *b, int n, double floor)
{
    double worst = 0.0;
    for (int i = 0; i < n; i++)
        worst = fmax(worst, relative_error(a[i], b[i], floor));
    return worst;
}
