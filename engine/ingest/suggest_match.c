/*
 * suggest_match.c: the judgements behind 'parity mapping --suggest': which
 * header names which canonical column (exact, synonym, edit distance, a
 * telling word) and what code an unfamiliar value most likely means (a
 * misspelt label, or the words it shares with an NHS category).
 */
#include "suggest_internal.h"

#include "parity/codes.h"
#include "parity/common.h"

#include <stdio.h>
#include <string.h>

/* ---- small helpers --------------------------------------------------------- */

/* How many edits still count as a misspelling, from the shorter key's
 * length: none below 5 characters ("sex" and "sea" are different words). */
static unsigned typo_limit(size_t la, size_t lb, int generous)
{
	size_t len = la < lb ? la : lb;
	if (len < 5)
		return 0;
	if (len <= 8)
		return 1;
	if (len <= (generous ? 14u : 12u))
		return 2;
	return 3;
}

/* ---- headers ------------------------------------------------------------- */

/* Other names real extracts give the canonical columns (ESR, TRAC, Jobtrain
 * and local exports). Compared as matching keys. */
static const struct {
	const char *column;
	const char *name;
} synonyms[] = {
	{"application_id", "Applicant Ref"}, {"application_id", "Application ID"},
	{"application_id", "Application Number"}, {"application_id", "Application Ref"},
	{"application_id", "Application Reference"}, {"application_id", "Applicant ID"},
	{"application_id", "Applicant Number"}, {"application_id", "Candidate Number"},
	{"application_id", "Candidate ID"}, {"application_id", "Candidate Ref"},
	{"application_id", "App ID"},
	{"staff_id", "Assignment Number"}, {"staff_id", "Assignment No"},
	{"staff_id", "Employee Number"}, {"staff_id", "Employee No"},
	{"staff_id", "Employee ID"}, {"staff_id", "Employee Ref"},
	{"staff_id", "Staff Number"}, {"staff_id", "Staff No"},
	{"staff_id", "Person Number"}, {"staff_id", "Payroll Number"},
	{"staff_id", "ESR Number"},
	{"case_id", "Case Number"}, {"case_id", "Case No"}, {"case_id", "Case Ref"},
	{"case_id", "Case Reference"}, {"case_id", "Case"},
	{"vacancy_id", "Vacancy Number"}, {"vacancy_id", "Vacancy Ref"},
	{"vacancy_id", "Vacancy Reference"}, {"vacancy_id", "Vacancy"},
	{"vacancy_id", "Job Reference"}, {"vacancy_id", "Job Ref"},
	{"vacancy_id", "Advert Reference"}, {"vacancy_id", "Requisition Number"},
	{"organisation", "Trust"}, {"organisation", "Trust Code"},
	{"organisation", "Org"}, {"organisation", "Org Code"},
	{"organisation", "Organisation Code"}, {"organisation", "Organisation Name"},
	{"organisation", "Organization"}, {"organisation", "Org Name"},
	{"organisation", "Employer"}, {"organisation", "Employing Organisation"},
	{"organisation", "Provider Code"}, {"organisation", "Entity"},
	{"date", "Application Date"}, {"date", "Date Applied"},
	{"date", "Date of Application"}, {"date", "Applied Date"},
	{"date", "Submission Date"}, {"date", "Date Submitted"},
	{"date", "Training Date"}, {"date", "Course Date"},
	{"date", "Date Attended"}, {"date", "Attendance Date"},
	{"date", "Start Date"}, {"date", "Event Date"},
	{"snapshot_date", "Snapshot"}, {"snapshot_date", "Census Date"},
	{"snapshot_date", "As At Date"}, {"snapshot_date", "As At"},
	{"snapshot_date", "Extract Date"}, {"snapshot_date", "Report Date"},
	{"snapshot_date", "Effective Date"},
	{"date_entered", "Date Entered"}, {"date_entered", "Date Entered Process"},
	{"date_entered", "Case Start Date"}, {"date_entered", "Start Date"},
	{"date_entered", "Date Opened"}, {"date_entered", "Case Opened"},
	{"date_entered", "Date Started"}, {"date_entered", "Investigation Start Date"},
	{"ethnic_category", "Ethnic Origin"}, {"ethnic_category", "Ethnicity"},
	{"ethnic_category", "Ethnic Group"}, {"ethnic_category", "Ethnic Code"},
	{"ethnic_category", "Ethnic Background"}, {"ethnic_category", "Ethnic Origin Code"},
	{"ethnic_category", "Ethnicity Code"}, {"ethnic_category", "Race"},
	{"sex", "Gender"}, {"sex", "Sex"}, {"sex", "Legal Sex"},
	{"sex", "Gender Code"}, {"sex", "Sex Code"},
	{"disability", "Disabled?"}, {"disability", "Disability Status"},
	{"disability", "Disability Flag"}, {"disability", "Disability Code"},
	{"disability", "Disabled Flag"}, {"disability", "Has Disability"},
	{"disability", "Disability Declared"},
	{"age_band", "Age Group"}, {"age_band", "Age Band"}, {"age_band", "Age Range"},
	{"age_band", "Age Bracket"}, {"age_band", "Age Category"}, {"age_band", "Age"},
	{"pay_band", "AfC Band"}, {"pay_band", "AfC Pay Band"}, {"pay_band", "Pay Band"},
	{"pay_band", "Grade"}, {"pay_band", "Pay Grade"}, {"pay_band", "Band"},
	{"pay_band", "Agenda for Change Band"}, {"pay_band", "Job Band"},
	{"pay_band", "Pay Scale"},
	{"staff_group", "Occupation Group"}, {"staff_group", "Occupational Group"},
	{"staff_group", "Staff Category"}, {"staff_group", "Job Family"},
	{"staff_group", "Professional Group"}, {"staff_group", "Workforce Group"},
	{"contract", "Contract Type"}, {"contract", "Assignment Category"},
	{"contract", "Assignment Type"}, {"contract", "Employment Type"},
	{"contract", "Contract Status"}, {"contract", "Employee Category"},
	{"process", "Process Type"}, {"process", "Case Type"}, {"process", "Procedure"},
	{"process", "Formal Process"}, {"process", "Policy"},
	{"grounds", "Reason"}, {"grounds", "Case Reason"}, {"grounds", "Allegation Type"},
	{"grounds", "Case Category"}, {"grounds", "Grounds for Action"},
	{"grounds", "Nature of Case"},
	{"shortlisted", "Shortlisted?"}, {"shortlisted", "Shortlist"},
	{"shortlisted", "Short Listed"}, {"shortlisted", "Was Shortlisted"},
	{"shortlisted", "Shortlisted Flag"}, {"shortlisted", "Invited to Interview"},
	{"shortlisted", "Interviewed"},
	{"appointed", "Offered?"}, {"appointed", "Offered"}, {"appointed", "Offer Made"},
	{"appointed", "Appointed?"}, {"appointed", "Job Offered"},
	{"appointed", "Offer"}, {"appointed", "Successful"}, {"appointed", "Hired"},
	{"appointed", "Conditional Offer"},
	{"sexual_orientation", "Orientation"}, {"sexual_orientation", "Sexuality"},
	{"sexual_orientation", "Sexual Orientation Code"},
	{"sexual_orientation", "Sexual Orientation Description"},
	{"sexual_orientation", "Sex Orientation"},
	{"sexual_orientation", "Sexual Identity"},
	{"religion", "Religious Belief"}, {"religion", "Religion or Belief"},
	{"religion", "Faith"}, {"religion", "Belief"},
	{"religion", "Religious Belief Description"}, {"religion", "Religion/Belief"},
	{"religion", "Religion Code"}, {"religion", "Religious Affiliation"},
	{"investigation", "Investigated"}, {"investigation", "Investigation Held"},
	{"investigation", "Formal Investigation"},
	{"hearing", "Hearing Held"}, {"hearing", "Went to Hearing"},
	{"hearing", "Disciplinary Hearing"}, {"hearing", "Formal Hearing"},
	{"outcome", "Case Outcome"}, {"outcome", "Sanction"}, {"outcome", "Result"},
	{"outcome", "Outcome of Case"}, {"outcome", "Hearing Outcome"},
	{"outcome", "Final Outcome"},
	{"religion", "Faith or Belief"}, {"religion", "Beliefs"},
	{"grade", "Grade Code"}, {"grade", "Medical Grade"}, {"grade", "Grade Name"},
	{"grade", "Doctor Grade"}, {"grade", "Medical and Dental Grade"},
	{"grade", "Grade Description"},
};

