#!/usr/bin/env bash
# store_migrate.sh: a database written by parity 0.x with schema 3 (the dump
# tests/data/store/schema-v3.sql, made from the three CSV files beside it)
# is brought to schema 11 when opened (packs at 5; stage, the view's last
# dimension, at 8; packs with dictionaries at 10; the gate's memo at 11):
# every cell packed with the others of its file, kind and month into packs numbered in the
# file's range of ids, the view `cells` showing them as the table did,
# nothing lost, and the cube, the analyses and later ingests the same as in
# a database made from the same files by this version. Also checks that a
# replaced delivery's cells leave with it, and that a damaged pack is
# refused by every reader, never misread.
source "$(dirname "$0")/lib.sh"
DATA=$SRC/tests/data/store

sqlite3 old.db < "$DATA/schema-v3.sql"
check 1.1 "the fixture is schema 3" \
    test "$(sqlite3 old.db "select value from meta where key='schema_version'")" = 3
before=$(sqlite3 old.db "select count(*), sum(rows), sum(shortlisted), sum(appointed) from cells")

# A dry run of the monthly job only reads the old database: no upgrade.
mkdir -p site/inbox site/state
cp old.db site/state/parity.db
cp "$DATA/recruitment-a.csv" site/inbox/recruitment-again.csv
printf '[paths]\ndatabase = state/parity.db\ninbox = inbox\narchive = archive\nquarantine = quarantine\noutput = out\nlog = parity.log\n' > site/parity.ini
do_cmd_test 1.2 0 "already ingested: would skip" \
    "$PARITY" run --config site/parity.ini --dry-run --date 2026-04-05
check 1.3 "dry run left the schema-3 database byte for byte" cmp -s old.db site/state/parity.db

do_cmd_test 2.1 0 "" "$PARITY" export --db old.db --counts migrated.csv
check 2.2 "schema 11 after opening" \
    test "$(sqlite3 old.db "select value from meta where key='schema_version'")" = 11
check 2.3 "no cell lost or changed" \
    test "$(sqlite3 old.db "select count(*), sum(rows), sum(shortlisted), sum(appointed) from cells")" = "$before"
check 2.4 "every pack in its file's id range" \
    test "$(sqlite3 old.db "select count(*) from cell_packs where id / 4294967296 <> file_id")" = 0
check 2.5 "packs numbered from 0 in each file" \
    test "$(sqlite3 old.db "select group_concat(n, ' ') from (select file_id, min(id % 4294967296) as n from cell_packs group by file_id order by file_id)")" = "0 0 0"
check 2.6 "integrity" test "$(sqlite3 old.db 'pragma integrity_check')" = ok
# Packs: none empty or over 4,096 cells, each cell its 3 counts and up to
# 12 values, and a file's kind and month in as few packs as will hold them.
# Both forms of pack (see engine/store/store_internal.h): the migrated
# ones as they were (no `dictionary`), each cell its counts and values; the
# ones parity writes now with dictionaries, each cell its counts and an
# index per listed dimension, and `dictionary` the pack's own.
PACK_CELLS="json_array_length(cells, case when dictionary is null then '\$' else '\$.c' end)"
packs_ok() {
    test "$(sqlite3 "$1" "select count(*) from cell_packs where $PACK_CELLS not between 1 and 4096")" = 0 &&
    test "$(sqlite3 "$1" "select count(*) from cell_packs p,
        json_each(p.cells, case when p.dictionary is null then '\$' else '\$.c' end) c
        where (p.dictionary is null and json_array_length(c.value) not between 3 and 16)
        or (p.dictionary is not null and json_array_length(c.value) <> 3 + json_array_length(p.dictionary))
        or json_type(c.value, '\$[0]') <> 'integer' or json_type(c.value, '\$[2]') <> 'integer'")" = 0 &&
    test "$(sqlite3 "$1" "select count(*) from cell_packs where dictionary is not null
        and (json(dictionary) <> json_extract(cells, '\$.v') or substr(cells, 1, 1) <> '{')")" = 0
}
check 2.8 "packs well formed" packs_ok old.db
check 2.9 "one pack per file, kind and month when it holds under 4,096 cells" \
    test "$(sqlite3 old.db "select count(*) from (select file_id, kind, month from cell_packs
        group by 1, 2, 3 having count(*) > 1 and sum($PACK_CELLS) <= 4096)")" = 0
check 2.7 "cells is a view with the table's columns; old tables and indexes gone" \
    test "$(sqlite3 old.db "select type from sqlite_master where name = 'cells';
        select group_concat(name, ',') from pragma_table_info('cells');
        select count(*) from sqlite_master where name in ('cell_blocks','cells_by_kind','cells_by_file')")" = \
        "view
