#!/bin/sh
# test-check-report.sh - tools/check-report.py must refuse, naming where, a
# listing split across pages, a figure with two curves and no key, and a
# number printed with more digits than the book's convention; and
# tools/check-latex-log.sh an overfull line and an unresolved citation.
# CI runs this.
# Each case plants one defect in a copy of a real input.
set -eu
cd "$(dirname "$0")/.."
work=$(mktemp -d "${TMPDIR:-/tmp}/check-report-test.XXXXXX")
trap 'rm -rf "$work"' EXIT
. tools/refusals.sh


# A listing whose last line (27) is on the next page.
printf '%s\n' 'Some text.' '                 src/lib/dense.c, lines 5-27' '  5 void dense_forward(' \
    ' 20     for (int r = 0; r < rows; r++)' > "$work/pages.txt"
printf '\f%s\n' ' 27 }' 'More text.' >> "$work/pages.txt"
expect_refused "a listing split across pages" "page 1: the listing of src/lib/dense.c, lines 5-27" \
    tools/check-report.py --pdftext "$work/pages.txt"
printf '%s\n' '                 src/lib/dense.c, lines 5-27' '  5 void dense_forward(' ' 27 }' \
    > "$work/whole.txt"
tools/check-report.py --pdftext "$work/whole.txt" || { echo "FAIL: a whole listing is refused"; failures=$((failures + 1)); }

# A figure with two curves, neither titled.
mkdir -p "$work/figures"
cp figures/ch08_schedules.gp "$work/figures/"
sed -i -E 's/ title [^,]*(,|$)/ notitle\1/' "$work/figures/ch08_schedules.gp"
expect_refused "a figure with no key" "ch08_schedules.gp: " tools/check-report.py --figures "$work/figures"
tools/check-report.py --figures figures || { echo "FAIL: the kit's figures are refused"; failures=$((failures + 1)); }

# A number with six significant digits.
printf '%s\n' '\kitnumber{ch09.test}{2000}' '\kitnumber{ch09.ece.minibatch}{0.004917}' \
    '\kitnumber{ch09.accuracy}{94.4021}' > "$work/numbers.tex"
expect_refused "a number with six digits" "ch09.accuracy = 94.4021 has 6 significant digits" \
    tools/check-report.py "$work/numbers.tex"

# The LaTeX log: a line 14pt into the margin, and a citation without its
# BibTeX entry (a real log's lines, planted one at a time).
printf '%s\n' 'Overfull \hbox (14.2pt too wide) in paragraph at lines 88--91' > "$work/report.log"
expect_refused "an overfull line" "lines run into the margin" tools/check-latex-log.sh "$work/report.log"
printf '%s\n' "LaTeX Warning: Citation \`nielsen2015' on page 12 undefined on input line 40." \
    > "$work/report.log"
expect_refused "an unresolved citation" "undefined references" tools/check-latex-log.sh "$work/report.log"
printf '%s\n' 'Overfull \hbox (0.6pt too wide) in paragraph at lines 88--91' > "$work/report.log"
tools/check-latex-log.sh "$work/report.log" > /dev/null 2>&1 ||
    { echo "FAIL: a line 0.6pt over (within the 1pt allowed) is refused"; failures=$((failures + 1)); }

[ "$failures" -eq 0 ] && echo "test-check-report.sh: every planted defect was refused"
exit "$failures"
