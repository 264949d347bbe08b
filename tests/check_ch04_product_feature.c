/* check_ch04_product_feature.c - chapter 04: the networks set by hand are
 * exactly sigmoid(beta0 + beta1 x1 x2); every model's gradient matches
 * central differences; the product-unit network fitted on a large sample
 * finds beta0 and beta1; logistic regression on (x1, x2) does no better
 * than chance; no single neuron separates the signs of x1 x2; the ReLU
 * construction meets its error bound; the Bayes rate and the standard
 * errors; the program's options and determinism. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ch04_product_feature.h"
#include "kit_test.h"
#include "lib/fdiff.h"
#include "lib/rng.h"

/* ------------------------------------------------- the networks by hand */

/* The table's network: its logit is beta0 + beta1 x1 x2 and its output
 * sigmoid(beta0 + beta1 x1 x2), to machine precision, anywhere (not only
 * on the square) and for any beta. */
START_TEST(test_product_unit_by_hand_is_exact)
{
    Rng rng;
    rng_seed(&rng, 41);
    for (int trial = 0; trial < 20000; trial++) {
        double beta0 = rng_uniform_range(&rng, -3, 3), beta1 = rng_uniform_range(&rng, -3, 3);
        double x[2] = { rng_uniform_range(&rng, -5, 5), rng_uniform_range(&rng, -5, 5) };
        double theta[PU_PARAMS], s[2];
        product_unit_by_hand(beta0, beta1, theta);
        double z = product_unit_forward(theta, x, s), truth = true_logit(beta0, beta1, x);
        ck_assert_double_le(fabs(z - truth), 2 * DBL_EPSILON * fmax(1.0, fabs(truth)));
        ck_assert_double_le(fabs(sigmoid(z) - sigmoid(truth)), 2 * DBL_EPSILON);
        /* The table: h1 = s1 s2 = x1 x2 (the product unit), h2 = 1. */
        ck_assert_double_eq(s[0] * s[1], x[0] * x[1]);
    }
}
END_TEST

/* (x1 + x2)^2 - (x1 - x2)^2 = 4 x1 x2: the square network by hand equals
 * the truth up to the rounding of its squares. */
START_TEST(test_square_by_hand_is_exact)
{
    Rng rng;
    rng_seed(&rng, 42);
    for (int trial = 0; trial < 20000; trial++) {
        double beta0 = rng_uniform_range(&rng, -3, 3), beta1 = rng_uniform_range(&rng, -3, 3);
        double x[2] = { rng_uniform_range(&rng, -2, 2), rng_uniform_range(&rng, -2, 2) };
        double theta[SQ_PARAMS], u[2];
        square_by_hand(beta0, beta1, theta);
        double z = square_forward(theta, x, u), truth = true_logit(beta0, beta1, x);
        /* u^2 is at most 16 here; its rounding, times |beta1| / 4, is the error. */
        ck_assert_double_le(fabs(z - truth), 16 * DBL_EPSILON * (1.0 + 16.0 * fabs(beta1)));
        ck_assert_double_le(fabs(sigmoid(z) - sigmoid(truth)), 1e-14);
    }
}
END_TEST

/* ------------------------------------------------------------ gradients */

typedef struct {
    Model m;
    const double *x;
    double *cache;
} LogitAt;

static double logit_of(const double *theta, void *ctx)
{
    const LogitAt *at = ctx;
    return model_forward(at->m, theta, at->x, at->cache);
}

typedef struct {
    Model m;
    const Sample *s;
} LossAt;

static double loss_of(const double *theta, void *ctx)
{
    const LossAt *at = ctx;
    return log_loss(at->m, theta, at->s);
}

static const Model MODELS[] = {
    { MODEL_LOGISTIC, 0 }, { MODEL_PRODUCT_UNIT, 0 }, { MODEL_SQUARE, 0 },
    { MODEL_RELU, 1 }, { MODEL_RELU, 3 }, { MODEL_RELU, 8 },
};
enum { N_MODELS = sizeof MODELS / sizeof MODELS[0] };

/* The smallest |u_i| of a ReLU network over the points: a central
 * difference of step h moves u_i by at most h (1 + |x1| + |x2|), so it
 * straddles a kink only where this is below that. */
