/*
 * cohort_file.c: reading and checking a mentoring cohort file (the cohorts,
 * their organisations and dates) for cohort.c to evaluate.
 */
#include "analyse_internal.h"

#include "csv/csvread.h"
#include "parity/common.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* ---- reading the cohort file ---------------------------------------------- */

enum { C_ID, C_NAME, C_ORGS, C_START, C_END, C_PAIRS, C_COLUMNS };

static const char *const cohort_columns[C_COLUMNS] = {
	"cohort_id", "name", "organisations", "start_date", "end_date", "pairs",
};

typedef struct reader {
	const char *path;
	parity_cohorts *cohorts;
	char **known;         /* organisations in the store (NULL: no check) */
	size_t known_count;
	int column[C_COLUMNS]; /* field index of each column, -1 absent */
	size_t header_count;
	int header_done;
	int strict;           /* a programme: unknown organisations are errors */
} reader;

static void trim(char *s)
{
	size_t len = strlen(s);
	while (len && isspace((unsigned char)s[len - 1]))
		s[--len] = '\0';
	size_t lead = strspn(s, " \t");
	if (lead)
		memmove(s, s + lead, len - lead + 1);
}

/* Why a code cannot be used (it names rows and may name files), or NULL. */
static const char *bad_code(const char *code)
{
	if (!code[0])
		return "is blank";
	if (strlen(code) > 63)
		return "is longer than 63 characters";
	for (const unsigned char *p = (const unsigned char *)code; *p; p++) {
		if (*p == '/' || *p == '\\')
			return "contains a path separator";
		if (*p < 0x20 || *p == 0x7f)
			return "contains a control character";
	}
	if (!strcmp(code, ".") || !strcmp(code, ".."))
		return "is not a name";
	return NULL;
}

static int add_warning(parity_cohorts *cohorts, const char *fmt, const char *path,
                       uint64_t line, const char *org)
{
	char (*grown)[256] = realloc(cohorts->warnings,
	                             (cohorts->warning_count + 1) * sizeof *grown);
	if (!grown)
		return parity_error_set(PARITY_ENOMEM, "out of memory");
	cohorts->warnings = grown;
	char *slot = cohorts->warnings[cohorts->warning_count++];
	int n = snprintf(slot, sizeof grown[0], "%s:%llu: ", path, (unsigned long long)line);
	if (n > 0 && (size_t)n < sizeof grown[0])
		snprintf(slot + n, sizeof grown[0] - (size_t)n, fmt, org);
	return 0;
}

