/*
 * ingest_dups.c: refused rows and duplicate ids. During the read every
 * counted row leaves only (hash of its id, position) in partitions that
 * spill to a temporary file; afterwards each partition is searched for
 * equal hashes, rows whose hashes meet are re-read from the file and
 * compared exactly, and each true repeat is taken
 * back out of the counts and listed in the rejects file, in line order,
 * with the line where the id first appeared. Memory stays bounded whatever
 * the file's size.
 */
#include "ingest_internal.h"

#include "parity/common.h"

#include <stdlib.h>
#include <string.h>

/* ---- rejects ---------------------------------------------------------------- */

static void count_reason(ingest *in, const char *reason)
{
	for (size_t i = 0; i < in->reason_count; i++)
		if (!strcmp(in->reasons[i].reason, reason)) {
			in->reasons[i].count++;
			return;
		}
	if (in->reason_count < MAX_REASONS) {
		reject_reason *r = &in->reasons[in->reason_count++];
		snprintf(r->reason, sizeof r->reason, "%s", reason);
		r->count = 1;
	}
}

/* Open the rejects CSV (beside the file's name, in the rejects folder) and
 * write its header. */
static int open_rejects(ingest *in)
{
	parity_ingest_summary *s = in->summary;
	const char *dir = in->options->rejects_dir ? in->options->rejects_dir : ".";
	const char *base = strrchr(in->path, '/');
	base = base ? base + 1 : in->path;
	char name[512];
	/* Fits the file system's name limit however long the delivered name. */
	util_name_fit(name, sizeof name, base, ".rejects.csv");
	int rc = util_mkdirs(dir, 0700);
	if (!rc)
		rc = util_path_join(s->rejects_path, sizeof s->rejects_path, dir, name);
	if (!rc)
		rc = util_atomic_open_named(&in->rejects, s->rejects_path, 0600);
	if (rc) {
		s->rejects_path[0] = '\0';
		return rc;
	}
	in->rejects_open = 1;
	fputs("line,reason", in->rejects.file);
	for (size_t i = 0; i < in->header_count; i++) {
		fputc(',', in->rejects.file);
		csvread_write_text(in->rejects.file, in->header[i]);
	}
	fputc('\n', in->rejects.file);
	return 0;
}

/*
 * Refuse one row: count it under `reason` (a short category used in the
 * quality summary) and write it to the rejects CSV (or to `late`, rows
 * merged in later) with its line number, the full explanation `detail`,
 * and the row's own fields as they were read. Every cell is neutralised
 * against spreadsheet formulas (a leading ' where needed), since the file
 * is meant to be opened in a spreadsheet to fix the rows. `detail` never
 * holds the row's id: it reaches logs and error messages.
 */
int ingest_reject(ingest *in, FILE *late, const csvread_record *record,
                  const char *reason, const char *detail)
{
	parity_ingest_summary *s = in->summary;
	s->rows_rejected++;
	count_reason(in, reason);
	if (!s->first_reject[0] || record->line < in->first_reject_line) {
		snprintf(s->first_reject, sizeof s->first_reject, "line %llu: %s",
		         (unsigned long long)record->line, detail);
		in->first_reject_line = record->line;
	}
	FILE *out = late;
	if (!out) {
		int rc;
		if (!in->rejects_open && (rc = open_rejects(in)))
			return rc;
		out = in->rejects.file;
	}
	fprintf(out, "%llu,", (unsigned long long)record->line);
	csvread_write_text(out, detail);
	for (size_t i = 0; i < record->count; i++) {
		fputc(',', out);
		csvread_write_text(out, record->fields[i]);
	}
	fputc('\n', out);
	return 0;
}

int ingest_reject_note(ingest *in, uint64_t line, const char *detail)
{
	int rc;
	if (!in->rejects_open && (rc = open_rejects(in)))
		return rc;
	fprintf(in->rejects.file, "%llu,", (unsigned long long)line);
	csvread_write_text(in->rejects.file, detail);
	fputc('\n', in->rejects.file);
	return 0;
}

/* ---- re-reading rows -------------------------------------------------------- */

typedef struct rereader {
	ingest *in;
	csvread_cursor *cursor;
	uint64_t last;        /* position of the last record read */
	int valid;            /* `last` means something */
} rereader;

static uint64_t position(const csvread_record *record)
{
	return record->line << 24 | record->ordinal;
}

/* The record at `pos` (line << 24 | ordinal), read from the nearest
 * checkpoint before it, or onwards from the last record when that is
 * nearer. Borrowed until the next call. */
