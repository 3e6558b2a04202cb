/*
 * ingest_survey.c: the NHS Staff Survey's results by group (kind survey)
 * into the store's survey table. One row per organisation, survey year,
 * question and group, with the respondents and either the positive count
 * (a percentage question) or the mean and standard deviation (the
 * engagement score). Rows are checked and refused into a rejects file like
 * every other kind; the file is stored whole or not at all.
 */
#include "ingest_internal.h"

#include "parity/codes.h"
#include "parity/common.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum { S_ORG, S_YEAR, S_QUESTION, S_GROUP, S_RESPONDENTS, S_POSITIVE, S_MEAN, S_SD,
       S_COLUMNS };
static const char *const column_names[S_COLUMNS] = {
	"organisation", "survey_year", "question", "group", "respondents", "positive",
	"mean", "sd",
};

/* Which indicators a question serves: WRES (White / BME rows), WDES
 * (Disabled / Non-disabled rows). The national questionnaire's numbers
 * (2023 and 2024 surveys) and the standards' own codes both work. */
typedef struct question {
	const char *key;     /* parity_code_key of what users write */
	const char *code;    /* as stored */
	unsigned standards;  /* 1 WRES, 2 WDES */
	int mean;            /* 1: a mean with its sd (the engagement score) */
} question;
static const question questions[] = {
	{"q14a", "q14a", 3, 0}, {"q14b", "q14b", 2, 0}, {"q14c", "q14c", 2, 0},
	{"q14d", "q14d", 2, 0}, {"q15", "q15", 3, 0},   {"q16b", "q16b", 1, 0},
	{"q11e", "q11e", 2, 0}, {"q4b", "q4b", 2, 0},   {"q30b", "q30b", 2, 0},
	{"engagement", "engagement", 2, 1},
	{"wres5", "WRES5", 1, 0}, {"wres6", "WRES6", 1, 0}, {"wres7", "WRES7", 1, 0},
	{"wres8", "WRES8", 1, 0}, {"wdes4a", "WDES4a", 2, 0}, {"wdes4b", "WDES4b", 2, 0},
	{"wdes4c", "WDES4c", 2, 0}, {"wdes4d", "WDES4d", 2, 0}, {"wdes5", "WDES5", 2, 0},
	{"wdes6", "WDES6", 2, 0}, {"wdes7", "WDES7", 2, 0}, {"wdes8", "WDES8", 2, 0},
	{"wdes9a", "WDES9a", 2, 1},
};

/* The group as stored, and the standard it belongs to (1 WRES, 2 WDES). */
static const char *group_of(const char *value, unsigned *standard)
{
	char key[64];
	parity_code_key(key, sizeof key, value);
	static const struct { const char *key, *group; unsigned standard; } groups[] = {
		{"white", "White", 1}, {"bme", "BME", 1}, {"bame", "BME", 1},
		{"blackandminorityethnic", "BME", 1}, {"ethnicminority", "BME", 1},
		{"minorityethnic", "BME", 1}, {"disabled", "Disabled", 2},
		{"nondisabled", "Non-disabled", 2}, {"notdisabled", "Non-disabled", 2},
		{"withoutdisability", "Non-disabled", 2}, {"withdisability", "Disabled", 2},
	};
	for (size_t i = 0; i < sizeof groups / sizeof groups[0]; i++)
		if (!strcmp(key, groups[i].key)) {
			*standard = groups[i].standard;
			return groups[i].group;
		}
	return NULL;
}

typedef struct survey_row {
	char organisation[64];
	int year;
	const question *q;
	const char *group;
	int64_t respondents, positive; /* positive -1: none */
	double mean, sd;
	int has_mean;
} survey_row;

typedef struct survey_ingest {
	const parity_ingest_options *options;
	parity_ingest_summary *summary;
	const char *path;
	int column[S_COLUMNS];
	char **header;
	size_t header_count;
	survey_row *rows;
	size_t count, capacity;
	util_atomic_file rejects;
	int rejects_open;
	struct { char reason[48]; uint64_t count; } reasons[16];
	size_t reason_count;
} survey_ingest;

