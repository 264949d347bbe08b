/* check_ch07_residual.c - chapter 07's residual block and networks: the
 * block's output against its closed form, its Jacobian against central
 * finite differences, its backward pass against the Jacobian's transpose,
 * a whole residual network against finite differences and against
 * PyTorch's autograd, the singular block, the refusal of a skip whose
 * shapes do not fit, and the float engine against the double one. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ch07_residual.h"
#include "kit_test.h"
#include "lib/fixture.h"
#include "lib/gradcheck.h"
#include "lib/linalg.h"

static const char *FIXTURE = "tests/fixtures/ch07_residual.bin";

static void fill_normal(Rng *rng, double *v, int n, double scale)
{
    for (int i = 0; i < n; i++)
        v[i] = scale * rng_normal(rng);
}

/* With W = 0 and b = 0 every unit's branch is g(0): sigmoid(0) = 1/2, so
 * y = x + 1/2 for an identity block and y = W_s x + 1/2 for a projection.
 * @checks eq:ch07-block
 * @asserts with $W = 0$ and $b = 0$, a sigmoid identity block gives
 *   $y = x + \frac12$ and a projection block $y = W_s x + \frac12$
 * @tolerance 1e-15 relative */
START_TEST(test_block_forward_closed_form)
{
    double W[6] = { 0 }, b[3] = { 0 }, Ws[6] = { 1, 2, 0, -1, 0.5, 3 }, x[2] = { 0.25, -2 };
    double z[3], y[3];
    ResidualBlock identity = { 2, 2, ACT_SIGMOID, SKIP_IDENTITY, W, b, NULL };
    residual_forward(&identity, 1, x, z, y);
    double want_identity[2] = { 0.75, -1.5 };
    assert_vector_close(y, want_identity, 2, 1e-300, 1e-15, "residual_forward (eq:ch07-block), "
                        "identity block, W = 0, b = 0, x = (0.25, -2): y = x + sigmoid(0)");
    ResidualBlock projection = { 2, 3, ACT_SIGMOID, SKIP_PROJECTION, W, b, Ws };
    residual_forward(&projection, 1, x, z, y);
    double want_projection[3] = { 0.25 - 4 + 0.5, 0.25 * 0 - 2 * -1 + 0.5, 0.25 * 0.5 - 6 + 0.5 };
    want_projection[1] = 0.0 * 0.25 + (-1.0) * -2.0 + 0.5;   /* row 2 of W_s is (0, -1) */
    assert_vector_close(y, want_projection, 3, 1e-300, 1e-15, "residual_forward (eq:ch07-block), "
                        "projection block 2 -> 3, W = 0, b = 0, W_s = ((1, 2), (0, -1), (0.5, 3)), "
                        "x = (0.25, -2): y = W_s x + sigmoid(0)");
}
END_TEST

/* The Jacobian S + diag(g'(z)) W (eq:ch07-jacobian) at points where it
 * is worked by hand: an identity ReLU block at z = (1, -1), where
 * g' = (1, 0), and a projection sigmoid block at z = 0, where g' = 1/4.
 * (Unlike the finite differences below, this fails for a Jacobian of
 * zeros even when the forward pass is a stub of zeros too.) */
START_TEST(test_jacobian_closed_form)
{
    double W[4] = { 1, 2, 3, 4 }, b[2] = { 0 }, z[2] = { 1, -1 }, J[6];
    ResidualBlock identity = { 2, 2, ACT_RELU, SKIP_IDENTITY, W, b, NULL };
    residual_jacobian(&identity, z, J);
    double want_identity[4] = { 2, 2, 0, 1 };
    assert_vector_close(J, want_identity, 4, 1e-300, 1e-15, "residual_jacobian (eq:ch07-jacobian), "
                        "identity ReLU block, W = ((1, 2), (3, 4)), z = (1, -1): J by rows");
    double Wp[6] = { 4, 0, 0, 8, -4, 4 }, bp[3] = { 0 }, Ws[6] = { 1, 2, 0, -1, 0.5, 3 };
    double zp[3] = { 0, 0, 0 };
    ResidualBlock projection = { 2, 3, ACT_SIGMOID, SKIP_PROJECTION, Wp, bp, Ws };
    residual_jacobian(&projection, zp, J);
    double want_projection[6] = { 2, 2, 0, 1, -0.5, 4 };
    assert_vector_close(J, want_projection, 6, 1e-300, 1e-15, "residual_jacobian "
                        "(eq:ch07-jacobian), projection sigmoid block 2 -> 3, W = ((4, 0), (0, 8), "
                        "(-4, 4)), W_s = ((1, 2), (0, -1), (0.5, 3)), z = 0: J by rows");
}
END_TEST

