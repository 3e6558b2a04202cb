/*
 * results_programme.c: writing a programme's event study (programme.c) as
 * programme.csv and programme.json beside the results: one row per
 * indicator and term, raw counts (the internal output, like results.csv).
 */
#include "parity/analyse.h"

#include "csv/csvread.h"
#include "parity/common.h"
#include "util/util.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define PROGRAMME_MARK "internal"
#define PROGRAMME_NOTE "internal: every count unsuppressed; not for publication " \
	"(publish the board report, its charts and report-tables.csv)"

/* ",value": %.15g (enough for a ratio; "inf" for infinity), empty for NaN. */
static void next_number(FILE *out, double value)
{
	fputc(',', out);
	if (isnan(value))
		return;
	if (isinf(value))
		fputs(value > 0 ? "inf" : "-inf", out);
	else
		fprintf(out, "%.15g", value);
}

static void next_u64(FILE *out, uint64_t value)
{
	fprintf(out, ",%llu", (unsigned long long)value);
}

static void next_text(FILE *out, const char *text)
{
	fputc(',', out);
	csvread_write_text(out, text);
}

static const char programme_header[] =
	"indicator,term,estimable,estimate,ci_low,ci_high,p,level,se_log,statistic,"
	"df,mde_low,mde_high,variance,organisations,treated_organisations,"
	"comparisons,x1,n1,x2,n2,smallest_count,years,note,publication\n";

/* Row i's publication text: what the published set decided, or only
 * "internal" without one. */
static const char *publication_of(const char *const *publication, size_t i)
{
	return publication && publication[i] ? publication[i] : PROGRAMME_MARK;
}

int parity_results_write_programme_csv(const parity_results *results, const char *path)
{
	return parity_results_write_programme_csv_as(results, NULL, path);
}

int parity_results_write_programme_json(const parity_results *results, const char *path)
{
	return parity_results_write_programme_json_as(results, NULL, path);
}

int parity_results_write_programme_csv_as(const parity_results *results,
                                          const char *const *publication,
                                          const char *path)
{
	util_atomic_file file;
	int rc = util_atomic_open(&file, path, 0600);
	if (rc)
		return rc;
	FILE *out = file.file;
	fputs(programme_header, out);
	for (size_t i = 0; i < results->programme_count; i++) {
		const parity_programme_row *r = &results->programme[i];
		csvread_write_text(out, r->indicator);
		next_text(out, r->term);
		next_u64(out, (uint64_t)r->estimable);
		next_number(out, r->estimate);
		next_number(out, r->ci_low);
		next_number(out, r->ci_high);
		next_number(out, r->p);
		next_number(out, results->settings.level);
		next_number(out, r->log_se);
		next_number(out, r->statistic);
		if (r->df)
			next_u64(out, r->df);
		else
			fputc(',', out);
		next_number(out, r->mde_low);
		next_number(out, r->mde_high);
		next_text(out, r->variance);
		next_u64(out, r->organisations);
		next_u64(out, r->treated);
		next_u64(out, r->comparisons);
		next_u64(out, r->counts.x1);
		next_u64(out, r->counts.n1);
		next_u64(out, r->counts.x2);
		next_u64(out, r->counts.n2);
		next_u64(out, r->smallest);
		next_text(out, results->programme_years);
		next_text(out, r->note);
		next_text(out, publication_of(publication, i));
		fputc('\n', out);
	}
	return util_atomic_commit(&file);
}

static void field_name(FILE *out, const char *name)
{
	fprintf(out, "\"%s\": ", name);
}

static void field_text(FILE *out, const char *name, const char *value, int comma)
{
	field_name(out, name);
	parity_json_string(out, value);
	fputs(comma ? ", " : "", out);
}

static void field_double(FILE *out, const char *name, double value, int comma)
{
	field_name(out, name);
	parity_json_double(out, value);
	fputs(comma ? ", " : "", out);
}

static void field_u64(FILE *out, const char *name, uint64_t value, int comma)
{
	field_name(out, name);
	fprintf(out, "%llu%s", (unsigned long long)value, comma ? ", " : "");
}

int parity_results_write_programme_json_as(const parity_results *results,
                                           const char *const *publication,
                                           const char *path)
{
	util_atomic_file file;
	int rc = util_atomic_open(&file, path, 0600);
	if (rc)
		return rc;
	FILE *out = file.file;
	fputs("{\n  ", out);
	field_text(out, "publication", PROGRAMME_NOTE, 1);
	field_text(out, "engine_version", parity_version(), 1);
	field_text(out, "years", results->programme_years, 1);
	field_double(out, "level", results->settings.level, 1);
	field_text(out, "method", "staggered difference-in-differences (Callaway & "
	           "Sant'Anna 2021) on the Mantel-Haenszel log ratio by financial year; "
	           "see docs/programme.md", 1);
	fputs("\n  \"cohorts\": [", out);
	for (size_t i = 0; i < results->programme_cohort_count; i++) {
		const parity_programme_cohort *c = &results->programme_cohorts[i];
		fputs(i ? ",\n    {" : "\n    {", out);
		field_text(out, "cohort_id", c->cohort_id, 1);
		field_text(out, "name", c->name, 1);
		field_text(out, "organisations", c->organisations, 1);
		field_text(out, "joining", c->joiners, 1);
		field_text(out, "start_date", c->start_date, 1);
		field_text(out, "end_date", c->end_date, 1);
		field_text(out, "joining_year", c->joining_year, 1);
		field_name(out, "pairs");
		if (c->pairs < 0)
			fputs("null, ", out);
		else
			fprintf(out, "%ld, ", c->pairs);
		field_text(out, "note", c->note, 0);
		fputc('}', out);
	}
	fputs("],\n  \"terms\": [", out);
	for (size_t i = 0; i < results->programme_count; i++) {
		const parity_programme_row *r = &results->programme[i];
		fputs(i ? ",\n    {" : "\n    {", out);
		field_text(out, "indicator", r->indicator, 1);
		field_text(out, "term", r->term, 1);
		field_name(out, "estimable");
		fputs(r->estimable ? "true, " : "false, ", out);
		field_double(out, "estimate", r->estimate, 1);
		field_double(out, "ci_low", r->ci_low, 1);
		field_double(out, "ci_high", r->ci_high, 1);
		field_double(out, "p", r->p, 1);
		field_double(out, "se_log", r->log_se, 1);
		field_double(out, "statistic", r->statistic, 1);
		field_u64(out, "df", r->df, 1);
		field_double(out, "mde_low", r->mde_low, 1);
		field_double(out, "mde_high", r->mde_high, 1);
		field_text(out, "variance", r->variance, 1);
		field_u64(out, "organisations", r->organisations, 1);
		field_u64(out, "treated_organisations", r->treated, 1);
		field_u64(out, "comparisons", r->comparisons, 1);
		fputs("\"counts\": {", out);
		field_u64(out, "x1", r->counts.x1, 1);
		field_u64(out, "n1", r->counts.n1, 1);
		field_u64(out, "x2", r->counts.x2, 1);
		field_u64(out, "n2", r->counts.n2, 0);
		fputs("}, ", out);
		field_u64(out, "smallest_count", r->smallest, 1);
		field_text(out, "note", r->note, 1);
		field_text(out, "publication", publication_of(publication, i), 0);
		fputc('}', out);
	}
	fputs("\n  ]\n}\n", out);
	return util_atomic_commit(&file);
}
