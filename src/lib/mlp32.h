/* mlp32.h - the teaching engine: the feed-forward network in single
 * precision that chapters 05 to 09 train on MNIST, with dense layers of
 * sigmoid or ReLU hidden units, a softmax output and the cross-entropy
 * loss, trained by SGD one sample at a time (cblas_sgemv and cblas_sger)
 * or on mini-batches (cblas_sgemm).  The mathematics is chapter 03's
 * (src/lib/mlp.c holds it in doubles), written as the chapters derive it:
 * a forward pass, the output error, the error passed down through each
 * layer, and each layer's update, one function each.  Task 1 of the
 * problem set is to write these (grading/regions.txt).
 *
 * The same network trained as fast as this machine allows (a sparse first
 * layer, vector instructions, two threads) is the fast engine, fast32.h:
 * make bench measures it, and chapter 05's program takes it with --fast.
 * Its results agree with this engine's to rounding.
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

/* Floating-point operations of one training step on one sample: two per
 * weight for the forward pass, two for the weight gradient, and two for
 * the error passed down through every layer but the first. */
long mlp32_training_flops(const Mlp32 *net);

/* The number of weights and biases. */
long mlp32_parameter_count(const Mlp32 *net);

#endif
