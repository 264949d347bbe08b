/* ch02_relu.c - the mathematics of chapter 02 (see the header). */
#include "ch02_relu.h"

#include "lib/activations.h"
#include "lib/fdiff.h"

double relu_unit(double b, double w, double x)
{
    double z = b + x * w;
    double a;
    relu_forward(1, &z, &a);
    return a;
}

/* @listing begin ch02_gradient */
/* The chain rule: f = ReLU(z) with z = b + x w, so
 *   df/db = relu'(z) * dz/db = relu'(z) * 1,
 *   df/dw = relu'(z) * dz/dw = relu'(z) * x.            (eq:ch02-gradient) */
void relu_unit_gradient(double b, double w, double x, double g[2])
{
    double z = b + x * w;
    /* @solution begin ch02_gradient */
    double upstream = relu_derivative(z);   /* df/dz, 0 at the kink */
    g[0] = upstream * 1.0;
    g[1] = upstream * x;
    /* @solution end ch02_gradient */
}
/* @listing end ch02_gradient */

typedef struct {
    double x;
} UnitInput;

static double relu_unit_of(const double *bw, void *ctx)
{
    const UnitInput *in = ctx;
    return relu_unit(bw[0], bw[1], in->x);
}

void relu_unit_fd_gradient(double b, double w, double x, double h, double g[2])
{
    double bw[2] = { b, w };
    UnitInput in = { x };
    fd_gradient(relu_unit_of, bw, 2, h, &in, g);
}
