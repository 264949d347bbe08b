#!/usr/bin/python3
"""checks.py - run the Check suites and read what they report.

Every suite runs as its own process with its XML log in a file of its own
(CK_XML_LOG_FILE_NAME), and only that log is read, never Check's prose: a
suite that prints nothing (CK_VERBOSITY=silent) or is filtered out
(CK_RUN_SUITE, CK_RUN_CASE) is told apart from one that crashed.  A suite
that does not finish within its time limit is killed and reported as
timed out; a suite whose program is missing (it did not compile) is
reported as such.  `make check`, `make chNN` and `make grade` use this.

    checks.py [--logs DIR] [--timeout SECONDS] [--valgrind] [--jobs N] SUITE_BINARY...

runs the suites side by side, --jobs at a time (default: one per core),
and prints one line per suite, in the order given, the failing tests
with their messages and the solution region each one checks, then
"N passed, M failed"; exits 1 when anything failed (or nothing matched
a CK_RUN_SUITE / CK_RUN_CASE filter), and 3 when a suite could not be
judged for a fault of the machine, not of the code: a suite that crashed
or failed where its log or its temporary files could not be written (a
full disk) is reported as such, never as the code's failure.

With --valgrind every suite runs under valgrind's memcheck in one process
(CK_FORK=no), and a suite fails when valgrind reports an invalid read or
write, a use of uninitialised memory or a definite leak, even if all its
tests passed.  Test cases tagged "needs-fork" (tests that end in exit()
and so need a process of their own) are left out.
"""
import concurrent.futures
import errno
import functools
import math
import os
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import regions  # noqa: E402

NS = "{http://check.sourceforge.net/ns}"


class Test:
    def __init__(self, suite, name, case, result, where, message, duration=0.0):
        self.suite, self.name, self.case = suite, name, case
        self.result, self.where, self.message = result, where, message
        self.duration = duration

    @property
    def finished(self):
        """Whether the test ran to its end.  Check reports a test whose
        process exited with status 0 before its end (exit(0) in the code
        under test) as passed, with no duration (-1): it did not finish."""
        return self.result != "success" or self.duration >= 0

    @property
    def key(self):
        return f"{self.suite}:{self.name}"

    @property
    def passed(self):
        return self.result == "success"


class SuiteRun:
    """One suite binary's run: status is 'ran', 'missing', 'crashed',
    'timed out' or 'machine fault'; tests are the tests its log reports."""

    def __init__(self, binary):
        self.binary = binary
        self.name = os.path.basename(binary)
        self.status = "ran"
        self.detail = ""
        self.tests = []
        self.output = ""

    @property
    def failed(self):
        return [t for t in self.tests if not t.passed]

    @property
    def ok(self):
        return self.status == "ran" and not self.failed

    def todo_lines(self):
        """The stubs' "TODO: region ..." lines, each once."""
        seen = []
        for line in self.output.splitlines():
            if line.startswith("TODO: region") and line not in seen:
                seen.append(line)
        return seen


def make_env():
    """The environment for a make that a tool starts: without a parent
    make's flags and job server (make runs one job per core; a make
    started from its recipe would otherwise warn that the job server is
    unavailable)."""
    env = dict(os.environ)
    for name in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEFILES"):
        env.pop(name, None)
    return env


def xml_log_name(logs, binary):
    """Where a suite's XML log goes: LOGS/NAME.xml, or, when the user set
    CK_XML_LOG_FILE_NAME=path.xml, path-NAME.xml (one file per suite)."""
    name = os.path.basename(binary)
    wanted = os.environ.get("CK_XML_LOG_FILE_NAME")
    if wanted:
        stem, ext = os.path.splitext(wanted)
        return f"{stem}-{name}{ext or '.xml'}"
    return os.path.join(logs, name + ".xml")


# What a write that failed for a fault of the machine says, by errno.
MACHINE_FAULTS = {errno.ENOSPC: "disk full", errno.EDQUOT: "disk quota exceeded",
                  errno.EROFS: "read-only file system", errno.EIO: "input/output error"}
