/* ch05_mnist_mlp - the problem set's 784-128-64-10 network on MNIST:
 * per-sample SGD as in the problem set, mini-batch SGD on all the training
 * digits, the comparison with PyTorch from the same start, and the runs
 * that test why the problem set's two implementations disagreed.
 * See --help. */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "ch05_mnist_mlp.h"
#include "lib/cli.h"
#include "lib/fast32.h"
#include "lib/images.h"
#include "lib/linalg.h"
#include "lib/mnist.h"
#include "lib/progress.h"
#include "lib/results.h"
#include "lib/rng.h"
#include "lib/verdict.h"

typedef struct {
    const char *data, *out, *reference, *export_path, *run;
    uint64_t seed;
    int threads, epochs, limit, batch, batch_epochs;
    double lr, batch_lr;
    int fast;
} Options;

static Options parse_command_line(int argc, char **argv)
{
    Options o = { .data = "data/mnist", .out = "ch05-results",
                  .reference = "tests/fixtures/ch05_pytorch.bin", .run = "all", .seed = 1,
                  .threads = 1, .epochs = 50, .limit = 1000, .batch = 64, .batch_epochs = 20,
                  .lr = 0.1, .batch_lr = 0.5 };
    const Option table[] = {
        { "data", "DIR", OPT_STRING, &o.data, 0, 0, "the four MNIST IDX files" },
        { "run", "all|persample|minibatch", OPT_CHOICE, &o.run, 0, 0, "which runs to make" },
        { "epochs", "N", OPT_INT, &o.epochs, 1, 100000, "per-sample epochs" },
        { "lr", "RATE", OPT_DOUBLE, &o.lr, 0.0, 1e38, "per-sample learning rate" },
        { "limit", "N", OPT_INT, &o.limit, 1, 100000000, "per-sample training digits" },
        { "batch", "N", OPT_INT, &o.batch, 1, 100000, "mini-batch size" },
        { "batch-epochs", "N", OPT_INT, &o.batch_epochs, 1, 100000, "mini-batch epochs" },
        { "batch-lr", "RATE", OPT_DOUBLE, &o.batch_lr, 0.0, 1e30, "mini-batch learning rate" },
        { "reference", "FILE", OPT_STRING, &o.reference, 0, 0, "PyTorch reference" },
        { "export-reference", "FILE", OPT_STRING, &o.export_path, 0, 0,
          "write the starting weights and sample order that the\n"
          "PyTorch script needs to FILE, then exit" },
        { "threads", "N", OPT_INT, &o.threads, 1, 256, "BLAS threads; the results depend on it" },
        { "seed", "N", OPT_U64, &o.seed, 0, 0, "seed for the weights and the shuffles" },
        { "fast", NULL, OPT_FLAG, &o.fast, 0, 0,
          "train with the fast engine (src/lib/fast32.h) the networks\n"
          "it trains (not the double softmax): the results agree to\n"
          "rounding; the book's numbers come from the teaching engine" },
        { "out", "DIR", OPT_STRING, &o.out, 0, 0,
          "where to write the results (make passes\n"
          "build/results/ch05, which it owns)" },
        { 0 },
    };
    parse_options(argc, argv, table,
                  "Train the problem set's 784-128-64-10 sigmoid network on MNIST: per-sample SGD on\n"
                  "the first training digits (the problem set's setup) and mini-batch SGD on all of\n"
                  "them; compare with PyTorch from the same start; test the causes of the problem\n"
                  "set's gap.  Writes chapter 05's results.");
    return o;
}

/* The kit's start: the network with weights from the seed. */
static int seeded_network(Mlp32 *net, OutputKind output, InitScheme init, uint64_t seed)
{
    if (mnist_network(net, output) != 0)
        return -1;
    Rng rng;
    rng_seed(&rng, seed);
    mlp32_init(net, init, &rng);
    return 0;
}

/* The per-sample options of the problem set. */
static TrainOptions persample_options(const Options *o, const char *name)
{
    TrainOptions t = { .epochs = o->epochs, .batch = 1, .lr = o->lr, .limit = o->limit,
                       .shuffle = 1, .seed = o->seed, .name = name, .rate_option = "--lr" };
    return t;
}

