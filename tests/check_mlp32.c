/* check_mlp32.c - the teaching engine's step (src/lib/mlp32.c) against the
 * double-precision network of chapter 03 (src/lib/mlp.c), which chapter 03
 * checked against finite differences and PyTorch. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kit_test.h"
#include "lib/activations.h"
#include "lib/fdiff.h"
#include "lib/mlp.h"
#include "lib/mlp32.h"
#include "lib/rng.h"

/* The 9-7-5-4 test network twice: the float engine f with PyTorch's
 * initial weights from the seed, and the double network d of chapter 03
 * with the same weights; their work areas; a batch of `rows` (at most 6)
 * random inputs in [0, 1), as floats and doubles, and random labels, as
 * bytes and as one-hot rows. */
static const int SIZES[4] = { 9, 7, 5, 4 };

typedef struct {
    int rows;
    Mlp32 f;
    Mlp d;
    Mlp32Work fw;
    MlpWork dw;
    MlpGrads g;
    float Xf[6 * 9];
    double Xd[6 * 9], Yd[6 * 4];
    unsigned char labels[6];
} Matched;

static void matched_create(Matched *m, Activation act, uint64_t seed, int rows)
{
    Rng rng;
    rng_seed(&rng, seed);
    m->rows = rows;
    ck_assert_int_eq(mlp32_create(&m->f, 3, SIZES, act, OUTPUT_SOFTMAX), 0);
    ck_assert_int_eq(mlp_create(&m->d, 3, SIZES, act, LOSS_CROSS_ENTROPY), 0);
    mlp32_init(&m->f, INIT_TORCH_UNIFORM, &rng);
    for (int l = 0; l < 3; l++) {
        for (int i = 0; i < SIZES[l + 1] * SIZES[l]; i++)
            m->d.W[l][i] = m->f.W[l][i];
        for (int i = 0; i < SIZES[l + 1]; i++)
            m->d.b[l][i] = m->f.b[l][i];
    }
    for (int i = 0; i < rows * 9; i++)
        m->Xd[i] = m->Xf[i] = (float)rng_uniform(&rng);
    for (int r = 0; r < rows; r++) {
        m->labels[r] = (unsigned char)rng_below(&rng, 4);
        for (int k = 0; k < 4; k++)
            m->Yd[r * 4 + k] = k == m->labels[r];
    }
    ck_assert_int_eq(mlp32_work_create(&m->fw, &m->f, rows), 0);
    ck_assert_int_eq(mlp_work_create(&m->dw, &m->d, rows), 0);
    ck_assert_int_eq(mlp_grads_create(&m->g, &m->d), 0);
}

static void matched_free(Matched *m)
{
    mlp32_work_free(&m->fw);
    mlp_work_free(&m->dw);
    mlp_grads_free(&m->g);
    mlp32_free(&m->f);
    mlp_free(&m->d);
}

static const char *hidden_name(Activation act)
{
    return act == ACT_RELU ? "ReLU" : "sigmoid";
}

/* One SGD step of the float engine, against lr times the double gradient:
 * (W_before - W_after) / lr must equal dL/dW to single precision. */
static void compare_step(Activation act, int rows, uint64_t seed)
{
    Matched m;
    matched_create(&m, act, seed, rows);
    mlp_forward(&m.d, &m.dw, rows, m.Xd);
    double loss_d = mlp_loss(&m.d, &m.dw, m.Yd);
    mlp_backward(&m.d, &m.dw, m.Yd, &m.g);
    const float lr = 0.5f;
    float loss_f = mlp32_train_step(&m.f, &m.fw, rows, m.Xf, m.labels, lr);
    char net[160];
    snprintf(net, sizeof net, "network 9-7-5-4, %s hidden units, softmax and cross-entropy, %d "
             "sample%s, seed %d", hidden_name(act), rows, rows > 1 ? "s" : "", (int)seed);
    assert_close(loss_f, loss_d, 1e-5 * fmax(1.0, loss_d), "%s: the loss from mlp32_train_step "
                 "(float) against mlp_forward and mlp_loss (double)", net);
    for (int l = 0; l < 3; l++) {
        int nw = SIZES[l + 1] * SIZES[l];
        double step_w[64], step_b[8];
        for (int i = 0; i < nw; i++)
            step_w[i] = (m.d.W[l][i] - m.f.W[l][i]) / lr;
        for (int i = 0; i < SIZES[l + 1]; i++)
            step_b[i] = (m.d.b[l][i] - m.f.b[l][i]) / lr;
        assert_vector_close(step_w, m.g.dW[l], nw, 1e-6, 1e-4, "%s: layer %d's weights (%d x %d, by "
                            "rows): the step mlp32_train_step took, (W before - W after) / lr, "
                            "against dL/dW from mlp_backward (double)", net, l + 1, SIZES[l + 1],
                            SIZES[l]);
        assert_vector_close(step_b, m.g.db[l], SIZES[l + 1], 1e-6, 1e-4, "%s: layer %d's biases: the "
                            "step mlp32_train_step took, (b before - b after) / lr, against dL/db "
                            "from mlp_backward (double)", net, l + 1);
    }
    matched_free(&m);
}

