# ch02_relu.gp - ReLU and its derivative, with the kit's convention at 0.
figwidth = 12.6
figheight = 7.9
load 'figures/style.gp'
set multiplot layout 1,2 margins 0.08, 0.97, 0.16, 0.9 spacing 0.1, 0
set xrange [-2:2]
set xtics 1
set xlabel '$z$'
set title '$\mathrm{ReLU}(z) = \max(0, z)$'
set yrange [-0.3:2.2]
plot resdir.'/relu.dat' using 1:2 with lines ls 1
@check_clip

set title '$\mathrm{ReLU}^\prime(z)$, with $\mathrm{ReLU}^\prime(0) = 0$'
# Room above the line at 1 for the key, which then covers no data.
set yrange [-0.2:1.75]
set ytics 0, 0.5, 1
set label 1 '\shortstack[l]{central difference\\at $z = 0$: $\frac12$}' at -1.85, 0.27 left
set key top left samplen 1.5
plot resdir.'/relu.dat' using ($1 < 0 ? $1 : NaN):3 with lines ls 2 title '$\mathrm{ReLU}^\prime(z)$', \
     resdir.'/relu.dat' using ($1 > 0 ? $1 : NaN):3 with lines ls 2 notitle, \
     '+' using (0):(0) every ::0::0 with points pt 7 ps 0.9 lc rgb '#d62728' title "the value taken at 0", \
     resdir.'/kink.dat' using 1:3 with points pt 6 ps 0.9 lc rgb '#d62728' title 'the slope from the right', \
     resdir.'/kink.dat' using 1:4 with points pt 2 ps 0.9 lc rgb '#555555' notitle
@check_clip
unset multiplot
