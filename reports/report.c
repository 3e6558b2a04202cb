/*
 * report.c: the board report's files: builds the model from results (one
 * section per indicator, small counts suppressed), writes the PDF in two
 * passes (the first counts pages) and the standalone charts, atomically.
 */
#include "parity/report.h"

#include "parity/common.h"
#include "report_internal.h"
#include "util.h"

#include <cairo-pdf.h>
#include <ctype.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define REPORT_FILE "board-report.pdf"
#define DEFAULT_TITLE "Workforce equality report"

/* ---- building the model ------------------------------------------------ */

static void capitalise(char *buf, size_t size, const char *text)
{
	snprintf(buf, size, "%s", text ? text : "");
	if (buf[0])
		buf[0] = (char)toupper((unsigned char)buf[0]);
}

/* Which section a row belongs to, creating it; NULL when out of memory. */
static section *section_for(report *rep, const parity_result_row *row,
                            size_t capacity)
{
	for (size_t i = 0; i < rep->section_count; i++) {
		section *s = &rep->sections[i];
		if (!strcmp(s->indicator, row->indicator) &&
		    !strcmp(s->grouping, row->grouping))
			return s;
	}
	section *s = &rep->sections[rep->section_count];
	memset(s, 0, sizeof *s);
	s->rows = calloc(capacity, sizeof *s->rows);
	if (!s->rows)
		return NULL;
	rep->section_count++;
	snprintf(s->indicator, sizeof s->indicator, "%s", row->indicator);
	snprintf(s->grouping, sizeof s->grouping, "%s", row->grouping);
	const parity_indicator_info *info = parity_indicator_info_find(row->indicator);
	if (info) {
		s->words = *info;
	} else {
		s->words.code = s->indicator;
		s->words.title = s->indicator;
		s->words.base_label = "base";
		s->words.outcome_label = "outcome";
		s->words.group1_phrase = row->group1;
		s->words.group2_phrase = row->group2;
		s->words.outcome_phrase = "to reach the outcome";
	}
	return s;
}

void report_count_text(char *buf, size_t size, uint64_t value,
                       suppress_mark mark, unsigned threshold)
{
	if (mark == SUPPRESS_PRIMARY)
		snprintf(buf, size, "<%u", threshold);
	else if (mark == SUPPRESS_SECONDARY)
		snprintf(buf, size, "[c]");
	else
		draw_format_count(buf, size, value);
}

void report_rate_text(char *buf, size_t size, uint64_t x, uint64_t n,
                      suppress_mark mx, suppress_mark mn)
{
	if (mx != SUPPRESS_SHOWN || mn != SUPPRESS_SHOWN)
		snprintf(buf, size, "[c]");
	else
		draw_format_rate(buf, size, x, n);
}

static const char *band_word(const parity_ratio *r)
{
	if (!r->estimable)
		return "-";
	switch (r->band) {
	case PARITY_BAND_ABOVE: return "Above";
	case PARITY_BAND_INSIDE: return "Inside";
	case PARITY_BAND_BELOW: return "Below";
	default: return "-";
	}
}

