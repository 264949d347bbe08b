#!/bin/sh
# make-autograder.sh [OUT.zip] - the Gradescope autograder (default
# build/autograder.zip), from the kit's root.
#
# The zip holds, at its top level, setup.sh and run_autograder (from
# tools/autograder/) and kit/: the REFERENCE kit, with the course's
# solutions (tools/regions.py reference), because every region is graded
# with the reference's code in place of the others (tools/isolation.py).
# It is for Gradescope only: never give it to students.  On Gradescope the
# kit is closed to the user the submissions' tests run as (setup.sh,
# tools/sandbox.py).  Upload it as the assignment's autograder ("Zip file
# upload"); tools/simulate-autograder.sh tries it locally.
set -eu

OUT=${1:-build/autograder.zip}
[ $# -le 1 ] || { echo "usage: tools/make-autograder.sh [OUT.zip]" >&2; exit 2; }
if [ ! -f grading/regions.txt ] || [ ! -f tools/autograder/run_autograder ]; then
    echo "make-autograder.sh: run it from the kit's root (no grading/regions.txt or" \
         "tools/autograder/run_autograder in $(pwd))" >&2
    exit 2
fi
case "$OUT" in
*.zip) ;;
*) echo "make-autograder.sh: $OUT: the output must end in .zip" >&2; exit 2 ;;
esac

STAGE=$(mktemp -d "${TMPDIR:-/tmp}/autograder.XXXXXX")
trap 'rm -rf "$STAGE"' EXIT

tools/regions.py reference "$STAGE/kit"
cp tools/autograder/setup.sh tools/autograder/run_autograder "$STAGE/"
chmod +x "$STAGE/setup.sh" "$STAGE/run_autograder"

mkdir -p "$(dirname "$OUT")"
OUT_ABS=$(cd "$(dirname "$OUT")" && pwd)/$(basename "$OUT")
# Written under a temporary name and renamed when whole: an interrupted
# run leaves the last autograder or none, never a truncated zip.
rm -f "$OUT_ABS.tmp"
(cd "$STAGE" && /usr/bin/python3 -m zipfile -c "$OUT_ABS.tmp" setup.sh run_autograder kit)
mv -f "$OUT_ABS.tmp" "$OUT_ABS"
echo "The autograder is $OUT ($(du -k "$OUT" | cut -f1) kB): upload it to Gradescope."
echo "It holds the solutions: do not give it to students."
