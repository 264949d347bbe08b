# ch07_gradnorms.gp - the norm of each layer's weight gradient in deep
# sigmoid networks of width 64, without skips (solid) and with identity
# skips (dashed), at the start and after the mini-batch steps.
load 'figures/style.gp'
set multiplot layout 1,2 margins 0.14, 0.97, 0.16, 0.9 spacing 0.06, 0
set xlabel 'layer $\layer$'
set logscale y
set format y '$10^{%L}$'
# Both panels share the y axis, in whole decades around every norm of
# every run (stats before any range is set: it counts only points inside
# one); a tick every five decades, at multiples of five; x from 0 to one
# past the deepest network's output layer.
lo = 1e300
hi = 0
last = 0
do for [run in 'd10_plain d20_plain d50_plain d10_skip d20_skip d50_skip'] {
    stats resdir.'/gradnorm_'.run.'.dat' using ($2 < $3 ? $2 : $3):($2 > $3 ? $2 : $3) nooutput
    lo = STATS_min_x < lo ? STATS_min_x : lo
    hi = STATS_max_y > hi ? STATS_max_y : hi
    stats resdir.'/gradnorm_'.run.'.dat' using 1 nooutput
    last = STATS_max > last ? STATS_max : last
}
set yrange [10**floor(log10(lo)):10**ceil(log10(hi))]
set ytics 10**(5 * ceil(log10(lo) / 5)), 1e5
set xrange [0:last + 1]
set title 'at the start'
set ylabel '$|\partial \loss/\partial W^{[\layer]}|$'
set key bottom right maxrows 3 samplen 2.5
plot resdir.'/gradnorm_d10_plain.dat' using 1:2 with linespoints ls 1 pt 7 ps 0.3 title 'depth 10', \
     resdir.'/gradnorm_d20_plain.dat' using 1:2 with linespoints ls 3 pt 7 ps 0.3 title 'depth 20', \
     resdir.'/gradnorm_d50_plain.dat' using 1:2 with linespoints ls 2 pt 7 ps 0.3 title 'depth 50', \
     resdir.'/gradnorm_d10_skip.dat' using 1:2 with lines ls 1 dt 2 notitle, \
     resdir.'/gradnorm_d20_skip.dat' using 1:2 with lines ls 3 dt 2 notitle, \
     resdir.'/gradnorm_d50_skip.dat' using 1:2 with lines ls 2 dt 2 notitle
@check_clip
set title 'after the training steps'
unset ylabel
set format y ''
set key bottom right maxrows 2
plot resdir.'/gradnorm_d50_plain.dat' using 1:3 with lines ls 9 lw 1.5 title 'plain', \
     resdir.'/gradnorm_d50_skip.dat' using 1:3 with lines ls 9 lw 1.5 dt 2 title 'identity skips', \
     resdir.'/gradnorm_d10_plain.dat' using 1:3 with linespoints ls 1 pt 7 ps 0.3 notitle, \
     resdir.'/gradnorm_d20_plain.dat' using 1:3 with linespoints ls 3 pt 7 ps 0.3 notitle, \
     resdir.'/gradnorm_d50_plain.dat' using 1:3 with linespoints ls 2 pt 7 ps 0.3 notitle, \
     resdir.'/gradnorm_d10_skip.dat' using 1:3 with lines ls 1 dt 2 notitle, \
     resdir.'/gradnorm_d20_skip.dat' using 1:3 with lines ls 3 dt 2 notitle, \
     resdir.'/gradnorm_d50_skip.dat' using 1:3 with lines ls 2 dt 2 notitle
@check_clip
unset multiplot
