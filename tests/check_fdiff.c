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
    assert_close(fd[0], cos(0.7) * exp(-0.3), 1e-9, "fd_gradient of sin(x0) exp(x1) at (0.7, -0.3) "
                 "(h = 1e-5): component 0 against cos(x0) exp(x1)");
    assert_close(fd[1], sin(0.7) * exp(-0.3), 1e-9, "fd_gradient of sin(x0) exp(x1) at (0.7, -0.3) "
                 "(h = 1e-5): component 1 against sin(x0) exp(x1)");
    assert_equal(x[0], 0.7, "fd_gradient must restore x: x[0] afterwards");
}
END_TEST

START_TEST(test_jacobian_is_hessian)
{
    double x[2] = { 0.7, -0.3 }, J[4];
    fd_jacobian(sin_product_gradient, x, 2, 1e-5, NULL, J);
    double e = exp(-0.3);
    const double H[4] = { -sin(0.7) * e, cos(0.7) * e, cos(0.7) * e, sin(0.7) * e };
    for (int i = 0; i < 4; i++)
        assert_close(J[i], H[i], 1e-9, "fd_jacobian of the gradient of sin(x0) exp(x1) at "
                     "(0.7, -0.3) (h = 1e-5): J[%d][%d] against the Hessian in closed form",
                     i / 2, i % 2);
}
END_TEST

/* fd_hessian from values of f alone.  At (0.7, -0.3) with h = 1e-3 the
 * error of each diagonal entry is its truncation term (h^2 / 12) d^4f/dx_i^4
 * = (1e-6 / 12) sin(0.7) exp(-0.3) = 4.0e-8 (both fourth derivatives
 * are f itself here); that of the mixed entry, (h^2 / 6) (f_xxxy +
 * f_xyyy), is zero since f_xxxy = -f_xyyy.  Rounding adds about
 * 4 eps |f| / h^2 = 2e-10.  The tolerance 1e-7 is 2.5 times the largest
 * of these, at a fixed point (nothing random). */
START_TEST(test_hessian_of_smooth_function)
{
    double x[2] = { 0.7, -0.3 }, fd[4];
    fd_hessian(sin_product, x, 2, 1e-3, NULL, fd);
    double e = exp(-0.3);
    const double H[4] = { -sin(0.7) * e, cos(0.7) * e, cos(0.7) * e, sin(0.7) * e };
    for (int i = 0; i < 4; i++)
        assert_close(fd[i], H[i], 1e-7, "fd_hessian of sin(x0) exp(x1) at (0.7, -0.3) (h = 1e-3): "
                     "H[%d][%d] against the Hessian in closed form", i / 2, i % 2);
    assert_equal(fd[1], fd[2], "fd_hessian must be symmetric: H[0][1] (got) against H[1][0] "
                 "(expected)");
    assert_equal(x[0], 0.7, "fd_hessian must restore x: x[0] afterwards");
    assert_equal(x[1], -0.3, "fd_hessian must restore x: x[1] afterwards");
}
END_TEST

START_TEST(test_relative_error)
{
    assert_equal(relative_error(1.0, 1.0, 1e-12), 0.0, "relative_error(1, 1, floor 1e-12)");
    assert_close(relative_error(1.0, 1.1, 1e-12), 0.1 / 1.1, 1e-15,
                 "relative_error(1, 1.1, floor 1e-12) against |1 - 1.1| / 1.1");
    /* Near zero the floor keeps it finite. */
    assert_close(relative_error(0.0, 1e-20, 1e-8), 1e-12, 1e-25,
                 "relative_error(0, 1e-20, floor 1e-8) against 1e-20 / floor");
    double u[2] = { 3, 0 }, v[2] = { 3, 4 };
    assert_close(vector_relative_error(u, v, 2, 1e-12), 4.0 / 5.0, 1e-15,
                 "vector_relative_error((3, 0), (3, 4), floor 1e-12) against |(0, 4)| / |(3, 4)|");
    double a[3] = { 1, 2, 3 }, b[3] = { 1, 2, 3.3 };
    assert_close(max_relative_error(a, b, 3, 1e-12), 0.3 / 3.3, 1e-15,
                 "max_relative_error((1, 2, 3), (1, 2, 3.3), floor 1e-12) against 0.3 / 3.3");
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("fdiff");
    TCase *tc = tcase_create("fdiff");
    tcase_add_test(tc, test_gradient_of_smooth_function);
    tcase_add_test(tc, test_jacobian_is_hessian);
    tcase_add_test(tc, test_hessian_of_smooth_function);
    tcase_add_test(tc, test_relative_error);
    suite_add_tcase(s, tc);
    return s;
}