/* The Jacobian S + diag(g'(z)) W (eq:ch07-jacobian) against central
 * differences of the forward pass, at random points, for both
 * activations, with two units saturated (|z| near 8) in half the cases. */
static void check_jacobian(SkipKind skip, int n_out)
{
    Rng rng;
    rng_seed(&rng, skip == SKIP_IDENTITY ? 71 : 72);
    enum { N_IN = 6 };
    for (int g = 0; g < 2; g++)
        for (int saturated = 0; saturated < 2; saturated++)
            for (int trial = 0; trial < 4; trial++) {
                double W[N_IN * N_IN], b[N_IN], Ws[N_IN * N_IN], x[N_IN];
                fill_normal(&rng, W, n_out * N_IN, 0.8);
                fill_normal(&rng, b, n_out, 0.3);
                fill_normal(&rng, Ws, n_out * N_IN, 0.5);
                fill_normal(&rng, x, N_IN, 1.0);
                if (saturated) {
                    b[0] = 8.0;
                    b[1] = -8.0;
                }
                ResidualBlock blk = { N_IN, n_out, g ? ACT_RELU : ACT_SIGMOID, skip, W, b, Ws };
                double err = block_jacobian_check(&blk, x, 1e-6);
                assert_double(err, <, 1e-7, "residual_jacobian (eq:ch07-jacobian) against central "
                              "differences of residual_forward, %s block %d -> %d, %s%s, x = %s",
                              skip == SKIP_IDENTITY ? "identity" : "projection", N_IN, n_out,
                              g ? "ReLU" : "sigmoid", saturated ? ", two units saturated" : "",
                              format_vector(x, N_IN));
            }
}

/* @checks eq:ch07-jacobian
 * @asserts for identity blocks of 6 units, sigmoid and ReLU, at 16 random
 *   points, half with two units saturated, $J$ matches central differences
 *   of the forward pass
 * @tolerance 1e-7 relative */
START_TEST(test_identity_jacobian_matches_finite_differences)
{
    check_jacobian(SKIP_IDENTITY, 6);
}
END_TEST

/* @checks eq:ch07-jacobian
 * @asserts the same for projection blocks from 6 units to 4
 * @tolerance 1e-7 relative */
START_TEST(test_projection_jacobian_matches_finite_differences)
{
    check_jacobian(SKIP_PROJECTION, 4);
}
END_TEST

/* dL/dx from residual_backward against J^T dL/dy, sample by sample.
 * @checks eq:ch07-backward
 * @asserts for identity and projection blocks, sigmoid and ReLU, on 4
 *   samples, $\partial \loss / \partial x$ from the backward pass equals
 *   $J\T \partial \loss / \partial y$
 * @tolerance 1e-13 relative */