/* Train and keep the epochs, with the fast engine when asked (--fast) and
 * it trains net; exits on failure (the message is printed). */
static EpochStats *run(const Options *o, Mlp32 *net, const Dataset *train, const Dataset *test,
                       const TrainOptions *t, float *step_loss, long max_steps)
{
    char why[160];
    TrainOptions with = *t;
    if (o->fast && fast32_supports(net, why, sizeof why))
        with.engine = ENGINE_FAST;
    EpochStats *st = calloc((size_t)t->epochs, sizeof *st);
    TrainHistory h = { .epochs = st, .step_loss = step_loss, .max_steps = max_steps };
    if (!st || train_network(net, train, test, &with, &h) != 0)
        exit(1);
    const EpochStats *last = &st[t->epochs - 1];
    printf("%-26s test accuracy %.2f%% after %d epochs (%.0f samples/s)\n", t->name,
           100 * last->test_accuracy, t->epochs, last->samples_per_second);
    return st;
}

/* --export-reference: the seeded start and the per-sample run's order. */
static int export_reference(const Options *o, const Dataset *train)
{
    Mlp32 net;
    if (seeded_network(&net, OUTPUT_SOFTMAX, INIT_SCALED_NORMAL, o->seed) != 0)
        return -1;
    int n = o->limit < train->count ? o->limit : train->count;
    Tensor t[8];
    char names[6][4] = { "W1", "b1", "W2", "b2", "W3", "b3" };
    int count = 0;
    for (int l = 0; l < 3; l++) {
        size_t nw = (size_t)net.sizes[l + 1] * (size_t)net.sizes[l];
        double *w = malloc(sizeof(double) * nw), *b = malloc(sizeof(double) * (size_t)net.sizes[l + 1]);
        for (size_t i = 0; i < nw; i++)
            w[i] = net.W[l][i];
        for (int i = 0; i < net.sizes[l + 1]; i++)
            b[i] = net.b[l][i];
        t[count++] = (Tensor){ names[2 * l], 2, { net.sizes[l + 1], net.sizes[l] }, nw, w };
        t[count++] = (Tensor){ names[2 * l + 1], 1, { net.sizes[l + 1] }, (size_t)net.sizes[l + 1], b };
    }
    /* The order train_network will use: the same generator, reshuffled
     * each epoch. */
    double *order = malloc(sizeof(double) * (size_t)o->epochs * (size_t)n);
    int *idx = malloc(sizeof(int) * (size_t)n);
    Rng rng;
    rng_seed(&rng, o->seed);
    for (int i = 0; i < n; i++)
        idx[i] = i;
    for (int e = 0; e < o->epochs; e++) {
        rng_shuffle(&rng, idx, n);
        for (int i = 0; i < n; i++)
            order[(long)e * n + i] = idx[i];
    }
    char order_name[] = "order", lr_name[] = "lr";
    t[count++] = (Tensor){ order_name, 2, { o->epochs, n }, (size_t)o->epochs * (size_t)n, order };
    double lr = o->lr;
    t[count++] = (Tensor){ lr_name, 0, { 0 }, 1, &lr };
    int status = fixture_save(o->export_path, t, count);
    for (int i = 0; i < 7; i++)
        free(t[i].data);
    free(idx);
    mlp32_free(&net);
    if (status == 0)
        printf("wrote %s: the starting weights and the order of %d epochs of %d digits\n",
               o->export_path, o->epochs, n);
    return status;
}

/* The runs that test the problem set's explanations, and the comparison
 * with PyTorch: each from the PyTorch fixture's starting weights (except
 * the one with PyTorch's initialisation) in the fixture's order. */
typedef struct {
    const char *name, *label;
    OutputKind output;
    int from_reference, fixed_order;
    int quoted;    /* the text prints its accuracies (all are in the table) */
} Variant;

