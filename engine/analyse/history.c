/*
 * history.c: every analysis run kept in the database (tables runs,
 * run_results and run_cohorts, schema version 2): when it ran, with which
 * engine and settings, for which period, how it ended, and its results.
 * It sits with the analyses, whose results it keeps, and writes them
 * through the store's internals.
 */
#include "parity/analyse.h"
#include "parity/common.h"
#include "store/store_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void utc_now(char *out, size_t size)
{
	time_t now = time(NULL);
	struct tm tm;
	if (!gmtime_r(&now, &tm) || !strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(out, size, "unknown");
}

/* The options as a JSON object, for the runs table. Caller frees. */
static char *settings_json(const parity_analyse_options *o)
{
	char *text = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&text, &size);
	if (!out)
		return NULL;
	fputs("{\"method\": ", out);
	parity_json_string(out, parity_ci_method_name(o->settings.method));
	fputs(", \"level\": ", out);
	parity_json_double(out, o->settings.level);
	fprintf(out, ", \"low_count_min\": %llu, \"rolling_years\": %u, "
	        "\"include_bank\": %s, \"cohort_window_months\": %u, \"funnel\": \"%s\", "
	        "\"kline_from\": ", (unsigned long long)o->settings.low_count_min,
	        o->rolling_years ? o->rolling_years : 2, o->include_bank ? "true" : "false",
	        o->cohort_window_months ? o->cohort_window_months : 12,
	        o->funnel_adjust == PARITY_FUNNEL_ADDITIVE ? "additive" : "plain");
	parity_json_string(out, o->kline_from ? o->kline_from : "5");
	fputs(", \"period\": ", out);
	if (o->period)
		parity_json_string(out, o->period);
	else
		fputs("null", out);
	fputs(", \"organisation\": ", out);
	if (o->organisation)
		parity_json_string(out, o->organisation);
	else
		fputs("null", out);
	fprintf(out, ", \"cohorts\": %zu, \"references\": {",
	        o->cohorts ? o->cohorts->count : (size_t)0);
	for (size_t i = 0; i < o->reference_count && i < PARITY_MAX_REFERENCES; i++) {
		if (i)
			fputs(", ", out);
		parity_json_string(out, o->references[i].characteristic
		                                ? o->references[i].characteristic : "");
		fputs(": ", out);
		parity_json_string(out, o->references[i].code ? o->references[i].code : "");
	}
	fputs("}", out);
	/* Only when asked for, so the settings of earlier runs read the same. */
	if (o->intersection_count) {
		fputs(", \"intersections\": [", out);
		for (size_t i = 0; i < o->intersection_count && i < PARITY_MAX_INTERSECTIONS;
		     i++) {
			if (i)
				fputs(", ", out);
			parity_json_string(out, o->intersections[i] ? o->intersections[i] : "");
		}
		fputs("]", out);
	}
	fputs("}", out);
	if (fclose(out) != 0) {
		free(text);
		return NULL;
	}
	return text;
}

