#!/usr/bin/env bash
# programme.sh: `--programme`, the event study of a staggered roll-out, on
# the shipped sample: the files it writes; that the single cohort's outputs
# are the same bytes with and without it; that for one cohort the event
# study's year-1 effect equals the before/after difference-in-differences
# of cohorts.csv (the same arithmetic: Mantel-Haenszel pools of 2022/23 and
# 2024/25, cohort over the never-joined); the planted WRES 4 roll-out effect
# (0.75, sample-data/README.md) recovered; the cohort file's checks; and
# the report's programme page.
source "$(dirname "$0")/lib.sh"
S=$SRC/sample-data

for kind in recruitment workforce disciplinary training; do
    do_cmd_test "1.$kind" 0 "stored" \
        "$PARITY" ingest --db s.db --kind "$kind" --rejects-dir rej "$S/$kind.csv"
done
do_cmd_test 1.5 0 "programme: out/programme.csv, out/programme.json" \
    "$PARITY" analyse --db s.db --out out --cohorts "$S/cohorts.csv" --programme "$S/programme.csv"
do_cmd_test 1.6 0 "cohorts: plain/cohorts.csv" \
    "$PARITY" analyse --db s.db --out plain --cohorts "$S/cohorts.csv"
check 1.7 "programme.csv has a row per indicator and term (5 x 11)" \
    test "$(tail -n +2 out/programme.csv | wc -l)" = 55
check 1.8 "programme.json names the cohorts and terms" \
    bash -c "grep -q '\"cohort_id\": \"RM24\"' out/programme.json && grep -q '\"term\": \"event:-2\"' out/programme.json"
for f in cohorts.csv cohorts.json results.csv; do
    check "1.9.$f" "$f is the same bytes with --programme as without" cmp -s "out/$f" "plain/$f"
done
check 1.10 "no programme.csv without --programme" test ! -e plain/programme.csv

# cols FILE NAME...: the named columns of every row, "-" for empty.
cols() {
    local file=$1
    shift
    awk -F, -v names="$*" 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i
                                      n = split(names, want, " "); next }
        { line = ""
          for (k = 1; k <= n; k++) {
              v = $col[want[k]]; gsub(/"/, "", v); if (v == "") v = "-"
              line = line (k > 1 ? " " : "") v }
          print line }' "$file"
}

# ---- 2. one cohort: the event study reduces to the before/after DiD ----------
head -2 "$S/cohorts.csv" > one.csv
do_cmd_test 2.1 0 "" "$PARITY" analyse --db s.db --out one --cohorts "$S/cohorts.csv" \
    --programme one.csv --no-comparisons
cols one/cohorts.csv indicator arm ratio_of_ratios > did.txt
cols one/programme.csv indicator term estimate > events.txt
for ind in WRES2 WRES3 WRES4 WDES2 WDES3; do
    old=$(awk -v i="$ind" '$1 == i && $2 == "difference" { print $3 }' did.txt)
    new=$(awk -v i="$ind" '$1 == i && $2 == "event:1" { print $3 }' events.txt)
    check "2.$ind" "$ind: event:1 ($new) = the cohort's difference-in-differences ($old)" \
        awk -v a="$old" -v b="$new" 'BEGIN { if (a == "-" || b == "-") exit !(a == b)
            exit !((a - b) / a < 1e-9 && (b - a) / a < 1e-9) }'
done
# WDES 3 has too few capability cases for either (both "-", checked above);
# the other four must be numbers.
check 2.6 "four indicators have the estimate in both" \
    test "$(awk '$2 == "event:1" && $3 != "-"' events.txt | wc -l)" = 4

# ---- 3. the planted roll-out effect on WRES 4 ------------------------------------
cols out/programme.csv indicator term estimate ci_low ci_high p > terms.txt
w4=$(awk '$1 == "WRES4" && $2 == "overall" { print $4, $5 }' terms.txt)
check 3.1 "WRES 4 overall interval ($w4) holds the planted 0.75 and lies below 1" \
    awk -v l="$w4" 'BEGIN { split(l, a, " "); exit !(a[1] <= 0.75 && 0.75 <= a[2] && a[2] < 1) }'
pre=$(awk '$1 == "WRES4" && $2 == "pretrend" { print $6 }' terms.txt)
check 3.2 "WRES 4 pre-trend test does not flag (p = $pre; nothing planted before joining)" \
    awk -v p="$pre" 'BEGIN { exit !(p > 0.05) }'
e0=$(awk '$1 == "WRES4" && $2 == "event:0" { print $4, $5 }' terms.txt)
check 3.3 "WRES 4 event 0 interval ($e0) holds 0.75" \
    awk -v l="$e0" 'BEGIN { split(l, a, " "); exit !(a[1] <= 0.75 && 0.75 <= a[2]) }'

# ---- 4. the cohort file's checks ---------------------------------------------------
h=cohort_id,name,organisations,start_date,end_date,pairs
printf '%s\nA,One,R0A,2022-10-01,2023-09-30,3\nB,Two,R0B;R0A,2023-06-01,2024-05-31,4\n' "$h" > overlap.csv
do_cmd_test 4.1 65 "overlap.csv:3: column 'start_date': organisation R0A is also in cohort A (line 2)" \
    "$PARITY" analyse --db s.db --out x --programme overlap.csv
printf '%s\nA,One,R0A;R9Z,2022-10-01,2023-09-30,3\n' "$h" > unknown.csv
do_cmd_test 4.2 65 "unknown.csv:2: column 'organisations': organisation R9Z has no data" \
    "$PARITY" analyse --db s.db --out x --programme unknown.csv
