#!/usr/bin/env python3
"""Independent reference for parity_ratio_adjusted (test_stats_poisson.c):
Zou's modified Poisson regression (Am J Epidemiol 2004;159:702) solved on
PERSON-LEVEL data, expanded from the cells, with the HC0 sandwich variance
summed person by person, in pure python (no numpy).

Each cell is (group1, level_1, ..., level_k, x, n): x people with y = 1 and
n - x with y = 0. The design is intercept, group 1, and a dummy for each
non-reference level (level 0 is the reference) of each covariate.
Newton's method on the Poisson log-likelihood (with step halving), then
V = A^-1 B A^-1 with A = sum mu_i X_i X_i', B = sum (y_i - mu_i)^2 X_i X_i'.

Usage: ref_poisson.py LEVELS CELL ...   LEVELS like 3,2 (levels per
covariate, '' for none); CELL like 1,0,1,12,40 (group1, levels..., x, n).
"""
import sys
from math import erfc, exp, log, sqrt

Z95 = 1.959963984540054


def solve(a, b):
    """Gauss-Jordan with partial pivoting: a x = b."""
    n = len(b)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for c in range(n):
        piv = max(range(c, n), key=lambda r: abs(m[r][c]))
        m[c], m[piv] = m[piv], m[c]
        for r in range(n):
            if r != c:
                f = m[r][c] / m[c][c]
                for k in range(c, n + 1):
                    m[r][k] -= f * m[c][k]
    return [m[i][n] / m[i][i] for i in range(n)]


def inverse(a):
    n = len(a)
    cols = [solve(a, [1.0 if i == j else 0.0 for i in range(n)]) for j in range(n)]
    return [[cols[j][i] for j in range(n)] for i in range(n)]


def people(levels, cells):
    """Expand cells to (X, y) per person."""
    out = []
    for cell in cells:
        group1, lv, x, n = cell[0], cell[1:-2], cell[-2], cell[-1]
        row = [1.0, float(group1)]
        for k, count in enumerate(levels):
            row += [1.0 if lv[k] == l else 0.0 for l in range(1, count)]
        out += [(row, 1.0)] * x + [(row, 0.0)] * (n - x)
    return out


def fit(levels, cells):
    data = people(levels, cells)
    p = len(data[0][0])
    beta = [0.0] * p
    beta[0] = log(sum(y for _, y in data) / len(data))

    def loglik(b):
        return sum(y * sum(xi * bi for xi, bi in zip(x, b)) -
                   exp(sum(xi * bi for xi, bi in zip(x, b))) for x, y in data)

    current = loglik(beta)
    for _ in range(200):
        u = [0.0] * p
        a = [[0.0] * p for _ in range(p)]
        for x, y in data:
            mu = exp(sum(xi * bi for xi, bi in zip(x, beta)))
            for i in range(p):
                u[i] += x[i] * (y - mu)
                for j in range(p):
                    a[i][j] += mu * x[i] * x[j]
        step = solve(a, u)
        scale = 1.0
        while True:
            trial = [b + scale * s for b, s in zip(beta, step)]
            nxt = loglik(trial)
            if nxt >= current - 1e-12 * abs(current) or scale < 1e-12:
                break
            scale /= 2
        moved = max(abs(t - b) for t, b in zip(trial, beta))
        beta, current = trial, nxt
        if moved < 1e-12:
            break
    a = [[0.0] * p for _ in range(p)]
    b = [[0.0] * p for _ in range(p)]
    for x, y in data:
        mu = exp(sum(xi * bi for xi, bi in zip(x, beta)))
        for i in range(p):
            for j in range(p):
                a[i][j] += mu * x[i] * x[j]
                b[i][j] += (y - mu) ** 2 * x[i] * x[j]
    ai = inverse(a)
    v = [[sum(ai[i][k] * b[k][l] * ai[l][j] for k in range(p) for l in range(p))
          for j in range(p)] for i in range(p)]
    se = sqrt(v[1][1])
    return {'ratio': exp(beta[1]), 'log_se': se,
            'ci_low': exp(beta[1] - Z95 * se), 'ci_high': exp(beta[1] + Z95 * se),
            'p': erfc(abs(beta[1] / se) / sqrt(2))}


if __name__ == '__main__':
    levels = [int(v) for v in sys.argv[1].split(',') if v]
    cells = [tuple(int(v) for v in c.split(',')) for c in sys.argv[2:]]
    for key, value in fit(levels, cells).items():
        print(key, repr(value))
