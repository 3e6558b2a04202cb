/*
 * test_ingest.c: ingest into the count store: counts equal those taken by
 * hand from the test extracts (tests/data/ingest), rejects with their line
 * numbers, repeated and refused files leaving the store unchanged, mappings,
 * encodings and dates.
 */
#include "harness.h"
#include "test_util.h"
#include "parity.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#define DATA PARITY_SOURCE_DIR "/tests/data/ingest/"

static void fresh_dir(void)
{
	fresh_dir_named("ingest");
}

/* One integer from an SQL query on the test database (-1 on error). */
static long long query(const char *sql)
{
	return query_db(db_path, sql);
}


static int ingest(parity_ingest_summary *summary, const char *file,
                  parity_kind kind, const parity_mapping *mapping, double share,
                  int windows1252)
{
	parity_store *store = NULL;
	parity_ingest_options options;
	int rc = parity_store_open(&store, db_path, 1);
	if (rc)
		return rc;
	parity_ingest_options_default(&options, kind);
	options.mapping = mapping;
	options.rejects_dir = dir;
	options.windows1252 = windows1252;
	if (share >= 0)
		options.max_reject_share = share;
	rc = parity_ingest_file(summary, store, file, &options);
	parity_store_close(store);
	return rc;
}

static void test_ingest_canonical_counts_match_hand_counts(void)
{
	parity_ingest_summary s;
	fresh_dir();
	CHECK(ingest(&s, DATA "canonical.csv", PARITY_KIND_RECRUITMENT, NULL, -1, 0) == 0);
	CHECK(s.rows_read == 12 && s.rows_accepted == 12 && s.rows_rejected == 0);
	/* Hand counts from canonical.csv: R0A White (A, B) shortlisted
	 * APP-01/02/03 = 3, appointed APP-01/03 = 2; BME shortlisted APP-04/05
	 * = 2, appointed APP-05 = 1; R0B White shortlisted APP-08/12 = 2, both
	 * appointed; BME (M) shortlisted 2, appointed 0. */
	CHECK(query("SELECT sum(shortlisted) FROM cells WHERE organisation='R0A' AND "
	            "ethnic_category IN ('A','B','C')") == 3);
	CHECK(query("SELECT sum(appointed) FROM cells WHERE organisation='R0A' AND "
	            "ethnic_category IN ('A','B','C')") == 2);
	CHECK(query("SELECT sum(shortlisted) FROM cells WHERE organisation='R0A' AND "
	            "ethnic_category NOT IN ('A','B','C','Z','X')") == 2);
	CHECK(query("SELECT sum(appointed) FROM cells WHERE organisation='R0A' AND "
	            "ethnic_category NOT IN ('A','B','C','Z','X')") == 1);
	CHECK(query("SELECT sum(shortlisted) FROM cells WHERE organisation='R0B' AND "
	            "ethnic_category IN ('A','B','C')") == 2);
	CHECK(query("SELECT sum(appointed) FROM cells WHERE organisation='R0B' AND "
	            "ethnic_category = 'M'") == 0);
	CHECK(query("SELECT sum(rows) FROM cells") == 12);
	/* 99 is "not known" (X), Z "not stated": one each */
	CHECK(query("SELECT not_stated FROM quality WHERE characteristic="
	            "'ethnic_category'") == 1);
	CHECK(query("SELECT not_known FROM quality WHERE characteristic="
	            "'ethnic_category'") == 1);
	/* No person-level identifier is stored anywhere */
	CHECK(query("SELECT count(*) FROM cells WHERE organisation LIKE 'APP-%' OR "
	            "staff_group LIKE 'APP-%'") == 0);
	/* Owner-only permissions */
	struct stat st;
	CHECK(stat(db_path, &st) == 0 && (st.st_mode & 077) == 0);
}

