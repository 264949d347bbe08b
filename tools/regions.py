#!/usr/bin/python3
"""regions.py - the solution regions: the registry, the markers, the stubs.

A solution region is the code a student writes, marked in the sources as

    /* @solution begin NAME */
    ...
    /* @solution end NAME */

grading/regions.txt registers every region: its chapter, the task or
theory part of the problem set it belongs to, its points, the regions it
builds on, its file, and the tests that check it.  grading/stubs.txt holds
the stub that replaces each region's body in the handout.

The handout is the student's kit: its README.md is grading/README-student.md
(the kit's own README is the instructor's), and its Makefile leaves out the
instructor's targets, the lines from "# @instructor begin" to
"# @instructor end".

Code that is not a region but would give one away (the fast engine's
fused first layer computes chapter 05's update and forward pass its own
way) is marked

    /* @handout omit begin NAME */
    ...
    /* @handout omit end NAME */

and the handout holds, in its place, markers and all, the lines of the
record "@omit NAME" in grading/stubs.txt: a plainer version that gives
nothing away.

    regions.py check                validate the registry against the
                                    sources, the tests and the stubs, and
                                    the Makefile's @instructor markers
                                    (make runs this)
    regions.py table                the registry as a table
    regions.py points FILE          the instructor's guide's table of points
    regions.py student DEST         write stubbed copies of the files with
                                    regions into DEST (the book's listings)
    regions.py handout DEST         write the handout kit into DEST
    regions.py reference DEST       write the kit with its solutions into
                                    DEST (the autograder's reference kit)
    regions.py leaks DIR            fail if a file under DIR holds a line
                                    that gives a solution away
    regions.py nearcopies DIR       fail if a file under DIR (a handout)
                                    holds code of the same shape as a
                                    region's solution, outside that region
    regions.py restore KIT NAME...  put the solution of regions back into
                                    the kit at KIT (a handout)

Every command runs from the kit's root.  Errors name the file and line.
"""
import os
import re
import shutil
import subprocess
import sys

REGISTRY = "grading/regions.txt"
STUBS = "grading/stubs.txt"
STUDENT_README = "grading/README-student.md"   # the handout's README.md
MAKEFILE = "Makefile"
INSTRUCTOR_BEGIN, INSTRUCTOR_END = "# @instructor begin", "# @instructor end"
BEGIN = re.compile(r"^(\s*)/\* @solution begin (\S+) \*/\s*$")
END = re.compile(r"^\s*/\* @solution end (\S+) \*/\s*$")
ANY_MARKER = re.compile(r"@solution (begin|end)")
OMIT_BEGIN = re.compile(r"^(\s*)/\* @handout omit begin (\S+) \*/\s*$")
OMIT_END = re.compile(r"^\s*/\* @handout omit end (\S+) \*/\s*$")
ANY_OMIT = re.compile(r"@handout omit (begin|end)")
START_TEST = re.compile(r"^START_TEST\((\w+)\)")
SUITE = re.compile(r'suite_create\("(\w+)"\)')
SOURCE_DIRS = ("src", "tests", "tools")
SOURCE_EXT = (".c", ".h")


class Error(Exception):
    pass


# ---------------------------------------------------------------------------
# The registry.

class Part:
    def __init__(self, name, points, optional, title):
        self.name, self.points, self.optional, self.title = name, points, optional, title
        self.regions = []


class Region:
    def __init__(self, name, chapter, part, points, needs, file, where):
        self.name, self.chapter, self.part, self.points = name, chapter, part, points
        self.needs, self.file, self.where = needs, file, where
        self.tests = []
        self.line = None   # the line of the begin marker, from the sources


def read_registry(path=REGISTRY):
    """Parse grading/regions.txt: (parts, regions, test -> region name)."""
    parts, regions, tests = {}, {}, {}
    section = None
    with open(path, encoding="utf-8") as fp:
        for number, raw in enumerate(fp, 1):
            line = raw.split("#", 1)[0].strip()
            where = f"{path}:{number}"
            if not line:
                continue
            if line.startswith("[") and line.endswith("]"):
                section = line[1:-1]
                if section not in ("parts", "regions", "tests"):
                    raise Error(f"{where}: unknown section [{section}]")
                continue
            fields = line.split()
            if section == "parts":
                if len(fields) < 4 or not fields[1].isdigit() or fields[2] not in ("yes", "no"):
                    raise Error(f"{where}: a part is: name points optional(yes|no) title")
                name = fields[0]
                if name in parts:
                    raise Error(f"{where}: part {name} appears twice")
                parts[name] = Part(name, int(fields[1]), fields[2] == "yes", " ".join(fields[3:]))
            elif section == "regions":
                if len(fields) != 6 or not fields[3].isdigit():
                    raise Error(f"{where}: a region is: name chapter part points needs file")
                name, chapter, part, points, needs, file = fields
                if name in regions:
                    raise Error(f"{where}: region {name} appears twice")
                needs = [] if needs == "-" else needs.split(",")
                regions[name] = Region(name, chapter, part, int(points), needs, file, where)
            elif section == "tests":
                if len(fields) != 2 or ":" not in fields[0]:
                    raise Error(f"{where}: a test line is: suite:test region")
                if fields[0] in tests:
                    raise Error(f"{where}: test {fields[0]} appears twice")
                tests[fields[0]] = fields[1]
            else:
                raise Error(f"{where}: a line before the first [section]")
    for test, name in tests.items():
        if name in regions:
            regions[name].tests.append(test)
    for region in regions.values():
        if region.part in parts:
            parts[region.part].regions.append(region)
    return parts, regions, tests


