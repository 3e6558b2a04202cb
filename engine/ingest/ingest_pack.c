/*
 * ingest_pack.c: the store side of ingest. Writes tables of cells to the
 * store as sorted packs, edits the packs already written (taking back
 * corrections and superseded cells), and accounts for what the cells cover.
 */
#include "ingest_internal.h"
#include "parity/codes.h"
#include "parity/common.h"

#include <stdlib.h>
#include <string.h>

#define MEMO_LIMIT (16u << 20)   /* bytes of memos and values kept between flushes */

/* ---- flushing ------------------------------------------------------------ */

_Static_assert(F_DIMENSIONS_ == STORE_DIMENSIONS,
               "the dimension fields are the stored cell's dimensions, in order");

/* An order of the kinds, for sorting cells by kind (any fixed one does). */
static unsigned kind_rank(int kind)
{
	switch (kind) {
	case PARITY_KIND_DISCIPLINARY: return 0;
	case PARITY_KIND_RECRUITMENT: return 1;
	case PARITY_KIND_TRAINING: return 2;
	case PARITY_KIND_BOARD: return 3;
	default: return 4;
	}
}

/* The order to store cells in: by kind and month, since a pack holds cells
 * of one kind and month. A counting sort: months span a few hundred
 * values. Returns a malloc'd index array. */
static uint32_t *insertion_order(const cell_table *t)
{
	size_t n = t->count;
	uint32_t *order = malloc((n ? n : 1) * sizeof *order);
	if (!order)
		return NULL;
	int32_t low = INT32_MAX, high = INT32_MIN;
	for (size_t i = 0; i < n; i++) {
		if (t->entries[i].key.month < low)
			low = t->entries[i].key.month;
		if (t->entries[i].key.month > high)
			high = t->entries[i].key.month;
	}
	size_t span = n ? (size_t)(high - low) + 1 : 1;
	size_t buckets = 5 * span; /* kind_rank's five ranks */
	size_t *count = calloc(buckets + 1, sizeof *count);
	if (!count) {
		free(order);
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		const cell_entry *e = &t->entries[i];
		count[kind_rank(e->key.kind) * span + (size_t)(e->key.month - low) + 1]++;
	}
	for (size_t b = 0; b < buckets; b++)
		count[b + 1] += count[b];
	for (size_t i = 0; i < n; i++) {
		const cell_entry *e = &t->entries[i];
		order[count[kind_rank(e->key.kind) * span + (size_t)(e->key.month - low)]++] =
			(uint32_t)i;
	}
	free(count);
	return order;
}

/* Bytes of JSON after which a pack is stored even if it has room for more
 * cells (only long dimension values ever reach it). */
#define PACK_BYTES (8u << 20)

/* Store the pack being built (if it has cells) as the file's next, of
 * `kind` and `month`, and empty it. */
static int write_pack(ingest *in, int kind, int month)
{
	int rc;
	if (!in->pack.cells)
		return 0;
	if (in->next_pack >= STORE_PACKS_PER_FILE)
		return parity_error_set(PARITY_EDATA, "%s: too many distinct cells in one "
		                        "file: split the file and ingest the parts", in->path);
	if ((rc = store_pack_finish(&in->pack)))
		return rc;
	/* OR FAIL: a failing row stops the statement without undoing anything
	 * else (the whole file is rolled back anyway), so SQLite keeps no
	 * statement journal. */
	if (!in->insert_pack &&
	    (rc = store_prepare(in->store, &in->insert_pack,
	                        "INSERT OR FAIL INTO cell_packs(id, file_id, kind, month, "
	                        "cells, dictionary) VALUES(?,?,?,?,?,?)")))
		return rc;
	sqlite3_stmt *stmt = in->insert_pack;
	sqlite3_bind_int64(stmt, 1, STORE_PACK_ID(in->file_id, in->next_pack));
	sqlite3_bind_int64(stmt, 2, in->file_id);
	sqlite3_bind_text(stmt, 3, parity_kind_name((parity_kind)kind), -1, SQLITE_STATIC);
	sqlite3_bind_int(stmt, 4, month);
	sqlite3_bind_text(stmt, 5, in->pack.text, (int)in->pack.used, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 6, in->pack.text + in->pack.dictionary_at,
	                  (int)in->pack.dictionary_length, SQLITE_STATIC);
	int step = sqlite3_step(stmt);
	sqlite3_reset(stmt);
	if (step != SQLITE_DONE)
		return store_fail(in->store, step, "storing counts");
	in->next_pack++;
	in->summary->cells += in->pack.cells;
	store_pack_reset(&in->pack);
	return 0;
}

