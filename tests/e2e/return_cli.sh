#!/usr/bin/env bash
# return_cli.sh: `parity return` and the board kind. WRES 1 / WDES 1 and
# WRES 9 / WDES 10 on a small hand-worked extract (tests/data/return), the
# edge cases (a band with no staff, a board with no BME member, a board
# without a workforce, bank staff and an earlier snapshot left out), the
# disclosure gate over return.csv, and the sample's figures recomputed from
# the raw extracts by an independent Python reading.
source "$(dirname "$0")/lib.sh"
D=$SRC/tests/data/return

# 1. Usage and errors.
do_cmd_test 1.1 0 "Usage: parity return" "$PARITY" return --help
do_cmd_test 1.2 64 "--db DB and --out DIR are required" "$PARITY" return --db r.db
do_cmd_test 1.3 64 "did you mean '--year'" "$PARITY" return --db r.db --yeer 2025/26 --out o
do_cmd_test 1.4 66 "" "$PARITY" return --db missing.db --year 2025/26 --out o
"$PARITY" ingest -q --db r.db --kind workforce "$D/workforce.csv"
do_cmd_test 1.5 64 "financial year, such as 2025/26" "$PARITY" return --db r.db --year 2025-Q1 --out o
do_cmd_test 1.6 64 "--year" "$PARITY" return --db r.db --year 20x5/26 --out o
do_cmd_test 1.7 65 "no workforce snapshot in 2023/24" "$PARITY" return --db r.db --year 2023/24 --out o
# --period as the report spells it; the two must not disagree; no year at
# all is the report's default, here (no ratios to analyse) the year of the
# latest snapshot.
do_cmd_test 1.8 64 "--year and --period name one year" \
    "$PARITY" return --db r.db --year 2025/26 --period 2024/25 --out o
do_cmd_test 1.9 65 "no workforce snapshot in 2023/24" "$PARITY" return --db r.db --period 2023/24 --out o
do_cmd_test 1.10 0 "Return 2025/26" "$PARITY" return --db r.db --out o-default
do_cmd_test 1.11 64 "--window-years '0'" "$PARITY" return --db r.db --window-years 0 --out o

# 2. The board kind: a missing column refuses the file; a bad flag is a
#    reject with its line; the file is taken like any other kind.
do_cmd_test 2.1 65 "required column 'voting' is missing" \
    "$PARITY" ingest --db r.db --kind board "$D/board_no_voting.csv"
cp "$D/board_bad_flag.csv" .
do_cmd_test 2.2 65 "line 3: column 'voting': expected Y or N" \
    "$PARITY" ingest --db bad.db --kind board board_bad_flag.csv
check 2.3 "the reject is kept with its line" grep -q '^3,"column ' board_bad_flag.csv.rejects.csv
do_cmd_test 2.4 0 "14 rows read, 14 stored, 0 rejected" \
    "$PARITY" ingest --db r.db --kind board "$D/board.csv"

# 2m. Both new kinds take a mapping file for their columns and values: a
#     board extract with its own headers and Yes/No flags, a survey file
#     with its own headers (the failure this caught: the mapping refused
#     their canonical names).
do_cmd_test 2.5 0 "2 rows read, 2 stored, 0 rejected" \
    "$PARITY" ingest --db mapped.db --map "$D/board_mapped.ini" "$D/board_mapped.csv"
check 2.6 "the mapped flags are stored as voting / executive" test \
    "$(sqlite3 mapped.db "select group_concat(staff_group || ' ' || contract, ';') from (select * from cells order by ethnic_category)")" = \
    "executive voting;non-executive non-voting"
do_cmd_test 2.7 0 "2 rows read, 2 stored, 0 rejected" \
    "$PARITY" ingest --db mapped.db --map "$D/survey_mapped.ini" "$D/survey_mapped.csv"

# Two boards may number their members alike; within one board on one date
# a repeated id is a duplicate (the failure this caught: T02's M1 was
# refused as T01's).
printf 'member_id,organisation,date,ethnic_category,disability,voting,executive\nM1,T01,2026-03-31,A,N,Y,Y\nM1,T02,2026-03-31,A,N,Y,Y\nM1,T02,2026-03-31,H,N,Y,N\n' > two_boards.csv
do_cmd_test 2.8 65 "line 4: duplicate member_id on the same snapshot (first on line 3)" \
    "$PARITY" ingest --db two.db --kind board two_boards.csv

