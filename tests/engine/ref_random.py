#!/usr/bin/env python3
"""Independent reference for parity_pool_random (test_stats_pool.c), written from
the papers with the standard library only:
  DerSimonian R, Laird N. Control Clin Trials 1986;7:177 (tau^2);
  Hartung J, Knapp G. Stat Med 2001;20:3875; Sidik K, Jonkman JN. Stat Med
  2002;21:3153 (interval: t with k - 1 df on the weighted residual variance);
  Higgins JPT, Thompson SG, Spiegelhalter DJ. J R Stat Soc A 2009;172:137
  (prediction interval: t with k - 2 df, sqrt(tau^2 + SE^2));
  empirical Bayes shrinkage: mu + tau^2 / (tau^2 + v_i) (y_i - mu).
Each unit's log ratio and variance are Katz's: ln((x1/n1)/(x2/n2)) and
1/x1 - 1/n1 + 1/x2 - 1/n2 (metafor's escalc(measure="RR") for counts > 0).
The t quantile comes from the regularised incomplete beta function
(continued fraction, Numerical Recipes' betacf) and bisection.

Usage: ref_random.py X1,N1,X2,N2 ...   (one argument per unit)
"""
import sys
from math import exp, lgamma, log, sqrt

LEVEL = 0.95


def betacf(a, b, x):
    tiny, qab, qap, qam = 1e-300, a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 10000):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-16:
            break
    return h


def betai(a, b, x):
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    bt = exp(lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log(1.0 - x))
    if x < (a + 1.0) / (a + b + 2.0):
        return bt * betacf(a, b, x) / a
    return 1.0 - bt * betacf(b, a, 1.0 - x) / b


def t_cdf(t, df):
    tail = 0.5 * betai(df / 2.0, 0.5, df / (df + t * t))
    return 1.0 - tail if t > 0 else tail


def t_quantile(p, df):
    lo, hi = 0.0, 1e4
    for _ in range(300):
        mid = (lo + hi) / 2
        if t_cdf(mid, df) < p:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def random_effects(units):
    y = [log((x1 / n1) / (x2 / n2)) for x1, n1, x2, n2 in units]
    v = [1 / x1 - 1 / n1 + 1 / x2 - 1 / n2 for x1, n1, x2, n2 in units]
    k = len(y)
    w = [1 / vi for vi in v]
    sw = sum(w)
    fixed = sum(wi * yi for wi, yi in zip(w, y)) / sw
    q = sum(wi * (yi - fixed) ** 2 for wi, yi in zip(w, y))
    c = sw - sum(wi * wi for wi in w) / sw
    tau2 = max(0.0, (q - (k - 1)) / c)
    ws = [1 / (vi + tau2) for vi in v]
    sws = sum(ws)
    mu = sum(wi * yi for wi, yi in zip(ws, y)) / sws
    se_hk = sqrt(sum(wi * (yi - mu) ** 2 for wi, yi in zip(ws, y)) / ((k - 1) * sws))
    t1 = t_quantile(0.5 + LEVEL / 2, k - 1)
    t2 = t_quantile(0.5 + LEVEL / 2, k - 2)
    half_pi = t2 * sqrt(tau2 + 1 / sws)
    shrunk = [mu + tau2 / (tau2 + vi) * (yi - mu) for vi, yi in zip(v, y)]
    return {
        'tau2': tau2, 'q': q, 'mu': mu, 'ratio': exp(mu),
        'ci_low': exp(mu - t1 * se_hk), 'ci_high': exp(mu + t1 * se_hk),
        'pi_low': exp(mu - half_pi), 'pi_high': exp(mu + half_pi),
        'shrunk': [exp(s) for s in shrunk],
    }


if __name__ == '__main__':
    units = [tuple(int(v) for v in a.split(',')) for a in sys.argv[1:]]
    for key, value in random_effects(units).items():
        print(key, repr(value))
