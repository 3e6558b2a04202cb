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

source "$HERE/lib.sh"
need_time
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

echo
echo "== results: median of runs ($(machine))"
table realistic csvparse distinct duckdb big
echo "load average now: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine skews wall times)"
echo
echo "realistic: parity ingest / libcsv parse = $(ratio realistic csvparse) (target <= 1.5)"
if [ -s "$WORK/times/duckdb" ]; then
    echo "worst case: DuckDB load / parity ingest = $(ratio duckdb distinct) (target >= 3)"
fi
if [ -s "$WORK/times/big" ]; then
    awk -v r="$(median 2 "$WORK/times/big")" 'BEGIN { printf "10M distinct rows: peak RSS %.1f MiB (target < 64)\n", r / 1024 }'
fi
echo "raw figures (wall s, peak KiB, CPU s; one line per run): $WORK/times/"
