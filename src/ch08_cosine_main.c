/* ch08_cosine - cosine annealing against a constant learning rate on the
 * problem set's MNIST run, for several initial rates; and the schedules
 * side by side.  Writes chapter 08's results.  See --help. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ch08_cosine.h"
#include "lib/cli.h"
#include "lib/linalg.h"
#include "lib/mnist.h"
#include "lib/train.h"
#include "lib/results.h"
#include "lib/rng.h"

static const double RATES[] = { 0.01, 0.1, 1.0 };
enum { N_RATES = sizeof RATES / sizeof RATES[0] };

/* The numbers of each run that the chapter's sentences print, by rate (as
 * RATES) and schedule (constant, cosine), so that none is written unread
 * (tools/check-refs.py refuses one): .trainloss, .trainacc, and the epochs
 * at chance, .firstchance, .lastchance, with the rates at their ends,
 * .firstchancerate and .lastchancerate.  Every run's .test and verdicts
 * are written; its table row has the rest. */
enum { SAY_TRAINLOSS = 1, SAY_TRAINACC = 2, SAY_FIRSTCHANCE = 4, SAY_LASTCHANCE = 8, SAY_CHANCERATES = 16 };
static const int SAY[N_RATES][2] = {
    { SAY_TRAINLOSS | SAY_TRAINACC, SAY_TRAINLOSS | SAY_TRAINACC },
    { SAY_TRAINACC, SAY_TRAINACC },
    { SAY_TRAINLOSS | SAY_FIRSTCHANCE, SAY_TRAINLOSS | SAY_FIRSTCHANCE | SAY_LASTCHANCE | SAY_CHANCERATES },
};

/* Two single runs' final test accuracies "agree" (agree_verdict) when they
 * differ by at most this many percentage points. */
static const double AGREE_POINTS = 1.0;

/* A rate for the text: 0, a plain decimal to three digits, scientific
 * notation when it is small, or -- for none (NaN). */
static void put_rate(Numbers *nb, const char *key, double v)
{
    if (isnan(v))
        numbers_put(nb, key, "--");
    else if (v != 0.0 && fabs(v) < 1e-3)
        numbers_put_sci(nb, key, v);
    else
        numbers_put(nb, key, "%.3g", v);
}

/* (eq:ch08-cosine) evaluated by the library at a few steps of the run. */
static void put_rate_points(Numbers *nb, double l0, double lT, long steps)
{
    long t[COSINE_POINTS];
    double rate[COSINE_POINTS];
    cosine_rate_points(l0, lT, steps, t, rate);
    numbers_put(nb, "ch08.points.lr0", "%g", l0);
    numbers_put_count(nb, "ch08.points.T", t[COSINE_POINTS - 1]);
    for (int i = 0; i < COSINE_POINTS; i++) {
        char key[64];
        snprintf(key, sizeof key, "ch08.points.%d.t", i);
        numbers_put_count(nb, key, t[i]);
        snprintf(key, sizeof key, "ch08.points.%d.rate", i);
        put_rate(nb, key, rate[i]);
    }
}

/* The total step length of the cosine run from l0 over the constant
 * rate's, ch08.steptotal (the text quotes it for the smallest rate). */
static void put_step_total(Numbers *nb, double l0, double lT, long steps)
{
    Schedule s = cosine_for_run(l0, lT, steps);
    double total = 0.0;
    for (long k = 0; k < steps; k++)
        total += schedule_rate(&s, k);
    numbers_put(nb, "ch08.steptotal", "%.2f", total / (l0 * steps));
}

/* An epoch (from 1) for the text, or -- for none. */
static void put_epoch(Numbers *nb, const char *key, int epoch)
{
    if (epoch > 0)
        numbers_put(nb, key, "%d", epoch);
    else
        numbers_put(nb, key, "--");
}

typedef struct {
    const char *data, *out;
    uint64_t seed;
    int epochs, limit;
    double lr_min;
} Options;

