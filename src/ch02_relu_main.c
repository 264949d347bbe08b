/* ch02_relu - the gradient of ReLU(b + x w): the analytic gradient against
 * central finite differences over a grid of (b, w) for several x, away
 * from the kink and exactly on it; writes chapter 02's data and numbers.
 * See --help. */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ch02_relu.h"
#include "lib/activations.h"
#include "lib/cli.h"
#include "lib/fdiff.h"
#include "lib/results.h"
#include "lib/rng.h"
#include "lib/verdict.h"

static const double XS[] = { -1.5, -0.5, 0.0, 0.5, 2.0 };
enum { N_XS = sizeof XS / sizeof XS[0] };
static const double FD_STEP = 1e-6;
/* The steps at which the central difference is taken on the kink. */
static const double KINK_STEPS[] = { 1e-2, 1e-4, 1e-6 };
enum { N_KINK_STEPS = sizeof KINK_STEPS / sizeof KINK_STEPS[0] };

/* The rounding error of a central difference of step h of a function of
 * size at most fmax: each value is off by about epsilon fmax, so the
 * quotient by about epsilon fmax / h.  On [-2, 2]^2, |b + x w| <= 2 + 2|x|. */
static double rounding_bound(double h)
{
    double xmax = 0.0;
    for (int k = 0; k < N_XS; k++)
        xmax = fmax(xmax, fabs(XS[k]));
    return DBL_EPSILON * (2.0 + 2.0 * xmax) / h;
}

/* The slopes of ReLU at the kink from each side, by one-sided differences
 * of f in b at a point on the kink, and the central difference between. */
static void kink_slopes(double x, double h, double slopes[3])
{
    double w = 0.5, b = -x * w, f0 = relu_unit(b, w, x);
    slopes[0] = (f0 - relu_unit(b - h, w, x)) / h;                         /* from the left */
    slopes[1] = (relu_unit(b + h, w, x) - f0) / h;                         /* from the right */
    slopes[2] = (relu_unit(b + h, w, x) - relu_unit(b - h, w, x)) / (2.0 * h);   /* central */
}

typedef struct {
    uint64_t seed;
    int random_points;
    const char *out;
} Options;

static Options parse_command_line(int argc, char **argv)
{
    Options o = { .seed = 1, .random_points = 10000, .out = "ch02-results" };
    const Option table[] = {
        { "random-points", "N", OPT_INT, &o.random_points, 0, 100000000,
          "random (b, w) per x, uniform on [-2, 2]^2" },
        { "seed", "N", OPT_U64, &o.seed, 0, 0, "seed for the random points" },
        { "out", "DIR", OPT_STRING, &o.out, 0, 0,
          "where to write the results (make passes\n"
          "build/results/ch02, which it owns)" },
        { 0 },
    };
    parse_options(argc, argv, table,
                  "Compare the gradient of ReLU(b + x w) in (b, w) with central finite\n"
                  "differences, on a grid and at random points, away from the kink b + x w = 0\n"
                  "and exactly on it, for x in {-1.5, -0.5, 0, 0.5, 2}; write chapter 02's results.");
    return o;
}

/* ReLU and its derivative (the kit's convention at 0) on [-2, 2]. */
static int write_relu_curve(const char *dir)
{
    ResultFile rf;
    if (results_open(&rf, dir, "relu.dat") != 0)
        return -1;
    fprintf(rf.fp, "# z relu(z) relu'(z)\n");
    for (int i = 0; i <= 400; i++) {
        double z = -2.0 + 4.0 * i / 400.0, a;
        relu_forward(1, &z, &a);
        fprintf(rf.fp, "%.4f %.6f %.1f\n", z + 0.0, a, relu_derivative(z));
    }
    return results_close(&rf);
}

/* For one x: the value of f on a fine (b, w) grid (shading) and the
 * gradient on a coarse grid (arrows), in two gnuplot blocks. */
static int write_plane(const char *dir, const char *name, double x)
{
    ResultFile rf;
    if (results_open(&rf, dir, name) != 0)
        return -1;
    fprintf(rf.fp, "# x = %g\n# block 0: b w f(b,w)\n", x);
    for (int i = 0; i <= 100; i++) {
        for (int j = 0; j <= 100; j++) {
            double b = -2.0 + 0.04 * i, w = -2.0 + 0.04 * j;
            fprintf(rf.fp, "%.2f %.2f %.6f\n", b + 0.0, w + 0.0, relu_unit(b, w, x));
        }
        fputc('\n', rf.fp);
    }
    fprintf(rf.fp, "\n# block 1: b w df/db df/dw\n");
    for (int i = 0; i <= 8; i++)
        for (int j = 0; j <= 8; j++) {
            double b = -1.6 + 0.4 * i, w = -1.6 + 0.4 * j, g[2];   /* arrows inside the square */
            relu_unit_gradient(b, w, x, g);
            fprintf(rf.fp, "%.2f %.2f %.3f %.3f\n", b + 0.0, w + 0.0, g[0] + 0.0, g[1] + 0.0);
        }
    return results_close(&rf);
}


