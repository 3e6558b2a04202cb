/*
 * ingest_header.c: which column of a file is which canonical column. The
 * canonical columns of each kind with how much it needs them, and the
 * header resolved against them (through a mapping when one is given): a
 * column found twice, or a required one missing, refuses the file.
 */
#include "ingest_internal.h"

#include "parity/codes.h"
#include "parity/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- columns ------------------------------------------------------------- */

static const column_spec recruitment_columns[] = {
	{F_ID, "application_id", REQUIRED}, {F_ORG, "organisation", REQUIRED},
	{F_DATE, "date", REQUIRED}, {F_ETHNIC, "ethnic_category", REQUIRED},
	{F_SEX, "sex", EXPECTED}, {F_DISABILITY, "disability", EXPECTED},
	{F_AGE, "age_band", EXPECTED}, {F_PAY, "pay_band", EXPECTED},
	{F_GROUP, "staff_group", EXPECTED}, {F_SHORTLISTED, "shortlisted", REQUIRED},
	{F_APPOINTED, "appointed", REQUIRED}, {F_VACANCY, "vacancy_id", OPTIONAL},
	{F_ORIENTATION, "sexual_orientation", OPTIONAL},
	{F_RELIGION, "religion", OPTIONAL}, {-1, NULL, OPTIONAL},
};
static const column_spec workforce_columns[] = {
	{F_ID, "staff_id", REQUIRED}, {F_ORG, "organisation", REQUIRED},
	{F_DATE, "snapshot_date", REQUIRED}, {F_ETHNIC, "ethnic_category", REQUIRED},
	{F_SEX, "sex", EXPECTED}, {F_DISABILITY, "disability", EXPECTED},
	{F_AGE, "age_band", EXPECTED}, {F_PAY, "pay_band", EXPECTED},
	{F_GROUP, "staff_group", EXPECTED}, {F_CONTRACT, "contract", EXPECTED},
	{F_ORIENTATION, "sexual_orientation", OPTIONAL},
	{F_RELIGION, "religion", OPTIONAL}, {F_GRADE, "grade", OPTIONAL},
	{-1, NULL, OPTIONAL},
};
static const column_spec disciplinary_columns[] = {
	{F_ID, "case_id", REQUIRED}, {F_STAFF_ID, "staff_id", OPTIONAL},
	{F_ORG, "organisation", REQUIRED}, {F_DATE, "date_entered", REQUIRED},
	{F_PROCESS, "process", REQUIRED}, {F_GROUNDS, "grounds", EXPECTED},
	{F_ETHNIC, "ethnic_category", REQUIRED}, {F_SEX, "sex", EXPECTED},
	{F_DISABILITY, "disability", EXPECTED}, {F_AGE, "age_band", EXPECTED},
	{F_PAY, "pay_band", EXPECTED}, {F_GROUP, "staff_group", EXPECTED},
	{F_CONTRACT, "contract", OPTIONAL},
	{F_ORIENTATION, "sexual_orientation", OPTIONAL},
	{F_RELIGION, "religion", OPTIONAL}, {F_INVESTIGATION, "investigation", OPTIONAL},
	{F_HEARING, "hearing", OPTIONAL}, {F_OUTCOME, "outcome", OPTIONAL},
	{-1, NULL, OPTIONAL},
};
static const column_spec training_columns[] = {
	{F_ID, "staff_id", REQUIRED}, {F_ORG, "organisation", REQUIRED},
	{F_DATE, "date", REQUIRED}, {F_ETHNIC, "ethnic_category", REQUIRED},
	{F_SEX, "sex", EXPECTED}, {F_DISABILITY, "disability", EXPECTED},
	{F_AGE, "age_band", EXPECTED}, {F_PAY, "pay_band", EXPECTED},
	{F_GROUP, "staff_group", EXPECTED}, {F_CONTRACT, "contract", OPTIONAL},
	{F_ORIENTATION, "sexual_orientation", OPTIONAL},
	{F_RELIGION, "religion", OPTIONAL}, {-1, NULL, OPTIONAL},
};
/* A board's membership: voting and executive are stored as the cell's
 * contract ("voting", "non-voting") and staff group ("executive",
 * "non-executive"), so the cube needs no new dimension. */
static const column_spec board_columns[] = {
	{F_ID, "member_id", REQUIRED}, {F_ORG, "organisation", REQUIRED},
	{F_DATE, "date", REQUIRED}, {F_ETHNIC, "ethnic_category", REQUIRED},
	{F_DISABILITY, "disability", EXPECTED}, {F_VOTING, "voting", REQUIRED},
	{F_EXECUTIVE, "executive", REQUIRED}, {F_SEX, "sex", OPTIONAL},
	{-1, NULL, OPTIONAL},
};
/* An aggregate counts file (parity export --counts): one row per cell. */
static const column_spec counts_columns[] = {
	{F_KIND, "kind", REQUIRED}, {F_MONTH, "month", REQUIRED},
	{F_ORG, "organisation", REQUIRED}, {F_ETHNIC, "ethnic_category", REQUIRED},
	{F_SEX, "sex", REQUIRED}, {F_DISABILITY, "disability", REQUIRED},
	{F_AGE, "age_band", REQUIRED}, {F_PAY, "pay_band", REQUIRED},
	{F_GROUP, "staff_group", REQUIRED}, {F_CONTRACT, "contract", REQUIRED},
	{F_PROCESS, "process", REQUIRED}, {F_GROUNDS, "grounds", REQUIRED},
	{F_ORIENTATION, "sexual_orientation", REQUIRED},
	{F_RELIGION, "religion", REQUIRED}, {F_STAGE, "stage", OPTIONAL},
	{F_ROWS, "rows", REQUIRED},
	{F_SHORTLISTED, "shortlisted", REQUIRED}, {F_APPOINTED, "appointed", REQUIRED},
	{-1, NULL, OPTIONAL},
};