/* One sample through the 9-7-5-4 sigmoid network.
 * @checks eq:ch05-net, eq:ch03-matrix
 * @asserts one per-sample step of the float engine (9-7-5-4, sigmoid) moves every weight and
 *   bias by $\lr$ times chapter~3's double gradient
 * @tolerance 1e-4 relative (1e-6 absolute) */
START_TEST(test_per_sample_step_sigmoid)
{
    compare_step(ACT_SIGMOID, 1, 1);
}
END_TEST

START_TEST(test_per_sample_step_relu)
{
    compare_step(ACT_RELU, 1, 2);
}
END_TEST

/* A batch of 6 through the 9-7-5-4 sigmoid network.
 * @checks eq:ch03-matrix
 * @asserts one mini-batch step (6 samples) of the float engine moves every weight and bias by
 *   $\lr$ times chapter~3's double gradient of the mean loss
 * @tolerance 1e-4 relative (1e-6 absolute) */
START_TEST(test_batch_step_sigmoid)
{
    compare_step(ACT_SIGMOID, 6, 3);
}
END_TEST

START_TEST(test_batch_step_relu)
{
    compare_step(ACT_RELU, 6, 4);
}
END_TEST

/* The double-softmax bug on one layer: the loss -log softmax(softmax(Wx+b))_y
 * and the step the engine takes, against central differences in double. */
typedef struct {
    const double *x;
    int label;
} OneLayer;

static double double_softmax_loss(const double *wb, void *ctx)
{
    const OneLayer *c = ctx;   /* wb: W (3 x 4) then b (3) */
    double z[3], p[3], q[3];
    for (int i = 0; i < 3; i++) {
        z[i] = wb[12 + i];
        for (int j = 0; j < 4; j++)
            z[i] += wb[i * 4 + j] * c->x[j];
    }
    softmax_forward(1, 3, z, p);
    softmax_forward(1, 3, p, q);
    return -log(q[c->label]);
}

/* The engine's step with the double softmax.
 * @checks -
 * @asserts with the double softmax, the engine's loss is $-\log s(s(z))_y$,
 *   $s$ the softmax, and its step equals central differences
 * @tolerance 1e-6 on the loss; 1e-4 relative on the step */
START_TEST(test_double_softmax_gradient)
{
    const int sizes[2] = { 4, 3 };
    Mlp32 f;
    Mlp32Work w;
    ck_assert_int_eq(mlp32_create(&f, 1, sizes, ACT_SIGMOID, OUTPUT_DOUBLE_SOFTMAX), 0);
    ck_assert_int_eq(mlp32_work_create(&w, &f, 1), 0);
    Rng rng;
    rng_seed(&rng, 5);
    mlp32_init(&f, INIT_TORCH_UNIFORM, &rng);
    double wb[15], x[4] = { 0.2, -0.7, 1.0, 0.4 }, fd[15];
    float xf[4] = { 0.2f, -0.7f, 1.0f, 0.4f };
    for (int i = 0; i < 12; i++)
        wb[i] = f.W[0][i];
    for (int i = 0; i < 3; i++)
        wb[12 + i] = f.b[0][i];
    OneLayer ctx = { x, 2 };
    double loss_d = double_softmax_loss(wb, &ctx);
    fd_gradient(double_softmax_loss, wb, 15, 1e-6, &ctx, fd);
    unsigned char label = 2;
    float loss_f = mlp32_train_step(&f, &w, 1, xf, &label, 1.0f);
    assert_close(loss_f, loss_d, 1e-6, "one layer 4 -> 3 with the double softmax, x = %s, label 2: "
                 "the loss from mlp32_train_step (float) against -log softmax(softmax(W x + b))_y "
                 "(double)", format_vector(x, 4));
    double step[15];
    for (int i = 0; i < 12; i++)
        step[i] = wb[i] - f.W[0][i];
    for (int i = 0; i < 3; i++)
        step[12 + i] = wb[12 + i] - f.b[0][i];
    assert_vector_close(step, fd, 15, 1e-9, 1e-4, "one layer 4 -> 3 with the double softmax, "
                        "x = %s, label 2, lr 1: the step mlp32_train_step took (W by rows, then b) "
                        "against central differences of the loss (h = 1e-6)", format_vector(x, 4));
    mlp32_work_free(&w);
    mlp32_free(&f);
}
END_TEST

