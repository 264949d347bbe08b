# submissions.sh - make simulated submissions from the solution kit's
# region files.  Sourced by tools/simulate-autograder.sh and
# tools/test-cheats.sh, tools/test-planted.sh, from the kit's root; SUBS
# is the folder the submissions go into (start_work sets it).

# The files that hold regions, from the registry's file column.
REGION_FILES=$(/usr/bin/python3 -c '
import sys; sys.dont_write_bytecode = True; sys.path.insert(0, "tools")
import regions
print("\n".join(sorted({r.file for r in regions.read_registry()[1].values()})))')

# new_submission NAME FROM: a submission of the region files of kit FROM,
# at their paths in the kit.
new_submission() {
    local dest=$SUBS/$1 from=$2 f
    mkdir -p "$dest"
    for f in $REGION_FILES; do
        mkdir -p "$dest/$(dirname "$f")"
        cp "$from/$f" "$dest/$f"
    done
}

# plant NAME FILE SED-SCRIPT: edit one file of a submission; fails if the
# edit changed nothing (the solution no longer reads as expected).
plant() {
    local file=$SUBS/$1/$2
    cp "$file" "$file.orig"
    sed -i "$3" "$file"
    if cmp -s "$file" "$file.orig"; then
        echo "$0: the planted change '$3' did not apply to $2" >&2
        exit 1
    fi
    rm "$file.orig"
}

# in_region REGION CODE: a sed script that puts CODE (one line, or lines
# joined by \n-escaped newlines) first in REGION's body.
in_region() {
    printf '/@solution begin %s/a\\\n%s' "$1" "$2"
}

# start_work NAME: a scratch folder $WORK for a test script (removed at the
# end unless KEEP=1), its submissions in $SUBS, and mismatches=0.
start_work() {
    WORK=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")
    chmod 755 "$WORK"           # the sandbox's users pass through it
    if [ -z "${KEEP-}" ]; then trap 'rm -rf "$WORK"' EXIT; else echo "Working in $WORK"; fi
    SUBS=$WORK/class
    mismatches=0
}

# region_file REGION: the file that holds REGION, from the registry.
region_file() {
    /usr/bin/python3 -c 'import sys; sys.dont_write_bytecode = True; sys.path.insert(0, "tools")
import regions; print(regions.read_registry()[1][sys.argv[1]].file)' "$1"
}
