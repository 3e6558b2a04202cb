/*
 * analyse.c: computes the indicators from the count store. Reads summed
 * counts for a period, splits them into the indicator's two groups, and
 * hands each stratum (each organisation, and all together) to the
 * statistics module. No formula lives here: only counting and grouping.
 */
#include "parity/analyse.h"

#include "parity/codes.h"
#include "parity/common.h"
#include "parity/period.h"
#include "store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const parity_indicator_info indicators[] = {
	{"WRES2", "WRES indicator 2: appointment from shortlisting", "shortlisted",
	 "appointed", "White shortlisted applicants", "BME shortlisted applicants",
	 "to be appointed", 1},
};

const parity_indicator_info *parity_indicator_info_find(const char *code)
{
	for (size_t i = 0; i < sizeof indicators / sizeof indicators[0]; i++)
		if (code && !strcmp(indicators[i].code, code))
			return &indicators[i];
	return NULL;
}

void parity_analyse_options_default(parity_analyse_options *out)
{
	memset(out, 0, sizeof *out);
	parity_stats_settings_default(&out->settings);
}

void parity_results_free(parity_results *results)
{
	if (!results)
		return;
	free(results->rows);
	free(results);
}

/* Append a zeroed row; NULL when memory runs out (error set). */
static parity_result_row *add_row(parity_results *results)
{
	if (results->count == results->capacity) {
		size_t capacity = results->capacity ? results->capacity * 2 : 16;
		parity_result_row *rows = realloc(results->rows, capacity * sizeof *rows);
		if (!rows) {
			parity_error_set(PARITY_ENOMEM, "out of memory");
			return NULL;
		}
		results->rows = rows;
		results->capacity = capacity;
	}
	parity_result_row *row = &results->rows[results->count++];
	memset(row, 0, sizeof *row);
	return row;
}

/*
 * The latest financial year that the store's recruitment data covers to
 * its last month: the default period when none is asked for.
 */
