/*
 * run_history.c: the records of scheduled runs (schema version 3): which
 * command made each run, the month it reports for, its inbox file events,
 * and "what changed" for a month: the files delivered and the indicators
 * that moved by more than their interval since the previous month's run.
 */
#include "parity/run.h"

#include "parity/common.h"
#include "store/store_internal.h"
#include "util/util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int parity_run_label(parity_store *store, int64_t run_id, const char *command)
{
	sqlite3_stmt *stmt = NULL;
	int rc = store_prepare(store, &stmt, "UPDATE runs SET command = ? WHERE id = ?");
	if (rc)
		return rc;
	sqlite3_bind_text(stmt, 1, command, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, run_id);
	int step = sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	return step == SQLITE_DONE ? 0 : store_fail(store, step, "labelling the run");
}

int parity_run_save(parity_store *store, int64_t run_id, const char *month,
                    const char *status, unsigned warnings,
                    const parity_run_event *events, size_t count)
{
	sqlite3_stmt *stmt = NULL;
	int rc, step;

	if ((rc = store_exec(store, "BEGIN IMMEDIATE", "recording the run")))
		return rc;
	rc = store_prepare(store, &stmt,
	                   "INSERT INTO run_files(run_id, month, name, sha256, kind, event, "
	                   "detail) VALUES(?,?,?,?,?,?,?)");
	if (rc)
		goto fail;
	for (size_t i = 0; i < count && !rc; i++) {
		const parity_run_event *e = &events[i];
		sqlite3_bind_int64(stmt, 1, run_id);
		sqlite3_bind_text(stmt, 2, month, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 3, e->name, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 4, e->sha256, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 5, e->kind, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 6, e->event, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 7, e->detail, -1, SQLITE_STATIC);
		step = sqlite3_step(stmt);
		if (step != SQLITE_DONE)
			rc = store_fail(store, step, "recording the run's files");
		sqlite3_reset(stmt);
	}
	sqlite3_finalize(stmt);
	stmt = NULL;
	if (rc)
		goto fail;
	/* The files summary counts every event the run has recorded so far. */
	rc = store_prepare(store, &stmt,
	                   "UPDATE runs SET command = 'run', month = ?2, warnings = ?3, "
	                   "files = (SELECT printf('%d new, %d corrected, %d skipped, "
	                   "%d quarantined', count(*) FILTER (WHERE event = 'new'), "
	                   "count(*) FILTER (WHERE event = 'corrected'), count(*) FILTER "
	                   "(WHERE event = 'skipped'), count(*) FILTER (WHERE event = "
	                   "'quarantined')) FROM run_files WHERE run_id = ?1), "
	                   "status = CASE WHEN status = 'ok' THEN ?4 ELSE status END "
	                   "WHERE id = ?1");
	if (rc)
		goto fail;
	sqlite3_bind_int64(stmt, 1, run_id);
	sqlite3_bind_text(stmt, 2, month, -1, SQLITE_STATIC);
	sqlite3_bind_int(stmt, 3, (int)warnings);
	sqlite3_bind_text(stmt, 4, status, -1, SQLITE_STATIC);
	step = sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	stmt = NULL;
	if (step != SQLITE_DONE) {
		rc = store_fail(store, step, "recording the run");
		goto fail;
	}
	return store_commit(store, "recording the run");
fail:
	sqlite3_finalize(stmt);
	store_rollback(store);
	return rc;
}

