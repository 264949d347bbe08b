/* check_ch06_overfitting.c - chapter 06: the closed-form expected errors
 * of least squares against seeded simulations, early stopping on curves
 * with known answers, ridge regression and its distance from gradient
 * descent against the eigendecomposition's prediction, gradient descent
 * on a quadratic on both sides of 2/L, and the Legendre features. */
#include <math.h>
#include <string.h>

#include "ch06_overfitting.h"
#include "kit_test.h"
#include "lib/linalg.h"
#include "lib/stats.h"

/* The mean test error of many seeded draws against sigma^2 (1 + d / (n -
 * d - 1)), within four standard errors.
 * @checks eq:ch06-ols, eq:ch06-ols-train
 * @asserts for $d = 5$ and $n = 10, 20, 40$, the mean test and training
 *   errors of 4000 seeded fits match the closed forms; at $n = d + 1$ the
 *   expected test error is infinite
 * @tolerance 4 standard errors of the mean */
START_TEST(test_ols_closed_form_matches_simulation)
{
    enum { D = 5, TRIALS = 4000 };
    static const int NS[3] = { 10, 20, 40 };
    double beta[D] = { 1, -1, 0.5, 0, 2 }, test[TRIALS], train[TRIALS];
    const double sigma = 0.7;
    Rng rng;
    rng_seed(&rng, 61);
    for (int k = 0; k < 3; k++) {
        int n = NS[k];
        for (int t = 0; t < TRIALS; t++)
            test[t] = least_squares_trial(&rng, n, D, beta, sigma, &train[t]);
        Summary s = summarize(test, TRIALS), r = summarize(train, TRIALS);
        double se = s.sd / sqrt(TRIALS), want = ols_expected_test_error(n, D, sigma * sigma);
        assert_close(s.mean, want, 4 * se, "ols_expected_test_error (eq:ch06-ols), n = %d, d = %d, "
                     "sigma^2 = 0.49: the mean test error of %d seeded draws (standard error %.2g)",
                     n, D, TRIALS, se);
        assert_close(r.mean, ols_expected_train_error(n, D, sigma * sigma), 4 * r.sd / sqrt(TRIALS),
                     "ols_expected_train_error (eq:ch06-ols-train), n = %d, d = %d: the mean "
                     "training error of the same draws", n, D);
    }
    assert_double(ols_expected_test_error(6, D, 1.0), >, 1e308, "ols_expected_test_error at n = d + 1: "
                  "the expectation is infinite");
}
END_TEST

/* Below the threshold: the minimum-norm fit against r2 (1 - n/d) +
 * sigma^2 (1 + n / (d - n - 1)).
 * @checks eq:ch06-minnorm
 * @asserts for $d = 30$ and $n = 5, 20$, the mean test error of 3000 seeded
 *   minimum-norm fits matches the closed form, and every fit interpolates
 * @tolerance 4 standard errors of the mean; training error below 1e-20 */
START_TEST(test_minnorm_closed_form_matches_simulation)
{
    enum { D = 30, TRIALS = 3000 };
    static const int NS[2] = { 5, 20 };
    double beta[D], test[TRIALS], train[TRIALS];
    for (int j = 0; j < D; j++)
        beta[j] = 1.0 / sqrt(D);
    Rng rng;
    rng_seed(&rng, 62);
    for (int k = 0; k < 2; k++) {
        int n = NS[k];
        for (int t = 0; t < TRIALS; t++)
            test[t] = least_squares_trial(&rng, n, D, beta, 0.5, &train[t]);
        Summary s = summarize(test, TRIALS);
        double se = s.sd / sqrt(TRIALS);
        assert_close(s.mean, minnorm_expected_test_error(n, D, 0.25, 1.0), 4 * se,
                     "minnorm_expected_test_error (eq:ch06-minnorm), n = %d, d = %d: the mean test "
                     "error of %d seeded draws (standard error %.2g)", n, D, TRIALS, se);
        assert_double(summarize(train, TRIALS).max, <, 1e-20, "the minimum-norm fit with n = %d < d "
                      "interpolates: its largest training error", n);
    }
}
END_TEST

