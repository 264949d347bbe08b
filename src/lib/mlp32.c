#include "mlp32.h"

#include <cblas.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "activations.h"
#include "residual.h"

static long weight_count(const Mlp32 *net, int l)
{
    return (long)net->sizes[l + 1] * net->sizes[l];
}

int mlp32_create(Mlp32 *net, int n_layers, const int *sizes, Activation hidden, OutputKind output)
{
    return mlp32_create_residual(net, n_layers, sizes, NULL, hidden, output);
}

int mlp32_create_residual(Mlp32 *net, int n_layers, const int *sizes, const SkipKind *skips,
                          Activation hidden, OutputKind output)
{
    memset(net, 0, sizeof *net);
    if (n_layers < 1 || n_layers > MLP_MAX_LAYERS) {
        fprintf(stderr, "error: a network needs 1 to %d layers, not %d\n", MLP_MAX_LAYERS, n_layers);
        return -1;
    }
    for (int l = 0; l < n_layers && skips; l++)
        if (residual_check_shape(l + 1, sizes[l], sizes[l + 1], skips[l], l == n_layers - 1) != 0)
            return -1;
    net->n_layers = n_layers;
    memcpy(net->sizes, sizes, sizeof(int) * (size_t)(n_layers + 1));
    net->hidden = hidden;
    net->output = output;
    for (int l = 0; l < n_layers; l++) {
        net->W[l] = calloc((size_t)weight_count(net, l), sizeof(float));
        net->b[l] = calloc((size_t)sizes[l + 1], sizeof(float));
        net->skip[l] = skips ? skips[l] : SKIP_NONE;
        if (net->skip[l] == SKIP_PROJECTION)
            net->Ws[l] = calloc((size_t)weight_count(net, l), sizeof(float));
        if (!net->W[l] || !net->b[l] || (net->skip[l] == SKIP_PROJECTION && !net->Ws[l])) {
            mlp32_free(net);
            fprintf(stderr, "error: out of memory for the network\n");
            return -1;
        }
    }
    return 0;
}

void mlp32_free(Mlp32 *net)
{
    for (int l = 0; l < MLP_MAX_LAYERS; l++) {
        free(net->W[l]);
        free(net->b[l]);
        free(net->Ws[l]);
    }
    memset(net, 0, sizeof *net);
}

void mlp32_init(Mlp32 *net, InitScheme scheme, Rng *rng)
{
    for (int l = 0; l < net->n_layers; l++) {
        double fan_in = net->sizes[l];
        if (scheme == INIT_TORCH_UNIFORM) {
            double bound = 1.0 / sqrt(fan_in);
            for (long i = 0; i < weight_count(net, l); i++)
                net->W[l][i] = (float)rng_uniform_range(rng, -bound, bound);
            for (int i = 0; i < net->sizes[l + 1]; i++)
                net->b[l][i] = (float)rng_uniform_range(rng, -bound, bound);
            for (long i = 0; net->Ws[l] && i < weight_count(net, l); i++)
                net->Ws[l][i] = (float)rng_uniform_range(rng, -bound, bound);
        } else {
            double gain = net->hidden == ACT_RELU ? 2.0 : 1.0;
            double sd = sqrt(gain / fan_in);
            for (long i = 0; i < weight_count(net, l); i++)
                net->W[l][i] = (float)(sd * rng_normal(rng));
            for (long i = 0; net->Ws[l] && i < weight_count(net, l); i++)
                net->Ws[l][i] = (float)(sd * rng_normal(rng));
            memset(net->b[l], 0, sizeof(float) * (size_t)net->sizes[l + 1]);
        }
    }
}

void mlp32_copy(Mlp32 *dst, const Mlp32 *src)
{
    for (int l = 0; l < src->n_layers; l++) {
        memcpy(dst->W[l], src->W[l], sizeof(float) * (size_t)weight_count(src, l));
        memcpy(dst->b[l], src->b[l], sizeof(float) * (size_t)src->sizes[l + 1]);
        if (src->Ws[l])
            memcpy(dst->Ws[l], src->Ws[l], sizeof(float) * (size_t)weight_count(src, l));
    }
}

