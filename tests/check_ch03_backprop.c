/* check_ch03_backprop.c - chapter 03's backpropagation, checked three
 * ways: the derivation's index sums against the matrix code, every
 * gradient against central finite differences, and against PyTorch. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ch03_backprop.h"
#include "kit_test.h"
#include "lib/fixture.h"
#include "lib/gradcheck.h"
#include "lib/mlp.h"
#include "lib/rng.h"

static const char *FIXTURE = "tests/fixtures/ch03_backprop.bin";

static const char *loss_name(LossKind loss)
{
    return loss == LOSS_CROSS_ENTROPY ? "cross-entropy" : "quadratic";
}

/* Check 1: each delta and gradient by the derivation's sums equals the
 * matrix code's, for the chapter's shapes and both losses: the comparison
 * the program prints (compare_sums_with_matrices, src/ch03_backprop.c).
 * @checks eq:ch03-delta3, eq:ch03-delta2, eq:ch03-delta1, eq:ch03-gradients,
 *   eq:ch03-matrix
 * @asserts for the program's shapes and both losses, every error and gradient
 *   by the index sums equals the matrix code's
 * @tolerance 1e-13 absolute */
START_TEST(test_sums_match_matrix_code)
{
    Rng rng;
    rng_seed(&rng, 31);
    double diff = compare_sums_with_matrices(&rng, NULL);
    ck_assert_msg(diff <= 1e-13, "backprop_by_sums, equations (eq:ch03-delta1) to (eq:ch03-delta3) and "
                  "(eq:ch03-gradients), against mlp_backward, over %d shapes and both losses: the "
                  "largest difference of a delta or gradient is %g, expected at most 1e-13",
                  CH03_N_SHAPES, diff);
}
END_TEST

/* One sample through chapter 03's sums: a random network of the given
 * shape (quadratic loss), a random x and one-hot y, and backprop_by_sums. */
typedef struct {
    Mlp net;
    MlpWork w;
    MlpGrads g;
    double x[8], y[8];
} OneSample;

static void one_sample_by_sums(OneSample *o, const int sizes[4], uint64_t seed)
{
    Rng rng;
    rng_seed(&rng, seed);
    random_network(&o->net, sizes, LOSS_QUADRATIC, &rng);
    ck_assert_int_eq(mlp_work_create(&o->w, &o->net, 1), 0);
    ck_assert_int_eq(mlp_grads_create(&o->g, &o->net), 0);
    random_batch(&o->net, 1, o->x, o->y, &rng);
    backprop_by_sums(&o->net, o->x, o->y, &o->w, &o->g);
}

static void one_sample_free(OneSample *o)
{
    mlp_work_free(&o->w);
    mlp_grads_free(&o->g);
    mlp_free(&o->net);
}

/* The output error of the quadratic loss sums to zero over the outputs and
 * is neither f - y nor f_k (1 - f_k)(f_k - y_k).
 * @checks eq:ch03-delta3
 * @asserts for a 4-5-4-6 network, each $\err^{[3]}_k$ equals the closed
 *   form; the errors sum to zero; $\err^{[3]}$ is neither $f - e_y$ nor
 *   $f_k(1 - f_k)(f_k - y_k)$
 * @tolerance 1e-15 absolute */