static double closest_to_kink(Model m, const double *theta, const Sample *s)
{
    if (m.kind != MODEL_RELU)
        return INFINITY;
    double u[8], closest = INFINITY;
    for (int n = 0; n < s->n; n++) {
        relu_net_forward(m.hidden, theta, s->x + 2 * n, u);
        for (int i = 0; i < m.hidden; i++)
            closest = fmin(closest, fabs(u[i]));
    }
    return closest;
}

/* Each model's backward pass, one point at a time: dz/dtheta from
 * model_backward with dz = 1 against central differences of the logit. */
START_TEST(test_backward_matches_finite_differences)
{
    Rng rng;
    rng_seed(&rng, 43);
    for (int k = 0; k < N_MODELS; k++) {
        Model m = MODELS[k];
        int P = model_param_count(m);
        for (int trial = 0; trial < 200; trial++) {
            double theta[64], g[64], fd[64], cache[8];
            Sample one;
            ck_assert_int_eq(sample_draw(&one, 1, 0.5, 2.0, &rng), 0);
            do
                model_init_random(m, theta, &rng);
            while (closest_to_kink(m, theta, &one) < 1e-3);
            memset(g, 0, sizeof g);
            double z = model_forward(m, theta, one.x, cache);
            model_backward(m, theta, one.x, cache, 1.0, g);
            LogitAt at = { m, one.x, cache };
            fd_gradient(logit_of, theta, P, 1e-6, &at, fd);
            ck_assert_double_eq(model_forward(m, theta, one.x, cache), z);   /* theta restored */
            ck_assert_msg(vector_relative_error(g, fd, P, 1e-12) < 1e-7,
                          "model %d (H = %d): relative error %.3g", m.kind, m.hidden,
                          vector_relative_error(g, fd, P, 1e-12));
            sample_free(&one);
        }
    }
}
END_TEST

/* The gradient of the mean log-loss (ch04:logloss) on a batch,
 * against central differences of the loss. */
START_TEST(test_loss_gradient_matches_finite_differences)
{
    Rng rng;
    rng_seed(&rng, 44);
    for (int k = 0; k < N_MODELS; k++) {
        Model m = MODELS[k];
        int P = model_param_count(m);
        for (int trial = 0; trial < 20; trial++) {
            double theta[64], g[64], fd[64];
            Sample s;
            ck_assert_int_eq(sample_draw(&s, 16, 0.5, 2.0, &rng), 0);
            do
                model_init_random(m, theta, &rng);
            while (closest_to_kink(m, theta, &s) < 1e-3);
            log_loss_gradient(m, theta, &s, g);
            LossAt at = { m, &s };
            fd_gradient(loss_of, theta, P, 1e-6, &at, fd);
            ck_assert_msg(vector_relative_error(g, fd, P, 1e-12) < 1e-7,
                          "model %d (H = %d): relative error %.3g", m.kind, m.hidden,
                          vector_relative_error(g, fd, P, 1e-12));
            sample_free(&s);
        }
    }
}
END_TEST

/* A ReLU unit exactly on its kink, u = 0, gets no gradient (relu'(0) = 0,
 * the kit's convention, chapter 02). */
START_TEST(test_relu_kink_convention)
{
    /* One unit: u = x1 - x2 at x = (1, 1) is exactly 0. */
    double theta[5] = { 1.0, -1.0, 0.0, 3.0, 0.25 }, x[2] = { 1.0, 1.0 }, u[1], g[5] = { 0 };
    double z = relu_net_forward(1, theta, x, u);
    ck_assert_double_eq(u[0], 0.0);
    ck_assert_double_eq(z, 0.25);
    relu_net_backward(1, theta, x, u, 1.0, g);
    for (int i = 0; i < 4; i++)
        ck_assert_double_eq(g[i], 0.0);
    ck_assert_double_eq(g[4], 1.0);
}
END_TEST

/* ---------------------------------------------------------------- fits */

/* On LARGE points the product-unit network, from a random start, finds
 * beta0 and beta1 within 0.1 of the truth (the program prints the
 * standard errors at this size: about 0.02 and 0.03, so 0.1 is more than
 * three of them), and the linear terms it could have but the truth lacks
 * within 0.1 of 0. */
enum { LARGE = 20000 };

