/*
 * cmd_pool.c: `parity pool FILE`: reads strata (stratum,x1,n1,x2,n2) from a
 * CSV file and prints each stratum's ratio and interval, the
 * Mantel-Haenszel pooled ratio with its Greenland-Robins interval, and the
 * Woolf-type homogeneity test, as text or JSON.
 */
#include "cli.h"

#include "parity.h"

#include <csv.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#define POOL_COLUMNS 5

static const char *const column_names[POOL_COLUMNS] = {"stratum", "x1", "n1",
                                                       "x2", "n2"};

/* One stratum as read: its label, counts and where it came from. */
typedef struct pool_row {
	char *name;         /* owned label from the stratum column */
	parity_stratum s;   /* counts */
	uint64_t line;      /* physical line in the file */
} pool_row;

/* Reading state shared with the libcsv callbacks. */
typedef struct pool_reader {
	const char *path;
	uint64_t line;            /* line being parsed (1-based) */
	uint64_t record_line;     /* line the current record started on */
	char *fields[POOL_COLUMNS]; /* owned copies of the current record's fields */
	size_t count;             /* fields in the current record (may exceed 5) */
	int header_seen;          /* 1 once the header has been checked */
	pool_row *rows;           /* owned array */
	size_t rows_used, rows_cap;
	int rc;                   /* first error (parity code), 0 if none */
} pool_reader;

static void print_usage(FILE *out)
{
	fprintf(out,
	        "Usage: parity pool FILE [options]\n"
	        "\n"
	        "Pool relative likelihood ratios over strata (organisations, years,\n"
	        "pay bands) with the Mantel-Haenszel method, and test whether the\n"
	        "strata share one ratio (Woolf-type homogeneity test). Also the\n"
	        "random-effects summary (DerSimonian-Laird tau2, Hartung-Knapp\n"
	        "interval, prediction interval) and each stratum's shrunken ratio.\n"
	        "\n"
	        "FILE is a CSV file with the header stratum,x1,n1,x2,n2 and one row\n"
	        "per stratum: its label, then group 1's count reaching the outcome and\n"
	        "base, then group 2's.\n"
	        "\n"
	        "Options:\n"
	        "  -m, --method M     interval method for each stratum: koopman\n"
	        "                     (default), katz, adjusted-log, mn\n"
	        "  -l, --level L      confidence level in (0, 1); default 0.95\n"
	        "      --low-count N  low-count threshold for each stratum; default 10\n"
	        "  -j, --json         print JSON instead of text\n"
	        "  -h, --help         print this help\n"
	        "\n"
	        "Exit status: 0 success, 64 invalid arguments, 65 bad data in FILE,\n"
	        "66 FILE missing or unreadable, 74 read error.\n");
}

/* Record the first error with its location; later ones are dropped. */
static void reader_fail(pool_reader *r, const char *message)
{
	if (r->rc)
		return;
	r->rc = parity_error_set(PARITY_EDATA, "%s:%" PRIu64 ": %s", r->path,
	                         r->record_line, message);
}

static void clear_fields(pool_reader *r)
{
	for (size_t i = 0; i < POOL_COLUMNS; i++) {
		free(r->fields[i]);
		r->fields[i] = NULL;
	}
	r->count = 0;
}

/* libcsv field callback: keep a copy of the first five fields. */
static void on_field(void *text, size_t len, void *data)
{
	pool_reader *r = data;
	if (r->count == 0)
		r->record_line = r->line;
	if (r->count < POOL_COLUMNS && !r->rc) {
		char *copy = malloc(len + 1);
		if (!copy) {
			r->rc = parity_error_set(PARITY_ENOMEM, "out of memory");
			return;
		}
		if (len)
			memcpy(copy, text, len);
		copy[len] = '\0';
		r->fields[r->count] = copy;
	}
	r->count++;
}

/* Case-insensitive ASCII comparison, skipping a UTF-8 byte-order mark. */
static int same_name(const char *field, const char *name)
{
	if ((unsigned char)field[0] == 0xEF && (unsigned char)field[1] == 0xBB &&
	    (unsigned char)field[2] == 0xBF)
		field += 3;
	for (; *field && *name; field++, name++)
		if ((*field | 0x20) != *name)
			return 0;
	return *field == '\0' && *name == '\0';
}

