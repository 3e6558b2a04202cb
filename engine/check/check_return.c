/*
 * check_return.c: checking a whole WRES / WDES return in the tidy form
 * parity return writes (return.csv: standard, indicator, organisation,
 * group, numerator, denominator, value, ci_low, ci_high, suppressed), as a
 * lead may have edited it or keyed it by hand: every percentage against its
 * counts, groups that must add up to their total and percentages to 100,
 * the medical and dental sub-groups to the medical total,
 * differences against the shares they subtract, relative likelihoods
 * against their groups' rates, the Model Employer's shortfall, and
 * impossible figures.
 */
#include "check_internal.h"

#include "csv/csvread.h"
#include "parity/common.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { C_STANDARD, C_INDICATOR, C_ORG, C_GROUP, C_NUMERATOR, C_DENOMINATOR, C_VALUE,
       C_LOW, C_HIGH, C_SUPPRESSED, C_COLUMNS };
static const char *const names[C_COLUMNS] = {
	"standard", "indicator", "organisation", "group", "numerator", "denominator",
	"value", "ci_low", "ci_high", "suppressed",
};

/* One line as read: its text fields and the numbers they hold. */
typedef struct line {
	uint64_t number;
	char standard[8], indicator[64], organisation[64], group[64];
	int has_num, has_den, has_value, has_low, has_high;
	double num, den, value, low, high;
	int decimals;            /* of the value as written */
	int suppressed;
} line;

typedef struct reader {
	parity_check_report *report;
	const char *path;
	int column[C_COLUMNS];
	int header_done;
	line *lines;
	size_t count, capacity;
} reader;

