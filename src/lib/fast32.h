/* fast32.h - the fast engine: chapter 05's network (an Mlp32 of plain
 * layers, sigmoid or ReLU hidden units, a softmax output) trained as fast
 * as this machine allows.  The teaching engine, mlp32.h, is the one the
 * chapters derive and the students write; this one computes the same
 * steps its own way, and agrees with it to rounding (tests/check_fast32.c):
 *
 *   - the sparse first layer.  About four in five MNIST pixels are 0, and
 *     the first layer is most of a step's arithmetic.  A zero input adds
 *     nothing to z^[1] = W^[1] x + b^[1] and nothing to W^[1]'s gradient
 *     delta^[1] x^T, so each batch's non-zero inputs are gathered once and
 *     only their weights are read and updated.  W^[1] is kept transposed
 *     inside the engine (WT, n_0 x n_1), so that a pixel's n_1 weights lie
 *     side by side:
 *         z^[1]_r += x_rj WT[j, :]                 (forward, every non-zero x_rj)
 *         WT[j, :] -= lr sum_r x_rj delta^[1]_r    (the update, pixel by pixel)
 *     The batch goes 64 rows at a time, so that their z^[1] and delta^[1]
 *     stay in the processor's fastest cache, and the pixels 4 neighbours
 *     at a time: a row in which any of the 4 is not 0 takes all 4, and
 *     their 4 rows of WT are used for it from the processor's registers;
 *   - vector instructions: the loops over a row of WT take 16 floats at a
 *     time, compiled for AVX-512, AVX2 and plain x86-64 (the loader picks);
 *   - per-sample steps without the sparse layer ("dense") fuse W^[1]'s
 *     update with the next step's forward pass: one sweep over W^[1]
 *     instead of two (the update is owed until then; fast32_finish pays);
 *   - threads: a mini-batch step's forward and backward passes go a block
 *     of the batch's rows a thread, its updates a block of pixels (WT) or
 *     of a weight matrix's rows a thread, so no two threads write the same
 *     weight.  A one-sample step is too small to share.
 *
 * The layers above the first are dense: cblas_sgemm (cblas_sgemv one
 * sample at a time), as in the teaching engine.
 *
 * While it trains, the engine holds W^[1] in its own layout: call
 * fast32_finish before reading or evaluating the network, and after
 * changing it by other means. */
#ifndef KIT_FAST32_H
#define KIT_FAST32_H

#include "idx.h"
#include "mlp32.h"

typedef struct {
    int max_rows;            /* the largest batch */
    int threads;             /* threads a step may use, the caller's included */
    int sparse;              /* 1 (the default): the first layer skips zero inputs */
    Mlp32Work work;          /* a^[l], delta^[l] and the rest of a batch */
    struct Team *team;       /* the threads, when more than 1 */
    float *WT;               /* W^[1] transposed: n_0 x n_1, */
    int wt_current;          /* when this is 1 (else net->W[0] is current) */
    int *px_start;           /* a batch's non-zero inputs, a block of 64 rows
                              * at a time, by group g of 4 neighbouring
                              * pixels: block c's rows with a non-zero input
                              * in group g are entries px_start[c (n_0 + 1) + g]
                              * to px_start[c (n_0 + 1) + g + 1] - 1 of */
    int *px_row;             /* px_row (the row r) and px_value (the group's */
    float *px_value;         /* 4 inputs x_rj in row r, zeros included); */
    int *block_count;        /* block c has block_count[c] non-zero inputs */
    float *x_owed;           /* dense per-sample steps: W^[1] owes the update */
    float *c_owed;           /* W^[1] += c_owed x_owed^T (c = -lr delta^[1]) */
    int owed;                /* when this is 1 */
    long samples_seen;       /* the samples of all steps so far, and the */
    long inputs_used;        /* first-layer inputs their steps multiplied (the
                              * non-zero ones only with the sparse layer) */
} Fast32;

/* A fast engine for net (plain layers, sigmoid or ReLU, OUTPUT_SOFTMAX),
 * for batches of up to max_rows, on `threads` threads (keep the BLAS on
 * one thread meanwhile: blas_set_threads(1)).  Returns 0, or -1 with a
 * message ("error: ...") for a network it does not train or when memory
 * or threads run out. */
int fast32_create(Fast32 *f, const Mlp32 *net, int max_rows, int threads);
void fast32_free(Fast32 *f);

/* 1 (the default): the first layer skips zero inputs; 0: every input,
 * as the teaching engine does (make bench measures both). */
void fast32_set_sparse(Fast32 *f, int on);

/* One step of gradient descent on the mean loss of rows samples X with
 * their labels, as mlp32_train_step; returns the mean loss before it. */
float fast32_train_step(Fast32 *f, Mlp32 *net, int rows, const float *X,
                        const unsigned char *labels, float lr);

/* Bring net up to date: W^[1] back from the engine's layout, any owed
 * update paid.  Call it before reading or evaluating net. */
void fast32_finish(Fast32 *f, Mlp32 *net);

/* gather_batch (train.h) shared by the engine's threads: the rows idx[]
 * of data into X (rows x dim), their labels into y. */
void fast32_gather_batch(Fast32 *f, const Dataset *data, const int *idx, int rows, float *X,
                         unsigned char *y);

/* The mean floating-point operations of a training step on one sample as
 * the engine ran them so far: mlp32_training_flops with the first layer's
 * 4 n_0 n_1 (forward and gradient) for the non-zero inputs only, when
 * the sparse layer was on; 0 before the first step. */
double fast32_flops_per_sample(const Fast32 *f, const Mlp32 *net);

/* Whether the fast engine trains net: 1, or 0 with the reason in why. */
int fast32_supports(const Mlp32 *net, char *why, int n);

#endif
