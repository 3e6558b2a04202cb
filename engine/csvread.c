/*
 * csvread.c: streaming CSV reading over libcsv, line by line so that every
 * record knows the physical line it starts on, with encoding checks, limits
 * and the file digest computed as the bytes go past.
 */
#include "csvread.h"

#include "parity/common.h"
#include "sha256.h"

#include <csv.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_MAX_FIELD (1u << 20)
#define DEFAULT_MAX_COLUMNS 1024
#define MAX_LINE (64u << 20)

typedef struct reader {
	const char *path;
	const csvread_options *options;
	size_t max_field, max_columns;
	csvread_fn fn;
	void *context;
	int error;            /* first error from a callback or a limit */

	uint64_t line;        /* physical line being fed */
	uint64_t record_line; /* line the pending record started on */
	int record_pending;   /* bytes of a record fed, record not yet ended */
	uint64_t records;

	char *text;           /* the current record's fields, NUL-separated */
	size_t text_used, text_size;
	size_t *offsets;      /* start of each field in `text` */
	char **fields;        /* pointers handed to the callback */
	size_t count, fields_size, pointers_size;
} reader;

static int grow(void **buffer, size_t *size, size_t need, size_t unit)
{
	if (need <= *size)
		return 0;
	size_t n = *size ? *size : 16;
	while (n < need)
		n *= 2;
	void *p = realloc(*buffer, n * unit);
	if (!p)
		return -1;
	*buffer = p;
	*size = n;
	return 0;
}

static void on_field(void *data, size_t len, void *state)
{
	reader *r = state;
	if (r->error)
		return;
	if (len > r->max_field) {
		r->error = parity_error_set(PARITY_EDATA,
		                            "%s:%llu: a field is %zu bytes long, over the "
		                            "limit of %zu: is this really a CSV extract?",
		                            r->path, (unsigned long long)r->record_line,
		                            len, r->max_field);
		return;
	}
	if (r->count >= r->max_columns) {
		r->error = parity_error_set(PARITY_EDATA,
		                            "%s:%llu: more than %zu columns in one row: check "
		                            "the delimiter and the quoting",
		                            r->path, (unsigned long long)r->record_line,
		                            r->max_columns);
		return;
	}
	if (grow((void **)&r->text, &r->text_size, r->text_used + len + 1, 1) ||
	    grow((void **)&r->offsets, &r->fields_size, r->count + 1, sizeof(size_t))) {
		r->error = parity_error_set(PARITY_ENOMEM, "out of memory reading %s",
		                            r->path);
		return;
	}
	if (len)
		memcpy(r->text + r->text_used, data, len);
	r->text[r->text_used + len] = '\0';
	r->offsets[r->count++] = r->text_used;
	r->text_used += len + 1;
}

static void on_record(int terminator, void *state)
{
	reader *r = state;
	(void)terminator;
	if (r->error) {
		r->count = r->text_used = 0;
		return;
	}
	if (grow((void **)&r->fields, &r->pointers_size, r->count + 1,
	         sizeof(char *))) {
		r->error = parity_error_set(PARITY_ENOMEM, "out of memory reading %s",
		                            r->path);
		return;
	}
	for (size_t i = 0; i < r->count; i++)
		r->fields[i] = r->text + r->offsets[i];
	r->fields[r->count] = NULL;
	csvread_record record = {r->record_line, r->fields, r->count};
	r->records++;
	int rc = r->fn(r->context, &record);
	if (rc)
		r->error = rc;
	r->count = r->text_used = 0;
	r->record_pending = 0;
}

/* Length of the valid UTF-8 sequence at p (1-4), or 0 if invalid. */
static size_t utf8_sequence(const unsigned char *p, size_t left)
{
	unsigned char c = p[0];
	if (c < 0x80)
		return 1;
	size_t n;
	unsigned min;
	unsigned cp;
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		cp = c & 0x1fu;
		min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		cp = c & 0x0fu;
		min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		cp = c & 0x07u;
		min = 0x10000;
	} else {
		return 0;
	}
	if (left < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3fu);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

/* Windows-1252 code points for bytes 0x80-0x9f (0 where undefined). */
static const unsigned short cp1252_high[32] = {
	0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
	0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0,
	0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
	0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178,
};

/* Convert a Windows-1252 line to UTF-8 in *out. Returns 0, or -1 with
 * the offending byte in *bad for an undefined byte, or -2 for no memory. */
