/* ch09_evaluation - every MNIST model of the course side by side over
 * several seeds: the learning curves, the learning-rate sweep with paired
 * comparisons, and what the errors are (the confusion matrix, each class's
 * scores, the most confidently wrong test images, calibration).  Writes
 * chapter 09's results.  See --help. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ch09_evaluation.h"
#include "lib/cli.h"
#include "lib/fixture.h"
#include "lib/images.h"
#include "lib/linalg.h"
#include "lib/metrics.h"
#include "lib/mnist.h"
#include "lib/progress.h"
#include "lib/results.h"
#include "lib/schedule.h"
#include "lib/train.h"
#include "lib/verdict.h"

enum { BINS = 10, HARDEST = 16 };

typedef struct {
    const char *data, *out, *reference;
    uint64_t seed;
    int seeds, epochs, limit, batch, batch_epochs, threads;
    double batch_lr;
} Options;

static Options parse_command_line(int argc, char **argv)
{
    Options o = { .data = "data/mnist", .out = "ch09-results",
                  .reference = "tests/fixtures/ch05_pytorch.bin", .seed = 1, .seeds = 5,
                  .epochs = 50, .limit = 1000, .batch = 64, .batch_epochs = 20, .threads = 1,
                  .batch_lr = 0.5 };
    const Option table[] = {
        { "data", "DIR", OPT_STRING, &o.data, 0, 0, "the four IDX files (MNIST or any data set like it)" },
        { "seeds", "N", OPT_INT, &o.seeds, 2, SWEEP_MAX_SEEDS, "runs of every configuration" },
        { "epochs", "N", OPT_INT, &o.epochs, 1, 100000, "per-sample epochs" },
        { "limit", "N", OPT_INT, &o.limit, 1, 100000000, "per-sample training images" },
        { "batch", "N", OPT_INT, &o.batch, 2, 100000, "mini-batch size" },
        { "batch-epochs", "N", OPT_INT, &o.batch_epochs, 1, 100000, "mini-batch epochs (on every training image)" },
        { "batch-lr", "RATE", OPT_DOUBLE, &o.batch_lr, 0.0, 1e30, "mini-batch learning rate" },
        { "reference", "FILE", OPT_STRING, &o.reference, 0, 0, "chapter 05's PyTorch reference" },
        { "threads", "N", OPT_INT, &o.threads, 1, 256, "BLAS threads; the results depend on it" },
        { "seed", "N", OPT_U64, &o.seed, 0, 0, "the first seed; runs use SEED, SEED+1, ..." },
        { "out", "DIR", OPT_STRING, &o.out, 0, 0,
          "where to write the results (make passes\n"
          "build/results/ch09, which it owns)" },
        { 0 },
    };
    parse_options(argc, argv, table,
                  "Evaluate the course's models over several seeds: learning curves, the\n"
                  "learning-rate sweep with paired comparisons, the confusion matrix, each\n"
                  "class's scores, the most confidently wrong test images and calibration.\n"
                  "Writes chapter 09's results.");
    return o;
}

/* One training run's setting. */
typedef struct {
    const char *name;
    int residual, wide, cosine, batch, epochs, limit;
    double lr;
    int curves;          /* measure every epoch (else only the end, which is faster) */
} Run;

static int create_network(const Run *r, Mlp32 *net)
{
    static const int wide[4] = { 784, 128, 128, 10 };   /* no narrowing 128 -> 64 */
    if (r->residual)
        return mnist_residual_network(net);
    if (r->wide)
        return mlp32_create(net, 3, wide, ACT_SIGMOID, OUTPUT_SOFTMAX);
    return mnist_network(net, OUTPUT_SOFTMAX);
}

/* Train r from seed into net (created here) and st[0..epochs); returns 0,
 * or the epoch (from 1) in which the loss became NaN or infinite (that
 * epoch and the later ones stay 0).  *over_bound is set when an epoch's
 * mean loss passed the divergence bound and the run trained on.  Exits on
 * an error. */
static int train_run(const Run *r, uint64_t seed, const Dataset *train, const Dataset *test,
                     Mlp32 *net, EpochStats *st, int *over_bound)
{
    if (create_network(r, net) != 0)
        exit(1);
    Rng rng;
    rng_seed(&rng, seed);
    mlp32_init(net, INIT_SCALED_NORMAL, &rng);
    int n = r->limit > 0 && r->limit < train->count ? r->limit : train->count;
    long steps = (long)r->epochs * ((n + r->batch - 1) / r->batch);
    Schedule cosine = cosine_for_run(r->lr, 0.0, steps);
    char name[96];
    snprintf(name, sizeof name, "%s, seed %d", r->name, (int)seed);
    TrainOptions t = { .epochs = r->epochs, .batch = r->batch, .lr = r->lr, .limit = r->limit,
                       .shuffle = 1, .seed = seed, .name = name, .divergence_expected = 1,
                       .skip_evaluation = !r->curves,
                       .schedule = r->cosine ? schedule_learning_rate : NULL,
                       .schedule_ctx = r->cosine ? &cosine : NULL };
    TrainHistory h = { .epochs = st };
    if (train_network(net, train, test, &t, &h) != 0 && h.diverged_epoch == 0)
        exit(1);
    *over_bound = h.diverged_epoch == 0 && h.exploded_epoch != 0;
    return h.diverged_epoch;
}

/* A run's curves over the seeds, per epoch: training loss, test loss,
 * training accuracy, test accuracy (percent), each as mean, lowest and
 * highest over the runs that had not diverged by then. */
static void write_curves(const Options *o, const char *name, const EpochStats *st, const int *alive,
                         int seeds, int epochs)
{
    char file[64];
    snprintf(file, sizeof file, "curve_%s.dat", name);
    ResultFile rf;
    if (results_open(&rf, o->out, file) != 0)
        exit(1);
    fprintf(rf.fp, "# epoch, then mean, lowest, highest over the seeds of: training loss, test loss,\n"
            "# training accuracy, test accuracy (percent)\n");
    for (int e = 0; e < epochs; e++) {
        fprintf(rf.fp, "%d", e + 1);
        for (int q = 0; q < 4; q++) {
            double v[SWEEP_MAX_SEEDS];
            int n = 0;
            for (int s = 0; s < seeds; s++) {
                const EpochStats *x = &st[(long)s * epochs + e];
                if (e >= alive[s])
                    continue;
                v[n++] = q == 0 ? x->train_loss : q == 1 ? x->test_loss
                       : q == 2 ? 100 * x->train_accuracy : 100 * x->test_accuracy;
            }
            if (n == 0) {
                fprintf(rf.fp, " NaN NaN NaN");
                continue;
            }
            Summary m = summarize(v, n);
            fprintf(rf.fp, " %.6g %.6g %.6g", m.mean, m.min, m.max);
        }
        fputc('\n', rf.fp);
    }
    if (results_close(&rf) != 0)
        exit(1);
}

