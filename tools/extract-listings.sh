#!/bin/sh
# extract-listings.sh [--root DIR] OUTDIR CHAPTER.tex... -- SOURCE.c...
#
# The report shows real source code, never pasted copies.  A chapter asks
# for a region with \codelisting{NAME}; the source marks it with
#     /* @listing begin NAME */  ...  /* @listing end NAME */
# For every NAME the chapters use, this finds the region and writes
# OUTDIR/NAME.c, exactly those lines of the real file, and OUTDIR/NAME.tex,
# which typesets them with the file's own line numbers.  A name whose begin or end marker
# is missing or appears more than once stops the build: LaTeX would
# otherwise print an empty listing without a word.
#
# With --root DIR, a source that DIR also holds (DIR/src/x.c for src/x.c)
# is read from there, and still named src/x.c: the course's kit passes the
# stubbed copies of its files with solution regions, so that the book shows
# each region as a student has it.
set -eu

root=""
if [ "${1:-}" = "--root" ]; then
    root=$2
    shift 2
fi
out=$1
shift
chapters=""
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
    chapters="$chapters $1"
    shift
done
[ $# -gt 0 ] && shift   # the "--"
sources="$*"

mkdir -p "$out"
# shellcheck disable=SC2086
names=$(grep -ho '\\codelisting{[^}]*}' $chapters | sed 's/\\codelisting{\(.*\)}/\1/' | sort -u)

status=0
for name in $names; do
    # "file:line" of every begin and end marker of this name.
    # shellcheck disable=SC2086
    begins=$(grep -n -F "@listing begin $name */" $sources /dev/null | cut -d: -f1,2)
    # shellcheck disable=SC2086
    ends=$(grep -n -F "@listing end $name */" $sources /dev/null | cut -d: -f1,2)
    nb=$(printf '%s' "$begins" | grep -c . || true)
    ne=$(printf '%s' "$ends" | grep -c . || true)
    if [ "$nb" -ne 1 ] || [ "$ne" -ne 1 ]; then
        echo "error: listing '$name' used by the chapters has $nb begin and $ne end markers in the sources (need exactly one of each): $begins $ends" >&2
        status=1
        continue
    fi
    file=${begins%%:*}
    read_from=$file
    if [ -n "$root" ] && [ -f "$root/$file" ]; then
        read_from=$root/$file
        begins=$(grep -n -F "@listing begin $name */" "$read_from" | cut -d: -f1 | sed "s|^|$file:|")
        ends=$(grep -n -F "@listing end $name */" "$read_from" | cut -d: -f1 | sed "s|^|$file:|")
    fi
    first=$((${begins#*:} + 1))
    last=$((${ends#*:} - 1))
    if [ "${ends%%:*}" != "$file" ] || [ "$last" -lt "$first" ]; then
        echo "error: listing '$name': the end marker must follow the begin marker in $file" >&2
        status=1
        continue
    fi
    # The excerpt, with each equation a comment cites by its label
    # (eq:ch03-delta3) shown as the equation's number in the PDF.
    # The markers of a solution region become a discreet tag.
    sed -n "${first},${last}p" "$read_from" |
        sed -E 's/\b(eq:ch[0-9]{2}-[a-z0-9-]*[a-z0-9])/(*@\\ref{\1}@*)/g' |
        sed -E 's|^([[:space:]]*)/\* @solution (begin\|end) ([a-z0-9_]+) \*/$|\1(*@\\kitregion{\2}{\3}@*)|' > "$out/$name.c.tmp"
    mv "$out/$name.c.tmp" "$out/$name.c"
    tmp="$out/$name.tex.tmp"
    texfile=$(printf '%s' "$file" | sed 's/_/\\_/g')
    printf '\\kitlisting{%s}{%s}{%d}{%d}\n' "$out/$name.c" "$texfile" "$first" "$last" > "$tmp"
    mv "$tmp" "$out/$name.tex"
done
exit $status
