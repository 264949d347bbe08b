# ch05_pytorch.gp - the C network against PyTorch from the same start in
# the same order: the loss of every step, and the test accuracy per epoch.
load 'figures/style.gp'
set multiplot layout 1,2 margins 0.09, 0.97, 0.16, 0.9 spacing 0.1, 0
set title 'loss of each of the first 1,000 steps'
set xlabel 'step'
set ylabel 'loss'
set logscale y
set key top right
plot resdir.'/pytorch_steps.dat' using 1:2 with points pt 7 ps 0.25 lc rgb '#1f77b4' title 'C', \
     resdir.'/pytorch_steps.dat' using 1:3 with points pt 6 ps 0.5 lc rgb '#d62728' title 'PyTorch'
unset logscale y
set title 'test accuracy'
set xlabel 'epoch'
set ylabel 'accuracy (%)'
set yrange [60:100]
set key bottom right
plot resdir.'/pytorch_same.dat' using 1:(100*$2) with lines ls 1 title 'C', \
     resdir.'/pytorch_same.dat' using 1:(100*$3) with lines ls 2 dt 2 title 'PyTorch'
unset multiplot
