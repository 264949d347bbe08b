#!/usr/bin/python3
"""grade.py - score the solution regions of grading/regions.txt: the
kit's own (`make grade`), or a submission's (`make grade SUBMISSION=DIR`,
the autograder, tools/grade-all).

    tools/grade.py [--timeout S] [--jobs N] [--out DIR]
    tools/grade.py --submission DIR [--timeout S] [--jobs N] [--out DIR] [--slot N]
    tools/grade.py --build-only | --reference-run

  --timeout S       time limit for each suite (default 600 s, or
                    $GRADE_TIMEOUT); a suite still running then is stopped
                    and reported as timed out
  --jobs N          compile (and grade regions) N at a time (default: the
                    number of CPUs)
  --out DIR         where the results go (default build/grade)
  --submission DIR  grade the region files in DIR with this kit as the
                    reference: each region on its own (tools/isolation.py),
                    in a variant of this kit with only that region's body
                    from DIR, its tests confined by tools/sandbox.py
  --slot N          which sandbox users to use (tools/grade-all runs
                    several graders at once)
  --build-only      only compile every suite (make -k), grade nothing
  --reference-run   run this kit's own tests once into build/grade-reference
                    (what a submission's unchanged region earns)

The kit's own regions: every suite binary (build/bin/check_SUITE, and a
chapter's program, which its tests run) is built by a make of its own, so
a file that does not compile costs only the suites that use it; a region
that needs another region's code (the registry's "needs") fails when that
one does, and the report says which to fix first.  A submission: one
region's mistake, even one that does not compile, costs that region's
points alone.  A region earns its points when every one of its registered
tests ran to its end and passed; optional parts are extra credit, counted
apart.

Prints a table per part and per region, then "Score: R/M required, +E/X
extra credit", and writes, in build/grade/ (or --out):
    build-*.log   the compiler's output for each suite (or region)
    logs/         each suite's Check XML log
    results.json  Gradescope's results format (one test per region)
    junit.xml     JUnit XML
    report.txt    what was printed

Exit status: 0 when every required region earns its points, 1 when one
does not, 2 when the kit cannot be graded (no registry, a bad option, a
reference that fails its own tests), 3 when the grade could not be
computed for a fault of the machine (a full disk: a log, a build or a
test's files could not be written); then no score is given, only the
fault.
"""
import concurrent.futures
import glob
import itertools
import json
import os
import queue
import re
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET

sys.dont_write_bytecode = True     # no __pycache__ in the kit
TOOLS = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, TOOLS)
import checks     # noqa: E402
import isolation  # noqa: E402
import regions    # noqa: E402
import sandbox    # noqa: E402

OUT = os.path.join("build", "grade")
BIN = os.path.join("build", "bin")
DEFAULT_TIMEOUT = 600.0
NOT_RUN = {"missing": "did not compile", "crashed": "crashed",
           "timed out": "timed out", "machine fault": "not judged"}


class UsageError(Exception):
    pass


class MachineFault(Exception):
    """The grade cannot be computed: the machine, not the code graded,
    failed (checks.machine_fault: a full disk, say)."""


def check_machine(results, folders):
    """Raise MachineFault if a suite of results (SuiteResults) could not be
    judged, or, when one did not pass, if nothing can be written in one
    of folders: a suite that did not compile or failed on a full disk
    says nothing of the code."""
    results = list(results)
    for r in results:
        if r.status == "machine fault":
            raise MachineFault(r.run.detail)
    if all(r.status == "ran" and not r.run.failed for r in results):
        return
    for folder in folders:
        why = checks.unwritable(folder) if os.path.isdir(folder) else None
        if why:
            raise MachineFault(f"cannot write in {folder}: {why}")


# ---------------------------------------------------------------------------
# Options.

