# ch06_epochs.gp - left: chapter 05's network on digits with noisy labels,
# error per epoch on the training set, the validation set (both noisy) and
# the clean test set, with the epoch early stopping keeps; right: gradient
# descent on a quadratic with a rate just below and just above 2/s_max.
load 'figures/style.gp'
# The ranges from the data (stats first: it counts only points inside a
# range already set).  Left: from a little below 0 (a training error of 0
# would run along the frame) to the next 10 % above the highest error.
# Right: the whole decades around both runs.
max(a, b) = a > b ? a : b
min(a, b) = a < b ? a : b
stats resdir.'/noisy_1.dat' using (max(max($2, $3), $4)) nooutput
top = 10 * ceil(STATS_max / 10)
stats resdir.'/quadratic.dat' using (min($2, $3)):(max($2, $3)) nooutput
fmin = 10**floor(log10(STATS_min_x))
fmax = 10**ceil(log10(STATS_max_y))
set multiplot layout 1,2 margins 0.09, 0.97, 0.16, 0.9 spacing 0.1, 0
set title 'noisy labels'
set xlabel 'epoch'
set ylabel 'error (\%)'
set yrange [-0.04 * top:top]
set key top right samplen 2
best = real(system("awk '!/^#/ {print $1}' ".resdir."/noisy_stop.dat"))
set arrow from best, graph 0 to best, graph 1 nohead lc rgb '#999999' dt 2
set label 'kept' at best, graph 0.95 offset 0.5, 0 font ',8'
plot resdir.'/noisy_1.dat' using 1:2 with lines ls 2 title 'training (noisy)', \
     '' using 1:3 with lines ls 3 title 'validation (noisy)', \
     '' using 1:4 with lines ls 1 title 'test (clean)', \
     resdir.'/noisy_stop.dat' using 1:2 with points ls 9 pt 7 ps 0.8 notitle
@check_clip
unset arrow
unset label
set title 'gradient descent on a quadratic, $\smax = 1$'
set xlabel 'step'
set ylabel '$f(w)$'
set logscale y
set format y '$10^{%L}$'
set yrange [fmin:fmax]
set key bottom left
plot resdir.'/quadratic.dat' using 1:2 with lines ls 1 title '$\lr = 1.9$', \
     '' using 1:3 with lines ls 2 title '$\lr = 2.05$'
@check_clip
unset multiplot
