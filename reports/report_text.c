/*
 * report_text.c: how the report prints a row, the same way in every
 * table, chart and sentence (counts with suppression marks, rates, the
 * ratio with its interval, "suppressed (small numbers)"), and the
 * paragraph, table and chart helpers the pages share.
 */
#include "parity/codes.h"
#include "parity/common.h"
#include "report_internal.h"

#include "html.h"

#include <glib.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const draw_font report_body = {10.0, 0, 0, 0};
const draw_font report_small = {9.0, 0, 0, 0};
const draw_font report_note = {8.0, 0, 0, 0};
const draw_font report_table_font = {8.0, 0, 0, 1};

/* ---- one row ---------------------------------------------------------------- */

void report_count_text(char *buf, size_t size, const report *rep,
                       uint64_t value, unsigned mark)
{
	parity_publish_count_text(buf, size, rep->pub, value, (parity_count_mark)mark);
}

void report_small_legend(char *buf, size_t size, const report *rep)
{
	const char *mark = parity_publish_small_mark(rep->pub);
	if (!mark[0])
		snprintf(buf, size, "%s", "");
	else if (parity_publish_policy(rep->pub) == PARITY_DISCLOSURE_NHS_DIGITAL)
		snprintf(buf, size, " %s in a count column: between 1 and %u people; "
		         "other counts are rounded to the nearest 5; a row with such a "
		         "count shows no rate, ratio or interval, since they would "
		         "reveal it.", mark, rep->suppress_below - 1);
	else
		snprintf(buf, size, " %s: between 1 and %u people; [c]: hidden so that "
		         "a hidden count cannot be worked out from a total or a "
		         "difference; a row with a hidden count shows no rate, ratio or "
		         "interval, since they would reveal it.", mark,
		         rep->suppress_below - 1);
}

void report_excluded_text(char *buf, size_t size, const report *rep,
                          const parity_result_row *row, parity_excluded which)
{
	const uint64_t values[PARITY_EXCLUDED_KINDS] = {
		row->excluded_not_stated_base, row->excluded_not_stated_outcome,
		row->excluded_bank_base, row->excluded_bank_outcome,
		row->outcome_without_contract};
	report_count_text(buf, size, rep, values[which],
	                  parity_publish_excluded_mark(rep->pub, row, which));
}

void report_rate_text(char *buf, size_t size, uint64_t x, uint64_t n,
                      int hidden)
{
	if (hidden)
		snprintf(buf, size, "-");
	else
		draw_format_rate(buf, size, x, n);
}

void report_ratio_text(char *buf, size_t size, const report *rep,
                       const parity_result_row *row)
{
	const parity_ratio *r = &row->ratio;
	char ratio[24], ci[56];
	if (report_hidden(rep, row))
		snprintf(buf, size, REPORT_SUPPRESSED);
	else if (!r->estimable)
		snprintf(buf, size, "no estimate");
	else
		snprintf(buf, size, "%s (%s)",
		         draw_format_ratio(ratio, sizeof ratio, r->ratio),
		         draw_format_interval(ci, sizeof ci, r->ci_low, r->ci_high));
}

const char *report_band_word(const report *rep, const parity_result_row *row)
{
	const parity_ratio *r = &row->ratio;
	if (!r->estimable || report_hidden(rep, row))
		return "-";
	switch (r->band) {
	case PARITY_BAND_ABOVE: return "Above";
	case PARITY_BAND_INSIDE: return "Inside";
	case PARITY_BAND_BELOW: return "Below";
	default: return "-";
	}
}

