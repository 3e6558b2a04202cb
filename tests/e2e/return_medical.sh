#!/usr/bin/env bash
# return_medical.sh: WRES 1 and WDES 1's medical and dental sub-groups
# (consultants, non-consultant career grades, trainee grades, other), worked
# by hand from tests/data/return/medical.csv (organisation M01, snapshot 31
# March 2026, everyone Non-disabled):
#   consultants   White 12 (10 grade "Consultant", 2 with the grade only in
#                 pay_band "Consultant"), BME 8                       = 20
#   career grades White 3 ("Specialty Doctor"), BME 9 (7 "Specialty
#                 Doctor", 2 "Associate Specialist")                  = 12
#   trainees      White 10 (5 "Foundation Year 1", 5 "ST3"), BME 10 (5
#                 "SHO", 5 "Specialty Registrar")                     = 20
#   other         White 7 (5 no grade, 2 "Wizard", a grade that is none of
#                 the sub-groups), BME 5 (no grade)                   = 12
#   medical and dental: White 32, BME 32                              = 64
# and 46 staff who are not medical: band 5 White 20, BME 20; band 8a White
# 6 whose grade "Consultant" (nurse consultants) is not looked at.
source "$(dirname "$0")/lib.sh"
D=$SRC/tests/data/return
command -v python3 > /dev/null || { echo "FAIL: python3 is not installed"; exit 1; }

# 1. Ingest: an unrecognised grade is kept (as other) and warned about, by
#    count and first line (M063 is line 64), never by value.
do_cmd_test 1.1 0 "110 rows read, 110 stored, 0 rejected" \
    "$PARITY" ingest --db m.db --kind workforce "$D/medical.csv"
check 1.2 "the warning names the column, the count and the first line" \
    grep -qF "column 'grade' (grade): 2 medical or dental rows have a grade that is not a known one (the first on line 64)" out.1.1
check 1.3 "and not the value" bash -c '! grep -q Wizard out.1.1'
cells() { sqlite3 m.db "select coalesce(sum(rows), 0) from cells where $1"; }
check 1.4 "a non-medical row's grade is ignored" \
    test "$(cells "pay_band = '8a' and process = ''")" = 6
check 1.5 "consultants stored as their sub-group, the pay band's two too" \
    test "$(cells "pay_band = 'Medical' and process = 'consultant'")" = 20

# 2. The return, unsuppressed: each sub-group's shares (numerator of
#    denominator, in per cent), right after the medical and dental row.
do_cmd_test 2.1 0 "wrote open/return.csv" \
    "$PARITY" return --db m.db --year 2025/26 --out open --suppress 0
want() { check "$1" "$2" grep -qxF -- "$2" "$3"; }
want 2.2 'WRES,1 clinical medical and dental,M01,White,32,64,50.0000,,,0' open/return.csv
want 2.3 'WRES,1 clinical medical and dental: consultants,M01,White,12,20,60.0000,,,0' open/return.csv
want 2.4 'WRES,1 clinical medical and dental: consultants,M01,BME,8,20,40.0000,,,0' open/return.csv
want 2.5 'WRES,1 clinical medical and dental: non-consultant career grades,M01,White,3,12,25.0000,,,0' open/return.csv
want 2.6 'WRES,1 clinical medical and dental: non-consultant career grades,M01,BME,9,12,75.0000,,,0' open/return.csv
want 2.7 'WRES,1 clinical medical and dental: trainee grades,M01,BME,10,20,50.0000,,,0' open/return.csv
# 7/12 = 58.3333; 5/12 = 41.6667
want 2.8 'WRES,1 clinical medical and dental: other,M01,White,7,12,58.3333,,,0' open/return.csv
want 2.9 'WRES,1 clinical medical and dental: other,M01,BME,5,12,41.6667,,,0' open/return.csv
want 2.10 'WDES,1 clinical medical and dental: consultants,M01,Non-disabled,20,20,100.0000,,,0' open/return.csv
want 2.11 'WDES,1 clinical medical and dental: other,M01,Disabled,0,12,0.0000,,,0' open/return.csv
check 2.12 "the non-clinical side has no medical staff, so no sub-group rows" \
    bash -c '! grep -q "^WRES,1 non-clinical medical and dental:" open/return.csv'
check 2.13 "the sub-groups follow the medical row" bash -c \
    "grep -n 'WRES,1 clinical medical and dental' open/return.csv | head -4 | tail -1 | grep -q ': consultants,M01,White'"

# 3. parity check: the sub-groups must add up to the medical row.
do_cmd_test 3.1 0 "clean:" "$PARITY" check open/return.csv
sed 's/^WRES,1 clinical medical and dental: trainee grades,M01,White,10,20,50.0000,/WRES,1 clinical medical and dental: trainee grades,M01,White,11,21,52.3810,/' \
    open/return.csv > altered.csv
do_cmd_test 3.2 65 "the medical and dental sub-groups' White staff add up to 33, not the 32 of line" \
    "$PARITY" check altered.csv
sed 's/^WRES,1 clinical medical and dental: trainee grades,M01,White,10,20,50.0000,/WRES,1 clinical medical and dental: trainee grades,M01,White,10,21,47.6190,/' \
    open/return.csv > altered2.csv
do_cmd_test 3.3 65 "the medical and dental sub-groups add up to 65 staff, not the 64 of line" \
    "$PARITY" check altered2.csv

