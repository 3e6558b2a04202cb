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
	"recruitment", "workforce", "disciplinary", "training",
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
	                        "disciplinary, training or counts", name ? name : "");
}

void parity_ingest_options_default(parity_ingest_options *out, parity_kind kind)
{
	memset(out, 0, sizeof *out);
	out->kind = kind;
	out->max_reject_share = 0.01;
}

/* ---- flushing ------------------------------------------------------------ */

/* Column order of cells after file_id and kind. */
static const char *const dimension_columns[F_DIMENSIONS_] = {
	"organisation", "ethnic_category", "sex", "disability", "age_band", "pay_band",
	"staff_group", "contract", "process", "grounds", "sexual_orientation", "religion",
};

/* An order of the kinds, for sorting cells by kind (any fixed one does). */
static unsigned kind_rank(int kind)
{
	switch (kind) {
	case PARITY_KIND_DISCIPLINARY: return 0;
	case PARITY_KIND_RECRUITMENT: return 1;
	case PARITY_KIND_TRAINING: return 2;
	default: return 3;
	}
}

/* "INSERT INTO cells(...) VALUES (...),(...)" for `rows` cells, with the
 * file id, the kind (for extracts) and the always-empty dimensions as
 * constants. */
static int prepare_insert(ingest *in, sqlite3_stmt **out, size_t rows)
{
	size_t size = 512 + rows * 128;
	char *sql = malloc(size);
	if (!sql)
		return parity_error_set(PARITY_ENOMEM, "out of memory");
	/* OR FAIL: a failing row stops the statement without undoing its other
	 * rows (the whole file is rolled back anyway), so SQLite keeps no
	 * statement journal, which for multi-row INSERTs meant a temporary file
	 * written on every statement. */
	size_t used = (size_t)snprintf(sql, size, "INSERT OR FAIL INTO cells(rowid, "
	                               "file_id, kind, month");
	for (int d = 0; d < F_DIMENSIONS_; d++)
		used += (size_t)snprintf(sql + used, size - used, ", %s", dimension_columns[d]);
	used += (size_t)snprintf(sql + used, size - used,
	                         ", rows, shortlisted, appointed) VALUES ");
	int counts = in->options->kind == PARITY_KIND_COUNTS;
	for (size_t r = 0; r < rows; r++) {
		used += (size_t)snprintf(sql + used, size - used, "%s(?,%lld,", r ? "," : "",
		                         (long long)in->file_id);
		if (counts)
			used += (size_t)snprintf(sql + used, size - used, "?,");
		else
			used += (size_t)snprintf(sql + used, size - used, "'%s',",
			                         parity_kind_name(in->options->kind));
		used += (size_t)snprintf(sql + used, size - used, "?");
		for (int d = 0; d < F_DIMENSIONS_; d++)
			used += (size_t)snprintf(sql + used, size - used, "%s",
			                         in->constant_empty & (1u << d) ? ",''" : ",?");
		used += (size_t)snprintf(sql + used, size - used, ",?,?,?)");
	}
	int rc = store_prepare(in->store, out, sql);
	free(sql);
	return rc;
}

/* Bind one cell's values from parameter `p` on, numbering it as the file's
 * next cell (room for it checked by room_for_cells); returns the next
 * parameter. */
static int bind_cell(ingest *in, sqlite3_stmt *stmt, int p, const cell_entry *e)
{
	sqlite3_bind_int64(stmt, p++, STORE_CELL_ROWID(in->file_id, in->next_cell++));
	if (in->options->kind == PARITY_KIND_COUNTS)
		sqlite3_bind_text(stmt, p++, parity_kind_name((parity_kind)e->key.kind), -1,
		                  SQLITE_STATIC);
	sqlite3_bind_int(stmt, p++, e->key.month);
	for (int d = 0; d < F_DIMENSIONS_; d++) {
		if (in->constant_empty & (1u << d))
			continue;
		uint32_t v = e->key.dims[d];
		sqlite3_bind_text(stmt, p++, dict_text(&in->values, v),
		                  (int)dict_length(&in->values, v), SQLITE_STATIC);
	}
	sqlite3_bind_int64(stmt, p++, e->rows);
	sqlite3_bind_int64(stmt, p++, e->shortlisted);
	sqlite3_bind_int64(stmt, p++, e->appointed);
	return p;
}