static const Variant VARIANTS[] = {
    { "same", "the same start and order", OUTPUT_SOFTMAX, 1, 0, 1 },
    { "torch_init", "PyTorch's default initialisation", OUTPUT_SOFTMAX, 0, 0, 0 },
    { "fixed_order", "no reshuffling between epochs", OUTPUT_SOFTMAX, 1, 1, 0 },
    { "double_softmax", "softmax before cross-entropy", OUTPUT_DOUBLE_SOFTMAX, 1, 0, 1 },
};
enum { N_VARIANTS = sizeof VARIANTS / sizeof VARIANTS[0] };

static double reference_value(const Fixture *fx, const char *variant, const char *what, int epoch)
{
    char name[96];
    snprintf(name, sizeof name, "%s.%s", variant, what);
    const Tensor *t = fixture_find(fx, name);
    if (!t || epoch >= (int)t->count) {
        fprintf(stderr, "error: the PyTorch reference has no %s for epoch %d\n", name, epoch + 1);
        exit(1);
    }
    return t->data[epoch];
}

/* The reference's sample order (epochs x n indices into train), as ints;
 * NULL with a message naming the file when an index is out of range. */
static int *reference_order(const Tensor *order_t, const Dataset *train, const char *path)
{
    int n = order_t->dims[1];
    int *order = malloc(sizeof(int) * order_t->count);
    if (!order) {
        fprintf(stderr, "error: out of memory for the order of %s\n", path);
        return NULL;
    }
    for (size_t i = 0; i < order_t->count; i++) {
        order[i] = (int)order_t->data[i];
        if (order[i] < 0 || order[i] >= n || n > train->count) {
            fprintf(stderr, "error: %s: sample index %d out of range\n", path, order[i]);
            free(order);
            return NULL;
        }
    }
    return order;
}

/* pytorch_VARIANT.dat: the test accuracy and loss per epoch, ours and
 * PyTorch's. */
static int write_variant_curves(const char *dir, const Fixture *fx, const Variant *var,
                                const EpochStats *st, int epochs)
{
    char name[64];
    snprintf(name, sizeof name, "pytorch_%s.dat", var->name);
    ResultFile rf;
    if (results_open(&rf, dir, name) != 0)
        return -1;
    fprintf(rf.fp, "# epoch C_test_accuracy PyTorch_test_accuracy C_test_loss PyTorch_test_loss\n");
    for (int e = 0; e < epochs; e++)
        fprintf(rf.fp, "%d %.6f %.6f %.6f %.6f\n", e + 1, st[e].test_accuracy,
                reference_value(fx, var->name, "test_accuracy", e), st[e].test_loss,
                reference_value(fx, var->name, "test_loss", e));
    return results_close(&rf);
}

/* pytorch_steps.dat: the loss of each logged step, ours and PyTorch's,
 * and the largest relative difference (a NaN counts as the largest). */
static int write_step_comparison(const char *dir, const float *step_loss, const Tensor *steps_t,
                                 long logged, Numbers *nb)
{
    ResultFile sf;
    if (results_open(&sf, dir, "pytorch_steps.dat") != 0)
        return -1;
    fprintf(sf.fp, "# step C_loss PyTorch_loss\n");
    double worst = 0.0;
    for (long i = 0; i < logged; i++) {
        fprintf(sf.fp, "%ld %.7g %.7g\n", i + 1, step_loss[i], steps_t->data[i]);
        double diff = fabs(step_loss[i] - steps_t->data[i]) / fmax(1.0, steps_t->data[i]);
        worst = isnan(diff) ? INFINITY : fmax(worst, diff);
    }
    if (results_close(&sf) != 0)
        return -1;
    numbers_put_count(nb, "ch05.pytorch.steps", logged);
    numbers_put_sci(nb, "ch05.pytorch.stepdiff", worst);
    numbers_put(nb, "ch05.pytorch.tol", "10^{%d}", (int)lround(log10(CH05_STEP_TOLERANCE)));
    /* How many times the largest difference seen the tolerance is. */
    numbers_put_count(nb, "ch05.pytorch.margin", lround(CH05_STEP_TOLERANCE / fmax(worst, 1e-12)));
    numbers_put_sci(nb, "ch05.float.eps", FLT_EPSILON / 2);
    verdict_put(nb, "ch05.pytorch.agree", &AGREE_RULE, agree_verdict(worst, 0.0, CH05_STEP_TOLERANCE));
    return 0;
}