/* A configuration over o->seeds seeds: the final test accuracy of each run
 * (NaN if it diverged) into accuracy[], the highest test accuracy of any
 * epoch into best[] when not NULL (NaN unless r->curves), its curves when
 * curve_name is not NULL, and the first seed's network into keep when not
 * NULL.  Returns how many runs passed the divergence bound with a finite
 * loss and trained on (they have an accuracy). */
static int run_seeds(const Options *o, const Run *r, const Dataset *train, const Dataset *test,
                     double *accuracy, double *best, const char *curve_name, Mlp32 *keep,
                     EpochStats **stats_out)
{
    EpochStats *st = calloc((size_t)o->seeds * (size_t)r->epochs, sizeof *st);
    int alive[SWEEP_MAX_SEEDS], over_bound = 0;
    if (!st)
        exit(1);
    for (int s = 0; s < o->seeds; s++) {
        Mlp32 net;
        EpochStats *mine = st + (long)s * r->epochs;
        int over;
        int diverged = train_run(r, o->seed + (uint64_t)s, train, test, &net, mine, &over);
        over_bound += over;
        alive[s] = diverged ? diverged - 1 : r->epochs;     /* the epochs it finished */
        double loss, final = NAN;
        if (!diverged && !r->curves && evaluate_network(&net, test, 0, &loss, &final) != 0)
            exit(1);
        if (!diverged && r->curves)
            final = mine[r->epochs - 1].test_accuracy;
        accuracy[s] = diverged ? NAN : 100 * final;
        if (best) {                       /* the best epoch of a run that finished */
            best[s] = NAN;
            for (int e = 0; r->curves && !diverged && e < r->epochs; e++)
                if (isnan(best[s]) || 100 * mine[e].test_accuracy > best[s])
                    best[s] = 100 * mine[e].test_accuracy;
        }
        if (s == 0 && keep && !diverged)
            *keep = net;
        else
            mlp32_free(&net);
    }
    if (curve_name)
        write_curves(o, curve_name, st, alive, o->seeds, r->epochs);
    if (stats_out)
        *stats_out = st;
    else
        free(st);
    return over_bound;
}

/* The PyTorch run of chapter 05's fixture (PyTorch's own initialisation),
 * as a curve with no spread.  Returns its final test accuracy (percent). */
static double write_pytorch_curve(const Options *o, int epochs)
{
    Fixture fx;
    if (fixture_load(&fx, o->reference) != 0)
        exit(1);
    const char *names[4] = { "torch_init.train_loss", "torch_init.test_loss",
                             "torch_init.train_accuracy", "torch_init.test_accuracy" };
    const Tensor *t[4];
    for (int q = 0; q < 4; q++) {
        t[q] = fixture_find(&fx, names[q]);
        if (!t[q] || (int)t[q]->count < epochs) {
            fprintf(stderr, "error: %s: no tensor '%s' of %d epochs\n", o->reference, names[q], epochs);
            exit(1);
        }
    }
    ResultFile rf;
    if (results_open(&rf, o->out, "curve_pytorch.dat") != 0)
        exit(1);
    fprintf(rf.fp, "# epoch, then (three times, as the other curves) training loss, test loss,\n"
            "# training accuracy, test accuracy (percent) of chapter 05's PyTorch run\n");
    for (int e = 0; e < epochs; e++) {
        fprintf(rf.fp, "%d", e + 1);
        for (int q = 0; q < 4; q++) {
            double v = q >= 2 ? 100 * t[q]->data[e] : t[q]->data[e];
            fprintf(rf.fp, " %.6g %.6g %.6g", v, v, v);
        }
        fputc('\n', rf.fp);
    }
    double final = 100 * t[3]->data[epochs - 1];
    const Tensor *doubled = fixture_find(&fx, "double_softmax.test_accuracy");
    fixture_free(&fx);
    if (results_close(&rf) != 0 || !doubled)
        exit(1);
    return final;
}

/* A percentage to one decimal, or -- when there is none (NaN). */
static void put_percent(Numbers *nb, const char *key, double v)
{
    if (isnan(v))
        numbers_put(nb, key, "--");
    else
        numbers_put(nb, key, "%.1f", v);
}

/* How many paired intervals the chapter computes (the table's rows and
 * the comparisons outside it): among that many, about one in twenty may
 * come out as a difference by chance. */
static int intervals;

/* A row of the paired table: what is compared, the mean difference of the
 * test accuracy (points), its 95 % interval and what it says. */
static void paired_row(FILE *fp, const char *what, PairedDifference d)
{
    if (d.n < 2)
        fprintf(fp, "%s & \\multicolumn{2}{c}{fewer than two seeds finished} & %s \\\\\n", what,
                paired_verdict(d));
    else
        fprintf(fp, "%s & $%+.2f$ & $[%+.2f, %+.2f]$ & %s \\\\\n", what, d.mean, d.low, d.high,
                paired_verdict(d));
    intervals += d.n >= 2;
}

static const char *const RATE_KEY[SWEEP_RATES] = { "001", "01", "1" };
static const char *const WORDS[] = { "none", "one", "two", "three", "four", "five", "six" };

static const char *word(int n)
{
    return n >= 0 && n <= 6 ? WORDS[n] : "more than six";
}

/* What the text (or the instructor's guide) prints of the sweep, so
 * that no number is written unread (tools/check-refs.py refuses one); the
 * tables have every cell and every comparison whole.  Of a cell,
 * ch09.sweep.ARCH.SCHEDULE.RATE.*, by architecture, schedule and rate: */
enum { SAY_MEAN = 1, SAY_SD = 2, SAY_DIVERGED = 4, SAY_RANGE = 8 /* .min, .max */, SAY_BEST = 16 };
static const int SAY_CELL[SWEEP_ARCHS][SWEEP_SCHEDULES][SWEEP_RATES] = {
    {   /* plain: constant, cosine */
        { SAY_MEAN | SAY_SD, SAY_MEAN | SAY_SD, SAY_MEAN | SAY_DIVERGED | SAY_RANGE | SAY_BEST },
        { SAY_MEAN | SAY_SD, SAY_MEAN | SAY_SD, SAY_MEAN | SAY_DIVERGED | SAY_RANGE | SAY_BEST },
    },
    {   /* residual: constant, cosine */
        { SAY_MEAN, SAY_MEAN | SAY_SD | SAY_RANGE, SAY_DIVERGED },
        { SAY_MEAN, SAY_MEAN | SAY_SD, SAY_DIVERGED },
    },
};
/* Of a paired comparison, its .mean, its interval .low and .high, both
 * or neither (its .verdict is always written): cosine - constant, by
 * architecture and rate, and residual - plain, by schedule and rate
 * (0.01 and 0.1). */
