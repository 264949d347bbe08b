# ch06_polynomials.gp - polynomials of every degree fitted (minimum norm)
# to noisy points of sin(pi x): median test error with its quartiles, and
# the mean training error, against the degree.
figwidth = 11.9
figheight = 7.44
load 'figures/style.gp'
set logscale y
set format y '$10^{%L}$'
set xlabel 'degree $p$'
set ylabel 'mean squared error'
# The y range holds the whole band: up to the power of 1000 above the highest
# upper quartile (a tick), down to 1e-3.  Above the interpolation threshold
# the training error is zero up to rounding (1e-27 or so), which a log axis
# cannot show: those points are NaN.
ymin = 1e-3
stats resdir.'/poly.dat' using 5 nooutput
set yrange [ymin:10**(3 * ceil(log10(STATS_max) / 3))]
set ytics ymin, 1000
set key top right samplen 2
set style fill transparent solid 0.2 noborder
# the interpolation threshold, degree n - 1, from the numbers the program wrote
p0 = real(system("sed -n 's/.*{ch06.poly.threshold}{\\([0-9]*\\)}.*/\\1/p' ".resdir."/numbers.tex"))
set arrow from p0, graph 0 to p0, graph 1 nohead lc rgb '#999999' dt 2
set label '$p = n - 1$' at p0, graph 0.95 right offset -0.5, 0 font ',8'
plot resdir.'/poly.dat' using 1:4:5 with filledcurves ls 1 title 'test, quartiles', \
     '' using 1:3 with linespoints ls 1 pt 7 ps 0.35 title 'test, median', \
     '' using 1:($2 > ymin ? $2 : NaN) with linespoints ls 2 pt 6 ps 0.45 title 'training, mean'
@check_clip
