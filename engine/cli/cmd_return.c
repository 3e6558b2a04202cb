/*
 * cmd_return.c: `parity return`: the annual WRES and WDES return figures
 * that are not relative likelihoods (WRES 1 and 9, WDES 1 and 10) for one
 * financial year, through the disclosure gate, written as return.csv.
 */
#include "cli.h"
#include "pipeline.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>

static void usage(FILE *out)
{
	fprintf(out,
	        "Usage: parity return --db DB --out DIR [--year YEAR] [options]\n"
	        "\n"
	        "Compute the WRES and WDES return for the financial year YEAR\n"
	        "(2025/26) and write the workbooks DIR/wres-2025-26.xlsx and\n"
	        "DIR/wdes-2025-26.xlsx (the national template's sections, numbers as\n"
	        "numeric cells, definitions and data quality, cells for the narrative)\n"
	        "and DIR/return.csv (standard, indicator, organisation, group,\n"
	        "numerator, denominator, value, ci_low, ci_high, suppressed):\n"
	        "  WRES 1, WDES 1   each pay band and cluster, non-clinical and clinical,\n"
	        "                   and the medical and dental sub-groups (consultants,\n"
	        "                   career grades, trainees, other; from the workforce's\n"
	        "                   grade column), against the whole workforce (each\n"
	        "                   organisation's latest workforce snapshot in the\n"
	        "                   year, bank left out)\n"
	        "  WRES 9, WDES 10  the board, voting and non-voting, executive and\n"
	        "                   non-executive, against the workforce, in percentage\n"
	        "                   points (from kind board)\n"
	        "  WRES 2-4, WDES 2-3  the relative likelihoods, as 'parity report'\n"
	        "                   publishes them\n"
	        "  WRES 5-8, WDES 4-9  the NHS Staff Survey by group (kind survey):\n"
	        "                   percentages or means, the difference between the\n"
	        "                   groups with its interval, and the trend\n"
	        "  Model Employer   BME staff at each band against the workforce's\n"
	        "                   share, the shortfall and the appointments a year\n"
	        "                   that close it by --target-year\n"
	        "The return and the board report of the same year are published from\n"
	        "one disclosure gate: a count both print is hidden in both or in\n"
	        "neither, and no hidden count can be worked out from the two together.\n"
	        "The relative likelihoods and the counts the gate sees are analysed as\n"
	        "'parity report' analyses them: give the return the options the report\n"
	        "was made with (--suppress, --disclosure, the period, --window-years,\n"
	        "--include-bank, --intersect, --cohorts, --programme, --method...) and\n"
	        "the two agree on every figure they share.\n"
	        "\n"
	        "Options:\n"
	        "  --db DB               the database (required)\n"
	        "  --out DIR             output folder (required; created if missing)\n"
	        "  --year YEAR           financial year, e.g. 2025/26 (default: the\n"
	        "                        latest complete financial year, as 'parity\n"
	        "                        report' chooses it)\n"
	        "  --period YEAR         the same as --year, as 'parity report' spells\n"
	        "                        it (a financial year only)\n"
	        "  --org CODE            one organisation only\n"
	        "  --suppress N          show counts from 1 to N-1 as \"<N\" and hide\n"
	        "                        the counts that would give them away (default\n"
	        "                        5; 0 turns suppression off)\n"
	        "  --disclosure P        threshold (default) or nhs-digital (1 to 7\n"
	        "                        shown *, others rounded to the nearest 5)\n"
	        "  --target-year YEAR    the Model Employer's target: BME staff at each\n"
	        "                        band in the workforce's share by YEAR\n"
	        "                        (default 2028)\n");
	fprintf(out,
	        "  --cohorts FILE        mentoring cohorts CSV (as 'parity report')\n"
	        "  --cohort-window M     months compared for each cohort (default 12)\n"
	        "  --programme FILE      a programme rolled out over years (as 'parity\n"
	        "                        report')\n"
	        "  --window-years N      WRES 3 and WDES 3 count N periods (default 2)\n"
	        "  --include-bank        count bank staff in WRES 2-4 and WDES 2-3\n"
	        "                        (WRES 1 and WDES 1 leave bank out, as the\n"
	        "                        guidance says)\n"
	        "  --funnel-adjust A     funnel limits: plain (default) or additive\n"
	        CLI_INTERSECT_HELP
	        CLI_STATS_HELP
	        "  -h, --help            show this help\n"
	        "\n"
	        "Exit status: 0 written; 64 bad arguments; 65 no workforce snapshot in\n"
	        "the year; 66 no such database; 74 I/O or database error.\n");
}