file_id,kind,month,organisation,ethnic_category,sex,disability,age_band,pay_band,staff_group,contract,process,grounds,sexual_orientation,religion,stage,rows,shortlisted,appointed
0"

# The same files ingested by this version give the same cube and results.
for f in recruitment-a recruitment-b; do
    "$PARITY" ingest --db new.db --kind recruitment "$DATA/$f.csv" >/dev/null
done
"$PARITY" ingest --db new.db --kind disciplinary "$DATA/disciplinary.csv" >/dev/null
"$PARITY" export --db new.db --counts fresh.csv >/dev/null
check 3.1 "migrated cube equals a fresh ingest's" cmp -s migrated.csv fresh.csv
"$PARITY" analyse --db old.db --out a-old --period 2021/22 >/dev/null
"$PARITY" analyse --db new.db --out a-new --period 2021/22 >/dev/null
strip() { grep -v run_id "$1" | sed 's/"run_id":[^,]*,//'; }
check 3.2 "analyses equal" diff <(strip a-old/results.csv) <(strip a-new/results.csv)
check 3.3 "analyses found data" test "$(wc -l < a-new/results.csv)" -gt 5

# A later file goes after the migrated ones, in its own range.
awk -F, 'NR == 1 || ($2 == "R0A" && $3 ~ /^2022-0[56]-/ && n++ < 200)' \
    "$SRC/sample-data/recruitment.csv" > later.csv
do_cmd_test 4.1 0 "stored" "$PARITY" ingest --db old.db --kind recruitment later.csv
check 4.2 "new packs in file 4's range" \
    test "$(sqlite3 old.db "select count(*) from cell_packs where file_id = 4 and id between 4 * 4294967296 and 5 * 4294967296 - 1")" = \
         "$(sqlite3 old.db "select count(*) from cell_packs where file_id = 4")"
check 4.3 "all 200 rows stored" test "$(sqlite3 old.db "select sum(rows) from cells where file_id = 4")" = 200
check 4.4 "packs well formed after an ingest" packs_ok old.db
check 4.5 "a store of both forms: the migrated packs as they were, the new with dictionaries" \
    test "$(sqlite3 old.db "select count(*) filter (where dictionary is null and file_id <= 3),
        count(*) filter (where dictionary is not null and file_id = 4), count(*) from cell_packs")" = \
        "$(sqlite3 old.db "select count(*) filter (where file_id <= 3), count(*) filter (where file_id = 4), count(*) from cell_packs")"
# The store of both forms reads as the one this version wrote whole.
"$PARITY" ingest --db new.db --kind recruitment later.csv >/dev/null
for p in 2021/22 2022/23 all; do
    rm -rf m-old m-new
    "$PARITY" analyse --db old.db --out m-old --period "$p" >/dev/null
    "$PARITY" analyse --db new.db --out m-new --period "$p" >/dev/null
    check "4.6 $p" "results and trend of both forms equal ($p)" \
        sh -c 'cmp -s m-old/results.csv m-new/results.csv && cmp -s m-old/trend.csv m-new/trend.csv'
done
check 4.7 "the cube of both forms equals this version's" \
    sh -c '"$0" export --db old.db --counts mixed.csv >/dev/null && "$0" export --db new.db --counts whole.csv >/dev/null && cmp -s mixed.csv whole.csv' "$PARITY"

# A corrected re-delivery replaces exactly the old file's cells.
sed 's/,N$/,N/' later.csv > later-fixed.csv
echo "" >> later-fixed.csv
do_cmd_test 5.1 0 "" "$PARITY" ingest --db old.db --kind recruitment --replace later-fixed.csv
check 5.2 "old delivery's cells gone" test "$(sqlite3 old.db "select count(*) from cells where file_id = 4")" = 0
check 5.3 "new delivery's cells there" test "$(sqlite3 old.db "select sum(rows) from cells where file_id = 5")" = 200
check 5.5 "packs well formed after a replacement" packs_ok old.db
check 5.4 "other files untouched" \
    test "$(sqlite3 old.db "select count(*), sum(rows) from cells where file_id <= 3")" = "$(echo "$before" | cut -d'|' -f1-2)"

# A damaged pack (a hand-edited database, say) is refused with a message,
# never misread: every reader of the packs exits 74 and names the problem.
cp old.db damaged.db
sqlite3 damaged.db "update cell_packs set cells = substr(cells, 1, length(cells) - 3)
    where id = (select min(id) from cell_packs where kind = 'recruitment')"
do_cmd_test 6.1 74 "damaged" "$PARITY" analyse --db damaged.db --out a-damaged --period 2021/22
do_cmd_test 6.2 74 "damaged" "$PARITY" export --db damaged.db --counts damaged.csv
do_cmd_test 6.3 74 "damaged" "$PARITY" quality --db damaged.db
check 6.4 "no export left behind" test ! -e damaged.csv
finish