static void check_stop(const double *err, int epochs, int patience, int best, int stopped,
                       const char *what)
{
    EarlyStop s = early_stopping(err, epochs, patience);
    assert_int(s.best, ==, best, "early_stopping (eq:ch06-early-stopping), %s, patience %d: the "
               "best epoch (from 0) of %s", what, patience, format_vector(err, epochs));
    assert_int(s.stopped, ==, stopped, "early_stopping, %s, patience %d: the epoch (from 0) after "
               "which training stops, on %s", what, patience, format_vector(err, epochs));
}

/* @checks eq:ch06-early-stopping
 * @asserts on an error that keeps falling and on a U whose patience never
 *   runs out, the kept epoch and the epoch training stops after are those
 *   worked by hand
 * @tolerance exact */
START_TEST(test_early_stopping_finds_the_minimum)
{
    double falling[5] = { 5, 4, 3, 2, 1 };
    check_stop(falling, 5, 2, 4, 4, "an error that keeps falling");
    double u[7] = { 5, 3, 2, 2.5, 3, 3.5, 4 };
    check_stop(u, 7, 10, 2, 6, "a U whose patience never runs out");
}
END_TEST

/* @checks eq:ch06-early-stopping
 * @asserts a lower minimum after the patience has run out is missed, and
 *   found with one more epoch of patience; patience 1 stops at the first rise
 * @tolerance exact */
START_TEST(test_early_stopping_patience)
{
    /* The later minimum at epoch 5 is never seen: patience runs out at 4. */
    double late[6] = { 5, 3, 4, 4, 4, 1 };
    check_stop(late, 6, 3, 1, 4, "a second, lower minimum after the patience");
    check_stop(late, 6, 4, 5, 5, "the same curve with more patience");
    double bump[4] = { 3, 2, 2.5, 1 };
    check_stop(bump, 4, 1, 1, 2, "patience 1");
}
END_TEST

/* @checks eq:ch06-early-stopping
 * @asserts an equal error is no improvement: the first of equal minima is
 *   kept; a run of one epoch keeps and stops after that epoch
 * @tolerance exact */
START_TEST(test_early_stopping_ties)
{
    /* An equal error is no improvement: the first of equal minima is best. */
    double flat[5] = { 3, 2, 2, 2, 2 };
    check_stop(flat, 5, 2, 1, 3, "a plateau at the minimum");
    double one[1] = { 7 };
    check_stop(one, 1, 3, 0, 0, "a single epoch");
}
END_TEST

/* A least-squares problem with n samples and d inputs, seeded. */
static void draw(Rng *rng, int n, int d, double *X, double *y)
{
    for (int i = 0; i < n; i++) {
        y[i] = 0.0;
        for (int j = 0; j < d; j++) {
            X[i * d + j] = rng_normal(rng);
            y[i] += X[i * d + j] * (j + 1) / d;
        }
        y[i] += 0.3 * rng_normal(rng);
    }
}

/* The ridge solution makes the gradient of |X b - y|^2 / 2n + lambda |b|^2
 * / 2 vanish; it tends to least squares as lambda -> 0 and to X^T y / (n
 * lambda) as lambda grows.
 * @checks eq:ch06-ridge
 * @asserts for $\lambda = 0.01, 1, 100$ the gradient of the ridge objective
 *   vanishes at the solution; with $\lambda = 10^{-12}$ the solution is the
 *   least-squares fit
 * @tolerance gradient norm below 1e-12; 1e-9 relative */
