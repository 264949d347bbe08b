#include "mlp.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "activations.h"
#include "dense.h"
#include "losses.h"
#include "residual.h"

static long weight_count(const Mlp *net, int l)
{
    return (long)net->sizes[l + 1] * net->sizes[l];
}

int mlp_create(Mlp *net, int n_layers, const int *sizes, Activation hidden, LossKind loss)
{
    return mlp_create_residual(net, n_layers, sizes, NULL, hidden, loss);
}

int mlp_create_residual(Mlp *net, int n_layers, const int *sizes, const SkipKind *skips,
                        Activation hidden, LossKind loss)
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
    for (int l = 0; l < n_layers && skips; l++)
        if (residual_check_shape(l + 1, sizes[l], sizes[l + 1], skips[l], l == n_layers - 1) != 0)
            return -1;
    net->n_layers = n_layers;
    memcpy(net->sizes, sizes, sizeof(int) * (size_t)(n_layers + 1));
    net->hidden = hidden;
    net->loss = loss;
    for (int l = 0; l < n_layers; l++) {
        net->W[l] = calloc((size_t)weight_count(net, l), sizeof(double));
        net->b[l] = calloc((size_t)sizes[l + 1], sizeof(double));
        net->skip[l] = skips ? skips[l] : SKIP_NONE;
        if (net->skip[l] == SKIP_PROJECTION)
            net->Ws[l] = calloc((size_t)weight_count(net, l), sizeof(double));
        if (!net->W[l] || !net->b[l] || (net->skip[l] == SKIP_PROJECTION && !net->Ws[l])) {
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
        free(net->Ws[l]);
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
        for (long i = 0; net->Ws[l] && i < weight_count(net, l); i++)
            net->Ws[l][i] = sd * rng_normal(rng);
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
        if (net->skip[l] != SKIP_NONE)
            work->dy[l] = malloc(sizeof(double) * n);
        ok = work->z[l] && work->a[l + 1] && work->delta[l] && (net->skip[l] == SKIP_NONE || work->dy[l]);
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
        free(work->dy[l]);
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
        if (net->skip[l] == SKIP_PROJECTION)
            grads->dWs[l] = calloc((size_t)weight_count(net, l), sizeof(double));
        if (!grads->dW[l] || !grads->db[l] || (net->skip[l] == SKIP_PROJECTION && !grads->dWs[l])) {
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
        free(grads->dWs[l]);
    }
    memset(grads, 0, sizeof *grads);
}

/* Layer index l of net as a residual block. */
static ResidualBlock mlp_block(const Mlp *net, int l)
{
    ResidualBlock blk = { .n_in = net->sizes[l], .n_out = net->sizes[l + 1], .g = net->hidden,
                          .skip = net->skip[l], .W = net->W[l], .b = net->b[l], .Ws = net->Ws[l] };
    return blk;
}

/* @listing begin lib_mlp_forward */
void mlp_forward(const Mlp *net, MlpWork *work, int rows, const double *X)
{
    int D = net->n_layers;
    work->rows = rows;
    work->input = X;
    const double *a_prev = X;                       /* a^[0] = x */
    for (int l = 0; l < D; l++) {                   /* index l: layer l + 1 */
        int n_in = net->sizes[l], n_out = net->sizes[l + 1];
        double *z = work->z[l], *a = work->a[l + 1];    /* z^[l+1], a^[l+1]: rows x n_out */
        if (net->skip[l] != SKIP_NONE) {               /* a residual block (chapter 7) */
            ResidualBlock blk = mlp_block(net, l);
            residual_forward(&blk, rows, a_prev, z, a);
            a_prev = a;
            continue;
        }
        /* z^[l+1] = W^[l+1] a^[l] + b^[l+1] */
        dense_forward(rows, n_in, n_out, a_prev, net->W[l], net->b[l], z);
        if (l == D - 1)
            softmax_forward(rows, n_out, z, a);         /* f = softmax(z^[D]) */
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
    int D = net->n_layers, k = net->sizes[D];
    if (net->loss == LOSS_QUADRATIC)
        return quadratic_loss(work->rows, k, work->a[D], Y);
    return cross_entropy_loss(work->rows, k, work->a[D], Y);
}

/* The backward pass through the residual block at index l, from
 * dL/da^[l+1] in work->dy[l]: its delta, its gradients, and dL/da^[l]. */
static void block_backward(const Mlp *net, MlpWork *work, int l, MlpGrads *grads, double *da_prev)
{
    ResidualBlock blk = mlp_block(net, l);
    ResidualGrads g = { .dW = grads->dW[l], .db = grads->db[l], .dWs = grads->dWs[l] };
    const double *a_prev = l > 0 ? work->a[l] : work->input;
    residual_backward(&blk, work->rows, a_prev, work->z[l], work->dy[l], work->delta[l], &g, da_prev);
}

/* @listing begin lib_mlp_backward */
void mlp_backward(const Mlp *net, MlpWork *work, const double *Y, MlpGrads *grads)
{
    int D = net->n_layers, rows = work->rows, k = net->sizes[D];
    const double *f = work->a[D];                   /* rows x k */
    double *delta_out = work->delta[D - 1];         /* delta^[D] = dL/dz^[D]: rows x k */
    double *df = work->scratch;                     /* dL/df: rows x k */
    if (net->loss == LOSS_CROSS_ENTROPY) {
        softmax_cross_entropy_backward(rows, k, f, Y, delta_out);  /* f - y */
    } else {
        quadratic_loss_backward(rows, k, f, Y, df);                /* dL/df = f - y */
        softmax_backward(rows, k, f, df, delta_out);               /* J^T (f - y) */
    }
    for (int l = D - 1; l >= 0; l--) {              /* index l: layer l + 1 */
        int n_in = net->sizes[l], n_out = net->sizes[l + 1];
        const double *a_prev = l > 0 ? work->a[l] : work->input; /* a^[l]: rows x n_in */
        const double *delta = work->delta[l];               /* delta^[l+1]: rows x n_out */
        double *da_prev = l == 0 ? NULL                     /* dL/da^[l]: rows x n_in */
                          : net->skip[l - 1] != SKIP_NONE ? work->dy[l - 1] : work->scratch;
        if (net->skip[l] != SKIP_NONE) {
            block_backward(net, work, l, grads, da_prev);   /* chapter 7 */
        } else {
            /* dW^[l+1] = delta^[l+1]^T a^[l], db^[l+1] = sum of delta^[l+1],
             * and dL/da^[l] = delta^[l+1] W^[l+1]. */
            dense_backward(rows, n_in, n_out, a_prev, net->W[l], delta,
                           grads->dW[l], grads->db[l], da_prev);
        }
        if (l == 0 || net->skip[l - 1] != SKIP_NONE)        /* a block finds its own delta */
            continue;
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
        for (long i = 0; net->Ws[l] && i < weight_count(net, l); i++)
            net->Ws[l][i] -= lr * grads->dWs[l][i];
        for (int i = 0; i < net->sizes[l + 1]; i++)
            net->b[l][i] -= lr * grads->db[l][i];
    }
}
