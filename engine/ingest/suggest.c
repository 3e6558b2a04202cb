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
#include "suggest_internal.h"
#include "util/util.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_MAX_VALUES 200
#define VALUE_LIMIT 255  /* longer values are counted, not listed */
/* libinih (as Debian builds it) reads lines into a 200-byte buffer and reads
 * the rest of a longer line as a line of its own: every line of the draft,
 * comments included, stays shorter. */
#define LINE_LIMIT 190
#define WRAP_WIDTH 96    /* comment lists wrap here, for people */

/* ---- distinct values --------------------------------------------------- */

typedef struct distinct {
	char *value;    /* trimmed, as ingest sees it */
	uint64_t rows;  /* rows holding it */
} distinct;

/* One column's distinct values, at most `max_values` of them. */
typedef struct column_values {
	distinct *items;     /* first-seen order */
	size_t count;
	size_t *slots;       /* hash index: item index + 1, 0 when empty */
	size_t slot_count;   /* a power of two, at least twice max_values */
	uint64_t rows;       /* rows with this field */
	uint64_t other_rows; /* rows whose value was not kept (past the limit) */
} column_values;

typedef struct reading {
	size_t max_values;
	char **header;            /* copies of the header fields */
	size_t header_count;
	column_values *columns;   /* one per header field */
	uint64_t rows;            /* data rows */
	uint64_t ragged_rows;     /* rows with a different number of fields */
	uint64_t first_ragged_line;
	unsigned long header_line; /* the header's line: lines above are a title */
	uint64_t title_lines;     /* lines above the header */
	uint64_t footer_lines;    /* a report's footer lines (totals, "Report run by") */
	uint64_t empty_rows;      /* rows of bare delimiters */
} reading;

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

typedef struct assignment {
	const parity_column *column; /* canonical column */
	int header;                  /* index in the header, -1 when not found */
	suggest_match how;
	unsigned distance;           /* for MATCH_FUZZY */
	double value_share;          /* > 0: found from its values (this share coded) */
} assignment;

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

/* ---- writing the draft ------------------------------------------------------ */

typedef struct draft {
	FILE *out;
	const reading *r;
	const assignment *assigned;
	size_t column_count;
	parity_suggest_summary *summary;
	const char *date_header;     /* the date column's header, or NULL */
	suggest_dates dates;         /* what its values say */
} draft;

/* Cut `s` to at most `max` bytes without splitting a UTF-8 character. */
static void cut_utf8(char *s, size_t max)
{
	size_t len = strlen(s);
	if (len <= max)
		return;
	while (max > 0 && ((unsigned char)s[max] & 0xc0) == 0x80)
		max--;
	s[max] = '\0';
}