static int number(const char *text, int64_t *out, int64_t most)
{
	if (!*text || strlen(text) > 12)
		return -1;
	int64_t v = 0;
	for (const char *p = text; *p; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		v = v * 10 + (*p - '0');
	}
	*out = v;
	return v > most ? -1 : 0;
}

static int real(const char *text, double *out)
{
	char *end;
	if (!*text)
		return -1;
	errno = 0;
	*out = strtod(text, &end);
	return *end || errno || !isfinite(*out) ? -1 : 0;
}

static const char *field(const survey_ingest *s, const csvread_record *r, int column)
{
	int c = s->column[column];
	if (c < 0 || (size_t)c >= r->count)
		return "";
	char *text = r->fields[c];
	while (*text == ' ')
		text++;
	size_t n = strlen(text);
	while (n && text[n - 1] == ' ')
		text[--n] = '\0';
	return text;
}

static int open_rejects(survey_ingest *s)
{
	parity_ingest_summary *sum = s->summary;
	const char *dir = s->options->rejects_dir ? s->options->rejects_dir : ".";
	const char *base = strrchr(s->path, '/');
	base = base ? base + 1 : s->path;
	char name[512];
	util_name_fit(name, sizeof name, base, ".rejects.csv");
	int rc = util_mkdirs(dir, 0700);
	if (!rc)
		rc = util_path_join(sum->rejects_path, sizeof sum->rejects_path, dir, name);
	if (!rc)
		rc = util_atomic_open(&s->rejects, sum->rejects_path, 0600);
	if (rc) {
		sum->rejects_path[0] = '\0';
		return rc;
	}
	s->rejects_open = 1;
	fputs("line,reason", s->rejects.file);
	for (size_t i = 0; i < s->header_count; i++) {
		fputc(',', s->rejects.file);
		csvread_write_text(s->rejects.file, s->header[i]);
	}
	fputc('\n', s->rejects.file);
	return 0;
}

/* Refuse a row: counted under `reason`, written with its line and `detail`
 * (which never quotes an organisation's id of a person: there is none). */
static int refuse(survey_ingest *s, const csvread_record *r, const char *reason,
                  const char *detail)
{
	parity_ingest_summary *sum = s->summary;
	sum->rows_rejected++;
	size_t i = 0;
	while (i < s->reason_count && strcmp(s->reasons[i].reason, reason))
		i++;
	if (i == s->reason_count && i < sizeof s->reasons / sizeof s->reasons[0]) {
		snprintf(s->reasons[i].reason, sizeof s->reasons[i].reason, "%s", reason);
		s->reason_count++;
	}
	if (i < s->reason_count)
		s->reasons[i].count++;
	if (!sum->first_reject[0])
		snprintf(sum->first_reject, sizeof sum->first_reject, "line %llu: %s",
		         (unsigned long long)r->line, detail);
	int rc;
	if (!s->rejects_open && (rc = open_rejects(s)))
		return rc;
	fprintf(s->rejects.file, "%llu,", (unsigned long long)r->line);
	csvread_write_text(s->rejects.file, detail);
	for (size_t k = 0; k < r->count; k++) {
		fputc(',', s->rejects.file);
		csvread_write_text(s->rejects.file, r->fields[k]);
	}
	fputc('\n', s->rejects.file);
	return 0;
}

