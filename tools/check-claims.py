#!/usr/bin/python3
"""check-claims.py [--root DIR] NUMBERS.tex... - every sentence about a
measured result must hold on this build's numbers.

The programs write verdicts into their numbers.tex as
    \\kitoutcome{key}{outcome}{outcome1|outcome2|...}
(src/lib/verdict.h: each outcome decided by a stated rule).  The chapters
use them three ways: \\kitverdict{key} prints the outcome, \\kitif{key}{o}
{...}{...} branches on it, and \\kitclaim{key}{o} asserts it beside a
sentence that is true only when the outcome is o.

Fails (exit 1, one line per problem, naming the file, the line and the
sentence) when
  - a \\kitclaim's outcome is not the one this build computed;
  - a \\kitclaim or \\kitif names an outcome the rule cannot give (a typo
    would otherwise make a branch that never runs);
  - a key is written twice in the numbers files (a verdict that shares
    its key with a number would print in its place);
  - a verdict key no program computed is used (unless its chapter's
    program has not run: \\kitpending, in the handout);
  - a chapter quotes another chapter's number (\\kitnum{chMM.key}) in a
    paragraph that gives no verdict of chapter MM: a claim about another
    chapter's result goes through that chapter's verdict, so that two
    chapters cannot judge the same numbers differently.
make runs this before it typesets the report.
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from booktext import CLAIM, read_numbers, run_checker, tex_files, without_comments  # noqa: E402

BRANCH = re.compile(r"\\kitif\{([^}]*)\}\{([^}]*)\}")
VERDICT = re.compile(r"\\kitverdict\{([^}]*)\}")
KITNUM = re.compile(r"\\kitnum\{(ch\d\d)\.[^}]*\}")
VERDICT_USE = re.compile(r"\\kit(?:verdict|claim|if)\{(ch\d\d)\.")
CHAPTER_FILE = re.compile(r"ch(\d\d)_")


def sentence_at(lines, index, column):
    """The sentence of the text around lines[index][column], without its
    LaTeX markup, for the message."""
    text = " ".join(without_comments(l).strip() for l in lines[max(0, index - 3):index + 4])
    offset = sum(len(without_comments(l).strip()) + 1 for l in lines[max(0, index - 3):index])
    here = offset + column
    start = max(text.rfind(". ", 0, here), text.rfind("\n", 0, here), -1) + 1
    end = text.find(". ", here)
    sentence = text[start:end + 1 if end >= 0 else len(text)].strip()
    sentence = re.sub(r"\\kit(?:claim|if)\{[^}]*\}\{[^}]*\}", "", sentence)
    sentence = re.sub(r"\\([a-zA-Z]+)\*?(\{([^{}]*)\})?",
                      lambda m: m.group(3) if m.group(2) is not None else m.group(1), sentence)
    sentence = re.sub(r"[{}$~]", "", re.sub(r"\s+", " ", sentence)).strip()
    return sentence if len(sentence) <= 160 else sentence[:157] + "..."


def paragraphs(lines):
    """(first line index, last line index) of each blank-line paragraph."""
    spans, start = [], None
    for i, line in enumerate(lines):
        if line.strip():
            start = i if start is None else start
        elif start is not None:
            spans.append((start, i - 1))
            start = None
    if start is not None:
        spans.append((start, len(lines) - 1))
    return spans


def check_file(path, rel, outcomes, pending):
    problems = []
    with open(path, encoding="utf-8") as fp:
        lines = fp.read().split("\n")
    for i, raw in enumerate(lines):
        line = without_comments(raw)
        uses = [(m, m.group(1), m.group(2)) for m in CLAIM.finditer(line)]
        uses += [(m, m.group(1), m.group(2)) for m in BRANCH.finditer(line)]
        uses += [(m, m.group(1), None) for m in VERDICT.finditer(line)]
        for match, key, wanted in uses:
            where = f"{rel}:{i + 1}"
            if key not in outcomes:
                if key.split(".")[0] not in pending:
                    problems.append(f"{where}: no program computed the verdict {key}")
                continue
            got, every = outcomes[key]
            if wanted is not None and wanted not in every:
                problems.append(f"{where}: '{wanted}' is not an outcome of {key} "
                                f"(its rule gives {' | '.join(every)})")
            elif match.re is CLAIM and wanted != got:
                problems.append(f"{where}: this sentence holds only if {key} is '{wanted}', "
                                f"but this build computed '{got}': "
                                f"\"{sentence_at(lines, i, match.start())}\"")

    mine = CHAPTER_FILE.search(os.path.basename(path))
    if mine and rel.startswith("chapters"):
        for first, last in paragraphs(lines):
            text = "\n".join(without_comments(l) for l in lines[first:last + 1])
            judged = set(VERDICT_USE.findall(text))
            for i in range(first, last + 1):
                for m in KITNUM.finditer(without_comments(lines[i])):
                    other = m.group(1)
                    if other != "ch" + mine.group(1) and other not in judged:
                        problems.append(f"{rel}:{i + 1}: quotes {m.group(0)} from {other} in a "
                                        f"paragraph that gives none of {other}'s verdicts; a claim "
                                        f"about another chapter's result goes through its verdict")
    return problems


def check(root, numbers):
    outcomes, pending, problems = read_numbers(numbers)
    for path in tex_files(root):
        problems += check_file(path, os.path.relpath(path, root), outcomes, pending)
    return problems, []


def main(argv):
    return run_checker(argv, __doc__, check)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
