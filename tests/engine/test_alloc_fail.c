/*
 * test_alloc_fail.c: every library operation survives running out of
 * memory. The test is linked with -Wl,--wrap=malloc,... so that parity's own
 * allocations go through the wrappers below, and SQLite's go through an
 * allocator given to sqlite3_config(); either can be made to fail its N-th
 * allocation. For each operation and each N, the operation must return 0 or
 * a negative parity error with a message, never crash or leak (the
 * sanitizer build checks), and leave a database it wrote consistent:
 * integrity_check ok and each file whole or absent.
 */
#include "harness.h"
#include "test_util.h"
#include "parity.h"

#include <errno.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DATA PARITY_SOURCE_DIR "/tests/data/"

/* ---- the failing allocators --------------------------------------------- */

void *__real_malloc(size_t size);
void *__real_calloc(size_t count, size_t size);
void *__real_realloc(void *ptr, size_t size);
char *__real_strdup(const char *text);
void *__wrap_malloc(size_t size);
void *__wrap_calloc(size_t count, size_t size);
void *__wrap_realloc(void *ptr, size_t size);
char *__wrap_strdup(const char *text);

#define DISARMED (LONG_MIN / 2)

/* Allocations made (counted always) and the countdown to the one that
 * fails (it fails when the countdown goes from 1 to 0). Atomic: ingest
 * parses on a second thread. */
static atomic_long parity_allocations, parity_countdown = DISARMED;
static atomic_long sqlite_allocations, sqlite_countdown = DISARMED;
static atomic_int fired;

static int fail_now(atomic_long *count, atomic_long *countdown)
{
	atomic_fetch_add(count, 1);
	if (atomic_fetch_sub(countdown, 1) != 1)
		return 0;
	atomic_store(&fired, 1);
	errno = ENOMEM;
	return 1;
}

void *__wrap_malloc(size_t size)
{
	return fail_now(&parity_allocations, &parity_countdown) ? NULL
	                                                        : __real_malloc(size);
}

void *__wrap_calloc(size_t count, size_t size)
{
	return fail_now(&parity_allocations, &parity_countdown) ? NULL
	                                                        : __real_calloc(count, size);
}

void *__wrap_realloc(void *ptr, size_t size)
{
	return fail_now(&parity_allocations, &parity_countdown) ? NULL
	                                                        : __real_realloc(ptr, size);
}

char *__wrap_strdup(const char *text)
{
	return fail_now(&parity_allocations, &parity_countdown) ? NULL
	                                                        : __real_strdup(text);
}

static sqlite3_mem_methods sqlite_default;

static void *sqlite_malloc(int size)
{
	return fail_now(&sqlite_allocations, &sqlite_countdown)
	               ? NULL : sqlite_default.xMalloc(size);
}

static void *sqlite_realloc(void *ptr, int size)
{
	return fail_now(&sqlite_allocations, &sqlite_countdown)
	               ? NULL : sqlite_default.xRealloc(ptr, size);
}

/* Route SQLite's allocations through sqlite_malloc/realloc. Before any
 * other use of SQLite. */
static void hook_sqlite(void)
{
	sqlite3_mem_methods methods;
	if (sqlite3_config(SQLITE_CONFIG_GETMALLOC, &sqlite_default) != SQLITE_OK)
		abort();
	methods = sqlite_default;
	methods.xMalloc = sqlite_malloc;
	methods.xRealloc = sqlite_realloc;
	if (sqlite3_config(SQLITE_CONFIG_MALLOC, &methods) != SQLITE_OK)
		abort();
}

/* ---- fixtures -------------------------------------------------------------- */

static char base_db[192];      /* canonical.csv ingested */
static char analysed_db[192];  /* canonical.csv and awkward.csv */
static char scratch[256];      /* a path the operation may write */
static parity_results *results; /* analysed_db's results */

static int ingest_into(const char *db, const char *file, const char *map,
                       double share, int single_thread)
{
	parity_store *store = NULL;
	parity_mapping *mapping = NULL;
	parity_ingest_options options;
	parity_ingest_summary summary;
	int rc = map ? parity_mapping_load(&mapping, map) : 0;
	if (!rc)
		rc = parity_store_open(&store, db, 1);
	if (!rc) {
		parity_ingest_options_default(&options, PARITY_KIND_RECRUITMENT);
		options.mapping = mapping;
		options.rejects_dir = dir;
		options.single_thread = single_thread;
		if (share >= 0)
			options.max_reject_share = share;
		rc = parity_ingest_file(&summary, store, file, &options);
	}
	parity_store_close(store);
	parity_mapping_free(mapping);
	return rc;
}

