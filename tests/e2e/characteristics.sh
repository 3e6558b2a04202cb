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

# 4. --intersect ethnic_category,sex,disability: every combination of the
# stated classes against the reference cell, each characteristic's reference
# combined (ethnic category A, sex M, disability N: White British
# non-disabled men). The fixture's disciplinary cases and headcount by cell
# (generator's table, written out):
#   A M N 4/100  A M Y 2/20  A F N 3/120  A F Y 1/10
#   N M N 6/40   N M Y 2/10  N F N 3/50   N F Y 3/10
# By hand, against A M N (4/100 = 0.04):
#   N F Y: 0.3 / 0.04 = 7.5;  N M N: 0.15 / 0.04 = 3.75;
#   A F N: 0.025 / 0.04 = 0.625
# With --low-count 4, the per-group rule flags every cell with fewer than 4
# cases on either side: all but N M N (6 and 4).
do_cmd_test 4.1 0 "run id" "$PARITY" analyse --db s.db --out x --period 2025/26 \
    --window-years 1 --no-trend --low-count 4 --intersect ethnic_category,sex,disability
cells() {
    awk -F, -v m="$1" -v g="$2" '
        NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
        $col["measure"] == m && $col["grouping"] == g {
            print $col["group1"] "|" $col["group2"] "|" $col["x1"] "/" $col["n1"] "|" \
                  $col["x2"] "/" $col["n2"] "|" $col["ratio"] "|" $col["low_count"] }' \
        "$3/results.csv"
}
cells disciplinary 'ethnic_category*sex*disability' x > x.txt
check 4.2 "seven cells besides the reference" test "$(wc -l < x.txt)" = 7
check 4.3 "every cell against A M Non-disabled, 4/100" \
    test "$(cut -d'|' -f2,4 x.txt | sort -u)" = "A M Non-disabled|4/100"
r=$(awk -F'|' '$1 == "N F Disabled" { print $3, $5 }' x.txt)
check 4.4 "N F Disabled 3/10, ratio 7.5" test "${r% *}" = 3/10
check 4.5 "ratio 7.5" near "${r#* }" 7.5
r=$(awk -F'|' '$1 == "N M Non-disabled" { print $3, $5, $6 }' x.txt)
check 4.6 "N M Non-disabled 6/40, ratio 3.75, not flagged" test "${r%% *} ${r##* }" = "6/40 0"
check 4.7 "ratio 3.75" near "$(echo "$r" | cut -d' ' -f2)" 3.75
r=$(awk -F'|' '$1 == "A F Non-disabled" { print $5 }' x.txt)
check 4.8 "A F Non-disabled ratio 0.625" near "$r" 0.625
check 4.9 "six cells flagged as too few cases" \
    test "$(awk -F'|' '$6 == 1' x.txt | wc -l)" = 6
# Training (favourable): group 1 is the reference cell, and cells with no
# one in them (every training row is A M N) still compare, as 0 of n.
check 4.10 "training cells have the reference as group 1" \
    test "$(cells training 'ethnic_category*sex*disability' x | cut -d'|' -f1 | sort -u)" \
    = "A M Non-disabled"

# 5. --reference moves the reference cell: sex F gives A F Non-disabled
# (3/120); N F Disabled: (3/10) / (3/120) = 12.
do_cmd_test 5.1 0 "run id" "$PARITY" analyse --db s.db --out f --period 2025/26 \
    --window-years 1 --no-trend --reference sex=F --intersect ethnic_category,sex,disability
r=$(cells disciplinary 'ethnic_category*sex*disability' f | awk -F'|' '$1 == "N F Disabled"')
check 5.2 "N F Disabled against A F Non-disabled 3/120" \
    test "$(echo "$r" | cut -d'|' -f2,4)" = "A F Non-disabled|3/120"
check 5.3 "ratio 12" near "$(echo "$r" | cut -d'|' -f5)" 12
# Two characteristics; the default pairs are not repeated.
do_cmd_test 5.4 0 "run id" "$PARITY" analyse --db s.db --out p --period 2025/26 \
    --window-years 1 --no-trend --intersect white_bme,sex --intersect sex,religion
