#!/usr/bin/env bash
# periods_cli.sh: --period ranges (FIRST..LAST) and "all", and the note on
# the terminal when a period runs past the data (issue 13).
source "$(dirname "$0")/lib.sh"
D=$SRC/tests/data/periods

# recruitment.csv, by hand (White = A, BME = H; every row shortlisted):
#   2024-04: White 2 of 4 appointed, BME 1 of 4
#   2024-07: White 1 of 4,           BME 1 of 2
#   2025-02: White 1 of 1,           BME 0 of 1
"$PARITY" ingest --db p.db --kind recruitment "$D/recruitment.csv" >/dev/null

# WRES2 overall: period, x1 (White appointed), n1 (White shortlisted), x2, n2.
wres2() {
    grep '^WRES2,white_bme,White,BME,overall,' "$1/results.csv" | cut -d, -f7,8,9,11,12
}

# 1. A range counts the months from its first end to its last, and no more.
do_cmd_test 1.1 0 "" "$PARITY" analyse --db p.db --period 2024-01..2024-06 --out r1
check 1.2 "2024-01..2024-06 counts April only: 2/4 vs 1/4" \
    test "$(wres2 r1)" = "2024-01..2024-06,2,4,1,4"
do_cmd_test 1.3 0 "" "$PARITY" analyse --db p.db --period 2024-04..2024-07 --out r2
check 1.4 "2024-04..2024-07 counts April and July: 3/8 vs 2/6" \
    test "$(wres2 r2)" = "2024-04..2024-07,3,8,2,6"
check 1.5 "a period inside the data span has no coverage note" \
    bash -c '! grep -q "partly covered" out.1.3'
# Ends of a range may be any period: 2024/25 is 2024-04..2025-03.
do_cmd_test 1.6 0 "" "$PARITY" analyse --db p.db --period 2024..2024/25 --out r3
check 1.7 "2024..2024/25 is 2024-01..2025-03: everything" \
    test "$(wres2 r3)" = "2024-01..2025-03,4,9,2,7"

# 2. "all": from the first month with data to the last.
do_cmd_test 2.1 0 "" "$PARITY" analyse --db p.db --period all --out r4
check 2.2 "all is 2024-04..2025-02: 4/9 vs 2/7" \
    test "$(wres2 r4)" = "2024-04..2025-02,4,9,2,7"

# 3. A period that runs past the data says so on stderr, naming the months
#    that hold data; stdout stays the summary.
"$PARITY" analyse --db p.db --period 2024-01..2025-12 --out r5 >out.3.stdout 2>out.3.stderr
check 3.1 "the note is on stderr" grep -qF "period 2024-01..2025-12 is only partly covered by data: 3 of its 24 months hold recruitment, disciplinary or training data (2024-04, 2024-07, 2025-02)" out.3.stderr
check 3.2 "not on stdout" bash -c '! grep -q "partly covered" out.3.stdout'
check 3.3 "results.csv flags it too" grep -q "period_partly_covered" r5/results.csv

# 4. Reversed and malformed ranges are usage errors (exit 64), for analyse
#    and report alike.
do_cmd_test 4.1 64 "runs backwards" \
    "$PARITY" analyse --db p.db --period 2025-12..2024-01 --out r6
do_cmd_test 4.2 64 "is not FIRST..LAST" \
    "$PARITY" analyse --db p.db --period 2024-01.. --out r6
do_cmd_test 4.3 64 "each end must be" \
    "$PARITY" analyse --db p.db --period 2024-01..2024-13 --out r6
do_cmd_test 4.4 64 "runs backwards" \
    "$PARITY" report --db p.db --period 2025-12..2024-01 --out r7
do_cmd_test 4.5 0 "2024-01..2025-12" "$PARITY" analyse --help
finish
