/*
 * ingest_redelivery.c: what a file covers and what it supersedes. Finds
 * earlier deliveries overlapping this one, refuses partial overlaps,
 * replaces superseded organisation-months (--replace) and saves the
 * file's coverage by organisation, month and day.
 */
#include "ingest_internal.h"
#include "parity/codes.h"
#include "parity/common.h"
#include "parity/period.h"

#include <stdlib.h>
#include <string.h>

/*
 * What a re-delivery supersedes. Each file's coverage row for a kind,
 * organisation and month carries the first and last day of that month it
 * holds rows for (schema 6; 31 stands for the month's last day). Two
 * deliveries overlap in an organisation-month when those day ranges meet;
 * deliveries cut mid-month (1-14 June, then 15-30 June) do not, and add
 * up. With --replace, the new file supersedes an earlier file's
 * organisation-month when at least half of the earlier file's days there
 * fall within the new file's: a correction (which may have lost or gained
 * rows at the edges: 2-31 January for 1-31 January), not a delivery of
 * another period. Cells are kept by month, so a superseded month goes
 * whole, and the summary says so when the earlier file had days outside
 * the new file's. A smaller overlap is refused: no cell can be split by
 * day. Counts files carry months only, and coverage recorded before
 * schema 6 has no days: those count as the whole month, superseded by any
 * overlap, as before.
 */
#define OVERLAP_SQL \
	"FROM coverage c JOIN coverage mine ON mine.kind = c.kind AND " \
	" mine.organisation = c.organisation AND mine.month = c.month AND " \
	" mine.file_id = ?1 AND c.first_day <= mine.last_day AND " \
	" mine.first_day <= c.last_day " \
	"JOIN files f ON f.id = c.file_id WHERE c.file_id <> ?1 "
#define SUPERSEDED_SQL \
	"(c.days_known = 0 OR f.kind = 'counts' OR 2 * (min(c.last_day, " \
	" mine.last_day) - max(c.first_day, mine.first_day) + 1) >= " \
	" c.last_day - c.first_day + 1)"
/* The earlier file had days there outside this file's. */
#define OUTSIDE_SQL "(c.first_day < mine.first_day OR c.last_day > mine.last_day)"

/* One superseded organisation-month of an earlier file, with what its
 * cells held. */
typedef struct superseded {
	int64_t file_id;
	int kind, month;
	char *organisation;
	int outside;           /* it had days outside this file's */
	int64_t rows;          /* rows taken */
	uint64_t cells;        /* cells taken */
} superseded;

typedef struct superseded_set {
	superseded *items;
	size_t count;
} superseded_set;

static int compare_superseded_key(int64_t file_id, int kind, int month,
                                  const char *organisation, size_t length,
                                  const superseded *b)
{
	if (file_id != b->file_id)
		return file_id < b->file_id ? -1 : 1;
	if (kind != b->kind)
		return kind < b->kind ? -1 : 1;
	if (month != b->month)
		return month < b->month ? -1 : 1;
	size_t other = strlen(b->organisation);
	int c = memcmp(organisation, b->organisation, length < other ? length : other);
	if (c)
		return c;
	return (length > other) - (length < other);
}

static int compare_superseded(const void *a, const void *b)
{
	const superseded *x = a;
	return compare_superseded_key(x->file_id, x->kind, x->month, x->organisation,
	                              strlen(x->organisation), b);
}

/* A stored cell leaves its pack when its file's organisation-month is
 * superseded; its rows are noted against that organisation-month. */
static int take_replaced(ingest *in, void *context, int64_t file_id, int kind,
                         int month, const store_cell *c)
{
	(void)in;
	superseded_set *set = context;
	size_t low = 0, high = set->count;
	const char *organisation = c->dim[STORE_ORGANISATION];
	size_t length = c->length[STORE_ORGANISATION];
	while (low < high) {
		size_t mid = low + (high - low) / 2;
		int cmp = compare_superseded_key(file_id, kind, month, organisation, length,
		                                 &set->items[mid]);
		if (!cmp) {
			set->items[mid].rows += c->rows;
			set->items[mid].cells++;
			return 1;
		}
		if (cmp < 0)
			high = mid;
		else
			low = mid + 1;
	}
	return 0;
}

