/* ch07_residual.h - the mathematics of chapter 07: the residual block of
 * src/lib/residual.h checked against finite differences and against its
 * own Jacobian, the element-wise gradient formula beside the true one, a
 * block whose Jacobian is singular, and the networks of the chapter's two
 * experiments. */
#ifndef CH07_RESIDUAL_H
#define CH07_RESIDUAL_H

#include "lib/fixture.h"
#include "lib/mlp.h"
#include "lib/mlp32.h"
#include "lib/residual.h"
#include "lib/rng.h"
#include "lib/stats.h"

/* The element-wise formula for an identity block, dL/dx = dL/dy * (g'(x)
 * + 1) element by element (eq:ch07-mistake), for one sample: what the
 * chapter corrects. */
void elementwise_block_gradient(const ResidualBlock *blk, const double *x, const double *dy,
                                double *dx);

/* residual_jacobian at x (one sample) against central differences of
 * residual_forward with step h: the relative error of the whole matrix. */
double block_jacobian_check(const ResidualBlock *blk, const double *x, double h);

/* residual_backward's dX against J^T dY from residual_jacobian, for each
 * of rows samples: the largest relative error. */
double block_backward_check(const ResidualBlock *blk, int rows, const double *X, const double *dY);

/* A sigmoid identity block of 3 units whose Jacobian I + diag(g'(z)) W is
 * singular: R is a random 3 x 3 matrix, lambda a real eigenvalue of it
 * (every real 3 x 3 matrix has one), W = -4 R / lambda, and b = -W x for
 * a random x, so that z = 0, g'(z) = 1/4 and J = I + W/4 has the
 * eigenvalue 1 - lambda/lambda = 0. */
enum { SINGULAR_N = 3 };
typedef struct {
    double W[SINGULAR_N * SINGULAR_N], b[SINGULAR_N], x[SINGULAR_N];
    double z[SINGULAR_N], J[SINGULAR_N * SINGULAR_N];
    double lambda;                    /* the eigenvalue of R used */
    double det, sigma_min;            /* det J and its smallest singular value */
    double u[SINGULAR_N];             /* the unit left singular vector of
                                       * sigma_min: J^T u = sigma_min v */
    double dx[SINGULAR_N];            /* residual_backward's dL/dx for dL/dy = u */
    double dx_elementwise[SINGULAR_N];  /* the element-wise formula for the same */
} SingularBlock;

/* Find one from rng.  Returns 0, or -1 if LAPACK fails. */
int find_singular_block(Rng *rng, SingularBlock *s);

/* The largest absolute difference between PyTorch's tensors in the
 * fixture fx (read from path) and the kit's: for the block PREFIX
 * ("identity" or "projection", sigmoid) its output y and every gradient;
 * for the network, its loss and every gradient.  Negative, after a
 * message naming the file, if a tensor is missing or misshapen. */
double compare_block_with_fixture(const Fixture *fx, const char *path, const char *prefix,
                                  SkipKind skip);
double compare_network_with_fixture(const Fixture *fx, const char *path);

/* Experiment 1's network: 784 inputs, depth sigmoid hidden layers of
 * width units, 10 outputs; with skips, every hidden layer after the
 * first is an identity block. */
int deep_network(Mlp32 *net, int depth, int width, int skips);

/* A network in doubles with src's shape, skips and parameters. */
int mlp_from_mlp32(Mlp *dst, const Mlp32 *src, LossKind loss);

/* For each layer l = 1..L of net, the Frobenius norm of the gradient of
 * the mean loss on rows samples (X, one-hot Y), ||dL/dW^[l]||, into
 * norms[l-1].  Returns 0, or -1 if memory runs out. */
int layer_gradient_norms(const Mlp *net, int rows, const double *X, const double *Y, double *norms);

/* On rows samples X: the fraction of hidden units (over all hidden layers
 * and samples) whose g'(z) is below 1/100 (saturated: |z| > 4.6 for the
 * sigmoid), and the mean activation of the last hidden layer. */
int hidden_statistics(const Mlp *net, int rows, const double *X, double *saturated,
                      double *last_mean);

/* The experiments' measurements, reduced to the numbers the chapter's
 * sentences use. */

/* The mean factor by which a gradient norm changes per layer when the
 * first of `layers` layers has ratio times the last's: ratio^(1/(layers-1))
 * (the geometric mean of the layer-to-layer factors).  1 for one layer. */
double per_layer_factor(double ratio, int layers);

/* The largest of v[0..n) over the smallest (n >= 1, v > 0). */
double spread_of(const double *v, int n);

/* The largest ratio, over the epochs of a run, of an epoch's mean step
 * loss to the run's start: the larger of the first step's loss and floor
 * (log K), as the divergence bound of lib/train.h reads it.  step_loss
 * holds epochs x steps losses.  A run whose ratio exceeds
 * DIVERGENCE_FACTOR diverged by the book's rule. */
double largest_loss_ratio(const float *step_loss, int epochs, int steps, double floor);

/* The most seeds the program runs for a configuration. */
enum { CH07_MAX_SEEDS = 100 };

#endif
