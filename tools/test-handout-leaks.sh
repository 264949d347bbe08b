#!/bin/sh
# test-handout-leaks.sh - the handout's leak checks must catch what they
# exist for; CI runs this.  Each case plants one attack in a scratch copy
# of the kit and expects it refused, naming the file and line:
#
#   1. a renamed copy of a region's body in another file (the handout's
#      near-copy check, tools/regions.py nearcopies, which make
#      handout-check runs as its check (e));
#   2. the same copy in float with other names and spacing;
#   3. a region that #defines away the test framework's ck_assert_msg, and
#      the same spelled %:define, a digraph (tools/regions.py check, which
#      every make runs);
#   4. a region in a header, where the tests would include it;
#   5. a source that #includes a .c file (and so its regions).
#
# And, past the check: the #define of case 3 compiled anyway has no effect
# on the tests, since no test compiles a region's file: a wrong region
# that carries it still fails its test.
set -eu
cd "$(dirname "$0")/.."
work=$(mktemp -d "${TMPDIR:-/tmp}/handout-leaks-test.XXXXXX")
trap 'rm -rf "$work"' EXIT
. tools/refusals.sh
kit="$work/kit"

fresh_copy() {
    rm -rf "$kit"
    mkdir -p "$kit"
    git ls-files -z | xargs -0 cp --parents -t "$kit"
}

REFUSED_IN=$kit               # expect_refused runs its commands in the copy

# plant_directive SPELLING: make region relu_derivative's body, in the
# copy, the line "SPELLING ck_assert_msg(...) ((void)0)" and a wrong
# "return 0.0;" (found by its markers: this script holds no solution).
plant_directive() {
    awk -v d="$1" '
        /@solution begin relu_derivative/ { print; print "    " d " ck_assert_msg(...) ((void)0)";
                                            print "    return 0.0;"; skip = 1; next }
        /@solution end relu_derivative/   { skip = 0 }
        !skip' "$kit/src/lib/activations.c" > "$work/activations.c"
    mv "$work/activations.c" "$kit/src/lib/activations.c"
}

# The kit itself passes both checks.
fresh_copy
(cd "$kit" && tools/regions.py check && tools/regions.py handout "$work/handout" \
    && tools/regions.py nearcopies "$work/handout") \
    || { echo "FAIL: the kit itself does not pass"; exit 1; }
echo "ok: the kit passes regions.py check and its handout regions.py nearcopies"

# plant_copy REGION FILE [float]: append to FILE in the copy a function
# whose body is REGION's solution with every name renamed (n1, n2, ...),
# on one line; with "float", double becomes float too.  Made from the
# sources when the test runs, so that this script holds no solution.
# Prints the line the body starts on.
plant_copy() {
    python3 - "$1" "$kit/$2" "${3:-}" <<'PY'
import re, sys
sys.path.insert(0, "tools")
import regions
region, path, precision = sys.argv[1:]
body = " ".join(line.strip() for line in regions.find_regions()[region].body
                if not line.strip().startswith(("/*", "*")))
names = {}
def rename(m):
    word = m.group()
    if word in regions.C_KEYWORDS or word in ("float", "double") or word.lower().startswith("cblas"):
        return "float" if precision and word == "double" else word
    return names.setdefault(word, f"n{len(names) + 1}")
body = re.sub(r"(?<![\w.])[A-Za-z_]\w*", rename, body)
with open(path, encoding="utf-8") as fp:
    lines = fp.read().count("\n")     # the file ends with a newline
with open(path, "a", encoding="utf-8") as fp:
    fp.write(f"\n/* a helper that happens to be a solution */\nvoid planted(void)\n{{\n{body}\n}}\n")
print(lines + 5)                      # after the blank, comment, name and brace lines
PY
}

# 1. ch05_update's body, renamed, in another file of the library.
fresh_copy
line=$(plant_copy ch05_update src/lib/losses.c)
(cd "$kit" && tools/regions.py handout "$work/handout")
expect_refused "a renamed copy of ch05_update in src/lib/losses.c" \
    "src/lib/losses.c:$line: code of the shape of region ch05_update's solution" \
    tools/regions.py nearcopies "$work/handout"

# 2. softmax_backward's body in float, renamed, on one line, in a test.
fresh_copy
line=$(plant_copy softmax_backward tests/check_stats.c float)
(cd "$kit" && tools/regions.py handout "$work/handout")
expect_refused "a float copy of softmax_backward in tests/check_stats.c" \
    "tests/check_stats.c:$line: code of the shape of region softmax_backward's solution" \
    tools/regions.py nearcopies "$work/handout"

# 3. A region that turns every check of a suite into nothing.
fresh_copy
plant_directive '#define'
line=$(grep -n '#define ck_assert_msg' "$kit/src/lib/activations.c" | cut -d: -f1)
expect_refused "#define ck_assert_msg in region relu_derivative" \
    "src/lib/activations.c:$line: region relu_derivative holds a preprocessor directive (#define)" \
    tools/regions.py check

# The same in the digraph spelling, which the compiler reads as #define.
fresh_copy
plant_directive '%:define'
line=$(grep -n '%:define ck_assert_msg' "$kit/src/lib/activations.c" | cut -d: -f1)
expect_refused "%:define ck_assert_msg in region relu_derivative" \
    "src/lib/activations.c:$line: region relu_derivative holds a preprocessor directive (%:define)" \
    tools/regions.py check

# ... and the #define compiled anyway, past the check, changes nothing in
# the tests: relu_derivative, now wrong, still fails its test.
fresh_copy
plant_directive '#define'
if ! (cd "$kit" && mkdir -p build && touch build/.deps-installed \
        && make -s -j2 build/bin/check_ch02_relu > "$work/build.log" 2>&1); then
    echo "FAIL: the planted kit does not build:"
    tail -20 "$work/build.log"
    failures=$((failures + 1))
elif (cd "$kit" && KIT_BIN=build/bin tools/checks.py --logs build/check build/bin/check_ch02_relu \
        > "$work/run.log" 2>&1) || ! grep -q test_library_relu_on_vectors "$work/run.log"; then
    echo "FAIL: with the #define, the wrong relu_derivative passes its test:"
    cat "$work/run.log"
    failures=$((failures + 1))
else
    echo "ok: compiled anyway, the #define has no effect on the tests: the wrong" \
         "relu_derivative fails test_library_relu_on_vectors"
fi

# 4. A region in a header.
fresh_copy
printf '%s\n' 'static inline double planted(double x)' '{' '    /* @solution begin planted */' \
    '    return x;' '    /* @solution end planted */' '}' >> "$kit/src/lib/stats.h"
line=$(grep -n '@solution begin planted' "$kit/src/lib/stats.h" | cut -d: -f1)
expect_refused "a region in src/lib/stats.h" \
    "src/lib/stats.h:$line: region planted is in a header" tools/regions.py check

# 5. A test that includes a region's .c file.
fresh_copy
sed -i 's|#include "lib/stats.h"|#include "lib/stats.h"\n#include "lib/stats.c"|' "$kit/tests/check_stats.c"
line=$(grep -n '#include "lib/stats.c"' "$kit/tests/check_stats.c" | cut -d: -f1)
expect_refused "#include of a .c file in tests/check_stats.c" \
    "tests/check_stats.c:$line: #include of lib/stats.c, a .c file" tools/regions.py check

if [ "$failures" -ne 0 ]; then
    echo "test-handout-leaks: $failures case(s) failed"
    exit 1
fi
echo "test-handout-leaks: every planted leak was refused"
