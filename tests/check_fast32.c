/* check_fast32.c - the fast engine (src/lib/fast32.c) against the teaching
 * engine (src/lib/mlp32.c), on chapter 05's 784-128-64-10 network and the
 * committed MNIST subset (data/mnist), whose images are mostly zeros, as
 * the sparse first layer needs.  Not graded: the handout trains with the
 * teaching engine in its place.
 *
 * Tolerances.  The engines add the same products in different orders (the
 * sparse layer leaves the zero terms out; a block of rows goes through the
 * BLAS apart from the rest), so they agree to rounding, not to the bit:
 * a float's rounding is 6e-8 of its size, a sum of a few hundred terms
 * rounds to some 1e-6, and a few hundred steps of SGD carry the
 * differences on without growing them much at these rates.  The losses
 * must agree to 1e-5 (relative) and every weight and bias to 1e-5
 * (absolute; they are of size 0.01 to 1). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kit_test.h"
#include "lib/fast32.h"
#include "lib/linalg.h"
#include "lib/mlp32.h"
#include "lib/mnist.h"
#include "lib/rng.h"
#include "lib/train.h"

/* The MNIST training images, loaded once. */
static Dataset train_set, test_set;

static void load_mnist(void)
{
    if (train_set.count == 0)
        ck_assert_int_eq(mnist_load("data/mnist", &train_set, &test_set), 0);
    blas_set_threads(1);
}

/* Chapter 05's network twice from the same weights (seed 3, sigmoid):
 * a for the teaching engine, with its work area, b for the fast one. */
typedef struct {
    Mlp32 a, b;
    Mlp32Work aw;
    Fast32 fb;
} Twins;

static void twins_create(Twins *t, int rows, int threads, int sparse)
{
    Rng rng;
    rng_seed(&rng, 3);
    ck_assert_int_eq(mnist_network(&t->a, OUTPUT_SOFTMAX), 0);
    ck_assert_int_eq(mnist_network(&t->b, OUTPUT_SOFTMAX), 0);
    mlp32_init(&t->a, INIT_SCALED_NORMAL, &rng);
    mlp32_copy(&t->b, &t->a);
    ck_assert_int_eq(mlp32_work_create(&t->aw, &t->a, rows), 0);
    ck_assert_int_eq(fast32_create(&t->fb, &t->b, rows, threads), 0);
    fast32_set_sparse(&t->fb, sparse);
}

static void twins_free(Twins *t)
{
    mlp32_work_free(&t->aw);
    fast32_free(&t->fb);
    mlp32_free(&t->a);
    mlp32_free(&t->b);
}

/* The largest difference between two networks' weights and biases. */
static double largest_difference(const Mlp32 *a, const Mlp32 *b)
{
    double worst = 0.0;
    for (int l = 0; l < a->n_layers; l++) {
        long nw = (long)a->sizes[l + 1] * a->sizes[l];
        for (long i = 0; i < nw; i++)
            worst = fmax(worst, fabs((double)a->W[l][i] - b->W[l][i]));
        for (int i = 0; i < a->sizes[l + 1]; i++)
            worst = fmax(worst, fabs((double)a->b[l][i] - b->b[l][i]));
    }
    return worst;
}

/* `steps` steps of `rows` consecutive training images each, from image 0,
 * on both engines: the losses and then the networks agree. */
static void assert_steps_agree(int rows, int steps, int threads, int sparse, float lr)
{
    load_mnist();
    Twins t;
    twins_create(&t, rows, threads, sparse);
    for (int s = 0; s < steps; s++) {
        const float *X = train_set.x + 784L * rows * s;
        const unsigned char *y = train_set.y + (long)rows * s;
        float teaching = mlp32_train_step(&t.a, &t.aw, rows, X, y, lr);
        float fast = fast32_train_step(&t.fb, &t.b, rows, X, y, lr);
        assert_double(fabs(fast - teaching), <=, 1e-5 * fabs(teaching),
                      "batches of %d, %d thread(s), sparse %s, lr %g, step %d of %d: the fast "
                      "engine's loss (%.9g) against the teaching engine's (%.9g)", rows, threads,
                      sparse ? "on" : "off", lr, s + 1, steps, fast, teaching);
    }
    fast32_finish(&t.fb, &t.b);
    assert_double(largest_difference(&t.a, &t.b), <=, 1e-5, "batches of %d, %d thread(s), sparse "
                  "%s, after %d steps: the largest difference between the engines' weights",
                  rows, threads, sparse ? "on" : "off", steps);
    twins_free(&t);
}

/* Per-sample steps: the sparse first layer and the dense fused one (W^[1]'s
 * update owed to the next step's sweep, paid by fast32_finish), on one
 * thread and on two, take the teaching engine's steps (300 of them on one
 * thread, 100 on two: the suite runs under valgrind too).
 * @checks eq:ch05-net
 * @asserts 300 per-sample steps of the fast engine (sparse first layer on
 *   and off; 100 on two threads) give the teaching engine's losses and,
 *   after \texttt{fast32\_finish}, its weights
 * @tolerance 1e-5 relative (losses), 1e-5 absolute (weights) */
