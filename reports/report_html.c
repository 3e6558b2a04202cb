/*
 * report_html.c: the report's charts for readers who do not see them:
 * each chart's title and description (chart_alt.c) for the tagged PDF's
 * Figure, and on the HTML page the chart as inline SVG with the figures it
 * draws as a table a reader can open ("show the data"). Called where the
 * PDF draws the chart.
 */
#include "report_internal.h"

#include "html.h"

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HTML_CHART_WIDTH 511.0 /* points: the PDF's content width */

/* A chart's title: its own, else "<heading>: <what>". */
static void figure_title(char *buf, size_t size, const draw_doc *doc,
                         const char *own, const char *what)
{
	if (own && *own)
		snprintf(buf, size, "%s", own);
	else if (doc->html)
		snprintf(buf, size, "%s: %s", html_last_heading(doc->html), what);
	else
		snprintf(buf, size, "%s", what);
}

/* A data table of `rows` x `cols` cells (owned by the caller). */
static draw_table data_table(draw_column *columns, size_t cols,
                             const draw_cell *cells, size_t rows)
{
	for (size_t c = 0; c < cols; c++)
		columns[c].align = c ? DRAW_ALIGN_RIGHT : DRAW_ALIGN_LEFT;
	return (draw_table){.columns = columns, .column_count = cols,
	                    .cells = cells, .row_count = rows,
	                    .font = report_table_font};
}

void report_figure_ratio(chart_alt *alt, draw_doc *doc, const chart_ratio_style *given,
                       const chart_ratio_item *items, size_t count,
                       const char *what)
{
	chart_ratio_style style = *given;
	char title[400], id[24], ci[48];
	figure_title(title, sizeof title, doc, style.title,
	             what ? what : "ratios with their confidence intervals");
	style.title = title;
	chart_ratio_alt(alt, &style, items, count);
	style.title = given->title;
	if (!doc->html)
		return;
	style.hide_labels = 0;
	style.label_width = 0;
	style.heading_width = 0;
	html_figure_id(id, sizeof id, doc->html);
	char *svg = chart_ratio_svg(HTML_CHART_WIDTH, &style, items, count, alt, id);

	draw_cell *cells = draw_calloc(count * 3 + 1, sizeof *cells);
	size_t rows = 0;
	snprintf(ci, sizeof ci, "%g%% confidence interval",
	         (style.level > 0 ? style.level : 0.95) * 100);
	draw_column columns[3] = {
		{style.label_heading ? style.label_heading : "Row", 0, 0},
		{"Ratio", 0, 0}, {ci, 0, 0}};
	for (size_t i = 0; cells && i < count; i++) {
		const chart_ratio_item *it = &items[i];
		draw_cell *row = &cells[rows * 3];
		snprintf(row[0].text, sizeof row[0].text, "%s", it->label ? it->label : "");
		if (it->heading) {
			rows++;
			continue;
		}
		if (it->suppressed) {
			snprintf(row[1].text, sizeof row[1].text, REPORT_SUPPRESSED);
		} else if (!it->estimable) {
			snprintf(row[1].text, sizeof row[1].text, "%s",
			         it->axis_text && *it->axis_text ? it->axis_text
			         : "no estimate");
		} else {
			draw_format_ratio(row[1].text, sizeof row[1].text, it->ratio);
			draw_format_interval(row[2].text, sizeof row[2].text, it->ci_low,
			                     it->ci_high);
			if (it->low_count)
				snprintf(row[1].text + strlen(row[1].text),
				         sizeof row[1].text - strlen(row[1].text),
				         " (too few cases)");
		}
		rows++;
	}
	draw_table table = data_table(columns, 3, cells, cells ? rows : 0);
	html_figure(doc->html, svg, alt->title, &table);
	g_free(svg);
	free(cells);
}

void report_figure_trend(chart_alt *alt, draw_doc *doc, const chart_trend_style *given,
                       const chart_trend *trend)
{
	chart_trend_style style = *given;
	char title[400], id[24];
	figure_title(title, sizeof title, doc, style.title, "trend over the years");
	style.title = title;
	chart_trend_alt(alt, &style, trend);
	style.title = given->title;
	if (!doc->html)
		return;
	html_figure_id(id, sizeof id, doc->html);
	char *svg = chart_trend_svg(HTML_CHART_WIDTH, &style, trend, alt, id);

	size_t cols = 1 + trend->series_count;
	draw_column *columns = draw_calloc(cols, sizeof *columns);
	draw_cell *cells = draw_calloc(cols * trend->period_count + 1, sizeof *cells);
	if (columns && cells) {
		columns[0].heading = style.period_label ? style.period_label : "Period";
		for (size_t s = 0; s < trend->series_count; s++)
			columns[1 + s].heading = trend->series[s].label;
		for (size_t p = 0; p < trend->period_count; p++) {
			draw_cell *row = &cells[p * cols];
			snprintf(row[0].text, sizeof row[0].text, "%s",
			         trend->periods[p].label);
			for (size_t s = 0; s < trend->series_count; s++) {
				const chart_trend_point *pt = &trend->series[s].points[p];
				char *cell = row[1 + s].text;
				if (pt->suppressed)
					snprintf(cell, sizeof row[0].text, REPORT_SUPPRESSED);
				else if (!pt->estimable)
					snprintf(cell, sizeof row[0].text, "no estimate");
				else
					draw_format_estimate(cell, sizeof row[0].text, pt->ratio,
					                     pt->ci_low, pt->ci_high);
				if (pt->estimable && !pt->suppressed && pt->low_count)
					snprintf(cell + strlen(cell), sizeof row[0].text - strlen(cell),
					         " (too few cases)");
			}
		}
	}
	draw_table table = data_table(columns, columns ? cols : 0, cells,
	                              columns && cells ? trend->period_count : 0);
	html_figure(doc->html, svg, alt->title, &table);
	g_free(svg);
	free(columns);
	free(cells);
}

