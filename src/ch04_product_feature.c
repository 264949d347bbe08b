/* ch04_product_feature.c - the mathematics of chapter 04 (see the header). */
#include "ch04_product_feature.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lib/activations.h"
#include "lib/fdiff.h"
#include "lib/linalg.h"

/* ------------------------------------------------------------------ data */

double sigmoid(double z)
{
    double p;
    sigmoid_forward(1, &z, &p);
    return p;
}

double true_logit(double beta0, double beta1, const double x[2])
{
    return beta0 + beta1 * (x[0] * x[1]);            /* (eq:ch04-truth) */
}

int sample_draw(Sample *s, int n, double beta0, double beta1, Rng *rng)
{
    s->n = n;
    s->x = malloc(sizeof(double) * 2 * (size_t)n);
    s->y = malloc(sizeof(double) * (size_t)n);
    if (!s->x || !s->y) {
        sample_free(s);
        return -1;
    }
    for (int i = 0; i < n; i++) {
        double *x = s->x + 2 * i;
        x[0] = rng_uniform_range(rng, -CH04_HALF_WIDTH, CH04_HALF_WIDTH);
        x[1] = rng_uniform_range(rng, -CH04_HALF_WIDTH, CH04_HALF_WIDTH);
        s->y[i] = rng_uniform(rng) < sigmoid(true_logit(beta0, beta1, x)) ? 1.0 : 0.0;
    }
    return 0;
}

void sample_free(Sample *s)
{
    free(s->x);
    free(s->y);
    memset(s, 0, sizeof *s);
}

/* ---------------------------------------------------------------- models */

/* z = c + w1 x1 + w2 x2: a single neuron before its sigmoid. */
double logistic_forward(const double *theta, const double x[2])
{
    return theta[LR_C] + theta[LR_W1] * x[0] + theta[LR_W2] * x[1];
}

void logistic_backward(const double x[2], double dz, double *grad)
{
    grad[LR_C] += dz;
    grad[LR_W1] += dz * x[0];
    grad[LR_W2] += dz * x[1];
}

/* @listing begin ch04_product_unit */
/* The product unit multiplies its two inputs, each first weighted and
 * shifted; the constant unit is 1; the output unit weighs both
 * (eq:ch04-product-net):
 *   s1 = w1 x1 + c1,  s2 = w2 x2 + c2,  h1 = s1 s2,  h2 = 1,
 *   z  = v1 h1 + v2 h2.                                                */
double product_unit_forward(const double *theta, const double x[2], double s[2])
{
    s[0] = theta[PU_W1] * x[0] + theta[PU_C1];
    s[1] = theta[PU_W2] * x[1] + theta[PU_C2];
    double h1 = s[0] * s[1], h2 = 1.0;
    return theta[PU_V1] * h1 + theta[PU_V2] * h2;
}
/* @listing end ch04_product_unit */

/* @listing begin ch04_product_unit_backward */
/* The chain rule through the product (eq:ch04-product-backward):
 *   dz/dv1 = h1, dz/dv2 = h2 = 1, dz/dh1 = v1,
 *   dh1/ds1 = s2, dh1/ds2 = s1, ds1/dw1 = x1, ds1/dc1 = 1, ...        */
void product_unit_backward(const double *theta, const double x[2], const double s[2],
                           double dz, double *grad)
{
    /* @solution begin ch04_product_backward */
    double dh1 = dz * theta[PU_V1];
    double ds1 = dh1 * s[1], ds2 = dh1 * s[0];
    grad[PU_V1] += dz * s[0] * s[1];
    grad[PU_V2] += dz * 1.0;
    grad[PU_W1] += ds1 * x[0];
    grad[PU_C1] += ds1;
    grad[PU_W2] += ds2 * x[1];
    grad[PU_C2] += ds2;
    /* @solution end ch04_product_backward */
}
/* @listing end ch04_product_unit_backward */

