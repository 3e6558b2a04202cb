#!/usr/bin/env bash
# report_pdf.sh: the board report read as a reader would, on the demo
# sample: pages, every section heading, the key figures (counted here with
# awk from sample-data/recruitment.csv, not taken from parity), fonts
# embedded, metadata, every page drawn, SVGs well-formed, no count from 1
# to 4 in any table of the PDF or report-tables.csv, no figures beside a
# suppressed count; then one organisation, suppression off, and a report
# made by `parity run` with its "What changed"; the recruitment pipeline
# (the shortlisting measure) and the pooled ratios' homogeneity tests under
# suppression.
source "$(dirname "$0")/lib.sh"

for tool in pdfinfo pdftotext pdffonts pdftoppm xmllint; do
    command -v "$tool" > /dev/null || { echo "FAIL: $tool is not installed"; exit 1; }
done

# ---- 1. the demo's report ------------------------------------------------
do_cmd_test 1.1 0 "board-report.pdf" "$PARITY" demo --out demo
pdfinfo demo/board-report.pdf > info.txt
pdftotext demo/board-report.pdf text.txt
pdftotext -layout demo/board-report.pdf layout.txt
# One line per paragraph is easier to search: line breaks read as spaces.
tr '\n' ' ' < text.txt > flat.txt
pages=$(awk '/^Pages:/ { print $2 }' info.txt)
# (the whole return at a glance, WRES and WDES, takes four of them; the
# programme's roll-out, from sample-data/programme.csv, two or three)
check 1.2 "page count $pages is between 10 and 23" test "$pages" -ge 10 -a "$pages" -le 23
check 1.3 "Title set" grep -q "^Title: *Workforce equality board report (synthetic sample)$" info.txt
check 1.4 "Author set" grep -q "^Author: *parity$" info.txt
check 1.5 "A4 pages" grep -q "^Page size: *595.276 x 841.89 pts (A4)" info.txt
check 1.6 "page numbers: Page 1 of $pages and Page $pages of $pages" \
    bash -c "grep -q 'Page 1 of $pages' text.txt && grep -q 'Page $pages of $pages' text.txt"

n=0
while IFS= read -r heading; do
    n=$((n + 1))
    check "1.7.$n" "heading: $heading" grep -qF -- "$heading" flat.txt
done <<'EOF'
summary for the board
Points to note
WRES indicator 2: appointment from shortlisting
WRES indicator 3: entering the formal disciplinary process
WRES indicator 4: access to non-mandatory training and CPD
WDES metric 2: appointment from shortlisting
WDES metric 3: entering the formal capability process
Counts and rates
Breakdown by ethnic category and other characteristics
Comparing organisations
Breakdowns by pay band and staff group
By pay band
By staff group
Kline's compound ratio
Recruitment pipeline
By ethnicity
By disability
Mentoring cohorts
Reciprocal mentoring cohort 1 (RMC1)
Data quality
Rows refused at ingest
Not stated or not known
Left out of the indicators
Disability declaration
Methods
The low-count rule
Small numbers
References
Reproducibility
Input files
EOF

# ---- 2. key figures, counted independently ----------------------------------
# WRES 2 for a financial year from recruitment.csv: White = A, B, C; BME =
# every other stated code; Z, 99, X and blanks in neither. Prints the
# overall ratio to two decimals.
wres2() {
    awk -F, -v from="$1" -v to="$2" 'NR > 1 && $3 >= from && $3 <= to && $10 == "Y" {
        g = "B"
        if ($4 == "A" || $4 == "B" || $4 == "C") g = "W"
        if ($4 == "Z" || $4 == "99" || $4 == "X" || $4 == "") next
        n[g]++; if ($11 == "Y") x[g]++
    } END { printf "%.2f %d %d %d %d\n", (x["W"] / n["W"]) / (x["B"] / n["B"]), x["W"], n["W"], x["B"], n["B"] }' \
        "$SRC/sample-data/recruitment.csv"
}
read -r now xw nw xb nb <<< "$(wres2 2025-04-01 2026-03-31)"
read -r before _ <<< "$(wres2 2024-04-01 2025-03-31)"
check 2.1 "WRES 2 2025/26 is $xw/$nw vs $xb/$nb = 1.40 (as counted)" test "$now" = 1.40
check 2.2 "summary gives WRES 2 as $now times as likely" \
    grep -qF "White shortlisted applicants were $now times as likely as BME shortlisted applicants to be appointed" flat.txt
