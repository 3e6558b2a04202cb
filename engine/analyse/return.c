/*
 * return.c: the figures of the annual return that are shares, not ratios:
 * WRES 1 / WDES 1 (who is in each pay band or cluster, non-clinical and
 * clinical, against the whole workforce) and WRES 9 / WDES 10 (the board
 * against the workforce). Reads the workforce and board packs of the year
 * from the store, tallies them per organisation, and lists each figure
 * with the counts it reads and the sums that tie those counts together,
 * for the disclosure gate (engine/publish/publish_return.c).
 */
#include "parity/return.h"

#include "parity/codes.h"
#include "parity/common.h"
#include "parity/period.h"
#include "return_internal.h"
#include "store/store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the breakdowns ---------------------------------------------------- */

/* Pay band levels, as WRES 1 lists them (the template's rows), then the
 * medical and dental staff and those whose band is none of these. */
static const char *const band_codes[] = {
	"1", "2", "3", "4", "5", "6", "7", "8a", "8b", "8c", "8d", "9", "VSM",
};
#define BAND_LISTED (sizeof band_codes / sizeof band_codes[0])
#define BAND_MEDICAL BAND_LISTED       /* medical and dental */
#define BAND_OTHER (BAND_LISTED + 1)   /* any other band, or none recorded */
#define BANDS (BAND_LISTED + 2)
_Static_assert(BANDS == RETURN_BANDS, "return_internal.h knows the bands");

/* WDES 1's clusters: 1 (bands 1-4), 2 (5-7), 3 (8a-8b), 4 (8c-9, VSM),
 * medical and dental, other. */
#define CLUSTERS 6
static const char *const cluster_names[CLUSTERS] = {
	"cluster 1 (bands 1-4)", "cluster 2 (bands 5-7)", "cluster 3 (bands 8a-8b)",
	"cluster 4 (bands 8c-9 and VSM)", "medical and dental", "other or no band",
};
static unsigned cluster_of(unsigned band)
{
	if (band < 4)
		return 0;
	if (band < 7)
		return 1;
	if (band < 9)
		return 2;
	if (band < BAND_LISTED)
		return 3;
	return band == BAND_MEDICAL ? 4 : 5;
}

/* Sides: the guidance's non-clinical staff groups (administrative and
 * clerical, estates and ancillary), every other staff group clinical, and
 * rows whose staff group is not recorded. */
#define SIDES 3
_Static_assert(SIDES == RETURN_SIDES, "return_internal.h knows the sides");
static const char *const side_names[SIDES] = {"non-clinical", "clinical",
                                              "staff group not recorded"};

/* Groups: ethnicity (WRES) and disability (WDES). */
#define GROUPS 3
static const char *const ethnic_groups[GROUPS] = {"White", "BME", "Unknown"};
static const char *const disability_groups[GROUPS] = {"Disabled", "Non-disabled",
                                                      "Unknown"};

/* Board slices (WRES 9, WDES 10). */
#define SLICES 5
static const char *const slice_names[SLICES] = {"board", "voting", "non-voting",
                                                "executive", "non-executive"};

/* One organisation's tallies. */
typedef struct org_tally {
	char code[64];
	int workforce_month, board_month;         /* -1: none seen yet */
	uint64_t staff[SIDES][BANDS][GROUPS][GROUPS]; /* side, band, ethnic, disability */
	uint64_t medical[SIDES][RETURN_MEDICAL][GROUPS][GROUPS]; /* the medical band by
	                                            sub-group (return_medical.c) */
	uint64_t board[2][2][GROUPS][GROUPS];     /* voting, executive, ethnic, disability */
	uint64_t bank;
} org_tally;

typedef struct tallies {
	org_tally *orgs;
	size_t count, capacity;
} tallies;

static org_tally *org_find(tallies *t, const char *code, size_t length)
{
	for (size_t i = 0; i < t->count; i++)
		if (strlen(t->orgs[i].code) == length && !memcmp(t->orgs[i].code, code, length))
			return &t->orgs[i];
	if (length >= sizeof t->orgs[0].code)
		return NULL; /* ingest refuses such codes; not one of ours */
	if (t->count == t->capacity) {
		size_t cap = t->capacity ? 2 * t->capacity : 8;
		org_tally *grown = realloc(t->orgs, cap * sizeof *grown);
		if (!grown)
			return NULL;
		t->orgs = grown;
		t->capacity = cap;
	}
	org_tally *o = &t->orgs[t->count++];
	memset(o, 0, sizeof *o);
	memcpy(o->code, code, length);
	o->workforce_month = o->board_month = -1;
	return o;
}

