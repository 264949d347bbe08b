# style.gp - the look shared by every figure.  Loaded first by each
# figures/chNN_*.gp, which make runs as
#     gnuplot -e "resdir='build/results/chNN'; out='build/figures/NAME.pdf'" figures/NAME.gp
# The terminal follows the extension of out: PDF for the report (printed
# about 12 cm wide, so 9 pt text reads as body-size text), PNG for the README.
if (out[strlen(out)-2:] eq 'pdf') {
    set terminal pdfcairo enhanced color size 12cm,7.5cm font 'Latin Modern Roman,9' linewidth 1.5
} else {
    set terminal pngcairo enhanced color size 960,600 font 'Latin Modern Roman,15' linewidth 2
}
set output out
set encoding utf8
set border lw 0.8
set grid lc rgb '#dddddd' lw 0.6
set key noautotitle
set style line 1 lc rgb '#1f77b4' lw 2
set style line 2 lc rgb '#d62728' lw 2
set style line 3 lc rgb '#2ca02c' lw 2
set style line 4 lc rgb '#9467bd' lw 2
set style line 5 lc rgb '#ff7f0e' lw 2
set style line 9 lc rgb '#000000' lw 1 pt 7 ps 0.8
