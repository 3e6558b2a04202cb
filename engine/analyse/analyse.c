/*
 * analyse.c: the analysis driver. Loads each measure for the period (and
 * its rolling window), then builds the standard indicators with their
 * breakdowns (organisation, pay band, staff group, each pooled by
 * Mantel-Haenszel), funnel positions, Kline's compound ratio, the
 * comparisons, the trend series and the cohorts. No formula lives here:
 * only counting, grouping and calls into the statistics module.
 */
#include "analyse_internal.h"

#include "parity/common.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ROLLING_YEARS 10

void parity_analyse_options_default(parity_analyse_options *out)
{
	memset(out, 0, sizeof *out);
	parity_stats_settings_default(&out->settings);
	out->rolling_years = 2;
	out->cohort_window_months = 12;
	out->kline_from = "5";
}

void parity_results_free(parity_results *results)
{
	if (!results)
		return;
	free(results->rows);
	free(results->trend);
	free(results->cohorts);
	free(results->marks);
	free(results->notes);
	free(results);
}

/* ---- rows ------------------------------------------------------------------ */

parity_result_row *rows_add(parity_result_row **rows, size_t *count,
                            size_t *capacity)
{
	if (*count == *capacity) {
		size_t grown_capacity = *capacity ? *capacity * 2 : 16;
		parity_result_row *grown = realloc(*rows, grown_capacity * sizeof *grown);
		if (!grown) {
			parity_error_set(PARITY_ENOMEM, "out of memory");
			return NULL;
		}
		*rows = grown;
		*capacity = grown_capacity;
	}
	parity_result_row *row = &(*rows)[(*count)++];
	memset(row, 0, sizeof *row);
	return row;
}

int results_note(parity_results *results, const char *fmt, ...)
{
	char (*grown)[200] = realloc(results->notes,
	                             (results->note_count + 1) * sizeof *grown);
	if (!grown)
		return parity_error_set(PARITY_ENOMEM, "out of memory");
	results->notes = grown;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(results->notes[results->note_count], sizeof results->notes[0], fmt, ap);
	va_end(ap);
	results->note_count++;
	return 0;
}

void row_flag(parity_result_row *row, const char *flag)
{
	size_t used = strlen(row->flags);
	if (used + strlen(flag) + 2 > sizeof row->flags)
		return;
	snprintf(row->flags + used, sizeof row->flags - used, "%s%s", used ? ";" : "",
	         flag);
}

/* Fields of a ratio with no test: NaN p-values, the settings' method. */
static void ratio_untested(parity_ratio *r, const parity_stratum *c,
                           const parity_stats_settings *settings)
{
	memset(r, 0, sizeof *r);
	r->x1 = c->x1;
	r->n1 = c->n1;
	r->x2 = c->x2;
	r->n2 = c->n2;
	r->method = settings->method;
	r->level = settings->level;
	r->ci_high = INFINITY;
	r->p_fisher = r->p_midp = r->p_chisq = r->p_score = NAN;
	r->mdr_low = r->mdr_high = NAN;
	r->low_count_min = settings->low_count_min;
	r->low_count = parity_ratio_low_count(c->x1, c->n1, c->x2, c->n2,
	                                      settings->low_count_min);
}

int counts_possible(const parity_stratum *c)
{
	return c->x1 <= c->n1 && c->x2 <= c->n2;
}

int row_crude(parity_result_row *row, const group_sum *s,
              const parity_stats_settings *settings)
{
	snprintf(row->estimate, sizeof row->estimate, "crude");
	snprintf(row->interval, sizeof row->interval, "%s",
	         parity_ci_method_name(settings->method));
	if (!counts_possible(&s->counts)) {
		/* More cases than headcount (people who left before the snapshot,
		 * in a small stratum): no ratio can be made of it. */
		ratio_untested(&row->ratio, &s->counts, settings);
		row_flag(row, "outcome_exceeds_base");
		return 0;
	}
	return parity_ratio_compute(&row->ratio, s->counts.x1, s->counts.n1,
	                            s->counts.x2, s->counts.n2, settings);
}

