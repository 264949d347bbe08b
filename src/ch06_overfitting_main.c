/* ch06_overfitting - training and test error against the amount of data,
 * the model's complexity and the training time: least squares with its
 * closed-form expected errors, minimum-norm least squares across the
 * interpolation threshold, polynomials by degree, the chapter 05 network
 * by data size and by width, early stopping on noisy labels, gradient
 * descent beside ridge regression, and gradient descent with a step too
 * large.  Writes chapter 06's results.  See --help. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ch06_overfitting.h"
#include "lib/cli.h"
#include "lib/linalg.h"
#include "lib/mnist.h"
#include "lib/results.h"
#include "lib/stats.h"
#include "lib/train.h"
#include "lib/verdict.h"

enum { MAX_SEEDS = 20 };

/* The tolerances of the chapter's verdicts (each printed where its word is
 * used): a simulated mean agrees with a closed form within Z_TOL standard
 * errors; a measured gap ratio with the closed forms' within GAP_TOL of
 * it; curves of the polynomials' errors, drawn on a log scale, are read
 * to POLY_LOG_TOL decades; MNIST error curves to SIZE_TOL, WIDTH_TOL and
 * NOISY_TOL percentage points; gradient descent and ridge regression are
 * the same solution when within SAME_TOL of |beta_ols|, and their distance
 * matches its prediction within FORMULA_TOL of it; a training error that
 * rose by at most RISE_TOL is rounding; a network whose mean training
 * error is at most FIT_TOL percentage points at every data size fits its
 * training sets. */
static const double Z_TOL = 4.0, GAP_TOL = 0.1, POLY_LOG_TOL = 0.1, SIZE_TOL = 0.5, WIDTH_TOL = 1.0,
                    NOISY_TOL = 2.0, SAME_TOL = 0.01, FORMULA_TOL = 1e-10, RISE_TOL = 1e-9,
                    FIT_TOL = 1.0;

/* The least-squares simulation is compared with the closed forms only for
 * n at least Z_GAP away from d: nearer, the expected errors are infinite
 * or their spread so large that a mean of the draws says little. */
enum { Z_GAP = 10 };

typedef struct {
    const char *data, *out;
    uint64_t seed;
    int seeds, trials, dim, poly_n, poly_max, poly_trials, noisy_n, noisy_epochs, patience, threads;
    double sigma, flip, mnist_epochs;
} Options;

static Options parse_command_line(int argc, char **argv)
{
    Options o = { .data = "data/mnist", .out = "ch06-results", .seed = 1, .seeds = 3,
                  .trials = 200, .dim = 40, .poly_n = 20, .poly_max = 60, .poly_trials = 200,
                  .noisy_n = 1000, .noisy_epochs = 60, .patience = 5, .threads = 1, .sigma = 0.5,
                  .flip = 0.2, .mnist_epochs = 1.0 };
    const Option table[] = {
        { "data", "DIR", OPT_STRING, &o.data, 0, 0, "the four MNIST IDX files" },
        { "seeds", "N", OPT_INT, &o.seeds, 1, MAX_SEEDS, "runs of each MNIST network" },
        { "trials", "N", OPT_INT, &o.trials, 2, 1000000, "least-squares problems drawn for each n" },
        { "dim", "D", OPT_INT, &o.dim, 2, 1000, "inputs of the least-squares problems" },
        { "sigma", "S", OPT_DOUBLE, &o.sigma, 0.0, 1e6, "standard deviation of their noise" },
        { "poly-n", "N", OPT_INT, &o.poly_n, 2, 10000, "points of each polynomial fit" },
        { "poly-max", "P", OPT_INT, &o.poly_max, 1, 1000, "the highest polynomial degree" },
        { "poly-trials", "N", OPT_INT, &o.poly_trials, 2, 1000000, "polynomial data sets drawn" },
        { "mnist-epochs", "F", OPT_DOUBLE, &o.mnist_epochs, 1e-6, 1.0,
          "the MNIST networks by size and width train this share\n"
          "of their epochs, at least one (a quick run)" },
        { "noisy-n", "N", OPT_INT, &o.noisy_n, 10, 100000, "training digits of the noisy-label run" },
        { "noisy-epochs", "N", OPT_INT, &o.noisy_epochs, 1, 100000, "its epochs" },
        { "flip", "P", OPT_DOUBLE, &o.flip, 0.0, 1.0, "the share of its labels replaced by another class" },
        { "patience", "N", OPT_INT, &o.patience, 1, 100000, "epochs without a new best before stopping" },
        { "threads", "N", OPT_INT, &o.threads, 1, 256, "BLAS threads; the results depend on it" },
        { "seed", "N", OPT_U64, &o.seed, 0, 0, "seed for every draw, weight and shuffle" },
        { "out", "DIR", OPT_STRING, &o.out, 0, 0,
          "where to write the results (make passes\n"
          "build/results/ch06, which it owns)" },
        { 0 },
    };
    parse_options(argc, argv, table,
                  "Measure training and test error against data size, model complexity and\n"
                  "training time: least squares against its closed forms, minimum-norm least\n"
                  "squares and polynomials across the interpolation threshold, the chapter 05\n"
                  "network by data size and width, early stopping on noisy labels, gradient\n"
                  "descent beside ridge regression.  Writes chapter 06's results.");
    return o;
}

static ResultFile open_result(const Options *o, const char *name)
{
    ResultFile rf;
    if (results_open(&rf, o->out, name) != 0)
        exit(1);
    return rf;
}

static void close_result(ResultFile *rf)
{
    if (results_close(rf) != 0)
        exit(1);
}

/* A unit vector of d inputs: beta = (1, ..., 1) / sqrt(d). */
static double *unit_beta(int d)
{
    double *beta = malloc(sizeof(double) * (size_t)d);
    if (!beta)
        exit(1);
    for (int j = 0; j < d; j++)
        beta[j] = 1.0 / sqrt(d);
    return beta;
}

/* Experiment 1: least squares with d Gaussian inputs for n = 2..4d: the
 * mean test and training error over o->trials draws against the closed
 * forms.  Numbers: ch06.ls.{d,sigma2,trials} and
 *   .zmax     the largest |simulated - closed form| / standard error, for
 *             n at least Z_GAP (.zgap) away from d (where the expectations
 *             are finite and the spread moderate);
 *   .mnfirst, .mnlow, .mnlowat, .mnlast, .mnlastat   the minimum-norm
 *             closed form (eq:ch06-minnorm) at n = 2, its lowest value and
 *             where, and its value at the largest n below d - 1;
 *   .peak     the n of the largest mean test error; .peaktest that error;
 *   .test4d, .train4d   the mean test and training error at n = 4d;
 *   .gapratio the ratio of the mean gaps at n = 2d and 4d;
 *   .fell, .steps   how often one growing sample's training error fell from
 *             n to n + 1, out of how many steps with n >= d.
 * Verdicts: .closedform, whether .zmax (which also counts the training
 * error, for n >= d + Z_GAP) is within Z_TOL (.ztol); .mnshape, the shape
 * of the minimum-norm closed form over n = 2 .. d - 2 (FALL_RISE_RULE, no
 * tolerance: the formula is exact); .peakatd, whether the
 * peak is within 1 of d; .gapratioagree, whether .gapratio is within
 * GAP_TOL (.gaptol, percent) of the closed forms' (.gapratioclosed). */