START_TEST(test_fitted_product_unit_recovers_truth)
{
    const double beta0 = 0.5, beta1 = 2.0;
    Rng rng;
    rng_seed(&rng, 45);
    Sample s;
    ck_assert_int_eq(sample_draw(&s, LARGE, beta0, beta1, &rng), 0);
    Model m = { MODEL_PRODUCT_UNIT, 0 };
    double theta[PU_PARAMS], coef[4];
    model_init_random(m, theta, &rng);
    double grad_norm = gradient_descent(m, theta, &s, 0.1, 3000);
    product_unit_coefficients(theta, coef);
    ck_assert_double_lt(grad_norm, 1e-6);       /* converged */
    ck_assert_double_lt(fabs(coef[0] - beta0), 0.1);
    ck_assert_double_lt(fabs(coef[1] - beta1), 0.1);
    ck_assert_double_lt(fabs(coef[2]), 0.1);
    ck_assert_double_lt(fabs(coef[3]), 0.1);
    double se[4];
    ck_assert_int_eq(fisher_standard_errors(beta0, beta1, LARGE, 400, se), 0);
    ck_assert_double_lt(3.0 * se[0], 0.1);
    ck_assert_double_lt(3.0 * se[1], 0.1);
    sample_free(&s);
}
END_TEST

/* Logistic regression on (x1, x2): the data are symmetric under
 * x -> -x, so its weights are near 0 and it predicts the commoner class
 * everywhere; on a large test sample it beats chance (the accuracy of
 * always predicting the class commoner in training) by less than 0.02. */
START_TEST(test_logistic_regression_cannot_beat_chance)
{
    Rng rng;
    rng_seed(&rng, 46);
    Sample train, test;
    ck_assert_int_eq(sample_draw(&train, LARGE, 0.5, 2.0, &rng), 0);
    ck_assert_int_eq(sample_draw(&test, LARGE, 0.5, 2.0, &rng), 0);
    Model m = { MODEL_LOGISTIC, 0 };
    double theta[LR_PARAMS];
    model_init_random(m, theta, &rng);
    gradient_descent(m, theta, &train, 0.5, 3000);
    double ones_train = 0.0, ones_test = 0.0;
    for (int i = 0; i < LARGE; i++) {
        ones_train += train.y[i] / LARGE;
        ones_test += test.y[i] / LARGE;
    }
    double chance = ones_train >= 0.5 ? ones_test : 1.0 - ones_test;
    ck_assert_double_lt(accuracy(m, theta, &test), chance + 0.02);
    ck_assert_double_lt(hypot(theta[LR_W1], theta[LR_W2]), 0.1);
    /* and the product-unit network, on the same data, does not: */
    Model pu = { MODEL_PRODUCT_UNIT, 0 };
    double theta_pu[PU_PARAMS];
    model_init_random(pu, theta_pu, &rng);
    gradient_descent(pu, theta_pu, &train, 0.1, 1000);
    ck_assert_double_gt(accuracy(pu, theta_pu, &test), chance + 0.15);
    sample_free(&train);
    sample_free(&test);
}
END_TEST

/* ------------------------------------------------- the single neuron */

/* z(1,1) + z(-1,-1) = 2c = z(1,-1) + z(-1,1) for any z = c + w1 x1 + w2 x2
 * (ch04:xor), so a threshold on z (any monotone activation and any cut)
 * that puts both corners with x1 x2 > 0 above it puts one of the others
 * above it too: some corner is always misclassified. */
START_TEST(test_single_neuron_misclassifies_a_corner)
{
    const double corners[4][2] = { { 1, 1 }, { -1, -1 }, { 1, -1 }, { -1, 1 } };
    Rng rng;
    rng_seed(&rng, 47);
    for (int trial = 0; trial < 100000; trial++) {
        double theta[LR_PARAMS] = { rng_normal(&rng), rng_normal(&rng), rng_normal(&rng) };
        double cut = 2.0 * rng_normal(&rng);
        int sense = rng_uniform(&rng) < 0.5 ? 1 : -1;   /* increasing or decreasing g */
        int wrong = 0;
        double z[4];
        for (int k = 0; k < 4; k++) {
            z[k] = logistic_forward(theta, corners[k]);
            int says_positive = sense * (z[k] - cut) > 0.0;
            wrong += says_positive != (corners[k][0] * corners[k][1] > 0.0);
        }
        ck_assert_int_ge(wrong, 1);
        ck_assert_double_eq_tol(z[0] + z[1], z[2] + z[3], 1e-12);
    }
}
END_TEST

/* ------------------------------------------------ the ReLU construction */

