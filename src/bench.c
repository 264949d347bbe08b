/* bench - how fast the kit trains chapter 05's network, beside NumPy and
 * PyTorch training the same network the same way (tools/bench_numpy.py,
 * tools/bench_torch.py), and beside what the BLAS itself can do on this
 * machine (cblas_sgemm on 1024 x 1024 matrices).
 *
 * The kit trains with its fast engine (src/lib/fast32.h: a sparse first
 * layer, vector instructions, threads of its own).  Rows: per-sample SGD
 * and mini-batches of 64 and 256, on one thread and on two.  Each round
 * also measures, on one thread, the fast engine with its sparse first
 * layer off ("dense", batches of 256) and the teaching engine
 * (mlp32_train_step, per sample), which the speed appendix compares.  Every measurement trains whole epochs for at least --seconds
 * and is repeated --repeats times; the repeats are interleaved (kit, NumPy,
 * PyTorch, row after row, round after round), so that a burst of load on
 * a shared machine falls on all three alike.  The table gives the median
 * and the range [min-max] of each.
 *
 * Writes, into --out: bench.tsv (every measurement), numbers.tex (the
 * figures the report's speed appendix quotes, as \kitnumber lines) and
 * table.tex (the appendix's table).  `make bench` runs it; it is not a
 * test: timings vary with the machine and its load. */
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cblas.h>

#include "lib/cli.h"
#include "lib/fast32.h"
#include "lib/linalg.h"
#include "lib/mlp32.h"
#include "lib/mnist.h"
#include "lib/progress.h"
#include "lib/results.h"
#include "lib/rng.h"
#include "lib/train.h"
#include "lib/verdict.h"

enum { MAX_REPEATS = 25, N_BATCHES = 3, N_THREADS = 2, N_PROGRAMS = 3, SGEMM_N = 1024 };
static const int BATCHES[N_BATCHES] = { 1, 64, 256 };
static const char *PROGRAM_NAMES[N_PROGRAMS] = { "kit", "NumPy", "PyTorch" };
/* The same, as the book's table heads them: the kit's engine is "this book's". */
static const char *TABLE_NAMES[N_PROGRAMS] = { "this book", "NumPy", "PyTorch" };
enum { KIT = 0 };

typedef struct {
    const char *data, *out, *tools, *python;
    int repeats;
    double seconds;
    int no_peers;
} Options;

/* A peer: a Python script that trains on request (tools/bench_common.py). */
typedef struct {
    const char *script;
    int threads;
    pid_t pid;
    FILE *to, *from;
    char version[64];
    char missing[128];   /* why it does not run; "" when it does */
} Peer;

/* Every measurement: rate[program][batch][threads - 1][repeat] in
 * samples/s (0 when the program did not run), and the sgemm peak in
 * GFLOP/s per thread count and repeat. */
typedef struct {
    int repeats;
    double rate[N_PROGRAMS][N_BATCHES][N_THREADS][MAX_REPEATS];
    double sgemm[N_THREADS][MAX_REPEATS];
    double dense[MAX_REPEATS];     /* the fast engine, batch 256, 1 thread, sparse layer off */
    double teaching[MAX_REPEATS];  /* the teaching engine per sample, 1 thread */
    char peer_note[N_PROGRAMS][128];
    long flops;          /* per training sample, dense */
    long first_layer_flops;  /* of them, the first layer's 4 n_0 n_1 */
    double sparse_flops; /* per training sample, as the sparse first layer does them */
    double zero_fraction;   /* of the training images' pixels */
    double other_load;   /* cores other programs kept busy, on average, during the rounds */
} Measurements;

static Options parse_command_line(int argc, char **argv)
{
    Options o = { .data = "data/mnist", .out = "build/bench", .tools = "tools",
                  .python = "/usr/bin/python3", .repeats = 7, .seconds = 0.3 };
    const Option table[] = {
        { "data", "DIR", OPT_STRING, &o.data, 0, 0, "the four MNIST IDX files" },
        { "out", "DIR", OPT_STRING, &o.out, 0, 0, "where to write bench.tsv, numbers.tex, table.tex" },
        { "repeats", "N", OPT_INT, &o.repeats, 1, MAX_REPEATS, "measurements of each figure" },
        { "seconds", "S", OPT_DOUBLE, &o.seconds, 0.01, 60, "the least time of one measurement" },
        { "python", "FILE", OPT_STRING, &o.python, 0, 0, "the Python that runs the peers" },
        { "tools", "DIR", OPT_STRING, &o.tools, 0, 0, "where bench_numpy.py and bench_torch.py are" },
        { "no-peers", NULL, OPT_FLAG, &o.no_peers, 0, 0, "measure the kit alone" },
        { 0 },
    };
    parse_options(argc, argv, table,
                  "Measure how fast the kit trains chapter 05's network (samples/s) beside NumPy\n"
                  "and PyTorch and beside the cblas_sgemm peak, on one thread and on two.");
    return o;
}

