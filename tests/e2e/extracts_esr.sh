#!/usr/bin/env bash
# extracts_esr.sh: extracts as ESR and reporting tools write them (issue 13):
# ESR's spellings of pay bands, staff groups and age bands; Oracle and other
# HR date formats; title lines above the header and totals below the rows.
source "$(dirname "$0")/lib.sh"
D=$SRC/tests/data/esr

# 1. Bands, staff groups and age bands in ESR's and NHS Jobs' spellings are
#    stored under one code each (docs/reference.md "Codes and labels"; Kline's ladder
#    uses 5, 6, 7, 8a ... 9). bands.csv, by hand: 8a is rows S02 "AfC Band
#    8a", S03 "Band 8 - Range A", S04 "Band 8A" = 3; 8b is S06 = 1.
do_cmd_test 1.1 0 "11 rows read, 11 stored, 0 rejected" \
    "$PARITY" ingest --db b.db --kind workforce "$D/bands.csv"
band_rows() { sqlite3 b.db "select sum(rows) from cells where $1"; }
check 1.2 "three ESR spellings of band 8a stored as 8a" test "$(band_rows "pay_band = '8a'")" = 3
check 1.3 "Band 8 - Range B stored as 8b" test "$(band_rows "pay_band = '8b'")" = 1
check 1.4 "no 8rangea" test "$(band_rows "pay_band like '%range%'")" = ""
check 1.5 "Band 5 and Agenda for Change Band 6" \
    test "$(band_rows "pay_band in ('5', '6')")" = 2
check 1.6 "Medical and Dental, VSM, Non AfC Grade, and Consultant (a medical grade)" \
    test "$(band_rows "pay_band in ('Medical', 'VSM', 'Non-AfC')")" = 4
# A medical pay band that names the grade gives the return's sub-group
# (S11 "Consultant"); "Medical and Dental" (S07) names none.
check 1.6b "Consultant kept as the consultants' sub-group" \
    test "$(band_rows "pay_band = 'Medical' and process = 'consultant'")" = 1
check 1.7 "ESR's truncated staff group is the full name" \
    test "$(band_rows "staff_group = 'Additional Professional Scientific and Technical'")" = 1
check 1.8 "ESR age bands: <=20 Years and >=71 Years" \
    test "$(band_rows "age_band in ('<=20', '71+', '21-25', '66-70')")" = 4
# Values that are not known bands are kept as written but warned about,
# with a count, the file and the column, never the value.
check 1.9 "pay band warning: 1 row (Band 11; Consultant is a medical grade), first on line 11" \
    grep -qF "column 'pay_band' (pay_band): 1 row holds a value that is not a known pay band (the first on line 11)" out.1.1
check 1.10 "staff group warning" \
    grep -qF "column 'staff_group' (staff_group): 1 row holds a value that is not a known staff group (the first on line 11)" out.1.1
check 1.11 "age band warning" \
    grep -qF "column 'age_band' (age_band): 1 row holds a value that is not a known age band (the first on line 11)" out.1.1
check 1.12 "the warnings do not quote the values" \
    bash -c '! grep -q "Porters\|Consultant\|Band 11\|Adult" out.1.1'
# The monthly run logs the same warnings (before, only `parity ingest`
# printed them, so an unattended run kept them from its operator).
mkdir -p site/inbox
cp "$D/bands.csv" site/inbox/workforce-bands.csv
printf '[paths]\ndatabase = p.db\ninbox = inbox\narchive = archive\nquarantine = quarantine\noutput = out\nlog = parity.log\n' > site/parity.ini
"$PARITY" run -q --config site/parity.ini --date 2026-01-05 > /dev/null 2>&1 || true
check 1.13 "parity run logs the pay band warning" \
    grep -qF "column 'pay_band' (pay_band): 1 row holds a value that is not a known pay band" site/parity.log
check 1.14 "and the log does not quote the values" \
    bash -c '! grep -q "Porters\|Consultant\|Band 11\|Adult" site/parity.log'

# 2. Dates as HR systems write them. dates.csv: three rows dated 31 March
#    2025 (Oracle 31-MAR-2025, 31/03/2025 00:00, 2025-03-31T09:15:00) and one
#    01-Apr-2024. Month index = year*12 + month-1: 2025-03 is 24302,
#    2024-04 is 24291.
do_cmd_test 2.1 0 "4 rows read, 4 stored, 0 rejected" \
    "$PARITY" ingest --db d.db --kind workforce "$D/dates.csv"
check 2.2 "three rows in March 2025" \
    test "$(sqlite3 d.db 'select sum(rows) from cells where month = 24302')" = 3
check 2.3 "one row in April 2024" \
    test "$(sqlite3 d.db 'select sum(rows) from cells where month = 24291')" = 1
# date_format = MM/DD/YYYY reads 04/01/2024 as 1 April (not 4 January) and
# 03/31/2025 as 31 March; without it, 03/31/2025 is refused (month 31).
do_cmd_test 2.4 0 "2 rows read, 2 stored, 0 rejected" \
    "$PARITY" ingest --db u.db --map "$D/dates-us.ini" "$D/dates-us.csv"
