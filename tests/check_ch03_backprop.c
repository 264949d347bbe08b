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
#include "lib/mlp.h"
#include "lib/rng.h"

static const char *FIXTURE = "tests/fixtures/ch03_backprop.bin";

/* Check 1: each delta and gradient by the derivation's sums equals the
 * matrix code's, for both losses. */
START_TEST(test_sums_match_matrix_code)
{
    const int shapes[3][4] = { { 3, 4, 3, 2 }, { 7, 6, 5, 4 }, { 12, 9, 8, 10 } };
    Rng rng;
    rng_seed(&rng, 31);
    for (int s = 0; s < 3; s++)
        for (int loss = 0; loss < 2; loss++) {
            Mlp net;
            MlpWork wm, ws;
            MlpGrads gm, gs;
            random_network(&net, shapes[s], loss ? LOSS_CROSS_ENTROPY : LOSS_QUADRATIC, &rng);
            ck_assert_int_eq(mlp_work_create(&wm, &net, 1), 0);
            ck_assert_int_eq(mlp_work_create(&ws, &net, 1), 0);
            ck_assert_int_eq(mlp_grads_create(&gm, &net), 0);
            ck_assert_int_eq(mlp_grads_create(&gs, &net), 0);
            double x[12], y[10];
            random_batch(&net, 1, x, y, &rng);
            mlp_forward(&net, &wm, 1, x);
            mlp_backward(&net, &wm, y, &gm);
            backprop_by_sums(&net, x, y, &ws, &gs);
            for (int l = 0; l < 3; l++) {
                for (int u = 0; u < shapes[s][l + 1]; u++) {
                    ck_assert_double_eq_tol(ws.z[l][u], wm.z[l][u], 1e-13);
                    ck_assert_double_eq_tol(ws.delta[l][u], wm.delta[l][u], 1e-14);
                    ck_assert_double_eq_tol(gs.db[l][u], gm.db[l][u], 1e-14);
                }
                for (int i = 0; i < shapes[s][l + 1] * shapes[s][l]; i++)
                    ck_assert_double_eq_tol(gs.dW[l][i], gm.dW[l][i], 1e-14);
            }
            mlp_work_free(&wm);
            mlp_work_free(&ws);
            mlp_grads_free(&gm);
            mlp_grads_free(&gs);
            mlp_free(&net);
        }
}
END_TEST

/* The output error of the quadratic loss sums to zero over the outputs and
 * is neither f - y nor f_k (1 - f_k)(f_k - y_k). */
START_TEST(test_output_error_closed_form)
{
    const int sizes[4] = { 4, 5, 4, 6 };
    Rng rng;
    rng_seed(&rng, 32);
    Mlp net;
    MlpWork w;
    MlpGrads g;
    random_network(&net, sizes, LOSS_QUADRATIC, &rng);
    ck_assert_int_eq(mlp_work_create(&w, &net, 1), 0);
    ck_assert_int_eq(mlp_grads_create(&g, &net), 0);
    double x[4], y[6];
    random_batch(&net, 1, x, y, &rng);
    backprop_by_sums(&net, x, y, &w, &g);
    const double *f = w.a[3], *delta3 = w.delta[2];
    double dot = 0.0, sum = 0.0, off_naive = 0.0, off_diag = 0.0;
    for (int l = 0; l < 6; l++)
        dot += f[l] * (f[l] - y[l]);
    for (int k = 0; k < 6; k++) {
        /* (ch03:delta3-closed): f_k [(f_k - y_k) - sum_l f_l (f_l - y_l)] */
        ck_assert_double_eq_tol(delta3[k], f[k] * ((f[k] - y[k]) - dot), 1e-15);
        sum += delta3[k];
        off_naive = fmax(off_naive, fabs(delta3[k] - (f[k] - y[k])));
        off_diag = fmax(off_diag, fabs(delta3[k] - f[k] * (1 - f[k]) * (f[k] - y[k])));
    }
    ck_assert_double_eq_tol(sum, 0.0, 1e-15);
    ck_assert_double_gt(off_naive, 1e-3);
    ck_assert_double_gt(off_diag, 1e-6);
    mlp_work_free(&w);
    mlp_grads_free(&g);
    mlp_free(&net);
}
END_TEST

