/*
 * cmd_return.c: `parity return`: the annual WRES and WDES return figures
 * that are not relative likelihoods (WRES 1 and 9, WDES 1 and 10) for one
 * financial year, through the disclosure gate, written as return.csv.
 */
#include "cli.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>

static void usage(FILE *out)
{
	fprintf(out,
	        "Usage: parity return --db DB --year YEAR --out DIR [--org CODE]\n"
	        "                     [--suppress N] [--disclosure threshold|nhs-digital]\n"
	        "\n"
	        "Compute the return's representation and board figures for the\n"
	        "financial year YEAR (2025/26) and write DIR/return.csv: WRES 1 and\n"
	        "WDES 1 (each pay band and cluster, non-clinical and clinical, against\n"
	        "the whole workforce, from each organisation's latest workforce\n"
	        "snapshot in the year, bank staff left out) and WRES 9 and WDES 10 (the\n"
	        "board, voting and non-voting, executive and non-executive, against\n"
	        "the workforce, in percentage points; from kind board). Columns:\n"
	        "standard, indicator, organisation, group, numerator, denominator,\n"
	        "value (percent or points), ci_low, ci_high, suppressed. Small counts\n"
	        "are hidden by the same disclosure gate as the board report.\n"
	        "\n"
	        "Options:\n"
	        "  --db DB               the database (required)\n"
	        "  --year YEAR           financial year, e.g. 2025/26 (required)\n"
	        "  --out DIR             output folder (required; created if missing)\n"
	        "  --org CODE            one organisation only\n"
	        "  --suppress N          show counts from 1 to N-1 as \"<N\" and hide\n"
	        "                        the counts that would give them away (default\n"
	        "                        5; 0 turns suppression off)\n"
	        "  --disclosure P        threshold (default) or nhs-digital (1 to 7\n"
	        "                        shown *, others rounded to the nearest 5)\n"
	        "  -h, --help            show this help\n"
	        "\n"
	        "Exit status: 0 written; 64 bad arguments; 65 no workforce snapshot in\n"
	        "the year; 66 no such database; 74 I/O or database error.\n");
}

enum { OPT_DISCLOSURE = 0x200 };

int cli_write_return(const char *command, parity_store *store, const char *year,
                     const char *org, int policy, unsigned suppress, const char *out_dir)
{
	parity_return *ret = NULL;
	parity_return_published *pub = NULL;
	char path[4096];
	int status = 0;
	int rc = parity_return_compute(&ret, store, year, org);
	if (rc) {
		status = rc == PARITY_EUSAGE ? cli_usage_error(command, "%s",
		                                                parity_error_last())
		                             : cli_fail(command, rc);
		goto done;
	}
	if ((rc = parity_return_publish(&pub, ret, (parity_disclosure)policy, suppress))) {
		status = cli_fail(command, rc);
		goto done;
	}
	if (mkdir(out_dir, 0700) != 0 && errno != EEXIST) {
		fprintf(stderr, "parity %s: %s: cannot create the folder: %s\n", command,
		        out_dir, strerror(errno));
		status = EX_CANTCREAT;
		goto done;
	}
	snprintf(path, sizeof path, "%s/return.csv", out_dir);
	if ((rc = parity_return_write_csv(pub, path))) {
		status = cli_fail(command, rc);
		goto done;
	}
	size_t printed, primary, secondary;
	parity_return_publish_summary(pub, &printed, &primary, &secondary);
	printf("Return %s: %zu organisation%s (%zu with board data), workforce snapshot "
	       "%s, %zu bank staff left out\n", ret->year, ret->organisations,
	       ret->organisations == 1 ? "" : "s", ret->boards, ret->snapshot,
	       (size_t)ret->bank_excluded);
	printf("  %zu figures; %zu counts printed, %zu hidden as small, %zu hidden "
	       "besides\n", ret->row_count, printed, primary, secondary);
	printf("  wrote %s\n", path);
done:
	parity_return_published_free(pub);
	parity_return_free(ret);
	return status;
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
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *db_path = NULL, *year = NULL, *out_dir = NULL, *org = NULL;
	uint64_t suppress = 5;
	int policy = PARITY_DISCLOSURE_THRESHOLD, c;

	optind = 0;
	while ((c = cli_getopt("return", argc, argv, "d:y:o:g:s:h", longopts)) != -1) {
		switch (c) {
		case 'd': db_path = optarg; break;
		case 'y': year = optarg; break;
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
		case 'h': usage(stdout); return 0;
		default: return EX_USAGE;
		}
	}
	if (optind < argc)
		return cli_usage_error("return", "unexpected argument '%s'", argv[optind]);
	if (!db_path || !year || !out_dir)
		return cli_usage_error("return", "--db DB, --year YEAR and --out DIR are "
		                       "required");
	parity_period check;
	if (parity_period_parse(&check, year))
		return cli_usage_error("return", "--year: %s", parity_error_last());

	parity_store *store = NULL;
	int rc = parity_store_open(&store, db_path, 0);
	if (rc)
		return cli_fail("return", rc);
	int status = cli_write_return("return", store, year, org, policy,
	                              (unsigned)suppress, out_dir);
	parity_store_close(store);
	return status;
}
