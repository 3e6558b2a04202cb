#!/usr/bin/env bash
# analyse_check.sh: `parity check` on prepared submissions. The clean file's
# ratios were worked by hand from its counts (DOMAIN.md reference cases:
# 10/75 vs 12/225 = 2.50, 27/122 vs 44/487 = 2.45, 27/39 vs 7/21 = 2.08,
# 7/34 vs 1/34 = 7; 121/417 vs 169/587 = 1.0079). The other file plants
# three errors: a ratio printed as a percentage (line 3), a ratio built
# from rounded percentages (line 4: DOMAIN.md's 17 of 1,400 vs 9 of 1,300,
# 1.2% / 0.7% = 1.71 published as 1.7 where the counts give 1.75 -> 1.8),
# and more appointed than shortlisted (line 5).
source "$(dirname "$0")/lib.sh"
D=$SRC/tests/data/analyse

do_cmd_test 1.1 0 "clean: 5 lines, every ratio agrees" "$PARITY" check "$D/submission-clean.csv"

do_cmd_test 2.1 65 "3 problems in 5 lines" "$PARITY" check "$D/submission-errors.csv"
check 2.2 "line 3: percentage where a ratio belongs" \
    grep -q 'submission-errors.csv:3: WRES2 R0B 2025/26: published "1.07%".*\[percentage_for_ratio\]' out.2.1
check 2.3 "line 4: ratio of rounded percentages" \
    grep -q 'submission-errors.csv:4: WRES3 R0C 2025/26: .*rounded percentages 1.2% / 0.7%.*\[rounded_percentages\]' out.2.1
check 2.4 "line 5: appointed greater than shortlisted" \
    grep -q 'submission-errors.csv:5: WDES2 R0D 2025/26: .*appointed 250 is greater than shortlisted 240' out.2.1
check 2.5 "the clean lines are not listed" bash -c "! grep -q 'csv:[26]:' out.2.1"

# Other impossible figures, one per line.
cat > more.csv <<'EOF'
indicator,organisation,period,group1_numerator,group1_denominator,group2_numerator,group2_denominator,published_ratio
WRES2,A,2025/26,121,417,169,587,101
WRES2,B,2025/26,-3,417,169,587,1.01
WRES2,C,2025/26,121,417,169,587,1.10
WRES2,D,2025/26,27,39,7,21,0.48
WRES9,E,2025/26,27,39,7,21,2.08
WRES2,A,2025/26,121,417,169,587,1.01
WRES2,F,last year,121,417,169,587,1.01
WRES2,G,2025/26,12,40,0,30,3.5
EOF
do_cmd_test 3.1 65 "8 problems in 8 lines" "$PARITY" check more.csv
check 3.2 "101 for 1.01: a percentage" grep -q 'more.csv:2: .*published 101 looks like the ratio 1.01 written as a percentage' out.3.1
check 3.3 "negative count" grep -q 'more.csv:3: .*negative' out.3.1
check 3.4 "plain mismatch" grep -q 'more.csv:4: .*published 1.10 but the counts give 1.01 .*\[mismatch\]' out.3.1
check 3.5 "groups swapped" grep -q 'more.csv:5: .*wrong way round.*\[inverted_ratio\]' out.3.1
check 3.6 "unknown indicator" grep -q 'more.csv:6: .*\[unknown_indicator\]' out.3.1
check 3.7 "duplicate line" grep -q 'more.csv:7: .*as line 2 \[duplicate\]' out.3.1
check 3.8 "bad period" grep -q 'more.csv:8: .*\[bad_period\]' out.3.1
check 3.9 "no finite ratio" grep -q 'more.csv:9: .*infinite.*\[no_ratio_exists\]' out.3.1

do_cmd_test 4.1 66 "missing.csv" "$PARITY" check missing.csv
do_cmd_test 4.2 64 "give the submission FILE" "$PARITY" check
printf 'indicator,organisation\nWRES2,A\n' > header.csv
do_cmd_test 4.3 65 "missing column 'period'" "$PARITY" check header.csv
do_cmd_test 4.4 0 "Usage: parity check FILE" "$PARITY" check --help
finish
