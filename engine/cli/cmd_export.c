/*
 * cmd_export.c: `parity export`: write a database's count cube as an
 * aggregate counts CSV, exact (for pooling: another database ingests it as
 * kind "counts") or with small counts suppressed (for publishing).
 */
#include "cli.h"

#include <inttypes.h>
#include <string.h>
#include <sysexits.h>

static void usage(FILE *out)
{
	fprintf(out,
	        "Usage: parity export --db DB --counts FILE [--suppress N]\n"
	        "                     [--disclosure threshold|nhs-digital]\n"
	        "\n"
	        "Write the database's count cube to FILE as an aggregate CSV: one row per\n"
	        "distinct cell, with the columns kind, month (YYYY-MM), organisation,\n"
	        "ethnic_category, sex, disability, age_band, pay_band, staff_group,\n"
	        "contract, process, grounds, sexual_orientation, religion, rows,\n"
	        "shortlisted, appointed. No person-level data is in it. Another database\n"
	        "takes it in with 'parity ingest --kind counts FILE': this is how\n"
	        "organisations pool their figures. The file is written whole or not at\n"
	        "all, readable only by its owner.\n"
	        "\n"
	        "Options:\n"
	        "  --db DB           the database (required)\n"
	        "  --counts FILE     the CSV file to write (required)\n"
	        "  --suppress N      for publishing: counts from 1 to N-1 are written <N,\n"
	        "                    and counts whose difference from another count in\n"
	        "                    the row would be from 1 to N-1 are written *; such a\n"
	        "                    file starts with a comment line and cannot be\n"
	        "                    ingested (N >= 2; 5 hides 1 to 4)\n"
	        "  --disclosure P    threshold (with --suppress N, as above) or\n"
	        "                    nhs-digital: counts from 1 to 7 written *, others\n"
	        "                    rounded to the nearest 5 (implies a published file)\n"
	        "  -q, --quiet       print only errors\n"
	        "  -h, --help        show this help\n"
	        "\n"
	        "Exit status: 0 written; 64 bad arguments; 66 no such database; 74 I/O or\n"
	        "database error; 75 the database is busy.\n");
}

int cmd_export(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"db", required_argument, NULL, 'd'},
		{"counts", required_argument, NULL, 'c'},
		{"suppress", required_argument, NULL, 's'},
		{"disclosure", required_argument, NULL, 'D'},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *db_path = NULL, *counts_path = NULL;
	uint64_t suppress = 0;
	int quiet = 0, c, policy = -1;

	optind = 0;
	while ((c = cli_getopt("export", argc, argv, "d:c:s:qh", longopts)) != -1) {
		switch (c) {
		case 'd': db_path = optarg; break;
		case 'c': counts_path = optarg; break;
		case 's':
			if (cli_parse_u64(optarg, &suppress) || suppress < 2 ||
			    suppress > 1000000)
				return cli_usage_error("export", "--suppress '%s': give a whole "
				                       "number from 2 up (5 hides counts of 1 "
				                       "to 4)", optarg);
			break;
		case 'D':
			if ((policy = parity_disclosure_parse(optarg)) < 0)
				return cli_usage_error("export", "--disclosure '%s': use threshold "
				                       "or nhs-digital", optarg);
			break;
		case 'q': quiet = 1; break;
		case 'h': usage(stdout); return 0;
		default: return EX_USAGE;
		}
	}
	if (!db_path)
		return cli_usage_error("export", "--db DB is required");
	if (!counts_path)
		return cli_usage_error("export", "--counts FILE is required");
	if (optind < argc)
		return cli_usage_error("export", "unexpected argument '%s'", argv[optind]);
	if (policy == PARITY_DISCLOSURE_THRESHOLD && !suppress)
		suppress = 5;
	if (policy == PARITY_DISCLOSURE_NHS_DIGITAL && suppress)
		return cli_usage_error("export", "--suppress and --disclosure nhs-digital: "
		                       "choose one (nhs-digital hides 1 to 7)");
	int published = suppress || policy >= 0;

	parity_store *store = NULL;
	int rc = parity_store_open(&store, db_path, 0);
	if (rc)
		return cli_fail("export", rc);
	parity_export_summary summary;
	/* The file's folder is made when missing, as for --out and --db. */
	rc = parity_dir_ensure_parent(counts_path);
	if (rc) {
		parity_store_close(store);
		return cli_fail("export", rc);
	}
	/* A file for publishing is the disclosure gate's to show. */
	rc = published ? parity_publish_export_counts(&summary, store, counts_path,
	                                              policy < 0 ? PARITY_DISCLOSURE_THRESHOLD
	                                                         : (parity_disclosure)policy,
	                                              (unsigned)suppress)
	               : parity_store_export_counts(&summary, store, counts_path, 0);
	parity_store_close(store);
	if (rc)
		return cli_fail("export", rc);
	if (!quiet) {
		printf("%s: %" PRIu64 " cells, %" PRIu64 " rows in all\n", counts_path,
		       summary.cells, summary.rows);
		if (policy == PARITY_DISCLOSURE_NHS_DIGITAL)
			printf("  suppressed for publishing (NHS Digital): %" PRIu64 " counts "
			       "shown as *, the others rounded to 5; this file cannot be "
			       "ingested\n", summary.suppressed);
		else if (suppress)
			printf("  suppressed for publishing: %" PRIu64 " counts shown as <%"
			       PRIu64 ", %" PRIu64 " withheld as *; this file cannot be "
			       "ingested\n", summary.suppressed, suppress, summary.withheld);
	}
	return 0;
}
