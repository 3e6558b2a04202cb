/*
 * indicators.c: what each indicator and measure counts, how characteristic
 * values become the groups compared (White/BME, disabled/not, each category
 * against a reference, intersections of two or three characteristics), and the
 * comparison rows for every characteristic in the store.
 */
#include "analyse_internal.h"

#include "parity/codes.h"
#include "parity/common.h"

#include <stdlib.h>
#include <string.h>

/* ---- comparisons for every characteristic ------------------------------ */

/* Add one overall comparison row of grouping `g` over `t`; with
 * `skip_empty`, none when the compared group holds no one. */
static int comparison_row(parity_results *results, const tally *t, const grouping *g,
                          const char *stratum, const parity_analyse_options *options,
                          int skip_empty)
{
	group_sum *sums = NULL;
	size_t n = 0;
	int rc = tally_sum(&sums, &n, t, g, -1, options->include_bank);
	if (rc)
		return rc;
	const parity_stratum *c = &sums[0].counts;
	int favourable = measure_get(t->m)->favourable;
	if (skip_empty && (favourable ? c->n2 + c->x2 : c->n1 + c->x1) == 0) {
		free(sums);
		return 0;
	}
	const char *name = measure_get(t->m)->name;
	parity_result_row *row = row_add_grouped(results, name, g, "overall", stratum, t,
	                                         &sums[0]);
	if (!row) {
		free(sums);
		return PARITY_ENOMEM;
	}
	rc = row_crude(row, &sums[0], &options->settings);
	if (!rc)
		rc = row_adjust(row, t, g, options);
	free(sums);
	return rc;
}

/* Set group `which` (1 or 2) of `g` to the classes in `classes`. */
static void set_group(grouping *g, int which, const char *const *classes)
{
	char *label = which == 1 ? g->label1 : g->label2;
	size_t used = 0;
	label[0] = '\0';
	for (size_t a = 0; a < g->axis_count; a++) {
		char *slot = which == 1 ? g->group1[a] : g->group2[a];
		snprintf(slot, sizeof g->group1[a], "%s", classes[a]);
		int n = snprintf(label + used, sizeof g->label1 - used, "%s%s",
		                 a ? " " : "", classes[a]);
		if (n > 0 && used + (size_t)n < sizeof g->label1)
			used += (size_t)n;
	}
}

/* Compare `cls` against `reference` on grouping `g` (axes already set),
 * oriented by the measure: group 1 is the reference for a favourable
 * outcome, the compared class for an adverse one. */
static int compare_classes(parity_results *results, const tally *t, grouping *g,
                           const char *const *cls, const char *const *reference,
                           const char *stratum, const parity_analyse_options *options,
                           int skip_empty)
{
	int favourable = measure_get(t->m)->favourable;
	set_group(g, favourable ? 1 : 2, reference);
	set_group(g, favourable ? 2 : 1, cls);
	return comparison_row(results, t, g, stratum, options, skip_empty);
}

/* The characteristics compared category by category, with their default
 * references (NULL: the category holding the largest base). Disability has
 * two stated values, so its binary grouping covers it. */
static const struct {
	int dim;
	const char *reference;
} characteristics[] = {
	{D_ETHNIC, "A"}, {D_SEX, "M"}, {D_AGE, NULL}, {D_ORIENTATION, NULL},
	{D_RELIGION, NULL},
};

static const char *reference_for(const parity_analyse_options *options, int dim,
                                 const char *fallback)
{
	for (size_t i = 0; i < options->reference_count; i++)
		if (options->references[i].characteristic &&
		    !strcmp(options->references[i].characteristic, dimension_column(dim)))
			return options->references[i].code;
	return fallback;
}

