/* ch05_mnist_mlp.c - the network of chapter 05 and the helpers its
 * program and tests share.  The training itself is the library's
 * (src/lib/mlp32.c, src/lib/train.c). */
#include "ch05_mnist_mlp.h"

#include <stdio.h>
#include <string.h>

#include "lib/results.h"

const int MNIST_NET_SIZES[4] = { 784, 128, 64, 10 };

int mnist_network(Mlp32 *net, OutputKind output)
{
    return mlp32_create(net, 3, MNIST_NET_SIZES, ACT_SIGMOID, output);
}

long training_flops_per_sample(const Mlp32 *net)
{
    long flops = 0;
    for (int l = 0; l < net->n_layers; l++) {
        long weights = (long)net->sizes[l + 1] * net->sizes[l];
        flops += 2 * weights;          /* forward: z = W a + b */
        flops += 2 * weights;          /* the gradient delta a^T */
        if (l > 0)
            flops += 2 * weights;      /* W^T delta, the error of the layer below */
    }
    return flops;
}

int set_parameters_from_fixture(Mlp32 *net, const Fixture *fx, const char *path)
{
    for (int l = 0; l < net->n_layers; l++) {
        char wname[16], bname[16];
        snprintf(wname, sizeof wname, "W%d", l + 1);
        snprintf(bname, sizeof bname, "b%d", l + 1);
        const Tensor *W = fixture_find(fx, wname), *b = fixture_find(fx, bname);
        size_t nw = (size_t)net->sizes[l + 1] * (size_t)net->sizes[l];
        if (!W || !b || W->count != nw || b->count != (size_t)net->sizes[l + 1]) {
            fprintf(stderr, "error: %s: no %s and %s of %d x %d and %d values\n", path, wname,
                    bname, net->sizes[l + 1], net->sizes[l], net->sizes[l + 1]);
            return -1;
        }
        for (size_t i = 0; i < nw; i++)
            net->W[l][i] = (float)W->data[i];
        for (int i = 0; i < net->sizes[l + 1]; i++)
            net->b[l][i] = (float)b->data[i];
    }
    return 0;
}

int write_curve(const char *dir, const char *name, const EpochStats *st, int epochs)
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
