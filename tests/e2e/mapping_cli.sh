#!/usr/bin/env bash
# mapping_cli.sh: `parity mapping --suggest` from the command line. The
# acceptance test of the issue: the draft for the awkward extract, once only
# its TODO targets are filled in, ingests the file; unfilled, it is refused.
source "$(dirname "$0")/lib.sh"
D=$SRC/tests/data/ingest
S=$SRC/tests/data/suggest

# No comment lines, no inline comments, no blank lines, no empty sections:
# what the loader reads.
strip() {
    sed -e 's/\r$//' -e 's/ ;.*$//' -e '/^;/d' -e '/^$/d' "$1" |
        awk '/^\[/ { held = $0; next }
             { if (held != "") print held; held = ""; print }'
}
# Lines of a file longer than libinih's 199-byte line buffer.
long_lines() { awk 'length($0) > 198' "$1" | wc -l; }

# 1. The awkward extract: semicolons, BOM, CRLF, other names, labels, and
#    two values nothing knows ("White Polish", "Declined to specify").
do_cmd_test 1.1 0 "1 value guessed (CHECK), 1 value to fill in (TODO)" \
    "$PARITY" mapping --suggest --kind recruitment --out awkward.ini "$D/awkward.csv"
check 1.2 "settings: kind and the detected delimiter" \
    grep -q '^delimiter = semicolon ;' awkward.ini
check 1.3 "column matched by synonym" \
    grep -qx 'application_id = Applicant Ref ; matched by synonym' awkward.ini
check 1.4 "White Polish guessed, marked CHECK" \
    grep -q '^White Polish = C ; CHECK' awkward.ini
check 1.5 "Declined to specify marked TODO" \
    grep -q '^Declined to specify = TODO ;' awkward.ini
check 1.6 "known values listed with row counts" \
    grep -q '"WHITE BRITISH" = A (1)' awkward.ini
check 1.7 "no line longer than libinih reads" test "$(long_lines awkward.ini)" = 0
do_cmd_test 1.8 65 "still says TODO: replace it with a code" \
    "$PARITY" ingest --db a.db --map awkward.ini "$D/awkward.csv"
check 1.9 "the refused draft left no database rows" \
    test ! -s a.db -o "$(sqlite3 a.db 'select count(*) from cells' 2>/dev/null || echo 0)" = 0
# Fill in only the TODO targets.
sed -i -e 's/^Declined to specify = TODO.*/Declined to specify = not stated/' awkward.ini
check 1.10 "no TODO left" test "$(grep -c '= TODO' awkward.ini)" = 0
do_cmd_test 1.11 0 "6 rows read, 6 stored, 0 rejected" \
    "$PARITY" ingest --db a.db --map awkward.ini "$D/awkward.csv"
# By hand: A x2 (White - British, WHITE BRITISH), N, H, C (White Polish),
# Z (Declined to specify).
check 1.12 "ethnic categories as coded by hand" test \
    "$(sqlite3 a.db "select group_concat(e || ':' || n, ' ') from (select ethnic_category e, sum(rows) n from cells group by e order by e)")" \
    = "A:2 C:1 H:1 N:1 Z:1"

# 2. A canonical extract: everything matched, nothing to do.
do_cmd_test 2.1 0 "0 values guessed (CHECK), 0 values to fill in (TODO)" \
    "$PARITY" mapping --suggest --kind recruitment --out canonical.ini "$D/canonical.csv"
check 2.2 "no TODO or CHECK" test "$(grep -c -e '= TODO' -e '; CHECK' canonical.ini)" = 0
do_cmd_test 2.3 0 "12 rows read, 12 stored" \
    "$PARITY" ingest --db c.db --map canonical.ini "$D/canonical.csv"

# 3. Windows-1252: detected, said, and the draft ingests without --encoding.
do_cmd_test 3.1 0 "not valid UTF-8: it was read as Windows-1252" \
    "$PARITY" mapping --suggest --kind recruitment --out cp.ini "$S/cp1252_labels.csv"
