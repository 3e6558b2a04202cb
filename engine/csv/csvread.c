/*
 * csvread.c: streaming CSV reading. Splits the input into physical lines
 * (so every record knows its line and the byte offset of that line), checks
 * the encoding, and parses each line either directly (no quotes: split at
 * the delimiter and trim as libcsv does) or through libcsv. Records are
 * collected in batches, which a second thread can fill while the caller
 * consumes the previous ones.
 */
#include "csvread.h"

#include "parity/common.h"
#include "util/sha256_fast.h"

#include <csv.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define DEFAULT_MAX_FIELD (1u << 20)
#define DEFAULT_MAX_COLUMNS 1024
#define MAX_LINE (64u << 20)
#define BLOCK_SIZE (1u << 18)     /* bytes read at a time */
#define BATCH_TEXT (1u << 18)     /* a batch is handed over past this much text */
#define CURSOR_BLOCK (1u << 14)
#define BATCHES 4                 /* batches in flight when threaded */

/* Byte classes for the direct split; 0 is an ordinary byte. */
enum { C_DELIM = 1, C_QUOTE = 2, C_CR = 4, C_NUL = 8, C_HIGH = 16 };

/* One record's place in a batch. */
typedef struct batch_record {
	uint64_t line;
	uint64_t offset;
	uint32_t ordinal;
	size_t first;         /* index of its first field */
	size_t count;
	size_t pointer;       /* index of its first field pointer (batch_seal) */
} batch_record;

/* Parsed records: their fields' text (NUL-terminated) and positions. */
typedef struct batch {
	char *text;
	size_t text_used, text_size;
	size_t *starts, *lengths;   /* each field's offset in `text`, length */
	size_t fields, fields_size;
	batch_record *records;
	size_t count, records_size;
	char **pointers;            /* each field's text, made by batch_seal() */
	size_t pointers_size;
	int sealed;
} batch;

typedef struct parser {
	const char *path;
	size_t max_field, max_columns;
	int windows1252;
	char delimiter;       /* 0 until detected */
	unsigned char cls[256];
	FILE *in;
	int hashing;          /* compute the digest (csvread_file only) */
	sha256_ctx sha;
	uint64_t bytes;
	int had_bom;
	int started;          /* the first block was seen (BOM check) */
	int at_eof;
	int finished;         /* csv_fini done: nothing more will come */

	char *block;          /* bytes read, not yet split into lines */
	size_t block_size, block_pos, block_len;
	char *line_buf;       /* a line that straddles blocks */
	size_t line_used, line_size;
	char *conv;           /* Windows-1252 converted to UTF-8 */
	size_t conv_size;

	struct csv_parser csv;
	int csv_ready;
	uint64_t line;        /* physical line being parsed (1-based) */
	uint64_t line_offset; /* byte offset of that line's start */
	uint64_t record_line; /* where the record being parsed starts */
	uint64_t record_offset;
	uint32_t record_ordinal;
	uint32_t ends_on_line;/* records that ended on the current line */
	size_t record_first;  /* batch field index where it starts */
	batch *out;           /* where libcsv's callbacks put fields */
	int error;            /* first error from a libcsv callback */
} parser;

/* ---- buffers ------------------------------------------------------------- */

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

static void batch_clear(batch *b)
{
	b->text_used = b->fields = b->count = 0;
	b->sealed = 0;
}

/* Turn the fields' offsets into pointers, once the text will not move (on
 * the parsing thread, so the consumer does not have to): each record's
 * pointers followed by a NULL, as callers have always been given. */
static int batch_seal(batch *b)
{
	size_t need = b->fields + b->count;
	if (need > b->pointers_size) {
		size_t size = b->pointers_size ? b->pointers_size : 256;
		while (size < need)
			size *= 2;
		char **p = realloc(b->pointers, size * sizeof *p);
		if (!p)
			return -1;
		b->pointers = p;
		b->pointers_size = size;
	}
	size_t at = 0;
	for (size_t i = 0; i < b->count; i++) {
		batch_record *r = &b->records[i];
		r->pointer = at;
		for (size_t f = 0; f < r->count; f++)
			b->pointers[at++] = b->text + b->starts[r->first + f];
		b->pointers[at++] = NULL;
	}
	b->sealed = 1;
	return 0;
}