check 2.3 "summary gives last year's WRES 2 ($before in 2024/25)" grep -qF "Was $before in 2024/25" flat.txt
thousands() { echo "$1" | sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/' -e 'ta'; }
check 2.4 "the counts table shows $nw shortlisted and $xw appointed (White)" \
    grep -Eq "All organisations +$(thousands "$nw") +$xw " layout.txt
# WDES 2: Y = disabled, N = not; Z in neither.
wdes2=$(awk -F, 'NR > 1 && $3 >= "2025-04-01" && $3 <= "2026-03-31" && $10 == "Y" && ($6 == "Y" || $6 == "N") {
    n[$6]++; if ($11 == "Y") x[$6]++
} END { printf "%.2f", (x["N"] / n["N"]) / (x["Y"] / n["Y"]) }' "$SRC/sample-data/recruitment.csv")
check 2.5 "WDES 2 is $wdes2 times as likely" \
    grep -qF "Non-disabled shortlisted applicants were $wdes2 times as likely" flat.txt
i=0
for f in "$SRC"/sample-data/{recruitment,workforce,disciplinary,training}.csv; do
    i=$((i + 1))
    sum=$(sha256sum "$f" | cut -c1-64)
    check "2.6.$i" "$(basename "$f") with its SHA-256" grep -qF "SHA-256 $sum" text.txt
done
sum=$(sha256sum "$SRC/sample-data/cohorts.csv" | cut -c1-64)
check 2.6.5 "the cohort file with its SHA-256" grep -qF "SHA-256 $sum" text.txt
check 2.7 "phrasing: times as likely, never times more likely or % more likely" \
    bash -c "grep -q 'times as likely' flat.txt && ! grep -qiE 'times more likely|% more likely' flat.txt"
check 2.8 "WDES 3 (1 disabled case) is suppressed, its ratio not given" \
    bash -c "grep -qF 'WDES 3 · entering the formal capability process. Not shown' flat.txt && ! grep -qF '0.23 times' flat.txt"
check 2.9 "the methods say how suppression hides figures" grep -qF "a row with any hidden count shows no rate, ratio, interval or band" flat.txt
check 2.10 "no NaN or nan anywhere" bash -c "! grep -qwiE 'nan' text.txt"

# ---- 3. fonts, pages drawn, charts -----------------------------------------
pdffonts demo/board-report.pdf | tail -n +3 > fonts.txt
check 3.1 "fonts listed" test -s fonts.txt
check 3.2 "every font embedded" bash -c "awk '{ if (\$(NF-4) != \"yes\") bad = 1 } END { exit bad }' fonts.txt"
# Each page at 20 dpi, cut to the content box (58 pt below the top edge to
# 52 pt above the bottom: pixels 17 to 216), so that the header and footer
# alone do not count as content; then its pixels darker than light grey
# (the PGM header adds a dozen bytes at most).
pdftoppm -gray -r 20 -x 0 -y 17 -W 166 -H 200 demo/board-report.pdf page
drawn=0
for pgm in page-*.pgm; do
    dark=$(od -An -v -tu1 "$pgm" | awk '{ for (i = 1; i <= NF; i++) if ($i < 200) d++ } END { print d + 0 }')
    [ "$dark" -gt 300 ] && drawn=$((drawn + 1))
done
check 3.3 "all $pages pages rasterised, none blank ($drawn with content)" test "$drawn" = "$pages"
for ind in wres2 wres3 wres4 wdes2 wdes3; do
    check "3.4.$ind" "$ind charts: by organisation and trend, PNG and SVG" \
        test -s "demo/$ind-by-organisation.png" -a -s "demo/$ind-by-organisation.svg" \
             -a -s "demo/$ind-trend.png" -a -s "demo/$ind-trend.svg"
done
check 3.5 "funnel plots for the indicators whose pooled ratio is shown" \
    test -s demo/wres2-funnel.svg -a ! -e demo/wdes3-funnel.svg
check 3.6 "every SVG well-formed" xmllint --noout demo/*.svg

# ---- 4. small numbers ---------------------------------------------------------
# A table line of pdftotext -layout: four or more fields two or more spaces
# apart, the first with a letter (the row's label). Prints those showing a
# bare count from 1 to 4.
cat > small.awk <<'EOF'
{
    line = $0
    sub(/^ +/, "", line)
    n = split(line, f, /  +/)
    if (n < 4 || f[1] !~ /[A-Za-z]/)
        next
    for (i = 2; i <= n; i++)
        if (f[i] ~ /^[1-4]$/) { print NR ": " $0; break }
}
EOF
awk -f small.awk layout.txt > small-pdf.txt
check 4.1 "no table line of the PDF shows a count from 1 to 4" test ! -s small-pdf.txt
check 4.2 "the PDF shows suppressed counts as <5 and [c]" bash -c "grep -qF '<5' layout.txt && grep -qF '[c]' layout.txt"
# report-tables.csv: the count columns are 8, 9, 12 and 13 (base1,
# outcome1, base2, outcome2), the figures 10, 14 to 17 (rates, ratio,
# interval) and the note 19. A quoted cell may hold commas ("2,268").
cat > tables.awk <<'EOF'
function split_csv(line, f,    n, i, c, q, cell) {
    n = 0; cell = ""; q = 0
    for (i = 1; i <= length(line); i++) {
        c = substr(line, i, 1)
        if (c == "\"") q = !q
        else if (c == "," && !q) { f[++n] = cell; cell = "" }
        else cell = cell c
    }
    f[++n] = cell
    return n
}
NR > 1 {
    split_csv($0, f)
    counts = f[8] " " f[9] " " f[12] " " f[13]
    hidden = counts ~ /<5|\[c\]/
    if (f[8] ~ /^[1-4]$/ || f[9] ~ /^[1-4]$/ || f[12] ~ /^[1-4]$/ || f[13] ~ /^[1-4]$/)
        print "small count: " $0
    if (hidden && (f[10] f[14] f[15] f[16] f[17]) != "")
        print "figures beside a hidden count: " $0
    if (hidden && f[19] != "suppressed (small numbers)")
        print "not marked suppressed: " $0
}
EOF
check 4.3 "report-tables.csv has rows" test "$(wc -l < demo/report-tables.csv)" -gt 100
awk -f tables.awk demo/report-tables.csv > tables-bad.txt
check 4.4 "no count from 1 to 4 in report-tables.csv" bash -c "! grep -q '^small count' tables-bad.txt"
check 4.5 "a row with a hidden count has no rate, ratio or interval" bash -c "! grep -q '^figures beside' tables-bad.txt"
check 4.6 "... and says it is suppressed" bash -c "! grep -q '^not marked' tables-bad.txt"
check 4.6.1 "some rows are suppressed" grep -qF "suppressed (small numbers)" demo/report-tables.csv
# With suppression off, the same checks see the small counts that are there.
do_cmd_test 4.7 0 "board-report.pdf" "$PARITY" report --db demo/parity.db --out plain --suppress 0 \
    --cohorts "$SRC/sample-data/cohorts.csv"
pdftotext -layout plain/board-report.pdf plain.txt
check 4.8 "suppression off: the scan finds the small counts" bash -c "awk -f small.awk plain.txt | grep -q ."
check 4.9 "suppression off: nothing marked suppressed" bash -c "! grep -q 'suppressed (small numbers)' plain.txt && grep -q 'Small-number suppression is off' plain.txt"

# ---- 5. one organisation ------------------------------------------------------
do_cmd_test 5.1 0 "board-report.pdf" "$PARITY" report --db demo/parity.db --out one --org R0A \
    --cohorts "$SRC/sample-data/cohorts.csv" --title "R0A equality report" --author "Board secretary"
pdftotext one/board-report.pdf one.txt
pdfinfo one/board-report.pdf > one-info.txt
check 5.2 "one organisation: named in the header" grep -q "R0A · 2025/26" one.txt
check 5.3 "one organisation: no funnel plots" bash -c "! grep -q 'Comparing organisations' one.txt"
check 5.4 "one organisation: title and author" \
    bash -c "grep -q '^Title: *R0A equality report$' one-info.txt && grep -q '^Author: *Board secretary$' one-info.txt"
check 5.5 "one organisation: no small counts in its tables" bash -c "pdftotext -layout one/board-report.pdf - | awk -f small.awk | grep -q . && exit 1 || exit 0"
do_cmd_test 5.6 66 "no-such-cohorts.csv" "$PARITY" report --db demo/parity.db --out bad --cohorts no-such-cohorts.csv
do_cmd_test 5.7 64 "--funnel-adjust 'wide'" "$PARITY" report --db demo/parity.db --out bad --funnel-adjust wide

# ---- 6. a report made by `parity run`: what changed ------------------------------
mkdir -p site/inbox site/state
printf '[paths]\ndatabase = state/parity.db\ninbox = inbox\narchive = archive\nquarantine = quarantine\noutput = out\nlog = parity.log\ncohorts = %s\n' \
    "$SRC/sample-data/cohorts.csv" > site/parity.ini
for k in recruitment workforce disciplinary training; do
    cp "$SRC/sample-data/$k.csv" "site/inbox/$k-2026-04.csv"
done
do_cmd_test 6.1 0 "finished: success" "$PARITY" run --config site/parity.ini --date 2026-05-03
pdftotext site/out/2026-05/board-report.pdf run.txt
tr '\n' ' ' < run.txt > run-flat.txt
check 6.2 "the run's report has What changed" grep -qF "What changed: the run for 2026-05" run-flat.txt
check 6.3 "... listing the files delivered" grep -qF "new data recruitment-2026-04.csv (recruitment)" run-flat.txt
check 6.4 "changes.txt written as before" grep -qF "new data training-2026-04.csv (training)" site/out/2026-05/changes.txt
check 6.5 "the run's report has the mentoring cohorts" grep -qF "Mentoring cohorts" run-flat.txt
# ---- 7. the recruitment pipeline; pooled ratios over suppressed strata -----------
# Shortlisting from recruitment.csv: x = shortlisted, n = applications, every
# application row of 2025/26 (groups as in wres2() above).
shortlisting() {
    awk -F, -v col="$1" 'NR > 1 && $3 >= "2025-04-01" && $3 <= "2026-03-31" {
        g = ""
        if (col == 4) {
            if ($4 == "A" || $4 == "B" || $4 == "C") g = "1"
            else if ($4 != "Z" && $4 != "99" && $4 != "X" && $4 != "") g = "2"
        } else if ($6 == "N") g = "1"
        else if ($6 == "Y") g = "2"
        if (g == "") next
        n[g]++; if ($10 == "Y") x[g]++
    } END { printf "%.2f %d %d %d %d\n", (x[1] / n[1]) / (x[2] / n[2]), x[1], n[1], x[2], n[2] }' \
        "$SRC/sample-data/recruitment.csv"
}
read -r sl sx1 sn1 sx2 sn2 <<< "$(shortlisting 4)"
read -r dsl _ <<< "$(shortlisting 6)"
check 7.1 "results.csv: shortlisting White/BME row $sx1/$sn1 vs $sx2/$sn2 (as counted)" \
    grep -q "^shortlisting,white_bme,White,BME,overall,All organisations,2025/26,$sx1,$sn1,[^,]*,$sx2,$sn2," demo/results.csv
check 7.2 "the shortlisted are WRES 2's base ($sx1 = $nw, $sx2 = $nb)" test "$sx1" = "$nw" -a "$sx2" = "$nb"
check 7.3 "pipeline: White applicants $sl times as likely to be shortlisted" \
    grep -qF "White applicants were $sl times as likely as BME applicants to be shortlisted" flat.txt
check 7.4 "pipeline: Non-disabled applicants $dsl times as likely to be shortlisted" \
    grep -qF "Non-disabled applicants were $dsl times as likely as Disabled applicants to be shortlisted" flat.txt
check 7.5 "pipeline: its three stages and caption" \
    bash -c "grep -qF 'Shortlisted, as % of applicants' flat.txt && grep -qF 'Appointed, as % of those shortlisted' flat.txt && grep -qF \"Each bar is a percentage of its stage's base\" flat.txt"
for ind in wres2 wdes2; do
    check "7.6.$ind" "$ind pipeline chart as PNG and well-formed SVG" \
        bash -c "head -c 8 demo/$ind-pipeline.png | od -An -c | grep -q 'P   N   G' && xmllint --noout demo/$ind-pipeline.svg"
done
check 7.7 "no pipeline file for indicators without one" test ! -e demo/wres3-pipeline.svg
check 7.8 "the breakdown has a Shortlisting panel" grep -qF "Shortlisting" layout.txt
check 7.9 "report-tables.csv: shortlisting rows by characteristic" \
    grep -q "^by_characteristic,shortlisting,ethnic_category," demo/report-tables.csv
# WRES 3's organisations R0C and R0E are suppressed: its pooled ratio stays,
# its homogeneity test goes; WRES 2 (nothing suppressed) keeps both.
check 7.10 "WRES 3: pooled ratio and homogeneity test not shown beside suppressed organisations" \
    grep -qF "Pooled ratio and homogeneity test not shown: with the other organisations' counts they could reveal a suppressed one." flat.txt
check 7.11 "WRES 2: homogeneity test shown" grep -qF "Homogeneity: Q =" flat.txt
# The funnel's centre is the pooled ratio, withheld for WRES 3 (7.10).
check 7.11b "WRES 3 has no funnel: its pooled ratio would reveal small counts" \
    grep -qE "No funnel plot for [A-Z0-9 ,]*WRES 3[A-Z0-9 ,]*: its pooled ratio would reveal counts too small to publish." flat.txt
# The pooled rows of report-tables.csv: WRES 3's withheld (its
# organisations have hidden counts), WRES 2's printed.
python3 - demo/report-tables.csv > pooled.txt <<'PY'
import csv, sys
for r in csv.DictReader(open(sys.argv[1])):
    if r["table"] == "by_organisation" and r["stratum"] == "All organisations (pooled)":
        print(r["indicator"], r["ratio"] or "-", r["note"])
PY
check 7.12 "WRES 3: the pooled ratio is withheld with its suppressed organisations" \
    grep -q '^WRES3 - suppressed (small numbers)' pooled.txt
check 7.12b "WRES 2: the pooled ratio is printed (no organisation suppressed)" \
    grep -qE '^WRES2 [0-9]+\.[0-9]{2} ' pooled.txt
tr '\n' ' ' < plain.txt > plain-flat.txt
check 7.13 "suppression off: every homogeneity test shown" bash -c "! grep -qF 'Homogeneity test not shown' plain-flat.txt"
check 7.14 "one organisation: its pipeline" \
    bash -c "grep -qF 'Recruitment pipeline' one.txt && test -s one/wres2-pipeline.svg"
finish