static Options parse_command_line(int argc, char **argv)
{
    Options o = { .data = "data/mnist", .out = "ch08-results", .seed = 1, .epochs = 50,
                  .limit = 1000, .lr_min = 0.0 };
    const Option table[] = {
        { "data", "DIR", OPT_STRING, &o.data, 0, 0, "the four MNIST IDX files" },
        { "epochs", "N", OPT_INT, &o.epochs, 1, 100000, "epochs of each run" },
        { "limit", "N", OPT_INT, &o.limit, 1, 100000000, "training digits" },
        { "lr-min", "RATE", OPT_DOUBLE, &o.lr_min, -1e30, 1e30, "l_T, the rate cosine annealing ends at" },
        { "seed", "N", OPT_U64, &o.seed, 0, 0, "seed for the weights and the shuffles" },
        { "out", "DIR", OPT_STRING, &o.out, 0, 0,
          "where to write the results (make passes\n"
          "build/results/ch08, which it owns)" },
        { 0 },
    };
    parse_options(argc, argv, table,
                  "Train the problem set's network (per-sample SGD, the first 1,000 digits) with a\n"
                  "constant learning rate and with cosine annealing, for the initial rates 0.01,\n"
                  "0.1 and 1; write the schedules and the curves for chapter 08.");
    /* Every cosine schedule of the runs must make sense before any runs. */
    for (int r = 0; r < N_RATES; r++) {
        Schedule s = cosine_for_run(RATES[r], o.lr_min, 2);
        char err[256];
        if (schedule_check(&s, err, sizeof err) != 0)
            usage_error(argv[0], "--lr-min: %s", err);
    }
    return o;
}

/* The four schedules over a run of the given length, for the figure. */
static int write_schedules(const char *dir, int epochs, long steps_per_epoch, double l0)
{
    long steps = epochs * steps_per_epoch;
    Schedule constant = { .kind = SCHEDULE_CONSTANT, .lr0 = l0 };
    Schedule step = { .kind = SCHEDULE_STEP, .lr0 = l0, .step_size = 10 * steps_per_epoch, .gamma = 0.5 };
    Schedule cosine = cosine_for_run(l0, 0.0, steps);
    Schedule restarts = { .kind = SCHEDULE_COSINE_RESTARTS, .lr0 = l0, .lr_min = 0.0,
                          .T = 10 * steps_per_epoch, .mult = 2 };
    ResultFile rf;
    if (results_open(&rf, dir, "schedules.dat") != 0)
        return -1;
    fprintf(rf.fp, "# epoch constant step cosine cosine_warm_restarts\n");
    long stride = steps_per_epoch >= 20 ? steps_per_epoch / 20 : 1;   /* 20 points an epoch */
    for (long t = 0; t < steps; t += stride) {
        fprintf(rf.fp, "%.3f %.6g %.6g %.6g %.6g\n", (double)t / steps_per_epoch,
                schedule_rate(&constant, t), schedule_rate(&step, t), schedule_rate(&cosine, t),
                schedule_rate(&restarts, t));
    }
    fprintf(rf.fp, "%.3f %.6g %.6g %.6g %.6g\n", (double)(steps - 1) / steps_per_epoch,
            schedule_rate(&constant, steps - 1), schedule_rate(&step, steps - 1),
            schedule_rate(&cosine, steps - 1), schedule_rate(&restarts, steps - 1));
    return results_close(&rf);
}

/* The verdicts of one run, keys ch08.KIND.RATE.*: its final test accuracy
 * against chance (.chance); whether it recovered from chance
 * (.recovery, RECOVERY_RULE); as say asks (SAY_*), the first and last
 * epoch at chance (.firstchance, .lastchance, -- for none) with the rate
 * at the end of each (.firstchancerate, .lastchancerate); whether its
 * final training loss is below log 10, a uniform guess's (.belowuniform). */
