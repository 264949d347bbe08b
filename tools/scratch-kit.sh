# scratch-kit.sh - for the tests that build the kit from clean in a scratch
# clone and compare the result with another build (tools/test-kills.sh,
# tools/test-jobs.sh).  Sourced from the kit's root.
#
# Two builds of the same sources must give the same results and the same
# book, byte for byte, whatever -j, the machine's load or a make killed on
# the way.  The only files that vary are chapter 05's per-epoch wall-clock
# timings, build/results/ch05/*_timing.dat, which the book does not print:
# they are left out of the comparison, and nothing is masked in the text.
# So are the temporary files a killed program leaves (*.tmp, *.tmp.*),
# which no rule reads.

# scratch_kit DIR: a clone of this repository in DIR, with this working
# tree's uncommitted changes to tracked files applied (so that it builds
# what build/ here was built from, and prints the same version), and with
# this build's build/bench if there is one: make bench's measurements,
# which make never remakes and the speed appendix prints, so that both
# books print the same appendix.  The MNIST subset is committed
# (data/mnist), so nothing is downloaded.
scratch_kit() {
    git clone -q "$PWD" "$1" && git -C "$1" checkout -q --detach "$(git rev-parse HEAD)" || return 1
    if ! git diff --quiet HEAD; then
        git diff --binary HEAD | git -C "$1" apply --whitespace=nowarn || return 1
    fi
    if [ -d build/bench ]; then
        mkdir -p "$1/build" && cp -R build/bench "$1/build/bench"
    fi
}

# same_build REFERENCE OTHER WHAT: OTHER's build (a kit's root) gives
# REFERENCE's results (build/results, byte for byte but for the timings)
# and book (the text of build/report.pdf, by pdftotext); 1, after saying
# what differs, if not.
same_build() {
    local ref=$1 other=$2 what=$3 d
    if [ ! -s "$other/build/report.pdf" ]; then
        echo "  $what: no build/report.pdf"
        return 1
    fi
    if ! d=$(diff -r -q -x '*_timing.dat' -x '*.tmp' -x '*.tmp.*' "$ref/build/results" "$other/build/results" 2>&1); then
        echo "  $what: results differ from the reference's:"
        printf '%s\n' "$d" | head -20 | sed 's/^/    /'
        return 1
    fi
    local texts status=0
    texts=$(mktemp -d "${TMPDIR:-/tmp}/same-build.XXXXXX") || return 1
    if ! pdftotext -q "$ref/build/report.pdf" "$texts/reference.txt" ||
       ! pdftotext -q "$other/build/report.pdf" "$texts/other.txt"; then
        echo "  $what: pdftotext failed"
        status=1
    elif ! cmp -s "$texts/reference.txt" "$texts/other.txt"; then
        echo "  $what: the book's text differs from the reference's:"
        diff "$texts/reference.txt" "$texts/other.txt" | head -20 | sed 's/^/    /'
        status=1
    fi
    rm -rf "$texts"
    return $status
}