# ---------------------------------------------------------------------------
# The sources.

def source_files(root="."):
    """Every C file of the kit, as paths relative to root."""
    found = []
    for top in SOURCE_DIRS:
        for folder, _, files in os.walk(os.path.join(root, top)):
            for f in files:
                if f.endswith(SOURCE_EXT):
                    found.append(os.path.relpath(os.path.join(folder, f), root))
    return sorted(found)


class Marked:
    """One region as the sources hold it."""

    def __init__(self, name, file, begin, end, indent, body):
        self.name, self.file, self.begin, self.end = name, file, begin, end
        self.indent, self.body = indent, body   # body: the lines between the markers


class Markers:
    """One kind of marked span: its begin and end patterns, any marker of
    its kind (to refuse a malformed one), what it is called, its spelling."""

    def __init__(self, begin, end, any_marker, what, spelling):
        self.begin, self.end, self.any = begin, end, any_marker
        self.what, self.spelling = what, spelling


REGION = Markers(BEGIN, END, ANY_MARKER, "region", "@solution")
OMIT = Markers(OMIT_BEGIN, OMIT_END, ANY_OMIT, "omitted span", "@handout omit")


def find_regions(root="."):
    """Every marked region under root: name -> Marked.  Raises Error on a
    region begun twice, nested, unfinished or ended without a begin."""
    return find_marked(root, REGION)


def find_omits(root="."):
    """Every span marked @handout omit under root: name -> Marked (its
    body: the lines between the markers).  Raises Error on a span begun
    twice, unfinished, ended without a begin, or holding a region."""
    spans = find_marked(root, OMIT)
    for m in spans.values():
        for i, line in enumerate(m.body, m.begin + 1):
            if ANY_MARKER.search(line):
                raise Error(f"{m.file}:{i}: a region inside omitted span {m.name}: "
                            "the handout would lose it")
    return spans


def find_marked(root, kind):
    """Every span of kind (a Markers) in the sources under root."""
    marked = {}
    for path in source_files(root):
        with open(os.path.join(root, path), encoding="utf-8") as fp:
            lines = fp.read().split("\n")
        for name, m in marked_in_lines(lines, path, kind).items():
            if name in marked:
                first = marked[name]
                raise Error(f"{path}:{m.begin}: {kind.what} {name} appears twice "
                            f"(also at {first.file}:{first.begin})")
            marked[name] = m
    return marked


def marked_in_lines(lines, path, kind=REGION):
    """The spans of kind (regions unless told) marked in one file's lines:
    name -> Marked."""
    marked, current = {}, None
    for i, line in enumerate(lines, 1):
        b, e = kind.begin.match(line), kind.end.match(line)
        if not b and not e and kind.any.search(line):
            raise Error(f"{path}:{i}: a {kind.spelling} marker must stand alone as "
                        f"/* {kind.spelling} begin NAME */ or /* {kind.spelling} end NAME */")
        if b:
            if current:
                raise Error(f"{path}:{i}: {kind.what} {b.group(2)} begins inside {kind.what} "
                            f"{current.name} (begun at line {current.begin})")
            name = b.group(2)
            if name in marked:
                raise Error(f"{path}:{i}: {kind.what} {name} appears twice "
                            f"(also at {path}:{marked[name].begin})")
            current = Marked(name, path, i, None, b.group(1), [])
        elif e:
            if not current or e.group(1) != current.name:
                raise Error(f"{path}:{i}: '{kind.spelling} end {e.group(1)}' has no matching begin")
            current.end = i
            marked[current.name] = current
            current = None
        elif current:
            current.body.append(line)
    if current:
        raise Error(f"{path}:{current.begin}: {kind.what} {current.name} has no end marker")
    return marked