static int header(survey_ingest *s, const csvread_record *r)
{
	char key[128], other[128];
	s->header_count = r->count;
	if (!(s->header = calloc(r->count + 1, sizeof *s->header)))
		return parity_error_set(PARITY_ENOMEM, "out of memory");
	for (size_t i = 0; i < r->count; i++)
		if (!(s->header[i] = strdup(r->fields[i])))
			return parity_error_set(PARITY_ENOMEM, "out of memory");
	for (int c = 0; c < S_COLUMNS; c++) {
		const char *source = mapping_source_column(s->options->mapping, column_names[c]);
		parity_code_key(key, sizeof key, source ? source : column_names[c]);
		s->column[c] = -1;
		for (size_t i = 0; i < r->count; i++) {
			parity_code_key(other, sizeof other, r->fields[i]);
			if (strcmp(key, other))
				continue;
			if (s->column[c] >= 0)
				return parity_error_set(PARITY_EDATA, "%s:%llu: column '%s' appears "
				                        "twice: remove or rename one", s->path,
				                        (unsigned long long)r->line, r->fields[i]);
			s->column[c] = (int)i;
		}
		if (s->column[c] < 0 && c <= S_RESPONDENTS)
			return parity_error_set(PARITY_EDATA, "%s:%llu: required column '%s' is "
			                        "missing from this survey file (columns: "
			                        "organisation, survey_year, question, group, "
			                        "respondents, positive, mean, sd): rename the "
			                        "column, or map it in a mapping file", s->path,
			                        (unsigned long long)r->line, column_names[c]);
	}
	if (s->column[S_POSITIVE] < 0 && s->column[S_MEAN] < 0)
		return parity_error_set(PARITY_EDATA, "%s: the survey file has neither a "
		                        "'positive' column (the count answering positively) "
		                        "nor 'mean' and 'sd' (the engagement score)", s->path);
	return 0;
}

/* Check one row; 0 with *row filled, 1 refused (detail set), or an error. */
static int decode(survey_ingest *s, const csvread_record *r, survey_row *sr,
                  char *detail, size_t size)
{
	if (r->count != s->header_count) {
		snprintf(detail, size, "row has %zu fields but the header has %zu", r->count,
		         s->header_count);
		return 1;
	}
	const char *org = field(s, r, S_ORG);
	size_t len = strlen(org);
	if (!len || len > 63 || strpbrk(org, "/\\")) {
		snprintf(detail, size, "column 'organisation': blank, over 63 characters or "
		         "holding a path separator");
		return 1;
	}
	snprintf(sr->organisation, sizeof sr->organisation, "%s", org);
	int64_t year;
	if (number(field(s, r, S_YEAR), &year, 2199) || year < 2000) {
		snprintf(detail, size, "column 'survey_year': \"%.20s\" is not a year such "
		         "as 2025", field(s, r, S_YEAR));
		return 1;
	}
	sr->year = (int)year;
	char key[64];
	parity_code_key(key, sizeof key, field(s, r, S_QUESTION));
	sr->q = NULL;
	for (size_t i = 0; i < sizeof questions / sizeof questions[0]; i++)
		if (!strcmp(key, questions[i].key))
			sr->q = &questions[i];
	if (!sr->q) {
		snprintf(detail, size, "column 'question': \"%.40s\" is not a question of the "
		         "standards (q14a, q14b, q14c, q14d, q15, q16b, q11e, q4b, q30b, "
		         "engagement, or WRES5-8, WDES4a-9a)", field(s, r, S_QUESTION));
		return 1;
	}
	unsigned standard = 0;
	if (!(sr->group = group_of(field(s, r, S_GROUP), &standard))) {
		snprintf(detail, size, "column 'group': \"%.40s\" is not White, BME, "
		         "Disabled or Non-disabled", field(s, r, S_GROUP));
		return 1;
	}
	if (!(sr->q->standards & standard)) {
		snprintf(detail, size, "question %s is not asked of the %s groups (%s)",
		         sr->q->code, standard == 1 ? "ethnic" : "disability",
		         standard == 1 ? "it belongs to the WDES" : "it belongs to the WRES");
		return 1;
	}
	if (number(field(s, r, S_RESPONDENTS), &sr->respondents, 10000000)) {
		snprintf(detail, size, "column 'respondents': \"%.20s\" is not a whole number "
		         "(0 to 10,000,000)", field(s, r, S_RESPONDENTS));
		return 1;
	}
	sr->positive = -1;
	sr->has_mean = 0;
	if (sr->q->mean) {
		if (real(field(s, r, S_MEAN), &sr->mean) || sr->mean < 0 || sr->mean > 10 ||
		    real(field(s, r, S_SD), &sr->sd) || sr->sd < 0 || sr->sd > 10) {
			snprintf(detail, size, "question %s is a score from 0 to 10: give its "
			         "'mean' (0-10) and 'sd' (0 or more)", sr->q->code);
			return 1;
		}
		sr->has_mean = 1;
		return 0;
	}
	if (number(field(s, r, S_POSITIVE), &sr->positive, 10000000)) {
		snprintf(detail, size, "column 'positive': \"%.20s\" is not a whole number "
		         "(the respondents who answered positively)", field(s, r, S_POSITIVE));
		return 1;
	}
	if (sr->positive > sr->respondents) {
		snprintf(detail, size, "positive %lld is more than the %lld respondents",
		         (long long)sr->positive, (long long)sr->respondents);
		return 1;
	}
	return 0;
}