static void superseded_free(superseded_set *set)
{
	for (size_t i = 0; i < set->count; i++)
		free(set->items[i].organisation);
	free(set->items);
	memset(set, 0, sizeof *set);
}

/* The superseded organisation-months (see OVERLAP_SQL), sorted. */
static int list_superseded(ingest *in, superseded_set *set)
{
	sqlite3_stmt *stmt = NULL;
	size_t size = 0;
	int rc = store_prepare(in->store, &stmt, "SELECT c.file_id, c.kind, c.month, "
	                       "c.organisation, " OUTSIDE_SQL " " OVERLAP_SQL "AND "
	                       SUPERSEDED_SQL);
	if (rc)
		return rc;
	sqlite3_bind_int64(stmt, 1, in->file_id);
	int step;
	while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
		parity_kind kind;
		if (parity_kind_parse(&kind, (const char *)sqlite3_column_text(stmt, 1))) {
			rc = store_fail(in->store, SQLITE_CORRUPT, "replacing an earlier delivery");
			break;
		}
		if (set->count == size) {
			size = size ? 2 * size : 16;
			superseded *grown = realloc(set->items, size * sizeof *grown);
			if (!grown) {
				rc = parity_error_set(PARITY_ENOMEM, "out of memory");
				break;
			}
			set->items = grown;
		}
		superseded *e = &set->items[set->count];
		memset(e, 0, sizeof *e);
		e->file_id = sqlite3_column_int64(stmt, 0);
		e->kind = (int)kind;
		e->month = sqlite3_column_int(stmt, 2);
		e->outside = sqlite3_column_int(stmt, 4);
		e->organisation = strdup((const char *)sqlite3_column_text(stmt, 3));
		if (!e->organisation) {
			rc = parity_error_set(PARITY_ENOMEM, "out of memory");
			break;
		}
		set->count++;
	}
	if (!rc && step != SQLITE_DONE)
		rc = store_fail(in->store, step, "replacing an earlier delivery");
	sqlite3_finalize(stmt);
	if (!rc)
		qsort(set->items, set->count, sizeof *set->items, compare_superseded);
	return rc;
}

/* Say what the replace took, per earlier file: summary->replaced_rows,
 * replaced_cells and replaced_from ("124 rows (12 cells) of june-a.csv"). */
static int note_replaced(ingest *in, const superseded_set *set)
{
	parity_ingest_summary *sum = in->summary;
	size_t used = 0, cap = sizeof sum->replaced_from;
	int rc = 0;
	for (size_t i = 0; i < set->count && !rc;) {
		int64_t rows = 0;
		uint64_t cells = 0;
		int outside = 0;
		size_t j = i;
		for (; j < set->count && set->items[j].file_id == set->items[i].file_id; j++) {
			rows += set->items[j].rows;
			cells += set->items[j].cells;
			outside |= set->items[j].outside;
		}
		sum->replaced_rows += rows;
		sum->replaced_cells += cells;
		sqlite3_stmt *stmt = NULL;
		if ((rc = store_prepare(in->store, &stmt, "SELECT path FROM files WHERE id = ?1")))
			break;
		sqlite3_bind_int64(stmt, 1, set->items[i].file_id);
		int step = sqlite3_step(stmt);
		if (step == SQLITE_ROW && used + 1 < cap)
			used += (size_t)snprintf(sum->replaced_from + used, cap - used,
			                         "%s%lld row%s (%llu cell%s) of %s%s",
			                         used ? "; " : "", (long long)rows,
			                         rows == 1 ? "" : "s", (unsigned long long)cells,
			                         cells == 1 ? "" : "s",
			                         (const char *)sqlite3_column_text(stmt, 0),
			                         outside ? " (which also had days outside this "
			                                   "file's in those months: counts are "
			                                   "kept by month, so they went too)"
			                                 : "");
		else if (step != SQLITE_ROW)
			rc = store_fail(in->store, step, "replacing an earlier delivery");
		sqlite3_finalize(stmt);
		i = j;
	}
	sum->replaced = sum->replaced_cells > 0 || set->count > 0;
	return rc;
}

