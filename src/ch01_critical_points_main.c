/* ch01_critical_points - finds and classifies the critical points of
 * f(x, y, z) = x^2 + y^2 + z^2 - xyz numerically, and writes the data for
 * chapter 01's table, figures and numbers.  See --help. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ch01_critical_points.h"
#include "lib/cli.h"
#include "lib/fdiff.h"
#include "lib/linalg.h"
#include "lib/results.h"
#include "lib/rng.h"
#include "lib/verdict.h"

#define MAX_POINTS 16

/* The gradient check: central differences of step FD_STEP at FD_POINTS
 * random points of [-4, 4]^3; the text calls gradient and differences in
 * agreement within FD_AGREE. */
enum { FD_POINTS = 200 };
static const double FD_STEP = 1e-5, FD_AGREE = 1e-8;
/* dsyev's eigenvalues agree with the closed form within rounding. */
static const double EIG_AGREE = 1e-10;
/* The critical points the derivation finds, against which the search is
 * compared (the search itself uses no table of answers). */
static const double DERIVED[5][3] = {
    { 0, 0, 0 }, { 2, 2, 2 }, { 2, -2, -2 }, { -2, 2, -2 }, { -2, -2, 2 },
};

static double f_of(const double *p, void *ctx)
{
    (void)ctx;
    return f_value(p);
}

/* The largest |grad f - central difference| over FD_POINTS random points. */
static double gradient_check(uint64_t seed)
{
    Rng rng;
    rng_seed(&rng, seed);
    double worst = 0.0;
    for (int t = 0; t < FD_POINTS; t++) {
        double p[3], g[3], fd[3];
        for (int i = 0; i < 3; i++)
            p[i] = rng_uniform_range(&rng, -4.0, 4.0);
        f_gradient(p, g);
        fd_gradient(f_of, p, 3, FD_STEP, NULL, fd);
        for (int i = 0; i < 3; i++)
            worst = fmax(worst, fabs(g[i] - fd[i]));
    }
    return worst;
}

/* Whether the points found are exactly the five derived, each once
 * (within merge_tol). */
static int found_the_derived_points(const CriticalPoint *cp, int n, double merge_tol)
{
    if (n != 5)
        return 0;
    int seen[5] = { 0 };
    for (int k = 0; k < n; k++)
        for (int j = 0; j < 5; j++) {
            double d = 0.0;
            for (int i = 0; i < 3; i++)
                d = fmax(d, fabs(cp[k].p[i] - DERIVED[j][i]));
            seen[j] += d <= merge_tol;
        }
    for (int j = 0; j < 5; j++)
        if (seen[j] != 1)
            return 0;
    return 1;
}

typedef struct {
    uint64_t seed;
    int grid;           /* grid points per axis */
    int random_starts;  /* extra starting points drawn from the seed */
    const char *out;    /* results directory */
} Options;

static Options parse_command_line(int argc, char **argv)
{
    Options o = { .seed = 1, .grid = 14, .random_starts = 1000, .out = "ch01-results" };
    const Option table[] = {
        { "grid", "N", OPT_INT, &o.grid, 1, 200, "starting grid of N^3 points on [-3.25, 3.25]^3" },
        { "random-starts", "N", OPT_INT, &o.random_starts, 0, 10000000,
          "further starting points uniform on [-4, 4]^3" },
        { "seed", "N", OPT_U64, &o.seed, 0, 0, "seed for the random starting points" },
        { "out", "DIR", OPT_STRING, &o.out, 0, 0,
          "where to write the results (make passes\n"
          "build/results/ch01, which it owns)" },
        { 0 },
    };
    parse_options(argc, argv, table,
                  "Find the critical points of f(x,y,z) = x^2 + y^2 + z^2 - xyz by Newton's\n"
                  "method from many starting points, classify them by the eigenvalues of the\n"
                  "Hessian (LAPACK dsyev), and write the results for chapter 01.");
    return o;
}

/* f on the plane p0 + u e1 + v e2 for u, v in [-r, r], as gnuplot grid
 * blocks: "u v f" per line, a blank line after each u. */
static int write_slice(const char *dir, const char *name, const double p0[3],
                       const double e1[3], const double e2[3], double r, int n)
{
    ResultFile rf;
    if (results_open(&rf, dir, name) != 0)
        return -1;
    fprintf(rf.fp, "# f(p0 + u e1 + v e2), p0 = (%g, %g, %g)\n# u v f\n", p0[0], p0[1], p0[2]);
    for (int i = 0; i < n; i++) {
        double u = -r + 2.0 * r * i / (n - 1);
        for (int j = 0; j < n; j++) {
            double v = -r + 2.0 * r * j / (n - 1);
            double p[3];
            for (int k = 0; k < 3; k++)
                p[k] = p0[k] + u * e1[k] + v * e2[k];
            fprintf(rf.fp, "%.6f %.6f %.9g\n", u, v, f_value(p));
        }
        fputc('\n', rf.fp);
    }
    return results_close(&rf);
}

