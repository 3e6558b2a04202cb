#!/usr/bin/env python3
"""Independent reference for the exact and Byar funnel limits (test_stats_pool.c,
tests/e2e/stats_methods.sh), written from Spiegelhalter (Stat Med 2005;24:1185,
appendix) and Byar's formulas, not from parity's code.

Exact: given the unit's m = x1 + x2 cases, x1 ~ Binomial(m, pi0) with
pi0 = theta n1 / (theta n1 + n2); each limit is the p-quantile r with
Spiegelhalter's interpolation r - (F(r) - p) / (F(r) - F(r - 1)), summed in
exact fractions, as a ratio y n2 / ((m - y) n1) (not clamped at 0 here).
Byar: E = theta n1 x2 / n2; O_low = E (1 - 1/(9E) - z/(3 sqrt E))^3,
O_high = (E + 1)(1 - 1/(9(E + 1)) + z/(3 sqrt(E + 1)))^3; ratio theta O / E.

Usage: ref_funnel.py X1 N1 X2 N2 THETA   (THETA may be a fraction: 3/2)
"""
import sys
from fractions import Fraction
from math import comb, sqrt
from statistics import NormalDist


def cdf(r, m, pi):
    if r < 0:
        return Fraction(0)
    return sum(Fraction(comb(m, k)) * pi ** k * (1 - pi) ** (m - k) for k in range(r + 1))


def quantile(p, m, pi):
    p = Fraction(p)
    for r in range(m + 1):
        at = cdf(r, m, pi)
        if at >= p:
            return r - (at - p) / (at - cdf(r - 1, m, pi))
    return Fraction(m)


def as_ratio(y, m, n1, n2):
    return float(y * n2 / ((m - y) * n1)) if y < m else float('inf')


def exact(x1, n1, x2, n2, theta, level):
    theta, level = Fraction(theta), Fraction(level)
    m = x1 + x2
    pi = theta * n1 / (theta * n1 + n2)
    return (as_ratio(quantile((1 - level) / 2, m, pi), m, n1, n2),
            as_ratio(quantile((1 + level) / 2, m, pi), m, n1, n2))


def byar(x1, n1, x2, n2, theta, level):
    theta = float(Fraction(theta))
    e = theta * n1 * x2 / n2
    z = NormalDist().inv_cdf(0.5 + float(level) / 2)
    low = e * (1 - 1 / (9 * e) - z / (3 * sqrt(e))) ** 3
    high = (e + 1) * (1 - 1 / (9 * (e + 1)) + z / (3 * sqrt(e + 1))) ** 3
    return theta * low / e, theta * high / e


if __name__ == '__main__':
    x1, n1, x2, n2 = map(int, sys.argv[1:5])
    theta = Fraction(sys.argv[5])
    for level in ('0.95', '0.998'):
        print('exact', level, *map(repr, exact(x1, n1, x2, n2, theta, Fraction(level))))
        print('byar', level, *map(repr, byar(x1, n1, x2, n2, theta, Fraction(level))))
    print('observed', x1 * n2 / (n1 * x2) if x2 else float('inf'))