START_TEST(test_output_error_closed_form)
{
    const int sizes[4] = { 4, 5, 4, 6 };
    OneSample o;
    one_sample_by_sums(&o, sizes, 32);
    const Ch03Views v = ch03_views(&o.w);
    const double *f = v.f, *delta3 = v.delta3, *y = o.y;
    double dot = 0.0, sum = 0.0, off_naive = 0.0, off_diag = 0.0;
    for (int l = 0; l < 6; l++)
        dot += f[l] * (f[l] - y[l]);
    for (int k = 0; k < 6; k++) {
        /* (eq:ch03-delta3): f_k [(f_k - y_k) - sum_l f_l (f_l - y_l)] */
        assert_close(delta3[k], f[k] * ((f[k] - y[k]) - dot), 1e-15,
                     "backprop_by_sums, network 4-5-4-6, quadratic loss: output error delta^[3]_%d "
                     "against the closed form (eq:ch03-delta3) f_k ((f_k - y_k) - sum_l f_l "
                     "(f_l - y_l)), f = %s, y = %s", k, format_vector(f, 6), format_vector(y, 6));
        sum += delta3[k];
        off_naive = fmax(off_naive, fabs(delta3[k] - (f[k] - y[k])));
        off_diag = fmax(off_diag, fabs(delta3[k] - f[k] * (1 - f[k]) * (f[k] - y[k])));
    }
    assert_close(sum, 0.0, 1e-15, "backprop_by_sums, quadratic loss: the sum over k of the output "
                 "errors delta^[3]_k = %s", format_vector(delta3, 6));
    assert_double(off_naive, >, 1e-3, "backprop_by_sums, quadratic loss: the largest |delta^[3]_k - "
                  "(f_k - y_k)|; delta^[3] must not be f - y (that is the cross-entropy's)");
    assert_double(off_diag, >, 1e-6, "backprop_by_sums, quadratic loss: the largest |delta^[3]_k - "
                  "f_k (1 - f_k)(f_k - y_k)|; delta^[3] must not ignore the softmax's off-diagonal "
                  "terms");
    one_sample_free(&o);
}
END_TEST

/* The chain-rule line for dL/dw^[1]_ij with all its sums.
 * @checks eq:ch03-chain-w1
 * @asserts for a 5-6-4-3 network, every $\partial \loss / \partial
 *   w^{[1]}_{ij}$ by the triple sum equals the backward pass's
 * @tolerance 1e-15 absolute */
START_TEST(test_full_chain_rule_for_first_layer)
{
    const int sizes[4] = { 5, 6, 4, 3 };
    OneSample o;
    one_sample_by_sums(&o, sizes, 33);
    for (int i = 0; i < 6; i++)
        for (int j = 0; j < 5; j++)
            assert_close(o.g.dW[0][i * 5 + j],
                         first_layer_gradient_by_chain_rule(&o.net, &o.w, o.y, i, j),
                         1e-15, "backprop_by_sums, network 5-6-4-3, quadratic loss: "
                         "dL/dw^[1]_%d,%d (unit %d, input %d) against the full chain rule "
                         "(eq:ch03-chain-w1)", i, j, i, j);
    one_sample_free(&o);
}
END_TEST

/* The worked example's loss with z^[layer] replaced by z, written out in
 * the test as the oracle: ReLU, the next layers, softmax, 1/2 |f - y|^2. */
static double example_loss_from(const Mlp *net, int layer, const double *z, const double *y)
{
    double a[3], next[3];
    int n = CH03_EXAMPLE_SIZES[layer];
    memcpy(a, z, sizeof(double) * (size_t)n);
    for (int l = layer; l < 3; l++) {
        int rows = CH03_EXAMPLE_SIZES[l + 1];
        for (int r = 0; r < rows; r++) {
            next[r] = net->b[l][r];
            for (int c = 0; c < n; c++)
                next[r] += net->W[l][r * n + c] * fmax(a[c], 0.0);
        }
        memcpy(a, next, sizeof(double) * (size_t)rows);
        n = rows;
    }
    double e[3], sum = 0.0, loss = 0.0;
    for (int k = 0; k < 3; k++)
        sum += e[k] = exp(a[k]);
    for (int k = 0; k < 3; k++)
        loss += 0.5 * (e[k] / sum - y[k]) * (e[k] / sum - y[k]);
    return loss;
}

/* The chapter's worked example: every error by the sums of
 * (eq:ch03-delta3)-(eq:ch03-delta1), and dL/dw^[1]_11 by (eq:ch03-gradients),
 * against central differences of the loss written out above, and the
 * values the chapter prints.
 * @checks eq:ch03-delta3, eq:ch03-delta2, eq:ch03-delta1, eq:ch03-gradients
 * @asserts in the worked example, every $\err^{[\layer]}_i$ and
 *   $\partial \loss / \partial w^{[1]}_{11}$ equal central differences of the
 *   loss ($h = 10^{-6}$), and the printed values
 * @tolerance 1e-8 absolute; 5e-5 for the printed values */