/* ------------------------------------------------------------------------
 * The machine. */


/* GFLOP/s of C = A B on n x n matrices, 2 n^3 operations a product. */
static double sgemm_rate(int n, double seconds)
{
    size_t nn = (size_t)n * (size_t)n;
    float *a = malloc(sizeof(float) * nn), *b = malloc(sizeof(float) * nn),
          *c = malloc(sizeof(float) * nn);
    if (!a || !b || !c)
        exit(1);
    for (size_t i = 0; i < nn; i++)
        a[i] = b[i] = 1.0f / (float)(1 + i % 7);
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1, a, n, b, n, 0, c, n);
    int reps = 0;
    double t0 = now_seconds(), t;
    do {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1, a, n, b, n, 0, c, n);
        reps++;
    } while ((t = now_seconds() - t0) < seconds);
    free(a);
    free(b);
    free(c);
    return 2.0 * n * n * (double)n * reps / t / 1e9;
}

/* ------------------------------------------------------------------------
 * The kit. */

/* How a measurement trains: the fast engine with its sparse first layer
 * (the kit's rows), the fast engine without it, or the teaching engine. */
typedef enum { FAST_SPARSE, FAST_DENSE, TEACHING } Trainer;

/* Training samples per second: whole epochs (1,000 samples per sample, as
 * chapter 05; the whole training set in batches) for at least `seconds`,
 * evaluation excluded.  The fast engine's mean FLOPs a sample go to
 * *flops when it is not NULL. */
static double kit_rate(const Dataset *train, int batch, int threads, Trainer engine,
                       double seconds, double *flops)
{
    int n = batch == 1 ? (train->count < 1000 ? train->count : 1000) : train->count;
    Mlp32 net;
    Mlp32Work work;
    Fast32 fast;
    Rng rng;
    rng_seed(&rng, 1);
    if (mnist_network(&net, OUTPUT_SOFTMAX) != 0)
        exit(1);
    if (engine == TEACHING ? mlp32_work_create(&work, &net, batch)
                           : fast32_create(&fast, &net, batch, threads))
        exit(1);
    if (engine != TEACHING)
        fast32_set_sparse(&fast, engine == FAST_SPARSE);
    mlp32_init(&net, INIT_SCALED_NORMAL, &rng);
    int *idx = malloc(sizeof(int) * (size_t)n);
    float *X = malloc(sizeof(float) * (size_t)batch * (size_t)train->dim);
    unsigned char *y = malloc((size_t)batch);
    if (!idx || !X || !y)
        exit(1);
    for (int i = 0; i < n; i++)
        idx[i] = i;
    long samples = 0;
    double t0 = now_seconds(), t;
    do {
        rng_shuffle(&rng, idx, n);
        for (int start = 0; start + batch <= n; start += batch) {
            if (engine == TEACHING) {
                gather_batch(train, idx + start, batch, X, y);   /* as the peers do */
                mlp32_train_step(&net, &work, batch, X, y, 0.1f);
            } else {
                fast32_gather_batch(&fast, train, idx + start, batch, X, y);
                fast32_train_step(&fast, &net, batch, X, y, 0.1f);
            }
            samples += batch;
        }
    } while ((t = now_seconds() - t0) < seconds);
    if (engine == TEACHING)
        mlp32_work_free(&work);
    else {
        fast32_finish(&fast, &net);
        if (flops)
            *flops = fast32_flops_per_sample(&fast, &net);
        fast32_free(&fast);
    }
    free(idx);
    free(X);
    free(y);
    mlp32_free(&net);
    return samples / t;
}

/* The fraction of the data's pixels that are 0. */
static double zero_fraction(const Dataset *d)
{
    long zeros = 0, n = (long)d->count * d->dim;
    for (long i = 0; i < n; i++)
        zeros += d->x[i] == 0.0f;
    return (double)zeros / (double)n;
}

/* ------------------------------------------------------------------------
 * The peers: one Python process per script and thread count, started
 * once (importing PyTorch takes seconds) and asked for one measurement at
 * a time through a pipe. */

static void peer_start(Peer *p, const Options *o)
{
    char script[4096], threads[16];
    snprintf(script, sizeof script, "%s/%s", o->tools, p->script);
    snprintf(threads, sizeof threads, "%d", p->threads);
    int to_child[2], from_child[2];
    if (pipe(to_child) != 0 || pipe(from_child) != 0) {
        snprintf(p->missing, sizeof p->missing, "no pipe");
        return;
    }
    fcntl(to_child[1], F_SETFD, FD_CLOEXEC);     /* only the parent holds its ends, */
    fcntl(from_child[0], F_SETFD, FD_CLOEXEC);   /* so a peer sees EOF if bench dies */
    fflush(stdout);
    p->pid = fork();
    if (p->pid < 0) {
        snprintf(p->missing, sizeof p->missing, "cannot fork");
        return;
    }
    if (p->pid == 0) {
        dup2(to_child[0], 0);
        dup2(from_child[1], 1);
        close(to_child[1]);
        close(from_child[0]);
        execl(o->python, o->python, script, "--threads", threads, "--data", o->data, (char *)NULL);
        _exit(127);
    }
    close(to_child[0]);
    close(from_child[1]);
    p->to = fdopen(to_child[1], "w");
    p->from = fdopen(from_child[0], "r");
}