static int add(parity_check_report *report, const line *l, const char *kind,
               const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static int add(parity_check_report *report, const line *l, const char *kind,
               const char *fmt, ...)
{
	if (report->count == report->capacity) {
		size_t cap = report->capacity ? 2 * report->capacity : 16;
		parity_check_problem *grown = realloc(report->problems, cap * sizeof *grown);
		if (!grown)
			return parity_error_set(PARITY_ENOMEM, "out of memory");
		report->problems = grown;
		report->capacity = cap;
	}
	parity_check_problem *p = &report->problems[report->count++];
	memset(p, 0, sizeof *p);
	p->line = l->number;
	snprintf(p->kind, sizeof p->kind, "%s", kind);
	snprintf(p->indicator, sizeof p->indicator, "%s", l->standard);
	snprintf(p->organisation, sizeof p->organisation, "%s", l->organisation);
	char text[300];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	snprintf(p->message, sizeof p->message, "%.63s, %.63s: %.299s", l->indicator,
	         l->group, text);
	return 0;
}

/* A number as written: 1 with *out (and the decimals), 0 when the field is
 * empty or a mark of suppression, -1 when it is not a number. */
static int number(const char *text, double *out, int *decimals)
{
	if (!*text || !strcmp(text, "[c]") || !strcmp(text, "*") || text[0] == '<')
		return 0;
	if (!strcmp(text, "inf")) {
		*out = INFINITY;
		if (decimals)
			*decimals = 0;
		return 1;
	}
	char *end;
	*out = strtod(text, &end);
	if (*end || !isfinite(*out))
		return -1;
	const char *dot = strchr(text, '.');
	if (decimals)
		*decimals = dot ? (int)strlen(dot + 1) : 0;
	return 1;
}

static int on_record(void *context, const csvread_record *record)
{
	reader *r = context;
	if (!r->header_done) {
		for (int c = 0; c < C_COLUMNS; c++) {
			r->column[c] = -1;
			for (size_t i = 0; i < record->count; i++)
				if (!strcmp(record->fields[i], names[c]))
					r->column[c] = (int)i;
			if (r->column[c] < 0)
				return parity_error_set(PARITY_EDATA, "%s: the return has no column "
				                        "'%s' (expected standard, indicator, "
				                        "organisation, group, numerator, denominator, "
				                        "value, ci_low, ci_high, suppressed)", r->path,
				                        names[c]);
		}
		r->header_done = 1;
		return 0;
	}
	r->report->lines++;
	if (r->count == r->capacity) {
		size_t cap = r->capacity ? 2 * r->capacity : 256;
		line *grown = realloc(r->lines, cap * sizeof *grown);
		if (!grown)
			return parity_error_set(PARITY_ENOMEM, "out of memory");
		r->lines = grown;
		r->capacity = cap;
	}
	line *l = &r->lines[r->count];
	memset(l, 0, sizeof *l);
	l->number = record->line;
	const char *f[C_COLUMNS];
	for (int c = 0; c < C_COLUMNS; c++)
		f[c] = (size_t)r->column[c] < record->count ? record->fields[r->column[c]] : "";
	snprintf(l->standard, sizeof l->standard, "%s", f[C_STANDARD]);
	snprintf(l->indicator, sizeof l->indicator, "%s", f[C_INDICATOR]);
	snprintf(l->organisation, sizeof l->organisation, "%s", f[C_ORG]);
	snprintf(l->group, sizeof l->group, "%s", f[C_GROUP]);
	l->suppressed = !strcmp(f[C_SUPPRESSED], "1");
	struct { int column; int *has; double *value; int *decimals; } nums[] = {
		{C_NUMERATOR, &l->has_num, &l->num, NULL},
		{C_DENOMINATOR, &l->has_den, &l->den, NULL},
		{C_VALUE, &l->has_value, &l->value, &l->decimals},
		{C_LOW, &l->has_low, &l->low, NULL},
		{C_HIGH, &l->has_high, &l->high, NULL},
	};
	int rc = 0;
	for (size_t k = 0; k < sizeof nums / sizeof nums[0] && !rc; k++) {
		int got = number(f[nums[k].column], nums[k].value, nums[k].decimals);
		if (got < 0)
			rc = add(r->report, l, "bad_value", "%s \"%.30s\" is not a number",
			         names[nums[k].column], f[nums[k].column]);
		*nums[k].has = got > 0;
	}
	r->count++;
	return rc;
}

/* Half a unit in the last decimal written, and a little for binary. */
static double slack(int decimals)
{
	return 0.5 * pow(10.0, -decimals) + 1e-9;
}

static int is_share(const line *l)
{
	/* WRES 1 / WDES 1, board slices, Model Employer bands, survey groups:
	 * a numerator of a denominator given as a percentage. */
	return l->has_num && l->has_den && !strstr(l->indicator, "difference") &&
	       !strstr(l->indicator, "relative likelihood") &&
	       !strstr(l->indicator, "shortfall") && !strstr(l->indicator, "appointments");
}

static const line *find(const reader *r, const line *like, const char *indicator,
                        const char *group)
{
	for (size_t i = 0; i < r->count; i++) {
		const line *o = &r->lines[i];
		if (!strcmp(o->standard, like->standard) && !strcmp(o->indicator, indicator) &&
		    !strcmp(o->organisation, like->organisation) && !strcmp(o->group, group))
			return o;
	}
	return NULL;
}

static int check_line(reader *r, const line *l)
{
	parity_check_report *rep = r->report;
	int rc = 0;
	if ((l->has_num && l->num < 0) || (l->has_den && l->den < 0))
		return add(rep, l, "negative_count", "a count below zero");
	if (l->has_num && l->has_den && l->num > l->den)
		rc = add(rep, l, "numerator_exceeds_denominator", "%.0f of %.0f: more than "
		         "the whole", l->num, l->den);
	if (!rc && l->suppressed && l->has_value)
		rc = add(rep, l, "shown_when_suppressed", "marked suppressed but a value %g is "
		         "printed", l->value);
	if (!rc && l->has_value && l->has_low && l->has_high &&
	    (l->low > l->value + slack(l->decimals) || l->high < l->value - slack(l->decimals)))
		rc = add(rep, l, "interval_excludes_value", "the interval %g to %g does not hold "
		         "the value %g", l->low, l->high, l->value);
	if (rc || !l->has_value)
		return rc;
	if (is_share(l)) {
		double exact = l->den > 0 ? 100.0 * l->num / l->den : NAN;
		if (l->den == 0)
			rc = add(rep, l, "no_share_exists", "a percentage %g of no one", l->value);
		else if (fabs(l->value - exact) > slack(l->decimals))
			rc = add(rep, l, "percent_mismatch", "%g%% printed, but %.0f of %.0f is "
			         "%.4f%%", l->value, l->num, l->den, exact);
	} else if (!strcmp(l->indicator, "9a") || !strcmp(l->indicator, "WDES9a")) {
		if (l->value < 0 || l->value > 10)
			rc = add(rep, l, "impossible", "an engagement score of %g (it runs from 0 "
			         "to 10)", l->value);
	} else if (!strstr(l->indicator, "relative likelihood") &&
	           !strstr(l->indicator, "shortfall") && !strstr(l->indicator, "appointments") &&
	           !strstr(l->indicator, "difference") && (l->value < 0 || l->value > 100)) {
		rc = add(rep, l, "impossible", "a percentage of %g", l->value);
	}
	return rc;
}

/* Groups of a figure (consecutive lines of one standard, indicator and
 * organisation with counts of one denominator) must add up to it, and
 * their percentages to 100. */
static int check_groups(reader *r, size_t first, size_t n)
{
	const line *l = &r->lines[first];
	if (n < 3 || !l->has_den || l->indicator[0] == 'm') /* Model Employer: BME only */
		return 0;
	double sum = 0, pct = 0, tolerance = 0;
	int all = 1, values = 1;
	for (size_t k = 0; k < n; k++) {
		const line *g = &r->lines[first + k];
		if (!g->has_num || !g->has_den || g->den != l->den)
			all = 0;
		sum += g->num;
		if (!g->has_value)
			values = 0;
		pct += g->value;
		tolerance += slack(g->decimals);
	}
	int rc = 0;
	if (all && sum != l->den)
		rc = add(r->report, l, "groups_do_not_add_up", "the groups add up to %.0f, not "
		         "the total %.0f", sum, l->den);
	if (!rc && values && l->den > 0 && fabs(pct - 100.0) > tolerance)
		rc = add(r->report, l, "percentages_do_not_add_up", "the groups' percentages "
		         "add up to %g, not 100", pct);
	return rc;
}

/* Differences, relative likelihoods and the Model Employer's shortfall
 * against the lines they are computed from. */
static int check_derived(reader *r, const line *l)
{
	if (!l->has_value)
		return 0;
	char base[64];
	const char *mark;
	parity_check_report *rep = r->report;
	if ((mark = strstr(l->indicator, " difference")) && !strstr(l->indicator, "survey")) {
		snprintf(base, sizeof base, "%.*s", (int)(mark - l->indicator), l->indicator);
		const char *slice = mark + strlen(" difference");
		const line *a = NULL, *b = NULL;
		if (*slice == ' ') { /* board: "9 difference voting", group g */
			char from[160], workforce[160];
			snprintf(from, sizeof from, "%s %s", base, slice + 1);
			snprintf(workforce, sizeof workforce, "%s workforce", base);
			a = find(r, l, from, l->group);
			b = find(r, l, workforce, l->group);
		} else { /* survey: "5 difference", group "BME - White" */
			const char *dash = strstr(l->group, " - ");
			if (dash) {
				char g1[64];
				snprintf(g1, sizeof g1, "%.*s", (int)(dash - l->group), l->group);
				a = find(r, l, base, g1);
				b = find(r, l, base, dash + 3);
			}
		}
		if (a && b && a->has_value && b->has_value) {
			double exact = a->value - b->value;
			double tolerance = slack(l->decimals) + slack(a->decimals) + slack(b->decimals);
			if (fabs(l->value - exact) > tolerance)
				return add(rep, l, "difference_mismatch", "%g printed, but %g - %g = %g",
				           l->value, a->value, b->value, exact);
		}
		return 0;
	}
	if ((mark = strstr(l->indicator, " relative likelihood"))) {
		snprintf(base, sizeof base, "%.*s", (int)(mark - l->indicator), l->indicator);
		const char *vs = strstr(l->group, " vs ");
		if (!vs)
			return 0;
		char g1[64];
		snprintf(g1, sizeof g1, "%.*s", (int)(vs - l->group), l->group);
		const line *a = find(r, l, base, g1), *b = find(r, l, base, vs + 4);
		if (a && b && a->has_num && a->has_den && b->has_num && b->has_den &&
		    a->den > 0 && b->den > 0 && b->num > 0) {
			double exact = (a->num / a->den) / (b->num / b->den);
			if (fabs(l->value - exact) > slack(l->decimals))
				return add(rep, l, "mismatch", "ratio %g printed, but (%.0f/%.0f) / "
				           "(%.0f/%.0f) = %.4f", l->value, a->num, a->den, b->num, b->den,
				           exact);
		}
		return 0;
	}
	if (!strncmp(l->indicator, "model employer shortfall ", 25)) {
		snprintf(base, sizeof base, "model employer %s", l->indicator + 25);
		const line *band = find(r, l, base, "BME");
		line like = *l;
		snprintf(like.standard, sizeof like.standard, "WRES");
		const line *w = find(r, &like, "1 workforce", "BME");
		if (band && w && band->has_num && band->has_den && w->has_num && w->has_den &&
		    w->den > 0) {
			double wanted = band->den * w->num / w->den;
			double exact = wanted > band->num ? ceil(wanted - band->num - 1e-9) : 0.0;
			if (fabs(l->value - exact) > 0.5)
				return add(rep, l, "mismatch", "shortfall %g printed, but %.0f x %.0f / "
				           "%.0f - %.0f gives %.0f", l->value, band->den, w->num, w->den,
				           band->num, exact);
		}
	}
	return 0;
}

int check_is_return(const char *path)
{
	char first[128] = "";
	FILE *f = fopen(path, "rb");
	if (!f)
		return 0;
	size_t n = fread(first, 1, sizeof first - 1, f);
	fclose(f);
	first[n] = '\0';
	const char *text = first;
	if (!strncmp(text, "\xEF\xBB\xBF", 3)) /* a byte-order mark */
		text += 3;
	return !strncmp(text, "standard,indicator,organisation,group,", 38);
}

/* WRES 1 / WDES 1's medical and dental sub-groups (consultants, career
 * grades, trainees, other) make up the side's medical and dental staff:
 * group by group, their counts add up to the medical line's, and so do
 * their totals. Checked from the consultants' line of each group. */
static int check_medical(reader *r, const line *l)
{
	static const char *const subgroups[] = {
		"consultants", "non-consultant career grades", "trainee grades", "other",
	};
	const char *mark = strstr(l->indicator, " medical and dental: consultants");
	if (!mark || strncmp(l->indicator, "1 ", 2) || !l->has_num || !l->has_den)
		return 0;
	char medical[64], name[96];
	snprintf(medical, sizeof medical, "%.*s medical and dental",
	         (int)(mark - l->indicator), l->indicator);
	const line *whole = find(r, l, medical, l->group);
	if (!whole || !whole->has_num || !whole->has_den)
		return 0;
	double num = 0, den = 0;
	for (size_t k = 0; k < sizeof subgroups / sizeof subgroups[0]; k++) {
		snprintf(name, sizeof name, "%s: %s", medical, subgroups[k]);
		const line *part = find(r, l, name, l->group);
		if (!part || !part->has_num || !part->has_den)
			return 0; /* hidden or missing: nothing to add */
		num += part->num;
		den += part->den;
	}
	if (num != whole->num)
		return add(r->report, l, "subgroups_do_not_add_up", "the medical and dental "
		           "sub-groups' %s staff add up to %.0f, not the %.0f of line %llu",
		           l->group, num, whole->num, (unsigned long long)whole->number);
	if (den != whole->den)
		return add(r->report, l, "subgroups_do_not_add_up", "the medical and dental "
		           "sub-groups add up to %.0f staff, not the %.0f of line %llu", den,
		           whole->den, (unsigned long long)whole->number);
	return 0;
}

static int by_line(const void *a, const void *b)
{
	const parity_check_problem *x = a, *y = b;
	return x->line < y->line ? -1 : x->line > y->line;
}

int check_return_file(parity_check_report *report, const char *path)
{
	reader r;
	memset(&r, 0, sizeof r);
	report->whole_return = 1;
	r.report = report;
	r.path = path;
	csvread_options options;
	memset(&options, 0, sizeof options);
	int rc = csvread_file(NULL, path, &options, on_record, &r);
	for (size_t i = 0; i < r.count && !rc; i++) {
		const line *l = &r.lines[i];
		for (size_t j = 0; j < i && !rc; j++) {
			const line *o = &r.lines[j];
			if (!strcmp(o->standard, l->standard) && !strcmp(o->indicator, l->indicator) &&
			    !strcmp(o->organisation, l->organisation) && !strcmp(o->group, l->group)) {
				rc = add(report, l, "duplicate", "repeats line %llu",
				         (unsigned long long)o->number);
				break;
			}
		}
		if (!rc)
			rc = check_line(&r, l);
		if (!rc)
			rc = check_derived(&r, l);
		if (!rc)
			rc = check_medical(&r, l);
	}
	for (size_t i = 0; i < r.count && !rc;) {
		size_t n = 1;
		const line *l = &r.lines[i];
		while (i + n < r.count && !strcmp(r.lines[i + n].standard, l->standard) &&
		       !strcmp(r.lines[i + n].indicator, l->indicator) &&
		       !strcmp(r.lines[i + n].organisation, l->organisation))
			n++;
		if (is_share(l))
			rc = check_groups(&r, i, n);
		i += n;
	}
	free(r.lines);
	if (!rc && !r.header_done)
		rc = parity_error_set(PARITY_EDATA, "%s: empty file (expected a header line)",
		                      path);
	/* In file order, as for a submission (a group's problem is on its
	 * first line). */
	if (!rc && report->count > 1)
		qsort(report->problems, report->count, sizeof *report->problems, by_line);
	return rc;
}
