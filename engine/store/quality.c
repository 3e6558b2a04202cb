/*
 * quality.c: reads the data-quality summary out of the count store (tables
 * files, rejects, quality, and the disability column of cells) and adds it
 * up per kind and over every file still in use.
 */
#include "parity/quality.h"

#include "parity/common.h"
#include "store_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

double parity_quality_share(uint64_t part, uint64_t whole)
{
	return whole ? (double)part / (double)whole : NAN;
}

double parity_quality_disabled_share(const parity_quality_disability *disability)
{
	return parity_quality_share(disability->disabled,
	                            disability->disabled + disability->not_disabled);
}

/* ---- adding up ------------------------------------------------------------ */

static int add_reason(parity_quality_counts *c, const char *reason, uint64_t count)
{
	for (size_t i = 0; i < c->reason_count; i++)
		if (!strcmp(c->reasons[i].reason, reason)) {
			c->reasons[i].count += count;
			return 0;
		}
	parity_quality_reason *grown = realloc(c->reasons,
	                                       (c->reason_count + 1) * sizeof *grown);
	if (!grown)
		return parity_error_set(PARITY_ENOMEM, "out of memory");
	c->reasons = grown;
	parity_quality_reason *r = &c->reasons[c->reason_count++];
	snprintf(r->reason, sizeof r->reason, "%s", reason);
	r->count = count;
	return 0;
}

static int add_characteristic(parity_quality_counts *c,
                              const parity_quality_characteristic *add)
{
	for (size_t i = 0; i < c->characteristic_count; i++) {
		parity_quality_characteristic *q = &c->characteristics[i];
		if (!strcmp(q->name, add->name)) {
			q->total += add->total;
			q->not_stated += add->not_stated;
			q->not_known += add->not_known;
			return 0;
		}
	}
	parity_quality_characteristic *grown =
		realloc(c->characteristics, (c->characteristic_count + 1) * sizeof *grown);
	if (!grown)
		return parity_error_set(PARITY_ENOMEM, "out of memory");
	c->characteristics = grown;
	c->characteristics[c->characteristic_count++] = *add;
	return 0;
}

/* Add one file's counts into a total. */
static int add_counts(parity_quality_counts *total, const parity_quality_counts *file)
{
	int rc = 0;
	total->rows_read += file->rows_read;
	total->rows_accepted += file->rows_accepted;
	total->rows_rejected += file->rows_rejected;
	total->disability.disabled += file->disability.disabled;
	total->disability.not_disabled += file->disability.not_disabled;
	for (size_t i = 0; i < file->reason_count && !rc; i++)
		rc = add_reason(total, file->reasons[i].reason, file->reasons[i].count);
	for (size_t i = 0; i < file->characteristic_count && !rc; i++)
		rc = add_characteristic(total, &file->characteristics[i]);
	return rc;
}

/* Position of a characteristic in reports: the protected characteristics
 * the indicators use first, then the job attributes, then the rest. */
static int rank(const char *name)
{
	static const char *const order[] = {
		"ethnic_category", "sex", "disability", "age_band", "pay_band",
		"staff_group", "sexual_orientation", "religion", NULL,
	};
	for (int i = 0; order[i]; i++)
		if (!strcmp(order[i], name))
			return i;
	return 100;
}

static int by_rank(const void *a, const void *b)
{
	const parity_quality_characteristic *x = a, *y = b;
	int rx = rank(x->name), ry = rank(y->name);
	return rx != ry ? (rx < ry ? -1 : 1) : strcmp(x->name, y->name);
}

static int by_count(const void *a, const void *b)
{
	const parity_quality_reason *x = a, *y = b;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->reason, y->reason);
}

/* Put a set of counts in report order and judge its disability share. */
static void finish_counts(parity_quality_counts *c)
{
	if (c->characteristic_count)
		qsort(c->characteristics, c->characteristic_count,
		      sizeof *c->characteristics, by_rank);
	if (c->reason_count)
		qsort(c->reasons, c->reason_count, sizeof *c->reasons, by_count);
	uint64_t declared = c->disability.disabled + c->disability.not_disabled;
	c->disability.low = declared >= PARITY_QUALITY_DISABILITY_MIN &&
	                    (double)c->disability.disabled <
	                            PARITY_QUALITY_DISABILITY_LOW * (double)declared;
}

static void free_counts(parity_quality_counts *c)
{
	free(c->reasons);
	free(c->characteristics);
}

/* ---- reading ---------------------------------------------------------------- */

