#!/usr/bin/env bash
# run_safety.sh: the unattended monthly run never stalls or lies, and -q
# means errors only. Each case is a fault seen in the field:
#   1 a 252-byte file name (legal) whose derived names are too long
#   2 an output folder that exists but cannot be written
#   3 a file name with a line break forging a line of changes.txt
#   4 retention removing a user's folder that merely looks like a month
#   5 symbolic links and FIFOs in the inbox passed over in silence
#   6 a first run with an empty inbox
#   7 missing parent folders of the database, log and output
#   8 -q printing analysis lines, and a lock error under -q printing nothing
#   9 a corrected delivery stored by a run killed before it noted the file,
#     reported by the next run as new data
source "$(dirname "$0")/lib.sh"

make_site() {
    mkdir -p "$1/inbox" "$1/state"   # missing folders are case 7
    printf '[paths]\ndatabase = state/parity.db\ninbox = inbox\narchive = archive\nquarantine = quarantine\noutput = out\nlog = parity.log\n%s' "${2:-}" > "$1/parity.ini"
}
count_lines() { wc -l < "$1" | tr -d ' '; }

# ---- 1: a long but legal name; the file after it is still taken ------------
make_site long
pad=$(printf 'x%.0s' $(seq 1 236))
long="recruitment-$pad.csv"            # 12 + 236 + 4 = 252 bytes (NAME_MAX 255)
check 1.0 "the name is 252 bytes" test "${#long}" = 252
# 1100 of the sample's 52500 rows (2.1%) get an impossible date: above the 1% allowed,
# so the file is refused and its rejects file must be written.
sed '2,1101s/,20[0-9][0-9]-[0-9][0-9]-[0-9][0-9],/,2021-13-45,/' \
    "$SRC/sample-data/recruitment.csv" > "long/inbox/$long"
cp "$SRC/sample-data/workforce.csv" long/inbox/workforce-2026.csv
do_cmd_test 1.1 65 "quarantined" "$PARITY" run --config long/parity.ini --date 2026-01-05
check 1.2 "the long-named file is in quarantine" test -f "long/quarantine/$long"
check 1.3 "its rejects file was written, shortened" \
    bash -c 'ls long/quarantine | grep -q "^recruitment-xxx.*~[0-9a-f]\{16\}\.rejects\.csv$"'
check 1.4 "its error report was written" \
    bash -c 'ls long/quarantine | grep -q "~[0-9a-f]\{16\}\.error\.txt$"'
check 1.5 "the file after it was archived" test -f long/archive/2026-01/workforce-2026.csv
check 1.6 "the inbox is empty" test -z "$(ls long/inbox)"

# ---- 2: an output folder that exists but cannot be written ------------------
# Run as an unprivileged user: root passes permission checks, nobody does not.
make_site ro
cp "$SRC/sample-data/recruitment.csv" ro/inbox/recruitment-2026.csv
mkdir -p ro/out ro/state
chown -R nobody ro
chmod 0500 ro/out
chmod o+rx . ..
as_nobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }
do_cmd_test 2.1 74 "ro/out: cannot write in this folder" \
    as_nobody "$PARITY" run --config ro/parity.ini --date 2026-01-05
check 2.2 "the file is still in the inbox" test -f ro/inbox/recruitment-2026.csv
check 2.3 "nothing was archived" test ! -e ro/archive/2026-01
check 2.4 "nothing was ingested" \
    bash -c 'test ! -e ro/state/parity.db || test "$(sqlite3 ro/state/parity.db "select count(*) from files")" = 0'

# ---- 3: a line break in a file name ------------------------------------------
make_site nl
nlname=$'recruitment-a\n- new data payroll.csv (recruitment): 99999 rows.csv'
cp "$SRC/sample-data/recruitment.csv" "nl/inbox/$nlname"
do_cmd_test 3.1 0 "" "$PARITY" run --config nl/parity.ini --date 2026-01-05
check 3.2 "changes.txt has no forged line" \
    bash -c '! grep -q "^- new data payroll" nl/out/2026-01/changes.txt'
check 3.3 "changes.txt shows the name escaped" \
    grep -qF 'recruitment-a\n- new data payroll' nl/out/2026-01/changes.txt
check 3.4 "the log has no forged line" bash -c '! grep -q "^- new data payroll" nl/parity.log'

# ---- 4: retention removes only folders parity made ---------------------------
make_site keep $'\n[retention]\nkeep_outputs = 1\n'
mkdir -p keep/out/2025-Q4 keep/out/2024-01
echo mine > keep/out/2025-Q4/notes.txt
echo mine > keep/out/2024-01/user.txt
cp "$SRC/sample-data/recruitment.csv" keep/inbox/recruitment-2026.csv
do_cmd_test 4.1 0 "" "$PARITY" run --config keep/parity.ini --date 2026-01-05
do_cmd_test 4.2 0 "" "$PARITY" run --config keep/parity.ini --date 2026-02-05
check 4.3 "the user's 2025-Q4 folder is kept" test -f keep/out/2025-Q4/notes.txt
check 4.4 "the user's 2024-01 folder (never parity's) is kept" test -f keep/out/2024-01/user.txt
check 4.5 "parity's older month was removed (keep_outputs = 1)" test ! -e keep/out/2026-01
check 4.6 "the newest month is kept" test -f keep/out/2026-02/board-report.pdf

# ---- 5: symbolic links and FIFOs are logged ------------------------------------
make_site odd
cp "$SRC/sample-data/recruitment.csv" odd/real.csv
ln -s ../real.csv odd/inbox/recruitment-link.csv
mkfifo odd/inbox/recruitment-pipe.csv
cp "$SRC/sample-data/recruitment.csv" odd/inbox/recruitment-2026.csv
do_cmd_test 5.1 0 "" timeout 60 "$PARITY" run --config odd/parity.ini --date 2026-01-05
check 5.2 "the link is logged with the reason" \
    grep -q "recruitment-link.csv: skipped: a symbolic link" odd/parity.log
