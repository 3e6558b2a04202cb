/*
 * test_report.c: the rendering layer: small-number suppression (within a
 * table, across linked tables, and the figures of suppressed rows), number
 * formatting, the chart's axis, and the board report and its files
 * (written atomically, readable by poppler, every part present, errors
 * reported).
 */
#include "chart.h"
#include "draw.h"

#include "harness.h"
#include "parity.h"

#include <dirent.h>
#include <fontconfig/fontconfig.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- helpers --------------------------------------------------------------- */

/* Append one row, its ratio computed by the statistics module. */
static void add_row(parity_results *res, const char *kind, const char *stratum,
                    uint64_t x1, uint64_t n1, uint64_t x2, uint64_t n2)
{
	if (res->count >= res->capacity) {
		CHECK(res->count < res->capacity);
		return;
	}
	parity_result_row *row = &res->rows[res->count++];
	memset(row, 0, sizeof *row);
	snprintf(row->indicator, sizeof row->indicator, "WRES2");
	snprintf(row->grouping, sizeof row->grouping, "white_bme");
	snprintf(row->group1, sizeof row->group1, "White");
	snprintf(row->group2, sizeof row->group2, "BME");
	snprintf(row->stratum_kind, sizeof row->stratum_kind, "%s", kind);
	snprintf(row->stratum, sizeof row->stratum, "%s", stratum);
	snprintf(row->period, sizeof row->period, "2025/26");
	int rc = parity_ratio_compute(&row->ratio, x1, n1, x2, n2, &res->settings);
	CHECK(rc == 0);
}

/*
 * A result set of `orgs` organisations (R0A, R0B, ...) with varied counts,
 * plus the overall row summing them. Organisation 0 is 27/39 vs 7/21, whose
 * ratio is 2.076923 (DOMAIN.md section 5): printed "2.08".
 */
static parity_results *make_results(size_t orgs)
{
	parity_results *res = calloc(1, sizeof *res);
	res->capacity = orgs + 1;
	res->rows = calloc(res->capacity, sizeof *res->rows);
	snprintf(res->period, sizeof res->period, "2025/26");
	parity_stats_settings_default(&res->settings);
	res->excluded_not_stated = 37;
	uint64_t sx1 = 0, sn1 = 0, sx2 = 0, sn2 = 0;
	for (size_t i = 0; i < orgs; i++) {
		char code[16];
		snprintf(code, sizeof code, "R%c%c", (char)('0' + (i / 26) % 10),
		         (char)('A' + i % 26));
		uint64_t n1 = 39, x1 = 27, n2 = 21, x2 = 7;
		if (i > 0) {
			n1 = 60 + 17 * i % 140;
			x1 = n1 / (3 + i % 4);
			n2 = 25 + 11 * i % 90;
			x2 = n2 / (4 + i % 5);
		}
		add_row(res, "organisation", code, x1, n1, x2, n2);
		sx1 += x1, sn1 += n1, sx2 += x2, sn2 += n2;
	}
	add_row(res, "overall", "All organisations", sx1, sn1, sx2, sn2);
	return res;
}

static void free_results(parity_results *res)
{
	free(res->rows);
	free(res);
}

/* 1 when `tool` is on the PATH. When it is not, the current test fails
 * (saying what to install) rather than skipping the checks that need it:
 * a missing tool must not turn a test green. */
static int need_tool(const char *tool)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", tool);
	if (system(cmd) == 0)
		return 1;
	fprintf(stderr, "%s is not installed: sh .ci/install-deps installs it\n", tool);
	harness_failures++;
	return 0;
}

/* Run `cmd` and return its standard output (malloc'd), or NULL. */
static char *run(const char *cmd)
{
	FILE *p = popen(cmd, "r");
	if (!p)
		return NULL;
	size_t cap = 4096, len = 0;
	char *buf = malloc(cap);
	size_t got;
	while ((got = fread(buf + len, 1, cap - len - 1, p)) > 0) {
		len += got;
		if (cap - len < 2) {
			cap *= 2;
			buf = realloc(buf, cap);
		}
	}
	buf[len] = '\0';
	if (pclose(p) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

static char *make_dir(void)
{
	char *dir = strdup("/tmp/parity-report-test-XXXXXX");
	CHECK(mkdtemp(dir) != NULL);
	return dir;
}

/* Names in `dir`, sorted, space-separated (for "no temporary file left"). */
static void list_dir(char *out, size_t size, const char *dir)
{
	char cmd[512];
	snprintf(cmd, sizeof cmd, "ls -A '%s' | tr '\\n' ' '", dir);
	char *text = run(cmd);
	snprintf(out, size, "%s", text ? text : "?");
	free(text);
}

static void remove_dir(char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[1024];
	while (d && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' && (!e->d_name[1] ||
		    (e->d_name[1] == '.' && !e->d_name[2])))
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		unlink(path);
	}
	if (d)
		closedir(d);
	rmdir(dir);
	free(dir);
}

static int starts_with_file(const char *path, const char *magic, size_t len)
{
	char buf[16] = {0};
	FILE *f = fopen(path, "rb");
	if (!f)
		return 0;
	size_t got = fread(buf, 1, len, f);
	fclose(f);
	return got == len && memcmp(buf, magic, len) == 0;
}

static int pdf_pages(const char *pdf)
{
	char cmd[600];
	snprintf(cmd, sizeof cmd, "pdfinfo '%s' 2>/dev/null", pdf);
	char *info = run(cmd);
	int pages = -1;
	const char *p = info ? strstr(info, "Pages:") : NULL;
	if (p)
		pages = atoi(p + 6);
	free(info);
	return pages;
}

/* True when pdfinfo output `info` has the line "<field>:   <value>". */
static int info_is(const char *info, const char *field, const char *value)
{
	char key[64];
	snprintf(key, sizeof key, "\n%s:", field);
	if (!info)
		return 0;
	const char *p;
	if (strncmp(info, key + 1, strlen(key + 1)) == 0) {
		p = info + strlen(key + 1);
	} else {
		p = strstr(info, key);
		if (!p)
			return 0;
		p += strlen(key);
	}
	while (*p == ' ')
		p++;
	size_t len = strlen(value);
	return strncmp(p, value, len) == 0 && (p[len] == '\n' || !p[len]);
}

