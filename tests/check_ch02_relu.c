/* check_ch02_relu.c - chapter 02: the gradient of ReLU(b + x w), away from
 * the kink, on it, and for every sign of x; the library's ReLU on vectors. */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ch02_relu.h"
#include "kit_test.h"
#include "lib/activations.h"
#include "lib/fdiff.h"
#include "lib/rng.h"
#include "lib/todo.h"

/* @checks eq:ch02-gradient
 * @asserts at 5000 random $(b, w, x) \in [-3, 3]^3$ with $|b + xw| \ge
 *   10^{-3}$, $\nabla f$ equals the central difference with $h = 10^{-6}$
 * @tolerance 1e-8 relative (vector norm, floor 1e-12) */
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
        assert_vector_close(g, fd, 2, 1e-12, 1e-8,
                            "relu_unit_gradient, equation (eq:ch02-gradient), at b = %.17g, w = %.17g, "
                            "x = %.17g (z = b + x w = %.17g): (df/db, df/dw) against the central "
                            "difference of relu_unit (h = 1e-6)", b, w, x, b + x * w);
        checked++;
    }
}
END_TEST

/* The convention: relu'(0) = 0, so the gradient at the kink is (0, 0).
 * @checks eq:ch02-convention
 * @asserts $\operatorname{ReLU}'(\pm 0) = 0$, $1$ just right of the kink and
 *   $0$ just left of it; on the kink $\nabla f = (0, 0)$ for four inputs $x$
 * @tolerance exact */
START_TEST(test_kink_convention)
{
    assert_equal(relu_derivative(0.0), 0.0, "relu_derivative(0): the kit's convention relu'(0) = 0");
    assert_equal(relu_derivative(-0.0), 0.0, "relu_derivative(-0.0): the kit's convention "
                 "relu'(0) = 0");
    assert_equal(relu_derivative(1e-300), 1.0, "relu_derivative(1e-300), just right of the kink");
    assert_equal(relu_derivative(-1e-300), 0.0, "relu_derivative(-1e-300), just left of the kink");
    const double xs[] = { -1.5, -0.5, 0.5, 2.0 };
    for (int k = 0; k < 4; k++) {
        double x = xs[k], w = 0.5, b = -x * w, g[2];
        assert_equal(b + x * w, 0.0, "the test's own point b = %g, w = %g, x = %g: z = b + x w",
                     b, w, x);
        relu_unit_gradient(b, w, x, g);
        assert_equal(g[0], 0.0, "relu_unit_gradient on the kink, b = %g, w = %g, x = %g (z = 0): "
                     "df/db must be 0 (relu'(0) = 0)", b, w, x);
        assert_equal(g[1], 0.0, "relu_unit_gradient on the kink, b = %g, w = %g, x = %g (z = 0): "
                     "df/dw must be 0 (relu'(0) = 0)", b, w, x);
    }
}
END_TEST

/* Exactly at the kink the central difference sees half a slope on each
 * side: (ReLU(h) - ReLU(-h)) / 2h = 1/2 in b, and x/2 in w, the midpoint
 * of the subgradient {t (1, x) : t in [0, 1]}.
 * @checks eq:ch02-midpoint
 * @asserts on the kink, for $x = -1.5, -0.5, 0.5, 2$, the central difference
 *   with $h = 10^{-6}$ is $\frac12 (1, x)$
 * @tolerance 1e-9 absolute */
START_TEST(test_finite_difference_at_kink_is_midpoint)
{
    const double xs[] = { -1.5, -0.5, 0.5, 2.0 };
    for (int k = 0; k < 4; k++) {
        double x = xs[k], w = 0.5, b = -x * w, fd[2];
        relu_unit_fd_gradient(b, w, x, 1e-6, fd);
        assert_close(fd[0], 0.5, 1e-9, "relu_unit_fd_gradient (h = 1e-6) on the kink, b = %g, "
                     "w = %g, x = %g: df/db, the midpoint 1/2 of the subgradient", b, w, x);
        assert_close(fd[1], x / 2.0, 1e-9, "relu_unit_fd_gradient (h = 1e-6) on the kink, b = %g, "
                     "w = %g, x = %g: df/dw, the midpoint x/2 of the subgradient", b, w, x);
    }
}
END_TEST

