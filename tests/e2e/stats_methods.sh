#!/usr/bin/env bash
# stats_methods.sh: the research methods on the sample data, each checked
# against an independent reference written in python from the formulas:
#   1.x  funnel limits: --funnel-limits exact and byar give, for every WRES3
#        organisation, the limits tests/engine/ref_funnel.py computes from
#        the row's counts and the pooled target (exact binomial sums in
#        fractions; Byar's formulas), and the outside flags that follow.
source "$(dirname "$0")/lib.sh"
S=$SRC/sample-data
REF=$SRC/tests/engine

for kind in recruitment workforce disciplinary training; do
    do_cmd_test "0.$kind" 0 "stored" \
        "$PARITY" ingest --db s.db --kind "$kind" --rejects-dir rej "$S/$kind.csv"
done

do_cmd_test 1.1 0 "run id" "$PARITY" analyse --db s.db --out exact --no-trend \
    --no-comparisons --funnel-limits exact
do_cmd_test 1.2 0 "run id" "$PARITY" analyse --db s.db --out byar --no-trend \
    --no-comparisons --funnel-limits byar
do_cmd_test 1.3 0 "run id" "$PARITY" analyse --db s.db --out plain --no-trend \
    --no-comparisons
do_cmd_test 1.4 64 "--funnel-limits 'poisson'" "$PARITY" analyse --db s.db --out x \
    --funnel-limits poisson
do_cmd_test 1.5 64 "over-dispersion" "$PARITY" analyse --db s.db --out x \
    --funnel-limits byar --funnel-adjust additive

funnel_check() { # DIR METHOD: every WRES3 organisation against the reference
    python3 - "$1" "$2" "$REF" <<'PY'
import csv, math, sys
sys.path.insert(0, sys.argv[3])
import ref_funnel
rows = list(csv.DictReader(open(sys.argv[1] + '/results.csv')))
method = sys.argv[2]
target = [r for r in rows if r['indicator'] == 'WRES3' and r['pooled'] == '1'
          and r['stratum_kind'] == 'organisation'][0]['funnel_target']
orgs = [r for r in rows if r['indicator'] == 'WRES3' and r['pooled'] == '0'
        and r['stratum_kind'] == 'organisation']
assert len(orgs) >= 3, 'too few organisations'
for r in orgs:
    x1, n1, x2, n2 = (int(r[k]) for k in ('x1', 'n1', 'x2', 'n2'))
    assert r['funnel_limits'] == method, r['funnel_limits']
    observed = x1 * n2 / (n1 * x2) if x2 else math.inf
    for level, low_col, high_col, out_col in (
            ('0.95', 'funnel_low95', 'funnel_high95', 'funnel_outside95'),
            ('0.998', 'funnel_low998', 'funnel_high998', 'funnel_outside998')):
        f = ref_funnel.exact if method == 'exact' else ref_funnel.byar
        low, high = f(x1, n1, x2, n2, target, level)
        low = max(low, 0.0)
        got_low, got_high = float(r[low_col]), float(r[high_col])
        assert abs(got_low - low) <= 1e-8 * max(1.0, low), (r['stratum'], level, got_low, low)
        assert abs(got_high - high) <= 1e-8 * high, (r['stratum'], level, got_high, high)
        want = -1 if observed < low else (1 if observed > high else 0)
        assert int(r[out_col]) == want, (r['stratum'], level, r[out_col], want)
PY
}
check 1.6 "exact limits match the reference" funnel_check exact exact
check 1.7 "Byar limits match the reference" funnel_check byar byar
check 1.8 "log-normal by default" \
    grep -q ',lognormal$' plain/results.csv

finish
