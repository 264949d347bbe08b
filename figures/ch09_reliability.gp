# ch09_reliability.gp - reliability diagrams: in each bin of confidence,
# the accuracy (bars) against the mean confidence (the diagonal is perfect
# calibration), for the mini-batch and the per-sample network.
load 'figures/style.gp'
set multiplot layout 1,2 margins 0.1, 0.97, 0.16, 0.9 spacing 0.08, 0
set xrange [0:1]
set yrange [0:1]
set xlabel 'confidence'
set style fill solid 0.5 border lc rgb '#1f77b4'
set boxwidth 0.09
ece(name) = system("sed -n 's/.*{ch09.ece.".name."}{\\([0-9.]*\\)}.*/\\1/p' ".resdir."/numbers.tex")
set title 'mini-batches, ECE = '.ece('minibatch')
set ylabel 'accuracy'
set key top left samplen 2
plot resdir.'/reliability_minibatch.dat' using 1:4 with boxes ls 1 title 'accuracy in the bin', \
     '' using 1:3 with points ls 2 pt 7 ps 0.6 title 'mean confidence', \
     x with lines ls 9 dt 2 title 'perfect calibration'
@check_clip
set title 'per sample, ECE = '.ece('persample')
unset ylabel
set format y ''
unset key
plot resdir.'/reliability_persample.dat' using 1:4 with boxes ls 1, \
     '' using 1:3 with points ls 2 pt 7 ps 0.6, \
     x with lines ls 9 dt 2
@check_clip
unset multiplot
