/*
 * test_ingest_scale.c: ingest in bounded memory: duplicate ids found after
 * the read (across spilled id partitions and flushed cells) with the line
 * they first appeared on, taken back out of the counts exactly; training
 * repeats; a 200,000-row file of nearly distinct cells with tiny memory
 * settings whose cube must equal the one this test works out itself; and
 * the counts round trip through the C API.
 */
#include "harness.h"
#include "test_util.h"
#include "parity.h"

#include <sqlite3.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void fresh_dir(void)
{
	fresh_dir_named("scale");
}

/* One integer from an SQL query on the test database (-1 on error). */
static long long query(const char *sql)
{
	return query_db(db_path, sql);
}


/* Ingest with small memory settings: `run` ids in memory, `flush` cells. */
static int ingest(parity_ingest_summary *summary, const char *file, parity_kind kind,
                  size_t run, size_t flush)
{
	parity_store *store = NULL;
	parity_ingest_options options;
	int rc = parity_store_open(&store, db_path, 1);
	if (rc)
		return rc;
	parity_ingest_options_default(&options, kind);
	options.rejects_dir = dir;
	options.max_reject_share = 1.0;
	options.id_run = run;
	options.flush_cells = flush;
	rc = parity_ingest_file(summary, store, file, &options);
	parity_store_close(store);
	return rc;
}

static const char recruitment_header[] =
	"application_id,organisation,date,ethnic_category,sex,disability,age_band,"
	"pay_band,staff_group,shortlisted,appointed";

/*
 * 5,000 applications (line n+1 holds APP-n), CRLF line ends, a quoted field
 * with a line break on line 30-31 (so later lines are one ahead of the row
 * number), and ids repeated far apart: rows 4,900 and 3,000 repeat row 2's
 * id; row 2,500 repeats row 100's. Every repeat is in staff group "Dup", so
 * a repeat that was counted would show. With 256 ids in memory the id
 * partitions spill many times; with 100 cells a flush, the repeats' cells
 * are long written when the repeats are found.
 */
