/*
 * report_stages.c: how far formal cases went, in the disciplinary sections
 * (by ethnicity with WRES 3, by disability with WDES 3): the pipeline chart
 * of the cases that entered and the table of each stage's ratio, crude and
 * pooled over the grounds, drawn from the analysis's case_stage rows. Shown
 * only when no count, and no difference between the counts of consecutive
 * stages, is small enough to be suppressed.
 */
#include "parity/codes.h"
#include "parity/common.h"
#include "report_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The stage rows of one grouping, least to most severe. */
typedef struct stage_set {
	const parity_result_row *crude[CHART_PIPELINE_MAX_STAGES];
	const parity_result_row *pooled[CHART_PIPELINE_MAX_STAGES]; /* or NULL */
	size_t count;
} stage_set;

/* The grouping whose stages go with indicator `ind`, or NULL. */
static const char *stage_grouping(const report_indicator *ind)
{
	if (!strcmp(ind->info->measure, "disciplinary"))
		return "white_bme";
	if (!strcmp(ind->info->measure, "capability"))
		return "disability";
	return NULL;
}

/*
 * Collect the stage rows of `ind`'s grouping in ladder order. Returns how
 * many stages (> 0), 0 when the results hold none, or -1 when the published
 * set withholds any of them (it knows the ladder: each stage's cases are
 * some of the previous stage's, and those that stopped there are a count
 * it protects): the chart and the table show the ladder whole or not at
 * all.
 */
static int stage_rows(stage_set *set, const report *rep, const report_indicator *ind)
{
	memset(set, 0, sizeof *set);
	const char *grouping = stage_grouping(ind);
	if (!grouping)
		return 0;
	const parity_results *res = rep->results;
	for (int rank = 1; parity_case_stage_at(rank) && set->count < CHART_PIPELINE_MAX_STAGES;
	     rank++) {
		const parity_result_row *crude = NULL, *pooled = NULL;
		for (size_t i = 0; i < res->count; i++) {
			const parity_result_row *row = &res->rows[i];
			if (strcmp(row->indicator, "case_stage") || strcmp(row->grouping, grouping) ||
			    strcmp(row->stratum, parity_case_stage_at(rank)))
				continue;
			if (row->pooled)
				pooled = row;
			else
				crude = row;
		}
		if (!crude)
			continue;
		set->crude[set->count] = crude;
		set->pooled[set->count++] = pooled;
	}
	if (!set->count)
		return 0;
	for (size_t k = 0; k < set->count; k++)
		if (report_hidden(rep, set->crude[k]) ||
		    (set->pooled[k] && report_hidden(rep, set->pooled[k])))
			return -1;
	return (int)set->count;
}

/* The chart's groups, counts and words from a stage set. */
static void stage_chart(chart_pipeline_group groups[2], chart_pipeline_counts counts[2],
                        chart_pipeline_style *style, const report *rep,
                        const stage_set *set)
{
	memset(style, 0, sizeof *style);
	memset(counts, 0, 2 * sizeof *counts);
	groups[0] = (chart_pipeline_group){set->crude[0]->group1, 0, 0, 0};
	groups[1] = (chart_pipeline_group){set->crude[0]->group2, 0, 0, 0};
	for (size_t k = 0; k < set->count; k++) {
		const parity_ratio *r = &set->crude[k]->ratio;
		counts[0].reached[k] = r->x1;
		counts[0].base[k] = r->n1;
		counts[1].reached[k] = r->x2;
		counts[1].base[k] = r->n2;
		style->stage_labels[k] = parity_case_stage_label(set->crude[k]->stratum);
	}
	style->stages = set->count;
	style->counts = counts;
	style->empty_text = "no cases";
	style->few_cases = rep->results->settings.low_count_min;
	style->note = "Each bar: the percentage of the group's cases that reached "
	              "the stage or went further.";
}