static int from_cp1252(char **out, size_t *out_size, size_t *out_len,
                       const unsigned char *in, size_t len, unsigned *bad)
{
	if (grow((void **)out, out_size, len * 3 + 1, 1))
		return -2;
	unsigned char *o = (unsigned char *)*out;
	size_t j = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned cp = in[i];
		if (cp >= 0x80 && cp <= 0x9f) {
			cp = cp1252_high[cp - 0x80];
			if (!cp) {
				*bad = in[i];
				return -1;
			}
		}
		if (cp < 0x80) {
			o[j++] = (unsigned char)cp;
		} else if (cp < 0x800) {
			o[j++] = (unsigned char)(0xc0 | (cp >> 6));
			o[j++] = (unsigned char)(0x80 | (cp & 0x3f));
		} else {
			o[j++] = (unsigned char)(0xe0 | (cp >> 12));
			o[j++] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
			o[j++] = (unsigned char)(0x80 | (cp & 0x3f));
		}
	}
	*out_len = j;
	return 0;
}

/* Pick the delimiter that occurs most often outside quotes in the header. */
static char detect_delimiter(const char *line, size_t len)
{
	size_t comma = 0, semi = 0, tab = 0;
	int quoted = 0;
	for (size_t i = 0; i < len; i++) {
		char c = line[i];
		if (c == '"')
			quoted = !quoted;
		else if (!quoted && c == ',')
			comma++;
		else if (!quoted && c == ';')
			semi++;
		else if (!quoted && c == '\t')
			tab++;
	}
	if (semi > comma && semi >= tab)
		return ';';
	if (tab > comma && tab > semi)
		return '\t';
	return ',';
}

/* Check, convert and feed one physical line (with its newline) to libcsv. */
static int feed_line(reader *r, struct csv_parser *parser, const char *line,
                     size_t len, char **conv, size_t *conv_size,
                     csvread_result *result)
{
	const char *data = line;
	size_t data_len = len;

	if (memchr(line, '\0', len))
		return parity_error_set(PARITY_EDATA,
		                        "%s:%llu: the line holds a NUL byte: the file is "
		                        "binary or damaged; export it again as CSV",
		                        r->path, (unsigned long long)r->line);
	if (r->options && r->options->windows1252) {
		unsigned bad = 0;
		int rc = from_cp1252(conv, conv_size, &data_len,
		                     (const unsigned char *)line, len, &bad);
		if (rc == -2)
			return parity_error_set(PARITY_ENOMEM, "out of memory reading %s",
			                        r->path);
		if (rc == -1)
			return parity_error_set(PARITY_EDATA,
			                        "%s:%llu: byte 0x%02X is not a Windows-1252 "
			                        "character: check the file's encoding",
			                        r->path, (unsigned long long)r->line, bad);
		data = *conv;
	} else {
		const unsigned char *p = (const unsigned char *)line;
		for (size_t i = 0; i < len;) {
			size_t n = utf8_sequence(p + i, len - i);
			if (!n)
				return parity_error_set(PARITY_EDATA,
				                        "%s:%llu: column %zu bytes in: invalid UTF-8 "
				                        "(byte 0x%02X); if the file came from Excel "
				                        "on Windows, declare it with --encoding "
				                        "windows-1252",
				                        r->path, (unsigned long long)r->line, i + 1,
				                        p[i]);
			i += n;
		}
	}

	if (result->delimiter == 0) {
		result->delimiter = detect_delimiter(data, data_len);
		csv_set_delim(parser, (unsigned char)result->delimiter);
	}
	if (!r->record_pending) {
		size_t blank = 0;
		while (blank < data_len && (data[blank] == '\r' || data[blank] == '\n'))
			blank++;
		if (blank < data_len) {
			r->record_pending = 1;
			r->record_line = r->line;
		}
	}
	if (csv_parse(parser, data, data_len, on_field, on_record, r) != data_len &&
	    !r->error)
		return parity_error_set(PARITY_EDATA,
		                        "%s:%llu: %s: check the quoting on this row "
		                        "(a quote inside a field must be doubled)",
		                        r->path, (unsigned long long)r->line,
		                        csv_strerror(csv_error(parser)));
	return r->error;
}