static void least_squares_by_size(const Options *o, Numbers *nb)
{
    int d = o->dim, n_max = 4 * d;
    double s2 = o->sigma * o->sigma, *beta = unit_beta(d);
    double *test = malloc(sizeof(double) * (size_t)o->trials), *train = malloc(sizeof(double) * (size_t)o->trials);
    if (!test || !train)
        exit(1);
    Rng rng;
    rng_seed(&rng, o->seed);
    ResultFile rf = open_result(o, "ls_size.dat");
    fprintf(rf.fp, "# n, mean test error, its standard error, mean training error, closed forms: "
            "test (n > d + 1), minimum-norm test (n < d - 1), training (n >= d); NaN where undefined\n");
    double zmax = 0.0, peak = 0.0, gap2d = 0.0, gap4d = 0.0, test4d = 0.0, train4d = 0.0;
    int peak_n = 0;
    for (int n = 2; n <= n_max; n++) {
        for (int t = 0; t < o->trials; t++) {
            test[t] = least_squares_trial(&rng, n, d, beta, o->sigma, &train[t]);
            if (isnan(test[t]))
                exit(1);
        }
        Summary te = summarize(test, o->trials), tr = summarize(train, o->trials);
        double se = te.sd / sqrt(o->trials);
        double ols = ols_expected_test_error(n, d, s2), mn = minnorm_expected_test_error(n, d, s2, 1.0);
        double closed = isfinite(ols) ? ols : mn;
        if (abs(n - d) >= Z_GAP && isfinite(closed))
            zmax = fmax(zmax, fabs(te.mean - closed) / se);
        if (n >= d + Z_GAP)
            zmax = fmax(zmax, fabs(tr.mean - ols_expected_train_error(n, d, s2)) / (tr.sd / sqrt(o->trials)));
        if (te.mean > peak) {
            peak = te.mean;
            peak_n = n;
        }
        if (n == 2 * d)
            gap2d = te.mean - tr.mean;
        if (n == n_max) {
            gap4d = te.mean - tr.mean;
            test4d = te.mean;
            train4d = tr.mean;
        }
        fprintf(rf.fp, "%d %.6e %.6e %.6e %.6e %.6e %.6e\n", n, te.mean, se, tr.mean,
                isfinite(ols) ? ols : NAN, isfinite(mn) ? mn : NAN,
                n >= d ? ols_expected_train_error(n, d, s2) : NAN);
    }
    close_result(&rf);
    double *nested = malloc(sizeof(double) * (size_t)n_max);
    if (!nested || nested_training_errors(&rng, n_max, d, beta, o->sigma, nested) != 0)
        exit(1);
    int fell = 0, steps = 0;
    for (int n = d + 1; n < n_max; n++, steps++)     /* from n to n + 1, both above d */
        fell += nested[n] < nested[n - 1];
    printf("least squares, d = %d: simulation within %.1f standard errors of the closed forms; "
           "peak test error %.3g at n = %d; gap %.4f at n = 2d, %.4f at n = 4d; training error "
           "fell at %d of %d steps\n", d, zmax, peak, peak_n, gap2d, gap4d, fell, steps);
    numbers_put(nb, "ch06.ls.d", "%d", d);
    numbers_put(nb, "ch06.ls.sigma2", "%.2f", s2);
    numbers_put(nb, "ch06.ls.trials", "%d", o->trials);
    numbers_put(nb, "ch06.ls.zmax", "%.1f", zmax);
    numbers_put(nb, "ch06.ls.ztol", "%.0f", Z_TOL);
    numbers_put(nb, "ch06.ls.zgap", "%d", Z_GAP);
    /* the minimum-norm closed form below the threshold: n = 2 .. d - 2 */
    if (d >= 4) {
        int count = d - 3, low = 0;
        double *mn = malloc(sizeof(double) * (size_t)count);
        if (!mn)
            exit(1);
        for (int i = 0; i < count; i++) {
            mn[i] = minnorm_expected_test_error(i + 2, d, s2, 1.0);
            if (mn[i] < mn[low])
                low = i;
        }
        numbers_put(nb, "ch06.ls.mnfirst", "%.3f", mn[0]);
        numbers_put(nb, "ch06.ls.mnlow", "%.3f", mn[low]);
        numbers_put(nb, "ch06.ls.mnlowat", "%d", low + 2);
        numbers_put(nb, "ch06.ls.mnlast", "%.1f", mn[count - 1]);
        numbers_put(nb, "ch06.ls.mnlastat", "%d", d - 2);
        verdict_put(nb, "ch06.ls.mnshape", &FALL_RISE_RULE, fall_rise_verdict(mn, count, 0.0));
        free(mn);
    }
    verdict_put(nb, "ch06.ls.closedform", &AGREE_RULE, agree_verdict(zmax, 0.0, Z_TOL));
    numbers_put(nb, "ch06.ls.peak", "%d", peak_n);
    verdict_put(nb, "ch06.ls.peakatd", &YESNO_RULE, yesno_verdict(abs(peak_n - d) <= 1));
    numbers_put_sci(nb, "ch06.ls.peaktest", peak);
    numbers_put(nb, "ch06.ls.test4d", "%.3f", test4d);
    numbers_put(nb, "ch06.ls.train4d", "%.3f", train4d);
    numbers_put(nb, "ch06.ls.gapratio", "%.2f", gap2d / gap4d);
    double gap_closed = (ols_expected_test_error(2 * d, d, s2) - ols_expected_train_error(2 * d, d, s2)) /
                        (ols_expected_test_error(4 * d, d, s2) - ols_expected_train_error(4 * d, d, s2));
    numbers_put(nb, "ch06.ls.gapratioclosed", "%.2f", gap_closed);
    numbers_put(nb, "ch06.ls.gaptol", "%.0f", 100 * GAP_TOL);
    verdict_put(nb, "ch06.ls.gapratioagree", &AGREE_RULE, agree_verdict(gap2d / gap4d, gap_closed, GAP_TOL * gap_closed));
    numbers_put(nb, "ch06.ls.fell", "%d", fell);
    numbers_put(nb, "ch06.ls.steps", "%d", steps);
    free(nested);
    free(beta);
    free(test);
    free(train);
}

/* Experiment 1b: the closed forms (eq:ch06-ols, eq:ch06-ols-train)
 * evaluated at a few small d for n = 20 beside the means of SMALL_TRIALS
 * draws.  Writes ls_small.tex, a row per d: the expected test error, the
 * simulated mean and its standard error, the same for the training error.
 * Numbers: ch06.small.{n,trials}; the verdict ch06.small.agree, whether
 * every simulated mean lies within Z_TOL standard errors of its closed
 * form. */