enum { SAY_PAIRED_MEAN = 1, SAY_PAIRED_INTERVAL = 2, SAY_PAIRED = 3 };
static const int SAY_COSINE[SWEEP_ARCHS][SWEEP_RATES] = {
    { SAY_PAIRED_MEAN, SAY_PAIRED, SAY_PAIRED },   /* plain */
    { 0, SAY_PAIRED_MEAN, 0 },                     /* residual */
};
static const int SAY_RESIDUAL[SWEEP_SCHEDULES][2] = {
    { 0, 0 },            /* constant */
    { 0, SAY_PAIRED },   /* cosine */
};

/* The sweep: the table of every cell and the paired comparisons.
 * Numbers, as SAY_CELL asks: ch09.sweep.ARCH.SCHEDULE.RATE.{mean,sd,diverged}
 * (rate 001, 01, 1); for the cells measured every epoch (rates 0.1 and 1)
 * .{min,max} (the lowest and highest final accuracy of a run), and at
 * rate 1 .best (the mean over the runs of each run's best epoch); for the
 * claims:
 * ch09.cosine.{higher,lower,same} (how many of the cells where both
 * schedules finished show cosine higher, lower, or no difference),
 * ch09.best.ARCH.SCHEDULE (the rate with the highest mean).
 * Verdicts, for this chapter and the chapters that cite it:
 * ch09.sweep.ARCH.SCHEDULE.RATE.{chance,divergence} (the mean final test
 * accuracy against chance, given the largest class share of the test set;
 * how many seeds diverged), .{maxchance,bestchance} (the highest run's
 * final accuracy and the mean best epoch against chance),
 * ch09.paired.cosine.ARCH.RATE.* (cosine - constant) and
 * ch09.paired.residual.SCHEDULE.RATE.* (residual - plain),
 * each .verdict and, as SAY_COSINE and SAY_RESIDUAL ask, {mean,low,high}; and ch09.paired.rate.ARCH.SCHEDULE.{01,1}
 * (0.1 - 0.01 and 1 - 0.1), only .verdict (its numbers are in the
 * table). */
static void put_paired(Numbers *nb, const char *key, PairedDifference d, int say);

static void write_sweep(const Options *o, const SweepCell *cells, double largest_share, Numbers *nb)
{
    ResultFile table, paired;
    if (results_open(&table, o->out, "sweep_table.tex") != 0 ||
        results_open(&paired, o->out, "paired_table.tex") != 0)
        exit(1);
    char key[96], what[128];
    for (int i = 0; i < SWEEP_CELLS; i++) {
        const SweepCell *c = &cells[i];
        Summary s = sweep_summary(c);
        int diverged = c->seeds - sweep_finished(c) + c->over_bound;   /* by the book's rule */
        if (s.n == 0)
            fprintf(table.fp, "%s & %s & %g & \\multicolumn{4}{c}{every run diverged} & %d \\\\\n",
                    SWEEP_ARCH[c->arch], SWEEP_SCHEDULE[c->schedule], SWEEP_RATE[c->rate], diverged);
        else
            fprintf(table.fp, "%s & %s & %g & %.1f & %.1f & %.1f & %.1f & %d \\\\\n", SWEEP_ARCH[c->arch],
                    SWEEP_SCHEDULE[c->schedule], SWEEP_RATE[c->rate], s.mean, s.sd, s.min, s.max, diverged);
        const char *base = SWEEP_ARCH[c->arch], *sched = SWEEP_SCHEDULE[c->schedule];
        char prefix[64];
        snprintf(prefix, sizeof prefix, "ch09.sweep.%s.%s.%s", base, sched, RATE_KEY[c->rate]);
        int say = SAY_CELL[c->arch][c->schedule][c->rate];
        if (say & SAY_MEAN) {
            snprintf(key, sizeof key, "%s.mean", prefix);
            put_percent(nb, key, s.mean);
        }
        if (say & SAY_SD) {
            snprintf(key, sizeof key, "%s.sd", prefix);
            put_percent(nb, key, s.sd);
        }
        if (say & SAY_DIVERGED) {
            snprintf(key, sizeof key, "%s.diverged", prefix);
            numbers_put(nb, key, "%d", diverged);   /* a numeral, as ch09.seeds beside it */
        }
        snprintf(key, sizeof key, "%s.chance", prefix);
        verdict_put(nb, key, &CHANCE_RULE, chance_verdict(s.n ? s.mean : NAN, largest_share));
        snprintf(key, sizeof key, "%s.divergence", prefix);
        verdict_put(nb, key, &DIVERGED_RULE, diverged_verdict(diverged, c->seeds));
        if (c->rate == 0)              /* measured only at the end */
            continue;
        double best[SWEEP_MAX_SEEDS];
        int nb_best = 0;
        for (int k = 0; k < c->seeds; k++)
            if (!isnan(c->best[k]))
                best[nb_best++] = c->best[k];
        Summary b = nb_best ? summarize(best, nb_best) : (Summary){ .mean = NAN };
        if (say & SAY_RANGE) {
            snprintf(key, sizeof key, "%s.min", prefix);
            put_percent(nb, key, s.n ? s.min : NAN);
            snprintf(key, sizeof key, "%s.max", prefix);
            put_percent(nb, key, s.n ? s.max : NAN);
        }
        snprintf(key, sizeof key, "%s.maxchance", prefix);
        verdict_put(nb, key, &CHANCE_RULE, chance_verdict(s.n ? s.max : NAN, largest_share));
        if (c->rate == 2 && (say & SAY_BEST)) {
            snprintf(key, sizeof key, "%s.best", prefix);
            put_percent(nb, key, b.mean);
        }
        snprintf(key, sizeof key, "%s.bestchance", prefix);
        verdict_put(nb, key, &CHANCE_RULE, chance_verdict(b.mean, largest_share));
    }
    int higher = 0, lower = 0, same = 0;
    for (int a = 0; a < SWEEP_ARCHS; a++)
        for (int r = 0; r < SWEEP_RATES; r++) {
            PairedDifference d = sweep_compare(&cells[sweep_index(a, 1, r)], &cells[sweep_index(a, 0, r)]);
            snprintf(what, sizeof what, "%s, $\\lr = %g$: cosine $-$ constant", SWEEP_ARCH[a], SWEEP_RATE[r]);
            paired_row(paired.fp, what, d);
            snprintf(key, sizeof key, "paired.cosine.%s.%s", SWEEP_ARCH[a], RATE_KEY[r]);
            put_paired(nb, key, d, SAY_COSINE[a][r]);
            higher += d.n >= 2 && d.low > 0;
            lower += d.n >= 2 && d.high < 0;
            same += d.n >= 2 && d.low <= 0 && d.high >= 0;
        }
    for (int r = 1; r < SWEEP_RATES; r++)
        for (int a = 0; a < SWEEP_ARCHS; a++)
            for (int s = 0; s < SWEEP_SCHEDULES; s++) {
                PairedDifference d = sweep_compare(&cells[sweep_index(a, s, r)], &cells[sweep_index(a, s, r - 1)]);
                snprintf(what, sizeof what, "%s, %s: $\\lr = %g$ $-$ $\\lr = %g$", SWEEP_ARCH[a],
                         SWEEP_SCHEDULE[s], SWEEP_RATE[r], SWEEP_RATE[r - 1]);
                paired_row(paired.fp, what, d);
                snprintf(key, sizeof key, "ch09.paired.rate.%s.%s.%s.verdict", SWEEP_ARCH[a],
                         SWEEP_SCHEDULE[s], RATE_KEY[r]);
                verdict_put(nb, key, &PAIRED_RULE, paired_verdict(d));   /* the numbers are in the table */
            }
    for (int a = 0; a < SWEEP_ARCHS; a++)
        for (int s = 0; s < SWEEP_SCHEDULES; s++) {
            int best = 0;
            for (int r = 1; r < SWEEP_RATES; r++) {
                Summary m = sweep_summary(&cells[sweep_index(a, s, r)]);
                Summary b = sweep_summary(&cells[sweep_index(a, s, best)]);
                if (m.n && (b.n == 0 || m.mean > b.mean))
                    best = r;
            }
            snprintf(key, sizeof key, "ch09.best.%s.%s", SWEEP_ARCH[a], SWEEP_SCHEDULE[s]);
            numbers_put(nb, key, "%g", SWEEP_RATE[best]);
        }
    for (int s = 0; s < SWEEP_SCHEDULES; s++)
        for (int r = 0; r < 2; r++) {
            PairedDifference d = sweep_compare(&cells[sweep_index(1, s, r)], &cells[sweep_index(0, s, r)]);
            snprintf(what, sizeof what, "%s, $\\lr = %g$: residual $-$ plain", SWEEP_SCHEDULE[s], SWEEP_RATE[r]);
            paired_row(paired.fp, what, d);
            snprintf(key, sizeof key, "paired.residual.%s.%s", SWEEP_SCHEDULE[s], RATE_KEY[r]);
            put_paired(nb, key, d, SAY_RESIDUAL[s][r]);
        }
    if (results_close(&table) != 0 || results_close(&paired) != 0)
        exit(1);
    numbers_put(nb, "ch09.cosine.higher", "%s", word(higher));
    numbers_put(nb, "ch09.cosine.lower", "%s", word(lower));
    numbers_put(nb, "ch09.cosine.same", "%s", word(same));
    printf("cosine against constant: higher in %d cells, lower in %d, no difference in %d\n",
           higher, lower, same);
}