/* Wait for a started peer to say it is ready (they start side by side). */
static void peer_ready(Peer *p, const Options *o)
{
    char line[256], name[64];
    if (p->missing[0])
        return;
    /* "ready NAME VERSION THREADS", or "missing WHAT" when a module is absent */
    if (!fgets(line, sizeof line, p->from))
        snprintf(p->missing, sizeof p->missing, "%s did not start", o->python);
    else if (strncmp(line, "missing ", 8) == 0)
        snprintf(p->missing, sizeof p->missing, "%.*s", (int)strcspn(line + 8, "\n"), line + 8);
    else if (sscanf(line, "ready %63s %63s", name, p->version) != 2)
        snprintf(p->missing, sizeof p->missing, "%s answered %.40s", p->script, line);
}

/* Samples per second of one measurement; 0 when the peer does not run. */
static double peer_rate(Peer *p, int batch, double seconds)
{
    char line[64];
    if (p->missing[0])
        return 0.0;
    fprintf(p->to, "%d %.3f\n", batch, seconds);
    fflush(p->to);
    if (!fgets(line, sizeof line, p->from)) {
        snprintf(p->missing, sizeof p->missing, "%s stopped", p->script);
        return 0.0;
    }
    return strtod(line, NULL);
}

static void peer_stop(Peer *p)
{
    if (p->to) {
        fprintf(p->to, "quit\n");
        fclose(p->to);
    }
    if (p->from)
        fclose(p->from);
    if (p->pid > 0)
        waitpid(p->pid, NULL, 0);
}

/* ------------------------------------------------------------------------
 * The machine's load.  A figure measured while other programs ran is
 * slower than the machine can do, and the two-thread figures most of all.
 * The kernel counts, in /proc/stat's first line, the time every core spent
 * busy (user, nice, system, irq, softirq, and steal: time a hypervisor gave
 * to other machines); what this program and its peers used is
 * getrusage()'s.  The difference, over the wall time of the rounds, is how
 * many cores other work kept busy. */

/* Seconds all cores together have spent busy since boot; -1 if unknown. */
static double machine_busy_seconds(void)
{
    FILE *fp = fopen("/proc/stat", "r");
    if (!fp)
        return -1;
    unsigned long long user, nice, system, idle, iowait, irq, softirq, steal = 0;
    int n = fscanf(fp, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &user, &nice, &system, &idle,
                   &iowait, &irq, &softirq, &steal);
    fclose(fp);
    if (n < 7)
        return -1;
    return (double)(user + nice + system + irq + softirq + steal) / (double)sysconf(_SC_CLK_TCK);
}

/* CPU seconds this program and its waited-for children (the peers) used. */
static double own_cpu_seconds(void)
{
    double total = 0.0;
    const int who[2] = { RUSAGE_SELF, RUSAGE_CHILDREN };
    for (int i = 0; i < 2; i++) {
        struct rusage u;
        getrusage(who[i], &u);
        total += (double)u.ru_utime.tv_sec + 1e-6 * (double)u.ru_utime.tv_usec +
                 (double)u.ru_stime.tv_sec + 1e-6 * (double)u.ru_stime.tv_usec;
    }
    return total;
}

/* ------------------------------------------------------------------------
 * Measuring: every figure, round after round. */

/* Let the threads of the measurement before go idle: the BLAS's threads
 * and the team's watch for work a while after a call, and would run into
 * the next measurement. */
static void pause_briefly(void)
{
    struct timespec tenth = { 0, 100000000 };
    nanosleep(&tenth, NULL);
}

/* One round: every row of the table once, kit and peers side by side,
 * then the sgemm peaks. */