static void least_squares_small_d(const Options *o, Numbers *nb)
{
    enum { N = 20, SMALL_TRIALS = 4000 };
    static const int DS[] = { 1, 2, 5, 10 };
    double s2 = o->sigma * o->sigma, test[SMALL_TRIALS], train[SMALL_TRIALS];
    Rng rng;
    rng_seed(&rng, o->seed + 3);
    ResultFile rf = open_result(o, "ls_small.tex");
    double zmax = 0.0;
    for (size_t i = 0; i < sizeof DS / sizeof DS[0]; i++) {
        int d = DS[i];
        double *beta = unit_beta(d);
        for (int t = 0; t < SMALL_TRIALS; t++) {
            test[t] = least_squares_trial(&rng, N, d, beta, o->sigma, &train[t]);
            if (isnan(test[t]))
                exit(1);
        }
        Summary te = summarize(test, SMALL_TRIALS), tr = summarize(train, SMALL_TRIALS);
        double se_te = te.sd / sqrt(SMALL_TRIALS), se_tr = tr.sd / sqrt(SMALL_TRIALS);
        double want_te = ols_expected_test_error(N, d, s2), want_tr = ols_expected_train_error(N, d, s2);
        zmax = fmax(zmax, fmax(fabs(te.mean - want_te) / se_te, fabs(tr.mean - want_tr) / se_tr));
        fprintf(rf.fp, "%d & %.4f & $%.4f \\pm %.4f$ & %.4f & $%.4f \\pm %.4f$ \\\\\n", d, want_te,
                te.mean, se_te, want_tr, tr.mean, se_tr);
        printf("least squares, n = %d, d = %2d: test error %.4f (closed form %.4f), training error "
               "%.4f (closed form %.4f)\n", N, d, te.mean, want_te, tr.mean, want_tr);
        free(beta);
    }
    close_result(&rf);
    numbers_put(nb, "ch06.small.n", "%d", N);
    numbers_put_count(nb, "ch06.small.trials", SMALL_TRIALS);
    verdict_put(nb, "ch06.small.agree", &AGREE_RULE, agree_verdict(zmax, 0.0, Z_TOL));
}

enum { GRID = 200 };
static const double POLY_SIGMA = 0.3;

/* The polynomial experiment's target. */
static double target(double x)
{
    return sin(M_PI * x);
}

/* The fit of degree p (minimum norm) to n points (x, y): its coefficients
 * c[0..p], and its training error. */