void report_row_cells(draw_cell *c, const report *rep,
                      const parity_result_row *row, const char *label)
{
	const parity_ratio *r = &row->ratio;
	const unsigned char *m = report_marks(rep, row);
	int hidden = report_hidden(rep, row);
	size_t size = sizeof c[0].text;

	snprintf(c[COL_LABEL].text, size, "%s", label ? label : row->stratum);
	report_count_text(c[COL_N1].text, size, rep, r->n1, m[COUNT_N1]);
	report_count_text(c[COL_X1].text, size, rep, r->x1, m[COUNT_X1]);
	report_rate_text(c[COL_RATE1].text, size, r->x1, r->n1, hidden);
	report_count_text(c[COL_N2].text, size, rep, r->n2, m[COUNT_N2]);
	report_count_text(c[COL_X2].text, size, rep, r->x2, m[COUNT_X2]);
	report_rate_text(c[COL_RATE2].text, size, r->x2, r->n2, hidden);
	if (hidden) {
		snprintf(c[COL_RATIO].text, size, "suppressed");
		snprintf(c[COL_CI].text, size, "(small numbers)");
	} else if (r->estimable) {
		draw_format_ratio(c[COL_RATIO].text, size, r->ratio);
		draw_format_interval(c[COL_CI].text, size, r->ci_low, r->ci_high);
	} else {
		snprintf(c[COL_RATIO].text, size, "-");
		snprintf(c[COL_CI].text, size, "no estimate");
	}
	snprintf(c[COL_BAND].text, size, "%s%s", report_band_word(rep, row),
	         r->low_count && !hidden ? "*" : "");
}

chart_ratio_item report_row_item(const report *rep, const parity_result_row *row,
                                 const char *label, int overall)
{
	const parity_ratio *r = &row->ratio;
	return (chart_ratio_item){
		.label = label ? label : row->stratum, .ratio = r->ratio,
		.ci_low = r->ci_low, .ci_high = r->ci_high,
		.estimable = r->estimable, .low_count = r->low_count,
		.overall = overall, .pooled = overall && row->pooled,
		.suppressed = report_hidden(rep, row),
	};
}

void report_sentence(char *buf, size_t size, const report *rep,
                     const parity_result_row *row,
                     const parity_indicator_info *info)
{
	const parity_ratio *r = &row->ratio;
	if (report_hidden(rep, row)) {
		/* The engine's sentence quotes the ratio (and, for few cases,
		 * the counts): either would reveal a hidden count. */
		snprintf(buf, size, "%s", r->low_count
		         ? "There are too few cases to draw a conclusion: the "
		           "counts are too small to publish."
		         : "Some counts for this comparison are too small to "
		           "publish, so its ratio is not shown (it would reveal "
		           "them).");
		return;
	}
	parity_ratio_sentence(buf, size, r,
	                      info ? info->group1_phrase : row->group1,
	                      info ? info->group2_phrase : row->group2,
	                      info ? info->outcome_phrase : NULL);
	if (row->pooled || !strcmp(row->stratum_kind, "kline") || isnan(r->p_score) ||
	    !r->estimable || r->low_count || r->excludes_one)
		return;
	/* No detectable difference: say how large a difference these numbers
	 * could have shown, so that "no difference" is not read as "none". */
	char low[32], high[32];
	size_t used = strlen(buf);
	if (!isnan(r->mdr_low))
		draw_format_ratio(low, sizeof low, r->mdr_low);
	if (!isnan(r->mdr_high))
		draw_format_ratio(high, sizeof high, r->mdr_high);
	if (!isnan(r->mdr_low) && !isnan(r->mdr_high))
		snprintf(buf + used, size - used, " The interval includes 1; with these "
		         "numbers only a ratio below %s or above %s would have been "
		         "detected (80%% power, 5%% two-sided).", low, high);
	else if (!isnan(r->mdr_high) || !isnan(r->mdr_low))
		snprintf(buf + used, size - used, " The interval includes 1; with these "
		         "numbers only a ratio %s %s would have been detected (80%% "
		         "power, 5%% two-sided).", isnan(r->mdr_low) ? "above" : "below",
		         isnan(r->mdr_low) ? high : low);
	else
		snprintf(buf + used, size - used, " The interval includes 1; these "
		         "numbers are too few to detect any ratio with 80%% power.");
}

void report_short_name(char *buf, size_t size, const char *code)
{
	/* "WRES2" -> "WRES 2". */
	size_t letters = strcspn(code, "0123456789");
	if (letters && code[letters])
		snprintf(buf, size, "%.*s %s", (int)letters, code, code + letters);
	else
		snprintf(buf, size, "%s", code);
}

