/* ch03_backprop.c - the mathematics of chapter 03 (see the header). */
#include "ch03_backprop.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "lib/activations.h"

/* Layer l = 1, 2, 3 is index l - 1 of z and delta, and a^[l] is a[l]
 * (a[3] = f): see src/lib/mlp.h. */
Ch03Views ch03_views(const MlpWork *work)
{
    return (Ch03Views){ .z1 = work->z[0], .a1 = work->a[1], .z2 = work->z[1], .a2 = work->a[2],
                        .z3 = work->z[2], .f = work->a[3], .delta1 = work->delta[0],
                        .delta2 = work->delta[1], .delta3 = work->delta[2] };
}

/* @listing begin ch03_forward_sums */
static void forward_by_sums(const Mlp *net, const double *x, MlpWork *work)
{
    int d = net->sizes[0], H1 = net->sizes[1], H2 = net->sizes[2], K = net->sizes[3];
    const double *W1 = net->W[0], *W2 = net->W[1], *W3 = net->W[2];
    const double *b1 = net->b[0], *b2 = net->b[1], *b3 = net->b[2];
    const Ch03Views v = ch03_views(work);
    double *z1 = v.z1, *a1 = v.a1;              /* H1 */
    double *z2 = v.z2, *a2 = v.a2;              /* H2 */
    double *z3 = v.z3, *f = v.f;                /* K */
    for (int i = 0; i < H1; i++) {              /* z^[1]_i = b^[1]_i + sum_j w^[1]_ij x_j */
        z1[i] = b1[i];
        for (int j = 0; j < d; j++)
            z1[i] += W1[i * d + j] * x[j];
        a1[i] = z1[i] > 0.0 ? z1[i] : 0.0;
    }
    for (int m = 0; m < H2; m++) {              /* z^[2]_m = b^[2]_m + sum_i w^[2]_mi a^[1]_i */
        z2[m] = b2[m];
        for (int i = 0; i < H1; i++)
            z2[m] += W2[m * H1 + i] * a1[i];
        a2[m] = z2[m] > 0.0 ? z2[m] : 0.0;
    }
    for (int k = 0; k < K; k++) {               /* z^[3]_k = b^[3]_k + sum_m w^[3]_km a^[2]_m */
        z3[k] = b3[k];
        for (int m = 0; m < H2; m++)
            z3[k] += W3[k * H2 + m] * a2[m];
    }
    softmax_forward(1, K, z3, f);               /* f_k = exp(z_k) / sum_l exp(z_l) */
    work->rows = 1;
    work->input = x;
}
/* @listing end ch03_forward_sums */

/* @listing begin ch03_backward_sums */
void backprop_by_sums(const Mlp *net, const double *x, const double *y,
                      MlpWork *work, MlpGrads *g)
{
    int d = net->sizes[0], H1 = net->sizes[1], H2 = net->sizes[2], K = net->sizes[3];
    const double *W2 = net->W[1], *W3 = net->W[2];
    forward_by_sums(net, x, work);
    const Ch03Views v = ch03_views(work);
    const double *z1 = v.z1, *a1 = v.a1, *z2 = v.z2, *a2 = v.a2, *f = v.f;
    double *delta1 = v.delta1, *delta2 = v.delta2, *delta3 = v.delta3;   /* H1, H2, K */

    /* @solution begin ch03_deltas */
    for (int k = 0; k < K; k++) {    /* (eq:ch03-delta3) */
        delta3[k] = 0.0;
        if (net->loss == LOSS_CROSS_ENTROPY) {
            delta3[k] = f[k] - y[k];
            continue;
        }
        for (int l = 0; l < K; l++)  /* sum_l (f_l - y_l) df_l/dz_k */
            delta3[k] += (f[l] - y[l]) * f[l] * ((l == k) - f[k]);
    }
    for (int m = 0; m < H2; m++) {   /* (eq:ch03-delta2) */
        double sum = 0.0;
        for (int k = 0; k < K; k++)
            sum += W3[k * H2 + m] * delta3[k];
        delta2[m] = relu_derivative(z2[m]) * sum;
    }
    for (int i = 0; i < H1; i++) {   /* (eq:ch03-delta1) */
        double sum = 0.0;
        for (int m = 0; m < H2; m++)
            sum += W2[m * H1 + i] * delta2[m];
        delta1[i] = relu_derivative(z1[i]) * sum;
    }
    /* @solution end ch03_deltas */
    /* @listing end ch03_backward_sums */

    /* @listing begin ch03_gradient_sums */
    /* (eq:ch03-gradients): dL/dw_ij = delta_i times the input to the weight,
     * dL/db_i = delta_i, in every layer. */
    for (int k = 0; k < K; k++) {
        g->db[2][k] = delta3[k];
        for (int m = 0; m < H2; m++)
            g->dW[2][k * H2 + m] = delta3[k] * a2[m];
    }
    for (int m = 0; m < H2; m++) {
        g->db[1][m] = delta2[m];
        for (int i = 0; i < H1; i++)
            g->dW[1][m * H1 + i] = delta2[m] * a1[i];
    }
    for (int i = 0; i < H1; i++) {
        g->db[0][i] = delta1[i];
        for (int j = 0; j < d; j++)
            g->dW[0][i * d + j] = delta1[i] * x[j];
    }
}
/* @listing end ch03_gradient_sums */

