/* ch05_mnist_mlp.h - chapter 05: the problem set's 784-128-64-10 network
 * (src/lib/mnist.h) trained on MNIST, and compared with PyTorch from the
 * starting weights in a fixture. */
#ifndef CH05_MNIST_MLP_H
#define CH05_MNIST_MLP_H

#include "lib/fixture.h"
#include "lib/mlp32.h"
#include "lib/mnist.h"
#include "lib/train.h"

/* Set net's parameters from the tensors W1, b1, W2, b2, W3, b3 of fx.
 * Returns 0, or -1 after printing what is missing or misshapen. */
int set_parameters_from_fixture(Mlp32 *net, const Fixture *fx, const char *path);

#endif