/* f(t, t, t) = 3t^2 - t^3 along the diagonal. */
static int write_diagonal(const char *dir)
{
    ResultFile rf;
    if (results_open(&rf, dir, "diagonal.dat") != 0)
        return -1;
    fprintf(rf.fp, "# t f(t,t,t)\n");
    for (int i = 0; i <= 400; i++) {
        double t = -1.5 + 5.0 * i / 400.0;
        double p[3] = { t, t, t };
        fprintf(rf.fp, "%.4f %.9g\n", t, f_value(p));
    }
    return results_close(&rf);
}

/* Coordinates print as integers when they are integers to 1e-9; + 0.0
 * turns a negative zero into a zero. */
static double tidy(double v)
{
    double r = round(v);
    return (fabs(v - r) < 1e-9 ? r : v) + 0.0;
}

/* v to 4 decimals, without a negative zero. */
static double round4(double v)
{
    return round(v * 1e4) / 1e4 + 0.0;
}

static int write_points(const char *dir, const CriticalPoint *cp, int n)
{
    ResultFile dat, tex;
    if (results_open(&dat, dir, "points.dat") != 0)
        return -1;
    if (results_open(&tex, dir, "points_table.tex") != 0) {
        results_discard(&dat);
        return -1;
    }
    fprintf(dat.fp, "# x y z f lambda1 lambda2 lambda3 basin kind\n");
    for (int k = 0; k < n; k++) {
        const CriticalPoint *c = &cp[k];
        fprintf(dat.fp, "%.17g %.17g %.17g %.17g %.17g %.17g %.17g %d %s\n",
                tidy(c->p[0]), tidy(c->p[1]), tidy(c->p[2]), tidy(c->f),
                c->eig[0], c->eig[1], c->eig[2], c->basin, point_kind_name(c->kind));
        fprintf(tex.fp, "$(%g, %g, %g)$ & $%g$ & $%.4g$ & $%.4g$ & $%.4g$ & %d & %s \\\\\n",
                tidy(c->p[0]), tidy(c->p[1]), tidy(c->p[2]), tidy(c->f),
                c->eig[0] + 0.0, c->eig[1] + 0.0, c->eig[2] + 0.0, c->basin,
                point_kind_name(c->kind));
    }
    int status = results_close(&dat);
    return results_close(&tex) | status;
}

/* The starting points of Newton's method: a grid that avoids the critical
 * points themselves, then random points from the seed.  NULL (with a
 * message) when out of memory. */
static double *starting_points(const Options *o, int n_grid, int n_starts)
{
    double *starts = malloc(sizeof(double) * 3 * (size_t)n_starts);
    if (!starts) {
        fprintf(stderr, "error: out of memory for %d starting points\n", n_starts);
        return NULL;
    }
    starting_grid(-3.25, 3.25, o->grid, starts);
    Rng rng;
    rng_seed(&rng, o->seed);
    for (int i = 3 * n_grid; i < 3 * n_starts; i++)
        starts[i] = rng_uniform_range(&rng, -4.0, 4.0);
    return starts;
}

/* The directions of the figure's second slice through the saddle p0:
 * down, the eigenvector of the Hessian's eigenvalue -2 (LAPACK's dsyev),
 * and up, a unit vector in the eigenspace of 4. */
static int saddle_directions(const double p0[3], double down[3], double up[3])
{
    double H[9], w[3], V[9];
    f_hessian(p0, H);
    if (sym_eigen(3, H, w, V) != 0) {
        fprintf(stderr, "error: LAPACK dsyev failed on the Hessian at (2,2,2)\n");
        return -1;
    }
    /* Column 0 of V is the eigenvector of -2; point it along +(1,1,1). */
    for (int k = 0; k < 3; k++)
        down[k] = V[3 * k];
    if (down[0] + down[1] + down[2] < 0)
        for (int k = 0; k < 3; k++)
            down[k] = -down[k];
    /* Columns 1 and 2 span the eigenspace of 4, but dsyev may pick any
     * basis of it: project (1, -1, 0) onto that plane for a stable one. */
    double q[3] = { 1, -1, 0 };
    for (int k = 0; k < 3; k++)
        up[k] = 0.0;
    for (int j = 1; j <= 2; j++) {
        double c = q[0] * V[j] + q[1] * V[3 + j] + q[2] * V[6 + j];
        for (int k = 0; k < 3; k++)
            up[k] += c * V[3 * k + j];
    }
    double up_norm = vec_norm(3, up);
    for (int k = 0; k < 3; k++)
        up[k] /= up_norm;
    return 0;
}

