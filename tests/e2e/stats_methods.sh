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
#   3.x  adjusted ratios: WRES 2 adjusted for sex and pay band against
#        tests/engine/ref_poisson.py (person-level modified Poisson with the
#        HC0 sandwich) on people read from sample-data/recruitment.csv here
#        (shortlisted in 2025/26; White = A, B, C; BME = other stated codes).
#        The group's coefficient does not depend on which level is the
#        reference; a level in which no one was appointed is left out in
#        both (its coefficient would be -infinity).
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

do_cmd_test 3.1 0 "run id" "$PARITY" analyse --db s.db --out adj --no-trend \
    --adjust sex,pay_band
do_cmd_test 3.2 64 'unknown characteristic "shoe_size"' "$PARITY" analyse --db s.db \
    --out x --adjust sex,shoe_size
adjusted_check() {
    python3 - "$S/recruitment.csv" adj/results.csv "$REF" <<'PY'
import csv, sys
sys.path.insert(0, sys.argv[3])
import ref_poisson
cells = {}
for r in csv.DictReader(open(sys.argv[1])):
    if not ('2025-04-01' <= r['date'] <= '2026-03-31') or r['shortlisted'] != 'Y':
        continue
    e = r['ethnic_category']
    if e in ('Z', '99', 'X', ''):
        continue
    key = (1 if e[0] in 'ABC' else 0, r['sex'], r['pay_band'])
    x, n = cells.get(key, (0, 0))
    cells[key] = (x + (r['appointed'] == 'Y'), n + 1)
sexes = sorted({k[1] for k in cells})
bands = sorted({k[2] for k in cells})
reached = lambda i, v: sum(x for k, (x, n) in cells.items() if k[i] == v)
sexes = [v for v in sexes if reached(1, v)]
bands = [v for v in bands if reached(2, v)]
rows = [(k[0], sexes.index(k[1]), bands.index(k[2]), x, n) for k, (x, n) in cells.items()
        if k[1] in sexes and k[2] in bands]
want = ref_poisson.fit([len(sexes), len(bands)], rows)
got = [r for r in csv.DictReader(open(sys.argv[2]))
       if r['indicator'] == 'WRES2' and r['stratum_kind'] == 'overall'][0]
assert got['adj_covariates'] == 'sex;pay_band', got['adj_covariates']
assert got['adj_converged'] == '1'
for col, key in (('adj_ratio', 'ratio'), ('adj_low', 'ci_low'), ('adj_high', 'ci_high'),
                 ('adj_log_se', 'log_se'), ('adj_p', 'p')):
    assert abs(float(got[col]) - want[key]) <= 1e-7 * abs(want[key]), (col, got[col], want[key])
assert got['ratio'] != got['adj_ratio']  # crude and adjusted side by side
PY
}
check 3.3 "WRES2 adjusted for sex and pay band matches the reference" adjusted_check

finish
