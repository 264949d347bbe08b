#include "fast32.h"

#include <cblas.h>
#if defined(__x86_64__)
#include <immintrin.h>
#endif
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "activations.h"
#include "team.h"

int fast32_supports(const Mlp32 *net, char *why, int n)
{
    for (int l = 0; l < net->n_layers; l++)
        if (net->skip[l] != SKIP_NONE) {
            snprintf(why, (size_t)n, "layer %d is a residual block; the fast engine trains "
                     "plain layers only", l + 1);
            return 0;
        }
    if (net->output != OUTPUT_SOFTMAX) {
        snprintf(why, (size_t)n, "the output is not a plain softmax (the double softmax of "
                 "chapter 05 is the teaching engine's)");
        return 0;
    }
    if (net->hidden != ACT_SIGMOID && net->hidden != ACT_RELU) {
        snprintf(why, (size_t)n, "its hidden units are neither sigmoid nor ReLU");
        return 0;
    }
    if (net->n_layers < 2) {
        snprintf(why, (size_t)n, "it has one layer; the fast engine needs two or more");
        return 0;
    }
    return 1;
}

void fast32_set_sparse(Fast32 *f, int on)
{
    f->sparse = on;
}

/* Dense FLOPs of a step on one sample, less the first layer's forward
 * product and gradient (4 n_0 n_1), plus 4 n_1 for each input the engine
 * used on average. */
double fast32_flops_per_sample(const Fast32 *f, const Mlp32 *net)
{
    if (f->samples_seen == 0)
        return 0.0;
    double n1 = net->sizes[1];
    double used = (double)f->inputs_used / (double)f->samples_seen;
    return (double)mlp32_training_flops(net) - 4.0 * net->sizes[0] * n1 + 4.0 * used * n1;
}

/* The fast engine's own way of computing chapter 05's forward pass,
 * backward pass and update: the handout leaves it out (tools/regions.py,
 * @handout omit) and trains with the student's teaching engine instead. */
/* @handout omit begin fast_engine */

/* ------------------------------------------------------------------------
 * Vectors of 16 floats.  `Lanes` is a GCC/Clang vector type: one operation
 * on it works on 16 columns at once, in the widest vector instructions the
 * processor has.  The loops over them are compiled three times
 * (target_clones: AVX-512, AVX2, any x86-64) and the loader picks one.
 * With GCC, a * b + c in them is one fused multiply-add where the
 * processor has it (AVX-512), rounded once instead of twice: the results
 * agree with the teaching engine's to rounding on every machine, and to
 * the bit only on the same kind of machine. */
typedef float Lanes __attribute__((vector_size(64)));
enum { LANES = 16 };

/* GCC warns that passing a Lanes by value (as SLEEF's AVX-512 expf does)
 * needs AVX-512's calling convention; only code built for it does so. */
#pragma GCC diagnostic ignored "-Wpsabi"

#if defined(__x86_64__) && !defined(__SANITIZE_ADDRESS__) && defined(__clang__)
#define VECTOR_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#elif defined(__x86_64__) && !defined(__SANITIZE_ADDRESS__)
#define VECTOR_CLONES __attribute__((target_clones("avx512f", "avx2", "default"), optimize("fp-contract=fast")))
#else
#define VECTOR_CLONES
#endif

/* The same 16 floats read and written in place, at any float's address
 * of an array: *(LanesAt *)p is p[0..15] as one vector.  (Small
 * functions returning a Lanes would be shorter to call, but a compiler may
 * refuse to return one from code built for processors without AVX-512.) */
typedef float LanesAt __attribute__((vector_size(64), aligned(4), may_alias));

/* ZERO + x: the number x in all 16 lanes. */
static const Lanes ZERO = { 0 };

/* ------------------------------------------------------------------------
 * The sparse first layer. */

/* The sparse first layer takes the batch a block of rows at a time, BLOCK
 * of them (fewer, 32 or 16, when that leaves too few blocks for the
 * threads; sparse_block): a block's z^[1] and delta^[1], BLOCK x n_1
 * floats each, stay in the processor's fastest cache while the rows of WT
 * go by, one pixel after another. */
enum { BLOCK = 64, SMALLEST_BLOCK = 16 };

/* The pixels that are 0 in every row r0..r1 of X: seen[j] is the bits of
 * the rows' x_rj ORed together, 0 only when all are (+0.0), 16 pixels at
 * a time as one vector of integers.  Returns how many inputs are not 0
 * (have a bit set: a -0.0 would count, and MNIST has none). */
typedef uint32_t Bits __attribute__((vector_size(64)));