void report_group_label(char *buf, size_t size, const char *characteristic,
                        const char *group)
{
	if (!strcmp(characteristic, "ethnic_category")) {
		const char *label = parity_ethnic_label(group);
		if (label) {
			snprintf(buf, size, "%s %s", group, label);
			return;
		}
	}
	if (!strcmp(characteristic, "sex")) {
		if (!strcmp(group, "M")) {
			snprintf(buf, size, "Men");
			return;
		}
		if (!strcmp(group, "F")) {
			snprintf(buf, size, "Women");
			return;
		}
	}
	if (!strcmp(characteristic, "sexual_orientation") ||
	    !strcmp(characteristic, "religion")) {
		const char *label = characteristic[0] == 's'
		                    ? parity_sexual_orientation_label(group)
		                    : parity_religion_label(group);
		if (label) {
			snprintf(buf, size, "%s", label);
			return;
		}
	}
	if (!strcmp(characteristic, "age_band")) {
		snprintf(buf, size, "Aged %s", group);
		return;
	}
	/* "White Disabled" -> "White disabled" (two classes only: a cell of
	 * three keeps its codes as they are). */
	if (strstr(characteristic, "*disability")) {
		const char *space = strchr(group, ' ');
		if (space && space[1] && !strchr(space + 1, ' ')) {
			snprintf(buf, size, "%.*s %c%s", (int)(space - group), group,
			         g_ascii_tolower(space[1]), space + 2);
			return;
		}
	}
	/* "BME F" -> "BME women". */
	size_t len = strlen(group);
	if (len > 2 && group[len - 2] == ' ' && (group[len - 1] == 'F' ||
	                                         group[len - 1] == 'M')) {
		snprintf(buf, size, "%.*s %s", (int)(len - 2), group,
		         group[len - 1] == 'F' ? "women" : "men");
		return;
	}
	snprintf(buf, size, "%s", group);
}

/* ---- paragraphs, tables, charts -------------------------------------------- */

void report_paragraph(draw_doc *doc, draw_font font, draw_colour colour,
                      const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *markup = g_markup_vprintf_escaped(fmt, ap);
	va_end(ap);
	draw_doc_text(doc, font, DRAW_MARKUP, colour, markup);
	g_free(markup);
	doc->y += 4;
}

void report_bullet(draw_doc *doc, draw_font font, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *markup = g_markup_vprintf_escaped(fmt, ap);
	va_end(ap);
	double indent = 12, h = 0;
	double width = doc->right - doc->left - indent;
	draw_text_size(NULL, &h, doc->cr, width, font, DRAW_MARKUP, markup);
	draw_doc_need(doc, h);
	html_bullet(doc->html, markup);
	draw_colour_set(doc->cr, DRAW_BLACK);
	draw_tag_item_begin(doc);
	draw_text(doc->cr, doc->left + 2, doc->y, 0, font, 0, "\u2022");
	draw_tag_item_body(doc);
	doc->y += draw_text(doc->cr, doc->left + indent, doc->y, width, font,
	                    DRAW_MARKUP, markup) + 2;
	draw_tag_item_end(doc);
	g_free(markup);
}

void report_part(draw_doc *doc, const char *heading, const char *subtitle)
{
	report_part_after(doc, heading, subtitle, -1);
}

void report_part_after(draw_doc *doc, const char *heading, const char *subtitle,
                       double space)
{
	if (space < 0 || draw_doc_space_left(doc) < space || doc->page == 0) {
		draw_doc_new_page(doc);
	} else {
		/* A rule between this part and the one before. */
		doc->y += 10;
		draw_artifact_begin(doc->cr);
		draw_colour_set(doc->cr, DRAW_MID_GREY);
		cairo_set_line_width(doc->cr, 0.8);
		cairo_move_to(doc->cr, doc->left, doc->y);
		cairo_line_to(doc->cr, doc->right, doc->y);
		cairo_stroke(doc->cr);
		draw_artifact_end(doc->cr);
		doc->y += 10;
	}
	draw_doc_heading(doc, 15, heading);
	if (subtitle) {
		draw_doc_text(doc, (draw_font){10.5, 0, 0, 0}, 0, DRAW_GREY, subtitle);
		doc->y += 6;
	}
}

