#!/usr/bin/python3
"""expect.py - check a graded submission against what it should have
scored (tools/simulate-autograder.sh uses this).

    expect.py KIT RESULTS.json LABEL [--lose-all] [--lose-region NAME]...
              [--lose-file FILE]... [--lose-suite SUITE]... [--says TEXT]

KIT is the clean kit (for its grading/regions.txt and tests/).  The
regions expected to earn nothing: every one (--lose-all), the named ones,
those in FILE, and those with a test in SUITE (tests/check_SUITE.c).
Every other region must earn its points.  --says: the output of some
region that lost its points, or the grade's own output, must contain TEXT
(e.g. "timed out").

Prints one line: LABEL, the expected and the actual score, ok or MISMATCH
with the regions that differ; exits 1 on a mismatch, 2 on a bad call.
"""
import json
import os
import sys

sys.dont_write_bytecode = True     # no __pycache__ in the kit
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import regions  # noqa: E402


def parse(argv):
    if len(argv) < 3:
        raise ValueError("needs KIT RESULTS.json LABEL")
    kit, results, label = argv[:3]
    wanted = {"--lose-region": [], "--lose-file": [], "--lose-suite": [], "--says": []}
    lose_all, i = False, 3
    while i < len(argv):
        if argv[i] == "--lose-all":
            lose_all, i = True, i + 1
        elif argv[i] in wanted and i + 1 < len(argv):
            wanted[argv[i]].append(argv[i + 1])
            i += 2
        else:
            raise ValueError(f"unknown argument '{argv[i]}'")
    return kit, results, label, lose_all, wanted


def expected_losers(kit, lose_all, wanted):
    """The regions that should earn nothing, and the registry's regions."""
    _, regs, _ = regions.read_registry(os.path.join(kit, regions.REGISTRY))
    test_files = regions.find_tests(kit)
    suite_files = {f"tests/check_{s}.c" for s in wanted["--lose-suite"]}
    losers = set()
    for name, r in regs.items():
        if (lose_all or name in wanted["--lose-region"] or r.file in wanted["--lose-file"]
                or any(test_files.get(t) in suite_files for t in r.tests)):
            losers.add(name)
    return losers, regs


def main(argv):
    try:
        kit, path, label, lose_all, wanted = parse(argv)
        losers, regs = expected_losers(kit, lose_all, wanted)
        with open(path, encoding="utf-8") as fp:
            results = json.load(fp)
    except (ValueError, OSError, regions.Error) as e:
        print(f"expect.py: {e}", file=sys.stderr)
        return 2
    got = {t["name"].split()[0]: t for t in results["tests"]}
    expected = sum(r.points for n, r in regs.items() if n not in losers)
    wrong = [n for n, r in regs.items()
             if n not in got or got[n]["score"] != (0 if n in losers else r.points)]
    outputs = "\n".join([results.get("output", "")] + [got[n]["output"] for n in losers if n in got])
    unsaid = [text for text in wanted["--says"] if text not in outputs]
    ok = not wrong and not unsaid and results["score"] == expected
    line = f"{label:<52} expected {expected:>3}, got {results['score']:>3}"
    if ok:
        print(line + "  ok")
        return 0
    print(line + "  MISMATCH" + (f"; regions that differ: {', '.join(wrong)}" if wrong else "")
          + (f"; no output says: {', '.join(unsaid)}" if unsaid else ""))
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
