/* residual.h - the residual block of chapter 07, forward and backward, in
 * doubles, on a batch of rows samples:
 *
 *     z = W x + b,    y = S x + g(z)              (eq:ch07-block)
 *
 * where g is the hidden activation and the skip S is the identity (an
 * identity skip, which needs n_out == n_in) or a learned n_out x n_in
 * matrix W_s (a projection skip).  Shapes as in dense.h: W and W_s are
 * n_out x n_in, row-major; X is rows x n_in, one sample per row.
 */
#ifndef KIT_RESIDUAL_H
#define KIT_RESIDUAL_H

#include "mlp.h"

/* One block's parameters, not owned. */
typedef struct {
    int n_in, n_out;
    Activation g;
    SkipKind skip;           /* SKIP_IDENTITY or SKIP_PROJECTION */
    const double *W, *b;     /* n_out x n_in, n_out */
    const double *Ws;        /* n_out x n_in: W_s (SKIP_PROJECTION only) */
} ResidualBlock;

/* Where the backward pass writes a block's gradients. */
typedef struct {
    double *dW, *db;         /* dL/dW: n_out x n_in, dL/db: n_out */
    double *dWs;             /* dL/dW_s: n_out x n_in (SKIP_PROJECTION only) */
} ResidualGrads;

/* Whether layer `layer` (1-based, as in the derivation) of a network may
 * have this skip from n_in to n_out units: an identity skip needs equal
 * widths, and the output layer takes no skip.  Returns 0, or -1 after
 * printing a message that names the layer and the widths. */
int residual_check_shape(int layer, int n_in, int n_out, SkipKind skip, int is_output);

/* The forward pass (eq:ch07-block): Z = X W^T + b, Y = X S^T + g(Z). */
void residual_forward(const ResidualBlock *blk, int rows, const double *X, double *Z, double *Y);

/* The backward pass (eq:ch07-backward), given dY = dL/dY and the forward's
 * X and Z: delta = g'(Z) * dY (rows x n_out), the gradients into grads
 * (eq:ch07-weights), and, when dX is not NULL, dX = dY S + delta W, the
 * gradient passed to the layer below.  dX must not alias dY. */
void residual_backward(const ResidualBlock *blk, int rows, const double *X, const double *Z,
                       const double *dY, double *delta, const ResidualGrads *grads, double *dX);

/* The Jacobian of one sample's output with respect to its input,
 * J = S + diag(g'(z)) W (eq:ch07-jacobian), into J (n_out x n_in), given
 * that sample's pre-activations z. */
void residual_jacobian(const ResidualBlock *blk, const double *z, double *J);

#endif