static int latest_complete_year(parity_store *store, parity_period *out)
{
	sqlite3_stmt *stmt = NULL;
	int rc = store_prepare(store, &stmt,
	                       "SELECT min(month), max(month) FROM cells "
	                       "WHERE kind = 'recruitment'");
	if (rc)
		return rc;
	int step = sqlite3_step(stmt);
	if (step != SQLITE_ROW) {
		sqlite3_finalize(stmt);
		return store_fail(store, step, "finding the latest period");
	}
	if (sqlite3_column_type(stmt, 1) == SQLITE_NULL) {
		sqlite3_finalize(stmt);
		return parity_error_set(PARITY_EDATA,
		                        "%s: holds no recruitment data yet: ingest a "
		                        "recruitment extract first",
		                        parity_store_path(store));
	}
	int first = sqlite3_column_int(stmt, 0);
	int last = sqlite3_column_int(stmt, 1);
	sqlite3_finalize(stmt);
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

/* Counts for one stratum of WRES 2. */
typedef struct wres2_counts {
	char organisation[64];
	uint64_t white_shortlisted, white_appointed;
	uint64_t bme_shortlisted, bme_appointed;
	uint64_t unknown_shortlisted;
} wres2_counts;

static int fill_row(parity_results *results, const parity_analyse_options *options,
                    const char *kind, const char *stratum, const wres2_counts *c)
{
	parity_result_row *row = add_row(results);
	if (!row)
		return PARITY_ENOMEM;
	snprintf(row->indicator, sizeof row->indicator, "WRES2");
	snprintf(row->grouping, sizeof row->grouping, "white_bme");
	snprintf(row->group1, sizeof row->group1, "White");
	snprintf(row->group2, sizeof row->group2, "BME");
	snprintf(row->stratum_kind, sizeof row->stratum_kind, "%s", kind);
	snprintf(row->stratum, sizeof row->stratum, "%s", stratum);
	snprintf(row->period, sizeof row->period, "%s", results->period);
	return parity_ratio_compute(&row->ratio, c->white_appointed, c->white_shortlisted,
	                            c->bme_appointed, c->bme_shortlisted,
	                            &options->settings);
}

/*
 * WRES 2: of shortlisted applicants, the rate appointed for White (A-C)
 * against BME (every other stated category), per organisation and over all.
 * Not stated and not known are excluded from both groups and counted.
 */
static int analyse_wres2(parity_results *results, parity_store *store,
                         const parity_period *period,
                         const parity_analyse_options *options)
{
	sqlite3_stmt *stmt = NULL;
	wres2_counts *orgs = NULL;
	size_t org_count = 0;
	wres2_counts all;
	int rc = store_prepare(store, &stmt,
	                       "SELECT organisation, ethnic_category, sum(shortlisted), "
	                       "sum(appointed) FROM cells WHERE kind = 'recruitment' AND "
	                       "month BETWEEN ?1 AND ?2 AND (?3 IS NULL OR organisation = ?3) "
	                       "GROUP BY organisation, ethnic_category "
	                       "ORDER BY organisation");
	if (rc)
		return rc;
	memset(&all, 0, sizeof all);
	sqlite3_bind_int(stmt, 1, period->first_month);
	sqlite3_bind_int(stmt, 2, period->last_month);
	if (options->organisation)
		sqlite3_bind_text(stmt, 3, options->organisation, -1, SQLITE_STATIC);
	int step;
	while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
		const char *org = (const char *)sqlite3_column_text(stmt, 0);
		const char *code = (const char *)sqlite3_column_text(stmt, 1);
		uint64_t shortlisted = (uint64_t)sqlite3_column_int64(stmt, 2);
		uint64_t appointed = (uint64_t)sqlite3_column_int64(stmt, 3);
		if (!org_count || strcmp(orgs[org_count - 1].organisation, org) != 0) {
			wres2_counts *grown = realloc(orgs, (org_count + 1) * sizeof *grown);
			if (!grown) {
				rc = parity_error_set(PARITY_ENOMEM, "out of memory");
				goto done;
			}
			orgs = grown;
			memset(&orgs[org_count], 0, sizeof orgs[org_count]);
			snprintf(orgs[org_count].organisation,
			         sizeof orgs[org_count].organisation, "%s", org);
			org_count++;
		}
		wres2_counts *c = &orgs[org_count - 1];
		switch (parity_ethnic_group(code)) {
		case 'W':
			c->white_shortlisted += shortlisted;
			c->white_appointed += appointed;
			break;
		case 'B':
			c->bme_shortlisted += shortlisted;
			c->bme_appointed += appointed;
			break;
		default:
			c->unknown_shortlisted += shortlisted;
			break;
		}
	}
	if (step != SQLITE_DONE) {
		rc = store_fail(store, step, "reading recruitment counts");
		goto done;
	}
	if (org_count == 0) {
		rc = parity_error_set(PARITY_EDATA,
		                      "%s: no recruitment data for %s%s%s",
		                      parity_store_path(store), period->label,
		                      options->organisation ? " and organisation " : "",
		                      options->organisation ? options->organisation : "");
		goto done;
	}
	for (size_t i = 0; i < org_count; i++) {
		all.white_shortlisted += orgs[i].white_shortlisted;
		all.white_appointed += orgs[i].white_appointed;
		all.bme_shortlisted += orgs[i].bme_shortlisted;
		all.bme_appointed += orgs[i].bme_appointed;
		all.unknown_shortlisted += orgs[i].unknown_shortlisted;
	}
	results->excluded_not_stated = all.unknown_shortlisted;
	if ((rc = fill_row(results, options, "overall",
	                   org_count == 1 ? orgs[0].organisation : "All organisations",
	                   &all)))
		goto done;
	if (org_count > 1)
		for (size_t i = 0; i < org_count && !rc; i++)
			rc = fill_row(results, options, "organisation", orgs[i].organisation,
			              &orgs[i]);
done:
	sqlite3_finalize(stmt);
	free(orgs);
	return rc;
}

int parity_analyse_run(parity_results **out, parity_store *store,
                       const parity_analyse_options *options)
{
	parity_results *results = NULL;
	parity_analyse_options defaults;
	parity_period period;
	int rc;

	*out = NULL;
	if (!store)
		return parity_error_set(PARITY_EUSAGE, "parity_analyse_run: no store");
	if (!options) {
		parity_analyse_options_default(&defaults);
		options = &defaults;
	}
	if (options->period)
		rc = parity_period_parse(&period, options->period);
	else
		rc = latest_complete_year(store, &period);
	if (rc)
		return rc;

	results = calloc(1, sizeof *results);
	if (!results)
		return parity_error_set(PARITY_ENOMEM, "out of memory");
	snprintf(results->period, sizeof results->period, "%s", period.label);
	if (options->organisation)
		snprintf(results->organisation, sizeof results->organisation, "%s",
		         options->organisation);
	results->settings = options->settings;

	if ((rc = analyse_wres2(results, store, &period, options))) {
		parity_results_free(results);
		return rc;
	}
	*out = results;
	return 0;
}
