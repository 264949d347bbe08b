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
 * printing what is wrong, with both sets zeroed (a file found under
 * neither name is reported by its name without .gz). */
int mnist_load(const char *dir, Dataset *train, Dataset *test);

/* The images file mnist_load reads from dir (training 1: the training
 * set's, 0: the test set's), into path[n]. */
void mnist_images_path(char *path, size_t n, const char *dir, int training);

/* A program that needs at least `needed` images of a set says so before
 * it starts: returns 0 if d (the set loaded from dir) has enough, else
 * prints one line naming the images file, the counts and what needs
 * them, and returns -1.  For instance
 *     error: DIR/train-images-idx3-ubyte.gz: 999 training images, too few:
 *     the comparison with PyTorch (tests/fixtures/ch05_pytorch.bin) needs 1000
 * (on one line). */
int mnist_require_images(const char *dir, int training, const Dataset *d, int needed, const char *what);

#endif
