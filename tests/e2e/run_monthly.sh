#!/usr/bin/env bash
# run_monthly.sh: `parity run` over three simulated monthly deliveries:
#   month 1: a normal delivery (recruitment to December 2025, workforce);
#   month 2: January's recruitment, one broken file and one duplicate
#            delivery (month 1's file again under another name);
#   month 3: a corrected re-delivery of January.
# After each: archive, quarantine, the dated outputs, the log and changes.txt.
# Then idempotence (a second run changes nothing and gives the same results),
# --dry-run, --print-config and configuration errors.
source "$(dirname "$0")/lib.sh"
S=$SRC/sample-data

mkdir -p site/inbox site/state
cat > site/parity.ini <<'INI'
[paths]
database = state/parity.db
inbox = inbox
archive = archive
quarantine = quarantine
output = out
log = parity.log
INI
head -1 "$S/recruitment.csv" > header.csv
awk -F, 'NR > 1 && $3 < "2026-01-01"' "$S/recruitment.csv" > body1.csv
awk -F, 'NR > 1 && $3 >= "2026-01-01" && $3 < "2026-02-01"' "$S/recruitment.csv" > body2.csv
cat header.csv body1.csv > recruitment-to-2025-12.csv
cat header.csv body2.csv > recruitment-2026-01.csv
rows1=$(wc -l < body1.csv)
rows2=$(wc -l < body2.csv)

# ---- month 1 --------------------------------------------------------------
cp recruitment-to-2025-12.csv "$S/workforce.csv" site/inbox/
mv site/inbox/workforce.csv site/inbox/workforce-2026-03-31.csv
do_cmd_test 1.1 0 "finished: success" \
    "$PARITY" run --config site/parity.ini --date 2026-01-05
check 1.2 "inbox emptied" test -z "$(ls site/inbox)"
check 1.3 "files archived by month" test -f site/archive/2026-01/recruitment-to-2025-12.csv
check 1.4 "dated report" test -s site/out/2026-01/board-report.pdf
check 1.5 "results" test -s site/out/2026-01/results.csv
check 1.6 "changes.txt lists the new data" grep -q "new data recruitment-to-2025-12.csv (recruitment): $rows1 rows" site/out/2026-01/changes.txt
check 1.6b "first month: nothing to compare" grep -q "no earlier month's run" site/out/2026-01/changes.txt
check 1.7 "log has timestamped levels" grep -Eq '^20[0-9-]+T[0-9:]+Z INFO run 2026-01 started' site/parity.log
check 1.8 "database owner-only" test "$(stat -c %a site/state/parity.db)" = 600
check 1.9 "stored rows" test "$(sqlite3 site/state/parity.db "select sum(rows) from cells where kind='recruitment'")" = "$rows1"

# ---- month 2 --------------------------------------------------------------
cp recruitment-2026-01.csv site/inbox/
cp "$SRC/tests/data/ingest/broken.csv" site/inbox/recruitment-broken.csv
cp recruitment-to-2025-12.csv site/inbox/recruitment-resent.csv
do_cmd_test 2.1 65 "partly succeeded" \
    "$PARITY" run --config site/parity.ini --date 2026-02-05
check 2.2 "broken file quarantined" test -f site/quarantine/recruitment-broken.csv
check 2.3 "with an error report" grep -q "were refused" site/quarantine/recruitment-broken.csv.error.txt
check 2.4 "and its rejects" test -s site/quarantine/recruitment-broken.csv.rejects.csv
check 2.5 "duplicate archived, not stored" test -f site/archive/2026-02/recruitment-resent.csv
check 2.6 "changes: duplicate skipped" grep -q "skipped recruitment-resent.csv (recruitment): already ingested" site/out/2026-02/changes.txt
check 2.7 "changes: quarantined" grep -q "quarantined recruitment-broken.csv (recruitment)" site/out/2026-02/changes.txt
check 2.8 "changes: new data" grep -q "new data recruitment-2026-01.csv (recruitment): $rows2 rows" site/out/2026-02/changes.txt
check 2.8b "changes: compared with January" grep -q "interval it had in the run for 2026-01" site/out/2026-02/changes.txt
check 2.9 "no duplicate data" test "$(sqlite3 site/state/parity.db "select sum(rows) from cells where kind='recruitment'")" = "$((rows1 + rows2))"

# ---- month 3: corrected re-delivery of January (drops its first 10 rows) --
{ cat header.csv; tail -n +11 body2.csv; } > site/inbox/recruitment-2026-01-corrected.csv
do_cmd_test 3.1 0 "finished: success" \
    "$PARITY" run --config site/parity.ini --date 2026-03-05
check 3.2 "changes: corrected delivery" grep -q "corrected delivery recruitment-2026-01-corrected.csv (recruitment)" site/out/2026-03/changes.txt
check 3.3 "January replaced, not added" test "$(sqlite3 site/state/parity.db "select sum(rows) from cells where kind='recruitment'")" = "$((rows1 + rows2 - 10))"
check 3.4 "three dated folders" test "$(ls site/out | tr '\n' ' ')" = "2026-01 2026-02 2026-03 "

