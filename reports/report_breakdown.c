/*
 * report_breakdown.c: the report's breakdowns: every characteristic's
 * groups against their reference (ethnic category, sex, age band and the
 * intersections), the comparison of organisations (funnel plots), the
 * pay band and staff group breakdowns with their pooled ratios and
 * homogeneity tests (the Simpson's paradox check), Kline's compound ratio
 * and the recruitment pipeline.
 */
#include "parity/common.h"
#include "report_internal.h"

#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- names ------------------------------------------------------------------ */

static const struct {
	const char *grouping;
	const char *name;
} grouping_names[] = {
	{"ethnic_category", "Ethnic category"},
	{"sex", "Sex"},
	{"age_band", "Age band"},
	{"sexual_orientation", "Sexual orientation"},
	{"religion", "Religion or belief"},
	{"white_bme", "Ethnicity (White, BME)"},
	{"disability", "Disability"},
	{"white_bme*sex", "Ethnicity and sex"},
	{"white_bme*disability", "Ethnicity and disability"},
};

static const char *grouping_name(const char *grouping)
{
	for (size_t i = 0; i < sizeof grouping_names / sizeof grouping_names[0]; i++)
		if (!strcmp(grouping_names[i].grouping, grouping))
			return grouping_names[i].name;
	/* An intersection asked for (--intersect): its characteristics' names,
	 * "Ethnic category x Sex x Disability". */
	static char crossed[200];
	char parts[96];
	size_t used = 0;
	snprintf(parts, sizeof parts, "%s", grouping);
	crossed[0] = '\0';
	for (char *save = NULL, *p = strtok_r(parts, "*", &save); p;
	     p = strtok_r(NULL, "*", &save)) {
		const char *name = p;
		for (size_t i = 0; i < sizeof grouping_names / sizeof grouping_names[0]; i++)
			if (!strcmp(grouping_names[i].grouping, p))
				name = grouping_names[i].name;
		int n = snprintf(crossed + used, sizeof crossed - used, "%s%s",
		                 used ? " \u00D7 " : "", name);
		if (n > 0 && used + (size_t)n < sizeof crossed)
			used += (size_t)n;
	}
	return strchr(grouping, '*') ? crossed : grouping;
}

/* Whether the outcome is adverse (disciplinary, capability): then group 1
 * is the compared group and group 2 the reference; otherwise the reverse. */
static int adverse(const char *measure)
{
	return !strcmp(measure, "disciplinary") || !strcmp(measure, "capability");
}

/* A compact ratio for a matrix cell: "1.24 (0.88-1.78)", "*" marking few
 * cases, "suppressed" or "-". */
static void matrix_cell(char *buf, size_t size, const report *rep,
                        const parity_result_row *row)
{
	if (!row) {
		snprintf(buf, size, " ");
		return;
	}
	const parity_ratio *r = &row->ratio;
	if (report_hidden(rep, row)) {
		snprintf(buf, size, "suppressed");
		return;
	}
	if (!r->estimable) {
		snprintf(buf, size, "-");
		return;
	}
	char estimate[80];
	snprintf(buf, size, "%s%s",
	         draw_format_estimate(estimate, sizeof estimate, r->ratio, r->ci_low,
	                              r->ci_high),
	         r->low_count ? "*" : "");
}

/* ---- characteristics -------------------------------------------------------- */

#define PANEL_LABELS 152.0 /* the label column of the first panel */

/* One row of the breakdown: a characteristic's heading or one group. */
typedef struct group_row {
	const char *grouping;   /* "ethnic_category", ... */
	const char *group;      /* the group's code; NULL for a heading */
	char label[128];        /* what the row says */
} group_row;

static const char *compared_of(const report_measure *m, const parity_result_row *row)
{
	return adverse(m->measure) ? row->group1 : row->group2;
}

static const char *reference_of(const report_measure *m, const parity_result_row *row)
{
	return adverse(m->measure) ? row->group2 : row->group1;
}

