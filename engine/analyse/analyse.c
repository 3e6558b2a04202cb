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
	for (size_t i = 0; i < results->programme_count; i++)
		free(results->programme[i].cells);
	free(results->programme);
	free(results->programme_cohorts);
	free(results->programme_cells);
	free(results);
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
	programme_tallies programme;
} run_tallies;

static void run_tallies_free(run_tallies *rt)
{
	for (int m = 0; m < M_COUNT; m++)
		tally_free(&rt->main[m]);
	tally_free(&rt->cases);
	trend_free(&rt->trend);
	cohorts_free(&rt->cohorts);
	programme_free(&rt->programme);
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
	if ((rc = standard_plan(rt->main, &rt->p, period, options, 1)) ||
	    (rc = stages_plan(&rt->cases, &rt->p, period, options)) ||
	    (!options->no_trend && (rc = trend_plan_make(&rt->trend, &rt->p, store, options))) ||
	    (options->cohorts && (rc = cohorts_plan(&rt->cohorts, &rt->p, options))) ||
	    (options->programme &&
	     (rc = programme_plan(&rt->programme, &rt->p, store, options))))
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
	if ((rc = standard_add(results, rt->main, &options, &period, &any)))
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
	if (options.programme &&
	    (rc = programme_evaluate(results, &rt->programme, &options)))
		goto fail;
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
