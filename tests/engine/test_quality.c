/*
 * test_quality.c: the data-quality summary read from a store built from the
 * test extracts. Every expected count is taken by hand from the extracts
 * (the comments show where); shares are those counts divided.
 */
#include "harness.h"
#include "test_util.h"
#include "parity.h"
#include "parity/quality.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define INGEST_DATA PARITY_SOURCE_DIR "/tests/data/ingest/"
#define SUGGEST_DATA PARITY_SOURCE_DIR "/tests/data/suggest/"


static void fresh_dir(void)
{
	fresh_dir_named("quality");
}

/* Ingest one file (with a mapping file, or NULL) into the test store. */
static int ingest(const char *file, parity_kind kind, const char *map,
                  int windows1252, double max_share, int replace)
{
	parity_store *store = NULL;
	parity_mapping *mapping = NULL;
	parity_ingest_options options;
	parity_ingest_summary summary;
	int rc = map ? parity_mapping_load(&mapping, map) : 0;
	if (!rc)
		rc = parity_store_open(&store, db_path, 1);
	if (!rc) {
		parity_ingest_options_default(&options, kind);
		options.mapping = mapping;
		options.rejects_dir = dir;
		options.windows1252 = windows1252;
		options.replace = replace;
		if (max_share > 0)
			options.max_reject_share = max_share;
		rc = parity_ingest_file(&summary, store, file, &options);
	}
	parity_store_close(store);
	parity_mapping_free(mapping);
	return rc;
}

static parity_quality *read_quality(void)
{
	parity_store *store = NULL;
	parity_quality *q = NULL;
	if (parity_store_open(&store, db_path, 0) == 0 && parity_quality_read(&q, store))
		q = NULL;
	parity_store_close(store);
	return q;
}

static const parity_quality_characteristic *find(const parity_quality_counts *c,
                                                 const char *name)
{
	for (size_t i = 0; i < c->characteristic_count; i++)
		if (!strcmp(c->characteristics[i].name, name))
			return &c->characteristics[i];
	return NULL;
}

/* total, not stated and not known of one characteristic. */
static void expect(const parity_quality_counts *c, const char *name, uint64_t total,
                   uint64_t not_stated, uint64_t not_known)
{
	const parity_quality_characteristic *q = find(c, name);
	CHECK(q != NULL);
	if (!q)
		return;
	if (q->total != total || q->not_stated != not_stated || q->not_known != not_known) {
		fprintf(stderr, "  %s: %llu/%llu/%llu, expected %llu/%llu/%llu\n", name,
		        (unsigned long long)q->total, (unsigned long long)q->not_stated,
		        (unsigned long long)q->not_known, (unsigned long long)total,
		        (unsigned long long)not_stated, (unsigned long long)not_known);
		CHECK(0);
	}
}

/*
 * Four files: canonical.csv (12 applications), awkward.csv with awkward.ini
 * (6), cp1252.csv (2) and tests/data/suggest/workforce.csv (40 staff).
 *
 * Recruitment, by hand from the extracts:
 *   ethnic category not stated: canonical APP-07 (Z), awkward 1006
 *     ("Declined to specify" mapped to not stated) = 2 of 20 = 10%;
 *     not known: canonical APP-11 (99) = 1 of 20 = 5%.
 *   disability not stated: canonical APP-06 (Z), awkward 1003 ("Not
 *     declared") = 2 of 20; disabled: APP-04, 1004 = 2; not disabled:
 *     10 + 4 + 2 = 16; 2 / 18 = 11.1%: no flag.
 * Workforce: ethnic "Z Not Stated" x3 and "99" x2 of 40; disability "Not
 *   Declared" x6 and "Prefer not to say" x3 = 9 not stated; "Yes" x1
 *   disabled; "No" x28 and "N - No" x2 = 30 not disabled: 1 / 31 = 3.2%,
 *   under 5% with 31 >= 10 declared: flagged. One blank age band.
 */
