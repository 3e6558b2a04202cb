/*
 * stats.c: one relative likelihood ratio (x1/n1)/(x2/n2): its estimate and
 * interval by four methods (Katz log, adjusted log, Koopman and
 * Miettinen-Nurminen score), the 0.80-1.25 band, the low-count rule, the
 * log-scale rule other analyses combine ratios with, and parity_ratio.
 */
#include "parity/stats.h"

#include "parity/common.h"
#include "stats_internal.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>

/* Score roots are searched for on u = ln(phi) within +/- this bound
 * (phi from 1e-130 to 1e130): far beyond any limit counts up to
 * PARITY_STATS_MAX_COUNT produce, and safe from overflow in phi^2. */
#define SCORE_U_BOUND 300.0

void parity_stats_settings_default(parity_stats_settings *out)
{
	out->method = PARITY_CI_KOOPMAN;
	out->level = 0.95;
	out->low_count_min = 10;
}

static const struct {
	parity_ci_method method;
	const char *name;
} method_names[] = {
	{PARITY_CI_KOOPMAN, "koopman"},
	{PARITY_CI_KATZ, "katz"},
	{PARITY_CI_ADJUSTED_LOG, "adjusted-log"},
	{PARITY_CI_MN, "mn"},
};

#define METHOD_COUNT (sizeof method_names / sizeof method_names[0])

const char *parity_ci_method_name(parity_ci_method method)
{
	for (size_t i = 0; i < METHOD_COUNT; i++)
		if (method_names[i].method == method)
			return method_names[i].name;
	return "unknown";
}

int parity_ci_method_parse(parity_ci_method *out, const char *name)
{
	if (!name)
		return parity_error_set(PARITY_EUSAGE, "no interval method given");
	for (size_t i = 0; i < METHOD_COUNT; i++) {
		if (strcmp(name, method_names[i].name) == 0) {
			*out = method_names[i].method;
			return 0;
		}
	}
	if (strcmp(name, "miettinen-nurminen") == 0) {
		*out = PARITY_CI_MN;
		return 0;
	}
	return parity_error_set(PARITY_EUSAGE,
	                        "unknown interval method '%s' (use koopman, katz, "
	                        "adjusted-log or mn)", name);
}

const char *parity_band_name(parity_band band)
{
	switch (band) {
	case PARITY_BAND_BELOW: return "below";
	case PARITY_BAND_INSIDE: return "inside";
	case PARITY_BAND_ABOVE: return "above";
	default: return "none";
	}
}

parity_band parity_band_classify(double ratio, int estimable)
{
	if (!estimable || isnan(ratio))
		return PARITY_BAND_NONE;
	if (ratio < 0.80)
		return PARITY_BAND_BELOW;
	if (ratio > 1.25)
		return PARITY_BAND_ABOVE;
	return PARITY_BAND_INSIDE;
}

int parity_ratio_low_count(uint64_t x1, uint64_t n1, uint64_t x2, uint64_t n2,
                           uint64_t min_count)
{
	if (min_count == 0)
		return 0;
	(void)n1;
	(void)n2;
	return x1 < min_count || x2 < min_count;
}

double parity_stats_z(double level)
{
	/* Qinv of the upper tail keeps accuracy for levels near 1. */
	return gsl_cdf_ugaussian_Qinv((1.0 - level) / 2.0);
}

int stats_check_level(double level)
{
	if (!(level > 0.0 && level < 1.0))
		return parity_error_set(PARITY_EUSAGE,
		                        "confidence level %g is outside (0, 1); "
		                        "give it as a fraction, e.g. 0.95", level);
	return 0;
}

