#!/usr/bin/python3
"""check-report.py [--pdf FILE | --pdftext FILE --bbox FILE] [--figures DIR] NUMBERS.tex...

The report's defects that LaTeX does not report, each a failure naming where
it is (tools/check-latex-log.sh catches the others: overfull lines and
unresolved references or citations):

  a listing split across pages: a code excerpt's title ("FILE, lines A--B")
      and its last line number B must be on the same page of the PDF;
  a figure with more than one curve and no key: a gnuplot script in the
      figures folder that plots two curves or more must title at least one;
  a number with more digits than the book's convention: a decimal that a
      program wrote for the text (\\kitnumber) may have at most four
      significant digits (a count or an integer is exempt);

and the page make-up, each failure naming the page (its place in the PDF
and the number printed on it):

  a page more than a third blank: a page of a chapter whose lowest line of
      text (a figure's labels are text: the figures are drawn with
      cairolatex) ends above two thirds of the text area; the last page of a
      chapter, a chapter's opening page, the front matter (before Chapter 1)
      and the bibliography are exempt;
  a colon parted from its listing: a page whose text ends on a colon and
      whose next page starts with a listing's title;
  a caption touching its table: less than MIN_CAPTION_GAP points between a
      table's caption and the nearest row of its table (above the caption or
      below it; other text is a float's separation away, more than that);
  lines too long or too short to read: the median number of characters of
      the chapters' full lines of body text (lines that run from the left
      margin to the right one, in the body's type size: not listings,
      tables, display mathematics or headings) must be within LINE_CHARS.

The PDF's text comes from pdftotext -layout, or from --pdftext FILE (pages
separated by form feeds); the boxes of its lines from pdftotext -bbox-layout,
or from --bbox FILE (that XHTML): the tests in tools/test-check-report.sh
plant defects in both.  Exits 1 on any defect.  KIT_PAGES_WARN=1 reports
the page make-up defects as warnings and does not fail on them (temporary,
while the chapters' text is rewritten); KIT_PAGES_VERBOSE=1 prints the
measures (the median line, the text area, each table caption's gap).
"""
import glob
import os
import re
import statistics
import subprocess
import sys
import unicodedata
import xml.etree.ElementTree as ET
from collections import Counter

MAX_DIGITS = 4
BLANK_FRACTION = 2 / 3   # a chapter's page must have text below this much of the text area
MIN_CAPTION_GAP = 6.0    # points between a table's caption and its first row
LINE_CHARS = (65, 75)    # the median characters of a full line of body text
LISTING_TITLE = re.compile(r"(\S+\.[ch]), lines (\d+)\s*[–-]+\s*(\d+)")


def pages_of(pdf, pdftext):
    if pdftext:
        with open(pdftext, encoding="utf-8") as fp:
            return fp.read().split("\f")
    out = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True, text=True, check=True)
    return out.stdout.split("\f")


def split_listings(pages):
    """A listing whose title's page does not hold its last line number."""
    problems = []
    for p, text in enumerate(pages, 1):
        for m in LISTING_TITLE.finditer(text):
            last = m.group(3)
            rest = text[m.end():]
            if not re.search(rf"^\s*{last}\s", rest, re.MULTILINE):
                problems.append(f"{named(p, text_lines(text)[1])}: the listing of {m.group(1)}, "
                                f"lines {m.group(2)}-{last}, "
                                f"goes on past the page")
    return problems


def text_lines(page):
    """A page's non-empty lines of text, without its page number (its last
    line, when that is a number alone), and that number."""
    lines = [line.strip() for line in page.split("\n") if line.strip()]
    if lines and re.fullmatch(r"\d+|[ivxlcdm]+", lines[-1]):
        return lines[:-1], lines[-1]
    return lines, None


def named(p, printed):
    """A page as a reader finds it: its place in the PDF and its number."""
    return f"page {p} (printed {printed})" if printed else f"page {p}"


def colons_before_listings(pages):
    """A page ending on a colon (a lead-in) whose listing starts the next page."""
    problems = []
    for p, (text, after) in enumerate(zip(pages, pages[1:]), 1):
        lines, printed = text_lines(text)
        following, _ = text_lines(after)
        if not lines or not following or not lines[-1].endswith(":"):
            continue
        m = LISTING_TITLE.match(following[0])
        if m:
            problems.append(f"{named(p, printed)}: the page ends on a colon (\"...{lines[-1][-40:]}\") "
                            f"and the listing it introduces, {m.group(1)}, lines {m.group(2)}-{m.group(3)}, "
                            f"starts the next page")
    return problems