static int same(const char *text, size_t length, const char *word)
{
	return strlen(word) == length && !memcmp(text, word, length);
}

static unsigned ethnic_group_of(const char *text, size_t length)
{
	char code[4] = "";
	if (length == 1)
		code[0] = text[0];
	char g = length == 1 ? parity_ethnic_group(code) : 'U';
	return g == 'W' ? 0 : g == 'B' ? 1 : 2;
}

static unsigned disability_group_of(const char *text, size_t length)
{
	return same(text, length, "Y") ? 0 : same(text, length, "N") ? 1 : 2;
}

static unsigned band_of(const store_cell *c)
{
	const char *band = c->dim[STORE_PAY_BAND];
	size_t length = c->length[STORE_PAY_BAND];
	if (same(band, length, "Medical") ||
	    same(c->dim[STORE_STAFF_GROUP], c->length[STORE_STAFF_GROUP],
	         "Medical and Dental"))
		return BAND_MEDICAL;
	for (unsigned b = 0; b < BAND_LISTED; b++)
		if (same(band, length, band_codes[b]))
			return b;
	return BAND_OTHER;
}

/* Staff groups are stored under ESR's full names (ingest codes them). */
static unsigned side_of(const store_cell *c, unsigned band)
{
	const char *group = c->dim[STORE_STAFF_GROUP];
	size_t length = c->length[STORE_STAFF_GROUP];
	if (same(group, length, "Administrative and Clerical") ||
	    same(group, length, "Estates and Ancillary"))
		return 0;
	if (band == BAND_MEDICAL)
		return 1;
	char canonical[96];
	char text[96];
	if (!length || length >= sizeof text)
		return 2;
	memcpy(text, group, length);
	text[length] = '\0';
	if (parity_code_staff_group(canonical, sizeof canonical, text)) {
		parity_error_clear();
		return 2;
	}
	return (!strcmp(canonical, "Administrative and Clerical") ||
	        !strcmp(canonical, "Estates and Ancillary")) ? 0 : 1;
}

/* Read the packs of `kind` in months [first, last], latest month first,
 * keeping for each organisation only the cells of its latest month. */
static int read_kind(tallies *t, parity_store *store, const char *kind, int first,
                     int last, const char *only)
{
	sqlite3_stmt *stmt = NULL;
	store_pack_reader reader;
	memset(&reader, 0, sizeof reader);
	int board = !strcmp(kind, "board");
	int rc = store_prepare(store, &stmt,
	                       "SELECT id, month, cells FROM cell_packs WHERE kind = ?1 "
	                       "AND month BETWEEN ?2 AND ?3 ORDER BY month DESC, id");
	if (rc)
		return rc;
	sqlite3_bind_text(stmt, 1, kind, -1, SQLITE_STATIC);
	sqlite3_bind_int(stmt, 2, first);
	sqlite3_bind_int(stmt, 3, last);
	int step;
	while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(stmt, 0);
		int month = sqlite3_column_int(stmt, 1);
		if ((rc = store_pack_open_row(&reader, store, stmt, 2, id)))
			goto done;
		store_cell cell;
		int more;
		while ((more = store_pack_next(&reader, &cell)) == 1) {
			const char *org = cell.dim[STORE_ORGANISATION];
			size_t org_length = cell.length[STORE_ORGANISATION];
			if (only && !same(org, org_length, only))
				continue;
			org_tally *o = org_find(t, org, org_length);
			if (!o) {
				rc = parity_error_set(PARITY_ENOMEM, "out of memory");
				goto done;
			}
			int *latest = board ? &o->board_month : &o->workforce_month;
			if (*latest < 0)
				*latest = month;
			if (month != *latest)
				continue; /* an earlier snapshot of this organisation */
			uint64_t rows = (uint64_t)cell.rows;
			unsigned eg = ethnic_group_of(cell.dim[STORE_ETHNIC_CATEGORY],
			                              cell.length[STORE_ETHNIC_CATEGORY]);
			unsigned dg = disability_group_of(cell.dim[STORE_DISABILITY],
			                                  cell.length[STORE_DISABILITY]);
			if (board) {
				int voting = same(cell.dim[STORE_CONTRACT], cell.length[STORE_CONTRACT],
				                  "voting");
				int executive = same(cell.dim[STORE_STAFF_GROUP],
				                     cell.length[STORE_STAFF_GROUP], "executive");
				o->board[voting][executive][eg][dg] += rows;
				continue;
			}
			if (same(cell.dim[STORE_CONTRACT], cell.length[STORE_CONTRACT], "bank")) {
				o->bank += rows; /* WRES and WDES leave bank staff out */
				continue;
			}
			unsigned band = band_of(&cell);
			unsigned side = side_of(&cell, band);
			o->staff[side][band][eg][dg] += rows;
			if (band == BAND_MEDICAL)
				o->medical[side][return_medical_of(cell.dim[STORE_PROCESS],
				                                   cell.length[STORE_PROCESS])][eg][dg] +=
				        rows;
		}
		if (more < 0) {
			rc = more;
			goto done;
		}
	}
	if (step != SQLITE_DONE)
		rc = store_fail(store, step, "reading the count store");
