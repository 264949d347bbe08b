/* fdiff.h - central finite differences, the oracle for every analytic
 * gradient in the kit.
 *
 * The central difference (f(x + h e_i) - f(x - h e_i)) / 2h has error
 * O(h^2) for smooth f; with doubles, h near 1e-5 balances that truncation
 * error against rounding error (about eps/h).
 */
#ifndef KIT_FDIFF_H
#define KIT_FDIFF_H

/* A scalar function of n variables; ctx carries any fixed parameters. */
typedef double (*ScalarFn)(const double *x, void *ctx);

/* A vector function R^n -> R^n (a gradient, say), writing into out. */
typedef void (*VectorFn)(const double *x, double *out, void *ctx);

/* grad[i] = (f(x + h e_i) - f(x - h e_i)) / 2h for i < n.  x is restored. */
void fd_gradient(ScalarFn f, double *x, int n, double h, void *ctx, double *grad);

/* jac[i*n + j] = d g_i / d x_j by central differences of the vector
 * function g (for g = grad f this is the Hessian).  x is restored. */
void fd_jacobian(VectorFn g, double *x, int n, double h, void *ctx, double *jac);

/* H[i*n + j] = d2f / dx_i dx_j by second-order central differences of
 * the scalar function f alone (no gradient needed), with e_i the unit
 * vectors:
 *     H_ii = (f(x + h e_i) - 2 f(x) + f(x - h e_i)) / h^2
 *     H_ij = (f(x + h e_i + h e_j) - f(x + h e_i - h e_j)
 *             - f(x - h e_i + h e_j) + f(x - h e_i - h e_j)) / 4h^2   (i != j)
 * H is symmetric by construction.  The error is O(h^2) (h^2/12 times a
 * fourth derivative on the diagonal), and exactly zero for a polynomial
 * of degree 3 or less; rounding adds about eps |f| / h^2, so for general
 * f an h near 1e-4 balances the two.  x is restored. */
void fd_hessian(ScalarFn f, double *x, int n, double h, void *ctx, double *H);

/* The relative error |a - b| / max(|a|, |b|, floor), the measure every
 * gradient check in the kit reports; floor keeps it finite near zero. */
double relative_error(double a, double b, double floor);

/* The relative error of two vectors, |a - b| / max(|a|, |b|, floor) in
 * the Euclidean norm: the measure for a whole gradient, insensitive to a
 * component that is tiny only because it is a small part of the vector. */
double vector_relative_error(const double *a, const double *b, int n, double floor);

/* The largest relative_error over n pairs. */
double max_relative_error(const double *a, const double *b, int n, double floor);

#endif