void row_pooled(parity_result_row *row, const parity_pooled *pool,
                const parity_stratum *total, const parity_stats_settings *settings)
{
	ratio_untested(&row->ratio, total, settings);
	row->ratio.level = pool->level;
	row->ratio.estimable = pool->estimable;
	row->ratio.ratio = pool->ratio;
	row->ratio.ci_low = pool->ci_low;
	row->ratio.ci_high = pool->ci_high;
	row->ratio.band = pool->band;
	row->ratio.excludes_one = pool->excludes_one;
	row->pool = *pool;
	row->pooled = 1;
	snprintf(row->estimate, sizeof row->estimate, "mantel-haenszel");
	snprintf(row->interval, sizeof row->interval, "greenland-robins");
}

void row_context(parity_result_row *row, const tally *t, const group_sum *s)
{
	snprintf(row->measure, sizeof row->measure, "%s", measure_get(t->m)->name);
	snprintf(row->window, sizeof row->window, "%s", t->label);
	row->window_first_month = t->first_month;
	row->window_last_month = t->last_month;
	row->window_periods = t->periods;
	snprintf(row->snapshots, sizeof row->snapshots, "%s", t->snapshots);
	if (s) {
		row->excluded_not_stated_base = s->unknown_base;
		row->excluded_not_stated_outcome = s->unknown_outcome;
		row->excluded_bank_base = s->bank_base;
		row->excluded_bank_outcome = s->bank_outcome;
		row->outcome_without_contract = s->no_contract_outcome;
	}
	if (t->periods < t->periods_asked)
		row_flag(row, "window_incomplete");
	if (t->partial)
		row_flag(row, "period_partly_covered");
	if (t->stale_snapshot)
		row_flag(row, "headcount_before_period");
	if (t->outcome_no_headcount)
		row_flag(row, "outcome_without_headcount");
}

/* ---- the period -------------------------------------------------------------- */

/*
 * The default period: the latest financial year that the recruitment data
 * covers to its last month (or, without recruitment data, the disciplinary
 * and training data); if the newest year is still open, the one before.
 */
static int latest_complete_year(parity_store *store, const char *organisation,
                                parity_period *out)
{
	int first = 0, last = 0, found = 0;
	static const measure order[] = {M_APPOINTMENT, M_DISCIPLINARY, M_TRAINING};
	for (size_t i = 0; i < sizeof order / sizeof order[0] && !found; i++) {
		int rc = tally_span(store, order[i], organisation, &first, &last);
		if (rc < 0)
			return rc;
		found = rc == 0;
	}
	if (!found)
		return parity_error_set(PARITY_EDATA,
		                        "%s: holds no recruitment, disciplinary or training "
		                        "data%s%s yet: ingest an extract first",
		                        parity_store_path(store),
		                        organisation ? " for organisation " : "",
		                        organisation ? organisation : "");
	parity_period_financial_year(out, last);
	if (out->last_month != last) {
		/* The newest year is still open: take the one before, if any. */
		parity_period previous;
		parity_period_previous(&previous, out);
		if (previous.last_month >= first)
			*out = previous;
	}
	return 0;
}

/* The first and last months holding recruitment, disciplinary or training
 * data: 0, 1 when there are none, or a negative error. */
static int data_span(parity_store *store, const char *organisation, int *first,
                     int *last)
{
	static const measure order[] = {M_APPOINTMENT, M_DISCIPLINARY, M_TRAINING};
	int found = 0;
	for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
		int from = 0, to = 0;
		int rc = tally_span(store, order[i], organisation, &from, &to);
		if (rc < 0)
			return rc;
		if (rc)
			continue;
		if (!found || from < *first)
			*first = from;
		if (!found || to > *last)
			*last = to;
		found = 1;
	}
	return !found;
}

/* "--period all": every month from the first to the last that holds
 * recruitment, disciplinary or training data. */
static int all_months(parity_store *store, const char *organisation,
                      parity_period *out)
{
	int rc = data_span(store, organisation, &out->first_month, &out->last_month);
	if (rc < 0)
		return rc;
	if (rc)
		return parity_error_set(PARITY_EDATA,
		                        "%s: holds no recruitment, disciplinary or training "
		                        "data%s%s yet: ingest an extract first",
		                        parity_store_path(store),
		                        organisation ? " for organisation " : "",
		                        organisation ? organisation : "");
	char a[8], b[8];
	parity_month_label(a, out->first_month);
	parity_month_label(b, out->last_month);
	snprintf(out->label, sizeof out->label, "%s..%s", a, b);
	return 0;
}