static void check_header(pool_reader *r)
{
	char got[160] = "", message[320];
	int ok = r->count == POOL_COLUMNS;
	for (size_t i = 0; ok && i < POOL_COLUMNS; i++)
		ok = same_name(r->fields[i], column_names[i]);
	r->header_seen = 1;
	if (ok)
		return;
	for (size_t i = 0; i < r->count && i < POOL_COLUMNS; i++) {
		size_t used = strlen(got);
		snprintf(got + used, sizeof got - used, "%s%.24s", i ? "," : "",
		         r->fields[i]);
	}
	snprintf(message, sizeof message, "the header must be "
	         "'stratum,x1,n1,x2,n2', not '%s%s' (put that header on the first "
	         "line, then one row per stratum)", got,
	         r->count > POOL_COLUMNS ? ",..." : "");
	reader_fail(r, message);
}

/* Parse count column `i` of the current record into *out. */
static int parse_count(pool_reader *r, size_t i, uint64_t *out)
{
	const char *text = r->fields[i];
	char message[256];
	if (!text[0]) {
		snprintf(message, sizeof message, "column '%s' is empty (give the "
		         "count; 0 if there were none)", column_names[i]);
	} else if (cli_parse_u64(text, out) != 0) {
		snprintf(message, sizeof message, "column '%s': '%.40s' is not a "
		         "non-negative whole number (counts of people only)",
		         column_names[i], text);
	} else if (*out > PARITY_STATS_MAX_COUNT) {
		snprintf(message, sizeof message, "column '%s': %.40s is larger than "
		         "10^12, the largest count supported", column_names[i], text);
	} else {
		return 0;
	}
	reader_fail(r, message);
	return -1;
}

static void add_row(pool_reader *r)
{
	char message[256];
	pool_row row = {.line = r->record_line};
	if (r->count != POOL_COLUMNS) {
		snprintf(message, sizeof message, "expected 5 columns "
		         "(stratum,x1,n1,x2,n2), found %zu", r->count);
		reader_fail(r, message);
		return;
	}
	if (parse_count(r, 1, &row.s.x1) || parse_count(r, 2, &row.s.n1) ||
	    parse_count(r, 3, &row.s.x2) || parse_count(r, 4, &row.s.n2))
		return;
	for (int g = 0; g < 2; g++) {
		uint64_t x = g ? row.s.x2 : row.s.x1, n = g ? row.s.n2 : row.s.n1;
		if (x > n) {
			snprintf(message, sizeof message, "column '%s': %" PRIu64 " is "
			         "larger than %s (%" PRIu64 "); more reached the outcome "
			         "than the group holds, so check the row",
			         g ? "x2" : "x1", x, g ? "n2" : "n1", n);
			reader_fail(r, message);
			return;
		}
	}
	if (r->rows_used == r->rows_cap) {
		size_t cap = r->rows_cap ? 2 * r->rows_cap : 16;
		pool_row *grown = realloc(r->rows, cap * sizeof *grown);
		if (!grown) {
			r->rc = parity_error_set(PARITY_ENOMEM, "out of memory");
			return;
		}
		r->rows = grown;
		r->rows_cap = cap;
	}
	row.name = r->fields[0];
	r->fields[0] = NULL; /* ownership moves to the row */
	r->rows[r->rows_used++] = row;
}

/* libcsv record callback: the header first, then one stratum a record. */
static void on_record(int terminator, void *data)
{
	pool_reader *r = data;
	(void)terminator;
	if (!r->rc) {
		if (!r->header_seen)
			check_header(r);
		else
			add_row(r);
	}
	clear_fields(r);
}

/* Read `path` into r->rows. Returns 0 or a parity error with the message
 * set (PARITY_ENOINPUT, PARITY_EIO, PARITY_EDATA). */
