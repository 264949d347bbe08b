/* ch07_residual - the residual block y = S x + g(W x + b): its Jacobian and
 * backward pass checked against finite differences and PyTorch, the
 * element-wise gradient formula against the true one, a block whose
 * Jacobian is singular, gradient norms layer by layer in deep sigmoid
 * networks with and without skips, and a residual network against a
 * plain one on MNIST over several seeds.  Writes chapter 07's
 * results.  See --help. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ch07_residual.h"
#include "lib/cli.h"
#include "lib/fdiff.h"
#include "lib/fixture.h"
#include "lib/gradcheck.h"
#include "lib/linalg.h"
#include "lib/mnist.h"
#include "lib/results.h"
#include "lib/stats.h"
#include "lib/train.h"
#include "lib/verdict.h"

static const double FD_STEP = 1e-6;
enum { MAX_SEEDS = CH07_MAX_SEEDS, N_DEPTHS = 3, NORM_ROWS = 256 };
/* "Zero to rounding": the singular block's smallest singular value and
 * the gradient it lets through are within this of 0. */
static const double ROUNDING_TOL = 1e-12;
static const int DEPTHS[N_DEPTHS] = { 10, 20, 50 };

typedef struct {
    const char *data, *out, *reference;
    uint64_t seed;
    int seeds, epochs, limit, width, steps, batch, deep_depth, threads;
    double lr, high_lr, deep_lr;
} Options;

static Options parse_command_line(int argc, char **argv)
{
    Options o = { .data = "data/mnist", .out = "ch07-results",
                  .reference = "tests/fixtures/ch07_residual.bin", .seed = 1, .seeds = 5,
                  .epochs = 50, .limit = 1000, .width = 64, .steps = 300, .batch = 16,
                  .deep_depth = 20, .threads = 1, .lr = 0.1, .high_lr = 1.0, .deep_lr = 0.5 };
    const Option table[] = {
        { "data", "DIR", OPT_STRING, &o.data, 0, 0, "the four MNIST IDX files" },
        { "reference", "FILE", OPT_STRING, &o.reference, 0, 0, "PyTorch reference" },
        { "seeds", "N", OPT_INT, &o.seeds, 1, MAX_SEEDS, "runs of each Task 2 network, seeds SEED, SEED+1, ..." },
        { "epochs", "N", OPT_INT, &o.epochs, 1, 100000, "per-sample epochs of each Task 2 run" },
        { "limit", "N", OPT_INT, &o.limit, 1, 100000000, "Task 2's training digits" },
        { "lr", "RATE", OPT_DOUBLE, &o.lr, 0.0, 1e6, "Task 2's learning rate" },
        { "high-lr", "RATE", OPT_DOUBLE, &o.high_lr, 0.0, 1e6, "the larger rate Task 2 also tries" },
        { "width", "N", OPT_INT, &o.width, 1, 4096, "width of the deep networks" },
        { "steps", "N", OPT_INT, &o.steps, 1, 1000000, "mini-batch steps before the second gradient measurement" },
        { "batch", "N", OPT_INT, &o.batch, 1, 100000, "their batch size" },
        { "deep-lr", "RATE", OPT_DOUBLE, &o.deep_lr, 0.0, 1e6, "their learning rate" },
        { "deep-depth", "N", OPT_INT, &o.deep_depth, 1, MLP_MAX_LAYERS - 1,
          "hidden layers of the deep network Task 2 also trains" },
        { "threads", "N", OPT_INT, &o.threads, 1, 256, "BLAS threads; the results depend on it" },
        { "seed", "N", OPT_U64, &o.seed, 0, 0, "seed for the random blocks, weights and shuffles" },
        { "out", "DIR", OPT_STRING, &o.out, 0, 0,
          "where to write the results (make passes\n"
          "build/results/ch07, which it owns)" },
        { 0 },
    };
    parse_options(argc, argv, table,
                  "Check the residual block's Jacobian and backward pass (finite differences,\n"
                  "PyTorch), find a block whose Jacobian is singular, measure gradient norms\n"
                  "layer by layer in deep sigmoid networks with and without skips, and train the\n"
                  "chapter's residual network against the plain one over several seeds.\n"
                  "Writes chapter 07's results.");
    return o;
}

static void fill_normal(Rng *rng, double *v, long n, double scale)
{
    for (long i = 0; i < n; i++)
        v[i] = scale * rng_normal(rng);
}

/* Check 1: the Jacobian against finite differences and the backward pass
 * against the Jacobian's transpose, for identity and projection blocks of
 * both activations, at random points and with units saturated. */