/* @listing begin ch04_square */
/* Two ordinary neurons with the activation g(u) = u^2 (eq:ch04-square-net):
 *   u_i = w_i1 x1 + w_i2 x2 + c_i,  h_i = u_i^2,  z = v1 h1 + v2 h2 + c0. */
double square_forward(const double *theta, const double x[2], double u[2])
{
    u[0] = theta[SQ_W11] * x[0] + theta[SQ_W12] * x[1] + theta[SQ_C1];
    u[1] = theta[SQ_W21] * x[0] + theta[SQ_W22] * x[1] + theta[SQ_C2];
    return theta[SQ_V1] * u[0] * u[0] + theta[SQ_V2] * u[1] * u[1] + theta[SQ_C0];
}

/* dz/dv_i = u_i^2, dz/dc0 = 1, dz/du_i = v_i g'(u_i) = 2 v_i u_i,
 * du_i/dw_ij = x_j, du_i/dc_i = 1. */
void square_backward(const double *theta, const double x[2], const double u[2],
                     double dz, double *grad)
{
    /* @solution begin ch04_square_backward */
    double du1 = dz * theta[SQ_V1] * 2.0 * u[0];
    double du2 = dz * theta[SQ_V2] * 2.0 * u[1];
    grad[SQ_V1] += dz * u[0] * u[0];
    grad[SQ_V2] += dz * u[1] * u[1];
    grad[SQ_C0] += dz;
    grad[SQ_W11] += du1 * x[0];
    grad[SQ_W12] += du1 * x[1];
    grad[SQ_C1] += du1;
    grad[SQ_W21] += du2 * x[0];
    grad[SQ_W22] += du2 * x[1];
    grad[SQ_C2] += du2;
    /* @solution end ch04_square_backward */
}
/* @listing end ch04_square */

/* H ReLU units: u_i = w_i1 x1 + w_i2 x2 + c_i, z = sum_i v_i relu(u_i) + c0. */
double relu_net_forward(int H, const double *theta, const double x[2], double *u)
{
    const double *W = theta, *c = theta + 2 * H, *v = theta + 3 * H;
    double z = theta[4 * H];
    for (int i = 0; i < H; i++) {
        u[i] = W[2 * i] * x[0] + W[2 * i + 1] * x[1] + c[i];
        z += v[i] * (u[i] > 0.0 ? u[i] : 0.0);
    }
    return z;
}

/* dz/dv_i = relu(u_i), dz/dc0 = 1, dz/du_i = v_i relu'(u_i),
 * du_i/dw_ij = x_j, du_i/dc_i = 1, with the kit's relu'(0) = 0. */
void relu_net_backward(int H, const double *theta, const double x[2], const double *u,
                       double dz, double *grad)
{
    const double *v = theta + 3 * H;
    double *dW = grad, *dc = grad + 2 * H, *dv = grad + 3 * H;
    for (int i = 0; i < H; i++) {
        /* @solution begin ch04_relu_backward */
        double slope = relu_derivative(u[i]);
        double du = dz * v[i] * slope;
        dv[i] += dz * u[i] * slope;     /* relu(u) = u relu'(u) */
        dW[2 * i] += du * x[0];
        dW[2 * i + 1] += du * x[1];
        dc[i] += du;
        /* @solution end ch04_relu_backward */
    }
    grad[4 * H] += dz;
}

int model_param_count(Model m)
{
    switch (m.kind) {
    case MODEL_LOGISTIC: return LR_PARAMS;
    case MODEL_PRODUCT_UNIT: return PU_PARAMS;
    case MODEL_SQUARE: return SQ_PARAMS;
    case MODEL_RELU: return 4 * m.hidden + 1;
    }
    return 0;
}

int model_cache_size(Model m)
{
    return m.kind == MODEL_RELU ? m.hidden : 2;
}

