# ch03_saturation.gp - the output error of the quadratic loss vanishes when
# the softmax saturates on the wrong class; cross-entropy's does not.
load 'figures/style.gp'
set multiplot layout 1,2 margins 0.09, 0.97, 0.16, 0.9 spacing 0.11, 0
set xlabel '$s$, the logit of the wrong class'
set xrange [-5:15]

set title 'the softmax output'
set ylabel 'probability'
# A little room below 0 and above 1, so that the plateaus are not drawn on the frame.
set yrange [-0.05:1.05]
# The key in the empty right half, between the two curves' plateaus.
set key at graph 0.97, graph 0.5 right center samplen 1
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
set key noautotitle Left reverse bottom left
plot resdir.'/saturation.dat' using 1:4 with lines ls 2 title 'quadratic loss', \
     resdir.'/saturation.dat' using 1:5 with lines ls 3 title 'cross-entropy'
@check_clip
unset multiplot