void report_table(draw_doc *doc, draw_column *columns, size_t column_count,
                  const draw_span *spans, size_t span_count,
                  const draw_cell *cells, const unsigned *row_flags,
                  size_t row_count)
{
	draw_table table = {
		.columns = columns, .column_count = column_count,
		.spans = spans, .span_count = span_count, .cells = cells,
		.row_flags = row_flags, .row_count = row_count,
		.font = report_table_font,
	};
	draw_table_fit(columns, doc->cr, &table, doc->right - doc->left);
	draw_doc_table(doc, &table);
	doc->y += 5;
}

void report_chart_style(chart_ratio_style *style, const report *rep,
                        const parity_indicator_info *info)
{
	memset(style, 0, sizeof *style);
	style->label_heading = "Organisation";
	if (info) {
		style->group1 = info->group1;
		style->group2 = info->group2;
		style->outcome = info->outcome_phrase;
	}
	style->level = rep->level;
	style->row_height = CHART_ROW_DEFAULT;
}

/*
 * How many rows from `start` (with the `tail` overall rows after them) fit
 * in `space` points; `scratch` has room for every row.
 */
static size_t rows_fitting(draw_doc *doc, const chart_ratio_style *style,
                           const chart_ratio_item *items, size_t body,
                           size_t tail, size_t start, chart_ratio_item *scratch,
                           double space)
{
	double width = doc->right - doc->left;
	size_t left = body - start;
	/* Every row is at least row_height tall: no more than this can fit, so
	 * a page's search lays out a page's rows, not every row left. */
	double most = space / fmax(style->row_height, CHART_ROW_MIN);
	size_t take = most < (double)left ? (size_t)most + 1 : left;
	while (take > 0) {
		memcpy(scratch, items + start, take * sizeof *scratch);
		memcpy(scratch + take, items + body, tail * sizeof *scratch);
		if (chart_ratio_height(doc->cr, width, style, scratch,
		                       take + tail) <= space)
			break;
		/* Jump close to the answer before stepping one at a time. */
		double h = chart_ratio_height(doc->cr, width, style, scratch,
		                              take + tail);
		size_t over = (size_t)((h - space) / style->row_height);
		take = over > 1 && over < take ? take - over + 1 : take - 1;
	}
	return take;
}

void report_ratio_chart(draw_doc *doc, const chart_ratio_style *given,
                        const chart_ratio_item *items, size_t count)
{
	chart_ratio_style style = *given;
	double width = doc->right - doc->left;
	if (count == 0)
		return;
	chart_alt alt;
	report_figure_ratio(&alt, doc, given, items, count, NULL);
	if (!(style.axis_low > 0))
		chart_ratio_range(&style.axis_low, &style.axis_high, items, count);

	for (int fresh = 0; fresh < 2; fresh++) {
		double space = fresh ? draw_doc_page_space(doc)
		                     : draw_doc_space_left(doc);
		for (double row = style.row_height > 0 ? style.row_height
		                                       : CHART_ROW_DEFAULT;
		     row >= CHART_ROW_MIN; row -= 1) {
			style.row_height = row;
			/* Each row takes at least `row`: too many rows to fit. */
			if ((double)count * row > space)
				continue;
			double h = chart_ratio_height(doc->cr, width, &style, items,
			                              count);
			if (h <= space) {
				if (fresh)
					draw_doc_new_page(doc);
				draw_tag_figure_begin(doc, alt.desc);
				chart_ratio_draw(doc->cr, doc->left, doc->y, width,
				                 &style, items, count);
				draw_tag_figure_end(doc);
				doc->y += h + 8;
				return;
			}
		}
	}

	/* Too many rows for a page: runs of rows, each with the overall rows
	 * appended, sharing one axis; the first run fills this page. */
	size_t body = 0;
	while (body < count && !items[body].overall)
		body++;
	size_t tail = count - body;
	chart_ratio_item *chunk = draw_calloc(count, sizeof *chunk);
	if (!chunk)
		return; /* the table still follows; cairo has nothing to report */
	style.row_height = CHART_ROW_MIN;
	size_t start = 0;
	int tagged = 0; /* the Figure spans the runs */
	const char *heading = style.label_heading ? style.label_heading : "";
	char continued[96];
	snprintf(continued, sizeof continued, "%s (continued)", heading);
	while (start < body) {
		size_t left = body - start;
		size_t take = rows_fitting(doc, &style, items, body, tail, start,
		                           chunk, draw_doc_space_left(doc));
		if (take < (left < 5 ? left : 5) && doc->y > doc->top) {
			draw_doc_new_page(doc);
			continue;
		}
		if (take == 0)
			take = 1; /* a page too small for even one row */
		memcpy(chunk, items + start, take * sizeof *chunk);
		memcpy(chunk + take, items + body, tail * sizeof *chunk);
		double h = chart_ratio_height(doc->cr, width, &style, chunk,
		                              take + tail);
		if (!tagged++)
			draw_tag_figure_begin(doc, alt.desc);
		chart_ratio_draw(doc->cr, doc->left, doc->y, width, &style, chunk,
		                 take + tail);
		doc->y += h + 8;
		start += take;
		style.label_heading = continued;
	}
	if (tagged)
		draw_tag_figure_end(doc);
	free(chunk);
}

