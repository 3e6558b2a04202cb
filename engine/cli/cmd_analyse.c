/*
 * cmd_analyse.c: `parity analyse`: compute the indicators from a database
 * (with breakdowns, comparisons, trend and, given a cohort file, the
 * mentoring cohorts) and write the results files; the run is kept in the
 * database's history.
 */
#include "cli.h"
#include "pipeline.h"

#include <string.h>
#include <sysexits.h>

static void usage(FILE *out)
{
	fprintf(out,
	        "Usage: parity analyse --db DB --out DIR [options]\n"
	        "\n"
	        "Compute the indicators (WRES 2, 3, 4 and WDES 2, 3) from the database,\n"
	        "with breakdowns by organisation, pay band and staff group (each with a\n"
	        "Mantel-Haenszel pooled ratio and homogeneity test), funnel positions,\n"
	        "Kline's compound ratio across pay bands, every characteristic compared\n"
	        "category by category, how far formal cases went (when the disciplinary\n"
	        "extracts recorded stages: crude and pooled over grounds), and the\n"
	        "trend by financial year. Writes\n"
	        "DIR/results.csv and .json (one row per indicator, grouping, group,\n"
	        "stratum and period, with raw counts), DIR/trend.csv and .json, and with\n"
	        "--cohorts DIR/cohorts.csv and .json. Prints the run id under which the\n"
	        "run is kept in the database.\n"
	        "\n"
	        "Options:\n"
	        "  --db DB               the database (required)\n"
	        "  --out DIR             output folder (required; created if missing)\n"
	        "  --period P            2024/25, 2024, 2024-Q1, 2024-03, R12-2025-03,\n"
	        "                        a range FIRST..LAST of them (2024-01..2025-12)\n"
	        "                        or all (default: the latest complete financial\n"
	        "                        year); a note on stderr says when the data\n"
	        "                        cover only part of P\n"
	        "  --org CODE            one organisation only\n"
	        "  --window-years N      WRES 3 and WDES 3 count N periods ending with P\n"
	        "                        (default 2: this year and the one before; 1 off)\n"
	        "  --include-bank        count bank staff (default: excluded, as WRES says)\n"
	        "  --cohorts FILE        mentoring cohorts CSV: cohort_id,name,\n"
	        "                        organisations,start_date,end_date[,pairs]\n"
	        "  --cohort-window M     months before the start and after the end\n"
	        "                        compared for each cohort (default 12)\n"
	        "  --programme FILE      a programme rolled out over years (the cohorts\n"
	        "                        file's columns; organisations join with their\n"
	        "                        first cohort): event study by financial year\n"
	        "                        against those not yet and never joined, into\n"
	        "                        DIR/programme.csv and .json\n"
	        "  --reference C=CODE    the reference category of characteristic C, e.g.\n"
	        "                        age_band=35-44 (repeatable; defaults: ethnic\n"
	        "                        category A, sex M, disability N, others the\n"
	        "                        largest category)\n"
	        CLI_INTERSECT_HELP
	        "  --kline-from BAND     first band of Kline's ladder (default 5)\n"
	        "  --funnel-adjust A     funnel limits: plain (default) or additive\n"
	        "                        (widened for over-dispersion)\n"
	        "  --adjust C,C,...      also give each overall and comparison ratio\n"
	        "                        adjusted for these characteristics (e.g.\n"
	        "                        pay_band,staff_group,age_band,sex) by\n"
	        "                        modified Poisson regression\n"
	        "  --funnel-limits L     organisations' funnel limits: lognormal\n"
	        "                        (default), exact (binomial, given the cases)\n"
	        "                        or byar (Poisson); the last two need\n"
	        "                        --funnel-adjust plain\n"
	        "  --no-trend            skip the trend series\n"
	        "  --no-comparisons      skip the per-characteristic comparisons\n"
	        CLI_STATS_HELP
	        "  -h, --help            show this help\n");
}

enum {
	OPT_COHORTS = 0x200, OPT_PROGRAMME, OPT_REFERENCE, OPT_KLINE_FROM, OPT_NO_TREND,
	OPT_NO_COMPARISONS, OPT_FUNNEL_LIMITS, OPT_ADJUST,
};

