# ch04_relu_error.gp - how close H ReLU units come to x1 x2 on [-2, 2]^2:
# the measured worst error of the network built from two interpolants of
# s^2, the bound R^2/k^2 = 16/H^2 it meets, and the lower bound
# (4/(H+1))^2/8 that no network of H units can beat.
figwidth = 11.9
figheight = 7.44
load 'figures/style.gp'
set logscale xy
set xrange [1.6:160]
set yrange [5e-5:10]
set xtics (2, 4, 8, 16, 32, 64, 128)
set format y '$10^{%L}$'
set xlabel 'ReLU units $H$'
set ylabel '$\max |x_1 x_2 - \mathrm{net}(x)|$ on $[-2, 2]^2$'
set key top right spacing 1.2
plot resdir.'/relu_error.dat' using 2:4 with lines ls 2 title 'bound $16/H^2$ of the construction', \
     '' using 2:3 with points pt 7 ps 0.7 lc rgb '#000000' title 'construction, measured', \
     '' using 2:5 with lines ls 1 dt 2 title 'lower bound $2/(H+1)^2$, any $H$ units'
@check_clip