static int read_strata(pool_reader *r, const char *path)
{
	struct csv_parser parser;
	FILE *file = NULL;
	char *line = NULL;
	size_t line_cap = 0;
	ssize_t len;
	int parser_ready = 0, rc = 0;

	r->path = path;
	file = fopen(path, "r");
	if (!file) {
		rc = parity_error_set(PARITY_ENOINPUT, "cannot open '%s': %s", path,
		                      strerror(errno));
		goto cleanup;
	}
	if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
		rc = parity_error_set(PARITY_ENOMEM, "out of memory");
		goto cleanup;
	}
	parser_ready = 1;
	/* Line by line, so every record knows the line it started on. */
	while ((len = getline(&line, &line_cap, file)) != -1) {
		r->line++;
		size_t n = (size_t)len;
		if (csv_parse(&parser, line, n, on_field, on_record, r) != n) {
			r->record_line = r->line;
			rc = parity_error_set(PARITY_EDATA, "%s:%" PRIu64 ": malformed "
			                      "CSV (%s); check the quotes on this line",
			                      path, r->line,
			                      csv_strerror(csv_error(&parser)));
			goto cleanup;
		}
		if (r->rc) {
			rc = r->rc;
			goto cleanup;
		}
	}
	if (ferror(file)) {
		rc = parity_error_set(PARITY_EIO, "cannot read '%s': %s", path,
		                      strerror(errno));
		goto cleanup;
	}
	if (csv_fini(&parser, on_field, on_record, r) != 0) {
		rc = parity_error_set(PARITY_EDATA, "%s:%" PRIu64 ": a quoted field "
		                      "is never closed", path, r->record_line);
		goto cleanup;
	}
	if (r->rc) {
		rc = r->rc;
		goto cleanup;
	}
	if (!r->header_seen)
		rc = parity_error_set(PARITY_EDATA, "%s: the file is empty (give the "
		                      "header stratum,x1,n1,x2,n2 and one row per "
		                      "stratum)", path);
	else if (r->rows_used == 0)
		rc = parity_error_set(PARITY_EDATA, "%s: no strata below the header "
		                      "(add one row per stratum: stratum,x1,n1,x2,n2)",
		                      path);
cleanup:
	if (parser_ready)
		csv_free(&parser);
	free(line);
	if (file)
		fclose(file);
	clear_fields(r);
	return rc;
}

static void free_rows(pool_reader *r)
{
	for (size_t i = 0; i < r->rows_used; i++)
		free(r->rows[i].name);
	free(r->rows);
	r->rows = NULL;
	r->rows_used = r->rows_cap = 0;
}

static const char *method_title(parity_ci_method method)
{
	switch (method) {
	case PARITY_CI_KATZ: return "Katz log";
	case PARITY_CI_ADJUSTED_LOG: return "adjusted log";
	case PARITY_CI_MN: return "Miettinen-Nurminen";
	default: return "Koopman";
	}
}

/* A value for the text table: "-" for no estimate, "inf", or 6 digits. */
static void cell(char *buf, size_t size, int estimable, double value)
{
	if (!estimable)
		snprintf(buf, size, "-");
	else if (isinf(value))
		snprintf(buf, size, "inf");
	else
		snprintf(buf, size, "%.6g", value);
}

/* The random-effects lines: summary, prediction interval, shrunken ratios. */
static void print_random(const pool_reader *r, const parity_random_effects *re,
                         const double *shrunk)
{
	if (!re->estimable) {
		printf("Random effects: not estimated (needs two strata with an "
		       "estimate)\n");
		return;
	}
	printf("Random effects (DerSimonian-Laird, Hartung-Knapp interval): %.10g "
	       "(%.4g%% CI %.10g to %.10g), tau2 = %.4g over %zu strata\n",
	       re->ratio, re->level * 100.0, re->ci_low, re->ci_high, re->tau2,
	       re->used);
	if (re->prediction_estimable)
		printf("Prediction interval for a new stratum: %.10g to %.10g\n",
		       re->pi_low, re->pi_high);
	printf("Shrunken (empirical Bayes) ratios:");
	for (size_t i = 0; i < r->rows_used; i++)
		if (!isnan(shrunk[i]))
			printf("%s %s %.4g", i ? "," : "", r->rows[i].name, shrunk[i]);
	printf("\n");
}

