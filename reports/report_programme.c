/*
 * report_programme.c: the board report's page on a programme rolled out
 * over years (results->programme, the event study): its cohorts, the
 * pooled effect per indicator in plain words with the smallest change it
 * could have detected, the pre-trend check, and the event-study charts.
 * Every estimate passes the disclosure gate first: the published set's
 * decision on each term (parity_publish_programme).
 */
#include "html.h"
#include "parity/common.h"
#include "report_internal.h"

#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROGRAMME_CHART_WIDTH 511.0 /* points: the PDF's content width */

static int hidden(const report *rep, const parity_programme_row *row)
{
	return parity_publish_programme_hidden(rep->pub, row);
}

static const parity_programme_row *find(const parity_results *res, const char *indicator,
                                        const char *term)
{
	for (size_t i = 0; i < res->programme_count; i++)
		if (!strcmp(res->programme[i].indicator, indicator) &&
		    !strcmp(res->programme[i].term, term))
			return &res->programme[i];
	return NULL;
}

/* "R0A;R0B" as "R0A, R0B". */
static void list_text(char *buf, size_t size, const char *list)
{
	gchar **parts = g_strsplit(list, ";", -1);
	char *joined = g_strjoinv(", ", parts);
	snprintf(buf, size, "%s", joined);
	g_free(joined);
	g_strfreev(parts);
}

/* The cohorts: who, when, how many pairs, and who joins with each. */
static void cohorts_table(draw_doc *doc, const report *rep)
{
	const parity_results *res = rep->results;
	enum { K_ID, K_ORGS, K_DATES, K_PAIRS, K_YEAR, K_JOIN, K_COUNT };
	size_t rows = res->programme_cohort_count;
	draw_cell *cells = draw_calloc(rows * K_COUNT + 1, sizeof *cells);
	if (!cells)
		return;
	for (size_t i = 0; i < rows; i++) {
		const parity_programme_cohort *c = &res->programme_cohorts[i];
		draw_cell *row = &cells[i * K_COUNT];
		size_t size = sizeof row[0].text;
		snprintf(row[K_ID].text, size, "%s", c->cohort_id);
		list_text(row[K_ORGS].text, size, c->organisations);
		snprintf(row[K_DATES].text, size, "%s to %s", c->start_date, c->end_date);
		if (c->pairs < 0)
			snprintf(row[K_PAIRS].text, size, "-");
		else
			snprintf(row[K_PAIRS].text, size, "%ld", c->pairs);
		snprintf(row[K_YEAR].text, size, "%s", c->joining_year);
		if (c->joiner_count)
			list_text(row[K_JOIN].text, size, c->joiners);
		else
			snprintf(row[K_JOIN].text, size, "none (joined earlier)");
	}
	draw_column cols[K_COUNT] = {
		{"Cohort", 0, 0}, {"Organisations", 0, 0}, {"Dates", 0, 0},
		{"Pairs", 0, DRAW_ALIGN_RIGHT}, {"Joining year", 0, 0},
		{"Joining with it", 0, 0}};
	draw_doc_heading(doc, 12, "The cohorts");
	report_table(doc, cols, K_COUNT, NULL, 0, cells, NULL, rows);
	report_paragraph(doc, report_note, DRAW_GREY,
	                 "An organisation joins with its first cohort: that sets its "
	                 "joining year (the financial year the cohort starts in), and a "
	                 "later cohort of the same organisation does not move it. Pairs: "
	                 "mentoring pairs, as the cohort file gives them.");
	for (size_t i = 0; i < rows; i++)
		if (res->programme_cohorts[i].note[0])
			report_paragraph(doc, report_note, DRAW_GREY, "%s: %s.",
			                 res->programme_cohorts[i].cohort_id,
			                 res->programme_cohorts[i].note);
	free(cells);
}

static void estimate_cell(char *buf, size_t size, const report *rep,
                          const parity_programme_row *row)
{
	if (!row)
		snprintf(buf, size, "-");
	else if (hidden(rep, row))
		snprintf(buf, size, "suppressed");
	else if (!row->estimable)
		snprintf(buf, size, "no estimate");
	else
		draw_format_estimate(buf, size, row->estimate, row->ci_low, row->ci_high);
}

