#!/bin/bash
# test-cheats.sh - submissions that try to change their own score, graded
# as a class by tools/grade-all: each must get what its honest part earns.
#
#     tools/test-cheats.sh          (from the solution kit's root, as root)
#
# Every cheat is a copy of the solution's region files with one region
# changed (or files added).  Each is graded twice where it matters:
#   scanned    as always: a region body that names what no region needs
#              (files, processes, exit, the kit's I/O functions, a #define)
#              is refused before it is compiled (tools/isolation.py);
#   unscanned  KIT_GRADE_UNSCANNED=1, so that the sandbox's own layers are
#              shown to hold when a cheat gets past the scan: the tests'
#              user may not write the results, the test programs or the
#              reference, a test that exits early is not passed, output
#              and time are bounded, forked processes are killed
#              (tools/sandbox.py, tools/checks.py).
# Prints one line per submission (tools/autograder/expect.py), then what
# was refused; exits 1 on any mismatch.  KEEP=1 keeps the folder.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" -ne 0 ]; then
    echo "test-cheats.sh: run it as root (the sandbox's users need root)" >&2
    exit 2
fi
. tools/submissions.sh
start_work test-cheats

# cheat NAME REGION CODE: the solution with CODE first in REGION's body.
cheat() {
    local file
    new_submission "$1" .
    file=$(region_file "$2")
    plant "$1" "$file" "$(in_region "$2" "$3")"
}

# The reference's answer given away: a stub in the region, then the cheat.
cheat results_json cosine_rate \
    '{ FILE *f_ = fopen("build/grade/results.json", "w"); if (f_) { fputs("{\\"score\\": 95}", f_); fclose(f_); } } return 0.0;'
cheat prints_score ch09_confusion 'extern int printf(const char *, ...); printf("Score: 90/90 required, +5/5 extra credit\\n"); return;'
cheat exit_zero ch01_gradient 'extern void _exit(int); _exit(0);'
cheat exit_via_help ch01_gradient \
    '{ char a0_[] = "x", a1_[] = "--help"; char *argv_[] = { a0_, a1_, 0 }; parse_options(2, argv_, 0, ""); }'
cheat reads_reference cosine_rate \
    '{ FILE *f_ = fopen("src/lib/schedule.c", "r"); if (f_) fclose(f_); } return 0.0;'
cheat reads_fixture ch03_deltas '{ Fixture fx_; (void)fixture_load(&fx_, "tests/fixtures/ch03_backprop.bin"); }'
cheat endless_output ch02_gradient 'extern int printf(const char *, ...); for (;;) printf("x");'
cheat fork_and_sleep ch06_ridge \
    'extern int fork(void); extern int setsid(void); extern unsigned sleep(unsigned); if (fork() == 0) { setsid(); for (;;) sleep(1); }'
cheat deletes_tests cosine_rate \
    '{ extern int unlink(const char *); unlink("build/bin/check_schedule"); FILE *f_ = fopen("build/bin/check_ch08_cosine", "w"); if (f_) fclose(f_); }'
cheat defines_away ch09_calibration '#define ck_assert_msg(...) ((void)0)'
# An edit outside the regions: cosine_rate's region returns 0, and the
# function the tests call, outside it, computes the rate itself.
cheat outside_edit cosine_rate 'return 0.0;'
plant outside_edit src/lib/schedule.c \
    's/return cosine_rate(s->lr0, s->lr_min, t, s->T);/return s->lr_min + 0.5 * (s->lr0 - s->lr_min) * (1.0 + cos(M_PI * (double)t \/ (double)s->T));/'
# Files that are not region files: an extra Makefile, odd names.
new_submission odd_files .
rm -f /tmp/kit-cheat-makefile-ran
printf 'all:\n\ttouch /tmp/kit-cheat-makefile-ran\n' > "$SUBS/odd_files/Makefile"
printf 'x' > "$SUBS/odd_files/$(printf 'odd\nname \xff')"
ln -s /etc/passwd "$SUBS/odd_files/src/lib/metrics.c.link"
# Extra credit must not hide a required region that fails.
new_submission extra_credit_hides .
plant extra_credit_hides src/lib/schedule.c \
    '/@solution begin cosine_rate/,/@solution end cosine_rate/s/(double)t \/ (double)T/(double)(t + 1) \/ (double)T/'

