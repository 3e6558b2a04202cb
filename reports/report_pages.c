/*
 * report_pages.c: the front of the board report: the one-page summary (a
 * line per indicator with its change since the previous year), "What
 * changed" for scheduled runs, and a section per indicator (chart by
 * organisation with the pooled ratio, trend, counts, notes); and the
 * order of the whole document.
 */
#include "parity/common.h"
#include "report_internal.h"

#include "html.h"

#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- summary -------------------------------------------------------------- */

/* The status of a row in words, and the colour of its marker. */
static const char *status_words(draw_colour *colour, const report *rep,
                                const parity_result_row *row)
{
	const parity_ratio *r = &row->ratio;
	*colour = DRAW_GREY;
	if (report_hidden(rep, row))
		return "Not shown: counts too small to publish";
	if (!r->estimable)
		return "No estimate";
	if (r->low_count)
		return "Too few cases to draw a conclusion";
	switch (r->band) {
	case PARITY_BAND_ABOVE:
		*colour = r->excludes_one ? DRAW_VERMILLION : DRAW_ORANGE;
		return r->excludes_one
		       ? "Above the non-adverse range; the interval lies wholly above 1"
		       : "Above the non-adverse range, but the interval includes 1";
	case PARITY_BAND_BELOW:
		*colour = r->excludes_one ? DRAW_VERMILLION : DRAW_ORANGE;
		return r->excludes_one
		       ? "Below the non-adverse range; the interval lies wholly below 1"
		       : "Below the non-adverse range, but the interval includes 1";
	default:
		*colour = DRAW_GREEN;
		return r->excludes_one
		       ? "Within the non-adverse range 0.80 to 1.25, though the "
		         "interval excludes 1"
		       : "Within the non-adverse range 0.80 to 1.25";
	}
}

/* "Was 1.64 in 2024/25: outside this year's interval ..." into `buf`. */
static void change_words(char *buf, size_t size, const report *rep,
                         const report_indicator *ind)
{
	const parity_result_row *prev = ind->previous;
	const parity_ratio *now = &ind->overall->ratio;
	char was[24];
	if (!prev) {
		snprintf(buf, size, "No earlier year in the data to compare with.");
		return;
	}
	if (report_hidden(rep, prev)) {
		/* The earlier year's ratio would give its small counts away. */
		snprintf(buf, size, "The %s figure is not shown (small numbers), so "
		         "no comparison is made.", prev->period);
		return;
	}
	if (!prev->ratio.estimable) {
		snprintf(buf, size, "No estimate for %s to compare with.", prev->period);
		return;
	}
	draw_format_ratio(was, sizeof was, prev->ratio.ratio);
	if (report_hidden(rep, ind->overall) || !now->estimable || now->low_count ||
	    !isfinite(prev->ratio.ratio)) {
		snprintf(buf, size, "Was %s in %s; no comparison can be made this "
		         "year.", was, prev->period);
		return;
	}
	int beyond = prev->ratio.ratio < now->ci_low || prev->ratio.ratio > now->ci_high;
	const char *moved = prev->ratio.ratio > now->ratio ? "fall" : "rise";
	if (beyond)
		snprintf(buf, size, "Was %s in %s: outside this year's interval, so "
		         "the %s is beyond the interval.", was, prev->period, moved);
	else
		snprintf(buf, size, "Was %s in %s: inside this year's interval, so "
		         "no clear change.", was, prev->period);
}

/* One indicator's line on the summary: the ratio large on the left with
 * its interval, then the status, the sentence and the change. */