int mlp32_work_create(Mlp32Work *work, const Mlp32 *net, int max_rows)
{
    memset(work, 0, sizeof *work);
    work->max_rows = max_rows;
    size_t rows = (size_t)max_rows, k = (size_t)net->sizes[net->n_layers];
    int widest = 0;
    for (int l = 0; l <= net->n_layers; l++)
        widest = net->sizes[l] > widest ? net->sizes[l] : widest;
    int ok = 1;
    for (int l = 1; l <= net->n_layers; l++)
        ok &= (work->a[l] = malloc(sizeof(float) * rows * (size_t)net->sizes[l])) != NULL;
    for (int l = 0; l < net->n_layers; l++)
        ok &= (work->delta[l] = malloc(sizeof(float) * rows * (size_t)net->sizes[l + 1])) != NULL;
    for (int l = 0; l < net->n_layers; l++)
        if (net->skip[l] != SKIP_NONE) {
            ok &= (work->h[l + 1] = malloc(sizeof(float) * rows * (size_t)net->sizes[l + 1])) != NULL;
            ok &= (work->dy[l] = malloc(sizeof(float) * rows * (size_t)net->sizes[l + 1])) != NULL;
        }
    ok &= (work->logits = malloc(sizeof(float) * rows * k)) != NULL;
    ok &= (work->probs2 = malloc(sizeof(float) * rows * k)) != NULL;
    ok &= (work->lse = malloc(sizeof(float) * rows)) != NULL;
    ok &= (work->lse2 = malloc(sizeof(float) * rows)) != NULL;
    ok &= (work->scratch = malloc(sizeof(float) * rows * (size_t)widest)) != NULL;
    if (!ok) {
        mlp32_work_free(work);
        fprintf(stderr, "error: out of memory for a batch of %d\n", max_rows);
        return -1;
    }
    return 0;
}

void mlp32_work_free(Mlp32Work *work)
{
    for (int l = 0; l <= MLP_MAX_LAYERS; l++) {
        free(work->a[l]);
        free(work->h[l]);
    }
    for (int l = 0; l < MLP_MAX_LAYERS; l++) {
        free(work->delta[l]);
        free(work->dy[l]);
    }
    free(work->logits);
    free(work->probs2);
    free(work->lse);
    free(work->lse2);
    free(work->scratch);
    memset(work, 0, sizeof *work);
}

/* Z += A W^T for rows x n_in inputs A and an n_out x n_in matrix W; a
 * single sample takes sgemv. */
static void add_product_f32(int rows, int n_in, int n_out, const float *A, const float *W, float *Z)
{
    if (rows == 1)
        cblas_sgemv(CblasRowMajor, CblasNoTrans, n_out, n_in, 1.0f, W, n_in, A, 1, 1.0f, Z, 1);
    else
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, rows, n_out, n_in,
                    1.0f, A, n_in, W, n_in, 1.0f, Z, n_out);
}

/* z = A W^T + b for one layer. */
static void dense_forward_f32(int rows, int n_in, int n_out, const float *A, const float *W,
                              const float *b, float *Z)
{
    for (int r = 0; r < rows; r++)
        memcpy(Z + (long)r * n_out, b, sizeof(float) * (size_t)n_out);
    add_product_f32(rows, n_in, n_out, A, W, Z);
}

/* The error passed down through a layer, and a layer's step: chapter
 * 5's regions, which chapter 7's residual blocks below call too (a skip
 * W_s passes the error down and takes its step as a layer's W does), so
 * that no second copy of them is shipped outside the regions. */
static void error_down(const Mlp32 *net, int l, int rows, const float *W, const float *delta,
                       float beta, const float *a_prev, float *da_prev, float *delta_prev);
static void update_layer(Mlp32 *net, int l, int rows, const float *delta, const float *a_prev,
                         float lr);

