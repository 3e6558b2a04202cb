#!/usr/bin/env bash
# counts_safety.sh: counts are never wrong in silence. Each case failed
# before its fix (base 626f1cf) as its comment says; expected counts are
# worked out by hand from the rows written here.
source "$(dirname "$0")/lib.sh"

REC=application_id,organisation,date,ethnic_category,sex,disability,age_band,pay_band,staff_group,shortlisted,appointed
TRN=staff_id,organisation,date,ethnic_category,sex,disability,age_band,pay_band,staff_group
CNT=kind,month,organisation,ethnic_category,sex,disability,age_band,pay_band,staff_group,contract,process,grounds,sexual_orientation,religion,rows,shortlisted,appointed
sum_rows() { sqlite3 "$1" "select ifnull(sum(rows),0) from cells ${2:-}"; }

# ---- 1. rows of bare delimiters (spreadsheet exports) ------------------------
# 20 applications, then 200 rows of ",,,,,,,,,," and 3 of ";" style (fewer
# fields). Before: each was "wrong number of fields" or "missing id", 203 of
# 223 rows refused, over the 1% limit: exit 65.
{
    echo "$REC"
    for i in $(seq 1 20); do echo "A$i,R0A,2024-05-10,A,F,N,25-34,5,Nursing,Y,N"; done
    for i in $(seq 1 200); do echo ",,,,,,,,,,"; done
    echo ",,,"; echo " , ,"; echo '"","",""'
} > bare.csv
do_cmd_test 1.1 0 "203 empty rows skipped" \
    "$PARITY" ingest --db bare.db --kind recruitment bare.csv
check 1.2 "20 rows read, 20 stored, 0 rejected" grep -qF "20 rows read, 20 stored, 0 rejected" out.1.1
check 1.3 "the store holds the 20 applications" test "$(sum_rows bare.db)" = 20

# ---- 2. counts whose sum passes 10^12 ------------------------------------------
# 1,001 cells of 10^9 rows: each within the per-cell limit, the sum 1.001e12
# past the 10^12 an analysis accepts. Before: stored (exit 0), then every
# analysis exited 64. Now refused at ingest (65) at the row that passes it:
# data row 1,001 is line 1,002.
{
    echo "$CNT"
    for i in $(seq 1 1001); do
        echo "recruitment,2024-04,R$i,A,F,N,25-34,5,Nursing,,,,,,1000000000,0,0"
    done
} > huge.csv
do_cmd_test 2.1 65 "huge.csv:1002: column 'rows'" \
    "$PARITY" ingest --db huge.db --kind counts huge.csv
check 2.2 "nothing stored" test "$(sum_rows huge.db)" = 0
# 1,000 such cells are exactly 10^12: accepted.
head -n 1001 huge.csv > edge.csv
do_cmd_test 2.3 0 "1000 rows read, 1000 stored" \
    "$PARITY" ingest --db edge.db --kind counts edge.csv
# One more cell in a second file takes the store past it: refused too.
{ echo "$CNT"; echo "recruitment,2024-05,R1,A,F,N,25-34,5,Nursing,,,,,,1,0,0"; } > more.csv
do_cmd_test 2.4 65 "more.csv:2: column 'rows'" \
    "$PARITY" ingest --db edge.db --kind counts more.csv

# ---- 3. the mapping's [organisation] section ------------------------------------
# Before: the section was accepted and ignored: "rxq" stayed "rxq", a second
# organisation beside "RXQ".
{
    echo "$REC"
    echo "B1,RXQ,2024-06-03,A,F,N,25-34,5,Nursing,Y,Y"
    echo "B2,rxq,2024-06-04,N,F,N,25-34,5,Nursing,Y,N"
    echo "B3,R XQ,2024-06-05,N,F,N,25-34,5,Nursing,N,N"
} > orgs.csv
cat > orgs.ini <<'INI'
[settings]
kind = recruitment

[organisation]
rxq = RXQ
INI
do_cmd_test 3.1 0 "3 rows read, 3 stored" \
    "$PARITY" ingest --db orgmap.db --map orgs.ini orgs.csv
# parity_code_key matching ignores case and spacing: all three are RXQ.
check 3.2 "one organisation, RXQ, 3 rows" \
    test "$(sqlite3 orgmap.db "select group_concat(o) from (select distinct organisation o from cells)")" = RXQ
# Without the mapping the three spellings are kept apart, and ingest says so
# with the rows of each (1 each, none stored before).
do_cmd_test 3.3 0 "differ only in case or spacing" \
    "$PARITY" ingest --db orgwarn.db --kind recruitment orgs.csv
