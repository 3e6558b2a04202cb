/*
 * ingest.c: turns one HR extract (or an aggregate counts file) into counts
 * in the store. Reads the file (parsing on a second thread), applies each
 * coded row to a bounded table of cells that is flushed to SQLite in sorted
 * multi-row INSERTs, keeps (id hash, position) pairs for the duplicate check
 * done after the read, and commits the file as a single transaction.
 */
#include "parity/ingest.h"

#include "ingest_internal.h"
#include "parity/codes.h"
#include "parity/common.h"
#include "parity/period.h"
#include "parity/stats.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_FLUSH_CELLS 131072
#define DEFAULT_ID_RUN 262144
#define MEMO_LIMIT (16u << 20)   /* bytes of memos and values kept between flushes */
#define CHECKPOINT_MAX 65536
#define BATCH_ROWS 64            /* cells per INSERT statement */

static const char *const kind_names[PARITY_KIND_COUNT_] = {
	"recruitment", "workforce", "disciplinary", "training", "board", "survey",
};

const char *parity_kind_name(parity_kind kind)
{
	if (kind == PARITY_KIND_COUNTS)
		return "counts";
	return (unsigned)kind < PARITY_KIND_COUNT_ ? kind_names[kind] : "unknown";
}

int parity_kind_parse(parity_kind *out, const char *name)
{
	for (unsigned i = 0; i < PARITY_KIND_COUNT_; i++)
		if (name && strcmp(name, kind_names[i]) == 0) {
			*out = (parity_kind)i;
			return 0;
		}
	if (name && !strcmp(name, "counts")) {
		*out = PARITY_KIND_COUNTS;
		return 0;
	}
	return parity_error_set(PARITY_EUSAGE,
	                        "unknown kind '%s': use recruitment, workforce, "
	                        "disciplinary, training, board, survey or counts", name ? name : "");
}

void parity_ingest_options_default(parity_ingest_options *out, parity_kind kind)
{
	memset(out, 0, sizeof *out);
	out->kind = kind;
	out->max_reject_share = 0.01;
}

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

/* Whether a stored cell of a pack of `kind` and `month` is to leave its
 * pack: 1 (the filter has taken its counts), 0, or an error. */
typedef int (*cell_filter)(ingest *in, void *context, int64_t file_id, int kind,
                           int month, const store_cell *cell);

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
static int edit_packs(ingest *in, sqlite3_stmt *stmt, cell_filter filter, void *context,
                      uint64_t *taken)
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
		rc = edit_packs(in, stmt, take_fixed, &f, &taken);
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

/* ---- rows ------------------------------------------------------------------ */

/* Note where a record starts outside any other, every so many lines, so
 * that a row can be re-read later without reading the file from the top. */
static int note_checkpoint(ingest *in, const csvread_record *record)
{
	if (record->ordinal != 0)
		return 0;
	if (in->checkpoint_count &&
	    record->line < in->checkpoints[in->checkpoint_count - 1].line +
	                   in->checkpoint_every)
		return 0;
	if (in->checkpoint_count == CHECKPOINT_MAX) {
		/* Keep every other one: memory stays bounded, re-reads get longer. */
		for (size_t i = 0; i < CHECKPOINT_MAX / 2; i++)
			in->checkpoints[i] = in->checkpoints[2 * i];
		in->checkpoint_count = CHECKPOINT_MAX / 2;
		in->checkpoint_every *= 2;
		return 0;
	}
	if (in->checkpoint_count == in->checkpoint_size) {
		size_t size = in->checkpoint_size ? in->checkpoint_size * 2 : 256;
		checkpoint *c = realloc(in->checkpoints, size * sizeof *c);
		if (!c)
			return parity_error_set(PARITY_ENOMEM, "out of memory");
		in->checkpoints = c;
		in->checkpoint_size = size;
	}
	in->checkpoints[in->checkpoint_count].line = record->line;
	in->checkpoints[in->checkpoint_count++].offset = record->offset;
	return 0;
}

/* Add a counted row to its cell (its organisation-month and data-quality
 * tallies are taken per cell when the table is flushed). */
static int count_row(ingest *in, const pending_cell *r)
{
	return cells_add_hashed(&in->cells, &r->key, r->hash, r->rows, r->shortlisted,
	                        r->appointed, r->days);
}

/* Add every row still waiting for its cell. */
static int drain_pending(ingest *in)
{
	int rc = 0;
	while (in->pending_count && !rc) {
		rc = count_row(in, &in->pending[in->pending_head]);
		in->pending_head = (in->pending_head + 1) % PENDING_CELLS;
		in->pending_count--;
	}
	return rc;
}

/* The days of its month a row covers, as bits (bit d-1 for day d): its
 * date's day, or the whole month for a counts file (months only) and a
 * workforce snapshot (a stock: two snapshots of one month are one month
 * counted twice, never two halves; a board's membership likewise). */
