#!/usr/bin/env bash
# report_many_orgs.sh: a report over more organisations than it draws. With
# 300 organisations (more than REPORT_ORGS_SHOWN, 250) the PDF's chart and
# table by organisation show 250 of them, say so, and put those outside the
# funnel plot's limits and the largest first; report-tables.csv still has
# a row for every organisation. The data: the generator's distinct-cell
# mode, 30,000 recruitment rows over 300 organisations and the 12 months
# of 2025/26 (about 100 applications each).
source "$(dirname "$0")/lib.sh"
GEN="$(dirname "$PARITY")/parity-sample-gen"

do_cmd_test 1.1 0 "" "$GEN" --kind recruitment --rows 30000 --distinct --orgs 300 \
    --months 12 --out many.csv
do_cmd_test 1.2 0 "stored" "$PARITY" ingest --db many.db --kind recruitment many.csv
do_cmd_test 1.3 0 "" "$PARITY" report --db many.db --out rep --period 2025/26
pdftotext -layout rep/board-report.pdf rep.txt

# 2. What the PDF says of the organisations it leaves out.
check 2.1 "the table says 250 of 300 are shown" \
    grep -q "250 of the 300 organisations are shown" rep.txt
check 2.2 "the chart names the 50 left to report-tables.csv" \
    grep -q "50 more in report-tables.csv" rep.txt

# 3. report-tables.csv has every organisation of each indicator.
orgs() { # orgs INDICATOR: distinct organisations in its by_organisation table
    python3 -c 'import csv,sys
print(len({r["stratum"] for r in csv.DictReader(open(sys.argv[1]))
           if r["table"] == "by_organisation" and r["indicator"] == sys.argv[2]
           and r["stratum_kind"] == "organisation"
           and not r["stratum"].endswith("(pooled)")}))' \
        rep/report-tables.csv "$1"
}
check 3.1 "WRES 2: 300 organisations in report-tables.csv" test "$(orgs WRES2)" = 300
check 3.2 "WDES 2: 300 organisations in report-tables.csv" test "$(orgs WDES2)" = 300

# 4. Which are drawn: each organisation outside the funnel's 95% limits
# whose row is not suppressed, and the five largest by base, are in the PDF.
python3 - rep/results.csv rep/report-tables.csv > expected.txt <<'PY'
import csv, sys
shown = {(r["indicator"], r["stratum"]) for r in csv.DictReader(open(sys.argv[2]))
         if r["table"] == "by_organisation" and not r["note"].startswith("suppressed")}
rows = [r for r in csv.DictReader(open(sys.argv[1]))
        if r["stratum_kind"] == "organisation" and r["pooled"] == "0"
        and r["indicator"] == "WRES2" and ("WRES2", r["stratum"]) in shown]
out = {r["stratum"] for r in rows if r["funnel_outside95"] not in ("", "0")}
big = sorted(rows, key=lambda r: -(int(r["n1"]) + int(r["n2"])))[:5]
print("\n".join(sorted(out | {r["stratum"] for r in big})))
PY
missing=0
while read -r org; do
    grep -q "$org" rep.txt || { echo "    $org is not in the PDF"; missing=1; }
done < expected.txt
check 4.1 "outliers and the largest organisation are drawn ($(wc -l < expected.txt) checked)" \
    test "$missing" = 0 -a -s expected.txt
finish