int main(int argc, char **argv)
{
    Options o = parse_command_line(argc, argv);
    if (make_directories(o.out) != 0)
        return 1;

    int n_grid = o.grid * o.grid * o.grid;
    int n_starts = n_grid + o.random_starts;
    double *starts = starting_points(&o, n_grid, n_starts);
    if (!starts)
        return 1;

    CriticalPoint cp[MAX_POINTS];
    int failed;
    int n = find_critical_points(starts, n_starts, 1e-6, cp, MAX_POINTS, &failed);
    free(starts);
    if (n < 0) {
        fprintf(stderr, "error: more than %d distinct critical points: Newton's method misbehaved\n",
                MAX_POINTS);
        return 1;
    }

    double max_grad = 0.0, max_eig_error = 0.0;
    for (int k = 0; k < n; k++) {
        double closed[3];
        closed_form_eigenvalues(cp[k].p, closed);
        max_grad = fmax(max_grad, cp[k].grad_norm);
        for (int i = 0; i < 3; i++)
            max_eig_error = fmax(max_eig_error, fabs(cp[k].eig[i] - closed[i]));
        printf("(%6.3f, %6.3f, %6.3f)  f = %6.3f  eigenvalues %8.4f %8.4f %8.4f  %-12s basin %d\n",
               tidy(cp[k].p[0]), tidy(cp[k].p[1]), tidy(cp[k].p[2]), tidy(cp[k].f),
               cp[k].eig[0], cp[k].eig[1], cp[k].eig[2], point_kind_name(cp[k].kind), cp[k].basin);
    }
    printf("%d starting points, %d did not converge, %d distinct critical points\n",
           n_starts, failed, n);

    /* The slices of the figures, through (2, 2, 2): the plane z = 2, and
     * the plane spanned by the eigenvectors of -2 and of 4 (from dsyev). */
    double p0[3] = { 2.0, 2.0, 2.0 }, down[3], up[3];
    double ex[3] = { 1, 0, 0 }, ey[3] = { 0, 1, 0 };
    if (saddle_directions(p0, down, up) != 0)
        return 1;

    Numbers nb;
    char word[16];
    int status = 0;
    status |= write_points(o.out, cp, n);
    status |= write_slice(o.out, "slice_z2.dat", p0, ex, ey, 2.0, 201);
    status |= write_slice(o.out, "slice_eigen.dat", p0, down, up, 2.0, 201);
    status |= write_diagonal(o.out);
    if (status != 0 || numbers_open(&nb, o.out) != 0)
        return 1;
    numbers_put(&nb, "ch01.grid", "%d", o.grid);
    numbers_put(&nb, "ch01.gridstarts", "%d", n_grid);
    numbers_put(&nb, "ch01.randomstarts", "%d", o.random_starts);
    numbers_put_count(&nb, "ch01.starts", n_starts);
    if (failed == 0)                         /* for the text: "none failed" */
        numbers_put(&nb, "ch01.failed", "none");
    else
        numbers_put(&nb, "ch01.failed", "%d", failed);
    numbers_put(&nb, "ch01.points", "%s", count_in_words(n, word));
    int minimum_starts = 0, saddle_starts = 0;
    for (int k = 0; k < n; k++) {
        minimum_starts += cp[k].kind == POINT_MINIMUM ? cp[k].basin : 0;
        saddle_starts += cp[k].kind == POINT_SADDLE ? cp[k].basin : 0;
    }
    numbers_put(&nb, "ch01.minstarts", "%d", minimum_starts);
    numbers_put(&nb, "ch01.saddlestarts", "%d", saddle_starts);
    numbers_put(&nb, "ch01.seed", "%llu", (unsigned long long)o.seed);
    numbers_put_sci(&nb, "ch01.maxgrad", max_grad);
    numbers_put_sci(&nb, "ch01.maxeigerror", max_eig_error);
    numbers_put(&nb, "ch01.downvector", "(%.4g, %.4g, %.4g)", round4(down[0]), round4(down[1]), round4(down[2]));
    double fd_error = gradient_check(o.seed);
    numbers_put(&nb, "ch01.fdpoints", "%d", FD_POINTS);
    numbers_put_sci(&nb, "ch01.fdstep", FD_STEP);
    numbers_put_sci(&nb, "ch01.fderror", fd_error);
    numbers_put_sci(&nb, "ch01.fdagree", FD_AGREE);
    verdict_put(&nb, "ch01.fd", &AGREE_RULE, agree_verdict(fd_error, 0.0, FD_AGREE));
    verdict_put(&nb, "ch01.points.derived", &YESNO_RULE, yesno_verdict(found_the_derived_points(cp, n, 1e-6)));
    numbers_put_sci(&nb, "ch01.eigagree", EIG_AGREE);
    verdict_put(&nb, "ch01.eig", &AGREE_RULE, agree_verdict(max_eig_error, 0.0, EIG_AGREE));
    numbers_put(&nb, "ch01.upvector", "(%.4g, %.4g, %.4g)", round4(up[0]), round4(up[1]), round4(up[2]));
    return numbers_close(&nb) != 0;
}