/* When the period runs past the data (before their first month or after
 * their last, as the rows' period_partly_covered flag says), say so and
 * name the months of the period that hold data: results.csv only flags it
 * per row, which is easy to miss. A period with no data at all is an error
 * later, not a note. */
static int note_coverage(parity_results *results, parity_store *store,
                         const parity_period *period, const char *organisation)
{
	char spans[200];
	int first = 0, last = 0;
	int rc = data_span(store, organisation, &first, &last);
	if (rc)
		return rc < 0 ? rc : 0;
	if (period->first_month >= first && period->last_month <= last)
		return 0;
	int months = tally_months_covered(store, organisation, period->first_month,
	                                  period->last_month, spans, sizeof spans);
	if (months <= 0)
		return months;
	snprintf(results->coverage_note, sizeof results->coverage_note,
	         "period %s is only partly covered by data: %d of its %d months hold "
	         "recruitment, disciplinary or training data (%s)", period->label,
	         months, period->last_month - period->first_month + 1, spans);
	return 0;
}

/* The axes of the standard indicators that count measure `m`, in their
 * order, into `out` (at least two): how many. */
static size_t standard_axes(axis *out, measure m)
{
	size_t n = 0;
	for (size_t i = 0; parity_indicator_info_at(i); i++) {
		const parity_indicator_info *info = parity_indicator_info_at(i);
		if (strcmp(info->measure, measure_get(m)->name))
			continue;
		grouping g;
		grouping_standard(&g, info);
		size_t k = 0;
		while (k < n && !(out[k].dim == g.axes[0].dim && out[k].mode == g.axes[0].mode))
			k++;
		if (k == n && n < 2)
			out[n++] = g.axes[0];
	}
	return n;
}

/* Ask `t` for what its standard indicators read: the organisation
 * breakdown (and the overall sums from it), with `full` also pay band and
 * staff group. */
static int want_standard(tally *t, int full)
{
	static const int strata[] = {D_ORG, D_PAY, D_GROUP};
	axis slots[3];
	size_t n = standard_axes(slots + 1, t->m);
	int rc = 0;
	for (size_t k = 0; n && k < (full ? 3u : 1u) && !rc; k++) {
		slots[0] = (axis){strata[k], (axis_mode)AX_VALUE};
		rc = tally_want(t, slots, n + 1);
	}
	return rc;
}

/* Set up every measure for `period` (`all` 0: only those of the standard
 * indicators; the others stay empty), over the rolling window for rolling
 * measures, with the cubes their rows read (`all` 1: the period's rows;
 * 0: a trend year's), and register them with `p`. */
static int plan_measures(tally tallies[M_COUNT], plan *p, const parity_period *period,
                         const parity_analyse_options *options, int all)
{
	parity_period window[MAX_ROLLING_YEARS];
	int rc = 0;
	for (int m = 0; m < M_COUNT && !rc; m++) {
		unsigned years = measure_get((measure)m)->rolling ? options->rolling_years : 1;
		size_t n = window_periods(window, period, years);
		tally *t = &tallies[m];
		tally_init(t, (measure)m, rule_of_measure((measure)m), p->vals, window, n);
		if (!all && !measure_indicated((measure)m))
			continue;
		if ((rc = want_standard(t, all)))
			break;
		if (all && !options->no_comparisons && (rc = comparisons_want(t, options)))
			break;
		if (all && (rc = adjust_want(t, options)))
			break;
		if (t->cube_count)
			rc = plan_add(p, t);
	}
	return rc;
}

/* ---- the standard indicators ---------------------------------------------- */

/* What every row of one standard indicator shares. */
typedef struct indicator_run {
	parity_results *results;
	const parity_indicator_info *info;
	const tally *t;
	grouping g;
	const parity_analyse_options *options;
	parity_result_row **rows;  /* where the rows go (main or trend) */
	size_t *count;
	size_t *capacity;
	const char *period;        /* the rows' period label */
} indicator_run;

