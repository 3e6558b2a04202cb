/*
 * suggest_frame.c: what the mapping draft learns about a file's frame
 * before and after reading its rows: where the header is when a report's
 * title lines stand above it (ESR's saved reports), with which delimiter,
 * and whether the dates it holds are ones ingest will read, in which order.
 */
#include "parity/common.h"
#include "parity/period.h"
#include "suggest_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Lines read to find the header: a report's title is a few lines at most. */
#define FRAME_LINES 200

/* Delimiters of `delimiter` in `line`, outside double quotes. */
static size_t count_delimiters(const char *line, size_t len, char delimiter)
{
	size_t n = 0;
	int quoted = 0;
	for (size_t i = 0; i < len; i++) {
		if (line[i] == '"')
			quoted = !quoted;
		else if (line[i] == delimiter && !quoted)
			n++;
	}
	return n;
}

/* The most frequent non-zero value of counts[0..n), with its frequency;
 * the larger value wins a tie. */
static size_t modal_count(const size_t *counts, size_t n, size_t *frequency)
{
	size_t best = 0, best_freq = 0;
	for (size_t i = 0; i < n; i++) {
		if (!counts[i])
			continue;
		size_t freq = 0;
		for (size_t j = 0; j < n; j++)
			freq += counts[j] == counts[i];
		if (freq > best_freq || (freq == best_freq && counts[i] > best)) {
			best = counts[i];
			best_freq = freq;
		}
	}
	*frequency = best_freq;
	return best;
}

int suggest_find_header(suggest_frame *out, const char *path, char given)
{
	static const char candidates[] = {',', ';', '\t'};
	size_t counts[3][FRAME_LINES];
	size_t lines = 0;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;

	memset(out, 0, sizeof *out);
	out->header_line = 1;
	FILE *in = fopen(path, "rb");
	if (!in)
		return 0; /* the reader that follows says why */
	while (lines < FRAME_LINES && (len = getline(&line, &cap, in)) >= 0) {
		for (size_t d = 0; d < 3; d++)
			counts[d][lines] = count_delimiters(line, (size_t)len, candidates[d]);
		lines++;
	}
	free(line);
	fclose(in);
	if (lines < 2)
		return 0;

	/* The delimiter: the one whose commonest count per line is the most
	 * common (rows outnumber title lines), or the one given. */
	size_t best_d = 0, best_freq = 0, best_width = 0;
	for (size_t d = 0; d < 3; d++) {
		size_t freq, width = modal_count(counts[d], lines, &freq);
		if (given && candidates[d] != given)
			continue;
		if (width && (freq > best_freq || (freq == best_freq && width > best_width))) {
			best_d = d;
			best_freq = freq;
			best_width = width;
		}
	}
	if (!best_width)
		return 0;
	/* The header is the first line as wide as the rows; lines above it
	 * with fewer delimiters are a title. Only said when the rows agree
	 * (at least two lines of that width), so one odd first line of a
	 * short file is not taken for a title. */
	if (best_freq < 2)
		return 0;
	for (size_t i = 0; i < lines; i++)
		if (counts[best_d][i] == best_width) {
			out->header_line = (unsigned long)i + 1;
			break;
		}
	if (out->header_line > 1)
		out->delimiter = candidates[best_d];
	return 0;
}

void suggest_check_dates(suggest_dates *out, const char *const *values,
                         const uint64_t *rows, size_t count)
{
	memset(out, 0, sizeof *out);
	for (size_t i = 0; i < count; i++) {
		const char *v = values[i];
		if (!v || !*v)
			continue;
		parity_date day, month;
		int day_ok = parity_date_parse_as(&day, v, PARITY_DATE_DAY_FIRST) == 0;
		int month_ok = parity_date_parse_as(&month, v, PARITY_DATE_MONTH_FIRST) == 0;
		parity_error_clear();
		out->rows_checked += rows[i];
		if (!day_ok && !month_ok) {
			if (!out->refused_rows)
				snprintf(out->refused_example, sizeof out->refused_example, "%s", v);
			out->refused_rows += rows[i];
		} else if (day_ok && !month_ok) {
			if (!out->day_first_rows)
				snprintf(out->day_first_example, sizeof out->day_first_example, "%s", v);
			out->day_first_rows += rows[i];
		} else if (month_ok && !day_ok) {
			if (!out->month_first_rows)
				snprintf(out->month_first_example, sizeof out->month_first_example,
				         "%s", v);
			out->month_first_rows += rows[i];
		} else if (day.day != month.day || day.month != month.month) {
			out->ambiguous_rows += rows[i]; /* 03/04/2025: either way */
		}
	}
}