static void block_checks(Rng *rng, double *worst_jacobian, double *worst_backward)
{
    enum { N_IN = 6, ROWS = 5 };
    static const int n_outs[2] = { N_IN, 4 };
    *worst_jacobian = *worst_backward = 0.0;
    for (int skip = 0; skip < 2; skip++)
        for (int g = 0; g < 2; g++)
            for (int saturated = 0; saturated < 2; saturated++) {
                int n_out = n_outs[skip];
                double W[N_IN * N_IN], b[N_IN], Ws[N_IN * N_IN], X[ROWS * N_IN], dY[ROWS * N_IN];
                fill_normal(rng, W, n_out * N_IN, 0.8);
                fill_normal(rng, b, n_out, 0.3);
                fill_normal(rng, Ws, n_out * N_IN, 0.5);
                fill_normal(rng, X, ROWS * N_IN, 1.0);
                fill_normal(rng, dY, ROWS * n_out, 1.0);
                if (saturated) {      /* units far out on both sides of the sigmoid */
                    b[0] = 8.0;
                    b[1] = -8.0;
                }
                ResidualBlock blk = { N_IN, n_out, g ? ACT_RELU : ACT_SIGMOID,
                                      skip ? SKIP_PROJECTION : SKIP_IDENTITY, W, b, Ws };
                for (int r = 0; r < ROWS; r++)
                    *worst_jacobian = fmax(*worst_jacobian,
                                           block_jacobian_check(&blk, X + r * N_IN, FD_STEP));
                *worst_backward = fmax(*worst_backward, block_backward_check(&blk, ROWS, X, dY));
            }
    printf("block Jacobian against finite differences: max relative error %.2e\n", *worst_jacobian);
    printf("block backward pass against J^T dL/dy:     max relative error %.2e\n", *worst_backward);
}

/* Check 2: the whole residual network's gradient against finite
 * differences, on the PyTorch fixture's shape with random parameters. */
static double network_check(Rng *rng)
{
    static const int sizes[5] = { 6, 5, 5, 3, 4 };
    static const SkipKind skips[4] = { SKIP_NONE, SKIP_IDENTITY, SKIP_PROJECTION, SKIP_NONE };
    enum { ROWS = 4 };
    Mlp net;
    if (mlp_create_residual(&net, 4, sizes, skips, ACT_SIGMOID, LOSS_CROSS_ENTROPY) != 0)
        exit(1);
    mlp_init_random(&net, rng);
    double X[ROWS * 6], Y[ROWS * 4] = { 0 };
    fill_normal(rng, X, ROWS * 6, 1.0);
    for (int r = 0; r < ROWS; r++)
        Y[r * 4 + rng_below(rng, 4)] = 1.0;
    double err = network_gradient_check(&net, ROWS, X, Y, FD_STEP);
    printf("residual network against finite differences: max relative error %.2e\n", err);
    mlp_free(&net);
    return err;
}

/* Check 3: against PyTorch's autograd. */
static double compare_with_pytorch(const char *path)
{
    Fixture fx;
    if (fixture_load(&fx, path) != 0)
        exit(1);
    double worst = 0.0, d[3] = { compare_block_with_fixture(&fx, path, "identity", SKIP_IDENTITY),
                                 compare_block_with_fixture(&fx, path, "projection", SKIP_PROJECTION),
                                 compare_network_with_fixture(&fx, path) };
    fixture_free(&fx);
    for (int i = 0; i < 3; i++) {
        if (!(d[i] >= 0.0))
            exit(1);
        worst = fmax(worst, d[i]);
    }
    printf("against PyTorch: identity block %.1e, projection block %.1e, network %.1e\n",
           d[0], d[1], d[2]);
    return worst;
}

/* The element-wise formula on a random identity block: its relative
 * error against the true dL/dx, on one sample. */
static double mistake_error(Rng *rng)
{
    enum { N = 6 };
    double W[N * N], b[N], x[N], dy[N], z[N], y[N], delta[N], dW[N * N], db[N], dx[N], claimed[N];
    fill_normal(rng, W, N * N, 0.8);
    fill_normal(rng, b, N, 0.3);
    fill_normal(rng, x, N, 1.0);
    fill_normal(rng, dy, N, 1.0);
    ResidualBlock blk = { N, N, ACT_SIGMOID, SKIP_IDENTITY, W, b, NULL };
    ResidualGrads g = { dW, db, NULL };
    residual_forward(&blk, 1, x, z, y);
    residual_backward(&blk, 1, x, z, dy, delta, &g, dx);
    elementwise_block_gradient(&blk, x, dy, claimed);
    return vector_relative_error(claimed, dx, N, 1e-300);
}