/* One variant of the comparison with PyTorch: the network from the
 * reference's weights (or PyTorch's initialisation from our seed), trained
 * in the reference's order (or one fixed order); its curves, its row of
 * the table and its numbers.  Variant 0 also logs its first steps. */
static int run_variant(const Options *o, const Fixture *fx, int v, const int *order,
                       const Dataset *train, const Dataset *test, ResultFile *table, Numbers *nb,
                       double accuracy[2])
{
    const Variant *var = &VARIANTS[v];
    const Tensor *order_t = fixture_find(fx, "order"), *lr_t = fixture_find(fx, "lr");
    const Tensor *steps_t = fixture_find(fx, "same.step_loss");
    int epochs = order_t->dims[0], n = order_t->dims[1];
    Mlp32 net;
    if (mnist_network(&net, var->output) != 0)
        return -1;
    if (var->from_reference) {
        if (set_parameters_from_fixture(&net, fx, o->reference) != 0)
            return -1;
    } else {
        Rng rng;
        rng_seed(&rng, o->seed);
        mlp32_init(&net, INIT_TORCH_UNIFORM, &rng);
    }
    TrainOptions t = { .epochs = epochs, .batch = 1, .lr = lr_t->data[0], .limit = n,
                       .shuffle = 0, .order = var->fixed_order ? NULL : order, .name = var->label };
    long logged = v == 0 ? (long)steps_t->count : 0;
    float *step_loss = v == 0 ? malloc(sizeof(float) * (size_t)logged) : NULL;
    EpochStats *st = run(o, &net, train, test, &t, step_loss, logged);
    if (write_variant_curves(o->out, fx, var, st, epochs) != 0)
        return -1;
    double c_acc = 100 * st[epochs - 1].test_accuracy;
    double t_acc = 100 * reference_value(fx, var->name, "test_accuracy", epochs - 1);
    fprintf(table->fp, "%s & %.2f\\,\\%% & %.2f\\,\\%% \\\\\n", var->label, c_acc, t_acc);
    accuracy[0] = c_acc;
    accuracy[1] = t_acc;
    /* Keys ch05.VARIANT.c and ch05.VARIANT.torch for each variant the
     * text quotes: ch05.same.c, ch05.same.torch, ch05.double_softmax.c,
     * ch05.double_softmax.torch (the causes table has every variant). */
    char key[64];
    if (var->quoted) {
        snprintf(key, sizeof key, "ch05.%s.c", var->name);
        numbers_put(nb, key, "%.2f", c_acc);
        snprintf(key, sizeof key, "ch05.%s.torch", var->name);
        numbers_put(nb, key, "%.2f", t_acc);
    }
    snprintf(key, sizeof key, "ch05.%s.printalike", var->name);   /* C and PyTorch print alike */
    verdict_put(nb, key, &YESNO_RULE, yesno_verdict(same_when_printed(c_acc, t_acc, 2)));
    if (var->output == OUTPUT_DOUBLE_SOFTMAX) {
        /* The second softmax sees inputs in [0, 1]: its largest
         * probability is at most e / (e + K - 1), so the loss cannot
         * fall below log(1 + (K - 1) / e). */
        numbers_put(nb, "ch05.double_softmax.floor", "%.3f", log(1.0 + 9.0 / exp(1.0)));
        numbers_put(nb, "ch05.double_softmax.maxprob", "%.3f", exp(1.0) / (exp(1.0) + 9.0));
        numbers_put(nb, "ch05.double_softmax.trainloss", "%.3f", st[epochs - 1].train_loss);
    }
    if (v == 0)
        numbers_put(nb, "ch05.pytorch.epochs", "%d", epochs);
    if (v == 0 && write_step_comparison(o->out, step_loss, steps_t, logged, nb) != 0)
        return -1;
    free(step_loss);
    free(st);
    mlp32_free(&net);
    return 0;
}

/* What the runs of the causes say, in both implementations (accuracy[v]
 * holds variant v's C and PyTorch test accuracy, in percent): how far
 * initialisation and order move the accuracy; what the double softmax
 * costs; and the verdicts the chapter's argument rests on. */