static parity_result_row *indicator_row(indicator_run *run, const char *kind,
                                        const char *stratum, const group_sum *s)
{
	parity_result_row *row = rows_add(run->rows, run->count, run->capacity);
	if (!row)
		return NULL;
	snprintf(row->indicator, sizeof row->indicator, "%s", run->info->code);
	snprintf(row->grouping, sizeof row->grouping, "%s", run->g.name);
	snprintf(row->characteristic, sizeof row->characteristic, "%s",
	         run->g.characteristic);
	snprintf(row->group1, sizeof row->group1, "%s", run->g.label1);
	snprintf(row->group2, sizeof row->group2, "%s", run->g.label2);
	snprintf(row->stratum_kind, sizeof row->stratum_kind, "%s", kind);
	snprintf(row->stratum, sizeof row->stratum, "%s", stratum);
	snprintf(row->period, sizeof row->period, "%s", run->period);
	row_context(row, run->t, s);
	return row;
}

/* A stratum value as a label: "" becomes "not recorded". */
static const char *stratum_label(const tally *t, int dim, uint32_t key)
{
	const char *text = tally_text(t, dim, key);
	return text[0] ? text : "not recorded";
}

/* Sum the exclusions of `sums` into one group_sum for a pooled row. */
static void sum_all(group_sum *total, const group_sum *sums, size_t n)
{
	memset(total, 0, sizeof *total);
	for (size_t i = 0; i < n; i++) {
		total->unknown_base += sums[i].unknown_base;
		total->unknown_outcome += sums[i].unknown_outcome;
		total->bank_base += sums[i].bank_base;
		total->bank_outcome += sums[i].bank_outcome;
		total->no_contract_outcome += sums[i].no_contract_outcome;
	}
}

/*
 * One breakdown: a row per value of `dim`, then the Mantel-Haenszel pooled
 * row with the homogeneity test. `crude` is the overall row's ratio, to
 * warn when pooling reverses its direction (Simpson's paradox).
 * `funnel`: place the strata on a funnel plot (organisations).
 */
static int breakdown(indicator_run *run, int dim, const char *kind,
                     const char *pooled_label, const parity_ratio *crude, int funnel,
                     group_sum **sums_out, size_t *count_out)
{
	group_sum *sums = NULL;
	parity_stratum *strata = NULL;
	size_t n = 0, used = 0;
	int rc = tally_sum(&sums, &n, run->t, &run->g, dim, run->options->include_bank);
	if (rc)
		return rc;
	size_t first_row = *run->count;
	for (size_t i = 0; i < n && !rc; i++) {
		parity_result_row *row = indicator_row(run, kind,
		                                       stratum_label(run->t, dim, sums[i].key),
		                                       &sums[i]);
		if (!row) {
			rc = PARITY_ENOMEM;
			break;
		}
		rc = row_crude(row, &sums[i], &run->options->settings);
	}
	if (rc || n < 2)
		goto done;

	strata = calloc(n, sizeof *strata);
	if (!strata) {
		rc = parity_error_set(PARITY_ENOMEM, "out of memory");
		goto done;
	}
	parity_stratum total = {0, 0, 0, 0};
	for (size_t i = 0; i < n; i++) {
		if (!counts_possible(&sums[i].counts))
			continue; /* flagged on its own row; cannot be pooled */
		strata[used++] = sums[i].counts;
		total.x1 += sums[i].counts.x1;
		total.n1 += sums[i].counts.n1;
		total.x2 += sums[i].counts.x2;
		total.n2 += sums[i].counts.n2;
	}
	parity_pooled pool;
	if ((rc = parity_pool_mh(&pool, strata, used, run->options->settings.level)))
		goto done;
	group_sum excluded;
	sum_all(&excluded, sums, n);
	parity_result_row *row = indicator_row(run, kind, pooled_label, &excluded);
	if (!row) {
		rc = PARITY_ENOMEM;
		goto done;
	}
	row_pooled(row, &pool, &total, &run->options->settings);
	if (used < n)
		row_flag(row, "strata_left_out");
	if (crude && crude->estimable && pool.estimable && crude->ratio > 0 &&
	    pool.ratio > 0 && !isinf(crude->ratio) && !isinf(pool.ratio) &&
	    ((crude->ratio > 1 && pool.ratio < 1) || (crude->ratio < 1 && pool.ratio > 1))) {
		row->direction_reversed = 1;
		row_flag(row, "direction_reversed");
	}
	if (funnel)
		rc = across_organisations(*run->rows, first_row, sums, n, *run->count - 1,
		                          run->options);
done:
	free(strata);
	if (!rc && sums_out) {
		*sums_out = sums;
		*count_out = n;
	} else {
		free(sums);
	}
	return rc;
}