/* A matrix as LaTeX, for the chapter's display. */
static void put_matrix(Numbers *nb, const char *key, int rows, int cols, const double *m)
{
    char text[1024];
    int len = snprintf(text, sizeof text, "\\begin{pmatrix}");
    for (int i = 0; i < rows; i++)
        for (int j = 0; j < cols; j++)
            len += snprintf(text + len, sizeof text - (size_t)len, "%.3f%s", m[i * cols + j],
                            j < cols - 1 ? " & " : i < rows - 1 ? " \\\\ " : "");
    snprintf(text + len, sizeof text - (size_t)len, "\\end{pmatrix}");
    numbers_put(nb, key, "%s", text);
}

/* Numbers: ch07.singular.{lambda,det,sigma,dx,claimed,W,J,x,tol}; verdicts
 * ch07.singular.zero and .dxzero (the smallest singular value and |dL/dx|
 * agree with 0 within ROUNDING_TOL). */
static void singular_example(Rng *rng, Numbers *nb)
{
    SingularBlock s;
    if (find_singular_block(rng, &s) != 0) {
        fprintf(stderr, "error: LAPACK failed on the singular example\n");
        exit(1);
    }
    double dx = vec_norm(SINGULAR_N, s.dx), claimed = vec_norm(SINGULAR_N, s.dx_elementwise);
    printf("singular block: det J = %.1e, smallest singular value %.1e; |dL/dx| = %.1e "
           "where the element-wise formula gives %.3f\n", s.det, s.sigma_min, dx, claimed);
    numbers_put(nb, "ch07.singular.lambda", "%.3f", s.lambda);
    numbers_put_sci(nb, "ch07.singular.det", fabs(s.det));
    numbers_put_sci(nb, "ch07.singular.sigma", s.sigma_min);
    numbers_put_sci(nb, "ch07.singular.dx", dx);
    numbers_put(nb, "ch07.singular.claimed", "%.2f", claimed);
    put_matrix(nb, "ch07.singular.W", SINGULAR_N, SINGULAR_N, s.W);
    put_matrix(nb, "ch07.singular.J", SINGULAR_N, SINGULAR_N, s.J);
    put_matrix(nb, "ch07.singular.x", SINGULAR_N, 1, s.x);
    numbers_put_sci(nb, "ch07.singular.tol", ROUNDING_TOL);
    verdict_put(nb, "ch07.singular.zero", &AGREE_RULE, agree_verdict(s.sigma_min, 0.0, ROUNDING_TOL));
    verdict_put(nb, "ch07.singular.dxzero", &AGREE_RULE, agree_verdict(dx, 0.0, ROUNDING_TOL));
}

/* The first n training digits in doubles, with one-hot targets. */
static void digits_as_doubles(const Dataset *d, int n, double *X, double *Y)
{
    for (long i = 0; i < (long)n * d->dim; i++)
        X[i] = d->x[i];
    memset(Y, 0, sizeof(double) * (size_t)n * MNIST_CLASSES);
    for (int r = 0; r < n; r++)
        Y[r * MNIST_CLASSES + d->y[r]] = 1.0;
}

/* ||dL/dW^[l]|| for every layer of net, measured in doubles; and, when
 * saturated is not NULL, hidden_statistics. */
static void measure_norms(const Mlp32 *net, int rows, const double *X, const double *Y, double *norms,
                          double *saturated, double *last_mean)
{
    Mlp copy;
    if (mlp_from_mlp32(&copy, net, LOSS_CROSS_ENTROPY) != 0 ||
        layer_gradient_norms(&copy, rows, X, Y, norms) != 0 ||
        (saturated && hidden_statistics(&copy, rows, X, saturated, last_mean) != 0))
        exit(1);
    mlp_free(&copy);
}

/* A ratio of gradient norms at two significant digits: plainly within
 * [0.1, 100), where a power of ten would read 3.9 x 10^0, and in powers of
 * ten outside. */
static void put_ratio(Numbers *nb, const char *key, double v)
{
    if (v >= 0.1 && v < 99.5)
        numbers_put(nb, key, "%.2g", v);
    else
        numbers_put_sci(nb, key, v);
}