/* The chain-rule line for dL/dw^[1]_ij with all its sums. */
START_TEST(test_full_chain_rule_for_first_layer)
{
    const int sizes[4] = { 5, 6, 4, 3 };
    Rng rng;
    rng_seed(&rng, 33);
    Mlp net;
    MlpWork w;
    MlpGrads g;
    random_network(&net, sizes, LOSS_QUADRATIC, &rng);
    ck_assert_int_eq(mlp_work_create(&w, &net, 1), 0);
    ck_assert_int_eq(mlp_grads_create(&g, &net), 0);
    double x[5], y[3];
    random_batch(&net, 1, x, y, &rng);
    backprop_by_sums(&net, x, y, &w, &g);
    for (int i = 0; i < 6; i++)
        for (int j = 0; j < 5; j++)
            ck_assert_double_eq_tol(first_layer_gradient_by_chain_rule(&net, &w, y, i, j),
                                    g.dW[0][i * 5 + j], 1e-15);
    mlp_work_free(&w);
    mlp_grads_free(&g);
    mlp_free(&net);
}
END_TEST

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
    ck_assert_msg(err < 1e-7, "relative error %g for %d-%d-%d-%d", err, shape[0], shape[1],
                  shape[2], shape[3]);
    mlp_free(&net);
}

START_TEST(test_gradients_match_finite_differences)
{
    const int shapes[4][4] = { { 3, 4, 3, 2 }, { 6, 5, 4, 3 }, { 10, 8, 6, 4 }, { 20, 16, 12, 10 } };
    const int rows[4] = { 1, 4, 8, 16 };
    for (int s = 0; s < 4; s++) {
        gradient_check_case(shapes[s], rows[s], LOSS_QUADRATIC, 0, 40 + (uint64_t)s);
        gradient_check_case(shapes[s], rows[s], LOSS_CROSS_ENTROPY, 0, 50 + (uint64_t)s);
    }
}
END_TEST

START_TEST(test_gradients_with_dead_units)
{
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
    ck_assert_double_eq(g.db[0][0], 0.0);
    for (int j = 0; j < 10; j++)
        ck_assert_double_eq(g.dW[0][j], 0.0);
    mlp_work_free(&w);
    mlp_grads_free(&g);
    mlp_free(&net);
}
END_TEST

/* Check 3: PyTorch's autograd, from the committed fixture. */
static void expect_close(const Fixture *fx, const char *name, const double *ours, long n)
{
    const Tensor *t = fixture_find(fx, name);
    ck_assert_msg(t != NULL, "fixture has no tensor %s", name);
    ck_assert_int_eq((long)t->count, n);
    for (long i = 0; i < n; i++)
        ck_assert_msg(fabs(ours[i] - t->data[i]) <= 1e-10 * fmax(1.0, fabs(t->data[i])),
                      "%s[%ld]: ours %.17g, PyTorch %.17g", name, i, ours[i], t->data[i]);
}

static void pytorch_case(LossKind loss, const char *prefix)
{
    Fixture fx;
    ck_assert_int_eq(fixture_load(&fx, FIXTURE), 0);
    const Tensor *W[3] = { fixture_find(&fx, "W1"), fixture_find(&fx, "W2"), fixture_find(&fx, "W3") };
    const Tensor *b[3] = { fixture_find(&fx, "b1"), fixture_find(&fx, "b2"), fixture_find(&fx, "b3") };
    const Tensor *X = fixture_find(&fx, "X"), *Y = fixture_find(&fx, "Y");
    ck_assert(W[0] && W[1] && W[2] && b[0] && b[1] && b[2] && X && Y);
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
        ck_assert_double_eq(w.z[0][r * sizes[1]], 0.0);
    ck_assert_double_eq(g.db[0][0], 0.0);
    mlp_work_free(&w);
    mlp_grads_free(&g);
    mlp_free(&net);
    fixture_free(&fx);
}

START_TEST(test_matches_pytorch_quadratic)
{
    pytorch_case(LOSS_QUADRATIC, "quadratic");
}
END_TEST

START_TEST(test_matches_pytorch_cross_entropy)
{
    pytorch_case(LOSS_CROSS_ENTROPY, "cross_entropy");
}
END_TEST

START_TEST(test_program_rejects_bad_fixture)
{
    char err[1024], dir[256];
    make_temp_dir(dir, sizeof dir);
    const char *missing[] = { "ch03_backprop", "--fixture", "/nonexistent/ref.bin", "--out", dir, NULL };
    ck_assert_int_eq(run_program(missing, err, sizeof err), 1);
    ck_assert_ptr_nonnull(strstr(err, "/nonexistent/ref.bin"));
    ck_assert_int_eq(rmdir(dir), 0);   /* empty: nothing half-written */
    const char *bad[] = { "ch03_backprop", "--bogus", NULL };
    ck_assert_int_eq(run_program(bad, err, sizeof err), 2);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("ch03_backprop");
    TCase *sums = tcase_create("sums");
    tcase_add_test(sums, test_sums_match_matrix_code);
    tcase_add_test(sums, test_output_error_closed_form);
    tcase_add_test(sums, test_full_chain_rule_for_first_layer);
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