/* True when `word` occurs in `text` with no letter either side ("nan" in
 * "financial" does not count). */
static int has_word(const char *text, const char *word)
{
	size_t len = strlen(word);
	for (const char *p = text; p && (p = strstr(p, word)) != NULL; p++) {
		int before = p > text && ((p[-1] >= 'a' && p[-1] <= 'z') ||
		                          (p[-1] >= 'A' && p[-1] <= 'Z'));
		char c = p[len];
		int after = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
		if (!before && !after)
			return 1;
	}
	return 0;
}

/* The whole of `path` (malloc'd), or NULL. */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 4096, len = 0, got;
	char *buf = malloc(cap);
	while (buf && (got = fread(buf + len, 1, cap - len - 1, f)) > 0) {
		len += got;
		if (cap - len < 2) {
			char *grown = realloc(buf, cap * 2);
			if (!grown) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = grown;
			cap *= 2;
		}
	}
	fclose(f);
	if (buf)
		buf[len] = '\0';
	return buf;
}

/* The line of report-tables.csv text `csv` that holds `key` (a prefix of
 * its first columns, e.g. "by_organisation,WRES2,white_bme,organisation,R0B,"),
 * copied into `out`; 0 when there is none. */
static int csv_line(char *out, size_t size, const char *csv, const char *key)
{
	const char *p = csv ? strstr(csv, key) : NULL;
	if (!p)
		return 0;
	size_t len = strcspn(p, "\n");
	snprintf(out, size, "%.*s", (int)len, p);
	return 1;
}

/* The pdftotext output of `dir`/board-report.pdf (malloc'd), or NULL. */
static char *pdf_text(const char *dir, int layout)
{
	char cmd[700];
	snprintf(cmd, sizeof cmd, "pdftotext %s '%s/board-report.pdf' -",
	         layout ? "-layout" : "", dir);
	return run(cmd);
}

/* Write the report for `res` into a new folder; returns the folder. */
static char *write_report(const parity_results *res, unsigned suppress_below)
{
	char *dir = make_dir();
	parity_report_options opt = {0};
	opt.title = "Test board report";
	opt.author = "Equality team";
	opt.suppress_below = suppress_below;
	int rc = parity_report_write(res, &opt, dir);
	if (rc)
		fprintf(stderr, "parity_report_write: %s\n", parity_error_last());
	CHECK(rc == 0);
	return dir;
}

/* ---- formatting and axis ---------------------------------------------------- */

static void test_format_numbers(void)
{
	char buf[64];
	CHECK_STR(draw_format_count(buf, sizeof buf, 0), "0");
	CHECK_STR(draw_format_count(buf, sizeof buf, 999), "999");
	CHECK_STR(draw_format_count(buf, sizeof buf, 1234567), "1,234,567");
	CHECK_STR(draw_format_ratio(buf, sizeof buf, 2.076923077), "2.08");
	CHECK_STR(draw_format_ratio(buf, sizeof buf, 0), "0.00");
	CHECK_STR(draw_format_ratio(buf, sizeof buf, 0.001), "<0.01");
	CHECK_STR(draw_format_ratio(buf, sizeof buf, INFINITY), "\u221E");
	CHECK_STR(draw_format_interval(buf, sizeof buf, 1.4, 1.85), "1.40 to 1.85");
	CHECK_STR(draw_format_rate(buf, sizeof buf, 27, 39), "69.2%");
	CHECK_STR(draw_format_rate(buf, sizeof buf, 0, 0), "-");
}

static void test_chart_range(void)
{
	double lo, hi;
	chart_ratio_item inside[] = {{"A", 1.1, 0.9, 1.2, 1, 0, 0, 0, 0, 0, NULL}};
	chart_ratio_range(&lo, &hi, inside, 1);
	CHECK_NEAR(lo, 0.5, 1e-12); /* 0.8 / 1.1 rounds down to 0.5 */
	CHECK_NEAR(hi, 2, 1e-12);   /* 1.25 * 1.1 rounds up to 2 */

	/* An infinite upper limit and a zero lower limit do not stretch the
	 * axis beyond 0.1 .. 10 (before padding and rounding). */
	chart_ratio_item wide[] = {{"A", 3, 0, INFINITY, 1, 0, 0, 0, 0, 0, NULL}};
	chart_ratio_range(&lo, &hi, wide, 1);
	CHECK_NEAR(lo, 0.5, 1e-12);
	CHECK_NEAR(hi, 5, 1e-12);
	chart_ratio_item far[] = {{"A", 2, 0.05, 60, 1, 0, 0, 0, 0, 0, NULL}};
	chart_ratio_range(&lo, &hi, far, 1);
	CHECK_NEAR(lo, 0.05, 1e-12); /* 0.1 / 1.1 -> 0.05 */
	CHECK_NEAR(hi, 20, 1e-12);   /* 10 * 1.1 -> 20 */
}

/* ---- the report ---------------------------------------------------------- */

