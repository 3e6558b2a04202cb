/*
 * publish_export.c: the aggregate export for publishing (`parity export
 * --suppress N`, `--disclosure`): the store writes the count cube, and the
 * disclosure gate says how each row's three counts (rows, shortlisted,
 * appointed) are shown, so that no small count, and no small difference
 * between them (those not shortlisted, not appointed), can be read.
 */
#include "parity/publish.h"

#include "gate.h"
#include "publish_internal.h"
#include "parity/common.h"
#include "parity/store.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

typedef struct export_gate {
	gate *g;
	parity_disclosure policy;
	uint64_t threshold;          /* smallest count shown as itself */
	parity_export_summary *summary;
} export_gate;

static int small(const export_gate *e, int64_t v)
{
	return v >= 1 && (uint64_t)v < e->threshold;
}

/*
 * One row: rows R, shortlisted S, appointed A, with R = S + (not
 * shortlisted) and S = A + (not appointed), the differences unprinted.
 * A row with no small count or difference is shown as it is (the common
 * case, without the gate's work); otherwise the gate marks it.
 */
static int row_text(char text[3][32], const int64_t counts[3], void *context)
{
	export_gate *e = context;
	unsigned char marks[3] = {SUPPRESS_SHOWN, SUPPRESS_SHOWN, SUPPRESS_SHOWN};
	int64_t not_shortlisted = counts[0] - counts[1], not_appointed = counts[1] - counts[2];
	int nhs = e->policy == PARITY_DISCLOSURE_NHS_DIGITAL;
	if (small(e, counts[0]) || small(e, counts[1]) || small(e, counts[2]) ||
	    (!nhs && (small(e, not_shortlisted) || small(e, not_appointed)))) {
		gate_reset(e->g);
		size_t r = gate_cell(e->g, "rows", (uint64_t)counts[0], 1);
		size_t s = gate_cell(e->g, "shortlisted", (uint64_t)counts[1], 1);
		size_t a = gate_cell(e->g, "appointed", (uint64_t)counts[2], 1);
		size_t ns = not_shortlisted >= 0
		            ? gate_cell(e->g, "not shortlisted", (uint64_t)not_shortlisted, 0)
		            : GATE_NONE;
		size_t na = not_appointed >= 0
		            ? gate_cell(e->g, "not appointed", (uint64_t)not_appointed, 0)
		            : GATE_NONE;
		if (r == GATE_NONE || s == GATE_NONE || a == GATE_NONE)
			return parity_error_set(PARITY_ENOMEM, "out of memory exporting counts");
		size_t first[2] = {s, ns}, second[2] = {a, na};
		int rc = 0;
		if (ns != GATE_NONE)
			rc = gate_sum(e->g, r, first, 2);
		if (!rc && na != GATE_NONE)
			rc = gate_sum(e->g, s, second, 2);
		if (!rc)
			rc = gate_run(e->g);
		if (rc)
			return rc;
		marks[0] = (unsigned char)gate_mark(e->g, r);
		marks[1] = (unsigned char)gate_mark(e->g, s);
		marks[2] = (unsigned char)gate_mark(e->g, a);
	}
	for (int k = 0; k < 3; k++) {
		if (marks[k] == SUPPRESS_PRIMARY) {
			if (nhs)
				snprintf(text[k], sizeof text[k], "*");
			else
				snprintf(text[k], sizeof text[k], "<%" PRIu64, e->threshold);
			e->summary->suppressed++;
		} else if (marks[k] == SUPPRESS_SECONDARY) {
			snprintf(text[k], sizeof text[k], "*");
			e->summary->withheld++;
		} else {
			uint64_t v = (uint64_t)counts[k];
			snprintf(text[k], sizeof text[k], "%" PRIu64, nhs ? gate_rounded(v) : v);
		}
	}
	return 0;
}

int parity_publish_export_counts(parity_export_summary *summary, parity_store *store,
                                 const char *path, parity_disclosure policy,
                                 unsigned threshold)
{
	export_gate e;
	char comment[300];
	int nhs = policy == PARITY_DISCLOSURE_NHS_DIGITAL;
	memset(summary, 0, sizeof *summary);
	if (!nhs && threshold < 2)
		return parity_error_set(PARITY_EUSAGE, "suppress %u: give a threshold from 2 "
		                        "(hide 1s) up, such as 5 (hide 1 to 4)", threshold);
	publish_rule rule;
	publish_rule_of(&rule, policy, threshold);
	e.policy = policy;
	e.threshold = rule.threshold;
	e.summary = summary;
	e.g = gate_new(rule.gate, e.threshold);
	if (!e.g)
		return parity_error_set(PARITY_ENOMEM, "out of memory exporting counts");
	if (nhs)
		snprintf(comment, sizeof comment, "parity aggregate export - SUPPRESSED for "
		         "publishing (NHS Digital): counts from 1 to 7 are shown as * and "
		         "others rounded to the nearest 5 - this file cannot be ingested");
	else
		snprintf(comment, sizeof comment, "parity aggregate export - SUPPRESSED for "
		         "publishing: counts from 1 to %u are shown as <%u and counts that "
		         "would reveal them as * - this file cannot be ingested",
		         threshold - 1, threshold);
	int rc = parity_store_export_counts_shown(summary, store, path, comment, row_text, &e);
	gate_free(e.g);
	return rc;
}
