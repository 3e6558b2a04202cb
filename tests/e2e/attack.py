#!/usr/bin/env python3
"""attack.py: read what parity published as a reader would, and try to work
out every count it hid.

Written apart from parity's disclosure gate (engine/publish/): it knows only
what a reader of the board report knows, namely how the tables of a
workforce equality report add up, and uses nothing of the gate's. For each
run folder given it reads the published outputs (the PDF through pdftotext,
report-tables.csv, changes.txt, the SVG charts' text; the HTML report for
identifiers), then:

  1. collects every printed count under a name that says what it counts
     (measure, period, stratum, grouping, group, base or outcome), so a
     count printed in one place and hidden in another is simply read;
  2. writes down the sums a reader knows hold: organisations add up to all
     organisations and to the pooled row, pay bands and staff groups to
     their pooled rows, each grouping's groups plus those not stated plus
     bank staff to everyone counted (one unknown total per measure, shared
     by every grouping, which is how sex and disability tables give each
     other away), crossed groups (White F) to their margins, ethnic
     categories to White and BME, shortlisted to the appointment base;
  3. solves them together (Gaussian elimination over exact fractions) and
     narrows every unknown by bounds ("<5" is 1 to 4, counts are not
     negative, the outcomes counted with no contract recorded are some of
     the outcomes), repeating until nothing more is learnt;
  4. solves each printed ratio (the tables', "What changed"'s, the
     summary's "Was 1.43 in 2024/25") for a hidden count of its row, in
     this run or any run given before it;
  5. checks that no identifier from the input extracts appears anywhere.

The truth comes from the run's internal results.csv (never published). A
hidden count is recovered when the reader's reasoning pins it to one value
and that value is the true one. Exit 1 with a list when anything is
recovered, else 0. Usage:

  attack.py --threshold N [--ids FILE] RUN_DIR [RUN_DIR ...]
"""
import argparse
import csv
import glob
import math
import os
import re
import subprocess
import sys
from fractions import Fraction

STANDARD = {"WRES2": "appointment", "WRES3": "disciplinary",
            "WRES4": "training", "WDES2": "appointment",
            "WDES3": "capability"}
STANDARD_GROUPING = {"WRES2": "white_bme", "WRES3": "white_bme",
                     "WRES4": "white_bme", "WDES2": "disability",
                     "WDES3": "disability"}
WHITE_CATEGORIES = {"A", "B", "C"}
INF = 10 ** 15


def number(text):
    """1,234 -> 1234; a hidden mark -> the mark; empty -> None."""
    text = text.strip()
    if not text:
        return None
    if re.fullmatch(r"[0-9][0-9,]*", text):
        return int(text.replace(",", ""))
    if re.fullmatch(r"<[0-9]+|\*|\[c\]", text):
        return text
    return None


def measure_of(indicator):
    return STANDARD.get(indicator, indicator)