static int read_header(reader *r, const csvread_record *record)
{
	for (int c = 0; c < C_COLUMNS; c++)
		r->column[c] = -1;
	for (size_t i = 0; i < record->count; i++) {
		char name[64];
		snprintf(name, sizeof name, "%s", record->fields[i]);
		trim(name);
		for (char *p = name; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		for (int c = 0; c < C_COLUMNS; c++)
			if (!strcmp(name, cohort_columns[c]))
				r->column[c] = (int)i;
	}
	for (int c = 0; c < C_PAIRS; c++)
		if (r->column[c] < 0)
			return parity_error_set(PARITY_EDATA,
			                        "%s:%llu: missing column '%s' (the header is "
			                        "cohort_id,name,organisations,start_date,"
			                        "end_date[,pairs])", r->path,
			                        (unsigned long long)record->line,
			                        cohort_columns[c]);
	r->header_count = record->count;
	r->header_done = 1;
	return 0;
}

/* Split the ';'-separated organisations into the cohort, checking each. */
static int read_organisations(reader *r, parity_cohort *c, const char *text,
                              uint64_t line)
{
	char buf[4096];
	snprintf(buf, sizeof buf, "%s", text);
	char *save = NULL;
	for (char *piece = strtok_r(buf, ";", &save); piece;
	     piece = strtok_r(NULL, ";", &save)) {
		trim(piece);
		if (!piece[0])
			continue;
		const char *problem = bad_code(piece);
		if (problem)
			return parity_error_set(PARITY_EDATA,
			                        "%s:%llu: organisation \"%.63s\" %s", r->path,
			                        (unsigned long long)line, piece, problem);
		int seen = 0;
		for (size_t i = 0; i < c->organisation_count; i++)
			seen |= !strcmp(c->organisations[i], piece);
		if (seen)
			continue;
		char (*grown)[64] = realloc(c->organisations,
		                            (c->organisation_count + 1) * sizeof *grown);
		if (!grown)
			return parity_error_set(PARITY_ENOMEM, "out of memory");
		c->organisations = grown;
		snprintf(c->organisations[c->organisation_count++], 64, "%s", piece);
		if (r->known) {
			int known = 0;
			for (size_t i = 0; i < r->known_count && !known; i++)
				known = !strcmp(r->known[i], piece);
			if (!known && r->strict)
				return parity_error_set(PARITY_EDATA, "%s:%llu: column "
				                        "'organisations': organisation %.63s has "
				                        "no data in the database (check the code, "
				                        "or ingest its extracts first)", r->path,
				                        (unsigned long long)line, piece);
			if (!known) {
				int rc = add_warning(r->cohorts, "organisation %.63s has no data in "
				                     "the database; it adds nothing to the cohort",
				                     r->path, line, piece);
				if (rc)
					return rc;
			}
		}
	}
	if (!c->organisation_count)
		return parity_error_set(PARITY_EDATA, "%s:%llu: no organisations (list "
		                        "them ';'-separated, e.g. R0A;R0B)", r->path,
		                        (unsigned long long)line);
	return 0;
}

static int read_date(parity_date *out, reader *r, const char *text, int column,
                     uint64_t line)
{
	if (parity_date_parse(out, text) == 0)
		return 0;
	char message[200];
	snprintf(message, sizeof message, "%s", parity_error_last());
	return parity_error_set(PARITY_EDATA, "%s:%llu: column '%s': %s", r->path,
	                        (unsigned long long)line, cohort_columns[column], message);
}

static int date_compare(const parity_date *a, const parity_date *b)
{
	if (a->year != b->year)
		return a->year < b->year ? -1 : 1;
	if (a->month != b->month)
		return a->month < b->month ? -1 : 1;
	return a->day < b->day ? -1 : a->day > b->day;
}

static int on_cohort(void *context, const csvread_record *record)
{
	reader *r = context;
	if (!r->header_done)
		return read_header(r, record);
	if (record->count == 1 && !record->fields[0][0])
		return 0; /* a blank line */
	if (record->count != r->header_count)
		return parity_error_set(PARITY_EDATA, "%s:%llu: %zu fields but the header "
		                        "has %zu", r->path, (unsigned long long)record->line,
		                        record->count, r->header_count);
	parity_cohorts *cs = r->cohorts;
	parity_cohort *grown = realloc(cs->items, (cs->count + 1) * sizeof *grown);
	if (!grown)
		return parity_error_set(PARITY_ENOMEM, "out of memory");
	cs->items = grown;
	parity_cohort *c = &cs->items[cs->count++];
	memset(c, 0, sizeof *c);
	c->line = record->line;
	c->pairs = -1;

	char field[C_COLUMNS][512];
	for (int k = 0; k < C_COLUMNS; k++) {
		field[k][0] = '\0';
		if (r->column[k] >= 0)
			snprintf(field[k], sizeof field[k], "%s", record->fields[r->column[k]]);
		trim(field[k]);
	}
	uint64_t line = record->line;
	const char *problem = bad_code(field[C_ID]);
	if (problem)
		return parity_error_set(PARITY_EDATA, "%s:%llu: cohort_id \"%.63s\" %s",
		                        r->path, (unsigned long long)line, field[C_ID],
		                        problem);
	for (size_t i = 0; i + 1 < cs->count; i++)
		if (!strcmp(cs->items[i].id, field[C_ID]))
			return parity_error_set(PARITY_EDATA, "%s:%llu: cohort_id %s is used "
			                        "again (first on line %llu)", r->path,
			                        (unsigned long long)line, field[C_ID],
			                        (unsigned long long)cs->items[i].line);
	snprintf(c->id, sizeof c->id, "%.63s", field[C_ID]);
	snprintf(c->name, sizeof c->name, "%.127s", field[C_NAME][0] ? field[C_NAME] : c->id);
	int rc = read_organisations(r, c, field[C_ORGS], line);
	if (!rc)
		rc = read_date(&c->start, r, field[C_START], C_START, line);
	if (!rc)
		rc = read_date(&c->end, r, field[C_END], C_END, line);
	if (rc)
		return rc;
	if (date_compare(&c->end, &c->start) < 0)
		return parity_error_set(PARITY_EDATA, "%s:%llu: end_date %s is before "
		                        "start_date %s", r->path, (unsigned long long)line,
		                        field[C_END], field[C_START]);
	if (field[C_PAIRS][0]) {
		char *end = NULL;
		errno = 0;
		long pairs = strtol(field[C_PAIRS], &end, 10);
		if (errno || *end || pairs < 0 || !isdigit((unsigned char)field[C_PAIRS][0]))
			return parity_error_set(PARITY_EDATA, "%s:%llu: pairs \"%.40s\" is not a "
			                        "whole number", r->path,
			                        (unsigned long long)line, field[C_PAIRS]);
		c->pairs = pairs;
	}
	return 0;
}

/* The organisations the store holds data for. */
static int known_organisations(char ***out, size_t *count, parity_store *store)
{
	sqlite3_stmt *stmt = NULL;
	char **orgs = NULL;
	size_t n = 0;
	int rc = store_prepare(store, &stmt, "SELECT DISTINCT organisation FROM coverage");
	if (rc)
		return rc;
	int step;
	while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
		char **grown = realloc(orgs, (n + 1) * sizeof *grown);
		const char *org = (const char *)sqlite3_column_text(stmt, 0);
		if (!grown || !(grown[n] = strdup(org ? org : ""))) {
			if (grown)
				orgs = grown;
			rc = parity_error_set(PARITY_ENOMEM, "out of memory");
			break;
		}
		orgs = grown;
		n++;
	}
	if (!rc && step != SQLITE_DONE)
		rc = store_fail(store, step, "listing organisations");
	sqlite3_finalize(stmt);
	if (rc) {
		for (size_t i = 0; i < n; i++)
			free(orgs[i]);
		free(orgs);
		return rc;
	}
	*out = orgs;
	*count = n;
	return 0;
}

