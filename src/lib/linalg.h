/* linalg.h - dense linear algebra on small row-major double matrices.
 *
 * Thin, checked wrappers around LAPACKE: the kit never writes an
 * eigenvalue solver or a Gaussian elimination by hand.
 */
#ifndef KIT_LINALG_H
#define KIT_LINALG_H

/* Eigenvalues of the symmetric n x n matrix a (row-major), in ascending
 * order, into w[0..n).  a is not modified.  Uses LAPACKE_dsyev.
 * Returns 0 on success, non-zero if LAPACK reports failure. */
int sym_eigenvalues(int n, const double *a, double *w);

/* Eigenvalues (ascending, into w) and orthonormal eigenvectors (column j of
 * v, row-major n x n, belongs to w[j]) of the symmetric matrix a. */
int sym_eigen(int n, const double *a, double *w, double *v);

/* Solve a x = b for x (n x n, row-major), leaving x in b.  a is not
 * modified.  Uses LAPACKE_dgesv (LU with partial pivoting).
 * Returns 0 on success, non-zero if a is singular. */
int solve_linear(int n, const double *a, double *b);

/* The least-squares solution of A x = b with the smallest norm, for the
 * m x n matrix A (row-major) of any shape and rank: the unique minimiser
 * of |A x - b| when A has full column rank, and among all minimisers (all
 * exact solutions, when m < n) the one of least |x|, A^+ b with A^+ the
 * pseudoinverse.  x has n entries.  Uses LAPACKE_dgelsd (an SVD, treating
 * singular values below the machine epsilon times the largest as zero).
 * A and b are not modified.  Returns 0, or -1 if memory runs out or LAPACK fails. */
int least_squares(int m, int n, const double *A, const double *b, double *x);

/* The eigenvalues of the general n x n matrix a, real parts into re and
 * imaginary parts into im (LAPACKE_dgeev).  a is not modified. */
int eigenvalues(int n, const double *a, double *re, double *im);

/* The singular value decomposition a = U diag(s) V^T of the n x n matrix
 * a: s descending, U and V^T row-major n x n (LAPACKE_dgesvd).  a is not
 * modified. */
int svd(int n, const double *a, double *s, double *u, double *vt);

/* The determinant of the n x n matrix a, from its LU factors
 * (LAPACKE_dgetrf).  a is not modified. */
double determinant(int n, const double *a);

/* The Euclidean norm of x[0..n) (cblas_dnrm2). */
double vec_norm(int n, const double *x);

/* Use n threads in every BLAS call that follows (OpenBLAS).  Results are
 * reproducible bit for bit only with a fixed number of threads. */
void blas_set_threads(int n);

#endif