static int reference_option(parity_analyse_options *options, char *arg)
{
	char *eq = strchr(arg, '=');
	if (!eq || eq == arg || !eq[1])
		return cli_usage_error("analyse", "--reference '%s': write CHARACTERISTIC="
		                       "CODE, e.g. age_band=35-44", arg);
	if (options->reference_count == PARITY_MAX_REFERENCES)
		return cli_usage_error("analyse", "--reference: at most %d",
		                       PARITY_MAX_REFERENCES);
	*eq = '\0';
	parity_reference *r = &options->references[options->reference_count++];
	r->characteristic = arg;
	r->code = eq + 1;
	return 0;
}

int cmd_analyse(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"db", required_argument, NULL, 'd'},
		{"out", required_argument, NULL, 'o'},
		{"period", required_argument, NULL, 'p'},
		{"org", required_argument, NULL, 'g'},
		{"cohorts", required_argument, NULL, OPT_COHORTS},
		{"programme", required_argument, NULL, OPT_PROGRAMME},
		{"reference", required_argument, NULL, OPT_REFERENCE},
		{"kline-from", required_argument, NULL, OPT_KLINE_FROM},
		{"no-trend", no_argument, NULL, OPT_NO_TREND},
		{"no-comparisons", no_argument, NULL, OPT_NO_COMPARISONS},
		{"funnel-limits", required_argument, NULL, OPT_FUNNEL_LIMITS},
		{"adjust", required_argument, NULL, OPT_ADJUST},
		CLI_ANALYSIS_LONGOPTS,
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *db_path = NULL, *out_dir = NULL, *cohorts_path = NULL;
	const char *programme_path = NULL;
	parity_analyse_options options;
	parity_store *store = NULL;
	parity_cohorts *cohorts = NULL, *programme = NULL;
	int c;

	parity_analyse_options_default(&options);
	optind = 0;
	while ((c = cli_getopt("analyse", argc, argv, "d:o:p:g:h", longopts)) != -1) {
		switch (c) {
		case 'd': db_path = optarg; break;
		case 'o': out_dir = optarg; break;
		case 'p': options.period = optarg; break;
		case 'g': options.organisation = optarg; break;
		case OPT_COHORTS: cohorts_path = optarg; break;
		case OPT_PROGRAMME: programme_path = optarg; break;
		case OPT_REFERENCE:
			if (reference_option(&options, optarg))
				return EX_USAGE;
			break;
		case OPT_KLINE_FROM: options.kline_from = optarg; break;
		case OPT_NO_TREND: options.no_trend = 1; break;
		case OPT_NO_COMPARISONS: options.no_comparisons = 1; break;
		case OPT_ADJUST: options.adjust = optarg; break;
		case OPT_FUNNEL_LIMITS:
			if (parity_funnel_limits_parse(&options.funnel_limits, optarg))
				return cli_usage_error("analyse", "--funnel-limits '%s': use "
				                       "lognormal (default), exact or byar",
				                       optarg);
			break;
		case 'h': usage(stdout); return 0;
		case OPT_METHOD:
		case OPT_LEVEL:
		case OPT_LOW_COUNT:
		case OPT_WINDOW_YEARS:
		case OPT_INCLUDE_BANK:
		case OPT_COHORT_WINDOW:
		case OPT_FUNNEL:
		case OPT_INTERSECT:
			if (cli_analysis_option("analyse", c, optarg, &options))
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
	if (cohorts_path) {
		int status = cli_cohorts_load("analyse", cohorts_path, store, &cohorts);
		if (status) {
			parity_store_close(store);
			return status;
		}
		options.cohorts = cohorts;
	}
	if (programme_path) {
		int status = cli_programme_load("analyse", programme_path, store, &programme);
		if (status) {
			parity_cohorts_free(cohorts);
			parity_store_close(store);
			return status;
		}
		options.programme = programme;
	}
	int status = cli_write_outputs("analyse", store, &options, NULL, out_dir, NULL);
	parity_cohorts_free(cohorts);
	parity_cohorts_free(programme);
	parity_store_close(store);
	return status;
}
