# check-clip.awk - the clipping check of figures/style.gp (@check_clip).
# Reads one panel replotted into a table (gnuplot's `set table`: every
# point of every curve, a header before each curve naming its columns)
# and prints, for each side of the axes that data lie beyond, one line
#     error: FIGURE: panel N: data y up to V beyond the axis maximum M (curve K)
# and nothing when every point lies on the axes.
#
# Variables (awk -v): figure, panel, and the axes' range as gnuplot drew
# it, xa xb ya yb (GPVAL_X_MIN, GPVAL_X_MAX, ...; reversed for a reversed
# axis).
#
# The columns it checks, by the names in gnuplot's header: x, xlow, xhigh
# and x + delta_x (the far end of a vector) against the x axis; y, y1, y2,
# ylow, yhigh and y + delta_y against the y axis.  Other columns (a
# label's text, an image's pixel value, the point's type) are not
# positions.  A point gnuplot could not compute (type u) and a coordinate
# that is NaN are skipped: a script hides a point on purpose by making it
# NaN.  A value <= 0 on a log axis is reported below the axis minimum,
# which is where it would be.
#
# Tolerance: the table prints six significant digits, so a point equal to
# a limit may print a hair beyond it.  The slack is 1e-5 of the axis span,
# and at a positive minimum (the bottom of a log axis, say 1e-33) 1e-5 of
# the minimum itself when that is smaller.
function lo(a, b) { return a < b ? a : b }
function hi(a, b) { return a > b ? a : b }
function finite(s) { return s !~ /^[-+]?([Nn][Aa][Nn]|[Ii][Nn][Ff])/ }
function note(axis, v,    s) {
    if (axis == "x") {
        if (v < xmin - xtol_lo && (!("xlo" in worst) || v < worst["xlo"])) { worst["xlo"] = v; wcurve["xlo"] = curve }
        if (v > xmax + xtol_hi && (!("xhi" in worst) || v > worst["xhi"])) { worst["xhi"] = v; wcurve["xhi"] = curve }
    } else {
        if (v < ymin - ytol_lo && (!("ylo" in worst) || v < worst["ylo"])) { worst["ylo"] = v; wcurve["ylo"] = curve }
        if (v > ymax + ytol_hi && (!("yhi" in worst) || v > worst["yhi"])) { worst["yhi"] = v; wcurve["yhi"] = curve }
    }
}
function report(key, axis, what, limit, bound) {
    if (key in worst)
        printf "error: %s: panel %d: data %s %s %.4g %s the axis %s %.4g (curve %d)\n",
            figure, panel, axis, (what == "max" ? "up to" : "down to"), worst[key],
            (what == "max" ? "beyond" : "below"), (what == "max" ? "maximum" : "minimum"),
            limit, wcurve[key] + 1
}
BEGIN {
    xmin = lo(xa + 0, xb + 0); xmax = hi(xa + 0, xb + 0)
    ymin = lo(ya + 0, yb + 0); ymax = hi(ya + 0, yb + 0)
    xtol_hi = 1e-5 * (xmax - xmin); ytol_hi = 1e-5 * (ymax - ymin)
    xtol_lo = xmin > 0 ? 1e-5 * lo(xmin, xmax - xmin) : xtol_hi
    ytol_lo = ymin > 0 ? 1e-5 * lo(ymin, ymax - ymin) : ytol_hi
    curve = -1
}
/^# Curve [0-9]+ of/ { curve = $3; ncols = 0; next }
/^# x / {
    ncols = NF - 1; tcol = 0
    for (i = 2; i <= NF; i++) { name[i - 1] = $i; if ($i == "type") tcol = i - 1 }
    next
}
/^#/ || NF == 0 || ncols == 0 { next }
{
    if (tcol && $tcol == "u") next
    x = y = ""
    for (i = 1; i <= ncols && i <= NF; i++) {
        if (name[i] == "x") x = $i
        else if (name[i] == "y") y = $i
    }
    for (i = 1; i <= ncols && i <= NF; i++) {
        if (!finite($i)) continue
        n = name[i]
        if (n == "x" || n == "xlow" || n == "xhigh") note("x", $i + 0)
        else if (n == "y" || n == "y1" || n == "y2" || n == "ylow" || n == "yhigh") note("y", $i + 0)
        else if (n == "delta_x" && x != "" && finite(x)) note("x", x + $i)
        else if (n == "delta_y" && y != "" && finite(y)) note("y", y + $i)
    }
}
END {
    report("xlo", "x", "min", xmin); report("xhi", "x", "max", xmax)
    report("ylo", "y", "min", ymin); report("yhi", "y", "max", ymax)
}
