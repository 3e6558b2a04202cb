/*
 * pipeline.c: the steps that `analyse`, `report` and `demo` share: the
 * statistics options every one of them takes, and analysing a store then
 * writing the results files and (optionally) the PDF into a folder.
 */
#include "cli.h"
#include "pipeline.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int cli_stats_option(const char *command, int option, const char *arg,
                     parity_stats_settings *settings)
{
	double level;
	uint64_t minimum;
	switch (option) {
	case OPT_METHOD:
		if (parity_ci_method_parse(&settings->method, arg) != 0) {
			static const char *const methods[] = {"koopman", "katz", "adjusted-log",
			                                      "mn", NULL};
			const char *close = cli_closest(arg, methods);
			parity_error_clear();
			if (close)
				return cli_usage_error(command, "unknown --method '%s'; did you "
				                       "mean '%s'?", arg, close);
			return cli_usage_error(command, "unknown --method '%s': use koopman, "
			                       "katz, adjusted-log or mn", arg);
		}
		return 0;
	case OPT_LEVEL:
		if (cli_parse_double(arg, &level) || !(level > 0 && level < 1))
			return cli_usage_error(command, "--level '%s': give a confidence level "
			                       "between 0 and 1, such as 0.95", arg);
		settings->level = level;
		return 0;
	case OPT_LOW_COUNT:
		if (cli_parse_u64(arg, &minimum))
			return cli_usage_error(command, "--low-count '%s': give a whole number",
			                       arg);
		settings->low_count_min = minimum;
		return 0;
	default:
		return cli_usage_error(command, "internal: unknown statistics option");
	}
}

/* A whole number from `min` to `max` for `option`; 0, or 64 after saying
 * what was wrong. */
static int small_number(const char *command, const char *option, const char *arg,
                        unsigned min, unsigned max, unsigned *out)
{
	uint64_t value;
	if (cli_parse_u64(arg, &value) || value < min || value > max)
		return cli_usage_error(command, "%s '%s': give a whole number from %u "
		                       "to %u", option, arg, min, max);
	*out = (unsigned)value;
	return 0;
}

int cli_analysis_option(const char *command, int option, const char *arg,
                        parity_analyse_options *options)
{
	switch (option) {
	case OPT_WINDOW_YEARS:
		return small_number(command, "--window-years", arg, 1, 10,
		                    &options->rolling_years);
	case OPT_INCLUDE_BANK:
		options->include_bank = 1;
		return 0;
	case OPT_COHORT_WINDOW:
		return small_number(command, "--cohort-window", arg, 1, 120,
		                    &options->cohort_window_months);
	case OPT_INTERSECT:
		if (parity_analyse_intersection_check(arg))
			return cli_usage_error(command, "--intersect: %s", parity_error_last());
		if (options->intersection_count == PARITY_MAX_INTERSECTIONS)
			return cli_usage_error(command, "--intersect: at most %d",
			                       PARITY_MAX_INTERSECTIONS);
		options->intersections[options->intersection_count++] = arg;
		return 0;
	case OPT_FUNNEL:
		if (!strcmp(arg, "plain"))
			options->funnel_adjust = PARITY_FUNNEL_PLAIN;
		else if (!strcmp(arg, "additive"))
			options->funnel_adjust = PARITY_FUNNEL_ADDITIVE;
		else
			return cli_usage_error(command, "--funnel-adjust '%s': use plain or "
			                       "additive", arg);
		return 0;
	default:
		return cli_stats_option(command, option, arg, &options->settings);
	}
}

static int quiet_mode; /* set by cli_quiet_set */
static int return_too; /* set by cli_return_with_report */

int cli_cohorts_load(const char *command, const char *path, parity_store *store,
                     parity_cohorts **out)
{
	int rc = parity_cohorts_load(out, path, store);
	if (rc)
		return cli_fail(command, rc);
	for (size_t i = 0; i < (*out)->warning_count; i++)
		if (!quiet_mode)
			fprintf(stderr, "parity %s: warning: %s\n", command, (*out)->warnings[i]);
	return 0;
}

int cli_programme_load(const char *command, const char *path, parity_store *store,
                       parity_cohorts **out)
{
	int rc = parity_programme_load(out, path, store);
	return rc ? cli_fail(command, rc) : 0;
}

