#include "fdiff.h"

#include <math.h>
#include <stdlib.h>

void fd_gradient(ScalarFn f, double *x, int n, double h, void *ctx, double *grad)
{
    for (int i = 0; i < n; i++) {
        double xi = x[i];
        x[i] = xi + h;
        double f_plus = f(x, ctx);
        x[i] = xi - h;
        double f_minus = f(x, ctx);
        x[i] = xi;
        grad[i] = (f_plus - f_minus) / (2.0 * h);
    }
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
        double xi = x[i];
        x[i] = xi + h;
        double f_plus = f(x, ctx);
        x[i] = xi - h;
        double f_minus = f(x, ctx);
        x[i] = xi;
        H[i * n + i] = (f_plus - 2.0 * f0 + f_minus) / (h * h);
        for (int j = i + 1; j < n; j++) {
            double xj = x[j], corner[4];
            for (int c = 0; c < 4; c++) {   /* (+,+), (+,-), (-,+), (-,-) */
                x[i] = c < 2 ? xi + h : xi - h;
                x[j] = c % 2 == 0 ? xj + h : xj - h;
                corner[c] = f(x, ctx);
            }
            x[i] = xi;
            x[j] = xj;
            H[i * n + j] = (corner[0] - corner[1] - corner[2] + corner[3]) / (4.0 * h * h);
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
