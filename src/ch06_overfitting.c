/* ch06_overfitting.c - the mathematics of chapter 06 (see the header). */
#include "ch06_overfitting.h"

#include <cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lib/linalg.h"

/* @listing begin ch06_closed_form */
double ols_expected_test_error(int n, int d, double sigma2)
{
    /* @solution begin ch06_closed_form */
    if (n <= d + 1)
        return INFINITY;
    /* sigma^2 (1 + E tr (X^T X)^-1), and E (X^T X)^-1 = I / (n - d - 1)
     * for the Wishart matrix X^T X (eq:ch06-ols) */
    return sigma2 * (1.0 + (double)d / (n - d - 1));
    /* @solution end ch06_closed_form */
}
/* @listing end ch06_closed_form */

double ols_expected_train_error(int n, int d, double sigma2)
{
    /* the residual is the noise projected on n - d dimensions (eq:ch06-ols-train) */
    return n >= d ? sigma2 * (1.0 - (double)d / n) : 0.0;
}

double minnorm_expected_test_error(int n, int d, double sigma2, double r2)
{
    if (n >= d - 1)
        return INFINITY;
    /* the part of beta outside the n-dimensional row space of X is lost,
     * and the noise is amplified by E tr (X X^T)^-1 = n / (d - n - 1)
     * (eq:ch06-minnorm) */
    return r2 * (1.0 - (double)n / d) + sigma2 * (1.0 + (double)n / (d - n - 1));
}

/* X (n x d) and y = X beta + noise, drawn from rng. */
static void draw_problem(Rng *rng, int n, int d, const double *beta, double sigma, double *X, double *y)
{
    for (int i = 0; i < n; i++) {
        y[i] = sigma * rng_normal(rng);
        for (int j = 0; j < d; j++) {
            X[(long)i * d + j] = rng_normal(rng);
            y[i] += X[(long)i * d + j] * beta[j];
        }
    }
}

/* |X b - y|^2 / n */
static double mean_squared_residual(int n, int d, const double *X, const double *y, const double *b)
{
    double total = 0.0;
    for (int i = 0; i < n; i++) {
        double r = cblas_ddot(d, X + (long)i * d, 1, b, 1) - y[i];
        total += r * r;
    }
    return total / n;
}

double least_squares_trial(Rng *rng, int n, int d, const double *beta, double sigma, double *train)
{
    double *X = malloc(sizeof(double) * (size_t)n * (size_t)d);
    double *y = malloc(sizeof(double) * (size_t)n), *b = malloc(sizeof(double) * (size_t)d);
    double test = NAN;
    if (X && y && b) {
        draw_problem(rng, n, d, beta, sigma, X, y);
        if (least_squares(n, d, X, y, b) == 0) {
            *train = mean_squared_residual(n, d, X, y, b);
            test = sigma * sigma;                   /* E (x^T (b - beta) - noise)^2 */
            for (int j = 0; j < d; j++)
                test += (b[j] - beta[j]) * (b[j] - beta[j]);
        }
    }
    free(X);
    free(y);
    free(b);
    return test;
}

int nested_training_errors(Rng *rng, int n_max, int d, const double *beta, double sigma, double *train)
{
    double *X = malloc(sizeof(double) * (size_t)n_max * (size_t)d);
    double *y = malloc(sizeof(double) * (size_t)n_max), *b = malloc(sizeof(double) * (size_t)d);
    int status = X && y && b ? 0 : -1;
    if (status == 0)
        draw_problem(rng, n_max, d, beta, sigma, X, y);
    for (int n = 1; n <= n_max && status == 0; n++) {   /* the first n rows */
        status = least_squares(n, d, X, y, b);
        train[n - 1] = mean_squared_residual(n, d, X, y, b);
    }
    free(X);
    free(y);
    free(b);
    return status;
}

void legendre_features(double x, int p, double *phi)
{
    double prev = 0.0, cur = 1.0;                 /* P_(k-1) and P_k, from k = 0 */
    for (int k = 0; k <= p; k++) {
        phi[k] = sqrt(2.0 * k + 1.0) * cur;
        /* Bonnet's recursion: (k + 1) P_(k+1) = (2k + 1) x P_k - k P_(k-1) */
        double next = ((2 * k + 1) * x * cur - k * prev) / (k + 1);
        prev = cur;
        cur = next;
    }
}

/* @listing begin ch06_early_stopping */
EarlyStop early_stopping(const double *err, int epochs, int patience)
{
    EarlyStop s = { 0, epochs - 1 };
    /* @solution begin ch06_early_stopping */
    for (int e = 1; e < epochs; e++) {
        if (err[e] < err[s.best])           /* a new lowest error: strictly lower */
            s.best = e;
        else if (e - s.best >= patience) {  /* patience epochs without one */
            s.stopped = e;
            break;
        }
    }
    /* @solution end ch06_early_stopping */
    return s;
}
/* @listing end ch06_early_stopping */

/* @listing begin ch06_ridge */
int ridge_solution(int n, int d, const double *X, const double *y, double lambda, double *beta)
{
    double *A = malloc(sizeof(double) * (size_t)d * (size_t)d);
    if (!A)
        return -1;
    /* @solution begin ch06_ridge */
    /* (X^T X / n + lambda I) beta = X^T y / n (eq:ch06-ridge) */
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, d, d, n, 1.0 / n, X, d, X, d, 0.0, A, d);
    for (int j = 0; j < d; j++)
        A[(long)j * d + j] += lambda;
    cblas_dgemv(CblasRowMajor, CblasTrans, n, d, 1.0 / n, X, d, y, 1, 0.0, beta, 1);
    int status = solve_linear(d, A, beta);
    /* @solution end ch06_ridge */
    free(A);
    return status;
}
/* @listing end ch06_ridge */