/* Record the run of cells being noted, if any, in cell_blocks. */
static int close_block(ingest *in)
{
	if (!in->block_open)
		return 0;
	in->block_open = 0;
	int rc = 0;
	if (!in->insert_block &&
	    (rc = store_prepare(in->store, &in->insert_block,
	                        "INSERT INTO cell_blocks(file_id, kind, month, first_cell, "
	                        "last_cell) VALUES(?,?,?,?,?)")))
		return rc;
	sqlite3_bind_int64(in->insert_block, 1, in->file_id);
	sqlite3_bind_text(in->insert_block, 2, parity_kind_name((parity_kind)in->block_kind),
	                  -1, SQLITE_STATIC);
	sqlite3_bind_int(in->insert_block, 3, in->block_month);
	sqlite3_bind_int64(in->insert_block, 4, in->block_first);
	sqlite3_bind_int64(in->insert_block, 5, in->block_last);
	int step = sqlite3_step(in->insert_block);
	sqlite3_reset(in->insert_block);
	return step == SQLITE_DONE ? 0 : store_fail(in->store, step, "storing counts");
}

/* Note that the cell `e` was stored as `rowid`: it extends the run being
 * noted when it follows on with the same kind and month, else the run is
 * recorded and a new one starts. */
static int note_block(ingest *in, const cell_entry *e, int64_t rowid)
{
	if (in->block_open && in->block_kind == e->key.kind &&
	    in->block_month == e->key.month && in->block_last + 1 == rowid) {
		in->block_last = rowid;
		return 0;
	}
	int rc = close_block(in);
	if (rc)
		return rc;
	in->block_open = 1;
	in->block_kind = e->key.kind;
	in->block_month = e->key.month;
	in->block_first = in->block_last = rowid;
	return 0;
}

/* Whether `count` more cells fit in the file's range of rowids (2^32 cells:
 * unreachable in practice, but checked). 0 or PARITY_EDATA. */
static int room_for_cells(const ingest *in, size_t count)
{
	if (in->next_cell + count <= STORE_CELLS_PER_FILE)
		return 0;
	return parity_error_set(PARITY_EDATA, "%s: more than %llu distinct cells in one "
	                        "file: split the file and ingest the parts", in->path,
	                        (unsigned long long)STORE_CELLS_PER_FILE);
}

/* The order to insert cells in: by kind and month, so that a table of
 * cells is stored as one run of consecutive rowids per kind and month
 * (listed in cell_blocks, which the analyses read through). A counting
 * sort: months span a few hundred values. Returns a malloc'd index
 * array. */
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
	size_t buckets = 4 * span;
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

/* Take `e` back from the cells this file already wrote: read the rows of
 * that cell, delete them and write their sum less `e` (if anything is left). */