static void print_text(const pool_reader *r, const parity_ratio *ratios,
                       const parity_pooled *p, const parity_stats_settings *s)
{
	char a[32], b[32], c[32], counts1[48], counts2[48];
	int width = 7;
	for (size_t i = 0; i < r->rows_used; i++) {
		int len = (int)strlen(r->rows[i].name);
		if (len > width)
			width = len > 30 ? 30 : len;
	}
	printf("%-*s  %15s  %15s  %10s  %.4g%% CI (%s)\n", width, "Stratum",
	       "Group 1", "Group 2", "Ratio", s->level * 100.0,
	       method_title(s->method));
	for (size_t i = 0; i < r->rows_used; i++) {
		const parity_ratio *q = &ratios[i];
		snprintf(counts1, sizeof counts1, "%" PRIu64 "/%" PRIu64, q->x1, q->n1);
		snprintf(counts2, sizeof counts2, "%" PRIu64 "/%" PRIu64, q->x2, q->n2);
		cell(a, sizeof a, q->estimable, q->ratio);
		cell(b, sizeof b, q->estimable, q->ci_low);
		cell(c, sizeof c, q->estimable, q->ci_high);
		printf("%-*.*s  %15s  %15s  %10s  %s to %s%s\n", width, width,
		       r->rows[i].name, counts1, counts2, a, b, c,
		       q->low_count ? "  (low count)" : "");
	}
	printf("\n");
	if (!p->estimable) {
		printf("Mantel-Haenszel pooled ratio: no estimate (no stratum has a "
		       "case in either group)\n");
		return;
	}
	cell(a, sizeof a, 1, p->ratio);
	printf("Mantel-Haenszel pooled ratio: %.10g (%.4g%% CI %.10g to %.10g, "
	       "Greenland-Robins)\n", p->ratio, p->level * 100.0, p->ci_low,
	       p->ci_high);
	if (isfinite(p->ratio) && p->ratio > 0.0)
		printf("Test of ratio 1: z = %.4g, p = %.4g; band: %s\n", p->z, p->p,
		       parity_band_name(p->band));
	else
		printf("The pooled ratio is %s: the Greenland-Robins interval is not "
		       "defined, so the interval shown is 0 to infinity.\n", a);
	if (p->homogeneity_estimable)
		printf("Homogeneity (Woolf-type): Q = %.4g on %u df, p = %.4g "
		       "(%zu strata; %zu with a zero count used x+0.5)\n", p->q,
		       p->df, p->p_homogeneity, p->q_strata, p->q_adjusted);
	else
		printf("Homogeneity (Woolf-type): not tested (needs two strata with "
		       "an estimate and a finite pooled ratio)\n");
}

/* A JSON number, or null when `estimable` is 0. */
static void json_value(int estimable, double value)
{
	if (!estimable)
		fputs("null", stdout);
	else
		cli_json_double(stdout, value);
}

static void print_json(const pool_reader *r, const parity_ratio *ratios,
                       const parity_pooled *p, const parity_stats_settings *s,
                       const parity_random_effects *re, const double *shrunk)
{
	printf("{\"method\":");
	cli_json_string(stdout, parity_ci_method_name(s->method));
	printf(",\"level\":");
	cli_json_double(stdout, s->level);
	printf(",\"strata\":[");
	for (size_t i = 0; i < r->rows_used; i++) {
		const parity_ratio *q = &ratios[i];
		printf("%s{\"stratum\":", i ? "," : "");
		cli_json_string(stdout, r->rows[i].name);
		printf(",\"x1\":%" PRIu64 ",\"n1\":%" PRIu64 ",\"x2\":%" PRIu64
		       ",\"n2\":%" PRIu64 ",\"estimable\":%s,\"ratio\":", q->x1, q->n1,
		       q->x2, q->n2, q->estimable ? "true" : "false");
		json_value(q->estimable, q->ratio);
		printf(",\"ci_low\":");
		json_value(q->estimable, q->ci_low);
		printf(",\"ci_high\":");
		json_value(q->estimable, q->ci_high);
		printf(",\"p_fisher\":");
		cli_json_double(stdout, q->p_fisher);
		printf(",\"band\":");
		cli_json_string(stdout, parity_band_name(q->band));
		printf(",\"low_count\":%s,\"shrunk_ratio\":", q->low_count ? "true" : "false");
		cli_json_double(stdout, shrunk[i]);
		printf("}");
	}
	printf("],\"pooled\":{\"estimable\":%s,\"ratio\":",
	       p->estimable ? "true" : "false");
	json_value(p->estimable, p->ratio);
	printf(",\"ci_low\":");
	json_value(p->estimable, p->ci_low);
	printf(",\"ci_high\":");
	json_value(p->estimable, p->ci_high);
	printf(",\"log_se\":");
	json_value(p->estimable, p->log_se);
	printf(",\"z\":");
	json_value(p->estimable, p->z);
	printf(",\"p\":");
	json_value(p->estimable, p->p);
	printf(",\"band\":");
	cli_json_string(stdout, parity_band_name(p->band));
	printf(",\"excludes_one\":%s,\"q\":", p->excludes_one ? "true" : "false");
	json_value(p->homogeneity_estimable, p->q);
	printf(",\"df\":%u,\"p_homogeneity\":", p->df);
	json_value(p->homogeneity_estimable, p->p_homogeneity);
	printf(",\"homogeneity_estimable\":%s,\"strata\":%zu,\"informative_strata\""
	       ":%zu,\"strata_in_q\":%zu,\"strata_adjusted_in_q\":%zu}",
	       p->homogeneity_estimable ? "true" : "false", p->strata,
	       p->informative, p->q_strata, p->q_adjusted);
	printf(",\"random_effects\":{\"estimable\":%s,\"re_ratio\":",
	       re->estimable ? "true" : "false");
	json_value(re->estimable, re->ratio);
	printf(",\"re_low\":");
	json_value(re->estimable, re->ci_low);
	printf(",\"re_high\":");
	json_value(re->estimable, re->ci_high);
	printf(",\"tau2\":");
	json_value(re->estimable, re->tau2);
	printf(",\"pi_low\":");
	json_value(re->prediction_estimable, re->pi_low);
	printf(",\"pi_high\":");
	json_value(re->prediction_estimable, re->pi_high);
	printf(",\"strata_used\":%zu}}\n", re->used);
}

