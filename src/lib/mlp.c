#include "mlp.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "activations.h"
#include "dense.h"
#include "losses.h"

static long weight_count(const Mlp *net, int l)
{
    return (long)net->sizes[l + 1] * net->sizes[l];
}

int mlp_create(Mlp *net, int n_layers, const int *sizes, Activation hidden, LossKind loss)
{
    memset(net, 0, sizeof *net);
    if (n_layers < 1 || n_layers > MLP_MAX_LAYERS) {
        fprintf(stderr, "error: a network needs 1 to %d layers, not %d\n", MLP_MAX_LAYERS, n_layers);
        return -1;
    }
    for (int l = 0; l <= n_layers; l++)
        if (sizes[l] < 1) {
            fprintf(stderr, "error: layer %d of the network has %d units\n", l, sizes[l]);
            return -1;
        }
    net->n_layers = n_layers;
    memcpy(net->sizes, sizes, sizeof(int) * (size_t)(n_layers + 1));
    net->hidden = hidden;
    net->loss = loss;
    for (int l = 0; l < n_layers; l++) {
        net->W[l] = calloc((size_t)weight_count(net, l), sizeof(double));
        net->b[l] = calloc((size_t)sizes[l + 1], sizeof(double));
        if (!net->W[l] || !net->b[l]) {
            mlp_free(net);
            fprintf(stderr, "error: out of memory for the network\n");
            return -1;
        }
    }
    return 0;
}

void mlp_free(Mlp *net)
{
    for (int l = 0; l < MLP_MAX_LAYERS; l++) {
        free(net->W[l]);
        free(net->b[l]);
    }
    memset(net, 0, sizeof *net);
}

void mlp_init_random(Mlp *net, Rng *rng)
{
    for (int l = 0; l < net->n_layers; l++) {
        double gain = net->hidden == ACT_RELU ? 2.0 : 1.0;
        double sd = sqrt(gain / net->sizes[l]);
        for (long i = 0; i < weight_count(net, l); i++)
            net->W[l][i] = sd * rng_normal(rng);
        memset(net->b[l], 0, sizeof(double) * (size_t)net->sizes[l + 1]);
    }
}

int mlp_work_create(MlpWork *work, const Mlp *net, int max_rows)
{
    memset(work, 0, sizeof *work);
    work->max_rows = max_rows;
    int widest = 0;
    for (int l = 0; l <= net->n_layers; l++)
        widest = net->sizes[l] > widest ? net->sizes[l] : widest;
    int ok = (work->scratch = malloc(sizeof(double) * (size_t)max_rows * (size_t)widest)) != NULL;
    for (int l = 0; l < net->n_layers && ok; l++) {
        size_t n = (size_t)max_rows * (size_t)net->sizes[l + 1];
        work->z[l] = malloc(sizeof(double) * n);
        work->a[l + 1] = malloc(sizeof(double) * n);
        work->delta[l] = malloc(sizeof(double) * n);
        ok = work->z[l] && work->a[l + 1] && work->delta[l];
    }
    if (!ok) {
        mlp_work_free(work);
        fprintf(stderr, "error: out of memory for a batch of %d\n", max_rows);
        return -1;
    }
    return 0;
}

void mlp_work_free(MlpWork *work)
{
    for (int l = 0; l < MLP_MAX_LAYERS; l++) {
        free(work->z[l]);
        free(work->a[l + 1]);
        free(work->delta[l]);
    }
    free(work->scratch);
    memset(work, 0, sizeof *work);
}

int mlp_grads_create(MlpGrads *grads, const Mlp *net)
{
    memset(grads, 0, sizeof *grads);
    for (int l = 0; l < net->n_layers; l++) {
        grads->dW[l] = calloc((size_t)weight_count(net, l), sizeof(double));
        grads->db[l] = calloc((size_t)net->sizes[l + 1], sizeof(double));
        if (!grads->dW[l] || !grads->db[l]) {
            mlp_grads_free(grads);
            fprintf(stderr, "error: out of memory for the gradients\n");
            return -1;
        }
    }
    return 0;
}

void mlp_grads_free(MlpGrads *grads)
{
    for (int l = 0; l < MLP_MAX_LAYERS; l++) {
        free(grads->dW[l]);
        free(grads->db[l]);
    }
    memset(grads, 0, sizeof *grads);
}

