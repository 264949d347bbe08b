#!/usr/bin/env bash
# test-environment.sh - the kit on a machine that is not kind to it.  Run
# after `make` (.ci/run does): it uses this kit's build/ and leaves it as
# it was.  Each test says PASS, FAIL or SKIP (with why) in one line:
#
#   1. the data's stamp: the MNIST chapters rerun when the data change
#      behind a symbolic link, and not when only the files' mode, owner
#      (as root) or the language of the messages (LC_ALL) changes.
#   2. names with a space and letters beyond ASCII: a copy of the kit in
#      such a folder builds and runs chapter 01 (make ch01), and chapter
#      05 on MNIST_DIR, another such folder (about a minute of compiling
#      and training).
#   3. a full disk (as root: a small tmpfs, filled): a chapter's run whose
#      results cannot be written fails with the program's own message,
#      naming the file, on the terminal, not only make's "Error 1"; the
#      data's stamp is not written at all, rather than written empty.
#   4. the grader on a full disk (as root): a suite whose XML log cannot be
#      written is reported as a fault of the machine by tools/checks.py
#      (exit 3), not as crashed; tools/grade.py gives no score and says
#      the grade could not be computed (exit 3), where it printed a low
#      score for the kit's own full-marks solution.
#   5. a build folder left by a make run with sudo (as root: make run as
#      nobody in a copy whose build/ belongs to root) stops make at once
#      with one line saying what to do.
#   6. tests killed at their time limit leave no kit-test-* folder: a suite
#      run by hand (not by checks.py) with time limits a thousandth of
#      theirs, in a TMPDIR of its own, leaves it empty.
#
# tools/test-environment.sh N... runs only tests N...  Exits 1 if any
# test failed.
set -u
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
failures=0
restore=()                 # commands that put build/ back as it was
cleanup() {
    local cmd
    for cmd in "${restore[@]}"; do eval "$cmd"; done
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

pass() { echo "  PASS    environment: $1"; }
fail() { echo "  FAIL    environment: $1"; failures=$((failures + 1)); }
skip() { echo "  SKIP    environment: $1"; }

MNIST_CHAPTERS="05 06 07 08 09"

# full_disk DIR: mount a small tmpfs on DIR (made) and fill it, so that
# any write there fails with "No space left on device"; unmounted at the
# end.  Only root may mount: 1 (with the reason in $why) otherwise.
full_disk() {
    why=
    if [ "$(id -u)" -ne 0 ]; then
        why="not root (mounting a full tmpfs needs root)"
        return 1
    fi
    mkdir -p "$1"
    if ! mount -t tmpfs -o size=1m tmpfs "$1" 2> "$tmp/mount.err"; then
        why="cannot mount a tmpfs: $(cat "$tmp/mount.err")"
        return 1
    fi
    restore=("umount '$1'" "${restore[@]}")
    dd if=/dev/zero of="$1/filler" bs=64k > /dev/null 2>&1
    return 0
}

# chapters_up_to_date MNIST_DIR: every MNIST chapter's results are up to
# date for make (make -q), given the stamp as it is.
chapters_up_to_date() {
    local c
    for c in $MNIST_CHAPTERS; do
        make -q "build/results/ch$c/numbers.tex" MNIST_STAMPED=1 MNIST_DIR="$1" || return 1
    done
}
# chapters_all_stale MNIST_DIR: make -q finds every MNIST chapter out of date.
chapters_all_stale() {
    local c
    for c in $MNIST_CHAPTERS; do
        make -q "build/results/ch$c/numbers.tex" MNIST_STAMPED=1 MNIST_DIR="$1" && return 1
    done
    return 0
}

# --- 1. The data's stamp ---------------------------------------------------
# The data are copies of data/mnist's files in $store, reached through
# symbolic links in $mnist: the same bytes, so the stamp must not change.
test_1() {
    stamp=build/mnist-data
    store=$tmp/store
    mnist=$tmp/mnist
    if ! make --no-print-directory -s "$stamp" > /dev/null || ! chapters_up_to_date data/mnist; then
        skip "the data's stamp: the MNIST chapters are not up to date: run make first"
    else
        cp -p "$stamp" "$tmp/stamp.saved"
        restore+=('cp -p "$tmp/stamp.saved" "$stamp"')
        mkdir -p "$store" "$mnist"
        cp data/mnist/*-ubyte* "$store/"
        for f in "$store"/*; do ln -s "$f" "$mnist/${f##*/}"; done

        # stamp_kept WHAT [ENV...]: the stamp remade with $mnist (under ENV)
        # is the same file, not rewritten, and the chapters are up to date.
        stamp_kept() {
            local what=$1
            shift
            if ! env "$@" make --no-print-directory -s "$stamp" MNIST_DIR="$mnist" > "$tmp/out" 2>&1; then
                fail "the data's stamp, $what: make $stamp failed: $(cat "$tmp/out")"
            elif ! cmp -s "$stamp" "$tmp/stamp.saved" || [ "$stamp" -nt "$tmp/stamp.saved" ]; then
                fail "the data's stamp, $what: $stamp was rewritten, so chapters $MNIST_CHAPTERS would rerun for nothing"
            elif ! chapters_up_to_date "$mnist"; then
                fail "the data's stamp, $what: make -q finds an MNIST chapter out of date"
            else
                pass "the data's stamp, $what: nothing reruns"
            fi
        }
        stamp_kept "the same data through symbolic links"
        chmod 600 "$store"/* && touch "$store"/* && touch -h "$mnist"/*
        stamp_kept "chmod 600 and touch"
        if [ "$(id -u)" -eq 0 ]; then
            chown nobody "$store"/* && chown -h nobody "$mnist"/*
            stamp_kept "chown nobody"
        else
            skip "the data's stamp, chown: not root"
        fi
        # The language of the messages, whether or not the locale is installed.
        stamp_kept "LC_ALL=de_DE.UTF-8" LC_ALL=de_DE.UTF-8 LANG=de_DE.UTF-8

        # Now the data change behind the links: the links are untouched.
        cp -p "$stamp" "$tmp/stamp.before"
        labels=$store/t10k-labels-idx1-ubyte.gz
        [ -e "$labels" ] || labels=$store/t10k-labels-idx1-ubyte
        printf 'x' >> "$labels"
        if ! make --no-print-directory -s "$stamp" MNIST_DIR="$mnist" > "$tmp/out" 2>&1; then
            fail "the data's stamp, data changed behind a link: make $stamp failed: $(cat "$tmp/out")"
        elif cmp -s "$stamp" "$tmp/stamp.before"; then
            fail "the data's stamp, data changed behind a link: $stamp is unchanged, so the chapters' results are stale"
        elif ! chapters_all_stale "$mnist"; then
            fail "the data's stamp, data changed behind a link: make -q finds an MNIST chapter up to date"
        else
            pass "the data's stamp, data changed behind a link: chapters $MNIST_CHAPTERS rerun"
        fi
    fi
}

# --- 2. A space and non-ASCII letters in the kit's path and MNIST_DIR ------
# The kit's files as they are here (committed or not), copied into a
# folder with a space in its name: make ch01 there builds and runs.
test_2() {
    kit="$tmp/a b/kit ü"
    data="$tmp/dätä 'x' dir/mnist"
    mkdir -p "$kit" "$data"
    cp data/mnist/*-ubyte* "$data/"
    git ls-files -z --cached --others --exclude-standard |
        xargs -0 sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' sh |
        tar --null -T - -cf - | tar -xf - -C "$kit"
    if ! (cd "$kit" && make --no-print-directory ch01) > "$tmp/out" 2>&1; then
        fail "a kit in '$kit': make ch01 failed: $(tail -5 "$tmp/out")"
    elif [ ! -s "$kit/build/results/ch01/numbers.tex" ]; then
        fail "a kit in '$kit': make ch01 wrote no build/results/ch01/numbers.tex"
    else
        pass "a kit in '$kit': make ch01 builds and runs"
    fi
    # Chapter 05's program on the data in $data; the stamp read them there.
    ch05=build/results/ch05/numbers.tex
    if ! (cd "$kit" && make --no-print-directory "$ch05" MNIST_DIR="$data") > "$tmp/out" 2>&1; then
        fail "MNIST_DIR='$data': make $ch05 failed: $(tail -5 "$tmp/out")"
    elif grep -qv '^[0-9a-f]\{64\}  ' "$kit/build/mnist-data"; then
        fail "MNIST_DIR='$data': the data's stamp did not read every file: $(cat "$kit/build/mnist-data")"
    elif ! grep -qF -- "--data $data --out" "$tmp/out"; then
        fail "MNIST_DIR='$data': make $ch05 did not say it ran on it: $(grep RUN "$tmp/out")"
    else
        pass "MNIST_DIR='$data': make $ch05 ran chapter 05 on it"
    fi
}

# --- 3. A chapter's run on a full disk ---------------------------------------
test_3() {
    full=$tmp/full-results
    if ! full_disk "$full"; then
        skip "a chapter's run on a full disk: $why"
    else
        out=$full/results/ch01
        mkdir -p "$out" 2> /dev/null
        if tools/run-chapter.sh ch01 "$out" build/bin/ch01_critical_points --out "$out" \
                > /dev/null 2> "$tmp/err"; then
            fail "a chapter's run on a full disk: tools/run-chapter.sh succeeded"
        elif ! grep -q "$out/.*No space left on device" "$tmp/err"; then
            fail "a chapter's run on a full disk: the program's error did not reach the terminal (printed: '$(cat "$tmp/err")')"
        else
            pass "a chapter's run on a full disk: $(head -n 1 "$tmp/err")"
        fi
        # The data's stamp, written there by make, fails whole.
        if make --no-print-directory -s "$full/mnist-data" BUILD="$full" > "$tmp/out" 2>&1; then
            fail "the data's stamp on a full disk: make $full/mnist-data succeeded ($(wc -c < "$full/mnist-data") bytes)"
        elif [ -e "$full/mnist-data" ] || [ -e "$full/mnist-data.new" ]; then
            fail "the data's stamp on a full disk: make left $(ls "$full"/mnist-data*)"
        elif ! grep -q "cannot write $full/mnist-data.new" "$tmp/out"; then
            fail "the data's stamp on a full disk: the message does not name the file: $(cat "$tmp/out")"
        else
            pass "the data's stamp on a full disk: nothing written, $(grep -m1 'cannot write' "$tmp/out")"
        fi
    fi
}

# --- 4. The grader on a full disk -------------------------------------------
test_4() {
    full=$tmp/full-logs
    if ! full_disk "$full"; then
        skip "the grader on a full disk: $why"
        return
    fi
    tools/checks.py --logs "$full/check" build/bin/check_rng build/bin/check_ch01_critical_points \
        > "$tmp/out" 2>&1
    status=$?
    if [ "$status" -ne 3 ] || grep -q CRASHED "$tmp/out" ||
            ! grep -q "check_rng  *MACHINE FAULT: cannot write the log $full/check/check_rng.xml: disk full" "$tmp/out"; then
        fail "checks.py with its logs on a full disk: exit status $status, printed: $(cat "$tmp/out")"
    else
        pass "checks.py with its logs on a full disk: $(grep -m1 'MACHINE FAULT' "$tmp/out" | sed 's/  */ /g')"
    fi
    # grade.py: the build logs are written (a tmpfs with room), the XML
    # logs are not (a full one on its logs folder), as when the disk fills
    # during a grade.
    out=$tmp/grade
    mkdir -p "$out/logs"
    if ! full_disk "$out/logs"; then
        skip "grade.py on a full disk: $why"
        return
    fi
    tools/grade.py --out "$out" > "$tmp/out" 2>&1
    status=$?
    if [ "$status" -ne 3 ] || grep -q '^Score:' "$tmp/out" ||
            ! grep -q "grade.py: the grade could not be computed: cannot write the log $out/logs/check_.*\.xml: disk full" "$tmp/out"; then
        fail "grade.py with its logs on a full disk: exit status $status, printed: $(grep -v '^ *|' "$tmp/out" | tail -n 5)"
    else
        pass "grade.py with its logs on a full disk: exit status 3, no score: $(grep -m1 'could not be computed' "$tmp/out")"
    fi
}

