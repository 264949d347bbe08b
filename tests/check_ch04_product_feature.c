/* check_ch04_product_feature.c - chapter 04: the networks set by hand are
 * exactly sigmoid(beta0 + beta1 x1 x2); every model's gradient matches
 * central differences; the product-unit network fitted on a large sample
 * finds beta0 and beta1; logistic regression on (x1, x2) does no better
 * than chance; no single neuron separates the signs of x1 x2; the ReLU
 * construction meets its error bound; the Bayes rate and the standard
 * errors; the program's options and determinism. */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ch04_product_feature.h"
#include "kit_test.h"
#include "lib/fdiff.h"
#include "lib/rng.h"

/* ------------------------------------------------- the networks by hand */

/* The table's network: its logit is beta0 + beta1 x1 x2 and its output
 * sigmoid(beta0 + beta1 x1 x2), to machine precision, anywhere (not only
 * on the square) and for any beta.
 * @checks eq:ch04-product-net, tab:ch04-network
 * @asserts at 20,000 random $x$ and $(\beta_0, \beta_1)$ the table's logit is $\beta_0 + \beta_1
 *   x_1 x_2$, its output the truth's, and $h_1 = x_1 x_2$
 * @tolerance $2\varepsilon$ relative ($\varepsilon$ the double's epsilon); $h_1$ exact */
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
        assert_double(fabs(z - truth), <=, 2 * DBL_EPSILON * fmax(1.0, fabs(truth)),
                      "product_unit_forward with product_unit_by_hand(beta0 = %.17g, beta1 = %.17g) "
                      "at x = %s: |logit - (beta0 + beta1 x1 x2)| (logit %.17g, truth %.17g)",
                      beta0, beta1, format_vector(x, 2), z, truth);
        assert_double(fabs(sigmoid(z) - sigmoid(truth)), <=, 2 * DBL_EPSILON,
                      "product_unit_by_hand(beta0 = %.17g, beta1 = %.17g) at x = %s: "
                      "|sigmoid(logit) - sigmoid(truth)|", beta0, beta1, format_vector(x, 2));
        /* The table: h1 = s1 s2 = x1 x2 (the product unit), h2 = 1. */
        assert_equal(s[0] * s[1], x[0] * x[1], "product_unit_by_hand at x = %s: the product unit "
                     "h1 = s1 s2 (s = %s) against x1 x2", format_vector(x, 2), format_vector(s, 2));
    }
}
END_TEST

/* (x1 + x2)^2 - (x1 - x2)^2 = 4 x1 x2: the square network by hand equals
 * the truth up to the rounding of its squares.
 * @checks eq:ch04-square-identity, eq:ch04-square-net
 * @asserts at 20,000 random $x \in [-2, 2]^2$ and $(\beta_0, \beta_1)$ the two squares' logit is
 *   $\beta_0 + \beta_1 x_1 x_2$ and its sigmoid the truth's
 * @tolerance 16 epsilons of the squares, times $|\beta_1|$, on the logit; 1e-14 on $\sigma$ */
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
        assert_double(fabs(z - truth), <=, 16 * DBL_EPSILON * (1.0 + 16.0 * fabs(beta1)),
                      "square_forward with square_by_hand(beta0 = %.17g, beta1 = %.17g) at x = %s: "
                      "|logit - (beta0 + beta1 x1 x2)| (logit %.17g, truth %.17g)", beta0, beta1,
                      format_vector(x, 2), z, truth);
        assert_double(fabs(sigmoid(z) - sigmoid(truth)), <=, 1e-14,
                      "square_by_hand(beta0 = %.17g, beta1 = %.17g) at x = %s: "
                      "|sigmoid(logit) - sigmoid(truth)|", beta0, beta1, format_vector(x, 2));
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

static const Model MODELS[] = {
    { MODEL_LOGISTIC, 0 }, { MODEL_PRODUCT_UNIT, 0 }, { MODEL_SQUARE, 0 },
    { MODEL_RELU, 1 }, { MODEL_RELU, 3 }, { MODEL_RELU, 8 },
};
enum { N_MODELS = sizeof MODELS / sizeof MODELS[0] };

