/*
 * pipeline.h: steps shared by `analyse`, `report` and `demo`.
 */
#ifndef PARITY_CLI_PIPELINE_H
#define PARITY_CLI_PIPELINE_H

#include "parity.h"

/* getopt codes of the statistics and analysis options, above the
 * printable range; commands number their own options from 0x200. */
enum {
	OPT_METHOD = 0x100,
	OPT_LEVEL,
	OPT_LOW_COUNT,
	OPT_WINDOW_YEARS,
	OPT_INCLUDE_BANK,
	OPT_COHORT_WINDOW,
	OPT_FUNNEL,
	OPT_INTERSECT,
};

/* The analysis options `analyse` and `report` share (with --cohorts, which
 * each command loads with cli_cohorts_load). */
#define CLI_ANALYSIS_LONGOPTS                                                 \
	{"window-years", required_argument, NULL, OPT_WINDOW_YEARS},          \
	{"include-bank", no_argument, NULL, OPT_INCLUDE_BANK},                \
	{"cohort-window", required_argument, NULL, OPT_COHORT_WINDOW},        \
	{"funnel-adjust", required_argument, NULL, OPT_FUNNEL},               \
	{"intersect", required_argument, NULL, OPT_INTERSECT},                \
	CLI_STATS_LONGOPTS

#define CLI_STATS_LONGOPTS                                                    \
	{"method", required_argument, NULL, OPT_METHOD},                      \
	{"level", required_argument, NULL, OPT_LEVEL},                        \
	{"low-count", required_argument, NULL, OPT_LOW_COUNT}

/* The help of --intersect, which `analyse` and `report` share. */
#define CLI_INTERSECT_HELP                                                    \
	"  --intersect A,B[,C]   also compare every combination of two or three\n" \
	"                        characteristics (ethnic_category, white_bme,\n"  \
	"                        sex, disability, age_band, sexual_orientation,\n" \
	"                        religion) with the reference cell, each one's\n" \
	"                        reference combined (repeatable, at most 8)\n"

#define CLI_STATS_HELP                                                        \
	"  --method M            interval method: koopman (default), katz,\n"   \
	"                        adjusted-log or mn (Miettinen-Nurminen)\n"      \
	"  --level L             confidence level (default 0.95)\n"             \
	"  --low-count N         flag results with fewer than N cases as too\n"  \
	"                        few to draw a conclusion (default 10)\n"

/* Apply one statistics option; 0, or 64 after printing a usage error. */
int cli_stats_option(const char *command, int option, const char *arg,
                     parity_stats_settings *settings);

/* Apply one of CLI_ANALYSIS_LONGOPTS (statistics options included); 0, or
 * 64 after printing a usage error. */
int cli_analysis_option(const char *command, int option, const char *arg,
                        parity_analyse_options *options);

/* Load the --programme file (parity_programme_load); 0 or the exit status
 * after printing the error. */
int cli_programme_load(const char *command, const char *path, parity_store *store,
                       parity_cohorts **out);

/* Read the cohort file `path` into *out, printing its warnings (an
 * organisation with no data) as "parity COMMAND: warning: ...". Returns 0,
 * or the exit status after printing the error. */
int cli_cohorts_load(const char *command, const char *path, parity_store *store,
                     parity_cohorts **out);

/* Gives the board report its "What changed" lines once run `run_id` is
 * kept in the history: *lines is NULL-terminated (NULL for none), freed
 * with parity_run_changes_free(). Returns 0 or a negative parity error,
 * which fails the run. */
typedef int (*cli_changes_fn)(char ***lines, int64_t run_id,
                              const parity_published *pub, void *context);

/* Quiet (-q): errors only. cli_write_outputs then prints no summary and
 * cli_cohorts_load no warnings; errors are printed as ever. */
void cli_quiet_set(int quiet);

/* With `on`, cli_write_outputs also writes the year's return (return.csv
 * and the workbooks) beside the report when the report's period is a
 * financial year with a workforce snapshot, from the very published set
 * the report drew (`parity run`). */
void cli_return_with_report(int on);

/* Analyse `store` (the run kept in its history), write results.csv,
 * results.json, trend.csv and trend.json into `out_dir` (cohorts.csv and
 * cohorts.json when the options carry cohorts), and the board report too
 * when `report_options` is not NULL. Prints the headline sentences, what
 * was written and the run id. The run's id in the history goes to *run_id
 * (when not NULL; 0 if the run could not be recorded). Returns the exit
 * status. */
int cli_write_outputs(const char *command, parity_store *store,
                      const parity_analyse_options *analyse_options,
                      const parity_report_options *report_options,
                      const char *out_dir, int64_t *run_id);

/* The same, calling `changes` (with `context`) after the run is kept and
 * before the report is drawn; the board report gets the data-quality
 * summary, the input files and the run id either way. When *run_id is not
 * 0 on entry, it is a run the caller has begun in the history
 * (parity_history_begin), and that run is used. */
int cli_write_outputs_with(const char *command, parity_store *store,
                           const parity_analyse_options *analyse_options,
                           const parity_report_options *report_options,
                           const char *out_dir, int64_t *run_id,
                           cli_changes_fn changes, void *context);

#endif
