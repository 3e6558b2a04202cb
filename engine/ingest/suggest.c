/*
 * suggest.c: 'parity mapping --suggest': reads an extract once (streamed),
 * counts the distinct values of each column (bounded), matches the header
 * to the kind's canonical columns and writes a draft mapping file that says,
 * line by line, what parity matched, what it guessed (CHECK) and what the
 * user must still decide (TODO).
 */
#include "parity/ingest.h"

#include "csv/csvread.h"
#include "ingest_internal.h"
#include "parity/codes.h"
#include "parity/common.h"
#include "suggest_draft.h"
#include "util/util.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_MAX_VALUES 200

/* ---- distinct values --------------------------------------------------- */

static uint64_t hash(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603u;
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211u;
	}
	return h;
}

/* Count one value of a column. Returns 0 or PARITY_ENOMEM. */
static int count_value(column_values *c, size_t max_values, const char *value,
                       size_t len)
{
	c->rows++;
	if (!c->slots) {
		c->slot_count = 16;
		while (c->slot_count < 2 * max_values)
			c->slot_count *= 2;
		c->slots = calloc(c->slot_count, sizeof *c->slots);
		c->items = calloc(max_values ? max_values : 1, sizeof *c->items);
		if (!c->slots || !c->items)
			return parity_error_set(PARITY_ENOMEM, "out of memory");
	}
	if (len > VALUE_LIMIT) {
		c->other_rows++;
		return 0;
	}
	size_t mask = c->slot_count - 1;
	for (size_t s = (size_t)hash(value, len) & mask;; s = (s + 1) & mask) {
		size_t at = c->slots[s];
		if (!at)
			break;
		distinct *d = &c->items[at - 1];
		if (strlen(d->value) == len && !memcmp(d->value, value, len)) {
			d->rows++;
			return 0;
		}
	}
	if (c->count >= max_values) {
		c->other_rows++;
		return 0;
	}
	char *copy = malloc(len + 1);
	if (!copy)
		return parity_error_set(PARITY_ENOMEM, "out of memory");
	memcpy(copy, value, len);
	copy[len] = '\0';
	c->items[c->count] = (distinct){copy, 1};
	for (size_t s = (size_t)hash(value, len) & mask;; s = (s + 1) & mask)
		if (!c->slots[s]) {
			c->slots[s] = ++c->count;
			break;
		}
	return 0;
}

static void reading_free(reading *r)
{
	for (size_t i = 0; i < r->header_count; i++) {
		free(r->header[i]);
		if (!r->columns)
			continue;
		for (size_t j = 0; j < r->columns[i].count; j++)
			free(r->columns[i].items[j].value);
		free(r->columns[i].items);
		free(r->columns[i].slots);
	}
	free(r->header);
	free(r->columns);
	size_t max_values = r->max_values;
	unsigned long header_line = r->header_line;
	memset(r, 0, sizeof *r);
	r->max_values = max_values;
	r->header_line = header_line;
}

static int on_record(void *context, const csvread_record *record)
{
	reading *r = context;
	if (!r->header && record->line < r->header_line) {
		r->title_lines++; /* a report's title above the header */
		return 0;
	}
	if (!r->header) {
		r->header = calloc(record->count ? record->count : 1, sizeof *r->header);
		r->columns = calloc(record->count ? record->count : 1, sizeof *r->columns);
		if (!r->header || !r->columns)
			return parity_error_set(PARITY_ENOMEM, "out of memory");
		for (size_t i = 0; i < record->count; i++) {
			if (!(r->header[i] = strdup(record->fields[i])))
				return parity_error_set(PARITY_ENOMEM, "out of memory");
			r->header_count = i + 1;
		}
		r->header_count = record->count;
		return 0;
	}
	/* Lines ingest skips and counts apart are no rows here either. */
	if (ingest_bare_delimiters(record)) {
		r->empty_rows++;
		return 0;
	}
	if (ingest_is_footer(record, r->header_count)) {
		r->footer_lines++;
		return 0;
	}
	r->rows++;
	if (record->count != r->header_count && !r->ragged_rows++)
		r->first_ragged_line = record->line;
	for (size_t i = 0; i < record->count && i < r->header_count; i++) {
		/* Trimmed as ingest trims: spaces and tabs. */
		const char *s = record->fields[i];
		while (*s == ' ' || *s == '\t')
			s++;
		size_t len = strlen(s);
		while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
			len--;
		int rc = count_value(&r->columns[i], r->max_values, s, len);
		if (rc)
			return rc;
	}
	return 0;
}

