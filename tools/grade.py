#!/usr/bin/python3
"""grade.py - grade the kit it is in: build each Check suite, run it, score
the solution regions of grading/regions.txt.  `make grade` runs it.

    tools/grade.py [--timeout SECONDS] [--jobs N] [--build-only]

  --timeout S   time limit for each suite (default 600 s, or $GRADE_TIMEOUT);
                a suite still running then is stopped and reported as
                timed out (Check's own per-test time limits apply as well)
  --jobs N      compile with make -jN (default: the number of CPUs)
  --build-only  only compile every suite (make -k), grade nothing; the
                autograder uses this to compile the clean kit once

Every suite binary (build/bin/check_SUITE, and a chapter's program, which
its tests run) is built by a make of its own, so a file that does not
compile costs only the suites that use it.  A region earns its points when
every one of its registered tests ran and passed; parts without regions
are "not in the kit yet"; optional parts are extra credit.

Prints a table per part and per region, then "Score: N/M", and writes, in
build/grade/:
    build-SUITE.log   the compiler's output for each suite
    logs/             each suite's Check XML log
    results.json      Gradescope's results format (one test per region)
    junit.xml         JUnit XML, one <testsuite> per Check suite (for CI)
    report.txt        what was printed

Exit status: 0 at full marks, 1 below them, 2 when the kit cannot be
graded (no registry, a bad option).
"""
import glob
import json
import os
import re
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

sys.dont_write_bytecode = True     # no __pycache__ in the kit
TOOLS = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, TOOLS)
import checks   # noqa: E402
import regions  # noqa: E402

OUT = os.path.join("build", "grade")
BIN = os.path.join("build", "bin")
DEFAULT_TIMEOUT = 600.0
NOT_RUN = {"missing": "did not compile", "crashed": "crashed",
           "timed out": "timed out"}


class UsageError(Exception):
    pass


# ---------------------------------------------------------------------------
# Options.

class Options:
    def __init__(self):
        self.timeout = DEFAULT_TIMEOUT
        self.jobs = os.cpu_count() or 1
        self.build_only = False


def number_option(name, text, kind):
    try:
        value = kind(text)
    except (TypeError, ValueError):
        raise UsageError(f"{name} wants a number, not '{text}'")
    if value <= 0:
        raise UsageError(f"{name} must be positive, not {text}")
    return value


def parse_args(argv):
    opts = Options()
    if os.environ.get("GRADE_TIMEOUT"):
        opts.timeout = number_option("GRADE_TIMEOUT", os.environ["GRADE_TIMEOUT"], float)
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg in ("--timeout", "--jobs"):
            if i + 1 == len(argv):
                raise UsageError(f"{arg} needs a value")
            if arg == "--timeout":
                opts.timeout = number_option(arg, argv[i + 1], float)
            else:
                opts.jobs = number_option(arg, argv[i + 1], int)
            i += 2
        elif arg == "--build-only":
            opts.build_only = True
            i += 1
        else:
            raise UsageError(f"unknown option '{arg}'")
    return opts


# ---------------------------------------------------------------------------
# Building.

def suite_targets(suite):
    """What a suite needs built: its binary, and the chapter's program,
    which a chapter's tests run (src/SUITE_main.c exists)."""
    targets = [os.path.join(BIN, "check_" + suite)]
    if os.path.exists(os.path.join("src", suite + "_main.c")):
        targets.append(os.path.join(BIN, suite))
    return targets


def make_env():
    """The environment for make: without a parent make's job server."""
    env = dict(os.environ)
    for name in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEFILES"):
        env.pop(name, None)
    return env


def run_make(targets, jobs, log_path, keep_going=False):
    """make the targets, its output into log_path; True if it succeeded."""
    command = ["make", f"-j{jobs}"] + (["-k"] if keep_going else []) + targets
    with open(log_path, "w", encoding="utf-8") as log:
        log.write("$ " + " ".join(command) + "\n")
        log.flush()
        try:
            code = subprocess.run(command, stdout=log, stderr=subprocess.STDOUT,
                                  env=make_env()).returncode
        except FileNotFoundError:
            log.write("make: command not found\n")
            return False
    return code == 0


def build_suites(suites, jobs):
    """Build each suite by a make of its own: suite -> True if it built."""
    built = {}
    for suite in suites:
        log = os.path.join(OUT, f"build-{suite}.log")
        built[suite] = run_make(suite_targets(suite), jobs, log)
    return built


