#!/bin/bash
# setup.sh - Gradescope runs this once, as root, when it builds the
# autograder's image from build/autograder.zip (tools/make-autograder.sh).
#
# It installs what building and running the Check suites needs (the kit's
# own tools/install-deps.sh --grading: no LaTeX, no gnuplot), compiles the
# reference kit in source/kit once, so that grading a region recompiles
# only the file it changes, and closes source/ to every user but root: the
# submissions' tests run as other users (tools/sandbox.py) and must not
# read the reference solutions.
#
# To try it locally: AUTOGRADER_ROOT=/tmp/ag bash /tmp/ag/source/setup.sh
set -euo pipefail

SOURCE=$(cd "$(dirname "$0")" && pwd)
KIT=$SOURCE/kit
if [ ! -f "$KIT/grading/regions.txt" ]; then
    echo "setup.sh: $KIT/grading/regions.txt: no such file (is this the autograder zip?)" >&2
    exit 1
fi

# A zip unpacked without its permissions loses the scripts' execute bits.
for script in "$KIT"/tools/*.py "$KIT"/tools/*.sh "$KIT"/tools/grade-all \
              "$KIT"/tools/autograder/*.py "$SOURCE/run_autograder"; do
    if [ -f "$script" ]; then chmod +x "$script"; fi
done

"$KIT/tools/install-deps.sh" --grading
# The packages are there: make must not run the full install-deps.sh.
mkdir -p "$KIT/build" && touch "$KIT/build/.deps-installed"

/usr/bin/python3 "$KIT/tools/autograder/submission.py" prebuild "$KIT" || {
    echo "setup.sh: the reference kit did not compile; see $KIT/build/grade/build-all.log" >&2
    exit 1
}
chmod 700 "$SOURCE"