static void test_report_writes_pdf(void)
{
	parity_results *res = make_results(6);
	char *dir = write_report(res, 0);
	char pdf[600], listing[600];
	snprintf(pdf, sizeof pdf, "%s/board-report.pdf", dir);
	CHECK(starts_with_file(pdf, "%PDF", 4));
	list_dir(listing, sizeof listing, dir);
	CHECK_STR(listing, "board-report.html board-report.pdf report-tables.csv "
	          "wres2-by-organisation.png wres2-by-organisation.svg ");
	int pages = 0;

	if (need_tool("pdfinfo")) {
		/* Summary, the indicator, characteristics-free breakdowns (none
		 * here), data quality, methods, reproducibility. */
		pages = pdf_pages(pdf);
		CHECK(pages >= 4 && pages <= 8);
		char cmd[700];
		snprintf(cmd, sizeof cmd, "pdfinfo '%s'", pdf);
		char *info = run(cmd);
		CHECK(info_is(info, "Title", "Test board report"));
		CHECK(info_is(info, "Author", "Equality team"));
		CHECK(info_is(info, "Creator", "parity " PARITY_VERSION_STRING));
		CHECK(info_is(info, "Page size", "595.276 x 841.89 pts (A4)"));
		free(info);
	}
	if (need_tool("pdftotext")) {
		char cmd[700];
		snprintf(cmd, sizeof cmd, "pdftotext -layout '%s' -", pdf);
		char *text = run(cmd);
		CHECK(text != NULL);
		if (text) {
			CHECK(strstr(text, "R0A") && strstr(text, "R0F"));
			CHECK(strstr(text, "2.08")); /* 27/39 vs 7/21 */
			char first[32], last[32];
			snprintf(first, sizeof first, "Page 1 of %d", pages);
			snprintf(last, sizeof last, "Page %d of %d", pages, pages);
			CHECK(pages == 0 || (strstr(text, first) && strstr(text, last)));
			CHECK(strstr(text, "summary for the board"));
			CHECK(strstr(text, "WRES indicator 2: appointment from "
			             "shortlisting"));
			CHECK(strstr(text, "Data quality"));
			CHECK(strstr(text, "Methods"));
			CHECK(strstr(text, "Small numbers"));
			CHECK(strstr(text, "Reproducibility"));
			CHECK(strstr(text, "times as likely"));
			CHECK(!strstr(text, "times more likely"));
			CHECK(!strstr(text, "% more likely"));
			CHECK(strstr(text, "Relative likelihood (log scale)"));
			CHECK(strstr(text, "Fisher"));
			CHECK(strstr(text, "Koopman"));
			CHECK(strstr(text, "not stated or not known"));
			CHECK(!has_word(text, "nan") && !has_word(text, "NaN"));
		}
		free(text);
	}
	if (need_tool("pdffonts")) {
		char cmd[700];
		snprintf(cmd, sizeof cmd, "pdffonts '%s'", pdf);
		char *fonts = run(cmd);
		CHECK(fonts && strstr(fonts, "DejaVuSans"));
		CHECK(fonts && !strstr(fonts, " no  ")); /* every font embedded */
		free(fonts);
	}
	remove_dir(dir);
	free_results(res);
}

/* True when a table line (one starting with an organisation code) in the
 * pdftotext -layout output shows a bare count of 1..4. */
static int table_shows_small_count(const char *text)
{
	const char *line = text;
	while (line && *line) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		char buf[512];
		snprintf(buf, sizeof buf, "%.*s", (int)(len < 511 ? len : 511), line);
		char *p = buf;
		while (*p == ' ')
			p++;
		if (p[0] == 'R' && p[1] == '0' && p[2] >= 'A' && p[2] <= 'Z') {
			for (char *tok = strtok(p, " "); tok; tok = strtok(NULL, " "))
				if (strlen(tok) == 1 && tok[0] >= '1' && tok[0] <= '4')
					return 1;
		}
		line = end ? end + 1 : NULL;
	}
	return 0;
}

static void test_report_suppresses_small_counts(void)
{
	parity_results *res = make_results(4);
	/* R0B: 3 of 40 White appointed and 2 of 30 BME; R0C: 4 BME
	 * appointed. Overall recomputed as the sum. */
	res->count = 0;
	add_row(res, "organisation", "R0A", 27, 39, 7, 21);
	add_row(res, "organisation", "R0B", 3, 40, 2, 30);
	add_row(res, "organisation", "R0C", 20, 60, 4, 35);
	add_row(res, "organisation", "R0D", 18, 50, 9, 44);
	add_row(res, "overall", "All organisations", 68, 189, 22, 130);
	if (need_tool("pdftotext")) {
		char *dir = write_report(res, 0);
		char cmd[700];
		snprintf(cmd, sizeof cmd, "pdftotext -layout '%s/board-report.pdf' -",
		         dir);
		char *text = run(cmd);
		/* The check can see small counts when they are there... */
		CHECK(text && table_shows_small_count(text));
		free(text);
		remove_dir(dir);

		dir = write_report(res, 5);
		snprintf(cmd, sizeof cmd, "pdftotext -layout '%s/board-report.pdf' -",
		         dir);
		text = run(cmd);
		/* ...and with suppression there are none, "<5" and "[c]" instead. */
		CHECK(text && !table_shows_small_count(text));
		CHECK(text && strstr(text, "<5"));
		CHECK(text && strstr(text, "[c]"));
		free(text);
		remove_dir(dir);
	}
	free_results(res);
}

static void test_report_summary_keeps_suppressed_counts_out(void)
{
	/* One organisation with 3 of 30 and 2 of 20 appointed: the engine's
	 * low-count sentence would quote "5 reached the outcome", so with
	 * suppression on the summary uses wording without counts. */
	parity_results *res = make_results(1);
	res->count = 0;
	add_row(res, "organisation", "R0A", 3, 30, 2, 20);
	add_row(res, "overall", "All organisations", 3, 30, 2, 20);
	CHECK(res->rows[1].ratio.low_count);
	if (need_tool("pdftotext")) {
		char *dir = write_report(res, 5);
		char cmd[700];
		snprintf(cmd, sizeof cmd, "pdftotext '%s/board-report.pdf' -", dir);
		char *text = run(cmd);
		CHECK(text && strstr(text, "too small to publish"));
		CHECK(text && !strstr(text, "reached the outcome across"));
		CHECK(text && strstr(text, "too few cases to draw a conclusion"));
		free(text);
		remove_dir(dir);
	}
	free_results(res);
}

static void test_report_unwritable_folder(void)
{
	char *dir = make_dir();
	char file[600], target[700], listing[600];
	snprintf(file, sizeof file, "%s/plain-file", dir);
	FILE *f = fopen(file, "w");
	CHECK(f != NULL);
	if (f)
		fclose(f);
	/* A folder under a regular file fails with ENOTDIR, even as root. */
	snprintf(target, sizeof target, "%s/sub", file);
	parity_results *res = make_results(3);
	parity_report_options opt = {0};
	int rc = parity_report_write(res, &opt, target);
	CHECK(rc == PARITY_EIO);
	CHECK(strstr(parity_error_last(), "plain-file") != NULL);
	list_dir(listing, sizeof listing, dir);
	CHECK_STR(listing, "plain-file ");
	free_results(res);
	remove_dir(dir);
}

