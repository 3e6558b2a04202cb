#!/usr/bin/env bash
# disclosure.sh: the attacker's test. tests/e2e/attack.py, written apart
# from the disclosure gate, reads every published output of a run (the PDF
# through pdftotext, report-tables.csv, changes.txt, the SVGs) and tries to
# work out each hidden count from sums and differences across every table,
# from bounds, from ratios (the tables', "What changed"'s and the summary's)
# and across consecutive monthly reports; and looks for any identifier of
# the input extracts. Cases:
#   1. the demo;
#   2. a monthly sequence of three reports across a year end, the one where
#      "What changed" quoted last year's ratio of a suppressed row;
#   3. the sample scaled down to 5%, so that most cells are small, and the
#      demo with three characteristics crossed (--intersect);
#   4. the nhs-digital policy: 1 to 7 shown as *, other counts rounded to 5.
# Each attack is also shown able to fail: with every [c] count read as if
# printed (--reveal-secondaries), or with the quoted ratio of a suppressed
# row put back into changes.txt, it must recover a small count.
source "$(dirname "$0")/lib.sh"
for tool in pdftotext python3; do
    command -v "$tool" > /dev/null || { echo "FAIL: $tool is not installed"; exit 1; }
done
ATTACK=(python3 "$SRC/tests/e2e/attack.py")
GEN="$(dirname "$PARITY")/parity-sample-gen"
S=$SRC/sample-data

# Every identifier in the sample extracts (first column, and staff_id).
{
    for f in recruitment disciplinary training workforce; do
        awk -F, 'NR > 1 { print $1 }' "$S/$f.csv"
    done
    awk -F, 'NR > 1 { print $2 }' "$S/disciplinary.csv"
} | sort -u > ids.txt
check 0.1 "identifiers gathered" test "$(wc -l < ids.txt)" -gt 10000

# ---- 1. the demo ----------------------------------------------------------
do_cmd_test 1.1 0 "board-report.pdf" "$PARITY" demo --out demo
do_cmd_test 1.2 0 "attack:" "${ATTACK[@]}" --ids ids.txt demo
do_cmd_test 1.3 1 "RECOVERED" "${ATTACK[@]}" --reveal-secondaries demo
check 1.4 "WDES 3: the Disabled capability count is hidden (it is 1)" \
    grep -qE '^by_organisation,WDES3,disability,overall,All organisations,[^,]*,Disabled,[0-9]+,(<5|\[c\]),' \
    demo/report-tables.csv

