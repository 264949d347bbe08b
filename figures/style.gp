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

# ---------------------------------------------------------------------------
# Every figure holds its data.  A script writes
#     @check_clip
# after each plot command (after each panel's plot in a multiplot), and the
# build stops there with
#     error: FIGURE: panel N: data y up to V beyond the axis maximum M (curve K)
# when a point of that panel lies outside the axes, which gnuplot would cut
# off without a word.  tools/check-figures.py refuses a script with a plot
# the check does not follow.
#
# How: the panel is plotted again into a table (set table; replot), which
# lists every point of every curve as gnuplot computed it, and
# figures/check-clip.awk compares each with the axes as drawn (GPVAL_X_MIN,
# GPVAL_X_MAX, GPVAL_Y_MIN, GPVAL_Y_MAX).  gnuplot's own GPVAL_DATA_* cannot
# serve: on a fixed range they leave out the very points that fall outside.
#
# The rule, for every curve of the panel (files, datablocks, '+' and
# functions alike; on the x and y axes, which are the only ones the kit's
# figures use):
#   - a range is chosen from the data (stats, autoscale, or limits known to
#     hold them), never so tight that it cuts a point, a band or a bar off;
#   - a point hidden on purpose is made NaN in the using spec
#     (($2 > 0 ? $2 : NaN)), and is not checked;
#   - on a log axis a value <= 0 cannot be drawn: it is reported, as below
#     the minimum, unless the script makes it NaN;
#   - a function or reference line meant to run across the panel is given
#     the sampling range over which it stays inside the axes, plot [t0:t1]
#     f(x) for that curve, rather than left for gnuplot to clip;
#   - set label, set arrow and set object draw no data and are not
#     checked (a plot `with labels` is: its positions).
kit_panel = 0
# The table prints x and y in the axes' tick formats ('$10^{%L}$' would
# leave only the exponent): the formats are saved (save set), replaced by
# '%.10g' for the table, and set again.
check_clip = "kit_panel = kit_panel + 1; kit_figure = kit_name(ARG0); kit_table = out.'.clip'; " . \
    "kit_xa = GPVAL_X_MIN; kit_xb = GPVAL_X_MAX; kit_ya = GPVAL_Y_MIN; kit_yb = GPVAL_Y_MAX; " . \
    "save set kit_table; kit_formats = system(\"grep '^set format [xy] ' '\".kit_table.\"' | tr '\\n' ';'\"); " . \
    "set format x '%.10g'; set format y '%.10g'; set table kit_table; replot; unset table; eval kit_formats; " . \
    "kit_clip = system(sprintf(\"awk -v figure='%s' -v panel=%d -v xa=%.17g -v xb=%.17g -v ya=%.17g -v yb=%.17g \" . " . \
    "\"-f figures/check-clip.awk '%s'; rm -f '%s'\", kit_figure, kit_panel, kit_xa, kit_xb, kit_ya, kit_yb, kit_table, kit_table)); " . \
    "if (strlen(kit_clip) > 0) { print kit_clip; exit status 1 }"
# The figure's name in the messages: its script's, without folder and .gp.
kit_base(p) = strstrt(p, '/') ? kit_base(p[strstrt(p, '/') + 1:]) : p
kit_name(p) = kit_base(p)[strlen(kit_base(p)) - 2:] eq '.gp' ? kit_base(p)[1:strlen(kit_base(p)) - 3] : kit_base(p)
