#include "mnist.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

const int MNIST_NET_SIZES[4] = { 784, 128, 64, 10 };

int mnist_network(Mlp32 *net, OutputKind output)
{
    return mlp32_create(net, 3, MNIST_NET_SIZES, ACT_SIGMOID, output);
}

int mnist_residual_network(Mlp32 *net)
{
    static const int sizes[5] = { 784, 128, 128, 64, 10 };
    static const SkipKind skips[4] = { SKIP_NONE, SKIP_IDENTITY, SKIP_PROJECTION, SKIP_NONE };
    return mlp32_create_residual(net, 4, sizes, skips, ACT_SIGMOID, OUTPUT_SOFTMAX);
}

/* dir/base.gz if the folder has an entry of that name, else dir/base.
 * The entry is looked at itself (lstat), not what it points to: a
 * symbolic link that loops or dangles is still the file the user named,
 * and the reader reports its error under that name. */
static void find_file(char *path, size_t n, const char *dir, const char *base)
{
    struct stat st;
    snprintf(path, n, "%s/%s.gz", dir, base);
    if (lstat(path, &st) != 0 && (errno == ENOENT || errno == ENOTDIR))
        snprintf(path, n, "%s/%s", dir, base);
}

void mnist_images_path(char *path, size_t n, const char *dir, int training)
{
    find_file(path, n, dir, training ? "train-images-idx3-ubyte" : "t10k-images-idx3-ubyte");
}

int mnist_require_images(const char *dir, int training, const Dataset *d, int needed, const char *what)
{
    if (d->count >= needed)
        return 0;
    char path[4096];
    mnist_images_path(path, sizeof path, dir, training);
    fprintf(stderr, "error: %s: %d %s images, too few: %s needs %d\n", path, d->count,
            training ? "training" : "test", what, needed);
    return -1;
}

/* The networks read 28 x 28 images: anything else is refused, naming the
 * file, before a matrix product reads past the pixels. */
static int check_image_size(const char *path, const Dataset *d)
{
    if (d->rows == 28 && d->cols == 28)
        return 0;
    fprintf(stderr, "error: %s: the images are %d x %d pixels; the kit's networks read "
            "28 x 28 images (MNIST's size)\n", path, d->rows, d->cols);
    return -1;
}

int mnist_load(const char *dir, Dataset *train, Dataset *test)
{
    char images[4096], labels[4096];
    memset(train, 0, sizeof *train);
    memset(test, 0, sizeof *test);
    find_file(images, sizeof images, dir, "train-images-idx3-ubyte");
    find_file(labels, sizeof labels, dir, "train-labels-idx1-ubyte");
    if (dataset_load(images, labels, MNIST_CLASSES, train) != 0)
        return -1;
    if (check_image_size(images, train) != 0) {
        dataset_free(train);
        return -1;
    }
    find_file(images, sizeof images, dir, "t10k-images-idx3-ubyte");
    find_file(labels, sizeof labels, dir, "t10k-labels-idx1-ubyte");
    if (dataset_load(images, labels, MNIST_CLASSES, test) != 0) {
        dataset_free(train);
        return -1;
    }
    if (check_image_size(images, test) != 0) {
        dataset_free(train);
        dataset_free(test);
        return -1;
    }
    if (train->dim != test->dim) {
        fprintf(stderr, "error: %s: training images have %d pixels, test images %d\n",
                dir, train->dim, test->dim);
        dataset_free(train);
        dataset_free(test);
        return -1;
    }
    return 0;
}