int stats_check_counts(uint64_t x1, uint64_t n1, uint64_t x2, uint64_t n2,
                       const char *where)
{
	const uint64_t max = PARITY_STATS_MAX_COUNT;
	if (n1 > max || n2 > max)
		return parity_error_set(PARITY_EUSAGE,
		                        "%s%s (%" PRIu64 ") is larger than 10^12, the "
		                        "largest count supported", where,
		                        n1 > max ? "n1" : "n2", n1 > max ? n1 : n2);
	if (x1 > n1)
		return parity_error_set(PARITY_EUSAGE,
		                        "%sx1 (%" PRIu64 ") is larger than n1 (%" PRIu64
		                        "): more reached the outcome than the base "
		                        "holds", where, x1, n1);
	if (x2 > n2)
		return parity_error_set(PARITY_EUSAGE,
		                        "%sx2 (%" PRIu64 ") is larger than n2 (%" PRIu64
		                        "): more reached the outcome than the base "
		                        "holds", where, x2, n2);
	return 0;
}

/* The raw estimate (x1/n1)/(x2/n2) for a table with an estimate: 0 when
 * x1 = 0, INFINITY when x2 = 0. Products are exact in long double. */
static double raw_ratio(uint64_t x1, uint64_t n1, uint64_t x2, uint64_t n2)
{
	if (x1 == 0)
		return 0.0;
	if (x2 == 0)
		return INFINITY;
	return (double)(((long double)x1 * (long double)n2) /
	                ((long double)x2 * (long double)n1));
}

/* Variance of ln(a/b / c/d) by the delta method, with `add` added to every
 * count: (b-a)/(a b) + (d-c)/(c d), written so x = n gives exactly 0. */
static double log_variance(uint64_t x1, uint64_t n1, uint64_t x2, uint64_t n2,
                           double add)
{
	long double a = (long double)x1 + add, b = (long double)n1 + add;
	long double c = (long double)x2 + add, d = (long double)n2 + add;
	long double v = (long double)(n1 - x1) / (a * b) +
	                (long double)(n2 - x2) / (c * d);
	return (double)v;
}

/* The adjusted-log estimate: ((x1+0.5)/(n1+0.5)) / ((x2+0.5)/(n2+0.5)). */
static double adjusted_ratio(uint64_t x1, uint64_t n1, uint64_t x2,
                             uint64_t n2)
{
	long double a = (long double)x1 + 0.5L, b = (long double)n1 + 0.5L;
	long double c = (long double)x2 + 0.5L, d = (long double)n2 + 0.5L;
	return (double)((a * d) / (c * b));
}

int parity_ratio_log_scale(parity_log_ratio *out, uint64_t x1, uint64_t n1,
                           uint64_t x2, uint64_t n2)
{
	if (!out)
		return parity_error_set(PARITY_EUSAGE, "parity_ratio_log_scale: out is NULL");
	memset(out, 0, sizeof *out);
	int rc = stats_check_counts(x1, n1, x2, n2, "");
	if (rc)
		return rc;
	if (n1 == 0 || n2 == 0 || (x1 == 0 && x2 == 0))
		return 0;
	out->estimable = 1;
	if (x1 > 0 && x2 > 0) {
		out->log_ratio = log(raw_ratio(x1, n1, x2, n2));
		out->se = sqrt(log_variance(x1, n1, x2, n2, 0.0));
	} else {
		out->adjusted = 1;
		out->log_ratio = log(adjusted_ratio(x1, n1, x2, n2));
		out->se = sqrt(log_variance(x1, n1, x2, n2, 0.5));
	}
	return 0;
}

/* Katz log interval; with a zero count the variance is infinite, so the
 * interval is 0 to INFINITY around the 0 or INFINITY estimate. */
static void interval_katz(parity_interval *out, uint64_t x1, uint64_t n1,
                          uint64_t x2, uint64_t n2, double z)
{
	out->ratio = raw_ratio(x1, n1, x2, n2);
	if (x1 == 0 || x2 == 0) {
		out->low = 0.0;
		out->high = INFINITY;
		return;
	}
	double lr = log(out->ratio);
	double half = z * sqrt(log_variance(x1, n1, x2, n2, 0.0));
	out->low = exp(lr - half);
	out->high = exp(lr + half);
}

/* Adjusted log (Walter 1975; Pettigrew et al. 1986): x+0.5 and n+0.5 in
 * every term, the estimate included; finite whatever the zeros. */