static int load(parity_cohorts **out, const char *path, parity_store *store, int strict)
{
	reader r;
	int rc;
	*out = NULL;
	if (!path || !*path)
		return parity_error_set(PARITY_EUSAGE, "no cohort file given");
	memset(&r, 0, sizeof r);
	r.path = path;
	r.strict = strict;
	r.cohorts = calloc(1, sizeof *r.cohorts);
	if (!r.cohorts)
		return parity_error_set(PARITY_ENOMEM, "out of memory");
	if (store && (rc = known_organisations(&r.known, &r.known_count, store)))
		goto done;
	csvread_options options;
	memset(&options, 0, sizeof options);
	options.delimiter = ',';
	rc = csvread_file(NULL, path, &options, on_cohort, &r);
	if (!rc && !r.header_done)
		rc = parity_error_set(PARITY_EDATA, "%s: empty file (expected the header "
		                      "cohort_id,name,organisations,start_date,end_date"
		                      "[,pairs])", path);
	if (!rc && !r.cohorts->count)
		rc = parity_error_set(PARITY_EDATA, "%s: no cohorts after the header", path);
done:
	for (size_t i = 0; i < r.known_count; i++)
		free(r.known[i]);
	free(r.known);
	if (rc) {
		parity_cohorts_free(r.cohorts);
		return rc;
	}
	*out = r.cohorts;
	return 0;
}

int parity_cohorts_load(parity_cohorts **out, const char *path, parity_store *store)
{
	return load(out, path, store, 0);
}

/* An organisation's cohorts must not overlap: the first one starts its
 * programme, and two at once are most often a typing slip in a date. */
static int check_overlaps(const parity_cohorts *cs, const char *path)
{
	for (size_t i = 0; i < cs->count; i++)
		for (size_t j = i + 1; j < cs->count; j++) {
			const parity_cohort *a = &cs->items[i], *b = &cs->items[j];
			if (date_compare(&a->start, &b->end) > 0 ||
			    date_compare(&b->start, &a->end) > 0)
				continue;
			for (size_t k = 0; k < b->organisation_count; k++)
				for (size_t m = 0; m < a->organisation_count; m++)
					if (!strcmp(a->organisations[m], b->organisations[k]))
						return parity_error_set(
							PARITY_EDATA, "%s:%llu: column 'start_date': "
							"organisation %s is also in cohort %s (line "
							"%llu) and the two overlap in time: an "
							"organisation runs one cohort at a time (fix "
							"the dates, or list the two as one cohort)",
							path, (unsigned long long)b->line,
							b->organisations[k], a->id,
							(unsigned long long)a->line);
		}
	return 0;
}

int parity_programme_load(parity_cohorts **out, const char *path, parity_store *store)
{
	int rc = load(out, path, store, 1);
	if (!rc && (rc = check_overlaps(*out, path))) {
		parity_cohorts_free(*out);
		*out = NULL;
	}
	return rc;
}

void parity_cohorts_free(parity_cohorts *cohorts)
{
	if (!cohorts)
		return;
	for (size_t i = 0; i < cohorts->count; i++)
		free(cohorts->items[i].organisations);
	free(cohorts->items);
	free(cohorts->warnings);
	free(cohorts);
}
