/*
 * publish_return.c: the annual return as published (return.csv and the
 * workbooks): the marks of its counts, read from the year's one published
 * set (parity_publish_build_year, publish_return_link.c), so the return
 * and the board report decide every shared count alike; a share or
 * difference is printed only when no count it reads is hidden.
 */
#include "parity/return.h"

#include "csv/csvread.h"
#include "gate.h"
#include "publish_internal.h"
#include "parity/common.h"
#include "util/util.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct parity_return_published {
	const parity_return *ret;
	parity_disclosure policy;
	unsigned threshold;          /* smallest count shown as itself; 0: none hidden */
	char small_mark[16];         /* "<5", "*" or "" */
	unsigned char *marks;        /* per count: parity_count_mark */
	size_t printed, primary, secondary; /* distinct printed counts, hidden */
};

const parity_return *parity_publish_return(const parity_published *pub)
{
	return pub ? pub->ret : NULL;
}

int parity_return_publish(parity_return_published **out, const parity_published *year)
{
	if (!out || !year)
		return parity_error_set(PARITY_EUSAGE, "parity_return_publish: NULL argument");
	*out = NULL;
	const parity_return *ret = year->ret;
	if (!ret)
		return parity_error_set(PARITY_EUSAGE, "parity_return_publish: the published "
		                        "set was built without the return");
	parity_return_published *pub = calloc(1, sizeof *pub);
	/* Which cells are the return's, once each (a cell may stand for a
	 * count of both documents). */
	unsigned char *seen = calloc(gate_cell_count(year->g) + 1, 1);
	if (!pub || !seen || !(pub->marks = calloc(ret->count_count + 1, 1))) {
		free(seen);
		free(pub);
		return parity_error_set(PARITY_ENOMEM, "disclosure: out of memory");
	}
	pub->ret = ret;
	pub->policy = year->policy;
	pub->threshold = year->threshold;
	memcpy(pub->small_mark, year->small_mark, sizeof pub->small_mark);
	for (size_t i = 0; i < ret->count_count; i++) {
		size_t cell = year->return_cells[i];
		suppress_mark m = (suppress_mark)year->return_marks[i];
		pub->marks[i] = m == SUPPRESS_PRIMARY     ? PARITY_COUNT_PRIMARY
		                : m == SUPPRESS_SECONDARY ? PARITY_COUNT_SECONDARY
		                                          : PARITY_COUNT_SHOWN;
		if (!ret->counts[i].printed || (cell != GATE_NONE && seen[cell]))
			continue;
		if (cell != GATE_NONE)
			seen[cell] = 1;
		pub->printed++;
		pub->primary += m == SUPPRESS_PRIMARY;
		pub->secondary += m == SUPPRESS_SECONDARY;
	}
	free(seen);
	*out = pub;
	return 0;
}

void parity_return_published_free(parity_return_published *pub)
{
	if (!pub)
		return;
	free(pub->marks);
	free(pub);
}

parity_count_mark parity_return_count_mark(const parity_return_published *pub,
                                           size_t index)
{
	if (!pub || index >= pub->ret->count_count)
		return PARITY_COUNT_SHOWN;
	return (parity_count_mark)pub->marks[index];
}

int parity_return_row_hidden(const parity_return_published *pub,
                             const parity_return_row *row)
{
	if (row->kind == PARITY_RETURN_SURVEY)
		return row->withheld;
	/* None of a group is 0% of any total: a shown 0 over a hidden total
	 * gives nothing away (a board with no BME member says so). */
	if (row->kind == PARITY_RETURN_SHARE && row->numerator == 0 && row->has_value &&
	    parity_return_count_mark(pub, row->counts[0]) == PARITY_COUNT_SHOWN)
		return 0;
	size_t n = row->kind == PARITY_RETURN_SHARE ? 2 : 4;
	for (size_t k = 0; k < n; k++)
		if (parity_return_count_mark(pub, row->counts[k]) != PARITY_COUNT_SHOWN)
			return 1;
	return 0;
}

