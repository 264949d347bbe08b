/* ch03_backprop - backpropagation through two ReLU hidden layers, checked
 * three ways: the derivation's index sums against the library's matrix
 * code, every gradient against central finite differences, and everything
 * against PyTorch's autograd (a committed fixture).  Writes chapter 03's
 * data and numbers.  See --help. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ch03_backprop.h"
#include "lib/activations.h"
#include "lib/cli.h"
#include "lib/fixture.h"
#include "lib/gradcheck.h"
#include "lib/losses.h"
#include "lib/mlp.h"
#include "lib/results.h"
#include "lib/rng.h"
#include "lib/verdict.h"

static const double FD_STEP = 1e-6;
/* How close a central difference must come to an exact derivative for the
 * text to say the two agree: far above the difference's rounding error
 * (about epsilon L / h) and its truncation error (about h^2). */
static const double FD_AGREE = 1e-8;
/* The tolerance of "within rounding" for two computations of one number. */
static const double ROUNDING = 1e-12;
/* The largest relative error of a gradient check that the text calls an
 * agreement (the tests demand the same). */
static const double GRADCHECK_TOL = 1e-7;
/* The largest difference from PyTorch that the text calls an agreement. */
static const double TORCH_TOL = 1e-10;
/* How close the cross-entropy error's norm must come to sqrt 2. */
static const double SQRT2_TOL = 1e-3;

typedef struct {
    uint64_t seed;
    const char *reference;
    const char *out;
} Options;

static Options parse_command_line(int argc, char **argv)
{
    Options o = { .seed = 1, .reference = "tests/fixtures/ch03_backprop.bin", .out = "ch03-results" };
    const Option table[] = {
        { "reference", "FILE", OPT_STRING, &o.reference, 0, 0, "PyTorch reference" },
        { "seed", "N", OPT_U64, &o.seed, 0, 0, "seed for the random networks and data" },
        { "out", "DIR", OPT_STRING, &o.out, 0, 0,
          "where to write the results (make passes\n"
          "build/results/ch03, which it owns)" },
        { 0 },
    };
    parse_options(argc, argv, table,
                  "Check backpropagation through two ReLU hidden layers with a softmax output:\n"
                  "the derivation's sums against the matrix code, every gradient against\n"
                  "central finite differences, and all of it against PyTorch's autograd.");
    return o;
}

static double max_abs_diff(const double *a, const double *b, long n)
{
    double worst = 0.0;
    for (long i = 0; i < n; i++)
        worst = fmax(worst, fabs(a[i] - b[i]));
    return worst;
}

/* Check 2: every gradient against central differences, for each shape and
 * loss, and for a network with dead units. */
static int finite_difference_checks(Rng *rng, const char *dir, double *worst_quad, double *worst_ce)
{
    ResultFile rf;
    if (results_open(&rf, dir, "gradcheck.dat") != 0)
        return -1;
    fprintf(rf.fp, "# d H1 H2 K batch dead loss max_relative_error\n");
    *worst_quad = *worst_ce = 0.0;
    for (int s = 0; s <= CH03_N_SHAPES; s++)
        for (int loss = 0; loss < 2; loss++) {
            int dead = s == CH03_N_SHAPES;         /* the last case: dead units */
            const int *shape = CH03_SHAPES[dead ? 2 : s];
            Mlp net;
            random_network(&net, shape, loss == 0 ? LOSS_QUADRATIC : LOSS_CROSS_ENTROPY, rng);
            if (dead) {                            /* two dead units in layer 1, one in layer 2 */
                net.b[0][0] = net.b[0][1] = -100.0;
                net.b[1][0] = -100.0;
            }
            int rows = shape[4];
            double *X = malloc(sizeof(double) * (size_t)(rows * shape[0]));
            double *Y = malloc(sizeof(double) * (size_t)(rows * shape[3]));
            if (!X || !Y)
                exit(1);
            random_batch(&net, rows, X, Y, rng);
            double err = network_gradient_check(&net, rows, X, Y, FD_STEP);
            if (loss == 0)
                *worst_quad = fmax(*worst_quad, err);
            else
                *worst_ce = fmax(*worst_ce, err);
            fprintf(rf.fp, "%d %d %d %d %d %d %s %.3e\n", shape[0], shape[1], shape[2], shape[3],
                    rows, dead, loss == 0 ? "quadratic" : "cross_entropy", err);
            printf("finite differences: %2d-%2d-%2d-%2d, batch %2d%s, %-13s: max relative error %.2e\n",
                   shape[0], shape[1], shape[2], shape[3], rows, dead ? ", dead units" : "",
                   loss == 0 ? "quadratic" : "cross-entropy", err);
            free(X);
            free(Y);
            mlp_free(&net);
        }
    return results_close(&rf);
}

