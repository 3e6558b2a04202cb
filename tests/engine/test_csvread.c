/*
 * test_csvread.c: the streaming CSV reader: byte-order mark, CRLF, detected
 * delimiters, physical line numbers, encodings and damaged files.
 */
#include "csvread.h"
#include "harness.h"
#include "parity.h"

#include <stdlib.h>
#include <unistd.h>

static char temp_path[64];

/* Write `size` bytes to a fresh temporary file; returns its path. */
static const char *write_temp(const char *data, size_t size)
{
	snprintf(temp_path, sizeof temp_path, "/tmp/parity-csvread-XXXXXX");
	int fd = mkstemp(temp_path);
	if (fd < 0 || write(fd, data, size) != (ssize_t)size)
		abort();
	close(fd);
	return temp_path;
}

typedef struct collected {
	size_t records;
	uint64_t lines[16];
	size_t counts[16];
	char first[16][64];
	char last[16][64];
} collected;

static int collect(void *context, const csvread_record *record)
{
	collected *c = context;
	if (c->records < 16) {
		c->lines[c->records] = record->line;
		c->counts[c->records] = record->count;
		snprintf(c->first[c->records], 64, "%s", record->count ? record->fields[0] : "");
		snprintf(c->last[c->records], 64, "%s",
		         record->count ? record->fields[record->count - 1] : "");
	}
	c->records++;
	return 0;
}

static int read_text(collected *c, csvread_result *result, const char *text,
                     size_t size, const csvread_options *options)
{
	memset(c, 0, sizeof *c);
	const char *path = write_temp(text, size);
	int rc = csvread_file(result, path, options, collect, c);
	unlink(path);
	return rc;
}

static void test_csvread_bom_crlf_semicolon(void)
{
	static const char text[] = "\xef\xbb\xbf" "id;name\r\n1;Ann\r\n2;\"B;ob\"\r\n";
	collected c;
	csvread_result r;
	CHECK(read_text(&c, &r, text, sizeof text - 1, NULL) == 0);
	CHECK(r.had_bom == 1);
	CHECK(r.delimiter == ';');
	CHECK(c.records == 3);
	CHECK_STR(c.first[0], "id"); /* the BOM is not part of the first name */
	CHECK_STR(c.last[2], "B;ob");
	CHECK(c.lines[2] == 3);
}

static void test_csvread_tab_and_no_final_newline(void)
{
	static const char text[] = "a\tb\tc\n1\t2\t3";
	collected c;
	csvread_result r;
	CHECK(read_text(&c, &r, text, sizeof text - 1, NULL) == 0);
	CHECK(r.delimiter == '\t');
	CHECK(c.records == 2 && c.counts[1] == 3);
	CHECK_STR(c.last[1], "3");
}

static void test_csvread_line_numbers_count_quoted_newlines_and_blanks(void)
{
	/* line 1 header; line 2 a record; lines 3-4 one record with a quoted
	 * newline; line 5 blank; line 6 a record */
	static const char text[] = "a,b\nx,1\n\"multi\nline\",2\n\ny,3\n";
	collected c;
	CHECK(read_text(&c, NULL, text, sizeof text - 1, NULL) == 0);
	CHECK(c.records == 4);
	CHECK(c.lines[1] == 2);
	CHECK(c.lines[2] == 3);
	CHECK_STR(c.first[2], "multi\nline");
	CHECK(c.lines[3] == 6);
}

static void test_csvread_invalid_utf8_names_the_line(void)
{
	static const char text[] = "a,b\nok,1\nCaf\xe9,2\n";
	collected c;
	int rc = read_text(&c, NULL, text, sizeof text - 1, NULL);
	CHECK(rc == PARITY_EDATA);
	CHECK(strstr(parity_error_last(), ":3:") != NULL);
	CHECK(strstr(parity_error_last(), "windows-1252") != NULL);
}

static void test_csvread_windows1252_is_converted(void)
{
	static const char text[] = "a,b\nCaf\xe9,\x80" "5\n";
	csvread_options options = {0};
	options.windows1252 = 1;
	collected c;
	CHECK(read_text(&c, NULL, text, sizeof text - 1, &options) == 0);
	CHECK_STR(c.first[1], "Caf\xc3\xa9");
	CHECK_STR(c.last[1], "\xe2\x82\xac" "5"); /* 0x80 is the euro sign */
}

static void test_csvread_damaged_files(void)
{
	collected c;
	static const char nul[] = "a,b\n1,\0\n";
	CHECK(read_text(&c, NULL, nul, sizeof nul - 1, NULL) == PARITY_EDATA);
	CHECK(strstr(parity_error_last(), "NUL") != NULL);
	static const char open_quote[] = "a,b\n1,\"never closed\n2,3\n";
	CHECK(read_text(&c, NULL, open_quote, sizeof open_quote - 1, NULL) == PARITY_EDATA);
	CHECK(strstr(parity_error_last(), ":2:") != NULL);
	static const char stray_quote[] = "a,b\n1,ab\"c\n";
	CHECK(read_text(&c, NULL, stray_quote, sizeof stray_quote - 1, NULL) ==
	      PARITY_EDATA);
	CHECK(strstr(parity_error_last(), ":2:") != NULL);
	csvread_options small = {0};
	small.max_columns = 3;
	static const char wide[] = "a,b,c,d\n";
	CHECK(read_text(&c, NULL, wide, sizeof wide - 1, &small) == PARITY_EDATA);
	CHECK(csvread_file(NULL, "/nonexistent/file.csv", NULL, collect, &c) ==
	      PARITY_ENOINPUT);
	parity_error_clear();
}

static void test_csvread_sha256_of_known_text(void)
{
	/* SHA-256("abc\n") from coreutils: echo abc | sha256sum */
	collected c;
	csvread_result r;
	CHECK(read_text(&c, &r, "abc\n", 4, NULL) == 0);
	CHECK_STR(r.sha256,
	          "edeaaff3f1774ad2888673770c6d64097e391bc362d7d6fb34982ddf0efd18cb");
}

int main(void)
{
	parity_init();
	RUN(test_csvread_bom_crlf_semicolon);
	RUN(test_csvread_tab_and_no_final_newline);
	RUN(test_csvread_line_numbers_count_quoted_newlines_and_blanks);
	RUN(test_csvread_invalid_utf8_names_the_line);
	RUN(test_csvread_windows1252_is_converted);
	RUN(test_csvread_damaged_files);
	RUN(test_csvread_sha256_of_known_text);
	return HARNESS_REPORT();
}