/* Take the cells of the superseded organisation-months out of the earlier
 * files' packs (only packs of those files, kinds and months are read), and
 * then their coverage; a file left with no coverage becomes inactive. */
static int replace_cells(ingest *in)
{
	sqlite3_stmt *stmt = NULL;
	superseded_set set = {NULL, 0};
	uint64_t taken = 0;
	int rc = list_superseded(in, &set);
	if (!rc && set.count)
		rc = store_prepare(in->store, &stmt,
		                   "SELECT p.id FROM cell_packs p WHERE EXISTS (SELECT 1 "
		                   OVERLAP_SQL "AND " SUPERSEDED_SQL " AND c.file_id = "
		                   "p.file_id AND c.kind = p.kind AND c.month = p.month) "
		                   "ORDER BY p.id");
	if (!rc && set.count) {
		sqlite3_bind_int64(stmt, 1, in->file_id);
		rc = ingest_edit_packs(in, stmt, take_replaced, &set, &taken);
	}
	static const char *const replace_sql[] = {
		("CREATE TEMP TABLE superseded AS SELECT c.file_id, c.kind, "
		 "c.organisation, c.month " OVERLAP_SQL "AND " SUPERSEDED_SQL),
		("DELETE FROM coverage WHERE (file_id, kind, organisation, month) IN "
		 " (SELECT file_id, kind, organisation, month FROM temp.superseded)"),
		("DELETE FROM training_people WHERE (file_id, organisation, month) IN "
		 " (SELECT file_id, organisation, month FROM temp.superseded WHERE "
		 "  kind = 'training')"),
		("UPDATE files SET active = 0 WHERE id IN (SELECT file_id FROM "
		 " temp.superseded) AND NOT EXISTS (SELECT 1 FROM coverage c2 WHERE "
		 " c2.file_id = files.id)"),
		"DROP TABLE temp.superseded",
	};
	for (size_t i = 0; i < sizeof replace_sql / sizeof *replace_sql && !rc && set.count;
	     i++) {
		rc = store_prepare(in->store, &stmt, replace_sql[i]);
		if (rc)
			break;
		if (sqlite3_bind_parameter_count(stmt))
			sqlite3_bind_int64(stmt, 1, in->file_id);
		int step = sqlite3_step(stmt);
		sqlite3_finalize(stmt);
		if (step != SQLITE_DONE)
			rc = store_fail(in->store, step, "replacing an earlier delivery");
	}
	if (!rc)
		rc = note_replaced(in, &set);
	superseded_free(&set);
	return rc;
}

/* A month's day range, "days 15-30 of 2024-06", into `out` (31: to the
 * month's end). */
static void day_range(char *out, size_t size, int month, int first, int last)
{
	char label[8];
	parity_month_label(label, month);
	if (first == 1 && last == 31)
		snprintf(out, size, "all of %s", label);
	else if (last == 31)
		snprintf(out, size, "days %d to the end of %s", first, label);
	else
		snprintf(out, size, "days %d-%d of %s", first, last, label);
}

/* Earlier deliveries holding any (kind, organisation, month) this file
 * holds on the same days: replace what this file supersedes when asked,
 * refuse otherwise (see OVERLAP_SQL). */
