#include "dense.h"

#include <cblas.h>

/* @listing begin lib_dense */
void dense_forward(int rows, int n_in, int n_out, const double *X,
                   const double *W, const double *b, double *Z)
{
    for (int r = 0; r < rows; r++)
        for (int i = 0; i < n_out; i++)
            Z[(long)r * n_out + i] = b[i];
    /* Z += X W^T */
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, rows, n_out, n_in,
                1.0, X, n_in, W, n_in, 1.0, Z, n_out);
}

void dense_backward(int rows, int n_in, int n_out, const double *X,
                    const double *W, const double *dZ,
                    double *dW, double *db, double *dX)
{
    /* dL/dW_ij = sum_r dZ_ri X_rj: dW = dZ^T X */
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, n_out, n_in, rows,
                1.0, dZ, n_out, X, n_in, 0.0, dW, n_in);
    /* dL/db_i = sum_r dZ_ri */
    for (int i = 0; i < n_out; i++)
        db[i] = 0.0;
    for (int r = 0; r < rows; r++)
        for (int i = 0; i < n_out; i++)
            db[i] += dZ[(long)r * n_out + i];
    /* dL/dX_rj = sum_i dZ_ri W_ij: dX = dZ W */
    if (dX)
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, rows, n_in, n_out,
                    1.0, dZ, n_out, W, n_in, 0.0, dX, n_in);
}
/* @listing end lib_dense */
