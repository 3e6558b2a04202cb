/*
 * ingest.c: turns one HR extract into counts in the store. Resolves the
 * header against the kind's canonical columns (through a mapping when one is
 * given), validates and codes every row, writes refused rows to a rejects
 * CSV, aggregates accepted rows into cells held in a bounded hash table that
 * is flushed to SQLite, and commits the file as a single transaction.
 */
#include "parity/ingest.h"

#include "csvread.h"
#include "ingest_internal.h"
#include "mapping.h"
#include "parity/codes.h"
#include "parity/common.h"
#include "parity/period.h"
#include "store_internal.h"
#include "util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *const kind_names[PARITY_KIND_COUNT_] = {
	"recruitment", "workforce", "disciplinary", "training",
};

const char *parity_kind_name(parity_kind kind)
{
	return (unsigned)kind < PARITY_KIND_COUNT_ ? kind_names[kind] : "unknown";
}

int parity_kind_parse(parity_kind *out, const char *name)
{
	for (unsigned i = 0; i < PARITY_KIND_COUNT_; i++)
		if (name && strcmp(name, kind_names[i]) == 0) {
			*out = (parity_kind)i;
			return 0;
		}
	return parity_error_set(PARITY_EUSAGE,
	                        "unknown kind '%s': use recruitment, workforce, "
	                        "disciplinary or training", name ? name : "");
}

void parity_ingest_options_default(parity_ingest_options *out, parity_kind kind)
{
	memset(out, 0, sizeof *out);
	out->kind = kind;
	out->max_reject_share = 0.01;
}

/* ---- columns ----------------------------------------------------------- */

enum need { OPTIONAL, EXPECTED, REQUIRED };

typedef struct column_spec {
	int field;          /* enum field */
	const char *name;   /* canonical header */
	enum need need;     /* REQUIRED: refuse the file without it; EXPECTED:
	                       warn and count every row as not stated */
} column_spec;

static const column_spec recruitment_columns[] = {
	{F_ID, "application_id", REQUIRED}, {F_ORG, "organisation", REQUIRED},
	{F_DATE, "date", REQUIRED}, {F_ETHNIC, "ethnic_category", REQUIRED},
	{F_SEX, "sex", EXPECTED}, {F_DISABILITY, "disability", EXPECTED},
	{F_AGE, "age_band", EXPECTED}, {F_PAY, "pay_band", EXPECTED},
	{F_GROUP, "staff_group", EXPECTED}, {F_SHORTLISTED, "shortlisted", REQUIRED},
	{F_APPOINTED, "appointed", REQUIRED}, {F_VACANCY, "vacancy_id", OPTIONAL},
	{F_ORIENTATION, "sexual_orientation", OPTIONAL},
	{F_RELIGION, "religion", OPTIONAL}, {-1, NULL, OPTIONAL},
};
static const column_spec workforce_columns[] = {
	{F_ID, "staff_id", REQUIRED}, {F_ORG, "organisation", REQUIRED},
	{F_DATE, "snapshot_date", REQUIRED}, {F_ETHNIC, "ethnic_category", REQUIRED},
	{F_SEX, "sex", EXPECTED}, {F_DISABILITY, "disability", EXPECTED},
	{F_AGE, "age_band", EXPECTED}, {F_PAY, "pay_band", EXPECTED},
	{F_GROUP, "staff_group", EXPECTED}, {F_CONTRACT, "contract", EXPECTED},
	{F_ORIENTATION, "sexual_orientation", OPTIONAL},
	{F_RELIGION, "religion", OPTIONAL}, {-1, NULL, OPTIONAL},
};
static const column_spec disciplinary_columns[] = {
	{F_ID, "case_id", REQUIRED}, {F_STAFF_ID, "staff_id", OPTIONAL},
	{F_ORG, "organisation", REQUIRED}, {F_DATE, "date_entered", REQUIRED},
	{F_PROCESS, "process", REQUIRED}, {F_GROUNDS, "grounds", EXPECTED},
	{F_ETHNIC, "ethnic_category", REQUIRED}, {F_SEX, "sex", EXPECTED},
	{F_DISABILITY, "disability", EXPECTED}, {F_AGE, "age_band", EXPECTED},
	{F_PAY, "pay_band", EXPECTED}, {F_GROUP, "staff_group", EXPECTED},
	{F_CONTRACT, "contract", OPTIONAL},
	{F_ORIENTATION, "sexual_orientation", OPTIONAL},
	{F_RELIGION, "religion", OPTIONAL}, {-1, NULL, OPTIONAL},
};
static const column_spec training_columns[] = {
	{F_ID, "staff_id", REQUIRED}, {F_ORG, "organisation", REQUIRED},
	{F_DATE, "date", REQUIRED}, {F_ETHNIC, "ethnic_category", REQUIRED},
	{F_SEX, "sex", EXPECTED}, {F_DISABILITY, "disability", EXPECTED},
	{F_AGE, "age_band", EXPECTED}, {F_PAY, "pay_band", EXPECTED},
	{F_GROUP, "staff_group", EXPECTED}, {F_CONTRACT, "contract", OPTIONAL},
	{F_ORIENTATION, "sexual_orientation", OPTIONAL},
	{F_RELIGION, "religion", OPTIONAL}, {-1, NULL, OPTIONAL},
};

