/* ch07_residual.c - the mathematics of chapter 07 (see the header). */
#include "ch07_residual.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/activations.h"
#include "lib/fdiff.h"
#include "lib/linalg.h"
#include "lib/mnist.h"

void elementwise_block_gradient(const ResidualBlock *blk, const double *x, const double *dy,
                                double *dx)
{
    /* dL/dx_i = dL/dy_i (g'(x_i) + 1) (eq:ch07-mistake): g' taken at the
     * input x instead of z = W x + b, and W left out. */
    for (int i = 0; i < blk->n_in; i++) {
        double slope = blk->g == ACT_RELU ? relu_derivative(x[i]) : sigmoid_derivative(x[i]);
        dx[i] = dy[i] * (slope + 1.0);
    }
}

/* Output i of the block at x, for the finite differences. */
typedef struct {
    const ResidualBlock *blk;
    int i;
    double *z, *y;
} OutputOf;

static double block_output(const double *x, void *ctx)
{
    OutputOf *o = ctx;
    residual_forward(o->blk, 1, x, o->z, o->y);
    return o->y[o->i];
}

double block_jacobian_check(const ResidualBlock *blk, const double *x, double h)
{
    int n_in = blk->n_in, n_out = blk->n_out;
    double *J = malloc(sizeof(double) * (size_t)(n_out * n_in));
    double *fd = malloc(sizeof(double) * (size_t)(n_out * n_in));
    double *z = malloc(sizeof(double) * (size_t)n_out), *y = malloc(sizeof(double) * (size_t)n_out);
    double *xc = malloc(sizeof(double) * (size_t)n_in);
    if (!J || !fd || !z || !y || !xc)
        abort();
    memcpy(xc, x, sizeof(double) * (size_t)n_in);
    residual_forward(blk, 1, x, z, y);
    residual_jacobian(blk, z, J);
    for (int i = 0; i < n_out; i++) {        /* row i of J: the gradient of y_i */
        OutputOf o = { blk, i, z, y };
        fd_gradient(block_output, xc, n_in, h, &o, fd + (long)i * n_in);
    }
    double err = vector_relative_error(J, fd, n_out * n_in, 1e-300);
    free(J);
    free(fd);
    free(z);
    free(y);
    free(xc);
    return err;
}

double block_backward_check(const ResidualBlock *blk, int rows, const double *X, const double *dY)
{
    int n_in = blk->n_in, n_out = blk->n_out;
    long nw = (long)n_out * n_in;
    double *Z = malloc(sizeof(double) * (size_t)(rows * n_out));
    double *Y = malloc(sizeof(double) * (size_t)(rows * n_out));
    double *delta = malloc(sizeof(double) * (size_t)(rows * n_out));
    double *dX = malloc(sizeof(double) * (size_t)(rows * n_in));
    double *J = malloc(sizeof(double) * (size_t)nw), *JTdy = malloc(sizeof(double) * (size_t)n_in);
    double *dW = malloc(sizeof(double) * (size_t)nw), *dWs = malloc(sizeof(double) * (size_t)nw);
    double *db = malloc(sizeof(double) * (size_t)n_out);
    if (!Z || !Y || !delta || !dX || !J || !JTdy || !dW || !dWs || !db)
        abort();
    residual_forward(blk, rows, X, Z, Y);
    ResidualGrads g = { dW, db, dWs };
    residual_backward(blk, rows, X, Z, dY, delta, &g, dX);
    double worst = 0.0;
    for (int r = 0; r < rows; r++) {
        residual_jacobian(blk, Z + (long)r * n_out, J);
        for (int j = 0; j < n_in; j++) {     /* (J^T dy)_j = sum_i J_ij dy_i */
            JTdy[j] = 0.0;
            for (int i = 0; i < n_out; i++)
                JTdy[j] += J[(long)i * n_in + j] * dY[(long)r * n_out + i];
        }
        double err = vector_relative_error(dX + (long)r * n_in, JTdy, n_in, 1e-300);
        worst = isnan(err) ? INFINITY : fmax(worst, err);
    }
    free(Z);
    free(Y);
    free(delta);
    free(dX);
    free(J);
    free(JTdy);
    free(dW);
    free(dWs);
    free(db);
    return worst;
}