static void test_report_bad_arguments(void)
{
	parity_results *res = make_results(1);
	CHECK(parity_report_write(NULL, NULL, "/tmp") == PARITY_EUSAGE);
	CHECK(parity_report_write(res, NULL, NULL) == PARITY_EUSAGE);
	parity_results empty = {0};
	CHECK(parity_report_write(&empty, NULL, "/tmp") == PARITY_EDATA);
	free_results(res);
}

static void test_report_one_and_forty_organisations(void)
{
	size_t sizes[] = {1, 40};
	for (size_t k = 0; k < 2; k++) {
		parity_results *res = make_results(sizes[k]);
		char *dir = write_report(res, 5);
		char pdf[600];
		snprintf(pdf, sizeof pdf, "%s/board-report.pdf", dir);
		CHECK(starts_with_file(pdf, "%PDF", 4));
		if (need_tool("pdfinfo")) {
			int pages = pdf_pages(pdf);
			/* 40: the chart and the table run over more pages. */
			CHECK(sizes[k] == 1 ? pages >= 4 && pages <= 8
			                    : pages >= 6 && pages <= 12);
		}
		if (need_tool("pdftotext") && sizes[k] == 40) {
			char cmd[700];
			snprintf(cmd, sizeof cmd, "pdftotext '%s' -", pdf);
			char *text = run(cmd);
			CHECK(text && strstr(text, "R1N")); /* the 40th */
			free(text);
		}
		remove_dir(dir);
		free_results(res);
	}
}

/*
 * 40 organisations of which 30 have 2 people with the outcome in the second
 * group (a count from 1 to 4, hidden at the default threshold of 5): the
 * chart shows the 10 others and one row "30 other organisations", not 30
 * rows that say only "suppressed". With no hidden counts there is no such
 * row.
 */
static void test_report_collapses_many_hidden_organisations(void)
{
	for (int hide = 0; hide < 2; hide++) {
		parity_results *res = calloc(1, sizeof *res);
		res->capacity = 41;
		res->rows = calloc(res->capacity, sizeof *res->rows);
		snprintf(res->period, sizeof res->period, "2025/26");
		parity_stats_settings_default(&res->settings);
		uint64_t sx1 = 0, sn1 = 0, sx2 = 0, sn2 = 0;
		for (size_t i = 0; i < 40; i++) {
			char code[16];
			snprintf(code, sizeof code, "R%c%c", (char)('0' + i / 26),
			         (char)('A' + i % 26));
			uint64_t x1 = 30, n1 = 100, x2 = hide && i < 30 ? 2 : 20, n2 = 100;
			add_row(res, "organisation", code, x1, n1, x2, n2);
			sx1 += x1, sn1 += n1, sx2 += x2, sn2 += n2;
		}
		add_row(res, "overall", "All organisations", sx1, sn1, sx2, sn2);
		char *dir = write_report(res, 5);
		if (need_tool("pdftotext")) {
			char cmd[700];
			snprintf(cmd, sizeof cmd, "pdftotext '%s/board-report.pdf' -", dir);
			char *text = run(cmd);
			CHECK(text != NULL);
			if (text) {
				CHECK((strstr(text, "30 other organisations") != NULL) == hide);
				CHECK(strstr(text, "R1N") != NULL); /* in the table at least */
			}
			free(text);
		}
		remove_dir(dir);
		free_results(res);
	}
}

static void test_report_infinite_and_missing_estimates(void)
{
	parity_results *res = make_results(4);
	res->count = 0;
	add_row(res, "organisation", "R0A", 27, 39, 7, 21);
	add_row(res, "organisation", "R0B", 3, 4, 0, 2);  /* ratio infinite */
	add_row(res, "organisation", "R0C", 0, 16, 15, 72); /* ratio 0 */
	add_row(res, "organisation", "R0D", 0, 10, 0, 12); /* no estimate */
	add_row(res, "overall", "All organisations", 30, 69, 22, 107);
	CHECK(isinf(res->rows[1].ratio.ci_high));
	CHECK(!res->rows[3].ratio.estimable);
	char *dir = write_report(res, 0);
	if (need_tool("pdftotext")) {
		char cmd[700];
		snprintf(cmd, sizeof cmd, "pdftotext '%s/board-report.pdf' -", dir);
		char *text = run(cmd);
		CHECK(text && strstr(text, "\u221E"));
		CHECK(text && strstr(text, "no estimate"));
		CHECK(text && !has_word(text, "nan") && !has_word(text, "inf"));
		free(text);
	}
	remove_dir(dir);
	free_results(res);
}

/* ---- suppression across tables and of figures ------------------------------ */

/* Four organisations, two with small counts (a hand-made table):
 *   R0A 27/39 vs 7/21: ratio 2.08          R0B 3/40 vs 2/35: ratio 1.3125
 *   R0C 20/60 vs 9/45: ratio 1.67          R0D 18/50 vs 9/44: ratio 1.76
 *   all 68/189 vs 27/150: ratio 0.35979/0.18 = 2.00
 * R0B's 3 and 2 are hidden ("<5"); each column's smallest other non-zero
 * count is hidden as well ("[c]"): R0D's 18 (White) and R0A's 7 (BME), so
 * the total cannot give R0B's counts away. */
static parity_results *small_results(void)
{
	parity_results *res = make_results(4);
	res->count = 0;
	add_row(res, "organisation", "R0A", 27, 39, 7, 21);
	add_row(res, "organisation", "R0B", 3, 40, 2, 35);
	add_row(res, "organisation", "R0C", 20, 60, 9, 45);
	add_row(res, "organisation", "R0D", 18, 50, 9, 44);
	add_row(res, "overall", "All organisations", 68, 189, 27, 150);
	return res;
}

