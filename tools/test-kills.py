#!/usr/bin/python3
"""test-kills.py [--seed N] [--kills N] - a make killed at any moment of a
clean build, and run again, builds what a clean build does, without make
clean.

A student's laptop closes the terminal mid-build: make and everything it
started die at once (SIGKILL: no handler runs, .DELETE_ON_ERROR does not
apply).  In a scratch clone of this kit (tools/scratch-kit.sh; the MNIST
subset is committed, nothing is downloaded), this starts a clean `make`,
SIGKILLs its whole process group at 20 random moments of the one build,
starting make again after each, then lets the last make finish, and
compares with this kit's own build (run `make` first; .ci/run does):
every program's results (build/results, byte for byte) and the book's
text (pdftotext, byte for byte).  The only files left out are chapter
05's per-epoch wall-clock timings, build/results/ch05/*_timing.dat, which
the book does not print, so nothing in the text is masked; and the
temporary files (*.tmp, *.tmp.*) that a killed command leaves, which no
rule trusts.  (tools/test-jobs.sh shows that this kit's build, a parallel
one, is the serial build's.)

The moments are spread over the phases of a build: each kill is set to
fall a random delay after the r-th line that make prints for one phase
(CC, AR, LINK, RUN, GNUPLOT, LATEX), r and the delay drawn from a seeded
generator (--seed, printed; the phases' sizes come from this kit's build).
A loaded machine moves where within a phase a kill lands, never whether
the test passes: nothing waits with a time limit.

Per kill it prints the phase, the commands that were running, and what
the kill left: temporary files (fine) or a truncated target, an object, a
program, the archive, a dependency file or the book cut short (a failure,
as is a rerun of make that fails).  Exits 1 on any failure.
"""
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PHASES = ["CC", "AR", "LINK", "RUN", "GNUPLOT", "LATEX"]
# Kills per phase (20 in all), and the longest delay after the phase's
# line: the archive is written within a fraction of a second of its line,
# a chapter's run and LaTeX take many seconds.
PLAN = {"CC": 5, "AR": 1, "LINK": 4, "RUN": 4, "GNUPLOT": 3, "LATEX": 3}
DELAY = {"CC": 0.6, "AR": 0.1, "LINK": 0.4, "RUN": 8.0, "GNUPLOT": 0.6, "LATEX": 6.0}
LINE = re.compile(r"^  (CC|AR|LINK|RUN|GNUPLOT|LATEX)\s+(\S+)")


def phase_sizes(build):
    """How many lines of each phase a clean build prints, from a build."""
    objects = sum(len([n for n in names if n.endswith(".o")])
                  for d, _, names in os.walk(os.path.join(build, "obj")))
    programs = len([n for n in os.listdir(os.path.join(build, "bin")) if "." not in n])
    runs = len([d for d in os.listdir(os.path.join(build, "results"))
                if os.path.exists(os.path.join(build, "results", d, "numbers.tex"))])
    figures = len([n for n in os.listdir(os.path.join(build, "figures"))
                   if n.endswith((".tex", ".png"))])
    library = len([n for n in os.listdir(os.path.join(build, "obj", "lib")) if n.endswith(".o")])
    return {"CC": objects, "AR": 1, "LINK": programs, "RUN": runs, "GNUPLOT": figures, "LATEX": 1,
            "library": library}


def plan(rng, sizes, kills):
    """The kills: (phase, r, delay), in the order a build reaches them."""
    per = dict(PLAN)
    while sum(per.values()) < kills:
        per["CC"] += 1
    chosen = []
    for phase in PHASES:
        # r within the first four fifths of the phase, so that a phase a
        # little smaller than this kit's build still reaches it
        top = max(1, int(0.8 * sizes[phase]))
        chosen += [(phase, rng.randint(1, top), rng.uniform(0, DELAY[phase])) for _ in range(per[phase])]
    # One compile falls among the library's, before the archive is made,
    # so that the next kill waits for the archive's own line.
    before_ar = max(1, sizes["library"] - 2)
    chosen[0] = ("CC", rng.randint(1, before_ar), chosen[0][2])
    # In the order a build reaches them: the archive after the library's
    # objects, the other phases one after the other.
    start, position = 0, {}
    for phase in PHASES:
        position[phase] = start
        start += sizes[phase]
    position["AR"] = before_ar + 0.5

    def reached(kill):
        phase, r, delay = kill
        return (position[phase] + (r if phase != "AR" else 0), delay)
    chosen.sort(key=reached)
    return chosen[:kills]


def running(pgid):
    """The commands of process group pgid, make's and the shells' left out."""
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as fp:
                stat = fp.read()
            if int(stat.rsplit(")", 1)[1].split()[2]) != pgid:
                continue
            with open(f"/proc/{pid}/cmdline", "rb") as fp:
                argv = [a.decode(errors="replace") for a in fp.read().split(b"\0") if a]
        except (OSError, ValueError, IndexError):
            continue
        if not argv:
            continue
        name = os.path.basename(argv[0])
        if name in ("make", "sh", "bash", "dash") and not (len(argv) > 1 and argv[1].startswith("tools/")):
            continue
        if name in ("cc1", "as", "collect2", "ld", "ld.bfd", "lto-wrapper"):
            continue                   # the compiler driver's own parts
        found.append(describe(argv))
    found = sorted(set(found))
    if found and all(f in ("nproc", "pkg-config", "find", "grep") for f in found):
        return ["make reading the Makefile (" + ", ".join(found) + ")"]
    return found