/* The verdict of the paired comparison a - b, as a string. */
static const char *cell_verdict(const SweepCell *a, const SweepCell *b)
{
    return paired_verdict(sweep_compare(a, b));
}

/* A case from a single run x against the runs of a cell: it holds when x
 * lies below every run (want_below) or above every run (!want_below), is
 * contradicted when it lies beyond every run on the other side, and is
 * undecided when it lies among them. */
static int case_single_run(double x, const SweepCell *c, int want_below)
{
    Summary s = sweep_summary(c);
    if (s.n == 0)
        return CASE_UNDECIDED;
    int below = x < s.min, above = x > s.max;
    if (want_below ? below : above)
        return CASE_HOLDS;
    return (want_below ? above : below) ? CASE_CONTRADICTED : CASE_UNDECIDED;
}

/* A paired verdict's rank: higher > no difference > lower > too few runs
 * (every run diverged), for comparing two networks' response to a rate. */
static int rank(const char *paired)
{
    return strcmp(paired, "higher") == 0 ? 3 : strcmp(paired, "no difference") == 0 ? 2
         : strcmp(paired, "lower") == 0 ? 1 : 0;
}

/* Count one case of a claim. */
static void tally(int c, int *holds, int *contradicted, int *cases)
{
    *holds += c == CASE_HOLDS;
    *contradicted += c == CASE_CONTRADICTED;
    (*cases)++;
}

/* The problem set's Task 4 and 5 claims, each judged by CLAIM_RULE from
 * the cases it makes.  Verdicts ch09.claim.{ranking,bestrate,unstable,
 * sensitive,cosine,overfitting,bottleneck}. */
