#!/usr/bin/env bash
# return_disclosure.sh: the board report and the annual return of one year
# read together. tests/e2e/return_attack.py, written apart from the gate,
# reads report-tables.csv (and the PDF) with return.csv, writes down every
# sum a reader knows (the templates' groups, bands, clusters, sides and board
# splits, and the ties between the documents: an organisation's White and
# BME staff are the base of its WRES 4, all organisations add up to the
# report's overall and pay band rows, the non-clinical sides to the
# administrative and estates staff groups) and tries to recover each hidden
# count. Before the return joined the report's gate, 47 counts of 1 to 4
# were recovered from the demo's pair (the return was gated apart, per
# organisation, and knew neither the report's totals nor that a side's
# BME staff are its bands' BME staff). Cases:
#   1. the demo (report and return of 2025/26);
#   2. the sample scaled down to 5%, so that most cells are small;
#   3. the report and the return agree on every count they share.
# Each attack is also shown able to fail: with every [c] count of return.csv
# read as if printed it must recover a small count.
source "$(dirname "$0")/lib.sh"
command -v python3 > /dev/null || { echo "FAIL: python3 is not installed"; exit 1; }
ATTACK=(python3 "$SRC/tests/e2e/return_attack.py")
GEN="$(dirname "$PARITY")/parity-sample-gen"

# ---- 1. the demo -----------------------------------------------------------
do_cmd_test 1.1 0 "wres-2025-26.xlsx" "$PARITY" demo --out demo
do_cmd_test 1.2 0 "wrote open/return.csv" \
    "$PARITY" return --db demo/parity.db --year 2025/26 --out open --suppress 0
do_cmd_test 1.3 0 "return attack:" "${ATTACK[@]}" demo demo open
do_cmd_test 1.4 1 "RECOVERED" "${ATTACK[@]}" --reveal-secondaries demo demo open

# ---- 2. the sample scaled down: most cells small ------------------------------
mkdir -p small
"$GEN" --seed 3 --scale 0.05 --out small > /dev/null
do_cmd_test 2.1 0 "wres-2025-26.xlsx" "$PARITY" demo --sample small --out small-demo
do_cmd_test 2.2 0 "wrote small-open/return.csv" \
    "$PARITY" return --db small-demo/parity.db --year 2025/26 --out small-open --suppress 0
do_cmd_test 2.3 0 "return attack:" "${ATTACK[@]}" small-demo small-demo small-open
do_cmd_test 2.4 1 "RECOVERED" "${ATTACK[@]}" --reveal-secondaries small-demo small-demo \
    small-open

# ---- 3. one decision per shared count ------------------------------------------
# An organisation's White and BME staff at the snapshot: WRES 4's base in
# report-tables.csv and the WRES 1 workforce count in return.csv are both
# printed or both hidden, and equal when printed.
for d in demo small-demo; do
    python3 - "$d/report-tables.csv" "$d/return.csv" > "$d.shared" <<'PY'
import csv, sys
rep = {}
for r in csv.DictReader(open(sys.argv[1])):
    if r["indicator"] == "WRES4" and r["stratum_kind"] == "organisation":
        rep[(r["stratum"], r["group1"])] = r["base1"].replace(",", "")
        rep[(r["stratum"], r["group2"])] = r["base2"].replace(",", "")
bad = 0
for r in csv.DictReader(open(sys.argv[2])):
    if r["standard"] == "WRES" and r["indicator"] == "1 workforce" and r["group"] != "Unknown":
        a, b = rep.get((r["organisation"], r["group"])), r["numerator"]
        hidden = lambda t: not t.isdigit()
        if a is None or hidden(a) != hidden(b) or (not hidden(a) and a != b):
            print("DIFFERENT", r["organisation"], r["group"], a, b)
            bad += 1
print("shared", bad)
PY
    check "3.$d" "$d: the shared counts are decided alike" grep -qx "shared 0" "$d.shared"
done
finish
