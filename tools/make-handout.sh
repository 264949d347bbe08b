#!/bin/sh
# make-handout.sh BUILD
#
# Writes the kit a student receives: BUILD/handout/, the sources with the
# body of every solution region replaced by its stub (tools/regions.py
# handout), and BUILD/handout.tar.gz.  The handout also holds report.pdf,
# this build's book: its numbers and figures, which a student may see, and
# listings that show each region as the student has it, the stub (the book
# is the student's edition; the solutions are in the instructor's guide,
# which the handout does not hold).  Run by `make handout` after `make`.
# It writes VERSION, the version the handout was made from, which the
# handout's own book prints.
set -eu
build=$1
kit="$build/handout"

echo "  HANDOUT $kit"
tools/regions.py handout "$kit"

cp "$build/report.pdf" "$kit/report.pdf"
(git describe --always --dirty 2>/dev/null || echo unknown) > "$kit/VERSION"

echo "  TAR     $build/handout.tar.gz"
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime='2026-01-01 00:00Z' \
    -czf "$build/handout.tar.gz.tmp" -C "$build" handout
mv "$build/handout.tar.gz.tmp" "$build/handout.tar.gz"
echo "The handout is $kit (and $build/handout.tar.gz); its report is $kit/report.pdf"
