#!/usr/bin/python3
"""test-check-claims.py [--reruns] - the book's sentences cannot drift from
its numbers: tools/check-claims.py must refuse, naming the sentence, every
claim whose verdict is flipped, and the other mistakes it guards against.
CI runs this after make.

On a copy of this build's numbers (build/results/chNN/numbers.tex):
  - the real numbers are accepted;
  - for every \\kitclaim in the book, its verdict flipped to each other
    outcome of its rule is refused, and the message names the claim's
    file and line;
  - an outcome its rule cannot give, a verdict no program computed, and
    another chapter's number quoted without that chapter's verdict are
    refused.
With --reruns, also runs chapter programs again with another seed, fewer
epochs or other data (Fashion-MNIST, when Debian's dataset-fashion-mnist
is installed: tools/install-deps.sh --ci installs it), what a student or a
grader may do, and requires that the
book then either still holds or is refused sentence by sentence: every
line of the refusal names a file, a line and a claim.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(ROOT, "tools"))
CHECK = os.path.join(ROOT, "tools", "check-claims.py")
from booktext import CLAIM, OUTCOME, lines_of, read_numbers, tex_files, without_comments  # noqa: E402

failures = 0


def fail(text):
    global failures
    failures += 1
    print("FAIL: " + text)


def numbers_files(build):
    """The chapters' numbers and the bench's, as make passes them."""
    results = os.path.join(build, "results")
    found = sorted(os.path.join(results, d, "numbers.tex") for d in os.listdir(results)
                   if os.path.exists(os.path.join(results, d, "numbers.tex")))
    bench = os.path.join(build, "bench", "numbers.tex")
    return found + ([bench] if os.path.exists(bench) else [])


def run_check(numbers, root=ROOT):
    p = subprocess.run([CHECK, "--root", root] + numbers, capture_output=True, text=True)
    return p.returncode, p.stderr


def claims_in_book():
    found = []
    for path in tex_files(ROOT):
        rel = os.path.relpath(path, ROOT)
        for number, line in lines_of(path):
            for key, want in CLAIM.findall(without_comments(line)):
                found.append((rel, number, key, want))
    return found


def with_outcome(numbers, key, outcome, work):
    """A copy of the numbers files with key's outcome replaced."""
    copies = []
    for path in numbers:
        text = open(path, encoding="utf-8").read()
        text = OUTCOME.sub(lambda m: m.group(0) if m.group(1) != key else
                           f"\\kitoutcome{{{key}}}{{{outcome}}}{{{m.group(3)}}}", text)
        chapter = os.path.basename(os.path.dirname(path))
        os.makedirs(os.path.join(work, chapter), exist_ok=True)
        copy = os.path.join(work, chapter, "numbers.tex")
        open(copy, "w", encoding="utf-8").write(text)
        copies.append(copy)
    return copies


def expect_refusal(what, numbers, text, root=ROOT):
    status, out = run_check(numbers, root)
    if status == 0:
        fail(f"{what}: check-claims.py accepted it")
    elif text not in out:
        fail(f"{what}: the message does not say '{text}': {out.strip()}")
    else:
        return next(line for line in out.splitlines() if text in line)
    return None


def outcomes_of(numbers):
    return read_numbers(numbers)[0]


def flipped_claims(numbers, work):
    claims = claims_in_book()
    if not claims:
        fail("the book makes no \\kitclaim at all")
    outcomes = outcomes_of(numbers)
    flips = 0
    for rel, line, key, want in claims:
        if key not in outcomes:
            fail(f"{rel}:{line}: {key} is not in this build's numbers")
            continue
        for other in outcomes[key][1]:
            if other == want:
                continue
            copies = with_outcome(numbers, key, other, os.path.join(work, "flip"))
            if expect_refusal(f"{rel}:{line}: {key} flipped to '{other}'", copies, f"{rel}:{line}: "):
                flips += 1
    print(f"ok: {flips} flipped verdicts under {len(claims)} claims, each refused naming its sentence")


