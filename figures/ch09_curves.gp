# ch09_curves.gp - every model's learning curves on one page: training and
# test loss and accuracy per epoch, the mean over the seeds with the band
# from the lowest to the highest run for the test accuracy; constant rate
# solid, cosine annealing dashed, chapter 05's PyTorch run dotted.
figwidth = 14
figheight = 15.2
load 'figures/style.gp'
set multiplot
# Four panels in two rows above a strip for the legend.
panel(col, row) = sprintf('set lmargin at screen %f; set rmargin at screen %f; set bmargin at screen %f; set tmargin at screen %f', \
    0.1 + col * 0.47, 0.5 + col * 0.47, 0.63 - row * 0.42, 0.95 - row * 0.42)
unset xlabel
set style fill transparent solid 0.15 noborder
set logscale y
set format y '$10^{%L}$'
set yrange [1e-4:1e3]
set title 'training loss'
eval panel(0, 0)
set ylabel 'cross-entropy'
plot for [m in 'persample residual minibatch'] resdir.'/curve_'.m.'_constant.dat' using 1:2 with lines \
         ls (m eq 'persample' ? 1 : m eq 'residual' ? 2 : 3) notitle, \
     for [m in 'persample residual minibatch'] resdir.'/curve_'.m.'_cosine.dat' using 1:2 with lines \
         ls (m eq 'persample' ? 1 : m eq 'residual' ? 2 : 3) dt 2 notitle, \
     resdir.'/curve_pytorch.dat' using 1:2 with lines ls 9 dt 3 notitle
@check_clip
set title 'test loss'
eval panel(1, 0)
unset ylabel
set yrange [0.1:1e3]
plot for [m in 'persample residual minibatch'] resdir.'/curve_'.m.'_constant.dat' using 1:5 with lines \
         ls (m eq 'persample' ? 1 : m eq 'residual' ? 2 : 3) notitle, \
     for [m in 'persample residual minibatch'] resdir.'/curve_'.m.'_cosine.dat' using 1:5 with lines \
         ls (m eq 'persample' ? 1 : m eq 'residual' ? 2 : 3) dt 2 notitle, \
     resdir.'/curve_pytorch.dat' using 1:5 with lines ls 9 dt 3 notitle
@check_clip
unset logscale y
set format y '$%g$'
set title 'training accuracy'
set xlabel 'epoch'
eval panel(0, 1)
set ylabel 'accuracy (\%)'
set yrange [0:102]
plot for [m in 'persample residual minibatch'] resdir.'/curve_'.m.'_constant.dat' using 1:8 with lines \
         ls (m eq 'persample' ? 1 : m eq 'residual' ? 2 : 3) notitle, \
     for [m in 'persample residual minibatch'] resdir.'/curve_'.m.'_cosine.dat' using 1:8 with lines \
         ls (m eq 'persample' ? 1 : m eq 'residual' ? 2 : 3) dt 2 notitle, \
     resdir.'/curve_pytorch.dat' using 1:8 with lines ls 9 dt 3 notitle
@check_clip
set title 'test accuracy'
eval panel(1, 1)
unset ylabel
plot for [m in 'persample residual minibatch'] resdir.'/curve_'.m.'_constant.dat' using 1:12:13 with filledcurves \
         ls (m eq 'persample' ? 1 : m eq 'residual' ? 2 : 3) notitle, \
     for [m in 'persample residual minibatch'] resdir.'/curve_'.m.'_cosine.dat' using 1:12:13 with filledcurves \
         ls (m eq 'persample' ? 1 : m eq 'residual' ? 2 : 3) notitle, \
     for [m in 'persample residual minibatch'] resdir.'/curve_'.m.'_constant.dat' using 1:11 with lines \
         ls (m eq 'persample' ? 1 : m eq 'residual' ? 2 : 3) notitle, \
     for [m in 'persample residual minibatch'] resdir.'/curve_'.m.'_cosine.dat' using 1:11 with lines \
         ls (m eq 'persample' ? 1 : m eq 'residual' ? 2 : 3) dt 2 notitle, \
     resdir.'/curve_pytorch.dat' using 1:11 with lines ls 9 dt 3 notitle
@check_clip
# The legend, in the last row.
unset title
unset xlabel
unset ylabel
unset border
unset tics
unset grid
set xrange [0:1]
set yrange [0:1]
set lmargin at screen 0.02
set rmargin at screen 0.6
set bmargin at screen 0.0
set tmargin at screen 0.1
set key center center maxrows 4 samplen 3 width 2
plot NaN with lines ls 1 title 'plain, per sample ($\lr = 0.1$)', \
     NaN with lines ls 2 title 'residual, per sample ($\lr = 0.1$)', \
     NaN with lines ls 3 title 'plain, mini-batches', \
     NaN with lines ls 9 dt 3 title 'PyTorch (chapter 5)'
@check_clip
set lmargin at screen 0.6
set rmargin at screen 0.98
set key center center maxrows 4 samplen 3
plot NaN with lines ls 9 title 'constant rate', \
     NaN with lines ls 9 dt 2 title 'cosine annealing'
@check_clip
unset multiplot
