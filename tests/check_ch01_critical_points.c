/* check_ch01_critical_points.c - chapter 01's equations, checked.
 *
 * These tests link the very functions the chapter's program runs
 * (src/ch01_critical_points.c), not copies of them. */
#include <math.h>
#include <stdio.h>
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

static const char *const AXIS[3] = { "x", "y", "z" };

/* Equation (eq:ch01-gradient) against central differences of f.
 * @checks eq:ch01-gradient
 * @asserts at 200 random points of $[-4, 4]^3$, each component of $\nabla f$
 *   equals the central difference of $f$ with $h = 10^{-5}$
 * @tolerance 1e-8 absolute */
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
            assert_close(g[i], fd[i], 1e-8,
                         "f_gradient, equation (eq:ch01-gradient), at p = %s: component %d (df/d%s) "
                         "against the central difference of f_value (h = 1e-5)",
                         format_vector(p, 3), i, AXIS[i]);
    }
}
END_TEST

/* Equation (eq:ch01-hessian) against second-order central differences of f
 * itself (fd_hessian), so that a wrong f_gradient cannot fail this test.
 * f is cubic, so both difference formulas are exact in exact arithmetic
 * for every h: only rounding remains, and it shrinks as h grows.  With
 * u = 2^-53 and h = 1/4:
 *   - at the points evaluated |p_i| <= 4.25, so |x^2| + |y^2| + |z^2| +
 *     |xyz| <= 3 * 4.25^2 + 4.25^3 < 132, and each value of f is computed
 *     with an error below 5u * 132 < 7.4e-14 (3 additions, at most 2
 *     multiplications in a term);
 *   - rounding p_i +- h to a double moves it by at most u * 4.25 <
 *     4.8e-16, and f by at most |df/dp_i| * 4.8e-16 <= (8.5 + 18.1) *
 *     4.8e-16 < 1.3e-14 for each perturbed coordinate;
 *   - combining the values rounds 3 more times, at magnitudes below
 *     2 * 132: less than 3u * 264 < 8.8e-14.
 * So a diagonal entry, (f(p + h e_i) - 2 f(p) + f(p - h e_i)) / h^2, is
 * off by less than (2 * 8.7e-14 + 2 * 7.4e-14 + 8.8e-14) * 16 < 6.6e-12,
 * and a mixed entry, four values with two coordinates perturbed over
 * 4 h^2, by less than (4 * 1.0e-13 + 8.8e-14) * 4 < 2.0e-12.  The
 * tolerance 1e-10 is 15 times that bound (the largest error seen over
 * 200,000 random points is 9e-13), while a mistake in an entry of H is of
 * order 1.
 * @checks eq:ch01-hessian
 * @asserts at 200 random points of $[-4, 4]^3$, every entry of $H$ equals the
 *   second central difference of $f$ ($h = 1/4$), and $H$ is symmetric
 * @tolerance 1e-10 absolute; symmetry exact */
START_TEST(test_hessian_matches_finite_differences)
{
    Rng rng;
    rng_seed(&rng, 202);
    for (int trial = 0; trial < 200; trial++) {
        double p[3], H[9], fd[9];
        for (int i = 0; i < 3; i++)
            p[i] = rng_uniform_range(&rng, -4.0, 4.0);
        f_hessian(p, H);
        fd_hessian(f_adapter, p, 3, 0.25, NULL, fd);
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                assert_close(H[3 * i + j], fd[3 * i + j], 1e-10,
                             "f_hessian, equation (eq:ch01-hessian), at p = %s: H[%d][%d] "
                             "(d2f/d%s d%s) against second differences of f_value (h = 1/4)",
                             format_vector(p, 3), i, j, AXIS[i], AXIS[j]);
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                assert_equal(H[3 * i + j], H[3 * j + i], "f_hessian at p = %s is not symmetric: "
                             "H[%d][%d] (got) against H[%d][%d] (expected)", format_vector(p, 3),
                             i, j, j, i);
    }
}
END_TEST

