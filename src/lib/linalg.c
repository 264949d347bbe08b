#include "linalg.h"

#include <cblas.h>
#include <lapacke.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int sym_eigen(int n, const double *a, double *w, double *v)
{
    memcpy(v, a, sizeof(double) * (size_t)n * (size_t)n);
    lapack_int info = LAPACKE_dsyev(LAPACK_ROW_MAJOR, 'V', 'U', n, v, n, w);
    return info != 0;
}

int sym_eigenvalues(int n, const double *a, double *w)
{
    double *copy = malloc(sizeof(double) * (size_t)n * (size_t)n);
    if (!copy)
        return -1;
    memcpy(copy, a, sizeof(double) * (size_t)n * (size_t)n);
    lapack_int info = LAPACKE_dsyev(LAPACK_ROW_MAJOR, 'N', 'U', n, copy, n, w);
    free(copy);
    return info != 0;
}

int solve_linear(int n, const double *a, double *b)
{
    double *lu = malloc(sizeof(double) * (size_t)n * (size_t)n);
    lapack_int *pivots = malloc(sizeof(lapack_int) * (size_t)n);
    int status = -1;
    if (lu && pivots) {
        memcpy(lu, a, sizeof(double) * (size_t)n * (size_t)n);
        status = LAPACKE_dgesv(LAPACK_ROW_MAJOR, n, 1, lu, n, pivots, b, 1) != 0;
    }
    free(lu);
    free(pivots);
    return status;
}

/* A copy of the n x n matrix a, or NULL. */
static double *copy_matrix(int n, const double *a)
{
    double *c = malloc(sizeof(double) * (size_t)n * (size_t)n);
    if (c)
        memcpy(c, a, sizeof(double) * (size_t)n * (size_t)n);
    return c;
}

int least_squares(int m, int n, const double *A, const double *b, double *x)
{
    int k = m > n ? m : n, rows = m < n ? m : n;
    double *a = malloc(sizeof(double) * (size_t)m * (size_t)n);
    /* b in, x out; zeroed, because LAPACKE checks all k entries for NaN
     * although only the first m hold b (valgrind saw the rest unset). */
    double *rhs = calloc((size_t)k, sizeof(double));
    double *s = malloc(sizeof(double) * (size_t)rows);
    int status = -1;
    if (a && rhs && s) {
        lapack_int rank;
        memcpy(a, A, sizeof(double) * (size_t)m * (size_t)n);
        memcpy(rhs, b, sizeof(double) * (size_t)m);
        status = LAPACKE_dgelsd(LAPACK_ROW_MAJOR, m, n, 1, a, n, rhs, 1, s, -1.0, &rank) != 0 ? -1 : 0;
        if (status == 0)
            memcpy(x, rhs, sizeof(double) * (size_t)n);
    }
    free(a);
    free(rhs);
    free(s);
    return status;
}

int eigenvalues(int n, const double *a, double *re, double *im)
{
    double *c = copy_matrix(n, a);
    if (!c)
        return -1;
    lapack_int info = LAPACKE_dgeev(LAPACK_ROW_MAJOR, 'N', 'N', n, c, n, re, im, NULL, n, NULL, n);
    free(c);
    return info != 0;
}

int svd(int n, const double *a, double *s, double *u, double *vt)
{
    double *c = copy_matrix(n, a), *superb = malloc(sizeof(double) * (size_t)n);
    int status = -1;
    if (c && superb)
        status = LAPACKE_dgesvd(LAPACK_ROW_MAJOR, 'A', 'A', n, n, c, n, s, u, n, vt, n, superb) != 0;
    free(c);
    free(superb);
    return status;
}

double determinant(int n, const double *a)
{
    double *lu = copy_matrix(n, a);
    lapack_int *pivots = malloc(sizeof(lapack_int) * (size_t)n);
    double det = NAN;
    if (lu && pivots && LAPACKE_dgetrf(LAPACK_ROW_MAJOR, n, n, lu, n, pivots) >= 0) {
        det = 1.0;                       /* the product of U's diagonal, */
        for (int i = 0; i < n; i++)      /* negated for each row swap */
            det *= pivots[i] != i + 1 ? -lu[(long)i * n + i] : lu[(long)i * n + i];
    }
    free(lu);
    free(pivots);
    return det;
}

double vec_norm(int n, const double *x)
{
    return cblas_dnrm2(n, x, 1);
}

void blas_set_threads(int n)
{
    openblas_set_num_threads(n);
}
