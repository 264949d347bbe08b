# ch07_gradnorms.gp - the norm of each layer's weight gradient in deep
# sigmoid networks of width 64, without skips (solid) and with identity
# skips (dashed), at the start and after the mini-batch steps.
load 'figures/style.gp'
set multiplot layout 1,2 margins 0.14, 0.97, 0.16, 0.9 spacing 0.06, 0
set xlabel 'layer $\layer$'
set logscale y
set format y '$10^{%L}$'
set yrange [1e-33:1e3]
set ytics 1e-30, 1e5
set xrange [0:52]
set title 'at the start'
set ylabel '$|\partial \loss/\partial W^{[\layer]}|$'
set key bottom right maxrows 3 samplen 2.5
plot resdir.'/gradnorm_d10_plain.dat' using 1:2 with linespoints ls 1 pt 7 ps 0.3 title 'depth 10', \
     resdir.'/gradnorm_d20_plain.dat' using 1:2 with linespoints ls 3 pt 7 ps 0.3 title 'depth 20', \
     resdir.'/gradnorm_d50_plain.dat' using 1:2 with linespoints ls 2 pt 7 ps 0.3 title 'depth 50', \
     resdir.'/gradnorm_d10_skip.dat' using 1:2 with lines ls 1 dt 2 notitle, \
     resdir.'/gradnorm_d20_skip.dat' using 1:2 with lines ls 3 dt 2 notitle, \
     resdir.'/gradnorm_d50_skip.dat' using 1:2 with lines ls 2 dt 2 notitle
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
unset multiplot