/* Write one line, cut to LINE_LIMIT bytes so that libinih reads it whole. */
static void put_line(draft *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void put_line(draft *d, const char *fmt, ...)
{
	char line[4 * LINE_LIMIT];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	cut_utf8(line, LINE_LIMIT);
	fputs(line, d->out);
	fputc('\n', d->out);
}

/* A value as comments show it: quoted, control characters replaced, long
 * ones shortened; a blank is "(blank)". */
static void shown(char *out, size_t size, const char *value)
{
	char text[80];
	size_t j = 0;
	if (!value[0]) {
		snprintf(out, size, "(blank)");
		return;
	}
	for (const char *p = value; *p && j < 64; p++)
		text[j++] = (unsigned char)*p < 0x20 ? ' ' : *p;
	text[j] = '\0';
	cut_utf8(text, 60);
	snprintf(out, size, "\"%s%s\"", text, strlen(value) > strlen(text) ? "..." : "");
}

/*
 * The value as the name of a mapping line. Mapping files match values on
 * their key (letters and digits only), so the characters INI gives a meaning
 * (= : ; # [ ]) and control characters become spaces without changing what
 * the line matches. A value of punctuation alone becomes "-" (same key).
 */
static void ini_name(char *out, size_t size, const char *value)
{
	size_t j = 0;
	int space = 0;
	for (const char *p = value; *p && j + 2 < size; p++) {
		char c = *p;
		if ((unsigned char)c < 0x20 || strchr("=:;#[]", c))
			c = ' ';
		if (c == ' ') {
			space = j > 0;
			continue;
		}
		if (space)
			out[j++] = ' ';
		space = 0;
		out[j++] = c;
	}
	out[j] = '\0';
	if (!j)
		snprintf(out, size, "-");
}

/* A comment list that wraps: "; Label: a, b, c" then "; d, e". */
typedef struct wrap {
	draft *d;
	char line[LINE_LIMIT + 1];
	size_t used;
	int items;
} wrap;

static void wrap_start(wrap *w, draft *d, const char *label)
{
	w->d = d;
	w->items = 0;
	w->used = (size_t)snprintf(w->line, sizeof w->line, "; %s", label);
}

static void wrap_add(wrap *w, const char *item)
{
	size_t len = strlen(item);
	if (w->items && w->used + len + 2 > WRAP_WIDTH) {
		w->line[w->used] = '\0';
		put_line(w->d, "%s,", w->line);
		w->used = (size_t)snprintf(w->line, sizeof w->line, ";   ");
	} else if (w->items) {
		w->used += (size_t)snprintf(w->line + w->used, sizeof w->line - w->used, ", ");
	}
	if (w->used < sizeof w->line)
		w->used += (size_t)snprintf(w->line + w->used, sizeof w->line - w->used,
		                            "%s", item);
	if (w->used >= sizeof w->line)
		w->used = sizeof w->line - 1;
	w->items++;
}

static void wrap_end(wrap *w)
{
	if (w->items)
		put_line(w->d, "%s", w->line);
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

static const char *delimiter_word(char delimiter)
{
	return delimiter == ';' ? "semicolon" : delimiter == '\t' ? "tab" : "comma";
}

static const char *rows_word(uint64_t rows)
{
	return rows == 1 ? "row" : "rows";
}

static void write_date_format(draft *d);

static void write_settings(draft *d, const parity_suggest_options *options)
{
	const parity_suggest_summary *s = d->summary;
	put_line(d, "[settings]");
	put_line(d, "kind = %s", parity_kind_name(options->kind));
	put_line(d, "delimiter = %s ; %s", delimiter_word(s->delimiter),
	         options->delimiter ? "as given" : "detected from the header");
	if (s->not_utf8) {
		put_line(d, "; The file is not valid UTF-8. It reads as Windows-1252, the "
		         "encoding Excel on Windows");
		put_line(d, "; uses: check that accented letters look right in the values "
		         "below.");
		put_line(d, "encoding = windows-1252 ; CHECK: detected");
	} else {
		put_line(d, "encoding = %s", s->windows1252 ? "windows-1252" : "utf-8");
	}
	if (d->r->header_line > 1)
		put_line(d, "header_line = %lu ; CHECK: the %s above the header %s a "
		         "report title, not data", d->r->header_line,
		         d->r->header_line == 2 ? "line" : "lines",
		         d->r->header_line == 2 ? "holds" : "hold");
	write_date_format(d);
	put_line(d, "unknown_values = error ; or \"not stated\" to count values "
	         "nothing maps as not stated");
	put_line(d, "%s", "");
}

/* Say how a column was matched, for its line's comment. */
static void how_matched(char *out, size_t size, const assignment *a,
                        const char *header)
{
	char show[96];
	shown(show, sizeof show, header);
	if (a->value_share > 0)
		snprintf(out, size, "CHECK: guessed from its values (%.0f%% of rows read "
		         "as %s)", 100.0 * a->value_share, a->column->name);
	else if (a->how == MATCH_EXACT)
		snprintf(out, size, "same name");
	else if (a->how == MATCH_SYNONYM)
		snprintf(out, size, "matched by synonym");
	else if (a->how == MATCH_FUZZY)
		snprintf(out, size, "CHECK: guessed from %s (a near spelling)", show);
	else
		snprintf(out, size, "CHECK: guessed from %s (a word in it)", show);
}

static void list_headers(draft *d, const char *label, const char *skip_used)
{
	wrap w;
	char show[96];
	wrap_start(&w, d, label);
	for (size_t h = 0; h < d->r->header_count; h++) {
		if (skip_used && skip_used[h])
			continue;
		shown(show, sizeof show, d->r->header[h]);
		wrap_add(&w, show);
	}
	wrap_end(&w);
}

static int write_columns(draft *d)
{
	const reading *r = d->r;
	parity_suggest_summary *s = d->summary;
	char *used = calloc(r->header_count ? r->header_count : 1, 1);
	char note[200], name[LINE_LIMIT];
	if (!used)
		return parity_error_set(PARITY_ENOMEM, "out of memory");
	put_line(d, "[columns]");
	put_line(d, "; canonical_name = the column's name in your file");
	for (size_t c = 0; c < d->column_count; c++) {
		const assignment *a = &d->assigned[c];
		const char *canonical = a->column->name;
		if (a->header < 0) {
			if (a->column->need == PARITY_COLUMN_REQUIRED) {
				s->required_missing++;
				put_line(d, "; %s = TODO ; REQUIRED and not found: write the "
				         "column that holds it after '=',", canonical);
				put_line(d, "; then remove the ';' at the start of the line. "
				         "The file's columns are:");
				list_headers(d, "  ", NULL);
			} else if (a->column->need == PARITY_COLUMN_EXPECTED) {
				put_line(d, "; %s = ; not found: every row will count as not "
				         "stated (if the file has it, fill in and remove ';')",
				         canonical);
			} else {
				put_line(d, "; %s = ; optional, not found", canonical);
			}
			continue;
		}
		const char *header = r->header[a->header];
		used[a->header] = 1;
		s->columns_matched++;
		how_matched(note, sizeof note, a, header);
		if (!strncmp(note, "CHECK", 5))
			s->columns_to_check++;
		ini_name(name, sizeof name, header);
		if (strlen(name) + strlen(canonical) + 4 > LINE_LIMIT) {
			put_line(d, "; %s: its column's name is too long for a mapping line: "
			         "rename the column in the extract", canonical);
			continue;
		}
		put_line(d, "%s = %s ; %s", canonical, name, note);
		/* Ingest refuses a header that names one column twice. */
		char key[256], other[256];
		parity_code_key(key, sizeof key, header);
		for (size_t h = 0; h < r->header_count; h++) {
			parity_code_key(other, sizeof other, r->header[h]);
			if ((int)h != a->header && !strcmp(key, other))
				put_line(d, "; WARNING: columns %d and %zu have the same name once "
				         "case and punctuation are ignored: rename one, or ingest "
				         "refuses the file", a->header + 1, h + 1);
		}
	}
	size_t unused = 0;
	for (size_t h = 0; h < r->header_count; h++)
		unused += !used[h];
	if (unused)
		list_headers(d, "Columns in the file that parity does not use: ", used);
	put_line(d, "%s", "");
	free(used);
	return 0;
}

/* One distinct value of a coded column with parity's verdict on it. */
typedef struct judged {
	const char *value;
	uint64_t rows;
	suggest_verdict verdict;
	char code[24];
	char why[160];
	char key[256];
	size_t order; /* first-seen position, to break ties */
	int merged;   /* 1: folded into an earlier value with the same key */
} judged;

static int by_rows(const void *a, const void *b)
{
	const judged *x = a, *y = b;
	if (x->rows != y->rows)
		return x->rows > y->rows ? -1 : 1;
	return x->order < y->order ? -1 : (x->order > y->order);
}

static void write_value_line(draft *d, const judged *j)
{
	char name[VALUE_LIMIT + 8], show[96];
	ini_name(name, sizeof name, j->value);
	if (strlen(name) + 16 > LINE_LIMIT) {
		shown(show, sizeof show, j->value);
		put_line(d, "; %s (%llu %s) is too long for a mapping line: shorten it in "
		         "the extract", show, (unsigned long long)j->rows, rows_word(j->rows));
		return;
	}
	if (j->verdict == VALUE_TODO) {
		d->summary->values_todo++;
		put_line(d, "%s = TODO ; %llu %s: choose a code from the list above%s%s",
		         name, (unsigned long long)j->rows, rows_word(j->rows),
		         j->why[0] ? "; " : "", j->why);
	} else {
		d->summary->values_to_check++;
		put_line(d, "%s = %s ; CHECK: %s; %llu %s", name, j->code, j->why,
		         (unsigned long long)j->rows, rows_word(j->rows));
	}
}

/* The [column] section of a coded column: known values in a comment, then
 * a line for each value that needs one. */
static int write_values(draft *d, const assignment *a)
{
	const char *canonical = a->column->name;
	const column_values *c = &d->r->columns[a->header];
	char show[96], item[160];
	judged *list = calloc(c->count ? c->count : 1, sizeof *list);
	if (!list)
		return parity_error_set(PARITY_ENOMEM, "out of memory");
	size_t lines = 0, known = 0, refused = 0;
	for (size_t i = 0; i < c->count; i++) {
		judged *j = &list[i];
		j->value = c->items[i].value;
		j->rows = c->items[i].rows;
		j->order = i;
		j->verdict = suggest_value(j->code, sizeof j->code, j->why, sizeof j->why,
		                           canonical, j->value);
		parity_code_key(j->key, sizeof j->key, j->value);
	}
	qsort(list, c->count, sizeof *list, by_rows);
	/* Values that share a key share a mapping line: fold them. */
	for (size_t i = 0; i < c->count; i++) {
		judged *j = &list[i];
		if (j->verdict == VALUE_KNOWN) {
			known++;
			continue;
		}
		if (j->verdict == VALUE_REFUSED) {
			refused++;
			continue;
		}
		for (size_t k = 0; k < i; k++)
			if (!list[k].merged && list[k].verdict != VALUE_KNOWN &&
			    list[k].verdict != VALUE_REFUSED && !strcmp(list[k].key, j->key)) {
				list[k].rows += j->rows;
				j->merged = 1;
				break;
			}
		lines += !j->merged;
	}

	shown(show, sizeof show, d->r->header[a->header]);
	put_line(d, "[%s]", canonical);
	put_line(d, "; Column %s: %zu distinct value%s in %llu %s.", show, c->count,
	         c->count == 1 ? "" : "s", (unsigned long long)c->rows, rows_word(c->rows));
	if (known) {
		wrap w;
		wrap_start(&w, d, "Known to parity, no line needed (rows in brackets): ");
		for (size_t i = 0; i < c->count; i++) {
			const judged *j = &list[i];
			if (j->verdict != VALUE_KNOWN)
				continue;
			shown(show, sizeof show, j->value);
			snprintf(item, sizeof item, "%s = %s (%llu)", show, j->code,
			         (unsigned long long)j->rows);
			wrap_add(&w, item);
		}
		wrap_end(&w);
	}
	for (size_t i = 0; i < c->count; i++) {
		const judged *j = &list[i];
		if (j->verdict != VALUE_REFUSED)
			continue;
		shown(show, sizeof show, j->value);
		put_line(d, "; %s on %llu %s: %s", show, (unsigned long long)j->rows,
		         rows_word(j->rows), j->why);
	}
	if (c->other_rows)
		put_line(d, "; Only the first %zu distinct values are listed: %llu more %s "
		         "hold others. Ingest names any value nothing maps.", c->count,
		         (unsigned long long)c->other_rows, rows_word(c->other_rows));
	if (lines) {
		put_line(d, "; Value in your file = code. The codes this column takes:");
		const char *const *codes = suggest_allowed_codes(canonical);
		for (size_t i = 0; codes[i]; i++)
			put_line(d, ";   %s", codes[i]);
	}
	/* TODO lines first: they are what stops the file from ingesting. */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < c->count; i++) {
			const judged *j = &list[i];
			if (j->merged || (pass == 0) != (j->verdict == VALUE_TODO) ||
			    j->verdict == VALUE_KNOWN || j->verdict == VALUE_REFUSED)
				continue;
			write_value_line(d, j);
		}
	put_line(d, "%s", "");
	free(list);
	return 0;
}

/* Free-text columns need no mapping; list their values so that the user
 * sees what will be counted. */
static void write_free_text(draft *d)
{
	static const char *const listed[] = {
		"organisation", "age_band", "pay_band", "staff_group", "contract",
		"grounds", NULL,
	};
	int heading = 0;
	char show[96], item[160], label[200];
	for (size_t c = 0; c < d->column_count; c++) {
		const assignment *a = &d->assigned[c];
		int wanted = 0;
		for (size_t i = 0; listed[i]; i++)
			wanted |= !strcmp(listed[i], a->column->name);
		if (!wanted || a->header < 0)
			continue;
		if (!heading) {
			put_line(d, "; ---- Columns kept as they are (no mapping needed) ----");
			put_line(d, "; To merge spellings, add a section such as [pay_band] "
			         "with lines \"Value = kept value\".");
			heading = 1;
		}
		const column_values *v = &d->r->columns[a->header];
		shown(show, sizeof show, d->r->header[a->header]);
		snprintf(label, sizeof label, "%s (%s), %zu value%s%s: ", a->column->name,
		         show, v->count, v->count == 1 ? "" : "s",
		         v->other_rows ? " listed, more not" : "");
		wrap w;
		wrap_start(&w, d, label);
		for (size_t i = 0; i < v->count; i++) {
			shown(show, sizeof show, v->items[i].value);
			snprintf(item, sizeof item, "%s (%llu)", show,
			         (unsigned long long)v->items[i].rows);
			wrap_add(&w, item);
		}
		wrap_end(&w);
	}
}

/* Check the date column's values (the distinct ones kept: a sample of up
 * to max_values) as ingest will read them, so that a draft never looks
 * finished when ingest would refuse the file's dates. */
static int check_dates(draft *d)
{
	for (size_t c = 0; c < d->column_count; c++) {
		const assignment *a = &d->assigned[c];
		if (a->header < 0 || (strcmp(a->column->name, "date") &&
		                      strcmp(a->column->name, "snapshot_date")))
			continue;
		const column_values *v = &d->r->columns[a->header];
		const char **values = calloc(v->count ? v->count : 1, sizeof *values);
		uint64_t *rows = calloc(v->count ? v->count : 1, sizeof *rows);
		if (!values || !rows) {
			free(values);
			free(rows);
			return parity_error_set(PARITY_ENOMEM, "out of memory");
		}
		for (size_t i = 0; i < v->count; i++) {
			values[i] = v->items[i].value;
			rows[i] = v->items[i].rows;
		}
		suggest_check_dates(&d->dates, values, rows, v->count);
		free(values);
		free(rows);
		d->date_header = d->r->header[a->header];
		d->summary->dates_refused = d->dates.refused_rows;
		break;
	}
	return 0;
}

/* The date_format setting, when the dates say which order they use. */
static void write_date_format(draft *d)
{
	const suggest_dates *s = &d->dates;
	if (!d->date_header)
		return;
	if (s->month_first_rows && !s->day_first_rows)
		put_line(d, "date_format = MM/DD/YYYY ; CHECK: dates such as \"%s\" read "
		         "only month first", s->month_first_example);
	else if (s->month_first_rows)
		put_line(d, "date_format = DD/MM/YYYY ; CHECK: the file mixes day-first "
		         "(\"%s\") and month-first (\"%s\") dates",
		         s->day_first_example, s->month_first_example);
	else if (s->ambiguous_rows && !s->day_first_rows)
		put_line(d, "date_format = DD/MM/YYYY ; CHECK: no date here tells the "
		         "order (all could be either); DD/MM is the UK default");
	/* Only day-first evidence: the default reads them; nothing to say. */
}

/* Notes on lines that are not rows, and on dates ingest will refuse. */
static void write_frame_notes(draft *d)
{
	const reading *r = d->r;
	if (r->footer_lines || r->empty_rows)
		put_line(d, "; Note: %llu report footer line%s (totals, \"Report run by\" "
		         "...) and %llu empty row%s: ingest counts them apart, not as rows.",
		         (unsigned long long)r->footer_lines, r->footer_lines == 1 ? "" : "s",
		         (unsigned long long)r->empty_rows, r->empty_rows == 1 ? "" : "s");
	if (d->dates.refused_rows)
		put_line(d, "; Note: %llu %s of those checked hold a date in '%s' that ingest "
		         "will refuse (such as \"%s\"): fix them, or export dates as "
		         "YYYY-MM-DD, DD/MM/YYYY or 31-MAR-2025.",
		         (unsigned long long)d->dates.refused_rows,
		         rows_word(d->dates.refused_rows), d->date_header,
		         d->dates.refused_example);
}

static int write_draft(draft *d, const char *path, const parity_suggest_options *options)
{
	const parity_suggest_summary *s = d->summary;
	int rc;
	put_line(d, "; Draft mapping for %s (%s), written by 'parity mapping --suggest'.",
	         base_name(path), parity_kind_name(options->kind));
	put_line(d, "; It read %llu %s. To finish it:", (unsigned long long)s->rows_read,
	         rows_word(s->rows_read));
	put_line(d, "; 1. Replace every TODO with a code from the list above it.");
	put_line(d, "; 2. Check every line marked CHECK: parity guessed it.");
	put_line(d, "; 3. Ingest: parity ingest --db DB --map THIS-FILE %s",
	         base_name(path));
	put_line(d, "; A line starting with ';' is a comment; after a space, ';' "
	         "starts a comment too.");
	if (d->r->ragged_rows)
		put_line(d, "; Note: %llu %s (the first on line %llu) %s a different number "
		         "of fields from the header: ingest will refuse them.",
		         (unsigned long long)d->r->ragged_rows, rows_word(d->r->ragged_rows),
		         (unsigned long long)d->r->first_ragged_line,
		         d->r->ragged_rows == 1 ? "has" : "have");
	write_frame_notes(d);
	put_line(d, "%s", "");
	write_settings(d, options);
	if ((rc = write_columns(d)))
		return rc;
	for (size_t c = 0; c < d->column_count; c++) {
		const assignment *a = &d->assigned[c];
		if (!suggest_is_coded(a->column->name))
			continue;
		if (a->header < 0) {
			if (a->column->need == PARITY_COLUMN_REQUIRED)
				put_line(d, "; [%s]: name its column under [columns], then run "
				         "'parity mapping --suggest' again to list its values.",
				         a->column->name);
			continue;
		}
		if ((rc = write_values(d, a)))
			return rc;
	}
	write_free_text(d);
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
	if ((rc = check_dates(&d)))
		goto done;
	if (mapping_path) {
		if ((rc = util_atomic_open(&file, mapping_path, 0600)))
			goto done;
		file_open = 1;
		d.out = file.file;
	}
	if ((rc = write_draft(&d, path, options)))
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