static int on_record(void *context, const csvread_record *r)
{
	survey_ingest *s = context;
	if (!s->header)
		return header(s, r);
	int empty = 1;
	for (size_t i = 0; i < r->count && empty; i++)
		empty = !r->fields[i][strspn(r->fields[i], " \t")];
	if (empty) {
		s->summary->empty_rows++;
		return 0;
	}
	s->summary->rows_read++;
	survey_row one;
	char detail[400];
	int bad = decode(s, r, &one, detail, sizeof detail);
	if (!bad)
		for (size_t i = 0; i < s->count; i++) {
			const survey_row *o = &s->rows[i];
			if (o->year == one.year && o->q == one.q && o->group == one.group &&
			    !strcmp(o->organisation, one.organisation)) {
				snprintf(detail, sizeof detail, "duplicate: the same organisation, "
				         "year, question and group as an earlier row");
				bad = 2;
				break;
			}
		}
	if (bad)
		return refuse(s, r, bad == 1 ? "invalid survey row" : "duplicate", detail);
	if (s->count == s->capacity) {
		size_t cap = s->capacity ? 2 * s->capacity : 64;
		survey_row *grown = realloc(s->rows, cap * sizeof *grown);
		if (!grown)
			return parity_error_set(PARITY_ENOMEM, "out of memory");
		s->rows = grown;
		s->capacity = cap;
	}
	s->rows[s->count++] = one;
	return 0;
}

/* Store the file's record, its rows (replacing earlier figures of the same
 * organisation, year, question and group) and its rejects by reason. */
static int store_rows(survey_ingest *s, parity_store *store, const char *sha)
{
	sqlite3_stmt *stmt = NULL;
	char when[32];
	time_t now = time(NULL);
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
	int rc = store_prepare(store, &stmt,
	                       "INSERT INTO files(sha256, kind, path, ingested_at, rows_read, "
	                       "rows_accepted, rows_rejected) VALUES(?,?,?,?,?,?,?)");
	if (rc)
		return rc;
	sqlite3_bind_text(stmt, 1, sha, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, "survey", -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, s->path, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 4, when, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 5, (sqlite3_int64)s->summary->rows_read);
	sqlite3_bind_int64(stmt, 6, (sqlite3_int64)s->count);
	sqlite3_bind_int64(stmt, 7, (sqlite3_int64)s->summary->rows_rejected);
	int step = sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	if (step != SQLITE_DONE)
		return store_fail(store, step, "recording the file");
	int64_t file_id = sqlite3_last_insert_rowid(store_db(store));
	if ((rc = store_prepare(store, &stmt,
	                        "INSERT OR REPLACE INTO survey(file_id, organisation, "
	                        "survey_year, question, grp, respondents, positive, mean, sd) "
	                        "VALUES(?,?,?,?,?,?,?,?,?)")))
		return rc;
	for (size_t i = 0; i < s->count && !rc; i++) {
		const survey_row *sr = &s->rows[i];
		sqlite3_reset(stmt);
		sqlite3_bind_int64(stmt, 1, file_id);
		sqlite3_bind_text(stmt, 2, sr->organisation, -1, SQLITE_STATIC);
		sqlite3_bind_int(stmt, 3, sr->year);
		sqlite3_bind_text(stmt, 4, sr->q->code, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 5, sr->group, -1, SQLITE_STATIC);
		sqlite3_bind_int64(stmt, 6, sr->respondents);
		if (sr->positive >= 0)
			sqlite3_bind_int64(stmt, 7, sr->positive);
		else
			sqlite3_bind_null(stmt, 7);
		if (sr->has_mean) {
			sqlite3_bind_double(stmt, 8, sr->mean);
			sqlite3_bind_double(stmt, 9, sr->sd);
		} else {
			sqlite3_bind_null(stmt, 8);
			sqlite3_bind_null(stmt, 9);
		}
		if ((step = sqlite3_step(stmt)) != SQLITE_DONE)
			rc = store_fail(store, step, "storing the survey");
	}
	sqlite3_finalize(stmt);
	for (size_t i = 0; i < s->reason_count && !rc; i++) {
		if ((rc = store_prepare(store, &stmt, "INSERT INTO rejects(file_id, count, "
		                                      "reason) VALUES(?,?,?)")))
			break;
		sqlite3_bind_int64(stmt, 1, file_id);
		sqlite3_bind_int64(stmt, 2, (sqlite3_int64)s->reasons[i].count);
		sqlite3_bind_text(stmt, 3, s->reasons[i].reason, -1, SQLITE_STATIC);
		step = sqlite3_step(stmt);
		sqlite3_finalize(stmt);
		if (step != SQLITE_DONE)
			rc = store_fail(store, step, "recording rejects");
	}
	return rc;
}