static inline int pixels_seen(const float *X, int n_in, int r0, int r1, int *seen)
{
    int j = 0, nonzero = 0;
    Bits count = { 0 };                    /* of non-zero inputs, by lane */
    for (; j + LANES <= n_in; j += LANES) {
        Bits any = { 0 }, bits;
        for (int r = r0; r < r1; r++) {
            memcpy(&bits, X + (long)r * n_in + j, sizeof bits);
            any |= bits;
            count -= bits != 0;            /* a true comparison is -1 in each lane */
        }
        memcpy(seen + j, &any, sizeof any);
    }
    for (int i = 0; i < LANES; i++)
        nonzero += (int)count[i];
    for (; j < n_in; j++) {
        uint32_t any = 0, bits;
        for (int r = r0; r < r1; r++) {
            memcpy(&bits, X + (long)r * n_in + j, sizeof bits);
            any |= bits;
            nonzero += bits != 0;
        }
        seen[j] = (int)any;
    }
    return nonzero;
}

/* The inputs of GROUP neighbouring pixels go together: a row in which any
 * of them is not 0 brings all GROUP of them (zeros included), and the
 * group's GROUP rows of WT are used for each such row while they sit in
 * the processor's registers.  A stroke of a digit covers neighbouring
 * pixels together, so few of the inputs brought are 0, and each value of
 * z^[1] or delta^[1] read or written serves GROUP pixels instead of one. */
enum { GROUP = 4 };

/* The groups of n_in pixels (the last one may hold fewer). */
static int pixel_groups(int n_in)
{
    return (n_in + GROUP - 1) / GROUP;
}

/* Rows r0..r1 of X, group by group of pixels: the rows in which any of
 * the group's inputs x_rj is not 0, into row[], and the group's inputs in
 * those rows, GROUP a row, into value[], from entry `first` on; group g's
 * entries are start[g] .. start[g + 1] - 1.  A group that is 0 in every
 * row is passed over at once (pixels_seen, into start[], whose place
 * start[g] is read for the pixels 4g..4g+3 before it is written); in the
 * others, every row is written at the next free entry, which moves on only
 * when one of its inputs has a bit set: no branch, which the processor
 * could not predict.  Returns the number of non-zero inputs. */
VECTOR_CLONES
static int block_nonzeros(const float *X, int n_in, int r0, int r1, int first, int *start,
                          int *row, float *value)
{
    int k = first, groups = pixel_groups(n_in);
    int nonzero = pixels_seen(X, n_in, r0, r1, start);
    for (int g = 0; g < groups; g++) {
        int j0 = g * GROUP, width = n_in - j0 < GROUP ? n_in - j0 : GROUP, seen = 0;
        for (int i = 0; i < width; i++)
            seen |= start[j0 + i];
        start[g] = k;
        for (int r = r0; seen && r < r1; r++) {
            const float *x = X + (long)r * n_in + j0;
            float *v = value + (long)k * GROUP;
            uint32_t bits[GROUP];
            if (width == GROUP)
                memcpy(v, x, sizeof(float) * GROUP);
            else
                for (int i = 0; i < GROUP; i++)      /* the last group, past n_0: zeros */
                    v[i] = i < width ? x[i] : 0.0f;
            memcpy(bits, v, sizeof bits);
            row[k] = r;
            k += (bits[0] | bits[1] | bits[2] | bits[3]) != 0;
        }
    }
    start[groups] = k;
    return nonzero;
}

/* One group's share of z^[1] = W^[1] x + b^[1]: for each of its count
 * rows, Z[row[k], :] += sum_i value[k GROUP + i] w_i, with w_0..w_3 the
 * group's pixels' weights (rows of WT, n_out apart), 32 columns at a time
 * held in registers (two vectors a pixel), then one. */
VECTOR_CLONES
static void sparse_forward_group(int n_out, const float *w, int count, const int *row,
                                 const float *value, float *Z)
{
    const float *w0 = w, *w1 = w + n_out, *w2 = w + 2 * n_out, *w3 = w + 3 * n_out;
    int c = 0;
    for (; c + 2 * LANES <= n_out; c += 2 * LANES) {
        const LanesAt *p0 = (const LanesAt *)(w0 + c), *p1 = (const LanesAt *)(w1 + c),
                      *p2 = (const LanesAt *)(w2 + c), *p3 = (const LanesAt *)(w3 + c);
        Lanes a0 = p0[0], a1 = p0[1], b0 = p1[0], b1 = p1[1];      /* pixels 0 and 1, */
        Lanes c0 = p2[0], c1 = p2[1], d0 = p3[0], d1 = p3[1];      /* 2 and 3 */
        for (int k = 0; k < count; k++) {
            const float *v = value + (long)k * GROUP;
            LanesAt *z = (LanesAt *)(Z + (long)row[k] * n_out + c);
            Lanes x0 = ZERO + v[0], x1 = ZERO + v[1], x2 = ZERO + v[2], x3 = ZERO + v[3];
            z[0] += x0 * a0 + x1 * b0 + x2 * c0 + x3 * d0;
            z[1] += x0 * a1 + x1 * b1 + x2 * c1 + x3 * d1;
        }
    }
    for (; c < n_out; c++)
        for (int k = 0; k < count; k++) {
            const float *v = value + (long)k * GROUP;
            Z[(long)row[k] * n_out + c] += v[0] * w0[c] + v[1] * w1[c] + v[2] * w2[c] + v[3] * w3[c];
        }
}