static const column_spec *columns_for(parity_kind kind)
{
	switch (kind) {
	case PARITY_KIND_RECRUITMENT: return recruitment_columns;
	case PARITY_KIND_WORKFORCE: return workforce_columns;
	case PARITY_KIND_DISCIPLINARY: return disciplinary_columns;
	case PARITY_KIND_TRAINING: return training_columns;
	default: return NULL;
	}
}

/* ---- the ingest state ---------------------------------------------------- */

/* A value that nothing maps, with how often and where it was first seen. */
typedef struct unknown_value {
	int field;
	char value[96];
	uint64_t rows;
	uint64_t first_line;
} unknown_value;

#define MAX_UNKNOWN 64
#define MAX_REASONS 32

typedef struct reject_reason {
	char reason[64];
	uint64_t count;
} reject_reason;

typedef struct ingest {
	parity_store *store;
	const parity_ingest_options *options;
	const parity_mapping *mapping;
	const char *path;
	const column_spec *spec;
	int64_t file_id;

	int header_done;
	size_t header_count;          /* fields in the header */
	char **header;                /* copies of the header fields */
	int column_of[F_COUNT_];      /* header index of each field, -1 if absent */
	const char *column_name[F_COUNT_]; /* canonical name of each field */

	cell_table cells;             /* pending aggregated cells */
	id_set ids;                   /* ids seen, for duplicates */
	coverage_set coverage;        /* organisation-months seen */

	parity_ingest_summary *summary;
	util_atomic_file rejects;     /* rejects CSV, opened on first reject */
	int rejects_open;
	reject_reason reasons[MAX_REASONS];
	size_t reason_count;
	unknown_value unknown[MAX_UNKNOWN];
	size_t unknown_count;
	uint64_t unknown_more;        /* distinct unknown values beyond MAX_UNKNOWN */
	uint64_t not_stated[F_COUNT_]; /* accepted rows not stated, per field */
	uint64_t not_known[F_COUNT_];  /* accepted rows not known, per field */
	int first_month, last_month;
	time_t last_progress;
} ingest;

/* ---- rejects ------------------------------------------------------------- */

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

/*
 * Refuse one row: count it under `reason` (a short category used in the
 * quality summary) and write it to the rejects CSV with its line number, the
 * full explanation `detail`, and the row's own fields as they were read.
 */
static int reject_row(ingest *in, const csvread_record *record,
                      const char *reason, const char *detail)
{
	parity_ingest_summary *s = in->summary;
	s->rows_rejected++;
	count_reason(in, reason);
	if (!s->first_reject[0])
		snprintf(s->first_reject, sizeof s->first_reject, "line %llu: %s",
		         (unsigned long long)record->line, detail);
	if (!in->rejects_open) {
		const char *dir = in->options->rejects_dir ? in->options->rejects_dir : ".";
		const char *base = strrchr(in->path, '/');
		base = base ? base + 1 : in->path;
		char name[512];
		snprintf(name, sizeof name, "%.400s.rejects.csv", base);
		int rc = util_mkdirs(dir, 0700);
		if (!rc)
			rc = util_path_join(s->rejects_path, sizeof s->rejects_path, dir, name);
		if (!rc)
			rc = util_atomic_open(&in->rejects, s->rejects_path, 0600);
		if (rc) {
			s->rejects_path[0] = '\0';
			return rc;
		}
		in->rejects_open = 1;
		fputs("line,reason", in->rejects.file);
		for (size_t i = 0; i < in->header_count; i++) {
			fputc(',', in->rejects.file);
			csvread_write_field(in->rejects.file, in->header[i]);
		}
		fputc('\n', in->rejects.file);
	}
	fprintf(in->rejects.file, "%llu,", (unsigned long long)record->line);
	csvread_write_field(in->rejects.file, detail);
	for (size_t i = 0; i < record->count; i++) {
		fputc(',', in->rejects.file);
		csvread_write_field(in->rejects.file, record->fields[i]);
	}
	fputc('\n', in->rejects.file);
	return 0;
}

