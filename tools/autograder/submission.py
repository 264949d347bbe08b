#!/usr/bin/python3
"""submission.py - grade one student's submission in a fresh copy of the
clean (handout) kit.  run_autograder (Gradescope), tools/grade-all and
tools/simulate-autograder.sh all grade through this file.

    submission.py prebuild KIT
        compile the clean kit KIT once (tools/grade.py --build-only), so
        that each copy recompiles only the files a submission replaces
    submission.py grade KIT SUBMISSION WORK [--timeout S] [--jobs N]
        copy KIT to WORK/kit, copy the submission's region files into it,
        run tools/grade.py there; prints the grade, leaves the results in
        WORK/kit/build/grade/ and exits as grade.py does
    submission.py gradescope [ROOT]
        what run_autograder does: grade ROOT/submission against the kit in
        ROOT/source/kit and write ROOT/results/results.json.  ROOT is
        $AUTOGRADER_ROOT, else /autograder.

The region files are the file column of the kit's grading/regions.txt.
Each is taken from the submission at its path in the kit (at any depth:
a zipped kit folder works), else by its file name anywhere in the
submission; a file the submission lacks stays the handout's stub.  A
library file (src/lib/) that does not compile would stop every suite from
linking: it is graded as the handout's stub instead, and the results say
so with the compiler's errors.  The clean kit is only read: the
submission's code is compiled and run in WORK/kit (its working directory),
as the same user; nothing else confines it (on Gradescope, each submission
has a container of its own).
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True     # no __pycache__ in the kit
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import grade as grade_tool  # noqa: E402
import regions  # noqa: E402

SKIP_DIRS = {".git", "__MACOSX", "node_modules"}


class Error(Exception):
    pass


# ---------------------------------------------------------------------------
# Finding the region files in a submission.

def region_files(kit):
    """The files that hold solution regions, per KIT/grading/regions.txt."""
    _, regs, _ = regions.read_registry(os.path.join(kit, regions.REGISTRY))
    return sorted({r.file for r in regs.values()})


def submission_files(submission):
    """Every regular file of the submission, relative, shallowest first."""
    found = []
    for folder, dirs, names in os.walk(submission):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
        for name in names:
            path = os.path.join(folder, name)
            if os.path.isfile(path) and not os.path.islink(path):
                found.append(os.path.relpath(path, submission))
    return sorted(found, key=lambda p: (p.count(os.sep), p))


def find_file(wanted, files):
    """The submission's copy of kit file `wanted`: the shallowest file whose
    path ends with wanted's path, else with its name; None if none."""
    for candidate in files:
        if candidate == wanted or candidate.endswith(os.sep + wanted):
            return candidate
    name = os.path.basename(wanted)
    for candidate in files:
        if os.path.basename(candidate) == name:
            return candidate
    return None


def place_region_files(kit, submission, dest):
    """Copy the submission's region files into the kit copy at dest;
    returns the files placed and one line per region file saying where it
    came from."""
    files = submission_files(submission)
    placed, notes = [], []
    for wanted in region_files(kit):
        found = find_file(wanted, files)
        if found is None:
            notes.append(f"{wanted}: not in the submission; its regions stay the handout's stubs")
            continue
        shutil.copyfile(os.path.join(submission, found), os.path.join(dest, wanted))
        placed.append(wanted)
        notes.append(f"{wanted}: from {found}")
    return placed, notes


# ---------------------------------------------------------------------------
# A library file that does not compile.  Every suite links the library
# (the Makefile's $(LIB)), so one such file would cost every region; it is
# graded as the handout's stub instead, and the grade says so.

LIBRARY = os.path.join("build", "obj", "libkit.a")
COMPILER_ERROR = re.compile(r"^(src/[^:\s]+):\d+:(?:\d+:)? (?:fatal )?error: .*$", re.M)


def library_errors(copy):
    """Build the library in the kit copy: region file -> its error lines."""
    proc = subprocess.run(["make", f"-j{os.cpu_count() or 1}", "-k", LIBRARY], cwd=copy,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=grade_tool.make_env())
    errors = {}
    if proc.returncode != 0:
        for m in COMPILER_ERROR.finditer(proc.stdout.decode("utf-8", "replace")):
            errors.setdefault(m.group(1), []).append(m.group(0))
    return errors


def stub_broken_library_files(kit, copy, placed):
    """Put the clean kit's version back for each placed file the library
    does not compile with; returns file -> a note saying so."""
    stubbed = {}
    for _ in range(len(placed)):              # one broken file may hide another
        errors = library_errors(copy)
        broken = [f for f in placed if f in errors and f not in stubbed]
        if not broken:
            break
        for f in broken:
            shutil.copyfile(os.path.join(kit, f), os.path.join(copy, f))  # a new time: rebuilt
            stubbed[f] = (f"{f} DID NOT COMPILE, and every suite links it, so it was graded "
                          "as the handout's stub instead (its regions earn nothing).  The "
                          "compiler said:\n    " + "\n    ".join(errors[f][:10]))
    return stubbed