static void interval_adjusted(parity_interval *out, uint64_t x1, uint64_t n1,
                              uint64_t x2, uint64_t n2, double z)
{
	out->ratio = adjusted_ratio(x1, n1, x2, n2);
	double lr = log(out->ratio);
	double half = z * sqrt(log_variance(x1, n1, x2, n2, 0.5));
	out->low = exp(lr - half);
	out->high = exp(lr + half);
}

/* The table as the score statistic needs it. */
typedef struct score_table {
	double x1, n1, x2, n2; /* counts */
	double scale;          /* 1 (Koopman) or sqrt(1 - 1/N) (Miettinen-Nurminen) */
	double target;         /* the root solves scale * T = target */
} score_table;

/*
 * Koopman's score statistic T(phi) (DOMAIN.md section 3): the observed
 * difference p1 - phi p2 over its standard error at the maximum-likelihood
 * proportions p~1 = phi p~2 restricted to ratio phi, where p~2 is the
 * smaller root of A p^2 + B p + C. Written to keep digits where the
 * textbook form loses them (tables with x = n, huge counts):
 *   - the discriminant B^2 - 4AC equals ((n1+x2) phi - (x1+n2))^2 +
 *     4 (n1-x1)(n2-x2) phi, a sum of squares with no cancellation;
 *   - p~2 = 2C / (-B + sqrt(D)), the cancellation-free root form;
 *   - 1 - p~1 and 1 - p~2 come from their own quadratics (substitute
 *     p = 1 - q), not from subtracting a p~ close to 1.
 * Decreasing in phi; returns +/-HUGE_VAL where the variance vanishes.
 */
static double score_t(double phi_d, const score_table *t)
{
	long double phi = phi_d;
	long double x1 = t->x1, n1 = t->n1, x2 = t->x2, n2 = t->n2;
	long double total = n1 + n2, c = x1 + x2;
	long double a = total * phi;
	long double mb = (n1 + x2) * phi + (x1 + n2);               /* -B */
	long double root = hypotl((n1 + x2) * phi - (x1 + n2),
	                          2.0L * sqrtl((n1 - x1) * (n2 - x2) * phi));
	long double p2 = c > 0.0L ? 2.0L * c / (mb + root) : 0.0L;
	long double p1 = phi * p2;

	/* 1 - p~1: larger root of N q^2 - b1 q + (n1-x1)(1-phi) = 0. */
	long double b1 = (2.0L * n1 + n2 - x1) - (n1 + x2) * phi;
	long double c1 = (n1 - x1) * (1.0L - phi);
	long double q1 = b1 >= 0.0L ? (b1 + root) / (2.0L * total)
	                 : (b1 - root < 0.0L ? 2.0L * c1 / (b1 - root) : 0.0L);
	/* 1 - p~2: larger root of A q^2 - k2 q + (n2-x2)(phi-1) = 0. */
	long double k2 = (n1 + 2.0L * n2 - x2) * phi - (x1 + n2);
	long double c2 = (n2 - x2) * (phi - 1.0L);
	long double q2 = k2 >= 0.0L ? (k2 + root) / (2.0L * a)
	                 : (k2 - root < 0.0L ? 2.0L * c2 / (k2 - root) : 0.0L);

	p1 = p1 < 0.0L ? 0.0L : (p1 > 1.0L ? 1.0L : p1);
	p2 = p2 < 0.0L ? 0.0L : (p2 > 1.0L ? 1.0L : p2);
	q1 = q1 < 0.0L ? 0.0L : (q1 > 1.0L ? 1.0L : q1);
	q2 = q2 < 0.0L ? 0.0L : (q2 > 1.0L ? 1.0L : q2);
	long double var = p1 * q1 / n1 + phi * phi * p2 * q2 / n2;
	long double num = x1 / n1 - phi * (x2 / n2);
	if (!(var > 0.0L))
		return num == 0.0L ? 0.0 : (num > 0.0L ? HUGE_VAL : -HUGE_VAL);
	return (double)(num / sqrtl(var));
}