START_TEST(test_worked_example)
{
    Mlp net;
    MlpWork w;
    MlpGrads g;
    double x[2], y[3];
    ch03_example(&net, x, y);
    ck_assert_int_eq(mlp_work_create(&w, &net, 1), 0);
    ck_assert_int_eq(mlp_grads_create(&g, &net), 0);
    backprop_by_sums(&net, x, y, &w, &g);
    const Ch03Views v = ch03_views(&w);
    double *z[3] = { v.z1, v.z2, v.z3 }, *delta[3] = { v.delta1, v.delta2, v.delta3 };
    const double h = 1e-6;
    for (int l = 0; l < 3; l++)
        for (int u = 0; u < CH03_EXAMPLE_SIZES[l + 1]; u++) {
            double moved[3];
            memcpy(moved, z[l], sizeof moved[0] * (size_t)CH03_EXAMPLE_SIZES[l + 1]);
            moved[u] += h;
            double up = example_loss_from(&net, l + 1, moved, y);
            moved[u] -= 2.0 * h;
            double fd = (up - example_loss_from(&net, l + 1, moved, y)) / (2.0 * h);
            assert_close(delta[l][u], fd, 1e-8, "backprop_by_sums, the chapter's worked example: "
                         "delta^[%d]_%d against the central difference of the loss in z^[%d]_%d",
                         l + 1, u + 1, l + 1, u + 1);
        }
    /* dL/dw^[1]_11 = delta^[1]_1 x_1, against a difference in the weight. */
    double z1[2], w11 = net.W[0][0], loss[2];
    for (int s = 0; s < 2; s++) {
        net.W[0][0] = w11 + (s ? -h : h);
        for (int i = 0; i < 2; i++)
            z1[i] = net.b[0][i] + net.W[0][2 * i] * x[0] + net.W[0][2 * i + 1] * x[1];
        loss[s] = example_loss_from(&net, 1, z1, y);
    }
    net.W[0][0] = w11;
    assert_close(g.dW[0][0], (loss[0] - loss[1]) / (2.0 * h), 1e-8, "backprop_by_sums, the "
                 "chapter's worked example: dL/dw^[1]_11 against the central difference of the "
                 "loss in w^[1]_11");
    /* The values the chapter prints, to its four decimals. */
    const double delta3[3] = { -0.2076, 0.1636, 0.0440 }, delta2[2] = { -0.2516, 0.2076 };
    for (int k = 0; k < 3; k++)
        assert_close(v.delta3[k], delta3[k], 5e-5, "the worked example's delta^[3]_%d", k + 1);
    for (int m = 0; m < 2; m++)
        assert_close(v.delta2[m], delta2[m], 5e-5, "the worked example's delta^[2]_%d", m + 1);
    assert_close(g.dW[0][0], -0.1478, 5e-5, "the worked example's dL/dw^[1]_11");
    mlp_work_free(&w);
    mlp_grads_free(&g);
    mlp_free(&net);
}
END_TEST

/* For a failure message: the weight or bias whose gradient from
 * mlp_backward differs most from the central difference of mlp_loss. */
static const char *worst_parameter(Mlp *net, int rows, const double *X, const double *Y, double h)
{
    MlpWork w;
    MlpGrads g;
    if (mlp_work_create(&w, net, rows) != 0 || mlp_grads_create(&g, net) != 0)
        return "(out of memory)";
    mlp_forward(net, &w, rows, X);
    mlp_backward(net, &w, Y, &g);
    const char *text = "";
    double largest = -1.0;
    for (int l = 0; l < net->n_layers; l++)
        for (int bias = 0; bias < 2; bias++) {
            int n_in = net->sizes[l];
            long n = bias ? net->sizes[l + 1] : (long)net->sizes[l + 1] * n_in;
            double *p = bias ? net->b[l] : net->W[l];
            const double *grad = bias ? g.db[l] : g.dW[l];
            for (long i = 0; i < n; i++) {
                double saved = p[i];
                p[i] = saved + h;
                mlp_forward(net, &w, rows, X);
                double plus = mlp_loss(net, &w, Y);
                p[i] = saved - h;
                mlp_forward(net, &w, rows, X);
                double minus = mlp_loss(net, &w, Y);
                p[i] = saved;
                double fd = (plus - minus) / (2.0 * h), diff = fabs(grad[i] - fd);
                if (isnan(diff))
                    diff = INFINITY;
                if (diff > largest) {
                    largest = diff;
                    text = bias ? format_text("dL/db^[%d]_%ld", l + 1, i)
                                : format_text("dL/dw^[%d]_%ld,%ld", l + 1, i / n_in, i % n_in);
                    text = format_text("largest difference at %s: mlp_backward gives %s, the "
                                       "central difference %s", text, format_number(grad[i]),
                                       format_number(fd));
                }
            }
        }
    mlp_work_free(&w);
    mlp_grads_free(&g);
    return text;
}

