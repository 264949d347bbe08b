#!/bin/sh
# data-stamp.sh DIR STAMP
#
# Writes STAMP, the file the MNIST chapters' runs depend on (make's
# $(MNIST_STAMP)): the SHA-256 sum of each of the four IDX files in DIR,
# read as the programs read them (DIR/NAME.gz if there is one, else
# DIR/NAME), through symbolic links.  So the chapters rerun when the data
# change, wherever they really are, and not when only a file's owner, mode
# or time changes, or the language `ls` speaks.
#
# STAMP is rewritten only when its text changes (its time is what make
# compares), and whole or not at all: the new text is written beside it
# and renamed.  A file that is missing, not a regular file or unreadable
# is noted as such, not refused: the chapter's program then reports it,
# naming the file and what is wrong.
set -u
if [ $# -ne 2 ]; then
    echo "usage: tools/data-stamp.sh DIR STAMP" >&2
    exit 2
fi
dir=$1
stamp=$2
new=$stamp.new

mkdir -p "$(dirname "$stamp")" || exit 1
sums=$(
    for base in train-images-idx3-ubyte train-labels-idx1-ubyte \
                t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
        # As src/lib/mnist.c finds it: the .gz if there is such an entry.
        if [ -e "$dir/$base.gz" ] || [ -L "$dir/$base.gz" ]; then
            name=$base.gz
        else
            name=$base
        fi
        file=$dir/$name
        # Only a regular file is read: a FIFO would never end.
        if [ ! -e "$file" ] && [ ! -L "$file" ]; then
            echo "missing  $name"
        elif [ ! -f "$file" ]; then
            echo "not a regular file  $name"
        elif sum=$(sha256sum 2>/dev/null < "$file"); then
            echo "${sum%% *}  $name"
        else
            echo "unreadable  $name"
        fi
    done
)
# One write, whose failure (a full disk) is seen.
printf '%s\n' "$sums" > "$new" || {
    rm -f "$new"
    echo "error: cannot write $new (is the disk full?)" >&2
    exit 1
}
if cmp -s "$new" "$stamp"; then
    rm -f "$new"
else
    mv -f "$new" "$stamp" || { rm -f "$new"; echo "error: cannot replace $stamp" >&2; exit 1; }
fi