/* Write one results file; 0 or the library's error. */
typedef int (*writer_fn)(const parity_results *results, const char *path);

static int write_file(writer_fn writer, const parity_results *results,
                      const char *out_dir, const char *name)
{
	char path[4096];
	int n = snprintf(path, sizeof path, "%s/%s", out_dir, name);
	if (n < 0 || (size_t)n >= sizeof path)
		return parity_error_set(PARITY_EUSAGE, "%s: the output path is too long",
		                        out_dir);
	return writer(results, path);
}

/* programme.csv and programme.json, each term's `publication` saying what
 * the published set `pub` decided of it: the report's own set, so that
 * the files and the report agree; NULL (`parity analyse`): a set built as
 * `parity report` builds it by default (threshold 5). 0 or an error. */
static int write_programme(const parity_results *results, const parity_published *pub,
                           const char *out_dir)
{
	parity_published *own = NULL;
	const char **texts = calloc(results->programme_count + 1, sizeof *texts);
	char path[4096];
	int rc = texts ? 0 : parity_error_set(PARITY_ENOMEM, "out of memory");
	if (!rc && !pub && !(rc = parity_publish_build(&own, results,
	                                               PARITY_DISCLOSURE_THRESHOLD, 5)))
		pub = own;
	for (size_t i = 0; !rc && i < results->programme_count; i++)
		texts[i] = parity_publish_programme_text(pub, &results->programme[i]);
	for (int json = 0; json < 2 && !rc; json++) {
		int n = snprintf(path, sizeof path, "%s/programme.%s", out_dir,
		                 json ? "json" : "csv");
		if (n < 0 || (size_t)n >= sizeof path)
			rc = parity_error_set(PARITY_EUSAGE, "%s: the output path is too long",
			                      out_dir);
		else if (json)
			rc = parity_results_write_programme_json_as(results, texts, path);
		else
			rc = parity_results_write_programme_csv_as(results, texts, path);
	}
	free(texts);
	parity_publish_free(own);
	return rc;
}

/* The report's return_before_wait: the year before's set, once made. */
static int year_before_wait(void *context, const parity_return_published **before)
{
	cli_year *y = context;
	int rc = cli_year_publish_wait(y);
	*before = rc ? NULL : y->ret_pub;
	return rc;
}

/*
 * The board report: every row of the results (indicators, breakdowns,
 * comparisons, trend, cohorts), the store's data-quality summary and input
 * files, the run's id and, from `changes`, the "What changed" lines.
 * Returns 0 or the library's error.
 */
/* The most organisations the report's "whole return at a glance" lists. */
#define CLI_GLANCE_MAX_ORGS 20

