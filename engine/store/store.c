/*
 * store.c: the SQLite count store: opening and creating it (owner-only
 * permissions), the schema and its migrations, and error translation for
 * the modules that read and write it.
 */
#include "store_internal.h"
#include "util/util.h"

#include "parity/common.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct parity_store {
	sqlite3 *db;     /* the connection */
	char *path;      /* as given to parity_store_open */
};

/*
 * Schema version 1.
 * files:    every file ingested, by content digest; `active` is 0 once a
 *           re-delivery has replaced all of it.
 * coverage: which kind, organisation and month each file holds data for
 *           (a counts file holds several kinds), so a corrected re-delivery
 *           can be recognised and replace exactly that.
 * cells:    the count cube. One row per distinct combination of kind,
 *           month, organisation, characteristics and job attributes within a
 *           flush; queries always SUM, so a combination may appear more than
 *           once (never with a negative or all-zero count). Unused attributes
 *           are ''. No person-level identifier. (Since schema 5 the cells
 *           are kept in packs, cell_packs, and `cells` is a view of them.)
 * rejects:  rows refused, counted by file and reason.
 * quality:  per file and characteristic, rows not stated or not known.
 */
/* The columns of the cells table (versions 1 and 4). */
#define CELLS_COLUMNS \
	"file_id INTEGER NOT NULL REFERENCES files(id)," \
	" kind TEXT NOT NULL, month INTEGER NOT NULL, organisation TEXT NOT NULL," \
	" ethnic_category TEXT NOT NULL, sex TEXT NOT NULL, disability TEXT NOT NULL," \
	" age_band TEXT NOT NULL, pay_band TEXT NOT NULL, staff_group TEXT NOT NULL," \
	" contract TEXT NOT NULL, process TEXT NOT NULL, grounds TEXT NOT NULL," \
	" sexual_orientation TEXT NOT NULL, religion TEXT NOT NULL," \
	" rows INTEGER NOT NULL, shortlisted INTEGER NOT NULL," \
	" appointed INTEGER NOT NULL"

static const char schema_v1[] =
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
	"CREATE TABLE files("
	" id INTEGER PRIMARY KEY,"
	" sha256 TEXT NOT NULL UNIQUE,"
	" kind TEXT NOT NULL,"
	" path TEXT NOT NULL,"
	" rows_read INTEGER NOT NULL DEFAULT 0,"
	" rows_accepted INTEGER NOT NULL DEFAULT 0,"
	" rows_rejected INTEGER NOT NULL DEFAULT 0,"
	" first_month INTEGER, last_month INTEGER,"
	" ingested_at TEXT NOT NULL,"
	" active INTEGER NOT NULL DEFAULT 1);"
	"CREATE TABLE coverage("
	" file_id INTEGER NOT NULL REFERENCES files(id),"
	" kind TEXT NOT NULL, organisation TEXT NOT NULL, month INTEGER NOT NULL,"
	" PRIMARY KEY(file_id, kind, organisation, month)) WITHOUT ROWID;"
	"CREATE INDEX coverage_by_cell ON coverage(kind, organisation, month);"
	"CREATE TABLE cells(" CELLS_COLUMNS ");"
	"CREATE INDEX cells_by_kind ON cells(kind, month);"
	"CREATE INDEX cells_by_file ON cells(file_id);"
	"CREATE TABLE rejects("
	" file_id INTEGER NOT NULL REFERENCES files(id),"
	" reason TEXT NOT NULL, count INTEGER NOT NULL,"
	" PRIMARY KEY(file_id, reason)) WITHOUT ROWID;"
	"CREATE TABLE quality("
	" file_id INTEGER NOT NULL REFERENCES files(id),"
	" characteristic TEXT NOT NULL, not_stated INTEGER NOT NULL,"
	" not_known INTEGER NOT NULL, total INTEGER NOT NULL,"
	" PRIMARY KEY(file_id, characteristic)) WITHOUT ROWID;"
	"INSERT INTO meta(key, value) VALUES('schema_version', '1');";

