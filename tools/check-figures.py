#!/usr/bin/python3
"""check-figures.py [--scripts SCRIPT.gp...] [--log REPORT.log] [--drawn FIGURE PDF TEX]

Three checks of the book's figures, each failure naming its file:

  --scripts: every plot command of a gnuplot script is followed by
      @check_clip (figures/style.gp), which stops the drawing when a point
      falls outside the axes.  A plot into a table (between set table and
      unset table, as for contours) draws nothing and is exempt.  The
      Makefile's figure rule runs this before gnuplot.

  --log: no figure text prints under 7 pt.  The report's LaTeX log holds a
      line per figure and diagram (kit.sty's \\kitfigure and \\kitdiagram):
          kit-figure: SOURCE scale PER-MILLE size PT
      the scale it is printed at and the size of the text around it (a
      figure's is \\footnotesize, set by \\kitfigure).  The smallest text of
      a figure is that size, or the smallest size command its source sets
      (\\tiny, \\scriptsize, ..., \\fontsize{N}), whichever is smaller; it
      times the scale must be at least 7 pt.  The sizes of the commands are
      the report's document class's, at the point size report/report.tex
      names.  Math's sub- and superscripts are set smaller by design, as in
      the text, and are not counted.  (gnuplot's own font sizes, font ',8',
      do not reach the PDF: the cairolatex terminal leaves all text to
      LaTeX.)  Every diagram of report/diagrams must be in the log, that
      is, drawn through \\kitdiagram.

  --drawn: the two files gnuplot has just drawn for FIGURE, before they
      are renamed into place, are whole: PDF is not empty and pdfinfo reads
      it, TEX is not empty and ends as gnuplot's cairolatex drawings end
      (\\endgroup).  gnuplot exits 0 when it could write nothing (a full
      disk), leaving empty files; the Makefile's figure rule runs this
      after gnuplot.

Exits 1 on any failure.
"""
import glob
import os
import re
import subprocess
import sys

MIN_PT = 7.0

# The size commands of the standard classes, by the class's point size.
SIZES = {
    10: {"tiny": 5, "scriptsize": 7, "footnotesize": 8, "small": 9, "normalsize": 10,
         "large": 12, "Large": 14.4, "LARGE": 17.28, "huge": 20.74, "Huge": 24.88},
    11: {"tiny": 6, "scriptsize": 8, "footnotesize": 9, "small": 10, "normalsize": 10.95,
         "large": 12, "Large": 14.4, "LARGE": 17.28, "huge": 20.74, "Huge": 24.88},
    12: {"tiny": 6, "scriptsize": 8, "footnotesize": 10, "small": 10.95, "normalsize": 12,
         "large": 14.4, "Large": 17.28, "LARGE": 20.74, "huge": 24.88, "Huge": 24.88},
}


def plot_commands(lines):
    """(first, last) line indexes of each plot command outside a table:
    a line starting with plot or splot, or an eval of a string that starts
    with one, and its continuation lines."""
    commands, in_table, i = [], False, 0
    while i < len(lines):
        line = lines[i]
        first = i
        while lines[i].rstrip().endswith("\\") and i + 1 < len(lines):
            i += 1
        if re.match(r"\s*set\s+table\b", line) or re.match(r"""\s*eval\b.*["']set\s+table\b""", line):
            in_table = True
        elif re.match(r"\s*unset\s+table\b", line):
            in_table = False
        elif (re.match(r"\s*s?plot\b", line) or re.match(r"""\s*eval\b.*["']s?plot\b""", line)) \
                and not in_table:
            commands.append((first, i))
        i += 1
    return commands


def unchecked_plots(path):
    with open(path, encoding="utf-8") as fp:
        lines = fp.read().split("\n")
    problems = []
    for first, last in plot_commands(lines):
        following = [l.strip() for l in lines[last + 1:] if l.strip() and not l.strip().startswith("#")]
        if not following or following[0] != "@check_clip":
            problems.append(f"{path}:{first + 1}: a plot not followed by @check_clip "
                            f"(figures/style.gp): points outside its axes would go unnoticed")
    return problems