/* On the kink the one-sided differences in b see the two slopes of ReLU,
 * 0 from the left and 1 from the right, for every step; the central
 * difference is their average, at every step the chapter uses.
 * @checks sec:ch02-kink
 * @asserts on the kink at $x = 2$, for $h = 10^{-2}, 10^{-4}, 10^{-6}$, the
 *   backward and forward differences in $b$ are $0$ and $1$, the central
 *   difference $\frac12 (1, x)$
 * @tolerance 1e-9 absolute */
START_TEST(test_one_sided_slopes_at_kink)
{
    const double hs[] = { 1e-2, 1e-4, 1e-6 };
    for (int s = 0; s < 3; s++) {
        double h = hs[s], x = 2.0, w = 0.5, b = -x * w, f0 = relu_unit(b, w, x);
        assert_close((f0 - relu_unit(b - h, w, x)) / h, 0.0, 1e-9, "relu_unit on the kink "
                     "(b = %g, w = %g, x = %g): the backward difference in b, step %g, the slope "
                     "of ReLU from the left", b, w, x, h);
        assert_close((relu_unit(b + h, w, x) - f0) / h, 1.0, 1e-9, "relu_unit on the kink "
                     "(b = %g, w = %g, x = %g): the forward difference in b, step %g, the slope "
                     "of ReLU from the right", b, w, x, h);
        double fd[2];
        relu_unit_fd_gradient(b, w, x, h, fd);
        assert_close(fd[0], 0.5, 1e-9, "relu_unit_fd_gradient on the kink, step %g: df/db", h);
        assert_close(fd[1], 0.5 * x, 1e-9, "relu_unit_fd_gradient on the kink, step %g: df/dw", h);
    }
}
END_TEST

/* @checks eq:ch02-gradient
 * @asserts for $x = 0$, $\partial f / \partial w = 0$ whether the unit is
 *   active ($\nabla f = (1, 0)$) or inactive ($\nabla f = (0, 0)$)
 * @tolerance exact */
START_TEST(test_zero_input)
{
    /* x = 0: f = ReLU(b) does not depend on w. */
    double g[2];
    relu_unit_gradient(0.7, -5.0, 0.0, g);
    assert_equal(g[0], 1.0, "relu_unit_gradient at b = 0.7, w = -5, x = 0 (z = 0.7, active): df/db");
    assert_equal(g[1], 0.0, "relu_unit_gradient at b = 0.7, w = -5, x = 0 (z = 0.7, active): "
                 "df/dw = x");
    relu_unit_gradient(-0.7, 5.0, 0.0, g);
    assert_equal(g[0], 0.0, "relu_unit_gradient at b = -0.7, w = 5, x = 0 (z = -0.7, inactive): "
                 "df/db");
    assert_equal(g[1], 0.0, "relu_unit_gradient at b = -0.7, w = 5, x = 0 (z = -0.7, inactive): "
                 "df/dw");
}
END_TEST

/* @checks eq:ch02-gradient
 * @asserts for $x = -2$, $\nabla f = (1, -2)$ where $z = 2$ and $(0, 0)$
 *   where $z = -1$, with $f = 2$ and $0$
 * @tolerance exact */
START_TEST(test_negative_input)
{
    /* x = -2, w = -1, b = 0: z = 2 > 0, active: gradient (1, x) = (1, -2). */
    double g[2];
    relu_unit_gradient(0.0, -1.0, -2.0, g);
    assert_equal(g[0], 1.0, "relu_unit_gradient at b = 0, w = -1, x = -2 (z = 2, active): df/db");
    assert_equal(g[1], -2.0, "relu_unit_gradient at b = 0, w = -1, x = -2 (z = 2, active): "
                 "df/dw = x");
    assert_equal(relu_unit(0.0, -1.0, -2.0), 2.0, "relu_unit at b = 0, w = -1, x = -2 (z = 2)");
    /* x = -2, w = 1, b = 1: z = -1 < 0, inactive. */
    relu_unit_gradient(1.0, 1.0, -2.0, g);
    assert_equal(g[0], 0.0, "relu_unit_gradient at b = 1, w = 1, x = -2 (z = -1, inactive): df/db");
    assert_equal(g[1], 0.0, "relu_unit_gradient at b = 1, w = 1, x = -2 (z = -1, inactive): df/dw");
    assert_equal(relu_unit(1.0, 1.0, -2.0), 0.0, "relu_unit at b = 1, w = 1, x = -2 (z = -1)");
}
END_TEST

