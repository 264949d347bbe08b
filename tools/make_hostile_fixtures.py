#!/usr/bin/python3
"""make_hostile_fixtures.py - malformed MNIST data, as a hostile user would
hand it to the kit, for tests/check_hostile.c.

Writes into the directory given (tests/fixtures/hostile) the files of the
table FILES below, each one way of being wrong, and MNIST folders (the
four files mnist_load reads, gzipped) whose files are each well formed
but together wrong for the kit's programs:
    1x1/         images of 1 x 1 pixels
    28x29/       images of 28 x 29 pixels
    5-test/      1,000 training images, only 5 test images
    999-train/   999 training images (chapter 05's comparison needs 1,000)
    counts/      1,000 training images, 999 training labels
The images are synthetic (a bar whose place is the label), so that the
gzipped files are small; nothing here is MNIST's.  What cannot be
committed is made by the tests themselves: a FIFO, a symbolic link that
points to itself, a file its reader may not read, a directory.
The gzip files have no name and mtime 0, so the output is the same on
every run.  Uses only the standard library:
    /usr/bin/python3 tools/make_hostile_fixtures.py tests/fixtures/hostile
"""
import gzip
import os
import struct
import sys
import zlib

SIDE = 28


def header(sizes, type_code=0x08):
    return bytes([0, 0, type_code, len(sizes)]) + b"".join(struct.pack(">I", s) for s in sizes)


def gzipped(data):
    return gzip.compress(data, compresslevel=9, mtime=0)


def gzip_rejects(data):
    """True if Python's gzip module, like `gzip -t`, refuses data."""
    try:
        gzip.decompress(data)
    except (OSError, EOFError, zlib.error):
        return True
    return False


def label_of(i):
    return (7 * i + 3) % 10


def pixels(count, rows=SIDE, cols=SIDE):
    """count images: image i has a vertical bar at a column set by its label."""
    out = bytearray()
    for i in range(count):
        bar = 2 + 2 * label_of(i)
        for _ in range(rows):
            out += bytes(255 if c in (bar % cols, (bar + 1) % cols) else 0 for c in range(cols))
    return bytes(out)


def images_file(count, rows=SIDE, cols=SIDE):
    return header([count, rows, cols]) + pixels(count, rows, cols)


def labels_file(count):
    return header([count]) + bytes(label_of(i) for i in range(count))


def cut_trailer(gz, n):
    """gz without its last n bytes (the 8-byte trailer is CRC-32 and length)."""
    cut = gz[:-n]
    assert gzip_rejects(cut), "cutting %d bytes left a valid gzip stream" % n
    return cut


def wrong_crc(gz):
    body = bytearray(gz)
    body[-8] ^= 0xFF
    assert gzip_rejects(bytes(body))
    return bytes(body)


def wrong_length(gz):
    body = bytearray(gz)
    body[-4] ^= 0x01
    assert gzip_rejects(bytes(body))
    return bytes(body)


def files():
    """The single malformed files: name -> bytes."""
    ten = images_file(10)
    ten_gz = gzipped(ten)
    table = {
        "images-10.idx3.gz": ten_gz,          # the valid file the others spoil
        "labels-10.idx1.gz": gzipped(labels_file(10)),
        "empty.idx3": b"",
        "truncated-header.idx3": ten[:10],
        "truncated-data.idx3": ten[:-100],
        "wrong-magic.idx3": b"\x08\x03\x00\x00" + ten[4:],
        "label-12.idx1": header([10]) + bytes([0, 1, 2, 3, 4, 12, 6, 7, 8, 9]),
        "labels-9.idx1": labels_file(9),
        "crc-wrong.idx3.gz": wrong_crc(ten_gz),
        "length-wrong.idx3.gz": wrong_length(ten_gz),
        "garbage-after.idx3.gz": ten_gz + b"garbage\n",
        "two-members.idx3.gz": ten_gz + gzipped(b"\x00" * 784),
        "zeros-after.idx3.gz": ten_gz + b"\x00" * 16,
        # A decompression bomb: 10 labels, then 16 MiB of zeros in the
        # same gzip stream (16 kB on disk).
        "bomb.idx1.gz": gzipped(labels_file(10) + bytes(16 << 20)),
    }
    # zlib's gzread misses a cut trailer only when the data are large
    # enough (above about 1 MB here): 2,000 images, 1.5 MB.
    many_gz = gzipped(images_file(2000))
    table["images-2000.idx3.gz"] = many_gz
    for n in range(1, 10):
        table["trailer-cut-%d.idx3.gz" % n] = cut_trailer(many_gz, n)
    assert not gzip_rejects(ten_gz) and not gzip_rejects(many_gz)
    return table


def folder(train_images, train_labels, test_images, test_labels):
    return {
        "train-images-idx3-ubyte.gz": gzipped(train_images),
        "train-labels-idx1-ubyte.gz": gzipped(train_labels),
        "t10k-images-idx3-ubyte.gz": gzipped(test_images),
        "t10k-labels-idx1-ubyte.gz": gzipped(test_labels),
    }


def folders():
    """The MNIST folders: folder name -> {file name -> bytes}."""
    return {
        "1x1": folder(images_file(40, 1, 1), labels_file(40), images_file(40, 1, 1), labels_file(40)),
        "28x29": folder(images_file(40, 28, 29), labels_file(40), images_file(40, 28, 29),
                        labels_file(40)),
        "5-test": folder(images_file(1000), labels_file(1000), images_file(5), labels_file(5)),
        "999-train": folder(images_file(999), labels_file(999), images_file(100), labels_file(100)),
        "counts": folder(images_file(1000), labels_file(999), images_file(100), labels_file(100)),
    }


def write(path, data):
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)
    print("wrote %s (%d bytes)" % (path, len(data)))


def main(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    for name, data in sorted(files().items()):
        write(os.path.join(out_dir, name), data)
    for sub, contents in sorted(folders().items()):
        os.makedirs(os.path.join(out_dir, sub), exist_ok=True)
        for name, data in sorted(contents.items()):
            write(os.path.join(out_dir, sub, name), data)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: make_hostile_fixtures.py OUT_DIR")
    main(sys.argv[1])