done:
	store_pack_reader_free(&reader);
	sqlite3_finalize(stmt);
	return rc;
}

/* ---- the return's counts, sums and rows ---------------------------------- */

#define GROW(array, count, capacity)                                              \
	do {                                                                      \
		if ((count) == (capacity)) {                                      \
			size_t cap_ = (capacity) ? 2 * (capacity) : 64;           \
			void *grown_ = realloc((array), cap_ * sizeof *(array));  \
			if (!grown_)                                              \
				return GROW_FAILED;                               \
			(array) = grown_;                                         \
			(capacity) = cap_;                                        \
		}                                                                 \
	} while (0)

#define GROW_FAILED ((size_t)-1)

/* The count named `key` with `value`, made once; GROW_FAILED when out of
 * memory. A linear search would do for one organisation; the counts of a
 * national return number in the tens of thousands, so the keys of one
 * organisation are searched from where its counts start. */
size_t return_count(parity_return *r, size_t from, const char *key, uint64_t value,
                    int printed)
{
	for (size_t i = from; i < r->count_count; i++)
		if (!strcmp(r->counts[i].key, key)) {
			r->counts[i].printed |= printed;
			return i;
		}
	GROW(r->counts, r->count_count, r->count_capacity);
	parity_return_count *c = &r->counts[r->count_count];
	snprintf(c->key, sizeof c->key, "%s", key);
	c->value = value;
	c->printed = printed;
	return r->count_count++;
}

size_t return_sum(parity_return *r, size_t total, const size_t *parts, size_t n)
{
	GROW(r->sums, r->sum_count, r->sum_capacity);
	for (size_t i = 0; i < n; i++) {
		GROW(r->parts, r->part_count, r->part_capacity);
		r->parts[r->part_count++] = parts[i];
	}
	parity_return_sum *s = &r->sums[r->sum_count++];
	s->total = total;
	s->count = n;
	s->first = r->part_count - n;
	return r->sum_count - 1;
}

size_t return_add_row(parity_return *r, const char *standard, const char *indicator,
                      const char *org, const char *group, parity_return_value_kind kind)
{
	GROW(r->rows, r->row_count, r->row_capacity);
	parity_return_row *row = &r->rows[r->row_count];
	memset(row, 0, sizeof *row);
	snprintf(row->standard, sizeof row->standard, "%s", standard);
	snprintf(row->indicator, sizeof row->indicator, "%s", indicator);
	snprintf(row->organisation, sizeof row->organisation, "%s", org);
	snprintf(row->group, sizeof row->group, "%s", group);
	row->kind = kind;
	for (size_t k = 0; k < 4; k++)
		row->counts[k] = GROW_FAILED; /* none yet */
	return r->row_count++;
}

