/*
 * stats_did.c: the staggered difference-in-differences of a programme
 * rolled out over years (Callaway & Sant'Anna 2021) on the log relative
 * likelihood: group-time effects from Mantel-Haenszel pools, their
 * aggregation to groups, event times and overall, the variance that
 * accounts for organisations used in several comparisons, the pre-trend
 * Wald test and the minimum detectable effect.
 */
#include "parity/stats.h"

#include "parity/common.h"
#include "stats_internal.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Everything one computation shares. */
typedef struct did_run {
	const parity_did_input *in;
	double *att;       /* group * years: ATT(g,t) on the log scale */
	unsigned char *ok; /* group * years: 1 when estimable */
	double *weight;    /* group: organisations of the group with any data */
	int *member;       /* org scratch: 1 treated, 2 control, 0 neither */
} did_run;

static const parity_stratum *cell(const parity_did_input *in, size_t org, size_t year)
{
	return &in->cells[org * in->year_count + year];
}

/* An organisation-year holding counts both groups can be compared on. */
static int usable(const parity_stratum *c)
{
	return c->n1 > 0 && c->n2 > 0;
}

/* The base year of ATT(g,t): g-1 from joining on, t-1 before it; -1 none. */
static long base_year(long g, long t)
{
	return t >= g ? g - 1 : t - 1;
}

/* Mark run->member for ATT(group, t) with base `b`: 1 for the group's
 * organisations, 2 for the not-yet-treated (joining after t, not in year
 * g) and never-treated, each with data in both t and b. Returns how many
 * treated and control organisations through *treated and *controls. */
static void members(did_run *run, size_t group, size_t t, size_t b, size_t *treated,
                    size_t *controls)
{
	const parity_did_input *in = run->in;
	long g = in->group_year[group];
	*treated = *controls = 0;
	for (size_t o = 0; o < in->org_count; o++) {
		int og = in->group[o];
		run->member[o] = 0;
		if (!usable(cell(in, o, t)) || !usable(cell(in, o, b)))
			continue;
		if (og == (int)group) {
			run->member[o] = 1;
			(*treated)++;
		} else if (og == PARITY_DID_NEVER ||
		           (in->group_year[og] > (long)t && in->group_year[og] != g)) {
			run->member[o] = 2;
			(*controls)++;
		}
	}
}

/* The Mantel-Haenszel numerator A = sum x1 n2 / N and denominator
 * B = sum x2 n1 / N over the organisations marked `which` in year `y`. */
static void pool(const did_run *run, int which, size_t y, double *a, double *b)
{
	*a = *b = 0;
	for (size_t o = 0; o < run->in->org_count; o++) {
		if (run->member[o] != which)
			continue;
		const parity_stratum *c = cell(run->in, o, y);
		double n = (double)c->n1 + (double)c->n2;
		*a += (double)c->x1 * (double)c->n2 / n;
		*b += (double)c->x2 * (double)c->n1 / n;
	}
}

/* ATT(group, t) into *value: 1 when estimable (both arms have a case in
 * each group in both years), 0 when not. run->member is left marked. */
static int att_value(did_run *run, size_t group, size_t t, double *value)
{
	long b = base_year(run->in->group_year[group], (long)t);
	size_t treated, controls;
	if (b < 0 || (size_t)b == t)
		return 0;
	members(run, group, t, (size_t)b, &treated, &controls);
	if (!treated || !controls)
		return 0;
	double at, bt, ab, bb, ac, bc, acb, bcb;
	pool(run, 1, t, &at, &bt);
	pool(run, 1, (size_t)b, &ab, &bb);
	pool(run, 2, t, &ac, &bc);
	pool(run, 2, (size_t)b, &acb, &bcb);
	if (!(at > 0 && bt > 0 && ab > 0 && bb > 0 && ac > 0 && bc > 0 && acb > 0 &&
	      bcb > 0))
		return 0;
	*value = (log(at) - log(bt) - log(ab) + log(bb)) -
	         (log(ac) - log(bc) - log(acb) + log(bcb));
	return 1;
}

/* Per term: the derivatives of its estimate with respect to each
 * organisation-year's x1 and x2, each organisation's influence (the
 * linearised share of the estimate it carries), and the cells used. */
