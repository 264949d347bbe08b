#!/bin/sh
# test-check-report.sh - tools/check-report.py must refuse, naming where, a
# listing split across pages, a figure with two curves and no key, and a
# number printed with more digits than the book's convention; the page
# make-up: a page more than a third blank, a page ending on a colon whose
# listing starts the next page, a caption touching its table, and lines of
# body text too long; and tools/check-latex-log.sh an overfull line and an
# unresolved citation.  KIT_PAGES_WARN=1 makes the page make-up (and a
# display wider than the text) warnings.  CI runs this.
# Each case plants one defect in a copy of a real input, or of a small book
# whose pages are written here as pdftotext gives them.
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

# A page ending on a colon whose listing starts the next page.
printf '%s\n' 'Each product is one call to dgemm. The dense layer:' '                 22' > "$work/colon.txt"
{ printf '\f'; printf '%s\n' '                 src/lib/dense.c, lines 6-34' '  6 void dense_forward(' ' 34 }'; } \
    >> "$work/colon.txt"
expect_refused "a colon parted from its listing" "page 1 (printed 22): the page ends on a colon" \
    tools/check-report.py --pdftext "$work/colon.txt"
sed -i 's/The dense layer:/The dense layer is/' "$work/colon.txt"
tools/check-report.py --pdftext "$work/colon.txt" ||
    { echo "FAIL: a page ending on a sentence before a listing is refused"; failures=$((failures + 1)); }

# The page make-up of a small book, written as pdftotext -bbox-layout gives
# it (A4, the text from x = 85 to 482pt), from a few lines that say:
#   page [N]           a new page, with the number N printed at its foot
#   heading Y TEXT     a chapter's heading at Y (in points from the top)
#   text Y LINES CHARS LINES lines of body text from Y down, one paragraph,
#                      each running from margin to margin with CHARS characters
#   line Y X0 X1 TEXT  one line of text
# A title page and a short preface, chapter 1 (its opening, two full pages,
# the second with a table, and its last page), three pages of bibliography:
# short pages all, where a short page is allowed.
cat > "$work/book.spec" <<'SPEC'
page
line 312 151 416 Backpropagation from First Principles
page
text 400 3 70
page 1
heading 142 Chapter 1
heading 189 A chapter
text 252 38 70
page 2
text 71.5 52 70
page 3
text 71.5 20 70
line 357 85 482 Table 1.1: A table's caption, above it.
line 382 150 400 point kind starts
text 410 27 70
page 4
text 71.5 10 70
page 5
heading 145 Bibliography
text 205 5 70
page 6
text 71.5 5 70
page 7
text 71.5 5 70
SPEC
bbox() {
    awk 'function head() { printf "<page width=\"595.276\" height=\"841.89\"><flow>\n" }
         function foot() { if (pages && number != "") line(790.5, 280, 290, 14.2, number); if (pages) print "</flow></page>" }
         function line(y, x0, x1, h, t,    n, w, i, step, at) {
             n = split(t, w, " "); step = (x1 - x0) / length(t); at = x0
             printf "<block xMin=\"%s\" yMin=\"%s\" xMax=\"%s\" yMax=\"%s\">", x0, y, x1, y + h
             printf "<line xMin=\"%s\" yMin=\"%s\" xMax=\"%s\" yMax=\"%s\">", x0, y, x1, y + h
             for (i = 1; i <= n; i++) {
                 printf "<word xMin=\"%.2f\" yMin=\"%s\" xMax=\"%.2f\" yMax=\"%s\">%s</word>", \
                     at, y, at + step * length(w[i]), y + h, w[i]
                 at += step * (length(w[i]) + 1) }
             print "</line></block>" }
         BEGIN { print "<html xmlns=\"http://www.w3.org/1999/xhtml\"><body><doc>" }
         $1 == "page" { foot(); pages++; number = $2; head() }
         $1 == "heading" { t = $0; sub(/^heading [^ ]+ /, "", t); line($2, 85, 85 + 9 * length(t), 21.8, t) }
         $1 == "line" { t = $0; sub(/^line [^ ]+ [^ ]+ [^ ]+ /, "", t); line($2, $3, $4, 14.2, t) }
         $1 == "text" { printf "<block>"
             for (i = 0; i < $3; i++) {
                 y = $2 + 13.55 * i; t = substr(sprintf("%0" $4 "d", 0), 1, $4); gsub(/00000./, "words ", t)
                 printf "<line xMin=\"85\" yMin=\"%s\" xMax=\"482\" yMax=\"%s\"><word xMin=\"85\" yMin=\"%s\" xMax=\"482\" yMax=\"%s\">%s</word></line>\n", \
                     y, y + 14.2, y, y + 14.2, t }
             print "</block>" }
         END { foot(); print "</doc></body></html>" }' "$1"
}
bbox "$work/book.spec" > "$work/book.xhtml"
tools/check-report.py --bbox "$work/book.xhtml" ||
    { echo "FAIL: the small book's pages are refused"; failures=$((failures + 1)); }

