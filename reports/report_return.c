/*
 * report_return.c: the board report's "whole return at a glance": a part
 * per standard (WRES, WDES) with one line per indicator and organisation,
 * this year's figure beside last year's. It draws only published figures:
 * the return's (parity_return_publish) and, for the relative likelihoods,
 * the report's own published set.
 */
#include "report_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A line of the glance: which figure of the return, and how it reads. */
typedef struct glance {
	const char *indicator;  /* as in return.csv; or "WRES2" etc.: a ratio */
	const char *group;
	const char *label;      /* "WRES 1", ... */
	const char *what;
	int unit;               /* 0 per cent, 1 points, 2 ratio, 3 score points */
} glance;

static const glance wres[] = {
	{"1 workforce", "BME", "WRES 1", "BME share of the workforce", 0},
	/* White, not BME: a few consultants of unknown ethnicity hide the BME
	 * count with them (the sample's six organisations all), where the
	 * larger White count stays printed. */
	{"1 clinical medical and dental: consultants", "White", "WRES 1",
	 "White share of consultants", 0},
	{"WRES2", NULL, "WRES 2", "appointment from shortlisting (White vs BME)", 2},
	{"WRES3", NULL, "WRES 3", "entering formal disciplinary (BME vs White)", 2},
	{"WRES4", NULL, "WRES 4", "non-mandatory training (White vs BME)", 2},
	{"5 difference", "BME - White", "WRES 5", "harassment from patients or public", 1},
	{"6 difference", "BME - White", "WRES 6", "harassment from staff", 1},
	{"7 difference", "BME - White", "WRES 7", "equal opportunities for progression", 1},
	{"8 difference", "BME - White", "WRES 8", "discrimination from a manager or colleague", 1},
	{"9 board", "BME", "WRES 9", "BME share of the board", 0},
	{"9 voting", "BME", "WRES 9", "BME share of the voting board", 0},
	{"9 difference voting", "BME", "WRES 9", "voting board minus workforce", 1},
};
static const glance wdes[] = {
	{"1 workforce", "Disabled", "WDES 1", "Disabled share of the workforce", 0},
	{"1 clinical medical and dental: consultants", "Non-disabled", "WDES 1",
	 "Non-disabled share of consultants", 0},
	{"WDES2", NULL, "WDES 2", "appointment from shortlisting (Non-disabled vs Disabled)", 2},
	{"WDES3", NULL, "WDES 3", "entering capability (Disabled vs Non-disabled)", 2},
	{"4a difference", "Disabled - Non-disabled", "WDES 4a", "harassment from patients or public", 1},
	{"4b difference", "Disabled - Non-disabled", "WDES 4b", "harassment from managers", 1},
	{"4c difference", "Disabled - Non-disabled", "WDES 4c", "harassment from colleagues", 1},
	{"4d difference", "Disabled - Non-disabled", "WDES 4d", "reported it", 1},
	{"5 difference", "Disabled - Non-disabled", "WDES 5", "equal opportunities for progression", 1},
	{"6 difference", "Disabled - Non-disabled", "WDES 6", "pressure to work when unwell", 1},
	{"7 difference", "Disabled - Non-disabled", "WDES 7", "feel their work is valued", 1},
	{"8", "Disabled", "WDES 8", "adequate adjustments (Disabled staff)", 0},
	{"9a difference", "Disabled - Non-disabled", "WDES 9a", "engagement score (0-10)", 3},
	{"10 board", "Disabled", "WDES 10", "Disabled share of the board", 0},
	{"10 voting", "Disabled", "WDES 10", "Disabled share of the voting board", 0},
	{"10 difference voting", "Disabled", "WDES 10", "voting board minus workforce", 1},
};

static const parity_return_row *find_row(const parity_return_published *pub,
                                         const char *standard, const char *indicator,
                                         const char *org, const char *group)
{
	const parity_return *r = parity_return_published_return(pub);
	for (size_t i = 0; r && i < r->row_count; i++) {
		const parity_return_row *x = &r->rows[i];
		if (!strcmp(x->standard, standard) && !strcmp(x->indicator, indicator) &&
		    !strcmp(x->organisation, org) && !strcmp(x->group, group))
			return x;
	}
	return NULL;
}

static void figure_text(char *buf, size_t size, const parity_return_published *pub,
                        const parity_return_row *x, int unit)
{
	if (!x) {
		snprintf(buf, size, "-");
		return;
	}
	if (parity_return_row_hidden(pub, x)) {
		snprintf(buf, size, "suppressed");
		return;
	}
	if (!x->has_value) {
		snprintf(buf, size, "no figure");
		return;
	}
	if (unit == 0)
		snprintf(buf, size, "%.1f%%", x->value);
	else if (unit == 1)
		snprintf(buf, size, "%+.1f points", x->value);
	else
		snprintf(buf, size, "%+.2f", x->value);
}

/* A relative likelihood of the report's results: the organisation's row in
 * `period` (the main rows for the report's period, else the trend). */