START_TEST(test_value_at_known_points)
{
    double origin[3] = { 0, 0, 0 }, twos[3] = { 2, 2, 2 }, p[3] = { 1, -2, 3 };
    assert_equal(f_value(origin), 0.0, "f_value at p = %s", format_vector(origin, 3));
    assert_equal(f_value(twos), 4.0, "f_value at p = %s", format_vector(twos, 3));
    assert_equal(f_value(p), 1.0 + 4.0 + 9.0 + 6.0, "f_value at p = %s", format_vector(p, 3));
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

/* What the search found, for a failure message. */
static const char *found_points(const CriticalPoint *cp, int n, int failed)
{
    static char list[512];
    size_t used = 0;
    list[0] = '\0';
    for (int k = 0; k < n && k < 6 && used < sizeof list; k++)
        used += (size_t)snprintf(list + used, sizeof list - used, "%s(%g, %g, %g)", k ? ", " : "",
                                 cp[k].p[0], cp[k].p[1], cp[k].p[2]);
    if (n < 0)
        snprintf(list, sizeof list, "more than 16 points");
    return format_text("find_critical_points (Newton's method from a 14^3 grid on [-3.25, 3.25]^3 "
                       "and 1000 random starts, %d of which did not converge) found [%s%s]: "
                       "the number of distinct critical points (-1: more than 16)", failed, list,
                       n > 6 ? ", ..." : "");
}

/* The program's search finds the five points of the derivation, no more.
 * @checks eq:ch01-s1, eq:ch01-s2, eq:ch01-s3
 * @asserts Newton's method from the $14^3$ grid and 1000 random starts finds
 *   exactly five points, $(0,0,0)$ and the four with $|p_i| = 2$, $xyz = 8$,
 *   each reached from some start
 * @tolerance 1e-12 absolute per coordinate */
START_TEST(test_exactly_five_critical_points)
{
    CriticalPoint cp[16];
    int failed;
    int n = search(cp, 16, &failed);
    assert_int(n, ==, 5, "%s", found_points(cp, n, failed));
    const double expected[5][3] = {
        { 0, 0, 0 }, { 2, 2, 2 }, { 2, -2, -2 }, { -2, 2, -2 }, { -2, -2, 2 },
    };
    for (int k = 0; k < 5; k++) {
        for (int i = 0; i < 3; i++)
            assert_close(cp[k].p[i], expected[k][i], 1e-12,
                         "find_critical_points: critical point %d (of 5, in the order nearest the "
                         "origin first, then x, y, z descending) at %s: coordinate %s",
                         k, format_vector(cp[k].p, 3), AXIS[i]);
        assert_int(cp[k].basin, >, 0, "find_critical_points: critical point %d at %s: starts that "
                   "converged to it (basin)", k, format_vector(cp[k].p, 3));
    }
}
END_TEST

/* @checks eq:ch01-gradient
 * @asserts $|\nabla f| < 10^{-10}$ at each of the five points found, and
 *   the search stored the same
 * @tolerance 1e-10 absolute */
START_TEST(test_gradient_vanishes_at_each_point)
{
    CriticalPoint cp[16];
    int failed;
    int n = search(cp, 16, &failed);
    assert_int(n, ==, 5, "%s", found_points(cp, n, failed));
    for (int k = 0; k < n; k++) {
        double g[3];
        f_gradient(cp[k].p, g);
        assert_double(vec_norm(3, g), <, 1e-10, "|f_gradient| at critical point %d, p = %s "
                      "(gradient %s)", k, format_vector(cp[k].p, 3), format_vector(g, 3));
        assert_double(cp[k].grad_norm, <, 1e-10, "find_critical_points: grad_norm stored for "
                      "critical point %d at p = %s", k, format_vector(cp[k].p, 3));
    }
}
END_TEST

/* @checks eq:ch01-hessian-rank-one, tab:ch01-points
 * @asserts at each point found, the eigenvalues from \texttt{dsyev} equal the
 *   closed form: $2, 2, 2$ at the origin and $-2, 4, 4$ at the saddles
 * @tolerance 1e-12 absolute */
START_TEST(test_eigenvalues_match_closed_form)
{
    CriticalPoint cp[16];
    int failed;
    int n = search(cp, 16, &failed);
    assert_int(n, ==, 5, "%s", found_points(cp, n, failed));
    for (int k = 0; k < n; k++) {
        double closed[3];
        closed_form_eigenvalues(cp[k].p, closed);
        for (int i = 0; i < 3; i++)
            assert_close(cp[k].eig[i], closed[i], 1e-12,
                         "eigenvalue %d (ascending) of f_hessian at critical point %d, p = %s "
                         "(all: %s), against closed_form_eigenvalues", i, k,
                         format_vector(cp[k].p, 3), format_vector(cp[k].eig, 3));
    }
    /* And the closed form itself: 2,2,2 at the origin, -2,4,4 elsewhere. */
    assert_equal(cp[0].eig[0], cp[0].eig[2], "eigenvalues %s of f_hessian at the origin: the "
                 "smallest (got) must equal the largest (expected)", format_vector(cp[0].eig, 3));
    assert_close(cp[0].eig[0], 2.0, 1e-12, "smallest eigenvalue of f_hessian at the origin, p = %s",
                 format_vector(cp[0].p, 3));
    assert_close(cp[3].eig[0], -2.0, 1e-12, "smallest eigenvalue of f_hessian at critical "
                 "point 3, p = %s", format_vector(cp[3].p, 3));
    assert_close(cp[3].eig[2], 4.0, 1e-12, "largest eigenvalue of f_hessian at critical point 3, "
                 "p = %s", format_vector(cp[3].p, 3));
}
END_TEST

/* @checks tab:ch01-points
 * @asserts the origin is classified a minimum and the other four points
 *   saddle points
 * @tolerance exact */
START_TEST(test_classification)
{
    CriticalPoint cp[16];
    int failed;
    int n = search(cp, 16, &failed);
    assert_int(n, ==, 5, "%s", found_points(cp, n, failed));
    ck_assert_msg(cp[0].kind == POINT_MINIMUM, "classify_eigenvalues at critical point 0, p = %s, "
                  "eigenvalues %s: got %s, expected minimum", format_vector(cp[0].p, 3),
                  format_vector(cp[0].eig, 3), point_kind_name(cp[0].kind));
    for (int k = 1; k < 5; k++)
        ck_assert_msg(cp[k].kind == POINT_SADDLE, "classify_eigenvalues at critical point %d, "
                      "p = %s, eigenvalues %s: got %s, expected saddle point", k,
                      format_vector(cp[k].p, 3), format_vector(cp[k].eig, 3),
                      point_kind_name(cp[k].kind));
    ck_assert_str_eq(point_kind_name(cp[0].kind), "minimum");
    ck_assert_str_eq(point_kind_name(cp[1].kind), "saddle point");
}
END_TEST

/* @checks sec:ch01-classification
 * @asserts eigenvalues $(1,2,3)$ give a minimum, $(-3,-2,-1)$ a maximum,
 *   $(-1, 0.5, 2)$ a saddle point and $(0, 1, 2)$ an undecided
 *   (degenerate) point
 * @tolerance eigenvalues within 1e-8 of zero count as zero */
START_TEST(test_classify_rules)
{
    const double pos[3] = { 1, 2, 3 }, neg[3] = { -3, -2, -1 };
    const double mixed[3] = { -1, 0.5, 2 }, flat[3] = { 0, 1, 2 };
    const double *const eig[4] = { pos, neg, mixed, flat };
    const PointKind expected[4] = { POINT_MINIMUM, POINT_MAXIMUM, POINT_SADDLE, POINT_DEGENERATE };
    for (int c = 0; c < 4; c++) {
        PointKind kind = classify_eigenvalues(eig[c], 1e-8);
        ck_assert_msg(kind == expected[c], "classify_eigenvalues(%s, tol 1e-8): got %s, expected %s",
                      format_vector(eig[c], 3), point_kind_name(kind), point_kind_name(expected[c]));
    }
}
END_TEST

/* H = 4I - p p^T / 2 at (2,-2,-2): p is the eigenvector of -2.
 * @checks eq:ch01-hessian-rank-one
 * @asserts at $p = (2, -2, -2)$, every entry of $H$ equals that of
 *   $4I - \frac12 p p\T$
 * @tolerance exact */
START_TEST(test_hessian_rank_one_form)
{
    const double p[3] = { 2, -2, -2 };
    double H[9];
    f_hessian(p, H);
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
            assert_equal(H[3 * i + j], (i == j ? 4.0 : 0.0) - p[i] * p[j] / 2.0,
                         "f_hessian at p = %s: H[%d][%d] (d2f/d%s d%s) against 4I - p p^T / 2, "
                         "equation (eq:ch01-hessian-rank-one)", format_vector(p, 3), i, j, AXIS[i],
                         AXIS[j]);
}
END_TEST

/* @checks sec:ch01-global
 * @asserts $f(t, t, t) = 3t^2 - t^3$ for $t = 2, 4, \dots, 8192$, falling at
 *   each doubling of $t$ and below $-10^{11}$ at the last
 * @tolerance exact */
START_TEST(test_no_global_minimum)
{
    /* f(t,t,t) = 3t^2 - t^3 falls without bound as t grows. */
    double previous = INFINITY;
    for (double t = 2.0; t <= 1e4; t *= 2.0) {
        double p[3] = { t, t, t };
        assert_equal(f_value(p), 3 * t * t - t * t * t, "f_value at p = %s against 3t^2 - t^3, "
                     "t = %g", format_vector(p, 3), t);
        assert_double(f_value(p), <, previous, "f_value along (t, t, t) must fall as t doubles: "
                      "at t = %g (expected below its value at the previous t)", t);
        previous = f_value(p);
    }
    assert_double(previous, <, -1e11, "f_value at (t, t, t) for the largest t tried, 8192: "
                  "f has no global minimum");
}
END_TEST

/* @checks -
 * @asserts Newton's method from $(2.3, 1.8, 2.1)$ reaches the critical point
 *   $(2, 2, 2)$ in at most 8 steps
 * @tolerance 1e-12 absolute */
START_TEST(test_newton_converges_quadratically)
{
    const double start[3] = { 2.3, 1.8, 2.1 };
    double p[3];
    int iters = newton_critical_point(start, 1e-13, 100, p);
    assert_int(iters, >=, 1, "newton_critical_point from %s (tol 1e-13, at most 100 steps), "
               "ending at %s: iterations (-1 means it failed)", format_vector(start, 3),
               format_vector(p, 3));
    assert_int(iters, <=, 8, "newton_critical_point from %s (tol 1e-13), ending at %s: iterations "
               "(quadratic convergence needs few)", format_vector(start, 3), format_vector(p, 3));
    assert_close(p[0], 2.0, 1e-12, "newton_critical_point from %s: x of the limit %s, expected "
                 "the critical point (2, 2, 2)", format_vector(start, 3), format_vector(p, 3));
}
END_TEST

START_TEST(test_program_rejects_bad_options)
{
    char err[1024];
    const char *bad_option[] = { "ch01_critical_points", "--frobnicate", NULL };
    assert_exit_status(bad_option, err, sizeof err, 2);
    assert_stderr_has(bad_option, err, "--frobnicate");

    const char *bad_value[] = { "ch01_critical_points", "--grid", "many", NULL };
    assert_exit_status(bad_value, err, sizeof err, 2);
    assert_stderr_has(bad_value, err, "--grid");

    const char *bad_seed[] = { "ch01_critical_points", "--seed", "-4", NULL };
    assert_exit_status(bad_seed, err, sizeof err, 2);
    assert_stderr_has(bad_seed, err, "--seed");

    const char *no_value[] = { "ch01_critical_points", "--seed", NULL };
    assert_exit_status(no_value, err, sizeof err, 2);
    assert_stderr_has(no_value, err, "'--seed' needs a value");

    const char *help[] = { "ch01_critical_points", "--help", NULL };
    assert_exit_status(help, err, sizeof err, 0);
}
END_TEST

START_TEST(test_program_reports_unwritable_output)
{
    char err[1024];
    const char *argv[] = { "ch01_critical_points", "--out", "/proc/version/ch01", NULL };
    assert_exit_status(argv, err, sizeof err, 1);
    assert_stderr_has(argv, err, "/proc/version");
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
