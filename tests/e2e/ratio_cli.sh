#!/usr/bin/env bash
# ratio_cli.sh: end-to-end tests of `parity ratio`: text and JSON output
# against DOMAIN.md's reference values, zero cells, the low-count sentence,
# and invalid arguments (exit 64 with a message naming the argument).
# Usage: ratio_cli.sh PARITY_BINARY SOURCE_DIR SCRATCH_DIR
set -euo pipefail

parity=$1
scratch=$3
mkdir -p "$scratch"
out=$scratch/out
err=$scratch/err

fail() {
	echo "ratio_cli.sh: case $case: $*" >&2
	echo "--- stdout:" >&2; cat "$out" >&2 || true
	echo "--- stderr:" >&2; cat "$err" >&2 || true
	exit 1
}

# run ARGS...: run `parity ratio ARGS`, keep the status in $status.
run() {
	status=0
	"$parity" ratio "$@" >"$out" 2>"$err" || status=$?
}

expect_status() { [ "$status" -eq "$1" ] || fail "exit status $status, expected $1"; }
expect_out() { grep -qF -- "$1" "$out" || fail "stdout lacks: $1"; }
expect_err() { grep -qF -- "$1" "$err" || fail "stderr lacks: $1"; }

# json_field KEY: the raw value of KEY in the one-line JSON on stdout (the
# last occurrence).
json_field() { sed -n "s/.*\"$1\":\([^,}]*\).*/\1/p" "$out"; }

# expect_near KEY VALUE TOL: |json KEY - VALUE| <= TOL * |VALUE|.
expect_near() {
	local got
	got=$(json_field "$1")
	awk -v a="$got" -v e="$2" -v t="$3" 'BEGIN {
		d = a - e; if (d < 0) d = -d; s = e < 0 ? -e : e
		exit !(a != "" && d <= t * s) }' || fail "$1 = '$got', expected $2 (rel $3)"
}
expect_json() {
	local got
	got=$(json_field "$1")
	[ "$got" = "$2" ] || fail "$1 = '$got', expected $2"
}

# ---- 1. results -------------------------------------------------------------

case=1.1 # DOMAIN.md: 27/39 vs 7/21 Katz 2.076923077 (1.095119684 - 3.938938849)
run 27 39 7 21 --method katz
expect_status 0
expect_out "Ratio:          2.076923077"
expect_out "95% CI:         1.095119684 to 3.938938849 (Katz log)"
expect_out "Band:           above the 0.80-1.25 band"
expect_out "Group 1 was 2.08 times as likely as group 2 to reach the outcome (95% CI 1.10 to 3.94)."

case=1.2 # the same as JSON; p-values from R epitools (DOMAIN.md)
run 27 39 7 21 --method katz --json
expect_status 0
[ "$(wc -l <"$out")" -eq 1 ] || fail "JSON is not one line"
expect_json x1 27
expect_json n1 39
expect_json x2 7
expect_json n2 21
expect_json method '"katz"'
expect_near level 0.95 1e-12
expect_near ratio 2.076923077 5e-9
expect_near ci_low 1.095119684 5e-9
expect_near ci_high 3.938938849 5e-9
expect_near p_fisher 0.01318013 4e-7
expect_near p_midp 0.009518722 6e-8
expect_near p_chisq 0.00744125 7e-7
# Katz's p_score is the Wald test its interval inverts, by hand:
# ln(2.076923)^2 / (1/27 - 1/39 + 1/7 - 1/21) = 5.009622, p = erfc(sqrt(5.009622/2)) = 0.025207
expect_near p_score 0.025207 1e-5
expect_json band '"above"'
# 7 in group 2 is under the per-group low-count threshold of 10
expect_json low_count true
expect_json excludes_one true
expect_json estimable true

case=1.3 # DOMAIN.md: 3/4 vs 0/2 Koopman: infinity (0.8257 - infinity)
run 3 4 0 2 --json
expect_status 0
expect_json method '"koopman"'
expect_json ratio '"inf"'
expect_json ci_high '"inf"'
expect_near ci_low 0.8257 1.2e-4

