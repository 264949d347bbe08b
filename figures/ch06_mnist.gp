# ch06_mnist.gp - chapter 05's network by the number of training digits
# (left) and a one-hidden-layer network by its width on 500 digits
# (right): training and test error, the mean over the seeds with the band
# from the lowest to the highest run.
load 'figures/style.gp'
set multiplot layout 1,2 margins 0.09, 0.97, 0.16, 0.9 spacing 0.08, 0
set style fill transparent solid 0.2 noborder
set logscale x
set ylabel 'error (\%)'
# Both panels share the y axis: from a little below 0 (a training error of
# 0 would otherwise run along the frame) to the next 10 % above the highest
# run's error in either.  Each x axis spans its data with a margin of a
# fifth of a decade on either side.
# (stats before any range is set: it counts only the points inside one.)
max(a, b) = a > b ? a : b
stats resdir.'/mnist_size.dat' using 1:(max($4, $7)) nooutput
top = STATS_max_y
nmin = STATS_min_x
nmax = STATS_max_x
stats resdir.'/mnist_width.dat' using 1:(max($4, $7)) nooutput
top = 10 * ceil(max(top, STATS_max_y) / 10)
hmin = STATS_min_x
hmax = STATS_max_x
set yrange [-0.04 * top:top]
margin = 10**0.2
set title 'by training images'
set xlabel 'training images $n$'
set xrange [nmin / margin:nmax * margin]
set xtics ('50' 50, '200' 200, '1000' 1000, '8000' 8000)
set key top right samplen 2
plot resdir.'/mnist_size.dat' using 1:6:7 with filledcurves ls 1 notitle, \
     '' using 1:5 with linespoints ls 1 pt 7 ps 0.5 title 'test', \
     '' using 1:3:4 with filledcurves ls 2 notitle, \
     '' using 1:2 with linespoints ls 2 pt 6 ps 0.5 title 'training'
@check_clip
set title 'by hidden width (500 images)'
set xlabel 'hidden units'
set xrange [hmin / margin:hmax * margin]
set xtics ('1' 1, '4' 4, '16' 16, '64' 64, '256' 256)
unset ylabel
set format y ''
unset key
plot resdir.'/mnist_width.dat' using 1:6:7 with filledcurves ls 1, \
     '' using 1:5 with linespoints ls 1 pt 7 ps 0.5, \
     '' using 1:3:4 with filledcurves ls 2, \
     '' using 1:2 with linespoints ls 2 pt 6 ps 0.5
@check_clip
unset multiplot
