#!/usr/bin/env bash
# analyse_counts.sh: every standard indicator in results.csv against counts
# taken independently from sample-data/*.csv with awk, and ratios computed
# in awk from those counts. Period 2025/26 (the default: the latest complete
# financial year). The definitions, written out here from DOMAIN.md and the
# docs/methods.md rather than from the engine:
#   White = A, B, C; BME = every other stated code; Z, 99, X, blank excluded.
#   Disabled = Y, non-disabled = N; Z excluded.
#   WRES2/WDES2: appointed of shortlisted, applications dated in the year.
#   WRES3: process disciplinary in 2024/25 and 2025/26 (two-year window) over
#          the non-bank headcount of the 2025-03-31 and 2026-03-31 snapshots.
#   WDES3: process capability on performance grounds, same window and base.
#   WRES4: training rows in 2025/26 over the 2026-03-31 non-bank headcount.
# Group 1 is the numerator: WRES2 White, WRES3 BME, WRES4 White, WDES2
# non-disabled, WDES3 disabled.
source "$(dirname "$0")/lib.sh"
S=$SRC/sample-data

for kind in recruitment workforce disciplinary training; do
    do_cmd_test "1.$kind" 0 "stored" \
        "$PARITY" ingest --db s.db --kind "$kind" --rejects-dir rej "$S/$kind.csv"
done
do_cmd_test 1.9 0 "run id: 1" "$PARITY" analyse --db s.db --out out --no-trend
check 1.10 "period is 2025/26" grep -q '"period": "2025/26"' out/results.json

# Expected rows, one per indicator and organisation plus ALL:
#   indicator stratum x1 n1 x2 n2 excluded_not_stated_base excluded_bank_base
awk -F, '
function eth(c) { if (c == "A" || c == "B" || c == "C") return "W"
                  if (c == "Z" || c == "99" || c == "X" || c == "") return "U"
                  return "B" }
function dis(c) { return c == "Y" ? "D" : c == "N" ? "N" : "U" }
function add(ind, org, g, what, v) {
    c[ind, org, g, what] += v; c[ind, "ALL", g, what] += v; orgs[org] = 1 }
FILENAME ~ /recruitment/ && FNR > 1 && $3 >= "2025-04-01" && $3 <= "2026-03-31" && $10 == "Y" {
    add("WRES2", $2, eth($4), "n", 1); add("WRES2", $2, eth($4), "x", $11 == "Y")
    add("WDES2", $2, dis($6), "n", 1); add("WDES2", $2, dis($6), "x", $11 == "Y") }
FILENAME ~ /workforce/ && FNR > 1 && ($3 == "2025-03-31" || $3 == "2026-03-31") {
    if ($10 == "Bank") { add("WRES3", $2, "bank", "n", 1); next }
    add("WRES3", $2, eth($4), "n", 1); add("WDES3", $2, dis($6), "n", 1)
    if ($3 == "2026-03-31") add("WRES4", $2, eth($4), "n", 1) }
FILENAME ~ /disciplinary/ && FNR > 1 && $4 >= "2024-04-01" && $4 <= "2026-03-31" {
    if ($5 == "disciplinary") add("WRES3", $3, eth($7), "x", 1)
    if ($5 == "capability" && $6 == "performance") add("WDES3", $3, dis($9), "x", 1) }
FILENAME ~ /training/ && FNR > 1 && $3 >= "2025-04-01" && $3 <= "2026-03-31" {
    add("WRES4", $2, eth($4), "x", 1) }
END {
    orgs["ALL"] = 1
    split("WRES2 WRES3 WRES4 WDES2 WDES3", inds, " ")
    for (i = 1; i <= 5; i++) {
        ind = inds[i]
        g1 = ind == "WRES3" ? "B" : ind ~ /WRES/ ? "W" : ind == "WDES3" ? "D" : "N"
        g2 = ind == "WRES3" ? "W" : ind ~ /WRES/ ? "B" : ind == "WDES3" ? "N" : "D"
        for (o in orgs)
            printf "%s %s %d %d %d %d %d %d\n", ind, o, c[ind, o, g1, "x"],
                c[ind, o, g1, "n"], c[ind, o, g2, "x"], c[ind, o, g2, "n"],
                c[ind, o, "U", "n"], c[ind == "WDES3" ? "WRES3" : ind, o, "bank", "n"]
    }
}' "$S/recruitment.csv" "$S/workforce.csv" "$S/disciplinary.csv" "$S/training.csv" \
    | sort > expected.txt