# ---------------------------------------------------------------------------
# Grading.

def copy_kit(kit, dest):
    """A fresh copy of the clean kit (its build too, times kept)."""
    if os.path.exists(dest):
        shutil.rmtree(dest)
    shutil.copytree(kit, dest, symlinks=True, ignore=shutil.ignore_patterns(".git"))


def grade_py(kit_copy, options, log=None):
    """Run tools/grade.py in kit_copy; its exit status."""
    command = [sys.executable, os.path.join(kit_copy, "tools", "grade.py")] + options
    errors = subprocess.STDOUT if log else None
    return subprocess.run(command, cwd=kit_copy, stdout=log, stderr=errors).returncode


def grade(kit, submission, work, options=(), log=None):
    """Grade submission in WORK/kit; returns (exit status, results.json
    path).  log: a file for grade.py's output (default: stdout)."""
    for path, what in ((kit, "clean kit"), (submission, "submission")):
        if not os.path.isdir(path):
            raise Error(f"{path}: no such folder (the {what})")
    copy = os.path.join(work, "kit")
    copy_kit(kit, copy)
    placed, notes = place_region_files(kit, submission, copy)
    stubbed = stub_broken_library_files(kit, copy, placed)
    for note in notes + list(stubbed.values()):
        print(note, file=log or sys.stdout, flush=True)
    code = grade_py(copy, list(options), log)
    path = os.path.join(copy, "build", "grade", "results.json")
    if os.path.exists(path):
        annotate_results(path, kit, notes, stubbed)
    return code, path


def annotate_results(path, kit, notes, stubbed):
    """Add to results.json where each file came from, and to each region
    of a stubbed file why it was graded as a stub."""
    with open(path, encoding="utf-8") as fp:
        results = json.load(fp)
    _, regs, _ = regions.read_registry(os.path.join(kit, regions.REGISTRY))
    for test in results["tests"]:
        region = regs.get(test["name"].split()[0])
        if region and region.file in stubbed:
            test["output"] = stubbed[region.file] + "\n\n" + test["output"]
    results["output"] = "\n".join(["Files graded:"] + notes + list(stubbed.values())) + \
        "\n\n" + results["output"]
    with open(path, "w", encoding="utf-8") as fp:
        json.dump(results, fp, indent=2)


def failed_results(why):
    """Gradescope results for a submission that could not be graded."""
    return {"score": 0, "output": f"The autograder could not grade this submission: {why}",
            "tests": []}


def gradescope(root):
    """Grade ROOT/submission, write ROOT/results/results.json."""
    results_dir = os.path.join(root, "results")
    os.makedirs(results_dir, exist_ok=True)
    work = tempfile.mkdtemp(prefix="grade-")
    try:
        code, path = grade(os.path.join(root, "source", "kit"),
                           os.path.join(root, "submission"), work)
        with open(path, encoding="utf-8") as fp:
            results = json.load(fp)
    except (Error, regions.Error, OSError, ValueError) as e:
        print(f"submission.py: {e}", file=sys.stderr)
        results, code = failed_results(str(e)), 2
    with open(os.path.join(results_dir, "results.json"), "w", encoding="utf-8") as fp:
        json.dump(results, fp, indent=2)
    shutil.rmtree(work, ignore_errors=True)
    return 0 if code in (0, 1) else code


# ---------------------------------------------------------------------------

def split_options(args):
    """Positional arguments, and the --timeout/--jobs options for grade.py."""
    positional, options, i = [], [], 0
    while i < len(args):
        if args[i] in ("--timeout", "--jobs") and i + 1 < len(args):
            options += args[i:i + 2]
            i += 2
        elif args[i].startswith("-"):
            raise Error(f"unknown option '{args[i]}'")
        else:
            positional.append(args[i])
            i += 1
    return positional, options


def main(argv):
    try:
        command, (args, options) = argv[:1], split_options(argv[1:])
        if command == ["prebuild"] and len(args) == 1:
            return grade_py(args[0], ["--build-only"] + options)
        if command == ["grade"] and len(args) == 3:
            return grade(args[0], args[1], args[2], options)[0]
        if command == ["gradescope"] and len(args) <= 1:
            return gradescope(args[0] if args else
                              os.environ.get("AUTOGRADER_ROOT", "/autograder"))
    except (Error, regions.Error) as e:
        print(f"submission.py: {e}", file=sys.stderr)
        return 2
    except OSError as e:
        print(f"submission.py: {e.filename}: {e.strerror}", file=sys.stderr)
        return 2
    print(__doc__.split("\n\n")[1], file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