def planted_mistakes(numbers, work):
    """Copies of the book with one mistake each."""
    outcomes = outcomes_of(numbers)
    key = sorted(k for k in outcomes if k.startswith("ch09."))[0]
    cases = [
        ("an outcome its rule cannot give", f"\\kitif{{{key}}}{{maybe}}{{yes}}{{no}}", "is not an outcome of"),
        ("a verdict no program computed", "\\kitverdict{ch08.no.such.verdict}", "no program computed"),
        ("another chapter's number without its verdict", "\\kitnum{ch09.largestshare}",
         "a claim about another chapter's result goes through its verdict"),
    ]
    for what, planted, text in cases:
        kit = os.path.join(work, "kit")
        shutil.rmtree(kit, ignore_errors=True)
        shutil.copytree(os.path.join(ROOT, "chapters"), os.path.join(kit, "chapters"))
        os.makedirs(os.path.join(kit, "report"))
        path = os.path.join(kit, "chapters", "ch08_cosine.tex")
        with open(path, "a", encoding="utf-8") as fp:
            fp.write(f"\n\nA planted sentence {planted}.\n")
        line = expect_refusal(what, numbers, text, kit)
        if line:
            print(f"ok: {what} is refused: {line}")


def reruns(numbers, work):
    """Chapter programs run again as a student might; the book holds or is
    refused sentence by sentence."""
    runs = [
        ("ch08", ["build/bin/ch08_cosine", "--data", "data/mnist", "--epochs", "5"]),
        ("ch08", ["build/bin/ch08_cosine", "--data", "data/mnist", "--seed", "7"]),
        ("ch07", ["build/bin/ch07_residual", "--data", "data/mnist", "--seeds", "2", "--epochs", "10"]),
    ]
    fashion = "/usr/share/datasets/fashion-mnist"   # Debian's dataset-fashion-mnist
    if os.path.isdir(fashion):
        runs += [
            ("ch08", ["build/bin/ch08_cosine", "--data", fashion, "--epochs", "10"]),
            ("ch07", ["build/bin/ch07_residual", "--data", fashion, "--seeds", "2", "--epochs", "10"]),
        ]
    else:
        print(f"note: no {fashion} (Debian's dataset-fashion-mnist): the reruns on other data are skipped")
    for chapter, argv in runs:
        out = os.path.join(work, "rerun", chapter)
        shutil.rmtree(out, ignore_errors=True)
        p = subprocess.run(argv + ["--out", out], cwd=ROOT, capture_output=True, text=True)
        if p.returncode != 0:
            fail(f"{' '.join(argv)}: exit {p.returncode}: {p.stderr.strip()[-300:]}")
            continue
        swapped = [os.path.join(out, "numbers.tex") if f"/{chapter}/" in path else path
                   for path in numbers]
        status, text = run_check(swapped)
        lines = [l for l in text.splitlines() if l.strip()]
        named = [l for l in lines if re.match(r"error: (chapters|report)/[^:]+:\d+: this sentence holds only if", l)]
        if status == 0:
            print(f"ok: {' '.join(argv[1:])}: every sentence still holds")
        elif lines and len(named) == len(lines):
            print(f"ok: {' '.join(argv[1:])}: refused, {len(named)} sentence(s) named, first: {named[0]}")
        else:
            fail(f"{' '.join(argv[1:])}: refused without naming a sentence: {text.strip()}")


def main(argv):
    numbers = numbers_files(os.path.join(ROOT, "build"))
    if not numbers:
        print("test-check-claims.py: no build/results/*/numbers.tex; run make first", file=sys.stderr)
        return 2
    status, out = run_check(numbers)
    if status != 0:
        fail(f"this build's own numbers are refused: {out.strip()}")
    work = tempfile.mkdtemp(prefix="check-claims-test.")
    try:
        flipped_claims(numbers, work)
        planted_mistakes(numbers, work)
        if "--reruns" in argv:
            reruns(numbers, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if failures == 0:
        print("test-check-claims.py: every flipped claim and planted mistake was refused")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
