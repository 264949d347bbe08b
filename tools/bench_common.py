"""bench_common.py - what tools/bench_numpy.py and tools/bench_torch.py share:
the thread count (set before NumPy or PyTorch is imported), the MNIST IDX
files, and the little protocol by which src/bench.c drives them.

The network and its training are chapter 05's: 784-128-64-10, sigmoid
hidden layers, softmax output, the mean cross-entropy over a batch,
weights drawn from N(0, 1/fan_in) and zero biases (the kit's
INIT_SCALED_NORMAL for sigmoid), plain SGD at rate 0.1 on float32.
Per sample (batch 1) trains on the first 1,000 training images, as chapter
05 does; batches of 64 and 256 on all of them, the last partial batch
dropped, a fresh shuffle every epoch, each batch gathered into one array.

Protocol (src/bench.c writes the requests, one per line, on stdin):
    BATCH SECONDS   train whole epochs for at least SECONDS; answer one
                    line, the training samples per second
    quit            (or end of input) exit
The first line written is "ready NAME VERSION THREADS".
"""
import gzip
import os
import struct
import sys
import time


def set_threads_from_argv():
    """Read --threads N from the command line and tell every threading
    library before it is imported; returns N."""
    threads = 1
    if "--threads" in sys.argv:
        threads = int(sys.argv[sys.argv.index("--threads") + 1])
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[name] = str(threads)
    return threads


def data_dir_from_argv():
    if "--data" in sys.argv:
        return sys.argv[sys.argv.index("--data") + 1]
    return "data/mnist"


def _read_idx(path):
    if not os.path.exists(path) and os.path.exists(path + ".gz"):
        path += ".gz"
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as fp:
        raw = fp.read()
    magic, count = struct.unpack(">II", raw[:8])
    if magic == 0x803:
        rows, cols = struct.unpack(">II", raw[8:16])
        return raw[16:16 + count * rows * cols], count, rows * cols
    return raw[8:8 + count], count, 1


def load_training_set(np, data_dir):
    """The training images as float32 in [0, 1] (pixel / 255, as the kit's
    reader) and their labels."""
    pixels, count, dim = _read_idx(os.path.join(data_dir, "train-images-idx3-ubyte"))
    labels, _, _ = _read_idx(os.path.join(data_dir, "train-labels-idx1-ubyte"))
    x = np.frombuffer(pixels, dtype=np.uint8).reshape(count, dim).astype(np.float32) / np.float32(255)
    y = np.frombuffer(labels, dtype=np.uint8).astype(np.int64)
    return x, y


def epoch_trainer(net, x, y, permutation):
    """The function serve() calls: one epoch of steps of `batch` samples
    (per sample, the first 1,000 images), in the order permutation(n)
    gives; returns the samples trained on."""
    def train_epoch(batch):
        n = 1000 if batch == 1 else len(x)
        order = permutation(n)
        steps = n // batch
        for s in range(steps):
            idx = order[s * batch:(s + 1) * batch]
            net.step(x[idx], y[idx])             # x[idx] gathers the batch
        return steps * batch
    return train_epoch


def serve(name, version, threads, train_epoch):
    """Answer src/bench.c's requests: train_epoch(batch) trains one epoch
    and returns the number of samples it trained on."""
    print(f"ready {name} {version} {threads}", flush=True)
    for line in sys.stdin:
        words = line.split()
        if not words or words[0] == "quit":
            break
        batch, seconds = int(words[0]), float(words[1])
        samples, t0 = 0, time.perf_counter()
        while True:
            samples += train_epoch(batch)
            elapsed = time.perf_counter() - t0
            if elapsed >= seconds:
                break
        print(f"{samples / elapsed:.1f}", flush=True)