START_TEST(test_ridge_solution)
{
    enum { N = 30, D = 6 };
    double X[N * D], y[N], b[D], ols[D], g[D];
    Rng rng;
    rng_seed(&rng, 63);
    draw(&rng, N, D, X, y);
    static const double LAMBDAS[3] = { 0.01, 1.0, 100.0 };
    for (int k = 0; k < 3; k++) {
        double lambda = LAMBDAS[k];
        ck_assert_int_eq(ridge_solution(N, D, X, y, lambda, b), 0);
        for (int j = 0; j < D; j++) {            /* X^T (X b - y) / n + lambda b */
            g[j] = lambda * b[j];
            for (int i = 0; i < N; i++) {
                double r = -y[i];
                for (int m = 0; m < D; m++)
                    r += X[i * D + m] * b[m];
                g[j] += X[i * D + j] * r / N;
            }
        }
        assert_double(vec_norm(D, g), <, 1e-12, "ridge_solution (eq:ch06-ridge), lambda = %g: the "
                      "gradient of the ridge objective at its solution, %s", lambda, format_vector(g, D));
    }
    ck_assert_int_eq(ridge_solution(N, D, X, y, 1e-12, b), 0);
    ck_assert_int_eq(least_squares(N, D, X, y, ols), 0);
    assert_vector_close(b, ols, D, 1e-300, 1e-9, "ridge_solution with lambda = 1e-12 against the "
                        "least-squares fit");
}
END_TEST

/* |beta_gd(t) - beta_ridge(1 / (eta t))| as computed and as the
 * eigendecomposition predicts, and its fall once t is large: both start
 * at 0, part, and meet again at the least-squares fit.
 * @checks eq:ch06-gd, eq:ch06-ridge, eq:ch06-gd-ridge
 * @asserts $|\beta_t - \beta_\lambda|$ with $\lambda = 1/(\lr t)$, computed,
 *   equals its prediction at $t = 1, 10, 100, 1000$, and falls from $t = 100$ on
 * @tolerance 1e-12 relative (absolute below 1) */
START_TEST(test_gd_ridge_distance_matches_prediction)
{
    enum { N = 40, D = 5 };
    double X[N * D], y[N], gd[D], ridge[D], diff[D];
    Rng rng;
    rng_seed(&rng, 64);
    draw(&rng, N, D, X, y);
    const double eta = 0.2;
    static const long TIMES[4] = { 1, 10, 100, 1000 };
    double last = INFINITY;
    for (int k = 0; k < 4; k++) {
        long t = TIMES[k];
        double lambda = 1.0 / (eta * t);
        least_squares_gd(N, D, X, y, eta, t, gd);
        ck_assert_int_eq(ridge_solution(N, D, X, y, lambda, ridge), 0);
        for (int j = 0; j < D; j++)
            diff[j] = gd[j] - ridge[j];
        double dist = vec_norm(D, diff), want = predicted_gd_ridge_distance(N, D, X, y, eta, t, lambda);
        assert_close(dist, want, 1e-12 * fmax(1.0, want), "|beta_gd(t) - beta_ridge(1 / (eta t))| "
                     "(eq:ch06-gd-ridge), eta = 0.2, t = %ld: computed against predicted", t);
        if (t >= 100)       /* past the first steps, where both start from 0 */
            assert_double(dist, <, last, "the distance at t = %ld against the one at t / 10", t);
        last = dist;
    }
}
END_TEST

/* On f(w) = w^T A w / 2 with L = 4, a rate 0.1 % below 2/L shrinks f by
 * orders of magnitude and a rate 0.1 % above it grows f.
 * @checks sec:ch06-epochs
 * @asserts on $f(w) = \frac12 w\T A w$ with $\smax = 4$, gradient descent
 *   at a rate 0.1\,\% below $2/\smax$ shrinks $f$, and 0.1\,\% above grows
 *   it, over 20000 steps
 * @tolerance a factor of 1e10 either way */