/* One group's rows of WT take their update: w_i -= lr sum_k value[k GROUP + i]
 * delta[row[k], :] (rows of W^[1]'s gradient delta^[1]^T x, from the rows
 * whose inputs in the group are not all 0), summed in registers, 32
 * columns at a time, then written once. */
VECTOR_CLONES
static void sparse_update_group(int n_out, float *w, int count, const int *row,
                                const float *value, const float *delta, float lr)
{
    float *w0 = w, *w1 = w + n_out, *w2 = w + 2 * n_out, *w3 = w + 3 * n_out;
    Lanes step = ZERO - lr;
    int c = 0;
    for (; c + 2 * LANES <= n_out; c += 2 * LANES) {
        Lanes a0 = ZERO, a1 = ZERO, b0 = ZERO, b1 = ZERO, c0 = ZERO, c1 = ZERO, d0 = ZERO,
              d1 = ZERO;
        for (int k = 0; k < count; k++) {
            const float *v = value + (long)k * GROUP;
            const LanesAt *d = (const LanesAt *)(delta + (long)row[k] * n_out + c);
            Lanes e0 = d[0], e1 = d[1];
            Lanes x0 = ZERO + v[0], x1 = ZERO + v[1], x2 = ZERO + v[2], x3 = ZERO + v[3];
            a0 += x0 * e0;
            a1 += x0 * e1;
            b0 += x1 * e0;
            b1 += x1 * e1;
            c0 += x2 * e0;
            c1 += x2 * e1;
            d0 += x3 * e0;
            d1 += x3 * e1;
        }
        LanesAt *p0 = (LanesAt *)(w0 + c), *p1 = (LanesAt *)(w1 + c), *p2 = (LanesAt *)(w2 + c),
                *p3 = (LanesAt *)(w3 + c);
        p0[0] += step * a0;
        p0[1] += step * a1;
        p1[0] += step * b0;
        p1[1] += step * b1;
        p2[0] += step * c0;
        p2[1] += step * c1;
        p3[0] += step * d0;
        p3[1] += step * d1;
    }
    for (; c < n_out; c++) {
        float s0 = 0.0f, s1 = 0.0f, s2 = 0.0f, s3 = 0.0f;
        for (int k = 0; k < count; k++) {
            const float *v = value + (long)k * GROUP;
            float d = delta[(long)row[k] * n_out + c];
            s0 += v[0] * d;
            s1 += v[1] * d;
            s2 += v[2] * d;
            s3 += v[3] * d;
        }
        w0[c] += -lr * s0;
        w1[c] += -lr * s1;
        w2[c] += -lr * s2;
        w3[c] += -lr * s3;
    }
}

/* W^[1] between its two layouts. */
static void transpose(int rows, int cols, const float *A, float *B)
{
    for (int i = 0; i < rows; i++)
        for (int j = 0; j < cols; j++)
            B[(long)j * rows + i] = A[(long)i * cols + j];
}

/* ------------------------------------------------------------------------
 * The dense per-sample path: W^[1]'s update fused with the next step's
 * forward pass.  For each row i of W = W^[1] (n_out x n_in), first the
 * owed update w_ij += c_i x_prev_j (c_i = -lr delta_i of the step before),
 * then z_i = sum_j w_ij x_j + b_i for this step's sample x, while the row
 * is still in the processor's cache.  Four running sums take turns, so
 * that no addition waits for the one before it. */

/* 16 columns: w += ci * x_prev (the update), then *sum += w * x. */
static inline void update_and_multiply(float *w, const Lanes *ci, const float *x_prev,
                                       const float *x, Lanes *sum)
{
    Lanes wj = *(const LanesAt *)w + *ci * *(const LanesAt *)x_prev;
    *(LanesAt *)w = wj;
    *sum += wj * *(const LanesAt *)x;
}