/* ---- header ------------------------------------------------------------ */

static int resolve_header(ingest *in, const csvread_record *record)
{
	char key[256], other[256];
	in->header_count = record->count;
	in->header = calloc(record->count ? record->count : 1, sizeof *in->header);
	if (!in->header)
		return parity_error_set(PARITY_ENOMEM, "out of memory");
	for (size_t i = 0; i < record->count; i++)
		if (!(in->header[i] = strdup(record->fields[i])))
			return parity_error_set(PARITY_ENOMEM, "out of memory");

	for (int f = 0; f < F_COUNT_; f++)
		in->column_of[f] = -1;
	for (const column_spec *c = in->spec; c->name; c++) {
		const char *source = mapping_source_column(in->mapping, c->name);
		const char *wanted = source ? source : c->name;
		in->column_name[c->field] = c->name;
		parity_code_key(key, sizeof key, wanted);
		for (size_t i = 0; i < record->count; i++) {
			parity_code_key(other, sizeof other, record->fields[i]);
			if (strcmp(key, other) != 0)
				continue;
			if (in->column_of[c->field] >= 0)
				return parity_error_set(PARITY_EDATA,
				                        "%s:%llu: column '%s' appears twice (columns "
				                        "%d and %zu): remove or rename one",
				                        in->path, (unsigned long long)record->line,
				                        record->fields[i], in->column_of[c->field] + 1,
				                        i + 1);
			in->column_of[c->field] = (int)i;
		}
		if (in->column_of[c->field] >= 0)
			continue;
		if (source)
			return parity_error_set(PARITY_EDATA,
			                        "%s: the mapping %s says '%s' is in column '%s', "
			                        "but the header has no such column",
			                        in->path, in->mapping->path, c->name, source);
		if (c->need == REQUIRED)
			return parity_error_set(PARITY_EDATA,
			                        "%s:%llu: required column '%s' is missing from "
			                        "this %s extract (header starts \"%.60s%s\"): "
			                        "rename the column, or map it in a mapping file "
			                        "('parity mapping --suggest' drafts one)",
			                        in->path, (unsigned long long)record->line, c->name,
			                        parity_kind_name(in->options->kind),
			                        record->count ? record->fields[0] : "",
			                        record->count > 1 ? ",..." : "");
		if (c->need == EXPECTED) {
			size_t used = strlen(in->summary->missing_columns);
			snprintf(in->summary->missing_columns + used,
			         sizeof in->summary->missing_columns - used, "%s%s",
			         used ? ", " : "", c->name);
		}
	}
	in->header_done = 1;
	return 0;
}

/* ---- values ------------------------------------------------------------- */

/* A field's value with surrounding blanks removed, in place; "" if the
 * column is absent. */
static const char *field_value(const ingest *in, const csvread_record *record,
                               int field)
{
	int column = in->column_of[field];
	if (column < 0 || (size_t)column >= record->count)
		return "";
	char *s = record->fields[column];
	while (*s == ' ' || *s == '\t')
		s++;
	size_t len = strlen(s);
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		s[--len] = '\0';
	return s;
}

/* Remember a value nothing maps, for the file-level error. */
static void note_unknown(ingest *in, int field, const char *value, uint64_t line)
{
	for (size_t i = 0; i < in->unknown_count; i++) {
		unknown_value *u = &in->unknown[i];
		if (u->field == field && !strncmp(u->value, value, sizeof u->value - 1)) {
			u->rows++;
			return;
		}
	}
	if (in->unknown_count == MAX_UNKNOWN) {
		in->unknown_more++;
		return;
	}
	unknown_value *u = &in->unknown[in->unknown_count++];
	u->field = field;
	snprintf(u->value, sizeof u->value, "%s", value);
	u->rows = 1;
	u->first_line = line;
}

/*
 * Code one characteristic: the mapping first, then the built-in list.
 * Returns 1 when coded, 0 when nothing maps it (noted, and the row is not
 * counted unless the mapping sends unknown values to "not stated").
 */
