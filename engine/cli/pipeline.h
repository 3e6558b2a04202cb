/*
 * pipeline.h: steps shared by `analyse`, `report` and `demo`.
 */
#ifndef PARITY_CLI_PIPELINE_H
#define PARITY_CLI_PIPELINE_H

#include "parity.h"

/* getopt codes of the statistics options, above the printable range. */
enum {
	OPT_METHOD = 0x100,
	OPT_LEVEL,
	OPT_LOW_COUNT,
};

#define CLI_STATS_LONGOPTS                                                    \
	{"method", required_argument, NULL, OPT_METHOD},                      \
	{"level", required_argument, NULL, OPT_LEVEL},                        \
	{"low-count", required_argument, NULL, OPT_LOW_COUNT}

#define CLI_STATS_HELP                                                        \
	"  --method M            interval method: koopman (default), katz,\n"   \
	"                        adjusted-log or mn (Miettinen-Nurminen)\n"      \
	"  --level L             confidence level (default 0.95)\n"             \
	"  --low-count N         flag results with fewer than N cases as too\n"  \
	"                        few to draw a conclusion (default 10)\n"

/* Apply one statistics option; 0, or 64 after printing a usage error. */
int cli_stats_option(const char *command, int option, const char *arg,
                     parity_stats_settings *settings);

/* Analyse `store`, write results.csv and results.json into `out_dir`, and
 * the board report too when `report_options` is not NULL. Prints what was
 * written. Returns the exit status. */
int cli_write_outputs(const char *command, parity_store *store,
                      const parity_analyse_options *analyse_options,
                      const parity_report_options *report_options,
                      const char *out_dir);

#endif
