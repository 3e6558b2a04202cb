/*
 * cmd_demo.c: `parity demo`: the whole pipeline on the shipped sample
 * extracts: ingest into a fresh database, analyse, write the board report.
 */
#include "cli.h"
#include "pipeline.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

static void usage(FILE *out)
{
	fprintf(out,
	        "Usage: parity demo [--out DIR] [--sample DIR]\n"
	        "\n"
	        "Run the main job on the shipped synthetic sample: ingest its extracts\n"
	        "into a fresh database DIR/parity.db, compute the indicators, and write\n"
	        "DIR/board-report.pdf and its accessible HTML twin board-report.html\n"
	        "with the charts and results files, and the WRES and WDES return of\n"
	        "the latest year: DIR/return.csv and the workbooks\n"
	        "DIR/wres-YYYY-YY.xlsx and DIR/wdes-YYYY-YY.xlsx. The sample's\n"
	        "cohorts.csv is evaluated before and after (DIR/cohorts.csv), and its\n"
	        "programme.csv, a staggered roll-out, as an event study\n"
	        "(DIR/programme.csv and a report page).\n"
	        "\n"
	        "Options:\n"
	        "  --out DIR             output folder (default: parity-demo)\n"
	        "  --sample DIR          the sample extracts (default: the shipped ones)\n"
	        "  -h, --help            show this help\n");
}

static int is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The shipped sample: beside the source tree in a build, else installed. */
static const char *find_sample(void)
{
	const char *env = getenv("PARITY_SAMPLE_DIR");
	if (env && is_dir(env))
		return env;
	if (is_dir(PARITY_SAMPLE_DIR_BUILD))
		return PARITY_SAMPLE_DIR_BUILD;
	if (is_dir(PARITY_SAMPLE_DIR_INSTALL))
		return PARITY_SAMPLE_DIR_INSTALL;
	return NULL;
}

int cmd_demo(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"out", required_argument, NULL, 'o'},
		{"sample", required_argument, NULL, 's'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *out_dir = "parity-demo", *sample = NULL;
	char db_path[4096], rejects_dir[4096], path[4096];
	parity_store *store = NULL;
	int c, status = 0;

	optind = 0;
	while ((c = cli_getopt("demo", argc, argv, "o:s:h", longopts)) != -1) {
		switch (c) {
		case 'o': out_dir = optarg; break;
		case 's': sample = optarg; break;
		case 'h': usage(stdout); return 0;
		default: return EX_USAGE;
		}
	}
	if (optind < argc)
		return cli_usage_error("demo", "unexpected argument '%s'", argv[optind]);
	if (!sample && !(sample = find_sample())) {
		fprintf(stderr, "parity demo: the sample data was not found; give its "
		        "folder with --sample DIR\n");
		return EX_NOINPUT;
	}
	if (!is_dir(sample)) {
		fprintf(stderr, "parity demo: %s: no such folder\n", sample);
		return EX_NOINPUT;
	}
	if (mkdir(out_dir, 0700) != 0 && !is_dir(out_dir)) {
		fprintf(stderr, "parity demo: %s: cannot create the folder: %s\n", out_dir,
		        strerror(errno));
		return EX_CANTCREAT;
	}
	snprintf(db_path, sizeof db_path, "%s/parity.db", out_dir);
	snprintf(rejects_dir, sizeof rejects_dir, "%s/rejects", out_dir);
	/* A fresh database every time, so the demo is repeatable. */
	if (unlink(db_path) != 0 && errno != ENOENT) {
		fprintf(stderr, "parity demo: %s: cannot remove the old database: %s\n",
		        db_path, strerror(errno));
		return EX_IOERR;
	}
	int rc = parity_store_open(&store, db_path, 1);
	if (rc)
		return cli_fail("demo", rc);

	printf("Sample data: %s\n", sample);
	for (unsigned k = 0; k < PARITY_KIND_COUNT_; k++) {
		parity_ingest_options options;
		parity_ingest_summary summary;
		parity_ingest_options_default(&options, (parity_kind)k);
		options.rejects_dir = rejects_dir;
		snprintf(path, sizeof path, "%s/%s.csv", sample, parity_kind_name((parity_kind)k));
		if (access(path, R_OK) != 0)
			continue;
		rc = parity_ingest_file(&summary, store, path, &options);
		if (rc) {
			status = cli_fail("demo", rc);
			parity_store_close(store);
			return status;
		}
		printf("Ingested %-13s %8llu rows read, %8llu stored, %llu rejected\n",
		       parity_kind_name((parity_kind)k), (unsigned long long)summary.rows_read,
		       (unsigned long long)summary.rows_accepted,
		       (unsigned long long)summary.rows_rejected);
	}

	parity_analyse_options analyse;
	parity_report_options report;
	parity_cohorts *cohorts = NULL;
	parity_analyse_options_default(&analyse);
	snprintf(path, sizeof path, "%s/cohorts.csv", sample);
	if (access(path, R_OK) == 0) {
		if ((rc = parity_cohorts_load(&cohorts, path, store))) {
			status = cli_fail("demo", rc);
			parity_store_close(store);
			return status;
		}
		analyse.cohorts = cohorts;
	}
	/* The staggered roll-out: a second cohort file, so the single cohort's
	 * outputs stay as they were. */
	parity_cohorts *programme = NULL;
	char programme_path[PATH_MAX];
	snprintf(programme_path, sizeof programme_path, "%s/programme.csv", sample);
	if (access(programme_path, R_OK) == 0) {
		if ((rc = parity_programme_load(&programme, programme_path, store))) {
			status = cli_fail("demo", rc);
			parity_cohorts_free(cohorts);
			parity_store_close(store);
			return status;
		}
		analyse.programme = programme;
	}
	memset(&report, 0, sizeof report);
	report.suppress_below = 5;
	report.title = "Workforce equality board report (synthetic sample)";
	report.cohorts_file = cohorts ? path : NULL; /* path: the cohort file */
	report.programme_file = programme ? programme_path : NULL;
	status = cli_write_outputs("demo", store, &analyse, &report, out_dir, NULL);
	if (status == 0)
		status = cli_write_return("demo", store, NULL, NULL, &analyse,
		                          PARITY_DISCLOSURE_THRESHOLD, report.suppress_below, 0,
		                          out_dir);
	parity_cohorts_free(cohorts);
	parity_cohorts_free(programme);
	parity_store_close(store);
	if (status == 0) {
		char absolute[PATH_MAX];
		snprintf(path, sizeof path, "%s/board-report.pdf", out_dir);
		if (realpath(path, absolute))
			printf("\nThe PDF board report is at: %s\n", absolute);
		snprintf(path, sizeof path, "%s/board-report.html", out_dir);
		if (realpath(path, absolute))
			printf("The HTML board report is at: %s\n", absolute);
	}
	return status;
}