/* One row per indicator and (all cohorts, each cohort). */
static void effects_table(draw_doc *doc, const report *rep)
{
	const parity_results *res = rep->results;
	enum { E_IND, E_WHO, E_EST, E_P, E_MDE, E_ORGS, E_COUNT };
	size_t terms = 1 + res->programme_cohort_count;
	size_t rows = 0;
	for (size_t k = 0; parity_indicator_info_at(k); k++)
		rows += terms;
	draw_cell *cells = draw_calloc(rows * E_COUNT + 1, sizeof *cells);
	if (!cells)
		return;
	size_t r = 0;
	for (size_t k = 0; parity_indicator_info_at(k); k++) {
		const parity_indicator_info *info = parity_indicator_info_at(k);
		for (size_t t = 0; t < terms; t++) {
			char term[80];
			if (t == 0)
				snprintf(term, sizeof term, "overall");
			else
				snprintf(term, sizeof term, "cohort:%s",
				         res->programme_cohorts[t - 1].cohort_id);
			const parity_programme_row *row = find(res, info->code, term);
			draw_cell *c = &cells[r++ * E_COUNT];
			size_t size = sizeof c[0].text;
			if (t == 0)
				report_short_name(c[E_IND].text, size, info->code);
			snprintf(c[E_WHO].text, size, "%s", t == 0 ? "All cohorts"
			         : res->programme_cohorts[t - 1].cohort_id);
			estimate_cell(c[E_EST].text, size, rep, row);
			int shown = row && row->estimable && !hidden(rep, row);
			if (!shown)
				snprintf(c[E_P].text, size, "-");
			else if (row->p < 0.001)
				snprintf(c[E_P].text, size, "< 0.001");
			else
				snprintf(c[E_P].text, size, "%.3f", row->p);
			if (shown)
				snprintf(c[E_MDE].text, size, "%.2f or %.2f", row->mde_low,
				         row->mde_high);
			else
				snprintf(c[E_MDE].text, size, "-");
			snprintf(c[E_ORGS].text, size, "%zu (%zu)", row ? row->organisations : 0,
			         row ? row->treated : 0);
		}
	}
	char ci[40];
	snprintf(ci, sizeof ci, "Ratio of ratios (%g%% CI)", rep->level * 100);
	draw_column cols[E_COUNT] = {
		{"Indicator", 0, 0}, {"Cohorts", 0, 0}, {ci, 0, DRAW_ALIGN_RIGHT},
		{"p", 0, DRAW_ALIGN_RIGHT}, {"Smallest detectable", 0, DRAW_ALIGN_RIGHT},
		{"Organisations (joined)", 0, DRAW_ALIGN_RIGHT}};
	draw_doc_heading(doc, 12, "The effect, indicator by indicator");
	report_table(doc, cols, E_COUNT, NULL, 0, cells, NULL, rows);
	report_paragraph(doc, report_note, DRAW_GREY,
	                 "Ratio of ratios: the change in the joiners' ratio from the year "
	                 "before joining, divided by the change in the organisations not "
	                 "yet or never joined over the same years, averaged over the years "
	                 "from joining (cohorts weighted by their organisations). Below 1: "
	                 "the ratio fell relative to the comparators. Smallest "
	                 "detectable: the ratios of ratios below and above 1 this "
	                 "analysis would find with 80%% power at the %g%% level. "
	                 "Organisations: those whose counts enter, with those that "
	                 "joined in brackets.", rep->level * 100);
	free(cells);
}

/* The sentence for one indicator: the effect in plain words, the
 * smallest detectable change, and the pre-trend check. */
