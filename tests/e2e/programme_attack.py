#!/usr/bin/env python3
"""programme_attack.py: read a board report's programme page together with its
tables, and last year's board report, as a reader holding both would, and try
to work out every count this year's report hides in one indicator's table by
organisation.

Written apart from parity's disclosure gate. What the reader knows:

  - this year's report-tables.csv: each organisation's counts (White and BME
    shortlisted and appointed, for WRES 2), "<5" meaning 1 to 4 and "[c]" any
    count from 0 to the base; the overall row, the sum of the organisations;
  - last year's report-tables.csv: the same for last year (the year before
    the cohort joined), printed in full where nothing was small;
  - the programme page: the cohorts (who joins, and the joining year) and
    the event study's year-0 effect, the ratio of ratios to two decimals.
    By the method (docs/programme.md) it is

      theta = [L(T, t) - L(T, b)] - [L(C, t) - L(C, b)]

    with L the log Mantel-Haenszel ratio, T the joiners, C the organisations
    never joined that have both groups in both years, t the joining year and
    b the year before: a function of the counts of this year's and last
    year's tables.

Every combination of values of the hidden counts that fits the sums (and the
printed effect, when printed, within its rounding: |theta - printed| <= 0.005)
is tried; a hidden count of 1 to 4 that only one value fits is recovered.

--old-rule reads the effect as the rule before this one would have printed
it: from the internal programme.csv, printed unless a count of 1 to 4 lies
behind it (its smallest_count), rounded to two decimals as the report rounds.

Exit 1 listing each count recovered (a small count) or pinned (any other
hidden count), else 0 with the values each hidden count may still take. Usage:

  programme_attack.py [--old-rule] [--indicator WRES2] NOW_DIR LAST_DIR
"""
import argparse
import csv
import itertools
import json
import math
import os
import sys

COUNTS = ("base1", "outcome1", "base2", "outcome2")


def table(path, indicator):
    """{organisation or 'overall': {count name: text}} and the period."""
    rows, period = {}, None
    for r in csv.DictReader(open(path)):
        if r["table"] != "by_organisation" or r["indicator"] != indicator:
            continue
        if r["stratum_kind"] == "organisation" and "pooled" in r["stratum"]:
            continue
        key = "overall" if r["stratum_kind"] == "overall" else r["stratum"]
        rows[key] = {c: r[c].replace(",", "") for c in COUNTS}
        period = r["period"]
    return rows, period


