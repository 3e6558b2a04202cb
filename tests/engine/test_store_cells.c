/*
 * test_store_cells.c: the stored form of cells (packs of JSON): what a
 * pack looks like for awkward values (its dictionaries and its cells'
 * indexes), that SQLite's own JSON functions read a pack back as it was
 * written (so the `cells` view shows what ingest stored), that packs of
 * the form before dictionaries, as written by SQLite (the schema 5
 * migration) or by earlier versions, are read back, and that damaged packs
 * of either form are refused, never misread.
 */
#include "harness.h"

#include "parity/common.h"
#include "store/store_internal.h"

#include <sqlite3.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A cell of NUL-terminated values. */
static store_cell cell_of(const char *const values[STORE_DIMENSIONS], int64_t rows,
                          int64_t shortlisted, int64_t appointed)
{
	store_cell c;
	for (int d = 0; d < STORE_DIMENSIONS; d++) {
		c.dim[d] = values[d];
		c.length[d] = strlen(values[d]);
	}
	c.rows = rows;
	c.shortlisted = shortlisted;
	c.appointed = appointed;
	return c;
}

static int same_value(const store_cell *c, int d, const char *expected, size_t length)
{
	return c->length[d] == length && memcmp(c->dim[d], expected, length) == 0;
}

/* The exact text of a pack, written out by hand from the JSON grammar
 * (RFC 8259) and the form in store_internal.h: quote and backslash
 * escaped, control characters as \u00XX, UTF-8 and '/' left as they are;
 * each dimension up to the last with a non-empty value its dictionary, in
 * the order values are first met, each value once; each cell its counts
 * and its value's index in each of those dictionaries. */