check 3.4 "the warning names the file and counts each spelling" \
    grep -qF '"R XQ" (1 rows in this file, 0 stored before), "RXQ" (1 rows in this file, 0 stored before), "rxq" (1 rows in this file, 0 stored before)' out.3.3
# Across files: "rxq" stored, "RXQ" arriving.
{ echo "$REC"; echo "C1,rxq,2024-07-03,A,F,N,25-34,5,Nursing,Y,Y"; } > org1.csv
{ echo "$REC"; echo "C2,RXQ,2024-08-03,A,F,N,25-34,5,Nursing,Y,Y"
  echo "C3,RXQ,2024-08-04,A,F,N,25-34,5,Nursing,Y,N"; } > org2.csv
do_cmd_test 3.5 0 "" "$PARITY" ingest --db orgwarn2.db --kind recruitment org1.csv
do_cmd_test 3.6 0 '"RXQ" (2 rows in this file, 0 stored before), "rxq" (0 rows in this file, 1 stored before)' \
    "$PARITY" ingest --db orgwarn2.db --kind recruitment org2.csv
# An organisation cannot be mapped to "not stated".
printf '[settings]\nkind = recruitment\n[organisation]\nrxq = not stated\n' > orgz.ini
do_cmd_test 3.7 65 "orgz.ini:4" "$PARITY" ingest --db orgz.db --map orgz.ini orgs.csv

# ---- 4. --replace removes only what the new file supersedes -----------------
# A June cut mid-month: a.csv holds 124 applications dated 1-14 June, b.csv
# 124 dated 15-30 June. Before: b.csv with --replace threw a.csv's June away
# (248 rows became 124) and said only "replaced an earlier delivery";
# without --replace it was refused as an overlap. Now they add up: 248.
june() { # june FILE PREFIX FIRST_DAY LAST_DAY ROWS
    { echo "$REC"
      for i in $(seq 1 "$5"); do
          printf '%s%d,R0A,2024-06-%02d,A,F,N,25-34,5,Nursing,Y,N\n' "$2" "$i" \
              $(( $3 + (i - 1) % ($4 - $3 + 1) ))
      done; } > "$1"
}
june a.csv A 1 14 124
june b.csv B 15 30 124
do_cmd_test 4.1 0 "124 rows read, 124 stored" "$PARITY" ingest --db cut.db --kind recruitment a.csv
do_cmd_test 4.2 0 "124 rows read, 124 stored" "$PARITY" ingest --db cut.db --kind recruitment --replace b.csv
check 4.3 "both halves of June kept: 124 + 124 = 248" test "$(sum_rows cut.db)" = 248
check 4.4 "nothing said to be replaced" eval '! grep -q replaced out.4.2'
# The same two files without --replace: they do not overlap, so both go in.
do_cmd_test 4.5 0 "" "$PARITY" ingest --db cut2.db --kind recruitment a.csv
do_cmd_test 4.6 0 "124 rows read, 124 stored" "$PARITY" ingest --db cut2.db --kind recruitment b.csv
check 4.7 "248 without --replace too" test "$(sum_rows cut2.db)" = 248
# A correction of the first half (1-14 June, 120 rows) supersedes a.csv's
# June and nothing of b.csv's: 120 + 124 = 244, and the message says how
# many rows went and from which file (a.csv's 124).
june a2.csv C 1 14 120
do_cmd_test 4.8 0 "removed 124 rows" "$PARITY" ingest --db cut.db --kind recruitment --replace a2.csv
check 4.9 "the message names the earlier file" grep -qF "of a.csv" out.4.8
check 4.10 "120 + 124 = 244" test "$(sum_rows cut.db)" = 244
check 4.11 "b.csv's half untouched" test "$(sum_rows cut.db "where file_id = 2")" = 124
# A file for 10-20 June overlaps both halves but covers neither whole:
# cells are monthly, so what it corrects cannot be told apart. Refused, and
# the store is unchanged.
june c.csv D 10 20 30
do_cmd_test 4.12 65 "cannot replace" "$PARITY" ingest --db cut.db --kind recruitment --replace c.csv
check 4.13 "still 244" test "$(sum_rows cut.db)" = 244
# Without --replace, an overlap is refused as before.
do_cmd_test 4.14 65 "already delivered" "$PARITY" ingest --db cut.db --kind recruitment c.csv
# A whole-month re-delivery (1-30 June, 200 rows) supersedes both halves:
# 244 rows of two files go, 200 stay.
june all.csv E 1 30 200
do_cmd_test 4.15 0 "120 rows (1 cell) of a2.csv" "$PARITY" ingest --db cut.db --kind recruitment --replace all.csv
check 4.16 "and 124 rows of b.csv" grep -qF "124 rows (1 cell) of b.csv" out.4.15
check 4.17 "200 rows" test "$(sum_rows cut.db)" = 200
# The monthly job (replace_redeliveries = yes) keeps both halves too.
mkdir -p site/inbox site/state
cp a.csv site/inbox/recruitment-june-a.csv
cp b.csv site/inbox/recruitment-june-b.csv
printf '[paths]\ndatabase = state/parity.db\ninbox = inbox\narchive = archive\nquarantine = quarantine\noutput = out\nlog = parity.log\n[ingest]\nreplace_redeliveries = yes\n' > site/parity.ini
do_cmd_test 4.18 0 "" "$PARITY" run --config site/parity.ini --date 2024-07-05
check 4.19 "the run stored 248 June rows" test "$(sum_rows site/state/parity.db)" = 248

