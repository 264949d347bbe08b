# ch08_schedules.gp - four learning-rate schedules over the problem set's
# 50 epochs, each starting at l_0 = 0.1.
figwidth = 11.9
figheight = 7.44
load 'figures/style.gp'
set xlabel 'epoch'
set ylabel 'learning rate'
set xrange [0:50]
set yrange [0:0.165]
set ytics 0, 0.02, 0.1
set key top right
plot resdir.'/schedules.dat' using 1:2 with lines ls 1 title 'constant', \
     resdir.'/schedules.dat' using 1:3 with lines ls 3 title 'step decay ($\times 0.5$ every 10 epochs)', \
     resdir.'/schedules.dat' using 1:4 with lines ls 2 title 'cosine annealing ($T$ = the whole run)', \
     resdir.'/schedules.dat' using 1:5 with lines ls 4 dt 2 title 'cosine with warm restarts ($T_0 = 10$ epochs, $\times 2$)'
@check_clip