/* The loss as lse - z_y.
 * @checks -
 * @asserts with logits $(200, -200)$, $f_2$ underflows to 0, yet the loss for class 2 (label 1
 *   in the code, which counts from 0) is $400$, finite
 * @tolerance 1e-3 absolute */
START_TEST(test_loss_is_stable_for_extreme_logits)
{
    /* -log f_y is computed as lse - z_y: finite where f_y underflows to 0. */
    const int sizes[2] = { 1, 2 };
    Mlp32 f;
    Mlp32Work w;
    ck_assert_int_eq(mlp32_create(&f, 1, sizes, ACT_SIGMOID, OUTPUT_SOFTMAX), 0);
    ck_assert_int_eq(mlp32_work_create(&w, &f, 1), 0);
    f.W[0][0] = 200.0f;
    f.W[0][1] = -200.0f;
    float x = 1.0f;
    mlp32_forward(&f, &w, 1, &x);
    assert_equal(w.a[1][1], 0.0f, "mlp32_forward, one layer 1 -> 2, W = (200, -200), x = 1: the "
                 "softmax output f_1 (underflows)");
    assert_close(mlp32_row_loss(&f, &w, 0, 1), 400.0, 1e-3, "mlp32_row_loss for label 1 with logits "
                 "(200, -200): -log f_1 = lse - z_1, finite although f_1 underflows");
    mlp32_work_free(&w);
    mlp32_free(&f);
}
END_TEST

/* Region ch05_forward: mlp32_forward's activations, layer by layer,
 * against the double network's mlp_forward (chapter 03). */
START_TEST(test_forward_matches_double_network)
{
    const Activation kinds[2] = { ACT_SIGMOID, ACT_RELU };
    for (int k = 0; k < 2; k++) {
        Activation act = kinds[k];
        Matched m;
        double got[6 * 7];
        matched_create(&m, act, 11, 3);
        mlp_forward(&m.d, &m.dw, 3, m.Xd);
        mlp32_forward(&m.f, &m.fw, 3, m.Xf);
        for (int l = 1; l <= 3; l++) {     /* a^[1], a^[2] and the logits z^[3] */
            const float *mine = l < 3 ? m.fw.a[l] : m.fw.logits;
            const double *want = l < 3 ? m.dw.a[l] : m.dw.z[2];
            for (int i = 0; i < 3 * SIZES[l]; i++)
                got[i] = mine[i];
            assert_vector_close(got, want, 3 * SIZES[l], 1e-6, 1e-5, "mlp32_forward, network "
                                "9-7-5-4 with %s hidden units, 3 samples: %s (3 x %d, by rows) "
                                "against mlp_forward (double)", hidden_name(act),
                                l < 3 ? (l == 1 ? "a^[1]" : "a^[2]") : "the logits z^[3]", SIZES[l]);
        }
        matched_free(&m);
    }
}
END_TEST

/* Region ch05_backward: the errors delta^[l] = dL/dz^[l] that one step of
 * mlp32_train_step computes, against the double network's mlp_backward. */
