# lib.sh: helpers for the end-to-end tests, sourced by each script.
# Each script is run as: script PARITY_BINARY SOURCE_DIR SCRATCH_DIR
set -euo pipefail
PARITY=$1
SRC=$2
SCRATCH=$3
rm -rf "$SCRATCH"
mkdir -p "$SCRATCH"
cd "$SCRATCH"
FAILED=0
PASSED=0

# do_cmd_test ID EXPECTED_EXIT EXPECTED_SUBSTRING COMMAND...
# Runs COMMAND, checks its exit status and that its stdout+stderr holds the
# substring (empty: no check).
do_cmd_test() {
    local id=$1 want=$2 text=$3
    shift 3
    local got=0
    "$@" >"out.$id" 2>&1 || got=$?
    if [ "$got" != "$want" ]; then
        echo "FAIL $id: exit $got, expected $want: $*"
        sed 's/^/    /' "out.$id" | head -20
        FAILED=$((FAILED + 1))
        return 0
    fi
    if [ -n "$text" ] && ! grep -qF -- "$text" "out.$id"; then
        echo "FAIL $id: output lacks \"$text\": $*"
        sed 's/^/    /' "out.$id" | head -20
        FAILED=$((FAILED + 1))
        return 0
    fi
    echo "ok   $id"
    PASSED=$((PASSED + 1))
}

# check ID CONDITION-DESCRIPTION COMMAND...: passes when COMMAND succeeds.
check() {
    local id=$1 what=$2
    shift 2
    if "$@"; then
        echo "ok   $id $what"
        PASSED=$((PASSED + 1))
    else
        echo "FAIL $id $what"
        FAILED=$((FAILED + 1))
    fi
}

# finish: the tally, and the script's verdict. A script that ran no check
# fails: it would otherwise pass while checking nothing (a guard that
# skipped everything, a loop over an empty list).
finish() {
    echo "$PASSED passed, $FAILED failed"
    if [ $((PASSED + FAILED)) -eq 0 ]; then
        echo "FAIL: no check ran"
        return 1
    fi
    [ "$FAILED" -eq 0 ]
}