#define WHOLE_MONTH 0x7fffffffu
static uint32_t row_days(const ingest *in, const row *r)
{
	unsigned day = r->date % 100;
	if (in->options->kind == PARITY_KIND_COUNTS ||
	    in->options->kind == PARITY_KIND_WORKFORCE ||
	    in->options->kind == PARITY_KIND_BOARD || day < 1 || day > 31)
		return WHOLE_MONTH;
	return 1u << (day - 1);
}

/* Queue a decoded row: hint its cell's slot into the cache now, its entry
 * a few rows later, and add it a few rows after that. */
static int queue_row(ingest *in, const row *r)
{
	size_t at = (in->pending_head + in->pending_count) % PENDING_CELLS;
	pending_cell *p = &in->pending[at];
	p->key = r->key;
	p->hash = cells_hash(&p->key);
	p->rows = r->rows;
	p->shortlisted = r->shortlisted;
	p->appointed = r->appointed;
	p->days = row_days(in, r);
	cells_prefetch_slot(&in->cells, p->hash);
	/* The row queued half a ring ago (a hint only: early on it is stale). */
	cells_prefetch_entry(&in->cells,
	                     in->pending[(at + PENDING_CELLS / 2) % PENDING_CELLS].hash);
	in->pending_count++;
	if (in->pending_count < PENDING_CELLS)
		return 0;
	int rc = count_row(in, &in->pending[in->pending_head]);
	in->pending_head = (in->pending_head + 1) % PENDING_CELLS;
	in->pending_count--;
	return rc;
}

int ingest_uncount(ingest *in, const row *r)
{
	int rc = cells_add(&in->fixes, &r->key, -r->rows, -r->shortlisted, -r->appointed);
	if (rc)
		return rc;
	size_t limit = in->options->flush_cells ? in->options->flush_cells
	                                        : DEFAULT_FLUSH_CELLS;
	if (in->fixes.count >= limit)
		return ingest_flush(in, &in->fixes, 1);
	return 0;
}

/* Refuse the file whose counts take a kind's total past what an analysis
 * can sum (an analysis may pool every month and organisation of a kind):
 * said here, with the line and column, rather than by every later analysis
 * as a usage error. */
static int too_many_counted(ingest *in, const csvread_record *record, const row *r)
{
	int column = in->options->kind == PARITY_KIND_COUNTS ? F_ROWS : F_ID;
	return parity_error_set(PARITY_EDATA,
	                        "%s:%llu: column '%s': with this row the %s counts "
	                        "reach %lld, past 1,000,000,000,000, the most an "
	                        "analysis can sum (counting what the store already "
	                        "holds): no real workforce is that large, so check "
	                        "that the column holds counts of people; nothing was "
	                        "stored", in->path, (unsigned long long)record->line,
	                        in->column_name[column],
	                        parity_kind_name((parity_kind)r->key.kind),
	                        (long long)in->kind_rows[r->key.kind]);
}

/* The rows of each kind the store holds before this file, at most: exact
 * (summed from the cells) when it holds counts files, whose cells can be
 * large; otherwise the rows the extracts of that kind accepted, since an
 * extract row adds one to one cell. */
static int stored_kind_rows(ingest *in)
{
	sqlite3_stmt *stmt = NULL;
	int rc = store_prepare(in->store, &stmt,
	                       "SELECT EXISTS (SELECT 1 FROM files WHERE kind = 'counts' "
	                       "AND id <> ?1)");
	if (rc)
		return rc;
	sqlite3_bind_int64(stmt, 1, in->file_id);
	int step = sqlite3_step(stmt);
	int exact = step == SQLITE_ROW && sqlite3_column_int(stmt, 0);
	sqlite3_finalize(stmt);
	if (step != SQLITE_ROW)
		return store_fail(in->store, step, "reading stored totals");
	rc = store_prepare(in->store, &stmt,
	                   exact ? "SELECT kind, sum(rows) FROM cells GROUP BY kind"
	                         : "SELECT kind, sum(rows_accepted) FROM files WHERE "
	                           "active AND kind <> 'counts' GROUP BY kind");
	if (rc)
		return rc;
	while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
		parity_kind kind;
		const char *name = (const char *)sqlite3_column_text(stmt, 0);
		if (name && !parity_kind_parse(&kind, name) && kind < PARITY_KIND_COUNT_)
			in->kind_rows[kind] = sqlite3_column_int64(stmt, 1);
		parity_error_clear();
	}
	sqlite3_finalize(stmt);
	return step == SQLITE_DONE ? 0 : store_fail(in->store, step, "reading stored totals");
}

/* Is every field of the record empty or spaces? Spreadsheets end their
 * exports with such rows (",,,,,," or ";;;;;;"): they hold nothing, like a
 * blank line, whatever their number of fields. */