/* Each stated category of one characteristic against its reference. */
static int compare_characteristic(parity_results *results, const tally *t, int dim,
                                  const char *default_reference, const char *stratum,
                                  const parity_analyse_options *options,
                                  unsigned *noted)
{
	category *cats = NULL;
	size_t n = 0;
	grouping g;
	memset(&g, 0, sizeof g);
	g.axes[0].dim = dim;
	g.axes[0].mode = axis_mode_raw(dim);
	g.axis_count = 1;
	text_copy(g.name, sizeof g.name, dimension_column(dim));
	text_copy(g.characteristic, sizeof g.characteristic, dimension_column(dim));
	int rc = tally_categories(&cats, &n, t, &g.axes[0], options->include_bank);
	if (rc)
		return rc;
	const char *chosen = reference_for(options, dim, NULL);
	const char *reference = chosen ? chosen : default_reference;
	size_t ref = n;
	for (size_t i = 0; reference && i < n; i++)
		if (!strcmp(cats[i].code, reference))
			ref = i;
	if (ref == n && chosen) {
		if (!(*noted & (1u << dim)))
			rc = results_note(results, "%s: the reference \"%s\" is not in the "
			                  "%s data; comparisons left out",
			                  dimension_column(dim), chosen, measure_get(t->m)->name);
		*noted |= 1u << dim;
		goto done;
	}
	if (ref == n) /* no default reference in the data: the largest category */
		for (size_t i = 0; i < n; i++)
			if (ref == n || cats[i].base > cats[ref].base)
				ref = i;
	if (n < 2) {
		if (!(*noted & (1u << dim)))
			rc = results_note(results, "%s: fewer than two stated categories in the "
			                  "data; no comparisons", dimension_column(dim));
		*noted |= 1u << dim;
		goto done;
	}
	for (size_t i = 0; i < n && !rc; i++) {
		if (i == ref)
			continue;
		const char *cls[1] = {cats[i].code};
		const char *refs[1] = {cats[ref].code};
		rc = compare_classes(results, t, &g, cls, refs, stratum, options, 0);
	}
done:
	free(cats);
	return rc;
}

/* The binary grouping on `mode` for a measure with no standard indicator
 * for it (e.g. training by disability). */
static int compare_binary(parity_results *results, const tally *t, axis_mode mode,
                          const char *stratum, const parity_analyse_options *options)
{
	const char *name = mode == AX_WHITE_BME ? "white_bme" : "disability";
	for (size_t i = 0; parity_indicator_info_at(i); i++) {
		const parity_indicator_info *info = parity_indicator_info_at(i);
		if (!strcmp(info->measure, measure_get(t->m)->name) &&
		    !strcmp(info->grouping, name))
			return 0; /* the standard indicator already covers it */
	}
	grouping g;
	memset(&g, 0, sizeof g);
	g.axes[0].dim = mode == AX_WHITE_BME ? D_ETHNIC : D_DISABILITY;
	g.axes[0].mode = mode;
	g.axis_count = 1;
	text_copy(g.name, sizeof g.name, name);
	text_copy(g.characteristic, sizeof g.characteristic, dimension_column(g.axes[0].dim));
	const char *reference[1] = {mode == AX_WHITE_BME ? "White" : "Non-disabled"};
	const char *other[1] = {mode == AX_WHITE_BME ? "BME" : "Disabled"};
	return compare_classes(results, t, &g, other, reference, stratum, options, 0);
}

/* ---- intersections --------------------------------------------------------- */

/* The characteristics an intersection can cross, by the names users give. */
static const struct {
	const char *name;
	axis ax;
} crossable[] = {
	{"ethnic_category", {D_ETHNIC, AX_RAW}},
	{"white_bme", {D_ETHNIC, AX_WHITE_BME}},
	{"sex", {D_SEX, AX_RAW}},
	{"disability", {D_DISABILITY, AX_DISABILITY}},
	{"age_band", {D_AGE, AX_RAW}},
	{"sexual_orientation", {D_ORIENTATION, AX_CODED}},
	{"religion", {D_RELIGION, AX_CODED}},
};

#define CROSSABLE (sizeof crossable / sizeof crossable[0])
#define MAX_CELLS 512 /* combinations compared in one intersection */

int intersection_parse(intersection *out, const char *text)
{
	static const char names[] = "ethnic_category, white_bme, sex, disability, "
	                            "age_band, sexual_orientation or religion";
	memset(out, 0, sizeof *out);
	const char *p = text ? text : "";
	for (;;) {
		size_t span = strcspn(p, ","), len = span, k = 0;
		const char *name = p;
		while (len && (*name == ' ' || *name == '\t')) {
			name++;
			len--;
		}
		while (len && (name[len - 1] == ' ' || name[len - 1] == '\t'))
			len--;
		while (k < CROSSABLE && (strlen(crossable[k].name) != len ||
		                         strncmp(crossable[k].name, name, len)))
			k++;
		if (k == CROSSABLE)
			return parity_error_set(PARITY_EUSAGE, "intersection \"%.80s\": \"%.*s\" "
			                        "is not a characteristic (use %s)", text ? text : "",
			                        (int)(len > 40 ? 40 : len), name, names);
		if (out->count == MAX_AXES)
			return parity_error_set(PARITY_EUSAGE, "intersection \"%.80s\": at most "
			                        "three characteristics", text);
		for (size_t j = 0; j < out->count; j++)
			if (out->axes[j].dim == crossable[k].ax.dim)
				return parity_error_set(PARITY_EUSAGE, "intersection \"%.80s\" names "
				                        "%s twice (ethnic_category and white_bme are "
				                        "one characteristic): name each once", text,
				                        dimension_column(crossable[k].ax.dim));
		out->axes[out->count] = crossable[k].ax;
		out->names[out->count++] = crossable[k].name;
		if (!p[span])
			break;
		p += span + 1;
	}
	if (out->count < 2)
		return parity_error_set(PARITY_EUSAGE, "intersection \"%.80s\": give two or "
		                        "three characteristics separated by commas, such as "
		                        "ethnic_category,sex,disability", text ? text : "");
	return 0;
}