static void batch_free(batch *b)
{
	free(b->text);
	free(b->starts);
	free(b->lengths);
	free(b->records);
	free(b->pointers);
	memset(b, 0, sizeof *b);
}

static int no_memory(const parser *p)
{
	return parity_error_set(PARITY_ENOMEM, "out of memory reading %s", p->path);
}

/* Room for `text` more bytes and `fields` more fields. */
static int batch_reserve(parser *p, batch *b, size_t text, size_t fields)
{
	if (grow((void **)&b->text, &b->text_size, b->text_used + text, 1))
		return no_memory(p);
	if (b->fields + fields <= b->fields_size)
		return 0;
	/* starts and lengths share fields_size */
	size_t size = b->fields_size ? b->fields_size : 64;
	while (size < b->fields + fields)
		size *= 2;
	size_t *starts = realloc(b->starts, size * sizeof *starts);
	if (!starts)
		return no_memory(p);
	b->starts = starts;
	size_t *lengths = realloc(b->lengths, size * sizeof *lengths);
	if (!lengths)
		return no_memory(p);
	b->lengths = lengths;
	b->fields_size = size;
	return 0;
}

static int batch_add_record(parser *p, batch *b, uint64_t line, uint64_t offset,
                            uint32_t ordinal, size_t first)
{
	if (grow((void **)&b->records, &b->records_size, b->count + 1,
	         sizeof(batch_record)))
		return no_memory(p);
	batch_record *r = &b->records[b->count++];
	r->line = line;
	r->offset = offset;
	r->ordinal = ordinal;
	r->first = first;
	r->count = b->fields - first;
	return 0;
}

/* ---- encodings ----------------------------------------------------------- */

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

static int check_utf8(const parser *p, const char *line, size_t len)
{
	const unsigned char *s = (const unsigned char *)line;
	for (size_t i = 0; i < len;) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		size_t n = utf8_sequence(s + i, len - i);
		if (!n)
			return parity_error_set(PARITY_EDATA,
			                        "%s:%llu: column %zu bytes in: invalid UTF-8 "
			                        "(byte 0x%02X); if the file came from Excel "
			                        "on Windows, declare it with --encoding "
			                        "windows-1252",
			                        p->path, (unsigned long long)p->line, i + 1,
			                        s[i]);
		i += n;
	}
	return 0;
}

/* Windows-1252 code points for bytes 0x80-0x9f (0 where undefined). */
static const unsigned short cp1252_high[32] = {
	0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
	0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0,
	0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
	0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178,
};

