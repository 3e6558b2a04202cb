/*
 * report_csv.c: report-tables.csv, the report's tables as printed: every
 * row the report shows (by organisation, pay band, staff group, Kline,
 * each characteristic, a programme's event-study terms), with the same
 * small-number suppression, for publishing beside the PDF.
 */
#include "csv/csvread.h"
#include "parity/common.h"
#include "report_internal.h"
#include "util/util.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* One CSV cell, then a comma or the end of the line: quoted where it
 * needs it, a text cell neutralised against spreadsheet formulas (the
 * writer results.csv uses). */
static void cell(FILE *out, const char *text, int last)
{
	csvread_write_text(out, text);
	fputc(last ? '\n' : ',', out);
}

static void number(char *buf, size_t size, double value)
{
	if (isinf(value))
		snprintf(buf, size, "inf");
	else
		snprintf(buf, size, "%.2f", value);
}

/* One row of table `table`, labelled `label` (NULL: the stratum). */
static void write_row(FILE *out, const report *rep, const char *table,
                      const parity_result_row *row, const char *label)
{
	const parity_ratio *r = &row->ratio;
	const unsigned char *m = report_marks(rep, row);
	int hidden = report_hidden(rep, row);
	int counted = strcmp(row->stratum_kind, "kline") != 0;
	char n1[32] = "", x1[32] = "", n2[32] = "", x2[32] = "";
	char rate1[32] = "", rate2[32] = "", ratio[32] = "", low[32] = "",
	     high[32] = "";
	const char *note = "";

	if (counted) {
		report_count_text(n1, sizeof n1, rep, r->n1, m[COUNT_N1]);
		report_count_text(x1, sizeof x1, rep, r->x1, m[COUNT_X1]);
		report_count_text(n2, sizeof n2, rep, r->n2, m[COUNT_N2]);
		report_count_text(x2, sizeof x2, rep, r->x2, m[COUNT_X2]);
		if (!hidden && r->n1)
			snprintf(rate1, sizeof rate1, "%.1f", 100.0 * (double)r->x1 / (double)r->n1);
		if (!hidden && r->n2)
			snprintf(rate2, sizeof rate2, "%.1f", 100.0 * (double)r->x2 / (double)r->n2);
	}
	if (hidden) {
		note = REPORT_SUPPRESSED;
	} else if (!r->estimable) {
		note = "no estimate";
	} else {
		number(ratio, sizeof ratio, r->ratio);
		number(low, sizeof low, r->ci_low);
		number(high, sizeof high, r->ci_high);
		if (r->low_count)
			note = "too few cases to draw a conclusion";
		else if (row->pooled)
			note = "pooled (Mantel-Haenszel)";
	}
	cell(out, table, 0);
	cell(out, row->indicator, 0);
	cell(out, row->grouping, 0);
	cell(out, row->stratum_kind, 0);
	cell(out, label ? label : row->stratum, 0);
	cell(out, row->period, 0);
	cell(out, row->group1, 0);
	cell(out, n1, 0);
	cell(out, x1, 0);
	cell(out, rate1, 0);
	cell(out, row->group2, 0);
	cell(out, n2, 0);
	cell(out, x2, 0);
	cell(out, rate2, 0);
	cell(out, ratio, 0);
	cell(out, low, 0);
	cell(out, high, 0);
	cell(out, hidden || !r->estimable ? "" : parity_band_name(r->band), 0);
	cell(out, note, 1);
}

static void write_list(FILE *out, const report *rep, const char *table,
                       const row_list *list)
{
	for (size_t i = 0; i < list->count; i++)
		write_row(out, rep, table, list->rows[i], NULL);
}

/* The programme's event study as the report prints it: each indicator's
 * terms (no counts; withheld terms as in the report). */
static void write_programme(FILE *out, const report *rep)
{
	const parity_results *res = rep->results;
	for (size_t i = 0; i < res->programme_count; i++) {
		const parity_programme_row *row = &res->programme[i];
		char ratio[32] = "", low[32] = "", high[32] = "", text[96];
		const char *note;
		int pretrend = !strcmp(row->term, "pretrend");
		if (parity_publish_programme_hidden(rep->pub, row)) {
			note = REPORT_SUPPRESSED;
		} else if (!row->estimable) {
			note = "no estimate";
		} else if (pretrend) {
			snprintf(text, sizeof text, "pre-trend test (Wald over the years "
			         "before joining): p = %.3f", row->p);
			note = text;
		} else {
			number(ratio, sizeof ratio, row->estimate);
			number(low, sizeof low, row->ci_low);
			number(high, sizeof high, row->ci_high);
			note = "ratio of ratios (event study)";
		}
		const char *const cells[] = {"programme", row->indicator, "", "term", row->term,
		                             res->programme_years, "", "", "", "", "", "", "",
		                             "", ratio, low, high, ""};
		for (size_t c = 0; c < sizeof cells / sizeof cells[0]; c++)
			cell(out, cells[c], 0);
		cell(out, note, 1);
	}
}

int report_write_tables(const report *rep, const char *path)
{
	util_atomic_file file;
	int rc = util_atomic_open(&file, path, 0600);
	if (rc)
		return rc;
	FILE *out = file.file;
	fprintf(out, "table,indicator,grouping,stratum_kind,stratum,period,"
	        "group1,base1,outcome1,rate1_percent,group2,base2,outcome2,"
	        "rate2_percent,ratio,ci_low,ci_high,band,note\n");
	for (size_t k = 0; k < rep->ind_count; k++) {
		const report_indicator *ind = &rep->ind[k];
		write_list(out, rep, "by_organisation", &ind->orgs);
		write_row(out, rep, "by_organisation", ind->overall, NULL);
		if (ind->pooled_org)
			write_row(out, rep, "by_organisation", ind->pooled_org, NULL);
		write_list(out, rep, "by_pay_band", &ind->bands);
		if (ind->pooled_band)
			write_row(out, rep, "by_pay_band", ind->pooled_band, NULL);
		write_list(out, rep, "by_staff_group", &ind->groups);
		if (ind->pooled_group)
			write_row(out, rep, "by_staff_group", ind->pooled_group, NULL);
		write_list(out, rep, "kline", &ind->kline);
	}
	for (size_t k = 0; k < rep->meas_count; k++)
		write_list(out, rep, "by_characteristic", &rep->meas[k].rows);
	for (size_t k = 0; k < rep->ind_count; k++) {
		const parity_result_row *stages[2 * CHART_PIPELINE_MAX_STAGES];
		size_t n = report_stage_list(stages, 2 * CHART_PIPELINE_MAX_STAGES, rep,
		                             &rep->ind[k]);
		for (size_t i = 0; i < n; i++)
			write_row(out, rep, "case_stages", stages[i], NULL);
	}
	write_programme(out, rep);
	if (ferror(out)) {
		util_atomic_abort(&file);
		return parity_error_set(PARITY_EIO, "%s: cannot write", path);
	}
	return util_atomic_commit(&file);
}
