#!/usr/bin/env bash
# run.sh: parity's ingest benchmark (not part of ctest or .ci/run: it takes
# minutes and wants a quiet machine).
#
#   tests/bench/run.sh [BUILD_DIR [WORK_DIR]]     (defaults: build, /tmp/parity-bench)
#
# Generates recruitment extracts with the project's generator, then times,
# interleaved run by run (A B A B ...) so that both sides of each comparison
# see the same machine, with /usr/bin/time -v (wall time, peak RSS):
#   1. realistic: 2,000,000 rows, at most 100,000 distinct cells:
#      parity ingest  vs  tests/bench/csvparse (libcsv alone parsing the file);
#   2. worst case: 2,000,000 rows, nearly all distinct cells (--distinct):
#      parity ingest  vs  DuckDB (node, @duckdb/node-api, 2 threads) loading
#      the file into a table of its own database file;
#   3. memory: 10,000,000 rows, nearly all distinct: parity ingest's peak RSS.
# It prints the median of each measure and the ratios of the medians.
#
# Environment: RUNS (runs per command, default 5), RUNS_BIG (default 3),
# ROWS (default 2000000), ROWS_BIG (default 10000000), SKIP_DUCKDB=1,
# SKIP_BIG=1. Needs: cc, libcsv, awk, /usr/bin/time (Debian package "time"), and
# for DuckDB node and npm (the package is installed into WORK_DIR, not the
# repository).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=$(cd "${1:-build}" && pwd)
WORK=${2:-/tmp/parity-bench}
RUNS=${RUNS:-5}
RUNS_BIG=${RUNS_BIG:-3}
ROWS=${ROWS:-2000000}
ROWS_BIG=${ROWS_BIG:-10000000}
PARITY=$BUILD/parity
GEN=$BUILD/parity-sample-gen
mkdir -p "$WORK/times"
rm -f "$WORK"/times/*

if [ ! -x /usr/bin/time ]; then
    if [ "$(id -u)" -eq 0 ]; then
        apt-get update -qq && apt-get install -y -qq --no-install-recommends time >/dev/null
    else
        echo "run.sh: /usr/bin/time is missing: apt-get install time" >&2
        exit 1
    fi
fi
[ -x "$PARITY" ] && [ -x "$GEN" ] || { echo "run.sh: build $BUILD first" >&2; exit 1; }
cc -O2 -o "$WORK/csvparse" "$HERE/csvparse.c" -lcsv
if [ -z "${SKIP_DUCKDB:-}" ]; then
    mkdir -p "$WORK/duckdb"
    cp "$HERE/package.json" "$HERE/duckdb_load.mjs" "$WORK/duckdb/"
    (cd "$WORK/duckdb" && npm install --silent --no-audit --no-fund >/dev/null)
fi

echo "== inputs"
[ -s "$WORK/realistic.csv" ] || "$GEN" --kind recruitment --rows "$ROWS" --out "$WORK/realistic.csv"
[ -s "$WORK/distinct.csv" ] || "$GEN" --kind recruitment --rows "$ROWS" --distinct --out "$WORK/distinct.csv"
if [ -z "${SKIP_BIG:-}" ]; then
    [ -s "$WORK/distinct-big.csv" ] ||
        "$GEN" --kind recruitment --rows "$ROWS_BIG" --distinct --out "$WORK/distinct-big.csv"
fi
ls -l "$WORK"/*.csv

# measure LABEL COMMAND...: one timed run; appends "wall_s peak_kib cpu_s"
# (cpu: user + system time of all threads).
measure() {
    local label=$1
    shift
    /usr/bin/time -v -o "$WORK/times/$label.last" "$@" >"$WORK/times/$label.out" 2>&1 || {
        echo "run.sh: $label failed:" >&2
        cat "$WORK/times/$label.out" >&2
        exit 1
    }
    awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0;
                    for (i = 1; i <= n; i++) s = s * 60 + t[i]; wall = s }
                /Maximum resident set size/ { rss = $2 }
                /User time|System time/ { cpu += $2 }
                END { printf "%.3f %d %.3f\n", wall, rss, cpu }' \
        "$WORK/times/$label.last" >>"$WORK/times/$label"
}

ingest() { # ingest LABEL FILE: into a fresh database
    rm -f "$WORK/$1.db" "$WORK/$1.db-journal"
    measure "$1" "$PARITY" ingest -q --db "$WORK/$1.db" --kind recruitment "$2"
}

echo "== runs (interleaved)"
for i in $(seq "$RUNS"); do
    ingest realistic "$WORK/realistic.csv"
    measure csvparse "$WORK/csvparse" "$WORK/realistic.csv"
    ingest distinct "$WORK/distinct.csv"
    if [ -z "${SKIP_DUCKDB:-}" ]; then
        measure duckdb node "$WORK/duckdb/duckdb_load.mjs" "$WORK/distinct.csv" \
            "$WORK/distinct.duckdb"
    fi
    echo "  run $i done"
done
if [ -z "${SKIP_BIG:-}" ]; then
    for i in $(seq "$RUNS_BIG"); do
        ingest big "$WORK/distinct-big.csv"
        echo "  big run $i done"
    done
fi

median() { # median COLUMN FILE
    cut -d' ' -f"$1" "$2" | sort -g | awk '{ v[NR] = $1 } END {
        if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

echo
echo "== results: median of runs (machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'))"
printf '%-12s %5s %10s %10s %15s\n' command runs "wall (s)" "CPU (s)" "peak RSS (MiB)"
for label in realistic csvparse distinct duckdb big; do
    [ -s "$WORK/times/$label" ] || continue
    awk -v l="$label" -v n="$(wc -l <"$WORK/times/$label")" -v w="$(median 1 "$WORK/times/$label")" \
        -v c="$(median 3 "$WORK/times/$label")" -v r="$(median 2 "$WORK/times/$label")" \
        'BEGIN { printf "%-12s %5d %10.2f %10.2f %15.1f\n", l, n, w, c, r / 1024 }'
done
echo "load average now: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine skews wall times)"
echo
# ratio A B: of the medians, and the median of the run-by-run ratios (run i
# of A against run i of B, taken one after the other).
ratio() {
    local m
    m=$(paste -d' ' <(cut -d' ' -f1 "$WORK/times/$1") <(cut -d' ' -f1 "$WORK/times/$2") |
        awk '{ print $1 / $2 }' | sort -g | awk '{ v[NR] = $1 } END {
            if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
    awk -v a="$(median 1 "$WORK/times/$1")" -v b="$(median 1 "$WORK/times/$2")" -v m="$m" \
        'BEGIN { printf "%.2f (run by run: %.2f)", a / b, m }'
}
echo "realistic: parity ingest / libcsv parse = $(ratio realistic csvparse) (target <= 1.5)"
if [ -s "$WORK/times/duckdb" ]; then
    echo "worst case: DuckDB load / parity ingest = $(ratio duckdb distinct) (target >= 3)"
fi
if [ -s "$WORK/times/big" ]; then
    awk -v r="$(median 2 "$WORK/times/big")" 'BEGIN { printf "10M distinct rows: peak RSS %.1f MiB (target < 64)\n", r / 1024 }'
fi
echo "raw figures (wall s, peak KiB, CPU s; one line per run): $WORK/times/"