static void write_claims(const SweepCell *cells, double pytorch, const char *bottleneck,
                         const char *minibatch_cosine, const char *loss_rise, Numbers *nb)
{
    int h, x, n;
    /* Scratch ~91 > residual ~89.5 > PyTorch ~85.4 (at rate 0.1). */
    h = x = n = 0;
    for (int s = 0; s < SWEEP_SCHEDULES; s++)
        tally(case_lower(cell_verdict(&cells[sweep_index(1, s, 1)], &cells[sweep_index(0, s, 1)])),
              &h, &x, &n);
    tally(case_single_run(pytorch, &cells[sweep_index(0, 0, 1)], 1), &h, &x, &n);
    verdict_put(nb, "ch09.claim.ranking", &CLAIM_RULE, claim_verdict(h, x, n));
    verdict_put(nb, "ch09.pytorch.below", &YESNO_RULE,
                yesno_verdict(case_single_run(pytorch, &cells[sweep_index(0, 0, 1)], 1) == CASE_HOLDS));
    verdict_put(nb, "ch09.pytorch.above", &YESNO_RULE,
                yesno_verdict(case_single_run(pytorch, &cells[sweep_index(0, 0, 1)], 0) == CASE_HOLDS));
    /* Rate 0.1 the best for every network and schedule: higher than 0.01
     * and than 1 (where every run at 1 diverged, 0.1 is better). */
    h = x = n = 0;
    for (int a = 0; a < SWEEP_ARCHS; a++)
        for (int s = 0; s < SWEEP_SCHEDULES; s++) {
            const char *low = cell_verdict(&cells[sweep_index(a, s, 1)], &cells[sweep_index(a, s, 0)]);
            const SweepCell *big = &cells[sweep_index(a, s, 2)];
            const char *high = sweep_finished(big) == 0 ? "higher"
                             : cell_verdict(&cells[sweep_index(a, s, 1)], big);
            int c = case_higher(low) == CASE_CONTRADICTED || case_higher(high) == CASE_CONTRADICTED
                  ? CASE_CONTRADICTED
                  : case_higher(low) == CASE_HOLDS && case_higher(high) == CASE_HOLDS ? CASE_HOLDS
                  : CASE_UNDECIDED;
            tally(c, &h, &x, &n);
        }
    verdict_put(nb, "ch09.claim.bestrate", &CLAIM_RULE, claim_verdict(h, x, n));
    /* Rate 1 unstable, especially in the residual network: for each
     * schedule, the residual network diverges at 1, and more often than
     * the plain one. */
    h = x = n = 0;
    for (int s = 0; s < SWEEP_SCHEDULES; s++) {
        const SweepCell *res = &cells[sweep_index(1, s, 2)], *plain = &cells[sweep_index(0, s, 2)];
        int dr = res->seeds - sweep_finished(res), dp = plain->seeds - sweep_finished(plain);
        tally(dr > 0 ? CASE_HOLDS : CASE_CONTRADICTED, &h, &x, &n);
        tally(dr > dp ? CASE_HOLDS : dr < dp ? CASE_CONTRADICTED : CASE_UNDECIDED, &h, &x, &n);
    }
    verdict_put(nb, "ch09.claim.unstable", &CLAIM_RULE, claim_verdict(h, x, n));
    /* The residual network more sensitive to the rate: for each schedule
     * and each step up in rate (0.01 to 0.1, 0.1 to 1), the residual
     * network's paired verdict ranks below the plain network's. */
    h = x = n = 0;
    for (int s = 0; s < SWEEP_SCHEDULES; s++)
        for (int r = 1; r < SWEEP_RATES; r++) {
            int pr = rank(cell_verdict(&cells[sweep_index(0, s, r)], &cells[sweep_index(0, s, r - 1)]));
            int rr = rank(cell_verdict(&cells[sweep_index(1, s, r)], &cells[sweep_index(1, s, r - 1)]));
            tally(rr < pr ? CASE_HOLDS : rr > pr ? CASE_CONTRADICTED : CASE_UNDECIDED, &h, &x, &n);
        }
    verdict_put(nb, "ch09.claim.sensitive", &CLAIM_RULE, claim_verdict(h, x, n));
    /* Cosine annealing improved final performance at every rate: cosine
     * higher than constant in each cell where both finished, and on
     * mini-batches. */
    h = x = n = 0;
    for (int a = 0; a < SWEEP_ARCHS; a++)
        for (int r = 0; r < SWEEP_RATES; r++) {
            PairedDifference d = sweep_compare(&cells[sweep_index(a, 1, r)], &cells[sweep_index(a, 0, r)]);
            if (d.n >= 2)
                tally(case_higher(paired_verdict(d)), &h, &x, &n);
        }
    tally(case_higher(minibatch_cosine), &h, &x, &n);
    verdict_put(nb, "ch09.claim.cosine", &CLAIM_RULE, claim_verdict(h, x, n));
    /* No overfitting: the test loss does not rise from its lowest epoch to
     * the last (the case holds unless the paired verdict is higher). */
    h = x = n = 0;
    tally(strcmp(loss_rise, "higher") == 0 ? CASE_CONTRADICTED
          : strcmp(loss_rise, "too few runs") == 0 ? CASE_UNDECIDED : CASE_HOLDS, &h, &x, &n);
    verdict_put(nb, "ch09.claim.overfitting", &CLAIM_RULE, claim_verdict(h, x, n));
    /* The bottleneck helped: the plain network higher than the one
     * without the narrowing. */
    h = x = n = 0;
    tally(case_higher(bottleneck), &h, &x, &n);
    verdict_put(nb, "ch09.claim.bottleneck", &CLAIM_RULE, claim_verdict(h, x, n));
}

/* A wrong prediction: its image and its confidence. */
typedef struct {
    int index;
    double confidence;
} Mistake;

/* Descending confidence, then ascending index: a total order, so that the
 * grid is the same on every machine. */
static int by_confidence(const void *a, const void *b)
{
    const Mistake *x = a, *y = b;
    if (x->confidence != y->confidence)
        return x->confidence < y->confidence ? 1 : -1;
    return (x->index > y->index) - (x->index < y->index);
}

/* What the errors of net are on the test set: the confusion matrix
 * (confusion.dat: true class, predicted class, count, share of the true
 * class), class_table.tex, the HARDEST most confidently wrong images
 * (hardest.dat, hardest_labels.dat) and the reliability diagram
 * (reliability_NAME.dat).  Numbers: ch09.ece.NAME, ch09.accuracy.NAME,
 * ch09.confidence.NAME (the mean confidence, percent), ch09.bins.NAME and
 * ch09.overbins.NAME (the non-empty bins, and those right less often than
 * confident); verdict ch09.calibration.NAME (CALIBRATION_RULE).  For the
 * first model also ch09.wrong (the test images it gets wrong),
 * ch09.classaccuracy.lowest, ch09.hardest.{shown,lowest} and its most
 * frequent confusion: ch09.confused.{count,ties,list} and the verdict
 * ch09.confused.unique (one pair has that count). */
