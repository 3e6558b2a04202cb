#!/usr/bin/env python3
"""xlsx_check.py: read a return workbook back with the Python standard
library only (zipfile + xml.etree; not libxlsxwriter, which wrote it) and
check every figure of return.csv against it: a number in return.csv must be
a numeric cell of the same value (to the CSV's 4 decimals), a hidden count
the same mark as text.

usage: xlsx_check.py WORKBOOK RETURN_CSV STANDARD
"""
import csv
import re
import sys
import zipfile
import xml.etree.ElementTree as ET

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
      "p": "http://schemas.openxmlformats.org/package/2006/relationships"}


def read_book(path):
    z = zipfile.ZipFile(path)
    shared = []
    if "xl/sharedStrings.xml" in z.namelist():
        for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", NS):
            shared.append("".join(t.text or "" for t in si.iter("{%s}t" % NS["m"])))
    rels = {r.get("Id"): r.get("Target") for r in
            ET.fromstring(z.read("xl/_rels/workbook.xml.rels")).findall("p:Relationship", NS)}
    sheets = {}
    for s in ET.fromstring(z.read("xl/workbook.xml")).find("m:sheets", NS):
        target = rels[s.get("{%s}id" % NS["r"])]
        cells = {}
        for c in ET.fromstring(z.read("xl/" + target.lstrip("/").replace("xl/", ""))).iter("{%s}c" % NS["m"]):
            m = re.match(r"([A-Z]+)(\d+)$", c.get("r"))
            col = 0
            for ch in m.group(1):
                col = col * 26 + ord(ch) - 64
            key = (int(m.group(2)), col)
            t = c.get("t", "n")
            v = c.find("m:v", NS)
            if v is None:
                continue
            if t == "s":
                cells[key] = ("text", shared[int(v.text)])
            elif t in ("str", "inlineStr"):
                cells[key] = ("text", v.text)
            else:
                cells[key] = ("number", float(v.text))
        sheets[s.get("name")] = cells
    return sheets


def protection(path):
    """Every sheet protected; the Narrative sheet's cells for the lead (rows
    4 on, columns B to E) unlocked, every figure elsewhere locked."""
    bad = []
    z = zipfile.ZipFile(path)
    styles = ET.fromstring(z.read("xl/styles.xml"))
    unlocked = []
    for xf in styles.find("m:cellXfs", NS).findall("m:xf", NS):
        p = xf.find("m:protection", NS)
        unlocked.append(p is not None and p.get("locked") == "0")
    rels = {r.get("Id"): r.get("Target") for r in
            ET.fromstring(z.read("xl/_rels/workbook.xml.rels")).findall("p:Relationship", NS)}
    for s in ET.fromstring(z.read("xl/workbook.xml")).find("m:sheets", NS):
        name = s.get("name")
        target = rels[s.get("{%s}id" % NS["r"])]
        root = ET.fromstring(z.read("xl/" + target.lstrip("/").replace("xl/", "")))
        prot = root.find("m:sheetProtection", NS)
        if prot is None or prot.get("sheet") not in ("1", "true"):
            bad.append("sheet %r is not protected" % name)
        open_cells = 0
        for c in root.iter("{%s}c" % NS["m"]):
            m = re.match(r"([A-Z]+)(\d+)$", c.get("r"))
            free = unlocked[int(c.get("s", "0"))]
            lead = name == "Narrative" and int(m.group(2)) >= 4 and m.group(1) in "BCDE"
            if free != lead:
                bad.append("sheet %r cell %s is %s" % (name, c.get("r"),
                                                      "unlocked" if free else "locked"))
            open_cells += free
        if name == "Narrative" and open_cells < 4 * 9:
            bad.append("Narrative: %d cells for the lead" % open_cells)
    return bad


def rows_of(cells):
    by_row = {}
    for (r, c), v in cells.items():
        by_row.setdefault(r, {})[c] = v
    return by_row


def find(sheet, keys):
    """The row whose first columns hold the texts `keys`, and the header row."""
    rows = rows_of(sheet)
    header = next(r for r in sorted(rows) if rows[r].get(1) in (("text", "Organisation"), ("text", "Indicator")))
    for r in sorted(rows):
        if r <= header:
            continue
        if all(rows[r].get(i + 1, (None, None))[1] == k for i, k in enumerate(keys)):
            return rows[r], {v[1]: c for c, v in rows[header].items()}
    return None, None


