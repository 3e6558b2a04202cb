#!/usr/bin/env python3
"""return_attack.py: read the board report and the annual return of one year
together, as a reader holding both would, and try to work out every small
count either of them hid.

Written apart from parity's disclosure gate: it uses attack.py's reader (the
report's tables and their sums) and adds what a reader of return.csv knows
from the WRES / WDES templates themselves:

  - each figure's groups add up to its total (White + BME + Unknown, Disabled
    + Non-disabled + Unknown);
  - a staff side's pay bands add up to the side (band 1 ... VSM, medical and
    dental, other), its WDES clusters to the side, each cluster to its bands;
  - the medical and dental sub-groups (consultants, career grades, trainees,
    other) add up to the side's medical and dental staff, group by group;
  - the sides add up to the workforce; the board's voting and non-voting
    members to the board, and its executive and non-executive members;
  - and, across the two documents: an organisation's White and BME staff in
    the return are the base of WRES 4 for that organisation in the report
    (both the headcount at the year-end snapshot), all organisations' staff
    add up to the report's overall WRES 4 and training rows (by ethnicity and
    by disability), every organisation's band add up to the report's pay
    band row, and the non-clinical sides to the administrative and estates
    staff groups;
  - a share printed beside a hidden numerator gives the numerator back.

The truth comes from an unsuppressed return (--suppress 0) and the report's
internal results.csv. Exit 1 listing every count of 1 to threshold-1 that is
recovered (worked out exactly and equal to the truth), else 0. Usage:

  return_attack.py --threshold N REPORT_DIR RETURN_DIR OPEN_RETURN_DIR
"""
import argparse
import csv
import os
import re
import sys
from fractions import Fraction

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import attack  # noqa: E402  (the report reader)

BANDS = ["band 1", "band 2", "band 3", "band 4", "band 5", "band 6", "band 7",
         "band 8a", "band 8b", "band 8c", "band 8d", "band 9", "VSM",
         "medical and dental", "other or no band"]
CLUSTERS = {"cluster 1 (bands 1-4)": BANDS[0:4], "cluster 2 (bands 5-7)": BANDS[4:7],
            "cluster 3 (bands 8a-8b)": BANDS[7:9],
            "cluster 4 (bands 8c-9 and VSM)": BANDS[9:13],
            "medical and dental": ["medical and dental"],
            "other or no band": ["other or no band"]}
SIDES = ["non-clinical", "clinical", "staff group not recorded"]
GROUPS = {"WRES": ["White", "BME", "Unknown"],
          "WDES": ["Disabled", "Non-disabled", "Unknown"]}
# The medical and dental sub-groups: together, the side's medical and dental staff.
MEDICAL = ["medical and dental: " + k for k in
           ("consultants", "non-consultant career grades", "trainee grades", "other")]
REPORT_BAND = {b: b.replace("band ", "") for b in BANDS[:12]}
REPORT_BAND.update({"VSM": "VSM", "medical and dental": "Medical"})


def where_of(indicator):
    """A share row's indicator -> what its denominator counts."""
    m = re.fullmatch(r"1 (.+)", indicator)
    if m:
        rest = m.group(1)
        if rest == "workforce":
            return "workforce"
        for side in SIDES:
            if rest.startswith(side + " "):
                return side + "|" + rest[len(side) + 1:]
        return None
    m = re.fullmatch(r"(9|10) (board|voting|non-voting|executive|non-executive|workforce)",
                     indicator)
    if m:
        return "workforce" if m.group(2) == "workforce" else "board|" + m.group(2)
    return None


def name(org, where, standard, group):
    """One name per count: the same people have one name in both standards
    (the whole of a side or the workforce is one count)."""
    kind = "ethnic" if standard == "WRES" else "disability"
    if group == "all":
        return (0, "return", org, where, "all")
    return (0, "return", org, where, kind, group)


