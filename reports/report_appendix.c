/*
 * report_appendix.c: the back of the board report: the mentoring cohorts
 * (trend, before and after, comparators, difference-in-differences) and
 * data quality (refused rows, not-stated shares, exclusions, disability
 * declaration). The methods and the reproducibility record that close the
 * report are in report_appendix_methods.c.
 */
#include "parity/common.h"
#include "parity/period.h"
#include "report_internal.h"

#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A count as the report may print it ("<5" when small). */
static void count_text(char *buf, size_t size, const report *rep, uint64_t value)
{
	int small = rep->suppress_below > 1 && value >= 1 && value < rep->suppress_below;
	report_count_text(buf, size, rep, value,
	                  small ? PARITY_COUNT_PRIMARY : PARITY_COUNT_SHOWN);
}

/* `part` as a percentage of `whole`, or the small-count mark when `part`
 * is a small count (the share would reveal it), or "-" for nothing to
 * share. */
static void share_text(char *buf, size_t size, const report *rep,
                       uint64_t part, uint64_t whole)
{
	if (rep->suppress_below > 1 && part >= 1 && part < rep->suppress_below)
		snprintf(buf, size, "%s", parity_publish_small_mark(rep->pub));
	else if (whole == 0)
		snprintf(buf, size, "-");
	else
		snprintf(buf, size, "%.1f%%", 100.0 * parity_quality_share(part, whole));
}

/* ---- cohorts ------------------------------------------------------------------- */

/* "1.79 (1.58-2.03)" for a pooled ratio or a change, or "no estimate". */
static void estimate_text(char *buf, size_t size, int estimable, double ratio,
                          double low, double high)
{
	if (estimable)
		draw_format_estimate(buf, size, ratio, low, high);
	else
		snprintf(buf, size, "no estimate");
}

/* Split `list` (';'-separated) into up to `max` organisation codes in
 * `codes`; returns how many. */
static size_t split_orgs(char codes[][64], size_t max, const char *list)
{
	size_t n = 0;
	for (const char *p = list; *p && n < max;) {
		size_t len = strcspn(p, ";");
		if (len > 0 && len < 64)
			snprintf(codes[n++], 64, "%.*s", (int)len, p);
		p += len;
		if (*p)
			p++;
	}
	return n;
}

/* The trend of the first indicator with a trend, with the cohort's own
 * organisations as series when the trend has them (up to five). */
static void cohort_trend(draw_doc *doc, const report *rep,
                         const parity_cohort_mark *mark)
{
	char codes[5][64];
	const char *orgs[5];
	size_t n = split_orgs(codes, 5, mark->organisations);
	for (size_t i = 0; i < n; i++)
		orgs[i] = codes[i];
	for (size_t k = 0; k < rep->ind_count; k++) {
		const report_indicator *ind = &rep->ind[k];
		report_trend trend;
		/* Organisation series only when the results hold them. */
		size_t use = ind->orgs.count > 1 ? n : 0;
		if (!report_trend_build(&trend, rep, ind, orgs, use))
			continue;
		chart_trend_style style;
		char title[200];
		report_trend_style(&style, rep, ind);
		if (use)
			snprintf(title, sizeof title, "%s: the cohort's organisations "
			         "and all organisations, by financial year",
			         ind->info->title);
		else
			snprintf(title, sizeof title, "%s: %s, by financial year",
			         ind->info->title, ind->overall->stratum);
		style.title = title;
		style.plot_height = 130;
		report_trend_place(doc, &style, &trend.trend);
		report_trend_free(&trend);
		return;
	}
}

