#!/usr/bin/env bash
# export_cli.sh: `parity export --counts` and `parity ingest --kind counts`:
# the aggregate round trip (byte-identical, same cube), validation of
# counts files with exit codes and messages, suppression for publishing.
source "$(dirname "$0")/lib.sh"
S=$SRC/sample-data
D=$SRC/tests/data/counts

# 1. the round trip: sample -> export -> fresh database -> export again
for k in recruitment workforce disciplinary training; do
    "$PARITY" ingest -q --db a.db --kind "$k" "$S/$k.csv"
done
do_cmd_test 1.1 0 "cells, 113903 rows in all" "$PARITY" export --db a.db --counts a.csv
check 1.2 "export is owner-only" test "$(stat -c %a a.csv)" = 600
do_cmd_test 1.3 0 "stored, 0 rejected" "$PARITY" ingest --db b.db --kind counts a.csv
do_cmd_test 1.4 0 "" "$PARITY" export --db b.db --counts b.csv
check 1.5 "second export is byte-identical" cmp -s a.csv b.csv
cube='select kind, month, organisation, ethnic_category, sex, disability, age_band,
  pay_band, staff_group, contract, process, grounds, sexual_orientation, religion,
  sum(rows), sum(shortlisted), sum(appointed) from cells group by 1,2,3,4,5,6,7,8,9,
  10,11,12,13,14 order by 1,2,3,4,5,6,7,8,9,10,11,12,13,14'
sqlite3 a.db "$cube" >cube.a
sqlite3 b.db "$cube" >cube.b
check 1.6 "the cubes are equal" cmp -s cube.a cube.b
# Sample README: 52,500 applications, 42,672 staff rows, 873 cases, 17,858 training rows
check 1.7 "row totals per kind" test "$(sqlite3 b.db "select group_concat(kind||'='||n, ' ') from (select kind, sum(rows) n from cells group by kind order by kind)")" = \
    "disciplinary=873 recruitment=52500 training=17858 workforce=42672"
check 1.8 "header" test "$(head -1 a.csv)" = \
    "kind,month,organisation,ethnic_category,sex,disability,age_band,pay_band,staff_group,contract,process,grounds,sexual_orientation,religion,stage,rows,shortlisted,appointed"
do_cmd_test 1.9 0 "already ingested" "$PARITY" ingest --db b.db --kind counts a.csv

# 2. coverage is per kind: counts for another kind of the same months are
# taken; counts for the same kind need --replace
do_cmd_test 2.1 0 "4 rows read, 4 stored" "$PARITY" ingest --db c.db --kind counts "$D/good.csv"
check 2.2 "neutralised text restored" test "$(sqlite3 c.db "select ethnic_category from cells where organisation='R9B'")" = "-dash"
do_cmd_test 2.3 0 "" "$PARITY" export --db c.db --counts c.csv
check 2.4 "formula-like text neutralised on export" grep -q "R9B,'-dash,M" c.csv
printf 'application_id,organisation,date,ethnic_category,sex,disability,age_band,pay_band,staff_group,shortlisted,appointed\nX1,R9A,2024-03-05,A,F,N,25-34,5,Nursing,Y,N\n' >rec.csv
do_cmd_test 2.5 0 "1 rows read, 1 stored" "$PARITY" ingest --db c.db --kind recruitment rec.csv
printf 'application_id,organisation,date,ethnic_category,sex,disability,age_band,pay_band,staff_group,shortlisted,appointed\nX1,R9A,2024-04-05,A,F,N,25-34,5,Nursing,Y,N\n' >rec2.csv
do_cmd_test 2.6 65 "holds recruitment data for R9A in 2024-04" \
    "$PARITY" ingest --db c.db --kind recruitment rec2.csv
do_cmd_test 2.7 0 "replaced an earlier delivery" \
    "$PARITY" ingest --db c.db --kind recruitment --replace rec2.csv
check 2.8 "replace took only recruitment 2024-04 of R9A" test \
    "$(sqlite3 c.db "select group_concat(kind||':'||month||':'||n, ' ') from (select kind, month, sum(rows) n from cells where organisation='R9A' group by 1,2 order by 1,2)")" = \
    "recruitment:24290:1 recruitment:24291:1 workforce:24290:40"

# 3. validation: every bad row is refused with its reason and line
do_cmd_test 3.1 65 "9 of 11 rows (81.8%) were refused" \
    "$PARITY" ingest --db d.db --kind counts --rejects-dir rej "$D/bad.csv"
