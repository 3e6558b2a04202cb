#!/usr/bin/env bash
# hostile.sh: the corpus of bad inputs (tests/data/hostile) for every file
# parity reads: extracts of each kind, mapping files, cohort files, count
# files, WRES-style submissions, pool files and run configurations. Each case
# gives the exit status and a piece of the message it must produce. After
# each, the database is byte-for-byte unchanged and no temporary or partial
# output file is left behind.
source "$(dirname "$0")/lib.sh"
H=$SRC/tests/data/hostile
CANON=$SRC/tests/data/ingest/canonical.csv

"$PARITY" ingest --db base.db --kind recruitment -q "$CANON"
HEADER='application_id,organisation,date,ethnic_category,sex,disability,age_band,pay_band,staff_group,shortlisted,appointed'

# Large and binary cases are made here rather than committed.
{ echo "$HEADER"; printf 'A1,R0X,2024-04-01,A,F,N,25-34,5,Nurs\0ing,Y,Y\n'; } > nul_bytes.csv
{ echo "$HEADER"; printf 'A1,R0X,2024-04-01,A,F,N,25-34,5,Caf\xff\xfe,Y,Y\n'; } > invalid_utf8.csv
{ echo "$HEADER"; printf 'A1,R0X,2024-04-01,A,F,N,25-34,5,'; head -c 10485760 /dev/zero | tr '\0' x; printf ',Y,Y\n'; } > field_10mb.csv
{ echo "$HEADER"; seq 1 100000 | tr '\n' ','; echo; } > columns_100k.csv

# hostile_case ID EXIT SUBSTRING COMMAND...: run against a copy of base.db
hostile_case() {
    local id=$1
    rm -rf case.db out rej
    cp base.db case.db
    local before
    before=$(cksum < case.db)
    do_cmd_test "$@"
    check "$id.db" "database unchanged" test "$(cksum < case.db)" = "$before"
    check "$id.tmp" "no temporary files" test -z "$(find . -name '*.tmp*' -print -quit)"
}
ING=("$PARITY" ingest --db case.db --kind recruitment --rejects-dir rej)

# ---- extracts -------------------------------------------------------------------
hostile_case 1.1 65 "the file is empty" "${ING[@]}" "$H/empty.csv"
hostile_case 1.2 65 "has a header but no rows" "${ING[@]}" "$H/header_only.csv"
hostile_case 1.3 65 "never closed: add the missing quote" "${ING[@]}" "$H/unbalanced_quote.csv"
hostile_case 1.4 65 "unbalanced_quote.csv:2:" "${ING[@]}" "$H/unbalanced_quote.csv"
hostile_case 1.5 65 "stray_quote.csv:2:" "${ING[@]}" "$H/stray_quote.csv"
hostile_case 1.6 65 "row has 6 fields but the header has 11" "${ING[@]}" "$H/ragged.csv"
hostile_case 1.7 65 "column 'Organisation' appears twice (columns 2 and 12)" "${ING[@]}" "$H/duplicate_column.csv"
hostile_case 1.8 65 "required column 'ethnic_category' is missing" "${ING[@]}" "$H/missing_column.csv"
hostile_case 1.9 65 "NUL byte" "${ING[@]}" nul_bytes.csv
hostile_case 1.10 65 "invalid UTF-8" "${ING[@]}" invalid_utf8.csv
hostile_case 1.11 65 "over the limit" "${ING[@]}" field_10mb.csv
hostile_case 1.12 65 "more than 1024 columns" "${ING[@]}" columns_100k.csv
hostile_case 1.13 65 "\"2025-02-30\" is not a real calendar date" "${ING[@]}" "$H/impossible_dates.csv"
hostile_case 1.14 65 "\"Whte British\" on 1 row (first on line 2)" "${ING[@]}" "$H/unknown_codes.csv"
hostile_case 1.15 65 "organisation code contains a path separator" "${ING[@]}" "$H/org_path_separator.csv"
hostile_case 1.16 65 "appointed is Y but shortlisted is N" "${ING[@]}" "$H/appointed_not_shortlisted.csv"
hostile_case 1.17 65 "duplicate application_id (first on line 2)" "${ING[@]}" "$H/duplicate_ids.csv"
hostile_case 1.18 65 "expected Y or N, found \"maybe\"" "${ING[@]}" "$H/bad_outcome.csv"
hostile_case 1.19 65 "column 'disability': \"Sometimes\"" "${ING[@]}" "$H/unknown_disability.csv"
hostile_case 1.20 65 "column 'application_id' is blank" "${ING[@]}" "$H/blank_id.csv"
hostile_case 1.21 65 "on the same snapshot" \
    "$PARITY" ingest --db case.db --kind workforce --rejects-dir rej "$H/workforce_duplicate_staff.csv"
hostile_case 1.22 65 "expected disciplinary or capability" \
    "$PARITY" ingest --db case.db --kind disciplinary --rejects-dir rej "$H/disciplinary_bad_process.csv"
hostile_case 1.23 65 "required column 'staff_id'" \
    "$PARITY" ingest --db case.db --kind training --rejects-dir rej "$H/training_no_staff_id.csv"