# A page of chapter 1 (not its last) whose text ends half-way down.
sed 's/^text 71.5 52 70$/text 71.5 25 70/' "$work/book.spec" > "$work/blank.spec"
bbox "$work/blank.spec" > "$work/blank.xhtml"
expect_refused "a page more than a third blank" "page 4 (printed 2): more than a third of the page is blank" \
    tools/check-report.py --bbox "$work/blank.xhtml"
if ! out=$(KIT_PAGES_WARN=1 tools/check-report.py --bbox "$work/blank.xhtml" 2>&1) ||
    ! printf '%s' "$out" | grep -q "warning: page 4 (printed 2): more than a third"; then
    echo "FAIL: KIT_PAGES_WARN=1 does not make a blank page a warning: $out"; failures=$((failures + 1))
fi

# A table's first row 2pt under its caption.
sed 's/^line 382 /line 373 /' "$work/book.spec" > "$work/caption.spec"
bbox "$work/caption.spec" > "$work/caption.xhtml"
expect_refused "a caption touching its table" "page 5 (printed 3): the caption of Table 1.1 touches its table" \
    tools/check-report.py --bbox "$work/caption.xhtml"

# Lines of 83 characters.
sed -E 's/^(text [^ ]+ [^ ]+) 70$/\1 83/' "$work/book.spec" > "$work/long.spec"
bbox "$work/long.spec" > "$work/long.xhtml"
expect_refused "lines too long" "a median of 83 characters" tools/check-report.py --bbox "$work/long.xhtml"

# The LaTeX log: a line 14pt into the margin, and a citation without its
# BibTeX entry (a real log's lines, planted one at a time).
printf '%s\n' 'Overfull \hbox (14.2pt too wide) in paragraph at lines 88--91' > "$work/report.log"
expect_refused "an overfull line" "lines run into the margin" tools/check-latex-log.sh "$work/report.log"
printf '%s\n' "LaTeX Warning: Citation \`nielsen2015' on page 12 undefined on input line 40." \
    > "$work/report.log"
expect_refused "an unresolved citation" "undefined references" tools/check-latex-log.sh "$work/report.log"
# KIT_PAGES_WARN=1: a display 20pt wide of the text is a warning naming
# its page, a paragraph's line in the margin still an error.
printf '%s\n' 'Overfull \hbox (20.0pt too wide) detected at line 55' '[]\OML/lmm/m/it/10.95 a' ' [46]' \
    > "$work/report.log"
expect_refused "an overfull display" "lines run into the margin" tools/check-latex-log.sh "$work/report.log"
if ! out=$(KIT_PAGES_WARN=1 tools/check-latex-log.sh "$work/report.log" 2>&1) ||
    ! printf '%s' "$out" | grep -q "warning: around printed page 46: .*a display runs into the margin"; then
    echo "FAIL: KIT_PAGES_WARN=1 does not make a wide display a warning: $out"; failures=$((failures + 1))
fi
printf '%s\n' 'Overfull \hbox (14.2pt too wide) in paragraph at lines 88--91' > "$work/report.log"
expect_refused "an overfull line under KIT_PAGES_WARN=1" "lines run into the margin" \
    env KIT_PAGES_WARN=1 tools/check-latex-log.sh "$work/report.log"
printf '%s\n' 'Overfull \hbox (0.6pt too wide) in paragraph at lines 88--91' > "$work/report.log"
tools/check-latex-log.sh "$work/report.log" > /dev/null 2>&1 ||
    { echo "FAIL: a line 0.6pt over (within the 1pt allowed) is refused"; failures=$((failures + 1)); }

[ "$failures" -eq 0 ] && echo "test-check-report.sh: every planted defect was refused"
exit "$failures"
