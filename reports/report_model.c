/*
 * report_model.c: the report's model: the period's rows sorted into the
 * standard indicators and the per-characteristic measures, the previous
 * period's trend row, and every row's small-number suppression marks,
 * linked across the tables that share a total.
 */
#include "parity/codes.h"
#include "parity/common.h"
#include "report_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_TITLE "Workforce equality report"

/* ---- sorting the rows ------------------------------------------------------ */

static int push(row_list *list, const parity_result_row *row, size_t capacity)
{
	if (!list->rows) {
		list->rows = calloc(capacity ? capacity : 1, sizeof *list->rows);
		if (!list->rows)
			return parity_error_set(PARITY_ENOMEM, "report: out of memory");
	}
	list->rows[list->count++] = row;
	return 0;
}

static int in_period(const report *rep, const parity_result_row *row)
{
	return !strcmp(row->period, rep->period);
}

/*
 * The trend row for `ind`'s overall stratum in the latest period that ends
 * before the report's period starts (by month when the results know their
 * months, else by the period's label), or NULL.
 */
static const parity_result_row *previous_row(const report *rep,
                                             const report_indicator *ind)
{
	const parity_results *res = rep->results;
	const parity_result_row *best = NULL;
	for (size_t i = 0; i < res->trend_count; i++) {
		const parity_result_row *t = &res->trend[i];
		if (strcmp(t->indicator, ind->overall->indicator) ||
		    strcmp(t->stratum_kind, "overall") || t->pooled ||
		    strcmp(t->stratum, ind->overall->stratum))
			continue;
		int earlier = res->first_month > 0
		              ? t->window_last_month < res->first_month
		              : strcmp(t->period, rep->period) < 0;
		if (!earlier)
			continue;
		if (!best || (res->first_month > 0
		              ? t->window_last_month > best->window_last_month
		              : strcmp(t->period, best->period) > 0))
			best = t;
	}
	return best;
}

/* Sort the period's rows of standard indicator `info` into `ind`; leaves
 * ind->overall NULL when the indicator has no overall row. */
