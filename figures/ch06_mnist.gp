# ch06_mnist.gp - chapter 05's network by the number of training digits
# (left) and a one-hidden-layer network by its width on 500 digits
# (right): training and test error, the mean over the seeds with the band
# from the lowest to the highest run.
load 'figures/style.gp'
set multiplot layout 1,2 margins 0.09, 0.97, 0.16, 0.9 spacing 0.08, 0
set style fill transparent solid 0.2 noborder
set logscale x
set ylabel 'error (\%)'
set yrange [0:90]
set title 'by training images'
set xlabel 'training images $n$'
set xrange [30:15000]
set xtics ('50' 50, '200' 200, '1000' 1000, '8000' 8000)
set key top right samplen 2
plot resdir.'/mnist_size.dat' using 1:6:7 with filledcurves ls 1 notitle, \
     '' using 1:5 with linespoints ls 1 pt 7 ps 0.5 title 'test', \
     '' using 1:3:4 with filledcurves ls 2 notitle, \
     '' using 1:2 with linespoints ls 2 pt 6 ps 0.5 title 'training'
set title 'by hidden width (500 images)'
set xlabel 'hidden units'
set xrange [0.7:400]
set xtics ('1' 1, '4' 4, '16' 16, '64' 64, '256' 256)
unset ylabel
set format y ''
unset key
plot resdir.'/mnist_width.dat' using 1:6:7 with filledcurves ls 1, \
     '' using 1:5 with linespoints ls 1 pt 7 ps 0.5, \
     '' using 1:3:4 with filledcurves ls 2, \
     '' using 1:2 with linespoints ls 2 pt 6 ps 0.5
unset multiplot
