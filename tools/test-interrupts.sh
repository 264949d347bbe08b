#!/usr/bin/env bash
# test-interrupts.sh - an interrupt at a chosen point leaves nothing
# half-written, and the next run recovers by itself.  Run after `make`
# (.ci/run does): it uses this kit's build/ and redraws one figure and the
# report in it.  Each test kills at a chosen point, reruns, and compares
# with the clean build:
#
#   1. a chapter program, SIGINT and SIGTERM while a result file is open:
#      it dies of the signal, leaves no *.tmp.* and no numbers.tex, and a
#      rerun into the same folder gives the same files as a clean run;
#   2. make drawing a figure, everything SIGKILLed just after gnuplot
#      opened its output: the next make redraws it, as the clean build;
#   3. make running LaTeX for the first time, Ctrl-C (SIGINT to the whole
#      job) 1.5 s into the LATEX step: the next make typesets the report,
#      with the clean build's text, without any manual cleanup.
#
# Prints one line per test; exits 1 if any failed.
set -u
cd "$(dirname "$0")/.."
set -m                       # each background job in its own process group,
                             # not ignoring SIGINT, as at a terminal
BIN=build/bin
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0

# "${with_sigint[@]}" COMMAND...: COMMAND with SIGINT at its default
# action, in the same process.  A shell started with SIGINT ignored (a CI
# runner that starts jobs in the background) passes that on, and bash
# cannot undo it; Python can.
with_sigint=(/usr/bin/python3 -c 'import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL)
os.execvp(sys.argv[1], sys.argv[1:])')

pass() { echo "  PASS    interrupts: $1"; }
fail() { echo "  FAIL    interrupts: $1"; failures=$((failures + 1)); }

# wait_for GLOB SECONDS: wait until a file matches GLOB; 1 if none did.
wait_for() {
    local tries=$(($2 * 100))
    while [ "$tries" -gt 0 ]; do
        compgen -G "$1" > /dev/null && return 0
        sleep 0.01
        tries=$((tries - 1))
    done
    return 1
}

# --- 1. A chapter program interrupted with a result file open ----------
# Chapter 05 keeps causes_table.tex open while it trains the variants of
# its comparison with PyTorch: seconds, time enough to be interrupted.
ch05_args=(--data data/mnist --epochs 1 --batch-epochs 1)
if ! nice -n 19 "$BIN/ch05_mnist_mlp" "${ch05_args[@]}" --out "$tmp/clean" > /dev/null 2>&1; then
    fail "ch05_mnist_mlp ${ch05_args[*]} failed in a clean run"
else
    for sig in INT TERM; do
        out="$tmp/ch05-$sig"
        "${with_sigint[@]}" nice -n 19 "$BIN/ch05_mnist_mlp" "${ch05_args[@]}" --out "$out" > /dev/null 2>&1 &
        pid=$!
        if ! wait_for "$out/causes_table.tex.tmp.*" 120; then
            wait "$pid"
            fail "ch05_mnist_mlp never opened causes_table.tex"
            continue
        fi
        kill -s "$sig" "$pid"
        wait "$pid" 2> /dev/null     # (bash's "Interrupt" notice, not the program's)
        status=$?
        left=$(cd "$out" && ls -A | grep -E '\.tmp\.|^numbers\.tex$')
        if [ "$status" -ne $((128 + $(kill -l "$sig"))) ]; then
            fail "ch05_mnist_mlp sent SIG$sig exited with status $status, not dying of the signal"
        elif [ -n "$left" ]; then
            fail "ch05_mnist_mlp sent SIG$sig left $(echo $left) in $out"
        elif ! nice -n 19 "$BIN/ch05_mnist_mlp" "${ch05_args[@]}" --out "$out" > /dev/null 2>&1; then
            fail "ch05_mnist_mlp failed when rerun after SIG$sig"
        elif ! diff -r -x '*timing*' "$tmp/clean" "$out" > /dev/null; then
            fail "ch05_mnist_mlp rerun after SIG$sig: results differ from a clean run's"
        else
            pass "ch05_mnist_mlp, SIG$sig with causes_table.tex open: no temporary file left, the rerun as a clean run"
        fi
    done
fi

# --- 2. make drawing a figure, SIGKILLed ---------------------------------
# gnuplot stands in for a gnuplot that has opened its output (an empty
# file, as `set output` makes) and is then killed with make.  The figure is
# the .tex half of a cairolatex drawing, the target make trusts; the rerun
# must draw it as the clean build did and leave no temporary file.
figure=build/figures/ch08_schedules.tex
mkdir -p "$tmp/shim"
cat > "$tmp/shim/gnuplot" <<'EOF'
#!/bin/sh
out=$(expr "$2" : ".*out='\([^']*\)'")
: > "$out"
exec sleep 600
EOF
chmod +x "$tmp/shim/gnuplot"
if [ ! -s "$figure" ]; then
    fail "$figure is missing: run make first"
else
    cp "$figure" "$tmp/clean.tex"
    rm -f "$figure"
    PATH="$tmp/shim:$PATH" make --no-print-directory -s "$figure" > /dev/null 2>&1 &
    pid=$!
    if ! wait_for "build/figures/ch08_schedules.tmp.tex" 60; then
        fail "make $figure never started gnuplot"
    fi
    kill -s KILL -- -"$pid"
    wait "$pid" 2> /dev/null
    if ! make --no-print-directory -s "$figure" > /dev/null 2>&1; then
        fail "make $figure failed after make was killed drawing it"
    elif ! cmp -s "$figure" "$tmp/clean.tex"; then
        fail "make $figure after make was killed drawing it: $(stat -c %s "$figure") bytes, not the clean build's figure"
    elif ls build/figures/ch08_schedules.tmp.* > /dev/null 2>&1; then
        fail "make $figure after make was killed drawing it left $(echo build/figures/ch08_schedules.tmp.*)"
    else
        pass "make killed while gnuplot drew $figure: the next make redrew it as the clean build"
    fi
    cp "$tmp/clean.tex" "$figure"      # as it was, should anything have failed
fi

# --- 3. The first LaTeX run interrupted ----------------------------------
report=build/report.pdf
if [ ! -s "$report" ]; then
    fail "$report is missing: run make first"
else
    pdftotext "$report" "$tmp/clean.txt"
    rm -rf build/report "$report"
    "${with_sigint[@]}" make --no-print-directory -s "$report" > "$tmp/latex1.out" 2>&1 &
    pid=$!
    if ! wait_for build/report/latexmk.out 300; then
        fail "make $report never started LaTeX"
    fi
    sleep 1.5
    kill -s INT -- -"$pid"          # as Ctrl-C: to make, latexmk and pdflatex
    wait "$pid" 2> /dev/null
    if [ -e "$report" ]; then
        fail "make $report finished within 1.5 s of starting LaTeX: nothing was interrupted"
    elif ! make --no-print-directory -s "$report" > "$tmp/latex2.out" 2>&1; then
        fail "make $report failed after the first LaTeX run was interrupted: $(tail -1 "$tmp/latex2.out")"
    else
        pdftotext "$report" "$tmp/again.txt"
        if cmp -s "$tmp/clean.txt" "$tmp/again.txt"; then
            pass "first LaTeX run interrupted after 1.5 s: the next make typeset the report as the clean build"
        else
            fail "make $report after an interrupted LaTeX run: its text differs from the clean build's"
        fi
    fi
fi

[ "$failures" -eq 0 ] || { echo "test-interrupts.sh: $failures failed"; exit 1; }