enum { OPT_DISCLOSURE = 0x200, OPT_TARGET_YEAR, OPT_COHORTS, OPT_PROGRAMME };

/* The year's relative likelihoods (WRES 2-4, WDES 2-3), analysed as
 * `parity report` analyses the same year and organisation with `analysis`
 * (NULL: the defaults). 0 with *results, or 0 with *results NULL (and a
 * note as `command`, if any) when the year has no such data; a negative
 * error otherwise. */
static int year_ratios(parity_results **results, const char *year, parity_store *store,
                       const char *org, const parity_analyse_options *analysis,
                       const char *command)
{
	parity_analyse_options options;
	if (analysis)
		options = *analysis;
	else
		parity_analyse_options_default(&options);
	options.period = year;
	options.organisation = org;
	*results = NULL;
	int rc = parity_analyse_run(results, store, &options);
	if (rc == PARITY_EDATA) {
		if (command)
			fprintf(stderr, "parity %s: note: no relative likelihoods (WRES 2-4, WDES "
			        "2-3) for %s: %s\n", command, year, parity_error_last());
		parity_error_clear();
		return 0;
	}
	return rc;
}

/* The year the report would choose when given no period: the period of
 * its default analysis when that is a financial year, else NULL (the
 * return then takes the year of the latest workforce snapshot). `buffer`
 * holds the label. 0 or a negative error. */
static int default_year(const char **year, char *buffer, size_t size,
                        parity_store *store, const char *org,
                        const parity_analyse_options *analysis)
{
	parity_results *results = NULL;
	*year = NULL;
	int rc = year_ratios(&results, NULL, store, org, analysis, NULL);
	if (rc || !results)
		return rc;
	parity_period period, fy;
	if (!parity_period_parse(&period, results->period)) {
		parity_period_financial_year(&fy, period.first_month);
		if (fy.first_month == period.first_month && fy.last_month == period.last_month) {
			snprintf(buffer, size, "%s", fy.label);
			*year = buffer;
		}
	}
	parity_error_clear();
	parity_results_free(results);
	return 0;
}

int cli_year_read(cli_year *y, parity_store *store, const char *year, const char *org,
                  const parity_analyse_options *analysis, int target_year,
                  const parity_results *results, const char *command)
{
	memset(y, 0, sizeof *y);
	char label[32];
	int rc = 0;
	if (!year && !results)
		rc = default_year(&year, label, sizeof label, store, org, analysis);
	if (!rc)
		rc = parity_return_compute(&y->ret, store, year, org, target_year);
	if (!rc && !results) {
		rc = year_ratios(&y->results, y->ret->year, store, org, analysis, command);
		results = y->results;
	}
	y->ratios = results;
	if (rc)
		cli_year_free(y);
	return rc;
}

int cli_year_publish(cli_year *y, int policy, unsigned suppress)
{
	int rc = parity_publish_build_year_memo(&y->pub, y->ratios, y->ret,
	                                        (parity_disclosure)policy, suppress, y->memo);
	if (!rc)
		rc = parity_return_publish(&y->ret_pub, y->pub);
	return rc;
}

parity_gate_memo *cli_memo_open(parity_store *store)
{
	parity_gate_memo *memo = parity_gate_memo_new();
	if (memo && parity_gate_memo_load(memo, store)) {
		parity_error_clear(); /* a cache: without it the gate works it all out */
		parity_gate_memo_free(memo);
		memo = NULL;
	}
	return memo;
}

void cli_memo_done(parity_gate_memo *memo, parity_store *store)
{
	if (memo && parity_gate_memo_save(memo, store))
		parity_error_clear(); /* a cache: the next run works it out again */
	parity_gate_memo_free(memo);
}

/* ---- publishing on another thread ------------------------------------------ */

/* The year's gate needs nothing but the year's return and analysis, which
 * the thread alone reads until it is joined: its error is carried back
 * (parity_error_carry: the error state is the thread's own). */
struct cli_year_job {
	pthread_t thread;
	int policy;
	unsigned suppress;
	parity_error_carried error;
};