static void measure_round(const Options *o, const Dataset *train, Peer peers[][N_THREADS],
                          Measurements *m, int rep, double seconds)
{
    for (int t = 0; t < N_THREADS; t++) {
        blas_set_threads(1);   /* the kit's steps use threads of their own */
        for (int b = 0; b < N_BATCHES; b++) {
            double rates[N_PROGRAMS];
            double flops = 0.0;
            rates[KIT] = kit_rate(train, BATCHES[b], t + 1, FAST_SPARSE, seconds, &flops);
            if (b == 2 && t == 0 && rep >= 0)
                m->sparse_flops = flops;
            pause_briefly();
            if (b == 0 && t == 0) {   /* the teaching engine, right after the fast one */
                double teaching = kit_rate(train, 1, 1, TEACHING, seconds, NULL);
                pause_briefly();
                if (rep >= 0)
                    m->teaching[rep] = teaching;
            }
            if (b == 2 && t == 0) {   /* the sparse layer off, right after on */
                double dense = kit_rate(train, 256, 1, FAST_DENSE, seconds, NULL);
                pause_briefly();
                if (rep >= 0)
                    m->dense[rep] = dense;
            }
            for (int p = 1; p < N_PROGRAMS; p++) {
                rates[p] = peer_rate(&peers[p][t], BATCHES[b], seconds);
                if (rates[p] > 0)
                    pause_briefly();
            }
            for (int p = 0; p < N_PROGRAMS && rep >= 0; p++)
                m->rate[p][b][t][rep] = rates[p];
        }
    }
    for (int t = 0; t < N_THREADS; t++) {
        blas_set_threads(t + 1);
        double peak = sgemm_rate(SGEMM_N, seconds);
        blas_set_threads(1);
        pause_briefly();
        if (rep >= 0)
            m->sgemm[t][rep] = peak;
    }
    (void)o;
}

static void measure(const Options *o, const Dataset *train, Measurements *m)
{
    static const char *scripts[N_PROGRAMS] = { NULL, "bench_numpy.py", "bench_torch.py" };
    Peer peers[N_PROGRAMS][N_THREADS];
    memset(peers, 0, sizeof peers);
    for (int p = 1; p < N_PROGRAMS; p++)
        for (int t = 0; t < N_THREADS; t++) {
            peers[p][t] = (Peer){ .script = scripts[p], .threads = t + 1 };
            if (o->no_peers)
                snprintf(peers[p][t].missing, sizeof peers[p][t].missing, "not run (--no-peers)");
            else
                peer_start(&peers[p][t], o);
        }
    for (int p = 1; p < N_PROGRAMS; p++)
        for (int t = 0; t < N_THREADS; t++)
            peer_ready(&peers[p][t], o);
    m->repeats = o->repeats;
    double busy0 = machine_busy_seconds(), own0 = own_cpu_seconds(), wall0 = now_seconds();
    for (int rep = -1; rep < o->repeats; rep++) {  /* round -1 warms up, unrecorded */
        measure_round(o, train, peers, m, rep, rep < 0 ? o->seconds / 3 : o->seconds);
        fprintf(stderr, "bench: round %d of %d done\n", rep + 1, o->repeats);
    }
    for (int p = 1; p < N_PROGRAMS; p++)
        for (int t = 0; t < N_THREADS; t++)
            peer_stop(&peers[p][t]);   /* waited for: their CPU time counts as our own */
    double busy1 = machine_busy_seconds();
    m->other_load = busy0 < 0 || busy1 < 0 ? NAN
                  : fmax(0.0, ((busy1 - busy0) - (own_cpu_seconds() - own0)) / (now_seconds() - wall0));
    for (int p = 1; p < N_PROGRAMS; p++) {
        Peer *q = &peers[p][0];
        /* PyTorch's script loads the data with NumPy: without NumPy it
         * cannot run, although nothing is wrong with PyTorch. */
        if (p == 2 && strcmp(q->missing, "numpy is not installed") == 0)
            snprintf(m->peer_note[p], sizeof m->peer_note[p],
                     "its benchmark needs NumPy, which is not installed");
        else
            snprintf(m->peer_note[p], sizeof m->peer_note[p], "%s", q->missing[0] ? q->missing : q->version);
    }
}

/* ------------------------------------------------------------------------
 * Statistics and the table. */

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

typedef struct {
    double median, min, max;
} Rates;

/* The median and range of n measurements; all 0 if any is missing.
 * (Named Rates, not Summary: lib/stats.h, through lib/verdict.h, has a
 * Summary of its own.) */
static Rates summarise(const double *values, int n)
{
    double v[MAX_REPEATS];
    memcpy(v, values, sizeof(double) * (size_t)n);
    qsort(v, (size_t)n, sizeof(double), compare_doubles);
    if (v[0] <= 0.0)
        return (Rates){ 0, 0, 0 };
    double median = n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
    return (Rates){ median, v[0], v[n - 1] };
}

static Rates rate_of(const Measurements *m, int program, int b, int t)
{
    return summarise(m->rate[program][b][t], m->repeats);
}

static const char *mode_name(int b)
{
    return b == 0 ? "per sample" : b == 1 ? "batch 64" : "batch 256";
}

/* Whether peer p ran: it measured the first row (bench.numpy.ran,
 * bench.pytorch.ran; the table has its column only then). */
static int peer_ran(const Measurements *m, int p)
{
    return rate_of(m, p, 0, 0).median > 0;
}

