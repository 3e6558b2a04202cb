#!/usr/bin/env bash
# run_return.sh: `parity run` with board and survey files in the inbox (the
# failure this guards: the run had never been tried with them, and wrote no
# return). The run takes every kind, writes the year's return beside its
# report from the report's own published set, and quarantines a broken
# board file like any other.
source "$(dirname "$0")/lib.sh"
S=$SRC/sample-data
D=$SRC/tests/data/return

mkdir -p site/inbox/board site/state
cat > site/parity.ini <<'INI'
[paths]
database = state/parity.db
inbox = inbox
archive = archive
quarantine = quarantine
output = out
log = parity.log
INI
for k in recruitment workforce training disciplinary survey; do
    cp "$S/$k.csv" "site/inbox/$k-2026-03.csv"
done
cp "$S/board.csv" site/inbox/board/members.csv        # kind from the subfolder
cp "$D/board_bad_flag.csv" site/inbox/board-broken.csv # kind from the name

# 1. One run takes all six kinds and writes the return beside the report.
do_cmd_test 1.1 65 "partly succeeded" "$PARITY" run --config site/parity.ini --date 2026-04-05
check 1.2 "the board file is stored" grep -q "members.csv (board): 435 rows, 435 stored" site/parity.log
check 1.3 "the survey file is stored" grep -q "survey-2026-03.csv (survey): 750 rows, 750 stored" site/parity.log
check 1.4 "the broken board file is quarantined" test -f site/quarantine/board-broken.csv
check 1.5 "with its line" grep -q "line 3: column 'voting'" site/quarantine/board-broken.csv.error.txt
O=site/out/2026-04
check 1.6 "the report" test -s $O/board-report.pdf
check 1.7 "return.csv beside it" test -s $O/return.csv
check 1.8 "the WRES workbook" test -s $O/wres-2025-26.xlsx
check 1.9 "the WDES workbook" test -s $O/wdes-2025-26.xlsx
check 1.10 "the log says so" grep -q "return written to .*return.csv" site/parity.log
check 1.11 "the report has the return at a glance" \
    sh -c "pdftotext $O/board-report.pdf - | grep -q 'WRES: the whole return at a glance'"
# Survey rows reached the return (WRES 5, from the survey file).
check 1.12 "survey figures in the return" grep -q '^WRES,5 ' $O/return.csv
check 1.13 "board figures in the return" grep -q '^WRES,9 voting,R0A,' $O/return.csv

# 2. The same return as `parity return` makes from the run's database: one
#    published set, whichever command builds it.
do_cmd_test 2.1 0 "wrote" "$PARITY" return --db site/state/parity.db --year 2025/26 --out alone
check 2.2 "return.csv is the same file" cmp -s $O/return.csv alone/return.csv

# 3. A later month with nothing new: the year's return again.
do_cmd_test 3.1 0 "finished: success" "$PARITY" run --config site/parity.ini --date 2026-05-05
check 3.2 "the return again" cmp -s $O/return.csv site/out/2026-05/return.csv

# 4. A run configured away from the defaults passes its options to the
#    report and the return alike: `parity return` given the same options
#    writes the same return.csv, and the run's report and return agree on
#    every figure they share (tests/e2e/return_agree.py). The return made
#    with the default analysis differs (the check can fail).
mkdir -p site2/inbox site2/state
sed 's/^log = parity.log$/log = parity.log\n\n[report]\nsuppress = 10\nrolling_window = 1\nmethod = katz\nlevel = 0.9/' \
    site/parity.ini > site2/parity.ini
for k in recruitment workforce training disciplinary survey board; do
    cp "$S/$k.csv" "site2/inbox/$k-2026-03.csv"
done
do_cmd_test 4.1 0 "finished: success" "$PARITY" run --config site2/parity.ini --date 2026-04-05
O2=site2/out/2026-04
do_cmd_test 4.2 0 "agree" python3 "$SRC/tests/e2e/return_agree.py" $O2 $O2
do_cmd_test 4.3 0 "wrote" "$PARITY" return --db site2/state/parity.db --period 2025/26 \
    --suppress 10 --window-years 1 --method katz --level 0.9 --out alone2
check 4.4 "return.csv is the run's" cmp -s $O2/return.csv alone2/return.csv
do_cmd_test 4.5 0 "wrote" "$PARITY" return --db site2/state/parity.db --year 2025/26 \
    --suppress 10 --out default2
check 4.6 "with the default analysis it is not" sh -c '! cmp -s "$0" "$1"' $O2/return.csv default2/return.csv
do_cmd_test 4.7 1 "DIFFERENT" python3 "$SRC/tests/e2e/return_agree.py" $O2 default2
finish