static void test_pack_text(void)
{
	const char *const a[STORE_DIMENSIONS] = {"R0A", "A", "F", "N", "25-34", "5",
	                                         "Nursing", "", "", "", "", "", ""};
	const char *const b[STORE_DIMENSIONS] = {"Say \"hi\"", "back\\slash", "tab\there",
	                                         "caf\xc3\xa9", "a/b", "\x01", "", "", "",
	                                         "", "", "", ""};
	static const char expected[] =
		"{\"v\":[[\"R0A\",\"Say \\\"hi\\\"\"],[\"A\",\"back\\\\slash\"],"
		"[\"F\",\"tab\\u0009here\"],[\"N\",\"caf\xc3\xa9\"],[\"25-34\",\"a/b\"],"
		"[\"5\",\"\\u0001\"],[\"Nursing\",\"\"]],"
		"\"c\":[[3,2,1,0,0,0,0,0,0,0],[1234567890123,0,-7,1,1,1,1,1,1,1],"
		"[4,0,0,0,0,0,0,0,0,0]]}";
	store_pack pack;
	memset(&pack, 0, sizeof pack);
	store_pack_reset(&pack);
	store_cell ca = cell_of(a, 3, 2, 1);
	store_cell cb = cell_of(b, 1234567890123, 0, -7);
	store_cell ca4 = cell_of(a, 4, 0, 0); /* a's values again: no new entries */
	CHECK(store_pack_add(&pack, &ca) == 0);
	CHECK(store_pack_add(&pack, &cb) == 0);
	CHECK(store_pack_add(&pack, &ca4) == 0);
	CHECK(store_pack_finish(&pack) == 0);
	CHECK(pack.cells == 3);
	CHECK_STR(pack.text, expected);
	CHECK(pack.used == strlen(pack.text));
	/* The dictionaries, for the `dictionary` column: "v"'s array. */
	CHECK(pack.dictionary_at == 5);
	const char *dictionaries = expected + 5;
	size_t dictionaries_length = (size_t)(strstr(expected, ",\"c\":") - dictionaries);
	CHECK(pack.dictionary_length == dictionaries_length);
	CHECK(!memcmp(pack.text + pack.dictionary_at, dictionaries, dictionaries_length));
	/* The same cells given as quoted values (as ingest gives them), with
	 * and without the caller's ids, are written the same way. */
	const store_cell *cells[3] = {&ca, &cb, &ca4};
	for (int with_ids = 0; with_ids < 2; with_ids++) {
		store_pack quoted_pack;
		memset(&quoted_pack, 0, sizeof quoted_pack);
		for (int round = 0; round < 2; round++) { /* the second after a reset */
			store_pack_reset(&quoted_pack);
			for (int i = 0; i < 3; i++) {
				char buffer[STORE_DIMENSIONS][64];
				const char *quoted[STORE_DIMENSIONS];
				uint32_t length[STORE_DIMENSIONS], ids[STORE_DIMENSIONS];
				for (int d = 0; d < STORE_DIMENSIONS; d++) {
					size_t n = store_json_quoted_length(cells[i]->dim[d],
					                                    cells[i]->length[d]);
					store_json_quote(buffer[d], cells[i]->dim[d],
					                 cells[i]->length[d]);
					quoted[d] = buffer[d];
					length[d] = (uint32_t)n;
					/* Ids as a caller's dictionary gives them: equal
					 * values, equal ids (cells 0 and 2 are the same). */
					ids[d] = (uint32_t)(i == 1) * 1000 + (uint32_t)d;
				}
				CHECK(store_pack_add_quoted(&quoted_pack, quoted, length,
				                            with_ids ? ids : NULL, cells[i]->rows,
				                            cells[i]->shortlisted,
				                            cells[i]->appointed) == 0);
			}
			CHECK(store_pack_finish(&quoted_pack) == 0);
			CHECK_STR(quoted_pack.text, expected);
		}
		store_pack_free(&quoted_pack);
	}
	/* Empty values before a non-empty one are listed (one empty value). */
	const char *const c[STORE_DIMENSIONS] = {"X", "", "", "", "", "", "", "", "", "",
	                                         "", "Jewish", ""};
	store_cell cc = cell_of(c, 1, 0, 0);
	store_pack_reset(&pack);
	CHECK(store_pack_add(&pack, &cc) == 0);
	CHECK(store_pack_finish(&pack) == 0);
	CHECK_STR(pack.text, "{\"v\":[[\"X\"],[\"\"],[\"\"],[\"\"],[\"\"],[\"\"],[\"\"],"
	                     "[\"\"],[\"\"],[\"\"],[\"\"],[\"Jewish\"]],"
	                     "\"c\":[[1,0,0,0,0,0,0,0,0,0,0,0,0,0,0]]}");
	/* A cell of empty values only lists no dimension. */
	const char *const e[STORE_DIMENSIONS] = {"", "", "", "", "", "", "", "", "", "",
	                                         "", "", ""};
	store_cell ce = cell_of(e, 2, 1, 0);
	store_pack_reset(&pack);
	CHECK(store_pack_add(&pack, &ce) == 0);
	CHECK(store_pack_finish(&pack) == 0);
	CHECK_STR(pack.text, "{\"v\":[],\"c\":[[2,1,0]]}");
	/* An empty pack. */
	store_pack_reset(&pack);
	CHECK(store_pack_finish(&pack) == 0);
	CHECK_STR(pack.text, "{\"v\":[],\"c\":[]}");
	CHECK(pack.dictionary_length == 2);
	store_pack_free(&pack);
}

/* SQLite's json_extract reads every value of a written pack as it was,
 * through the cell's index into its dimension's dictionary: the `cells`
 * view is built on it. */
