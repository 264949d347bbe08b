# ch01_diagonal.gp - f along the diagonal x = y = z = t: 3t^2 - t^3.
figwidth = 11.2
figheight = 7.0
load 'figures/style.gp'
set xlabel '$t$'
set ylabel '$f(t, t, t)$'
# The axes hold the whole curve: t over the data's range, f from a little
# below its lowest value to a little above its highest.
stats resdir.'/diagonal.dat' using 1:2 nooutput
set xrange [STATS_min_x:STATS_max_x]
set yrange [floor(STATS_min_y) - 1:ceil(STATS_max_y) + 1]
set key bottom left
set label 1 'minimum at $t = 0$' at 0, 0 center offset 0, -1.2
set label 2 'maximum along this line at $t = 2$' at 2, 4 center offset 0, 1.2
set label 3 '$(2,2,2)$ is a saddle in 3-D' at 2, 4 center offset 0, 2.4 textcolor rgb '#555555'
plot resdir.'/diagonal.dat' using 1:2 with lines ls 1 title '$f(t,t,t) = 3t^2 - t^3$', \
     resdir.'/points.dat' using ($1 == $2 && $2 == $3 ? $1 : NaN):4 with points ls 9 pt 7 ps 1.2 title 'critical points on the diagonal'
@check_clip
