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
        assert_close(w[k - 1], 2.0 - 2.0 * cos(k * M_PI / (N + 1)), 1e-13, "sym_eigenvalues of "
                     "the %d x %d matrix tridiag(-1, 2, -1): eigenvalue %d (ascending) against "
                     "2 - 2 cos(k pi / (n + 1)), k = %d", N, N, k - 1, k);
    assert_equal(a[0], 2.0, "sym_eigenvalues must leave its input alone: a[0][0] afterwards");
}
END_TEST

START_TEST(test_eigenvectors)
{
    /* [[2, 1], [1, 2]]: eigenvalues 1 and 3, eigenvectors (1,-1) and (1,1). */
    double a[4] = { 2, 1, 1, 2 }, w[2], v[4];
    ck_assert_int_eq(sym_eigen(2, a, w, v), 0);
    const char *what = "sym_eigen of [[2, 1], [1, 2]]";
    assert_close(w[0], 1.0, 1e-14, "%s: eigenvalue 0", what);
    assert_close(w[1], 3.0, 1e-14, "%s: eigenvalue 1", what);
    assert_close(fabs(v[0]), M_SQRT1_2, 1e-14, "%s: |V[0][0]| of the unit eigenvector of 1, "
                 "V = %s by rows", what, format_vector(v, 4));
    assert_close(v[0], -v[2], 1e-14, "%s: eigenvector of 1 (column 0) ~ (1, -1): V[0][0] against "
                 "-V[1][0], V = %s by rows", what, format_vector(v, 4));
    assert_close(v[1], v[3], 1e-14, "%s: eigenvector of 3 (column 1) ~ (1, 1): V[0][1] against "
                 "V[1][1], V = %s by rows", what, format_vector(v, 4));
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
        assert_close(b[i], x[i], 1e-14, "solve_linear(A = [[4, 1, 0], [1, 3, 1], [0, 1, 2]], A x): "
                     "component %d of the solution, expected x = (1, -2, 3)", i);
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
    assert_close(vec_norm(2, x), 5.0, 1e-15, "vec_norm of (3, 4)");
}
END_TEST

/* A rotation by theta has the eigenvalues cos theta +- i sin theta; an
 * upper triangular matrix has its diagonal. */
START_TEST(test_general_eigenvalues)
{
    double theta = 0.7, rot[4] = { cos(theta), -sin(theta), sin(theta), cos(theta) }, re[3], im[3];
    ck_assert_int_eq(eigenvalues(2, rot, re, im), 0);
    for (int k = 0; k < 2; k++) {
        assert_close(re[k], cos(theta), 1e-15, "eigenvalues of a rotation by 0.7: real part %d", k);
        assert_close(fabs(im[k]), sin(theta), 1e-15, "eigenvalues of a rotation by 0.7: |imaginary "
                     "part| %d", k);
    }
    assert_close(im[0] + im[1], 0.0, 1e-15, "the eigenvalues of a real matrix come in conjugate pairs");
    double tri[9] = { 3, 1, 4, 0, -2, 5, 0, 0, 0.5 }, want[3] = { -2, 0.5, 3 };
    ck_assert_int_eq(eigenvalues(3, tri, re, im), 0);
    for (int k = 0; k < 3; k++) {   /* in some order: sort the three */
        for (int j = k + 1; j < 3; j++)
            if (re[j] < re[k]) {
                double t = re[j];
                re[j] = re[k];
                re[k] = t;
            }
        assert_close(re[k], want[k], 1e-14, "eigenvalues of an upper triangular 3 x 3 matrix: the "
                     "diagonal, %d-th smallest", k + 1);
    }
}
END_TEST

/* The determinant of a known matrix, of one with a row swap, and of a
 * singular one. */
START_TEST(test_determinant)
{
    double a[9] = { 2, -3, 1, 2, 0, -1, 1, 4, 5 };            /* det = 49 */
    double swapped[9] = { 0, 1, 0, 1, 0, 0, 0, 0, 1 };        /* a permutation: det = -1 */
    double singular[9] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
    assert_close(determinant(3, a), 49.0, 1e-12, "determinant of ((2, -3, 1), (2, 0, -1), (1, 4, 5))");
    assert_close(determinant(3, swapped), -1.0, 1e-15, "determinant of a row swap");
    assert_close(determinant(3, singular), 0.0, 1e-14, "determinant of ((1, 2, 3), (4, 5, 6), (7, 8, 9))");
}
END_TEST