/* ---- the operations ------------------------------------------------------ */

/* Each operation runs with failures armed; `expect` below checks after. */
typedef struct operation {
	const char *name;
	int (*run)(void);
	const char *db;        /* the database it writes, checked after; or NULL */
	const char *file;      /* the extract it ingests into db, or NULL */
	long rows;             /* that file's rows stored when it succeeds */
	long least;            /* parity's allocations it must make at the least */
} operation;

/* Copy `from` to the scratch database (so each attempt starts the same). */
static void reset_db(const char *from)
{
	char command[512];
	unlink(db_path);
	if (from) {
		snprintf(command, sizeof command, "cp '%s' '%s'", from, db_path);
		if (system(command) != 0)
			abort();
	}
}

static int op_ingest_fresh(void)
{
	return ingest_into(db_path, DATA "ingest/canonical.csv", NULL, -1, 0);
}

static int op_ingest_mapped(void)
{
	return ingest_into(db_path, DATA "ingest/awkward.csv", DATA "ingest/awkward.ini",
	                   -1, 0);
}

static int op_ingest_rejects(void)
{
	/* Bad rows and a repeated id: the rejects file and the duplicate
	 * search, on the calling thread only. */
	return ingest_into(db_path, DATA "ingest/broken.csv", NULL, 1.0, 1);
}

static int op_mapping_load(void)
{
	parity_mapping *mapping = NULL;
	int rc = parity_mapping_load(&mapping, DATA "ingest/awkward.ini");
	parity_mapping_free(mapping);
	return rc;
}

static int op_mapping_suggest(void)
{
	parity_suggest_options options;
	parity_suggest_summary summary;
	memset(&options, 0, sizeof options);
	options.kind = PARITY_KIND_RECRUITMENT;
	return parity_mapping_suggest(&summary, DATA "ingest/awkward.csv", &options,
	                              scratch);
}

static int op_analyse(void)
{
	parity_store *store = NULL;
	parity_results *out = NULL;
	parity_analyse_options options;
	parity_analyse_options_default(&options);
	int rc = parity_store_open(&store, db_path, 0);
	if (!rc)
		rc = parity_analyse_run(&out, store, &options);
	parity_results_free(out);
	parity_store_close(store);
	return rc;
}

static int op_results_write(void)
{
	char path[300];
	int rc;
	snprintf(path, sizeof path, "%s/results.csv", dir);
	if ((rc = parity_results_write_csv(results, path)))
		return rc;
	snprintf(path, sizeof path, "%s/results.json", dir);
	if ((rc = parity_results_write_json(results, path)))
		return rc;
	snprintf(path, sizeof path, "%s/trend.csv", dir);
	if ((rc = parity_results_write_trend_csv(results, path)))
		return rc;
	snprintf(path, sizeof path, "%s/trend.json", dir);
	return parity_results_write_trend_json(results, path);
}

static int op_quality(void)
{
	parity_store *store = NULL;
	parity_quality *quality = NULL;
	int rc = parity_store_open(&store, db_path, 0);
	if (!rc)
		rc = parity_quality_read(&quality, store);
	parity_quality_free(quality);
	parity_store_close(store);
	return rc;
}

static int op_history(void)
{
	parity_store *store = NULL;
	parity_analyse_options options;
	int64_t run_id = 0;
	parity_analyse_options_default(&options);
	int rc = parity_store_open(&store, db_path, 0);
	if (!rc)
		rc = parity_history_begin(&run_id, store, &options);
	if (!rc)
		rc = parity_history_finish(store, run_id, results, "ok", NULL);
	parity_store_close(store);
	return rc;
}

static int op_export(void)
{
	parity_store *store = NULL;
	parity_export_summary summary;
	int rc = parity_store_open(&store, db_path, 0);
	if (!rc)
		rc = parity_store_export_counts(&summary, store, scratch, 0);
	parity_store_close(store);
	return rc;
}

static int op_check(void)
{
	parity_check_report *report = NULL;
	int rc = parity_check_file(&report, DATA "analyse/submission-errors.csv");
	parity_check_report_free(report);
	return rc;
}

