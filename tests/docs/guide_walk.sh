#!/usr/bin/env bash
# guide_walk.sh: the E&D lead's guide, walked on the sample data. It runs the
# guide's own commands for steps 4 to 9 (every "parity ..." line of those
# steps that works on the sample), in order, in a folder like the lead's, and
# requires the output the guide shows for them; then checks that the figures
# the guide quotes from the report, the cohort sentences and the return are
# what the report and the return say, and that the guide still quotes them.
source "$(dirname "$0")/../e2e/lib.sh"
GUIDE=$SRC/docs/guide.md
mkdir -p bin && ln -sf "$PARITY" bin/parity && ln -sfn "$SRC/sample-data" sample-data
export PATH="$SCRATCH/bin:$PATH"

# The guide up to its error messages: the steps.
sed -n '1,/^## When something goes wrong/p' "$GUIDE" > steps.md
section() {  # the indented lines of the numbered steps given (e.g. "4|5|9")
    awk -v want="^($1)\\\\.$" '/^## /{sec = $2} /^    / && sec ~ want' steps.md | sed 's/^    //'
}
section '4|5|6|9' | grep '^parity ' | grep -v trac > commands.txt
check 1 "the guide's steps hold at least 9 commands" test "$(wc -l < commands.txt)" -ge 9
: > outputs.txt
n=0
while IFS= read -r cmd; do
    rc=0
    bash -c "$cmd" >> outputs.txt 2>&1 || rc=$?
    [ "$rc" -eq 0 ] || { echo "    exit $rc: $cmd"; n=$((n + 1)); }
done < commands.txt
check 2 "every command of steps 4 to 9 succeeds" test $n -eq 0

# 3: the output the guide shows for those steps.
missing=0
while IFS= read -r line; do
    grep -qxF -- "$line" outputs.txt || { echo "    not printed: $line"; missing=$((missing + 1)); }
done < <(section '4|5|9' | grep -v '^parity ')
check 3 "every output line of steps 4, 5 and 9 is printed" test $missing -eq 0

# The figures the guide quotes, as the report (its HTML text), the cohort
# file and the return give them.
python3 - board-2025-26/board-report.html > report.txt <<'PY'
import html, re, sys
text = re.sub(r'<[^>]+>', ' ', open(sys.argv[1], encoding='utf-8').read())
print(re.sub(r'\s+', ' ', html.unescape(text)))
PY
sed 's/^> //' "$GUIDE" | tr -s ' \n' '  ' > guide.txt
quote() {  # quote ID TEXT FILE: TEXT is in FILE and in the guide
    if grep -qF -- "$2" "$3" && grep -qF -- "$2" guide.txt; then
        echo "ok   $1 $2"; PASSED=$((PASSED + 1))
    else
        echo "FAIL $1 $2 (in $3: $(grep -cF -- "$2" "$3"), in the guide: $(grep -cF -- "$2" guide.txt))"
        FAILED=$((FAILED + 1))
    fi
}
quote 4 "White shortlisted applicants were 1.40 times as likely as BME shortlisted applicants to be appointed (95% CI 1.27 to 1.55)" report.txt
quote 5 "Was 1.43 in 2024/25: inside this year's interval, so no clear change" report.txt
quote 6 "BME staff were 1.09 times as likely as White staff to enter the formal disciplinary process (95% CI 0.79 to 1.50). The interval includes 1; with these numbers only a ratio below 0.61 or above 1.56 would have been detected (80% power, 5% two-sided)." report.txt
quote 7 "ratio of ratios 0.91 (95% CI 0.73 to 1.14), p = 0.408: no detectable change. These windows could detect only a ratio of ratios below 0.72 or above 1.38 (80% power, 5% two-sided)." board-2025-26/cohorts.csv
check 8 "the return: R0A's workforce 46.2% BME (919 of 1,991)" \
    grep -q '^WRES,1 workforce,R0A,BME,919,1991,46.1' board-2025-26/return.csv
check 9 "the return: WRES 5 at R0A, 122 of 405 against 129 of 495, difference 4.1 (-1.8 to 10.0)" \
    bash -c 'grep -q "^WRES,5,R0A,BME,122,405,30.1" "$1" && grep -q "^WRES,5,R0A,White,129,495,26.06" "$1" &&
             grep -q "^WRES,5 difference,R0A,BME - White,,,4.06[0-9]*,-1.81[0-9]*,9.97" "$1"' _ board-2025-26/return.csv
check 10 "the return: R0A's band 8a, 30 of 80, shortfall 7, 4 a year" \
    bash -c 'grep -q "^WRES,model employer band 8a,R0A,BME,30,80,37.5" "$1" &&
             grep -q "^WRES,model employer shortfall band 8a,R0A,BME,,,7," "$1" &&
             grep -q "^WRES,model employer appointments a year band 8a,R0A,BME,,,4," "$1"' _ board-2025-26/return.csv
check 11 "the return: R0A's voting members 10 White, <5 BME of [c]" \
    bash -c 'grep -q "^WRES,9 voting,R0A,White,10,\[c\]," "$1" && grep -q "^WRES,9 voting,R0A,BME,<5,\[c\]," "$1" &&
             grep -qF "10 White and \`<5\` BME, with their total hidden" "$2"' \
    _ board-2025-26/return.csv "$SRC/docs/guide.md"
check 12 "the guide quotes those return figures" bash -c 'grep -qF "46.2% BME (919 of 1,991)" "$1" &&
    grep -qF "(122 of 405)" "$1" && grep -qF "(129 of 495)" "$1" && grep -qF "4.1 points, 95% CI −1.8" "$1" &&
    grep -qF "30 BME staff of 80 (37.5%)" "$1" && grep -qF "a shortfall of 7, or 4 appointments a year" "$1"' _ guide.txt
check 14 "the return: R0A's consultants, 44 White of 77, the rest hidden; the guide quotes it" \
    bash -c 'grep -q "^WRES,1 clinical medical and dental: consultants,R0A,White,44,77,57.14" "$1" &&
             grep -q "^WRES,1 clinical medical and dental: consultants,R0A,BME,\[c\],77," "$1" &&
             grep -qF "Of R0A'"'"'s 77 consultants, 44 are White (57.1%)" "$2"' _ board-2025-26/return.csv guide.txt
# 13: what step 6 says the report folder holds, and that every file is the owner's only.
check 13 "the report folder holds what step 6 lists, each file 0600" bash -c '
    cd board-2025-26 && for f in board-report.pdf board-report.html wres2-by-organisation.png \
        wres2-by-organisation.svg report-tables.csv results.csv results.json trend.csv cohorts.csv \
        return.csv wres-2025-26.xlsx wdes-2025-26.xlsx; do [ -s "$f" ] || exit 1; done
    ! find . -type f ! -perm 600 | grep -q .'
finish