int parity_run_file_reported(parity_store *store, const char *sha, const char *month,
                             int *this_month, int *ever, char *counts, size_t size,
                             char *replaced, size_t replaced_size)
{
	sqlite3_stmt *stmt = NULL;
	*this_month = *ever = 0;
	counts[0] = '\0';
	replaced[0] = '\0';
	int rc = store_prepare(store, &stmt,
	                       "SELECT (SELECT count(*) FROM run_files WHERE sha256 = ?1 "
	                       " AND month = ?2), (SELECT count(*) FROM run_files WHERE "
	                       " sha256 = ?1 AND event IN ('new', 'corrected')), "
	                       "(SELECT printf('%d rows, %d stored, %d rejected', rows_read, "
	                       " rows_accepted, rows_rejected) FROM files WHERE sha256 = ?1), "
	                       "(SELECT replaced FROM files WHERE sha256 = ?1)");
	if (rc)
		return rc;
	sqlite3_bind_text(stmt, 1, sha, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, month, -1, SQLITE_STATIC);
	int step = sqlite3_step(stmt);
	if (step == SQLITE_ROW) {
		*this_month = sqlite3_column_int(stmt, 0) > 0;
		*ever = sqlite3_column_int(stmt, 1) > 0;
		if (sqlite3_column_type(stmt, 2) != SQLITE_NULL)
			snprintf(counts, size, "%s", (const char *)sqlite3_column_text(stmt, 2));
		if (sqlite3_column_type(stmt, 3) != SQLITE_NULL)
			snprintf(replaced, replaced_size, "%s",
			         (const char *)sqlite3_column_text(stmt, 3));
	}
	sqlite3_finalize(stmt);
	return step == SQLITE_ROW ? 0 : store_fail(store, step, "looking up a file's events");
}

/* A growing NULL-terminated list of lines. */
typedef struct line_list {
	char **lines;
	size_t count, capacity;
} line_list;

static int add_line(line_list *list, const char *text)
{
	if (list->count + 2 > list->capacity) {
		size_t capacity = list->capacity ? list->capacity * 2 : 16;
		char **grown = realloc(list->lines, capacity * sizeof *grown);
		if (!grown)
			return parity_error_set(PARITY_ENOMEM, "out of memory");
		list->lines = grown;
		list->capacity = capacity;
	}
	if (!(list->lines[list->count] = strdup(text)))
		return parity_error_set(PARITY_ENOMEM, "out of memory");
	list->lines[++list->count] = NULL;
	return 0;
}

void parity_run_changes_free(char **lines)
{
	if (!lines)
		return;
	for (size_t i = 0; lines[i]; i++)
		free(lines[i]);
	free(lines);
}

/* The file events of every run of `month`, in the order they happened. */
static int file_events(line_list *list, parity_store *store, const char *month)
{
	sqlite3_stmt *stmt = NULL;
	char line[1024];
	int rc = store_prepare(store, &stmt,
	                       "SELECT event, name, kind, detail FROM run_files WHERE "
	                       "month = ? ORDER BY rowid");
	if (rc)
		return rc;
	sqlite3_bind_text(stmt, 1, month, -1, SQLITE_STATIC);
	int step;
	while (!rc && (step = sqlite3_step(stmt)) == SQLITE_ROW) {
		const char *event = (const char *)sqlite3_column_text(stmt, 0);
		const char *name = (const char *)sqlite3_column_text(stmt, 1);
		const char *kind = (const char *)sqlite3_column_text(stmt, 2);
		const char *detail = (const char *)sqlite3_column_text(stmt, 3);
		const char *what = !strcmp(event, "new") ? "new data"
		                   : !strcmp(event, "corrected") ? "corrected delivery"
		                   : !strcmp(event, "skipped") ? "skipped"
		                                               : "quarantined";
		snprintf(line, sizeof line, "%s %s%s%s%s: %s", what, name, kind[0] ? " (" : "",
		         kind, kind[0] ? ")" : "", detail);
		rc = add_line(list, line);
	}
	if (!rc && step != SQLITE_DONE)
		rc = store_fail(store, step, "reading the run's files");
	sqlite3_finalize(stmt);
	return rc;
}

/*
 * Indicators whose estimate in `run_id` lies outside the interval of the
 * same indicator and stratum in the latest successful run of a month
 * before `month`. Both must be estimable. Writes the earlier run's month
 * to `previous` ("" when there is none).
 */