static int write_report(const parity_results *results, parity_store *store,
                        const parity_analyse_options *analyse_options,
                        const parity_report_options *report_options,
                        const char *out_dir, int64_t run_id,
                        cli_changes_fn changes, void *context)
{
	parity_report_options options = *report_options;
	parity_quality *quality = NULL;
	char **lines = NULL;
	parity_published *own = NULL;
	const parity_published *pub = NULL;
	/* When the period is a financial year with a workforce snapshot, the
	 * report and the return are published from ONE set, built as `parity
	 * return` builds it (so they decide every shared count alike); the
	 * glance shows this year's return beside the year before's, each from
	 * its year's set. */
	cli_year year[2];
	parity_gate_memo *memo = NULL;
	memset(year, 0, sizeof year);
	int has_year[2] = {0, 0};
	int rc = parity_quality_read(&quality, store);
	const char *org = results->organisation[0] ? results->organisation : NULL;
	parity_period period, fy;
	if (!rc && !parity_period_parse(&period, results->period)) {
		parity_period_financial_year(&fy, period.first_month);
		if (fy.first_month == period.first_month && fy.last_month == period.last_month) {
			parity_period before;
			parity_period_previous(&before, &fy);
			const char *years[2] = {fy.label, before.label};
			for (int k = 0; k < 2 && !rc; k++) {
				int got = cli_year_read(&year[k], store, years[k], org,
				                        analyse_options, 0, k ? NULL : results, NULL);
				if (got == PARITY_EDATA || got == PARITY_EUSAGE) {
					parity_error_clear(); /* no snapshot that year */
					continue;
				}
				rc = got;
				has_year[k] = !rc;
				/* A line per organisation and indicator: for a board, not
				 * for a region's hundreds (their workbooks hold them), and
				 * the year before is analysed only for the glance. */
				if (!rc && !k && year[0].ret->organisations > CLI_GLANCE_MAX_ORGS)
					break;
			}
			/* The year before's set is needed only once the pages are
			 * laid out: it is made on another thread meanwhile. Both
			 * apply the clean-ups earlier runs remember. */
			if (!rc && (has_year[0] || has_year[1]))
				memo = cli_memo_open(store);
			year[0].memo = year[1].memo = memo;
			if (!rc && has_year[1])
				rc = cli_year_publish_start(&year[1], options.disclosure,
				                            options.suppress_below);
			if (!rc && has_year[0])
				rc = cli_year_publish(&year[0], options.disclosure,
				                      options.suppress_below);
		}
	}
	if (!rc && !has_year[0])
		rc = parity_publish_build(&own, results, (parity_disclosure)options.disclosure,
		                          options.suppress_below);
	pub = has_year[0] ? year[0].pub : own;
	/* changes.txt quotes figures only as the report's published set
	 * allows (the report draws from the same set). */
	if (!rc && changes)
		rc = changes(&lines, run_id, pub, context);
	if (!rc && results->programme_cohorts)
		rc = write_programme(results, pub, out_dir);
	if (!rc)
		parity_error_clear();
	if (!rc) {
		options.quality = quality;
		options.run_id = run_id;
		options.database = parity_store_path(store);
		if (changes)
			options.changes = (const char *const *)lines;
		options.published = pub;
		if (has_year[0] && year[0].ret->organisations <= CLI_GLANCE_MAX_ORGS) {
			options.return_now = year[0].ret_pub;
			options.return_before = NULL;
			if (has_year[1]) {
				options.return_before_wait = year_before_wait;
				options.return_before_context = &year[1];
			}
		}
		rc = parity_report_write(results, &options, out_dir);
	}
	/* The return from the same set, so the two cannot differ. */
	if (!rc && return_too && has_year[0])
		rc = cli_year_write(&year[0], out_dir, !quiet_mode);
	for (int k = 0; k < 2; k++)
		if (has_year[k])
			cli_year_free(&year[k]);
	cli_memo_done(memo, store);
	parity_run_changes_free(lines);
	parity_publish_free(own);
	parity_quality_free(quality);
	return rc;
}

void cli_quiet_set(int quiet)
{
	quiet_mode = quiet;
}

void cli_return_with_report(int on)
{
	return_too = on;
}

/* What the run printed about each standard indicator: its sentence, and
 * what was left out. */
static void print_summary(const parity_results *results)
{
	for (size_t i = 0; i < results->count; i++) {
		const parity_result_row *row = &results->rows[i];
		const parity_ratio *r = &row->ratio;
		const parity_indicator_info *info = parity_indicator_info_find(row->indicator);
		if (strcmp(row->stratum_kind, "overall") != 0 || !info)
			continue;
		char sentence[512];
		parity_ratio_sentence(sentence, sizeof sentence, r, info->group1_phrase,
		                      info->group2_phrase, info->outcome_phrase);
		printf("%s %s, %s: %s\n", row->indicator, row->period, row->stratum, sentence);
		if (strcmp(row->window, row->period))
			printf("  (counted over %s)\n", row->window);
		if (row->excluded_not_stated_base || row->excluded_not_stated_outcome ||
		    row->excluded_bank_base || row->excluded_bank_outcome)
			printf("  left out: %llu %s and %llu %s with %s not stated or not "
			       "known; %llu %s and %llu %s on bank contracts\n",
			       (unsigned long long)row->excluded_not_stated_base, info->base_label,
			       (unsigned long long)row->excluded_not_stated_outcome,
			       info->outcome_label,
			       strcmp(row->grouping, "white_bme") ? "disability" : "ethnicity",
			       (unsigned long long)row->excluded_bank_base, info->base_label,
			       (unsigned long long)row->excluded_bank_outcome, info->outcome_label);
		if (row->outcome_without_contract)
			printf("  counted as not bank: %llu %s with no contract recorded\n",
			       (unsigned long long)row->outcome_without_contract,
			       info->outcome_label);
	}
	for (size_t i = 0; i < results->note_count; i++)
		printf("note: %s\n", results->notes[i]);
	for (size_t i = 0; i < results->cohort_count; i++)
		printf("%s\n", results->cohorts[i].statement);
}