class Options:
    def __init__(self):
        self.timeout = DEFAULT_TIMEOUT
        self.jobs = os.cpu_count() or 1
        self.build_only = False
        self.submission = None
        self.out = None
        self.slot = 0
        self.reference_run = False


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
        if arg in ("--timeout", "--jobs", "--submission", "--out", "--slot"):
            if i + 1 == len(argv):
                raise UsageError(f"{arg} needs a value")
            value = argv[i + 1]
            if arg == "--timeout":
                opts.timeout = number_option(arg, value, float)
            elif arg == "--jobs":
                opts.jobs = number_option(arg, value, int)
            elif arg == "--slot":
                if not value.isdigit():
                    raise UsageError(f"--slot wants a whole number from 0, not '{value}'")
                opts.slot = int(value)
            elif arg == "--submission":
                if not os.path.isdir(value):
                    raise UsageError(f"--submission {value}: no such folder")
                opts.submission = os.path.abspath(value)
            else:
                opts.out = os.path.abspath(value)
            i += 2
        elif arg == "--build-only":
            opts.build_only = True
            i += 1
        elif arg == "--reference-run":
            opts.reference_run = True
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


def run_make(targets, jobs, log_path, keep_going=False):
    """make the targets, its output into log_path; True if it succeeded."""
    command = ["make", f"-j{jobs}"] + (["-k"] if keep_going else []) + targets
    try:
        with open(log_path, "w", encoding="utf-8") as log:
            log.write("$ " + " ".join(command) + "\n")
            log.flush()
            try:
                code = subprocess.run(command, stdout=log, stderr=subprocess.STDOUT,
                                      env=checks.make_env()).returncode
            except FileNotFoundError:
                log.write("make: command not found\n")
                return False
    except OSError as e:
        if checks.machine_fault(e):
            raise MachineFault(f"cannot write the build log {log_path}: {checks.machine_fault(e)}")
        raise
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


def compiler_errors(path, limit=20):
    """The compiler's error lines in the build log at path."""
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

    def __init__(self, suite, built, run, seconds, log=None):
        self.suite, self.built, self.run, self.seconds = suite, built, run, seconds
        self.log = log or os.path.join(OUT, f"build-{suite}.log")

    @property
    def status(self):
        return self.run.status if self.built else "missing"

    @property
    def problem(self):
        """'' if the suite ran, else what happened to it, in words."""
        if self.status == "ran":
            return ""
        if self.status == "missing":
            return f"did not compile (see {self.log})"
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
        self.reason = ""       # why it was not run at all (isolated grading)
        self.advice = []       # what else fails because of it
        self.suites = {}       # its own suites' results (isolated grading)

    @property
    def passed(self):
        return bool(self.region.tests) and not self.failing and not self.reason

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
    if t.passed and not t.finished:
        return (f"{t.where}: the test's process ended (exit status 0) before the test "
                "reached its end, so it is not counted as passed")
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
    """The totals: the required points earned and their maximum, and the
    extra credit apart, so that extra credit never hides a required region
    that falls short."""

    def __init__(self, parts, grades):
        self.parts = parts
        scored = [g for g in grades.values() if g.region.part in parts]
        self.required = sum(g.earned for g in scored if not parts[g.region.part].optional)
        self.extra = sum(g.earned for g in scored if parts[g.region.part].optional)
        self.maximum = sum(p.points for p in parts.values()
                           if p.regions and not p.optional)
        self.extra_maximum = sum(p.points for p in parts.values()
                                 if p.regions and p.optional)
        self.earned = self.required + self.extra

    @property
    def full(self):
        """Every required region earned its points."""
        return self.required >= self.maximum

    def line(self):
        text = f"Score: {self.required}/{self.maximum} required"
        if self.extra_maximum:
            text += f", +{self.extra}/{self.extra_maximum} extra credit"
        return text

    def part_earned(self, part, grades):
        return sum(grades[r.name].earned for r in part.regions)


# ---------------------------------------------------------------------------
# The printed table.

def shorten(text, width=300):
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width - 3] + "..."


def failing_text(region, f, why):
    """A region's failing test, in words for the student: the student's
    own failure, or a fault of the kit (a registered test that does not
    exist, which says so)."""
    if f.suite is None:
        return f"{f.key} {why}"
    return f"your region {region} fails {f.key}: {why}"