PROBE_BYTES = 64 * 1024


def machine_fault(error):
    """'disk full' and the like for an OSError that is the machine's
    fault, else None."""
    return MACHINE_FAULTS.get(getattr(error, "errno", None))


def unwritable(folder):
    """Why nothing can be written in folder (a full disk, say), or None:
    a file of PROBE_BYTES is written there, flushed to the disk and
    removed."""
    try:
        with tempfile.TemporaryFile(dir=folder, prefix=".write-probe-") as fp:
            fp.write(b"\0" * PROBE_BYTES)
            fp.flush()
            os.fsync(fp.fileno())
    except OSError as e:
        return machine_fault(e) or e.strerror
    return None


def read_log(path):
    """The tests of a Check XML log; raises ValueError if unreadable."""
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError) as e:
        raise ValueError(str(e))
    tests = []
    for suite in root.iter(NS + "suite"):
        title = suite.findtext(NS + "title", "")
        for t in suite.iter(NS + "test"):
            where = t.findtext(NS + "fn", "")
            path_ = t.findtext(NS + "path", "")
            if path_ and path_ != ".":
                where = f"{path_}/{where}"
            try:
                duration = float(t.findtext(NS + "duration", "0"))
            except ValueError:
                duration = -1.0
            tests.append(Test(title, t.findtext(NS + "id", ""), t.findtext(NS + "description", ""),
                              t.get("result", "error"), where, t.findtext(NS + "message", ""),
                              duration))
    return tests


def last_seconds(logs, binary):
    """How long a suite's tests took when it last ran (from its XML log),
    or infinity when it has no log: a suite not timed yet goes first."""
    try:
        return sum(max(0.0, t.duration) for t in read_log(xml_log_name(logs, binary)))
    except ValueError:
        return math.inf


def suite_names(root="."):
    """The kit's suites: SUITE for every tests/check_SUITE.c but check_main.c."""
    names = [f[len("check_"):-len(".c")] for f in os.listdir(os.path.join(root, "tests"))
             if f.startswith("check_") and f.endswith(".c")]
    return sorted(n for n in names if n != "main")


def kill_session(session):
    """SIGKILL every process of a session.  A suite runs in a session of its
    own; Check runs each test in a process group of its own and a test may
    start a program, so killing the suite's group alone could leave a
    looping test behind, holding the suite's output open."""
    def members():
        found = []
        for entry in os.listdir("/proc"):
            try:
                with open(f"/proc/{entry}/stat", encoding="utf-8", errors="replace") as fp:
                    fields = fp.read().rsplit(")", 1)[1].split()
                if int(fields[3]) == session and fields[0] != "Z":
                    found.append(int(entry))
            except (OSError, ValueError, IndexError):
                continue
        return found
    kill_until_gone(members)


def kill_until_gone(processes):
    """SIGKILL the pids processes() lists until it lists none (a dying
    process may fork once more), at most ten rounds."""
    for _ in range(10):
        found = processes()
        if not found:
            return
        for pid in found:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        time.sleep(0.1)


# valgrind's exit status when it found errors (--error-exitcode): one no
# suite uses itself.
VALGRIND_STATUS = 99
VALGRIND = ["valgrind", "-q", f"--error-exitcode={VALGRIND_STATUS}", "--leak-check=full",
            "--show-leak-kinds=definite", "--errors-for-leak-kinds=definite",
            "--child-silent-after-fork=yes", "--track-origins=yes"]


def valgrind_lines(output):
    """valgrind's own lines, "==PID== ...", from a suite's output."""
    return [line for line in output.splitlines() if line.startswith("==")]


# Time limits that grow with the machine's load: a test must never fail
# because the machine is busy.  CALIBRATION_LOOPS turns of a plain Python
# loop take about QUIET_SECONDS on the kit's 2-core machine with nothing
# else running; on a busier or slower machine they take longer, and the
# suites' time limits stretch as much (at most MAX_MULTIPLIER times).
CALIBRATION_LOOPS = 1_000_000
QUIET_SECONDS = 0.06
MAX_MULTIPLIER = 20


