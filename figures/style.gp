# style.gp - the look shared by every figure.  Loaded by each
# figures/chNN_*.gp, which make runs as
#     gnuplot -e "resdir='build/results/chNN'; out='build/figures/NAME.tex'" figures/NAME.gp
#
# The terminal is cairolatex: gnuplot draws the lines, points and images
# into NAME.pdf and leaves every piece of text to LaTeX, in NAME.tex, which
# the report \inputs.  So the labels are LaTeX ('$\eta$', '\%') and are set
# in the book's own fonts at the size of the captions.  With standalone=1
# (the README's PNG) NAME.tex is a whole document instead, its text at the
# same 9 points.
#
# A figure is drawn at its printed size, set before this file is loaded:
# figwidth (cm, default 14: the text's width) and figheight (cm).
if (!exists('figwidth')) figwidth = 14
if (!exists('figheight')) figheight = 8.75
if (!exists('standalone')) standalone = 0
if (standalone) {
    set terminal cairolatex pdf standalone color colortext size figwidth cm, figheight cm \
        font ',9' linewidth 1.5 \
        header '\usepackage[T1]{fontenc}\usepackage{lmodern}\usepackage{amsmath}\AtBeginDocument{\small}'
} else {
    set terminal cairolatex pdf input color colortext size figwidth cm, figheight cm \
        font ',9' linewidth 1.5
}
set output out
set border lw 0.8
set grid lc rgb '#dddddd' lw 0.6
# Keys: the sample first and the text after it, set flush left, so that a
# label LaTeX sets narrower or wider than gnuplot guessed cannot run into
# its line.
set key noautotitle Left reverse
set style line 1 lc rgb '#1f77b4' lw 2
set style line 2 lc rgb '#d62728' lw 2
set style line 3 lc rgb '#2ca02c' lw 2
set style line 4 lc rgb '#9467bd' lw 2
set style line 5 lc rgb '#ff7f0e' lw 2
set style line 9 lc rgb '#000000' lw 1 pt 7 ps 0.8
