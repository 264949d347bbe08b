#!/bin/sh
# test-editions.sh - the book's two editions hold what they should; CI runs
# this after make, make guide and make handout.
#
#   1. the book make built in the course's kit (build/report.pdf), which
#      the handout ships, holds no line of a region's solution;
#   2. the instructor's guide (build/guide.pdf) does hold them, and the
#      answers to the exercises;
#   3. the handout, unpacked on its own and built with its own make, gives
#      a book without any solution line and without the guide's answers;
#   4. tools/check-guide.py refuses an exercise without an answer.
#
# The PDFs' text comes from pdftotext; spaces do not count (a listing
# reflows), as in tools/handout-check.py's check (d).
set -eu
cd "$(dirname "$0")/.."
work=$(mktemp -d "${TMPDIR:-/tmp}/editions-test.XXXXXX")
trap 'rm -rf "$work"' EXIT

# solution_lines_in PDF: how many solution lines the PDF's text holds.
solution_lines_in() {
    pdftotext "$1" "$work/text.txt"
    /usr/bin/python3 -c '
import sys
sys.path.insert(0, "tools")
import regions
with open(sys.argv[1], encoding="utf-8") as fp:
    print(len(regions.leaks({"pdf": fp.read()})))' "$work/text.txt"
}

fail=0
n=$(solution_lines_in build/report.pdf)
if [ "$n" -eq 0 ]; then echo "ok: build/report.pdf (the student's edition) holds no solution line"
else echo "FAIL: build/report.pdf holds $n solution lines"; fail=1; fi

n=$(solution_lines_in build/guide.pdf)
if [ "$n" -gt 0 ]; then echo "ok: build/guide.pdf shows the solutions ($n solution lines)"
else echo "FAIL: build/guide.pdf shows no solution"; fail=1; fi
if pdftotext build/guide.pdf - | grep -q "Answers to the exercises"; then
    echo "ok: build/guide.pdf holds the answers to the exercises"
else echo "FAIL: build/guide.pdf has no answers"; fail=1; fi
if pdftotext build/report.pdf - | grep -q "Answers to the exercises"; then
    echo "FAIL: build/report.pdf holds the guide's answers"; fail=1
else echo "ok: build/report.pdf holds no answers"; fi

tar -xzf build/handout.tar.gz -C "$work"
if make -C "$work/handout" -s --no-print-directory report > "$work/make.log" 2>&1; then
    n=$(solution_lines_in "$work/handout/build/report.pdf")
    if [ "$n" -eq 0 ]; then echo "ok: the handout's own make builds a book without any solution line"
    else echo "FAIL: the handout's book holds $n solution lines"; fail=1; fi
    if pdftotext "$work/handout/build/report.pdf" - | grep -q "Answers to the exercises"; then
        echo "FAIL: the handout's book holds the guide's answers"; fail=1
    fi
else
    tail -30 "$work/make.log"
    echo "FAIL: make report in the unpacked handout failed"; fail=1
fi
mkdir -p "$work/guidecheck"
cp -R chapters guide "$work/guidecheck/"
sed -i '0,/\\begin{exercises}/s//\\begin{exercises}\n  \\item\\label{ex:ch01-planted} A planted exercise./' \
    "$work/guidecheck/chapters/ch01_critical_points.tex"
if tools/check-guide.py "$work/guidecheck" > "$work/guide.out" 2>&1; then
    echo "FAIL: check-guide.py accepts an exercise without an answer"; fail=1
elif grep -q "exercise ex:ch01-planted has no answer" "$work/guide.out"; then
    echo "ok: $(head -1 "$work/guide.out")"
else
    cat "$work/guide.out"; echo "FAIL: check-guide.py refused, but not naming the exercise"; fail=1
fi
exit $fail