static void indicator_sentence(draw_doc *doc, const report *rep,
                               const parity_indicator_info *info)
{
	const parity_results *res = rep->results;
	const parity_programme_row *all = find(res, info->code, "overall");
	const parity_programme_row *pre = find(res, info->code, "pretrend");
	char name[24], text[900], check[400];
	report_short_name(name, sizeof name, info->code);
	int pct = (int)lround(rep->level * 100);
	if (!all || !all->estimable) {
		snprintf(text, sizeof text, "%s: no estimate of the programme's effect (%s).",
		         name, all && all->note[0] ? all->note : "no data");
	} else if (parity_publish_programme(rep->pub, all) == PARITY_PROGRAMME_SMALL) {
		snprintf(text, sizeof text, "%s: not shown, to protect small numbers (a "
		         "count of 1 to %u lies behind it).", name,
		         parity_publish_threshold(rep->pub) - 1);
	} else if (hidden(rep, all)) {
		snprintf(text, sizeof text, "%s: not shown, to protect small numbers (it "
		         "rests on a count the report hides to protect a small one).", name);
	} else if (all->ci_high < 1 || all->ci_low > 1) {
		snprintf(text, sizeof text, "%s: after joining, the ratio %s by a factor of "
		         "%.2f relative to the organisations not (yet) in the programme "
		         "(%d%% CI %.2f to %.2f): a detectable %s.%s", name,
		         all->estimate < 1 ? "fell" : "rose", all->estimate, pct,
		         all->ci_low, all->ci_high, all->estimate < 1 ? "fall" : "rise",
		         info->higher_is_worse_for_group2
		         ? (all->estimate < 1 ? " Where the ratio was above 1, a fall "
		                                "means the gap narrowed."
		                              : " Where the ratio was above 1, a rise "
		                                "means the gap widened.")
		         : "");
	} else {
		snprintf(text, sizeof text, "%s: no detectable change (ratio of ratios %.2f, "
		         "%d%% CI %.2f to %.2f). The smallest change this could have "
		         "detected is a ratio of ratios of %.2f (a fall) or %.2f (a rise), "
		         "at 80%% power: a smaller effect may be there and not be seen.",
		         name, all->estimate, pct, all->ci_low, all->ci_high, all->mde_low,
		         all->mde_high);
	}
	/* The test carries the smallest count of the effects it combines. */
	int pre_hidden = pre && hidden(rep, pre);
	if (!pre || !pre->estimable)
		snprintf(check, sizeof check, " No pre-trend check: it needs two years of "
		         "data before a cohort joins.");
	else if (pre_hidden)
		snprintf(check, sizeof check, " The pre-trend check is not shown, to "
		         "protect small numbers.");
	else if (pre->p < 1 - rep->level)
		snprintf(check, sizeof check, " Caution: before joining, the joiners' ratio "
		         "was already moving apart from the comparators' (pre-trend test "
		         "p = %.3f over %u year%s), so part of this may be a trend that was "
		         "there anyway.", pre->p, pre->df, pre->df == 1 ? "" : "s");
	else
		snprintf(check, sizeof check, " Before joining, the joiners moved in step "
		         "with the comparators (pre-trend test p = %.2f over %u year%s), as "
		         "the method assumes.", pre->p, pre->df, pre->df == 1 ? "" : "s");
	report_bullet(doc, report_small, "%s%s", text, check);
}

#define EVENT_POINTS 64

/* The event-time marks of `info` as the gate allows them into `points`
 * (EVENT_POINTS of them); how many. */
static size_t event_points(chart_event_point *points, const report *rep,
                           const parity_indicator_info *info)
{
	const parity_results *res = rep->results;
	size_t n = 0;
	for (size_t i = 0; i < res->programme_count && n < EVENT_POINTS; i++) {
		const parity_programme_row *r = &res->programme[i];
		if (strcmp(r->indicator, info->code) || strncmp(r->term, "event:", 6))
			continue;
		chart_event_point *p = &points[n++];
		p->event = atoi(r->term + 6);
		p->suppressed = hidden(rep, r);
		p->estimable = r->estimable;
		p->ratio = r->estimate;
		p->ci_low = r->ci_low;
		p->ci_high = r->ci_high;
	}
	return n;
}

/* Whether `info` gets an event-study chart: its pooled effect is shown (a
 * chart of withheld marks says nothing the sentence does not). */
static int charted(const report *rep, const parity_indicator_info *info)
{
	const parity_programme_row *all = find(rep->results, info->code, "overall");
	return all && all->estimable && !hidden(rep, all);
}

int report_programme_chart_files(const report *rep, const parity_indicator_info *info,
                                 const char *stem, double width, const char *out_dir)
{
	static const struct {
		parity_chart_format format;
		const char *ext;
	} kinds[] = {{PARITY_CHART_PNG, "png"}, {PARITY_CHART_SVG, "svg"}};
	chart_event_point points[EVENT_POINTS];
	if (!charted(rep, info))
		return 0;
	size_t n = event_points(points, rep, info);
	char title[200];
	snprintf(title, sizeof title, "%s: ratio of ratios by years since joining, all "
	         "cohorts", info->title);
	chart_event_style style = {title, rep->level, 0, NULL};
	int rc = 0;
	for (size_t k = 0; k < 2 && !rc && n; k++) {
		char name[96], path[4096];
		snprintf(name, sizeof name, "%s-event.%s", stem, kinds[k].ext);
		int len = snprintf(path, sizeof path, "%s/%s", out_dir, name);
		if (len < 0 || (size_t)len >= sizeof path)
			return parity_error_set(PARITY_EUSAGE, "%s: path too long", out_dir);
		rc = chart_event_write(path, kinds[k].format, width, &style, points, n);
	}
	return rc;
}

