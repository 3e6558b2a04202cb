#!/usr/bin/env python3
"""xlsx_openpyxl.py: open a return workbook with openpyxl (Debian's
python3-openpyxl, a spreadsheet library that is not libxlsxwriter) and check
that it reads what xlsx_check.py's own reading (zipfile + xml.etree, which
xlsx_check.py compares with return.csv) reads: every cell the same, numbers
as numbers; every sheet protected; the Narrative sheet's cells for the lead
unlocked and nothing else.

usage: xlsx_openpyxl.py WORKBOOK
"""
import importlib.util
import os
import sys

import openpyxl

spec = importlib.util.spec_from_file_location(
    "xlsx_check_reader", os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                      "xlsx_check.py"))
source = open(spec.origin).read().replace("\nsys.exit(main())\n", "\n")
reader = {}
exec(compile(source, spec.origin, "exec"), reader)


def main():
    path = sys.argv[1]
    ours = reader["read_book"](path)
    book = openpyxl.load_workbook(path)
    bad, numbers = [], 0
    if set(book.sheetnames) != set(ours):
        bad.append("sheets differ: %s / %s" % (book.sheetnames, sorted(ours)))
    for ws in book.worksheets:
        if not ws.protection.sheet:
            bad.append("%s: not protected" % ws.title)
        cells = ours.get(ws.title, {})
        for row in ws.iter_rows():
            for c in row:
                lead = ws.title == "Narrative" and c.row >= 4 and 2 <= c.column <= 5
                if c.value is None:
                    if lead and c.protection.locked:
                        bad.append("%s!%s: locked" % (ws.title, c.coordinate))
                    continue
                if c.protection.locked == lead:
                    bad.append("%s!%s: %s" % (ws.title, c.coordinate,
                                              "locked" if c.protection.locked else "unlocked"))
                want = cells.get((c.row, c.column))
                if isinstance(c.value, (int, float)) and not isinstance(c.value, bool):
                    numbers += 1
                    if want is None or want[0] != "number" or abs(want[1] - c.value) > 1e-9:
                        bad.append("%s!%s: openpyxl reads %r, the XML %r" % (
                            ws.title, c.coordinate, c.value, want))
                elif want is None or want[0] != "text" or want[1] != c.value:
                    bad.append("%s!%s: openpyxl reads %r, the XML %r" % (
                        ws.title, c.coordinate, c.value, want))
    print("openpyxl %s: %d sheets, %d numeric cells" % (openpyxl.__version__,
                                                       len(book.worksheets), numbers))
    print("\n".join(bad[:15]))
    return 1 if bad or numbers < 50 else 0


sys.exit(main())