static void test_report_hides_figures_of_suppressed_rows(void)
{
	/* x2 = n2*x1/(n1*ratio): with R0B's ratio beside 40, 3 (hidden) and 35
	 * a reader could recover its 2, and likewise for the rows whose
	 * counts were hidden to protect it. So no ratio, rate or interval is
	 * printed for R0A, R0B or R0D; R0C and the total keep theirs. */
	parity_results *res = small_results();
	char *dir = write_report(res, 5);
	char path[700], line[600];
	snprintf(path, sizeof path, "%s/report-tables.csv", dir);
	char *csv = slurp(path);
	CHECK(csv != NULL);
	CHECK(csv_line(line, sizeof line, csv, "by_organisation,WRES2,white_bme,"
	               "organisation,R0B,"));
	CHECK_STR(line, "by_organisation,WRES2,white_bme,organisation,R0B,2025/26,"
	          "White,40,<5,,BME,35,<5,,,,,,suppressed (small numbers)");
	CHECK(csv_line(line, sizeof line, csv, "by_organisation,WRES2,white_bme,"
	               "organisation,R0A,"));
	CHECK_STR(line, "by_organisation,WRES2,white_bme,organisation,R0A,2025/26,"
	          "White,39,27,,BME,21,[c],,,,,,suppressed (small numbers)");
	CHECK(csv_line(line, sizeof line, csv, "by_organisation,WRES2,white_bme,"
	               "organisation,R0D,"));
	CHECK(strstr(line, ",50,[c],") && strstr(line, "suppressed (small numbers)"));
	CHECK(csv_line(line, sizeof line, csv, "by_organisation,WRES2,white_bme,"
	               "organisation,R0C,"));
	CHECK(strstr(line, ",60,20,33.3,BME,45,9,20.0,1.67,"));
	free(csv);
	if (need_tool("pdftotext")) {
		char *text = pdf_text(dir, 0);
		CHECK(text && strstr(text, "suppressed (small numbers)"));
		CHECK(text && !strstr(text, "2.08") && !strstr(text, "1.31") &&
		      !strstr(text, "1.76"));
		CHECK(text && strstr(text, "1.67") && strstr(text, "2.00"));
		free(text);
	}
	remove_dir(dir);

	/* Suppression off (--suppress 0): every figure is shown. */
	dir = write_report(res, 0);
	if (need_tool("pdftotext")) {
		char *text = pdf_text(dir, 0);
		CHECK(text && strstr(text, "2.08") && strstr(text, "1.31") &&
		      strstr(text, "1.76"));
		CHECK(text && !strstr(text, "suppressed (small numbers)"));
		free(text);
	}
	remove_dir(dir);
	free_results(res);
}

/* Append a comparison row (measure appointment, favourable: the
 * reference A is group 1). */
static void add_comparison(parity_results *res, const char *grouping,
                           const char *group1, const char *group2,
                           uint64_t x1, uint64_t n1, uint64_t x2, uint64_t n2)
{
	add_row(res, "overall", "All organisations", x1, n1, x2, n2);
	parity_result_row *row = &res->rows[res->count - 1];
	snprintf(row->indicator, sizeof row->indicator, "appointment");
	snprintf(row->measure, sizeof row->measure, "appointment");
	snprintf(row->grouping, sizeof row->grouping, "%s", grouping);
	snprintf(row->characteristic, sizeof row->characteristic, "%s", grouping);
	snprintf(row->group1, sizeof row->group1, "%s", group1);
	snprintf(row->group2, sizeof row->group2, "%s", group2);
}

static void test_report_links_ethnic_categories(void)
{
	/* White = A + B + C = 63 of 280; BME = D + H = 32 of 140 (the WRES 2
	 * row prints these totals). B's 3 appointed is hidden; were C's 10
	 * shown, 63 - 50 - 10 would give it away, so C's is hidden too. */
	parity_results *res = make_results(0);
	free(res->rows);
	res->capacity = 8;
	res->rows = calloc(res->capacity, sizeof *res->rows);
	res->count = 0;
	add_row(res, "overall", "All organisations", 63, 280, 32, 140);
	snprintf(res->rows[0].measure, sizeof res->rows[0].measure, "appointment");
	add_comparison(res, "ethnic_category", "A", "B", 50, 200, 3, 20);
	add_comparison(res, "ethnic_category", "A", "C", 50, 200, 10, 60);
	add_comparison(res, "ethnic_category", "A", "D", 50, 200, 12, 50);
	add_comparison(res, "ethnic_category", "A", "H", 50, 200, 20, 90);
	char *dir = write_report(res, 5);
	char path[700], line[600];
	snprintf(path, sizeof path, "%s/report-tables.csv", dir);
	char *csv = slurp(path);
	CHECK(csv_line(line, sizeof line, csv, "by_characteristic,appointment,"
	               "ethnic_category,overall,All organisations,2025/26,A,200,50,,"
	               "B,20,<5,,,,,,suppressed (small numbers)"));
	CHECK(csv_line(line, sizeof line, csv, "by_characteristic,appointment,"
	               "ethnic_category,overall,All organisations,2025/26,A,200,50,,"
	               "C,60,[c],,,,,,suppressed (small numbers)"));
	CHECK(csv_line(line, sizeof line, csv, "by_characteristic,appointment,"
	               "ethnic_category,overall,All organisations,2025/26,A,200,50,"
	               "25.0,D,50,12,24.0,1.04,"));
	CHECK(csv_line(line, sizeof line, csv, "by_organisation,WRES2,white_bme,"
	               "overall,All organisations,2025/26,White,280,63,22.5,BME,140,"
	               "32,22.9,"));
	free(csv);
	if (need_tool("pdftotext")) {
		char *text = pdf_text(dir, 0);
		CHECK(text && strstr(text, "Breakdown by ethnic category"));
		CHECK(text && strstr(text, "B White - Irish"));
		free(text);
	}
	remove_dir(dir);
	free_results(res);
}