/*
 * Kline's compound ratio: for a ladder starting at band `from`, the product
 * of the appointment ratios for posts at each higher Agenda for Change band
 * in turn (5 to 6, 6 to 7, ...), one row per top band reached. A band with
 * nobody shortlisted in either group is not a step and is skipped.
 */
static int kline_rows(indicator_run *run, const group_sum *bands, size_t n)
{
	const char *from = run->options->kline_from ? run->options->kline_from : "5";
	int from_rank = afc_band_rank(from);
	parity_stratum steps[16];
	char names[sizeof ((parity_result_row *)0)->steps] = "";
	size_t count = 0;
	int low = 0, rc = 0;
	for (size_t i = 0; i < n && count < 16 && !rc; i++) {
		const char *band = tally_text(run->t, D_PAY, bands[i].key);
		int rank = afc_band_rank(band);
		const parity_stratum *c = &bands[i].counts;
		if (rank <= from_rank || !c->n1 || !c->n2 || !counts_possible(c))
			continue;
		steps[count++] = *c;
		size_t used = strlen(names);
		snprintf(names + used, sizeof names - used, "%s%s", used ? ";" : "", band);
		low |= parity_ratio_low_count(c->x1, c->n1, c->x2, c->n2,
		                              run->options->settings.low_count_min);
		parity_compound compound;
		if ((rc = parity_compound_ratio(&compound, steps, count,
		                                run->options->settings.level)))
			break;
		char stratum[64];
		snprintf(stratum, sizeof stratum, "band %s to %s", from, band);
		parity_result_row *row = indicator_row(run, "kline", stratum, NULL);
		if (!row)
			return PARITY_ENOMEM;
		parity_stratum none = {0, 0, 0, 0};
		ratio_untested(&row->ratio, &none, &run->options->settings);
		row->ratio.level = compound.level;
		row->ratio.estimable = compound.estimable;
		row->ratio.ratio = compound.ratio;
		row->ratio.ci_low = compound.ci_low;
		row->ratio.ci_high = compound.ci_high;
		row->ratio.band = parity_band_classify(compound.ratio, compound.estimable);
		row->ratio.excludes_one = compound.estimable &&
		                          (compound.ci_low > 1 || compound.ci_high < 1);
		row->ratio.low_count = low;
		row->compound = compound;
		snprintf(row->steps, sizeof row->steps, "%s", names);
		snprintf(row->estimate, sizeof row->estimate, "kline-compound");
		snprintf(row->interval, sizeof row->interval, "log-sum");
	}
	return rc;
}

/*
 * One standard indicator from its measure's tally: the overall row, then
 * the organisation, pay band and staff group breakdowns (with Kline's
 * compound ratio for appointment indicators). `full` 0 gives only the
 * overall and organisation rows (the trend series).
 */
static int standard_indicator(indicator_run *run, int full)
{
	group_sum *all = NULL, *orgs = NULL, *bands = NULL;
	size_t all_count = 0, org_count = 0, band_count = 0;
	int rc;
	grouping_standard(&run->g, run->info);
	if ((rc = tally_sum(&all, &all_count, run->t, &run->g, -1,
	                    run->options->include_bank)))
		return rc;
	if ((rc = tally_sum(&orgs, &org_count, run->t, &run->g, D_ORG,
	                    run->options->include_bank)))
		goto done;
	const char *overall_label = org_count == 1
	                                    ? tally_text(run->t, D_ORG, orgs[0].key)
	                                    : "All organisations";
	parity_result_row *row = indicator_row(run, "overall", overall_label, &all[0]);
	if (!row) {
		rc = PARITY_ENOMEM;
		goto done;
	}
	size_t overall_index = *run->count - 1;
	if ((rc = row_crude(row, &all[0], &run->options->settings)) ||
	    (full && (rc = row_adjust(row, run->t, &run->g, run->options))))
		goto done;
	parity_ratio crude = (*run->rows)[overall_index].ratio;
	if (run->rows == &run->results->rows && !strcmp(run->info->code, "WRES2"))
		run->results->excluded_not_stated = all[0].unknown_base;
	if (org_count > 1 &&
	    (rc = breakdown(run, D_ORG, "organisation", "All organisations (pooled)",
	                    &crude, full, NULL, NULL)))
		goto done;
	if (!full)
		goto done;
	if ((rc = breakdown(run, D_PAY, "pay_band", "All pay bands (pooled)", &crude, 0,
	                    &bands, &band_count)))
		goto done;
	if ((rc = breakdown(run, D_GROUP, "staff_group", "All staff groups (pooled)",
	                    &crude, 0, NULL, NULL)))
		goto done;
	if (!strcmp(run->info->measure, "appointment"))
		rc = kline_rows(run, bands, band_count);
done:
	free(all);
	free(orgs);
	free(bands);
	return rc;
}