int ingest_bare_delimiters(const csvread_record *record)
{
	for (size_t f = 0; f < record->count; f++)
		for (size_t i = 0; i < record->lengths[f]; i++)
			if (record->fields[f][i] != ' ' && record->fields[f][i] != '\t')
				return 0;
	return 1;
}

/* A report's footer line: its first non-blank field starts with a word
 * reports put there ("Total", "Grand Total", "Report run by", "Printed",
 * "End of report", "Page"), and it is no full row: a different number of
 * fields from the header, or fewer than half of them filled in (Excel pads
 * "Total,,,,,4" to the header's width). Counted apart, not refused. */
int ingest_is_footer(const csvread_record *record, size_t header_count)
{
	static const char *const words[] = {
		"total", "grandtotal", "subtotal", "reportrun", "runby", "rundate",
		"reportdate", "printed", "generated", "endofreport", "page",
		"rowcount", "recordcount", "numberofrecords", "countof",
	};
	size_t filled = 0;
	int worded = -1;
	for (size_t i = 0; i < record->count; i++) {
		char key[64];
		parity_code_key(key, sizeof key, record->fields[i]);
		if (!key[0])
			continue;
		filled++;
		if (worded >= 0)
			continue;
		worded = 0;
		for (size_t w = 0; w < sizeof words / sizeof words[0]; w++)
			if (!strncmp(key, words[w], strlen(words[w])))
				worded = 1;
		if (!worded)
			return 0; /* a data row: its first value is no footer word */
	}
	return worded == 1 && (record->count != header_count || 2 * filled < header_count);
}

static int on_record(void *context, const csvread_record *record)
{
	ingest *in = context;
	row r;
	int rc;

	if ((rc = note_checkpoint(in, record)))
		return rc;
	if (!in->header_done && in->mapping && record->line < in->mapping->header_line) {
		in->summary->title_lines++; /* a report's title above the header */
		return 0;
	}
	if (!in->header_done)
		return ingest_resolve_header(in, record);
	if (ingest_bare_delimiters(record)) {
		in->summary->empty_rows++;
		return 0;
	}
	if (ingest_is_footer(record, in->header_count)) {
		in->summary->footer_lines++;
		return 0;
	}
	in->summary->rows_read++;
	if (in->options->progress && (in->summary->rows_read & 0xffff) == 0) {
		time_t now = time(NULL);
		if (now != in->last_progress) {
			in->last_progress = now;
			fprintf(stderr, "\r%s: %llu rows read", in->path,
			        (unsigned long long)in->summary->rows_read);
		}
	}
	if ((rc = ingest_decode(in, record, &r)))
		return rc;
	if (r.status == ROW_REJECT)
		return ingest_reject(in, NULL, record, r.reason, r.detail);
	if (record->line >= (1ull << 40) || record->ordinal >= (1u << 24))
		return parity_error_set(PARITY_EDATA, "%s:%llu: too many records on one "
		                        "line or too many lines: split the file",
		                        in->path, (unsigned long long)record->line);
	if ((rc = idparts_add(&in->ids, r.id_hash, record->line << 24 | record->ordinal)))
		return rc;
	if (r.status == ROW_UNKNOWN)
		return 0; /* the file will be refused for its unknown values */
	if ((unsigned)r.key.kind < PARITY_KIND_COUNT_ &&
	    (in->kind_rows[r.key.kind] += r.rows) > (int64_t)PARITY_STATS_MAX_COUNT)
		return too_many_counted(in, record, &r);
	if (in->training && (rc = training_note(in, record, &r)))
		return rc;
	if ((rc = queue_row(in, &r)))
		return rc;
	in->summary->rows_accepted++;
	/* Flushed when full, counting the rows still queued for it (so that it
	 * never has to grow): the table in hand is the big one or, while the
	 * writer has that, the spare (see writer_start). */
	if (in->cells.count + PENDING_CELLS >= in->cells.size &&
	    ((rc = drain_pending(in)) || (rc = ingest_flush(in, &in->cells, 0))))
		return rc;
	return 0;
}

/* ---- finishing ----------------------------------------------------------- */

/* Say which band-like columns hold values that are not known bands: those
 * rows are stored under the value as written, so band figures (breakdowns,
 * Kline's ladder, band clusters) would miss them. Names the column and the
 * first line, never the value. */