check 3.2 "encoding = windows-1252" grep -q '^encoding = windows-1252 ;' cp.ini
check 3.3 "a non-ASCII value marked TODO, in UTF-8" grep -q '^Européen = TODO' cp.ini
sed -i -e 's/^Européen = TODO.*/Européen = C/' cp.ini
do_cmd_test 3.4 0 "4 rows read, 4 stored" \
    "$PARITY" ingest --db cp.db --map cp.ini "$S/cp1252_labels.csv"
do_cmd_test 3.5 0 "" \
    "$PARITY" mapping --suggest --kind recruitment --out cp2.ini "$D/cp1252.csv"
do_cmd_test 3.6 0 "2 rows read, 2 stored" \
    "$PARITY" ingest --db cp.db --map cp2.ini "$D/cp1252.csv"
do_cmd_test 3.7 65 "invalid UTF-8" \
    "$PARITY" mapping --suggest --kind recruitment --encoding utf-8 "$D/cp1252.csv"

# 4. An ESR-style workforce extract: the draft, comments aside, is the
#    mapping written by hand from its header and values.
do_cmd_test 4.1 0 "3 values guessed (CHECK), 0 values to fill in (TODO)" \
    "$PARITY" mapping --suggest --kind workforce --out wf.ini "$S/workforce.csv"
strip wf.ini >wf.stripped
strip "$S/workforce.expected.ini" >wf.expected
check 4.2 "draft equals the hand-written mapping" diff -u wf.expected wf.stripped
do_cmd_test 4.3 0 "40 rows read, 40 stored" \
    "$PARITY" ingest --db wf.db --map wf.ini "$S/workforce.csv"

# 5. A required column missing: a commented TODO listing the headers.
do_cmd_test 5.1 0 "1 required column not found (TODO)" \
    "$PARITY" mapping --suggest --kind recruitment --out partial.ini "$S/partial.csv"
check 5.2 "commented TODO for application_id" \
    grep -q '^; application_id = TODO ; REQUIRED' partial.ini
check 5.3 "near spelling marked CHECK" \
    grep -q '^ethnic_category = Ethnic Grp ; CHECK' partial.ini
do_cmd_test 5.4 65 "required column 'application_id' is missing" \
    "$PARITY" ingest --db p.db --map partial.ini "$S/partial.csv"

# 6. Output and usage.
"$PARITY" mapping --suggest --kind recruitment "$D/canonical.csv" >stdout.ini 2>stderr.txt
check 6.1 "draft on standard output" grep -q '^; Draft mapping for canonical.csv' stdout.ini
check 6.2 "summary on standard error" grep -q '12 rows read' stderr.txt
do_cmd_test 6.3 64 "already exists" \
    "$PARITY" mapping --suggest --kind recruitment --out awkward.ini "$D/awkward.csv"
check 6.4 "the existing mapping is kept" grep -q '^Declined to specify = not stated' awkward.ini
do_cmd_test 6.5 0 "wrote awkward.ini" \
    "$PARITY" mapping --suggest --kind recruitment --force --out awkward.ini "$D/awkward.csv"
do_cmd_test 6.6 64 "--suggest" "$PARITY" mapping --kind recruitment "$D/awkward.csv"
do_cmd_test 6.7 64 "--kind KIND is required" "$PARITY" mapping --suggest "$D/awkward.csv"
do_cmd_test 6.8 64 "did you mean 'workforce'" \
    "$PARITY" mapping --suggest --kind workfroce "$D/awkward.csv"
do_cmd_test 6.9 64 "no extract file given" "$PARITY" mapping --suggest --kind training
do_cmd_test 6.10 66 "missing.csv" \
    "$PARITY" mapping --suggest --kind training missing.csv
do_cmd_test 6.11 64 "did you mean '--suggest'" \
    "$PARITY" mapping --sugest --kind training "$D/awkward.csv"
do_cmd_test 6.12 64 "--max-values" \
    "$PARITY" mapping --suggest --kind training --max-values 0 "$D/awkward.csv"
do_cmd_test 6.13 0 "Usage: parity mapping" "$PARITY" mapping --help
check 6.14 "no temporary files left" test -z "$(ls | grep '\.tmp-' || true)"
finish
