#!/usr/bin/python3
"""handout-check.py TARBALL - prove that the handout works as a handout.

Unpacks the handout (make handout) into a temporary folder and checks:

  (a) it builds with warnings as errors, under gcc and (when installed)
      under clang;
  (b) every stub fails at least one of its region's tests, and no test
      fails that checks no region;
  (c) putting back one region's solution at a time (with the regions it
      needs, from grading/regions.txt) makes exactly that region's tests
      pass, while every other region still fails a test;
  (d) no line of a solution appears anywhere in the tarball or in the text
      of its report.pdf, and the instructor's guide is not in it;
  (e) no code of the same shape as a region's solution (other names, float
      for double: tools/regions.py, near_copies) appears anywhere in the
      tarball outside that region;
  (f) nothing else computes a region's result: in the handout with every
      region's solution put back but one, stubbed, that region would not
      earn its points (at least one of its tests fails).  The code it runs
      is the code the handout ships (without what it omits).

(d) and (e) compare text; (f) runs the code, and so also finds a helper
that computes a region's result in another way.  Prints one line per
region and exits 1 on any failure.  Runs from the
solution kit's root (make handout-check).
"""
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import checks  # noqa: E402
import regions  # noqa: E402

JOBS = "-j2"


def make(kit, *args):
    """Run make in kit; return (ok, its output)."""
    proc = subprocess.run(["make", "-C", kit, "-s", "--no-print-directory", JOBS, *args],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=checks.make_env())
    return proc.returncode == 0, proc.stdout.decode("utf-8", "replace")


def failing_tests(kit):
    """Build the kit's programs and suites, run every suite; the set of
    failing tests (suite:test).  A suite that could not run is an error."""
    ok, out = make(kit, "programs", "tests")
    if not ok:
        raise RuntimeError("the kit does not build:\n" + out[-3000:])
    failing = set()
    for suite in checks.suite_names(kit):
        binary = os.path.join("build", "bin", "check_" + suite)
        run = checks.run_suite(binary, "build/check", timeout=600, cwd=kit)
        if run.status != "ran":
            raise RuntimeError(f"{run.name}: {run.status}: {run.detail}")
        failing |= {t.key for t in run.failed}
    return failing


def closure(regs, name):
    """The region and every region it needs, directly or not."""
    seen, todo = set(), [name]
    while todo:
        r = todo.pop()
        if r not in seen:
            seen.add(r)
            todo += regs[r].needs
    return seen


def check_builds(kit):
    problems = []
    ok, out = make(kit, "WERROR=1", "programs", "tests")
    if not ok:
        problems.append("(a) gcc with WERROR=1:\n" + out[-3000:])
    if shutil.which("clang"):
        ok, out = make(kit, "WERROR=1", "CC=clang", "BUILD=build/clang", "programs", "tests")
        if not ok:
            problems.append("(a) clang with WERROR=1:\n" + out[-3000:])
    print("(a) the handout builds with WERROR=1 under gcc" +
          (" and clang" if shutil.which("clang") else "") + (": yes" if not problems else ": NO"))
    return problems


def check_leaks(tarball, kit):
    """(d): solution lines in the tarball's files or the report's text."""
    texts = {}
    with tarfile.open(tarball) as tar:
        for member in tar.getmembers():
            if member.isfile():
                texts[member.name] = tar.extractfile(member).read().decode("utf-8", "replace")
    pdf = os.path.join(kit, "report.pdf")
    text = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, check=True).stdout
    texts["report.pdf (pdftotext)"] = text.decode("utf-8", "replace")
    found = [f"(d) solution line {line!r} appears in {name}"
             for name, line in regions.leaks(texts)]
    print(f"(d) none of the {len(regions.solution_lines())} solution lines appears in the "
          "tarball or the report: " + ("yes" if not found else "NO"))
    # The instructor's guide holds the answers to the exercises, which no
    # line of code gives away: its sources and its PDF must not be there.
    guide = [name for name in texts if "/guide/" in name or name.endswith("guide.pdf")]
    found += [f"(d) the instructor's guide is in the handout: {name}" for name in guide]
    print("(d) the instructor's guide (guide/, guide.pdf) is not in the handout: "
          + ("yes" if not guide else "NO"))
    return found


def check_near_copies(tarball):
    """(e): code of a region's shape outside it, anywhere in the tarball."""
    texts = {}
    with tarfile.open(tarball) as tar:
        for member in tar.getmembers():
            if member.isfile():
                texts[member.name] = tar.extractfile(member).read().decode("utf-8", "replace")
    found = [f"(e) {name}:{line}: code of the shape of region {region}'s solution, outside "
             "the region (a near-copy: stub it too, call the region, or leave it out)"
             for name, line, region in regions.near_copies(texts, regions.marked_spans(texts))]
    print(f"(e) no near-copy of a region's solution ({regions.NEAR_COPY_TOKENS}-token windows of "
          "its shape) in the tarball: " + ("yes" if not found else "NO"))
    return found


def write_if_changed(path, text):
    """Write text to path unless it holds it already: make then rebuilds
    only what a changed file feeds."""
    with open(path, encoding="utf-8") as fp:
        if fp.read() == text:
            return
    with open(path, "w", encoding="utf-8") as fp:
        fp.write(text)