def class_sizes(report="report/report.tex"):
    with open(report, encoding="utf-8") as fp:
        m = re.search(r"\\documentclass\[([^]]*)\]", fp.read())
    pt = re.search(r"\b(10|11|12)pt\b", m.group(1)) if m else None
    return SIZES[int(pt.group(1)) if pt else 10]


def smallest_size(path, sizes):
    """The smallest size command a figure's or diagram's source sets, or None."""
    with open(path, encoding="utf-8") as fp:
        text = fp.read()
    if path.endswith(".gp"):
        text = re.sub(r"(?m)^\s*#.*$", "", text)
    else:
        text = re.sub(r"(?<!\\)%.*", "", text)
    found = [sizes[name] for name in re.findall(r"\\([a-zA-Z]+)(?![a-zA-Z])", text) if name in sizes]
    found += [float(n) for n in re.findall(r"\\fontsize\s*\{\s*([0-9.]+)", text)]
    return min(found) if found else None


def small_text(log):
    sizes = class_sizes()
    problems, seen = [], 0
    with open(log, encoding="utf-8", errors="replace") as fp:
        entries = re.findall(r"^kit-figure: (\S+) scale (\d+) size ([0-9.]+)", fp.read(), re.MULTILINE)
    for source, permille, around in entries:
        seen += 1
        scale = int(permille) / 1000
        own = smallest_size(source, sizes)
        size = min(float(around), own) if own is not None else float(around)
        if size * scale < MIN_PT - 0.05:
            how = f"{size:g} pt text" + (f" printed at {scale:.2f} of its size" if scale < 1 else "")
            problems.append(f"{source}: {how} is {size * scale:.1f} pt in print, under {MIN_PT:g} pt: "
                            + ("draw it narrower (at its printed size)" if scale < 1 else "use a larger size"))
    if not seen:
        problems.append(f"{log}: no kit-figure lines (is report/kit.sty's \\kitfigure in use?)")
    logged = {source for source, _, _ in entries}
    for path in sorted(glob.glob("report/diagrams/*.tex")):
        if path not in logged:
            problems.append(f"{path}: not in the report through \\kitdiagram, so its print scale "
                            f"is unknown (\\input or \\resizebox around it?)")
    return problems


def drawn_problems(figure, pdf, tex):
    """What is wrong with the files gnuplot drew for figure, if anything."""
    problems = []
    cause = "(is the disk full?)"
    for path in (pdf, tex):
        if not os.path.isfile(path):
            problems.append(f"{figure}: gnuplot wrote no {path} {cause}")
        elif os.path.getsize(path) == 0:
            problems.append(f"{figure}: gnuplot wrote an empty {path} {cause}")
    if problems:
        return problems
    info = subprocess.run(["pdfinfo", pdf], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          universal_newlines=True, errors="replace")
    if info.returncode != 0:
        why = info.stderr.strip().splitlines()
        problems.append(f"{figure}: {pdf} is not a whole PDF (pdfinfo: "
                        f"{why[0] if why else 'exit status %d' % info.returncode}) {cause}")
    with open(tex, "rb") as f:
        f.seek(max(0, os.path.getsize(tex) - 200))
        end = f.read().decode("utf-8", "replace").rstrip()
    if not end.endswith("\\endgroup"):
        problems.append(f"{figure}: {tex} is cut short: it does not end with \\endgroup, "
                        f"as gnuplot's drawings do {cause}")
    return problems


def main(argv):
    scripts, log, problems = [], None, []
    drawn = None
    while argv:
        arg = argv.pop(0)
        if arg == "--log" and argv:
            log = argv.pop(0)
        elif arg == "--drawn" and len(argv) >= 3:
            drawn, argv = argv[:3], argv[3:]
        elif arg == "--scripts":
            while argv and not argv[0].startswith("--"):
                scripts.append(argv.pop(0))
        else:
            print(__doc__, file=sys.stderr)
            return 2
    for path in scripts:
        problems += unchecked_plots(path)
    if log:
        problems += small_text(log)
    if drawn:
        problems += drawn_problems(*drawn)
    for p in problems:
        print(f"error: {p}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