static void *publish_job(void *arg)
{
	cli_year *y = arg;
	struct cli_year_job *job = y->job;
	parity_error_carry(&job->error, cli_year_publish(y, job->policy, job->suppress));
	return NULL;
}

int cli_year_publish_start(cli_year *y, int policy, unsigned suppress)
{
	struct cli_year_job *job = calloc(1, sizeof *job);
	if (!job)
		return parity_error_set(PARITY_ENOMEM, "out of memory");
	job->policy = policy;
	job->suppress = suppress;
	y->job = job;
	if (pthread_create(&job->thread, NULL, publish_job, y) != 0) {
		/* No thread to be had: publish here, now. */
		y->job = NULL;
		free(job);
		return cli_year_publish(y, policy, suppress);
	}
	return 0;
}

/* Join the thread: its status, its error made this thread's when `say`. */
static int join(cli_year *y, int say)
{
	struct cli_year_job *job = y->job;
	if (!job)
		return 0;
	pthread_join(job->thread, NULL);
	y->job = NULL;
	int rc = say ? parity_error_raise(&job->error) : job->error.code;
	free(job);
	return rc;
}

int cli_year_publish_wait(cli_year *y)
{
	return join(y, 1);
}

void cli_year_free(cli_year *y)
{
	/* A thread never waited for: the caller failed first, and its error
	 * is the one to keep. */
	(void)join(y, 0);
	parity_return_published_free(y->ret_pub);
	parity_publish_free(y->pub);
	parity_return_free(y->ret);
	parity_results_free(y->results);
	memset(y, 0, sizeof *y);
}

int cli_year_write(const cli_year *y, const char *out_dir, int verbose)
{
	const parity_return *ret = y->ret;
	char path[4096], label[24];
	int rc;
	if (mkdir(out_dir, 0700) != 0 && errno != EEXIST)
		return parity_error_set(PARITY_EIO, "%s: cannot create the folder: %s", out_dir,
		                        strerror(errno));
	snprintf(path, sizeof path, "%s/return.csv", out_dir);
	if ((rc = parity_return_write_csv(y->ret_pub, y->pub, path)))
		return rc;
	size_t printed, primary, secondary;
	parity_return_publish_summary(y->ret_pub, &printed, &primary, &secondary);
	if (verbose) {
		printf("Return %s: %zu organisation%s (%zu with board data), workforce "
		       "snapshot %s, %zu bank staff left out\n", ret->year, ret->organisations,
		       ret->organisations == 1 ? "" : "s", ret->boards, ret->snapshot,
		       (size_t)ret->bank_excluded);
		printf("  NHS Staff Survey %d: %zu organisation%s with results; Model "
		       "Employer target %d\n", ret->survey_year, ret->surveys,
		       ret->surveys == 1 ? "" : "s", ret->target_year);
		printf("  %zu figures; %zu counts printed, %zu hidden as small, %zu hidden "
		       "besides\n", ret->row_count, printed, primary, secondary);
		printf("  wrote %s\n", path);
	}
	/* "2025/26" -> "2025-26" for the file names. */
	snprintf(label, sizeof label, "%s", ret->year);
	for (char *p = label; *p; p++)
		if (*p == '/')
			*p = '-';
	static const char *const standards[2] = {"WRES", "WDES"};
	for (int k = 0; k < 2; k++) {
		snprintf(path, sizeof path, "%s/%s-%s.xlsx", out_dir, k ? "wdes" : "wres", label);
		if ((rc = parity_return_write_workbook(y->ret_pub, y->pub, standards[k], path)))
			return rc;
		if (verbose)
			printf("  wrote %s\n", path);
	}
	return 0;
}

int cli_write_return(const char *command, parity_store *store, const char *year,
                     const char *org, const parity_analyse_options *analysis, int policy,
                     unsigned suppress, int target_year, const char *out_dir)
{
	cli_year y;
	int rc = cli_year_read(&y, store, year, org, analysis, target_year, NULL, command);
	parity_gate_memo *memo = NULL;
	if (!rc) {
		y.memo = memo = cli_memo_open(store);
		if ((rc = cli_year_publish(&y, policy, suppress)))
			cli_year_free(&y);
	}
	if (rc) {
		parity_gate_memo_free(memo);
		return rc == PARITY_EUSAGE ? cli_usage_error(command, "%s", parity_error_last())
		                           : cli_fail(command, rc);
	}
	rc = cli_year_write(&y, out_dir, 1);
	cli_year_free(&y);
	cli_memo_done(memo, store);
	return rc ? cli_fail(command, rc) : 0;
}