/* a = U diag(s) V^T, s descending, for a matrix with known singular
 * values: a diagonal matrix with mixed signs has |diagonal|. */
START_TEST(test_svd)
{
    double a[9] = { 0, 0, -3, 0, 2, 0, 1, 0, 0 }, s[3], u[9], vt[9];
    ck_assert_int_eq(svd(3, a, s, u, vt), 0);
    double want[3] = { 3, 2, 1 };
    assert_vector_close(s, want, 3, 1e-300, 1e-15, "singular values of ((0, 0, -3), (0, 2, 0), (1, 0, 0))");
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++) {
            double back = 0.0;
            for (int k = 0; k < 3; k++)
                back += u[i * 3 + k] * s[k] * vt[k * 3 + j];
            assert_close(back, a[i * 3 + j], 1e-14, "(U diag(s) V^T)[%d][%d] against a", i, j);
        }
}
END_TEST

/* A^+ b from the singular value decomposition: V diag(1/s) U^T b over
 * the singular values above 1e-12 of the largest (square A only). */
static void pseudoinverse_solution(int n, const double *A, const double *b, double *x)
{
    double s[4], u[16], vt[16], c[4];
    ck_assert_int_eq(svd(n, A, s, u, vt), 0);
    for (int k = 0; k < n; k++) {            /* c = diag(1/s) U^T b */
        c[k] = 0.0;
        for (int i = 0; i < n; i++)
            c[k] += u[i * n + k] * b[i];
        c[k] = s[k] > 1e-12 * s[0] ? c[k] / s[k] : 0.0;
    }
    for (int j = 0; j < n; j++) {
        x[j] = 0.0;
        for (int k = 0; k < n; k++)
            x[j] += vt[k * n + j] * c[k];
    }
}

/* The minimum-norm least-squares solution: A^T (A A^T)^-1 b for a wide
 * matrix of full row rank, the normal equations' solution for a tall one,
 * and the pseudoinverse's for a square matrix of rank 2.
 * @checks sec:ch06-data
 * @asserts \texttt{least\_squares} returns $A\T (A A\T)^{-1} b$ for a wide
 *   matrix, the least-squares line for a tall one, and $A^+ b$ for a square
 *   matrix of rank 2
 * @tolerance 1e-14 relative (1e-12 for rank 2) */
START_TEST(test_least_squares_minimum_norm)
{
    double wide[6] = { 1, 2, 0, 0, 1, 1 }, b2[2] = { 1, 2 }, x[4];
    ck_assert_int_eq(least_squares(2, 3, wide, b2, x), 0);
    /* A A^T = ((5, 2), (2, 2)), (A A^T)^-1 b = (-1/3, 4/3), A^T of it: */
    double want_wide[3] = { -1.0 / 3, -2.0 / 3 + 4.0 / 3, 4.0 / 3 };
    assert_vector_close(x, want_wide, 3, 1e-300, 1e-14, "least_squares of the 2 x 3 matrix "
                        "((1, 2, 0), (0, 1, 1)), b = (1, 2): the minimum-norm solution A^T (A A^T)^-1 b");
    double tall[6] = { 1, 0, 1, 1, 1, 2 }, b3[3] = { 6, 0, 0 };
    ck_assert_int_eq(least_squares(3, 2, tall, b3, x), 0);
    double want_tall[2] = { 5, -3 };       /* the line fitted to (0, 6), (1, 0), (2, 0) */
    assert_vector_close(x, want_tall, 2, 1e-300, 1e-14, "least_squares of a 3 x 2 matrix: the "
                        "line through (0, 6), (1, 0), (2, 0) by least squares, 5 - 3 t");
    double rank2[9] = { 1, 2, 3, 2, 4, 6, 1, 0, 1 }, b[3] = { 1, 1, 1 }, want[3];
    ck_assert_int_eq(least_squares(3, 3, rank2, b, x), 0);
    pseudoinverse_solution(3, rank2, b, want);
    assert_vector_close(x, want, 3, 1e-300, 1e-12, "least_squares of a 3 x 3 matrix of rank 2 "
                        "against A^+ b from its singular value decomposition");
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
    tcase_add_test(tc, test_general_eigenvalues);
    tcase_add_test(tc, test_determinant);
    tcase_add_test(tc, test_svd);
    tcase_add_test(tc, test_least_squares_minimum_norm);
    suite_add_tcase(s, tc);
    return s;
}