static void put_verdicts(Numbers *nb, int say, const char *kind, double lr0, const Schedule *s,
                         const EpochStats *st, int epochs, long steps_per_epoch, double share)
{
    double *acc = malloc((size_t)epochs * sizeof *acc);
    if (!acc) {
        fprintf(stderr, "ch08_cosine: out of memory\n");
        exit(1);
    }
    for (int e = 0; e < epochs; e++)
        acc[e] = 100 * st[e].test_accuracy;
    char key[64];
    snprintf(key, sizeof key, "ch08.%s.%g.chance", kind, lr0);
    verdict_put(nb, key, &CHANCE_RULE, chance_verdict(acc[epochs - 1], share));
    snprintf(key, sizeof key, "ch08.%s.%g.recovery", kind, lr0);
    verdict_put(nb, key, &RECOVERY_RULE, recovery_verdict(acc, epochs, share));
    int first = first_epoch_at_chance(acc, epochs, share);
    int lastc = last_epoch_at_chance(acc, epochs, share);
    if (say & SAY_FIRSTCHANCE) {
        snprintf(key, sizeof key, "ch08.%s.%g.firstchance", kind, lr0);
        put_epoch(nb, key, first);
    }
    if (say & SAY_LASTCHANCE) {
        snprintf(key, sizeof key, "ch08.%s.%g.lastchance", kind, lr0);
        put_epoch(nb, key, lastc);
    }
    if (say & SAY_CHANCERATES) {
        snprintf(key, sizeof key, "ch08.%s.%g.firstchancerate", kind, lr0);
        put_rate(nb, key, first ? schedule_rate(s, first * steps_per_epoch - 1) : NAN);
        snprintf(key, sizeof key, "ch08.%s.%g.lastchancerate", kind, lr0);
        put_rate(nb, key, lastc ? schedule_rate(s, lastc * steps_per_epoch - 1) : NAN);
    }
    snprintf(key, sizeof key, "ch08.%s.%g.belowuniform", kind, lr0);
    verdict_put(nb, key, &YESNO_RULE, yesno_verdict(st[epochs - 1].train_loss < log(10.0)));
    free(acc);
}

