/* check_train.c - the training loop on a small synthetic data set: it
 * applies the scheduled learning rate at every step (observed in the
 * weights, not assumed), follows a given order, and stops on divergence. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kit_test.h"
#include "lib/mlp32.h"
#include "lib/schedule.h"
#include "lib/train.h"

enum { N = 24, DIM = 5, CLASSES = 3 };

/* Points whose class is the index of their largest coordinate. */
static void make_data(Dataset *d, uint64_t seed)
{
    Rng rng;
    rng_seed(&rng, seed);
    d->count = N;
    d->dim = DIM;
    d->rows = 1;
    d->cols = DIM;
    d->x = malloc(sizeof(float) * N * DIM);
    d->y = malloc(N);
    for (int i = 0; i < N; i++) {
        int best = 0;
        for (int j = 0; j < DIM; j++) {
            d->x[i * DIM + j] = (float)rng_uniform(&rng);
            if (j < CLASSES && d->x[i * DIM + j] > d->x[i * DIM + best])
                best = j;
        }
        d->y[i] = (unsigned char)best;
    }
}

static void make_net(Mlp32 *net)
{
    const int sizes[3] = { DIM, 6, CLASSES };
    ck_assert_int_eq(mlp32_create(net, 2, sizes, ACT_SIGMOID, OUTPUT_SOFTMAX), 0);
    Rng rng;
    rng_seed(&rng, 9);
    mlp32_init(net, INIT_SCALED_NORMAL, &rng);
}

static int same_weights(const Mlp32 *a, const Mlp32 *b)
{
    for (int l = 0; l < a->n_layers; l++)
        if (memcmp(a->W[l], b->W[l], sizeof(float) * (size_t)(a->sizes[l + 1] * a->sizes[l])) != 0 ||
            memcmp(a->b[l], b->b[l], sizeof(float) * (size_t)a->sizes[l + 1]) != 0)
            return 0;
    return 1;
}

/* Train with a cosine schedule through train_network, then replay the same
 * steps by hand with the rate schedule_rate(t) at step t: the weights must
 * be identical, bit for bit.  And replaying with the epoch's first rate
 * held for the whole epoch must not be: the rate changes within epochs.
 * @checks sec:ch08-off-by-one
 * @asserts training with a cosine schedule gives the same weights as
 *   steps taken by hand at $\lr_t$ for step $t$, and not those of a rate
 *   held for each epoch
 * @tolerance exact (bit for bit) */
START_TEST(test_engine_applies_schedule_every_step)
{
    Dataset d;
    make_data(&d, 1);
    const int epochs = 3, batch = 4, steps_per_epoch = N / batch;
    Schedule s = { .kind = SCHEDULE_COSINE, .lr0 = 0.9, .lr_min = 0.01,
                   .T = epochs * steps_per_epoch - 1 };
    Mlp32 trained, replayed, held;
    make_net(&trained);
    make_net(&replayed);
    make_net(&held);
    int order[3 * N];
    EpochStats st[3];
    TrainOptions o = { .epochs = epochs, .batch = batch, .schedule = schedule_learning_rate,
                       .schedule_ctx = &s, .shuffle = 1, .seed = 4, .name = "test" };
    TrainHistory h = { .epochs = st, .order = order };
    ck_assert_int_eq(train_network(&trained, &d, &d, &o, &h), 0);

    Mlp32Work w;
    ck_assert_int_eq(mlp32_work_create(&w, &replayed, batch), 0);
    float X[4 * DIM];
    unsigned char y[4];
    long t = 0;
    for (int e = 0; e < epochs; e++)
        for (int start = 0; start < N; start += batch, t++) {
            for (int r = 0; r < batch; r++) {
                memcpy(X + r * DIM, d.x + order[e * N + start + r] * DIM, sizeof(float) * DIM);
                y[r] = d.y[order[e * N + start + r]];
            }
            mlp32_train_step(&replayed, &w, batch, X, y, (float)schedule_rate(&s, t));
            mlp32_train_step(&held, &w, batch, X, y, (float)schedule_rate(&s, (long)e * steps_per_epoch));
        }
    ck_assert_msg(same_weights(&trained, &replayed), "train_network with a cosine schedule "
                  "(l_0 = 0.9, l_T = 0.01, T = %ld), %d epochs of %d steps: its weights differ "
                  "from a replay of the same steps by mlp32_train_step at rate schedule_rate(t) "
                  "for step t", s.T, epochs, steps_per_epoch);
    ck_assert_msg(!same_weights(&trained, &held), "train_network with a cosine schedule (l_0 = 0.9, "
                  "l_T = 0.01, T = %ld): its weights equal a replay that holds each epoch's first "
                  "rate for the whole epoch; the rate must change at every step", s.T);
    assert_equal(st[0].lr, schedule_rate(&s, 0), "train_network: the rate reported for epoch 0, "
                 "against schedule_rate at its first step, t = 0");
    assert_equal(st[2].lr, schedule_rate(&s, 2 * steps_per_epoch), "train_network: the rate "
                 "reported for epoch 2, against schedule_rate at its first step, t = %d",
                 2 * steps_per_epoch);
    mlp32_work_free(&w);
    mlp32_free(&trained);
    mlp32_free(&replayed);
    mlp32_free(&held);
    dataset_free(&d);
}
END_TEST

