#!/bin/sh
# make-handout.sh BUILD
#
# Writes the kit a student receives: BUILD/handout/, the sources with the
# body of every solution region replaced by its stub (tools/regions.py
# handout), and BUILD/handout.tar.gz.  The handout also holds report.pdf:
# this build's report (its numbers and figures, which a student may see),
# with every code listing taken from the handout's own sources, so that the
# listings of the regions show the stubs.  Run by `make handout` after
# `make`, which made BUILD/results and BUILD/figures.
set -eu
build=$1
kit="$build/handout"

echo "  HANDOUT $kit"
tools/regions.py handout "$kit"

# The report, typeset inside the handout from the solution's results.
mkdir -p "$kit/build"
cp -R "$build/results" "$build/figures" "$build/bench" "$build/chapters.tex" "$build/exercises" "$kit/build/"
(
    cd "$kit"
    tools/extract-listings.sh build/listings chapters/*.tex -- \
        $(find src -name '*.[ch]' | sort)
    TEXINPUTS=report: BIBINPUTS=report: latexmk -pdf -interaction=nonstopmode -halt-on-error -file-line-error \
        -outdir=build/report report/report.tex > build/latexmk.out 2>&1 \
      || { echo "error: LaTeX failed on the handout's report: see $kit/build/report/report.log" >&2; exit 1; }
    tools/check-latex-log.sh build/report/report.log
    cp build/report/report.pdf report.pdf
)
rm -rf "$kit/build"

echo "  TAR     $build/handout.tar.gz"
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime='2026-01-01 00:00Z' \
    -czf "$build/handout.tar.gz.tmp" -C "$build" handout
mv "$build/handout.tar.gz.tmp" "$build/handout.tar.gz"
echo "The handout is $kit (and $build/handout.tar.gz); its report is $kit/report.pdf"