def find_tests(root="."):
    """Every Check test: 'suite:test' -> its file.  The suite is the name
    the file gives suite_create."""
    found = {}
    for path in source_files(root):
        if not path.startswith("tests/check_"):
            continue
        with open(os.path.join(root, path), encoding="utf-8") as fp:
            text = fp.read()
        suites = SUITE.findall(text)
        if len(suites) != 1:
            continue
        for line in text.split("\n"):
            m = START_TEST.match(line)
            if m:
                found[f"{suites[0]}:{m.group(1)}"] = path
    return found


def read_stubs(path=STUBS, kind="@stub"):
    """grading/stubs.txt: name -> the lines of its record of this kind,
    "@stub" (a region's stub, without indentation) or "@omit" (what
    replaces an omitted span)."""
    records, current = {"@stub": {}, "@omit": {}}, None
    with open(path, encoding="utf-8") as fp:
        for number, line in enumerate(fp, 1):
            line = line.rstrip("\n")
            head = line.split()
            if head and head[0] in records and len(head) == 2:
                current = records[head[0]].setdefault(head[1], None)
                if current is not None:
                    raise Error(f"{path}:{number}: the record {line} appears twice")
                current = records[head[0]][head[1]] = []
            elif current is not None:
                current.append(line)
            elif line.strip() and not line.startswith("#"):
                raise Error(f"{path}:{number}: text before the first '@stub NAME' line")
    for body in list(records["@stub"].values()) + list(records["@omit"].values()):
        while body and not body[-1].strip():
            body.pop()
    return records[kind]


# ---------------------------------------------------------------------------
# check: the registry, the markers and the tests agree.

def check():
    parts, regions, tests = read_registry()
    marked = find_regions()
    known_tests = find_tests()
    problems = []
    for name, m in marked.items():
        if name not in regions:
            problems.append(f"{m.file}:{m.begin}: region {name} is not in {REGISTRY}")
    for name, r in regions.items():
        if name not in marked:
            problems.append(f"{r.where}: region {name} is not marked in any source "
                            f"(expected in {r.file})")
        elif marked[name].file != r.file:
            problems.append(f"{r.where}: region {name} is in {marked[name].file}, not {r.file}")
        if r.part not in parts:
            problems.append(f"{r.where}: region {name} names a part {r.part} not in [parts]")
        for need in r.needs:
            if need not in regions:
                problems.append(f"{r.where}: region {name} needs {need}, which is not a region")
        if not r.tests:
            problems.append(f"{r.where}: region {name} has no tests in [tests]")
    for test, name in tests.items():
        if test not in known_tests:
            problems.append(f"{REGISTRY}: test {test} (for {name}) is not a START_TEST of "
                            "a suite with that name in tests/")
        if name not in regions:
            problems.append(f"{REGISTRY}: test {test} names a region {name} not in [regions]")
    for part in parts.values():
        total = sum(r.points for r in part.regions)
        if part.regions and total != part.points:
            problems.append(f"{REGISTRY}: part {part.name} is worth {part.points} points but "
                            f"its regions add up to {total}")
    if os.path.exists(MAKEFILE):
        try:
            without_instructor_lines(MAKEFILE)
        except Error as e:
            problems.append(str(e))
    if instructor_kit() and not os.path.exists(STUDENT_README):
        problems.append(f"{STUDENT_README}: no such file (the handout's README.md)")
    if os.path.exists(STUBS):
        stubs = read_stubs()
        for name in regions:
            if name not in stubs:
                problems.append(f"{STUBS}: no stub for region {name}")
        for name in stubs:
            if name not in regions:
                problems.append(f"{STUBS}: a stub for {name}, which is not a region")
        spans, omits = find_omits(), read_stubs(kind="@omit")
        for name, m in spans.items():
            if name not in omits:
                problems.append(f"{m.file}:{m.begin}: omitted span {name} has no '@omit {name}' "
                                f"record in {STUBS} (what the handout holds in its place)")
        for name in omits:
            if name not in spans:
                problems.append(f"{STUBS}: '@omit {name}', but no span of that name is marked")
    problems += isolation_problems(marked)
    for where, included in included_c_files():
        problems.append(f"{where}: #include of {included}, a .c file: its regions would be "
                        "compiled into this file (and a test's); link it instead")
    import isolation                    # the grader's rule for a region's body
    for name, m in marked.items():
        why = isolation.refused_reason(m.body)
        if why:
            problems.append(f"{m.file}:{m.begin}: the grader would refuse region {name}: {why}")
    if problems:
        raise Error("\n".join(problems))


