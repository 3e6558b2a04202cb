/*
 * return_survey.c: the return's Staff Survey indicators (WRES 5-8, WDES
 * 4-9) from the store's survey table: each group's percentage (Wilson's
 * interval) or mean (t interval), the difference between the groups
 * (Newcombe's hybrid score interval; Welch's t interval for the
 * engagement score), and the difference in each earlier survey year for
 * the trend. A group of fewer than 11 respondents is withheld, and so is
 * every difference it enters, as the Staff Survey itself does.
 */
#include "return_internal.h"

#include "parity/common.h"
#include "parity/stats.h"
#include "store/store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SURVEY_MIN_RESPONDENTS 11
#define SURVEY_LEVEL 0.95
#define TREND_YEARS 4

/* An indicator: its standard and number, the questions that give it (a
 * national question number or the standard's own code), the two groups
 * (the protected group first: the difference is protected minus
 * reference), and whether it is a mean or the protected group only. */
typedef struct survey_indicator {
	const char *standard, *number;
	const char *question, *code;
	const char *group1, *group2; /* group2 NULL: one group only (WDES 8) */
	int mean;
} survey_indicator;
static const survey_indicator indicators[] = {
	{"WRES", "5", "q14a", "WRES5", "BME", "White", 0},
	{"WRES", "6", "WRES6", "WRES6", "BME", "White", 0},
	{"WRES", "7", "q15", "WRES7", "BME", "White", 0},
	{"WRES", "8", "q16b", "WRES8", "BME", "White", 0},
	{"WDES", "4a", "q14a", "WDES4a", "Disabled", "Non-disabled", 0},
	{"WDES", "4b", "q14b", "WDES4b", "Disabled", "Non-disabled", 0},
	{"WDES", "4c", "q14c", "WDES4c", "Disabled", "Non-disabled", 0},
	{"WDES", "4d", "q14d", "WDES4d", "Disabled", "Non-disabled", 0},
	{"WDES", "5", "q15", "WDES5", "Disabled", "Non-disabled", 0},
	{"WDES", "6", "q11e", "WDES6", "Disabled", "Non-disabled", 0},
	{"WDES", "7", "q4b", "WDES7", "Disabled", "Non-disabled", 0},
	{"WDES", "8", "q30b", "WDES8", "Disabled", NULL, 0},
	{"WDES", "9a", "engagement", "WDES9a", "Disabled", "Non-disabled", 1},
};

/* One group's result in one year. */
typedef struct result {
	int found;
	int64_t respondents, positive;
	double mean, sd;
} result;

static int fetch(sqlite3_stmt *stmt, result *out, const char *org, int year,
                 const survey_indicator *ind, const char *group, parity_store *store)
{
	memset(out, 0, sizeof *out);
	for (int k = 0; k < 2 && !out->found; k++) {
		sqlite3_reset(stmt);
		sqlite3_bind_text(stmt, 1, org, -1, SQLITE_STATIC);
		sqlite3_bind_int(stmt, 2, year);
		sqlite3_bind_text(stmt, 3, k ? ind->code : ind->question, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 4, group, -1, SQLITE_STATIC);
		int step = sqlite3_step(stmt);
		if (step == SQLITE_ROW) {
			out->found = 1;
			out->respondents = sqlite3_column_int64(stmt, 0);
			out->positive = sqlite3_column_type(stmt, 1) == SQLITE_NULL
			                ? -1 : sqlite3_column_int64(stmt, 1);
			out->mean = sqlite3_column_double(stmt, 2);
			out->sd = sqlite3_column_double(stmt, 3);
			if (ind->mean != (sqlite3_column_type(stmt, 2) != SQLITE_NULL))
				out->found = 0; /* a count where a mean is wanted, or back */
		} else if (step != SQLITE_DONE) {
			return store_fail(store, step, "reading the survey");
		}
	}
	return 0;
}

static int usable(const result *g)
{
	return g->found && g->respondents >= SURVEY_MIN_RESPONDENTS;
}