START_TEST(test_per_sample_steps_match_teaching)
{
    for (int threads = 1; threads <= 2; threads++)
        for (int sparse = 0; sparse <= 1; sparse++)
            assert_steps_agree(1, threads == 1 ? 300 : 100, threads, sparse, 0.1f);
}
END_TEST

/* Mini-batch steps of 64, 100 (blocks of rows that do not divide it) and
 * 256: rows shared by the threads in the forward and backward passes,
 * pixels or rows of the weights in the updates.
 * @checks eq:ch05-net
 * @asserts 3 steps on batches of 64, 100 and 256 of the fast engine
 *   (sparse first layer on and off, one and two threads) give the teaching
 *   engine's losses and weights
 * @tolerance 1e-5 relative (losses), 1e-5 absolute (weights) */
START_TEST(test_batch_steps_match_teaching)
{
    static const int batches[3] = { 64, 100, 256 };
    for (int k = 0; k < 3; k++)
        for (int threads = 1; threads <= 2; threads++)
            for (int sparse = 0; sparse <= 1; sparse++)
                assert_steps_agree(batches[k], 3, threads, sparse, 0.5f);
}
END_TEST

/* Per-sample steps on two threads against one: the dense sweep over
 * W^[1] goes a block of its rows a thread, the sparse update a block of
 * WT's pixels a thread; each weight's arithmetic is the same either way.
 * @checks -
 * @asserts 200 per-sample steps of the fast engine on two threads give the
 *   one-thread losses and weights to the bit, sparse first layer on and off
 * @tolerance exact */
START_TEST(test_two_threads_match_one_thread_exactly)
{
    enum { STEPS = 200 };
    load_mnist();
    for (int sparse = 0; sparse <= 1; sparse++) {
        Twins one, two;
        twins_create(&one, 1, 1, sparse);
        twins_create(&two, 1, 2, sparse);
        for (int s = 0; s < STEPS; s++) {
            const float *x = train_set.x + 784L * s;
            float a = fast32_train_step(&one.fb, &one.b, 1, x, &train_set.y[s], 0.1f);
            float b = fast32_train_step(&two.fb, &two.b, 1, x, &train_set.y[s], 0.1f);
            assert_equal(b, a, "per-sample steps, sparse %s, lr 0.1, step %d of %d: the loss "
                         "on two threads against one", sparse ? "on" : "off", s + 1, STEPS);
        }
        fast32_finish(&one.fb, &one.b);
        fast32_finish(&two.fb, &two.b);
        for (int l = 0; l < 3; l++) {
            size_t nw = (size_t)one.b.sizes[l + 1] * (size_t)one.b.sizes[l];
            ck_assert_msg(memcmp(one.b.W[l], two.b.W[l], sizeof(float) * nw) == 0 &&
                              memcmp(one.b.b[l], two.b.b[l],
                                     sizeof(float) * (size_t)one.b.sizes[l + 1]) == 0,
                          "per-sample steps, sparse %s: layer %d's weights and biases after %d "
                          "steps differ between two threads and one", sparse ? "on" : "off",
                          l + 1, STEPS);
        }
        twins_free(&one);
        twins_free(&two);
    }
}
END_TEST

/* fast32_gather_batch on two threads: each of the batch's rows (37 of
 * them, an odd number, so the threads' blocks differ) is the data set's
 * row idx[r], label included, copied whole.
 * @checks -
 * @asserts every row and label of a batch gathered by two threads is the
 *   data set's
 * @tolerance exact */
START_TEST(test_gather_batch_on_two_threads)
{
    enum { COUNT = 100, ROWS = 37, DIM = 784 };
    Dataset d = { .count = COUNT, .dim = DIM, .rows = 28, .cols = 28 };
    d.x = malloc(sizeof(float) * COUNT * DIM);
    d.y = malloc(COUNT);
    float *X = malloc(sizeof(float) * ROWS * DIM);
    unsigned char y[ROWS];
    int idx[ROWS];
    ck_assert(d.x && d.y && X);
    for (int i = 0; i < COUNT * DIM; i++)
        d.x[i] = (float)i;
    for (int i = 0; i < COUNT; i++)
        d.y[i] = (unsigned char)(i % 10);
    for (int r = 0; r < ROWS; r++)
        idx[r] = (7 * r + 3) % COUNT;
    Mlp32 net;
    Fast32 f;
    ck_assert_int_eq(mnist_network(&net, OUTPUT_SOFTMAX), 0);
    ck_assert_int_eq(fast32_create(&f, &net, ROWS, 2), 0);
    fast32_gather_batch(&f, &d, idx, ROWS, X, y);
    for (int r = 0; r < ROWS; r++) {
        ck_assert_msg(memcmp(X + r * DIM, d.x + idx[r] * DIM, sizeof(float) * DIM) == 0,
                      "fast32_gather_batch on two threads: row %d of %d is not the data set's "
                      "row %d", r, ROWS, idx[r]);
        ck_assert_msg(y[r] == d.y[idx[r]], "fast32_gather_batch on two threads: label %d of %d "
                      "is %d, not the data set's label %d of row %d", r, ROWS, y[r], d.y[idx[r]],
                      idx[r]);
    }
    fast32_free(&f);
    mlp32_free(&net);
    free(X);
    free(d.x);
    free(d.y);
}
END_TEST