def build_everything(suites, jobs):
    """--build-only: one make -k of every suite's targets."""
    targets = [t for s in suites for t in suite_targets(s)]
    ok = run_make(targets, jobs, os.path.join(OUT, "build-all.log"), keep_going=True)
    print(f"grade.py: built {len(suites)} suites" if ok else
          f"grade.py: some suites did not build; see {OUT}/build-all.log")
    return 0 if ok else 1


def compiler_errors(suite, limit=20):
    """The compiler's error lines for a suite that did not build."""
    path = os.path.join(OUT, f"build-{suite}.log")
    try:
        with open(path, encoding="utf-8", errors="replace") as fp:
            lines = fp.read().splitlines()
    except OSError:
        return []
    errors = [ln for ln in lines if re.search(r"\b(error|undefined reference)\b", ln)]
    return (errors or lines[-limit:])[:limit]


# ---------------------------------------------------------------------------
# Running.

def grading_environment():
    """Tests run with KIT_BIN set and none of the user's CK_* choices
    (a filter or CK_FORK=no would change what is graded) but
    CK_TIMEOUT_MULTIPLIER, which changes only how long a test may take
    (checks.py sets it from the machine's load when it is not set)."""
    for name in [n for n in os.environ if n.startswith("CK_") and n != "CK_TIMEOUT_MULTIPLIER"]:
        del os.environ[name]
    os.environ["KIT_BIN"] = BIN


class SuiteResult:
    """A suite's build and run: .run is a checks.SuiteRun; .seconds."""

    def __init__(self, suite, built, run, seconds):
        self.suite, self.built, self.run, self.seconds = suite, built, run, seconds

    @property
    def status(self):
        return self.run.status if self.built else "missing"

    @property
    def problem(self):
        """'' if the suite ran, else what happened to it, in words."""
        if self.status == "ran":
            return ""
        if self.status == "missing":
            return f"did not compile (see {OUT}/build-{self.suite}.log)"
        return f"{NOT_RUN[self.status]}: {self.run.detail}"

    def summary(self):
        """One line: how many tests passed and failed, or the problem."""
        if self.status != "ran":
            return self.problem
        bad = len(self.run.failed)
        counts = f"{len(self.run.tests) - bad} passed" + (f", {bad} failed" if bad else "")
        return f"{counts} ({self.seconds:.1f} s)"

    def result_of(self, test_name):
        for t in self.run.tests:
            if t.name == test_name:
                return t
        return None


def run_suites(suites, built, timeout):
    results = {}
    logs = os.path.join(OUT, "logs")
    for suite in suites:
        binary = os.path.join(BIN, "check_" + suite)
        start = time.monotonic()
        if built[suite]:
            run = checks.run_suite(binary, logs, timeout)
        else:
            run = checks.SuiteRun(binary)
            run.status = "missing"
        results[suite] = SuiteResult(suite, built[suite], run, time.monotonic() - start)
        print(f"  check_{suite:<28} {results[suite].summary()}", flush=True)
    return results


# ---------------------------------------------------------------------------
# Scoring.

class Failing:
    """A registered test that did not pass: its key, its suite, why."""

    def __init__(self, key, suite, why):
        self.key, self.suite, self.why = key, suite, why

    @property
    def name(self):
        return self.key.split(":", 1)[1]


class RegionGrade:
    """One region's grade: earned points, its failing tests, notes."""

    def __init__(self, region):
        self.region = region
        self.failing = []      # Failing
        self.notes = []
        self.todo = []

    @property
    def passed(self):
        return bool(self.region.tests) and not self.failing

    @property
    def earned(self):
        return self.region.points if self.passed else 0


def suite_of(key, test_files):
    """The suite (tests/check_SUITE.c) that holds test suite:test, or None."""
    path = test_files.get(key)
    return os.path.basename(path)[len("check_"):-len(".c")] if path else None


def test_outcome(key, suite, suites):
    """'' if the registered test ran and passed, else why not."""
    if suite is None:
        return "is not a test of any suite in tests/ (tell your instructor)"
    result = suites.get(suite)
    if result is None:
        return f"its suite {suite} was not graded"
    if result.status != "ran":
        return f"did not run: check_{suite} {result.problem}"
    t = result.result_of(key.split(":", 1)[1])
    if t is None:
        return f"did not report a result (check_{suite})"
    return "" if t.passed else f"{t.where}: {t.message}"


