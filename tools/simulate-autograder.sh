#!/bin/bash
# simulate-autograder.sh - try the Gradescope autograder on this machine.
#
#     tools/simulate-autograder.sh        (from the solution kit's root)
#
# Builds the zip (tools/make-autograder.sh), unpacks it into a temporary
# AUTOGRADER_ROOT as Gradescope would, runs its setup.sh, then grades six
# simulated submissions with its run_autograder and checks each score
# (tools/autograder/expect.py):
#   1 the full solution                          full marks
#   2 the handout, unchanged                     nothing
#   3 an off-by-one in cosine_rate               only cosine_rate loses
#   4 a compile error in ch04_square_backward    only that region loses
#  4b a compile error in src/lib/schedule.c      only cosine_rate loses
#   5 an endless loop in ch02_gradient           its suite times out
#                                                (GRADE_TIMEOUT=60), only
#                                                ch02_gradient loses
#   6 region code that opens files outside its   the region is refused and
#     folder                                     loses; the reference kit
#                                                and the other submissions
#                                                are unchanged
# (every region is graded on its own, with the reference's code in place
# of the others: tools/isolation.py)
# and then tools/grade-all on submissions 1, 3 and 4, checking the CSV.
# The mistakes are made in copies of the solution's files.  Prints one line
# per check; exits 1 on any mismatch.  KEEP=1 keeps the temporary folder.
set -euo pipefail

cd "$(dirname "$0")/.."
if [ ! -f grading/regions.txt ]; then
    echo "simulate-autograder.sh: no grading/regions.txt in $(pwd)" >&2
    exit 2
fi
WORK=$(mktemp -d "${TMPDIR:-/tmp}/simulate-autograder.XXXXXX")
if [ -z "${KEEP-}" ]; then trap 'rm -rf "$WORK"' EXIT; else echo "Working in $WORK"; fi
ROOT=$WORK/autograder            # AUTOGRADER_ROOT
SUBS=$WORK/submissions
KIT=$ROOT/source/kit             # the reference kit, as Gradescope holds it
mismatches=0

. tools/submissions.sh

tree_hash() {   # a hash of every file's path and content under $1
    (cd "$1" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum) | sha256sum | cut -c1-16
}

unpack() {      # unpack zip $1 into $2, keeping the files' permissions
    /usr/bin/python3 - "$1" "$2" <<'PY'
import os, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    for info in z.infolist():
        path = z.extract(info, sys.argv[2])
        mode = info.external_attr >> 16
        if mode and not info.is_dir():
            os.chmod(path, mode & 0o777)
PY
}

# grade NAME LABEL EXPECT-ARGS...: run run_autograder on submission NAME.
grade() {
    local name=$1 label=$2 start
    shift 2
    rm -rf "$ROOT/submission" "$ROOT/results"
    cp -R "$SUBS/$name" "$ROOT/submission"
    start=$(date +%s)
    AUTOGRADER_ROOT=$ROOT TMPDIR=$WORK/tmp "$ROOT/run_autograder" > "$WORK/$name.out" 2>&1 || true
    cp "$ROOT/results/results.json" "$WORK/$name.json" 2>/dev/null || true
    if ! /usr/bin/python3 "$KIT/tools/autograder/expect.py" "$KIT" "$WORK/$name.json" \
            "$label ($(($(date +%s) - start)) s)" "$@"; then
        mismatches=$((mismatches + 1))
        echo "    run_autograder's output: $WORK/$name.out" >&2
    fi
}

echo "== The autograder"
tools/make-autograder.sh "$WORK/autograder.zip"
mkdir -p "$ROOT/source" "$WORK/tmp"
unpack "$WORK/autograder.zip" "$ROOT/source"
cp "$ROOT/source/run_autograder" "$ROOT/run_autograder"
AUTOGRADER_ROOT=$ROOT bash "$ROOT/source/setup.sh"

echo "== The submissions"
new_submission full .
tools/regions.py handout "$WORK/handout"
new_submission handout "$WORK/handout"
new_submission off_by_one .
plant off_by_one src/lib/schedule.c \
    '/@solution begin cosine_rate/,/@solution end cosine_rate/s/(double)t \/ (double)T/(double)(t + 1) \/ (double)T/'