check 2.5 "04/01/2024 month first is April 2024" \
    test "$(sqlite3 u.db 'select group_concat(month) from (select distinct month from cells order by month)')" = "24291,24302"
do_cmd_test 2.6 65 "not a real calendar date" \
    "$PARITY" ingest --db u2.db --kind workforce "$D/dates-us.csv"
printf '[settings]\nkind = workforce\ndate_format = YY/DD/MM\n' > bad-format.ini
do_cmd_test 2.7 65 "date_format 'YY/DD/MM' is not DD/MM/YYYY or MM/DD/YYYY" \
    "$PARITY" ingest --db u3.db --map bad-format.ini "$D/dates-us.csv"

# 3. A report's title lines above the header and its footer below the rows.
#    staff-in-post.csv, by hand: 2 title lines, the header on line 3, rows
#    P01-P04 on lines 4-7 (P04 has 8 fields, not 10: a real reject), then
#    "Total,,,,,,,,,4" (padded to 10 fields, 2 filled) and "Report run by
#    ...": 2 footer lines. So 4 rows read, 3 stored, 1 rejected.
do_cmd_test 3.1 0 "4 rows read, 3 stored, 1 rejected" \
    "$PARITY" ingest --db s.db --max-rejects 50 --rejects-dir rej \
    --map "$D/staff-in-post.ini" "$D/staff-in-post.csv"
check 3.2 "title and footer lines are reported" \
    grep -qF "skipped: 2 title lines above the header (the mapping's header_line), 2 report footer lines" out.3.1
check 3.3 "the rejects file holds only the short row (line 7)" \
    test "$(tail -n +2 rej/staff-in-post.csv.rejects.csv | cut -d, -f1 | tr '\n' ' ')" = "7 "
check 3.4 "three rows stored, band 8a among them" \
    test "$(sqlite3 s.db "select sum(rows) || '/' || sum(case when pay_band = '8a' then rows end) from cells")" = "3/1"
# Without header_line the title is taken for the header: refused, never
# miscounted.
do_cmd_test 3.5 65 "" "$PARITY" ingest --db s2.db --kind workforce "$D/staff-in-post.csv"
printf '[settings]\nkind = workforce\nheader_line = three\n' > bad-header.ini
do_cmd_test 3.6 65 "header_line 'three' is not a line number" \
    "$PARITY" ingest --db s3.db --map bad-header.ini "$D/staff-in-post.csv"
# 4. The mapping draft sees the same frame as ingest: a saved ESR report has a
#    title and a blank line above its header, footer lines below its rows, and
#    Oracle dates. Rows by hand: the sample's first 29 workforce rows.
{ echo "Staff In Post - Headcount report, run 02-APR-2025"; echo ""
  head -30 "$SRC/sample-data/workforce.csv" | sed 's/,\(20[0-9][0-9]\)-03-31,/,31-MAR-\1,/'
  echo "Total,,,,29"; echo "Report run by ESR BI"; } > sip.csv
do_cmd_test 4.1 0 "the header is on line 3" \
    "$PARITY" mapping --suggest --kind workforce sip.csv --out sip.ini
check 4.2 "the draft says header_line = 3" grep -q "^header_line = 3 " sip.ini
check 4.3 "every column matched by name (no TODO line)" bash -c '! grep -v "^;" sip.ini | grep -q TODO'
check 4.4 "the footer lines are noted" grep -q "2 report footer lines" sip.ini
do_cmd_test 4.5 0 "29 rows read, 29 stored, 0 rejected" \
    "$PARITY" ingest --db sip.db --kind workforce --map sip.ini sip.csv
# US-ordered dates (03/31/2022, read only month first) and two impossible
# ones (2022-31-03): the draft proposes date_format and says what ingest
# will refuse, so it never looks finished when ingest would refuse rows.
{ head -3 sip.csv; sed -n 4,20p sip.csv | sed 's/,31-MAR-\(20[0-9][0-9]\),/,03\/31\/\1,/'
  sed -n 21,22p sip.csv | sed 's/,31-MAR-\(20[0-9][0-9]\),/,\1-31-03,/'; } > us.csv
do_cmd_test 4.6 0 "2 rows of those checked have a date ingest will refuse" \
    "$PARITY" mapping --suggest --kind workforce us.csv --out us.ini
check 4.7 "the draft proposes MM/DD" grep -q "^date_format = MM/DD/YYYY " us.ini
check 4.8 "and notes the refused dates" grep -q "2 rows of those checked hold a date in 'snapshot_date' that ingest will refuse" us.ini
# A plain extract has no title: no header_line, no date_format guess from ISO dates.
do_cmd_test 4.9 0 "" "$PARITY" mapping --suggest --kind workforce \
    "$SRC/sample-data/workforce.csv" --out plain.ini
check 4.10 "no header_line for a plain extract" bash -c '! grep -q "^header_line" plain.ini'
check 4.11 "no date_format for ISO dates" bash -c '! grep -q "^date_format" plain.ini'

finish