double model_forward(Model m, const double *theta, const double x[2], double *cache)
{
    switch (m.kind) {
    case MODEL_LOGISTIC: return logistic_forward(theta, x);
    case MODEL_PRODUCT_UNIT: return product_unit_forward(theta, x, cache);
    case MODEL_SQUARE: return square_forward(theta, x, cache);
    case MODEL_RELU: return relu_net_forward(m.hidden, theta, x, cache);
    }
    return NAN;
}

void model_backward(Model m, const double *theta, const double x[2], const double *cache,
                    double dz, double *grad)
{
    switch (m.kind) {
    case MODEL_LOGISTIC: logistic_backward(x, dz, grad); break;
    case MODEL_PRODUCT_UNIT: product_unit_backward(theta, x, cache, dz, grad); break;
    case MODEL_SQUARE: square_backward(theta, x, cache, dz, grad); break;
    case MODEL_RELU: relu_net_backward(m.hidden, theta, x, cache, dz, grad); break;
    }
}

/* @listing begin ch04_by_hand */
/* The table of the chapter: h1 = (1 x1 + 0)(1 x2 + 0) = x1 x2, h2 = 1,
 * z = beta1 h1 + beta0 h2. */
void product_unit_by_hand(double beta0, double beta1, double theta[PU_PARAMS])
{
    theta[PU_W1] = 1.0, theta[PU_C1] = 0.0;
    theta[PU_W2] = 1.0, theta[PU_C2] = 0.0;
    theta[PU_V1] = beta1, theta[PU_V2] = beta0;
}

/* (x1 + x2)^2 - (x1 - x2)^2 = 4 x1 x2 (eq:ch04-square-identity): u1 = x1 + x2,
 * u2 = x1 - x2, z = (beta1/4) u1^2 - (beta1/4) u2^2 + beta0. */
void square_by_hand(double beta0, double beta1, double theta[SQ_PARAMS])
{
    theta[SQ_W11] = 1.0, theta[SQ_W12] = 1.0, theta[SQ_C1] = 0.0;
    theta[SQ_W21] = 1.0, theta[SQ_W22] = -1.0, theta[SQ_C2] = 0.0;
    theta[SQ_V1] = beta1 / 4.0, theta[SQ_V2] = -beta1 / 4.0, theta[SQ_C0] = beta0;
}
/* @listing end ch04_by_hand */

/* ------------------------------------------------------- loss, training */

/* The log-loss of one point, -log P(y | x) = log(1 + e^z) - y z, written
 * so that neither term overflows: log(1 + e^z) = max(z, 0) + log1p(e^-|z|). */
static double point_log_loss(double z, double y)
{
    return fmax(z, 0.0) + log1p(exp(-fabs(z))) - y * z;
}

/* L = (1/N) sum_n [log(1 + e^{z_n}) - y_n z_n] (eq:ch04-logloss). */
double log_loss(Model m, const double *theta, const Sample *s)
{
    double *cache = malloc(sizeof(double) * (size_t)model_cache_size(m));
    if (!cache)
        abort();
    double total = 0.0;
    for (int n = 0; n < s->n; n++)
        total += point_log_loss(model_forward(m, theta, s->x + 2 * n, cache), s->y[n]);
    free(cache);
    return total / s->n;
}

/* @listing begin ch04_log_loss_gradient */
/* dL/dz_i = (sigmoid(z_i) - y_i) / n (eq:ch04-logloss): the backward
 * pass of every model starts from this one number per point, and adds
 * dL/dz_i times dz_i/dtheta into grad. */
void log_loss_gradient(Model m, const double *theta, const Sample *s, double *grad)
{
    double *cache = malloc(sizeof(double) * (size_t)model_cache_size(m));
    if (!cache)
        abort();
    memset(grad, 0, sizeof(double) * (size_t)model_param_count(m));
    for (int n = 0; n < s->n; n++) {
        const double *x = s->x + 2 * n;
        double z = model_forward(m, theta, x, cache);
        double dz = (sigmoid(z) - s->y[n]) / s->n;
        model_backward(m, theta, x, cache, dz, grad);
    }
    free(cache);
}
/* @listing end ch04_log_loss_gradient */