static double analyse_errors(const Options *o, const Mlp32 *net, const Dataset *test, const char *name,
                             int full, Numbers *nb)
{
    int n = test->count, K = MNIST_CLASSES;
    unsigned char *predicted = malloc((size_t)n), *correct = malloc((size_t)n);
    double *confidence = malloc(sizeof(double) * (size_t)n), loss;
    long counts[MNIST_CLASSES * MNIST_CLASSES], count[BINS];
    double mean_conf[BINS], acc[BINS];
    if (!predicted || !correct || !confidence || predict_network(net, test, n, predicted, confidence, &loss) != 0)
        exit(1);
    int wrong = 0;
    for (int i = 0; i < n; i++) {
        correct[i] = predicted[i] == test->y[i];
        wrong += !correct[i];
    }
    double ece = calibration(n, confidence, correct, BINS, count, mean_conf, acc);
    char file[64], key[64];
    snprintf(file, sizeof file, "reliability_%s.dat", name);
    ResultFile rf;
    if (results_open(&rf, o->out, file) != 0)
        exit(1);
    fprintf(rf.fp, "# bin centre, images, mean confidence, accuracy (NaN for an empty bin)\n");
    for (int b = 0; b < BINS; b++)
        fprintf(rf.fp, "%.3f %ld %.6f %.6f\n", (b + 0.5) / BINS, count[b], mean_conf[b], acc[b]);
    if (results_close(&rf) != 0)
        exit(1);
    snprintf(key, sizeof key, "ch09.ece.%s", name);
    numbers_put(nb, key, "%.3f", ece);
    /* Over- or underconfident overall, and bin by bin. */
    double sum_conf = 0.0;
    for (int i = 0; i < n; i++)
        sum_conf += confidence[i];
    snprintf(key, sizeof key, "ch09.calibration.%s", name);
    verdict_put(nb, key, &CALIBRATION_RULE,
                calibration_verdict(ece, sum_conf / n, (double)(n - wrong) / n, CALIBRATION_TOL));
    snprintf(key, sizeof key, "ch09.confidence.%s", name);
    numbers_put(nb, key, "%.1f", 100 * sum_conf / n);
    int filled = 0, over = 0;
    for (int b = 0; b < BINS; b++) {
        filled += count[b] > 0;
        over += count[b] > 0 && acc[b] < mean_conf[b];
    }
    snprintf(key, sizeof key, "ch09.bins.%s", name);
    numbers_put(nb, key, "%d", filled);
    snprintf(key, sizeof key, "ch09.overbins.%s", name);
    numbers_put(nb, key, "%d", over);
    snprintf(key, sizeof key, "ch09.accuracy.%s", name);
    numbers_put(nb, key, "%.1f", 100.0 * (n - wrong) / n);
    printf("%s: test accuracy %.2f%%, expected calibration error %.4f\n", name, 100.0 * (n - wrong) / n, ece);
    if (full) {
        confusion_matrix(n, K, test->y, predicted, counts);
        if (results_open(&rf, o->out, "confusion.dat") != 0)
            exit(1);
        fprintf(rf.fp, "# true class, predicted class, images, percent of the true class\n");
        int worst_t = 0, worst_p = 1;
        for (int t = 0; t < K; t++) {
            long row = 0;
            for (int p = 0; p < K; p++)
                row += counts[t * K + p];
            for (int p = 0; p < K; p++) {
                fprintf(rf.fp, "%d %d %ld %.3f\n", t, p, counts[t * K + p],
                        row ? 100.0 * counts[t * K + p] / row : 0.0);
                if (t != p && counts[t * K + p] > counts[worst_t * K + worst_p]) {
                    worst_t = t;
                    worst_p = p;
                }
            }
            fputc('\n', rf.fp);
        }
        ResultFile table;
        if (results_close(&rf) != 0 || results_open(&table, o->out, "class_table.tex") != 0)
            exit(1);
        /* Every score from its counts (eq:ch09-scores), rounded alike
         * (percent_of_counts); the lowest accuracy rounded down, to two
         * decimals, so that "at least" holds of the exact value. */
        long lowest = -1;
        for (int c = 0; c < K; c++) {
            long row = 0, column = 0, tp = counts[c * K + c];
            for (int p = 0; p < K; p++) {
                row += counts[c * K + p];
                column += counts[p * K + c];
            }
            long right = n - (row - tp) - (column - tp);   /* TP + TN */
            char acc_s[32], prec_s[32], rec_s[32];
            percent_of_counts(acc_s, sizeof acc_s, right, n, 1, PERCENT_NEAREST);
            percent_of_counts(prec_s, sizeof prec_s, tp, column, 1, PERCENT_NEAREST);
            percent_of_counts(rec_s, sizeof rec_s, tp, row, 1, PERCENT_NEAREST);
            fprintf(table.fp, "%d & %ld & %s & %s & %s \\\\\n", c, row, acc_s, prec_s, rec_s);
            if (lowest < 0 || right < lowest)
                lowest = right;
        }
        char lowest_s[32];
        percent_of_counts(lowest_s, sizeof lowest_s, lowest, n, 2, PERCENT_FLOOR);
        numbers_put(nb, "ch09.classaccuracy.lowest", "%s", lowest_s);
        if (results_close(&table) != 0)
            exit(1);
        numbers_put_count(nb, "ch09.wrong", wrong);
        numbers_put(nb, "ch09.confused.count", "%ld", counts[worst_t * K + worst_p]);
        /* Every pair with that count, in order of the true class. */
        char list[256] = "";
        int ties = 0, listed = 0;
        for (int i = 0; i < K * K; i++)
            ties += i / K != i % K && counts[i] == counts[worst_t * K + worst_p];
        for (int t = 0; t < K; t++)
            for (int p = 0; p < K; p++)
                if (t != p && counts[t * K + p] == counts[worst_t * K + worst_p]) {
                    size_t used = strlen(list);
                    snprintf(list + used, sizeof list - used, "%s%s~%d for %s~%d",
                             listed == 0 ? "" : listed == ties - 1 ? " and " : ", ",
                             t == 8 ? "an" : "a", t, p == 8 ? "an" : "a", p);
                    listed++;
                }
        verdict_put(nb, "ch09.confused.unique", &YESNO_RULE, yesno_verdict(ties == 1));
        numbers_put(nb, "ch09.confused.ties", "%s", word(ties));
        numbers_put(nb, "ch09.confused.list", "%s", list);
        /* The most confidently wrong images: the wrong ones, by confidence. */
        Mistake *mistakes = malloc(sizeof(Mistake) * (size_t)(wrong > 0 ? wrong : 1));
        int m = 0, index[HARDEST];
        if (!mistakes)
            exit(1);
        for (int i = 0; i < n; i++)
            if (!correct[i])
                mistakes[m++] = (Mistake){ i, confidence[i] };
        qsort(mistakes, (size_t)m, sizeof *mistakes, by_confidence);
        int shown = m < HARDEST ? m : HARDEST;
        for (int k = 0; k < shown; k++)
            index[k] = mistakes[k].index;
        free(mistakes);
        GridCell cell = { .pad = 2, .below = 12 };
        if (write_image_grid(o->out, "hardest.dat", test, index, shown, 8, cell) != 0 ||
            results_open(&rf, o->out, "hardest_labels.dat") != 0)
            exit(1);
        fprintf(rf.fp, "# x y true predicted confidence\n");
        int cell_w = test->cols + 2 * cell.pad, cell_h = test->rows + cell.below;
        for (int k = 0; k < shown; k++)
            fprintf(rf.fp, "%d %d %d %d %.2f\n", (k % 8) * cell_w + cell_w / 2, (k / 8) * cell_h + test->rows + 5,
                    test->y[index[k]], predicted[index[k]], confidence[index[k]]);
        if (results_close(&rf) != 0)
            exit(1);
        numbers_put(nb, "ch09.hardest.shown", "%d", shown);
        numbers_put(nb, "ch09.hardest.lowest", "%.2f", shown ? confidence[index[shown - 1]] : 0.0);
    }
    free(predicted);
    free(correct);
    free(confidence);
    return ece;
}

