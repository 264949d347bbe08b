"""booktext.py - reading the book's sources and the programs' numbers, for
the scripts that check one against the other (check-refs.py,
check-claims.py, test-check-claims.py)."""
import os
import re
import sys

OUTCOME = re.compile(r"\\kitoutcome\{([^}]*)\}\{([^}]*)\}\{([^}]*)\}")
NUMBER = re.compile(r"\\kitnumber\{([^}]*)\}")
PENDING = re.compile(r"\\kitpending\{([^}]*)\}")
CLAIM = re.compile(r"\\kitclaim\{([^}]*)\}\{([^}]*)\}")


def lines_of(path):
    """(number, line) for each line of a file, numbered from 1."""
    with open(path, encoding="utf-8") as fp:
        return list(enumerate(fp.read().split("\n"), 1))


def tex_files(root):
    """The chapters' and the report's .tex files."""
    found = []
    for top in ("chapters", "report"):
        folder = os.path.join(root, top)
        if os.path.isdir(folder):
            found += [os.path.join(folder, f) for f in sorted(os.listdir(folder))
                      if f.endswith(".tex")]
    return found


def without_comments(line):
    """A LaTeX line without its comment (an unescaped % and what follows)."""
    return re.sub(r"(?<!\\)%.*", "", line)


def read_numbers(paths):
    """The verdicts {key: (outcome, [outcomes])}, the pending chapters, and
    the problems of the numbers files themselves: a key written twice (as
    a number and as a verdict, say: \\kitnum would print the later)."""
    outcomes, pending, problems, seen = {}, set(), [], {}
    for path in paths:
        with open(path, encoding="utf-8") as fp:
            text = fp.read()
        for key, value, every in OUTCOME.findall(text):
            outcomes[key] = (value, every.split("|"))
        for key in NUMBER.findall(text) + [k for k, _, _ in OUTCOME.findall(text)]:
            if key in seen:
                problems.append(f"{path}: {key} is written twice (also in {seen[key]})")
            seen[key] = path
        pending.update(PENDING.findall(text))
    return outcomes, pending, problems


def run_checker(argv, usage, check):
    """The command line of a checker, [--root DIR] NUMBERS.tex...: calls
    check(root, numbers), which returns (problems, warnings), prints them
    and returns the exit status (1 on a problem, 2 on a bad option)."""
    root, numbers = ".", []
    i = 0
    while i < len(argv):
        if argv[i] == "--root" and i + 1 < len(argv):
            root, i = argv[i + 1], i + 2
        elif argv[i].startswith("-"):
            print(usage.strip(), file=sys.stderr)
            return 2
        else:
            numbers.append(argv[i])
            i += 1
    try:
        problems, warnings = check(root, numbers)
    except OSError as e:
        print(f"error: {e.filename}: {e.strerror}", file=sys.stderr)
        return 1
    for w in warnings:
        print("warning: " + w, file=sys.stderr)
    for p in problems:
        print("error: " + p, file=sys.stderr)
    return 1 if problems else 0
