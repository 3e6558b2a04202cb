#!/usr/bin/env bash
# quality_cli.sh: `parity quality`: the data-quality summary of a database
# built from the test extracts. Expected counts are taken by hand from the
# extracts (see tests/engine/test_quality.c for the working).
source "$(dirname "$0")/lib.sh"
D=$SRC/tests/data/ingest
S=$SRC/tests/data/suggest

do_cmd_test 1.1 66 "no such database" "$PARITY" quality --db missing.db
do_cmd_test 1.2 64 "--db DB is required" "$PARITY" quality
do_cmd_test 1.3 64 "did you mean '--json'" "$PARITY" quality --db q.db --jsn
do_cmd_test 1.4 0 "Usage: parity quality" "$PARITY" quality --help

"$PARITY" ingest -q --db q.db --kind recruitment "$D/canonical.csv"
"$PARITY" ingest -q --db q.db --map "$D/awkward.ini" "$D/awkward.csv"
"$PARITY" ingest -q --db q.db --kind recruitment --encoding windows-1252 "$D/cp1252.csv"
"$PARITY" ingest -q --db q.db --map "$S/workforce.expected.ini" "$S/workforce.csv"

# Text. canonical.csv: ethnic not stated 1 (APP-07) and not known 1
# (APP-11) of 12 = 8.3% each.
do_cmd_test 2.1 0 "4 files ingested, 4 in use" "$PARITY" quality --db q.db
grep -A12 'canonical.csv' out.2.1 >canonical.txt
check 2.2 "canonical: rows" grep -q 'rows: 12 read, 12 accepted, 0 rejected' canonical.txt
check 2.3 "canonical: ethnic category 1 (8.3%) not stated, 1 (8.3%) not known" \
    grep -Eq '^  ethnic_category +1 +8\.3% +1 +8\.3% +12$' canonical.txt
check 2.4 "canonical: short SHA-256 shown" \
    grep -Eq 'SHA-256 [0-9a-f]{12};' canonical.txt
check 2.5 "canonical: months covered" grep -q 'months 2024-04 to 2025-03' canonical.txt
# Recruitment, 3 files, 20 rows: ethnic not stated 2 (10.0%), not known 1
# (5.0%); disability 2 disabled of 18 declared (11.1%).
sed -n '/^Total, recruitment/,/^$/p' out.2.1 >recruitment.txt
check 2.6 "recruitment total: 3 files" grep -q '(3 files in use)' recruitment.txt
check 2.7 "recruitment total: ethnic category" \
    grep -Eq '^  ethnic_category +2 +10\.0% +1 +5\.0% +20$' recruitment.txt
check 2.8 "recruitment total: disability share" \
    grep -q '2 disabled, 16 not disabled (11.1% disabled of those declared)$' recruitment.txt
# Workforce: 1 disabled of 31 declared = 3.2%: flagged.
check 2.9 "workforce flagged" \
    grep -q '^- workforce: only 3.2% of the 31 records with a declared disability status' out.2.1
check 2.10 "recruitment not flagged" test "$(grep -c '^- recruitment' out.2.1)" = 0
# All 60 rows: ethnic not stated 5 (8.3%), not known 3 (5.0%).
sed -n '/^Total, all 4 files in use/,/^$/p' out.2.1 >all.txt
check 2.11 "all files: ethnic category" \
    grep -Eq '^  ethnic_category +5 +8\.3% +3 +5\.0% +60$' all.txt

# JSON: shares as fractions; 2 of 20 is exactly 0.1.
do_cmd_test 3.1 0 '"kind": "recruitment", "files": 3' "$PARITY" quality --db q.db --json
check 3.2 "recruitment ethnic shares" grep -q \
    '"characteristic": "ethnic_category", "total": 20, "not_stated": 2, "not_known": 1, "share_not_stated": 0.1, "share_not_known": 0.05}' out.3.1
check 3.3 "workforce disability flagged" grep -q \
    '"disability": {"disabled": 1, "not_disabled": 30, "share_disabled_of_declared": 0.03225806451612903, "low": true}' out.3.1
check 3.4 "one note" grep -q '"notes": \["workforce: only 3.2%' out.3.1
check 3.5 "valid JSON (python3 says so; fails without python3)" \
    python3 -m json.tool out.3.1

# Rejects by reason: broken.csv, every reject allowed.
"$PARITY" ingest -q --db b.db --kind recruitment --max-rejects 100 \
    --rejects-dir rej "$D/broken.csv" || true
do_cmd_test 4.1 0 "rows: 7 read, 2 accepted, 5 rejected (71.4%)" "$PARITY" quality --db b.db
check 4.2 "reasons, by count then name" grep -q \
    'rejected by reason: 1 appointed but not shortlisted, 1 bad organisation, 1 duplicate id, 1 invalid date, 1 wrong number of fields' out.4.1

# A re-delivery that replaces every organisation-month of the first file.
sed 's/^APP-07,R0A,2024-05-04,Z,/APP-07,R0A,2024-05-04,A,/' "$D/canonical.csv" >redelivery.csv
"$PARITY" ingest -q --db r.db --kind recruitment "$D/canonical.csv"
"$PARITY" ingest -q --db r.db --kind recruitment --replace redelivery.csv
do_cmd_test 5.1 0 "(replaced by a later delivery: not in the totals)" \
    "$PARITY" quality --db r.db
check 5.2 "totals from the re-delivery only" grep -q '(1 file in use)' out.5.1

# An empty database.
"$PARITY" ingest -q --db e.db --kind recruitment missing.csv 2>/dev/null || true
do_cmd_test 6.1 0 "No files ingested yet" "$PARITY" quality --db e.db
finish