static int op_cohorts(void)
{
	parity_store *store = NULL;
	parity_cohorts *cohorts = NULL;
	int rc = parity_store_open(&store, db_path, 0);
	if (!rc)
		rc = parity_cohorts_load(&cohorts, PARITY_SOURCE_DIR "/sample-data/cohorts.csv",
		                         store);
	parity_cohorts_free(cohorts);
	parity_store_close(store);
	return rc;
}

static int op_run_setup(void)
{
	parity_run_config config;
	parity_inbox_file *files = NULL;
	size_t count = 0;
	char path[300];
	snprintf(path, sizeof path, "%s/run.ini", dir);
	int rc = parity_run_config_load(&config, path);
	if (!rc)
		rc = parity_inbox_list(&files, &count, config.inbox);
	free(files);
	return rc;
}

static int op_run_changes(void)
{
	parity_store *store = NULL;
	parity_analyse_options options;
	char **lines = NULL;
	int64_t run_id = 0;
	parity_run_event event;
	memset(&event, 0, sizeof event);
	snprintf(event.name, sizeof event.name, "recruitment-2026-01.csv");
	snprintf(event.sha256, sizeof event.sha256, "%064d", 0);
	snprintf(event.kind, sizeof event.kind, "recruitment");
	snprintf(event.event, sizeof event.event, "new");
	snprintf(event.detail, sizeof event.detail, "12 rows, 12 stored, 0 rejected");
	parity_analyse_options_default(&options);
	int rc = parity_store_open(&store, db_path, 0);
	if (!rc)
		rc = parity_history_begin(&run_id, store, &options);
	if (!rc)
		rc = parity_run_save(store, run_id, "2026-01", "ok", 0, &event, 1);
	if (!rc)
		rc = parity_run_write_changes(&lines, store, run_id, "2026-01", scratch, NULL);
	parity_run_changes_free(lines);
	parity_store_close(store);
	return rc;
}

static int op_report(void)
{
	parity_report_options options;
	memset(&options, 0, sizeof options);
	options.suppress_below = 5;
	return parity_report_write(results, &options, dir);
}

/* `least`: a floor on parity's own allocations, so that a sweep cannot pass
 * by making no attempt (the --wrap no longer applying, say, or the
 * operation failing before it does anything). Each is about a third of
 * what the operation makes today, counted by what it must hold: an ingest
 * its reader, buffers, code tables and parse thread; the report its pages,
 * fonts and charts; loading a file its lines and entries. Writing results
 * goes through stdio alone (libc's own allocations are not wrapped): its
 * floor is 0, and it is swept for the day it allocates. SQLite's side has
 * one floor for all, SQLITE_FLOOR: opening a database and reading its
 * schema alone takes hundreds. */
static const operation operations[] = {
	{"ingest into a new database", op_ingest_fresh, "", DATA "ingest/canonical.csv", 12, 20},
	{"ingest with a mapping", op_ingest_mapped, base_db, DATA "ingest/awkward.csv", 6, 25},
	{"ingest with rejects and a duplicate", op_ingest_rejects, "",
	 DATA "ingest/broken.csv", 2, 30},
	{"load a mapping", op_mapping_load, NULL, NULL, 0, 5},
	{"draft a mapping", op_mapping_suggest, NULL, NULL, 0, 30},
	{"analyse", op_analyse, analysed_db, NULL, 0, 50},
	{"write results files", op_results_write, NULL, NULL, 0, 0},
	{"read data quality", op_quality, analysed_db, NULL, 0, 10},
	{"keep a run in the history", op_history, analysed_db, NULL, 0, 1},
	{"export counts", op_export, analysed_db, NULL, 0, 2},
	{"check a submission", op_check, NULL, NULL, 0, 5},
	{"load cohorts", op_cohorts, analysed_db, NULL, 0, 7},
	{"read a run configuration and its inbox", op_run_setup, NULL, NULL, 0, 1},
	{"record a run's files and what changed", op_run_changes, analysed_db, NULL, 0, 1},
	{"write the board report", op_report, NULL, NULL, 0, 60},
};
#define SQLITE_FLOOR 1000

/* ---- checking one attempt -------------------------------------------------- */