static measure measure_of(const parity_indicator_info *info)
{
	for (int m = 0; m < M_COUNT; m++)
		if (!strcmp(measure_get((measure)m)->name, info->measure))
			return (measure)m;
	return M_APPOINTMENT;
}

/* ---- trend ------------------------------------------------------------------ */

/* The trend: one set of tallies per financial year the data reach, each
 * with only the measures of the standard indicators. */
typedef struct trend_plan {
	tally (*years)[M_COUNT];
	parity_period *periods;
	size_t count;
	int spans[M_COUNT][2];
	int has[M_COUNT];
} trend_plan;

static void trend_free(trend_plan *tp)
{
	for (size_t y = 0; y < tp->count; y++)
		for (int m = 0; m < M_COUNT; m++)
			tally_free(&tp->years[y][m]);
	free(tp->years);
	free(tp->periods);
	memset(tp, 0, sizeof *tp);
}

/* Set up and register the tallies of every financial year from the first
 * to the last month of data. Returns 0 or a negative parity error. */
static int trend_plan_make(trend_plan *tp, plan *p, parity_store *store,
                           const parity_analyse_options *options)
{
	int first = 0, last = 0, found = 0, rc = 0;
	memset(tp, 0, sizeof *tp);
	for (int m = 0; m < M_COUNT; m++) {
		rc = tally_span(store, (measure)m, options->organisation, &tp->spans[m][0],
		                &tp->spans[m][1]);
		if (rc < 0)
			return rc;
		tp->has[m] = rc == 0;
		rc = 0;
		if (!tp->has[m])
			continue;
		if (!found || tp->spans[m][0] < first)
			first = tp->spans[m][0];
		if (!found || tp->spans[m][1] > last)
			last = tp->spans[m][1];
		found = 1;
	}
	if (!found)
		return 0;
	parity_period year;
	size_t years = 0;
	parity_period_financial_year(&year, first);
	for (; year.first_month <= last; parity_period_financial_year(&year, year.last_month + 1))
		years++;
	tp->years = calloc(years, sizeof *tp->years);
	tp->periods = calloc(years, sizeof *tp->periods);
	if (!tp->years || !tp->periods) {
		trend_free(tp);
		return parity_error_set(PARITY_ENOMEM, "out of memory");
	}
	parity_period_financial_year(&year, first);
	for (; tp->count < years && !rc;
	     parity_period_financial_year(&year, year.last_month + 1)) {
		tp->periods[tp->count] = year;
		rc = plan_measures(tp->years[tp->count++], p, &year, options, 0);
	}
	return rc;
}

/* One row set per financial year the data runs to the end of, for every
 * standard indicator: the overall row, each organisation's and their
 * pooled row. */
static int trend_series(parity_results *results, const trend_plan *tp,
                        const parity_analyse_options *options)
{
	int rc = 0;
	for (size_t y = 0; y < tp->count && !rc; y++) {
		const parity_period *year = &tp->periods[y];
		for (size_t i = 0; parity_indicator_info_at(i) && !rc; i++) {
			const parity_indicator_info *info = parity_indicator_info_at(i);
			measure m = measure_of(info);
			const tally *t = &tp->years[y][m];
			/* Finished years only: the data runs to the year's end (a
			 * year the data starts part-way through is flagged). */
			if (!tp->has[m] || year->last_month > tp->spans[m][1] || !t->periods ||
			    !t->cells)
				continue;
			indicator_run run = {
				.results = results, .info = info, .t = t,
				.options = options, .rows = &results->trend,
				.count = &results->trend_count,
				.capacity = &results->trend_capacity, .period = year->label,
			};
			rc = standard_indicator(&run, 0);
		}
	}
	return rc;
}