/* A network the fast engine does not train: fast32_create says why. */
static void assert_refused(const Mlp32 *net, const char *reason)
{
    Fast32 f;
    StderrCapture c;
    char msg[512];
    capture_stderr_begin(&c);
    int status = fast32_create(&f, net, 4, 1);
    capture_stderr_end(&c, msg, sizeof msg);
    assert_int(status, ==, -1, "fast32_create on a network with %s", reason);
    ck_assert_msg(strstr(msg, "error: the fast engine does not train this network") &&
                      strstr(msg, reason),
                  "fast32_create on a network with %s: the message \"%s\" does not say so",
                  reason, msg);
}

/* @checks -
 * @asserts a network with a residual block, or with chapter 05's double
 *   softmax, is refused with -1 and a message that names the reason
 * @tolerance exact */
START_TEST(test_refuses_what_it_does_not_train)
{
    static const int sizes[4] = { 784, 64, 64, 10 };
    static const SkipKind skips[3] = { SKIP_NONE, SKIP_IDENTITY, SKIP_NONE };
    Mlp32 net;
    ck_assert_int_eq(mlp32_create_residual(&net, 3, sizes, skips, ACT_RELU, OUTPUT_SOFTMAX), 0);
    assert_refused(&net, "residual block");
    mlp32_free(&net);
    ck_assert_int_eq(mnist_network(&net, OUTPUT_DOUBLE_SOFTMAX), 0);
    assert_refused(&net, "double softmax");
    mlp32_free(&net);
}
END_TEST

/* The test accuracy after training chapter 05's network on the first
 * 300 images for `epochs` epochs with the given engine. */
static double trained_accuracy(Engine engine, int batch, double lr, int epochs)
{
    Mlp32 net;
    Rng rng;
    rng_seed(&rng, 5);
    ck_assert_int_eq(mnist_network(&net, OUTPUT_SOFTMAX), 0);
    mlp32_init(&net, INIT_SCALED_NORMAL, &rng);
    EpochStats st[10];
    TrainHistory h = { .epochs = st };
    TrainOptions o = { .epochs = epochs, .batch = batch, .lr = lr, .limit = 300, .shuffle = 1,
                       .seed = 7, .name = "check_fast32", .skip_evaluation = 1, .engine = engine };
    ck_assert_int_eq(train_network(&net, &train_set, &test_set, &o, &h), 0);
    double loss, accuracy;
    ck_assert_int_eq(evaluate_network(&net, &test_set, 0, &loss, &accuracy), 0);
    mlp32_free(&net);
    return 100 * accuracy;
}

/* train_network with TrainOptions.engine = ENGINE_FAST.
 * @checks -
 * @asserts training chapter 05's network on 300 images (5 epochs per
 *   sample at rate 0.1, and 8 epochs of batches of 8 at rate 1) with
 *   the fast engine reaches the teaching engine's test accuracy
 * @tolerance 0.3 percentage points */
START_TEST(test_training_run_matches_teaching)
{
    load_mnist();
    static const int batch[2] = { 1, 8 }, epochs[2] = { 5, 8 };
    static const double lr[2] = { 0.1, 1.0 };
    for (int k = 0; k < 2; k++) {
        double teaching = trained_accuracy(ENGINE_TEACHING, batch[k], lr[k], epochs[k]);
        double fast = trained_accuracy(ENGINE_FAST, batch[k], lr[k], epochs[k]);
        assert_double(fabs(fast - teaching), <=, 0.3, "batches of %d, lr %g, %d epochs: the fast "
                      "engine's test accuracy %.2f%% against the teaching engine's %.2f%%",
                      batch[k], lr[k], epochs[k], fast, teaching);
    }
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("fast32");
    TCase *tc = tcase_create("fast32");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_per_sample_steps_match_teaching);
    tcase_add_test(tc, test_batch_steps_match_teaching);
    tcase_add_test(tc, test_two_threads_match_one_thread_exactly);
    tcase_add_test(tc, test_gather_batch_on_two_threads);
    tcase_add_test(tc, test_refuses_what_it_does_not_train);
    tcase_add_test(tc, test_training_run_matches_teaching);
    suite_add_tcase(s, tc);
    return s;
}