/* Convert a Windows-1252 line to UTF-8 in p->conv; *out_len its length. */
static int from_cp1252(parser *p, const unsigned char *in, size_t len,
                       size_t *out_len)
{
	if (grow((void **)&p->conv, &p->conv_size, len * 3 + 1, 1))
		return no_memory(p);
	unsigned char *o = (unsigned char *)p->conv;
	size_t j = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned cp = in[i];
		if (cp >= 0x80 && cp <= 0x9f) {
			cp = cp1252_high[cp - 0x80];
			if (!cp)
				return parity_error_set(PARITY_EDATA,
				                        "%s:%llu: byte 0x%02X is not a "
				                        "Windows-1252 character: check the "
				                        "file's encoding", p->path,
				                        (unsigned long long)p->line, in[i]);
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

static void set_delimiter(parser *p, char delimiter)
{
	p->delimiter = delimiter;
	memset(p->cls, 0, sizeof p->cls);
	for (unsigned c = 0x80; c < 0x100; c++)
		p->cls[c] = C_HIGH;
	p->cls[0] = C_NUL;
	p->cls['"'] = C_QUOTE;
	p->cls['\r'] = C_CR;
	p->cls[(unsigned char)delimiter] = C_DELIM;
	if (p->csv_ready)
		csv_set_delim(&p->csv, (unsigned char)delimiter);
}

/* ---- libcsv's callbacks --------------------------------------------------- */

static int field_limits(parser *p, size_t len, size_t count)
{
	if (len > p->max_field)
		return parity_error_set(PARITY_EDATA,
		                        "%s:%llu: a field is %zu bytes long, over the "
		                        "limit of %zu: is this really a CSV extract?",
		                        p->path, (unsigned long long)p->record_line,
		                        len, p->max_field);
	if (count > p->max_columns)
		return parity_error_set(PARITY_EDATA,
		                        "%s:%llu: more than %zu columns in one row: check "
		                        "the delimiter and the quoting",
		                        p->path, (unsigned long long)p->record_line,
		                        p->max_columns);
	return 0;
}

static void on_field(void *data, size_t len, void *state)
{
	parser *p = state;
	batch *b = p->out;
	if (p->error)
		return;
	if ((p->error = field_limits(p, len, b->fields - p->record_first + 1)))
		return;
	if ((p->error = batch_reserve(p, b, len + 1, 1)))
		return;
	if (len)
		memcpy(b->text + b->text_used, data, len);
	b->text[b->text_used + len] = '\0';
	b->starts[b->fields] = b->text_used;
	b->lengths[b->fields++] = len;
	b->text_used += len + 1;
}

static void on_record(int terminator, void *state)
{
	parser *p = state;
	(void)terminator;
	if (p->error)
		return;
	p->error = batch_add_record(p, p->out, p->record_line, p->record_offset,
	                            p->record_ordinal, p->record_first);
	p->record_first = p->out->fields;
	/* The next record, if it starts on this line, comes after this one. */
	p->ends_on_line++;
	p->record_line = p->line;
	p->record_offset = p->line_offset;
	p->record_ordinal = p->ends_on_line;
}

/* ---- lines ----------------------------------------------------------------- */

/*
 * Split a line that holds no quote and no bare carriage return at the
 * delimiter, trimming spaces and tabs around each field as libcsv does; a
 * line of nothing but spaces is no record, as in libcsv. `s` is the line
 * without its line end. Returns 1 when done, 0 when the line needs libcsv,
 * or a negative error. `validated`: the bytes are known to be UTF-8.
 */
static int split_line(parser *p, batch *b, const char *s, size_t n, int validated)
{
	/* At most n + 1 fields, and more than max_columns + 1 is an error. */
	size_t most = n + 1 < p->max_columns + 1 ? n + 1 : p->max_columns + 1;
	int rc = batch_reserve(p, b, n + 1, most);
	if (rc)
		return rc;
	char *dst = b->text + b->text_used;
	memcpy(dst, s, n);
	dst[n] = '\0';
	size_t base = b->text_used, first = b->fields, count = 0, start = 0, i = 0;
	size_t *starts = b->starts + first, *lengths = b->lengths + first;
	unsigned flags = 0;
	const unsigned char *u = (const unsigned char *)dst;
	const char delimiter = p->delimiter;

/* End the field [start, end): trim spaces and tabs (not the delimiter) as
 * libcsv does, and note it. */
#define END_FIELD(end)                                                        \
	do {                                                                  \
		size_t a_ = start, z_ = (end);                                \
		if (count == most)                                            \
			goto too_many;                                        \
		while (a_ < z_ && (dst[a_] == ' ' || dst[a_] == '\t') &&      \
		       dst[a_] != delimiter)                                  \
			a_++;                                                 \
		while (z_ > a_ && (dst[z_ - 1] == ' ' || dst[z_ - 1] == '\t') && \
		       dst[z_ - 1] != delimiter)                              \
			z_--;                                                 \
		dst[z_] = '\0';                                               \
		starts[count] = base + a_;                                    \
		lengths[count++] = z_ - a_;                                   \
		start = (end) + 1;                                            \
	} while (0)

#if defined(__SSE2__)
	/* Sixteen bytes at a time while there is nothing but plain bytes and
	 * delimiters (and UTF-8 to check afterwards). */
	const __m128i delims = _mm_set1_epi8(delimiter), quotes = _mm_set1_epi8('"'),
	              returns = _mm_set1_epi8('\r'), zeros = _mm_setzero_si128();
	for (; i + 16 <= n; i += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(dst + i));
		__m128i odd = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quotes),
		                                        _mm_cmpeq_epi8(v, returns)),
		                           _mm_cmpeq_epi8(v, zeros));
		if (_mm_movemask_epi8(odd))
			break; /* the byte-wise loop below sorts it out */
		if (_mm_movemask_epi8(v))
			flags |= C_HIGH;
		unsigned found = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, delims));
		while (found) {
			unsigned bit = (unsigned)__builtin_ctz(found);
			found &= found - 1;
			END_FIELD(i + bit);
		}
	}