# A region's body is the one part of the kit a student's submission
# replaces, so it must not be able to reach past its own function.  In a
# header it would be compiled into every file that includes it, the test
# suites among them, after the test framework's own header: a "region"
# holding `#define ck_assert_msg(...)` would turn every check of the suite
# into nothing (such a stub once scored 19 points).  And a preprocessor
# directive anywhere in a body outlives the body: #define and #undef change
# the code after it, #include pulls other code in, #pragma changes how the
# rest of the file compiles.  So regions live in .c files only (which no
# test includes: they are linked, not #included) and hold no directive.
# In a function's body a # outside a comment, string or character
# constant can only begin a directive, and so can its spellings %: and
# ??= (a digraph and a trigraph, which -std=c17 reads as #), and _Pragma
# is #pragma as an operator: a body may hold none of them.
HIDDEN = re.compile(r"""/\*.*?\*/|//[^\n]*|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'""", re.S)
DIRECTIVE = re.compile(r"(?:#|%:|\?\?=)[ \t]*\w*|\b_Pragma\b")


def directive_lines(body):
    """(offset of the line in body, the directive's spelling) for each
    directive in a region's body lines."""
    text = "\n".join(body).replace("??/\n", "").replace("\\\n", " \n")
    text = HIDDEN.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)
    return [(text.count("\n", 0, m.start()), m.group()) for m in DIRECTIVE.finditer(text)]


def isolation_problems(marked):
    """The rules that keep a region's body inside its function."""
    problems = []
    for name, m in sorted(marked.items()):
        if not m.file.endswith(".c"):
            problems.append(f"{m.file}:{m.begin}: region {name} is in a header; a region must be "
                            "in a .c file, where it cannot reach the tests that include the header")
        for offset, spelling in directive_lines(m.body):
            problems.append(f"{m.file}:{m.begin + 1 + offset}: region {name} holds a preprocessor "
                            f"directive ({spelling}); a region's body may hold none, since it "
                            "would change the code after the region (the tests' among it)")
    return problems


def included_c_files(root="."):
    """(file:line, included) for every #include of a .c file in the kit's
    sources: such a file would carry its regions into the includer."""
    found = []
    for path in source_files(root):
        with open(os.path.join(root, path), encoding="utf-8") as fp:
            for i, line in enumerate(fp, 1):
                m = re.match(r'\s*#\s*include\s*[<"]([^>"]+\.c)[>"]', line)
                if m:
                    found.append((f"{path}:{i}", m.group(1)))
    return found


# ---------------------------------------------------------------------------
# Near-copies: code of a region's shape elsewhere in the handout.
#
# A copy of a solution with other names, or in float where the region is in
# double, gives the solution away as surely as the solution's own lines.
# So both are reduced to their shape: C tokens, with every operand (a name,
# a number, a string, a member or element chain such as net->W[l], a
# negated operand) one placeholder, float and double one word, and the
# header of a counting loop, for (int i = 0; i < n; i++), one token.
# Keywords, operators and punctuation stay, and so do the names of CBLAS
# functions (without their s/d precision letter) and constants, which say
# which product is taken (CblasTrans or not).  A window of NEAR_COPY_TOKENS
# tokens of a region's shape found outside it is a near-copy; a body
# shorter than that is one when it is found whole, if it has at least
# NEAR_COPY_MIN_TOKENS tokens (shorter bodies, return z > 0 ? 1 : 0 say,
# have the shape of much legitimate code: the handout check's semantic
# test covers them).
#
# The numbers were chosen on this kit: one BLAS call is about 30 tokens
# and the longest window any region shares with legitimate code is 35 (a
# region's product, and the same product in another layer); the copies
# that gave Task 1 away shared 61 and 68, and a float copy of a 23-token
# region shared all 23.
NEAR_COPY_TOKENS = 40
NEAR_COPY_MIN_TOKENS = 20
NEAR_COPY_EXT = (".c", ".h", ".tex", ".py", ".sh", ".gp", ".md", ".txt")
C_KEYWORDS = frozenset("""auto break case char const continue default do else enum extern for
    goto if inline int long register restrict return short signed sizeof static struct switch
    typedef union unsigned void volatile while _Bool""".split())
C_TOKEN = re.compile(r"""
    (?P<skip>/\*.*?\*/|//[^\n]*|^[ \t]*\#[^\n]*|\s+)
  | (?P<str>"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*')
  | (?P<num>\.?\d(?:[eEpP][+-]|[\w.])*)
  | (?P<id>[A-Za-z_]\w*)
  | (?P<op>->|\+\+|--|<<=|>>=|<<|>>|[-+*/%&|^!=<>]=?|&&|\|\||[][(){};,.?:~])
  | (?P<other>.)""", re.X | re.S | re.M)