/* @listing begin ch03_chain_rule */
double first_layer_gradient_by_chain_rule(const Mlp *net, const MlpWork *work,
                                          const double *y, int i, int j)
{
    int H1 = net->sizes[1], H2 = net->sizes[2], K = net->sizes[3];
    const double *W2 = net->W[1], *W3 = net->W[2];
    const Ch03Views v = ch03_views(work);
    const double *z1 = v.z1, *z2 = v.z2, *f = v.f;    /* H1, H2, K */
    const double *x = work->input;                   /* d */
    double total = 0.0;
    for (int k = 0; k < K; k++)
        for (int l = 0; l < K; l++)
            for (int m = 0; m < H2; m++)
                total += (f[l] - y[l])                   /* dL/df_l         */
                       * f[l] * ((l == k) - f[k])        /* df_l/dz^[3]_k   */
                       * W3[k * H2 + m]                  /* dz^[3]_k/da^[2]_m */
                       * relu_derivative(z2[m])          /* da^[2]_m/dz^[2]_m */
                       * W2[m * H1 + i]                  /* dz^[2]_m/da^[1]_i */
                       * relu_derivative(z1[i])          /* da^[1]_i/dz^[1]_i */
                       * x[j];                           /* dz^[1]_i/dw^[1]_ij */
    return total;
}
/* @listing end ch03_chain_rule */

double smallest_live_preactivation(const Mlp *net, int rows, const double *X)
{
    MlpWork work;
    if (mlp_work_create(&work, net, rows) != 0)
        abort();
    mlp_forward(net, &work, rows, X);
    double smallest = INFINITY;
    for (int l = 0; l < net->n_layers - 1; l++) {
        int n = net->sizes[l + 1];
        for (int u = 0; u < n; u++) {
            double closest = INFINITY, largest = -INFINITY;
            for (int r = 0; r < rows; r++) {
                double z = work.z[l][(long)r * n + u];
                closest = fmin(closest, fabs(z));
                largest = fmax(largest, z);
            }
            if (largest >= -1.0)          /* a live unit */
                smallest = fmin(smallest, closest);
        }
    }
    mlp_work_free(&work);
    return smallest;
}

void random_network(Mlp *net, const int sizes[4], LossKind loss, Rng *rng)
{
    if (mlp_create(net, 3, sizes, ACT_RELU, loss) != 0)
        exit(1);
    mlp_init_random(net, rng);
    for (int l = 0; l < 3; l++)
        for (int i = 0; i < sizes[l + 1]; i++)
            net->b[l][i] = 0.1 * rng_normal(rng);
}

void random_batch(const Mlp *net, int rows, double *X, double *Y, Rng *rng)
{
    int d = net->sizes[0], K = net->sizes[3];
    do {
        for (int i = 0; i < rows * d; i++)
            X[i] = rng_normal(rng);
    } while (smallest_live_preactivation(net, rows, X) < 1e-3);
    for (int r = 0; r < rows; r++) {
        int label = (int)rng_below(rng, (uint64_t)K);
        for (int k = 0; k < K; k++)
            Y[r * K + k] = k == label;
    }
}

const int CH03_SHAPES[CH03_N_SHAPES][5] = {
    { 3, 4, 3, 2, 1 }, { 6, 5, 4, 3, 4 }, { 10, 8, 6, 4, 8 }, { 20, 16, 12, 10, 16 },
};

/* The larger of a and b, where NaN counts as the largest of all. */
static double worse(double a, double b)
{
    return isnan(a) || a > b ? a : b;
}

static double max_abs_diff(const double *a, const double *b, long n)
{
    double worst = 0.0;
    for (long i = 0; i < n; i++)
        worst = worse(fabs(a[i] - b[i]), worst);
    return worst;
}

/* On one network and one sample: the largest difference between the sums'
 * deltas and gradients and the matrix code's, and (quadratic loss) between
 * dL/dW^[1] by the chain rule and the matrix code's. */
