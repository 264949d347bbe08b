#!/usr/bin/python3
"""make_ch07_fixture.py - PyTorch's autograd on chapter 07's residual blocks.

Draws, in float64, an identity block y = x + sigmoid(W x + b) of 5 units,
a projection block y = W_s x + sigmoid(W x + b) from 5 to 3 units, and a
small residual network (6 -> 5 plain, an identity block at 5, a
projection block 5 -> 3, -> 4 softmax outputs, cross-entropy), runs each
on a batch of 4, and saves the parameters, the inputs, the outputs and
every gradient to tests/fixtures/ch07_residual.bin, which
tests/check_ch07_residual.c and the chapter's program read.  For a block
the loss is L = sum(dY * y), so that dL/dy is the given dY.  Two units of
the identity block are saturated (biases +8 and -8), so that the check
covers g'(z) near 0 as well as near its peak.

Uses Debian's python3-torch (run with /usr/bin/python3):
    apt-get install python3-torch
    /usr/bin/python3 tools/make_ch07_fixture.py tests/fixtures/ch07_residual.bin
"""
import sys

import torch

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from fixture import write_fixture  # noqa: E402

DT = torch.float64
ROWS = 4


def block(prefix, n_in, n_out, projection, saturate):
    W = torch.randn(n_out, n_in, dtype=DT) * 0.8
    b = torch.randn(n_out, dtype=DT) * 0.3
    if saturate:
        b[0], b[1] = 8.0, -8.0
    Ws = torch.randn(n_out, n_in, dtype=DT) * 0.5 if projection else None
    X = torch.randn(ROWS, n_in, dtype=DT)
    dY = torch.randn(ROWS, n_out, dtype=DT)
    w, c, x = W.clone().requires_grad_(True), b.clone().requires_grad_(True), X.clone().requires_grad_(True)
    ws = Ws.clone().requires_grad_(True) if projection else None
    skip = x @ ws.T if projection else x
    y = skip + torch.sigmoid(x @ w.T + c)
    (dY * y).sum().backward()
    p = prefix + "."
    out = [(p + "W", W), (p + "b", b), (p + "X", X), (p + "dY", dY), (p + "Y", y),
           (p + "dX", x.grad), (p + "dW", w.grad), (p + "db", c.grad)]
    if projection:
        out += [(p + "Ws", Ws), (p + "dWs", ws.grad)]
    return out


def network():
    sizes = [6, 5, 5, 3, 4]
    params = {}
    for l in range(1, 5):
        params["W%d" % l] = torch.randn(sizes[l], sizes[l - 1], dtype=DT) * 0.8
        params["b%d" % l] = torch.randn(sizes[l], dtype=DT) * 0.3
    params["Ws3"] = torch.randn(3, 5, dtype=DT) * 0.5
    X = torch.randn(ROWS, 6, dtype=DT)
    labels = torch.randint(0, 4, (ROWS,))
    Y = torch.nn.functional.one_hot(labels, 4).to(DT)
    t = {k: v.clone().requires_grad_(True) for k, v in params.items()}
    a1 = torch.sigmoid(X @ t["W1"].T + t["b1"])
    a2 = a1 + torch.sigmoid(a1 @ t["W2"].T + t["b2"])
    a3 = a2 @ t["Ws3"].T + torch.sigmoid(a2 @ t["W3"].T + t["b3"])
    f = torch.softmax(a3 @ t["W4"].T + t["b4"], dim=1)
    loss = -(Y * torch.log(f)).sum(dim=1).mean()
    loss.backward()
    out = [("network.X", X), ("network.Y", Y), ("network.loss", loss.detach())]
    for k in sorted(params):
        out += [("network." + k, params[k]), ("network.d" + k, t[k].grad)]
    return out


def main(path):
    torch.manual_seed(7)
    tensors = block("identity", 5, 5, False, True) + block("projection", 5, 3, True, False) + network()
    write_fixture(path, [(name, t.detach()) for name, t in tensors])
    print("wrote %s (%d tensors, torch %s)" % (path, len(tensors), torch.__version__))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: make_ch07_fixture.py OUTPUT.bin")
    main(sys.argv[1])
