#!/usr/bin/env bash
# kill_loop.sh: SIGKILL at many points of `parity ingest`, `parity run` and
# `parity report`. After each kill the database passes integrity_check and
# holds each file whole or not at all, no temporary or half-written output
# is left, and the next, uninterrupted command completes with outputs equal
# to a run that was never interrupted (the run id excepted).
#
# Each kill comes after a delay drawn from a fixed seed: iteration i of n
# kills somewhere in the i-th n-th of the command's clean running time, so
# the kills spread over opening, parsing, flushing, committing and writing.
# KILL_LOOP_SEED changes the seed; KILL_LOOP_ITERATIONS fixes the number of
# kills per command (by default as many as fit a time budget, at least 5
# and at most 10, so a sanitizer build, slower, does fewer).
source "$(dirname "$0")/lib.sh"
GEN=$(dirname "$PARITY")/parity-sample-gen
SEED=${KILL_LOOP_SEED:-20260105}
RANDOM=$SEED
echo "seed $SEED (set KILL_LOOP_SEED to repeat a run)"

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
# timed VAR COMMAND...: run COMMAND (output discarded), VAR = milliseconds.
timed() {
    local var=$1 start
    shift
    start=$(now_ms)
    "$@" > /dev/null 2>&1
    printf -v "$var" '%s' $(( $(now_ms) - start ))
}
# rounds MS: kills per command, for a clean run of MS milliseconds.
rounds() {
    if [ -n "${KILL_LOOP_ITERATIONS:-}" ]; then
        echo "$KILL_LOOP_ITERATIONS"
        return
    fi
    local n=$(( 12000 / ($1 * 2 + 300) ))
    [ $n -lt 5 ] && n=5
    [ $n -gt 10 ] && n=10
    echo $n
}
# kill_after I N MS COMMAND...: start COMMAND, SIGKILL it after a delay in
# the I-th N-th of MS milliseconds (plus 10% beyond the end), and log it.
kill_after() {
    local i=$1 n=$2 ms=$3 delay pid
    shift 3
    delay=$(( ms * 11 * (i * 1000 + RANDOM % 1000) / (n * 10000) ))
    "$@" > killed.out 2>&1 &
    pid=$!
    sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
    if kill -9 $pid 2>/dev/null; then
        echo "     kill $i/$n after $delay ms of $ms"
    else
        echo "     kill $i/$n after $delay ms of $ms: it had finished"
    fi
    wait $pid 2>/dev/null || true
}
# consistent ID DB: integrity_check is ok, no file is provisional
# (pending-...), and no row belongs to a file the files table lacks.
consistent() {
    local id=$1 db=$2
    [ -e "$db" ] || { check "$id" "no database yet" true; return; }
    if [ "$(sqlite3 "$db" "select count(*) from sqlite_master where name = 'files'")" = 0 ]; then
        # Killed while the schema was being made: none of it is there.
        check "$id" "no schema, no tables" \
            test "$(sqlite3 "$db" 'select count(*) from sqlite_master')" = 0
        return
    fi
    check "$id.a" "integrity" test "$(sqlite3 "$db" 'pragma integrity_check')" = ok
    check "$id.b" "each file whole or absent" test "$(sqlite3 "$db" "
        select (select count(*) from files where sha256 like 'pending-%')
             + (select count(*) from cells where file_id not in (select id from files))
             + (select count(*) from coverage where file_id not in (select id from files))
             + (select count(*) from rejects where file_id not in (select id from files))
             + (select count(*) from quality where file_id not in (select id from files))
             + (select count(*) from files f where rows_accepted <>
                (select coalesce(sum(rows), 0) from cells c where c.file_id = f.id))" 2>/dev/null || echo none)" = 0
}
# content DB: what the database holds, without file ids, run ids or times.
content() {
    sqlite3 "$1" "
        select kind, month, organisation, ethnic_category, sex, disability, age_band,
               pay_band, staff_group, contract, process, grounds, sexual_orientation,
               religion, sum(rows), sum(shortlisted), sum(appointed)
          from cells group by 1,2,3,4,5,6,7,8,9,10,11,12,13,14 order by 1,2,3,4,5,6,7,8,9,10,11,12,13,14;
        select sha256, kind, rows_read, rows_accepted, rows_rejected, first_month,
               last_month, active from files order by sha256;
        select f.sha256, c.kind, c.organisation, c.month from coverage c
          join files f on f.id = c.file_id order by 1,2,3,4;
        select f.sha256, q.characteristic, q.not_stated, q.not_known, q.total
          from quality q join files f on f.id = q.file_id order by 1,2;"
}
no_tmp() { test -z "$(find "$1" -name '*.tmp*' -print -quit)"; }
# whole_outputs DIR CLEAN: every file in DIR is the clean run's file of that
# name byte for byte (the PDF, which carries the run id: a whole PDF).
whole_outputs() {
    local f
    [ -d "$1" ] || return 0
    for f in "$1"/*; do
        [ -e "$f" ] || continue
        case $f in
        *.pdf) tail -c 1024 "$f" | grep -q '%%EOF' || { echo "    $f is not whole"; return 1; } ;;
        *) cmp -s "$f" "$2/$(basename "$f")" || { echo "    $f is not the clean run's"; return 1; } ;;
        esac
    done
}
# same_outputs DIR CLEAN: the same files as the clean run, equal, and the
# PDF's text equal but for the run id (the killed run took one).
pdf_text() {
    pdftotext "$1" - | awk 'skip { skip = 0; if ($0 == "") { skip = 1 }; next } /^Run id/ { skip = 1; next } { print }'
}
same_outputs() {
    [ "$(ls "$1")" = "$(ls "$2")" ] || { echo "    files differ: $(ls "$1" | tr '\n' ' ')"; return 1; }
    whole_outputs "$1" "$2" || return 1
    cmp -s <(pdf_text "$1/board-report.pdf") <(pdf_text "$2/board-report.pdf")
}

"$GEN" --kind recruitment --rows 30000 --seed 5 --out big.csv
cp "$SRC/sample-data/workforce.csv" workforce.csv

# ---- 1. parity ingest ---------------------------------------------------------
# Odd kills start with no database (so some land while it is being made),
# even ones with a database already holding the workforce extract.
"$PARITY" ingest -q --db base.db --kind workforce workforce.csv
cp base.db clean-old.db
timed ms "$PARITY" ingest -q --db clean-old.db --kind recruitment big.csv
"$PARITY" ingest -q --db clean-new.db --kind recruitment big.csv
content clean-old.db > clean-old.txt
content clean-new.db > clean-new.txt
n=$(rounds "$ms")
echo "ingest: $n kills over $ms ms"
for i in $(seq 0 $((n - 1))); do
    rm -rf k && mkdir k
    if [ $((i % 2)) = 0 ]; then start=new; else start=old; cp base.db k/k.db; fi
    kill_after $i $n "$ms" "$PARITY" ingest -q --db k/k.db --kind recruitment --rejects-dir k big.csv
    consistent 1.$i k/k.db
    check 1.$i.c "no temporary or rejects files" test -z "$(find k -name '*.tmp*' -o -name '*.rejects.csv')"
    do_cmd_test 1.$i.d 0 "" "$PARITY" ingest --db k/k.db --kind recruitment --rejects-dir k big.csv
    content k/k.db > k.txt
    check 1.$i.e "same data as an uninterrupted ingest" cmp -s k.txt clean-$start.txt
done

# ---- 2. parity run ----------------------------------------------------------------
make_site() {
    rm -rf "$1"
    mkdir -p "$1/inbox" "$1/state"
    printf '[paths]\ndatabase = state/parity.db\ninbox = inbox\narchive = archive\nquarantine = quarantine\noutput = out\nlog = parity.log\n' > "$1/parity.ini"
    cp big.csv "$1/inbox/recruitment-big.csv"
    cp workforce.csv "$1/inbox/workforce-2026.csv"
}
make_site ref
timed ms "$PARITY" run -q --config ref/parity.ini --date 2026-01-05
test -f ref/out/2026-01/board-report.pdf || { echo "FAIL: the clean run wrote no report"; exit 1; }
n=$(rounds "$ms")
echo "run: $n kills over $ms ms"
for i in $(seq 0 $((n - 1))); do
    make_site k
    kill_after $i $n "$ms" "$PARITY" run -q --config k/parity.ini --date 2026-01-05
    consistent 2.$i k/state/parity.db
    check 2.$i.c "no temporary files" no_tmp k
    for f in recruitment-big.csv workforce-2026.csv; do
        check 2.$i.$f "$f in the inbox or the archive, once" \
            test "$(find k/inbox k/archive -name "$f*" 2>/dev/null | wc -l)" = 1
    done
    check 2.$i.d "outputs absent or whole" whole_outputs k/out/2026-01 ref/out/2026-01
    do_cmd_test 2.$i.e 0 "finished: success" \
        "$PARITY" run --config k/parity.ini --date 2026-01-05
    check 2.$i.f "outputs equal an uninterrupted run's" same_outputs k/out/2026-01 ref/out/2026-01
    check 2.$i.g "same data" cmp -s <(content k/state/parity.db) <(content ref/state/parity.db)
    check 2.$i.h "inbox emptied, nothing quarantined" \
        test -z "$(ls k/inbox)$(ls k/quarantine 2>/dev/null)"
done

# ---- 3. parity report ---------------------------------------------------------------
# Each report runs in a folder of its own with the database as report.db,
# since the report names its database.
mkdir clean-report
cp ref/state/parity.db clean-report/report.db
cd clean-report
timed ms "$PARITY" report --db report.db --out out
cd ..
n=$(rounds "$ms")
echo "report: $n kills over $ms ms"
for i in $(seq 0 $((n - 1))); do
    rm -rf k && mkdir k
    cp clean-report/report.db k/report.db
    cd k
    kill_after $i $n "$ms" "$PARITY" report --db report.db --out out
    cd ..
    consistent 3.$i k/report.db
    check 3.$i.c "no temporary files" no_tmp k
    check 3.$i.d "outputs absent or whole" whole_outputs k/out clean-report/out
    cd k
    do_cmd_test 3.$i.e 0 "board report:" "$PARITY" report --db report.db --out out
    cd ..
    mv k/out.3.$i.e .
    check 3.$i.f "outputs equal an uninterrupted report's" same_outputs k/out clean-report/out
done
finish
