/*
 * parity/codes.h: the NHS code lists (ethnic category, disability, sex,
 * sexual orientation, religion or belief) and
 * the built-in maps from the labels real extracts carry to canonical codes.
 * Matching ignores case, spacing, punctuation and dash style.
 */
#ifndef PARITY_CODES_H
#define PARITY_CODES_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Canonical code for "not stated" in every characteristic. */
#define PARITY_CODE_NOT_STATED "Z"
/** Canonical code for "not known" (ethnic category 99 / X). */
#define PARITY_CODE_NOT_KNOWN "X"

/**
 * Reduce a label to its matching key: lower case, letters and digits only,
 * '&' read as "and". "White - British", "WHITE BRITISH" and "White–British"
 * all give "whitebritish". Writes at most `size` bytes including the NUL.
 */
void parity_code_key(char *out, size_t size, const char *label);

/**
 * The Levenshtein distance between `a` and `b` (single-character
 * insertions, deletions and substitutions), for "did you mean" matching of
 * labels, option and command names. Capped: a string over 63 bytes is never
 * close to anything (64).
 */
unsigned parity_edit_distance(const char *a, const char *b);

/**
 * Map an ethnic category code or label to its canonical national code: one
 * letter A-S, "Z" (not stated) or "X" (not known, from 99 or X). Local
 * sub-codes ("C2", "LH") and ESR-style "A White - British" roll up to their
 * first character. Returns 0 and fills `out` (at least 2 bytes), or
 * PARITY_EDATA when nothing matches.
 */
int parity_code_ethnic(char *out, size_t size, const char *value);

/** The label of a canonical ethnic code ("A" -> "White - British"), or NULL. */
const char *parity_ethnic_label(const char *code);

/** Ethnic grouping of a canonical code: 'W' White (A-C), 'B' BME (D-S),
 *  'U' not stated or not known. */
char parity_ethnic_group(const char *code);

/**
 * Map a disability value (NHS codes 01-10, XX, NN, ZZ; Yes/No/Not declared
 * and their spellings) to "Y", "N" or "Z". Returns 0 or PARITY_EDATA.
 */
int parity_code_disability(char *out, size_t size, const char *value);

/** Map a sex value (M/F, Male/Female, 1/2, and not stated/known forms) to
 *  "M", "F" or "Z". Returns 0 or PARITY_EDATA. */
int parity_code_sex(char *out, size_t size, const char *value);

/**
 * Map a sexual orientation (NHS Data Dictionary SEXUAL ORIENTATION CODE
 * (2015) 1-4, U, Z, 9, their labels and usual spellings such as
 * "Heterosexual or Straight", "Lesbian", "Undecided") to "1" heterosexual
 * or straight, "2" gay or lesbian, "3" bisexual, "4" another orientation,
 * "U" does not know or is not sure, "Z" not stated or "X" not known.
 * Returns 0, or PARITY_EDATA when nothing matches.
 */
int parity_code_sexual_orientation(char *out, size_t size, const char *value);

/** The label of a canonical sexual orientation code ("2" -> "Gay or
 *  Lesbian"), or NULL. */
const char *parity_sexual_orientation_label(const char *code);

/**
 * Map a religion or belief (NHS Data Dictionary RELIGIOUS OR OTHER BELIEF
 * SYSTEM AFFILIATION GROUP CODE A-N, the Baha'i, Buddhist and Christian
 * affiliation codes A1, B1-B8, C1-..., ESR's "Christianity", "Islam",
 * "Atheism", ... and the labels) to its group code "A" (Baha'i) to "L"
 * (None); declines to disclose (M) gives "Z", unknown (N) "X". Returns 0,
 * or PARITY_EDATA when nothing matches.
 */
int parity_code_religion(char *out, size_t size, const char *value);

/** The label of a canonical religion or belief code ("G" -> "Muslim"), or
 *  NULL. */
const char *parity_religion_label(const char *code);

/**
 * Map the outcome of a formal disciplinary or capability case ("No case to
 * answer", "Informal action", "First written warning", "Final written
 * warning", "Dismissal" and usual spellings) to "no_case_to_answer",
 * "informal", "first_written", "final_written" or "dismissal". Returns 0,
 * or PARITY_EDATA when nothing matches.
 */
