/*
 * definitions.c: what the analyses count and publish, as data. A new
 * indicator is added here and nowhere else: its measure (which cells'
 * outcome over which base, the kind and process they come from) in
 * `measures` and `outcome_rule`, and its published orientation and labels in
 * `indicators`. Also the characteristic dimensions and how their values
 * become classes (White/BME, disabled or not, the NHS codes of sexual
 * orientation and religion, the Agenda for Change ladder). It calls no
 * other analysis module: values, the pass and every analysis read it.
 */
#include "analyse_internal.h"

#include "parity/codes.h"
#include "parity/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- measures ----------------------------------------------------------- */

static const measure_info measures[M_COUNT] = {
	[M_APPOINTMENT] = {"appointment", "recruitment", 0, 1, 0},
	[M_DISCIPLINARY] = {"disciplinary", "disciplinary", 1, 0, 1},
	[M_CAPABILITY] = {"capability", "disciplinary", 1, 0, 1},
	[M_TRAINING] = {"training", "training", 1, 1, 0},
	[M_SHORTLISTING] = {"shortlisting", "recruitment", 0, 1, 0},
};

const measure_info *measure_get(measure m)
{
	return &measures[m];
}

int measure_indicated(measure m)
{
	for (size_t i = 0; parity_indicator_info_at(i); i++)
		if (!strcmp(parity_indicator_info_at(i)->measure, measures[m].name))
			return 1;
	return 0;
}

/* The measure an indicator counts. */
measure measure_of_indicator(const parity_indicator_info *info)
{
	for (int m = 0; m < M_COUNT; m++)
		if (!strcmp(measure_get((measure)m)->name, info->measure))
			return (measure)m;
	return M_APPOINTMENT;
}

/* The published standard set, oriented so that above 1 means the minority
 * or protected group is worse off (DOMAIN.md section 1). */
static const parity_indicator_info indicators[] = {
	{"WRES2", "WRES indicator 2: appointment from shortlisting", "shortlisted",
	 "appointed", "White shortlisted applicants", "BME shortlisted applicants",
	 "to be appointed", 1, "appointment", "white_bme", "White", "BME", 0},
	{"WRES3", "WRES indicator 3: entering the formal disciplinary process",
	 "headcount", "entered disciplinary", "BME staff", "White staff",
	 "to enter the formal disciplinary process", 0, "disciplinary", "white_bme",
	 "BME", "White", 1},
	{"WRES4", "WRES indicator 4: access to non-mandatory training and CPD",
	 "headcount", "accessed training", "White staff", "BME staff",
	 "to access non-mandatory training or CPD", 1, "training", "white_bme",
	 "White", "BME", 0},
	{"WDES2", "WDES metric 2: appointment from shortlisting", "shortlisted",
	 "appointed", "Non-disabled shortlisted applicants",
	 "Disabled shortlisted applicants", "to be appointed", 1, "appointment",
	 "disability", "Non-disabled", "Disabled", 0},
	{"WDES3", "WDES metric 3: entering the formal capability process",
	 "headcount", "entered capability", "Disabled staff", "Non-disabled staff",
	 "to enter the formal capability process on grounds of performance", 0,
	 "capability", "disability", "Disabled", "Non-disabled", 1},
};

const parity_indicator_info *parity_indicator_info_find(const char *code)
{
	for (size_t i = 0; i < sizeof indicators / sizeof indicators[0]; i++)
		if (code && !strcmp(indicators[i].code, code))
			return &indicators[i];
	return NULL;
}

const parity_indicator_info *parity_indicator_info_at(size_t index)
{
	return index < sizeof indicators / sizeof indicators[0] ? &indicators[index]
	                                                        : NULL;
}

const char *dimension_column(int dim)
{
	static const char *const columns[D_COUNT] = {
		"organisation", "ethnic_category", "sex", "disability", "age_band",
		"pay_band", "staff_group", "sexual_orientation", "religion", "contract",
		"grounds", "stage", "process",
	};
	return dim >= 0 && dim < D_COUNT ? columns[dim] : "";
}