# 3. Hand-worked figures, gate off (--suppress 0). T01 at 31 March 2026,
#    bank (7) and the 2025 snapshot left out: 42 staff.
#    non-clinical band 3: White 6, BME 4, Unknown 2 of 12 = 50, 33.3333, 16.6667
#    clinical band 5: White 10, BME 10 of 20 = 50; medical: 5 of 10 = 50
#    clinical all bands: White 15 of 30 = 50
#    workforce: White 21, BME 19, Unknown 2 of 42: 19/42 = 45.238095
#    WDES cluster 1 non-clinical: Disabled 2 of 12 = 16.6667; cluster 2
#    clinical: 3 of 20 = 15; workforce Disabled 5 of 42 = 11.904762
#    Board (8): White A,A,A,A,C = 5, BME H,N = 2, Z = 1: BME 2/8 = 25;
#    voting (6): BME 1/6 = 16.666667; executive (4): 1/4 = 25;
#    non-voting (2): 1/2 = 50. Differences: 25 - 45.238095 = -20.2381;
#    16.666667 - 45.238095 = -28.5714. WDES 10: Disabled 1/8 = 12.5,
#    12.5 - 11.904762 = 0.5952.
#    T02: no BME board member: 0/5 = 0, workforce BME 10/20 = 50: -50.
#    T03 has a board but no workforce: left out.
do_cmd_test 3.1 0 "2 organisations (2 with board data)" \
    "$PARITY" return --db r.db --year 2025/26 --out open --suppress 0
check 3.2 "7 bank staff reported" grep -q '7 bank staff left out' out.3.1
want() { # id line [file]
    check "$1" "$2" grep -qxF -- "$2" "${3:-open/return.csv}"
}
want 3.3 'standard,indicator,organisation,group,numerator,denominator,value,ci_low,ci_high,suppressed'
want 3.4 'WRES,1 non-clinical band 3,T01,White,6,12,50.0000,,,0'
want 3.5 'WRES,1 non-clinical band 3,T01,BME,4,12,33.3333,,,0'
want 3.6 'WRES,1 non-clinical band 3,T01,Unknown,2,12,16.6667,,,0'
want 3.7 'WRES,1 clinical band 5,T01,BME,10,20,50.0000,,,0'
want 3.8 'WRES,1 clinical medical and dental,T01,White,5,10,50.0000,,,0'
want 3.9 'WRES,1 clinical all bands,T01,White,15,30,50.0000,,,0'
want 3.10 'WRES,1 workforce,T01,BME,19,42,45.2381,,,0'
want 3.11 'WDES,1 non-clinical cluster 1 (bands 1-4),T01,Disabled,2,12,16.6667,,,0'
want 3.12 'WDES,1 clinical cluster 2 (bands 5-7),T01,Disabled,3,20,15.0000,,,0'
want 3.13 'WDES,1 workforce,T01,Disabled,5,42,11.9048,,,0'
want 3.14 'WRES,1 clinical band 9,T01,BME,0,0,,,,0'
want 3.15 'WRES,9 board,T01,BME,2,8,25.0000,,,0'
want 3.16 'WRES,9 voting,T01,BME,1,6,16.6667,,,0'
want 3.17 'WRES,9 executive,T01,BME,1,4,25.0000,,,0'
want 3.18 'WRES,9 non-voting,T01,BME,1,2,50.0000,,,0'
want 3.19 'WRES,9 difference board,T01,BME,,,-20.2381,,,0'
want 3.20 'WRES,9 difference voting,T01,BME,,,-28.5714,,,0'
want 3.21 'WDES,10 board,T01,Disabled,1,8,12.5000,,,0'
want 3.22 'WDES,10 difference board,T01,Disabled,,,0.5952,,,0'
want 3.23 'WRES,9 board,T02,BME,0,5,0.0000,,,0'
want 3.24 'WRES,9 difference board,T02,BME,,,-50.0000,,,0'
check 3.25 "T03 (board only) is not in the return" \
    test "$(grep -c ',T03,' open/return.csv)" = 0
do_cmd_test 3.26 0 "1 organisation (1 with board data)" \
    "$PARITY" return --db r.db --year 2025/26 --out one --org T02 --suppress 0
check 3.27 "--org: only T02" test "$(grep -vc ',T02,' one/return.csv)" = 1

