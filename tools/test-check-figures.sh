#!/bin/sh
# test-check-figures.sh - a figure whose data fall outside its axes must
# stop the build (@check_clip, figures/style.gp), naming the figure, the
# panel and the value, and so must figure text that prints under 7 pt
# (tools/check-figures.py --log); CI runs this.  Each case plants a small figure
# script and its data in a temporary folder and draws it as the Makefile
# does; the last ones plant a script in figures/ and run make's own rule,
# which must fail and leave no figure behind: for data outside the axes,
# and for a figure gnuplot could not write (empty or cut short, as on a
# full disk).
set -eu
cd "$(dirname "$0")/.."
kit=$(pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/check-figures-test.XXXXXX")
planted=figures/ch01_zz_planted_clip.gp
trap 'rm -rf "$work"; rm -f "$kit/$planted" "$kit/build/figures/ch01_zz_planted_clip".*' EXIT
. tools/refusals.sh

mkdir -p "$work/figures" "$work/res"
cp figures/style.gp figures/check-clip.awk "$work/figures/"
# x, y, a second y; y reaches 40 at x = 3, and 0 at x = 4.
printf '# x y z\n1 1 5\n2 5 6\n3 40 7\n4 0 8\n' > "$work/res/small.dat"

# plant NAME: the figure script figures/NAME.gp, from standard input.
plant() { cat > "$work/figures/$1.gp"; }
# draw NAME: gnuplot as the Makefile's figure rule runs it.
draw() { gnuplot -e "resdir='res'; out='$1.tmp.tex'" "figures/$1.gp"; }
REFUSED_IN=$work

plant clip_max <<'EOF'
load 'figures/style.gp'
set yrange [0:10]
plot resdir.'/small.dat' using 1:2 with lines
@check_clip
EOF
expect_refused "a point above the axis" \
    "error: clip_max: panel 1: data y up to 40 beyond the axis maximum 10" draw clip_max

plant clip_panel <<'EOF'
load 'figures/style.gp'
set multiplot layout 1,2
plot resdir.'/small.dat' using 1:2 with lines
@check_clip
set xrange [2:5]
plot resdir.'/small.dat' using 1:3 with lines
@check_clip
unset multiplot
EOF
expect_refused "a point left of the second panel's axis" \
    "error: clip_panel: panel 2: data x down to 1 below the axis minimum 2" draw clip_panel

plant clip_log <<'EOF'
load 'figures/style.gp'
set logscale y
set format y '$10^{%L}$'
set yrange [0.1:100]
plot resdir.'/small.dat' using 1:2 with lines
@check_clip
EOF
expect_refused "a zero on a log axis" \
    "error: clip_log: panel 1: data y down to 0 below the axis minimum 0.1" draw clip_log

plant clip_band <<'EOF'
load 'figures/style.gp'
set yrange [0:20]
plot resdir.'/small.dat' using 1:3:2 with filledcurves
@check_clip
EOF
expect_refused "a band's edge above the axis" \
    "error: clip_band: panel 1: data y up to 40 beyond the axis maximum 20" draw clip_band

plant clip_function <<'EOF'
load 'figures/style.gp'
set xrange [0:5]
set yrange [0:10]
plot resdir.'/small.dat' using 1:3 with lines, 3 * x with lines
@check_clip
EOF
expect_refused "a function run off the axes" \
    "error: clip_function: panel 1: data y up to 15 beyond the axis maximum 10" draw clip_function

# What the rule allows: a point made NaN on purpose, a function sampled only
# where it lies inside, data on the very edge of a range.
plant holds <<'EOF'
load 'figures/style.gp'
set xrange [1:4]
set yrange [0:8]
plot resdir.'/small.dat' using 1:($2 > 10 ? NaN : $2) with lines, \
     '' using 1:3 with points, \
     [1:2.5] 3 * x with lines
@check_clip
EOF
if ! out=$(cd "$work" && draw holds 2>&1) || [ ! -s "$work/holds.tmp.tex" ]; then
    printf 'FAIL: a figure that holds its data was refused: %s\n' "$out"
    failures=$((failures + 1))
else
    echo "ok: a figure that holds its data is drawn"
fi

# A plot without the check after it is refused before gnuplot runs.
plant unchecked <<'EOF'
load 'figures/style.gp'
plot resdir.'/small.dat' using 1:2 with lines
EOF
expect_refused "a plot without @check_clip" \
    "unchecked.gp:2: a plot not followed by @check_clip" "$kit/tools/check-figures.py" --scripts figures/unchecked.gp

# Text under 7 pt in print: a diagram of 9 pt text shrunk to 0.71 of its
# size (Figure 5.2 before it was redrawn), as kit.sty logs it.
mkdir -p "$work/report/diagrams"
cp report/report.tex "$work/report/"
printf '%s\n' '\begin{tikzpicture}\node[font=\footnotesize] {wide};\end{tikzpicture}' \
    > "$work/report/diagrams/wide.tex"
echo 'kit-figure: report/diagrams/wide.tex scale 707 size 10.95' > "$work/report.log"
expect_refused "a diagram whose text prints at 6.4 pt" \
    "report/diagrams/wide.tex: 9 pt text printed at 0.71 of its size is 6.4 pt in print, under 7 pt" \
    "$kit/tools/check-figures.py" --log report.log

# make's own rule: the figure fails and nothing is renamed into place.
cat > "$planted" <<EOF
load 'figures/style.gp'
set yrange [0:10]
plot '$work/res/small.dat' using 1:2 with lines
@check_clip
EOF
REFUSED_IN=.
expect_refused "a clipping figure under make" \
    "error: ch01_zz_planted_clip: panel 1: data y up to 40 beyond the axis maximum 10" \
    make --no-print-directory build/figures/ch01_zz_planted_clip.tex
if ls build/figures/ch01_zz_planted_clip.* > /dev/null 2>&1; then
    echo "FAIL: make left a file of the refused figure in build/figures"
    failures=$((failures + 1))
else
    echo "ok: make left nothing of the refused figure"
fi

# A figure gnuplot could not write (a full disk: it exits 0 and leaves
# empty files) is refused by make's rule, naming the figure, and nothing is
# renamed into place.  A gnuplot first in PATH stands in for it: it writes
# OUT.tex and OUT.pdf empty, or OUT.tex cut short beside a whole PDF.
planted_empty=figures/ch01_zz_planted_empty.gp
trap 'rm -rf "$work"; rm -f "$kit/$planted" "$kit/build/figures/ch01_zz_planted_clip".* \
      "$kit/$planted_empty" "$kit/build/figures/ch01_zz_planted_empty".*' EXIT
cat > "$planted_empty" <<EOF
load 'figures/style.gp'
plot '$work/res/small.dat' using 1:2 with lines
@check_clip
EOF
mkdir -p "$work/shim"
cat > "$work/shim/gnuplot" <<'EOF'
#!/bin/sh
out=$(expr "$2" : ".*out='\([^']*\)'")
if [ "${SHIM_CUT:-}" ]; then
    cp build/figures/ch01_slices.pdf "${out%.tex}.pdf" && head -n 5 build/figures/ch01_slices.tex > "$out"
else
    : > "$out" && : > "${out%.tex}.pdf"
fi
EOF
chmod +x "$work/shim/gnuplot"
expect_refused "a figure gnuplot wrote empty (a full disk)" \
    "error: build/figures/ch01_zz_planted_empty.tex: gnuplot wrote an empty build/figures/ch01_zz_planted_empty.tmp.pdf (is the disk full?)" \
    env PATH="$work/shim:$PATH" make --no-print-directory build/figures/ch01_zz_planted_empty.tex
expect_refused "a figure whose text gnuplot cut short" \
    "error: build/figures/ch01_zz_planted_empty.tex: build/figures/ch01_zz_planted_empty.tmp.new is cut short" \
    env SHIM_CUT=1 PATH="$work/shim:$PATH" make --no-print-directory build/figures/ch01_zz_planted_empty.tex
if ls build/figures/ch01_zz_planted_empty.* > /dev/null 2>&1; then
    echo "FAIL: make left a file of the figure gnuplot could not write in build/figures"
    failures=$((failures + 1))
else
    echo "ok: make left nothing of the figure gnuplot could not write"
fi

[ "$failures" -eq 0 ]