/* Write the non-empty cells of `table` in packs, by kind and month (on the
 * writer thread when there is one); the table is left as it was. */
int ingest_write_cells(ingest *in, const cell_table *table)
{
	uint32_t *order = insertion_order(table);
	if (!order)
		return parity_error_set(PARITY_ENOMEM, "out of memory storing counts");
	int rc = 0, kind = 0, month = 0;
	size_t n = table->count;
	store_pack_reset(&in->pack);
	for (size_t i = 0; i < n && !rc; i++) {
		if (i + 32 < n) { /* the order is random in memory: both lines */
			const char *ahead = (const char *)&table->entries[order[i + 32]];
			CELLS_PREFETCH(ahead);
			CELLS_PREFETCH(ahead + sizeof(cell_entry) - 1);
		}
		const cell_entry *e = &table->entries[order[i]];
		if (!e->rows && !e->shortlisted && !e->appointed)
			continue;
		if (in->pack.cells &&
		    (e->key.kind != kind || e->key.month != month ||
		     in->pack.cells == STORE_PACK_CELLS || in->pack.used >= PACK_BYTES) &&
		    (rc = write_pack(in, kind, month)))
			break;
		kind = e->key.kind;
		month = e->key.month;
		const char *quoted[F_DIMENSIONS_];
		uint32_t quoted_length[F_DIMENSIONS_];
		for (int d = 0; d < F_DIMENSIONS_; d++) {
			quoted[d] = dict_quoted(&in->values, e->key.dims[d]);
			quoted_length[d] = dict_quoted_length(&in->values, e->key.dims[d]);
		}
		rc = store_pack_add_quoted(&in->pack, quoted, quoted_length, e->key.dims,
		                           e->rows, e->shortlisted, e->appointed);
	}
	if (!rc)
		rc = write_pack(in, kind, month);
	free(order);
	return rc;
}

/* ---- editing stored packs -------------------------------------------------- */

/* The statements and reader for rewriting packs. */
typedef struct pack_editor {
	sqlite3_stmt *select, *update, *erase;
	store_pack_reader reader;
} pack_editor;

static void editor_close(pack_editor *e)
{
	sqlite3_finalize(e->select);
	sqlite3_finalize(e->update);
	sqlite3_finalize(e->erase);
	store_pack_reader_free(&e->reader);
	memset(e, 0, sizeof *e);
}

static int editor_open(ingest *in, pack_editor *e)
{
	memset(e, 0, sizeof *e);
	int rc = store_prepare(in->store, &e->select,
	                       "SELECT kind, month, cells FROM cell_packs WHERE id = ?1");
	if (!rc)
		rc = store_prepare(in->store, &e->update,
		                   "UPDATE cell_packs SET cells = ?2, dictionary = ?3 WHERE id = ?1");
	if (!rc)
		rc = store_prepare(in->store, &e->erase, "DELETE FROM cell_packs WHERE id = ?1");
	if (rc)
		editor_close(e);
	return rc;
}

/* Take the cells `filter` picks out of the pack `id`, which is rewritten
 * without them, or deleted when none is left; adds the number taken to
 * *taken. */
static int edit_pack(ingest *in, pack_editor *e, int64_t id, cell_filter filter,
                     void *context, uint64_t *taken)
{
	sqlite3_bind_int64(e->select, 1, id);
	int step = sqlite3_step(e->select);
	if (step != SQLITE_ROW) {
		sqlite3_reset(e->select);
		return store_fail(in->store, step == SQLITE_DONE ? SQLITE_CORRUPT : step,
		                  "correcting counts");
	}
	parity_kind kind = PARITY_KIND_RECRUITMENT;
	int rc = 0;
	if (parity_kind_parse(&kind, (const char *)sqlite3_column_text(e->select, 0)))
		rc = store_fail(in->store, SQLITE_CORRUPT, "correcting counts");
	int month = sqlite3_column_int(e->select, 1);
	if (!rc)
		rc = store_pack_open_row(&e->reader, in->store, e->select, 2, id);
	uint64_t out = 0;
	store_cell cell;
	store_pack_reset(&in->pack);
	while (!rc && (rc = store_pack_next(&e->reader, &cell)) == 1) {
		rc = filter(in, context, id / STORE_PACK_ID(1, 0), (int)kind, month, &cell);
		if (rc == 1) {
			out++;
			rc = 0;
		} else if (!rc) {
			rc = store_pack_add(&in->pack, &cell);
		}
	}
	if (!rc && out) {
		sqlite3_stmt *stmt = in->pack.cells ? e->update : e->erase;
		if (in->pack.cells && !(rc = store_pack_finish(&in->pack))) {
			sqlite3_bind_text(e->update, 2, in->pack.text, (int)in->pack.used,
			                  SQLITE_STATIC);
			sqlite3_bind_text(e->update, 3, in->pack.text + in->pack.dictionary_at,
			                  (int)in->pack.dictionary_length, SQLITE_STATIC);
		}
		if (!rc) {
			sqlite3_bind_int64(stmt, 1, id);
			step = sqlite3_step(stmt);
			sqlite3_reset(stmt);
			if (step != SQLITE_DONE)
				rc = store_fail(in->store, step, "correcting counts");
		}
		*taken += out;
	}
	sqlite3_reset(e->select);
	store_pack_reset(&in->pack);
	return rc;
}