int parity_analyse_intersection_check(const char *text)
{
	intersection x;
	return intersection_parse(&x, text);
}

/* The reference class of axis `a`: White for White/BME; for the rest the
 * chosen reference (--reference) or the default (ethnic category A, sex M,
 * disability N), read through the axis as the data are. NULL: the class
 * with the largest base. */
static const char *axis_reference(const parity_analyse_options *options, const axis *a)
{
	static const char *const defaults[D_COUNT] = {
		[D_ETHNIC] = "A", [D_SEX] = "M", [D_DISABILITY] = "N",
	};
	if (a->mode == AX_WHITE_BME)
		return "White";
	const char *code = reference_for(options, a->dim, defaults[a->dim]);
	return code ? axis_class(a, code) : NULL;
}

/*
 * Every combination of the stated classes of the characteristics in `x`
 * against the reference cell, the combination of each one's reference
 * (axis_reference). An axis whose reference is not in the data, or that
 * has fewer than two classes, leaves the intersection out: with a note
 * (once, bit `note_bit` of *noted) when the user named it (`named`), whose
 * empty cells are also left out. Returns 0 or a negative parity error.
 */
static int compare_crossed(parity_results *results, const tally *t,
                           const intersection *x, int named, unsigned note_bit,
                           const char *stratum, const parity_analyse_options *options,
                           unsigned *noted)
{
	static const category white_bme[2] = {{"White", 0}, {"BME", 0}};
	category *cats[MAX_AXES] = {NULL};
	size_t n[MAX_AXES] = {0}, ref[MAX_AXES] = {0}, idx[MAX_AXES] = {0};
	const char *missing = NULL;
	size_t cells = 1, used = 0, cused = 0;
	int rc = 0;
	grouping g;
	memset(&g, 0, sizeof g);
	g.axis_count = x->count;
	for (size_t a = 0; a < x->count && !rc; a++) {
		g.axes[a] = x->axes[a];
		int w = snprintf(g.name + used, sizeof g.name - used, "%s%s", a ? "*" : "",
		                 x->names[a]);
		used += w > 0 && used + (size_t)w < sizeof g.name ? (size_t)w : 0;
		w = snprintf(g.characteristic + cused, sizeof g.characteristic - cused, "%s%s",
		             a ? "*" : "", dimension_column(x->axes[a].dim));
		cused += w > 0 && cused + (size_t)w < sizeof g.characteristic ? (size_t)w : 0;
		if (x->axes[a].mode == AX_WHITE_BME) {
			if (!(cats[a] = malloc(sizeof white_bme))) {
				rc = parity_error_set(PARITY_ENOMEM, "out of memory");
				break;
			}
			memcpy(cats[a], white_bme, sizeof white_bme);
			n[a] = 2;
		} else if ((rc = tally_categories(&cats[a], &n[a], t, &x->axes[a],
		                                  options->include_bank))) {
			break;
		}
		const char *want = axis_reference(options, &x->axes[a]);
		ref[a] = n[a];
		for (size_t i = 0; i < n[a]; i++)
			if (want ? !strcmp(cats[a][i].code, want)
			         : ref[a] == n[a] || cats[a][i].base > cats[a][ref[a]].base)
				ref[a] = i;
		if ((ref[a] == n[a] || n[a] < 2) && !missing)
			missing = x->names[a];
		cells *= n[a] ? n[a] : 1;
	}
	if (rc)
		goto done;
	if (!missing && cells > MAX_CELLS)
		missing = "";
	if (missing) {
		if (named && !(*noted & (1u << note_bit)))
			rc = missing[0]
			     ? results_note(results, "%s: %s has fewer than two stated classes "
			                    "or lacks its reference in the %s data; intersection "
			                    "left out", g.name, missing, measure_get(t->m)->name)
			     : results_note(results, "%s: more than %d combinations; "
			                    "intersection left out (cross fewer characteristics)",
			                    g.name, MAX_CELLS);
		if (named)
			*noted |= 1u << note_bit;
		goto done;
	}
	/* Every combination, the last axis changing fastest. */
	for (size_t done_cells = 0; done_cells < cells && !rc; done_cells++) {
		const char *cls[MAX_AXES], *refs[MAX_AXES];
		int is_reference = 1;
		for (size_t a = 0; a < x->count; a++) {
			cls[a] = cats[a][idx[a]].code;
			refs[a] = cats[a][ref[a]].code;
			is_reference &= idx[a] == ref[a];
		}
		if (!is_reference)
			rc = compare_classes(results, t, &g, cls, refs, stratum, options, named);
		for (size_t a = x->count; a-- > 0;) {
			if (++idx[a] < n[a])
				break;
			idx[a] = 0;
		}
	}
done:
	for (size_t a = 0; a < MAX_AXES; a++)
		free(cats[a]);
	return rc;
}