BLAS_NAME = re.compile(r"^cblas_[sd](\w+)$")
COUNTING_LOOP = ["for", "(", "int|long", "E", "=", "E", ";", "E", "<", "E", ";", "E", "++", ")"]


def c_tokens(text):
    """(kind, token, line) for the C tokens of text, without comments,
    preprocessor lines and spaces."""
    line = 1
    for m in C_TOKEN.finditer(text):
        if m.lastgroup not in ("skip", "other"):
            yield m.lastgroup, m.group(), line
        line += m.group().count("\n")


def operand_end(toks, i):
    """The index after the operand chain that starts with the name at i:
    name, ->member, .member and [index] as often as they come."""
    i += 1
    while i < len(toks):
        t = toks[i][1]
        if t in ("->", ".") and i + 1 < len(toks) and toks[i + 1][0] == "id":
            i += 2
        elif t == "[":
            depth = 0
            while i < len(toks):
                depth += (toks[i][1] == "[") - (toks[i][1] == "]")
                i += 1
                if depth == 0:
                    break
        else:
            return i
    return i


def shape(text):
    """text's shape: a list of (token, line), as the comment above says."""
    toks, out, i = list(c_tokens(text)), [], 0
    while i < len(toks):
        kind, tok, line = toks[i]
        if kind == "id" and (BLAS_NAME.match(tok) or tok.startswith("Cblas")):
            word, i = BLAS_NAME.sub(r"cblas_?\1", tok), i + 1
        elif kind == "id" and tok not in C_KEYWORDS and tok not in ("float", "double"):
            word, i = "E", operand_end(toks, i)
        else:
            word = "E" if kind in ("num", "str") else "real" if tok in ("float", "double") else tok
            i += 1
        unary = len(out) >= 1 and out[-1][0] in ("-", "+") and \
            (len(out) < 2 or out[-2][0] not in ("E", ")", "]"))
        if word == "E" and unary:
            out.pop()                                   # -lr: one operand
        out.append((word, line))
    return fold_counting_loops(out)


def fold_counting_loops(out):
    """Each for (int i = 0; i < n; i++) in out as one token."""
    n, folded, i = len(COUNTING_LOOP), [], 0
    while i < len(out):
        words = [t for t, _ in out[i:i + n]]
        if len(words) == n and all(t in p.split("|") for p, t in zip(COUNTING_LOOP, words)):
            folded.append(("for(;;)", out[i][1]))
            i += n
        else:
            folded.append(out[i])
            i += 1
    return folded


def region_windows(body):
    """The windows of a region body's shape that count as a near-copy
    when found elsewhere: {tuple of tokens}, and the window's length (0
    for a body too short to judge)."""
    words = tuple(t for t, _ in shape("\n".join(body)))
    if len(words) < NEAR_COPY_MIN_TOKENS:
        return set(), 0
    k = min(NEAR_COPY_TOKENS, len(words))
    return {words[i:i + k] for i in range(len(words) - k + 1)}, k


def near_copies(texts, marked_in):
    """Where code of a region's shape appears in texts (name -> text of a
    handout file), outside that region: a list of (name, line, region).
    marked_in maps a file name to its regions there (name -> (begin,
    end)), so that a region's own stub is not compared with it."""
    marked = find_regions()
    shapes = {name: shape(text) for name, text in sorted(texts.items())
              if name.endswith(NEAR_COPY_EXT)}
    found = []
    for region, m in sorted(marked.items()):
        windows, k = region_windows(m.body)
        for name, toks in shapes.items() if windows else ():
            span = marked_in.get(name, {}).get(region)
            if span:
                toks = [(t, line) for t, line in toks if not span[0] < line < span[1]]
            words = [t for t, _ in toks]
            last = -1
            for i in range(len(words) - k + 1):
                if tuple(words[i:i + k]) in windows:
                    if i > last:                    # one report for a run of windows
                        found.append((name, toks[i][1], region))
                    last = i + k
    return found


def marked_spans(texts):
    """For each text with @solution markers: {region: (begin, end)}."""
    spans = {}
    for name, text in texts.items():
        begins = {}
        for i, line in enumerate(text.split("\n"), 1):
            b, e = BEGIN.match(line), END.match(line)
            if b:
                begins[b.group(2)] = i
            elif e and e.group(1) in begins:
                spans.setdefault(name, {})[e.group(1)] = (begins[e.group(1)], i)
    return spans


# ---------------------------------------------------------------------------
# The handout.