static void test_report_kline_follows_its_bands(void)
{
	/* Band 7's 3 BME appointed is hidden, and band 8a's 6 as its partner
	 * (band 6's 20 is larger). The ladder to band 7 multiplies band 7's
	 * ratio, which the ladder to band 6 and its own value would reveal:
	 * it is suppressed; the ladder to band 6 is not. Compound ratios as
	 * the engine would give them (set by hand; only their display is
	 * tested). */
	parity_results *res = make_results(0);
	free(res->rows);
	res->capacity = 8;
	res->rows = calloc(res->capacity, sizeof *res->rows);
	res->count = 0;
	add_row(res, "overall", "All organisations", 48, 180, 29, 160);
	add_row(res, "pay_band", "6", 30, 100, 20, 100);
	add_row(res, "pay_band", "7", 8, 40, 3, 30);
	add_row(res, "pay_band", "8a", 10, 40, 6, 30);
	add_row(res, "kline", "band 5 to 6", 0, 0, 0, 0);
	add_row(res, "kline", "band 5 to 7", 0, 0, 0, 0);
	static const char *const steps[] = {"6", "6;7"};
	static const double ratios[] = {1.5, 3.0};
	for (int i = 0; i < 2; i++) {
		parity_result_row *row = &res->rows[4 + i];
		snprintf(row->steps, sizeof row->steps, "%s", steps[i]);
		row->ratio.estimable = 1;
		row->ratio.ratio = ratios[i];
		row->ratio.ci_low = ratios[i] / 2;
		row->ratio.ci_high = ratios[i] * 2;
	}
	char *dir = write_report(res, 5);
	char path[700], line[600];
	snprintf(path, sizeof path, "%s/report-tables.csv", dir);
	char *csv = slurp(path);
	CHECK(csv_line(line, sizeof line, csv, "kline,WRES2,white_bme,kline,"
	               "band 5 to 6,"));
	CHECK(strstr(line, ",1.50,0.75,3.00,"));
	CHECK(csv_line(line, sizeof line, csv, "kline,WRES2,white_bme,kline,"
	               "band 5 to 7,"));
	CHECK(strstr(line, "suppressed (small numbers)") && !strstr(line, "3.00"));
	CHECK(csv_line(line, sizeof line, csv, "by_pay_band,WRES2,white_bme,"
	               "pay_band,8a,"));
	CHECK(strstr(line, ",[c],"));
	free(csv);
	remove_dir(dir);
	free_results(res);
}

static void test_report_what_changed(void)
{
	/* The run's lines go in as given, except one quoting the figures of a
	 * suppressed row (R0B), which keeps only its name. */
	parity_results *res = small_results();
	const char *lines[] = {
		"new data recruitment-2026-01.csv (recruitment): 40 rows, 40 stored, "
		"0 rejected",
		"WRES2, R0C: 1.67 (2025/26, 95% CI 0.87 to 3.33) is outside the "
		"previous interval: was 4.20 (2024/25, 3.50 to 5.10)",
		"WRES2, R0B: 1.31 (2025/26, 95% CI 0.24 to 7.10) is outside the "
		"previous interval: was 9.90 (2024/25, 8.00 to 12.00)",
		NULL};
	char *dir = make_dir();
	parity_report_options opt = {0};
	opt.suppress_below = 5;
	opt.changes = lines;
	opt.changes_month = "2026-01";
	CHECK(parity_report_write(res, &opt, dir) == 0);
	if (need_tool("pdftotext")) {
		char *text = pdf_text(dir, 0);
		CHECK(text && strstr(text, "What changed: the run for 2026-01"));
		CHECK(text && strstr(text, "new data recruitment-2026-01.csv"));
		CHECK(text && strstr(text, "was 4.20 (2024/25"));
		CHECK(text && strstr(text, "WRES2, R0B: moved outside the previous "
		                     "interval"));
		CHECK(text && !strstr(text, "9.90") && !strstr(text, "1.31"));
		free(text);
	}
	remove_dir(dir);
	free_results(res);
}

/* A trend row of WRES2 overall for `period` ending in month `last`. */
static void add_trend(parity_results *res, const char *period, int last,
                      double ratio)
{
	parity_result_row *row = &res->trend[res->trend_count++];
	*row = res->rows[res->count - 1];
	snprintf(row->period, sizeof row->period, "%s", period);
	row->window_last_month = last;
	row->ratio.ratio = ratio;
	row->ratio.ci_low = ratio * 0.8;
	row->ratio.ci_high = ratio * 1.25;
}

static void test_report_change_since_last_year(void)
{
	/* This year 27/39 vs 7/21: ratio 2.08 with an interval about 1.1 to
	 * 4.1 (Katz: 1.10 to 3.94, DOMAIN.md 5). Last year's 1.52 lies inside
	 * it; 6.00 lies outside. */
	static const double before[] = {1.52, 6.00};
	static const char *const words[] = {
		"Was 1.52 in 2024/25: inside this year's interval, so no clear change.",
		"Was 6.00 in 2024/25: outside this year's interval, so the fall is "
		"beyond the interval."};
	for (int k = 0; k < 2; k++) {
		parity_results *res = make_results(1);
		res->first_month = 2025 * 12 + 3; /* April 2025 */
		res->last_month = 2026 * 12 + 2;
		res->trend = calloc(4, sizeof *res->trend);
		res->trend_capacity = 4;
		add_trend(res, "2024/25", 2025 * 12 + 2, before[k]);
		add_trend(res, "2025/26", 2026 * 12 + 2, res->rows[1].ratio.ratio);
		/* 7 in group 2 is under the per-group low-count threshold of
		 * 10; this test is about the change wording, so say it is not
		 * low-count (as with --low-count 7). */
		for (size_t i = 0; i < res->count; i++)
			res->rows[i].ratio.low_count = 0;
		for (size_t i = 0; i < res->trend_count; i++)
			res->trend[i].ratio.low_count = 0;
		char *dir = write_report(res, 5);
		if (need_tool("pdftotext")) {
			char *text = pdf_text(dir, 0);
			/* pdftotext breaks lines where the PDF does: compare
			 * with every line break read as a space. */
			for (char *p = text; p && *p; p++)
				if (*p == '\n')
					*p = ' ';
			CHECK(text && strstr(text, words[k]));
			free(text);
		}
		remove_dir(dir);
		free(res->trend);
		free_results(res);
	}
}

static void test_report_pipeline_from_shortlisting(void)
{
	/* With a "shortlisting" measure (applications to shortlisted) beside
	 * WRES 2, the report draws the pipeline: White 120 applied, 39
	 * shortlisted (32.5%), 27 appointed (69.2% of 39; 22.5% of 120);
	 * BME 90, 21 (23.3%), 7 (33.3%; 7.8%). */
	parity_results *res = make_results(1);
	free(res->rows);
	res->capacity = 4;
	res->rows = calloc(res->capacity, sizeof *res->rows);
	res->count = 0;
	add_row(res, "overall", "All organisations", 27, 39, 7, 21);
	snprintf(res->rows[0].measure, sizeof res->rows[0].measure, "appointment");
	add_row(res, "overall", "All organisations", 39, 120, 21, 90);
	parity_result_row *row = &res->rows[1];
	snprintf(row->indicator, sizeof row->indicator, "shortlisting");
	snprintf(row->measure, sizeof row->measure, "shortlisting");
	char *dir = write_report(res, 5);
	if (need_tool("pdftotext")) {
		char *text = pdf_text(dir, 0);
		CHECK(text && strstr(text, "Recruitment pipeline") &&
		      strstr(text, "By ethnicity"));
		/* The shortlisting ratio in words: (39/120) / (21/90) = 1.39. */
		CHECK(text && strstr(text, "1.39 times as likely as BME applicants to "
		                           "be shortlisted"));
		CHECK(text && strstr(text, "32.5%") && strstr(text, "23.3%"));
		CHECK(text && strstr(text, "69.2%") && strstr(text, "33.3%"));
		CHECK(text && strstr(text, "22.5%") && strstr(text, "7.8%"));
		free(text);
	}
	/* The pipeline also as chart files of its own. */
	char path[4096];
	struct stat st;
	snprintf(path, sizeof path, "%s/wres2-pipeline.png", dir);
	CHECK(stat(path, &st) == 0 && st.st_size > 0);
	snprintf(path, sizeof path, "%s/wres2-pipeline.svg", dir);
	CHECK(stat(path, &st) == 0 && st.st_size > 0);
	remove_dir(dir);
	free_results(res);
}

static void test_report_pipeline_links_shortlisted(void)
{
	/* Those shortlisted are printed twice: as the shortlisting outcome
	 * (BME 88 of 90 applicants) and as the WRES 2 base (BME 40 appointed
	 * of 88). The 2 not shortlisted follow from 90 - 88, with either 88.
	 * Hiding one 88 alone protects nothing (the other gives it back);
	 * hiding the 90 applicants protects it and keeps WRES 2 whole, so the
	 * published set hides the 90. Was: WRES 2 printed 88 beside the
	 * shortlisting row's 90. */
	parity_results *res = make_results(1);
	free(res->rows);
	res->capacity = 4;
	res->rows = calloc(res->capacity, sizeof *res->rows);
	res->count = 0;
	add_row(res, "overall", "All organisations", 27, 39, 40, 88);
	snprintf(res->rows[0].measure, sizeof res->rows[0].measure, "appointment");
	add_row(res, "overall", "All organisations", 39, 120, 88, 90);
	parity_result_row *row = &res->rows[1];
	snprintf(row->indicator, sizeof row->indicator, "shortlisting");
	snprintf(row->measure, sizeof row->measure, "shortlisting");
	char *dir = write_report(res, 5);
	char path[4096], line[600];
	snprintf(path, sizeof path, "%s/report-tables.csv", dir);
	char *csv = slurp(path);
	CHECK(csv_line(line, sizeof line, csv, "by_characteristic,shortlisting,"));
	CHECK(strstr(line, ",BME,[c],88,") != NULL);
	CHECK(csv_line(line, sizeof line, csv, "by_organisation,WRES2,"));
	CHECK(strstr(line, ",BME,88,40,") != NULL);
	CHECK(strstr(line, "suppressed (small numbers)") == NULL);
	free(csv);
	snprintf(path, sizeof path, "%s/wres2-pipeline.png", dir);
	struct stat st;
	CHECK(stat(path, &st) != 0); /* no pipeline file of hidden counts */
	if (need_tool("pdftotext")) {
		char *text = pdf_text(dir, 0);
		CHECK(text && strstr(text, "Not shown: some of its counts are too "
		                           "small to publish."));
		CHECK(text && !strstr(text, " 90 "));
		free(text);
	}
	remove_dir(dir);
	free_results(res);
}

static void test_report_pooled_with_suppressed_strata(void)
{
	/* small_results() hides R0B (3 and 2) and, for secondary suppression,
	 * a count of another organisation. The pooled (Mantel-Haenszel)
	 * ratio weighs each organisation by its own n1 n2 / N, so with the
	 * published totals and the other organisations' counts it is one more
	 * equation in R0B's hidden counts: it is withheld, and with it the
	 * homogeneity test (a sum of per-organisation terms). Was: the pooled
	 * ratio was printed. With suppression off both are printed. */
	parity_results *res = make_results(5);
	res->count = 0;
	add_row(res, "organisation", "R0A", 27, 39, 7, 21);
	add_row(res, "organisation", "R0B", 3, 40, 2, 35);
	add_row(res, "organisation", "R0C", 20, 60, 9, 45);
	add_row(res, "organisation", "R0D", 18, 50, 9, 44);
	add_row(res, "overall", "All organisations", 68, 189, 27, 150);
	add_row(res, "organisation", "All organisations (pooled)", 68, 189, 27, 150);
	parity_result_row *pooled = &res->rows[5];
	pooled->pooled = 1;
	pooled->ratio.ratio = 1.93; /* any value: the test reads it back */
	pooled->ratio.ci_low = 1.31;
	pooled->ratio.ci_high = 2.86;
	pooled->pool.estimable = 1;
	pooled->pool.ratio = 1.93;
	pooled->pool.homogeneity_estimable = 1;
	pooled->pool.q = 1.2345;
	pooled->pool.df = 3;
	pooled->pool.p_homogeneity = 0.745;
	for (unsigned suppress = 5; suppress != 1; suppress = suppress ? 0 : 1) {
		char *dir = write_report(res, suppress);
		char *text = need_tool("pdftotext") ? pdf_text(dir, 0) : NULL;
		CHECK(text != NULL);
		if (text) {
			CHECK((strstr(text, "1.93") != NULL) == !suppress);
			if (suppress) {
				CHECK(strstr(text, "Pooled ratio and homogeneity test not "
				                   "shown") != NULL);
				CHECK(strstr(text, "Q = 1.2") == NULL);
			} else {
				CHECK(strstr(text, "Homogeneity: Q = 1.2, df = 3") != NULL);
			}
		}
		free(text);
		remove_dir(dir);
	}
	free_results(res);
}