/* The kit's median over the best peer's median, 0 without peers. */
static double ratio_to_best_peer(const Measurements *m, int b, int t)
{
    double best = 0.0;
    for (int p = 1; p < N_PROGRAMS; p++)
        best = fmax(best, rate_of(m, p, b, t).median);
    return best > 0.0 ? rate_of(m, KIT, b, t).median / best : 0.0;
}

/* A number rounded to 3 significant figures, as a whole number of samples/s. */
static long round3(double x)
{
    if (x <= 0.0)
        return 0;
    double scale = pow(10.0, floor(log10(x)) - 2);
    return lround(round(x / scale) * scale);
}

static void print_summary(Rates s)
{
    if (s.median <= 0.0)
        printf(" %-24s", "(not run)");
    else {
        char text[64];
        snprintf(text, sizeof text, "%ld [%ld-%ld]", round3(s.median), round3(s.min), round3(s.max));
        printf(" %-24s", text);
    }
}

/* Two-thread speed-ups: the kit's for batch b, and sgemm's own. */
static double kit_speedup(const Measurements *m, int b)
{
    return rate_of(m, KIT, b, 1).median / rate_of(m, KIT, b, 0).median;
}

static double sgemm_speedup(const Measurements *m)
{
    return summarise(m->sgemm[1], m->repeats).median / summarise(m->sgemm[0], m->repeats).median;
}

/* The first layer's share of a sample's dense FLOPs: 4 n_0 n_1 (its
 * forward product and gradient) of mlp32_training_flops. */
static double first_layer_share(const Measurements *m)
{
    return (double)m->first_layer_flops / (double)m->flops;
}

/* Samples/s that 100 % of the one-thread sgemm peak allows for the dense
 * step's FLOPs. */
static double roofline_rate(const Measurements *m)
{
    return summarise(m->sgemm[0], m->repeats).median * 1e9 / (double)m->flops;
}

static void print_table(const Measurements *m, const Options *o, const char *cpu)
{
    printf("\nchapter 05's network, training samples/s: median [min-max] of %d measurements of "
           "at least %.2f s\n", m->repeats, o->seconds);
    printf("CPU: %s, %ld cores; BLAS: %s (core %s)\n", cpu, sysconf(_SC_NPROCESSORS_ONLN),
           openblas_get_config(), openblas_get_corename());
    printf("NumPy: %s; PyTorch: %s\n\n", m->peer_note[1], m->peer_note[2]);
    printf("%-11s %7s", "mode", "threads");
    for (int p = 0; p < N_PROGRAMS; p++)
        printf(" %-24s", PROGRAM_NAMES[p]);
    printf(" %s\n", "kit/best peer");
    for (int t = 0; t < N_THREADS; t++)
        for (int b = 0; b < N_BATCHES; b++) {
            printf("%-11s %7d", mode_name(b), t + 1);
            for (int p = 0; p < N_PROGRAMS; p++)
                print_summary(rate_of(m, p, b, t));
            double r = ratio_to_best_peer(m, b, t);
            printf(r > 0 ? " %.2f\n" : " -\n", r);
        }
    Rates s1 = summarise(m->sgemm[0], m->repeats), s2 = summarise(m->sgemm[1], m->repeats);
    double kit256 = rate_of(m, KIT, 2, 0).median * (double)m->flops / 1e9;
    printf("\ncblas_sgemm %d x %d: 1 thread %.1f [%.1f-%.1f] GFLOP/s, 2 threads %.1f [%.1f-%.1f] GFLOP/s\n",
           SGEMM_N, SGEMM_N, s1.median, s1.min, s1.max, s2.median, s2.min, s2.max);
    printf("kit, batch 256, 1 thread: %.1f GFLOP/s counted as the dense step's (%ld FLOPs a sample, "
           "of which the sparse layer does %.0f), %.0f%% of the sgemm peak\n",
           kit256, m->flops, m->sparse_flops, 100 * kit256 / s1.median);
    double dense = summarise(m->dense, m->repeats).median;
    double teaching = summarise(m->teaching, m->repeats).median;
    printf("pixels that are 0: %.0f%%; first layer: %.0f%% of the dense FLOPs; sparse: %.0f FLOPs "
           "a sample\n", 100 * m->zero_fraction, 100 * first_layer_share(m), m->sparse_flops);
    printf("roofline (100%% of the 1-thread sgemm peak on the dense FLOPs): %ld samples/s; kit "
           "batch 64 %.2fx, batch 256 %.2fx of it\n", round3(roofline_rate(m)),
           rate_of(m, KIT, 1, 0).median / roofline_rate(m), rate_of(m, KIT, 2, 0).median / roofline_rate(m));
    printf("batch 256, 1 thread: sparse first layer %.0f samples/s, dense %.0f: %.2fx\n",
           rate_of(m, KIT, 2, 0).median, dense, rate_of(m, KIT, 2, 0).median / dense);
    printf("per sample, 1 thread: fast engine %.0f samples/s, teaching engine %.0f: %.2fx\n",
           rate_of(m, KIT, 0, 0).median, teaching, rate_of(m, KIT, 0, 0).median / teaching);
    printf("two-thread speed-up: sgemm %.2f; kit per sample %.2f, batch 64 %.2f, batch 256 %.2f "
           "(%.0f%%, %.0f%%, %.0f%% of sgemm's)\n", sgemm_speedup(m), kit_speedup(m, 0),
           kit_speedup(m, 1), kit_speedup(m, 2), 100 * kit_speedup(m, 0) / sgemm_speedup(m),
           100 * kit_speedup(m, 1) / sgemm_speedup(m), 100 * kit_speedup(m, 2) / sgemm_speedup(m));
}