def grade_regions(regs, test_files, suites):
    grades = {}
    for name, region in regs.items():
        g = RegionGrade(region)
        for key in region.tests:
            suite = suite_of(key, test_files)
            why = test_outcome(key, suite, suites)
            if why:
                g.failing.append(Failing(key, suite, why))
        if not region.tests:
            g.notes.append("has no tests in grading/regions.txt (tell your instructor)")
        g.todo = todo_lines_for(name, suites)
        grades[name] = g
    for g in grades.values():
        if g.passed:
            continue
        for need in g.region.needs:
            if need in grades and not grades[need].passed:
                g.notes.append(f"needs {need}, which does not pass yet: fix that first")
    return grades


def todo_lines_for(region_name, suites):
    """The stubs' 'TODO: region NAME ...' lines for this region."""
    found = []
    for result in suites.values():
        for line in result.run.todo_lines():
            if line.startswith(f"TODO: region {region_name} ") and line not in found:
                found.append(line)
    return found


def kit_problems(tests, test_files, suites):
    """What costs no points but is wrong: failing tests of no region, and
    suites that crashed or timed out without any registered test."""
    registered = {suite_of(k, test_files) for k in tests}
    out = []
    for result in suites.values():
        if result.status in ("crashed", "timed out") and result.suite not in registered:
            out.append(f"check_{result.suite}: {result.problem}")
        for t in result.run.failed:
            if t.key not in tests:
                out.append(f"{t.key}: {t.where}: {t.message}")
    return out


class Score:
    """The totals: earned (with extra credit) and the maximum."""

    def __init__(self, parts, grades):
        self.parts = parts
        self.earned = sum(g.earned for g in grades.values()
                          if g.region.part in parts)
        self.maximum = sum(p.points for p in parts.values()
                           if p.regions and not p.optional)

    def part_earned(self, part, grades):
        return sum(grades[r.name].earned for r in part.regions)


# ---------------------------------------------------------------------------
# The printed table.

def shorten(text, width=300):
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width - 3] + "..."


def region_lines(g):
    r = g.region
    lines = [f"    {r.name:<62} {g.earned:>3} / {r.points}"]
    if g.failing:
        lines[0] += "  failing: " + ", ".join(f.name for f in g.failing)
        lines += [f"        {f.key}: {shorten(f.why)}" for f in g.failing]
    lines += [f"        {line}" for line in g.todo]
    lines += [f"        {r.name} {note}" for note in g.notes]
    return lines


def part_lines(part, grades, score):
    extra = " (extra credit)" if part.optional else ""
    if not part.regions:
        return [f"{part.title:<66} not in the kit yet{extra}"]
    earned = score.part_earned(part, grades)
    lines = [f"{part.title:<66} {earned:>3} / {part.points}{extra}"]
    for r in part.regions:
        lines += region_lines(grades[r.name])
    return lines


def report_lines(parts, grades, suites, problems, score):
    lines = []
    for part in parts.values():
        lines += part_lines(part, grades, score)
    broken = [r for r in suites.values() if r.status == "missing"]
    if broken:
        lines += ["", "Suites that did not compile:"]
        for r in broken:
            lines.append(f"    check_{r.suite} (see {OUT}/build-{r.suite}.log)")
            lines += ["        " + e for e in compiler_errors(r.suite, 8)]
    if problems:
        lines += ["", "Kit tests failing (worth no points; tell your instructor):"]
        lines += ["    " + shorten(p, 200) for p in problems]
    lines += ["", f"Score: {score.earned}/{score.maximum}"]
    return lines


# ---------------------------------------------------------------------------
# results.json (Gradescope) and junit.xml.

def region_output(g, suites):
    """A region's text on Gradescope: what passes, or what fails and why."""
    if g.passed:
        return "Passes " + ", ".join(g.region.tests)
    lines = [f"FAILED {f.key}\n    {f.why}" for f in g.failing]
    lines += g.todo
    lines += [f"{g.region.name} {note}" for note in g.notes]
    for suite in sorted({f.suite for f in g.failing if f.suite in suites}):
        if suites[suite].status == "missing":
            lines.append(f"The compiler's errors for check_{suite}:")
            lines += ["    " + e for e in compiler_errors(suite)]
    return "\n".join(lines)


