/*
 * stats_pool.c: combining ratios: the Mantel-Haenszel pooled ratio over
 * strata with the Greenland-Robins interval and Woolf-type homogeneity
 * test, the ratio of two ratios (Altman & Bland), funnel-plot control limits
 * (Spiegelhalter: log-normal, exact binomial and Byar) and Kline's compound ratio over successive steps.
 */
#include "parity/stats.h"

#include "parity/common.h"
#include "stats_internal.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Two-sided normal p for a z statistic. */
static double normal_p(double z)
{
	return isinf(z) ? 0.0 : 2.0 * gsl_cdf_ugaussian_Q(fabs(z));
}

/* Check stratum `index` (0-based; messages count from 1). */
static int check_stratum(const parity_stratum *s, size_t index, const char *noun)
{
	char where[48];
	snprintf(where, sizeof where, "%s %zu: ", noun, index + 1);
	return stats_check_counts(s->x1, s->n1, s->x2, s->n2, where);
}

/* z and p for ln(ratio) with standard error se >= 0: a zero se gives z 0
 * and p 1 when ln(ratio) = 0, otherwise an infinite z and p 0. */
static void z_and_p(double *z, double *p, double log_value, double se)
{
	if (se > 0.0)
		*z = log_value / se;
	else
		*z = log_value == 0.0 ? 0.0 : copysign(INFINITY, log_value);
	*p = normal_p(*z);
}

int parity_pool_mh(parity_pooled *out, const parity_stratum *strata,
                   size_t count, double level)
{
	if (!out)
		return parity_error_set(PARITY_EUSAGE, "parity_pool_mh: out is NULL");
	memset(out, 0, sizeof *out);
	out->level = level;
	out->strata = count;
	out->ci_high = INFINITY;
	out->log_se = INFINITY;
	out->p = 1.0;
	out->p_homogeneity = 1.0;
	int rc = stats_check_level(level);
	if (rc)
		return rc;
	if (count > 0 && !strata)
		return parity_error_set(PARITY_EUSAGE, "parity_pool_mh: strata is NULL");

	/* R = sum x1 n2 / N, S = sum x2 n1 / N; Greenland-Robins
	 * V = sum (n1 n2 (x1 + x2) - x1 x2 N) / N^2; Var(ln R/S) = V / (R S). */
	long double num = 0.0L, den = 0.0L, v = 0.0L;
	for (size_t k = 0; k < count; k++) {
		const parity_stratum *s = &strata[k];
		if ((rc = check_stratum(s, k, "stratum")) != 0)
			return rc;
		if (s->n1 == 0 || s->n2 == 0)
			continue; /* contributes nothing to either sum */
		long double x1 = (long double)s->x1, n1 = (long double)s->n1;
		long double x2 = (long double)s->x2, n2 = (long double)s->n2;
		long double total = n1 + n2;
		num += x1 * n2 / total;
		den += x2 * n1 / total;
		v += (n1 * n2 * (x1 + x2) - x1 * x2 * total) / (total * total);
		if (s->x1 + s->x2 > 0)
			out->informative++;
	}
	if (num == 0.0L && den == 0.0L)
		return 0; /* not estimable: no cases in any stratum */
	out->estimable = 1;
	if (num == 0.0L || den == 0.0L) {
		/* Greenland-Robins is undefined at 0 and infinity. */
		out->ratio = num == 0.0L ? 0.0 : INFINITY;
		out->ci_low = 0.0;
		out->band = parity_band_classify(out->ratio, 1);
		return 0;
	}
	double lr = (double)logl(num / den);
	double var = (double)(v / (num * den));
	double z = parity_stats_z(level);
	out->ratio = exp(lr);
	out->log_se = var > 0.0 ? sqrt(var) : 0.0;
	out->ci_low = exp(lr - z * out->log_se);
	out->ci_high = exp(lr + z * out->log_se);
	z_and_p(&out->z, &out->p, lr, out->log_se);
	out->band = parity_band_classify(out->ratio, 1);
	out->excludes_one = out->ci_low > 1.0 || out->ci_high < 1.0;

	/* Woolf-type Q around ln RLR_MH, weights 1/se_k^2 by the log-scale
	 * rule; strata without an estimate or with se_k = 0 are left out. */
	long double q = 0.0L;
	for (size_t k = 0; k < count; k++) {
		const parity_stratum *s = &strata[k];
		parity_log_ratio l;
		if ((rc = parity_ratio_log_scale(&l, s->x1, s->n1, s->x2, s->n2)) != 0)
			return rc;
		if (!l.estimable || !(l.se > 0.0))
			continue;
		long double d = (long double)l.log_ratio - (long double)lr;
		q += d * d / ((long double)l.se * (long double)l.se);
		out->q_strata++;
		out->q_adjusted += (size_t)l.adjusted;
	}
	if (out->q_strata >= 2) {
		out->homogeneity_estimable = 1;
		out->q = (double)q;
		out->df = (unsigned int)(out->q_strata - 1);
		out->p_homogeneity = gsl_cdf_chisq_Q(out->q, (double)out->df);
	}
	return 0;
}