/* ------------------------------------------------------------------------
 * The files. */

static int write_tsv(const Measurements *m, const char *dir)
{
    ResultFile rf;
    if (results_open(&rf, dir, "bench.tsv") != 0)
        return -1;
    fprintf(rf.fp, "program\tbatch\tthreads\trepeat\tsamples_per_second\tgflops\n");
    for (int t = 0; t < N_THREADS; t++)
        for (int rep = 0; rep < m->repeats; rep++) {
            fprintf(rf.fp, "sgemm_%d\t0\t%d\t%d\t0\t%.2f\n", SGEMM_N, t + 1, rep + 1, m->sgemm[t][rep]);
            if (t == 0) {
                fprintf(rf.fp, "kit_dense\t256\t1\t%d\t%.0f\t%.2f\n", rep + 1, m->dense[rep],
                        m->dense[rep] * (double)m->flops / 1e9);
                fprintf(rf.fp, "teaching\t1\t1\t%d\t%.0f\t%.2f\n", rep + 1, m->teaching[rep],
                        m->teaching[rep] * (double)m->flops / 1e9);
            }
            for (int p = 0; p < N_PROGRAMS; p++)
                for (int b = 0; b < N_BATCHES; b++) {
                    double r = m->rate[p][b][t][rep];
                    fprintf(rf.fp, "%s\t%d\t%d\t%d\t%.0f\t%.2f\n", PROGRAM_NAMES[p], BATCHES[b],
                            t + 1, rep + 1, r, r * (double)m->flops / 1e9);
                }
        }
    return results_close(&rf);
}

/* x to three significant figures, for a table: 157, 75.0, 4.18, 0.484. */
static void print3(FILE *fp, double x)
{
    int decimals = x >= 100 ? 0 : x >= 10 ? 1 : x >= 1 ? 2 : 3;
    fprintf(fp, "%.*f", decimals, x);
}

/* One cell of the LaTeX table: median and range in thousands. */
static void tex_cell(FILE *fp, Rates s)
{
    if (s.median <= 0.0) {
        fprintf(fp, " & --");
        return;
    }
    fprintf(fp, " & ");
    print3(fp, s.median / 1000);
    fprintf(fp, "\\,{\\footnotesize[");
    print3(fp, s.min / 1000);
    fprintf(fp, "--");
    print3(fp, s.max / 1000);
    fprintf(fp, "]}");
}

static int write_table(const Measurements *m, const char *dir)
{
    ResultFile rf;
    if (results_open(&rf, dir, "table.tex") != 0)
        return -1;
    /* A column for each peer that ran, and the kit's ratio to the faster
     * only when one did: without peers, the kit's column alone. */
    int ran[N_PROGRAMS] = { 1 }, peers = 0;
    for (int p = 1; p < N_PROGRAMS; p++)
        peers += ran[p] = peer_ran(m, p);
    fprintf(rf.fp, "%% Written by build/bin/bench (make bench): do not edit.\n\\begin{tabular}{lrl");
    for (int p = 1; p < N_PROGRAMS; p++)
        fprintf(rf.fp, "%s", ran[p] ? "l" : "");
    fprintf(rf.fp, "%s}\n\\toprule\nmode & threads", peers ? "r" : "");
    for (int p = 0; p < N_PROGRAMS; p++)
        if (ran[p])
            fprintf(rf.fp, " & %s", TABLE_NAMES[p]);
    fprintf(rf.fp, "%s \\\\\n\\midrule\n", peers ? " & ratio" : "");
    for (int t = 0; t < N_THREADS; t++)
        for (int b = 0; b < N_BATCHES; b++) {
            fprintf(rf.fp, "%s & %d", mode_name(b), t + 1);
            for (int p = 0; p < N_PROGRAMS; p++)
                if (ran[p])
                    tex_cell(rf.fp, rate_of(m, p, b, t));
            double r = ratio_to_best_peer(m, b, t);
            if (peers && r > 0)
                fprintf(rf.fp, " & %.2f", r);
            else if (peers)
                fprintf(rf.fp, " & --");
            fprintf(rf.fp, " \\\\\n");
        }
    fprintf(rf.fp, "\\bottomrule\n\\end{tabular}\n");
    return results_close(&rf);
}