static int collect_indicator(report *rep, report_indicator *ind,
                             const parity_indicator_info *info)
{
	const parity_results *res = rep->results;
	memset(ind, 0, sizeof *ind);
	ind->info = info;
	for (size_t i = 0; i < res->count; i++) {
		const parity_result_row *row = &res->rows[i];
		const char *kind = row->stratum_kind;
		int rc = 0;
		if (strcmp(row->indicator, info->code) || !in_period(rep, row))
			continue;
		if (!strcmp(kind, "overall")) {
			if (!ind->overall && !row->pooled)
				ind->overall = row;
		} else if (!strcmp(kind, "organisation")) {
			if (row->pooled)
				ind->pooled_org = row;
			else
				rc = push(&ind->orgs, row, res->count);
		} else if (!strcmp(kind, "pay_band")) {
			if (row->pooled)
				ind->pooled_band = row;
			else
				rc = push(&ind->bands, row, res->count);
		} else if (!strcmp(kind, "staff_group")) {
			if (row->pooled)
				ind->pooled_group = row;
			else
				rc = push(&ind->groups, row, res->count);
		} else if (!strcmp(kind, "kline")) {
			rc = push(&ind->kline, row, res->count);
		}
		if (rc)
			return rc;
	}
	snprintf(ind->stem, sizeof ind->stem, "%s", info->code);
	for (char *p = ind->stem; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	if (ind->overall)
		ind->previous = previous_row(rep, ind);
	return 0;
}

static int is_standard(const char *indicator)
{
	return parity_indicator_info_find(indicator) != NULL;
}

/* The standard indicator whose measure is `measure`, preferring the
 * ethnicity one (its base and outcome words suit every comparison). */
static const parity_indicator_info *measure_info(const char *measure)
{
	const parity_indicator_info *found = NULL, *info;
	for (size_t k = 0; (info = parity_indicator_info_at(k)) != NULL; k++)
		if (!strcmp(info->measure, measure) &&
		    (!found || !strcmp(info->grouping, "white_bme")))
			found = info;
	return found;
}

/* Where measure `name` goes among the breakdown's outcomes: twice the
 * index of its first standard indicator, one less for shortlisting (it
 * comes before appointment), 999 for any other. */
static int measure_rank(const char *name)
{
	const parity_indicator_info *info;
	int shortlisting = !strcmp(name, "shortlisting");
	for (size_t k = 0; (info = parity_indicator_info_at(k)) != NULL; k++)
		if (!strcmp(info->measure, shortlisting ? "appointment" : name))
			return 2 * (int)k - shortlisting;
	return 999;
}

/* Sort the comparison rows (every overall row of the period that is not a
 * standard indicator) by measure, in the standard indicators' order. */
static int collect_measures(report *rep)
{
	const parity_results *res = rep->results;
	for (size_t i = 0; i < res->count; i++) {
		const parity_result_row *row = &res->rows[i];
		if (is_standard(row->indicator) || !in_period(rep, row) ||
		    strcmp(row->stratum_kind, "overall"))
			continue;
		const char *name = row->measure[0] ? row->measure : row->indicator;
		report_measure *m = NULL;
		for (size_t k = 0; k < rep->meas_count && !m; k++)
			if (!strcmp(rep->meas[k].measure, name))
				m = &rep->meas[k];
		if (!m) {
			if (rep->meas_count == REPORT_MAX_MEASURES)
				continue;
			m = &rep->meas[rep->meas_count++];
			snprintf(m->measure, sizeof m->measure, "%s", name);
			m->info = measure_info(name);
		}
		int rc = push(&m->rows, row, res->count);
		if (rc)
			return rc;
	}
	/* Measures of the standard indicators first, in their order;
	 * shortlisting just before appointment, as recruitment runs. */
	for (size_t a = 0; a < rep->meas_count; a++) {
		for (size_t b = a + 1; b < rep->meas_count; b++) {
			if (measure_rank(rep->meas[b].measure) <
			    measure_rank(rep->meas[a].measure)) {
				report_measure swap = rep->meas[a];
				rep->meas[a] = rep->meas[b];
				rep->meas[b] = swap;
			}
		}
	}
	return 0;
}

/* ---- disclosure ---------------------------------------------------------------- */

/* Every mark and every "hidden" below comes from the published set
 * (engine/publish/): the report prints no count, ratio or interval the
 * gate has not passed. */

const unsigned char *report_marks(const report *rep, const parity_result_row *row)
{
	return parity_publish_row_marks(rep->pub, row);
}

int report_hidden(const report *rep, const parity_result_row *row)
{
	const parity_results *res = rep->results;
	if (rep->kline_hidden && row >= res->rows && row < res->rows + res->count &&
	    rep->kline_hidden[row - res->rows])
		return 1;
	return parity_publish_row_hidden(rep->pub, row);
}

int report_cohort_hidden(const report *rep, const parity_cohort_result *c)
{
	const parity_results *res = rep->results;
	if (strcmp(c->arm, "difference"))
		return parity_publish_cohort_hidden(rep->pub, c);
	/* The difference divides the cohort's change by the comparators'. */
	for (size_t i = 0; i < res->cohort_count; i++) {
		const parity_cohort_result *o = &res->cohorts[i];
		if (o != c && !strcmp(o->cohort_id, c->cohort_id) &&
		    !strcmp(o->indicator, c->indicator) && strcmp(o->arm, "difference") &&
		    parity_publish_cohort_hidden(rep->pub, o))
			return 1;
	}
	return 0;
}

int report_strata_hidden(const report *rep, const parity_result_row *pooled)
{
	if (!pooled)
		return 0;
	for (size_t k = 0; k < rep->ind_count; k++) {
		const report_indicator *ind = &rep->ind[k];
		const row_list *list = pooled == ind->pooled_org ? &ind->orgs
		                       : pooled == ind->pooled_band ? &ind->bands
		                       : pooled == ind->pooled_group ? &ind->groups
		                                                     : NULL;
		for (size_t i = 0; list && i < list->count; i++)
			if (report_hidden(rep, list->rows[i]))
				return 1;
	}
	return 0;
}

/* The band row of `ind` named `band`, or NULL. */
static const parity_result_row *band_row(const report_indicator *ind,
                                         const char *band)
{
	for (size_t i = 0; i < ind->bands.count; i++)
		if (!strcmp(ind->bands.rows[i]->stratum, band))
			return ind->bands.rows[i];
	return NULL;
}

/*
 * Build the published set, then the rows the report withholds beyond it:
 * a Kline row multiplies band ratios, so a hidden band hides it.
 */
static int disclose(report *rep)
{
	const parity_results *res = rep->results;
	/* The year's set, when the caller built it with the return (one gate
	 * for both documents); else the report's own. */
	int rc = rep->opt.published ? 0
	         : parity_publish_build(&rep->owned_pub, res,
	                                (parity_disclosure)rep->opt.disclosure,
	                                rep->opt.suppress_below);
	if (rc)
		return rc;
	rep->pub = rep->opt.published ? rep->opt.published : rep->owned_pub;
	rep->suppress_below = parity_publish_threshold(rep->pub);
	rep->kline_hidden = calloc(res->count + 1, 1);
	if (!rep->kline_hidden)
		return parity_error_set(PARITY_ENOMEM, "report: out of memory");
	for (size_t k = 0; k < rep->ind_count; k++) {
		const report_indicator *ind = &rep->ind[k];
		for (size_t i = 0; i < ind->kline.count; i++) {
			const parity_result_row *row = ind->kline.rows[i];
			char steps[sizeof row->steps];
			snprintf(steps, sizeof steps, "%s", row->steps);
			for (char *save = NULL, *step = strtok_r(steps, ";", &save); step;
			     step = strtok_r(NULL, ";", &save)) {
				const parity_result_row *band = band_row(ind, step);
				if (band && report_hidden(rep, band))
					rep->kline_hidden[row - res->rows] = 1;
			}
		}
	}
	for (size_t i = 0; i < res->count; i++)
		rep->hidden_rows += report_hidden(rep, &res->rows[i]) ||
		                    rep->kline_hidden[i];
	return 0;
}

const parity_result_row *report_row_like(const report *rep,
                                         const parity_result_row *trend)
{
	const parity_results *res = rep->results;
	if (strcmp(trend->period, rep->period))
		return NULL;
	for (size_t i = 0; i < res->count; i++) {
		const parity_result_row *row = &res->rows[i];
		if (!strcmp(row->indicator, trend->indicator) &&
		    !strcmp(row->grouping, trend->grouping) &&
		    !strcmp(row->stratum_kind, trend->stratum_kind) &&
		    !strcmp(row->stratum, trend->stratum) &&
		    row->pooled == trend->pooled && in_period(rep, row))
			return row;
	}
	return NULL;
}

/* ---- building and freeing ---------------------------------------------------- */

/* An organisation row ranked for drawing: outside the funnel's 99.8% limits
 * first, then its 95% limits (neither for a row with hidden counts, whose
 * place would say something of them), then by base, largest first. */
typedef struct ranked {
	const parity_result_row *row;
	size_t at;
	int outside;
	uint64_t base;
} ranked;

static int by_rank(const void *x, const void *y)
{
	const ranked *a = x, *b = y;
	if (a->outside != b->outside)
		return b->outside - a->outside;
	if (a->base != b->base)
		return a->base < b->base ? 1 : -1;
	return (a->at > b->at) - (a->at < b->at);
}

static int by_place(const void *x, const void *y)
{
	const ranked *a = x, *b = y;
	return (a->at > b->at) - (a->at < b->at);
}

/* Fill ind->orgs_shown (see report_internal.h). 0 or PARITY_ENOMEM. */
static int choose_shown(const report *rep, report_indicator *ind)
{
	size_t n = ind->orgs.count, keep = n < REPORT_ORGS_SHOWN ? n : REPORT_ORGS_SHOWN;
	ind->orgs_shown.count = 0;
	ind->orgs_shown.rows = calloc(keep ? keep : 1, sizeof *ind->orgs_shown.rows);
	ranked *all = calloc(n ? n : 1, sizeof *all);
	if (!ind->orgs_shown.rows || !all) {
		free(all);
		return parity_error_set(PARITY_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < n; i++) {
		const parity_result_row *row = ind->orgs.rows[i];
		int outside = 0;
		if (row->funnel_placed && !report_hidden(rep, row))
			outside = row->funnel.outside998 ? 2 : row->funnel.outside95 ? 1 : 0;
		all[i] = (ranked){row, i, outside, row->ratio.n1 + row->ratio.n2};
	}
	if (keep < n)
		qsort(all, n, sizeof *all, by_rank);
	qsort(all, keep, sizeof *all, by_place);
	for (size_t i = 0; i < keep; i++)
		ind->orgs_shown.rows[ind->orgs_shown.count++] = all[i].row;
	free(all);
	return 0;
}

int report_model_build(report *rep, const parity_results *results,
                       const parity_report_options *options)
{
	memset(rep, 0, sizeof *rep);
	rep->results = results;
	if (options)
		rep->opt = *options;
	rep->title = rep->opt.title ? rep->opt.title : DEFAULT_TITLE;
	rep->author = rep->opt.author ? rep->opt.author : "parity";
	if (rep->opt.organisation)
		rep->where = rep->opt.organisation;
	else if (results->organisation[0])
		rep->where = results->organisation;
	else
		rep->where = "All organisations";
	/* Without a period in the results, report the first row's. */
	rep->period = results->period;
	if (!rep->period[0] && results->count)
		rep->period = results->rows[0].period;
	rep->level = results->settings.level > 0 ? results->settings.level : 0.95;

	const parity_indicator_info *info;
	for (size_t k = 0; (info = parity_indicator_info_at(k)) != NULL &&
	                   rep->ind_count < REPORT_MAX_INDICATORS; k++) {
		report_indicator *ind = &rep->ind[rep->ind_count];
		int rc = collect_indicator(rep, ind, info);
		if (rc) {
			rep->ind_count++; /* so that its lists are freed */
			return rc;
		}
		if (ind->overall) {
			rep->ind_count++;
			if (ind->orgs.count > 1)
				rep->several_orgs = 1;
		} else {
			free(ind->orgs.rows);
			free(ind->bands.rows);
			free(ind->groups.rows);
			free(ind->kline.rows);
			memset(ind, 0, sizeof *ind);
		}
	}
	int rc = collect_measures(rep);
	if (rc)
		return rc;
	if (rep->ind_count == 0 && rep->meas_count == 0)
		return parity_error_set(PARITY_EDATA, "no results%s%s to report",
		                        rep->period[0] ? " for " : "", rep->period);
	if ((rc = disclose(rep)))
		return rc;
	for (size_t k = 0; k < rep->ind_count; k++)
		if ((rc = choose_shown(rep, &rep->ind[k])))
			return rc;
	return 0;
}

void report_model_free(report *rep)
{
	for (size_t k = 0; k < rep->ind_count; k++) {
		free(rep->ind[k].orgs.rows);
		free(rep->ind[k].orgs_shown.rows);
		free(rep->ind[k].bands.rows);
		free(rep->ind[k].groups.rows);
		free(rep->ind[k].kline.rows);
	}
	for (size_t k = 0; k < rep->meas_count; k++)
		free(rep->meas[k].rows.rows);
	parity_publish_free(rep->owned_pub);
	free(rep->kline_hidden);
	rep->pub = rep->owned_pub = NULL;
	rep->kline_hidden = NULL;
	rep->ind_count = rep->meas_count = 0;
}
