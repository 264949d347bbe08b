"""sandbox.py - run a submission's tests where they cannot touch the grade.

A test suite links the student's code, so whatever the tests may do, the
student's code may do too.  tools/grade.py therefore runs every suite it
grades a submission with in a Sandbox:

  - as an unprivileged user of its own, kit-grader-N (made once, no login,
    no home), when the grader runs as root, as Gradescope and CI do.  That
    user may write only the sandbox's scratch folder: not the test
    programs, not the results, not the reference kit (a folder only root
    may enter), and the variant's sources, where the other regions'
    reference solutions are, are closed to it;
  - with limits on memory, file size, processes and open files (setrlimit,
    what prlimit and ulimit set), and no core files;
  - in a session of its own, with every process of that user killed when
    the suite ends, so that a forked or detached process cannot outlive it.

tools/checks.py bounds the time and the output.  Not as root (a student's
own machine) the limits still apply, the user stays the same, and the
grade is the student's own business.
"""
import os
import pwd
import resource
import shutil
import subprocess

import checks

GiB = 1 << 30
MiB = 1 << 20
LIMITS = {
    resource.RLIMIT_AS: 6 * GiB,       # memory: OpenBLAS's buffers need a few hundred MiB
    resource.RLIMIT_FSIZE: 256 * MiB,  # the largest file a test may write
    resource.RLIMIT_NOFILE: 256,
    resource.RLIMIT_CORE: 0,
}
PROCESSES = 256                        # for the grader's own user only (see preexec)
CLOSED = ("src", "grading", "tools")  # what the tests never read


def user_name(slot):
    return f"kit-grader-{slot}"


def ensure_user(name):
    """The uid and gid of system user name, made if it does not exist."""
    try:
        entry = pwd.getpwnam(name)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell",
                        "/usr/sbin/nologin", name], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        entry = pwd.getpwnam(name)
    return entry.pw_uid, entry.pw_gid


class Sandbox:
    """Where and as whom one grading slot runs tests.  slot: a small
    number, one per submission graded at the same time."""

    def __init__(self, slot=0):
        self.as_root = os.geteuid() == 0
        self.uid = self.gid = None
        if self.as_root:
            self.uid, self.gid = ensure_user(user_name(slot))
        self.scratch = None

    def enter(self, variant):
        """Close a built variant to the tests and give them a scratch
        folder; returns the scratch folder (TMPDIR and the logs)."""
        self.scratch = os.path.join(variant, "sandbox")
        shutil.rmtree(self.scratch, ignore_errors=True)
        os.makedirs(self.scratch)
        if self.as_root:
            os.chown(self.scratch, self.uid, self.gid)
            os.chmod(self.scratch, 0o700)
            for name in CLOSED:
                path = os.path.join(variant, name)
                if os.path.isdir(path):
                    os.chmod(path, 0o700)
        return self.scratch

    def preexec(self):
        """In the child, before exec: the limits, then the user."""
        for limit, value in LIMITS.items():
            resource.setrlimit(limit, (value, value))
        if self.as_root:
            resource.setrlimit(resource.RLIMIT_NPROC, (PROCESSES, PROCESSES))
            os.setgroups([])
            os.setgid(self.gid)
            os.setuid(self.uid)

    def environment(self, env):
        """The suite's environment: its own TMPDIR and HOME."""
        env = dict(env, TMPDIR=self.scratch, HOME=self.scratch)
        return env

    def kill_all(self):
        """Kill every process of the sandbox's user (a test may have forked
        one into a session of its own)."""
        if self.as_root:
            checks.kill_until_gone(lambda: processes_of(self.uid))


def processes_of(uid):
    """The pids of the live processes (not zombies, which are only waiting
    to be reaped) whose real user is uid."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/status", encoding="utf-8") as fp:
                fields = dict(line.split(":", 1) for line in fp if ":" in line)
            if int(fields["Uid"].split()[0]) == uid and not fields["State"].strip().startswith("Z"):
                found.append(int(entry))
        except (OSError, ValueError, KeyError):
            continue
    return found