/* Is `x` the same intersection as `y` (the same names in the same order)? */
static int same_intersection(const intersection *x, const intersection *y)
{
	if (x->count != y->count)
		return 0;
	for (size_t a = 0; a < x->count; a++)
		if (strcmp(x->names[a], y->names[a]))
			return 0;
	return 1;
}

int comparisons_want(tally *t, const parity_analyse_options *options)
{
	/* Ethnic category, sex and disability together serve their own
	 * comparisons, White/BME and disability, and their default crossings;
	 * the other characteristics one cube each; a named intersection its
	 * own. */
	static const axis joint[] = {{D_ETHNIC, (axis_mode)AX_VALUE},
	                             {D_SEX, (axis_mode)AX_VALUE},
	                             {D_DISABILITY, (axis_mode)AX_VALUE}};
	int rc = tally_want(t, joint, 3);
	for (size_t i = 0; i < sizeof characteristics / sizeof characteristics[0] && !rc;
	     i++) {
		axis one = {characteristics[i].dim, (axis_mode)AX_VALUE};
		if (one.dim != D_ETHNIC && one.dim != D_SEX)
			rc = tally_want(t, &one, 1);
	}
	for (size_t i = 0; i < options->intersection_count && !rc; i++) {
		intersection x;
		axis slots[MAX_AXES];
		if ((rc = intersection_parse(&x, options->intersections[i])))
			break;
		for (size_t a = 0; a < x.count; a++)
			slots[a] = (axis){x.axes[a].dim, (axis_mode)AX_VALUE};
		rc = tally_want(t, slots, x.count);
	}
	return rc;
}

int comparisons_add(parity_results *results, const tally *t, const char *stratum,
                    const parity_analyse_options *options, unsigned *noted)
{
	/* Ethnicity (White/BME) by sex and by disability, always. */
	static const intersection defaults[] = {
		{{{D_ETHNIC, AX_WHITE_BME}, {D_SEX, AX_RAW}}, {"white_bme", "sex"}, 2},
		{{{D_ETHNIC, AX_WHITE_BME}, {D_DISABILITY, AX_DISABILITY}},
		 {"white_bme", "disability"}, 2},
	};
	int rc = 0;
	for (size_t i = 0; i < sizeof characteristics / sizeof characteristics[0] && !rc; i++)
		rc = compare_characteristic(results, t, characteristics[i].dim,
		                            characteristics[i].reference, stratum, options,
		                            noted);
	if (!rc)
		rc = compare_binary(results, t, AX_WHITE_BME, stratum, options);
	if (!rc)
		rc = compare_binary(results, t, AX_DISABILITY, stratum, options);
	for (size_t i = 0; i < sizeof defaults / sizeof defaults[0] && !rc; i++)
		rc = compare_crossed(results, t, &defaults[i], 0, 0, stratum, options, noted);
	for (size_t i = 0; i < options->intersection_count && !rc; i++) {
		intersection x;
		int repeated = 0;
		if ((rc = intersection_parse(&x, options->intersections[i])))
			break;
		for (size_t d = 0; d < sizeof defaults / sizeof defaults[0]; d++)
			repeated |= same_intersection(&x, &defaults[d]);
		if (!repeated)
			rc = compare_crossed(results, t, &x, 1, 16 + (unsigned)i, stratum,
			                     options, noted);
	}
	return rc;
}