def results_json(parts, grades, suites, problems, score, seconds):
    entries = []
    for part in parts.values():
        for r in part.regions:
            g = grades[r.name]
            entries.append({
                "name": f"{r.name} ({part.title})" + (" [extra credit]" if part.optional else ""),
                "score": g.earned,
                "max_score": 0 if part.optional else r.points,
                "status": "passed" if g.passed else "failed",
                "output": region_output(g, suites),
                "visibility": "visible",
            })
    summary = [f"Score: {score.earned}/{score.maximum}"]
    for part in parts.values():
        if part.regions:
            summary.append(f"{part.title}: {score.part_earned(part, grades)}/{part.points}")
    if problems:
        summary.append("Kit tests failing (worth no points; tell your instructor):")
        summary += ["    " + shorten(p, 300) for p in problems]
    return {
        "score": score.earned,
        "execution_time": round(seconds),
        "output": "\n".join(summary),
        "tests": entries,
        "extra_data": {
            "max_score": score.maximum,
            "parts": {p.name: {"earned": score.part_earned(p, grades) if p.regions else None,
                               "max": p.points, "optional": p.optional}
                      for p in parts.values()},
        },
    }


def junit_suite(result):
    run = result.run
    node = ET.Element("testsuite", name=result.suite, time=f"{result.seconds:.3f}")
    if result.status != "ran":
        case = ET.SubElement(node, "testcase", classname=result.suite,
                             name="compile" if result.status == "missing" else "run")
        text = "\n".join(compiler_errors(result.suite)) if result.status == "missing" \
            else run.output[-4000:]
        ET.SubElement(case, "error", message=result.problem).text = text
        node.set("tests", "1")
        node.set("failures", "0")
        node.set("errors", "1")
        return node
    failures = errors = 0
    for t in run.tests:
        case = ET.SubElement(node, "testcase", classname=t.suite, name=t.name)
        if t.passed:
            continue
        kind = "failure" if t.result == "failure" else "error"
        failures += kind == "failure"
        errors += kind == "error"
        ET.SubElement(case, kind, message=t.message).text = f"{t.where}: {t.message}"
    node.set("tests", str(len(run.tests)))
    node.set("failures", str(failures))
    node.set("errors", str(errors))
    return node


def write_junit(suites, path):
    root = ET.Element("testsuites", name="kit")
    for result in suites.values():
        root.append(junit_suite(result))
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)


# ---------------------------------------------------------------------------

def prepare_output_dir():
    os.makedirs(OUT, exist_ok=True)
    for old in ("results.json", "junit.xml", "report.txt"):
        if os.path.exists(os.path.join(OUT, old)):
            os.remove(os.path.join(OUT, old))
    for old in glob.glob(os.path.join(OUT, "build-*.log")) + \
            glob.glob(os.path.join(OUT, "logs", "*.xml")):
        os.remove(old)


def grade(opts):
    start = time.monotonic()
    parts, regs, tests = regions.read_registry()
    test_files = regions.find_tests()
    suites = checks.suite_names()
    if not suites:
        raise UsageError("no tests/check_*.c in this kit")
    prepare_output_dir()
    if opts.build_only:
        return build_everything(suites, opts.jobs)
    print(f"Building {len(suites)} suites (compiler output in {OUT}/build-SUITE.log)...",
          flush=True)
    built = build_suites(suites, opts.jobs)
    grading_environment()
    print(f"Running them (at most {opts.timeout:g} s each)...", flush=True)
    results = run_suites(suites, built, opts.timeout)
    grades = grade_regions(regs, test_files, results)
    score = Score(parts, grades)
    problems = kit_problems(tests, test_files, results)
    lines = report_lines(parts, grades, results, problems, score)
    text = "\n".join(lines) + "\n"
    print("\n" + text, end="")
    with open(os.path.join(OUT, "report.txt"), "w", encoding="utf-8") as fp:
        fp.write(text)
    with open(os.path.join(OUT, "results.json"), "w", encoding="utf-8") as fp:
        json.dump(results_json(parts, grades, results, problems, score,
                               time.monotonic() - start), fp, indent=2)
    write_junit(results, os.path.join(OUT, "junit.xml"))
    return 0 if score.earned >= score.maximum else 1


def main(argv):
    try:
        opts = parse_args(argv)
        os.chdir(os.path.dirname(TOOLS))      # the kit's root
        if not os.path.exists(regions.REGISTRY):
            raise UsageError(f"{os.getcwd()}/{regions.REGISTRY}: no such file")
        return grade(opts)
    except UsageError as e:
        print(f"grade.py: {e}", file=sys.stderr)
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    except regions.Error as e:
        print(f"grade.py: {e}", file=sys.stderr)
        return 2
    except OSError as e:
        print(f"grade.py: {e.filename}: {e.strerror}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
