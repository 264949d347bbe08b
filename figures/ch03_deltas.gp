# ch03_deltas.gp - the backward pass through a random 20-32-16-10 network:
# the mean norm of each layer's delta over a batch, for both losses.
figwidth = 11.2
figheight = 7.0
load 'figures/style.gp'
set style data histogram
set style histogram clustered gap 1.5
set style fill solid 0.85 border -1
set boxwidth 0.9
set xlabel 'layer $\layer$'
set ylabel 'mean $|\err^{[\layer]}|$ per sample'
set yrange [0:1.5]
set xrange [-0.6:2.6]
set key top left opaque box
set xtics ('1 (first hidden)' 0, '2 (second hidden)' 1, '3 (output)' 2)
plot resdir.'/delta_norms.dat' using 2 ls 2 title 'quadratic loss', \
     '' using 3 ls 3 title 'cross-entropy'
@check_clip
