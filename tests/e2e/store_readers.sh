#!/usr/bin/env bash
# store_readers.sh: other processes reading the database while `parity
# ingest`, `parity ingest --replace` and `parity run` write it never damage
# it. Each round writes with four readers looping beside it (`parity
# history`, `parity quality`, `parity export` and sqlite3); after the round
# the database passes integrity_check, every writer succeeded, every reader
# either succeeded or exited 75 saying the database is busy, and the export
# equals that of the same writes made with no reader.
#
# The bug this pins: ingest opened a descriptor of its own on the database
# file and closed it before COMMIT, which dropped SQLite's POSIX locks; a
# reader then took the transaction's journal for a crashed writer's and
# played it back under the writer: "database disk image is malformed", and
# often a database damaged for good. Before the fix most rounds failed.
#
# STORE_READERS_ROUNDS sets the rounds (default 50); a round in every ten
# also runs `parity run` (seconds each: it draws the report).
source "$(dirname "$0")/lib.sh"
GEN=$(dirname "$PARITY")/parity-sample-gen
ROUNDS=${STORE_READERS_ROUNDS:-50}
command -v sqlite3 > /dev/null || { echo "FAIL: sqlite3 is needed (.ci/install-deps)"; exit 1; }

# Nearly distinct cells, so each ingest writes several tables of them; a2
# and a3 are corrected re-deliveries of a: the same rows and dates, with
# some appointments of shortlisted rows corrected (every 7th row in a2,
# every 5th in a3), so
# each replaces a's organisation-months whole.
"$GEN" --kind recruitment --rows 4000 --distinct --seed 1 --out a.csv
correct() {
    awk -F, -v OFS=, -v every="$1" 'NR > 1 && NR % every == 0 && $(NF-1) == "Y" { $NF = ($NF == "Y" ? "N" : "Y") } { print }' a.csv
}
correct 7 > a2.csv
correct 5 > a3.csv
cmp -s a.csv a2.csv && { echo "FAIL: a2.csv is no correction"; exit 1; }
cp "$SRC/sample-data/workforce.csv" workforce.csv

# The database each round starts from (readers need one to read).
"$PARITY" ingest -q --db start.db --kind workforce workforce.csv

# writes DB WITH_RUN: the writes of one round, each of which must succeed.
# Writes each writer's exit status to writers.txt.
writes() {
    local db=$1 run=$2 site rc
    rc=0; "$PARITY" ingest -q --db "$db" --kind recruitment a.csv > w2.out 2>&1 || rc=$?
    echo "ingest $rc" >> writers.txt
    rc=0; "$PARITY" ingest -q --db "$db" --replace --kind recruitment a2.csv > w3.out 2>&1 || rc=$?
    echo "replace $rc" >> writers.txt
    [ "$run" = 1 ] || return 0
    site=$(dirname "$db")
    mkdir -p "$site/inbox"
    cp a3.csv "$site/inbox/recruitment-a3.csv"
    printf '[paths]\ndatabase = %s\ninbox = inbox\narchive = archive\nquarantine = quarantine\noutput = out\nlog = parity.log\n' \
        "$(basename "$db")" > "$site/parity.ini"
    rc=0; "$PARITY" run -q --config "$site/parity.ini" --date 2026-01-05 > w4.out 2>&1 || rc=$?
    echo "run $rc" >> writers.txt
}

# reader NAME COMMAND...: run COMMAND until the file stop appears,
# appending "NAME STATUS" per call to readers.txt; a status 75 must say busy.
reader() {
    local name=$1 rc
    shift
    while [ ! -e stop ]; do
        rc=0
        "$@" > "reader-$name.out" 2>&1 || rc=$?
        if [ $rc = 75 ] && ! grep -q "in use by another" "reader-$name.out"; then
            rc="75-without-busy-message"
        fi
        echo "$name $rc" >> readers.txt
    done
}

# Readers stop however this script ends.
trap 'touch "$SCRATCH/stop"' EXIT

# The same writes, no reader: what every round must end with.
mkdir ref
cp start.db ref/p.db
writes ref/p.db 1
"$PARITY" export --db ref/p.db --counts ref.csv > /dev/null
check 0.a "the writes succeed with no reader" \
    test "$(grep -vc ' 0$' writers.txt)" = 0
head -1 ref.csv | grep -q '^kind,' || { echo "FAIL: no reference export"; exit 1; }

rm -f writers.txt readers.txt
for r in $(seq 1 "$ROUNDS"); do
    rm -rf k stop && mkdir k
    cp start.db k/p.db
    with_run=$(( r % 10 == 0 ? 1 : 0 ))
    reader history "$PARITY" history --db k/p.db &
    p1=$!
    reader quality "$PARITY" quality --db k/p.db &
    p2=$!
    reader export "$PARITY" export --db k/p.db --counts reader-export.csv &
    p3=$!
    reader sqlite3 sqlite3 -cmd ".timeout 60000" k/p.db \
        "select count(*) from files; select count(*) from cell_packs" &
    p4=$!
    rm -f writers.txt
    writes k/p.db $with_run
    touch stop
    wait $p1 $p2 $p3 $p4
    check $r.a "integrity_check ok" test "$(sqlite3 k/p.db 'pragma integrity_check' 2>&1)" = ok
    check $r.b "every write succeeded" test "$(grep -vc ' 0$' writers.txt)" = 0
    if [ $with_run = 0 ]; then
        # Without the run's a3 the database holds a2 in place of a.
        "$PARITY" ingest -q --db k/p.db --replace --kind recruitment a3.csv > /dev/null 2>&1 || true
    fi
    "$PARITY" export --db k/p.db --counts k.csv > /dev/null 2>&1 || true
    check $r.c "the same counts as with no reader" cmp -s k.csv ref.csv
done
# Every reader call ended in success or a clear busy (75); the sqlite3
# readers, which wait a minute, always succeeded.
echo "reader calls: $(sort readers.txt | uniq -c | tr '\n' ';')"
check z.a "readers ran" test "$(grep -c . readers.txt)" -ge "$ROUNDS"
check z.b "each reader succeeded or exited 75 (busy)" \
    test "$(grep -Evc '^[a-z0-9]+ (0|75)$' readers.txt)" = 0
check z.c "sqlite3 readers succeeded" test "$(grep -c '^sqlite3 [^0]' readers.txt)" = 0
finish