#endif
	for (; i <= n; i++) {
		unsigned k = i < n ? p->cls[u[i]] : C_DELIM;
		if (!k)
			continue;
		if (k != C_DELIM) {
			flags |= k;
			continue;
		}
		if (flags & (C_QUOTE | C_CR | C_NUL))
			break;
		END_FIELD(i);
	}
#undef END_FIELD
	if (flags & C_NUL)
		return parity_error_set(PARITY_EDATA,
		                        "%s:%llu: the line holds a NUL byte: the file is "
		                        "binary or damaged; export it again as CSV",
		                        p->path, (unsigned long long)p->line);
	if (flags & (C_QUOTE | C_CR))
		return 0;
	if ((flags & C_HIGH) && !validated && (rc = check_utf8(p, s, n)))
		return rc;
	if (count == 1 && lengths[0] == 0)
		return 1; /* a blank line (or only spaces): libcsv makes no record of it */
	if (count > p->max_columns)
		return field_limits(p, 0, count);
	for (size_t f = 0; f < count; f++)
		if (lengths[f] > p->max_field && (rc = field_limits(p, lengths[f], f + 1)))
			return rc;
	b->fields += count;
	b->text_used += n + 1;
	if ((rc = batch_add_record(p, b, p->line, p->line_offset, 0, first)))
		return rc;
	p->record_first = b->fields;
	return 1;
too_many:
	if (flags & (C_QUOTE | C_CR | C_NUL))
		return 0; /* libcsv will say what is wrong with the line */
	return field_limits(p, 0, count + 1);
}

/* Parse one physical line (with its "\n" when it has one) into `b`. */
static int do_line(parser *p, batch *b, const char *raw, size_t raw_len)
{
	const char *data = raw;
	size_t len = raw_len;
	int rc, validated = 0;

	if (!p->delimiter)
		set_delimiter(p, detect_delimiter(raw, raw_len));
	if (p->windows1252) {
		if (memchr(raw, '\0', raw_len))
			return parity_error_set(PARITY_EDATA,
			                        "%s:%llu: the line holds a NUL byte: the file "
			                        "is binary or damaged; export it again as CSV",
			                        p->path, (unsigned long long)p->line);
		if ((rc = from_cp1252(p, (const unsigned char *)raw, raw_len, &len)))
			return rc;
		data = p->conv;
		validated = 1;
	}
	p->out = b;
	p->ends_on_line = 0;
	int pending = p->csv.pstate != 0; /* inside a quoted field */
	if (!pending) {
		p->record_line = p->line;
		p->record_offset = p->line_offset;
		p->record_ordinal = 0;
		p->record_first = b->fields;
		size_t n = len;
		if (n && data[n - 1] == '\n') {
			n--;
			if (n && data[n - 1] == '\r')
				n--;
		}
		rc = split_line(p, b, data, n, validated);
		if (rc)
			return rc < 0 ? rc : 0;
	}
	if (memchr(data, '\0', len))
		return parity_error_set(PARITY_EDATA,
		                        "%s:%llu: the line holds a NUL byte: the file is "
		                        "binary or damaged; export it again as CSV",
		                        p->path, (unsigned long long)p->line);
	if (!validated && (rc = check_utf8(p, data, len)))
		return rc;
	if (csv_parse(&p->csv, data, len, on_field, on_record, p) != len && !p->error)
		return parity_error_set(PARITY_EDATA,
		                        "%s:%llu: %s: check the quoting on this row "
		                        "(a quote inside a field must be doubled)",
		                        p->path, (unsigned long long)p->line,
		                        csv_strerror(csv_error(&p->csv)));
	return p->error;
}