static void test_ingest_duplicates_far_apart_across_spills(void)
{
	parity_ingest_summary s;
	char path[160], line[256];
	fresh_dir();
	snprintf(path, sizeof path, "%s/dups.csv", dir);
	FILE *out = fopen(path, "wb");
	CHECK(out != NULL);
	if (!out)
		return;
	fprintf(out, "%s\r\n", recruitment_header);
	long long white_appointed = 0;
	for (int n = 1; n <= 5000; n++) {
		int id = n == 4900 || n == 3000 ? 2 : n == 2500 ? 100 : n;
		int dup = id != n;
		int appointed = n % 3 == 0;
		if (!dup && appointed)
			white_appointed++;
		fprintf(out, "APP-%d,R0%c,2024-%02d-15,A,F,N,25-34,5,%s,Y,%s\r\n", id,
		        'A' + n % 4, 1 + n % 12,
		        dup ? "Dup" : n == 29 ? "\"Nursing\r\nand Midwifery\"" : "Nursing",
		        appointed ? "Y" : "N");
	}
	fclose(out);
	CHECK(ingest(&s, path, PARITY_KIND_RECRUITMENT, 256, 100) == 0);
	CHECK(s.rows_read == 5000);
	CHECK(s.rows_rejected == 3);
	CHECK(s.rows_accepted == 4997);
	CHECK(query("SELECT sum(rows) FROM cells") == 4997);
	CHECK(query("SELECT count(*) FROM cells WHERE staff_group = 'Dup'") == 0);
	CHECK(query("SELECT count(*) FROM cells WHERE rows <= 0") == 0);
	CHECK(query("SELECT sum(appointed) FROM cells") == white_appointed);
	CHECK(query("SELECT sum(shortlisted) FROM cells") == 4997);
	CHECK(query("SELECT count FROM rejects WHERE reason = 'duplicate id'") == 3);
	/* Schema 5: the file's packs are numbered 0, 1, ... in its own range
	 * of ids (file_id << 32), also when a flush is written by the writer
	 * thread while later rows are read and a repeat's cell is taken out of
	 * its pack; no pack is empty; the cells counted are the cells stored. */
	CHECK(query("SELECT count(*) FROM cell_packs WHERE id / 4294967296 <> file_id") == 0);
	CHECK(query("SELECT min(id) FROM cell_packs") == 4294967296LL);
	CHECK(query("SELECT max(id) - 4294967296 < 100 FROM cell_packs") == 1);
	CHECK(query("SELECT count(*) FROM cell_packs WHERE json_array_length(cells, '$.c') "
	            "NOT BETWEEN 1 AND 4096") == 0);
	CHECK(query("SELECT count(*) FROM cells") == (int64_t)s.cells);
	/* Row n is on line n + 1 up to row 28, line n + 2 after the quoted
	 * line break in row 29: APP-2 is on line 3, APP-100 on line 102; the
	 * repeats, rows 2,500, 3,000 and 4,900, are on lines 2,502, 3,002 and
	 * 4,902, in that order in the rejects file. */
	FILE *in = fopen(s.rejects_path, "r");
	CHECK(in != NULL);
	if (!in)
		return;
	/* The message names no id (it reaches logs); the row after it does. */
	const char *expect[] = {"line,reason,",
	                        "2502,duplicate application_id (first on line 102),APP-100,",
	                        "3002,duplicate application_id (first on line 3),APP-2,",
	                        "4902,duplicate application_id (first on line 3),APP-2,"};
	const char *first[] = {NULL, "(first on line 102)", "(first on line 3)",
	                       "(first on line 3)"};
	for (int i = 0; i < 4; i++) {
		CHECK(fgets(line, sizeof line, in) != NULL);
		CHECK(strncmp(line, expect[i], strlen(expect[i])) == 0);
		if (first[i])
			CHECK(strstr(line, first[i]) != NULL);
		if (strncmp(line, expect[i], strlen(expect[i])))
			fprintf(stderr, "  rejects line %d: %s", i + 1, line);
	}
	CHECK(fgets(line, sizeof line, in) == NULL);
	fclose(in);
	CHECK(strncmp(s.first_reject, "line 2502:", 10) == 0);
}

/*
 * An organisation-month whose only row is a repeat: the repeat is counted
 * when read, its cells are written and its organisation-month recorded by
 * the writer thread (16 cells a flush), and when the repeat is found after
 * the read all of it is taken back, so the organisation-month must go
 * from the coverage and the file's months too. 400 rows of R0A in
 * 2024-04 (rows 1-400), then row 401, a repeat of row 7's id, alone in
 * R0Q and 2023-01.
 */
static void test_ingest_repeat_alone_in_its_month_leaves_no_coverage(void)
{
	parity_ingest_summary s;
	char path[160];
	fresh_dir();
	FILE *out = create_in_dir(path, sizeof path, "alone.csv");
	CHECK(out != NULL);
	if (!out)
		return;
	fprintf(out, "%s\n", recruitment_header);
	for (int n = 1; n <= 400; n++)
		fprintf(out, "APP-%d,R0A,2024-04-%02d,A,F,N,25-34,5,Group %d,Y,N\n", n,
		        1 + n % 28, n); /* 400 distinct cells */
	fputs("APP-7,R0Q,2023-01-10,A,F,N,25-34,5,Nursing,Y,N\n", out);
	fclose(out);
	CHECK(ingest(&s, path, PARITY_KIND_RECRUITMENT, 64, 16) == 0);
	CHECK(s.rows_read == 401);
	CHECK(s.rows_rejected == 1);
	CHECK(query("SELECT sum(rows) FROM cells") == 400);
	CHECK(query("SELECT count(*) FROM cells WHERE organisation = 'R0Q'") == 0);
	CHECK(query("SELECT count(*) FROM coverage WHERE organisation = 'R0Q'") == 0);
	/* 2024-04 is month 2024 * 12 + 3 = 24291. */
	CHECK(query("SELECT count(*) FROM coverage") == 1);
	CHECK(query("SELECT first_month FROM files") == 24291);
	CHECK(query("SELECT last_month FROM files") == 24291);
	CHECK(query("SELECT count(*) FROM cell_packs WHERE json_array_length(cells, '$.c') = 0") == 0);
}

