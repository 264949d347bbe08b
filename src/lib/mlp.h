/* mlp.h - a feed-forward network in doubles: dense layers with a hidden
 * activation (ReLU or sigmoid), a softmax output and a loss (quadratic or
 * cross-entropy), forward and backward on a batch.
 *
 * Layer l = 1..L of the derivation is index l - 1 here:
 *     z^[l] = W^[l] a^[l-1] + b^[l]      W[l-1], b[l-1], z[l-1]
 *     a^[l] = g(z^[l])  (l < L)          a[l]  (a[0] is the input x)
 *     f     = softmax(z^[L])             a[L]
 *     delta^[l] = dL/dz^[l]              delta[l-1]
 * n_l = sizes[l] is the width of layer l, n_0 the inputs and n_L the
 * outputs.  Every array of activations holds `rows` samples, one per row.
 *
 * A hidden layer may be a residual block (chapter 07, residual.h): then
 *     a^[l] = S^[l] a^[l-1] + g(z^[l]),
 * with the skip S^[l] the identity or a learned projection W_s^[l].
 */
#ifndef KIT_MLP_H
#define KIT_MLP_H

#include "rng.h"

enum { MLP_MAX_LAYERS = 64 };

typedef enum { ACT_RELU, ACT_SIGMOID } Activation;
typedef enum { LOSS_QUADRATIC, LOSS_CROSS_ENTROPY } LossKind;
/* How a layer adds its input to its output: not at all, as it is (the
 * widths must be equal), or through a learned matrix W_s. */
typedef enum { SKIP_NONE, SKIP_IDENTITY, SKIP_PROJECTION } SkipKind;

typedef struct {
    int n_layers;                      /* L, the number of weight layers */
    int sizes[MLP_MAX_LAYERS + 1];     /* sizes[0] inputs ... sizes[L] outputs */
    Activation hidden;                 /* g, on every hidden layer */
    LossKind loss;
    double *W[MLP_MAX_LAYERS];         /* W[l-1] = W^[l]: n_l x n_(l-1) */
    double *b[MLP_MAX_LAYERS];         /* b[l-1] = b^[l]: n_l */
    SkipKind skip[MLP_MAX_LAYERS];     /* skip[l-1]: layer l's skip */
    double *Ws[MLP_MAX_LAYERS];        /* Ws[l-1] = W_s^[l]: n_l x n_(l-1),
                                        * for a projection skip only */
} Mlp;

/* What the forward pass keeps for the backward pass, for up to
 * max_rows samples. */
typedef struct {
    int max_rows, rows;
    const double *input;               /* a^[0] = x: rows x n_0, not owned */
    double *z[MLP_MAX_LAYERS];         /* z[l-1] = z^[l]: rows x n_l */
    double *a[MLP_MAX_LAYERS + 1];     /* a[l] = a^[l] = g(z^[l]): rows x n_l;
                                        * a[L] = f; a[0] unused (input) */
    double *delta[MLP_MAX_LAYERS];     /* delta[l-1] = delta^[l] = dL/dz^[l]:
                                        * rows x n_l, after mlp_backward */
    double *scratch;                   /* dL/da^[l], one layer at a time:
                                        * rows x the widest n_l */
    double *dy[MLP_MAX_LAYERS];        /* dy[l-1] = dL/da^[l]: rows x n_l, for
                                        * a residual block only */
} MlpWork;

typedef struct {
    double *dW[MLP_MAX_LAYERS];        /* dW[l-1] = dL/dW^[l]: n_l x n_(l-1) */
    double *db[MLP_MAX_LAYERS];        /* db[l-1] = dL/db^[l]: n_l */
    double *dWs[MLP_MAX_LAYERS];       /* dWs[l-1] = dL/dW_s^[l] (projection only) */
} MlpGrads;

/* A network with n_layers weight layers and the given sizes (n_layers + 1
 * of them), every parameter zero.  Returns 0, or -1 if out of memory or
 * the shape is not allowed (it prints which). */
int mlp_create(Mlp *net, int n_layers, const int *sizes, Activation hidden, LossKind loss);
/* The same with a skip for every layer (skips[l-1] for layer l; NULL for
 * none): an identity skip between unequal widths, or a skip on the output
 * layer, is refused with a message naming the layer and the widths. */
int mlp_create_residual(Mlp *net, int n_layers, const int *sizes, const SkipKind *skips,
                        Activation hidden, LossKind loss);
void mlp_free(Mlp *net);

/* Weights normal with standard deviation sqrt(2 / fan_in) for ReLU (He)
 * and sqrt(1 / fan_in) for sigmoid, projections W_s likewise; biases zero. */
void mlp_init_random(Mlp *net, Rng *rng);

int mlp_work_create(MlpWork *work, const Mlp *net, int max_rows);
void mlp_work_free(MlpWork *work);
int mlp_grads_create(MlpGrads *grads, const Mlp *net);
void mlp_grads_free(MlpGrads *grads);

/* The forward pass on rows samples X (rows x sizes[0]); f is work->a[L].
 * X must stay valid until the backward pass. */
void mlp_forward(const Mlp *net, MlpWork *work, int rows, const double *X);

/* The loss of the last forward pass against targets Y (rows x sizes[L]),
 * averaged over the rows. */
double mlp_loss(const Mlp *net, const MlpWork *work, const double *Y);

/* The backward pass: every delta into work, every gradient of the mean
 * loss into grads. */
void mlp_backward(const Mlp *net, MlpWork *work, const double *Y, MlpGrads *grads);

/* Gradient descent: every parameter p -= lr * dL/dp. */
void mlp_sgd_step(Mlp *net, const MlpGrads *grads, double lr);

#endif