typedef struct {
    Model m;
    const Sample *s;
} LossAt;

static double loss_at(const double *theta, void *ctx)
{
    const LossAt *at = ctx;
    return log_loss(at->m, theta, at->s);
}

void log_loss_fd_gradient(Model m, double *theta, const Sample *s, double h, double *fd)
{
    LossAt at = { m, s };
    fd_gradient(loss_at, theta, model_param_count(m), h, &at, fd);
}

double accuracy(Model m, const double *theta, const Sample *s)
{
    double *cache = malloc(sizeof(double) * (size_t)model_cache_size(m));
    if (!cache)
        abort();
    long right = 0;
    for (int n = 0; n < s->n; n++) {
        double z = model_forward(m, theta, s->x + 2 * n, cache);
        right += (z > 0.0) == (s->y[n] == 1.0);
    }
    free(cache);
    return (double)right / s->n;
}

void model_init_random(Model m, double *theta, Rng *rng)
{
    if (m.kind != MODEL_RELU) {
        for (int i = 0; i < model_param_count(m); i++)
            theta[i] = 0.5 * rng_normal(rng);
        return;
    }
    /* ReLU: He's input weights (standard deviation sqrt(2 / fan-in) = 1),
     * biases that spread the kinks over the square, small output weights. */
    int H = m.hidden;
    for (int i = 0; i < 2 * H; i++)
        theta[i] = rng_normal(rng);
    for (int i = 0; i < H; i++)
        theta[2 * H + i] = rng_uniform_range(rng, -CH04_HALF_WIDTH, CH04_HALF_WIDTH);
    for (int i = 0; i < H; i++)
        theta[3 * H + i] = rng_normal(rng) / sqrt((double)H);
    theta[4 * H] = 0.0;
}

double gradient_descent(Model m, double *theta, const Sample *s, double lr, int steps)
{
    int P = model_param_count(m);
    double *grad = malloc(sizeof(double) * (size_t)P);
    if (!grad)
        abort();
    double norm = 0.0;
    for (int t = 0; t < steps; t++) {
        log_loss_gradient(m, theta, s, grad);
        norm = 0.0;
        for (int i = 0; i < P; i++) {
            theta[i] -= lr * grad[i];
            norm += grad[i] * grad[i];
        }
    }
    free(grad);
    return sqrt(norm);
}

/* z = v1 (w1 x1 + c1)(w2 x2 + c2) + v2
 *   = (v2 + v1 c1 c2) + v1 w1 w2 x1 x2 + v1 w1 c2 x1 + v1 c1 w2 x2. */
void product_unit_coefficients(const double theta[PU_PARAMS], double coef[4])
{
    double w1 = theta[PU_W1], c1 = theta[PU_C1], w2 = theta[PU_W2], c2 = theta[PU_C2];
    double v1 = theta[PU_V1], v2 = theta[PU_V2];
    coef[0] = v2 + v1 * c1 * c2;
    coef[1] = v1 * w1 * w2;
    coef[2] = v1 * w1 * c2;
    coef[3] = v1 * c1 * w2;
}

/* z = c0 + sum_i v_i (w_i1 x1 + w_i2 x2 + c_i)^2, expanded. */
void square_coefficients(const double theta[SQ_PARAMS], double coef[6])
{
    const double w[2][3] = { { theta[SQ_W11], theta[SQ_W12], theta[SQ_C1] },
                             { theta[SQ_W21], theta[SQ_W22], theta[SQ_C2] } };
    const double v[2] = { theta[SQ_V1], theta[SQ_V2] };
    coef[0] = theta[SQ_C0];
    for (int k = 1; k < 6; k++)
        coef[k] = 0.0;
    for (int i = 0; i < 2; i++) {
        coef[0] += v[i] * w[i][2] * w[i][2];
        coef[1] += 2.0 * v[i] * w[i][0] * w[i][1];
        coef[2] += v[i] * w[i][0] * w[i][0];
        coef[3] += v[i] * w[i][1] * w[i][1];
        coef[4] += 2.0 * v[i] * w[i][0] * w[i][2];
        coef[5] += 2.0 * v[i] * w[i][1] * w[i][2];
    }
}