/* Experiment 1: for each depth, the same weights without and with identity
 * skips; gradient norms at the start and after o->steps mini-batch steps.
 * Numbers: ch07.grad.dD.KIND.{init,trained} for D in DEPTHS and KIND plain
 * or skip, the ratio of the first hidden layer's gradient norm to the last
 * hidden layer's (layer D; the output layer's gradient also scales with
 * the size of its inputs, so it is left out); .acc, the test accuracy
 * after the steps; .saturated, the percentage of hidden units with
 * g'(z) < 1/100 at the start (skip only); .mean, the mean activation of
 * layer D at the start (skip, and plain at the largest depth); .factor, the mean factor per layer from layer 1 to layer D
 * at the start (per_layer_factor; plain only); .spread, the largest over
 * the smallest hidden layer's norm at the start, and .half, D/2 (the mean
 * of layer D if every sigmoid added exactly 1/2; skip only).  Verdicts: .chance (the accuracy
 * after the steps against chance, given the largest class share of the
 * test set, share), .monotone (the hidden layers' norms at the start,
 * layer 1 to D, on a log scale with no tolerance: "increasing" when they
 * grow at every layer towards the output), and ch07.grad.skip.{growth,
 * saturation} (the skip networks' mean activation and saturated share
 * over the depths 10, 20, 50, with no tolerance), and
 * ch07.grad.plain.accalike (whether the plain networks' accuracies print
 * alike at every depth, so the text says "all three"). */
static void vanishing_gradients(const Options *o, const Dataset *train, const Dataset *test,
                                double share, Numbers *nb)
{
    double skip_mean[N_DEPTHS], skip_saturated[N_DEPTHS], plain_acc[N_DEPTHS];
    int rows = NORM_ROWS < train->count ? NORM_ROWS : train->count;
    double *X = malloc(sizeof(double) * (size_t)rows * (size_t)train->dim);
    double *Y = malloc(sizeof(double) * (size_t)rows * MNIST_CLASSES);
    if (!X || !Y)
        exit(1);
    digits_as_doubles(train, rows, X, Y);
    for (int d = 0; d < N_DEPTHS; d++)
        for (int skips = 0; skips < 2; skips++) {
            const char *kind = skips ? "skip" : "plain";
            char name[64], key[64];
            snprintf(name, sizeof name, "depth %d, %s", DEPTHS[d], kind);
            Mlp32 net;
            if (deep_network(&net, DEPTHS[d], o->width, skips) != 0)
                exit(1);
            Rng rng;
            rng_seed(&rng, o->seed);
            mlp32_init(&net, INIT_SCALED_NORMAL, &rng);
            int D = DEPTHS[d];                    /* norms[D - 1]: the last hidden layer */
            double before[MLP_MAX_LAYERS], after[MLP_MAX_LAYERS], saturated, last_mean;
            measure_norms(&net, rows, X, Y, before, &saturated, &last_mean);
            TrainOptions t = { .epochs = 1, .batch = o->batch, .lr = o->deep_lr,
                               .limit = o->steps * o->batch, .shuffle = 1, .seed = o->seed, .name = name,
                               .rate_option = "--deep-lr" };
            EpochStats st;
            TrainHistory h = { .epochs = &st };
            if (train_network(&net, train, test, &t, &h) != 0)
                exit(1);
            measure_norms(&net, rows, X, Y, after, NULL, NULL);
            printf("%-18s |dL/dW^[1]| / |dL/dW^[%d]| %.1e at the start, %.1e after %d steps; "
                   "test accuracy %.2f%%; %.0f%% of units saturated, mean a^[%d] %.2f\n", name, D,
                   before[0] / before[D - 1], after[0] / after[D - 1], o->steps,
                   100 * st.test_accuracy, 100 * saturated, D, last_mean);
            ResultFile rf;
            snprintf(name, sizeof name, "gradnorm_d%d_%s.dat", D, kind);
            if (results_open(&rf, o->out, name) != 0)
                exit(1);
            fprintf(rf.fp, "# layer |dL/dW| at the start, after %d steps of %d digits\n", o->steps, o->batch);
            for (int l = 0; l < net.n_layers; l++)
                fprintf(rf.fp, "%d %.6e %.6e\n", l + 1, before[l], after[l]);
            if (results_close(&rf) != 0)
                exit(1);
            snprintf(key, sizeof key, "ch07.grad.d%d.%s.init", D, kind);
            put_ratio(nb, key, before[0] / before[D - 1]);
            snprintf(key, sizeof key, "ch07.grad.d%d.%s.trained", D, kind);
            put_ratio(nb, key, after[0] / after[D - 1]);
            snprintf(key, sizeof key, "ch07.grad.d%d.%s.acc", D, kind);
            numbers_put(nb, key, "%.1f", 100 * st.test_accuracy);
            if (skips) {          /* the text compares the plain nets' mean at one depth */
                snprintf(key, sizeof key, "ch07.grad.d%d.skip.saturated", D);
                numbers_put(nb, key, "%.0f", 100 * saturated);
            }
            if (skips || d == N_DEPTHS - 1) {
                snprintf(key, sizeof key, "ch07.grad.d%d.%s.mean", D, kind);
                numbers_put(nb, key, "%.1f", last_mean);
            }
            snprintf(key, sizeof key, "ch07.grad.d%d.%s.chance", D, kind);
            verdict_put(nb, key, &CHANCE_RULE, chance_verdict(100 * st.test_accuracy, share));
            if (skips) {
                snprintf(key, sizeof key, "ch07.grad.d%d.skip.spread", D);
                numbers_put(nb, key, "%.0f", spread_of(before, D));
                snprintf(key, sizeof key, "ch07.grad.d%d.skip.half", D);
                numbers_put(nb, key, "%g", D / 2.0);
            } else {
                snprintf(key, sizeof key, "ch07.grad.d%d.plain.factor", D);
                numbers_put(nb, key, "%.2f", per_layer_factor(before[0] / before[D - 1], D));
            }
            double logs[MLP_MAX_LAYERS];
            for (int l = 0; l < D; l++)
                logs[l] = log10(before[l]);
            snprintf(key, sizeof key, "ch07.grad.d%d.%s.monotone", D, kind);
            verdict_put(nb, key, &MONOTONE_RULE, monotone_verdict(logs, D, 0.0));
            if (skips) {
                skip_mean[d] = last_mean;
                skip_saturated[d] = saturated;
            } else {
                plain_acc[d] = 100 * st.test_accuracy;
            }
            mlp32_free(&net);
        }
    verdict_put(nb, "ch07.grad.skip.growth", &MONOTONE_RULE, monotone_verdict(skip_mean, N_DEPTHS, 0.0));
    verdict_put(nb, "ch07.grad.skip.saturation", &MONOTONE_RULE,
                monotone_verdict(skip_saturated, N_DEPTHS, 0.0));
    int alike = 1;
    for (int d = 1; d < N_DEPTHS; d++)
        alike &= same_when_printed(plain_acc[d], plain_acc[0], 1);
    verdict_put(nb, "ch07.grad.plain.accalike", &YESNO_RULE, yesno_verdict(alike));
    free(X);
    free(Y);
}