START_TEST(test_backward_is_jacobian_transpose)
{
    Rng rng;
    rng_seed(&rng, 73);
    enum { N_IN = 5, ROWS = 4 };
    for (int skip = 0; skip < 2; skip++)
        for (int g = 0; g < 2; g++) {
            int n_out = skip ? 3 : N_IN;
            double W[N_IN * N_IN], b[N_IN], Ws[N_IN * N_IN], X[ROWS * N_IN], dY[ROWS * N_IN];
            fill_normal(&rng, W, n_out * N_IN, 0.8);
            fill_normal(&rng, b, n_out, 0.3);
            fill_normal(&rng, Ws, n_out * N_IN, 0.5);
            fill_normal(&rng, X, ROWS * N_IN, 1.0);
            fill_normal(&rng, dY, ROWS * n_out, 1.0);
            b[0] = 8.0;
            ResidualBlock blk = { N_IN, n_out, g ? ACT_RELU : ACT_SIGMOID,
                                  skip ? SKIP_PROJECTION : SKIP_IDENTITY, W, b, Ws };
            double err = block_backward_check(&blk, ROWS, X, dY);
            assert_double(err, <, 1e-13, "residual_backward (eq:ch07-backward): dL/dx against "
                          "J^T dL/dy from residual_jacobian, %s block %d -> %d, %s, %d samples",
                          skip ? "projection" : "identity", N_IN, n_out, g ? "ReLU" : "sigmoid", ROWS);
        }
}
END_TEST

/* Every weight, bias and projection of a residual network (6 -> 5 plain,
 * identity block at 5, projection block 5 -> 3, -> 4, sigmoid,
 * cross-entropy) against central differences of the loss.
 * @checks eq:ch07-backward, eq:ch07-weights
 * @asserts in a 6-5-5-3-4 network with an identity and a projection block,
 *   every weight, bias and $W_s$ gradient matches central differences of
 *   the loss, in 3 trials
 * @tolerance 1e-6 relative */
START_TEST(test_network_gradient_matches_finite_differences)
{
    static const int sizes[5] = { 6, 5, 5, 3, 4 };
    static const SkipKind skips[4] = { SKIP_NONE, SKIP_IDENTITY, SKIP_PROJECTION, SKIP_NONE };
    Rng rng;
    rng_seed(&rng, 74);
    for (int trial = 0; trial < 3; trial++) {
        Mlp net;
        ck_assert_int_eq(mlp_create_residual(&net, 4, sizes, skips, ACT_SIGMOID, LOSS_CROSS_ENTROPY), 0);
        mlp_init_random(&net, &rng);
        double X[4 * 6], Y[4 * 4] = { 0 };
        fill_normal(&rng, X, 24, 1.0);
        for (int r = 0; r < 4; r++)
            Y[r * 4 + rng_below(&rng, 4)] = 1.0;
        double err = network_gradient_check(&net, 4, X, Y, 1e-6);
        assert_double(err, <, 1e-6, "mlp_backward through residual blocks (eq:ch07-backward, "
                      "eq:ch07-weights), network 6-5-5-3-4 with an identity block and a projection "
                      "block, trial %d: the largest relative error of a weight, bias or W_s gradient "
                      "against central differences", trial + 1);
        mlp_free(&net);
    }
}
END_TEST

static void check_fixture_block(const char *prefix, SkipKind skip)
{
    Fixture fx;
    ck_assert_msg(fixture_load(&fx, FIXTURE) == 0, "cannot read %s", FIXTURE);
    double diff = compare_block_with_fixture(&fx, FIXTURE, prefix, skip);
    fixture_free(&fx);
    assert_double(diff, >=, 0.0, "%s: the %s block's tensors", FIXTURE, prefix);
    assert_double(diff, <, 1e-10, "residual_forward and residual_backward against PyTorch's autograd "
                  "(%s), %s block: the largest difference in y, dL/dx, dL/dW, dL/db%s", FIXTURE,
                  prefix, skip == SKIP_PROJECTION ? ", dL/dW_s" : "");
}

/* @checks eq:ch07-block, eq:ch07-backward, eq:ch07-weights
 * @asserts an identity block's $y$, $\partial \loss / \partial x$,
 *   $\partial \loss / \partial W$ and $\partial \loss / \partial b$ match
 *   those PyTorch's autograd computed
 * @tolerance 1e-10 absolute */
