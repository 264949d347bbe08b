#!/usr/bin/python3
"""make_ch05_fixture.py - chapter 05's network trained by PyTorch.

Reads the starting weights and the sample order that the C program wrote
(ch05_mnist_mlp --export-reference FILE) and the MNIST subset, then trains
the same 784-128-64-10 sigmoid network in PyTorch (float32, one thread),
per sample with SGD, as the problem set did, in four variants:

  same            the C program's starting weights and sample order
  torch_init      PyTorch's own default initialisation (nn.Linear), same order
  fixed_order     the C program's starting weights, no reshuffling
  double_softmax  the C program's start and order, but the model returns
                  torch.softmax(logits) and nn.CrossEntropyLoss applies
                  log-softmax again (the problem set's PyTorch model)

and saves, for each, the per-epoch training and test loss and accuracy, and
for `same` the loss of each of the first 1,000 steps, together with the
starting weights and order, to tests/fixtures/ch05_pytorch.bin.

    build/bin/ch05_mnist_mlp --export-reference /tmp/ch05_start.bin
    /usr/bin/python3 tools/make_ch05_fixture.py /tmp/ch05_start.bin data/mnist \\
        tests/fixtures/ch05_pytorch.bin

Uses Debian's python3-torch and python3-numpy (run with /usr/bin/python3).
"""
import gzip
import struct
import sys
import time

import numpy as np
import torch

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from fixture import read_fixture, write_fixture  # noqa: E402

LOGGED_STEPS = 1000


def read_idx(path):
    with gzip.open(path, "rb") as fp:
        blob = fp.read()
    ndim = blob[3]
    dims = struct.unpack(">%dI" % ndim, blob[4:4 + 4 * ndim])
    return np.frombuffer(blob, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def load(data_dir, prefix):
    x = read_idx("%s/%s-images-idx3-ubyte.gz" % (data_dir, prefix))
    y = read_idx("%s/%s-labels-idx1-ubyte.gz" % (data_dir, prefix))
    x = torch.from_numpy(x.reshape(len(x), -1).astype(np.float32) / np.float32(255.0))
    return x, torch.from_numpy(y.astype(np.int64))


class Net(torch.nn.Module):
    def __init__(self, double_softmax=False):
        super().__init__()
        self.fc1 = torch.nn.Linear(784, 128)
        self.fc2 = torch.nn.Linear(128, 64)
        self.fc3 = torch.nn.Linear(64, 10)
        self.double_softmax = double_softmax

    def forward(self, x):
        x = torch.sigmoid(self.fc1(x))
        x = torch.sigmoid(self.fc2(x))
        x = self.fc3(x)
        return torch.softmax(x, dim=1) if self.double_softmax else x


def set_start(net, start):
    with torch.no_grad():
        for i, layer in enumerate((net.fc1, net.fc2, net.fc3), 1):
            dims, w = start["W%d" % i]
            layer.weight.copy_(torch.tensor(w, dtype=torch.float64).reshape(dims).float())
            dims, b = start["b%d" % i]
            layer.bias.copy_(torch.tensor(b, dtype=torch.float64).float())


def evaluate(net, x, y):
    with torch.no_grad():
        out = net(x)
        loss = torch.nn.functional.cross_entropy(out, y).item()
        accuracy = (out.argmax(dim=1) == y).double().mean().item()
    return loss, accuracy


def train(net, x, y, test_x, test_y, order, lr):
    criterion = torch.nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(net.parameters(), lr=lr)
    step_losses, curves = [], []
    for epoch_order in order:
        for i in epoch_order:
            optimizer.zero_grad()
            loss = criterion(net(x[i:i + 1]), y[i:i + 1])
            loss.backward()
            optimizer.step()
            if len(step_losses) < LOGGED_STEPS:
                step_losses.append(loss.item())
        curves.append(evaluate(net, x, y) + evaluate(net, test_x, test_y))
    return step_losses, curves


def main(start_path, data_dir, out_path):
    torch.set_num_threads(1)
    start = read_fixture(start_path)
    (epochs, n), flat = start["order"]
    order = [[int(v) for v in flat[e * n:(e + 1) * n]] for e in range(epochs)]
    lr = start["lr"][1][0]
    train_x, train_y = load(data_dir, "train")
    test_x, test_y = load(data_dir, "t10k")
    x, y = train_x[:n], train_y[:n]

    tensors = [(name, torch.tensor(start[name][1], dtype=torch.float64).reshape(start[name][0]))
               for name in ("W1", "b1", "W2", "b2", "W3", "b3", "order")]
    tensors.append(("lr", lr))
    fixed = [list(range(n))] * epochs
    variants = (("same", False, True, order), ("torch_init", False, False, order),
                ("fixed_order", False, True, fixed), ("double_softmax", True, True, order))
    for name, double_softmax, from_start, variant_order in variants:
        torch.manual_seed(0)
        net = Net(double_softmax)
        if from_start:
            set_start(net, start)
        t0 = time.time()
        steps, curves = train(net, x, y, test_x, test_y, variant_order, lr)
        curves = torch.tensor(curves, dtype=torch.float64)
        print("%-15s test accuracy %.4f after %d epochs (%.0f s)"
              % (name, curves[-1, 3].item(), epochs, time.time() - t0))
        if name == "same":
            tensors.append(("same.step_loss", torch.tensor(steps, dtype=torch.float64)))
        for column, what in enumerate(("train_loss", "train_accuracy", "test_loss", "test_accuracy")):
            tensors.append(("%s.%s" % (name, what), curves[:, column]))
    write_fixture(out_path, tensors)
    print("wrote %s (torch %s)" % (out_path, torch.__version__))


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit("usage: make_ch05_fixture.py START.bin DATA_DIR OUTPUT.bin")
    main(*sys.argv[1:])