static void ratio_text(char *buf, size_t size, const report *rep, const char *code,
                       const char *org, const char *period)
{
	const parity_results *res = rep->results;
	int now = !strcmp(period, res->period);
	size_t n = now ? res->count : res->trend_count;
	const parity_result_row *rows = now ? res->rows : res->trend;
	for (size_t i = 0; i < n; i++) {
		const parity_result_row *x = &rows[i];
		if (strcmp(x->indicator, code) || x->pooled || strcmp(x->period, period))
			continue;
		int match = !strcmp(x->stratum_kind, "organisation") && !strcmp(x->stratum, org);
		int only = res->organisation[0] && !strcmp(res->organisation, org) &&
		           !strcmp(x->stratum_kind, "overall");
		if (!match && !only)
			continue;
		if (report_hidden(rep, x))
			snprintf(buf, size, "suppressed");
		else if (!x->ratio.estimable)
			snprintf(buf, size, "no estimate");
		else
			draw_format_ratio(buf, size, x->ratio.ratio);
		return;
	}
	snprintf(buf, size, "-");
}

static void render_standard(draw_doc *doc, const report *rep, const char *standard,
                            const glance *lines, size_t line_count)
{
	const parity_return_published *now = rep->opt.return_now;
	const parity_return_published *before = rep->opt.return_before;
	const parity_return *r = parity_return_published_return(now);
	const parity_return *b = parity_return_published_return(before);
	char heading[96], subtitle[160], this_year[40], last_year[40];
	snprintf(heading, sizeof heading, "%s: the whole return at a glance", standard);
	snprintf(subtitle, sizeof subtitle, "%s beside %s", r->year, b ? b->year : "the "
	         "year before (no data)");
	report_part(doc, heading, subtitle);
	report_paragraph(doc, report_small, DRAW_BLACK,
	                 "Each line is one figure of the %s return for one organisation. "
	                 "Percentages are shares of the group; points are differences in "
	                 "percentage points (the protected group's figure minus the other "
	                 "group's, or the board's minus the workforce's); a relative "
	                 "likelihood above 1 means the protected group is worse off. Figures "
	                 "that would give away small counts are suppressed, and Staff "
	                 "Survey groups of fewer than 11 respondents are withheld, as the "
	                 "survey does. The workbook holds every figure.", standard);
	snprintf(this_year, sizeof this_year, "%s", r->year);
	snprintf(last_year, sizeof last_year, "%s", b ? b->year : "year before");
	/* Organisations, in the return's order. */
	size_t org_count = 0;
	const char **orgs = draw_calloc(r->row_count + 1, sizeof *orgs);
	if (!orgs)
		return;
	for (size_t i = 0; i < r->row_count; i++)
		if (!org_count || strcmp(orgs[org_count - 1], r->rows[i].organisation))
			orgs[org_count++] = r->rows[i].organisation;
	size_t rows = org_count * line_count;
	draw_cell *cells = draw_calloc(rows * 5 + 1, sizeof *cells);
	if (!cells) {
		free(orgs);
		return;
	}
	size_t n = 0;
	for (size_t k = 0; k < line_count; k++) {
		const glance *g = &lines[k];
		for (size_t o = 0; o < org_count; o++, n++) {
			draw_cell *c = &cells[5 * n];
			snprintf(c[0].text, sizeof c[0].text, "%s", o ? "" : g->label);
			snprintf(c[1].text, sizeof c[1].text, "%s", o ? "" : g->what);
			snprintf(c[2].text, sizeof c[2].text, "%s", orgs[o]);
			if (!g->group) {
				ratio_text(c[3].text, sizeof c[3].text, rep, g->indicator, orgs[o],
				           r->year);
				ratio_text(c[4].text, sizeof c[4].text, rep, g->indicator, orgs[o],
				           b ? b->year : "");
				continue;
			}
			figure_text(c[3].text, sizeof c[3].text, now,
			            find_row(now, standard, g->indicator, orgs[o], g->group), g->unit);
			if (before)
				figure_text(c[4].text, sizeof c[4].text, before,
				            find_row(before, standard, g->indicator, orgs[o], g->group),
				            g->unit);
			else
				snprintf(c[4].text, sizeof c[4].text, "-");
		}
	}
	draw_column columns[5] = {{"Indicator", 0, 0}, {"What", 0, 0},
	                          {"Organisation", 0, 0},
	                          {this_year, 0, DRAW_ALIGN_RIGHT},
	                          {last_year, 0, DRAW_ALIGN_RIGHT}};
	report_table(doc, columns, 5, NULL, 0, cells, NULL, rows);
	free(cells);
	free(orgs);
}

void report_render_return(draw_doc *doc, const report *rep)
{
	if (!rep->opt.return_now)
		return;
	render_standard(doc, rep, "WRES", wres, sizeof wres / sizeof wres[0]);
	render_standard(doc, rep, "WDES", wdes, sizeof wdes / sizeof wdes[0]);
}