# ---- 2. a monthly sequence across a year end --------------------------------
mkdir -p site/inbox
printf '[paths]\ndatabase = state/parity.db\ninbox = inbox\narchive = archive\nquarantine = quarantine\noutput = out\nlog = parity.log\n' > site/parity.ini
split_kind() { # kind, date column: up to 2025/26 and from it
    head -1 "$S/$1.csv" > "$1-a.csv"
    cp "$1-a.csv" "$1-b.csv"
    awk -F, -v c="$2" 'NR > 1 && $c < "2025-04-01"' "$S/$1.csv" >> "$1-a.csv"
    awk -F, -v c="$2" 'NR > 1 && $c >= "2025-04-01"' "$S/$1.csv" >> "$1-b.csv"
}
split_kind recruitment 3; split_kind disciplinary 4; split_kind training 3; split_kind workforce 3
cp ./*-a.csv site/inbox/
do_cmd_test 2.1 0 "" "$PARITY" run --config site/parity.ini --date 2025-05-05
cp ./*-b.csv site/inbox/
do_cmd_test 2.2 0 "" "$PARITY" run --config site/parity.ini --date 2026-05-05
do_cmd_test 2.3 0 "" "$PARITY" run --config site/parity.ini --date 2026-06-05
runs=(site/out/2025-05 site/out/2026-05 site/out/2026-06)
check 2.4 "the reports are for 2024/25, then 2025/26" \
    bash -c "grep -q ',2024/25,' ${runs[0]}/report-tables.csv && grep -q ',2025/26,' ${runs[1]}/report-tables.csv"
check 2.5 "What changed: WDES3 R0C moved, its figures suppressed" \
    grep -qF "WDES3, R0C: moved outside the previous interval (figures suppressed: small numbers)" \
    "${runs[1]}/changes.txt"
do_cmd_test 2.6 0 "attack: 3 run(s)" "${ATTACK[@]}" --ids ids.txt "${runs[@]}"
do_cmd_test 2.7 1 "RECOVERED" "${ATTACK[@]}" --reveal-secondaries "${runs[@]}"
# The line as it used to be printed, from the first run's own (internal)
# results: the attack must solve its ratio for the suppressed count.
mkdir -p leaky && cp "${runs[1]}"/* leaky/
python3 - "${runs[0]}/results.csv" leaky/changes.txt <<'PY'
import csv, sys
rows = {(r["indicator"], r["stratum"], r["period"]): r for r in csv.DictReader(open(sys.argv[1]))
        if r["stratum_kind"] == "organisation" and r["pooled"] in ("0", "")}
old = rows[("WDES3", "R0C", "2024/25")]
text = open(sys.argv[2]).read().replace(
    "WDES3, R0C: moved outside the previous interval (figures suppressed: small numbers)",
    "WDES3, R0C: 0.00 (2025/26, 95%% CI 0.00 to 6.21) is outside the previous interval: "
    "was %.2f (2024/25, %.2f to %.2f)" % (float(old["ratio"]), float(old["ci_low"]),
                                           float(old["ci_high"])))
open(sys.argv[2], "w").write(text)
PY
do_cmd_test 2.8 1 "by ratio" "${ATTACK[@]}" "${runs[0]}" leaky

# ---- 3. the sample scaled down: most cells small ------------------------------
mkdir -p small
"$GEN" --seed 3 --scale 0.05 --out small > /dev/null
do_cmd_test 3.1 0 "board-report.pdf" "$PARITY" demo --sample small --out small-demo
do_cmd_test 3.2 0 "attack:" "${ATTACK[@]}" small-demo
do_cmd_test 3.3 1 "RECOVERED" "${ATTACK[@]}" --reveal-secondaries small-demo

# ---- 3b. three characteristics crossed (--intersect): every cell small --------
do_cmd_test 3.4 0 "board report" "$PARITY" report --db demo/parity.db --out crossed \
    --intersect ethnic_category,sex,disability --intersect white_bme,age_band
check 3.5 "the crossed cells are in report-tables.csv" \
    grep -q 'ethnic_category\*sex\*disability' crossed/report-tables.csv
do_cmd_test 3.6 0 "attack:" "${ATTACK[@]}" crossed
do_cmd_test 3.7 1 "RECOVERED" "${ATTACK[@]}" --reveal-secondaries crossed

# ---- 4. the NHS Digital policy ---------------------------------------------------
do_cmd_test 4.1 0 "board report" "$PARITY" report --db demo/parity.db --out nhsd \
    --disclosure nhs-digital --title "NHS Digital rules"
# Counts are columns 8, 9, 12 and 13 of report-tables.csv.
python3 - nhsd/report-tables.csv > nhsd-bad.txt <<'PY'
import csv, sys
for r in csv.DictReader(open(sys.argv[1])):
    for k in ("base1", "outcome1", "base2", "outcome2"):
        v = r[k].replace(",", "")
        if v in ("", "*"):
            continue
        if not v.isdigit() or int(v) % 5 or 1 <= int(v) <= 7:
            print(k, r[k], r["table"], r["indicator"], r["stratum"])
PY
check 4.2 "every count is *, 0 or a multiple of 5 ($(head -2 nhsd-bad.txt | tr '\n' ' '))" \
    test ! -s nhsd-bad.txt
check 4.3 "small counts are shown *" grep -q ',\*,' nhsd/report-tables.csv
check 4.4 "rows with a * count have no ratio" \
    bash -c "! grep ',\*,' nhsd/report-tables.csv | grep -qvF 'suppressed (small numbers)'"
pdftotext -layout nhsd/board-report.pdf nhsd.txt
# Was: the notes, the quality table and the settings said "<8" while the
# tables showed "*".
check 4.6 "the report's words name the mark its tables use (*), never <8" \
    bash -c "grep -q '\* in a count column: between 1 and 7 people' nhsd.txt &&
             grep -q 'counts 1 to 7 shown as \*, others rounded to 5' nhsd.txt &&
             ! grep -q '<8' nhsd.txt"
do_cmd_test 4.5 64 "use threshold or nhs-digital" "$PARITY" report --db demo/parity.db --out x --disclosure nhs-digtal
finish