START_TEST(test_quadratic_gd_diverges_above_two_over_l)
{
    enum { STEPS = 20000 };
    const double A[4] = { 4, 0, 0, 1 }, w0[2] = { 1, 1 };
    static double f[STEPS];
    double f0 = 0.5 * (4 + 1);
    quadratic_gd(2, A, w0, 0.5 * (1 - 1e-3), STEPS, f);
    assert_double(f[STEPS - 1], <, 1e-10 * f0, "quadratic_gd, L = 4, rate 0.999 (2/L): f after %d steps",
                  STEPS);
    quadratic_gd(2, A, w0, 0.5 * (1 + 1e-3), STEPS, f);
    assert_double(f[STEPS - 1], >, 1e10 * f0, "quadratic_gd, L = 4, rate 1.001 (2/L): f after %d steps",
                  STEPS);
}
END_TEST

/* sqrt(2k + 1) P_k: P_2 = (3x^2 - 1) / 2, P_3 = (5x^3 - 3x) / 2, and each
 * has mean square 1 on [-1, 1].
 * @checks sec:ch06-complexity
 * @asserts the features $\sqrt{2k + 1}\,P_k(x)$ at $x = 0.3$ match the
 *   Legendre polynomials by hand, and features 0 to 8 have mean square 1 on
 *   $[-1, 1]$
 * @tolerance 1e-15 absolute; 1e-5 for the mean squares */
START_TEST(test_legendre_features)
{
    double phi[9], x = 0.3;
    legendre_features(x, 3, phi);
    assert_close(phi[0], 1.0, 1e-15, "legendre_features: sqrt(1) P_0(0.3)");
    assert_close(phi[2], sqrt(5.0) * (3 * x * x - 1) / 2, 1e-15, "legendre_features: sqrt(5) P_2(0.3)");
    assert_close(phi[3], sqrt(7.0) * (5 * x * x * x - 3 * x) / 2, 1e-15, "legendre_features: sqrt(7) P_3(0.3)");
    double mean_square[9] = { 0 };
    enum { GRID = 20000 };
    for (int g = 0; g < GRID; g++) {
        legendre_features(-1.0 + (2.0 * g + 1.0) / GRID, 8, phi);
        for (int k = 0; k <= 8; k++)
            mean_square[k] += phi[k] * phi[k] / GRID;
    }
    for (int k = 0; k <= 8; k++)
        assert_close(mean_square[k], 1.0, 1e-5, "legendre_features: the mean square of feature %d "
                     "on [-1, 1]", k);
}
END_TEST

/* The closed forms at the small d the chapter tabulates (n = 20, sigma^2 =
 * 0.25), computed by hand: sigma^2 (1 + d / (n - d - 1)) and sigma^2 (1 -
 * d / n).
 * @checks eq:ch06-ols, eq:ch06-ols-train
 * @asserts at $n = 20$, $\sigma^2 = 0.25$ and $d = 1, 2, 5, 10$, the
 *   library's expected test and training errors equal the values by hand
 * @tolerance 1e-15 absolute */
START_TEST(test_ols_closed_form_values)
{
    static const int DS[4] = { 1, 2, 5, 10 };
    static const double TEST[4] = { 0.25 * (1 + 1.0 / 18), 0.25 * (1 + 2.0 / 17), 0.25 * (1 + 5.0 / 14),
                                    0.25 * (1 + 10.0 / 9) };
    static const double TRAIN[4] = { 0.2375, 0.225, 0.1875, 0.125 };
    for (int k = 0; k < 4; k++) {
        assert_close(ols_expected_test_error(20, DS[k], 0.25), TEST[k], 1e-15,
                     "ols_expected_test_error (eq:ch06-ols), n = 20, d = %d, sigma^2 = 0.25", DS[k]);
        assert_close(ols_expected_train_error(20, DS[k], 0.25), TRAIN[k], 1e-15,
                     "ols_expected_train_error (eq:ch06-ols-train), n = 20, d = %d, sigma^2 = 0.25", DS[k]);
    }
    assert_close(ols_expected_test_error(20, 5, 0.25), 0.3392857142857143, 1e-15,
                 "ols_expected_test_error, n = 20, d = 5: 0.25 * 19/14");
}
END_TEST