/* A share row: counts[numerator] of counts[denominator]. */
int return_share_row(parity_return *r, const char *standard, const char *indicator,
                     const char *org, const char *group, size_t numerator,
                     size_t denominator)
{
	size_t i = return_add_row(r, standard, indicator, org, group, PARITY_RETURN_SHARE);
	if (i == GROW_FAILED)
		return PARITY_ENOMEM;
	parity_return_row *row = &r->rows[i];
	row->numerator = r->counts[numerator].value;
	row->denominator = r->counts[denominator].value;
	row->counts[0] = numerator;
	row->counts[1] = denominator;
	row->counts[2] = row->counts[3] = GROW_FAILED;
	row->has_value = row->denominator > 0;
	if (row->has_value)
		row->value = 100.0 * (double)row->numerator / (double)row->denominator;
	return 0;
}

/* A difference row: share (n1 of d1) minus share (n2 of d2), in points. */
static int difference_row(parity_return *r, const char *standard, const char *indicator,
                          const char *org, const char *group, const size_t counts[4])
{
	size_t i = return_add_row(r, standard, indicator, org, group, PARITY_RETURN_DIFFERENCE);
	if (i == GROW_FAILED)
		return PARITY_ENOMEM;
	parity_return_row *row = &r->rows[i];
	memcpy(row->counts, counts, sizeof row->counts);
	uint64_t d1 = r->counts[counts[1]].value, d2 = r->counts[counts[3]].value;
	row->has_value = d1 > 0 && d2 > 0;
	if (row->has_value)
		row->value = 100.0 * (double)r->counts[counts[0]].value / (double)d1 -
		             100.0 * (double)r->counts[counts[2]].value / (double)d2;
	return 0;
}

int return_group_counts(parity_return *r, size_t from, const char *prefix,
                        const char *grouping, const uint64_t values[GROUPS],
                        int printed, size_t *total, size_t groups[GROUPS])
{
	char key[160];
	const char *const *names = !strcmp(grouping, "ethnic") ? ethnic_groups
	                                                       : disability_groups;
	uint64_t sum = 0;
	for (unsigned g = 0; g < GROUPS; g++) {
		snprintf(key, sizeof key, "%s|%s %s", prefix, grouping, names[g]);
		if ((groups[g] = return_count(r, from, key, values[g], printed)) == GROW_FAILED)
			return PARITY_ENOMEM;
		sum += values[g];
	}
	snprintf(key, sizeof key, "%s|all", prefix);
	if ((*total = return_count(r, from, key, sum, printed)) == GROW_FAILED)
		return PARITY_ENOMEM;
	return return_sum(r, *total, groups, GROUPS) == GROW_FAILED ? PARITY_ENOMEM : 0;
}