case=1.4 # DOMAIN.md: 7/34 vs 1/34 Miettinen-Nurminen 1.208567975 - 43.03297224
run 7 34 1 34 --method mn --json
expect_status 0
expect_near ci_low 1.208567975 5e-9
expect_near ci_high 43.03297224 5e-9

case=1.5 # both zero: no estimate, null, never NaN
run 0 10 0 12 --json
expect_status 0
expect_json estimable false
expect_json ratio null
expect_json ci_low null
expect_json band '"none"'
grep -qi nan "$out" && fail "NaN in output"

case=1.6 # a low-count result's sentence says too few cases
run 4 30 2 40
expect_status 0
expect_out "Low count:      yes"
expect_out "There are too few cases to draw a conclusion"

case=1.7 # --level and --low-count are honoured
run 27 39 7 21 --level 0.9 --low-count 40
expect_status 0
expect_out "90% CI:"
expect_out "too few cases"

case=1.8 # huge counts: defined output, p-values in range
run 500000000 1000000000 250000000 1000000000 --json
expect_status 0
expect_near ratio 2 1e-12
expect_json p_fisher 0

case=1.9 # --help goes to stdout and succeeds; options may come first
run --help
expect_status 0
expect_out "Usage: parity ratio X1 N1 X2 N2"
run --method adjusted-log --json 7 34 1 34
expect_status 0
expect_near ratio 5 1e-12
expect_near ci_low 0.924135375 5e-9

case=1.8 # issue 18: 2 of 10 BME vs 117 of 389 White rests on two people: flagged
run 117 389 2 10 --json
expect_status 0
expect_json low_count true
run 117 389 2 10 --json --low-count 2
expect_json low_count false

case=1.9 # issue 18: 7/34 vs 1/34 Koopman 1.22-42.6 excludes 1; its score p is
# Pearson's X^2 = 68*(7*33-27*1)^2/(34*34*8*60) = 5.1, p = erfc(sqrt(2.55)) = 0.0239258
run 7 34 1 34 --json
expect_json excludes_one true
expect_near p_score 0.0239258435 1e-8
# minimum detectable ratios, from an independent Python calculation of the
# definition in docs/methods.md (NormalDist, walk and bisection): 0.0447234484, 22.3596354
expect_near mdr_low 0.0447234484 1e-6
expect_near mdr_high 22.3596354 1e-6

# ---- 2. invalid arguments: exit 64, message names the argument ---------------

bad() {
	case=$1
	local message=$2
	shift 2
	run "$@"
	expect_status 64
	expect_err "$message"
	[ ! -s "$out" ] || fail "stdout not empty on error"
}

bad 2.1 "X1 (12) is larger than N1 (10)" 12 10 1 5
bad 2.2 "X2 (12) is larger than N2 (10)" 1 5 12 10
bad 2.3 "X1 ('-3') must be a non-negative whole number" -3 10 1 5
bad 2.4 "N2 ('-5') must be a non-negative whole number" 3 10 1 -5
bad 2.5 "X1 ('2.5') must be a non-negative whole number" 2.5 10 1 5
bad 2.6 "N1 ('abc') must be a non-negative whole number" 1 abc 1 5
bad 2.7 "expected four counts X1 N1 X2 N2, got 3" 1 2 3
bad 2.8 "expected four counts X1 N1 X2 N2, got 5" 1 2 3 4 5
bad 2.9 "expected four counts X1 N1 X2 N2, got 0"
bad 2.10 "--level '1.5' must be a fraction between 0 and 1" 1 2 3 4 --level 1.5
bad 2.11 "--level '0' must be a fraction between 0 and 1" 1 2 3 4 --level 0
bad 2.12 "--level '-0.5' must be a fraction" 1 2 3 4 --level -0.5
bad 2.13 "unknown interval method 'wald'" 1 2 3 4 --method wald
bad 2.14 "unknown option '--metod'; did you mean '--method'?" 1 2 3 4 --metod katz
bad 2.15 "N1 (2000000000000) is larger than 10^12" 1 2000000000000 1 4

echo "ratio_cli.sh: all cases passed"
