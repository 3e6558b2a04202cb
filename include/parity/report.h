/*
 * parity/report.h: rendering. Receives computed results and draws charts
 * and the PDF board report with cairo and pango; computes no statistics.
 */
#ifndef PARITY_REPORT_H
#define PARITY_REPORT_H

#include "parity/analyse.h"
#include "parity/quality.h"
#include "parity/return.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Report settings. Zero-initialise, then set what you need. */
typedef struct parity_report_options {
	const char *title;        /**< document title; NULL for the default */
	const char *author;       /**< PDF author metadata; NULL for "parity" */
	const char *organisation; /**< shown in the page header; NULL = all */
	unsigned suppress_below;  /**< counts 1..suppress_below-1 shown as "<N"; 0 = off */
	int disclosure;           /**< parity_disclosure: threshold (default) or nhs-digital */
	/* Added with the full report; all optional (NULL or 0 leaves the part out). */
	const parity_quality *quality; /**< data quality and the input files
	                               (parity_quality_read); borrowed */
	int64_t run_id;           /**< the run's id in the database history; 0 unknown */
	const char *database;     /**< the database read, named in the appendix */
	const char *cohorts_file; /**< the cohort file read, named in the appendix */
	const char *const *changes; /**< "What changed" lines, NULL-terminated
	                               (parity_run_write_changes); NULL: no section */
	const char *changes_month; /**< the month those lines are for, "2026-11" */
	const char *funnel_adjust; /**< funnel limits: "plain" or "additive" (NULL: plain) */
	/* The whole return at a glance: a section per standard (optional). */
	const parity_return_published *return_now;    /**< the period's return (a
	                                                    financial year), borrowed */
	const parity_return_published *return_before; /**< the year before's, or NULL */
	/** When the year before's return is still being made (`parity report`
	 *  and `parity run` make it on another thread meanwhile): called once,
	 *  before the pages are laid out, with return_before_context; it
	 *  sets *before (NULL: none) and returns 0, or the library's error, which
	 *  the report then returns. NULL: return_before is ready. */
	int (*return_before_wait)(void *context, const parity_return_published **before);
	void *return_before_context;
	const char *programme_file; /**< the programme's cohort file, named in the appendix */
	/** The published set to draw from (parity_publish_build_year over these
	 *  results and the year's return, so that the report and the return
	 *  decide every shared count alike), borrowed; NULL: the report builds
	 *  its own from the results. Its policy and threshold are the ones
	 *  used (they should match disclosure and suppress_below). */
	const parity_published *published;
} parity_report_options;

/**
 * Write `out_dir`/board-report.pdf from `results` (every row of
 * results->period, the trend, cohorts and notes), and beside it:
 * - each standard indicator's charts as PNG and SVG: by organisation
 *   (wres2-by-organisation.png/.svg, with the pooled ratio), trend
 *   (wres2-trend) and, with several organisations, the funnel plot
 *   (wres2-funnel); with a programme (results->programme), the event study
 *   (wres2-event) when its pooled effect is shown;
 * - report-tables.csv: every table of the report as printed (small counts
 *   suppressed), the file to publish beside the PDF.
 * The PDF has a summary (one line per indicator with its change since the
 * previous financial year), "What changed" (options->changes), a section
 * per indicator, the breakdowns by characteristic, the comparison of
 * organisations (funnel, pay band and staff group with pooled ratios,
 * Kline's compound ratio, the recruitment pipeline when the results hold
 * a "shortlisting" measure), the mentoring cohorts, data quality
 * (options->quality), methods and a reproducibility record.
 * With options->suppress_below = 5, counts of 1-4 print as "<5" and further
 * cells as "[c]" where a total, a difference or a linked table would reveal
 * them; a row with a hidden count shows no rate, ratio or interval
 * ("suppressed (small numbers)") in tables, charts and sentences.
 * `out_dir` and its parents are created if missing; `options` may be NULL
 * for the defaults. Each file is written to a temporary name and renamed
 * into place, so a failure never leaves half a file. Returns 0,
 * PARITY_EUSAGE for a missing argument, PARITY_EDATA when `results` holds no
 * rows to report, PARITY_ENOMEM, or PARITY_EIO with a message naming the
 * file.
 */
int parity_report_write(const parity_results *results,
                        const parity_report_options *options,
                        const char *out_dir);

/** Image formats for the standalone charts. */
typedef enum parity_chart_format {
	PARITY_CHART_PNG = 0, /**< 144 dpi bitmap */
	PARITY_CHART_SVG      /**< vector, sizes in points */
} parity_chart_format;

/**
 * Write the ratio chart by organisation for `indicator` ("WRES2") in the
 * results' period to `path`: each organisation's relative likelihood with
 * its confidence interval on a log scale, the overall ratio as a diamond,
 * the 0.80-1.25 band shaded. Written via a temporary file renamed into
 * place. Returns 0, PARITY_EUSAGE for a missing argument, PARITY_EDATA when
 * no row has that indicator, or PARITY_EIO with a message naming `path`.
 */
int parity_chart_write_ratio(const parity_results *results,
                             const char *indicator,
                             const parity_report_options *options,
                             parity_chart_format format, const char *path);

/**
 * Release the font caches that pango and cairo keep for the life of the
 * process, so that leak checkers (AddressSanitizer) see a clean exit.
 * Optional; call at most once, at exit, after the last report or chart:
 * nothing may be drawn afterwards. fontconfig keeps its configuration
 * (a few hundred bytes) until FcFini(), which needs fontconfig linked.
 */
void parity_report_cleanup(void);

#ifdef __cplusplus
}
#endif
#endif
