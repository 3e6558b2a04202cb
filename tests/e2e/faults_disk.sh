#!/usr/bin/env bash
# faults_disk.sh: a full disk and an output folder that cannot be written,
# for ingest, analyse, report, export and run. Each must exit 74 with a
# message naming the path, and leave nothing partial: no file under its
# final name that is not whole, no temporary file, the database as it was.
# The disk is filled with a file-size limit (ulimit -f, which holds for root
# too) and a small tmpfs (mounted: root only); a folder that cannot be
# written is a path under a regular file (ENOTDIR), and a read-only folder
# (chmod; as root, the case runs as nobody, whom chmod binds).
source "$(dirname "$0")/lib.sh"
GEN=$(dirname "$PARITY")/parity-sample-gen
S=$SRC/sample-data

# limited KB COMMAND...: run COMMAND with files limited to KB KiB.
limited() {
    local kb=$1
    shift
    (ulimit -f "$kb" && exec "$@")
}
kib() { echo $(( ($(stat -c %s "$1") + 1023) / 1024 )); }
no_tmp() { test -z "$(find "${1:-.}" -name '*.tmp*' -print -quit)"; }
no_journal() { test -z "$(find . -name '*-journal' -print -quit)"; }
# same_as_clean DIR: every file in DIR is whole: byte for byte the clean
# run's file of that name (the PDF, which carries the run id, is only
# checked to be a complete PDF).
same_as_clean() {
    local f
    for f in "$1"/*; do
        [ -e "$f" ] || continue
        case $f in
        *.pdf) tail -c 1024 "$f" | grep -q '%%EOF' || { echo "    $f is not whole"; return 1; } ;;
        # The HTML report names the run (its id differs from the clean run's).
        *.html) tail -c 64 "$f" | grep -q '</html>' || { echo "    $f is not whole"; return 1; } ;;
        *) cmp -s "$f" "clean/$(basename "$f")" || { echo "    $f differs from the clean run's"; return 1; } ;;
        esac
    done
}

# ---- fixtures ---------------------------------------------------------------
"$PARITY" ingest -q --db base.db --kind workforce "$S/workforce.csv"
"$GEN" --kind recruitment --rows 60000 --distinct --seed 11 --out distinct.csv
for k in recruitment workforce disciplinary training; do
    "$PARITY" ingest -q --db sample.db --kind $k "$S/$k.csv"
done
"$PARITY" report --db sample.db --out clean > /dev/null
cp sample.db sample.orig
touch blocker

# ---- 1. ingest into a database that cannot grow -----------------------------
# 1.1: the limit lies past the database's end, so the file is read and its
# counts flushed until a write crosses it; the transaction is rolled back
# in the process and the file is byte for byte as before.
cp base.db case.db
limit=$(( $(kib case.db) + 64 ))
do_cmd_test 1.1 74 "cannot write (File too large): the disk is full or a file-size limit was reached" \
    limited $limit "$PARITY" ingest --db case.db --kind recruitment distinct.csv
check 1.1b "message names the database" grep -qF "parity ingest: case.db: " out.1.1
check 1.2 "database unchanged" cmp -s case.db base.db
check 1.3 "no journal left" no_journal
check 1.4 "no temporary files" no_tmp
# 1.5: the limit lies below the database's end: SQLite cannot even play
# its undo journal back in this process, and leaves it (a "hot journal")
# for the next one to open the database, which restores it.
cp base.db case.db
do_cmd_test 1.5 74 "case.db: " limited 8 "$PARITY" ingest --db case.db --kind recruitment distinct.csv
check 1.6 "intact once reopened" test "$(sqlite3 case.db 'pragma integrity_check')" = ok
check 1.7 "unchanged once reopened" cmp -s case.db base.db
# 1.8: a database that cannot be created whole is not left half made.
# (the step named depends on where the limit is met: schema, renumbering, commit)
do_cmd_test 1.8 74 "cannot write" \
    limited 1 "$PARITY" ingest --db new.db --kind workforce "$S/workforce.csv"
check 1.8b "the message names the database" grep -q "new.db: " out.1.8
check 1.9 "no database file left" test ! -e new.db -a ! -e new.db-journal
# 1.10: a database folder in the way of a file.
do_cmd_test 1.10 74 "blocker/x.db: cannot open: Not a directory" \
    "$PARITY" ingest --db blocker/x.db --kind workforce "$S/workforce.csv"

# ---- 2. analyse and report into a folder that cannot be made ---------------
do_cmd_test 2.1 74 "blocker/out: cannot create the output folder: Not a directory" \
    "$PARITY" report --db sample.db --out blocker/out
do_cmd_test 2.2 74 "blocker/out: cannot create the output folder: Not a directory" \
    "$PARITY" analyse --db sample.db --out blocker/out
do_cmd_test 2.3 74 "blocker: cannot create the output folder: Not a directory" \
    "$PARITY" report --db sample.db --out blocker
check 2.4 "database unchanged" cmp -s sample.db sample.orig
# 2.5: a file-size limit below the database: the run cannot be recorded,
# so nothing is written; the database comes back as it was.
do_cmd_test 2.5 74 "sample.db: recording the run: cannot write" \
    limited 64 "$PARITY" report --db sample.db --out limited
check 2.6 "no output files" test -z "$(ls -A limited 2>/dev/null)"
check 2.7 "unchanged once reopened" test "$(sqlite3 sample.db 'pragma integrity_check')" = ok
check 2.8 "unchanged once reopened" cmp -s sample.db sample.orig
# 2.9, 2.10: read-only folders. Root ignores chmod, so as root (CI) these
# run as nobody (setpriv), in a folder of nobody's under /tmp with copies of
# the binary and the database, which the build folder may not let nobody
# reach. Either way they run: a skip would pass while checking nothing.
if [ "$(id -u)" = 0 ]; then
    command -v setpriv >/dev/null || { echo "FAIL: setpriv (util-linux) is not installed: sh .ci/install-deps"; exit 1; }
    RO=$(mktemp -d /tmp/parity-faults-XXXXXX)
    CLEANUP="rm -rf '$RO'"
    trap 'eval "$CLEANUP"' EXIT
    cp "$PARITY" "$RO/parity"
    cp sample.db "$RO/sample.db"
    # Under the sanitizers, LeakSanitizer must read its suppressions file,
    # which may lie where nobody cannot reach: give it a copy.
    RO_LSAN=${LSAN_OPTIONS:-}
    if [[ $RO_LSAN == *suppressions=* ]]; then
        supp=${RO_LSAN#*suppressions=}
        supp=${supp%%:*}
        cp "$supp" "$RO/lsan.supp"
        RO_LSAN=${RO_LSAN/"$supp"/"$RO/lsan.supp"}
    fi
    chmod 755 "$RO"
    chown -R nobody:nogroup "$RO"
    as_user() { LSAN_OPTIONS=$RO_LSAN setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }
    RO_PARITY=$RO/parity
    check 2.8b "the read-only cases run as a user chmod binds" test "$(as_user id -u)" != 0
else
    RO=$SCRATCH
    as_user() { "$@"; }
    RO_PARITY=$PARITY
fi
as_user mkdir "$RO/ro" "$RO/ro2"
as_user chmod 555 "$RO/ro" "$RO/ro2"
do_cmd_test 2.9 74 "ro/out: cannot create the output folder: Permission denied" \
    as_user "$RO_PARITY" report --db "$RO/sample.db" --out "$RO/ro/out"
do_cmd_test 2.10 74 "ro2/results.csv: cannot create: Permission denied" \
    as_user "$RO_PARITY" analyse --db "$RO/sample.db" --out "$RO/ro2"
check 2.11 "nothing written in the read-only folders" \
    test -z "$(ls -A "$RO/ro" "$RO/ro2" | grep -v ':$' | grep -v '^$')"
as_user chmod 755 "$RO/ro" "$RO/ro2"

# ---- 3. export --counts ----------------------------------------------------------
do_cmd_test 3.1 74 "counts.csv: cannot write: File too large" \
    limited 16 "$PARITY" export --db sample.db --counts counts.csv
check 3.2 "no counts file" test ! -e counts.csv
check 3.3 "no temporary files" no_tmp
do_cmd_test 3.4 74 "blocker/counts.csv: cannot create: Not a directory" \
    "$PARITY" export --db sample.db --counts blocker/counts.csv
check 3.5 "database unchanged" cmp -s sample.db sample.orig

# ---- 4. parity run: output or archive folder that cannot be made -------------
make_site() {
    rm -rf "$1"
    mkdir -p "$1/inbox" "$1/state"
    printf '[paths]\ndatabase = state/parity.db\ninbox = inbox\narchive = %s\nquarantine = quarantine\noutput = %s\nlog = parity.log\n' \
        "${2:-archive}" "${3:-out}" > "$1/parity.ini"
    cp "$S/recruitment.csv" "$1/inbox/recruitment-2026.csv"
    touch "$1/blocker"
}
make_site site archive blocker/out
do_cmd_test 4.1 74 "site/blocker/out: cannot create folder: Not a directory" \
    "$PARITY" run --config site/parity.ini --date 2026-01-05
check 4.2 "the inbox was left alone" test -f site/inbox/recruitment-2026.csv
check 4.3 "nothing ingested" test ! -e site/state/parity.db
make_site site blocker/archive out
do_cmd_test 4.4 74 "site/blocker/archive: cannot create folder: Not a directory" \
    "$PARITY" run --config site/parity.ini --date 2026-01-05
check 4.5 "the inbox was left alone" test -f site/inbox/recruitment-2026.csv
check 4.6 "nothing ingested" test ! -e site/state/parity.db
# 4.7: the database cannot grow: the run stops, the file stays in the
# inbox, and the next run (with room) does the whole job.
make_site site
make_site ref
"$PARITY" run -q --config ref/parity.ini --date 2026-01-05 > /dev/null 2>&1
do_cmd_test 4.7 74 "cannot write" \
    limited 1024 "$PARITY" run --config site/parity.ini --date 2026-01-05
check 4.7b "message names the database" grep -qF "state/parity.db: " out.4.7
check 4.8 "the inbox file is still there" test -f site/inbox/recruitment-2026.csv
check 4.9 "database intact" test "$(sqlite3 site/state/parity.db 'pragma integrity_check')" = ok
check 4.10 "no file recorded" test "$(sqlite3 site/state/parity.db 'select count(*) from files')" = 0
check 4.11 "no temporary files" no_tmp site
do_cmd_test 4.12 0 "finished: success" "$PARITY" run --config site/parity.ini --date 2026-01-05
check 4.13 "same results as a run that never failed" \
    cmp -s site/out/2026-01/results.csv ref/out/2026-01/results.csv

# ---- 5. temporary files left by a killed writer ----------------------------------
# A writer killed part-way may leave RESULT.tmp-XXXXXX (where the file
# system has no unnamed files); the next write of RESULT removes it, but not
# one whose writer still lives (it holds a lock on it).
mkdir -p stale
echo partial > stale/results.csv.tmp-abc123
echo partial > stale/trend.csv.tmp-def456
flock -o stale/trend.csv.tmp-def456 sleep 120 > /dev/null 2>&1 &
holder=$!
for _ in $(seq 1 100); do
    flock -n stale/trend.csv.tmp-def456 true || break
    sleep 0.05
done
do_cmd_test 5.1 0 "results:" "$PARITY" analyse --db sample.db --out stale
check 5.2 "a dead writer's temporary file removed" test ! -e stale/results.csv.tmp-abc123
check 5.3 "a live writer's temporary file kept" test -e stale/trend.csv.tmp-def456
kill $holder 2>/dev/null || true
wait $holder 2>/dev/null || true
cp sample.orig sample.db

# ---- 6. a full disk (a small tmpfs) ---------------------------------------------
# Mounting needs root, which CI is; elsewhere these cases fail rather than
# skip (run the suite as root to check them).
mkdir -p full
if mount -t tmpfs -o size=64k tmpfs full 2>/dev/null; then
    umount full
    CLEANUP="umount '$SCRATCH/full' '$SCRATCH/site/full' 2>/dev/null || true; ${CLEANUP:-true}"
    trap 'eval "$CLEANUP"' EXIT
    total=$(du -sk clean | cut -f1)
    # Room for 10%, 35%, 60% and 85% of the report: the disk fills at a
    # different file each time.
    for pct in 10 35 60 85; do
        mount -t tmpfs -o size=$(( total * pct / 100 ))k tmpfs full
        do_cmd_test 6.$pct 74 "No space left on device" \
            "$PARITY" report --db sample.db --out full/out
        check 6.$pct.a "message names a file in the folder" grep -qF "full/out/" out.6.$pct
        check 6.$pct.b "no temporary files" no_tmp full
        check 6.$pct.c "every file left is whole" same_as_clean full/out
        umount full
    done
    mount -t tmpfs -o size=64k tmpfs full
    "$GEN" --kind recruitment --rows 20000 --distinct --seed 3 --out wide.csv
    "$PARITY" ingest -q --db wide.db --kind recruitment wide.csv
    do_cmd_test 6.90 74 "full/counts.csv: cannot write: No space left on device" \
        "$PARITY" export --db wide.db --counts full/counts.csv
    check 6.91 "nothing left on the disk" test -z "$(ls -A full)"
    umount full
    # A run whose output disk is full: the data is kept, the report is not
    # written, and the next run with room writes it.
    make_site site archive full/out
    mkdir site/full
    mount -t tmpfs -o size=256k tmpfs site/full
    do_cmd_test 6.92 74 "No space left on device" \
        "$PARITY" run --config site/parity.ini --date 2026-01-05
    check 6.93 "no temporary files" no_tmp site/full
    umount site/full
    do_cmd_test 6.94 0 "finished: success" "$PARITY" run --config site/parity.ini --date 2026-01-05
    check 6.95 "the report written then" test -f site/full/out/2026-01/board-report.pdf
    check 6.96 "same results as a run that never failed" \
        cmp -s site/full/out/2026-01/results.csv ref/out/2026-01/results.csv
else
    echo "FAIL 6: cannot mount a tmpfs here (not root?): the full-disk cases did not run"
    FAILED=$((FAILED + 1))
fi
finish