/* Check 3: against PyTorch.  Returns the largest absolute difference over
 * the loss, every activation, every delta and every gradient, or a
 * negative number if the fixture cannot be used. */
static double tensor_diff(const Fixture *fx, const char *name, const double *ours, long n)
{
    const Tensor *t = fixture_find(fx, name);
    if (!t || (long)t->count != n) {
        fprintf(stderr, "error: the fixture has no tensor '%s' of %ld values\n", name, n);
        return -1.0;
    }
    return max_abs_diff(ours, t->data, n);
}

/* Whether some unit of layer 1 has z exactly 0 on every row (it sits on
 * its kink) and some unit of layer 2 has z <= 0 on every row (dead). */
static int fixture_has_kinks(const Mlp *net, const MlpWork *work, int rows)
{
    int on_kink = 0, dead = 0;
    for (int u = 0; u < net->sizes[1]; u++) {
        int all = 1;
        for (int r = 0; r < rows; r++)
            all &= work->z[0][(long)r * net->sizes[1] + u] == 0.0;
        on_kink |= all;
    }
    for (int u = 0; u < net->sizes[2]; u++) {
        int all = 1;
        for (int r = 0; r < rows; r++)
            all &= work->z[1][(long)r * net->sizes[2] + u] <= 0.0;
        dead |= all;
    }
    return on_kink && dead;
}

static double compare_with_pytorch(const char *path, double losses[2], int *kinks)
{
    Fixture fx;
    if (fixture_load(&fx, path) != 0)
        return -1.0;
    const Tensor *W[3] = { fixture_find(&fx, "W1"), fixture_find(&fx, "W2"), fixture_find(&fx, "W3") };
    const Tensor *b[3] = { fixture_find(&fx, "b1"), fixture_find(&fx, "b2"), fixture_find(&fx, "b3") };
    const Tensor *X = fixture_find(&fx, "X"), *Y = fixture_find(&fx, "Y");
    if (!W[0] || !W[1] || !W[2] || !b[0] || !b[1] || !b[2] || !X || !Y || X->ndim != 2 ||
        W[0]->ndim != 2 || W[1]->ndim != 2 || W[2]->ndim != 2) {
        fprintf(stderr, "error: %s: missing or misshapen weights or data\n", path);
        fixture_free(&fx);
        return -1.0;
    }
    int rows = X->dims[0];
    int sizes[4] = { W[0]->dims[1], W[0]->dims[0], W[1]->dims[0], W[2]->dims[0] };
    double worst = 0.0;
    for (int loss = 0; loss < 2 && worst >= 0.0; loss++) {
        const char *prefix = loss == 0 ? "quadratic" : "cross_entropy";
        Mlp net;
        MlpWork work;
        MlpGrads g;
        if (mlp_create(&net, 3, sizes, ACT_RELU, loss == 0 ? LOSS_QUADRATIC : LOSS_CROSS_ENTROPY) ||
            mlp_work_create(&work, &net, rows) || mlp_grads_create(&g, &net))
            exit(1);
        for (int l = 0; l < 3; l++) {
            if ((long)W[l]->count != (long)sizes[l + 1] * sizes[l] || (int)b[l]->count != sizes[l + 1]) {
                fprintf(stderr, "error: %s: layer %d's weights do not fit together\n", path, l + 1);
                exit(1);
            }
            memcpy(net.W[l], W[l]->data, sizeof(double) * W[l]->count);
            memcpy(net.b[l], b[l]->data, sizeof(double) * b[l]->count);
        }
        mlp_forward(&net, &work, rows, X->data);
        *kinks = fixture_has_kinks(&net, &work, rows);
        losses[loss] = mlp_loss(&net, &work, Y->data);
        mlp_backward(&net, &work, Y->data, &g);
        char name[64];
        const Ch03Views v = ch03_views(&work);   /* each view holds all the rows */
        struct { const char *what; int layer; const double *ours; long n; } items[] = {
            { "z", 1, v.z1, (long)rows * sizes[1] }, { "a", 1, v.a1, (long)rows * sizes[1] },
            { "z", 2, v.z2, (long)rows * sizes[2] }, { "a", 2, v.a2, (long)rows * sizes[2] },
            { "z", 3, v.z3, (long)rows * sizes[3] }, { "f", 0, v.f, (long)rows * sizes[3] },
            { "delta", 1, v.delta1, (long)rows * sizes[1] },
            { "delta", 2, v.delta2, (long)rows * sizes[2] },
            { "delta", 3, v.delta3, (long)rows * sizes[3] },
            { "dW", 1, g.dW[0], (long)sizes[1] * sizes[0] }, { "db", 1, g.db[0], sizes[1] },
            { "dW", 2, g.dW[1], (long)sizes[2] * sizes[1] }, { "db", 2, g.db[1], sizes[2] },
            { "dW", 3, g.dW[2], (long)sizes[3] * sizes[2] }, { "db", 3, g.db[2], sizes[3] },
            { "loss", 0, &losses[loss], 1 },
        };
        for (size_t i = 0; i < sizeof items / sizeof items[0]; i++) {
            if (items[i].layer)
                snprintf(name, sizeof name, "%s.%s%d", prefix, items[i].what, items[i].layer);
            else
                snprintf(name, sizeof name, "%s.%s", prefix, items[i].what);
            double d = tensor_diff(&fx, name, items[i].ours, items[i].n);
            worst = d < 0.0 ? -1.0 : fmax(worst, d);
            if (worst < 0.0)
                break;
        }
        mlp_work_free(&work);
        mlp_grads_free(&g);
        mlp_free(&net);
    }
    fixture_free(&fx);
    return worst;
}