START_TEST(test_identity_block_matches_pytorch)
{
    check_fixture_block("identity", SKIP_IDENTITY);
}
END_TEST

/* @checks eq:ch07-block, eq:ch07-backward, eq:ch07-weights
 * @asserts the same for a projection block, with
 *   $\partial \loss / \partial W_s$
 * @tolerance 1e-10 absolute */
START_TEST(test_projection_block_matches_pytorch)
{
    check_fixture_block("projection", SKIP_PROJECTION);
}
END_TEST

/* @checks eq:ch07-backward, eq:ch07-weights
 * @asserts the loss and every gradient of the 6-5-5-3-4 residual network
 *   match those PyTorch's autograd computed
 * @tolerance 1e-10 absolute */
START_TEST(test_network_matches_pytorch)
{
    Fixture fx;
    ck_assert_msg(fixture_load(&fx, FIXTURE) == 0, "cannot read %s", FIXTURE);
    double diff = compare_network_with_fixture(&fx, FIXTURE);
    fixture_free(&fx);
    assert_double(diff, >=, 0.0, "%s: the network's tensors", FIXTURE);
    assert_double(diff, <, 1e-10, "mlp_forward and mlp_backward on the residual network 6-5-5-3-4 "
                  "against PyTorch's autograd (%s): the largest difference in the loss and every "
                  "gradient", FIXTURE);
}
END_TEST

/* The block of find_singular_block: J = I + W/4 is singular, and a loss
 * with dL/dy = u (u^T J = 0) sends no gradient to x, where the
 * element-wise formula (eq:ch07-mistake) claims at least |u| = 1.
 * @checks eq:ch07-jacobian, eq:ch07-backward, eq:ch07-mistake
 * @asserts for 5 seeds, the constructed block has $z = 0$ and a singular $J$;
 *   for $\partial \loss / \partial y = u$ the backward pass sends nothing to
 *   $x$, the element-wise formula at least $|u| = 1$
 * @tolerance 1e-13 and 1e-14 of $J$'s scale; 1e-12 absolute */
START_TEST(test_singular_block)
{
    for (uint64_t seed = 1; seed <= 5; seed++) {
        Rng rng;
        rng_seed(&rng, seed);
        SingularBlock s;
        ck_assert_int_eq(find_singular_block(&rng, &s), 0);
        /* Measured against the scale of J: Hadamard's bound |det J| <=
         * the product of its column lengths, and |J|_F for sigma_min. */
        double bound = 1.0, frobenius = vec_norm(SINGULAR_N * SINGULAR_N, s.J);
        for (int j = 0; j < SINGULAR_N; j++) {
            double column = 0.0;
            for (int i = 0; i < SINGULAR_N; i++)
                column += s.J[i * SINGULAR_N + j] * s.J[i * SINGULAR_N + j];
            bound *= sqrt(column);
        }
        assert_double(fabs(determinant(SINGULAR_N, s.J)) / bound, <, 1e-13, "|det J| over the product "
                      "of J's column lengths for the singular block, seed %d, J = I + diag(g'(z)) W "
                      "(eq:ch07-jacobian) = %s", (int)seed, format_vector(s.J, SINGULAR_N * SINGULAR_N));
        assert_double(s.sigma_min / frobenius, <, 1e-14, "the smallest singular value of J over |J|_F, "
                      "seed %d", (int)seed);
        for (int i = 0; i < SINGULAR_N; i++)
            assert_close(s.z[i], 0.0, 1e-12, "z_%d = (W x + b)_%d with b = -W x, seed %d", i + 1,
                         i + 1, (int)seed);
        assert_double(vec_norm(SINGULAR_N, s.dx), <, 1e-12, "|dL/dx| from residual_backward "
                      "(eq:ch07-backward) for dL/dy = u, the null vector of J^T, seed %d: "
                      "dL/dx = %s", (int)seed, format_vector(s.dx, SINGULAR_N));
        assert_double(vec_norm(SINGULAR_N, s.dx_elementwise), >=, 1.0, "|dL/dx| by the element-wise "
                      "formula (eq:ch07-mistake) for the same dL/dy, seed %d", (int)seed);
    }
}
END_TEST

