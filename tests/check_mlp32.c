/* check_mlp32.c - the single-precision engine's fused step against the
 * double-precision network of chapter 03 (src/lib/mlp.c), which chapter 03
 * checked against finite differences and PyTorch. */
#include <math.h>
#include <string.h>

#include "kit_test.h"
#include "lib/activations.h"
#include "lib/fdiff.h"
#include "lib/mlp.h"
#include "lib/mlp32.h"
#include "lib/rng.h"

/* One SGD step of the float engine, against lr times the double gradient:
 * (W_before - W_after) / lr must equal dL/dW to single precision. */
static void compare_step(Activation act, int rows, uint64_t seed)
{
    const int sizes[4] = { 9, 7, 5, 4 };
    Rng rng;
    rng_seed(&rng, seed);
    Mlp32 f;
    Mlp d;
    ck_assert_int_eq(mlp32_create(&f, 3, sizes, act, OUTPUT_SOFTMAX), 0);
    ck_assert_int_eq(mlp_create(&d, 3, sizes, act, LOSS_CROSS_ENTROPY), 0);
    mlp32_init(&f, INIT_TORCH_UNIFORM, &rng);
    for (int l = 0; l < 3; l++) {
        for (int i = 0; i < sizes[l + 1] * sizes[l]; i++)
            d.W[l][i] = f.W[l][i];
        for (int i = 0; i < sizes[l + 1]; i++)
            d.b[l][i] = f.b[l][i];
    }
    float Xf[6 * 9];
    double Xd[6 * 9], Yd[6 * 4];
    unsigned char labels[6];
    for (int i = 0; i < rows * 9; i++)
        Xd[i] = Xf[i] = (float)rng_uniform(&rng);
    for (int r = 0; r < rows; r++) {
        labels[r] = (unsigned char)rng_below(&rng, 4);
        for (int k = 0; k < 4; k++)
            Yd[r * 4 + k] = k == labels[r];
    }
    MlpWork dw;
    MlpGrads g;
    Mlp32Work fw;
    ck_assert_int_eq(mlp_work_create(&dw, &d, rows), 0);
    ck_assert_int_eq(mlp_grads_create(&g, &d), 0);
    ck_assert_int_eq(mlp32_work_create(&fw, &f, rows), 0);
    mlp_forward(&d, &dw, rows, Xd);
    double loss_d = mlp_loss(&d, &dw, Yd);
    mlp_backward(&d, &dw, Yd, &g);
    const float lr = 0.5f;
    float loss_f = mlp32_train_step(&f, &fw, rows, Xf, labels, lr);
    ck_assert_double_eq_tol(loss_f, loss_d, 1e-5 * fmax(1.0, loss_d));
    for (int l = 0; l < 3; l++) {
        int nw = sizes[l + 1] * sizes[l];
        double step_w[64], step_b[8];
        for (int i = 0; i < nw; i++)
            step_w[i] = (d.W[l][i] - f.W[l][i]) / lr;
        for (int i = 0; i < sizes[l + 1]; i++)
            step_b[i] = (d.b[l][i] - f.b[l][i]) / lr;
        ck_assert_double_lt(vector_relative_error(step_w, g.dW[l], nw, 1e-6), 1e-4);
        ck_assert_double_lt(vector_relative_error(step_b, g.db[l], sizes[l + 1], 1e-6), 1e-4);
    }
    mlp_work_free(&dw);
    mlp_grads_free(&g);
    mlp32_work_free(&fw);
    mlp_free(&d);
    mlp32_free(&f);
}

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
    ck_assert_double_eq_tol(loss_f, loss_d, 1e-6);
    double step[15];
    for (int i = 0; i < 12; i++)
        step[i] = wb[i] - f.W[0][i];
    for (int i = 0; i < 3; i++)
        step[12 + i] = wb[12 + i] - f.b[0][i];
    ck_assert_double_lt(vector_relative_error(step, fd, 15, 1e-9), 1e-4);
    mlp32_work_free(&w);
    mlp32_free(&f);
}
END_TEST

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
    ck_assert_float_eq(w.a[1][1], 0.0f);
    ck_assert_double_eq_tol(mlp32_row_loss(&f, &w, 0, 1), 400.0, 1e-3);
    mlp32_work_free(&w);
    mlp32_free(&f);
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
    suite_add_tcase(s, tc);
    return s;
}
