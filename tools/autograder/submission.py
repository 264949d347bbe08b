#!/usr/bin/python3
"""submission.py - grade one student's submission with the reference kit.
run_autograder (Gradescope), tools/grade-all and tools/simulate-autograder.sh
all grade through this file.

    submission.py prebuild KIT
        compile the reference kit KIT once (tools/grade.py --build-only),
        so that each region's variant recompiles only the file it changes,
        and run its own tests once (tools/grade.py --reference-run)
    submission.py grade KIT SUBMISSION OUT [--timeout S] [--jobs N] [--slot N]
        grade SUBMISSION with KIT's tools/grade.py --submission: each
        region is graded on its own in a variant of KIT (tools/isolation.py),
        its tests run in a sandbox (tools/sandbox.py); the results go to
        OUT (report.txt, results.json, junit.xml); exits as grade.py does
    submission.py gradescope [ROOT]
        what run_autograder does: grade ROOT/submission against the kit in
        ROOT/source/kit and write ROOT/results/results.json.  ROOT is
        $AUTOGRADER_ROOT, else /autograder.

KIT is the course's own kit, with the solutions: only the autograder and
the instructor hold it.  From the submission only the bodies of the regions
are taken (tools/isolation.py says how its files are found); everything
else in it is ignored.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True     # no __pycache__ in the kit


class Error(Exception):
    pass


def grade_py(kit, options, log=None):
    """Run KIT's tools/grade.py in KIT; its exit status."""
    command = [sys.executable, os.path.join(kit, "tools", "grade.py")] + options
    errors = subprocess.STDOUT if log else None
    return subprocess.run(command, cwd=kit, stdout=log, stderr=errors).returncode


def grade(kit, submission, out, options=(), log=None):
    """Grade submission into folder out; returns (exit status, the path of
    results.json).  log: a file for grade.py's output (default: stdout)."""
    for path, what in ((kit, "reference kit"), (submission, "submission")):
        if not os.path.isdir(path):
            raise Error(f"{path}: no such folder (the {what})")
    os.makedirs(out, exist_ok=True)
    code = grade_py(kit, ["--submission", os.path.abspath(submission),
                          "--out", os.path.abspath(out)] + list(options), log)
    return code, os.path.join(out, "results.json")


def failed_results(why):
    """Gradescope results for a submission that could not be graded."""
    return {"score": 0, "output": f"The autograder could not grade this submission: {why}",
            "tests": []}


def gradescope(root):
    """Grade ROOT/submission, write ROOT/results/results.json."""
    results_dir = os.path.join(root, "results")
    os.makedirs(results_dir, exist_ok=True)
    out = tempfile.mkdtemp(prefix="grade-")
    try:
        code, path = grade(os.path.join(root, "source", "kit"),
                           os.path.join(root, "submission"), out)
        with open(path, encoding="utf-8") as fp:
            results = json.load(fp)
        if code not in (0, 1):
            raise Error(f"tools/grade.py stopped with status {code}")
    except (Error, OSError, ValueError) as e:
        print(f"submission.py: {e}", file=sys.stderr)
        results, code = failed_results(str(e)), 2
    with open(os.path.join(results_dir, "results.json"), "w", encoding="utf-8") as fp:
        json.dump(results, fp, indent=2)
    shutil.rmtree(out, ignore_errors=True)
    return 0 if code in (0, 1) else code


def split_options(args):
    """Positional arguments, and the options passed on to grade.py."""
    positional, options, i = [], [], 0
    while i < len(args):
        if args[i] in ("--timeout", "--jobs", "--slot") and i + 1 < len(args):
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
            return grade_py(args[0], ["--build-only"] + options) or \
                grade_py(args[0], ["--reference-run"])
        if command == ["grade"] and len(args) == 3:
            return grade(args[0], args[1], args[2], options)[0]
        if command == ["gradescope"] and len(args) <= 1:
            return gradescope(args[0] if args else
                              os.environ.get("AUTOGRADER_ROOT", "/autograder"))
    except Error as e:
        print(f"submission.py: {e}", file=sys.stderr)
        return 2
    except OSError as e:
        print(f"submission.py: {e.filename}: {e.strerror}", file=sys.stderr)
        return 2
    print(__doc__.split("\n\n")[1], file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
