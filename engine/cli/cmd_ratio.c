/*
 * cmd_ratio.c: `parity ratio X1 N1 X2 N2`: one relative likelihood ratio
 * with its interval, Fisher / mid-p / chi-square p-values, the band, the
 * low-count flag and a plain sentence, as text or one JSON object.
 */
#include "cli.h"

#include "parity.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const count_names[4] = {"X1", "N1", "X2", "N2"};

static void print_usage(FILE *out)
{
	fprintf(out,
	        "Usage: parity ratio X1 N1 X2 N2 [options]\n"
	        "\n"
	        "The relative likelihood ratio (X1/N1) / (X2/N2): group 1's rate of\n"
	        "reaching an outcome against group 2's, with its confidence interval,\n"
	        "Fisher's exact, mid-p and Pearson chi-square p-values, its place\n"
	        "against the 0.80-1.25 band, and a plain sentence.\n"
	        "\n"
	        "  X1, X2   how many in each group reached the outcome (e.g. appointed)\n"
	        "  N1, N2   each group's base (e.g. shortlisted); X <= N\n"
	        "\n"
	        "Options:\n"
	        "  -m, --method M     interval method: koopman (default), katz,\n"
	        "                     adjusted-log, mn (Miettinen-Nurminen)\n"
	        "  -l, --level L      confidence level, a fraction in (0, 1); default 0.95\n"
	        "      --low-count N  flag results with fewer than N cases in either group;\n"
	        "                     default 10 (0 turns the flag off)\n"
	        "  -j, --json         print one JSON object instead of text\n"
	        "  -h, --help         print this help\n"
	        "\n"
	        "Example: parity ratio 27 39 7 21 --method katz\n"
	        "Exit status: 0 success, 64 invalid arguments.\n");
}

/* An argument that getopt would take for an option but is a negative
 * number ("-3", "-0.5"). */
static int looks_negative(const char *arg)
{
	return arg[0] == '-' && (arg[1] == '.' || (arg[1] >= '0' && arg[1] <= '9'));
}

/* Options that take a value as the next argument when written alone. */
static int takes_value(const char *arg)
{
	return strcmp(arg, "--method") == 0 || strcmp(arg, "--level") == 0 ||
	       strcmp(arg, "--low-count") == 0 || strcmp(arg, "-m") == 0 ||
	       strcmp(arg, "-l") == 0;
}

/*
 * getopt_long would read "-3" as an option: find negative numbers where a
 * count is expected first and say which count is wrong. Returns 0, or the
 * usage exit status after printing the message.
 */
static int reject_negative_counts(int argc, char **argv)
{
	int position = 0;
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		if (strcmp(arg, "--") == 0) {
			position += argc - i - 1;
			break;
		}
		if (looks_negative(arg)) {
			if (position < 4)
				return cli_usage_error("ratio", "%s ('%s') must be a "
				                       "non-negative whole number (a count "
				                       "of people)", count_names[position],
				                       arg);
			return cli_usage_error("ratio", "unexpected argument '%s': "
			                       "give exactly four counts X1 N1 X2 N2",
			                       arg);
		}
		if (arg[0] == '-' && arg[1] != '\0') {
			if (takes_value(arg))
				i++;
			continue;
		}
		position++;
	}
	return 0;
}

static const char *method_title(parity_ci_method method)
{
	switch (method) {
	case PARITY_CI_KATZ: return "Katz log";
	case PARITY_CI_ADJUSTED_LOG: return "adjusted log, x+0.5 and n+0.5";
	case PARITY_CI_MN: return "Miettinen-Nurminen score";
	default: return "Koopman score";
	}
}

/* A ratio or limit for the text output: "infinity", or 10 digits. */
static void text_value(char *buf, size_t size, double value)
{
	if (isinf(value))
		snprintf(buf, size, "infinity");
	else
		snprintf(buf, size, "%.10g", value);
}