/* A value at 3 significant figures for the text. */
static void put3(Numbers *nb, const char *key, double v)
{
    numbers_put(nb, key, "%.3g", v);
}

/* A ratio (a gain, a speed-up): two decimals always, so 1 prints as 1.00. */
static void put_ratio(Numbers *nb, const char *key, double v)
{
    numbers_put(nb, key, "%.2f", v);
}

/* ------------------------------------------------------------------------
 * Verdicts: the words the speed appendix uses about these timings.  The
 * measurements are interleaved, every row once a round, so two of them
 * taken in the same round saw the same load: a comparison of a with b is
 * the book's paired rule (lib/verdict.h) over the rounds, "higher" when
 * the 95 % interval of the mean of a[r] - b[r] lies above 0, "lower" below,
 * "no difference" when it holds 0; "too few runs" with fewer than two
 * rounds, or when a program did not run (a rate of 0). */
static PairedDifference paired_rounds(const double *a, const double *b, int n)
{
    for (int r = 0; r < n; r++)
        if (a[r] <= 0.0 || b[r] <= 0.0)
            return (PairedDifference){ .n = 0 };
    if (n < 2)
        return (PairedDifference){ .n = n };
    return paired_difference(a, b, n);
}

/* The sgemm's two-thread gain counts as "close to two" from this factor
 * on: below it, other work took part of the second core. */
#define SGEMM_FULL_GAIN 1.8

/* The machine counts as quiet during the rounds when other programs kept
 * at most this many cores busy on average. */
#define QUIET_LOAD 0.2

static void put_verdicts(Numbers *nb, const Measurements *m)
{
    int n = m->repeats;
    double best_peer[MAX_REPEATS], kit_gain[MAX_REPEATS], sgemm_gain[MAX_REPEATS];
    for (int r = 0; r < n; r++) {
        best_peer[r] = fmax(m->rate[1][0][0][r], m->rate[2][0][0][r]);
        kit_gain[r] = m->rate[KIT][2][1][r] / m->rate[KIT][2][0][r];
        sgemm_gain[r] = m->sgemm[1][r] / m->sgemm[0][r];
    }
    verdict_put(nb, "bench.numpy.ran", &YESNO_RULE, yesno_verdict(peer_ran(m, 1)));
    verdict_put(nb, "bench.pytorch.ran", &YESNO_RULE, yesno_verdict(peer_ran(m, 2)));
    /* The kit one sample at a time, one thread, against the faster peer of
     * each round. */
    verdict_put(nb, "bench.kit.vs.peers", &PAIRED_RULE,
                paired_verdict(paired_rounds(m->rate[KIT][0][0], best_peer, n)));
    /* The sparse first layer against the dense one, batches of 256. */
    verdict_put(nb, "bench.kit.sparse", &PAIRED_RULE,
                paired_verdict(paired_rounds(m->rate[KIT][2][0], m->dense, n)));
    /* Faster than 100 % of the sgemm peak allows for the dense step? */
    verdict_put(nb, "bench.kit.pastroofline.batch64", &YESNO_RULE,
                yesno_verdict(rate_of(m, KIT, 1, 0).median > roofline_rate(m)));
    verdict_put(nb, "bench.kit.pastroofline.batch256", &YESNO_RULE,
                yesno_verdict(rate_of(m, KIT, 2, 0).median > roofline_rate(m)));
    /* Batches of 256 against one sample at a time, one thread. */
    verdict_put(nb, "bench.kit.batch", &PAIRED_RULE,
                paired_verdict(paired_rounds(m->rate[KIT][2][0], m->rate[KIT][0][0], n)));
    /* Two threads against one, per mode. */
    static const char *const TWO[N_BATCHES] = { "bench.kit.twothreads.persample",
                                                "bench.kit.twothreads.batch64",
                                                "bench.kit.twothreads.batch256" };
    for (int b = 0; b < N_BATCHES; b++)
        verdict_put(nb, TWO[b], &PAIRED_RULE,
                    paired_verdict(paired_rounds(m->rate[KIT][b][1], m->rate[KIT][b][0], n)));
    /* The sgemm on two threads against one. */
    verdict_put(nb, "bench.sgemm.twothreads", &PAIRED_RULE,
                paired_verdict(paired_rounds(m->sgemm[1], m->sgemm[0], n)));
    /* The kit's two-thread gain on batches of 256 against the sgemm's. */
    verdict_put(nb, "bench.kit.twothreads.vs.sgemm", &PAIRED_RULE,
                paired_verdict(paired_rounds(kit_gain, sgemm_gain, n)));
    numbers_put(nb, "bench.sgemm.fullgain", "%.1f", SGEMM_FULL_GAIN);
    numbers_put(nb, "bench.quietload", "%.1f", QUIET_LOAD);
    verdict_put(nb, "bench.machine.quiet", &YESNO_RULE, yesno_verdict(m->other_load <= QUIET_LOAD));
    verdict_put(nb, "bench.sgemm.scaled", &YESNO_RULE, yesno_verdict(sgemm_speedup(m) >= SGEMM_FULL_GAIN));
    put_ratio(nb, "bench.kit.batch.gain", rate_of(m, KIT, 2, 0).median / rate_of(m, KIT, 0, 0).median);
}