# 3s. The Staff Survey (kind survey), hand-worked in Python without a
#     statistics library (Wilson: c = (p + z^2/2n)/(1 + z^2/n), half =
#     z sqrt(p(1-p)/n + z^2/4n^2)/(1 + z^2/n); Newcombe: d -+ sqrt of the
#     squared distances to the Wilson limits; t quantiles by bisection on
#     Simpson's integral of the t density, as in test_stats_survey.c):
#     WRES 5 T01: BME 48/80 = 60%, Wilson 49.0455-70.0382; White 56/70 = 80%,
#     69.1834-87.6953; BME - White = -20 points, Newcombe -33.3873 to
#     -5.2431 (Newcombe 1998's example (a), mirrored). 2024: 30/60 - 45/60 =
#     -25, -40.3461 to -7.6780. WRES 8: BME has 9 respondents: withheld, and
#     the difference with it. WDES 9a: Disabled 6.8 (sd 1.2, n 40): t(39)
#     interval 6.4162-7.1838; 6.8 - 7.1 = -0.3, Welch -0.7066 to 0.1066.
cp "$D/survey_bad.csv" .
do_cmd_test 3s.1 65 "line 2: positive 71 is more than the 70 respondents" \
    "$PARITY" ingest --db bad.db --kind survey survey_bad.csv
check 3s.2 "each of the 4 bad rows is a reject with its reason (the 5th is good)" \
    test "$(grep -c '^[0-9]' survey_bad.csv.rejects.csv)" = 4
check 3s.3 "a group that is not a group is named" grep -q "is not White, BME" survey_bad.csv.rejects.csv
check 3s.4 "a question of the other standard is refused" \
    grep -q "question q16b is not asked of the disability groups" survey_bad.csv.rejects.csv
do_cmd_test 3s.5 0 "11 rows read, 11 stored, 0 rejected" \
    "$PARITY" ingest --db r.db --kind survey "$D/survey.csv"
do_cmd_test 3s.6 0 "" "$PARITY" return --db r.db --year 2025/26 --out survey --suppress 0
want 3s.7 'WRES,5,T01,BME,48,80,60.0000,49.0455,70.0382,0' survey/return.csv
want 3s.8 'WRES,5,T01,White,56,70,80.0000,69.1834,87.6953,0' survey/return.csv
want 3s.9 'WRES,5 difference,T01,BME - White,,,-20.0000,-33.3873,-5.2431,0' survey/return.csv
want 3s.10 'WRES,5 difference survey 2024,T01,BME - White,,,-25.0000,-40.3461,-7.6780,0' survey/return.csv
want 3s.11 'WRES,8,T01,BME,,<11,,,,1' survey/return.csv
want 3s.12 'WRES,8 difference,T01,BME - White,,,,,,1' survey/return.csv
want 3s.13 'WDES,9a,T01,Disabled,,40,6.8000,6.4162,7.1838,0' survey/return.csv
want 3s.14 'WDES,9a difference,T01,Disabled - Non-disabled,,,-0.3000,-0.7066,0.1066,0' survey/return.csv
# WDES 8 is asked of Disabled staff only: 30 of 40 = 75%, Wilson 59.8060 to
# 85.8129 (Python as above), and no difference row.
want 3s.17 'WDES,8,T01,Disabled,30,40,75.0000,59.8060,85.8129,0' survey/return.csv
check 3s.18 "WDES 8 has no difference row" bash -c "! grep -q '^WDES,8 difference' survey/return.csv"
check 3s.15 "the survey figures are in the WRES workbook as in return.csv" \
    python3 "$SRC/tests/e2e/xlsx_check.py" survey/wres-2025-26.xlsx survey/return.csv WRES
check 3s.16 "and in the WDES workbook" \
    python3 "$SRC/tests/e2e/xlsx_check.py" survey/wdes-2025-26.xlsx survey/return.csv WDES