static int code_characteristic(ingest *in, char *out, size_t size, int field,
                               const char *value, uint64_t line)
{
	const char *mapped = mapping_value_code(in->mapping, in->column_name[field], value);
	if (mapped) {
		snprintf(out, size, "%s", mapped);
		return 1;
	}
	int rc;
	if (field == F_ETHNIC)
		rc = parity_code_ethnic(out, size, value);
	else if (field == F_SEX)
		rc = parity_code_sex(out, size, value);
	else
		rc = parity_code_disability(out, size, value);
	if (rc == 0)
		return 1;
	parity_error_clear();
	if (in->mapping && in->mapping->unknown_as_not_stated) {
		snprintf(out, size, "%s", PARITY_CODE_NOT_STATED);
		return 1;
	}
	note_unknown(in, field, value, line);
	return 0;
}

/* Free-text attributes (age band, pay band, staff group, ...): the mapping's
 * code, else the value itself, with blanks meaning not stated. */
static void code_attribute(ingest *in, char *out, size_t size, int field,
                           const char *value)
{
	const char *mapped = mapping_value_code(in->mapping, in->column_name[field], value);
	if (mapped) {
		snprintf(out, size, "%s", mapped);
		return;
	}
	if (!value[0] || in->column_of[field] < 0) {
		snprintf(out, size, "%s", PARITY_CODE_NOT_STATED);
		return;
	}
	char key[128];
	parity_code_key(key, sizeof key, value);
	if (field == F_PAY && !strncmp(key, "band", 4) && key[4]) {
		/* "Band 5", "band 8a" -> "5", "8a" */
		snprintf(out, size, "%.60s", key + 4);
		return;
	}
	if (field == F_CONTRACT) {
		if (strstr(key, "bank"))
			snprintf(out, size, "bank");
		else if (strstr(key, "fixed") || strstr(key, "temporary"))
			snprintf(out, size, "fixed_term");
		else if (strstr(key, "permanent"))
			snprintf(out, size, "permanent");
		else
			snprintf(out, size, "%.60s", key);
		return;
	}
	if (field == F_GROUNDS) {
		if (strstr(key, "performance"))
			snprintf(out, size, "performance");
		else if (strstr(key, "conduct"))
			snprintf(out, size, "conduct");
		else if (strstr(key, "health") || strstr(key, "sickness"))
			snprintf(out, size, "ill_health");
		else
			snprintf(out, size, "other");
		return;
	}
	if (!strcmp(key, "notstated") || !strcmp(key, "prefernottosay") ||
	    !strcmp(key, "notknown") || !strcmp(key, "unknown") || !strcmp(key, "z")) {
		snprintf(out, size, "%s", PARITY_CODE_NOT_STATED);
		return;
	}
	snprintf(out, size, "%.*s", (int)(size - 1), value);
}

/* An organisation code must be short and plain: it names folders and rows. */
static const char *check_organisation(const char *org)
{
	if (!org[0])
		return "organisation is blank";
	if (strlen(org) > 63)
		return "organisation code is longer than 63 characters";
	for (const unsigned char *p = (const unsigned char *)org; *p; p++) {
		if (*p == '/' || *p == '\\')
			return "organisation code contains a path separator";
		if (*p < 0x20 || *p == 0x7f)
			return "organisation code contains a control character";
	}
	if (!strcmp(org, ".") || !strcmp(org, ".."))
		return "organisation code is not a name";
	return NULL;
}

/* ---- flushing ------------------------------------------------------------ */