static int write_numbers(const Measurements *m, const Options *o, const char *cpu, double seconds)
{
    Numbers nb;
    if (numbers_open(&nb, o->out) != 0)
        return -1;
    Rates s1 = summarise(m->sgemm[0], m->repeats), s2 = summarise(m->sgemm[1], m->repeats);
    numbers_put(&nb, "bench.cpu", "%s", cpu);
    numbers_put(&nb, "bench.cores", "%ld", sysconf(_SC_NPROCESSORS_ONLN));
    numbers_put(&nb, "bench.blascore", "%s", openblas_get_corename());
    numbers_put(&nb, "bench.numpy", "%s", m->peer_note[1]);
    numbers_put(&nb, "bench.pytorch", "%s", m->peer_note[2]);
    numbers_put(&nb, "bench.repeats", "%d", m->repeats);
    put3(&nb, "bench.seconds", o->seconds);
    put3(&nb, "bench.runtime", seconds);
    numbers_put(&nb, "bench.otherload", "%.2f", m->other_load);
    numbers_put_count(&nb, "bench.flops", m->flops);
    put3(&nb, "bench.sgemm.one", s1.median);
    put3(&nb, "bench.sgemm.two", s2.median);
    put_ratio(&nb, "bench.sgemm.speedup", sgemm_speedup(m));
    numbers_put_count(&nb, "bench.kit.persample.rate", round3(rate_of(m, KIT, 0, 0).median));
    numbers_put_count(&nb, "bench.kit.batch256.rate", round3(rate_of(m, KIT, 2, 0).median));
    numbers_put_count(&nb, "bench.kit.batch64.rate", round3(rate_of(m, KIT, 1, 0).median));
    numbers_put_count(&nb, "bench.roofline.rate", round3(roofline_rate(m)));
    double dense = summarise(m->dense, m->repeats).median;
    double teaching = summarise(m->teaching, m->repeats).median;
    numbers_put_count(&nb, "bench.kit.dense.rate", round3(dense));
    put_ratio(&nb, "bench.kit.sparse.gain", rate_of(m, KIT, 2, 0).median / dense);
    numbers_put_count(&nb, "bench.teaching.persample.rate", round3(teaching));
    put_ratio(&nb, "bench.kit.vs.teaching", rate_of(m, KIT, 0, 0).median / teaching);
    numbers_put(&nb, "bench.kit.twothreads.gainshare", "%.0f", 100 * kit_speedup(m, 2) / sgemm_speedup(m));
    put_ratio(&nb, "bench.kit.speedup.persample", kit_speedup(m, 0));
    put_ratio(&nb, "bench.kit.speedup.batch64", kit_speedup(m, 1));
    put_ratio(&nb, "bench.kit.speedup.batch256", kit_speedup(m, 2));
    put_verdicts(&nb, m);
    /* (The table gives each row's ratio to the best peer, and the printed
     * summary the kit's GFLOP/s and the zeros; the text quotes only these.) */
    return numbers_close(&nb);
}

int main(int argc, char **argv)
{
    double t0 = now_seconds();
    Options o = parse_command_line(argc, argv);
    signal(SIGPIPE, SIG_IGN);   /* a peer that dies is reported, not fatal */
    Dataset train, test;
    if (mnist_load(o.data, &train, &test) != 0 || make_directories(o.out) != 0)
        return 1;
    static Measurements m;
    Mlp32 net;
    if (mnist_network(&net, OUTPUT_SOFTMAX) != 0)
        return 1;
    m.flops = mlp32_training_flops(&net);
    m.first_layer_flops = 4L * net.sizes[0] * net.sizes[1];
    m.zero_fraction = zero_fraction(&train);
    mlp32_free(&net);

    kit_rate(&train, 1, 1, FAST_SPARSE, 0.01, NULL);   /* the engine runs (in the handout, a region
                                        * not written yet stops the bench here) */
    measure(&o, &train, &m);
    char cpu[128];
    cpu_model(cpu, sizeof cpu);
    print_table(&m, &o, cpu);
    double seconds = now_seconds() - t0;
    printf("bench took %.0f s\n", seconds);
    int status = write_tsv(&m, o.out) | write_table(&m, o.out) | write_numbers(&m, &o, cpu, seconds);
    dataset_free(&train);
    dataset_free(&test);
    return status != 0;
}