/* @checks eq:ch02-convention
 * @asserts on six values including $\pm 0$ and $\pm 10^{-12}$, the library's
 *   ReLU and its backward pass $\mathrm{d}z = \mathrm{d}a\,\operatorname{ReLU}'(z)$,
 *   which is $0$ at $z = 0$
 * @tolerance exact */
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
        assert_equal(a[i], a_expected[i], "relu_forward: a[%d] for z[%d] = %g", i, i, z[i]);
        assert_equal(dz[i], dz_expected[i], "relu_backward: dz[%d] for z[%d] = %g, da[%d] = %g "
                     "(dz = da relu'(z), relu'(0) = 0)", i, i, z[i], i, da[i]);
    }
}
END_TEST

START_TEST(test_program_rejects_bad_options)
{
    char err[1024];
    const char *bad[] = { "ch02_relu", "--random-points", "-3", NULL };
    assert_exit_status(bad, err, sizeof err, 2);
    assert_stderr_has(bad, err, "--random-points");
    const char *extra[] = { "ch02_relu", "stray", NULL };
    assert_exit_status(extra, err, sizeof err, 2);
    assert_stderr_has(extra, err, "stray");
}
END_TEST

START_TEST(test_program_is_deterministic)
{
    const char *args[] = { "ch02_relu", "--random-points", "500", NULL };
    const char *files[] = { "numbers.tex", "gradcheck.dat", "relu.dat", "plane_pos.dat", "plane_neg.dat" };
    check_program_deterministic(args, files, 5);
}
END_TEST

/* Run by hand without --out, a program writes into ./ch02-results, a
 * folder of its own, never into build/results, which make owns (results
 * made with other options would look up to date to make).  Run here in an
 * empty directory: afterwards it holds ch02-results/numbers.tex and no
 * build/.  In the handout the program may stop first at a region not
 * written yet (EXIT_TODO, lib/todo.h). */
START_TEST(test_program_default_out_is_not_build)
{
    char dir[256], cwd[PATH_MAX], bin[PATH_MAX + 16], err[1024], path[512];
    make_temp_dir(dir, sizeof dir);
    ck_assert_msg(getcwd(cwd, sizeof cwd) != NULL, "getcwd failed");
    const char *kit_bin = getenv("KIT_BIN") ? getenv("KIT_BIN") : "build/bin";
    if (kit_bin[0] == '/')
        snprintf(bin, sizeof bin, "%s", kit_bin);
    else
        snprintf(bin, sizeof bin, "%s/%s", cwd, kit_bin);
    setenv("KIT_BIN", bin, 1);
    ck_assert_msg(chdir(dir) == 0, "cannot enter %s", dir);
    const char *argv[] = { "ch02_relu", "--random-points", "10", NULL };
    int status = run_program(argv, err, sizeof err);
    ck_assert_msg(chdir(cwd) == 0, "cannot return to %s", cwd);
    ck_assert_msg(status == 0 || status == EXIT_TODO, "%s: exit status %d, expected 0; stderr: %s",
                  format_command(argv), status, err);
    struct stat st;
    snprintf(path, sizeof path, "%s/build", dir);
    ck_assert_msg(stat(path, &st) != 0, "%s, run in %s without --out, made %s: its default "
                  "--out must not be make's build/results", format_command(argv), dir, path);
    snprintf(path, sizeof path, "%s/ch02-results/numbers.tex", dir);
    ck_assert_msg(status == EXIT_TODO || stat(path, &st) == 0, "%s, run in %s without --out, "
                  "did not write %s", format_command(argv), dir, path);
    char command[600];
    snprintf(command, sizeof command, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(command), 0);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("ch02_relu");
    TCase *grad = tcase_create("gradient");
    tcase_add_test(grad, test_gradient_matches_finite_differences_away_from_kink);
    tcase_add_test(grad, test_kink_convention);
    tcase_add_test(grad, test_finite_difference_at_kink_is_midpoint);
    tcase_add_test(grad, test_one_sided_slopes_at_kink);
    tcase_add_test(grad, test_zero_input);
    tcase_add_test(grad, test_negative_input);
    tcase_add_test(grad, test_library_relu_on_vectors);
    suite_add_tcase(s, grad);
    TCase *program = tcase_create("program");
    tcase_set_timeout(program, 60);
    tcase_add_test(program, test_program_rejects_bad_options);
    tcase_add_test(program, test_program_is_deterministic);
    tcase_add_test(program, test_program_default_out_is_not_build);
    suite_add_tcase(s, program);
    return s;
}