/* GSL callback: scale * T(exp(u)) - target, decreasing in u. */
static double score_root_fn(double u, void *params)
{
	const score_table *t = params;
	return t->scale * score_t(exp(u), t) - t->target;
}

/*
 * Find u with scale * T(e^u) = target: from `start`, step outward (1, 2,
 * 4, ... on the log scale) until the sign changes, then Brent's method to
 * 1e-13 in u (a relative error of 1e-13 in the limit). Returns 0 with *out
 * set, or PARITY_EINTERNAL if no sign change lies within +/-SCORE_U_BOUND.
 */
static int score_solve(double *out, score_table *t, double start)
{
	gsl_function fn = {score_root_fn, t};
	double f0 = score_root_fn(start, t);
	if (f0 == 0.0) {
		*out = start;
		return 0;
	}
	/* g decreases: go up while positive, down while negative. */
	double dir = f0 > 0.0 ? 1.0 : -1.0;
	double inner = start, outer = start, step = 1.0;
	for (;;) {
		outer = inner + dir * step;
		if (fabs(outer) > SCORE_U_BOUND)
			outer = dir * SCORE_U_BOUND;
		double f = score_root_fn(outer, t);
		if ((f > 0.0) != (f0 > 0.0) || f == 0.0)
			break;
		if (fabs(outer) >= SCORE_U_BOUND)
			return parity_error_set(PARITY_EINTERNAL,
			                        "score interval: no limit found for "
			                        "%g/%g vs %g/%g", t->x1, t->n1,
			                        t->x2, t->n2);
		inner = outer;
		step *= 2.0;
	}
	double lo = inner < outer ? inner : outer;
	double hi = inner < outer ? outer : inner;

	gsl_root_fsolver *solver = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
	if (!solver)
		return parity_error_set(PARITY_ENOMEM, "score interval: out of memory");
	int rc = 0;
	if (gsl_root_fsolver_set(solver, &fn, lo, hi) != GSL_SUCCESS) {
		rc = parity_error_set(PARITY_EINTERNAL, "score interval: bad bracket");
		goto done;
	}
	for (int iter = 0; iter < 200; iter++) {
		if (gsl_root_fsolver_iterate(solver) != GSL_SUCCESS)
			break;
		lo = gsl_root_fsolver_x_lower(solver);
		hi = gsl_root_fsolver_x_upper(solver);
		if (gsl_root_test_interval(lo, hi, 1e-13, 1e-15) == GSL_SUCCESS)
			break;
	}
	*out = gsl_root_fsolver_root(solver);
done:
	gsl_root_fsolver_free(solver);
	return rc;
}

/* Koopman (scale 1) or Miettinen-Nurminen score interval: the phi with
 * |scale T(phi)| <= z. x1 = 0 gives lower 0; x2 = 0 upper INFINITY. */
static int interval_score(parity_interval *out, uint64_t x1, uint64_t n1,
                          uint64_t x2, uint64_t n2, double z, int mn)
{
	score_table t = {
		.x1 = (double)x1, .n1 = (double)n1,
		.x2 = (double)x2, .n2 = (double)n2,
		.scale = mn ? sqrt(1.0 - 1.0 / ((double)n1 + (double)n2)) : 1.0,
	};
	out->ratio = raw_ratio(x1, n1, x2, n2);
	/* Start at the estimate when it is finite and positive. */
	double start = x1 > 0 && x2 > 0 ? log(out->ratio) : 0.0;
	double u;
	int rc;

	out->low = 0.0;
	if (x1 > 0) {
		t.target = z;
		if ((rc = score_solve(&u, &t, start)) != 0)
			return rc;
		out->low = exp(u);
	}
	out->high = INFINITY;
	if (x2 > 0) {
		t.target = -z;
		if ((rc = score_solve(&u, &t, start)) != 0)
			return rc;
		out->high = exp(u);
	}
	/* Rounding must not leave the estimate outside its own interval. */
	if (out->low > out->ratio)
		out->low = out->ratio;
	if (out->high < out->ratio)
		out->high = out->ratio;
	return 0;
}

