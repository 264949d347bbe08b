#include "residual.h"

#include <cblas.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "activations.h"
#include "dense.h"

int residual_check_shape(int layer, int n_in, int n_out, SkipKind skip, int is_output)
{
    if (skip != SKIP_NONE && is_output) {
        fprintf(stderr, "error: layer %d is the output layer and cannot have a skip\n", layer);
        return -1;
    }
    if (skip == SKIP_IDENTITY && n_in != n_out) {
        fprintf(stderr, "error: layer %d has an identity skip from width %d to width %d; "
                "an identity skip needs equal widths (use a projection skip)\n",
                layer, n_in, n_out);
        return -1;
    }
    return 0;
}

/* g(z) and g'(z) for the block's activation. */
static double activation(Activation g, double z)
{
    return g == ACT_RELU ? (z > 0.0 ? z : 0.0) : 1.0 / (1.0 + exp(-z));
}

static double activation_derivative(Activation g, double z)
{
    return g == ACT_RELU ? relu_derivative(z) : sigmoid_derivative(z);
}

/* @listing begin lib_residual_forward */
void residual_forward(const ResidualBlock *blk, int rows, const double *X, double *Z, double *Y)
{
    int n_in = blk->n_in, n_out = blk->n_out;
    /* z = W x + b (eq:ch07-block), as in a plain layer */
    dense_forward(rows, n_in, n_out, X, blk->W, blk->b, Z);
    /* y = S x + g(z): the skip, then the branch added to it */
    /* @solution begin ch07_forward */
    if (blk->skip == SKIP_IDENTITY)
        memcpy(Y, X, sizeof(double) * (size_t)rows * (size_t)n_out);
    else                                              /* Y = X W_s^T */
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, rows, n_out, n_in,
                    1.0, X, n_in, blk->Ws, n_in, 0.0, Y, n_out);
    for (long i = 0; i < (long)rows * n_out; i++)
        Y[i] += activation(blk->g, Z[i]);
    /* @solution end ch07_forward */
}
/* @listing end lib_residual_forward */

/* @listing begin lib_residual_backward */
void residual_backward(const ResidualBlock *blk, int rows, const double *X, const double *Z,
                       const double *dY, double *delta, const ResidualGrads *grads, double *dX)
{
    int n_in = blk->n_in, n_out = blk->n_out;
    /* @solution begin ch07_backward */
    /* delta = dL/dz = g'(z) * dL/dy (eq:ch07-backward) */
    for (long i = 0; i < (long)rows * n_out; i++)
        delta[i] = activation_derivative(blk->g, Z[i]) * dY[i];
    /* The branch, as a plain layer: dW = delta^T X, db = column sums of
     * delta, dX = delta W (eq:ch07-weights) */
    dense_backward(rows, n_in, n_out, X, blk->W, delta, grads->dW, grads->db, dX);
    /* The skip: dW_s = dY^T X, and dX += dY S */
    if (blk->skip == SKIP_PROJECTION)
        cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, n_out, n_in, rows,
                    1.0, dY, n_out, X, n_in, 0.0, grads->dWs, n_in);
    if (dX && blk->skip == SKIP_IDENTITY)
        cblas_daxpy(rows * n_in, 1.0, dY, 1, dX, 1);
    else if (dX)
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, rows, n_in, n_out,
                    1.0, dY, n_out, blk->Ws, n_in, 1.0, dX, n_in);
    /* @solution end ch07_backward */
}
/* @listing end lib_residual_backward */

/* The Jacobian is a region of its own: it is the backward pass for one
 * sample written out (dL/dx = dL/dy J), so a handout that shipped it
 * would give ch07_backward away. */
void residual_jacobian(const ResidualBlock *blk, const double *z, double *J)
{
    int n_in = blk->n_in, n_out = blk->n_out;
    /* J = S + diag(g'(z)) W (eq:ch07-jacobian) */
    /* @solution begin ch07_jacobian */
    for (int i = 0; i < n_out; i++) {
        double slope = activation_derivative(blk->g, z[i]);
        for (int j = 0; j < n_in; j++) {
            double skip = blk->skip == SKIP_IDENTITY ? (i == j) : blk->Ws[(long)i * n_in + j];
            J[(long)i * n_in + j] = skip + slope * blk->W[(long)i * n_in + j];
        }
    }
    /* @solution end ch07_jacobian */
}