# 3m. The Model Employer, all sides together: T01's workforce is 19 BME of
#     42. Band 3 (12 staff, 4 BME) should hold 12 x 19/42 = 5.43 BME: short
#     by ceil(5.43 - 4) = 2, 1 a year to 2028 (two years after 2026), 2 a
#     year to 2027. Band 5 (10 BME of 20; 20 x 19/42 = 9.05): none short.
#     Gated, band 3's BME count (4) is hidden, so the shortfall that would
#     give it back is withheld too.
do_cmd_test 3m.1 0 "" "$PARITY" return --db r.db --year 2025/26 --out model --suppress 0
want 3m.2 'WRES,model employer band 3,T01,BME,4,12,33.3333,,,0' model/return.csv
want 3m.3 'WRES,model employer shortfall band 3,T01,BME,,,2,,,0' model/return.csv
want 3m.4 'WRES,model employer appointments a year band 3,T01,BME,,,1,,,0' model/return.csv
want 3m.5 'WRES,model employer shortfall band 5,T01,BME,,,0,,,0' model/return.csv
do_cmd_test 3m.6 0 "" "$PARITY" return --db r.db --year 2025/26 --out model27 --suppress 0 --target-year 2027
want 3m.7 'WRES,model employer appointments a year band 3,T01,BME,,,2,,,0' model27/return.csv
do_cmd_test 3m.8 64 "give a year after 2026" "$PARITY" return --db r.db --year 2025/26 --out o --target-year 2026
do_cmd_test 3m.9 0 "" "$PARITY" return --db r.db --year 2025/26 --out modelg
want 3m.10 'WRES,model employer shortfall band 3,T01,BME,,,,,,1' modelg/return.csv
check 3m.11 "the Model Employer sheet equals return.csv" \
    python3 "$SRC/tests/e2e/xlsx_check.py" model/wres-2025-26.xlsx model/return.csv WRES

# 3c. parity check takes the whole return: the return written above is
#     clean; each figure altered by hand is caught with its line and kind.
do_cmd_test 3c.1 0 "clean: 512 lines, every figure agrees with its counts" \
    "$PARITY" check model/return.csv
python3 - model/return.csv altered.csv <<'PY'
import sys
text = open(sys.argv[1]).read()
for old, new in [
    ("WRES,1 non-clinical band 3,T01,White,6,12,50.0000,", "WRES,1 non-clinical band 3,T01,White,6,12,55.0000,"),
    ("WRES,1 clinical band 5,T01,BME,10,20,50.0000,", "WRES,1 clinical band 5,T01,BME,11,20,55.0000,"),
    ("WRES,9 difference voting,T01,BME,,,-28.5714,", "WRES,9 difference voting,T01,BME,,,-20.0000,"),
    ("WRES,5 difference,T01,BME - White,,,-20.0000,", "WRES,5 difference,T01,BME - White,,,-10.0000,"),
    ("WDES,9a,T01,Disabled,,40,6.8000,", "WDES,9a,T01,Disabled,,40,12.0000,"),
    ("WRES,model employer shortfall band 3,T01,BME,,,2,", "WRES,model employer shortfall band 3,T01,BME,,,5,"),
    ("WRES,9 voting,T01,BME,1,6,", "WRES,9 voting,T01,BME,7,6,"),
]:
    assert old in text, old
    text = text.replace(old, new, 1)
text += "WRES,5,T01,BME,48,80,60.0000,49.0455,70.0382,0\n"
open(sys.argv[2], "w").write(text)
PY
do_cmd_test 3c.2 65 "problems in 513 lines" "$PARITY" check altered.csv
for kind in "1 non-clinical band 3, White: 55% printed, but 6 of 12 is 50.0000% [percent_mismatch]" \
            "1 clinical band 5, White: the groups add up to 21, not the total 20 [groups_do_not_add_up]" \
            "9 difference voting, BME: -20 printed, but 16.6667 - 45.2381 = -28.5714 [difference_mismatch]" \
            "5 difference, BME - White: -10 printed, but 60 - 80 = -20 [difference_mismatch]" \
            "9a, Disabled: an engagement score of 12 (it runs from 0 to 10) [impossible]" \
            "9a, Disabled: the interval 6.4162 to 7.1838 does not hold the value 12 [interval_excludes_value]" \
            "model employer shortfall band 3, BME: shortfall 5 printed, but 12 x 19 / 42 - 4 gives 2 [mismatch]" \
            "9 voting, BME: 7 of 6: more than the whole [numerator_exceeds_denominator]" \
            "5, BME: repeats line" ; do
    check 3c.3 "$kind" grep -qF -- "$kind" out.3c.2
done
do_cmd_test 3c.4 65 "2 relative likelihood, White vs BME: ratio 1.54 printed, but (121/417) / (169/587) = 1.0079 [mismatch]" \
    "$PARITY" check "$D/return_ratios.csv"
check 3c.5 "the WRES 4 line is clean" bash -c "! grep -q '4 relative likelihood' out.3c.4"

