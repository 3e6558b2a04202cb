/*
 * return_medical.c: the medical and dental sub-groups of WRES 1 and WDES 1
 * (consultants, non-consultant career grades, trainee grades, other), as
 * the national templates split the medical and dental staff: each
 * sub-group's White / BME / Unknown (or Disabled / Non-disabled / Unknown)
 * share, with the sums that tie the sub-groups to the medical total, so the
 * disclosure gate knows that a reader can subtract.
 */
#include "return_internal.h"

#include "parity/codes.h"
#include "parity/common.h"

#include <stdio.h>
#include <string.h>

/* As the templates name them; the stored codes in the same order. */
static const char *const names[RETURN_MEDICAL] = {
	"consultants", "non-consultant career grades", "trainee grades", "other",
};
static const char *const codes[RETURN_MEDICAL - 1] = {
	PARITY_GRADE_CONSULTANT, PARITY_GRADE_CAREER, PARITY_GRADE_TRAINEE,
};
static const char *const ethnic_groups[RETURN_GROUPS] = {"White", "BME", "Unknown"};
static const char *const disability_groups[RETURN_GROUPS] = {"Disabled", "Non-disabled",
                                                             "Unknown"};

unsigned return_medical_of(const char *process, size_t length)
{
	for (unsigned k = 0; k < RETURN_MEDICAL - 1; k++)
		if (strlen(codes[k]) == length && !memcmp(process, codes[k], length))
			return k;
	return RETURN_MEDICAL - 1;
}

int return_medical_rows(parity_return *r, size_t from, const char *org, const char *side,
                        int grouping, int show,
                        const uint64_t staff[RETURN_MEDICAL][RETURN_GROUPS][RETURN_GROUPS],
                        size_t total, const size_t groups[RETURN_GROUPS])
{
	char prefix[160], indicator[96];
	size_t sub_total[RETURN_MEDICAL], sub_group[RETURN_MEDICAL][RETURN_GROUPS];
	int rc;
	/* A side without medical staff prints no sub-groups (its medical row
	 * already says 0); their counts, all 0, still enter the sums. */
	show = show && r->counts[total].value > 0;
	for (unsigned k = 0; k < RETURN_MEDICAL; k++) {
		uint64_t values[RETURN_GROUPS] = {0};
		for (unsigned e = 0; e < RETURN_GROUPS; e++)
			for (unsigned d = 0; d < RETURN_GROUPS; d++)
				values[grouping ? d : e] += staff[k][e][d];
		snprintf(prefix, sizeof prefix, "%s|staff|%s|medical and dental: %s", org, side,
		         names[k]);
		if ((rc = return_group_counts(r, from, prefix, grouping ? "disability" : "ethnic",
		                              values, show, &sub_total[k], sub_group[k])))
			return rc;
	}
	/* The sub-groups make up the medical and dental staff, in all and
	 * group by group (once for the total: both groupings share it). */
	if (!grouping && return_sum(r, total, sub_total, RETURN_MEDICAL) == (size_t)-1)
		return PARITY_ENOMEM;
	for (unsigned g = 0; g < RETURN_GROUPS; g++) {
		size_t parts[RETURN_MEDICAL];
		for (unsigned k = 0; k < RETURN_MEDICAL; k++)
			parts[k] = sub_group[k][g];
		if (return_sum(r, groups[g], parts, RETURN_MEDICAL) == (size_t)-1)
			return PARITY_ENOMEM;
	}
	if (!show)
		return 0;
	const char *const *group_names = grouping ? disability_groups : ethnic_groups;
	for (unsigned k = 0; k < RETURN_MEDICAL; k++) {
		snprintf(indicator, sizeof indicator, "1 %s medical and dental: %s", side,
		         names[k]);
		for (unsigned g = 0; g < RETURN_GROUPS; g++)
			if ((rc = return_share_row(r, grouping ? "WDES" : "WRES", indicator, org,
			                           group_names[g], sub_group[k][g], sub_total[k])))
				return rc;
	}
	return 0;
}
