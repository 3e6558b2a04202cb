/*
 * results.c: writes analysis results as machine-readable files (CSV and
 * JSON) for researchers and downstream tools. Each file is written to a
 * temporary name and renamed into place.
 */
#include "parity/analyse.h"

#include "csvread.h"
#include "parity/common.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The shortest of %.15g, %.16g, %.17g that reads back as the same double,
 * so 0.95 prints as 0.95 and not 0.94999999999999996. */
static const char *shortest(double value)
{
	static _Thread_local char text[40];
	for (int digits = 15; digits <= 17; digits++) {
		snprintf(text, sizeof text, "%.*g", digits, value);
		if (strtod(text, NULL) == value)
			break;
	}
	return text;
}

void parity_json_double(FILE *out, double value)
{
	if (isnan(value))
		fputs("null", out);
	else if (isinf(value))
		fputs(value > 0 ? "\"inf\"" : "\"-inf\"", out);
	else
		fputs(shortest(value), out);
}

void parity_json_string(FILE *out, const char *text)
{
	fputc('"', out);
	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		switch (*p) {
		case '"': fputs("\\\"", out); break;
		case '\\': fputs("\\\\", out); break;
		case '\n': fputs("\\n", out); break;
		case '\r': fputs("\\r", out); break;
		case '\t': fputs("\\t", out); break;
		default:
			if (*p < 0x20)
				fprintf(out, "\\u%04x", *p);
			else
				fputc(*p, out);
		}
	}
	fputc('"', out);
}

/* A text cell, neutralised against spreadsheet formula injection: a
 * leading quote is added (and documented) so the original is recoverable by
 * removing it. */
static void csv_text(FILE *out, const char *text)
{
	if (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@' ||
	    text[0] == '\t' || text[0] == '\r') {
		char safe[256];
		snprintf(safe, sizeof safe, "'%s", text);
		csvread_write_field(out, safe);
		return;
	}
	csvread_write_field(out, text);
}

static void csv_number(FILE *out, double value)
{
	if (isnan(value))
		return;
	if (isinf(value))
		fputs(value > 0 ? "inf" : "-inf", out);
	else
		fputs(shortest(value), out);
}

static double rate(uint64_t x, uint64_t n)
{
	return n ? (double)x / (double)n : NAN;
}

int parity_results_write_csv(const parity_results *results, const char *path)
{
	util_atomic_file file;
	int rc = util_atomic_open(&file, path, 0600);
	if (rc)
		return rc;
	FILE *out = file.file;
	fputs("indicator,grouping,group1,group2,stratum_kind,stratum,period,"
	      "x1,n1,rate1,x2,n2,rate2,ratio,ci_low,ci_high,method,level,"
	      "p_fisher,p_midp,p_chisq,band,excludes_one,low_count,estimable\n", out);
	for (size_t i = 0; i < results->count; i++) {
		const parity_result_row *row = &results->rows[i];
		const parity_ratio *r = &row->ratio;
		const char *text[] = {row->indicator, row->grouping, row->group1, row->group2,
		                      row->stratum_kind, row->stratum, row->period};
		for (size_t t = 0; t < sizeof text / sizeof text[0]; t++) {
			csv_text(out, text[t]);
			fputc(',', out);
		}
		fprintf(out, "%llu,%llu,", (unsigned long long)r->x1,
		        (unsigned long long)r->n1);
		csv_number(out, rate(r->x1, r->n1));
		fprintf(out, ",%llu,%llu,", (unsigned long long)r->x2,
		        (unsigned long long)r->n2);
		csv_number(out, rate(r->x2, r->n2));
		fputc(',', out);
		if (r->estimable) {
			csv_number(out, r->ratio);
			fputc(',', out);
			csv_number(out, r->ci_low);
			fputc(',', out);
			csv_number(out, r->ci_high);
		} else {
			fputs(",,", out);
		}
		fprintf(out, ",%s,", parity_ci_method_name(r->method));
		csv_number(out, r->level);
		fputc(',', out);
		csv_number(out, r->p_fisher);
		fputc(',', out);
		csv_number(out, r->p_midp);
		fputc(',', out);
		csv_number(out, r->p_chisq);
		fprintf(out, ",%s,%d,%d,%d\n", parity_band_name(r->band), r->excludes_one,
		        r->low_count, r->estimable);
	}
	return util_atomic_commit(&file);
}