/* Check 2: every weight and bias gradient against central differences. */
static void gradient_check_case(const int shape[4], int rows, LossKind loss, int dead, uint64_t seed)
{
    Rng rng;
    rng_seed(&rng, seed);
    Mlp net;
    random_network(&net, shape, loss, &rng);
    if (dead) {
        net.b[0][0] = -100.0;
        net.b[1][1] = -100.0;
    }
    double X[16 * 20], Y[16 * 10];
    random_batch(&net, rows, X, Y, &rng);
    double err = network_gradient_check(&net, rows, X, Y, 1e-6);
    ck_assert_msg(err < 1e-7, "mlp_backward (deltas (eq:ch03-delta1 to eq:ch03-delta3), gradients (eq:ch03-gradients)) "
                  "against central differences of mlp_loss (h = 1e-6), network %d-%d-%d-%d, batch "
                  "of %d, %s loss%s, seed %d: largest relative error over the weight and bias "
                  "tensors %.3g, expected < 1e-07; %s", shape[0], shape[1], shape[2], shape[3], rows,
                  loss_name(loss), dead ? ", unit 0 of layer 1 and unit 1 of layer 2 dead" : "",
                  (int)seed, err, worst_parameter(&net, rows, X, Y, 1e-6));
    mlp_free(&net);
}

/* @checks eq:ch03-delta1, eq:ch03-gradients, eq:ch03-matrix
 * @asserts for four shapes and batches, with each loss, every weight matrix's
 *   and bias vector's gradient equals central differences of the loss
 *   ($h = 10^{-6}$)
 * @tolerance 1e-7 relative per tensor */
START_TEST(test_gradients_match_finite_differences)
{
    /* gradient_check_case fails at a relative error of 1e-7 or more. */
    const int shapes[4][4] = { { 3, 4, 3, 2 }, { 6, 5, 4, 3 }, { 10, 8, 6, 4 }, { 20, 16, 12, 10 } };
    const int rows[4] = { 1, 4, 8, 16 };
    for (int s = 0; s < 4; s++) {
        gradient_check_case(shapes[s], rows[s], LOSS_QUADRATIC, 0, 40 + (uint64_t)s);
        gradient_check_case(shapes[s], rows[s], LOSS_CROSS_ENTROPY, 0, 50 + (uint64_t)s);
    }
}
END_TEST

/* @checks eq:ch03-delta2, eq:ch03-delta1
 * @asserts with a dead unit in each hidden layer, the gradients equal central
 *   differences, and a dead unit's incoming weights and bias get gradient $0$
 * @tolerance 1e-7 relative per tensor; the zeros exact */
START_TEST(test_gradients_with_dead_units)
{
    /* gradient_check_case fails at a relative error of 1e-7 or more. */
    const int shape[4] = { 10, 8, 6, 4 };
    gradient_check_case(shape, 8, LOSS_QUADRATIC, 1, 60);
    gradient_check_case(shape, 8, LOSS_CROSS_ENTROPY, 1, 61);
    /* A dead unit's incoming weights get exactly zero gradient. */
    Rng rng;
    rng_seed(&rng, 62);
    Mlp net;
    random_network(&net, shape, LOSS_QUADRATIC, &rng);
    net.b[0][0] = -100.0;
    MlpWork w;
    MlpGrads g;
    ck_assert_int_eq(mlp_work_create(&w, &net, 8), 0);
    ck_assert_int_eq(mlp_grads_create(&g, &net), 0);
    double X[80], Y[32];
    random_batch(&net, 8, X, Y, &rng);
    mlp_forward(&net, &w, 8, X);
    mlp_backward(&net, &w, Y, &g);
    assert_equal(g.db[0][0], 0.0, "mlp_backward, network 10-8-6-4, 8 samples, unit 0 of layer 1 "
                 "dead (bias -100): dL/db^[1]_0");
    for (int j = 0; j < 10; j++)
        assert_equal(g.dW[0][j], 0.0, "mlp_backward, network 10-8-6-4, 8 samples, unit 0 of layer 1 "
                     "dead (bias -100): dL/dw^[1]_0,%d", j);
    mlp_work_free(&w);
    mlp_grads_free(&g);
    mlp_free(&net);
}
END_TEST

