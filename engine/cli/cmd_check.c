/*
 * cmd_check.c: `parity check FILE`: recompute every ratio in a WRES-style
 * submission from its counts and list each mismatch and impossible figure
 * with its line. Exit 0 when clean, 65 when problems are found.
 */
#include "cli.h"

#include "parity/check.h"

#include <sysexits.h>

static void usage(FILE *out)
{
	fprintf(out,
	        "Usage: parity check FILE\n"
	        "\n"
	        "Check a submission of published ratios against their counts. FILE is CSV\n"
	        "with the header\n"
	        "  indicator,organisation,period,group1_numerator,group1_denominator,\n"
	        "  group2_numerator,group2_denominator,published_ratio\n"
	        "and optionally group1_percent,group2_percent (the published rates).\n"
	        "Group 1 is the indicator's numerator group as the standard orients it:\n"
	        "WRES2 White (appointed of shortlisted), WRES3 BME (entered disciplinary\n"
	        "of headcount), WRES4 White (accessed training of headcount), WDES2\n"
	        "Non-disabled (appointed of shortlisted), WDES3 Disabled (entered\n"
	        "capability of headcount). Every ratio is recomputed and each problem is\n"
	        "listed with its line: a ratio that differs beyond rounding to the\n"
	        "published decimals, a percentage where a ratio belongs (\"1.54%%\" or 154\n"
	        "for 1.54), a ratio built from rounded percentages, groups swapped, a\n"
	        "numerator above its denominator (appointed above shortlisted), negative\n"
	        "or non-numeric counts, unknown indicators and periods, duplicate lines.\n"
	        "\n"
	        "A whole return as 'parity return' writes it (return.csv: standard,\n"
	        "indicator, organisation, group, numerator, denominator, value, ci_low,\n"
	        "ci_high, suppressed) is checked as a return: every percentage against\n"
	        "its counts, groups that must add up to their total and percentages to\n"
	        "100, board and survey differences against the figures they subtract,\n"
	        "relative likelihoods against their groups, the Model Employer's\n"
	        "shortfall, intervals that exclude their value, counts above their base,\n"
	        "figures printed beside a suppression mark and impossible figures\n"
	        "(a percentage over 100, an engagement score over 10).\n"
	        "\n"
	        "Exit status: 0 clean, 65 problems found, 66 FILE missing, 64 usage.\n"
	        "\n"
	        "Options:\n"
	        "  -h, --help            show this help\n");
}

int cmd_check(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	parity_check_report *report = NULL;
	int c;

	optind = 0;
	while ((c = cli_getopt("check", argc, argv, "h", longopts)) != -1) {
		switch (c) {
		case 'h': usage(stdout); return 0;
		default: return EX_USAGE;
		}
	}
	if (optind >= argc)
		return cli_usage_error("check", "give the submission FILE to check");
	if (optind + 1 < argc)
		return cli_usage_error("check", "unexpected argument '%s'", argv[optind + 1]);
	const char *path = argv[optind];
	int rc = parity_check_file(&report, path);
	if (rc)
		return cli_fail("check", rc);
	for (size_t i = 0; i < report->count; i++) {
		const parity_check_problem *p = &report->problems[i];
		/* Fields the line left blank are left out, not shown as gaps. */
		printf("%s:%llu:", path, (unsigned long long)p->line);
		const char *fields[] = {p->indicator, p->organisation, p->period};
		for (size_t f = 0; f < 3; f++)
			if (fields[f][0])
				printf(" %s", fields[f]);
		printf(": %s [%s]\n", p->message, p->kind);
	}
	if (report->count)
		printf("%zu problem%s in %llu line%s of %s\n", report->count,
		       report->count == 1 ? "" : "s", (unsigned long long)report->lines,
		       report->lines == 1 ? "" : "s", path);
	else
		printf("%s: clean: %llu line%s, every %s agrees with its counts\n", path,
		       (unsigned long long)report->lines, report->lines == 1 ? "" : "s",
		       report->whole_return ? "figure" : "ratio");
	int status = report->count ? EX_DATAERR : 0;
	parity_check_report_free(report);
	return status;
}
