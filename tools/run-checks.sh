#!/bin/sh
# run-checks.sh TEST_BINARY...
#
# Runs each Check suite, prints one line per suite (and the message of
# every failing test), then a final line "N passed, M failed" counting
# tests over all suites.  Exits non-zero if any test failed or any suite
# crashed.  CK_RUN_SUITE, CK_RUN_CASE and the other CK_* variables pass
# through to Check.
set -u

passed=0
failed=0
broken=0
for bin in "$@"; do
    name=$(basename "$bin")
    output=$("$bin" 2>&1)
    rc=$?
    # Check's summary: "100%: Checks: 7, Failures: 0, Errors: 0"
    summary=$(printf '%s\n' "$output" | grep -E '^[0-9]+%: Checks: [0-9]+' | tail -n 1)
    if [ -z "$summary" ]; then
        printf '%-34s CRASHED (exit %d) before reporting\n' "$name" "$rc"
        printf '%s\n' "$output" | tail -n 20 | sed 's/^/    /'
        broken=$((broken + 1))
        continue
    fi
    checks=$(printf '%s' "$summary" | sed -E 's/.*Checks: ([0-9]+).*/\1/')
    fails=$(printf '%s' "$summary" | sed -E 's/.*Failures: ([0-9]+).*/\1/')
    errors=$(printf '%s' "$summary" | sed -E 's/.*Errors: ([0-9]+).*/\1/')
    bad=$((fails + errors))
    passed=$((passed + checks - bad))
    failed=$((failed + bad))
    printf '%-34s %s\n' "$name" "$summary"
    # Failing tests print "file.c:LINE:F:case:test:0: message" (E for errors).
    printf '%s\n' "$output" | grep -E '^[^:]+:[0-9]+:[FE]:' | sed 's/^/    /'
    if [ "$bad" -eq 0 ] && [ "$rc" -ne 0 ]; then
        printf '    exited with status %d although every test passed\n' "$rc"
        broken=$((broken + 1))
    fi
done
failed=$((failed + broken))
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
