#!/usr/bin/env python3
"""verify.py: an independent check of the generated sample (standard library
only, sharing no code with generate.c): integrity rules, code shares, and the
empirical ratios per organisation and financial year against the planted ones.

usage: python3 sample-data/verify.py [DIR]       (DIR defaults to sample-data)
Exits 1 if an integrity rule is broken; prints the tables in README.md.
"""
import csv
import math
import os
import sys
from collections import Counter, defaultdict

Z95 = 1.959963984540054
WHITE, BME = set("ABC"), set("DEFGHJKLMNPRS")
YEARS = ["2021/22", "2022/23", "2023/24", "2024/25", "2025/26"]
ORGS = ["R0A", "R0B", "R0C", "R0D", "R0E", "R0F"]
# The planted values, copied by hand from the README table (not from generate.c).
WRES2 = {"R0A": [1.8, 1.8, 1.8, 1.1, 1.1], "R0B": [1.7, 1.7, 1.7, 1.1, 1.1],
         "R0C": [1.3] * 5, "R0D": [1.50, 1.52, 1.54, 1.56, 1.58],
         "R0E": [2.00, 1.97, 1.94, 1.91, 1.88], "R0F": [1.6] * 5}
WRES3 = {"R0A": [1.6, 1.6, 1.6, 1.1, 1.1], "R0B": [1.5, 1.5, 1.5, 1.1, 1.1],
         "R0C": [1.2] * 5, "R0D": [1.4] * 5, "R0E": [1.6] * 5, "R0F": [1.3] * 5}
WRES4 = {"R0A": 1.15, "R0B": 1.12, "R0C": 1.05, "R0D": 1.10, "R0E": 1.18, "R0F": 1.08}
WDES2 = {"R0A": 1.20, "R0B": 1.15, "R0C": 1.25, "R0D": 1.10, "R0E": 1.30, "R0F": 1.20}
WDES3 = {"R0A": 1.8, "R0B": 1.6, "R0C": 2.0, "R0D": 1.5, "R0E": 1.7, "R0F": 1.9}

problems = []


def fy(date):
    y, m = int(date[:4]), int(date[5:7])
    start = y if m >= 4 else y - 1
    return start - 2021


def read(directory, name):
    path = os.path.join(directory, name)
    with open(path, newline="", encoding="utf-8") as f:
        raw = f.read()
    if raw.startswith("\ufeff") or "\r" in raw:
        problems.append(f"{name}: BOM or CR found")
    return list(csv.DictReader(raw.splitlines()))


def katz(x1, n1, x2, n2):
    """RLR and Katz log 95% interval; None where a count is zero."""
    if min(x1, x2, n1, n2) == 0:
        return None
    r = (x1 / n1) / (x2 / n2)
    se = math.sqrt(1 / x1 - 1 / n1 + 1 / x2 - 1 / n2)
    return r, r * math.exp(-Z95 * se), r * math.exp(Z95 * se)


def mantel_haenszel(strata):
    """Pooled RLR and Greenland-Robins variance of its log (DOMAIN.md 4)."""
    num = den = var = 0.0
    for x1, n1, x2, n2 in strata:
        n = n1 + n2
        num += x1 * n2 / n
        den += x2 * n1 / n
        var += (n1 * n2 * (x1 + x2) - x1 * x2 * n) / n ** 2
    return num / den, var / (num * den)


