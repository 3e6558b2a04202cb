#!/usr/bin/env bash
# run_fuzz.sh: run one libFuzzer target for a while from the seed corpus.
#   run_fuzz.sh BINARY NAME SOURCE_DIR WORK_DIR SECONDS
# Seeds come from tests/data (and the target's own corpus in WORK_DIR, kept
# between runs); a crash, leak or sanitizer report fails the test, and the
# reproducer is left in WORK_DIR.
set -euo pipefail
binary=$(realpath "$1") name=$2 src=$(realpath "$3") work=$4 seconds=$5
mkdir -p "$work/corpus" "$work/seeds"
case $name in
    ingest)  cp "$src"/tests/data/ingest/*.csv "$src"/tests/data/hostile/*.csv \
                "$src"/tests/data/counts/*.csv "$src"/tests/data/return/*.csv \
                "$work/seeds/" 2>/dev/null || true
             head -c 20000 "$src/sample-data/recruitment.csv" > "$work/seeds/sample-head.csv" ;;
    mapping) cp "$src"/tests/data/ingest/*.ini "$src"/tests/data/hostile/map_*.ini \
                "$src"/tests/data/suggest/*.ini "$work/seeds/" 2>/dev/null || true ;;
    config)  cp "$src"/tests/data/hostile/config_*.ini "$work/seeds/" ;;
    check)   cp "$src"/tests/data/analyse/*.csv "$src"/tests/data/hostile/submission_*.csv \
                "$src"/tests/data/return/return_ratios.csv "$work/seeds/" ;;
    cohorts) cp "$src"/sample-data/cohorts.csv "$src"/tests/data/hostile/cohort_*.csv \
                "$work/seeds/" ;;
    packs)   printf '[]' > "$work/seeds/empty"
             printf '[[3,2,1,"R0A","A","F","N","25-34","5","Nursing"]]' > "$work/seeds/one"
             printf '[[1,0,0,"q\\"b\\\\s\\u0007\\ud83d\\ude00","","","","","","","","","","","x"],[-1,20,9223372036854775807]]' \
                 > "$work/seeds/escapes"
             printf '{"v":[["R0A","q\\"b"],["A",""]],"c":[[3,2,1,0,1],[1,0,0,1,0]]}' \
                 > "$work/seeds/dictionaries" ;;
esac
[ -n "$(ls -A "$work/seeds")" ] || { echo "FAIL: no seed for $name"; exit 1; }
cd "$work"
"$binary" -max_total_time="$seconds" -max_len=65536 -timeout=20 -rss_limit_mb=2048 \
    -print_final_stats=1 corpus seeds > fuzz.log 2>&1 || { tail -40 fuzz.log; exit 1; }
tail -25 fuzz.log
# A run that executed nothing (a target that returns at once, a corpus it
# never read) must not pass.
units=$(sed -n 's/^stat::number_of_executed_units: *//p' fuzz.log)
[ "${units:-0}" -gt 0 ] || { echo "FAIL: $name executed no input"; exit 1; }