/* One text value from SQL on the scratch database ("" on error). */
static void query_text(char *out, size_t size, const char *sql)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *stmt = NULL;
	out[0] = '\0';
	if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) == SQLITE_OK &&
	    sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0))
		snprintf(out, size, "%s", (const char *)sqlite3_column_text(stmt, 0));
	sqlite3_finalize(stmt);
	sqlite3_close(db);
}

/* After an attempt on `op`'s database: intact, and its file whole or
 * absent. Returns 1 when consistent. */
static int consistent(const operation *op)
{
	char text[256];
	if (access(db_path, F_OK) != 0)
		return 1; /* never made (a new database is removed on failure) */
	query_text(text, sizeof text, "PRAGMA integrity_check");
	if (strcmp(text, "ok") != 0) {
		fprintf(stderr, "  integrity_check: %s\n", text);
		return 0;
	}
	query_text(text, sizeof text, "SELECT count(*) FROM sqlite_master WHERE name='files'");
	if (strcmp(text, "0") == 0)
		return 1; /* the schema was never made */
	query_text(text, sizeof text,
	           "SELECT (SELECT count(*) FROM files WHERE sha256 LIKE 'pending-%')"
	           " + (SELECT count(*) FROM cells WHERE file_id NOT IN (SELECT id FROM files))"
	           " + (SELECT count(*) FROM coverage WHERE file_id NOT IN (SELECT id FROM files))"
	           " + (SELECT count(*) FROM rejects WHERE file_id NOT IN (SELECT id FROM files))"
	           " + (SELECT count(*) FROM quality WHERE file_id NOT IN (SELECT id FROM files))");
	if (strcmp(text, "0") != 0) {
		fprintf(stderr, "  %s rows of a file not recorded\n", text);
		return 0;
	}
	if (op->file) {
		char sql[512];
		snprintf(sql, sizeof sql,
		         "SELECT coalesce((SELECT sum(rows) FROM cells WHERE file_id = "
		         "(SELECT id FROM files WHERE path = '%s')), -1)", op->file);
		query_text(text, sizeof text, sql);
		if (strcmp(text, "-1") != 0 && atol(text) != op->rows) {
			fprintf(stderr, "  %s holds %s rows of %ld\n", op->file, text, op->rows);
			return 0;
		}
	}
	return 1;
}

/* Run `op` once with allocation `n` of the chosen allocator failing (0: none
 * fails). Returns the operation's result; *failed_check is set when the
 * result or the database is not as it must be. */
static int attempt(const operation *op, int sqlite_side, long n, int *failed_check)
{
	if (op->db)
		reset_db(op->db[0] ? op->db : NULL);
	parity_error_clear();
	atomic_store(&fired, 0);
	atomic_store(sqlite_side ? &sqlite_countdown : &parity_countdown,
	             n > 0 ? n : DISARMED);
	int rc = op->run();
	atomic_store(&parity_countdown, DISARMED);
	atomic_store(&sqlite_countdown, DISARMED);
	*failed_check = 0;
	if (rc > 0 || (rc < 0 && !parity_error_last()[0])) {
		fprintf(stderr, "%s: allocation %ld failing: returned %d, message \"%s\"\n",
		        op->name, n, rc, parity_error_last());
		*failed_check = 1;
	}
	if (op->db && !consistent(op)) {
		fprintf(stderr, "%s: allocation %ld failing: the database is not "
		        "consistent (returned %d: %s)\n", op->name, n, rc,
		        parity_error_last());
		*failed_check = 1;
	}
	return rc;
}

/* At most this many attempts per operation and allocator: evenly spaced
 * over all of its allocations when it makes more (SQLite makes thousands). */
static long max_attempts = 400, max_sqlite_attempts = 100;
static const char *only; /* PARITY_ALLOC_FAIL_ONLY: operations named so */

