/*
 * mapping.c: reading mapping files (INI, via libinih). Sections:
 *   [settings]          kind, delimiter, encoding, date_format, header_line,
 *                       unknown_values
 *   [columns]           canonical_name = Header In Your File
 *   [<canonical_name>]  Value In Your File = canonical code | not stated
 */
#include "mapping.h"

#include "parity/codes.h"
#include "parity/common.h"

#include <errno.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const canonical_columns[] = {
	"application_id", "staff_id", "case_id", "vacancy_id", "organisation",
	"date", "snapshot_date", "date_entered", "ethnic_category", "sex",
	"disability", "age_band", "pay_band", "staff_group", "contract",
	"process", "grounds", "shortlisted", "appointed", "sexual_orientation",
	"religion", "investigation", "hearing", "outcome", "grade",
	"member_id", "voting", "executive",                      /* board */
	"survey_year", "question", "group", "respondents", "positive", "mean", "sd",
	NULL,                                                    /* survey */
};

static int is_canonical(const char *name)
{
	for (size_t i = 0; canonical_columns[i]; i++)
		if (strcmp(canonical_columns[i], name) == 0)
			return 1;
	return 0;
}

typedef struct load_state {
	parity_mapping *mapping;
	int failed;
	int line;
} load_state;

static int fail_at(load_state *st, int line, const char *fmt, const char *a,
                   const char *b)
{
	char message[512];
	snprintf(message, sizeof message, fmt, a, b);
	parity_error_set(PARITY_EDATA, "%s:%d: %s", st->mapping->path, line, message);
	st->failed = 1;
	return 0;
}

/* A target still saying TODO: a draft from 'parity mapping --suggest' that
 * the user has not finished. Refused so that it never ingests silently. */
static int is_todo(const char *target)
{
	char key[16];
	parity_code_key(key, sizeof key, target);
	return strcmp(key, "todo") == 0;
}

static int add_column(load_state *st, const char *canonical, const char *source,
                      int line)
{
	parity_mapping *m = st->mapping;
	if (is_todo(source))
		return fail_at(st, line, "[columns]: '%s' still says TODO: replace it "
		               "with the name of a column in the file, or put ';' in "
		               "front of the line%s", canonical, "");
	if (!is_canonical(canonical))
		return fail_at(st, line,
		               "[columns]: '%s' is not a column parity knows%s (see "
		               "'parity ingest --help' for the list)", canonical, "");
	for (size_t i = 0; i < m->column_count; i++) {
		if (strcmp(m->columns[i].canonical, canonical) == 0)
			return fail_at(st, line, "[columns]: '%s' is mapped twice%s: keep one "
			               "line for it", canonical, "");
		if (strcmp(m->columns[i].source, source) == 0)
			return fail_at(st, line, "[columns]: the file's column '%s' is mapped "
			               "to two names ('%s' and another): keep one", source,
			               canonical);
	}
	mapping_column *grown = realloc(m->columns, (m->column_count + 1) * sizeof *grown);
	if (!grown) {
		parity_error_set(PARITY_ENOMEM, "out of memory");
		st->failed = 1;
		return 0;
	}
	m->columns = grown;
	mapping_column *c = &m->columns[m->column_count++];
	snprintf(c->canonical, sizeof c->canonical, "%s", canonical);
	snprintf(c->source, sizeof c->source, "%s", source);
	return 1;
}

/* Turn what a user writes as a target ("not stated", "A", "yes") into the
 * canonical code for the column, validating it. */
static int canonical_target(char *out, size_t size, const char *column,
                            const char *target)
{
	char key[64];
	parity_code_key(key, sizeof key, target);
	if (!strcmp(key, "notstated") || !strcmp(key, "z")) {
		snprintf(out, size, "%s", PARITY_CODE_NOT_STATED);
		return 0;
	}
	if (!strcmp(column, "ethnic_category"))
		return parity_code_ethnic(out, size, target);
	if (!strcmp(column, "disability"))
		return parity_code_disability(out, size, target);
	if (!strcmp(column, "sex"))
		return parity_code_sex(out, size, target);
	if (!strcmp(column, "sexual_orientation"))
		return parity_code_sexual_orientation(out, size, target);
	if (!strcmp(column, "religion"))
		return parity_code_religion(out, size, target);
	if (!strcmp(column, "outcome"))
		return parity_code_case_outcome(out, size, target);
	if (!strcmp(column, "shortlisted") || !strcmp(column, "appointed") ||
	    !strcmp(column, "investigation") || !strcmp(column, "hearing")) {
		int yes;
		if (parity_code_yesno(&yes, target))
			return -1;
		snprintf(out, size, "%s", yes ? "Y" : "N");
		return 0;
	}
	snprintf(out, size, "%s", target);
	return 0;
}