void report_figure_funnel(chart_alt *alt, draw_doc *doc, const chart_funnel_style *given,
                        const chart_funnel *funnel)
{
	chart_funnel_style style = *given;
	char title[400], id[24];
	figure_title(title, sizeof title, doc, style.title, "funnel plot");
	style.title = title;
	chart_funnel_alt(alt, &style, funnel);
	style.title = given->title;
	if (!doc->html)
		return;
	html_figure_id(id, sizeof id, doc->html);
	char *svg = chart_funnel_svg(HTML_CHART_WIDTH, &style, funnel, alt, id);

	/* The size (precision) is a function of the counts, which may be
	 * published rounded: it is left out, as the PDF leaves it unprinted. */
	draw_column columns[3] = {
		{"Organisation", 0, 0}, {"Ratio", 0, 0},
		{"Against the control limits", 0, 0}};
	draw_cell *cells = draw_calloc(funnel->unit_count * 3 + 1, sizeof *cells);
	for (size_t i = 0; cells && i < funnel->unit_count; i++) {
		const chart_funnel_unit *u = &funnel->units[i];
		draw_cell *row = &cells[i * 3];
		snprintf(row[0].text, sizeof row[0].text, "%s", u->label ? u->label : "");
		if (u->suppressed || !u->estimable) {
			snprintf(row[1].text, sizeof row[1].text, "%s", u->suppressed
			         ? REPORT_SUPPRESSED : "no estimate");
			snprintf(row[2].text, sizeof row[2].text, "not plotted");
			continue;
		}
		draw_format_ratio(row[1].text, sizeof row[1].text, u->ratio);
		snprintf(row[2].text, sizeof row[2].text, "%s",
		         u->outside998 > 0 ? "above the 99.8% limit"
		         : u->outside998 < 0 ? "below the 99.8% limit"
		         : u->outside95 > 0 ? "above the 95% limit"
		         : u->outside95 < 0 ? "below the 95% limit" : "within the limits");
	}
	draw_table table = data_table(columns, 3, cells, cells ? funnel->unit_count : 0);
	html_figure(doc->html, svg, alt->title, &table);
	g_free(svg);
	free(cells);
}

void report_figure_pipeline(chart_alt *alt, draw_doc *doc, const chart_pipeline_style *given,
                          const chart_pipeline_group *groups, size_t count)
{
	chart_pipeline_style style = *given;
	char title[400], id[24];
	figure_title(title, sizeof title, doc, style.title, "how far each group got");
	style.title = title;
	chart_pipeline_alt(alt, &style, groups, count);
	style.title = given->title;
	if (!doc->html)
		return;
	html_figure_id(id, sizeof id, doc->html);
	char *svg = chart_pipeline_svg(HTML_CHART_WIDTH, &style, groups, count, alt, id);

	int stages = chart_pipeline_stage_count(&style);
	size_t cols = 1 + count;
	draw_column columns[1 + 8];
	draw_cell *cells = draw_calloc((size_t)stages * cols + 1, sizeof *cells);
	if (cols > sizeof columns / sizeof columns[0])
		cols = sizeof columns / sizeof columns[0];
	memset(columns, 0, sizeof columns);
	columns[0].heading = "Stage";
	for (size_t i = 0; i + 1 < cols; i++)
		columns[1 + i].heading = groups[i].label ? groups[i].label : "";
	for (int k = 0; cells && k < stages; k++) {
		draw_cell *row = &cells[(size_t)k * cols];
		snprintf(row[0].text, sizeof row[0].text, "%s",
		         chart_pipeline_stage_label(&style, k));
		for (size_t i = 0; i + 1 < cols; i++)
			chart_pipeline_bar_label(row[1 + i].text, sizeof row[0].text, &style,
			                         groups, i, k);
	}
	draw_table table = data_table(columns, cols, cells, cells ? (size_t)stages : 0);
	html_figure(doc->html, svg, alt->title, &table);
	g_free(svg);
	free(cells);
}