def kit_files(root="."):
    """The kit's own files (what git tracks or would track), relative."""
    try:
        out = subprocess.run(["git", "-C", root, "ls-files", "-z", "--cached", "--others",
                              "--exclude-standard"], capture_output=True, check=True).stdout
        files = [f for f in out.decode().split("\0") if f]
    except (subprocess.CalledProcessError, FileNotFoundError):
        files = []
        for folder, dirs, names in os.walk(root):
            dirs[:] = [d for d in dirs if d not in (".git", "build")]
            files += [os.path.relpath(os.path.join(folder, n), root) for n in names]
    return sorted(f for f in files if os.path.isfile(os.path.join(root, f)))


def stub_lines(m, stub):
    """What replaces the body of region m in the handout."""
    pad = m.indent
    lines = [f'{pad}/* Your code here: region {m.name} (see grading/regions.txt for its tests). */',
             f'{pad}TODO_REGION("{m.name}");']
    return lines + [pad + s if s.strip() else "" for s in stub]


def add_todo_include(lines):
    """#include "lib/todo.h" after the file's last #include (in a header
    without one, after its include guard)."""
    spots = [i for i, line in enumerate(lines) if line.startswith("#include")]
    if not spots:
        spots = [i for i, line in enumerate(lines) if line.startswith("#define")][:1]
    return lines[:spots[-1] + 1] + ['#include "lib/todo.h"'] + lines[spots[-1] + 1:]


def stubbed_text(path, marked, stubs, spans=None, omits=None):
    """The handout's text of path: each region's body replaced by its stub
    (the markers stay), each omitted span, markers and all, by its @omit
    record."""
    with open(path, encoding="utf-8") as fp:
        lines = fp.read().split("\n")
    regions = [(m, stub_lines(m, stubs[m.name]), 0) for m in marked.values() if m.file == path]
    cut = [(m, omits[m.name], 1) for m in (spans or {}).values() if m.file == path]
    out, i = [], 0
    for m, replacement, markers_too in sorted(regions + cut, key=lambda r: r[0].begin):
        out += lines[i:m.begin - markers_too]   # up to the begin marker (with it, for a region)
        out += replacement
        i = m.end - 1 + markers_too             # from the end marker on (after it)
    out += lines[i:]
    return "\n".join(add_todo_include(out) if regions else out)


def instructor_kit():
    """Whether this is the instructor's kit (its Makefile has the blocks
    the handout leaves out), not a handout."""
    if not os.path.exists(MAKEFILE):
        return False
    with open(MAKEFILE, encoding="utf-8") as fp:
        return INSTRUCTOR_BEGIN in fp.read()


def without_instructor_lines(path):
    """The text of path without the lines from '# @instructor begin' to
    '# @instructor end' (the markers too).  Raises Error on a marker
    without its partner or inside another block."""
    with open(path, encoding="utf-8") as fp:
        lines = fp.read().split("\n")
    kept, begun = [], None
    for i, line in enumerate(lines, 1):
        marker = line.strip()
        if marker == INSTRUCTOR_BEGIN:
            if begun:
                raise Error(f"{path}:{i}: '{INSTRUCTOR_BEGIN}' inside the block begun at line {begun}")
            begun = i
        elif marker == INSTRUCTOR_END:
            if not begun:
                raise Error(f"{path}:{i}: '{INSTRUCTOR_END}' has no matching begin")
            begun = None
        elif marker.startswith("# @instructor"):
            raise Error(f"{path}:{i}: an @instructor marker must stand alone as "
                        f"'{INSTRUCTOR_BEGIN}' or '{INSTRUCTOR_END}'")
        elif not begun:
            kept.append(line)
    if begun:
        raise Error(f"{path}:{begun}: '{INSTRUCTOR_BEGIN}' has no '{INSTRUCTOR_END}'")
    return "\n".join(kept)


def student_sources(dest):
    """Write into dest a stubbed copy of each source file with a solution
    region or an omitted span, as the handout has it (only those files; a
    copy is rewritten only when it changes)."""
    marked, spans = find_regions(), find_omits()
    stubs, omits = read_stubs(), read_stubs(kind="@omit")
    for path in sorted({m.file for m in list(marked.values()) + list(spans.values())}):
        target = os.path.join(dest, path)
        text = stubbed_text(path, marked, stubs, spans, omits)
        try:
            with open(target, encoding="utf-8") as fp:
                if fp.read() == text:
                    continue
        except FileNotFoundError:
            pass
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target + ".tmp", "w", encoding="utf-8") as fp:
            fp.write(text)
        os.replace(target + ".tmp", target)


def handout(dest):
    """Write the student's kit into dest: the kit with every region's body
    replaced by its stub."""
    write_kit(dest, stubbed=True)