static void test_ingest_same_file_twice_changes_nothing(void)
{
	parity_ingest_summary s;
	size_t before_size = 0, after_size = 0;
	fresh_dir();
	CHECK(ingest(&s, DATA "canonical.csv", PARITY_KIND_RECRUITMENT, NULL, -1, 0) == 0);
	char *before = slurp_file(db_path, &before_size);
	CHECK(ingest(&s, DATA "canonical.csv", PARITY_KIND_RECRUITMENT, NULL, -1, 0) == 0);
	CHECK(s.already_ingested == 1);
	char *after = slurp_file(db_path, &after_size);
	CHECK(before && after && before_size == after_size &&
	      memcmp(before, after, before_size) == 0);
	CHECK(query("SELECT count(*) FROM files") == 1);
	free(before);
	free(after);
}

static void test_ingest_rejects_keep_line_numbers_and_reasons(void)
{
	parity_ingest_summary s;
	fresh_dir();
	/* Allow any share so the good rows are stored and the bad listed. */
	CHECK(ingest(&s, DATA "broken.csv", PARITY_KIND_RECRUITMENT, NULL, 1.0, 0) == 0);
	CHECK(s.rows_read == 7 && s.rows_accepted == 2 && s.rows_rejected == 5);
	CHECK(query("SELECT sum(rows) FROM cells") == 2);
	CHECK(query("SELECT sum(count) FROM rejects") == 5);
	FILE *in = fopen(s.rejects_path, "r");
	CHECK(in != NULL);
	if (!in)
		return;
	char line[512];
	const char *expect[] = {"line,reason,application_id", "3,", "4,", "5,", "6,", "7,"};
	const char *reason[] = {NULL, "not a real calendar date", "appointed is Y",
	                        "first on line 2", "organisation is blank", "11"};
	for (int i = 0; i < 6; i++) {
		CHECK(fgets(line, sizeof line, in) != NULL);
		CHECK(strncmp(line, expect[i], strlen(expect[i])) == 0);
		if (reason[i])
			CHECK(strstr(line, reason[i]) != NULL);
	}
	CHECK(fgets(line, sizeof line, in) == NULL);
	fclose(in);
}

static void test_ingest_refused_file_leaves_store_unchanged(void)
{
	parity_ingest_summary s;
	size_t before_size = 0, after_size = 0;
	fresh_dir();
	CHECK(ingest(&s, DATA "canonical.csv", PARITY_KIND_RECRUITMENT, NULL, -1, 0) == 0);
	char *before = slurp_file(db_path, &before_size);
	/* 5 of 7 rows bad: far over the default 1% */
	CHECK(ingest(&s, DATA "broken.csv", PARITY_KIND_RECRUITMENT, NULL, -1, 0) ==
	      PARITY_EDATA);
	CHECK(s.refused == 1);
	CHECK(strstr(parity_error_last(), "5 of 7 rows") != NULL);
	CHECK(s.rejects_path[0] != '\0'); /* the rejects are still kept */
	char *after = slurp_file(db_path, &after_size);
	CHECK(before && after && before_size == after_size &&
	      memcmp(before, after, before_size) == 0);
	free(before);
	free(after);
	parity_error_clear();
}

static void test_ingest_unknown_value_is_an_error_naming_it(void)
{
	parity_ingest_summary s;
	fresh_dir();
	/* awkward.csv with only the column mapping: "White Polish" and
	 * "Declined to specify" are known to nothing. */
	FILE *out = fopen("/tmp/parity-columns-only.ini", "w");
	CHECK(out != NULL);
	if (!out)
		return;
	fputs("[settings]\ndelimiter = semicolon\n[columns]\n"
	      "application_id = Applicant Ref\norganisation = Trust\n"
	      "date = Application Date\nethnic_category = Ethnic Origin\nsex = Gender\n"
	      "disability = Disabled?\nage_band = Age Group\npay_band = AfC Band\n"
	      "staff_group = Staff Group\nshortlisted = Shortlisted?\n"
	      "appointed = Offered?\n", out);
	fclose(out);
	parity_mapping *mapping = NULL;
	CHECK(parity_mapping_load(&mapping, "/tmp/parity-columns-only.ini") == 0);
	CHECK(ingest(&s, DATA "awkward.csv", PARITY_KIND_RECRUITMENT, mapping, -1, 0) ==
	      PARITY_EDATA);
	const char *message = parity_error_last();
	CHECK(strstr(message, "\"White Polish\" on 1 row") != NULL);
	CHECK(strstr(message, "column 'ethnic_category'") != NULL);
	CHECK(strstr(message, "line 6") != NULL);
	CHECK(query("SELECT count(*) FROM files") == 0);
	parity_mapping_free(mapping);
	unlink("/tmp/parity-columns-only.ini");
	parity_error_clear();
}

