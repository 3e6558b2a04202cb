#!/usr/bin/env bash
# schemas.sh: every JSON output parity writes is valid against its schema in
# docs/schema (tests/docs/schemas.py): results, trend, cohorts and programme
# from the demo and from an analysis with --adjust, --intersect and exact funnel
# limits; quality, history, ratio and pool from their --json. Then the
# schemas must refuse outputs broken on purpose, so the check can fail.
source "$(dirname "$0")/../e2e/lib.sh"
VALIDATE=(python3 "$SRC/tests/docs/schemas.py" "$SRC/docs/schema")

do_cmd_test 1 0 "board report" "$PARITY" demo --out demo
do_cmd_test 2 0 "results:" "$PARITY" analyse --db demo/parity.db --out adj --period 2024/25 \
    --adjust pay_band,sex --intersect ethnic_category,sex --funnel-limits exact \
    --cohorts "$SRC/sample-data/cohorts.csv"
"$PARITY" quality --db demo/parity.db --json > quality.json
"$PARITY" history --db demo/parity.db --json > history.jsonl
"$PARITY" ratio 27 39 7 21 --json > ratio.json          # DOMAIN.md section 5
"$PARITY" ratio 3 4 0 2 --json > ratio-inf.json         # x2 = 0: an infinite ratio
printf 'stratum,x1,n1,x2,n2\nSmokers,647,1269,2,29\nNon-smokers,41,69,19,51\n' > doll_hill.csv
printf 'stratum,x1,n1,x2,n2\nA,0,10,0,12\nB,3,4,0,2\n' > zeros.csv
"$PARITY" pool doll_hill.csv --json > pool.json
"$PARITY" pool zeros.csv --json > pool-zeros.json

# 3: the branches a schema must cover are in these files.
check 3 "the analysis holds adjusted, funnel, Kline and random-effects rows" python3 -c '
import json, sys
rows = json.load(open("adj/results.json"))["rows"]
need = ["adjusted", "funnel", "funnel_fit", "kline", "random_effects", "pool", "shrunk_ratio"]
sys.exit(0 if all(any(k in r for r in rows) for k in need) else 1)'

do_cmd_test 4 0 "valid against results.schema.json" "${VALIDATE[@]}" \
    results=demo/results.json trend=demo/trend.json cohorts=demo/cohorts.json \
    programme=demo/programme.json \
    results=adj/results.json trend=adj/trend.json cohorts=adj/cohorts.json \
    quality=quality.json history=history.jsonl ratio=ratio.json ratio=ratio-inf.json \
    pool=pool.json pool=pool-zeros.json
check 5 "all thirteen documents validated" test "$(grep -c '^ok ' out.4)" -eq 13

# Outputs broken on purpose: each must be refused, naming the place.
mutate() {  # mutate IN OUT PYTHON-STATEMENT-ON-d
    python3 -c "import json,sys; d=json.load(open(sys.argv[1])); $3; json.dump(d, open(sys.argv[2], 'w'))" "$1" "$2"
}
mutate demo/results.json bad1.json 'd["rows"][0]["ratio_pct"] = 140'
do_cmd_test 6 1 "rows/0: Additional properties" "${VALIDATE[@]}" results=bad1.json
mutate ratio.json bad2.json 'd["ratio"] = "2.08"'
do_cmd_test 7 1 "ratio:" "${VALIDATE[@]}" ratio=bad2.json
mutate quality.json bad3.json 'd["all"]["characteristics"][0]["share_not_stated"] = 4.1'
do_cmd_test 8 1 "share_not_stated" "${VALIDATE[@]}" quality=bad3.json
mutate demo/results.json bad4.json 'next(r for r in d["rows"] if r["pooled"]).pop("pool")'
do_cmd_test 9 1 "'pool' is a required property" "${VALIDATE[@]}" results=bad4.json
mutate demo/cohorts.json bad5.json 'd["results"][0]["verdict"] = "better"'
do_cmd_test 10 1 "verdict" "${VALIDATE[@]}" cohorts=bad5.json
mutate demo/results.json bad6.json 'd["publication"] = "public"'
do_cmd_test 11 1 "publication" "${VALIDATE[@]}" results=bad6.json
mutate demo/programme.json bad7.json 'd["terms"][0]["term"] = "event:soon"'
do_cmd_test 12 1 "terms/0/term" "${VALIDATE[@]}" programme=bad7.json
# A term's publication is the gate's decision, one of four.
mutate demo/programme.json bad8.json 'd["terms"][0]["publication"] = "internal; shown"'
do_cmd_test 13 1 "terms/0/publication" "${VALIDATE[@]}" programme=bad8.json

finish
