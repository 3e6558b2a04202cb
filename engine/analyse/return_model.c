/*
 * return_model.c: the Model Employer (NHS England, "A model employer:
 * increasing black and minority ethnic representation at senior levels
 * across the NHS", 2019): the aspiration that BME representation at every
 * Agenda for Change band reach the workforce's BME share by a target year.
 * For each band, all staff sides together: the BME share, the shortfall in
 * staff against the workforce's share, and the BME appointments a year that
 * would close it by the target year.
 */
#include "return_internal.h"

#include "parity/common.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const afc_bands[RETURN_AFC_BANDS] = {
	"band 1", "band 2", "band 3", "band 4", "band 5", "band 6", "band 7",
	"band 8a", "band 8b", "band 8c", "band 8d", "band 9", "VSM",
};
static const char *const groups[RETURN_GROUPS] = {"White", "BME", "Unknown"};

/* A Model Employer figure read from four counts (the band's BME and total,
 * the workforce's BME and total). */
static int model_row(parity_return *r, const char *indicator, const char *org,
                     const size_t counts[4], double value, int has_value)
{
	size_t i = return_add_row(r, "WRES", indicator, org, "BME", PARITY_RETURN_MODEL);
	if (i == (size_t)-1)
		return PARITY_ENOMEM;
	parity_return_row *row = &r->rows[i];
	memcpy(row->counts, counts, sizeof row->counts);
	row->has_value = has_value;
	row->value = value;
	return 0;
}

int return_model_rows(parity_return *r, const char *org, size_t from,
                      size_t bands[RETURN_SIDES][RETURN_BANDS][RETURN_GROUPS + 1],
                      size_t workforce_total, size_t workforce_bme, int years)
{
	char key[160], indicator[64];
	uint64_t w_total = r->counts[workforce_total].value;
	uint64_t w_bme = r->counts[workforce_bme].value;
	int rc;
	for (unsigned b = 0; b < RETURN_AFC_BANDS; b++) {
		size_t group_index[RETURN_GROUPS], parts[RETURN_SIDES];
		uint64_t total = 0;
		for (unsigned g = 0; g < RETURN_GROUPS; g++) {
			uint64_t value = 0;
			for (unsigned s = 0; s < RETURN_SIDES; s++) {
				parts[s] = bands[s][b][g];
				value += r->counts[parts[s]].value;
			}
			total += value;
			snprintf(key, sizeof key, "%s|staff|all sides|%s|ethnic %s", org,
			         afc_bands[b], groups[g]);
			/* Only the BME count is printed; the others are in its sums. */
			if ((group_index[g] = return_count(r, from, key, value, g == 1)) ==
			        (size_t)-1 ||
			    return_sum(r, group_index[g], parts, RETURN_SIDES) == (size_t)-1)
				return PARITY_ENOMEM;
		}
		snprintf(key, sizeof key, "%s|staff|all sides|%s|all", org, afc_bands[b]);
		size_t total_index = return_count(r, from, key, total, 1);
		for (unsigned s = 0; s < RETURN_SIDES; s++)
			parts[s] = bands[s][b][RETURN_GROUPS];
		if (total_index == (size_t)-1 ||
		    return_sum(r, total_index, parts, RETURN_SIDES) == (size_t)-1 ||
		    return_sum(r, total_index, group_index, RETURN_GROUPS) == (size_t)-1)
			return PARITY_ENOMEM;
		snprintf(indicator, sizeof indicator, "model employer %s", afc_bands[b]);
		if ((rc = return_share_row(r, "WRES", indicator, org, "BME", group_index[1],
		                           total_index)))
			return rc;
		/* The staff short of the workforce's share: the band's total
		 * times that share, less the band's BME staff, up to a whole
		 * person; 0 at or above the share. */
		const size_t counts[4] = {group_index[1], total_index, workforce_bme,
		                          workforce_total};
		uint64_t bme = r->counts[group_index[1]].value;
		double shortfall = 0.0;
		if (w_total) {
			double wanted = (double)total * (double)w_bme / (double)w_total;
			if (wanted > (double)bme)
				shortfall = ceil(wanted - (double)bme - 1e-9);
		}
		snprintf(indicator, sizeof indicator, "model employer shortfall %s",
		         afc_bands[b]);
		if ((rc = model_row(r, indicator, org, counts, shortfall, w_total > 0)))
			return rc;
		snprintf(indicator, sizeof indicator, "model employer appointments a year %s",
		         afc_bands[b]);
		if ((rc = model_row(r, indicator, org, counts, ceil(shortfall / years),
		                    w_total > 0)))
			return rc;
	}
	return 0;
}
