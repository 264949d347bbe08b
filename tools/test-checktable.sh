#!/bin/sh
# test-checktable.sh - the tables "How this chapter is checked" cannot say
# what the tests do not: tools/checktable.py must refuse, naming the file
# and line, a tolerance that the test does not use and a cited test without
# its @asserts; and accept the kit as it is.  CI runs this.
set -eu
cd "$(dirname "$0")/.."
work=$(mktemp -d "${TMPDIR:-/tmp}/checktable-test.XXXXXX")
trap 'rm -rf "$work"' EXIT
root=$(pwd)
fail=0

fresh() {
    rm -rf "$work/kit" && mkdir -p "$work/kit"
    cp -R tests chapters "$work/kit/"
}

# expect_refusal WHAT PATTERN: checktable.py, run in the copy, fails and
# its message matches PATTERN.
expect_refusal() {
    if (cd "$work/kit" && "$root/tools/checktable.py" out.tex chapters/*.tex) > "$work/out" 2>&1; then
        echo "FAIL: $1: accepted"; fail=1
    elif grep -q -- "$2" "$work/out"; then
        echo "ok: $1: $(head -1 "$work/out")"
    else
        echo "FAIL: $1: refused, but not with '$2':"; cat "$work/out"; fail=1
    fi
}

fresh
if (cd "$work/kit" && "$root/tools/checktable.py" out.tex chapters/*.tex); then
    echo "ok: the kit's tests and chapters are accepted"
else
    echo "FAIL: the kit's own tests are refused"; fail=1
fi

# A tolerance the test does not use (its line names the test).
fresh
sed -i '0,/@tolerance 1e-15 absolute/s//@tolerance 1e-5 absolute/' "$work/kit/tests/check_ch03_backprop.c"
expect_refusal "a tolerance the test does not use" \
    "check_ch03_backprop.c:[0-9]*: test_output_error_closed_form's @tolerance quotes 1e-5"

# A cited test whose comment lost its @asserts.
fresh
sed -i '/@asserts for a 4-5-4-6 network/s/@asserts/asserts/' "$work/kit/tests/check_ch03_backprop.c"
expect_refusal "a cited test without @asserts" \
    "test_output_error_closed_form has no @asserts"
exit $fail
