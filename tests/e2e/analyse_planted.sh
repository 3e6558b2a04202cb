#!/usr/bin/env bash
# analyse_planted.sh: `parity analyse` on the shipped sample recovers the
# true ratios planted by sample-data/generate.c (sample-data/README.md,
# "Planted true ratios") within their intervals, finds the planted mentoring
# effect for cohort RMC1 (R0A, R0B) and none for the comparators (R0C-R0F),
# and agrees with the README's independent verification (verify.py, Katz
# intervals). Then the cohort file's checks, the run history, periods,
# one organisation, and usage errors.
source "$(dirname "$0")/lib.sh"
S=$SRC/sample-data

for kind in recruitment workforce disciplinary training; do
    do_cmd_test "1.$kind" 0 "stored" \
        "$PARITY" ingest --db s.db --kind "$kind" --rejects-dir rej "$S/$kind.csv"
done
do_cmd_test 1.5 0 "run id: 1" "$PARITY" analyse --db s.db --out out --cohorts "$S/cohorts.csv"
for f in results.csv results.json trend.csv trend.json cohorts.csv cohorts.json; do
    check "1.6.$f" "wrote $f" test -s "out/$f"
done

# cols FILE NAME...: print the named columns of every row (header lookup),
# space-separated, quotes removed, "-" for an empty cell. The fields used
# here hold no commas.
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