/*
 * Read the file into `r`, detecting the encoding when asked: a file that is
 * not valid UTF-8 is read again as Windows-1252 (what Excel on Windows
 * writes). Sets the summary's delimiter and encoding fields.
 */
static int read_file(reading *r, parity_suggest_summary *summary, const char *path,
                     const parity_suggest_options *options)
{
	csvread_options csv;
	csvread_result result;
	suggest_frame frame;
	memset(&csv, 0, sizeof csv);
	csv.delimiter = options->delimiter;
	/* A report's title above the header: the delimiter comes from the
	 * rows, not from the title the reader would otherwise look at. */
	suggest_find_header(&frame, path, options->delimiter);
	r->header_line = frame.header_line;
	if (!csv.delimiter && frame.delimiter)
		csv.delimiter = frame.delimiter;
	csv.windows1252 = options->encoding == PARITY_SUGGEST_ENCODING_WINDOWS1252;
	int rc = csvread_file(&result, path, &csv, on_record, r);
	/* Only an encoding error is worth a second read: csvread says
	 * "invalid UTF-8" for exactly that. */
	if (rc == PARITY_EDATA && options->encoding == PARITY_SUGGEST_ENCODING_DETECT &&
	    strstr(parity_error_last(), "invalid UTF-8")) {
		reading_free(r);
		csv.windows1252 = 1;
		summary->not_utf8 = 1;
		rc = csvread_file(&result, path, &csv, on_record, r);
	}
	if (rc)
		return rc;
	if (!r->header)
		return parity_error_set(PARITY_EDATA, "%s: the file is empty: export it "
		                        "again with its header and rows", path);
	summary->delimiter = result.delimiter;
	summary->windows1252 = csv.windows1252;
	summary->rows_read = r->rows;
	summary->header_line = r->header_line;
	return 0;
}

/* ---- matching the header -------------------------------------------------- */


typedef struct candidate {
	size_t column, header;
	suggest_match how;
	unsigned distance;
} candidate;

static int by_strength(const void *a, const void *b)
{
	const candidate *x = a, *y = b;
	if (x->how != y->how)
		return x->how > y->how ? -1 : 1;
	if (x->distance != y->distance)
		return x->distance < y->distance ? -1 : 1;
	if (x->column != y->column)
		return x->column < y->column ? -1 : 1;
	return x->header < y->header ? -1 : (x->header > y->header);
}

/* Share of a column's rows that the built-in list codes as `canonical`, and
 * how many different stated codes its values hold (*codes): a column of one
 * letter is no evidence. */
static double coded_share(const column_values *c, const char *canonical,
                          size_t *codes)
{
	char code[16], why[8], seen[24][16];
	uint64_t coded = 0;
	*codes = 0;
	if (!c->rows || c->other_rows)
		return 0;
	for (size_t i = 0; i < c->count; i++) {
		if (!c->items[i].value[0] ||
		    suggest_value(code, sizeof code, why, sizeof why, canonical,
		                  c->items[i].value) != VALUE_KNOWN)
			continue;
		coded += c->items[i].rows;
		if (!strcmp(code, "not stated") || !strcmp(code, "not known"))
			continue;
		size_t k = 0;
		while (k < *codes && strcmp(seen[k], code))
			k++;
		if (k == *codes && *codes < 24)
			snprintf(seen[(*codes)++], sizeof seen[0], "%s", code);
	}
	return (double)coded / (double)c->rows;
}

/*
 * Give each canonical column the header that names it best: every pair is
 * scored, and the strongest pairs are taken first (an exact name before a
 * synonym before a near spelling before a telling word), each header used
 * once. Ethnic category and sex, when no header names them, are looked for
 * in the values: a column that the code list reads almost entirely.
 * Returns 0 or PARITY_ENOMEM.
 */
