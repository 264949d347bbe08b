#!/usr/bin/env bash
# test-loaded.sh - no test fails because the machine is busy.  Starts two
# CPU-bound busy loops per core, then runs `make check` and `make grade`
# LOADED_RUNS times each (default 2), and once more each on one core
# (taskset -c 0, when there is taskset), sharing it with the loops.  Every
# run must pass: tools/checks.py stretches the time limits as much as the
# machine is slowed (timeout_multiplier).  Run after `make` (.ci/run does).
#
# Prints one line per run with its duration, then the median and range of
# each kind; exits 1 if any run failed.  The loops end with the script.
set -u
cd "$(dirname "$0")/.."
runs=${LOADED_RUNS:-2}
tmp=$(mktemp -d)
loops=()
stop_loops() {
    [ ${#loops[@]} -gt 0 ] && kill "${loops[@]}" 2> /dev/null
    wait 2> /dev/null
    rm -rf "$tmp"
}
trap stop_loops EXIT
trap 'exit 130' INT TERM

cores=$(nproc)
for _ in $(seq $((2 * cores))); do
    sh -c 'while :; do :; done' &
    loops+=($!)
done
echo "test-loaded: ${#loops[@]} busy loops on $cores cores; $runs runs of make check and make grade"

failures=0
# run NAME COMMAND...: time one run; its output goes to a log, shown when it fails.
run() {
    local name=$1 log="$tmp/run.log" start=$EPOCHREALTIME result=pass seconds
    shift
    "$@" > "$log" 2>&1 || { result=FAIL; failures=$((failures + 1)); }
    seconds=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { print b - a }')
    # checks.py's own line says how far it stretched Check's time limits.
    printf '  %-4s  %-28s %6.1f s  %s\n' "$result" "$name" "$seconds" \
        "$(grep -o "time limits x[0-9.]*" "$log" | head -n 1)"
    echo "$seconds" >> "$tmp/${name%% run*}.times"
    if [ "$result" = FAIL ]; then
        tail -n 40 "$log" | sed 's/^/        | /'
    fi
}

# summary KIND: the median and the range of its runs' durations.
summary() {
    sort -n "$tmp/$1.times" | awk -v kind="$1" '{ t[NR] = $1 }
        END { m = NR % 2 ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2;
              printf "  %-26s median %.1f s, %.1f to %.1f s over %d runs\n", kind, m, t[1], t[NR], NR }'
}

for i in $(seq "$runs"); do
    run "make check run $i" make check
    run "make grade run $i" make grade
done
if command -v taskset > /dev/null; then
    run "one core: make check run 1" taskset -c 0 make check
    run "one core: make grade run 1" taskset -c 0 make grade
fi
for kind in "make check" "make grade" "one core: make check" "one core: make grade"; do
    [ -f "$tmp/$kind.times" ] && summary "$kind"
done

if [ "$failures" -gt 0 ]; then
    echo "test-loaded: $failures runs failed under load"
    exit 1
fi
echo "test-loaded: every run passed under load"
