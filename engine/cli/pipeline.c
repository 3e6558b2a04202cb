/*
 * pipeline.c: the steps that `analyse`, `report` and `demo` share: the
 * statistics options every one of them takes, and analysing a store then
 * writing the results files and (optionally) the PDF into a folder.
 */
#include "cli.h"
#include "pipeline.h"

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

int cli_write_outputs(const char *command, parity_store *store,
                      const parity_analyse_options *analyse_options,
                      const parity_report_options *report_options,
                      const char *out_dir)
{
	parity_results *results = NULL;
	char path[4096];
	int rc;

	if (mkdir(out_dir, 0700) != 0) {
		struct stat st;
		if (stat(out_dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
			parity_error_set(PARITY_EIO, "%s: cannot create the output folder",
			                 out_dir);
			return cli_fail(command, PARITY_EIO);
		}
	}
	rc = parity_analyse_run(&results, store, analyse_options);
	if (rc)
		return cli_fail(command, rc);
	snprintf(path, sizeof path, "%s/results.csv", out_dir);
	rc = parity_results_write_csv(results, path);
	if (!rc) {
		snprintf(path, sizeof path, "%s/results.json", out_dir);
		rc = parity_results_write_json(results, path);
	}
	if (!rc && report_options)
		rc = parity_report_write(results, report_options, out_dir);
	if (rc) {
		parity_results_free(results);
		return cli_fail(command, rc);
	}
	for (size_t i = 0; i < results->count; i++) {
		const parity_result_row *row = &results->rows[i];
		const parity_ratio *r = &row->ratio;
		if (strcmp(row->stratum_kind, "overall") != 0)
			continue;
		const parity_indicator_info *info = parity_indicator_info_find(row->indicator);
		char sentence[512];
		parity_ratio_sentence(sentence, sizeof sentence, r,
		                      info ? info->group1_phrase : row->group1,
		                      info ? info->group2_phrase : row->group2,
		                      info ? info->outcome_phrase : "to reach the outcome");
		printf("%s %s, %s: %s\n", row->indicator, row->period, row->stratum, sentence);
	}
	printf("results: %s/results.csv, %s/results.json\n", out_dir, out_dir);
	if (report_options)
		printf("board report: %s/board-report.pdf\n", out_dir);
	parity_results_free(results);
	return 0;
}