static void test_quality_four_files(void)
{
	fresh_dir();
	CHECK(ingest(INGEST_DATA "canonical.csv", PARITY_KIND_RECRUITMENT, NULL, 0, 0, 0) == 0);
	CHECK(ingest(INGEST_DATA "awkward.csv", PARITY_KIND_RECRUITMENT,
	             INGEST_DATA "awkward.ini", 0, 0, 0) == 0);
	CHECK(ingest(INGEST_DATA "cp1252.csv", PARITY_KIND_RECRUITMENT, NULL, 1, 0, 0) == 0);
	CHECK(ingest(SUGGEST_DATA "workforce.csv", PARITY_KIND_WORKFORCE,
	             SUGGEST_DATA "workforce.expected.ini", 0, 0, 0) == 0);
	parity_quality *q = read_quality();
	CHECK(q != NULL);
	if (!q)
		return;
	CHECK(q->file_count == 4 && q->active_files == 4 && q->kind_count == 2);
	if (q->file_count != 4 || q->kind_count != 2) { /* files[], kinds[] below */
		parity_quality_free(q);
		return;
	}
	const parity_quality_file *f = &q->files[0];
	CHECK(!strcmp(f->kind, "recruitment") && f->active);
	CHECK(strstr(f->path, "canonical.csv") != NULL);
	CHECK(strlen(f->sha256) == 64 && strlen(f->ingested_at) == 20);
	CHECK(f->counts.rows_read == 12 && f->counts.rows_accepted == 12 &&
	      f->counts.rows_rejected == 0 && f->counts.reason_count == 0);
	/* canonical: 2024-04 (APP-01) to 2025-03 (APP-12). */
	char month[8];
	parity_month_label(month, f->first_month);
	CHECK_STR(month, "2024-04");
	parity_month_label(month, f->last_month);
	CHECK_STR(month, "2025-03");
	/* Six characteristics, in report order; no orientation or religion
	 * column in the file, so none recorded for them. */
	CHECK(f->counts.characteristic_count == 6);
	CHECK_STR(f->counts.characteristics[0].name, "ethnic_category");
	CHECK_STR(f->counts.characteristics[2].name, "disability");
	expect(&f->counts, "ethnic_category", 12, 1, 1);
	expect(&f->counts, "disability", 12, 1, 0);
	CHECK(f->counts.disability.disabled == 1 && f->counts.disability.not_disabled == 10);

	const parity_quality_kind *r = &q->kinds[0], *w = &q->kinds[1];
	if (strcmp(r->kind, "recruitment")) {
		r = &q->kinds[1];
		w = &q->kinds[0];
	}
	CHECK_STR(r->kind, "recruitment");
	CHECK(r->files == 3 && r->counts.rows_read == 20 && r->counts.rows_accepted == 20);
	expect(&r->counts, "ethnic_category", 20, 2, 1);
	expect(&r->counts, "sex", 20, 0, 0);
	expect(&r->counts, "disability", 20, 2, 0);
	CHECK(r->counts.disability.disabled == 2 && r->counts.disability.not_disabled == 16);
	CHECK_NEAR(parity_quality_disabled_share(&r->counts.disability), 2.0 / 18.0, 1e-12);
	CHECK(!r->counts.disability.low);
	CHECK_NEAR(parity_quality_share(2, 20), 0.10, 1e-12);

	CHECK_STR(w->kind, "workforce");
	CHECK(w->files == 1 && w->counts.rows_accepted == 40);
	expect(&w->counts, "ethnic_category", 40, 3, 2);
	expect(&w->counts, "disability", 40, 9, 0);
	expect(&w->counts, "age_band", 40, 1, 0);
	expect(&w->counts, "pay_band", 40, 0, 0);
	CHECK(w->counts.disability.disabled == 1 && w->counts.disability.not_disabled == 30);
	CHECK(w->counts.disability.low);

	/* All 60 rows: ethnic not stated 2 + 3, not known 1 + 2; disability
	 * not stated 2 + 9; age band 0 + 1. */
	expect(&q->all, "ethnic_category", 60, 5, 3);
	expect(&q->all, "disability", 60, 11, 0);
	expect(&q->all, "age_band", 60, 1, 0);
	CHECK(q->all.rows_read == 60);
	parity_quality_free(q);
}

/*
 * broken.csv with every reject allowed: 7 rows, APP-01 and APP-07 stored;
 * refused, one each: line 3 invalid date (2025-02-30), line 4 appointed but
 * not shortlisted (APP-03), line 5 duplicate id (APP-01 again), line 6 bad
 * organisation (blank), line 7 wrong number of fields (APP-06).
 */
