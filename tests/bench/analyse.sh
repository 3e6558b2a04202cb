#!/usr/bin/env bash
# analyse.sh: parity's analysis benchmark (not part of ctest or .ci/run: it
# takes minutes and wants a quiet machine).
#
#   tests/bench/analyse.sh [BUILD_DIR [WORK_DIR]]   (defaults: build, /tmp/parity-bench)
#
# With the project's generator it makes, then measures:
#   1. against DuckDB: recruitment stores of 2,000,000 and 10,000,000
#      nearly-distinct cells (80 organisations, the 24 months of 2024/25
#      and 2025/26), each ingested by parity and loaded by DuckDB (node,
#      @duckdb/node-api, 2 threads) into its own database. First the counts
#      of every result and trend row of `parity analyse --period 2025/26`
#      are checked row by row against DuckDB's GROUPING SETS query
#      (duckdb_analyse.mjs, check_counts.py); then parity analyse and the
#      DuckDB query are timed, interleaved run by run (A B A B ...), wall
#      time and peak RSS from /usr/bin/time -v;
#   2. national scale: 300,000 recruitment rows over 100,000 organisations:
#      `parity analyse` then `parity report` (each on a fresh copy);
#   3. the steady-state monthly run: the sample at ten times its size (a
#      large trust ten times over: --scale 10, 60 months), all but March
#      2026 delivered and run once by the parity measured (so that what a
#      run keeps for the next, the gate's memo, is its own); then each
#      timed run starts from that state with March 2026's four files in
#      the inbox (`parity run`);
#   4. a national return: MANY_ORGS organisations (default 2,000) of 100
#      staff and 10 board members each (many_orgs.py), `parity report
#      --period 2025/26`, whose one disclosure gate covers the report and
#      every organisation's return (RUNS_MANY runs, default 1).
# It prints the medians and the ratios of the medians against the targets.
#
# Environment: RUNS (pairs per comparison, default 5), RUNS_BIG (default 3),
# SKIP_BIG=1 (no 10M store), SKIP_DUCKDB=1, SKIP_MANY=1, MANY_ORGS,
# RUNS_MANY. Needs: awk, python3,
# /usr/bin/time (Debian package "time"), and for DuckDB node and npm (the
# package is installed into WORK_DIR, not the repository).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=$(cd "${1:-build}" && pwd)
WORK=${2:-/tmp/parity-bench}
RUNS=${RUNS:-5}
RUNS_BIG=${RUNS_BIG:-3}
PARITY=$BUILD/parity
GEN=$BUILD/parity-sample-gen
mkdir -p "$WORK/times" "$WORK/analyse"
rm -f "$WORK"/times/*
A=$WORK/analyse

source "$HERE/lib.sh"
need_time
[ -x "$PARITY" ] && [ -x "$GEN" ] || { echo "analyse.sh: build $BUILD first" >&2; exit 1; }
if [ -z "${SKIP_DUCKDB:-}" ]; then
    mkdir -p "$WORK/duckdb"
    cp "$HERE/package.json" "$HERE/duckdb_load.mjs" "$HERE/duckdb_analyse.mjs" "$WORK/duckdb/"
    (cd "$WORK/duckdb" && npm install --silent --no-audit --no-fund >/dev/null)
fi

# store NAME ROWS [GENERATOR OPTIONS]: NAME.db (parity) and, unless
# SKIP_DUCKDB, NAME.duckdb, from one generated extract (kept for reruns).
store() {
    local name=$1 rows=$2
    shift 2
    local duck=1
    [ -z "${SKIP_DUCKDB:-}" ] || duck=0
    if [ ! -s "$A/$name.db" ] || { [ "$duck" = 1 ] && [ ! -s "$A/$name.duckdb" ]; }; then
        "$GEN" --kind recruitment --rows "$rows" --distinct "$@" --out "$A/$name.csv"
        if [ ! -s "$A/$name.db" ]; then
            "$PARITY" ingest -q --db "$A/$name.db" --kind recruitment "$A/$name.csv"
        fi
        if [ "$duck" = 1 ] && [ ! -s "$A/$name.duckdb" ]; then
            node "$WORK/duckdb/duckdb_load.mjs" "$A/$name.csv" "$A/$name.duckdb" >/dev/null
        fi
        rm -f "$A/$name.csv"
    fi
}

echo "== inputs"
store d2m 2000000 --orgs 80 --months 24
[ -n "${SKIP_BIG:-}" ] || store d10m 10000000 --orgs 80 --months 24
SKIP_DUCKDB=1 store national 300000 --orgs 100000
if [ ! -s "$A/steady-data/workforce-2026-03.csv" ]; then
    rm -rf "$A/steady-data" && mkdir -p "$A/steady-data"
    "$GEN" --scale 10 --out "$A/steady-data" >/dev/null
    # The date column of each kind; March 2026 is the month delivered.
    for kc in recruitment:3 disciplinary:4 training:3 workforce:3; do
        k=${kc%:*} c=${kc#*:}
        awk -F, -v c="$c" 'NR == 1 || $c < "2026-03-01"' "$A/steady-data/$k.csv" \
            >"$A/steady-data/$k-history.csv"
        awk -F, -v c="$c" 'NR == 1 || $c >= "2026-03-01"' "$A/steady-data/$k.csv" \
            >"$A/steady-data/$k-2026-03.csv"
    done
fi
# The month before's run, made by the parity measured: what a run keeps
# for the next (the gate's memo of clean-ups) is then its own.
rm -rf "$A/steady-base" && mkdir -p "$A/steady-base/inbox" "$A/steady-base/state"
printf '[paths]\ndatabase = state/parity.db\ninbox = inbox\narchive = archive\nquarantine = quarantine\noutput = out\nlog = parity.log\n' \
    >"$A/steady-base/parity.ini"
cp "$A"/steady-data/*-history.csv "$A/steady-base/inbox/"
"$PARITY" run --config "$A/steady-base/parity.ini" --date 2026-03-05 >/dev/null 2>&1
if [ -z "${SKIP_MANY:-}" ] && [ ! -s "$A/many-$MANY_ORGS.db" ]; then
    mkdir -p "$A/many-data"
    python3 "$HERE/many_orgs.py" "$MANY_ORGS" "$A/many-data"
    for k in workforce board training; do
        "$PARITY" ingest -q --db "$A/many-$MANY_ORGS.db" --kind $k "$A/many-data/$k.csv"
    done
    rm -rf "$A/many-data"
fi
ls -l "$A"/*.db

echo "== counts checked row by row"
for name in d2m d10m; do
    [ -s "$A/$name.db" ] || continue
    rm -rf "$A/out-$name" && cp "$A/$name.db" "$A/check.db"
    "$PARITY" analyse --db "$A/check.db" --out "$A/out-$name" --period 2025/26 >/dev/null
    rm -f "$A/check.db"
    if [ -z "${SKIP_DUCKDB:-}" ]; then
        node "$WORK/duckdb/duckdb_analyse.mjs" "$A/$name.duckdb" 2025/26 "$A/duckdb-$name.csv" >/dev/null
        python3 "$HERE/check_counts.py" "$A/out-$name/results.csv" "$A/out-$name/trend.csv" \
            "$A/duckdb-$name.csv"
    fi
done

# Each analysis runs on a copy, so the run history the store keeps does
# not grow from run to run.
analyse() { # analyse LABEL NAME
    cp "$A/$2.db" "$A/run.db"
    rm -rf "$A/out"
    measure "$1" "$PARITY" analyse --db "$A/run.db" --out "$A/out" --period 2025/26
}

echo "== runs (interleaved)"
for i in $(seq "$RUNS"); do
    analyse parity-2m d2m
    [ -n "${SKIP_DUCKDB:-}" ] ||
        measure duckdb-2m node "$WORK/duckdb/duckdb_analyse.mjs" "$A/d2m.duckdb" 2025/26 "$A/dd.csv"
    cp "$A/national.db" "$A/run.db" && rm -rf "$A/out"
    measure national-analyse "$PARITY" analyse --db "$A/run.db" --out "$A/out"
    cp "$A/national.db" "$A/run.db" && rm -rf "$A/out"
    measure national-report "$PARITY" report --db "$A/run.db" --out "$A/out"
    rm -rf "$A/steady" && cp -a "$A/steady-base" "$A/steady"
    cp "$A"/steady-data/*-2026-03.csv "$A/steady/inbox/"
    measure steady-run "$PARITY" run --config "$A/steady/parity.ini" --date 2026-04-05
    echo "  run $i done"
done
if [ -z "${SKIP_MANY:-}" ]; then
    for i in $(seq "${RUNS_MANY:-1}"); do
        cp "$A/many-$MANY_ORGS.db" "$A/run.db" && rm -rf "$A/out"
        measure national-return "$PARITY" report --db "$A/run.db" --out "$A/out" --period 2025/26
        echo "  national return run $i done"
    done
fi
if [ -s "$A/d10m.db" ]; then
    for i in $(seq "$RUNS_BIG"); do
        analyse parity-10m d10m
        [ -n "${SKIP_DUCKDB:-}" ] ||
            measure duckdb-10m node "$WORK/duckdb/duckdb_analyse.mjs" "$A/d10m.duckdb" 2025/26 "$A/dd.csv"
        echo "  10M run $i done"
    done
fi

echo
rm -f "$A/run.db"
echo "== results: median of runs ($(machine))"
table parity-2m duckdb-2m parity-10m duckdb-10m national-analyse national-report steady-run \
    national-return
echo "load average now: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine skews wall times)"
echo
if [ -s "$WORK/times/duckdb-2m" ]; then
    echo "2M cells: parity analyse / DuckDB = $(ratio parity-2m duckdb-2m) (target <= 0.5)"
fi
if [ -s "$WORK/times/duckdb-10m" ]; then
    echo "10M cells: parity analyse / DuckDB = $(ratio parity-10m duckdb-10m) (target <= 0.5)"
fi
if [ -s "$WORK/times/parity-10m" ]; then
    awk -v r="$(median 2 "$WORK/times/parity-10m")" \
        'BEGIN { printf "10M cells: analyse peak RSS %.1f MiB (target <= 64)\n", r / 1024 }'
fi
awk -v a="$(median 1 "$WORK/times/national-analyse")" -v b="$(median 1 "$WORK/times/national-report")" \
    'BEGIN { printf "100,000 organisations: analyse %.2f s + report %.2f s = %.2f s (target < 10)\n", a, b, a + b }'
awk -v s="$(median 1 "$WORK/times/steady-run")" \
    'BEGIN { printf "steady-state monthly run: %.2f s (target < 1)\n", s }'
if [ -s "$WORK/times/national-return" ]; then
    awk -v s="$(median 1 "$WORK/times/national-return")" -v n="$MANY_ORGS" \
        'BEGIN { printf "%d organisations with workforce data: report %.1f s (target: well under 60)\n", n, s }'
fi
echo "raw figures (wall s, peak KiB, CPU s; one line per run): $WORK/times/"