static void put_causes(Numbers *nb, double accuracy[N_VARIANTS][2], const Dataset *test)
{
    enum { SAME = 0, TORCH_INIT = 1, FIXED_ORDER = 2, DOUBLE_SOFTMAX = 3 };
    double shift = 0.0;
    for (int i = 0; i < 2; i++) {
        shift = fmax(shift, fabs(accuracy[TORCH_INIT][i] - accuracy[SAME][i]));
        shift = fmax(shift, fabs(accuracy[FIXED_ORDER][i] - accuracy[SAME][i]));
    }
    double gap = CH05_ORIGINAL_NUMPY - CH05_ORIGINAL_TORCH;
    const double *ds = accuracy[DOUBLE_SOFTMAX];
    double largest = largest_class_share(test->y, test->count);
    numbers_put(nb, "ch05.original.numpy", "%g", CH05_ORIGINAL_NUMPY);
    numbers_put(nb, "ch05.original.torch", "%g", CH05_ORIGINAL_TORCH);
    numbers_put(nb, "ch05.original.gap", "%.1f", gap);
    numbers_put(nb, "ch05.causes.shift", "%.1f", shift);
    numbers_put(nb, "ch05.double_softmax.cost.c", "%.1f", accuracy[SAME][0] - ds[0]);
    numbers_put(nb, "ch05.double_softmax.cost.torch", "%.1f", accuracy[SAME][1] - ds[1]);
    numbers_put(nb, "ch05.double_softmax.below", "%.1f", CH05_ORIGINAL_TORCH - fmax(ds[0], ds[1]));
    numbers_put(nb, "ch05.test.largest", "%.2f", largest);
    numbers_put(nb, "ch05.accuracy.band", "%g", CH05_ACCURACY_BAND);
    /* Initialisation and order cannot explain the original gap when they
     * move the accuracy by less than half of it. */
    verdict_put(nb, "ch05.causes.small", &YESNO_RULE, yesno_verdict(shift < gap / 2));
    /* The double softmax does the same in both implementations: their
     * final accuracies within the band. */
    verdict_put(nb, "ch05.double_softmax.alike", &AGREE_RULE,
                agree_verdict(ds[0], ds[1], CH05_ACCURACY_BAND));
    /* It was not the original's cause when both implementations end
     * further below the original PyTorch accuracy than initialisation and
     * order move it. */
    verdict_put(nb, "ch05.double_softmax.far_below", &YESNO_RULE,
                yesno_verdict(CH05_ORIGINAL_TORCH - fmax(ds[0], ds[1]) > shift));
    verdict_put(nb, "ch05.double_softmax.chance", &CHANCE_RULE, chance_verdict(fmin(ds[0], ds[1]), largest));
}

static int compare_with_pytorch(const Options *o, const Dataset *train, const Dataset *test, Numbers *nb)
{
    Fixture fx;
    if (fixture_load(&fx, o->reference) != 0)
        return -1;
    const Tensor *order_t = fixture_find(&fx, "order"), *lr_t = fixture_find(&fx, "lr");
    const Tensor *steps_t = fixture_find(&fx, "same.step_loss");
    if (!order_t || order_t->ndim != 2 || !lr_t || !steps_t) {
        fprintf(stderr, "error: %s: no order, lr or same.step_loss\n", o->reference);
        return -1;
    }
    int *order = reference_order(order_t, train, o->reference);
    ResultFile table;
    if (!order || results_open(&table, o->out, "causes_table.tex") != 0)
        return -1;
    double accuracy[N_VARIANTS][2];
    for (int v = 0; v < N_VARIANTS; v++)
        if (run_variant(o, &fx, v, order, train, test, &table, nb, accuracy[v]) != 0)
            return -1;
    put_causes(nb, accuracy, test);
    free(order);
    fixture_free(&fx);
    return results_close(&table);
}

/* A grid of test digits with the network's predictions: the images as one
 * gnuplot matrix (each 28 x 28 digit in a cell of CELL_W x CELL_H, with
 * room for its label underneath), and a label per digit. */
enum { GRID_ROWS = 4, GRID_COLS = 8, GRID_DIGITS = GRID_ROWS * GRID_COLS };