/* @listing begin lib_mlp_forward */
void mlp_forward(const Mlp *net, MlpWork *work, int rows, const double *X)
{
    int L = net->n_layers;
    work->rows = rows;
    work->input = X;
    const double *a_prev = X;                       /* a^[0] = x */
    for (int l = 0; l < L; l++) {                   /* index l: layer l + 1 */
        int n_in = net->sizes[l], n_out = net->sizes[l + 1];
        double *z = work->z[l], *a = work->a[l + 1];    /* z^[l+1], a^[l+1]: rows x n_out */
        /* z^[l+1] = W^[l+1] a^[l] + b^[l+1] */
        dense_forward(rows, n_in, n_out, a_prev, net->W[l], net->b[l], z);
        if (l == L - 1)
            softmax_forward(rows, n_out, z, a);         /* f = softmax(z^[L]) */
        else if (net->hidden == ACT_RELU)
            relu_forward(rows * n_out, z, a);           /* a^[l+1] = g(z^[l+1]) */
        else
            sigmoid_forward(rows * n_out, z, a);
        a_prev = a;
    }
}
/* @listing end lib_mlp_forward */

double mlp_loss(const Mlp *net, const MlpWork *work, const double *Y)
{
    int L = net->n_layers, k = net->sizes[L];
    if (net->loss == LOSS_QUADRATIC)
        return quadratic_loss(work->rows, k, work->a[L], Y);
    return cross_entropy_loss(work->rows, k, work->a[L], Y);
}

/* @listing begin lib_mlp_backward */
void mlp_backward(const Mlp *net, MlpWork *work, const double *Y, MlpGrads *grads)
{
    int L = net->n_layers, rows = work->rows, k = net->sizes[L];
    const double *f = work->a[L];                   /* rows x k */
    double *delta_out = work->delta[L - 1];         /* delta^[L] = dL/dz^[L]: rows x k */
    double *df = work->scratch;                     /* dL/df: rows x k */
    if (net->loss == LOSS_CROSS_ENTROPY) {
        softmax_cross_entropy_backward(rows, k, f, Y, delta_out);  /* f - y */
    } else {
        quadratic_loss_backward(rows, k, f, Y, df);                /* dL/df = f - y */
        softmax_backward(rows, k, f, df, delta_out);               /* J^T (f - y) */
    }
    for (int l = L - 1; l >= 0; l--) {              /* index l: layer l + 1 */
        int n_in = net->sizes[l], n_out = net->sizes[l + 1];
        const double *a_prev = l > 0 ? work->a[l] : work->input; /* a^[l]: rows x n_in */
        const double *delta = work->delta[l];               /* delta^[l+1]: rows x n_out */
        double *da_prev = l > 0 ? work->scratch : NULL;     /* dL/da^[l]: rows x n_in */
        /* dW^[l+1] = delta^[l+1]^T a^[l], db^[l+1] = sum of delta^[l+1],
         * and dL/da^[l] = delta^[l+1] W^[l+1]. */
        dense_backward(rows, n_in, n_out, a_prev, net->W[l], delta,
                       grads->dW[l], grads->db[l], da_prev);
        if (l == 0)
            break;
        const double *z_prev = work->z[l - 1];              /* z^[l]: rows x n_in */
        double *delta_prev = work->delta[l - 1];            /* delta^[l]: rows x n_in */
        /* delta^[l] = dL/da^[l] * g'(z^[l]) */
        if (net->hidden == ACT_RELU)
            relu_backward(rows * n_in, z_prev, da_prev, delta_prev);
        else
            sigmoid_backward(rows * n_in, a_prev, da_prev, delta_prev);
    }
}
/* @listing end lib_mlp_backward */

void mlp_sgd_step(Mlp *net, const MlpGrads *grads, double lr)
{
    for (int l = 0; l < net->n_layers; l++) {
        for (long i = 0; i < weight_count(net, l); i++)
            net->W[l][i] -= lr * grads->dW[l][i];
        for (int i = 0; i < net->sizes[l + 1]; i++)
            net->b[l][i] -= lr * grads->db[l][i];
    }
}