VECTOR_CLONES
static void first_layer_sweep(int n_out, int n_in, float *W, const float *c, const float *x_prev,
                              const float *x, const float *b, float *z)
{
    for (int i = 0; i < n_out; i++) {
        float *w = W + (long)i * n_in;
        Lanes s0 = { 0 }, s1 = { 0 }, s2 = { 0 }, s3 = { 0 }, ci = ZERO + c[i];
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

/* The owed update alone, W^[1] += c x_owed^T, with the arithmetic of
 * first_layer_sweep (so the two agree to the bit). */
VECTOR_CLONES
static void pay_owed_update(Fast32 *f, Mlp32 *net)
{
    int n_in = net->sizes[0], n_out = net->sizes[1];
    for (int i = 0; i < n_out; i++)
        for (int j = 0; j < n_in; j++)
            net->W[0][(long)i * n_in + j] += f->c_owed[i] * f->x_owed[j];
    f->owed = 0;
}

/* ------------------------------------------------------------------------
 * Pieces for the team of threads.  A task is cut into a piece a thread:
 * blocks of W's rows or of WT's groups of pixels, each a multiple of CUT
 * (so that the pieces' products meet the BLAS kernels' blocks of 16 rows
 * as the whole would); or blocks of the batch's rows, one block of the
 * sparse layer a piece, so that their a^[l] and delta^[l] also stay in
 * the processor's caches from one layer to the next. */
enum { CUT = 16 };

/* The rows of a block of the sparse layer for a batch of `rows` on
 * `pieces` threads: BLOCK, halved while the threads would have fewer
 * blocks than one each (down to SMALLEST_BLOCK). */
static int sparse_block(int rows, int pieces)
{
    int block = BLOCK;
    while (block > SMALLEST_BLOCK && rows < block * pieces)
        block /= 2;
    return block;
}

static int block_size(int n, int pieces)
{
    int size = (n + pieces - 1) / pieces;
    return (size + CUT - 1) / CUT * CUT;
}

static int blocks(int n, int block)
{
    return (n + block - 1) / block;
}

static void block_range(int n, int block, int piece, int *lo, int *hi)
{
    *lo = piece * block;
    *hi = *lo + block < n ? *lo + block : n;
}

/* One step's task, as the pieces see it. */
typedef struct {
    Fast32 *f;
    Mlp32 *net;
    int rows;
    const float *X;
    const unsigned char *labels;
    float lr;
    int row_block;                         /* the batch's rows go in blocks of this many */
                                           /* (the sparse layer's blocks) */
    int w_block[MLP_MAX_LAYERS];           /* layer index l's update in blocks of this */
    int first_piece[MLP_MAX_LAYERS + 1];   /* many, pieces first_piece[l] on */
} Step;

/* ------------------------------------------------------------------------
 * Forward and backward, a block of rows r0..r1 at a time. */

/* z = A W^T + b, rows x n_out, for the layers above the first. */
static void dense_forward(int rows, int n_in, int n_out, const float *A, const float *W,
                          const float *b, float *Z)
{
    for (int r = 0; r < rows; r++)
        memcpy(Z + (long)r * n_out, b, sizeof(float) * (size_t)n_out);
    if (rows == 1)
        cblas_sgemv(CblasRowMajor, CblasNoTrans, n_out, n_in, 1.0f, W, n_in, A, 1, 1.0f, Z, 1);
    else
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, rows, n_out, n_in,
                    1.0f, A, n_in, W, n_in, 1.0f, Z, n_out);
}

/* a = 1 / (1 + e^-z) in place, 16 at a time with SLEEF's expf for
 * AVX-512 (Sleef_expf16_u10avx512f, within 1 ulp) where the processor has
 * it; elsewhere, and for the last n % 16, the library's sigmoid. */
#if defined(__x86_64__) && !defined(__SANITIZE_ADDRESS__)
/* SLEEF's header declares it only to code compiled for AVX-512 throughout. */
__attribute__((target("avx512f"))) __m512 Sleef_expf16_u10avx512f(__m512 x);

__attribute__((target("avx512f")))
static void sigmoid_avx512(int n, float *z)
{
    const __m512 one = _mm512_set1_ps(1.0f);
    int i = 0;
    for (; i + 16 <= n; i += 16) {
        __m512 e = Sleef_expf16_u10avx512f(_mm512_sub_ps(_mm512_setzero_ps(), _mm512_loadu_ps(z + i)));
        _mm512_storeu_ps(z + i, _mm512_div_ps(one, _mm512_add_ps(one, e)));
    }
    sigmoid_forward_f32(n - i, z + i, z + i);
}
#endif

static void sigmoid_in_place(int n, float *z)
{
#if defined(__x86_64__) && !defined(__SANITIZE_ADDRESS__)
    if (__builtin_cpu_supports("avx512f")) {
        sigmoid_avx512(n, z);
        return;
    }
#endif
    sigmoid_forward_f32(n, z, z);
}

/* delta = da * g'(z) with g' = a (1 - a) for the sigmoid, 16 at a time;
 * ReLU's from the library. */
VECTOR_CLONES
static void hidden_backward(Activation g, int n, const float *a, const float *da, float *delta)
{
    if (g != ACT_SIGMOID) {
        relu_backward_f32(n, a, da, delta);
        return;
    }
    int i = 0;
    for (; i + LANES <= n; i += LANES) {
        Lanes ai = *(const LanesAt *)(a + i), di = *(const LanesAt *)(da + i) * ai * ((ZERO + 1.0f) - ai);
        *(LanesAt *)(delta + i) = di;
    }
    for (; i < n; i++)
        delta[i] = da[i] * a[i] * (1.0f - a[i]);
}

static void activate(const Mlp32 *net, int n, float *z)
{
    if (net->hidden == ACT_SIGMOID)
        sigmoid_in_place(n, z);
    else
        relu_forward_f32(n, z, z);
}

/* z^[1] for rows r0..r1: sparse, a block of rows at a time, from the
 * non-zero inputs (gathered here), or dense, W^[1] X^T + b as the
 * teaching engine computes it. */
static void first_layer_forward(const Step *s, int r0, int r1)
{
    Fast32 *f = s->f;
    int n_in = s->net->sizes[0], n_out = s->net->sizes[1];
    float *Z = f->work.a[1];
    if (!f->sparse) {
        dense_forward(r1 - r0, n_in, n_out, s->X + (long)r0 * n_in, s->net->W[0], s->net->b[0],
                      Z + (long)r0 * n_out);
        return;
    }
    int size = s->row_block;
    for (int b0 = r0; b0 < r1; b0 += size) {
        int b1 = b0 + size < r1 ? b0 + size : r1, block = b0 / size;
        int *start = f->px_start + (long)block * (n_in + 1);
        f->block_count[block] = block_nonzeros(s->X, n_in, b0, b1, block * size * pixel_groups(n_in), start,
                                               f->px_row, f->px_value);
        for (int r = b0; r < b1; r++)
            memcpy(Z + (long)r * n_out, s->net->b[0], sizeof(float) * (size_t)n_out);
        for (int g = 0; g < pixel_groups(n_in); g++)
            if (start[g + 1] > start[g])
                sparse_forward_group(n_out, f->WT + (long)g * GROUP * n_out, start[g + 1] - start[g],
                                     f->px_row + start[g], f->px_value + (long)start[g] * GROUP, Z);
    }
}

/* Rows r0..r1 from a^[1] on: the layers above the first, the softmax,
 * delta^[L] = (f - e_y) / rows, and each delta^[l] below it down to
 * delta^[1] = (delta^[2] W^[2]) * g'(z^[1]) (eq:ch03 backward). */
static void upper_forward_backward(const Step *s, int r0, int r1)
{
    const Mlp32 *net = s->net;
    Mlp32Work *w = &s->f->work;
    int L = net->n_layers, K = net->sizes[L], n = r1 - r0, widest = 0;
    for (int l = 0; l <= L; l++)
        widest = net->sizes[l] > widest ? net->sizes[l] : widest;
    for (int l = 1; l < L; l++) {
        int n_in = net->sizes[l], n_out = net->sizes[l + 1];
        float *z = l == L - 1 ? w->logits + (long)r0 * K : w->a[l + 1] + (long)r0 * n_out;
        dense_forward(n, n_in, n_out, w->a[l] + (long)r0 * n_in, net->W[l], net->b[l], z);
        if (l < L - 1)
            activate(net, n * n_out, z);
    }
    softmax_forward_f32(n, K, w->logits + (long)r0 * K, w->a[L] + (long)r0 * K, w->lse + r0);
    float scale = 1.0f / (float)s->rows;
    for (int r = r0; r < r1; r++)
        for (int k = 0; k < K; k++)
            w->delta[L - 1][(long)r * K + k] = (w->a[L][(long)r * K + k] - (k == s->labels[r])) * scale;
    float *da = w->scratch + (long)r0 * widest;
    for (int l = L - 1; l > 0; l--) {
        int n_in = net->sizes[l], n_out = net->sizes[l + 1];
        const float *delta = w->delta[l] + (long)r0 * n_out;
        if (n == 1)
            cblas_sgemv(CblasRowMajor, CblasTrans, n_out, n_in, 1.0f, net->W[l], n_in, delta, 1,
                        0.0f, da, 1);
        else
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n_in, n_out, 1.0f, delta,
                        n_out, net->W[l], n_in, 0.0f, da, n_in);
        const float *a = w->a[l] + (long)r0 * n_in;
        float *delta_below = w->delta[l - 1] + (long)r0 * n_in;
        hidden_backward(net->hidden, n * n_in, a, da, delta_below);
    }
}

