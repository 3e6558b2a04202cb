#!/usr/bin/env bash
# completion.sh: the bash completion engine/cli/parity.bash, sourced and
# asked for completions as bash would ask: every command, every command's
# options exactly as its --help lists them, and the values of kinds,
# methods, periods, policies and characteristics.
source "$(dirname "$0")/../e2e/lib.sh"
source "$SRC/engine/cli/parity.bash"

# complete WORDS...: the completions of the last word, one a line, sorted.
complete_words() {
    COMP_WORDS=("$@")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMPREPLY=()
    _parity 2>/dev/null
    printf '%s\n' "${COMPREPLY[@]}" | sed '/^$/d' | sort
}
# expect ID WANT WORDS...: the completions are exactly WANT (space-separated).
expect() {
    local id=$1 want=$2
    shift 2
    local got
    got=$(complete_words "$@" | tr '\n' ' ' | sed 's/ $//')
    want=$(printf '%s\n' $want | sort | tr '\n' ' ' | sed 's/ $//')
    if [ "$got" = "$want" ]; then
        echo "ok   $id $*"; PASSED=$((PASSED + 1))
    else
        echo "FAIL $id $*: got \"$got\", expected \"$want\""; FAILED=$((FAILED + 1))
    fi
}

# 1: the commands are those of parity --help.
commands=$("$PARITY" --help | awk '/^Commands:/ {on = 1; next} on && /^  [a-z]/ {print $1} on && /^$/ {on = 0}')
expect 1 "$commands --help --version" parity ""
expect 2 "ingest" parity in
expect 3 "--version" parity --v

# 4..: every command's options, as its --help lists them.
n=4
for cmd in $commands; do
    help_opts=$("$PARITY" "$cmd" --help | awk '/^Options:/ {on = 1; next} on && /^$/ {on = 0} on' |
        grep -E '^ {1,8}-' | grep -oE '(^ +|, )-{1,2}[A-Za-z][a-z0-9-]*' | sed 's/^[ ,]*//')
    if [ -z "$help_opts" ]; then
        echo "FAIL $n parity $cmd --help lists no option"; FAILED=$((FAILED + 1))
    else
        expect $n "$help_opts" parity "$cmd" -
    fi
    n=$((n + 1))
done

# Values.
expect 20 "recruitment workforce disciplinary training board survey counts" parity ingest --kind ""
expect 21 "recruitment workforce disciplinary training board" parity mapping -k ""
expect 22 "katz koopman" parity analyse --method k
expect 23 "nhs-digital" parity report --disclosure n
expect 24 "ethnic_category,sex ethnic_category,sexual_orientation" parity analyse --intersect ethnic_category,s
expect 25 "lognormal" parity analyse --funnel-limits l
expect 26 "utf-8 windows-1252" parity ingest --encoding ""
periods=$(complete_words parity report --period "")
check 27 "periods: a financial year, a quarter, a range and all" bash -c '
    grep -qE "^[0-9]{4}/[0-9]{2}$" <<<"$1" && grep -qE "^[0-9]{4}-Q[1-4]$" <<<"$1" &&
    grep -qE "^[0-9]{4}/[0-9]{2}\.\.[0-9]{4}/[0-9]{2}$" <<<"$1" && grep -qx all <<<"$1"' _ "$periods"
# 28: parity takes every period offered: with no database it stops at the
# database (66), never at the period (64, "unknown period").
bad=0
for p in $periods; do
    rc=0
    "$PARITY" analyse --db nowhere.db --out x --period "$p" >/dev/null 2>&1 || rc=$?
    [ "$rc" -eq 66 ] || { echo "    refused ($rc): $p"; bad=1; }
done
check 28 "parity takes every period offered" test $bad -eq 0
years=$(complete_words parity return --year "")
check 29 "--year offers financial years only" bash -c '! grep -vqE "^[0-9]{4}/[0-9]{2}$" <<<"$1" && [ -n "$1" ]' _ "$years"

# Paths: a database file, an output folder.
mkdir -p outdir && : > trust.db
expect 30 "trust.db" parity quality --db tr
expect 31 "outdir" parity report --out out
finish