static double polynomial_fit(int n, const double *x, const double *y, int p, double *c)
{
    double *Phi = malloc(sizeof(double) * (size_t)n * (size_t)(p + 1));
    if (!Phi)
        exit(1);
    for (int i = 0; i < n; i++)
        legendre_features(x[i], p, Phi + (long)i * (p + 1));
    if (least_squares(n, p + 1, Phi, y, c) != 0)
        exit(1);
    double train = 0.0;
    for (int i = 0; i < n; i++) {
        double fit = 0.0;
        for (int k = 0; k <= p; k++)
            fit += Phi[(long)i * (p + 1) + k] * c[k];
        train += (fit - y[i]) * (fit - y[i]) / n;
    }
    free(Phi);
    return train;
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The q-quantile of v[0..n) (sorted in place), by linear interpolation. */
static double quantile(double *v, int n, double q)
{
    qsort(v, (size_t)n, sizeof *v, compare_doubles);
    double pos = q * (n - 1);
    int lo = (int)pos;
    return lo + 1 < n ? v[lo] + (pos - lo) * (v[lo + 1] - v[lo]) : v[n - 1];
}

/* Experiment 2: polynomials of degree 0..P fitted (minimum norm) to n
 * noisy points of sin(pi x), over many draws.  Writes poly.dat: degree,
 * mean training error, median test error and its quartiles, mean test
 * error, squared bias, variance.  Numbers: ch06.poly.{n,trials,sigma2,max}
 * and
 *   .best, .bestmedian    the degree below the threshold with the lowest
 *                         median test error, and that error;
 *   .peakmedian           the median test error at degree n - 1, the
 *                         interpolation threshold;
 *   .lastmedian           the median at degree P (the degree above the
 *                         threshold with the lowest median is compared
 *                         with the best in the verdicts below);
 *   .rise                 the largest rise of one draw's training error
 *                         from one degree to the next;
 *   .flipped              the percentage of fits below the threshold whose
 *                         test error was below their training error;
 *   .identity             the largest relative difference between the mean
 *                         test error and bias^2 + variance + sigma^2;
 *   .interptrain          the largest mean training error from degree n - 1 on;
 *   .deg1, .deg2          the median test error at degrees 1 and 2 (and
 *                         the verdict .deg1below: is the first lower);
 *   .lowest               the degree of the lowest median test error.
 * Verdicts, on the median test error read to POLY_LOG_TOL decades
 * (.logtol, a factor .logtolfactor) as the figure draws it: .minima (over
 * all degrees), .edgefalling (still falling at degree P), .beyondshape
 * (monotone from degree n - 1 on), .secondlower (is the lowest beyond the
 * threshold below the lowest before it); .riserounding (.rise at most
 * RISE_TOL, .risetol); .meanorder (the mean test error above the mean
 * training error at every degree); .gapbeyond (the mean gap, monotone from
 * degree n - 1 on, to POLY_LOG_TOL decades). */
static void polynomials_by_degree(const Options *o, Numbers *nb)
{
    int n = o->poly_n, P = o->poly_max, T = o->poly_trials;
    double s2 = POLY_SIGMA * POLY_SIGMA;
    double *pred = malloc(sizeof(double) * (size_t)(P + 1) * (size_t)T * GRID);
    double *train = malloc(sizeof(double) * (size_t)(P + 1) * (size_t)T);
    double *test = malloc(sizeof(double) * (size_t)(P + 1) * (size_t)T);
    double *x = malloc(sizeof(double) * (size_t)n), *y = malloc(sizeof(double) * (size_t)n);
    double *c = malloc(sizeof(double) * (size_t)(P + 1)), *phi = malloc(sizeof(double) * (size_t)(P + 1));
    if (!pred || !train || !test || !x || !y || !c || !phi)
        exit(1);
    Rng rng;
    rng_seed(&rng, o->seed + 1);
    double rise = 0.0;
    long flipped = 0, below = 0;
    for (int t = 0; t < T; t++) {
        for (int i = 0; i < n; i++) {
            x[i] = rng_uniform_range(&rng, -1.0, 1.0);
            y[i] = target(x[i]) + POLY_SIGMA * rng_normal(&rng);
        }
        for (int p = 0; p <= P; p++) {
            long k = (long)p * T + t;
            train[k] = polynomial_fit(n, x, y, p, c);
            if (p > 0)
                rise = fmax(rise, train[k] - train[k - T]);
            test[k] = s2;              /* sigma^2 + the mean of (fit - target)^2 on [-1, 1] */
            for (int g = 0; g < GRID; g++) {
                double xg = -1.0 + (2.0 * g + 1.0) / GRID, fit = 0.0;
                legendre_features(xg, p, phi);
                for (int j = 0; j <= p; j++)
                    fit += phi[j] * c[j];
                pred[k * GRID + g] = fit;
                test[k] += (fit - target(xg)) * (fit - target(xg)) / GRID;
            }
            if (p < n - 1) {
                below++;
                flipped += test[k] < train[k];
            }
        }
    }
    ResultFile rf = open_result(o, "poly.dat");
    fprintf(rf.fp, "# degree, mean training error, median test error, its quartiles, mean test "
            "error, squared bias, variance\n");
    int best = 0, beyond = n - 1 < P ? n : P;
    double *med = malloc(sizeof(double) * (size_t)(P + 1)), identity = 0.0;
    double *logmed = malloc(sizeof(double) * (size_t)(P + 1)), *loggap = malloc(sizeof(double) * (size_t)(P + 1));
    double interp_train = 0.0;
    int mean_order = 1;
    if (!med || !logmed || !loggap)
        exit(1);
    for (int p = 0; p <= P; p++) {
        double bias2 = 0.0, var = 0.0;
        for (int g = 0; g < GRID; g++) {       /* over the draws, at each grid point */
            double xg = -1.0 + (2.0 * g + 1.0) / GRID, mean = 0.0, sq = 0.0;
            for (int t = 0; t < T; t++)
                mean += pred[((long)p * T + t) * GRID + g] / T;
            for (int t = 0; t < T; t++) {
                double dev = pred[((long)p * T + t) * GRID + g] - mean;
                sq += dev * dev / T;
            }
            bias2 += (mean - target(xg)) * (mean - target(xg)) / GRID;
            var += sq / GRID;
        }
        Summary tr = summarize(train + (long)p * T, T), te = summarize(test + (long)p * T, T);
        identity = fmax(identity, fabs(bias2 + var + s2 - te.mean) / te.mean);
        mean_order &= te.mean > tr.mean;
        loggap[p] = log10(te.mean - tr.mean);
        if (p >= n - 1)
            interp_train = fmax(interp_train, tr.mean);
        double *v = test + (long)p * T;
        double q1 = quantile(v, T, 0.25), q2 = quantile(v, T, 0.5), q3 = quantile(v, T, 0.75);
        med[p] = q2;
        logmed[p] = log10(q2);
        if (p < n - 1 && q2 < med[best])
            best = p;
        if (p > n - 1 && q2 < med[beyond])
            beyond = p;
        fprintf(rf.fp, "%d %.6e %.6e %.6e %.6e %.6e %.6e %.6e\n", p, tr.mean, q2, q1, q3, te.mean,
                bias2, var);
    }
    close_result(&rf);
    printf("polynomials, n = %d: best degree %d (median test error %.3f), %.3g at degree %d, "
           "best beyond %d (%.3f); training error rose by at most %.1e; %.1f%% of fits below the "
           "threshold tested better than they trained; bias-variance identity to %.1e\n", n, best,
           med[best], med[n - 1], n - 1, beyond, med[beyond], rise, 100.0 * flipped / below, identity);
    numbers_put(nb, "ch06.poly.n", "%d", n);
    numbers_put(nb, "ch06.poly.trials", "%d", T);
    numbers_put(nb, "ch06.poly.sigma2", "%.2f", s2);
    numbers_put(nb, "ch06.poly.max", "%d", P);
    numbers_put(nb, "ch06.poly.threshold", "%d", n - 1);
    numbers_put(nb, "ch06.poly.best", "%d", best);
    numbers_put(nb, "ch06.poly.bestmedian", "%.3f", med[best]);
    numbers_put_sci(nb, "ch06.poly.peakmedian", med[n - 1]);
    numbers_put(nb, "ch06.poly.lastmedian", "%.3f", med[P]);
    numbers_put_sci(nb, "ch06.poly.rise", rise);
    numbers_put(nb, "ch06.poly.flipped", "%.1f", 100.0 * flipped / below);
    numbers_put_sci(nb, "ch06.poly.identity", identity);
    /* The verdicts on the plotted curve (log scale), to POLY_LOG_TOL
     * decades: its minima over all degrees, whether it still falls at the
     * last degree, its shape beyond the threshold, and whether it gets
     * there below its first minimum. */
    int falling = 0, lowest = 0;
    for (int p = 1; p <= P; p++)
        if (med[p] < med[lowest])
            lowest = p;
    numbers_put(nb, "ch06.poly.logtol", "%.1f", POLY_LOG_TOL);
    numbers_put(nb, "ch06.poly.logtolfactor", "%.2f", pow(10.0, POLY_LOG_TOL));
    verdict_put(nb, "ch06.poly.minima", &MINIMA_RULE, minima_verdict(count_minima(logmed, P + 1, POLY_LOG_TOL, &falling)));
    verdict_put(nb, "ch06.poly.edgefalling", &YESNO_RULE, yesno_verdict(falling));
    numbers_put(nb, "ch06.poly.lowest", "%d", lowest);
    verdict_put(nb, "ch06.poly.beyondshape", &MONOTONE_RULE,
                monotone_verdict(logmed + (n - 1), P - (n - 1) + 1, POLY_LOG_TOL));
    verdict_put(nb, "ch06.poly.secondlower", &YESNO_RULE, yesno_verdict(med[beyond] < med[best]));
    if (P >= 2) {
        numbers_put(nb, "ch06.poly.deg1", "%.3f", med[1]);
        numbers_put(nb, "ch06.poly.deg2", "%.3f", med[2]);
        verdict_put(nb, "ch06.poly.deg1below", &YESNO_RULE, yesno_verdict(med[1] < med[2]));
    }
    numbers_put_sci(nb, "ch06.poly.risetol", RISE_TOL);
    verdict_put(nb, "ch06.poly.riserounding", &YESNO_RULE, yesno_verdict(rise <= RISE_TOL));
    numbers_put_sci(nb, "ch06.poly.interptrain", interp_train);
    verdict_put(nb, "ch06.poly.meanorder", &YESNO_RULE, yesno_verdict(mean_order));
    verdict_put(nb, "ch06.poly.gapbeyond", &MONOTONE_RULE,
                monotone_verdict(loggap + (n - 1), P - (n - 1) + 1, POLY_LOG_TOL));
    free(logmed);
    free(loggap);
    free(med);
    free(pred);
    free(train);
    free(test);
    free(x);
    free(y);
    free(c);
    free(phi);
}

/* Digits [first, first + count) of d: the pixels shared, the labels
 * copied so that they may be changed.  Free with free(view.y). */
static Dataset subset(const Dataset *d, int first, int count)
{
    Dataset v = *d;
    v.count = count;
    v.x = d->x + (long)first * d->dim;
    v.y = malloc((size_t)count);
    if (!v.y)
        exit(1);
    memcpy(v.y, d->y + first, (size_t)count);
    return v;
}

/* Mini-batch SGD for the given epochs, then the training and test error
 * rates (1 - accuracy). */
static void train_and_measure(Mlp32 *net, const Dataset *train, const Dataset *test, int epochs,
                              uint64_t seed, const char *name, double *train_err, double *test_err)
{
    TrainOptions t = { .epochs = epochs, .batch = 16, .lr = 0.5, .shuffle = 1, .seed = seed,
                       .name = name, .skip_evaluation = 1 };
    EpochStats *st = calloc((size_t)epochs, sizeof *st);
    TrainHistory h = { .epochs = st };
    double loss, acc;
    if (!st || train_network(net, train, test, &t, &h) != 0)
        exit(1);
    if (evaluate_network(net, train, 0, &loss, &acc) != 0)
        exit(1);
    *train_err = 1.0 - acc;
    if (evaluate_network(net, test, 0, &loss, &acc) != 0)
        exit(1);
    *test_err = 1.0 - acc;
    free(st);
}

/* The epochs of an MNIST network by size or width: the chapter's, or the
 * share --mnist-epochs of them for a quick run (the tests'), at least one. */
static int scaled_epochs(const Options *o, int epochs)
{
    int scaled = (int)lround(o->mnist_epochs * epochs);
    return scaled > 1 ? scaled : 1;
}

/* One row of a seeds table: x, then mean, lowest and highest training
 * error and the same for test error, in percent. */
static void write_spread_row(FILE *fp, int x, const double *train, const double *test, int seeds)
{
    Summary tr = summarize(train, seeds), te = summarize(test, seeds);
    fprintf(fp, "%d %.4f %.4f %.4f %.4f %.4f %.4f\n", x, 100 * tr.mean, 100 * tr.min, 100 * tr.max,
            100 * te.mean, 100 * te.min, 100 * te.max);
}

/* Experiment 3: chapter 05's network on the first n training digits, for
 * n from 50 to all of them, o->seeds runs each: mini-batches of 16 with
 * rate 0.5 for max(20 epochs, 40,000 samples).  Writes mnist_size.dat.
 * Numbers: ch06.size.{small,large} (n at both ends), their mean test
 * errors .smalltest, .largetest, and the mean training errors .smalltrain,
 * .largetrain (in percent), the largest mean training error .maxtrain
 * (and the verdict .fitted: is it at most FIT_TOL points, .fittol);
 * the verdict .shape, the test error's monotony read to SIZE_TOL points
 * (.tol). */
static void mnist_by_size(const Options *o, const Dataset *train, const Dataset *test, Numbers *nb)
{
    static const int SIZES[] = { 50, 100, 200, 500, 1000, 2000, 4000, 8000 };
    ResultFile rf = open_result(o, "mnist_size.dat");
    fprintf(rf.fp, "# n, training error (mean, lowest, highest over %d seeds), test error (the "
            "same), in percent\n", o->seeds);
    int last_n = 0, count = 0;
    double ns[8], train_mean[8], test_mean[8];
    for (size_t i = 0; i < sizeof SIZES / sizeof SIZES[0]; i++) {
        int n = SIZES[i] < train->count ? SIZES[i] : train->count;
        if (n <= last_n)
            break;
        last_n = n;
        int epochs = scaled_epochs(o, 40000 / n > 20 ? 40000 / n : 20);
        double tr[MAX_SEEDS], te[MAX_SEEDS];
        for (int s = 0; s < o->seeds; s++) {
            char name[64];
            snprintf(name, sizeof name, "n = %d, seed %d", n, s + 1);
            Mlp32 net;
            Rng rng;
            rng_seed(&rng, o->seed + (uint64_t)s);
            if (mnist_network(&net, OUTPUT_SOFTMAX) != 0)
                exit(1);
            mlp32_init(&net, INIT_SCALED_NORMAL, &rng);
            Dataset part = subset(train, 0, n);
            train_and_measure(&net, &part, test, epochs, o->seed + (uint64_t)s, name, &tr[s], &te[s]);
            free(part.y);
            mlp32_free(&net);
        }
        write_spread_row(rf.fp, n, tr, te, o->seeds);
        ns[count] = n;
        train_mean[count] = 100 * summarize(tr, o->seeds).mean;
        test_mean[count] = 100 * summarize(te, o->seeds).mean;
        printf("MNIST, n = %4d: training error %5.2f%%, test error %5.2f%%\n", n, train_mean[count],
               test_mean[count]);
        count++;
    }
    int L = count - 1;
    double max_train = 0.0;
    for (int i = 0; i < count; i++)
        max_train = fmax(max_train, train_mean[i]);
    numbers_put(nb, "ch06.size.maxtrain", "%.1f", max_train);
    numbers_put(nb, "ch06.size.fittol", "%.0f", FIT_TOL);
    verdict_put(nb, "ch06.size.fitted", &YESNO_RULE, yesno_verdict(max_train <= FIT_TOL));
    numbers_put(nb, "ch06.size.tol", "%.1f", SIZE_TOL);
    verdict_put(nb, "ch06.size.shape", &MONOTONE_RULE, monotone_verdict(test_mean, count, SIZE_TOL));
    numbers_put_count(nb, "ch06.size.small", (long)ns[0]);
    numbers_put(nb, "ch06.size.smalltrain", "%.1f", train_mean[0]);
    numbers_put(nb, "ch06.size.smalltest", "%.1f", test_mean[0]);
    numbers_put_count(nb, "ch06.size.large", (long)ns[L]);
    numbers_put(nb, "ch06.size.largetrain", "%.1f", train_mean[L]);
    numbers_put(nb, "ch06.size.largetest", "%.1f", test_mean[L]);
    verdict_put(nb, "ch06.size.endsalike", &YESNO_RULE,
                yesno_verdict(same_when_printed(train_mean[0], train_mean[L], 1)));
    close_result(&rf);
}

/* Experiment 4: a network 784-H-10 (sigmoid) on the first 500 training
 * digits for widths H = 1 .. 256, o->seeds runs each, 100 epochs of
 * mini-batches.  Writes mnist_width.dat.  Numbers: ch06.width.n, and the
 * width with the lowest mean test error (.best), that error (.besttest),
 * and the widest network's mean training and test error (.widetrain,
 * .widetest) and width (.wide), in percent; .fits, the narrowest width
 * from which on every run fits its images exactly (verdict .fitted: is
 * there one); the verdict .level, whether the widest network's test error
 * is within WIDTH_TOL points (.tol) of the lowest. */
static void mnist_by_width(const Options *o, const Dataset *train, const Dataset *test, Numbers *nb)
{
    static const int WIDTHS[] = { 1, 2, 4, 8, 16, 32, 64, 128, 256 };
    enum { N_WIDTHS = sizeof WIDTHS / sizeof WIDTHS[0], WIDTH_N = 500 };
    int n = WIDTH_N < train->count ? WIDTH_N : train->count;
    Dataset part = subset(train, 0, n);
    ResultFile rf = open_result(o, "mnist_width.dat");
    fprintf(rf.fp, "# hidden width, training error (mean, lowest, highest over %d seeds), test "
            "error (the same), in percent; %d training digits\n", o->seeds, n);
    int best = 0;
    double test_mean[N_WIDTHS], train_mean[N_WIDTHS];
    for (int w = 0; w < N_WIDTHS; w++) {
        double tr[MAX_SEEDS], te[MAX_SEEDS];
        for (int s = 0; s < o->seeds; s++) {
            char name[64];
            snprintf(name, sizeof name, "width %d, seed %d", WIDTHS[w], s + 1);
            int sizes[3] = { train->dim, WIDTHS[w], MNIST_CLASSES };
            Mlp32 net;
            Rng rng;
            rng_seed(&rng, o->seed + (uint64_t)s);
            if (mlp32_create(&net, 2, sizes, ACT_SIGMOID, OUTPUT_SOFTMAX) != 0)
                exit(1);
            mlp32_init(&net, INIT_SCALED_NORMAL, &rng);
            train_and_measure(&net, &part, test, scaled_epochs(o, 100), o->seed + (uint64_t)s, name, &tr[s], &te[s]);
            mlp32_free(&net);
        }
        write_spread_row(rf.fp, WIDTHS[w], tr, te, o->seeds);
        train_mean[w] = 100 * summarize(tr, o->seeds).mean;
        test_mean[w] = 100 * summarize(te, o->seeds).mean;
        if (test_mean[w] < test_mean[best])
            best = w;
        printf("MNIST, width %3d: training error %5.2f%%, test error %5.2f%%\n", WIDTHS[w],
               train_mean[w], test_mean[w]);
    }
    close_result(&rf);
    numbers_put_count(nb, "ch06.width.n", n);
    numbers_put(nb, "ch06.width.best", "%d", WIDTHS[best]);
    numbers_put(nb, "ch06.width.besttest", "%.1f", test_mean[best]);
    numbers_put(nb, "ch06.width.wide", "%d", WIDTHS[N_WIDTHS - 1]);
    numbers_put(nb, "ch06.width.widetrain", "%.1f", train_mean[N_WIDTHS - 1]);
    numbers_put(nb, "ch06.width.widetest", "%.1f", test_mean[N_WIDTHS - 1]);
    int fits = N_WIDTHS;          /* the narrowest width from which on every run fits exactly */
    while (fits > 0 && train_mean[fits - 1] == 0.0)
        fits--;
    verdict_put(nb, "ch06.width.fitted", &YESNO_RULE, yesno_verdict(fits < N_WIDTHS));
    numbers_put(nb, "ch06.width.fits", "%d", WIDTHS[fits < N_WIDTHS ? fits : N_WIDTHS - 1]);
    numbers_put(nb, "ch06.width.tol", "%.0f", WIDTH_TOL);
    verdict_put(nb, "ch06.width.level", &AGREE_RULE,
                agree_verdict(test_mean[N_WIDTHS - 1], test_mean[best], WIDTH_TOL));
    free(part.y);
}

/* Replace a share flip of the labels by another class, chosen at random. */
static void flip_labels(Dataset *d, double flip, Rng *rng)
{
    for (int i = 0; i < d->count; i++)
        if (rng_uniform(rng) < flip)
            d->y[i] = (unsigned char)((d->y[i] + 1 + rng_below(rng, MNIST_CLASSES - 1)) % MNIST_CLASSES);
}

/* Experiment 5: chapter 05's network, per sample at rate 0.1, on
 * o->noisy_n digits with a share o->flip of the labels changed; a
 * validation set of as many other training digits with labels changed
 * alike; the clean test set.  Each run writes noisy_SEED.dat (epoch,
 * training error on the noisy labels, validation error, test error,
 * training loss, in percent but the loss); noisy_table.tex gets a row
 * per seed.  Numbers: ch06.noisy.{n,flip,epochs,patience}; for the first
 * seed .best and .stopped (epochs, from 1); over the seeds the mean test
 * accuracy at the best epoch (.besttest) and after the last (.lasttest);
 * .rises, the epochs of the first seed whose training loss rose, out of
 * .risesof, the epochs after the first;
 * .firstlasttrain and .lasttrain, the training error after the last epoch
 * of the first seed and the highest over the seeds.  Verdicts, on the
 * first seed read to NOISY_TOL points: .valshape and .testshape (does the
 * curve fall, then rise); .eagerearly, whether patience 1 keeps a worse
 * epoch (.eagerbest, its validation error .eagerval against .bestval);
 * over the seeds, .kept: the paired comparison of the test accuracy of the
 * kept weights with that after the last epoch (.keptdiff, .keptlow,
 * .kepthigh). */
static void noisy_labels(const Options *o, const Dataset *train, const Dataset *test, Numbers *nb)
{
    int n = o->noisy_n;
    if (2 * n > train->count)
        usage_error("ch06_overfitting", "--noisy-n %d needs %d training digits; there are %d", n,
                    2 * n, train->count);
    ResultFile table = open_result(o, "noisy_table.tex");
    double at_best[MAX_SEEDS], at_last[MAX_SEEDS], last_train[MAX_SEEDS];
    for (int s = 0; s < o->seeds; s++) {
        uint64_t seed = o->seed + (uint64_t)s;
        Rng rng;
        rng_seed(&rng, seed);
        Dataset tr = subset(train, 0, n), val = subset(train, train->count - n, n);
        flip_labels(&tr, o->flip, &rng);
        flip_labels(&val, o->flip, &rng);
        Mlp32 net;
        if (mnist_network(&net, OUTPUT_SOFTMAX) != 0)
            exit(1);
        mlp32_init(&net, INIT_SCALED_NORMAL, &rng);
        double *val_err = malloc(sizeof(double) * (size_t)o->noisy_epochs);
        double *test_acc = malloc(sizeof(double) * (size_t)o->noisy_epochs);
        double *test_err = malloc(sizeof(double) * (size_t)o->noisy_epochs);
        if (!val_err || !test_acc || !test_err)
            exit(1);
        char file[64], name[64];
        snprintf(file, sizeof file, "noisy_%d.dat", s + 1);
        snprintf(name, sizeof name, "noisy labels, seed %d", s + 1);
        ResultFile rf = open_result(o, file);
        fprintf(rf.fp, "# epoch, training error (noisy labels), validation error (noisy labels), "
                "test error, in percent; training loss\n");
        int rises = 0;
        double last_loss = INFINITY;
        for (int e = 0; e < o->noisy_epochs; e++) {   /* one epoch at a time, to validate each */
            TrainOptions t = { .epochs = 1, .batch = 1, .lr = 0.1, .shuffle = 1,
                               .seed = seed * 1000 + (uint64_t)e, .name = name, .skip_evaluation = 1 };
            EpochStats st;
            TrainHistory h = { .epochs = &st };
            double tl, ta, vl, va, xl, xa;
            if (train_network(&net, &tr, test, &t, &h) != 0 || evaluate_network(&net, &tr, 0, &tl, &ta) != 0 ||
                evaluate_network(&net, &val, 0, &vl, &va) != 0 || evaluate_network(&net, test, 0, &xl, &xa) != 0)
                exit(1);
            val_err[e] = 1.0 - va;
            test_acc[e] = xa;
            test_err[e] = 100 * (1 - xa);
            last_train[s] = 100 * (1 - ta);
            rises += tl > last_loss;
            last_loss = tl;
            fprintf(rf.fp, "%d %.4f %.4f %.4f %.6f\n", e + 1, 100 * (1 - ta), 100 * (1 - va), 100 * (1 - xa), tl);
        }
        close_result(&rf);
        EarlyStop es = early_stopping(val_err, o->noisy_epochs, o->patience);
        at_best[s] = 100 * test_acc[es.best];
        at_last[s] = 100 * test_acc[o->noisy_epochs - 1];
        fprintf(table.fp, "%d & %d & %d & %.1f & %.1f \\\\\n", s + 1, es.best + 1, es.stopped + 1,
                at_best[s], at_last[s]);
        printf("noisy labels, seed %d: best epoch %d, stopped after %d; test accuracy %.2f%% there, "
               "%.2f%% after %d epochs; training loss rose in %d epochs\n", s + 1, es.best + 1,
               es.stopped + 1, at_best[s], at_last[s], o->noisy_epochs, rises);
        if (s == 0) {
            numbers_put(nb, "ch06.noisy.best", "%d", es.best + 1);
            numbers_put(nb, "ch06.noisy.stopped", "%d", es.stopped + 1);
            numbers_put(nb, "ch06.noisy.rises", "%d", rises);
            numbers_put(nb, "ch06.noisy.risesof", "%d", o->noisy_epochs - 1);
            double val_pct[o->noisy_epochs];
            for (int e = 0; e < o->noisy_epochs; e++)
                val_pct[e] = 100 * val_err[e];
            verdict_put(nb, "ch06.noisy.valshape", &FALL_RISE_RULE, fall_rise_verdict(val_pct, o->noisy_epochs, NOISY_TOL));
            verdict_put(nb, "ch06.noisy.testshape", &FALL_RISE_RULE, fall_rise_verdict(test_err, o->noisy_epochs, NOISY_TOL));
            numbers_put(nb, "ch06.noisy.tol", "%.0f", NOISY_TOL);
            /* patience 1: stop at the first epoch without a new best */
            EarlyStop eager = early_stopping(val_err, o->noisy_epochs, 1);
            numbers_put(nb, "ch06.noisy.eagerbest", "%d", eager.best + 1);
            numbers_put(nb, "ch06.noisy.eagerval", "%.1f", 100 * val_err[eager.best]);
            numbers_put(nb, "ch06.noisy.bestval", "%.1f", 100 * val_err[es.best]);
            verdict_put(nb, "ch06.noisy.eagerearly", &YESNO_RULE, yesno_verdict(val_err[eager.best] > val_err[es.best]));
            ResultFile mark = open_result(o, "noisy_stop.dat");
            fprintf(mark.fp, "# the first seed's best epoch and its validation error (percent)\n"
                    "%d %.4f\n", es.best + 1, 100 * val_err[es.best]);
            close_result(&mark);
        }
        free(val_err);
        free(test_acc);
        free(test_err);
        free(tr.y);
        free(val.y);
        mlp32_free(&net);
    }
    close_result(&table);
    numbers_put_count(nb, "ch06.noisy.n", n);
    numbers_put(nb, "ch06.noisy.flip", "%.0f", 100 * o->flip);
    numbers_put(nb, "ch06.noisy.epochs", "%d", o->noisy_epochs);
    numbers_put(nb, "ch06.noisy.patience", "%d", o->patience);
    numbers_put(nb, "ch06.noisy.besttest", "%.1f", summarize(at_best, o->seeds).mean);
    numbers_put(nb, "ch06.noisy.lasttest", "%.1f", summarize(at_last, o->seeds).mean);
    numbers_put(nb, "ch06.noisy.lasttrain", "%.1f", summarize(last_train, o->seeds).max);
    numbers_put(nb, "ch06.noisy.firstlasttrain", "%.1f", last_train[0]);
    PairedDifference kept = { .n = o->seeds };
    if (o->seeds >= 2)
        kept = paired_difference(at_best, at_last, o->seeds);
    numbers_put(nb, "ch06.noisy.keptdiff", "%+.1f", kept.mean);
    numbers_put(nb, "ch06.noisy.keptlow", "%+.1f", kept.low);
    numbers_put(nb, "ch06.noisy.kepthigh", "%+.1f", kept.high);
    verdict_put(nb, "ch06.noisy.kept", &PAIRED_RULE, paired_verdict(kept));
}

/* Experiment 6: gradient descent on least squares (n = 100, d = 20, rate
 * 0.1) after t steps beside ridge regression with lambda = 1 / (eta t).
 * Writes ridge_gd.dat: t, |beta_gd - beta_ridge| / |beta_ols| computed and
 * predicted, and both test errors.  Numbers: ch06.ridge.{n,d,eta}; .maxdist
 * (the largest relative distance), .lastdist (at the largest t), .lastt,
 * and .predicted (the largest difference between the computed and the
 * predicted distance, relative to |beta_ols|); .maxt (the t of .maxdist);
 * .gapt, .gaptestgd, .gaptestridge (the t where the test errors differ
 * most, and both); .riskratio, .riskratiot, .riskratiomin (the largest
 * ratio of the expected risks of gradient descent and ridge, its t, and
 * the smallest), .bound (Ali et al.'s 1.69).  Verdicts: .same (the two
 * within SAME_TOL, .sametol, of |beta_ols| at every t), .formula (the
 * distance within FORMULA_TOL, .formulatol, of its prediction),
 * .withinbound (.riskratio at most the bound). */
static void gd_beside_ridge(const Options *o, Numbers *nb)
{
    enum { N = 100, D = 20 };
    static const long TIMES[] = { 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000 };
    const double eta = 0.1;
    double X[N * D], y[N], beta[D], ols[D], gd[D], ridge[D];
    Rng rng;
    rng_seed(&rng, o->seed + 2);
    for (int j = 0; j < D; j++)
        beta[j] = 1.0 / sqrt(D);
    for (int i = 0; i < N; i++) {
        y[i] = o->sigma * rng_normal(&rng);
        for (int j = 0; j < D; j++) {
            X[i * D + j] = rng_normal(&rng);
            y[i] += X[i * D + j] * beta[j];
        }
    }
    if (least_squares(N, D, X, y, ols) != 0)
        exit(1);
    double ols_norm = vec_norm(D, ols), maxdist = 0.0, lastdist = 0.0, worst = 0.0;
    double s2 = o->sigma * o->sigma, max_ratio = 0.0, min_ratio = INFINITY, worst_gap = -1.0;
    double gap_gd = 0.0, gap_ridge = 0.0;
    long max_t = 0, ratio_t = 0, gap_t = 0;
    ResultFile rf = open_result(o, "ridge_gd.dat");
    fprintf(rf.fp, "# steps t, |beta_gd(t) - beta_ridge(1/(eta t))| / |beta_ols|, the same "
            "predicted, test error of gradient descent, of ridge\n");
    for (size_t k = 0; k < sizeof TIMES / sizeof TIMES[0]; k++) {
        long t = TIMES[k];
        double lambda = 1.0 / (eta * t), diff[D];
        least_squares_gd(N, D, X, y, eta, t, gd);
        if (ridge_solution(N, D, X, y, lambda, ridge) != 0)
            exit(1);
        double test_gd = o->sigma * o->sigma, test_ridge = test_gd;
        for (int j = 0; j < D; j++) {
            diff[j] = gd[j] - ridge[j];
            test_gd += (gd[j] - beta[j]) * (gd[j] - beta[j]);
            test_ridge += (ridge[j] - beta[j]) * (ridge[j] - beta[j]);
        }
        double dist = vec_norm(D, diff) / ols_norm;
        double predicted = predicted_gd_ridge_distance(N, D, X, y, eta, t, lambda) / ols_norm;
        worst = fmax(worst, fabs(dist - predicted));
        if (dist > maxdist) {
            maxdist = dist;
            max_t = t;
        }
        if (fabs(test_gd - test_ridge) > worst_gap) {
            worst_gap = fabs(test_gd - test_ridge);
            gap_t = t;
            gap_gd = test_gd;
            gap_ridge = test_ridge;
        }
        /* the expected risks over the noise, X fixed: what Ali et al. bound */
        double risk_gd, risk_ridge;
        if (gd_ridge_expected_risks(N, D, X, beta, s2, eta, t, lambda, &risk_gd, &risk_ridge) != 0)
            exit(1);
        if (risk_gd / risk_ridge > max_ratio) {
            max_ratio = risk_gd / risk_ridge;
            ratio_t = t;
        }
        min_ratio = fmin(min_ratio, risk_gd / risk_ridge);
        lastdist = dist;
        fprintf(rf.fp, "%ld %.6e %.6e %.6e %.6e\n", t, dist, predicted, test_gd, test_ridge);
    }
    close_result(&rf);
    long last_t = TIMES[sizeof TIMES / sizeof TIMES[0] - 1];
    printf("gradient descent beside ridge: relative distance at most %.3f, %.1e after %ld steps; "
           "prediction to %.1e\n", maxdist, lastdist, last_t, worst);
    numbers_put(nb, "ch06.ridge.n", "%d", N);
    numbers_put(nb, "ch06.ridge.d", "%d", D);
    numbers_put(nb, "ch06.ridge.eta", "%g", eta);
    numbers_put(nb, "ch06.ridge.maxdist", "%.2f", maxdist);
    numbers_put_sci(nb, "ch06.ridge.lastdist", lastdist);
    numbers_put_count(nb, "ch06.ridge.lastt", last_t);
    numbers_put_sci(nb, "ch06.ridge.predicted", worst);
    numbers_put_count(nb, "ch06.ridge.maxt", max_t);
    numbers_put(nb, "ch06.ridge.sametol", "%.2f", SAME_TOL);
    verdict_put(nb, "ch06.ridge.same", &AGREE_RULE, agree_verdict(maxdist, 0.0, SAME_TOL));
    numbers_put_sci(nb, "ch06.ridge.formulatol", FORMULA_TOL);
    verdict_put(nb, "ch06.ridge.formula", &AGREE_RULE, agree_verdict(worst, 0.0, FORMULA_TOL));
    numbers_put_count(nb, "ch06.ridge.gapt", gap_t);
    numbers_put(nb, "ch06.ridge.gaptestgd", "%.3f", gap_gd);
    numbers_put(nb, "ch06.ridge.gaptestridge", "%.3f", gap_ridge);
    numbers_put(nb, "ch06.ridge.riskratio", "%.2f", max_ratio);
    numbers_put_count(nb, "ch06.ridge.riskratiot", ratio_t);
    numbers_put(nb, "ch06.ridge.riskratiomin", "%.2f", min_ratio);
    numbers_put(nb, "ch06.ridge.bound", "%.2f", ALI_RISK_BOUND);
    verdict_put(nb, "ch06.ridge.withinbound", &YESNO_RULE, yesno_verdict(max_ratio <= ALI_RISK_BOUND));
}

/* Experiment 7: gradient descent on f(w) = w^T A w / 2 with A =
 * diag(1, 0.1, 0.01) (L = 1) from w0 = (0.01, 1, 1), with rates just
 * below and just above 2/L.  Writes quadratic.dat: step, f for each rate.
 * Numbers: ch06.quad.{below,above} (the rates), .start, and for the rate
 * above .low (its lowest f), .lowstep (when) and .end (f at the last
 * step), .steps; .belowend (f at the last step for the rate below). */
static void step_too_large(const Options *o, Numbers *nb)
{
    enum { STEPS = 150 };
    (void)o;
    const double A[9] = { 1, 0, 0, 0, 0.1, 0, 0, 0, 0.01 }, w0[3] = { 0.01, 1, 1 };
    const double below = 1.9, above = 2.05;
    double f_below[STEPS], f_above[STEPS];
    quadratic_gd(3, A, w0, below, STEPS, f_below);
    quadratic_gd(3, A, w0, above, STEPS, f_above);
    double start = 0.5 * (w0[0] * w0[0] * A[0] + w0[1] * w0[1] * A[4] + w0[2] * w0[2] * A[8]);
    int low = 0;
    for (int s = 1; s < STEPS; s++)
        if (f_above[s] < f_above[low])
            low = s;
    ResultFile rf = open_result(o, "quadratic.dat");
    fprintf(rf.fp, "# step, f with rate %g, f with rate %g (2/L = 2)\n0 %.6e %.6e\n", below, above,
            start, start);
    for (int s = 0; s < STEPS; s++)
        fprintf(rf.fp, "%d %.6e %.6e\n", s + 1, f_below[s], f_above[s]);
    close_result(&rf);
    printf("gradient descent on a quadratic: rate %g ends at %.2e; rate %g falls to %.2e at step %d, "
           "then grows to %.2e\n", below, f_below[STEPS - 1], above, f_above[low], low + 1,
           f_above[STEPS - 1]);
    numbers_put(nb, "ch06.quad.below", "%g", below);
    numbers_put(nb, "ch06.quad.above", "%g", above);
    numbers_put(nb, "ch06.quad.start", "%.3f", start);
    numbers_put_sci(nb, "ch06.quad.low", f_above[low]);
    numbers_put(nb, "ch06.quad.lowstep", "%d", low + 1);
    numbers_put(nb, "ch06.quad.end", "%.0f", f_above[STEPS - 1]);
    numbers_put(nb, "ch06.quad.steps", "%d", STEPS);
    numbers_put_sci(nb, "ch06.quad.belowend", f_below[STEPS - 1]);
}

int main(int argc, char **argv)
{
    Options o = parse_command_line(argc, argv);
    blas_set_threads(o.threads);
    Dataset train, test;
    if (mnist_load(o.data, &train, &test) != 0)
        return 1;
    Numbers nb;
    if (make_directories(o.out) != 0 || numbers_open(&nb, o.out) != 0)
        return 1;
    least_squares_by_size(&o, &nb);
    least_squares_small_d(&o, &nb);
    polynomials_by_degree(&o, &nb);
    gd_beside_ridge(&o, &nb);
    step_too_large(&o, &nb);
    mnist_by_size(&o, &train, &test, &nb);
    mnist_by_width(&o, &train, &test, &nb);
    noisy_labels(&o, &train, &test, &nb);
    numbers_put(&nb, "ch06.seeds", "%d", o.seeds);
    dataset_free(&train);
    dataset_free(&test);
    return numbers_close(&nb) != 0;
}