int parity_history_begin(int64_t *run_id, parity_store *store,
                         const parity_analyse_options *options)
{
	sqlite3_stmt *stmt = NULL;
	parity_analyse_options defaults;
	char started[32];
	*run_id = 0;
	if (!store)
		return parity_error_set(PARITY_EUSAGE, "parity_history_begin: no store");
	if (!options) {
		parity_analyse_options_default(&defaults);
		options = &defaults;
	}
	char *settings = settings_json(options);
	if (!settings)
		return parity_error_set(PARITY_ENOMEM, "out of memory");
	utc_now(started, sizeof started);
	int rc = store_prepare(store, &stmt,
	                       "INSERT INTO runs(started, engine_version, settings, period, "
	                       "status) VALUES(?1, ?2, ?3, ?4, 'running')");
	if (!rc) {
		sqlite3_bind_text(stmt, 1, started, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(stmt, 2, parity_version(), -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 3, settings, -1, SQLITE_TRANSIENT);
		if (options->period)
			sqlite3_bind_text(stmt, 4, options->period, -1, SQLITE_TRANSIENT);
		int step = sqlite3_step(stmt);
		if (step != SQLITE_DONE)
			rc = store_fail(store, step, "recording the run");
		else
			*run_id = sqlite3_last_insert_rowid(store_db(store));
	}
	sqlite3_finalize(stmt);
	free(settings);
	return rc;
}

/* A double that may be missing (NaN) or not estimable: NULL then. */
static void bind_number(sqlite3_stmt *stmt, int index, double value, int present)
{
	if (!present || isnan(value))
		sqlite3_bind_null(stmt, index);
	else
		sqlite3_bind_double(stmt, index, value);
}

static int keep_rows(parity_store *store, int64_t run_id, const char *section,
                     const parity_result_row *rows, size_t count)
{
	sqlite3_stmt *stmt = NULL;
	int rc = store_prepare(store, &stmt,
	                       "INSERT INTO run_results(run_id, section, indicator, grouping, "
	                       "group1, group2, stratum_kind, stratum, period, window_label, x1, "
	                       "n1, x2, n2, ratio, ci_low, ci_high, p, estimate, pooled, "
	                       "flags) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
	                       "?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)");
	if (rc)
		return rc;
	for (size_t i = 0; i < count && !rc; i++) {
		const parity_result_row *row = &rows[i];
		const parity_ratio *r = &row->ratio;
		const char *text[] = {section, row->indicator, row->grouping, row->group1,
		                      row->group2, row->stratum_kind, row->stratum,
		                      row->period, row->window};
		sqlite3_reset(stmt);
		sqlite3_bind_int64(stmt, 1, run_id);
		for (int t = 0; t < 9; t++)
			sqlite3_bind_text(stmt, 2 + t, text[t], -1, SQLITE_STATIC);
		sqlite3_bind_int64(stmt, 11, (sqlite3_int64)r->x1);
		sqlite3_bind_int64(stmt, 12, (sqlite3_int64)r->n1);
		sqlite3_bind_int64(stmt, 13, (sqlite3_int64)r->x2);
		sqlite3_bind_int64(stmt, 14, (sqlite3_int64)r->n2);
		bind_number(stmt, 15, r->ratio, r->estimable);
		bind_number(stmt, 16, r->ci_low, r->estimable);
		bind_number(stmt, 17, r->ci_high, r->estimable);
		bind_number(stmt, 18, row->pooled ? row->pool.p : r->p_fisher, 1);
		sqlite3_bind_text(stmt, 19, row->estimate, -1, SQLITE_STATIC);
		sqlite3_bind_int(stmt, 20, row->pooled);
		sqlite3_bind_text(stmt, 21, row->flags, -1, SQLITE_STATIC);
		int step = sqlite3_step(stmt);
		if (step != SQLITE_DONE)
			rc = store_fail(store, step, "keeping the run's results");
	}
	sqlite3_finalize(stmt);
	return rc;
}

static int keep_cohorts(parity_store *store, int64_t run_id,
                        const parity_results *results)
{
	sqlite3_stmt *stmt = NULL;
	int rc = store_prepare(store, &stmt,
	                       "INSERT INTO run_cohorts(run_id, cohort_id, indicator, arm, "
	                       "organisations, before_window, after_window, before_ratio, "
	                       "after_ratio, ratio, ci_low, ci_high, p, verdict) "
	                       "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
	                       "?13, ?14)");
	if (rc)
		return rc;
	for (size_t i = 0; i < results->cohort_count && !rc; i++) {
		const parity_cohort_result *c = &results->cohorts[i];
		const char *text[] = {c->cohort_id, c->indicator, c->arm, c->organisations,
		                      c->before_window, c->after_window};
		sqlite3_reset(stmt);
		sqlite3_bind_int64(stmt, 1, run_id);
		for (int t = 0; t < 6; t++)
			sqlite3_bind_text(stmt, 2 + t, text[t], -1, SQLITE_STATIC);
		int arm = strcmp(c->arm, "difference") != 0;
		bind_number(stmt, 8, c->before.ratio, arm && c->before.estimable);
		bind_number(stmt, 9, c->after.ratio, arm && c->after.estimable);
		bind_number(stmt, 10, c->change.ratio, c->change.estimable);
		bind_number(stmt, 11, c->change.ci_low, c->change.estimable);
		bind_number(stmt, 12, c->change.ci_high, c->change.estimable);
		bind_number(stmt, 13, c->change.p, c->change.estimable);
		sqlite3_bind_text(stmt, 14, c->verdict, -1, SQLITE_STATIC);
		int step = sqlite3_step(stmt);
		if (step != SQLITE_DONE)
			rc = store_fail(store, step, "keeping the run's cohort results");
	}
	sqlite3_finalize(stmt);
	return rc;
}

int parity_history_finish(parity_store *store, int64_t run_id,
                          const parity_results *results, const char *status,
                          const char *message)
{
	sqlite3_stmt *stmt = NULL;
	char finished[32];
	int rc;
	if (!store || !status)
		return parity_error_set(PARITY_EUSAGE, "parity_history_finish: no %s",
		                        store ? "status" : "store");
	if ((rc = store_exec(store, "BEGIN IMMEDIATE", "keeping the run")))
		return rc;
	utc_now(finished, sizeof finished);
	rc = store_prepare(store, &stmt,
	                   "UPDATE runs SET finished = ?2, status = ?3, message = ?4, "
	                   "period = coalesce(?5, period) WHERE id = ?1");
	if (rc)
		goto fail;
	sqlite3_bind_int64(stmt, 1, run_id);
	sqlite3_bind_text(stmt, 2, finished, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 3, status, -1, SQLITE_TRANSIENT);
	if (message)
		sqlite3_bind_text(stmt, 4, message, -1, SQLITE_TRANSIENT);
	if (results)
		sqlite3_bind_text(stmt, 5, results->period, -1, SQLITE_TRANSIENT);
	int step = sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	if (step != SQLITE_DONE) {
		rc = store_fail(store, step, "finishing the run");
		goto fail;
	}
	if (sqlite3_changes(store_db(store)) != 1) {
		rc = parity_error_set(PARITY_EUSAGE, "%s: no run %lld to finish",
		                      parity_store_path(store), (long long)run_id);
		goto fail;
	}
	if (results &&
	    ((rc = keep_rows(store, run_id, "results", results->rows, results->count)) ||
	     (rc = keep_rows(store, run_id, "trend", results->trend, results->trend_count)) ||
	     (rc = keep_cohorts(store, run_id, results))))
		goto fail;
	return store_commit(store, "keeping the run");
fail:
	store_rollback(store);
	return rc;
}

int parity_history_list(parity_run_record **out, size_t *count, parity_store *store)
{
	sqlite3_stmt *stmt = NULL;
	parity_run_record *runs = NULL;
	size_t n = 0;
	*out = NULL;
	*count = 0;
	if (!store)
		return parity_error_set(PARITY_EUSAGE, "parity_history_list: no store");
	int rc = store_prepare(store, &stmt,
	                       "SELECT id, started, coalesce(finished, ''), engine_version, "
	                       "coalesce(period, ''), status, (SELECT count(*) FROM "
	                       "run_results WHERE run_id = runs.id), command, "
	                       "coalesce(month, ''), warnings, coalesce(files, '') "
	                       "FROM runs ORDER BY id");
	if (rc)
		return rc;
	int step;
	while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
		parity_run_record *grown = realloc(runs, (n + 1) * sizeof *grown);
		if (!grown) {
			rc = parity_error_set(PARITY_ENOMEM, "out of memory");
			break;
		}
		runs = grown;
		parity_run_record *r = &runs[n++];
		memset(r, 0, sizeof *r);
		r->id = sqlite3_column_int64(stmt, 0);
		snprintf(r->started, sizeof r->started, "%s", sqlite3_column_text(stmt, 1));
		snprintf(r->finished, sizeof r->finished, "%s", sqlite3_column_text(stmt, 2));
		snprintf(r->engine_version, sizeof r->engine_version, "%s",
		         sqlite3_column_text(stmt, 3));
		snprintf(r->period, sizeof r->period, "%s", sqlite3_column_text(stmt, 4));
		snprintf(r->status, sizeof r->status, "%s", sqlite3_column_text(stmt, 5));
		r->rows = (uint64_t)sqlite3_column_int64(stmt, 6);
		snprintf(r->command, sizeof r->command, "%s", sqlite3_column_text(stmt, 7));
		snprintf(r->month, sizeof r->month, "%s", sqlite3_column_text(stmt, 8));
		r->warnings = (unsigned)sqlite3_column_int(stmt, 9);
		snprintf(r->files, sizeof r->files, "%s", sqlite3_column_text(stmt, 10));
	}
	if (!rc && step != SQLITE_DONE)
		rc = store_fail(store, step, "listing the runs");
	sqlite3_finalize(stmt);
	if (rc) {
		free(runs);
		return rc;
	}
	*out = runs;
	*count = n;
	return 0;
}