/* A refusal and its message, from a function that prints to stderr. */
static void check_refused(int status, FILE *err, const char *what, const char *text)
{
    char buf[512] = { 0 };
    fflush(stderr);
    rewind(err);
    size_t n = fread(buf, 1, sizeof buf - 1, err);
    buf[n] = '\0';
    assert_int(status, ==, -1, "%s", what);
    ck_assert_msg(strstr(buf, text) != NULL, "%s: the message should contain '%s'; it was: %s",
                  what, text, buf);
}

/* An identity skip across 128 -> 64, as in chapter 5's network, is refused by
 * both engines with a message naming the widths; so is a skip on the
 * output layer.
 * @checks eq:ch07-block
 * @asserts an identity skip across $128 \to 64$ and a skip on the output
 *   layer are refused, with a message naming the layer and the widths; a
 *   projection skip is accepted
 * @tolerance exact */
START_TEST(test_identity_skip_needs_equal_widths)
{
    static const int sizes[4] = { 784, 128, 64, 10 };
    static const SkipKind across[3] = { SKIP_NONE, SKIP_IDENTITY, SKIP_NONE };
    static const SkipKind on_output[3] = { SKIP_NONE, SKIP_NONE, SKIP_PROJECTION };
    FILE *err = tmpfile();
    ck_assert_ptr_nonnull(err);
    int saved = dup(STDERR_FILENO);
    dup2(fileno(err), STDERR_FILENO);
    Mlp d;
    Mlp32 f;
    int status[3] = { mlp_create_residual(&d, 3, sizes, across, ACT_SIGMOID, LOSS_CROSS_ENTROPY),
                      mlp32_create_residual(&f, 3, sizes, across, ACT_SIGMOID, OUTPUT_SOFTMAX),
                      mlp32_create_residual(&f, 3, sizes, on_output, ACT_SIGMOID, OUTPUT_SOFTMAX) };
    fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);
    check_refused(status[0], err, "mlp_create_residual, 784-128-64-10 with an identity skip on layer 2",
                  "layer 2 has an identity skip from width 128 to width 64");
    check_refused(status[1], err, "mlp32_create_residual, the same network",
                  "layer 2 has an identity skip from width 128 to width 64");
    check_refused(status[2], err, "mlp32_create_residual, a projection skip on the output layer",
                  "layer 3 is the output layer and cannot have a skip");
    fclose(err);
    /* Chapter 5's network with a projection skip is accepted. */
    static const SkipKind projection[3] = { SKIP_NONE, SKIP_PROJECTION, SKIP_NONE };
    assert_int(mlp32_create_residual(&f, 3, sizes, projection, ACT_SIGMOID, OUTPUT_SOFTMAX), ==, 0,
               "mlp32_create_residual, 784-128-64-10 with a projection skip on layer 2");
    mlp32_free(&f);
}
END_TEST

/* The float engine's fused steps on residual networks against lr times
 * the double network's gradients, step after step, per sample and on a
 * mini-batch, with two blocks in a row and a projection.
 * @checks eq:ch07-weights
 * @asserts over 3 steps, per sample and on a batch of 6, sigmoid and ReLU,
 *   the single-precision step of $W$ and $W_s$, divided by the rate, equals
 *   the double-precision gradient
 * @tolerance 1e-3 relative (floor 1e-6) */
