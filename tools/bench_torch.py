#!/usr/bin/python3
"""bench_torch.py [--threads N] [--data DIR] - chapter 05's network trained
with PyTorch, as a practitioner would write it for speed on a CPU: the
parameters as plain float32 tensors, the backward pass written out under
torch.no_grad() (no autograd tape: for a network this small the tape costs
more than the arithmetic) and the SGD update in place (addmm_, add_).
torch.set_num_threads and the OpenMP variables set the threads before any
work (see below for the BLAS's).  Driven by src/bench.c (make bench); see tools/bench_common.py."""
import os
import sys

import bench_common

THREADS = bench_common.set_threads_from_argv()   # before PyTorch is imported
# PyTorch's threads are its own OpenMP team (torch.set_num_threads); its
# BLAS (OpenBLAS on Debian) stays on one, and idle OpenMP threads sleep
# instead of spinning: two thread pools spinning on two cores ran PyTorch
# 20 times slower on this kit's test machine.
os.environ["OPENBLAS_NUM_THREADS"] = "1"
os.environ["OMP_WAIT_POLICY"] = "PASSIVE"
try:
    import numpy as np  # noqa: E402
except ImportError:
    print("missing numpy is not installed", flush=True)
    sys.exit(0)
try:
    import torch  # noqa: E402
except ImportError:
    print("missing torch is not installed", flush=True)
    sys.exit(0)

SIZES = (784, 128, 64, 10)
LR = 0.1


class Net:
    def __init__(self, gen):
        # W[l] is n_out x n_in, as nn.Linear keeps it.
        self.W = [torch.randn(n_out, n_in, generator=gen) / n_in ** 0.5
                  for n_in, n_out in zip(SIZES[:-1], SIZES[1:])]
        self.b = [torch.zeros(n_out) for n_out in SIZES[1:]]

    @torch.no_grad()
    def step(self, X, y):
        """One SGD step on the mean cross-entropy of the batch X, labels y;
        returns the loss."""
        rows = X.shape[0]
        a, inp = [], X
        for l in range(3):                       # z = b + a W^T, sigmoid in place
            z = torch.addmm(self.b[l], inp, self.W[l].t())
            if l < 2:
                z.sigmoid_()
            a.append(z)
            inp = z
        logp = torch.log_softmax(a[2], dim=1)
        loss = torch.nn.functional.nll_loss(logp, y)
        d = logp.exp_()                          # dL/dz3 = (f - onehot) / rows
        d[torch.arange(rows), y] -= 1
        d.mul_(1.0 / rows)
        for l in (2, 1, 0):
            prev = a[l - 1] if l > 0 else X
            d_prev = (d @ self.W[l]).mul_(prev).mul_(1 - prev) if l > 0 else None
            self.W[l].addmm_(d.t(), prev, alpha=-LR)   # W -= lr d^T a
            self.b[l].add_(d.sum(0), alpha=-LR)
            d = d_prev
        return loss


def main():
    torch.set_num_threads(THREADS)
    x, y = bench_common.load_training_set(np, bench_common.data_dir_from_argv())
    x, y = torch.from_numpy(x), torch.from_numpy(y)
    gen = torch.Generator().manual_seed(1)
    net = Net(gen)

    train_epoch = bench_common.epoch_trainer(net, x, y,
                                             lambda n: torch.randperm(n, generator=gen))
    bench_common.serve("pytorch", torch.__version__, THREADS, train_epoch)


if __name__ == "__main__":
    sys.exit(main())
