/*
 * publish_return_link.c: the annual return in the year's one gate. Its
 * counts join the report's published set; a count both documents publish
 * is one cell, and the return's sums and the sums that tie its counts to
 * the report's rows (organisations, pay bands, staff groups, everyone) are
 * sums the gate knows, so no pair of documents undoes a suppression.
 */
#include "publish_internal.h"

#include "parity/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The return's staff sides (engine/analyse/return.c), and the prefix that
 * keeps the return's names apart from the report's. */
#define SIDES 2 /* non-clinical, clinical; "staff group not recorded" has no
                   report row of its own */
static const char *const side_names[SIDES] = {"non-clinical", "clinical"};
#define RETURN_PREFIX "return|"

/* The return's count named `key` ("R0A|staff|workforce|ethnic BME") in the
 * dictionary `names`, as an index into ret->counts, or GATE_NONE. */
static size_t find(const gate *names, const char *key)
{
	return gate_find(names, key);
}

/* A report row whose base is the workforce at one snapshot inside the
 * return's year (WRES 4's headcount and the breakdowns of its measure): the
 * return counts the same people. Its grouping as the return names it
 * ("ethnic", "disability"), or NULL. */
static const char *tied_grouping(const parity_result_row *row, const parity_return *ret)
{
	if (row->pooled || !row->snapshots[0] || strchr(row->snapshots, ';') ||
	    strcmp(publish_window_of(row), ret->year))
		return NULL;
	if (!strcmp(row->grouping, "white_bme"))
		return "ethnic";
	if (!strcmp(row->grouping, "disability"))
		return "disability";
	return NULL;
}

/* The return's name for a pay band stratum: "band 5", "VSM", "medical and
 * dental"; NULL for none. */
static const char *band_level(char *buf, size_t size, const char *stratum)
{
	static const char *const bands[] = {"1", "2", "3", "4", "5", "6", "7", "8a",
	                                    "8b", "8c", "8d", "9"};
	if (!strcmp(stratum, "VSM"))
		return "VSM";
	if (!strcmp(stratum, "Medical"))
		return "medical and dental";
	for (size_t b = 0; b < sizeof bands / sizeof bands[0]; b++)
		if (!strcmp(stratum, bands[b])) {
			snprintf(buf, size, "band %s", bands[b]);
			return buf;
		}
	return NULL;
}

/* The side of a staff group, as the return's guidance has it. */
static int side_of_group(const char *staff_group)
{
	return strcmp(staff_group, "Administrative and Clerical") &&
	       strcmp(staff_group, "Estates and Ancillary");
}

typedef struct linking {
	parity_published *pub;
	const parity_return *ret;
	gate *names;            /* the return's keys -> index (a dictionary) */
	size_t *alias;          /* ret count -> the report's cell, or GATE_NONE */
	const char **orgs;      /* the return's organisations */
	size_t org_count;
	size_t *parts;          /* scratch: room for org_count * SIDES + 1 */
} linking;

/* The cells (return indexes when `cells` is 0, else gate cells) of
 * "<org>|<middle>|<grouping> <group>" for every organisation (or only
 * `only`) into l->parts; how many, or 0 when one is missing. */
static size_t gather(linking *l, const char *only, const char *middle,
                     const char *grouping, const char *group, int cells)
{
	char key[KEY_MAX];
	size_t n = 0;
	for (size_t o = 0; o < l->org_count; o++) {
		if (only && strcmp(only, l->orgs[o]))
			continue;
		snprintf(key, sizeof key, "%s|%s|%s %s", l->orgs[o], middle, grouping, group);
		size_t i = find(l->names, key);
		if (i == GATE_NONE)
			return 0;
		l->parts[n++] = cells ? l->pub->return_cells[i] : i;
	}
	return n;
}

/* Equal counts: the return's workforce count of an organisation is the
 * report cell of the same people (the organisation's row, or with the
 * report restricted to that organisation its overall row). */
static void alias_row(linking *l, const parity_result_row *row, const size_t *cells,
                      const size_t *excluded)
{
	const char *grouping = tied_grouping(row, l->ret);
	const char *org = !strcmp(row->stratum_kind, "organisation") ? row->stratum
	                  : !strcmp(row->stratum_kind, "overall") &&
	                    l->pub->results->organisation[0]
	                  ? l->pub->results->organisation : NULL;
	if (!grouping || !org)
		return;
	const char *groups[3] = {row->group1, row->group2, "Unknown"};
	const size_t cell[3] = {cells[C_N1], cells[C_N2],
	                        excluded[PARITY_EXCLUDED_NOT_STATED_BASE]};
	for (int k = 0; k < 3; k++) {
		if (!gather(l, org, "staff|workforce", grouping, groups[k], 0))
			continue;
		size_t i = l->parts[0];
		if (cell[k] != GATE_NONE && l->alias[i] == GATE_NONE &&
		    gate_value(l->pub->g, cell[k]) == l->ret->counts[i].value)
			l->alias[i] = cell[k];
	}
}