# ---- idempotence: the same inbox (empty) again ------------------------------
cp site/out/2026-03/results.csv results-first.csv
cp site/out/2026-03/changes.txt changes-first.txt
cp site/state/parity.db db-first
do_cmd_test 4.1 0 "0 files in the inbox" \
    "$PARITY" run --config site/parity.ini --date 2026-03-05
check 4.2 "same results" cmp -s results-first.csv site/out/2026-03/results.csv
check 4.2b "same changes.txt" cmp -s changes-first.txt site/out/2026-03/changes.txt
check 4.3 "no new data" test "$(sqlite3 site/state/parity.db "select sum(rows) from cells")" = "$(sqlite3 db-first "select sum(rows) from cells")"

# ---- history ------------------------------------------------------------------
do_cmd_test 4.4 0 "partial" "$PARITY" history --db site/state/parity.db
check 4.5 "four scheduled runs listed" test "$(grep -c ' run ' out.4.4)" = 4
check 4.6 "month 2 partly succeeded" grep -Eq '2026-02 +[0-9/]+ +partial +[0-9]+ +1 new, 0 corrected, 1 skipped, 1 quarantined' out.4.4
do_cmd_test 4.7 0 '"command": "run"' "$PARITY" history --db site/state/parity.db --json

# ---- dry run changes nothing -------------------------------------------------
cp recruitment-2026-01.csv site/inbox/recruitment-again.csv
cp "$SRC/tests/data/ingest/broken.csv" site/inbox/recruitment-broken2.csv
cksum site/state/parity.db > before.sum
do_cmd_test 5.1 65 "dry run: would write" \
    "$PARITY" run --config site/parity.ini --dry-run --date 2026-04-05
check 5.2 "inbox untouched" test "$(ls site/inbox | wc -l)" = 2
check 5.3 "database untouched" bash -c "cksum site/state/parity.db | cmp -s - before.sum"
check 5.4 "no April folder" test ! -e site/out/2026-04
check 5.5 "dry run saw the duplicate" grep -q "already ingested: would skip" out.5.1
rm site/inbox/*

# ---- configuration ---------------------------------------------------------
do_cmd_test 6.1 0 "suppress = 5" "$PARITY" run --config site/parity.ini --print-config
do_cmd_test 6.2 0 "method = koopman" "$PARITY" run --print-config
printf '[report]\nsupress = 5\n' > bad.ini
do_cmd_test 6.3 65 "bad.ini:2: [report] supress: unknown setting" "$PARITY" run --config bad.ini
# "counts" is a kind to ingest, not one with a mapping (it once wrote past
# the end of the mappings; found by fuzz_config).
printf '[mappings]\ncounts = maps.ini\n' > counts.ini
do_cmd_test 6.31 65 "counts.ini:2: [mappings] counts: not an extract kind" "$PARITY" run --config counts.ini
# An inbox folder that is no kind's ("counts" parses as a kind to ingest but
# is not one a delivery has: its files once ran with a mapping read from past
# the end of the mappings, a crash) is left alone, and said.
mkdir -p other/inbox/counts other/inbox/recruitment/late other/state
printf '[paths]\ndatabase = state/parity.db\ninbox = inbox\narchive = archive\nquarantine = quarantine\noutput = out\nlog = parity.log\n' > other/parity.ini
printf 'kind,month\n' > other/inbox/counts/c.csv
printf 'kind,month\n' > other/inbox/recruitment/late/r.csv
do_cmd_test 6.32 0 "counts: skipped: a folder not named for a kind" \
    "$PARITY" run --config other/parity.ini --date 2026-04-05
check 6.33 "a folder inside a kind's folder is said too" \
    grep -q "late: skipped: a folder inside a kind's folder" other/parity.log
check 6.34 "their files left where they were" \
    test -f other/inbox/counts/c.csv -a -f other/inbox/recruitment/late/r.csv
printf '[paths]\ninbox = nowhere\n' > noinbox.ini
do_cmd_test 6.4 66 "cannot read the inbox" "$PARITY" run --config noinbox.ini
do_cmd_test 6.5 66 "cannot open the configuration" "$PARITY" run --config missing.ini
do_cmd_test 6.6 64 "--config FILE is required" "$PARITY" run
# ---- retention: keep two output months; archive months older than 40 days
printf '[paths]\ndatabase = state/parity.db\ninbox = inbox\narchive = archive\nquarantine = quarantine\noutput = out\nlog = parity.log\n[retention]\nkeep_outputs = 2\nkeep_archive_days = 40\n' > site/keep.ini
do_cmd_test 7.1 0 "retention: removed" "$PARITY" run --config site/keep.ini --date 2026-03-20
check 7.2 "two newest output months kept" test "$(ls site/out | tr '\n' ' ')" = "2026-02 2026-03 "
check 7.3 "January archive removed, February kept" test "$(ls site/archive | tr '\n' ' ')" = "2026-02 2026-03 "
check 6.7 "integrity" test "$(sqlite3 site/state/parity.db 'pragma integrity_check')" = ok
finish