START_TEST(test_given_order_and_reproducibility)
{
    Dataset d;
    make_data(&d, 2);
    int given[2 * N], used[2 * N];
    for (int e = 0; e < 2; e++)
        for (int i = 0; i < N; i++)
            given[e * N + i] = (i * 7 + e) % N;   /* a permutation: 7 is prime to 24 */
    EpochStats st[2];
    Mlp32 a, b;
    make_net(&a);
    make_net(&b);
    TrainOptions o = { .epochs = 2, .batch = 1, .lr = 0.3, .order = given, .name = "test" };
    TrainHistory h = { .epochs = st, .order = used };
    ck_assert_int_eq(train_network(&a, &d, &d, &o, &h), 0);
    ck_assert_msg(memcmp(given, used, sizeof given) == 0, "train_network with a given order "
                  "(2 epochs of %d samples): the order it reports using differs from the one given",
                  N);
    ck_assert_int_eq(train_network(&b, &d, &d, &o, &h), 0);
    ck_assert_msg(same_weights(&a, &b), "train_network run twice with the same start, order and "
                  "rate 0.3: the weights differ");
    mlp32_free(&a);
    mlp32_free(&b);
    dataset_free(&d);
}
END_TEST

START_TEST(test_divergence_stops_training)
{
    Dataset d;
    make_data(&d, 3);
    d.x[7] = NAN;   /* one bad input poisons the loss */
    EpochStats st[2];
    Mlp32 net;
    make_net(&net);
    TrainOptions o = { .epochs = 2, .batch = 1, .lr = 0.1, .name = "poisoned" };
    TrainHistory h = { .epochs = st };
    ck_assert_msg(train_network(&net, &d, &d, &o, &h) != 0, "train_network on data holding a NaN "
                  "input must stop with an error (the loss is NaN), but returned 0");
    mlp32_free(&net);
    dataset_free(&d);
}
END_TEST

/* A rate far too large but finite: the loss grows a million-fold without
 * overflowing.  An epoch's mean loss over 100 times its start (train.h)
 * stops training, naming the epoch, unless the run expects divergence:
 * then it is recorded (exploded_epoch) and training goes on to the end.
 * A sensible rate records nothing. */
START_TEST(test_loss_far_above_start_stops_unless_expected)
{
    Dataset d;
    make_data(&d, 5);
    EpochStats st[3];
    Mlp32 net;
    make_net(&net);
    TrainOptions o = { .epochs = 3, .batch = 1, .lr = 1e6, .shuffle = 1, .seed = 1,
                       .name = "rate 1e6", .rate_option = "--lr" };
    TrainHistory h = { .epochs = st };
    ck_assert_msg(train_network(&net, &d, &d, &o, &h) != 0, "train_network at rate 1e6: the loss "
                  "grows a million-fold, and training must stop, but it returned 0");
    assert_int(h.diverged_epoch, ==, 1, "train_network at rate 1e6: diverged_epoch");
    assert_int(h.exploded_epoch, ==, 1, "train_network at rate 1e6: exploded_epoch");
    mlp32_free(&net);

    make_net(&net);
    o.divergence_expected = 1;
    memset(st, 0, sizeof st);
    ck_assert_msg(train_network(&net, &d, &d, &o, &h) == 0 && h.diverged_epoch == 0,
                  "train_network at rate 1e6 with divergence_expected: the loss stays finite, so "
                  "training must go on to the end (returned early, diverged_epoch %d)",
                  h.diverged_epoch);
    assert_int(h.exploded_epoch, ==, 1, "train_network at rate 1e6 with divergence_expected: "
               "exploded_epoch");
    assert_double(st[2].train_loss, >, 100 * log(CLASSES), "train_network at rate 1e6 with "
                  "divergence_expected: the last epoch's training loss (it must have trained on)");
    mlp32_free(&net);

    make_net(&net);
    o.lr = 0.3;
    o.divergence_expected = 0;
    ck_assert_int_eq(train_network(&net, &d, &d, &o, &h), 0);
    assert_int(h.exploded_epoch, ==, 0, "train_network at rate 0.3: exploded_epoch");
    mlp32_free(&net);
    dataset_free(&d);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("train");
    TCase *tc = tcase_create("train");
    tcase_add_test(tc, test_engine_applies_schedule_every_step);
    tcase_add_test(tc, test_given_order_and_reproducibility);
    tcase_add_test(tc, test_divergence_stops_training);
    tcase_add_test(tc, test_loss_far_above_start_stops_unless_expected);
    suite_add_tcase(s, tc);
    return s;
}