/* Fill `out` from two log ratios and their SEs. */
static void change_fill(parity_change *out, double lr1, double se1, double lr2,
                        double se2, double level)
{
	double z = parity_stats_z(level);
	out->estimable = 1;
	out->log_diff = lr1 - lr2;
	out->se = hypot(se1, se2);
	out->ratio = exp(out->log_diff);
	out->ci_low = exp(out->log_diff - z * out->se);
	out->ci_high = exp(out->log_diff + z * out->se);
	z_and_p(&out->z, &out->p, out->log_diff, out->se);
}

/* Start a change or compound result: no estimate, uninformative limits. */
static void change_clear(parity_change *out, double level)
{
	memset(out, 0, sizeof *out);
	out->level = level;
	out->ci_high = INFINITY;
	out->p = 1.0;
}

/*
 * ln ratio and its SE from a published ratio and interval: SE = (ln high -
 * ln low) / (2 z(level)). *usable is 0 for a zero or infinite value.
 * Returns 0 or PARITY_EUSAGE naming `which` ("first ratio", "step 2").
 */
static int log_from_ci(double *lr, double *se, int *usable,
                       const parity_ratio_ci *r, const char *which)
{
	*usable = 0;
	if (!r)
		return parity_error_set(PARITY_EUSAGE, "%s: missing", which);
	if (isnan(r->ratio) || isnan(r->ci_low) || isnan(r->ci_high))
		return parity_error_set(PARITY_EUSAGE, "%s: a value is not a number",
		                        which);
	if (r->ratio < 0.0 || r->ci_low < 0.0)
		return parity_error_set(PARITY_EUSAGE, "%s: ratios cannot be negative",
		                        which);
	if (r->ci_low > r->ratio || r->ratio > r->ci_high)
		return parity_error_set(PARITY_EUSAGE,
		                        "%s: the interval %g to %g does not enclose "
		                        "the ratio %g", which, r->ci_low, r->ci_high,
		                        r->ratio);
	if (!(r->level > 0.0 && r->level < 1.0))
		return parity_error_set(PARITY_EUSAGE,
		                        "%s: interval level %g is outside (0, 1)",
		                        which, r->level);
	if (r->ci_low == 0.0 || isinf(r->ci_high))
		return 0;
	*lr = log(r->ratio);
	*se = (log(r->ci_high) - log(r->ci_low)) / (2.0 * parity_stats_z(r->level));
	*usable = 1;
	return 0;
}

int parity_change_from_ci(parity_change *out, const parity_ratio_ci *first,
                          const parity_ratio_ci *second, double level)
{
	double lr1 = 0.0, se1 = 0.0, lr2 = 0.0, se2 = 0.0;
	int ok1, ok2, rc;
	if (!out)
		return parity_error_set(PARITY_EUSAGE, "parity_change_from_ci: out is NULL");
	change_clear(out, level);
	if ((rc = stats_check_level(level)) != 0)
		return rc;
	if ((rc = log_from_ci(&lr1, &se1, &ok1, first, "first ratio")) != 0)
		return rc;
	if ((rc = log_from_ci(&lr2, &se2, &ok2, second, "second ratio")) != 0)
		return rc;
	if (ok1 && ok2)
		change_fill(out, lr1, se1, lr2, se2, level);
	return 0;
}