int ingest_survey_file(parity_ingest_summary *summary, parity_store *store,
                       const char *path, const parity_ingest_options *options)
{
	survey_ingest s;
	memset(&s, 0, sizeof s);
	s.options = options;
	s.summary = summary;
	s.path = path;
	csvread_options csv = {0};
	csv.delimiter = options->delimiter;
	csv.windows1252 = options->windows1252;
	csvread_result read;
	int rc = 0, duplicate = 0;
	if (access(path, R_OK) != 0) {
		rc = parity_error_set(PARITY_ENOINPUT, "%s: cannot read the file (check the "
		                      "name and permissions)", path);
		goto done;
	}
	if ((rc = csvread_file(&read, path, &csv, on_record, &s)))
		goto done;
	if (!s.header) {
		rc = parity_error_set(PARITY_EDATA, "%s: the file is empty", path);
		goto done;
	}
	snprintf(summary->sha256, sizeof summary->sha256, "%s", read.sha256);
	summary->rows_accepted = s.count;
	if (s.rejects_open && (rc = util_atomic_commit(&s.rejects)) == 0)
		s.rejects_open = 0;
	if (rc)
		goto done;
	if (summary->rows_read &&
	    (double)summary->rows_rejected / (double)summary->rows_read >
	        options->max_reject_share) {
		summary->refused = 1;
		rc = parity_error_set(PARITY_EDATA, "%s: %llu of %llu rows were refused, more "
		                      "than the %.1f%% allowed, so none of the file was "
		                      "stored. First: %s. Fix the rows listed in the rejects "
		                      "file and ingest again", path,
		                      (unsigned long long)summary->rows_rejected,
		                      (unsigned long long)summary->rows_read,
		                      100.0 * options->max_reject_share, summary->first_reject);
		goto done;
	}
	if ((rc = store_exec(store, "BEGIN IMMEDIATE", "starting to ingest")))
		goto done;
	sqlite3_stmt *stmt = NULL;
	if ((rc = store_prepare(store, &stmt, "SELECT 1 FROM files WHERE sha256 = ?")) == 0) {
		sqlite3_bind_text(stmt, 1, read.sha256, -1, SQLITE_STATIC);
		duplicate = sqlite3_step(stmt) == SQLITE_ROW;
		sqlite3_finalize(stmt);
	}
	if (!rc && duplicate) {
		summary->already_ingested = 1;
		summary->rows_accepted = 0;
		store_rollback(store);
		goto done;
	}
	if (!rc)
		rc = store_rows(&s, store, read.sha256);
	if (!rc)
		rc = store_commit(store, "saving the survey");
	else
		store_rollback(store);
	if (!rc)
		summary->cells = s.count;
done:
	if (s.rejects_open)
		util_atomic_abort(&s.rejects);
	for (size_t i = 0; s.header && i < s.header_count; i++)
		free(s.header[i]);
	free(s.header);
	free(s.rows);
	return rc;
}
