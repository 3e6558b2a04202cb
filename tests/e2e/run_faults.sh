#!/usr/bin/env bash
# run_faults.sh: two runs at once (one must exit 75, the database stays
# intact), and a run killed part-way with SIGKILL (the next run completes
# and its outputs equal an uninterrupted run's).
source "$(dirname "$0")/lib.sh"
GEN=$(dirname "$PARITY")/parity-sample-gen

make_site() {
    mkdir -p "$1/inbox" "$1/state"
    printf '[paths]\ndatabase = state/parity.db\ninbox = inbox\narchive = archive\nquarantine = quarantine\noutput = out\nlog = parity.log\n' > "$1/parity.ini"
}
"$GEN" --kind recruitment --rows 300000 --seed 5 --out big.csv

# ---- the lock: held by another process -------------------------------------
make_site lock
cp big.csv lock/inbox/recruitment-big.csv
flock lock/state/parity.db.lock sleep 3 &
holder=$!
sleep 0.5
do_cmd_test 1.1 75 "another parity run is using" \
    "$PARITY" run --config lock/parity.ini --date 2026-01-05
check 1.2 "the inbox was left alone" test -f lock/inbox/recruitment-big.csv
wait $holder

# ---- two real runs started at once: one exits 75 ------------------------------
"$PARITY" run --config lock/parity.ini --date 2026-01-05 -q > a.out 2>&1 &
a=$!
for _ in $(seq 1 200); do
    grep -q "files\? in the inbox" lock/parity.log 2>/dev/null && break
    sleep 0.05
done
sb=0
"$PARITY" run --config lock/parity.ini --date 2026-01-05 > b.out 2>&1 || sb=$?
sa=0
wait $a || sa=$?
check 2.1 "first run succeeded ($sa)" test "$sa" = 0
check 2.2 "second run exited 75 ($sb)" test "$sb" = 75
check 2.3 "database intact" test "$(sqlite3 lock/state/parity.db 'pragma integrity_check')" = ok
check 2.4 "all rows stored once" test "$(sqlite3 lock/state/parity.db 'select sum(rows) from cells')" = 300000

# ---- SIGKILL part-way, then the next run ------------------------------------------
make_site killed
make_site clean
for site in killed clean; do
    cp big.csv "$site/inbox/recruitment-big.csv"
    cp "$SRC/sample-data/workforce.csv" "$site/inbox/workforce-2026.csv"
done
"$PARITY" run --config clean/parity.ini --date 2026-01-05 -q > /dev/null 2>&1 || true
"$PARITY" run --config killed/parity.ini --date 2026-01-05 -q > /dev/null 2>&1 &
victim=$!
for _ in $(seq 1 200); do
    grep -q "files\? in the inbox" killed/parity.log 2>/dev/null && break
    sleep 0.05
done
sleep 0.2
kill -9 $victim 2>/dev/null || true
vs=0
wait $victim 2>/dev/null || vs=$?
# A kill that came after the run had finished tests nothing: 137 = SIGKILL.
check 3.0 "the kill landed while the run worked (status $vs)" test "$vs" = 137
check 3.1 "integrity after the kill" test "$(sqlite3 killed/state/parity.db 'pragma integrity_check')" = ok
check 3.2 "no half-ingested file" test "$(sqlite3 killed/state/parity.db "select count(*) from files where sha256 like 'pending-%'")" = 0
do_cmd_test 3.3 0 "finished: success" \
    "$PARITY" run --config killed/parity.ini --date 2026-01-05
check 3.4 "same results as an uninterrupted run" \
    cmp -s clean/out/2026-01/results.csv killed/out/2026-01/results.csv
# The run id differs by design (the killed run is in the history too, marked
# as never finished); everything else in the report must be the same.
pdftotext clean/out/2026-01/board-report.pdf - | awk 'skip { skip = 0; if ($0 == "") { skip = 1 }; next } /^Run id/ { skip = 1; next } { print }' > clean.txt
pdftotext killed/out/2026-01/board-report.pdf - | awk 'skip { skip = 0; if ($0 == "") { skip = 1 }; next } /^Run id/ { skip = 1; next } { print }' > killed.txt
check 3.5 "same report text" cmp -s clean.txt killed.txt
check 3.5b "same changes.txt" cmp -s clean/out/2026-01/changes.txt killed/out/2026-01/changes.txt
check 3.6 "same data" test "$(sqlite3 clean/state/parity.db 'select sum(rows), sum(shortlisted), sum(appointed) from cells')" = "$(sqlite3 killed/state/parity.db 'select sum(rows), sum(shortlisted), sum(appointed) from cells')"
check 3.7 "inbox emptied" test -z "$(ls killed/inbox)"
check 3.8 "no temporary files left" test -z "$(find killed -name '*.tmp*')"
finish