static int match_header(assignment *assigned, size_t column_count,
                        const reading *r)
{
	size_t pairs = column_count * (r->header_count ? r->header_count : 1);
	candidate *list = calloc(pairs, sizeof *list);
	char *used = calloc(r->header_count ? r->header_count : 1, 1);
	size_t count = 0;
	if (!list || !used) {
		free(list);
		free(used);
		return parity_error_set(PARITY_ENOMEM, "out of memory");
	}
	for (size_t c = 0; c < column_count; c++)
		for (size_t h = 0; h < r->header_count; h++) {
			unsigned distance;
			suggest_match how = suggest_header_match(assigned[c].column->name,
			                                         r->header[h], &distance);
			if (how != MATCH_NONE)
				list[count++] = (candidate){c, h, how, distance};
		}
	qsort(list, count, sizeof *list, by_strength);
	for (size_t i = 0; i < count; i++) {
		assignment *a = &assigned[list[i].column];
		if (a->header >= 0 || used[list[i].header])
			continue;
		a->header = (int)list[i].header;
		a->how = list[i].how;
		a->distance = list[i].distance;
		used[list[i].header] = 1;
	}

	/* Sex first: a column of M and F also reads as two ethnic codes. */
	static const char *const by_values[] = {"sex", "ethnic_category"};
	for (size_t v = 0; v < 2; v++)
		for (size_t c = 0; c < column_count; c++) {
			assignment *a = &assigned[c];
			if (a->header >= 0 || strcmp(a->column->name, by_values[v]))
				continue;
			double best = 0.9; /* at least this share of rows coded */
			size_t best_codes = 0;
			for (size_t h = 0; h < r->header_count; h++) {
				size_t codes;
				if (used[h])
					continue;
				double share = coded_share(&r->columns[h], by_values[v], &codes);
				/* The most rows coded; on a tie, the most codes. */
				if (codes >= 2 && (share > best ||
				                   (share == best && codes > best_codes))) {
					best = share;
					best_codes = codes;
					a->header = (int)h;
					a->value_share = share;
				}
			}
			if (a->header >= 0) {
				a->how = MATCH_CONTAINS;
				used[a->header] = 1;
			}
		}
	free(list);
	free(used);
	return 0;
}

int parity_mapping_suggest(parity_suggest_summary *summary, const char *path,
                           const parity_suggest_options *options,
                           const char *mapping_path)
{
	reading r;
	assignment *assigned = NULL;
	util_atomic_file file;
	int file_open = 0, rc;

	memset(&r, 0, sizeof r);
	memset(&file, 0, sizeof file);
	if (!summary || !path || !options)
		return parity_error_set(PARITY_EUSAGE, "parity_mapping_suggest: missing "
		                        "argument");
	memset(summary, 0, sizeof *summary);
	const parity_column *columns = parity_kind_columns(options->kind);
	if (!columns)
		return parity_error_set(PARITY_EUSAGE, "unknown extract kind %d",
		                        (int)options->kind);
	r.max_values = options->max_values ? options->max_values : DEFAULT_MAX_VALUES;

	if ((rc = read_file(&r, summary, path, options)))
		goto done;

	size_t column_count = 0;
	while (columns[column_count].name)
		column_count++;
	assigned = calloc(column_count, sizeof *assigned);
	if (!assigned) {
		rc = parity_error_set(PARITY_ENOMEM, "out of memory");
		goto done;
	}
	for (size_t c = 0; c < column_count; c++) {
		assigned[c].column = &columns[c];
		assigned[c].header = -1;
	}
	if ((rc = match_header(assigned, column_count, &r)))
		goto done;

	draft d = {stdout, &r, assigned, column_count, summary, NULL, {0}};
	if ((rc = suggest_draft_check_dates(&d)))
		goto done;
	if (mapping_path) {
		if ((rc = util_atomic_open(&file, mapping_path, 0600)))
			goto done;
		file_open = 1;
		d.out = file.file;
	}
	if ((rc = suggest_draft_write(&d, path, options)))
		goto done;
	if (file_open) {
		file_open = 0;
		rc = util_atomic_commit(&file);
	} else if (fflush(stdout) != 0 || ferror(stdout)) {
		rc = parity_error_set(PARITY_EIO, "cannot write the draft to standard "
		                      "output");
	}
done:
	if (file_open)
		util_atomic_abort(&file);
	free(assigned);
	reading_free(&r);
	return rc;
}
