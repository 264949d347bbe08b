# ch05_digits.gp - the first 32 test digits with the per-sample network's
# predictions; a wrong prediction is red, with the true label beside it.
figwidth = 11.9
figheight = 7.44
load 'figures/style.gp'
unset border
unset tics
unset key
unset grid
unset colorbox
set palette gray negative
set size ratio -1
set xrange [-0.5:255.5]
set yrange [159.5:-0.5]
set lmargin 0
set rmargin 0
set tmargin 0
set bmargin 0
plot resdir.'/digits.dat' matrix with image, \
     resdir.'/digit_labels.dat' using 1:2:(sprintf('%d', $3)):($5 > 0 ? 0x1f77b4 : 0xd62728) \
         with labels tc rgb variable font ',12', \
     resdir.'/digit_labels.dat' using ($1+10):2:($5 > 0 ? "" : sprintf('(%d)', $4)) with labels tc rgb '#d62728' font ',10'
@check_clip