int parity_change_from_ratios(parity_change *out, const parity_ratio *first,
                              const parity_ratio *second, double level)
{
	parity_log_ratio a, b;
	int rc;
	if (!out)
		return parity_error_set(PARITY_EUSAGE, "parity_change_from_ratios: out is NULL");
	change_clear(out, level);
	if ((rc = stats_check_level(level)) != 0)
		return rc;
	if (!first || !second)
		return parity_error_set(PARITY_EUSAGE,
		                        "parity_change_from_ratios: a ratio is NULL");
	if ((rc = parity_ratio_log_scale(&a, first->x1, first->n1, first->x2,
	                                 first->n2)) != 0)
		return rc;
	if ((rc = parity_ratio_log_scale(&b, second->x1, second->n1, second->x2,
	                                 second->n2)) != 0)
		return rc;
	if (a.estimable && b.estimable)
		change_fill(out, a.log_ratio, a.se, b.log_ratio, b.se, level);
	return 0;
}

static int compare_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* The `prob` quantile of sorted[0..n-1] by linear interpolation between
 * order statistics (R's default, type 7). */
static double quantile7(const double *sorted, size_t n, double prob)
{
	double h = (double)(n - 1) * prob;
	size_t lo = (size_t)floor(h);
	if (lo + 1 >= n)
		return sorted[n - 1];
	return sorted[lo] + (h - (double)lo) * (sorted[lo + 1] - sorted[lo]);
}

/* -1, 0 or +1 for z against the two-sided `level` limits. */
static int outside(double z, double level)
{
	double limit = parity_stats_z(level);
	return z > limit ? 1 : (z < -limit ? -1 : 0);
}

int parity_funnel_compute(parity_funnel *out, parity_funnel_point *points,
                          const parity_stratum *units, size_t count,
                          double target, parity_funnel_adjust adjust)
{
	double *zs = NULL;
	int rc = 0;

	if (!out)
		return parity_error_set(PARITY_EUSAGE, "parity_funnel_compute: out is NULL");
	memset(out, 0, sizeof *out);
	out->target = target;
	out->adjust = adjust;
	out->p_overdispersion = 1.0;
	if (count > 0 && (!points || !units))
		return parity_error_set(PARITY_EUSAGE,
		                        "parity_funnel_compute: units or points is NULL");
	if (!(target > 0.0) || isinf(target))
		return parity_error_set(PARITY_EUSAGE,
		                        "funnel target %g must be a positive, finite "
		                        "ratio", target);
	if (adjust != PARITY_FUNNEL_PLAIN && adjust != PARITY_FUNNEL_ADDITIVE)
		return parity_error_set(PARITY_EUSAGE, "unknown funnel adjustment %d",
		                        (int)adjust);

	double lt = log(target);
	long double sum_w = 0.0L, sum_w2 = 0.0L;
	size_t used = 0;
	for (size_t i = 0; i < count; i++) {
		parity_log_ratio l;
		parity_funnel_point *pt = &points[i];
		memset(pt, 0, sizeof *pt);
		if ((rc = check_stratum(&units[i], i, "unit")) != 0)
			return rc;
		if ((rc = parity_ratio_log_scale(&l, units[i].x1, units[i].n1,
		                                 units[i].x2, units[i].n2)) != 0)
			return rc;
		if (!l.estimable || !(l.se > 0.0))
			continue;
		pt->estimable = 1;
		pt->log_ratio = l.log_ratio;
		pt->ratio = exp(l.log_ratio);
		pt->se = l.se;
		pt->z = (l.log_ratio - lt) / l.se;
		long double w = 1.0L / ((long double)l.se * (long double)l.se);
		sum_w += w;
		sum_w2 += w * w;
		used++;
	}
	out->units = used;

	if (used > 0) {
		/* phi: mean squared z, winsorised at the 10th/90th percentiles. */
		zs = malloc(used * sizeof *zs);
		if (!zs)
			return parity_error_set(PARITY_ENOMEM, "funnel: out of memory");
		size_t j = 0;
		for (size_t i = 0; i < count; i++)
			if (points[i].estimable)
				zs[j++] = points[i].z;
		qsort(zs, used, sizeof *zs, compare_double);
		double q10 = quantile7(zs, used, 0.10), q90 = quantile7(zs, used, 0.90);
		long double phi = 0.0L;
		for (size_t i = 0; i < used; i++) {
			double z = zs[i] < q10 ? q10 : (zs[i] > q90 ? q90 : zs[i]);
			phi += (long double)z * z;
		}
		out->phi = (double)(phi / (long double)used);
	}
	if (used >= 2) {
		double ui = (double)used;
		out->p_overdispersion = gsl_cdf_chisq_Q(ui * out->phi, ui - 1.0);
		long double denom = sum_w - sum_w2 / sum_w;
		if (adjust == PARITY_FUNNEL_ADDITIVE && denom > 0.0L) {
			double tau2 = (ui * out->phi - (ui - 1.0)) / (double)denom;
			out->tau2 = tau2 > 0.0 ? tau2 : 0.0;
		}
	}
	for (size_t i = 0; i < count; i++) {
		parity_funnel_point *pt = &points[i];
		if (!pt->estimable)
			continue;
		pt->z = (pt->log_ratio - lt) / sqrt(pt->se * pt->se + out->tau2);
		pt->outside95 = outside(pt->z, 0.95);
		pt->outside998 = outside(pt->z, 0.998);
	}
	free(zs);
	return rc;
}

int parity_funnel_limits(double *low, double *high, const parity_funnel *funnel,
                         double se, double level)
{
	int rc;
	if (!low || !high || !funnel)
		return parity_error_set(PARITY_EUSAGE, "parity_funnel_limits: NULL argument");
	if ((rc = stats_check_level(level)) != 0)
		return rc;
	if (!(se >= 0.0))
		return parity_error_set(PARITY_EUSAGE,
		                        "funnel standard error %g must be 0 or more", se);
	if (!(funnel->target > 0.0) || isinf(funnel->target))
		return parity_error_set(PARITY_EUSAGE,
		                        "funnel target %g must be a positive, finite "
		                        "ratio", funnel->target);
	double half = parity_stats_z(level) * sqrt(se * se + funnel->tau2);
	double lt = log(funnel->target);
	*low = exp(lt - half);
	*high = exp(lt + half);
	return 0;
}

/* Start a compound result with no estimate. */
static void compound_clear(parity_compound *out, double level, size_t count)
{
	memset(out, 0, sizeof *out);
	out->level = level;
	out->steps = count;
	out->ci_high = INFINITY;
	out->log_se = INFINITY;
}

/* Finish a compound result from the summed log ratios and variances. */
static void compound_fill(parity_compound *out, double sum_lr, double sum_var)
{
	double z = parity_stats_z(out->level);
	out->estimable = 1;
	out->log_se = sqrt(sum_var);
	out->ratio = exp(sum_lr);
	out->ci_low = exp(sum_lr - z * out->log_se);
	out->ci_high = exp(sum_lr + z * out->log_se);
}

int parity_compound_ratio(parity_compound *out, const parity_stratum *steps,
                          size_t count, double level)
{
	int rc;
	if (!out)
		return parity_error_set(PARITY_EUSAGE, "parity_compound_ratio: out is NULL");
	compound_clear(out, level, count);
	if ((rc = stats_check_level(level)) != 0)
		return rc;
	if (count == 0 || !steps)
		return parity_error_set(PARITY_EUSAGE, "a compound ratio needs at "
		                        "least one step");
	double sum_lr = 0.0, sum_var = 0.0;
	int usable = 1;
	for (size_t k = 0; k < count; k++) {
		parity_log_ratio l;
		if ((rc = check_stratum(&steps[k], k, "step")) != 0)
			return rc;
		if ((rc = parity_ratio_log_scale(&l, steps[k].x1, steps[k].n1,
		                                 steps[k].x2, steps[k].n2)) != 0)
			return rc;
		if (!l.estimable) {
			usable = 0;
			continue;
		}
		out->adjusted_steps += (size_t)l.adjusted;
		sum_lr += l.log_ratio;
		sum_var += l.se * l.se;
	}
	if (usable)
		compound_fill(out, sum_lr, sum_var);
	return 0;
}

int parity_compound_from_ci(parity_compound *out, const parity_ratio_ci *steps,
                            size_t count, double level)
{
	int rc;
	if (!out)
		return parity_error_set(PARITY_EUSAGE, "parity_compound_from_ci: out is NULL");
	compound_clear(out, level, count);
	if ((rc = stats_check_level(level)) != 0)
		return rc;
	if (count == 0 || !steps)
		return parity_error_set(PARITY_EUSAGE, "a compound ratio needs at "
		                        "least one step");
	double sum_lr = 0.0, sum_var = 0.0;
	int usable = 1;
	for (size_t k = 0; k < count; k++) {
		char which[32];
		double lr = 0.0, se = 0.0;
		int ok;
		snprintf(which, sizeof which, "step %zu", k + 1);
		if ((rc = log_from_ci(&lr, &se, &ok, &steps[k], which)) != 0)
			return rc;
		if (!ok)
			usable = 0;
		sum_lr += lr;
		sum_var += se * se;
	}
	if (usable)
		compound_fill(out, sum_lr, sum_var);
	return 0;
}

int parity_change_mdr(double *low, double *high, const parity_change *change,
                      double alpha, double power)
{
	if (!low || !high || !change)
		return parity_error_set(PARITY_EUSAGE, "parity_change_mdr: NULL argument");
	if (!(alpha > 0.0 && alpha < 1.0) || !(power > 0.0 && power < 1.0))
		return parity_error_set(PARITY_EUSAGE, "alpha %g and power %g must lie "
		                        "between 0 and 1", alpha, power);
	*low = *high = NAN;
	if (!change->estimable || !(change->se > 0.0) || isinf(change->se))
		return 0;
	double reach = (gsl_cdf_ugaussian_Pinv(1.0 - alpha / 2.0) +
	                gsl_cdf_ugaussian_Pinv(power)) * change->se;
	*high = exp(reach);
	*low = exp(-reach);
	return 0;
}

/* ---- funnel limits by method ----------------------------------------------- */

const char *parity_funnel_limits_name(parity_funnel_limits_method method)
{
	switch (method) {
	case PARITY_FUNNEL_LOGNORMAL: return "lognormal";
	case PARITY_FUNNEL_EXACT: return "exact";
	case PARITY_FUNNEL_BYAR: return "byar";
	}
	return "unknown";
}

int parity_funnel_limits_parse(parity_funnel_limits_method *out, const char *name)
{
	static const parity_funnel_limits_method all[] = {
		PARITY_FUNNEL_LOGNORMAL, PARITY_FUNNEL_EXACT, PARITY_FUNNEL_BYAR};
	for (size_t i = 0; name && i < sizeof all / sizeof all[0]; i++)
		if (!strcmp(name, parity_funnel_limits_name(all[i]))) {
			*out = all[i];
			return 0;
		}
	return parity_error_set(PARITY_EUSAGE, "unknown funnel limits \"%.20s\": use "
	                        "lognormal, exact or byar", name ? name : "");
}

/* P(X <= r) for X ~ Binomial(m, pi) through the regularised beta function,
 * so that m is not limited to an unsigned int; r < 0 gives 0. */
static double binomial_cdf(double r, double m, double pi)
{
	if (r < 0.0)
		return 0.0;
	if (r >= m)
		return 1.0;
	return gsl_cdf_beta_P(1.0 - pi, m - r, r + 1.0);
}

/* The interpolated p-quantile of Binomial(m, pi) (Spiegelhalter 2005,
 * appendix A.1.1): r_p, the smallest r with F(r) >= p, less
 * (F(r_p) - p) / (F(r_p) - F(r_p - 1)). */
static double binomial_quantile(double p, uint64_t m, double pi)
{
	uint64_t lo = 0, hi = m;
	while (lo < hi) { /* F is increasing: bisect for the smallest r */
		uint64_t mid = lo + (hi - lo) / 2;
		if (binomial_cdf((double)mid, (double)m, pi) >= p)
			hi = mid;
		else
			lo = mid + 1;
	}
	double at = binomial_cdf((double)lo, (double)m, pi);
	double below = binomial_cdf((double)lo - 1.0, (double)m, pi);
	double a = at > below ? (at - p) / (at - below) : 0.0;
	return (double)lo - a;
}

/* Group 1's count y of m as a ratio y n2 / ((m - y) n1). */
static double count_to_ratio(double y, double m, const parity_stratum *u)
{
	if (y <= 0.0)
		return 0.0;
	if (y >= m)
		return INFINITY;
	return y * (double)u->n2 / ((m - y) * (double)u->n1);
}

/* Exact limits at `level`: 0, or 1 when the unit has no case or an empty
 * group (no limits). */
static int exact_limits(double *low, double *high, double theta,
                        const parity_stratum *u, double level)
{
	uint64_t m = u->x1 + u->x2;
	if (!m || !u->n1 || !u->n2)
		return 1;
	double pi = theta * (double)u->n1 / (theta * (double)u->n1 + (double)u->n2);
	*low = count_to_ratio(binomial_quantile((1.0 - level) / 2.0, m, pi), (double)m, u);
	*high = count_to_ratio(binomial_quantile((1.0 + level) / 2.0, m, pi), (double)m, u);
	return 0;
}

/* Byar's limits at `level`: 0, or 1 when the expected count is 0. */
static int byar_limits(double *low, double *high, double theta,
                       const parity_stratum *u, double level)
{
	if (!u->n1 || !u->n2 || !u->x2)
		return 1;
	double e = theta * (double)u->n1 * (double)u->x2 / (double)u->n2;
	double z = parity_stats_z(level);
	double base_low = 1.0 - 1.0 / (9.0 * e) - z / (3.0 * sqrt(e));
	double base_high = 1.0 - 1.0 / (9.0 * (e + 1.0)) + z / (3.0 * sqrt(e + 1.0));
	double o_low = base_low > 0.0 ? e * base_low * base_low * base_low : 0.0;
	double o_high = (e + 1.0) * base_high * base_high * base_high;
	*low = theta * o_low / e;
	*high = theta * o_high / e;
	return 0;
}

/* -1 below [low, high], +1 above, 0 within. */
static int beyond(double ratio, double low, double high)
{
	return ratio < low ? -1 : (ratio > high ? 1 : 0);
}

int parity_funnel_bounds_compute(parity_funnel_bounds *out, const parity_funnel *funnel,
                                 const parity_stratum *unit,
                                 parity_funnel_limits_method method)
{
	int rc;
	if (!out || !funnel || !unit)
		return parity_error_set(PARITY_EUSAGE,
		                        "parity_funnel_bounds_compute: NULL argument");
	memset(out, 0, sizeof *out);
	out->low95 = out->high95 = out->low998 = out->high998 = NAN;
	if ((rc = check_stratum(unit, 0, "unit")) != 0)
		return rc;
	double theta = funnel->target;
	if (!(theta > 0.0) || isinf(theta))
		return parity_error_set(PARITY_EUSAGE, "funnel target %g must be a "
		                        "positive, finite ratio", theta);
	double ratio;
	int none;
	switch (method) {
	case PARITY_FUNNEL_LOGNORMAL: {
		parity_log_ratio l;
		if ((rc = parity_ratio_log_scale(&l, unit->x1, unit->n1, unit->x2, unit->n2)))
			return rc;
		if (!l.estimable || !(l.se > 0.0))
			return 0;
		if ((rc = parity_funnel_limits(&out->low95, &out->high95, funnel, l.se, 0.95)) ||
		    (rc = parity_funnel_limits(&out->low998, &out->high998, funnel, l.se,
		                               0.998)))
			return rc;
		ratio = exp(l.log_ratio);
		break;
	}
	case PARITY_FUNNEL_EXACT:
	case PARITY_FUNNEL_BYAR: {
		int (*limits)(double *, double *, double, const parity_stratum *, double) =
			method == PARITY_FUNNEL_EXACT ? exact_limits : byar_limits;
		none = limits(&out->low95, &out->high95, theta, unit, 0.95) ||
		       limits(&out->low998, &out->high998, theta, unit, 0.998);
		if (none) {
			out->low95 = out->high95 = out->low998 = out->high998 = NAN;
			return 0;
		}
		ratio = count_to_ratio((double)unit->x1, (double)(unit->x1 + unit->x2), unit);
		break;
	}
	default:
		return parity_error_set(PARITY_EUSAGE, "unknown funnel limits %d", (int)method);
	}
	out->available = 1;
	out->outside95 = beyond(ratio, out->low95, out->high95);
	out->outside998 = beyond(ratio, out->low998, out->high998);
	return 0;
}