def swap_region(text, other, name):
    """text with region name's body taken from other (both hold its markers)."""
    lines, theirs = text.split("\n"), other.split("\n")
    b, e = regions.marked_spans({"t": text})["t"][name]
    ob, oe = regions.marked_spans({"o": other})["o"][name]
    return "\n".join(lines[:b] + theirs[ob:oe - 1] + lines[e - 1:])


def suite_results(kit, suites):
    """Build the programs and the named suites, run the suites: the set of
    passing tests (suite:test)."""
    binaries = [os.path.join("build", "bin", "check_" + x) for x in sorted(suites)]
    ok, out = make(kit, "programs", *binaries)
    if not ok:
        raise RuntimeError("the kit does not build:\n" + out[-3000:])
    passing = set()
    for binary in binaries:
        run = checks.run_suite(binary, "build/check", timeout=600, cwd=kit)
        if run.status != "ran":
            raise RuntimeError(f"{run.name}: {run.status}: {run.detail}")
        passing |= {t.key for t in run.tests if t.passed}
    return passing


def check_each_stub_alone(kit, regs, tests, pristine):
    """(f): with every region solved but one, stubbed, that one must not
    earn its points: if all its tests still pass, other shipped code
    computes its result (or its tests do not reach it)."""
    for path, text in pristine.items():
        write_if_changed(os.path.join(kit, path), text)
    regions.restore(kit, sorted(regs))
    solved = {path: open(os.path.join(kit, path), encoding="utf-8").read() for path in pristine}
    problems = []
    everything = set(tests)
    passing = suite_results(kit, {t.split(":")[0] for t in everything})
    for test in sorted(everything - passing):
        problems.append(f"(f) {test} fails in the solution kit")
    print("\n(f) each region stubbed alone, every other one solved: does it still earn its points?")
    for name, r in regs.items():
        for path in pristine:
            text = solved[path]
            if path == r.file:
                text = swap_region(text, pristine[path], name)
            write_if_changed(os.path.join(kit, path), text)
        passing = suite_results(kit, {t.split(":")[0] for t in r.tests})
        still = [t for t in r.tests if t in passing]
        if len(still) == len(r.tests):
            problems.append(f"(f) region {name} ({r.file}) earns its {r.points} points with its "
                            f"stub: all {len(r.tests)} of its tests pass, so other shipped code "
                            "computes its result (or its tests do not reach it)")
        print(f"{name:<24}stubbed alone: {len(r.tests) - len(still)} of {len(r.tests)} tests fail"
              + ("" if len(still) < len(r.tests) else "  <- NO: it would still earn its points"))
    for path, text in pristine.items():
        write_if_changed(os.path.join(kit, path), text)
    return problems


def main(argv):
    if len(argv) != 1 or not os.path.isfile(argv[0]):
        print("usage: handout-check.py BUILD/handout.tar.gz (a file made by make handout)",
              file=sys.stderr)
        return 2
    tarball = argv[0]
    _, regs, tests = regions.read_registry()
    tmp = tempfile.mkdtemp(prefix="handout-check-")
    try:
        with tarfile.open(tarball) as tar:
            tar.extractall(tmp)
        kit = os.path.join(tmp, "handout")
        pristine = {r.file: open(os.path.join(kit, r.file), encoding="utf-8").read()
                    for r in regs.values()}
        problems = check_builds(kit)

        failing = failing_tests(kit)
        for test in sorted(failing - set(tests)):
            problems.append(f"(b) {test} fails in the handout but checks no region")

        print(f"\n{'region':<24}{'(b) stub fails':<18}{'(c) restored, passes':<24}"
              "others still fail")
        for name, r in regs.items():
            stub_fails = failing & set(r.tests)
            if not stub_fails:
                problems.append(f"(b) the stub of {name} fails none of its tests")
            # (c): this region and what it needs, back in a clean handout.
            for path, text in pristine.items():
                with open(os.path.join(kit, path), "w", encoding="utf-8") as fp:
                    fp.write(text)
            restored = closure(regs, name)
            regions.restore(kit, sorted(restored))
            now = failing_tests(kit)
            mine = [t for n in restored for t in regs[n].tests]
            still = [t for t in mine if t in now]
            others_pass = [n for n in regs if n not in restored and not (now & set(regs[n].tests))]
            stray = sorted(now - set(tests))
            if still:
                problems.append(f"(c) with {', '.join(sorted(restored))} restored, "
                                f"still failing: {', '.join(still)}")
            if others_pass:
                problems.append(f"(c) restoring {name} also makes these regions pass: "
                                f"{', '.join(others_pass)}")
            if stray:
                problems.append(f"(c) restoring {name} fails tests of no region: {', '.join(stray)}")
            verdict = "yes" if not others_pass else "NO: " + ", ".join(others_pass)
            passes = f"{len(mine) - len(still)} of {len(mine)} tests"
            print(f"{name:<24}{len(stub_fails):>2} of {len(r.tests):<2} tests    "
                  f"{passes:<24}{verdict}")
        problems += check_each_stub_alone(kit, regs, tests, pristine)
        print()
        problems += check_leaks(tarball, kit)
        problems += check_near_copies(tarball)
    except (RuntimeError, regions.Error) as e:
        problems = [str(e)]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for p in problems:
        print("error: " + p, file=sys.stderr)
    print("handout-check: " + ("passed" if not problems else f"{len(problems)} problem(s)"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