START_TEST(test_float_engine_matches_double)
{
    static const int sizes[6] = { 9, 7, 7, 7, 5, 4 };
    static const SkipKind skips[5] = { SKIP_NONE, SKIP_IDENTITY, SKIP_IDENTITY, SKIP_PROJECTION, SKIP_NONE };
    enum { L = 5, ROWS = 6, STEPS = 3 };
    for (int g = 0; g < 2; g++)
        for (int rows = 1; rows <= ROWS; rows += ROWS - 1) {
            Rng rng;
            rng_seed(&rng, 75);
            Mlp32 f;
            Mlp d;
            Activation act = g ? ACT_RELU : ACT_SIGMOID;
            ck_assert_int_eq(mlp32_create_residual(&f, L, sizes, skips, act, OUTPUT_SOFTMAX), 0);
            mlp32_init(&f, INIT_TORCH_UNIFORM, &rng);
            ck_assert_int_eq(mlp_from_mlp32(&d, &f, LOSS_CROSS_ENTROPY), 0);
            Mlp32Work fw;
            MlpWork dw;
            MlpGrads grads;
            ck_assert_int_eq(mlp32_work_create(&fw, &f, rows), 0);
            ck_assert_int_eq(mlp_work_create(&dw, &d, rows), 0);
            ck_assert_int_eq(mlp_grads_create(&grads, &d), 0);
            const float lr = 2.0f;   /* large enough that float rounding of W
                                      * stays far below the steps measured */
            for (int step = 0; step < STEPS; step++) {
                float Xf[ROWS * 9];
                double Xd[ROWS * 9], Yd[ROWS * 4] = { 0 };
                unsigned char labels[ROWS];
                for (int i = 0; i < rows * 9; i++)
                    Xd[i] = Xf[i] = (float)rng_uniform(&rng);
                for (int r = 0; r < rows; r++) {
                    labels[r] = (unsigned char)rng_below(&rng, 4);
                    Yd[r * 4 + labels[r]] = 1.0;
                }
                mlp_forward(&d, &dw, rows, Xd);
                mlp_backward(&d, &dw, Yd, &grads);
                mlp32_train_step(&f, &fw, rows, Xf, labels, lr);
                for (int l = 0; l < L; l++) {
                    int nw = sizes[l + 1] * sizes[l];
                    double taken[64], taken_s[64];
                    for (int i = 0; i < nw; i++) {
                        taken[i] = (d.W[l][i] - f.W[l][i]) / lr;
                        if (f.Ws[l])
                            taken_s[i] = (d.Ws[l][i] - f.Ws[l][i]) / lr;
                    }
                    const char *where = format_text("network 9-7-7-7-5-4 (identity blocks at layers 2 "
                                                    "and 3, a projection block at 4), %s, %d sample%s, "
                                                    "step %d, layer %d", g ? "ReLU" : "sigmoid", rows,
                                                    rows > 1 ? "s" : "", step + 1, l + 1);
                    assert_vector_close(taken, grads.dW[l], nw, 1e-6, 1e-3, "%s: (W before - W after) "
                                        "/ lr from mlp32_train_step against dL/dW from mlp_backward",
                                        where);
                    if (f.Ws[l])
                        assert_vector_close(taken_s, grads.dWs[l], nw, 1e-6, 1e-3, "%s: (W_s before - "
                                            "W_s after) / lr against dL/dW_s", where);
                }
                mlp_sgd_step(&d, &grads, lr);
                for (int l = 0; l < L; l++) {     /* the next step starts from the same weights */
                    int nw = sizes[l + 1] * sizes[l];
                    for (int i = 0; i < nw; i++) {
                        d.W[l][i] = f.W[l][i];
                        if (f.Ws[l])
                            d.Ws[l][i] = f.Ws[l][i];
                    }
                    for (int i = 0; i < sizes[l + 1]; i++)
                        d.b[l][i] = f.b[l][i];
                }
            }
            mlp32_work_free(&fw);
            mlp_work_free(&dw);
            mlp_grads_free(&grads);
            mlp32_free(&f);
            mlp_free(&d);
        }
}
END_TEST

/* The measurements the chapter's sentences print, on constructed cases:
 * a norm that shrinks by 1/4 per layer over 5 layers has ratio 4^-4 and
 * factor 1/4; the spread of (2, 0.5, 1) is 4. */