/* The rejects file keeps line order when repeats found late meet rows
 * refused during the read. */
static void test_ingest_late_and_early_rejects_merge_in_line_order(void)
{
	parity_ingest_summary s;
	char path[160], line[256];
	fresh_dir();
	snprintf(path, sizeof path, "%s/mixed.csv", dir);
	FILE *out = fopen(path, "w");
	CHECK(out != NULL);
	if (!out)
		return;
	fprintf(out, "%s\n", recruitment_header);
	for (int n = 1; n <= 1000; n++) {
		const char *date = n == 400 || n == 900 ? "2024-02-30" : "2024-05-01";
		int id = n == 600 ? 7 : n;
		fprintf(out, "A%d,R0A,%s,B,M,Y,16-24,4,Admin,N,N\n", id, date);
	}
	fclose(out);
	CHECK(ingest(&s, path, PARITY_KIND_RECRUITMENT, 64, 50) == 0);
	CHECK(s.rows_rejected == 3 && s.rows_accepted == 997);
	CHECK(query("SELECT sum(rows) FROM cells") == 997);
	FILE *in = fopen(s.rejects_path, "r");
	CHECK(in != NULL);
	if (!in)
		return;
	const char *expect[] = {"line,reason,", "401,", "601,", "901,"};
	for (int i = 0; i < 4; i++) {
		CHECK(fgets(line, sizeof line, in) != NULL);
		CHECK(strncmp(line, expect[i], strlen(expect[i])) == 0);
	}
	CHECK(strstr(line, "not a real calendar date") != NULL);
	CHECK(fgets(line, sizeof line, in) == NULL);
	fclose(in);
	CHECK(strncmp(s.first_reject, "line 401:", 9) == 0);
}

/* Training counts a person once per organisation and year, however far
 * apart the further rows are. */
static void test_ingest_training_repeats_far_apart(void)
{
	parity_ingest_summary s;
	char path[160];
	fresh_dir();
	FILE *out = create_in_dir(path, sizeof path, "training.csv");
	CHECK(out != NULL);
	if (!out)
		return;
	fputs("staff_id,organisation,date,ethnic_category,sex,disability,age_band,"
	      "pay_band,staff_group\n", out);
	/* 2,000 people; STF-5 trains again at row 1,900 (same financial year
	 * 2024/25) and at row 1,950 (2025/26: a new year, so counted). */
	for (int n = 1; n <= 2000; n++) {
		int id = n == 1900 || n == 1950 ? 5 : n;
		fprintf(out, "STF-%d,R0B,%s,H,F,N,45-54,6,Nursing\n", id,
		        n == 1950 ? "2025-06-01" : "2024-06-01");
	}
	fclose(out);
	CHECK(ingest(&s, path, PARITY_KIND_TRAINING, 256, 64) == 0);
	CHECK(s.rows_accepted == 2000 && s.repeat_rows == 1 && s.rows_rejected == 0);
	CHECK(query("SELECT sum(rows) FROM cells") == 1999);
	CHECK(query("SELECT total FROM quality WHERE characteristic = 'ethnic_category'")
	      == 1999);
}

/* ---- a big file of nearly distinct cells ---------------------------------- */

typedef struct expected_row {
	char org[8];
	int month;
	char ethnic[2], sex[2], disability[2], age[8], pay[4], group[16];
	int shortlisted, appointed;
} expected_row;

