# ch01_slices.gp - f around the critical point (2,2,2) on two planes.
# Left: the plane z = 2, where f = (x - y)^2 + 4 is a valley, not a saddle.
# Right: the plane of the eigenvectors of -2 and 4, where the saddle shows.
figwidth = 14
figheight = 7.35
load 'figures/style.gp'
set view map
set contour base
set cntrparam levels incremental -2, 1, 20
unset surface
set table $contours_z2
splot resdir.'/slice_z2.dat' using ($1+2):($2+2):3
set table $contours_eig
splot resdir.'/slice_eigen.dat' using 1:2:3
unset table
unset contour
set surface

set multiplot layout 1,2 margins 0.09, 0.87, 0.16, 0.9 spacing 0.13, 0
set palette defined (0 '#2166ac', 0.5 '#f7f7f7', 1 '#b2182b')
set cbrange [-2:20]
set size ratio -1
unset grid

set title 'the plane $z = 2$: a valley'
set xlabel '$x$'
set ylabel '$y$'
set xrange [0:4]
set yrange [0:4]
unset colorbox
plot resdir.'/slice_z2.dat' using ($1+2):($2+2):3 with image, \
     $contours_z2 with lines lc rgb '#333333' lw 0.5, \
     '+' using (2):(2) every ::0::0 with points ls 9 pt 7 ps 0.6
@check_clip

set title 'the eigenvector plane: a saddle'
set label 1 '\shortstack{saddle point\\$(2, 2, 2)$}' at 0, -0.5 center front tc rgb '#000000'
set xlabel '$u$, along $(1,1,1)/\sqrt{3}$ (eigenvalue $-2$)'
set ylabel '$v$, along $(1,-1,0)/\sqrt{2}$ (eigenvalue 4)' 
set xrange [-2:2]
set yrange [-2:2]
set xtics 1
set ytics 1
# The colour bar beside the right panel, its label to its right at half
# its height, clear of the titles above.
set colorbox user origin 0.9, 0.2 size 0.02, 0.6
set cblabel '$f$' norotate offset 1.5, 0
plot resdir.'/slice_eigen.dat' using 1:2:3 with image, \
     $contours_eig with lines lc rgb '#333333' lw 0.5, \
     '+' using (0):(0) every ::0::0 with points ls 9 pt 7 ps 0.6
@check_clip
unset multiplot
