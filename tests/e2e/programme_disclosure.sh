#!/usr/bin/env bash
# programme_disclosure.sh: the programme's event study through the one
# disclosure gate. A store of three organisations (WRES 2, shortlisted and
# appointed, everyone in one band and staff group, disability not stated):
#
#   organisation  year     White shortlisted/appointed  BME shortlisted/appointed
#   R1T (joins)   2024/25  100 / 40                     50 / 15
#   R1C (never)   2024/25  100 / 30                     60 / 12
#   R1T           2025/26  100 / 45                     50 / 20
#   R1C           2025/26  100 / 30                     60 /  9
#   R1N (never)   2025/26   80 / 20                     40 /  3   (no 2024/25 data)
#
# This year's report (2025/26) prints R1N's 3 BME appointed as "<5"; the
# overall row prints 32, so the gate hides one more count of the sum
# 32 = 20 + 9 + 3 as a complement: R1C's 9 (the smallest, "[c]"). R1N has
# no 2024/25 data, so it enters no comparison: the year-0 effect rests on
# R1T and R1C in both years, whose smallest count is 9. The rule before this
# one (withhold a term when a count of 1 to 4 lies behind it) printed it:
#
#   theta = (R_T,25 / R_T,24) / (R_C,25 / R_C,24), one organisation a pool
#   R_T,25 = (45/100)/(20/50) = 1.125     R_T,24 = (40/100)/(15/50) = 4/3
#   R_C,24 = (30/100)/(12/60) = 1.5       R_C,25 = (30/100)/(9/60) = 2
#   theta  = (1.125 / (4/3)) / (2 / 1.5) = 0.84375 / (4/3) = 0.6328125 -> "0.63"
#
# A reader with last year's report (R_T,24 and R_C,24 printed there, exact)
# and this year's (R_T,25 exact, R1C's White counts and BME base) solves
# R_C,25 = 1.125 x 1.5 / ((4/3) theta) = 1.265625 / theta: theta in
# [0.625, 0.635] gives R_C,25 in [1.9931, 2.0250], and R_C,25 = 18 / x gives
# x in [8.889, 9.031]: x = 9, so R1N's count is 32 - 20 - 9 = 3.
# programme_attack.py, written apart from the gate, does this search.
# The new rule asks the gate whether every count behind the term may be
# known: R1C's 9 is hidden, so the term is withheld ("hidden count").
source "$(dirname "$0")/lib.sh"
command -v python3 > /dev/null || { echo "FAIL: python3 is not installed"; exit 1; }
ATTACK=(python3 "$SRC/tests/e2e/programme_attack.py")

# extract FILE R1N_BME_APPOINTED: the recruitment extract of the table above.
extract() {
    python3 - "$1" "$2" <<'PY'
import sys
cells = [("R1T", 2024, 100, 40, 50, 15), ("R1C", 2024, 100, 30, 60, 12),
         ("R1T", 2025, 100, 45, 50, 20), ("R1C", 2025, 100, 30, 60, 9),
         ("R1N", 2025, 80, 20, 40, int(sys.argv[2]))]
with open(sys.argv[1], "w") as out:
    out.write("application_id,organisation,date,ethnic_category,sex,disability,"
              "age_band,pay_band,staff_group,shortlisted,appointed\n")
    n = 0
    for org, fy, ws, wa, bs, ba in cells:
        for eth, shortlisted, appointed in (("A", ws, wa), ("N", bs, ba)):
            for k in range(shortlisted):
                n += 1
                month = 4 + k % 12  # spread over the financial year
                year, month = fy + (month > 12), (month - 1) % 12 + 1
                out.write(f"APP-{n:06d},{org},{year}-{month:02d}-15,{eth},"
                          f"{'FM'[k % 2]},Z,35-44,5,Administrative and Clerical,Y,"
                          f"{'Y' if k < appointed else 'N'}\n")
PY
}
printf 'cohort_id,name,organisations,start_date,end_date,pairs\nP25,Programme 2025,R1T,2025-04-01,2026-03-31,10\n' > prog.csv

# ---- 1. a complement behind the term ------------------------------------------
extract rec.csv 3
do_cmd_test 1.1 0 "740 stored" "$PARITY" ingest --db a.db --kind recruitment --rejects-dir rej rec.csv
# Before this fix, --programme on a store without every kind failed: "error:
# failed", exit 70 (a kind with no data was taken for an error).
do_cmd_test 1.2 0 "programme: an/programme.csv" \
    "$PARITY" analyse --db a.db --out an --period 2025/26 --programme prog.csv
do_cmd_test 1.3 0 "board-report.pdf" \
    "$PARITY" report --db a.db --out now --period 2025/26 --programme prog.csv
do_cmd_test 1.4 0 "board-report.pdf" "$PARITY" report --db a.db --out last --period 2024/25
check 1.5 "R1N's 3 BME appointed print as <5" \
    grep -q '^by_organisation,WRES2,white_bme,organisation,R1N,2025/26,White,80,20,,BME,40,<5,' now/report-tables.csv
check 1.6 "R1C's 9 is hidden as its complement" \
    grep -q '^by_organisation,WRES2,white_bme,organisation,R1C,2025/26,White,100,30,,BME,60,\[c\],' now/report-tables.csv
check 1.7 "last year's report prints R1T's and R1C's counts" \
    bash -c "grep -q '^by_organisation,WRES2,white_bme,organisation,R1T,2024/25,White,100,40,40.0,BME,50,15,' last/report-tables.csv &&
             grep -q '^by_organisation,WRES2,white_bme,organisation,R1C,2024/25,White,100,30,30.0,BME,60,12,' last/report-tables.csv"