/* The model, the backward function that model_backward calls for it, and
 * the order of its parameters, for a failure message. */
static const char *model_name(Model m)
{
    switch (m.kind) {
    case MODEL_LOGISTIC:
        return "logistic regression (logistic_backward; parameters c, w1, w2)";
    case MODEL_PRODUCT_UNIT:
        return "product-unit network (product_unit_backward; parameters w1, c1, w2, c2, v1, v2)";
    case MODEL_SQUARE:
        return "square network (square_backward; parameters w11, w12, c1, w21, w22, c2, v1, v2, c0)";
    case MODEL_RELU:
        return format_text("ReLU network with H = %d (relu_net_backward; parameters W (H x 2, by "
                           "rows), c (H), v (H), c0)", m.hidden);
    }
    return "unknown model";
}

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
 * model_backward with dz = 1 against central differences of the logit,
 * for the models whose kind is in the mask (1 << kind). */
static void check_backward_against_fd(unsigned kinds, uint64_t seed)
{
    Rng rng;
    rng_seed(&rng, seed);
    for (int k = 0; k < N_MODELS; k++) {
        Model m = MODELS[k];
        if (!(kinds & 1u << m.kind))
            continue;
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
            assert_equal(model_forward(m, theta, one.x, cache), z, "%s: model_forward at x = %s "
                         "after fd_gradient (theta must be restored)", model_name(m),
                         format_vector(one.x, 2));
            assert_vector_close(g, fd, P, 1e-12, 1e-7, "%s at x = %s, theta = %s: model_backward "
                                "with dz = 1 (dz/dtheta) against central differences of "
                                "model_forward (h = 1e-6)", model_name(m), format_vector(one.x, 2),
                                format_vector(theta, P));
            sample_free(&one);
        }
    }
}

/* The gradient of the mean log-loss (eq:ch04-logloss) on a batch, against
 * central differences of the loss, for the models in the mask. */
static void check_loss_gradient_against_fd(unsigned kinds, uint64_t seed)
{
    Rng rng;
    rng_seed(&rng, seed);
    for (int k = 0; k < N_MODELS; k++) {
        Model m = MODELS[k];
        if (!(kinds & 1u << m.kind))
            continue;
        int P = model_param_count(m);
        for (int trial = 0; trial < 20; trial++) {
            double theta[64], g[64], fd[64];
            Sample s;
            ck_assert_int_eq(sample_draw(&s, 16, 0.5, 2.0, &rng), 0);
            do
                model_init_random(m, theta, &rng);
            while (closest_to_kink(m, theta, &s) < 1e-3);
            log_loss_gradient(m, theta, &s, g);
            log_loss_fd_gradient(m, theta, &s, 1e-6, fd);
            assert_vector_close(g, fd, P, 1e-12, 1e-7, "%s, 16 points, theta = %s: "
                                "log_loss_gradient, the gradient of the mean log-loss "
                                "(eq:ch04-logloss), against central differences of log_loss "
                                "(h = 1e-6)", model_name(m), format_vector(theta, P));
            sample_free(&s);
        }
    }
}

/* Region ch04_product_backward (eq:ch04-product-backward).
 * @checks eq:ch04-product-backward
 * @asserts the product unit's $\partial z/\partial\theta$, and its log-loss gradient, equal
 *   central differences ($h = 10^{-6}$) at random points and parameters
 * @tolerance 1e-7 relative (1e-12 absolute) */
START_TEST(test_product_unit_backward_matches_finite_differences)
{
    check_backward_against_fd(1u << MODEL_PRODUCT_UNIT, 43);
    check_loss_gradient_against_fd(1u << MODEL_PRODUCT_UNIT, 44);
}
END_TEST

/* Region ch04_square_backward.
 * @checks eq:ch04-square-net
 * @asserts the square network's $\partial z/\partial\theta$, and its log-loss gradient, equal
 *   central differences ($h = 10^{-6}$) at random points and parameters
 * @tolerance 1e-7 relative (1e-12 absolute) */