START_TEST(test_factor_and_spread)
{
    assert_close(per_layer_factor(pow(0.25, 4), 5), 0.25, 1e-12,
                 "per_layer_factor: first layer 4^-4 times the fifth");
    assert_equal(per_layer_factor(0.3, 1), 1.0, "per_layer_factor of a single layer");
    double v[3] = { 2.0, 0.5, 1.0 };
    assert_close(spread_of(v, 3), 4.0, 1e-15, "spread_of (2, 0.5, 1)");
}
END_TEST

/* Two epochs of two steps: losses (3, 1) then (200, 400) have means 2 and
 * 300; the start is the first step's 3 (above the floor 2.3), so the
 * largest ratio is 300 / 3 = 100.  With a first step of 1, below the
 * floor 2.5, the start is the floor: 300 / 2.5 = 120. */
START_TEST(test_largest_loss_ratio)
{
    float loss[4] = { 3, 1, 200, 400 };
    assert_close(largest_loss_ratio(loss, 2, 2, 2.3), 100.0, 1e-12,
                 "largest_loss_ratio: epochs of mean 2 and 300, first step 3");
    loss[0] = 1;
    assert_close(largest_loss_ratio(loss, 2, 2, 2.5), 120.0, 1e-12,
                 "largest_loss_ratio: first step 1 below the floor 2.5");
}
END_TEST

/* Seeds where either run diverged (NaN) are left out of the pairing:
 * (11, NaN, 13, 13) - (10, 10, NaN, 10) pairs two seeds, +1 and +3. */
START_TEST(test_paired_over_finished)
{
    double a[4] = { 11, NAN, 13, 13 }, b[4] = { 10, 10, NAN, 10 };
    PairedDifference d = paired_over_finished(a, b, 4);
    assert_int(d.n, ==, 2, "paired_over_finished: seeds 1 and 4 finished both");
    assert_close(d.mean, 2.0, 1e-12, "paired_over_finished: mean of +1 and +3");
    double c[4] = { 11, NAN, NAN, NAN };
    d = paired_over_finished(c, b, 4);
    assert_int(d.n, ==, 1, "paired_over_finished: one seed finished both");
    ck_assert(isnan(d.low));
}
END_TEST

START_TEST(test_program_is_deterministic)
{
    const char *args[] = { "ch07_residual", "--seeds", "2", "--epochs", "2", "--limit", "100",
                           "--steps", "20", "--deep-depth", "4", NULL };
    const char *files[] = { "numbers.tex", "task2_table.tex", "task2_residual.dat",
                            "gradnorm_d50_skip.dat" };
    check_program_deterministic(args, files, 4);
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("ch07_residual");
    TCase *block = tcase_create("block");
    tcase_add_test(block, test_block_forward_closed_form);
    tcase_add_test(block, test_jacobian_closed_form);
    tcase_add_test(block, test_identity_jacobian_matches_finite_differences);
    tcase_add_test(block, test_projection_jacobian_matches_finite_differences);
    tcase_add_test(block, test_backward_is_jacobian_transpose);
    tcase_add_test(block, test_identity_block_matches_pytorch);
    tcase_add_test(block, test_projection_block_matches_pytorch);
    tcase_add_test(block, test_singular_block);
    suite_add_tcase(s, block);
    TCase *net = tcase_create("network");
    tcase_add_test(net, test_network_gradient_matches_finite_differences);
    tcase_add_test(net, test_network_matches_pytorch);
    tcase_add_test(net, test_identity_skip_needs_equal_widths);
    tcase_add_test(net, test_float_engine_matches_double);
    suite_add_tcase(s, net);
    TCase *measure = tcase_create("measurements");
    tcase_add_test(measure, test_factor_and_spread);
    tcase_add_test(measure, test_largest_loss_ratio);
    tcase_add_test(measure, test_paired_over_finished);
    suite_add_tcase(s, measure);
    TCase *program = tcase_create("program");
    tcase_set_timeout(program, 120);
    tcase_add_test(program, test_program_is_deterministic);
    suite_add_tcase(s, program);
    return s;
}