def calibration_seconds():
    """The median of three timings of a fixed CPU-bound loop, in seconds."""
    times = []
    for _ in range(3):
        start = time.perf_counter()
        total = 0
        for i in range(CALIBRATION_LOOPS):
            total += i * i % 7
        times.append(time.perf_counter() - start)
    return sorted(times)[1]


@functools.cache
def timeout_multiplier():
    """How many times Check's time limits (tcase_set_timeout, 4 s by
    default) and the suites' own are stretched: the user's
    CK_TIMEOUT_MULTIPLIER when set, else how much slower than on a quiet
    machine the calibration loop ran, rounded up, and at least the
    processes waiting per core (the load average).  Measured once."""
    try:
        given = float(os.environ.get("CK_TIMEOUT_MULTIPLIER", ""))
        if given > 0:
            return given
    except ValueError:
        pass
    slowdown = math.ceil(calibration_seconds() / QUIET_SECONDS)
    waiting = int(os.getloadavg()[0] / len(os.sched_getaffinity(0)))
    multiplier = min(max(1, slowdown, waiting), MAX_MULTIPLIER)
    if multiplier > 1:
        print(f"checks.py: the machine is busy: Check's time limits x{multiplier}", flush=True)
    return multiplier


# The output a suite may print: what is kept for the report, and what makes
# it stop (a test printing without end would otherwise fill the disk or the
# grader's memory).
OUTPUT_KEPT = 1 << 20
OUTPUT_LIMIT = 64 << 20


def read_output(proc, timeout):
    """A suite's output, at most OUTPUT_KEPT bytes of it, read until the
    suite exits (a process it left behind may hold the output open: it is
    not waited for); raises subprocess.TimeoutExpired after timeout
    seconds, and OverflowError once it has printed more than OUTPUT_LIMIT
    bytes."""
    deadline = None if timeout is None else time.monotonic() + timeout
    kept, total = bytearray(), 0
    with selectors.DefaultSelector() as sel:
        sel.register(proc.stdout, selectors.EVENT_READ)
        while True:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(proc.args, timeout)
            exited = proc.poll() is not None
            if not sel.select(0 if exited else 0.5):
                if exited:
                    break
                continue
            chunk = os.read(proc.stdout.fileno(), 65536)
            if not chunk:
                break
            total += len(chunk)
            kept += chunk[:max(0, OUTPUT_KEPT - len(kept))]
            if total > OUTPUT_LIMIT:
                raise OverflowError(total)
    proc.wait()
    return bytes(kept)