START_TEST(test_square_backward_matches_finite_differences)
{
    check_backward_against_fd(1u << MODEL_SQUARE, 45);
    check_loss_gradient_against_fd(1u << MODEL_SQUARE, 46);
}
END_TEST

/* Region ch04_relu_backward, which uses chapter 02's relu_derivative.
 * @checks -
 * @asserts the ReLU networks' ($H = 1, 3, 8$) $\partial z/\partial\theta$ and log-loss gradients
 *   equal central differences away from the kinks
 * @tolerance 1e-7 relative (1e-12 absolute) */
START_TEST(test_relu_net_backward_matches_finite_differences)
{
    check_backward_against_fd(1u << MODEL_RELU, 47);
    check_loss_gradient_against_fd(1u << MODEL_RELU, 48);
}
END_TEST

/* Logistic regression, the model the chapter starts from (given code).
 * @checks -
 * @asserts logistic regression's $\partial z/\partial(c, w_1, w_2)$ equals central differences
 *   of its logit ($h = 10^{-6}$) at 200 random points
 * @tolerance 1e-7 relative (1e-12 absolute) */
START_TEST(test_backward_matches_finite_differences)
{
    check_backward_against_fd(1u << MODEL_LOGISTIC, 49);
}
END_TEST

/* Logistic regression's gradient of the mean log-loss.
 * @checks eq:ch04-logloss
 * @asserts logistic regression's gradient of the mean log-loss on 16 points equals central
 *   differences of the loss ($h = 10^{-6}$), 20 trials
 * @tolerance 1e-7 relative (1e-12 absolute) */
START_TEST(test_loss_gradient_matches_finite_differences)
{
    check_loss_gradient_against_fd(1u << MODEL_LOGISTIC, 50);
}
END_TEST

/* A ReLU unit exactly on its kink, u = 0, gets no gradient (relu'(0) = 0,
 * the kit's convention, chapter 02).
 * @checks -
 * @asserts a unit exactly on its kink ($u = 0$) passes no gradient to $w_{11}, w_{12}, c_1,
 *   v_1$; $\partial z/\partial c_0 = 1$
 * @tolerance exact */
START_TEST(test_relu_kink_convention)
{
    /* One unit: u = x1 - x2 at x = (1, 1) is exactly 0. */
    double theta[5] = { 1.0, -1.0, 0.0, 3.0, 0.25 }, x[2] = { 1.0, 1.0 }, u[1], g[5] = { 0 };
    double z = relu_net_forward(1, theta, x, u);
    assert_equal(u[0], 0.0, "relu_net_forward, H = 1, theta = %s, at x = (1, 1): the unit's "
                 "input u = x1 - x2", format_vector(theta, 5));
    assert_equal(z, 0.25, "relu_net_forward, H = 1, theta = %s, at x = (1, 1): the logit c0",
                 format_vector(theta, 5));
    relu_net_backward(1, theta, x, u, 1.0, g);
    for (int i = 0; i < 4; i++)
        assert_equal(g[i], 0.0, "relu_net_backward, H = 1, theta = (w11, w12, c1, v1, c0) = %s, "
                     "at x = (1, 1), unit on its kink (u = 0, relu'(0) = 0): dz/dtheta[%d]",
                     format_vector(theta, 5), i);
    assert_equal(g[4], 1.0, "relu_net_backward, H = 1, at x = (1, 1): dz/dc0");
}
END_TEST

/* ---------------------------------------------------------------- fits */

/* On LARGE points the product-unit network, from a random start, finds
 * beta0 and beta1 within 0.1 of the truth (the program prints the
 * standard errors at this size: about 0.02 and 0.03, so 0.1 is more than
 * three of them), and the linear terms it could have but the truth lacks
 * within 0.1 of 0. */
enum { LARGE = 20000 };

