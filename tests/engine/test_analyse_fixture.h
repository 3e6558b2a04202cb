/*
 * test_analyse_fixture.h: builds small count stores for the analysis tests.
 * Each test writes extracts row by row (so every count is known by
 * construction), ingests them through the public API into a fresh
 * database in its own temporary folder, and removes the folder at the end.
 */
#ifndef PARITY_TEST_ANALYSE_FIXTURE_H
#define PARITY_TEST_ANALYSE_FIXTURE_H

#include "parity.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct fixture {
	char dir[64];       /* the test's folder (mkdtemp) */
	char db[128];       /* its database */
	char path[4][160];  /* extract per kind */
	FILE *file[4];      /* open while rows are added */
	unsigned long rows[4];
	unsigned long next_id;
} fixture;

static fixture fx;

static const char *const fx_headers[4] = {
	"application_id,organisation,date,ethnic_category,sex,disability,age_band,"
	"pay_band,staff_group,shortlisted,appointed",
	"staff_id,organisation,snapshot_date,ethnic_category,sex,disability,age_band,"
	"pay_band,staff_group,contract",
	"case_id,staff_id,organisation,date_entered,process,grounds,ethnic_category,sex,"
	"disability,age_band,pay_band,staff_group,contract",
	"staff_id,organisation,date,ethnic_category,sex,disability,age_band,pay_band,"
	"staff_group",
};

static inline void fx_open(void)
{
	memset(&fx, 0, sizeof fx);
	snprintf(fx.dir, sizeof fx.dir, "/tmp/parity-analyse-XXXXXX");
	if (!mkdtemp(fx.dir))
		abort();
	snprintf(fx.db, sizeof fx.db, "%s/test.db", fx.dir);
	for (int k = 0; k < 4; k++) {
		snprintf(fx.path[k], sizeof fx.path[k], "%s/%s.csv", fx.dir,
		         parity_kind_name((parity_kind)k));
		fx.file[k] = fopen(fx.path[k], "w");
		if (!fx.file[k])
			abort();
		fprintf(fx.file[k], "%s\n", fx_headers[k]);
	}
}

/* `count` applications: shortlisted of them `shortlisted`, appointed
 * `appointed` (appointed ones are shortlisted). */
static inline void fx_apps(const char *org, const char *date, const char *ethnic,
                    const char *sex, const char *disability, const char *band,
                    unsigned count, unsigned shortlisted, unsigned appointed)
{
	for (unsigned i = 0; i < count; i++) {
		fprintf(fx.file[0], "APP-%06lu,%s,%s,%s,%s,%s,35-44,%s,Nursing,%s,%s\n",
		        ++fx.next_id, org, date, ethnic, sex, disability, band,
		        i < shortlisted ? "Y" : "N", i < appointed ? "Y" : "N");
		fx.rows[0]++;
	}
}

/* `count` staff on a snapshot. */
static inline void fx_staff(const char *org, const char *snapshot, const char *ethnic,
                     const char *disability, const char *band, const char *contract,
                     unsigned count)
{
	for (unsigned i = 0; i < count; i++) {
		fprintf(fx.file[1], "STF-%06lu,%s,%s,%s,F,%s,35-44,%s,Nursing,%s\n",
		        ++fx.next_id, org, snapshot, ethnic, disability, band, contract);
		fx.rows[1]++;
	}
}

/* `count` formal cases. */
static inline void fx_cases(const char *org, const char *date, const char *process,
                     const char *grounds, const char *ethnic, const char *disability,
                     const char *contract, unsigned count)
{
	for (unsigned i = 0; i < count; i++) {
		fprintf(fx.file[2], "CASE-%06lu,STF-%06lu,%s,%s,%s,%s,%s,F,%s,35-44,5,"
		        "Nursing,%s\n", fx.next_id + 1, fx.next_id + 1, org, date, process,
		        grounds, ethnic, disability, contract);
		fx.next_id++;
		fx.rows[2]++;
	}
}

/* `count` people who accessed training. */
static inline void fx_training(const char *org, const char *date, const char *ethnic,
                        const char *disability, unsigned count)
{
	for (unsigned i = 0; i < count; i++) {
		fprintf(fx.file[3], "STF-%06lu,%s,%s,%s,F,%s,35-44,5,Nursing\n", ++fx.next_id,
		        org, date, ethnic, disability);
		fx.rows[3]++;
	}
}

/* Ingest every extract that has rows; the open store, or NULL. */
static inline parity_store *fx_store(void)
{
	parity_store *store = NULL;
	for (int k = 0; k < 4; k++) {
		fclose(fx.file[k]);
		fx.file[k] = NULL;
	}
	if (parity_store_open(&store, fx.db, 1)) {
		fprintf(stderr, "store: %s\n", parity_error_last());
		return NULL;
	}
	for (int k = 0; k < 4; k++) {
		if (!fx.rows[k])
			continue;
		parity_ingest_options options;
		parity_ingest_summary summary;
		parity_ingest_options_default(&options, (parity_kind)k);
		options.rejects_dir = fx.dir;
		if (parity_ingest_file(&summary, store, fx.path[k], &options) ||
		    summary.rows_rejected) {
			fprintf(stderr, "ingest %s: %s %s\n", fx.path[k], parity_error_last(),
			        summary.first_reject);
			parity_store_close(store);
			return NULL;
		}
	}
	return store;
}

static inline void fx_close(parity_store *store)
{
	char command[128];
	parity_store_close(store);
	for (int k = 0; k < 4; k++)
		if (fx.file[k])
			fclose(fx.file[k]);
	snprintf(command, sizeof command, "rm -rf '%s'", fx.dir);
	if (system(command) != 0)
		fprintf(stderr, "could not remove %s\n", fx.dir);
}

/* The first main row matching (NULL matches anything). */
static inline const parity_result_row *fx_row(const parity_results *r, const char *indicator,
                                       const char *grouping, const char *kind,
                                       const char *stratum, const char *group2)
{
	for (size_t i = 0; r && i < r->count; i++) {
		const parity_result_row *row = &r->rows[i];
		if ((!indicator || !strcmp(row->indicator, indicator)) &&
		    (!grouping || !strcmp(row->grouping, grouping)) &&
		    (!kind || !strcmp(row->stratum_kind, kind)) &&
		    (!stratum || !strcmp(row->stratum, stratum)) &&
		    (!group2 || !strcmp(row->group2, group2)))
			return row;
	}
	return NULL;
}

#define CHECK_COUNTS(row, a, b, c, d)                                          \
	do {                                                                   \
		CHECK((row) != NULL);                                          \
		if (row) {                                                     \
			CHECK((row)->ratio.x1 == (a));                         \
			CHECK((row)->ratio.n1 == (b));                         \
			CHECK((row)->ratio.x2 == (c));                         \
			CHECK((row)->ratio.n2 == (d));                         \
		}                                                              \
	} while (0)

#endif
