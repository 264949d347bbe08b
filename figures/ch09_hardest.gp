# ch09_hardest.gp - the test images the mini-batch network gets wrong with
# the highest confidence, with the true class, the predicted class and the
# confidence under each.
figwidth = 14
figheight = 4.9
load 'figures/style.gp'
unset border
unset tics
unset key
unset grid
unset colorbox
set palette gray negative
set size ratio -1
stats resdir.'/hardest.dat' matrix nooutput
set xrange [-0.5:STATS_size_x - 0.5]
set yrange [STATS_size_y - 0.5:-0.5]
set lmargin 0
set rmargin 0
set tmargin 0
set bmargin 0
plot resdir.'/hardest.dat' matrix with image, \
     resdir.'/hardest_labels.dat' using 1:2:(sprintf('$%d \\to %d$ %.2f', $3, $4, $5)) with labels font ',8' tc rgb '#d62728'
@check_clip