#define ORG_COLLAPSE_MIN 10  /* hidden organisations that become one row */
#define ORG_SUMMARY_LABEL 64 /* bytes for that row's label */

size_t report_org_items(chart_ratio_item **out, const report *rep,
                        const report_indicator *ind)
{
	const row_list *shown = &ind->orgs_shown;
	size_t n = 0, hidden = 0, unshown = ind->orgs.count - shown->count;
	/* One block: the items, then room for the summary rows' labels. */
	size_t items = shown->count + 4;
	*out = draw_calloc(1, items * sizeof **out + 2 * ORG_SUMMARY_LABEL);
	if (!*out)
		return 0;
	char *labels = (char *)(*out + items);
	for (size_t i = 0; i < shown->count; i++)
		hidden += report_hidden(rep, shown->rows[i]) != 0;
	/* Many organisations with hidden counts would fill the chart with rows
	 * saying only that: they become one row, and the chart shows the
	 * others (the table under it still lists every organisation shown). */
	int collapse = hidden >= ORG_COLLAPSE_MIN && 2 * hidden > shown->count;
	for (size_t i = 0; i < shown->count; i++)
		if (!collapse || !report_hidden(rep, shown->rows[i]))
			(*out)[n++] = report_row_item(rep, shown->rows[i], NULL, 0);
	if (collapse) {
		snprintf(labels, ORG_SUMMARY_LABEL, "%zu other organisations", hidden);
		(*out)[n++] = (chart_ratio_item){.label = labels, .suppressed = 1};
	}
	if (unshown) {
		snprintf(labels + ORG_SUMMARY_LABEL, ORG_SUMMARY_LABEL,
		         "%zu more in report-tables.csv", unshown);
		(*out)[n++] = (chart_ratio_item){.label = labels + ORG_SUMMARY_LABEL,
		                                 .axis_text = ""};
	}
	(*out)[n++] = report_row_item(rep, ind->overall, NULL, 1);
	if (ind->pooled_org && ind->orgs.count > 1)
		(*out)[n++] = report_row_item(rep, ind->pooled_org, NULL, 1);
	return n;
}

/* ---- trend ------------------------------------------------------------------ */

void report_trend_place(draw_doc *doc, const chart_trend_style *style,
                        const chart_trend *trend)
{
	double width = doc->right - doc->left;
	double h = chart_trend_height(doc->cr, width, style, trend);
	chart_alt alt;
	report_figure_trend(&alt, doc, style, trend);
	draw_doc_need(doc, h);
	draw_tag_figure_begin(doc, alt.desc);
	chart_trend_draw(doc->cr, doc->left, doc->y, width, style, trend);
	draw_tag_figure_end(doc);
	doc->y += h + 8;
}