static void json_field_u64(FILE *out, const char *name, uint64_t value, int comma)
{
	fprintf(out, "\"%s\": %llu%s", name, (unsigned long long)value, comma ? ", " : "");
}

static void json_field_double(FILE *out, const char *name, double value, int comma)
{
	fprintf(out, "\"%s\": ", name);
	parity_json_double(out, value);
	if (comma)
		fputs(", ", out);
}

static void json_field_text(FILE *out, const char *name, const char *value, int comma)
{
	fprintf(out, "\"%s\": ", name);
	parity_json_string(out, value);
	if (comma)
		fputs(", ", out);
}

int parity_results_write_json(const parity_results *results, const char *path)
{
	util_atomic_file file;
	int rc = util_atomic_open(&file, path, 0600);
	if (rc)
		return rc;
	FILE *out = file.file;
	fputs("{\n  ", out);
	json_field_text(out, "engine_version", parity_version(), 1);
	json_field_text(out, "period", results->period, 1);
	json_field_text(out, "organisation", results->organisation, 1);
	fputs("\n  \"settings\": {", out);
	json_field_text(out, "method", parity_ci_method_name(results->settings.method), 1);
	json_field_double(out, "level", results->settings.level, 1);
	json_field_u64(out, "low_count_min", results->settings.low_count_min, 0);
	fputs("},\n  ", out);
	json_field_u64(out, "excluded_not_stated", results->excluded_not_stated, 1);
	fputs("\n  \"rows\": [", out);
	for (size_t i = 0; i < results->count; i++) {
		const parity_result_row *row = &results->rows[i];
		const parity_ratio *r = &row->ratio;
		fputs(i ? ",\n    {" : "\n    {", out);
		json_field_text(out, "indicator", row->indicator, 1);
		json_field_text(out, "grouping", row->grouping, 1);
		json_field_text(out, "group1", row->group1, 1);
		json_field_text(out, "group2", row->group2, 1);
		json_field_text(out, "stratum_kind", row->stratum_kind, 1);
		json_field_text(out, "stratum", row->stratum, 1);
		json_field_text(out, "period", row->period, 1);
		json_field_u64(out, "x1", r->x1, 1);
		json_field_u64(out, "n1", r->n1, 1);
		json_field_double(out, "rate1", rate(r->x1, r->n1), 1);
		json_field_u64(out, "x2", r->x2, 1);
		json_field_u64(out, "n2", r->n2, 1);
		json_field_double(out, "rate2", rate(r->x2, r->n2), 1);
		json_field_double(out, "ratio", r->estimable ? r->ratio : NAN, 1);
		json_field_double(out, "ci_low", r->estimable ? r->ci_low : NAN, 1);
		json_field_double(out, "ci_high", r->estimable ? r->ci_high : NAN, 1);
		json_field_text(out, "method", parity_ci_method_name(r->method), 1);
		json_field_double(out, "level", r->level, 1);
		json_field_double(out, "p_fisher", r->p_fisher, 1);
		json_field_double(out, "p_midp", r->p_midp, 1);
		json_field_double(out, "p_chisq", r->p_chisq, 1);
		json_field_text(out, "band", parity_band_name(r->band), 1);
		fprintf(out, "\"excludes_one\": %s, \"low_count\": %s, \"estimable\": %s}",
		        r->excludes_one ? "true" : "false", r->low_count ? "true" : "false",
		        r->estimable ? "true" : "false");
	}
	fputs("\n  ]\n}\n", out);
	return util_atomic_commit(&file);
}