static void summary_line(draw_doc *doc, const report *rep,
                         const report_indicator *ind)
{
	const parity_result_row *row = ind->overall;
	const parity_ratio *r = &row->ratio;
	cairo_t *cr = doc->cr;
	const draw_font big = {17.0, 1, 0, 0};
	double left_w = 92, pad = 7;
	double text_x = doc->left + left_w + 8, text_w = doc->right - text_x - pad;
	char name[32], ratio[32], ci[96], sentence[640], change[256];
	draw_colour colour;
	const char *status = status_words(&colour, rep, row);

	report_short_name(name, sizeof name, ind->info->code);
	int hidden = report_hidden(rep, row);
	if (hidden || !r->estimable || r->low_count) {
		snprintf(ratio, sizeof ratio, "\u2013");
		snprintf(ci, sizeof ci, "%s", hidden ? "suppressed"
		                              : !r->estimable ? "no estimate"
		                                              : "too few cases");
	} else {
		draw_format_ratio(ratio, sizeof ratio, r->ratio);
		char interval[48];
		draw_format_interval(interval, sizeof interval, r->ci_low, r->ci_high);
		snprintf(ci, sizeof ci, "%g%% CI %s", rep->level * 100, interval);
	}
	report_sentence(sentence, sizeof sentence, rep, row, ind->info);
	change_words(change, sizeof change, rep, ind);
	const char *title = strchr(ind->info->title, ':');
	title = title ? title + 2 : ind->info->title;
	char *text = g_markup_printf_escaped(
		"<b>%s \u00B7 %s.</b> %s.\n%s\n<span foreground=\"#505050\">%s%s</span>",
		name, title, status, sentence, change,
		strcmp(row->window, row->period) && row->window[0]
		? " (Counted over a rolling window of years.)" : "");

	double th = 0;
	draw_text_size(NULL, &th, cr, text_w, report_small, DRAW_MARKUP, text);
	double height = fmax(th, 44) + 2 * pad;
	draw_doc_need(doc, height);
	draw_artifact_begin(cr);
	draw_colour_set(cr, DRAW_PALE_GREY);
	cairo_rectangle(cr, doc->left, doc->y, doc->right - doc->left, height);
	cairo_fill(cr);
	draw_colour_set(cr, colour);
	cairo_rectangle(cr, doc->left, doc->y, 5, height);
	cairo_fill(cr);
	draw_artifact_end(cr);
	draw_colour_set(cr, DRAW_BLACK);
	double y = doc->y + pad;
	draw_tag_begin(doc, "P");
	double bh = draw_text(cr, doc->left + 12, y, left_w - 14, big, 0, ratio);
	draw_colour_set(cr, DRAW_GREY);
	draw_text(cr, doc->left + 12, y + bh, left_w - 10, report_note, 0, ci);
	draw_colour_set(cr, DRAW_BLACK);
	draw_text(cr, text_x, y, text_w, report_small, DRAW_MARKUP, text);
	draw_tag_end(doc, "P");
	doc->y += height + 5;
	if (doc->html) {
		char *lead = g_markup_printf_escaped("<b>%s</b> (%s). ", ratio, ci);
		char *both = g_strconcat(lead, text, NULL);
		html_text(doc->html, 1, 0, both);
		g_free(both);
		g_free(lead);
	}
	g_free(text);
}

/* Append `code` to the ", "-separated `list`. */
static void list_add(char *list, size_t size, const char *code)
{
	size_t len = strlen(list);
	if (len + 1 < size)
		snprintf(list + len, size - len, "%s%s", len ? ", " : "", code);
}

/* Organisations outside the funnel's limits, for the key points: beyond
 * 99.8% first, then beyond 95% only. */
static void funnel_points(draw_doc *doc, const report *rep)
{
	for (size_t k = 0; k < rep->ind_count; k++) {
		const report_indicator *ind = &rep->ind[k];
		char lists[4][256] = {"", "", "", ""}, name[32];
		size_t counts[4] = {0, 0, 0, 0};
		if (ind->orgs.count < 2 || !ind->pooled_org ||
		    report_hidden(rep, ind->pooled_org))
			continue;
		for (size_t i = 0; i < ind->orgs.count; i++) {
			const parity_result_row *row = ind->orgs.rows[i];
			const parity_funnel_point *f = &row->funnel;
			if (!row->funnel_placed || report_hidden(rep, row) || !f->outside95)
				continue;
			/* 0: above 99.8%, 1: below 99.8%, 2: above 95%, 3: below 95%. */
			size_t which = f->outside998 ? (f->outside998 > 0 ? 0 : 1)
			                             : (f->outside95 > 0 ? 2 : 3);
			list_add(lists[which], sizeof lists[which], row->stratum);
			counts[which]++;
		}
		report_short_name(name, sizeof name, ind->info->code);
		static const char *const where[] = {
			"above the funnel plot's 99.8% limits: a gap far wider than "
			"chance would explain",
			"below the funnel plot's 99.8% limits: far narrower than the "
			"others, beyond chance",
			"above the funnel plot's 95% limits (about one organisation in "
			"twenty is outside them by chance)",
			"below the funnel plot's 95% limits (about one in twenty by chance)",
		};
		for (size_t w = 0; w < 4; w++)
			if (counts[w])
				report_bullet(doc, report_small, "%s: %s %s %s.", name,
				              lists[w], counts[w] == 1 ? "is" : "are", where[w]);
	}
}

/* Key points after the lines: outliers, Simpson's paradox, cohorts. */
static void key_points(draw_doc *doc, const report *rep)
{
	const parity_results *res = rep->results;
	draw_doc_heading(doc, 11, "Points to note");
	double before = doc->y;
	funnel_points(doc, rep);
	for (size_t k = 0; k < rep->ind_count; k++) {
		const report_indicator *ind = &rep->ind[k];
		const parity_result_row *pooled[] = {ind->pooled_org, ind->pooled_band,
		                                     ind->pooled_group};
		static const char *const by[] = {"organisation", "pay band",
		                                  "staff group"};
		char name[32];
		report_short_name(name, sizeof name, ind->info->code);
		for (int b = 0; b < 3; b++)
			if (pooled[b] && pooled[b]->direction_reversed &&
			    !report_hidden(rep, pooled[b]))
				report_bullet(doc, report_small,
				              "%s: pooled within each %s, the ratio lies on "
				              "the other side of 1 from the overall ratio "
				              "(Simpson's paradox): see the breakdowns.",
				              name, by[b]);
	}
	for (size_t i = 0; i < res->cohort_count; i++) {
		const parity_cohort_result *c = &res->cohorts[i];
		if (strcmp(c->arm, "difference") || (strncmp(c->verdict, "improved", 8) &&
		                                     strncmp(c->verdict, "worsened", 8)) ||
		    report_cohort_hidden(rep, c))
			continue;
		report_bullet(doc, report_small, "%s", c->statement);
	}
	if (doc->y == before)
		report_bullet(doc, report_small,
		              "No organisation lies outside the funnel plot's 99.8%% "
		              "limits, no breakdown reverses the overall direction, "
		              "and no mentoring cohort shows a detectable change "
		              "relative to its comparators.");
}

void report_render_summary(draw_doc *doc, const report *rep)
{
	const draw_font title = {19.0, 1, 0, 0};
	char line[256];

	draw_doc_new_page(doc);
	draw_doc_title(doc, title, rep->title);
	doc->y += 1;
	snprintf(line, sizeof line, "%s \u00B7 %s \u00B7 summary for the board",
	         rep->where, rep->period);
	draw_doc_text(doc, (draw_font){11.0, 0, 0, 0}, 0, DRAW_GREY, line);
	doc->y += 8;
	report_paragraph(doc, report_small, DRAW_BLACK,
	                 "Each line compares how likely two groups were to reach an "
	                 "outcome: the <b>relative likelihood</b>. 1.00 means equally "
	                 "likely. Every line is oriented so that <b>above 1 means the "
	                 "minority or protected group is worse off</b>. 0.80 to 1.25 "
	                 "is the non-adverse range; the %g%% confidence interval "
	                 "shows how sure we are (if it includes 1, the difference "
	                 "could be chance).", rep->level * 100);
	/* g_markup_printf_escaped escapes arguments only: the tags above are
	 * markup, and the figure is a number. */
	doc->y += 2;
	for (size_t k = 0; k < rep->ind_count; k++)
		summary_line(doc, rep, &rep->ind[k]);
	if (rep->ind_count == 0)
		report_paragraph(doc, report_body, DRAW_BLACK,
		                 "The data hold none of the standard indicators for this "
		                 "period; the comparisons by characteristic follow.");
	doc->y += 4;
	key_points(doc, rep);
	doc->y += 2;
	report_paragraph(doc, report_note, DRAW_GREY,
	                 "Change: last year's figure is compared with this year's "
	                 "%g%% interval; outside it, the change is called beyond "
	                 "the interval (a screening rule; the trend charts show "
	                 "both years' intervals). Too few cases: in one of the two "
	                 "groups, fewer than %llu people reached the outcome. "
	                 "Details, methods and data quality follow.",
	                 rep->level * 100,
	                 (unsigned long long)rep->results->settings.low_count_min);
}

/* ---- what changed ----------------------------------------------------------- */

/* The row an indicator line of the changes ("WRES2, R0A: ...") is about,
 * or NULL. */
static const parity_result_row *change_row(const report *rep, const char *line)
{
	const char *comma = strstr(line, ", ");
	const char *colon = comma ? strstr(comma, ": ") : NULL;
	if (!comma || !colon || (size_t)(comma - line) >= 16)
		return NULL;
	char indicator[16], stratum[64];
	snprintf(indicator, sizeof indicator, "%.*s", (int)(comma - line), line);
	snprintf(stratum, sizeof stratum, "%.*s", (int)(colon - comma - 2), comma + 2);
	for (size_t k = 0; k < rep->ind_count; k++) {
		const report_indicator *ind = &rep->ind[k];
		if (strcmp(ind->info->code, indicator))
			continue;
		if (!strcmp(ind->overall->stratum, stratum))
			return ind->overall;
		for (size_t i = 0; i < ind->orgs.count; i++)
			if (!strcmp(ind->orgs.rows[i]->stratum, stratum))
				return ind->orgs.rows[i];
	}
	return NULL;
}

void report_render_changes(draw_doc *doc, const report *rep)
{
	char heading[96];
	if (!rep->opt.changes)
		return;
	snprintf(heading, sizeof heading, "What changed%s%s",
	         rep->opt.changes_month ? ": the run for " : "",
	         rep->opt.changes_month ? rep->opt.changes_month : "");
	report_part(doc, heading, "Files delivered this month, and indicators whose "
	            "new estimate lies outside the interval of the previous "
	            "month's run");
	size_t shown = 0;
	for (size_t i = 0; rep->opt.changes[i]; i++) {
		const char *line = rep->opt.changes[i];
		const parity_result_row *row = change_row(rep, line);
		if (row && report_hidden(rep, row)) {
			/* The line quotes the ratio and interval, which would
			 * reveal the row's hidden counts. */
			char who[96];
			snprintf(who, sizeof who, "%.*s", (int)(strstr(line, ": ") - line),
			         line);
			report_bullet(doc, report_small, "%s: moved outside the previous "
			              "interval (figures " REPORT_SUPPRESSED ").", who);
		} else {
			report_bullet(doc, report_small, "%s", line);
		}
		shown++;
	}
	if (!shown)
		report_bullet(doc, report_small, "No files were delivered and no "
		              "indicator moved outside its previous interval.");
}

/* ---- a section per indicator ------------------------------------------------- */

/* The notes under an indicator's table, as one paragraph: exclusions,
 * window, what the columns mean, suppression, infinity. */
