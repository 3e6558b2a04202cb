/*
 * ingest.c: turns one HR extract (or an aggregate counts file) into counts
 * in the store. Reads the file (parsing on a second thread), applies each
 * coded row to a bounded table of cells that is flushed to SQLite in sorted
 * multi-row INSERTs, keeps (id hash, position) pairs for the duplicate check
 * done after the read, and commits the file as a single transaction.
 * This file is the file-level driver; records are counted in
 * ingest_record.c, cells stored in ingest_pack.c, and coverage and
 * re-deliveries handled in ingest_redelivery.c.
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

#define DEFAULT_ID_RUN 262144
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

/* Say how many medical rows have a grade that is none of the return's
 * sub-groups (counted as "other" in WRES 1 and WDES 1). Names the column
 * and the first line, never the value. */
static void warn_not_a_grade(ingest *in)
{
	if (!in->not_a_grade || in->column_of[F_GRADE] < 0)
		return;
	char *warnings = in->summary->warnings;
	size_t used = strlen(warnings);
	snprintf(warnings + used, sizeof in->summary->warnings - used,
	         "%s%s: column '%s' (grade): %llu medical or dental %s a grade that is "
	         "not a known one (the first on line %llu), counted as other medical "
	         "and dental staff in the return: map it in the mapping file's "
	         "[grade] section to a consultant, specialty doctor or trainee grade",
	         used ? "\n" : "", in->path, in->header[in->column_of[F_GRADE]],
	         (unsigned long long)in->not_a_grade,
	         in->not_a_grade == 1 ? "row has" : "rows have",
	         (unsigned long long)in->not_a_grade_line);
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
	int rc = ingest_save_coverage(in, &first_month, &last_month, &counted);
	if (rc)
		return rc;
	if ((rc = ingest_handle_overlap(in)))
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
	if ((rc = ingest_stored_kind_rows(&in)))
		goto done;
	if (options->kind == PARITY_KIND_TRAINING && (rc = training_start(&in)))
		goto done;
	/* The writer's spare table is half the size: with it, memory stays
	 * within its bound for files of nearly all distinct cells (the only
	 * ones that ever fill a table), while a file of up to `reserve`
	 * distinct cells is still counted in one table and written once. */
	if (!options->single_thread && (rc = writer_start(&in, (reserve + 1) / 2)))
		goto done;

	rc = csvread_file(&read, path, &csv, ingest_on_record, &in);
	if (options->progress && summary->rows_read >= 0x10000)
		fprintf(stderr, "\r%s: %llu rows read\n", path,
		        (unsigned long long)summary->rows_read);
	if (rc || (rc = writer_wait(&in)))
		goto done;
	in.delimiter = read.delimiter;
	snprintf(summary->sha256, sizeof summary->sha256, "%s", read.sha256);
	warn_not_a_band(&in);
	warn_not_a_grade(&in);
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
	if ((rc = ingest_drain_pending(&in)) || (rc = ingest_flush(&in, &in.cells, 0)) ||
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