/* WRES 1 and WDES 1 of one organisation. */
static int workforce_rows(parity_return *r, const org_tally *o, size_t from,
                          size_t workforce_total[1], size_t workforce_eth[GROUPS],
                          size_t workforce_dis[GROUPS],
                          size_t bands_by_side[RETURN_SIDES][RETURN_BANDS][GROUPS + 1])
{
	char prefix[128], indicator[64];
	int rc;
	size_t side_total[SIDES][2]; /* by ethnicity's sum, by disability's */
	size_t side_eth[SIDES][GROUPS], side_dis[SIDES][GROUPS];
	uint64_t all_eth[GROUPS] = {0}, all_dis[GROUPS] = {0};
	for (unsigned s = 0; s < SIDES; s++) {
		uint64_t side_e[GROUPS] = {0}, side_d[GROUPS] = {0};
		/* Staff whose staff group is not recorded get rows only when
		 * there are some: their counts are still in the sums. */
		uint64_t side_sum = 0;
		for (unsigned b = 0; b < BANDS; b++)
			for (unsigned e = 0; e < GROUPS; e++)
				for (unsigned d = 0; d < GROUPS; d++)
					side_sum += o->staff[s][b][e][d];
		int show = s < 2 || side_sum > 0;
		size_t band_total[BANDS], cluster_total[CLUSTERS], cluster_group[CLUSTERS][GROUPS];
		uint64_t cluster_dis[CLUSTERS][GROUPS];
		memset(cluster_dis, 0, sizeof cluster_dis);
		for (unsigned b = 0; b < BANDS; b++) {
			uint64_t eth[GROUPS] = {0};
			for (unsigned e = 0; e < GROUPS; e++)
				for (unsigned d = 0; d < GROUPS; d++) {
					eth[e] += o->staff[s][b][e][d];
					cluster_dis[cluster_of(b)][d] += o->staff[s][b][e][d];
					side_e[e] += o->staff[s][b][e][d];
					side_d[d] += o->staff[s][b][e][d];
				}
			const char *level = b < BAND_LISTED ? band_codes[b]
			                    : b == BAND_MEDICAL ? "medical and dental"
			                                        : "other or no band";
			char level_name[48];
			snprintf(level_name, sizeof level_name, "%s%s",
			         b < BAND_LISTED && b != BAND_LISTED - 1 ? "band " : "", level);
			snprintf(prefix, sizeof prefix, "%s|staff|%s|%s", o->code, side_names[s],
			         level_name);
			size_t groups[GROUPS];
			if ((rc = return_group_counts(r, from, prefix, "ethnic", eth, show, &band_total[b],
			                       groups)))
				return rc;
			for (unsigned g = 0; g < GROUPS; g++)
				bands_by_side[s][b][g] = groups[g];
			bands_by_side[s][b][GROUPS] = band_total[b];
			snprintf(indicator, sizeof indicator, "1 %s %s", side_names[s], level_name);
			for (unsigned g = 0; g < GROUPS && show; g++)
				if ((rc = return_share_row(r, "WRES", indicator, o->code, ethnic_groups[g],
				                    groups[g], band_total[b])))
					return rc;
			/* The medical and dental sub-groups, after their band. */
			if (b == BAND_MEDICAL &&
			    (rc = return_medical_rows(r, from, o->code, side_names[s], 0, show,
			                              o->medical[s], band_total[b], groups)))
				return rc;
		}
		/* WDES 1: clusters, each the sum of its bands' totals. */
		for (unsigned c = 0; c < CLUSTERS; c++) {
			snprintf(prefix, sizeof prefix, "%s|staff|%s|%s", o->code, side_names[s],
			         cluster_names[c]);
			size_t *groups = cluster_group[c];
			if ((rc = return_group_counts(r, from, prefix, "disability", cluster_dis[c], show,
			                       &cluster_total[c], groups)))
				return rc;
			size_t bands[BANDS], n = 0;
			for (unsigned b = 0; b < BANDS; b++)
				if (cluster_of(b) == c)
					bands[n++] = band_total[b];
			if (return_sum(r, cluster_total[c], bands, n) == GROW_FAILED)
				return PARITY_ENOMEM;
			snprintf(indicator, sizeof indicator, "1 %s %s", side_names[s],
			         cluster_names[c]);
			for (unsigned g = 0; g < GROUPS && show; g++)
				if ((rc = return_share_row(r, "WDES", indicator, o->code, disability_groups[g],
				                    groups[g], cluster_total[c])))
					return rc;
			if (c == cluster_of(BAND_MEDICAL) &&
			    (rc = return_medical_rows(r, from, o->code, side_names[s], 1, show,
			                              o->medical[s], cluster_total[c], groups)))
				return rc;
		}
		/* The side: all its bands. */
		snprintf(prefix, sizeof prefix, "%s|staff|%s|all bands", o->code, side_names[s]);
		if ((rc = return_group_counts(r, from, prefix, "ethnic", side_e, show,
		                       &side_total[s][0], side_eth[s])) ||
		    (rc = return_group_counts(r, from, prefix, "disability", side_d, show,
		                       &side_total[s][1], side_dis[s])))
			return rc;
		if (return_sum(r, side_total[s][0], band_total, BANDS) == GROW_FAILED ||
		    return_sum(r, side_total[s][0], cluster_total, CLUSTERS) == GROW_FAILED)
			return PARITY_ENOMEM;
		/* And group by group: a side's BME staff are its bands' BME staff,
		 * its Disabled staff its clusters' (the template says so to any
		 * reader; without these sums the gate would not know it). */
		for (unsigned g = 0; g < GROUPS; g++) {
			size_t by_band[BANDS], by_cluster[CLUSTERS];
			for (unsigned b = 0; b < BANDS; b++)
				by_band[b] = bands_by_side[s][b][g];
			for (unsigned c = 0; c < CLUSTERS; c++)
				by_cluster[c] = cluster_group[c][g];
			if (return_sum(r, side_eth[s][g], by_band, BANDS) == GROW_FAILED ||
			    return_sum(r, side_dis[s][g], by_cluster, CLUSTERS) == GROW_FAILED)
				return PARITY_ENOMEM;
		}
		snprintf(indicator, sizeof indicator, "1 %s all bands", side_names[s]);
		for (unsigned g = 0; g < GROUPS; g++) {
			all_eth[g] += side_e[g];
			all_dis[g] += side_d[g];
		}
		/* Each figure's three groups are consecutive rows (the
		 * workbooks read them so). */
		for (unsigned g = 0; g < GROUPS && show; g++)
			if ((rc = return_share_row(r, "WRES", indicator, o->code, ethnic_groups[g],
			                    side_eth[s][g], side_total[s][0])))
				return rc;
		for (unsigned g = 0; g < GROUPS && show; g++)
			if ((rc = return_share_row(r, "WDES", indicator, o->code, disability_groups[g],
			                    side_dis[s][g], side_total[s][0])))
				return rc;
	}
	/* The whole workforce (not bank). */
	snprintf(prefix, sizeof prefix, "%s|staff|workforce", o->code);
	size_t total_d;
	if ((rc = return_group_counts(r, from, prefix, "ethnic", all_eth, 1, workforce_total,
	                       workforce_eth)) ||
	    (rc = return_group_counts(r, from, prefix, "disability", all_dis, 1, &total_d,
	                       workforce_dis)))
		return rc;
	size_t sides[SIDES];
	for (unsigned s = 0; s < SIDES; s++)
		sides[s] = side_total[s][0];
	if (return_sum(r, workforce_total[0], sides, SIDES) == GROW_FAILED)
		return PARITY_ENOMEM;
	for (unsigned g = 0; g < GROUPS; g++) {
		size_t parts_e[SIDES], parts_d[SIDES];
		for (unsigned s = 0; s < SIDES; s++) {
			parts_e[s] = side_eth[s][g];
			parts_d[s] = side_dis[s][g];
		}
		if (return_sum(r, workforce_eth[g], parts_e, SIDES) == GROW_FAILED ||
		    return_sum(r, workforce_dis[g], parts_d, SIDES) == GROW_FAILED)
			return PARITY_ENOMEM;
	}
	for (unsigned g = 0; g < GROUPS; g++)
		if ((rc = return_share_row(r, "WRES", "1 workforce", o->code, ethnic_groups[g],
		                    workforce_eth[g], workforce_total[0])))
			return rc;
	for (unsigned g = 0; g < GROUPS; g++)
		if ((rc = return_share_row(r, "WDES", "1 workforce", o->code, disability_groups[g],
		                    workforce_dis[g], workforce_total[0])))
			return rc;
	return 0;
}