check 1.8 "the term's estimate is the hand-worked 0.6328125, its smallest count 9 (the old rule printed it)" \
    grep -q '^WRES2,event:0,1,0.6328125,.*,9,2024/25 to 2025/26,,"internal; withheld: hidden count"$' now/programme.csv
check 1.9 "the report withholds every WRES 2 term resting on R1C's 2025/26" \
    test "$(grep -c '^programme,WRES2,,term,\(overall\|cohort:P25\|event:0\),.*suppressed (small numbers)$' now/report-tables.csv)" = 3
pdftotext -layout now/board-report.pdf now.txt
check 1.10 "the PDF says why, in plain words" \
    bash -c "tr '\n' ' ' < now.txt | tr -s ' ' | grep -q 'WRES 2: not shown, to protect small numbers (it rests on a count the report hides to protect a small one)'"
check 1.11 "the HTML report prints no ratio of ratios for WRES 2" \
    bash -c "! grep -q '0\.63 (0\.21' now/board-report.html"
check 1.12 "parity analyse's programme.csv says the same as the report's" \
    cmp -s <(cut -d, -f1,2,26 an/programme.csv) <(cut -d, -f1,2,26 now/programme.csv)
check 1.13 "programme.json carries the decision per term" \
    grep -q '"term": "event:0", .*"publication": "internal; withheld: hidden count"}' now/programme.json
do_cmd_test 1.14 0 "may be 1,2,3,4" "${ATTACK[@]}" now last
check 1.14b "and R1C's complement between 8 and 11" grep -q "outcome2 of R1C (printed \[c\]): may be 8,9,10,11" out.1.14
# The attack can succeed: with the effect printed as the old rule printed it,
# the hidden 3 follows.
do_cmd_test 1.15 1 "RECOVERED WRES2 outcome2 of R1N: 3" "${ATTACK[@]}" --old-rule now last

# ---- 2. nothing hidden: the term prints ----------------------------------------
# R1N's 7 BME appointed: no count of 1 to 4, nothing hidden, so the same
# term (the same counts of R1T and R1C: 0.6328125) is published.
extract rec7.csv 7
do_cmd_test 2.1 0 "740 stored" "$PARITY" ingest --db b.db --kind recruitment --rejects-dir rej7 rec7.csv
do_cmd_test 2.2 0 "board-report.pdf" \
    "$PARITY" report --db b.db --out now7 --period 2025/26 --programme prog.csv
do_cmd_test 2.3 0 "board-report.pdf" "$PARITY" report --db b.db --out last7 --period 2024/25
check 2.4 "the term prints as 0.63" \
    grep -q '^programme,WRES2,,term,event:0,2024/25 to 2025/26,.*,0\.63,[0-9.]*,[0-9.]*,,ratio of ratios (event study)$' now7/report-tables.csv
check 2.5 "programme.csv: published" \
    grep -q '^WRES2,event:0,1,0.6328125,.*,"internal; published"$' now7/programme.csv
# The attack's arithmetic fits the printed 0.63 to the true counts.
do_cmd_test 2.6 0 "no count hidden; the printed figures fit the counts" "${ATTACK[@]}" now7 last7

# ---- 3. the policy's threshold and nhs-digital ----------------------------------
# --suppress 3: R1N's 3 is shown, nothing is hidden, the term prints.
do_cmd_test 3.1 0 "board-report.pdf" \
    "$PARITY" report --db a.db --out s3 --period 2025/26 --programme prog.csv --suppress 3
check 3.2 "--suppress 3: published" \
    grep -q '^WRES2,event:0,1,0.6328125,.*,"internal; published"$' s3/programme.csv
# nhs-digital hides 1 to 7 and rounds the rest, with no complement: the
# term (smallest count 9) prints, as under the rule before.
do_cmd_test 3.3 0 "board-report.pdf" \
    "$PARITY" report --db a.db --out nhs --period 2025/26 --programme prog.csv --disclosure nhs-digital
check 3.4 "nhs-digital: published" \
    grep -q '^WRES2,event:0,1,0.6328125,.*,"internal; published"$' nhs/programme.csv

# ---- 4. the sample scaled down to 5% ---------------------------------------------
# WRES 4's event:3 is the change from 2021/22 to 2025/26 of R0A (RM22, joined
# 2022/23) against R0F alone (every other organisation has joined by then).
# R0F's BME staff in 2025/26 are hidden as a complement (R0C's are "<5"):
# the rule before this one printed the term (its smallest count is 7); now
# it is withheld, and nothing else changes.
GEN="$(dirname "$PARITY")/parity-sample-gen"
mkdir -p small
"$GEN" --seed 3 --scale 0.05 --out small > /dev/null
do_cmd_test 4.1 0 "board-report.pdf" "$PARITY" demo --sample small --out small-demo
check 4.2 "R0F's BME staff in 2025/26 are a complement" \
    grep -q '^by_organisation,WRES4,white_bme,organisation,R0F,2025/26,White,35,20,,BME,\[c\],8,' small-demo/report-tables.csv
check 4.3 "WRES 4 event:3: smallest count 7, withheld: hidden count" \
    grep -q '^WRES4,event:3,1,.*,7,2021/22 to 2025/26,,"internal; withheld: hidden count"$' small-demo/programme.csv
check 4.4 "every other term decided as the rule before decided it" \
    python3 -c '
import csv, sys
diff = [r["indicator"] + " " + r["term"] for r in csv.DictReader(open("small-demo/programme.csv"))
        if (r["publication"] == "internal; published") !=
           (r["estimable"] == "1" and not 1 <= int(r["smallest_count"]) < 5)]
sys.exit(diff != ["WRES4 event:3"])'
finish