int cmd_return(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"db", required_argument, NULL, 'd'},
		{"year", required_argument, NULL, 'y'},
		{"out", required_argument, NULL, 'o'},
		{"org", required_argument, NULL, 'g'},
		{"suppress", required_argument, NULL, 's'},
		{"disclosure", required_argument, NULL, OPT_DISCLOSURE},
		{"target-year", required_argument, NULL, OPT_TARGET_YEAR},
		{"period", required_argument, NULL, 'p'},
		{"cohorts", required_argument, NULL, OPT_COHORTS},
		{"programme", required_argument, NULL, OPT_PROGRAMME},
		CLI_ANALYSIS_LONGOPTS,
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *db_path = NULL, *year = NULL, *out_dir = NULL, *org = NULL;
	const char *cohorts_path = NULL, *programme_path = NULL;
	parity_analyse_options analysis;
	uint64_t suppress = 5;
	int policy = PARITY_DISCLOSURE_THRESHOLD, c, target_year = 0;
	uint64_t target = 0;

	parity_analyse_options_default(&analysis);
	optind = 0;
	while ((c = cli_getopt("return", argc, argv, "d:y:p:o:g:s:h", longopts)) != -1) {
		switch (c) {
		case 'd': db_path = optarg; break;
		case 'y':
		case 'p':
			if (year && strcmp(year, optarg))
				return cli_usage_error("return", "--year and --period name one "
				                       "year: give one of them");
			year = optarg;
			break;
		case OPT_COHORTS: cohorts_path = optarg; break;
		case OPT_PROGRAMME: programme_path = optarg; break;
		case OPT_METHOD:
		case OPT_LEVEL:
		case OPT_LOW_COUNT:
		case OPT_WINDOW_YEARS:
		case OPT_INCLUDE_BANK:
		case OPT_COHORT_WINDOW:
		case OPT_FUNNEL:
		case OPT_INTERSECT:
			if (cli_analysis_option("return", c, optarg, &analysis))
				return EX_USAGE;
			break;
		case 'o': out_dir = optarg; break;
		case 'g': org = optarg; break;
		case 's':
			if (cli_parse_u64(optarg, &suppress) || suppress > 1000)
				return cli_usage_error("return", "--suppress '%s': give a whole "
				                       "number from 0 to 1000", optarg);
			break;
		case OPT_DISCLOSURE:
			if ((policy = parity_disclosure_parse(optarg)) < 0)
				return cli_usage_error("return", "--disclosure '%s': use threshold "
				                       "or nhs-digital", optarg);
			break;
		case OPT_TARGET_YEAR:
			if (cli_parse_u64(optarg, &target) || target < 2000 || target > 2199)
				return cli_usage_error("return", "--target-year '%s': give a year "
				                       "such as 2028", optarg);
			target_year = (int)target;
			break;
		case 'h': usage(stdout); return 0;
		default: return EX_USAGE;
		}
	}
	if (optind < argc)
		return cli_usage_error("return", "unexpected argument '%s'", argv[optind]);
	if (!db_path || !out_dir)
		return cli_usage_error("return", "--db DB and --out DIR are required");
	parity_period check;
	if (year && parity_period_parse(&check, year))
		return cli_usage_error("return", "--year: %s", parity_error_last());
	analysis.organisation = org;

	parity_store *store = NULL;
	parity_cohorts *cohorts = NULL, *programme = NULL;
	int rc = parity_store_open(&store, db_path, 0);
	if (rc)
		return cli_fail("return", rc);
	int status = 0;
	if (cohorts_path && !(status = cli_cohorts_load("return", cohorts_path, store,
	                                                &cohorts)))
		analysis.cohorts = cohorts;
	if (!status && programme_path &&
	    !(status = cli_programme_load("return", programme_path, store, &programme)))
		analysis.programme = programme;
	if (!status)
		status = cli_write_return("return", store, year, org, &analysis, policy,
		                          (unsigned)suppress, target_year, out_dir);
	parity_cohorts_free(cohorts);
	parity_cohorts_free(programme);
	parity_store_close(store);
	return status;
}