void report_trend_free(report_trend *t)
{
	free(t->periods);
	free(t->series);
	free(t->points);
	free(t->cohorts);
	free(t->labels);
	memset(t, 0, sizeof *t);
}

/* Whether `org` is one of the ';'-separated organisations in `list`. */
static int listed(const char *list, const char *org)
{
	size_t len = strlen(org);
	for (const char *p = list; *p;) {
		size_t n = strcspn(p, ";");
		if (n == len && !strncmp(p, org, n))
			return 1;
		p += n;
		if (*p)
			p++;
	}
	return 0;
}

int report_trend_build(report_trend *t, const report *rep,
                       const report_indicator *ind, const char *const *orgs,
                       size_t org_count)
{
	const parity_results *res = rep->results;
	size_t series = 1 + org_count;
	memset(t, 0, sizeof *t);
	/* The periods: each distinct period of this indicator's trend rows,
	 * in time order (trend rows come by period). */
	t->periods = draw_calloc(res->trend_count + 1, sizeof *t->periods);
	t->labels = draw_calloc(res->trend_count + 1, sizeof *t->labels);
	t->series = draw_calloc(series, sizeof *t->series);
	t->cohorts = draw_calloc(res->mark_count + 1, sizeof *t->cohorts);
	if (!t->periods || !t->labels || !t->series || !t->cohorts)
		goto fail;
	size_t periods = 0;
	for (size_t i = 0; i < res->trend_count; i++) {
		const parity_result_row *row = &res->trend[i];
		if (strcmp(row->indicator, ind->info->code))
			continue;
		int known = 0;
		for (size_t p = 0; p < periods && !known; p++)
			known = !strcmp(t->labels[p], row->period);
		if (known)
			continue;
		snprintf(t->labels[periods], sizeof t->labels[0], "%s", row->period);
		/* The months the period itself covers: the window's last twelve
		 * (a rolling window starts earlier). */
		t->periods[periods] = (chart_period){
			t->labels[periods], row->window_last_month - 11,
			row->window_last_month};
		periods++;
	}
	if (periods < 2)
		goto fail;
	t->points = draw_calloc(series * periods, sizeof *t->points);
	if (!t->points)
		goto fail;

	for (size_t s = 0; s < series; s++) {
		chart_trend_point *pts = &t->points[s * periods];
		const char *stratum = s == 0 ? ind->overall->stratum : orgs[s - 1];
		const char *kind = s == 0 ? "overall" : "organisation";
		t->series[s] = (chart_trend_series){stratum, pts, s == 0};
		for (size_t i = 0; i < res->trend_count; i++) {
			const parity_result_row *row = &res->trend[i];
			if (strcmp(row->indicator, ind->info->code) ||
			    strcmp(row->stratum_kind, kind) || row->pooled ||
			    strcmp(row->stratum, stratum))
				continue;
			for (size_t p = 0; p < periods; p++) {
				if (strcmp(t->labels[p], row->period))
					continue;
				/* The report's own period repeats a printed row: hold
				 * it back when that row's counts are hidden. */
				const parity_result_row *same = report_row_like(rep, row);
				pts[p] = (chart_trend_point){
					row->ratio.ratio, row->ratio.ci_low,
					row->ratio.ci_high, row->ratio.estimable,
					row->ratio.low_count,
					report_hidden(rep, row) ||
					(same && report_hidden(rep, same))};
			}
		}
	}
	/* Cohorts: every one, or with organisation series only theirs. */
	size_t cohorts = 0;
	for (size_t i = 0; i < res->mark_count; i++) {
		const parity_cohort_mark *m = &res->marks[i];
		int relevant = org_count == 0;
		for (size_t k = 0; k < org_count && !relevant; k++)
			relevant = listed(m->organisations, orgs[k]);
		if (!relevant)
			continue;
		t->cohorts[cohorts++] = (chart_cohort){m->cohort_id, m->start_month,
		                                        m->end_month};
	}
	t->trend = (chart_trend){t->periods, periods, t->series, series,
	                         cohorts ? t->cohorts : NULL, cohorts};
	return 1;
fail:
	report_trend_free(t);
	return 0;
}