# ---------------------------------------------------------------------------
# The page make-up, from the boxes of the lines of text (pdftotext -bbox-layout).
class Line:
    """A line of text and its box, in points from the page's top left."""

    def __init__(self, box, words, block):
        self.x0, self.y0, self.x1, self.y1 = box
        self.words = words
        self.block = block
        self.text = " ".join(words)

    @property
    def height(self):
        return self.y1 - self.y0


class Page:
    def __init__(self, number, lines):
        self.number = number
        self.lines = sorted(lines, key=lambda line: (line.y0, line.x0))
        self.printed = None
        # The page number: the lowest line, a number alone, below the rest.
        if self.lines and re.fullmatch(r"\d+|[ivxlcdm]+", self.lines[-1].text):
            foot = self.lines[-1]
            if all(line.y1 <= foot.y0 + 1 for line in self.lines[:-1]):
                self.printed = foot.text
                self.lines = self.lines[:-1]
        self.role = "body"   # or front, opening, back (the bibliography)
        self.chapter = None  # the opening's title
        self.last = False    # the last page of its chapter

    def name(self):
        return named(self.number, self.printed)


def read_bbox(xhtml):
    """The pages of pdftotext -bbox-layout's XHTML."""
    # pdftotext writes some glyphs as control characters, which XML forbids.
    xhtml = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", xhtml)
    ns = "{http://www.w3.org/1999/xhtml}"
    pages = []
    for n, page in enumerate(ET.fromstring(xhtml).iter(ns + "page"), 1):
        lines = []
        for b, block in enumerate(page.iter(ns + "block")):
            for line in block.iter(ns + "line"):
                box = tuple(float(line.get(k)) for k in ("xMin", "yMin", "xMax", "yMax"))
                words = [unicodedata.normalize("NFKC", w.text or "") for w in line.iter(ns + "word")]
                lines.append(Line(box, words, b))
        pages.append(Page(n, lines))
    return pages


def bbox_pages_of(pdf, bbox):
    if bbox:
        with open(bbox, encoding="utf-8") as fp:
            return read_bbox(fp.read())
    out = subprocess.run(["pdftotext", "-bbox-layout", pdf, "-"], capture_output=True, text=True, check=True)
    return read_bbox(out.stdout)


def mode(values):
    return Counter(values).most_common(1)[0][0] if values else None


class Measure:
    """The book's measures, read from its pages: the body's line height and
    baseline skip, the text area's margins, top and bottom."""

    def __init__(self, pages):
        lines = [line for page in pages for line in page.lines]
        self.height = mode([round(line.height, 1) for line in lines])
        skips = [round(b.y0 - a.y0, 1) for page in pages for a, b in zip(page.lines, page.lines[1:])
                 if a.block == b.block and round(a.height, 1) == round(b.height, 1) == self.height]
        self.skip = mode([s for s in skips if s > 0]) or self.height
        self.left = mode([round(line.x0) for line in lines])
        self.right = mode([round(line.x1) for line in lines])
        # The text area's top: where most pages' first line starts (a root
        # sign or an accent may reach higher).
        self.top = mode([round(page.lines[0].y0) for page in pages if page.lines])
        self.bottom = max(line.y1 for line in lines)


def roles(pages, measure):
    """Marks each page: a chapter's opening (its first line well below the
    text area's top, in a larger type), the front matter (before the first
    numbered chapter), the bibliography or index (back), the body; and the
    last page of each chapter."""
    chapter = None
    for page in pages:
        first = page.lines[0] if page.lines else None
        if first and first.y0 > measure.top + 40 and first.height > 1.2 * measure.height:
            page.role = "opening"
            chapter = first.text
            if re.fullmatch(r"(Chapter|Appendix|Part) \S+", first.text) and len(page.lines) > 1:
                chapter += ": " + page.lines[1].text
        page.chapter = chapter
    numbered = [p for p in pages if p.role == "opening" and re.match(r"(Chapter|Part) ", p.chapter)]
    back = False
    for page in pages:
        if page.role == "opening":
            back = bool(re.fullmatch(r"Bibliography|References|Index", page.chapter))
        if numbered and page.number < numbered[0].number:
            page.role = "front"
        elif back:
            page.role = "back"
    for page, after in zip(pages, pages[1:] + [None]):
        page.last = after is None or after.role in ("opening", "back")


def blank_pages(pages, measure):
    """A chapter's page (not its last) whose text ends above BLANK_FRACTION
    of the text area."""
    problems = []
    limit = measure.top + BLANK_FRACTION * (measure.bottom - measure.top)
    for page in pages:
        if page.role != "body" or page.last:
            continue
        end = max((line.y1 for line in page.lines), default=measure.top)
        if end < limit:
            used = (end - measure.top) / (measure.bottom - measure.top)
            problems.append(f"{page.name()}: more than a third of the page is blank (its text ends "
                            f"{used:.0%} of the way down the text area, {measure.bottom - end:.0f}pt "
                            f"above its bottom) in {page.chapter or 'the body'}")
    return problems