/* The numbers of a configuration that the chapter's sentences (or the
 * instructor's guide) print (see run_config), so that none is written
 * unread (tools/check-refs.py refuses one); its table row has them all. */
enum {
    SAY_LOSS = 1,        /* .lowestloss, .highestloss, .highestepoch */
    SAY_BESTEPOCH = 2,   /* .bestepoch */
    SAY_DIVEPOCH = 4,    /* .divepoch */
    SAY_LOSSRATIO = 8,   /* .lossratio */
    SAY_PEAK = 16,       /* .peak */
    SAY_MEAN = 32,       /* .mean */
    SAY_SD = 64,         /* .sd */
    SAY_RANGE = 128,     /* .min, .max */
    SAY_BEST = 256,      /* .best */
    SAY_LOWEST = 512,    /* .lowest */
};

/* Task 2's configurations: the network and the rate. */
typedef struct {
    const char *name, *label;
    int residual, deep;
    int high_rate;
    int say;             /* SAY_* */
} Config;

static const Config CONFIGS[] = {
    { "plain", "784-128-64-10", 0, 0, 0, SAY_MEAN | SAY_SD | SAY_BEST | SAY_LOWEST },
    { "residual", "with residual blocks", 1, 0, 0,
      SAY_LOSS | SAY_BESTEPOCH | SAY_LOSSRATIO | SAY_MEAN | SAY_SD | SAY_BEST | SAY_LOWEST },
    { "plain_high", "784-128-64-10", 0, 0, 1,
      SAY_BESTEPOCH | SAY_PEAK | SAY_MEAN | SAY_SD | SAY_RANGE | SAY_BEST },
    { "residual_high", "with residual blocks", 1, 0, 1, SAY_DIVEPOCH },
    { "deep_plain", "deep, plain", 0, 1, 0, SAY_PEAK | SAY_MEAN | SAY_SD },
    { "deep_residual", "deep, with skips", 1, 1, 0, SAY_MEAN | SAY_SD },
};
enum { N_CONFIGS = sizeof CONFIGS / sizeof CONFIGS[0] };

static int config_network(const Options *o, const Config *c, Mlp32 *net)
{
    return c->deep ? deep_network(net, o->deep_depth, o->width, c->residual)
                   : c->residual ? mnist_residual_network(net) : mnist_network(net, OUTPUT_SOFTMAX);
}

/* A loss at three significant digits, in powers of ten outside [0.001,
 * 1000); -- when there is none (every run diverged). */