static int reread(rereader *r, uint64_t pos, const csvread_record **out)
{
	ingest *in = r->in;
	int rc;
	if (!r->cursor) {
		csvread_options options;
		memset(&options, 0, sizeof options);
		options.delimiter = in->delimiter;
		options.windows1252 = in->options->windows1252 ||
		                      (in->mapping && in->mapping->windows1252);
		if ((rc = csvread_cursor_open(&r->cursor, in->path, &options)))
			return rc;
	}
	uint64_t line = pos >> 24;
	size_t lo = 0, hi = in->checkpoint_count;
	while (hi - lo > 1) { /* the last checkpoint at or before `line` */
		size_t mid = (lo + hi) / 2;
		if (in->checkpoints[mid].line <= line)
			lo = mid;
		else
			hi = mid;
	}
	const checkpoint *cp = &in->checkpoints[lo];
	if (!r->valid || r->last >= pos || (r->last >> 24) < cp->line) {
		if ((rc = csvread_cursor_seek(r->cursor, cp->offset, cp->line)))
			return rc;
	}
	for (;;) {
		const csvread_record *record;
		rc = csvread_cursor_next(r->cursor, &record);
		if (rc < 0)
			return rc;
		if (rc == 0 || position(record) > pos)
			return parity_error_set(PARITY_EIO, "%s: the file changed while it "
			                        "was being ingested (line %llu is not where it "
			                        "was): ingest it again", in->path,
			                        (unsigned long long)line);
		r->last = position(record);
		r->valid = 1;
		if (r->last == pos) {
			*out = record;
			return 0;
		}
	}
}

/* Re-read and decode the row at `pos`; it was counted (or held unknown
 * values) on the first read, so it must decode the same way again. */
static int redecode(rereader *r, uint64_t pos, const csvread_record **record, row *out)
{
	int rc = reread(r, pos, record);
	if (rc)
		return rc;
	r->in->replaying = 1;
	rc = ingest_decode(r->in, *record, out);
	r->in->replaying = 0;
	if (!rc && out->status == ROW_REJECT)
		rc = parity_error_set(PARITY_EIO, "%s: the file changed while it was being "
		                      "ingested (line %llu): ingest it again", r->in->path,
		                      (unsigned long long)(*record)->line);
	return rc;
}

/* ---- finding the repeats -------------------------------------------------------- */

/* The distinct exact ids among rows whose id hashes are equal. */
typedef struct group_key {
	char *key;
	size_t length;
	uint64_t line;        /* where it first appeared */
} group_key;

typedef struct group {
	group_key *keys;
	size_t count, size;
} group;

static void group_clear(group *g)
{
	for (size_t i = 0; i < g->count; i++)
		free(g->keys[i].key);
	g->count = 0;
}

/* One row of a hash group: a repeat of an id seen earlier in the group goes
 * to `repeats` as (position, first line); a new id is remembered. */
static int group_member(rereader *r, group *g, sorter *repeats, uint64_t pos)
{
	const csvread_record *record;
	row decoded;
	const char *key;
	size_t length;
	int rc = redecode(r, pos, &record, &decoded);
	if (!rc)
		rc = ingest_identity(r->in, record, &decoded, &key, &length);
	if (rc)
		return rc;
	for (size_t i = 0; i < g->count; i++)
		if (g->keys[i].length == length && !memcmp(g->keys[i].key, key, length))
			return sorter_add(repeats, pos, g->keys[i].line);
	if (g->count == g->size) {
		size_t size = g->size ? g->size * 2 : 4;
		group_key *keys = realloc(g->keys, size * sizeof *keys);
		if (!keys)
			return parity_error_set(PARITY_ENOMEM, "out of memory");
		g->keys = keys;
		g->size = size;
	}
	group_key *k = &g->keys[g->count];
	if (!(k->key = malloc(length ? length : 1)))
		return parity_error_set(PARITY_ENOMEM, "out of memory");
	memcpy(k->key, key, length);
	k->length = length;
	k->line = pos >> 24;
	g->count++;
	return 0;
}

static int by_key_then_value(const void *a, const void *b)
{
	const sort_entry *x = a, *y = b;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->value < y->value ? -1 : x->value > y->value;
}

/*
 * Look for equal id hashes one partition at a time: a hash table of the
 * partition's hashes picks out the pairs whose hash occurs more than once;
 * those are sorted by (hash, position) and each run of equal hashes is
 * checked exactly. Repeats go to `repeats`.
 */
