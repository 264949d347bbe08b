#!/usr/bin/env bash
# test-jobs.sh - any -j gives the same book as a serial build.  Run after
# `make` (.ci/run does): this kit's build/ is the -j2 build (make's
# default here is one job per core, and CI's machine has two), and the
# test makes three more from clean, each in a scratch clone
# (tools/scratch-kit.sh): make -j1 (one job at a time, the reference),
# make -j4 and make -j8.  Each must give the serial build's results
# (build/results, byte for byte, but for chapter 05's per-epoch timings)
# and the text of its book (pdftotext, byte for byte).  The three builds
# run side by side, so that each also runs on a loaded machine; the
# comparison does not depend on how long anything takes.
#
# Prints one line per build and its time; exits 1 if any differs or fails.
set -u
cd "$(dirname "$0")/.."
. tools/scratch-kit.sh
if [ ! -s build/report.pdf ]; then
    echo "test-jobs.sh: no build/report.pdf: run make first" >&2
    exit 1
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/test-jobs.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
failures=0
start=$SECONDS

# build_with N: make -jN from clean in a scratch clone, $tmp/jN; its
# output in $tmp/jN.log, its seconds in $tmp/jN.time.
build_with() {
    local kit=$tmp/j$1 t0=$SECONDS
    # (the compilers' temporary files in a folder of the build's own, out
    # of reach of anything that cleans /tmp meanwhile)
    mkdir -p "$kit.tmp" && scratch_kit "$kit" > "$kit.log" 2>&1 &&
        TMPDIR=$kit.tmp make -C "$kit" --no-print-directory -j"$1" >> "$kit.log" 2>&1
    local status=$?
    echo $((SECONDS - t0)) > "$kit.time"
    return $status
}

pids=()
for n in 1 4 8; do
    build_with "$n" &
    pids+=($!)
done
i=0
for n in 1 4 8; do
    if wait "${pids[$i]}"; then
        echo "  make -j$n from clean: $(cat "$tmp/j$n.time") s"
    else
        echo "  FAIL    jobs: make -j$n from clean failed:"
        tail -20 "$tmp/j$n.log" | sed 's/^/    /'
        failures=$((failures + 1))
    fi
    i=$((i + 1))
done

if [ -s "$tmp/j1/build/report.pdf" ]; then
    for other in "$tmp/j4:make -j4" "$tmp/j8:make -j8" ".:this kit's own build (make's default, one job per core)"; do
        dir=${other%%:*} what=${other#*:}
        [ -s "$dir/build/report.pdf" ] || continue
        if same_build "$tmp/j1" "$dir" "$what"; then
            echo "  PASS    jobs: $what gives the serial build's results and book"
        else
            echo "  FAIL    jobs: $what differs from the serial build (make -j1)"
            failures=$((failures + 1))
        fi
    done
fi
echo "test-jobs.sh: $((SECONDS - start)) s"
[ "$failures" -eq 0 ] || { echo "test-jobs.sh: $failures failed"; exit 1; }