static int compare_rows(const void *a, const void *b)
{
	const expected_row *x = a, *y = b;
	int c;
	if ((c = strcmp(x->org, y->org)))
		return c;
	if (x->month != y->month)
		return x->month < y->month ? -1 : 1;
	if ((c = strcmp(x->ethnic, y->ethnic)) || (c = strcmp(x->sex, y->sex)) ||
	    (c = strcmp(x->disability, y->disability)) || (c = strcmp(x->age, y->age)) ||
	    (c = strcmp(x->pay, y->pay)))
		return c;
	return strcmp(x->group, y->group);
}

static uint64_t next_random(uint64_t *state)
{
	/* xorshift64*: the test's own generator, shared with nothing. */
	*state ^= *state >> 12;
	*state ^= *state << 25;
	*state ^= *state >> 27;
	return *state * 0x2545f4914f6cdd1dull;
}

/*
 * 200,000 applications spread over 500 organisations, 60 months and every
 * characteristic, so nearly every row is its own cell, ingested with 2,048
 * ids and 1,000 cells in memory. Every 10,000th row repeats the id of a row
 * 7,777 rows before it and must not count. The cube in the store must
 * equal the one worked out here by sorting the rows (an independent count).
 */
static void test_ingest_distinct_cells_exact_with_tiny_memory(void)
{
	enum { ROWS = 200000 };
	static const char *const ethnic[] = {"A", "B", "C", "D", "E", "F", "G", "H",
	                                     "J", "K", "L", "M", "N", "P", "R", "S", "Z"};
	static const char *const sexes[] = {"F", "M"};
	static const char *const disabilities[] = {"Y", "N", "Z"};
	static const char *const ages[] = {"16-24", "25-34", "35-44", "45-54", "55-64",
	                                   "65+"};
	static const char *const pays[] = {"2", "3", "4", "5", "6", "7", "8a", "8b", "9"};
	static const char *const groups[] = {"Nursing", "Admin", "Medical", "Estates"};
	parity_ingest_summary s;
	char path[160];
	fresh_dir();
	snprintf(path, sizeof path, "%s/distinct.csv", dir);
	FILE *out = fopen(path, "w");
	expected_row *rows = calloc(ROWS, sizeof *rows);
	CHECK(out != NULL && rows != NULL);
	if (!out || !rows) {
		if (out)
			fclose(out);
		free(rows);
		return;
	}
	fprintf(out, "%s\n", recruitment_header);
	uint64_t state = 20240401;
	size_t counted = 0;
	for (int n = 1; n <= ROWS; n++) {
		expected_row r;
		memset(&r, 0, sizeof r);
		snprintf(r.org, sizeof r.org, "B%03u", (unsigned)(next_random(&state) % 500));
		int year = 2020 + (int)(next_random(&state) % 5);
		int month = 1 + (int)(next_random(&state) % 12);
		int day = 1 + (int)(next_random(&state) % 28);
		r.month = year * 12 + month - 1;
		snprintf(r.ethnic, sizeof r.ethnic, "%s", ethnic[next_random(&state) % 17]);
		snprintf(r.sex, sizeof r.sex, "%s", sexes[next_random(&state) % 2]);
		snprintf(r.disability, sizeof r.disability, "%s",
		         disabilities[next_random(&state) % 3]);
		snprintf(r.age, sizeof r.age, "%s", ages[next_random(&state) % 6]);
		snprintf(r.pay, sizeof r.pay, "%s", pays[next_random(&state) % 9]);
		snprintf(r.group, sizeof r.group, "%s", groups[next_random(&state) % 4]);
		r.shortlisted = (int)(next_random(&state) % 2);
		r.appointed = r.shortlisted && next_random(&state) % 2;
		int repeat = n % 10000 == 0;
		fprintf(out, "ID%07d,%s,%04d-%02d-%02d,%s,%s,%s,%s,%s,%s,%s,%s\n",
		        repeat ? n - 7777 : n, r.org, year, month, day, r.ethnic, r.sex,
		        r.disability, r.age, r.pay, r.group, r.shortlisted ? "Y" : "N",
		        r.appointed ? "Y" : "N");
		if (!repeat)
			rows[counted++] = r;
	}
	fclose(out);
	qsort(rows, counted, sizeof *rows, compare_rows);

	CHECK(ingest(&s, path, PARITY_KIND_RECRUITMENT, 2048, 1000) == 0);
	CHECK(s.rows_read == ROWS && s.rows_rejected == ROWS / 10000);
	CHECK(s.rows_accepted == counted);

	sqlite3 *db = NULL;
	sqlite3_stmt *stmt = NULL;
	CHECK(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK);
	CHECK(sqlite3_prepare_v2(db,
	                         "SELECT organisation, month, ethnic_category, sex, "
	                         "disability, age_band, pay_band, staff_group, sum(rows), "
	                         "sum(shortlisted), sum(appointed) FROM cells GROUP BY 1, "
	                         "2, 3, 4, 5, 6, 7, 8 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8",
	                         -1, &stmt, NULL) == SQLITE_OK);
	size_t i = 0, cells = 0, mismatches = 0;
	while (stmt && sqlite3_step(stmt) == SQLITE_ROW) {
		expected_row key;
		memset(&key, 0, sizeof key);
		snprintf(key.org, sizeof key.org, "%s", sqlite3_column_text(stmt, 0));
		key.month = sqlite3_column_int(stmt, 1);
		snprintf(key.ethnic, sizeof key.ethnic, "%s", sqlite3_column_text(stmt, 2));
		snprintf(key.sex, sizeof key.sex, "%s", sqlite3_column_text(stmt, 3));
		snprintf(key.disability, sizeof key.disability, "%s",
		         sqlite3_column_text(stmt, 4));
		snprintf(key.age, sizeof key.age, "%s", sqlite3_column_text(stmt, 5));
		snprintf(key.pay, sizeof key.pay, "%s", sqlite3_column_text(stmt, 6));
		snprintf(key.group, sizeof key.group, "%s", sqlite3_column_text(stmt, 7));
		long long n = 0, shortlisted = 0, appointed = 0;
		while (i < counted && compare_rows(&rows[i], &key) == 0) {
			n++;
			shortlisted += rows[i].shortlisted;
			appointed += rows[i].appointed;
			i++;
		}
		if (n == 0 || n != sqlite3_column_int64(stmt, 8) ||
		    shortlisted != sqlite3_column_int64(stmt, 9) ||
		    appointed != sqlite3_column_int64(stmt, 10))
			mismatches++;
		cells++;
	}
	CHECK(mismatches == 0);
	CHECK(i == counted);
	CHECK(cells > 190000); /* nearly every row its own cell */
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	free(rows);
}

