/*
 * results.c: writes analysis results as machine-readable files (CSV and
 * JSON: the results, the trend series and the cohort results) for
 * researchers and downstream tools (results_find.c finds or selects rows
 * for renderers). Each file is written to a temporary name and renamed
 * into place.
 */
#include "parity/analyse.h"

#include "csv/csvread.h"
#include "outbuf.h"
#include "parity/common.h"
#include "util/util.h"

#include <math.h>
#include <stdio_ext.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* `value` (below 10^20) in decimal into `out`, without a terminator:
 * how many bytes. */
static size_t u64_digits(char *out, uint64_t value)
{
	char tmp[20];
	size_t n = 0;
	do {
		tmp[n++] = (char)('0' + value % 10);
		value /= 10;
	} while (value);
	for (size_t i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	return n;
}

static void put_u64(outbuf *out, uint64_t value)
{
	char text[24];
	outbuf_put(out, text, u64_digits(text, value));
}

static void put_int(outbuf *out, int value)
{
	if (value < 0)
		outbuf_putc(out, '-');
	put_u64(out, value < 0 ? 0 - (uint64_t)value : (uint64_t)value);
}

/* Open `path` for writing, owner-only, replaced whole when committed. The
 * stream is this thread's alone, so stdio's per-call locking is turned off:
 * the large files write tens of millions of small pieces. */
static int open_output(util_atomic_file *file, const char *path)
{
	int rc = util_atomic_open(file, path, 0600);
	if (!rc)
		__fsetlocking(file->file, FSETLOCKING_BYCALLER);
	return rc;
}

/* The shortest of %.15g, %.16g, %.17g that reads back as the same double,
 * so 0.95 prints as 0.95 and not 0.94999999999999996 (util_double_text).
 * A whole number below 10^15 is what %.15g prints of it, its digits,
 * written directly. */
static const char *shortest(double value)
{
	static _Thread_local char text[UTIL_DOUBLE_TEXT_MAX];
	if (value == floor(value) && fabs(value) < 1e15) {
		size_t n = 0;
		if (value < 0 || (value == 0 && signbit(value)))
			text[n++] = '-';
		n += u64_digits(text + n, (uint64_t)fabs(value));
		text[n] = '\0';
		return text;
	}
	util_double_text(text, value);
	return text;
}

static void json_double(outbuf *out, double value)
{
	if (isnan(value))
		outbuf_puts(out, "null");
	else if (isinf(value))
		outbuf_puts(out, value > 0 ? "\"inf\"" : "\"-inf\"");
	else
		outbuf_puts(out, shortest(value));
}

void parity_json_double(FILE *out, double value)
{
	outbuf b;
	b.file = out;
	b.used = 0;
	json_double(&b, value);
	outbuf_flush(&b);
}

void parity_json_string(FILE *out, const char *text)
{
	outbuf b;
	b.file = out;
	b.used = 0;
	outbuf_json_string(&b, text);
	outbuf_flush(&b);
}

/* ---- CSV ---------------------------------------------------------------------- */

static void csv_number(outbuf *out, double value)
{
	if (isnan(value))
		return;
	if (isinf(value))
		outbuf_puts(out, value > 0 ? "inf" : "-inf");
	else
		outbuf_puts(out, shortest(value));
}

/* ",value" with the comma first; NaN or `present` 0 leave it empty. */
static void csv_next_number(outbuf *out, double value, int present)
{
	outbuf_putc(out, ',');
	if (present)
		csv_number(out, value);
}

static void csv_next_u64(outbuf *out, uint64_t value)
{
	outbuf_putc(out, ',');
	put_u64(out, value);
}

static void csv_next_int(outbuf *out, int value)
{
	outbuf_putc(out, ',');
	put_int(out, value);
}

static void csv_next_text(outbuf *out, const char *text)
{
	outbuf_putc(out, ',');
	outbuf_csv_text(out, text);
}

static double rate(uint64_t x, uint64_t n)
{
	return n ? (double)x / (double)n : NAN;
}

static const char *row_method(const parity_result_row *row)
{
	return row->interval[0] ? row->interval : parity_ci_method_name(row->ratio.method);
}

/* The analysts' files carry every count unsuppressed: each says so in its
 * header (a last CSV column "publication", "internal" on every row; a
 * "publication" field opening the JSON), so that none is mistaken for the
 * files to publish (the report's, which pass the disclosure gate). */
#define PUBLICATION_MARK "internal"
#define PUBLICATION_NOTE "internal: every count unsuppressed; not for publication " \
	"(publish the board report, its charts and report-tables.csv)"

static const char results_header[] =
	"indicator,grouping,group1,group2,stratum_kind,stratum,period,"
	"x1,n1,rate1,x2,n2,rate2,ratio,ci_low,ci_high,method,level,"
	"p_fisher,p_midp,p_chisq,band,excludes_one,low_count,estimable,"
	"measure,characteristic,window,window_periods,snapshots,estimate,pooled,"
	"p_pooled,strata,q,df,p_homogeneity,direction_reversed,"
	"funnel_z,funnel_outside95,funnel_outside998,funnel_low95,funnel_high95,"
	"funnel_low998,funnel_high998,funnel_target,funnel_tau2,"
	"funnel_p_overdispersion,kline_steps,excluded_not_stated_base,"
	"excluded_not_stated_outcome,excluded_bank_base,excluded_bank_outcome,"
	"outcome_without_contract,flags,p_score,mdr_low,mdr_high,p_holm,p_bh,"
	"family_size,funnel_limits,re_ratio,re_low,re_high,tau2,pi_low,pi_high,"
	"re_units,shrunk_ratio,adj_ratio,adj_low,adj_high,adj_p,adj_log_se,"
	"adj_covariates,adj_cells,adj_converged";

static void csv_row(outbuf *out, const parity_result_row *row, int trend)
{
	const parity_ratio *r = &row->ratio;
	const char *text[] = {row->indicator, row->grouping, row->group1, row->group2,
	                      row->stratum_kind, row->stratum, row->period};
	for (size_t t = 0; t < sizeof text / sizeof text[0]; t++) {
		outbuf_csv_text(out, text[t]);
		outbuf_putc(out, ',');
	}
	put_u64(out, r->x1);
	csv_next_u64(out, r->n1);
	outbuf_putc(out, ',');
	csv_number(out, rate(r->x1, r->n1));
	csv_next_u64(out, r->x2);
	csv_next_u64(out, r->n2);
	outbuf_putc(out, ',');
	csv_number(out, rate(r->x2, r->n2));
	csv_next_number(out, r->ratio, r->estimable);
	csv_next_number(out, r->ci_low, r->estimable);
	csv_next_number(out, r->ci_high, r->estimable);
	csv_next_text(out, row_method(row));
	csv_next_number(out, r->level, 1);
	csv_next_number(out, r->p_fisher, 1);
	csv_next_number(out, r->p_midp, 1);
	csv_next_number(out, r->p_chisq, 1);
	outbuf_putc(out, ',');
	outbuf_puts(out, parity_band_name(r->band));
	csv_next_int(out, r->excludes_one);
	csv_next_int(out, r->low_count);
	csv_next_int(out, r->estimable);

	csv_next_text(out, row->measure);
	csv_next_text(out, row->characteristic);
	csv_next_text(out, row->window);
	csv_next_u64(out, row->window_periods);
	csv_next_text(out, row->snapshots);
	csv_next_text(out, row->estimate);
	csv_next_int(out, row->pooled);
	const parity_pooled *p = &row->pool;
	/* A pooled ratio of 0 or infinity has no z test (docs/methods.md): no p. */
	int tested = row->pooled && p->estimable && isfinite(p->log_se);
	csv_next_number(out, p->p, tested);
	outbuf_putc(out, ',');
	if (row->pooled)
		put_u64(out, p->strata);
	int homogeneity = row->pooled && p->homogeneity_estimable;
	csv_next_number(out, p->q, homogeneity);
	outbuf_putc(out, ',');
	if (homogeneity)
		put_u64(out, p->df);
	csv_next_number(out, p->p_homogeneity, homogeneity);
	csv_next_int(out, row->direction_reversed);

	const parity_funnel_point *f = &row->funnel;
	csv_next_number(out, f->z, row->funnel_placed);
	outbuf_putc(out, ',');
	if (row->funnel_placed)
		put_int(out, f->outside95);
	outbuf_putc(out, ',');
	if (row->funnel_placed)
		put_int(out, f->outside998);
	csv_next_number(out, row->funnel_low95, row->funnel_placed);
	csv_next_number(out, row->funnel_high95, row->funnel_placed);
	csv_next_number(out, row->funnel_low998, row->funnel_placed);
	csv_next_number(out, row->funnel_high998, row->funnel_placed);
	int fit = row->funnel_fit.target > 0;
	csv_next_number(out, row->funnel_fit.target, fit);
	csv_next_number(out, row->funnel_fit.tau2, fit);
	csv_next_number(out, row->funnel_fit.p_overdispersion, fit);
	csv_next_text(out, row->steps);
	csv_next_u64(out, row->excluded_not_stated_base);
	csv_next_u64(out, row->excluded_not_stated_outcome);
	csv_next_u64(out, row->excluded_bank_base);
	csv_next_u64(out, row->excluded_bank_outcome);
	csv_next_u64(out, row->outcome_without_contract);
	csv_next_text(out, row->flags);
	csv_next_number(out, r->p_score, !isnan(r->p_score));
	csv_next_number(out, r->mdr_low, !isnan(r->mdr_low));
	csv_next_number(out, r->mdr_high, !isnan(r->mdr_high));
	csv_next_number(out, row->p_holm, row->family_size > 0);
	csv_next_number(out, row->p_bh, row->family_size > 0);
	csv_next_u64(out, row->family_size);
	csv_next_text(out, row->funnel_placed || fit
	                           ? parity_funnel_limits_name(row->funnel_limits) : "");
	const parity_random_effects *re = &row->random;
	csv_next_number(out, re->ratio, re->estimable);
	csv_next_number(out, re->ci_low, re->estimable);
	csv_next_number(out, re->ci_high, re->estimable);
	csv_next_number(out, re->tau2, re->estimable);
	csv_next_number(out, re->pi_low, re->prediction_estimable);
	csv_next_number(out, re->pi_high, re->prediction_estimable);
	outbuf_putc(out, ',');
	if (re->estimable)
		put_u64(out, re->used);
	csv_next_number(out, row->shrunk_ratio, row->shrunk_placed);
	const parity_adjusted *adj = &row->adjusted;
	int fitted = adj->parameters > 0;
	csv_next_number(out, adj->ratio, adj->estimable);
	csv_next_number(out, adj->ci_low, adj->estimable);
	csv_next_number(out, adj->ci_high, adj->estimable);
	csv_next_number(out, adj->p, adj->estimable);
	csv_next_number(out, adj->log_se, adj->estimable);
	csv_next_text(out, fitted ? row->adjusted_for : "");
	outbuf_putc(out, ',');
	if (fitted)
		outbuf_printf(out, "%zu,%d", adj->cells_used, adj->converged);
	else
		outbuf_putc(out, ',');
	if (trend)
		csv_next_text(out, row->cohorts);
	outbuf_puts(out, "," PUBLICATION_MARK "\n");
}

static int write_rows_csv(const parity_result_row *rows, size_t count, int trend,
                          const char *path)
{
	util_atomic_file file;
	int rc = open_output(&file, path);
	if (rc)
		return rc;
	outbuf out;
	out.file = file.file;
	out.used = 0;
	outbuf_puts(&out, results_header);
	outbuf_puts(&out, trend ? ",cohorts,publication\n" : ",publication\n");
	for (size_t i = 0; i < count; i++)
		csv_row(&out, &rows[i], trend);
	outbuf_flush(&out);
	return util_atomic_commit(&file);
}

int parity_results_write_csv(const parity_results *results, const char *path)
{
	return write_rows_csv(results->rows, results->count, 0, path);
}

int parity_results_write_trend_csv(const parity_results *results, const char *path)
{
	return write_rows_csv(results->trend, results->trend_count, 1, path);
}

/* ---- JSON --------------------------------------------------------------------- */

/* "name": (the names are the program's own: nothing to escape) */
static void json_name(outbuf *out, const char *name)
{
	outbuf_putc(out, '"');
	outbuf_puts(out, name);
	outbuf_puts(out, "\": ");
}

static void json_field_u64(outbuf *out, const char *name, uint64_t value, int comma)
{
	json_name(out, name);
	put_u64(out, value);
	if (comma)
		outbuf_puts(out, ", ");
}

static void json_field_double(outbuf *out, const char *name, double value, int comma)
{
	json_name(out, name);
	json_double(out, value);
	if (comma)
		outbuf_puts(out, ", ");
}

static void json_field_text(outbuf *out, const char *name, const char *value, int comma)
{
	json_name(out, name);
	outbuf_json_string(out, value);
	if (comma)
		outbuf_puts(out, ", ");
}

static void json_field_bool(outbuf *out, const char *name, int value, int comma)
{
	json_name(out, name);
	outbuf_puts(out, value ? "true" : "false");
	if (comma)
		outbuf_puts(out, ", ");
}

static void json_row(outbuf *out, const parity_result_row *row, int trend)
{
	const parity_ratio *r = &row->ratio;
	outbuf_putc(out, '{');
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
	json_field_text(out, "method", row_method(row), 1);
	json_field_double(out, "level", r->level, 1);
	json_field_double(out, "p_fisher", r->p_fisher, 1);
	json_field_double(out, "p_midp", r->p_midp, 1);
	json_field_double(out, "p_chisq", r->p_chisq, 1);
	json_field_double(out, "p_score", r->p_score, 1);
	json_field_double(out, "mdr_low", r->mdr_low, 1);
	json_field_double(out, "mdr_high", r->mdr_high, 1);
	json_field_double(out, "p_holm", row->family_size ? row->p_holm : NAN, 1);
	json_field_double(out, "p_bh", row->family_size ? row->p_bh : NAN, 1);
	json_field_u64(out, "family_size", row->family_size, 1);
	json_field_text(out, "band", parity_band_name(r->band), 1);
	json_field_bool(out, "excludes_one", r->excludes_one, 1);
	json_field_bool(out, "low_count", r->low_count, 1);
	json_field_bool(out, "estimable", r->estimable, 1);
	json_field_text(out, "measure", row->measure, 1);
	json_field_text(out, "characteristic", row->characteristic, 1);
	json_field_text(out, "window", row->window, 1);
	json_field_u64(out, "window_periods", row->window_periods, 1);
	json_field_text(out, "snapshots", row->snapshots, 1);
	json_field_text(out, "estimate", row->estimate, 1);
	json_field_bool(out, "pooled", row->pooled, 1);
	if (row->pooled) {
		const parity_pooled *p = &row->pool;
		outbuf_puts(out, "\"pool\": {");
		int tested = p->estimable && isfinite(p->log_se);
		json_field_double(out, "p", tested ? p->p : NAN, 1);
		json_field_double(out, "z", tested ? p->z : NAN, 1);
		json_field_double(out, "log_se", p->log_se, 1);
		json_field_u64(out, "strata", p->strata, 1);
		json_field_u64(out, "informative", p->informative, 1);
		json_field_bool(out, "homogeneity_estimable", p->homogeneity_estimable, 1);
		json_field_double(out, "q", p->homogeneity_estimable ? p->q : NAN, 1);
		json_field_u64(out, "df", p->df, 1);
		json_field_double(out, "p_homogeneity",
		                  p->homogeneity_estimable ? p->p_homogeneity : NAN, 1);
		json_field_bool(out, "direction_reversed", row->direction_reversed, 0);
		outbuf_puts(out, "}, ");
	}
	if (row->funnel_fit.target > 0) {
		outbuf_puts(out, "\"funnel_fit\": {");
		json_field_double(out, "target", row->funnel_fit.target, 1);
		json_field_u64(out, "units", row->funnel_fit.units, 1);
		json_field_double(out, "phi", row->funnel_fit.phi, 1);
		json_field_double(out, "p_overdispersion", row->funnel_fit.p_overdispersion, 1);
		json_field_double(out, "tau2", row->funnel_fit.tau2, 1);
		json_field_text(out, "limits", parity_funnel_limits_name(row->funnel_limits), 0);
		outbuf_puts(out, "}, ");
	}
	if (row->random.estimable) {
		const parity_random_effects *re = &row->random;
		outbuf_puts(out, "\"random_effects\": {");
		json_field_double(out, "ratio", re->ratio, 1);
		json_field_double(out, "ci_low", re->ci_low, 1);
		json_field_double(out, "ci_high", re->ci_high, 1);
		json_field_double(out, "log_se", re->se, 1);
		json_field_double(out, "tau2", re->tau2, 1);
		json_field_double(out, "q", re->q, 1);
		json_field_double(out, "pi_low", re->prediction_estimable ? re->pi_low : NAN, 1);
		json_field_double(out, "pi_high", re->prediction_estimable ? re->pi_high : NAN, 1);
		json_field_u64(out, "units", re->used, 0);
		outbuf_puts(out, "}, ");
	}
	if (row->shrunk_placed)
		json_field_double(out, "shrunk_ratio", row->shrunk_ratio, 1);
	if (row->adjusted.parameters > 0) {
		const parity_adjusted *adj = &row->adjusted;
		outbuf_puts(out, "\"adjusted\": {");
		json_field_text(out, "covariates", row->adjusted_for, 1);
		json_field_bool(out, "estimable", adj->estimable, 1);
		json_field_double(out, "ratio", adj->estimable ? adj->ratio : NAN, 1);
		json_field_double(out, "ci_low", adj->estimable ? adj->ci_low : NAN, 1);
		json_field_double(out, "ci_high", adj->estimable ? adj->ci_high : NAN, 1);
		json_field_double(out, "p", adj->estimable ? adj->p : NAN, 1);
		json_field_double(out, "log_se", adj->estimable ? adj->log_se : NAN, 1);
		json_field_u64(out, "parameters", adj->parameters, 1);
		json_field_u64(out, "cells", adj->cells_used, 1);
		json_field_u64(out, "cells_dropped", row->adjust_cells_dropped, 1);
		json_field_u64(out, "levels_dropped", adj->levels_dropped, 1);
		json_field_u64(out, "aliased", adj->aliased, 1);
		json_field_u64(out, "iterations", adj->iterations, 1);
		json_field_bool(out, "converged", adj->converged, 0);
		outbuf_puts(out, "}, ");
	}
	if (row->funnel_placed) {
		outbuf_puts(out, "\"funnel\": {");
		json_field_double(out, "log_ratio", row->funnel.log_ratio, 1);
		json_field_double(out, "se", row->funnel.se, 1);
		json_field_double(out, "z", row->funnel.z, 1);
		outbuf_printf(out, "\"outside95\": %d, \"outside998\": %d, ", row->funnel.outside95,
		        row->funnel.outside998);
		json_field_double(out, "low95", row->funnel_low95, 1);
		json_field_double(out, "high95", row->funnel_high95, 1);
		json_field_double(out, "low998", row->funnel_low998, 1);
		json_field_double(out, "high998", row->funnel_high998, 1);
		json_field_text(out, "limits", parity_funnel_limits_name(row->funnel_limits), 0);
		outbuf_puts(out, "}, ");
	}
	if (row->steps[0]) {
		outbuf_puts(out, "\"kline\": {");
		json_field_text(out, "steps", row->steps, 1);
		json_field_u64(out, "adjusted_steps", row->compound.adjusted_steps, 1);
		json_field_double(out, "log_se", row->compound.log_se, 0);
		outbuf_puts(out, "}, ");
	}
	outbuf_puts(out, "\"exclusions\": {");
	json_field_u64(out, "not_stated_base", row->excluded_not_stated_base, 1);
	json_field_u64(out, "not_stated_outcome", row->excluded_not_stated_outcome, 1);
	json_field_u64(out, "bank_base", row->excluded_bank_base, 1);
	json_field_u64(out, "bank_outcome", row->excluded_bank_outcome, 1);
	json_field_u64(out, "outcome_without_contract", row->outcome_without_contract, 0);
	outbuf_puts(out, "}, ");
	if (trend)
		json_field_text(out, "cohorts", row->cohorts, 1);
	json_field_text(out, "flags", row->flags, 0);
	outbuf_putc(out, '}');
}

static void json_rows(outbuf *out, const char *name, const parity_result_row *rows,
                      size_t count, int trend)
{
	outbuf_printf(out, "\n  \"%s\": [", name);
	for (size_t i = 0; i < count; i++) {
		outbuf_puts(out, i ? ",\n    " : "\n    ");
		json_row(out, &rows[i], trend);
	}
	outbuf_puts(out, "\n  ]");
}

static void json_marks(outbuf *out, const parity_results *results)
{
	outbuf_puts(out, "\n  \"cohort_marks\": [");
	for (size_t i = 0; i < results->mark_count; i++) {
		const parity_cohort_mark *m = &results->marks[i];
		outbuf_puts(out, i ? ",\n    {" : "\n    {");
		json_field_text(out, "cohort_id", m->cohort_id, 1);
		json_field_text(out, "name", m->name, 1);
		json_field_text(out, "organisations", m->organisations, 1);
		json_field_text(out, "start_date", m->start_date, 1);
		json_field_text(out, "end_date", m->end_date, 0);
		outbuf_putc(out, '}');
	}
	outbuf_puts(out, "]");
}

/* The header fields every JSON file shares. */
static void json_context(outbuf *out, const parity_results *results)
{
	json_field_text(out, "publication", PUBLICATION_NOTE, 1);
	json_field_text(out, "engine_version", parity_version(), 1);
	json_field_text(out, "period", results->period, 1);
	json_field_text(out, "organisation", results->organisation, 1);
	outbuf_puts(out, "\n  \"settings\": {");
	json_field_text(out, "method", parity_ci_method_name(results->settings.method), 1);
	json_field_double(out, "level", results->settings.level, 1);
	json_field_u64(out, "low_count_min", results->settings.low_count_min, 1);
	json_field_u64(out, "rolling_years", results->rolling_years, 1);
	json_field_u64(out, "cohort_window_months", results->cohort_window_months, 1);
	json_field_bool(out, "include_bank", results->include_bank, 0);
	outbuf_puts(out, "},\n  ");
}

/* Open `path` for a JSON file (owner-only, replaced whole when committed),
 * `out` its buffer, and write its opening brace and the run's context. 0
 * or an error. */
static int json_begin(util_atomic_file *file, outbuf *out, const char *path,
                      const parity_results *results)
{
	int rc = open_output(file, path);
	if (rc)
		return rc;
	out->file = file->file;
	out->used = 0;
	outbuf_puts(out, "{\n  ");
	json_context(out, results);
	return 0;
}

int parity_results_write_json(const parity_results *results, const char *path)
{
	util_atomic_file file;
	outbuf ob, *out = &ob;
	int rc = json_begin(&file, out, path, results);
	if (rc)
		return rc;
	json_field_u64(out, "excluded_not_stated", results->excluded_not_stated, 1);
	/* Every exclusion of each standard indicator's overall row. */
	outbuf_puts(out, "\n  \"exclusions\": [");
	int first = 1;
	for (size_t i = 0; i < results->count; i++) {
		const parity_result_row *row = &results->rows[i];
		if (strcmp(row->stratum_kind, "overall") || !parity_indicator_info_find(row->indicator))
			continue;
		const parity_indicator_info *info = parity_indicator_info_find(row->indicator);
		outbuf_puts(out, first ? "\n    {" : ",\n    {");
		first = 0;
		json_field_text(out, "indicator", row->indicator, 1);
		json_field_text(out, "base", info->base_label, 1);
		json_field_u64(out, "not_stated_or_not_known_base", row->excluded_not_stated_base, 1);
		json_field_u64(out, "not_stated_or_not_known_outcome",
		               row->excluded_not_stated_outcome, 1);
		json_field_u64(out, "bank_base", row->excluded_bank_base, 1);
		json_field_u64(out, "bank_outcome", row->excluded_bank_outcome, 1);
		json_field_u64(out, "outcome_without_contract_counted",
		               row->outcome_without_contract, 0);
		outbuf_putc(out, '}');
	}
	outbuf_puts(out, "],\n  \"notes\": [");
	for (size_t i = 0; i < results->note_count; i++) {
		outbuf_puts(out, i ? ", " : "");
		outbuf_json_string(out, results->notes[i]);
	}
	outbuf_puts(out, "],");
	json_rows(out, "rows", results->rows, results->count, 0);
	outbuf_puts(out, "\n}\n");
	outbuf_flush(out);
	return util_atomic_commit(&file);
}

int parity_results_write_trend_json(const parity_results *results, const char *path)
{
	util_atomic_file file;
	outbuf ob, *out = &ob;
	int rc = json_begin(&file, out, path, results);
	if (rc)
		return rc;
	json_marks(out, results);
	outbuf_putc(out, ',');
	json_rows(out, "rows", results->trend, results->trend_count, 1);
	outbuf_puts(out, "\n}\n");
	outbuf_flush(out);
	return util_atomic_commit(&file);
}

/* ---- cohorts ------------------------------------------------------------------- */

static const char cohorts_header[] =
	"cohort_id,cohort_name,indicator,arm,organisations,before_window,"
	"after_window,before_x1,before_n1,before_x2,before_n2,before_ratio,"
	"before_ci_low,before_ci_high,after_x1,after_n1,after_x2,after_n2,"
	"after_ratio,after_ci_low,after_ci_high,ratio_of_ratios,ci_low,ci_high,"
	"log_diff,se,z,p,level,verdict,statement,note,mdr_low,mdr_high,publication\n";

/* A pooled window: ratio and interval when estimable. */
static void csv_pool(outbuf *out, const parity_stratum *c, const parity_pooled *p,
                     int present)
{
	if (present) {
		csv_next_u64(out, c->x1);
		csv_next_u64(out, c->n1);
		csv_next_u64(out, c->x2);
		csv_next_u64(out, c->n2);
	} else {
		outbuf_puts(out, ",,,,");
	}
	int e = present && p->estimable;
	csv_next_number(out, p->ratio, e);
	csv_next_number(out, p->ci_low, e);
	csv_next_number(out, p->ci_high, e);
}

int parity_results_write_cohorts_csv(const parity_results *results, const char *path)
{
	util_atomic_file file;
	int rc = open_output(&file, path);
	if (rc)
		return rc;
	outbuf ob, *out = &ob;
	ob.file = file.file;
	ob.used = 0;
	outbuf_puts(out, cohorts_header);
	for (size_t i = 0; i < results->cohort_count; i++) {
		const parity_cohort_result *c = &results->cohorts[i];
		int arm = strcmp(c->arm, "difference") != 0;
		const parity_change *ch = &c->change;
		outbuf_csv_text(out, c->cohort_id);
		csv_next_text(out, c->cohort_name);
		csv_next_text(out, c->indicator);
		csv_next_text(out, c->arm);
		csv_next_text(out, c->organisations);
		csv_next_text(out, c->before_window);
		csv_next_text(out, c->after_window);
		csv_pool(out, &c->before_counts, &c->before, arm);
		csv_pool(out, &c->after_counts, &c->after, arm);
		csv_next_number(out, ch->ratio, ch->estimable);
		csv_next_number(out, ch->ci_low, ch->estimable);
		csv_next_number(out, ch->ci_high, ch->estimable);
		csv_next_number(out, ch->log_diff, ch->estimable);
		csv_next_number(out, ch->se, ch->estimable);
		csv_next_number(out, ch->z, ch->estimable);
		csv_next_number(out, ch->p, ch->estimable);
		csv_next_number(out, results->settings.level, 1);
		csv_next_text(out, c->verdict);
		csv_next_text(out, c->statement);
		csv_next_text(out, c->note);
		csv_next_number(out, c->mdr_low, !isnan(c->mdr_low));
		csv_next_number(out, c->mdr_high, !isnan(c->mdr_high));
		outbuf_puts(out, "," PUBLICATION_MARK "\n");
	}
	outbuf_flush(out);
	return util_atomic_commit(&file);
}

static void json_pool(outbuf *out, const char *name, const parity_stratum *c,
                      const parity_pooled *p)
{
	outbuf_printf(out, "\"%s\": {", name);
	json_field_u64(out, "x1", c->x1, 1);
	json_field_u64(out, "n1", c->n1, 1);
	json_field_u64(out, "x2", c->x2, 1);
	json_field_u64(out, "n2", c->n2, 1);
	json_field_double(out, "ratio", p->estimable ? p->ratio : NAN, 1);
	json_field_double(out, "ci_low", p->estimable ? p->ci_low : NAN, 1);
	json_field_double(out, "ci_high", p->estimable ? p->ci_high : NAN, 1);
	json_field_u64(out, "strata", p->strata, 0);
	outbuf_puts(out, "}, ");
}

int parity_results_write_cohorts_json(const parity_results *results, const char *path)
{
	util_atomic_file file;
	outbuf ob, *out = &ob;
	int rc = json_begin(&file, out, path, results);
	if (rc)
		return rc;
	json_marks(out, results);
	outbuf_puts(out, ",\n  \"results\": [");
	for (size_t i = 0; i < results->cohort_count; i++) {
		const parity_cohort_result *c = &results->cohorts[i];
		const parity_change *ch = &c->change;
		outbuf_puts(out, i ? ",\n    {" : "\n    {");
		json_field_text(out, "cohort_id", c->cohort_id, 1);
		json_field_text(out, "cohort_name", c->cohort_name, 1);
		json_field_text(out, "indicator", c->indicator, 1);
		json_field_text(out, "arm", c->arm, 1);
		json_field_text(out, "organisations", c->organisations, 1);
		json_field_text(out, "before_window", c->before_window, 1);
		json_field_text(out, "after_window", c->after_window, 1);
		if (strcmp(c->arm, "difference")) {
			json_pool(out, "before", &c->before_counts, &c->before);
			json_pool(out, "after", &c->after_counts, &c->after);
		}
		json_field_double(out, "ratio_of_ratios", ch->estimable ? ch->ratio : NAN, 1);
		json_field_double(out, "ci_low", ch->estimable ? ch->ci_low : NAN, 1);
		json_field_double(out, "ci_high", ch->estimable ? ch->ci_high : NAN, 1);
		json_field_double(out, "log_diff", ch->estimable ? ch->log_diff : NAN, 1);
		json_field_double(out, "se", ch->estimable ? ch->se : NAN, 1);
		json_field_double(out, "z", ch->estimable ? ch->z : NAN, 1);
		json_field_double(out, "p", ch->estimable ? ch->p : NAN, 1);
		json_field_text(out, "verdict", c->verdict, 1);
		json_field_text(out, "statement", c->statement, 1);
		json_field_text(out, "note", c->note, 1);
		json_field_double(out, "mdr_low", c->mdr_low, 1);
		json_field_double(out, "mdr_high", c->mdr_high, 0);
		outbuf_putc(out, '}');
	}
	outbuf_puts(out, "\n  ]\n}\n");
	outbuf_flush(out);
	return util_atomic_commit(&file);
}