/* WRES 9 and WDES 10 of one organisation: each slice of the board by
 * group, the workforce beside it, and the differences the template asks
 * for (board, voting and executive membership minus the workforce). */
static int board_rows(parity_return *r, const org_tally *o, size_t from,
                      size_t workforce_total, const size_t workforce_eth[GROUPS],
                      const size_t workforce_dis[GROUPS])
{
	char prefix[128], indicator[64];
	int rc;
	for (int grouping = 0; grouping < 2; grouping++) {
		const char *standard = grouping ? "WDES" : "WRES";
		const char *number = grouping ? "10" : "9";
		const char *const *names = grouping ? disability_groups : ethnic_groups;
		const size_t *workforce = grouping ? workforce_dis : workforce_eth;
		/* The four crossed cells (voting x executive) are not printed,
		 * but every slice is a sum of them. */
		size_t cross_total[2][2], cross[2][2][GROUPS];
		for (int v = 0; v < 2; v++)
			for (int e = 0; e < 2; e++) {
				uint64_t values[GROUPS] = {0};
				for (unsigned a = 0; a < GROUPS; a++)
					for (unsigned b = 0; b < GROUPS; b++)
						values[grouping ? b : a] += o->board[v][e][a][b];
				snprintf(prefix, sizeof prefix, "%s|board|%s %s", o->code,
				         v ? "voting" : "non-voting", e ? "executive" : "non-executive");
				if ((rc = return_group_counts(r, from, prefix, grouping ? "disability" : "ethnic",
				                       values, 0, &cross_total[v][e], cross[v][e])))
					return rc;
			}
		size_t slice_total[SLICES], slice_group[SLICES][GROUPS];
		for (unsigned s = 0; s < SLICES; s++) {
			/* Which crossed cells make the slice. */
			int take[2][2];
			for (int v = 0; v < 2; v++)
				for (int e = 0; e < 2; e++)
					take[v][e] = s == 0 || (s == 1 && v) || (s == 2 && !v) ||
					             (s == 3 && e) || (s == 4 && !e);
			uint64_t values[GROUPS] = {0};
			size_t parts[GROUPS + 1][4], n = 0;
			for (int v = 0; v < 2; v++)
				for (int e = 0; e < 2; e++) {
					if (!take[v][e])
						continue;
					for (unsigned g = 0; g < GROUPS; g++) {
						values[g] += r->counts[cross[v][e][g]].value;
						parts[g][n] = cross[v][e][g];
					}
					parts[GROUPS][n] = cross_total[v][e];
					n++;
				}
			snprintf(prefix, sizeof prefix, "%s|board|%s", o->code, slice_names[s]);
			if ((rc = return_group_counts(r, from, prefix, grouping ? "disability" : "ethnic",
			                       values, 1, &slice_total[s], slice_group[s])))
				return rc;
			for (unsigned g = 0; g < GROUPS; g++)
				if (return_sum(r, slice_group[s][g], parts[g], n) == GROW_FAILED)
					return PARITY_ENOMEM;
			if (return_sum(r, slice_total[s], parts[GROUPS], n) == GROW_FAILED)
				return PARITY_ENOMEM;
			snprintf(indicator, sizeof indicator, "%s %s", number, slice_names[s]);
			for (unsigned g = 0; g < GROUPS; g++)
				if ((rc = return_share_row(r, standard, indicator, o->code, names[g],
				                    slice_group[s][g], slice_total[s])))
					return rc;
		}
		/* Each way of splitting the board adds up to it, group by group:
		 * voting and non-voting, executive and non-executive (also
		 * implied by the crossed cells, but read at once by anyone). */
		for (unsigned split = 1; split <= 3; split += 2)
			for (unsigned g = 0; g <= GROUPS; g++) {
				size_t halves[2];
				for (unsigned h = 0; h < 2; h++)
					halves[h] = g < GROUPS ? slice_group[split + h][g]
					                       : slice_total[split + h];
				size_t whole = g < GROUPS ? slice_group[0][g] : slice_total[0];
				if (return_sum(r, whole, halves, 2) == GROW_FAILED)
					return PARITY_ENOMEM;
			}
		snprintf(indicator, sizeof indicator, "%s workforce", number);
		for (unsigned g = 0; g < GROUPS; g++)
			if ((rc = return_share_row(r, standard, indicator, o->code, names[g], workforce[g],
			                    workforce_total)))
				return rc;
		static const unsigned compared[3] = {0, 1, 3}; /* board, voting, executive */
		for (unsigned k = 0; k < 3; k++) {
			unsigned s = compared[k];
			snprintf(indicator, sizeof indicator, "%s difference %s", number,
			         slice_names[s]);
			for (unsigned g = 0; g < GROUPS; g++) {
				const size_t counts[4] = {slice_group[s][g], slice_total[s], workforce[g],
				                          workforce_total};
				if ((rc = difference_row(r, standard, indicator, o->code, names[g],
				                         counts)))
					return rc;
			}
		}
	}
	return 0;
}