printf '%s\nA,One,R0A,2023-10-01,2022-09-30,3\n' "$h" > backwards.csv
do_cmd_test 4.3 65 "backwards.csv:2: end_date 2022-09-30 is before start_date" \
    "$PARITY" analyse --db s.db --out x --programme backwards.csv
printf '%s\nA,One,R0A,2022-10-01,2023-09-30,many\n' "$h" > pairs.csv
do_cmd_test 4.4 65 "pairs.csv:2: pairs \"many\" is not a whole number" \
    "$PARITY" analyse --db s.db --out x --programme pairs.csv
do_cmd_test 4.5 66 "missing.csv" "$PARITY" analyse --db s.db --out x --programme missing.csv
do_cmd_test 4.6 64 "programme" "$PARITY" analyse --db s.db --out x --programme
check 4.7 "no programme file written after a refused cohort file" test ! -e x/programme.csv
do_cmd_test 4.8 0 "programme: org/programme.csv" \
    "$PARITY" analyse --db s.db --out org --org R0C --programme "$S/programme.csv" --no-trend
check 4.9 "one organisation: no estimate, and the note says why" \
    grep -q '^WRES4,overall,0,.*no comparator organisations' org/programme.csv

# ---- 5. the report's page ----------------------------------------------------------
do_cmd_test 5.1 0 "board-report.pdf" "$PARITY" report --db s.db --out rep \
    --programme "$S/programme.csv"
pdftotext -layout rep/board-report.pdf rep.txt
check 5.2 "the PDF has the programme page" grep -q "The programme's roll-out" rep.txt
check 5.3 "it names the cohorts and their pairs" grep -Eq "RM23 +R0C, R0D +2023-06-01 to 2024-05-31 +25" rep.txt
check 5.4 "WRES 4 in plain words, as a detectable fall" \
    grep -q "WRES 4: after joining, the ratio fell by a factor of" rep.txt
check 5.5 "WRES 2: no detectable change, with the smallest detectable" \
    bash -c "tr '\n' ' ' < rep.txt | tr -s ' ' | grep -q 'WRES 2: no detectable change .* The smallest change this could have detected is a ratio of ratios of'"
check 5.6 "the pre-trend check is reported" grep -q "pre-trend test" rep.txt
check 5.7 "WRES 3 rests on small counts: withheld, not printed" \
    grep -q "WRES 3: not shown, to protect small numbers" rep.txt
check 5.8 "the HTML report has the event-study figure with its words" \
    grep -q "Event-study chart: the ratio of ratios by years since joining" rep/board-report.html
python3 "$SRC/tests/e2e/pdf_tags.py" rep/board-report.pdf > tags.txt
check 5.9 "the PDF tags WRES 4's chart as a figure whose /Alt gives year 0" \
    grep -Eq '^alt: Event-study chart: .* Year 0: 0\.[0-9]+ \(' tags.txt
check 5.10 "no chart of withheld marks only" bash -c "! grep -q 'Year 0: suppressed' tags.txt"
check 5.11 "report-tables.csv lists the programme's terms as printed" \
    grep -q '^programme,WRES4,,term,overall,2021/22 to 2025/26,.*,0\.82,0\.71,0\.94,,ratio of ratios' rep/report-tables.csv
check 5.12 "... and withholds WRES 3's, the pre-trend test too" \
    test "$(grep '^programme,WRES3,' rep/report-tables.csv | grep -vc 'suppressed (small numbers)$')" = 0
check 5.13 "WRES 4's event chart is written beside the report" test -s rep/wres4-event.png -a -s rep/wres4-event.svg
# ---- 6. the unattended run: [paths] programme ----------------------------------------
mkdir -p site/inbox
printf '[paths]\ndatabase = state.db\ninbox = inbox\narchive = archive\nquarantine = quarantine\noutput = out\nlog = parity.log\nprogramme = %s\n' \
    "$S/programme.csv" > site/parity.ini
do_cmd_test 6.1 0 "programme = $S/programme.csv" "$PARITY" run --config site/parity.ini --print-config
for k in recruitment workforce disciplinary training; do
    cp "$S/$k.csv" "site/inbox/$k-2026-04.csv"
done
do_cmd_test 6.2 0 "finished: success" "$PARITY" run --config site/parity.ini --date 2026-05-03
check 6.3 "the run writes programme.csv" test -s site/out/2026-05/programme.csv
check 6.4 "and its report has the programme page" \
    bash -c "pdftotext site/out/2026-05/board-report.pdf - | grep -q \"The programme's roll-out\""
printf '[paths]\nprogramme = %s\n' "$PWD/overlap.csv" > site/bad.ini
do_cmd_test 6.5 65 "column 'start_date'" "$PARITY" run --config site/bad.ini --date 2026-05-03

# ---- 7. a store holding one kind ------------------------------------------------
# Before this fix, a kind with no data was taken for an error: "parity analyse:
# error: failed", exit 70, and no file.
do_cmd_test 7.1 0 "stored" "$PARITY" ingest --db r.db --kind recruitment --rejects-dir rejr \
    "$S/recruitment.csv"
do_cmd_test 7.2 0 "programme: r/programme.csv" \
    "$PARITY" analyse --db r.db --out r --programme "$S/programme.csv"
check 7.3 "WRES 2's terms, and none of the kinds not held" \
    bash -c "grep -q '^WRES2,overall,1,' r/programme.csv && grep -q '^WRES4,overall,0,' r/programme.csv"
finish