static int find_repeats(rereader *r, sorter *repeats)
{
	ingest *in = r->in;
	sort_entry *entries = NULL, *candidates = NULL;
	size_t count = 0, size = 0, candidate_count, candidate_size = 0;
	uint32_t *slots = NULL;
	size_t slot_count = 0;
	group g;
	int rc = 0;
	memset(&g, 0, sizeof g);
	for (size_t part = 0; part < ID_PARTS && !rc; part++) {
		if ((rc = idparts_load(&in->ids, part, &entries, &count, &size)))
			break;
		if (count < 2)
			continue;
		size_t need = 16;
		while (need < 2 * count)
			need *= 2;
		if (need > slot_count) {
			uint32_t *s = realloc(slots, need * sizeof *s);
			if (!s) {
				rc = parity_error_set(PARITY_ENOMEM, "out of memory checking ids");
				break;
			}
			slots = s;
			slot_count = need;
		}
		if (count > candidate_size) {
			sort_entry *c = realloc(candidates, count * sizeof *c);
			if (!c) {
				rc = parity_error_set(PARITY_ENOMEM, "out of memory checking ids");
				break;
			}
			candidates = c;
			candidate_size = count;
		}
		memset(slots, 0, need * sizeof *slots);
		candidate_count = 0;
		/* slot: entry index + 1; the top bit says the first entry with
		 * that hash is already a candidate. */
		for (size_t j = 0; j < count; j++) {
			size_t k = (size_t)(entries[j].key * 0x9e3779b97f4a7c15ull >> 20) &
			           (need - 1);
			for (;;) {
				uint32_t v = slots[k];
				if (!v) {
					slots[k] = (uint32_t)j + 1;
					break;
				}
				size_t first = (v & 0x7fffffffu) - 1;
				if (entries[first].key == entries[j].key) {
					if (!(v & 0x80000000u)) {
						candidates[candidate_count++] = entries[first];
						slots[k] = v | 0x80000000u;
					}
					candidates[candidate_count++] = entries[j];
					break;
				}
				k = (k + 1) & (need - 1);
			}
		}
		if (!candidate_count)
			continue;
		qsort(candidates, candidate_count, sizeof *candidates, by_key_then_value);
		for (size_t j = 0; j < candidate_count && !rc; j++) {
			if (j && candidates[j].key != candidates[j - 1].key)
				group_clear(&g);
			rc = group_member(r, &g, repeats, candidates[j].value);
		}
		group_clear(&g);
	}
	group_clear(&g);
	free(g.keys);
	free(entries);
	free(candidates);
	free(slots);
	return rc;
}

/* ---- taking the repeats back ------------------------------------------------------- */

/* A row with values nothing maps was noted once; a repeat row's note is
 * taken back so the message counts each value as the old reader did. */
static void unnote(ingest *in, const csvread_record *record, unsigned fields)
{
	for (int f = 0; f < F_COUNT_; f++) {
		if (!(fields & (1u << f)) || in->column_of[f] < 0)
			continue;
		const char *value = record->fields[in->column_of[f]];
		for (size_t i = 0; i < in->unknown_count; i++) {
			unknown_value *u = &in->unknown[i];
			if (u->field != f || strncmp(u->value, value, sizeof u->value - 1))
				continue;
			if (--u->rows == 0) {
				memmove(u, u + 1, (in->unknown_count - i - 1) * sizeof *u);
				in->unknown_count--;
			}
			break;
		}
	}
}

/* Merge the rows in `late` (rejects found after the read, in line order)
 * into the rejects file by line number. */
static int merge_rejects(ingest *in, util_atomic_file *late)
{
	csvread_cursor *a = NULL, *b = NULL;
	util_atomic_file merged;
	const csvread_record *ra = NULL, *rb = NULL;
	csvread_options options;
	int rc, merged_open = 0;

	memset(&options, 0, sizeof options);
	options.delimiter = ',';
	options.max_columns = 1u << 16;
	if (fflush(in->rejects.file) != 0 || fflush(late->file) != 0) {
		rc = parity_error_set(PARITY_EIO, "%s: cannot write the rejects file",
		                      in->summary->rejects_path);
		goto done;
	}
	if ((rc = csvread_cursor_open(&a, in->rejects.temp, &options)) ||
	    (rc = csvread_cursor_open(&b, late->temp, &options)) ||
	    (rc = csvread_cursor_seek(a, 0, 1)) || (rc = csvread_cursor_seek(b, 0, 1)))
		goto done;
	if ((rc = util_atomic_open_named(&merged, in->summary->rejects_path, 0600)))
		goto done;
	merged_open = 1;
	/* The header first, then rows by line number. */
	if ((rc = csvread_cursor_next(a, &ra)) < 0)
		goto done;
	if (rc == 1)
		csvread_write_record(merged.file, ra->fields, ra->count);
	int more_a = csvread_cursor_next(a, &ra);
	int more_b = csvread_cursor_next(b, &rb);
	while (more_a == 1 || more_b == 1) {
		int take_a = more_a == 1 &&
		             (more_b != 1 || strtoull(ra->fields[0], NULL, 10) <=
		                             strtoull(rb->fields[0], NULL, 10));
		if (take_a) {
			csvread_write_record(merged.file, ra->fields, ra->count);
			more_a = csvread_cursor_next(a, &ra);
		} else {
			csvread_write_record(merged.file, rb->fields, rb->count);
			more_b = csvread_cursor_next(b, &rb);
		}
	}
	rc = more_a < 0 ? more_a : more_b < 0 ? more_b : 0;
done:
	csvread_cursor_free(a);
	csvread_cursor_free(b);
	if (rc) {
		if (merged_open)
			util_atomic_abort(&merged);
		return rc;
	}
	util_atomic_abort(&in->rejects);
	in->rejects = merged; /* committed with the rest at the end */
	return 0;
}