static void put_loss(Numbers *nb, const char *key, double v)
{
    if (!isfinite(v))
        numbers_put(nb, key, "--");
    else if (v >= 1e-3 && v < 1e3)
        numbers_put(nb, key, "%.3g", v);
    else
        numbers_put_sci(nb, key, v);
}

/* Each seed's test accuracy (percent) after the last epoch and at its
 * best epoch; NaN for a run whose loss became NaN. */
typedef struct {
    double final[MAX_SEEDS], best[MAX_SEEDS];
} ConfigRuns;

/* One configuration over o->seeds seeds.  A run whose loss becomes NaN
 * or infinite stops, and is counted as diverged; the accuracies are those
 * of the runs that finished (of the runs still going, for an epoch's
 * curve).  A run whose mean loss over an epoch exceeds the bound of
 * lib/train.h goes on, but has diverged by the book's rule too.  Writes
 * the curves (epoch, mean, lowest and highest test accuracy, mean training
 * loss; NaN where no run is left) into task2_NAME.dat, a row of
 * task2_table.tex, each run's accuracies into runs, and, as c->say asks,
 * the numbers ch07.task2.NAME.{mean,sd,min,max} (test accuracy after the
 * last epoch, in percent, or -- when every run diverged), .best (the mean
 * of each run's best epoch), .lowest (the epoch of the lowest mean
 * training loss), .peak (the best epoch of any run), .lowestloss and .highestloss (the
 * lowest mean training loss, and the highest after it, at epoch
 * .highestepoch), .bestepoch (the epoch of the highest mean accuracy),
 * .divepoch (the last epoch in which a run diverged, 0 if none did),
 * .lossratio (the largest ratio of an epoch's mean step loss to its start
 * over the runs that finished: largest_loss_ratio).  Verdicts: .chance,
 * .bestchance, .maxchance and .peakchance (the mean final accuracy, the mean best epoch, the highest
 * final run and the best epoch of any run against chance, given the
 * largest class share of the test set, share), .divergence (how many runs
 * diverged by the book's rule). */
