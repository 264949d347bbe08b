/* ch04_product_feature - labels drawn from sigmoid(beta0 + beta1 x1 x2) on
 * [-2, 2]^2; logistic regression, the product-unit network, the square
 * network and ReLU networks of several widths fitted by gradient descent;
 * the Bayes rate; the ReLU network built to approximate x1 x2 and its
 * error; writes chapter 04's data and numbers.  See --help. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ch04_product_feature.h"
#include "lib/cli.h"
#include "lib/fdiff.h"
#include "lib/results.h"
#include "lib/rng.h"
#include "lib/verdict.h"

/* The widths of the ReLU sweep; the last is the one drawn. */
static const int WIDTHS[] = { 2, 4, 8, 16, 32 };
enum { N_WIDTHS = sizeof WIDTHS / sizeof WIDTHS[0] };
/* The construction's pieces k (H = 2k units) for the error figure. */
enum { MAX_PIECES = 64, ERROR_GRID = 512 };
/* Accuracies for which the text quotes the units needed. */
static const double EPSILONS[] = { 0.1, 0.01, 0.001 };
enum { N_EPSILONS = sizeof EPSILONS / sizeof EPSILONS[0] };
/* Grids of the expectations (midpoint rule) and of the figures. */
enum { BAYES_GRID = 2000, FISHER_GRID = 1000, PLANE_GRID = 200, PLOTTED_POINTS = 400 };
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

static Options parse_command_line(int argc, char **argv)
{
    Options o = { .seed = 1, .train = 2000, .test = 20000, .starts = 4,
                  .beta0 = 0.5, .beta1 = 2.0, .out = "ch04-results" };
    const Option table[] = {
        { "train", "N", OPT_INT, &o.train, 10, 10000000, "training points" },
        { "test", "N", OPT_INT, &o.test, 10, 10000000, "test points" },
        { "starts", "N", OPT_INT, &o.starts, 1, 1000,
          "random starts per network, the best by training loss kept" },
        { "beta0", "B", OPT_DOUBLE, &o.beta0, -20.0, 20.0, "the true intercept" },
        { "beta1", "B", OPT_DOUBLE, &o.beta1, -20.0, 20.0, "the true coefficient of x1 x2" },
        { "seed", "N", OPT_U64, &o.seed, 0, 0, "seed for the data and the starting weights" },
        { "out", "DIR", OPT_STRING, &o.out, 0, 0,
          "where to write the results (make passes\n"
          "build/results/ch04, which it owns)" },
        { 0 },
    };
    parse_options(argc, argv, table,
                  "Draw points uniform on [-2, 2]^2 with labels from sigmoid(beta0 + beta1 x1 x2); fit\n"
                  "logistic regression, the product-unit network, the square network and ReLU\n"
                  "networks of 2, 4, 8, 16 and 32 units by gradient descent on the log-loss; compare\n"
                  "their test accuracy and log-loss with the Bayes rate; build a ReLU network for\n"
                  "x1 x2 and measure its error; write chapter 04's results.");
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
    int same;    /* every start reached the lowest loss iff its form is indefinite */
} StartCounts;

static double *fit_best(const Fit *f, const Sample *train, int starts, Rng *rng, StartCounts *counts)
{
    int P = model_param_count(f->model);
    double *best = new_params(f->model), *theta = new_params(f->model), best_loss = INFINITY;
    double *losses = malloc(sizeof(double) * (size_t)starts);
    int *indefinite = malloc(sizeof(int) * (size_t)starts);
    if (!losses || !indefinite)
        abort();
    counts->reached = counts->indefinite = 0;
    for (int r = 0; r < starts; r++) {
        model_init_random(f->model, theta, rng);
        gradient_descent(f->model, theta, train, f->lr, f->steps);
        losses[r] = log_loss(f->model, theta, train);
        indefinite[r] = f->model.kind == MODEL_SQUARE && square_is_indefinite(theta);
        counts->indefinite += indefinite[r];
        if (losses[r] < best_loss) {
            best_loss = losses[r];
            memcpy(best, theta, sizeof(double) * (size_t)P);
        }
    }
    counts->same = 1;
    for (int r = 0; r < starts; r++) {
        counts->reached += losses[r] <= best_loss + 1e-3;
        counts->same &= (losses[r] <= best_loss + 1e-3) == indefinite[r];
    }
    free(losses);
    free(indefinite);
    free(theta);
    return best;
}

/* The largest relative error of each model's gradient against central
 * differences, on a small batch, away from the ReLU kinks. */
