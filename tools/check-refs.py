#!/usr/bin/python3
"""check-refs.py [--root DIR] [NUMBERS.tex...] - the book and the code
must name the same things.

Fails (exit 1, one line per problem, naming file and line) when
  - a comment or message in src/ or tests/ cites an equation label,
    eq:chNN-name, that no chapter defines with \\label;
  - a chapter's \\checkedby{suite}{test} names a test that is not a
    START_TEST of tests/check_suite.c;
  - a symbol report/kit.sty defines in its notation block (between
    "% @notation begin" and "% @notation end") has no \\kitnotation row,
    so the notation table would not list it;
  - a chapter, a report page, a diagram or a figure's label writes \\eta,
    \\delta, \\ell or a transpose as T where the notation block has a macro
    (\\lr, \\err or \\kron, \\layer, \\T): one symbol per meaning.
  - a program writes a number (a \\kitnumber in one of the NUMBERS.tex
    files given) that nothing reads: no chapter or report page prints it
    with \\kitnum, nor the instructor's guide (guide/), nor a test's
    comment that the book's tables quote (tests/), nor a figure's script
    (figures/, which reads it from numbers.tex by its key).  A number
    nobody reads is not news: print it or stop writing it.  (In a
    student's kit, which has no guide/, the guide's numbers cannot be
    told apart, and this is not checked.)
A \\kitnum key that no program writes already stops LaTeX (report/kit.sty).
make runs this before it typesets the report.
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import regions  # noqa: E402
from booktext import lines_of, run_checker, tex_files, without_comments  # noqa: E402

LABEL = re.compile(r"\\label\{(eq:[^}]+)\}")
CITATION = re.compile(r"\beq:ch\d\d-[a-z0-9-]*[a-z0-9]")
CHECKEDBY = re.compile(r"\\checkedby\{([^}]*)\}\{([^}]*)\}")
KITNUM = re.compile(r"\\kitnum\{([^}]*)\}")
KITNUMBER = re.compile(r"\\kitnumber\{([^}]*)\}")


# Symbols written raw where the book has a macro for their meaning
# (report/kit.sty's notation block), and the transpose set another way.
RAW_SYMBOLS = [
    (re.compile(r"\\eta(?![A-Za-z])"), "\\eta", "\\lr (the learning rate)"),
    (re.compile(r"\\delta(?![A-Za-z])"), "\\delta", "\\err (the error) or \\kron{k}{l} (Kronecker's)"),
    (re.compile(r"\\ell(?![A-Za-z])"), "\\ell", "\\layer (the layer index)"),
    (re.compile(r"\\mathsf\s*\{?T\b|\^\{?T(?![A-Za-z])"), "a transpose as T", "\\T (the transpose, set as ⊤)"),
]


def raw_symbol_problems(root):
    """Chapters, report pages, diagrams and figure labels that write a raw
    symbol where the notation block defines a macro."""
    problems = []
    folders = [("chapters", ".tex", "%"), ("report", ".tex", "%"),
               (os.path.join("report", "diagrams"), ".tex", "%"), ("figures", ".gp", "#")]
    for folder, ending, comment in folders:
        path = os.path.join(root, folder)
        if not os.path.isdir(path):
            continue
        for name in sorted(os.listdir(path)):
            if not name.endswith(ending):
                continue
            rel = os.path.join(folder, name)
            for number, line in lines_of(os.path.join(root, rel)):
                code = line.split(comment, 1)[0] if comment == "#" else without_comments(line)
                for pattern, what, macro in RAW_SYMBOLS:
                    if pattern.search(code):
                        problems.append(f"{rel}:{number}: writes {what}; the book's symbol is {macro}, "
                                        "from report/kit.sty's notation")
    return problems


def notation_problems(root):
    """Symbols defined in kit.sty's notation block without a table row."""
    path = os.path.join(root, "report", "kit.sty")
    if not os.path.exists(path):
        return []
    text = open(path, encoding="utf-8").read()
    begin, end = text.find("% @notation begin"), text.find("% @notation end")
    if begin < 0 or end < begin:
        return [f"report/kit.sty: no '% @notation begin' ... '% @notation end' block"]
    block = text[begin:end]
    rows = " ".join(re.findall(r"\\kitnotation\{(.*)\}\{", block))
    problems = []
    for name in re.findall(r"\\newcommand\{\\([A-Za-z]+)\}", block):
        if not re.search(r"\\" + name + r"(?![A-Za-z])", rows):
            problems.append(f"report/kit.sty: the symbol \\{name} has no \\kitnotation row "
                            "in the notation table")
    return problems


# A figure's script reads a number from numbers.tex by its key, in braces.
FIGURE_KEY = re.compile(r"\{(ch\d\d\.[A-Za-z0-9_.]+)\}")


def readers_keys(root):
    """The keys read outside the chapters and the report: printed by the
    instructor's guide or by a test's comment (which the book's tables of
    checks quote), or read by a figure's script."""
    keys = set()
    for folder, ending, pattern in (("guide", ".tex", KITNUM), ("tests", ".c", KITNUM),
                                    ("figures", ".gp", FIGURE_KEY)):
        for dirpath, _, names in os.walk(os.path.join(root, folder)):
            for name in sorted(names):
                if name.endswith(ending):
                    for _, line in lines_of(os.path.join(dirpath, name)):
                        keys.update(pattern.findall(line))
    return keys


def check(root, numbers):
    problems, warnings = [], []
    labels, used_keys = set(), set()
    for path in tex_files(root):
        for _, line in lines_of(path):
            labels.update(LABEL.findall(line))
            used_keys.update(KITNUM.findall(line))

    for path in regions.source_files(root):
        for number, line in lines_of(os.path.join(root, path)):
            for label in CITATION.findall(line):
                if label not in labels:
                    problems.append(f"{path}:{number}: cites {label}, which no chapter defines "
                                    "with \\label")

    tests = regions.find_tests(root)
    for path in tex_files(root):
        for number, line in lines_of(path):
            for suite, test in CHECKEDBY.findall(line):
                if f"{suite}:{test}" not in tests:
                    problems.append(f"{os.path.relpath(path, root)}:{number}: \\checkedby names "
                                    f"{test} in suite {suite}, which tests/check_{suite}.c does "
                                    "not have")

    problems += notation_problems(root) + raw_symbol_problems(root)

    if os.path.isdir(os.path.join(root, "guide")):
        used_keys |= readers_keys(root)
        for path in numbers:
            unused = [key for _, line in lines_of(path) for key in KITNUMBER.findall(line)
                      if key not in used_keys]
            if unused:
                problems.append(f"{path}: {len(unused)} number(s) written that nothing reads (no "
                                "chapter, guide page, test comment or figure): "
                                + ", ".join(unused) + "; print them or stop writing them")
    return problems, warnings


def main(argv):
    return run_checker(argv, __doc__, check)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
