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
set yrange [0.03:3e2]
set xrange [0:*]
set key top right samplen 2
# d, from the numbers the program wrote
d = real(system("sed -n 's/.*{ch06.ls.d}{\\([0-9]*\\)}.*/\\1/p' ".resdir."/numbers.tex"))
set arrow from d, graph 0 to d, graph 1 nohead lc rgb '#999999' dt 2
set label '$n = d$' at d, graph 0.95 offset 0.5, 0 font ',8'
plot resdir.'/ls_size.dat' using 1:2:3 with yerrorbars ls 1 pt 7 ps 0.35 title 'test, simulated', \
     '' using 1:5 with lines ls 9 lw 1.5 title 'test, closed form', \
     '' using 1:6 with lines ls 9 lw 1.5 dt 2 title 'test, closed form (minimum norm)', \
     '' using 1:($4 > 0 ? $4 : NaN) with points ls 2 pt 6 ps 0.45 title 'training, simulated', \
     '' using 1:7 with lines ls 2 lw 1 title 'training, closed form'