check 3.2 "refused file left no cells" test "$(sqlite3 d.db 'select count(*) from cells')" = 0
r=rej/bad.csv.rejects.csv
check 3.3 "negative count" grep -q '^3,"column '"'"'rows'"'"': ""-3"" is not a non-negative whole number"' $r
check 3.4 "non-numeric count" grep -q '^4,.*""ten"" is not a non-negative whole number' $r
check 3.5 "billion-row claim" grep -q '^5,.*2000000000 is more than 1,000,000,000 in one cell' $r
check 3.6 "shortlisted over rows" grep -q '^6,"counts do not add up: rows 5, shortlisted 6' $r
check 3.7 "appointed over shortlisted" grep -q '^7,"counts do not add up: rows 5, shortlisted 2, appointed 3' $r
check 3.8 "bad month" grep -q '^8,.*""2024-13"" is not a month written YYYY-MM' $r
check 3.9 "unknown kind" grep -q '^9,.*unknown kind ""payroll""' $r
check 3.10 "duplicate cell with its first line" grep -q '^10,"duplicate cell: .*(first on line 2)' $r
check 3.11 "shortlisted in a workforce cell" grep -q '^11,counts do not add up: a workforce cell' $r
check 3.12 "rejects in line order" test "$(tail -n +2 $r | cut -d, -f1 | tr '\n' ' ')" = "3 4 5 6 7 8 9 10 11 "
do_cmd_test 3.13 0 "11 rows read, 2 stored, 9 rejected" \
    "$PARITY" ingest --db d.db --kind counts --max-rejects 100 --rejects-dir rej "$D/bad.csv"
check 3.14 "a billion in one cell is the limit, not over it" test \
    "$(sqlite3 d.db 'select sum(rows) from cells')" = 1000000010
do_cmd_test 3.15 65 "required column 'sex' is missing from this counts file" \
    "$PARITY" ingest --db d.db --kind counts "$D/wrong_header.csv"

# 4. suppression for publishing
"$PARITY" ingest -q --db f.db --kind counts "$D/good.csv"
do_cmd_test 4.1 0 "this file cannot be ingested" \
    "$PARITY" export --db f.db --counts pub.csv --suppress 5
check 4.2 "comment line first" grep -q '^# parity aggregate export - SUPPRESSED' pub.csv
# good.csv, R9A 2024-04 A: 10 rows, 6 shortlisted, 2 appointed. 2 is small
# (<5); 10 - 6 = 4 would reveal the 4 not shortlisted, so 10 or 6 is
# withheld: the disclosure gate hides the smaller, 6 (then neither the 4
# not shortlisted nor the 4 not appointed can be worked out).
check 4.3 "small and revealing counts hidden" grep -q '^recruitment,2024-04,R9A,A,F,N,25-34,5,Nursing,,,,,,,10,\*,<5$' pub.csv
# 5, 5, 5: all shown (no small count, no small difference)
check 4.4 "nothing hidden when nothing is small" grep -q ",5,5,5$" pub.csv
do_cmd_test 4.5 65 "cannot be ingested" "$PARITY" ingest --db e.db --kind counts pub.csv
# NHS Digital: 1 to 7 are *, others rounded to the nearest 5 (10 stays 10).
do_cmd_test 4.6 0 "NHS Digital" \
    "$PARITY" export --db f.db --counts nhsd.csv --disclosure nhs-digital
check 4.7 "R9A: 10 rounded, 6 and 2 starred" \
    grep -q '^recruitment,2024-04,R9A,A,F,N,25-34,5,Nursing,,,,,,,10,\*,\*$' nhsd.csv
check 4.8 "no count from 1 to 7, every other a multiple of 5" \
    bash -c "grep -v '^#' nhsd.csv | tail -n +2 | awk -F, '{ for (k = NF - 2; k <= NF; k++) if (\$k != \"*\" && (\$k % 5 || (\$k >= 1 && \$k <= 7))) bad = 1 } END { exit bad }'"
do_cmd_test 4.9 64 "choose one" \
    "$PARITY" export --db f.db --counts x.csv --suppress 5 --disclosure nhs-digital

# 5. usage
do_cmd_test 5.1 64 "--counts FILE is required" "$PARITY" export --db a.db
do_cmd_test 5.2 64 "--suppress '1'" "$PARITY" export --db a.db --counts x.csv --suppress 1
do_cmd_test 5.3 66 "no such database" "$PARITY" export --db nothere.db --counts x.csv
do_cmd_test 5.4 64 "did you mean 'counts'" "$PARITY" ingest --db x.db --kind count "$D/good.csv"
do_cmd_test 5.5 0 "Usage: parity export" "$PARITY" export --help
finish
