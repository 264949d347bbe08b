/* ch04_product_feature - labels drawn from sigmoid(beta0 + beta1 x1 x2) on
 * [-2, 2]^2; logistic regression, the product-unit network, the square
 * network and ReLU networks of several widths fitted by gradient descent;
 * the Bayes rate; the ReLU network built to approximate x1 x2 and its
 * error; writes chapter 04's data and numbers.  See --help. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ch04_product_feature.h"
#include "lib/cli.h"
#include "lib/fdiff.h"
#include "lib/results.h"
#include "lib/rng.h"

/* The widths of the ReLU sweep; the last is the one drawn. */
static const int WIDTHS[] = { 2, 4, 8, 16, 32 };
enum { N_WIDTHS = sizeof WIDTHS / sizeof WIDTHS[0] };
/* The construction's pieces k (H = 2k units) for the error figure. */
enum { MAX_PIECES = 64, ERROR_GRID = 512 };
/* Accuracies for which the text quotes the units needed. */
static const double EPSILONS[] = { 0.1, 0.01, 0.001 };
enum { N_EPSILONS = sizeof EPSILONS / sizeof EPSILONS[0] };
/* Grids of the expectations (midpoint rule) and of the figures. */
enum { BAYES_GRID = 2000, FISHER_GRID = 1000, PLANE_GRID = 100, PLOTTED_POINTS = 400 };
/* The test of chapter 04 fits this many points (check_ch04_product_feature.c). */
enum { LARGE_SAMPLE = 20000 };

typedef struct {
    uint64_t seed;
    int train, test, starts;
    double beta0, beta1;
    const char *out;
} Options;

/* How each model is fitted: full-batch gradient descent with this rate
 * and number of steps, from `starts` random starts (logistic regression's
 * loss is convex: one start). */
typedef struct {
    const char *key, *name;
    Model model;
    double lr;
    int steps;
} Fit;

static const int STEPS = 3000;
static const double FD_STEP = 1e-6;

static void print_help(const char *prog)
{
    printf("Usage: %s [OPTION]...\n"
           "Draw points uniform on [-2, 2]^2 with labels from sigmoid(beta0 + beta1 x1 x2); fit\n"
           "logistic regression, the product-unit network, the square network and ReLU\n"
           "networks of 2, 4, 8, 16 and 32 units by gradient descent on the log-loss; compare\n"
           "their test accuracy and log-loss with the Bayes rate; build a ReLU network for\n"
           "x1 x2 and measure its error; write chapter 04's results.\n\n"
           "  --train N     training points (default 2000)\n"
           "  --test N      test points (default 20000)\n"
           "  --starts N    random starts per network, the best by training loss kept\n"
           "                (default 4)\n"
           "  --beta0 B     the true intercept (default 0.5)\n"
           "  --beta1 B     the true coefficient of x1 x2 (default 2)\n"
           "  --seed N      seed for the data and the starting weights (default 1)\n"
           "  --out DIR     where to write the results (default build/results/ch04)\n"
           "  --help        show this help and exit\n",
           prog);
}

