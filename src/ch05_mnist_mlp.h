/* ch05_mnist_mlp.h - chapter 05: the problem set's 784-128-64-10 network
 * with sigmoid hidden units and a softmax output, trained on MNIST. */
#ifndef CH05_MNIST_MLP_H
#define CH05_MNIST_MLP_H

#include "lib/fixture.h"
#include "lib/mlp32.h"
#include "lib/train.h"

/* The problem set's network: 784 -> 128 -> 64 -> 10, sigmoid, softmax. */
extern const int MNIST_NET_SIZES[4];

/* Create it with every parameter zero. */
int mnist_network(Mlp32 *net, OutputKind output);

/* Floating-point operations of one training step on one sample: forward
 * and weight gradients 2 mults-adds per weight each, plus the input
 * gradients of every layer but the first: 454,400 for this network. */
long training_flops_per_sample(const Mlp32 *net);

/* Set net's parameters from the tensors W1, b1, W2, b2, W3, b3 of fx.
 * Returns 0, or -1 after printing what is missing or misshapen. */
int set_parameters_from_fixture(Mlp32 *net, const Fixture *fx, const char *path);

/* Write epoch curves as gnuplot data: epoch, train loss, train accuracy,
 * test loss, test accuracy, learning rate.  Deterministic: no timings. */
int write_curve(const char *dir, const char *name, const EpochStats *st, int epochs);

#endif
