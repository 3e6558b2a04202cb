#!/usr/bin/env bash
# sample_gen.sh: the sample-data generator is deterministic, the committed
# sample is exactly what the documented command regenerates, and the headers
# are the canonical ones that ingest relies on.
# usage: sample_gen.sh PARITY_BINARY SOURCE_DIR SCRATCH_DIR
set -euo pipefail

gen="$(dirname "$1")/parity-sample-gen"
src="$2"
scratch="$3"
files="recruitment.csv workforce.csv disciplinary.csv training.csv cohorts.csv board.csv survey.csv programme.csv"

fail() { echo "sample_gen: FAIL: $*" >&2; exit 1; }

[ -x "$gen" ] || fail "generator not found at $gen (build target parity-sample-gen)"
rm -rf "$scratch"
mkdir -p "$scratch/a" "$scratch/b" "$scratch/c" "$scratch/seed1"

# 1. Same seed, same bytes: two default runs, and an explicit --seed 1.
"$gen" --out "$scratch/a"
"$gen" --out "$scratch/b"
"$gen" --seed 1 --scale 1 --out "$scratch/seed1"
for f in $files; do
	cmp -s "$scratch/a/$f" "$scratch/b/$f" || fail "1.$f: two default runs differ"
	cmp -s "$scratch/a/$f" "$scratch/seed1/$f" || fail "1.$f: --seed 1 differs from the default"
done

# 2. A different seed gives different data (cohorts.csv is fixed by design).
"$gen" --seed 2 --out "$scratch/c"
for f in recruitment.csv workforce.csv disciplinary.csv training.csv; do
	if cmp -s "$scratch/a/$f" "$scratch/c/$f"; then
		fail "2.$f: --seed 2 gives the same bytes as seed 1"
	fi
done

# 3. The committed sample is what `parity-sample-gen --out sample-data`
#    (the command in sample-data/README.md) writes: it cannot drift.
for f in $files; do
	[ -f "$src/sample-data/$f" ] || fail "3.$f: missing from sample-data/"
	cmp -s "$scratch/a/$f" "$src/sample-data/$f" ||
		fail "3.$f: sample-data/$f differs from the generator's output; regenerate it with: parity-sample-gen --out sample-data"
done

# 4. Header lines exactly as specified (also rules out CR line ends and a BOM).
expect_header() {
	local file="$1" want="$2" got
	got="$(head -n 1 "$file")"
	[ "$got" = "$want" ] || fail "4.$(basename "$file"): header is '$got', want '$want'"
}
check_headers() {
	local d="$1"
	expect_header "$d/recruitment.csv" "application_id,organisation,date,ethnic_category,sex,disability,age_band,pay_band,staff_group,shortlisted,appointed"
	expect_header "$d/workforce.csv" "staff_id,organisation,snapshot_date,ethnic_category,sex,disability,age_band,pay_band,staff_group,contract,grade"
	expect_header "$d/disciplinary.csv" "case_id,staff_id,organisation,date_entered,process,grounds,ethnic_category,sex,disability,age_band,pay_band,staff_group"
	expect_header "$d/training.csv" "staff_id,organisation,date,ethnic_category,sex,disability,age_band,pay_band,staff_group"
	expect_header "$d/cohorts.csv" "cohort_id,name,organisations,start_date,end_date,pairs"
	expect_header "$d/board.csv" "member_id,organisation,date,ethnic_category,sex,disability,voting,executive"
	expect_header "$d/survey.csv" "organisation,survey_year,question,group,respondents,positive,mean,sd"
}
check_headers "$scratch/a"
check_headers "$src/sample-data"
if grep -q $'\r' "$scratch"/a/*.csv; then fail "4: a CR in the output"; fi

# 5. Row rules: appointed only if shortlisted; application ids unique.
awk -F, 'NR > 1 && $11 == "Y" && $10 != "Y" { print "line " NR; bad = 1 } END { exit bad }' \
	"$scratch/a/recruitment.csv" || fail "5: appointed without being shortlisted"
dups="$(cut -d, -f1 "$scratch/a/recruitment.csv" | sort | uniq -d | head -n 3)"
[ -z "$dups" ] || fail "5: duplicate application_id: $dups"

# 6. Benchmark mode: N rows plus the header, deterministic, distinct cells.
"$gen" --kind recruitment --rows 1000 --distinct --seed 5 --out "$scratch/bench1.csv"
"$gen" --kind recruitment --rows 1000 --distinct --seed 5 --out "$scratch/bench2.csv"
cmp -s "$scratch/bench1.csv" "$scratch/bench2.csv" || fail "6.1: benchmark output not deterministic"
[ "$(wc -l < "$scratch/bench1.csv")" -eq 1001 ] || fail "6.2: want 1000 rows and a header"
expect_header "$scratch/bench1.csv" "application_id,organisation,date,ethnic_category,sex,disability,age_band,pay_band,staff_group,shortlisted,appointed"
cells="$(tail -n +2 "$scratch/bench1.csv" | awk -F, '{ $1 = ""; $3 = substr($3, 1, 7); print }' | sort -u | wc -l)"
[ "$cells" -ge 995 ] || fail "6.3: --distinct gave only $cells distinct cells in 1000 rows"

# 7. Errors: bad option 64, unwritable output 73, no temporary files left.
set +e
"$gen" --sede 3 2> "$scratch/err"; rc=$?
set -e
[ "$rc" -eq 64 ] || fail "7.1: bad option exited $rc, want 64"
grep -q -- "--sede" "$scratch/err" || fail "7.1: message does not name the option"
set +e
"$gen" --out "$scratch/no/such/dir" 2> "$scratch/err"; rc=$?
set -e
[ "$rc" -eq 73 ] || fail "7.2: missing output folder exited $rc, want 73"
grep -q "no/such/dir" "$scratch/err" || fail "7.2: message does not name the path"
if ls "$scratch"/a/*.tmp > /dev/null 2>&1; then fail "7.3: temporary files left behind"; fi

echo "sample_gen: all checks passed"
