/*
 * publish_return_link.c: the annual return in the year's one gate. Its
 * counts join the report's published set; a count both documents publish
 * is one cell, and the return's sums and the sums that tie its counts to
 * the report's rows (organisations, pay bands, staff groups, everyone) are
 * sums the gate knows, so no pair of documents undoes a suppression.
 */
#include "publish_internal.h"

#include "parity/common.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The return's staff sides (engine/analyse/return.c), and the prefix that
 * keeps the return's names apart from the report's. */
#define SIDES 2 /* non-clinical, clinical; "staff group not recorded" has no
                   report row of its own */
static const char *const side_names[SIDES] = {"non-clinical", "clinical"};
#define RETURN_PREFIX "return|"

/* Up to this many organisations the return's counts join the report's gate
 * itself; past it each organisation has a gate of its own (segmented()). */
#define PUBLISH_JOINT_ORGS 20

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
	for (size_t o = 0; o < (only ? 1 : l->org_count); o++) {
		snprintf(key, sizeof key, "%s|%s|%s %s", only ? only : l->orgs[o], middle,
		         grouping, group);
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


/* ---- many organisations: a gate per organisation, tied to the report's ---- */

/*
 * With every organisation's return in the report's gate, the sums across
 * organisations (a pay band's BME staff) make one system of all their
 * counts, and the gate's work grows with its square (100 organisations:
 * minutes). Past PUBLISH_JOINT_ORGS each organisation's return gets a gate
 * of its own, and the two kinds of gate meet at "link" counts: the
 * organisation's part of a sum across organisations (its band's BME staff,
 * both sides; its non-clinical side; its Disabled staff).
 * - The organisation's gate assumes the worst: that a reader knows each
 *   large link count exactly (the report's total less every other
 *   organisation's part) and that a small one is small.
 * - The report's gate then reads each link count as the return shows it:
 *   known when every count in it is shown, else its counts with the
 *   return's marks; a small link count pinned there is a leak the report's
 *   gate closes by hiding its own cells (the total).
 * - A count both publish (an organisation's White or BME staff) hidden by
 *   either gate is hidden in both.
 */

typedef struct link_def {
	char key[160];          /* "R0A|band 5|BME": the link count's name */
	size_t parts[3];        /* return indexes (counts of this organisation) */
	size_t count;
} link_def;

/* The link counts of organisation `org`: its band b (both sides) for White
 * and BME; its non-clinical and clinical sides for White and BME; its
 * Disabled and Non-disabled staff. Into `out` (room for 64); how many. */
static size_t links_of(linking *l, const char *org, link_def *out)
{
	static const char *const levels[] = {"band 1", "band 2", "band 3", "band 4",
	                                     "band 5", "band 6", "band 7", "band 8a",
	                                     "band 8b", "band 8c", "band 8d", "band 9",
	                                     "VSM", "medical and dental"};
	static const char *const groups[2] = {"White", "BME"};
	size_t n = 0;
	char middle[96];
	for (size_t b = 0; b < sizeof levels / sizeof levels[0]; b++)
		for (int k = 0; k < 2; k++) {
			link_def *d = &out[n];
			d->count = 0;
			for (int s = 0; s < SIDES; s++) {
				snprintf(middle, sizeof middle, "staff|%s|%s", side_names[s], levels[b]);
				if (gather(l, org, middle, "ethnic", groups[k], 0))
					d->parts[d->count++] = l->parts[0];
			}
			snprintf(d->key, sizeof d->key, "%s|%s|%s", org, levels[b], groups[k]);
			n += d->count == SIDES;
		}
	for (int s = 0; s < SIDES; s++)
		for (int k = 0; k < 2; k++) {
			snprintf(middle, sizeof middle, "staff|%s|all bands", side_names[s]);
			if (!gather(l, org, middle, "ethnic", groups[k], 0))
				continue;
			out[n].parts[0] = l->parts[0];
			out[n].count = 1;
			snprintf(out[n].key, sizeof out[n].key, "%s|%s|%s", org, side_names[s],
			         groups[k]);
			n++;
		}
	static const char *const abled[2] = {"Disabled", "Non-disabled"};
	for (int k = 0; k < 2; k++) {
		if (!gather(l, org, "staff|workforce", "disability", abled[k], 0))
			continue;
		out[n].parts[0] = l->parts[0];
		out[n].count = 1;
		snprintf(out[n].key, sizeof out[n].key, "%s|workforce|%s", org, abled[k]);
		n++;
	}
	return n;
}

#define LINKS_MAX 64

/* The gate policy of `pub`'s disclosure policy. */
static gate_policy gate_policy_of(const parity_published *pub)
{
	return pub->policy == PARITY_DISCLOSURE_NHS_DIGITAL ? GATE_ROUNDING : GATE_THRESHOLD;
}

/* The gate of one organisation's counts [first, last): its sums and, as the
 * worst case, its link counts known (large) or small (1..threshold-1). Its
 * marks into pub->return_marks. */
static int gate_organisation(linking *l, const char *org, size_t first, size_t last,
                             link_def *links, int *joint)
{
	const parity_return *r = l->ret;
	parity_published *pub = l->pub;
	gate *g = gate_new(gate_policy_of(pub), pub->threshold);
	size_t *parts = NULL, room = 0;
	int rc = 0;
	if (!g)
		return parity_error_set(PARITY_ENOMEM, "disclosure: out of memory");
	for (size_t i = first; i < last; i++)
		if (gate_cell(g, r->counts[i].key, r->counts[i].value, r->counts[i].printed) !=
		    i - first) {
			rc = parity_error_set(PARITY_ENOMEM, "disclosure: out of memory");
			goto done;
		}
	for (size_t s = 0; s < r->sum_count && !rc; s++) {
		const parity_return_sum *sum = &r->sums[s];
		if (sum->total < first || sum->total >= last)
			continue;
		if (sum->count > room) {
			size_t *grown = realloc(parts, sum->count * sizeof *parts);
			if (!grown) {
				rc = parity_error_set(PARITY_ENOMEM, "disclosure: out of memory");
				goto done;
			}
			parts = grown;
			room = sum->count;
		}
		for (size_t k = 0; k < sum->count; k++)
			parts[k] = r->parts[sum->first + k] - first;
		rc = gate_sum(g, sum->total - first, parts, sum->count);
	}
	size_t n = links_of(l, org, links);
	for (size_t k = 0; k < n && !rc; k++) {
		size_t in[3];
		uint64_t value = 0;
		for (size_t p = 0; p < links[k].count; p++) {
			in[p] = links[k].parts[p] - first;
			value += r->counts[links[k].parts[p]].value;
		}
		if (!value)
			continue;
		char key[KEY_MAX + 8];
		snprintf(key, sizeof key, "link|%s", links[k].key);
		size_t cell = gate_cell(g, key, value, 0);
		if (cell == GATE_NONE) {
			rc = parity_error_set(PARITY_ENOMEM, "disclosure: out of memory");
			break;
		}
		gate_fix(g, cell, pub->threshold > 1 && value < pub->threshold
		                  ? SUPPRESS_PRIMARY : SUPPRESS_SHOWN);
		rc = gate_sum(g, cell, in, links[k].count);
	}
	if (!rc)
		rc = gate_run(g);
	/* The worst case leaves a small count no cell can protect: this
	 * organisation's counts join the report's gate instead. */
	*joint = !rc && gate_unprotected(g) > 0;
	for (size_t i = first; i < last && !rc; i++)
		pub->return_marks[i] = (unsigned char)gate_mark(g, i - first);
done:
	free(parts);
	gate_free(g);
	return rc;
}

/* The report's side: each organisation's link counts as the return shows
 * them, added up to the report's totals. `cell` is the report's total for
 * the link counts named "<org>|<what>" (what: "band 5|BME", ...). */
static int tie_links(linking *l, size_t total, const char *what)
{
	parity_published *pub = l->pub;
	const parity_return *r = l->ret;
	link_def links[LINKS_MAX];
	char want[KEY_MAX], key[KEY_MAX + 16];
	size_t n = 0;
	if (total == GATE_NONE)
		return 0;
	size_t *ties = malloc((l->org_count + 2) * sizeof *ties);
	if (!ties)
		return parity_error_set(PARITY_ENOMEM, "disclosure: out of memory");
	int rc = 0;
	for (size_t o = 0; o < l->org_count; o++) {
		size_t count = links_of(l, l->orgs[o], links);
		snprintf(want, sizeof want, "%s|%s", l->orgs[o], what);
		for (size_t k = 0; k < count; k++) {
			if (strcmp(links[k].key, want))
				continue;
			uint64_t value = 0;
			int shown = 1;
			size_t in[3];
			for (size_t p = 0; p < links[k].count; p++) {
				size_t i = links[k].parts[p];
				value += r->counts[i].value;
				shown &= pub->return_marks[i] == SUPPRESS_SHOWN;
			}
			if (!value)
				break;
			snprintf(key, sizeof key, "link|%s", links[k].key);
			size_t cell = gate_cell(pub->g, key, value, 0);
			if (cell == GATE_NONE) {
				rc = parity_error_set(PARITY_ENOMEM, "disclosure: out of memory");
				goto done;
			}
			size_t first_part = pub->return_cells[links[k].parts[0]];
			if (first_part != GATE_NONE && l->alias[links[k].parts[0]] == GATE_NONE) {
				/* An organisation in the report's gate: its own cells. */
				for (size_t p = 0; p < links[k].count; p++)
					in[p] = pub->return_cells[links[k].parts[p]];
				if ((rc = gate_sum(pub->g, cell, in, links[k].count)))
					goto done;
			} else if (shown) {
				gate_fix(pub->g, cell, SUPPRESS_SHOWN);
			} else {
				/* Its counts as the return marks them. */
				for (size_t p = 0; p < links[k].count; p++) {
					size_t i = links[k].parts[p];
					snprintf(key, sizeof key, "linkpart|%s", r->counts[i].key);
					in[p] = gate_cell(pub->g, key, r->counts[i].value, 0);
					if (in[p] == GATE_NONE) {
						rc = parity_error_set(PARITY_ENOMEM,
						                      "disclosure: out of memory");
						goto done;
					}
					if (r->counts[i].value)
						gate_fix(pub->g, in[p],
						         (suppress_mark)pub->return_marks[i]);
				}
				if ((rc = gate_sum(pub->g, cell, in, links[k].count)))
					goto done;
			}
			ties[n++] = cell;
			break;
		}
	}
	/* With a rest: organisations with none of them, or none reported. */
	snprintf(key, sizeof key, "link|rest|%s", what);
	if (n)
		rc = publish_sum_with_rest(pub->g, total, ties, n, key);
done:
	free(ties);
	return rc;
}

/* Organisation counts [first, last) into the report's gate itself, with
 * their sums (as the joint path does for every organisation). */
static int join_organisation(linking *l, size_t first, size_t last)
{
	parity_published *pub = l->pub;
	const parity_return *r = l->ret;
	char key[KEY_MAX];
	for (size_t i = first; i < last; i++) {
		pub->return_marks[i] = SUPPRESS_SHOWN;
		if (l->alias[i] != GATE_NONE)
			continue;
		snprintf(key, sizeof key, RETURN_PREFIX "%s", r->counts[i].key);
		pub->return_cells[i] = gate_cell(pub->g, key, r->counts[i].value,
		                                 r->counts[i].printed);
		if (pub->return_cells[i] == GATE_NONE)
			return parity_error_set(PARITY_ENOMEM, "disclosure: out of memory");
	}
	size_t widest = 1;
	for (size_t s = 0; s < r->sum_count; s++)
		widest = r->sums[s].count > widest ? r->sums[s].count : widest;
	size_t *parts = malloc(widest * sizeof *parts);
	if (!parts)
		return parity_error_set(PARITY_ENOMEM, "disclosure: out of memory");
	int rc = 0;
	for (size_t s = 0; s < r->sum_count && !rc; s++) {
		const parity_return_sum *sum = &r->sums[s];
		if (sum->total < first || sum->total >= last)
			continue;
		for (size_t k = 0; k < sum->count; k++)
			parts[k] = pub->return_cells[r->parts[sum->first + k]];
		rc = gate_sum(pub->g, pub->return_cells[sum->total], parts, sum->count);
	}
	free(parts);
	return rc;
}

/* One organisation's counts [first, last) of the return; whether its gate
 * sends them to the report's (joint). */
typedef struct org_range {
	size_t org, first, last;
	int joint;
} org_range;

/* A thread's share of the organisations' gates: ranges start, start + step,
 * ...; the first error, carried back (errors are per thread). */
typedef struct org_work {
	linking *l;
	org_range *ranges;
	size_t count, step, start;
	parity_error_carried error;
} org_work;

/* The gates of `arg`'s organisations (an org_work), each alone: they read
 * the return and write only their own counts' marks. */
static void *gate_organisations(void *arg)
{
	org_work *w = arg;
	linking mine = *w->l; /* its own scratch */
	mine.parts = malloc((w->l->org_count * SIDES + 2) * sizeof *mine.parts);
	link_def *links = malloc(LINKS_MAX * sizeof *links);
	int rc = 0;
	if (!mine.parts || !links)
		rc = parity_error_set(PARITY_ENOMEM, "disclosure: out of memory");
	for (size_t k = w->start; k < w->count && !rc; k += w->step) {
		org_range *o = &w->ranges[k];
		rc = gate_organisation(&mine, mine.orgs[o->org], o->first, o->last, links,
		                       &o->joint);
	}
	parity_error_carry(&w->error, rc);
	free(links);
	free(mine.parts);
	return NULL;
}

static int segmented(linking *l)
{
	parity_published *pub = l->pub;
	const parity_return *r = l->ret;
	const parity_results *res = pub->results;
	int rc = 0;
	for (size_t i = 0; i < r->count_count; i++)
		pub->return_cells[i] = l->alias[i]; /* shared cells only, so far */
	/* Each organisation's counts are together, in the return's order. */
	size_t count = 0;
	org_range *ranges = NULL;
	for (int pass = 0; pass < 2; pass++) {
		size_t first = 0, o = 0;
		count = 0;
		for (size_t i = 1; i <= r->count_count; i++) {
			if (i < r->count_count && o < l->org_count &&
			    !strncmp(r->counts[i].key, l->orgs[o], strlen(l->orgs[o])) &&
			    r->counts[i].key[strlen(l->orgs[o])] == '|')
				continue;
			if (pass)
				ranges[count] = (org_range){o < l->org_count ? o : l->org_count - 1,
				                            first, i, 0};
			count++;
			first = i;
			o++;
		}
		if (!pass && !(ranges = calloc(count + 1, sizeof *ranges)))
			return parity_error_set(PARITY_ENOMEM, "disclosure: out of memory");
	}
	/* The organisations' gates are independent of one another and of the
	 * report's: two threads run them, each every other organisation. */
	org_work work[2] = {{l, ranges, count, 2, 0, {0, ""}}, {l, ranges, count, 2, 1, {0, ""}}};
	pthread_t helper;
	int helping = count > 1 && !pthread_create(&helper, NULL, gate_organisations, &work[1]);
	gate_organisations(&work[0]);
	if (helping)
		pthread_join(helper, NULL);
	else
		gate_organisations(&work[1]);
	rc = parity_error_raise(&work[0].error);
	if (!rc)
		rc = parity_error_raise(&work[1].error);
	/* Those whose worst case leaves a small count join the report's gate,
	 * in the return's order. */
	for (size_t k = 0; k < count && !rc; k++)
		if (ranges[k].joint)
			rc = join_organisation(l, ranges[k].first, ranges[k].last);
	free(ranges);
	/* The report's totals across organisations. */
	char what[96], buf[32];
	for (size_t i = 0; i < res->count && !rc; i++) {
		const parity_result_row *row = &res->rows[i];
		const char *grouping = tied_grouping(row, r);
		if (!grouping)
			continue;
		const size_t *cells = &pub->cells[i * C_COUNTS];
		const char *groups[2] = {row->group1, row->group2};
		const char *level = !strcmp(row->stratum_kind, "pay_band")
		                    ? band_level(buf, sizeof buf, row->stratum) : NULL;
		int overall = !strcmp(row->stratum_kind, "overall") && !res->organisation[0];
		for (int k = 0; k < 2 && !rc; k++) {
			if (level && !strcmp(grouping, "ethnic"))
				snprintf(what, sizeof what, "%s|%s", level, groups[k]);
			else if (overall && !strcmp(grouping, "disability"))
				snprintf(what, sizeof what, "workforce|%s", groups[k]);
			else
				continue;
			rc = tie_links(l, cells[k ? C_N2 : C_N1], what);
		}
	}
	/* The non-clinical side: the administrative and estates staff groups. */
	for (int k = 0; k < 2 && !rc; k++) {
		static const char *const groups[2] = {"White", "BME"};
		size_t m = 0;
		size_t *report_parts = malloc((res->count + 2) * sizeof *report_parts);
		if (!report_parts)
			return parity_error_set(PARITY_ENOMEM, "disclosure: out of memory");
		for (size_t i = 0; i < res->count; i++) {
			const parity_result_row *row = &res->rows[i];
			const char *g = tied_grouping(row, r);
			if (!g || strcmp(g, "ethnic") || strcmp(row->stratum_kind, "staff_group") ||
			    side_of_group(row->stratum) != 0)
				continue;
			int second = !strcmp(row->group2, groups[k]);
			if (second || !strcmp(row->group1, groups[k]))
				report_parts[m++] = pub->cells[i * C_COUNTS + (second ? C_N2 : C_N1)];
		}
		if (m) {
			char key[KEY_MAX];
			uint64_t value = 0;
			for (size_t p = 0; p < m; p++)
				value += gate_value(pub->g, report_parts[p]);
			snprintf(key, sizeof key, RETURN_PREFIX "administrative and estates|%s",
			         groups[k]);
			size_t side = gate_cell(pub->g, key, value, 0);
			rc = side == GATE_NONE ? parity_error_set(PARITY_ENOMEM, "disclosure: "
			                                          "out of memory")
			                       : gate_sum(pub->g, side, report_parts, m);
			snprintf(what, sizeof what, "non-clinical|%s", groups[k]);
			if (!rc)
				rc = tie_links(l, side, what);
		}
		free(report_parts);
	}
	return rc;
}

void publish_finish_return(parity_published *pub)
{
	const parity_return *r = pub->ret;
	for (size_t i = 0; i < r->count_count; i++) {
		size_t cell = pub->return_cells[i];
		if (cell == GATE_NONE)
			continue;
		if (pub->segmented && pub->return_marks[i] != SUPPRESS_SHOWN)
			gate_hide(pub->g, cell); /* the organisation's gate hid it */
		pub->return_marks[i] = (unsigned char)gate_mark(pub->g, cell);
	}
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
	pub->return_marks = calloc(ret->count_count + 1, 1);
	l.names = gate_new(GATE_THRESHOLD, 0);
	l.alias = malloc((ret->count_count + 1) * sizeof *l.alias);
	l.orgs = malloc((ret->row_count + 1) * sizeof *l.orgs);
	l.parts = malloc((ret->row_count * SIDES + 2) * sizeof *l.parts);
	if (!pub->report_printed || !pub->return_cells || !pub->return_marks || !l.names || !l.alias || !l.orgs ||
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
	if (l.org_count > PUBLISH_JOINT_ORGS) {
		pub->segmented = 1;
		rc = segmented(&l);
		goto done;
	}
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