static void test_ingest_awkward_extract_through_mapping(void)
{
	parity_ingest_summary s;
	parity_mapping *mapping = NULL;
	fresh_dir();
	CHECK(parity_mapping_load(&mapping, DATA "awkward.ini") == 0);
	CHECK(ingest(&s, DATA "awkward.csv", PARITY_KIND_RECRUITMENT, mapping, -1, 0) == 0);
	CHECK(s.rows_accepted == 6 && s.rows_rejected == 0);
	/* White: 1001, 1002 (A), 1005 (C via the mapping): shortlisted 3,
	 * appointed 2 (1001, 1005). BME: 1003 (N), 1004 (H): 2 and 1. */
	CHECK(query("SELECT sum(shortlisted) FROM cells WHERE ethnic_category IN "
	            "('A','B','C')") == 3);
	CHECK(query("SELECT sum(appointed) FROM cells WHERE ethnic_category IN "
	            "('A','B','C')") == 2);
	CHECK(query("SELECT sum(shortlisted) FROM cells WHERE ethnic_category IN "
	            "('H','N')") == 2);
	CHECK(query("SELECT count(*) FROM cells WHERE pay_band = '6'") >= 1);
	CHECK(query("SELECT sum(rows) FROM cells WHERE disability = 'Z'") == 1);
	CHECK(query("SELECT sum(rows) FROM cells WHERE ethnic_category = 'Z'") == 1);
	/* 15/04/2024 is April 2024: month index 2024*12+3 */
	CHECK(query("SELECT min(month) FROM cells") == 2024 * 12 + 3);
	parity_mapping_free(mapping);
}

static void test_ingest_windows1252_needs_declaring(void)
{
	parity_ingest_summary s;
	fresh_dir();
	CHECK(ingest(&s, DATA "cp1252.csv", PARITY_KIND_RECRUITMENT, NULL, -1, 0) ==
	      PARITY_EDATA);
	CHECK(strstr(parity_error_last(), "cp1252.csv:2:") != NULL);
	CHECK(ingest(&s, DATA "cp1252.csv", PARITY_KIND_RECRUITMENT, NULL, -1, 1) == 0);
	CHECK(query("SELECT count(*) FROM cells WHERE staff_group = 'Caf\xc3\xa9 staff'") == 2);
	CHECK(query("SELECT sum(rows) FROM cells WHERE ethnic_category IN ('B','R')") == 2);
}