def region_lines(g):
    r = g.region
    lines = [f"    {r.name:<62} {g.earned:>3} / {r.points}"]
    if g.reason:        # not run, or run as its stub: its tests say nothing more
        lines += ["        " + line for line in g.reason.split("\n")]
    elif g.failing:
        lines[0] += "  failing: " + ", ".join(f.name for f in g.failing)
        lines += ["        " + failing_text(r.name, f, shorten(f.why)) for f in g.failing]
    for result in g.suites.values():
        if result.status == "missing":
            lines.append(f"        check_{result.suite} did not compile (see {result.log}):")
            lines += ["            " + e for e in compiler_errors(result.log, 8)]
            break
    if not g.reason:
        lines += [f"        {line}" for line in g.todo]
    lines += [f"        {r.name} {note}" for note in g.notes]
    lines += [f"        {line}" for line in g.advice]
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
            lines.append(f"    check_{r.suite} (see {r.log})")
            lines += ["        " + e for e in compiler_errors(r.log, 8)]
    if problems:
        lines += ["", "Kit tests failing (worth no points; tell your instructor):"]
        lines += ["    " + shorten(p, 200) for p in problems]
    lines += ["", score.line()]
    return lines


# ---------------------------------------------------------------------------
# results.json (Gradescope) and junit.xml.

def region_output(g, suites):
    """A region's text on Gradescope: what passes, or what fails and why."""
    suites = g.suites or suites
    if g.passed:
        return "Passes " + ", ".join(g.region.tests)
    lines = [g.reason] if g.reason else [failing_text(g.region.name, f, f.why) for f in g.failing]
    lines += g.todo
    lines += [f"{g.region.name} {note}" for note in g.notes]
    lines += g.advice
    for suite in sorted({f.suite for f in g.failing if f.suite in suites}):
        if suites[suite].status == "missing":
            lines.append(f"The compiler's errors for check_{suite}:")
            lines += ["    " + e for e in compiler_errors(suites[suite].log)]
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
    summary = [score.line()]
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
            "required": score.required,
            "extra_credit": score.extra,
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
        text = "\n".join(compiler_errors(result.log)) if result.status == "missing" \
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


def write_junit_regions(grades, path):
    """JUnit XML of a submission graded region by region: one <testsuite>
    per region, one <testcase> per registered test."""
    root = ET.Element("testsuites", name="kit")
    for name, g in grades.items():
        node = ET.SubElement(root, "testsuite", name=name, tests=str(len(g.region.tests)))
        failing = {f.key: f.why for f in g.failing}
        for key in g.region.tests:
            case = ET.SubElement(node, "testcase", classname=name, name=key)
            why = g.reason or failing.get(key)
            if why:
                ET.SubElement(case, "failure", message=shorten(why, 200)).text = why
        node.set("failures", str(sum(1 for c in node if len(c))))
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)


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


# ---------------------------------------------------------------------------
# A submission, region by region (tools/isolation.py): this kit is the
# reference, and each region is graded in a variant of it with only that
# region's body from the submission.

def region_suites(region, test_files):
    return sorted({suite_of(k, test_files) for k in region.tests} - {None})


def reference_builds(regs, test_files, jobs):
    """Build the reference kit's suites in place; raises UsageError if the
    reference itself does not build (a fault of the kit, not the student)."""
    needed = sorted({s for r in regs.values() for s in region_suites(r, test_files)})
    built = build_suites(needed, jobs)
    broken = [s for s, ok in built.items() if not ok]
    if broken:
        raise regions.Error("the reference kit does not build: " + ", ".join(
            f"check_{s} (see {OUT}/build-{s}.log)" for s in broken))


REFERENCE_RUN = os.path.join("build", "grade-reference")


def reference_passing(jobs):
    """The regions the reference kit itself passes, from a whole-kit run
    of this program into build/grade-reference/ (kept while no source or
    test is newer): a body that is the reference's earns what the
    reference earns, without a variant of its own."""
    results = os.path.join(REFERENCE_RUN, "results.json")
    sources = [os.path.join(d, f) for top in ("src", "tests", "grading")
               for d, _, names in os.walk(top) for f in names]
    if not os.path.exists(results) or \
            os.path.getmtime(results) < max(os.path.getmtime(p) for p in sources):
        print("Running the reference kit's own tests once...", flush=True)
        with open(os.devnull, "w") as quiet:
            subprocess.run([sys.executable, os.path.join(TOOLS, "grade.py"), "--jobs",
                            str(jobs), "--out", os.path.abspath(REFERENCE_RUN)],
                           stdout=quiet, stderr=subprocess.STDOUT, env=checks.make_env())
    with open(results, encoding="utf-8") as fp:
        return {t["name"].split()[0] for t in json.load(fp)["tests"] if t["status"] == "passed"}


