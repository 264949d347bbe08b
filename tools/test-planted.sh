#!/bin/bash
# test-planted.sh - one mistake costs one region: a class of 30 simulated
# submissions graded at once by tools/grade-all, and the handout graded by
# its own make grade.
#
#     tools/test-planted.sh        (from the solution kit's root)
#
# The class: for every region, the solution with that region's body
# replaced by its stub without the TODO_REGION call (a plausible wrong
# answer, compiled and run); the full solution; the handout as it is;
# and the remaining submissions mix a wrong region with a compile error in
# another.  Each must lose exactly the planted regions' points
# (tools/autograder/expect.py).  Then `make grade SUBMISSION=` on one of
# them must agree with grade-all, and the untouched handout's own
# tools/grade.py must score 0.  Prints the class's time; exits 1 on any
# mismatch.  KEEP=1 keeps the folder.
set -euo pipefail
cd "$(dirname "$0")/.."
. tools/submissions.sh
start_work test-planted

# wrong NAME REGION: the solution with REGION's body its stub, uncalled.
wrong() {
    [ -d "$SUBS/$1" ] || new_submission "$1" .
    /usr/bin/python3 - "$SUBS/$1" "$2" <<'PY'
import sys
sys.dont_write_bytecode = True
sys.path.insert(0, "tools")
import isolation, regions
folder, name = sys.argv[1], sys.argv[2]
m = regions.find_regions()[name]
stub = [line for line in regions.stub_lines(m, regions.read_stubs()[name])
        if "TODO_REGION" not in line and "Your code here" not in line]
path = f"{folder}/{m.file}"
text = open(path, encoding="utf-8").read()
open(path, "w", encoding="utf-8").write(isolation.splice(text, m.file, name, stub))
PY
}

REGIONS=$(/usr/bin/python3 -c 'import sys; sys.path.insert(0, "tools"); import regions
print(" ".join(regions.read_registry()[1]))')
for r in $REGIONS; do wrong "wrong_$r" "$r"; done
new_submission full .
tools/regions.py handout "$WORK/handout"
new_submission handout "$WORK/handout"
n=$(ls "$SUBS" | wc -l)
i=0
for pair in "ch03_deltas cosine_rate" "ch05_backward ch01_newton" "ch07_forward ch09_confusion" \
            "relu_derivative ch06_ridge" "softmax_backward ch04_relu_backward" \
            "ch05_update ch09_paired" "ch07_backward ch02_gradient" "ch06_early_stopping ch01_hessian"; do
    [ "$n" -lt 30 ] || break
    set -- $pair
    name=mixed_$i
    wrong "$name" "$1"
    file=$(region_file "$2")
    plant "$name" "$file" "$(in_region "$2" "    this line does not compile;")"
    echo "$1 $2" > "$WORK/$name.planted"
    i=$((i + 1)); n=$((n + 1))
done

echo "== Grading $n submissions with tools/grade-all"
start=$(date +%s)
tools/grade-all "$SUBS" -o "$WORK/class.csv" > "$WORK/grade-all.out" 2>&1 || true
seconds=$(($(date +%s) - start))
sed 's/^/    /' "$WORK/grade-all.out"
R=$WORK/class-reports
check() {   # check NAME LABEL EXPECT-ARGS...
    local name=$1 label=$2
    shift 2
    /usr/bin/python3 tools/autograder/expect.py . "$R/$name.json" "$label" "$@" ||
        mismatches=$((mismatches + 1))
}
for r in $REGIONS; do check "wrong_$r" "a wrong $r" --lose-region "$r"; done
check full "the full solution"
check handout "the handout (stubs only)" --lose-all
for f in "$WORK"/mixed_*.planted; do
    name=$(basename "$f" .planted)
    set -- $(cat "$f")
    check "$name" "a wrong $1, $2 does not compile" --lose-region "$1" --lose-region "$2"
done
echo "The class of $n submissions took $seconds s on $(nproc) CPUs."

echo "== make grade SUBMISSION= agrees with grade-all"
make -s grade SUBMISSION="$SUBS/mixed_0" > "$WORK/make-grade.out" 2>&1 || true
cp build/grade/results.json "$WORK/make-grade.json"
/usr/bin/python3 tools/autograder/expect.py . "$WORK/make-grade.json" "make grade SUBMISSION=mixed_0" \
    --lose-region ch03_deltas --lose-region cosine_rate || mismatches=$((mismatches + 1))

echo "== The handout's own make grade scores nothing"
(cd "$WORK/handout" && /usr/bin/python3 tools/grade.py > "$WORK/handout-grade.out" 2>&1) || true
/usr/bin/python3 tools/autograder/expect.py . "$WORK/handout/build/grade/results.json" \
    "the handout's tools/grade.py" --lose-all || mismatches=$((mismatches + 1))

if [ "$mismatches" -ne 0 ]; then
    echo "test-planted.sh: $mismatches mismatches" >&2
    exit 1
fi
echo "test-planted.sh: every planted mistake cost exactly its region"