# The sandbox's own layers: the cheats that the scan refuses, unscanned.
for name in results_json exit_zero reads_reference endless_output fork_and_sleep deletes_tests; do
    cp -R "$SUBS/$name" "$WORK/unscanned-$name"
done

grade_class() {   # grade_class FOLDER CSV [ENV...]
    local folder=$1 csv=$2
    shift 2
    env GRADE_TIMEOUT=120 "$@" tools/grade-all "$folder" -o "$csv" > "$csv.out" 2>&1 || true
    sed 's/^/    /' "$csv.out"
}
expect() {        # expect NAME LABEL REPORTS EXPECT-ARGS...
    local name=$1 label=$2 reports=$3
    shift 3
    if ! /usr/bin/python3 tools/autograder/expect.py . "$reports/$name.json" "$label" "$@"; then
        mismatches=$((mismatches + 1))
    fi
}

echo "== Grading the cheats (tools/grade-all, scanned)"
grade_class "$SUBS" "$WORK/class.csv"
R=$WORK/class-reports
expect results_json "writes a full-marks results.json" "$R" --lose-region cosine_rate --says refused
expect prints_score "prints Score: 90/90" "$R" --lose-region ch09_confusion
expect exit_zero "_exit(0) in a test" "$R" --lose-region ch01_gradient --says refused
expect exit_via_help "exit(0) through parse_options --help" "$R" --lose-region ch01_gradient --says refused
expect reads_reference "reads the reference's source" "$R" --lose-region cosine_rate --says refused
expect reads_fixture "reads the fixture its tests compare with" "$R" --lose-region ch03_deltas --says refused
expect endless_output "prints without end" "$R" --lose-region ch02_gradient --says "printed more than"
expect fork_and_sleep "forks a process that sleeps forever" "$R" --lose-region ch06_ridge --says refused
expect deletes_tests "deletes and rewrites test programs" "$R" --lose-region cosine_rate --says refused
expect defines_away "#define ck_assert_msg away" "$R" --lose-region ch09_calibration --says "preprocessor"
expect outside_edit "fixes its answer outside the region" "$R" --lose-region cosine_rate --says "ignored"
expect odd_files "an extra Makefile, odd names, a link out" "$R" --says "ignored"
expect extra_credit_hides "Task 3 wrong, extra credit right" "$R" --lose-region cosine_rate
if [ -e /tmp/kit-cheat-makefile-ran ]; then
    echo "the submission's own Makefile ran  MISMATCH"; mismatches=$((mismatches + 1))
fi
if ! grep -q '^extra_credit_hides,.*,85,5,90$' "$WORK/class.csv"; then
    echo "class.csv: extra_credit_hides should read required 85, extra 5, total 90  MISMATCH"
    mismatches=$((mismatches + 1))
fi

echo "== The same cheats past the scan (KIT_GRADE_UNSCANNED=1): the sandbox holds"
mkdir -p "$WORK/unscanned"
mv "$WORK"/unscanned-* "$WORK/unscanned/"
for d in "$WORK"/unscanned/unscanned-*; do mv "$d" "$WORK/unscanned/${d##*/unscanned-}"; done
grade_class "$WORK/unscanned" "$WORK/unscanned.csv" KIT_GRADE_UNSCANNED=1 GRADE_TIMEOUT=60
R=$WORK/unscanned-reports
expect results_json "writes results.json: it is not allowed to" "$R" --lose-region cosine_rate
expect exit_zero "_exit(0): the test did not finish" "$R" --lose-region ch01_gradient --says "before the test"
expect reads_reference "reads the reference: closed to it" "$R" --lose-region cosine_rate
expect endless_output "prints without end: stopped" "$R" --lose-region ch02_gradient --says "printed more than"
expect fork_and_sleep "forks and sleeps: stopped, killed, the rest graded" "$R" \
    --lose-region ch06_ridge --says "timed out"
expect deletes_tests "rewrites test programs: not allowed" "$R"
left=$(ps -o stat= -u kit-grader-0,kit-grader-1 2>/dev/null | grep -vc '^Z' || true)
if [ "${left:-0}" -ne 0 ]; then
    echo "processes of the sandbox's users are still running  MISMATCH"; mismatches=$((mismatches + 1))
fi

if [ "$mismatches" -ne 0 ]; then
    echo "test-cheats.sh: $mismatches mismatches" >&2
    exit 1
fi
echo "test-cheats.sh: every cheat earned only what its honest part earns"