static int by_text(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * The rows of the breakdown over every measure: for each characteristic
 * (in the results' order) a heading naming its reference group, then
 * every group any measure compares or refers to, in code order. Returns
 * the count written to `rows` (room for `cap`).
 */
static size_t group_rows(group_row *rows, size_t cap, const report *rep)
{
	const char *groupings[16];
	size_t ng = 0, n = 0;
	for (size_t k = 0; k < rep->meas_count; k++)
		for (size_t i = 0; i < rep->meas[k].rows.count; i++) {
			const char *g = rep->meas[k].rows.rows[i]->grouping;
			int known = 0;
			for (size_t j = 0; j < ng && !known; j++)
				known = !strcmp(groupings[j], g);
			if (!known && ng < 16)
				groupings[ng++] = g;
		}
	for (size_t gi = 0; gi < ng && n < cap; gi++) {
		const char *codes[128], *reference = NULL;
		size_t nc = 0;
		int same_reference = 1;
		for (size_t k = 0; k < rep->meas_count; k++) {
			const report_measure *m = &rep->meas[k];
			for (size_t i = 0; i < m->rows.count; i++) {
				const parity_result_row *row = m->rows.rows[i];
				if (strcmp(row->grouping, groupings[gi]))
					continue;
				const char *pair[2] = {reference_of(m, row), compared_of(m, row)};
				if (!reference)
					reference = pair[0];
				else if (strcmp(reference, pair[0]))
					same_reference = 0;
				for (int p = 0; p < 2; p++) {
					int known = 0;
					for (size_t j = 0; j < nc && !known; j++)
						known = !strcmp(codes[j], pair[p]);
					if (!known && nc < 128)
						codes[nc++] = pair[p];
				}
			}
		}
		qsort(codes, nc, sizeof codes[0], by_text);
		group_row *h = &rows[n++];
		char ref[96];
		report_group_label(ref, sizeof ref, groupings[gi], reference ? reference : "");
		h->grouping = groupings[gi];
		h->group = NULL;
		if (same_reference)
			snprintf(h->label, sizeof h->label, "%s, against %s",
			         grouping_name(groupings[gi]), ref);
		else
			snprintf(h->label, sizeof h->label, "%s, against the largest group",
			         grouping_name(groupings[gi]));
		for (size_t j = 0; j < nc && n < cap; j++) {
			group_row *r = &rows[n++];
			r->grouping = groupings[gi];
			r->group = codes[j];
			report_group_label(r->label, sizeof r->label, groupings[gi], codes[j]);
		}
	}
	return n;
}

/* Measure m's row comparing group `r`, or NULL; *is_reference is set
 * when the group is m's reference for that characteristic. */
static const parity_result_row *group_result(int *is_reference,
                                             const report_measure *m,
                                             const group_row *r)
{
	*is_reference = 0;
	for (size_t i = 0; i < m->rows.count; i++) {
		const parity_result_row *row = m->rows.rows[i];
		if (strcmp(row->grouping, r->grouping))
			continue;
		if (!strcmp(compared_of(m, row), r->group))
			return row;
		if (!strcmp(reference_of(m, row), r->group))
			*is_reference = 1;
	}
	return NULL;
}

/* A short name for a measure's panel: "Appointment". */
static const char *measure_short(const char *measure)
{
	static char buf[32];
	snprintf(buf, sizeof buf, "%s", measure);
	if (buf[0] >= 'a' && buf[0] <= 'z')
		buf[0] = (char)(buf[0] - 'a' + 'A');
	return buf;
}

/* The panels: the group labels and the first measure, then one narrow
 * panel per further measure, the rows lined up. */
static void characteristic_panels(draw_doc *doc, const report *rep,
                                  const group_row *rows, size_t count)
{
	size_t panels = rep->meas_count;
	chart_ratio_item *items = draw_calloc(count * panels, sizeof *items);
	chart_ratio_style *styles = draw_calloc(panels, sizeof *styles);
	char (*heads)[32] = draw_calloc(panels, sizeof *heads);
	double width = doc->right - doc->left;
	if (!items || !styles || !heads)
		goto done;
	/* Every outcome gets the same plot width; the first panel also
	 * holds the labels. */
	double plot = (width - PANEL_LABELS) / (double)(panels ? panels : 1);
	double first = PANEL_LABELS + plot;
	double height = 0;
	for (size_t k = 0; k < panels; k++) {
		const report_measure *m = &rep->meas[k];
		chart_ratio_item *it = &items[k * count];
		for (size_t r = 0; r < count; r++) {
			int ref = 0;
			const parity_result_row *row = rows[r].group
			                               ? group_result(&ref, m, &rows[r]) : NULL;
			if (!rows[r].group)
				it[r] = (chart_ratio_item){.label = rows[r].label, .heading = 1};
			else if (row)
				it[r] = report_row_item(rep, row, rows[r].label, 0);
			else
				it[r] = (chart_ratio_item){.label = rows[r].label,
				                           .axis_text = ref ? "reference" : ""};
		}
		chart_ratio_style *st = &styles[k];
		report_chart_style(st, rep, NULL);
		snprintf(heads[k], sizeof heads[0], "%s", measure_short(m->measure));
		st->plot_heading = heads[k];
		st->label_heading = "Group";
		st->row_height = CHART_ROW_MIN;
		st->compact = 1;
		st->hide_figures = 1;
		st->hide_labels = k > 0;
		st->label_width = PANEL_LABELS;
		st->heading_width = width;
		chart_ratio_range(&st->axis_low, &st->axis_high, it, count);
		height = fmax(height, chart_ratio_height(doc->cr, k ? plot : first,
		                                         st, it, count));
	}
	/* One Figure for the panels: their descriptions in turn. */
	char *alts = NULL;
	for (size_t k = 0; k < panels; k++) {
		chart_alt alt;
		report_figure_ratio(&alt, doc, &styles[k], &items[k * count], count,
		                    heads[k]);
		char *joined = g_strjoin(" ", alts ? alts : "", alt.desc, NULL);
		g_free(alts);
		alts = joined;
	}
	draw_doc_need(doc, height);
	draw_tag_figure_begin(doc, alts ? g_strstrip(alts) : "");
	g_free(alts);
	/* Right to left, so that the labels' panel, drawn last, lays the
	 * characteristics' headings over the rows of the others. */
	for (size_t k = panels; k-- > 0;) {
		double x = doc->left + (k ? first + plot * (double)(k - 1) : 0);
		chart_ratio_draw(doc->cr, x, doc->y, k ? plot : first,
		                 &styles[k], &items[k * count], count);
	}
	draw_tag_figure_end(doc);
	doc->y += height + 4;
	report_paragraph(doc, report_note, DRAW_GREY,
	                 "Dot: the group's ratio against the reference; line: its "
	                 "%g%% confidence interval; hollow dot: too few cases to "
	                 "draw a conclusion; shaded: 0.80 to 1.25; arrow: the "
	                 "interval runs beyond the axis; each outcome has its own "
	                 "log scale. The figures are in the table that follows.",
	                 rep->level * 100);
done:
	free(items);
	free(styles);
	free(heads);
}

/* The same rows as a table: the ratio and interval for each outcome. */
static void characteristic_table(draw_doc *doc, const report *rep,
                                 const group_row *rows, size_t count)
{
	size_t columns = rep->meas_count + 1;
	draw_cell *cells = draw_calloc(count * columns, sizeof *cells);
	unsigned *flags = draw_calloc(count, sizeof *flags);
	draw_column *cols = draw_calloc(columns, sizeof *cols);
	char (*heads)[32] = draw_calloc(columns, sizeof *heads);
	if (!cells || !flags || !cols || !heads)
		goto done;
	cols[0] = (draw_column){"Group", 0, 0};
	for (size_t k = 0; k < rep->meas_count; k++) {
		snprintf(heads[k + 1], sizeof heads[0], "%s",
		         measure_short(rep->meas[k].measure));
		cols[k + 1] = (draw_column){heads[k + 1], 0, DRAW_ALIGN_RIGHT};
	}
	for (size_t r = 0; r < count; r++) {
		draw_cell *c = &cells[r * columns];
		size_t size = sizeof c[0].text;
		snprintf(c[0].text, size, "%s", rows[r].label);
		if (!rows[r].group) {
			flags[r] = DRAW_ROW_BOLD;
			continue;
		}
		for (size_t k = 0; k < rep->meas_count; k++) {
			int ref = 0;
			const parity_result_row *row = group_result(&ref, &rep->meas[k], &rows[r]);
			if (row)
				matrix_cell(c[k + 1].text, size, rep, row);
			else
				snprintf(c[k + 1].text, size, "%s", ref ? "reference" : " ");
		}
	}
	report_table(doc, cols, columns, NULL, 0, cells, flags, count);
done:
	free(cells);
	free(flags);
	free(cols);
	free(heads);
}

void report_render_characteristics(draw_doc *doc, const report *rep)
{
	char subtitle[200];
	group_row *rows = NULL;
	if (rep->meas_count == 0)
		return;
	snprintf(subtitle, sizeof subtitle, "%s \u00B7 %s \u00B7 each group against "
	         "a reference group", rep->where, rep->period);
	report_part(doc, "Breakdown by ethnic category and other characteristics",
	            subtitle);
	report_paragraph(doc, report_small, DRAW_BLACK,
	                 "Each group is compared with a reference group: White "
	                 "British for ethnic category, men for sex, and for the "
	                 "others the largest group. For every outcome, <b>above 1 "
	                 "means the compared group is worse off</b>: less likely to "
	                 "be shortlisted, appointed or trained, more likely to enter a formal "
	                 "process.%s The counts are in report-tables.csv.",
	                 rep->suppress_below > 1
	                 ? " Groups whose counts are too small to publish say "
	                   "\"suppressed\"." : "");
	size_t cap = 16;
	for (size_t k = 0; k < rep->meas_count; k++)
		cap += 2 * rep->meas[k].rows.count + 16;
	rows = draw_calloc(cap, sizeof *rows);
	if (!rows)
		return;
	size_t count = group_rows(rows, cap, rep);
	characteristic_panels(doc, rep, rows, count);
	char heading[96];
	snprintf(heading, sizeof heading, "Ratio (%g%% CI) of each group against "
	         "its reference", rep->level * 100);
	draw_doc_heading(doc, 12, heading);
	characteristic_table(doc, rep, rows, count);
	report_paragraph(doc, report_note, DRAW_GREY,
	                 "* too few cases to draw a conclusion. Reference: the "
	                 "group the others in its characteristic are compared with "
	                 "for that outcome. An empty cell: no result for that group "
	                 "and outcome here; White and BME, and disabled and "
	                 "non-disabled staff, are compared for each WRES and WDES "
	                 "outcome in that indicator's own section.");
	free(rows);
}

/* ---- organisations ------------------------------------------------------------- */

void report_render_organisations(draw_doc *doc, const report *rep)
{
	char subtitle[200];
	if (!rep->several_orgs)
		return;
	snprintf(subtitle, sizeof subtitle, "%s \u00B7 funnel plots", rep->period);
	report_part(doc, "Comparing organisations", subtitle);
	/* Indicators whose pooled ratio is held back get no plot (its centre
	 * line would give the pooled ratio away), nor those with too few
	 * organisations that can be shown. */
	char held_back[128] = "", too_few[128] = "";
	for (size_t k = 0; k < rep->ind_count; k++) {
		const report_indicator *ind = &rep->ind[k];
		report_funnel probe;
		char name[32], *list;
		if (!ind->pooled_org || ind->orgs.count < 2)
			continue;
		if (report_hidden(rep, ind->pooled_org)) {
			list = held_back;
		} else if (!report_funnel_build(&probe, rep, ind)) {
			list = too_few;
		} else {
			report_funnel_free(&probe);
			continue;
		}
		report_short_name(name, sizeof name, ind->info->code);
		size_t len = strlen(list);
		snprintf(list + len, sizeof held_back - len, "%s%s", len ? ", " : "",
		         name);
	}
	report_paragraph(doc, report_small, DRAW_BLACK,
	                 "Each organisation is placed by its ratio (up the page, "
	                 "log scale) against how precisely it is known (across: "
	                 "larger organisations to the right). The curves are the "
	                 "95%% and 99.8%% control limits around the pooled ratio "
	                 "of all organisations (Spiegelhalter): an organisation "
	                 "outside them differs by more than chance would explain. "
	                 "This compares organisations without ranking them: a "
	                 "league table would rank chance. The ratio charts by "
	                 "organisation are in each indicator's section.%s%s%s%s%s%s",
	                 held_back[0] ? " No funnel plot for " : "", held_back,
	                 held_back[0] ? ": its pooled ratio would reveal counts too "
	                                "small to publish." : "",
	                 too_few[0] ? " No funnel plot for " : "", too_few,
	                 too_few[0] ? ": fewer than three organisations can be "
	                              "shown on it." : "");
	/* Two plots a row: each half the width, the row as tall as the
	 * taller of the two. */
	double gap = 14, width = (doc->right - doc->left - gap) / 2;
	chart_funnel_style styles[2];
	report_funnel funnels[2];
	char titles[2][160], notes[2][240];
	size_t held = 0;
	for (size_t k = 0; k <= rep->ind_count; k++) {
		const report_indicator *ind = k < rep->ind_count ? &rep->ind[k] : NULL;
		if (ind && ind->pooled_org && report_hidden(rep, ind->pooled_org))
			continue;
		if (ind && report_funnel_build(&funnels[held], rep, ind)) {
			chart_funnel_style *st = &styles[held];
			report_funnel_style(st, rep, ind);
			st->size_label = "Precision (1/SE\u00B2): larger organisations "
			                 "to the right";
			st->target_label = "Pooled ratio";
			st->plot_height = 150;
			snprintf(titles[held], sizeof titles[0], "%s", ind->info->title);
			st->title = titles[held];
			const parity_funnel *fit = &ind->pooled_org->funnel_fit;
			notes[held][0] = '\0';
			if (report_strata_hidden(rep, ind->pooled_org))
				snprintf(notes[held], sizeof notes[0], "Organisations with "
				         "suppressed counts are not plotted%s.",
				         fit->adjust == PARITY_FUNNEL_ADDITIVE
				         ? "; limits widened for over-dispersion" : "");
			else if (fit->adjust == PARITY_FUNNEL_ADDITIVE)
				snprintf(notes[held], sizeof notes[0], "Limits widened for "
				         "over-dispersion (additive, \u03C4\u00B2 = %.3g).",
				         fit->tau2);
			else if (fit->p_overdispersion < 0.05)
				snprintf(notes[held], sizeof notes[0], "The organisations "
				         "vary more than chance alone would explain "
				         "(over-dispersion p %s); the limits are not widened.",
				         fit->p_overdispersion < 0.001 ? "< 0.001" : "< 0.05");
			st->note = notes[held][0] ? notes[held] : NULL;
			held++;
		}
		if (held == 2 || (!ind && held)) {
			double h = 0;
			for (size_t i = 0; i < held; i++)
				h = fmax(h, chart_funnel_height(doc->cr, width, &styles[i],
				                                &funnels[i].funnel));
			draw_doc_need(doc, h);
			chart_alt alts[2];
			for (size_t i = 0; i < held; i++)
				report_figure_funnel(&alts[i], doc, &styles[i], &funnels[i].funnel);
			for (size_t i = 0; i < held; i++) {
				draw_tag_figure_begin(doc, alts[i].desc);
				chart_funnel_draw(doc->cr, doc->left + (double)i * (width + gap),
				                  doc->y, width, &styles[i], &funnels[i].funnel);
				draw_tag_figure_end(doc);
				report_funnel_free(&funnels[i]);
			}
			doc->y += h + 10;
			held = 0;
		}
	}
}

/* ---- pay bands and staff groups -------------------------------------------- */

/* The breakdown of `ind` by `kind`: its rows and pooled row. */
static const row_list *breakdown_rows(const report_indicator *ind, int kind,
                                      const parity_result_row **pooled)
{
	*pooled = kind ? ind->pooled_group : ind->pooled_band;
	return kind ? &ind->groups : &ind->bands;
}

/* A band label for a table: "Band 5", "Medical". */
static void stratum_label(char *buf, size_t size, int kind, const char *stratum)
{
	if (kind == 0 && stratum[0] >= '0' && stratum[0] <= '9')
		snprintf(buf, size, "Band %s", stratum);
	else if (!stratum[0])
		snprintf(buf, size, "Not recorded");
	else
		snprintf(buf, size, "%s", stratum);
}

/* One matrix: a row per stratum, a column per indicator, then the
 * overall, pooled, homogeneity and direction rows. */
static void strata_matrix(draw_doc *doc, const report *rep, int kind)
{
	const char *strata[128];
	size_t count = 0, columns = rep->ind_count + 1;
	for (size_t k = 0; k < rep->ind_count; k++) {
		const parity_result_row *pooled;
		const row_list *rows = breakdown_rows(&rep->ind[k], kind, &pooled);
		for (size_t i = 0; i < rows->count && count < 128; i++) {
			int known = 0;
			for (size_t j = 0; j < count && !known; j++)
				known = !strcmp(strata[j], rows->rows[i]->stratum);
			if (!known)
				strata[count++] = rows->rows[i]->stratum;
		}
	}
	if (count == 0)
		return;
	size_t rows = count + 4;
	draw_cell *cells = draw_calloc(rows * columns, sizeof *cells);
	unsigned *flags = draw_calloc(rows, sizeof *flags);
	draw_column *cols = draw_calloc(columns, sizeof *cols);
	char (*heads)[24] = draw_calloc(columns, sizeof *heads);
	if (!cells || !flags || !cols || !heads)
		goto done;
	cols[0] = (draw_column){kind ? "Staff group" : "Pay band", 0, 0};
	for (size_t k = 0; k < rep->ind_count; k++) {
		report_short_name(heads[k + 1], sizeof heads[0], rep->ind[k].info->code);
		cols[k + 1] = (draw_column){heads[k + 1], 0, DRAW_ALIGN_RIGHT};
	}
	for (size_t r = 0; r < rows; r++) {
		draw_cell *c = &cells[r * columns];
		size_t size = sizeof c[0].text;
		if (r < count)
			stratum_label(c[0].text, size, kind, strata[r]);
		else
			snprintf(c[0].text, size, "%s", r == count ? "Overall (crude)"
			         : r == count + 1 ? "Pooled (Mantel\u2013Haenszel)"
			         : r == count + 2 ? "Homogeneity p"
			                          : "Reverses the overall?");
		if (r == count)
			flags[r] = DRAW_ROW_BOLD;
		for (size_t k = 0; k < rep->ind_count; k++) {
			const report_indicator *ind = &rep->ind[k];
			const parity_result_row *pooled, *row = NULL;
			const row_list *list = breakdown_rows(ind, kind, &pooled);
			char *text = c[k + 1].text;
			if (r < count) {
				for (size_t i = 0; i < list->count && !row; i++)
					if (!strcmp(list->rows[i]->stratum, strata[r]))
						row = list->rows[i];
				matrix_cell(text, size, rep, row);
			} else if (r == count) {
				matrix_cell(text, size, rep, ind->overall);
			} else if (r == count + 1) {
				matrix_cell(text, size, rep, pooled);
			} else if (!pooled || report_hidden(rep, pooled)) {
				snprintf(text, size, "%s", pooled ? "suppressed" : "-");
			} else if (r == count + 2) {
				if (report_strata_hidden(rep, pooled))
					snprintf(text, size, "not shown");
				else if (!pooled->pool.homogeneity_estimable)
					snprintf(text, size, "not computed");
				else if (pooled->pool.p_homogeneity < 0.001)
					snprintf(text, size, "< 0.001");
				else
					snprintf(text, size, "%.3f", pooled->pool.p_homogeneity);
			} else {
				snprintf(text, size, "%s", pooled->direction_reversed
				         ? "YES: Simpson's paradox" : "no");
			}
		}
	}
	report_table(doc, cols, columns, NULL, 0, cells, flags, rows);
done:
	free(cells);
	free(flags);
	free(cols);
	free(heads);
}

/* Kline's compound ratio: a row per ladder top, a column per indicator. */
static void kline_table(draw_doc *doc, const report *rep)
{
	const char *tops[32];
	size_t count = 0, with = 0;
	for (size_t k = 0; k < rep->ind_count; k++) {
		const row_list *rows = &rep->ind[k].kline;
		with += rows->count > 0;
		for (size_t i = 0; i < rows->count && count < 32; i++) {
			int known = 0;
			for (size_t j = 0; j < count && !known; j++)
				known = !strcmp(tops[j], rows->rows[i]->stratum);
			if (!known)
				tops[count++] = rows->rows[i]->stratum;
		}
	}
	if (count == 0)
		return;
	draw_doc_heading(doc, 12, "Kline's compound ratio: how small gaps add up "
	                 "up the bands");
	report_paragraph(doc, report_small, DRAW_BLACK,
	                 "Each step is appointment to a post one Agenda for Change "
	                 "band higher. The compound ratio multiplies the steps' "
	                 "ratios (Kline 2013): a modest gap at each step becomes a "
	                 "large one over a career. Its interval assumes the steps "
	                 "are independent. A ladder that passes through a band "
	                 "whose counts are suppressed is suppressed too.");
	size_t columns = with + 1;
	draw_cell *cells = draw_calloc(count * columns, sizeof *cells);
	draw_column *cols = draw_calloc(columns, sizeof *cols);
	char (*heads)[24] = draw_calloc(columns, sizeof *heads);
	if (cells && cols && heads) {
		cols[0] = (draw_column){"Ladder", 0, 0};
		size_t c = 1;
		for (size_t k = 0; k < rep->ind_count; k++) {
			const report_indicator *ind = &rep->ind[k];
			if (!ind->kline.count)
				continue;
			report_short_name(heads[c], sizeof heads[0], ind->info->code);
			cols[c] = (draw_column){heads[c], 0, DRAW_ALIGN_RIGHT};
			for (size_t r = 0; r < count; r++) {
				const parity_result_row *row = NULL;
				for (size_t i = 0; i < ind->kline.count && !row; i++)
					if (!strcmp(ind->kline.rows[i]->stratum, tops[r]))
						row = ind->kline.rows[i];
				matrix_cell(cells[r * columns + c].text, sizeof cells[0].text,
				            rep, row);
			}
			c++;
		}
		for (size_t r = 0; r < count; r++)
			snprintf(cells[r * columns].text, sizeof cells[0].text, "%s",
			         tops[r]);
		report_table(doc, cols, columns, NULL, 0, cells, NULL, count);
	}
	free(cells);
	free(cols);
	free(heads);
}

/* The "shortlisting" row of grouping `grouping` (applications to
 * shortlisted), when the results carry one. */
static const parity_result_row *shortlisting_row(const report *rep,
                                                 const char *grouping)
{
	for (size_t k = 0; k < rep->meas_count; k++) {
		const report_measure *m = &rep->meas[k];
		if (strcmp(m->measure, "shortlisting"))
			continue;
		for (size_t i = 0; i < m->rows.count; i++)
			if (!strcmp(m->rows.rows[i]->grouping, grouping))
				return m->rows.rows[i];
	}
	return NULL;
}

int report_pipeline_groups(chart_pipeline_group out[2], const report *rep,
                           const report_indicator *ind)
{
	if (strcmp(ind->info->measure, "appointment") || !ind->overall)
		return 0;
	const parity_result_row *s = shortlisting_row(rep, ind->info->grouping);
	const parity_result_row *a = ind->overall;
	/* Shortlisted must be the same people in both rows. */
	if (!s || s->ratio.x1 != a->ratio.n1 || s->ratio.x2 != a->ratio.n2 ||
	    strcmp(s->group1, a->group1) || strcmp(s->group2, a->group2))
		return 0;
	if (report_hidden(rep, s) || report_hidden(rep, a))
		return -1;
	out[0] = (chart_pipeline_group){a->group1, s->ratio.n1, s->ratio.x1, a->ratio.x1};
	out[1] = (chart_pipeline_group){a->group2, s->ratio.n2, s->ratio.x2, a->ratio.x2};
	return 1;
}

void report_pipeline_style(chart_pipeline_style *style, const report *rep)
{
	memset(style, 0, sizeof *style);
	style->few_cases = rep->results->settings.low_count_min;
	style->note = "Each bar is a percentage of its stage's base; the counts "
	              "are in report-tables.csv.";
}

/* The recruitment pipeline of each appointment indicator whose
 * shortlisting counts are in the results, as a part of its own (on the
 * same page when the first chart fits), each with the two ratios in
 * words: shortlisting, then appointment once shortlisted. */
static void pipeline(draw_doc *doc, const report *rep)
{
	int started = 0;
	for (size_t k = 0; k < rep->ind_count; k++) {
		const report_indicator *ind = &rep->ind[k];
		chart_pipeline_group groups[2];
		int have = report_pipeline_groups(groups, rep, ind);
		if (!have)
			continue;
		chart_pipeline_style style;
		report_pipeline_style(&style, rep);
		double width = doc->right - doc->left;
		double h = have > 0 ? chart_pipeline_height(doc->cr, width, &style,
		                                            groups, 2) : 0;
		if (!started) {
			char subtitle[200];
			snprintf(subtitle, sizeof subtitle, "%s \u00B7 %s \u00B7 applied, "
			         "shortlisted, appointed", rep->where, rep->period);
			report_part_after(doc, "Recruitment pipeline", subtitle, h + 120);
			report_paragraph(doc, report_small, DRAW_BLACK,
			                 "Shortlisted as a percentage of applicants, "
			                 "appointed as a percentage of those shortlisted "
			                 "and of all applicants: a gap at shortlisting "
			                 "adds to a gap at appointment.");
			started = 1;
		}
		int race = strcmp(ind->info->grouping, "disability") != 0;
		char title[160], words[600], appointed[400];
		snprintf(title, sizeof title, "By %s", race ? "ethnicity" : "disability");
		draw_doc_heading(doc, 12, title);
		if (have < 0) {
			report_paragraph(doc, report_small, DRAW_BLACK,
			                 "Not shown: some of its counts are too small to "
			                 "publish.");
			continue;
		}
		const parity_result_row *s = shortlisting_row(rep, ind->info->grouping);
		char phrase1[80], phrase2[80];
		snprintf(phrase1, sizeof phrase1, "%s applicants", s->group1);
		snprintf(phrase2, sizeof phrase2, "%s applicants", s->group2);
		parity_ratio_sentence(words, sizeof words, &s->ratio, phrase1, phrase2,
		                      "to be shortlisted");
		report_sentence(appointed, sizeof appointed, rep, ind->overall, ind->info);
		char name[24];
		report_short_name(name, sizeof name, ind->info->code);
		report_paragraph(doc, report_small, DRAW_BLACK, "<b>Shortlisting.</b> %s "
		                 "<b>Appointment (%s).</b> %s", words, name, appointed);
		chart_alt alt;
		report_figure_pipeline(&alt, doc, &style, groups, 2);
		draw_doc_need(doc, h);
		draw_tag_figure_begin(doc, alt.desc);
		chart_pipeline_draw(doc->cr, doc->left, doc->y, width, &style, groups, 2);
		draw_tag_figure_end(doc);
		doc->y += h + 8;
	}
}

void report_render_strata(draw_doc *doc, const report *rep)
{
	char subtitle[200];
	int any = 0;
	for (size_t k = 0; k < rep->ind_count; k++)
		any |= rep->ind[k].bands.count || rep->ind[k].groups.count ||
		       rep->ind[k].kline.count;
	snprintf(subtitle, sizeof subtitle, "%s \u00B7 %s", rep->where, rep->period);
	if (!any) {
		pipeline(doc, rep);
		return;
	}
	report_part(doc, "Breakdowns by pay band and staff group", subtitle);
	report_paragraph(doc, report_small, DRAW_BLACK,
	                 "Ratio (%g%% CI) within each pay band or staff group, for "
	                 "each indicator. The pooled row combines them "
	                 "(Mantel\u2013Haenszel): the gap <i>within</i> bands. If it "
	                 "lies on the other side of 1 from the overall ratio, the "
	                 "overall figure hides what happens within bands "
	                 "(Simpson's paradox). A small homogeneity p (below 0.05) "
	                 "means the bands differ more than chance would explain "
	                 "(not shown when a band's counts are suppressed: it "
	                 "could reveal them). "
	                 "* too few cases to draw a conclusion.", rep->level * 100);
	for (int kind = 0; kind < 2; kind++) {
		int have = 0;
		for (size_t k = 0; k < rep->ind_count; k++)
			have |= (kind ? rep->ind[k].groups.count : rep->ind[k].bands.count) > 0;
		if (!have)
			continue;
		draw_doc_heading(doc, 12, kind ? "By staff group" : "By pay band");
		strata_matrix(doc, rep, kind);
	}
	kline_table(doc, rep);
	pipeline(doc, rep);
}