static void test_ingest_redelivery_needs_replace(void)
{
	parity_ingest_summary s;
	fresh_dir();
	CHECK(ingest(&s, DATA "canonical.csv", PARITY_KIND_RECRUITMENT, NULL, -1, 0) == 0);
	/* A corrected file for the same organisation-months (different bytes). */
	FILE *in = fopen(DATA "canonical.csv", "r");
	char fixed[160];
	snprintf(fixed, sizeof fixed, "%s/canonical-fixed.csv", dir);
	FILE *out = fopen(fixed, "w");
	CHECK(in && out);
	if (!in || !out)
		return;
	char line[512];
	while (fgets(line, sizeof line, in))
		if (!strstr(line, "APP-12")) /* the correction drops one row */
			fputs(line, out);
	/* and adds two in R0A's April 2024, so that its counts differ from the
	 * old file's: a total of 12 after --replace would not tell new cells
	 * from old. */
	fputs("APP-13,R0A,2024-04-20,A,F,N,25-34,5,Nursing and Midwifery Registered,Y,Y\n"
	      "APP-14,R0A,2024-04-21,C,M,N,25-34,5,Nursing and Midwifery Registered,Y,N\n",
	      out);
	fclose(in);
	fclose(out);
	CHECK(ingest(&s, fixed, PARITY_KIND_RECRUITMENT, NULL, -1, 0) == PARITY_EDATA);
	CHECK(strstr(parity_error_last(), "--replace") != NULL);
	CHECK(query("SELECT sum(rows) FROM cells") == 12);

	parity_store *store = NULL;
	parity_ingest_options options;
	CHECK(parity_store_open(&store, db_path, 0) == 0);
	parity_ingest_options_default(&options, PARITY_KIND_RECRUITMENT);
	options.replace = 1;
	options.rejects_dir = dir;
	CHECK(parity_ingest_file(&s, store, fixed, &options) == 0);
	parity_store_close(store);
	CHECK(s.replaced == 1);
	/* The corrected delivery's 13 rows (11 old ones and APP-13/14) replace
	 * the old months; APP-12's month (R0B 2025-03) came only from the old
	 * file and stays: 13 + 1 = 14 (12 had nothing been replaced, 25 had
	 * both been kept, 13 had the old file gone whole). */
	CHECK(query("SELECT sum(rows) FROM cells") == 14);
	CHECK(query("SELECT sum(rows) FROM cells WHERE file_id = "
	            "(SELECT min(id) FROM files)") == 1);
	/* R0A White: APP-01/02/03 and APP-13/14 shortlisted = 5, APP-01/03/13
	 * appointed = 3 (2 before). */
	CHECK(query("SELECT sum(shortlisted) FROM cells WHERE organisation='R0A' AND "
	            "ethnic_category IN ('A','B','C')") == 5);
	CHECK(query("SELECT sum(appointed) FROM cells WHERE organisation='R0A' AND "
	            "ethnic_category IN ('A','B','C')") == 3);
	CHECK(query("SELECT count(*) FROM files WHERE active = 1") == 2);
	parity_error_clear();
}

static void test_ingest_missing_required_column(void)
{
	parity_ingest_summary s;
	fresh_dir();
	char path[160];
	FILE *out = create_in_dir(path, sizeof path, "nocol.csv");
	CHECK(out != NULL);
	if (!out)
		return;
	fputs("application_id,organisation,date,sex\nA1,R0A,2024-04-01,F\n", out);
	fclose(out);
	CHECK(ingest(&s, path, PARITY_KIND_RECRUITMENT, NULL, -1, 0) == PARITY_EDATA);
	CHECK(strstr(parity_error_last(), "required column 'ethnic_category'") != NULL);
	parity_error_clear();
}

/*
 * Dates: ISO dates on days 1-28 are read without the date parser; every
 * other date goes through it. Both must agree on what is a date. Months
 * are stored as year * 12 + (month - 1): 2024-02 is 24289, 1900-01 is
 * 22800, 2199-12 is 26399, 2024-01 is 24288.
 */
static void test_ingest_dates_read_directly_agree_with_the_parser(void)
{
	static const char *const dates[] = {
		"2024-02-28", "2024-02-29", "2199-12-28", "1900-01-01", "31/01/2024",
		/* refused: */
		"2023-02-29", "1899-12-28", "2200-01-01", "2024-13-01", "2024-00-10",
		"2024-01-00", "2a24-01-01", "20a4-01-01", "2024-1-01",
	};
	parity_ingest_summary s;
	fresh_dir();
	char path[160];
	FILE *out = create_in_dir(path, sizeof path, "dates.csv");
	CHECK(out != NULL);
	if (!out)
		return;
	fputs("application_id,organisation,date,ethnic_category,sex,disability,age_band,"
	      "pay_band,staff_group,shortlisted,appointed\n", out);
	for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++)
		fprintf(out, "D%zu,R0A,%s,A,F,N,25-34,5,Nursing,Y,N\n", i, dates[i]);
	fclose(out);
	CHECK(ingest(&s, path, PARITY_KIND_RECRUITMENT, NULL, 1.0, 0) == 0);
	CHECK(s.rows_read == 14 && s.rows_accepted == 5 && s.rows_rejected == 9);
	CHECK(query("SELECT sum(rows) FROM cells WHERE month = 24289") == 2);
	CHECK(query("SELECT sum(rows) FROM cells WHERE month = 24288") == 1);
	CHECK(query("SELECT min(month) FROM cells") == 22800);
	CHECK(query("SELECT max(month) FROM cells") == 26399);
	CHECK(query("SELECT count FROM rejects WHERE reason = 'invalid date'") == 9);
}