/* The product-unit network fitted on LARGE points.
 * @checks eq:ch04-product-net
 * @asserts fitted on 20,000 points, $\hat\beta_0$, $\hat\beta_1$ are within 0.1 of the truth and
 *   $\hat\alpha_1$, $\hat\alpha_2$ of 0, three standard errors below 0.1
 * @tolerance 0.1 absolute; gradient norm below 1e-6 */
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
    char fit[512];
    snprintf(fit, sizeof fit, "the product-unit network fitted by gradient_descent (lr 0.1, 3000 "
             "steps) on %d points with beta0 = 0.5, beta1 = 2; fitted (beta0, beta1, alpha1, "
             "alpha2) = %s", LARGE, format_vector(coef, 4));
    assert_double(grad_norm, <, 1e-6, "%s: the norm of the last gradient (not converged)", fit);
    assert_double(fabs(coef[0] - beta0), <, 0.1, "%s: |beta0 - 0.5|", fit);
    assert_double(fabs(coef[1] - beta1), <, 0.1, "%s: |beta1 - 2|", fit);
    assert_double(fabs(coef[2]), <, 0.1, "%s: |alpha1|, the x1 term the truth lacks", fit);
    assert_double(fabs(coef[3]), <, 0.1, "%s: |alpha2|, the x2 term the truth lacks", fit);
    double se[4];
    ck_assert_int_eq(fisher_standard_errors(beta0, beta1, LARGE, 400, se), 0);
    assert_double(3.0 * se[0], <, 0.1, "fisher_standard_errors(0.5, 2, n = %d): three standard "
                  "errors of beta0", LARGE);
    assert_double(3.0 * se[1], <, 0.1, "fisher_standard_errors(0.5, 2, n = %d): three standard "
                  "errors of beta1", LARGE);
    sample_free(&s);
}
END_TEST

/* Logistic regression on (x1, x2): the data are symmetric under
 * x -> -x, so its weights are near 0 and it predicts the commoner class
 * everywhere; on a large test sample it beats chance (the accuracy of
 * always predicting the class commoner in training) by less than 0.02.
 * @checks -
 * @asserts on 20,000 points logistic regression on $(x_1, x_2)$ is below chance $+\,0.02$ with
 *   $|w| < 0.1$; the product-unit network beats chance by 0.15
 * @tolerance 0.02 in accuracy; 0.1 on $|w|$ */
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
    assert_double(accuracy(m, theta, &test), <, chance + 0.02, "logistic regression on (x1, x2) "
                  "fitted by gradient_descent (lr 0.5, 3000 steps), theta = (c, w1, w2) = %s: "
                  "accuracy on %d test points, against chance %.17g + 0.02", format_vector(theta, 3),
                  LARGE, chance);
    assert_double(hypot(theta[LR_W1], theta[LR_W2]), <, 0.1, "logistic regression on (x1, x2), "
                  "theta = (c, w1, w2) = %s: |(w1, w2)|", format_vector(theta, 3));
    /* and the product-unit network, on the same data, does not: */
    Model pu = { MODEL_PRODUCT_UNIT, 0 };
    double theta_pu[PU_PARAMS];
    model_init_random(pu, theta_pu, &rng);
    gradient_descent(pu, theta_pu, &train, 0.1, 1000);
    assert_double(accuracy(pu, theta_pu, &test), >, chance + 0.15, "the product-unit network "
                  "fitted by gradient_descent (lr 0.1, 1000 steps), theta = %s: accuracy on %d test "
                  "points, against chance %.17g + 0.15", format_vector(theta_pu, PU_PARAMS), LARGE,
                  chance);
    sample_free(&train);
    sample_free(&test);
}
END_TEST

/* ------------------------------------------------- the single neuron */

/* z(1,1) + z(-1,-1) = 2c = z(1,-1) + z(-1,1) for any z = c + w1 x1 + w2 x2
 * (eq:ch04-xor), so a threshold on z (any monotone activation and any cut)
 * that puts both corners with x1 x2 > 0 above it puts one of the others
 * above it too: some corner is always misclassified.
 * @checks eq:ch04-xor
 * @asserts for 100,000 random neurons, cuts and directions of $g$, some corner of $(\pm1, \pm1)$
 *   is misclassified and the two corner sums of $z$ are equal
 * @tolerance exact count; 1e-12 absolute on the sums */
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
        assert_int(wrong, >=, 1, "logistic_forward, theta = (c, w1, w2) = %s, cut %.17g, %s: corners "
                   "(1,1), (-1,-1), (1,-1), (-1,1) with logits %s misclassified",
                   format_vector(theta, 3), cut, sense > 0 ? "increasing" : "decreasing",
                   format_vector(z, 4));
        assert_close(z[0] + z[1], z[2] + z[3], 1e-12, "logistic_forward, theta = (c, w1, w2) = %s: "
                     "z(1,1) + z(-1,-1) against z(1,-1) + z(-1,1), equation (eq:ch04-xor)",
                     format_vector(theta, 3));
    }
}
END_TEST

