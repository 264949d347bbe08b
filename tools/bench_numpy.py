#!/usr/bin/python3
"""bench_numpy.py [--threads N] [--data DIR] - chapter 05's network trained
with NumPy, as a practitioner would write it: float32 throughout, every
product one call to the BLAS (np.dot, through the same OpenBLAS as
the kit on Debian), the element-wise passes in place into preallocated
arrays.  Driven by src/bench.c (make bench); see tools/bench_common.py."""
import sys

import bench_common

THREADS = bench_common.set_threads_from_argv()   # before NumPy is imported
try:
    import numpy as np  # noqa: E402
except ImportError:
    print("missing numpy is not installed", flush=True)
    sys.exit(0)

SIZES = (784, 128, 64, 10)
LR = np.float32(0.1)


class Net:
    def __init__(self, rng):
        # W[l] is n_in x n_out, so that a batch's product is A @ W.
        self.W = [(rng.standard_normal((n_in, n_out)) / np.sqrt(n_in)).astype(np.float32)
                  for n_in, n_out in zip(SIZES[:-1], SIZES[1:])]
        self.b = [np.zeros(n_out, dtype=np.float32) for n_out in SIZES[1:]]
        self.step_W = [np.empty_like(W) for W in self.W]   # -lr dL/dW, preallocated
        self.buffers = {}

    def arrays(self, rows):
        """Preallocated activations and errors for batches of rows."""
        if rows not in self.buffers:
            self.buffers[rows] = ([np.empty((rows, n), np.float32) for n in SIZES[1:]],
                                  [np.empty((rows, n), np.float32) for n in SIZES[1:]])
        return self.buffers[rows]

    def step(self, X, y):
        """One SGD step on the mean cross-entropy of the batch X, labels y;
        returns the loss.  np.dot, not matmul: np.dot hands every shape to
        the BLAS (matmul loops in C when the inner dimension is 1)."""
        rows = X.shape[0]
        a, d = self.arrays(rows)
        inp = X
        for l in range(3):                       # z = a W + b, then sigmoid in place
            z = a[l]
            np.dot(inp, self.W[l], out=z)
            z += self.b[l]
            if l < 2:
                np.negative(z, out=z)
                np.exp(z, out=z)
                z += 1
                np.reciprocal(z, out=z)
            inp = z
        z = a[2]                                 # softmax in place, then the loss
        z -= z.max(axis=1, keepdims=True)
        np.exp(z, out=z)
        z /= z.sum(axis=1, keepdims=True)
        r = np.arange(rows)
        loss = -np.log(z[r, y]).mean()
        d[2][...] = z                            # -lr dL/dz3 = -lr (f - onehot) / rows
        d[2][r, y] -= 1
        d[2] *= np.float32(-LR / rows)
        for l in (2, 1, 0):
            prev = a[l - 1] if l > 0 else X
            if l > 0:                            # d W^T, times a (1 - a)
                np.dot(d[l], self.W[l].T, out=d[l - 1])
                d[l - 1] *= prev
                d[l - 1] *= 1 - prev
            np.dot(prev.T, d[l], out=self.step_W[l])
            self.W[l] += self.step_W[l]          # W -= lr a^T dL/dz
            self.b[l] += d[l].sum(axis=0)
        return loss


def main():
    x, y = bench_common.load_training_set(np, bench_common.data_dir_from_argv())
    rng = np.random.default_rng(1)
    net = Net(rng)

    train_epoch = bench_common.epoch_trainer(net, x, y, rng.permutation)
    bench_common.serve("numpy", np.__version__, THREADS, train_epoch)


if __name__ == "__main__":
    sys.exit(main())
