#!/bin/sh
# check-latex-log.sh LOG - fail on what LaTeX only warns about: an
# undefined reference or citation (printed as "??"), a missing number, and
# a line that runs into the margin (overfull by more than 1pt).
set -u
log=$1
status=0
if grep -E "LaTeX Warning: (Reference|Citation).*undefined|There were undefined references" "$log"; then
    echo "error: undefined references in the report (see $log)" >&2
    status=1
fi
if grep -E '^Overfull \\hbox \(([1-9][0-9]*\.[0-9]+|[1-9][0-9]*)pt too wide\)' "$log"; then
    echo "error: lines run into the margin in the report (see $log)" >&2
    status=1
fi
exit $status