static double sums_against_matrices(const Mlp *net, Rng *rng, double *chain_diff)
{
    MlpWork wm, ws;
    MlpGrads gm, gs;
    if (mlp_work_create(&wm, net, 1) || mlp_work_create(&ws, net, 1) ||
        mlp_grads_create(&gm, net) || mlp_grads_create(&gs, net))
        exit(1);
    const int *n = net->sizes;
    double x[32], y[16];                /* d <= 32, K <= 16 */
    random_batch(net, 1, x, y, rng);
    mlp_forward(net, &wm, 1, x);
    mlp_backward(net, &wm, y, &gm);
    backprop_by_sums(net, x, y, &ws, &gs);
    double diff = 0.0;
    for (int l = 0; l < 3; l++) {
        diff = worse(max_abs_diff(wm.delta[l], ws.delta[l], n[l + 1]), diff);
        diff = worse(max_abs_diff(gm.dW[l], gs.dW[l], (long)n[l + 1] * n[l]), diff);
        diff = worse(max_abs_diff(gm.db[l], gs.db[l], n[l + 1]), diff);
    }
    *chain_diff = 0.0;
    if (net->loss == LOSS_QUADRATIC)
        for (int i = 0; i < n[1]; i++)
            for (int j = 0; j < n[0]; j++)
                *chain_diff = worse(fabs(first_layer_gradient_by_chain_rule(net, &ws, y, i, j) -
                                         gm.dW[0][i * n[0] + j]), *chain_diff);
    mlp_work_free(&wm);
    mlp_work_free(&ws);
    mlp_grads_free(&gm);
    mlp_grads_free(&gs);
    return diff;
}

double compare_sums_with_matrices(Rng *rng, double *chain_diff)
{
    double diff = 0.0, chain = 0.0;
    for (int s = 0; s < CH03_N_SHAPES; s++)
        for (int loss = 0; loss < 2; loss++) {
            Mlp net;
            double net_chain;
            random_network(&net, CH03_SHAPES[s], loss == 0 ? LOSS_QUADRATIC : LOSS_CROSS_ENTROPY, rng);
            diff = worse(sums_against_matrices(&net, rng, &net_chain), diff);
            chain = worse(net_chain, chain);
            mlp_free(&net);
        }
    if (chain_diff)
        *chain_diff = chain;
    return diff;
}

/* The worked example: small weights a reader can follow by hand. */
const int CH03_EXAMPLE_SIZES[4] = { 2, 2, 2, 3 };
static const double EXAMPLE_W1[] = { 0.5, -0.5, 1.0, 0.5 }, EXAMPLE_B1[] = { 1.0, -1.0 };
static const double EXAMPLE_W2[] = { 1.0, -1.0, 0.5, 1.0 }, EXAMPLE_B2[] = { 1.0, 0.0 };
static const double EXAMPLE_W3[] = { 1.0, 0.0, 0.0, 1.0, -1.0, 1.0 }, EXAMPLE_B3[] = { 0.0, 0.0, 0.0 };
static const double EXAMPLE_X[] = { 1.0, 2.0 }, EXAMPLE_Y[] = { 1.0, 0.0, 0.0 };

void ch03_example(Mlp *net, double x[2], double y[3])
{
    if (mlp_create(net, 3, CH03_EXAMPLE_SIZES, ACT_RELU, LOSS_QUADRATIC) != 0)
        exit(1);
    const double *W[3] = { EXAMPLE_W1, EXAMPLE_W2, EXAMPLE_W3 }, *b[3] = { EXAMPLE_B1, EXAMPLE_B2, EXAMPLE_B3 };
    for (int l = 0; l < 3; l++) {
        int rows = CH03_EXAMPLE_SIZES[l + 1], cols = CH03_EXAMPLE_SIZES[l];
        for (int i = 0; i < rows * cols; i++)
            net->W[l][i] = W[l][i];
        for (int i = 0; i < rows; i++)
            net->b[l][i] = b[l][i];
    }
    for (int j = 0; j < 2; j++)
        x[j] = EXAMPLE_X[j];
    for (int k = 0; k < 3; k++)
        y[k] = EXAMPLE_Y[k];
}

double ch03_loss_from(const Mlp *net, int layer, const double *z, const double *y)
{
    double cur[64], next[64];
    int n = net->sizes[layer];
    for (int u = 0; u < n; u++)
        cur[u] = z[u];
    for (int l = layer; l < 3; l++) {         /* a = ReLU(z), then the next layer's z */
        int rows = net->sizes[l + 1], cols = net->sizes[l];
        for (int r = 0; r < rows; r++) {
            next[r] = net->b[l][r];
            for (int c = 0; c < cols; c++)
                next[r] += net->W[l][r * cols + c] * (cur[c] > 0.0 ? cur[c] : 0.0);
        }
        for (int r = 0; r < rows; r++)
            cur[r] = next[r];
        n = rows;
    }
    double top = cur[0], sum = 0.0, loss = 0.0;   /* softmax, then 1/2 |f - y|^2 */
    for (int k = 1; k < n; k++)
        top = fmax(top, cur[k]);
    for (int k = 0; k < n; k++)
        sum += exp(cur[k] - top);
    for (int k = 0; k < n; k++) {
        double f = exp(cur[k] - top) / sum;
        loss += 0.5 * (f - y[k]) * (f - y[k]);
    }
    return loss;
}

double ch03_delta_by_difference(const Mlp *net, int layer, const double *z, int u,
                                const double *y, double h)
{
    double moved[64];
    int n = net->sizes[layer];
    for (int i = 0; i < n; i++)
        moved[i] = z[i];
    moved[u] = z[u] + h;
    double up = ch03_loss_from(net, layer, moved, y);
    moved[u] = z[u] - h;
    return (up - ch03_loss_from(net, layer, moved, y)) / (2.0 * h);
}
