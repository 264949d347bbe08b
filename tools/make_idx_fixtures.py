#!/usr/bin/python3
"""make_idx_fixtures.py - small IDX files, valid and malformed, for
tests/check_idx.c.

Writes into the directory given (tests/fixtures/idx):
    images.idx3          3 images of 2 x 2 pixels, raw
    images.idx3.gz       the same, gzipped
    labels.idx1          their 3 labels (0, 9, 4)
    labels-4.idx1        4 labels: a count that does not match images.idx3
    label-10.idx1        3 labels, the one at index 1 is 10 (not a digit)
    trailing-bytes.idx3  images.idx3 and 2 bytes more
    truncated-header.idx3  the magic number and one of the three sizes
    truncated-data.idx3  the header and 10 of the 12 bytes of data
    wrong-magic.idx3     begins 0x01 0x00 instead of two zero bytes
    wrong-type.idx3      type 0x0D (float) instead of 0x08 (unsigned byte)
    absurd-dims.idx3     0x7fffffff x 0x7fffffff x 0x7fffffff, then 12 bytes
    zero-dim.idx3        2 x 0 x 2
    corrupted.idx3.gz    images.idx3.gz with bytes flipped in its deflate data
    truncated.idx3.gz    images.idx3.gz cut short in its deflate data
    empty.idx3           no bytes at all
The gzip files have no name and mtime 0, so the output is the same on every
run.  Uses only the standard library:
    /usr/bin/python3 tools/make_idx_fixtures.py tests/fixtures/idx
"""
import gzip
import os
import struct
import sys
import zlib

PIXELS = bytes([0, 51, 102, 255,      # image 0
                255, 0, 0, 255,       # image 1
                17, 34, 68, 136])     # image 2


def header(type_code, sizes):
    return bytes([0, 0, type_code, len(sizes)]) + b"".join(struct.pack(">I", s) for s in sizes)


def gzipped(data):
    return gzip.compress(data, compresslevel=9, mtime=0)


def fails_to_decompress(data):
    try:
        gzip.decompress(data)
    except (OSError, EOFError, zlib.error):
        return True
    return False


def corrupted(gz):
    """Flip bytes in the middle of the deflate data (after the 10-byte
    header, before the 8-byte trailer), and check it no longer reads."""
    body = bytearray(gz)
    middle = 10 + (len(body) - 18) // 2
    for i in range(middle - 1, middle + 2):
        body[i] ^= 0xFF
    assert fails_to_decompress(bytes(body)), "flipping bytes left a valid gzip stream"
    return bytes(body)


def fixtures():
    images = header(0x08, [3, 2, 2]) + PIXELS
    images_gz = gzipped(images)
    truncated_gz = images_gz[: 10 + (len(images_gz) - 18) // 2]
    assert fails_to_decompress(truncated_gz)
    return {
        "images.idx3": images,
        "images.idx3.gz": images_gz,
        "labels.idx1": header(0x08, [3]) + bytes([0, 9, 4]),
        "labels-4.idx1": header(0x08, [4]) + bytes([0, 9, 4, 1]),
        "label-10.idx1": header(0x08, [3]) + bytes([0, 10, 4]),
        "trailing-bytes.idx3": images + b"\x00\x00",
        "truncated-header.idx3": header(0x08, [3, 2, 2])[:8],
        "truncated-data.idx3": images[:-2],
        "wrong-magic.idx3": b"\x01" + images[1:],
        "wrong-type.idx3": header(0x0D, [3, 2, 2]) + PIXELS,
        "absurd-dims.idx3": header(0x08, [0x7FFFFFFF] * 3) + PIXELS,
        "zero-dim.idx3": header(0x08, [2, 0, 2]),
        "corrupted.idx3.gz": corrupted(images_gz),
        "truncated.idx3.gz": truncated_gz,
        "empty.idx3": b"",
    }


def main(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    for name, data in sorted(fixtures().items()):
        path = os.path.join(out_dir, name)
        tmp = path + ".tmp"
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
        print("wrote %s (%d bytes)" % (path, len(data)))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: make_idx_fixtures.py OUT_DIR")
    main(sys.argv[1])