static void test_quality_rejects(void)
{
	fresh_dir();
	CHECK(ingest(INGEST_DATA "broken.csv", PARITY_KIND_RECRUITMENT, NULL, 0, 1.0, 0) == 0);
	parity_quality *q = read_quality();
	CHECK(q != NULL);
	if (!q)
		return;
	CHECK(q->file_count == 1);
	if (q->file_count != 1) {
		parity_quality_free(q);
		return;
	}
	const parity_quality_counts *c = &q->files[0].counts;
	CHECK(c->rows_read == 7 && c->rows_accepted == 2 && c->rows_rejected == 5);
	CHECK(c->reason_count == 5);
	/* Equal counts: alphabetical. */
	static const char *const reasons[] = {
		"appointed but not shortlisted", "bad organisation", "duplicate id",
		"invalid date", "wrong number of fields",
	};
	for (size_t i = 0; i < 5 && i < c->reason_count; i++) {
		CHECK_STR(c->reasons[i].reason, reasons[i]);
		CHECK(c->reasons[i].count == 1);
	}
	CHECK(q->kinds[0].counts.reason_count == 5 && q->all.rows_rejected == 5);
	expect(c, "ethnic_category", 2, 0, 0);
	parity_quality_free(q);
}

/* A corrected re-delivery of every organisation-month: the first file is
 * listed, inactive, and left out of the totals. */
static void test_quality_replaced(void)
{
	char copy[128];
	fresh_dir();
	snprintf(copy, sizeof copy, "%s/redelivery.csv", dir);
	FILE *in = fopen(INGEST_DATA "canonical.csv", "rb");
	FILE *out = fopen(copy, "wb");
	if (!in || !out)
		abort();
	char line[256];
	while (fgets(line, sizeof line, in)) {
		if (!strncmp(line, "APP-07,", 7)) /* Z corrected to A */
			memcpy(line + strlen("APP-07,R0A,2024-05-04,"), "A", 1);
		fputs(line, out);
	}
	fclose(in);
	fclose(out);
	CHECK(ingest(INGEST_DATA "canonical.csv", PARITY_KIND_RECRUITMENT, NULL, 0, 0, 0) == 0);
	CHECK(ingest(copy, PARITY_KIND_RECRUITMENT, NULL, 0, 0, 1) == 0);
	parity_quality *q = read_quality();
	CHECK(q != NULL);
	if (!q)
		return;
	CHECK(q->file_count == 2 && q->active_files == 1 && q->kind_count == 1);
	if (q->file_count != 2 || q->kind_count != 1) { /* files[0..1], kinds[0] */
		parity_quality_free(q);
		return;
	}
	CHECK(!q->files[0].active && q->files[1].active);
	/* Only the re-delivery counts: ethnic not stated 0 (was 1). */
	CHECK(q->kind_count == 1 && q->kinds[0].files == 1);
	expect(&q->kinds[0].counts, "ethnic_category", 12, 0, 1);
	/* The replaced file keeps its own record, but its cells are gone. */
	expect(&q->files[0].counts, "ethnic_category", 12, 1, 1);
	CHECK(q->files[0].counts.disability.disabled == 0);
	parity_quality_free(q);
}

static void test_quality_empty_store(void)
{
	parity_store *store = NULL;
	fresh_dir();
	CHECK(parity_store_open(&store, db_path, 1) == 0);
	parity_quality *q = NULL;
	CHECK(parity_quality_read(&q, store) == 0);
	CHECK(q && q->file_count == 0 && q->kind_count == 0 && q->all.rows_read == 0);
	CHECK(isnan(parity_quality_disabled_share(&q->all.disability)));
	parity_quality_free(q);
	parity_store_close(store);
	CHECK(parity_quality_read(&q, NULL) == PARITY_EUSAGE);
	parity_quality_free(NULL);
}

int main(void)
{
	RUN(test_quality_four_files);
	RUN(test_quality_rejects);
	RUN(test_quality_replaced);
	RUN(test_quality_empty_store);
	remove_dir();
	return HARNESS_REPORT();
}