/* ---- counts files ---------------------------------------------------------- */

static void test_export_counts_round_trip_is_exact(void)
{
	parity_ingest_summary s;
	parity_export_summary e1, e2;
	char first[160], second[160], other_db[160];
	fresh_dir();
	CHECK(ingest(&s, PARITY_SOURCE_DIR "/tests/data/ingest/canonical.csv",
	             PARITY_KIND_RECRUITMENT, 0, 0) == 0);
	snprintf(first, sizeof first, "%s/first.csv", dir);
	snprintf(second, sizeof second, "%s/second.csv", dir);
	snprintf(other_db, sizeof other_db, "%s/other.db", dir);
	parity_store *store = NULL;
	CHECK(parity_store_open(&store, db_path, 0) == 0);
	CHECK(parity_store_export_counts(&e1, store, first, 0) == 0);
	parity_store_close(store);
	/* canonical.csv: 12 applications */
	CHECK(e1.rows == 12 && e1.cells >= 1);

	snprintf(db_path, sizeof db_path, "%s", other_db);
	CHECK(ingest(&s, first, PARITY_KIND_COUNTS, 0, 0) == 0);
	CHECK(s.rows_read == e1.cells && s.rows_rejected == 0);
	CHECK(query("SELECT sum(rows) FROM cells") == 12);
	/* Hand counts from canonical.csv (test_ingest.c): R0A White shortlisted 3,
	 * appointed 2. */
	CHECK(query("SELECT sum(shortlisted) FROM cells WHERE organisation='R0A' AND "
	            "ethnic_category IN ('A','B','C')") == 3);
	CHECK(query("SELECT sum(appointed) FROM cells WHERE organisation='R0A' AND "
	            "ethnic_category IN ('A','B','C')") == 2);
	CHECK(parity_store_open(&store, db_path, 0) == 0);
	CHECK(parity_store_export_counts(&e2, store, second, 0) == 0);
	CHECK(parity_store_export_counts(&e2, store, second, 1) == PARITY_EUSAGE);
	parity_store_close(store);
	FILE *a = fopen(first, "rb"), *b = fopen(second, "rb");
	CHECK(a && b);
	int same = a && b;
	while (same) {
		int x = fgetc(a), y = fgetc(b);
		if (x != y)
			same = 0;
		if (x == EOF || y == EOF)
			break;
	}
	CHECK(same);
	if (a)
		fclose(a);
	if (b)
		fclose(b);
	parity_error_clear();
}

