/*
 * columns.c: the canonical columns of each extract kind and how much each
 * kind needs them (docs/reference.md, "Extract kinds and canonical columns"). One table
 * for every module that must know them: mapping suggestions today, ingest's
 * header resolution later.
 */
#include "parity/ingest.h"

#include <stddef.h>

#define REQUIRED PARITY_COLUMN_REQUIRED
#define EXPECTED PARITY_COLUMN_EXPECTED
#define OPTIONAL PARITY_COLUMN_OPTIONAL

/* The same needs as ingest.c's column specs; keep the two in step until
 * ingest reads this table. */
static const parity_column recruitment[] = {
	{"application_id", REQUIRED}, {"organisation", REQUIRED},
	{"date", REQUIRED}, {"ethnic_category", REQUIRED},
	{"sex", EXPECTED}, {"disability", EXPECTED}, {"age_band", EXPECTED},
	{"pay_band", EXPECTED}, {"staff_group", EXPECTED},
	{"shortlisted", REQUIRED}, {"appointed", REQUIRED},
	{"vacancy_id", OPTIONAL}, {"sexual_orientation", OPTIONAL},
	{"religion", OPTIONAL}, {NULL, OPTIONAL},
};

static const parity_column workforce[] = {
	{"staff_id", REQUIRED}, {"organisation", REQUIRED},
	{"snapshot_date", REQUIRED}, {"ethnic_category", REQUIRED},
	{"sex", EXPECTED}, {"disability", EXPECTED}, {"age_band", EXPECTED},
	{"pay_band", EXPECTED}, {"staff_group", EXPECTED},
	{"contract", EXPECTED}, {"sexual_orientation", OPTIONAL},
	{"religion", OPTIONAL}, {"grade", OPTIONAL}, {NULL, OPTIONAL},
};

static const parity_column disciplinary[] = {
	{"case_id", REQUIRED}, {"staff_id", OPTIONAL},
	{"organisation", REQUIRED}, {"date_entered", REQUIRED},
	{"process", REQUIRED}, {"grounds", EXPECTED},
	{"ethnic_category", REQUIRED}, {"sex", EXPECTED},
	{"disability", EXPECTED}, {"age_band", EXPECTED},
	{"pay_band", EXPECTED}, {"staff_group", EXPECTED},
	{"contract", OPTIONAL}, {"sexual_orientation", OPTIONAL},
	{"religion", OPTIONAL}, {"investigation", OPTIONAL}, {"hearing", OPTIONAL},
	{"outcome", OPTIONAL}, {NULL, OPTIONAL},
};

static const parity_column training[] = {
	{"staff_id", REQUIRED}, {"organisation", REQUIRED},
	{"date", REQUIRED}, {"ethnic_category", REQUIRED},
	{"sex", EXPECTED}, {"disability", EXPECTED}, {"age_band", EXPECTED},
	{"pay_band", EXPECTED}, {"staff_group", EXPECTED},
	{"contract", OPTIONAL}, {"sexual_orientation", OPTIONAL},
	{"religion", OPTIONAL}, {NULL, OPTIONAL},
};

/* A board's membership on a date (WRES 9, WDES 10): one row per member. */
static const parity_column board[] = {
	{"member_id", REQUIRED}, {"organisation", REQUIRED},
	{"date", REQUIRED}, {"ethnic_category", REQUIRED},
	{"disability", EXPECTED}, {"voting", REQUIRED}, {"executive", REQUIRED},
	{"sex", OPTIONAL}, {NULL, OPTIONAL},
};

/* The NHS Staff Survey's results by group (WRES 5-8, WDES 4-9). */
static const parity_column survey[] = {
	{"organisation", REQUIRED}, {"survey_year", REQUIRED}, {"question", REQUIRED},
	{"group", REQUIRED}, {"respondents", REQUIRED}, {"positive", OPTIONAL},
	{"mean", OPTIONAL}, {"sd", OPTIONAL}, {NULL, OPTIONAL},
};

const parity_column *parity_kind_columns(parity_kind kind)
{
	switch (kind) {
	case PARITY_KIND_RECRUITMENT: return recruitment;
	case PARITY_KIND_WORKFORCE: return workforce;
	case PARITY_KIND_DISCIPLINARY: return disciplinary;
	case PARITY_KIND_TRAINING: return training;
	case PARITY_KIND_BOARD: return board;
	case PARITY_KIND_SURVEY: return survey;
	default: return NULL;
	}
}