/* ------------------------------------------------ the ReLU construction */

/* The network of 2k ReLU units built for x1 x2 errs by exactly R^2 / k^2
 * on [-R, R]^2 at worst (eq:ch04-relu-bound); with the diagonal's lower bound
 * below it.
 * @checks eq:ch04-relu-bound, eq:ch04-relu-lower
 * @asserts for $k = 1, \dots, 20$ the construction's worst error on a grid equals $R^2/k^2$ and
 *   exceeds the lower bound; $\varepsilon = 0.1, 0.01, 0.001$ need 14, 40, 128 units
 * @tolerance 1e-10 relative; unit counts exact */
START_TEST(test_relu_construction_meets_its_bound)
{
    for (int k = 1; k <= 20; k++) {
        double bound = relu_product_error_bound(k);
        assert_close(bound, 4.0 / (k * k), 1e-15, "relu_product_error_bound(k = %d) against R^2 / "
                     "k^2, R = 2, equation (eq:ch04-relu-bound)", k);
        double measured = relu_product_max_error(k, 200);
        assert_double(measured, <=, bound * (1.0 + 1e-10), "relu_product_max_error(k = %d, grid "
                      "200), the construction's measured error, against the bound %.17g times "
                      "(1 + 1e-10)", k, bound);
        assert_double(measured, >=, bound * (1.0 - 1e-10), "relu_product_max_error(k = %d, grid "
                      "200), the construction's measured error, against the bound %.17g times "
                      "(1 - 1e-10): the bound is attained", k, bound);
        assert_double(relu_product_lower_bound(2 * k), <, bound, "relu_product_lower_bound(H = %d), "
                      "equation (eq:ch04-relu-lower), against the construction's error bound", 2 * k);
    }
    assert_int(relu_units_for_accuracy(0.1), ==, 14, "relu_units_for_accuracy(0.1): units H = 2k");
    assert_int(relu_units_for_accuracy(0.01), ==, 40, "relu_units_for_accuracy(0.01): units H = 2k");
    assert_int(relu_units_for_accuracy(0.001), ==, 128, "relu_units_for_accuracy(0.001): units "
               "H = 2k");
    assert_int(relu_units_at_least(0.01), ==, 14, "relu_units_at_least(0.01): the fewest units the "
               "lower bound allows");
}
END_TEST

/* The construction, shifted and scaled, is a classifier: its logit is
 * within beta1 R^2 / k^2 of the truth's, and at the knots of both
 * interpolants (x1 +- x2 on the grid t_j) exactly equal to it.
 * @checks eq:ch04-relu-construction
 * @asserts for $k = 1, 2, 4, 8, 16$ the shifted, scaled construction's logit is within $\beta_1
 *   R^2/k^2$ of the truth's, and equal to it at the knots
 * @tolerance 1e-12 absolute beyond the bound */
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
            assert_double(err, <=, beta1 * relu_product_error_bound(k) + 1e-12,
                          "relu_product_by_hand(k = %d, beta0 = 0.5, beta1 = 2) at x = %s: "
                          "|logit - (beta0 + beta1 x1 x2)|, against beta1 R^2 / k^2 + 1e-12", k,
                          format_vector(x, 2));
        }
        /* A knot pair: x1 + x2 = t_i and x1 - x2 = t_j, t = -4 + 8 j / k. */
        double h = 8.0 / k;
        for (int i = 0; i <= k; i++)
            for (int j = 0; j <= k; j++) {
                double s = -4.0 + i * h, t = -4.0 + j * h;
                double x[2] = { (s + t) / 2.0, (s - t) / 2.0 };
                if (fabs(x[0]) > 2.0 || fabs(x[1]) > 2.0)
                    continue;
                assert_close(relu_net_forward(H, theta, x, u), true_logit(beta0, beta1, x), 1e-12,
                             "relu_product_by_hand(k = %d, beta0 = 0.5, beta1 = 2) at the knot "
                             "x = %s (x1 + x2 = %g, x1 - x2 = %g): logit against the truth "
                             "beta0 + beta1 x1 x2", k, format_vector(x, 2), s, t);
            }
    }
}
END_TEST