/* ------------------------------------------------------- the Bayes rule */

double bayes_accuracy(const Sample *s, double beta0, double beta1)
{
    long right = 0;
    for (int n = 0; n < s->n; n++)
        right += (true_logit(beta0, beta1, s->x + 2 * n) > 0.0) == (s->y[n] == 1.0);
    return (double)right / s->n;
}

double bayes_log_loss(const Sample *s, double beta0, double beta1)
{
    double total = 0.0;
    for (int n = 0; n < s->n; n++)
        total += point_log_loss(true_logit(beta0, beta1, s->x + 2 * n), s->y[n]);
    return total / s->n;
}

/* The midpoint of cell i of grid equal cells of [-R, R]. */
static double grid_midpoint(int i, int grid)
{
    return -CH04_HALF_WIDTH + (i + 0.5) * (2.0 * CH04_HALF_WIDTH / grid);
}

/* @listing begin ch04_bayes */
/* The Bayes rule predicts 1 iff p(x) = sigmoid(beta0 + beta1 x1 x2) > 1/2
 * and is right with probability max(p, 1 - p) at x (eq:ch04-bayes), so its
 * accuracy is the mean of max(p, 1 - p) over the square. */
BayesExpectation bayes_expectation(double beta0, double beta1, int grid)
{
    double acc = 0.0, ones = 0.0, loss = 0.0;
    for (int i = 0; i < grid; i++)
        for (int j = 0; j < grid; j++) {
            double x[2] = { grid_midpoint(i, grid), grid_midpoint(j, grid) };
            double z = true_logit(beta0, beta1, x), p = sigmoid(z);
            acc += fmax(p, 1.0 - p);
            ones += p;
            loss += p * point_log_loss(z, 1.0) + (1.0 - p) * point_log_loss(z, 0.0);
        }
    double cells = (double)grid * grid;
    return (BayesExpectation){ acc / cells, ones / cells, loss / cells };
}
/* @listing end ch04_bayes */

int fisher_standard_errors(double beta0, double beta1, int n, int grid, double se[4])
{
    double info[16] = { 0 };
    for (int i = 0; i < grid; i++)
        for (int j = 0; j < grid; j++) {
            double x[2] = { grid_midpoint(i, grid), grid_midpoint(j, grid) };
            double p = sigmoid(true_logit(beta0, beta1, x));
            double phi[4] = { 1.0, x[0] * x[1], x[0], x[1] };
            for (int a = 0; a < 4; a++)
                for (int b = 0; b < 4; b++)
                    info[4 * a + b] += p * (1.0 - p) * phi[a] * phi[b];
        }
    for (int a = 0; a < 16; a++)
        info[a] /= (double)grid * grid;
    for (int a = 0; a < 4; a++) {
        double e[4] = { 0 };
        e[a] = 1.0;
        if (solve_linear(4, info, e) != 0)
            return -1;
        se[a] = sqrt(e[a] / n);           /* (I^-1)_aa / n */
    }
    return 0;
}

/* ---------------------------------------- a ReLU network built for x1 x2 */

/* @listing begin ch04_relu_construction */
/* s^2 on [-a, a], a = 2R, interpolated at the k + 1 knots t_j = -a + j h,
 * h = 2a/k (eq:ch04-relu-construction):
 *   I_k(s) = a^2 + (h - 2a) relu(s - t_0) + 2h sum_{j=1}^{k-1} relu(s - t_j),
 * and x1 x2 ~ (I_k(x1 + x2) - I_k(x1 - x2)) / 4: units 0..k-1 see x1 + x2,
 * units k..2k-1 see x1 - x2; the constants a^2 / 4 cancel. */
