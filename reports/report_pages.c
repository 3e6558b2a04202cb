/*
 * report_pages.c: the board report's pages: the summary with the headline
 * ratio and how to read it, each indicator's chart and table by
 * organisation, and the methods and data-quality note.
 */
#include "parity/common.h"
#include "report_internal.h"

#include <glib.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const draw_font body = {10.0, 0, 0, 0};
static const draw_font body_small = {9.0, 0, 0, 0};
static const draw_font note_font = {8.0, 0, 0, 0};

/* ---- page 1: summary ----------------------------------------------------- */

/* Draw `text` (markup) as a paragraph with a bullet, indented. */
static void bullet(draw_doc *doc, draw_font font, const char *markup)
{
	double indent = 12, h = 0;
	double width = doc->right - doc->left - indent;
	draw_text_size(NULL, &h, doc->cr, width, font, DRAW_MARKUP, markup);
	draw_doc_need(doc, h);
	draw_colour_set(doc->cr, DRAW_BLACK);
	draw_text(doc->cr, doc->left + 2, doc->y, 0, font, 0, "\u2022");
	doc->y += draw_text(doc->cr, doc->left + indent, doc->y, width, font,
	                    DRAW_MARKUP, markup) + 3;
}

/* A markup paragraph built printf-style with every argument escaped. */
static void paragraph(draw_doc *doc, draw_font font, draw_colour colour,
                      const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *markup = g_markup_vprintf_escaped(fmt, ap);
	va_end(ap);
	draw_doc_text(doc, font, DRAW_MARKUP, colour, markup);
	g_free(markup);
	doc->y += 5;
}

/* The data-quality paragraph: shortlisted applicants with no usable
 * ethnicity, as a count (suppressed when small) and a share. */
static void data_quality(draw_doc *doc, const report *rep)
{
	uint64_t excluded = rep->results->excluded_not_stated;
	const parity_result_row *overall = NULL;
	char count[48];

	for (size_t i = 0; i < rep->section_count && !overall; i++)
		if (!strcmp(rep->sections[i].indicator, "WRES2"))
			overall = rep->sections[i].overall;
	int hidden = rep->suppress_below > 1 && excluded >= 1 &&
	             excluded < rep->suppress_below;
	if (hidden)
		snprintf(count, sizeof count, "fewer than %u", rep->suppress_below);
	else
		draw_format_count(count, sizeof count, excluded);

	if (excluded == 0) {
		paragraph(doc, body, DRAW_BLACK,
		          "<b>Data quality.</b> Every shortlisted applicant had a "
		          "stated ethnicity.");
	} else if (overall && !hidden) {
		/* The share is of everyone shortlisted: both groups and the
		 * excluded together. (Not given for a hidden count, which it
		 * would reveal.) */
		double all = (double)(overall->ratio.n1 + overall->ratio.n2 +
		                      excluded);
		paragraph(doc, body, DRAW_BLACK,
		          "<b>Data quality.</b> Ethnicity was not stated or not known "
		          "for %s shortlisted applicants (%.1f%% of all "
		          "shortlisted); they are left out of both groups.", count,
		          100.0 * (double)excluded / all);
	} else {
		paragraph(doc, body, DRAW_BLACK,
		          "<b>Data quality.</b> Ethnicity was not stated or not known "
		          "for %s shortlisted applicants; they are left out of both "
		          "groups.", count);
	}
}

static int row_suppressed(const section *s, const parity_result_row *row)
{
	for (size_t i = 0; i < s->count; i++) {
		if (s->rows[i] != row)
			continue;
		for (size_t k = 0; k < COUNT_COLUMNS; k++)
			if (s->marks[i * COUNT_COLUMNS + k] != SUPPRESS_SHOWN)
				return 1;
	}
	return 0;
}

static size_t row_index(const section *s, const parity_result_row *row)
{
	for (size_t i = 0; i < s->count; i++)
		if (s->rows[i] == row)
			return i;
	return 0;
}

/* The plain sentence for a row. The engine's sentence quotes counts for
 * zero, infinite, missing and low-count results, so when the row has
 * hidden counts those get wording without them. */