static void test_sqlite_reads_pack(void)
{
	const char *const v[STORE_DIMENSIONS] = {"Trust \"X\"", "a\\b", "line\nbreak",
	                                         "\x1f", "\xe2\x82\xac", "8c", "Allied Health",
	                                         "bank", "capability", "performance", "",
	                                         "Christian", "hearing"};
	store_pack pack;
	memset(&pack, 0, sizeof pack);
	store_cell c = cell_of(v, 5, 4, 3);
	CHECK(store_pack_add(&pack, &c) == 0);
	CHECK(store_pack_finish(&pack) == 0);
	sqlite3 *db = NULL;
	CHECK(sqlite3_open(":memory:", &db) == SQLITE_OK);
	sqlite3_stmt *stmt = NULL;
	/* ?1 the pack, ?3 its dictionaries, as the view reads them. */
	CHECK(sqlite3_prepare_v2(db,
	                         "SELECT CASE WHEN ?2 < 3"
	                         " THEN json_extract(?1, '$.c[0][' || ?2 || ']')"
	                         " ELSE json_extract(?3, '$[' || (?2 - 3) || '][' ||"
	                         " json_extract(?1, '$.c[0][' || ?2 || ']') || ']') END,"
	                         " json_extract(?1, '$.v') = json(?3)", -1,
	                         &stmt, NULL) == SQLITE_OK);
	for (int i = 0; i < STORE_DIMENSIONS + 3; i++) {
		sqlite3_bind_text(stmt, 1, pack.text, (int)pack.used, SQLITE_STATIC);
		sqlite3_bind_int(stmt, 2, i);
		sqlite3_bind_text(stmt, 3, pack.text + pack.dictionary_at,
		                  (int)pack.dictionary_length, SQLITE_STATIC);
		CHECK(sqlite3_step(stmt) == SQLITE_ROW);
		if (i >= 3) {
			const char *got = (const char *)sqlite3_column_text(stmt, 0);
			CHECK(got && !strcmp(got, v[i - 3]));
		} else {
			CHECK(sqlite3_column_type(stmt, 0) == SQLITE_INTEGER);
			CHECK(sqlite3_column_int64(stmt, 0) == 5 - i);
		}
		CHECK(sqlite3_column_int(stmt, 1) == 1);
		sqlite3_reset(stmt);
	}
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	store_pack_free(&pack);
}

/* A pack made by SQLite's json_group_array(json_array(...)), as the
 * migration to schema 5 makes them, reads back value for value, with
 * SQLite's escapes (\u00XX, \", \\) and a surrogate pair written by hand. */
static void test_read_sqlite_pack(void)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *stmt = NULL;
	CHECK(sqlite3_open(":memory:", &db) == SQLITE_OK);
	CHECK(sqlite3_prepare_v2(db,
	                         "SELECT json_group_array(json_array(r, s, a, o, 'A', 'M', "
	                         "'Y', '35-44', '6', 'Estates', '', '', '', '', '')) "
	                         "FROM (SELECT 'R1' AS o, 1 AS r, 1 AS s, 0 AS a UNION ALL "
	                         "SELECT 'q\"b\\s' || char(7) || char(233), 20, 10, 5)",
	                         -1, &stmt, NULL) == SQLITE_OK);
	CHECK(sqlite3_step(stmt) == SQLITE_ROW);
	store_pack_reader reader;
	memset(&reader, 0, sizeof reader);
	CHECK(store_pack_open(&reader, (const char *)sqlite3_column_text(stmt, 0),
	                      (size_t)sqlite3_column_bytes(stmt, 0)) == 0);
	store_cell c;
	CHECK(store_pack_next(&reader, &c) == 1);
	CHECK(same_value(&c, 0, "R1", 2));
	CHECK(same_value(&c, 6, "Estates", 7));
	CHECK(same_value(&c, 7, "", 0));
	CHECK(c.rows == 1 && c.shortlisted == 1 && c.appointed == 0);
	CHECK(store_pack_next(&reader, &c) == 1);
	CHECK(same_value(&c, 0, "q\"b\\s\a\xc3\xa9", 8));
	CHECK(same_value(&c, 4, "35-44", 5));
	CHECK(c.rows == 20 && c.shortlisted == 10 && c.appointed == 5);
	CHECK(store_pack_next(&reader, &c) == 0);
	sqlite3_finalize(stmt);
	sqlite3_close(db);

	/* U+1F600 as a surrogate pair; white space between tokens. */
	const char *text = " [ [ 1 , 0,0, \"\\ud83d\\ude00\", \"\\/\" ] ] ";
	CHECK(store_pack_open(&reader, text, strlen(text)) == 0);
	CHECK(store_pack_next(&reader, &c) == 1);
	CHECK(same_value(&c, 0, "\xf0\x9f\x98\x80", 4));
	CHECK(same_value(&c, 1, "/", 1));
	CHECK(same_value(&c, 2, "", 0));
	CHECK(same_value(&c, 11, "", 0));
	CHECK(c.rows == 1);
	CHECK(store_pack_next(&reader, &c) == 0);
	CHECK(store_pack_open(&reader, "[]", 2) == 0);
	CHECK(store_pack_next(&reader, &c) == 0);
	store_pack_reader_free(&reader);
}

