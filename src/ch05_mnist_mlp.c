/* ch05_mnist_mlp.c - what chapter 05's program and tests share beyond the
 * library: setting the network from the PyTorch fixture.  The network is
 * src/lib/mnist.c's, the training src/lib/mlp32.c's and src/lib/train.c's. */
#include "ch05_mnist_mlp.h"

#include <math.h>
#include <stdio.h>
#include <string.h>


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

int settled_epoch(const double *y, int n, double band)
{
    int first = n;
    while (first > 1 && fabs(y[first - 2] - y[n - 1]) <= band)
        first--;
    return first;
}

int turns_up(const double *y, int n, double tol, int *best)
{
    int at = 0;
    for (int i = 1; i < n; i++)
        if (y[i] < y[at])
            at = i;
    *best = at + 1;
    return y[n - 1] > y[at] + tol;
}