/* Marks, chart items, table cells and headings for section `s`. */
static int section_prepare(report *rep, section *s)
{
	size_t n = s->count;
	uint64_t *counts = calloc(n * COUNT_COLUMNS, sizeof *counts);
	s->marks = calloc(n * COUNT_COLUMNS, sizeof *s->marks);
	s->items = calloc(n, sizeof *s->items);
	s->cells = calloc(n * TABLE_COLUMNS, sizeof *s->cells);
	s->row_flags = calloc(n, sizeof *s->row_flags);
	if (!counts || !s->marks || !s->items || !s->cells || !s->row_flags) {
		free(counts);
		return parity_error_set(PARITY_ENOMEM, "report: out of memory");
	}

	for (size_t i = 0; i < n; i++) {
		const parity_ratio *r = &s->rows[i]->ratio;
		counts[i * COUNT_COLUMNS + COUNT_N1] = r->n1;
		counts[i * COUNT_COLUMNS + COUNT_X1] = r->x1;
		counts[i * COUNT_COLUMNS + COUNT_N2] = r->n2;
		counts[i * COUNT_COLUMNS + COUNT_X2] = r->x2;
	}
	static const suppress_pair pairs[] = {{COUNT_X1, COUNT_N1},
	                                      {COUNT_X2, COUNT_N2}};
	suppress_table table = {
		.counts = counts, .rows = n, .columns = COUNT_COLUMNS,
		/* The overall row is the total of the organisations above it. */
		.total_row = s->overall && s->org_count ? s->org_count
		                                        : SUPPRESS_NO_TOTAL,
		.pairs = pairs, .pair_count = 2, .threshold = rep->suppress_below,
	};
	suppress_apply(s->marks, &table);
	free(counts);

	for (size_t i = 0; i < n; i++) {
		const parity_result_row *row = s->rows[i];
		const parity_ratio *r = &row->ratio;
		const suppress_mark *m = &s->marks[i * COUNT_COLUMNS];
		draw_cell *c = &s->cells[i * TABLE_COLUMNS];
		unsigned t = rep->suppress_below;
		int overall = i >= s->org_count;

		s->items[i] = (chart_ratio_item){
			.label = row->stratum, .ratio = r->ratio, .ci_low = r->ci_low,
			.ci_high = r->ci_high, .estimable = r->estimable,
			.low_count = r->low_count, .overall = overall,
		};
		s->row_flags[i] = overall ? DRAW_ROW_BOLD : 0;
		for (int k = 0; k < COUNT_COLUMNS; k++)
			if (m[k] != SUPPRESS_SHOWN)
				s->any_suppressed = 1;
		if (r->estimable && (isinf(r->ratio) || isinf(r->ci_high)))
			s->any_infinite = 1;
		if (r->low_count)
			s->any_low = 1;

		snprintf(c[COL_LABEL].text, sizeof c[COL_LABEL].text, "%s", row->stratum);
		report_count_text(c[COL_N1].text, sizeof c[0].text, r->n1, m[COUNT_N1], t);
		report_count_text(c[COL_X1].text, sizeof c[0].text, r->x1, m[COUNT_X1], t);
		report_rate_text(c[COL_RATE1].text, sizeof c[0].text, r->x1, r->n1, m[COUNT_X1],
		          m[COUNT_N1]);
		report_count_text(c[COL_N2].text, sizeof c[0].text, r->n2, m[COUNT_N2], t);
		report_count_text(c[COL_X2].text, sizeof c[0].text, r->x2, m[COUNT_X2], t);
		report_rate_text(c[COL_RATE2].text, sizeof c[0].text, r->x2, r->n2, m[COUNT_X2],
		          m[COUNT_N2]);
		if (r->estimable) {
			draw_format_ratio(c[COL_RATIO].text, sizeof c[0].text, r->ratio);
			draw_format_interval(c[COL_CI].text, sizeof c[0].text, r->ci_low,
			                     r->ci_high);
		} else {
			snprintf(c[COL_RATIO].text, sizeof c[0].text, "-");
			snprintf(c[COL_CI].text, sizeof c[0].text, "no estimate");
		}
		snprintf(c[COL_BAND].text, sizeof c[0].text, "%s", band_word(r));
		snprintf(c[COL_NOTE].text, sizeof c[0].text, "%s",
		         r->low_count ? "Few cases" : "");
	}

	capitalise(s->base_heading, sizeof s->base_heading, s->words.base_label);
	capitalise(s->outcome_heading, sizeof s->outcome_heading,
	           s->words.outcome_label);
	snprintf(s->ci_heading, sizeof s->ci_heading, "%g%% CI", rep->level * 100);
	static const unsigned right = DRAW_ALIGN_RIGHT;
	const char *headings[TABLE_COLUMNS] = {
		"Organisation", s->base_heading, s->outcome_heading, "Rate",
		s->base_heading, s->outcome_heading, "Rate", "Ratio",
		s->ci_heading, "Band", "Note"};
	for (size_t k = 0; k < TABLE_COLUMNS; k++) {
		s->columns[k].heading = headings[k];
		s->columns[k].align = (k == COL_LABEL || k == COL_BAND ||
		                       k == COL_NOTE) ? 0 : right;
	}
	const parity_result_row *first = s->rows[0];
	s->spans[0] = (draw_span){COL_N1, 3, first->group1[0] ? first->group1
	                                                      : "Group 1"};
	s->spans[1] = (draw_span){COL_N2, 3, first->group2[0] ? first->group2
	                                                      : "Group 2"};
	return 0;
}

/* Name the section's chart files: "wres2-by-organisation", with the
 * grouping added when another section shares the indicator. */
static void section_file_name(report *rep, size_t index)
{
	section *s = &rep->sections[index];
	int shared = 0;
	for (size_t i = 0; i < rep->section_count; i++)
		if (i != index && !strcmp(rep->sections[i].indicator, s->indicator))
			shared = 1;
	char base[64];
	if (shared)
		snprintf(base, sizeof base, "%s-%s-by-organisation", s->indicator,
		         s->grouping);
	else
		snprintf(base, sizeof base, "%s-by-organisation", s->indicator);
	for (char *p = base; *p; p++)
		*p = isalnum((unsigned char)*p) ? (char)tolower((unsigned char)*p)
		                                : '-';
	/* "-by-organisation" survives the mapping: only letters and '-'. */
	snprintf(s->chart_file, sizeof s->chart_file, "%s", base);
}

static void report_free(report *rep)
{
	for (size_t i = 0; i < rep->section_count; i++) {
		section *s = &rep->sections[i];
		free(s->rows);
		free(s->marks);
		free(s->items);
		free(s->cells);
		free(s->row_flags);
	}
	free(rep->sections);
	rep->sections = NULL;
	rep->section_count = 0;
}

/* Today (or SOURCE_DATE_EPOCH, for reproducible files) as ISO 8601 for the
 * PDF metadata and as words for the page footer. */
static void report_dates(report *rep)
{
	static const char *const months[] = {
		"January", "February", "March", "April", "May", "June", "July",
		"August", "September", "October", "November", "December"};
	time_t now = time(NULL);
	const char *epoch = getenv("SOURCE_DATE_EPOCH");
	if (epoch && *epoch) {
		char *end = NULL;
		long long value = strtoll(epoch, &end, 10);
		if (end && !*end && value >= 0)
			now = (time_t)value;
	}
	struct tm tm;
	gmtime_r(&now, &tm);
	snprintf(rep->date_iso, sizeof rep->date_iso,
	         "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
	         tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	snprintf(rep->date_text, sizeof rep->date_text, "%d %s %d", tm.tm_mday,
	         months[tm.tm_mon % 12], tm.tm_year + 1900);
}

/*
 * Build the report model from `results`: one section per indicator and
 * grouping, with the period's organisation rows (in result order) followed
 * by the overall row. Returns 0, PARITY_EDATA when nothing is left to
 * report, or PARITY_ENOMEM. The caller frees with report_free either way.
 */
static int report_init(report *rep, const parity_results *results,
                       const parity_report_options *options)
{
	memset(rep, 0, sizeof *rep);
	rep->results = results;
	rep->title = options && options->title ? options->title : DEFAULT_TITLE;
	rep->author = options && options->author ? options->author : "parity";
	rep->suppress_below = options ? options->suppress_below : 0;
	if (rep->suppress_below == 1)
		rep->suppress_below = 0;
	if (options && options->organisation)
		rep->where = options->organisation;
	else if (results->organisation[0])
		rep->where = results->organisation;
	else
		rep->where = "All organisations";
	/* Without a period in the results, report the first row's. */
	rep->period = results->period;
	if (!rep->period[0] && results->count)
		rep->period = results->rows[0].period;
	rep->level = results->settings.level > 0 ? results->settings.level : 0.95;

	rep->sections = calloc(results->count ? results->count : 1,
	                       sizeof *rep->sections);
	if (!rep->sections)
		return parity_error_set(PARITY_ENOMEM, "report: out of memory");
	/* Organisations first (in result order), overall rows after. */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < results->count; i++) {
			const parity_result_row *row = &results->rows[i];
			int overall = !strcmp(row->stratum_kind, "overall");
			if (strcmp(row->period, rep->period))
				continue;
			if (!overall && strcmp(row->stratum_kind, "organisation"))
				continue;
			if (overall != pass)
				continue;
			section *s = section_for(rep, row, results->count);
			if (!s)
				return parity_error_set(PARITY_ENOMEM,
				                        "report: out of memory");
			/* One overall row per section: it is the total that
			 * suppression protects against. */
			if (overall && s->overall)
				continue;
			s->rows[s->count++] = row;
			if (overall)
				s->overall = row;
			if (!overall)
				s->org_count++;
		}
	}
	if (rep->section_count == 0)
		return parity_error_set(PARITY_EDATA,
		                        "no organisation or overall results%s%s to "
		                        "report", rep->period[0] ? " for " : "",
		                        rep->period);
	for (size_t i = 0; i < rep->section_count; i++) {
		int rc = section_prepare(rep, &rep->sections[i]);
		if (rc)
			return rc;
		section_file_name(rep, i);
	}
	report_dates(rep);
	snprintf(rep->header_right, sizeof rep->header_right, "%s \u00B7 %s",
	         rep->where, rep->period);
	snprintf(rep->footer, sizeof rep->footer, "parity %s \u00B7 produced %s",
	         parity_version(), rep->date_text);
	return 0;
}

