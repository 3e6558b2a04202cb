#!/usr/bin/env bash
# demo.sh: `parity demo` end to end on the shipped sample: the PDF opens, and
# its per-organisation WRES 2 ratios equal ratios counted independently from
# sample-data/recruitment.csv with awk (latest complete financial year,
# 2025/26: White = A, B, C; BME = every other stated code; Z, 99, X and
# blanks excluded).
source "$(dirname "$0")/lib.sh"

do_cmd_test 1.1 0 "board-report.pdf" "$PARITY" demo --out demo
check 1.2 "PDF exists and opens" bash -c "pdfinfo demo/board-report.pdf > pdfinfo.txt"
check 1.3 "results.csv exists" test -s demo/results.csv
check 1.4 "the return and both workbooks are written" \
    test -s demo/return.csv -a -s demo/wres-2025-26.xlsx -a -s demo/wdes-2025-26.xlsx
check 1.5 "the WRES workbook's numbers are the return's (read back without libxlsxwriter)" \
    python3 "$SRC/tests/e2e/xlsx_check.py" demo/wres-2025-26.xlsx demo/return.csv WRES
check 1.6 "the WDES workbook's numbers are the return's" \
    python3 "$SRC/tests/e2e/xlsx_check.py" demo/wdes-2025-26.xlsx demo/return.csv WDES
do_cmd_test 1.7 0 "every figure agrees with its counts" "$PARITY" check demo/return.csv
pdftotext -layout demo/board-report.pdf glance.txt
check 1.8 "the PDF has the WRES return at a glance, 2025/26 beside 2024/25" \
    grep -q "WRES: the whole return at a glance" glance.txt
check 1.9 "and the WDES one" grep -q "WDES: the whole return at a glance" glance.txt
# R0A's BME share of its non-bank workforce, counted from the extract with
# awk: 31 March 2026 and 31 March 2025, beside each other on one line.
share() {
    awk -F, -v d="$1" '$2 == "R0A" && $3 == d && $10 != "Bank" { t++
        if ($4 !~ /^(A|B|C|Z|99|X)$/ && $4 != "") b++ }
        END { printf "%.1f%%", 100 * b / t }' "$SRC/sample-data/workforce.csv"
}
now=$(share 2026-03-31); before=$(share 2025-03-31)
check 1.10 "WRES 1 R0A: $now beside $before" \
    grep -Eq "BME share of the workforce +R0A +$now +$before\$" glance.txt
pdftotext -layout demo/board-report.pdf demo.txt

# Independent counts: org -> white shortlisted/appointed, BME shortlisted/appointed
awk -F, 'NR > 1 && $3 >= "2025-04-01" && $3 <= "2026-03-31" && $10 == "Y" {
    g = "B"
    if ($4 == "A" || $4 == "B" || $4 == "C") g = "W"
    if ($4 == "Z" || $4 == "99" || $4 == "X" || $4 == "") g = "U"
    if (g == "U") next
    n[$2, g]++; if ($11 == "Y") x[$2, g]++; orgs[$2] = 1
    n["ALL", g]++; if ($11 == "Y") x["ALL", g]++
} END {
    orgs["ALL"] = 1
    for (o in orgs) {
        r = (x[o, "W"] / n[o, "W"]) / (x[o, "B"] / n[o, "B"])
        printf "%s %.10f %.2f %d %d %d %d\n", o, r, r, n[o, "W"], x[o, "W"], n[o, "B"], x[o, "B"]
    }
}' "$SRC/sample-data/recruitment.csv" | sort > expected.txt
check 2.0 "six organisations and the total counted" test "$(wc -l < expected.txt)" = 7

# The WRES 2 section's "Counts and rates" table, thousands separators
# dropped and "All organisations" as ALL: organisation, White shortlisted,
# appointed, rate, BME shortlisted, appointed, rate, ratio, ... Each row is
# matched field by field (a grep of the line would let another number on it,
# an interval bound say, stand in for the ratio).
awk '/^WRES indicator 2: appointment from shortlisting$/ { s = 1 }
     /^WRES indicator 3:/ { s = 0 }
     s && /^Counts and rates$/ { t = 1; next }
     s && t' demo.txt | sed 's/All organisations/ALL/; s/,//g' > wres2-table.txt
while read -r org exact rounded nw xw nb xb; do
    row=$(awk -v o="$org" '$1 == o { print $2, $3, $5, $6, $8 }' wres2-table.txt)
    check "2.$org.pdf" "PDF's WRES 2 table row for $org reads $nw $xw $nb $xb, ratio $rounded" \
        test "$row" = "$nw $xw $nb $xb $rounded"
    if [ "$org" = ALL ]; then
        got=$(awk -F, '$1 == "WRES2" && $5 == "overall" { print $14 }' demo/results.csv)
    else
        got=$(awk -F, -v o="$org" '$1 == "WRES2" && $6 == o { print $14 }' demo/results.csv)
    fi
    check "2.$org.csv" "results.csv ratio for $org ($got) equals $exact" \
        awk -v a="$got" -v b="$exact" 'BEGIN { d = a - b; exit !(d < 1e-9 && d > -1e-9) }'
done < expected.txt
check 3.1 "PDF names the period" grep -q "2025/26" demo.txt
check 3.2 "PDF says how sure: confidence interval" grep -qi "confidence interval\|95% CI" demo.txt
check 3.3 "PDF never says 'times more likely'" bash -c "! grep -qi 'times more likely' demo.txt"
# Running the demo again gives the same results (a fresh database each time)
cp demo/results.csv first.csv
do_cmd_test 4.1 0 "" "$PARITY" demo --out demo
check 4.2 "repeatable results" cmp -s first.csv demo/results.csv
finish