static int add_value(load_state *st, const char *column, const char *value,
                     const char *target, int line)
{
	parity_mapping *m = st->mapping;
	char code[64];
	if (is_todo(target))
		return fail_at(st, line, "[%s]: '%s' still says TODO: replace it with "
		               "a code (the draft's comments list the codes this column "
		               "accepts)", column, value);
	char target_key[64];
	parity_code_key(target_key, sizeof target_key, target);
	if (!strcmp(column, "organisation") &&
	    (!strcmp(target_key, "notstated") || !strcmp(target_key, "z")))
		return fail_at(st, line, "[%s]: '%s' cannot be not stated: map it to "
		               "an organisation code", column, value);
	if (canonical_target(code, sizeof code, column, target) != 0)
		return fail_at(st, line, "[%s]: '%s' is not a code this column accepts",
		               column, target);
	char key[256];
	parity_code_key(key, sizeof key, value);
	for (size_t i = 0; i < m->value_count; i++)
		if (!strcmp(m->values[i].column, column) && !strcmp(m->values[i].key, key) &&
		    strcmp(m->values[i].code, code) != 0)
			return fail_at(st, line, "[%s]: '%s' is mapped twice, to different codes",
			               column, value);
	mapping_value *grown = realloc(m->values, (m->value_count + 1) * sizeof *grown);
	if (!grown) {
		parity_error_set(PARITY_ENOMEM, "out of memory");
		st->failed = 1;
		return 0;
	}
	m->values = grown;
	mapping_value *v = &m->values[m->value_count++];
	snprintf(v->column, sizeof v->column, "%s", column);
	snprintf(v->key, sizeof v->key, "%s", key);
	snprintf(v->code, sizeof v->code, "%s", code);
	return 1;
}

static int add_setting(load_state *st, const char *name, const char *value, int line)
{
	parity_mapping *m = st->mapping;
	char key[64];
	parity_code_key(key, sizeof key, value);
	if (!strcmp(name, "kind")) {
		if (parity_kind_parse(&m->kind, value) != 0)
			return fail_at(st, line, "[settings]: kind '%s' is not one of "
			               "recruitment, workforce, disciplinary, training, board, survey%s",
			               value, "");
		m->kind_set = 1;
	} else if (!strcmp(name, "delimiter")) {
		if (!strcmp(value, ",") || !strcmp(key, "comma"))
			m->delimiter = ',';
		else if (!strcmp(value, ";") || !strcmp(key, "semicolon"))
			m->delimiter = ';';
		else if (!strcmp(key, "tab") || !strcmp(value, "\\t"))
			m->delimiter = '\t';
		else
			return fail_at(st, line, "[settings]: delimiter '%s' is not one of "
			               "comma, semicolon, tab%s", value, "");
	} else if (!strcmp(name, "encoding")) {
		if (!strcmp(key, "windows1252") || !strcmp(key, "cp1252"))
			m->windows1252 = 1;
		else if (!strcmp(key, "utf8"))
			m->windows1252 = 0;
		else
			return fail_at(st, line, "[settings]: encoding '%s' is not utf-8 or "
			               "windows-1252%s", value, "");
	} else if (!strcmp(name, "date_format")) {
		/* Only numeric dates with the year last are ambiguous: ISO and
		 * 31-MAR-2025 read the same under either. */
		if (!strcmp(key, "ddmmyyyy") || !strcmp(key, "ddmmyy") || !strcmp(key, "dmy") ||
		    !strcmp(key, "yyyymmdd") || !strcmp(key, "ddmonyyyy"))
			m->month_first = 0;
		else if (!strcmp(key, "mmddyyyy") || !strcmp(key, "mmddyy") ||
		         !strcmp(key, "mdy"))
			m->month_first = 1;
		else
			return fail_at(st, line, "[settings]: date_format '%s' is not "
			               "DD/MM/YYYY or MM/DD/YYYY%s", value, "");
	} else if (!strcmp(name, "header_line")) {
		char *end = NULL;
		errno = 0;
		unsigned long number = strtoul(value, &end, 10);
		if (errno || end == value || *end || number < 1 || number > 1000 ||
		    value[0] == '-' || value[0] == '+')
			return fail_at(st, line, "[settings]: header_line '%s' is not a line "
			               "number from 1 to 1000%s", value, "");
		m->header_line = number;
	} else if (!strcmp(name, "unknown_values")) {
		if (!strcmp(key, "error"))
			m->unknown_as_not_stated = 0;
		else if (!strcmp(key, "notstated"))
			m->unknown_as_not_stated = 1;
		else
			return fail_at(st, line, "[settings]: unknown_values '%s' is not "
			               "'error' or 'not stated'%s", value, "");
	} else {
		return fail_at(st, line, "[settings]: unknown setting '%s'%s", name, "");
	}
	return 1;
}