/* The report cell `total` is the sum of the return's counts in l->parts
 * [0, n) (cells): a sum the gate knows (gate_sum keeps only a sum that
 * holds). */
static int tie(linking *l, size_t total, size_t n)
{
	if (!n || total == GATE_NONE)
		return 0;
	if (n == 1 && l->parts[0] == total)
		return 0;
	return gate_sum(l->pub->g, total, l->parts, n);
}

/* Sums across organisations: the report's overall and pay band rows are
 * the return's counts of every organisation (and side) added up. */
static int tie_row(linking *l, const parity_result_row *row, const size_t *cells,
                   const size_t *excluded)
{
	const char *grouping = tied_grouping(row, l->ret);
	if (!grouping)
		return 0;
	const char *groups[3] = {row->group1, row->group2, "Unknown"};
	const size_t cell[3] = {cells[C_N1], cells[C_N2],
	                        excluded[PARITY_EXCLUDED_NOT_STATED_BASE]};
	int rc = 0;
	if (!strcmp(row->stratum_kind, "overall") && !l->pub->results->organisation[0]) {
		for (int k = 0; k < 3 && !rc; k++)
			rc = tie(l, cell[k], gather(l, NULL, "staff|workforce", grouping,
			                            groups[k], 1));
		return rc;
	}
	char buf[32], middle[96];
	const char *level = !strcmp(row->stratum_kind, "pay_band")
	                    ? band_level(buf, sizeof buf, row->stratum) : NULL;
	if (!level || strcmp(grouping, "ethnic"))
		return 0;
	for (int k = 0; k < 2 && !rc; k++) {
		size_t n = 0;
		for (int s = 0; s < SIDES; s++) {
			size_t *at = l->parts;
			l->parts += n;
			snprintf(middle, sizeof middle, "staff|%s|%s", side_names[s], level);
			size_t got = gather(l, NULL, middle, grouping, groups[k], 1);
			l->parts = at;
			if (!got) {
				n = 0;
				break;
			}
			n += got;
		}
		rc = tie(l, cell[k], n);
	}
	return rc;
}

/* Staff groups: the return's non-clinical side is the administrative and
 * estates staff groups, its clinical side every other; each side of every
 * organisation, added up, is an unprinted cell that the report's staff
 * group rows of that side add up to (with a rest for groups the report
 * has no row of). */
static int tie_staff_groups(linking *l, const parity_results *res)
{
	static const char *const groups[2] = {"White", "BME"};
	int rc = 0;
	size_t room = res->count + 2;
	size_t *report_parts = malloc(room * sizeof *report_parts);
	if (!report_parts)
		return parity_error_set(PARITY_ENOMEM, "disclosure: out of memory");
	for (int s = 0; s < SIDES && !rc; s++)
		for (int k = 0; k < 2 && !rc; k++) {
			char middle[96], key[KEY_MAX];
			snprintf(middle, sizeof middle, "staff|%s|all bands", side_names[s]);
			size_t n = gather(l, NULL, middle, "ethnic", groups[k], 1);
			if (!n)
				continue;
			uint64_t value = 0;
			for (size_t p = 0; p < n; p++)
				value += gate_value(l->pub->g, l->parts[p]);
			snprintf(key, sizeof key, RETURN_PREFIX "all organisations|%s|%s",
			         side_names[s], groups[k]);
			size_t side = gate_cell(l->pub->g, key, value, 0);
			if (side == GATE_NONE) {
				rc = parity_error_set(PARITY_ENOMEM, "disclosure: out of memory");
				break;
			}
			if ((rc = gate_sum(l->pub->g, side, l->parts, n)))
				break;
			size_t m = 0;
			for (size_t i = 0; i < res->count; i++) {
				const parity_result_row *row = &res->rows[i];
				const char *g = tied_grouping(row, l->ret);
				if (!g || strcmp(g, "ethnic") || strcmp(row->stratum_kind, "staff_group") ||
				    side_of_group(row->stratum) != s)
					continue;
				int second = !strcmp(row->group2, groups[k]);
				if (!second && strcmp(row->group1, groups[k]))
					continue;
				report_parts[m++] = l->pub->cells[i * C_COUNTS + (second ? C_N2 : C_N1)];
			}
			if (!m)
				continue;
			snprintf(key, sizeof key, RETURN_PREFIX "all organisations|%s|%s|rest",
			         side_names[s], groups[k]);
			rc = publish_sum_with_rest(l->pub->g, side, report_parts, m, key);
		}
	free(report_parts);
	return rc;
}