int ingest_handle_overlap(ingest *in)
{
	sqlite3_stmt *stmt = NULL;
	/* The first file in a database overlaps nothing: not worth a lookup
	 * per organisation-month. */
	int rc = store_prepare(in->store, &stmt,
	                       "SELECT EXISTS (SELECT 1 FROM coverage WHERE file_id < ?1) OR "
	                       "EXISTS (SELECT 1 FROM coverage WHERE file_id > ?1)");
	if (rc)
		return rc;
	sqlite3_bind_int64(stmt, 1, in->file_id);
	int step = sqlite3_step(stmt);
	int others = step == SQLITE_ROW && sqlite3_column_int(stmt, 0);
	sqlite3_finalize(stmt);
	stmt = NULL;
	if (step != SQLITE_ROW)
		return store_fail(in->store, step, "checking earlier deliveries");
	if (!others)
		return 0;
	/* Not superseded first: with --replace those are the ones refused. */
	rc = store_prepare(in->store, &stmt,
	                   "SELECT f.id, f.path, c.organisation, c.month, c.kind, "
	                   "count(*) OVER (PARTITION BY f.id), " SUPERSEDED_SQL ", "
	                   "c.first_day, c.last_day, mine.first_day, mine.last_day "
	                   OVERLAP_SQL "ORDER BY 7, f.id, c.kind, c.organisation, c.month");
	if (rc)
		return rc;
	sqlite3_bind_int64(stmt, 1, in->file_id);
	step = sqlite3_step(stmt);
	if (step == SQLITE_DONE) {
		sqlite3_finalize(stmt);
		return 0;
	}
	if (step != SQLITE_ROW) {
		sqlite3_finalize(stmt);
		return store_fail(in->store, step, "checking earlier deliveries");
	}
	char month[8];
	parity_month_label(month, sqlite3_column_int(stmt, 3));
	if (!in->options->replace) {
		rc = parity_error_set(PARITY_EDATA,
		                      "%s: holds %s data for %s in %s, which %s already "
		                      "delivered (%lld organisation-month%s overlap). If "
		                      "this file is a corrected re-delivery, ingest it again "
		                      "with --replace; otherwise remove the overlapping rows",
		                      in->path, (const char *)sqlite3_column_text(stmt, 4),
		                      (const char *)sqlite3_column_text(stmt, 2), month,
		                      (const char *)sqlite3_column_text(stmt, 1),
		                      (long long)sqlite3_column_int64(stmt, 5),
		                      sqlite3_column_int64(stmt, 5) == 1 ? "" : "s");
		sqlite3_finalize(stmt);
		return rc;
	}
	if (!sqlite3_column_int(stmt, 6)) {
		char theirs[48], mine[48];
		day_range(theirs, sizeof theirs, sqlite3_column_int(stmt, 3),
		          sqlite3_column_int(stmt, 7), sqlite3_column_int(stmt, 8));
		day_range(mine, sizeof mine, sqlite3_column_int(stmt, 3),
		          sqlite3_column_int(stmt, 9), sqlite3_column_int(stmt, 10));
		rc = parity_error_set(PARITY_EDATA,
		                      "%s: cannot replace %s data for %s in %s: %s holds %s, "
		                      "this file %s. The days overlap, but this file covers "
		                      "less than half of the earlier delivery's days, so it "
		                      "is not a correction of it; and counts are kept by "
		                      "month, so parity cannot tell which of its rows this "
		                      "file corrects. Deliver a file that covers the earlier "
		                      "delivery's days for that month, or remove the "
		                      "overlapping days from this file; nothing was stored",
		                      in->path,
		                      (const char *)sqlite3_column_text(stmt, 4),
		                      (const char *)sqlite3_column_text(stmt, 2), month,
		                      (const char *)sqlite3_column_text(stmt, 1), theirs, mine);
		sqlite3_finalize(stmt);
		return rc;
	}
	sqlite3_finalize(stmt);
	return replace_cells(in);
}

#define COVERAGE_BATCH 64   /* coverage rows per INSERT */