/* libinih reads through this so that the handler knows the line number
 * (Debian's build has no INI_HANDLER_LINENO). */
typedef struct line_reader {
	FILE *in;
	load_state *state;
} line_reader;

static char *read_line(char *buffer, int size, void *stream)
{
	line_reader *reader = stream;
	char *got = fgets(buffer, size, reader->in);
	if (!got)
		return NULL;
	reader->state->line++;
	/* libinih would read the rest of a longer line as a line of its own,
	 * and complain about that instead: stop here and say why. */
	size_t len = strlen(buffer);
	if (size > 1 && len == (size_t)size - 1 && buffer[len - 1] != '\n') {
		int next = fgetc(reader->in);
		if (next != EOF) {
			char limit[16];
			snprintf(limit, sizeof limit, "%d", size - 2);
			fail_at(reader->state, reader->state->line, "the line is longer than "
			        "%s characters, the most a mapping file line may have%s: "
			        "shorten it or split a comment over several lines", limit, "");
			return NULL;
		}
	}
	return got;
}

static int on_entry(void *user, const char *section, const char *name,
                    const char *value)
{
	load_state *st = user;
	int line = st->line;
	if (st->failed)
		return 0;
	if (!strcmp(section, "settings"))
		return add_setting(st, name, value, line);
	if (!strcmp(section, "columns"))
		return add_column(st, name, value, line);
	if (is_canonical(section))
		return add_value(st, section, name, value, line);
	if (!section[0])
		return fail_at(st, line, "'%s' comes before any [section]%s", name, "");
	return fail_at(st, line, "unknown section [%s]: use [settings], [columns] or a "
	               "column name such as [ethnic_category]%s", section, "");
}

int parity_mapping_load(parity_mapping **out, const char *path)
{
	*out = NULL;
	FILE *in = fopen(path, "r");
	if (!in)
		return parity_error_set(errno == ENOENT ? PARITY_ENOINPUT : PARITY_EIO,
		                        "%s: cannot open the mapping file: %s", path,
		                        strerror(errno));
	parity_mapping *m = calloc(1, sizeof *m);
	if (!m) {
		fclose(in);
		return parity_error_set(PARITY_ENOMEM, "out of memory");
	}
	snprintf(m->path, sizeof m->path, "%s", path);
	load_state st = {m, 0, 0};
	line_reader reader = {in, &st};
	int line = ini_parse_stream(read_line, &reader, on_entry, &st);
	fclose(in);
	if (st.failed) {
		parity_mapping_free(m);
		return parity_error_code() ? parity_error_code() : PARITY_EDATA;
	}
	if (line != 0) {
		parity_mapping_free(m);
		return parity_error_set(PARITY_EDATA,
		                        "%s:%d: not a valid INI line (expected "
		                        "'name = value' or '[section]')", path, line);
	}
	*out = m;
	return 0;
}

void parity_mapping_free(parity_mapping *mapping)
{
	if (!mapping)
		return;
	free(mapping->columns);
	free(mapping->values);
	free(mapping);
}

const char *mapping_source_column(const parity_mapping *mapping,
                                  const char *canonical)
{
	if (!mapping)
		return NULL;
	for (size_t i = 0; i < mapping->column_count; i++)
		if (!strcmp(mapping->columns[i].canonical, canonical))
			return mapping->columns[i].source;
	return NULL;
}

const char *mapping_value_code(const parity_mapping *mapping, const char *column,
                               const char *value)
{
	if (!mapping || !mapping->value_count)
		return NULL;
	char key[256];
	parity_code_key(key, sizeof key, value);
	for (size_t i = 0; i < mapping->value_count; i++)
		if (!strcmp(mapping->values[i].column, column) &&
		    !strcmp(mapping->values[i].key, key))
			return mapping->values[i].code;
	return NULL;
}

int parity_mapping_kind(const parity_mapping *mapping, parity_kind *out)
{
	if (!mapping || !mapping->kind_set)
		return 0;
	*out = mapping->kind;
	return 1;
}