/* A counts file whose cells overlap an extract of the same kind is refused
 * like any re-delivery; of another kind it is taken. */
static void test_ingest_counts_coverage_is_per_kind(void)
{
	parity_ingest_summary s;
	char path[160];
	fresh_dir();
	CHECK(ingest(&s, PARITY_SOURCE_DIR "/tests/data/ingest/canonical.csv",
	             PARITY_KIND_RECRUITMENT, 0, 0) == 0);
	long long month = query("SELECT min(month) FROM cells WHERE organisation='R0A'");
	char label[8];
	parity_month_label(label, (int)month);
	snprintf(path, sizeof path, "%s/workforce-counts.csv", dir);
	FILE *out = fopen(path, "w");
	CHECK(out != NULL);
	if (!out)
		return;
	fprintf(out, "kind,month,organisation,ethnic_category,sex,disability,age_band,"
	        "pay_band,staff_group,contract,process,grounds,sexual_orientation,"
	        "religion,rows,shortlisted,appointed\n"
	        "workforce,%s,R0A,A,F,N,25-34,5,Nursing,permanent,,,,,7,0,0\n", label);
	fclose(out);
	CHECK(ingest(&s, path, PARITY_KIND_COUNTS, 0, 0) == 0);
	CHECK(query("SELECT sum(rows) FROM cells WHERE kind='workforce'") == 7);
	snprintf(path, sizeof path, "%s/recruitment-counts.csv", dir);
	out = fopen(path, "w");
	CHECK(out != NULL);
	if (!out)
		return;
	fprintf(out, "kind,month,organisation,ethnic_category,sex,disability,age_band,"
	        "pay_band,staff_group,contract,process,grounds,sexual_orientation,"
	        "religion,rows,shortlisted,appointed\n"
	        "recruitment,%s,R0A,A,F,N,25-34,5,Nursing,,,,,,3,1,0\n", label);
	fclose(out);
	CHECK(ingest(&s, path, PARITY_KIND_COUNTS, 0, 0) == PARITY_EDATA);
	CHECK(strstr(parity_error_last(), "holds recruitment data for R0A") != NULL);
	CHECK(strstr(parity_error_last(), "--replace") != NULL);
	parity_error_clear();
}

int main(void)
{
	parity_init();
	RUN(test_ingest_duplicates_far_apart_across_spills);
	RUN(test_ingest_repeat_alone_in_its_month_leaves_no_coverage);
	RUN(test_ingest_late_and_early_rejects_merge_in_line_order);
	RUN(test_ingest_training_repeats_far_apart);
	RUN(test_ingest_distinct_cells_exact_with_tiny_memory);
	RUN(test_export_counts_round_trip_is_exact);
	RUN(test_ingest_counts_coverage_is_per_kind);
	remove_dir();
	return HARNESS_REPORT();
}