/* The row of `rows` for an indicator's overall or organisation stratum
 * in `period` (not pooled), or NULL. */
static const parity_result_row *row_in(const parity_result_row *rows, size_t count,
                                       const char *indicator, const char *kind,
                                       const char *stratum, const char *period)
{
	for (size_t i = 0; i < count; i++)
		if (!rows[i].pooled && !strcmp(rows[i].indicator, indicator) &&
		    !strcmp(rows[i].stratum_kind, kind) && !strcmp(rows[i].stratum, stratum) &&
		    !strcmp(rows[i].period, period))
			return &rows[i];
	return NULL;
}

/*
 * Whether the published set lets the line quote both figures: the
 * current row and the earlier period's row (as the trend holds it now)
 * must both be published; a row the set does not know is not.
 */
static int may_quote(const parity_published *pub, const char *indicator,
                     const char *kind, const char *stratum, const char *now,
                     const char *before)
{
	const parity_results *res = parity_publish_results(pub);
	if (!pub || !res)
		return 1;
	const parity_result_row *a = row_in(res->rows, res->count, indicator, kind,
	                                    stratum, now);
	const parity_result_row *b = row_in(res->trend, res->trend_count, indicator,
	                                    kind, stratum, before);
	return a && b && !parity_publish_row_hidden(pub, a) &&
	       !parity_publish_row_hidden(pub, b);
}

static int moved_indicators(line_list *list, parity_store *store, int64_t run_id,
                            const char *month, char *previous, size_t size,
                            const parity_published *pub)
{
	sqlite3_stmt *stmt = NULL;
	char line[1024];
	previous[0] = '\0';
	int rc = store_prepare(store, &stmt,
	                       "SELECT id, month FROM runs WHERE command = 'run' AND "
	                       "status IN ('ok', 'partial') AND month < ?1 AND id <> ?2 "
	                       "ORDER BY month DESC, id DESC LIMIT 1");
	if (rc)
		return rc;
	sqlite3_bind_text(stmt, 1, month, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, run_id);
	int step = sqlite3_step(stmt);
	int64_t earlier = 0;
	if (step == SQLITE_ROW) {
		earlier = sqlite3_column_int64(stmt, 0);
		snprintf(previous, size, "%s", (const char *)sqlite3_column_text(stmt, 1));
	}
	sqlite3_finalize(stmt);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return store_fail(store, step, "finding the previous run");
	if (!earlier)
		return 0;
	rc = store_prepare(store, &stmt,
	                   "SELECT n.indicator, n.stratum, o.period, o.ratio, o.ci_low, "
	                   "o.ci_high, n.period, n.ratio, n.ci_low, n.ci_high, n.stratum_kind "
	                   "FROM run_results n JOIN run_results o ON "
	                   " o.run_id = ?2 AND o.section = 'results' AND "
	                   " o.indicator = n.indicator AND o.grouping = n.grouping AND "
	                   " o.group1 = n.group1 AND o.group2 = n.group2 AND "
	                   " o.stratum_kind = n.stratum_kind AND o.stratum = n.stratum AND "
	                   " o.pooled = n.pooled "
	                   "WHERE n.run_id = ?1 AND n.section = 'results' AND n.pooled = 0 "
	                   " AND n.stratum_kind IN ('overall', 'organisation') "
	                   " AND n.indicator IN ('WRES2','WRES3','WRES4','WDES2','WDES3') "
	                   " AND n.ratio IS NOT NULL AND o.ratio IS NOT NULL "
	                   " AND o.ci_low IS NOT NULL AND o.ci_high IS NOT NULL "
	                   " AND (n.ratio < o.ci_low OR n.ratio > o.ci_high) "
	                   "ORDER BY n.indicator, n.stratum_kind DESC, n.stratum");
	if (rc)
		return rc;
	sqlite3_bind_int64(stmt, 1, run_id);
	sqlite3_bind_int64(stmt, 2, earlier);
	while (!rc && (step = sqlite3_step(stmt)) == SQLITE_ROW) {
		double old_high = sqlite3_column_double(stmt, 5);
		double new_high = sqlite3_column_double(stmt, 9);
		char old_high_text[32], new_high_text[32];
		/* The store keeps an infinite limit as a large number or NULL. */
		snprintf(old_high_text, sizeof old_high_text, isinf(old_high) ? "infinity"
		         : "%.2f", old_high);
		snprintf(new_high_text, sizeof new_high_text, isinf(new_high) ? "infinity"
		         : "%.2f", new_high);
		const char *indicator = (const char *)sqlite3_column_text(stmt, 0);
		const char *stratum = (const char *)sqlite3_column_text(stmt, 1);
		if (!may_quote(pub, indicator, (const char *)sqlite3_column_text(stmt, 10),
		               stratum, (const char *)sqlite3_column_text(stmt, 6),
		               (const char *)sqlite3_column_text(stmt, 2))) {
			/* Either figure would give a small count away. */
			snprintf(line, sizeof line, "%s, %s: moved outside the previous "
			         "interval (figures suppressed: small numbers)",
			         indicator, stratum);
			rc = add_line(list, line);
			continue;
		}
		snprintf(line, sizeof line,
		         "%s, %s: %.2f (%s, 95%% CI %.2f to %s) is outside the previous "
		         "interval: was %.2f (%s, %.2f to %s)",
		         (const char *)sqlite3_column_text(stmt, 0),
		         (const char *)sqlite3_column_text(stmt, 1),
		         sqlite3_column_double(stmt, 7),
		         (const char *)sqlite3_column_text(stmt, 6),
		         sqlite3_column_double(stmt, 8), new_high_text,
		         sqlite3_column_double(stmt, 3),
		         (const char *)sqlite3_column_text(stmt, 2),
		         sqlite3_column_double(stmt, 4), old_high_text);
		rc = add_line(list, line);
	}
	if (!rc && step != SQLITE_DONE)
		rc = store_fail(store, step, "comparing with the previous run");
	sqlite3_finalize(stmt);
	return rc;
}

