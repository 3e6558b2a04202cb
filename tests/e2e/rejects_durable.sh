#!/usr/bin/env bash
# rejects_durable.sh: a refused row is never lost. The rejects file is
# written, synced and named before the file's counts are committed, so when
# the rejects cannot be written (here: a file-size limit the rejects file
# crosses and the database does not) the file is not stored at all, and the
# next attempt stores it with its rejects. Before the fix the database was
# committed first: the file was stored, its 10,000 refused rows listed
# nowhere, and every rerun said "already ingested".
source "$(dirname "$0")/lib.sh"
GEN=$(dirname "$PARITY")/parity-sample-gen
command -v sqlite3 > /dev/null || { echo "FAIL: sqlite3 is needed (.ci/install-deps)"; exit 1; }

# 20,000 rows; every second one (10,000, by construction) has a date that
# is no calendar date and a 200-character id, so the rejects file (about
# 3.4 MB) is far larger than the database (about 1.3 MB of counts).
"$GEN" --kind recruitment --rows 20000 --seed 7 --out plain.csv
awk -F, 'BEGIN { OFS = "," } NR > 1 && NR % 2 == 0 { $3 = "2025-13-45"; $1 = $1 sprintf("%0200d", NR) } { print }' \
    plain.csv > recruitment-bad.csv
limited() { (ulimit -f 2000 && exec "$@"); }
rows_in() { echo $(( $(wc -l < "$1") - 1 )); }

# ---- 1. parity ingest ---------------------------------------------------------
mkdir i
do_cmd_test 1.1 74 "cannot write" limited "$PARITY" ingest --db i/p.db --kind recruitment \
    --max-rejects 100 --rejects-dir i recruitment-bad.csv
check 1.2 "not stored when its rejects could not be kept" \
    test "$(sqlite3 i/p.db 'select count(*) from files')" = 0
do_cmd_test 1.3 0 "10000 rejected" "$PARITY" ingest --db i/p.db --kind recruitment \
    --max-rejects 100 --rejects-dir i recruitment-bad.csv
check 1.4 "the rerun lists all 10,000 refused rows" \
    test "$(rows_in i/recruitment-bad.csv.rejects.csv)" = 10000

# ---- 2. parity run --------------------------------------------------------------
mkdir -p r/inbox
cp recruitment-bad.csv r/inbox/
printf '[paths]\ndatabase = p.db\ninbox = inbox\narchive = archive\nquarantine = quarantine\noutput = out\nlog = parity.log\n[ingest]\nmax_rejects = 100\n' > r/parity.ini
do_cmd_test 2.1 74 "" limited "$PARITY" run -q --config r/parity.ini --date 2026-01-05
check 2.1b "the log says why" grep -q "rejects.csv: cannot write" r/parity.log
check 2.2 "not stored when its rejects could not be kept" \
    test "$(sqlite3 r/p.db 'select count(*) from files')" = 0
check 2.3 "still in the inbox" test -f r/inbox/recruitment-bad.csv
do_cmd_test 2.4 0 "10000 rejected" "$PARITY" run --config r/parity.ini --date 2026-01-05
check 2.5 "the rerun lists all 10,000 refused rows" \
    test "$(rows_in r/quarantine/recruitment-bad.csv.rejects.csv)" = 10000
finish
