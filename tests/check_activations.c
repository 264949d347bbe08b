/* check_activations.c - activations and losses: values in closed form,
 * backward passes against central finite differences. */
#include <math.h>

#include "kit_test.h"
#include "lib/activations.h"
#include "lib/fdiff.h"
#include "lib/losses.h"
#include "lib/rng.h"

START_TEST(test_sigmoid_values_and_derivative)
{
    double z[3] = { 0.0, 2.0, -40.0 }, a[3], da[3] = { 1, 1, 1 }, dz[3];
    sigmoid_forward(3, z, a);
    ck_assert_double_eq(a[0], 0.5);
    ck_assert_double_eq_tol(a[1], 1.0 / (1.0 + exp(-2.0)), 1e-16);
    ck_assert_double_gt(a[2], 0.0);
    sigmoid_backward(3, a, da, dz);
    ck_assert_double_eq(dz[0], 0.25);   /* s(1 - s) at 0 */
    for (double t = -5; t <= 5; t += 0.5) {
        double zp = t + 1e-6, zm = t - 1e-6, ap, am, at;
        sigmoid_forward(1, &zp, &ap);
        sigmoid_forward(1, &zm, &am);
        sigmoid_forward(1, &t, &at);
        double one = 1.0, d;
        sigmoid_backward(1, &at, &one, &d);
        ck_assert_double_eq_tol(d, (ap - am) / 2e-6, 1e-9);
    }
}
END_TEST

START_TEST(test_softmax_is_a_distribution)
{
    double z[2][4] = { { 1, 2, 3, 4 }, { 1000, 1000, -1000, 0 } }, f[2][4];
    softmax_forward(2, 4, &z[0][0], &f[0][0]);
    for (int r = 0; r < 2; r++) {
        double sum = 0;
        for (int k = 0; k < 4; k++) {
            ck_assert(isfinite(f[r][k]) && f[r][k] >= 0);
            sum += f[r][k];
        }
        ck_assert_double_eq_tol(sum, 1.0, 1e-15);
    }
    ck_assert_double_eq_tol(f[0][3] / f[0][2], exp(1.0), 1e-13);
    ck_assert_double_eq_tol(f[1][0], 0.5, 1e-15);   /* no overflow at 1000 */
}
END_TEST

/* The softmax backward pass is the Jacobian f_k (delta_kl - f_l) applied to
 * df: check it against differences of v . softmax(z) for a random v. */
typedef struct {
    const double *v;
    int k;
} Projection;

static double projected_softmax(const double *z, void *ctx)
{
    const Projection *p = ctx;
    double f[16], s = 0.0;
    softmax_forward(1, p->k, z, f);
    for (int i = 0; i < p->k; i++)
        s += p->v[i] * f[i];
    return s;
}

START_TEST(test_softmax_backward_matches_finite_differences)
{
    Rng rng;
    rng_seed(&rng, 11);
    for (int trial = 0; trial < 50; trial++) {
        int k = 2 + (int)rng_below(&rng, 9);
        double z[16], v[16], f[16], dz[16], fd[16];
        for (int i = 0; i < k; i++) {
            z[i] = 2.0 * rng_normal(&rng);
            v[i] = rng_normal(&rng);
        }
        softmax_forward(1, k, z, f);
        softmax_backward(1, k, f, v, dz);
        Projection p = { v, k };
        fd_gradient(projected_softmax, z, k, 1e-5, &p, fd);
        ck_assert_double_lt(vector_relative_error(dz, fd, k, 1e-12), 1e-8);
        double sum = 0;
        for (int i = 0; i < k; i++)
            sum += dz[i];
        ck_assert_double_eq_tol(sum, 0.0, 1e-14);   /* shifting z changes nothing */
    }
}
END_TEST

START_TEST(test_losses)
{
    double f[2][3] = { { 0.7, 0.2, 0.1 }, { 0.1, 0.1, 0.8 } };
    double y[2][3] = { { 1, 0, 0 }, { 0, 1, 0 } };
    double expected_q = (0.5 * (0.09 + 0.04 + 0.01) + 0.5 * (0.01 + 0.81 + 0.64)) / 2;
    ck_assert_double_eq_tol(quadratic_loss(2, 3, &f[0][0], &y[0][0]), expected_q, 1e-15);
    ck_assert_double_eq_tol(cross_entropy_loss(2, 3, &f[0][0], &y[0][0]),
                            -(log(0.7) + log(0.1)) / 2, 1e-15);
    double df[2][3];
    quadratic_loss_backward(2, 3, &f[0][0], &y[0][0], &df[0][0]);
    ck_assert_double_eq_tol(df[1][1], (0.1 - 1.0) / 2, 1e-16);
    softmax_cross_entropy_backward(2, 3, &f[0][0], &y[0][0], &df[0][0]);
    ck_assert_double_eq_tol(df[0][0], (0.7 - 1.0) / 2, 1e-16);
}
END_TEST

/* softmax then cross-entropy: dL/dz = f - y, against finite differences. */
static double ce_of_logits(const double *z, void *ctx)
{
    const double *y = ctx;
    double f[5];
    softmax_forward(1, 5, z, f);
    return cross_entropy_loss(1, 5, f, y);
}

START_TEST(test_softmax_cross_entropy_gradient)
{
    double z[5] = { 0.3, -1.2, 2.0, 0.0, 0.5 }, y[5] = { 0, 0, 1, 0, 0 };
    double f[5], dz[5], fd[5];
    softmax_forward(1, 5, z, f);
    softmax_cross_entropy_backward(1, 5, f, y, dz);
    fd_gradient(ce_of_logits, z, 5, 1e-5, y, fd);
    ck_assert_double_lt(vector_relative_error(dz, fd, 5, 1e-12), 1e-9);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("activations");
    TCase *tc = tcase_create("activations");
    tcase_add_test(tc, test_sigmoid_values_and_derivative);
    tcase_add_test(tc, test_softmax_is_a_distribution);
    tcase_add_test(tc, test_softmax_backward_matches_finite_differences);
    tcase_add_test(tc, test_losses);
    tcase_add_test(tc, test_softmax_cross_entropy_gradient);
    suite_add_tcase(s, tc);
    return s;
}