/* The cohort's table: a row per indicator and arm. */
static void cohort_table(draw_doc *doc, const report *rep, const char *id)
{
	const parity_results *res = rep->results;
	enum { C_IND, C_ARM, C_BEFORE, C_AFTER, C_CHANGE, C_P, C_VERDICT, C_COUNT };
	size_t rows = 0;
	for (size_t i = 0; i < res->cohort_count; i++)
		rows += !strcmp(res->cohorts[i].cohort_id, id);
	if (!rows)
		return;
	draw_cell *cells = draw_calloc(rows * C_COUNT, sizeof *cells);
	unsigned *flags = draw_calloc(rows, sizeof *flags);
	if (!cells || !flags)
		goto done;
	size_t r = 0;
	const char *last = "";
	for (size_t i = 0; i < res->cohort_count; i++) {
		const parity_cohort_result *c = &res->cohorts[i];
		if (strcmp(c->cohort_id, id))
			continue;
		draw_cell *row = &cells[r * C_COUNT];
		size_t size = sizeof row[0].text;
		if (strcmp(c->indicator, last)) {
			report_short_name(row[C_IND].text, size, c->indicator);
			if (r > 0)
				flags[r] = DRAW_ROW_BOLD;
			last = c->indicator;
		}
		int diff = !strcmp(c->arm, "difference");
		snprintf(row[C_ARM].text, size, "%s", !strcmp(c->arm, "cohort") ? "Cohort"
		         : diff ? "Difference" : "Comparators");
		if (report_cohort_hidden(rep, c)) {
			/* Ratios over the arm's small counts would give them away. */
			snprintf(row[C_BEFORE].text, size, "%s", diff ? " " : "suppressed");
			snprintf(row[C_AFTER].text, size, "%s", diff ? " " : "suppressed");
			snprintf(row[C_CHANGE].text, size, "suppressed");
			snprintf(row[C_P].text, size, "-");
			snprintf(row[C_VERDICT].text, size, "small numbers");
			r++;
			continue;
		}
		if (diff) {
			snprintf(row[C_BEFORE].text, size, " ");
			snprintf(row[C_AFTER].text, size, " ");
		} else {
			estimate_text(row[C_BEFORE].text, size, c->before.estimable,
			              c->before.ratio, c->before.ci_low, c->before.ci_high);
			estimate_text(row[C_AFTER].text, size, c->after.estimable,
			              c->after.ratio, c->after.ci_low, c->after.ci_high);
		}
		estimate_text(row[C_CHANGE].text, size, c->change.estimable, c->change.ratio,
		              c->change.ci_low, c->change.ci_high);
		if (!c->change.estimable)
			snprintf(row[C_P].text, size, "-");
		else if (c->change.p < 0.001)
			snprintf(row[C_P].text, size, "< 0.001");
		else
			snprintf(row[C_P].text, size, "%.3f", c->change.p);
		snprintf(row[C_VERDICT].text, size, "%s", c->verdict);
		r++;
	}
	draw_column cols[C_COUNT] = {
		{"Indicator", 0, 0}, {"Arm", 0, 0}, {"Before", 0, DRAW_ALIGN_RIGHT},
		{"After", 0, DRAW_ALIGN_RIGHT},
		{"Change", 0, DRAW_ALIGN_RIGHT},
		{"p", 0, DRAW_ALIGN_RIGHT}, {"Verdict", 0, 0}};
	/* Bold rows only mark a new indicator: draw them plain. */
	for (size_t i = 0; i < rows; i++)
		flags[i] = 0;
	report_table(doc, cols, C_COUNT, NULL, 0, cells, flags, rows);
	report_paragraph(doc, report_note, DRAW_GREY,
	                 "Before, After: the Mantel\u2013Haenszel ratio (%g%% CI) "
	                 "over the arm's organisations in each window. Change: "
	                 "after \u00F7 before; on the Difference rows, the cohort's "
	                 "change \u00F7 the comparators' change "
	                 "(difference-in-differences).", rep->level * 100);
done:
	free(cells);
	free(flags);
}

