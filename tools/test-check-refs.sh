#!/bin/sh
# test-check-refs.sh - tools/check-refs.py must fail the build on a comment
# that cites a missing equation label, on a \checkedby that names a test
# that does not exist, on a raw symbol where the notation has a macro, on
# a notation macro missing from the table, naming the file and line, and
# on a number a program writes that nothing reads, naming the numbers
# file and the key; CI runs this.  Each case
# plants one mistake in a copy of the kit's chapters, sources and tests.
set -eu
cd "$(dirname "$0")/.."
work=$(mktemp -d "${TMPDIR:-/tmp}/check-refs-test.XXXXXX")
trap 'rm -rf "$work"' EXIT
. tools/refusals.sh

fresh_copy() {
    rm -rf "$work/kit"
    mkdir -p "$work/kit"
    cp -R chapters report src tests tools guide figures "$work/kit/"
}

# expect_failure WHAT TEXT: check-refs.py on the copy must exit 1 and say TEXT.
expect_failure() {
    expect_refused "$1" "$2" tools/check-refs.py --root "$work/kit"
}

fresh_copy
tools/check-refs.py --root "$work/kit" || { echo "FAIL: the kit itself does not pass"; exit 1; }
# With this build's numbers, if it has them: every number written is read.
numbers=$(ls build/results/ch*/numbers.tex 2> /dev/null)
if [ -n "$numbers" ]; then
    # shellcheck disable=SC2086
    tools/check-refs.py --root "$work/kit" $numbers ||
        { echo "FAIL: this build writes numbers that nothing reads"; exit 1; }
fi

fresh_copy
sed -i 's|(eq:ch01-gradient)|(eq:ch01-gradeint)|' "$work/kit/src/ch01_critical_points.c"
expect_failure "a comment citing a missing label" \
    "src/ch01_critical_points.c:19: cites eq:ch01-gradeint, which no chapter defines"

fresh_copy
sed -i 's|\\checkedby{ch02_relu}{test_kink_convention}|\\checkedby{ch02_relu}{test_kink_conventoin}|' \
    "$work/kit/chapters/ch02_relu.tex"
expect_failure 'a misnamed \checkedby' "names test_kink_conventoin in suite ch02_relu"

fresh_copy
printf '%s\n' 'A planted rate $\eta = 0.1$ and a transpose $x^{\mathsf T}$.' >> "$work/kit/chapters/ch08_cosine.tex"
expect_failure 'a raw \eta in a chapter' "writes \\eta; the book's symbol is \\lr"
expect_failure 'a transpose set as T' "writes a transpose as T"

fresh_copy
sed -i 's|^\\kitnotation{\$\\nblocks\$}.*$||' "$work/kit/report/kit.sty"
expect_failure 'a symbol without its row in the notation table' "the symbol \\nblocks has no \\kitnotation row"

# A number that no chapter, guide page, test comment or figure reads,
# beside one that a chapter prints.
fresh_copy
printf '%s\n' '\kitnumber{ch02.planted.unread}{42}' '\kitnumber{ch02.fdstep}{1e-6}' > "$work/numbers.tex"
expect_refused 'a number that nothing reads' \
    "$work/numbers.tex: 1 number(s) written that nothing reads (no chapter, guide page, test comment or figure): ch02.planted.unread;" \
    tools/check-refs.py --root "$work/kit" "$work/numbers.tex"

[ "$failures" -eq 0 ]