/* @listing begin ch07_singular */
int find_singular_block(Rng *rng, SingularBlock *s)
{
    enum { N = SINGULAR_N };
    double R[N * N], re[N], im[N];
    for (int i = 0; i < N * N; i++)
        R[i] = rng_normal(rng);
    if (eigenvalues(N, R, re, im) != 0)
        return -1;
    int k = -1;            /* the largest real eigenvalue (N is odd, so there is one) */
    for (int i = 0; i < N; i++)
        if (fabs(im[i]) <= 1e-12 * fabs(re[i]) && (k < 0 || fabs(re[i]) > fabs(re[k])))
            k = i;
    if (k < 0)
        return -1;
    s->lambda = re[k];
    /* W = -4 R / lambda has the eigenvalue -4; with z = 0 every unit has
     * g'(z) = 1/4, so J = I + W/4 (eq:ch07-jacobian) has the eigenvalue 0. */
    for (int i = 0; i < N * N; i++)
        s->W[i] = -4.0 * R[i] / s->lambda;
    for (int i = 0; i < N; i++)
        s->x[i] = rng_normal(rng);
    for (int i = 0; i < N; i++) {          /* b = -W x, so that z = W x + b = 0 */
        s->b[i] = 0.0;
        for (int j = 0; j < N; j++)
            s->b[i] -= s->W[i * N + j] * s->x[j];
    }
    /* @listing end ch07_singular */

    /* @listing begin ch07_singular_measure */
    ResidualBlock blk = { N, N, ACT_SIGMOID, SKIP_IDENTITY, s->W, s->b, NULL };
    double y[N], delta[N], dW[N * N], db[N], sv[N], U[N * N], VT[N * N];
    residual_forward(&blk, 1, s->x, s->z, y);
    residual_jacobian(&blk, s->z, s->J);
    s->det = determinant(N, s->J);
    if (svd(N, s->J, sv, U, VT) != 0)
        return -1;
    s->sigma_min = sv[N - 1];
    for (int i = 0; i < N; i++)            /* column N - 1 of U */
        s->u[i] = U[i * N + N - 1];
    /* A loss with dL/dy = u: the backward pass sends nothing to x. */
    ResidualGrads g = { dW, db, NULL };
    residual_backward(&blk, 1, s->x, s->z, s->u, delta, &g, s->dx);
    elementwise_block_gradient(&blk, s->x, s->u, s->dx_elementwise);
    return 0;
}
/* @listing end ch07_singular_measure */

int deep_network(Mlp32 *net, int depth, int width, int skips)
{
    int sizes[MLP_MAX_LAYERS + 1];
    SkipKind kinds[MLP_MAX_LAYERS];
    if (depth < 1 || depth + 1 > MLP_MAX_LAYERS) {
        fprintf(stderr, "error: a deep network needs 1 to %d hidden layers, not %d\n",
                MLP_MAX_LAYERS - 1, depth);
        return -1;
    }
    sizes[0] = 784;
    for (int l = 1; l <= depth; l++)
        sizes[l] = width;
    sizes[depth + 1] = MNIST_CLASSES;
    for (int l = 0; l <= depth; l++)
        kinds[l] = skips && l >= 1 && l < depth ? SKIP_IDENTITY : SKIP_NONE;
    return mlp32_create_residual(net, depth + 1, sizes, kinds, ACT_SIGMOID, OUTPUT_SOFTMAX);
}

int mlp_from_mlp32(Mlp *dst, const Mlp32 *src, LossKind loss)
{
    if (mlp_create_residual(dst, src->n_layers, src->sizes, src->skip, src->hidden, loss) != 0)
        return -1;
    for (int l = 0; l < src->n_layers; l++) {
        long nw = (long)src->sizes[l + 1] * src->sizes[l];
        for (long i = 0; i < nw; i++) {
            dst->W[l][i] = src->W[l][i];
            if (src->Ws[l])
                dst->Ws[l][i] = src->Ws[l][i];
        }
        for (int i = 0; i < src->sizes[l + 1]; i++)
            dst->b[l][i] = src->b[l][i];
    }
    return 0;
}

int layer_gradient_norms(const Mlp *net, int rows, const double *X, const double *Y, double *norms)
{
    MlpWork work;
    MlpGrads grads;
    if (mlp_work_create(&work, net, rows) != 0)
        return -1;
    if (mlp_grads_create(&grads, net) != 0) {
        mlp_work_free(&work);
        return -1;
    }
    mlp_forward(net, &work, rows, X);
    mlp_backward(net, &work, Y, &grads);
    for (int l = 0; l < net->n_layers; l++)
        norms[l] = vec_norm(net->sizes[l + 1] * net->sizes[l], grads.dW[l]);
    mlp_work_free(&work);
    mlp_grads_free(&grads);
    return 0;
}

