#!/usr/bin/env bash
# stages.sh: how far formal cases go (Archibong and Darr 2010). A
# disciplinary extract with investigation, hearing and outcome columns
# (tests/data/analyse/stages: 100 cases in 2025/26, conduct cases in the
# disciplinary process and performance cases in capability) gives, for each
# stage, BME against White and Disabled against non-disabled, the crude
# ratio and the Mantel-Haenszel ratio pooled over the grounds.
#
# The fixture by hand (its generator's table): cases, and of them those who
# went to a hearing, got a first written warning or worse, and were
# dismissed:
#   conduct      BME 20: hearing 12, first written+ 10, dismissed 3
#                White 40: hearing 14, first written+ 11, dismissed 2
#   performance  BME 10: hearing 3, first written+ 3, dismissed 1
#                White 30: hearing 6, first written+ 5, dismissed 1
# Crude, hearing: (15/30) / (20/70) = 1.75.
# Mantel-Haenszel over the two grounds, with Greenland-Robins limits, from
# this independent reference (python3, standard library; it gives DOMAIN.md's
# Doll and Hill value 2.475119104, 1.583086662 - 3.869791038):
#   import math; z = 1.959963984540054
#   def mh(s):
#       R = sum(x1*n2/(n1+n2) for x1,n1,x2,n2 in s)
#       S = sum(x2*n1/(n1+n2) for x1,n1,x2,n2 in s)
#       v = sum((n1*n2*(x1+x2) - x1*x2*(n1+n2))/(n1+n2)**2
#               for x1,n1,x2,n2 in s) / (R*S)
#       r = R/S; return r, r*math.exp(-z*math.sqrt(v)), r*math.exp(z*math.sqrt(v))
#   mh([(12,20,14,40), (3,10,6,30)])  # hearing
#     -> 1.662162162162162, 1.0019772983269575, 2.757330987375388
#   mh([(10,20,11,40), (3,10,5,30)])  # first written warning or worse
#     -> 1.8135593220338988, 1.0063762814266057, 3.2681587148235263
#   mh([(3,20,2,40), (1,10,1,30)])    # dismissal
#     -> 3.0, 0.7106411157063482, 12.66462044073311
# By hand for the hearing ratio: conduct 12*40/60 = 8 and 14*20/60 =
# 4.6667; performance 3*30/40 = 2.25 and 6*10/40 = 1.5; (8 + 2.25) /
# (4.6667 + 1.5) = 10.25 / 6.1667 = 1.6622.
source "$(dirname "$0")/lib.sh"
D=$SRC/tests/data/analyse/stages

do_cmd_test 1.1 0 "stored" "$PARITY" ingest --db s.db --kind workforce "$D/workforce.csv"
do_cmd_test 1.2 0 "100 stored" "$PARITY" ingest --db s.db --kind disciplinary \
    "$D/disciplinary.csv"
check 1.3 "a stage for every case" \
    test "$(sqlite3 s.db "select sum(rows) from cells where kind = 'disciplinary' and stage <> ''")" = 100
do_cmd_test 1.4 0 "run id" "$PARITY" analyse --db s.db --out out --period 2025/26 --no-trend

# stage GROUPING STAGE POOLED: "x1/n1 x2/n2 ratio ci_low ci_high".
stage() {
    awk -F, -v g="$1" -v s="$2" -v p="$3" '
        NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
        $col["indicator"] == "case_stage" && $col["grouping"] == g &&
        $col["stratum"] == s && $col["pooled"] == p {
            print $col["x1"] "/" $col["n1"], $col["x2"] "/" $col["n2"], $col["ratio"],
                  $col["ci_low"], $col["ci_high"], $col["group1"] "|" $col["group2"] }' \
        out/results.csv
}
near() { awk -v g="$1" -v w="$2" 'BEGIN { d = g - w; exit !(d < 1e-9 && d > -1e-9) }'; }

read -r a b ratio _ _ groups <<< "$(stage white_bme hearing 0)"
check 2.1 "hearing, crude: BME 15/30 against White 20/70" \
    test "$a $b $groups" = "15/30 20/70 BME|White"