static void run_config(const Options *o, const Config *c, const Dataset *train, const Dataset *test,
                       double share, ResultFile *table, ConfigRuns *runs, Numbers *nb)
{
    int steps = o->limit < train->count ? o->limit : train->count;   /* per epoch */
    EpochStats *st = calloc((size_t)o->seeds * (size_t)o->epochs, sizeof *st);
    float *step_loss = malloc(sizeof(float) * (size_t)o->epochs * (size_t)steps);
    int alive_until[MAX_SEEDS];              /* the epochs each run finished */
    double final[MAX_SEEDS], best[MAX_SEEDS], loss_ratio = 0.0;
    int finished = 0, diverged = 0, last_diverged = 0;
    if (!st || !step_loss)
        exit(1);
    double lr = c->high_rate ? o->high_lr : o->lr;
    for (int s = 0; s < o->seeds; s++) {
        char name[64];
        snprintf(name, sizeof name, "%s, seed %d", c->name, (int)(o->seed + (uint64_t)s));
        Mlp32 net;
        if (config_network(o, c, &net) != 0)
            exit(1);
        Rng rng;
        rng_seed(&rng, o->seed + (uint64_t)s);
        mlp32_init(&net, INIT_SCALED_NORMAL, &rng);
        TrainOptions t = { .epochs = o->epochs, .batch = 1, .lr = lr, .limit = o->limit,
                           .shuffle = 1, .seed = o->seed + (uint64_t)s, .name = name,
                           .rate_option = c->high_rate ? "--high-lr" : "--lr", .divergence_expected = 1 };
        TrainHistory h = { .epochs = st + (long)s * o->epochs, .step_loss = step_loss,
                           .max_steps = (long)o->epochs * steps };
        if (train_network(&net, train, test, &t, &h) != 0 && h.diverged_epoch == 0)
            exit(1);
        alive_until[s] = h.diverged_epoch ? h.diverged_epoch - 1 : o->epochs;
        runs->final[s] = runs->best[s] = NAN;
        if (h.diverged_epoch || h.exploded_epoch) {
            diverged++;
            last_diverged = h.diverged_epoch ? h.diverged_epoch : h.exploded_epoch;
        }
        if (!h.diverged_epoch) {
            best[finished] = 0.0;
            for (int e = 0; e < o->epochs; e++)
                best[finished] = fmax(best[finished], 100 * h.epochs[e].test_accuracy);
            final[finished] = 100 * h.epochs[o->epochs - 1].test_accuracy;
            runs->final[s] = final[finished];
            runs->best[s] = best[finished++];
            loss_ratio = fmax(loss_ratio, largest_loss_ratio(step_loss, o->epochs, steps,
                                                             log((double)MNIST_CLASSES)));
        }
        mlp32_free(&net);
    }
    free(step_loss);
    ResultFile rf;
    char file[64], key[64];
    snprintf(file, sizeof file, "task2_%s.dat", c->name);
    if (results_open(&rf, o->out, file) != 0)
        exit(1);
    fprintf(rf.fp, "# epoch, test accuracy over the runs of %d seeds still going (mean, lowest,\n"
            "# highest), their mean training loss\n", o->seeds);
    int lowest = 0, highest = 0, best_epoch = 0;   /* of the lowest and highest mean loss, best accuracy */
    double lowest_loss = INFINITY, highest_loss = -INFINITY, best_mean = -INFINITY;
    for (int e = 0; e < o->epochs; e++) {
        double acc[MAX_SEEDS], loss[MAX_SEEDS];
        int n = 0;
        for (int s = 0; s < o->seeds; s++)
            if (e < alive_until[s]) {
                acc[n] = st[(long)s * o->epochs + e].test_accuracy;
                loss[n++] = st[(long)s * o->epochs + e].train_loss;
            }
        if (n == 0) {
            fprintf(rf.fp, "%d NaN NaN NaN NaN\n", e + 1);
            continue;
        }
        Summary a = summarize(acc, n), l = summarize(loss, n);
        if (l.mean < lowest_loss) {
            lowest_loss = l.mean;
            lowest = e + 1;
            highest_loss = -INFINITY;        /* the highest after the lowest */
        }
        if (l.mean > highest_loss) {
            highest_loss = l.mean;
            highest = e + 1;
        }
        if (a.mean > best_mean) {
            best_mean = a.mean;
            best_epoch = e + 1;
        }
        fprintf(rf.fp, "%d %.6f %.6f %.6f %.6f\n", e + 1, a.mean, a.min, a.max, l.mean);
    }
    if (results_close(&rf) != 0)
        exit(1);
    if (c->say & SAY_LOWEST) {
        snprintf(key, sizeof key, "ch07.task2.%s.lowest", c->name);
        numbers_put(nb, key, "%d", lowest);
    }
    if (c->say & SAY_BESTEPOCH) {
        snprintf(key, sizeof key, "ch07.task2.%s.bestepoch", c->name);
        numbers_put(nb, key, "%d", best_epoch);
    }
    if (c->say & SAY_LOSS) {
        snprintf(key, sizeof key, "ch07.task2.%s.highestepoch", c->name);
        numbers_put(nb, key, "%d", highest);
        snprintf(key, sizeof key, "ch07.task2.%s.lowestloss", c->name);
        put_loss(nb, key, lowest_loss);
        snprintf(key, sizeof key, "ch07.task2.%s.highestloss", c->name);
        put_loss(nb, key, highest_loss);
    }
    if (c->say & SAY_DIVEPOCH) {
        snprintf(key, sizeof key, "ch07.task2.%s.divepoch", c->name);
        numbers_put(nb, key, "%d", last_diverged);
    }
    snprintf(key, sizeof key, "ch07.task2.%s.divergence", c->name);
    verdict_put(nb, key, &DIVERGED_RULE, diverged_verdict(diverged, o->seeds));
    if (c->say & SAY_LOSSRATIO) {
        snprintf(key, sizeof key, "ch07.task2.%s.lossratio", c->name);
        if (finished)
            numbers_put(nb, key, "%.0f", loss_ratio);
        else
            numbers_put(nb, key, "--");
    }
    enum { N_FIELDS = 6 };
    const char *fields[N_FIELDS] = { "mean", "sd", "min", "max", "best", "peak" };
    const int said[N_FIELDS] = { SAY_MEAN, SAY_SD, SAY_RANGE, SAY_RANGE, SAY_BEST, SAY_PEAK };
    const char *chance_keys[4] = { "chance", "maxchance", "bestchance", "peakchance" };
    if (finished == 0) {
        printf("%-14s eta = %-4g every one of %d runs diverged\n", c->name, lr, o->seeds);
        fprintf(table->fp, "%s & %g & \\multicolumn{5}{c}{---} & %d \\\\\n", c->label, lr, diverged);
        for (int i = 0; i < N_FIELDS; i++) {
            if (!(c->say & said[i]))
                continue;
            snprintf(key, sizeof key, "ch07.task2.%s.%s", c->name, fields[i]);
            numbers_put(nb, key, "--");
        }
        for (int i = 0; i < 4; i++) {
            snprintf(key, sizeof key, "ch07.task2.%s.%s", c->name, chance_keys[i]);
            verdict_put(nb, key, &CHANCE_RULE, chance_verdict(NAN, share));
        }
        free(st);
        return;
    }
    Summary f = summarize(final, finished), b = summarize(best, finished);
    printf("%-14s eta = %-4g test accuracy %.2f%% +- %.2f (%.2f to %.2f; best epoch %.2f, at most %.2f) "
           "over %d runs; %d diverged; epoch loss at most %.3g times its start\n", c->name, lr, f.mean,
           f.sd, f.min, f.max, b.mean, b.max, finished, diverged, loss_ratio);
    fprintf(table->fp, "%s & %g & %.1f & %.1f & %.1f & %.1f & %.1f & %d \\\\\n", c->label, lr, f.mean,
            f.sd, f.min, f.max, b.mean, diverged);
    double values[N_FIELDS] = { f.mean, f.sd, f.min, f.max, b.mean, b.max };
    for (int i = 0; i < N_FIELDS; i++) {
        if (!(c->say & said[i]))
            continue;
        snprintf(key, sizeof key, "ch07.task2.%s.%s", c->name, fields[i]);
        numbers_put(nb, key, "%.1f", values[i]);
    }
    double judged[4] = { f.mean, f.max, b.mean, b.max };
    for (int i = 0; i < 4; i++) {
        snprintf(key, sizeof key, "ch07.task2.%s.%s", c->name, chance_keys[i]);
        verdict_put(nb, key, &CHANCE_RULE, chance_verdict(judged[i], share));
    }
    free(st);
}