/* Check 3: PyTorch's autograd, from the committed fixture. */
static void expect_close(const Fixture *fx, const char *name, const double *ours, long n)
{
    const Tensor *t = fixture_find(fx, name);
    ck_assert_msg(t != NULL, "%s has no tensor %s", FIXTURE, name);
    ck_assert_msg((long)t->count == n, "%s: tensor %s holds %ld values, the network %ld", FIXTURE,
                  name, (long)t->count, n);
    for (long i = 0; i < n; i++)
        ck_assert_msg(fabs(ours[i] - t->data[i]) <= 1e-10 * fmax(1.0, fabs(t->data[i])),
                      "mlp_forward/mlp_backward against PyTorch's autograd (%s): %s%s: got %.17g, "
                      "PyTorch %.17g (|diff| %.2g, tol 1e-10 * max(1, |PyTorch|))", FIXTURE, name,
                      t->ndim == 2 ? format_text("[%ld][%ld]", i / t->dims[1], i % t->dims[1])
                                   : format_text("[%ld]", i),
                      ours[i], t->data[i], fabs(ours[i] - t->data[i]));
}

static void pytorch_case(LossKind loss, const char *prefix)
{
    Fixture fx;
    ck_assert_int_eq(fixture_load(&fx, FIXTURE), 0);
    const Tensor *W[3] = { fixture_find(&fx, "W1"), fixture_find(&fx, "W2"), fixture_find(&fx, "W3") };
    const Tensor *b[3] = { fixture_find(&fx, "b1"), fixture_find(&fx, "b2"), fixture_find(&fx, "b3") };
    const Tensor *X = fixture_find(&fx, "X"), *Y = fixture_find(&fx, "Y");
    ck_assert_msg(W[0] && W[1] && W[2] && b[0] && b[1] && b[2] && X && Y, "%s lacks one of the "
                  "tensors W1, W2, W3, b1, b2, b3, X, Y", FIXTURE);
    int rows = X->dims[0];
    int sizes[4] = { W[0]->dims[1], W[0]->dims[0], W[1]->dims[0], W[2]->dims[0] };
    Mlp net;
    MlpWork w;
    MlpGrads g;
    ck_assert_int_eq(mlp_create(&net, 3, sizes, ACT_RELU, loss), 0);
    ck_assert_int_eq(mlp_work_create(&w, &net, rows), 0);
    ck_assert_int_eq(mlp_grads_create(&g, &net), 0);
    for (int l = 0; l < 3; l++) {
        memcpy(net.W[l], W[l]->data, sizeof(double) * W[l]->count);
        memcpy(net.b[l], b[l]->data, sizeof(double) * b[l]->count);
    }
    mlp_forward(&net, &w, rows, X->data);
    double L = mlp_loss(&net, &w, Y->data);
    mlp_backward(&net, &w, Y->data, &g);
    char name[64];
    snprintf(name, sizeof name, "%s.loss", prefix);
    expect_close(&fx, name, &L, 1);
    snprintf(name, sizeof name, "%s.f", prefix);
    expect_close(&fx, name, w.a[3], (long)rows * sizes[3]);
    for (int l = 0; l < 3; l++) {
        long n = (long)rows * sizes[l + 1];
        snprintf(name, sizeof name, "%s.z%d", prefix, l + 1);
        expect_close(&fx, name, w.z[l], n);
        if (l < 2) {
            snprintf(name, sizeof name, "%s.a%d", prefix, l + 1);
            expect_close(&fx, name, w.a[l + 1], n);
        }
        snprintf(name, sizeof name, "%s.delta%d", prefix, l + 1);
        expect_close(&fx, name, w.delta[l], n);
        snprintf(name, sizeof name, "%s.dW%d", prefix, l + 1);
        expect_close(&fx, name, g.dW[l], (long)sizes[l + 1] * sizes[l]);
        snprintf(name, sizeof name, "%s.db%d", prefix, l + 1);
        expect_close(&fx, name, g.db[l], sizes[l + 1]);
    }
    /* The fixture's unit on its kink (z = 0 exactly): both take relu'(0) = 0. */
    for (int r = 0; r < rows; r++)
        assert_equal(w.z[0][r * sizes[1]], 0.0, "mlp_forward on the fixture's sample %d: z^[1]_0, "
                     "the unit the fixture puts on its kink", r);
    assert_equal(g.db[0][0], 0.0, "mlp_backward, %s loss: dL/db^[1]_0 of the unit on its kink "
                 "(relu'(0) = 0, as PyTorch)", prefix);
    mlp_work_free(&w);
    mlp_grads_free(&g);
    mlp_free(&net);
    fixture_free(&fx);
}