int parity_ratio_interval(parity_interval *out, uint64_t x1, uint64_t n1,
                          uint64_t x2, uint64_t n2, parity_ci_method method,
                          double level)
{
	if (!out)
		return parity_error_set(PARITY_EUSAGE, "parity_ratio_interval: out is NULL");
	out->estimable = 0;
	out->ratio = 0.0;
	out->low = 0.0;
	out->high = INFINITY;
	int rc = stats_check_counts(x1, n1, x2, n2, "");
	if (rc)
		return rc;
	if ((rc = stats_check_level(level)) != 0)
		return rc;
	if (method != PARITY_CI_KOOPMAN && method != PARITY_CI_KATZ &&
	    method != PARITY_CI_ADJUSTED_LOG && method != PARITY_CI_MN)
		return parity_error_set(PARITY_EUSAGE, "unknown interval method %d",
		                        (int)method);
	if (n1 == 0 || n2 == 0 || (x1 == 0 && x2 == 0))
		return 0;

	double z = parity_stats_z(level);
	switch (method) {
	case PARITY_CI_KATZ:
		interval_katz(out, x1, n1, x2, n2, z);
		break;
	case PARITY_CI_ADJUSTED_LOG:
		interval_adjusted(out, x1, n1, x2, n2, z);
		break;
	case PARITY_CI_KOOPMAN:
	case PARITY_CI_MN:
		rc = interval_score(out, x1, n1, x2, n2, z, method == PARITY_CI_MN);
		if (rc) {
			out->ratio = 0.0;
			out->low = 0.0;
			out->high = INFINITY;
			return rc;
		}
		break;
	}
	out->estimable = 1;
	return 0;
}

int parity_ratio_compute(parity_ratio *out, uint64_t x1, uint64_t n1,
                         uint64_t x2, uint64_t n2,
                         const parity_stats_settings *settings)
{
	parity_stats_settings defaults;
	parity_interval interval;
	int rc;

	if (!out)
		return parity_error_set(PARITY_EUSAGE, "parity_ratio_compute: out is NULL");
	if (!settings) {
		parity_stats_settings_default(&defaults);
		settings = &defaults;
	}
	memset(out, 0, sizeof *out);
	out->x1 = x1;
	out->n1 = n1;
	out->x2 = x2;
	out->n2 = n2;
	out->method = settings->method;
	out->level = settings->level;
	out->ci_high = INFINITY;
	out->p_fisher = out->p_midp = out->p_chisq = out->p_score = 1.0;
	out->mdr_low = out->mdr_high = NAN;

	rc = parity_ratio_interval(&interval, x1, n1, x2, n2, settings->method,
	                           settings->level);
	if (rc)
		return rc;
	if ((rc = parity_test_fisher(&out->p_fisher, &out->p_midp, x1, n1, x2, n2)) != 0)
		return rc;
	if ((rc = parity_test_chisq(&out->p_chisq, NULL, x1, n1, x2, n2)) != 0)
		return rc;
	if ((rc = parity_test_score(&out->p_score, NULL, x1, n1, x2, n2,
	                            settings->method)) != 0)
		return rc;
	if ((rc = parity_ratio_mdr(&out->mdr_low, &out->mdr_high, x1, n1, x2, n2,
	                           PARITY_MDR_ALPHA, PARITY_MDR_POWER)) != 0)
		return rc;

	out->estimable = interval.estimable;
	out->ratio = interval.ratio;
	out->ci_low = interval.low;
	out->ci_high = interval.high;
	out->band = parity_band_classify(out->ratio, out->estimable);
	out->excludes_one = out->estimable && (out->ci_low > 1.0 || out->ci_high < 1.0);
	out->low_count_min = settings->low_count_min;
	out->low_count = parity_ratio_low_count(x1, n1, x2, n2,
	                                        settings->low_count_min);
	return 0;
}

/* A ratio or limit for a sentence: 2 decimals below 100, whole numbers
 * above, 2 significant digits below 0.1 (never "0.00" for a small value). */
