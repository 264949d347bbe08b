# ch05_causes.gp - test accuracy per epoch for the runs that test the
# problem set's explanations; C solid, PyTorch dashed.
figwidth = 11.9
figheight = 7.44
load 'figures/style.gp'
set xlabel 'epoch'
set ylabel 'test accuracy (\%)'
set yrange [0:100]
set key bottom right
plot resdir.'/pytorch_same.dat' using 1:(100*$2) with lines ls 1 title 'same start and order', \
     resdir.'/pytorch_same.dat' using 1:(100*$3) with lines ls 1 dt 2 notitle, \
     resdir.'/pytorch_torch_init.dat' using 1:(100*$2) with lines ls 3 title "PyTorch's initialisation", \
     resdir.'/pytorch_torch_init.dat' using 1:(100*$3) with lines ls 3 dt 2 notitle, \
     resdir.'/pytorch_fixed_order.dat' using 1:(100*$2) with lines ls 4 title 'no reshuffling', \
     resdir.'/pytorch_fixed_order.dat' using 1:(100*$3) with lines ls 4 dt 2 notitle, \
     resdir.'/pytorch_double_softmax.dat' using 1:(100*$2) with lines ls 2 title 'softmax before cross-entropy', \
     resdir.'/pytorch_double_softmax.dat' using 1:(100*$3) with lines ls 2 dt 2 notitle
@check_clip