/* @checks eq:ch03-forward, eq:ch03-delta3, eq:ch03-matrix
 * @asserts with the quadratic loss, the loss, every activation, error and
 *   gradient equal PyTorch's autograd on the stored batch, a unit on its kink
 *   included
 * @tolerance 1e-10 relative (absolute below 1) */
START_TEST(test_matches_pytorch_quadratic)
{
    /* expect_close: |ours - PyTorch| <= 1e-10 max(1, |PyTorch|). */
    pytorch_case(LOSS_QUADRATIC, "quadratic");
}
END_TEST

/* @checks eq:ch03-forward, eq:ch03-delta3-ce, eq:ch03-matrix
 * @asserts with cross-entropy, the loss, every activation, error and gradient
 *   equal PyTorch's autograd on the stored batch, a unit on its kink included
 * @tolerance 1e-10 relative (absolute below 1) */
START_TEST(test_matches_pytorch_cross_entropy)
{
    /* expect_close: |ours - PyTorch| <= 1e-10 max(1, |PyTorch|). */
    pytorch_case(LOSS_CROSS_ENTROPY, "cross_entropy");
}
END_TEST

START_TEST(test_program_rejects_bad_fixture)
{
    char err[1024], dir[256];
    make_temp_dir(dir, sizeof dir);
    const char *missing[] = { "ch03_backprop", "--reference", "/nonexistent/ref.bin", "--out", dir, NULL };
    assert_exit_status(missing, err, sizeof err, 1);
    assert_stderr_has(missing, err, "/nonexistent/ref.bin");
    ck_assert_msg(rmdir(dir) == 0, "%s: the output directory is not empty afterwards; nothing "
                  "may be written when the run fails", format_command(missing));
    const char *bad[] = { "ch03_backprop", "--bogus", NULL };
    assert_exit_status(bad, err, sizeof err, 2);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("ch03_backprop");
    TCase *sums = tcase_create("sums");
    tcase_add_test(sums, test_sums_match_matrix_code);
    tcase_add_test(sums, test_output_error_closed_form);
    tcase_add_test(sums, test_full_chain_rule_for_first_layer);
    tcase_add_test(sums, test_worked_example);
    suite_add_tcase(s, sums);
    TCase *fd = tcase_create("finite_differences");
    tcase_set_timeout(fd, 60);
    tcase_add_test(fd, test_gradients_match_finite_differences);
    tcase_add_test(fd, test_gradients_with_dead_units);
    suite_add_tcase(s, fd);
    TCase *torch = tcase_create("pytorch");
    tcase_add_test(torch, test_matches_pytorch_quadratic);
    tcase_add_test(torch, test_matches_pytorch_cross_entropy);
    suite_add_tcase(s, torch);
    TCase *program = tcase_create("program");
    tcase_set_timeout(program, 60);
    tcase_add_test(program, test_program_rejects_bad_fixture);
    suite_add_tcase(s, program);
    return s;
}