class Reader:
    """What a reader knows: known counts, unknowns with bounds, sums."""

    def __init__(self, threshold):
        self.threshold = threshold
        self.known = {}          # name -> value
        self.bounds = {}         # unknown name -> [lo, hi]
        self.hidden = {}         # printed hidden name -> (run, where)
        self.marks = {}          # printed hidden name -> its mark
        self.equations = []      # (dict name -> coefficient, constant): sum == constant
        self.at_least = []       # (names, value): sum(names) >= value

    def count(self, name, value, where):
        if value is None:
            return
        if isinstance(value, int):
            self.known[name] = value
            return
        if value.startswith("<") or value == "*":
            lo, hi = 1, self.threshold - 1
        else:
            lo, hi = 0, INF
        self.hidden.setdefault(name, where)
        self.marks[name] = value
        b = self.bounds.setdefault(name, [0, INF])
        b[0], b[1] = max(b[0], lo), min(b[1], hi)

    def unknown(self, name):
        self.bounds.setdefault(name, [0, INF])

    def equal(self, total, parts):
        """total == sum(parts), names throughout."""
        terms = {}
        for p in parts:
            terms[p] = terms.get(p, 0) + 1
        terms[total] = terms.get(total, 0) - 1
        self.equations.append(terms)

    def value(self, name):
        return self.known.get(name)

    def names_in(self, terms):
        return [n for n in terms if n not in self.known]

    def propagate(self):
        """Bounds from every sum; returns True when something narrowed."""
        changed = False
        inf = math.inf
        for terms in self.equations:
            # sum(coef * v) == 0
            unknown = [(n, c) for n, c in terms.items() if n not in self.known and c]
            const = sum(c * self.known[n] for n, c in terms.items() if n in self.known)
            for n, _ in unknown:
                self.unknown(n)
            lims = []
            for n, c in unknown:
                lo, hi = self.bounds[n]
                lo = min(lo, INF)
                hi = hi if hi < INF else inf
                lims.append((c * lo, c * hi) if c > 0 else (c * hi, c * lo))
            total_lo = sum(l for l, _ in lims)
            total_hi = sum(h for _, h in lims)
            for k, (n, c) in enumerate(unknown):
                l, h = lims[k]
                # the others' sum, without this term (careful with inf)
                rest_lo = total_lo - l if l > -inf else sum(x for j, (x, _) in enumerate(lims) if j != k)
                rest_hi = total_hi - h if h < inf else sum(y for j, (_, y) in enumerate(lims) if j != k)
                # c * v = -const - rest
                a, b = -const - rest_hi, -const - rest_lo
                lo_v, hi_v = (a / c, b / c) if c > 0 else (b / c, a / c)
                bnd = self.bounds[n]
                new_lo = bnd[0] if lo_v == -inf else max(bnd[0], math.ceil(lo_v - 1e-9))
                if (math.isnan(lo_v) or math.isnan(hi_v) or lo_v == inf or
                        hi_v == -inf or lo_v > hi_v + 1e-9):
                    continue  # an assumption that does not hold here
                new_hi = bnd[1] if hi_v == inf else min(bnd[1], math.floor(hi_v + 1e-9))
                if new_lo > bnd[0] or new_hi < bnd[1]:
                    bnd[0], bnd[1] = new_lo, new_hi
                    changed = True
        for names, value in self.at_least:
            unknown = [n for n in names if n not in self.known]
            rest = value - sum(self.known[n] for n in names if n in self.known)
            for n in unknown:
                others = sum(min(self.bounds[m][1], INF) for m in unknown if m != n)
                if others < INF // 2 and rest - others > self.bounds[n][0]:
                    self.bounds[n][0] = rest - others
                    changed = True
        for n, (lo, hi) in list(self.bounds.items()):
            if n not in self.known and lo == hi:
                self.known[n] = lo
                changed = True
        return changed

    def eliminate(self):
        """Solve the sums together; returns True when a count was pinned."""
        rows = []
        for terms in self.equations:
            row = {}
            const = Fraction(0)
            for n, c in terms.items():
                if not c:
                    continue
                if n in self.known:
                    const -= c * self.known[n]
                else:
                    row[n] = Fraction(c)
            if row:
                rows.append((row, const))
        pivots = []  # (name, row, const)
        for row, const in rows:
            row = dict(row)
            for name, prow, pconst in pivots:
                f = row.get(name)
                if f:
                    for m, c in prow.items():
                        row[m] = row.get(m, 0) - f * c
                        if row[m] == 0:
                            del row[m]
                    const -= f * pconst
            if not row:
                continue
            name = min(row)
            f = row[name]
            row = {m: c / f for m, c in row.items()}
            const /= f
            # reduce earlier pivots by the new one
            new_pivots = []
            for pname, prow, pconst in pivots:
                g = prow.get(name)
                if g:
                    prow = dict(prow)
                    for m, c in row.items():
                        prow[m] = prow.get(m, 0) - g * c
                        if prow[m] == 0:
                            del prow[m]
                    pconst -= g * const
                new_pivots.append((pname, prow, pconst))
            pivots = new_pivots + [(name, row, const)]
        pinned = False
        for name, row, const in pivots:
            if len(row) == 1 and const.denominator == 1 and name not in self.known:
                self.known[name] = int(const)
                pinned = True
        return pinned

    def solve(self):
        for _ in range(200):
            a = self.propagate()
            b = self.eliminate()
            if not a and not b:
                break