/* Sexual orientation and religion are optional columns of every kind, coded
 * from the NHS Data Dictionary lists as they are read. */
static void test_ingest_orientation_and_religion_coded_in_disciplinary(void)
{
	parity_ingest_summary s;
	fresh_dir();
	CHECK(ingest(&s, DATA "disciplinary_beliefs.csv", PARITY_KIND_DISCIPLINARY, NULL,
	             -1, 0) == 0);
	CHECK(s.rows_accepted == 6 && s.rows_rejected == 0);
	/* By hand from the file: orientation 1 (DC-01), 2 (DC-02 "Gay or
	 * Lesbian", DC-03 "Lesbian"), 3 (DC-04), not stated (DC-05 and DC-06's
	 * blank); religion C (DC-01 Christianity, DC-06 affiliation code C22),
	 * L (Atheism), G (Islam), D (Hinduism), not stated (DC-05). */
	CHECK(query("SELECT sum(rows) FROM cells WHERE sexual_orientation = '1'") == 1);
	CHECK(query("SELECT sum(rows) FROM cells WHERE sexual_orientation = '2'") == 2);
	CHECK(query("SELECT sum(rows) FROM cells WHERE sexual_orientation = '3'") == 1);
	CHECK(query("SELECT sum(rows) FROM cells WHERE sexual_orientation = 'Z'") == 2);
	CHECK(query("SELECT sum(rows) FROM cells WHERE religion = 'C'") == 2);
	CHECK(query("SELECT sum(rows) FROM cells WHERE religion = 'L'") == 1);
	CHECK(query("SELECT sum(rows) FROM cells WHERE religion = 'G'") == 1);
	CHECK(query("SELECT sum(rows) FROM cells WHERE religion = 'D'") == 1);
	CHECK(query("SELECT sum(rows) FROM cells WHERE religion = 'Z'") == 1);
	CHECK(query("SELECT not_stated FROM quality WHERE characteristic = "
	            "'sexual_orientation'") == 2);
	CHECK(query("SELECT not_stated FROM quality WHERE characteristic = "
	            "'religion'") == 1);
}

/* A value no list knows refuses the file, naming the column and the value,
 * as for ethnic category; a mapping line codes it. */
static void test_ingest_unknown_religion_refused_then_mapped(void)
{
	parity_ingest_summary s;
	fresh_dir();
	CHECK(ingest(&s, DATA "training_beliefs.csv", PARITY_KIND_TRAINING, NULL, -1, 0) ==
	      PARITY_EDATA);
	const char *message = parity_error_last();
	CHECK(strstr(message, "column 'religion': \"Whirling\" on 1 row") != NULL);
	CHECK(strstr(message, "line 5") != NULL);
	CHECK(query("SELECT count(*) FROM files") == 0);
	parity_error_clear();

	FILE *out = fopen("/tmp/parity-beliefs.ini", "w");
	CHECK(out != NULL);
	if (!out)
		return;
	fputs("[religion]\nWhirling = Other\n", out);
	fclose(out);
	parity_mapping *mapping = NULL;
	CHECK(parity_mapping_load(&mapping, "/tmp/parity-beliefs.ini") == 0);
	CHECK(ingest(&s, DATA "training_beliefs.csv", PARITY_KIND_TRAINING, mapping, -1,
	             0) == 0);
	/* T-04: Pansexual is 4 on the list; Whirling mapped to K (Other). */
	CHECK(query("SELECT sum(rows) FROM cells WHERE sexual_orientation = '4' AND "
	            "religion = 'K'") == 1);
	CHECK(query("SELECT sum(rows) FROM cells WHERE sexual_orientation = '1'") == 2);
	CHECK(query("SELECT sum(rows) FROM cells WHERE religion = 'I'") == 1);
	parity_mapping_free(mapping);
	unlink("/tmp/parity-beliefs.ini");
}

