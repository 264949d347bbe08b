# ch06_least_squares.gp - least squares with d Gaussian inputs: the mean
# test and training error over the draws (points) against the closed forms
# (lines), for n from 2 to 4d; the minimum-norm fit below n = d.
figwidth = 11.9
figheight = 7.44
load 'figures/style.gp'
set logscale y
set format y '$10^{%L}$'
set xlabel 'training samples $n$'
set ylabel 'mean squared error'
# d, from the numbers the program wrote
d = real(system("sed -n 's/.*{ch06.ls.d}{\\([0-9]*\\)}.*/\\1/p' ".resdir."/numbers.tex"))
# The y range holds every point and bar, in whole decades: the top above the
# highest mean test error plus its standard error (the peak at n = d), the
# bottom below the smallest training error above n = d (just above it).
# The training error is zero for n <= d (the simulated one is rounding,
# 1e-30 or so): a log axis cannot show it, so those points are NaN.
train(col) = ($1 > d && column(col) > 0 ? column(col) : NaN)
stats resdir.'/ls_size.dat' using ($2 + $3) nooutput
ymax = 10**ceil(log10(STATS_max))
stats resdir.'/ls_size.dat' using (train(4)) nooutput
ymin = STATS_min
stats resdir.'/ls_size.dat' using (train(7)) nooutput
ymin = 10**floor(log10(STATS_min < ymin ? STATS_min : ymin))
set yrange [ymin:ymax]
set xrange [0:*]
set key top right samplen 2
set arrow from d, graph 0 to d, graph 1 nohead lc rgb '#999999' dt 2
set label '$n = d$' at d, graph 0.75 offset 0.5, 0 font ',8'
# The closed forms (lines) first, the simulated means (points) over them.
# The standard errors are drawn as bars without heads (vectors), because
# gnuplot's yerrorbars clears a disc behind every point, which would erase
# the lines beneath; a bar whose lower end would fall to zero or below
# starts at the bottom of the plot.
plot resdir.'/ls_size.dat' using 1:5 with lines ls 9 lw 1.5 title 'test, closed form', \
     '' using 1:6 with lines ls 9 lw 1.5 dt 2 title 'test, closed form (minimum norm)', \
     '' using 1:(train(7)) with lines ls 2 lw 1 title 'training, closed form', \
     '' using 1:($2 > $3 ? $2 - $3 : ymin):(0):($2 + $3 - ($2 > $3 ? $2 - $3 : ymin)) \
        with vectors nohead ls 1 lw 1 notitle, \
     '' using 1:2 with points ls 1 pt 7 ps 0.35 title 'test, simulated', \
     '' using 1:(train(4)) with points ls 2 pt 6 ps 0.45 title 'training, simulated'
@check_clip