# --- 5. A build folder that belongs to root ---------------------------------
test_5() {
    if [ "$(id -u)" -ne 0 ] || ! command -v runuser > /dev/null; then
        skip "a build folder that belongs to root: not root (or no runuser)"
        return
    fi
    local kit=$tmp/sudo-kit
    mkdir -p "$kit/tools" "$kit/build/obj"
    cp Makefile "$kit/"
    cp tools/check-build-dir.sh "$kit/tools/"
    chmod -R a+rX "$tmp"
    (cd "$kit" && runuser -u nobody -- make --no-print-directory ch01) > "$tmp/out" 2>&1
    status=$?
    if [ "$status" -eq 0 ] || ! grep -q "build.* belongs to root, and nobody cannot write in it (was make run with sudo?): sudo chown -R nobody build, or sudo rm -rf build" "$tmp/out"; then
        fail "a build folder that belongs to root: make as nobody exited $status, printing: $(head -n 3 "$tmp/out")"
    else
        pass "a build folder that belongs to root: $(grep -o 'build.*sudo rm -rf build' "$tmp/out")"
    fi
}

# --- 6. Tests killed at their time limit -------------------------------------
test_6() {
    local suite=build/bin/check_ch05_mnist_mlp left
    if [ ! -x "$suite" ]; then
        skip "tests killed at their time limit: no $suite (run make first)"
        return
    fi
    mkdir -p "$tmp/tt"
    TMPDIR=$tmp/tt CK_TIMEOUT_MULTIPLIER=0.001 CK_RUN_CASE=program "$suite" > "$tmp/out" 2>&1
    left=$(ls -A "$tmp/tt")
    if ! grep -q "Test timeout expired" "$tmp/out"; then
        fail "tests killed at their time limit: no test of $suite timed out: $(tail -n 3 "$tmp/out")"
    elif [ -n "$left" ]; then
        fail "tests killed at their time limit: $suite left $(echo $left) in its TMPDIR"
    else
        pass "tests killed at their time limit: $suite left nothing in its TMPDIR"
    fi
}

for n in ${*:-$(declare -F | sed -n 's/^declare -f test_//p' | sort -n)}; do
    "test_$n"
done

[ "$failures" -eq 0 ] || { echo "test-environment.sh: $failures failed"; exit 1; }
