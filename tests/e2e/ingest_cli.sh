#!/usr/bin/env bash
# ingest_cli.sh: `parity ingest` from the command line: messages, exit codes,
# rejects files and the database left behind.
source "$(dirname "$0")/lib.sh"
D=$SRC/tests/data/ingest

do_cmd_test 1.1 0 "12 rows read, 12 stored, 0 rejected" \
    "$PARITY" ingest --db t.db --kind recruitment "$D/canonical.csv"
check 1.2 "database is owner-only" test "$(stat -c %a t.db)" = 600
do_cmd_test 1.3 0 "already ingested" \
    "$PARITY" ingest --db t.db --kind recruitment "$D/canonical.csv"
do_cmd_test 1.4 65 "5 of 7 rows (71.4%) were refused" \
    "$PARITY" ingest --db t.db --kind recruitment "$D/broken.csv"
do_cmd_test 1.5 0 "line 3: column 'date'" \
    "$PARITY" ingest --db t2.db --kind recruitment --max-rejects 100 \
    --rejects-dir rej "$D/broken.csv"
check 1.6 "rejects file lists 5 rows" test "$(tail -n +2 rej/broken.csv.rejects.csv | wc -l)" = 5
do_cmd_test 1.7 0 "6 rows read, 6 stored" \
    "$PARITY" ingest --db t3.db --map "$D/awkward.ini" "$D/awkward.csv"
do_cmd_test 1.8 65 "invalid UTF-8" \
    "$PARITY" ingest --db t4.db --kind recruitment "$D/cp1252.csv"
do_cmd_test 1.9 0 "2 rows read, 2 stored" \
    "$PARITY" ingest --db t4.db --kind recruitment --encoding windows-1252 "$D/cp1252.csv"

# usage errors
do_cmd_test 2.1 64 "did you mean 'recruitment'" \
    "$PARITY" ingest --db t.db --kind recruitmnt "$D/canonical.csv"
do_cmd_test 2.2 64 "did you mean '--kind'" \
    "$PARITY" ingest --db t.db --knd recruitment "$D/canonical.csv"
do_cmd_test 2.3 64 "--db DB is required" \
    "$PARITY" ingest --kind recruitment "$D/canonical.csv"
do_cmd_test 2.4 66 "cannot read the file" \
    "$PARITY" ingest --db t.db --kind recruitment nonexistent.csv
do_cmd_test 2.5 66 "cannot open the mapping file" \
    "$PARITY" ingest --db t.db --map missing.ini "$D/canonical.csv"
do_cmd_test 2.6 0 "Usage: parity ingest" "$PARITY" ingest --help

# the database is untouched by the refused file: still the 12 rows
check 3.1 "refused file left no rows" test "$(sqlite3 t.db 'select sum(rows) from cells')" = 12
check 3.2 "integrity" test "$(sqlite3 t.db 'pragma integrity_check')" = ok
finish
