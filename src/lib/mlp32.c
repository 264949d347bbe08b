#include "mlp32.h"

#include <cblas.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "activations.h"
#include "residual.h"
#include "team.h"

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
    work->threads = 1;
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
    ok &= (work->x_pending = malloc(sizeof(float) * (size_t)net->sizes[0])) != NULL;
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
    free(work->x_pending);
    free(work->packed);
    team_free(work->team);
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

/* The forward pass from layer index `first` on; a_prev is a^[first]
 * (X when first is 0). */
static void forward_from(const Mlp32 *net, Mlp32Work *work, int rows, const float *a_prev, int first);

/* @listing begin lib_mlp32_forward */
void mlp32_forward(const Mlp32 *net, Mlp32Work *work, int rows, const float *X)
{
    forward_from(net, work, rows, X, 0);
}

static void forward_from(const Mlp32 *net, Mlp32Work *work, int rows, const float *a_prev, int first)
{
    int L = net->n_layers, K = net->sizes[L];
    for (int l = first; l < L; l++) {
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

/* The fast engine's fused first layer, which make bench measures: the
 * handout leaves it out (tools/regions.py, @handout omit), since its sweep
 * is chapter 5's update and forward pass written out. */
/* @handout omit begin fused_sweep */
/* The first layer's sweep for a per-sample step whose predecessor left
 * its update owed (mlp32_defer_first_update): for each row i of
 * W = W^[1] (n_out x n_in), first the owed update, the row of
 * W -= lr delta x_prev^T, w_ij += c_i x_prev_j with c_i = -lr delta_i,
 * then z_i = sum_j w_ij x_j + b_i for this step's sample x, while the row
 * is still in the processor's cache.
 *
 * `Lanes` is a GCC/Clang vector of 16 floats: one operation on it works on
 * 16 columns at once, in the widest vector instructions the processor has
 * (target_clones compiles the sweep for AVX-512, for AVX2 and for any
 * x86-64, and the loader picks one).  Four running sums, s0..s3, take
 * turns, so that no addition waits for the one before it.  Every version
 * does the same operations in the same order: the results do not depend
 * on the machine. */
typedef float Lanes __attribute__((vector_size(64)));
enum { LANES = 16 };

/* 16 columns: w += ci * x_prev (the update), then *sum += w * x. */
static inline void update_and_multiply(float *w, const Lanes *ci, const float *x_prev,
                                       const float *x, Lanes *sum)
{
    Lanes wj, xp, xj;
    memcpy(&wj, w, sizeof wj);
    memcpy(&xp, x_prev, sizeof xp);
    memcpy(&xj, x, sizeof xj);
    wj += *ci * xp;
    memcpy(w, &wj, sizeof wj);
    *sum += wj * xj;
}

#if defined(__x86_64__) && !defined(__SANITIZE_ADDRESS__)
__attribute__((target_clones("avx512f", "avx2", "default")))
#endif
static void first_layer_sweep(int n_out, int n_in, float *W, const float *c, const float *x_prev,
                              const float *x, const float *b, float *z)
{
    for (int i = 0; i < n_out; i++) {
        float *w = W + (long)i * n_in;
        Lanes s0 = { 0 }, s1 = { 0 }, s2 = { 0 }, s3 = { 0 }, ci = { 0 };
        ci += c[i];                               /* c_i in every lane */
        int j = 0;
        for (; j + 4 * LANES <= n_in; j += 4 * LANES) {
            update_and_multiply(w + j, &ci, x_prev + j, x + j, &s0);
            update_and_multiply(w + j + LANES, &ci, x_prev + j + LANES, x + j + LANES, &s1);
            update_and_multiply(w + j + 2 * LANES, &ci, x_prev + j + 2 * LANES, x + j + 2 * LANES, &s2);
            update_and_multiply(w + j + 3 * LANES, &ci, x_prev + j + 3 * LANES, x + j + 3 * LANES, &s3);
        }
        for (; j + LANES <= n_in; j += LANES)
            update_and_multiply(w + j, &ci, x_prev + j, x + j, &s0);
        Lanes sums = (s0 + s1) + (s2 + s3);
        float zi = 0.0f;
        for (int k = 0; k < LANES; k++)
            zi += sums[k];
        for (; j < n_in; j++) {                   /* the last n_in % 16 columns */
            w[j] += c[i] * x_prev[j];
            zi += w[j] * x[j];
        }
        z[i] = zi + b[i];
    }
}

/* c = -lr delta^[1]: the owed update's factor for each row of W^[1]. */
static void owed_factors(const Mlp32 *net, const Mlp32Work *work, float *c)
{
    for (int i = 0; i < net->sizes[1]; i++)
        c[i] = -work->lr_pending * work->delta[0][i];
}

/* The owed update of W^[1] alone, W^[1] -= lr delta^[1] x^T, with the
 * arithmetic of first_layer_sweep (so the two agree to the bit). */
static void pay_owed_update(Mlp32 *net, Mlp32Work *work)
{
    int n_in = net->sizes[0], n_out = net->sizes[1];
    float *c = work->scratch;
    owed_factors(net, work, c);
    for (int i = 0; i < n_out; i++)
        for (int j = 0; j < n_in; j++)
            net->W[0][(long)i * n_in + j] += c[i] * work->x_pending[j];
    work->pending = 0;
}
/* @handout omit end fused_sweep */

/* ------------------------------------------------------------------------
 * Blocks that a team of threads (mlp32_set_threads) shares out.  A task
 * is cut into a piece a thread: blocks of the batch's rows, or of W's
 * rows, each a multiple of CUT rows (so that the pieces' products meet
 * the BLAS kernels' blocks of rows as the whole would).  Few large pieces
 * keep the BLAS efficient (each piece of an update packs the whole a^[l]
 * again). */
enum { CUT = 16, MIN_SPLIT_ROWS = 32 };

/* The rows of a block when n rows are cut into `pieces` blocks. */
static int block_size(int n, int pieces)
{
    int size = (n + pieces - 1) / pieces;
    return (size + CUT - 1) / CUT * CUT;
}

static int blocks(int n, int block)
{
    return (n + block - 1) / block;
}

/* Block `piece` of n things in blocks of `block`: [*lo, *hi). */
static void block_range(int n, int block, int piece, int *lo, int *hi)
{
    *lo = piece * block;
    *hi = *lo + block < n ? *lo + block : n;
}

/* @handout omit begin fused_steps */
/* On a team (mlp32_set_threads), the sweep goes a block of W^[1]'s rows
 * a thread: the rows are independent, and each thread's block stays in
 * its own core's cache from one step to the next. */
typedef struct {
    Mlp32 *net;
    Mlp32Work *work;
    const float *x, *c;
    int block;        /* W^[1]'s rows a piece */
} Sweep;

static void sweep_piece(void *arg, int piece)
{
    const Sweep *s = arg;
    int n_in = s->net->sizes[0], i0, i1;
    block_range(s->net->sizes[1], s->block, piece, &i0, &i1);
    first_layer_sweep(i1 - i0, n_in, s->net->W[0] + (long)i0 * n_in, s->c + i0,
                      s->work->x_pending, s->x, s->net->b[0] + i0, s->work->a[1] + i0);
}

/* The forward pass of a per-sample step that pays the owed update of
 * W^[1] in the same sweep: z^[1] by first_layer_sweep, a^[1] = g(z^[1])
 * in place, then the layers above as mlp32_forward does. */
static void fused_forward(Mlp32 *net, Mlp32Work *work, const float *x)
{
    int n_out = net->sizes[1];
    float *c = work->scratch, *z = work->a[1];
    owed_factors(net, work, c);
    Sweep sweep = { net, work, x, c, block_size(n_out, team_size(work->team)) };
    team_run(work->team, sweep_piece, &sweep, blocks(n_out, sweep.block));
    if (net->hidden == ACT_SIGMOID)
        sigmoid_forward_f32(n_out, z, z);
    else
        relu_forward_f32(n_out, z, z);
    work->pending = 0;
    forward_from(net, work, 1, z, 1);
}

/* May this step leave W^[1]'s update owed?  A per-sample step on a plain
 * first layer below at least one more layer, when the caller asked. */
static int may_defer(const Mlp32 *net, const Mlp32Work *work, int rows)
{
    return work->defer_first && rows == 1 && net->n_layers > 1 && net->skip[0] == SKIP_NONE;
}

/* Owe W^[1]'s update to the next step: keep x and lr (delta^[1] stays in
 * work->delta[0]); the bias's update, b^[1] -= lr delta^[1], is made now. */
static void defer_first_update(Mlp32 *net, Mlp32Work *work, const float *x, float lr)
{
    memcpy(work->x_pending, x, sizeof(float) * (size_t)net->sizes[0]);
    work->lr_pending = lr;
    work->pending = 1;
    cblas_saxpy(net->sizes[1], -lr, work->delta[0], 1, net->b[0], 1);
}

void mlp32_defer_first_update(Mlp32Work *work, int on)
{
    work->defer_first = on;
}

/* A step's forward pass: the fused one when the last step left W^[1]'s
 * update owed and this one may too, else the owed update, then the plain
 * forward pass. */
static void step_forward(Mlp32 *net, Mlp32Work *work, int rows, const float *X)
{
    if (work->pending && may_defer(net, work, rows)) {
        fused_forward(net, work, X);
        return;
    }
    if (work->pending)
        pay_owed_update(net, work);
    mlp32_forward(net, work, rows, X);
}
/* @handout omit end fused_steps */

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

static float train_step_split(Mlp32 *net, Mlp32Work *work, int rows, const float *X,
                              const unsigned char *labels, float lr);
static int may_split(const Mlp32 *net, const Mlp32Work *work, int rows);

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
    if (may_split(net, work, rows))         /* the same step, shared by threads */
        return train_step_split(net, work, rows, X, labels, lr);
    step_forward(net, work, rows, X);
    float loss = batch_loss(net, work, rows, labels);
    output_error(net, work, rows, rows, labels);
    for (int l = net->n_layers - 1; l >= 0; l--) {
        const float *a_prev = l > 0 ? work->a[l] : X;   /* a^[l] (layer l + 1 is index l) */
        if (!block_backward_f32(net, work, l, rows))     /* chapter 7's blocks */
            error_down(net, l, rows, net->W[l], work->delta[l], 0.0f, a_prev, work->scratch,
                       l > 0 ? work->delta[l - 1] : NULL);
        if (net->skip[l] == SKIP_PROJECTION)
            projection_update_f32(net, work, l, rows, a_prev, lr);
        if (l == 0 && may_defer(net, work, rows))
            defer_first_update(net, work, X, lr);   /* the next step pays W^[1]'s */
        else
            update_layer(net, l, rows, work->delta[l], a_prev, lr);
    }
    return loss / (float)rows;
}
/* @listing end lib_mlp32_step */

/* ------------------------------------------------------------------------
 * A mini-batch step shared by a team of threads (mlp32_set_threads), in
 * two tasks.  First each piece takes a block of the batch's rows through
 * the forward pass, the output error and every error passed down: a row's
 * deltas need only that row and the weights before the step.  Then each
 * piece updates a block of the rows of one W^[l+1] (and b^[l+1]) from
 * all the deltas.  Every piece calls the same functions as the step
 * above, on its block, and the pieces of one task are independent. */

typedef struct {
    Mlp32 *net;
    Mlp32Work *work;
    int rows;
    const float *X;
    const unsigned char *labels;
    float lr;
    int row_block;                         /* the batch's rows go in blocks of this many */
    int w_block[MLP_MAX_LAYERS];           /* W^[l+1]'s rows, in blocks of this many, */
    int first_piece[MLP_MAX_LAYERS + 1];   /* are the update's pieces from this one on */
} SplitStep;

static int may_split(const Mlp32 *net, const Mlp32Work *work, int rows)
{
    if (team_size(work->team) < 2 || rows < MIN_SPLIT_ROWS)
        return 0;
    for (int l = 0; l < net->n_layers; l++)
        if (net->skip[l] != SKIP_NONE)      /* residual networks: one thread */
            return 0;
    return 1;
}

/* work's arrays from row r0 on: a view of the rows a piece owns. */
static Mlp32Work rows_from(const Mlp32 *net, const Mlp32Work *work, int r0)
{
    Mlp32Work v = *work;
    int L = net->n_layers, K = net->sizes[L], widest = 0;
    for (int l = 0; l <= L; l++)
        widest = net->sizes[l] > widest ? net->sizes[l] : widest;
    for (int l = 1; l <= L; l++)
        v.a[l] = work->a[l] + (long)r0 * net->sizes[l];
    for (int l = 0; l < L; l++)
        v.delta[l] = work->delta[l] + (long)r0 * net->sizes[l + 1];
    v.logits = work->logits + (long)r0 * K;
    v.probs2 = work->probs2 + (long)r0 * K;
    v.lse = work->lse + r0;
    v.lse2 = work->lse2 + r0;
    v.scratch = work->scratch + (long)r0 * widest;
    return v;
}

/* One block of rows: the forward pass, the output error, and the errors
 * passed down through every layer above the first. */
static void forward_backward_piece(void *arg, int piece)
{
    const SplitStep *s = arg;
    int r0, r1, L = s->net->n_layers;
    block_range(s->rows, s->row_block, piece, &r0, &r1);
    Mlp32Work v = rows_from(s->net, s->work, r0);
    forward_from(s->net, &v, r1 - r0, s->X + (long)r0 * s->net->sizes[0], 0);
    output_error(s->net, &v, r1 - r0, s->rows, s->labels + r0);
    for (int l = L - 1; l > 0; l--)
        error_down(s->net, l, r1 - r0, s->net->W[l], v.delta[l], 0.0f, v.a[l], v.scratch,
                   v.delta[l - 1]);
}

/* Rows o0..o1 of W^[l+1] and b^[l+1] take their update, from
 * delta^[l+1]'s matching columns, copied side by side. */
static void update_rows(const SplitStep *s, int l, int o0, int o1)
{
    int n_in = s->net->sizes[l], n_out = s->net->sizes[l + 1];
    int before = 0;                  /* the units of the layers below: packed's */
    for (int k = 1; k <= l; k++)     /* columns of W^[l+1] come after theirs */
        before += s->net->sizes[k];
    float *columns = s->work->packed + (long)s->rows * (before + o0);   /* rows x (o1 - o0) */
    for (int r = 0; r < s->rows; r++)
        memcpy(columns + (long)r * (o1 - o0), s->work->delta[l] + (long)r * n_out + o0,
               sizeof(float) * (size_t)(o1 - o0));
    Mlp32 rows_of_W = *s->net;
    rows_of_W.sizes[l + 1] = o1 - o0;
    rows_of_W.W[l] = s->net->W[l] + (long)o0 * n_in;
    rows_of_W.b[l] = s->net->b[l] + o0;
    update_layer(&rows_of_W, l, s->rows, columns, l > 0 ? s->work->a[l] : s->X, s->lr);
}

/* Piece `piece` of the update: a block of the rows of one layer's W. */
static void update_piece(void *arg, int piece)
{
    const SplitStep *s = arg;
    int l = 0, o0, o1;
    while (piece >= s->first_piece[l + 1])
        l++;
    block_range(s->net->sizes[l + 1], s->w_block[l], piece - s->first_piece[l], &o0, &o1);
    update_rows(s, l, o0, o1);
}

static float train_step_split(Mlp32 *net, Mlp32Work *work, int rows, const float *X,
                              const unsigned char *labels, float lr)
{
    if (work->pending)
        pay_owed_update(net, work);
    int pieces = team_size(work->team);
    SplitStep s = { .net = net, .work = work, .rows = rows, .X = X, .labels = labels, .lr = lr,
                    .row_block = block_size(rows, pieces) };
    team_run(work->team, forward_backward_piece, &s, blocks(rows, s.row_block));
    float loss = batch_loss(net, work, rows, labels);
    for (int l = 0; l < net->n_layers; l++) {      /* W^[1]'s pieces first: the largest */
        s.w_block[l] = block_size(net->sizes[l + 1], pieces);
        s.first_piece[l + 1] = s.first_piece[l] + blocks(net->sizes[l + 1], s.w_block[l]);
    }
    team_run(work->team, update_piece, &s, s.first_piece[net->n_layers]);
    return loss / (float)rows;
}

int mlp32_set_threads(Mlp32Work *work, const Mlp32 *net, int n)
{
    team_free(work->team);
    free(work->packed);
    work->team = NULL;
    work->packed = NULL;
    work->threads = 1;
    if (n <= 1)
        return 0;
    int units = 0;
    for (int l = 1; l <= net->n_layers; l++)
        units += net->sizes[l];
    work->packed = malloc(sizeof(float) * (size_t)work->max_rows * (size_t)units);
    work->team = work->packed ? team_create(n) : NULL;
    if (!work->team) {
        free(work->packed);
        work->packed = NULL;
        return -1;
    }
    work->threads = n;
    return 0;
}

void mlp32_finish(Mlp32 *net, Mlp32Work *work)
{
    if (work->pending)
        pay_owed_update(net, work);
}

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