int hidden_statistics(const Mlp *net, int rows, const double *X, double *saturated,
                      double *last_mean)
{
    MlpWork work;
    if (mlp_work_create(&work, net, rows) != 0)
        return -1;
    mlp_forward(net, &work, rows, X);
    int L = net->n_layers;
    long flat = 0, units = 0;
    for (int l = 0; l < L - 1; l++)
        for (long i = 0; i < (long)rows * net->sizes[l + 1]; i++, units++) {
            double z = work.z[l][i];
            double slope = net->hidden == ACT_RELU ? relu_derivative(z) : sigmoid_derivative(z);
            flat += slope < 0.01;
        }
    *saturated = units ? (double)flat / units : 0.0;
    long n = (long)rows * net->sizes[L - 1];
    *last_mean = 0.0;
    for (long i = 0; i < n; i++)
        *last_mean += work.a[L - 1][i] / n;
    mlp_work_free(&work);
    return 0;
}

/* The fixture's tensor PREFIX.WHAT with count values (any count when 0),
 * or NULL after a message naming the file. */
static const Tensor *fixture_tensor(const Fixture *fx, const char *path, const char *prefix,
                                    const char *what, size_t count)
{
    char name[64];
    snprintf(name, sizeof name, "%s.%s", prefix, what);
    const Tensor *t = fixture_find(fx, name);
    if (!t || (count && t->count != count) || (!count && t->ndim != 2)) {
        fprintf(stderr, "error: %s: no tensor '%s' of the right shape\n", path, name);
        return NULL;
    }
    return t;
}

static double max_abs_diff(const double *a, const double *b, size_t n)
{
    double worst = 0.0;
    for (size_t i = 0; i < n; i++)
        worst = isnan(a[i] - b[i]) ? INFINITY : fmax(worst, fabs(a[i] - b[i]));
    return worst;
}

double compare_block_with_fixture(const Fixture *fx, const char *path, const char *prefix,
                                  SkipKind skip)
{
    const Tensor *W = fixture_tensor(fx, path, prefix, "W", 0);
    const Tensor *X = fixture_tensor(fx, path, prefix, "X", 0);
    if (!W || !X)
        return -1.0;
    int n_out = W->dims[0], n_in = W->dims[1], rows = X->dims[0];
    size_t ny = (size_t)rows * n_out, nx = (size_t)rows * n_in, nw = (size_t)n_out * n_in;
    int projection = skip == SKIP_PROJECTION;
    const Tensor *b = fixture_tensor(fx, path, prefix, "b", (size_t)n_out);
    const Tensor *dY = fixture_tensor(fx, path, prefix, "dY", ny);
    const Tensor *Y = fixture_tensor(fx, path, prefix, "Y", ny);
    const Tensor *dX = fixture_tensor(fx, path, prefix, "dX", nx);
    const Tensor *dW = fixture_tensor(fx, path, prefix, "dW", nw);
    const Tensor *db = fixture_tensor(fx, path, prefix, "db", (size_t)n_out);
    const Tensor *Ws = projection ? fixture_tensor(fx, path, prefix, "Ws", nw) : NULL;
    const Tensor *dWs = projection ? fixture_tensor(fx, path, prefix, "dWs", nw) : NULL;
    if (X->dims[1] != n_in || !b || !dY || !Y || !dX || !dW || !db || (projection && (!Ws || !dWs)))
        return -1.0;
    ResidualBlock blk = { n_in, n_out, ACT_SIGMOID, skip, W->data, b->data, Ws ? Ws->data : NULL };
    double *z = malloc(sizeof(double) * ny), *y = malloc(sizeof(double) * ny);
    double *delta = malloc(sizeof(double) * ny), *dx = malloc(sizeof(double) * nx);
    double *dw = malloc(sizeof(double) * nw), *dws = malloc(sizeof(double) * nw);
    double *dbias = malloc(sizeof(double) * (size_t)n_out);
    if (!z || !y || !delta || !dx || !dw || !dws || !dbias)
        abort();
    residual_forward(&blk, rows, X->data, z, y);
    ResidualGrads g = { dw, dbias, dws };
    residual_backward(&blk, rows, X->data, z, dY->data, delta, &g, dx);
    double worst = fmax(max_abs_diff(y, Y->data, ny), max_abs_diff(dx, dX->data, nx));
    worst = fmax(worst, fmax(max_abs_diff(dw, dW->data, nw), max_abs_diff(dbias, db->data, (size_t)n_out)));
    if (projection)
        worst = fmax(worst, max_abs_diff(dws, dWs->data, nw));
    free(z);
    free(y);
    free(delta);
    free(dx);
    free(dw);
    free(dws);
    free(dbias);
    return worst;
}

