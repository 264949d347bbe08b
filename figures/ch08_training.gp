# ch08_training.gp - constant rate (solid) against cosine annealing (dashed)
# for three initial rates: training loss and test accuracy per epoch, and
# the highest accuracy still at chance (chance.dat).
load 'figures/style.gp'
set multiplot layout 1,2 margins 0.09, 0.97, 0.16, 0.9 spacing 0.1, 0
set xlabel 'epoch'
set title 'training loss'
set ylabel 'cross-entropy'
set logscale y
set format y '$10^{%L}$'
set yrange [1e-4:100]
set key bottom left maxrows 3
plot resdir.'/run_constant_0.01.dat' using 1:2 with lines ls 1 title '$\lr_0 = 0.01$', \
     resdir.'/run_constant_0.1.dat' using 1:2 with lines ls 3 title '$\lr_0 = 0.1$', \
     resdir.'/run_constant_1.dat' using 1:2 with lines ls 2 title '$\lr_0 = 1$', \
     resdir.'/run_cosine_0.01.dat' using 1:2 with lines ls 1 dt 2 notitle, \
     resdir.'/run_cosine_0.1.dat' using 1:2 with lines ls 3 dt 2 notitle, \
     resdir.'/run_cosine_1.dat' using 1:2 with lines ls 2 dt 2 notitle
@check_clip
unset logscale y
set format y '$%g$'
set title 'test accuracy'
set ylabel 'accuracy (\%)'
set yrange [0:100]
set key at graph 0.97, 0.6 right
plot resdir.'/run_constant_0.1.dat' using 1:(100*$5) with lines ls 9 lw 1.5 title 'constant', \
     resdir.'/run_cosine_0.1.dat' using 1:(100*$5) with lines ls 9 lw 1.5 dt 2 title 'cosine', \
     resdir.'/chance.dat' using 1:2 with lines ls 9 lw 1 dt 3 title 'chance', \
     resdir.'/run_constant_0.01.dat' using 1:(100*$5) with lines ls 1 notitle, \
     resdir.'/run_constant_0.1.dat' using 1:(100*$5) with lines ls 3 notitle, \
     resdir.'/run_constant_1.dat' using 1:(100*$5) with lines ls 2 notitle, \
     resdir.'/run_cosine_0.01.dat' using 1:(100*$5) with lines ls 1 dt 2 notitle, \
     resdir.'/run_cosine_0.1.dat' using 1:(100*$5) with lines ls 3 dt 2 notitle, \
     resdir.'/run_cosine_1.dat' using 1:(100*$5) with lines ls 2 dt 2 notitle
@check_clip
unset multiplot