static void warn_not_a_band(ingest *in)
{
	static const int fields[3] = {F_PAY, F_GROUP, F_AGE};
	static const char *const what[3] = {"pay band", "staff group", "age band"};
	for (int k = 0; k < 3; k++) {
		if (!in->not_a_band[k] || in->column_of[fields[k]] < 0)
			continue;
		char *warnings = in->summary->warnings;
		size_t used = strlen(warnings);
		snprintf(warnings + used, sizeof in->summary->warnings - used,
		         "%s%s: column '%s' (%s): %llu %s a value that is not a known "
		         "%s (the first on line %llu), counted as written: map it in "
		         "the mapping file's [%s] section",
		         used ? "\n" : "", in->path,
		         in->header[in->column_of[fields[k]]], in->column_name[fields[k]],
		         (unsigned long long)in->not_a_band[k],
		         in->not_a_band[k] == 1 ? "row holds" : "rows hold", what[k],
		         (unsigned long long)in->not_a_band_line[k],
		         in->column_name[fields[k]]);
	}
}

static int bind_run(parity_store *store, const char *sql, int64_t a, int64_t b,
                    const char *text, const char *what)
{
	sqlite3_stmt *stmt = NULL;
	int rc = store_prepare(store, &stmt, sql);
	if (rc)
		return rc;
	sqlite3_bind_int64(stmt, 1, a);
	sqlite3_bind_int64(stmt, 2, b);
	if (text)
		sqlite3_bind_text(stmt, 3, text, -1, SQLITE_TRANSIENT);
	int step = sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	return step == SQLITE_DONE ? 0 : store_fail(store, step, what);
}

#define UNKNOWN_QUOTED 24   /* characters of an unknown value a message quotes */
#define UNKNOWN_ID_LIKE 20  /* distinct unknown values in one column: an id column */

/*
 * Refuse the file for values nothing maps. Every value goes to the rejects
 * file (owner-only), with its column, rows and first line. The message
 * names each column and quotes a few values, cut to UNKNOWN_QUOTED
 * characters (a run keeps none of them: see parity_publish_message); a
 * column with UNKNOWN_ID_LIKE or more distinct unknown values is most
 * likely an identifier mapped to a coded column, so its values are not
 * quoted at all and the message says to check the mapping.
 */
