#!/bin/sh
# install-deps.sh - make sure the Debian packages the kit needs are installed.
#
#     tools/install-deps.sh              everything `make` needs
#     tools/install-deps.sh --grading    only what building and running the
#                                        Check suites needs (the autograder)
#     tools/install-deps.sh --bench      the peers `make bench` times the
#                                        engine against: NumPy and PyTorch
#                                        (without root, it says how to install
#                                        them, and the bench runs without them)
#     tools/install-deps.sh --html       what `make html` needs: LaTeXML, lxml
#                                        for tools/html-post.py, and the Latin
#                                        Modern fonts the pages are set in
#     tools/install-deps.sh --ci         everything, and the tools only CI
#                                        runs (.ci/run): clang with libFuzzer
#                                        for `make fuzz`, valgrind
#
# Called by make before anything is compiled.  Installs what is missing with
# apt-get when run as root; otherwise prints the one command to run and
# fails.  Prints nothing when everything is already there.
set -eu

# The Check suites (build/bin/check_*): the compiler, pkg-config for the
# Makefile's flags (openblas lapacke zlib sleef check), and python3 for the
# kit's tools (tools/grade.py, tools/regions.py).
GRADING="gcc libc6-dev make pkg-config check
libopenblas-dev liblapacke-dev zlib1g-dev libsleef-dev python3"

# Everything else: tools/mnist_json_to_idx (cJSON), the figures and the report.
EVERYTHING="$GRADING libcjson-dev
gnuplot-nox latexmk lmodern poppler-utils
texlive-latex-base texlive-latex-recommended texlive-latex-extra texlive-fonts-recommended
texlive-pictures"

# CI's own checks: clang (its build of the kit, and libFuzzer, which is in
# libclang-rt-dev, for `make fuzz`), valgrind (make check under it) and
# Fashion-MNIST (tools/test-check-claims.py reruns chapters on other data).
# make bench's peers (tools/bench_numpy.py, tools/bench_torch.py).
BENCH="python3-numpy python3-torch"

# The web edition (make html); tools/test-html.sh installs what its test in
# a browser needs besides (make html-check).
HTML="latexml python3-lxml poppler-utils fonts-lmodern"

CI="$EVERYTHING clang libclang-rt-dev valgrind dataset-fashion-mnist"

case "${1-}" in
"") PACKAGES=$EVERYTHING ;;
--grading) PACKAGES=$GRADING ;;
--bench) PACKAGES=$BENCH ;;
--html) PACKAGES=$HTML ;;
--ci) PACKAGES=$CI ;;
*)
    echo "install-deps.sh: unknown option '$1' (the options are --grading, --bench, --html and --ci)" >&2
    exit 2
    ;;
esac

missing=""
for p in $PACKAGES; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    case "$status" in
    *"install ok installed"*) ;;
    *) missing="$missing $p" ;;
    esac
done

[ -z "$missing" ] && exit 0

install_cmd="apt-get install -y --no-install-recommends$missing"
if [ "$(id -u)" -ne 0 ] && [ "${1-}" = "--bench" ]; then
    echo "make bench times the engine alone: its peers' packages are not installed:$missing" >&2
    echo "To time it beside them, install them and run make bench again:" >&2
    echo "    sudo apt-get update && sudo $install_cmd" >&2
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "The kit needs Debian packages that are not installed:$missing" >&2
    echo "Install them with:" >&2
    echo "    sudo apt-get update && sudo $install_cmd" >&2
    exit 1
fi

echo "Installing the packages the kit needs:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing
