/*
 * report.c: the board report's files: builds the model from results
 * (report_model.c), writes the PDF in two passes (the first counts pages),
 * the standalone charts and report-tables.csv, each atomically.
 */
#include "parity/report.h"

#include "parity/common.h"
#include "html.h"
#include "pdf_finish.h"
#include "report_internal.h"
#include "util/util.h"

#include <cairo-pdf.h>
#include <glib.h>
#include <pango/pangocairo.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define REPORT_FILE "board-report.pdf"
#define HTML_FILE "board-report.html"
#define TABLES_FILE "report-tables.csv"
#define CHART_WIDTH (DRAW_A4_WIDTH - 84)

/* ---- the model ----------------------------------------------------------- */

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
 * Build the report model from `results` (report_model.c does the rows and
 * the suppression) and the page furniture. Returns 0, PARITY_EDATA when
 * nothing is left to report, or PARITY_ENOMEM. The caller frees with
 * report_model_free either way.
 */
static int report_init(report *rep, const parity_results *results,
                       const parity_report_options *options)
{
	int rc = report_model_build(rep, results, options);
	if (rc)
		return rc;
	report_dates(rep);
	snprintf(rep->header_right, sizeof rep->header_right, "%s \u00B7 %s",
	         rep->where, rep->period);
	snprintf(rep->footer, sizeof rep->footer, "parity %s \u00B7 produced %s",
	         parity_version(), rep->date_text);
	return 0;
}

/* ---- files -------------------------------------------------------------- */

/* The cairo write callback gathering the PDF in memory (a GByteArray). */
static cairo_status_t gather(void *closure, const unsigned char *data,
                             unsigned int length)
{
	g_byte_array_append(closure, data, length);
	return CAIRO_STATUS_SUCCESS;
}

/*
 * Lay the report out on a PDF surface that writes into `pdf` (or, when
 * `pdf` is NULL, on a recording surface, to count pages), tagging its
 * structure into `tags` and gathering the same blocks into `html` when
 * they are not NULL. *pages receives the page count. Returns the final
 * cairo status.
 */
