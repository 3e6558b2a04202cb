/*
 * ingest_rows.c: what one row of a file means. Validates and codes each row
 * (its columns found by ingest_header.c) into a cell key and the counts it
 * adds, or says why it is refused. Raw values already coded are remembered
 * per column, so a value is worked out once per file, not once per row.
 */
#include "ingest_internal.h"

#include "parity/codes.h"
#include "parity/common.h"
#include "parity/period.h"

#include <stdlib.h>
#include <string.h>

/* ---- values -------------------------------------------------------------- */

/* A field's value with surrounding blanks removed, in place; "" if the
 * column is absent. */
static inline char *field_value(const ingest *in, const csvread_record *record, int field,
                         size_t *length)
{
	int column = in->column_of[field];
	if (column < 0 || (size_t)column >= record->count) {
		*length = 0;
		return (char *)"";
	}
	char *s = record->fields[column];
	size_t len = record->lengths ? record->lengths[column] : strlen(s);
	while (len && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		s[--len] = '\0';
	*length = len;
	return s;
}

int ingest_is_not_stated(const char *code, size_t length)
{
	return length == 1 && code[0] == PARITY_CODE_NOT_STATED[0];
}

int ingest_is_not_known(const char *code, size_t length)
{
	return length == 1 && code[0] == PARITY_CODE_NOT_KNOWN[0];
}

/* Remember a value nothing maps, for the file-level error. */
static void note_unknown(ingest *in, int field, const char *value, uint64_t line)
{
	for (size_t i = 0; i < in->unknown_count; i++) {
		unknown_value *u = &in->unknown[i];
		if (u->field == field && !strncmp(u->value, value, sizeof u->value - 1)) {
			u->rows++;
			return;
		}
	}
	if (in->unknown_count == MAX_UNKNOWN) {
		in->unknown_more++;
		return;
	}
	unknown_value *u = &in->unknown[in->unknown_count++];
	u->field = field;
	snprintf(u->value, sizeof u->value, "%s", value);
	u->rows = 1;
	u->first_line = line;
}

/* Is `field` a characteristic coded from an NHS code list (an unknown value
 * is refused until mapped), rather than an attribute kept as it is? */
static int is_coded_characteristic(int field)
{
	return field == F_ETHNIC || field == F_SEX || field == F_DISABILITY ||
	       field == F_ORIENTATION || field == F_RELIGION;
}

/*
 * Code one characteristic: the mapping first, then the built-in list.
 * Returns 1 when coded, 0 when nothing maps it.
 */
static int code_characteristic(ingest *in, char *out, size_t size, int field,
                               const char *value)
{
	const char *mapped = mapping_value_code(in->mapping, in->column_name[field], value);
	if (mapped) {
		snprintf(out, size, "%s", mapped);
		return 1;
	}
	int rc;
	if (field == F_ETHNIC)
		rc = parity_code_ethnic(out, size, value);
	else if (field == F_SEX)
		rc = parity_code_sex(out, size, value);
	else if (field == F_ORIENTATION)
		rc = parity_code_sexual_orientation(out, size, value);
	else if (field == F_RELIGION)
		rc = parity_code_religion(out, size, value);
	else
		rc = parity_code_disability(out, size, value);
	if (rc == 0)
		return 1;
	parity_error_clear();
	if (in->mapping && in->mapping->unknown_as_not_stated) {
		snprintf(out, size, "%s", PARITY_CODE_NOT_STATED);
		return 1;
	}
	return 0;
}

/* Free-text attributes (age band, pay band, staff group, ...): the mapping's
 * code, else the value itself, with blanks meaning not stated. Pay bands,
 * staff groups and age bands in the spellings ESR and NHS Jobs write are
 * brought to one code each, so that "Band 8 - Range A" and "8a" count
 * together. Returns 1, or 2 when a value of one of those three columns is
 * not a known band or group (kept as it is, and warned about). */
static int code_attribute(ingest *in, char *out, size_t size, int field,
                          const char *value)
{
	const char *mapped = mapping_value_code(in->mapping, in->column_name[field], value);
	if (mapped) {
		snprintf(out, size, "%s", mapped);
		return 1;
	}
	if (!value[0] || in->column_of[field] < 0) {
		snprintf(out, size, "%s", PARITY_CODE_NOT_STATED);
		return 1;
	}
	char key[128];
	parity_code_key(key, sizeof key, value);
	int not_stated = !strcmp(key, "notstated") || !strcmp(key, "prefernottosay") ||
	                 !strcmp(key, "notknown") || !strcmp(key, "unknown") ||
	                 !strcmp(key, "z");
	if (not_stated && field != F_CONTRACT && field != F_GROUNDS) {
		snprintf(out, size, "%s", PARITY_CODE_NOT_STATED);
		return 1;
	}
	if (field == F_PAY || field == F_GROUP || field == F_AGE) {
		int rc = field == F_PAY ? parity_code_pay_band(out, size, value)
		         : field == F_GROUP ? parity_code_staff_group(out, size, value)
		                            : parity_code_age_band(out, size, value);
		if (rc == 0)
			return 1;
		parity_error_clear();
		if (field == F_PAY && !strncmp(key, "band", 4) && key[4])
			snprintf(out, size, "%.60s", key + 4); /* "Band 10" -> "10" */
		else
			snprintf(out, size, "%.*s", (int)(size - 1), value);
		return 2;
	}
	if (field == F_CONTRACT) {
		if (strstr(key, "bank"))
			snprintf(out, size, "bank");
		else if (strstr(key, "fixed") || strstr(key, "temporary"))
			snprintf(out, size, "fixed_term");
		else if (strstr(key, "permanent"))
			snprintf(out, size, "permanent");
		else
			snprintf(out, size, "%.60s", key);
		return 1;
	}
	if (field == F_GROUNDS) {
		if (strstr(key, "performance"))
			snprintf(out, size, "performance");
		else if (strstr(key, "conduct"))
			snprintf(out, size, "conduct");
		else if (strstr(key, "health") || strstr(key, "sickness"))
			snprintf(out, size, "ill_health");
		else
			snprintf(out, size, "other");
		return 1;
	}
	snprintf(out, size, "%.*s", (int)(size - 1), value);
	return 1;
}

#define MEMO_UNKNOWN (1ull << 32)   /* memo value: nothing maps the value */
#define MEMO_NOT_A_BAND (1ull << 33) /* memo value: kept, but not a known band */

/* Code a characteristic or attribute value through its column's memo:
 * 1 with *id set, 2 with *id set when the value is not a known pay band,
 * staff group or age band, 0 when nothing maps it, or a negative error. */
static int code_dimension(ingest *in, int field, const char *value, size_t length,
                          uint32_t *id)
{
	uint64_t memoed;
	memo *m = &in->memos[field];
	if (memo_get(m, value, length, &memoed)) {
		*id = (uint32_t)memoed;
		return memoed & MEMO_UNKNOWN ? 0 : memoed & MEMO_NOT_A_BAND ? 2 : 1;
	}
	char code[72];
	int known = 1;
	if (is_coded_characteristic(field))
		known = code_characteristic(in, code, sizeof code, field, value);
	else
		known = code_attribute(in, code, sizeof code, field, value);
	int rc;
	*id = 0;
	if (known && (rc = dict_intern(&in->values, id, code, strlen(code))))
		return rc;
	memoed = !known ? MEMO_UNKNOWN : known == 2 ? MEMO_NOT_A_BAND | *id : *id;
	if ((rc = memo_put(m, value, length, memoed)))
		return rc;
	return known;
}

/* Count a row whose band-like column holds a value that is not a known
 * band, for the warning at the end (which names the column, never the
 * value: a misplaced column may hold identifiers). */
static void note_not_a_band(ingest *in, int field, uint64_t line)
{
	int slot = field == F_PAY ? 0 : field == F_GROUP ? 1 : 2;
	if (in->replaying)
		return;
	if (!in->not_a_band[slot]++)
		in->not_a_band_line[slot] = line;
}

/* Y or N (through the mapping): 1 or 0, or -1 for anything else. */
static int code_outcome(ingest *in, int field, const char *value, size_t length)
{
	uint64_t memoed;
	if (memo_get(&in->memos[field], value, length, &memoed))
		return (int)memoed - 1;
	const char *mapped = mapping_value_code(in->mapping, in->column_name[field], value);
	int yes = 0;
	if (parity_code_yesno(&yes, mapped ? mapped : value)) {
		parity_error_clear();
		yes = -1;
	}
	if (memo_put(&in->memos[field], value, length, (uint64_t)(yes + 1)))
		return -2;
	return yes;
}

/* An organisation code must be short and plain: it names folders and rows. */
static const char *check_organisation(const char *org, size_t length)
{
	if (!length)
		return "organisation is blank";
	if (length > 63)
		return "organisation code is longer than 63 characters";
	for (const unsigned char *p = (const unsigned char *)org; *p; p++) {
		if (*p == '/' || *p == '\\')
			return "organisation code contains a path separator";
		if (*p < 0x20 || *p == 0x7f)
			return "organisation code contains a control character";
	}
	if (!strcmp(org, ".") || !strcmp(org, ".."))
		return "organisation code is not a name";
	return NULL;
}

/* The organisation as an interned value, or the problem with it. */
static int code_organisation(ingest *in, const char *org, size_t length, uint32_t *id,
                             const char **problem)
{
	uint64_t memoed;
	*problem = NULL;
	const char *raw = org;
	size_t raw_length = length;
	if (memo_get(&in->memos[F_ORG], org, length, &memoed)) {
		*id = (uint32_t)memoed;
		return 0;
	}
	/* The mapping's [organisation] section, like any coded column's: so
	 * that "rxq" and "RXQ" can be made one organisation. */
	const char *mapped = mapping_value_code(in->mapping, "organisation", org);
	if (mapped) {
		org = mapped;
		length = strlen(mapped);
	}
	if ((*problem = check_organisation(org, length)))
		return 0; /* rare: not remembered */
	int rc = dict_intern(&in->values, id, org, length);
	if (!rc)
		rc = memo_put(&in->memos[F_ORG], raw, raw_length, *id);
	return rc;
}

/* The value of two ASCII digits, or -1. */
static inline int two_digits(const char *p)
{
	unsigned tens = (unsigned)(unsigned char)p[0] - '0';
	unsigned units = (unsigned)(unsigned char)p[1] - '0';
	return tens > 9 || units > 9 ? -1 : (int)(tens * 10 + units);
}

/* A date as its month index and y*10000+m*100+d, or -1 when invalid. An
 * ISO date on days 1-28 (valid in every month, so no calendar is needed)
 * is read directly, with what parity_date_parse would give it; the rest go
 * through the column's memo. */
static int code_date(ingest *in, const char *text, size_t length, int *month,
                     uint32_t *ymd)
{
	if (length == 10 && text[4] == '-' && text[7] == '-') {
		int century = two_digits(text), decade = two_digits(text + 2);
		int m = two_digits(text + 5), day = two_digits(text + 8);
		int year = 100 * century + decade;
		if (century >= 19 && century <= 21 && decade >= 0 && m >= 1 && m <= 12 &&
		    day >= 1 && day <= 28) {
			*month = year * 12 + m - 1;
			*ymd = (uint32_t)(year * 10000 + m * 100 + day);
			return 0;
		}
	}
	uint64_t memoed;
	if (memo_get(&in->memos[F_DATE], text, length, &memoed)) {
		*month = (int)(int32_t)(uint32_t)(memoed >> 32);
		*ymd = (uint32_t)memoed;
		return 0;
	}
	parity_date date;
	parity_date_order order = in->mapping && in->mapping->month_first
	                                  ? PARITY_DATE_MONTH_FIRST
	                                  : PARITY_DATE_DAY_FIRST;
	if (parity_date_parse_as(&date, text, order) != 0)
		return -1; /* the message stays set for the caller */
	*month = parity_date_month_index(&date);
	*ymd = (uint32_t)(date.year * 10000 + date.month * 100 + date.day);
	memoed = (uint64_t)(uint32_t)*month << 32 | *ymd;
	return memo_put(&in->memos[F_DATE], text, length, memoed) ? -2 : 0;
}

/* ---- identity -------------------------------------------------------------- */

static int key_reserve(ingest *in, size_t need)
{
	if (need <= in->key_size)
		return 0;
	size_t size = in->key_size ? in->key_size : 256;
	while (size < need)
		size *= 2;
	char *p = realloc(in->key_buffer, size);
	if (!p)
		return parity_error_set(PARITY_ENOMEM, "out of memory");
	in->key_buffer = p;
	in->key_size = size;
	return 0;
}

int ingest_identity(ingest *in, const csvread_record *record, const row *decoded,
                    const char **key, size_t *length)
{
	parity_kind kind = in->options->kind;
	size_t id_len, org_len;
	int rc;
	if (kind == PARITY_KIND_COUNTS) {
		/* A cell may appear once in a counts file. */
		size_t need = 32;
		for (int d = 0; d < F_DIMENSIONS_; d++)
			need += dict_length(&in->values, decoded->key.dims[d]) + 1;
		if ((rc = key_reserve(in, need)))
			return rc;
		size_t used = (size_t)snprintf(in->key_buffer, 32, "%d\x1f%d",
		                               decoded->key.kind, decoded->key.month);
		for (int d = 0; d < F_DIMENSIONS_; d++) {
			uint32_t v = decoded->key.dims[d];
			in->key_buffer[used++] = '\x1f';
			memcpy(in->key_buffer + used, dict_text(&in->values, v),
			       dict_length(&in->values, v));
			used += dict_length(&in->values, v);
		}
		*key = in->key_buffer;
		*length = used;
		return 0;
	}
	const char *id = field_value(in, record, F_ID, &id_len);
	if (kind != PARITY_KIND_WORKFORCE && kind != PARITY_KIND_TRAINING &&
	    kind != PARITY_KIND_BOARD) {
		*key = id;
		*length = id_len;
		return 0;
	}
	/* Workforce: the id within a snapshot; board: within an organisation's
	 * board on a date. Training: the person within an
	 * organisation and financial year (a person counts once a year). */
	/* The organisation as coded (after the mapping), not as written: rows
	 * the mapping makes one organisation are one organisation here too. */
	const char *org = dict_text(&in->values, decoded->key.dims[F_ORG]);
	org_len = dict_length(&in->values, decoded->key.dims[F_ORG]);
	if ((rc = key_reserve(in, id_len + org_len + 32)))
		return rc;
	memcpy(in->key_buffer, id, id_len);
	size_t used = id_len;
	if (kind == PARITY_KIND_BOARD) {
		/* A member within a board on a date: boards number their own
		 * members, so two organisations' M1 are two people. */
		in->key_buffer[used++] = '\x1f';
		memcpy(in->key_buffer + used, org, org_len);
		used += org_len;
		used += (size_t)snprintf(in->key_buffer + used, 32, "\x1f%u",
		                         (unsigned)decoded->date);
	} else if (kind == PARITY_KIND_WORKFORCE) {
		used += (size_t)snprintf(in->key_buffer + used, 32, "\x1f%u",
		                         (unsigned)decoded->date);
	} else {
		in->key_buffer[used++] = '\x1f';
		memcpy(in->key_buffer + used, org, org_len);
		used += org_len;
		parity_period fy;
		parity_period_financial_year(&fy, decoded->key.month);
		used += (size_t)snprintf(in->key_buffer + used, 32, "\x1f%s", fy.label);
	}
	*key = in->key_buffer;
	*length = used;
	return 0;
}

/* ---- rows -------------------------------------------------------------------- */

static int refuse(row *out, const char *reason)
{
	out->status = ROW_REJECT;
	out->reason = reason;
	return 0;
}

/* A count in a counts file: digits only, at most 10^9. */
static int parse_count(const char *text, size_t length, int64_t *out)
{
	if (!length || length > 10)
		return length ? 1 : -1;
	int64_t v = 0;
	for (size_t i = 0; i < length; i++) {
		if (text[i] < '0' || text[i] > '9')
			return -1;
		v = v * 10 + (text[i] - '0');
	}
	*out = v;
	return v > 1000000000 ? 1 : 0;
}

/* A row of an aggregate counts file. */
static int decode_counts(ingest *in, const csvread_record *record, row *out)
{
	size_t len;
	int rc;
	const char *kind_text = field_value(in, record, F_KIND, &len);
	parity_kind kind;
	if (parity_kind_parse(&kind, kind_text) != 0 || kind == PARITY_KIND_COUNTS) {
		parity_error_clear();
		snprintf(out->detail, sizeof out->detail,
		         "column 'kind': unknown kind \"%.60s\" (use recruitment, "
		         "workforce, disciplinary, training or board)", kind_text);
		return refuse(out, "unknown kind");
	}
	const char *month_text = field_value(in, record, F_MONTH, &len);
	int year = 0, month = 0;
	if (len != 7 || month_text[4] != '-' ||
	    sscanf(month_text, "%4d-%2d", &year, &month) != 2 || year < 1900 ||
	    year > 2199 || month < 1 || month > 12 ||
	    strspn(month_text, "0123456789-") != 7) {
		snprintf(out->detail, sizeof out->detail,
		         "column 'month': \"%.60s\" is not a month written YYYY-MM",
		         month_text);
		return refuse(out, "invalid month");
	}
	out->key.kind = (int32_t)kind;
	out->key.month = year * 12 + month - 1;

	for (int d = 0; d < F_DIMENSIONS_; d++) {
		char *value = field_value(in, record, d, &len);
		if (value[0] == '\'') {
			csvread_unneutralise(value);
			len--;
		}
		if (d == F_ORG) {
			const char *problem = NULL;
			if ((rc = code_organisation(in, value, len, &out->key.dims[d], &problem)))
				return rc;
			if (problem) {
				snprintf(out->detail, sizeof out->detail, "%s", problem);
				return refuse(out, "bad organisation");
			}
			out->organisation = value;
			continue;
		}
		if (len > 127) {
			snprintf(out->detail, sizeof out->detail,
			         "column '%s': a value of %zu bytes is not a code",
			         in->column_name[d], len);
			return refuse(out, "invalid value");
		}
		if ((rc = dict_intern(&in->values, &out->key.dims[d], value, len)))
			return rc;
	}

	const int count_fields[3] = {F_ROWS, F_SHORTLISTED, F_APPOINTED};
	int64_t counts[3];
	for (int k = 0; k < 3; k++) {
		const char *text = field_value(in, record, count_fields[k], &len);
		int bad = parse_count(text, len, &counts[k]);
		if (bad < 0) {
			snprintf(out->detail, sizeof out->detail,
			         "column '%s': \"%.40s\" is not a non-negative whole number",
			         in->column_name[count_fields[k]], text);
			return refuse(out, "invalid count");
		}
		if (bad > 0) {
			snprintf(out->detail, sizeof out->detail,
			         "column '%s': %.40s is more than 1,000,000,000 in one cell: "
			         "not a real count", in->column_name[count_fields[k]], text);
			return refuse(out, "count too large");
		}
	}
	if (counts[1] > counts[0] || counts[2] > counts[1]) {
		snprintf(out->detail, sizeof out->detail,
		         "counts do not add up: rows %lld, shortlisted %lld, appointed %lld "
		         "(need appointed <= shortlisted <= rows)", (long long)counts[0],
		         (long long)counts[1], (long long)counts[2]);
		return refuse(out, "counts do not add up");
	}
	if (kind != PARITY_KIND_RECRUITMENT && counts[1]) {
		snprintf(out->detail, sizeof out->detail,
		         "counts do not add up: a %s cell has shortlisted %lld (only "
		         "recruitment cells have shortlisted and appointed)",
		         parity_kind_name(kind), (long long)counts[1]);
		return refuse(out, "counts do not add up");
	}
	out->rows = counts[0];
	out->shortlisted = counts[1];
	out->appointed = counts[2];
	out->status = ROW_OK;
	const char *key;
	if ((rc = ingest_identity(in, record, out, &key, &len)))
		return rc;
	out->id_hash = ingest_hash(key, len);
	out->id = "";
	return 0;
}

/* A case's stage columns: investigation and hearing Y or N (blank: not
 * recorded), the outcome from the list (or the mapping's [outcome]). 0
 * with out->key.dims[F_STAGE] set (left empty when the extract has none of
 * the three columns), 1 with out->detail saying what is wrong, or a
 * negative error. */
static int code_stage(ingest *in, const csvread_record *record, row *out)
{
	if (in->column_of[F_INVESTIGATION] < 0 && in->column_of[F_HEARING] < 0 &&
	    in->column_of[F_OUTCOME] < 0)
		return 0;
	int flags[2] = {0, 0};
	const int flag_fields[2] = {F_INVESTIGATION, F_HEARING};
	size_t len;
	for (int k = 0; k < 2; k++) {
		const char *value = field_value(in, record, flag_fields[k], &len);
		if (!len)
			continue;
		int yes = code_outcome(in, flag_fields[k], value, len);
		if (yes == -2)
			return parity_error_set(PARITY_ENOMEM, "out of memory");
		if (yes < 0) {
			snprintf(out->detail, sizeof out->detail,
			         "column '%s': expected Y, N or blank, found \"%.60s\"",
			         in->column_name[flag_fields[k]], value);
			return 1;
		}
		flags[k] = yes;
	}
	const char *outcome = field_value(in, record, F_OUTCOME, &len);
	char code[32] = "";
	if (len) {
		const char *mapped = mapping_value_code(in->mapping, "outcome", outcome);
		if (parity_code_case_outcome(code, sizeof code, mapped ? mapped : outcome)) {
			parity_error_clear();
			snprintf(out->detail, sizeof out->detail,
			         "column '%s': \"%.60s\" is not a case outcome (no case to "
			         "answer, informal, first written, final written, dismissal; "
			         "map it under [outcome])", in->column_name[F_OUTCOME], outcome);
			return 1;
		}
	}
	const char *stage = parity_case_stage(flags[0], flags[1], code);
	return dict_intern(&in->values, &out->key.dims[F_STAGE], stage, strlen(stage));
}

/* A board member's voting and executive flags (Y or N, through the
 * mapping's [voting] and [executive]), stored as the cell's contract
 * ("voting" / "non-voting") and staff group ("executive" /
 * "non-executive"). 0 with both set, 1 with out->detail saying what is
 * wrong, or a negative error. */
static int code_board_member(ingest *in, const csvread_record *record, row *out)
{
	static const char *const words[2][2] = {
		{"non-voting", "voting"}, {"non-executive", "executive"},
	};
	const int flag_fields[2] = {F_VOTING, F_EXECUTIVE};
	const int dims[2] = {F_CONTRACT, F_GROUP};
	size_t len;
	for (int k = 0; k < 2; k++) {
		const char *value = field_value(in, record, flag_fields[k], &len);
		int yes = code_outcome(in, flag_fields[k], value, len);
		if (yes == -2)
			return parity_error_set(PARITY_ENOMEM, "out of memory");
		if (yes < 0) {
			snprintf(out->detail, sizeof out->detail,
			         "column '%s': expected Y or N, found \"%.60s\" (map it "
			         "under [%s])", in->column_name[flag_fields[k]], value,
			         in->column_name[flag_fields[k]]);
			return 1;
		}
		const char *word = words[k][yes];
		int rc = dict_intern(&in->values, &out->key.dims[dims[k]], word, strlen(word));
		if (rc)
			return rc;
	}
	return 0;
}

int ingest_decode(ingest *in, const csvread_record *record, row *out)
{
	parity_kind kind = in->options->kind;
	size_t len;
	int rc;

	out->status = ROW_REJECT;
	out->unknown = 0;
	out->organisation = "";
	if (record->count != in->header_count) {
		snprintf(out->detail, sizeof out->detail,
		         "row has %zu fields but the header has %zu", record->count,
		         in->header_count);
		return refuse(out, "wrong number of fields");
	}
	if (kind == PARITY_KIND_COUNTS)
		return decode_counts(in, record, out);

	const char *id = field_value(in, record, F_ID, &len);
	out->id = id;
	if (!len) {
		snprintf(out->detail, sizeof out->detail, "column '%s' is blank",
		         in->column_name[F_ID]);
		return refuse(out, "missing id");
	}
	const char *problem = NULL;
	const char *org = field_value(in, record, F_ORG, &len);
	if ((rc = code_organisation(in, org, len, &out->key.dims[F_ORG], &problem)))
		return rc;
	if (problem) {
		snprintf(out->detail, sizeof out->detail, "%s", problem);
		return refuse(out, "bad organisation");
	}
	out->organisation = org;

	const char *date_text = field_value(in, record, F_DATE, &len);
	if (!len) {
		snprintf(out->detail, sizeof out->detail, "column '%s' is blank",
		         in->column_name[F_DATE]);
		return refuse(out, "missing date");
	}
	int month = 0;
	uint32_t ymd = 0;
	if ((rc = code_date(in, date_text, len, &month, &ymd)) != 0) {
		if (rc == -2)
			return parity_error_set(PARITY_ENOMEM, "out of memory");
		snprintf(out->detail, sizeof out->detail, "column '%s': %s",
		         in->column_name[F_DATE], parity_error_last());
		parity_error_clear();
		return refuse(out, "invalid date");
	}
	out->key.kind = (int32_t)kind;
	out->key.month = month;

	int shortlisted = 0, appointed = 0;
	if (kind == PARITY_KIND_RECRUITMENT) {
		const int outcome_fields[2] = {F_SHORTLISTED, F_APPOINTED};
		int *outcome_values[2] = {&shortlisted, &appointed};
		for (int k = 0; k < 2; k++) {
			int field = outcome_fields[k];
			const char *value = field_value(in, record, field, &len);
			int yes = code_outcome(in, field, value, len);
			if (yes == -2)
				return parity_error_set(PARITY_ENOMEM, "out of memory");
			if (yes < 0) {
				snprintf(out->detail, sizeof out->detail,
				         "column '%s': expected Y or N, found \"%.60s\"",
				         in->column_name[field], value);
				return refuse(out, "invalid outcome");
			}
			*outcome_values[k] = yes;
		}
		if (appointed && !shortlisted) {
			snprintf(out->detail, sizeof out->detail,
			         "appointed is Y but shortlisted is N");
			return refuse(out, "appointed but not shortlisted");
		}
	}

	out->key.dims[F_PROCESS] = in->empty_id;
	if (kind == PARITY_KIND_DISCIPLINARY) {
		char key[64];
		const char *value = field_value(in, record, F_PROCESS, &len);
		uint64_t memoed;
		if (!memo_get(&in->memos[F_PROCESS], value, len, &memoed)) {
			const char *code = NULL;
			parity_code_key(key, sizeof key, value);
			const char *mapped = mapping_value_code(in->mapping, "process", value);
			if (mapped)
				parity_code_key(key, sizeof key, mapped);
			if (strstr(key, "disciplinary") || strstr(key, "conduct"))
				code = "disciplinary";
			else if (strstr(key, "capability"))
				code = "capability";
			uint32_t code_id = 0;
			if (code && (rc = dict_intern(&in->values, &code_id, code, strlen(code))))
				return rc;
			memoed = code ? code_id : MEMO_UNKNOWN;
			if ((rc = memo_put(&in->memos[F_PROCESS], value, len, memoed)))
				return rc;
		}
		if (memoed & MEMO_UNKNOWN) {
			snprintf(out->detail, sizeof out->detail,
			         "column 'process': expected disciplinary or capability, "
			         "found \"%.60s\"", value);
			return refuse(out, "invalid process");
		}
		out->key.dims[F_PROCESS] = (uint32_t)memoed;
	}

	out->key.dims[F_STAGE] = in->empty_id;
	if (kind == PARITY_KIND_DISCIPLINARY && (rc = code_stage(in, record, out)) != 0)
		return rc < 0 ? rc : refuse(out, "invalid stage");

	/* Characteristics: all three are looked at, so every unknown value is
	 * reported, not just the first. */
	const int characteristics[3] = {F_ETHNIC, F_SEX, F_DISABILITY};
	for (int k = 0; k < 3; k++) {
		int field = characteristics[k];
		if (in->column_of[field] < 0) {
			if ((rc = dict_intern(&in->values, &out->key.dims[field],
			                      PARITY_CODE_NOT_STATED, 1)))
				return rc;
			continue;
		}
		const char *value = field_value(in, record, field, &len);
		rc = code_dimension(in, field, value, len, &out->key.dims[field]);
		if (rc < 0)
			return rc;
		if (rc == 0) {
			out->unknown |= 1u << field;
			if (!in->replaying)
				note_unknown(in, field, value, record->line);
		}
	}

	const int attributes[] = {F_AGE, F_PAY, F_GROUP, F_CONTRACT, F_GROUNDS,
	                          F_ORIENTATION, F_RELIGION};
	for (size_t k = 0; k < sizeof attributes / sizeof attributes[0]; k++) {
		int field = attributes[k];
		if (in->column_of[field] < 0 && !ingest_attribute_expected(kind, field)) {
			out->key.dims[field] = in->empty_id; /* an optional column absent */
			continue;
		}
		const char *value = field_value(in, record, field, &len);
		if ((rc = code_dimension(in, field, value, len, &out->key.dims[field])) < 0)
			return rc;
		if (rc == 2)
			note_not_a_band(in, field, record->line);
		if (rc == 0) { /* sexual orientation or religion: nothing maps it */
			out->unknown |= 1u << field;
			if (!in->replaying)
				note_unknown(in, field, value, record->line);
		}
	}

	if (kind == PARITY_KIND_BOARD && (rc = code_board_member(in, record, out)) != 0)
		return rc < 0 ? rc : refuse(out, "invalid board flag");
	if (kind == PARITY_KIND_WORKFORCE && (rc = ingest_code_grade(in, record, out)) < 0)
		return rc;

	out->rows = 1;
	out->shortlisted = shortlisted;
	out->appointed = appointed;
	out->date = ymd;
	const char *key;
	if ((rc = ingest_identity(in, record, out, &key, &len)))
		return rc;
	out->id_hash = ingest_hash(key, len);
	out->status = out->unknown ? ROW_UNKNOWN : ROW_OK;
	return 0;
}
