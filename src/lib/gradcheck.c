#include "gradcheck.h"

#include <math.h>
#include <stdlib.h>

#include "fdiff.h"

static double loss_at(const Mlp *net, MlpWork *work, int rows, const double *X, const double *Y)
{
    mlp_forward(net, work, rows, X);
    return mlp_loss(net, work, Y);
}

/* The relative error of one parameter tensor p (n values, gradient g),
 * perturbing each value by +-h in place. */
static double tensor_check(Mlp *net, MlpWork *work, double *p, const double *g, long n,
                           int rows, const double *X, const double *Y, double h)
{
    double *fd = malloc(sizeof(double) * (size_t)n);
    if (!fd)
        abort();
    for (long i = 0; i < n; i++) {
        double saved = p[i];
        p[i] = saved + h;
        double plus = loss_at(net, work, rows, X, Y);
        p[i] = saved - h;
        double minus = loss_at(net, work, rows, X, Y);
        p[i] = saved;
        fd[i] = (plus - minus) / (2.0 * h);
    }
    double err = vector_relative_error(g, fd, (int)n, 1e-300);
    free(fd);
    return err;
}

double network_gradient_check(Mlp *net, int rows, const double *X, const double *Y, double h)
{
    MlpWork work;
    MlpGrads grads;
    if (mlp_work_create(&work, net, rows) != 0 || mlp_grads_create(&grads, net) != 0)
        abort();
    mlp_forward(net, &work, rows, X);
    mlp_backward(net, &work, Y, &grads);
    double worst = 0.0;
    for (int l = 0; l < net->n_layers; l++) {
        long nw = (long)net->sizes[l + 1] * net->sizes[l];
        double w = tensor_check(net, &work, net->W[l], grads.dW[l], nw, rows, X, Y, h);
        double b = tensor_check(net, &work, net->b[l], grads.db[l], net->sizes[l + 1], rows, X, Y, h);
        double s = net->Ws[l] ? tensor_check(net, &work, net->Ws[l], grads.dWs[l], nw, rows, X, Y, h) : 0.0;
        /* fmax would drop a NaN: a NaN error is the worst there is. */
        worst = isnan(w) || isnan(b) || isnan(s) ? INFINITY : fmax(worst, fmax(s, fmax(w, b)));
        if (isinf(worst))
            break;
    }
    mlp_work_free(&work);
    mlp_grads_free(&grads);
    return worst;
}
