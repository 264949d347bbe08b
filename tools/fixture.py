"""fixture.py - write reference tensors in the kit's fixture format.

The format (read by src/lib/fixture.c), little-endian throughout:
    b"KITFIX1\\n", u32 count, then per tensor: u32 name length, name,
    u32 ndim, u32 dims..., float64 values row-major.
"""
import os
import struct


def write_fixture(path, tensors):
    """tensors: a list of (name, torch tensor or number).  The file is
    written to a temporary name and renamed, so it appears whole or not
    at all."""
    tmp = path + ".tmp"
    with open(tmp, "wb") as fp:
        fp.write(b"KITFIX1\n")
        fp.write(struct.pack("<I", len(tensors)))
        for name, value in tensors:
            if hasattr(value, "detach"):
                value = value.detach().to("cpu").double().contiguous()
                dims = list(value.shape)
                flat = value.reshape(-1).tolist()
            else:
                dims, flat = [], [float(value)]
            encoded = name.encode()
            fp.write(struct.pack("<I", len(encoded)) + encoded)
            fp.write(struct.pack("<I", len(dims)))
            for d in dims:
                fp.write(struct.pack("<I", d))
            fp.write(struct.pack("<%dd" % len(flat), *flat))
    os.replace(tmp, path)


def read_fixture(path):
    """Read a fixture file into a dict of name -> (dims, list of floats)."""
    with open(path, "rb") as fp:
        blob = fp.read()
    if blob[:8] != b"KITFIX1\n":
        raise ValueError("%s: not a fixture file" % path)
    (count,), pos = struct.unpack_from("<I", blob, 8), 12
    tensors = {}
    for _ in range(count):
        (length,) = struct.unpack_from("<I", blob, pos)
        name = blob[pos + 4:pos + 4 + length].decode()
        pos += 4 + length
        (ndim,) = struct.unpack_from("<I", blob, pos)
        dims = list(struct.unpack_from("<%dI" % ndim, blob, pos + 4))
        pos += 4 + 4 * ndim
        n = 1
        for d in dims:
            n *= d
        values = list(struct.unpack_from("<%dd" % n, blob, pos))
        pos += 8 * n
        tensors[name] = (dims, values)
    return tensors