/* The fixture's network: 6 -> 5 plain, an identity block at 5, a
 * projection block 5 -> 3, -> 4 softmax outputs, sigmoid, cross-entropy.
 * Parameter k of layer l + 1 is W, b or Ws; its tensor is named
 * "network.W2" (or "network.dW2" for its gradient). */
static const char *const PARAMETER_NAMES[3] = { "W", "b", "Ws" };

static double *network_parameter(Mlp *net, MlpGrads *grads, int l, int k)
{
    if (grads)
        return k == 0 ? grads->dW[l] : k == 1 ? grads->db[l] : grads->dWs[l];
    return k == 0 ? net->W[l] : k == 1 ? net->b[l] : net->Ws[l];
}

double compare_network_with_fixture(const Fixture *fx, const char *path)
{
    static const int sizes[5] = { 6, 5, 5, 3, 4 };
    static const SkipKind skips[4] = { SKIP_NONE, SKIP_IDENTITY, SKIP_PROJECTION, SKIP_NONE };
    const Tensor *X = fixture_tensor(fx, path, "network", "X", 0);
    const Tensor *Y = fixture_tensor(fx, path, "network", "Y", 0);
    const Tensor *loss = fixture_tensor(fx, path, "network", "loss", 1);
    if (!X || !Y || !loss || X->dims[1] != sizes[0] || Y->dims[1] != sizes[4] || Y->dims[0] != X->dims[0])
        return -1.0;
    int rows = X->dims[0];
    Mlp net;
    MlpWork work;
    MlpGrads grads;
    if (mlp_create_residual(&net, 4, sizes, skips, ACT_SIGMOID, LOSS_CROSS_ENTROPY) != 0 ||
        mlp_work_create(&work, &net, rows) != 0 || mlp_grads_create(&grads, &net) != 0)
        abort();
    double worst = 0.0;
    char what[8];
    for (int l = 0; l < 4 && worst == 0.0; l++)          /* PyTorch's parameters */
        for (int k = 0; k < 3; k++) {
            double *p = network_parameter(&net, NULL, l, k);
            size_t count = (size_t)sizes[l + 1] * (k == 1 ? 1 : (size_t)sizes[l]);
            snprintf(what, sizeof what, "%s%d", PARAMETER_NAMES[k], l + 1);
            const Tensor *t = p ? fixture_tensor(fx, path, "network", what, count) : NULL;
            if (p && !t)
                worst = -1.0;
            else if (p)
                memcpy(p, t->data, sizeof(double) * count);
        }
    if (worst == 0.0) {
        mlp_forward(&net, &work, rows, X->data);
        worst = fabs(mlp_loss(&net, &work, Y->data) - loss->data[0]);
        mlp_backward(&net, &work, Y->data, &grads);
    }
    for (int l = 0; l < 4 && worst >= 0.0; l++)           /* their gradients */
        for (int k = 0; k < 3; k++) {
            double *g = network_parameter(&net, &grads, l, k);
            size_t count = (size_t)sizes[l + 1] * (k == 1 ? 1 : (size_t)sizes[l]);
            snprintf(what, sizeof what, "d%s%d", PARAMETER_NAMES[k], l + 1);
            const Tensor *t = g ? fixture_tensor(fx, path, "network", what, count) : NULL;
            if (g && !t)
                worst = -1.0;
            else if (g)
                worst = fmax(worst, max_abs_diff(g, t->data, count));
        }
    mlp_work_free(&work);
    mlp_grads_free(&grads);
    mlp_free(&net);
    return worst;
}

double per_layer_factor(double ratio, int layers)
{
    return layers > 1 ? pow(ratio, 1.0 / (layers - 1)) : 1.0;
}

double spread_of(const double *v, int n)
{
    double lo = v[0], hi = v[0];
    for (int i = 1; i < n; i++) {
        lo = fmin(lo, v[i]);
        hi = fmax(hi, v[i]);
    }
    return hi / lo;
}

double largest_loss_ratio(const float *step_loss, int epochs, int steps, double floor)
{
    double start = fmax(step_loss[0], floor), largest = 0.0;
    for (int e = 0; e < epochs; e++) {
        double sum = 0.0;
        for (int s = 0; s < steps; s++)
            sum += step_loss[(long)e * steps + s];
        largest = fmax(largest, sum / steps / start);
    }
    return largest;
}