int parity_code_case_outcome(char *out, size_t size, const char *value);

/**
 * The furthest stage a case reached, from whether it was investigated,
 * whether it went to a hearing and its outcome code (NULL or "" when not
 * recorded): one of, least to most severe, "entered", "investigation",
 * "informal", "hearing", "first_written", "final_written", "dismissal"
 * (Archibong and Darr 2010's ladder; a warning or dismissal implies a
 * hearing). Static storage.
 */
const char *parity_case_stage(int investigated, int hearing, const char *outcome);

/** The rank of a stage on that ladder (0 "entered" .. 6 "dismissal"), or
 *  -1 for anything else. */
int parity_case_stage_rank(const char *stage);

/** The stage of rank `rank`, or NULL past the ladder. */
const char *parity_case_stage_at(int rank);

/** A stage's label for reports ("hearing" -> "Went to a hearing"), or NULL. */
const char *parity_case_stage_label(const char *stage);

/** Map a yes/no value (Y/N, Yes/No, True/False, 1/0) to 1 or 0 in *out.
 *  Returns 0 or PARITY_EDATA. */
int parity_code_yesno(int *out, const char *value);

/**
 * Map an Agenda for Change pay band in the spellings ESR and NHS Jobs write
 * ("Band 5", "AfC Band 8a", "Band 8 - Range A", "Band 8A", "Agenda for
 * Change Band 6", "Medical and Dental", "VSM", "Non AfC Grade") to its
 * canonical code: "1"-"9", "8a"-"8d", "Medical", "VSM" or "Non-AfC". A
 * medical or dental grade written as the band ("Consultant", "Specialty
 * Doctor": parity_code_medical_grade) is "Medical".
 * Returns 0, or PARITY_EDATA when the value is not a known band.
 */
int parity_code_pay_band(char *out, size_t size, const char *value);

/* The medical and dental sub-groups of WRES 1 and WDES 1, as stored (in a
 * workforce cell's `process` value): consultants (with senior medical
 * managers), non-consultant career grades (specialty doctors, associate
 * specialists, staff grades, specialists, hospital practitioners, clinical
 * assistants), trainee grades (foundation years, registrars, core and
 * specialty trainees, SHO and HO); PARITY_GRADE_OTHER a grade that is none
 * of them, and "" a medical row with no grade. */
#define PARITY_GRADE_CONSULTANT "consultant"
#define PARITY_GRADE_CAREER "career grade"
#define PARITY_GRADE_TRAINEE "trainee"
#define PARITY_GRADE_OTHER "other"

/**
 * Map a medical or dental grade as HR systems and rotas write it
 * ("Consultant", "Specialty Doctor", "Associate Specialist", "Foundation
 * Year 1", "FY2", "Specialty Registrar", "ST3", "SHO") to its sub-group:
 * PARITY_GRADE_CONSULTANT, _CAREER or _TRAINEE, written to `out` (may be
 * NULL). Returns 0, or PARITY_EDATA when it is none of them (grade codes
 * such as ESR's are named through a mapping's [grade] section).
 */
int parity_code_medical_grade(char *out, size_t size, const char *value);

/**
 * Map an NHS staff group, in ESR's full or 30-character truncated name
 * ("Add Prof Scientific and Technic") or a usual short form ("Admin and
 * Clerical"), to its full ESR name. Returns 0, or PARITY_EDATA when the
 * value is not a known staff group.
 */
int parity_code_staff_group(char *out, size_t size, const char *value);

/**
 * Normalise an age band: "21 - 25 Years" -> "21-25", "<=20 Years" ->
 * "<=20", ">=71 Years" and "71 and over" -> "71+", "Under 21" -> "<=20".
 * The bands themselves are kept (ESR's five-year bands are not merged into
 * ten-year ones). Returns 0, or PARITY_EDATA when the value is not an age
 * band.
 */
int parity_code_age_band(char *out, size_t size, const char *value);

#ifdef __cplusplus
}
#endif
#endif