void report_render_cohorts(draw_doc *doc, const report *rep)
{
	const parity_results *res = rep->results;
	if (res->cohort_count == 0 && res->mark_count == 0)
		return;
	report_part(doc, "Mentoring cohorts",
	            "Before and after each programme, against the organisations "
	            "without one");
	report_paragraph(doc, report_small, DRAW_BLACK,
	                 "For each cohort, the ratio over the %u months before the "
	                 "programme is compared with the %u months after it: the "
	                 "ratio of ratios (after \u00F7 before; Altman and Bland). "
	                 "Below 1 means the ratio fell. The organisations in no "
	                 "cohort over the same months are the comparators, and the "
	                 "difference-in-differences (cohort's change \u00F7 "
	                 "comparators' change) is the cohort's change beyond what "
	                 "happened anyway. \"Improved\" needs the whole interval on "
	                 "the side that moves the ratio toward 1.",
	                 res->cohort_window_months ? res->cohort_window_months : 12,
	                 res->cohort_window_months ? res->cohort_window_months : 12);
	for (size_t m = 0; m < res->mark_count; m++) {
		const parity_cohort_mark *mark = &res->marks[m];
		char heading[900];
		snprintf(heading, sizeof heading, "%s (%s): %s, %s to %s", mark->name,
		         mark->cohort_id, mark->organisations, mark->start_date,
		         mark->end_date);
		/* "R0A;R0B" reads "R0A, R0B". */
		gchar **parts = g_strsplit(heading, ";", -1);
		char *joined = g_strjoinv(", ", parts);
		draw_doc_heading(doc, 12, joined);
		g_free(joined);
		g_strfreev(parts);
		cohort_trend(doc, rep, mark);
		cohort_table(doc, rep, mark->cohort_id);
		/* The table has every figure: say in words only what moved. */
		int said = 0, estimable = 0;
		for (size_t i = 0; i < res->cohort_count; i++) {
			const parity_cohort_result *c = &res->cohorts[i];
			if (!strcmp(c->cohort_id, mark->cohort_id) &&
			    !strcmp(c->arm, "difference"))
				estimable |= c->change.estimable;
			if (strcmp(c->cohort_id, mark->cohort_id) ||
			    strcmp(c->arm, "difference") ||
			    (strncmp(c->verdict, "improved", 8) &&
			     strncmp(c->verdict, "worsened", 8)))
				continue;
			report_bullet(doc, report_small, "%s%s%s", c->statement,
			              c->note[0] && !strstr(c->statement, c->note) ? " " : "",
			              c->note[0] && !strstr(c->statement, c->note) ? c->note
			                                                          : "");
			said = 1;
		}
		if (!said && estimable)
			report_bullet(doc, report_small, "No indicator changed detectably "
			              "relative to the comparators.");
		else if (!said)
			report_bullet(doc, report_small, "No difference-in-differences "
			              "could be estimated (the comparators have no "
			              "estimate), so the cohort's change cannot be set "
			              "against what happened anyway.");
	}
}

/* ---- data quality -------------------------------------------------------------- */

/* Rows read, accepted and refused per kind (active files); refused by
 * reason. */
static void quality_rows(draw_doc *doc, const report *rep, const parity_quality *q)
{
	size_t rows = q->kind_count;
	draw_cell *cells = draw_calloc((rows + 1) * 5, sizeof *cells);
	size_t reasons = 0;
	for (size_t k = 0; k < q->kind_count; k++)
		reasons += q->kinds[k].counts.reason_count;
	draw_cell *why = draw_calloc((reasons + 1) * 3, sizeof *why);
	if (!cells || !why)
		goto done;
	for (size_t k = 0; k < q->kind_count; k++) {
		const parity_quality_kind *kind = &q->kinds[k];
		draw_cell *c = &cells[k * 5];
		size_t size = sizeof c[0].text;
		snprintf(c[0].text, size, "%s", kind->kind);
		count_text(c[1].text, size, rep, kind->counts.rows_read);
		count_text(c[2].text, size, rep, kind->counts.rows_accepted);
		count_text(c[3].text, size, rep, kind->counts.rows_rejected);
		share_text(c[4].text, size, rep, kind->counts.rows_rejected,
		           kind->counts.rows_read);
	}
	draw_column cols[5] = {{"Extract", 0, 0},
	                       {"Rows read", 0, DRAW_ALIGN_RIGHT},
	                       {"Accepted", 0, DRAW_ALIGN_RIGHT},
	                       {"Refused", 0, DRAW_ALIGN_RIGHT},
	                       {"Refused share", 0, DRAW_ALIGN_RIGHT}};
	draw_doc_heading(doc, 12, "Rows refused at ingest");
	if (rows)
		report_table(doc, cols, 5, NULL, 0, cells, NULL, rows);
	size_t r = 0;
	for (size_t k = 0; k < q->kind_count; k++) {
		const parity_quality_counts *c = &q->kinds[k].counts;
		for (size_t i = 0; i < c->reason_count; i++, r++) {
			snprintf(why[r * 3].text, sizeof why[0].text, "%s", q->kinds[k].kind);
			snprintf(why[r * 3 + 1].text, sizeof why[0].text, "%s",
			         c->reasons[i].reason);
			count_text(why[r * 3 + 2].text, sizeof why[0].text, rep,
			           c->reasons[i].count);
		}
	}
	if (r) {
		draw_column wcols[3] = {{"Extract", 0, 0}, {"Reason", 0, 0},
		                        {"Rows refused", 0, DRAW_ALIGN_RIGHT}};
		report_table(doc, wcols, 3, NULL, 0, why, NULL, r);
	} else {
		report_paragraph(doc, report_small, DRAW_BLACK,
		                 "No row was refused. Refused rows are listed, with "
		                 "their line numbers, in the rejects files written at "
		                 "ingest.");
	}
done:
	free(cells);
	free(why);
}