static void print_group(const char *label, uint64_t x, uint64_t n)
{
	if (n == 0)
		printf("%-16s%" PRIu64 " of %" PRIu64 " (an empty group)\n", label, x, n);
	else
		printf("%-16s%" PRIu64 " of %" PRIu64 " reached the outcome (%.1f%%)\n",
		       label, x, n, 100.0 * (double)x / (double)n);
}

static void print_text(const parity_ratio *r, const char *sentence)
{
	char ratio[40], low[40], high[40];
	print_group("Group 1:", r->x1, r->n1);
	print_group("Group 2:", r->x2, r->n2);
	if (!r->estimable) {
		printf("%-16sno estimate (no cases in either group, or an empty group)\n",
		       "Ratio:");
	} else {
		text_value(ratio, sizeof ratio, r->ratio);
		text_value(low, sizeof low, r->ci_low);
		text_value(high, sizeof high, r->ci_high);
		printf("%-16s%s\n", "Ratio:", ratio);
		char label[24];
		snprintf(label, sizeof label, "%.4g%% CI:", r->level * 100.0);
		printf("%-16s%s to %s (%s)\n", label, low, high,
		       method_title(r->method));
		printf("%-16s%s 1\n", "Interval:",
		       r->excludes_one ? "excludes" : "includes");
	}
	printf("%-16s%s the 0.80-1.25 band\n", "Band:",
	       r->band == PARITY_BAND_NONE ? "no estimate for" : parity_band_name(r->band));
	printf("%-16s%.4g (two-sided)\n", "Fisher exact p:", r->p_fisher);
	printf("%-16s%.4g (two-sided)\n", "Mid-p:", r->p_midp);
	printf("%-16s%.4g (Pearson, no continuity correction)\n", "Chi-square p:",
	       r->p_chisq);
	printf("%-16s%.4g (the test this interval inverts)\n", "Score p:",
	       r->p_score);
	char mdr_low[40] = "none", mdr_high[40] = "none";
	if (!isnan(r->mdr_low))
		snprintf(mdr_low, sizeof mdr_low, "%.3g", r->mdr_low);
	if (!isnan(r->mdr_high))
		snprintf(mdr_high, sizeof mdr_high, "%.3g", r->mdr_high);
	printf("%-16sbelow %s or above %s (80%% power, 5%% two-sided)\n",
	       "Detectable:", mdr_low, mdr_high);
	if (r->low_count_min == 0)
		printf("%-16soff\n", "Low count:");
	else
		printf("%-16s%s (flagged below %" PRIu64 " cases in either group)\n",
		       "Low count:", r->low_count ? "yes" : "no", r->low_count_min);
	printf("\n%s\n", sentence);
}

/* A ratio or limit as JSON: null when there is no estimate. */
static void json_estimate(FILE *out, const parity_ratio *r, double value)
{
	if (!r->estimable)
		fputs("null", out);
	else
		cli_json_double(out, value);
}

static void print_json(const parity_ratio *r, const char *sentence)
{
	FILE *out = stdout;
	fprintf(out, "{\"x1\":%" PRIu64 ",\"n1\":%" PRIu64 ",\"x2\":%" PRIu64
	        ",\"n2\":%" PRIu64 ",\"method\":", r->x1, r->n1, r->x2, r->n2);
	cli_json_string(out, parity_ci_method_name(r->method));
	fputs(",\"level\":", out);
	cli_json_double(out, r->level);
	fprintf(out, ",\"estimable\":%s,\"ratio\":", r->estimable ? "true" : "false");
	json_estimate(out, r, r->ratio);
	fputs(",\"ci_low\":", out);
	json_estimate(out, r, r->ci_low);
	fputs(",\"ci_high\":", out);
	json_estimate(out, r, r->ci_high);
	fprintf(out, ",\"excludes_one\":%s,\"p_fisher\":",
	        r->excludes_one ? "true" : "false");
	cli_json_double(out, r->p_fisher);
	fputs(",\"p_midp\":", out);
	cli_json_double(out, r->p_midp);
	fputs(",\"p_chisq\":", out);
	cli_json_double(out, r->p_chisq);
	fputs(",\"p_score\":", out);
	cli_json_double(out, r->p_score);
	fputs(",\"mdr_low\":", out);
	cli_json_double(out, r->mdr_low);
	fputs(",\"mdr_high\":", out);
	cli_json_double(out, r->mdr_high);
	fputs(",\"band\":", out);
	cli_json_string(out, parity_band_name(r->band));
	fprintf(out, ",\"low_count\":%s,\"low_count_min\":%" PRIu64 ",\"sentence\":",
	        r->low_count ? "true" : "false", r->low_count_min);
	cli_json_string(out, sentence);
	fputs("}\n", out);
}