def write_kit(dest, stubbed):
    """Write the kit's own files into dest (not CI's), each region's body
    stubbed if asked."""
    check()
    marked, spans = find_regions(), find_omits()
    stubs, omits = read_stubs(), read_stubs(kind="@omit")
    if os.path.exists(dest):
        shutil.rmtree(dest)
    for path in kit_files():
        if path == STUDENT_README or path.startswith((".ci/", "guide/")):
            continue
        target = os.path.join(dest, path)
        os.makedirs(os.path.dirname(target) or ".", exist_ok=True)
        if stubbed and any(m.file == path for m in list(marked.values()) + list(spans.values())):
            with open(target, "w", encoding="utf-8") as fp:
                fp.write(stubbed_text(path, marked, stubs, spans, omits))
        elif stubbed and path == "README.md":
            shutil.copy2(STUDENT_README, target)
        elif stubbed and path == STUBS:
            with open(target, "w", encoding="utf-8") as fp:
                fp.write(without_omit_records(path))
        elif stubbed and path == MAKEFILE:
            with open(target, "w", encoding="utf-8") as fp:
                fp.write(without_instructor_lines(path))
            shutil.copymode(path, target)
        else:
            shutil.copy2(path, target)


def without_omit_records(path):
    """grading/stubs.txt as the handout has it: its "@omit NAME" records
    are already in the handout's sources, in place of the spans they
    replace, so the handout keeps only the stubs (else its own `make`
    would find records for spans it does not have)."""
    kept, omitting = [], False
    with open(path, encoding="utf-8") as fp:
        for line in fp:
            head = line.split()
            if head and head[0] in ("@stub", "@omit") and len(head) == 2:
                omitting = head[0] == "@omit"
            if not omitting:
                kept.append(line)
    return "".join(kept)


def solution_lines():
    """The lines of the regions that give a solution away: at least 12
    characters without spaces, not a comment, found nowhere in the kit's
    sources outside the regions, and not part of a stub (a stub may zero
    what the solution also starts by zeroing)."""
    marked, omitted = find_regions(), find_omits()
    inside, outside = set(), set()
    for path in kit_files():
        if not path.endswith(SOURCE_EXT + (".tex", ".py", ".sh", ".gp")):
            continue
        with open(path, encoding="utf-8") as fp:
            lines = fp.read().split("\n")
        spans = [(m.begin, m.end) for m in marked.values() if m.file == path]
        cut = [(m.begin, m.end) for m in omitted.values() if m.file == path]
        for i, line in enumerate(lines, 1):
            key = "".join(line.split())
            if any(b < i < e for b, e in spans):
                inside.add(key)
            elif not any(b <= i <= e for b, e in cut):     # not shipped: no excuse
                outside.add(key)
    stubs = "".join("".join(line.split()) for body in read_stubs().values() for line in body)
    return sorted(k for k in inside - outside
                  if len(k) >= 12 and not k.startswith(("/*", "*", "//")) and k not in stubs)


def leaks(texts):
    """Where a solution line appears in texts (name -> text): a list of
    (name, line).  Spaces do not count, so a reflowed line is found too."""
    squeezed = {name: "".join(text.split()) for name, text in texts.items()}
    return [(name, line) for line in solution_lines()
            for name, text in squeezed.items() if line in text]


def folder_texts(folder):
    """Every file under folder, relative name -> its text."""
    texts = {}
    for top, _, names in os.walk(folder):
        for name in names:
            path = os.path.join(top, name)
            with open(path, encoding="utf-8", errors="replace") as fp:
                texts[os.path.relpath(path, folder)] = fp.read()
    return texts


def restore(kit, names):
    """Put the solution of each named region back into the handout at kit."""
    marked = find_regions()
    theirs = find_regions(kit)
    for name in names:
        if name not in marked or name not in theirs:
            raise Error(f"restore: no region {name} in both the solution and {kit}")
        m, t = marked[name], theirs[name]
        path = os.path.join(kit, t.file)
        with open(path, encoding="utf-8") as fp:
            lines = fp.read().split("\n")
        lines[t.begin:t.end - 1] = m.body
        with open(path, "w", encoding="utf-8") as fp:
            fp.write("\n".join(lines))
        theirs = find_regions(kit)


# ---------------------------------------------------------------------------

def table():
    parts, regions, _ = read_registry()
    marked = find_regions()
    print(f"{'region':<24}{'part':<12}{'points':>6}  {'where':<34}tests")
    for r in regions.values():
        where = f"{marked[r.name].file}:{marked[r.name].begin}" if r.name in marked else r.file
        print(f"{r.name:<24}{r.part:<12}{r.points:>6}  {where:<34}{len(r.tests)}")