typedef struct term_grad {
	double *dx1, *dx2;   /* org * years */
	double *psi;         /* org */
	unsigned char *used; /* org * years */
} term_grad;

/* Add `coef` times the log MH ratio of the organisations marked `which`
 * in year `y` to the gradient `tg`. */
static void pool_grad(term_grad *tg, const did_run *run, int which, size_t y,
                      double coef)
{
	const parity_did_input *in = run->in;
	double a, b;
	pool(run, which, y, &a, &b);
	for (size_t o = 0; o < in->org_count; o++) {
		if (run->member[o] != which)
			continue;
		const parity_stratum *c = cell(in, o, y);
		size_t k = o * in->year_count + y;
		double n = (double)c->n1 + (double)c->n2;
		tg->dx1[k] += coef * ((double)c->n2 / n) / a;
		tg->dx2[k] -= coef * ((double)c->n1 / n) / b;
		tg->psi[o] += coef * ((double)c->x1 * (double)c->n2 / n / a -
		                      (double)c->x2 * (double)c->n1 / n / b);
		tg->used[k] = (unsigned char)(tg->used[k] | which);
	}
}

/* Add `w` times ATT(group, t) to the gradient `tg`. */
static void att_grad(term_grad *tg, did_run *run, size_t group, size_t t, double w)
{
	size_t b = (size_t)base_year(run->in->group_year[group], (long)t);
	size_t treated, controls;
	members(run, group, t, b, &treated, &controls);
	pool_grad(tg, run, 1, t, w);
	pool_grad(tg, run, 1, b, -w);
	pool_grad(tg, run, 2, t, -w);
	pool_grad(tg, run, 2, b, w);
}

/* The weight of ATT(g,t) in `term` (0: not in it). */
static double att_weight(const did_run *run, const parity_did_term *term, size_t g,
                         size_t t)
{
	const parity_did_input *in = run->in;
	size_t years = in->year_count;
	long gy = in->group_year[g];
	if (!run->ok[g * years + t])
		return 0;
	if (term->kind == PARITY_DID_EVENT) {
		if ((long)t - gy != term->index)
			return 0;
		double total = 0;
		for (size_t h = 0; h < in->group_count; h++) {
			long u = in->group_year[h] + term->index;
			if (u >= 0 && u < (long)years && run->ok[h * years + (size_t)u])
				total += run->weight[h];
		}
		return total > 0 ? run->weight[g] / total : 0;
	}
	if ((long)t < gy || (term->kind == PARITY_DID_GROUP && (size_t)term->index != g))
		return 0;
	/* A group's term: the mean of its years from joining. */
	size_t post = 0;
	for (size_t u = (size_t)(gy > 0 ? gy : 0); u < years; u++)
		post += run->ok[g * years + u];
	if (term->kind == PARITY_DID_GROUP)
		return 1.0 / (double)post;
	double total = 0;
	for (size_t h = 0; h < in->group_count; h++) {
		int any = 0;
		for (long u = in->group_year[h]; u >= 0 && u < (long)years; u++)
			any |= run->ok[h * years + (size_t)u];
		if (any)
			total += run->weight[h];
	}
	return run->weight[g] / total / (double)post;
}

static int check_input(const parity_did_input *in)
{
	if (!in || !in->cells || !in->group || (in->group_count && !in->group_year))
		return parity_error_set(PARITY_EUSAGE, "parity_did_compute: missing input");
	int rc = stats_check_level(in->level);
	if (rc)
		return rc;
	for (size_t o = 0; o < in->org_count; o++) {
		int g = in->group[o];
		if (g != PARITY_DID_NEVER && (g < 0 || (size_t)g >= in->group_count))
			return parity_error_set(PARITY_EUSAGE, "organisation %zu: group %d of %zu",
			                        o + 1, g, in->group_count);
		for (size_t y = 0; y < in->year_count; y++) {
			const parity_stratum *c = cell(in, o, y);
			char where[64];
			snprintf(where, sizeof where, "organisation %zu, year %zu: ", o + 1, y + 1);
			if ((rc = stats_check_counts(c->x1, c->n1, c->x2, c->n2, where)))
				return rc;
		}
	}
	return 0;
}

