/*
 * cmd_analyse.c: `parity analyse`: compute the indicators from a database
 * and write results.csv and results.json.
 */
#include "cli.h"
#include "pipeline.h"

#include <sysexits.h>

static void usage(FILE *out)
{
	fprintf(out,
	        "Usage: parity analyse --db DB --out DIR [options]\n"
	        "\n"
	        "Compute the indicators from the database and write DIR/results.csv and\n"
	        "DIR/results.json: one row per indicator, grouping, stratum and period,\n"
	        "with counts, rates, ratio, confidence interval, p-values and flags.\n"
	        "\n"
	        "Options:\n"
	        "  --db DB               the database (required)\n"
	        "  --out DIR             output folder (required; created if missing)\n"
	        "  --period P            2024/25, 2024, 2024-Q1, 2024-03 or R12-2025-03\n"
	        "                        (default: the latest complete financial year)\n"
	        "  --org CODE            one organisation only\n"
	        CLI_STATS_HELP
	        "  -h, --help            show this help\n");
}

int cmd_analyse(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"db", required_argument, NULL, 'd'},
		{"out", required_argument, NULL, 'o'},
		{"period", required_argument, NULL, 'p'},
		{"org", required_argument, NULL, 'g'},
		CLI_STATS_LONGOPTS,
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *db_path = NULL, *out_dir = NULL;
	parity_analyse_options options;
	parity_store *store = NULL;
	int c;

	parity_analyse_options_default(&options);
	optind = 0;
	while ((c = cli_getopt("analyse", argc, argv, "d:o:p:g:h", longopts)) != -1) {
		switch (c) {
		case 'd': db_path = optarg; break;
		case 'o': out_dir = optarg; break;
		case 'p': options.period = optarg; break;
		case 'g': options.organisation = optarg; break;
		case 'h': usage(stdout); return 0;
		case OPT_METHOD:
		case OPT_LEVEL:
		case OPT_LOW_COUNT:
			if (cli_stats_option("analyse", c, optarg, &options.settings))
				return EX_USAGE;
			break;
		default: return EX_USAGE;
		}
	}
	if (optind < argc)
		return cli_usage_error("analyse", "unexpected argument '%s'", argv[optind]);
	if (!db_path || !out_dir)
		return cli_usage_error("analyse", "--db DB and --out DIR are required");
	if (options.period) {
		parity_period check;
		if (parity_period_parse(&check, options.period))
			return cli_usage_error("analyse", "%s", parity_error_last());
	}
	int rc = parity_store_open(&store, db_path, 0);
	if (rc)
		return cli_fail("analyse", rc);
	int status = cli_write_outputs("analyse", store, &options, NULL, out_dir);
	parity_store_close(store);
	return status;
}
