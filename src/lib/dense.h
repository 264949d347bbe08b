/* dense.h - the fully connected (dense) layer, forward and backward, on a
 * batch of rows samples, every product through CBLAS (cblas_dgemm).
 *
 * Shapes, all row-major: X is rows x n_in, one sample per row; W is
 * n_out x n_in (row i holds the weights into unit i, as in PyTorch's
 * Linear); b has n_out entries; Z is rows x n_out.
 */
#ifndef KIT_DENSE_H
#define KIT_DENSE_H

/* Z = X W^T + 1 b^T: z_ri = sum_j W_ij x_rj + b_i. */
void dense_forward(int rows, int n_in, int n_out, const double *X,
                   const double *W, const double *b, double *Z);

/* Given dZ = dL/dZ: dW = dZ^T X, db = the column sums of dZ, and, when dX
 * is not NULL, dX = dZ W (the gradient passed to the layer below). */
void dense_backward(int rows, int n_in, int n_out, const double *X,
                    const double *W, const double *dZ,
                    double *dW, double *db, double *dX);

#endif
