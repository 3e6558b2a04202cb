#!/usr/bin/env python3
"""return_agree.py: do a board report and a return agree, cell for cell, on
the figures they share? Reads REPORT-DIR/report-tables.csv and
RETURN-DIR/return.csv, written apart from the engine:

- WRES 2-4 and WDES 2-3 of each organisation: the return's rows per group
  (numerator = outcome, denominator = base) against the report's
  by_organisation row (outcome1/base1, outcome2/base2), and the return's
  "relative likelihood" row (value, ci_low, ci_high at 4 places) against
  the report's ratio and interval (2 places);
- an organisation's White and BME staff at the snapshot: WRES 4's base in
  the report is the WRES 1 workforce count in the return (not with
  --bank-included: the report's WRES 4 then counts bank staff, whom WRES 1
  always leaves out, so the two are different figures).

A count hidden in one must be hidden in the other; a printed one equal.
Prints one line per difference and then "agree N differ M"; exits 1 when
any differ or nothing was compared.
"""
import csv
import sys


def number(text):
    return text.replace(",", "")


def hidden(text):
    return not number(text).isdigit()


def main():
    args = sys.argv[1:]
    bank = "--bank-included" in args
    args = [a for a in args if a != "--bank-included"]
    if len(args) != 2:
        sys.exit("usage: return_agree.py [--bank-included] REPORT-DIR RETURN-DIR")
    report, ret = args
    rep = {}  # (indicator, org, group) -> (outcome, base); (indicator, org) -> ratio
    for r in csv.DictReader(open(report + "/report-tables.csv")):
        if r["table"] != "by_organisation":
            continue
        ind, org = r["indicator"], r["stratum"]
        rep[(ind, org, r["group1"])] = (r["outcome1"], r["base1"])
        rep[(ind, org, r["group2"])] = (r["outcome2"], r["base2"])
        rep[(ind, org)] = (r["ratio"], r["ci_low"], r["ci_high"])
    same = differ = 0

    def compare(what, a, b):
        nonlocal same, differ
        if a is None or hidden(a) != hidden(b) or (not hidden(a) and number(a) != b):
            print("DIFFERENT", what, "report", a, "return", b)
            differ += 1
        else:
            same += 1

    for r in csv.DictReader(open(ret + "/return.csv")):
        std, ind, org, group = r["standard"], r["indicator"], r["organisation"], r["group"]
        number_ = ind.split(" ")[0]
        key = std + number_
        if key in ("WRES2", "WRES3", "WRES4", "WDES2", "WDES3"):
            if ind == number_:  # a group's counts
                got = rep.get((key, org, group))
                what = "%s %s %s" % (key, org, group)
                compare(what + " outcome", got and got[0], r["numerator"])
                compare(what + " base", got and got[1], r["denominator"])
            elif ind == number_ + " relative likelihood":
                got = rep.get((key, org))
                theirs = (r["value"], r["ci_low"], r["ci_high"])
                for k, name in enumerate(("ratio", "ci_low", "ci_high")):
                    a, b = got and got[k], theirs[k]
                    if a == b:
                        ok = True
                    elif a in (None, "") or b == "" or "inf" in (a, b):
                        ok = (a or "") == "" and b == ""
                    else:
                        ok = abs(float(a) - float(b)) <= 0.005 + 1e-4
                    if ok:
                        same += 1
                    else:
                        print("DIFFERENT", key, org, name, "report", a, "return", b)
                        differ += 1
        elif std == "WRES" and ind == "1 workforce" and group != "Unknown" and not bank:
            got = rep.get(("WRES4", org, group))
            compare("WRES1 workforce = WRES4 base %s %s" % (org, group),
                    got and got[1], r["numerator"])
    print("agree", same, "differ", differ)
    sys.exit(1 if differ or not same else 0)


main()