new_submission compile_error .
plant compile_error src/ch04_product_feature.c \
    '/@solution begin ch04_square_backward/a\    this line does not compile;'
new_submission library_error .
plant library_error src/lib/schedule.c '/@solution begin cosine_rate/a\    this line does not compile;'
new_submission endless_loop .
plant endless_loop src/ch02_relu.c '/@solution begin ch02_gradient/a\    for (;;) { }'
new_submission escape .
plant escape src/lib/schedule.c '/@solution begin cosine_rate/a\
    { FILE *out_ = fopen("../../escaped.txt", "a"); if (out_) { fputs("escaped\\n", out_); fclose(out_); } }\
    { FILE *out_ = fopen("tests/check_schedule.c", "a"); if (out_) { fputs("/* changed */\\n", out_); fclose(out_); } }'
sed -i '1i #include <stdio.h>' "$SUBS/escape/src/lib/schedule.c"
kit_before=$(tree_hash "$KIT")
subs_before=$(tree_hash "$SUBS")

echo "== Grading (run_autograder)"
grade full "1 the full solution"
grade handout "2 the handout" --lose-all
grade off_by_one "3 an off-by-one in cosine_rate" --lose-region cosine_rate
grade compile_error "4 a compile error in ch04_square_backward" \
    --lose-region ch04_square_backward --says "did not compile"
grade library_error "4b a compile error in src/lib/schedule.c" \
    --lose-region cosine_rate --says "did not compile"
GRADE_TIMEOUT=60 grade endless_loop "5 an endless loop in ch02_gradient" \
    --lose-region ch02_gradient --says "timed out"
grade escape "6 code that writes outside its folder" --lose-region cosine_rate --says "refused"

echo "== Did submission 6 reach anything it should not?"
check_same() {   # check_same LABEL BEFORE AFTER
    if [ "$2" = "$3" ]; then
        printf '%-52s unchanged  ok\n' "$1"
    else
        printf '%-52s CHANGED  MISMATCH\n' "$1"
        mismatches=$((mismatches + 1))
    fi
}
check_same "the reference kit ($KIT)" "$kit_before" "$(tree_hash "$KIT")"
check_same "the other submissions" "$subs_before" "$(tree_hash "$SUBS")"
escaped=$(find "$WORK" -name escaped.txt -not -path "$SUBS/*" | head -n 1)
echo "its ../../escaped.txt landed in ${escaped:-(nowhere)}, outside the kit and the submissions"

echo "== tools/grade-all on submissions 1, 3 and 4"
mkdir -p "$WORK/class"
for name in full off_by_one compile_error; do cp -R "$SUBS/$name" "$WORK/class/$name"; done
tools/grade-all "$WORK/class" -j 2 --kit "$KIT" -o "$WORK/class.csv" > "$WORK/grade-all.out" 2>&1 || true
sed 's/^/    /' "$WORK/grade-all.out"
for name in full off_by_one compile_error; do
    want=$(/usr/bin/python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["score"])' \
           "$WORK/$name.json" 2>/dev/null || echo "?")
    got=$(awk -F, -v n="$name" '$1 == n { sub(/\r$/, "", $NF); print $NF }' "$WORK/class.csv" 2>/dev/null || true)
    if [ -n "$got" ] && [ "$got" = "$want" ]; then
        printf '%-52s expected %3s, got %3s  ok\n' "class.csv: $name" "$want" "$got"
    else
        printf '%-52s expected %3s, got %3s  MISMATCH\n' "class.csv: $name" "$want" "${got:-none}"
        mismatches=$((mismatches + 1))
    fi
done
check_same "the reference kit, after grade-all" "$kit_before" "$(tree_hash "$KIT")"

if [ "$mismatches" -ne 0 ]; then
    echo "simulate-autograder.sh: $mismatches mismatches" >&2
    exit 1
fi
echo "simulate-autograder.sh: every simulated submission scored as expected"