check 5.5 "white_bme*sex once, as by default" \
    test "$(cells disciplinary 'white_bme*sex' p | wc -l)" = 3
# sex x religion: 2 sexes x 3 stated religions (C, G, L) less the reference
# cell (M, and C, the religion with the largest headcount) = 5 cells.
cells disciplinary 'sex*religion' p > sr.txt
check 5.6 "sex*religion: five cells" test "$(wc -l < sr.txt)" = 5
check 5.7 "sex*religion: all against M C" test "$(cut -d'|' -f2 sr.txt | sort -u)" = "M C"

# 6. Usage errors name the problem; nothing is run.
do_cmd_test 6.1 64 '"shoe" is not a characteristic' "$PARITY" analyse --db s.db --out e \
    --intersect sex,shoe
do_cmd_test 6.2 64 "give two or three" "$PARITY" analyse --db s.db --out e --intersect sex
do_cmd_test 6.3 64 "names ethnic_category twice" "$PARITY" analyse --db s.db --out e \
    --intersect ethnic_category,white_bme,sex
do_cmd_test 6.4 64 "at most three" "$PARITY" analyse --db s.db --out e \
    --intersect sex,disability,religion,age_band

# 7. parity run takes them from [report] intersect (repeatable).
mkdir -p site/inbox
for kind in workforce disciplinary training; do cp "$D/$kind.csv" "site/inbox/$kind-2026.csv"; done
cat > site/parity.ini <<'INI'
[paths]
database = parity.db
inbox = inbox
archive = archive
quarantine = quarantine
output = out
log = parity.log
[report]
rolling_window = 1
intersect = ethnic_category,sex,disability
INI
do_cmd_test 7.1 0 "intersect = ethnic_category,sex,disability" "$PARITY" run \
    --config site/parity.ini --print-config
do_cmd_test 7.2 0 "finished" "$PARITY" run --config site/parity.ini --date 2026-04-10
r=$(cells disciplinary 'ethnic_category*sex*disability' site/out/2026-04 |
    awk -F'|' '$1 == "N F Disabled"')
check 7.3 "run: N F Disabled 3/10 against 4/100" \
    test "$(echo "$r" | cut -d'|' -f3,4)" = "3/10|4/100"
printf '[report]\nintersect = sex,shoe\n' > bad.ini
do_cmd_test 7.4 65 'bad.ini:2: [report] intersect: intersection "sex,shoe"' \
    "$PARITY" run --config bad.ini

# 8. The report shows a named intersection in its breakdown, through the
# same suppression as any comparison: with --suppress 0 the cell N F
# Disabled prints 3 of 10 against 4 of 100 and 7.50; with the default
# suppression (counts 1-4 hidden) it prints no ratio.
do_cmd_test 8.1 0 "board report" "$PARITY" report --db s.db --out r0 --period 2025/26 \
    --window-years 1 --suppress 0 --intersect ethnic_category,sex,disability
check 8.2 "the cell in report-tables.csv" \
    grep -q '^by_characteristic,disciplinary,ethnic_category\*sex\*disability,overall,All organisations,2025/26,N F Disabled,10,3,30.0,A M Non-disabled,100,4,4.0,7.50,' \
    r0/report-tables.csv
pdftotext -layout r0/board-report.pdf r0.txt
check 8.3 "named in the PDF's breakdown" \
    grep -q "Ethnic category × Sex × Disability, against A M Non-disabled" r0.txt
do_cmd_test 8.4 0 "board report" "$PARITY" report --db s.db --out r5 --period 2025/26 \
    --window-years 1 --intersect ethnic_category,sex,disability
check 8.5 "suppressed with the default threshold" \
    grep -q '^by_characteristic,disciplinary,ethnic_category\*sex\*disability,overall,All organisations,2025/26,N F Disabled,10,<5,,A M Non-disabled,100,<5,,,,,,suppressed' \
    r5/report-tables.csv

finish