void report_chart_style(chart_ratio_style *style, const report *rep,
                        const section *s)
{
	memset(style, 0, sizeof *style);
	style->label_heading = "Organisation";
	style->group1 = s->rows[0]->group1[0] ? s->rows[0]->group1 : NULL;
	style->group2 = s->rows[0]->group2[0] ? s->rows[0]->group2 : NULL;
	style->outcome = s->words.outcome_phrase;
	style->level = rep->level;
}

/* ---- files -------------------------------------------------------------- */

/*
 * Lay the report out on a PDF surface that writes to `out` (or nowhere,
 * when `out` is NULL, to count pages). *pages receives the page count.
 * Returns the final cairo status.
 */
static cairo_status_t render_pdf(int *pages, const report *rep,
                                 draw_output *out,
                                 int pages_total)
{
	cairo_surface_t *surface = cairo_pdf_surface_create_for_stream(
		out ? draw_output_write : NULL, out, DRAW_A4_WIDTH, DRAW_A4_HEIGHT);
	if (out) {
		char creator[64];
		snprintf(creator, sizeof creator, "parity %s", parity_version());
		cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE,
		                               rep->title);
		cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_AUTHOR,
		                               rep->author);
		cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_SUBJECT,
		                               rep->header_right);
		cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR,
		                               creator);
		cairo_pdf_surface_set_metadata(surface,
		                               CAIRO_PDF_METADATA_CREATE_DATE,
		                               rep->date_iso);
	}
	cairo_t *cr = cairo_create(surface);
	draw_context_setup(cr);
	draw_doc doc;
	draw_doc_init(&doc, cr, pages_total, rep->title, rep->header_right,
	              rep->footer);
	report_render(&doc, rep);
	*pages = doc.page;

	cairo_status_t status = cairo_status(cr);
	cairo_destroy(cr);
	cairo_surface_finish(surface);
	if (status == CAIRO_STATUS_SUCCESS)
		status = cairo_surface_status(surface);
	cairo_surface_destroy(surface);
	return status;
}