static int write_digit_grid(const char *dir, const Mlp32 *net, const Dataset *test)
{
    enum { N = GRID_DIGITS, CELL_W = 32, CELL_H = 40 };
    Mlp32Work work;
    if (mlp32_work_create(&work, net, N) != 0)
        return -1;
    int index[N];
    for (int d = 0; d < N; d++)
        index[d] = d;
    ResultFile lab;
    GridCell cell = { .pad = 2, .below = CELL_H - 28 };
    if (write_image_grid(dir, "digits.dat", test, index, N, GRID_COLS, cell) != 0 ||
        results_open(&lab, dir, "digit_labels.dat") != 0)
        return -1;
    mlp32_forward(net, &work, N, test->x);     /* the grid checked that there are N images */
    fprintf(lab.fp, "# x y predicted true correct\n");
    int wrong = 0;
    for (int d = 0; d < N; d++) {
        const float *f = work.a[3] + (long)d * 10;
        int best = 0;
        for (int k = 1; k < 10; k++)
            if (f[k] > f[best])
                best = k;
        wrong += best != test->y[d];
        fprintf(lab.fp, "%d %d %d %d %d\n", (d % GRID_COLS) * CELL_W + 16, (d / GRID_COLS) * CELL_H + 33,
                best, test->y[d], best == test->y[d]);
    }
    mlp32_work_free(&work);
    if (results_close(&lab) != 0)
        return -1;
    return wrong;
}

/* What the per-sample run's curves show, read with the chapter's
 * tolerances: does the training loss fall at every epoch, does every
 * training image end right, when does the test accuracy settle, and does
 * the test loss turn up after a minimum. */
static void put_persample_curves(Numbers *nb, const EpochStats *st, int epochs)
{
    double *train_loss = malloc(sizeof(double) * (size_t)epochs);
    double *test_loss = malloc(sizeof(double) * (size_t)epochs);
    double *test_acc = malloc(sizeof(double) * (size_t)epochs);
    if (!train_loss || !test_loss || !test_acc)
        exit(1);
    for (int e = 0; e < epochs; e++) {
        train_loss[e] = st[e].train_loss;
        test_loss[e] = st[e].test_loss;
        test_acc[e] = 100 * st[e].test_accuracy;
    }
    int best;
    int up = turns_up(test_loss, epochs, CH05_LOSS_TOLERANCE, &best);
    numbers_put(nb, "ch05.loss.tol", "%g", CH05_LOSS_TOLERANCE);
    numbers_put(nb, "ch05.persample.settled", "%d", settled_epoch(test_acc, epochs, CH05_ACCURACY_BAND));
    numbers_put(nb, "ch05.persample.testloss.best", "%d", best);
    numbers_put(nb, "ch05.persample.testloss.min", "%.2f", test_loss[best - 1]);
    numbers_put(nb, "ch05.persample.testloss.last", "%.2f", test_loss[epochs - 1]);
    numbers_put(nb, "ch05.persample.gap", "%.1f",
                100 * (st[epochs - 1].train_accuracy - st[epochs - 1].test_accuracy));
    verdict_put(nb, "ch05.persample.trainloss", &MONOTONE_RULE,
                monotone_verdict(train_loss, epochs, CH05_LOSS_TOLERANCE));
    verdict_put(nb, "ch05.persample.alltrain", &YESNO_RULE, yesno_verdict(st[epochs - 1].train_accuracy >= 1.0));
    verdict_put(nb, "ch05.persample.testloss.up", &YESNO_RULE, yesno_verdict(up));
    free(train_loss);
    free(test_loss);
    free(test_acc);
}

/* The problem set's run: per-sample SGD on the first o->limit digits; its
 * curves, its timing, the grid of test digits and its numbers. */