def how_to_grade(name, region, submission, marked, stubs):
    """'' if the region needs a variant of its own, else why it earns
    nothing or 'reference' when its body is the reference's."""
    body = submission.bodies.get(name)
    if body is None:
        return "its file or its markers are not in the submission"
    if name in submission.refused:
        return "refused, not compiled: " + submission.refused[name]
    if name in stubs and isolation.squeezed(body) == \
            isolation.squeezed(regions.stub_lines(marked[name], stubs[name])):
        return "not written yet: the region still holds the handout's stub"
    if isolation.squeezed(body) == isolation.squeezed(marked[name].body):
        return "reference"
    return ""


def grade_variant(region, body, test_files, timeout, runs, sandbox):
    """Build and run one region's variant; its suites' results."""
    dest = os.path.join(runs, region.name)
    isolation.make_variant(".", dest, region, body)
    os.chmod(dest, 0o755)
    log = os.path.join(OUT, f"build-{region.name}.log")
    targets = [t for s in region_suites(region, test_files) for t in suite_targets(s)]
    built = isolation.build_targets(dest, targets, log, checks.make_env())
    results = {}
    if built:
        sandbox.enter(dest)
    for suite in region_suites(region, test_files):
        start = time.monotonic()
        if built:
            run = checks.run_suite(os.path.join(BIN, "check_" + suite),
                                   os.path.join(OUT, "logs", region.name), timeout,
                                   cwd=dest, sandbox=sandbox)
        else:
            run = checks.SuiteRun(os.path.join(BIN, "check_" + suite))
            run.status = "missing"
        results[suite] = SuiteResult(suite, built, run, time.monotonic() - start, log)
    shutil.rmtree(dest, ignore_errors=True)
    return results


def region_advice(name, regs):
    """What a failing region costs elsewhere: nothing, but the student
    should know which chapters build on it."""
    users = sorted(n for n, r in regs.items() if name in r.needs)
    if not users:
        return []
    chapters = sorted({regs[n].chapter[2:] for n in users})
    which = (f"Chapter {chapters[0]} uses" if len(chapters) == 1 else
             f"Chapters {', '.join(chapters[:-1])} and {chapters[-1]} use")
    return [f"Your {name} fails.  {which} it ({', '.join(users)}); those regions were "
            f"graded with the course's own {name}, so they lose nothing for it."]


def reachable(path):
    """Whether every folder above path lets other users pass (o+x)."""
    path = os.path.dirname(os.path.abspath(path))
    while path != os.path.dirname(path):
        if not os.stat(path).st_mode & 0o001:
            return False
        path = os.path.dirname(path)
    return True


def variants_folder():
    """A fresh folder for the variants that the tests' user may pass
    through but not list: OUT/variants, or, when a folder above OUT is
    closed to other users, a new folder in the system's temporary one."""
    runs = os.path.join(OUT, "variants")
    shutil.rmtree(runs, ignore_errors=True)
    os.makedirs(runs)
    os.chmod(OUT, 0o711)
    os.chmod(runs, 0o711)
    if os.geteuid() == 0 and not reachable(OUT):
        shutil.rmtree(runs)
        runs = tempfile.mkdtemp(prefix="kit-variants-", dir="/tmp")
        os.chmod(runs, 0o711)
    return runs