void parity_return_count_text(char *buf, size_t size,
                              const parity_return_published *pub, size_t index)
{
	parity_count_mark mark = parity_return_count_mark(pub, index);
	uint64_t value = pub->ret->counts[index].value;
	if (mark == PARITY_COUNT_PRIMARY)
		snprintf(buf, size, "%s", pub->small_mark[0] ? pub->small_mark : "<5");
	else if (mark == PARITY_COUNT_SECONDARY)
		snprintf(buf, size, "[c]");
	else
		snprintf(buf, size, "%" PRIu64,
		         pub->policy == PARITY_DISCLOSURE_NHS_DIGITAL ? gate_rounded(value)
		                                                      : value);
}

void parity_return_publish_summary(const parity_return_published *pub, size_t *printed,
                                   size_t *primary, size_t *secondary)
{
	*printed = *primary = *secondary = 0;
	if (!pub)
		return;
	*printed = pub->printed;
	*primary = pub->primary;
	*secondary = pub->secondary;
}

/* A CSV field: text neutralised against spreadsheet formulas (an
 * organisation code comes from an extract), numbers as they are (a
 * negative difference must stay a number). */
static void field(FILE *out, const char *text, int numeric, int last)
{
	if (numeric)
		csvread_write_field(out, text);
	else
		csvread_write_text(out, text);
	fputc(last ? '\n' : ',', out);
}

const parity_return *parity_return_published_return(const parity_return_published *pub)
{
	return pub ? pub->ret : NULL;
}

const parity_result_row *parity_return_ratio_row(const parity_published *ratios,
                                                 const char *code,
                                                 const char *organisation)
{
	if (!ratios)
		return NULL;
	const parity_results *results = parity_publish_results(ratios);
	const parity_result_row *overall = NULL;
	for (size_t i = 0; i < results->count; i++) {
		const parity_result_row *row = &results->rows[i];
		if (strcmp(row->indicator, code) || row->pooled)
			continue;
		if (!strcmp(row->stratum_kind, "organisation") &&
		    !strcmp(row->stratum, organisation))
			return row;
		if (!strcmp(row->stratum_kind, "overall"))
			overall = row;
	}
	/* Restricted to one organisation, the overall row is that organisation. */
	return results->organisation[0] && !strcmp(results->organisation, organisation)
	       ? overall : NULL;
}

void parity_return_ratio_count_text(char *buf, size_t size,
                                    const parity_published *ratios, uint64_t value,
                                    parity_count_mark mark)
{
	if (mark == PARITY_COUNT_SHOWN) {
		int nhs = parity_publish_policy(ratios) == PARITY_DISCLOSURE_NHS_DIGITAL;
		snprintf(buf, size, "%" PRIu64, nhs ? gate_rounded(value) : value);
		return;
	}
	parity_publish_count_text(buf, size, ratios, value, mark);
}

/* A number for the CSV: "inf" for infinity, as results.csv writes it. */
static void number_text(char *buf, size_t size, double value)
{
	if (isinf(value))
		snprintf(buf, size, "%s", value > 0 ? "inf" : "-inf");
	else
		snprintf(buf, size, "%.4f", value);
}