static double gradient_check(Model m, Rng *rng, double beta0, double beta1)
{
    Sample s;
    if (sample_draw(&s, 20, beta0, beta1, rng) != 0)
        abort();
    int P = model_param_count(m);
    double *theta = new_params(m), *g = new_params(m), *fd = new_params(m);
    model_init_random(m, theta, rng);
    log_loss_gradient(m, theta, &s, g);
    log_loss_fd_gradient(m, theta, &s, FD_STEP, fd);
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

/* The fits, in this order: three models, then the ReLU network at each
 * of WIDTHS.  Fit.key names each in the numbers' keys. */
enum { FIT_LOGISTIC, FIT_PRODUCT, FIT_SQUARE, FIT_RELU, N_FITS = FIT_RELU + N_WIDTHS,
       FIT_WIDEST = N_FITS - 1 };

static void list_fits(Fit fits[N_FITS])
{
    fits[FIT_LOGISTIC] = (Fit){ "logistic", "logistic regression", { MODEL_LOGISTIC, 0 }, 0.5, STEPS };
    fits[FIT_PRODUCT] = (Fit){ "product", "product-unit network", { MODEL_PRODUCT_UNIT, 0 }, 0.1, STEPS };
    fits[FIT_SQUARE] = (Fit){ "square", "square network", { MODEL_SQUARE, 0 }, 0.1, STEPS };
    for (int w = 0; w < N_WIDTHS; w++)
        fits[FIT_RELU + w] = (Fit){ "relu", "ReLU network", { MODEL_RELU, WIDTHS[w] }, 0.2, STEPS };
}

/* Everything the experiments measure, for the files and the numbers. */
typedef struct {
    Options o;
    Sample train, test;
    /* The Bayes rule, on the test sample and in expectation; chance. */
    BayesExpectation bayes;
    double bayes_test, bayes_loss_test, ones_train, ones_test, chance;
    /* The fitted models, on the test sample (loss also on training). */
    Fit fits[N_FITS];
    double *thetas[N_FITS], acc[N_FITS], loss[N_FITS], train_loss[N_FITS];
    StartCounts counts[N_FITS];
    /* The fitted product unit's and square network's coefficients, and
     * the product unit's standard errors at the training size and large. */
    double pu[4], sq[6], se[4], se_large[4];
    /* The hand-set networks' largest difference from the truth. */
    double pu_diff, sq_diff;
    double fd_worst;                     /* the gradient check */
    double built_acc[N_WIDTHS], built_loss[N_WIDTHS];  /* the ReLU construction */
    double worst_ratio;                  /* its error against its bound */
} Experiments;

static double share_of_ones(const Sample *s)
{
    double ones = 0.0;
    for (int i = 0; i < s->n; i++)
        ones += s->y[i];
    return ones / s->n;
}

/* The Bayes rule: on the test sample and in expectation; and chance,
 * always predicting the class that is commoner in training. */
static void measure_bayes_rule(Experiments *e)
{
    double b0 = e->o.beta0, b1 = e->o.beta1;
    e->bayes = bayes_expectation(b0, b1, BAYES_GRID);
    e->bayes_test = bayes_accuracy(&e->test, b0, b1);
    e->bayes_loss_test = bayes_log_loss(&e->test, b0, b1);
    e->ones_train = share_of_ones(&e->train);
    e->ones_test = share_of_ones(&e->test);
    e->chance = e->ones_train >= 0.5 ? e->ones_test : 1.0 - e->ones_test;
}

/* Each model fitted from its random starts, measured on both samples. */
static void fit_models(Experiments *e, Rng *rng)
{
    list_fits(e->fits);
    for (int k = 0; k < N_FITS; k++) {
        const Fit *f = &e->fits[k];
        e->thetas[k] = fit_best(f, &e->train, k == FIT_LOGISTIC ? 1 : e->o.starts, rng, &e->counts[k]);
        e->acc[k] = accuracy(f->model, e->thetas[k], &e->test);
        e->loss[k] = log_loss(f->model, e->thetas[k], &e->test);
        e->train_loss[k] = log_loss(f->model, e->thetas[k], &e->train);
        printf("%-22s H = %2d: test accuracy %.4f, test log-loss %.4f (training %.4f)\n",
               f->name, f->model.hidden, e->acc[k], e->loss[k], e->train_loss[k]);
    }
    printf("Bayes rule: test accuracy %.4f, test log-loss %.4f; expected accuracy %.4f\n",
           e->bayes_test, e->bayes_loss_test, e->bayes.accuracy);
}

/* What the fitted networks compute, against the truth. */
static int read_coefficients(Experiments *e)
{
    const Options *o = &e->o;
    product_unit_coefficients(e->thetas[FIT_PRODUCT], e->pu);
    square_coefficients(e->thetas[FIT_SQUARE], e->sq);
    if (fisher_standard_errors(o->beta0, o->beta1, o->train, FISHER_GRID, e->se) != 0 ||
        fisher_standard_errors(o->beta0, o->beta1, LARGE_SAMPLE, FISHER_GRID, e->se_large) != 0)
        return -1;
    printf("product unit: beta0 %.4f (true %g, s.e. %.4f), beta1 %.4f (true %g, s.e. %.4f), "
           "alpha %.4f %.4f\n", e->pu[0], o->beta0, e->se[0], e->pu[1], o->beta1, e->se[1],
           e->pu[2], e->pu[3]);
    return 0;
}

/* The hand-set networks against the truth, on the test points. */
static void check_hand_set_networks(Experiments *e)
{
    double b0 = e->o.beta0, b1 = e->o.beta1;
    double by_hand_pu[PU_PARAMS], by_hand_sq[SQ_PARAMS], cache[2];
    product_unit_by_hand(b0, b1, by_hand_pu);
    square_by_hand(b0, b1, by_hand_sq);
    e->pu_diff = e->sq_diff = 0.0;
    for (int i = 0; i < e->test.n; i++) {
        const double *x = e->test.x + 2 * i;
        double p = sigmoid(true_logit(b0, b1, x));
        e->pu_diff = fmax(e->pu_diff, fabs(sigmoid(product_unit_forward(by_hand_pu, x, cache)) - p));
        e->sq_diff = fmax(e->sq_diff, fabs(sigmoid(square_forward(by_hand_sq, x, cache)) - p));
    }
}

/* The ReLU sweep: fitted, and built by hand with the same width. */
static int write_relu_sweep(Experiments *e)
{
    ResultFile rf;
    if (results_open(&rf, e->o.out, "relu_sweep.dat") != 0)
        return -1;
    fprintf(rf.fp, "# H test_accuracy test_logloss train_logloss built_accuracy built_logloss built_error"
                   " bayes_accuracy bayes_logloss product_accuracy product_logloss\n");
    for (int w = 0; w < N_WIDTHS; w++) {
        int H = WIDTHS[w], k = H / 2, fit = FIT_RELU + w;
        Model m = { MODEL_RELU, H };
        double *theta = new_params(m);
        relu_product_by_hand(k, e->o.beta0, e->o.beta1, theta);
        e->built_acc[w] = accuracy(m, theta, &e->test);
        e->built_loss[w] = log_loss(m, theta, &e->test);
        free(theta);
        fprintf(rf.fp, "%d %.5f %.5f %.5f %.5f %.5f %.6g %.5f %.5f %.5f %.5f\n", H, e->acc[fit],
                e->loss[fit], e->train_loss[fit], e->built_acc[w], e->built_loss[w],
                relu_product_max_error(k, ERROR_GRID), e->bayes_test, e->bayes_loss_test,
                e->acc[FIT_PRODUCT], e->loss[FIT_PRODUCT]);
    }
    return results_close(&rf);
}

/* The construction's error against its bound and the lower bound; the
 * largest relative gap between error and bound into *worst_ratio. */
static int write_relu_error(const char *dir, double *worst_ratio)
{
    ResultFile rf;
    if (results_open(&rf, dir, "relu_error.dat") != 0)
        return -1;
    fprintf(rf.fp, "# k H measured_max_error bound lower_bound\n");
    *worst_ratio = 0.0;
    for (int k = 1; k <= MAX_PIECES; k *= 2) {
        double measured = relu_product_max_error(k, ERROR_GRID), bound = relu_product_error_bound(k);
        *worst_ratio = fmax(*worst_ratio, fabs(measured - bound) / bound);
        fprintf(rf.fp, "%d %d %.6e %.6e %.6e\n", k, 2 * k, measured, bound,
                relu_product_lower_bound(2 * k));
    }
    return results_close(&rf);
}

/* The table of the four models (the ReLU network at its widest). */
static int write_models_table(const Experiments *e)
{
    const int shown[4] = { FIT_LOGISTIC, FIT_PRODUCT, FIT_SQUARE, FIT_WIDEST };
    ResultFile rf;
    if (results_open(&rf, e->o.out, "models_table.tex") != 0)
        return -1;
    for (int k = 0; k < 4; k++) {
        int f = shown[k];
        fprintf(rf.fp, "%s", e->fits[f].name);
        if (f == FIT_WIDEST)
            fprintf(rf.fp, " ($H = %d$)", e->fits[f].model.hidden);
        fprintf(rf.fp, " & %d & $%.4f$ & $%.4f$ & $%.4f$ \\\\\n", model_param_count(e->fits[f].model),
                e->train_loss[f], e->loss[f], e->acc[f]);
    }
    fprintf(rf.fp, "\\midrule\nBayes rule (the truth) & -- & $%.4f$ & $%.4f$ & $%.4f$ \\\\\n",
            bayes_log_loss(&e->train, e->o.beta0, e->o.beta1), e->bayes_loss_test, e->bayes_test);
    return results_close(&rf);
}

/* The figures' data: the four models' planes, the points, the boundary. */
static int write_figure_data(const Experiments *e)
{
    const int shown[4] = { FIT_LOGISTIC, FIT_PRODUCT, FIT_SQUARE, FIT_WIDEST };
    Fit drawn[4];
    double *drawn_theta[4];
    for (int k = 0; k < 4; k++) {
        drawn[k] = e->fits[shown[k]];
        drawn_theta[k] = e->thetas[shown[k]];
    }
    if (write_planes(e->o.out, drawn, drawn_theta, 4) != 0)
        return -1;
    return write_points_and_boundary(e->o.out, &e->train, e->o.beta0, e->o.beta1);
}

/* The setup and the Bayes rule's numbers. */

static void put_setup_numbers(Numbers *nb, const Experiments *e)
{
    const Options *o = &e->o;
    char word[16];
    numbers_put(nb, "ch04.seed", "%llu", (unsigned long long)o->seed);
    numbers_put(nb, "ch04.beta0", "%g", o->beta0);
    numbers_put(nb, "ch04.beta1", "%g", o->beta1);
    numbers_put(nb, "ch04.level", "%g", -o->beta0 / o->beta1);
    numbers_put_count(nb, "ch04.train", o->train);
    numbers_put_count(nb, "ch04.test", o->test);
    numbers_put_count(nb, "ch04.large", LARGE_SAMPLE);
    numbers_put(nb, "ch04.starts.word", "%s", count_in_words(o->starts, word));
    numbers_put_count(nb, "ch04.steps", STEPS);
    /* ch04.lr.logistic, ch04.lr.product, ch04.lr.relu (the text quotes
     * no rate of the square network's) */
    char key[64];
    for (int k = FIT_LOGISTIC; k <= FIT_RELU; k++) {
        if (k == FIT_SQUARE)
            continue;
        snprintf(key, sizeof key, "ch04.lr.%s", e->fits[k].key);
        numbers_put(nb, key, "%g", e->fits[k].lr);
    }
    numbers_put(nb, "ch04.bayes.expected", "%.4f", e->bayes.accuracy);
    numbers_put(nb, "ch04.bayes.test", "%.4f", e->bayes_test);
    numbers_put(nb, "ch04.bayes.loss.expected", "%.4f", e->bayes.log_loss);
    numbers_put(nb, "ch04.bayes.loss.test", "%.4f", e->bayes_loss_test);
    numbers_put(nb, "ch04.bayes.loss.train", "%.4f", bayes_log_loss(&e->train, o->beta0, o->beta1));
    numbers_put_count(nb, "ch04.bayes.grid", BAYES_GRID);
    numbers_put(nb, "ch04.ones.expected", "%.4f", e->bayes.share_of_ones);
    numbers_put(nb, "ch04.ones.train", "%.4f", e->ones_train);
    numbers_put(nb, "ch04.chance", "%.4f", e->chance);
    numbers_put(nb, "ch04.acc.se", "%.3f", sqrt(e->bayes_test * (1.0 - e->bayes_test) / o->test));
}

/* Each fit's test accuracy and log-loss, and the ReLU construction's. */
static void put_accuracy_numbers(Numbers *nb, const Experiments *e)
{
    char key[64];
    /* ch04.acc.logistic, ch04.acc.product, ch04.acc.square, and of the
     * losses only ch04.loss.product: the text quotes no other (the
     * models' table has them, models_table.tex) */
    for (int k = FIT_LOGISTIC; k < FIT_RELU; k++) {
        snprintf(key, sizeof key, "ch04.acc.%s", e->fits[k].key);
        numbers_put(nb, key, "%.4f", e->acc[k]);
    }
    numbers_put(nb, "ch04.loss.product", "%.4f", e->loss[FIT_PRODUCT]);
    /* Of the ReLU networks, what the text quotes of the two narrowest:
     * ch04.acc.relu.2, ch04.built.acc.2, ch04.acc.relu.4, ch04.loss.relu.4
     * (and of the widest, below) */
    snprintf(key, sizeof key, "ch04.acc.relu.%d", WIDTHS[0]);
    numbers_put(nb, key, "%.4f", e->acc[FIT_RELU]);
    snprintf(key, sizeof key, "ch04.built.acc.%d", WIDTHS[0]);
    numbers_put(nb, key, "%.4f", e->built_acc[0]);
    snprintf(key, sizeof key, "ch04.acc.relu.%d", WIDTHS[1]);
    numbers_put(nb, key, "%.4f", e->acc[FIT_RELU + 1]);
    snprintf(key, sizeof key, "ch04.loss.relu.%d", WIDTHS[1]);
    numbers_put(nb, key, "%.4f", e->loss[FIT_RELU + 1]);
    numbers_put(nb, "ch04.loss.relu.max", "%.4f", e->loss[FIT_WIDEST]);
    numbers_put(nb, "ch04.loss.relu.train.max", "%.4f", e->train_loss[FIT_WIDEST]);
    numbers_put(nb, "ch04.built.loss.max", "%.4f", e->built_loss[N_WIDTHS - 1]);
}

/* The fitted coefficients: logistic regression's, the product unit's
 * against the truth in standard errors, the square network's. */
static void put_coefficient_numbers(Numbers *nb, const Experiments *e)
{
    const double *lr = e->thetas[FIT_LOGISTIC], *pu = e->pu, *sq = e->sq, *se = e->se;
    double predicted_ones = 0.0;
    for (int i = 0; i < e->test.n; i++)
        predicted_ones += logistic_forward(lr, e->test.x + 2 * i) > 0.0;
    numbers_put(nb, "ch04.lr.predones", "%.3f", predicted_ones / e->test.n);
    double truth[4] = { e->o.beta0, e->o.beta1, 0.0, 0.0 }, max_z = 0.0;
    for (int j = 0; j < 4; j++)
        max_z = fmax(max_z, fabs(pu[j] - truth[j]) / se[j]);
    numbers_put(nb, "ch04.fit.maxz", "%.2f", max_z);
    numbers_put(nb, "ch04.lr.w", "(%.3f, %.3f)", lr[LR_W1] + 0.0, lr[LR_W2] + 0.0);
    numbers_put(nb, "ch04.lr.c", "%.3f", lr[LR_C]);
    numbers_put(nb, "ch04.fit.beta0", "%.3f", pu[0]);
    numbers_put(nb, "ch04.fit.beta1", "%.3f", pu[1]);
    numbers_put(nb, "ch04.fit.alpha1", "%.3f", pu[2] + 0.0);
    numbers_put(nb, "ch04.fit.alpha2", "%.3f", pu[3] + 0.0);
    numbers_put(nb, "ch04.se.beta0", "%.3f", se[0]);
    numbers_put(nb, "ch04.se.beta1", "%.3f", se[1]);
    numbers_put(nb, "ch04.se.alpha", "%.3f", se[2]);
    numbers_put(nb, "ch04.se.large.beta0", "%.3f", e->se_large[0]);
    numbers_put(nb, "ch04.se.large.beta1", "%.3f", e->se_large[1]);
    numbers_put(nb, "ch04.sqfit.beta0", "%.3f", sq[0]);
    numbers_put(nb, "ch04.sqfit.beta1", "%.3f", sq[1]);
    numbers_put(nb, "ch04.sqfit.gamma", "%.3f", fmax(fabs(sq[2]), fabs(sq[3])));
}

/* The widths as prose: "2, 4, 8, 16 and 32". */
static void widths_in_words(char *buf, size_t n)
{
    buf[0] = '\0';
    for (int w = 0; w < N_WIDTHS; w++)
        snprintf(buf + strlen(buf), n - strlen(buf), "%s%d",
                 w == 0 ? "" : w == N_WIDTHS - 1 ? " and " : ", ", WIDTHS[w]);
}

/* The ReLU networks, the checks, and the construction's sizes. */
static void put_relu_numbers(Numbers *nb, const Experiments *e)
{
    char widths[64], word[16];
    widths_in_words(widths, sizeof widths);
    numbers_put(nb, "ch04.widths", "%s", widths);
    numbers_put(nb, "ch04.maxwidth", "%d", WIDTHS[N_WIDTHS - 1]);
    numbers_put(nb, "ch04.plotted", "%d", e->train.n < PLOTTED_POINTS ? e->train.n : PLOTTED_POINTS);
    numbers_put(nb, "ch04.logitspan", "%g", fabs(e->o.beta1) * CH04_HALF_WIDTH * CH04_HALF_WIDTH);
    numbers_put_sci(nb, "ch04.fdstep", FD_STEP);
    numbers_put(nb, "ch04.built.logiterr", "%g",
                fabs(e->o.beta1) * relu_product_error_bound(WIDTHS[N_WIDTHS - 1] / 2));
    /* How parallel the two units of the narrowest ReLU network are:
     * |cos| of the angle between their weight vectors. */
    const double *W2 = e->thetas[FIT_RELU];
    double cos2 = fabs(W2[0] * W2[2] + W2[1] * W2[3]) / (hypot(W2[0], W2[1]) * hypot(W2[2], W2[3]));
    if (cos2 >= 0.9995)                 /* 1.000 to three decimals: 1 */
        numbers_put(nb, "ch04.relu2.cos", "1");
    else
        numbers_put(nb, "ch04.relu2.cos", "%.3f", cos2);
    /* ch04.product.reachedtext: "Every one of the N starts" or "K of the N
     * starts", for the text. */
    if (e->counts[FIT_PRODUCT].reached == e->o.starts)
        numbers_put(nb, "ch04.product.reachedtext", "Every one of the %s starts",
                    count_in_words(e->o.starts, word));
    else {
        char reached[16];
        const char *r = count_in_words(e->counts[FIT_PRODUCT].reached, reached);
        numbers_put(nb, "ch04.product.reachedtext", "%c%s of the %s starts",
                    toupper((unsigned char)r[0]), r + 1, count_in_words(e->o.starts, word));
    }
    numbers_put(nb, "ch04.square.reached.word", "%s", count_in_words(e->counts[FIT_SQUARE].reached, word));
    numbers_put(nb, "ch04.square.indefinite.word", "%s",
                count_in_words(e->counts[FIT_SQUARE].indefinite, word));
    numbers_put_sci(nb, "ch04.byhand.product", e->pu_diff);
    numbers_put_sci(nb, "ch04.byhand.square", e->sq_diff);
    numbers_put_sci(nb, "ch04.fd.maxrelerror", e->fd_worst);
    numbers_put_sci(nb, "ch04.relu.ratio", e->worst_ratio);
    numbers_put(nb, "ch04.relu.maxpieces", "%d", MAX_PIECES);
    numbers_put_count(nb, "ch04.relu.grid", ERROR_GRID);
}

/* The units the construction needs for each accuracy of EPSILONS:
 * ch04.eps.X, ch04.units.X, ch04.unitsmin.X, ch04.unitserr.X for
 * X = a, b, c (epsilon 0.1, 0.01, 0.001). */
static void put_units_for_accuracy(Numbers *nb)
{
    char key[64];
    for (int e = 0; e < N_EPSILONS; e++) {
        int H = relu_units_for_accuracy(EPSILONS[e]);
        snprintf(key, sizeof key, "ch04.eps.%c", 'a' + e);
        numbers_put(nb, key, "%g", EPSILONS[e]);
        snprintf(key, sizeof key, "ch04.units.%c", 'a' + e);
        numbers_put(nb, key, "%d", H);
        snprintf(key, sizeof key, "ch04.unitsmin.%c", 'a' + e);
        numbers_put(nb, key, "%d", relu_units_at_least(EPSILONS[e]));
        snprintf(key, sizeof key, "ch04.unitserr.%c", 'a' + e);
        numbers_put(nb, key, "%.5f", relu_product_max_error(H / 2, ERROR_GRID));
    }
}

/* The verdicts of the text, each by its stated rule and tolerance. */
enum { LOGLOSS_TOL_THOUSANDTHS = 1 };   /* log-losses within a thousandth */
static void put_verdicts(Numbers *nb, const Experiments *e)
{
    const double loss_tol = LOGLOSS_TOL_THOUSANDTHS / 1000.0;
    const double acc_tol = sqrt(e->bayes_test * (1.0 - e->bayes_test) / e->o.test);
    const double bayes = e->bayes_test, largest = 100.0 * fmax(e->ones_test, 1.0 - e->ones_test);
    char key[64];
    numbers_put(nb, "ch04.losstol", "%g", loss_tol);
    /* Logistic regression and the two-unit construction against chance:
     * the share of the commoner class in the test sample (verdict.h). */
    verdict_put(nb, "ch04.logistic.chance", &CHANCE_RULE, chance_verdict(100.0 * e->acc[FIT_LOGISTIC], largest));
    verdict_put(nb, "ch04.built.2.chance", &CHANCE_RULE, chance_verdict(100.0 * e->built_acc[0], largest));
    /* Logistic regression's surface over the square: its range, and
     * whether it crosses 1/2 anywhere (a boundary in the square). */
    double pmin = 1.0, pmax = 0.0;
    for (int i = 0; i <= PLANE_GRID; i++)
        for (int j = 0; j <= PLANE_GRID; j++) {
            double x[2] = { -2.0 + 4.0 * i / PLANE_GRID, -2.0 + 4.0 * j / PLANE_GRID };
            double p = sigmoid(logistic_forward(e->thetas[FIT_LOGISTIC], x));
            pmin = fmin(pmin, p);
            pmax = fmax(pmax, p);
        }
    numbers_put(nb, "ch04.lr.pmin", "%.2f", pmin);
    numbers_put(nb, "ch04.lr.pmax", "%.2f", pmax);
    verdict_put(nb, "ch04.lr.noboundary", &YESNO_RULE, yesno_verdict(pmin > 0.5 || pmax < 0.5));
    verdict_put(nb, "ch04.lr.allones", &YESNO_RULE, yesno_verdict(pmin > 0.5));
    /* Logistic regression's weights against the population's w = 0, in
     * standard errors: noise when within two. */
    double se_w = logistic_weight_standard_error(e->o.beta0, e->o.beta1, e->o.train, FISHER_GRID);
    const double *lr = e->thetas[FIT_LOGISTIC];
    double z_w = fmax(fabs(lr[LR_W1]), fabs(lr[LR_W2])) / se_w;
    numbers_put(nb, "ch04.lr.sew", "%.3f", se_w);
    numbers_put(nb, "ch04.lr.zw", "%.1f", z_w);
    verdict_put(nb, "ch04.lr.wnoise", &YESNO_RULE, yesno_verdict(z_w <= 2.0));
    numbers_put(nb, "ch04.lr.logodds", "%.3f", log(e->ones_train / (1.0 - e->ones_train)));
    /* Each fit's accuracy against the Bayes rule's on the same points,
     * within the test sample's standard error; log-losses within loss_tol. */
    verdict_put(nb, "ch04.product.bayes", &AGREE_RULE, agree_verdict(e->acc[FIT_PRODUCT], bayes, acc_tol));
    verdict_put(nb, "ch04.product.loss", &COMPARE_RULE,
                compare_verdict(e->loss[FIT_PRODUCT], e->bayes_loss_test, loss_tol));
    verdict_put(nb, "ch04.square.bayes", &AGREE_RULE, agree_verdict(e->acc[FIT_SQUARE], bayes, acc_tol));
    int all_above = 1;
    for (int w = 0; w < N_WIDTHS; w++) {
        snprintf(key, sizeof key, "ch04.relu.%d.bayes", WIDTHS[w]);
        const char *v = agree_verdict(e->acc[FIT_RELU + w], bayes, acc_tol);
        verdict_put(nb, key, &AGREE_RULE, v);
        if (WIDTHS[w] >= 4)
            all_above &= strcmp(v, "agree") == 0;
    }
    verdict_put(nb, "ch04.relu.from4.bayes", &YESNO_RULE, yesno_verdict(all_above));
    verdict_put(nb, "ch04.relu.loss", &COMPARE_RULE,
                compare_verdict(e->loss[FIT_WIDEST], e->bayes_loss_test, loss_tol));
    verdict_put(nb, "ch04.relu.trainloss", &COMPARE_RULE,
                compare_verdict(e->train_loss[FIT_WIDEST],
                                     bayes_log_loss(&e->train, e->o.beta0, e->o.beta1), loss_tol));
    const double *W2 = e->thetas[FIT_RELU];
    double cos2 = fabs(W2[0] * W2[2] + W2[1] * W2[3]) / (hypot(W2[0], W2[1]) * hypot(W2[2], W2[3]));
    verdict_put(nb, "ch04.relu2.onedirection", &YESNO_RULE, yesno_verdict(cos2 >= 0.99));
    /* The square network's starts: did all reach the lowest loss, and were
     * those that did exactly those with an indefinite form? */
    verdict_put(nb, "ch04.square.allreached", &YESNO_RULE,
                yesno_verdict(e->counts[FIT_SQUARE].reached == e->o.starts));
    verdict_put(nb, "ch04.square.sameasindefinite", &YESNO_RULE, yesno_verdict(e->counts[FIT_SQUARE].same));
    /* The hand-set networks: the product unit exact, the square within
     * rounding. */
    numbers_put_sci(nb, "ch04.rounding", 1e-14);
    verdict_put(nb, "ch04.byhand.product.exact", &AGREE_RULE, agree_verdict(e->pu_diff, 0.0, 0.0));
    verdict_put(nb, "ch04.byhand.square.rounding", &AGREE_RULE, agree_verdict(e->sq_diff, 0.0, 1e-14));
    /* The construction meets its bound (relative gap within 1e-9), and the
     * units it uses reach each accuracy. */
    numbers_put_sci(nb, "ch04.relu.boundtol", 1e-9);
    verdict_put(nb, "ch04.relu.meetsbound", &AGREE_RULE, agree_verdict(e->worst_ratio, 0.0, 1e-9));
    int reach = 1;
    char ratios[96] = "";
    for (int k = 0; k < N_EPSILONS; k++) {
        int H = relu_units_for_accuracy(EPSILONS[k]);
        reach &= relu_product_max_error(H / 2, ERROR_GRID) <= EPSILONS[k] * (1.0 + 1e-9);
        snprintf(ratios + strlen(ratios), sizeof ratios - strlen(ratios), "%s%.1f",
                 k == 0 ? "" : k == N_EPSILONS - 1 ? " and " : ", ",
                 (double)H / relu_units_at_least(EPSILONS[k]));
    }
    verdict_put(nb, "ch04.units.reach", &YESNO_RULE, yesno_verdict(reach));
    numbers_put(nb, "ch04.units.ratios", "%s", ratios);
    /* The lower bound at the widest fitted network: the piece length, the
     * bound m^2/8, and the best line's error measured on that piece. */
    int H = WIDTHS[N_WIDTHS - 1];
    double m = 2.0 * CH04_HALF_WIDTH / (H + 1), line = best_line_error(m, 1000);
    numbers_put(nb, "ch04.lower.piece", "%.4f", m);
    numbers_put_sci(nb, "ch04.lower.bound", m * m / 8.0);
    numbers_put_sci(nb, "ch04.lower.line", line);
    verdict_put(nb, "ch04.lower.lineagree", &AGREE_RULE, agree_verdict(line, m * m / 8.0, 1e-12));
    /* The large-sample test's margin of 0.1 against three standard errors. */
    verdict_put(nb, "ch04.se.large.threese", &YESNO_RULE,
                yesno_verdict(0.1 > 3.0 * fmax(e->se_large[0], e->se_large[1])));
}

static int write_numbers(const Experiments *e)
{
    Numbers nb;
    if (numbers_open(&nb, e->o.out) != 0)
        return -1;
    put_setup_numbers(&nb, e);
    put_accuracy_numbers(&nb, e);
    put_coefficient_numbers(&nb, e);
    put_relu_numbers(&nb, e);
    put_units_for_accuracy(&nb);
    put_verdicts(&nb, e);
    return numbers_close(&nb);
}

int main(int argc, char **argv)
{
    static Experiments e;
    e.o = parse_command_line(argc, argv);
    if (make_directories(e.o.out) != 0)
        return 1;
    Rng rng;
    rng_seed(&rng, e.o.seed);
    if (sample_draw(&e.train, e.o.train, e.o.beta0, e.o.beta1, &rng) != 0 ||
        sample_draw(&e.test, e.o.test, e.o.beta0, e.o.beta1, &rng) != 0)
        return 1;
    measure_bayes_rule(&e);
    fit_models(&e, &rng);
    if (read_coefficients(&e) != 0)
        return 1;
    check_hand_set_networks(&e);
    /* Every model's gradient against finite differences. */
    e.fd_worst = 0.0;
    for (int k = 0; k < N_FITS; k++)
        e.fd_worst = fmax(e.fd_worst, gradient_check(e.fits[k].model, &rng, e.o.beta0, e.o.beta1));
    if (write_relu_sweep(&e) != 0 || write_relu_error(e.o.out, &e.worst_ratio) != 0 ||
        write_models_table(&e) != 0 || write_figure_data(&e) != 0 || write_numbers(&e) != 0)
        return 1;
    for (int k = 0; k < N_FITS; k++)
        free(e.thetas[k]);
    sample_free(&e.train);
    sample_free(&e.test);
    return 0;
}