int main(int argc, char **argv)
{
    Options o = parse_command_line(argc, argv);
    if (make_directories(o.out) != 0)
        return 1;
    Rng rng;
    rng_seed(&rng, o.seed);

    /* Away from the kink: random (b, w) with |b + x w| > 1e-3, far beyond
     * the finite-difference step, so no difference straddles the kink. */
    ResultFile rf;
    if (results_open(&rf, o.out, "gradcheck.dat") != 0)
        return 1;
    fprintf(rf.fp, "# x points max_rel_error fd_at_kink_b fd_at_kink_w\n");
    double worst = 0.0;
    long checked = 0;
    double kink_fd[N_XS][2], kink_grad[N_XS][2];
    for (int k = 0; k < N_XS; k++) {
        double x = XS[k], worst_x = 0.0;
        for (int i = 0; i < o.random_points; i++) {
            double b = rng_uniform_range(&rng, -2.0, 2.0), w = rng_uniform_range(&rng, -2.0, 2.0);
            if (fabs(b + x * w) <= 1e-3)
                continue;
            double g[2], fd[2];
            relu_unit_gradient(b, w, x, g);
            relu_unit_fd_gradient(b, w, x, FD_STEP, fd);
            worst_x = fmax(worst_x, vector_relative_error(g, fd, 2, 1e-12));
            checked++;
        }
        worst = fmax(worst, worst_x);
        /* Exactly on the kink: w = 0.5, b = -x w, so b + x w = 0. */
        double w0 = 0.5, b0 = -x * w0;
        relu_unit_gradient(b0, w0, x, kink_grad[k]);
        relu_unit_fd_gradient(b0, w0, x, FD_STEP, kink_fd[k]);
        fprintf(rf.fp, "%g %d %.3e %.12f %.12f\n", x, o.random_points, worst_x,
                kink_fd[k][0], kink_fd[k][1]);
        printf("x = %5.2f: max relative error %.2e; at the kink: analytic (%g, %g), "
               "finite difference (%.6f, %.6f)\n",
               x, worst_x, kink_grad[k][0] + 0.0, kink_grad[k][1] + 0.0,
               kink_fd[k][0], kink_fd[k][1]);
    }
    if (results_close(&rf) != 0)
        return 1;

    ResultFile kf;
    double measured[3];
    kink_slopes(XS[N_XS - 1], FD_STEP, measured);
    if (results_open(&kf, o.out, "kink.dat") != 0)
        return 1;
    fprintf(kf.fp, "# z slope_from_left slope_from_right central_difference (at the kink, step %g)\n", FD_STEP);
    fprintf(kf.fp, "0 %.9f %.9f %.9f\n", measured[0] + 0.0, measured[1], measured[2]);
    if (results_close(&kf) != 0)
        return 1;
    if (write_relu_curve(o.out) != 0 || write_plane(o.out, "plane_pos.dat", 1.5) != 0 ||
        write_plane(o.out, "plane_neg.dat", -0.5) != 0)
        return 1;

    Numbers nb;
    if (numbers_open(&nb, o.out) != 0)
        return 1;
    numbers_put_count(&nb, "ch02.points", checked);
    numbers_put_count(&nb, "ch02.pointsperx", o.random_points);
    numbers_put(&nb, "ch02.xcount", "%d", N_XS);
    numbers_put(&nb, "ch02.seed", "%llu", (unsigned long long)o.seed);
    numbers_put_sci(&nb, "ch02.maxrelerror", worst);
    numbers_put_sci(&nb, "ch02.fdstep", FD_STEP);
    /* The finite differences at the kink, for x = 2 (the last x) and
     * x = -1.5 (the first), to four significant digits (their gap from
     * the midpoint is ch02.kink.midpointgap). */
    numbers_put(&nb, "ch02.kinkfd.pos", "(%.4g, %.4g)", kink_fd[N_XS - 1][0] + 0.0, kink_fd[N_XS - 1][1] + 0.0);
    numbers_put(&nb, "ch02.kinkfd.neg", "(%.4g, %.4g)", kink_fd[0][0] + 0.0, kink_fd[0][1] + 0.0);
    numbers_put(&nb, "ch02.kinkgrad.pos", "(%g, %g)", kink_grad[N_XS - 1][0] + 0.0, kink_grad[N_XS - 1][1] + 0.0);

    /* Away from the kink the difference quotient of a linear function is
     * exact but for rounding: the largest error against the bound. */
    numbers_put_sci(&nb, "ch02.roundingbound", rounding_bound(FD_STEP));
    verdict_put(&nb, "ch02.fd", &AGREE_RULE, agree_verdict(worst, 0.0, rounding_bound(FD_STEP)));
    /* On the kink: the one-sided slopes of ReLU, and the central
     * difference against the midpoint (1/2)(1, x) for every x and step. */
    double slopes[3], midpoint_gap = 0.0;
    kink_slopes(XS[N_XS - 1], FD_STEP, slopes);
    numbers_put(&nb, "ch02.kink.left", "%.4g", slopes[0] + 0.0);
    numbers_put(&nb, "ch02.kink.right", "%.4g", slopes[1] + 0.0);
    numbers_put(&nb, "ch02.kink.central", "%.4g", slopes[2] + 0.0);
    for (int k = 0; k < N_XS; k++)
        for (int s = 0; s < N_KINK_STEPS; s++) {
            double w0 = 0.5, b0 = -XS[k] * w0, fd[2];
            relu_unit_fd_gradient(b0, w0, XS[k], KINK_STEPS[s], fd);
            midpoint_gap = fmax(midpoint_gap, fmax(fabs(fd[0] - 0.5), fabs(fd[1] - 0.5 * XS[k])));
        }
    numbers_put_sci(&nb, "ch02.kink.midpointgap", midpoint_gap);
    char steps[96] = "";
    for (int s = 0; s < N_KINK_STEPS; s++)
        snprintf(steps + strlen(steps), sizeof steps - strlen(steps), "%s$10^{%d}$",
                 s == 0 ? "" : s == N_KINK_STEPS - 1 ? " and " : ", ", (int)lround(log10(KINK_STEPS[s])));
    numbers_put(&nb, "ch02.kink.steps", "%s", steps);
    verdict_put(&nb, "ch02.kink.midpoint", &AGREE_RULE,
                agree_verdict(midpoint_gap, 0.0, rounding_bound(KINK_STEPS[N_KINK_STEPS - 1])));
    return numbers_close(&nb) != 0;
}