# 4. The gate (default: 1 to 4 hidden). No count from 1 to 4 is printed;
#    a row with a hidden count has no value; within a row set no single
#    group is hidden while its total and the other groups are shown.
do_cmd_test 4.1 0 "hidden as small" "$PARITY" return --db r.db --year 2025/26 --out gated
want 4.2 'WRES,1 non-clinical band 3,T01,BME,<5,12,,,,1' gated/return.csv
cat > gate_check.py <<'PY'
import csv, sys
from collections import defaultdict
rows = list(csv.DictReader(open(sys.argv[1])))
bad = []
sets = defaultdict(list)
for r in rows:
    for c in ("numerator", "denominator"):
        v = r[c]
        if v.isdigit() and 1 <= int(v) <= 4:
            bad.append("small count printed: %s" % r)
    hidden = any(r[c] in ("<5", "[c]", "<11") for c in ("numerator", "denominator"))
    # 0 of a hidden total is 0%: it gives nothing away
    if hidden and r["value"] and not (r["numerator"] == "0" and float(r["value"]) == 0):
        bad.append("value beside a hidden count: %s" % r)
    zero = r["numerator"] == "0" and r["value"] and float(r["value"]) == 0
    if hidden != (r["suppressed"] == "1") and r["numerator"] and not zero:
        bad.append("suppressed flag wrong: %s" % r)
    if r["numerator"]:
        sets[(r["standard"], r["indicator"], r["organisation"])].append(r)
for key, group in sets.items():
    den = group[0]["denominator"]
    hidden = [g for g in group if not g["numerator"].isdigit()]
    if den.isdigit() and len(group) == 3 and len(hidden) == 1:
        bad.append("one group hidden beside its total: %s" % (key,))
print("\n".join(bad[:10]))
sys.exit(1 if bad else 0)
PY
check 4.3 "no small count recoverable in the hand-worked return" python3 gate_check.py gated/return.csv

# 5. The sample (as the demo ingests it): every printed WRES 1 / WDES 1
#    count of 2025/26 equals an independent count of the raw extract, and
#    the gate holds. The relative likelihoods follow each organisation's rows.
"$PARITY" ingest -q --db s.db --kind workforce "$SRC/sample-data/workforce.csv"
"$PARITY" ingest -q --db s.db --kind board "$SRC/sample-data/board.csv"
do_cmd_test 5.1 0 "6 organisations (6 with board data)" \
    "$PARITY" return --db s.db --year 2025/26 --out sample
cat > sample_check.py <<'PY'
import csv, sys
from collections import Counter
wf, board, ret = sys.argv[1:4]
NONCLIN = {"Administrative and Clerical", "Estates and Ancillary"}
BANDS = ["1","2","3","4","5","6","7","8a","8b","8c","8d","9","VSM"]
def level(band, group):
    if band == "Medical" or group == "Medical and Dental":
        return "medical and dental"
    return ("band " + band if band != "VSM" else "VSM") if band in BANDS else "other or no band"
def side(band, group):
    if group in NONCLIN: return "non-clinical"
    return "clinical"
# The medical and dental sub-groups of the sample's grades (sample-data/README.md).
SUB = {"Consultant": "consultants", "Specialty Doctor": "non-consultant career grades",
       "Associate Specialist": "non-consultant career grades",
       "Foundation Year 1": "trainee grades", "Foundation Year 2": "trainee grades",
       "Specialty Registrar": "trainee grades", "Core Trainee": "trainee grades",
       "": "other"}
def eth(c):
    if c in ("A","B","C"): return "White"
    if c in ("Z","99","X",""): return "Unknown"
    return "BME"
def dis(c):
    return {"Y":"Disabled","N":"Non-disabled"}.get(c, "Unknown")
