/*
 * stats_pool.c: combining ratios: the Mantel-Haenszel pooled ratio over
 * strata with the Greenland-Robins interval and Woolf-type homogeneity
 * test, the ratio of two ratios (Altman & Bland), funnel-plot control limits
 * (Spiegelhalter) and Kline's compound ratio over successive steps.
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