check 2.2 "crude ratio 1.75" near "$ratio" 1.75
read -r a b ratio low high _ <<< "$(stage white_bme hearing 1)"
check 2.3 "hearing, pooled over grounds: the same totals" test "$a $b" = "15/30 20/70"
check 2.4 "MH 1.662162162" near "$ratio" 1.662162162162162
check 2.5 "Greenland-Robins 1.001977298" near "$low" 1.0019772983269575
check 2.6 "to 2.757330987" near "$high" 2.757330987375388
read -r a b ratio low high _ <<< "$(stage white_bme first_written 1)"
check 2.7 "first written or worse: 13/30 against 16/70" test "$a $b" = "13/30 16/70"
check 2.8 "MH 1.813559322" near "$ratio" 1.8135593220338988
check 2.9 "limits 1.006376281 to 3.268158715" \
    sh -c "awk -v l=$low -v h=$high 'BEGIN { exit !((l - 1.0063762814266057)^2 < 1e-18 && (h - 3.2681587148235263)^2 < 1e-18) }'"
read -r a b ratio low high _ <<< "$(stage white_bme dismissal 1)"
check 2.10 "dismissal: 4/30 against 3/70" test "$a $b" = "4/30 3/70"
check 2.11 "MH 3" near "$ratio" 3
check 2.12 "limits 0.710641116 to 12.664620441" \
    sh -c "awk -v l=$low -v h=$high 'BEGIN { exit !((l - 0.7106411157063482)^2 < 1e-18 && (h - 12.66462044073311)^2 < 1e-18) }'"
# Every stage some case reached, both groupings, crude and pooled: 6 stages
# (investigation to dismissal) x 2 x 2.
check 2.13 "24 stage rows" \
    test "$(awk -F, 'NR > 1 && $1 == "case_stage"' out/results.csv | wc -l)" = 24
read -r _ _ _ _ _ groups <<< "$(stage disability hearing 0)"
check 2.14 "disability: Disabled against Non-disabled" test "$groups" = "Disabled|Non-disabled"

# 3. Without stage columns, no stage rows and nothing else changes.
do_cmd_test 3.1 0 "stored" "$PARITY" ingest --db p.db --kind workforce "$D/workforce.csv"
cut -d, -f1-8 "$D/disciplinary.csv" > plain.csv
do_cmd_test 3.2 0 "100 stored" "$PARITY" ingest --db p.db --kind disciplinary plain.csv
do_cmd_test 3.3 0 "run id" "$PARITY" analyse --db p.db --out plain --period 2025/26 --no-trend
check 3.4 "no stage rows" test "$(grep -c '^case_stage,' plain/results.csv)" = 0
strip() { grep -v '^case_stage,' "$1" | cut -d, -f1-30; }
check 3.5 "the other rows are the same" diff <(strip out/results.csv) <(strip plain/results.csv)

# 4. The report: the disciplinary sections show how far cases went (WRES 3
# by ethnicity, WDES 3 by disability), as a chart and a table, and
# report-tables.csv carries the same rows. By hand, the hearing stage: BME
# 15 of 30 = 50.0%, White 20 of 70 = 28.6%.
do_cmd_test 4.1 0 "board report" "$PARITY" report --db s.db --out rep --period 2025/26 \
    --suppress 0
check 4.2 "stage charts beside the report" \
    test -s rep/wres3-stages.png -a -s rep/wres3-stages.svg -a -s rep/wdes3-stages.png
check 4.3 "24 stage rows in report-tables.csv" \
    test "$(grep -c '^case_stages,' rep/report-tables.csv)" = 24
check 4.4 "hearing: 50.0% against 28.6%, ratio 1.75 crude, 1.66 pooled" \
    test "$(grep '^case_stages,case_stage,white_bme,stage,hearing,' rep/report-tables.csv |
            cut -d, -f10,14,15 | tr '\n' ' ')" = "50.0,28.6,1.75 50.0,28.6,1.66 "
pdftotext -layout rep/board-report.pdf rep.txt
check 4.5 "the section and its table in the PDF" \
    sh -c "grep -q 'How far formal cases went, by ethnicity' rep.txt &&
           grep -q 'How far formal cases went, by disability' rep.txt &&
           grep -q 'Went to a hearing' rep.txt"
# With the default suppression (counts 1-4 hidden) the fixture's dismissals
# (3 and 1 by ground; 4 and 3 in all) would show: nothing is shown, and
# report-tables.csv has no stage rows.
do_cmd_test 4.6 0 "board report" "$PARITY" report --db s.db --out sup --period 2025/26
check 4.7 "no stage rows published" test "$(grep -c '^case_stages,' sup/report-tables.csv)" = 0
check 4.8 "no stage charts" test ! -e sup/wres3-stages.png -a ! -e sup/wdes3-stages.png
pdftotext -layout sup/board-report.pdf sup.txt
check 4.9 "the PDF says why" grep -q "Not shown: some of its counts are too small" sup.txt

finish