def run_suite(binary, logs, timeout=None, cwd=None, valgrind=False, sandbox=None):
    """Run one suite binary (paths relative to cwd, the kit's root, when
    given), under valgrind if asked, confined by sandbox (tools/sandbox.py)
    if given; never raises for the suite's own failures."""
    run = SuiteRun(binary)
    if cwd:
        binary, logs = os.path.join(cwd, binary), os.path.join(cwd, logs)
    if not os.access(binary, os.X_OK):
        run.status, run.detail = "missing", "did not compile (see the compiler's messages above)"
        return run
    log = xml_log_name(logs, binary)
    try:
        os.makedirs(os.path.dirname(log) or ".", exist_ok=True)
        if os.path.exists(log):
            os.remove(log)
    except OSError as e:
        run.status = "machine fault"
        run.detail = f"cannot write the log {log}: {machine_fault(e) or e.strerror}"
        return run
    # A sandboxed suite writes its log where it may write; it is read from there.
    written = os.path.join(sandbox.scratch, os.path.basename(log)) if sandbox else log
    multiplier = timeout_multiplier()
    env = dict(os.environ, CK_XML_LOG_FILE_NAME=written, CK_TIMEOUT_MULTIPLIER=f"{multiplier:g}")
    if timeout:
        timeout *= multiplier
    if cwd:
        env["KIT_BIN"] = os.path.join(cwd, env.get("KIT_BIN", "build/bin"))
    command = [os.path.abspath(binary)]
    if valgrind:
        env.update(CK_FORK="no", CK_EXCLUDE_TAGS="needs-fork")
        command = VALGRIND + command
    if sandbox:
        env = sandbox.environment(env)
        returncode, out, problem = run_process(command, env, cwd, timeout, sandbox)
    else:       # what a failing test leaves in its TMPDIR goes with it
        with tempfile.TemporaryDirectory(prefix="suite-") as tmp:
            env["TMPDIR"] = tmp
            returncode, out, problem = run_process(command, env, cwd, timeout, None)
    run.output = out.decode("utf-8", "replace")
    judge(run, returncode, problem, written, log, valgrind, sandbox)
    # A suite that did not pass, on a machine where its log or its tests'
    # temporary files cannot be written, is not judged: the fault is not
    # the code's.
    if not run.ok and run.status != "machine fault":
        for folder, what in ((os.path.dirname(written) or ".", f"the log {log}"),
                             (tempfile.gettempdir(),
                              f"temporary files in {tempfile.gettempdir()}")):
            why = unwritable(folder)
            if why:
                run.status, run.detail = "machine fault", f"cannot write {what}: {why}"
                break
    return run


def judge(run, returncode, problem, written, log, valgrind, sandbox):
    """Set run's status and tests from how its process ended and from the
    log it wrote (written, copied to log when the suite ran sandboxed)."""
    if problem:
        run.status, run.detail = problem
        return
    try:
        run.tests = read_log(written)
    except ValueError:
        run.status = "crashed"
        run.detail = f"stopped (exit status {returncode}) before writing its results"
        return
    if sandbox:
        try:
            shutil.copyfile(written, log)
        except OSError as e:
            run.status = "machine fault"
            run.detail = f"cannot write the log {log}: {machine_fault(e) or e.strerror}"
            return
    if valgrind and returncode == VALGRIND_STATUS:
        run.status = "valgrind"
        run.detail = "memcheck found errors:\n" + "\n".join(
            "    " + line for line in valgrind_lines(run.output))
        return
    if returncode != 0 and not run.failed:
        run.status = "crashed"
        run.detail = f"exited with status {returncode} although every test passed"


def run_process(command, env, cwd, timeout, sandbox):
    """Run a suite's process to its end: (exit status, its output, and
    None or (status, detail) when it was stopped)."""
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, env=env, cwd=cwd, start_new_session=True,
                            preexec_fn=sandbox.preexec if sandbox else None)
    out, problem = b"", None
    try:
        out = read_output(proc, timeout)
    except subprocess.TimeoutExpired:
        problem = "timed out", f"did not finish within {timeout:g} s and was stopped"
    except OverflowError:
        problem = "crashed", f"printed more than {OUTPUT_LIMIT >> 20} MiB and was stopped"
    kill_session(proc.pid)      # anything a test left running
    if sandbox:
        sandbox.kill_all()
    proc.wait()
    proc.stdout.close()
    return proc.returncode, out, problem


def region_of(test_map, test):
    """'region NAME, FILE:LINE' for a registered test, else ''."""
    entry = test_map.get(test.key)
    return f"region {entry[0]}, {entry[1]}" if entry else ""


def load_test_map():
    """suite:test -> (region, file:line of the region), from the registry."""
    try:
        _, regs, tests = regions.read_registry()
        marked = regions.find_regions()
    except (regions.Error, OSError):
        return {}
    out = {}
    for test, name in tests.items():
        m = marked.get(name)
        out[test] = (name, f"{m.file}:{m.begin}" if m else regs[name].file)
    return out


