/* check_linalg.c - the LAPACKE wrappers on matrices with known answers. */
#include <math.h>

#include "kit_test.h"
#include "lib/linalg.h"

/* The n x n second-difference matrix tridiag(-1, 2, -1) has eigenvalues
 * 2 - 2 cos(k pi / (n + 1)), k = 1..n. */
START_TEST(test_eigenvalues_of_second_difference_matrix)
{
    enum { N = 6 };
    double a[N * N] = { 0 }, w[N];
    for (int i = 0; i < N; i++) {
        a[i * N + i] = 2.0;
        if (i + 1 < N)
            a[i * N + i + 1] = a[(i + 1) * N + i] = -1.0;
    }
    ck_assert_int_eq(sym_eigenvalues(N, a, w), 0);
    for (int k = 1; k <= N; k++)
        ck_assert_double_eq_tol(w[k - 1], 2.0 - 2.0 * cos(k * M_PI / (N + 1)), 1e-13);
    ck_assert_double_eq(a[0], 2.0);   /* the input is left alone */
}
END_TEST

START_TEST(test_eigenvectors)
{
    /* [[2, 1], [1, 2]]: eigenvalues 1 and 3, eigenvectors (1,-1) and (1,1). */
    double a[4] = { 2, 1, 1, 2 }, w[2], v[4];
    ck_assert_int_eq(sym_eigen(2, a, w, v), 0);
    ck_assert_double_eq_tol(w[0], 1.0, 1e-14);
    ck_assert_double_eq_tol(w[1], 3.0, 1e-14);
    ck_assert_double_eq_tol(fabs(v[0]), M_SQRT1_2, 1e-14);
    ck_assert_double_eq_tol(v[0], -v[2], 1e-14);   /* column 0 ~ (1, -1) */
    ck_assert_double_eq_tol(v[1], v[3], 1e-14);    /* column 1 ~ (1, 1) */
}
END_TEST

START_TEST(test_solve_linear)
{
    double a[9] = { 4, 1, 0, 1, 3, 1, 0, 1, 2 };
    double x[3] = { 1, -2, 3 };
    double b[3];
    for (int i = 0; i < 3; i++)
        b[i] = a[3 * i] * x[0] + a[3 * i + 1] * x[1] + a[3 * i + 2] * x[2];
    ck_assert_int_eq(solve_linear(3, a, b), 0);
    for (int i = 0; i < 3; i++)
        ck_assert_double_eq_tol(b[i], x[i], 1e-14);
}
END_TEST

START_TEST(test_solve_singular)
{
    double a[4] = { 1, 2, 2, 4 }, b[2] = { 1, 1 };
    ck_assert_int_ne(solve_linear(2, a, b), 0);
}
END_TEST

START_TEST(test_norm)
{
    double x[2] = { 3, 4 };
    ck_assert_double_eq_tol(vec_norm(2, x), 5.0, 1e-15);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("linalg");
    TCase *tc = tcase_create("lapacke");
    tcase_add_test(tc, test_eigenvalues_of_second_difference_matrix);
    tcase_add_test(tc, test_eigenvectors);
    tcase_add_test(tc, test_solve_linear);
    tcase_add_test(tc, test_solve_singular);
    tcase_add_test(tc, test_norm);
    suite_add_tcase(s, tc);
    return s;
}
