/*
 * opts.c: helpers shared by the subcommands: option parsing that reports
 * mistakes with suggestions, strict number parsing, JSON value output and
 * error-to-exit-status mapping.
 */
#include "cli.h"

#include "parity.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

/* Is `a` `b` with two neighbouring letters swapped ("yaer", "year")? */
static int one_swap(const char *a, const char *b)
{
	size_t n = strlen(a), i = 0;
	if (n != strlen(b) || n < 2)
		return 0;
	while (i < n && a[i] == b[i])
		i++;
	return i + 1 < n && a[i] == b[i + 1] && a[i + 1] == b[i] &&
	       strcmp(a + i + 2, b + i + 2) == 0;
}

const char *cli_closest(const char *word, const char *const *candidates)
{
	const char *best = NULL;
	size_t best_distance = (size_t)-1;
	size_t len = strlen(word);
	size_t limit = len <= 4 ? 1 : (len <= 8 ? 2 : 3);
	for (size_t i = 0; candidates[i]; i++) {
		size_t d = parity_edit_distance(word, candidates[i]);
		/* A prefix of a candidate counts as close too ("--meth"). */
		if (len >= 3 && strncmp(word, candidates[i], len) == 0)
			d = 1;
		/* So does a swap of two neighbouring letters, the commonest slip. */
		if (d > 1 && one_swap(word, candidates[i]))
			d = 1;
		if (d < best_distance) {
			best_distance = d;
			best = candidates[i];
		}
	}
	return best_distance <= limit ? best : NULL;
}

int cli_usage_error(const char *command, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "parity %s: ", command);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'parity %s --help'.\n", command);
	return EX_USAGE;
}

/* Suggest the long option closest to the mistyped one `arg` ("--levl=3"). */
static void report_bad_option(const char *command, const char *arg,
                              const struct option *longopts)
{
	const char *names[128];
	size_t count = 0;
	for (size_t i = 0; longopts[i].name && count < 127; i++)
		names[count++] = longopts[i].name;
	names[count] = NULL;

	char word[128];
	const char *start = arg;
	while (*start == '-')
		start++;
	size_t len = strcspn(start, "=");
	if (len >= sizeof word)
		len = sizeof word - 1;
	memcpy(word, start, len);
	word[len] = '\0';

	const char *close = cli_closest(word, names);
	if (close)
		cli_usage_error(command, "unknown option '%s'; did you mean '--%s'?",
		                arg, close);
	else
		cli_usage_error(command, "unknown option '%s'", arg);
}

int cli_getopt(const char *command, int argc, char **argv,
               const char *shortopts, const struct option *longopts)
{
	char spec[128];
	/* A leading ':' makes getopt return ':' for a missing argument. */
	snprintf(spec, sizeof spec, ":%s", shortopts);
	opterr = 0;
	int index = -1;
	int c = getopt_long(argc, argv, spec, longopts, &index);
	if (c == '?') {
		const char *arg = argv[optind - 1];
		if (optopt && !(arg[0] == '-' && arg[1] == '-')) {
			char shown[3] = {'-', (char)optopt, '\0'};
			report_bad_option(command, shown, longopts);
		} else {
			report_bad_option(command, arg, longopts);
		}
		return '?';
	}
	if (c == ':') {
		cli_usage_error(command, "option '%s' needs a value",
		                argv[optind - 1]);
		return '?';
	}
	return c;
}

int cli_fail(const char *command, int rc)
{
	const char *message = parity_error_last();
	fprintf(stderr, "parity %s: error: %s\n", command,
	        message[0] ? message : "failed");
	return parity_exit_status(rc);
}

int cli_parse_u64(const char *text, uint64_t *out)
{
	if (!text || !*text || *text == '-' || *text == '+' || *text == ' ')
		return -1;
	for (const char *p = text; *p; p++)
		if (*p < '0' || *p > '9')
			return -1;
	errno = 0;
	char *end = NULL;
	unsigned long long value = strtoull(text, &end, 10);
	if (errno || *end)
		return -1;
	*out = (uint64_t)value;
	return 0;
}

int cli_parse_double(const char *text, double *out)
{
	if (!text || !*text)
		return -1;
	errno = 0;
	char *end = NULL;
	double value = strtod(text, &end);
	if (errno || *end || !isfinite(value))
		return -1;
	*out = value;
	return 0;
}

int cli_parse_delimiter(const char *text, char *out)
{
	if (!strcmp(text, ",") || !strcmp(text, "comma"))
		*out = ',';
	else if (!strcmp(text, ";") || !strcmp(text, "semicolon"))
		*out = ';';
	else if (!strcmp(text, "tab") || !strcmp(text, "\\t") || !strcmp(text, "\t"))
		*out = '\t';
	else
		return -1;
	return 0;
}