static void forward_backward_piece(void *arg, int piece)
{
    const Step *s = arg;
    int r0, r1, n_out = s->net->sizes[1];
    block_range(s->rows, s->row_block, piece, &r0, &r1);
    first_layer_forward(s, r0, r1);
    activate(s->net, (r1 - r0) * n_out, s->f->work.a[1] + (long)r0 * n_out);
    upper_forward_backward(s, r0, r1);
}

/* ------------------------------------------------------------------------
 * The updates, a block at a time. */

/* Rows o0..o1 of layer index l's W: W -= lr delta^T a (the gradient and
 * the step in one product, on the block's columns of delta). */
static void dense_update_rows(const Step *s, int l, int o0, int o1)
{
    int n_in = s->net->sizes[l], n_out = s->net->sizes[l + 1];
    const float *a = l > 0 ? s->f->work.a[l] : s->X, *delta = s->f->work.delta[l] + o0;
    float *W = s->net->W[l] + (long)o0 * n_in;
    if (s->rows == 1)
        cblas_sger(CblasRowMajor, o1 - o0, n_in, -s->lr, delta, 1, a, 1, W, n_in);
    else
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, o1 - o0, n_in, s->rows, -s->lr,
                    delta, n_out, a, n_in, 1.0f, W, n_in);
}

