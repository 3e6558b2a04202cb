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
#   3. the report and the return agree on every count they share, with the
#      default options and with others given to both (and a return made
#      with the default analysis beside a report made otherwise is shown
#      to differ, so the check can fail);
#   4. 25 organisations of 100 staff and 10 board members each: past 20
#      organisations each organisation's return has a gate of its own, tied
#      to the report's gate by the organisation's part of each sum across
#      organisations (the worst case assumed on its side).
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
AGREE=(python3 "$SRC/tests/e2e/return_agree.py")
do_cmd_test 3.3 0 "differ 0" "${AGREE[@]}" demo demo
OPTS=(--period 2025/26 --suppress 10 --window-years 1 --method katz --level 0.9
      --intersect sex,disability)
do_cmd_test 3.4 0 "board report" "$PARITY" report --db demo/parity.db --out opt-rep "${OPTS[@]}"
do_cmd_test 3.5 0 "wrote opt-ret/return.csv" \
    "$PARITY" return --db demo/parity.db --out opt-ret "${OPTS[@]}"
do_cmd_test 3.6 0 "differ 0" "${AGREE[@]}" opt-rep opt-ret
do_cmd_test 3.7 0 "wrote def-ret/return.csv" \
    "$PARITY" return --db demo/parity.db --out def-ret --year 2025/26 --suppress 10
do_cmd_test 3.8 1 "DIFFERENT" "${AGREE[@]}" opt-rep def-ret
# With bank staff counted, WRES 4's base is no longer WRES 1's workforce
# (which leaves bank out by definition): the rest must still agree.
do_cmd_test 3.9 0 "board report" "$PARITY" report --db demo/parity.db --out bank-rep \
    --include-bank --disclosure nhs-digital
do_cmd_test 3.10 0 "wrote bank-ret/return.csv" \
    "$PARITY" return --db demo/parity.db --out bank-ret --include-bank --disclosure nhs-digital
do_cmd_test 3.11 0 "differ 0" "${AGREE[@]}" --bank-included bank-rep bank-ret

# ---- 4. many organisations: a gate per organisation --------------------------
python3 - <<'PY'
import random
random.seed(7)
eth = "AAAAAABCDHJKMNRSZ"
bands = ["2", "3", "4", "5", "6", "7", "8a", "8b", "8c", "8d", "9", "VSM", "Medical"]
weights = [10, 14, 10, 16, 14, 10, 5, 3, 2, 1, 1, 1, 8]
groups = ["Administrative and Clerical", "Estates and Ancillary",
          "Nursing and Midwifery Registered", "Allied Health Professionals",
          "Additional Clinical Services", "Healthcare Scientists"]
with open("many_workforce.csv", "w") as w, open("many_board.csv", "w") as b, \
        open("many_training.csv", "w") as t:
    w.write("staff_id,organisation,snapshot_date,ethnic_category,sex,disability,"
            "age_band,pay_band,staff_group,contract\n")
    b.write("member_id,organisation,date,ethnic_category,sex,disability,voting,executive\n")
    t.write("staff_id,organisation,date,ethnic_category,sex,disability,age_band,"
            "pay_band,staff_group\n")
    sid = 0
    for o in range(25):
        org = "X%04d" % o
        for k in range(100):
            sid += 1
            band = random.choices(bands, weights)[0]
            sg = "Medical and Dental" if band == "Medical" else random.choice(groups)
            row = ("S%07d" % sid, org, "2026-03-31", random.choice(eth), random.choice("FM"),
                   random.choice("NNNNNNNNYZ"), "35-44", band, sg)
            w.write(",".join(row) + ",Permanent\n")
            if random.random() < 0.4:
                t.write(",".join((row[0], org, "2025-10-01") + row[3:]) + "\n")
        for m in range(10):
            b.write("B%04d%02d,%s,2026-03-31,%s,F,%s,%s,%s\n" % (
                o, m, org, random.choice(eth), random.choice("NNNNY"),
                "Y" if m < 7 else "N", "Y" if m % 2 else "N"))
PY
for k in workforce board training; do
    "$PARITY" ingest -q --db many.db --kind $k many_$k.csv
done
do_cmd_test 4.1 0 "25 organisations" "$PARITY" return --db many.db --year 2025/26 --out many-ret
do_cmd_test 4.2 0 "board report" "$PARITY" report --db many.db --period 2025/26 --out many-rep
do_cmd_test 4.3 0 "wrote many-open/return.csv" \
    "$PARITY" return --db many.db --year 2025/26 --out many-open --suppress 0
do_cmd_test 4.4 0 "return attack:" "${ATTACK[@]}" many-rep many-ret many-open
do_cmd_test 4.5 1 "RECOVERED" "${ATTACK[@]}" --reveal-secondaries many-rep many-ret many-open
finish