int cli_write_outputs(const char *command, parity_store *store,
                      const parity_analyse_options *analyse_options,
                      const parity_report_options *report_options,
                      const char *out_dir, int64_t *run_id_out)
{
	if (run_id_out)
		*run_id_out = 0;
	return cli_write_outputs_with(command, store, analyse_options, report_options,
	                              out_dir, run_id_out, NULL, NULL);
}

int cli_write_outputs_with(const char *command, parity_store *store,
                           const parity_analyse_options *analyse_options,
                           const parity_report_options *report_options,
                           const char *out_dir, int64_t *run_id_out,
                           cli_changes_fn changes, void *context)
{
	parity_results *results = NULL;
	int64_t run_id = run_id_out ? *run_id_out : 0;
	int rc;

	/* --out a/b makes a when missing, as the help says. */
	if ((rc = parity_dir_ensure_parent(out_dir)))
		return cli_fail(command, rc);
	if (mkdir(out_dir, 0700) != 0) {
		int err = errno;
		struct stat st;
		if (err == EEXIST && stat(out_dir, &st) == 0 && !S_ISDIR(st.st_mode))
			err = ENOTDIR;
		if (err != EEXIST) {
			parity_error_set(PARITY_EIO, "%s: cannot create the output folder: %s",
			                 out_dir, strerror(err));
			return cli_fail(command, PARITY_EIO);
		}
	}
	if (!run_id) {
		if ((rc = parity_history_begin(&run_id, store, analyse_options)))
			return cli_fail(command, rc);
		if (run_id_out)
			*run_id_out = run_id;
		if ((rc = parity_run_label(store, run_id, command)))
			return cli_fail(command, rc);
	}
	rc = parity_analyse_run(&results, store, analyse_options);
	if (!rc)
		rc = write_file(parity_results_write_csv, results, out_dir, "results.csv");
	if (!rc)
		rc = write_file(parity_results_write_json, results, out_dir, "results.json");
	if (!rc)
		rc = write_file(parity_results_write_trend_csv, results, out_dir, "trend.csv");
	if (!rc)
		rc = write_file(parity_results_write_trend_json, results, out_dir, "trend.json");
	if (!rc && analyse_options && analyse_options->cohorts)
		rc = write_file(parity_results_write_cohorts_csv, results, out_dir,
		                "cohorts.csv");
	if (!rc && analyse_options && analyse_options->cohorts)
		rc = write_file(parity_results_write_cohorts_json, results, out_dir,
		                "cohorts.json");
	if (!rc && analyse_options && analyse_options->programme && !report_options)
		rc = write_programme(results, NULL, out_dir);
	/* The run is kept before the report is drawn, so that what changed
	 * since the previous run can be told from the history. */
	if (!rc)
		rc = parity_history_finish(store, run_id, results, "ok", NULL);
	if (!rc && report_options)
		rc = write_report(results, store, analyse_options, report_options, out_dir,
		                  run_id, changes, context);
	if (rc) {
		/* Keep the failure in the history; the first error is the one shown. */
		char message[512];
		snprintf(message, sizeof message, "%s", parity_error_last());
		parity_history_finish(store, run_id, NULL, "failed", message);
		parity_error_set(rc, "%s", message);
		parity_results_free(results);
		return cli_fail(command, rc);
	}
	if (quiet_mode) {
		parity_results_free(results);
		return 0;
	}
	if (results->coverage_note[0])
		fprintf(stderr, "parity %s: note: %s\n", command, results->coverage_note);
	print_summary(results);
	printf("results: %s/results.csv, %s/results.json\n", out_dir, out_dir);
	printf("trend: %s/trend.csv, %s/trend.json\n", out_dir, out_dir);
	if (analyse_options && analyse_options->cohorts)
		printf("cohorts: %s/cohorts.csv, %s/cohorts.json\n", out_dir, out_dir);
	if (analyse_options && analyse_options->programme)
		printf("programme: %s/programme.csv, %s/programme.json\n", out_dir, out_dir);
	if (report_options)
		printf("board report: %s/board-report.pdf, %s/board-report.html\n",
		       out_dir, out_dir);
	printf("run id: %lld (kept in %s)\n", (long long)run_id, parity_store_path(store));
	parity_results_free(results);
	return 0;
}