/* Groups g0..g1 of WT's pixels: their rows of WT from the samples whose
 * pixels are not 0, a block of rows at a time. */
static void sparse_update_groups(const Step *s, int g0, int g1)
{
    Fast32 *f = s->f;
    int n_in = s->net->sizes[0], n_out = s->net->sizes[1];
    for (int block = 0; block * s->row_block < s->rows; block++) {
        const int *start = f->px_start + (long)block * (n_in + 1);
        for (int g = g0; g < g1; g++)
            if (start[g + 1] > start[g])
                sparse_update_group(n_out, f->WT + (long)g * GROUP * n_out, start[g + 1] - start[g],
                                    f->px_row + start[g], f->px_value + (long)start[g] * GROUP,
                                    f->work.delta[0], s->lr);
    }
}

/* The units of layer index l's update that pieces share: W's rows, or
 * for the sparse first layer WT's groups of pixels. */
static int update_units(const Step *s, int l)
{
    return l == 0 && s->f->sparse ? pixel_groups(s->net->sizes[0]) : s->net->sizes[l + 1];
}

/* Piece `piece` of the update: a block of one layer's rows (of WT's
 * pixels for a sparse first layer). */
static void update_piece(void *arg, int piece)
{
    const Step *s = arg;
    int l = 0, lo, hi;
    while (piece >= s->first_piece[l + 1])
        l++;
    block_range(update_units(s, l), s->w_block[l], piece - s->first_piece[l], &lo, &hi);
    if (l == 0 && s->f->sparse)
        sparse_update_groups(s, lo, hi);
    else
        dense_update_rows(s, l, lo, hi);
}

/* b^[l] -= lr (column sums of delta^[l]), every layer, a row at a time as
 * the teaching engine's cblas_saxpy does (here 16 at a time in a loop: a
 * call to the BLAS for so short a vector costs more than its arithmetic). */
VECTOR_CLONES
static void update_biases(const Step *s)
{
    for (int l = 0; l < s->net->n_layers; l++) {
        int n = s->net->sizes[l + 1];
        float *b = s->net->b[l];
        for (int r = 0; r < s->rows; r++) {
            const float *delta = s->f->work.delta[l] + (long)r * n;
            int i = 0;
            for (; i + LANES <= n; i += LANES) {
                Lanes bi = *(const LanesAt *)(b + i) + (ZERO + -s->lr) * *(const LanesAt *)(delta + i);
                *(LanesAt *)(b + i) = bi;
            }
            for (; i < n; i++)
                b[i] += -s->lr * delta[i];
        }
    }
}

/* ------------------------------------------------------------------------
 * The steps. */

/* W^[1] in the layout this step needs: WT for the sparse layer, net's
 * own for the dense one. */
static void arrange_first_layer(Fast32 *f, Mlp32 *net)
{
    int n_in = net->sizes[0], n_out = net->sizes[1];
    if (f->owed)
        pay_owed_update(f, net);
    if (f->sparse && !f->wt_current)
        transpose(n_out, n_in, net->W[0], f->WT);
    else if (!f->sparse && f->wt_current)
        transpose(n_in, n_out, f->WT, net->W[0]);
    f->wt_current = f->sparse;
}

