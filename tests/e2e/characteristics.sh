#!/usr/bin/env bash
# characteristics.sh: sexual orientation and religion compared for every
# measure with a denominator, from extracts of each kind carrying them
# (tests/data/analyse/characteristics, one organisation R0A, a 2026-03-31
# workforce snapshot and 2025/26 cases, analysed with a one-year window).
#
# The fixture, by hand (the generator's lists, written out):
#   workforce, 360 staff: sexual orientation "Gay or Lesbian" 40,
#     "Bisexual" 20, "Not stated" 20, "Heterosexual or Straight" 280;
#     religion Christianity 200, Atheism 100, Islam 40, declined 20.
#   disciplinary, 24 cases: orientation codes 2: 5, 3: 1, Z: 1, 1: 17;
#     religion C: 10, L: 6, G: 6, Z: 2.
#   training, 30 staff: orientation 2: 10, 1: 20.
# The reference is the category with the largest headcount (heterosexual,
# Christian). Disciplinary is adverse, so group 1 is the compared group:
#   gay or lesbian: (5/40) / (17/280) = 0.125 / 0.0607142857 = 35/17
#                   = 2.0588235294
#   Muslim:         (6/40) / (10/200) = 0.15 / 0.05 = 3
# Training is favourable, so group 1 is the reference:
#   heterosexual vs gay or lesbian: (20/280) / (10/40) = 2/7 = 0.2857142857
source "$(dirname "$0")/lib.sh"
D=$SRC/tests/data/analyse/characteristics

for kind in workforce disciplinary training; do
    do_cmd_test "1.$kind" 0 "stored" \
        "$PARITY" ingest --db s.db --kind "$kind" --rejects-dir rej "$D/$kind.csv"
done
do_cmd_test 1.4 0 "run id" "$PARITY" analyse --db s.db --out out --period 2025/26 \
    --window-years 1 --no-trend

# row MEASURE GROUPING GROUP1 GROUP2: "x1 n1 x2 n2 ratio" of the overall row.
row() {
    awk -F, -v m="$1" -v g="$2" -v a="$3" -v b="$4" '
        NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
        $col["measure"] == m && $col["grouping"] == g && $col["group1"] == a &&
        $col["group2"] == b && $col["stratum_kind"] == "overall" {
            print $col["x1"], $col["n1"], $col["x2"], $col["n2"], $col["ratio"] }' \
        out/results.csv
}
# near GOT WANT: equal to 1e-9.
near() { awk -v g="$1" -v w="$2" 'BEGIN { d = g - w; exit !(d < 1e-9 && d > -1e-9) }'; }

read -r x1 n1 x2 n2 ratio <<< "$(row disciplinary sexual_orientation 2 1)"
check 2.1 "disciplinary, gay or lesbian against heterosexual: 5/40 vs 17/280" \
    test "$x1 $n1 $x2 $n2" = "5 40 17 280"
check 2.2 "ratio 35/17 = 2.0588235294" near "$ratio" 2.0588235294117647
read -r x1 n1 x2 n2 ratio <<< "$(row disciplinary religion G C)"
check 2.3 "disciplinary, Muslim against Christian: 6/40 vs 10/200" \
    test "$x1 $n1 $x2 $n2" = "6 40 10 200"
check 2.4 "ratio 3" near "$ratio" 3
read -r x1 n1 x2 n2 ratio <<< "$(row training sexual_orientation 1 2)"
check 2.5 "training, heterosexual against gay or lesbian: 20/280 vs 10/40" \
    test "$x1 $n1 $x2 $n2" = "20 280 10 40"
check 2.6 "ratio 2/7" near "$ratio" 0.2857142857142857
# Not stated is data quality, never a compared group.
check 2.7 "no row compares not stated" \
    test "$(awk -F, 'NR > 1 && ($3 == "Z" || $4 == "Z") && $2 ~ /orientation|religion/' \
            out/results.csv | wc -l)" = 0

# 3. A database from before ingest coded these columns holds their labels as
# written (a counts file is stored as it is, so one stands in for it): the
# analysis reads them through the same lists, so "Gay or Lesbian" in the
# snapshot and "Lesbian" in the cases are one group, code 2. By hand:
# (3/20) / (5/100) = 0.15 / 0.05 = 3.
H=kind,month,organisation,ethnic_category,sex,disability,age_band,pay_band,staff_group,contract,process,grounds,sexual_orientation,religion,rows,shortlisted,appointed
cat > labels.csv <<CSV
$H
workforce,2026-03,R0A,A,F,N,Z,Z,Z,permanent,,,Heterosexual or Straight,,100,0,0
workforce,2026-03,R0A,A,F,N,Z,Z,Z,permanent,,,Gay or Lesbian,,20,0,0
disciplinary,2025-06,R0A,A,F,N,Z,Z,Z,permanent,disciplinary,conduct,Straight,,5,0,0
disciplinary,2025-06,R0A,A,F,N,Z,Z,Z,permanent,disciplinary,conduct,Lesbian,,3,0,0
CSV
do_cmd_test 3.1 0 "stored" "$PARITY" ingest --db old.db --kind counts --rejects-dir rej \
    labels.csv
do_cmd_test 3.2 0 "run id" "$PARITY" analyse --db old.db --out old --period 2025/26 \
    --window-years 1 --no-trend
read -r g1 g2 c1 c2 ratio <<< "$(awk -F, '
    NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    $col["measure"] == "disciplinary" && $col["grouping"] == "sexual_orientation" {
        print $col["group1"], $col["group2"], $col["x1"] "/" $col["n1"],
              $col["x2"] "/" $col["n2"], $col["ratio"] }' old/results.csv)"
check 3.3 "labels read as codes: group 2 against 1, 3/20 vs 5/100" \
    test "$g1 $g2 $c1 $c2" = "2 1 3/20 5/100"
check 3.4 "ratio 3" near "$ratio" 3

finish
