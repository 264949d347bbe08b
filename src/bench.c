/* bench - how fast the kit trains the problem set's network, beside what
 * the BLAS can do on this machine: per-sample SGD and mini-batches of 64
 * and 256, on one thread and on two; the cblas_sgemm and cblas_sgemv peaks
 * measured in the same run; and the problem set's whole run (chapter 05's
 * program, 1,000 digits, 50 epochs) timed from process start to exit.
 * Prints a table and writes it to build/bench.tsv.  `make bench` runs it;
 * it is not a test. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cblas.h>

#include "lib/cli.h"
#include "lib/linalg.h"
#include "lib/mlp32.h"
#include "lib/mnist.h"
#include "lib/progress.h"
#include "lib/results.h"
#include "lib/rng.h"

static const double MIN_SECONDS = 0.5;   /* repeat each measurement at least this long */

typedef struct {
    const char *mode;
    int batch, threads;
    double samples_per_second, gflops, seconds;
} Row;

/* GFLOP/s of C = A B for n x n matrices. */
static double sgemm_peak(int n)
{
    float *a = malloc(sizeof(float) * (size_t)n * n), *b = malloc(sizeof(float) * (size_t)n * n),
          *c = malloc(sizeof(float) * (size_t)n * n);
    for (long i = 0; i < (long)n * n; i++)
        a[i] = b[i] = 1.0f / (float)(1 + i % 7);
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1, a, n, b, n, 0, c, n);
    int reps = 0;
    double t0 = now_seconds(), t;
    do {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1, a, n, b, n, 0, c, n);
        reps++;
    } while ((t = now_seconds() - t0) < MIN_SECONDS);
    free(a);
    free(b);
    free(c);
    return 2.0 * n * n * (double)n * reps / t / 1e9;
}

/* GFLOP/s of y = A x for the first layer's m x n matrix (it stays in cache,
 * as it does during training). */
static double sgemv_peak(int m, int n)
{
    float *a = malloc(sizeof(float) * (size_t)m * n), *x = malloc(sizeof(float) * (size_t)n),
          *y = malloc(sizeof(float) * (size_t)m);
    for (long i = 0; i < (long)m * n; i++)
        a[i] = 0.001f * (float)(i % 13);
    for (int i = 0; i < n; i++)
        x[i] = 0.5f;
    long reps = 0;
    double t0 = now_seconds(), t;
    do {
        for (int k = 0; k < 100; k++)
            cblas_sgemv(CblasRowMajor, CblasNoTrans, m, n, 1, a, n, x, 1, 0, y, 1);
        reps += 100;
    } while ((t = now_seconds() - t0) < MIN_SECONDS);
    free(a);
    free(x);
    free(y);
    return 2.0 * m * (double)n * reps / t / 1e9;
}

/* Training samples per second: epochs of SGD steps, evaluation excluded. */
static double training_rate(const Dataset *train, int n, int batch)
{
    Mlp32 net;
    Mlp32Work work;
    Rng rng;
    rng_seed(&rng, 1);
    if (mnist_network(&net, OUTPUT_SOFTMAX) != 0 || mlp32_work_create(&work, &net, batch) != 0)
        exit(1);
    mlp32_init(&net, INIT_SCALED_NORMAL, &rng);
    int *idx = malloc(sizeof(int) * (size_t)n);
    float *X = malloc(sizeof(float) * (size_t)batch * (size_t)train->dim);
    unsigned char *y = malloc((size_t)batch);
    for (int i = 0; i < n; i++)
        idx[i] = i;
    long samples = 0;
    double t0 = now_seconds(), t;
    do {
        rng_shuffle(&rng, idx, n);
        for (int start = 0; start + batch <= n; start += batch) {
            if (batch == 1) {
                mlp32_train_step(&net, &work, 1, train->x + (long)idx[start] * train->dim,
                                 &train->y[idx[start]], 0.1f);
            } else {
                for (int r = 0; r < batch; r++) {
                    memcpy(X + (long)r * train->dim, train->x + (long)idx[start + r] * train->dim,
                           sizeof(float) * (size_t)train->dim);
                    y[r] = train->y[idx[start + r]];
                }
                mlp32_train_step(&net, &work, batch, X, y, 0.1f);
            }
            samples += batch;
        }
    } while ((t = now_seconds() - t0) < MIN_SECONDS);
    free(idx);
    free(X);
    free(y);
    mlp32_work_free(&work);
    mlp32_free(&net);
    return samples / t;
}

/* The problem set's whole run, chapter 05's program from exec to exit:
 * wall seconds, and the child's peak resident memory in MB. */