def describe(argv):
    """One process, shortly: what it is doing, and to which file."""
    name = os.path.basename(argv[0])
    args = " ".join(argv[1:])
    target = re.search(r"-o (\S+)", args)
    if name in ("cc", "gcc", "clang") and "-c" in argv:
        return f"compile ({target.group(1) if target else name})"
    if name in ("cc", "gcc", "clang"):
        return f"link ({target.group(1) if target else name})"
    if name == "ar":
        return "archive (ar " + " ".join(argv[1:3]) + ")"
    if re.match(r"ch\d\d_", name):
        return f"chapter run ({name})"
    if name in ("gnuplot", "pdftoppm") or (name == "pdflatex" and "figures" in args):
        return f"figure ({name})"
    if name == "perl" and len(argv) > 1:
        name = os.path.basename(argv[1])
    if name in ("latexmk", "pdflatex", "bibtex", "makeindex", "bibtex8"):
        return f"LaTeX ({name})"
    if name.startswith("python"):
        return "tool (" + next((os.path.basename(a) for a in argv[1:] if a.endswith(".py")), name) + ")"
    if name in ("sh", "bash", "dash"):
        return "tool (" + os.path.basename(argv[1]) + ")"
    return name


def truncated_elf(path):
    """Why path is not a whole ELF file (its section headers, written last
    by the compiler and the linker, must lie inside it), or None."""
    with open(path, "rb") as fp:
        head = fp.read(64)
        size = os.fstat(fp.fileno()).st_size
    if len(head) < 64 or head[:4] != b"\x7fELF":
        return f"{size} bytes, no ELF header"
    shoff = int.from_bytes(head[40:48], "little")
    shentsize, shnum = int.from_bytes(head[58:60], "little"), int.from_bytes(head[60:62], "little")
    if shoff + shentsize * shnum > size:
        return f"{size} bytes, cut short of its section headers"
    return None


def truncated_archive(path):
    """Why path is not a whole ar archive, or None."""
    with open(path, "rb") as fp:
        data = fp.read()
    if not data.startswith(b"!<arch>\n"):
        return f"{len(data)} bytes, no archive header"
    pos, members = 8, 0
    while pos < len(data):
        if pos + 60 > len(data):
            return f"{len(data)} bytes, cut inside a member's header"
        size = int(data[pos + 48:pos + 58].decode().strip() or -1)
        pos += 60 + size + (size % 2)
        members += 1
        if pos > len(data) + 1:
            return f"{len(data)} bytes, cut inside a member"
    return None if members else "an archive without members"


def temporary(name):
    return name.endswith((".tmp", ".new")) or ".tmp." in name or name == ".latex-running"


def inspect(build):
    """(temporary files, truncated targets) in a build folder."""
    temps, bad = [], []
    for folder, _, names in os.walk(build):
        for name in names:
            path = os.path.join(folder, name)
            rel = os.path.relpath(path, os.path.dirname(build))
            if temporary(name):
                temps.append(rel)
                continue
            try:
                why = None
                if name.endswith(".o") or (os.path.basename(folder) == "bin" and "." not in name):
                    why = truncated_elf(path)
                elif name.endswith(".a"):
                    why = truncated_archive(path)
                elif name.endswith(".d") and "/obj" in rel:
                    with open(path, "rb") as fp:
                        text = fp.read()
                    if not text.endswith(b"\n") or b":" not in text:
                        why = f"{len(text)} bytes, cut short"
                elif name.endswith(".pdf") and os.path.basename(folder) == "build":
                    with open(path, "rb") as fp:
                        fp.seek(max(0, os.path.getsize(path) - 64))
                        if b"%%EOF" not in fp.read():
                            why = "a PDF without its end"
                elif name == "numbers.tex" or (name.endswith(".tex") and "figures" in rel):
                    if os.path.getsize(path) == 0:
                        why = "empty"
                if why:
                    bad.append(f"{rel}: {why}")
            except OSError:
                continue
    return sorted(temps), sorted(bad)


def print_tail(log_path, lines=20):
    """The last lines of make's log, indented: what a failed make said."""
    with open(log_path) as fp:
        print("".join("    " + line for line in fp.readlines()[-lines:]), end="")


