/* check_ch01_critical_points.c - chapter 01's equations, checked.
 *
 * These tests link the very functions the chapter's program runs
 * (src/ch01_critical_points.c), not copies of them. */
#include <math.h>
#include <string.h>

#include "ch01_critical_points.h"
#include "kit_test.h"
#include "lib/fdiff.h"
#include "lib/linalg.h"
#include "lib/rng.h"

static double f_adapter(const double *p, void *ctx)
{
    (void)ctx;
    return f_value(p);
}

static void gradient_adapter(const double *p, double *g, void *ctx)
{
    (void)ctx;
    f_gradient(p, g);
}

/* Equation (ch01:gradient) against central differences of f. */
START_TEST(test_gradient_matches_finite_differences)
{
    Rng rng;
    rng_seed(&rng, 101);
    for (int trial = 0; trial < 200; trial++) {
        double p[3], g[3], fd[3];
        for (int i = 0; i < 3; i++)
            p[i] = rng_uniform_range(&rng, -4.0, 4.0);
        f_gradient(p, g);
        fd_gradient(f_adapter, p, 3, 1e-5, NULL, fd);
        /* f is cubic: the central difference's error is exactly h^2 times
         * a third derivative (|d3f| <= 1 here), far below 1e-8. */
        for (int i = 0; i < 3; i++)
            ck_assert_double_eq_tol(g[i], fd[i], 1e-8);
    }
}
END_TEST

/* Equation (ch01:hessian) against central differences of the gradient. */
START_TEST(test_hessian_matches_finite_differences)
{
    Rng rng;
    rng_seed(&rng, 202);
    for (int trial = 0; trial < 200; trial++) {
        double p[3], H[9], fd[9];
        for (int i = 0; i < 3; i++)
            p[i] = rng_uniform_range(&rng, -4.0, 4.0);
        f_hessian(p, H);
        fd_jacobian(gradient_adapter, p, 3, 1e-5, NULL, fd);
        for (int i = 0; i < 9; i++)
            ck_assert_double_eq_tol(H[i], fd[i], 1e-8);
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                ck_assert_double_eq(H[3 * i + j], H[3 * j + i]);
    }
}
END_TEST

START_TEST(test_value_at_known_points)
{
    double origin[3] = { 0, 0, 0 }, twos[3] = { 2, 2, 2 }, p[3] = { 1, -2, 3 };
    ck_assert_double_eq(f_value(origin), 0.0);
    ck_assert_double_eq(f_value(twos), 4.0);
    ck_assert_double_eq(f_value(p), 1.0 + 4.0 + 9.0 + 6.0);
}
END_TEST

/* The same search the program runs: a grid and random starts. */
static int search(CriticalPoint *cp, int max_points, int *failed)
{
    int n_grid = 14 * 14 * 14, n_random = 1000;
    static double starts[3 * (14 * 14 * 14 + 1000)];
    starting_grid(-3.25, 3.25, 14, starts);
    Rng rng;
    rng_seed(&rng, 1);
    for (int i = 3 * n_grid; i < 3 * (n_grid + n_random); i++)
        starts[i] = rng_uniform_range(&rng, -4.0, 4.0);
    return find_critical_points(starts, n_grid + n_random, 1e-6, cp, max_points, failed);
}

START_TEST(test_exactly_five_critical_points)
{
    CriticalPoint cp[16];
    int failed;
    int n = search(cp, 16, &failed);
    ck_assert_int_eq(n, 5);
    const double expected[5][3] = {
        { 0, 0, 0 }, { 2, 2, 2 }, { 2, -2, -2 }, { -2, 2, -2 }, { -2, -2, 2 },
    };
    for (int k = 0; k < 5; k++) {
        for (int i = 0; i < 3; i++)
            ck_assert_double_eq_tol(cp[k].p[i], expected[k][i], 1e-12);
        ck_assert_int_gt(cp[k].basin, 0);
    }
}
END_TEST

START_TEST(test_gradient_vanishes_at_each_point)
{
    CriticalPoint cp[16];
    int failed;
    int n = search(cp, 16, &failed);
    ck_assert_int_eq(n, 5);
    for (int k = 0; k < n; k++) {
        double g[3];
        f_gradient(cp[k].p, g);
        ck_assert_double_lt(vec_norm(3, g), 1e-10);
        ck_assert_double_lt(cp[k].grad_norm, 1e-10);
    }
}
END_TEST

START_TEST(test_eigenvalues_match_closed_form)
{
    CriticalPoint cp[16];
    int failed;
    int n = search(cp, 16, &failed);
    ck_assert_int_eq(n, 5);
    for (int k = 0; k < n; k++) {
        double closed[3];
        closed_form_eigenvalues(cp[k].p, closed);
        for (int i = 0; i < 3; i++)
            ck_assert_double_eq_tol(cp[k].eig[i], closed[i], 1e-12);
    }
    /* And the closed form itself: 2,2,2 at the origin, -2,4,4 elsewhere. */
    ck_assert_double_eq(cp[0].eig[0], cp[0].eig[2]);
    ck_assert_double_eq_tol(cp[0].eig[0], 2.0, 1e-12);
    ck_assert_double_eq_tol(cp[3].eig[0], -2.0, 1e-12);
    ck_assert_double_eq_tol(cp[3].eig[2], 4.0, 1e-12);
}
END_TEST

START_TEST(test_classification)
{
    CriticalPoint cp[16];
    int failed;
    int n = search(cp, 16, &failed);
    ck_assert_int_eq(n, 5);
    ck_assert_int_eq(cp[0].kind, POINT_MINIMUM);
    for (int k = 1; k < 5; k++)
        ck_assert_int_eq(cp[k].kind, POINT_SADDLE);
    ck_assert_str_eq(point_kind_name(cp[0].kind), "minimum");
    ck_assert_str_eq(point_kind_name(cp[1].kind), "saddle point");
}
END_TEST