/* X = sqrt(n) I (n = d = 2) makes X^T X / n = I: every s_k = 1, so gradient
 * descent shrinks by g = 1 - (1 - eta)^t and ridge by 1 / (1 + lambda), and
 * the risk is (1 - g)^2 |beta|^2 + g^2 d sigma^2 / n.
 * @checks eq:ch06-gd-ridge
 * @asserts with every $s_k = 1$, the expected risks of gradient descent and of
 *   ridge equal $(1 - g)^2 |\beta|^2 + g^2 d \sigma^2 / n$ for their factors
 *   $g$, and their ratio is within the bound of Ali et al.
 * @tolerance 1e-12 absolute; the ratio at most the bound */
START_TEST(test_gd_ridge_expected_risks)
{
    const double r = sqrt(2.0), X[4] = { r, 0, 0, r }, beta[2] = { 3, -4 }, sigma2 = 0.5, eta = 0.1;
    const long t = 10;
    const double lambda = 1.0 / (eta * t);
    double gd, ridge;
    ck_assert_int_eq(gd_ridge_expected_risks(2, 2, X, beta, sigma2, eta, t, lambda, &gd, &ridge), 0);
    double g = 1 - pow(0.9, 10), h = 1 / (1 + lambda);
    assert_close(gd, (1 - g) * (1 - g) * 25 + g * g * 2 * sigma2 / 2, 1e-12,
                 "gd_ridge_expected_risks: gradient descent with every s_k = 1");
    assert_close(ridge, (1 - h) * (1 - h) * 25 + h * h * 2 * sigma2 / 2, 1e-12,
                 "gd_ridge_expected_risks: ridge with lambda = 1 and every s_k = 1");
    assert_double(gd / ridge, <=, ALI_RISK_BOUND, "the risk ratio on this case, within Ali et al.'s bound");
}
END_TEST

static void assert_outcome(const char *got, const char *expected, const char *what)
{
    ck_assert_msg(strcmp(got, expected) == 0, "%s: got '%s', expected '%s'", what, got, expected);
}

/* The shape of the minimum-norm closed form below the threshold, as the
 * text reads it: with d = 40, |beta|^2 = 1 and sigma^2 = 0.25 it falls from
 * 1.2135 at n = 2 to 1.0125 at n = 19, where d - 1 - sqrt(sigma^2 d (d - 1))
 * = 19.25 puts the minimum of the curve in real n, and rises to 9.8 at
 * n = 38; without noise, 1 - n/d, it only falls.
 * @checks eq:ch06-minnorm
 * @asserts for $d = 40$, $|\beta|^2 = 1$, $\sigma^2 = 0.25$ the closed form
 *   falls from 1.2135 at $n = 2$ to 1.0125 at $n = 19$, then rises to 9.8 at
 *   $n = 38$; without noise it only falls
 * @tolerance 1e-12 absolute (1e-6 for the value by hand) */
START_TEST(test_minnorm_closed_form_shape)
{
    enum { D = 40, COUNT = D - 3 };
    double mn[COUNT], quiet[COUNT];
    int low = 0;
    for (int i = 0; i < COUNT; i++) {
        mn[i] = minnorm_expected_test_error(i + 2, D, 0.25, 1.0);
        quiet[i] = minnorm_expected_test_error(i + 2, D, 0.0, 1.0);
        if (mn[i] < mn[low])
            low = i;
    }
    assert_close(mn[0], 1.0 - 2.0 / D + 0.25 * (1.0 + 2.0 / (D - 3)), 1e-14,
                 "minnorm_expected_test_error at n = 2, d = 40");
    assert_close(mn[0], 1.2135135, 1e-6, "minnorm_expected_test_error at n = 2, d = 40, by hand");
    assert_int(low + 2, ==, 19, "the n of the lowest minimum-norm closed form, d = 40, sigma^2 = 0.25");
    assert_int(low + 2, ==, (int)lround(D - 1 - sqrt(0.25 * D * (D - 1))),
               "the lowest n against the minimum of the curve in real n, rounded");
    assert_close(mn[low], 1.0125, 1e-12, "the lowest minimum-norm closed form, d = 40");
    assert_close(mn[COUNT - 1], 9.8, 1e-12, "the minimum-norm closed form at n = d - 2 = 38");
    assert_outcome(fall_rise_verdict(mn, COUNT, 0.0), "falls then rises",
                   "fall_rise_verdict on the minimum-norm closed form, d = 40, sigma^2 = 0.25");
    assert_outcome(fall_rise_verdict(quiet, COUNT, 0.0), "falls",
                   "fall_rise_verdict on the minimum-norm closed form without noise, 1 - n/d");
}
END_TEST

