/* ch04_product_feature.h - the mathematics of chapter 04: labels drawn
 * from P(y = 1 | x) = sigmoid(beta0 + beta1 x1 x2) on [-2, 2]^2, and four
 * models fitted to them by gradient descent on the log-loss:
 *
 *   logistic regression   z = c + w1 x1 + w2 x2
 *   product-unit network  h1 = (w1 x1 + c1)(w2 x2 + c2), h2 = 1,
 *                         z = v1 h1 + v2 h2
 *   square network        h_i = (w_i1 x1 + w_i2 x2 + c_i)^2, i = 1, 2,
 *                         z = v1 h1 + v2 h2 + c0
 *   ReLU network          h_i = relu(w_i1 x1 + w_i2 x2 + c_i), i = 1..H,
 *                         z = sum_i v_i h_i + c0
 *
 * each with P(y = 1 | x) = sigmoid(z).  A model's parameters are one flat
 * vector theta (the layouts are below); its forward pass returns the logit
 * z and keeps what the backward pass needs in a cache; its backward pass
 * adds dz * dz/dtheta to a gradient. */
#ifndef CH04_PRODUCT_FEATURE_H
#define CH04_PRODUCT_FEATURE_H

#include "lib/rng.h"
#include "lib/verdict.h"

/* The inputs are uniform on [-R, R]^2. */
#define CH04_HALF_WIDTH 2.0

/* ------------------------------------------------------------------ data */

/* n points: x[2i], x[2i+1] are x1, x2 of point i; y[i] is 0 or 1. */
typedef struct {
    int n;
    double *x;
    double *y;
} Sample;

double sigmoid(double z);

/* beta0 + beta1 x1 x2, the logit of the truth (eq:ch04-truth). */
double true_logit(double beta0, double beta1, const double x[2]);

/* n points uniform on [-R, R]^2 with y ~ Bernoulli(sigmoid(true_logit)).
 * Returns 0, or -1 when out of memory. */
int sample_draw(Sample *s, int n, double beta0, double beta1, Rng *rng);
void sample_free(Sample *s);

/* ---------------------------------------------------------------- models */

typedef enum { MODEL_LOGISTIC, MODEL_PRODUCT_UNIT, MODEL_SQUARE, MODEL_RELU } ModelKind;

typedef struct {
    ModelKind kind;
    int hidden;          /* H, for MODEL_RELU only */
} Model;

/* Parameter layouts. */
enum { LR_C, LR_W1, LR_W2, LR_PARAMS };
enum { PU_W1, PU_C1, PU_W2, PU_C2, PU_V1, PU_V2, PU_PARAMS };
enum { SQ_W11, SQ_W12, SQ_C1, SQ_W21, SQ_W22, SQ_C2, SQ_V1, SQ_V2, SQ_C0, SQ_PARAMS };
/* ReLU with H units: W (H x 2, row i = unit i), then c (H), v (H), c0. */

int model_param_count(Model m);
int model_cache_size(Model m);
/* The logit z(x); fills cache (model_cache_size doubles). */
double model_forward(Model m, const double *theta, const double x[2], double *cache);
/* grad += dz * dz/dtheta, with the cache of the forward pass at x. */
void model_backward(Model m, const double *theta, const double x[2], const double *cache,
                    double dz, double *grad);

double logistic_forward(const double *theta, const double x[2]);
void logistic_backward(const double x[2], double dz, double *grad);
double product_unit_forward(const double *theta, const double x[2], double s[2]);
void product_unit_backward(const double *theta, const double x[2], const double s[2],
                           double dz, double *grad);
double square_forward(const double *theta, const double x[2], double u[2]);
void square_backward(const double *theta, const double x[2], const double u[2],
                     double dz, double *grad);
double relu_net_forward(int H, const double *theta, const double x[2], double *u);
void relu_net_backward(int H, const double *theta, const double x[2], const double *u,
                       double dz, double *grad);

/* The networks set by hand, whose logit is exactly beta0 + beta1 x1 x2:
 * the table of the chapter, and (x1 + x2)^2 - (x1 - x2)^2 = 4 x1 x2. */
void product_unit_by_hand(double beta0, double beta1, double theta[PU_PARAMS]);
void square_by_hand(double beta0, double beta1, double theta[SQ_PARAMS]);

/* ------------------------------------------------------- loss, training */

/* The mean log-loss (eq:ch04-logloss) of the model on s, in nats, and its
 * gradient in theta (model_param_count values). */
double log_loss(Model m, const double *theta, const Sample *s);
void log_loss_gradient(Model m, const double *theta, const Sample *s, double *grad);
/* The same gradient by central differences of log_loss with step h, the
 * check of log_loss_gradient; theta is restored. */