/* A pack with dictionaries, written by hand with white space between
 * tokens: each cell's values and its indexes, the unlisted dimensions
 * empty; and an old pack and a new one read in turn by one reader. */
static void test_read_dictionaries(void)
{
	const char *text = " { \"v\" : [ [\"R1\", \"q\\\"b\"] , [\"\", \"A\"] ] , "
	                   "\"c\" : [ [5, 4, 3, 1, 0] , [ 1,0,0, 0,1 ] ] } ";
	store_pack_reader reader;
	memset(&reader, 0, sizeof reader);
	store_cell c;
	CHECK(store_pack_open(&reader, text, strlen(text)) == 0);
	CHECK(store_pack_next(&reader, &c) == 1);
	CHECK(reader.dictionaries == 1 && reader.listed == 2);
	CHECK(reader.count[0] == 2 && reader.count[1] == 2 && reader.count[2] == 0);
	CHECK(reader.code[0] == 1 && reader.code[1] == 0);
	CHECK(same_value(&c, 0, "q\"b", 3));
	CHECK(same_value(&c, 1, "", 0));
	CHECK(same_value(&c, 2, "", 0));
	CHECK(same_value(&c, 12, "", 0));
	CHECK(c.rows == 5 && c.shortlisted == 4 && c.appointed == 3);
	CHECK(store_pack_next(&reader, &c) == 1);
	CHECK(same_value(&c, 0, "R1", 2));
	CHECK(same_value(&c, 1, "A", 1));
	CHECK(c.rows == 1 && c.shortlisted == 0 && c.appointed == 0);
	CHECK(store_pack_next(&reader, &c) == 0);
	CHECK(store_pack_next(&reader, &c) == 0);
	const char *old = "[[2,1,0,\"R2\"]]";
	CHECK(store_pack_open(&reader, old, strlen(old)) == 0);
	CHECK(store_pack_next(&reader, &c) == 1);
	CHECK(reader.dictionaries == 0);
	CHECK(same_value(&c, 0, "R2", 2) && c.rows == 2);
	CHECK(store_pack_next(&reader, &c) == 0);
	CHECK(store_pack_open(&reader, "{\"v\":[],\"c\":[]}", 15) == 0);
	CHECK(store_pack_next(&reader, &c) == 0);
	store_pack_reader_free(&reader);
}

/* A round trip of many cells with every byte value in the dimensions. */
static void test_round_trip(void)
{
	store_pack pack;
	memset(&pack, 0, sizeof pack);
	char values[256][STORE_DIMENSIONS][4];
	for (int i = 0; i < 256; i++) {
		store_cell c;
		for (int d = 0; d < STORE_DIMENSIONS; d++) {
			/* Bytes i and i ^ d, as a one- or two-byte value. */
			values[i][d][0] = (char)(i ? i : 'z');
			values[i][d][1] = (char)((i ^ d) ? (i ^ d) : 'y');
			c.dim[d] = values[i][d];
			c.length[d] = 1 + (size_t)(d % 2);
		}
		c.rows = i;
		c.shortlisted = -i;
		c.appointed = INT64_MAX - i;
		CHECK(store_pack_add(&pack, &c) == 0);
	}
	CHECK(store_pack_finish(&pack) == 0);
	store_pack_reader reader;
	memset(&reader, 0, sizeof reader);
	CHECK(store_pack_open(&reader, pack.text, pack.used) == 0);
	int i = 0, same = 1;
	store_cell c;
	while (store_pack_next(&reader, &c) == 1) {
		for (int d = 0; d < STORE_DIMENSIONS; d++)
			if (!same_value(&c, d, values[i][d], 1 + (size_t)(d % 2)))
				same = 0;
		if (c.rows != i || c.shortlisted != -i || c.appointed != INT64_MAX - i)
			same = 0;
		i++;
	}
	CHECK(i == 256);
	CHECK(same);
	store_pack_reader_free(&reader);
	store_pack_free(&pack);
}