/* ---- the run ---------------------------------------------------------------- */

static int check_options(const parity_analyse_options *options)
{
	if (options->rolling_years > MAX_ROLLING_YEARS)
		return parity_error_set(PARITY_EUSAGE, "rolling window of %u years: at most "
		                        "%d", options->rolling_years, MAX_ROLLING_YEARS);
	if (options->cohort_window_months > 120)
		return parity_error_set(PARITY_EUSAGE, "cohort window of %u months: at most "
		                        "120", options->cohort_window_months);
	if (options->kline_from && afc_band_rank(options->kline_from) < 0)
		return parity_error_set(PARITY_EUSAGE, "Kline ladder start \"%.20s\" is not an "
		                        "Agenda for Change band (2-9, 8a-8d)",
		                        options->kline_from);
	if (options->funnel_limits != PARITY_FUNNEL_LOGNORMAL &&
	    options->funnel_adjust != PARITY_FUNNEL_PLAIN)
		return parity_error_set(PARITY_EUSAGE, "%s funnel limits take no "
		                        "over-dispersion adjustment: use plain, or "
		                        "lognormal limits",
		                        parity_funnel_limits_name(options->funnel_limits));
	int rc = adjust_check(options);
	if (rc)
		return rc;
	if (options->reference_count > PARITY_MAX_REFERENCES)
		return parity_error_set(PARITY_EUSAGE, "too many reference categories");
	for (size_t i = 0; i < options->reference_count; i++) {
		const parity_reference *r = &options->references[i];
		int known = 0;
		for (int d = D_ETHNIC; d < D_COUNT; d++)
			if (r->characteristic && d != D_PAY && d != D_GROUP && d != D_CONTRACT &&
			    d != D_GROUNDS && d != D_STAGE && d != D_PROCESS &&
			    !strcmp(r->characteristic, dimension_column(d)))
				known = 1;
		if (!known || !r->code || !r->code[0])
			return parity_error_set(PARITY_EUSAGE,
			                        "reference \"%.40s\": use ethnic_category, sex, "
			                        "disability, age_band, sexual_orientation or "
			                        "religion with a code",
			                        r->characteristic ? r->characteristic : "");
	}
	if (options->intersection_count > PARITY_MAX_INTERSECTIONS)
		return parity_error_set(PARITY_EUSAGE, "too many intersections: at most %d",
		                        PARITY_MAX_INTERSECTIONS);
	for (size_t i = 0; i < options->intersection_count; i++) {
		intersection x;
		if (intersection_parse(&x, options->intersections[i]))
			return PARITY_EUSAGE;
	}
	return 0;
}

/* Everything one run reads, filled by one pass over the store. */
typedef struct run_tallies {
	values vals;
	plan p;
	tally main[M_COUNT];
	tally cases;
	trend_plan trend;
	cohort_tallies cohorts;
} run_tallies;

static void run_tallies_free(run_tallies *rt)
{
	for (int m = 0; m < M_COUNT; m++)
		tally_free(&rt->main[m]);
	tally_free(&rt->cases);
	trend_free(&rt->trend);
	cohorts_free(&rt->cohorts);
	plan_free(&rt->p);
	values_free(&rt->vals);
}

/* Set up every tally of the run and fill them. */
static int run_read(run_tallies *rt, parity_store *store, const parity_period *period,
                    const parity_analyse_options *options)
{
	int rc;
	rt->p.vals = &rt->vals;
	rt->p.organisation = options->organisation;
	if ((rc = plan_measures(rt->main, &rt->p, period, options, 1)) ||
	    (rc = stages_plan(&rt->cases, &rt->p, period, options)) ||
	    (!options->no_trend && (rc = trend_plan_make(&rt->trend, &rt->p, store, options))) ||
	    (options->cohorts && (rc = cohorts_plan(&rt->cohorts, &rt->p, options))))
		return rc;
	return plan_run(&rt->p, store);
}