int cmd_ratio(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"method", required_argument, NULL, 'm'},
		{"level", required_argument, NULL, 'l'},
		{"low-count", required_argument, NULL, 'n'},
		{"json", no_argument, NULL, 'j'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	parity_stats_settings settings;
	parity_ratio result;
	uint64_t counts[4];
	char sentence[512];
	int json = 0, c, rc;

	parity_stats_settings_default(&settings);
	if ((rc = reject_negative_counts(argc, argv)) != 0)
		return rc;
	optind = 0;
	while ((c = cli_getopt("ratio", argc, argv, "m:l:jh", longopts)) != -1) {
		switch (c) {
		case 'm':
			if (parity_ci_method_parse(&settings.method, optarg) != 0)
				return cli_usage_error("ratio", "--method: %s",
				                       parity_error_last());
			break;
		case 'l':
			if (cli_parse_double(optarg, &settings.level) != 0 ||
			    !(settings.level > 0.0 && settings.level < 1.0))
				return cli_usage_error("ratio", "--level '%s' must be a "
				                       "fraction between 0 and 1, e.g. "
				                       "0.95 for 95%%", optarg);
			break;
		case 'n':
			if (cli_parse_u64(optarg, &settings.low_count_min) != 0)
				return cli_usage_error("ratio", "--low-count '%s' must be "
				                       "a non-negative whole number",
				                       optarg);
			break;
		case 'j':
			json = 1;
			break;
		case 'h':
			print_usage(stdout);
			return 0;
		default:
			return 64; /* cli_getopt has reported it */
		}
	}

	int given = argc - optind;
	if (given != 4) {
		if (given > 4)
			return cli_usage_error("ratio", "expected four counts X1 N1 X2 "
			                       "N2, got %d (unexpected '%s')", given,
			                       argv[optind + 4]);
		return cli_usage_error("ratio", "expected four counts X1 N1 X2 N2, "
		                       "got %d%s%s", given, given ? "; missing " : "",
		                       given ? count_names[given] : "");
	}
	for (int i = 0; i < 4; i++) {
		const char *arg = argv[optind + i];
		if (cli_parse_u64(arg, &counts[i]) != 0)
			return cli_usage_error("ratio", "%s ('%s') must be a "
			                       "non-negative whole number (a count of "
			                       "people)", count_names[i], arg);
		if (counts[i] > PARITY_STATS_MAX_COUNT)
			return cli_usage_error("ratio", "%s (%s) is larger than 10^12, "
			                       "the largest count supported",
			                       count_names[i], arg);
	}
	for (int g = 0; g < 2; g++)
		if (counts[2 * g] > counts[2 * g + 1])
			return cli_usage_error("ratio", "%s (%" PRIu64 ") is larger "
			                       "than %s (%" PRIu64 "): more reached the "
			                       "outcome than the group holds",
			                       count_names[2 * g], counts[2 * g],
			                       count_names[2 * g + 1], counts[2 * g + 1]);

	rc = parity_ratio_compute(&result, counts[0], counts[1], counts[2],
	                          counts[3], &settings);
	if (rc)
		return cli_fail("ratio", rc);
	parity_ratio_sentence(sentence, sizeof sentence, &result, "Group 1",
	                      "group 2", "to reach the outcome");
	if (json)
		print_json(&result, sentence);
	else
		print_text(&result, sentence);
	return 0;
}