static int run_persample(const Options *o, const Dataset *train, const Dataset *test,
                         Numbers *nb, double *gap)
{
    Mlp32 net;
    if (seeded_network(&net, OUTPUT_SOFTMAX, INIT_SCALED_NORMAL, o->seed) != 0)
        return -1;
    TrainOptions t = persample_options(o, "per-sample SGD");
    EpochStats *st = run(o, &net, train, test, &t, NULL, 0);
    if (write_epoch_curve(o->out, "persample.dat", st, o->epochs) != 0 ||
        write_epoch_timing(o->out, "persample_timing.dat", st, o->epochs) != 0)
        return -1;
    int wrong = write_digit_grid(o->out, &net, test);
    if (wrong < 0)
        return -1;
    numbers_put(nb, "ch05.grid.wrong", "%d", wrong);
    numbers_put_count(nb, "ch05.persample.limit", o->limit < train->count ? o->limit : train->count);
    numbers_put(nb, "ch05.persample.epochs", "%d", o->epochs);
    numbers_put(nb, "ch05.persample.lr", "%g", o->lr);
    numbers_put(nb, "ch05.persample.test", "%.2f", 100 * st[o->epochs - 1].test_accuracy);
    numbers_put(nb, "ch05.persample.train", "%.1f", 100 * st[o->epochs - 1].train_accuracy);
    put_persample_curves(nb, st, o->epochs);
    *gap = 100 * (st[o->epochs - 1].train_accuracy - st[o->epochs - 1].test_accuracy);
    numbers_put_count(nb, "ch05.flops", mlp32_training_flops(&net));
    numbers_put_count(nb, "ch05.parameters", mlp32_parameter_count(&net));
    free(st);
    mlp32_free(&net);
    return 0;
}

/* Mini-batch SGD on all the training digits: its curves, timing and
 * numbers, and whether its gap between training and test accuracy is
 * less than half of the per-sample run's (persample_gap, in points; < 0
 * when that run was not made). */
static int run_minibatch(const Options *o, const Dataset *train, const Dataset *test,
                         Numbers *nb, double persample_gap)
{
    Mlp32 net;
    if (seeded_network(&net, OUTPUT_SOFTMAX, INIT_SCALED_NORMAL, o->seed) != 0)
        return -1;
    TrainOptions t = { .epochs = o->batch_epochs, .batch = o->batch, .lr = o->batch_lr,
                       .shuffle = 1, .seed = o->seed, .name = "mini-batch SGD",
                       .rate_option = "--batch-lr" };
    EpochStats *st = run(o, &net, train, test, &t, NULL, 0);
    if (write_epoch_curve(o->out, "minibatch.dat", st, o->batch_epochs) != 0 ||
        write_epoch_timing(o->out, "minibatch_timing.dat", st, o->batch_epochs) != 0)
        return -1;
    numbers_put(nb, "ch05.minibatch.batch", "%d", o->batch);
    numbers_put(nb, "ch05.minibatch.epochs", "%d", o->batch_epochs);
    numbers_put(nb, "ch05.minibatch.lr", "%g", o->batch_lr);
    numbers_put(nb, "ch05.minibatch.test", "%.2f", 100 * st[o->batch_epochs - 1].test_accuracy);
    numbers_put(nb, "ch05.minibatch.train", "%.2f", 100 * st[o->batch_epochs - 1].train_accuracy);
    double gap = 100 * (st[o->batch_epochs - 1].train_accuracy - st[o->batch_epochs - 1].test_accuracy);
    numbers_put(nb, "ch05.minibatch.gap", "%.1f", gap);
    int limit = o->limit < train->count ? o->limit : train->count;
    numbers_put(nb, "ch05.minibatch.datafactor", "%.3g", (double)train->count / limit);
    if (persample_gap >= 0)   /* the gap closed by more than half */
        verdict_put(nb, "ch05.minibatch.gap.halved", &YESNO_RULE, yesno_verdict(gap < persample_gap / 2));
    free(st);
    mlp32_free(&net);
    return 0;
}

/* The training images the PyTorch reference's sample order indexes (its
 * second dimension), or -1 after a message when it cannot be read. */
static int reference_training_images(const char *path)
{
    Fixture fx;
    if (fixture_load(&fx, path) != 0)
        return -1;
    const Tensor *order_t = fixture_find(&fx, "order");
    int n = order_t && order_t->ndim == 2 ? order_t->dims[1] : -1;
    fixture_free(&fx);
    if (n < 0)
        fprintf(stderr, "error: %s: no order\n", path);
    return n;
}

