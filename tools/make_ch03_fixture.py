#!/usr/bin/python3
"""make_ch03_fixture.py - PyTorch's autograd on chapter 03's network.

Builds the network of chapter 03 (two ReLU hidden layers, softmax output)
in float64 from weights drawn here, runs it on a small batch with the
quadratic loss and with cross-entropy, and saves the weights, the inputs,
the loss, every activation, every delta (dL/dz) and every gradient to
tests/fixtures/ch03_backprop.bin, which tests/check_ch03_backprop.c and the
chapter's program read.  Two units are set up to test the kink convention:
hidden unit 0 of layer 1 has zero weights and bias, so its pre-activation
is exactly 0 for every input (PyTorch takes relu'(0) = 0, as the kit
does), and unit 1 of layer 2 has a bias of -50, so it is dead.

Uses Debian's python3-torch (run with /usr/bin/python3):
    apt-get install python3-torch
    /usr/bin/python3 tools/make_ch03_fixture.py tests/fixtures/ch03_backprop.bin
"""
import sys

import torch

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from fixture import write_fixture  # noqa: E402

D, H1, H2, K, N = 6, 5, 4, 3, 4


def main(path):
    torch.manual_seed(3)
    dt = torch.float64
    W1 = torch.randn(H1, D, dtype=dt) * 0.8
    b1 = torch.randn(H1, dtype=dt) * 0.3
    W2 = torch.randn(H2, H1, dtype=dt) * 0.8
    b2 = torch.randn(H2, dtype=dt) * 0.3
    W3 = torch.randn(K, H2, dtype=dt) * 0.8
    b3 = torch.randn(K, dtype=dt) * 0.3
    W1[0, :] = 0.0   # unit 0 of layer 1 sits exactly on its kink
    b1[0] = 0.0
    b2[1] = -50.0    # unit 1 of layer 2 is dead
    X = torch.randn(N, D, dtype=dt)
    labels = torch.randint(0, K, (N,))
    Y = torch.nn.functional.one_hot(labels, K).to(dt)

    tensors = [("W1", W1), ("b1", b1), ("W2", W2), ("b2", b2), ("W3", W3), ("b3", b3),
               ("X", X), ("Y", Y)]
    for loss_name in ("quadratic", "cross_entropy"):
        params = [t.clone().requires_grad_(True) for t in (W1, b1, W2, b2, W3, b3)]
        w1, c1, w2, c2, w3, c3 = params
        z1 = X @ w1.T + c1
        a1 = torch.relu(z1)
        z2 = a1 @ w2.T + c2
        a2 = torch.relu(z2)
        z3 = a2 @ w3.T + c3
        f = torch.softmax(z3, dim=1)
        for z in (z1, z2, z3):
            z.retain_grad()
        if loss_name == "quadratic":
            loss = (0.5 * ((f - Y) ** 2).sum(dim=1)).mean()
        else:
            loss = -(Y * torch.log(f)).sum(dim=1).mean()
        loss.backward()
        p = loss_name + "."
        tensors += [(p + "loss", loss), (p + "z1", z1), (p + "a1", a1), (p + "z2", z2),
                    (p + "a2", a2), (p + "z3", z3), (p + "f", f),
                    (p + "delta1", z1.grad), (p + "delta2", z2.grad), (p + "delta3", z3.grad),
                    (p + "dW1", w1.grad), (p + "db1", c1.grad), (p + "dW2", w2.grad),
                    (p + "db2", c2.grad), (p + "dW3", w3.grad), (p + "db3", c3.grad)]
    write_fixture(path, tensors)
    print("wrote %s (%d tensors, torch %s)" % (path, len(tensors), torch.__version__))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: make_ch03_fixture.py OUTPUT.bin")
    main(sys.argv[1])
