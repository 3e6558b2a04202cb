/*
 * suggest_draft.c: writing the draft mapping file of 'parity mapping
 * --suggest' from what suggest.c read and matched: the settings, the
 * columns (matched, guessed or TODO), each coded column's values, and
 * notes on free text, dates and the file's frame.
 */
#include "suggest_draft.h"

#include "ingest_internal.h"
#include "parity/codes.h"
#include "parity/common.h"
#include "util/util.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* libinih (as Debian builds it) reads lines into a 200-byte buffer and reads
 * the rest of a longer line as a line of its own: every line of the draft,
 * comments included, stays shorter. */
#define LINE_LIMIT 190
#define WRAP_WIDTH 96    /* comment lists wrap here, for people */

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
int suggest_draft_check_dates(draft *d)
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

int suggest_draft_write(draft *d, const char *path,
                        const parity_suggest_options *options)
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