/* Put a paired comparison as ch09.KEY.verdict and, as say asks
 * (SAY_PAIRED_*), ch09.KEY.mean and ch09.KEY.{low,high}. */
static void put_paired(Numbers *nb, const char *key, PairedDifference d, int say)
{
    char prefix[128];
    snprintf(prefix, sizeof prefix, "ch09.%s", key);
    if (say == SAY_PAIRED) {
        paired_put(nb, prefix, d, 2);
        return;
    }
    const char *fields[3] = { "mean", "low", "high" };
    double values[3] = { d.mean, d.low, d.high };
    char name[160];
    for (int i = 0; i < 3; i++) {
        if (!(say & (i == 0 ? SAY_PAIRED_MEAN : SAY_PAIRED_INTERVAL)))
            continue;
        snprintf(name, sizeof name, "%s.%s", prefix, fields[i]);
        if (d.n < 2)
            numbers_put(nb, name, "--");
        else
            numbers_put(nb, name, "%+.2f", values[i]);
    }
    snprintf(name, sizeof name, "%s.verdict", prefix);
    verdict_put(nb, name, &PAIRED_RULE, paired_verdict(d));
}

/* put_paired for a comparison outside the paired table, counted among
 * the chapter's intervals. */
static void put_extra(Numbers *nb, const char *key, PairedDifference d)
{
    put_paired(nb, key, d, SAY_PAIRED);
    intervals += d.n >= 2;
}

/* The overfitting claim, from the per-sample runs' epochs: mean final
 * training and test accuracy, and the epoch of the lowest mean test loss
 * against the final one.  Numbers: ch09.fit.{train,test,bestepoch,
 * bestloss,lastloss}; verdicts ch09.fit.perfect (every run gets every
 * training image right at the end), ch09.fit.lossrise.* (the test loss at
 * the last epoch - at the epoch of the lowest mean, seed by seed) and
 * ch09.fit.accchange.* (the same for the test accuracy, points).  Returns
 * the loss rise's paired verdict. */
static const char *overfitting_numbers(const EpochStats *st, int seeds, int epochs, Numbers *nb)
{
    int best = 0;
    double mean_loss[epochs];
    for (int e = 0; e < epochs; e++) {
        mean_loss[e] = 0.0;
        for (int s = 0; s < seeds; s++)
            mean_loss[e] += st[(long)s * epochs + e].test_loss / seeds;
        if (mean_loss[e] < mean_loss[best])
            best = e;
    }
    double train = 0.0, test = 0.0;
    double loss_last[SWEEP_MAX_SEEDS], loss_best[SWEEP_MAX_SEEDS];
    double acc_last[SWEEP_MAX_SEEDS], acc_best[SWEEP_MAX_SEEDS];
    int perfect = 1;
    for (int s = 0; s < seeds; s++) {
        const EpochStats *last = &st[(long)s * epochs + epochs - 1], *low = &st[(long)s * epochs + best];
        train += 100 * last->train_accuracy / seeds;
        test += 100 * last->test_accuracy / seeds;
        perfect &= last->train_accuracy == 1.0;
        loss_last[s] = last->test_loss;
        loss_best[s] = low->test_loss;
        acc_last[s] = 100 * last->test_accuracy;
        acc_best[s] = 100 * low->test_accuracy;
    }
    numbers_put(nb, "ch09.fit.train", "%.1f", train);
    numbers_put(nb, "ch09.fit.test", "%.1f", test);
    numbers_put(nb, "ch09.fit.bestepoch", "%d", best + 1);
    numbers_put(nb, "ch09.fit.bestloss", "%.3f", mean_loss[best]);
    numbers_put(nb, "ch09.fit.lastloss", "%.3f", mean_loss[epochs - 1]);
    verdict_put(nb, "ch09.fit.perfect", &YESNO_RULE, yesno_verdict(perfect));
    PairedDifference rise = paired_difference(loss_last, loss_best, seeds);
    put_extra(nb, "fit.lossrise", rise);
    put_extra(nb, "fit.accchange", paired_difference(acc_last, acc_best, seeds));
    return paired_verdict(rise);
}

/* eq:ch09-paired step by step for residual - plain, cosine annealing,
 * rate 0.1: ch09.worked.{n,d,sd,t,rootn,half} (the interval itself is
 * ch09.paired.residual.cosine.01.{mean,low,high}): the differences seed by
 * seed, and the pieces of the interval that paired_difference computed. */
