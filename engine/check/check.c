/*
 * check.c: the submission checker. Reads a WRES-style file of aggregate
 * counts with published ratios, recomputes each ratio from its counts and
 * names every mismatch (beyond rounding to the published decimals) and
 * every impossible figure, with the likely cause: a percentage where a
 * ratio belongs, a ratio built from rounded percentages, groups swapped.
 */
#include "parity/check.h"

#include "check_internal.h"

#include "csv/csvread.h"
#include "parity/analyse.h"
#include "parity/common.h"
#include "parity/period.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	K_INDICATOR, K_ORG, K_PERIOD, K_X1, K_N1, K_X2, K_N2, K_RATIO,
	K_PCT1, K_PCT2, K_COLUMNS
};

static const char *const check_columns[K_COLUMNS] = {
	"indicator", "organisation", "period", "group1_numerator",
	"group1_denominator", "group2_numerator", "group2_denominator",
	"published_ratio", "group1_percent", "group2_percent",
};

#define REQUIRED_COLUMNS K_PCT1

/* A line seen, for duplicates. */
typedef struct seen_line {
	char key[120];
	uint64_t line;
} seen_line;

typedef struct checker {
	const char *path;
	parity_check_report *report;
	int column[K_COLUMNS];
	size_t header_count;
	int header_done;
	seen_line *seen;
	size_t seen_count;
	/* the line being checked */
	uint64_t line;
	const char *field[K_COLUMNS];
	int out_of_memory;    /* a problem could not be recorded */
} checker;

