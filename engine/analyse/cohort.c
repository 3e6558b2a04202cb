/*
 * cohort.c: mentoring cohorts: reading and checking the cohort file, and
 * for each cohort and standard indicator the ratio before against after
 * (pooled over the cohort's organisations), the same for the comparator
 * organisations, and the difference-in-differences between the two.
 */
#include "analyse_internal.h"

#include "csv/csvread.h"
#include "parity/common.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
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

int parity_cohorts_load(parity_cohorts **out, const char *path, parity_store *store)
{
	reader r;
	int rc;
	*out = NULL;
	if (!path || !*path)
		return parity_error_set(PARITY_EUSAGE, "no cohort file given");
	memset(&r, 0, sizeof r);
	r.path = path;
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

/* ---- evaluation -------------------------------------------------------------- */

static int in_cohort(const parity_cohort *c, const char *org)
{
	for (size_t i = 0; i < c->organisation_count; i++)
		if (!strcmp(c->organisations[i], org))
			return 1;
	return 0;
}

/* Is `org` a comparator for cohort `c` whose analysis spans months
 * first..last: in no cohort whose programme overlaps that span? */
static int is_comparator(const parity_cohorts *all, const parity_cohort *c,
                         const char *org, int first, int last)
{
	if (in_cohort(c, org))
		return 0;
	for (size_t i = 0; i < all->count; i++) {
		const parity_cohort *d = &all->items[i];
		int start = parity_date_month_index(&d->start);
		int end = parity_date_month_index(&d->end);
		if (start <= last && end >= first && in_cohort(d, org))
			return 0;
	}
	return 1;
}

/* Is `item` one of the entries of the ';'-separated `list`? */
static int list_has(const char *list, const char *item)
{
	size_t len = strlen(item);
	for (const char *p = list; *p;) {
		size_t span = strcspn(p, ";");
		if (span == len && !strncmp(p, item, len))
			return 1;
		p += span;
		if (*p)
			p++;
	}
	return 0;
}

static void append(char *out, size_t size, const char *text)
{
	size_t used = strlen(out);
	if (used + strlen(text) + 2 > size)
		return;
	snprintf(out + used, size - used, "%s%s", used ? ";" : "", text);
}

static void window_label(char *out, size_t size, int first, int last)
{
	char a[8], b[8];
	parity_month_label(a, first);
	parity_month_label(b, last);
	snprintf(out, size, "%s to %s", a, b);
}

/* Counts of one arm in one window: the organisation sums that `want`
 * selects, Mantel-Haenszel pooled; their total into `total`. */
static int pool_arm(parity_pooled *pool, parity_stratum *total, const group_sum *sums,
                    size_t n, const int *want, double level)
{
	parity_stratum *strata = calloc(n ? n : 1, sizeof *strata);
	size_t used = 0;
	if (!strata)
		return parity_error_set(PARITY_ENOMEM, "out of memory");
	memset(total, 0, sizeof *total);
	for (size_t i = 0; i < n; i++) {
		const parity_stratum *c = &sums[i].counts;
		if (!want[i] || c->x1 > c->n1 || c->x2 > c->n2)
			continue;
		strata[used++] = *c;
		total->x1 += c->x1;
		total->n1 += c->n1;
		total->x2 += c->x2;
		total->n2 += c->n2;
	}
	int rc = parity_pool_mh(pool, strata, used, level);
	free(strata);
	return rc;
}

static int usable(const parity_pooled *p)
{
	return p->estimable && p->ratio > 0 && !isinf(p->ratio) && p->ci_low > 0 &&
	       !isinf(p->ci_high);
}

/* improved / worsened / no detectable change, oriented by which side of 1
 * the ratio started on: moving toward 1 is an improvement. */
static const char *verdict_for(double before, const parity_change *ch)
{
	if (!ch->estimable)
		return "no estimate";
	int below = ch->ci_high < 1, above = ch->ci_low > 1;
	if (before > 1)
		return below ? "improved" : above ? "worsened" : "no detectable change";
	if (before < 1)
		return above ? "improved" : below ? "worsened" : "no detectable change";
	return below || above ? "worsened" : "no detectable change";
}

static void p_text(char *out, size_t size, double p)
{
	if (p < 0.001)
		snprintf(out, size, "p < 0.001");
	else
		snprintf(out, size, "p = %.3f", p);
}

/* The sentence for a cohort or comparator arm. */
static void arm_statement(parity_cohort_result *res, const char *who)
{
	char p[24];
	int pct = (int)lround(res->before.level * 100);
	if (strcmp(res->verdict, "no estimate") == 0) {
		snprintf(res->statement, sizeof res->statement,
		         "%.160s, %s: no estimate of change (%s).", who, res->indicator,
		         res->note[0] ? res->note : "too few cases");
		return;
	}
	p_text(p, sizeof p, res->change.p);
	snprintf(res->statement, sizeof res->statement,
	         "%.160s, %s: the ratio went from %.2f (%d%% CI %.2f to %.2f) in %s to "
	         "%.2f (%.2f to %.2f) in %s; ratio of ratios %.2f (%d%% CI %.2f to "
	         "%.2f), %s: %s.", who, res->indicator, res->before.ratio, pct,
	         res->before.ci_low, res->before.ci_high, res->before_window,
	         res->after.ratio, res->after.ci_low, res->after.ci_high,
	         res->after_window, res->change.ratio, pct, res->change.ci_low,
	         res->change.ci_high, p, res->verdict);
}

/* Fill the change and verdict of an arm from its before and after pools. */
static int arm_change(parity_cohort_result *res, double level)
{
	memset(&res->change, 0, sizeof res->change);
	if (!usable(&res->before) || !usable(&res->after)) {
		snprintf(res->verdict, sizeof res->verdict, "no estimate");
		if (!res->note[0])
			snprintf(res->note, sizeof res->note, "no finite pooled ratio %s",
			         !usable(&res->before) ? "before" : "after");
		return 0;
	}
	parity_ratio_ci after = {res->after.ratio, res->after.ci_low, res->after.ci_high,
	                         res->after.level};
	parity_ratio_ci before = {res->before.ratio, res->before.ci_low,
	                          res->before.ci_high, res->before.level};
	int rc = parity_change_from_ci(&res->change, &after, &before, level);
	if (rc)
		return rc;
	snprintf(res->verdict, sizeof res->verdict, "%s",
	         verdict_for(res->before.ratio, &res->change));
	/* Moving past 1 to the other side is not what "toward 1" means. */
	if ((res->before.ratio > 1 && res->after.ci_high < 1) ||
	    (res->before.ratio < 1 && res->after.ci_low > 1))
		snprintf(res->note + strlen(res->note), sizeof res->note - strlen(res->note),
		         "%sthe after ratio lies wholly on the other side of 1: the gap "
		         "reversed rather than closed", res->note[0] ? "; " : "");
	return 0;
}

/* Everything one cohort's evaluation shares across indicators. */
typedef struct cohort_run {
	parity_results *results;
	const parity_analyse_options *options;
	const parity_cohort *cohort;
	int before_first, before_last, after_first, after_last;
	char cohort_orgs[512];
} cohort_run;

static parity_cohort_result *result_add(parity_results *results)
{
	if (results->cohort_count == results->cohort_capacity) {
		size_t capacity = results->cohort_capacity ? results->cohort_capacity * 2 : 8;
		parity_cohort_result *grown = realloc(results->cohorts,
		                                      capacity * sizeof *grown);
		if (!grown) {
			parity_error_set(PARITY_ENOMEM, "out of memory");
			return NULL;
		}
		results->cohorts = grown;
		results->cohort_capacity = capacity;
	}
	parity_cohort_result *res = &results->cohorts[results->cohort_count++];
	memset(res, 0, sizeof *res);
	return res;
}

static parity_cohort_result *arm_result(cohort_run *run,
                                        const parity_indicator_info *info,
                                        const char *arm, const char *orgs)
{
	parity_cohort_result *res = result_add(run->results);
	if (!res)
		return NULL;
	snprintf(res->cohort_id, sizeof res->cohort_id, "%s", run->cohort->id);
	snprintf(res->cohort_name, sizeof res->cohort_name, "%s", run->cohort->name);
	snprintf(res->indicator, sizeof res->indicator, "%s", info->code);
	snprintf(res->arm, sizeof res->arm, "%s", arm);
	snprintf(res->organisations, sizeof res->organisations, "%s", orgs);
	window_label(res->before_window, sizeof res->before_window, run->before_first,
	             run->before_last);
	window_label(res->after_window, sizeof res->after_window, run->after_first,
	             run->after_last);
	res->before_first_month = run->before_first;
	res->before_last_month = run->before_last;
	res->after_first_month = run->after_first;
	res->after_last_month = run->after_last;
	return res;
}

/* Which organisation sums belong to an arm: 1 for cohort members, or for
 * comparators. Also lists the arm's organisations (those with data). */
static int *arm_members(const group_sum *sums, size_t n, const strpool *strings,
                        const parity_cohorts *all, const cohort_run *run,
                        int comparators, char *names, size_t names_size)
{
	int *want = calloc(n ? n : 1, sizeof *want);
	if (!want) {
		parity_error_set(PARITY_ENOMEM, "out of memory");
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		const char *org = strpool_get(strings, sums[i].key);
		want[i] = comparators ? is_comparator(all, run->cohort, org, run->before_first,
		                                      run->after_last)
		                      : in_cohort(run->cohort, org);
		if (want[i] && !list_has(names, org))
			append(names, names_size, org);
	}
	return want;
}

/* One indicator for one cohort: the cohort arm, the comparators and the
 * difference-in-differences. */
static int cohort_indicator(cohort_run *run, const parity_indicator_info *info,
                            const tally *before, const tally *after,
                            const char *coverage_note, int fatal)
{
	group_sum *sb = NULL, *sa = NULL;
	size_t nb = 0, na = 0;
	int *wb = NULL, *wa = NULL;
	grouping g;
	double level = run->options->settings.level;
	int rc;
	parity_cohort_result *arms[2] = {NULL, NULL};
	size_t arm_index[2];
	grouping_standard(&g, info);
	if ((rc = tally_sum(&sb, &nb, before, &g, D_ORG, run->options->include_bank)) ||
	    (rc = tally_sum(&sa, &na, after, &g, D_ORG, run->options->include_bank)))
		goto done;
	for (int comparators = 0; comparators < 2; comparators++) {
		char names[512] = "";
		free(wb);
		free(wa);
		wb = arm_members(sb, nb, before->pool, run->options->cohorts, run,
		                 comparators, names, sizeof names);
		wa = arm_members(sa, na, after->pool, run->options->cohorts, run, comparators,
		                 names, sizeof names);
		if (!wb || !wa) {
			rc = PARITY_ENOMEM;
			goto done;
		}
		parity_cohort_result *res = arm_result(run, info,
		                                       comparators ? "comparators" : "cohort",
		                                       names);
		if (!res) {
			rc = PARITY_ENOMEM;
			goto done;
		}
		arm_index[comparators] = run->results->cohort_count - 1;
		if ((rc = pool_arm(&res->before, &res->before_counts, sb, nb, wb, level)) ||
		    (rc = pool_arm(&res->after, &res->after_counts, sa, na, wa, level)))
			goto done;
		if (coverage_note)
			snprintf(res->note, sizeof res->note, "%s", coverage_note);
		if (coverage_note && fatal) {
			snprintf(res->verdict, sizeof res->verdict, "no estimate");
		} else if (!names[0]) {
			snprintf(res->note, sizeof res->note, "%s", comparators
			         ? "no comparator organisations (every organisation is in an "
			           "overlapping cohort, or one organisation was analysed)"
			         : "none of the cohort's organisations has data");
			snprintf(res->verdict, sizeof res->verdict, "no estimate");
		} else if ((rc = arm_change(res, level))) {
			goto done;
		}
		char who[600], shown[600];
		size_t used = 0;
		for (const char *p = names; *p && used + 3 < sizeof shown; p++) {
			if (*p == ';') {
				shown[used++] = ',';
				shown[used++] = ' ';
			} else {
				shown[used++] = *p;
			}
		}
		shown[used] = '\0';
		if (comparators)
			snprintf(who, sizeof who, "Comparators (%.500s)", shown);
		else
			snprintf(who, sizeof who, "Cohort %s (%.500s)", run->cohort->id, shown);
		arm_statement(res, who);
	}
	parity_cohort_result *did = arm_result(run, info, "difference", "");
	if (!did) {
		rc = PARITY_ENOMEM;
		goto done;
	}
	/* Pointers only now: result_add may have moved the array. */
	arms[0] = &run->results->cohorts[arm_index[0]];
	arms[1] = &run->results->cohorts[arm_index[1]];
	if (!arms[0]->change.estimable || !arms[1]->change.estimable) {
		snprintf(did->verdict, sizeof did->verdict, "no estimate");
		snprintf(did->note, sizeof did->note, "needs a ratio of ratios for both the "
		         "cohort and the comparators");
		snprintf(did->statement, sizeof did->statement,
		         "Cohort %s against the comparators, %s: no estimate (%s).",
		         run->cohort->id, info->code, did->note);
		goto done;
	}
	parity_ratio_ci first = {arms[0]->change.ratio, arms[0]->change.ci_low,
	                         arms[0]->change.ci_high, level};
	parity_ratio_ci second = {arms[1]->change.ratio, arms[1]->change.ci_low,
	                          arms[1]->change.ci_high, level};
	if ((rc = parity_change_from_ci(&did->change, &first, &second, level)))
		goto done;
	snprintf(did->verdict, sizeof did->verdict, "%s",
	         verdict_for(arms[0]->before.ratio, &did->change));
	char p[24];
	p_text(p, sizeof p, did->change.p);
	snprintf(did->statement, sizeof did->statement,
	         "Cohort %s against the comparators, %s: the cohort's ratio of ratios "
	         "was %.2f times the comparators' (difference-in-differences, %d%% CI "
	         "%.2f to %.2f), %s: %s relative to the comparators.", run->cohort->id,
	         info->code, did->change.ratio, (int)lround(level * 100),
	         did->change.ci_low, did->change.ci_high, p, did->verdict);
done:
	free(sb);
	free(sa);
	free(wb);
	free(wa);
	return rc;
}

static measure measure_named(const char *name)
{
	for (int m = 0; m < M_COUNT; m++)
		if (!strcmp(measure_get((measure)m)->name, name))
			return (measure)m;
	return M_APPOINTMENT;
}

/* Why the windows cannot be measured for `m` (*fatal 1), or a caution
 * when the data covers a window only in part (*fatal 0); NULL when the data
 * covers both. */
static const char *coverage(char *buf, size_t size, parity_store *store, measure m,
                            const cohort_run *run, int *fatal, int *error)
{
	int first = 0, last = 0;
	int rc = tally_span(store, m, run->options->organisation, &first, &last);
	*error = rc < 0 ? rc : 0;
	*fatal = 0;
	if (rc < 0)
		return NULL;
	*fatal = 1;
	if (rc == 1) {
		snprintf(buf, size, "no %s data", measure_get(m)->name);
		return buf;
	}
	char from[8], to[8];
	parity_month_label(from, first);
	parity_month_label(to, last);
	if (run->before_last < first) {
		snprintf(buf, size, "the before window ends before the %s data starts (%s)",
		         measure_get(m)->name, from);
		return buf;
	}
	if (run->after_first > last) {
		snprintf(buf, size, "the after window starts after the %s data ends (%s)",
		         measure_get(m)->name, to);
		return buf;
	}
	*fatal = 0;
	if (run->before_first < first || run->after_last > last) {
		snprintf(buf, size, "the %s data (%s to %s) covers the %s window only in part",
		         measure_get(m)->name, from, to,
		         run->before_first < first ? "before" : "after");
		return buf;
	}
	return NULL;
}

static int one_cohort(parity_results *results, parity_store *store, strpool *pool,
                      const parity_analyse_options *options, const parity_cohort *c)
{
	cohort_run run;
	parity_period stretches[12];
	tally before[M_COUNT], after[M_COUNT];
	char notes[M_COUNT][160];
	const char *note[M_COUNT];
	int fatal[M_COUNT];
	int rc = 0;
	int window = (int)options->cohort_window_months;
	memset(&run, 0, sizeof run);
	memset(before, 0, sizeof before);
	memset(after, 0, sizeof after);
	run.results = results;
	run.options = options;
	run.cohort = c;
	run.before_last = parity_date_month_index(&c->start) - 1;
	run.before_first = run.before_last - window + 1;
	run.after_first = parity_date_month_index(&c->end) + 1;
	run.after_last = run.after_first + window - 1;

	/* Both windows of every measure, then the indicators in their order. */
	for (int m = 0; m < M_COUNT && !rc; m++) {
		note[m] = NULL;
		fatal[m] = 0;
		if (!measure_indicated((measure)m))
			continue; /* compared only: no cohort arm uses it */
		note[m] = coverage(notes[m], sizeof notes[m], store, (measure)m, &run,
		                   &fatal[m], &rc);
		if (rc)
			break;
		size_t nb = window_stretches(stretches, 12, run.before_first, run.before_last);
		if ((rc = tally_load(&before[m], store, pool, (measure)m, stretches, nb,
		                     options->organisation)))
			break;
		size_t na = window_stretches(stretches, 12, run.after_first, run.after_last);
		rc = tally_load(&after[m], store, pool, (measure)m, stretches, na,
		                options->organisation);
	}
	for (size_t i = 0; parity_indicator_info_at(i) && !rc; i++) {
		const parity_indicator_info *info = parity_indicator_info_at(i);
		measure m = measure_named(info->measure);
		rc = cohort_indicator(&run, info, &before[m], &after[m], note[m], fatal[m]);
	}
	for (int m = 0; m < M_COUNT; m++) {
		tally_free(&before[m]);
		tally_free(&after[m]);
	}
	return rc;
}

int cohorts_evaluate(parity_results *results, parity_store *store, strpool *pool,
                     const parity_analyse_options *options)
{
	const parity_cohorts *cohorts = options->cohorts;
	int rc = 0;
	free(results->marks);
	results->marks = calloc(cohorts->count ? cohorts->count : 1,
	                        sizeof *results->marks);
	if (!results->marks)
		return parity_error_set(PARITY_ENOMEM, "out of memory");
	results->mark_count = cohorts->count;
	for (size_t i = 0; i < cohorts->count; i++) {
		const parity_cohort *c = &cohorts->items[i];
		parity_cohort_mark *mark = &results->marks[i];
		snprintf(mark->cohort_id, sizeof mark->cohort_id, "%s", c->id);
		snprintf(mark->name, sizeof mark->name, "%s", c->name);
		for (size_t k = 0; k < c->organisation_count; k++)
			append(mark->organisations, sizeof mark->organisations,
			       c->organisations[k]);
		mark->start_month = parity_date_month_index(&c->start);
		mark->end_month = parity_date_month_index(&c->end);
		snprintf(mark->start_date, sizeof mark->start_date, "%04d-%02d-%02d",
		         c->start.year % 10000, c->start.month % 100, c->start.day % 100);
		snprintf(mark->end_date, sizeof mark->end_date, "%04d-%02d-%02d",
		         c->end.year % 10000, c->end.month % 100, c->end.day % 100);
	}
	for (size_t i = 0; i < cohorts->count && !rc; i++)
		rc = one_cohort(results, store, pool, options, &cohorts->items[i]);
	return rc;
}

void cohorts_mark_trend(parity_results *results)
{
	for (size_t i = 0; i < results->trend_count; i++) {
		parity_result_row *row = &results->trend[i];
		parity_period year;
		row->cohorts[0] = '\0';
		if (parity_period_parse(&year, row->period)) {
			parity_error_clear();
			continue;
		}
		int org_row = !strcmp(row->stratum_kind, "organisation") && !row->pooled;
		int single = !strcmp(row->stratum_kind, "overall") &&
		             strcmp(row->stratum, "All organisations");
		for (size_t k = 0; k < results->mark_count; k++) {
			const parity_cohort_mark *mark = &results->marks[k];
			if ((org_row || single) && !list_has(mark->organisations, row->stratum))
				continue;
			const char *phase = year.last_month < mark->start_month ? "before"
			                    : year.first_month > mark->end_month ? "after"
			                                                         : "during";
			char item[96];
			snprintf(item, sizeof item, "%s:%s", mark->cohort_id, phase);
			append(row->cohorts, sizeof row->cohorts, item);
		}
	}
}