/* Solve the k x k system m x = v in place (Gaussian elimination with
 * partial pivoting): 0, or -1 when m is singular. */
static int solve(double *m, double *v, size_t k)
{
	for (size_t c = 0; c < k; c++) {
		size_t best = c;
		for (size_t r = c + 1; r < k; r++)
			if (fabs(m[r * k + c]) > fabs(m[best * k + c]))
				best = r;
		if (!(fabs(m[best * k + c]) > 1e-300))
			return -1;
		if (best != c) {
			for (size_t j = 0; j < k; j++) {
				double s = m[c * k + j];
				m[c * k + j] = m[best * k + j];
				m[best * k + j] = s;
			}
			double s = v[c];
			v[c] = v[best];
			v[best] = s;
		}
		for (size_t r = c + 1; r < k; r++) {
			double f = m[r * k + c] / m[c * k + c];
			for (size_t j = c; j < k; j++)
				m[r * k + j] -= f * m[c * k + j];
			v[r] -= f * v[c];
		}
	}
	for (size_t c = k; c-- > 0;) {
		for (size_t j = c + 1; j < k; j++)
			v[c] -= m[c * k + j] * v[j];
		v[c] /= m[c * k + c];
	}
	return 0;
}

/* The terms to compute: overall, each group, each event time that some
 * group reaches within the years. */
static int terms_make(parity_did *out, const parity_did_input *in)
{
	long e_min = 0, e_max = -1;
	for (size_t g = 0; g < in->group_count; g++) {
		long lo = 1 - in->group_year[g], hi = (long)in->year_count - 1 - in->group_year[g];
		if (e_max < e_min || lo < e_min)
			e_min = lo;
		if (hi > e_max)
			e_max = hi;
	}
	size_t events = e_max >= e_min ? (size_t)(e_max - e_min + 1) : 0;
	out->term_count = 1 + in->group_count + events;
	out->terms = calloc(out->term_count, sizeof *out->terms);
	if (!out->terms)
		return parity_error_set(PARITY_ENOMEM, "out of memory");
	out->terms[0].kind = PARITY_DID_OVERALL;
	for (size_t g = 0; g < in->group_count; g++) {
		out->terms[1 + g].kind = PARITY_DID_GROUP;
		out->terms[1 + g].index = (int)g;
	}
	for (size_t e = 0; e < events; e++) {
		out->terms[1 + in->group_count + e].kind = PARITY_DID_EVENT;
		out->terms[1 + in->group_count + e].index = (int)(e_min + (long)e);
	}
	return 0;
}

/* Fill each term's estimate, gradient and what enters it. */
static void terms_estimate(parity_did *out, did_run *run, term_grad *grads)
{
	const parity_did_input *in = run->in;
	size_t years = in->year_count;
	for (size_t i = 0; i < out->term_count; i++) {
		parity_did_term *term = &out->terms[i];
		double sum = 0;
		for (size_t g = 0; g < in->group_count; g++)
			for (size_t t = 0; t < years; t++) {
				double w = att_weight(run, term, g, t);
				if (w == 0)
					continue;
				sum += w * run->att[g * years + t];
				term->comparisons++;
				att_grad(&grads[i], run, g, t, w);
			}
		term->estimable = term->comparisons > 0;
		term->log_estimate = term->estimable ? sum : 0;
		for (size_t o = 0; o < in->org_count; o++) {
			int any = 0, treated = 0;
			for (size_t y = 0; y < years; y++) {
				unsigned char u = grads[i].used[o * years + y];
				if (!u)
					continue;
				const parity_stratum *c = cell(in, o, y);
				term->counts.x1 += c->x1;
				term->counts.n1 += c->n1;
				term->counts.x2 += c->x2;
				term->counts.n2 += c->n2;
				const uint64_t v[] = {c->x1, c->n1 - c->x1, c->x2, c->n2 - c->x2,
				                      c->n1, c->n2};
				for (size_t j = 0; j < sizeof v / sizeof v[0]; j++)
					if (v[j] && (!term->smallest || v[j] < term->smallest))
						term->smallest = v[j];
				any = 1;
				treated |= u & 1;
			}
			term->organisations += (size_t)any;
			term->treated += (size_t)treated;
		}
	}
}