int parity_run_write_changes(char ***lines, parity_store *store, int64_t run_id,
                             const char *month, const char *path,
                             const parity_published *pub)
{
	line_list files = {0}, moved = {0};
	char previous[16];
	util_atomic_file out;
	int rc;

	if (lines)
		*lines = NULL;
	if ((rc = file_events(&files, store, month)) ||
	    (rc = moved_indicators(&moved, store, run_id, month, previous, sizeof previous,
	                          pub)))
		goto done;
	if ((rc = util_atomic_open(&out, path, 0600)))
		goto done;
	fprintf(out.file, "What changed: the run for %s\n\n", month);
	fprintf(out.file, "Files delivered this month:\n");
	for (size_t i = 0; i < files.count; i++)
		fprintf(out.file, "- %s\n", files.lines[i]);
	if (!files.count)
		fprintf(out.file, "- none\n");
	if (previous[0])
		fprintf(out.file, "\nIndicators whose estimate lies outside the interval it "
		        "had in the run for %s:\n", previous);
	else
		fprintf(out.file, "\nIndicators that moved: no earlier month's run to compare "
		        "with.\n");
	for (size_t i = 0; i < moved.count; i++)
		fprintf(out.file, "- %s\n", moved.lines[i]);
	if (previous[0] && !moved.count)
		fprintf(out.file, "- none\n");
	if ((rc = util_atomic_commit(&out)))
		goto done;
	if (lines) {
		/* Files first, then moved indicators, for the report. */
		for (size_t i = 0; i < moved.count && !rc; i++)
			rc = add_line(&files, moved.lines[i]);
		if (!rc) {
			*lines = files.lines;
			files.lines = NULL;
		}
	}
done:
	parity_run_changes_free(files.lines);
	parity_run_changes_free(moved.lines);
	return rc;
}