static int apply_fix(ingest *in, sqlite3_stmt *select, sqlite3_stmt *erase,
                     const cell_entry *e)
{
	sqlite3_stmt *stmts[2] = {select, erase};
	for (int s = 0; s < 2; s++) {
		sqlite3_stmt *stmt = stmts[s];
		sqlite3_bind_int64(stmt, 1, in->file_id);
		sqlite3_bind_text(stmt, 2, parity_kind_name((parity_kind)e->key.kind), -1,
		                  SQLITE_STATIC);
		sqlite3_bind_int(stmt, 3, e->key.month);
		for (int d = 0; d < F_DIMENSIONS_; d++)
			sqlite3_bind_text(stmt, 4 + d, dict_text(&in->values, e->key.dims[d]),
			                  (int)dict_length(&in->values, e->key.dims[d]),
			                  SQLITE_STATIC);
	}
	int64_t rows = e->rows, shortlisted = e->shortlisted, appointed = e->appointed;
	int64_t found = 0;
	int step;
	while ((step = sqlite3_step(select)) == SQLITE_ROW) {
		rows += sqlite3_column_int64(select, 0);
		shortlisted += sqlite3_column_int64(select, 1);
		appointed += sqlite3_column_int64(select, 2);
		found++;
	}
	sqlite3_reset(select);
	if (step != SQLITE_DONE)
		return store_fail(in->store, step, "correcting counts");
	if (rows < 0 || shortlisted < 0 || appointed < 0)
		return parity_error_set(PARITY_EIO, "%s: internal error: taking back a "
		                        "duplicate row left a negative count", in->path);
	step = sqlite3_step(erase);
	sqlite3_reset(erase);
	if (step != SQLITE_DONE)
		return store_fail(in->store, step, "correcting counts");
	in->summary->cells -= (uint64_t)found;
	if (!rows && !shortlisted && !appointed)
		return 0;
	int rc = room_for_cells(in, 1);
	if (rc)
		return rc;
	cell_entry left = *e;
	left.rows = rows;
	left.shortlisted = shortlisted;
	left.appointed = appointed;
	int64_t rowid = STORE_CELL_ROWID(in->file_id, in->next_cell);
	bind_cell(in, in->insert_one, 1, &left);
	step = sqlite3_step(in->insert_one);
	sqlite3_reset(in->insert_one);
	if (step != SQLITE_DONE)
		return store_fail(in->store, step, "correcting counts");
	in->summary->cells++;
	if ((rc = note_block(in, &left, rowid)))
		return rc;
	return close_block(in);
}

static int prepare_fix(ingest *in, sqlite3_stmt **out, const char *verb)
{
	char sql[1024];
	size_t used = (size_t)snprintf(sql, sizeof sql, "%s FROM cells WHERE "
	                               STORE_CELLS_OF_FILE("?1")
	                               " AND kind = ?2 AND month = ?3", verb);
	for (int d = 0; d < F_DIMENSIONS_; d++)
		used += (size_t)snprintf(sql + used, sizeof sql - used, " AND %s = ?%d",
		                         dimension_columns[d], 4 + d);
	return store_prepare(in->store, out, sql);
}

/* Write the cells of `table` in sorted multi-row INSERTs (on the writer
 * thread when there is one); the table is left as it was. */
int ingest_write_cells(ingest *in, const cell_table *table)
{
	int rc = 0;
	if (!in->insert_one && ((rc = prepare_insert(in, &in->insert_one, 1)) ||
	                        (rc = prepare_insert(in, &in->insert_many, BATCH_ROWS))))
		return rc;
	uint32_t *order = insertion_order(table);
	if (!order)
		return parity_error_set(PARITY_ENOMEM, "out of memory storing counts");
	size_t i = 0, n = table->count;
	while (i < n && !rc) {
		/* Gather up to BATCH_ROWS non-empty cells: a full batch goes in one
		 * statement, the remainder one by one. */
		const cell_entry *batch[BATCH_ROWS];
		size_t got = 0;
		while (i < n && got < BATCH_ROWS) {
			if (i + 2 * BATCH_ROWS < n) /* the order is random in memory */
				CELLS_PREFETCH(&table->entries[order[i + 2 * BATCH_ROWS]]);
			const cell_entry *e = &table->entries[order[i++]];
			if (e->rows || e->shortlisted || e->appointed)
				batch[got++] = e;
		}
		int many = got == BATCH_ROWS;
		if ((rc = room_for_cells(in, got)))
			break;
		int64_t first = STORE_CELL_ROWID(in->file_id, in->next_cell);
		for (size_t k = 0; k < (many ? 1 : got) && !rc; k++) {
			sqlite3_stmt *stmt = many ? in->insert_many : in->insert_one;
			int p = 1;
			for (size_t j = many ? 0 : k; j < (many ? got : k + 1); j++)
				p = bind_cell(in, stmt, p, batch[j]);
			int step = sqlite3_step(stmt);
			sqlite3_reset(stmt);
			if (step != SQLITE_DONE)
				rc = store_fail(in->store, step, "storing counts");
		}
		for (size_t j = 0; j < got && !rc; j++)
			rc = note_block(in, batch[j], first + (int64_t)j);
		in->summary->cells += got;
	}
	free(order);
	if (!rc)
		rc = close_block(in);
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
		const char *code = dict_text(&in->values, key->dims[f]);
		size_t length = dict_length(&in->values, key->dims[f]);
		if (ingest_is_not_stated(code, length))
			in->not_stated[f] += rows;
		else if (ingest_is_not_known(code, length))
			in->not_known[f] += rows;
	}
}

