/* ch05_mnist_mlp.h - chapter 05: the problem set's 784-128-64-10 network
 * (src/lib/mnist.h) trained on MNIST, and compared with PyTorch from the
 * starting weights in a fixture; the measures the chapter reads its
 * curves with. */
#ifndef CH05_MNIST_MLP_H
#define CH05_MNIST_MLP_H

#include "lib/fixture.h"
#include "lib/mlp32.h"
#include "lib/mnist.h"
#include "lib/train.h"

/* A step's loss, ours against PyTorch's from the same weights in the same
 * order, may differ by this much relative to max(1, loss): about a
 * thousand single-precision rounding errors, far below any difference in
 * the mathematics.  The test holds the first steps to it, and the chapter
 * calls the two "agree" within it. */
#define CH05_STEP_TOLERANCE 1e-4

/* The tolerance, in loss units, with which the chapter reads a loss curve:
 * a rise or fall smaller than this between epochs is noise. */
#define CH05_LOSS_TOLERANCE 0.01

/* The band, in accuracy points, within which the chapter calls a test
 * accuracy settled, and two final accuracies alike. */
#define CH05_ACCURACY_BAND 1.0

/* The original report's test accuracies, in percent (quoted, not
 * measured): its NumPy network and its PyTorch one. */
#define CH05_ORIGINAL_NUMPY 91.0
#define CH05_ORIGINAL_TORCH 85.4

/* Set net's parameters from the tensors W1, b1, W2, b2, W3, b3 of fx.
 * Returns 0, or -1 after printing what is missing or misshapen. */
int set_parameters_from_fixture(Mlp32 *net, const Fixture *fx, const char *path);

/* The first epoch (counted from 1) from which every value of y[0..n) lies
 * within band of the last one: when the curve settled. */
int settled_epoch(const double *y, int n, double band);

/* Whether the curve y[0..n) ends more than tol above its smallest value
 * (it turned up after a minimum): 1 or 0.  *best is set to the epoch
 * (from 1) of the smallest value. */
int turns_up(const double *y, int n, double tol, int *best);

#endif
