# ch03_saturation.gp - the output error of the quadratic loss vanishes when
# the softmax saturates on the wrong class; cross-entropy's does not.
load 'figures/style.gp'
set multiplot layout 1,2 margins 0.09, 0.97, 0.16, 0.9 spacing 0.11, 0
set xlabel '$s$, the logit of the wrong class'
set xrange [-5:15]

set title 'the softmax output'
set ylabel 'probability'
set yrange [0:1.05]
set key at 14.5, 0.6 right samplen 1
plot resdir.'/saturation.dat' using 1:2 with lines ls 2 title '$f$ (wrong class)', \
     resdir.'/saturation.dat' using 1:3 with lines ls 1 title '$f$ (true class)'
@check_clip

set title 'the size of the output error'
set ylabel '$|\partial L/\partial z^{[3]}|$'
set logscale y
set format y '$10^{%L}$'
set yrange [1e-7:10]
# 'set key at' above fixed a position; start the key afresh for this panel.
set key default
set key noautotitle bottom left
plot resdir.'/saturation.dat' using 1:4 with lines ls 2 title 'quadratic loss', \
     resdir.'/saturation.dat' using 1:5 with lines ls 3 title 'cross-entropy'
@check_clip
unset multiplot