/* ---------------------------------------------- Bayes rate, Fisher s.e. */

/* With beta1 = 0 the truth is a constant p = sigmoid(beta0): the Bayes
 * rate is max(p, 1 - p) and the share of ones p, exactly; with beta1 > 0
 * the grid average has converged (two grids agree) and a large sample's
 * Bayes accuracy is near it.
 * @checks eq:ch04-bayes
 * @asserts with $\beta_1 = 0$ the Bayes rate and share of ones are $\sigma(\beta_0)$; two grids
 *   agree; a 200,000-point sample is near the expectation
 * @tolerance 1e-12; 1e-5 between grids; 0.004 for the sample */
START_TEST(test_bayes_rate)
{
    BayesExpectation flat = bayes_expectation(0.5, 0.0, 50);
    assert_close(flat.accuracy, sigmoid(0.5), 1e-12, "bayes_expectation(beta0 = 0.5, beta1 = 0, "
                 "grid 50): the Bayes rate, against max(p, 1 - p), p = sigmoid(0.5)");
    assert_close(flat.share_of_ones, sigmoid(0.5), 1e-12, "bayes_expectation(beta0 = 0.5, "
                 "beta1 = 0, grid 50): the share of ones, against p = sigmoid(0.5)");
    BayesExpectation fine = bayes_expectation(0.5, 2.0, 2000);
    BayesExpectation coarse = bayes_expectation(0.5, 2.0, 1000);
    assert_close(fine.accuracy, coarse.accuracy, 1e-5, "bayes_expectation(0.5, 2): the Bayes rate "
                 "on a 2000^2 grid (got) against a 1000^2 grid (expected)");
    assert_close(fine.log_loss, coarse.log_loss, 1e-5, "bayes_expectation(0.5, 2): the log-loss "
                 "on a 2000^2 grid (got) against a 1000^2 grid (expected)");
    Rng rng;
    rng_seed(&rng, 49);
    Sample s;
    ck_assert_int_eq(sample_draw(&s, 200000, 0.5, 2.0, &rng), 0);
    /* The standard deviation of a sample's accuracy is below 0.001 here. */
    assert_close(bayes_accuracy(&s, 0.5, 2.0), fine.accuracy, 0.004, "bayes_accuracy on 200000 "
                 "points (beta0 = 0.5, beta1 = 2), against its expectation bayes_expectation");
    assert_close(bayes_log_loss(&s, 0.5, 2.0), fine.log_loss, 0.004, "bayes_log_loss on 200000 "
                 "points (beta0 = 0.5, beta1 = 2), against its expectation bayes_expectation");
    sample_free(&s);
}
END_TEST

/* With beta1 = 0, p(1 - p) is constant and the Fisher information is
 * p (1 - p) E[phi phi^T] = p (1 - p) diag(1, 16/9, 4/3, 4/3) on [-2, 2]^2,
 * so the standard errors are known in closed form.
 * @checks -
 * @asserts with $\beta_1 = 0$ the four standard errors equal $1/\sqrt{n p (1 - p) \mathbb
 *   E[\phi_a^2]}$
 * @tolerance 1e-4 relative */