def report(runs, verbose=False):
    """Print the runs as `make check` does; return (passed, failed)."""
    test_map = load_test_map()
    passed = failed = 0
    for run in runs:
        if run.status == "ran" and not run.tests and selecting():
            continue                                  # filtered out
        if verbose and run.output.strip():
            print("\n".join("    | " + line for line in run.output.rstrip().splitlines()))
        if run.status != "ran":
            print(f"{run.name:<34} {run.status.upper()}: {run.detail}")
            if run.status != "machine fault":          # not the code's failure
                failed += 1
            continue
        bad = run.failed
        passed += len(run.tests) - len(bad)
        failed += len(bad)
        counts = f"{len(run.tests) - len(bad)} passed" + (f", {len(bad)} failed" if bad else "")
        print(f"{run.name:<34} {counts}")
        for line in run.todo_lines():
            print(f"    {line}")
        for t in bad:
            region = region_of(test_map, t)
            print(f"    {t.where}: {t.name}" + (f"  [{region}]" if region else ""))
            print(f"        {t.message}")
    return passed, failed


def selecting():
    return bool(os.environ.get("CK_RUN_SUITE") or os.environ.get("CK_RUN_CASE"))


def usage(message):
    print(f"checks.py: {message}\n" + __doc__.strip().split("\n\n")[2], file=sys.stderr)
    return 2


def main(argv):
    try:
        return check(argv)
    except OSError as e:
        if not machine_fault(e):
            raise
        print(f"checks.py: {e.filename or 'a file'}: {machine_fault(e)}: the suites could not be run",
              file=sys.stderr)
        return 3


def check(argv):
    logs, timeout, binaries, valgrind = os.path.join("build", "check"), None, [], False
    jobs = len(os.sched_getaffinity(0))
    i = 0
    while i < len(argv):
        if argv[i] == "--valgrind":
            valgrind, i = True, i + 1
            continue
        if argv[i] in ("--logs", "--timeout", "--jobs") and i + 1 == len(argv):
            return usage(f"{argv[i]} needs a value")
        if argv[i] == "--logs":
            logs, i = argv[i + 1], i + 2
        elif argv[i] == "--timeout":
            try:
                timeout = float(argv[i + 1])
            except ValueError:
                timeout = -1.0
            if not timeout > 0:
                return usage(f"--timeout: '{argv[i + 1]}' is not a number of seconds above 0")
            i += 2
        elif argv[i] == "--jobs":
            jobs = int(argv[i + 1]) if argv[i + 1].isdigit() else 0
            if jobs < 1:
                return usage(f"--jobs: '{argv[i + 1]}' is not a whole number of suites above 0")
            i += 2
        elif argv[i].startswith("-"):
            return usage(f"unknown option '{argv[i]}'")
        else:
            binaries.append(argv[i])
            i += 1
    # The suites run side by side, one per core (--jobs), each a process
    # of its own, the longest first (so that none is left to run alone at
    # the end); the machine's speed is measured before any of them starts.
    timeout_multiplier()
    order = sorted(range(len(binaries)), key=lambda i: -last_seconds(logs, binaries[i]))
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        done = dict(zip(order, pool.map(
            lambda i: run_suite(binaries[i], logs, timeout, valgrind=valgrind), order)))
    runs = [done[i] for i in range(len(binaries))]
    passed, failed = report(runs, os.environ.get("CK_VERBOSITY") == "verbose")
    if selecting() and passed + failed == 0:
        print("no test matched CK_RUN_SUITE='%s' CK_RUN_CASE='%s'; the suites are: %s" % (
            os.environ.get("CK_RUN_SUITE", ""), os.environ.get("CK_RUN_CASE", ""),
            " ".join(sorted({t.suite for r in runs for t in r.tests} or
                            {r.name[len("check_"):] for r in runs}))))
        return 1
    faults = [r for r in runs if r.status == "machine fault"]
    print(f"{passed} passed, {failed} failed" + (f", {len(faults)} suites not judged" if faults else ""))
    if faults:
        print(f"The suites not judged could not run for a fault of this machine, not of the code "
              f"({faults[0].detail}): free some space and run them again.")
        return 3
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
