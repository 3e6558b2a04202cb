/*
 * ingest_grade.c: a workforce row's medical and dental sub-group (WRES 1,
 * WDES 1), kept as the cell's process value. Medical rows (pay band
 * "Medical" or staff group "Medical and Dental") take it from the optional
 * `grade` column (through the mapping's [grade] section), else from a pay
 * band that names a grade ("Consultant"); a grade that is none of the
 * sub-groups counts as "other" and is warned about, never refused. A
 * non-medical row's grade is not looked at.
 */
#include "ingest_internal.h"

#include "mapping.h"
#include "parity/codes.h"
#include "parity/common.h"

#include <string.h>

#define GRADE_UNKNOWN (1ull << 32) /* memo value: not a known grade */

/* The trimmed text of `field` on this row ("" when the column is absent). */
static const char *cell_text(const ingest *in, const csvread_record *record, int field,
                             size_t *length)
{
	int column = in->column_of[field];
	*length = 0;
	if (column < 0 || (size_t)column >= record->count)
		return "";
	const char *s = record->fields[column];
	size_t len = record->lengths ? record->lengths[column] : strlen(s);
	while (len && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	*length = len;
	return s;
}

/* The sub-group of `value` (through the mapping of `column`), memoised in
 * `m`: 1 with *id set, 0 when it is not a known grade, or a negative
 * error. */
static int grade_of(ingest *in, memo *m, const char *column, const char *value,
                    size_t length, uint32_t *id)
{
	uint64_t memoed;
	if (!memo_get(m, value, length, &memoed)) {
		char text[128], code[32];
		snprintf(text, sizeof text, "%.*s", (int)(length < 127 ? length : 127), value);
		const char *mapped = mapping_value_code(in->mapping, column, text);
		int known = !parity_code_medical_grade(code, sizeof code, mapped ? mapped : text);
		int rc;
		uint32_t code_id = 0;
		if (!known)
			parity_error_clear();
		else if ((rc = dict_intern(&in->values, &code_id, code, strlen(code))))
			return rc;
		memoed = known ? code_id : GRADE_UNKNOWN;
		if ((rc = memo_put(m, value, length, memoed)))
			return rc;
	}
	*id = (uint32_t)memoed;
	return memoed & GRADE_UNKNOWN ? 0 : 1;
}

int ingest_code_grade(ingest *in, const csvread_record *record, row *out)
{
	out->key.dims[F_PROCESS] = in->empty_id;
	const dict_entry *band = dict_entry_of(&in->values, out->key.dims[F_PAY]);
	const dict_entry *group = dict_entry_of(&in->values, out->key.dims[F_GROUP]);
	if (strcmp(band->text, "Medical") && strcmp(group->text, "Medical and Dental"))
		return 0; /* not medical: its grade is not the return's business */
	size_t length;
	const char *value = cell_text(in, record, F_GRADE, &length);
	int rc;
	if (length) {
		rc = grade_of(in, &in->memos[F_GRADE], "grade", value, length,
		              &out->key.dims[F_PROCESS]);
		if (rc)
			return rc < 0 ? rc : 0;
		/* Not a known grade: the sub-group "other", and a warning. */
		if ((rc = dict_intern(&in->values, &out->key.dims[F_PROCESS], PARITY_GRADE_OTHER,
		                      strlen(PARITY_GRADE_OTHER))))
			return rc;
		if (!in->replaying && !in->not_a_grade++)
			in->not_a_grade_line = record->line;
		return 0;
	}
	/* No grade column, or the cell is blank: a pay band that names the
	 * grade ("Consultant") gives it; otherwise none (counted as other). */
	value = cell_text(in, record, F_PAY, &length);
	if (!length)
		return 0;
	rc = grade_of(in, &in->memos[F_PROCESS], "pay_band", value, length,
	              &out->key.dims[F_PROCESS]);
	if (rc == 0)
		out->key.dims[F_PROCESS] = in->empty_id;
	return rc < 0 ? rc : 0;
}