void least_squares_gd(int n, int d, const double *X, const double *y, double eta, long t, double *beta)
{
    double *r = malloc(sizeof(double) * (size_t)n);
    if (!r)
        abort();
    memset(beta, 0, sizeof(double) * (size_t)d);
    for (long step = 0; step < t; step++) {
        /* beta -= eta X^T (X beta - y) / n (eq:ch06-gd) */
        memcpy(r, y, sizeof(double) * (size_t)n);
        cblas_dgemv(CblasRowMajor, CblasNoTrans, n, d, 1.0, X, d, beta, 1, -1.0, r, 1);
        cblas_dgemv(CblasRowMajor, CblasTrans, n, d, -eta / n, X, d, r, 1, 1.0, beta, 1);
    }
    free(r);
}

double predicted_gd_ridge_distance(int n, int d, const double *X, const double *y, double eta,
                                   long t, double lambda)
{
    double *S = malloc(sizeof(double) * (size_t)d * (size_t)d), *V = malloc(sizeof(double) * (size_t)d * (size_t)d);
    double *s = malloc(sizeof(double) * (size_t)d), *c = malloc(sizeof(double) * (size_t)d);
    double distance = NAN;
    if (S && V && s && c) {
        /* S = X^T X / n = V diag(s) V^T, c = X^T y / n */
        cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, d, d, n, 1.0 / n, X, d, X, d, 0.0, S, d);
        cblas_dgemv(CblasRowMajor, CblasTrans, n, d, 1.0 / n, X, d, y, 1, 0.0, c, 1);
        if (sym_eigen(d, S, s, V) == 0) {
            /* along eigenvector k, with u_k = v_k^T c / s_k the least-squares
             * coefficient: gradient descent has (1 - (1 - eta s_k)^t) u_k,
             * ridge s_k / (s_k + lambda) u_k (eq:ch06-gd-ridge) */
            double sum = 0.0;
            for (int k = 0; k < d; k++) {
                double vc = 0.0;
                for (int j = 0; j < d; j++)
                    vc += V[(long)j * d + k] * c[j];
                double coef = vc / s[k];
                double diff = (1.0 - pow(1.0 - eta * s[k], (double)t)) - s[k] / (s[k] + lambda);
                sum += diff * diff * coef * coef;
            }
            distance = sqrt(sum);
        }
    }
    free(S);
    free(V);
    free(s);
    free(c);
    return distance;
}

void quadratic_gd(int n, const double *A, const double *w0, double eta, int steps, double *f)
{
    double *w = malloc(sizeof(double) * (size_t)n), *g = malloc(sizeof(double) * (size_t)n);
    if (!w || !g)
        abort();
    memcpy(w, w0, sizeof(double) * (size_t)n);
    for (int step = 0; step < steps; step++) {
        cblas_dsymv(CblasRowMajor, CblasUpper, n, 1.0, A, n, w, 1, 0.0, g, 1);   /* g = A w */
        cblas_daxpy(n, -eta, g, 1, w, 1);                                        /* w -= eta A w */
        cblas_dsymv(CblasRowMajor, CblasUpper, n, 1.0, A, n, w, 1, 0.0, g, 1);
        f[step] = 0.5 * cblas_ddot(n, w, 1, g, 1);
    }
    free(w);
    free(g);
}

int gd_ridge_expected_risks(int n, int d, const double *X, const double *beta, double sigma2,
                            double eta, long t, double lambda, double *risk_gd, double *risk_ridge)
{
    double *S = malloc(sizeof(double) * (size_t)d * (size_t)d), *V = malloc(sizeof(double) * (size_t)d * (size_t)d);
    double *s = malloc(sizeof(double) * (size_t)d);
    int status = -1;
    if (S && V && s) {
        cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, d, d, n, 1.0 / n, X, d, X, d, 0.0, S, d);
        if (sym_eigen(d, S, s, V) == 0) {
            /* along v_k the least-squares coefficient is v_k^T beta plus
             * noise of variance sigma2 / (n s_k); a fit that shrinks it by
             * g_k has bias (1 - g_k) v_k^T beta and variance g_k^2 times that */
            *risk_gd = *risk_ridge = 0.0;
            for (int k = 0; k < d; k++) {
                double b = 0.0;
                for (int j = 0; j < d; j++)
                    b += V[(long)j * d + k] * beta[j];
                double noise = sigma2 / (n * s[k]);
                double g_gd = 1.0 - pow(1.0 - eta * s[k], (double)t), g_ridge = s[k] / (s[k] + lambda);
                *risk_gd += (1 - g_gd) * (1 - g_gd) * b * b + g_gd * g_gd * noise;
                *risk_ridge += (1 - g_ridge) * (1 - g_ridge) * b * b + g_ridge * g_ridge * noise;
            }
            status = 0;
        }
    }
    free(S);
    free(V);
    free(s);
    return status;
}

const VerdictRule FALL_RISE_RULE = { "fall-rise", { "falls then rises", "falls", "rises", "flat", NULL } };

const char *fall_rise_verdict(const double *y, int n, double tol)
{
    int low = 0;
    for (int i = 1; i < n; i++)
        if (y[i] < y[low])
            low = i;
    int falls = y[0] - y[low] > tol, rises = y[n - 1] - y[low] > tol;
    return falls && rises ? "falls then rises" : falls ? "falls" : rises ? "rises" : "flat";
}
