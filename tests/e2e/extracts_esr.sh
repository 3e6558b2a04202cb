#!/usr/bin/env bash
# extracts_esr.sh: extracts as ESR and reporting tools write them (issue 13):
# ESR's spellings of pay bands, staff groups and age bands; Oracle and other
# HR date formats; title lines above the header and totals below the rows.
source "$(dirname "$0")/lib.sh"
D=$SRC/tests/data/esr

# 1. Bands, staff groups and age bands in ESR's and NHS Jobs' spellings are
#    stored under one code each (README "Codes and labels"; Kline's ladder
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
check 1.6 "Medical and Dental, VSM, Non AfC Grade" \
    test "$(band_rows "pay_band in ('Medical', 'VSM', 'Non-AfC')")" = 3
check 1.7 "ESR's truncated staff group is the full name" \
    test "$(band_rows "staff_group = 'Additional Professional Scientific and Technical'")" = 1
check 1.8 "ESR age bands: <=20 Years and >=71 Years" \
    test "$(band_rows "age_band in ('<=20', '71+', '21-25', '66-70')")" = 4
# Values that are not known bands are kept as written but warned about,
# with a count, the file and the column, never the value.
check 1.9 "pay band warning: 2 rows (Band 11, Consultant), first on line 11" \
    grep -qF "column 'pay_band' (pay_band): 2 rows hold a value that is not a known pay band (the first on line 11)" out.1.1
check 1.10 "staff group warning" \
    grep -qF "column 'staff_group' (staff_group): 1 row holds a value that is not a known staff group (the first on line 11)" out.1.1
check 1.11 "age band warning" \
    grep -qF "column 'age_band' (age_band): 1 row holds a value that is not a known age band (the first on line 11)" out.1.1
check 1.12 "the warnings do not quote the values" \
    bash -c '! grep -q "Porters\|Consultant\|Band 11\|Adult" out.1.1'
finish