START_TEST(test_backward_deltas_match_double_network)
{
    const Activation kinds[2] = { ACT_SIGMOID, ACT_RELU };
    for (int k = 0; k < 2; k++) {
        Activation act = kinds[k];
        Matched m;
        double got[6 * 7];
        matched_create(&m, act, 12, 3);
        mlp_forward(&m.d, &m.dw, 3, m.Xd);
        mlp_backward(&m.d, &m.dw, m.Yd, &m.g);
        mlp32_train_step(&m.f, &m.fw, 3, m.Xf, m.labels, 0.5f);
        for (int l = 0; l < 3; l++) {
            int n = 3 * SIZES[l + 1];
            for (int i = 0; i < n; i++)
                got[i] = m.fw.delta[l][i];
            assert_vector_close(got, m.dw.delta[l], n, 1e-7, 1e-4, "mlp32_train_step, network "
                                "9-7-5-4 with %s hidden units, 3 samples: delta^[%d] = dL/dz^[%d] "
                                "(3 x %d, by rows, for the mean loss) against mlp_backward (double)",
                                hidden_name(act), l + 1, l + 1, SIZES[l + 1]);
        }
        matched_free(&m);
    }
}
END_TEST

/* Region ch05_update: whatever errors delta and activations a the step
 * computed, it must change every weight by -lr delta^T a^[l] and every
 * bias by -lr (the column sums of delta). */
START_TEST(test_update_is_the_gradient_step)
{
    const float lr = 0.5f;
    for (int rows = 1; rows <= 3; rows += 2) {
        Matched m;
        Mlp32 before;
        double step[7 * 9], want[7 * 9];
        matched_create(&m, ACT_SIGMOID, 13, rows);
        ck_assert_int_eq(mlp32_create(&before, 3, SIZES, ACT_SIGMOID, OUTPUT_SOFTMAX), 0);
        mlp32_copy(&before, &m.f);
        mlp32_train_step(&m.f, &m.fw, rows, m.Xf, m.labels, lr);
        for (int l = 0; l < 3; l++) {
            int n_in = SIZES[l], n_out = SIZES[l + 1];
            const float *a = l > 0 ? m.fw.a[l] : m.Xf, *delta = m.fw.delta[l];
            for (int i = 0; i < n_out; i++)
                for (int j = 0; j < n_in; j++) {
                    double sum = 0.0;
                    for (int r = 0; r < rows; r++)
                        sum += (double)delta[r * n_out + i] * a[r * n_in + j];
                    want[i * n_in + j] = -lr * sum;
                    step[i * n_in + j] = (double)m.f.W[l][i * n_in + j] - before.W[l][i * n_in + j];
                }
            assert_vector_close(step, want, n_out * n_in, 1e-7, 1e-4, "mlp32_train_step, %d "
                                "sample%s, lr 0.5: the change of W^[%d] (%d x %d, by rows) against "
                                "-lr delta^[%d]^T a^[%d] from the step's own delta and a", rows,
                                rows > 1 ? "s" : "", l + 1, n_out, n_in, l + 1, l);
            for (int i = 0; i < n_out; i++) {
                double sum = 0.0;
                for (int r = 0; r < rows; r++)
                    sum += delta[r * n_out + i];
                want[i] = -lr * sum;
                step[i] = (double)m.f.b[l][i] - before.b[l][i];
            }
            assert_vector_close(step, want, n_out, 1e-7, 1e-4, "mlp32_train_step, %d sample%s, "
                                "lr 0.5: the change of b^[%d] against -lr (column sums of "
                                "delta^[%d])", rows, rows > 1 ? "s" : "", l + 1, l + 1);
        }
        mlp32_free(&before);
        matched_free(&m);
    }
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("mlp32");
    TCase *tc = tcase_create("mlp32");
    tcase_add_test(tc, test_per_sample_step_sigmoid);
    tcase_add_test(tc, test_per_sample_step_relu);
    tcase_add_test(tc, test_batch_step_sigmoid);
    tcase_add_test(tc, test_batch_step_relu);
    tcase_add_test(tc, test_double_softmax_gradient);
    tcase_add_test(tc, test_loss_is_stable_for_extreme_logits);
    tcase_add_test(tc, test_forward_matches_double_network);
    tcase_add_test(tc, test_backward_deltas_match_double_network);
    tcase_add_test(tc, test_update_is_the_gradient_step);
    suite_add_tcase(s, tc);
    return s;
}