static void sentence_number(char *buf, size_t size, double value)
{
	if (isinf(value))
		snprintf(buf, size, "infinity");
	else if (value == 0.0)
		snprintf(buf, size, "0");
	else if (value < 0.1)
		snprintf(buf, size, "%.2g", value);
	else if (value < 100.0)
		snprintf(buf, size, "%.2f", value);
	else
		snprintf(buf, size, "%.0f", value);
}

/* "was" or "were" for a group phrase: plural when its last word ends in a
 * single 's' ("applicants") or is a plural noun without one ("staff"). */
static const char *verb_for(const char *group)
{
	static const char *const plurals[] = {"staff", "people", "men", "women",
	                                      "personnel", "children", "colleagues"};
	const char *word = strrchr(group, ' ');
	word = word ? word + 1 : group;
	size_t len = strlen(word);
	for (size_t i = 0; i < sizeof plurals / sizeof plurals[0]; i++) {
		if (len != strlen(plurals[i]))
			continue;
		size_t j = 0;
		while (j < len && (word[j] | 0x20) == plurals[i][j])
			j++;
		if (j == len)
			return "were";
	}
	if (len >= 2 && (word[len - 1] | 0x20) == 's' && (word[len - 2] | 0x20) != 's')
		return "were";
	return "was";
}

int parity_ratio_sentence(char *buf, size_t size, const parity_ratio *r,
                          const char *group1, const char *group2,
                          const char *outcome)
{
	char ratio[32], low[32], high[32], level[16], lead[192] = "", tail[128] = "";

	if (!r)
		return snprintf(buf, size, "No result.");
	group1 = group1 && *group1 ? group1 : "Group 1";
	group2 = group2 && *group2 ? group2 : "group 2";
	outcome = outcome && *outcome ? outcome : "to reach the outcome";
	const char *verb = verb_for(group1);
	sentence_number(ratio, sizeof ratio, r->ratio);
	sentence_number(low, sizeof low, r->ci_low);
	sentence_number(high, sizeof high, r->ci_high);
	snprintf(level, sizeof level, "%.4g%%", r->level * 100.0);

	/* The low-count warning leads, so a reader cannot miss it (a missing
	 * estimate says so itself instead). */
	if (r->low_count && r->estimable) {
		uint64_t min = r->low_count_min;
		uint64_t fewest = r->x1 < r->x2 ? r->x1 : r->x2;
		snprintf(lead, sizeof lead,
		         "There are too few cases to draw a conclusion "
		         "(%" PRIu64 " reached the outcome in one group, fewer "
		         "than %" PRIu64 "): ", fewest, min);
	}

	if (!r->estimable) {
		if (r->n1 == 0 && r->n2 == 0)
			snprintf(tail, sizeof tail, "both groups are empty");
		else if (r->n1 == 0 || r->n2 == 0)
			snprintf(tail, sizeof tail, "one group is empty");
		else
			snprintf(tail, sizeof tail, "no one in either group reached "
			         "the outcome (0 of %" PRIu64 " and 0 of %" PRIu64 ")",
			         r->n1, r->n2);
		return snprintf(buf, size, "No ratio can be estimated for %s "
		                "against %s: %s.", group1, group2, tail);
	}
	if (r->ratio == 0.0)
		return snprintf(buf, size,
		                "%s%s %s less likely than %s %s: 0 of %" PRIu64
		                " did so, against %" PRIu64 " of %" PRIu64
		                " (ratio 0; %s CI 0 to %s).", lead, group1, verb,
		                group2, outcome, r->n1, r->x2, r->n2, level, high);
	if (isinf(r->ratio))
		return snprintf(buf, size,
		                "%s%s %s more likely than %s %s: %" PRIu64 " of %"
		                PRIu64 " did so, against 0 of %" PRIu64 " (the ratio "
		                "has no finite value; %s CI %s to infinity).", lead,
		                group1, verb, group2, outcome, r->x1, r->n1, r->n2,
		                level, low);
	return snprintf(buf, size, "%s%s %s %s times as likely as %s %s (%s CI %s "
	                "to %s).", lead, group1, verb, ratio, group2, outcome,
	                level, low, high);
}
