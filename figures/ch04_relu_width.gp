# ch04_relu_width.gp - the ReLU network against its width H: test accuracy
# (left) and test log-loss (right), fitted by gradient descent and built by
# hand (the interpolant construction), with the product-unit network and
# the Bayes rule for reference.
load 'figures/style.gp'
set multiplot layout 1,2 margins 0.1, 0.97, 0.15, 0.92 spacing 0.12, 0
set logscale x 2
set xrange [1.6:40]
set xtics (2, 4, 8, 16, 32)
set xlabel 'ReLU units $H$'

set title 'test accuracy'
set autoscale y
set offsets 0, 0, graph 0.05, graph 0.05
set ytics 0.05 format '$%.2f$'
plot resdir.'/relu_sweep.dat' using 1:8 with lines lc rgb '#000000' lw 1, \
     '' using 1:2 with linespoints ls 1 pt 7 ps 0.6, \
     '' using 1:5 with linespoints ls 2 pt 5 ps 0.5 dt 2, \
     '' using 1:10 with lines ls 3 lw 2.4 dt 4
@check_clip

set title 'test log-loss (nats)'
set key top right spacing 1.2 samplen 2.5
plot resdir.'/relu_sweep.dat' using 1:9 with lines lc rgb '#000000' lw 1 title 'Bayes rule', \
     '' using 1:3 with linespoints ls 1 pt 7 ps 0.6 title 'ReLU, fitted', \
     '' using 1:6 with linespoints ls 2 pt 5 ps 0.5 dt 2 title 'ReLU, built by hand', \
     '' using 1:11 with lines ls 3 lw 2.4 dt 4 title 'product unit, fitted'
@check_clip
unset multiplot
