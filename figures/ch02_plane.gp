# ch02_plane.gp - the (b, w) plane for fixed x: where the unit is active
# (b + x w > 0, shaded by f) and the gradient (1, x) there; zero elsewhere.
figwidth = 14
figheight = 8.2
load 'figures/style.gp'
set multiplot layout 1,2 margins 0.08, 0.86, 0.25, 0.92 spacing 0.08, 0
set palette defined (0 '#ffffff', 1 '#9ecae1', 4 '#08519c')
set cbrange [0:5]
set size ratio -1
set xrange [-2:2]
set yrange [-2:2]
set xtics 1
set ytics 1
set xlabel '$b$'
set ylabel '$w$'
unset grid
unset colorbox
set title '$x = 1.5$'
set key at screen 0.47, 0.0 center bottom horizontal samplen 1.5 width 3
plot resdir.'/plane_pos.dat' index 0 using 1:2:3 with image notitle, \
     (-x / 1.5) with lines lc rgb '#000000' lw 1 dt 2 title 'the kink $b + xw = 0$', \
     resdir.'/plane_pos.dat' index 1 using 1:2:($3 * 0.25):($4 * 0.25) with vectors head filled size 0.06,20 lc rgb '#d62728' lw 1.2 title 'the gradient ($\times\frac14$)', \
     resdir.'/plane_pos.dat' index 1 using ($3 == 0 ? $1 : NaN):2 with points pt 7 ps 0.3 lc rgb '#777777' title 'gradient 0'
@check_clip
unset key
set title '$x = -0.5$'
set ylabel ' '
set colorbox user origin 0.88, 0.35 size 0.02, 0.42
set label 1 '$f$' at screen 0.89, 0.82 center
# The kink w = 2b leaves the square at b = -1 and b = 1: drawn over those b
# only (style.gp: a line stops at the axes rather than being clipped).
plot resdir.'/plane_neg.dat' index 0 using 1:2:3 with image, \
     [-1:1] (x / 0.5) with lines lc rgb '#000000' lw 1 dt 2, \
     resdir.'/plane_neg.dat' index 1 using 1:2:($3 * 0.25):($4 * 0.25) with vectors head filled size 0.06,20 lc rgb '#d62728' lw 1.2, \
     resdir.'/plane_neg.dat' index 1 using ($3 == 0 ? $1 : NaN):2 with points pt 7 ps 0.3 lc rgb '#777777'
@check_clip
unset multiplot
