#!/usr/bin/env bash
# kill_loop.sh: SIGKILL at many points of `parity ingest`, `parity ingest
# --replace`, `parity run` and `parity report`. After each kill the
# database passes integrity_check and holds each file whole or not at all;
# a file that is stored has its rejects file whole beside it (the rejects
# are made durable before the commit); no temporary or half-written output
# is left but a rejects file's temporary, which the next ingest of that file
# removes; and the next, uninterrupted command completes with outputs equal
# to a run that was never interrupted (the run id excepted).
#
# Each kill comes after a delay drawn from a fixed seed: kill i of n lands
# somewhere in the i-th n-th of 5%..75% of the command's clean running time,
# so the kills spread over opening, parsing, flushing, committing and
# writing. A kill only counts when it landed (the command died of SIGKILL,
# status 137, not finished before it): each command fails unless 60% of its
# kills landed (on a loaded machine a command's time varies by half). Before, the delays reached past the end and 7 of 10 ingest
# kills came after the ingest had finished. A kill that finds the command
# finished shortens the time the later kills of that command aim within
# (it was timed while another test loaded the machine: 5 of 10 run kills
# once came after the run had finished).
# KILL_LOOP_SEED changes the seed; KILL_LOOP_ITERATIONS sets the kills per
# command (default: 20 ingest, 20 replace, 10 run, then 5 report).
source "$(dirname "$0")/lib.sh"
GEN=$(dirname "$PARITY")/parity-sample-gen
SEED=${KILL_LOOP_SEED:-20260105}
RANDOM=$SEED
echo "seed $SEED (set KILL_LOOP_SEED to repeat a run)"
command -v sqlite3 > /dev/null || { echo "FAIL: sqlite3 is needed (.ci/install-deps)"; exit 1; }

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
# timed VAR COMMAND...: run COMMAND (output discarded), VAR = milliseconds.
timed() {
    local var=$1 start
    shift
    start=$(now_ms)
    "$@" > /dev/null 2>&1
    printf -v "$var" '%s' $(( $(now_ms) - start ))
}
# fastest VAR SETUP COMMAND...: VAR = the least of three timings of COMMAND,
# each after running SETUP (an eval'd string): a first, cold run is often
# twice as slow, and kills aimed by it come after the end.
fastest() {
    local var=$1 setup=$2 t best=
    shift 2
    for _ in 1 2 3; do
        eval "$setup"
        timed t "$@"
        if [ -z "$best" ] || [ "$t" -lt "$best" ]; then best=$t; fi
    done
    printf -v "$var" '%s' "$best"
}
# rounds N: kills per command (N by default).
rounds() { echo "${KILL_LOOP_ITERATIONS:-$1}"; }
# kill_after I N MS COMMAND...: start COMMAND, SIGKILL it after a delay in
# the I-th N-th of 5%..75% of MS milliseconds, and count whether it landed.
# A command that finishes before its kill shows how long it can take when
# the machine is less loaded than when it was timed (the suite runs two
# tests at once): the later kills of the command aim within that time.
LANDED=0
FINISHED_MS=0
kill_after() {
    local i=$1 n=$2 ms=$3 delay pid st=0 start
    shift 3
    if [ "$FINISHED_MS" -gt 0 ] && [ "$FINISHED_MS" -lt "$ms" ]; then ms=$FINISHED_MS; fi
    delay=$(( ms * (50 + 700 * (i * 1000 + RANDOM % 1000) / (n * 1000)) / 1000 ))
    start=$(now_ms)
    "$@" > killed.out 2>&1 &
    pid=$!
    sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
    kill -9 $pid 2>/dev/null || true
    wait $pid 2>/dev/null || st=$?
    if [ $st = 137 ]; then
        LANDED=$((LANDED + 1))
        echo "     kill $i/$n after $delay ms of $ms"
    else
        # It finished within the delay: at most that long, this time.
        FINISHED_MS=$(( $(now_ms) - start ))
        echo "     kill $i/$n after $delay ms of $ms: it had finished (status $st)"
    fi
}
# landed ID N: at least 60% of the N kills since the last call landed.
landed() {
    check "$1" "$LANDED of $2 kills landed while the command worked" test $((LANDED * 5)) -ge $((3 * $2))
    LANDED=0
    FINISHED_MS=0
}
# rejects_whole DB DIR FILE [NAME]: when FILE is stored in DB, its rejects
# file (named after NAME, by default FILE) is in DIR with one line per
# rejected row (and a header).
rejects_whole() {
    local db=$1 dir=$2 file=$3 name=${4:-$3} sha n
    [ -e "$db" ] || return 0
    sha=$(sha256sum "$file" | cut -d' ' -f1)
    n=$(sqlite3 "$db" "select rows_rejected from files where sha256 = '$sha'" 2>/dev/null || true)
    [ -z "$n" ] && return 0
    [ "$n" = 0 ] && return 0
    test -f "$dir/$(basename "$name").rejects.csv" &&
        test $(( $(wc -l < "$dir/$(basename "$name").rejects.csv") - 1 )) = "$n"
}
# consistent ID DB [replace]: integrity_check is ok, no file is provisional
# (pending-...), no row belongs to a file the files table lacks, and (but
# after a replacement, which takes cells from the earlier file) each file
# holds the rows it accepted.
consistent() {
    local id=$1 db=$2 held="rows_accepted"
    [ "${3:-}" = replace ] && held="(select coalesce(sum(rows), 0) from cells c where c.file_id = f.id)"
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
             + (select count(*) from files f where $held <>
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
# no_tmp DIR: no temporary file but a rejects file's (which the next ingest
# of that file removes; it lies where the rejects go).
no_tmp() { test -z "$(find "$1" -name '*.tmp*' ! -name '*.rejects.csv.tmp-*' -print -quit)"; }
# same_workbook A B: two whole xlsx files with the same parts, byte for byte,
# but docProps/core.xml (the workbook's creation date).
same_workbook() {
    python3 - "$1" "$2" <<'PY'
import sys, zipfile
def parts(path):
    with zipfile.ZipFile(path) as z:
        if z.testzip() is not None:
            sys.exit(1)
        return {n: z.read(n) for n in z.namelist() if n != 'docProps/core.xml'}
sys.exit(0 if parts(sys.argv[1]) == parts(sys.argv[2]) else 1)
PY
}
# whole_outputs DIR CLEAN: every file in DIR is the clean run's file of that
# name byte for byte (the PDF, which carries the run id: a whole PDF; the
# HTML report: the same but for its run id row; a workbook: the same but for
# its creation date).
whole_outputs() {
    local f
    [ -d "$1" ] || return 0
    for f in "$1"/*; do
        [ -e "$f" ] || continue
        case $f in
        *.pdf) tail -c 1024 "$f" | grep -q '%%EOF' || { echo "    $f is not whole"; return 1; } ;;
        *.html) cmp -s <(grep -v '>Run id' "$f") <(grep -v '>Run id' "$2/$(basename "$f")") ||
            { echo "    $f is not the clean run's (but for the run id)"; return 1; } ;;
        *.xlsx) same_workbook "$f" "$2/$(basename "$f")" ||
            { echo "    $f is not the clean run's (but for its creation date)"; return 1; } ;;
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

# 30,000 rows, one in 500 (60) with a date that is no calendar date: each
# ingest writes a rejects file. big2.csv is a corrected re-delivery of it
# (the same organisations and months, other rows).
"$GEN" --kind recruitment --rows 30000 --seed 5 --out plain.csv
awk -F, 'BEGIN { OFS = "," } NR > 1 && NR % 500 == 0 { $3 = "2025-13-45" } { print }' \
    plain.csv > big.csv
"$GEN" --kind recruitment --rows 30000 --seed 6 --out big2.csv
cp "$SRC/sample-data/workforce.csv" workforce.csv

# ---- 1. parity ingest ---------------------------------------------------------
# Odd kills start with no database (so some land while it is being made),
# even ones with a database already holding the workforce extract.
"$PARITY" ingest -q --db base.db --kind workforce workforce.csv
cp base.db clean-old.db
fastest ms "cp base.db clean-old.db" "$PARITY" ingest -q --db clean-old.db --kind recruitment big.csv
"$PARITY" ingest -q --db clean-new.db --kind recruitment big.csv
content clean-old.db > clean-old.txt
content clean-new.db > clean-new.txt
n=$(rounds 20)
echo "ingest: $n kills over $ms ms"
for i in $(seq 0 $((n - 1))); do
    rm -rf k && mkdir k
    if [ $((i % 2)) = 0 ]; then start=new; else start=old; cp base.db k/k.db; fi
    kill_after $i $n "$ms" "$PARITY" ingest -q --db k/k.db --kind recruitment --rejects-dir k big.csv
    consistent 1.$i k/k.db
    check 1.$i.c "no temporary file but the rejects'" no_tmp k
    check 1.$i.r "stored with its rejects whole, or not stored" rejects_whole k/k.db k big.csv
    do_cmd_test 1.$i.d 0 "" "$PARITY" ingest --db k/k.db --kind recruitment --rejects-dir k big.csv
    content k/k.db > k.txt
    check 1.$i.e "same data as an uninterrupted ingest" cmp -s k.txt clean-$start.txt
    check 1.$i.f "rejects whole, no temporary file" \
        eval 'rejects_whole k/k.db k big.csv && test -z "$(find k -name "*.tmp*")"'
done
landed 1.z $n

# ---- 1r. parity ingest --replace ------------------------------------------------
fastest ms "cp clean-old.db clean-replaced.db" \
    "$PARITY" ingest -q --db clean-replaced.db --replace --kind recruitment big2.csv
content clean-replaced.db > clean-replaced.txt
n=$(rounds 20)
echo "replace: $n kills over $ms ms"
for i in $(seq 0 $((n - 1))); do
    rm -rf k && mkdir k
    cp clean-old.db k/k.db
    kill_after $i $n "$ms" "$PARITY" ingest -q --db k/k.db --replace --kind recruitment --rejects-dir k big2.csv
    consistent r.$i k/k.db replace
    check r.$i.c "no temporary files" no_tmp k
    old_or_new=$(content k/k.db | cmp -s - clean-old.txt && echo old || echo new)
    [ "$old_or_new" = new ] && check r.$i.b "replaced whole" cmp -s <(content k/k.db) clean-replaced.txt
    do_cmd_test r.$i.d 0 "" "$PARITY" ingest --db k/k.db --replace --kind recruitment --rejects-dir k big2.csv
    check r.$i.e "same data as an uninterrupted replace" cmp -s <(content k/k.db) clean-replaced.txt
done
landed r.z $n

# ---- 2. parity run ----------------------------------------------------------------
make_site() {
    rm -rf "$1"
    mkdir -p "$1/inbox" "$1/state"
    printf '[paths]\ndatabase = state/parity.db\ninbox = inbox\narchive = archive\nquarantine = quarantine\noutput = out\nlog = parity.log\n' > "$1/parity.ini"
    cp big.csv "$1/inbox/recruitment-big.csv"
    cp workforce.csv "$1/inbox/workforce-2026.csv"
}
fastest ms "make_site ref" "$PARITY" run -q --config ref/parity.ini --date 2026-01-05
test -f ref/out/2026-01/board-report.pdf || { echo "FAIL: the clean run wrote no report"; exit 1; }
n=$(rounds 10)
echo "run: $n kills over $ms ms"
for i in $(seq 0 $((n - 1))); do
    make_site k
    kill_after $i $n "$ms" "$PARITY" run -q --config k/parity.ini --date 2026-01-05
    consistent 2.$i k/state/parity.db
    check 2.$i.c "no temporary files" no_tmp k
    check 2.$i.r "stored with its rejects whole, or not stored" \
        rejects_whole k/state/parity.db k/quarantine big.csv recruitment-big.csv
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
        test -z "$(ls k/inbox)$(ls k/quarantine 2>/dev/null | grep -v '\.rejects\.csv$')"
    check 2.$i.j "rejects whole" rejects_whole k/state/parity.db k/quarantine big.csv recruitment-big.csv
done
landed 2.z $n

# ---- 3. parity report ---------------------------------------------------------------
# Each report runs in a folder of its own with the database as report.db,
# since the report names its database.
mkdir clean-report
cp ref/state/parity.db clean-report/report.db
cd clean-report
timed ms "$PARITY" report --db report.db --out out
cd ..
n=$(rounds 5)
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
landed 3.z $n
finish