def main():
    d = sys.argv[1] if len(sys.argv) > 1 else "sample-data"
    rec = read(d, "recruitment.csv")
    wf = read(d, "workforce.csv")
    dis = read(d, "disciplinary.csv")
    tr = read(d, "training.csv")

    # ---- integrity rules ----
    if len({r["application_id"] for r in rec}) != len(rec):
        problems.append("recruitment: duplicate application_id")
    for r in rec:
        if r["appointed"] == "Y" and r["shortlisted"] != "Y":
            problems.append(f"{r['application_id']}: appointed but not shortlisted")
        if not "2021-04-01" <= r["date"] <= "2026-03-31":
            problems.append(f"{r['application_id']}: date out of range")
    staff = {}
    for r in wf:
        key = (r["staff_id"], r["snapshot_date"])
        if key in staff:
            problems.append(f"workforce: {key} twice")
        staff[key] = r
    for r in dis:
        snap = f"{2022 + fy(r['date_entered'])}-03-31"
        p = staff.get((r["staff_id"], snap))
        if not p or p["organisation"] != r["organisation"] or p["contract"] == "Bank":
            problems.append(f"{r['case_id']}: not a non-bank staff member then")
    for r in wf:
        if r["grade"] and r["pay_band"] != "Medical":
            problems.append(f"workforce: {r['staff_id']} has a grade but is not medical")
    seen = Counter((r["staff_id"], fy(r["date"])) for r in tr)
    if max(seen.values()) > 1:
        problems.append("training: a staff member twice in one year")

    # ---- shares ----
    def shares(rows, col):
        c = Counter(r[col] for r in rows)
        return ", ".join(f"{k} {100 * v / len(rows):.1f}%" for k, v in sorted(c.items()))
    print("workforce ethnic:", shares(wf, "ethnic_category"))
    print("workforce disability:", shares(wf, "disability"))
    print("workforce sex:", shares(wf, "sex"))
    print("workforce contract:", shares(wf, "contract"))
    print("workforce pay_band:", shares(wf, "pay_band"))
    print("applications disability:", shares(rec, "disability"))
    # The medical and dental sub-groups (WRES 1 / WDES 1), by ethnic group.
    sub = {"Consultant": "consultants", "Specialty Doctor": "career grades",
           "Associate Specialist": "career grades", "Foundation Year 1": "trainees",
           "Foundation Year 2": "trainees", "Specialty Registrar": "trainees",
           "Core Trainee": "trainees", "": "no grade"}
    for name, codes in (("White", WHITE), ("BME", BME)):
        med = [r for r in wf if r["pay_band"] == "Medical" and r["ethnic_category"] in codes]
        c = Counter(sub[r["grade"]] for r in med)
        print(f"medical grades, {name}:", ", ".join(
            f"{k} {100 * c[k] / len(med):.1f}%"
            for k in ("consultants", "career grades", "trainees", "no grade")))
    for o in ORGS:
        rows = [r for r in wf if r["organisation"] == o]
        b = sum(r["ethnic_category"] in BME for r in rows) / len(rows)
        print(f"{o}: staff BME {100 * b:.1f}%", end="; ")
    print()
    for grp, name in ((WHITE, "White"), (BME, "BME")):
        rows = [r for r in wf if r["ethnic_category"] in grp]
        hi = sum(r["pay_band"] in ("8a", "8b", "8c", "8d", "9", "VSM") for r in rows)
        print(f"{name}: band 8a and above {100 * hi / len(rows):.1f}% of staff")

    # ---- WRES2 per org and year ----
    app = defaultdict(lambda: [0, 0, 0, 0])  # x_white, n_white, x_bme, n_bme
    wd2 = defaultdict(lambda: [0, 0, 0, 0])
    for r in rec:
        if r["shortlisted"] != "Y":
            continue
        k = (r["organisation"], fy(r["date"]))
        a = r["appointed"] == "Y"
        if r["ethnic_category"] in WHITE:
            app[k][0] += a; app[k][1] += 1
        elif r["ethnic_category"] in BME:
            app[k][2] += a; app[k][3] += 1
        if r["disability"] == "N":
            wd2[r["organisation"]][0] += a; wd2[r["organisation"]][1] += 1
        elif r["disability"] == "Y":
            wd2[r["organisation"]][2] += a; wd2[r["organisation"]][3] += 1
    inside = total = 0
    print("\n| org | FY | planted WRES2 | White appointed/shortlisted | BME appointed/shortlisted | empirical (95% Katz) |")
    print("|---|---|---|---|---|---|")
    for o in ORGS:
        for y in range(5):
            x1, n1, x2, n2 = app[(o, y)]
            r, lo, hi = katz(x1, n1, x2, n2)
            ok = lo <= WRES2[o][y] <= hi
            inside += ok; total += 1
            print(f"| {o} | {YEARS[y]} | {WRES2[o][y]:.2f} | {x1}/{n1} | {x2}/{n2} | "
                  f"{r:.2f} ({lo:.2f}–{hi:.2f}){'' if ok else ' outside'} |")
    print(f"WRES2: planted value inside the 95% interval in {inside} of {total}")

    # ---- mentoring effect: before FY 2022/23, after FY 2024/25 ----
    print()
    for label, group in (("cohort R0A+R0B", ORGS[:2]), ("comparators R0C-R0F", ORGS[2:])):
        before, vb = mantel_haenszel([app[(o, 1)] for o in group])
        after, va = mantel_haenszel([app[(o, 3)] for o in group])
        dd = math.log(after) - math.log(before)
        se = math.sqrt(vb + va)
        print(f"{label}: WRES2 MH before {before:.3f}, after {after:.3f}, ratio of ratios "
              f"{math.exp(dd):.3f} ({math.exp(dd - Z95 * se):.3f}–{math.exp(dd + Z95 * se):.3f}), "
              f"z = {dd / se:.2f}")

    # ---- the headcount-based indicators, pooled over years per org ----
    head = defaultdict(Counter)
    for r in wf:
        if r["contract"] == "Bank":
            continue
        k = (r["organisation"], int(r["snapshot_date"][:4]) - 2022)  # 31 March ends the FY
        e = r["ethnic_category"]
        head[k]["W" if e in WHITE else "B" if e in BME else "U"] += 1
        head[k]["D" + r["disability"]] += 1
    cases = defaultdict(Counter)
    for r in dis:
        k = (r["organisation"], fy(r["date_entered"]))
        e = r["ethnic_category"]
        if r["process"] == "disciplinary":
            cases[k]["W" if e in WHITE else "B" if e in BME else "U"] += 1
        elif r["grounds"] == "performance":
            cases[k]["D" + r["disability"]] += 1
    trained = defaultdict(Counter)
    for r in tr:
        e = r["ethnic_category"]
        trained[(r["organisation"], fy(r["date"]))]["W" if e in WHITE else "B" if e in BME else "U"] += 1

    def fmt(t, planted):
        if t is None:
            return "n/a (zero count)"
        r, lo, hi = t
        return f"{r:.2f} ({lo:.2f}–{hi:.2f}){'' if lo <= planted <= hi else ' outside'}"

    print("\n| org | WRES3 pre-step years planted | empirical | WRES4 planted | empirical | WDES2 planted | empirical | WDES3 planted | empirical |")
    print("|---|---|---|---|---|---|---|---|---|")
    for o in ORGS:
        ys = [0, 1, 2] if o in ("R0A", "R0B") else range(5)
        x1 = sum(cases[(o, y)]["B"] for y in ys); n1 = sum(head[(o, y)]["B"] for y in ys)
        x2 = sum(cases[(o, y)]["W"] for y in ys); n2 = sum(head[(o, y)]["W"] for y in ys)
        w3 = katz(x1, n1, x2, n2)
        x1 = sum(trained[(o, y)]["W"] for y in range(5)); n1 = sum(head[(o, y)]["W"] for y in range(5))
        x2 = sum(trained[(o, y)]["B"] for y in range(5)); n2 = sum(head[(o, y)]["B"] for y in range(5))
        w4 = katz(x1, n1, x2, n2)
        d2 = katz(*wd2[o])
        x1 = sum(cases[(o, y)]["DY"] for y in range(5)); n1 = sum(head[(o, y)]["DY"] for y in range(5))
        x2 = sum(cases[(o, y)]["DN"] for y in range(5)); n2 = sum(head[(o, y)]["DN"] for y in range(5))
        d3 = katz(x1, n1, x2, n2)
        print(f"| {o} | {WRES3[o][0]:.2f} | {fmt(w3, WRES3[o][0])} | {WRES4[o]:.2f} | {fmt(w4, WRES4[o])} "
              f"| {WDES2[o]:.2f} | {fmt(d2, WDES2[o])} | {WDES3[o]:.2f} ({x1} cases) | {fmt(d3, WDES3[o])} |")
    # WRES3 after the step, cohort orgs pooled over 2024/25 and 2025/26
    for o in ("R0A", "R0B"):
        x1 = sum(cases[(o, y)]["B"] for y in (3, 4)); n1 = sum(head[(o, y)]["B"] for y in (3, 4))
        x2 = sum(cases[(o, y)]["W"] for y in (3, 4)); n2 = sum(head[(o, y)]["W"] for y in (3, 4))
        print(f"{o} WRES3 2024/25-2025/26: planted {WRES3[o][3]:.2f}, empirical {fmt(katz(x1, n1, x2, n2), WRES3[o][3])}")

    for p in problems[:20]:
        print("PROBLEM:", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
