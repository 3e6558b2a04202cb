/*
 * csvread_line.c: one physical line to fields. Checks and converts the
 * encoding, detects the delimiter, and splits each line either directly
 * (no quotes: split at the delimiter and trim as libcsv does) or through
 * libcsv; reads blocks and fills batches of records.
 */
#include "csvread_internal.h"

#include "parity/common.h"

#include <csv.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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
	if (csvread_grow((void **)&p->conv, &p->conv_size, len * 3 + 1, 1))
		return csvread_no_memory(p);
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

void csvread_set_delimiter(parser *p, char delimiter)
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
	if ((p->error = csvread_batch_reserve(p, b, len + 1, 1)))
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
	p->error = csvread_batch_add_record(p, p->out, p->record_line,
	                                    p->record_offset, p->record_ordinal,
	                                    p->record_first);
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
	int rc = csvread_batch_reserve(p, b, n + 1, most);
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
	if ((rc = csvread_batch_add_record(p, b, p->line, p->line_offset, 0, first)))
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
		csvread_set_delimiter(p, detect_delimiter(raw, raw_len));
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
int csvread_produce(parser *p, batch *b, size_t min_text, size_t min_records)
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
			if (csvread_grow((void **)&p->line_buf, &p->line_size, p->line_used + piece, 1))
				return csvread_no_memory(p);
			memcpy(p->line_buf + p->line_used, start, piece);
			p->line_used += piece;
			continue;
		}
		size_t line_len = piece;
		if (p->line_used) {
			if (csvread_grow((void **)&p->line_buf, &p->line_size, p->line_used + piece, 1))
				return csvread_no_memory(p);
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