/* The figure on saturation: logits z = (s, 0, ..., 0) with the true class
 * 1, so that the softmax grows confident in the wrong class 0 as s grows. */
enum { SATURATION_TAIL = 51 };   /* the points s = 10, 10.1, ..., 15 */
static int write_saturation(const char *dir, double *quad_at_10, double *ce_at_10,
                            double tail[SATURATION_TAIL])
{
    enum { K = 10 };
    ResultFile rf;
    if (results_open(&rf, dir, "saturation.dat") != 0)
        return -1;
    fprintf(rf.fp, "# s f_wrong f_true |dL/dz| quadratic |dL/dz| cross-entropy\n");
    for (int i = 0; i <= 200; i++) {
        double s = -5.0 + 0.1 * i, z[K] = { s }, y[K] = { 0, 1 }, f[K], df[K], dq[K], dc[K];
        softmax_forward(1, K, z, f);
        quadratic_loss_backward(1, K, f, y, df);
        softmax_backward(1, K, f, df, dq);
        softmax_cross_entropy_backward(1, K, f, y, dc);
        double nq = 0.0, nc = 0.0;
        for (int k = 0; k < K; k++) {
            nq += dq[k] * dq[k];
            nc += dc[k] * dc[k];
        }
        fprintf(rf.fp, "%.1f %.6e %.6e %.6e %.6e\n", s + 0.0, f[0], f[1], sqrt(nq), sqrt(nc));
        if (i == 150) {
            *quad_at_10 = sqrt(nq);
            *ce_at_10 = sqrt(nc);
        }
        if (i >= 150)
            tail[i - 150] = sqrt(nq);
    }
    return results_close(&rf);
}

/* The figure on the backward pass: the mean norm of each layer's delta
 * (per sample) for a batch through a random 20-32-16-10 network. */
