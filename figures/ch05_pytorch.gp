# ch05_pytorch.gp - the C network against PyTorch from the same start in
# the same order: the loss of every step, and the test accuracy per epoch.
load 'figures/style.gp'
set multiplot layout 1,2 margins 0.09, 0.97, 0.16, 0.9 spacing 0.12, 0
set title 'loss of each step'
set xlabel 'step'
set ylabel 'loss'
set logscale y
set xtics 250
# The key in the empty lower left corner: the losses reach the top right.
set key bottom left
# PyTorch's losses as open circles, the C network's as dots drawn over
# them: where the two agree, each circle has its dot.
plot resdir.'/pytorch_steps.dat' using 1:3 with points ls 2 pt 6 ps 0.6 title 'PyTorch', \
     resdir.'/pytorch_steps.dat' using 1:2 with points ls 1 pt 7 ps 0.25 title 'C'
@check_clip
unset logscale y
set xtics autofreq
set title 'test accuracy'
set xlabel 'epoch'
set ylabel 'accuracy (\%)'
set yrange [40:100]
set key bottom right
plot resdir.'/pytorch_same.dat' using 1:(100*$2) with lines ls 1 title 'C', \
     resdir.'/pytorch_same.dat' using 1:(100*$3) with lines ls 2 dt 2 title 'PyTorch'
@check_clip
unset multiplot
