#include "train.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fast32.h"
#include "progress.h"
#include "results.h"

enum { EVAL_CHUNK = 500 };

int predict_network(const Mlp32 *net, const Dataset *data, int n, unsigned char *predicted,
                    double *confidence, double *loss)
{
    Mlp32Work work;
    if (mlp32_work_create(&work, net, EVAL_CHUNK) != 0)
        return -1;
    int K = net->sizes[net->n_layers];
    double total = 0.0;
    for (int start = 0; start < n; start += EVAL_CHUNK) {
        int rows = n - start < EVAL_CHUNK ? n - start : EVAL_CHUNK;
        mlp32_forward(net, &work, rows, data->x + (long)start * data->dim);
        for (int r = 0; r < rows; r++) {
            total += mlp32_row_loss(net, &work, r, data->y[start + r]);
            const float *f = work.a[net->n_layers] + (long)r * K;
            int best = 0;
            for (int k = 1; k < K; k++)
                if (f[k] > f[best])
                    best = k;
            predicted[start + r] = (unsigned char)best;
            if (confidence)
                confidence[start + r] = f[best];
        }
    }
    mlp32_work_free(&work);
    *loss = total / n;
    return 0;
}

int evaluate_network(const Mlp32 *net, const Dataset *data, int n, double *loss, double *accuracy)
{
    if (n <= 0 || n > data->count)
        n = data->count;
    unsigned char *predicted = malloc((size_t)n);
    if (!predicted || predict_network(net, data, n, predicted, NULL, loss) != 0) {
        free(predicted);
        return -1;
    }
    long correct = 0;
    for (int i = 0; i < n; i++)
        correct += predicted[i] == data->y[i];
    free(predicted);
    *accuracy = (double)correct / n;
    return 0;
}

void gather_batch(const Dataset *data, const int *idx, int rows, float *X, unsigned char *y)
{
    int dim = data->dim;
    for (int r = 0; r < rows; r++) {
        memcpy(X + (long)r * dim, data->x + (long)idx[r] * dim, sizeof(float) * (size_t)dim);
        y[r] = data->y[idx[r]];
    }
}

/* "learning rate (--lr)" when the option that set it is known. */
static void rate_hint(const TrainOptions *o, char *buf, size_t n)
{
    if (o->rate_option)
        snprintf(buf, n, "; try a smaller learning rate (%s)", o->rate_option);
    else
        snprintf(buf, n, "; try a smaller learning rate");
}

/* A step's loss is NaN or infinite: say so (with "error:" unless the run
 * was expected to diverge). */
static void report_non_finite(const TrainOptions *o, float loss, int epoch, long step, double lr)
{
    char hint[96];
    rate_hint(o, hint, sizeof hint);
    fprintf(stderr, "%s%s: the loss became %s at epoch %d, step %ld "
            "(learning rate %g): training diverged%s\n",
            o->divergence_expected ? "" : "error: ", o->name,
            isnan(loss) ? "NaN" : "infinite", epoch + 1, step + 1, lr,
            o->divergence_expected ? "" : hint);
}

/* Whether an epoch's mean loss is over the divergence bound: more than
 * DIVERGENCE_FACTOR times the starting loss, or log K if that is larger
 * (see train.h). */
static int loss_over_bound(const Mlp32 *net, double start_loss, double mean_loss)
{
    double floor = log((double)net->sizes[net->n_layers]);
    double start = start_loss > floor ? start_loss : floor;
    return mean_loss > DIVERGENCE_FACTOR * start;
}

/* An epoch's mean loss is over the bound.  An error, which stops the run,
 * unless the run was expected to diverge; then a note, once. */
static void report_over_bound(const TrainOptions *o, double start_loss, double mean_loss,
                              int epoch, double lr)
{
    char hint[96];
    rate_hint(o, hint, sizeof hint);
    if (o->divergence_expected)
        fprintf(stderr, "%s: the mean loss grew from %.3g at the start to %.3g in epoch %d "
                "(learning rate %g), over %d times the start; training goes on\n",
                o->name, start_loss, mean_loss, epoch + 1, lr, DIVERGENCE_FACTOR);
    else
        fprintf(stderr, "error: %s: the mean loss grew from %.3g at the start to %.3g in "
                "epoch %d (learning rate %g): training diverged%s\n",
                o->name, start_loss, mean_loss, epoch + 1, lr, hint);
}