int csvread_file(csvread_result *result, const char *path,
                 const csvread_options *options, csvread_fn fn, void *context)
{
	csvread_result local;
	struct csv_parser parser;
	int parser_ready = 0;
	FILE *in = NULL;
	char *chunk = NULL, *line = NULL, *conv = NULL;
	size_t line_used = 0, line_size = 0, conv_size = 0;
	sha256_ctx sha;
	int rc = 0;
	reader r;

	if (!result)
		result = &local;
	memset(result, 0, sizeof *result);
	memset(&r, 0, sizeof r);
	r.path = path;
	r.options = options;
	r.fn = fn;
	r.context = context;
	r.max_field = options && options->max_field ? options->max_field
	                                             : DEFAULT_MAX_FIELD;
	r.max_columns = options && options->max_columns ? options->max_columns
	                                                : DEFAULT_MAX_COLUMNS;
	result->delimiter = options ? options->delimiter : 0;

	in = fopen(path, "rb");
	if (!in) {
		rc = parity_error_set(errno == ENOENT ? PARITY_ENOINPUT : PARITY_EIO,
		                      "%s: cannot open: %s", path, strerror(errno));
		goto done;
	}
	if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
		rc = parity_error_set(PARITY_ENOMEM, "out of memory");
		goto done;
	}
	parser_ready = 1;
	if (result->delimiter)
		csv_set_delim(&parser, (unsigned char)result->delimiter);
	chunk = malloc(1 << 18);
	if (!chunk) {
		rc = parity_error_set(PARITY_ENOMEM, "out of memory");
		goto done;
	}
	sha256_init(&sha);
	r.line = 1;
	int first = 1;
	size_t got;
	while ((got = fread(chunk, 1, 1 << 18, in)) > 0) {
		sha256_update(&sha, chunk, got);
		result->bytes += got;
		size_t start = 0;
		if (first) {
			first = 0;
			if (got >= 3 && (unsigned char)chunk[0] == 0xef &&
			    (unsigned char)chunk[1] == 0xbb && (unsigned char)chunk[2] == 0xbf) {
				result->had_bom = 1;
				start = 3;
			}
		}
		while (start < got) {
			char *nl = memchr(chunk + start, '\n', got - start);
			size_t piece = nl ? (size_t)(nl - (chunk + start)) + 1 : got - start;
			if (line_used + piece > MAX_LINE) {
				rc = parity_error_set(PARITY_EDATA,
				                      "%s:%llu: a line longer than %u MiB: is "
				                      "this really a CSV extract?",
				                      path, (unsigned long long)r.line,
				                      MAX_LINE >> 20);
				goto done;
			}
			if (line_used == 0 && nl) {
				/* Whole line in the chunk: feed it without copying. */
				rc = feed_line(&r, &parser, chunk + start, piece, &conv,
				               &conv_size, result);
			} else {
				if (grow((void **)&line, &line_size, line_used + piece, 1)) {
					rc = parity_error_set(PARITY_ENOMEM, "out of memory");
					goto done;
				}
				memcpy(line + line_used, chunk + start, piece);
				line_used += piece;
				if (nl) {
					rc = feed_line(&r, &parser, line, line_used, &conv,
					               &conv_size, result);
					line_used = 0;
				}
			}
			if (rc)
				goto done;
			if (nl)
				r.line++;
			start += piece;
		}
	}
	if (ferror(in)) {
		rc = parity_error_set(PARITY_EIO, "%s: read error: %s", path,
		                      strerror(errno));
		goto done;
	}
	if (line_used && (rc = feed_line(&r, &parser, line, line_used, &conv,
	                                 &conv_size, result)))
		goto done;
	if (csv_fini(&parser, on_field, on_record, &r) != 0 && !r.error) {
		rc = parity_error_set(PARITY_EDATA,
		                      "%s:%llu: a quoted field that starts on this line is "
		                      "never closed: add the missing quote",
		                      path, (unsigned long long)r.record_line);
		goto done;
	}
	if (r.error) {
		rc = r.error;
		goto done;
	}
	sha256_final_hex(&sha, result->sha256);
	result->records = r.records;
done:
	if (parser_ready)
		csv_free(&parser);
	if (in)
		fclose(in);
	free(chunk);
	free(line);
	free(conv);
	free(r.text);
	free(r.offsets);
	free(r.fields);
	return rc;
}

void csvread_write_field(FILE *out, const char *field)
{
	if (!field[strcspn(field, ",;\t\"\r\n")]) {
		fputs(field, out);
		return;
	}
	fputc('"', out);
	for (const char *p = field; *p; p++) {
		if (*p == '"')
			fputc('"', out);
		fputc(*p, out);
	}
	fputc('"', out);
}

void csvread_write_record(FILE *out, char *const *fields, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		if (i)
			fputc(',', out);
		csvread_write_field(out, fields[i]);
	}
	fputc('\n', out);
}
