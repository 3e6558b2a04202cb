/*
 * ingest_record.c: one record at a time, as csvread_file hands them
 * over. Notes checkpoints for re-reading, decodes and counts each row into
 * the pending cells, and tells bare and footer lines from rows.
 */
#include "ingest_internal.h"
#include "parity/codes.h"
#include "parity/common.h"
#include "parity/period.h"
#include "parity/stats.h"

#include <stdlib.h>
#include <string.h>

#define CHECKPOINT_MAX 65536

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
int ingest_drain_pending(ingest *in)
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
int ingest_stored_kind_rows(ingest *in)
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

int ingest_on_record(void *context, const csvread_record *record)
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
	    ((rc = ingest_drain_pending(in)) || (rc = ingest_flush(in, &in->cells, 0))))
		return rc;
	return 0;
}