def log_mh(cells):
    """ln of the Mantel-Haenszel ratio over organisations, each (x1, n1, x2, n2)."""
    a = sum(x1 * n2 / (n1 + n2) for x1, n1, x2, n2 in cells)
    b = sum(x2 * n1 / (n1 + n2) for x1, n1, x2, n2 in cells)
    return math.log(a) - math.log(b) if a > 0 and b > 0 else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--old-rule", action="store_true")
    ap.add_argument("--indicator", default="WRES2")
    ap.add_argument("--threshold", type=int, default=5)
    ap.add_argument("now")
    ap.add_argument("last")
    a = ap.parse_args()

    now, year = table(os.path.join(a.now, "report-tables.csv"), a.indicator)
    last, base_year = table(os.path.join(a.last, "report-tables.csv"), a.indicator)
    programme = json.load(open(os.path.join(a.now, "programme.json")))
    joiners = {c["cohort_id"]: (c["joining"].split(";"), c["joining_year"])
               for c in programme["cohorts"]}
    treated_now = [o for ids, y in joiners.values() if y == year for o in ids if o]
    ever = {o for ids, _ in joiners.values() for o in ids}

    # The printed year-0 effect, as the report prints it (or would have).
    printed = None
    for r in csv.DictReader(open(os.path.join(a.now, "report-tables.csv"))):
        if r["table"] == "programme" and r["indicator"] == a.indicator and \
           r["stratum"] == "event:0" and r["ratio"]:
            printed = float(r["ratio"])
    if a.old_rule:
        printed = None
        for r in csv.DictReader(open(os.path.join(a.now, "programme.csv"))):
            if r["indicator"] == a.indicator and r["term"] == "event:0" and r["estimate"]:
                small = 1 <= int(r["smallest_count"]) < a.threshold
                printed = None if small else round(float(r["estimate"]), 2)

    # The hidden counts of this year's table and what each may be.
    unknown = []
    for org, counts in now.items():
        for name, text in counts.items():
            if text.isdigit():
                continue
            if text == "<%d" % a.threshold:
                values = range(1, a.threshold)
            else:
                base = counts["base" + name[-1]] if name.startswith("outcome") else None
                top = int(base) if base and base.isdigit() else 100000
                values = range(0, top + 1)
            unknown.append(((org, name), list(values), text))

    def value(assign, org, name):
        text = now[org][name]
        return int(text) if text.isdigit() else assign[(org, name)]

    def fits(assign):
        for name in COUNTS:
            parts = [value(assign, o, name) for o in now if o != "overall"]
            if now["overall"][name].isdigit() and sum(parts) != int(now["overall"][name]):
                return False
        if printed is None:
            return True
        # theta from this year's counts (with the trial values) and last year's.
        def cells(orgs, counts_of):
            out = []
            for o in orgs:
                x1, n1, x2, n2 = (counts_of(o, c) for c in
                                  ("outcome1", "base1", "outcome2", "base2"))
                if n1 > 0 and n2 > 0:
                    out.append((x1, n1, x2, n2))
            return out
        this = lambda o, c: value(assign, o, c)
        before = lambda o, c: int(last[o][c])
        both = [o for o in now if o != "overall" and o in last]
        controls = [o for o in both if o not in ever and
                    all(now[o][b] != "0" and last[o][b] != "0" for b in ("base1", "base2"))]
        treated = [o for o in treated_now if o in both]
        parts = [log_mh(cells(treated, this)), log_mh(cells(treated, before)),
                 log_mh(cells(controls, this)), log_mh(cells(controls, before))]
        if None in parts:
            return False
        theta = math.exp((parts[0] - parts[1]) - (parts[2] - parts[3]))
        return abs(theta - printed) <= 0.005 + 1e-12

    fitting = {cell: set() for cell, _, _ in unknown}
    fits_any = False
    for combo in itertools.product(*(v for _, v, _ in unknown)):
        assign = {cell: x for (cell, _, _), x in zip(unknown, combo)}
        if fits(assign):
            fits_any = True
            for cell, x in assign.items():
                fitting[cell].add(x)

    print("programme attack: %s %s, base year %s; year-0 effect %s" %
          (a.indicator, year, base_year, "printed as %.2f" % printed
           if printed is not None else "not printed"))
    if not fits_any:  # the reader's arithmetic is wrong, not the report
        print("NO FIT: no value of the hidden counts fits what is printed")
        return 2
    if not unknown:
        print("no count hidden; the printed figures fit the counts")
    recovered = 0
    for cell, values, text in unknown:
        got = sorted(fitting[cell])
        shown = ",".join(map(str, got)) if len(got) <= 8 else \
            "%d..%d (%d values)" % (got[0], got[-1], len(got))
        small = text.startswith("<")
        if small and len(got) == 1:
            recovered += 1
            print("RECOVERED %s %s of %s: %d (printed %s)" %
                  (a.indicator, cell[1], cell[0], got[0], text))
        elif len(got) == 1:  # a complement pinned gives its partner away
            recovered += 1
            print("PINNED %s %s of %s: %d (printed %s)" %
                  (a.indicator, cell[1], cell[0], got[0], text))
        else:
            print("hidden %s %s of %s (printed %s): may be %s" %
                  (a.indicator, cell[1], cell[0], text, shown))
    return 1 if recovered else 0


if __name__ == "__main__":
    sys.exit(main())
