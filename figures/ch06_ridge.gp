# ch06_ridge.gp - gradient descent after t steps beside ridge regression
# with lambda = 1/(eta t): their distance relative to the least-squares
# fit, computed (points) and predicted (line), and both test errors.
load 'figures/style.gp'
set multiplot layout 1,2 margins 0.1, 0.97, 0.16, 0.9 spacing 0.1, 0
set logscale xy
set format y '$10^{%L}$'
set format x '$10^{%L}$'
set xlabel 'steps $t$'
set title 'distance'
set ylabel '$|\beta_{\mathrm{GD}} - \beta_{\mathrm{ridge}}| \,/\, |\beta_{\mathrm{LS}}|$'
set key bottom left samplen 2
plot resdir.'/ridge_gd.dat' using 1:2 with points ls 1 pt 7 ps 0.6 title 'computed', \
     '' using 1:3 with lines ls 9 lw 1 title 'predicted'
@check_clip
set title 'test error'
set ylabel 'mean squared error'
unset logscale y
set format y '$%g$'
set key top right
plot resdir.'/ridge_gd.dat' using 1:4 with linespoints ls 1 pt 7 ps 0.5 title 'gradient descent', \
     '' using 1:5 with linespoints ls 2 pt 6 ps 0.5 dt 2 title 'ridge, $\lambda = 1/(\lr t)$'
@check_clip
unset multiplot