/* After the last line: let libcsv finish a record left open. */
static int finish(parser *p, batch *b)
{
	p->out = b;
	p->finished = 1;
	if (csv_fini(&p->csv, on_field, on_record, p) != 0 && !p->error)
		return parity_error_set(PARITY_EDATA,
		                        "%s:%llu: a quoted field that starts on this line is "
		                        "never closed: add the missing quote",
		                        p->path, (unsigned long long)p->record_line);
	return p->error;
}

/* Read the next block; at the end of the file, set at_eof. */
static int read_block(parser *p)
{
	size_t got = fread(p->block, 1, p->block_size, p->in);
	if (got == 0) {
		if (ferror(p->in))
			return parity_error_set(PARITY_EIO, "%s: read error: %s", p->path,
			                        strerror(errno));
		p->at_eof = 1;
		return 0;
	}
	if (p->hashing)
		sha256_fast_update(&p->sha, p->block, got);
	p->bytes += got;
	p->block_pos = 0;
	p->block_len = got;
	if (!p->started) {
		p->started = 1;
		if (got >= 3 && (unsigned char)p->block[0] == 0xef &&
		    (unsigned char)p->block[1] == 0xbb && (unsigned char)p->block[2] == 0xbf) {
			p->had_bom = 1;
			p->block_pos = 3;
			p->line_offset = 3;
		}
	}
	return 0;
}

/*
 * Parse into `b` until it holds at least `min_records` records and
 * `min_text` bytes of text and ends on a record boundary, or the file ends.
 * Returns 0, 1 at the end of the file (b may still hold records), or a
 * negative error (b holds the complete records before the damage).
 */
static int produce(parser *p, batch *b, size_t min_text, size_t min_records)
{
	int rc;
	for (;;) {
		if (p->finished)
			return 1;
		if (b->count >= min_records && b->text_used >= min_text &&
		    p->csv.pstate == 0)
			return 0;
		if (p->block_pos == p->block_len) {
			if (!p->at_eof && (rc = read_block(p)))
				return rc;
			if (p->at_eof) {
				if (p->line_used) {
					rc = do_line(p, b, p->line_buf, p->line_used);
					p->line_used = 0;
					if (rc)
						return rc;
				}
				if ((rc = finish(p, b)))
					return rc;
				return 1;
			}
			continue;
		}
		const char *start = p->block + p->block_pos;
		size_t left = p->block_len - p->block_pos;
		const char *nl = memchr(start, '\n', left);
		size_t piece = nl ? (size_t)(nl - start) + 1 : left;
		if (p->line_used + piece > MAX_LINE)
			return parity_error_set(PARITY_EDATA,
			                        "%s:%llu: a line longer than %u MiB: is "
			                        "this really a CSV extract?", p->path,
			                        (unsigned long long)p->line, MAX_LINE >> 20);
		p->block_pos += piece;
		if (!nl) {
			if (grow((void **)&p->line_buf, &p->line_size, p->line_used + piece, 1))
				return no_memory(p);
			memcpy(p->line_buf + p->line_used, start, piece);
			p->line_used += piece;
			continue;
		}
		size_t line_len = piece;
		if (p->line_used) {
			if (grow((void **)&p->line_buf, &p->line_size, p->line_used + piece, 1))
				return no_memory(p);
			memcpy(p->line_buf + p->line_used, start, piece);
			line_len = p->line_used + piece;
			start = p->line_buf;
			p->line_used = 0;
		}
		rc = do_line(p, b, start, line_len);
		p->line++;
		p->line_offset += line_len;
		if (rc)
			return rc;
	}
}

/* ---- the parser's life ---------------------------------------------------- */

