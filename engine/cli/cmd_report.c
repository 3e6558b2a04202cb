/*
 * cmd_report.c: `parity report`: analyse a database (with mentoring
 * cohorts when given) and write the PDF board report, its HTML twin and its charts,
 * report-tables.csv and the results files.
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
	        "Write DIR/board-report.pdf from the database: a one-page summary, a\n"
	        "section per indicator (WRES 2, 3, 4, WDES 2, 3), breakdowns by\n"
	        "characteristic, organisation, pay band and staff group, the mentoring\n"
	        "cohorts, data quality, methods and the input files with their SHA-256.\n"
	        "Past 250 organisations the PDF and charts show 250 (those outside the\n"
	        "funnel limits, then the largest); report-tables.csv has every one.\n"
	        "The PDF is tagged (headings, lists, tables, figures with alternative\n"
	        "text written from the data, bookmarks, language en-GB, furniture as\n"
	        "artifacts). DIR/board-report.html says the same as one self-contained\n"
	        "accessible web page (WCAG 2.2 AA; charts as inline SVG with a \"show\n"
	        "the data\" table) for the trust's website.\n"
	        "Beside them: each indicator's charts (PNG and SVG), report-tables.csv\n"
	        "(the report's tables as printed, small counts suppressed: the file to\n"
	        "publish) and the analysts' raw results.csv/json, trend.csv/json and\n"
	        "cohorts.csv/json (unsuppressed: not for publication).\n"
	        "\n"
	        "Options:\n"
	        "  --db DB               the database (required)\n"
	        "  --out DIR             output folder (required; created if missing)\n"
	        "  --period P            2024/25, 2024, 2024-Q1, 2024-03, R12-2025-03,\n"
	        "                        a range FIRST..LAST of them (2024-01..2025-12)\n"
	        "                        or all (default: the latest complete financial\n"
	        "                        year); a note on stderr says when the data\n"
	        "                        cover only part of P\n"
	        "  --org CODE            report on one organisation\n"
	        "  --cohorts FILE        mentoring cohorts CSV: cohort_id,name,\n"
	        "                        organisations,start_date,end_date[,pairs]\n"
	        "  --cohort-window M     months before the start and after the end\n"
	        "                        compared for each cohort (default 12)\n"
	        "  --programme FILE      a programme rolled out over years (the cohorts\n"
	        "                        file's columns; organisations join with their\n"
	        "                        first cohort): event study by financial year\n"
	        "                        against those not yet and never joined, into\n"
	        "                        DIR/programme.csv and .json and a report page\n"
	        "  --window-years N      WRES 3 and WDES 3 count N periods ending with P\n"
	        "                        (default 2; 1 turns the window off)\n"
	        "  --include-bank        count bank staff (default: excluded)\n"
	        "  --funnel-adjust A     funnel limits: plain (default) or additive\n"
	        CLI_INTERSECT_HELP
	        "  --suppress N          show counts from 1 to N-1 as \"<N\" and hide the\n"
	        "                        rates and ratios of their rows (default 5;\n"
	        "                        0 turns suppression off)\n"
	        "  --disclosure P        threshold (default: --suppress N, then every\n"
	        "                        further count that would give a hidden one\n"
	        "                        away) or nhs-digital (1 to 7 shown as *, other\n"
	        "                        counts rounded to the nearest 5)\n"
	        "  --title TEXT          document title\n"
	        "  --author TEXT         document author (PDF metadata; default parity)\n"
	        CLI_STATS_HELP
	        "  -h, --help            show this help\n");
}

enum {
	OPT_COHORTS = 0x200, OPT_PROGRAMME, OPT_AUTHOR, OPT_DISCLOSURE,
};

int cmd_report(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"db", required_argument, NULL, 'd'},
		{"out", required_argument, NULL, 'o'},
		{"period", required_argument, NULL, 'p'},
		{"org", required_argument, NULL, 'g'},
		{"suppress", required_argument, NULL, 's'},
		{"title", required_argument, NULL, 't'},
		{"author", required_argument, NULL, OPT_AUTHOR},
		{"disclosure", required_argument, NULL, OPT_DISCLOSURE},
		{"cohorts", required_argument, NULL, OPT_COHORTS},
		{"programme", required_argument, NULL, OPT_PROGRAMME},
		CLI_ANALYSIS_LONGOPTS,
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *db_path = NULL, *out_dir = NULL, *cohorts_path = NULL;
	const char *programme_path = NULL;
	parity_analyse_options options;
	parity_report_options report;
	parity_store *store = NULL;
	parity_cohorts *cohorts = NULL, *programme = NULL;
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
		case OPT_AUTHOR: report.author = optarg; break;
		case OPT_DISCLOSURE:
			if ((report.disclosure = parity_disclosure_parse(optarg)) < 0)
				return cli_usage_error("report", "--disclosure '%s': use threshold "
				                       "or nhs-digital", optarg);
			break;
		case OPT_COHORTS: cohorts_path = optarg; break;
		case OPT_PROGRAMME: programme_path = optarg; break;
		case 'h': usage(stdout); return 0;
		case OPT_METHOD:
		case OPT_LEVEL:
		case OPT_LOW_COUNT:
		case OPT_WINDOW_YEARS:
		case OPT_INCLUDE_BANK:
		case OPT_COHORT_WINDOW:
		case OPT_FUNNEL:
		case OPT_INTERSECT:
			if (cli_analysis_option("report", c, optarg, &options))
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
	report.funnel_adjust = options.funnel_adjust == PARITY_FUNNEL_ADDITIVE ? "additive"
	                                                                      : "plain";
	report.suppress_below = (unsigned)suppress;
	int rc = parity_store_open(&store, db_path, 0);
	if (rc)
		return cli_fail("report", rc);
	if (cohorts_path) {
		int status = cli_cohorts_load("report", cohorts_path, store, &cohorts);
		if (status) {
			parity_store_close(store);
			return status;
		}
		options.cohorts = cohorts;
	}
	if (programme_path) {
		int status = cli_programme_load("report", programme_path, store, &programme);
		if (status) {
			parity_cohorts_free(cohorts);
			parity_store_close(store);
			return status;
		}
		options.programme = programme;
		report.programme_file = programme_path;
		report.cohorts_file = cohorts_path;
	}
	int status = cli_write_outputs("report", store, &options, &report, out_dir, NULL);
	parity_cohorts_free(cohorts);
	parity_cohorts_free(programme);
	parity_store_close(store);
	return status;
}
