#!/usr/bin/python3
"""checktable.py OUT.tex CHAPTER.tex...

The book's "How this chapter is checked" tables come from the tests
themselves.  A test the book cites carries, in the comment just above its
START_TEST, three fields:

    /* ...what the test does, in prose...
     * @checks eq:ch03-delta3, eq:ch03-gradients   (labels it checks, or -)
     * @asserts the output error is $f - e_y$ and sums to zero   (LaTeX)
     * @tolerance 1e-12 absolute */

A field runs on to the next field or the end of the comment.  This writes
OUT.tex, one line per annotated test:

    \\kitcheckdata{suite:test}{what it checks}{asserts}{tolerance}{test name as TeX}

where what it checks is the labels as references, \\eqref{eq:...} for an
equation and \\cref{...} for anything else, or "the program" for -.

and fails, naming the file and line, when
  - a chapter's \\checkedby{suite}{test} names a test without the fields;
  - a field is missing or empty in an annotated test;
  - a tolerance quotes a number or a constant that neither the test's body
    nor a function of its file that the body calls (one level down)
    contains: the table would print a tolerance the test does not use.
    "exact" and words are allowed.
"""
import glob
import os
import re
import sys

FIELDS = ("checks", "asserts", "tolerance")
START = re.compile(r"^START_TEST\((\w+)\)", re.MULTILINE)
CHECKEDBY = re.compile(r"\\checkedby\{([^}]*)\}\{([^}]*)\}")
# Tokens of a tolerance the test's body must hold: numbers such as 1e-12,
# 0.5 or 4, and UPPER_CASE constants.
TOKEN = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?(?:e[+-]?\d+)?|[A-Z][A-Z0-9_]{2,})(?![\w.])")


def last_comment(text):
    """The text of the /* ... */ comment that ends text (blank lines after
    it allowed), or ''."""
    stripped = text.rstrip()
    if not stripped.endswith("*/"):
        return ""
    start = stripped.rfind("/*")
    return stripped[start + 2:-2] if start >= 0 else ""


def fields_of(comment):
    """{field: value} of a comment's @fields, continuation lines joined."""
    found, current = {}, None
    for line in comment.split("\n"):
        line = re.sub(r"^\s*\*?\s?", "", line).rstrip()
        m = re.match(r"@(\w+)\s*(.*)", line)
        if m:
            current = m.group(1)
            found[current] = m.group(2).strip()
        elif current and line:
            found[current] = (found[current] + " " + line.strip()).strip()
    return found


def body_of(text, start):
    """The test's body: from START_TEST to its END_TEST."""
    end = text.find("END_TEST", start)
    return text[start:end if end >= 0 else len(text)]


def functions_of(text):
    """{name: text} of the file's functions defined at the left margin
    (a line "NAME(...)" or "type NAME(...)" up to the next line "}")."""
    found = {}
    for m in re.finditer(r"^[A-Za-z_][\w \t\*]*?\b(\w+)\([^;{]*\)\s*\{", text, re.MULTILINE):
        end = text.find("\n}", m.end())
        found[m.group(1)] = text[m.start():end if end >= 0 else len(text)]
    return found


def with_helpers(body, functions):
    """The body and the functions it calls, one level down: where a
    test's tolerance may be written."""
    called = [f for name, f in functions.items() if re.search(rf"\b{name}\s*\(", body)]
    return "\n".join([body] + called)


def tex_name(name):
    """A test name as TeX that may break after each underscore."""
    return "\\_\\allowbreak{}".join(name.split("_"))


def references(labels):
    """The @checks labels as LaTeX references; "the program" for -."""
    if labels.strip() == "-":
        return "the program"
    return ", ".join(("\\eqref{%s}" if label.startswith("eq:") else "\\cref{%s}") % label
                     for label in (x.strip() for x in labels.split(",")) if label)


def read_tests(folder):
    """{suite:test: (fields, path, line)} for every test in folder, and the problems."""
    tests, problems = {}, []
    for path in sorted(glob.glob(os.path.join(folder, "check_*.c"))):
        suite = os.path.basename(path)[len("check_"):-2]
        with open(path, encoding="utf-8") as fp:
            text = fp.read()
        functions = functions_of(text)
        for m in START.finditer(text):
            line = text.count("\n", 0, m.start()) + 1
            fields = fields_of(last_comment(text[:m.start()]))
            key = f"{suite}:{m.group(1)}"
            tests[key] = (fields, path, line)
            if not any(f in fields for f in FIELDS):
                continue
            for f in FIELDS:
                if not fields.get(f):
                    problems.append(f"{path}:{line}: {m.group(1)} has no @{f} (the book's table of "
                                    f"checks prints it)")
            body = with_helpers(body_of(text, m.start()), functions)
            for token in TOKEN.findall(fields.get("tolerance", "")):
                if not re.search(rf"(?<![\w.]){re.escape(token)}(?![\w.])", body):
                    problems.append(f"{path}:{line}: {m.group(1)}'s @tolerance quotes {token}, which "
                                    f"its body does not use")
    return tests, problems


def main(argv):
    if len(argv) < 1:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    out, chapters = argv[0], argv[1:]
    tests, problems = read_tests("tests")
    for path in chapters:
        with open(path, encoding="utf-8") as fp:
            for n, line in enumerate(fp, 1):
                for suite, test in CHECKEDBY.findall(line):
                    fields = tests.get(f"{suite}:{test}", ({}, None, 0))[0]
                    if not all(fields.get(f) for f in FIELDS):
                        problems.append(f"{path}:{n}: \\checkedby{{{suite}}}{{{test}}}: the test has no "
                                        f"@checks, @asserts and @tolerance in the comment above its "
                                        f"START_TEST in tests/check_{suite}.c")
    for p in problems:
        print("error: " + p, file=sys.stderr)
    if problems:
        return 1
    lines = ["% Written by tools/checktable.py from the tests' @checks comments: do not edit."]
    for key, (fields, _, _) in sorted(tests.items()):
        if all(fields.get(f) for f in FIELDS):
            lines.append(f"\\kitcheckdata{{{key}}}{{{references(fields['checks'])}}}{{{fields['asserts']}}}"
                         f"{{{fields['tolerance']}}}{{{tex_name(key.split(':')[1])}}}")
    os.makedirs(os.path.dirname(out) or ".", exist_ok=True)
    with open(out + ".tmp", "w", encoding="utf-8") as fp:
        fp.write("\n".join(lines) + "\n")
    os.replace(out + ".tmp", out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