int parity_analyse_run(parity_results **out, parity_store *store,
                       const parity_analyse_options *given)
{
	parity_results *results = NULL;
	parity_analyse_options options;
	parity_period period;
	run_tallies *rt = NULL;
	int rc;

	*out = NULL;
	if (!store)
		return parity_error_set(PARITY_EUSAGE, "parity_analyse_run: no store");
	if (given)
		options = *given;
	else
		parity_analyse_options_default(&options);
	if (options.rolling_years == 0)
		options.rolling_years = 2;
	if (options.cohort_window_months == 0)
		options.cohort_window_months = 12;
	if (!options.kline_from)
		options.kline_from = "5";
	if ((rc = check_options(&options)))
		return rc;
	if (options.period)
		rc = parity_period_parse(&period, options.period);
	else
		rc = latest_complete_year(store, options.organisation, &period);
	if (!rc && period.first_month == PARITY_PERIOD_ALL_FIRST &&
	    period.last_month == PARITY_PERIOD_ALL_LAST)
		rc = all_months(store, options.organisation, &period);
	if (rc)
		return rc;

	results = calloc(1, sizeof *results);
	rt = calloc(1, sizeof *rt);
	if (!results || !rt) {
		rc = parity_error_set(PARITY_ENOMEM, "out of memory");
		goto fail;
	}
	snprintf(results->period, sizeof results->period, "%s", period.label);
	if (options.organisation)
		snprintf(results->organisation, sizeof results->organisation, "%s",
		         options.organisation);
	results->settings = options.settings;
	results->first_month = period.first_month;
	results->last_month = period.last_month;
	results->rolling_years = options.rolling_years;
	results->cohort_window_months = options.cohort_window_months;
	results->include_bank = options.include_bank;
	if ((rc = note_coverage(results, store, &period, options.organisation)) ||
	    (rc = run_read(rt, store, &period, &options)))
		goto fail;

	int any = 0;
	for (size_t i = 0; parity_indicator_info_at(i) && !rc; i++) {
		const parity_indicator_info *info = parity_indicator_info_at(i);
		const tally *t = &rt->main[measure_of(info)];
		if (!t->periods || !t->cells) {
			rc = results_note(results, "%s: no %s data for %s%s%s", info->code,
			                  measure_get(measure_of(info))->name, period.label,
			                  options.organisation ? " and organisation " : "",
			                  options.organisation ? options.organisation : "");
			continue;
		}
		indicator_run run = {
			.results = results, .info = info, .t = t, .options = &options,
			.rows = &results->rows, .count = &results->count,
			.capacity = &results->capacity, .period = period.label,
		};
		rc = standard_indicator(&run, 1);
		any = 1;
	}
	if (rc)
		goto fail;
	if (!any) {
		rc = parity_error_set(PARITY_EDATA, "%s: no data for %s%s%s",
		                      parity_store_path(store), period.label,
		                      options.organisation ? " and organisation " : "",
		                      options.organisation ? options.organisation : "");
		goto fail;
	}
	if (!options.no_comparisons) {
		unsigned noted = 0;
		const char *label = options.organisation ? options.organisation
		                                         : "All organisations";
		for (int m = 0; m < M_COUNT && !rc; m++)
			if (rt->main[m].periods && rt->main[m].cells)
				rc = comparisons_add(results, &rt->main[m], label, &options, &noted);
		if (rc)
			goto fail;
	}
	if ((rc = stages_add(results, &rt->cases, &options)) ||
	    (rc = families_adjust(results->rows, results->count)))
		goto fail;
	if (!options.no_trend && ((rc = trend_series(results, &rt->trend, &options)) ||
	                          (rc = families_adjust(results->trend, results->trend_count))))
		goto fail;
	if (options.cohorts &&
	    (rc = cohorts_evaluate(results, store, &rt->cohorts, &options)))
		goto fail;
	cohorts_mark_trend(results);
	run_tallies_free(rt);
	free(rt);
	*out = results;
	return 0;
fail:
	if (rt) {
		run_tallies_free(rt);
		free(rt);
	}
	parity_results_free(results);
	return rc;
}