def main():
    book, ret, standard = sys.argv[1:4]
    sheets = read_book(book)
    wdes = standard == "WDES"
    board_sheet = "10 Board" if wdes else "9 Board"
    ratio_sheet = "2-3 Likelihoods" if wdes else "2-4 Likelihoods"
    survey_sheet = "4-9 Staff Survey" if wdes else "5-8 Staff Survey"
    sides = ["non-clinical ", "clinical ", "staff group not recorded "]
    bad, checked, numeric = [], 0, 0

    def same(cell, text, what):
        nonlocal checked, numeric
        if text == "":
            return
        checked += 1
        if re.fullmatch(r"-?\d+(\.\d+)?", text):
            numeric += 1
            if cell is None or cell[0] != "number":
                bad.append("%s: %s is not a numeric cell (%r)" % (what, text, cell))
            elif abs(cell[1] - float(text)) > 0.00005 * max(1.0, abs(float(text))):
                bad.append("%s: cell %r, return.csv %s" % (what, cell[1], text))
        elif cell != ("text", text):
            bad.append("%s: cell %r, return.csv %r" % (what, cell, text))

    for r in csv.DictReader(open(ret)):
        if r["standard"] != standard:
            continue
        ind, org, group = r["indicator"], r["organisation"], r["group"]
        num = ind.split()[0]
        what = "%s %s %s %s" % (standard, ind, org, group)
        if num == "1":
            rest = ind[2:]
            side, level = "workforce", "all staff"
            for s in sides:
                if rest.startswith(s):
                    side, level = s.strip(), rest[len(s):]
            row, cols = find(sheets["1 Workforce"], [org, side, level])
        elif ind.startswith("model employer "):
            rest = ind[len("model employer "):]
            for word, col in (("shortfall ", "Shortfall"), ("appointments a year ", "Appointments")):
                if rest.startswith(word):
                    row, cols = find(sheets["Model Employer"], [org, rest[len(word):]])
                    if row is None:
                        bad.append("%s: no row" % what)
                        break
                    head = next(h for h in cols if h.startswith(col))
                    same(row.get(cols[head]), r["value"], what + " value")
                    break
            else:
                row, cols = find(sheets["Model Employer"], [org, rest])
                if row is None:
                    bad.append("%s: no row" % what)
                    continue
                same(row.get(cols["BME"]), r["numerator"], what + " numerator")
                same(row.get(cols["Total"]), r["denominator"], what + " denominator")
                same(row.get(cols["BME %"]), r["value"], what + " value")
            continue
        elif num in ("9", "10"):
            row, cols = find(sheets[board_sheet], [org, ind[len(num) + 1:]])
        elif num not in ("2", "3", "4"):  # the Staff Survey's figures
            row, cols = find(sheets[survey_sheet], [org, ind, group])
            if row is None:
                bad.append("%s: no row" % what)
                continue
            same(row.get(cols["Positive"]), r["numerator"], what + " positive")
            same(row.get(cols["Respondents"]), r["denominator"], what + " respondents")
            same(row.get(cols["Value"]), r["value"], what + " value")
            same(row.get(cols["95% CI low"]), r["ci_low"], what + " ci_low")
            same(row.get(cols["95% CI high"]), r["ci_high"], what + " ci_high")
            continue
        else:
            row, cols = find(sheets[ratio_sheet], [standard + num, org])
            if row is None:
                bad.append("%s: no row" % what)
                continue
            if "relative likelihood" in ind:
                same(row.get(cols["Relative likelihood"]), r["value"], what + " ratio")
                same(row.get(cols["95% CI low"]), r["ci_low"], what + " ci_low")
                same(row.get(cols["95% CI high"]), r["ci_high"], what + " ci_high")
                continue
            k = "1" if row.get(cols["Group 1"]) == ("text", group) else "2"
            same(row.get(cols["Outcome " + k]), r["numerator"], what + " numerator")
            same(row.get(cols["Base " + k]), r["denominator"], what + " denominator")
            same(row.get(cols["Rate %s %%" % k]), r["value"], what + " value")
            continue
        if row is None:
            bad.append("%s: no row" % what)
            continue
        same(row.get(cols[group]), r["numerator"], what + " numerator")
        same(row.get(cols["Total"]), r["denominator"], what + " denominator")
        same(row.get(cols[group + " %"]), r["value"], what + " value")
    for name in ("Summary", "Definitions and data quality", "Narrative"):
        if name not in sheets:
            bad.append("sheet %r missing" % name)
    bad += protection(book)
    print("%d figures compared (%d numeric)" % (checked, numeric))
    print("\n".join(bad[:15]))
    return 1 if bad or numeric < 50 else 0


sys.exit(main())