static void indicator_notes(draw_doc *doc, const report *rep,
                            const report_indicator *ind)
{
	const parity_result_row *row = ind->overall;
	const parity_indicator_info *w = ind->info;
	char a[32], b[32], c[32], d[32], e[32];
	const char *who = !strcmp(w->grouping, "disability") ? "disability"
	                                                     : "ethnicity";
	GString *text = g_string_new(NULL);
	report_excluded_text(a, sizeof a, rep, row, PARITY_EXCLUDED_NOT_STATED_BASE);
	report_excluded_text(b, sizeof b, rep, row, PARITY_EXCLUDED_NOT_STATED_OUTCOME);
	report_excluded_text(c, sizeof c, rep, row, PARITY_EXCLUDED_BANK_BASE);
	report_excluded_text(d, sizeof d, rep, row, PARITY_EXCLUDED_BANK_OUTCOME);
	report_excluded_text(e, sizeof e, rep, row, PARITY_EXCLUDED_WITHOUT_CONTRACT);
	g_string_append_printf(text, "Left out: %s %s (%s %s) whose %s was not "
	                       "stated or not known, and %s %s (%s %s) on bank "
	                       "contracts%s.", a, w->base_label, b, w->outcome_label,
	                       who, c, w->base_label, d, w->outcome_label,
	                       rep->results->include_bank
	                       ? " (counted: bank staff were included by request)"
	                       : "");
	if (row->outcome_without_contract)
		g_string_append_printf(text, " Counted as not bank: %s %s with no "
		                       "contract recorded.", e, w->outcome_label);
	if (strcmp(row->window, row->period) && row->window[0])
		g_string_append_printf(text, " Counted over %s (a rolling window of %u "
		                       "years, as the standard does, to steady small "
		                       "numbers)%s.", row->window, row->window_periods,
		                       strstr(row->flags, "window_incomplete")
		                       ? "; the window reaches before the data, so "
		                         "only the years with data are counted" : "");
	if (strstr(row->flags, "headcount_before_period"))
		g_string_append_printf(text, " The headcount comes from the latest "
		                       "snapshot before the period (%s).", row->snapshots);
	g_string_append_printf(text, " Rate: %s as a percentage of %s. Ratio: the "
	                       "%s rate divided by the %s rate. Band: against 0.80 "
	                       "to 1.25; * too few cases to draw a conclusion.", w->outcome_label, w->base_label, w->group1,
	                       w->group2);
	char legend[400];
	report_small_legend(legend, sizeof legend, rep);
	g_string_append(text, legend);
	int infinite = 0;
	for (size_t i = 0; i < ind->orgs.count; i++) {
		const parity_ratio *r = &ind->orgs.rows[i]->ratio;
		if (r->estimable && !report_hidden(rep, ind->orgs.rows[i]) &&
		    (isinf(r->ratio) || isinf(r->ci_high)))
			infinite = 1;
	}
	if (infinite)
		g_string_append(text, " \u221E (infinity): no one in the comparison "
		                "group reached the outcome, so the ratio, or its upper "
		                "limit, has no finite value.");
	draw_doc_text(doc, report_note, 0, DRAW_GREY, text->str);
	g_string_free(text, TRUE);
}

/* The homogeneity note for the pooled row, with what it means. */
static void homogeneity_note(char *buf, size_t size, const report *rep,
                             const parity_result_row *pooled)
{
	char q[96];
	buf[0] = '\0';
	if (!pooled)
		return;
	if (report_strata_hidden(rep, pooled)) {
		/* The pooled ratio weighs each organisation differently, so with
		 * the published totals it is one more equation in the hidden
		 * counts: the published set withholds it with the test. */
		snprintf(buf, size, "Pooled ratio and homogeneity test not shown: "
		         "with the other organisations' counts they could reveal a "
		         "suppressed one.");
		return;
	}
	if (report_hidden(rep, pooled))
		return;
	if (!pooled->pool.homogeneity_estimable) {
		snprintf(buf, size, "Homogeneity: not computed (fewer than two "
		         "organisations with an estimate).");
		return;
	}
	chart_format_homogeneity(q, sizeof q, pooled->pool.q, (int)pooled->pool.df,
	                         pooled->pool.p_homogeneity);
	snprintf(buf, size, "%s: %s%s", q,
	         pooled->pool.p_homogeneity < 0.05
	         ? "the organisations' ratios differ more than chance would "
	           "explain, so read the pooled ratio with care."
	         : "no evidence that the organisations' ratios differ beyond "
	           "chance.",
	         pooled->direction_reversed
	         ? " The pooled ratio lies on the other side of 1 from the "
	           "overall ratio (Simpson's paradox)." : "");
}