static void row_sentence(char *buf, size_t size, const section *s,
                         const parity_result_row *row)
{
	const parity_ratio *r = &row->ratio;
	int quotes_counts = r->low_count || !r->estimable || r->ratio == 0 ||
	                    isinf(r->ratio);
	if (quotes_counts && row_suppressed(s, row)) {
		snprintf(buf, size, "%s", r->low_count
		         ? "There are too few cases to draw a conclusion: the "
		           "counts are too small to publish."
		         : "Some counts for this comparison are too small to "
		           "publish; the ratio and its interval are shown above.");
		return;
	}
	parity_ratio_sentence(buf, size, &row->ratio, s->words.group1_phrase,
	                      s->words.group2_phrase, s->words.outcome_phrase);
}

/* The headline panel: the ratio large, with interval, band and test. */
static void headline(draw_doc *doc, const report *rep,
                     const parity_result_row *row)
{
	const parity_ratio *r = &row->ratio;
	cairo_t *cr = doc->cr;
	char big[32], ci[64], p[32];
	const draw_font big_font = {30.0, 1, 0, 0};
	double left_w = 150, pad = 12;
	double text_x = doc->left + left_w;
	double text_w = doc->right - text_x - pad;

	if (r->estimable)
		draw_format_ratio(big, sizeof big, r->ratio);
	else
		snprintf(big, sizeof big, "None");
	draw_format_interval(ci, sizeof ci, r->ci_low, r->ci_high);
	if (r->p_fisher < 0.001)
		snprintf(p, sizeof p, "p &lt; 0.001");
	else
		snprintf(p, sizeof p, "p = %.3f", r->p_fisher);

	const char *band;
	switch (r->estimable ? r->band : PARITY_BAND_NONE) {
	case PARITY_BAND_ABOVE: band = "Above the non-adverse range (0.80 to 1.25)"; break;
	case PARITY_BAND_BELOW: band = "Below the non-adverse range (0.80 to 1.25)"; break;
	case PARITY_BAND_INSIDE: band = "Within the non-adverse range (0.80 to 1.25)"; break;
	default: band = "No estimate: see below"; break;
	}
	const char *chance = !r->estimable ? ""
	                     : r->excludes_one ? (r->ratio > 1
	                         ? "The interval lies wholly above 1."
	                         : "The interval lies wholly below 1.")
	                     : "The interval includes 1: the difference could be chance.";
	/* Escaped pieces first, then the fixed markup around them. */
	char *text = g_markup_printf_escaped(
		"<b>%s</b>\n%g%% confidence interval: %s\n%s",
		band, rep->level * 100, r->estimable ? ci : "none", chance);
	char *with_test = g_strdup_printf(
		"%s%s\n<span size=\"smaller\" foreground=\"#505050\">Fisher's "
		"exact test, two-sided: %s</span>", text,
		r->low_count ? "\n<b>Too few cases to draw a conclusion.</b>" : "", p);

	double th = 0, bh = 0;
	draw_text_size(NULL, &th, cr, text_w, body, DRAW_MARKUP, with_test);
	draw_text_size(NULL, &bh, cr, left_w - 2 * pad, big_font, 0, big);
	double height = fmax(th, bh + 16) + 2 * pad;
	draw_doc_need(doc, height);

	draw_colour_set(cr, DRAW_PALE_GREY);
	cairo_rectangle(cr, doc->left, doc->y, doc->right - doc->left, height);
	cairo_fill(cr);
	draw_colour_set(cr, DRAW_BLUE);
	cairo_rectangle(cr, doc->left, doc->y, 4, height);
	cairo_fill(cr);
	draw_colour_set(cr, DRAW_BLACK);
	double y = doc->y + pad;
	draw_text(cr, doc->left + pad + 4, y, left_w - 2 * pad, big_font, 0, big);
	draw_colour_set(cr, DRAW_GREY);
	draw_text(cr, doc->left + pad + 4, y + bh, left_w - 2 * pad, note_font, 0,
	          "relative likelihood");
	draw_colour_set(cr, DRAW_BLACK);
	draw_text(cr, text_x, y, text_w, body, DRAW_MARKUP, with_test);
	doc->y += height + 8;
	g_free(text);
	g_free(with_test);
}