START_TEST(test_fisher_standard_errors_in_closed_form)
{
    double p = sigmoid(0.5), se[4];
    int n = 1000;
    ck_assert_int_eq(fisher_standard_errors(0.5, 0.0, n, 400, se), 0);
    const double second_moment[4] = { 1.0, 16.0 / 9.0, 4.0 / 3.0, 4.0 / 3.0 };
    for (int a = 0; a < 4; a++) {
        double expected = 1.0 / sqrt(n * p * (1.0 - p) * second_moment[a]);
        assert_close(se[a] / expected, 1.0, 1e-4, "fisher_standard_errors(beta0 = 0.5, beta1 = 0, "
                     "n = %d, grid 400): standard error %d of (beta0, beta1, alpha1, alpha2), %.17g, "
                     "over the closed form 1 / sqrt(n p (1 - p) E[phi_%d^2]) = %.17g", n, a, se[a],
                     a, expected);
    }
}
END_TEST

/* ------------------------------------------------------------- program */

START_TEST(test_program_rejects_bad_options)
{
    char err[1024];
    const char *bad[] = { "ch04_product_feature", "--train", "5", NULL };
    assert_exit_status(bad, err, sizeof err, 2);
    assert_stderr_has(bad, err, "--train");
    const char *beta[] = { "ch04_product_feature", "--beta1", "two", NULL };
    assert_exit_status(beta, err, sizeof err, 2);
    assert_stderr_has(beta, err, "--beta1");
    const char *unknown[] = { "ch04_product_feature", "--epochs", "3", NULL };
    assert_exit_status(unknown, err, sizeof err, 2);
    assert_stderr_has(unknown, err, "--epochs");
    const char *missing[] = { "ch04_product_feature", "--seed", NULL };
    assert_exit_status(missing, err, sizeof err, 2);
    assert_stderr_has(missing, err, "needs a value");
    const char *extra[] = { "ch04_product_feature", "stray", NULL };
    assert_exit_status(extra, err, sizeof err, 2);
    assert_stderr_has(extra, err, "stray");
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

/* The step of the lower bound (eq:ch04-relu-lower): the line m s - m^2/8
 * errs by exactly m^2/8 against s^2 on [0, m], at the ends and the middle. */
START_TEST(test_best_line_error)
{
    const double ms[] = { 1.0, 4.0 / 33.0, 0.5 };
    for (int k = 0; k < 3; k++)
        assert_close(best_line_error(ms[k], 1000), ms[k] * ms[k] / 8.0, 1e-15,
                     "best_line_error(%g): the largest |s^2 - (m s - m^2/8)| on [0, m]", ms[k]);
}
END_TEST

/* With beta1 = 0 the labels do not depend on x, so the sandwich is the
 * plain information: se = 1 / sqrt(q (1 - q) E[x1^2] n), E[x1^2] = 4/3
 * on [-2, 2], q = sigmoid(beta0). */
START_TEST(test_logistic_weight_standard_error)
{
    double q = 1.0 / (1.0 + exp(-0.5));
    double expected = 1.0 / sqrt(q * (1.0 - q) * 4.0 / 3.0 * 2000.0);
    assert_close(logistic_weight_standard_error(0.5, 0.0, 2000, 400), expected, 1e-5,
                 "logistic_weight_standard_error(beta0 = 0.5, beta1 = 0, n = 2000): the standard "
                 "error of a weight when the labels do not depend on x");
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
    tcase_add_test(grad, test_product_unit_backward_matches_finite_differences);
    tcase_add_test(grad, test_square_backward_matches_finite_differences);
    tcase_add_test(grad, test_relu_net_backward_matches_finite_differences);
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
    tcase_add_test(relu, test_best_line_error);
    suite_add_tcase(s, relu);
    TCase *bayes = tcase_create("bayes");
    tcase_set_timeout(bayes, 60);
    tcase_add_test(bayes, test_bayes_rate);
    tcase_add_test(bayes, test_fisher_standard_errors_in_closed_form);
    tcase_add_test(bayes, test_logistic_weight_standard_error);
    suite_add_tcase(s, bayes);
    TCase *program = tcase_create("program");
    tcase_set_timeout(program, 60);
    tcase_add_test(program, test_program_rejects_bad_options);
    tcase_add_test(program, test_program_is_deterministic);
    suite_add_tcase(s, program);
    return s;
}