cnt = Counter()
for r in csv.DictReader(open(wf)):
    if r["snapshot_date"] != "2026-03-31" or r["contract"] == "Bank":
        continue
    o, s, l = r["organisation"], side(r["pay_band"], r["staff_group"]), level(r["pay_band"], r["staff_group"])
    keys = [(s, l), (s, "all bands"), ("workforce",)]
    for key in keys:
        ind = "1 " + " ".join(key)
        cnt[("WRES", ind, o, eth(r["ethnic_category"]))] += 1
        cnt[("WRES", ind, o, "total")] += 1
    if l not in ("medical and dental", "other or no band"):  # Model Employer: all sides
        cnt[("WRES", "model employer " + l, o, eth(r["ethnic_category"]))] += 1
        cnt[("WRES", "model employer " + l, o, "total")] += 1
    d = dis(r["disability"])
    cnt[("WDES", "1 workforce", o, d)] += 1
    if l == "medical and dental":
        ind = "1 %s medical and dental: %s" % (s, SUB[r["grade"]])
        cnt[("WRES", ind, o, eth(r["ethnic_category"]))] += 1
        cnt[("WRES", ind, o, "total")] += 1
        cnt[("WDES", ind, o, d)] += 1
bcnt = Counter()
for r in csv.DictReader(open(board)):
    if r["date"] != "2026-03-31": continue
    o = r["organisation"]
    slices = ["board", "voting" if r["voting"] == "Y" else "non-voting",
              "executive" if r["executive"] == "Y" else "non-executive"]
    for s in slices:
        bcnt[("WRES", "9 " + s, o, eth(r["ethnic_category"]))] += 1
        bcnt[("WDES", "10 " + s, o, dis(r["disability"]))] += 1
        bcnt[("WRES", "9 " + s, o, "total")] += 1
checked = 0
bad = []
for r in csv.DictReader(open(ret)):
    k = (r["standard"], r["indicator"], r["organisation"], r["group"])
    src = bcnt if r["indicator"].split()[0] in ("9", "10") and "workforce" not in r["indicator"] else cnt
    if r["indicator"].startswith("10 workforce"):
        k = ("WDES", "1 workforce", r["organisation"], r["group"])
    if r["indicator"].startswith("9 workforce"):
        k = ("WRES", "1 workforce", r["organisation"], r["group"])
    if k not in src and not (r["standard"] == "WRES" or k[1] in ("1 workforce",) or r["indicator"].split()[0] in ("9","10")):
        continue  # WDES cluster rows: checked through their totals below
    if r["numerator"].isdigit() and (k in src or r["standard"] == "WRES"):
        if src[k] != int(r["numerator"]):
            bad.append("numerator %s: return %s, extract %d" % (k, r["numerator"], src[k]))
        checked += 1
    if r["indicator"].startswith("model employer ") and not r["numerator"]:
        continue  # shortfall and appointments: checked by hand in 3m
    tk = ("WRES",) + k[1:3] + ("total",) if r["standard"] == "WRES" else None
    if tk and r["denominator"].isdigit() and not r["indicator"].startswith("9 "):
        if cnt[tk] != int(r["denominator"]):
            bad.append("denominator %s: return %s, extract %d" % (tk, r["denominator"], cnt[tk]))
        checked += 1
    if r["value"] and r["numerator"].isdigit() and r["denominator"].isdigit():
        want = 100.0 * int(r["numerator"]) / int(r["denominator"])
        if abs(float(r["value"]) - want) > 0.00006:
            bad.append("value %s: %s, want %.4f" % (k, r["value"], want))
        checked += 1
print("%d figures checked" % checked)
print("\n".join(bad[:10]))
sys.exit(1 if bad or checked < 500 else 0)
PY
check 5.2 "sample return equals an independent count of the extracts" \
    python3 sample_check.py "$SRC/sample-data/workforce.csv" "$SRC/sample-data/board.csv" sample/return.csv
check 5.3 "no small count recoverable in the sample return" python3 gate_check.py sample/return.csv
# The planted boards (sample-data/README.md, "Planted boards"): R0A 3 BME of
# 16, 2 of 12 voting; workforce 919 of 1,991 BME (counted in 5.2):
# 18.75 - 46.157710 = -27.4077; 16.666667 - 46.157710 = -29.4910. R0C has
# no BME member: 0 of 14.
do_cmd_test 5.4 0 "" "$PARITY" return --db s.db --year 2025/26 --out sample_open --suppress 0
want 5.5 'WRES,9 board,R0A,BME,3,16,18.7500,,,0' sample_open/return.csv
want 5.6 'WRES,9 difference board,R0A,BME,,,-27.4077,,,0' sample_open/return.csv
want 5.7 'WRES,9 difference voting,R0A,BME,,,-29.4910,,,0' sample_open/return.csv
want 5.8 'WRES,9 board,R0C,BME,0,14,0.0000,,,0' sample_open/return.csv
# Gated, R0C's voting total is hidden (its 2 non-voting members are small),
# but none of 12 voting members is BME is still 0%.
want 5.8b 'WRES,9 voting,R0C,BME,0,[c],0.0000,,,0' sample/return.csv
# 6. The workbooks, read back with the Python standard library (not
#    libxlsxwriter): every figure of return.csv is in them, numbers as
#    numeric cells of the same value, hidden counts as their marks.
check 6.1 "both workbooks written" test -s sample/wres-2025-26.xlsx -a -s sample/wdes-2025-26.xlsx
check 6.2 "WRES workbook equals return.csv" python3 "$SRC/tests/e2e/xlsx_check.py" \
    sample/wres-2025-26.xlsx sample/return.csv WRES