/* "White: 1,234 shortlisted, 234 appointed (19.0%)" with suppression. */
static void group_counts(char *buf, size_t size, const report *rep,
                         const section *s, const parity_result_row *row,
                         int group)
{
	const suppress_mark *m = &s->marks[row_index(s, row) * COUNT_COLUMNS];
	const parity_ratio *r = &row->ratio;
	uint64_t x = group == 1 ? r->x1 : r->x2, n = group == 1 ? r->n1 : r->n2;
	suppress_mark mx = m[group == 1 ? COUNT_X1 : COUNT_X2];
	suppress_mark mn = m[group == 1 ? COUNT_N1 : COUNT_N2];
	char xs[32], ns[32], rate[32];
	report_count_text(ns, sizeof ns, n, mn, rep->suppress_below);
	report_count_text(xs, sizeof xs, x, mx, rep->suppress_below);
	report_rate_text(rate, sizeof rate, x, n, mx, mn);
	snprintf(buf, size, "%s: %s %s, %s %s (%s)",
	         group == 1 ? row->group1 : row->group2, ns, s->words.base_label,
	         xs, s->words.outcome_label, rate);
}

/* A count in words where it reads better: 0 -> "none". */
static void how_many(char *buf, size_t size, size_t n)
{
	if (n == 0)
		snprintf(buf, size, "none");
	else
		snprintf(buf, size, "%zu", n);
}

static const char *has_have(size_t n)
{
	return n == 1 ? "has" : "have";
}

/* How the organisations fall against the band, in words. */
static void organisation_tally(draw_doc *doc, const section *s)
{
	size_t above = 0, inside = 0, below = 0, none = 0, low = 0;
	size_t wholly_above = 0, wholly_below = 0;
	for (size_t i = 0; i < s->org_count; i++) {
		const parity_ratio *r = &s->rows[i]->ratio;
		if (!r->estimable)
			none++;
		else if (r->band == PARITY_BAND_ABOVE)
			above++;
		else if (r->band == PARITY_BAND_BELOW)
			below++;
		else
			inside++;
		if (r->estimable && r->excludes_one && r->ratio > 1)
			wholly_above++;
		if (r->estimable && r->excludes_one && r->ratio < 1)
			wholly_below++;
		if (r->low_count)
			low++;
	}
	char none_text[64] = "", low_text[96] = "";
	if (none)
		snprintf(none_text, sizeof none_text, "; %zu with no estimate", none);
	if (low)
		snprintf(low_text, sizeof low_text,
		         " %zu %s too few cases to draw a conclusion.", low,
		         has_have(low));
	char above_text[32], below_text[32];
	how_many(above_text, sizeof above_text, wholly_above);
	how_many(below_text, sizeof below_text, wholly_below);
	paragraph(doc, body, DRAW_BLACK,
	          "<b>Organisations.</b> Of the %zu organisations, %zu %s a ratio "
	          "above 1.25, %zu within 0.80 to 1.25 and %zu below 0.80%s. The "
	          "interval lies wholly above 1 for %s of them and wholly below 1 "
	          "for %s.%s",
	          s->org_count, above, has_have(above), inside, below, none_text,
	          above_text, below_text, low_text);
}