/* One curve for each outcome of fall_rise_verdict, read to 2 points. */
START_TEST(test_fall_rise_outcomes)
{
    const double u[5] = { 40, 30, 20, 25, 30 }, down[5] = { 40, 30, 20, 21, 21.5 };
    const double up[5] = { 20, 20.5, 20, 25, 30 }, flat[5] = { 20, 21, 19, 20.5, 20 };
    assert_outcome(fall_rise_verdict(u, 5, 2.0), "falls then rises", "fall_rise_verdict: 40 to 20 to 30");
    assert_outcome(fall_rise_verdict(down, 5, 2.0), "falls",
                   "fall_rise_verdict: 40 to 20, ending 1.5 above its lowest");
    assert_outcome(fall_rise_verdict(up, 5, 2.0), "rises", "fall_rise_verdict: from 20 up to 30");
    assert_outcome(fall_rise_verdict(flat, 5, 2.0), "flat", "fall_rise_verdict: within 1 of 20 throughout");
    const double edge[3] = { 22, 20, 22 };
    assert_outcome(fall_rise_verdict(edge, 3, 2.0), "flat",
                   "fall_rise_verdict: exactly the tolerance above on both sides");
}
END_TEST

/* The whole program twice, each experiment small: a hundredth of the
 * MNIST networks' epochs (their full count takes some 7 s a run). */
START_TEST(test_program_is_deterministic)
{
    const char *args[] = { "ch06_overfitting", "--seeds", "1", "--trials", "20", "--dim", "8",
                           "--poly-trials", "10", "--poly-max", "25", "--noisy-n", "100",
                           "--noisy-epochs", "4", "--mnist-epochs", "0.01", NULL };
    const char *files[] = { "numbers.tex", "ls_size.dat", "ls_small.tex", "poly.dat", "noisy_1.dat",
                            "mnist_width.dat" };
    check_program_deterministic(args, files, 6);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("ch06_overfitting");
    TCase *ls = tcase_create("least_squares");
    tcase_add_test(ls, test_ols_closed_form_matches_simulation);
    tcase_add_test(ls, test_minnorm_closed_form_matches_simulation);
    tcase_add_test(ls, test_minnorm_closed_form_shape);
    tcase_add_test(ls, test_ols_closed_form_values);
    tcase_add_test(ls, test_gd_ridge_expected_risks);
    tcase_add_test(ls, test_ridge_solution);
    tcase_add_test(ls, test_gd_ridge_distance_matches_prediction);
    tcase_add_test(ls, test_quadratic_gd_diverges_above_two_over_l);
    tcase_add_test(ls, test_legendre_features);
    suite_add_tcase(s, ls);
    TCase *stop = tcase_create("early_stopping");
    tcase_add_test(stop, test_early_stopping_finds_the_minimum);
    tcase_add_test(stop, test_early_stopping_patience);
    tcase_add_test(stop, test_early_stopping_ties);
    tcase_add_test(stop, test_fall_rise_outcomes);
    suite_add_tcase(s, stop);
    TCase *program = tcase_create("program");
    tcase_set_timeout(program, 120);
    tcase_add_test(program, test_program_is_deterministic);
    suite_add_tcase(s, program);
    return s;
}
