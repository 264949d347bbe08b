/* check_ch02_relu.c - chapter 02: the gradient of ReLU(b + x w), away from
 * the kink, on it, and for every sign of x; the library's ReLU on vectors. */
#include <math.h>
#include <string.h>

#include "ch02_relu.h"
#include "kit_test.h"
#include "lib/activations.h"
#include "lib/fdiff.h"
#include "lib/rng.h"

START_TEST(test_gradient_matches_finite_differences_away_from_kink)
{
    Rng rng;
    rng_seed(&rng, 2);
    int checked = 0;
    while (checked < 5000) {
        double b = rng_uniform_range(&rng, -3, 3), w = rng_uniform_range(&rng, -3, 3);
        double x = rng_uniform_range(&rng, -3, 3);
        if (fabs(b + x * w) < 1e-3)   /* a difference of step 1e-6 must not straddle 0 */
            continue;
        double g[2], fd[2];
        relu_unit_gradient(b, w, x, g);
        relu_unit_fd_gradient(b, w, x, 1e-6, fd);
        /* The gradient as a vector: (1, x) when active has norm >= 1, so
         * the rounding error of the difference, about 1e-16 |b| / h, is
         * measured against 1 and not against a tiny x. */
        ck_assert_double_lt(vector_relative_error(g, fd, 2, 1e-12), 1e-8);
        checked++;
    }
}
END_TEST

/* The convention: relu'(0) = 0, so the gradient at the kink is (0, 0). */
START_TEST(test_kink_convention)
{
    ck_assert_double_eq(relu_derivative(0.0), 0.0);
    ck_assert_double_eq(relu_derivative(-0.0), 0.0);
    ck_assert_double_eq(relu_derivative(1e-300), 1.0);
    ck_assert_double_eq(relu_derivative(-1e-300), 0.0);
    const double xs[] = { -1.5, -0.5, 0.5, 2.0 };
    for (int k = 0; k < 4; k++) {
        double x = xs[k], w = 0.5, b = -x * w, g[2];
        ck_assert_double_eq(b + x * w, 0.0);
        relu_unit_gradient(b, w, x, g);
        ck_assert_double_eq(g[0], 0.0);
        ck_assert_double_eq(g[1], 0.0);
    }
}
END_TEST

/* Exactly at the kink the central difference sees half a slope on each
 * side: (ReLU(h) - ReLU(-h)) / 2h = 1/2 in b, and x/2 in w, the midpoint
 * of the subgradient {t (1, x) : t in [0, 1]}. */
START_TEST(test_finite_difference_at_kink_is_midpoint)
{
    const double xs[] = { -1.5, -0.5, 0.5, 2.0 };
    for (int k = 0; k < 4; k++) {
        double x = xs[k], w = 0.5, b = -x * w, fd[2];
        relu_unit_fd_gradient(b, w, x, 1e-6, fd);
        ck_assert_double_eq_tol(fd[0], 0.5, 1e-9);
        ck_assert_double_eq_tol(fd[1], x / 2.0, 1e-9);
    }
}
END_TEST

START_TEST(test_zero_input)
{
    /* x = 0: f = ReLU(b) does not depend on w. */
    double g[2];
    relu_unit_gradient(0.7, -5.0, 0.0, g);
    ck_assert_double_eq(g[0], 1.0);
    ck_assert_double_eq(g[1], 0.0);
    relu_unit_gradient(-0.7, 5.0, 0.0, g);
    ck_assert_double_eq(g[0], 0.0);
    ck_assert_double_eq(g[1], 0.0);
}
END_TEST

START_TEST(test_negative_input)
{
    /* x = -2, w = -1, b = 0: z = 2 > 0, active: gradient (1, x) = (1, -2). */
    double g[2];
    relu_unit_gradient(0.0, -1.0, -2.0, g);
    ck_assert_double_eq(g[0], 1.0);
    ck_assert_double_eq(g[1], -2.0);
    ck_assert_double_eq(relu_unit(0.0, -1.0, -2.0), 2.0);
    /* x = -2, w = 1, b = 1: z = -1 < 0, inactive. */
    relu_unit_gradient(1.0, 1.0, -2.0, g);
    ck_assert_double_eq(g[0], 0.0);
    ck_assert_double_eq(g[1], 0.0);
    ck_assert_double_eq(relu_unit(1.0, 1.0, -2.0), 0.0);
}
END_TEST

START_TEST(test_library_relu_on_vectors)
{
    const double z[6] = { -2.0, -0.0, 0.0, 1e-12, 3.5, -1e-12 };
    const double da[6] = { 10, 20, 30, 40, 50, 60 };
    double a[6], dz[6];
    relu_forward(6, z, a);
    const double a_expected[6] = { 0, 0, 0, 1e-12, 3.5, 0 };
    const double dz_expected[6] = { 0, 0, 0, 40, 50, 0 };
    relu_backward(6, z, da, dz);
    for (int i = 0; i < 6; i++) {
        ck_assert_double_eq(a[i], a_expected[i]);
        ck_assert_double_eq(dz[i], dz_expected[i]);
    }
}
END_TEST

START_TEST(test_program_rejects_bad_options)
{
    char err[1024];
    const char *bad[] = { "ch02_relu", "--random-points", "-3", NULL };
    ck_assert_int_eq(run_program(bad, err, sizeof err), 2);
    ck_assert_ptr_nonnull(strstr(err, "--random-points"));
    const char *extra[] = { "ch02_relu", "stray", NULL };
    ck_assert_int_eq(run_program(extra, err, sizeof err), 2);
    ck_assert_ptr_nonnull(strstr(err, "stray"));
}
END_TEST

START_TEST(test_program_is_deterministic)
{
    const char *args[] = { "ch02_relu", "--random-points", "500", NULL };
    const char *files[] = { "numbers.tex", "gradcheck.dat", "relu.dat", "plane_pos.dat", "plane_neg.dat" };
    check_program_deterministic(args, files, 5);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("ch02_relu");
    TCase *grad = tcase_create("gradient");
    tcase_add_test(grad, test_gradient_matches_finite_differences_away_from_kink);
    tcase_add_test(grad, test_kink_convention);
    tcase_add_test(grad, test_finite_difference_at_kink_is_midpoint);
    tcase_add_test(grad, test_zero_input);
    tcase_add_test(grad, test_negative_input);
    tcase_add_test(grad, test_library_relu_on_vectors);
    suite_add_tcase(s, grad);
    TCase *program = tcase_create("program");
    tcase_set_timeout(program, 60);
    tcase_add_test(program, test_program_rejects_bad_options);
    tcase_add_test(program, test_program_is_deterministic);
    suite_add_tcase(s, program);
    return s;
}