def grade_isolated_regions(regs, test_files, submission, opts):
    """name -> RegionGrade, each region graded on its own."""
    marked = regions.find_regions()
    stubs = regions.read_stubs() if os.path.exists(regions.STUBS) else {}
    runs = variants_folder()
    passing = reference_passing(opts.jobs)
    grades, todo = {}, []
    for name, region in regs.items():
        g = grades[name] = RegionGrade(region)
        how = how_to_grade(name, region, submission, marked, stubs)
        if how == "reference" and name not in passing:
            raise regions.Error(f"the reference kit's own {name} fails its tests "
                                f"(see {REFERENCE_RUN}/report.txt): fix the kit first")
        if how and how != "reference":
            g.reason = how
        elif not how:
            todo.append(region)
    slots = queue.Queue()
    for i in range(opts.jobs):
        slots.put(sandbox.Sandbox(opts.slot * 16 + i))

    def one(region):
        box = slots.get()
        try:
            return grade_variant(region, submission.bodies[region.name], test_files,
                                 opts.timeout, runs, box)
        finally:
            slots.put(box)

    with concurrent.futures.ThreadPoolExecutor(max_workers=opts.jobs) as pool:
        for region, results in zip(todo, pool.map(one, todo)):
            g = grades[region.name]
            g.suites = results
            for key in region.tests:
                suite = suite_of(key, test_files)
                why = test_outcome(key, suite, results)
                if why:
                    g.failing.append(Failing(key, suite, why))
            g.todo = todo_lines_for(region.name, results)
            print(f"  {region.name:<24} {g.earned:>2} / {region.points}", flush=True)
    for name, g in grades.items():
        if not g.passed:
            g.advice = region_advice(name, regs)
    shutil.rmtree(runs, ignore_errors=True)
    return grades


def grade_submission(opts):
    """Grade the submission folder opts.submission against this kit."""
    start = time.monotonic()
    parts, regs, tests = regions.read_registry()
    test_files = regions.find_tests()
    prepare_output_dir()
    print(f"Building the reference kit's suites (logs in {OUT})...", flush=True)
    reference_builds(regs, test_files, opts.jobs)
    submission = isolation.Submission(opts.submission, ".", regs)
    notes = ["Files graded:"] + ["    " + n for n in submission.notes]
    print("\n".join(notes), flush=True)
    grading_environment()
    print(f"Grading each region on its own ({opts.jobs} at a time, each suite at most "
          f"{opts.timeout:g} s)...", flush=True)
    grades = grade_isolated_regions(regs, test_files, submission, opts)
    check_machine([r for g in grades.values() for r in g.suites.values()],
                  [OUT, tempfile.gettempdir()])
    score = Score(parts, grades)
    write_outputs(parts, grades, {}, [], score, start, notes)
    return 0 if score.full else 1


# ---------------------------------------------------------------------------
# The kit's own regions when one does not compile: it is graded as the
# handout's stub, in a copy of the kit, so that every other region builds.

def object_of(path):
    """The object make compiles a source file into (build/obj/...)."""
    return os.path.join("build", "obj", os.path.splitext(path[len("src/"):])[0] + ".o")


def compile_file(kit, path):
    """Compile source file path in kit (make its object): (whether it
    compiled, the compiler's output).  Regions live in .c files only."""
    proc = subprocess.run(["make", "-s", "--no-print-directory", object_of(path)], cwd=kit,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=checks.make_env())
    return proc.returncode == 0, proc.stdout.decode("utf-8", "replace")


def stub_regions(kit, path, names, marked, stubs):
    """Write path in kit with the named regions' bodies stubbed."""
    with open(os.path.join(".", path), encoding="utf-8") as fp:
        text = fp.read()
    for name in names:
        text = isolation.splice(text, path, name, regions.stub_lines(marked[name], stubs[name]))
    with open(os.path.join(kit, path), "w", encoding="utf-8") as fp:
        fp.write(text)