static int refuse_unknown(ingest *in)
{
	char message[1800], detail[300];
	size_t per_field[F_COUNT_] = {0};
	int rc = 0;
	for (size_t i = 0; i < in->unknown_count; i++)
		per_field[in->unknown[i].field]++;
	for (size_t i = 0; i < in->unknown_count && !rc; i++) {
		const unknown_value *u = &in->unknown[i];
		snprintf(detail, sizeof detail, "column '%s': \"%s\" is in no code list "
		         "or mapping (%llu row%s)", in->column_name[u->field], u->value,
		         (unsigned long long)u->rows, u->rows == 1 ? "" : "s");
		rc = ingest_reject_note(in, u->first_line, detail);
	}
	if (rc)
		return rc;
	size_t used = (size_t)snprintf(message, sizeof message,
	                               "%s: %zu%s value%s that no code list or mapping "
	                               "knows (%s listed in the rejects file):", in->path,
	                               in->unknown_count, in->unknown_more ? " or more" : "",
	                               in->unknown_count == 1 ? "" : "s",
	                               in->unknown_more ? "the first of them" : "each");
	size_t quoted = 0;
	for (int f = 0; f < F_COUNT_ && used < sizeof message; f++) {
		if (!per_field[f])
			continue;
		const unknown_value *first = NULL;
		uint64_t rows = 0;
		for (size_t i = 0; i < in->unknown_count; i++)
			if (in->unknown[i].field == f) {
				rows += in->unknown[i].rows;
				if (!first)
					first = &in->unknown[i];
			}
		if (per_field[f] >= UNKNOWN_ID_LIKE || in->unknown_more) {
			used += (size_t)snprintf(message + used, sizeof message - used,
			                         "\n  column '%s': %zu%s different values on %llu "
			                         "rows (the first on line %llu): this looks like "
			                         "an identifier or another column mapped to %s; "
			                         "check the mapping's [columns] section",
			                         in->column_name[f], per_field[f],
			                         in->unknown_more ? " or more" : "",
			                         (unsigned long long)rows,
			                         (unsigned long long)first->first_line,
			                         in->column_name[f]);
			continue;
		}
		for (size_t i = 0; i < in->unknown_count && used < sizeof message; i++) {
			const unknown_value *u = &in->unknown[i];
			if (u->field != f || quoted == 8)
				continue;
			quoted++;
			used += (size_t)snprintf(message + used, sizeof message - used,
			                         "\n  column '%s': \"%.*s%s\" on %llu row%s (first "
			                         "on line %llu)", in->column_name[u->field],
			                         UNKNOWN_QUOTED, u->value,
			                         strlen(u->value) > UNKNOWN_QUOTED ? "..." : "",
			                         (unsigned long long)u->rows,
			                         u->rows == 1 ? "" : "s",
			                         (unsigned long long)u->first_line);
		}
	}
	if (used < sizeof message)
		snprintf(message + used, sizeof message - used,
		         "\nMap each value to a code in a mapping file (for example "
		         "[%s] then a line \"value = <code>\"), or send unmapped values "
		         "to not stated with \"unknown_values = not stated\" under "
		         "[settings]; 'parity mapping --suggest' drafts a mapping.",
		         in->column_name[in->unknown[0].field]);
	return parity_error_set(PARITY_EDATA, "%s", message);
}

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
		rc = edit_packs(in, stmt, take_replaced, &set, &taken);
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
static int handle_overlap(ingest *in)
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
static int save_coverage(ingest *in, int *first_month, int *last_month,
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

/* An organisation code folded as people misspell it: lower case, without
 * spaces, into `out` (of `size` bytes). */
static void fold_organisation(char *out, size_t size, const char *organisation)
{
	size_t n = 0;
	for (const char *p = organisation; *p && n + 1 < size; p++)
		if (*p != ' ' && *p != '\t')
			out[n++] = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
	out[n] = '\0';
}

typedef struct spelling {
	char folded[64];
	char *organisation;   /* as stored */
	int mine;             /* 1: this file holds it */
} spelling;

static int compare_spellings(const void *a, const void *b)
{
	const spelling *x = a, *y = b;
	int c = strcmp(x->folded, y->folded);
	return c ? c : strcmp(x->organisation, y->organisation);
}

/* The rows this file counted for `organisation`, and those the store held
 * for it before (from other files). */
static int spelling_rows(ingest *in, const char *organisation, int64_t *mine,
                         int64_t *stored)
{
	*mine = *stored = 0;
	for (size_t i = 0; i < in->coverage.count; i++) {
		const coverage_item *c = &in->coverage.items[i];
		if (c->rows > 0 && !strcmp(coverage_organisation(&in->coverage, c), organisation))
			*mine += c->rows;
	}
	sqlite3_stmt *stmt = NULL;
	int rc = store_prepare(in->store, &stmt, "SELECT ifnull(sum(rows), 0) FROM cells "
	                       "WHERE organisation = ?1 AND file_id <> ?2");
	if (rc)
		return rc;
	sqlite3_bind_text(stmt, 1, organisation, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, in->file_id);
	int step = sqlite3_step(stmt);
	if (step == SQLITE_ROW)
		*stored = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return step == SQLITE_ROW ? 0 : store_fail(in->store, step, "reading organisations");
}

/*
 * Organisation codes that differ only in case or spacing ("rxq", "RXQ",
 * "R XQ") count as different organisations, which is almost never meant:
 * warn, in summary->organisation_warning, of each such group that holds a
 * code of this file, with the rows of each code here and in the store,
 * so the user can map them to one code. Nothing is changed.
 */
static int warn_spellings(ingest *in)
{
	sqlite3_stmt *stmt = NULL;
	spelling *list = NULL;
	size_t n = 0, size = 0;
	int rc = store_prepare(in->store, &stmt, "SELECT organisation, max(file_id = ?1) "
	                       "FROM coverage GROUP BY organisation");
	if (rc)
		return rc;
	sqlite3_bind_int64(stmt, 1, in->file_id);
	int step;
	while ((step = sqlite3_step(stmt)) == SQLITE_ROW && !rc) {
		const char *organisation = (const char *)sqlite3_column_text(stmt, 0);
		if (n == size) {
			size = size ? 2 * size : 64;
			spelling *grown = realloc(list, size * sizeof *grown);
			if (!grown) {
				rc = parity_error_set(PARITY_ENOMEM, "out of memory");
				break;
			}
			list = grown;
		}
		spelling *s = &list[n];
		s->organisation = strdup(organisation ? organisation : "");
		if (!s->organisation) {
			rc = parity_error_set(PARITY_ENOMEM, "out of memory");
			break;
		}
		fold_organisation(s->folded, sizeof s->folded, s->organisation);
		s->mine = sqlite3_column_int(stmt, 1);
		n++;
	}
	if (!rc && step != SQLITE_DONE)
		rc = store_fail(in->store, step, "reading organisations");
	sqlite3_finalize(stmt);
	if (!rc && n)
		qsort(list, n, sizeof *list, compare_spellings);
	char *out = in->summary->organisation_warning;
	size_t cap = sizeof in->summary->organisation_warning, used = 0;
	for (size_t i = 0; i < n && !rc;) {
		size_t j = i + 1, mine = (size_t)list[i].mine;
		while (j < n && !strcmp(list[j].folded, list[i].folded))
			mine += (size_t)list[j++].mine;
		if (j - i > 1 && mine && used + 1 < cap) {
			used += (size_t)snprintf(out + used, cap - used, "%s", used ? "; " : "");
			for (size_t k = i; k < j && !rc && used + 1 < cap; k++) {
				int64_t here = 0, stored = 0;
				rc = spelling_rows(in, list[k].organisation, &here, &stored);
				if (!rc)
					used += (size_t)snprintf(out + used, cap - used,
					                         "%s\"%s\" (%lld rows in this file, "
					                         "%lld stored before)", k > i ? ", " : "",
					                         list[k].organisation, (long long)here,
					                         (long long)stored);
			}
		}
		i = j;
	}
	if (used >= cap)
		used = cap - 1;
	for (size_t i = 0; i < n; i++)
		free(list[i].organisation);
	free(list);
	return rc;
}

static int save_file_details(ingest *in, const char *sha)
{
	sqlite3_stmt *stmt = NULL;
	int first_month = 0, last_month = 0;
	int64_t counted = 0;
	int rc = save_coverage(in, &first_month, &last_month, &counted);
	if (rc)
		return rc;
	if ((rc = handle_overlap(in)))
		return rc;
	if ((rc = warn_spellings(in)))
		return rc;
	if (in->training) {
		int64_t taken = 0;
		if ((rc = training_resolve(in, &taken)))
			return rc;
		counted -= taken;
	}

	for (size_t i = 0; i < in->reason_count && !rc; i++)
		rc = bind_run(in->store, "INSERT INTO rejects(file_id, count, reason) "
		              "VALUES(?,?,?)", in->file_id,
		              (int64_t)in->reasons[i].count, in->reasons[i].reason,
		              "recording rejects");
	const int tracked[] = {F_ETHNIC, F_SEX, F_DISABILITY, F_AGE, F_PAY, F_GROUP,
	                       F_ORIENTATION, F_RELIGION};
	for (size_t i = 0; i < sizeof tracked / sizeof tracked[0] && !rc; i++) {
		int f = tracked[i];
		if (!in->column_name[f]) /* not a column of this kind (board) */
			continue;
		if (in->column_of[f] < 0 && f != F_SEX && f != F_DISABILITY &&
		    f != F_AGE && f != F_PAY && f != F_GROUP)
			continue;
		rc = store_prepare(in->store, &stmt,
		                   "INSERT INTO quality(file_id, characteristic, not_stated, "
		                   "not_known, total) VALUES(?,?,?,?,?)");
		if (rc)
			break;
		sqlite3_bind_int64(stmt, 1, in->file_id);
		sqlite3_bind_text(stmt, 2, in->column_name[f], -1, SQLITE_STATIC);
		sqlite3_bind_int64(stmt, 3, (sqlite3_int64)in->not_stated[f]);
		sqlite3_bind_int64(stmt, 4, (sqlite3_int64)in->not_known[f]);
		sqlite3_bind_int64(stmt, 5, (sqlite3_int64)counted);
		int step = sqlite3_step(stmt);
		sqlite3_finalize(stmt);
		if (step != SQLITE_DONE)
			rc = store_fail(in->store, step, "recording data quality");
	}
	if (rc)
		return rc;

	rc = store_prepare(in->store, &stmt,
	                   "UPDATE files SET sha256 = ?, rows_read = ?, rows_accepted = ?, "
	                   "rows_rejected = ?, first_month = ?, last_month = ?, "
	                   "replaced = ? WHERE id = ?");
	if (rc)
		return rc;
	sqlite3_bind_text(stmt, 1, sha, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, (sqlite3_int64)in->summary->rows_read);
	sqlite3_bind_int64(stmt, 3, (sqlite3_int64)in->summary->rows_accepted);
	sqlite3_bind_int64(stmt, 4, (sqlite3_int64)in->summary->rows_rejected);
	sqlite3_bind_int(stmt, 5, first_month);
	sqlite3_bind_int(stmt, 6, last_month);
	/* What a replace took is kept with the file, in this transaction. */
	if (in->summary->replaced)
		sqlite3_bind_text(stmt, 7, in->summary->replaced_from[0]
		                  ? in->summary->replaced_from : "an earlier delivery",
		                  -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(stmt, 7);
	sqlite3_bind_int64(stmt, 8, in->file_id);
	int step = sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	return step == SQLITE_DONE ? 0 : store_fail(in->store, step, "recording the file");
}

/* Is a file with this digest already in the store? */
static int already_ingested(parity_store *store, const char *sha, int64_t self,
                            int *found)
{
	sqlite3_stmt *stmt = NULL;
	int rc = store_prepare(store, &stmt,
	                       "SELECT 1 FROM files WHERE sha256 = ? AND id <> ?");
	if (rc)
		return rc;
	sqlite3_bind_text(stmt, 1, sha, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, self);
	int step = sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return store_fail(store, step, "looking up the file");
	*found = step == SQLITE_ROW;
	return 0;
}

/* Record the file with a provisional digest (the real one is known only at
 * the end of the read); sets in->file_id. */
static int insert_file(ingest *in)
{
	char provisional[96];
	snprintf(provisional, sizeof provisional, "pending-%ld-%p", (long)getpid(),
	         (void *)in);
	char when[32];
	time_t now = time(NULL);
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
	sqlite3_stmt *stmt = NULL;
	int rc = store_prepare(in->store, &stmt,
	                       "INSERT INTO files(sha256, kind, path, ingested_at) "
	                       "VALUES(?,?,?,?)");
	if (rc)
		return rc;
	sqlite3_bind_text(stmt, 1, provisional, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 2, parity_kind_name(in->options->kind), -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, in->path, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 4, when, -1, SQLITE_TRANSIENT);
	int step = sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	if (step != SQLITE_DONE)
		return store_fail(in->store, step, "recording the file");
	in->file_id = sqlite3_last_insert_rowid(store_db(in->store));
	return 0;
}

static void ingest_free(ingest *in)
{
	if (in->header) {
		for (size_t i = 0; i < in->header_count; i++)
			free(in->header[i]);
		free(in->header);
	}
	sqlite3_finalize(in->insert_pack);
	sqlite3_finalize(in->insert_coverage);
	sqlite3_finalize(in->insert_coverages);
	store_pack_free(&in->pack);
	cells_free(&in->cells);
	cells_free(&in->fixes);
	dict_free(&in->values);
	for (int f = 0; f < F_COUNT_; f++)
		memo_free(&in->memos[f]);
	coverage_free(&in->coverage);
	idparts_free(&in->ids);
	free(in->checkpoints);
	free(in->key_buffer);
	training_free(in);
	ingest_rereader_free(in);
}

int parity_ingest_file(parity_ingest_summary *summary, parity_store *store,
                       const char *path, const parity_ingest_options *options)
{
	ingest in;
	csvread_result read;
	csvread_options csv;
	int rc, in_transaction = 0, foreign_keys_off = 0;

	memset(summary, 0, sizeof *summary);
	memset(&in, 0, sizeof in);
	if (!store || !path || !options)
		return parity_error_set(PARITY_EUSAGE, "parity_ingest_file: missing argument");
	if (options->kind == PARITY_KIND_SURVEY) /* aggregates, not rows of people */
		return ingest_survey_file(summary, store, path, options);
	in.spec = ingest_columns_for(options->kind);
	if (!in.spec)
		return parity_error_set(PARITY_EUSAGE, "unknown extract kind %d",
		                        (int)options->kind);
	struct stat st;
	if (access(path, R_OK) != 0)
		return parity_error_set(PARITY_ENOINPUT, "%s: cannot read the file "
		                        "(check the name and permissions)", path);
	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
		return parity_error_set(PARITY_ENOINPUT, "%s: not a regular file (give "
		                        "the extract's own path, not a folder or a pipe: "
		                        "a file that is read twice must not change)", path);
	in.store = store;
	in.options = options;
	in.mapping = options->mapping;
	in.path = path;
	in.summary = summary;
	in.checkpoint_every = 64;
	size_t reserve = options->flush_cells ? options->flush_cells : DEFAULT_FLUSH_CELLS;
	if (reserve > (1u << 22))
		reserve = 1u << 22;
	if (reserve < 4 * PENDING_CELLS)
		reserve = 4 * PENDING_CELLS;
	if ((rc = cells_reserve(&in.cells, reserve)))
		goto done;
	idparts_init(&in.ids, options->id_run ? options->id_run : DEFAULT_ID_RUN);
	if ((rc = dict_intern(&in.values, &in.empty_id, "", 0)))
		goto done;

	memset(&csv, 0, sizeof csv);
	csv.delimiter = options->delimiter;
	csv.windows1252 = options->windows1252;
	csv.threaded = !options->single_thread;
	if (in.mapping && !csv.delimiter)
		csv.delimiter = in.mapping->delimiter;
	if (in.mapping && in.mapping->windows1252)
		csv.windows1252 = 1;

	/* Every file id this transaction writes is its own, made just before:
	 * checking the foreign key on each of millions of cells is work for
	 * nothing, and with it SQLite keeps a statement journal (a temporary
	 * file written on every INSERT) in case a check fails. On again below. */
	if ((rc = store_exec(store, "PRAGMA foreign_keys=OFF", "starting to ingest")))
		goto done;
	/* Cells are only appended (schema 4): a small page cache does. */
	if ((rc = store_exec(store, "PRAGMA cache_size=-2048", "starting to ingest")))
		goto done;
	foreign_keys_off = 1;
	if ((rc = store_exec(store, "BEGIN IMMEDIATE", "starting to ingest")))
		goto done;
	in_transaction = 1;
	if ((rc = insert_file(&in)))
		goto done;
	if ((rc = stored_kind_rows(&in)))
		goto done;
	if (options->kind == PARITY_KIND_TRAINING && (rc = training_start(&in)))
		goto done;
	/* The writer's spare table is half the size: with it, memory stays
	 * within its bound for files of nearly all distinct cells (the only
	 * ones that ever fill a table), while a file of up to `reserve`
	 * distinct cells is still counted in one table and written once. */
	if (!options->single_thread && (rc = writer_start(&in, (reserve + 1) / 2)))
		goto done;

	rc = csvread_file(&read, path, &csv, on_record, &in);
	if (options->progress && summary->rows_read >= 0x10000)
		fprintf(stderr, "\r%s: %llu rows read\n", path,
		        (unsigned long long)summary->rows_read);
	if (rc || (rc = writer_wait(&in)))
		goto done;
	in.delimiter = read.delimiter;
	snprintf(summary->sha256, sizeof summary->sha256, "%s", read.sha256);
	warn_not_a_band(&in);
	if (!in.header_done) {
		rc = parity_error_set(PARITY_EDATA, "%s: the file is empty: export it again "
		                      "with its header and rows", path);
		goto done;
	}
	int duplicate = 0;
	if ((rc = already_ingested(store, read.sha256, in.file_id, &duplicate)))
		goto done;
	if (duplicate) {
		summary->already_ingested = 1;
		summary->rows_rejected = 0;
		summary->cells = 0;
		util_atomic_abort(&in.rejects);
		in.rejects_open = 0;
		summary->rejects_path[0] = '\0';
		goto done; /* rolled back below: nothing changes */
	}
	if (summary->rows_read == 0) {
		rc = parity_error_set(PARITY_EDATA, "%s: the file has a header but no rows",
		                      path);
		goto done;
	}
	if ((rc = drain_pending(&in)) || (rc = ingest_flush(&in, &in.cells, 0)) ||
	    (rc = ingest_resolve_duplicates(&in)) ||
	    (rc = ingest_flush(&in, &in.fixes, 1)) || (rc = writer_wait(&in)))
		goto done;
	if (in.unknown_count) {
		rc = refuse_unknown(&in);
		goto done;
	}
	if ((double)summary->rows_rejected >
	    options->max_reject_share * (double)summary->rows_read) {
		rc = parity_error_set(PARITY_EDATA,
		                      "%s: %llu of %llu rows (%.1f%%) were refused, more "
		                      "than the %.1f%% allowed, so none of the file was "
		                      "stored. First: %s. Fix the rows listed in the rejects "
		                      "file and ingest again",
		                      path, (unsigned long long)summary->rows_rejected,
		                      (unsigned long long)summary->rows_read,
		                      100.0 * (double)summary->rows_rejected /
		                              (double)summary->rows_read,
		                      100.0 * options->max_reject_share,
		                      summary->first_reject);
		goto done;
	}
	/* Every cell is written: the tables' memory goes before the
	 * coverage is sorted and saved. */
	writer_stop(&in);
	cells_free(&in.cells);
	if ((rc = save_file_details(&in, read.sha256)))
		goto done;
	sqlite3_finalize(in.insert_pack);
	sqlite3_finalize(in.insert_coverage);
	sqlite3_finalize(in.insert_coverages);
	in.insert_pack = NULL;
	in.insert_coverage = in.insert_coverages = NULL;
	/* The refused rows are on disk, synced and named, before the file is:
	 * a failure or a kill between the two leaves the file unstored (and
	 * ingested again next time), never stored with its rejects lost. */
	if (in.rejects_open) {
		in.rejects_open = 0;
		if ((rc = util_atomic_commit(&in.rejects))) {
			summary->rejects_path[0] = '\0';
			goto done;
		}
	}
	if ((rc = store_exec(store, "COMMIT", "saving the file")))
		goto done;
	in_transaction = 0;
done:
	writer_stop(&in); /* before the statements it uses go, and any rollback */
	sqlite3_finalize(in.insert_pack);
	sqlite3_finalize(in.insert_coverage);
	sqlite3_finalize(in.insert_coverages);
	in.insert_pack = NULL;
	in.insert_coverage = in.insert_coverages = NULL;
	if (in_transaction)
		store_rollback(store);
	if (foreign_keys_off)
		sqlite3_exec(store_db(store), "PRAGMA foreign_keys=ON; PRAGMA cache_size=-8192",
		             NULL, NULL, NULL);
	if (rc && rc != PARITY_EBUSY && rc != PARITY_EIO && rc != PARITY_ENOMEM)
		summary->refused = 1;
	if (rc)
		summary->cells = 0;
	if (in.rejects_open) {
		/* Keep the rejects even when the file was refused: the user fixes
		 * the rows from this list. */
		int wrc = util_atomic_commit(&in.rejects);
		if (wrc && !rc)
			rc = wrc;
		if (wrc)
			summary->rejects_path[0] = '\0';
	}
	ingest_free(&in);
	return rc;
}
