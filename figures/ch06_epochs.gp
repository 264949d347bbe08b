# ch06_epochs.gp - left: chapter 05's network on digits with noisy labels,
# error per epoch on the training set, the validation set (both noisy) and
# the clean test set, with the epoch early stopping keeps; right: gradient
# descent on a quadratic with a rate just below and just above 2/s_max.
load 'figures/style.gp'
set multiplot layout 1,2 margins 0.09, 0.97, 0.16, 0.9 spacing 0.1, 0
set title 'noisy labels'
set xlabel 'epoch'
set ylabel 'error (\%)'
set yrange [0:80]
set key top right samplen 2
best = real(system("awk '!/^#/ {print $1}' ".resdir."/noisy_stop.dat"))
set arrow from best, graph 0 to best, graph 1 nohead lc rgb '#999999' dt 2
set label 'kept' at best, graph 0.95 offset 0.5, 0 font ',8'
plot resdir.'/noisy_1.dat' using 1:2 with lines ls 2 title 'training (noisy)', \
     '' using 1:3 with lines ls 3 title 'validation (noisy)', \
     '' using 1:4 with lines ls 1 title 'test (clean)', \
     resdir.'/noisy_stop.dat' using 1:2 with points ls 9 pt 7 ps 0.8 notitle
unset arrow
unset label
set title 'gradient descent on a quadratic, $\smax = 1$'
set xlabel 'step'
set ylabel '$f(w)$'
set logscale y
set format y '$10^{%L}$'
set yrange [1e-6:1e3]
set key bottom left
plot resdir.'/quadratic.dat' using 1:2 with lines ls 1 title '$\lr = 1.9$', \
     '' using 1:3 with lines ls 2 title '$\lr = 2.05$'
unset multiplot