/* Damaged packs: an error (PARITY_EIO, with a message saying what to do),
 * never a cell made up from them. */
static void test_damaged(void)
{
	static const char *const bad[] = {
		"",
		"{}",
		"[",
		"[[1,2]]",
		/* one value more than the thirteen dimensions */
		("[[1,2,3,\"a\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\","
		 "\"x\"]]"),
		"[[1.5,2,3]]",
		"[[null,2,3]]",
		"[[1,2,3,4]]",
		"[[1,2,3,\"a\",]]",
		"[[99999999999999999999,2,3]]",
		"[[1,2,3,\"\\x\"]]",
		"[[1,2,3,\"\\ud800\"]]",
		"[[1,2,3,\"\\u12\"]]",
		"[[1,2,3,\"a\"]] x",
		"[[1,2,3,\"a\"]",
		"[[1,2,3,\"a]]",
		"[[1,2,3,\"a\"],]",
		"[[\"a\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",1,2,3]]",
		/* packs with dictionaries */
		"{\"v\":[],\"c\":[[1,2,3,0]]}",           /* an index with no dictionary */
		"{\"v\":[[\"a\"]],\"c\":[[1,2,3,1]]}",    /* past the dictionary */
		"{\"v\":[[\"a\"]],\"c\":[[1,2,3,-1]]}",
		"{\"v\":[[\"a\"]],\"c\":[[1,2,3]]}",      /* an index missing */
		"{\"v\":[[\"a\"]],\"c\":[[1,2,3,0,0]]}",  /* one too many */
		"{\"v\":[[]],\"c\":[]}",                  /* an empty dictionary */
		"{\"v\":[[\"a\"]],\"c\":[[1,2,3,0]]",     /* unclosed */
		"{\"v\":[[\"a\"]],\"c\":[[1,2,3,0]]} x",
		"{\"v\":[[\"a\"]],\"c\":[[1,2,3,\"a\"]]}",
		"{\"c\":[],\"v\":[]}",
		"{\"v\":[[1]],\"c\":[]}",
		"{\"v\":[],\"c\":[[1,2,3]],}",
		("{\"v\":[[\"\"],[\"\"],[\"\"],[\"\"],[\"\"],[\"\"],[\"\"],[\"\"],[\"\"],"
		 "[\"\"],[\"\"],[\"\"],[\"\"],[\"\"]],\"c\":[]}"), /* fourteen dimensions */
	};

	store_pack_reader reader;
	memset(&reader, 0, sizeof reader);
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		CHECK(store_pack_open(&reader, bad[i], strlen(bad[i])) == 0);
		store_cell c;
		int rc;
		while ((rc = store_pack_next(&reader, &c)) == 1)
			;
		if (rc != PARITY_EIO)
			fprintf(stderr, "damaged pack %zu read as good: %s\n", i, bad[i]);
		CHECK(rc == PARITY_EIO);
		CHECK(strstr(parity_error_last(), "damaged") != NULL);
	}
	/* A NULL column (cells can never be NULL, but a hand-edited database)
	 * is damaged too. */
	CHECK(store_pack_open(&reader, NULL, 0) == 0);
	store_cell c;
	CHECK(store_pack_next(&reader, &c) == PARITY_EIO);
	store_pack_reader_free(&reader);
}

int main(void)
{
	RUN(test_pack_text);
	RUN(test_sqlite_reads_pack);
	RUN(test_read_sqlite_pack);
	RUN(test_read_dictionaries);
	RUN(test_round_trip);
	RUN(test_damaged);
	return HARNESS_REPORT();
}
