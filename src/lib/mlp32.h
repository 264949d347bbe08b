/* mlp32.h - the feed-forward network in single precision, for training on
 * MNIST as fast as the hardware allows: dense layers with sigmoid or ReLU
 * hidden units, a softmax output and the cross-entropy loss, trained by
 * SGD one sample at a time (cblas_sgemv and cblas_sger) or on mini-batches
 * (cblas_sgemm).  The mathematics is chapter 03's (src/lib/mlp.c holds it
 * in doubles); here the backward pass and the update are fused, so each
 * weight matrix is read and written once per step.
 *
 * Layer l = 1..L of the derivation is index l - 1, as in mlp.h, and
 * n_l = sizes[l] is its width.  A hidden layer may be a residual block,
 * a^[l] = S^[l] a^[l-1] + g(z^[l]), as in mlp.h (chapter 07).
 */
#ifndef KIT_MLP32_H
#define KIT_MLP32_H

#include "mlp.h"
#include "rng.h"

typedef enum {
    INIT_SCALED_NORMAL,   /* W ~ N(0, gain / fan_in), b = 0 (the kit's default) */
    INIT_TORCH_UNIFORM    /* W, b ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in)): PyTorch's nn.Linear */
} InitScheme;

typedef enum {
    OUTPUT_SOFTMAX,         /* f = softmax(z), L = -log f_y: the correct network */
    OUTPUT_DOUBLE_SOFTMAX   /* the common bug: L = -log softmax(softmax(z))_y */
} OutputKind;

typedef struct {
    int n_layers;
    int sizes[MLP_MAX_LAYERS + 1];
    Activation hidden;
    OutputKind output;
    float *W[MLP_MAX_LAYERS];      /* W[l-1] = W^[l]: n_l x n_(l-1), row-major */
    float *b[MLP_MAX_LAYERS];      /* b[l-1] = b^[l]: n_l */
    SkipKind skip[MLP_MAX_LAYERS]; /* skip[l-1]: layer l's skip */
    float *Ws[MLP_MAX_LAYERS];     /* Ws[l-1] = W_s^[l]: n_l x n_(l-1), row-major,
                                    * for a projection skip only */
} Mlp32;

typedef struct {
    int max_rows;
    float *a[MLP_MAX_LAYERS + 1];  /* a[l] = a^[l] = g(z^[l]): rows x n_l (z^[l]
                                    * first, then g in place); a[L] = f;
                                    * a[0] unused (the input x) */
    float *logits;                 /* z^[L]: rows x n_L */
    float *lse;                    /* log sum_k exp z^[L]_k: rows */
    float *probs2, *lse2;          /* softmax(f) and its lse: rows x n_L, rows
                                    * (OUTPUT_DOUBLE_SOFTMAX only) */
    float *delta[MLP_MAX_LAYERS];  /* delta[l-1] = delta^[l] = dL/dz^[l]: rows x n_l */
    float *scratch;                /* dL/da^[l], one layer at a time:
                                    * rows x the widest n_l */
    float *h[MLP_MAX_LAYERS + 1];  /* h[l] = g(z^[l]): rows x n_l, and */
    float *dy[MLP_MAX_LAYERS];     /* dy[l-1] = dL/da^[l]: rows x n_l, for a
                                    * residual block only */
    int threads;                   /* threads a step may use (mlp32_set_threads) */
    struct Team *team;             /* and the team of them, when more than 1 */
    float *packed;                 /* delta's columns, a block per piece of
                                    * a shared update: rows x (n_1 + .. + n_L) */
    int defer_first;               /* per-sample steps defer W^[1]'s update
                                    * (mlp32_defer_first_update) */
    int pending;                   /* 1 when W^[1] still owes the update
                                    * W^[1] -= lr delta^[1] x^T of the last
                                    * step: delta^[1] is delta[0], and */
    float *x_pending;              /* x is kept here (sizes[0]) */
    float lr_pending;              /* with the rate lr */
} Mlp32Work;

int mlp32_create(Mlp32 *net, int n_layers, const int *sizes, Activation hidden, OutputKind output);
/* The same with a skip for every layer (skips[l-1] for layer l; NULL for
 * none); a skip whose shapes do not fit is refused, as in mlp.h. */
int mlp32_create_residual(Mlp32 *net, int n_layers, const int *sizes, const SkipKind *skips,
                          Activation hidden, OutputKind output);
void mlp32_free(Mlp32 *net);
void mlp32_init(Mlp32 *net, InitScheme scheme, Rng *rng);
/* Copy the parameters of src (same shape) into dst. */
void mlp32_copy(Mlp32 *dst, const Mlp32 *src);

int mlp32_work_create(Mlp32Work *work, const Mlp32 *net, int max_rows);
void mlp32_work_free(Mlp32Work *work);

/* The forward pass on rows samples X (rows x sizes[0]); the class
 * probabilities are work->a[L]. */
void mlp32_forward(const Mlp32 *net, Mlp32Work *work, int rows, const float *X);

/* After mlp32_forward: the cross-entropy of row r for class label. */
float mlp32_row_loss(const Mlp32 *net, const Mlp32Work *work, int r, int label);

/* One step of gradient descent on the mean loss of rows samples X with
 * class labels: forward, backward, and W -= lr dL/dW for every layer.
 * Returns the mean loss before the step.  rows == 1 runs the per-sample
 * path (sgemv, sger); larger batches run sgemm. */
float mlp32_train_step(Mlp32 *net, Mlp32Work *work, int rows, const float *X,
                       const unsigned char *labels, float lr);

/* Let the steps on work use n threads of their own (1 by default).  In a
 * mini-batch step each thread takes a block of the batch's rows for the
 * forward pass and the errors, then blocks of the weight matrices' rows for
 * the update (batches of 32 rows or more, networks without skips; others
 * take one thread); the results agree with one thread's to rounding: the
 * BLAS may round a block of rows differently from the whole batch.  A fused
 * per-sample step (mlp32_defer_first_update) shares only its sweep over
 * W^[1], a block of its rows a thread, with the same results to the bit
 * (tests/check_mlp32.c).  gather_batch (train.h) shares the copying of a
 * batch among the same threads.  Keep the BLAS on one thread (blas_set_threads(1))
 * meanwhile.  Returns 0, or -1 with a message when the threads cannot be
 * started. */
int mlp32_set_threads(Mlp32Work *work, const Mlp32 *net, int n);

/* Per-sample steps (rows == 1) on work, when on is 1, fuse the first
 * layer's update with the next step's forward pass through it: the step
 * applies W^[2..L]'s and every bias's update at once, but leaves
 * W^[1] -= lr delta^[1] x^T owed, and the next step pays it in the same
 * sweep over W^[1] that computes z^[1] = W^[1] x' + b^[1] for its sample x'
 * (one pass over the largest matrix instead of two).  The losses agree
 * with the unfused steps to rounding (tests/check_mlp32.c).  Only a plain
 * first layer (no skip) is fused; off by default. */
void mlp32_defer_first_update(Mlp32Work *work, int on);

/* After the last mlp32_train_step on work: bring net up to date (a step
 * may leave part of its update to the next, see mlp32_defer_first_update).
 * Call it before reading or evaluating net. */
void mlp32_finish(Mlp32 *net, Mlp32Work *work);

/* Floating-point operations of one training step on one sample: two per
 * weight for the forward pass, two for the weight gradient, and two for
 * the error passed down through every layer but the first. */
long mlp32_training_flops(const Mlp32 *net);

/* The number of weights and biases. */
long mlp32_parameter_count(const Mlp32 *net);

#endif
