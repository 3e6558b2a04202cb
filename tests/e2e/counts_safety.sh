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

finish