static void render_summary(draw_doc *doc, const report *rep)
{
	const draw_font title = {20.0, 1, 0, 0};
	const draw_font subtitle = {11.0, 0, 0, 0};
	char line[512], sentence[600];

	draw_doc_new_page(doc);
	draw_doc_text(doc, title, 0, DRAW_BLACK, rep->title);
	doc->y += 2;
	snprintf(line, sizeof line, "%s \u00B7 %s \u00B7 board summary", rep->where,
	         rep->period);
	draw_doc_text(doc, subtitle, 0, DRAW_GREY, line);
	doc->y += 16;

	for (size_t i = 0; i < rep->section_count; i++) {
		const section *s = &rep->sections[i];
		const parity_result_row *row = s->overall ? s->overall : s->rows[0];
		draw_doc_heading(doc, 13, s->words.title);
		headline(doc, rep, row);
		row_sentence(sentence, sizeof sentence, s, row);
		paragraph(doc, body, DRAW_BLACK, "%s", sentence);
		char g1[160], g2[160];
		group_counts(g1, sizeof g1, rep, s, row, 1);
		group_counts(g2, sizeof g2, rep, s, row, 2);
		paragraph(doc, body, DRAW_BLACK, "<b>Counts (%s).</b> %s. %s.",
		          row->stratum, g1, g2);
		if (s->org_count > 1)
			organisation_tally(doc, s);
		doc->y += 8;
	}

	const section *s = &rep->sections[0];
	const parity_indicator_info *w = &s->words;
	char *points[5];
	points[0] = g_markup_printf_escaped(
		"The <b>relative likelihood</b> compares how likely %s were %s with "
		"how likely %s were. 1.00 means equally likely.",
		w->group1_phrase, w->outcome_phrase, w->group2_phrase);
	points[1] = g_markup_printf_escaped(
		"<b>Above 1:</b> %s were more likely %s; 1.50 means 1.5 times as "
		"likely. <b>Below 1:</b> %s were more likely %s.",
		w->group1_phrase, w->outcome_phrase, w->group2_phrase,
		w->outcome_phrase);
	points[2] = g_markup_printf_escaped(
		"<b>0.80 to 1.25</b> is treated as the non-adverse range (the "
		"four-fifths rule, both ways). A ratio outside it points to a "
		"difference worth examining.");
	points[3] = g_markup_printf_escaped(
		"The <b>%g%% confidence interval</b> is the range of values "
		"consistent with the data. If it includes 1, the difference could "
		"be due to chance.", rep->level * 100);
	points[4] = g_markup_printf_escaped(
		"With few cases a ratio can swing widely: such results are marked "
		"\"too few cases to draw a conclusion\" and should not be compared.");
	draw_doc_heading(doc, 11, "How to read this");
	for (int k = 0; k < 5; k++) {
		bullet(doc, body_small, points[k]);
		g_free(points[k]);
	}
	doc->y += 8;
	data_quality(doc, rep);
}

/*
 * How many organisation rows from `start` (with the overall rows after
 * them) fit in `space` points; `scratch` has room for every row.
 */
static size_t chart_rows_fitting(draw_doc *doc, const chart_ratio_style *style,
                                 const section *s, size_t start,
                                 chart_ratio_item *scratch, double space)
{
	double width = doc->right - doc->left;
	size_t overall = s->count - s->org_count;
	size_t left = s->org_count - start;
	/* Height grows by one row height per row: estimate, then check. */
	memcpy(scratch, s->items + start, sizeof *scratch);
	memcpy(scratch + 1, s->items + s->org_count, overall * sizeof *scratch);
	double one = chart_ratio_height(doc->cr, width, style, scratch,
	                                1 + overall);
	if (one > space)
		return 0;
	size_t take = 1 + (size_t)((space - one) / style->row_height);
	if (take > left)
		take = left;
	while (take > 1) {
		memcpy(scratch, s->items + start, take * sizeof *scratch);
		memcpy(scratch + take, s->items + s->org_count,
		       overall * sizeof *scratch);
		if (chart_ratio_height(doc->cr, width, style, scratch,
		                       take + overall) <= space)
			break;
		take--;
	}
	return take;
}

/*
 * Draw the section's chart at the cursor: rows as tall as fit (down to
 * CHART_ROW_MIN), on a fresh page if that helps, and split over pages with
 * the same axis (the overall row repeated) when even that is not enough.
 */
