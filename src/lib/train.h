/* train.h - the training loop: epochs of SGD over a data set, per sample
 * or in mini-batches, with the metrics of every epoch.
 *
 * Deterministic: the sample order comes from a seeded generator, so the
 * same seed (and the same number of BLAS threads) gives the same bits.
 *
 * Divergence.  Training has diverged when
 *   - a step's loss becomes NaN or infinite, or
 *   - an epoch's mean step loss exceeds DIVERGENCE_FACTOR (100) times its
 *     starting value: the larger of the first step's loss and log K, for
 *     K classes.
 * log K is the cross-entropy of a network that gives every class the same
 * probability, about 2.3 for ten classes, and where a network starts from
 * small random weights.  A mean loss 100 times that (230 for ten classes)
 * means that the right class gets, on a geometric average, a probability
 * of e^-230: the weights have run away.  log K is also the floor of the
 * starting value, because a network trained further (chapter 06 trains
 * one epoch at a time) starts near a loss of 0.
 * A diverged run stops with a one-line message that names the epoch, the
 * rate and the option that set it, and suggests a smaller rate.  A run
 * with divergence_expected (a learning-rate sweep, chapter 07's and 09's
 * large rates) is a result, not an error: a non-finite loss still stops it
 * (diverged_epoch), but a loss over the bound is only recorded
 * (exploded_epoch) and training goes on, so that its curves show what
 * such a rate does. */
#ifndef KIT_TRAIN_H
#define KIT_TRAIN_H

#include <stdint.h>

#include "idx.h"
#include "mlp32.h"

/* An epoch's mean loss above this times the starting loss is divergence. */
enum { DIVERGENCE_FACTOR = 100 };

/* A learning rate that changes during training (chapter 08): the rate for
 * the given epoch (from 0) and step (counted from 0 over the whole run). */
typedef double (*LearningRateFn)(const void *ctx, int epoch, long step);

/* Which engine trains (TrainOptions.engine). */
typedef enum {
    ENGINE_TEACHING = 0,   /* mlp32.h: the chapters' engine (the default) */
    ENGINE_FAST            /* fast32.h: plain networks only; the same results
                            * to rounding, not to the bit */
} Engine;

typedef struct {
    int epochs;
    int batch;               /* 1: per-sample SGD */
    double lr;               /* the rate when schedule is NULL */
    LearningRateFn schedule; /* or NULL */
    const void *schedule_ctx;
    int limit;               /* train on the first limit samples (0: all) */
    int shuffle;             /* reshuffle every epoch (else keep the order) */
    const int *order;        /* or, if not NULL, this order: epochs x n indices */
    uint64_t seed;           /* for the shuffles */
    const char *name;        /* for messages and the progress line */
    const char *rate_option; /* the option that set lr ("--lr"), named when
                              * training diverges; NULL if none did */
    int divergence_expected; /* a run that diverges is a result, not an
                              * error: say so without "error:" */
    int skip_evaluation;     /* 1: no evaluation after each epoch (its
                              * losses and accuracies stay 0; the caller
                              * evaluates at the end) */
    Engine engine;           /* ENGINE_TEACHING (0) unless asked; a network
                              * the fast engine does not train is refused */
} TrainOptions;

typedef struct {
    double train_loss, train_accuracy;   /* over the training samples used */
    double test_loss, test_accuracy;
    double lr;                           /* the rate of the epoch's first step */
    double seconds;                      /* training time of the epoch, evaluation excluded */
    double samples_per_second;
} EpochStats;

typedef struct {
    EpochStats *epochs;      /* options.epochs of them, filled by train_network */
    float *step_loss;        /* if not NULL: the loss of each of the first max_steps steps */
    long max_steps;
    int *order;              /* if not NULL: epochs x n sample indices, as used */
    int diverged_epoch;      /* set by train_network: the epoch (from 1) in
                              * which the loss became NaN or infinite, or 0 */
    long diverged_step;      /* and the step (from 1) */
    int exploded_epoch;      /* set by train_network: the first epoch (from
                              * 1) whose mean loss exceeded the divergence
                              * bound, or 0 (see the top of this file) */
} TrainHistory;

/* Copy the rows idx[0..rows) of data into a contiguous batch X (rows x
 * dim) and their labels into y. */
void gather_batch(const Dataset *data, const int *idx, int rows, float *X, unsigned char *y);

/* Train net; returns 0, or -1 if training diverged (h->diverged_epoch
 * tells) or memory ran out (with a message). */
int train_network(Mlp32 *net, const Dataset *train, const Dataset *test,
                  const TrainOptions *o, TrainHistory *h);

/* For the first n samples of data: each predicted class (the largest
 * probability) into predicted[i], that probability into confidence[i]
 * (when not NULL), and the mean cross-entropy into *loss. */
int predict_network(const Mlp32 *net, const Dataset *data, int n, unsigned char *predicted,
                    double *confidence, double *loss);

/* The mean cross-entropy and the accuracy of net on the first n samples
 * of data (all when n is 0 or larger than the set). */
int evaluate_network(const Mlp32 *net, const Dataset *data, int n, double *loss, double *accuracy);

/* Write a run's epochs as gnuplot data: epoch, training loss, training
 * accuracy, test loss, test accuracy, learning rate.  No timings, so that
 * the same seed gives the same file. */
int write_epoch_curve(const char *dir, const char *name, const EpochStats *st, int epochs);

/* Write a run's timings per epoch as gnuplot data: epoch, seconds of
 * training, samples per second.  These differ from run to run, so they
 * live apart from the curves. */
int write_epoch_timing(const char *dir, const char *name, const EpochStats *st, int epochs);

#endif