sqlite3 *store_db(parity_store *store)
{
	return store->db;
}

int store_fail(parity_store *store, int rc, const char *what)
{
	const char *path = store ? store->path : "database";
	const char *msg = store && store->db ? sqlite3_errmsg(store->db)
	                                     : sqlite3_errstr(rc);
	int primary = rc & 0xff;
	if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
		return parity_error_set(PARITY_EBUSY,
		                        "%s: %s: the database is in use by another "
		                        "parity process; try again when it has finished",
		                        path, what);
	if (primary == SQLITE_FULL)
		return parity_error_set(PARITY_EIO, "%s: %s: the disk is full", path, what);
	if (primary == SQLITE_NOMEM)
		return parity_error_set(PARITY_ENOMEM, "%s: %s: out of memory", path, what);
	if (primary == SQLITE_IOERR) {
		/* SQLite says "disk I/O error"; the system's reason says why. */
		int sys = store && store->db ? sqlite3_system_errno(store->db) : 0;
		if (sys == ENOSPC || sys == EFBIG || sys == EDQUOT)
			return parity_error_set(PARITY_EIO, "%s: %s: cannot write (%s): the "
			                        "disk is full or a file-size limit was "
			                        "reached",
			                        path, what, strerror(sys));
		if (rc == SQLITE_IOERR_WRITE || rc == SQLITE_IOERR_FSYNC ||
		    rc == SQLITE_IOERR_TRUNCATE)
			return parity_error_set(PARITY_EIO, "%s: %s: cannot write (%s): check "
			                        "that the disk has space and no file-size "
			                        "limit is in the way", path, what,
			                        sys ? strerror(sys) : msg);
		if (sys)
			return parity_error_set(PARITY_EIO, "%s: %s: %s (%s)", path, what,
			                        msg, strerror(sys));
	}
	if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB)
		return parity_error_set(PARITY_EIO,
		                        "%s: %s: not a parity database or damaged (%s)",
		                        path, what, msg);
	return parity_error_set(PARITY_EIO, "%s: %s: %s", path, what, msg);
}

