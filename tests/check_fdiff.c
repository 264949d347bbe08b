/* check_fdiff.c - the finite-difference oracle on functions with known
 * derivatives. */
#include <math.h>

#include "kit_test.h"
#include "lib/fdiff.h"

static double sin_product(const double *x, void *ctx)
{
    (void)ctx;
    return sin(x[0]) * exp(x[1]);
}

static void sin_product_gradient(const double *x, double *g, void *ctx)
{
    (void)ctx;
    g[0] = cos(x[0]) * exp(x[1]);
    g[1] = sin(x[0]) * exp(x[1]);
}

START_TEST(test_gradient_of_smooth_function)
{
    double x[2] = { 0.7, -0.3 }, fd[2];
    fd_gradient(sin_product, x, 2, 1e-5, NULL, fd);
    ck_assert_double_eq_tol(fd[0], cos(0.7) * exp(-0.3), 1e-9);
    ck_assert_double_eq_tol(fd[1], sin(0.7) * exp(-0.3), 1e-9);
    ck_assert_double_eq(x[0], 0.7);   /* restored */
}
END_TEST

START_TEST(test_jacobian_is_hessian)
{
    double x[2] = { 0.7, -0.3 }, J[4];
    fd_jacobian(sin_product_gradient, x, 2, 1e-5, NULL, J);
    double e = exp(-0.3);
    ck_assert_double_eq_tol(J[0], -sin(0.7) * e, 1e-9);
    ck_assert_double_eq_tol(J[1], cos(0.7) * e, 1e-9);
    ck_assert_double_eq_tol(J[2], cos(0.7) * e, 1e-9);
    ck_assert_double_eq_tol(J[3], sin(0.7) * e, 1e-9);
}
END_TEST

START_TEST(test_relative_error)
{
    ck_assert_double_eq(relative_error(1.0, 1.0, 1e-12), 0.0);
    ck_assert_double_eq_tol(relative_error(1.0, 1.1, 1e-12), 0.1 / 1.1, 1e-15);
    /* Near zero the floor keeps it finite. */
    ck_assert_double_eq_tol(relative_error(0.0, 1e-20, 1e-8), 1e-12, 1e-25);
    double u[2] = { 3, 0 }, v[2] = { 3, 4 };
    ck_assert_double_eq_tol(vector_relative_error(u, v, 2, 1e-12), 4.0 / 5.0, 1e-15);
    double a[3] = { 1, 2, 3 }, b[3] = { 1, 2, 3.3 };
    ck_assert_double_eq_tol(max_relative_error(a, b, 3, 1e-12), 0.3 / 3.3, 1e-15);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("fdiff");
    TCase *tc = tcase_create("fdiff");
    tcase_add_test(tc, test_gradient_of_smooth_function);
    tcase_add_test(tc, test_jacobian_is_hessian);
    tcase_add_test(tc, test_relative_error);
    suite_add_tcase(s, tc);
    return s;
}
