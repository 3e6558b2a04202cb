/*
 * main.c: the `parity` command-line front end. Dispatches to one file per
 * subcommand (cmd_*.c), handles --help and --version, and turns an unknown
 * command into a one-line error with a suggestion (exit 64).
 */
#include "cli.h"

#include "parity.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

static const cli_command commands[] = {
	{"demo", cmd_demo, "run the whole pipeline on the shipped sample data"},
	{"run", cmd_run, "the unattended monthly run, from a configuration file"},
	{"history", cmd_history, "list the runs kept in a database"},
	{"ingest", cmd_ingest, "validate HR extracts and add their counts to a database"},
	{"mapping", cmd_mapping, "draft a mapping file for a new extract (--suggest)"},
	{"quality", cmd_quality, "data-quality summary of the files in a database"},
	{"analyse", cmd_analyse, "compute the indicators from a database"},
	{"check", cmd_check, "recompute the ratios in a WRES-style submission"},
	{"report", cmd_report, "write the PDF board report from a database"},
	{"return", cmd_return, "the WRES and WDES return figures for a year (return.csv)"},
	{"ratio", cmd_ratio, "one relative likelihood ratio with interval and tests"},
	{"pool", cmd_pool, "Mantel-Haenszel pooled ratio over strata in a CSV file"},
	{"export", cmd_export, "write the count cube as an aggregate CSV (--counts)"},
	{NULL, NULL, NULL},
};

static void print_help(FILE *out)
{
	fprintf(out,
	        "Usage: parity <command> [options]\n"
	        "       parity --help | --version\n"
	        "\n"
	        "Workforce equity analytics: relative likelihood ratios (WRES/WDES style)\n"
	        "with confidence intervals, from anonymised HR extracts.\n"
	        "\n"
	        "Commands:\n");
	for (const cli_command *c = commands; c->name; c++)
		fprintf(out, "  %-9s %s\n", c->name, c->summary);
	fprintf(out,
	        "\n"
	        "Run 'parity <command> --help' for a command's options.\n"
	        "Exit status: 0 success, 64 usage error, 65 bad input data,\n"
	        "66 input missing, 74 I/O or database error, 75 busy (try again later).\n");
}

int main(int argc, char **argv)
{
	parity_init();
	/* Past a file-size limit (ulimit -f) a write should fail with EFBIG,
	 * which every writer reports and cleans up after, rather than the
	 * default SIGXFSZ killing the process with half a file left behind. */
	signal(SIGXFSZ, SIG_IGN);
	if (argc < 2) {
		print_help(stderr);
		return EX_USAGE;
	}
	const char *name = argv[1];
	if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 ||
	    strcmp(name, "help") == 0) {
		print_help(stdout);
		return 0;
	}
	if (strcmp(name, "--version") == 0 || strcmp(name, "-V") == 0) {
		printf("parity %s\n", parity_version());
		return 0;
	}
	for (const cli_command *c = commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c->run(argc - 1, argv + 1);

	/* Suggest a command for a word, or a global option for an option. */
	const char *names[sizeof commands / sizeof commands[0]];
	static const char *const options[] = {"--help", "--version", NULL};
	size_t count = 0;
	for (const cli_command *c = commands; c->name; c++)
		names[count++] = c->name;
	names[count] = NULL;
	const char *close = name[0] == '-' ? cli_closest(name, options)
	                                   : cli_closest(name, names);
	if (name[0] == '-')
		fprintf(stderr, "parity: unknown option '%s'", name);
	else
		fprintf(stderr, "parity: unknown command '%s'", name);
	if (close)
		fprintf(stderr, "; did you mean '%s'?", close);
	fprintf(stderr, " (see 'parity --help')\n");
	return EX_USAGE;
}