# ---- 2. WRES 2 and WRES 4, each organisation and year (trend.csv) ---------------
# planted: org then 2021/22 .. 2025/26 (README tables)
cat > planted-wres2.txt <<'EOF'
R0A 1.80 1.80 1.80 1.10 1.10
R0B 1.70 1.70 1.70 1.10 1.10
R0C 1.30 1.30 1.30 1.30 1.30
R0D 1.50 1.52 1.54 1.56 1.58
R0E 2.00 1.97 1.94 1.91 1.88
R0F 1.60 1.60 1.60 1.60 1.60
EOF
# WRES 4 steps to 0.75 times its value from each organisation's joining year
# in the staggered roll-out (sample-data/programme.csv; README table).
cat > planted-wres4.txt <<'EOF'
R0A 1.15 0.8625 0.8625 0.8625 0.8625
R0B 1.12 1.12 1.12 0.84 0.84
R0C 1.05 1.05 0.7875 0.7875 0.7875
R0D 1.10 1.10 0.825 0.825 0.825
R0E 1.18 1.18 1.18 0.885 0.885
R0F 1.08 1.08 1.08 1.08 1.08
EOF
cols out/trend.csv indicator stratum_kind pooled stratum period ci_low ci_high > trend.txt
for ind in WRES2 WRES4; do
    lower=$(echo "$ind" | tr A-Z a-z)
    inside=$(awk -v ind="$ind" 'FNR == NR { for (y = 2; y <= 6; y++) p[$1, 2019 + y] = $y; next }
        $1 == ind && $2 == "organisation" && $3 == 0 {
            year = substr($5, 1, 4) + 0; v = p[$4, year]
            cells++; if ($6 <= v && v <= $7) ok++ }
        END { print ok "/" cells }' "planted-$lower.txt" trend.txt)
    check "2.$ind" "$ind planted value inside the interval in every organisation-year ($inside)" \
        test "$inside" = "30/30"
done

# ---- 3. WDES 2: each organisation pooled over the five years ------------------
for org in R0A:1.20 R0B:1.15 R0C:1.25 R0D:1.10 R0E:1.30 R0F:1.20; do
    o=${org%%:*} v=${org##*:}
    { echo "stratum,x1,n1,x2,n2"
      cols out/trend.csv indicator stratum_kind pooled stratum period x1 n1 x2 n2 |
        awk -v o="$o" '$1 == "WDES2" && $2 == "organisation" && $3 == 0 && $4 == o {
            print $5 "," $6 "," $7 "," $8 "," $9 }'; } > "wdes2-$o.csv"
    "$PARITY" pool --json "wdes2-$o.csv" > "wdes2-$o.json"
    limits=$(sed -n 's/.*"pooled":{[^}]*"ci_low":\([^,]*\),"ci_high":\([^,]*\),.*/\1 \2/p' "wdes2-$o.json")
    check "3.$o" "WDES2 $o over five years: planted $v inside ($limits)" \
        awk -v v="$v" -v l="$limits" 'BEGIN { split(l, a, " "); exit !(a[1] <= v && v <= a[2]) }'
done

# ---- 4. WRES 3 and WDES 3 over longer windows (few cases) ---------------------
do_cmd_test 4.1 0 "counted over 2021/22 to 2025/26" \
    "$PARITY" analyse --db s.db --out w5 --window-years 5 --no-trend --no-comparisons
do_cmd_test 4.2 0 "counted over 2021/22 to 2023/24" \
    "$PARITY" analyse --db s.db --out w3 --period 2023/24 --window-years 3 --no-trend \
    --no-comparisons
cols w5/results.csv indicator stratum_kind pooled stratum ratio ci_low ci_high > w5.txt
cols w3/results.csv indicator stratum_kind pooled stratum ratio ci_low ci_high > w3.txt
# R0A and R0B before their step (2021/22-2023/24); the others over all years.
for spec in w3:WRES3:R0A:1.60 w3:WRES3:R0B:1.50 w5:WRES3:R0C:1.20 w5:WRES3:R0D:1.40 \
            w5:WRES3:R0E:1.60 w5:WRES3:R0F:1.30 w5:WDES3:R0A:1.8 w5:WDES3:R0B:1.6 \
            w5:WDES3:R0C:2.0 w5:WDES3:R0D:1.5 w5:WDES3:R0E:1.7 w5:WDES3:R0F:1.9; do
    IFS=: read -r file ind o v <<< "$spec"
    got=$(awk -v i="$ind" -v o="$o" '$1 == i && $2 == "organisation" && $3 == 0 && $4 == o {
        print $6, $7 }' "$file.txt")
    check "4.$ind.$o" "$ind $o: planted $v inside ($got)" \
        awk -v v="$v" -v l="$got" 'BEGIN { split(l, a, " "); exit !(a[1] <= v && v <= a[2]) }'
done
# R0E has no disabled performance case in five years: the ratio is 0.
check 4.3 "WDES3 R0E: zero disabled cases give a ratio of 0" \
    awk '$1 == "WDES3" && $2 == "organisation" && $4 == "R0E" && $5 == 0 { f = 1 } END { exit !f }' w5.txt

# The README's verification (verify.py, Katz intervals), to two decimals.
do_cmd_test 4.4 0 "" "$PARITY" analyse --db s.db --out k5 --window-years 5 --method katz \
    --no-trend --no-comparisons
do_cmd_test 4.5 0 "" "$PARITY" analyse --db s.db --out k3 --period 2023/24 --window-years 3 \
    --method katz --no-trend --no-comparisons
cols k5/results.csv indicator stratum_kind pooled stratum ratio ci_low ci_high > k5.txt
cols k3/results.csv indicator stratum_kind pooled stratum ratio ci_low ci_high > k3.txt
# The expected figures come from running sample-data/verify.py (standard
# library Python sharing no code with the engine) on the same sample, not
# from numbers copied into this script. Its per-organisation table:
# | org | WRES3 planted | WRES3 empirical | ... | WDES3 planted | WDES3 empirical |
# with WRES3 before the step (2021/22-2023/24) for R0A and R0B and over
# five years for the others, and WDES3 over five years.
check 4.5b "verify.py runs on the sample" \
    bash -c "python3 '$S/verify.py' '$S' > verify.txt"
awk -F'|' '$3 ~ /^ [0-9.]+ $/ && NF >= 11 {
        o = $2; gsub(/ /, "", o)
        w = $4; d = $10; gsub(/[()]|\xe2\x80\x93/, " ", w); gsub(/[()]|\xe2\x80\x93/, " ", d)
        split(w, a, " "); split(d, b, " ")
        print ((o == "R0A" || o == "R0B") ? "k3" : "k5") ":WRES3:" o ":" a[1] ":" a[2] ":" a[3]
        if (b[1] != "n/a") print "k5:WDES3:" o ":" b[1] ":" b[2] ":" b[3] }' verify.txt > verify-specs.txt
check 4.5c "verify.py gave WRES3 for 6 organisations and WDES3 for 5" \
    test "$(grep -c WRES3 verify-specs.txt) $(grep -c WDES3 verify-specs.txt)" = "6 5"
while IFS=: read -r file ind o r lo hi; do
    got=$(awk -v i="$ind" -v o="$o" '$1 == i && $2 == "organisation" && $3 == 0 && $4 == o {
        printf "%.2f %.2f %.2f", $5, $6, $7 }' "$file.txt")
    check "4.6.$ind.$o" "$ind $o = verify.py's $r ($lo-$hi): got $got" test "$got" = "$r $lo $hi"
done < verify-specs.txt

# ---- 5. the mentoring cohort -----------------------------------------------------
cols out/cohorts.csv cohort_id indicator arm organisations ratio_of_ratios ci_low ci_high verdict \
    > cohorts.txt
cohort=$(awk '$1 == "RMC1" && $2 == "WRES2" && $3 == "cohort"' cohorts.txt)
comparators=$(awk '$1 == "RMC1" && $2 == "WRES2" && $3 == "comparators"' cohorts.txt)
did=$(awk '$1 == "RMC1" && $2 == "WRES2" && $3 == "difference"' cohorts.txt)
check 5.1 "cohort R0A+R0B: improved ($cohort)" \
    bash -c "[[ '$cohort' == *' improved' ]]"
check 5.2 "cohort: interval of the ratio of ratios below 1" \
    awk -v l="$cohort" 'BEGIN { split(l, a, " "); exit !(a[7] < 1) }'
# verify.py's "cohort R0A+R0B: ... ratio of ratios R (LO–HI)" and the
# comparators' line, each as "R LO HI".
rr() { sed -n "s/^$1: .*ratio of ratios \([0-9.]*\) (\([0-9.]*\)\xe2\x80\x93\([0-9.]*\)).*/\1 \2 \3/p" verify.txt; }
want_cohort=$(rr 'cohort R0A+R0B')
want_comparators=$(rr 'comparators R0C-R0F')
check 5.3 "cohort ratio of ratios = verify.py's $want_cohort" \
    awk -v l="$cohort" -v w="$want_cohort" 'BEGIN { split(l, a, " ")
        exit !(w != "" && sprintf("%.3f %.3f %.3f", a[5], a[6], a[7]) == w) }'
