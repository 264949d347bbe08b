# refusals.sh - for the scripts that plant a defect and expect the kit to
# refuse it (tools/test-check-refs.sh, test-check-report.sh,
# test-handout-leaks.sh).  Sourced; counts in $failures.

failures=0

# expect_refused WHAT TEXT COMMAND...: COMMAND (run in $REFUSED_IN, the
# current folder if unset) must exit non-zero and print TEXT.
expect_refused() {
    local what=$1 text=$2 out
    shift 2
    if out=$(cd "${REFUSED_IN:-.}" && "$@" 2>&1); then
        printf 'FAIL: %s: %s accepted it\n' "$what" "$1"
        failures=$((failures + 1))
    elif ! printf '%s' "$out" | grep -qF -- "$text"; then
        printf "FAIL: %s: the message does not say '%s': %s\n" "$what" "$text" "$out"
        failures=$((failures + 1))
    else
        printf 'ok: %s is refused: %s\n' "$what" "$(printf '%s' "$out" | grep -F -- "$text" | head -n 1)"
    fi
}
