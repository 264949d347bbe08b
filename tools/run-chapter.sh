#!/bin/sh
# run-chapter.sh CHAPTER OUTDIR PROGRAM [ARGS...]
#
# Runs a chapter's program, which writes its results into OUTDIR.  When the
# program stops because a solution region is not written yet (exit status
# 3, see src/lib/todo.h: in the handout, before the student has written
# it), this writes OUTDIR/numbers.tex saying so, prints one line, and
# succeeds: the other chapters, the tests and the report still build, and
# the report shows this chapter's numbers and figures as not yet computed.
# Any other failure of the program fails the build, as always.
#
# run-chapter.sh --summary NUMBERS.tex...  lists the chapters not run.
set -u
if [ "${1:-}" = "--summary" ]; then
    shift
    pending=$(grep -l '^\\kitpending' "$@" 2>/dev/null)
    [ -z "$pending" ] && exit 0
    echo "Chapters not run, because a solution region they need is not written yet:"
    for f in $pending; do
        sed -n 's/^\\kitpending{\([^}]*\)}{\(.*\)}$/  \1: \2/p' "$f" | sed 's/\\_/_/g'
    done
    echo "The report shows their numbers and figures once they run; make chNN runs one chapter and its tests."
    exit 0
fi
chapter=$1
out=$2
shift 2
mkdir -p "$out" || exit 1
# A run killed outright (SIGKILL: no handler runs) leaves its temporary
# files, which no rule reads; this run, the folder's only writer, removes
# them.
rm -f "$out"/*.tmp.* "$out/numbers.tex.tmp"
# Interrupted (Ctrl-C, kill, make stopping), remove what this script
# writes, then die of the same signal; the program removes its own
# temporary files.
cleanup() { rm -f "$out/numbers.tex.tmp"; }
trap 'cleanup; trap - INT; kill -s INT $$' INT
trap 'cleanup; trap - TERM; kill -s TERM $$' TERM
trap 'cleanup; trap - HUP; kill -s HUP $$' HUP
# The program's messages are kept in memory, not in a file beside its
# results: on a full disk its error (cannot write FILE: No space left on
# device) must still reach the terminal.  Its output goes straight to
# ours (fd 3).
exec 3>&1
# KIT_RUN_BY_MAKE: the program may write into build/results (a hand run
# may not; src/lib/results.c).
err=$(KIT_RUN_BY_MAKE=1 "$@" 2>&1 >&3 3>&-)
status=$?
exec 3>&-
[ -n "$err" ] && printf '%s\n' "$err" >&2
if [ "$status" -eq 3 ]; then
    todo=$(printf '%s\n' "$err" | grep -m1 '^TODO: region' | sed 's/^TODO: //')
    if ! {
        echo "% Written by tools/run-chapter.sh: the program stopped at a region not written yet."
        printf '\\kitpending{%s}{%s}\n' "$chapter" "$(printf '%s' "$todo" | sed 's/_/\\_/g')"
    } > "$out/numbers.tex.tmp" || ! mv "$out/numbers.tex.tmp" "$out/numbers.tex"; then
        rm -f "$out/numbers.tex.tmp"
        echo "error: cannot write $out/numbers.tex (is the disk full?)" >&2
        exit 1
    fi
    case $chapter in
    ch*) echo "  NOT RUN $chapter: $todo; make $chapter runs its tests" ;;
    *) echo "  NOT RUN $chapter: $todo; write it (make check runs its tests), then make $chapter" ;;
    esac
    status=0
fi
exit "$status"