/* Write the report for `res` into `dir` from a child process, whose cairo
 * starts from the same state as its siblings' (SVG ids count up per
 * process). Returns 1 on success. */
static int write_report_in_child(const parity_results *res, const char *dir)
{
	pid_t pid = fork();
	if (pid == 0) {
		parity_report_options opt = {0};
		opt.suppress_below = 5;
		_exit(parity_report_write(res, &opt, dir) == 0 ? 0 : 1);
	}
	int status = 0;
	return pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	       WEXITSTATUS(status) == 0;
}

/* Same results and SOURCE_DATE_EPOCH: byte-identical files. */
static void test_report_reproducible(void)
{
	parity_results *res = make_results(5);
	char *a = make_dir(), *b = make_dir();
	setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
	CHECK(write_report_in_child(res, a));
	CHECK(write_report_in_child(res, b));
	unsetenv("SOURCE_DATE_EPOCH");
	const char *names[] = {"board-report.pdf", "wres2-by-organisation.png",
	                       "wres2-by-organisation.svg", "report-tables.csv"};
	for (size_t i = 0; i < 4; i++) {
		char cmd[1400];
		snprintf(cmd, sizeof cmd, "cmp -s '%s/%s' '%s/%s'", a, names[i], b,
		         names[i]);
		CHECK(system(cmd) == 0);
	}
	if (need_tool("pdfinfo")) {
		char cmd[700];
		snprintf(cmd, sizeof cmd, "pdfinfo -isodates '%s/board-report.pdf'", a);
		char *info = run(cmd);
		/* 1700000000 s after the epoch is 2023-11-14 22:13:20 UTC. */
		CHECK(info_is(info, "CreationDate", "2023-11-14T22:13:20Z"));
		free(info);
	}
	remove_dir(a);
	remove_dir(b);
	free_results(res);
}

static void test_chart_files(void)
{
	parity_results *res = make_results(5);
	char *dir = make_dir();
	char png[600], svg[600], listing[600];
	snprintf(png, sizeof png, "%s/chart.png", dir);
	snprintf(svg, sizeof svg, "%s/chart.svg", dir);
	CHECK(parity_chart_write_ratio(res, "WRES2", NULL, PARITY_CHART_PNG,
	                               png) == 0);
	CHECK(parity_chart_write_ratio(res, "WRES2", NULL, PARITY_CHART_SVG,
	                               svg) == 0);
	CHECK(starts_with_file(png, "\x89PNG", 4));
	CHECK(starts_with_file(svg, "<?xml", 5));
	CHECK(parity_chart_write_ratio(res, "WRES9", NULL, PARITY_CHART_PNG,
	                               png) == PARITY_EDATA);
	list_dir(listing, sizeof listing, dir);
	CHECK_STR(listing, "chart.png chart.svg ");
	remove_dir(dir);
	free_results(res);
}

/* "No detectable difference" quotes the minimum detectable ratios: 30/100
 * vs 30/100 could have detected only ratios below 0.537485214 or above
 * 1.860516296 (test_stats.c's reference, Fleiss, Levin and Paik 4.2),
 * printed 0.54 and 1.86; a ratio whose interval excludes 1 (27/39 vs 7/21)
 * gets no such clause. */
static void test_report_quotes_minimum_detectable_ratio(void)
{
	parity_results *res = make_results(1);
	parity_result_row *overall = &res->rows[1];
	CHECK(parity_ratio_compute(&overall->ratio, 30, 100, 30, 100, &res->settings) == 0);
	char *dir = write_report(res, 0);
	char pdf[600];
	snprintf(pdf, sizeof pdf, "%s/board-report.pdf", dir);
	if (need_tool("pdftotext")) {
		char cmd[700];
		snprintf(cmd, sizeof cmd, "pdftotext '%s' - | tr -s ' \\n' '  '", pdf);
		char *text = run(cmd);
		CHECK(text && strstr(text, "only a ratio below 0.54 or above 1.86 would "
		                     "have been detected (80% power, 5% two-sided)"));
		CHECK(text && strstr(text, "which the report quotes wherever an interval"));
		free(text);
	}
	remove_dir(dir);
	free_results(res);
}

int main(void)
{
	parity_init();
	RUN(test_format_numbers);
	RUN(test_chart_range);
	RUN(test_report_writes_pdf);
	RUN(test_report_suppresses_small_counts);
	RUN(test_report_summary_keeps_suppressed_counts_out);
	RUN(test_report_unwritable_folder);
	RUN(test_report_bad_arguments);
	RUN(test_report_one_and_forty_organisations);
	RUN(test_report_collapses_many_hidden_organisations);
	RUN(test_report_infinite_and_missing_estimates);
	RUN(test_report_reproducible);
	RUN(test_chart_files);
	RUN(test_report_hides_figures_of_suppressed_rows);
	RUN(test_report_links_ethnic_categories);
	RUN(test_report_kline_follows_its_bands);
	RUN(test_report_what_changed);
	RUN(test_report_change_since_last_year);
	RUN(test_report_pipeline_from_shortlisting);
	RUN(test_report_pipeline_links_shortlisted);
	RUN(test_report_pooled_with_suppressed_strata);
	RUN(test_report_quotes_minimum_detectable_ratio);
	/* Release every font cache so that LeakSanitizer sees a clean exit. */
	parity_report_cleanup();
	FcFini();
	return HARNESS_REPORT();
}