static void worked_interval(const SweepCell *cells, Numbers *nb)
{
    const SweepCell *a = &cells[sweep_index(1, 1, 1)], *b = &cells[sweep_index(0, 1, 1)];
    double x[SWEEP_MAX_SEEDS], y[SWEEP_MAX_SEEDS];
    int n = 0;
    for (int i = 0; i < a->seeds; i++)
        if (!isnan(a->accuracy[i]) && !isnan(b->accuracy[i])) {
            x[n] = a->accuracy[i];
            y[n++] = b->accuracy[i];
        }
    if (n < 2) {
        numbers_put(nb, "ch09.worked.n", "%d", n);
        return;
    }
    PairedDifference d = paired_difference(x, y, n);
    char list[256] = "";
    for (int i = 0; i < n; i++) {                  /* the differences, seed by seed */
        size_t used = strlen(list);
        snprintf(list + used, sizeof list - used, "%s%+.2f", i ? ",\\ " : "", x[i] - y[i]);
    }
    numbers_put(nb, "ch09.worked.n", "%d", n);
    numbers_put(nb, "ch09.worked.d", "%s", list);
    numbers_put(nb, "ch09.worked.sd", "%.3f", d.sd);
    numbers_put(nb, "ch09.worked.t", "%.3f", student_t_975(n - 1));
    numbers_put(nb, "ch09.worked.rootn", "%.3f", sqrt(n));
    numbers_put(nb, "ch09.worked.half", "%.3f", (d.high - d.low) / 2);
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
    double start = now_seconds();

    /* The sweep, per sample: every network, schedule and rate.  The cells
     * at rate 0.1 also give the learning curves; the plain network with a
     * constant rate 0.1 is the problem set's run. */
    SweepCell cells[SWEEP_CELLS];
    sweep_init(cells, o.seeds);
    Mlp32 persample_model, minibatch_model;
    EpochStats *persample_stats = NULL;
    for (int i = 0; i < SWEEP_CELLS; i++) {
        SweepCell *c = &cells[i];
        char name[64], curve[64];
        snprintf(name, sizeof name, "%s, %s, eta = %g", SWEEP_ARCH[c->arch], SWEEP_SCHEDULE[c->schedule],
                 SWEEP_RATE[c->rate]);
        snprintf(curve, sizeof curve, "%s_%s", c->arch ? "residual" : "persample", SWEEP_SCHEDULE[c->schedule]);
        Run run = { .name = name, .residual = c->arch, .cosine = c->schedule, .batch = 1,
                    .epochs = o.epochs, .limit = o.limit, .lr = SWEEP_RATE[c->rate],
                    .curves = c->rate >= 1 };
        int problem_set_run = c->arch == 0 && c->schedule == 0 && c->rate == 1;
        c->over_bound = run_seeds(&o, &run, &train, &test, c->accuracy, c->best,
                                  c->rate == 1 ? curve : NULL, problem_set_run ? &persample_model : NULL,
                                  problem_set_run ? &persample_stats : NULL);
        Summary s = sweep_summary(c);
        printf("%-34s test accuracy %5.1f%% +- %.1f over %d runs; %d diverged (%d of them trained on)\n",
               name, s.mean, s.sd, s.n, c->seeds - s.n + c->over_bound, c->over_bound);
    }
    /* Mini-batches on every training image, both schedules. */
    double batch_acc[SWEEP_SCHEDULES][SWEEP_MAX_SEEDS];
    for (int s = 0; s < SWEEP_SCHEDULES; s++) {
        char curve[64];
        snprintf(curve, sizeof curve, "minibatch_%s", SWEEP_SCHEDULE[s]);
        Run run = { .name = curve, .cosine = s, .batch = o.batch, .epochs = o.batch_epochs,
                    .limit = 0, .lr = o.batch_lr, .curves = 1 };
        run_seeds(&o, &run, &train, &test, batch_acc[s], NULL, curve, s == 0 ? &minibatch_model : NULL, NULL);
    }
    /* Without the narrowing 128 -> 64. */
    double wide_acc[SWEEP_MAX_SEEDS];
    Run wide = { .name = "784-128-128-10", .wide = 1, .batch = 1, .epochs = o.epochs, .limit = o.limit,
                 .lr = 0.1 };
    run_seeds(&o, &wide, &train, &test, wide_acc, NULL, NULL, NULL, NULL);

    double largest_share = largest_class_share(test.y, test.count);
    write_sweep(&o, cells, largest_share, &nb);
    numbers_put(&nb, "ch09.largestshare", "%.2f", largest_share);
    const SweepCell *problem_set = &cells[sweep_index(0, 0, 1)];
    SweepCell wide_cell = *problem_set, cosine_batch = *problem_set, constant_batch = *problem_set;
    memcpy(wide_cell.accuracy, wide_acc, sizeof wide_acc);
    memcpy(constant_batch.accuracy, batch_acc[0], sizeof batch_acc[0]);
    memcpy(cosine_batch.accuracy, batch_acc[1], sizeof batch_acc[1]);
    PairedDifference bottleneck = sweep_compare(problem_set, &wide_cell);
    PairedDifference batch_cosine = sweep_compare(&cosine_batch, &constant_batch);
    put_extra(&nb, "bottleneck", bottleneck);
    put_extra(&nb, "minibatch.cosine", batch_cosine);
    /* The mini-batch network against the best per-sample cell. */
    int best_cell = 0;
    for (int i = 1; i < SWEEP_CELLS; i++) {
        Summary m = sweep_summary(&cells[i]), b = sweep_summary(&cells[best_cell]);
        if (m.n && (b.n == 0 || m.mean > b.mean))
            best_cell = i;
    }
    const SweepCell *bc = &cells[best_cell];
    put_extra(&nb, "minibatch.best", sweep_compare(&constant_batch, bc));
    numbers_put(&nb, "ch09.bestcell.name", "the %s network with %s at $\\lr = %g$", SWEEP_ARCH[bc->arch],
                bc->schedule ? "cosine annealing" : "a constant rate", SWEEP_RATE[bc->rate]);
    put_percent(&nb, "ch09.bestcell.mean", sweep_summary(bc).mean);
    Summary wide_s = sweep_summary(&wide_cell), batch_s = sweep_summary(&constant_batch);
    put_percent(&nb, "ch09.wide.mean", wide_s.mean);
    put_percent(&nb, "ch09.minibatch.mean", batch_s.mean);
    put_percent(&nb, "ch09.minibatch.sd", batch_s.sd);
    put_percent(&nb, "ch09.minibatch.cosine.acc", sweep_summary(&cosine_batch).mean);
    double pytorch = write_pytorch_curve(&o, o.epochs);
    numbers_put(&nb, "ch09.pytorch.test", "%.1f", pytorch);
    const char *loss_rise = overfitting_numbers(persample_stats, o.seeds, o.epochs, &nb);
    write_claims(cells, pytorch, paired_verdict(bottleneck), paired_verdict(batch_cosine), loss_rise, &nb);
    worked_interval(cells, &nb);
    numbers_put(&nb, "ch09.comparisons", "%d", intervals);

    analyse_errors(&o, &minibatch_model, &test, "minibatch", 1, &nb);
    analyse_errors(&o, &persample_model, &test, "persample", 0, &nb);

    numbers_put_count(&nb, "ch09.train", train.count);
    numbers_put_count(&nb, "ch09.test", test.count);
    numbers_put_count(&nb, "ch09.limit", o.limit < train.count ? o.limit : train.count);
    numbers_put(&nb, "ch09.seeds", "%d", o.seeds);
    numbers_put(&nb, "ch09.epochs", "%d", o.epochs);
    numbers_put(&nb, "ch09.batch", "%d", o.batch);
    numbers_put(&nb, "ch09.batchepochs", "%d", o.batch_epochs);
    numbers_put(&nb, "ch09.batchlr", "%g", o.batch_lr);
    numbers_put(&nb, "ch09.ece.tol", "%.2f", CALIBRATION_TOL);
    printf("%.0f s\n", now_seconds() - start);
    free(persample_stats);
    mlp32_free(&persample_model);
    mlp32_free(&minibatch_model);
    dataset_free(&train);
    dataset_free(&test);
    return numbers_close(&nb) != 0;
}
