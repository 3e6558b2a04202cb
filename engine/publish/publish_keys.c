/*
 * publish_keys.c: the names the published set gives its counts in the
 * gate: a row's measure and window, its table's stem (as text, or short:
 * "\1" and its number in a dictionary of stems), and keys joined from
 * parts without printf (a national run builds millions of them).
 */
#include "gate.h"
#include "publish_internal.h"
#include "parity/common.h"

#include <string.h>

const char *publish_measure_of(const parity_result_row *row)
{
	return row->measure[0] ? row->measure : row->indicator;
}

const char *publish_window_of(const parity_result_row *row)
{
	return row->window[0] ? row->window : row->period;
}

/* Append `text` to the key being built in `buf` (`size` bytes, `*at` used),
 * cut to fit as snprintf would: the millions of keys of a national run
 * are built without printf. */
void publish_key_add(char *buf, size_t size, size_t *at, const char *text)
{
	size_t n = strlen(text), room = size - 1 - *at;
	if (n > room)
		n = room;
	memcpy(buf + *at, text, n);
	*at += n;
	buf[*at] = '\0';
}

/* `parts` joined by '|' into `buf`, as snprintf("%s|%s|...") would. */
void publish_key_join(char *buf, size_t size, const char *const *parts, size_t count)
{
	size_t at = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < count; i++) {
		if (i)
			publish_key_add(buf, size, &at, "|");
		publish_key_add(buf, size, &at, parts[i]);
	}
}

/* The part of a key every count of one table shares: measure, window,
 * stratum (pooled rows are a table of their own). */
void publish_stem_text(char *buf, size_t size, const parity_result_row *row)
{
	size_t at = 0;
	buf[0] = '\0';
	publish_key_add(buf, size, &at, publish_measure_of(row));
	publish_key_add(buf, size, &at, "|");
	publish_key_add(buf, size, &at, publish_window_of(row));
	publish_key_add(buf, size, &at, "|");
	publish_key_add(buf, size, &at, row->stratum_kind);
	publish_key_add(buf, size, &at, row->pooled ? "+pooled|" : "|");
	publish_key_add(buf, size, &at, row->stratum);
}

/* "\1" and `id` in lower-case hex into `buf`, as snprintf("\1%zx") would. */
void publish_stem_short(char *buf, size_t size, size_t id)
{
	char digits[2 * sizeof id];
	size_t n = 0, at = 0;
	do {
		digits[n++] = "0123456789abcdef"[id & 15];
		id >>= 4;
	} while (id);
	if (size < 2) {
		if (size)
			buf[0] = '\0';
		return;
	}
	buf[at++] = '\1';
	while (n && at + 1 < size)
		buf[at++] = digits[--n];
	buf[at] = '\0';
}

/* The row's stem as it goes into keys: with `stems` (a gate used as a
 * dictionary) a short name for it, "\1" and its number, so that the keys of
 * a national run (millions of cells, each naming its table) stay short;
 * without, the text itself. 0, or PARITY_ENOMEM. */
int publish_stem(gate *stems, char *buf, size_t size, const parity_result_row *row)
{
	char text[STEM_MAX];
	if (!stems) {
		publish_stem_text(buf, size, row);
		return 0;
	}
	publish_stem_text(text, sizeof text, row);
	size_t id = gate_cell(stems, text, 0, 0);
	if (id == GATE_NONE)
		return parity_error_set(PARITY_ENOMEM, "disclosure: out of memory");
	publish_stem_short(buf, size, id);
	return 0;
}