/* The stage columns of a disciplinary extract become one stage per case
 * (schema 8); an outcome no list knows rejects its row, naming it. */
static void test_ingest_disciplinary_stages(void)
{
	parity_ingest_summary s;
	fresh_dir();
	FILE *out = fopen("/tmp/parity-stages.csv", "w");
	CHECK(out != NULL);
	if (!out)
		return;
	/* By hand: S1 investigated only -> investigation; S2 informal ->
	 * informal; S3 hearing, no case to answer -> hearing; S4 final written
	 * -> final_written; S5 blank everything -> entered; S6 an outcome
	 * nothing knows -> rejected. */
	fputs("case_id,organisation,date_entered,process,grounds,ethnic_category,"
	      "investigation,hearing,outcome\n"
	      "S1,R0A,2025-05-01,disciplinary,conduct,A,Y,N,\n"
	      "S2,R0A,2025-05-01,disciplinary,conduct,A,Yes,No,Informal action\n"
	      "S3,R0A,2025-05-01,disciplinary,conduct,A,Y,Y,No case to answer\n"
	      "S4,R0A,2025-05-01,disciplinary,conduct,A,Y,Y,Final written warning\n"
	      "S5,R0A,2025-05-01,disciplinary,conduct,A,,,\n"
	      "S6,R0A,2025-05-01,disciplinary,conduct,A,Y,Y,Promoted\n", out);
	fclose(out);
	CHECK(ingest(&s, "/tmp/parity-stages.csv", PARITY_KIND_DISCIPLINARY, NULL, 0.5,
	             0) == 0);
	CHECK(s.rows_accepted == 5 && s.rows_rejected == 1);
	CHECK(query("SELECT count(*) FROM cells WHERE stage = 'investigation'") == 1);
	CHECK(query("SELECT count(*) FROM cells WHERE stage = 'informal'") == 1);
	CHECK(query("SELECT count(*) FROM cells WHERE stage = 'hearing'") == 1);
	CHECK(query("SELECT count(*) FROM cells WHERE stage = 'final_written'") == 1);
	CHECK(query("SELECT count(*) FROM cells WHERE stage = 'entered'") == 1);
	CHECK(query("SELECT count FROM rejects WHERE reason = 'invalid stage'") == 1);
	unlink("/tmp/parity-stages.csv");
	/* An extract without the columns records no stage. */
	fresh_dir();
	CHECK(ingest(&s, DATA "disciplinary_beliefs.csv", PARITY_KIND_DISCIPLINARY, NULL,
	             -1, 0) == 0);
	CHECK(query("SELECT count(*) FROM cells WHERE stage <> ''") == 0);
}

int main(void)
{
	parity_init();
	RUN(test_ingest_canonical_counts_match_hand_counts);
	RUN(test_ingest_same_file_twice_changes_nothing);
	RUN(test_ingest_rejects_keep_line_numbers_and_reasons);
	RUN(test_ingest_refused_file_leaves_store_unchanged);
	RUN(test_ingest_unknown_value_is_an_error_naming_it);
	RUN(test_ingest_awkward_extract_through_mapping);
	RUN(test_ingest_windows1252_needs_declaring);
	RUN(test_ingest_redelivery_needs_replace);
	RUN(test_ingest_missing_required_column);
	RUN(test_ingest_dates_read_directly_agree_with_the_parser);
	RUN(test_ingest_orientation_and_religion_coded_in_disciplinary);
	RUN(test_ingest_unknown_religion_refused_then_mapped);
	RUN(test_ingest_disciplinary_stages);
	remove_dir();
	return HARNESS_REPORT();
}