# 4. The disclosure gate: career grades' 3 White doctors are hidden, and
#    nothing small can be worked out by a reader who knows every sum the
#    template shows (each figure's groups add up to its total; the
#    sub-groups add up to the medical row, group by group; the bands and
#    clusters to the side; the sides to the workforce). The solver below is
#    written apart from the gate; told the secondary hidden counts it must
#    recover the small one (so it can fail).
do_cmd_test 4.1 0 "wrote gated/return.csv" \
    "$PARITY" return --db m.db --year 2025/26 --out gated
want 4.2 'WRES,1 clinical medical and dental: non-consultant career grades,M01,White,<5,12,,,,1' gated/return.csv
cat > solve.py <<'PY'
import csv, re, sys
gated, opened = sys.argv[1], sys.argv[2]
reveal = len(sys.argv) > 3
truth, seen, mark = {}, {}, {}
def names(r):
    ind = r["indicator"]
    return (r["standard"], ind, r["group"]), ("total", ind)
for r in csv.DictReader(open(opened)):
    if r["numerator"] == "" or not r["indicator"].startswith("1 "):
        continue
    n, t = names(r)
    truth[n], truth[t] = int(r["numerator"]), int(r["denominator"])
relations = []
figures = {}
for r in csv.DictReader(open(gated)):
    if r["numerator"] == "" or not r["indicator"].startswith("1 "):
        continue
    n, t = names(r)
    for k, v in ((n, r["numerator"]), (t, r["denominator"])):
        if v.isdigit():
            seen[k] = int(v)
        else:
            mark[k] = v
    figures.setdefault((r["standard"], r["indicator"]), []).append(n)
for (std, ind), parts in figures.items():
    relations.append((("total", ind), parts))
sides = {i.split(" ")[1] if not i.startswith("1 non") else "non-clinical"
         for _, i in figures if i != "1 workforce"}
groups = {"WRES": ["White", "BME", "Unknown"], "WDES": ["Disabled", "Non-disabled", "Unknown"]}
for std in groups:
    for side in ("non-clinical", "clinical", "staff group not recorded"):
        pre = "1 %s " % side
        levels = [i for s, i in figures if s == std and i.startswith(pre) and
                  ":" not in i and i != pre + "all bands"]
        subs = [i for s, i in figures if s == std and i.startswith(pre + "medical and dental:")]
        if not levels:
            continue
        relations.append((("total", pre + "all bands"), [("total", i) for i in levels]))
        if subs:
            relations.append((("total", pre + "medical and dental"), [("total", i) for i in subs]))
        for g in groups[std]:
            relations.append(((std, pre + "all bands", g), [(std, i, g) for i in levels]))
            if subs:
                relations.append(((std, pre + "medical and dental", g), [(std, i, g) for i in subs]))
if reveal:
    for k, v in list(mark.items()):
        if v == "[c]":
            seen[k] = truth[k]
recovered = []
changed = True
while changed:
    changed = False
    for total, parts in relations:
        cells = [total] + parts
        unknown = [c for c in cells if c not in seen]
        if len(unknown) != 1:
            continue
        u = unknown[0]
        if u == total:
            seen[u] = sum(seen[p] for p in parts)
        else:
            seen[u] = seen[total] - sum(seen[p] for p in parts if p != u)
        changed = True
        if 1 <= seen[u] <= 4:
            recovered.append((u, seen[u]))
for u, v in recovered:
    print("RECOVERED", u, v)
print("relations", len(relations), "recovered", len(recovered))
sys.exit(1 if recovered else 0)
PY
do_cmd_test 4.3 0 "recovered 0" python3 solve.py gated/return.csv open/return.csv
do_cmd_test 4.4 1 "RECOVERED" python3 solve.py gated/return.csv open/return.csv reveal

# 5. The workbook lists the sub-groups as numbers under their medical row.
PYXL=""
for py in python3 /usr/bin/python3; do
    if "$py" -c "import openpyxl" 2> /dev/null; then PYXL=$py; break; fi
done
if [ -n "$PYXL" ]; then
    do_cmd_test 5.1 0 "consultants 12 8 20" "$PYXL" - open/wres-2025-26.xlsx <<'PY'
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1])["1 Workforce"]
for row in ws.iter_rows(values_only=True):
    if row[0] == "M01" and row[1] == "clinical" and row[2] == "medical and dental: consultants":
        assert all(isinstance(v, (int, float)) for v in row[3:7]), row
        print("consultants", *(int(v) for v in (row[3], row[4], row[6])))
PY
else
    echo "FAIL 5.1: python3-openpyxl is not installed (.ci/install-deps installs it)"
    FAILED=$((FAILED + 1))
fi

# 6. A store written before grades were kept (tests/data/return/
#    medical-old.sql: the same file ingested by the version before, which
#    stored no grade and kept pay band "Consultant" as written, medical by
#    its staff group) opens, and its 64 medical staff are all "other".
sqlite3 old.db < "$D/medical-old.sql"
do_cmd_test 6.1 0 "wrote old/return.csv" \
    "$PARITY" return --db old.db --year 2025/26 --out old --suppress 0
want 6.2 'WRES,1 clinical medical and dental: other,M01,White,32,64,50.0000,,,0' old/return.csv
want 6.3 'WRES,1 clinical medical and dental: consultants,M01,White,0,0,,,,0' old/return.csv
do_cmd_test 6.4 0 "clean:" "$PARITY" check old/return.csv
finish