def caption_gaps(pages, measure):
    """(page, table, gap): the space between a table's caption and its
    table, the nearer of the text above the caption (a caption below its
    table) and the text below it (a caption above).  The caption's lines are
    its block's lines a baseline skip apart."""
    gaps = []
    caption = re.compile(r"Table \S+?:")
    for page in pages:
        for i, line in enumerate(page.lines):
            m = caption.match(line.text)
            if not m:
                continue
            last = line
            for nxt in page.lines[i + 1:]:
                if nxt.block == line.block and 0 < nxt.y0 - last.y0 <= measure.skip + 1:
                    last = nxt
            half = 0.5 * measure.height
            above = [a.y1 for a in page.lines if a.y0 < line.y0 - half]
            below = [b.y0 for b in page.lines if b.y0 > last.y0 + half]
            gap = min(line.y0 - max(above, default=-1e9), min(below, default=1e9) - last.y1)
            gaps.append((page, m.group(0)[:-1], gap))
    return gaps


def touching_captions(pages, measure):
    """A table's caption closer than MIN_CAPTION_GAP to its first row."""
    return [f"{page.name()}: the caption of {table} touches its table ({gap:.1f}pt between "
            f"the caption's text and the table's; at least {MIN_CAPTION_GAP:g}pt)"
            for page, table, gap in caption_gaps(pages, measure) if gap < MIN_CAPTION_GAP]


def line_lengths(pages, measure):
    """The characters of the chapters' full lines of body text: lines that
    run from the left margin to the right one, in the body's type size."""
    counts = []
    for page in pages:
        if page.role not in ("body", "opening"):
            continue
        for line in page.lines:
            if (measure.left - 2.5 <= line.x0 <= measure.left + 2 and abs(line.x1 - measure.right) <= 3
                    and abs(line.height - measure.height) <= 0.05 * measure.height):
                counts.append(len(line.text))
    return counts


def long_lines(pages, measure):
    counts = line_lengths(pages, measure)
    if not counts:
        return []
    median = statistics.median(counts)
    low, high = LINE_CHARS
    if low <= median <= high:
        return []
    return [f"the body text's lines hold a median of {median:g} characters ({len(counts)} full lines "
            f"{measure.right - measure.left:.0f}pt wide); a book's lines hold {low}-{high}: "
            f"set the text width (report/report.tex's geometry) to about "
            f"{(measure.right - measure.left) * (low + high) / 2 / median / (72 / 2.54):.1f}cm"]


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
    pdf = pdftext = bbox = figures = None
    numbers = []
    while argv:
        arg = argv.pop(0)
        if arg in ("--pdf", "--pdftext", "--bbox", "--figures") and argv:
            value = argv.pop(0)
            pdf = value if arg == "--pdf" else pdf
            pdftext = value if arg == "--pdftext" else pdftext
            bbox = value if arg == "--bbox" else bbox
            figures = value if arg == "--figures" else figures
        else:
            numbers.append(arg)
    problems, makeup = [], []
    if pdf or pdftext:
        pages = pages_of(pdf, pdftext)
        problems += split_listings(pages)
        makeup += colons_before_listings(pages)
    if pdf or bbox:
        pages = bbox_pages_of(pdf, bbox)
        measure = Measure(pages)
        roles(pages, measure)
        makeup += blank_pages(pages, measure) + touching_captions(pages, measure) + long_lines(pages, measure)
        if os.environ.get("KIT_PAGES_VERBOSE"):
            counts = line_lengths(pages, measure)
            print(f"line length: median {statistics.median(counts) if counts else 0:g} characters "
                  f"over {len(counts)} full lines; text area {measure.left}-{measure.right} x "
                  f"{measure.top:.1f}-{measure.bottom:.1f}pt; caption gaps (pt) "
                  + " ".join(f"{t[6:]}:{g:.1f}" for _, t, g in caption_gaps(pages, measure)), file=sys.stderr)
    if figures:
        problems += keyless_figures(figures)
    problems += long_numbers(numbers)
    warn = os.environ.get("KIT_PAGES_WARN") == "1"
    for p in problems + ([] if warn else makeup):
        print("error: " + p, file=sys.stderr)
    for p in makeup if warn else []:
        print("warning: " + p + " (KIT_PAGES_WARN=1: not failing)", file=sys.stderr)
    return 1 if problems or makeup and not warn else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