def read_return(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def number(text):
    return attack.number(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--threshold", type=int, default=5)
    ap.add_argument("report")
    ap.add_argument("ret")
    ap.add_argument("open")
    ap.add_argument("--reveal-secondaries", action="store_true",
                    help="self-test: read every [c] count of return.csv as if printed "
                         "(the attack must then recover a small count)")
    ap.add_argument("--no-cross", action="store_true", help="diagnosis: leave out the ties between the documents")
    a = ap.parse_args()
    reader = attack.Reader(a.threshold)
    ratios = []
    rows, _ = attack.read_run(reader, 0, a.report, ratios)
    truths = {0: attack.truth(a.report)}
    published = read_return(os.path.join(a.ret, "return.csv"))
    opened = read_return(os.path.join(a.open, "return.csv"))
    truth = {}
    shares = []
    orgs = []
    year = None
    for r in opened:
        w = where_of(r["indicator"])
        if w and r["numerator"] != "":
            truth[name(r["organisation"], w, r["standard"], r["group"])] = int(r["numerator"])
            truth[name(r["organisation"], w, r["standard"], "all")] = int(r["denominator"])
    for r in published:
        org = r["organisation"]
        if org not in orgs:
            orgs.append(org)
        w = where_of(r["indicator"])
        if w:
            where = ("return.csv", r["standard"], r["indicator"], org, r["group"])
            num, den = name(org, w, r["standard"], r["group"]), name(org, w, r["standard"], "all")
            reader.count(num, number(r["numerator"]), where)
            reader.count(den, number(r["denominator"]), where)
            if r["value"] != "":
                shares.append((num, den, Fraction(r["value"]), where))
            continue
        # The relative likelihoods' counts are the report's.
        m = re.fullmatch(r"(2|3|4)", r["indicator"])
        if m and r["standard"] + m.group(1) in attack.STANDARD:
            ind = r["standard"] + m.group(1)
            rep = [x for x in rows if x["indicator"] == ind and x["stratum"] == org and
                   x["stratum_kind"] == "organisation"]
            for x in rep[:1]:
                base = (0, attack.measure_of(ind), x["period"], "organisation", org,
                        x["grouping"], r["group"])
                where = ("return.csv", ind, org, r["group"])
                reader.count(base + ("x",), number(r["numerator"]), where)
                reader.count(base + ("n",), number(r["denominator"]), where)
    for x in rows:
        if x["indicator"] == "WRES4" and x["stratum_kind"] == "overall":
            year = x["period"]
    if a.reveal_secondaries:
        for nm, mark in list(reader.marks.items()):
            if mark == "[c]" and nm[1] == "return" and nm in truth:
                reader.known[nm] = truth[nm]
                del reader.hidden[nm]
    # The templates' sums, per organisation.
    for org in orgs:
        for std, groups in GROUPS.items():
            kind = "ethnic" if std == "WRES" else "disability"

            def n(where, group, org=org, std=std):
                return name(org, where, std, group)
            places = ["workforce"] + [s + "|all bands" for s in SIDES]
            places += ["board|" + b for b in ("board", "voting", "non-voting", "executive",
                                              "non-executive")]
            if std == "WRES":
                places += [s + "|" + b for s in SIDES for b in BANDS]
            else:
                places += [s + "|" + c for s in SIDES for c in CLUSTERS]
            places += [s + "|" + m for s in SIDES for m in MEDICAL]
            for p in places:
                reader.equal(n(p, "all"), [n(p, g) for g in groups])
            for g in groups + ["all"]:
                reader.equal(n("workforce", g), [n(s + "|all bands", g) for s in SIDES])
                reader.equal(n("board|board", g), [n("board|voting", g), n("board|non-voting", g)])
                reader.equal(n("board|board", g), [n("board|executive", g),
                                                   n("board|non-executive", g)])
                for s in SIDES:
                    reader.equal(n(s + "|medical and dental", g), [n(s + "|" + m, g)
                                                                  for m in MEDICAL])
                    if std == "WRES":
                        reader.equal(n(s + "|all bands", g), [n(s + "|" + b, g) for b in BANDS])
                    else:
                        reader.equal(n(s + "|all bands", g), [n(s + "|" + c, g) for c in CLUSTERS])
            for s in SIDES:
                for c, bs in CLUSTERS.items():
                    reader.equal(name(org, s + "|" + c, "WDES", "all"),
                                 [name(org, s + "|" + b, "WRES", "all") for b in bs])
            # A side the return leaves out has no staff.
            if not any(r["organisation"] == org and "staff group not recorded" in r["indicator"]
                       for r in published):
                for p in places:
                    if p.startswith("staff group not recorded"):
                        for g in groups + ["all"]:
                            reader.known.setdefault(n(p, g), 0)
            del n
    # Across the documents.
    if year and not a.no_cross:
        for org in orgs:
            for g in ("White", "BME"):
                reader.equal((0, "training", year, "organisation", org, "white_bme", g, "n"),
                             [name(org, "workforce", "WRES", g)])
        for grouping, std, groups in (("white_bme", "WRES", ["White", "BME"]),
                                      ("disability", "WDES", ["Disabled", "Non-disabled"])):
            for g in groups:
                reader.equal((0, "training", year, "overall", "All organisations", grouping, g, "n"),
                             [name(o, "workforce", std, g) for o in orgs])
        for band, stratum in REPORT_BAND.items():
            for g in ("White", "BME"):
                reader.equal((0, "training", year, "pay_band", stratum, "white_bme", g, "n"),
                             [name(o, s + "|" + band, "WRES", g) for o in orgs for s in SIDES[:2]])
        groups_nc = [x["stratum"] for x in rows if x["indicator"] == "WRES4" and
                     x["stratum_kind"] == "staff_group" and x["stratum"] in
                     ("Administrative and Clerical", "Estates and Ancillary")]
        if len(groups_nc) == 2:
            for g in ("White", "BME"):
                reader.equal((0, "return", "*", "non-clinical", g),
                             [name(o, "non-clinical|all bands", "WRES", g) for o in orgs])
                reader.equal((0, "return", "*", "non-clinical", g),
                             [(0, "training", year, "staff_group", sg, "white_bme", g, "n")
                              for sg in groups_nc])
    # A share beside a hidden numerator: numerator = share x denominator.
    for _ in range(3):
        reader.solve()
        more = False
        for num, den, value, _where in shares:
            if num not in reader.known and den in reader.known:
                v = value * reader.known[den] / 100
                exact = round(v)
                if abs(v - exact) < Fraction(1, 2 * 10 ** 3) * reader.known[den] / 100 + \
                        Fraction(1, 10 ** 6):
                    # four decimals of a percentage: one count when unique
                    cands = [c for c in range(0, reader.known[den] + 1)
                             if f"{100 * c / reader.known[den]:.4f}" == f"{float(value):.4f}"]
                    if len(cands) == 1:
                        reader.known[num] = cands[0]
                        more = True
        if not more:
            break
    leaks = []
    for nm, where in reader.hidden.items():
        if nm not in reader.known:
            continue
        if nm[1] == "return":
            tv = truth.get(nm)
        else:
            tv = attack.true_value(nm, truths, {0: rows})
        v = reader.known[nm]
        if tv is not None and tv == v and 1 <= v < a.threshold:
            leaks.append((nm, v, where))
    print(f"return attack: {len(reader.known)} counts known, {len(reader.hidden)} hidden, "
          f"{len(reader.equations)} sums, {len(orgs)} organisation(s)")
    for nm, v, where in leaks:
        print(f"RECOVERED {'|'.join(map(str, nm))} = {v} (hidden in {where})")
    return 1 if leaks else 0


if __name__ == "__main__":
    sys.exit(main())