check 2.0 "35 expected rows (5 indicators x 7 strata)" test "$(wc -l < expected.txt)" = 35

# The engine's rows: the same fields by column name, plus rates and ratio.
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    $col["pooled"] == 0 && ($col["stratum_kind"] == "overall" ||
                            $col["stratum_kind"] == "organisation") &&
    $col["indicator"] ~ /^W[RD]ES[234]$/ {
        s = $col["stratum_kind"] == "overall" ? "ALL" : $col["stratum"]
        bank = $col["indicator"] ~ /^WRES4$/ ? "-" : $col["excluded_bank_base"]
        print $col["indicator"], s, $col["x1"], $col["n1"], $col["x2"], $col["n2"],
              $col["excluded_not_stated_base"], bank, $col["rate1"], $col["rate2"],
              $col["ratio"]
    }' out/results.csv | sort > got.txt
check 2.1 "35 rows in results.csv" test "$(wc -l < got.txt)" = 35

while read -r ind org x1 n1 x2 n2 unknown bank; do
    line=$(awk -v i="$ind" -v o="$org" '$1 == i && $2 == o' got.txt)
    read -r _ _ gx1 gn1 gx2 gn2 gunknown gbank rate1 rate2 ratio <<< "$line"
    check "3.$ind.$org.counts" "$ind $org counts $x1/$n1 vs $x2/$n2" \
        test "$gx1 $gn1 $gx2 $gn2" = "$x1 $n1 $x2 $n2"
    check "3.$ind.$org.excluded" "$ind $org not stated excluded $unknown" \
        test "$gunknown" = "$unknown"
    if [ "$gbank" != "-" ] && [ "$ind" != WRES2 ] && [ "$ind" != WDES2 ]; then
        check "3.$ind.$org.bank" "$ind $org bank headcount excluded $bank" \
            test "$gbank" = "$bank"
    fi
    check "3.$ind.$org.ratio" "$ind $org rates and ratio equal awk's" \
        awk -v x1="$x1" -v n1="$n1" -v x2="$x2" -v n2="$n2" -v r1="$rate1" \
            -v r2="$rate2" -v r="$ratio" 'function near(a, b) {
                d = a - b; if (d < 0) d = -d; return d <= 1e-12 * (b < 0 ? -b : b) + 1e-15 }
            BEGIN { e1 = x1 / n1; e2 = x2 / n2
                    exit !(near(r1, e1) && near(r2, e2) && near(r, e1 / e2)) }'
done < expected.txt

# WRES 2 by pay band for R0-wide 2025/26: counted by the post's band.
awk -F, 'FNR > 1 && $3 >= "2025-04-01" && $3 <= "2026-03-31" && $10 == "Y" {
    g = ($4 == "A" || $4 == "B" || $4 == "C") ? "W" : ($4 == "Z" || $4 == "99" || $4 == "X") ? "U" : "B"
    n[$8, g]++; x[$8, g] += $11 == "Y"; b[$8] = 1 }
    END { for (k in b) printf "%s %d %d %d %d\n", k, x[k, "W"], n[k, "W"], x[k, "B"], n[k, "B"] }' \
    "$S/recruitment.csv" | sort > bands-expected.txt
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    $col["indicator"] == "WRES2" && $col["stratum_kind"] == "pay_band" && $col["pooled"] == 0 {
        print $col["stratum"], $col["x1"], $col["n1"], $col["x2"], $col["n2"] }' \
    out/results.csv | sort > bands-got.txt
check 4.1 "WRES2 counts by pay band equal awk's" cmp -s bands-expected.txt bands-got.txt

# Kline: the band 5 to 7 compound is the product of the band 6 and band 7
# ratios (from awk's counts).
kline=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    $col["indicator"] == "WRES2" && $col["stratum"] == "band 5 to 7" { print $col["ratio"] }' \
    out/results.csv)
check 4.2 "Kline band 5 to 7 ($kline) = ratio at band 6 x ratio at band 7" \
    awk -v k="$kline" '$1 == "6" { r6 = ($2 / $3) / ($4 / $5) } $1 == "7" { r7 = ($2 / $3) / ($4 / $5) }
        END { d = k - r6 * r7; exit !(d < 1e-9 && d > -1e-9) }' bands-expected.txt
finish