void report_render_indicator(draw_doc *doc, const report *rep,
                             const report_indicator *ind)
{
	char sentence[640], subtitle[160], name[32], note[400];
	const parity_result_row *row = ind->overall;

	report_short_name(name, sizeof name, ind->info->code);
	snprintf(subtitle, sizeof subtitle, "%s \u00B7 %s \u00B7 %s", name,
	         rep->where, rep->period);
	/* A short section (one organisation) may follow the one before. */
	report_part_after(doc, ind->info->title, subtitle,
	                  390 + 28.0 * (double)ind->orgs_shown.count);
	report_sentence(sentence, sizeof sentence, rep, row, ind->info);
	report_paragraph(doc, report_body, DRAW_BLACK, "%s", sentence);

	if (ind->orgs.count > 0) {
		chart_ratio_item *items = NULL;
		size_t n = report_org_items(&items, rep, ind);
		chart_ratio_style style;
		report_chart_style(&style, rep, ind->info);
		homogeneity_note(note, sizeof note, rep, ind->pooled_org);
		style.note = note[0] ? note : NULL;
		style.row_height = 13;
		report_ratio_chart(doc, &style, items, n);
		free(items);
	}

	report_trend trend;
	if (report_trend_build(&trend, rep, ind, NULL, 0)) {
		chart_trend_style style;
		report_trend_style(&style, rep, ind);
		style.plot_height = 95;
		report_trend_place(doc, &style, &trend.trend);
		report_trend_free(&trend);
	}

	/* Counts: the organisations drawn, then the overall row in bold. */
	const row_list *shown = &ind->orgs_shown;
	size_t rows = shown->count + 1;
	draw_cell *cells = draw_calloc(rows * TABLE_COLUMNS, sizeof *cells);
	unsigned *flags = draw_calloc(rows, sizeof *flags);
	if (cells && flags) {
		for (size_t i = 0; i < shown->count; i++)
			report_row_cells(&cells[i * TABLE_COLUMNS], rep, shown->rows[i], NULL);
		report_row_cells(&cells[shown->count * TABLE_COLUMNS], rep, row, NULL);
		flags[rows - 1] = DRAW_ROW_BOLD;
		char base[40], outcome[40], ci[24];
		snprintf(base, sizeof base, "%s", ind->info->base_label);
		snprintf(outcome, sizeof outcome, "%s", ind->info->outcome_label);
		base[0] = (char)g_ascii_toupper(base[0]);
		outcome[0] = (char)g_ascii_toupper(outcome[0]);
		snprintf(ci, sizeof ci, "%g%% CI", rep->level * 100);
		draw_column columns[TABLE_COLUMNS] = {
			{"Organisation", 0, 0}, {base, 0, DRAW_ALIGN_RIGHT},
			{outcome, 0, DRAW_ALIGN_RIGHT}, {"Rate", 0, DRAW_ALIGN_RIGHT},
			{base, 0, DRAW_ALIGN_RIGHT}, {outcome, 0, DRAW_ALIGN_RIGHT},
			{"Rate", 0, DRAW_ALIGN_RIGHT}, {"Ratio", 0, DRAW_ALIGN_RIGHT},
			{ci, 0, DRAW_ALIGN_RIGHT}, {"Band", 0, 0}};
		draw_span spans[2] = {{COL_N1, 3, ind->info->group1},
		                      {COL_N2, 3, ind->info->group2}};
		draw_doc_heading(doc, 11, "Counts and rates");
		if (shown->count < ind->orgs.count)
			report_paragraph(doc, report_small, DRAW_BLACK,
			                 "%zu of the %zu organisations are shown: those outside "
			                 "the funnel plot's limits, then those with the most %s. "
			                 "Every organisation's row is in report-tables.csv.",
			                 shown->count, ind->orgs.count, ind->info->base_label);
		report_table(doc, columns, TABLE_COLUMNS, spans, 2, cells, flags, rows);
	}
	free(cells);
	free(flags);
	report_render_stages(doc, rep, ind);
	indicator_notes(doc, rep, ind);
}

/* ---- the document ------------------------------------------------------------ */

void report_render(draw_doc *doc, const report *rep)
{
	report_render_summary(doc, rep);
	report_render_changes(doc, rep);
	for (size_t k = 0; k < rep->ind_count; k++)
		report_render_indicator(doc, rep, &rep->ind[k]);
	report_render_return(doc, rep);
	report_render_characteristics(doc, rep);
	report_render_organisations(doc, rep);
	report_render_strata(doc, rep);
	report_render_cohorts(doc, rep);
	report_render_programme(doc, rep);
	report_render_quality(doc, rep);
	report_render_methods(doc, rep);
	report_render_record(doc, rep);
	draw_doc_finish(doc);
}