/* A coverage item with its organisation's text, for sorting. */
typedef struct covered {
	const char *organisation;
	const coverage_item *item;
} covered;

static int compare_covered(const void *a, const void *b)
{
	const covered *x = a, *y = b;
	const char *kx = parity_kind_name((parity_kind)x->item->kind);
	const char *ky = parity_kind_name((parity_kind)y->item->kind);
	int c = strcmp(kx, ky);
	if (!c)
		c = strcmp(x->organisation, y->organisation);
	if (!c)
		c = (x->item->month > y->item->month) - (x->item->month < y->item->month);
	return c;
}

/*
 * Insert `n` coverage items from `first` on into the coverage table, in
 * the order of its key and index (kind, organisation, month), so that
 * both are appended to rather than touched all over.
 */
static int save_coverage_from(ingest *in, size_t first, size_t n)
{
	coverage_set *set = &in->coverage;
	if (!n)
		return 0;
	covered *sorted = malloc(n * sizeof *sorted);
	if (!sorted)
		return parity_error_set(PARITY_ENOMEM, "out of memory recording coverage");
	for (size_t i = 0; i < n; i++) {
		sorted[i].item = &set->items[first + i];
		sorted[i].organisation = coverage_organisation(set, sorted[i].item);
	}
	qsort(sorted, n, sizeof *sorted, compare_covered);
	int rc = 0;
	/* COVERAGE_BATCH rows a statement while that many are left (a third
	 * of the cost of one INSERT a row), then one at a time. OR FAIL: no
	 * statement journal (the file is all or nothing anyway). */
	for (int many = 0; many < 2 && !rc; many++) {
		sqlite3_stmt **stmt = many ? &in->insert_coverages : &in->insert_coverage;
		if (*stmt)
			continue;
		char sql[160 + COVERAGE_BATCH * 12];
		size_t used = (size_t)snprintf(sql, sizeof sql, "INSERT OR FAIL INTO "
		                               "coverage(file_id, kind, organisation, month) "
		                               "VALUES(?,?,?,?)");
		for (int r = 1; many && r < COVERAGE_BATCH; r++)
			used += (size_t)snprintf(sql + used, sizeof sql - used, ",(?,?,?,?)");
		rc = store_prepare(in->store, stmt, sql);
	}
	for (size_t i = 0; i < n && !rc;) {
		int many = n - i >= COVERAGE_BATCH;
		sqlite3_stmt *stmt = many ? in->insert_coverages : in->insert_coverage;
		for (int r = 0; r < (many ? COVERAGE_BATCH : 1); r++, i++) {
			const coverage_item *c = sorted[i].item;
			sqlite3_bind_int64(stmt, 4 * r + 1, in->file_id);
			sqlite3_bind_text(stmt, 4 * r + 2, parity_kind_name((parity_kind)c->kind),
			                  -1, SQLITE_STATIC);
			sqlite3_bind_text(stmt, 4 * r + 3, sorted[i].organisation, -1,
			                  SQLITE_STATIC);
			sqlite3_bind_int(stmt, 4 * r + 4, c->month);
		}
		int step = sqlite3_step(stmt);
		if (step != SQLITE_DONE)
			rc = store_fail(in->store, step, "recording coverage");
		sqlite3_reset(stmt);
	}
	free(sorted);
	return rc;
}

/*
 * Up to `most` of the organisation-months first seen and not yet saved go
 * into the coverage table: called by the writer thread after each table
 * it stores, so that a large file's coverage is recorded while later rows
 * are read (at the end, with nothing else to do, it cost a file of 120,000
 * organisation-months a fifth of a second); a few at a time, so that the
 * first tables, which find most of them, do not hold up the counting.
 */
int ingest_save_new_coverage(ingest *in, size_t most)
{
	size_t n = in->coverage.count - in->coverage_saved;
	if (n > most)
		n = most;
	int rc = save_coverage_from(in, in->coverage_saved, n);
	if (!rc)
		in->coverage_saved += n;
	return rc;
}