int train_network(Mlp32 *net, const Dataset *train, const Dataset *test,
                  const TrainOptions *o, TrainHistory *h)
{
    int n = o->limit > 0 && o->limit < train->count ? o->limit : train->count;
    int batch = o->batch < n ? o->batch : n;
    int *idx = malloc(sizeof(int) * (size_t)n);
    float *X = malloc(sizeof(float) * (size_t)batch * (size_t)train->dim);
    unsigned char *y = malloc((size_t)batch);
    Mlp32Work work;
    Fast32 fast;
    int fast_engine = o->engine == ENGINE_FAST;
    if (!idx || !X || !y || (fast_engine ? fast32_create(&fast, net, batch, 1)
                                         : mlp32_work_create(&work, net, batch)) != 0) {
        fprintf(stderr, "error: %s: %s\n", o->name,
                fast_engine ? "the fast engine cannot train it (see above)" : "out of memory");
        free(idx);
        free(X);
        free(y);
        return -1;
    }
    for (int i = 0; i < n; i++)
        idx[i] = i;
    h->diverged_epoch = 0;
    h->diverged_step = 0;
    h->exploded_epoch = 0;
    double start_loss = 0.0;     /* the first step's loss */
    Rng rng;
    rng_seed(&rng, o->seed);
    Progress progress;
    progress_init(&progress, stderr);

    int status = 0;
    long step = 0;
    for (int epoch = 0; epoch < o->epochs && status == 0; epoch++) {
        if (o->order)
            memcpy(idx, o->order + (long)epoch * n, sizeof(int) * (size_t)n);
        else if (o->shuffle)
            rng_shuffle(&rng, idx, n);
        if (h->order)
            memcpy(h->order + (long)epoch * n, idx, sizeof(int) * (size_t)n);
        EpochStats *st = &h->epochs[epoch];
        double t0 = now_seconds();
        double loss_sum = 0.0;   /* of the epoch's steps, for their mean */
        long first_step = step;
        for (int start = 0; start < n; start += batch, step++) {
            int rows = n - start < batch ? n - start : batch;
            double lr = o->schedule ? o->schedule(o->schedule_ctx, epoch, step) : o->lr;
            if (start == 0)
                st->lr = lr;
            const float *Xs = X;
            const unsigned char *ys = y;
            if (rows == 1) {    /* per sample: straight from the data set */
                Xs = train->x + (long)idx[start] * train->dim;
                ys = &train->y[idx[start]];
            } else
                gather_batch(train, idx + start, rows, X, y);
            float loss = fast_engine ? fast32_train_step(&fast, net, rows, Xs, ys, (float)lr)
                                     : mlp32_train_step(net, &work, rows, Xs, ys, (float)lr);
            if (!isfinite(loss)) {
                progress_done(&progress);
                report_non_finite(o, loss, epoch, step, lr);
                h->diverged_epoch = epoch + 1;
                h->diverged_step = step + 1;
                status = -1;
                break;
            }
            if (h->step_loss && step < h->max_steps)
                h->step_loss[step] = loss;
            if (step == 0)
                start_loss = loss;
            loss_sum += loss;
        }
        if (fast_engine)
            fast32_finish(&fast, net);      /* net up to date before it is read */
        if (status != 0)
            break;
        double mean_loss = loss_sum / (double)(step - first_step);
        if (h->exploded_epoch == 0 && loss_over_bound(net, start_loss, mean_loss)) {
            progress_done(&progress);
            report_over_bound(o, start_loss, mean_loss, epoch, st->lr);
            h->exploded_epoch = epoch + 1;
            if (!o->divergence_expected) {
                h->diverged_epoch = epoch + 1;
                h->diverged_step = step;
                status = -1;
                break;
            }
        }
        st->seconds = now_seconds() - t0;
        st->samples_per_second = n / st->seconds;
        if (!o->skip_evaluation &&
            (evaluate_network(net, train, n, &st->train_loss, &st->train_accuracy) != 0 ||
             evaluate_network(net, test, 0, &st->test_loss, &st->test_accuracy) != 0)) {
            status = -1;
            break;
        }
        progress_show(&progress, "%s: epoch %d/%d  loss %.4f  train %.2f%%  test %.2f%%  %.0f samples/s",
                      o->name, epoch + 1, o->epochs, st->train_loss, 100 * st->train_accuracy,
                      100 * st->test_accuracy, st->samples_per_second);
    }
    progress_done(&progress);
    if (fast_engine)
        fast32_free(&fast);
    else
        mlp32_work_free(&work);
    free(idx);
    free(X);
    free(y);
    return status;
}

int write_epoch_curve(const char *dir, const char *name, const EpochStats *st, int epochs)
{
    ResultFile rf;
    if (results_open(&rf, dir, name) != 0)
        return -1;
    fprintf(rf.fp, "# epoch train_loss train_accuracy test_loss test_accuracy lr\n");
    for (int e = 0; e < epochs; e++)
        fprintf(rf.fp, "%d %.6f %.6f %.6f %.6f %.6g\n", e + 1, st[e].train_loss,
                st[e].train_accuracy, st[e].test_loss, st[e].test_accuracy, st[e].lr);
    return results_close(&rf);
}

int write_epoch_timing(const char *dir, const char *name, const EpochStats *st, int epochs)
{
    ResultFile rf;
    if (results_open(&rf, dir, name) != 0)
        return -1;
    fprintf(rf.fp, "# epoch seconds samples_per_second (training only, evaluation excluded)\n");
    for (int e = 0; e < epochs; e++)
        fprintf(rf.fp, "%d %.6f %.0f\n", e + 1, st[e].seconds, st[e].samples_per_second);
    return results_close(&rf);
}