static void render_chart(draw_doc *doc, const report *rep, const section *s)
{
	chart_ratio_style style;
	double width = doc->right - doc->left;
	report_chart_style(&style, rep, s);
	chart_ratio_range(&style.axis_low, &style.axis_high, s->items, s->count);

	for (int fresh = 0; fresh < 2; fresh++) {
		double space = fresh ? draw_doc_page_space(doc)
		                     : draw_doc_space_left(doc);
		for (double row = CHART_ROW_DEFAULT; row >= CHART_ROW_MIN; row -= 1) {
			style.row_height = row;
			double h = chart_ratio_height(doc->cr, width, &style, s->items,
			                              s->count);
			if (h <= space) {
				if (fresh)
					draw_doc_new_page(doc);
				chart_ratio_draw(doc->cr, doc->left, doc->y, width,
				                 &style, s->items, s->count);
				doc->y += h + 10;
				return;
			}
		}
	}

	/* Too many rows for a page: runs of organisations, each with the
	 * overall rows appended, sharing one axis; the first run fills what is
	 * left of this page. */
	size_t overall = s->count - s->org_count;
	chart_ratio_item *chunk = calloc(s->count, sizeof *chunk);
	if (!chunk)
		return; /* the table still follows; cairo has nothing to report */
	style.row_height = CHART_ROW_MIN;
	size_t start = 0;
	while (start < s->org_count) {
		size_t left = s->org_count - start;
		size_t take = chart_rows_fitting(doc, &style, s, start, chunk,
		                                 draw_doc_space_left(doc));
		if (take < (left < 5 ? left : 5) && doc->y > doc->top) {
			draw_doc_new_page(doc);
			continue;
		}
		if (take == 0)
			take = 1; /* a page too small for even one row */
		memcpy(chunk, s->items + start, take * sizeof *chunk);
		memcpy(chunk + take, s->items + s->org_count, overall * sizeof *chunk);
		double h = chart_ratio_height(doc->cr, width, &style, chunk,
		                              take + overall);
		chart_ratio_draw(doc->cr, doc->left, doc->y, width, &style, chunk,
		                 take + overall);
		doc->y += h + 10;
		start += take;
		style.label_heading = "Organisation (continued)";
	}
	free(chunk);
}

static void render_section(draw_doc *doc, const report *rep,
                           const section *s)
{
	char text[600];
	draw_doc_new_page(doc);
	draw_doc_heading(doc, 14, s->words.title);
	snprintf(text, sizeof text, "By organisation, %s", rep->period);
	draw_doc_text(doc, (draw_font){11.0, 0, 0, 0}, 0, DRAW_GREY, text);
	doc->y += 8;
	paragraph(doc, body_small, DRAW_BLACK,
	          "Each row is one organisation: the dot is its relative "
	          "likelihood and the line its %g%% confidence interval, on a log "
	          "scale so that 0.5 and 2 are equally far from 1. The shaded band "
	          "is the non-adverse range 0.80 to 1.25 and the vertical line "
	          "marks 1 (equally likely). The diamond (%s) is the overall "
	          "ratio.", rep->level * 100,
	          s->overall ? s->overall->stratum : "all organisations");
	doc->y += 4;
	render_chart(doc, rep, s);

	draw_doc_heading(doc, 11, "Counts and ratios by organisation");
	/* Widths are layout: fitted here, on a copy of the model's columns. */
	draw_column columns[TABLE_COLUMNS];
	memcpy(columns, s->columns, sizeof columns);
	draw_table table = {
		.columns = columns, .column_count = TABLE_COLUMNS,
		.spans = s->spans, .span_count = 2, .cells = s->cells,
		.row_flags = s->row_flags, .row_count = s->count,
		.font = {8.0, 0, 0, 1},
	};
	draw_table_fit(columns, doc->cr, &table, doc->right - doc->left);
	draw_doc_table(doc, &table);
	doc->y += 6;

	char *notes = g_markup_printf_escaped(
		"Rate: %s as a percentage of %s. Ratio: the %s rate divided by the "
		"%s rate. Band: against the non-adverse range 0.80 to 1.25.%s",
		s->words.outcome_label, s->words.base_label, s->spans[0].heading,
		s->spans[1].heading,
		s->any_low ? " Few cases: too few cases to draw a conclusion." : "");
	draw_doc_text(doc, note_font, DRAW_MARKUP, DRAW_GREY, notes);
	g_free(notes);
	if (s->any_suppressed) {
		snprintf(text, sizeof text,
		         "<%u: between 1 and %u people, not shown to protect "
		         "privacy. [c]: not shown so that a hidden count cannot be "
		         "worked out from a total or a difference; rates built from a "
		         "hidden count are hidden too.", rep->suppress_below,
		         rep->suppress_below - 1);
		draw_doc_text(doc, note_font, 0, DRAW_GREY, text);
	}
	if (s->any_infinite)
		draw_doc_text(doc, note_font, 0, DRAW_GREY,
		              "\u221E (infinity): no one in the comparison group "
		              "reached the outcome, so the ratio, or its upper limit, "
		              "has no finite value.");
}