/* The event-study chart of one indicator, in the PDF (tagged as a figure
 * with its description) and the HTML (inline SVG and its data). */
static void event_chart(draw_doc *doc, const report *rep,
                        const parity_indicator_info *info)
{
	chart_event_point points[EVENT_POINTS];
	size_t n = event_points(points, rep, info);
	if (!n)
		return;
	char title[200];
	snprintf(title, sizeof title, "%s: ratio of ratios by years since joining, all "
	         "cohorts", info->title);
	chart_event_style style = {title, rep->level, 120, NULL};
	chart_alt alt;
	chart_event_alt(&alt, &style, points, n);
	double width = doc->right - doc->left;
	double h = chart_event_height(doc->cr, width, &style, points, n);
	draw_doc_need(doc, h);
	draw_tag_figure_begin(doc, alt.desc);
	chart_event_draw(doc->cr, doc->left, doc->y, width, &style, points, n);
	draw_tag_figure_end(doc);
	doc->y += h + 8;
	if (!doc->html)
		return;
	char id[24];
	html_figure_id(id, sizeof id, doc->html);
	char *svg = chart_event_svg(PROGRAMME_CHART_WIDTH, &style, points, n, &alt, id);
	draw_column columns[2] = {{"Years since joining", 0, DRAW_ALIGN_LEFT},
	                          {"Ratio of ratios (CI)", 0, DRAW_ALIGN_RIGHT}};
	draw_cell cells[128];
	for (size_t i = 0; i < n; i++) {
		snprintf(cells[i * 2].text, sizeof cells[0].text, "%d", points[i].event);
		if (points[i].suppressed)
			snprintf(cells[i * 2 + 1].text, sizeof cells[0].text, REPORT_SUPPRESSED);
		else if (!points[i].estimable)
			snprintf(cells[i * 2 + 1].text, sizeof cells[0].text, "no estimate");
		else
			draw_format_estimate(cells[i * 2 + 1].text, sizeof cells[0].text,
			                     points[i].ratio, points[i].ci_low, points[i].ci_high);
	}
	draw_table table = {.columns = columns, .column_count = 2, .cells = cells,
	                    .row_count = n, .font = report_table_font};
	html_figure(doc->html, svg, alt.title, &table);
	g_free(svg);
}

void report_render_programme(draw_doc *doc, const report *rep)
{
	const parity_results *res = rep->results;
	if (!res->programme_count && !res->programme_cohort_count)
		return;
	report_part(doc, "The programme's roll-out",
	            "Organisations that joined in different years, each against those "
	            "not yet or never joined");
	report_paragraph(doc, report_small, DRAW_BLACK,
	                 "Organisations joined the programme in different years (%s "
	                 "analysed, each year counted on its own). For each indicator, the "
	                 "change in the joiners' ratio from the year before they joined is "
	                 "set against the change, over the same years, in the "
	                 "organisations that had not joined yet or never did: a staggered "
	                 "difference-in-differences (Callaway and Sant'Anna, 2021), with "
	                 "Mantel\u2013Haenszel pooling inside each comparison and "
	                 "intervals that allow for an organisation serving in several "
	                 "comparisons. With few organisations, most effects cannot be "
	                 "told from chance: the smallest change each analysis could "
	                 "detect is given beside it, so that \"no detectable change\" is "
	                 "not read as \"no change\".",
	                 res->programme_years[0] ? res->programme_years : "the years");
	cohorts_table(doc, rep);
	effects_table(doc, rep);
	draw_doc_heading(doc, 12, "In plain words");
	for (size_t k = 0; parity_indicator_info_at(k); k++)
		indicator_sentence(doc, rep, parity_indicator_info_at(k));
	draw_doc_heading(doc, 12, "By years since joining");
	report_paragraph(doc, report_small, DRAW_BLACK,
	                 "For each indicator whose pooled effect is shown, each mark is "
	                 "the ratio of ratios at that many years from "
	                 "joining, pooled over the cohorts that reach it. Marks before 0 "
	                 "compare each year before joining with the year before it: near "
	                 "1 is what the method needs (no trend of the joiners' own). "
	                 "From 0 on, each is the change from the year before joining.");
	for (size_t k = 0; parity_indicator_info_at(k); k++) {
		const parity_indicator_info *info = parity_indicator_info_at(k);
		if (charted(rep, info))
			event_chart(doc, rep, info);
	}
}
