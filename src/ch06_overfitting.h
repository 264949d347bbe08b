/* ch06_overfitting.h - the mathematics of chapter 06: least squares with
 * Gaussian inputs (its expected errors in closed form, and the
 * minimum-norm fit when there are fewer samples than inputs), polynomial
 * regression by degree, early stopping, gradient descent beside ridge
 * regression, and gradient descent on a quadratic. */
#ifndef CH06_OVERFITTING_H
#define CH06_OVERFITTING_H

#include "lib/rng.h"
#include "lib/verdict.h"

/* The expected test error (mean squared error on a new sample, noise
 * included) of ordinary least squares on n samples x ~ N(0, I_d) with
 * y = x^T beta + noise of variance sigma2 (eq:ch06-ols): sigma2 (1 + d /
 * (n - d - 1)) for n > d + 1; infinite otherwise. */
double ols_expected_test_error(int n, int d, double sigma2);

/* Its expected training error (eq:ch06-ols-train): sigma2 (1 - d/n) for
 * n >= d. */
double ols_expected_train_error(int n, int d, double sigma2);

/* The expected test error of the minimum-norm fit for n < d - 1
 * (eq:ch06-minnorm), with |beta|^2 = r2: r2 (1 - n/d) + sigma2 (1 + n /
 * (d - n - 1)); infinite for n >= d - 1. */
double minnorm_expected_test_error(int n, int d, double sigma2, double r2);

/* One least-squares problem: X (n x d) and the noise drawn from rng,
 * y = X beta + noise (standard deviation sigma), beta_hat the
 * minimum-norm least-squares fit.  Its training error |X beta_hat - y|^2
 * / n into *train; returns its test error sigma^2 + |beta_hat - beta|^2
 * (exact for x ~ N(0, I)), or NaN if LAPACK fails. */
double least_squares_trial(Rng *rng, int n, int d, const double *beta, double sigma, double *train);

/* The n_max training errors of one growing sample: for n = 1..n_max,
 * the fit on the first n samples of one draw, its training error into
 * train[n - 1] (the training set of n + 1 holds that of n). */
int nested_training_errors(Rng *rng, int n_max, int d, const double *beta, double sigma,
                           double *train);

/* The p + 1 Legendre polynomials P_0 .. P_p at x in [-1, 1], each scaled
 * by sqrt(2k + 1) so that all have the same mean square on [-1, 1]. */
void legendre_features(double x, int p, double *phi);

/* Early stopping on a validation curve err[0..epochs): training stops
 * after the first epoch that ends patience epochs without a new lowest
 * error (eq:ch06-early-stopping); best is the epoch of the lowest error
 * seen until then (the first of equal lowest errors), stopped the epoch
 * after which training stops (epochs - 1 if patience never runs out). */
typedef struct {
    int best, stopped;
} EarlyStop;
EarlyStop early_stopping(const double *err, int epochs, int patience);

/* The ridge solution for the mean squared loss (eq:ch06-ridge): beta
 * solving (X^T X / n + lambda I) beta = X^T y / n.  Returns 0, or -1 if
 * the system is singular or memory runs out. */
int ridge_solution(int n, int d, const double *X, const double *y, double lambda, double *beta);

/* t steps of gradient descent of size eta from beta = 0 on the loss
 * |X beta - y|^2 / 2n (eq:ch06-gd). */
void least_squares_gd(int n, int d, const double *X, const double *y, double eta, long t, double *beta);

/* |beta_gd(t) - beta_ridge(lambda)| as the eigendecomposition of
 * X^T X / n predicts it (eq:ch06-gd-ridge), for X of full column rank. */
double predicted_gd_ridge_distance(int n, int d, const double *X, const double *y, double eta,
                                   long t, double lambda);

/* The expected estimation risks E |beta_hat - beta|^2, over the noise of
 * variance sigma2 with X fixed (full column rank), of t steps of gradient
 * descent (eq:ch06-gd) and of ridge regression with lambda (eq:ch06-ridge),
 * from their shrinkage factors g_k along the eigenvectors v_k of X^T X / n
 * (eq:ch06-gd-ridge): the sum over k of (1 - g_k)^2 (v_k^T beta)^2 +
 * g_k^2 sigma2 / (n s_k).  Returns 0, or -1 if the eigendecomposition
 * fails. */
int gd_ridge_expected_risks(int n, int d, const double *X, const double *beta, double sigma2,
                            double eta, long t, double lambda, double *risk_gd, double *risk_ridge);

/* Ali, Kolter and Tibshirani's bound: for gradient flow, the expected
 * risk after time t is at most this factor times ridge's with lambda =
 * 1/t, for every X, beta and t. */
#define ALI_RISK_BOUND 1.6862

/* A curve y[0..n) that should first fall and then rise, read with a
 * tolerance tol: "falls then rises" when its lowest point (the first, if
 * several) lies more than tol below both its first and its last value,
 * "falls" when only below the first, "rises" when only below the last,
 * "flat" when neither. */
extern const VerdictRule FALL_RISE_RULE;
const char *fall_rise_verdict(const double *y, int n, double tol);

/* Gradient descent of size eta from w0 on f(w) = w^T A w / 2 (A n x n,
 * symmetric positive definite): f after each of steps steps into f. */
void quadratic_gd(int n, const double *A, const double *w0, double eta, int steps, double *f);

#endif
