#!/bin/sh
# run-fuzz.sh - run the kit's libFuzzer harnesses, one after the other.
#
#     tools/run-fuzz.sh DIR SECONDS NAME...
#
# Runs DIR/fuzz_NAME for each NAME, SECONDS / (number of NAMEs) seconds
# each (at least 1), starting from the committed seed corpus
# tests/fuzz/corpus/NAME (read, never changed).  New inputs that reach new
# code go to DIR/corpus/NAME, so a later run starts where this one ended;
# an input that crashes a harness goes to DIR/crashes/NAME/; libFuzzer's
# whole output to DIR/NAME.log.  Prints one line per harness (runs,
# seconds, coverage) and exits 1 if any harness found a crash.  Called by
# `make fuzz` (FUZZ_SECONDS=600 for a longer campaign).
set -u

if [ $# -lt 3 ]; then
    echo "usage: run-fuzz.sh DIR SECONDS NAME..." >&2
    exit 2
fi
dir=$1
total=$2
shift 2
each=$((total / $#))
[ "$each" -ge 1 ] || each=1

status=0
for name in "$@"; do
    mkdir -p "$dir/corpus/$name" "$dir/crashes/$name"
    log="$dir/$name.log"
    # -close_fd_mask=2: the readers' error messages (one per bad input)
    # are not printed; libFuzzer's own and the sanitizers' reports are.
    if "$dir/fuzz_$name" -max_total_time="$each" -close_fd_mask=2 -print_final_stats=1 \
        -artifact_prefix="$dir/crashes/$name/" "$dir/corpus/$name" "tests/fuzz/corpus/$name" \
        > "$log" 2>&1; then
        result="no crash"
    else
        result="FAILED: see $log and $dir/crashes/$name/"
        status=1
    fi
    # The last status line, "#RUNS ... cov: EDGES ft: FEATURES corp: N/SIZE ...".
    last=$(grep -E '^#[0-9]+' "$log" | tail -1)
    runs=$(grep -E '^stat::number_of_executed_units:' "$log" | awk '{ print $2 }')
    cov=$(echo "$last" | sed -nE 's/.* cov: ([0-9]+).*/\1/p')
    ft=$(echo "$last" | sed -nE 's/.* ft: ([0-9]+).*/\1/p')
    corp=$(echo "$last" | sed -nE 's/.* corp: ([0-9]+).*/\1/p')
    printf '  FUZZ    %-8s %s runs in %s s, coverage %s edges, %s features, corpus %s inputs: %s\n' \
        "$name" "${runs:-?}" "$each" "${cov:-?}" "${ft:-?}" "${corp:-?}" "$result"
done
exit $status