/* The file with store id `id` (files are read in id order), or NULL. */
static parity_quality_file *file_by_id(parity_quality *q, int64_t id)
{
	size_t lo = 0, hi = q->file_count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (q->files[mid].id == id)
			return &q->files[mid];
		if (q->files[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static const char *text(sqlite3_stmt *stmt, int column)
{
	const unsigned char *t = sqlite3_column_text(stmt, column);
	return t ? (const char *)t : "";
}

static uint64_t count(sqlite3_stmt *stmt, int column)
{
	sqlite3_int64 v = sqlite3_column_int64(stmt, column);
	return v > 0 ? (uint64_t)v : 0;
}

static int read_files(parity_quality *q, parity_store *store)
{
	sqlite3_stmt *stmt = NULL;
	int rc = store_prepare(store, &stmt,
	                       "SELECT id, path, kind, sha256, ingested_at, active, "
	                       "rows_read, rows_accepted, rows_rejected, "
	                       "coalesce(first_month, 0), coalesce(last_month, 0) "
	                       "FROM files ORDER BY id");
	if (rc)
		return rc;
	int step = SQLITE_DONE;
	while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
		parity_quality_file *grown = realloc(q->files,
		                                     (q->file_count + 1) * sizeof *grown);
		if (!grown) {
			rc = parity_error_set(PARITY_ENOMEM, "out of memory");
			break;
		}
		q->files = grown;
		parity_quality_file *f = &q->files[q->file_count];
		memset(f, 0, sizeof *f);
		f->id = sqlite3_column_int64(stmt, 0);
		if (!(f->path = strdup(text(stmt, 1)))) {
			rc = parity_error_set(PARITY_ENOMEM, "out of memory");
			break;
		}
		q->file_count++;
		snprintf(f->kind, sizeof f->kind, "%s", text(stmt, 2));
		snprintf(f->sha256, sizeof f->sha256, "%s", text(stmt, 3));
		snprintf(f->ingested_at, sizeof f->ingested_at, "%s", text(stmt, 4));
		f->active = sqlite3_column_int(stmt, 5) != 0;
		f->counts.rows_read = count(stmt, 6);
		f->counts.rows_accepted = count(stmt, 7);
		f->counts.rows_rejected = count(stmt, 8);
		f->first_month = sqlite3_column_int(stmt, 9);
		f->last_month = sqlite3_column_int(stmt, 10);
	}
	if (!rc && step != SQLITE_DONE)
		rc = store_fail(store, step, "reading the files ingested");
	sqlite3_finalize(stmt);
	return rc;
}

static int read_rejects(parity_quality *q, parity_store *store)
{
	sqlite3_stmt *stmt = NULL;
	int rc = store_prepare(store, &stmt,
	                       "SELECT file_id, reason, count FROM rejects");
	if (rc)
		return rc;
	int step = SQLITE_DONE;
	while (!rc && (step = sqlite3_step(stmt)) == SQLITE_ROW) {
		parity_quality_file *f = file_by_id(q, sqlite3_column_int64(stmt, 0));
		if (f)
			rc = add_reason(&f->counts, text(stmt, 1), count(stmt, 2));
	}
	if (!rc && step != SQLITE_DONE)
		rc = store_fail(store, step, "reading the rejected rows");
	sqlite3_finalize(stmt);
	return rc;
}

static int read_characteristics(parity_quality *q, parity_store *store)
{
	sqlite3_stmt *stmt = NULL;
	int rc = store_prepare(store, &stmt,
	                       "SELECT file_id, characteristic, not_stated, not_known, "
	                       "total FROM quality");
	if (rc)
		return rc;
	int step = SQLITE_DONE;
	while (!rc && (step = sqlite3_step(stmt)) == SQLITE_ROW) {
		parity_quality_file *f = file_by_id(q, sqlite3_column_int64(stmt, 0));
		parity_quality_characteristic c;
		memset(&c, 0, sizeof c);
		snprintf(c.name, sizeof c.name, "%s", text(stmt, 1));
		c.not_stated = count(stmt, 2);
		c.not_known = count(stmt, 3);
		c.total = count(stmt, 4);
		if (f)
			rc = add_characteristic(&f->counts, &c);
	}
	if (!rc && step != SQLITE_DONE)
		rc = store_fail(store, step, "reading the data-quality counts");
	sqlite3_finalize(stmt);
	return rc;
}

/* Disabled and not disabled as stored in the count cube, per file: what
 * remains of each file after any replacement. */
static int read_disability(parity_quality *q, parity_store *store)
{
	sqlite3_stmt *stmt = NULL;
	store_pack_reader reader;
	memset(&reader, 0, sizeof reader);
	for (size_t i = 0; i < q->file_count; i++)
		q->files[i].counts.disability.disabled =
			q->files[i].counts.disability.not_disabled = 0;
	int rc = store_prepare(store, &stmt, "SELECT file_id, cells, id FROM cell_packs");
	if (rc)
		return rc;
	int step = SQLITE_DONE;
	while (!rc && (step = sqlite3_step(stmt)) == SQLITE_ROW) {
		parity_quality_file *f = file_by_id(q, sqlite3_column_int64(stmt, 0));
		if (!f)
			continue;
		rc = store_pack_open_row(&reader, store, stmt, 1, sqlite3_column_int64(stmt, 2));
		store_cell c;
		while (!rc && (rc = store_pack_next(&reader, &c)) == 1) {
			rc = 0;
			if (c.length[STORE_DISABILITY] != 1 || c.rows < 0)
				continue;
			if (c.dim[STORE_DISABILITY][0] == 'Y')
				f->counts.disability.disabled += (uint64_t)c.rows;
			else if (c.dim[STORE_DISABILITY][0] == 'N')
				f->counts.disability.not_disabled += (uint64_t)c.rows;
		}
	}
	if (!rc && step != SQLITE_DONE)
		rc = store_fail(store, step, "reading the disability counts");
	sqlite3_finalize(stmt);
	store_pack_reader_free(&reader);
	return rc;
}

/* Totals per kind and overall, over the active files. */
static int add_up(parity_quality *q)
{
	int rc = 0;
	for (size_t i = 0; i < q->file_count && !rc; i++) {
		parity_quality_file *f = &q->files[i];
		finish_counts(&f->counts);
		if (!f->active)
			continue;
		parity_quality_kind *k = NULL;
		for (size_t j = 0; j < q->kind_count; j++)
			if (!strcmp(q->kinds[j].kind, f->kind))
				k = &q->kinds[j];
		if (!k) {
			parity_quality_kind *grown = realloc(q->kinds,
			                                     (q->kind_count + 1) * sizeof *grown);
			if (!grown)
				return parity_error_set(PARITY_ENOMEM, "out of memory");
			q->kinds = grown;
			k = &q->kinds[q->kind_count++];
			memset(k, 0, sizeof *k);
			snprintf(k->kind, sizeof k->kind, "%s", f->kind);
		}
		k->files++;
		q->active_files++;
		rc = add_counts(&k->counts, &f->counts);
		if (!rc)
			rc = add_counts(&q->all, &f->counts);
	}
	for (size_t j = 0; j < q->kind_count; j++)
		finish_counts(&q->kinds[j].counts);
	finish_counts(&q->all);
	return rc;
}

int parity_quality_read(parity_quality **out, parity_store *store)
{
	int rc, in_transaction = 0;
	if (!out || !store)
		return parity_error_set(PARITY_EUSAGE, "parity_quality_read: missing "
		                        "argument");
	*out = NULL;
	parity_quality *q = calloc(1, sizeof *q);
	if (!q)
		return parity_error_set(PARITY_ENOMEM, "out of memory");
	/* One read transaction: a consistent picture while others ingest. */
	if ((rc = store_exec(store, "BEGIN", "reading the data-quality summary")))
		goto done;
	in_transaction = 1;
	if ((rc = read_files(q, store)) || (rc = read_rejects(q, store)) ||
	    (rc = read_characteristics(q, store)) || (rc = read_disability(q, store)))
		goto done;
	if ((rc = store_exec(store, "COMMIT", "reading the data-quality summary")))
		goto done;
	in_transaction = 0;
	rc = add_up(q);
done:
	if (in_transaction)
		sqlite3_exec(store_db(store), "ROLLBACK", NULL, NULL, NULL);
	if (rc) {
		parity_quality_free(q);
		return rc;
	}
	*out = q;
	return 0;
}

void parity_quality_free(parity_quality *quality)
{
	if (!quality)
		return;
	for (size_t i = 0; i < quality->file_count; i++) {
		free(quality->files[i].path);
		free_counts(&quality->files[i].counts);
	}
	free(quality->files);
	for (size_t i = 0; i < quality->kind_count; i++)
		free_counts(&quality->kinds[i].counts);
	free(quality->kinds);
	free_counts(&quality->all);
	free(quality);
}
