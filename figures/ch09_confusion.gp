# ch09_confusion.gp - the confusion matrix of the mini-batch network on the
# test set: colour is the share of the true class (saturating at 5 %, so
# that the off-diagonal cells show), the number is the count.
figwidth = 10.5
figheight = 8.9
load 'figures/style.gp'
unset grid
set size ratio -1
set xrange [-0.5:9.5]
set yrange [9.5:-0.5]
set xtics 0, 1, 9 scale 0
set ytics 0, 1, 9 scale 0
set xlabel 'predicted class'
set ylabel 'true class'
set cbrange [0:5]
set cblabel 'share of the true class (\%)' offset 1, 0
set cbtics 0, 1, 5 format '$%g$'
set palette defined (0 '#ffffff', 1 '#fde0c5', 3 '#f08a4b', 5 '#b2182b')
plot resdir.'/confusion.dat' using 2:1:4 with image, \
     '' using 2:1:($3 > 0 ? sprintf('%d', $3) : ''):($1 == $2 ? 0xffffff : 0x000000) with labels font ',8' \
         tc rgb variable
@check_clip