check 5.4 "comparators R0C-R0F listed" bash -c "[[ '$comparators' == *' R0C;R0D;R0E;R0F '* ]]"
check 5.5 "comparators: no detectable change ($comparators)" \
    bash -c "[[ '$comparators' == *' no detectable change' ]]"
check 5.6 "comparators' ratio of ratios = verify.py's $want_comparators" \
    awk -v l="$comparators" -v w="$want_comparators" 'BEGIN { split(l, a, " ")
        exit !(w != "" && sprintf("%.3f %.3f %.3f", a[5], a[6], a[7]) == w) }'
# Difference-in-differences: the cohort's 0.653 over the comparators' 0.909.
check 5.7 "difference-in-differences = cohort / comparators" \
    awk -v d="$did" -v c="$cohort" -v k="$comparators" 'BEGIN { split(d, x, " ")
        split(c, y, " "); split(k, z, " "); r = x[5] - y[5] / z[5]
        exit !(r < 1e-9 && r > -1e-9) }'
check 5.8 "statement printed" grep -q "Cohort RMC1 (R0A, R0B), WRES2: .*: improved." out.1.5
cols out/trend.csv indicator stratum period cohorts > marks.txt
check 5.9 "trend marks R0A 2023/24 as during RMC1" grep -q '^WRES2 R0A 2023/24 RMC1:during$' marks.txt
check 5.10 "trend marks R0A 2024/25 as after RMC1" grep -q '^WRES2 R0A 2024/25 RMC1:after$' marks.txt
check 5.11 "trend marks no cohort on R0C" bash -c "! grep -q '^WRES2 R0C .*RMC1' marks.txt"
check 5.12 "trend.json carries the cohort dates" grep -q '"start_date": "2023-04-01"' out/trend.json