/* The relative likelihoods of one organisation, after its return rows. */
static void write_ratio_rows(FILE *out, const parity_published *ratios, const char *org)
{
	static const char *const codes[] = {"WRES2", "WRES3", "WRES4", "WDES2", "WDES3"};
	for (size_t k = 0; k < sizeof codes / sizeof codes[0]; k++) {
		const parity_result_row *row = parity_return_ratio_row(ratios, codes[k], org);
		if (!row)
			continue;
		const parity_ratio *r = &row->ratio;
		const unsigned char *marks = parity_publish_row_marks(ratios, row);
		int hidden = parity_publish_row_hidden(ratios, row);
		char standard[5], number[4], indicator[48], group[100];
		snprintf(standard, sizeof standard, "%.4s", codes[k]);
		snprintf(number, sizeof number, "%s", codes[k] + 4);
		const uint64_t x[2] = {r->x1, r->x2}, n[2] = {r->n1, r->n2};
		const char *names[2] = {row->group1, row->group2};
		for (int g = 0; g < 2; g++) {
			char xt[32], nt[32], value[32] = "";
			parity_return_ratio_count_text(xt, sizeof xt, ratios, x[g],
			                               (parity_count_mark)marks[2 * g + 1]);
			parity_return_ratio_count_text(nt, sizeof nt, ratios, n[g],
			                               (parity_count_mark)marks[2 * g]);
			int shown = marks[2 * g] == PARITY_COUNT_SHOWN &&
			            marks[2 * g + 1] == PARITY_COUNT_SHOWN;
			if (!hidden && shown && n[g])
				number_text(value, sizeof value, 100.0 * (double)x[g] / (double)n[g]);
			field(out, standard, 0, 0);
			field(out, number, 0, 0);
			field(out, org, 0, 0);
			field(out, names[g], 0, 0);
			field(out, xt, 1, 0);
			field(out, nt, 1, 0);
			field(out, value, 1, 0);
			field(out, "", 1, 0);
			field(out, "", 1, 0);
			field(out, hidden || !shown ? "1" : "0", 1, 1);
		}
		char ratio[32] = "", low[32] = "", high[32] = "";
		if (!hidden && r->estimable) {
			number_text(ratio, sizeof ratio, r->ratio);
			number_text(low, sizeof low, r->ci_low);
			number_text(high, sizeof high, r->ci_high);
		}
		snprintf(indicator, sizeof indicator, "%s relative likelihood", number);
		snprintf(group, sizeof group, "%s vs %s", row->group1, row->group2);
		field(out, standard, 0, 0);
		field(out, indicator, 0, 0);
		field(out, org, 0, 0);
		field(out, group, 0, 0);
		field(out, "", 1, 0);
		field(out, "", 1, 0);
		field(out, ratio, 1, 0);
		field(out, low, 1, 0);
		field(out, high, 1, 0);
		field(out, hidden ? "1" : "0", 1, 1);
	}
}

int parity_return_write_csv(const parity_return_published *pub,
                            const parity_published *ratios, const char *path)
{
	if (!pub || !path)
		return parity_error_set(PARITY_EUSAGE, "parity_return_write_csv: NULL argument");
	util_atomic_file file;
	int rc = util_atomic_open(&file, path, 0600);
	if (rc)
		return rc;
	FILE *out = file.file;
	const parity_return *r = pub->ret;
	fprintf(out, "standard,indicator,organisation,group,numerator,denominator,value,"
	        "ci_low,ci_high,suppressed\n");
	for (size_t i = 0; i < r->row_count; i++) {
		const parity_return_row *row = &r->rows[i];
		char numerator[32] = "", denominator[32] = "", value[32] = "";
		int hidden = parity_return_row_hidden(pub, row);
		char low[32] = "", high[32] = "";
		if (row->kind == PARITY_RETURN_SHARE) {
			parity_return_count_text(numerator, sizeof numerator, pub, row->counts[0]);
			parity_return_count_text(denominator, sizeof denominator, pub,
			                         row->counts[1]);
		} else if (row->kind == PARITY_RETURN_SURVEY) {
			/* The Staff Survey shows nothing of a group under 11. */
			if (row->has_numerator && !hidden)
				snprintf(numerator, sizeof numerator, "%" PRIu64, row->numerator);
			if (row->has_denominator)
				snprintf(denominator, sizeof denominator, hidden ? "<11" : "%" PRIu64,
				         row->denominator);
			if (row->has_ci && !hidden) {
				snprintf(low, sizeof low, "%.4f", row->ci_low);
				snprintf(high, sizeof high, "%.4f", row->ci_high);
			}
		}
		if (!hidden && row->has_value)
			snprintf(value, sizeof value, row->kind == PARITY_RETURN_MODEL ? "%.0f"
			                                                               : "%.4f",
			         row->value);
		field(out, row->standard, 0, 0);
		field(out, row->indicator, 0, 0);
		field(out, row->organisation, 0, 0);
		field(out, row->group, 0, 0);
		field(out, numerator, 1, 0);
		field(out, denominator, 1, 0);
		field(out, value, 1, 0);
		field(out, low, 1, 0); /* shares of a census have no sampling interval */
		field(out, high, 1, 0);
		field(out, hidden ? "1" : "0", 1, 1);
		int last = i + 1 == r->row_count ||
		           strcmp(r->rows[i + 1].organisation, row->organisation);
		if (ratios && last)
			write_ratio_rows(out, ratios, row->organisation);
	}
	if (ferror(out)) {
		util_atomic_abort(&file);
		return parity_error_set(PARITY_EIO, "%s: cannot write", path);
	}
	return util_atomic_commit(&file);
}
