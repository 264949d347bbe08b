# ch04_planes.gp - the predicted probability P(y = 1 | x) over the plane
# for each of the four fitted models, with the first training points (dots
# of class 1, crosses of class 0), the model's boundary P = 1/2 (solid, thin)
# and the Bayes boundary x1 x2 = -beta0/beta1 (dashed orange, drawn on top).
figwidth = 14
figheight = 13.5
load 'figures/style.gp'

# The widest ReLU network's width, for its panel's title.
stats resdir.'/relu_sweep.dat' using 1 nooutput

# The boundary P = 1/2 of each model, traced by gnuplot's contouring.
set view map
set contour base
set cntrparam levels discrete 0.5
unset surface
do for [k=0:3] {
    eval sprintf('set table $boundary%d', k)
    splot resdir.'/planes.dat' index k using 1:2:3
}
unset table
unset contour
set surface

set multiplot layout 2,2 margins 0.09, 0.85, 0.08, 0.95 spacing 0.09, 0.1
set palette defined (0 '#2166ac', 0.5 '#f7f7f7', 1 '#b2182b')
set cbrange [0:1]
set size ratio -1
unset grid
set xrange [-2:2]
set yrange [-2:2]
set xtics 1
set ytics 1
titles = sprintf("'logistic regression' 'product-unit network' 'square network' 'ReLU network, $H = %d$'", STATS_max)
do for [k=0:3] {
    set title word(titles, k + 1)
    set xlabel (k >= 2 ? '$x_1$' : '')
    set ylabel (k % 2 == 0 ? '$x_2$' : '')
    if (k == 3) {
        set colorbox user origin 0.88, 0.3 size 0.025, 0.4
        set cblabel '$P(y = 1 \mid x)$' offset 0.5,0
    } else {
        unset colorbox
    }
    # A model that predicts one class everywhere has no boundary to draw.
    eval sprintf('lines = |$boundary%d|', k)
    eval sprintf("plot resdir.'/planes.dat' index %d using 1:2:3 with image, ", k) . \
        "resdir.'/points.dat' using ($3 == 1 ? $1 : NaN):2 with points pt 7 ps 0.35 lc rgb '#67001f', " . \
        "resdir.'/points.dat' using ($3 == 0 ? $1 : NaN):2 with points pt 1 ps 0.45 lc rgb '#053061'" . \
        (lines > 10 ? sprintf(", $boundary%d using 1:2 with lines lc rgb '#000000' lw 0.8", k) : "") . \
        ", resdir.'/boundary.dat' using 1:2 with lines lc rgb '#e08214' lw 1.6 dt 2"
    @check_clip
}
unset multiplot