int report_stage_pipeline(chart_pipeline_group groups[2],
                          chart_pipeline_counts counts[2], chart_pipeline_style *style,
                          const report *rep, const report_indicator *ind)
{
	stage_set set;
	int have = stage_rows(&set, rep, ind);
	if (have > 0)
		stage_chart(groups, counts, style, rep, &set);
	return have;
}

size_t report_stage_list(const parity_result_row **rows, size_t cap, const report *rep,
                         const report_indicator *ind)
{
	stage_set set;
	size_t n = 0;
	if (stage_rows(&set, rep, ind) <= 0)
		return 0;
	for (size_t k = 0; k < set.count; k++) {
		if (n < cap)
			rows[n++] = set.crude[k];
		if (set.pooled[k] && n < cap)
			rows[n++] = set.pooled[k];
	}
	return n;
}

void report_render_stages(draw_doc *doc, const report *rep, const report_indicator *ind)
{
	stage_set set;
	int have = stage_rows(&set, rep, ind);
	if (!have)
		return;
	int race = !strcmp(stage_grouping(ind), "white_bme");
	draw_doc_heading(doc, 11, race ? "How far formal cases went, by ethnicity"
	                               : "How far formal cases went, by disability");
	if (have < 0) {
		report_paragraph(doc, report_small, DRAW_BLACK,
		                 "Not shown: some of its counts are too small to publish.");
		return;
	}
	report_paragraph(doc, report_small, DRAW_BLACK,
	                 "Of the cases that entered a formal process (disciplinary or "
	                 "capability, on any grounds, %s), the share of each group that "
	                 "reached each stage or went further (Archibong and Darr 2010). "
	                 "The ratio compares %s with %s staff: above 1, their cases "
	                 "went further. Pooled over the grounds of the case "
	                 "(Mantel\u2013Haenszel), it compares cases on the same "
	                 "grounds.", set.crude[0]->window, set.crude[0]->group1,
	                 set.crude[0]->group2);
	chart_pipeline_group groups[2];
	chart_pipeline_counts counts[2];
	chart_pipeline_style style;
	stage_chart(groups, counts, &style, rep, &set);
	double width = doc->right - doc->left;
	double h = chart_pipeline_height(doc->cr, width, &style, groups, 2);
	chart_alt alt;
	report_figure_pipeline(&alt, doc, &style, groups, 2);
	draw_doc_need(doc, h);
	draw_tag_figure_begin(doc, alt.desc);
	chart_pipeline_draw(doc->cr, doc->left, doc->y, width, &style, groups, 2);
	draw_tag_figure_end(doc);
	doc->y += h + 8;

	char ci[48], pooled_head[64];
	snprintf(ci, sizeof ci, "Ratio (%g%% CI)", rep->level * 100);
	snprintf(pooled_head, sizeof pooled_head, "Pooled over grounds (%g%% CI)",
	         rep->level * 100);
	draw_column columns[3] = {{"Stage reached or passed", 0, 0},
	                          {ci, 0, DRAW_ALIGN_RIGHT},
	                          {pooled_head, 0, DRAW_ALIGN_RIGHT}};
	draw_cell *cells = draw_calloc(set.count * 3, sizeof *cells);
	if (!cells)
		return;
	for (size_t k = 0; k < set.count; k++) {
		draw_cell *c = &cells[k * 3];
		const char *label = parity_case_stage_label(set.crude[k]->stratum);
		snprintf(c[0].text, sizeof c[0].text, "%s", label ? label : "");
		report_ratio_text(c[1].text, sizeof c[1].text, rep, set.crude[k]);
		if (set.pooled[k])
			report_ratio_text(c[2].text, sizeof c[2].text, rep, set.pooled[k]);
		else
			snprintf(c[2].text, sizeof c[2].text, "one grounds only");
	}
	report_table(doc, columns, 3, NULL, 0, cells, NULL, set.count);
	free(cells);
}