/* What a table's cells add to the organisation-months covered and the
 * data-quality tallies: taken per cell, not per row. */
static int account_cells(ingest *in, const cell_table *table)
{
	for (size_t i = 0; i < table->count; i++) {
		const cell_entry *e = &table->entries[i];
		uint32_t org = e->key.dims[F_ORG];
		int rc = coverage_add(&in->coverage, coverage_key(e->key.kind, org, e->key.month),
		                      e->key.kind, dict_text(&in->values, org), e->key.month,
		                      e->rows);
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
 * writer thread, which writes them while rows go on being read. With
 * `fixing`, the cells are counts to take back from what this file already
 * wrote, applied here once the writer is idle. Afterwards, when the memos
 * and interned values have grown past their limit, they are forgotten too
 * (they will be rebuilt as rows need them).
 */
int ingest_flush(ingest *in, cell_table *table, int fixing)
{
	sqlite3_stmt *select = NULL, *erase = NULL;
	int rc = 0;
	if (table->count == 0)
		return forget_values(in);
	if ((rc = account_cells(in, table)))
		return rc;
	if (!fixing) {
		/* Handed to the writer thread: *table comes back empty. */
		if ((rc = writer_submit(in, table)))
			return rc;
		return forget_values(in);
	}
	if ((rc = writer_wait(in)))
		return rc;
	if ((in->insert_one || !(rc = prepare_insert(in, &in->insert_one, 1))) &&
	    !(rc = prepare_fix(in, &select, "SELECT rows, shortlisted, appointed")) &&
	    !(rc = prepare_fix(in, &erase, "DELETE"))) {
		for (size_t i = 0; i < table->count && !rc; i++)
			rc = apply_fix(in, select, erase, &table->entries[i]);
	}
	sqlite3_finalize(select);
	sqlite3_finalize(erase);
	if (rc)
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
	                        r->appointed);
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

static int on_record(void *context, const csvread_record *record)
{
	ingest *in = context;
	row r;
	int rc;

	if ((rc = note_checkpoint(in, record)))
		return rc;
	if (!in->header_done)
		return ingest_resolve_header(in, record);
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

/* Refuse the file for values nothing maps: name each, its column, how many
 * rows carry it and where it first appears. */
static int refuse_unknown(ingest *in)
{
	char message[1800];
	size_t used = (size_t)snprintf(message, sizeof message,
	                               "%s: %zu value%s that no code list or mapping "
	                               "knows:", in->path, in->unknown_count,
	                               in->unknown_count == 1 ? "" : "s");
	for (size_t i = 0; i < in->unknown_count && i < 8 && used < sizeof message; i++) {
		const unknown_value *u = &in->unknown[i];
		used += (size_t)snprintf(message + used, sizeof message - used,
		                         "\n  column '%s': \"%s\" on %llu row%s (first on "
		                         "line %llu)", in->column_name[u->field], u->value,
		                         (unsigned long long)u->rows, u->rows == 1 ? "" : "s",
		                         (unsigned long long)u->first_line);
	}
	if (in->unknown_count > 8 && used < sizeof message)
		used += (size_t)snprintf(message + used, sizeof message - used,
		                         "\n  ... and %zu more", in->unknown_count - 8);
	if (used < sizeof message)
		snprintf(message + used, sizeof message - used,
		         "\nMap each value to a code in a mapping file (for example "
		         "[%s] then \"%s = <code>\"), or send unmapped values to not "
		         "stated with \"unknown_values = not stated\" under [settings]; "
		         "'parity mapping --suggest' drafts a mapping.",
		         in->column_name[in->unknown[0].field], in->unknown[0].value);
	return parity_error_set(PARITY_EDATA, "%s", message);
}

/* Earlier deliveries holding any (kind, organisation, month) this file
 * holds: replace those parts when asked, refuse otherwise. */
static int handle_overlap(ingest *in)
{
	sqlite3_stmt *stmt = NULL;
	int rc = store_prepare(in->store, &stmt,
	                       "SELECT f.id, f.path, c.organisation, c.month, c.kind, "
	                       "count(*) OVER (PARTITION BY f.id) "
	                       "FROM coverage c JOIN coverage mine "
	                       " ON mine.kind = c.kind AND "
	                       "    mine.organisation = c.organisation AND "
	                       "    mine.month = c.month AND mine.file_id = ?1 "
	                       "JOIN files f ON f.id = c.file_id "
	                       "WHERE c.file_id <> ?1 "
	                       "ORDER BY f.id, c.kind, c.organisation, c.month");
	if (rc)
		return rc;
	sqlite3_bind_int64(stmt, 1, in->file_id);
	int step = sqlite3_step(stmt);
	if (step == SQLITE_DONE) {
		sqlite3_finalize(stmt);
		return 0;
	}
	if (step != SQLITE_ROW) {
		sqlite3_finalize(stmt);
		return store_fail(in->store, step, "checking earlier deliveries");
	}
	if (!in->options->replace) {
		char month[8];
		parity_month_label(month, sqlite3_column_int(stmt, 3));
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
	sqlite3_finalize(stmt);
	/* Replace: drop the old cells and coverage for exactly these
	 * kind-organisation-months; a file left with nothing becomes inactive. */
	static const char *const replace_sql[] = {
		("DELETE FROM cells WHERE rowid IN (SELECT cells.rowid FROM"
		 " (SELECT DISTINCT c.file_id AS f FROM coverage c JOIN coverage mine ON"
		 "  mine.kind = c.kind AND mine.organisation = c.organisation AND"
		 "  mine.month = c.month AND mine.file_id = ?1 WHERE c.file_id <> ?1)"
		 " AS covering CROSS JOIN cells ON " STORE_CELLS_OF_FILE("covering.f")
		 " WHERE (cells.kind, cells.organisation, cells.month) IN"
		 " (SELECT kind, organisation, month FROM coverage WHERE file_id = ?1))"),
		("UPDATE files SET active = 0 WHERE id <> ?1 AND id IN "
		 " (SELECT c.file_id FROM coverage c JOIN coverage mine ON "
		 "  mine.kind = c.kind AND mine.organisation = c.organisation AND "
		 "  mine.month = c.month AND mine.file_id = ?1) AND NOT EXISTS (SELECT 1 "
		 "  FROM coverage c2 WHERE c2.file_id = files.id AND NOT EXISTS (SELECT 1 "
		 "  FROM coverage m2 WHERE m2.file_id = ?1 AND m2.kind = c2.kind AND "
		 "  m2.organisation = c2.organisation AND m2.month = c2.month))"),
		("DELETE FROM coverage WHERE file_id <> ?1 AND (kind, organisation, month) IN "
		 " (SELECT kind, organisation, month FROM coverage WHERE file_id = ?1)"),
	};
	for (size_t i = 0; i < 3; i++) {
		rc = store_prepare(in->store, &stmt, replace_sql[i]);
		if (rc)
			return rc;
		sqlite3_bind_int64(stmt, 1, in->file_id);
		step = sqlite3_step(stmt);
		if (i == 0)
			in->summary->replaced = sqlite3_changes(store_db(in->store)) > 0;
		sqlite3_finalize(stmt);
		if (step != SQLITE_DONE)
			return store_fail(in->store, step, "replacing an earlier delivery");
	}
	return 0;
}

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

/* The file's coverage items in the order of the coverage table's key and
 * index (kind, organisation, month), so that inserting them appends to
 * both instead of touching pages all over them. A malloc'd array, or NULL
 * when out of memory. */
static covered *sorted_coverage(const coverage_set *set)
{
	covered *sorted = malloc((set->count ? set->count : 1) * sizeof *sorted);
	if (!sorted)
		return NULL;
	for (size_t i = 0; i < set->count; i++) {
		sorted[i].item = &set->items[i];
		sorted[i].organisation = coverage_organisation(set, &set->items[i]);
	}
	qsort(sorted, set->count, sizeof *sorted, compare_covered);
	return sorted;
}

static int save_file_details(ingest *in, const char *sha)
{
	sqlite3_stmt *stmt = NULL;
	int first_month = 0, last_month = 0;
	int64_t counted = 0;
	coverage_settle(&in->coverage);
	covered *sorted = sorted_coverage(&in->coverage);
	if (!sorted)
		return parity_error_set(PARITY_ENOMEM, "out of memory recording coverage");
	int rc = store_prepare(in->store, &stmt,
	                       "INSERT INTO coverage(file_id, kind, organisation, month) "
	                       "VALUES(?,?,?,?)");
	if (rc) {
		free(sorted);
		return rc;
	}
	for (size_t i = 0; i < in->coverage.count && !rc; i++) {
		const coverage_item *c = sorted[i].item;
		if (c->rows <= 0)
			continue; /* every row of it was taken back */
		counted += c->rows;
		if (!first_month || c->month < first_month)
			first_month = c->month;
		if (c->month > last_month)
			last_month = c->month;
		sqlite3_bind_int64(stmt, 1, in->file_id);
		sqlite3_bind_text(stmt, 2, parity_kind_name((parity_kind)c->kind), -1,
		                  SQLITE_STATIC);
		sqlite3_bind_text(stmt, 3, sorted[i].organisation, -1, SQLITE_STATIC);
		sqlite3_bind_int(stmt, 4, c->month);
		int step = sqlite3_step(stmt);
		if (step != SQLITE_DONE)
			rc = store_fail(in->store, step, "recording coverage");
		sqlite3_reset(stmt);
	}
	sqlite3_finalize(stmt);
	free(sorted);
	if (rc)
		return rc;
	if ((rc = handle_overlap(in)))
		return rc;

	for (size_t i = 0; i < in->reason_count && !rc; i++)
		rc = bind_run(in->store, "INSERT INTO rejects(file_id, count, reason) "
		              "VALUES(?,?,?)", in->file_id,
		              (int64_t)in->reasons[i].count, in->reasons[i].reason,
		              "recording rejects");
	const int tracked[] = {F_ETHNIC, F_SEX, F_DISABILITY, F_AGE, F_PAY, F_GROUP,
	                       F_ORIENTATION, F_RELIGION};
	for (size_t i = 0; i < sizeof tracked / sizeof tracked[0] && !rc; i++) {
		int f = tracked[i];
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
	                   "rows_rejected = ?, first_month = ?, last_month = ? WHERE id = ?");
	if (rc)
		return rc;
	sqlite3_bind_text(stmt, 1, sha, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, (sqlite3_int64)in->summary->rows_read);
	sqlite3_bind_int64(stmt, 3, (sqlite3_int64)in->summary->rows_accepted);
	sqlite3_bind_int64(stmt, 4, (sqlite3_int64)in->summary->rows_rejected);
	sqlite3_bind_int(stmt, 5, first_month);
	sqlite3_bind_int(stmt, 6, last_month);
	sqlite3_bind_int64(stmt, 7, in->file_id);
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
	sqlite3_finalize(in->insert_many);
	sqlite3_finalize(in->insert_one);
	cells_free(&in->cells);
	cells_free(&in->fixes);
	dict_free(&in->values);
	for (int f = 0; f < F_COUNT_; f++)
		memo_free(&in->memos[f]);
	coverage_free(&in->coverage);
	idparts_free(&in->ids);
	free(in->checkpoints);
	free(in->key_buffer);
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
	sqlite3_finalize(in.insert_many);
	sqlite3_finalize(in.insert_one);
	sqlite3_finalize(in.insert_block);
	in.insert_many = in.insert_one = in.insert_block = NULL;
	if ((rc = store_exec(store, "COMMIT", "saving the file")))
		goto done;
	in_transaction = 0;
done:
	writer_stop(&in); /* before the statements it uses go, and any rollback */
	sqlite3_finalize(in.insert_many);
	sqlite3_finalize(in.insert_one);
	sqlite3_finalize(in.insert_block);
	in.insert_many = in.insert_one = in.insert_block = NULL;
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
