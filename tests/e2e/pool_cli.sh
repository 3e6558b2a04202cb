#!/usr/bin/env bash
# pool_cli.sh: end-to-end tests of `parity pool`: the Doll & Hill two-strata
# reference from DOMAIN.md as text and JSON, a zero-count stratum in the
# homogeneity test, CRLF and BOM files, and bad files (65 with FILE:LINE,
# 66 when missing, 64 for bad arguments).
# Usage: pool_cli.sh PARITY_BINARY SOURCE_DIR SCRATCH_DIR
set -euo pipefail

parity=$1
data=$2/tests/data/stats
scratch=$3
mkdir -p "$scratch"
out=$scratch/out
err=$scratch/err

fail() {
	echo "pool_cli.sh: case $case: $*" >&2
	echo "--- stdout:" >&2; cat "$out" >&2 || true
	echo "--- stderr:" >&2; cat "$err" >&2 || true
	exit 1
}

run() {
	status=0
	"$parity" pool "$@" >"$out" 2>"$err" || status=$?
}

expect_status() { [ "$status" -eq "$1" ] || fail "exit status $status, expected $1"; }
expect_out() { grep -qF -- "$1" "$out" || fail "stdout lacks: $1"; }
expect_err() { grep -qF -- "$1" "$err" || fail "stderr lacks: $1"; }

# The last value of KEY in the JSON: the pooled object comes last.
json_field() { sed -n "s/.*\"$1\":\([^,}]*\).*/\1/p" "$out"; }
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

case=1.1 # DOMAIN.md: Doll & Hill 2.475119104 (1.583086662 - 3.869791038)
run "$data/doll_hill.csv"
expect_status 0
expect_out "Smokers"
expect_out "Non-smokers"
expect_out "Mantel-Haenszel pooled ratio: 2.475119104 (95% CI 1.583086662 to 3.869791038, Greenland-Robins)"
expect_out "Homogeneity (Woolf-type): Q = 7.067 on 1 df"

case=1.2 # as JSON; Q by hand = 7.066884366835762 (tests/engine/test_stats_pool.c)
run "$data/doll_hill.csv" --json
expect_status 0
[ "$(wc -l <"$out")" -eq 1 ] || fail "JSON is not one line"
[ "$(grep -o '"stratum":' "$out" | wc -l)" -eq 2 ] || fail "expected 2 strata"
expect_near ratio 2.475119104 5e-9
expect_near ci_low 1.583086662 5e-9
expect_near ci_high 3.869791038 5e-9
expect_near q 7.066884366835762 1e-12
expect_json df 1
expect_json homogeneity_estimable true

case=1.3 # a stratum with x1 = 0 enters Q with x+0.5; one with no cases is left
         # out (hand calculation: Q = 3.634988687748987 on 2 df)
run "$data/zero_strata.csv" --json --method katz
expect_status 0
expect_near ratio 1.727407407407407 1e-12
expect_near q 3.634988687748987 1e-12
expect_json df 2
expect_json strata_adjusted_in_q 1
grep -q '"stratum":"Trust C, North"' "$out" || fail "quoted stratum label lost"

case=1.4 # CRLF line ends and a UTF-8 byte-order mark are accepted
printf '\xef\xbb\xbfstratum,x1,n1,x2,n2\r\nSmokers,647,1269,2,29\r\nNon-smokers,41,69,19,51\r\n' \
	>"$scratch/crlf.csv"
run "$scratch/crlf.csv" --json
expect_status 0
expect_near ci_high 3.869791038 5e-9

case=1.4 # random effects on the BCG trials (metafor's dat.bcg): published
         # DerSimonian-Laird tau2 0.3088; the interval, prediction interval and
         # shrunken ratio from tests/engine/ref_random.py
run "$data/bcg.csv" --json
expect_status 0
expect_near tau2 0.30876026286237646 1e-9
expect_near re_ratio 0.489624150463619 1e-9
expect_near re_low 0.3302777360257452 1e-9
expect_near re_high 0.7258491341315646 1e-9
expect_near pi_low 0.13549256706821694 1e-9
expect_near pi_high 1.7693354986515386 1e-9
expect_json strata_used 13
grep -q '"stratum":"T1",[^}]*"shrunk_ratio":0.44960270085' "$out" || fail "T1 shrunk ratio"
run "$data/bcg.csv"
expect_status 0
expect_out "tau2 = 0.3088 over 13 strata"
expect_out "Prediction interval for a new stratum: 0.1354925671 to 1.769335499"

# ---- 2. bad files and arguments ---------------------------------------------

bad() {
	case=$1
	local want=$2 message=$3
	shift 3
	run "$@"
	expect_status "$want"
	expect_err "$message"
	[ ! -s "$out" ] || fail "stdout not empty on error"
}

bad 2.1 65 "bad_count.csv:3: column 'x1': '2.5' is not a non-negative whole number" \
	"$data/bad_count.csv"
bad 2.2 65 "bad_header.csv:1: the header must be 'stratum,x1,n1,x2,n2'" \
	"$data/bad_header.csv"
bad 2.3 65 "x_over_n.csv:3: column 'x1': 12 is larger than n1 (10)" \
	"$data/x_over_n.csv"
bad 2.4 65 "short_row.csv:2: expected 5 columns" "$data/short_row.csv"
bad 2.5 65 "header_only.csv: no strata below the header" "$data/header_only.csv"
bad 2.6 66 "cannot open '$scratch/absent.csv'" "$scratch/absent.csv"
bad 2.7 64 "give the strata file" --json
bad 2.8 64 "--level 'x' must be a fraction" "$data/doll_hill.csv" --level x
printf 'stratum,x1,n1,x2,n2\nA,1,2,"3,4\n' >"$scratch/open_quote.csv"
bad 2.9 65 "open_quote.csv:2: a quoted field is never closed" "$scratch/open_quote.csv"

case=2.10 # --help
run --help
expect_status 0
expect_out "Usage: parity pool FILE"

echo "pool_cli.sh: all cases passed"
