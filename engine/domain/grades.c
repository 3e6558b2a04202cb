/*
 * grades.c: the medical and dental sub-groups of WRES 1 and WDES 1
 * (consultants, non-consultant career grades, trainee grades) from the grade
 * labels ESR, rotas and local reports write. One rule for ingest (a
 * workforce row's `grade` column, or a grade written as its pay band) and
 * for pay band coding.
 */
#include "parity/codes.h"

#include "parity/common.h"

#include <stdio.h>
#include <string.h>

/* Does `key` start with `stem`? */
static int starts(const char *key, const char *stem)
{
	return !strncmp(key, stem, strlen(stem));
}

/* `stem` followed by one digit from `low` to `high` and nothing else:
 * "st3", "ct1", "fy2". */
static int numbered(const char *key, const char *stem, char low, char high)
{
	size_t n = strlen(stem);
	return !strncmp(key, stem, n) && key[n] >= low && key[n] <= high && !key[n + 1];
}

static int is_trainee(const char *k)
{
	/* Registrars before "specialist": a specialist registrar trains. */
	static const char *const inside[] = {
		"registrar", "foundationyear", "foundationdoctor", "foundationprogramme",
		"houseofficer", "specialtytrainee", "specialitytrainee", "coretrainee",
		"doctorintraining", "doctorsintraining", "residentdoctor", "juniordoctor",
		"specialtytraining", "coretraining",
	};
	for (size_t i = 0; i < sizeof inside / sizeof inside[0]; i++)
		if (strstr(k, inside[i]))
			return 1;
	static const char *const whole[] = {
		"fy1", "fy2", "f1", "f2", "sho", "shos", "prho", "ho", "spr", "str",
		"gpst", "gpr", "trainee", "trainees", "traineegrades", "traineegrade",
		"training", "traininggrades",
	};
	for (size_t i = 0; i < sizeof whole / sizeof whole[0]; i++)
		if (!strcmp(k, whole[i]))
			return 1;
	return numbered(k, "st", '1', '8') || numbered(k, "ct", '1', '3') ||
	       numbered(k, "gpst", '1', '4') || numbered(k, "fy", '1', '2') ||
	       numbered(k, "cst", '1', '2');
}

static int is_career(const char *k)
{
	static const char *const inside[] = {
		"specialtydoctor", "specialitydoctor", "associatespecialist", "staffgrade",
		"hospitalpractitioner", "clinicalassistant", "nonconsultantcareer",
		"careergrade", "specialistgrade", "sasdoctor", "specialtyandassociate",
	};
	for (size_t i = 0; i < sizeof inside / sizeof inside[0]; i++)
		if (strstr(k, inside[i]))
			return 1;
	return !strcmp(k, "specialist") || !strcmp(k, "specialists") || !strcmp(k, "sas") ||
	       !strcmp(k, "ncg") || !strcmp(k, "ncgs");
}

static int is_consultant(const char *k)
{
	return strstr(k, "consultant") != NULL || starts(k, "seniormedicalmanager") ||
	       starts(k, "medicaldirector");
}

int parity_code_medical_grade(char *out, size_t size, const char *value)
{
	char key[128];
	parity_code_key(key, sizeof key, value ? value : "");
	const char *code = NULL;
	if (!key[0])
		code = NULL;
	else if (is_trainee(key))
		code = PARITY_GRADE_TRAINEE;
	else if (is_career(key))
		code = PARITY_GRADE_CAREER;
	else if (is_consultant(key))
		code = PARITY_GRADE_CONSULTANT;
	if (!code)
		return parity_error_set(PARITY_EDATA, "not a known medical or dental grade");
	if (out && size)
		snprintf(out, size, "%s", code);
	return 0;
}