void report_trend_style(chart_trend_style *style, const report *rep,
                        const report_indicator *ind)
{
	memset(style, 0, sizeof *style);
	style->period_label = "Financial year";
	style->group1 = ind->info->group1;
	style->group2 = ind->info->group2;
	style->outcome = ind->info->outcome_phrase;
	style->cohort_legend = "Mentoring cohort (programme dates)";
	style->level = rep->level;
	style->plot_height = 120;
}

/* ---- funnel ------------------------------------------------------------------ */

void report_funnel_free(report_funnel *f)
{
	free(f->units);
	free(f->limits);
	memset(f, 0, sizeof *f);
}

#define FUNNEL_CURVE_POINTS 60

int report_funnel_build(report_funnel *f, const report *rep,
                        const report_indicator *ind)
{
	memset(f, 0, sizeof *f);
	const parity_result_row *pooled = ind->pooled_org;
	/* A pooled ratio held back for small numbers: its centre line would
	 * give it away. */
	if (!pooled || ind->orgs.count < 2 || report_hidden(rep, pooled) ||
	    !(pooled->funnel_fit.target > 0) || !isfinite(pooled->funnel_fit.target))
		return 0;
	f->units = draw_calloc(ind->orgs.count, sizeof *f->units);
	f->limits = draw_calloc(FUNNEL_CURVE_POINTS, sizeof *f->limits);
	if (!f->units || !f->limits) {
		report_funnel_free(f);
		return 0;
	}
	double top = 0;
	for (size_t i = 0; i < ind->orgs.count; i++) {
		const parity_result_row *row = ind->orgs.rows[i];
		const parity_funnel_point *pt = &row->funnel;
		double size = pt->se > 0 ? 1 / (pt->se * pt->se) : 0;
		int placed = row->funnel_placed && pt->estimable && size > 0;
		f->units[i] = (chart_funnel_unit){
			row->stratum, size, pt->ratio, placed, pt->outside95,
			pt->outside998, report_hidden(rep, row)};
		if (placed && !report_hidden(rep, row))
			top = fmax(top, size);
	}
	size_t shown = 0;
	for (size_t i = 0; i < ind->orgs.count; i++)
		shown += f->units[i].estimable && !f->units[i].suppressed;
	/* With fewer than three organisations on it a funnel shows nothing. */
	if (!(top > 0) || shown < REPORT_FUNNEL_MIN) {
		report_funnel_free(f);
		return 0;
	}
	/* The control limits from the statistics module, along the axis. */
	top *= 1.1;
	size_t n = 0;
	for (size_t k = 0; k < FUNNEL_CURVE_POINTS; k++) {
		double size = top * (0.01 + 0.99 * (double)k / (FUNNEL_CURVE_POINTS - 1));
		double se = 1 / sqrt(size);
		chart_funnel_limit *l = &f->limits[n];
		l->size = size;
		if (parity_funnel_limits(&l->low95, &l->high95, &pooled->funnel_fit,
		                         se, 0.95) ||
		    parity_funnel_limits(&l->low998, &l->high998, &pooled->funnel_fit,
		                         se, 0.998))
			continue;
		n++;
	}
	parity_error_clear();
	f->funnel = (chart_funnel){f->units, ind->orgs.count, f->limits, n,
	                           pooled->funnel_fit.target};
	return 1;
}

void report_funnel_style(chart_funnel_style *style, const report *rep,
                         const report_indicator *ind)
{
	(void)rep;
	memset(style, 0, sizeof *style);
	style->size_label = "Precision of the organisation's ratio "
	                    "(1/SE\u00B2 of its log; larger organisations to the right)";
	style->target_label = "Pooled ratio of all organisations (Mantel\u2013Haenszel)";
	style->group1 = ind->info->group1;
	style->group2 = ind->info->group2;
	style->outcome = ind->info->outcome_phrase;
	style->plot_height = 150;
}
