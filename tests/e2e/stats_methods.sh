#!/usr/bin/env bash
# stats_methods.sh: the research methods on the sample data, each checked
# against an independent reference written in python from the formulas:
#   1.x  funnel limits: --funnel-limits exact and byar give, for every WRES3
#        organisation, the limits tests/engine/ref_funnel.py computes from
#        the row's counts and the pooled target (exact binomial sums in
#        fractions; Byar's formulas), and the outside flags that follow.
#   2.x  random effects across organisations: each standard indicator's
#        pooled organisation row (re_ratio, re_low, re_high, tau2, pi_low,
#        pi_high) and each organisation's shrunk_ratio against
#        tests/engine/ref_random.py on the organisations' counts.
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
    grep -q ',lognormal,' plain/results.csv

random_check() { # DIR: every indicator whose organisations all have cases
    python3 - "$1" "$REF" <<'PY'
import csv, sys
sys.path.insert(0, sys.argv[2])
import ref_random
rows = list(csv.DictReader(open(sys.argv[1] + '/results.csv')))
checked = 0
for ind in ('WRES2', 'WRES3', 'WRES4', 'WDES2', 'WDES3'):
    orgs = [r for r in rows if r['indicator'] == ind and r['pooled'] == '0'
            and r['stratum_kind'] == 'organisation']
    counts = [tuple(int(r[k]) for k in ('x1', 'n1', 'x2', 'n2')) for r in orgs]
    if len(counts) < 3 or any(c[0] == 0 or c[2] == 0 or c[0] == c[1] for c in counts):
        continue  # the reference takes Katz's form only
    pooled = [r for r in rows if r['indicator'] == ind and r['pooled'] == '1'
              and r['stratum_kind'] == 'organisation'][0]
    want = ref_random.random_effects(counts)
    close = lambda got, exp: abs(float(got) - exp) <= 1e-8 * max(1.0, abs(exp))
    for col, key in (('re_ratio', 'ratio'), ('re_low', 'ci_low'), ('re_high', 'ci_high'),
                     ('tau2', 'tau2'), ('pi_low', 'pi_low'), ('pi_high', 'pi_high')):
        assert close(pooled[col], want[key]), (ind, col, pooled[col], want[key])
    assert pooled['re_units'] == str(len(counts))
    for r, s in zip(orgs, want['shrunk']):
        assert close(r['shrunk_ratio'], s), (ind, r['stratum'], r['shrunk_ratio'], s)
        assert r['ratio'] != r['shrunk_ratio']  # beside the raw ratio, not instead
    checked += 1
assert checked >= 2, checked
PY
}
check 2.1 "random effects match the reference" random_check plain

finish
