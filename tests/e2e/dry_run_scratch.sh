#!/usr/bin/env bash
# dry_run_scratch.sh: `parity run --dry-run` checks files in a scratch
# database and writes their rejects (person-level rows) beside it. Both live
# in a private folder under $TMPDIR, and nothing is left there, or in /tmp,
# when the run ends, whether it finishes or is stopped by SIGTERM, SIGINT or
# SIGHUP part-way. Before the fix the scratch files went to /tmp whatever
# TMPDIR said, at a predictable name (/tmp/parity-dry-run-PID.db), and a
# stopped dry run left them there, rejects included.
source "$(dirname "$0")/lib.sh"
GEN=$(dirname "$PARITY")/parity-sample-gen

mkdir -p site/inbox tmp
# 300,000 rows, one in 200 with a date that is no calendar date: about a
# second of checking, with a rejects file open for most of it.
"$GEN" --kind recruitment --rows 300000 --distinct --seed 9 --out plain.csv
awk -F, 'BEGIN { OFS = "," } NR > 1 && NR % 200 == 0 { $3 = "2025-13-45" } { print }' \
    plain.csv > site/inbox/recruitment-big.csv
rm plain.csv
printf '[paths]\ndatabase = p.db\ninbox = inbox\narchive = archive\nquarantine = quarantine\noutput = out\nlog = parity.log\n' > site/parity.ini
export TMPDIR=$SCRATCH/tmp
slash_tmp() { ls -d /tmp/parity-dry* 2>/dev/null | sort || true; }
before=$(slash_tmp)
nothing_left() { test -z "$(ls -A tmp)" && test "$(slash_tmp)" = "$before"; }

do_cmd_test 1.1 0 "would write the report" "$PARITY" run --dry-run --config site/parity.ini --date 2026-01-05
check 1.2 "nothing left in TMPDIR or /tmp" nothing_left
check 1.3 "nothing changed in the site" test "$(ls site)" = "$(printf 'inbox\nparity.ini')"

# stopped SIGNAL ID: start a dry run, wait until its scratch folder is in
# TMPDIR (it must be there: not in /tmp), stop it, and check what is left.
stopped() {
    local sig=$1 id=$2 pid waited=0
    "$PARITY" run --dry-run -q --config site/parity.ini --date 2026-01-05 > /dev/null 2>&1 &
    pid=$!
    while [ -z "$(ls tmp)" ] && [ $waited -lt 100 ]; do sleep 0.05; waited=$((waited + 1)); done
    check $id.a "the scratch folder is made in TMPDIR" test -n "$(ls tmp)"
    sleep 0.2
    kill -s "$sig" $pid 2>/dev/null || true
    wait $pid 2>/dev/null || true
    check $id.b "nothing left after SIG$sig in TMPDIR or /tmp" nothing_left
    ls -A tmp | sed 's/^/    left: /'
    rm -rf tmp/* 
}
stopped TERM 2
stopped INT 3
stopped HUP 4
finish