static Options parse_options(int argc, char **argv)
{
    Options o = { .seed = 1, .train = 2000, .test = 20000, .starts = 4,
                  .beta0 = 0.5, .beta1 = 2.0, .out = "build/results/ch04" };
    static const struct option longopts[] = {
        { "train", required_argument, NULL, 'n' }, { "test", required_argument, NULL, 't' },
        { "starts", required_argument, NULL, 'r' }, { "beta0", required_argument, NULL, 'a' },
        { "beta1", required_argument, NULL, 'b' }, { "seed", required_argument, NULL, 's' },
        { "out", required_argument, NULL, 'o' }, { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    int c;
    opterr = 0;
    /* The leading ':' makes getopt_long return ':' for a missing value. */
    while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
        int bad = 0;
        switch (c) {
        case 'n': bad = parse_int("--train", optarg, 10, 10000000, &o.train); break;
        case 't': bad = parse_int("--test", optarg, 10, 10000000, &o.test); break;
        case 'r': bad = parse_int("--starts", optarg, 1, 1000, &o.starts); break;
        case 'a': bad = parse_double("--beta0", optarg, -20.0, 20.0, &o.beta0); break;
        case 'b': bad = parse_double("--beta1", optarg, -20.0, 20.0, &o.beta1); break;
        case 's': bad = parse_u64("--seed", optarg, &o.seed); break;
        case 'o': o.out = optarg; break;
        case 'h': print_help(argv[0]); exit(0);
        default: reject_option(argv, c);
        }
        if (bad)
            usage_error(argv[0], "bad value for an option");
    }
    finish_options(argc, argv, o.out);
    return o;
}

static double *new_params(Model m)
{
    double *theta = malloc(sizeof(double) * (size_t)model_param_count(m));
    if (!theta)
        abort();
    return theta;
}

/* The square network found x1 x2 when its quadratic form in x,
 * [[gamma1, beta1/2], [beta1/2, gamma2]], is indefinite, as 4 x1 x2 is;
 * a semidefinite form is one square, or two of the same sign. */
static int square_is_indefinite(const double *theta)
{
    double c[6];
    square_coefficients(theta, c);
    return c[2] * c[3] - c[1] * c[1] / 4.0 < 0.0;
}

/* Fit from `starts` random starts and keep the lowest training loss.
 * reached: how many starts ended within 1e-3 of that loss; indefinite:
 * how many ended with an indefinite form (the square network only). */
typedef struct {
    int reached, indefinite;
} StartCounts;

static double *fit_best(const Fit *f, const Sample *train, int starts, Rng *rng, StartCounts *counts)
{
    int P = model_param_count(f->model);
    double *best = new_params(f->model), *theta = new_params(f->model), best_loss = INFINITY;
    double *losses = malloc(sizeof(double) * (size_t)starts);
    if (!losses)
        abort();
    counts->reached = counts->indefinite = 0;
    for (int r = 0; r < starts; r++) {
        model_init_random(f->model, theta, rng);
        gradient_descent(f->model, theta, train, f->lr, f->steps);
        losses[r] = log_loss(f->model, theta, train);
        if (f->model.kind == MODEL_SQUARE)
            counts->indefinite += square_is_indefinite(theta);
        if (losses[r] < best_loss) {
            best_loss = losses[r];
            memcpy(best, theta, sizeof(double) * (size_t)P);
        }
    }
    for (int r = 0; r < starts; r++)
        counts->reached += losses[r] <= best_loss + 1e-3;
    free(losses);
    free(theta);
    return best;
}

/* The largest relative error of each model's gradient against central
 * differences, on a small batch, away from the ReLU kinks. */
typedef struct {
    Model m;
    const Sample *s;
} LossAt;

static double loss_of(const double *theta, void *ctx)
{
    const LossAt *at = ctx;
    return log_loss(at->m, theta, at->s);
}

static double gradient_check(Model m, Rng *rng, double beta0, double beta1)
{
    Sample s;
    if (sample_draw(&s, 20, beta0, beta1, rng) != 0)
        abort();
    int P = model_param_count(m);
    double *theta = new_params(m), *g = new_params(m), *fd = new_params(m);
    model_init_random(m, theta, rng);
    log_loss_gradient(m, theta, &s, g);
    LossAt at = { m, &s };
    fd_gradient(loss_of, theta, P, FD_STEP, &at, fd);
    double err = vector_relative_error(g, fd, P, 1e-12);
    free(theta);
    free(g);
    free(fd);
    sample_free(&s);
    return err;
}

/* The predicted probability on a grid of the plane, one gnuplot block per
 * model. */
static int write_planes(const char *dir, const Fit *fits, double *const *thetas, int n)
{
    ResultFile rf;
    if (results_open(&rf, dir, "planes.dat") != 0)
        return -1;
    for (int k = 0; k < n; k++) {
        double *cache = malloc(sizeof(double) * (size_t)model_cache_size(fits[k].model));
        if (!cache)
            abort();
        fprintf(rf.fp, "# block %d: %s; x1 x2 P(y = 1 | x)\n", k, fits[k].name);
        for (int i = 0; i <= PLANE_GRID; i++) {
            for (int j = 0; j <= PLANE_GRID; j++) {
                double x[2] = { -2.0 + 4.0 * i / PLANE_GRID, -2.0 + 4.0 * j / PLANE_GRID };
                double p = sigmoid(model_forward(fits[k].model, thetas[k], x, cache));
                fprintf(rf.fp, "%.2f %.2f %.5f\n", x[0] + 0.0, x[1] + 0.0, p);
            }
            fputc('\n', rf.fp);
        }
        fputs("\n", rf.fp);
        free(cache);
    }
    return results_close(&rf);
}

/* The first training points (x1 x2 y), and the Bayes boundary
 * x1 x2 = -beta0 / beta1, its two branches in two blocks. */
static int write_points_and_boundary(const char *dir, const Sample *train, double beta0, double beta1)
{
    ResultFile rf;
    if (results_open(&rf, dir, "points.dat") != 0)
        return -1;
    fprintf(rf.fp, "# x1 x2 y\n");
    for (int i = 0; i < train->n && i < PLOTTED_POINTS; i++)
        fprintf(rf.fp, "%.4f %.4f %g\n", train->x[2 * i], train->x[2 * i + 1], train->y[i]);
    if (results_close(&rf) != 0)
        return -1;
    if (results_open(&rf, dir, "boundary.dat") != 0)
        return -1;
    double level = -beta0 / beta1;
    fprintf(rf.fp, "# x1 x2 on x1 x2 = %.6f, inside [-2, 2]^2\n", level);
    for (int branch = 0; branch < 2; branch++) {
        for (int i = 0; i <= 400; i++) {
            double x1 = (branch ? 1.0 : -1.0) * (0.005 + 1.995 * i / 400.0);
            double x2 = level / x1;
            if (fabs(x2) <= 2.0)
                fprintf(rf.fp, "%.5f %.5f\n", x1, x2);
        }
        fputs("\n\n", rf.fp);
    }
    return results_close(&rf);
}

static const char *FIT_KEYS[] = { "logistic", "product", "square", "relu" };

int main(int argc, char **argv)
{
    Options o = parse_options(argc, argv);
    if (make_directories(o.out) != 0)
        return 1;
    Rng rng;
    rng_seed(&rng, o.seed);
    Sample train, test;
    if (sample_draw(&train, o.train, o.beta0, o.beta1, &rng) != 0 ||
        sample_draw(&test, o.test, o.beta0, o.beta1, &rng) != 0)
        return 1;

    /* The Bayes rule: on the test sample and in expectation. */
    BayesExpectation bayes = bayes_expectation(o.beta0, o.beta1, BAYES_GRID);
    double bayes_test = bayes_accuracy(&test, o.beta0, o.beta1);
    double bayes_loss_test = bayes_log_loss(&test, o.beta0, o.beta1);
    double ones_train = 0.0, ones_test = 0.0;
    for (int i = 0; i < train.n; i++)
        ones_train += train.y[i];
    for (int i = 0; i < test.n; i++)
        ones_test += test.y[i];
    ones_train /= train.n;
    ones_test /= test.n;
    /* Chance: always predict the class that is commoner in training. */
    double chance = ones_train >= 0.5 ? ones_test : 1.0 - ones_test;

    /* The four models, the ReLU network at each width. */
    enum { N_FITS = 3 + N_WIDTHS };
    Fit fits[N_FITS] = {
        { "logistic", "logistic regression", { MODEL_LOGISTIC, 0 }, 0.5, STEPS },
        { "product", "product-unit network", { MODEL_PRODUCT_UNIT, 0 }, 0.1, STEPS },
        { "square", "square network", { MODEL_SQUARE, 0 }, 0.1, STEPS },
    };
    for (int w = 0; w < N_WIDTHS; w++)
        fits[3 + w] = (Fit){ "relu", "ReLU network", { MODEL_RELU, WIDTHS[w] }, 0.2, STEPS };
    double *thetas[N_FITS], acc[N_FITS], loss[N_FITS], train_loss[N_FITS];
    StartCounts counts[N_FITS];
    for (int k = 0; k < N_FITS; k++) {
        thetas[k] = fit_best(&fits[k], &train, k == 0 ? 1 : o.starts, &rng, &counts[k]);
        acc[k] = accuracy(fits[k].model, thetas[k], &test);
        loss[k] = log_loss(fits[k].model, thetas[k], &test);
        train_loss[k] = log_loss(fits[k].model, thetas[k], &train);
        printf("%-22s H = %2d: test accuracy %.4f, test log-loss %.4f (training %.4f)\n",
               fits[k].name, fits[k].model.hidden, acc[k], loss[k], train_loss[k]);
    }
    printf("Bayes rule: test accuracy %.4f, test log-loss %.4f; expected accuracy %.4f\n",
           bayes_test, bayes_loss_test, bayes.accuracy);

    /* What the fitted networks compute, against the truth. */
    double pu[4], sq[6], se[4], se_large[4];
    product_unit_coefficients(thetas[1], pu);
    square_coefficients(thetas[2], sq);
    if (fisher_standard_errors(o.beta0, o.beta1, o.train, FISHER_GRID, se) != 0 ||
        fisher_standard_errors(o.beta0, o.beta1, LARGE_SAMPLE, FISHER_GRID, se_large) != 0)
        return 1;
    printf("product unit: beta0 %.4f (true %g, s.e. %.4f), beta1 %.4f (true %g, s.e. %.4f), "
           "alpha %.4f %.4f\n", pu[0], o.beta0, se[0], pu[1], o.beta1, se[1], pu[2], pu[3]);

    /* The hand-set networks against the truth, on the test points. */
    double by_hand_pu[PU_PARAMS], by_hand_sq[SQ_PARAMS], cache[2];
    product_unit_by_hand(o.beta0, o.beta1, by_hand_pu);
    square_by_hand(o.beta0, o.beta1, by_hand_sq);
    double pu_diff = 0.0, sq_diff = 0.0;
    for (int i = 0; i < test.n; i++) {
        const double *x = test.x + 2 * i;
        double p = sigmoid(true_logit(o.beta0, o.beta1, x));
        pu_diff = fmax(pu_diff, fabs(sigmoid(product_unit_forward(by_hand_pu, x, cache)) - p));
        sq_diff = fmax(sq_diff, fabs(sigmoid(square_forward(by_hand_sq, x, cache)) - p));
    }

    /* Every model's gradient against finite differences. */
    double fd_worst = 0.0;
    for (int k = 0; k < N_FITS; k++)
        fd_worst = fmax(fd_worst, gradient_check(fits[k].model, &rng, o.beta0, o.beta1));

    /* The ReLU sweep: fitted, and built by hand with the same width. */
    ResultFile rf;
    if (results_open(&rf, o.out, "relu_sweep.dat") != 0)
        return 1;
    fprintf(rf.fp, "# H test_accuracy test_logloss train_logloss built_accuracy built_logloss built_error"
                   " bayes_accuracy bayes_logloss product_accuracy product_logloss\n");
    double built_acc[N_WIDTHS], built_loss[N_WIDTHS];
    for (int w = 0; w < N_WIDTHS; w++) {
        int H = WIDTHS[w], k = H / 2;
        Model m = { MODEL_RELU, H };
        double *theta = new_params(m);
        relu_product_by_hand(k, o.beta0, o.beta1, theta);
        built_acc[w] = accuracy(m, theta, &test);
        built_loss[w] = log_loss(m, theta, &test);
        free(theta);
        fprintf(rf.fp, "%d %.5f %.5f %.5f %.5f %.5f %.6g %.5f %.5f %.5f %.5f\n", H, acc[3 + w],
                loss[3 + w], train_loss[3 + w], built_acc[w], built_loss[w],
                relu_product_max_error(k, ERROR_GRID), bayes_test, bayes_loss_test, acc[1], loss[1]);
    }
    if (results_close(&rf) != 0)
        return 1;

    /* The construction's error against its bound and the lower bound. */
    if (results_open(&rf, o.out, "relu_error.dat") != 0)
        return 1;
    fprintf(rf.fp, "# k H measured_max_error bound lower_bound\n");
    double worst_ratio = 0.0;
    for (int k = 1; k <= MAX_PIECES; k *= 2) {
        double measured = relu_product_max_error(k, ERROR_GRID), bound = relu_product_error_bound(k);
        worst_ratio = fmax(worst_ratio, fabs(measured - bound) / bound);
        fprintf(rf.fp, "%d %d %.6e %.6e %.6e\n", k, 2 * k, measured, bound,
                relu_product_lower_bound(2 * k));
    }
    if (results_close(&rf) != 0)
        return 1;

    /* The table of the four models (the ReLU network at its widest). */
    if (results_open(&rf, o.out, "models_table.tex") != 0)
        return 1;
    for (int k = 0; k < 4; k++) {
        int f = k < 3 ? k : N_FITS - 1;
        fprintf(rf.fp, "%s", fits[f].name);
        if (k == 3)
            fprintf(rf.fp, " ($H = %d$)", fits[f].model.hidden);
        fprintf(rf.fp, " & %d & $%.4f$ & $%.4f$ & $%.4f$ \\\\\n", model_param_count(fits[f].model),
                train_loss[f], loss[f], acc[f]);
    }
    fprintf(rf.fp, "\\midrule\nBayes rule (the truth) & -- & $%.4f$ & $%.4f$ & $%.4f$ \\\\\n",
            bayes_log_loss(&train, o.beta0, o.beta1), bayes_loss_test, bayes_test);
    if (results_close(&rf) != 0)
        return 1;

    Fit drawn[4] = { fits[0], fits[1], fits[2], fits[N_FITS - 1] };
    double *drawn_theta[4] = { thetas[0], thetas[1], thetas[2], thetas[N_FITS - 1] };
    if (write_planes(o.out, drawn, drawn_theta, 4) != 0 ||
        write_points_and_boundary(o.out, &train, o.beta0, o.beta1) != 0)
        return 1;

    Numbers nb;
    if (numbers_open(&nb, o.out) != 0)
        return 1;
    numbers_put(&nb, "ch04.seed", "%llu", (unsigned long long)o.seed);
    numbers_put(&nb, "ch04.beta0", "%g", o.beta0);
    numbers_put(&nb, "ch04.beta1", "%g", o.beta1);
    numbers_put(&nb, "ch04.level", "%g", -o.beta0 / o.beta1);
    numbers_put_count(&nb, "ch04.train", o.train);
    numbers_put_count(&nb, "ch04.test", o.test);
    numbers_put_count(&nb, "ch04.large", LARGE_SAMPLE);
    numbers_put(&nb, "ch04.starts", "%d", o.starts);
    numbers_put_count(&nb, "ch04.steps", STEPS);
    for (int k = 0; k < 4; k++)
        numbers_put(&nb, k == 0 ? "ch04.lr.logistic" : k == 1 ? "ch04.lr.product" :
                         k == 2 ? "ch04.lr.square" : "ch04.lr.relu", "%g", fits[k].lr);
    numbers_put(&nb, "ch04.bayes.expected", "%.4f", bayes.accuracy);
    numbers_put(&nb, "ch04.bayes.test", "%.4f", bayes_test);
    numbers_put(&nb, "ch04.bayes.loss.expected", "%.4f", bayes.log_loss);
    numbers_put(&nb, "ch04.bayes.loss.test", "%.4f", bayes_loss_test);
    numbers_put(&nb, "ch04.bayes.loss.train", "%.4f", bayes_log_loss(&train, o.beta0, o.beta1));
    numbers_put_count(&nb, "ch04.bayes.grid", BAYES_GRID);
    numbers_put(&nb, "ch04.ones.expected", "%.4f", bayes.share_of_ones);
    numbers_put(&nb, "ch04.ones.train", "%.4f", ones_train);
    numbers_put(&nb, "ch04.chance", "%.4f", chance);
    numbers_put(&nb, "ch04.acc.se", "%.3f", sqrt(bayes_test * (1.0 - bayes_test) / o.test));
    for (int k = 0; k < 3; k++) {
        char key[64];
        snprintf(key, sizeof key, "ch04.acc.%s", FIT_KEYS[k]);
        numbers_put(&nb, key, "%.4f", acc[k]);
        snprintf(key, sizeof key, "ch04.loss.%s", FIT_KEYS[k]);
        numbers_put(&nb, key, "%.4f", loss[k]);
    }
    for (int w = 0; w < N_WIDTHS; w++) {
        char key[64];
        snprintf(key, sizeof key, "ch04.acc.relu.%d", WIDTHS[w]);
        numbers_put(&nb, key, "%.4f", acc[3 + w]);
        snprintf(key, sizeof key, "ch04.loss.relu.%d", WIDTHS[w]);
        numbers_put(&nb, key, "%.4f", loss[3 + w]);
        snprintf(key, sizeof key, "ch04.built.acc.%d", WIDTHS[w]);
        numbers_put(&nb, key, "%.4f", built_acc[w]);
        snprintf(key, sizeof key, "ch04.built.loss.%d", WIDTHS[w]);
        numbers_put(&nb, key, "%.4f", built_loss[w]);
    }
    numbers_put(&nb, "ch04.loss.relu.max", "%.4f", loss[N_FITS - 1]);
    numbers_put(&nb, "ch04.loss.relu.train.max", "%.4f", train_loss[N_FITS - 1]);
    numbers_put(&nb, "ch04.built.loss.max", "%.4f", built_loss[N_WIDTHS - 1]);
    double predicted_ones = 0.0;
    for (int i = 0; i < test.n; i++)
        predicted_ones += logistic_forward(thetas[0], test.x + 2 * i) > 0.0;
    numbers_put(&nb, "ch04.lr.predones", "%.4f", predicted_ones / test.n);
    /* The fitted coefficients' distances from the truth, in standard errors. */
    double truth[4] = { o.beta0, o.beta1, 0.0, 0.0 }, max_z = 0.0;
    for (int j = 0; j < 4; j++)
        max_z = fmax(max_z, fabs(pu[j] - truth[j]) / se[j]);
    numbers_put(&nb, "ch04.fit.maxz", "%.1f", max_z);
    numbers_put(&nb, "ch04.lr.w", "(%.3f, %.3f)", thetas[0][LR_W1] + 0.0, thetas[0][LR_W2] + 0.0);
    numbers_put(&nb, "ch04.lr.c", "%.3f", thetas[0][LR_C]);
    numbers_put(&nb, "ch04.fit.beta0", "%.3f", pu[0]);
    numbers_put(&nb, "ch04.fit.beta1", "%.3f", pu[1]);
    numbers_put(&nb, "ch04.fit.alpha1", "%.3f", pu[2] + 0.0);
    numbers_put(&nb, "ch04.fit.alpha2", "%.3f", pu[3] + 0.0);
    numbers_put(&nb, "ch04.se.beta0", "%.3f", se[0]);
    numbers_put(&nb, "ch04.se.beta1", "%.3f", se[1]);
    numbers_put(&nb, "ch04.se.alpha", "%.3f", se[2]);
    numbers_put(&nb, "ch04.se.large.beta0", "%.3f", se_large[0]);
    numbers_put(&nb, "ch04.se.large.beta1", "%.3f", se_large[1]);
    numbers_put(&nb, "ch04.sqfit.beta0", "%.3f", sq[0]);
    numbers_put(&nb, "ch04.sqfit.beta1", "%.3f", sq[1]);
    numbers_put(&nb, "ch04.sqfit.gamma", "%.3f", fmax(fabs(sq[2]), fabs(sq[3])));
    char widths[64] = "";
    for (int w = 0; w < N_WIDTHS; w++)
        snprintf(widths + strlen(widths), sizeof widths - strlen(widths), "%s%d",
                 w == 0 ? "" : w == N_WIDTHS - 1 ? " and " : ", ", WIDTHS[w]);
    numbers_put(&nb, "ch04.widths", "%s", widths);
    numbers_put(&nb, "ch04.maxwidth", "%d", WIDTHS[N_WIDTHS - 1]);
    numbers_put(&nb, "ch04.plotted", "%d", train.n < PLOTTED_POINTS ? train.n : PLOTTED_POINTS);
    numbers_put(&nb, "ch04.logitspan", "%g", fabs(o.beta1) * CH04_HALF_WIDTH * CH04_HALF_WIDTH);
    numbers_put_sci(&nb, "ch04.fdstep", FD_STEP);
    numbers_put(&nb, "ch04.built.logiterr", "%g",
                fabs(o.beta1) * relu_product_error_bound(WIDTHS[N_WIDTHS - 1] / 2));
    /* How parallel the two units of the narrowest ReLU network are:
     * |cos| of the angle between their weight vectors. */
    const double *W2 = thetas[3];
    numbers_put(&nb, "ch04.relu2.cos", "%.3f",
                fabs(W2[0] * W2[2] + W2[1] * W2[3]) / (hypot(W2[0], W2[1]) * hypot(W2[2], W2[3])));
    numbers_put(&nb, "ch04.product.reached", "%d", counts[1].reached);
    numbers_put(&nb, "ch04.square.reached", "%d", counts[2].reached);
    numbers_put(&nb, "ch04.square.indefinite", "%d", counts[2].indefinite);
    numbers_put_sci(&nb, "ch04.byhand.product", pu_diff);
    numbers_put_sci(&nb, "ch04.byhand.square", sq_diff);
    numbers_put_sci(&nb, "ch04.fd.maxrelerror", fd_worst);
    numbers_put_sci(&nb, "ch04.relu.ratio", worst_ratio);
    numbers_put(&nb, "ch04.relu.maxpieces", "%d", MAX_PIECES);
    numbers_put(&nb, "ch04.relu.maxunits", "%d", 2 * MAX_PIECES);
    numbers_put_count(&nb, "ch04.relu.grid", ERROR_GRID);
    for (int e = 0; e < N_EPSILONS; e++) {
        char key[64];
        int H = relu_units_for_accuracy(EPSILONS[e]);
        snprintf(key, sizeof key, "ch04.eps.%c", 'a' + e);
        numbers_put(&nb, key, "%g", EPSILONS[e]);
        snprintf(key, sizeof key, "ch04.units.%c", 'a' + e);
        numbers_put(&nb, key, "%d", H);
        snprintf(key, sizeof key, "ch04.unitsmin.%c", 'a' + e);
        numbers_put(&nb, key, "%d", relu_units_at_least(EPSILONS[e]));
        snprintf(key, sizeof key, "ch04.unitserr.%c", 'a' + e);
        numbers_put(&nb, key, "%.5f", relu_product_max_error(H / 2, ERROR_GRID));
    }
    for (int k = 0; k < N_FITS; k++)
        free(thetas[k]);
    sample_free(&train);
    sample_free(&test);
    return numbers_close(&nb) != 0;
}