/* The sum of the rows' losses, -log f_y = lse - z_y, after the forward pass. */
static float batch_loss(const Fast32 *f, const Mlp32 *net, int rows, const unsigned char *labels)
{
    int K = net->sizes[net->n_layers];
    float loss = 0.0f;
    for (int r = 0; r < rows; r++)
        loss += f->work.lse[r] - f->work.logits[(long)r * K + labels[r]];
    return loss;
}

/* A step with every update made now: forward and backward a block of rows
 * a thread, then the updates a block of a layer a thread. */
static float step_now(Fast32 *f, Mlp32 *net, int rows, const float *X,
                      const unsigned char *labels, float lr)
{
    int pieces = team_size(f->team), n_in = net->sizes[0];
    arrange_first_layer(f, net);
    Step s = { .f = f, .net = net, .rows = rows, .X = X, .labels = labels, .lr = lr,
               .row_block = sparse_block(rows, pieces) };
    team_run(f->team, forward_backward_piece, &s, blocks(rows, s.row_block));
    float loss = batch_loss(f, net, rows, labels);
    /* One sample's step is too small to share (a helper would take longer
     * to start than the piece takes): the caller does it all then. */
    int sharing = rows > 1 ? pieces : 1;
    for (int l = 0; l < net->n_layers; l++) {      /* W^[1]'s pieces first: the largest */
        int n = update_units(&s, l);
        s.w_block[l] = block_size(n, sharing);
        s.first_piece[l + 1] = s.first_piece[l] + blocks(n, s.w_block[l]);
    }
    if (sharing > 1)
        team_run(f->team, update_piece, &s, s.first_piece[net->n_layers]);
    else                                           /* no thread waits on a helper */
        for (int piece = 0; piece < s.first_piece[net->n_layers]; piece++)
            update_piece(&s, piece);
    update_biases(&s);
    f->samples_seen += rows;
    if (!f->sparse)
        f->inputs_used += (long)rows * n_in;
    for (int block = 0; f->sparse && block * s.row_block < rows; block++)
        f->inputs_used += f->block_count[block];
    return loss / (float)rows;
}

/* The dense per-sample step's sweep, a block of W^[1]'s rows a thread. */
typedef struct {
    Fast32 *f;
    Mlp32 *net;
    const float *x;
    int block;
} Sweep;

static void sweep_piece(void *arg, int piece)
{
    const Sweep *s = arg;
    int n_in = s->net->sizes[0], i0, i1;
    block_range(s->net->sizes[1], s->block, piece, &i0, &i1);
    first_layer_sweep(i1 - i0, n_in, s->net->W[0] + (long)i0 * n_in, s->f->c_owed + i0,
                      s->f->x_owed, s->x, s->net->b[0] + i0, s->f->work.a[1] + i0);
}

/* A dense per-sample step that leaves W^[1]'s update owed to the next:
 * the sweep pays the last step's and computes z^[1] (or, with nothing
 * owed, computes z^[1] with c = 0), then the layers above, then the
 * updates of W^[2..L] and every bias now, and W^[1]'s owed. */
static float step_owing(Fast32 *f, Mlp32 *net, const float *x, const unsigned char *label, float lr)
{
    int n_in = net->sizes[0], n_out = net->sizes[1];
    if (f->wt_current)
        arrange_first_layer(f, net);
    if (!f->owed) {                              /* nothing owed: a sweep with c = 0 */
        memset(f->c_owed, 0, sizeof(float) * (size_t)n_out);
        memset(f->x_owed, 0, sizeof(float) * (size_t)n_in);
    }
    Sweep sweep = { f, net, x, block_size(n_out, team_size(f->team)) };
    team_run(f->team, sweep_piece, &sweep, blocks(n_out, sweep.block));
    Step s = { .f = f, .net = net, .rows = 1, .X = x, .labels = label, .lr = lr, .row_block = 1 };
    activate(net, n_out, f->work.a[1]);
    upper_forward_backward(&s, 0, 1);
    float loss = batch_loss(f, net, 1, label);
    for (int l = 1; l < net->n_layers; l++)
        dense_update_rows(&s, l, 0, net->sizes[l + 1]);
    update_biases(&s);
    for (int i = 0; i < n_out; i++)              /* owed: W^[1] += c x^T, c = -lr delta^[1] */
        f->c_owed[i] = -lr * f->work.delta[0][i];
    memcpy(f->x_owed, x, sizeof(float) * (size_t)n_in);
    f->owed = 1;
    f->samples_seen += 1;
    f->inputs_used += n_in;
    return loss;
}