void log_loss_fd_gradient(Model m, double *theta, const Sample *s, double h, double *fd);
/* The fraction of s classified right by "y = 1 iff z > 0". */
double accuracy(Model m, const double *theta, const Sample *s);

/* Random starting parameters, at a scale chosen per model. */
void model_init_random(Model m, double *theta, Rng *rng);

/* Full-batch gradient descent, theta -= lr * dL/dtheta, for steps steps.
 * Returns the norm of the last gradient. */
double gradient_descent(Model m, double *theta, const Sample *s, double lr, int steps);

/* What the fitted logits are, as polynomials in x:
 * product unit: z = beta0 + beta1 x1 x2 + alpha1 x1 + alpha2 x2, coef =
 *   (beta0, beta1, alpha1, alpha2);
 * square: z = beta0 + beta1 x1 x2 + gamma1 x1^2 + gamma2 x2^2 + alpha1 x1
 *   + alpha2 x2, coef = (beta0, beta1, gamma1, gamma2, alpha1, alpha2). */
void product_unit_coefficients(const double theta[PU_PARAMS], double coef[4]);
void square_coefficients(const double theta[SQ_PARAMS], double coef[6]);

/* ------------------------------------------------------- the Bayes rule */

/* On the sample: the accuracy of "y = 1 iff sigmoid(true logit) > 1/2",
 * and the log-loss of the true probabilities (the floor for any model). */
double bayes_accuracy(const Sample *s, double beta0, double beta1);
double bayes_log_loss(const Sample *s, double beta0, double beta1);

/* In expectation over x uniform on [-R, R]^2, by the midpoint rule on a
 * grid x grid grid: E max(p, 1 - p) (the Bayes rate), E p (the share of
 * ones) and the expected log-loss of the truth. */
typedef struct {
    double accuracy, share_of_ones, log_loss;
} BayesExpectation;
BayesExpectation bayes_expectation(double beta0, double beta1, int grid);

/* The asymptotic standard errors of the maximum-likelihood estimates of
 * (beta0, beta1, alpha1, alpha2) from n points, sqrt(diag(I^-1) / n) with
 * the Fisher information I = E[p (1 - p) phi phi^T], phi = (1, x1 x2, x1,
 * x2), by the midpoint rule on a grid.  Returns 0, or -1 if I is singular. */
int fisher_standard_errors(double beta0, double beta1, int n, int grid, double se[4]);

/* ---------------------------------------- a ReLU network built for x1 x2 */

/* The network with H = 2k ReLU units whose output is
 * (I_k(x1 + x2) - I_k(x1 - x2)) / 4, I_k the piecewise-linear interpolant
 * of s^2 on k equal pieces of [-2R, 2R] (eq:ch04-relu-construction); scaled by
 * beta1 and shifted by beta0, so that its logit approximates the truth's.
 * theta holds 4H + 1 = 8k + 1 values. */
void relu_product_by_hand(int k, double beta0, double beta1, double *theta);

/* The bound R^2 / k^2 on |x1 x2 - (I_k(x1 + x2) - I_k(x1 - x2)) / 4| over
 * [-R, R]^2 (eq:ch04-relu-bound), attained at (R/k, R/k) (k even) or
 * (R/k, -R/k) (k odd). */
double relu_product_error_bound(int k);

/* max |x1 x2 - net(x)| for the network of relu_product_by_hand(k, 0, 1),
 * measured on a (grid + 1) x (grid + 1) grid of [-R, R]^2 and at the point
 * where the bound is attained. */
double relu_product_max_error(int k, int grid);

/* The fewest units H = 2k of that construction with error <= eps. */
int relu_units_for_accuracy(double eps);

/* No network with one hidden layer of H ReLU units comes closer to x1 x2
 * on [-R, R]^2 than (2R / (H + 1))^2 / 8 (eq:ch04-relu-lower); the fewest H
 * that this bound allows for error eps. */
double relu_product_lower_bound(int H);
int relu_units_at_least(double eps);

/* The error of the best line on an interval of length m against s^2
 * (eq:ch04-relu-lower): the largest |s^2 - q(s)| over grid + 1 points of
 * [0, m] for the line q(s) = m s - m^2 / 8, which is m^2 / 8. */
double best_line_error(double m, int grid);

/* The standard errors of logistic regression's weights (w1, w2) on n
 * points drawn from (eq:ch04-truth), about the population's w = 0: the
 * sandwich A^-1 B A^-1 / n of maximum likelihood under a wrong model, with
 * A = q(1 - q) E[x x^T], B = E[(y - q)^2 x x^T], q the share of ones;
 * by the midpoint rule on a grid x grid grid.  Both are equal by symmetry. */
double logistic_weight_standard_error(double beta0, double beta1, int n, int grid);

#endif
