#include "linalg.h"

#include <cblas.h>
#include <lapacke.h>
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

double vec_norm(int n, const double *x)
{
    return cblas_dnrm2(n, x, 1);
}

void blas_set_threads(int n)
{
    openblas_set_num_threads(n);
}
