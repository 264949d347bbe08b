"""isolation.py - grade every solution region on its own.

A region's score must depend on that region alone: a wrong relu_derivative
must cost relu_derivative's 2 points, not the 40 points of every region
whose tests also run it.  So each region R is graded in a *variant* of the
reference kit (the course's own solutions, compiled once): the reference's
files, with R's body taken from the submission and every other region left
as the reference has it.  A region whose body does not compile costs that
region only; every other variant builds.

Only the body between a region's markers is taken from a submission.  An
edit outside the markers is ignored, and the grade says so.  A body is not
compiled at all, and earns nothing, when it holds what no region of this
course needs and a cheat would (REFUSED below): preprocessor lines, inline
assembly, files, processes, the environment, leaving the process early.

tools/grade.py uses this for `make grade SUBMISSION=DIR`, the Gradescope
autograder and tools/grade-all; the tests of each variant run in
tools/sandbox.py's confinement.  KIT_GRADE_UNSCANNED=1 in the grader's
environment skips the refusal, so that tools/test-cheats.sh can show the
sandbox holding on its own.
"""
import os
import re
import shutil
import subprocess

import regions

# What a region's body may not name.  The bodies of this course compute
# sums, products and loops over arrays; these names only serve to read the
# tests' files, start processes, change the environment or end a test
# before its checks have run.
REFUSED = {
    "fopen", "freopen", "fdopen", "open", "openat", "creat", "opendir",
    "unlink", "remove", "rename", "rmdir", "mkdir", "chmod", "chown", "truncate",
    "system", "popen", "fork", "vfork", "clone", "execl", "execlp", "execle",
    "execv", "execvp", "execve", "posix_spawn", "posix_spawnp", "kill", "raise",
    "signal", "sigaction", "exit", "_exit", "_Exit", "quick_exit", "atexit",
    "at_quick_exit", "setjmp", "longjmp", "dlopen", "dlsym", "syscall", "ptrace",
    "mmap", "mprotect", "getenv", "secure_getenv", "setenv", "putenv", "unsetenv",
    "chdir", "sleep", "usleep", "nanosleep", "pause", "asm", "__asm", "__asm__",
}
# Nor may it call the kit's own functions that read or write files, parse
# the command line (--help exits) or end the program: those declared in
# these headers.  A region that could call fixture_load could read the
# answer its tests compare with.
IO_HEADERS = ("fixture.h", "idx.h", "mnist.h", "results.h", "cli.h", "progress.h",
              "images.h", "todo.h")
