/* mnist.h - the MNIST data set from a folder of the four usual IDX files
 * (train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte,
 * t10k-labels-idx1-ubyte, each raw or with .gz): the kit's subset in
 * data/mnist, the official 60,000 + 10,000, or Fashion-MNIST. */
#ifndef KIT_MNIST_H
#define KIT_MNIST_H

#include "idx.h"
#include "mlp32.h"

enum { MNIST_CLASSES = 10 };

/* The problem set's network: 784 -> 128 -> 64 -> 10, sigmoid hidden
 * units, a softmax output. */
extern const int MNIST_NET_SIZES[4];

/* Create it, every parameter zero. */
int mnist_network(Mlp32 *net, OutputKind output);

/* The same network with residual blocks (chapter 07, the problem set's
 * Task 2 with its shapes made consistent): 784 -> 128, an identity block
 * at 128, a projection block 128 -> 64, -> 10. */
int mnist_residual_network(Mlp32 *net);

/* Load the training and test sets from dir.  Returns 0, or -1 after
 * printing what is wrong (a file found under neither name is reported
 * by its name without .gz). */
int mnist_load(const char *dir, Dataset *train, Dataset *test);

#endif
