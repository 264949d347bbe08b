# ch02_plane.gp - the (b, w) plane for fixed x: where the unit is active
# (b + x w > 0, shaded by f) and the gradient (1, x) there; zero elsewhere.
load 'figures/style.gp'
# Two square panels: a frame no taller than they need.
if (out[strlen(out)-2:] eq 'pdf') {
    set terminal pdfcairo enhanced color size 12cm,6.3cm font 'Latin Modern Roman,9' linewidth 1.5
} else {
    set terminal pngcairo enhanced color size 960,500 font 'Latin Modern Roman,15' linewidth 2
}
set output out
set multiplot layout 1,2 margins 0.08, 0.86, 0.14, 0.92 spacing 0.08, 0
set palette defined (0 '#ffffff', 1 '#9ecae1', 4 '#08519c')
set cbrange [0:4]
set size ratio -1
set xrange [-2:2]
set yrange [-2:2]
set xlabel 'b'
set ylabel 'w'
unset grid
unset colorbox
set title 'x = 1.5'
set key bottom left opaque box samplen 1.5 spacing 0.9
plot resdir.'/plane_pos.dat' index 0 using 1:2:3 with image notitle, \
     (-x / 1.5) with lines lc rgb '#000000' lw 1 dt 2 title 'the kink b + xw = 0', \
     resdir.'/plane_pos.dat' index 1 using 1:2:($3 * 0.25):($4 * 0.25) with vectors head filled size 0.06,20 lc rgb '#d62728' lw 1.2 title 'the gradient (1/4)', \
     resdir.'/plane_pos.dat' index 1 using ($3 == 0 ? $1 : NaN):2 with points pt 7 ps 0.3 lc rgb '#777777' title 'gradient 0'
unset key
set title 'x = -0.5'
set ylabel ' '
set colorbox user origin 0.88, 0.25 size 0.02, 0.5
set cblabel 'f' norotate offset -1,0
plot resdir.'/plane_neg.dat' index 0 using 1:2:3 with image, \
     (x / 0.5) with lines lc rgb '#000000' lw 1 dt 2, \
     resdir.'/plane_neg.dat' index 1 using 1:2:($3 * 0.25):($4 * 0.25) with vectors head filled size 0.06,20 lc rgb '#d62728' lw 1.2, \
     resdir.'/plane_neg.dat' index 1 using ($3 == 0 ? $1 : NaN):2 with points pt 7 ps 0.3 lc rgb '#777777'
unset multiplot