static int parser_open(parser *p, const char *path, const csvread_options *options,
                       size_t block_size)
{
	memset(p, 0, sizeof *p);
	p->path = path;
	p->max_field = options && options->max_field ? options->max_field
	                                             : DEFAULT_MAX_FIELD;
	p->max_columns = options && options->max_columns ? options->max_columns
	                                                 : DEFAULT_MAX_COLUMNS;
	p->windows1252 = options && options->windows1252;
	p->line = 1;
	p->in = fopen(path, "rb");
	if (!p->in)
		return parity_error_set(errno == ENOENT ? PARITY_ENOINPUT : PARITY_EIO,
		                        "%s: cannot open: %s", path, strerror(errno));
	if (csv_init(&p->csv, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
		return parity_error_set(PARITY_ENOMEM, "out of memory");
	p->csv_ready = 1;
	if (options && options->delimiter)
		set_delimiter(p, options->delimiter);
	p->block_size = block_size;
	if (!(p->block = malloc(block_size)))
		return no_memory(p);
	return 0;
}

static void parser_close(parser *p)
{
	if (p->csv_ready)
		csv_free(&p->csv);
	if (p->in)
		fclose(p->in);
	free(p->block);
	free(p->line_buf);
	free(p->conv);
	memset(p, 0, sizeof *p);
}

/* ---- delivering records ----------------------------------------------------- */

typedef struct deliverer {
	csvread_fn fn;
	void *context;
	char **fields;
	size_t *lengths;
	size_t size;
	uint64_t records;
} deliverer;

/* Point *fields and *lengths (of *size entries, grown as needed) at the
 * fields of record `r` of an unsealed batch `b`, NULL after the last.
 * 0, or -1 when out of memory (what was grown is kept). */
static int view_record(char ***fields, size_t **lengths, size_t *size, const batch *b,
                       const batch_record *r)
{
	if (r->count + 1 > *size) {
		size_t n = *size ? *size : 16;
		while (n < r->count + 1)
			n *= 2;
		char **f = realloc(*fields, n * sizeof *f);
		if (f)
			*fields = f;
		size_t *l = realloc(*lengths, n * sizeof *l);
		if (l)
			*lengths = l;
		if (!f || !l)
			return -1;
		*size = n;
	}
	for (size_t i = 0; i < r->count; i++) {
		(*fields)[i] = b->text + b->starts[r->first + i];
		(*lengths)[i] = b->lengths[r->first + i];
	}
	(*fields)[r->count] = NULL;
	return 0;
}

/* Call the callback for each record of `b`. Returns 0, 1 when the callback
 * asked to stop, or its error. */
static int deliver(deliverer *d, batch *b, const char *path)
{
	if (!b->sealed && batch_seal(b))
		return parity_error_set(PARITY_ENOMEM, "out of memory reading %s", path);
	for (size_t i = 0; i < b->count; i++) {
		const batch_record *r = &b->records[i];
		if (b->sealed) {
			csvread_record record = {r->line, b->pointers + r->pointer, r->count,
			                         b->lengths + r->first, r->ordinal, r->offset};
			d->records++;
			int rc = d->fn(d->context, &record);
			if (rc)
				return rc < 0 ? rc : 1;
			continue;
		}
		if (view_record(&d->fields, &d->lengths, &d->size, b, r))
			return parity_error_set(PARITY_ENOMEM, "out of memory reading %s", path);
		csvread_record record = {r->line, d->fields, r->count, d->lengths,
		                         r->ordinal, r->offset};
		d->records++;
		int rc = d->fn(d->context, &record);
		if (rc)
			return rc < 0 ? rc : 1;
	}
	return 0;
}

/* ---- the second thread ---------------------------------------------------- */

typedef struct pipeline {
	parser *p;
	pthread_mutex_t lock;
	pthread_cond_t changed;
	batch batches[BATCHES];
	batch *full[BATCHES];     /* filled, in order */
	size_t full_head, full_count;
	batch *spare[BATCHES];    /* free to fill */
	size_t spare_count;
	int done;                 /* the parser has finished (or failed) */
	int cancel;               /* the consumer has stopped */
	int error;                /* the parser's error */
	char message[2048];
} pipeline;

static void *parse_thread(void *arg)
{
	pipeline *q = arg;
	int rc = 0;
	for (;;) {
		pthread_mutex_lock(&q->lock);
		while (!q->spare_count && !q->cancel)
			pthread_cond_wait(&q->changed, &q->lock);
		if (q->cancel) {
			pthread_mutex_unlock(&q->lock);
			break;
		}
		batch *b = q->spare[--q->spare_count];
		pthread_mutex_unlock(&q->lock);

		batch_clear(b);
		rc = produce(q->p, b, BATCH_TEXT, 1);
		if (batch_seal(b) && rc >= 0)
			rc = parity_error_set(PARITY_ENOMEM, "out of memory reading %s",
			                      q->p->path);

		pthread_mutex_lock(&q->lock);
		q->full[(q->full_head + q->full_count) % BATCHES] = b;
		q->full_count++;
		if (rc < 0) {
			q->error = rc;
			snprintf(q->message, sizeof q->message, "%s", parity_error_last());
		}
		if (rc)
			q->done = 1;
		pthread_cond_broadcast(&q->changed);
		pthread_mutex_unlock(&q->lock);
		if (rc)
			break;
	}
	pthread_mutex_lock(&q->lock);
	q->done = 1;
	pthread_cond_broadcast(&q->changed);
	pthread_mutex_unlock(&q->lock);
	return NULL;
}

/* Parse on a second thread, delivering on this one. */
static int run_threaded(parser *p, deliverer *d)
{
	pipeline q;
	pthread_t thread;
	int rc = 0;
	memset(&q, 0, sizeof q);
	q.p = p;
	for (size_t i = 0; i < BATCHES; i++)
		q.spare[q.spare_count++] = &q.batches[i];
	if (pthread_mutex_init(&q.lock, NULL))
		return parity_error_set(PARITY_ENOMEM, "cannot start reading %s", p->path);
	if (pthread_cond_init(&q.changed, NULL)) {
		pthread_mutex_destroy(&q.lock);
		return parity_error_set(PARITY_ENOMEM, "cannot start reading %s", p->path);
	}
	if (pthread_create(&thread, NULL, parse_thread, &q)) {
		pthread_cond_destroy(&q.changed);
		pthread_mutex_destroy(&q.lock);
		return parity_error_set(PARITY_ENOMEM, "cannot start reading %s", p->path);
	}
	for (;;) {
		pthread_mutex_lock(&q.lock);
		while (!q.full_count && !q.done)
			pthread_cond_wait(&q.changed, &q.lock);
		if (!q.full_count) {
			if (q.error) {
				rc = parity_error_set(q.error, "%s", q.message);
			}
			pthread_mutex_unlock(&q.lock);
			break;
		}
		batch *b = q.full[q.full_head];
		q.full_head = (q.full_head + 1) % BATCHES;
		q.full_count--;
		pthread_mutex_unlock(&q.lock);

		rc = deliver(d, b, p->path);

		pthread_mutex_lock(&q.lock);
		q.spare[q.spare_count++] = b;
		if (rc)
			q.cancel = 1;
		pthread_cond_broadcast(&q.changed);
		pthread_mutex_unlock(&q.lock);
		if (rc)
			break;
	}
	pthread_join(thread, NULL);
	pthread_cond_destroy(&q.changed);
	pthread_mutex_destroy(&q.lock);
	for (size_t i = 0; i < BATCHES; i++)
		batch_free(&q.batches[i]);
	return rc;
}

/* Parse and deliver on this thread. */
static int run_inline(parser *p, deliverer *d)
{
	batch b;
	int rc;
	memset(&b, 0, sizeof b);
	do {
		batch_clear(&b);
		rc = produce(p, &b, BATCH_TEXT, 1);
		/* The records before a parse error are still delivered, and their
		 * checks may set and clear errors of their own: keep the message. */
		char message[2048] = "";
		if (rc < 0)
			snprintf(message, sizeof message, "%s", parity_error_last());
		int drc = deliver(d, &b, p->path);
		if (drc) {
			rc = drc;
			break;
		}
		if (rc < 0)
			parity_error_set(rc, "%s", message);
	} while (rc == 0);
	batch_free(&b);
	return rc;
}

int csvread_file(csvread_result *result, const char *path,
                 const csvread_options *options, csvread_fn fn, void *context)
{
	csvread_result local;
	parser p;
	deliverer d;
	int rc;

	if (!result)
		result = &local;
	memset(result, 0, sizeof *result);
	memset(&d, 0, sizeof d);
	d.fn = fn;
	d.context = context;
	rc = parser_open(&p, path, options, BLOCK_SIZE);
	if (rc)
		goto done;
	p.hashing = 1;
	sha256_init(&p.sha);
	if (options && options->threaded)
		rc = run_threaded(&p, &d);
	else
		rc = run_inline(&p, &d);
	if (rc == 1)
		rc = 0; /* the end of the file, or the callback stopped */
	if (rc)
		goto done;
	sha256_final_hex(&p.sha, result->sha256);
	result->bytes = p.bytes;
	result->records = d.records;
	result->delimiter = p.delimiter;
	result->had_bom = p.had_bom;
done:
	parser_close(&p);
	free(d.fields);
	free(d.lengths);
	return rc;
}

/* ---- cursors ----------------------------------------------------------------- */

struct csvread_cursor {
	parser p;
	batch b;
	size_t next;           /* next record of `b` to return */
	int end;               /* the parser reached the end of the file */
	char **fields;
	size_t *lengths;
	size_t size;
	csvread_record record;
};

int csvread_cursor_open(csvread_cursor **out, const char *path,
                        const csvread_options *options)
{
	*out = NULL;
	csvread_cursor *c = calloc(1, sizeof *c);
	if (!c)
		return parity_error_set(PARITY_ENOMEM, "out of memory");
	int rc = parser_open(&c->p, path, options, CURSOR_BLOCK);
	if (rc) {
		csvread_cursor_free(c);
		return rc;
	}
	c->p.started = 1; /* seeks give line starts past any byte-order mark */
	*out = c;
	return 0;
}

int csvread_cursor_seek(csvread_cursor *c, uint64_t offset, uint64_t line)
{
	parser *p = &c->p;
	if (fseeko(p->in, (off_t)offset, SEEK_SET) != 0)
		return parity_error_set(PARITY_EIO, "%s: cannot seek: %s", p->path,
		                        strerror(errno));
	csv_free(&p->csv);
	p->csv_ready = 0;
	if (csv_init(&p->csv, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
		return parity_error_set(PARITY_ENOMEM, "out of memory");
	p->csv_ready = 1;
	csv_set_delim(&p->csv, (unsigned char)p->delimiter);
	p->at_eof = p->finished = 0;
	p->block_pos = p->block_len = p->line_used = 0;
	p->line = line;
	p->line_offset = offset;
	p->error = 0;
	batch_clear(&c->b);
	c->next = 0;
	c->end = 0;
	return 0;
}

int csvread_cursor_next(csvread_cursor *c, const csvread_record **out)
{
	*out = NULL;
	while (c->next == c->b.count) {
		if (c->end)
			return 0;
		if (c->p.csv.pstate == 0)
			batch_clear(&c->b);
		c->next = c->b.count;
		int rc = produce(&c->p, &c->b, 0, c->b.count + 1);
		if (rc < 0)
			return rc;
		if (rc == 1)
			c->end = 1;
	}
	const batch_record *r = &c->b.records[c->next++];
	if (view_record(&c->fields, &c->lengths, &c->size, &c->b, r))
		return parity_error_set(PARITY_ENOMEM, "out of memory");
	c->record.line = r->line;
	c->record.fields = c->fields;
	c->record.count = r->count;
	c->record.lengths = c->lengths;
	c->record.ordinal = r->ordinal;
	c->record.offset = r->offset;
	*out = &c->record;
	return 1;
}

void csvread_cursor_free(csvread_cursor *c)
{
	if (!c)
		return;
	parser_close(&c->p);
	batch_free(&c->b);
	free(c->fields);
	free(c->lengths);
	free(c);
}