static int write_delta_norms(const char *dir, Rng *rng, double norms[2][3])
{
    enum { ROWS = 256 };
    const int shape[5] = { 20, 32, 16, 10, ROWS };
    memset(norms, 0, sizeof(double) * 6);
    double *X = malloc(sizeof(double) * ROWS * 20), *Y = malloc(sizeof(double) * ROWS * 10);
    if (!X || !Y)
        exit(1);
    Mlp nets[2];
    random_network(&nets[0], shape, LOSS_QUADRATIC, rng);
    random_network(&nets[1], shape, LOSS_CROSS_ENTROPY, rng);
    for (int l = 0; l < 3; l++) {   /* the same weights for both losses */
        memcpy(nets[1].W[l], nets[0].W[l], sizeof(double) * (size_t)(shape[l + 1] * shape[l]));
        memcpy(nets[1].b[l], nets[0].b[l], sizeof(double) * (size_t)shape[l + 1]);
    }
    random_batch(&nets[0], ROWS, X, Y, rng);
    for (int n = 0; n < 2; n++) {
        MlpWork w;
        MlpGrads g;
        if (mlp_work_create(&w, &nets[n], ROWS) || mlp_grads_create(&g, &nets[n]))
            exit(1);
        mlp_forward(&nets[n], &w, ROWS, X);
        mlp_backward(&nets[n], &w, Y, &g);
        for (int l = 0; l < 3; l++)
            for (int r = 0; r < ROWS; r++) {
                double s = 0.0;
                for (int u = 0; u < shape[l + 1]; u++) {
                    /* delta of the mean loss times ROWS: the per-sample delta */
                    double d = w.delta[l][r * shape[l + 1] + u] * ROWS;
                    s += d * d;
                }
                norms[n][l] += sqrt(s) / ROWS;
            }
        mlp_work_free(&w);
        mlp_grads_free(&g);
        mlp_free(&nets[n]);
    }
    free(X);
    free(Y);
    ResultFile rf;
    if (results_open(&rf, dir, "delta_norms.dat") != 0)
        return -1;
    fprintf(rf.fp, "# layer mean|delta|_quadratic mean|delta|_cross_entropy\n");
    for (int l = 0; l < 3; l++)
        fprintf(rf.fp, "%d %.6e %.6e\n", l + 1, norms[0][l], norms[1][l]);
    return results_close(&rf);
}

/* v as "(v0, v1, ...)" with the format fmt for each entry. */
static const char *tuple(char *buf, size_t n, const double *v, int count, const char *fmt)
{
    size_t used = (size_t)snprintf(buf, n, "(");
    for (int i = 0; i < count && used < n; i++) {
        used += (size_t)snprintf(buf + used, n - used, i ? ", " : "");
        used += (size_t)snprintf(buf + used, n - used, fmt, v[i] + 0.0);
    }
    if (used < n)
        snprintf(buf + used, n - used, ")");
    return buf;
}

/* A rows x cols matrix as a LaTeX pmatrix, entries by %g. */
static const char *pmatrix(char *buf, size_t n, const double *A, int rows, int cols)
{
    size_t used = (size_t)snprintf(buf, n, "\\begin{pmatrix}");
    for (int r = 0; r < rows && used < n; r++)
        for (int c = 0; c < cols && used < n; c++)
            used += (size_t)snprintf(buf + used, n - used, "%g%s", A[r * cols + c] + 0.0,
                                     c + 1 < cols ? " & " : r + 1 < rows ? " \\\\ " : "");
    if (used < n)
        snprintf(buf + used, n - used, "\\end{pmatrix}");
    return buf;
}

/* The worked example: the forward pass and the errors of the chapter's
 * sums (backprop_by_sums) on a small network with set weights, each error
 * also by its definition, a central difference of the loss in z^[l], and
 * dL/dw^[1]_11 by a central difference of the loss in that weight. */

