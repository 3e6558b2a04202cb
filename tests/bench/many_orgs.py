#!/usr/bin/env python3
"""many_orgs.py N DIR: a synthetic national return of N organisations, as
tests/e2e/return_disclosure.sh makes 25 of them: 100 staff (workforce
snapshot 2026-03-31) and 10 board members each, 40% of staff with a
training record; DIR/workforce.csv, DIR/board.csv, DIR/training.csv.
The same bytes for the same N (seed 7)."""
import random
import sys

n, out = int(sys.argv[1]), sys.argv[2]
random.seed(7)
eth = "AAAAAABCDHJKMNRSZ"
bands = ["2", "3", "4", "5", "6", "7", "8a", "8b", "8c", "8d", "9", "VSM", "Medical"]
weights = [10, 14, 10, 16, 14, 10, 5, 3, 2, 1, 1, 1, 8]
groups = ["Administrative and Clerical", "Estates and Ancillary",
          "Nursing and Midwifery Registered", "Allied Health Professionals",
          "Additional Clinical Services", "Healthcare Scientists"]
with open(out + "/workforce.csv", "w") as w, open(out + "/board.csv", "w") as b, \
        open(out + "/training.csv", "w") as t:
    w.write("staff_id,organisation,snapshot_date,ethnic_category,sex,disability,"
            "age_band,pay_band,staff_group,contract\n")
    b.write("member_id,organisation,date,ethnic_category,sex,disability,voting,executive\n")
    t.write("staff_id,organisation,date,ethnic_category,sex,disability,age_band,"
            "pay_band,staff_group\n")
    sid = 0
    for o in range(n):
        org = "X%04d" % o
        for k in range(100):
            sid += 1
            band = random.choices(bands, weights)[0]
            sg = "Medical and Dental" if band == "Medical" else random.choice(groups)
            row = ("S%07d" % sid, org, "2026-03-31", random.choice(eth), random.choice("FM"),
                   random.choice("NNNNNNNNYZ"), "35-44", band, sg)
            w.write(",".join(row) + ",Permanent\n")
            if random.random() < 0.4:
                t.write(",".join((row[0], org, "2025-10-01") + row[3:]) + "\n")
        for m in range(10):
            b.write("B%04d%02d,%s,2026-03-31,%s,F,%s,%s,%s\n" % (
                o, m, org, random.choice(eth), random.choice("NNNNY"),
                "Y" if m < 7 else "N", "Y" if m % 2 else "N"))