# ---- 6. cohort file checks ---------------------------------------------------------
h=cohort_id,name,organisations,start_date,end_date,pairs
printf '%s\nC1,One,R0A,2023-04-01,2023-03-31,5\n' "$h" > backwards.csv
do_cmd_test 6.1 65 "backwards.csv:2: end_date 2023-03-31 is before start_date 2023-04-01" \
    "$PARITY" analyse --db s.db --out x --cohorts backwards.csv
printf '%s\nC1,One,R0A;R0Z,2023-04-01,2024-03-31,5\n' "$h" > unknown.csv
do_cmd_test 6.2 0 "warning: unknown.csv:2: organisation R0Z has no data" \
    "$PARITY" analyse --db s.db --out x --cohorts unknown.csv --no-trend --no-comparisons
printf '%s\nC1,One,R0A;../R0B,2023-04-01,2024-03-31,5\n' "$h" > slash.csv
do_cmd_test 6.3 65 "slash.csv:2: organisation \"../R0B\" contains a path separator" \
    "$PARITY" analyse --db s.db --out x --cohorts slash.csv
printf '%s\nC/1,One,R0A,2023-04-01,2024-03-31,5\n' "$h" > id.csv
do_cmd_test 6.4 65 "id.csv:2: cohort_id \"C/1\" contains a path separator" \
    "$PARITY" analyse --db s.db --out x --cohorts id.csv
do_cmd_test 6.5 66 "missing.csv" "$PARITY" analyse --db s.db --out x --cohorts missing.csv
printf 'cohort_id,name,organisations,start_date\nC1,One,R0A,2023-04-01\n' > short.csv
do_cmd_test 6.6 65 "missing column 'end_date'" \
    "$PARITY" analyse --db s.db --out x --cohorts short.csv

# ---- 7. history, periods, one organisation, usage -----------------------------------
runs=$(sqlite3 s.db "select count(*) || ' ' || sum(status = 'ok') from runs")
check 7.1 "every run kept in the database ($runs)" test "$runs" = "6 6"
check 7.2 "each run keeps its rows" \
    test "$(sqlite3 s.db "select count(*) from run_results where run_id = 1 and section = 'results'")" \
         = "$(($(wc -l < out/results.csv) - 1))"
do_cmd_test 7.3 0 "WRES2 2025-Q1, All organisations" \
    "$PARITY" analyse --db s.db --out q --period 2025-Q1 --no-trend
do_cmd_test 7.4 0 "WRES2 2024, All organisations" \
    "$PARITY" analyse --db s.db --out c --period 2024 --no-trend
do_cmd_test 7.5 0 "WRES2 R12-2025-09, All organisations" \
    "$PARITY" analyse --db s.db --out r --period R12-2025-09 --no-trend
do_cmd_test 7.6 0 "WRES2 2025/26, R0C:" "$PARITY" analyse --db s.db --out one --org R0C
check 7.7 "one organisation: no organisation rows" \
    test "$(cols one/results.csv stratum_kind | grep -c '^organisation$')" = 0
do_cmd_test 7.8 64 "--window-years '0'" "$PARITY" analyse --db s.db --out x --window-years 0
do_cmd_test 7.9 64 "--reference 'age_band'" "$PARITY" analyse --db s.db --out x --reference age_band
do_cmd_test 7.10 64 "reference \"shoe\"" "$PARITY" analyse --db s.db --out x --reference shoe=9
do_cmd_test 7.11 64 "not an Agenda for Change band" \
    "$PARITY" analyse --db s.db --out x --kline-from 12
do_cmd_test 7.12 65 "no data for 2015/16" "$PARITY" analyse --db s.db --out x --period 2015/16
do_cmd_test 7.13 0 "" "$PARITY" analyse --db s.db --out ref --reference age_band=35-44 --no-trend
check 7.14 "age bands compared against 35-44" \
    bash -c "grep -q '^appointment,age_band,35-44,16-24,overall' ref/results.csv"
finish