/* Days in the month with index `month` (year * 12 + month - 1). */
static int month_length(int month)
{
	static const int length[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int year = month / 12, m = month % 12;
	if (m == 1 && (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)))
		return 29;
	return length[m];
}

/* Record the first and last day of its month an item has rows for, when
 * not the whole month (the default): 31 stands for the month's last day,
 * so that months of any length compare alike. */
static int save_days(ingest *in, sqlite3_stmt **stmt, const coverage_item *c)
{
	if (!c->days || c->days == 0x7fffffffu)
		return 0;
	int first = __builtin_ctz(c->days) + 1;
	int last = 32 - __builtin_clz(c->days);
	if (last >= month_length(c->month))
		last = 31;
	if (first == 1 && last == 31)
		return 0;
	int rc;
	if (!*stmt && (rc = store_prepare(in->store, stmt,
	                                  "UPDATE coverage SET first_day = ?5, last_day = "
	                                  "?6 WHERE file_id = ?1 AND kind = ?2 AND "
	                                  "organisation = ?3 AND month = ?4")))
		return rc;
	sqlite3_bind_int64(*stmt, 1, in->file_id);
	sqlite3_bind_text(*stmt, 2, parity_kind_name((parity_kind)c->kind), -1,
	                  SQLITE_STATIC);
	sqlite3_bind_text(*stmt, 3, coverage_organisation(&in->coverage, c), -1,
	                  SQLITE_STATIC);
	sqlite3_bind_int(*stmt, 4, c->month);
	sqlite3_bind_int(*stmt, 5, first);
	sqlite3_bind_int(*stmt, 6, last);
	int step = sqlite3_step(*stmt);
	sqlite3_reset(*stmt);
	return step == SQLITE_DONE ? 0 : store_fail(in->store, step, "recording coverage");
}

/*
 * Complete the file's coverage once every cell is written: the items not
 * yet saved are inserted, and any saved whose rows were all taken back
 * since are deleted. Notes the file's first and last month and the rows
 * it counted.
 */
int ingest_save_coverage(ingest *in, int *first_month, int *last_month,
                         int64_t *counted)
{
	coverage_set *set = &in->coverage;
	sqlite3_stmt *erase = NULL, *days = NULL;
	*first_month = *last_month = 0;
	*counted = 0;
	coverage_settle(set);
	int rc = ingest_save_new_coverage(in, SIZE_MAX);
	for (size_t i = 0; i < set->count && !rc; i++) {
		const coverage_item *c = &set->items[i];
		if (c->rows <= 0) {
			/* Every row of it was taken back. */
			if (!erase && (rc = store_prepare(in->store, &erase,
			                                  "DELETE FROM coverage WHERE file_id = ?1 "
			                                  "AND kind = ?2 AND organisation = ?3 "
			                                  "AND month = ?4")))
				break;
			sqlite3_bind_int64(erase, 1, in->file_id);
			sqlite3_bind_text(erase, 2, parity_kind_name((parity_kind)c->kind), -1,
			                  SQLITE_STATIC);
			sqlite3_bind_text(erase, 3, coverage_organisation(set, c), -1,
			                  SQLITE_STATIC);
			sqlite3_bind_int(erase, 4, c->month);
			int step = sqlite3_step(erase);
			sqlite3_reset(erase);
			if (step != SQLITE_DONE)
				rc = store_fail(in->store, step, "recording coverage");
			continue;
		}
		if ((rc = save_days(in, &days, c)))
			break;
		*counted += c->rows;
		if (!*first_month || c->month < *first_month)
			*first_month = c->month;
		if (c->month > *last_month)
			*last_month = c->month;
	}
	sqlite3_finalize(erase);
	sqlite3_finalize(days);
	return rc;
}
