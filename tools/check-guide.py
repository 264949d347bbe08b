#!/usr/bin/python3
"""check-guide.py [ROOT]

The instructor's guide answers every exercise.  Each \\item of a chapter's
exercises environment must carry \\label{ex:chNN-name}, and
guide/answers/chNN.tex must hold \\begin{answer}{ex:chNN-name} for each,
and no answer for a label that no exercise has.  Exits 1, naming the file
and line, on any gap.
"""
import glob
import os
import re
import sys


def exercises_of(path):
    """[(line, label or None)] for each \\item of the file's exercises."""
    items, inside = [], False
    with open(path, encoding="utf-8") as fp:
        for n, line in enumerate(fp, 1):
            if "\\begin{exercises}" in line:
                inside = True
            elif "\\end{exercises}" in line:
                inside = False
            elif inside and re.match(r"\s*\\item\b", line):
                m = re.search(r"\\label\{(ex:[^}]*)\}", line)
                items.append((n, m.group(1) if m else None))
    return items


def main(argv):
    root = argv[0] if argv else "."
    problems = []
    for chapter in sorted(glob.glob(os.path.join(root, "chapters", "ch*.tex"))):
        nn = os.path.basename(chapter)[:4]
        answers_path = os.path.join(root, "guide", "answers", nn + ".tex")
        answers = {}
        if os.path.exists(answers_path):
            with open(answers_path, encoding="utf-8") as fp:
                for n, line in enumerate(fp, 1):
                    for label in re.findall(r"\\begin\{answer\}\{([^}]*)\}", line):
                        answers[label] = n
        labels = set()
        for n, label in exercises_of(chapter):
            if label is None:
                problems.append(f"{chapter}:{n}: an exercise without \\label{{ex:{nn}-...}} on its "
                                f"\\item line (the guide's answer refers to it)")
                continue
            labels.add(label)
            if label not in answers:
                problems.append(f"{chapter}:{n}: exercise {label} has no answer in {answers_path}")
        for label, n in sorted(answers.items()):
            if label not in labels:
                problems.append(f"{answers_path}:{n}: an answer to {label}, which no exercise of "
                                f"{chapter} has")
    for p in problems:
        print("error: " + p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