const column_spec *ingest_columns_for(parity_kind kind)
{
	switch (kind) {
	case PARITY_KIND_RECRUITMENT: return recruitment_columns;
	case PARITY_KIND_WORKFORCE: return workforce_columns;
	case PARITY_KIND_DISCIPLINARY: return disciplinary_columns;
	case PARITY_KIND_TRAINING: return training_columns;
	case PARITY_KIND_BOARD: return board_columns;
	case PARITY_KIND_COUNTS: return counts_columns;
	default: return NULL;
	}
}

int ingest_attribute_expected(parity_kind kind, int field)
{
	if (kind == PARITY_KIND_BOARD)
		return 0; /* a board row has no job attributes of its own */
	return field == F_AGE || field == F_PAY || field == F_GROUP ||
	       (field == F_CONTRACT && kind == PARITY_KIND_WORKFORCE) ||
	       (field == F_GROUNDS && kind == PARITY_KIND_DISCIPLINARY);
}

int ingest_resolve_header(ingest *in, const csvread_record *record)
{
	char key[256], other[256];
	in->header_count = record->count;
	in->header = calloc(record->count ? record->count : 1, sizeof *in->header);
	if (!in->header)
		return parity_error_set(PARITY_ENOMEM, "out of memory");
	for (size_t i = 0; i < record->count; i++)
		if (!(in->header[i] = strdup(record->fields[i])))
			return parity_error_set(PARITY_ENOMEM, "out of memory");
	if (in->options->kind == PARITY_KIND_COUNTS && record->count &&
	    record->fields[0][0] == '#')
		return parity_error_set(PARITY_EDATA,
		                        "%s:%llu: the file starts with a comment (\"%.60s\"): "
		                        "a suppressed export (parity export --suppress) hides "
		                        "small counts, so it cannot be ingested; ingest the "
		                        "export made without --suppress",
		                        in->path, (unsigned long long)record->line,
		                        record->fields[0]);

	for (int f = 0; f < F_COUNT_; f++)
		in->column_of[f] = -1;
	for (const column_spec *c = in->spec; c->name; c++) {
		const char *source = mapping_source_column(in->mapping, c->name);
		const char *wanted = source ? source : c->name;
		in->column_name[c->field] = c->name;
		parity_code_key(key, sizeof key, wanted);
		for (size_t i = 0; i < record->count; i++) {
			parity_code_key(other, sizeof other, record->fields[i]);
			if (strcmp(key, other) != 0)
				continue;
			if (in->column_of[c->field] >= 0)
				return parity_error_set(PARITY_EDATA,
				                        "%s:%llu: column '%s' appears twice (columns "
				                        "%d and %zu): remove or rename one",
				                        in->path, (unsigned long long)record->line,
				                        record->fields[i], in->column_of[c->field] + 1,
				                        i + 1);
			in->column_of[c->field] = (int)i;
		}
		if (in->column_of[c->field] >= 0)
			continue;
		if (source)
			return parity_error_set(PARITY_EDATA,
			                        "%s: the mapping %s says '%s' is in column '%s', "
			                        "but the header has no such column",
			                        in->path, in->mapping->path, c->name, source);
		if (c->need == REQUIRED)
			return parity_error_set(PARITY_EDATA,
			                        "%s:%llu: required column '%s' is missing from "
			                        "this %s %s (header starts \"%.60s%s\"): "
			                        "rename the column, or map it in a mapping file "
			                        "('parity mapping --suggest' drafts one)",
			                        in->path, (unsigned long long)record->line, c->name,
			                        parity_kind_name(in->options->kind),
			                        in->options->kind == PARITY_KIND_COUNTS ? "file"
			                                                                 : "extract",
			                        record->count ? record->fields[0] : "",
			                        record->count > 1 ? ",..." : "");
		if (c->need == EXPECTED) {
			size_t used = strlen(in->summary->missing_columns);
			snprintf(in->summary->missing_columns + used,
			         sizeof in->summary->missing_columns - used, "%s%s",
			         used ? ", " : "", c->name);
		}
	}
	/* Dimensions that are '' on every row of this file: the INSERT
	 * writes them as constants. */
	in->constant_empty = 0;
	if (in->options->kind != PARITY_KIND_COUNTS) {
		static const int attributes[] = {F_CONTRACT, F_GROUNDS, F_ORIENTATION,
		                                 F_RELIGION};
		for (size_t k = 0; k < sizeof attributes / sizeof attributes[0]; k++)
			if (in->column_of[attributes[k]] < 0 &&
			    !ingest_attribute_expected(in->options->kind, attributes[k]) &&
			    !(in->options->kind == PARITY_KIND_BOARD && attributes[k] == F_CONTRACT))
				in->constant_empty |= 1u << attributes[k];
		/* A workforce cell's process is its medical sub-group. */
		if (in->options->kind != PARITY_KIND_DISCIPLINARY &&
		    in->options->kind != PARITY_KIND_WORKFORCE)
			in->constant_empty |= 1u << F_PROCESS;
	}
	in->header_done = 1;
	return 0;
}