hostile_case 1.24 65 "binary.csv:1:" "${ING[@]}" "$H/binary.csv"
hostile_case 1.25 65 "the file is empty" "${ING[@]}" "$H/blank_lines.csv"
hostile_case 1.26 65 "--encoding windows-1252" "${ING[@]}" "$H/latin1.csv"
hostile_case 1.27 66 "cannot read the file" "${ING[@]}" "$H/no-such-file.csv"
hostile_case 1.28 66 "not a regular file" "${ING[@]}" "$H"

# ---- mapping files ------------------------------------------------------------
M=("$PARITY" ingest --db case.db --kind recruitment --rejects-dir rej)
hostile_case 2.1 65 "map_column_twice.ini:3: [columns]: 'application_id' is mapped twice" "${M[@]}" --map "$H/map_column_twice.ini" "$CANON"
hostile_case 2.2 65 "map_unknown_section.ini:2: unknown section [colums]" "${M[@]}" --map "$H/map_unknown_section.ini" "$CANON"
hostile_case 2.3 65 "'applicant_number' is not a column parity knows" "${M[@]}" --map "$H/map_unknown_column.ini" "$CANON"
hostile_case 2.4 65 "TODO" "${M[@]}" --map "$H/map_todo.ini" "$CANON"
hostile_case 2.5 65 "map_no_equals.ini:2:" "${M[@]}" --map "$H/map_no_equals.ini" "$CANON"
hostile_case 2.6 65 "the header has no such column" "${M[@]}" --map "$H/map_missing_header.ini" "$CANON"
hostile_case 2.7 65 "'Q' is not a code this column accepts" "${M[@]}" --map "$H/map_bad_code.ini" "$CANON"
hostile_case 2.8 65 "mapped twice, to different codes" "${M[@]}" --map "$H/map_value_twice.ini" "$CANON"

# ---- cohort files ---------------------------------------------------------------
A=("$PARITY" analyse --db case.db --out out --cohorts)
hostile_case 3.1 65 "cohort_ends_before_start.csv:2:" "${A[@]}" "$H/cohort_ends_before_start.csv"
hostile_case 3.2 65 "cohort_bad_date.csv:2:" "${A[@]}" "$H/cohort_bad_date.csv"
hostile_case 3.3 65 "cohort_path_org.csv:2:" "${A[@]}" "$H/cohort_path_org.csv"
hostile_case 3.4 65 "organisations" "${A[@]}" "$H/cohort_missing_column.csv"

# ---- count files ------------------------------------------------------------------
K=("$PARITY" ingest --db case.db --kind counts --rejects-dir rej)
hostile_case 4.1 65 "counts_negative.csv" "${K[@]}" "$H/counts_negative.csv"
hostile_case 4.2 65 "counts_non_numeric.csv" "${K[@]}" "$H/counts_non_numeric.csv"
hostile_case 4.3 65 "counts_billion_rows.csv" "${K[@]}" "$H/counts_billion_rows.csv"
hostile_case 4.4 65 "counts_do_not_add_up.csv" "${K[@]}" "$H/counts_do_not_add_up.csv"
hostile_case 4.5 65 "counts_bad_month.csv" "${K[@]}" "$H/counts_bad_month.csv"
hostile_case 4.6 65 "counts_unknown_kind.csv" "${K[@]}" "$H/counts_unknown_kind.csv"

# ---- submissions, pool files --------------------------------------------------------
hostile_case 5.1 65 "submission_appointed_over_shortlisted.csv:2" "$PARITY" check "$H/submission_appointed_over_shortlisted.csv"
hostile_case 5.2 65 "submission_percentage.csv:2" "$PARITY" check "$H/submission_percentage.csv"
hostile_case 5.3 65 "submission_negative.csv:2" "$PARITY" check "$H/submission_negative.csv"
hostile_case 5.4 65 "submission_empty.csv" "$PARITY" check "$H/submission_empty.csv"
# A line shorter than the header read past its fields ("(null)" in the
# message; under the sanitizers a crash with a repeated header, found by
# fuzz_check: submission_fuzz_short_line.csv is its input).
hostile_case 5.7 65 "submission_ragged.csv:3: WRES2 R0B: 2 fields but the header has 8" \
    "$PARITY" check "$H/submission_ragged.csv"
hostile_case 5.8 65 "submission_fuzz_short_line.csv:5: WRES2: 4 fields but the header has 17" \
    "$PARITY" check "$H/submission_fuzz_short_line.csv"
hostile_case 5.5 65 "pool_negative.csv:2" "$PARITY" pool "$H/pool_negative.csv"
hostile_case 5.6 65 "pool_x_over_n.csv:2" "$PARITY" pool "$H/pool_x_over_n.csv"

# ---- run configurations ----------------------------------------------------------------
hostile_case 6.1 65 "config_unknown_section.ini:2: [pathz] database: unknown section" "$PARITY" run --config "$H/config_unknown_section.ini"
hostile_case 6.2 65 "config_bad_level.ini:2: [report] level" "$PARITY" run --config "$H/config_bad_level.ini"
hostile_case 6.3 65 "config_org_path.ini:2: [report] organisation" "$PARITY" run --config "$H/config_org_path.ini"
hostile_case 6.4 65 "config_no_equals.ini:2:" "$PARITY" run --config "$H/config_no_equals.ini"
hostile_case 6.5 65 "config_bad_method.ini:2: [report] method" "$PARITY" run --config "$H/config_bad_method.ini"
hostile_case 6.6 66 "cannot open the configuration" "$PARITY" run --config "$H/no-such-config.ini"
finish