/* The network of 2k ReLU units built for x1 x2 errs by exactly R^2 / k^2
 * on [-R, R]^2 at worst (ch04:relu-bound); with the diagonal's lower bound
 * below it. */
START_TEST(test_relu_construction_meets_its_bound)
{
    for (int k = 1; k <= 20; k++) {
        double bound = relu_product_error_bound(k);
        ck_assert_double_eq_tol(bound, 4.0 / (k * k), 1e-15);
        double measured = relu_product_max_error(k, 200);
        ck_assert_double_le(measured, bound * (1.0 + 1e-10));
        ck_assert_double_ge(measured, bound * (1.0 - 1e-10));
        ck_assert_double_lt(relu_product_lower_bound(2 * k), bound);
    }
    ck_assert_int_eq(relu_units_for_accuracy(0.1), 14);
    ck_assert_int_eq(relu_units_for_accuracy(0.01), 40);
    ck_assert_int_eq(relu_units_for_accuracy(0.001), 128);
    ck_assert_int_eq(relu_units_at_least(0.01), 14);
}
END_TEST

/* The construction, shifted and scaled, is a classifier: its logit is
 * within beta1 R^2 / k^2 of the truth's, and at the knots of both
 * interpolants (x1 +- x2 on the grid t_j) exactly equal to it. */
START_TEST(test_relu_construction_as_logit)
{
    const double beta0 = 0.5, beta1 = 2.0;
    Rng rng;
    rng_seed(&rng, 48);
    for (int k = 1; k <= 16; k *= 2) {
        int H = 2 * k;
        double theta[4 * 32 + 1], u[32];
        relu_product_by_hand(k, beta0, beta1, theta);
        for (int trial = 0; trial < 2000; trial++) {
            double x[2] = { rng_uniform_range(&rng, -2, 2), rng_uniform_range(&rng, -2, 2) };
            double err = fabs(relu_net_forward(H, theta, x, u) - true_logit(beta0, beta1, x));
            ck_assert_double_le(err, beta1 * relu_product_error_bound(k) + 1e-12);
        }
        /* A knot pair: x1 + x2 = t_i and x1 - x2 = t_j, t = -4 + 8 j / k. */
        double h = 8.0 / k;
        for (int i = 0; i <= k; i++)
            for (int j = 0; j <= k; j++) {
                double s = -4.0 + i * h, t = -4.0 + j * h;
                double x[2] = { (s + t) / 2.0, (s - t) / 2.0 };
                if (fabs(x[0]) > 2.0 || fabs(x[1]) > 2.0)
                    continue;
                ck_assert_double_eq_tol(relu_net_forward(H, theta, x, u),
                                        true_logit(beta0, beta1, x), 1e-12);
            }
    }
}
END_TEST

/* ---------------------------------------------- Bayes rate, Fisher s.e. */

/* With beta1 = 0 the truth is a constant p = sigmoid(beta0): the Bayes
 * rate is max(p, 1 - p) and the share of ones p, exactly; with beta1 > 0
 * the grid average has converged (two grids agree) and a large sample's
 * Bayes accuracy is near it. */
START_TEST(test_bayes_rate)
{
    BayesExpectation flat = bayes_expectation(0.5, 0.0, 50);
    ck_assert_double_eq_tol(flat.accuracy, sigmoid(0.5), 1e-12);
    ck_assert_double_eq_tol(flat.share_of_ones, sigmoid(0.5), 1e-12);
    BayesExpectation fine = bayes_expectation(0.5, 2.0, 2000);
    BayesExpectation coarse = bayes_expectation(0.5, 2.0, 1000);
    ck_assert_double_eq_tol(fine.accuracy, coarse.accuracy, 1e-5);
    ck_assert_double_eq_tol(fine.log_loss, coarse.log_loss, 1e-5);
    Rng rng;
    rng_seed(&rng, 49);
    Sample s;
    ck_assert_int_eq(sample_draw(&s, 200000, 0.5, 2.0, &rng), 0);
    /* The standard deviation of a sample's accuracy is below 0.001 here. */
    ck_assert_double_eq_tol(bayes_accuracy(&s, 0.5, 2.0), fine.accuracy, 0.004);
    ck_assert_double_eq_tol(bayes_log_loss(&s, 0.5, 2.0), fine.log_loss, 0.004);
    sample_free(&s);
}
END_TEST