def pdf_text(path):
    try:
        return subprocess.run(["pdftotext", "-layout", path, "-"], check=True,
                              capture_output=True, text=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return ""


def read_run(reader, run, folder, ratios):
    """Everything run `run`'s published outputs tell."""
    tables = os.path.join(folder, "report-tables.csv")
    rows = []
    with open(tables, newline="") as f:
        for r in csv.DictReader(f):
            rows.append(r)
    for r in rows:
        m = measure_of(r["indicator"])
        for side in ("1", "2"):
            base = (run, m, r["period"], r["stratum_kind"], r["stratum"],
                    r["grouping"], r["group" + side])
            where = (run, "report-tables.csv", r["table"], r["indicator"],
                     r["stratum"], r["group" + side])
            reader.count(base + ("n",), number(r["base" + side]), where)
            reader.count(base + ("x",), number(r["outcome" + side]), where)
        if r["ratio"] and r["ci_low"]:
            ratios.append((run, r["indicator"], r["grouping"], r["stratum_kind"],
                           r["stratum"], r["period"], r["group1"], r["group2"],
                           r["ratio"], r["ci_low"], r["ci_high"]))
    sums(reader, run, rows)
    text = pdf_text(os.path.join(folder, "board-report.pdf"))
    quality(reader, run, rows, text)
    changes = ""
    path = os.path.join(folder, "changes.txt")
    if os.path.exists(path):
        with open(path) as f:
            changes = f.read()
    # "WDES3, R0C: 1.23 (2025/26, 95% CI 0.50 to 2.90) is outside the
    # previous interval: was 1.83 (2024/25, 0.30 to 10.79)"
    for line in (changes + "\n" + text.replace("\n", " ")).split("\n"):
        for mt in re.finditer(r"(W[RD]ES\d), ([^:]+): ([0-9.]+) \(([0-9/]+), 95% CI "
                              r"([0-9.]+) to ([0-9.a-z]+)\) is outside the previous "
                              r"interval: was ([0-9.]+) \(([0-9/]+), ([0-9.]+) to "
                              r"([0-9.a-z]+)\)", line):
            ind, stratum = mt.group(1), mt.group(2).strip()
            kind = "overall" if stratum.startswith("All ") else "organisation"
            g = STANDARD_GROUPING[ind]
            ratios.append((None, ind, g, kind, stratum, mt.group(4), None, None,
                           mt.group(3), mt.group(5), mt.group(6)))
            ratios.append((None, ind, g, kind, stratum, mt.group(8), None, None,
                           mt.group(7), mt.group(9), mt.group(10)))
    # The summary: "WDES 3 ... Was 0.68 in 2024/25"
    flat = re.sub(r"\s+", " ", text)
    for mt in re.finditer(r"(W[RD]ES) (\d) \u00b7 [^.]*?\. .*?Was ([0-9.]+) in ([0-9/]+)", flat):
        ind = mt.group(1) + mt.group(2)
        ratios.append((None, ind, STANDARD_GROUPING[ind], "overall",
                       "All organisations", mt.group(4), None, None,
                       mt.group(3), None, None))
    return rows, text


def sums(reader, run, rows):
    """The sums a reader knows hold among the tables' counts."""
    by = {}
    for r in rows:
        by.setdefault((r["table"], r["indicator"], r["period"], r["grouping"],
                       r["group1"], r["group2"]), []).append(r)
    for (table, ind, period, grouping, g1, g2), rs in by.items():
        m = measure_of(ind)
        parts = [r for r in rs if "(pooled)" not in r["stratum"]
                 and r["stratum_kind"] != "overall"]
        pooled = [r for r in rs if "(pooled)" in r["stratum"]]
        overall = [r for r in rs if r["stratum_kind"] == "overall"]
        if not parts:
            continue
        for side in ("1", "2"):
            for nx in ("n", "x"):
                names = [(run, m, period, r["stratum_kind"], r["stratum"], grouping,
                          r["group" + side], nx) for r in parts]
                for p in pooled:
                    reader.equal((run, m, period, p["stratum_kind"], p["stratum"],
                                  grouping, p["group" + side], nx), names)
                if table == "by_organisation":
                    for o in overall:
                        reader.equal((run, m, period, "overall", o["stratum"],
                                      grouping, o["group" + side], nx), names)
    # Groupings of one measure, period and stratum partition everyone.
    groups = {}
    for r in rows:
        if r["stratum_kind"] != "overall" or "(pooled)" in r["stratum"]:
            continue
        key = (measure_of(r["indicator"]), r["period"], r["stratum"])
        for side in ("1", "2"):
            groups.setdefault(key, {}).setdefault(r["grouping"], set()).add(r["group" + side])
    reader.partitions = groups
    for (m, period, stratum), gs in groups.items():
        for grouping, labels in gs.items():
            if "*" in grouping:
                crossed(reader, run, m, period, stratum, grouping, labels, gs)
                continue
            if grouping == "ethnic_category":
                for total, members in (("White", [l for l in labels if l in WHITE_CATEGORIES]),
                                       ("BME", [l for l in labels if l not in WHITE_CATEGORIES])):
                    if "white_bme" in gs and members:
                        for nx in ("n", "x"):
                            reader.equal((run, m, period, "overall", stratum, "white_bme",
                                          total, nx),
                                         [(run, m, period, "overall", stratum, grouping,
                                           l, nx) for l in members])
    # Shortlisted are the appointment base.
    for r in rows:
        if r["indicator"] != "shortlisting" or r["stratum_kind"] != "overall":
            continue
        for side in ("1", "2"):
            reader.equal((run, "appointment", r["period"], "overall", r["stratum"],
                          r["grouping"], r["group" + side], "n"),
                         [(run, "shortlisting", r["period"], "overall", r["stratum"],
                           r["grouping"], r["group" + side], "x")])


def crossed(reader, run, m, period, stratum, grouping, labels, gs):
    """White F + White M = White; White F + BME F + (ethnicity not stated) = F;
    for three characteristics, every grouping of some of them likewise."""
    factors = grouping.split("*")
    for margin_grouping, margin in gs.items():
        mf = margin_grouping.split("*")
        if len(mf) >= len(factors) or not all(f in factors for f in mf):
            continue
        pos = [factors.index(f) for f in mf]
        for g in margin:
            want = g.split(" ")
            if len(want) != len(mf):
                continue
            members = [l for l in labels if len(l.split(" ")) == len(factors) and
                       all(l.split(" ")[p] == w for p, w in zip(pos, want))]
            if not members:
                continue
            for nx in ("n", "x"):
                parts = [(run, m, period, "overall", stratum, grouping, l, nx) for l in members]
                # The other factors' not-stated among the margin's group
                # are unknown; the reader assumes sex is always stated
                # (the issue's own example) but nothing else.
                if not (factors == ["white_bme", "sex"] and mf == ["white_bme"]):
                    rest = (run, m, period, stratum, grouping, g, nx, "rest")
                    reader.unknown(rest)
                    parts.append(rest)
                reader.equal((run, m, period, "overall", stratum, margin_grouping, g, nx),
                             parts)


def quality(reader, run, rows, text):
    """The quality table's excluded counts, and the partition they close."""
    # "WDES 3      3,162     [c]     1,486     [c]     96"
    cell = r"([0-9][0-9,]*|<[0-9]+|\*|\[c\])"
    for mt in re.finditer(r"^(W[RD]ES) (\d)\s+" + r"\s+".join([cell] * 5) + r"\s*$",
                          text, re.M):
        ind = mt.group(1) + mt.group(2)
        m = STANDARD[ind]
        grouping = STANDARD_GROUPING[ind]
        periods = {r["period"] for r in rows if r["indicator"] == ind}
        for period in periods:
            base = (run, m, period, "excluded")
            vals = [number(mt.group(k)) for k in range(3, 8)]
            names = [base + (grouping, "ns", "n"), base + (grouping, "ns", "x"),
                     base + ("bank", "n"), base + ("bank", "x"), base + ("woc",)]
            where = (run, "board-report.pdf", "left out", ind, "", "")
            for name, v in zip(names, vals):
                reader.count(name, v, where)
            for stratum in {r["stratum"] for r in rows
                            if r["indicator"] == ind and r["stratum_kind"] == "overall"
                            and "(pooled)" not in r["stratum"]}:
                groups = reader.partitions.get((m, period, stratum), {})
                for g, labels in groups.items():
                    if "*" in g:
                        continue
                    for k, nx in enumerate(("n", "x")):
                        total = (run, m, period, stratum, "everyone", nx)
                        reader.unknown(total)
                        parts = [(run, m, period, "overall", stratum, g, l, nx) for l in labels]
                        parts.append(names[2 + k])  # bank staff
                        if g == grouping:
                            parts.append(names[k])
                        elif g != "sex":
                            # not stated for this grouping: unknown
                            rest = (run, m, period, stratum, g, "ns", nx)
                            reader.unknown(rest)
                            parts.append(rest)
                        reader.equal(total, parts)
                # Outcomes with no contract recorded are some of the outcomes.
                two = [(run, m, period, "overall", stratum, grouping, l, "x")
                       for l in groups.get(grouping, ())]
                if two and names[4] in reader.known:
                    reader.at_least.append((two, reader.known[names[4]]))


def truth(folder):
    """True counts from the run's internal results.csv and trend.csv."""
    t = {}
    for name in ("results.csv", "trend.csv"):
        path = os.path.join(folder, name)
        if not os.path.exists(path):
            continue
        with open(path, newline="") as f:
            for r in csv.DictReader(f):
                key = (r["indicator"], r["grouping"], r["stratum_kind"], r["stratum"],
                       r["period"], r["group1"], r["group2"])
                t.setdefault(key, r)
    return t


def true_value(name, runs_truth, rows_by_run):
    """The true count behind a printed name, or None when unknown."""
    run, m, period = name[0], name[1], name[2]
    if name[3] == "excluded":
        # (run, measure, period, "excluded", grouping, "ns", n|x),
        # (..., "bank", n|x) or (..., "woc",)
        what = name[4:]
        field = ("outcome_without_contract" if what == ("woc",) else
                 ("excluded_bank_" if what[0] == "bank" else "excluded_not_stated_") +
                 ("base" if what[-1] == "n" else "outcome"))
        for key, r in runs_truth[run].items():
            if (STANDARD.get(key[0]) == m and key[2] == "overall" and key[4] == period
                    and r.get("pooled", "0") in ("0", "") and r.get(field, "") != ""):
                return int(r[field])
        return None
    kind, stratum, grouping, group, nx = name[3], name[4], name[5], name[6], name[7]
    for r in rows_by_run[run]:
        if (measure_of(r["indicator"]) != m or r["period"] != period or
                r["stratum_kind"] != kind or r["stratum"] != stratum or
                r["grouping"] != grouping):
            continue
        key = (r["indicator"], grouping, kind, stratum, period, r["group1"], r["group2"])
        t = runs_truth[run].get(key)
        if not t:
            continue
        for side in ("1", "2"):
            if r["group" + side] == group:
                return int(t[("n" if nx == "n" else "x") + side])
    return None


def ratio_attack(reader, ratios, rows_by_run, threshold):
    """Solve each printed ratio for a hidden count of its row."""
    found = []
    for (rrun, ind, grouping, kind, stratum, period, g1, g2, ratio, lo, hi) in ratios:
        for run, rows in rows_by_run.items():
            for r in rows:
                if (r["indicator"] != ind or r["stratum_kind"] != kind or
                        r["stratum"] != stratum or r["period"] != period or
                        r["grouping"] != grouping or
                        (g1 is not None and (r["group1"], r["group2"]) != (g1, g2))):
                    continue
                m = measure_of(ind)
                names = [(run, m, period, kind, stratum, grouping, r["group" + s], nx)
                         for s in ("1", "2") for nx in ("n", "x")]
                vals = [reader.known.get(n) for n in names]
                missing = [i for i, v in enumerate(vals) if v is None]
                if len(missing) != 1:
                    continue
                i = missing[0]
                lo_b, hi_b = reader.bounds.get(names[i], [0, INF])
                hi_b = min(hi_b, 100000)
                cands = []
                for v in range(lo_b, hi_b + 1):
                    trial = list(vals)
                    trial[i] = v
                    n1, x1, n2, x2 = trial
                    if not n1 or not n2 or x1 > n1 or x2 > n2 or not x2:
                        continue
                    est = (x1 / n1) / (x2 / n2)
                    if f"{est:.2f}" == ratio:
                        cands.append(v)
                if len(cands) == 1:
                    found.append((names[i], cands[0], f"ratio {ratio} ({ind} {stratum} {period})"))
    return found


def ids_in(files, ids):
    hits = []
    for path in files:
        if path.endswith(".pdf"):
            data = pdf_text(path)
        else:
            with open(path, errors="replace") as f:
                data = f.read()
        words = set(re.findall(r"[A-Za-z0-9_\-]+", data))
        for i in ids & words:
            hits.append((path, i))
    return hits


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--threshold", type=int, default=5)
    ap.add_argument("--ids", help="file of identifiers, one a line")
    ap.add_argument("--reveal-secondaries", action="store_true",
                    help="self-test: read every [c] count as if printed (the "
                         "attack must then recover a small count)")
    ap.add_argument("runs", nargs="+")
    a = ap.parse_args()
    reader = Reader(a.threshold)
    ratios, rows_by_run, truths, texts = [], {}, {}, {}
    for run, folder in enumerate(a.runs):
        rows, text = read_run(reader, run, folder, ratios)
        rows_by_run[run] = rows
        truths[run] = truth(folder)
        texts[run] = text
    if a.reveal_secondaries:
        for name, mark in list(reader.marks.items()):
            tv = true_value(name, truths, rows_by_run) if mark == "[c]" else None
            if tv is not None:
                reader.known[name] = tv
                del reader.hidden[name]
    reader.solve()
    leaks = []
    for name, where in reader.hidden.items():
        if name in reader.known:
            tv = true_value(name, truths, rows_by_run)
            if tv is not None and tv == reader.known[name]:
                leaks.append((name, tv, "sums and bounds", where))
    # A small complement (those not appointed, say) from two known counts,
    # one of them hidden: worked out only if both are right.
    for name, v in list(reader.known.items()):
        nname = name[:7] + ("n",)
        if len(name) == 8 and name[7] == "x" and nname in reader.known and (
                name in reader.hidden or nname in reader.hidden):
            n = reader.known[nname]
            if (1 <= n - v < a.threshold and
                    true_value(name, truths, rows_by_run) == v and
                    true_value(nname, truths, rows_by_run) == n):
                leaks.append((name[:7] + ("n-x",), n - v, "difference", None))
    for name, v, how in ratio_attack(reader, ratios, rows_by_run, a.threshold):
        if name in reader.hidden:
            tv = true_value(name, truths, rows_by_run)
            if tv == v:
                leaks.append((name, v, how, reader.hidden[name]))
    if a.ids:
        with open(a.ids) as f:
            ids = {l.strip() for l in f if len(l.strip()) >= 4}
        files = []
        for folder in a.runs:
            files += [os.path.join(folder, n) for n in ("board-report.pdf",
                      "board-report.html", "report-tables.csv", "changes.txt")
                      if os.path.exists(os.path.join(folder, n))]
            files += glob.glob(os.path.join(folder, "*.svg"))
        for path, i in ids_in(files, ids):
            leaks.append((("id",), i, "identifier in " + path, None))
    hidden = len(reader.hidden)
    print(f"attack: {len(a.runs)} run(s), {len(reader.known)} counts known, "
          f"{hidden} hidden, {len(reader.equations)} sums, {len(ratios)} ratios read")
    for name, v, how, where in leaks:
        print(f"RECOVERED {'|'.join(map(str, name))} = {v} by {how}")
    return 1 if leaks else 0


if __name__ == "__main__":
    sys.exit(main())