/* Not stated and not known, per characteristic and kind. */
static void quality_missing(draw_doc *doc, const report *rep, const parity_quality *q)
{
	const char *names[24];
	size_t count = 0, columns = q->kind_count + 1;
	for (size_t k = 0; k < q->kind_count; k++) {
		const parity_quality_counts *c = &q->kinds[k].counts;
		for (size_t i = 0; i < c->characteristic_count && count < 24; i++) {
			int known = 0;
			for (size_t j = 0; j < count && !known; j++)
				known = !strcmp(names[j], c->characteristics[i].name);
			if (!known)
				names[count++] = c->characteristics[i].name;
		}
	}
	if (!count || !q->kind_count)
		return;
	draw_cell *cells = draw_calloc(count * columns, sizeof *cells);
	draw_column *cols = draw_calloc(columns, sizeof *cols);
	if (!cells || !cols)
		goto done;
	cols[0] = (draw_column){"Characteristic", 0, 0};
	for (size_t k = 0; k < q->kind_count; k++)
		cols[k + 1] = (draw_column){q->kinds[k].kind, 0, DRAW_ALIGN_RIGHT};
	for (size_t r = 0; r < count; r++) {
		draw_cell *c = &cells[r * columns];
		size_t size = sizeof c[0].text;
		snprintf(c[0].text, size, "%s", names[r]);
		for (char *p = c[0].text; *p; p++)
			if (*p == '_')
				*p = ' ';
		for (size_t k = 0; k < q->kind_count; k++) {
			const parity_quality_counts *qc = &q->kinds[k].counts;
			const parity_quality_characteristic *ch = NULL;
			for (size_t i = 0; i < qc->characteristic_count && !ch; i++)
				if (!strcmp(qc->characteristics[i].name, names[r]))
					ch = &qc->characteristics[i];
			if (!ch) {
				snprintf(c[k + 1].text, size, "-");
				continue;
			}
			char ns[24], nk[24];
			share_text(ns, sizeof ns, rep, ch->not_stated, ch->total);
			share_text(nk, sizeof nk, rep, ch->not_known, ch->total);
			if (ch->not_known)
				snprintf(c[k + 1].text, size, "%s + %s not known", ns, nk);
			else
				snprintf(c[k + 1].text, size, "%s", ns);
		}
	}
	draw_doc_heading(doc, 12, "Not stated or not known");
	report_paragraph(doc, report_small, DRAW_BLACK,
	                 "Share of the rows counted (for training, of the people) "
	                 "whose characteristic was not stated, left blank or absent "
	                 "from the extract; ethnic category also has \"not known\". "
	                 "These rows are left out of every comparison of that "
	                 "characteristic.");
	report_table(doc, cols, columns, NULL, 0, cells, NULL, count);
done:
	free(cells);
	free(cols);
}

