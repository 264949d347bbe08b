/* check_activations.c - activations and losses: values in closed form,
 * backward passes against central finite differences. */
#include <float.h>
#include <math.h>

#include "kit_test.h"
#include "lib/activations.h"
#include "lib/fdiff.h"
#include "lib/losses.h"
#include "lib/rng.h"

START_TEST(test_sigmoid_values_and_derivative)
{
    double z[3] = { 0.0, 2.0, -40.0 }, a[3], da[3] = { 1, 1, 1 }, dz[3];
    sigmoid_forward(3, z, a);
    assert_equal(a[0], 0.5, "sigmoid_forward at z = 0");
    assert_close(a[1], 1.0 / (1.0 + exp(-2.0)), 1e-16, "sigmoid_forward at z = 2 against "
                 "1 / (1 + exp(-2))");
    assert_double(a[2], >, 0.0, "sigmoid_forward at z = -40 (must not underflow to 0)");
    sigmoid_backward(3, a, da, dz);
    assert_equal(dz[0], 0.25, "sigmoid_backward at z = 0, da = 1: s(1 - s) = 1/4");
    for (double t = -5; t <= 5; t += 0.5) {
        double zp = t + 1e-6, zm = t - 1e-6, ap, am, at;
        sigmoid_forward(1, &zp, &ap);
        sigmoid_forward(1, &zm, &am);
        sigmoid_forward(1, &t, &at);
        double one = 1.0, d;
        sigmoid_backward(1, &at, &one, &d);
        assert_close(d, (ap - am) / 2e-6, 1e-9, "sigmoid_backward at z = %g, da = 1, against the "
                     "central difference of sigmoid_forward (h = 1e-6)", t);
    }
}
END_TEST

START_TEST(test_sigmoid_f32_is_exact_to_float_and_the_same_anywhere)
{
    /* sigmoid_forward_f32 goes four at a time through SLEEF's expf: each
     * value within 2 float ulps of 1 / (1 + e^-z) in double, and a
     * number's sigmoid the same whether it sits in a block of four or in
     * the padded tail. */
    enum { N = 11 };
    float z[N], a[N];
    for (int i = 0; i < N; i++)
        z[i] = -30.0f + 6.0f * (float)i;     /* -30 .. 30: saturated ends too */
    sigmoid_forward_f32(N, z, a);
    for (int i = 0; i < N; i++) {
        double exact = 1.0 / (1.0 + exp(-(double)z[i]));
        assert_close(a[i], exact, 2.0 * FLT_EPSILON * exact, "sigmoid_forward_f32 at z = %g against "
                     "1 / (1 + exp(-z)) in double, within 2 ulps", (double)z[i]);
        float alone;
        sigmoid_forward_f32(1, &z[i], &alone);
        assert_equal(alone, a[i], "sigmoid_forward_f32 at z = %g alone and as number %d of %d",
                     (double)z[i], i + 1, N);
    }
}
END_TEST

START_TEST(test_softmax_is_a_distribution)
{
    double z[2][4] = { { 1, 2, 3, 4 }, { 1000, 1000, -1000, 0 } }, f[2][4];
    softmax_forward(2, 4, &z[0][0], &f[0][0]);
    for (int r = 0; r < 2; r++) {
        double sum = 0;
        for (int k = 0; k < 4; k++) {
            ck_assert_msg(isfinite(f[r][k]) && f[r][k] >= 0, "softmax_forward of row %d, z = %s: "
                          "f[%d] is %s, expected finite and >= 0", r, format_vector(z[r], 4), k,
                          format_number(f[r][k]));
            sum += f[r][k];
        }
        assert_close(sum, 1.0, 1e-15, "softmax_forward of row %d, z = %s: the sum of f = %s", r,
                     format_vector(z[r], 4), format_vector(f[r], 4));
    }
    assert_close(f[0][3] / f[0][2], exp(1.0), 1e-13, "softmax_forward of z = (1, 2, 3, 4): f[3] / "
                 "f[2], expected exp(z[3] - z[2]) = e");
    assert_close(f[1][0], 0.5, 1e-15, "softmax_forward of z = (1000, 1000, -1000, 0) (no overflow): "
                 "f[0]");
}
END_TEST

/* The softmax backward pass is the Jacobian f_k (delta_kl - f_l) applied to
 * df: check it against differences of v . softmax(z) for a random v. */
typedef struct {
    const double *v;
    int k;
} Projection;

static double projected_softmax(const double *z, void *ctx)
{
    const Projection *p = ctx;
    double f[16], s = 0.0;
    softmax_forward(1, p->k, z, f);
    for (int i = 0; i < p->k; i++)
        s += p->v[i] * f[i];
    return s;
}

/* @checks eq:ch03-softmax-jacobian
 * @asserts for 50 random logits and $\mathrm{d}f$ ($K = 2$ to $10$), the
 *   backward pass equals central differences of $\mathrm{d}f \cdot f(z)$
 *   and sums to zero
 * @tolerance 1e-8 relative (floor 1e-12); the sum 1e-14 absolute */
