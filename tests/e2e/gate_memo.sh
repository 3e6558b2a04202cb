#!/usr/bin/env bash
# gate_memo.sh: the disclosure gate's clean-ups remembered across runs (the
# store's table gate_memo, schema 11). The first report on a store keeps
# the outcome of each large clean-up; the next report applies it instead
# of trying each hidden count again, and must publish exactly what a report
# that works everything out publishes (the memo emptied); `parity return`
# uses it too. The sample's year has clean-ups of over a thousand trials.
source "$(dirname "$0")/lib.sh"
S=$SRC/sample-data

for k in recruitment workforce training disciplinary board survey; do
    "$PARITY" ingest -q --db s.db --kind "$k" "$S/$k.csv"
done
memo() { sqlite3 s.db "$1"; }
# Every file a report writes that says what is published; the PDF as
# text, less the lines that give the run's id and the database file.
same_outputs() { # same_outputs DIR1 DIR2
    local f
    for f in return.csv report-tables.csv results.csv trend.csv changes.txt; do
        [ -e "$1/$f" ] || [ -e "$2/$f" ] || continue
        cmp -s "$1/$f" "$2/$f" || { echo "    $f differs"; return 1; }
    done
    cmp -s <(pdftotext -layout "$1/board-report.pdf" - | grep -v -e '^Run id' -e '^Database') \
        <(pdftotext -layout "$2/board-report.pdf" - | grep -v -e '^Run id' -e '^Database') ||
        { echo "    board-report.pdf differs"; return 1; }
}

# 1. The first report keeps its clean-ups.
do_cmd_test 1.1 0 "board report" "$PARITY" report --db s.db --out first
kept=$(memo "select count(*) from gate_memo")
check 1.2 "it kept clean-ups ($kept)" test "$kept" -ge 1
check 1.3 "each an outcome under a SHA-256" \
    test "$(memo "select count(*) from gate_memo where length(key) = 64")" = "$kept"

# 2. The second applies them (each one used again), and learns nothing new.
do_cmd_test 2.1 0 "board report" "$PARITY" report --db s.db --out second
check 2.2 "the same clean-ups, none new" test "$(memo "select count(*) from gate_memo")" = "$kept"
check 2.3 "each applied" test "$(memo "select count(*) from gate_memo where used = 2")" = "$kept"
check 2.4 "it publishes what the first did" same_outputs first second

# 3. From scratch (the memo emptied: a cache, nothing lost) the same again.
memo "delete from gate_memo"
do_cmd_test 3.1 0 "board report" "$PARITY" report --db s.db --out scratch
check 3.2 "the memo's report is the one worked out" same_outputs second scratch
check 3.3 "learned again" test "$(memo "select count(*) from gate_memo")" = "$kept"

# 4. `parity return` applies it too, and its return is the one worked out.
do_cmd_test 4.1 0 "wrote" "$PARITY" return --db s.db --out ret
check 4.2 "the year's clean-up used again" \
    test "$(memo "select count(*) from gate_memo where used = 2")" -ge 1
cp s.db fresh.db
sqlite3 fresh.db "delete from gate_memo"
do_cmd_test 4.3 0 "wrote" "$PARITY" return --db fresh.db --out ret-scratch
check 4.4 "the same return" cmp -s ret/return.csv ret-scratch/return.csv

# 5. Another threshold is another clean-up: nothing of the threshold 5's is
#    applied, and the report equals one worked out.
do_cmd_test 5.1 0 "board report" "$PARITY" report --db s.db --suppress 7 --out seven
check 5.2 "new clean-ups kept" test "$(memo "select count(*) from gate_memo")" -gt "$kept"
cp s.db fresh.db
sqlite3 fresh.db "delete from gate_memo"
do_cmd_test 5.3 0 "board report" "$PARITY" report --db fresh.db --suppress 7 --out seven-scratch
check 5.4 "the same as worked out" same_outputs seven seven-scratch

finish