/* What each indicator left out, from its overall row. */
static void quality_exclusions(draw_doc *doc, const report *rep)
{
	if (!rep->ind_count)
		return;
	enum { E_IND, E_NSB, E_NSO, E_BB, E_BO, E_NC, E_COUNT };
	draw_cell cells[REPORT_MAX_INDICATORS * E_COUNT];
	memset(cells, 0, sizeof cells);
	for (size_t k = 0; k < rep->ind_count; k++) {
		const parity_result_row *row = rep->ind[k].overall;
		draw_cell *c = &cells[k * E_COUNT];
		size_t size = sizeof c[0].text;
		report_short_name(c[E_IND].text, size, row->indicator);
		report_excluded_text(c[E_NSB].text, size, rep, row, PARITY_EXCLUDED_NOT_STATED_BASE);
		report_excluded_text(c[E_NSO].text, size, rep, row, PARITY_EXCLUDED_NOT_STATED_OUTCOME);
		report_excluded_text(c[E_BB].text, size, rep, row, PARITY_EXCLUDED_BANK_BASE);
		report_excluded_text(c[E_BO].text, size, rep, row, PARITY_EXCLUDED_BANK_OUTCOME);
		report_excluded_text(c[E_NC].text, size, rep, row, PARITY_EXCLUDED_WITHOUT_CONTRACT);
	}
	draw_column cols[E_COUNT] = {
		{"Indicator", 0, 0},
		{"Not stated or not known: base", 0, DRAW_ALIGN_RIGHT},
		{"of which reached the outcome", 0, DRAW_ALIGN_RIGHT},
		{"Bank contracts: base", 0, DRAW_ALIGN_RIGHT},
		{"of which reached the outcome", 0, DRAW_ALIGN_RIGHT},
		{"Outcome with no contract recorded (counted)", 0, DRAW_ALIGN_RIGHT}};
	draw_doc_heading(doc, 12, "Left out of the indicators");
	report_paragraph(doc, report_small, DRAW_BLACK,
	                 "Rows in neither group (the characteristic not stated or "
	                 "not known) and bank staff (excluded, as WRES requires%s) "
	                 "for the period. Outcome rows with no contract recorded "
	                 "are counted as substantive staff.",
	                 rep->results->include_bank ? "; this report counts them "
	                                              "by request" : "");
	report_table(doc, cols, E_COUNT, NULL, 0, cells, NULL, rep->ind_count);
}

/* The disability declaration check, for the kinds that trip it. */
static void quality_disability(draw_doc *doc, const report *rep,
                               const parity_quality *q)
{
	GString *kinds = g_string_new(NULL);
	size_t n = 0;
	for (size_t k = 0; k < q->kind_count; k++) {
		const parity_quality_disability *d = &q->kinds[k].counts.disability;
		char share[24];
		if (!d->low)
			continue;
		share_text(share, sizeof share, rep, d->disabled,
		           d->disabled + d->not_disabled);
		g_string_append_printf(kinds, "%s%s %s", n ? "; " : "", share,
		                       q->kinds[k].kind);
		n++;
	}
	if (n) {
		draw_doc_heading(doc, 12, "Disability declaration");
		report_paragraph(doc, report_small, DRAW_BLACK,
		                 "<b>Disability is probably under-declared.</b> Of the "
		                 "people whose records state a disability status, the "
		                 "share recorded as disabled is %s, against about 18%% "
		                 "who say so in the NHS Staff Survey (ESR records "
		                 "typically show about 3%%). The WDES figures compare "
		                 "only those who declared; read them with care.",
		                 kinds->str);
	}
	g_string_free(kinds, TRUE);
}

void report_render_quality(draw_doc *doc, const report *rep)
{
	const parity_quality *q = rep->opt.quality;
	const parity_results *res = rep->results;
	report_part(doc, "Data quality", "What was refused, what was not stated, "
	            "and what the indicators leave out");
	if (q && q->active_files) {
		quality_rows(doc, rep, q);
		quality_missing(doc, rep, q);
	} else {
		report_paragraph(doc, report_small, DRAW_BLACK,
		                 "The data-quality summary of the database was not "
		                 "given to this report (see parity quality).");
	}
	quality_exclusions(doc, rep);
	if (q)
		quality_disability(doc, rep, q);
	if (res->note_count) {
		draw_doc_heading(doc, 12, "Not computed");
		for (size_t i = 0; i < res->note_count; i++)
			report_bullet(doc, report_small, "%s", res->notes[i]);
	}
}