/* The ids `stmt` selects (column 0), in a malloc'd array. Finalizes it. */
static int list_packs(ingest *in, sqlite3_stmt *stmt, int64_t **out, size_t *count)
{
	int64_t *ids = NULL;
	size_t n = 0, size = 0;
	int step, rc = 0;
	while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (n == size) {
			size = size ? size * 2 : 64;
			int64_t *grown = realloc(ids, size * sizeof *grown);
			if (!grown) {
				rc = parity_error_set(PARITY_ENOMEM, "out of memory");
				break;
			}
			ids = grown;
		}
		ids[n++] = sqlite3_column_int64(stmt, 0);
	}
	if (!rc && step != SQLITE_DONE)
		rc = store_fail(in->store, step, "reading stored counts");
	sqlite3_finalize(stmt);
	if (rc) {
		free(ids);
		ids = NULL;
		n = 0;
	}
	*out = ids;
	*count = n;
	return rc;
}

/* Edit every pack `stmt` selects (their ids first, then each in turn)
 * with `filter` (see edit_pack). Finalizes `stmt`. */
int ingest_edit_packs(ingest *in, sqlite3_stmt *stmt, cell_filter filter,
                      void *context, uint64_t *taken)
{
	int64_t *ids = NULL;
	size_t count = 0;
	pack_editor editor;
	int rc = list_packs(in, stmt, &ids, &count);
	if (!rc && count && !(rc = editor_open(in, &editor))) {
		for (size_t i = 0; i < count && !rc; i++)
			rc = edit_pack(in, &editor, ids[i], filter, context, taken);
		editor_close(&editor);
	}
	free(ids);
	return rc;
}

/* ---- taking duplicates back ------------------------------------------------- */

/* What a fix found stored: the sums of the cells with its key. */
typedef struct fix_found {
	int64_t rows, shortlisted, appointed;
} fix_found;

typedef struct fix_set {
	const cell_table *fixes;
	fix_found *found;      /* per fix */
} fix_set;

/* A stored cell leaves its pack when a fix has its key; its counts go to
 * that fix's sums. Its values are looked up among the current interned
 * values: one that is not there is in no counted row's key. */
static int take_fixed(ingest *in, void *context, int64_t file_id, int kind, int month,
                      const store_cell *c)
{
	(void)file_id; /* only this file's packs are read */
	fix_set *f = context;
	cell_key key;
	memset(&key, 0, sizeof key);
	key.kind = kind;
	key.month = month;
	for (int d = 0; d < F_DIMENSIONS_; d++)
		if (!dict_find(&in->values, &key.dims[d], c->dim[d], c->length[d]))
			return 0;
	ptrdiff_t fix = cells_find(f->fixes, &key, cells_hash(&key));
	if (fix < 0)
		return 0;
	f->found[fix].rows += c->rows;
	f->found[fix].shortlisted += c->shortlisted;
	f->found[fix].appointed += c->appointed;
	return 1;
}

/*
 * Take the counts of `fixes` (negative: rows found to be duplicates after
 * their cells were stored) back from the packs this file wrote: every
 * stored cell with a fix's key leaves its pack, and the sum of those cells
 * and the fix, unless nothing is left, is stored again in a new pack.
 */