check 6.3 "WDES workbook equals return.csv" python3 "$SRC/tests/e2e/xlsx_check.py" \
    sample/wdes-2025-26.xlsx sample/return.csv WDES
check 6.4 "hand-worked WRES workbook equals return.csv" python3 "$SRC/tests/e2e/xlsx_check.py" \
    open/wres-2025-26.xlsx open/return.csv WRES
# 6o. A spreadsheet library, openpyxl (Debian python3-openpyxl, installed by
#     .ci/install-deps), opens both workbooks and reads every cell as the
#     check above does (numbers as numbers); every sheet is protected and
#     only the Narrative sheet's cells for the lead are unlocked (the check
#     above checks that too from the XML).
PYXL=""
for py in python3 /usr/bin/python3; do
    if "$py" -c "import openpyxl" 2> /dev/null; then PYXL=$py; break; fi
done
check 6o.1 "openpyxl is installed (python3-openpyxl)" test -n "$PYXL"
for std in wres wdes; do
    check "6o.2$std" "openpyxl reads the $std workbook alike" \
        "${PYXL:-false}" "$SRC/tests/e2e/xlsx_openpyxl.py" sample/$std-2025-26.xlsx
done
check 6o.3 "an unprotected sheet is caught" sh -c "! ${PYXL:-false} '$SRC/tests/e2e/xlsx_openpyxl.py' \
    '$SRC/tests/data/return/unprotected.xlsx' > /dev/null"
# A workbook changed behind the check's back is caught: a number made text.
mkdir -p tamper && (cd tamper && python3 - "$SCRATCH/sample/wres-2025-26.xlsx" <<'PY'
import re, sys, zipfile
src = zipfile.ZipFile(sys.argv[1])
out = zipfile.ZipFile("wres.xlsx", "w")
for item in src.infolist():
    data = src.read(item.filename)
    if item.filename == "xl/worksheets/sheet2.xml":
        # the first numeric count of sheet 1 Workforce's table becomes a string
        data = re.sub(rb'<c r="([D-G]\d+)" s="(\d+)"><v>', rb'<c r="\1" t="str" s="\2"><v>',
                      data, count=1)
    out.writestr(item, data)
out.close()
PY
)
check 6.5 "a number stored as text is caught" bash -c \
    "! python3 '$SRC/tests/e2e/xlsx_check.py' tamper/wres.xlsx sample/return.csv WRES > tamper/out.txt"
# The planted survey (sample-data/README.md, "Planted Staff Survey
# results"): R0A WRES 8 2025: BME 405 respondents, (405 x 180 + 500) / 1000
# = 73 positive; White 495, (495 x 60 + 500) / 1000 = 30. R0E's q14d has 9
# Disabled respondents: withheld.
"$PARITY" ingest -q --db s.db --kind survey "$SRC/sample-data/survey.csv"
do_cmd_test 5.11 0 "" "$PARITY" return --db s.db --year 2025/26 --out sample_survey --suppress 0
check 5.12 "R0A WRES 8: 73 of 405 BME" grep -q '^WRES,8,R0A,BME,73,405,18.0247,' sample_survey/return.csv
check 5.13 "R0A WRES 8: 30 of 495 White" grep -q '^WRES,8,R0A,White,30,495,6.0606,' sample_survey/return.csv
want 5.14 'WDES,4d,R0E,Disabled,,<11,,,,1' sample_survey/return.csv
# Last year's board: R0A had 2 BME of 16 at 31 March 2025.
do_cmd_test 5.9 0 "" "$PARITY" return --db s.db --year 2024/25 --out sample_last --suppress 0
want 5.10 'WRES,9 board,R0A,BME,2,16,12.5000,,,0' sample_last/return.csv
finish