# A correction that lost the rows of its first day (2-14 June for 1-14
# June: 13 of the earlier 14 days, at least half) still supersedes, and
# says that the earlier file's other days went with the month: 40 rows.
june x.csv X 1 14 50
june y.csv Y 2 14 40
do_cmd_test 4.20 0 "" "$PARITY" ingest --db edge2.db --kind recruitment x.csv
do_cmd_test 4.21 0 "50 rows (1 cell) of x.csv (which also had days outside" \
    "$PARITY" ingest --db edge2.db --kind recruitment --replace y.csv
check 4.22 "40 rows" test "$(sum_rows edge2.db)" = 40

# ---- 5. training: a person counts once per organisation and year -----------
# Monthly deliveries. may.csv: TRN-01..10 at R0A in May 2024. june.csv:
# TRN-05..14 at R0A (6 already counted in May, 4 new) and TRN-01 at R0B
# (another organisation: counted there). Before: 10 + 11 = 21 (each
# delivery counted on its own). Now 10 + 4 + 1 = 15, as the rule of docs/reference.md
# (one person, one organisation, one financial year) gives.
trn() { # trn FILE ORG YYYY-MM FIRST LAST
    [ -f "$1" ] || echo "$TRN" > "$1"
    { for i in $(seq "$4" "$5"); do
          printf 'TRN-%02d,%s,%s-10,A,F,N,25-34,5,Nursing\n' "$i" "$2" "$3"
      done; } >> "$1"
}
trn may.csv R0A 2024-05 1 10
trn june.csv R0A 2024-06 5 14
trn june.csv R0B 2024-06 1 1
do_cmd_test 5.1 0 "10 rows read, 10 stored" "$PARITY" ingest --db trn.db --kind training may.csv
do_cmd_test 5.2 0 "6 training rows for people already counted" \
    "$PARITY" ingest --db trn.db --kind training june.csv
check 5.3 "10 + 4 + 1 = 15 people" test "$(sum_rows trn.db)" = 15
check 5.4 "R0B counts its one person" test "$(sum_rows trn.db "where organisation = 'R0B'")" = 1
check 5.5 "June at R0A counts the 4 new people" \
    test "$(sum_rows trn.db "where organisation = 'R0A' and month = 2024 * 12 + 5")" = 4
# A new financial year starts a fresh count: TRN-01..03 in April 2025.
trn apr.csv R0A 2025-04 1 3
do_cmd_test 5.6 0 "3 rows read, 3 stored" "$PARITY" ingest --db trn.db --kind training apr.csv
check 5.7 "15 + 3 = 18" test "$(sum_rows trn.db)" = 18
check 5.8 "the new year's 3 are counted" \
    test "$(sum_rows trn.db "where month = 2025 * 12 + 3")" = 3
# No id is stored, in the clear or otherwise readable.
check 5.9 "no staff id in the database" eval '! sqlite3 trn.db .dump | grep -q "TRN-"'
# Training of 2026/27 closes 2024/25: its people and key are deleted, and a
# further 2024/25 delivery is refused (it could count people twice).
trn apr26.csv R0A 2026-04 1 2
do_cmd_test 5.10 0 "2 rows read, 2 stored" "$PARITY" ingest --db trn.db --kind training apr26.csv
check 5.11 "2024/25's people forgotten" \
    test "$(sqlite3 trn.db "select count(*) from training_people where year <= 2024")" = 0
check 5.12 "and its key" \
    test "$(sqlite3 trn.db "select count(*) from meta where key = 'training_key_2024'")" = 0
trn late.csv R0A 2024-07 20 21
do_cmd_test 5.13 65 "late.csv:2: column 'date'" "$PARITY" ingest --db trn.db --kind training late.csv
check 5.14 "still 20" test "$(sum_rows trn.db)" = 20

finish