/* ---- methods ------------------------------------------------------------ */

static const char *method_title(parity_ci_method method)
{
	switch (method) {
	case PARITY_CI_KOOPMAN: return "Koopman asymptotic score (Biometrics 1984;40:513)";
	case PARITY_CI_KATZ: return "Katz log";
	case PARITY_CI_ADJUSTED_LOG: return "adjusted log (Walter; x + 0.5 and n + 0.5)";
	case PARITY_CI_MN: return "Miettinen-Nurminen score";
	default: return "unknown";
	}
}

static void render_methods(draw_doc *doc, const report *rep)
{
	const parity_stats_settings *st = &rep->results->settings;
	draw_doc_new_page(doc);
	draw_doc_heading(doc, 14, "Methods and data quality");
	for (size_t i = 0; i < rep->section_count; i++) {
		const section *s = &rep->sections[i];
		paragraph(doc, body, DRAW_BLACK,
		          "<b>%s.</b> The relative likelihood is the rate for %s "
		          "(%s as a share of %s) divided by the same rate for %s. A "
		          "value of 1 means equally likely; above 1, %s were more "
		          "likely %s.", s->words.title, s->words.group1_phrase,
		          s->words.outcome_label, s->words.base_label,
		          s->words.group2_phrase, s->words.group1_phrase,
		          s->words.outcome_phrase);
	}
	paragraph(doc, body, DRAW_BLACK,
	          "<b>Confidence intervals.</b> %g%% intervals by the %s method "
	          "(parity method \"%s\"). Where no one in the comparison group "
	          "reached the outcome the ratio and its upper limit are infinite "
	          "(\u221E); where no one in the first group did, the ratio and its "
	          "lower limit are 0. Where neither group did, there is no "
	          "estimate.", rep->level * 100, method_title(st->method),
	          parity_ci_method_name(st->method));
	paragraph(doc, body, DRAW_BLACK,
	          "<b>Significance.</b> p-values are from Fisher's exact test, "
	          "two-sided. An interval that includes 1 means the difference "
	          "could be due to chance.");
	paragraph(doc, body, DRAW_BLACK,
	          "<b>Non-adverse range.</b> Ratios from 0.80 to 1.25 are treated "
	          "as non-adverse: the four-fifths rule (29 CFR 1607.4(D)) applied "
	          "in both directions.");
	if (st->low_count_min > 0)
		paragraph(doc, body, DRAW_BLACK,
		          "<b>Few cases.</b> A result is marked \"too few cases to "
		          "draw a conclusion\" when fewer than %llu people reached the "
		          "outcome in both groups together, or either group has fewer "
		          "than %llu people.",
		          (unsigned long long)st->low_count_min,
		          (unsigned long long)st->low_count_min);
	if (rep->suppress_below > 1)
		paragraph(doc, body, DRAW_BLACK,
		          "<b>Small numbers.</b> Counts from 1 to %u are shown as "
		          "\"&lt;%u\". A further count is hidden, shown \"[c]\", "
		          "where a total or a difference (such as those not %s) "
		          "would otherwise reveal a hidden count, and rates built "
		          "from a hidden count are hidden too. Ratios and intervals "
		          "are shown for every organisation.",
		          rep->suppress_below - 1, rep->suppress_below,
		          rep->sections[0].words.outcome_label);
	else
		paragraph(doc, body, DRAW_BLACK,
		          "<b>Small numbers.</b> Small-number suppression is off: "
		          "every count is shown. Turn it on before this report "
		          "leaves the organisation.");

	data_quality(doc, rep);
	paragraph(doc, body, DRAW_BLACK,
	          "<b>Source.</b> Produced by parity %s on %s for %s, period %s.",
	          parity_version(), rep->date_text, rep->where, rep->period);
}

/* Lay the whole document out on `doc` (one pass). */
void report_render(draw_doc *doc, const report *rep)
{
	render_summary(doc, rep);
	for (size_t i = 0; i < rep->section_count; i++)
		render_section(doc, rep, &rep->sections[i]);
	render_methods(doc, rep);
	draw_doc_finish(doc);
}