static int take_back(ingest *in, const cell_table *fixes)
{
	sqlite3_stmt *stmt = NULL;
	cell_table left;
	uint64_t taken = 0;
	memset(&left, 0, sizeof left);
	fix_set f = {fixes, calloc(fixes->count, sizeof *f.found)};
	if (!f.found)
		return parity_error_set(PARITY_ENOMEM, "out of memory");
	int rc = store_prepare(in->store, &stmt, "SELECT id FROM cell_packs WHERE "
	                       STORE_PACKS_OF_FILE("?1") " ORDER BY id");
	if (!rc) {
		sqlite3_bind_int64(stmt, 1, in->file_id);
		rc = ingest_edit_packs(in, stmt, take_fixed, &f, &taken);
		in->summary->cells -= taken;
	}
	for (size_t i = 0; i < fixes->count && !rc; i++) {
		const cell_entry *e = &fixes->entries[i];
		int64_t rows = f.found[i].rows + e->rows;
		int64_t shortlisted = f.found[i].shortlisted + e->shortlisted;
		int64_t appointed = f.found[i].appointed + e->appointed;
		if (rows < 0 || shortlisted < 0 || appointed < 0)
			rc = parity_error_set(PARITY_EIO, "%s: internal error: taking back a "
			                      "duplicate row left a negative count", in->path);
		else if (rows || shortlisted || appointed)
			rc = cells_add(&left, &e->key, rows, shortlisted, appointed);
	}
	if (!rc)
		rc = ingest_write_cells(in, &left);
	cells_free(&left);
	free(f.found);
	return rc;
}

/* The not stated / not known tallies for a cell's rows (negative: taken
 * back). */
static void tally_quality(ingest *in, const cell_key *key, int64_t rows)
{
	static const int tracked[] = {F_ETHNIC, F_SEX, F_DISABILITY, F_AGE, F_PAY,
	                              F_GROUP, F_ORIENTATION, F_RELIGION};
	for (size_t i = 0; i < sizeof tracked / sizeof tracked[0]; i++) {
		int f = tracked[i];
		enum value_quality q = dict_quality(&in->values, key->dims[f]);
		if (q == VALUE_NOT_STATED)
			in->not_stated[f] += rows;
		else if (q == VALUE_NOT_KNOWN)
			in->not_known[f] += rows;
	}
}

/* What a table's cells add to the organisation-months covered and the
 * data-quality tallies: taken per cell, not per row (on the writer thread
 * when there is one, see ingest_writer.c). 0 or PARITY_ENOMEM. */
int ingest_account_cells(ingest *in, const cell_table *table)
{
	enum { AHEAD = 16 }; /* cells between a slot's hint and its use */
	for (size_t i = 0; i < table->count; i++) {
		const cell_entry *e = &table->entries[i];
		if (i + AHEAD < table->count) {
			const cell_entry *next = &table->entries[i + AHEAD];
			coverage_prefetch(&in->coverage, coverage_key(next->key.kind,
			                                              next->key.dims[F_ORG],
			                                              next->key.month));
		}
		uint32_t org = e->key.dims[F_ORG];
		int rc = coverage_add(&in->coverage, coverage_key(e->key.kind, org, e->key.month),
		                      e->key.kind, dict_text(&in->values, org), e->key.month,
		                      e->rows, e->days);
		if (rc)
			return rc;
		tally_quality(in, &e->key, e->rows);
	}
	return 0;
}

/* When the memos and interned values have grown past their limit and no
 * table refers to them, forget them (they are rebuilt as rows need them). */
static int forget_values(ingest *in)
{
	if (in->cells.count || in->fixes.count)
		return 0;
	size_t bytes = dict_bytes(&in->values);
	for (int f = 0; f < F_COUNT_; f++)
		bytes += memo_bytes(&in->memos[f]);
	if (bytes <= MEMO_LIMIT)
		return 0;
	int rc = writer_wait(in); /* it may still be reading the values */
	if (rc)
		return rc;
	dict_clear(&in->values);
	for (int f = 0; f < F_COUNT_; f++)
		memo_clear(&in->memos[f]);
	rc = dict_intern(&in->values, &in->empty_id, "", 0);
	if (!rc)
		rc = coverage_rekey(&in->coverage, &in->values);
	return rc;
}

/*
 * Write the cells of `table` to the store and empty it: handed to the
 * writer thread, which takes their coverage and data-quality tallies and
 * writes them while rows go on being read. With `fixing`, the cells are
 * counts to take back from what this file already wrote, accounted for
 * and applied here once the writer is idle (it alone touches the coverage
 * and tallies while busy). Afterwards, when the memos and interned values
 * have grown past their limit, they are forgotten too (they will be
 * rebuilt as rows need them).
 */
int ingest_flush(ingest *in, cell_table *table, int fixing)
{
	int rc = 0;
	if (table->count == 0)
		return forget_values(in);
	if (!fixing) {
		/* Handed to the writer thread: *table comes back empty. */
		if ((rc = writer_submit(in, table)))
			return rc;
		return forget_values(in);
	}
	if ((rc = writer_wait(in)) || (rc = ingest_account_cells(in, table)) ||
	    (rc = take_back(in, table)))
		return rc;
	cells_clear(table);
	return forget_values(in);
}
