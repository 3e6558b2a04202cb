/*
 * test_csvread.c: the streaming CSV reader: byte-order mark, CRLF, detected
 * delimiters, physical line numbers, encodings and damaged files.
 */
#include "csv/csvread.h"
#include "util/sha256.h"
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


typedef struct positions {
	size_t records;
	uint64_t line[16], offset[16];
	uint32_t ordinal[16];
	char first[16][32];
} positions;

static int note_position(void *context, const csvread_record *record)
{
	positions *p = context;
	if (p->records < 16) {
		p->line[p->records] = record->line;
		p->offset[p->records] = record->offset;
		p->ordinal[p->records] = record->ordinal;
		snprintf(p->first[p->records], 32, "%s", record->count ? record->fields[0] : "");
	}
	p->records++;
	return 0;
}

/* Every record knows its line, the offset of that line, and how many
 * records ended earlier on the line (bare carriage returns end records). */
static void test_csvread_record_positions(void)
{
	/* offsets: "h\n" 0; "a,1\n" 2; "\"q\nr\",2\n" 6 (lines 3-4); "b\rc\n" 14 */
	static const char text[] = "h\na,1\n\"q\nr\",2\nb\rc\n";
	positions p;
	memset(&p, 0, sizeof p);
	const char *path = write_temp(text, sizeof text - 1);
	CHECK(csvread_file(NULL, path, NULL, note_position, &p) == 0);
	CHECK(p.records == 5);
	CHECK(p.line[1] == 2 && p.offset[1] == 2 && p.ordinal[1] == 0);
	CHECK(p.line[2] == 3 && p.offset[2] == 6 && p.ordinal[2] == 0);
	CHECK_STR(p.first[3], "b");
	CHECK(p.line[3] == 5 && p.offset[3] == 14 && p.ordinal[3] == 0);
	CHECK_STR(p.first[4], "c");
	CHECK(p.line[4] == 5 && p.offset[4] == 14 && p.ordinal[4] == 1);

	/* A cursor finds the same records again from a line start. */
	csvread_options options = {0};
	options.delimiter = ',';
	csvread_cursor *cursor = NULL;
	const csvread_record *record = NULL;
	CHECK(csvread_cursor_open(&cursor, path, &options) == 0);
	CHECK(csvread_cursor_seek(cursor, 6, 3) == 0);
	CHECK(csvread_cursor_next(cursor, &record) == 1);
	CHECK(record && record->line == 3 && record->count == 2);
	CHECK(record && !strcmp(record->fields[0], "q\nr"));
	CHECK(csvread_cursor_next(cursor, &record) == 1);
	CHECK(record && record->line == 5 && record->ordinal == 0);
	CHECK(csvread_cursor_next(cursor, &record) == 1);
	CHECK(record && record->line == 5 && record->ordinal == 1 &&
	      !strcmp(record->fields[0], "c"));
	CHECK(csvread_cursor_next(cursor, &record) == 0);
	CHECK(csvread_cursor_seek(cursor, 2, 2) == 0);
	CHECK(csvread_cursor_next(cursor, &record) == 1);
	CHECK(record && record->line == 2 && !strcmp(record->fields[1], "1"));
	csvread_cursor_free(cursor);
	unlink(path);
}

typedef struct digest {
	size_t records, fields;
	uint64_t sum;
} digest;

static int sum_fields(void *context, const csvread_record *record)
{
	digest *d = context;
	d->records++;
	CHECK(record->fields[record->count] == NULL);
	for (size_t i = 0; i < record->count; i++) {
		d->fields++;
		CHECK(strlen(record->fields[i]) == record->lengths[i]);
		for (const char *p = record->fields[i]; *p; p++)
			d->sum = d->sum * 31 + (unsigned char)*p;
		d->sum = d->sum * 31 + record->line;
	}
	return 0;
}

/* A file of several batches reads the same on a second thread as on one,
 * and its digest is the portable SHA-256's. */
static void test_csvread_threaded_matches_inline(void)
{
	size_t size = 3u << 20, used = 0;
	char *text = malloc(size);
	CHECK(text != NULL);
	if (!text)
		return;
	used += (size_t)snprintf(text, size, "id,name,note\r\n");
	for (unsigned n = 0; used + 100 < size; n++)
		used += (size_t)snprintf(text + used, size - used,
		                         n % 97 == 0 ? "%u,\"x, \"\"y\"\"\r\nz\",  v %u \r\n"
		                                     : "%u, name %u ,\r\n", n, n * 7);
	const char *path = write_temp(text, used);
	digest inline_read, threaded_read;
	memset(&inline_read, 0, sizeof inline_read);
	memset(&threaded_read, 0, sizeof threaded_read);
	csvread_result r1, r2;
	csvread_options options = {0};
	CHECK(csvread_file(&r1, path, &options, sum_fields, &inline_read) == 0);
	options.threaded = 1;
	CHECK(csvread_file(&r2, path, &options, sum_fields, &threaded_read) == 0);
	CHECK(inline_read.records > 40000);
	CHECK(inline_read.records == threaded_read.records);
	CHECK(inline_read.fields == threaded_read.fields);
	CHECK(inline_read.sum == threaded_read.sum);
	char portable[65];
	CHECK(sha256_file_hex(path, portable) == 0);
	CHECK_STR(r1.sha256, portable);
	CHECK_STR(r2.sha256, portable);
	unlink(path);
	free(text);
}

/* A damaged line stops a threaded read with the same message, after the
 * records before it. */
static void test_csvread_threaded_error_names_the_line(void)
{
	static const char text[] = "a,b\nok,1\nCaf\xe9,2\n";
	collected c;
	memset(&c, 0, sizeof c);
	const char *path = write_temp(text, sizeof text - 1);
	csvread_options options = {0};
	options.threaded = 1;
	CHECK(csvread_file(NULL, path, &options, collect, &c) == PARITY_EDATA);
	CHECK(strstr(parity_error_last(), ":3:") != NULL);
	CHECK(c.records == 2);
	unlink(path);
	parity_error_clear();
}

/* Text cells are neutralised against formulas, reversibly; fields that
 * would lose edge spaces are quoted. */
static void test_csvread_write_text_and_edges(void)
{
	char *buffer = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&buffer, &size);
	CHECK(out != NULL);
	if (!out)
		return;
	csvread_write_text(out, "=SUM(A1)");
	fputc('|', out);
	csvread_write_text(out, "'quoted");
	fputc('|', out);
	csvread_write_text(out, "plain");
	fputc('|', out);
	csvread_write_field(out, " edge");
	fclose(out);
	CHECK_STR(buffer, "'=SUM(A1)|''quoted|plain|\" edge\"");
	char value[] = "''quoted";
	CHECK_STR(csvread_unneutralise(value), "'quoted");
	free(buffer);
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
	RUN(test_csvread_record_positions);
	RUN(test_csvread_threaded_matches_inline);
	RUN(test_csvread_threaded_error_names_the_line);
	RUN(test_csvread_write_text_and_edges);
	return HARNESS_REPORT();
}