static void sweep(const operation *op, int sqlite_side)
{
	int bad = 0;
	if (only && !strstr(op->name, only))
		return;
	atomic_long *count = sqlite_side ? &sqlite_allocations : &parity_allocations;
	atomic_store(count, 0);
	CHECK(attempt(op, sqlite_side, 0, &bad) == 0);
	CHECK(!bad);
	long total = atomic_load(count);
	long stride = total / (sqlite_side ? max_sqlite_attempts : max_attempts) + 1;
	long nomem = 0, other = 0, ok = 0, failures = 0;
	for (long n = 1; n <= total; n += stride) {
		int rc = attempt(op, sqlite_side, n, &bad);
		if (bad)
			failures++;
		if (rc == PARITY_ENOMEM)
			nomem++;
		else if (rc == 0)
			ok++;
		else {
			other++;
			if (!sqlite_side)
				fprintf(stderr, "  note: %s, allocation %ld: %d: %s\n", op->name, n,
				        rc, parity_error_last());
		}
	}
	printf("     %s (%s): %ld allocations, every %ld failed in turn: %ld out of "
	       "memory, %ld other errors, %ld went on\n", op->name,
	       sqlite_side ? "SQLite's" : "parity's", total, stride, nomem, other, ok);
	CHECK(failures == 0);
	/* The sweep made attempts, and a failed allocation reached the caller:
	 * without these it passes on an operation that allocates nothing. */
	long least = sqlite_side ? SQLITE_FLOOR : op->least;
	if (total < least)
		fprintf(stderr, "%s (%s): %ld allocations counted, expected at least %ld\n",
		        op->name, sqlite_side ? "SQLite's" : "parity's", total, least);
	CHECK(total >= least);
	CHECK(least == 0 || nomem > 0);
}

static void test_alloc_fail_parity_allocations(void)
{
	for (size_t i = 0; i < sizeof operations / sizeof operations[0]; i++)
		sweep(&operations[i], 0);
}

static void test_alloc_fail_sqlite_allocations(void)
{
	for (size_t i = 0; i < sizeof operations / sizeof operations[0]; i++)
		if (operations[i].db)
			sweep(&operations[i], 1);
}

int main(void)
{
	hook_sqlite();
	parity_init();
	const char *limit = getenv("PARITY_ALLOC_FAIL_MAX");
	if (limit && atol(limit) > 0)
		max_attempts = max_sqlite_attempts = atol(limit);
	only = getenv("PARITY_ALLOC_FAIL_ONLY");
	/* In memory where there is a tmpfs: every ingest ends with an fsync. */
	snprintf(dir, sizeof dir, "/dev/shm/parity-alloc-XXXXXX");
	if (!mkdtemp(dir))
		fresh_dir_named("alloc");
	snprintf(base_db, sizeof base_db, "%s/base.db", dir);
	snprintf(analysed_db, sizeof analysed_db, "%s/analysed.db", dir);
	snprintf(scratch, sizeof scratch, "%s/scratch.out", dir);
	if (ingest_into(base_db, DATA "ingest/canonical.csv", NULL, -1, 0) ||
	    ingest_into(analysed_db, DATA "ingest/canonical.csv", NULL, -1, 0) ||
	    ingest_into(analysed_db, DATA "ingest/awkward.csv", DATA "ingest/awkward.ini",
	                -1, 0)) {
		fprintf(stderr, "fixture: %s\n", parity_error_last());
		return 1;
	}
	char path[300];
	snprintf(path, sizeof path, "%s/run.ini", dir);
	FILE *config = fopen(path, "w");
	if (!config)
		return 1;
	fprintf(config, "[paths]\ndatabase = run.db\ninbox = inbox\narchive = archive\n"
	        "quarantine = quarantine\noutput = out\nlog = run.log\n");
	fclose(config);
	snprintf(path, sizeof path, "%s/inbox/workforce", dir);
	char command[1400];
	snprintf(command, sizeof command, "mkdir -p '%s' && cp '%s' '%s/' && cp '%s' "
	         "'%s/../recruitment-2026.csv'", path, DATA "ingest/canonical.csv", path,
	         DATA "ingest/canonical.csv", path);
	if (system(command) != 0)
		return 1;
	snprintf(db_path, sizeof db_path, "%s", analysed_db);
	parity_store *store = NULL;
	parity_analyse_options options;
	parity_analyse_options_default(&options);
	if (parity_store_open(&store, analysed_db, 0) ||
	    parity_analyse_run(&results, store, &options)) {
		fprintf(stderr, "fixture: %s\n", parity_error_last());
		return 1;
	}
	parity_store_close(store);
	snprintf(db_path, sizeof db_path, "%s/test.db", dir);
	printf("scratch folder %s; PARITY_ALLOC_FAIL_MAX=%ld\n", dir, max_attempts);

	RUN(test_alloc_fail_parity_allocations);
	RUN(test_alloc_fail_sqlite_allocations);
	parity_results_free(results);
	parity_report_cleanup();
	remove_dir();
	return HARNESS_REPORT();
}