static cairo_status_t render_pdf(int *pages, const report *rep, GByteArray *pdf,
                                 draw_tags *tags, html_doc *html, int pages_total)
{
	/* Counting needs only the layout: a recording surface takes the
	 * drawing without making a PDF of it (hinting is off on both, so
	 * text measures the same). */
	cairo_rectangle_t page = {0, 0, DRAW_A4_WIDTH, DRAW_A4_HEIGHT};
	cairo_surface_t *surface = pdf
		? cairo_pdf_surface_create_for_stream(gather, pdf, DRAW_A4_WIDTH,
		                                      DRAW_A4_HEIGHT)
		: cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &page);
	if (pdf) {
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
	doc.html = html;
	doc.tags = tags;
	if (tags)
		draw_artifacts_enable(cr);
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

/* Write the PDF to `path`: a counting pass, then the real one, tagged,
 * which also gathers the HTML page into `html` (when not NULL); then the
 * finishing pass (pdf_finish.c) and the file, atomically. */
static int write_pdf(const report *rep, const char *path, html_doc *html)
{
	draw_output out;
	draw_tags tags;
	int pages = 0, pages_again = 0;
	unsigned char *finished = NULL;
	size_t finished_len = 0;
	memset(&tags, 0, sizeof tags);
	cairo_status_t status = render_pdf(&pages, rep, NULL, NULL, NULL, 0);
	if (draw_memory_failed() || status == CAIRO_STATUS_NO_MEMORY)
		return parity_error_set(PARITY_ENOMEM, "%s: out of memory while drawing",
		                        path);
	if (status != CAIRO_STATUS_SUCCESS)
		return parity_error_set(PARITY_EIO, "%s: cannot draw: %s", path,
		                        cairo_status_to_string(status));
	GByteArray *pdf = g_byte_array_new();
	status = render_pdf(&pages_again, rep, pdf, &tags, html, pages);
	int rc = 0;
	if (draw_memory_failed() || status == CAIRO_STATUS_NO_MEMORY)
		rc = parity_error_set(PARITY_ENOMEM, "%s: out of memory while drawing",
		                      path);
	else if (status != CAIRO_STATUS_SUCCESS)
		rc = parity_error_set(PARITY_EIO, "%s: cannot draw: %s", path,
		                      cairo_status_to_string(status));
	else if (pages_again != pages)
		rc = parity_error_set(PARITY_EINTERNAL,
		                      "%s: layout changed between passes (%d pages, "
		                      "then %d)", path, pages, pages_again);
	if (!rc)
		rc = pdf_finish(&finished, &finished_len, pdf->data, pdf->len,
		                (const char *const *)tags.alts, tags.alt_count,
		                tags.head_spans, tags.head_count, rep->title, "en-GB", path);
	g_byte_array_free(pdf, TRUE);
	draw_tags_free(&tags);
	if (!rc)
		rc = draw_output_open(&out, path);
	if (!rc) {
		status = draw_output_write(&out, finished, (unsigned int)finished_len);
		rc = draw_output_close(&out, status);
	}
	free(finished);
	return rc;
}

/* The by-organisation chart of `ind` alone to `path`, titled for use on
 * its own. */
static int org_chart_write(const report *rep, const report_indicator *ind,
                           parity_chart_format format, const char *path)
{
	chart_ratio_style style;
	chart_ratio_item *items = NULL;
	char title[300], note[200] = "";
	size_t n = report_org_items(&items, rep, ind);
	if (!n)
		return parity_error_set(PARITY_ENOMEM, "report: out of memory");
	report_chart_style(&style, rep, ind->info);
	snprintf(title, sizeof title, "%s: by organisation, %s", ind->info->title,
	         rep->period);
	style.title = title;
	const parity_result_row *pooled = ind->pooled_org;
	if (pooled && ind->orgs.count > 1 && !report_hidden(rep, pooled) &&
	    !report_strata_hidden(rep, pooled) && pooled->pool.homogeneity_estimable) {
		chart_format_homogeneity(note, sizeof note, pooled->pool.q,
		                         (int)pooled->pool.df, pooled->pool.p_homogeneity);
		style.note = note;
	}
	int rc = chart_ratio_write(path, format, CHART_WIDTH, &style, items, n);
	free(items);
	return rc;
}

/* Write a pipeline chart of `ind` (two groups) to OUT_DIR/<stem>-<suffix>.<ext>,
 * titled "<what> by ethnicity" (or disability) and the period. Returns 0 or
 * the chart's error; style->title is left NULL. */
static int pipeline_file(const report *rep, const report_indicator *ind,
                         const char *what, const char *suffix,
                         chart_pipeline_style *style, const chart_pipeline_group *groups,
                         parity_chart_format format, const char *ext, const char *out_dir)
{
	char title[300], name[96], path[4096];
	snprintf(title, sizeof title, "%s by %s, %s", what,
	         strcmp(ind->info->grouping, "disability") ? "ethnicity" : "disability",
	         rep->period);
	style->title = title;
	snprintf(name, sizeof name, "%s-%s.%s", ind->stem, suffix, ext);
	int rc = util_path_join(path, sizeof path, out_dir, name);
	if (!rc)
		rc = chart_pipeline_write(path, format, CHART_WIDTH, style, groups, 2);
	style->title = NULL;
	return rc;
}

/* The chart files of one indicator: by organisation, trend, (with
 * several organisations) funnel, (appointment, with the shortlisting
 * counts) the recruitment pipeline and (disciplinary and capability, with
 * stages) how far cases went, each as PNG and SVG. */
static int write_charts(const report *rep, const report_indicator *ind,
                        const char *out_dir)
{
	static const struct {
		parity_chart_format format;
		const char *ext;
	} kinds[] = {{PARITY_CHART_PNG, "png"}, {PARITY_CHART_SVG, "svg"}};
	char name[96], path[4096];
	report_trend trend;
	report_funnel funnel;
	int have_trend = report_trend_build(&trend, rep, ind, NULL, 0);
	int have_funnel = report_funnel_build(&funnel, rep, ind);
	chart_pipeline_group stages[2], cases[2];
	int have_pipeline = report_pipeline_groups(stages, rep, ind) > 0;
	chart_pipeline_counts case_counts[2];
	chart_pipeline_style case_style;
	int have_stages = report_stage_pipeline(cases, case_counts, &case_style, rep,
	                                        ind) > 0;
	int rc = 0;
	if (draw_memory_failed()) /* a chart would be missing */
		rc = parity_error_set(PARITY_ENOMEM, "%s: out of memory while drawing "
		                      "the charts", out_dir);
	for (size_t k = 0; k < 2 && !rc; k++) {
		if (ind->orgs.count > 0) {
			snprintf(name, sizeof name, "%s-by-organisation.%s", ind->stem,
			         kinds[k].ext);
			rc = util_path_join(path, sizeof path, out_dir, name);
			if (!rc)
				rc = org_chart_write(rep, ind, kinds[k].format, path);
		}
		if (!rc && have_trend) {
			chart_trend_style style;
			char title[300];
			report_trend_style(&style, rep, ind);
			snprintf(title, sizeof title, "%s: by financial year",
			         ind->info->title);
			style.title = title;
			snprintf(name, sizeof name, "%s-trend.%s", ind->stem, kinds[k].ext);
			rc = util_path_join(path, sizeof path, out_dir, name);
			if (!rc)
				rc = chart_trend_write(path, kinds[k].format, CHART_WIDTH,
				                       &style, &trend.trend);
		}
		if (!rc && have_funnel) {
			chart_funnel_style style;
			char title[300];
			report_funnel_style(&style, rep, ind);
			snprintf(title, sizeof title, "%s: funnel plot, %s",
			         ind->info->title, rep->period);
			style.title = title;
			snprintf(name, sizeof name, "%s-funnel.%s", ind->stem, kinds[k].ext);
			rc = util_path_join(path, sizeof path, out_dir, name);
			if (!rc)
				rc = chart_funnel_write(path, kinds[k].format, CHART_WIDTH,
				                        &style, &funnel.funnel);
		}
		if (!rc && have_pipeline) {
			chart_pipeline_style style;
			report_pipeline_style(&style, rep);
			rc = pipeline_file(rep, ind, "Recruitment pipeline", "pipeline", &style,
			                   stages, kinds[k].format, kinds[k].ext, out_dir);
		}
		if (!rc && have_stages)
			rc = pipeline_file(rep, ind, "How far formal cases went,", "stages",
			                   &case_style, cases, kinds[k].format, kinds[k].ext,
			                   out_dir);
	}
	if (!rc)
		rc = report_programme_chart_files(rep, ind->info, ind->stem, CHART_WIDTH, out_dir);
	if (have_trend)
		report_trend_free(&trend);
	if (have_funnel)
		report_funnel_free(&funnel);
	return rc;
}

/* The chart files and report-tables.csv, which show nothing the pages do
 * not and need nothing they draw: written on a second thread while the
 * pages are laid out. Its error is carried back (the error state is per
 * thread). */
typedef struct file_job {
	const report *rep;
	const char *out_dir;
	parity_error_carried error;
} file_job;

static void *write_files(void *arg)
{
	file_job *job = arg;
	char path[4096];
	int rc = 0;
	for (size_t i = 0; !rc && i < job->rep->ind_count; i++)
		rc = write_charts(job->rep, &job->rep->ind[i], job->out_dir);
	if (!rc)
		rc = util_path_join(path, sizeof path, job->out_dir, TABLES_FILE);
	if (!rc)
		rc = report_write_tables(job->rep, path);
	if (!rc && draw_memory_failed())
		rc = parity_error_set(PARITY_ENOMEM, "%s: out of memory while drawing the "
		                      "charts", job->out_dir);
	parity_error_carry(&job->error, rc);
	return NULL;
}

/* write_files on its own thread: its font map (pango's default is per
 * thread) dropped before the thread ends. */
static void *write_files_thread(void *arg)
{
	write_files(arg);
	pango_cairo_font_map_set_default(NULL);
	return NULL;
}

int parity_report_write(const parity_results *results,
                        const parity_report_options *options,
                        const char *out_dir)
{
	report rep;
	char path[4096];
	html_doc *html = NULL;
	int rc;

	if (!results || !out_dir || !*out_dir)
		return parity_error_set(PARITY_EUSAGE, "report: %s is missing",
		                        results ? "the output folder" : "the results");
	draw_memory_reset();
	rc = report_init(&rep, results, options);
	if (rc)
		goto done;
	rc = util_mkdirs(out_dir, 0700);
	if (rc)
		goto done;
	/* The chart files and the tables meanwhile (they do not show the year
	 * before's return either, which may still be being made). */
	file_job files = {&rep, out_dir, {0, ""}};
	pthread_t thread;
	int threaded = !pthread_create(&thread, NULL, write_files_thread, &files);
	if (!rc && options && options->return_before_wait)
		rc = options->return_before_wait(options->return_before_context,
		                                 &rep.opt.return_before);
	if (!rc)
		rc = util_path_join(path, sizeof path, out_dir, REPORT_FILE);
	if (!rc && !(html = html_doc_new()))
		rc = parity_error_set(PARITY_ENOMEM, "report: out of memory");
	if (!rc)
		rc = write_pdf(&rep, path, html);
	if (!rc)
		rc = util_path_join(path, sizeof path, out_dir, HTML_FILE);
	if (!rc)
		rc = html_doc_write(html, path, rep.title, rep.footer);
	if (!rc && draw_memory_failed())
		rc = parity_error_set(PARITY_ENOMEM, "%s: out of memory while drawing the "
		                      "report", out_dir);
	if (threaded)
		pthread_join(thread, NULL);
	else if (!rc)
		write_files(&files); /* no thread to be had: here, after */
	if (!rc)
		rc = parity_error_raise(&files.error);
done:
	html_doc_free(html);
	report_model_free(&rep);
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
	draw_memory_reset();
	rc = report_init(&rep, results, options);
	if (rc)
		goto done;
	const report_indicator *found = NULL;
	for (size_t i = 0; i < rep.ind_count && !found; i++)
		if (!strcmp(rep.ind[i].info->code, indicator) && rep.ind[i].orgs.count)
			found = &rep.ind[i];
	if (found)
		rc = org_chart_write(&rep, found, format, path);
	else
		rc = parity_error_set(PARITY_EDATA, "chart: no %s results by "
		                      "organisation to draw", indicator);
done:
	report_model_free(&rep);
	return rc;
}

void parity_report_cleanup(void)
{
	/* The default font map holds fontconfig patterns; drop it first,
	 * then cairo's caches. */
	pango_cairo_font_map_set_default(NULL);
	cairo_debug_reset_static_data();
}