/* The binomial and organisation-cluster covariances of terms a and b. */
static void covariances(double *binomial, double *cluster, const did_run *run,
                        const term_grad *ga, const term_grad *gb, size_t clusters)
{
	const parity_did_input *in = run->in;
	double vb = 0, vc = 0;
	for (size_t k = 0; k < in->org_count * in->year_count; k++) {
		if (!ga->used[k] || !gb->used[k])
			continue;
		const parity_stratum *c = &in->cells[k];
		double v1 = (double)c->x1 * (1.0 - (double)c->x1 / (double)c->n1);
		double v2 = (double)c->x2 * (1.0 - (double)c->x2 / (double)c->n2);
		vb += ga->dx1[k] * gb->dx1[k] * v1 + ga->dx2[k] * gb->dx2[k] * v2;
	}
	for (size_t o = 0; o < in->org_count; o++)
		vc += ga->psi[o] * gb->psi[o];
	*binomial = vb;
	*cluster = clusters > 1 ? vc * (double)clusters / (double)(clusters - 1) : 0;
}

/* Intervals, p and MDE of each term; the pre-trend test. 0 or ENOMEM. */
static int terms_infer(parity_did *out, const did_run *run, const term_grad *grads)
{
	const parity_did_input *in = run->in;
	size_t clusters = 0;
	for (size_t o = 0; o < in->org_count; o++) {
		int any = 0;
		for (size_t i = 0; i < out->term_count && !any; i++)
			for (size_t y = 0; y < in->year_count && !any; y++)
				any = grads[i].used[o * in->year_count + y] != 0;
		clusters += (size_t)any;
	}
	double z = parity_stats_z(in->level);
	double k80 = z + gsl_cdf_ugaussian_Pinv(0.80);
	for (size_t i = 0; i < out->term_count; i++) {
		parity_did_term *t = &out->terms[i];
		if (!t->estimable)
			continue;
		double vb, vc;
		covariances(&vb, &vc, run, &grads[i], &grads[i], clusters);
		t->cluster = vc > vb;
		t->se = sqrt(t->cluster ? vc : vb);
		t->ratio = exp(t->log_estimate);
		t->ci_low = exp(t->log_estimate - z * t->se);
		t->ci_high = exp(t->log_estimate + z * t->se);
		if (t->se > 0)
			t->z = t->log_estimate / t->se;
		else
			t->z = t->log_estimate == 0 ? 0 : copysign(INFINITY, t->log_estimate);
		t->p = isinf(t->z) ? 0 : 2.0 * gsl_cdf_ugaussian_Q(fabs(t->z));
		t->mde_low = exp(-k80 * t->se);
		t->mde_high = exp(k80 * t->se);
	}

	/* Pre-trend: the estimable event times before 0, jointly zero. One
	 * covariance for them all: whichever of the two has the larger trace. */
	size_t pre[64], k = 0;
	for (size_t i = 0; i < out->term_count && k < 64; i++)
		if (out->terms[i].kind == PARITY_DID_EVENT && out->terms[i].index < 0 &&
		    out->terms[i].estimable && out->terms[i].se > 0)
			pre[k++] = i;
	if (!k)
		return 0;
	double *mb = calloc(k * k, sizeof *mb), *mc = calloc(k * k, sizeof *mc);
	double *v = calloc(k, sizeof *v), *x = calloc(k, sizeof *x);
	if (!mb || !mc || !v || !x) {
		free(mb);
		free(mc);
		free(v);
		free(x);
		return parity_error_set(PARITY_ENOMEM, "out of memory");
	}
	double trace_b = 0, trace_c = 0;
	for (size_t a = 0; a < k; a++)
		for (size_t b = 0; b < k; b++) {
			covariances(&mb[a * k + b], &mc[a * k + b], run, &grads[pre[a]],
			            &grads[pre[b]], clusters);
			if (a == b) {
				trace_b += mb[a * k + b];
				trace_c += mc[a * k + b];
			}
		}
	double *m = trace_c > trace_b ? mc : mb;
	for (size_t a = 0; a < k; a++)
		v[a] = x[a] = out->terms[pre[a]].log_estimate;
	if (solve(m, x, k) == 0) {
		double w = 0;
		for (size_t a = 0; a < k; a++)
			w += v[a] * x[a];
		if (w >= 0 && isfinite(w)) {
			out->pretrend_estimable = 1;
			out->pretrend_chi2 = w;
			out->pretrend_df = (unsigned)k;
			out->pretrend_p = gsl_cdf_chisq_Q(w, (double)k);
		}
	}
	free(mb);
	free(mc);
	free(v);
	free(x);
	return 0;
}

