/*
 * cmd_report.c: `parity report`: analyse a database and write the PDF
 * board report with its charts and results files.
 */
#include "cli.h"
#include "pipeline.h"

#include <string.h>
#include <sysexits.h>

static void usage(FILE *out)
{
	fprintf(out,
	        "Usage: parity report --db DB --out DIR [options]\n"
	        "\n"
	        "Write DIR/board-report.pdf (with its charts, results.csv and\n"
	        "results.json) from the database.\n"
	        "\n"
	        "Options:\n"
	        "  --db DB               the database (required)\n"
	        "  --out DIR             output folder (required; created if missing)\n"
	        "  --period P            2024/25, 2024, 2024-Q1, 2024-03 or R12-2025-03\n"
	        "                        (default: the latest complete financial year)\n"
	        "  --org CODE            report on one organisation\n"
	        "  --suppress N          show counts from 1 to N-1 as \"<N\" (default 5;\n"
	        "                        0 turns suppression off)\n"
	        "  --title TEXT          document title\n"
	        CLI_STATS_HELP
	        "  -h, --help            show this help\n");
}

int cmd_report(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"db", required_argument, NULL, 'd'},
		{"out", required_argument, NULL, 'o'},
		{"period", required_argument, NULL, 'p'},
		{"org", required_argument, NULL, 'g'},
		{"suppress", required_argument, NULL, 's'},
		{"title", required_argument, NULL, 't'},
		CLI_STATS_LONGOPTS,
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *db_path = NULL, *out_dir = NULL;
	parity_analyse_options options;
	parity_report_options report;
	parity_store *store = NULL;
	uint64_t suppress = 5;
	int c;

	parity_analyse_options_default(&options);
	memset(&report, 0, sizeof report);
	optind = 0;
	while ((c = cli_getopt("report", argc, argv, "d:o:p:g:s:t:h", longopts)) != -1) {
		switch (c) {
		case 'd': db_path = optarg; break;
		case 'o': out_dir = optarg; break;
		case 'p': options.period = optarg; break;
		case 'g': options.organisation = optarg; break;
		case 's':
			if (cli_parse_u64(optarg, &suppress) || suppress > 1000)
				return cli_usage_error("report", "--suppress '%s': give a whole "
				                       "number from 0 to 1000", optarg);
			break;
		case 't': report.title = optarg; break;
		case 'h': usage(stdout); return 0;
		case OPT_METHOD:
		case OPT_LEVEL:
		case OPT_LOW_COUNT:
			if (cli_stats_option("report", c, optarg, &options.settings))
				return EX_USAGE;
			break;
		default: return EX_USAGE;
		}
	}
	if (optind < argc)
		return cli_usage_error("report", "unexpected argument '%s'", argv[optind]);
	if (!db_path || !out_dir)
		return cli_usage_error("report", "--db DB and --out DIR are required");
	if (options.period) {
		parity_period check;
		if (parity_period_parse(&check, options.period))
			return cli_usage_error("report", "%s", parity_error_last());
	}
	report.organisation = options.organisation;
	report.suppress_below = (unsigned)suppress;
	int rc = parity_store_open(&store, db_path, 0);
	if (rc)
		return cli_fail("report", rc);
	int status = cli_write_outputs("report", store, &options, &report, out_dir, NULL);
	parity_store_close(store);
	return status;
}