static int flush_cells(ingest *in)
{
	sqlite3_stmt *stmt = NULL;
	char buffer[2100];
	const char *dims[F_DIMENSIONS_];
	int rc = 0;
	if (in->cells.count == 0)
		return 0;
	rc = store_prepare(in->store, &stmt,
	                   "INSERT INTO cells(file_id, kind, month, organisation, "
	                   "ethnic_category, sex, disability, age_band, pay_band, "
	                   "staff_group, contract, process, grounds, sexual_orientation, "
	                   "religion, rows, shortlisted, appointed) VALUES(?,?,?,?,?,?,?,"
	                   "?,?,?,?,?,?,?,?,?,?,?)");
	if (rc)
		return rc;
	const char *kind = parity_kind_name(in->options->kind);
	for (size_t i = 0; i < in->cells.capacity && !rc; i++) {
		const cell_entry *e = &in->cells.entries[i];
		if (!e->key_length)
			continue;
		cells_split(&in->cells, e, buffer, dims);
		sqlite3_bind_int64(stmt, 1, in->file_id);
		sqlite3_bind_text(stmt, 2, kind, -1, SQLITE_STATIC);
		sqlite3_bind_int(stmt, 3, e->month);
		for (int d = 0; d < F_DIMENSIONS_; d++)
			sqlite3_bind_text(stmt, 4 + d, dims[d], -1, SQLITE_STATIC);
		sqlite3_bind_int64(stmt, 4 + F_DIMENSIONS_, (sqlite3_int64)e->counts.rows);
		sqlite3_bind_int64(stmt, 5 + F_DIMENSIONS_,
		                   (sqlite3_int64)e->counts.shortlisted);
		sqlite3_bind_int64(stmt, 6 + F_DIMENSIONS_, (sqlite3_int64)e->counts.appointed);
		int step = sqlite3_step(stmt);
		if (step != SQLITE_DONE)
			rc = store_fail(in->store, step, "storing counts");
		sqlite3_reset(stmt);
		in->summary->cells++;
	}
	sqlite3_finalize(stmt);
	cells_clear(&in->cells);
	return rc;
}

/* ---- rows ---------------------------------------------------------------- */