check 5.3 "the FIFO is logged with the reason" \
    grep -q "recruitment-pipe.csv: skipped: a FIFO" odd/parity.log
check 5.4 "both are left in place" test -L odd/inbox/recruitment-link.csv -a -p odd/inbox/recruitment-pipe.csv

# ---- 6: a first run with an empty inbox is a success ---------------------------
make_site empty
mkdir -p empty/state
do_cmd_test 6.1 0 "nothing new in the inbox" \
    "$PARITY" run --config empty/parity.ini --date 2026-01-05
check 6.2 "the log says nothing was new" grep -q "nothing new in the inbox" empty/parity.log
check 6.3 "the log says success" grep -q "finished: success" empty/parity.log

# ---- 7: missing parent folders are made -----------------------------------------
mkdir -p deep/inbox
printf '[paths]\ndatabase = db/a/parity.db\ninbox = inbox\narchive = archive\nquarantine = quarantine\noutput = o/p/out\nlog = logs/b/parity.log\n' > deep/parity.ini
cp "$SRC/sample-data/recruitment.csv" deep/inbox/recruitment-2026.csv
do_cmd_test 7.1 0 "" "$PARITY" run --config deep/parity.ini --date 2026-01-05
check 7.2 "database made in its new folder" test -f deep/db/a/parity.db
check 7.3 "log made in its new folder" test -f deep/logs/b/parity.log
check 7.4 "report made in its new folder" test -f deep/o/p/out/2026-01/board-report.pdf
do_cmd_test 7.5 0 "" "$PARITY" ingest --db new/x/parity.db --kind recruitment \
    "$SRC/sample-data/recruitment.csv"
do_cmd_test 7.6 0 "" "$PARITY" analyse --db new/x/parity.db --out made/a/b
check 7.7 "analyse --out a/b made a" test -f made/a/b/results.csv
do_cmd_test 7.8 0 "" "$PARITY" export --db new/x/parity.db --counts made/c/d/counts.csv

# ---- 8: quiet means errors only -------------------------------------------------
make_site quiet
cp "$SRC/sample-data/recruitment.csv" quiet/inbox/recruitment-2026.csv
s=0
"$PARITY" run --config quiet/parity.ini --date 2026-01-05 -q > q.out 2> q.err || s=$?
check 8.1 "run -q succeeded ($s)" test "$s" = 0
check 8.2 "run -q printed nothing on stdout ($(count_lines q.out) lines)" test ! -s q.out
check 8.3 "run -q printed nothing on stderr ($(count_lines q.err) lines)" test ! -s q.err
check 8.4 "the log still has every line" grep -q "finished: success" quiet/parity.log
flock quiet/state/parity.db.lock sleep 5 &
holder=$!
sleep 0.5
s=0
"$PARITY" run --config quiet/parity.ini --date 2026-01-05 -q > q2.out 2> q2.err || s=$?
kill $holder 2>/dev/null || true
wait $holder 2>/dev/null || true
check 8.5 "a locked run under -q exits 75 ($s)" test "$s" = 75
check 8.6 "and says why on stderr" grep -q "another parity run is using" q2.err
check 8.7 "and prints nothing on stdout" test ! -s q2.out
s=0
"$PARITY" ingest -q --db quiet/state/parity.db --kind recruitment /nonexistent.csv \
    > q3.out 2> q3.err || s=$?
check 8.8 "ingest -q of a missing file exits 66 ($s)" test "$s" = 66
check 8.9 "and says so on stderr" grep -q "nonexistent.csv" q3.err
s=0
"$PARITY" ingest -q --db quiet/state/parity.db --kind workforce \
    "$SRC/sample-data/workforce.csv" > q4.out 2> q4.err || s=$?
check 8.10 "ingest -q prints nothing on success ($s)" test "$s" = 0 -a ! -s q4.out -a ! -s q4.err

# ---- 9: a correction stored by an interrupted run is still a correction ------
# A run killed right after a corrected delivery's commit, before it noted
# the file, is the same as the file stored by hand with --replace; the next
# run must report it as corrected (it said "new data" before: history
# counted one correction where there were two).
make_site corr
head -2001 "$SRC/sample-data/recruitment.csv" > corr-a.csv
# The correction: the same rows with some appointments of shortlisted
# applicants undone (every 9th row), so it supersedes a's months whole.
awk -F, -v OFS=, 'NR > 1 && NR % 9 == 0 && $(NF-1) == "Y" && $NF == "Y" { $NF = "N" } { print }' \
    corr-a.csv > corr-a2.csv
check 9.0 "the correction differs" bash -c '! cmp -s corr-a.csv corr-a2.csv'
cp corr-a.csv corr/inbox/recruitment-a.csv
do_cmd_test 9.1 0 "" "$PARITY" run --config corr/parity.ini --date 2026-01-05
do_cmd_test 9.2 0 "replaced" "$PARITY" ingest --db corr/state/parity.db --replace \
    --kind recruitment corr-a2.csv
cp corr-a2.csv corr/inbox/recruitment-a2.csv
do_cmd_test 9.3 0 "" "$PARITY" run --config corr/parity.ini --date 2026-02-05
check 9.4 "the next run reports it as corrected" \
    grep -q "corrected.*recruitment-a2.csv\|recruitment-a2.csv.*corrected" corr/out/2026-02/changes.txt
check 9.5 "the history counts it as corrected" \
    test "$(sqlite3 corr/state/parity.db "select count(*) from run_files where event = 'corrected'")" = 1

finish