/* Chapter 7's residual block at index l, after its branch has put
 * h = g(z) in work->h[l+1]: a^[l+1] = S a^[l] + h (eq:ch07-block). */
static void block_forward_f32(const Mlp32 *net, Mlp32Work *work, int l, int rows, const float *a_prev)
{
    int n_in = net->sizes[l], n_out = net->sizes[l + 1];
    long n = (long)rows * n_out;
    float *y = work->a[l + 1];
    memcpy(y, work->h[l + 1], sizeof(float) * (size_t)n);
    if (net->skip[l] == SKIP_IDENTITY)
        cblas_saxpy((int)n, 1.0f, a_prev, 1, y, 1);
    else
        add_product_f32(rows, n_in, n_out, a_prev, net->Ws[l], y);
}

/* @listing begin lib_mlp32_forward */
void mlp32_forward(const Mlp32 *net, Mlp32Work *work, int rows, const float *X)
{
    int L = net->n_layers, K = net->sizes[L];
    const float *a_prev = X;                                   /* a^[0] = x */
    for (int l = 0; l < L; l++) {
        int n_in = net->sizes[l], n_out = net->sizes[l + 1];
        float *z = l == L - 1 ? work->logits                   /* rows x n_out */
                   : net->skip[l] != SKIP_NONE ? work->h[l + 1] : work->a[l + 1];
        /* Layer l + 1: z^[l+1] = W^[l+1] a^[l] + b^[l+1] (a^[0] = x), then
         * a^[l+1] = g(z^[l+1]) in place for a hidden layer; the last
         * layer's z are the logits, which the softmax below turns into f. */
        /* @solution begin ch05_forward */
        dense_forward_f32(rows, n_in, n_out, a_prev, net->W[l], net->b[l], z);
        if (l < L - 1 && net->hidden == ACT_SIGMOID)
            sigmoid_forward_f32(rows * n_out, z, z);
        else if (l < L - 1)
            relu_forward_f32(rows * n_out, z, z);
        /* @solution end ch05_forward */
        if (net->skip[l] != SKIP_NONE)      /* a residual block adds its skip */
            block_forward_f32(net, work, l, rows, a_prev);
        a_prev = l == L - 1 ? z : work->a[l + 1];
    }
    softmax_forward_f32(rows, K, work->logits, work->a[L], work->lse);
    if (net->output == OUTPUT_DOUBLE_SOFTMAX)   /* the bug: softmax of probabilities */
        softmax_forward_f32(rows, K, work->a[L], work->probs2, work->lse2);
}
/* @listing end lib_mlp32_forward */

float mlp32_row_loss(const Mlp32 *net, const Mlp32Work *work, int r, int label)
{
    int K = net->sizes[net->n_layers];
    if (net->output == OUTPUT_DOUBLE_SOFTMAX)   /* -log softmax(f)_y */
        return work->lse2[r] - work->a[net->n_layers][(long)r * K + label];
    return work->lse[r] - work->logits[(long)r * K + label];   /* -log f_y = lse - z_y */
}

/* delta^[L] = dL/dz^[L] for the mean loss over a batch of batch_rows
 * samples, for its `rows` rows in work. */
static void output_error(const Mlp32 *net, Mlp32Work *work, int rows, int batch_rows,
                         const unsigned char *labels)
{
    int L = net->n_layers, K = net->sizes[L];
    const float *f = work->a[L];                /* rows x K */
    float *delta = work->delta[L - 1];          /* delta^[L] = dL/dz^[L]: rows x K */
    float scale = 1.0f / (float)batch_rows;
    if (net->output == OUTPUT_SOFTMAX) {
        for (int r = 0; r < rows; r++)          /* (f - y) / rows */
            for (int k = 0; k < K; k++)
                delta[(long)r * K + k] = (f[(long)r * K + k] - (k == labels[r])) * scale;
        return;
    }
    /* Double softmax: q = softmax(f); dL/df = (q - y) / rows, then back
     * through the first softmax's Jacobian. */
    float *dq = work->scratch;                  /* dL/dq: rows x K */
    for (int r = 0; r < rows; r++)
        for (int k = 0; k < K; k++)
            dq[(long)r * K + k] = (work->probs2[(long)r * K + k] - (k == labels[r])) * scale;
    softmax_backward_f32(rows, K, f, dq, delta);
}

