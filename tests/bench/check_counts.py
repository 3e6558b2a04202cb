#!/usr/bin/env python3
"""check_counts.py: compare the counts of parity's results.csv and trend.csv
with the rows the analysis benchmark's DuckDB script wrote, row by row.

    check_counts.py RESULTS.csv TREND.csv DUCKDB.csv

Every DuckDB row must match a parity row with the same indicator, grouping,
groups, stratum and period (trend rows are marked "T" before the period in
the DuckDB file) and equal x1, n1, x2, n2; every parity row that has counts
(all but Kline's compound rows) must have its DuckDB row. Exits 1 on any
difference, naming it.
"""
import csv
import sys

KEY = ("indicator", "grouping", "group1", "group2", "stratum_kind", "stratum", "period")
COUNTS = ("x1", "n1", "x2", "n2")


def parity_rows(path, trend):
    rows = {}
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            if r["stratum_kind"] == "kline":
                continue
            key = tuple(r[k] for k in KEY)
            if trend:
                key = key[:-1] + ("T" + key[-1],)
            rows[key] = tuple(int(r[c]) for c in COUNTS)
    return rows


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    ours = parity_rows(sys.argv[1], False)
    ours.update(parity_rows(sys.argv[2], True))
    theirs = {}
    with open(sys.argv[3], newline="") as f:
        for r in csv.DictReader(f):
            theirs[tuple(r[k] for k in KEY)] = tuple(int(r[c]) for c in COUNTS)
    bad = 0
    for key, counts in theirs.items():
        if key not in ours:
            print("only in DuckDB:", ",".join(key), counts)
            bad += 1
        elif ours[key] != counts:
            print("counts differ:", ",".join(key), "parity", ours[key], "DuckDB", counts)
            bad += 1
    for key in ours:
        if key not in theirs:
            print("only in parity:", ",".join(key), ours[key])
            bad += 1
    print(f"{len(theirs)} DuckDB rows, {len(ours)} parity rows with counts: "
          + ("equal" if not bad else f"{bad} differences"))
    sys.exit(1 if bad else 0)


main()