static int time_whole_run(const char *bin_dir, const char *data, double *seconds, double *peak_mb)
{
    char program[4096], out[64];
    snprintf(program, sizeof program, "%s/ch05_mnist_mlp", bin_dir);
    snprintf(out, sizeof out, "/tmp/kit-bench-%d", (int)getpid());
    double t0 = now_seconds();
    pid_t pid = fork();
    if (pid == 0) {
        if (!freopen("/dev/null", "w", stdout))
            _exit(127);
        execl(program, program, "--run", "persample", "--data", data, "--out", out, (char *)NULL);
        perror(program);
        _exit(127);
    }
    int status;
    if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "error: %s did not run to completion\n", program);
        return -1;
    }
    *seconds = now_seconds() - t0;
    struct rusage ru;
    getrusage(RUSAGE_CHILDREN, &ru);
    *peak_mb = ru.ru_maxrss / 1024.0;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", out);
    return system(cmd) == 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
    const char *data = argc > 1 ? argv[1] : "data/mnist";
    const char *bin_dir = argc > 2 ? argv[2] : "build/bin";
    const char *tsv = argc > 3 ? argv[3] : "build/bench.tsv";
    if (argc > 4 || (argc > 1 && strcmp(argv[1], "--help") == 0)) {
        printf("Usage: %s [DATA_DIR [BIN_DIR [OUTPUT.tsv]]]\n", argv[0]);
        return argc > 4 ? EXIT_USAGE : 0;
    }
    Dataset train, test;
    if (mnist_load(data, &train, &test) != 0)
        return 1;
    Mlp32 net;
    if (mnist_network(&net, OUTPUT_SOFTMAX) != 0)
        return 1;
    long flops = mlp32_training_flops(&net);
    mlp32_free(&net);

    Row rows[16];
    int n_rows = 0;
    for (int threads = 1; threads <= 2; threads++) {
        blas_set_threads(threads);
        double peak = sgemm_peak(1024);
        rows[n_rows++] = (Row){ "sgemm_peak_1024", 0, threads, 0, peak, 0 };
        double gemv = sgemv_peak(128, 784);
        rows[n_rows++] = (Row){ "sgemv_peak_128x784", 0, threads, 0, gemv, 0 };
        const int batches[3] = { 1, 64, 256 };
        for (int b = 0; b < 3; b++) {
            int n = batches[b] == 1 ? 1000 : train.count;
            double rate = training_rate(&train, n, batches[b]);
            rows[n_rows++] = (Row){ batches[b] == 1 ? "per-sample" : "minibatch", batches[b], threads,
                                    rate, rate * (double)flops / 1e9, 0 };
        }
    }
    blas_set_threads(1);
    double seconds, peak_mb;
    if (time_whole_run(bin_dir, data, &seconds, &peak_mb) != 0)
        return 1;
    rows[n_rows++] = (Row){ "problem_set_run", 1, 1, 50.0 * 1000 / seconds, 0, seconds };

    ResultFile rf;
    char *dir = strdup(tsv), *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    if (results_open(&rf, slash ? dir : ".", slash ? slash + 1 : tsv) != 0)
        return 1;
    free(dir);
    fprintf(rf.fp, "mode\tbatch\tthreads\tsamples_per_second\tgflops\tseconds\n");
    printf("%-20s %5s %7s %18s %8s\n", "mode", "batch", "threads", "samples/s", "GFLOP/s");
    for (int i = 0; i < n_rows; i++) {
        const Row *r = &rows[i];
        fprintf(rf.fp, "%s\t%d\t%d\t%.0f\t%.2f\t%.3f\n", r->mode, r->batch, r->threads,
                r->samples_per_second, r->gflops, r->seconds);
        if (r->samples_per_second > 0 && r->gflops > 0)
            printf("%-20s %5d %7d %18.0f %8.2f\n", r->mode, r->batch, r->threads,
                   r->samples_per_second, r->gflops);
        else if (r->gflops > 0)
            printf("%-20s %5s %7d %18s %8.2f\n", r->mode, "", r->threads, "", r->gflops);
    }
    printf("FLOPs per training sample: %ld\n", flops);
    printf("the problem set's run (1,000 digits, 50 epochs, test every epoch): %.2f s, "
           "peak memory %.1f MB\n", seconds, peak_mb);
    fprintf(rf.fp, "# flops_per_sample %ld; problem_set_run peak memory %.1f MB\n", flops, peak_mb);
    dataset_free(&train);
    dataset_free(&test);
    return results_close(&rf) != 0;
}