/* A group's row: its percentage or mean, with the interval. */
static int group_row(parity_return *r, const survey_indicator *ind, const char *org,
                     const char *group, const result *g)
{
	size_t i = return_add_row(r, ind->standard, ind->number, org, group,
	                          PARITY_RETURN_SURVEY);
	if (i == (size_t)-1)
		return PARITY_ENOMEM;
	parity_return_row *row = &r->rows[i];
	row->has_denominator = 1;
	row->denominator = (uint64_t)g->respondents;
	if (!usable(g)) {
		row->withheld = 1;
		return 0;
	}
	parity_estimate e;
	int rc;
	if (ind->mean) {
		rc = parity_mean_t(&e, g->mean, g->sd, (uint64_t)g->respondents, SURVEY_LEVEL);
	} else {
		row->has_numerator = 1;
		row->numerator = (uint64_t)g->positive;
		rc = parity_proportion_wilson(&e, (uint64_t)g->positive,
		                              (uint64_t)g->respondents, SURVEY_LEVEL);
		e.value *= 100.0;
		e.low *= 100.0;
		e.high *= 100.0;
	}
	if (rc) {
		parity_error_clear();
		row->withheld = 1;
		return 0;
	}
	row->has_value = row->has_ci = 1;
	row->value = e.value;
	row->ci_low = e.low;
	row->ci_high = e.high;
	return 0;
}

/* The difference protected minus reference in one year. */
static int difference_row(parity_return *r, const survey_indicator *ind, const char *org,
                          const char *indicator, const result *g1, const result *g2)
{
	char group[64];
	snprintf(group, sizeof group, "%s - %s", ind->group1, ind->group2);
	size_t i = return_add_row(r, ind->standard, indicator, org, group,
	                          PARITY_RETURN_SURVEY);
	if (i == (size_t)-1)
		return PARITY_ENOMEM;
	parity_return_row *row = &r->rows[i];
	if (!usable(g1) || !usable(g2)) {
		row->withheld = 1;
		return 0;
	}
	parity_estimate e;
	int rc;
	if (ind->mean) {
		rc = parity_difference_welch(&e, g1->mean, g1->sd, (uint64_t)g1->respondents,
		                             g2->mean, g2->sd, (uint64_t)g2->respondents,
		                             SURVEY_LEVEL);
	} else {
		rc = parity_difference_newcombe(&e, (uint64_t)g1->positive,
		                                (uint64_t)g1->respondents,
		                                (uint64_t)g2->positive,
		                                (uint64_t)g2->respondents, SURVEY_LEVEL);
		e.value *= 100.0;
		e.low *= 100.0;
		e.high *= 100.0;
	}
	if (rc) {
		parity_error_clear();
		row->withheld = 1;
		return 0;
	}
	row->has_value = row->has_ci = 1;
	row->value = e.value;
	row->ci_low = e.low;
	row->ci_high = e.high;
	return 0;
}

int return_survey_rows(parity_return *r, parity_store *store, const char *org, int *had)
{
	sqlite3_stmt *stmt = NULL;
	*had = 0;
	int rc = store_prepare(store, &stmt,
	                       "SELECT respondents, positive, mean, sd FROM survey "
	                       "WHERE organisation = ?1 AND survey_year = ?2 AND "
	                       "question = ?3 AND grp = ?4");
	if (rc)
		return rc;
	for (size_t k = 0; k < sizeof indicators / sizeof indicators[0] && !rc; k++) {
		const survey_indicator *ind = &indicators[k];
		result g1, g2;
		memset(&g2, 0, sizeof g2);
		if ((rc = fetch(stmt, &g1, org, r->survey_year, ind, ind->group1, store)) ||
		    (ind->group2 &&
		     (rc = fetch(stmt, &g2, org, r->survey_year, ind, ind->group2, store))))
			break;
		if (!g1.found && !g2.found)
			continue;
		*had = 1;
		if (g1.found && (rc = group_row(r, ind, org, ind->group1, &g1)))
			break;
		if (g2.found && (rc = group_row(r, ind, org, ind->group2, &g2)))
			break;
		if (!ind->group2 || !g1.found || !g2.found)
			continue;
		char indicator[64];
		snprintf(indicator, sizeof indicator, "%s difference", ind->number);
		if ((rc = difference_row(r, ind, org, indicator, &g1, &g2)))
			break;
		/* The trend: the difference in each earlier survey year held. */
		for (int year = r->survey_year - TREND_YEARS; year < r->survey_year && !rc;
		     year++) {
			result p1, p2;
			if ((rc = fetch(stmt, &p1, org, year, ind, ind->group1, store)) ||
			    (rc = fetch(stmt, &p2, org, year, ind, ind->group2, store)))
				break;
			if (!p1.found || !p2.found)
				continue;
			snprintf(indicator, sizeof indicator, "%s difference survey %d",
			         ind->number, year);
			rc = difference_row(r, ind, org, indicator, &p1, &p2);
		}
	}
	sqlite3_finalize(stmt);
	return rc;
}
