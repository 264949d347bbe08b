# ch05_persample.gp - the original setup: per-sample SGD on the first training images.
load 'figures/style.gp'
set multiplot layout 1,2 margins 0.09, 0.97, 0.16, 0.9 spacing 0.1, 0
set xlabel 'epoch'
set title 'accuracy'
set ylabel 'accuracy (\%)'
set yrange [40:100]
set key bottom right
plot resdir.'/persample.dat' using 1:(100*$3) with lines ls 1 title 'training', \
     resdir.'/persample.dat' using 1:(100*$5) with lines ls 2 title 'test'
@check_clip
set title 'cross-entropy loss'
set ylabel 'loss'
set yrange [0:*]
set key top right
plot resdir.'/persample.dat' using 1:2 with lines ls 1 title 'training', \
     resdir.'/persample.dat' using 1:4 with lines ls 2 title 'test'
@check_clip
unset multiplot