int main(int argc, char **argv)
{
    Options o = parse_command_line(argc, argv);
    blas_set_threads(1);
    Dataset train, test;
    if (mnist_load(o.data, &train, &test) != 0)
        return 1;
    if (make_directories(o.out) != 0)
        return 1;
    int n = o.limit < train.count ? o.limit : train.count;
    long steps = (long)o.epochs * n;
    if (write_schedules(o.out, o.epochs, n, 0.1) != 0)
        return 1;
    Numbers nb;
    if (numbers_open(&nb, o.out) != 0)
        return 1;
    numbers_put(&nb, "ch08.epochs", "%d", o.epochs);
    numbers_put_count(&nb, "ch08.limit", n);
    numbers_put_count(&nb, "ch08.steps", steps);
    numbers_put(&nb, "ch08.lrmin", "%g", o.lr_min);
    numbers_put_sci(&nb, "ch08.lastrate.epochs", last_rate_counting_epochs(0.1, 0.0, o.epochs));
    put_rate_points(&nb, 0.1, o.lr_min, steps);
    put_step_total(&nb, RATES[0], o.lr_min, steps);
    double share = largest_class_share(test.y, test.count);
    numbers_put(&nb, "ch08.largestshare", "%.2f", share);
    numbers_put(&nb, "ch08.uniformloss", "%.2f", log(10.0));
    numbers_put(&nb, "ch08.agreetol", "%g", AGREE_POINTS);
    numbers_put_count(&nb, "ch08.agreeimages", lround(AGREE_POINTS / 100.0 * test.count));
    double final[N_RATES][2], trainacc[2];
    /* The highest accuracy still at chance, for the figure's dotted line. */
    ResultFile chance;
    if (results_open(&chance, o.out, "chance.dat") != 0)
        return 1;
    fprintf(chance.fp, "# epoch accuracy: the largest class share plus the chance margin (%%)\n"
                       "0 %.4f\n%d %.4f\n", share + CHANCE_MARGIN, o.epochs, share + CHANCE_MARGIN);
    if (results_close(&chance) != 0)
        return 1;

    ResultFile table;
    if (results_open(&table, o.out, "runs_table.tex") != 0)
        return 1;
    for (int r = 0; r < N_RATES; r++) {
        for (int cos_run = 0; cos_run < 2; cos_run++) {
            Mlp32 net;
            if (mnist_network(&net, OUTPUT_SOFTMAX) != 0)
                return 1;
            Rng rng;
            rng_seed(&rng, o.seed);
            mlp32_init(&net, INIT_SCALED_NORMAL, &rng);   /* the same start for every run */
            Schedule s = cos_run ? cosine_for_run(RATES[r], o.lr_min, steps)
                                 : (Schedule){ .kind = SCHEDULE_CONSTANT, .lr0 = RATES[r] };
            char name[64];
            snprintf(name, sizeof name, "%s, l_0 = %g", cos_run ? "cosine" : "constant", RATES[r]);
            EpochStats *st = calloc((size_t)o.epochs, sizeof *st);
            TrainOptions t = { .epochs = o.epochs, .batch = 1, .schedule = schedule_learning_rate,
                               .schedule_ctx = &s, .limit = n, .shuffle = 1, .seed = o.seed, .name = name };
            TrainHistory h = { .epochs = st };
            if (!st || train_network(&net, &train, &test, &t, &h) != 0)
                return 1;
            char file[64], key[64];
            snprintf(file, sizeof file, "run_%s_%g.dat", cos_run ? "cosine" : "constant", RATES[r]);
            if (write_epoch_curve(o.out, file, st, o.epochs) != 0)
                return 1;
            double best = 0.0;
            for (int e = 0; e < o.epochs; e++)
                best = fmax(best, st[e].test_accuracy);
            const EpochStats *last = &st[o.epochs - 1];
            printf("%-24s test accuracy %.2f%% (best %.2f%%), training loss %.4f\n", name,
                   100 * last->test_accuracy, 100 * best, last->train_loss);
            const char *kind = cos_run ? "cosine" : "constant";
            fprintf(table.fp, "%g & %s & %.2f\\,\\%% & %.2f\\,\\%% & %.4f & %.4f \\\\\n", RATES[r], kind,
                    100 * last->test_accuracy, 100 * best, last->train_loss, last->test_loss);
            /* Keys ch08.KIND.RATE.test, and as SAY asks .trainloss and
             * .trainacc, for KIND constant or cosine and RATE 0.01, 0.1, 1:
             * ch08.constant.0.01.test, ..., ch08.cosine.0.1.trainacc; and
             * the run's verdicts (put_verdicts). */
            int say = SAY[r][cos_run];
            snprintf(key, sizeof key, "ch08.%s.%g.test", kind, RATES[r]);
            numbers_put(&nb, key, "%.2f", 100 * last->test_accuracy);
            if (say & SAY_TRAINLOSS) {
                snprintf(key, sizeof key, "ch08.%s.%g.trainloss", kind, RATES[r]);
                numbers_put(&nb, key, "%.3g", last->train_loss);
            }
            if (say & SAY_TRAINACC) {
                snprintf(key, sizeof key, "ch08.%s.%g.trainacc", kind, RATES[r]);
                numbers_put(&nb, key, "%.1f", 100 * last->train_accuracy);
            }
            put_verdicts(&nb, say, kind, RATES[r], &s, st, o.epochs, n, share);
            final[r][cos_run] = 100 * last->test_accuracy;
            trainacc[cos_run] = 100 * last->train_accuracy;
            free(st);
            mlp32_free(&net);
        }
        /* ch08.RATE.agree: the two schedules' final test accuracies. */
        char key[64];
        snprintf(key, sizeof key, "ch08.%g.agree", RATES[r]);
        verdict_put(&nb, key, &AGREE_RULE, agree_verdict(final[r][1], final[r][0], AGREE_POINTS));
        /* ch08.RATE.order: cosine annealing higher, level or lower. */
        snprintf(key, sizeof key, "ch08.%g.order", RATES[r]);
        verdict_put(&nb, key, &COMPARE_RULE, compare_verdict(final[r][1], final[r][0], AGREE_POINTS));
        /* ch08.RATE.sametrainacc: the two training accuracies print alike
         * (as ch08.KIND.RATE.trainacc, one decimal). */
        snprintf(key, sizeof key, "ch08.%g.sametrainacc", RATES[r]);
        verdict_put(&nb, key, &YESNO_RULE, yesno_verdict(same_when_printed(trainacc[0], trainacc[1], 1)));
    }
    /* ch08.consistent: the report's claim, cosine annealing higher than the
     * constant rate by more than the agreement tolerance at every rate. */
    int consistent = 1;
    for (int r = 0; r < N_RATES; r++)
        consistent &= final[r][1] > final[r][0] + AGREE_POINTS;
    verdict_put(&nb, "ch08.consistent", &YESNO_RULE, yesno_verdict(consistent));
    dataset_free(&train);
    dataset_free(&test);
    if (results_close(&table) != 0)
        return 1;
    return numbers_close(&nb) != 0;
}