/* Take each repeat back and list it: in position order, so the re-reads
 * move forward through the file and the rejects come out in line order. */
static int take_back(rereader *r, sorter *repeats)
{
	ingest *in = r->in;
	parity_kind kind = in->options->kind;
	util_atomic_file late;
	int late_open = 0, rc;
	sort_entry e;

	if ((rc = sorter_finish(repeats)))
		return rc;
	if (in->rejects_open && kind != PARITY_KIND_TRAINING) {
		if ((rc = util_atomic_open_named(&late, in->summary->rejects_path, 0600)))
			return rc;
		late_open = 1;
	}
	while ((rc = sorter_next(repeats, &e)) == 1) {
		const csvread_record *record;
		row decoded;
		if ((rc = redecode(r, e.key, &record, &decoded)))
			break;
		if (decoded.status == ROW_OK && (rc = ingest_uncount(in, &decoded)))
			break;
		if (decoded.status == ROW_UNKNOWN)
			unnote(in, record, decoded.unknown);
		if (kind == PARITY_KIND_TRAINING) {
			/* A further access by the same person in the year: valid, but
			 * WRES 4 counts people, so it adds nothing. */
			if (decoded.status == ROW_UNKNOWN)
				in->summary->rows_accepted++;
			in->summary->repeat_rows++;
			continue;
		}
		if (decoded.status == ROW_OK)
			in->summary->rows_accepted--;
		char detail[400];
		if (kind == PARITY_KIND_COUNTS)
			snprintf(detail, sizeof detail, "duplicate cell: the same kind, month, "
			         "organisation and values appear earlier (first on line %llu)",
			         (unsigned long long)e.value);
		else
			/* Not the id itself: this message reaches logs and
			 * errors; the rejects file has the row. */
			snprintf(detail, sizeof detail, "duplicate %s%s (first on line %llu)",
			         in->column_name[F_ID],
			         kind == PARITY_KIND_WORKFORCE || kind == PARITY_KIND_BOARD
			                 ? " on the same snapshot" : "",
			         (unsigned long long)e.value);
		if ((rc = ingest_reject(in, late_open ? late.file : NULL, record,
		                        kind == PARITY_KIND_COUNTS ? "duplicate cell"
		                                                   : "duplicate id",
		                        detail)))
			break;
	}
	if (!rc && late_open)
		rc = merge_rejects(in, &late);
	if (late_open)
		util_atomic_abort(&late);
	return rc;
}

int ingest_resolve_duplicates(ingest *in)
{
	rereader r;
	sorter repeats;
	memset(&r, 0, sizeof r);
	r.in = in;
	sorter_init(&repeats, 1u << 16);
	int rc = find_repeats(&r, &repeats);
	if (!rc && repeats.used + repeats.spilled)
		rc = take_back(&r, &repeats);
	sorter_free(&repeats);
	idparts_free(&in->ids);
	csvread_cursor_free(r.cursor);
	return rc;
}

/* ---- for the training check across deliveries ------------------------------------ */

int ingest_redecode(ingest *in, uint64_t pos, const csvread_record **record, row *out)
{
	if (!in->rereader) {
		in->rereader = calloc(1, sizeof *in->rereader);
		if (!in->rereader)
			return parity_error_set(PARITY_ENOMEM, "out of memory");
		in->rereader->in = in;
	}
	return redecode(in->rereader, pos, record, out);
}

void ingest_rereader_free(ingest *in)
{
	if (!in->rereader)
		return;
	csvread_cursor_free(in->rereader->cursor);
	free(in->rereader);
	in->rereader = NULL;
}

int ingest_take_back_repeats(ingest *in, sorter *repeats)
{
	rereader r;
	memset(&r, 0, sizeof r);
	r.in = in;
	int rc = take_back(&r, repeats);
	csvread_cursor_free(r.cursor);
	return rc;
}