/* Enough images for the runs asked for, checked before anything is
 * written: the grid needs its test digits, the comparison with PyTorch
 * the training images its order names. */
static int check_enough_images(const Options *o, const Dataset *train, const Dataset *test)
{
    if (strcmp(o->run, "minibatch") != 0 &&
        mnist_require_images(o->data, 0, test, GRID_DIGITS, "the grid of predicted test digits") != 0)
        return -1;
    if (strcmp(o->run, "all") != 0)
        return 0;
    int needed = reference_training_images(o->reference);
    if (needed < 0)
        return -1;
    char what[4200];
    snprintf(what, sizeof what, "the comparison with PyTorch (%s)", o->reference);
    return mnist_require_images(o->data, 1, train, needed, what);
}

/* The arithmetic of a training step on one sample, for the appendix on
 * speed: the dense step's operations (mlp32_training_flops), the first
 * layer's share of them (its forward product and its weight gradient,
 * 4 n_0 n_1), how many of the training images' pixels are exactly 0, and
 * what a step costs when the first layer skips them (4 n_1 for each
 * non-zero pixel instead of 4 n_1 for every pixel, on average). */
static int put_step_arithmetic(const Dataset *train, Numbers *nb)
{
    Mlp32 net;
    if (mnist_network(&net, OUTPUT_SOFTMAX) != 0)
        return -1;
    long pixels = (long)train->count * train->dim, zeros = 0;
    for (long i = 0; i < pixels; i++)
        zeros += train->x[i] == 0.0f;
    double n0 = net.sizes[0], n1 = net.sizes[1], dense = (double)mlp32_training_flops(&net);
    double first = 4 * n0 * n1, nonzero = n0 * (double)(pixels - zeros) / (double)pixels;
    numbers_put_count(nb, "ch05.flops.dense", (long)dense);
    numbers_put(nb, "ch05.flops.firstlayer", "%.0f", 100 * first / dense);
    numbers_put(nb, "ch05.zeropixels", "%.0f", 100.0 * (double)zeros / (double)pixels);
    numbers_put_count(nb, "ch05.flops.sparse", lround(dense - first + 4 * n1 * nonzero));
    mlp32_free(&net);
    return 0;
}

int main(int argc, char **argv)
{
    Options o = parse_command_line(argc, argv);
    blas_set_threads(o.threads);
    Dataset train, test;
    if (mnist_load(o.data, &train, &test) != 0)
        return 1;
    if (o.export_path)
        return export_reference(&o, &train) != 0;
    if (check_enough_images(&o, &train, &test) != 0) {
        dataset_free(&train);
        dataset_free(&test);
        return 1;
    }
    if (make_directories(o.out) != 0)
        return 1;
    double t_start = now_seconds();
    Numbers nb;
    if (numbers_open(&nb, o.out) != 0)
        return 1;
    numbers_put_count(&nb, "ch05.train", train.count);
    numbers_put_count(&nb, "ch05.test", test.count);
    numbers_put(&nb, "ch05.seed", "%llu", (unsigned long long)o.seed);
    if (put_step_arithmetic(&train, &nb) != 0)
        return 1;
    double persample_gap = -1.0;   /* set by the per-sample run */
    if (strcmp(o.run, "minibatch") != 0 && run_persample(&o, &train, &test, &nb, &persample_gap) != 0)
        return 1;
    if (strcmp(o.run, "persample") != 0 && run_minibatch(&o, &train, &test, &nb, persample_gap) != 0)
        return 1;
    if (strcmp(o.run, "all") == 0 && compare_with_pytorch(&o, &train, &test, &nb) != 0)
        return 1;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double seconds = now_seconds() - t_start;
    /* The run's time and memory are news to the reader of its output, and
     * not numbers for the book: measured while make runs other work beside
     * it, they vary with -j and the machine's load, and the book must be
     * the same whatever the scheduling (the speed appendix times the
     * engines on their own, with make bench). */
    printf("%.1f s, peak memory %.1f MB\n", seconds, ru.ru_maxrss / 1024.0);
    dataset_free(&train);
    dataset_free(&test);
    return numbers_close(&nb) != 0;
}