static void worked_example(Numbers *nb)
{
    Mlp net;
    MlpWork w;
    MlpGrads g;
    double x[2], y[3];
    ch03_example(&net, x, y);
    if (mlp_work_create(&w, &net, 1) || mlp_grads_create(&g, &net))
        exit(1);
    backprop_by_sums(&net, x, y, &w, &g);
    const Ch03Views v = ch03_views(&w);
    const int *n = CH03_EXAMPLE_SIZES;
    double *z[3] = { v.z1, v.z2, v.z3 }, *delta[3] = { v.delta1, v.delta2, v.delta3 };
    double worst = 0.0;
    for (int l = 0; l < 3; l++)
        for (int u = 0; u < n[l + 1]; u++)
            worst = fmax(worst, fabs(delta[l][u] - ch03_delta_by_difference(&net, l + 1, z[l], u, y, FD_STEP)));
    double w11 = net.W[0][0], up, down;
    net.W[0][0] = w11 + FD_STEP;
    mlp_forward(&net, &w, 1, x);
    up = mlp_loss(&net, &w, y);
    net.W[0][0] = w11 - FD_STEP;
    mlp_forward(&net, &w, 1, x);
    down = mlp_loss(&net, &w, y);
    net.W[0][0] = w11;
    double grad_fd = (up - down) / (2.0 * FD_STEP);
    backprop_by_sums(&net, x, y, &w, &g);     /* the views again hold the example */
    worst = fmax(worst, fabs(g.dW[0][0] - grad_fd));
    printf("worked example: delta3 (%.4f, %.4f, %.4f), delta2 (%.4f, %.4f), dL/dw1_11 %.5f "
           "(difference %.5f); largest gap to the differences %.1e\n", v.delta3[0], v.delta3[1],
           v.delta3[2], v.delta2[0], v.delta2[1], g.dW[0][0], grad_fd, worst);

    char buf[256];
    const char *Wname[3] = { "ch03.example.W1", "ch03.example.W2", "ch03.example.W3" };
    const char *bname[3] = { "ch03.example.b1", "ch03.example.b2", "ch03.example.b3" };
    for (int l = 0; l < 3; l++) {
        numbers_put(nb, Wname[l], "%s", pmatrix(buf, sizeof buf, net.W[l], n[l + 1], n[l]));
        numbers_put(nb, bname[l], "%s", tuple(buf, sizeof buf, net.b[l], n[l + 1], "%g"));
    }
    numbers_put(nb, "ch03.example.x", "%s", tuple(buf, sizeof buf, x, 2, "%g"));
    numbers_put(nb, "ch03.example.y", "%s", tuple(buf, sizeof buf, y, 3, "%g"));
    numbers_put(nb, "ch03.example.z1", "%s", tuple(buf, sizeof buf, v.z1, 2, "%g"));
    numbers_put(nb, "ch03.example.z2", "%s", tuple(buf, sizeof buf, v.z2, 2, "%g"));
    numbers_put(nb, "ch03.example.z3", "%s", tuple(buf, sizeof buf, v.z3, 3, "%g"));
    numbers_put(nb, "ch03.example.f", "%s", tuple(buf, sizeof buf, v.f, 3, "%.4f"));
    numbers_put(nb, "ch03.example.delta3", "%s", tuple(buf, sizeof buf, v.delta3, 3, "%.4f"));
    numbers_put(nb, "ch03.example.delta2", "%s", tuple(buf, sizeof buf, v.delta2, 2, "%.4f"));
    numbers_put(nb, "ch03.example.delta1", "%s", tuple(buf, sizeof buf, v.delta1, 2, "%.4f"));
    numbers_put(nb, "ch03.example.grad", "%.4f", g.dW[0][0]);
    numbers_put_sci(nb, "ch03.example.fddiff", worst);
    numbers_put_sci(nb, "ch03.fdagree", FD_AGREE);
    verdict_put(nb, "ch03.example.fd", &AGREE_RULE, agree_verdict(worst, 0.0, FD_AGREE));
    mlp_work_free(&w);
    mlp_grads_free(&g);
    mlp_free(&net);
}