/* Chapter 7: the error of layer index l > 0 when it or the layer below
 * is a residual block.  dL/da^[l] = delta^[l+1] W^[l+1] (+ dL/dy S^[l+1]
 * when layer index l is a block, with dL/dy in work->dy[l]) is kept in
 * dy for a block below; then delta^[l] = g'(z^[l]) * dL/da^[l], with g'
 * taken from a^[l] for a plain layer below and, for a block below, from
 * its branch's h = g(z) (eq:ch07-backward). */
static void block_error_down_f32(const Mlp32 *net, Mlp32Work *work, int l, int rows)
{
    int below_is_block = net->skip[l - 1] != SKIP_NONE;
    float *da_prev = below_is_block ? work->dy[l - 1] : work->scratch;   /* rows x n_in */
    const float *g_of = below_is_block ? work->h[l] : work->a[l];       /* g' from these */
    float beta = 0.0f;                  /* 1 once the skip's share is in da_prev */
    if (net->skip[l] == SKIP_IDENTITY) {
        memcpy(da_prev, work->dy[l], sizeof(float) * (size_t)rows * (size_t)net->sizes[l]);
        beta = 1.0f;
    } else if (net->skip[l] == SKIP_PROJECTION) {
        error_down(net, l, rows, net->Ws[l], work->dy[l], 0.0f, work->a[l], da_prev, NULL);
        beta = 1.0f;
    }
    /* the branch's share, added; then delta^[l] */
    error_down(net, l, rows, net->W[l], work->delta[l], beta, g_of, da_prev, work->delta[l - 1]);
}

/* The projection's step, W_s -= lr dy^T a^[l] with dy = dL/da^[l+1], is a
 * layer's step with W_s for W and dy for delta.  A skip has no bias: the
 * step update_layer gives a bias goes to scratch, which is free here. */
static void projection_update_f32(Mlp32 *net, Mlp32Work *work, int l, int rows,
                                  const float *a_prev, float lr)
{
    Mlp32 skip = *net;
    skip.W[l] = net->Ws[l];
    skip.b[l] = work->scratch;
    update_layer(&skip, l, rows, work->dy[l], a_prev, lr);
}

/* The sum of the rows' losses, after the forward pass. */
static float batch_loss(const Mlp32 *net, const Mlp32Work *work, int rows, const unsigned char *labels)
{
    float loss = 0.0f;
    for (int r = 0; r < rows; r++)
        loss += mlp32_row_loss(net, work, r, labels[r]);
    return loss;
}

/* Chapter 7's residual blocks: the error passed down next to a block
 * (a block's own delta^[l+1] was found by the layer above, when it passed
 * its error down).  Returns 1 when it passed it down. */
static int block_backward_f32(const Mlp32 *net, Mlp32Work *work, int l, int rows)
{
    if (l > 0 && (net->skip[l] != SKIP_NONE || net->skip[l - 1] != SKIP_NONE)) {
        block_error_down_f32(net, work, l, rows);
        return 1;
    }
    return 0;
}
/* @listing begin lib_mlp32_error_down */
/* Pass the error down through layer index l > 0: dL/da^[l] = delta^[l+1] W
 * + beta dL/da^[l], with W = W^[l+1] (n_out x n_in, before this step) and
 * beta 0 for a plain layer; then, when delta_prev is not NULL,
 * delta^[l] = dL/da^[l] * g'(z^[l]), with a^[l].  (Chapter 7's residual
 * blocks also pass dL/dy through their skip W_s, and add with beta 1.) */