int parity_did_compute(parity_did *out, const parity_did_input *in)
{
	did_run run;
	term_grad *grads = NULL;
	int rc;
	if (!out)
		return parity_error_set(PARITY_EUSAGE, "parity_did_compute: no output");
	memset(out, 0, sizeof *out);
	if ((rc = check_input(in)))
		return rc;
	out->level = in->level;
	memset(&run, 0, sizeof run);
	run.in = in;
	size_t years = in->year_count, cells = in->org_count * years;
	size_t gt = in->group_count * years;
	run.att = calloc(gt ? gt : 1, sizeof *run.att);
	run.ok = calloc(gt ? gt : 1, 1);
	run.weight = calloc(in->group_count ? in->group_count : 1, sizeof *run.weight);
	run.member = calloc(in->org_count ? in->org_count : 1, sizeof *run.member);
	if (!run.att || !run.ok || !run.weight || !run.member) {
		rc = parity_error_set(PARITY_ENOMEM, "out of memory");
		goto done;
	}
	/* Each group weighs as many organisations as it has with data. */
	for (size_t o = 0; o < in->org_count; o++) {
		int g = in->group[o], any = 0;
		for (size_t y = 0; y < years; y++)
			any |= usable(cell(in, o, y));
		if (g != PARITY_DID_NEVER && any)
			run.weight[g] += 1;
	}
	for (size_t g = 0; g < in->group_count; g++)
		for (size_t t = 0; t < years; t++)
			run.ok[g * years + t] = (unsigned char)(run.weight[g] > 0 &&
			                        att_value(&run, g, t, &run.att[g * years + t]));
	if ((rc = terms_make(out, in)))
		goto done;
	grads = calloc(out->term_count, sizeof *grads);
	if (!grads) {
		rc = parity_error_set(PARITY_ENOMEM, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < out->term_count; i++) {
		grads[i].dx1 = calloc(cells ? cells : 1, sizeof *grads[i].dx1);
		grads[i].dx2 = calloc(cells ? cells : 1, sizeof *grads[i].dx2);
		grads[i].psi = calloc(in->org_count ? in->org_count : 1, sizeof *grads[i].psi);
		grads[i].used = calloc(cells ? cells : 1, 1);
		if (!grads[i].dx1 || !grads[i].dx2 || !grads[i].psi || !grads[i].used) {
			rc = parity_error_set(PARITY_ENOMEM, "out of memory");
			goto done;
		}
	}
	terms_estimate(out, &run, grads);
	rc = terms_infer(out, &run, grads);
	/* Which organisation-years enter each term, for the disclosure gate. */
	if (!rc && !(out->used = calloc(out->term_count * (cells ? cells : 1), 1)))
		rc = parity_error_set(PARITY_ENOMEM, "out of memory");
	for (size_t i = 0; !rc && i < out->term_count; i++)
		for (size_t k = 0; k < cells; k++)
			out->used[i * cells + k] = grads[i].used[k] != 0;
done:
	for (size_t i = 0; grads && i < out->term_count; i++) {
		free(grads[i].dx1);
		free(grads[i].dx2);
		free(grads[i].psi);
		free(grads[i].used);
	}
	free(grads);
	free(run.att);
	free(run.ok);
	free(run.weight);
	free(run.member);
	if (rc)
		parity_did_free(out);
	return rc;
}

void parity_did_free(parity_did *did)
{
	if (!did)
		return;
	free(did->terms);
	free(did->used);
	did->terms = NULL;
	did->used = NULL;
	did->term_count = 0;
}