/* The month of the latest workforce snapshot in the store, or -1. */
static int latest_snapshot(parity_store *store, int *month)
{
	sqlite3_stmt *stmt = NULL;
	int rc = store_prepare(store, &stmt, "SELECT max(month) FROM cell_packs "
	                                     "WHERE kind = 'workforce'");
	if (rc)
		return rc;
	int step = sqlite3_step(stmt);
	if (step == SQLITE_ROW && sqlite3_column_type(stmt, 0) != SQLITE_NULL)
		*month = sqlite3_column_int(stmt, 0);
	else if (step != SQLITE_ROW)
		rc = store_fail(store, step, "reading the count store");
	sqlite3_finalize(stmt);
	return rc;
}

static int by_code(const void *a, const void *b)
{
	return strcmp(((const org_tally *)a)->code, ((const org_tally *)b)->code);
}

int parity_return_compute(parity_return **out, parity_store *store, const char *year,
                          const char *organisation, int target_year)
{
	if (!out || !store)
		return parity_error_set(PARITY_EUSAGE, "parity_return_compute: NULL argument");
	*out = NULL;
	parity_period period, fy;
	if (!year) {
		int latest = -1, rc = latest_snapshot(store, &latest);
		if (rc)
			return rc;
		if (latest < 0)
			return parity_error_set(PARITY_EDATA, "no workforce snapshot in the "
			                        "database: ingest the workforce extract of 31 "
			                        "March (kind workforce)");
		parity_period_financial_year(&period, latest);
	} else if (parity_period_parse(&period, year)) {
		return PARITY_EUSAGE;
	}
	parity_period_financial_year(&fy, period.first_month);
	if (fy.first_month != period.first_month || fy.last_month != period.last_month)
		return parity_error_set(PARITY_EUSAGE, "--year '%s': the return is for a "
		                        "financial year, such as 2025/26", period.label);
	if (!target_year)
		target_year = PARITY_RETURN_MODEL_TARGET;
	if (target_year <= fy.last_month / 12 || target_year > 2199)
		return parity_error_set(PARITY_EUSAGE, "--target-year %d: give a year after "
		                        "%d, the end of %s", target_year, fy.last_month / 12,
		                        fy.label);
	tallies t = {0};
	parity_return *r = calloc(1, sizeof *r);
	int rc = 0;
	if (!r) {
		rc = parity_error_set(PARITY_ENOMEM, "out of memory");
		goto fail;
	}
	snprintf(r->year, sizeof r->year, "%s", fy.label);
	/* The Staff Survey of autumn Y is published in March Y+1: the survey
	 * of the year's first calendar year. */
	r->survey_year = fy.first_month / 12;
	r->first_month = fy.first_month;
	r->last_month = fy.last_month;
	r->target_year = target_year;
	if ((rc = read_kind(&t, store, "workforce", fy.first_month, fy.last_month,
	                    organisation)) ||
	    (rc = read_kind(&t, store, "board", fy.first_month, fy.last_month, organisation)))
		goto fail;
	if (t.count) /* qsort must not be given NULL, even for nothing */
		qsort(t.orgs, t.count, sizeof *t.orgs, by_code);
	int latest = -1;
	for (size_t i = 0; i < t.count; i++) {
		const org_tally *o = &t.orgs[i];
		if (o->workforce_month < 0)
			continue; /* a board without a workforce to compare it with */
		r->organisations++;
		r->bank_excluded += o->bank;
		if (o->workforce_month > latest)
			latest = o->workforce_month;
		size_t from = r->count_count;
		size_t total, eth[GROUPS], dis[GROUPS];
		size_t bands[RETURN_SIDES][RETURN_BANDS][GROUPS + 1];
		if ((rc = workforce_rows(r, o, from, &total, eth, dis, bands)) ||
		    (rc = return_model_rows(r, o->code, from, bands, total, eth[1],
		                            target_year - (fy.last_month / 12))))
			goto fail;
		if (o->board_month >= 0) {
			r->boards++;
			if ((rc = board_rows(r, o, from, total, eth, dis)))
				goto fail;
		}
		int had = 0;
		if ((rc = return_survey_rows(r, store, o->code, &had)))
			goto fail;
		r->surveys += had != 0;
	}
	if (!r->organisations) {
		rc = parity_error_set(PARITY_EDATA,
		                      "no workforce snapshot in %s%s%s: ingest the workforce "
		                      "extract of 31 March (kind workforce)", fy.label,
		                      organisation ? " for " : "", organisation ? organisation : "");
		goto fail;
	}
	parity_month_label(r->snapshot, latest);
	free(t.orgs);
	*out = r;
	return 0;
fail:
	if (rc == PARITY_ENOMEM || rc == (int)GROW_FAILED)
		rc = parity_error_set(PARITY_ENOMEM, "out of memory computing the return");
	free(t.orgs);
	parity_return_free(r);
	return rc;
}

void parity_return_free(parity_return *r)
{
	if (!r)
		return;
	free(r->rows);
	free(r->counts);
	free(r->sums);
	free(r->parts);
	free(r);
}