/* With beta1 = 0, p(1 - p) is constant and the Fisher information is
 * p (1 - p) E[phi phi^T] = p (1 - p) diag(1, 16/9, 4/3, 4/3) on [-2, 2]^2,
 * so the standard errors are known in closed form. */
START_TEST(test_fisher_standard_errors_in_closed_form)
{
    double p = sigmoid(0.5), se[4];
    int n = 1000;
    ck_assert_int_eq(fisher_standard_errors(0.5, 0.0, n, 400, se), 0);
    const double second_moment[4] = { 1.0, 16.0 / 9.0, 4.0 / 3.0, 4.0 / 3.0 };
    for (int a = 0; a < 4; a++) {
        double expected = 1.0 / sqrt(n * p * (1.0 - p) * second_moment[a]);
        ck_assert_double_eq_tol(se[a] / expected, 1.0, 1e-4);
    }
}
END_TEST

/* ------------------------------------------------------------- program */

START_TEST(test_program_rejects_bad_options)
{
    char err[1024];
    const char *bad[] = { "ch04_product_feature", "--train", "5", NULL };
    ck_assert_int_eq(run_program(bad, err, sizeof err), 2);
    ck_assert_ptr_nonnull(strstr(err, "--train"));
    const char *beta[] = { "ch04_product_feature", "--beta1", "two", NULL };
    ck_assert_int_eq(run_program(beta, err, sizeof err), 2);
    ck_assert_ptr_nonnull(strstr(err, "--beta1"));
    const char *unknown[] = { "ch04_product_feature", "--epochs", "3", NULL };
    ck_assert_int_eq(run_program(unknown, err, sizeof err), 2);
    ck_assert_ptr_nonnull(strstr(err, "--epochs"));
    const char *missing[] = { "ch04_product_feature", "--seed", NULL };
    ck_assert_int_eq(run_program(missing, err, sizeof err), 2);
    ck_assert_ptr_nonnull(strstr(err, "needs a value"));
    const char *extra[] = { "ch04_product_feature", "stray", NULL };
    ck_assert_int_eq(run_program(extra, err, sizeof err), 2);
    ck_assert_ptr_nonnull(strstr(err, "stray"));
}
END_TEST

START_TEST(test_program_is_deterministic)
{
    const char *args[] = { "ch04_product_feature", "--train", "200", "--test", "500", "--starts", "1",
                           NULL };
    const char *files[] = { "numbers.tex", "models_table.tex", "relu_sweep.dat", "relu_error.dat",
                            "planes.dat", "points.dat", "boundary.dat" };
    check_program_deterministic(args, files, sizeof files / sizeof files[0]);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("ch04_product_feature");
    TCase *exact = tcase_create("by_hand");
    tcase_add_test(exact, test_product_unit_by_hand_is_exact);
    tcase_add_test(exact, test_square_by_hand_is_exact);
    tcase_add_test(exact, test_single_neuron_misclassifies_a_corner);
    suite_add_tcase(s, exact);
    TCase *grad = tcase_create("gradients");
    tcase_add_test(grad, test_backward_matches_finite_differences);
    tcase_add_test(grad, test_loss_gradient_matches_finite_differences);
    tcase_add_test(grad, test_relu_kink_convention);
    suite_add_tcase(s, grad);
    TCase *fits = tcase_create("fits");
    tcase_set_timeout(fits, 60);
    tcase_add_test(fits, test_fitted_product_unit_recovers_truth);
    tcase_add_test(fits, test_logistic_regression_cannot_beat_chance);
    suite_add_tcase(s, fits);
    TCase *relu = tcase_create("relu_construction");
    tcase_set_timeout(relu, 60);
    tcase_add_test(relu, test_relu_construction_meets_its_bound);
    tcase_add_test(relu, test_relu_construction_as_logit);
    suite_add_tcase(s, relu);
    TCase *bayes = tcase_create("bayes");
    tcase_set_timeout(bayes, 60);
    tcase_add_test(bayes, test_bayes_rate);
    tcase_add_test(bayes, test_fisher_standard_errors_in_closed_form);
    suite_add_tcase(s, bayes);
    TCase *program = tcase_create("program");
    tcase_set_timeout(program, 60);
    tcase_add_test(program, test_program_rejects_bad_options);
    tcase_add_test(program, test_program_is_deterministic);
    suite_add_tcase(s, program);
    return s;
}
