/* ch03_backprop.h - the mathematics of chapter 03: backpropagation
 * through two ReLU hidden layers with a softmax output, written one index
 * at a time exactly as the derivation has it.  The library's matrix code
 * (src/lib/mlp.c) must agree with these sums; the tests check that. */
#ifndef CH03_BACKPROP_H
#define CH03_BACKPROP_H

#include "lib/mlp.h"

/* The arrays of an MlpWork on chapter 03's network (d inputs, H1 and H2
 * ReLU units, K outputs) under the derivation's names, for one sample
 * (row 0).  ch03_views is the one place that knows the library's indices. */
typedef struct {
    double *z1, *a1;    /* H1: z^[1] = W^[1] x + b^[1], a^[1] = ReLU(z^[1]) */
    double *z2, *a2;    /* H2: z^[2] = W^[2] a^[1] + b^[2], a^[2] = ReLU(z^[2]) */
    double *z3, *f;     /* K:  z^[3] = W^[3] a^[2] + b^[3], f = softmax(z^[3]) */
    double *delta1;     /* H1: delta^[1] = dL/dz^[1] */
    double *delta2;     /* H2: delta^[2] = dL/dz^[2] */
    double *delta3;     /* K:  delta^[3] = dL/dz^[3] */
} Ch03Views;

Ch03Views ch03_views(const MlpWork *work);

/* For one sample x with target y, on a network with 3 weight layers and
 * ReLU hidden units: the forward pass (z, a, f into work, rows = 1), the
 * deltas of equations (eq:ch03-delta3), (eq:ch03-delta2), (eq:ch03-delta1) into
 * work->delta, and every gradient of (eq:ch03-gradients) into g, each by
 * explicit sums over indices. */
void backprop_by_sums(const Mlp *net, const double *x, const double *y,
                      MlpWork *work, MlpGrads *g);

/* dL/dW^[1]_ij by the full chain rule (eq:ch03-chain-w1): the sums over the
 * outputs k, l and the second-layer units m written out, using the
 * forward pass already in work (from backprop_by_sums).  Quadratic loss. */
double first_layer_gradient_by_chain_rule(const Mlp *net, const MlpWork *work,
                                          const double *y, int i, int j);

/* The shapes the chapter checks: d, H1, H2, K and the batch size. */
enum { CH03_N_SHAPES = 4 };
extern const int CH03_SHAPES[CH03_N_SHAPES][5];

/* Check 1 of the chapter: for each of CH03_SHAPES and both losses, a
 * random network and one random sample, every delta and gradient of
 * backprop_by_sums against mlp_backward's.  Returns the largest absolute
 * difference (NaN if any value is NaN).  If chain_diff is not NULL, it
 * receives the largest difference between dL/dW^[1] by the full chain
 * rule (quadratic loss) and mlp_backward's. */
double compare_sums_with_matrices(Rng *rng, double *chain_diff);

/* The smallest |z| over the hidden units that are not dead (z < -1 for
 * every sample counts as dead) on the batch X: a central difference of
 * step h straddles a kink only where this is below about h |x|. */
double smallest_live_preactivation(const Mlp *net, int rows, const double *X);

/* A random network for the checks: sizes d, H1, H2, K; He weights and
 * small random biases (exits if out of memory). */
void random_network(Mlp *net, const int sizes[4], LossKind loss, Rng *rng);

/* rows random inputs and one-hot targets for net, the inputs redrawn until
 * no live unit is within 1e-3 of its kink (far beyond a finite-difference
 * step), so that no difference straddles a kink. */
void random_batch(const Mlp *net, int rows, double *X, double *Y, Rng *rng);

/* The chapter's worked example: a network of CH03_EXAMPLE_SIZES (d = 2,
 * H1 = H2 = 2, K = 3) with set weights and biases, quadratic loss, and its
 * one sample x with one-hot target y (exits if out of memory). */
extern const int CH03_EXAMPLE_SIZES[4];
void ch03_example(Mlp *net, double x[2], double y[3]);

/* The quadratic loss of one sample when the pre-activations of layer
 * `layer` (1, 2 or 3) are set to z: the rest of the forward pass from
 * there, written out (the finite differences of the worked example). */
double ch03_loss_from(const Mlp *net, int layer, const double *z, const double *y);

/* The central difference of ch03_loss_from in component u of z, step h:
 * the error delta^[layer]_u by its definition dL/dz^[layer]_u. */
double ch03_delta_by_difference(const Mlp *net, int layer, const double *z, int u,
                                const double *y, double h);

#endif