int cmd_pool(int argc, char **argv)
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
	pool_reader reader = {0};
	parity_ratio *ratios = NULL;
	parity_stratum *strata = NULL;
	parity_pooled pooled;
	parity_random_effects random;
	double *shrunk = NULL;
	int json = 0, c, rc, status = 0;

	parity_stats_settings_default(&settings);
	optind = 0;
	while ((c = cli_getopt("pool", argc, argv, "m:l:jh", longopts)) != -1) {
		switch (c) {
		case 'm':
			if (parity_ci_method_parse(&settings.method, optarg) != 0)
				return cli_usage_error("pool", "--method: %s",
				                       parity_error_last());
			break;
		case 'l':
			if (cli_parse_double(optarg, &settings.level) != 0 ||
			    !(settings.level > 0.0 && settings.level < 1.0))
				return cli_usage_error("pool", "--level '%s' must be a "
				                       "fraction between 0 and 1, e.g. "
				                       "0.95 for 95%%", optarg);
			break;
		case 'n':
			if (cli_parse_u64(optarg, &settings.low_count_min) != 0)
				return cli_usage_error("pool", "--low-count '%s' must be a "
				                       "non-negative whole number", optarg);
			break;
		case 'j':
			json = 1;
			break;
		case 'h':
			print_usage(stdout);
			return 0;
		default:
			return EX_USAGE; /* cli_getopt has reported it */
		}
	}
	if (argc - optind == 0)
		return cli_usage_error("pool", "give the strata file: parity pool FILE");
	if (argc - optind > 1)
		return cli_usage_error("pool", "give exactly one strata file (got %d "
		                       "arguments; unexpected '%s')", argc - optind,
		                       argv[optind + 1]);

	if ((rc = read_strata(&reader, argv[optind])) != 0) {
		status = cli_fail("pool", rc);
		goto cleanup;
	}
	ratios = calloc(reader.rows_used, sizeof *ratios);
	strata = calloc(reader.rows_used, sizeof *strata);
	if (!ratios || !strata) {
		status = cli_fail("pool", parity_error_set(PARITY_ENOMEM, "out of memory"));
		goto cleanup;
	}
	for (size_t i = 0; i < reader.rows_used; i++) {
		const parity_stratum *s = &reader.rows[i].s;
		strata[i] = *s;
		rc = parity_ratio_compute(&ratios[i], s->x1, s->n1, s->x2, s->n2,
		                          &settings);
		if (rc) {
			status = cli_fail("pool", rc);
			goto cleanup;
		}
	}
	if ((rc = parity_pool_mh(&pooled, strata, reader.rows_used, settings.level)) != 0) {
		status = cli_fail("pool", rc);
		goto cleanup;
	}
	shrunk = calloc(reader.rows_used ? reader.rows_used : 1, sizeof *shrunk);
	if (!shrunk) {
		status = cli_fail("pool", parity_error_set(PARITY_ENOMEM, "out of memory"));
		goto cleanup;
	}
	if ((rc = parity_pool_random(&random, shrunk, strata, reader.rows_used,
	                             settings.level)) != 0) {
		status = cli_fail("pool", rc);
		goto cleanup;
	}
	if (json) {
		print_json(&reader, ratios, &pooled, &settings, &random, shrunk);
	} else {
		print_text(&reader, ratios, &pooled, &settings);
		print_random(&reader, &random, shrunk);
	}
cleanup:
	free(shrunk);
	free(ratios);
	free(strata);
	free_rows(&reader);
	return status;
}