int store_exec(parity_store *store, const char *sql, const char *what)
{
	int rc = sqlite3_exec(store->db, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? 0 : store_fail(store, rc, what);
}

int store_commit(parity_store *store, const char *what)
{
	int rc = sqlite3_exec(store->db, "COMMIT", NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		return 0;
	rc = store_fail(store, rc, what);
	store_rollback(store);
	return rc;
}

void store_rollback(parity_store *store)
{
	if (!store || !store->db)
		return;
	if (!sqlite3_get_autocommit(store->db))
		sqlite3_exec(store->db, "ROLLBACK", NULL, NULL, NULL);
	/* Any read plays a hot journal back; its errors are not ours to report
	 * (the caller's error stands). */
	sqlite3_exec(store->db, "SELECT count(*) FROM sqlite_master", NULL, NULL, NULL);
}

int store_prepare(parity_store *store, sqlite3_stmt **out, const char *sql)
{
	int rc = sqlite3_prepare_v2(store->db, sql, -1, out, NULL);
	return rc == SQLITE_OK ? 0 : store_fail(store, rc, "preparing a query");
}

/* Read the schema version: 0 for an empty database. */
static int read_version(parity_store *store, int *version)
{
	sqlite3_stmt *stmt = NULL;
	int rc;
	*version = 0;
	rc = sqlite3_prepare_v2(store->db,
	                        "SELECT count(*) FROM sqlite_master WHERE name='meta'",
	                        -1, &stmt, NULL);
	if (rc != SQLITE_OK)
		return store_fail(store, rc, "reading the schema");
	rc = sqlite3_step(stmt);
	int has_meta = rc == SQLITE_ROW && sqlite3_column_int(stmt, 0) > 0;
	sqlite3_finalize(stmt);
	if (rc != SQLITE_ROW)
		return store_fail(store, rc, "reading the schema");
	if (!has_meta) {
		/* An SQLite file with other tables is not ours. */
		rc = sqlite3_prepare_v2(store->db, "SELECT count(*) FROM sqlite_master",
		                        -1, &stmt, NULL);
		if (rc != SQLITE_OK)
			return store_fail(store, rc, "reading the schema");
		rc = sqlite3_step(stmt);
		int tables = rc == SQLITE_ROW ? sqlite3_column_int(stmt, 0) : 0;
		sqlite3_finalize(stmt);
		if (tables > 0)
			return parity_error_set(PARITY_EDATA,
			                        "%s: this SQLite file is not a parity database",
			                        store->path);
		return 0;
	}
	rc = sqlite3_prepare_v2(store->db,
	                        "SELECT value FROM meta WHERE key='schema_version'",
	                        -1, &stmt, NULL);
	if (rc != SQLITE_OK)
		return store_fail(store, rc, "reading the schema version");
	if (sqlite3_step(stmt) == SQLITE_ROW)
		*version = atoi((const char *)sqlite3_column_text(stmt, 0));
	sqlite3_finalize(stmt);
	return 0;
}

/*
 * Schema version 2 adds the run history (engine/store/history.c).
 * runs:        one per analysis run: when it started and finished, the
 *              engine version, the settings (JSON), the period, its status
 *              ("running", "ok", "failed") and any error message.
 * run_results: the result rows of each run (section "results" or "trend").
 * run_cohorts: the cohort results of each run.
 */
static const char schema_v2[] =
	"CREATE TABLE runs("
	" id INTEGER PRIMARY KEY,"
	" started TEXT NOT NULL, finished TEXT,"
	" engine_version TEXT NOT NULL, settings TEXT NOT NULL,"
	" period TEXT, status TEXT NOT NULL, message TEXT);"
	"CREATE TABLE run_results("
	" run_id INTEGER NOT NULL REFERENCES runs(id),"
	" section TEXT NOT NULL, indicator TEXT NOT NULL, grouping TEXT NOT NULL,"
	" group1 TEXT NOT NULL, group2 TEXT NOT NULL, stratum_kind TEXT NOT NULL,"
	" stratum TEXT NOT NULL, period TEXT NOT NULL, window_label TEXT NOT NULL,"
	" x1 INTEGER NOT NULL, n1 INTEGER NOT NULL, x2 INTEGER NOT NULL,"
	" n2 INTEGER NOT NULL, ratio REAL, ci_low REAL, ci_high REAL, p REAL,"
	" estimate TEXT NOT NULL, pooled INTEGER NOT NULL, flags TEXT NOT NULL);"
	"CREATE INDEX run_results_by_run ON run_results(run_id);"
	"CREATE TABLE run_cohorts("
	" run_id INTEGER NOT NULL REFERENCES runs(id),"
	" cohort_id TEXT NOT NULL, indicator TEXT NOT NULL, arm TEXT NOT NULL,"
	" organisations TEXT NOT NULL, before_window TEXT NOT NULL,"
	" after_window TEXT NOT NULL, before_ratio REAL, after_ratio REAL,"
	" ratio REAL, ci_low REAL, ci_high REAL, p REAL, verdict TEXT NOT NULL);"
	"CREATE INDEX run_cohorts_by_run ON run_cohorts(run_id);"
	"UPDATE meta SET value = '2' WHERE key = 'schema_version';";

/*
 * Schema version 3 records the unattended monthly runs (engine/run/run_history.c):
 * which command made each run, the month it reports for, its warnings and
 * a summary of its files, and one row per inbox file event (new data,
 * corrected delivery, duplicate skipped, quarantined), so changes.txt can be
 * rebuilt for a month whatever the number of runs in it.
 */
static const char schema_v3[] =
	"ALTER TABLE runs ADD COLUMN command TEXT NOT NULL DEFAULT 'analyse';"
	"ALTER TABLE runs ADD COLUMN month TEXT;"
	"ALTER TABLE runs ADD COLUMN warnings INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE runs ADD COLUMN files TEXT;"
	"CREATE TABLE run_files("
	" run_id INTEGER NOT NULL REFERENCES runs(id),"
	" month TEXT NOT NULL, name TEXT NOT NULL, sha256 TEXT NOT NULL,"
	" kind TEXT NOT NULL, event TEXT NOT NULL, detail TEXT NOT NULL);"
	"CREATE INDEX run_files_by_month ON run_files(month);"
	"UPDATE meta SET value = '3' WHERE key = 'schema_version';";

/*
 * Schema version 4 numbers the cells so that each file's are one range of
 * the table: rowid = file_id << 32 | n, n counting from 0 within the file
 * (STORE_CELL_ROWID). Ingest then only ever appends to the end of the table
 * and keeps no secondary index up to date: the indexes on (kind, month) and
 * on file_id, whose scattered inserts took over a third of the time of a
 * large ingest, are dropped. In their place, cell_blocks lists the runs of
 * consecutive cells of one file, kind and month (ingest writes each table of
 * cells sorted by kind and month, so a file has about one run per kind and
 * month per table written): queries find a kind's cells for some months
 * through it (STORE_CELLS_OF_KIND), and a file's cells by their rowid range.
 * Runs never overlap. Cells deleted later (a duplicate taken back, a
 * replaced delivery) leave their run in place, with fewer cells in it.
 */
static const char schema_v4[] =
	"CREATE TABLE cells_v4(" CELLS_COLUMNS ");"
	"INSERT INTO cells_v4(rowid, file_id, kind, month, organisation, ethnic_category,"
	" sex, disability, age_band, pay_band, staff_group, contract, process, grounds,"
	" sexual_orientation, religion, rows, shortlisted, appointed)"
	" SELECT file_id * 4294967296 + row_number() OVER (PARTITION BY file_id"
	"  ORDER BY rowid) - 1, file_id, kind, month, organisation, ethnic_category,"
	"  sex, disability, age_band, pay_band, staff_group, contract, process, grounds,"
	"  sexual_orientation, religion, rows, shortlisted, appointed FROM cells;"
	"DROP TABLE cells;"
	"ALTER TABLE cells_v4 RENAME TO cells;"
	"CREATE TABLE cell_blocks("
	" file_id INTEGER NOT NULL REFERENCES files(id),"
	" kind TEXT NOT NULL, month INTEGER NOT NULL,"
	" first_cell INTEGER NOT NULL, last_cell INTEGER NOT NULL);"
	"CREATE INDEX cell_blocks_by_kind ON cell_blocks(kind, month);"
	/* The runs of consecutive cells of one file, kind and month. */
	"INSERT INTO cell_blocks(file_id, kind, month, first_cell, last_cell)"
	" SELECT file_id, kind, month, min(rowid), max(rowid) FROM"
	" (SELECT rowid, file_id, kind, month, rowid - row_number() OVER"
	"  (PARTITION BY file_id, kind, month ORDER BY rowid) AS run FROM cells)"
	" GROUP BY file_id, kind, month, run;"
	"UPDATE meta SET value = '4' WHERE key = 'schema_version';";

/*
 * Schema version 5 stores the cells in packs (see store_internal.h): a row
 * of cell_packs holds up to STORE_PACK_CELLS cells of one file, kind and
 * month as a JSON array (the migration writes every value; ingest leaves
 * out the empty ones at the end of a cell). Storing a nearly distinct cube of millions of
 * cells row by row cost SQLite about a microsecond a cell, most of an
 * ingest's time; a pack of thousands costs it one row. The analyses read
 * packs directly (store_pack_next); the view `cells` shows the same cells
 * one row a cell, with the columns of the table it replaces, for anyone
 * querying the database with SQL. cell_blocks goes: a pack is already one
 * kind and month. cells is left last in cell_packs so that scans by kind
 * and month never read it.
 */
#define CELLS_VIEW_DIMENSIONS \
	"CREATE VIEW cells AS SELECT p.file_id AS file_id, p.kind AS kind," \
	" p.month AS month, ifnull(c.value ->> 3, '') AS organisation," \
	" ifnull(c.value ->> 4, '') AS ethnic_category, ifnull(c.value ->> 5, '') AS sex," \
	" ifnull(c.value ->> 6, '') AS disability, ifnull(c.value ->> 7, '') AS age_band," \
	" ifnull(c.value ->> 8, '') AS pay_band, ifnull(c.value ->> 9, '') AS staff_group," \
	" ifnull(c.value ->> 10, '') AS contract, ifnull(c.value ->> 11, '') AS process," \
	" ifnull(c.value ->> 12, '') AS grounds," \
	" ifnull(c.value ->> 13, '') AS sexual_orientation," \
	" ifnull(c.value ->> 14, '') AS religion,"
#define CELLS_VIEW_COUNTS \
	" c.value ->> 0 AS rows, c.value ->> 1 AS shortlisted, c.value ->> 2 AS appointed" \
	" FROM cell_packs AS p, json_each(p.cells) AS c;"
#define CELLS_VIEW CELLS_VIEW_DIMENSIONS CELLS_VIEW_COUNTS

_Static_assert(STORE_PACK_CELLS == 4096, "schema_v5 packs cells 4096 at a time");

static const char schema_v5[] =
	"CREATE TABLE cell_packs("
	" id INTEGER PRIMARY KEY,"
	" file_id INTEGER NOT NULL REFERENCES files(id),"
	" kind TEXT NOT NULL, month INTEGER NOT NULL,"
	" cells TEXT NOT NULL);"
	"CREATE INDEX cell_packs_by_kind ON cell_packs(kind, month);"
	/* Each file's cells, by kind and month, in packs of STORE_PACK_CELLS. */
	"INSERT INTO cell_packs(id, file_id, kind, month, cells)"
	" SELECT file_id * 4294967296 + row_number() OVER (PARTITION BY file_id"
	"  ORDER BY kind, month, pack) - 1, file_id, kind, month, cells FROM"
	" (SELECT file_id, kind, month, pack, json_group_array(json_array("
	"   rows, shortlisted, appointed, organisation, ethnic_category, sex,"
	"   disability, age_band, pay_band, staff_group, contract, process, grounds,"
	"   sexual_orientation, religion)) AS cells FROM"
	"  (SELECT *, (row_number() OVER (PARTITION BY file_id, kind, month"
	"    ORDER BY rowid) - 1) / 4096 AS pack FROM cells)"
	"  GROUP BY file_id, kind, month, pack);"
	"DROP TABLE cell_blocks;"
	"DROP TABLE cells;"
	CELLS_VIEW
	"UPDATE meta SET value = '5' WHERE key = 'schema_version';";

/*
 * Schema version 6 records, per file, kind, organisation and month, the
 * first and last day of the month the file holds rows for (31 for "to the
 * end of the month"; counts files and workforce snapshots hold the whole
 * month), so that two deliveries cut mid-month add up, and a re-delivery
 * replaces only what it covers. Coverage recorded before has no days
 * (NULL): it counts as the whole month, as it did.
 */
static const char schema_v6[] =
	"ALTER TABLE coverage ADD COLUMN first_day INTEGER NOT NULL DEFAULT 1;"
	"ALTER TABLE coverage ADD COLUMN last_day INTEGER NOT NULL DEFAULT 31;"
	"ALTER TABLE coverage ADD COLUMN days_known INTEGER NOT NULL DEFAULT 1;"
	"UPDATE coverage SET days_known = 0;"
	/* Training: each person counted, as a keyed hash of id, organisation
	 * and financial year (the key, per year, in meta), until the year
	 * closes; see ingest_training.c. */
	"CREATE TABLE training_people("
	" year INTEGER NOT NULL, person INTEGER NOT NULL,"
	" organisation TEXT NOT NULL, month INTEGER NOT NULL,"
	" file_id INTEGER NOT NULL REFERENCES files(id),"
	" PRIMARY KEY(person)) WITHOUT ROWID;"
	"UPDATE meta SET value = '6' WHERE key = 'schema_version';";

/*
 * Schema version 7 records, with the file and in the same transaction, what
 * a re-delivery replaced ("124 rows (1 cell) of june-a.csv"; NULL when it
 * replaced nothing), so that a run stopped after the commit but before it
 * noted the file still reports it next time as a corrected delivery.
 */
static const char schema_v7[] =
	"ALTER TABLE files ADD COLUMN replaced TEXT;"
	"UPDATE meta SET value = '7' WHERE key = 'schema_version';";

/*
 * Schema version 8 adds a thirteenth dimension, `stage`: the furthest stage
 * a disciplinary case reached (parity_case_stage), '' for every other cell
 * and for cases whose extract had no stage columns. A pack leaves empty
 * values at the end of a cell out, so the packs written before are already
 * right; only the view gains the column.
 */
#define CELLS_VIEW_V8 \
	CELLS_VIEW_DIMENSIONS " ifnull(c.value ->> 15, '') AS stage," CELLS_VIEW_COUNTS

static const char schema_v8[] =
	"DROP VIEW cells;"
	CELLS_VIEW_V8
	"UPDATE meta SET value = '8' WHERE key = 'schema_version';";

/*
 * Schema version 9 keeps the NHS Staff Survey's results by group (kind
 * survey): they arrive as aggregates (respondents, and the positive count
 * or the mean and standard deviation), not as rows of people, so they are
 * a table of their own rather than cells. A later delivery replaces the
 * earlier figure of the same organisation, year, question and group.
 */
static const char schema_v9[] =
	"CREATE TABLE survey("
	" file_id INTEGER NOT NULL REFERENCES files(id),"
	" organisation TEXT NOT NULL, survey_year INTEGER NOT NULL,"
	" question TEXT NOT NULL, grp TEXT NOT NULL,"
	" respondents INTEGER NOT NULL, positive INTEGER, mean REAL, sd REAL,"
	" PRIMARY KEY(organisation, survey_year, question, grp)) WITHOUT ROWID;"
	"UPDATE meta SET value = '9' WHERE key = 'schema_version';";

/*
 * Schema version 10: packs with dictionaries (see store_internal.h). A
 * pack's values are listed once per dimension and its cells give the
 * index of each value, so that reading a pack reads small integers and an
 * analysis codes each distinct value of a pack once; `dictionary` holds
 * the dictionaries' text again, small, for the view (NULL for the packs
 * written before, which stay as they are: every reader reads both
 * forms). Adding the column rewrites nothing.
 */
#define CELLS_VIEW_V10 \
	"CREATE VIEW cells AS SELECT p.file_id AS file_id, p.kind AS kind," \
	" p.month AS month," \
	" ifnull(CASE WHEN p.dictionary IS NULL THEN c.value->>3 ELSE json_extract(p.dictionary," \
	" '$[0][' || (c.value->>3) || ']') END, '') AS organisation," \
	" ifnull(CASE WHEN p.dictionary IS NULL THEN c.value->>4 ELSE json_extract(p.dictionary," \
	" '$[1][' || (c.value->>4) || ']') END, '') AS ethnic_category," \
	" ifnull(CASE WHEN p.dictionary IS NULL THEN c.value->>5 ELSE json_extract(p.dictionary," \
	" '$[2][' || (c.value->>5) || ']') END, '') AS sex," \
	" ifnull(CASE WHEN p.dictionary IS NULL THEN c.value->>6 ELSE json_extract(p.dictionary," \
	" '$[3][' || (c.value->>6) || ']') END, '') AS disability," \
	" ifnull(CASE WHEN p.dictionary IS NULL THEN c.value->>7 ELSE json_extract(p.dictionary," \
	" '$[4][' || (c.value->>7) || ']') END, '') AS age_band," \
	" ifnull(CASE WHEN p.dictionary IS NULL THEN c.value->>8 ELSE json_extract(p.dictionary," \
	" '$[5][' || (c.value->>8) || ']') END, '') AS pay_band," \
	" ifnull(CASE WHEN p.dictionary IS NULL THEN c.value->>9 ELSE json_extract(p.dictionary," \
	" '$[6][' || (c.value->>9) || ']') END, '') AS staff_group," \
	" ifnull(CASE WHEN p.dictionary IS NULL THEN c.value->>10 ELSE json_extract(p.dictionary," \
	" '$[7][' || (c.value->>10) || ']') END, '') AS contract," \
	" ifnull(CASE WHEN p.dictionary IS NULL THEN c.value->>11 ELSE json_extract(p.dictionary," \
	" '$[8][' || (c.value->>11) || ']') END, '') AS process," \
	" ifnull(CASE WHEN p.dictionary IS NULL THEN c.value->>12 ELSE json_extract(p.dictionary," \
	" '$[9][' || (c.value->>12) || ']') END, '') AS grounds," \
	" ifnull(CASE WHEN p.dictionary IS NULL THEN c.value->>13 ELSE json_extract(p.dictionary," \
	" '$[10][' || (c.value->>13) || ']') END, '') AS sexual_orientation," \
	" ifnull(CASE WHEN p.dictionary IS NULL THEN c.value->>14 ELSE json_extract(p.dictionary," \
	" '$[11][' || (c.value->>14) || ']') END, '') AS religion," \
	" ifnull(CASE WHEN p.dictionary IS NULL THEN c.value->>15 ELSE json_extract(p.dictionary," \
	" '$[12][' || (c.value->>15) || ']') END, '') AS stage," \
	" c.value ->> 0 AS rows, c.value ->> 1 AS shortlisted, c.value ->> 2 AS appointed" \
	" FROM cell_packs AS p, json_each(p.cells," \
	" CASE WHEN p.dictionary IS NULL THEN '$' ELSE '$.c' END) AS c;"

static const char schema_v10[] =
	"ALTER TABLE cell_packs ADD COLUMN dictionary TEXT;"
	"DROP VIEW cells;"
	CELLS_VIEW_V10
	"UPDATE meta SET value = '10' WHERE key = 'schema_version';";

/*
 * Schema version 11: the disclosure gate's clean-ups remembered across
 * runs (store_memo.c): the outcome of each large one under a digest of
 * everything it depends on, so that a monthly run does not work again a
 * closed year's hundreds of trials. A cache: emptied, nothing is lost.
 */
static const char schema_v11[] =
	"CREATE TABLE gate_memo(key TEXT PRIMARY KEY, result BLOB NOT NULL,"
	" used INTEGER NOT NULL) WITHOUT ROWID;"
	"UPDATE meta SET value = '11' WHERE key = 'schema_version';";

/* Bring the schema up to PARITY_STORE_SCHEMA_VERSION in one transaction.
 * A database already up to date is only read: a reader opening it takes no
 * write lock, so it never waits for (or stalls) an ingest in progress. */
static int migrate(parity_store *store)
{
	int version = 0, rc;
	if ((rc = read_version(store, &version)))
		return rc;
	if (version == PARITY_STORE_SCHEMA_VERSION)
		return 0;
	if ((rc = store_exec(store, "BEGIN IMMEDIATE", "starting the schema update")))
		return rc;
	if ((rc = read_version(store, &version)))
		goto fail;
	if (version > PARITY_STORE_SCHEMA_VERSION) {
		rc = parity_error_set(PARITY_EDATA,
		                      "%s: written by a newer parity (schema %d; this one "
		                      "knows %d): upgrade parity", store->path, version,
		                      PARITY_STORE_SCHEMA_VERSION);
		goto fail;
	}
	if (version < 1 && (rc = store_exec(store, schema_v1, "creating the schema")))
		goto fail;
	if (version < 2 && (rc = store_exec(store, schema_v2, "adding the run history")))
		goto fail;
	if (version < 3 && (rc = store_exec(store, schema_v3, "adding run records")))
		goto fail;
	if (version < 4 && (rc = store_exec(store, schema_v4, "renumbering the cells")))
		goto fail;
	if (version < 5 && (rc = store_exec(store, schema_v5, "packing the cells")))
		goto fail;
	if (version < 6 && (rc = store_exec(store, schema_v6, "adding coverage days")))
		goto fail;
	if (version < 7 && (rc = store_exec(store, schema_v7, "recording replacements")))
		goto fail;
	if (version < 8 && (rc = store_exec(store, schema_v8, "adding case stages")))
		goto fail;
	if (version < 9 && (rc = store_exec(store, schema_v9, "adding the survey")))
		goto fail;
	if (version < 10 && (rc = store_exec(store, schema_v10, "adding pack dictionaries")))
		goto fail;
	if (version < 11 && (rc = store_exec(store, schema_v11, "adding the gate's memo")))
		goto fail;
	/* Later versions add their steps here: if (version < 12) ... */
	return store_commit(store, "saving the schema");
fail:
	store_rollback(store);
	return rc;
}

int parity_store_open(parity_store **out, const char *path, int create)
{
	parity_store *store = NULL;
	int rc, created = 0;
	*out = NULL;
	if (!path || !*path)
		return parity_error_set(PARITY_EUSAGE, "no database path given");

	struct stat st;
	if (stat(path, &st) != 0) {
		if (errno != ENOENT)
			return parity_error_set(PARITY_EIO, "%s: cannot open: %s", path,
			                        strerror(errno));
		if (!create)
			return parity_error_set(PARITY_ENOINPUT,
			                        "%s: no such database (ingest an extract first)",
			                        path);
		/* Its folder is made when missing, as for every output. */
		if ((rc = util_parent_mkdirs(path)) != 0)
			return rc;
		/* Create it owner-only before SQLite opens it. */
		int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
		if (fd < 0 && errno != EEXIST)
			return parity_error_set(PARITY_EIO, "%s: cannot create: %s", path,
			                        strerror(errno));
		if (fd >= 0) {
			close(fd);
			created = 1;
		}
	} else if (!S_ISREG(st.st_mode)) {
		return parity_error_set(PARITY_EIO, "%s: not a regular file", path);
	}

	store = calloc(1, sizeof *store);
	if (!store || !(store->path = strdup(path))) {
		free(store);
		return parity_error_set(PARITY_ENOMEM, "out of memory");
	}
	/* One thread uses a connection (ingest parses on a second thread but
	 * writes on the caller's), so SQLite's locking of it is only overhead:
	 * every bind took a mutex. */
	rc = sqlite3_open_v2(path, &store->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
	                     NULL);
	if (rc != SQLITE_OK) {
		rc = store_fail(store, rc, "opening");
		goto fail;
	}
	sqlite3_extended_result_codes(store->db, 1);
	/* Another process's short read or write is waited for rather than
	 * reported as busy (exit 75): a monthly run that meets someone's
	 * `parity analyse` goes on once it has finished. */
	sqlite3_busy_timeout(store->db, PARITY_STORE_BUSY_MS);
	/* Bigger pages than SQLite's 4 KiB: fewer, larger writes for the big
	 * cells table. Only possible before the first table is made. */
	if (created && (rc = store_exec(store, "PRAGMA page_size=16384", "setting up")))
		goto fail;
	/* Rollback journal (no -wal side file), synchronous so a crash never
	 * leaves a half-applied file. */
	if ((rc = store_exec(store, "PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL;"
	                            "PRAGMA journal_mode=DELETE; PRAGMA cache_size=-8192;",
	                     "setting up")))
		goto fail;
	if ((rc = migrate(store)))
		goto fail;
	*out = store;
	return 0;
fail:
	parity_store_close(store);
	if (created) {
		/* A database this call made but could not set up (disk full, say)
		 * is not left behind half made. */
		char journal[4200];
		unlink(path);
		if (snprintf(journal, sizeof journal, "%s-journal", path) <
		    (int)sizeof journal)
			unlink(journal);
	}
	return rc;
}

void parity_store_close(parity_store *store)
{
	if (!store)
		return;
	/* A write that failed may have left its undo journal for the next
	 * reader: play it back now, so the file is left as it was. */
	store_rollback(store);
	sqlite3_close(store->db);
	free(store->path);
	free(store);
}

const char *parity_store_path(const parity_store *store)
{
	return store->path;
}