void relu_product_by_hand(int k, double beta0, double beta1, double *theta)
{
    int H = 2 * k;
    double a = 2.0 * CH04_HALF_WIDTH, h = 2.0 * a / k;
    double *W = theta, *c = theta + 2 * H, *v = theta + 3 * H;
    for (int j = 0; j < k; j++) {
        double knot = -a + j * h, slope_change = j == 0 ? h - 2.0 * a : 2.0 * h;
        W[2 * j] = 1.0, W[2 * j + 1] = 1.0;                /* x1 + x2 */
        W[2 * (k + j)] = 1.0, W[2 * (k + j) + 1] = -1.0;   /* x1 - x2 */
        c[j] = c[k + j] = -knot;
        v[j] = beta1 * slope_change / 4.0;
        v[k + j] = -beta1 * slope_change / 4.0;
    }
    theta[4 * H] = beta0;
}
/* @listing end ch04_relu_construction */

double relu_product_error_bound(int k)
{
    return CH04_HALF_WIDTH * CH04_HALF_WIDTH / ((double)k * k);   /* (eq:ch04-relu-bound) */
}

double relu_product_max_error(int k, int grid)
{
    int H = 2 * k;
    double *theta = malloc(sizeof(double) * (size_t)(4 * H + 1));
    double *u = malloc(sizeof(double) * (size_t)H);
    if (!theta || !u)
        abort();
    relu_product_by_hand(k, 0.0, 1.0, theta);
    double r = CH04_HALF_WIDTH, worst = 0.0;
    for (int i = 0; i <= grid; i++)
        for (int j = 0; j <= grid; j++) {
            double x[2] = { -r + 2.0 * r * i / grid, -r + 2.0 * r * j / grid };
            worst = fmax(worst, fabs(x[0] * x[1] - relu_net_forward(H, theta, x, u)));
        }
    /* The point where the bound is attained, on the grid or not. */
    double x[2] = { r / k, k % 2 == 0 ? r / k : -r / k };
    worst = fmax(worst, fabs(x[0] * x[1] - relu_net_forward(H, theta, x, u)));
    free(theta);
    free(u);
    return worst;
}

int relu_units_for_accuracy(double eps)
{
    int k = 1;
    while (relu_product_error_bound(k) > eps)
        k++;
    return 2 * k;
}

/* On the diagonal x1 = x2 = s a network of H units is piecewise linear
 * with at most H + 1 pieces; one of them spans at least 2R / (H + 1) and
 * no line is closer to s^2 than L^2 / 8 on a span of length L
 * (eq:ch04-relu-lower). */
double relu_product_lower_bound(int H)
{
    double longest = 2.0 * CH04_HALF_WIDTH / (H + 1);
    return longest * longest / 8.0;
}

int relu_units_at_least(double eps)
{
    int H = 1;
    while (relu_product_lower_bound(H) > eps)
        H++;
    return H;
}

double best_line_error(double m, int grid)
{
    double worst = 0.0;
    for (int i = 0; i <= grid; i++) {
        double s = m * i / grid;
        worst = fmax(worst, fabs(s * s - (m * s - m * m / 8.0)));
    }
    return worst;
}

double logistic_weight_standard_error(double beta0, double beta1, int n, int grid)
{
    double q = bayes_expectation(beta0, beta1, grid).share_of_ones, b = 0.0, xx = 0.0;
    for (int i = 0; i < grid; i++)
        for (int j = 0; j < grid; j++) {
            double x[2] = { grid_midpoint(i, grid), grid_midpoint(j, grid) };
            double p = sigmoid(true_logit(beta0, beta1, x));
            b += (p * (1.0 - p) + (p - q) * (p - q)) * x[0] * x[0];   /* E[(y - q)^2 x1^2] */
            xx += x[0] * x[0];
        }
    double cells = (double)grid * grid, a = q * (1.0 - q) * xx / cells;
    return sqrt(b / cells) / a / sqrt((double)n);
}
