#!/usr/bin/python3
"""check-figures.py --scripts SCRIPT.gp...

Every plot command of a gnuplot script is followed by @check_clip
(figures/style.gp), which stops the drawing when a point falls outside the
axes.  A plot into a table (between set table and unset table, as for
contours) draws nothing and is exempt.  The Makefile's figure rule runs this
before gnuplot.  Each failure names its file and line; exits 1 on any.
"""
import re
import sys


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


def main(argv):
    scripts, problems = [], []
    while argv:
        arg = argv.pop(0)
        if arg == "--scripts":
            while argv and not argv[0].startswith("--"):
                scripts.append(argv.pop(0))
        else:
            print(__doc__, file=sys.stderr)
            return 2
    for path in scripts:
        problems += unchecked_plots(path)
    for p in problems:
        print(f"error: {p}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