def main(argv):
    seed, kills = None, 20
    i = 0
    while i < len(argv):
        if argv[i] in ("--seed", "--kills") and i + 1 < len(argv) and argv[i + 1].isdigit():
            if argv[i] == "--seed":
                seed = int(argv[i + 1])
            else:
                kills = int(argv[i + 1])
            i += 2
        else:
            print(__doc__.strip(), file=sys.stderr)
            return 2
    os.chdir(ROOT)
    if not os.path.exists("build/report.pdf"):
        print("test-kills.py: no build/report.pdf: run make first", file=sys.stderr)
        return 1
    if seed is None:
        seed = int.from_bytes(os.urandom(4), "little")
    rng = random.Random(seed)
    sizes = phase_sizes("build")
    kill_plan = plan(rng, sizes, kills)
    print(f"test-kills: seed {seed} (tools/test-kills.py --seed {seed} repeats the plan); "
          f"{len(kill_plan)} kills of one clean build")
    start = time.monotonic()
    tmp = tempfile.mkdtemp(prefix="test-kills.")
    failures = 0
    try:
        kit = os.path.join(tmp, "kit")
        if subprocess.run(["bash", "-c", '. tools/scratch-kit.sh && scratch_kit "$1"', "-", kit]).returncode:
            print("  FAIL    kills: could not make a scratch clone")
            return 1
        log_path = os.path.join(tmp, "make.log")
        # The compilers' temporary files in a folder of the test's own,
        # out of reach of anything that cleans /tmp meanwhile.
        env = dict(os.environ, TMPDIR=os.path.join(tmp, "tmp"))
        os.mkdir(env["TMPDIR"])
        seen = {p: set() for p in PHASES}
        report = []
        offset = 0
        runs = 0

        def start_make():
            nonlocal runs
            runs += 1
            with open(log_path, "a") as log:
                log.write(f"--- make, run {runs}\n")
                log.flush()
                return subprocess.Popen(["make", "--no-print-directory"], cwd=kit, stdout=log,
                                        stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                        start_new_session=True, env=env)

        def read_lines():
            nonlocal offset
            with open(log_path, "rb") as fp:
                fp.seek(offset)
                data = fp.read()
            end = data.rfind(b"\n") + 1
            offset += end
            text = data[:end].decode(errors="replace")
            last = None
            for line in text.splitlines():
                m = LINE.match(line)
                if m:
                    seen[m.group(1)].add(m.group(2))
                if line.strip() and not line.startswith("---"):
                    last = line.strip()
            return last

        last_line = ""
        for n, (phase, r, delay) in enumerate(kill_plan, 1):
            proc = start_make()
            reached = None
            while True:
                got = read_lines()
                last_line = got or last_line
                if reached is None and len(seen[phase]) >= r:
                    reached = time.monotonic()
                if reached is not None and time.monotonic() - reached >= delay:
                    break
                if proc.poll() is not None:
                    break
                time.sleep(0.01)
            if proc.poll() is not None:
                read_lines()
                if proc.returncode != 0:
                    print(f"  FAIL    kills: make, run {runs} (after kill {n - 1}), failed "
                          f"(status {proc.returncode}); it should have recovered by itself:")
                    print_tail(log_path)
                    return 1
                print(f"  FAIL    kills: the build finished before kill {n} "
                      f"(the {r}th {phase} line + {delay:.2f} s): only {n - 1} kills")
                failures += 1
                break
            what = running(proc.pid)
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            # Wait until every process of the group is gone.
            while running(proc.pid):
                time.sleep(0.01)
            last_line = read_lines() or last_line
            temps, bad = inspect(os.path.join(kit, "build"))
            new_temps = [t for t in temps if not any(t == old for k in report for old in k["temps"])]
            report.append({"phase": phase, "r": r, "delay": delay, "what": what, "temps": new_temps,
                           "bad": bad, "line": last_line})
            print(f"  kill {n:2}: {phase} (its line {r} + {delay:.2f} s); running: "
                  f"{', '.join(what) if what else 'make alone'}")
            print(f"           make's last line: {last_line}")
            print(f"           left: {', '.join(new_temps) if new_temps else 'no temporary file'}"
                  f"{'; TRUNCATED: ' + ', '.join(bad) if bad else '; nothing truncated'}")
            if bad:
                failures += 1

        proc = start_make()
        proc.wait()
        if proc.returncode != 0:
            print(f"  FAIL    kills: the last make, after {len(report)} kills, failed "
                  f"(status {proc.returncode}):")
            print_tail(log_path)
            return 1
        temps, bad = inspect(os.path.join(kit, "build"))
        print(f"  after the last make ({runs} makes in all): "
              f"{len(temps)} temporary file(s) left by the kills ({', '.join(temps) or 'none'}), "
              f"no rule reads them; truncated: {', '.join(bad) or 'none'}")
        if bad:
            failures += 1
        by_phase = {}
        for k in report:
            by_phase[k["phase"]] = by_phase.get(k["phase"], 0) + 1
        print("  kills by phase: " + ", ".join(f"{p} {by_phase[p]}" for p in PHASES if p in by_phase))
        compare = subprocess.run(["bash", "-c", '. tools/scratch-kit.sh && same_build . "$1" "$2"', "-",
                                  kit, "the build killed and rerun"])
        if compare.returncode:
            print("  FAIL    kills: the build killed and rerun differs from a clean build")
            failures += 1
        elif not failures:
            print(f"  PASS    kills: {len(report)} kills, each rerun recovered without make clean; "
                  "results and book as a clean build's")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        print(f"test-kills: {time.monotonic() - start:.0f} s")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