int main(int argc, char **argv)
{
    Options o = parse_command_line(argc, argv);
    Rng rng;
    rng_seed(&rng, o.seed);

    double sums_diff, chain_diff, worst_quad, worst_ce, torch_losses[2], quad10 = 0, ce10 = 0;
    /* The fixture first: a bad one stops the run before anything is written. */
    int kinks = 0;
    double torch_diff = compare_with_pytorch(o.reference, torch_losses, &kinks);
    if (torch_diff < 0.0)
        return 1;
    printf("against PyTorch (%s): max difference %.2e\n", o.reference, torch_diff);
    if (make_directories(o.out) != 0)
        return 1;
    /* Check 1 (src/ch03_backprop.c): the index sums against the matrix code. */
    sums_diff = compare_sums_with_matrices(&rng, &chain_diff);
    printf("index sums against matrix code: max difference %.2e; chain rule for dW1: %.2e\n",
           sums_diff, chain_diff);
    if (finite_difference_checks(&rng, o.out, &worst_quad, &worst_ce) != 0)
        return 1;
    double norms[2][3], tail[SATURATION_TAIL];
    if (write_saturation(o.out, &quad10, &ce10, tail) != 0 || write_delta_norms(o.out, &rng, norms) != 0)
        return 1;

    Numbers nb;
    if (numbers_open(&nb, o.out) != 0)
        return 1;
    numbers_put(&nb, "ch03.shapes", "%d", CH03_N_SHAPES);
    numbers_put_sci(&nb, "ch03.sumsdiff", sums_diff);
    numbers_put_sci(&nb, "ch03.chaindiff", chain_diff);
    numbers_put_sci(&nb, "ch03.fdstep", FD_STEP);
    numbers_put_sci(&nb, "ch03.fderror.quadratic", worst_quad);
    numbers_put_sci(&nb, "ch03.fderror.crossentropy", worst_ce);
    numbers_put_sci(&nb, "ch03.torchdiff", torch_diff);
    numbers_put(&nb, "ch03.torchloss.quadratic", "%.4g", torch_losses[0]);
    numbers_put(&nb, "ch03.torchloss.crossentropy", "%.4g", torch_losses[1]);
    numbers_put_sci(&nb, "ch03.saturation.quadraticsci", quad10);
    numbers_put(&nb, "ch03.saturation.crossentropy", "%.3f", ce10);
    numbers_put(&nb, "ch03.deltanorm.quadratic.1", "%.3f", norms[0][0]);
    numbers_put(&nb, "ch03.deltanorm.crossentropy.1", "%.3f", norms[1][0]);
    numbers_put(&nb, "ch03.deltanorm.quadratic.3", "%.3f", norms[0][2]);
    numbers_put(&nb, "ch03.deltanorm.crossentropy.3", "%.3f", norms[1][2]);

    /* The verdicts of the text, each against its stated tolerance. */
    numbers_put_sci(&nb, "ch03.rounding", ROUNDING);
    verdict_put(&nb, "ch03.sums", &AGREE_RULE, agree_verdict(sums_diff, 0.0, ROUNDING));
    verdict_put(&nb, "ch03.chain", &AGREE_RULE, agree_verdict(chain_diff, 0.0, ROUNDING));
    numbers_put_sci(&nb, "ch03.gradchecktol", GRADCHECK_TOL);
    verdict_put(&nb, "ch03.fd", &AGREE_RULE,
                agree_verdict(fmax(worst_quad, worst_ce), 0.0, GRADCHECK_TOL));
    numbers_put_sci(&nb, "ch03.torchtol", TORCH_TOL);
    verdict_put(&nb, "ch03.fixture.kinks", &YESNO_RULE, yesno_verdict(kinks));
    verdict_put(&nb, "ch03.torch", &AGREE_RULE, agree_verdict(torch_diff, 0.0, TORCH_TOL));
    numbers_put_sci(&nb, "ch03.sqrttwotol", SQRT2_TOL);
    verdict_put(&nb, "ch03.saturation.sqrttwo", &AGREE_RULE, agree_verdict(ce10, sqrt(2.0), SQRT2_TOL));
    /* Beyond s = 10 the quadratic loss's error keeps falling: by what
     * factor from s = 10 to s = 15, and whether every step falls. */
    numbers_put_sci(&nb, "ch03.saturation.quadratic15", tail[SATURATION_TAIL - 1]);
    verdict_put(&nb, "ch03.saturation.falling", &MONOTONE_RULE,
                monotone_verdict(tail, SATURATION_TAIL, 0.0));
    int smaller = 1;
    for (int l = 0; l < 3; l++)
        smaller &= norms[0][l] < norms[1][l];
    verdict_put(&nb, "ch03.deltanorm.smaller", &YESNO_RULE, yesno_verdict(smaller));
    worked_example(&nb);
    return numbers_close(&nb) != 0;
}
