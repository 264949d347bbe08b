#!/usr/bin/python3
"""check-report.py [--pdf FILE | --pdftext FILE] [--figures DIR] NUMBERS.tex...

The report's defects that LaTeX does not report, each a failure naming where
it is (tools/check-latex-log.sh catches the others: overfull lines and
unresolved references or citations):

  a listing split across pages: a code excerpt's title ("FILE, lines A--B")
      and its last line number B must be on the same page of the PDF;
  a figure with more than one curve and no key: a gnuplot script in the
      figures folder that plots two curves or more must title at least one;
  a number with more digits than the book's convention: a decimal that a
      program wrote for the text (\\kitnumber) may have at most four
      significant digits (a count or an integer is exempt).

The PDF's text comes from pdftotext -layout, or from --pdftext FILE (pages
separated by form feeds) for the tests in tools/test-check-report.sh.
Exits 1 on any defect.
"""
import glob
import os
import re
import subprocess
import sys

MAX_DIGITS = 4


def pages_of(pdf, pdftext):
    if pdftext:
        with open(pdftext, encoding="utf-8") as fp:
            return fp.read().split("\f")
    out = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True, text=True, check=True)
    return out.stdout.split("\f")


def split_listings(pages):
    """A listing whose title's page does not hold its last line number."""
    problems = []
    title = re.compile(r"(\S+\.[ch]), lines (\d+)\s*[–-]+\s*(\d+)")
    for p, text in enumerate(pages, 1):
        for m in title.finditer(text):
            last = m.group(3)
            rest = text[m.end():]
            if not re.search(rf"^\s*{last}\s", rest, re.MULTILINE):
                problems.append(f"page {p}: the listing of {m.group(1)}, lines {m.group(2)}-{last}, "
                                f"goes on past the page")
    return problems


def plot_commands(script):
    """The plot commands of a gnuplot script, continuation lines joined."""
    text = re.sub(r"\\\n", " ", script)
    return [line.strip() for line in text.split("\n") if re.match(r"\s*plot\b", line)]


def keyless_figures(folder):
    problems = []
    for path in sorted(glob.glob(os.path.join(folder, "*.gp"))):
        with open(path, encoding="utf-8") as fp:
            script = fp.read()
        curves = titled = 0
        for cmd in plot_commands(script):
            for element in re.split(r",\s*(?=resdir|''|NaN|x\b|for\b|\S+\.dat)", cmd[4:]):
                if re.search(r"with\s+(labels|image|filledcurves)", element):
                    continue
                curves += 1
                titled += bool(re.search(r"\btitle\b", element)) and not re.search(r"\bnotitle\b", element)
        if curves >= 2 and titled == 0:
            problems.append(f"{path}: {curves} curves and no key (no curve has a title)")
    return problems


def long_numbers(paths):
    problems = []
    entry = re.compile(r"\\kitnumber\{([^}]*)\}\{(.*)\}\s*$")
    for path in paths:
        with open(path, encoding="utf-8") as fp:
            for n, line in enumerate(fp, 1):
                m = entry.match(line)
                if not m or not re.fullmatch(r"[+-]?\d+\.\d+", m.group(2)):
                    continue
                digits = len(m.group(2).lstrip("+-").replace(".", "").lstrip("0"))
                if digits > MAX_DIGITS:
                    problems.append(f"{path}:{n}: {m.group(1)} = {m.group(2)} has {digits} significant "
                                    f"digits; the book prints at most {MAX_DIGITS}")
    return problems


def main(argv):
    pdf = pdftext = figures = None
    numbers = []
    while argv:
        arg = argv.pop(0)
        if arg in ("--pdf", "--pdftext", "--figures") and argv:
            value = argv.pop(0)
            pdf, pdftext, figures = (value if arg == "--pdf" else pdf,
                                     value if arg == "--pdftext" else pdftext,
                                     value if arg == "--figures" else figures)
        else:
            numbers.append(arg)
    problems = []
    if pdf or pdftext:
        problems += split_listings(pages_of(pdf, pdftext))
    if figures:
        problems += keyless_figures(figures)
    problems += long_numbers(numbers)
    for p in problems:
        print("error: " + p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
