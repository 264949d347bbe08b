# ch07_task2.gp - the problem set's Task 2: test accuracy (the mean over
# the seeds, with the band from the lowest to the highest run) and mean
# training loss per epoch, for the plain and the residual network, and for
# the deep network without and with skips.
load 'figures/style.gp'
set multiplot layout 1,2 margins 0.09, 0.97, 0.16, 0.9 spacing 0.1, 0
set xlabel 'epoch'
set style fill transparent solid 0.18 noborder
set title 'test accuracy'
set ylabel 'accuracy (\%)'
set yrange [0:100]
unset key
plot resdir.'/task2_plain.dat' using 1:(100*$3):(100*$4) with filledcurves ls 1 notitle, \
     resdir.'/task2_residual.dat' using 1:(100*$3):(100*$4) with filledcurves ls 2 notitle, \
     resdir.'/task2_deep_plain.dat' using 1:(100*$3):(100*$4) with filledcurves ls 3 notitle, \
     resdir.'/task2_deep_residual.dat' using 1:(100*$3):(100*$4) with filledcurves ls 4 notitle, \
     resdir.'/task2_plain.dat' using 1:(100*$2) with lines ls 1, \
     resdir.'/task2_residual.dat' using 1:(100*$2) with lines ls 2, \
     resdir.'/task2_plain_high.dat' using 1:(100*$2) with lines ls 1 dt 3, \
     resdir.'/task2_deep_plain.dat' using 1:(100*$2) with lines ls 3, \
     resdir.'/task2_deep_residual.dat' using 1:(100*$2) with lines ls 4
@check_clip
set title 'training loss (mean over the seeds)'
set ylabel 'cross-entropy'
set logscale y
set format y '$10^{%L}$'
set yrange [1e-4:1e6]
set ytics 1e-4, 100
set key top left samplen 2
plot resdir.'/task2_plain.dat' using 1:5 with lines ls 1 title 'plain', \
     resdir.'/task2_residual.dat' using 1:5 with lines ls 2 title 'residual', \
     resdir.'/task2_plain_high.dat' using 1:5 with lines ls 1 dt 3 title 'plain, $\lr = 1$', \
     resdir.'/task2_deep_plain.dat' using 1:5 with lines ls 3 title 'deep, plain', \
     resdir.'/task2_deep_residual.dat' using 1:5 with lines ls 4 title 'deep, skips'
@check_clip
unset multiplot
