/*
 * test_util.h: scratch folders, whole-file reads and one-value SQL queries
 * that several unit tests share.
 */
#ifndef PARITY_TEST_UTIL_H
#define PARITY_TEST_UTIL_H

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char dir[64];      /* the current test's scratch folder */
static char db_path[192]; /* dir/test.db, or another database of the test */

/* Remove the scratch folder (ours, made by mkdtemp). */
static inline void remove_dir(void)
{
	char command[128];
	if (!dir[0])
		return;
	snprintf(command, sizeof command, "rm -rf '%s'", dir);
	if (system(command) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	dir[0] = '\0';
}

/* A fresh scratch folder /tmp/parity-TAG-XXXXXX, the previous one removed. */
static inline void fresh_dir_named(const char *tag)
{
	remove_dir();
	snprintf(dir, sizeof dir, "/tmp/parity-%.20s-XXXXXX", tag);
	if (!mkdtemp(dir))
		abort();
	snprintf(db_path, sizeof db_path, "%s/test.db", dir);
}

/* Open `name` in the scratch folder for writing; its path in `path`.
 * NULL (and a message) when it cannot be made. */
static inline FILE *create_in_dir(char *path, size_t size, const char *name)
{
	snprintf(path, size, "%s/%s", dir, name);
	FILE *out = fopen(path, "w");
	if (!out)
		fprintf(stderr, "cannot create %s\n", path);
	return out;
}

/* The whole file (NUL-terminated; caller frees), its size in *size when
 * `size` is not NULL; NULL when it cannot be read. */
static inline char *slurp_file(const char *path, size_t *size)
{
	FILE *in = fopen(path, "rb");
	if (!in)
		return NULL;
	fseek(in, 0, SEEK_END);
	long length = ftell(in);
	fseek(in, 0, SEEK_SET);
	char *data = length >= 0 ? malloc((size_t)length + 1) : NULL;
	if (data && fread(data, 1, (size_t)length, in) != (size_t)length) {
		free(data);
		data = NULL;
	}
	fclose(in);
	if (data) {
		data[length] = '\0';
		if (size)
			*size = (size_t)length;
	}
	return data;
}

/* One integer from an SQL query on database `path` (-1 on error). */
static inline long long query_db(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *stmt = NULL;
	long long value = -1;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) == SQLITE_OK &&
	    sqlite3_step(stmt) == SQLITE_ROW)
		value = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	return value;
}

#endif