IDENTIFIER = re.compile(r"[A-Za-z_]\w*")
DECLARED = re.compile(r"^[A-Za-z_][\w \t\*]*?\b([A-Za-z_]\w*)\s*\(", re.M)
COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)
STRING = re.compile(r'"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'')


# ---------------------------------------------------------------------------
# Region bodies in a file's text.

def marked_in(text, path):
    """The regions marked in one file's text: name -> regions.Marked."""
    return regions.marked_in_lines(text.split("\n"), path)


def io_functions(root="."):
    """The functions the kit's I/O headers declare (IO_HEADERS)."""
    names = set()
    for header in IO_HEADERS:
        path = os.path.join(root, "src", "lib", header)
        if os.path.exists(path):
            with open(path, encoding="utf-8") as fp:
                names.update(DECLARED.findall(COMMENT.sub(" ", fp.read())))
    return names


def refused_reason(body, root="."):
    """Why a region body may not be compiled, or '' if it may."""
    for number, line in enumerate(body, 1):
        if line.lstrip().startswith("#"):
            return f"line {number} of the region is a preprocessor line ({line.strip()[:40]})"
    code = STRING.sub('""', COMMENT.sub(" ", "\n".join(body)))
    refused = REFUSED | io_functions(root)
    for name in IDENTIFIER.findall(code):
        if name in refused:
            return (f"refused: the region names {name}, which no region of this course needs "
                    "(files, processes, the environment, the command line, or leaving a "
                    "test early); it was not compiled")
    return ""


def squeezed(lines):
    """The lines with every run of white space made one space and blank
    lines left out: two bodies that differ only so compare equal (and
    x - -y still differs from x--y)."""
    return "\n".join(" ".join(line.split()) for line in lines if line.strip())


def outside_regions(text, path):
    """The text outside every region body (markers kept), without the
    handout's #include "lib/todo.h", squeezed of white space."""
    lines = text.split("\n")
    keep = [True] * len(lines)
    for m in marked_in(text, path).values():
        for i in range(m.begin, m.end - 1):
            keep[i] = False

    return squeezed(line for line, k in zip(lines, keep)
                    if k and line.strip() != '#include "lib/todo.h"')


def splice(text, path, name, body):
    """text with region name's body replaced by body (the lines between
    the markers); the include the handout's stubs need is added when the
    body calls TODO_REGION."""
    m = marked_in(text, path)[name]
    lines = text.split("\n")
    lines[m.begin:m.end - 1] = body
    if any("TODO_REGION" in line for line in body) and \
            '#include "lib/todo.h"' not in lines:
        lines = regions.add_todo_include(lines)
    return "\n".join(lines)


# ---------------------------------------------------------------------------
# A submission: a folder holding (some of) the region files.

SKIP_DIRS = {".git", "__MACOSX", "node_modules"}


def submission_files(folder):
    """Every regular file of the submission (symlinks that stay inside it
    resolved), relative, shallowest first; and the symlinks refused."""
    found, refused = [], []
    top = os.path.realpath(folder)
    for here, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
        for name in names:
            path = os.path.join(here, name)
            rel = os.path.relpath(path, folder)
            if os.path.islink(path):
                target = os.path.realpath(path)
                if not (target.startswith(top + os.sep) and os.path.isfile(target)):
                    refused.append(rel)
                    continue
            if os.path.isfile(path):
                found.append(rel)
    return sorted(found, key=lambda p: (p.count(os.sep), p)), refused


def shown(name):
    """A file name as printable text: bytes that are not UTF-8, and
    control characters, escaped."""
    text = os.fsencode(name).decode("utf-8", "backslashreplace")
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


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


class Submission:
    """What a submission holds for each region: .bodies (name -> lines, or
    None when its file or its markers are missing), .refused (name -> why
    it is not compiled), .notes (one line per region file: where it came
    from, what was ignored)."""

    def __init__(self, folder, reference, regs):
        self.bodies, self.refused, self.notes = {}, {}, []
        files, links = submission_files(folder)
        for link in links:
            self.notes.append(f"{shown(link)}: a link to outside the submission; ignored")
        used = set()
        for path in sorted({r.file for r in regs.values()}):
            names = [n for n, r in regs.items() if r.file == path]
            used.add(self.read_file(folder, reference, path, names, files))
        others = [shown(f) for f in files if f not in used]
        if others:
            self.notes.append(f"{len(others)} other file(s), not region files, ignored: "
                              + ", ".join(others[:10]) + (", ..." if others[10:] else ""))

    @staticmethod
    def outsides(reference, path):
        """What may lie outside the regions of kit file path: the text of
        the reference's file and of the handout's."""
        with open(os.path.join(reference, path), encoding="utf-8") as fp:
            ours = fp.read()
        handout = regions.stubbed_text(path, regions.find_regions(reference),
                                       regions.read_stubs(), regions.find_omits(reference),
                                       regions.read_stubs(kind="@omit"))
        return {outside_regions(ours, path), outside_regions(handout, path)}

    def read_file(self, folder, reference, path, names, files):
        """Read the bodies of the regions in kit file path; returns the
        submission's file it used, or None."""
        found = find_file(path, files)
        for name in names:
            self.bodies[name] = None
        if found is None:
            self.notes.append(f"{path}: not in the submission; its regions earn nothing")
            return
        try:
            with open(os.path.join(folder, found), encoding="utf-8") as fp:
                text = fp.read()
            theirs = marked_in(text, path)
        except UnicodeDecodeError:
            self.notes.append(f"{path}: {shown(found)} is not UTF-8 text; its regions earn nothing")
            return found
        except regions.Error as e:
            self.notes.append(f"{path}: {shown(found)}: {e}; its regions earn nothing")
            return found
        note = f"{path}: from {shown(found)}"
        if outside_regions(text, path) not in self.outsides(reference, path):
            note += " (edits outside the regions are ignored: only region bodies are graded)"
        self.notes.append(note)
        for name in names:
            if name not in theirs:
                self.notes.append(f"{path}: region {name}'s markers are missing; it earns nothing")
                continue
            self.bodies[name] = theirs[name].body
            why = refused_reason(theirs[name].body)
            if why and os.environ.get("KIT_GRADE_UNSCANNED") != "1":
                self.refused[name] = why
        return found


# ---------------------------------------------------------------------------
# Variants: the reference kit with one region's body from the submission.

# What a variant copies of the reference's build: the compiled objects and
# programs (so that only what the region changes is compiled again) and
# the stamps make checks.  Not the book, the results or the logs.
BUILD_KEPT = {"obj", "bin", "mnist-data", ".deps-installed", "regions.ok"}
TOP_SKIPPED = {".git", ".ci"}


def copy_kit(kit, dest):
    """A copy of kit (its sources and its compiled objects and programs,
    times kept) to build in: a variant, a private reference, a kit whose
    broken regions are stubbed."""
    def ignore(folder, names):
        here = os.path.relpath(folder, kit)
        if here == ".":
            return [n for n in names if n in TOP_SKIPPED]
        if here == "build":
            return [n for n in names if n not in BUILD_KEPT]
        return []
    shutil.copytree(kit, dest, symlinks=True, ignore=ignore)


def drop_compiled(variant, path):
    """Remove from a variant every object, archive and program compiled
    from the reference's version of path, so that nothing of the region's
    reference body is left in the variant."""
    obj = os.path.join(variant, "build", "obj")
    for here, _, names in os.walk(obj):
        for name in names:
            if not name.endswith(".d"):
                continue
            with open(os.path.join(here, name), encoding="utf-8", errors="replace") as fp:
                if path in fp.read().split():
                    stem = os.path.join(here, name[:-2])
                    for old in (stem + ".o", stem + ".d"):
                        if os.path.exists(old):
                            os.remove(old)
    for old in [os.path.join(obj, "libkit.a")]:
        if os.path.exists(old):
            os.remove(old)
    shutil.rmtree(os.path.join(variant, "build", "bin"), ignore_errors=True)


def make_variant(reference, dest, region, body):
    """The variant of region's grade: the reference kit at dest with the
    region's body spliced into its file."""
    copy_kit(reference, dest)
    path = os.path.join(dest, region.file)
    with open(path, encoding="utf-8") as fp:
        text = fp.read()
    drop_compiled(dest, region.file)
    with open(path, "w", encoding="utf-8") as fp:
        fp.write(splice(text, region.file, region.name, body))


def build_targets(variant, targets, log_path, env):
    """make the targets in a variant; True if they all built."""
    command = ["make", "-s", "--no-print-directory"] + targets
    with open(log_path, "w", encoding="utf-8") as log:
        log.write("$ " + " ".join(command) + "\n")
        log.flush()
        code = subprocess.run(command, cwd=variant, stdout=log, stderr=subprocess.STDOUT,
                              env=env).returncode
    return code == 0