const char *axis_class(const axis *a, const char *value)
{
	switch (a->mode) {
	case AX_WHITE_BME:
		switch (parity_ethnic_group(value)) {
		case 'W': return "White";
		case 'B': return "BME";
		default: return NULL;
		}
	case AX_DISABILITY:
		if (!strcmp(value, "Y"))
			return "Disabled";
		if (!strcmp(value, "N"))
			return "Non-disabled";
		return NULL;
	case AX_CODED: {
		/* Ingest codes these from the NHS lists; a store written before it
		 * did holds labels, read here through the same lists. */
		static const char *const stated[] = {"1", "2", "3", "4", "U", "A", "B",
		                                     "C", "D", "E", "F", "G", "H", "I",
		                                     "J", "K", "L"};
		char code[8];
		int rc = a->dim == D_ORIENTATION
		         ? parity_code_sexual_orientation(code, sizeof code, value)
		         : parity_code_religion(code, sizeof code, value);
		if (rc) {
			parity_error_clear();
			return !value[0] ? NULL : value; /* kept as it is */
		}
		for (size_t i = 0; i < sizeof stated / sizeof stated[0]; i++)
			if (!strcmp(stated[i], code))
				return stated[i];
		return NULL; /* not stated or not known */
	}
	case AX_RAW:
	default:
		if (!value[0] || !strcmp(value, PARITY_CODE_NOT_STATED) ||
		    !strcmp(value, PARITY_CODE_NOT_KNOWN))
			return NULL;
		return value;
	}
}

axis_mode axis_mode_raw(int dim)
{
	return dim == D_ORIENTATION || dim == D_RELIGION ? AX_CODED : AX_RAW;
}

int afc_band_rank(const char *band)
{
	static const char *const ladder[] = {"2", "3", "4", "5", "6", "7", "8a",
	                                     "8b", "8c", "8d", "9"};
	for (size_t i = 0; i < sizeof ladder / sizeof ladder[0]; i++)
		if (!strcmp(ladder[i], band))
			return (int)i;
	return -1;
}

void grouping_standard(grouping *out, const parity_indicator_info *info)
{
	memset(out, 0, sizeof *out);
	int race = !strcmp(info->grouping, "white_bme");
	text_copy(out->name, sizeof out->name, info->grouping);
	text_copy(out->characteristic, sizeof out->characteristic,
	          race ? "ethnic_category" : "disability");
	out->axes[0].dim = race ? D_ETHNIC : D_DISABILITY;
	out->axes[0].mode = race ? AX_WHITE_BME : AX_DISABILITY;
	out->axis_count = 1;
	text_copy(out->group1[0], sizeof out->group1[0], info->group1);
	text_copy(out->group2[0], sizeof out->group2[0], info->group2);
	text_copy(out->label1, sizeof out->label1, info->group1);
	text_copy(out->label2, sizeof out->label2, info->group2);
}

/* ---- rules --------------------------------------------------------------- */

static const cell_rule outcome_rule[M_COUNT] = {
	[M_APPOINTMENT] = {"recruitment", NULL, NULL, C_APPOINTED, C_SHORTLISTED},
	[M_DISCIPLINARY] = {"disciplinary", "disciplinary", NULL, C_ROWS, C_HEADCOUNT},
	[M_CAPABILITY] = {"disciplinary", "capability", "performance", C_ROWS, C_HEADCOUNT},
	[M_TRAINING] = {"training", NULL, NULL, C_ROWS, C_HEADCOUNT},
	/* a recruitment row is one application */
	[M_SHORTLISTING] = {"recruitment", NULL, NULL, C_SHORTLISTED, C_ROWS},
};
/* Every formal case, of either process and any grounds (the stages). */
static const cell_rule cases_rule = {"disciplinary", NULL, NULL, C_ROWS, C_NONE};

const cell_rule *rule_of_measure(measure m)
{
	return &outcome_rule[m];
}

const cell_rule *rule_of_cases(void)
{
	return &cases_rule;
}