static int on_record(void *context, const csvread_record *record)
{
	ingest *in = context;
	char detail[400];
	char codes[F_DIMENSIONS_][72];
	const char *dims[F_DIMENSIONS_];
	parity_kind kind = in->options->kind;
	int rc;

	if (!in->header_done)
		return resolve_header(in, record);
	in->summary->rows_read++;

	if (record->count != in->header_count) {
		snprintf(detail, sizeof detail, "row has %zu fields but the header has %zu",
		         record->count, in->header_count);
		return reject_row(in, record, "wrong number of fields", detail);
	}
	const char *id = field_value(in, record, F_ID);
	if (!id[0]) {
		snprintf(detail, sizeof detail, "column '%s' is blank",
		         in->column_name[F_ID]);
		return reject_row(in, record, "missing id", detail);
	}
	const char *org = field_value(in, record, F_ORG);
	const char *problem = check_organisation(org);
	if (problem)
		return reject_row(in, record, "bad organisation", problem);

	parity_date date;
	const char *date_text = field_value(in, record, F_DATE);
	if (!date_text[0]) {
		snprintf(detail, sizeof detail, "column '%s' is blank", in->column_name[F_DATE]);
		return reject_row(in, record, "missing date", detail);
	}
	if (parity_date_parse(&date, date_text) != 0) {
		snprintf(detail, sizeof detail, "column '%s': %s", in->column_name[F_DATE],
		         parity_error_last());
		parity_error_clear();
		return reject_row(in, record, "invalid date", detail);
	}
	int month = parity_date_month_index(&date);

	int shortlisted = 0, appointed = 0;
	if (kind == PARITY_KIND_RECRUITMENT) {
		const int outcome_fields[2] = {F_SHORTLISTED, F_APPOINTED};
		int *outcome_values[2] = {&shortlisted, &appointed};
		for (int k = 0; k < 2; k++) {
			int field = outcome_fields[k];
			const char *value = field_value(in, record, field);
			const char *mapped = mapping_value_code(in->mapping,
			                                        in->column_name[field], value);
			if (parity_code_yesno(outcome_values[k], mapped ? mapped : value)) {
				parity_error_clear();
				snprintf(detail, sizeof detail,
				         "column '%s': expected Y or N, found \"%.60s\"",
				         in->column_name[field], value);
				return reject_row(in, record, "invalid outcome", detail);
			}
		}
		if (appointed && !shortlisted)
			return reject_row(in, record, "appointed but not shortlisted",
			                  "appointed is Y but shortlisted is N");
	}

	memset(codes, 0, sizeof codes);
	if (kind == PARITY_KIND_DISCIPLINARY) {
		char key[64];
		parity_code_key(key, sizeof key, field_value(in, record, F_PROCESS));
		const char *mapped = mapping_value_code(in->mapping, "process",
		                                        field_value(in, record, F_PROCESS));
		if (mapped)
			parity_code_key(key, sizeof key, mapped);
		if (strstr(key, "disciplinary") || strstr(key, "conduct"))
			snprintf(codes[F_PROCESS], sizeof codes[F_PROCESS], "disciplinary");
		else if (strstr(key, "capability"))
			snprintf(codes[F_PROCESS], sizeof codes[F_PROCESS], "capability");
		else {
			snprintf(detail, sizeof detail,
			         "column 'process': expected disciplinary or capability, "
			         "found \"%.60s\"", field_value(in, record, F_PROCESS));
			return reject_row(in, record, "invalid process", detail);
		}
	}

	/* Duplicates: the id within the file (per snapshot for workforce, per
	 * financial year for training, where a person counts once). */
	char id_key[512];
	size_t id_len;
	if (kind == PARITY_KIND_WORKFORCE) {
		id_len = (size_t)snprintf(id_key, sizeof id_key, "%.200s\x1f%d-%d-%d", id,
		                          date.year, date.month, date.day);
	} else if (kind == PARITY_KIND_TRAINING) {
		parity_period fy;
		parity_period_financial_year(&fy, month);
		id_len = (size_t)snprintf(id_key, sizeof id_key, "%.200s\x1f%s\x1f%s", id,
		                          org, fy.label);
	} else {
		id_len = (size_t)snprintf(id_key, sizeof id_key, "%.400s", id);
	}
	if (id_len >= sizeof id_key)
		id_len = sizeof id_key - 1;
	uint64_t first_line = 0;
	rc = ids_add(&in->ids, id_key, id_len, record->line, &first_line);
	if (rc < 0)
		return rc;
	if (rc == 1) {
		if (kind == PARITY_KIND_TRAINING) {
			/* A further access by the same person in the year: valid, but
			 * WRES 4 counts people, so it adds nothing. */
			in->summary->rows_accepted++;
			in->summary->repeat_rows++;
			return 0;
		}
		snprintf(detail, sizeof detail, "duplicate %s \"%.60s\"%s (first on line %llu)",
		         in->column_name[F_ID], id,
		         kind == PARITY_KIND_WORKFORCE ? " on the same snapshot" : "",
		         (unsigned long long)first_line);
		return reject_row(in, record, "duplicate id", detail);
	}

	/* Characteristics. */
	int coded = 1;
	const int characteristics[3] = {F_ETHNIC, F_SEX, F_DISABILITY};
	for (int k = 0; k < 3; k++) {
		int field = characteristics[k];
		const char *value = field_value(in, record, field);
		if (in->column_of[field] < 0) {
			snprintf(codes[field], sizeof codes[field], "%s", PARITY_CODE_NOT_STATED);
			continue;
		}
		if (!code_characteristic(in, codes[field], sizeof codes[field], field, value,
		                         record->line))
			coded = 0;
	}
	if (!coded)
		return 0; /* the file will be refused for its unknown values */

	const int attributes[] = {F_AGE, F_PAY, F_GROUP, F_CONTRACT, F_GROUNDS,
	                          F_ORIENTATION, F_RELIGION};
	for (size_t k = 0; k < sizeof attributes / sizeof attributes[0]; k++) {
		int field = attributes[k];
		if (in->column_of[field] < 0 && field != F_AGE && field != F_PAY &&
		    field != F_GROUP && !(field == F_CONTRACT && kind == PARITY_KIND_WORKFORCE) &&
		    !(field == F_GROUNDS && kind == PARITY_KIND_DISCIPLINARY))
			continue; /* an optional column absent: no attribute, "" */
		code_attribute(in, codes[field], sizeof codes[field], field,
		               field_value(in, record, field));
	}
	snprintf(codes[F_ORG], sizeof codes[F_ORG], "%s", org);

	for (int d = 0; d < F_DIMENSIONS_; d++)
		dims[d] = codes[d];
	for (int f = 0; f < F_DIMENSIONS_; f++) {
		if (!strcmp(codes[f], PARITY_CODE_NOT_STATED))
			in->not_stated[f]++;
		else if (!strcmp(codes[f], PARITY_CODE_NOT_KNOWN))
			in->not_known[f]++;
	}
	cell_counts delta = {1, (uint64_t)shortlisted, (uint64_t)appointed};
	if ((rc = cells_add(&in->cells, month, dims, &delta)))
		return rc;
	if ((rc = coverage_add(&in->coverage, org, month)))
		return rc;
	if (month < in->first_month || !in->first_month)
		in->first_month = month;
	if (month > in->last_month)
		in->last_month = month;
	in->summary->rows_accepted++;

	size_t limit = in->options->flush_cells ? in->options->flush_cells : 200000;
	if (in->cells.count >= limit && (rc = flush_cells(in)))
		return rc;
	if (in->options->progress && (in->summary->rows_read & 0xffff) == 0) {
		time_t now = time(NULL);
		if (now != in->last_progress) {
			in->last_progress = now;
			fprintf(stderr, "\r%s: %llu rows read", in->path,
			        (unsigned long long)in->summary->rows_read);
		}
	}
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

/* Earlier deliveries of the same kind holding any organisation-month this
 * file holds: replace those parts when asked, refuse otherwise. */
static int handle_overlap(ingest *in)
{
	sqlite3_stmt *stmt = NULL;
	int rc = store_prepare(in->store, &stmt,
	                       "SELECT f.id, f.path, c.organisation, c.month, "
	                       "count(*) OVER (PARTITION BY f.id) "
	                       "FROM coverage c JOIN coverage mine "
	                       " ON mine.organisation = c.organisation AND "
	                       "    mine.month = c.month AND mine.file_id = ?1 "
	                       "JOIN files f ON f.id = c.file_id "
	                       "WHERE f.kind = ?2 AND c.file_id <> ?1 "
	                       "ORDER BY f.id, c.organisation, c.month");
	if (rc)
		return rc;
	sqlite3_bind_int64(stmt, 1, in->file_id);
	sqlite3_bind_text(stmt, 2, parity_kind_name(in->options->kind), -1, SQLITE_STATIC);
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
		                      in->path, parity_kind_name(in->options->kind),
		                      (const char *)sqlite3_column_text(stmt, 2), month,
		                      (const char *)sqlite3_column_text(stmt, 1),
		                      (long long)sqlite3_column_int64(stmt, 4),
		                      sqlite3_column_int64(stmt, 4) == 1 ? "" : "s");
		sqlite3_finalize(stmt);
		return rc;
	}
	sqlite3_finalize(stmt);
	/* Replace: drop the old cells and coverage for exactly these
	 * organisation-months; a file left with nothing becomes inactive. */
	static const char *const replace_sql[] = {
		"DELETE FROM cells WHERE file_id <> ?1 AND kind = ?2 AND "
		" (organisation, month) IN (SELECT organisation, month FROM coverage "
		"  WHERE file_id = ?1)",
		"UPDATE files SET active = 0 WHERE id <> ?1 AND kind = ?2 AND id IN "
		" (SELECT c.file_id FROM coverage c JOIN coverage mine ON "
		"  mine.organisation = c.organisation AND mine.month = c.month AND "
		"  mine.file_id = ?1) AND NOT EXISTS (SELECT 1 FROM coverage c2 WHERE "
		"  c2.file_id = files.id AND NOT EXISTS (SELECT 1 FROM coverage m2 "
		"  WHERE m2.file_id = ?1 AND m2.organisation = c2.organisation AND "
		"  m2.month = c2.month))",
		"DELETE FROM coverage WHERE file_id <> ?1 AND file_id IN (SELECT id FROM "
		" files WHERE kind = ?2) AND (organisation, month) IN (SELECT "
		" organisation, month FROM coverage WHERE file_id = ?1)",
	};
	for (size_t i = 0; i < 3; i++) {
		rc = store_prepare(in->store, &stmt, replace_sql[i]);
		if (rc)
			return rc;
		sqlite3_bind_int64(stmt, 1, in->file_id);
		sqlite3_bind_text(stmt, 2, parity_kind_name(in->options->kind), -1,
		                  SQLITE_STATIC);
		step = sqlite3_step(stmt);
		if (i == 0)
			in->summary->replaced = sqlite3_changes(store_db(in->store)) > 0;
		sqlite3_finalize(stmt);
		if (step != SQLITE_DONE)
			return store_fail(in->store, step, "replacing an earlier delivery");
	}
	return 0;
}

