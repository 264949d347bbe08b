# ch09_hardest.gp - the test images the mini-batch network gets wrong with
# the highest confidence, with the true class, the predicted class and the
# confidence under each.
load 'figures/style.gp'
if (out[strlen(out)-2:] eq 'pdf') {
    set terminal pdfcairo enhanced color size 12cm,4.2cm font 'Latin Modern Roman,9'
} else {
    set terminal pngcairo enhanced color size 960,340 font 'Latin Modern Roman,15'
}
set output out
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
     resdir.'/hardest_labels.dat' using 1:2:(sprintf('%d→%d %.2f', $3, $4, $5)) with labels font ',8' tc rgb '#d62728'