def tex(text):
    """text with the characters LaTeX treats specially escaped."""
    return text.replace("\\", "\\textbackslash{}").replace("_", "\\_").replace("&", "\\&").replace("#", "\\#")


def exercises(folder):
    """For each chapter chNN with solution regions, folder/chNN.tex: the
    coding exercises, one \\kitgraded{region}{file}{tests}{test files}{needs}
    {points}{part} each (report/kit.sty prints the points in the guide only)."""
    parts, regions, _ = read_registry()
    marked = find_regions()
    os.makedirs(folder, exist_ok=True)
    chapters = {}
    for r in regions.values():
        chapters.setdefault(r.chapter, []).append(r)
    for chapter, rs in sorted(chapters.items()):
        lines = []
        for r in rs:
            m = marked[r.name]
            needs = ", ".join("\\texttt{%s}" % tex(n) for n in r.needs)
            suites = sorted({t.split(":")[0] for t in r.tests})
            where = ", ".join("\\texttt{%s}" % tex("tests/check_" + x + ".c") for x in suites)
            count = f"{len(r.tests)} test{'s' if len(r.tests) > 1 else ''}"
            lines.append(f"\\kitgraded{{{tex(r.name)}}}{{{tex(m.file)}}}{{{count}}}{{{where}}}"
                         f"{{{needs}}}{{{r.points}}}{{{tex(parts[r.part].title)}}}")
        path = os.path.join(folder, chapter + ".tex")
        with open(path + ".tmp", "w", encoding="utf-8") as fp:
            fp.write("% Generated by tools/regions.py exercises from grading/regions.txt: do not edit.\n")
            fp.write("\n".join(lines) + "\n")
        os.replace(path + ".tmp", path)


def points(path):
    """path: the guide's table of points, LaTeX: each part with its points
    and each region in it, with its number of tests, from the registry."""
    parts, regions, _ = read_registry()
    rows = []
    for part in parts.values():
        extra = " (extra credit)" if part.optional else ""
        rows.append(f"\\textbf{{{tex(part.title)}}}{extra} & & "
                    f"\\textbf{{{part.points}}}\\\\")
        for r in part.regions:
            rows.append(f"\\quad\\texttt{{{tex(r.name)}}} & "
                        f"{len(r.tests)} & {r.points}\\\\")
    required = sum(p.points for p in parts.values() if not p.optional)
    extra = sum(p.points for p in parts.values() if p.optional)
    with open(path + ".tmp", "w", encoding="utf-8") as fp:
        fp.write("% Generated by tools/regions.py points from grading/regions.txt: do not edit.\n")
        fp.write(f"The course is out of {required} points, with {extra} more for extra credit.\n")
        fp.write("{\\small\\begin{longtable}{@{}>{\\raggedright}p{0.7\\linewidth}rr@{}}\\toprule\n"
                 "Part and region & Tests & Points\\\\\\midrule\\endhead\n")
        fp.write("\n".join(rows) + "\n\\bottomrule\n\\end{longtable}}\n")
    os.replace(path + ".tmp", path)


def main(argv):
    try:
        if argv == ["check"]:
            check()
        elif argv == ["table"]:
            table()
        elif len(argv) == 2 and argv[0] == "exercises":
            exercises(argv[1])
        elif len(argv) == 2 and argv[0] == "points":
            points(argv[1])
        elif len(argv) == 2 and argv[0] == "student":
            student_sources(argv[1])
        elif len(argv) == 2 and argv[0] == "handout":
            handout(argv[1])
        elif len(argv) == 2 and argv[0] == "reference":
            write_kit(argv[1], stubbed=False)
        elif len(argv) == 2 and argv[0] == "leaks":
            found = leaks(folder_texts(argv[1]))
            for name, line in found:
                print(f"error: {os.path.join(argv[1], name)} holds a line of a region's "
                      f"solution: {line}", file=sys.stderr)
            return 1 if found else 0
        elif len(argv) == 2 and argv[0] == "nearcopies":
            texts = folder_texts(argv[1])
            found = near_copies(texts, marked_spans(texts))
            for name, line, region in found:
                print(f"error: {os.path.join(argv[1], name)}:{line}: code of the shape of region "
                      f"{region}'s solution, outside the region", file=sys.stderr)
            return 1 if found else 0
        elif len(argv) >= 2 and argv[0] == "restore":
            restore(argv[1], argv[2:])
        else:
            print(__doc__.strip(), file=sys.stderr)
            return 2
    except Error as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    except OSError as e:
        print(f"error: {e.filename}: {e.strerror}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