START_TEST(test_classify_rules)
{
    const double pos[3] = { 1, 2, 3 }, neg[3] = { -3, -2, -1 };
    const double mixed[3] = { -1, 0.5, 2 }, flat[3] = { 0, 1, 2 };
    ck_assert_int_eq(classify_eigenvalues(pos, 1e-8), POINT_MINIMUM);
    ck_assert_int_eq(classify_eigenvalues(neg, 1e-8), POINT_MAXIMUM);
    ck_assert_int_eq(classify_eigenvalues(mixed, 1e-8), POINT_SADDLE);
    ck_assert_int_eq(classify_eigenvalues(flat, 1e-8), POINT_DEGENERATE);
}
END_TEST

/* H = 4I - p p^T / 2 at (2,-2,-2): p is the eigenvector of -2. */
START_TEST(test_hessian_rank_one_form)
{
    const double p[3] = { 2, -2, -2 };
    double H[9];
    f_hessian(p, H);
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
            ck_assert_double_eq(H[3 * i + j], (i == j ? 4.0 : 0.0) - p[i] * p[j] / 2.0);
}
END_TEST

START_TEST(test_no_global_minimum)
{
    /* f(t,t,t) = 3t^2 - t^3 falls without bound as t grows. */
    double previous = INFINITY;
    for (double t = 2.0; t <= 1e4; t *= 2.0) {
        double p[3] = { t, t, t };
        ck_assert_double_eq(f_value(p), 3 * t * t - t * t * t);
        ck_assert_double_lt(f_value(p), previous);
        previous = f_value(p);
    }
    ck_assert_double_lt(previous, -1e11);
}
END_TEST

START_TEST(test_newton_converges_quadratically)
{
    const double start[3] = { 2.3, 1.8, 2.1 };
    double p[3];
    int iters = newton_critical_point(start, 1e-13, 100, p);
    ck_assert_int_ge(iters, 1);
    ck_assert_int_le(iters, 8);
    ck_assert_double_eq_tol(p[0], 2.0, 1e-12);
}
END_TEST

START_TEST(test_program_rejects_bad_options)
{
    char err[1024];
    const char *bad_option[] = { "ch01_critical_points", "--frobnicate", NULL };
    ck_assert_int_eq(run_program(bad_option, err, sizeof err), 2);
    ck_assert_ptr_nonnull(strstr(err, "--frobnicate"));

    const char *bad_value[] = { "ch01_critical_points", "--grid", "many", NULL };
    ck_assert_int_eq(run_program(bad_value, err, sizeof err), 2);
    ck_assert_ptr_nonnull(strstr(err, "--grid"));

    const char *bad_seed[] = { "ch01_critical_points", "--seed", "-4", NULL };
    ck_assert_int_eq(run_program(bad_seed, err, sizeof err), 2);
    ck_assert_ptr_nonnull(strstr(err, "--seed"));

    const char *no_value[] = { "ch01_critical_points", "--seed", NULL };
    ck_assert_int_eq(run_program(no_value, err, sizeof err), 2);
    ck_assert_ptr_nonnull(strstr(err, "'--seed' needs a value"));

    const char *help[] = { "ch01_critical_points", "--help", NULL };
    ck_assert_int_eq(run_program(help, err, sizeof err), 0);
}
END_TEST

START_TEST(test_program_reports_unwritable_output)
{
    char err[1024];
    const char *argv[] = { "ch01_critical_points", "--out", "/proc/version/ch01", NULL };
    ck_assert_int_eq(run_program(argv, err, sizeof err), 1);
    ck_assert_ptr_nonnull(strstr(err, "/proc/version"));
}
END_TEST

/* Same seed, same bits: two runs write byte-identical files. */
START_TEST(test_program_is_deterministic)
{
    const char *args[] = { "ch01_critical_points", "--seed", "5", NULL };
    const char *files[] = { "numbers.tex", "points.dat", "points_table.tex",
                            "slice_z2.dat", "slice_eigen.dat", "diagonal.dat" };
    check_program_deterministic(args, files, 6);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("ch01_critical_points");
    TCase *calculus = tcase_create("calculus");
    tcase_add_test(calculus, test_gradient_matches_finite_differences);
    tcase_add_test(calculus, test_hessian_matches_finite_differences);
    tcase_add_test(calculus, test_value_at_known_points);
    tcase_add_test(calculus, test_hessian_rank_one_form);
    tcase_add_test(calculus, test_no_global_minimum);
    suite_add_tcase(s, calculus);

    TCase *points = tcase_create("critical_points");
    /* The search runs Newton from 3,744 starts; ample under sanitizers
     * and valgrind, without relying on Check's 4 s default. */
    tcase_set_timeout(points, 60);
    tcase_add_test(points, test_exactly_five_critical_points);
    tcase_add_test(points, test_gradient_vanishes_at_each_point);
    tcase_add_test(points, test_eigenvalues_match_closed_form);
    tcase_add_test(points, test_classification);
    tcase_add_test(points, test_classify_rules);
    tcase_add_test(points, test_newton_converges_quadratically);
    suite_add_tcase(s, points);

    TCase *program = tcase_create("program");
    tcase_set_timeout(program, 60);
    tcase_add_test(program, test_program_rejects_bad_options);
    tcase_add_test(program, test_program_reports_unwritable_output);
    tcase_add_test(program, test_program_is_deterministic);
    suite_add_tcase(s, program);
    return s;
}