START_TEST(test_softmax_backward_matches_finite_differences)
{
    Rng rng;
    rng_seed(&rng, 11);
    for (int trial = 0; trial < 50; trial++) {
        int k = 2 + (int)rng_below(&rng, 9);
        double z[16], v[16], f[16], dz[16], fd[16];
        for (int i = 0; i < k; i++) {
            z[i] = 2.0 * rng_normal(&rng);
            v[i] = rng_normal(&rng);
        }
        softmax_forward(1, k, z, f);
        softmax_backward(1, k, f, v, dz);
        Projection p = { v, k };
        fd_gradient(projected_softmax, z, k, 1e-5, &p, fd);
        assert_vector_close(dz, fd, k, 1e-12, 1e-8, "softmax_backward (dz = J^T df, J_kl = f_k "
                            "(delta_kl - f_l)) with k = %d, z = %s, df = %s: dz against central "
                            "differences of df . softmax(z) (h = 1e-5)", k, format_vector(z, k),
                            format_vector(v, k));
        double sum = 0;
        for (int i = 0; i < k; i++)
            sum += dz[i];
        assert_close(sum, 0.0, 1e-14, "softmax_backward with k = %d, z = %s, df = %s: the sum of "
                     "dz = %s (shifting z changes nothing)", k, format_vector(z, k),
                     format_vector(v, k), format_vector(dz, k));
    }
}
END_TEST

START_TEST(test_losses)
{
    double f[2][3] = { { 0.7, 0.2, 0.1 }, { 0.1, 0.1, 0.8 } };
    double y[2][3] = { { 1, 0, 0 }, { 0, 1, 0 } };
    double expected_q = (0.5 * (0.09 + 0.04 + 0.01) + 0.5 * (0.01 + 0.81 + 0.64)) / 2;
    assert_close(quadratic_loss(2, 3, &f[0][0], &y[0][0]), expected_q, 1e-15, "quadratic_loss, "
                 "the mean over 2 rows of |f - y|^2 / 2, f = ((0.7, 0.2, 0.1), (0.1, 0.1, 0.8)), "
                 "y = ((1, 0, 0), (0, 1, 0))");
    assert_close(cross_entropy_loss(2, 3, &f[0][0], &y[0][0]), -(log(0.7) + log(0.1)) / 2, 1e-15,
                 "cross_entropy_loss, the mean over 2 rows of -log f_y, same f and y");
    double df[2][3];
    quadratic_loss_backward(2, 3, &f[0][0], &y[0][0], &df[0][0]);
    assert_close(df[1][1], (0.1 - 1.0) / 2, 1e-16, "quadratic_loss_backward, same f and y: "
                 "dL/df for row 1, output 1, (f - y) / rows");
    softmax_cross_entropy_backward(2, 3, &f[0][0], &y[0][0], &df[0][0]);
    assert_close(df[0][0], (0.7 - 1.0) / 2, 1e-16, "softmax_cross_entropy_backward, same f and y: "
                 "dL/dz for row 0, output 0, (f - y) / rows");
}
END_TEST

/* softmax then cross-entropy: dL/dz = f - y, against finite differences. */
static double ce_of_logits(const double *z, void *ctx)
{
    const double *y = ctx;
    double f[5];
    softmax_forward(1, 5, z, f);
    return cross_entropy_loss(1, 5, f, y);
}

/* @checks eq:ch03-delta3-ce
 * @asserts for five logits, $f - y$ equals central differences of the
 *   cross-entropy of the softmax ($h = 10^{-5}$)
 * @tolerance 1e-9 relative (floor 1e-12) */
START_TEST(test_softmax_cross_entropy_gradient)
{
    double z[5] = { 0.3, -1.2, 2.0, 0.0, 0.5 }, y[5] = { 0, 0, 1, 0, 0 };
    double f[5], dz[5], fd[5];
    softmax_forward(1, 5, z, f);
    softmax_cross_entropy_backward(1, 5, f, y, dz);
    fd_gradient(ce_of_logits, z, 5, 1e-5, y, fd);
    assert_vector_close(dz, fd, 5, 1e-12, 1e-9, "softmax_cross_entropy_backward at z = %s, y = %s: "
                        "dL/dz = f - y against central differences of cross_entropy_loss(softmax(z)) "
                        "(h = 1e-5)", format_vector(z, 5), format_vector(y, 5));
}
END_TEST

Suite *test_suite(void)
{
    Suite *s = suite_create("activations");
    TCase *tc = tcase_create("activations");
    tcase_add_test(tc, test_sigmoid_values_and_derivative);
    tcase_add_test(tc, test_sigmoid_f32_is_exact_to_float_and_the_same_anywhere);
    tcase_add_test(tc, test_softmax_is_a_distribution);
    tcase_add_test(tc, test_softmax_backward_matches_finite_differences);
    tcase_add_test(tc, test_losses);
    tcase_add_test(tc, test_softmax_cross_entropy_gradient);
    suite_add_tcase(s, tc);
    return s;
}