float fast32_train_step(Fast32 *f, Mlp32 *net, int rows, const float *X,
                        const unsigned char *labels, float lr)
{
    if (rows == 1 && !f->sparse)
        return step_owing(f, net, X, labels, lr);
    return step_now(f, net, rows, X, labels, lr);
}

void fast32_finish(Fast32 *f, Mlp32 *net)
{
    if (f->owed)
        pay_owed_update(f, net);
    if (f->wt_current)
        transpose(net->sizes[0], net->sizes[1], f->WT, net->W[0]);
    f->wt_current = 0;
}

/* ------------------------------------------------------------------------
 * Gathering a batch, a block of rows a thread. */
typedef struct {
    const Dataset *data;
    const int *idx;
    int rows, block;
    float *X;
    unsigned char *y;
} Gather;

enum { AHEAD = 4 };

static void gather_piece(void *arg, int piece)
{
    const Gather *g = arg;
    int dim = g->data->dim;
    int r1 = g->rows < g->block * (piece + 1) ? g->rows : g->block * (piece + 1);
    for (int r = g->block * piece; r < r1; r++) {
        if (r + AHEAD < r1) {   /* ask for the start of a row AHEAD rows on, which memory */
            const char *next = (const char *)(g->data->x + (long)g->idx[r + AHEAD] * dim);
            for (int line = 0; line < 8; line++)     /* is slow to give; the processor */
                __builtin_prefetch(next + 64 * line); /* fetches the rest as it is read */
        }
        memcpy(g->X + (long)r * dim, g->data->x + (long)g->idx[r] * dim, sizeof(float) * (size_t)dim);
        g->y[r] = g->data->y[g->idx[r]];
    }
}

void fast32_gather_batch(Fast32 *f, const Dataset *data, const int *idx, int rows, float *X,
                         unsigned char *y)
{
    /* A few rows are copied sooner than a helper starts: one thread then. */
    int size = team_size(f->team), pieces = rows >= 16 * size ? size : 1;
    Gather g = { data, idx, rows, (rows + pieces - 1) / pieces, X, y };
    team_run(f->team, gather_piece, &g, pieces);
}

/* ------------------------------------------------------------------------
 * Making and freeing one. */

int fast32_create(Fast32 *f, const Mlp32 *net, int max_rows, int threads)
{
    char why[160];
    memset(f, 0, sizeof *f);
    if (!fast32_supports(net, why, sizeof why)) {
        fprintf(stderr, "error: the fast engine does not train this network: %s\n", why);
        return -1;
    }
    int n_in = net->sizes[0], n_out = net->sizes[1];
    /* blocks of 64, 32 or 16 rows cover at most max_rows rounded up to 64 */
    size_t entries = (size_t)((max_rows + BLOCK - 1) / BLOCK * BLOCK) * (size_t)pixel_groups(n_in);
    f->max_rows = max_rows;
    f->threads = threads < 1 ? 1 : threads;
    f->sparse = 1;
    int ok = mlp32_work_create(&f->work, net, max_rows) == 0;
    /* WT has a row for each pixel of the last group, those past n_0 zeros */
    ok &= (f->WT = calloc((size_t)pixel_groups(n_in) * GROUP * (size_t)n_out, sizeof(float))) != NULL;
    size_t blocks_of_rows = (size_t)(max_rows + SMALLEST_BLOCK - 1) / SMALLEST_BLOCK;
    ok &= (f->block_count = malloc(sizeof(int) * blocks_of_rows)) != NULL;
    ok &= (f->px_start = malloc(sizeof(int) * blocks_of_rows * (size_t)(n_in + 1))) != NULL;
    ok &= (f->px_row = malloc(sizeof(int) * entries)) != NULL;
    ok &= (f->px_value = malloc(sizeof(float) * entries * GROUP)) != NULL;
    ok &= (f->x_owed = malloc(sizeof(float) * (size_t)n_in)) != NULL;
    ok &= (f->c_owed = malloc(sizeof(float) * (size_t)n_out)) != NULL;
    if (ok && f->threads > 1)
        ok &= (f->team = team_create(f->threads)) != NULL;
    if (!ok) {
        fast32_free(f);
        fprintf(stderr, "error: the fast engine: out of memory or threads for a batch of %d\n",
                max_rows);
        return -1;
    }
    return 0;
}

void fast32_free(Fast32 *f)
{
    mlp32_work_free(&f->work);
    team_free(f->team);
    free(f->WT);
    free(f->block_count);
    free(f->px_start);
    free(f->px_row);
    free(f->px_value);
    free(f->x_owed);
    free(f->c_owed);
    memset(f, 0, sizeof *f);
}
/* @handout omit end fast_engine */