def uncompilable_regions(regs):
    """The regions to grade as stubs: for each region file that does not
    compile, the fewest of its regions whose stubs make it compile.
    Returns (name -> the compiler's errors, the kit copy to grade in)."""
    files = sorted({r.file for r in regs.values()})
    broken = [f for f in files if not compile_file(".", f)[0]]
    if not broken or not os.path.exists(regions.STUBS):
        return {}, None
    marked, stubs = regions.find_regions(), regions.read_stubs()
    copy = os.path.join(OUT, "kit")
    shutil.rmtree(copy, ignore_errors=True)
    isolation.copy_kit(".", copy)
    found = {}
    for path in broken:
        errors = [ln for ln in compile_file(copy, path)[1].splitlines() if "error" in ln]
        names = [n for n, r in regs.items() if r.file == path]
        subsets = [list(c) for k in range(1, len(names) + 1)
                   for c in itertools.combinations(names, k)]
        for subset in subsets:
            stub_regions(copy, path, subset, marked, stubs)
            if compile_file(copy, path)[0]:
                for name in subset:
                    found[name] = errors
                break
    return found, copy


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
    stubbed, copy = uncompilable_regions(regs)
    if copy:
        print("These regions do not compile and are graded as the handout's stubs, so that "
              "the rest builds: " + ", ".join(sorted(stubbed)), flush=True)
        os.chdir(copy)
    print(f"Building {len(suites)} suites (compiler output in {OUT}/build-SUITE.log)...",
          flush=True)
    built = build_suites(suites, opts.jobs)
    grading_environment()
    print(f"Running them (at most {opts.timeout:g} s each)...", flush=True)
    results = run_suites(suites, built, opts.timeout)
    check_machine(results.values(), [OUT, BIN, tempfile.gettempdir()])
    grades = grade_regions(regs, test_files, results)
    for name, errors in stubbed.items():
        grades[name].reason = ("does not compile, so it was graded as the handout's stub "
                               "(the rest of the kit built with it).  The compiler said:\n    "
                               + "\n    ".join(errors[:10]))
    score = Score(parts, grades)
    problems = kit_problems(tests, test_files, results)
    write_outputs(parts, grades, results, problems, score, start)
    return 0 if score.full else 1


def write_outputs(parts, grades, results, problems, score, start, notes=()):
    """Print the report; write report.txt, results.json and junit.xml."""
    lines = report_lines(parts, grades, results, problems, score)
    text = "\n".join(lines) + "\n"
    print("\n" + text, end="")
    with open(os.path.join(OUT, "report.txt"), "w", encoding="utf-8") as fp:
        fp.write("\n".join(notes) + ("\n\n" if notes else "") + text)
    doc = results_json(parts, grades, results, problems, score, time.monotonic() - start)
    if notes:
        doc["output"] = "\n".join(notes) + "\n\n" + doc["output"]
    with open(os.path.join(OUT, "results.json"), "w", encoding="utf-8") as fp:
        json.dump(doc, fp, indent=2)
    if results:
        write_junit(results, os.path.join(OUT, "junit.xml"))
    else:
        write_junit_regions(grades, os.path.join(OUT, "junit.xml"))


def main(argv):
    try:
        opts = parse_args(argv)
        os.chdir(os.path.dirname(TOOLS))      # the kit's root
        if not os.path.exists(regions.REGISTRY):
            raise UsageError(f"{os.getcwd()}/{regions.REGISTRY}: no such file")
        global OUT
        OUT = os.path.abspath(opts.out or OUT)
        if opts.reference_run:
            parts, regs, _ = regions.read_registry()
            passing = reference_passing(opts.jobs)
            print(f"grade.py: the reference kit passes {len(passing)} of {len(regs)} regions")
            return 0 if len(passing) == len(regs) else 1
        return grade_submission(opts) if opts.submission else grade(opts)
    except UsageError as e:
        print(f"grade.py: {e}", file=sys.stderr)
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    except regions.Error as e:
        print(f"grade.py: {e}", file=sys.stderr)
        return 2
    except MachineFault as e:
        return machine_fault_exit(str(e))
    except OSError as e:
        if checks.machine_fault(e):
            return machine_fault_exit(f"cannot write {e.filename or 'a file'}: "
                                      f"{checks.machine_fault(e)}")
        print(f"grade.py: {e.filename}: {e.strerror}", file=sys.stderr)
        return 2


def machine_fault_exit(why):
    print(f"grade.py: the grade could not be computed: {why}.\n"
          "This is a fault of the machine, not of the code graded, so no score is given; "
          "free some space and grade again.", file=sys.stderr)
    return 3


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