/* Words (as key fragments) that, inside a longer header, point to a column:
 * weaker evidence than a synonym, so the draft marks it CHECK. */
static const struct {
	const char *column;
	const char *stem;
} stems[] = {
	{"application_id", "applicant"}, {"application_id", "candidate"},
	{"application_id", "applicationid"}, {"application_id", "applicationref"},
	{"application_id", "applicationno"},
	{"staff_id", "employee"}, {"staff_id", "assignmentn"}, {"staff_id", "staffid"},
	{"staff_id", "staffno"}, {"staff_id", "payroll"},
	{"case_id", "case"},
	{"vacancy_id", "vacancy"}, {"vacancy_id", "advert"}, {"vacancy_id", "requisition"},
	{"organisation", "organisation"}, {"organisation", "organization"},
	{"organisation", "trust"}, {"organisation", "employer"}, {"organisation", "orgcode"},
	{"organisation", "provider"},
	{"date", "date"},
	{"snapshot_date", "snapshot"}, {"snapshot_date", "census"},
	{"snapshot_date", "asat"}, {"snapshot_date", "date"},
	{"date_entered", "entered"}, {"date_entered", "opened"}, {"date_entered", "date"},
	{"ethnic_category", "ethnic"}, {"ethnic_category", "race"},
	{"sex", "gender"}, {"sex", "sex"},
	{"disability", "disab"},
	{"age_band", "ageband"}, {"age_band", "agegroup"}, {"age_band", "agerange"},
	{"pay_band", "band"}, {"pay_band", "grade"}, {"pay_band", "payscale"},
	{"staff_group", "staffgroup"}, {"staff_group", "occupation"},
	{"staff_group", "jobfamily"}, {"staff_group", "profession"},
	{"contract", "contract"}, {"contract", "assignmentcat"},
	{"contract", "employmenttype"},
	{"process", "process"}, {"process", "procedure"},
	{"grounds", "ground"}, {"grounds", "reason"}, {"grounds", "allegation"},
	{"shortlisted", "shortlist"}, {"shortlisted", "interview"},
	{"appointed", "appoint"}, {"appointed", "offer"}, {"appointed", "hired"},
	{"sexual_orientation", "orientation"}, {"sexual_orientation", "sexual"},
	{"religion", "religio"}, {"religion", "faith"}, {"religion", "belief"},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

suggest_match suggest_header_match(const char *canonical, const char *header,
                                   unsigned *distance)
{
	char key[128], want[128];
	*distance = 0;
	parity_code_key(key, sizeof key, header);
	if (!key[0])
		return MATCH_NONE;
	parity_code_key(want, sizeof want, canonical);
	if (!strcmp(key, want))
		return MATCH_EXACT;
	for (size_t i = 0; i < COUNT(synonyms); i++) {
		if (strcmp(synonyms[i].column, canonical))
			continue;
		parity_code_key(want, sizeof want, synonyms[i].name);
		if (!strcmp(key, want))
			return MATCH_SYNONYM;
	}

	/* Misspellings of the name or of a synonym ("Ethnic Grp"). */
	unsigned best = 64;
	parity_code_key(want, sizeof want, canonical);
	unsigned d = parity_edit_distance(key, want);
	if (d <= typo_limit(strlen(key), strlen(want), 0))
		best = d;
	for (size_t i = 0; i < COUNT(synonyms); i++) {
		if (strcmp(synonyms[i].column, canonical))
			continue;
		parity_code_key(want, sizeof want, synonyms[i].name);
		d = parity_edit_distance(key, want);
		if (d <= typo_limit(strlen(key), strlen(want), 0) && d < best)
			best = d;
	}
	if (best < 64) {
		*distance = best;
		return MATCH_FUZZY;
	}

	for (size_t i = 0; i < COUNT(stems); i++) {
		if (strcmp(stems[i].column, canonical) || !strstr(key, stems[i].stem))
			continue;
		/* "sex" inside "sexual orientation" is another characteristic. */
		if (!strcmp(stems[i].stem, "sex") &&
		    (strstr(key, "sexual") || strstr(key, "orientation")))
			continue;
		return MATCH_CONTAINS;
	}
	return MATCH_NONE;
}

/* ---- values -------------------------------------------------------------- */

/* A value split into lower-case ASCII words. */
typedef struct words {
	char word[16][24];
	size_t count;
} words;

static void split_words(words *w, const char *value)
{
	w->count = 0;
	size_t len = 0;
	for (const unsigned char *p = (const unsigned char *)value;; p++) {
		int letter = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		             (*p >= '0' && *p <= '9');
		if (letter && w->count < 16) {
			if (len < sizeof w->word[0] - 1)
				w->word[w->count][len++] = (char)(*p | (*p >= 'A' && *p <= 'Z' ? 0x20 : 0));
			continue;
		}
		if (len && w->count < 16) {
			w->word[w->count][len] = '\0';
			w->count++;
		}
		len = 0;
		if (!*p)
			break;
	}
}

/* Does the value hold `word` (a whole word)? */
static int has(const words *w, const char *word)
{
	for (size_t i = 0; i < w->count; i++)
		if (!strcmp(w->word[i], word))
			return 1;
	return 0;
}

/* Does the value hold any of the NULL-terminated `list`? */
static int has_any(const words *w, const char *const *list)
{
	for (size_t i = 0; list[i]; i++)
		if (has(w, list[i]))
			return 1;
	return 0;
}

/* Does a word start with `prefix`? */
static int has_prefix(const words *w, const char *prefix)
{
	size_t n = strlen(prefix);
	for (size_t i = 0; i < w->count; i++)
		if (!strncmp(w->word[i], prefix, n))
			return 1;
	return 0;
}

/* Words that say the person did not answer or nobody recorded it. Deciding
 * between "not stated" and "not known" is the organisation's call, so parity
 * hints rather than guesses. */
static int says_not_stated(const words *w)
{
	static const char *const strong[] = {
		"declined", "decline", "refused", "prefer", "withheld", "unknown",
		"undisclosed", "undeclared", "unspecified", "na", "nk", "ns", "none",
		"blank", "missing", NULL,
	};
	static const char *const after_not[] = {
		"stated", "declared", "known", "disclosed", "specified", "recorded",
		"given", "provided", "answered", "say", "disclose", "declare", NULL,
	};
	return has_any(w, strong) || (has(w, "not") && has_any(w, after_not));
}

/* Spellings a misspelt value is compared with, for each column. */
typedef struct spelling {
	const char *text;
	const char *code; /* as the mapping file writes it */
} spelling;

static const spelling ethnic_spellings[] = {
	{"White British", "A"}, {"White English", "A"}, {"White Scottish", "A"},
	{"White Welsh", "A"}, {"British", "A"},
	{"White Irish", "B"}, {"Irish", "B"},
	{"White Other", "C"}, {"Other White", "C"}, {"White Any Other", "C"},
	{"Any other White background", "C"},
	{"White and Black Caribbean", "D"}, {"Mixed White Black Caribbean", "D"},
	{"White and Black African", "E"}, {"Mixed White Black African", "E"},
	{"White and Asian", "F"}, {"Mixed White Asian", "F"},
	{"Mixed Other", "G"}, {"Any other mixed background", "G"},
	{"Indian", "H"}, {"Asian Indian", "H"}, {"Pakistani", "J"},
	{"Asian Pakistani", "J"}, {"Bangladeshi", "K"}, {"Asian Bangladeshi", "K"},
	{"Asian Other", "L"}, {"Any other Asian background", "L"},
	{"Caribbean", "M"}, {"Black Caribbean", "M"}, {"African", "N"},
	{"Black African", "N"}, {"Black Other", "P"},
	{"Any other Black background", "P"}, {"Chinese", "R"},
	{"Any other ethnic group", "S"}, {"Other ethnic group", "S"},
	{"Not stated", "not stated"}, {"Not declared", "not stated"},
	{"Prefer not to say", "not stated"}, {"Not known", "not known"},
	{NULL, NULL},
};

static const spelling sex_spellings[] = {
	{"Male", "M"}, {"Female", "F"}, {"Not stated", "not stated"},
	{"Not known", "not stated"}, {"Prefer not to say", "not stated"},
	{NULL, NULL},
};

static const spelling disability_spellings[] = {
	{"Yes", "Y"}, {"Disabled", "Y"}, {"No", "N"}, {"Not disabled", "N"},
	{"Non disabled", "N"}, {"No disability", "N"}, {"Not declared", "not stated"},
	{"Not stated", "not stated"}, {"Prefer not to say", "not stated"},
	{"Undeclared", "not stated"}, {NULL, NULL},
};

static const spelling outcome_spellings[] = {
	{"Yes", "Y"}, {"No", "N"}, {"True", "Y"}, {"False", "N"}, {NULL, NULL},
};

static const spelling process_spellings[] = {
	{"Disciplinary", "disciplinary"}, {"Capability", "capability"},
	{NULL, NULL},
};

/* The closest spelling within a misspelling's distance, or NULL when none
 * is close or two different codes are equally close. */
static const spelling *closest_spelling(const spelling *list, const char *value)
{
	char key[128], other[128];
	const spelling *best = NULL;
	unsigned best_distance = 64;
	int tie = 0;
	parity_code_key(key, sizeof key, value);
	for (const spelling *s = list; s->text; s++) {
		parity_code_key(other, sizeof other, s->text);
		unsigned d = parity_edit_distance(key, other);
		if (d == 0 || d > typo_limit(strlen(key), strlen(other), 1))
			continue;
		if (d < best_distance) {
			best = s;
			best_distance = d;
			tie = 0;
		} else if (d == best_distance && strcmp(best->code, s->code)) {
			tie = 1;
		}
	}
	return tie ? NULL : best;
}

static void put(char *out, size_t size, const char *text)
{
	if (size)
		snprintf(out, size, "%s", text);
}

/* Ethnic category by the words a value shares with the NHS labels: the
 * group word ("White", "Black", "Asian", "Mixed") and any category word in
 * it, falling back to the group's "any other" category. */
static const char *ethnic_by_words(const words *w)
{
	static const char *const british[] = {"british", "english", "scottish",
	                                      "welsh", "cornish", NULL};
	static const char *const white_other[] = {
		"polish", "european", "gypsy", "traveller", "roma", "romany",
		"romanian", "lithuanian", "portuguese", "italian", "spanish",
		"bulgarian", NULL,
	};
	static const char *const african[] = {"african", "somali", "nigerian",
	                                      "ghanaian", "kenyan", "zimbabwean",
	                                      "sudanese", "eritrean", NULL};
	static const char *const caribbean[] = {"caribbean", "jamaican",
	                                        "barbadian", "trinidadian", NULL};
	static const char *const other_asian[] = {"lankan", "tamil", "nepali",
	                                          "nepalese", "sinhalese", NULL};
	int white = has(w, "white");
	int black = has(w, "black") || has_any(w, african) || has_any(w, caribbean);
	int asian = has(w, "asian") || has(w, "indian") || has(w, "pakistani") ||
	            has(w, "bangladeshi") || has_any(w, other_asian);

	if (has(w, "mixed") || has(w, "multiple") || has(w, "dual") ||
	    (white && (black || asian))) {
		if (has_any(w, caribbean))
			return "D";
		if (has_any(w, african))
			return "E";
		if (asian)
			return "F";
		return "G";
	}
	if (white) {
		if (has(w, "northern") && has(w, "irish"))
			return "C"; /* ESR's local sub-code C2 */
		if (has_any(w, british))
			return "A";
		if (has(w, "irish"))
			return "B";
		return "C";
	}
	if (has_any(w, white_other))
		return "C";
	if (black) {
		if (has_any(w, caribbean))
			return "M";
		if (has_any(w, african))
			return "N";
		return "P";
	}
	if (has(w, "chinese"))
		return "R";
	if (asian) {
		if (has(w, "indian"))
			return "H";
		if (has(w, "pakistani"))
			return "J";
		if (has(w, "bangladeshi"))
			return "K";
		return "L";
	}
	if (has(w, "arab") || has(w, "arabic") || has(w, "other"))
		return "S";
	return NULL;
}

static suggest_verdict guess_ethnic(char *code, size_t code_size, char *why,
                                    size_t why_size, const char *value)
{
	words w;
	const spelling *close = closest_spelling(ethnic_spellings, value);
	if (close) {
		put(code, code_size, close->code);
		snprintf(why, why_size, "looks like \"%s\"", close->text);
		return VALUE_GUESSED;
	}
	split_words(&w, value);
	if (says_not_stated(&w)) {
		put(why, why_size, "perhaps \"not stated\" (the person chose not to say) "
		    "or \"not known\" (never recorded)");
		return VALUE_TODO;
	}
	const char *guess = ethnic_by_words(&w);
	if (!guess)
		return VALUE_TODO;
	put(code, code_size, guess);
	snprintf(why, why_size, "guessed \"%s\" from its words", parity_ethnic_label(guess));
	return VALUE_GUESSED;
}

static suggest_verdict guess_sex(char *code, size_t code_size, char *why,
                                 size_t why_size, const char *value)
{
	static const char *const female[] = {"female", "woman", "women", "girl", "f", NULL};
	static const char *const male[] = {"male", "man", "men", "boy", "m", NULL};
	words w;
	const spelling *close = closest_spelling(sex_spellings, value);
	if (close) {
		put(code, code_size, close->code);
		snprintf(why, why_size, "looks like \"%s\"", close->text);
		return VALUE_GUESSED;
	}
	split_words(&w, value);
	if (says_not_stated(&w)) {
		put(why, why_size, "perhaps \"not stated\"");
		return VALUE_TODO;
	}
	int f = has_any(&w, female), m = has_any(&w, male);
	if (f != m) {
		put(code, code_size, f ? "F" : "M");
		snprintf(why, why_size, "guessed %s from its words", f ? "female" : "male");
		return VALUE_GUESSED;
	}
	put(why, why_size, "parity records sex as M, F or not stated");
	return VALUE_TODO;
}

static suggest_verdict guess_disability(char *code, size_t code_size, char *why,
                                        size_t why_size, const char *value)
{
	static const char *const negative[] = {"no", "not", "non", "n", "without",
	                                       "none", NULL};
	static const char *const positive[] = {"yes", "y", "disabled", "disability",
	                                       "has", NULL};
	words w;
	const spelling *close = closest_spelling(disability_spellings, value);
	if (close) {
		put(code, code_size, close->code);
		snprintf(why, why_size, "looks like \"%s\"", close->text);
		return VALUE_GUESSED;
	}
	split_words(&w, value);
	if (says_not_stated(&w)) {
		put(why, why_size, "perhaps \"not stated\"");
		return VALUE_TODO;
	}
	if (has_any(&w, negative)) {
		put(code, code_size, "N");
		put(why, why_size, "guessed not disabled from its words");
		return VALUE_GUESSED;
	}
	if (has_any(&w, positive)) {
		put(code, code_size, "Y");
		put(why, why_size, "guessed disabled from its words");
		return VALUE_GUESSED;
	}
	return VALUE_TODO;
}

static suggest_verdict guess_outcome(char *code, size_t code_size, char *why,
                                     size_t why_size, const char *canonical,
                                     const char *value)
{
	static const char *const negative[] = {
		"no", "not", "non", "n", "rejected", "declined", "withdrawn", "withdrew",
		"failed", "regret", "unsuccessful", "false", NULL,
	};
	static const char *const shortlisted[] = {"shortlist", "interview", "invited",
	                                          "selected", NULL};
	static const char *const appointed[] = {"appoint", "offer", "hired",
	                                        "successful", "accepted", "selected",
	                                        "started", NULL};
	words w;
	const spelling *close = closest_spelling(outcome_spellings, value);
	if (close) {
		put(code, code_size, close->code);
		snprintf(why, why_size, "looks like \"%s\"", close->text);
		return VALUE_GUESSED;
	}
	split_words(&w, value);
	if (has_any(&w, negative) || has_prefix(&w, "unsuccess") ||
	    has_prefix(&w, "notshort") || has_prefix(&w, "unshort")) {
		put(code, code_size, "N");
		put(why, why_size, "guessed no from its words");
		return VALUE_GUESSED;
	}
	const char *const *yes = !strcmp(canonical, "shortlisted") ? shortlisted
	                                                            : appointed;
	for (size_t i = 0; yes[i]; i++)
		if (has_prefix(&w, yes[i])) {
			put(code, code_size, "Y");
			put(why, why_size, "guessed yes from its words");
			return VALUE_GUESSED;
		}
	return VALUE_TODO;
}

static suggest_verdict guess_process(char *code, size_t code_size, char *why,
                                     size_t why_size, const char *value)
{
	static const char *const capability[] = {"performance", "sickness",
	                                         "attendance", "absence", "health",
	                                         "competence", "competency", NULL};
	char key[128];
	words w;
	const spelling *close = closest_spelling(process_spellings, value);
	if (close) {
		put(code, code_size, close->code);
		snprintf(why, why_size, "looks like \"%s\"", close->text);
		return VALUE_GUESSED;
	}
	parity_code_key(key, sizeof key, value);
	if (strlen(key) >= 3 && !strncmp("disciplinary", key, strlen(key))) {
		put(code, code_size, "disciplinary");
		put(why, why_size, "looks like an abbreviation of disciplinary");
		return VALUE_GUESSED;
	}
	if (strlen(key) >= 3 && !strncmp("capability", key, strlen(key))) {
		put(code, code_size, "capability");
		put(why, why_size, "looks like an abbreviation of capability");
		return VALUE_GUESSED;
	}
	split_words(&w, value);
	if (has_any(&w, capability)) {
		put(code, code_size, "capability");
		put(why, why_size, "guessed capability from its words");
		return VALUE_GUESSED;
	}
	if (has_prefix(&w, "investigat") || has_prefix(&w, "misconduct")) {
		put(code, code_size, "disciplinary");
		put(why, why_size, "guessed disciplinary from its words");
		return VALUE_GUESSED;
	}
	put(why, why_size, "a case that is neither is refused: if so, take its rows "
	    "out of the extract");
	return VALUE_TODO;
}

/* The built-in lists, as ingest applies them. */
static int known_value(char *code, size_t code_size, char *why, size_t why_size,
                       const char *canonical, const char *value)
{
	char out[8];
	if (!strcmp(canonical, "ethnic_category")) {
		if (parity_code_ethnic(out, sizeof out, value))
			return 0;
		const char *label = parity_ethnic_label(out);
		put(code, code_size, !strcmp(out, PARITY_CODE_NOT_STATED) ? "not stated"
		                     : !strcmp(out, PARITY_CODE_NOT_KNOWN) ? "not known" : out);
		put(why, why_size, label ? label : "");
		return 1;
	}
	if (!strcmp(canonical, "sex") || !strcmp(canonical, "disability")) {
		int sex = !strcmp(canonical, "sex");
		if (sex ? parity_code_sex(out, sizeof out, value)
		        : parity_code_disability(out, sizeof out, value))
			return 0;
		put(code, code_size, !strcmp(out, "Z") ? "not stated" : out);
		put(why, why_size, !strcmp(out, "Z") ? "not stated"
		                   : !strcmp(out, "Y") ? "disabled"
		                   : !strcmp(out, "N") ? "not disabled"
		                   : !strcmp(out, "M") ? "male" : "female");
		return 1;
	}
	if (!strcmp(canonical, "sexual_orientation") || !strcmp(canonical, "religion")) {
		int orientation = !strcmp(canonical, "sexual_orientation");
		if (orientation ? parity_code_sexual_orientation(out, sizeof out, value)
		                : parity_code_religion(out, sizeof out, value))
			return 0;
		const char *label = orientation ? parity_sexual_orientation_label(out)
		                                : parity_religion_label(out);
		put(code, code_size, !strcmp(out, PARITY_CODE_NOT_STATED) ? "not stated"
		                     : !strcmp(out, PARITY_CODE_NOT_KNOWN) ? "not known" : out);
		put(why, why_size, label ? label : "");
		return 1;
	}
	int stage_column = !strcmp(canonical, "investigation") ||
	                   !strcmp(canonical, "hearing") || !strcmp(canonical, "outcome");
	if (stage_column && !value[strspn(value, " \t")]) {
		put(code, code_size, "not recorded");
		put(why, why_size, "a blank is not recorded");
		return 1;
	}
	if (!strcmp(canonical, "outcome")) {
		char outcome[24];
		if (parity_code_case_outcome(outcome, sizeof outcome, value))
			return 0;
		put(code, code_size, outcome);
		put(why, why_size, outcome);
		return 1;
	}
	if (!strcmp(canonical, "shortlisted") || !strcmp(canonical, "appointed") ||
	    stage_column) {
		int yes;
		if (parity_code_yesno(&yes, value))
			return 0;
		put(code, code_size, yes ? "Y" : "N");
		put(why, why_size, yes ? "yes" : "no");
		return 1;
	}
	if (!strcmp(canonical, "process")) {
		/* As ingest reads it: any value naming one of the two processes. */
		char key[128];
		parity_code_key(key, sizeof key, value);
		const char *process = strstr(key, "disciplinary") || strstr(key, "conduct")
		                      ? "disciplinary"
		                      : strstr(key, "capability") ? "capability" : NULL;
		if (!process)
			return 0;
		put(code, code_size, process);
		put(why, why_size, process);
		return 1;
	}
	return 0;
}

int suggest_is_coded(const char *canonical)
{
	static const char *const coded[] = {"ethnic_category", "sex", "disability",
	                                    "sexual_orientation", "religion",
	                                    "shortlisted", "appointed", "process",
	                                    "investigation", "hearing", "outcome", NULL};
	for (size_t i = 0; coded[i]; i++)
		if (!strcmp(coded[i], canonical))
			return 1;
	return 0;
}

suggest_verdict suggest_value(char *code, size_t code_size, char *why,
                              size_t why_size, const char *canonical,
                              const char *value)
{
	suggest_verdict verdict = VALUE_TODO;
	int saved = parity_error_code();
	char message[512];
	put(message, sizeof message, parity_error_last());

	put(code, code_size, "");
	put(why, why_size, "");
	if (known_value(code, code_size, why, why_size, canonical, value)) {
		verdict = VALUE_KNOWN;
	} else if ((!strcmp(canonical, "shortlisted") || !strcmp(canonical, "appointed") ||
	            !strcmp(canonical, "process")) && !value[strspn(value, " \t")]) {
		put(why, why_size, "a blank here is refused: ingest rejects the row");
		verdict = VALUE_REFUSED;
	} else if (!strcmp(canonical, "ethnic_category")) {
		verdict = guess_ethnic(code, code_size, why, why_size, value);
	} else if (!strcmp(canonical, "sex")) {
		verdict = guess_sex(code, code_size, why, why_size, value);
	} else if (!strcmp(canonical, "disability")) {
		verdict = guess_disability(code, code_size, why, why_size, value);
	} else if (!strcmp(canonical, "shortlisted") || !strcmp(canonical, "appointed")) {
		verdict = guess_outcome(code, code_size, why, why_size, canonical, value);
	} else if (!strcmp(canonical, "process")) {
		verdict = guess_process(code, code_size, why, why_size, value);
	}
	/* The code lists leave messages for what they do not know: this is
	 * a question, not an error, so restore the caller's state. */
	if (saved)
		parity_error_set(saved, "%s", message);
	else
		parity_error_clear();
	return verdict;
}

const char *const *suggest_allowed_codes(const char *canonical)
{
	static const char *const ethnic[] = {
		"A  White - British", "B  White - Irish",
		"C  White - Any other White background",
		"D  Mixed - White and Black Caribbean",
		"E  Mixed - White and Black African", "F  Mixed - White and Asian",
		"G  Mixed - Any other mixed background",
		"H  Asian or Asian British - Indian",
		"J  Asian or Asian British - Pakistani",
		"K  Asian or Asian British - Bangladeshi",
		"L  Asian or Asian British - Any other Asian background",
		"M  Black or Black British - Caribbean",
		"N  Black or Black British - African",
		"P  Black or Black British - Any other Black background",
		"R  Other - Chinese", "S  Other - Any other ethnic group",
		"not stated  (the person chose not to say; NHS code Z)",
		"not known   (never asked or recorded; NHS code 99)", NULL,
	};
	static const char *const sex[] = {"M  male", "F  female", "not stated", NULL};
	static const char *const disability[] = {
		"Y  disabled (NHS codes 01-10 and XX)", "N  not disabled (NN)",
		"not stated  (ZZ)", NULL,
	};
	static const char *const yesno[] = {"Y  yes", "N  no", NULL};
	static const char *const process[] = {
		"disciplinary  (conduct: counts towards WRES 3)",
		"capability    (performance: counts towards WDES 3)", NULL,
	};
	static const char *const orientation[] = {
		"1  Heterosexual or Straight", "2  Gay or Lesbian", "3  Bisexual",
		"4  Other sexual orientation not listed",
		"U  does not know or is not sure",
		"not stated  (asked but declined; NHS code Z)",
		"not known   (not recorded; NHS code 9)", NULL,
	};
	static const char *const religion[] = {
		"A  Baha'i", "B  Buddhist", "C  Christian", "D  Hindu", "E  Jain",
		"F  Jewish", "G  Muslim", "H  Pagan", "I  Sikh", "J  Zoroastrian",
		"K  Other", "L  None",
		"not stated  (declines to disclose; NHS code M)",
		"not known   (NHS code N)", NULL,
	};
	static const char *const none[] = {NULL};
	static const char *const outcome[] = {
		"no_case_to_answer", "informal       (informal action, a verbal warning)",
		"first_written  (first written warning)",
		"final_written  (final written warning)", "dismissal", NULL,
	};
	if (!strcmp(canonical, "outcome"))
		return outcome;
	if (!strcmp(canonical, "investigation") || !strcmp(canonical, "hearing"))
		return yesno;
	if (!strcmp(canonical, "sexual_orientation"))
		return orientation;
	if (!strcmp(canonical, "religion"))
		return religion;
	if (!strcmp(canonical, "ethnic_category"))
		return ethnic;
	if (!strcmp(canonical, "sex"))
		return sex;
	if (!strcmp(canonical, "disability"))
		return disability;
	if (!strcmp(canonical, "shortlisted") || !strcmp(canonical, "appointed"))
		return yesno;
	if (!strcmp(canonical, "process"))
		return process;
	return none;
}