int publish_add_return(parity_published *pub, const parity_return *ret)
{
	const parity_results *res = pub->results;
	gate *g = pub->g;
	linking l = {pub, ret, NULL, NULL, NULL, 0, NULL};
	char key[KEY_MAX];
	int rc = 0;
	pub->ret = ret;
	pub->report_cells = gate_cell_count(g);
	pub->report_printed = malloc(pub->report_cells + 1);
	pub->return_cells = malloc((ret->count_count + 1) * sizeof *pub->return_cells);
	l.names = gate_new(GATE_THRESHOLD, 0);
	l.alias = malloc((ret->count_count + 1) * sizeof *l.alias);
	l.orgs = malloc((ret->row_count + 1) * sizeof *l.orgs);
	l.parts = malloc((ret->row_count * SIDES + 2) * sizeof *l.parts);
	if (!pub->report_printed || !pub->return_cells || !l.names || !l.alias || !l.orgs ||
	    !l.parts) {
		rc = parity_error_set(PARITY_ENOMEM, "disclosure: out of memory");
		goto done;
	}
	for (size_t i = 0; i < pub->report_cells; i++)
		pub->report_printed[i] = (unsigned char)gate_printed(g, i);
	for (size_t i = 0; i < ret->count_count; i++) {
		l.alias[i] = GATE_NONE;
		if (gate_cell(l.names, ret->counts[i].key, 0, 0) != i) {
			rc = parity_error_set(PARITY_ENOMEM, "disclosure: out of memory");
			goto done;
		}
	}
	for (size_t i = 0; i < ret->row_count; i++)
		if (!l.org_count || strcmp(l.orgs[l.org_count - 1], ret->rows[i].organisation))
			l.orgs[l.org_count++] = ret->rows[i].organisation;
	/* One cell for one count: the return's that the report also holds
	 * are the report's cells. */
	for (size_t i = 0; i < res->count; i++)
		alias_row(&l, &res->rows[i], &pub->cells[i * C_COUNTS],
		          &pub->excluded[i * PARITY_EXCLUDED_KINDS]);
	for (size_t i = 0; i < ret->count_count; i++) {
		const parity_return_count *c = &ret->counts[i];
		if (l.alias[i] != GATE_NONE) {
			pub->return_cells[i] = l.alias[i];
			if (c->printed)
				gate_print(g, l.alias[i]);
			continue;
		}
		snprintf(key, sizeof key, RETURN_PREFIX "%s", c->key);
		if ((pub->return_cells[i] = gate_cell(g, key, c->value, c->printed)) ==
		    GATE_NONE) {
			rc = parity_error_set(PARITY_ENOMEM, "disclosure: out of memory");
			goto done;
		}
	}
	/* The return's own sums: groups to totals, bands to clusters and
	 * sides, sides to the workforce, board slices to the board. */
	size_t widest = 1;
	for (size_t s = 0; s < ret->sum_count; s++)
		widest = ret->sums[s].count > widest ? ret->sums[s].count : widest;
	size_t *parts = malloc(widest * sizeof *parts);
	if (!parts) {
		rc = parity_error_set(PARITY_ENOMEM, "disclosure: out of memory");
		goto done;
	}
	for (size_t s = 0; s < ret->sum_count && !rc; s++) {
		const parity_return_sum *sum = &ret->sums[s];
		for (size_t k = 0; k < sum->count; k++)
			parts[k] = pub->return_cells[ret->parts[sum->first + k]];
		rc = gate_sum(g, pub->return_cells[sum->total], parts, sum->count);
	}
	free(parts);
	for (size_t i = 0; i < res->count && !rc; i++)
		rc = tie_row(&l, &res->rows[i], &pub->cells[i * C_COUNTS],
		             &pub->excluded[i * PARITY_EXCLUDED_KINDS]);
	if (!rc)
		rc = tie_staff_groups(&l, res);
done:
	gate_free(l.names);
	free(l.alias);
	free(l.orgs);
	free(l.parts);
	return rc;
}