/* Write the PDF to `path`: a counting pass, then the real one. */
static int write_pdf(const report *rep, const char *path)
{
	draw_output out;
	int pages = 0, pages_again = 0;
	cairo_status_t status = render_pdf(&pages, rep, NULL, 0);
	if (status != CAIRO_STATUS_SUCCESS)
		return parity_error_set(PARITY_EIO, "%s: cannot draw: %s", path,
		                        cairo_status_to_string(status));
	int rc = draw_output_open(&out, path);
	if (rc)
		return rc;
	status = render_pdf(&pages_again, rep, &out, pages);
	if (status == CAIRO_STATUS_SUCCESS && pages_again != pages) {
		draw_output_close(&out, CAIRO_STATUS_INVALID_STATUS);
		return parity_error_set(PARITY_EINTERNAL,
		                        "%s: layout changed between passes (%d pages, "
		                        "then %d)", path, pages, pages_again);
	}
	return draw_output_close(&out, status);
}

/* Write section `s`'s chart alone to `path`, titled for use on its own. */
static int section_chart_write(const report *rep, const section *s,
                               parity_chart_format format, const char *path)
{
	chart_ratio_style style;
	char title[300];
	report_chart_style(&style, rep, s);
	snprintf(title, sizeof title, "%s: by organisation, %s", s->words.title,
	         rep->period);
	style.title = title;
	return chart_ratio_write(path, format, DRAW_A4_WIDTH - 84, &style,
	                         s->items, s->count);
}

/* The section's chart as out_dir/<name>.png and .svg. */
static int write_charts(const report *rep, const section *s,
                        const char *out_dir)
{
	static const struct {
		parity_chart_format format;
		const char *ext;
	} kinds[] = {{PARITY_CHART_PNG, "png"}, {PARITY_CHART_SVG, "svg"}};
	char name[96], path[4096];
	for (size_t k = 0; k < 2; k++) {
		snprintf(name, sizeof name, "%s.%s", s->chart_file, kinds[k].ext);
		int rc = util_path_join(path, sizeof path, out_dir, name);
		if (!rc)
			rc = section_chart_write(rep, s, kinds[k].format, path);
		if (rc)
			return rc;
	}
	return 0;
}

int parity_report_write(const parity_results *results,
                        const parity_report_options *options,
                        const char *out_dir)
{
	report rep;
	char path[4096];
	int rc;

	if (!results || !out_dir || !*out_dir)
		return parity_error_set(PARITY_EUSAGE, "report: %s is missing",
		                        results ? "the output folder" : "the results");
	rc = report_init(&rep, results, options);
	if (rc)
		goto done;
	rc = util_mkdirs(out_dir, 0777);
	if (rc)
		goto done;
	rc = util_path_join(path, sizeof path, out_dir, REPORT_FILE);
	if (rc)
		goto done;
	rc = write_pdf(&rep, path);
	for (size_t i = 0; !rc && i < rep.section_count; i++)
		rc = write_charts(&rep, &rep.sections[i], out_dir);
done:
	report_free(&rep);
	return rc;
}

int parity_chart_write_ratio(const parity_results *results,
                             const char *indicator,
                             const parity_report_options *options,
                             parity_chart_format format, const char *path)
{
	report rep;
	int rc;

	if (!results || !indicator || !path || !*path)
		return parity_error_set(PARITY_EUSAGE, "chart: %s is missing",
		                        !results ? "the results"
		                        : !indicator ? "the indicator" : "the path");
	rc = report_init(&rep, results, options);
	if (rc)
		goto done;
	const section *found = NULL;
	for (size_t i = 0; i < rep.section_count && !found; i++)
		if (!strcmp(rep.sections[i].indicator, indicator))
			found = &rep.sections[i];
	if (found)
		rc = section_chart_write(&rep, found, format, path);
	else
		rc = parity_error_set(PARITY_EDATA, "chart: no %s results to draw",
		                      indicator);
done:
	report_free(&rep);
	return rc;
}

void parity_report_cleanup(void)
{
	/* The default font map holds fontconfig patterns; drop it first,
	 * then cairo's caches. */
	pango_cairo_font_map_set_default(NULL);
	cairo_debug_reset_static_data();
}