static int problem(checker *c, const char *kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int problem(checker *c, const char *kind, const char *fmt, ...)
{
	parity_check_report *r = c->report;
	if (r->count == r->capacity) {
		size_t capacity = r->capacity ? r->capacity * 2 : 16;
		parity_check_problem *grown = realloc(r->problems, capacity * sizeof *grown);
		if (!grown) {
			c->out_of_memory = 1;
			return parity_error_set(PARITY_ENOMEM, "out of memory");
		}
		r->problems = grown;
		r->capacity = capacity;
	}
	parity_check_problem *p = &r->problems[r->count++];
	memset(p, 0, sizeof *p);
	p->line = c->line;
	snprintf(p->kind, sizeof p->kind, "%s", kind);
	snprintf(p->indicator, sizeof p->indicator, "%s", c->field[K_INDICATOR]);
	snprintf(p->organisation, sizeof p->organisation, "%s", c->field[K_ORG]);
	snprintf(p->period, sizeof p->period, "%s", c->field[K_PERIOD]);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(p->message, sizeof p->message, fmt, ap);
	va_end(ap);
	return 0;
}

/* ---- reading numbers ------------------------------------------------------- */

/* A count: digits, optionally with thousands commas. 0 ok, -1 not a whole
 * number, -2 negative. */
static int parse_count(const char *text, uint64_t *out)
{
	char digits[32];
	size_t n = 0;
	const char *p = text;
	while (isspace((unsigned char)*p))
		p++;
	if (*p == '-')
		return -2;
	if (*p == '+')
		p++;
	for (; *p && !isspace((unsigned char)*p); p++) {
		if (*p == ',')
			continue;
		if (!isdigit((unsigned char)*p) || n + 1 >= sizeof digits)
			return -1;
		digits[n++] = *p;
	}
	while (isspace((unsigned char)*p))
		p++;
	if (*p || !n)
		return -1;
	digits[n] = '\0';
	errno = 0;
	unsigned long long value = strtoull(digits, NULL, 10);
	if (errno)
		return -1;
	*out = value;
	return 0;
}

/* A published figure: a decimal number with an optional "%" after it.
 * Returns 0 with the value, its decimals and whether a % was written; -1
 * when it is not a number; -2 when it is blank. */
static int parse_published(const char *text, double *value, int *decimals, int *percent)
{
	char buf[64];
	snprintf(buf, sizeof buf, "%s", text);
	char *s = buf;
	while (isspace((unsigned char)*s))
		s++;
	size_t len = strlen(s);
	while (len && isspace((unsigned char)s[len - 1]))
		s[--len] = '\0';
	if (!len)
		return -2;
	*percent = 0;
	if (s[len - 1] == '%') {
		*percent = 1;
		s[--len] = '\0';
		while (len && isspace((unsigned char)s[len - 1]))
			s[--len] = '\0';
	}
	if (!len)
		return -1;
	for (size_t i = 0; i < len; i++)
		if (!isdigit((unsigned char)s[i]) && s[i] != '.' && !(i == 0 && s[i] == '-'))
			return -1;
	char *end = NULL;
	errno = 0;
	*value = strtod(s, &end);
	if (errno || *end || end == s)
		return -1;
	const char *dot = strchr(s, '.');
	*decimals = dot ? (int)strlen(dot + 1) : 0;
	return 0;
}

/* Does `value`, written with `decimals` places, agree with `exact` once
 * `exact` is rounded to as many places? */
static int agrees(double value, int decimals, double exact)
{
	if (!isfinite(exact))
		return 0;
	double half = 0.5 * pow(10.0, -decimals);
	return fabs(value - exact) <= half * (1 + 1e-9) + 1e-12;
}

static double round_to(double value, int decimals)
{
	double scale = pow(10.0, decimals);
	return round(value * scale) / scale;
}

/* ---- one line -------------------------------------------------------------- */

/* "1,400" style, for messages. */
static void count_text(char *out, size_t size, uint64_t value)
{
	char digits[32];
	snprintf(digits, sizeof digits, "%llu", (unsigned long long)value);
	size_t len = strlen(digits), used = 0;
	for (size_t i = 0; i < len && used + 2 < size; i++) {
		if (i && (len - i) % 3 == 0)
			out[used++] = ',';
		out[used++] = digits[i];
	}
	out[used] = '\0';
}

/* The counts of the line; returns 1 when all four are usable. */
static int check_counts(checker *c, const parity_indicator_info *info, uint64_t v[4])
{
	static const int fields[4] = {K_X1, K_N1, K_X2, K_N2};
	int usable = 1;
	for (int k = 0; k < 4; k++) {
		const char *text = c->field[fields[k]];
		int rc = parse_count(text, &v[k]);
		if (rc == -2) {
			problem(c, "negative_count", "%s is negative (\"%.40s\"): a count cannot "
			        "be below zero", check_columns[fields[k]], text);
			usable = 0;
		} else if (rc) {
			problem(c, "bad_value", "%s \"%.40s\" is not a whole number",
			        check_columns[fields[k]], text);
			usable = 0;
		}
	}
	if (!usable)
		return 0;
	for (int g = 0; g < 2; g++) {
		uint64_t x = v[g * 2], n = v[g * 2 + 1];
		if (x <= n)
			continue;
		char xs[32], ns[32];
		count_text(xs, sizeof xs, x);
		count_text(ns, sizeof ns, n);
		const char *group = info ? (g ? info->group2 : info->group1)
		                         : (g ? "group 2" : "group 1");
		problem(c, "numerator_exceeds_denominator",
		        "%s: %s %s is greater than %s %s, which cannot be (a transcription "
		        "error?)", group, info ? info->outcome_label : "numerator", xs,
		        info ? info->base_label : "denominator", ns);
		usable = 0;
	}
	return usable;
}

/* The published percentages (optional columns): each against its counts. */
static void check_percentages(checker *c, const uint64_t v[4], double pct[2],
                              int have_pct[2])
{
	static const int fields[2] = {K_PCT1, K_PCT2};
	for (int g = 0; g < 2; g++) {
		have_pct[g] = 0;
		const char *text = c->field[fields[g]];
		double value;
		int decimals, percent;
		int rc = parse_published(text, &value, &decimals, &percent);
		if (rc == -2)
			continue;
		if (rc) {
			problem(c, "bad_value", "%s \"%.40s\" is not a number", check_columns[fields[g]],
			        text);
			continue;
		}
		have_pct[g] = 1;
		pct[g] = value;
		uint64_t x = v[g * 2], n = v[g * 2 + 1];
		if (!n)
			continue;
		double exact = 100.0 * (double)x / (double)n;
		if (!agrees(value, decimals, exact))
			problem(c, "percent_mismatch", "%s %s but %llu of %llu is %.*f%%",
			        check_columns[fields[g]], text, (unsigned long long)x,
			        (unsigned long long)n, decimals + 1, exact);
	}
}

/* The published ratio against the counts, naming the likely cause. */
static void check_ratio(checker *c, const parity_indicator_info *info,
                        const uint64_t v[4])
{
	const char *text = c->field[K_RATIO];
	double value;
	int decimals, percent;
	int rc = parse_published(text, &value, &decimals, &percent);
	double pct[2] = {0, 0};
	int have_pct[2] = {0, 0};
	check_percentages(c, v, pct, have_pct);
	if (rc == -2) {
		problem(c, "missing_ratio", "published_ratio is blank");
		return;
	}
	if (rc) {
		problem(c, "bad_value", "published_ratio \"%.40s\" is not a number", text);
		return;
	}
	if (value < 0) {
		problem(c, "bad_value", "published_ratio %s is negative: a ratio of rates "
		        "cannot be", text);
		return;
	}
	uint64_t x1 = v[0], n1 = v[1], x2 = v[2], n2 = v[3];
	if (!n1 || !n2) {
		problem(c, "no_ratio_exists", "a denominator is 0, so no ratio exists, but "
		        "%s was published", text);
		return;
	}
	if (!x1 && !x2) {
		problem(c, "no_ratio_exists", "neither group has a case, so no ratio exists, "
		        "but %s was published", text);
		return;
	}
	double rate1 = (double)x1 / (double)n1, rate2 = (double)x2 / (double)n2;
	if (!x2) {
		problem(c, "no_ratio_exists", "group 2 has no case, so the ratio is infinite "
		        "(no finite figure is right), but %s was published", text);
		return;
	}
	double exact = rate1 / rate2;
	if (percent) {
		problem(c, "percentage_for_ratio", "published \"%s\": a ratio is not a "
		        "percentage; write %.*f (the counts give %.4f)", text,
		        decimals, exact, exact);
		if (agrees(value, decimals, exact) || agrees(value / 100, decimals + 2, exact))
			return;
	} else if (agrees(value, decimals, exact)) {
		return;
	} else if (value >= 10 && agrees(value / 100, decimals + 2, exact)) {
		problem(c, "percentage_for_ratio", "published %s looks like the ratio %.2f "
		        "written as a percentage (the counts give %.4f)", text, exact, exact);
		return;
	}
	/* Built from rounded percentages: the published ones, else the usual
	 * roundings (whole, 1 and 2 decimal places). */
	if (have_pct[0] && have_pct[1] && pct[1] > 0 && agrees(value, decimals, pct[0] / pct[1]) &&
	    !agrees(value, decimals, exact)) {
		problem(c, "rounded_percentages", "published %s is the ratio of the rounded "
		        "percentages %s%% / %s%% (= %.4f), not of the counts (%.4f): compute "
		        "ratios from counts", text, c->field[K_PCT1], c->field[K_PCT2],
		        pct[0] / pct[1], exact);
		return;
	}
	for (int places = 0; places <= 2; places++) {
		double p1 = round_to(100 * rate1, places), p2 = round_to(100 * rate2, places);
		if (p2 <= 0 || !agrees(value, decimals, p1 / p2))
			continue;
		char x1s[32], n1s[32], x2s[32], n2s[32];
		count_text(x1s, sizeof x1s, x1);
		count_text(n1s, sizeof n1s, n1);
		count_text(x2s, sizeof x2s, x2);
		count_text(n2s, sizeof n2s, n2);
		problem(c, "rounded_percentages", "published %s equals the ratio of the "
		        "rounded percentages %.*f%% / %.*f%% (= %.4f) but not the exact ratio "
		        "%.4f (%s of %s against %s of %s, which rounds to %.*f): compute "
		        "ratios from counts", text, places, p1, places, p2, p1 / p2, exact,
		        x1s, n1s, x2s, n2s, decimals, exact);
		return;
	}
	if (x1 && agrees(value, decimals, 1 / exact)) {
		problem(c, "inverted_ratio", "published %s is the ratio the wrong way round "
		        "(%s over %s gives %.4f; %s puts %s first)", text,
		        info ? info->group2 : "group 2", info ? info->group1 : "group 1",
		        1 / exact, info ? info->code : "the standard",
		        info ? info->group1 : "group 1");
		return;
	}
	problem(c, "mismatch", "published %s but the counts give %.*f (exact %.4f)", text,
	        decimals, round_to(exact, decimals), exact);
}

static int check_line(checker *c, const csvread_record *record)
{
	static const char empty[] = "";
	c->line = record->line;
	/* A short line lacks the later columns: they read as empty (indexing
	 * past record->count read beyond the fields, found by fuzz_check). */
	for (int k = 0; k < K_COLUMNS; k++)
		c->field[k] = c->column[k] >= 0 && (size_t)c->column[k] < record->count
		              ? record->fields[c->column[k]] : empty;
	c->report->lines++;
	if (record->count != c->header_count)
		return problem(c, "bad_line", "%zu fields but the header has %zu",
		               record->count, c->header_count);

	int rc = 0;
	char code[16];
	snprintf(code, sizeof code, "%s", c->field[K_INDICATOR]);
	for (char *p = code; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	const parity_indicator_info *info = parity_indicator_info_find(code);
	if (!info)
		rc = problem(c, "unknown_indicator", "indicator \"%.15s\" is not one of WRES2, "
		             "WRES3, WRES4, WDES2, WDES3", c->field[K_INDICATOR]);
	if (!rc && !c->field[K_ORG][0])
		rc = problem(c, "bad_value", "organisation is blank");
	parity_period period;
	if (!rc && parity_period_parse(&period, c->field[K_PERIOD])) {
		parity_error_clear();
		rc = problem(c, "bad_period", "period \"%.23s\" is not a period (use 2024/25, "
		             "2024, 2024-Q1, 2024-03 or R12-2025-03)", c->field[K_PERIOD]);
	}
	if (rc)
		return rc;

	char key[120];
	snprintf(key, sizeof key, "%s\x1f%.63s\x1f%.23s", code, c->field[K_ORG],
	         c->field[K_PERIOD]);
	for (size_t i = 0; i < c->seen_count; i++)
		if (!strcmp(c->seen[i].key, key))
			return problem(c, "duplicate", "the same indicator, organisation and "
			               "period as line %llu",
			               (unsigned long long)c->seen[i].line);
	seen_line *grown = realloc(c->seen, (c->seen_count + 1) * sizeof *grown);
	if (!grown)
		return parity_error_set(PARITY_ENOMEM, "out of memory");
	c->seen = grown;
	snprintf(c->seen[c->seen_count].key, sizeof c->seen[0].key, "%s", key);
	c->seen[c->seen_count++].line = record->line;

	uint64_t v[4];
	if (check_counts(c, info, v))
		check_ratio(c, info, v);
	return c->out_of_memory ? PARITY_ENOMEM : 0;
}

static int on_record(void *context, const csvread_record *record)
{
	checker *c = context;
	if (c->header_done) {
		if (record->count == 1 && !record->fields[0][0])
			return 0; /* a blank line */
		return check_line(c, record);
	}
	for (int k = 0; k < K_COLUMNS; k++)
		c->column[k] = -1;
	for (size_t i = 0; i < record->count; i++) {
		char name[64];
		size_t n = 0;
		for (const char *p = record->fields[i]; *p && n + 1 < sizeof name; p++)
			if (!isspace((unsigned char)*p))
				name[n++] = (char)tolower((unsigned char)*p);
		name[n] = '\0';
		for (int k = 0; k < K_COLUMNS; k++)
			if (!strcmp(name, check_columns[k]))
				c->column[k] = (int)i;
	}
	for (int k = 0; k < REQUIRED_COLUMNS; k++)
		if (c->column[k] < 0)
			return parity_error_set(PARITY_EDATA,
			                        "%s:%llu: missing column '%s' (the header is "
			                        "indicator,organisation,period,group1_numerator,"
			                        "group1_denominator,group2_numerator,"
			                        "group2_denominator,published_ratio)", c->path,
			                        (unsigned long long)record->line, check_columns[k]);
	c->header_count = record->count;
	c->header_done = 1;
	return 0;
}

int parity_check_file(parity_check_report **out, const char *path)
{
	checker c;
	*out = NULL;
	if (!path || !*path)
		return parity_error_set(PARITY_EUSAGE, "no submission file given");
	memset(&c, 0, sizeof c);
	c.path = path;
	c.report = calloc(1, sizeof *c.report);
	if (!c.report)
		return parity_error_set(PARITY_ENOMEM, "out of memory");
	if (check_is_return(path)) { /* a whole return (parity return's return.csv) */
		int rc = check_return_file(c.report, path);
		if (rc) {
			parity_check_report_free(c.report);
			return rc;
		}
		*out = c.report;
		return 0;
	}
	csvread_options options;
	memset(&options, 0, sizeof options);
	int rc = csvread_file(NULL, path, &options, on_record, &c);
	if (!rc && !c.header_done)
		rc = parity_error_set(PARITY_EDATA, "%s: empty file (expected a header line)",
		                      path);
	free(c.seen);
	if (rc) {
		parity_check_report_free(c.report);
		return rc;
	}
	*out = c.report;
	return 0;
}

void parity_check_report_free(parity_check_report *report)
{
	if (!report)
		return;
	free(report->problems);
	free(report);
}