/* A paired comparison a - b of two configurations over the seeds both
 * finished: ch07.task2.paired.NAME.{mean,low,high} and .verdict. */
static void put_paired(Numbers *nb, const char *name, const double *a, const double *b, int seeds)
{
    char prefix[96];
    snprintf(prefix, sizeof prefix, "ch07.task2.paired.%s", name);
    paired_put(nb, prefix, paired_over_finished(a, b, seeds), 1);
}

int main(int argc, char **argv)
{
    Options o = parse_command_line(argc, argv);
    blas_set_threads(o.threads);
    Dataset train, test;
    if (mnist_load(o.data, &train, &test) != 0)
        return 1;
    if ((long)o.steps * o.batch > train.count)
        usage_error(argv[0], "--steps %d of --batch %d need %ld training digits; %s has %d",
                    o.steps, o.batch, (long)o.steps * o.batch, o.data, train.count);
    Numbers nb;
    if (make_directories(o.out) != 0 || numbers_open(&nb, o.out) != 0)
        return 1;
    Rng rng;
    rng_seed(&rng, o.seed);
    double jacobian, backward;
    block_checks(&rng, &jacobian, &backward);
    numbers_put_sci(&nb, "ch07.fd.jacobian", jacobian);
    numbers_put_sci(&nb, "ch07.backward.error", backward);
    numbers_put_sci(&nb, "ch07.fd.network", network_check(&rng));
    numbers_put_sci(&nb, "ch07.torch.error", compare_with_pytorch(o.reference));
    double mistake = mistake_error(&rng);
    printf("the element-wise formula on a random identity block: relative error %.2f\n", mistake);
    numbers_put(&nb, "ch07.mistake.error", "%.2f", mistake);
    singular_example(&rng, &nb);

    double share = largest_class_share(test.y, test.count);
    numbers_put(&nb, "ch07.chance.share", "%.2f", share);
    vanishing_gradients(&o, &train, &test, share, &nb);

    ResultFile table;
    if (results_open(&table, o.out, "task2_table.tex") != 0)
        return 1;
    static ConfigRuns runs[N_CONFIGS];
    for (int c = 0; c < N_CONFIGS; c++)
        run_config(&o, &CONFIGS[c], &train, &test, share, &table, &runs[c], &nb);
    if (results_close(&table) != 0)
        return 1;
    /* residual - plain at the lower rate (after the last epoch and at each
     * run's best epoch), and the deep network with skips - without */
    put_paired(&nb, "final", runs[1].final, runs[0].final, o.seeds);
    put_paired(&nb, "best", runs[1].best, runs[0].best, o.seeds);
    put_paired(&nb, "deep", runs[5].final, runs[4].final, o.seeds);
    numbers_put(&nb, "ch07.seeds", "%d", o.seeds);
    numbers_put(&nb, "ch07.epochs", "%d", o.epochs);
    numbers_put_count(&nb, "ch07.limit", o.limit);
    numbers_put(&nb, "ch07.steps", "%d", o.steps);
    numbers_put(&nb, "ch07.deepdepth", "%d", o.deep_depth);
    dataset_free(&train);
    dataset_free(&test);
    return numbers_close(&nb) != 0;
}