static int save_file_details(ingest *in, const char *sha)
{
	sqlite3_stmt *stmt = NULL;
	int rc = store_prepare(in->store, &stmt,
	                       "INSERT INTO coverage(file_id, organisation, month) "
	                       "VALUES(?,?,?)");
	if (rc)
		return rc;
	for (size_t i = 0; i < in->coverage.count && !rc; i++) {
		sqlite3_bind_int64(stmt, 1, in->file_id);
		sqlite3_bind_text(stmt, 2, in->coverage.items[i].organisation, -1,
		                  SQLITE_STATIC);
		sqlite3_bind_int(stmt, 3, in->coverage.items[i].month);
		int step = sqlite3_step(stmt);
		if (step != SQLITE_DONE)
			rc = store_fail(in->store, step, "recording coverage");
		sqlite3_reset(stmt);
	}
	sqlite3_finalize(stmt);
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
		sqlite3_bind_int64(stmt, 5, (sqlite3_int64)(in->summary->rows_accepted -
		                                             in->summary->repeat_rows));
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
	sqlite3_bind_int(stmt, 5, in->first_month);
	sqlite3_bind_int(stmt, 6, in->last_month);
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

int parity_ingest_file(parity_ingest_summary *summary, parity_store *store,
                       const char *path, const parity_ingest_options *options)
{
	ingest in;
	csvread_result read;
	csvread_options csv;
	int rc, in_transaction = 0;

	memset(summary, 0, sizeof *summary);
	memset(&in, 0, sizeof in);
	if (!store || !path || !options)
		return parity_error_set(PARITY_EUSAGE, "parity_ingest_file: missing argument");
	in.spec = columns_for(options->kind);
	if (!in.spec)
		return parity_error_set(PARITY_EUSAGE, "unknown extract kind %d",
		                        (int)options->kind);
	if (access(path, R_OK) != 0)
		return parity_error_set(PARITY_ENOINPUT, "%s: cannot read the file "
		                        "(check the name and permissions)", path);
	in.store = store;
	in.options = options;
	in.mapping = options->mapping;
	in.path = path;
	in.summary = summary;

	memset(&csv, 0, sizeof csv);
	csv.delimiter = options->delimiter;
	csv.windows1252 = options->windows1252;
	if (in.mapping && !csv.delimiter)
		csv.delimiter = in.mapping->delimiter;
	if (in.mapping && in.mapping->windows1252)
		csv.windows1252 = 1;

	if ((rc = store_exec(store, "BEGIN IMMEDIATE", "starting to ingest")))
		goto done;
	in_transaction = 1;
	{
		/* A provisional digest keeps the UNIQUE column satisfied until the
		 * real one is known at the end of the read. */
		char provisional[96];
		snprintf(provisional, sizeof provisional, "pending-%ld-%p", (long)getpid(),
		         (void *)&in);
		char when[32];
		time_t now = time(NULL);
		strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
		sqlite3_stmt *stmt = NULL;
		if ((rc = store_prepare(store, &stmt,
		                        "INSERT INTO files(sha256, kind, path, ingested_at) "
		                        "VALUES(?,?,?,?)")))
			goto done;
		sqlite3_bind_text(stmt, 1, provisional, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(stmt, 2, parity_kind_name(options->kind), -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 3, path, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 4, when, -1, SQLITE_TRANSIENT);
		int step = sqlite3_step(stmt);
		sqlite3_finalize(stmt);
		if (step != SQLITE_DONE) {
			rc = store_fail(store, step, "recording the file");
			goto done;
		}
		in.file_id = sqlite3_last_insert_rowid(store_db(store));
	}

	rc = csvread_file(&read, path, &csv, on_record, &in);
	if (options->progress && summary->rows_read >= 0x10000)
		fprintf(stderr, "\r%s: %llu rows read\n", path,
		        (unsigned long long)summary->rows_read);
	if (rc)
		goto done;
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
	if ((rc = flush_cells(&in)))
		goto done;
	if ((rc = save_file_details(&in, read.sha256)))
		goto done;
	if ((rc = store_exec(store, "COMMIT", "saving the file")))
		goto done;
	in_transaction = 0;
done:
	if (in_transaction)
		sqlite3_exec(store_db(store), "ROLLBACK", NULL, NULL, NULL);
	if (rc && rc != PARITY_EBUSY && rc != PARITY_EIO && rc != PARITY_ENOMEM)
		summary->refused = 1;
	if (in.rejects_open) {
		/* Keep the rejects even when the file was refused: the user fixes
		 * the rows from this list. */
		int wrc = util_atomic_commit(&in.rejects);
		if (wrc && !rc)
			rc = wrc;
		if (wrc)
			summary->rejects_path[0] = '\0';
	}
	if (in.header) {
		for (size_t i = 0; i < in.header_count; i++)
			free(in.header[i]);
		free(in.header);
	}
	cells_free(&in.cells);
	ids_free(&in.ids);
	coverage_free(&in.coverage);
	return rc;
}