static void error_down(const Mlp32 *net, int l, int rows, const float *W, const float *delta,
                       float beta, const float *a_prev, float *da_prev, float *delta_prev)
{
    int n_in = net->sizes[l], n_out = net->sizes[l + 1];
    /* @solution begin ch05_backward */
    if (l > 0) {
        if (rows == 1)
            cblas_sgemv(CblasRowMajor, CblasTrans, n_out, n_in, 1.0f, W, n_in,
                        delta, 1, beta, da_prev, 1);
        else
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, rows, n_in, n_out,
                        1.0f, delta, n_out, W, n_in, beta, da_prev, n_in);
        if (delta_prev && net->hidden == ACT_SIGMOID)
            sigmoid_backward_f32(rows * n_in, a_prev, da_prev, delta_prev);
        else if (delta_prev)
            relu_backward_f32(rows * n_in, a_prev, da_prev, delta_prev);
    }
    /* @solution end ch05_backward */
}
/* @listing end lib_mlp32_error_down */

/* @listing begin lib_mlp32_update */
/* W^[l+1] -= lr delta^[l+1]^T a^[l] (the gradient and the step in one
 * pass); b^[l+1] -= lr (column sums of delta^[l+1]). */
static void update_layer(Mlp32 *net, int l, int rows, const float *delta, const float *a_prev,
                         float lr)
{
    int n_in = net->sizes[l], n_out = net->sizes[l + 1];
    float *W = net->W[l];                               /* W^[l+1]: n_out x n_in */
    if (rows < 1 || n_in < 1)                           /* nothing to learn */
        return;
    /* @solution begin ch05_update */
    if (rows == 1)
        cblas_sger(CblasRowMajor, n_out, n_in, -lr, delta, 1, a_prev, 1, W, n_in);
    else
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, n_out, n_in, rows,
                    -lr, delta, n_out, a_prev, n_in, 1.0f, W, n_in);
    for (int r = 0; r < rows; r++)
        cblas_saxpy(n_out, -lr, delta + (long)r * n_out, 1, net->b[l], 1);
    /* @solution end ch05_update */
}
/* @listing end lib_mlp32_update */

/* @listing begin lib_mlp32_step */
float mlp32_train_step(Mlp32 *net, Mlp32Work *work, int rows, const float *X,
                       const unsigned char *labels, float lr)
{
    mlp32_forward(net, work, rows, X);
    float loss = batch_loss(net, work, rows, labels);
    output_error(net, work, rows, rows, labels);
    for (int l = net->n_layers - 1; l >= 0; l--) {
        const float *a_prev = l > 0 ? work->a[l] : X;   /* a^[l] (layer l + 1 is index l) */
        if (!block_backward_f32(net, work, l, rows))     /* chapter 7's blocks */
            error_down(net, l, rows, net->W[l], work->delta[l], 0.0f, a_prev, work->scratch,
                       l > 0 ? work->delta[l - 1] : NULL);
        if (net->skip[l] == SKIP_PROJECTION)
            projection_update_f32(net, work, l, rows, a_prev, lr);
        update_layer(net, l, rows, work->delta[l], a_prev, lr);
    }
    return loss / (float)rows;
}
/* @listing end lib_mlp32_step */

long mlp32_training_flops(const Mlp32 *net)
{
    long flops = 0;
    for (int l = 0; l < net->n_layers; l++) {
        long weights = weight_count(net, l);
        flops += 2 * weights;          /* forward: z = W a + b */
        flops += 2 * weights;          /* the gradient delta a^T */
        if (l > 0)
            flops += 2 * weights;      /* W^T delta, the error of the layer below */
        if (net->skip[l] == SKIP_PROJECTION)
            flops += (l > 0 ? 6 : 4) * weights;   /* the same for W_s */
    }
    return flops;
}

long mlp32_parameter_count(const Mlp32 *net)
{
    long n = 0;
    for (int l = 0; l < net->n_layers; l++)
        n += weight_count(net, l) * (net->skip[l] == SKIP_PROJECTION ? 2 : 1) + net->sizes[l + 1];
    return n;
}
