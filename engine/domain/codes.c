/*
 * codes.c: NHS ethnic category, disability, sex, sexual orientation and
 * religion or belief code lists with the built-in label maps. Everything is matched on a normalised key so that
 * case, spacing, punctuation and dash style do not matter; near misses are
 * measured by edit distance.
 */
#include "parity/codes.h"

#include "parity/common.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

void parity_code_key(char *out, size_t size, const char *label)
{
	size_t used = 0;
	if (size == 0)
		return;
	for (const unsigned char *p = (const unsigned char *)label; *p; p++) {
		const char *piece = NULL;
		char one[2] = {0, 0};
		if (isalnum(*p) && *p < 0x80) {
			one[0] = (char)tolower(*p);
			piece = one;
		} else if (*p == '&') {
			piece = "and";
		} else {
			continue; /* spaces, dashes (ASCII or UTF-8), punctuation */
		}
		size_t len = strlen(piece);
		if (used + len + 1 > size)
			break;
		memcpy(out + used, piece, len);
		used += len;
	}
	out[used] = '\0';
}

unsigned parity_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 63 || lb > 63)
		return 64;
	unsigned row[64];
	for (size_t j = 0; j <= lb; j++)
		row[j] = (unsigned)j;
	for (size_t i = 1; i <= la; i++) {
		unsigned diag = row[0];
		row[0] = (unsigned)i;
		for (size_t j = 1; j <= lb; j++) {
			unsigned up = row[j];
			unsigned best = diag + (a[i - 1] == b[j - 1] ? 0u : 1u);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

struct label_map {
	const char *key;  /* normalised label */
	const char *code; /* canonical code */
};

/* National ethnic categories and their labels (NHS Data Dictionary). */
static const struct {
	const char *code;
	const char *label;
} ethnic_codes[] = {
	{"A", "White - British"},
	{"B", "White - Irish"},
	{"C", "White - Any other White background"},
	{"D", "Mixed - White and Black Caribbean"},
	{"E", "Mixed - White and Black African"},
	{"F", "Mixed - White and Asian"},
	{"G", "Mixed - Any other mixed background"},
	{"H", "Asian or Asian British - Indian"},
	{"J", "Asian or Asian British - Pakistani"},
	{"K", "Asian or Asian British - Bangladeshi"},
	{"L", "Asian or Asian British - Any other Asian background"},
	{"M", "Black or Black British - Caribbean"},
	{"N", "Black or Black British - African"},
	{"P", "Black or Black British - Any other Black background"},
	{"R", "Other - Chinese"},
	{"S", "Other - Any other ethnic group"},
	{"Z", "Not stated"},
	{"X", "Not known"},
};

/* Other spellings seen in extracts, as normalised keys. */
static const struct label_map ethnic_aliases[] = {
	{"british", "A"}, {"whitebritish", "A"}, {"whiteenglish", "A"},
	{"whitescottish", "A"}, {"whitewelsh", "A"},
	{"whiteenglishwelshscottishnorthernirishorbritish", "A"},
	{"englishwelshscottishnorthernirishorbritish", "A"},
	{"irish", "B"}, {"whiteirish", "B"},
	{"anyotherwhitebackground", "C"}, {"whiteother", "C"},
	{"otherwhite", "C"}, {"whiteanyother", "C"},
	{"whitegypsyoririshtraveller", "C"}, {"gypsyoririshtraveller", "C"},
	{"whiteunspecified", "C"},
	{"whiteandblackcaribbean", "D"}, {"mixedwhiteblackcaribbean", "D"},
	{"whiteandblackafrican", "E"}, {"mixedwhiteblackafrican", "E"},
	{"whiteandasian", "F"}, {"mixedwhiteasian", "F"},
	{"anyothermixedbackground", "G"}, {"mixedother", "G"},
	{"othermixed", "G"}, {"mixedanyother", "G"},
	{"anyothermixedormultipleethnicbackground", "G"},
	{"indian", "H"}, {"asianindian", "H"}, {"asianorasianbritishindian", "H"},
	{"pakistani", "J"}, {"asianpakistani", "J"},
	{"bangladeshi", "K"}, {"asianbangladeshi", "K"},
	{"anyotherasianbackground", "L"}, {"asianother", "L"},
	{"otherasian", "L"}, {"asiananyother", "L"},
	{"caribbean", "M"}, {"blackcaribbean", "M"},
	{"african", "N"}, {"blackafrican", "N"},
	{"anyotherblackbackground", "P"}, {"blackother", "P"},
	{"otherblack", "P"}, {"blackanyother", "P"},
	{"anyotherblackafricanorcaribbeanbackground", "P"},
	{"chinese", "R"}, {"otherchinese", "R"}, {"asianchinese", "R"},
	{"asianorasianbritishchinese", "R"},
	{"anyotherethnicgroup", "S"}, {"otherethnicgroup", "S"},
	{"other", "S"}, {"otheranyother", "S"}, {"arab", "S"},
	{"otherethnicgrouparab", "S"},
	{"notstated", "Z"}, {"notdeclared", "Z"}, {"prefernottosay", "Z"},
	{"notgiven", "Z"}, {"declined", "Z"}, {"unspecified", "Z"},
	{"notknown", "X"}, {"unknown", "X"}, {"99", "X"}, {"x", "X"},
	{"notrecorded", "X"},
};

static const char *find_alias(const struct label_map *map, size_t count,
                              const char *key)
{
	for (size_t i = 0; i < count; i++)
		if (strcmp(map[i].key, key) == 0)
			return map[i].code;
	return NULL;
}

static int is_national_ethnic_letter(char c)
{
	return c >= 'A' && c <= 'S' && c != 'I' && c != 'O' && c != 'Q';
}

static int put_code(char *out, size_t size, const char *code)
{
	if (size < strlen(code) + 1)
		return parity_error_set(PARITY_EINTERNAL, "code buffer too small");
	strcpy(out, code);
	return 0;
}

/* Skip leading and trailing blanks: returns the length of the trimmed span. */
static size_t trimmed(const char **value)
{
	const char *s = *value;
	while (*s == ' ' || *s == '\t')
		s++;
	size_t len = strlen(s);
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	*value = s;
	return len;
}

int parity_code_ethnic(char *out, size_t size, const char *value)
{
	const char *s = value;
	size_t len = trimmed(&s);
	char key[128];

	if (len == 0) /* a blank is "not stated", counted as data quality */
		return put_code(out, size, PARITY_CODE_NOT_STATED);

	/* A bare code: one letter, or a letter and a local sub-code letter or
	 * digit ("C2", "LH"), or 99. */
	if (len == 1 || len == 2) {
		char first = (char)toupper((unsigned char)s[0]);
		if (len == 2 && s[0] == '9' && s[1] == '9')
			return put_code(out, size, PARITY_CODE_NOT_KNOWN);
		if (len == 1 && first == 'Z')
			return put_code(out, size, PARITY_CODE_NOT_STATED);
		if (len == 1 && first == 'X')
			return put_code(out, size, PARITY_CODE_NOT_KNOWN);
		if (is_national_ethnic_letter(first) &&
		    (len == 1 || isalnum((unsigned char)s[1]))) {
			char code[2] = {first, '\0'};
			return put_code(out, size, code);
		}
		if (len == 2 && first == 'Z')
			return put_code(out, size, PARITY_CODE_NOT_STATED);
	}

	parity_code_key(key, sizeof key, s);
	for (size_t i = 0; i < sizeof ethnic_codes / sizeof ethnic_codes[0]; i++) {
		char label_key[128];
		parity_code_key(label_key, sizeof label_key, ethnic_codes[i].label);
		if (strcmp(key, label_key) == 0)
			return put_code(out, size, ethnic_codes[i].code);
	}
	const char *alias = find_alias(ethnic_aliases,
	                               sizeof ethnic_aliases / sizeof ethnic_aliases[0],
	                               key);
	if (alias)
		return put_code(out, size, alias);

	/* ESR style: a code, a space, then the label ("A White - British",
	 * "C2 White Northern Irish"). Trust the code when a label follows. */
	size_t code_len = strcspn(s, " \t");
	if ((code_len == 1 || code_len == 2) && code_len < len) {
		char first = (char)toupper((unsigned char)s[0]);
		if (code_len == 2 && s[0] == '9' && s[1] == '9')
			return put_code(out, size, PARITY_CODE_NOT_KNOWN);
		if (first == 'Z')
			return put_code(out, size, PARITY_CODE_NOT_STATED);
		if (is_national_ethnic_letter(first))
			return put_code(out, size, (char[2]){first, '\0'});
	}
	return parity_error_set(PARITY_EDATA, "unknown ethnic category \"%.*s\"",
	                        (int)(len > 80 ? 80 : len), s);
}

const char *parity_ethnic_label(const char *code)
{
	for (size_t i = 0; i < sizeof ethnic_codes / sizeof ethnic_codes[0]; i++)
		if (strcmp(ethnic_codes[i].code, code) == 0)
			return ethnic_codes[i].label;
	return NULL;
}

char parity_ethnic_group(const char *code)
{
	if (!code || !code[0] || code[1])
		return 'U';
	if (code[0] >= 'A' && code[0] <= 'C')
		return 'W';
	if (is_national_ethnic_letter(code[0]))
		return 'B';
	return 'U';
}

static const struct label_map disability_aliases[] = {
	{"y", "Y"}, {"yes", "Y"}, {"disabled", "Y"}, {"true", "Y"},
	{"yesdisabled", "Y"}, {"xx", "Y"}, {"disability", "Y"},
	{"n", "N"}, {"no", "N"}, {"nn", "N"}, {"notdisabled", "N"},
	{"nondisabled", "N"}, {"nodisability", "N"}, {"false", "N"},
	{"z", "Z"}, {"zz", "Z"}, {"notdeclared", "Z"}, {"notstated", "Z"},
	{"prefernottosay", "Z"}, {"unknown", "Z"}, {"notknown", "Z"},
	{"unspecified", "Z"}, {"undeclared", "Z"}, {"declined", "Z"},
	{"", "Z"},
};

int parity_code_disability(char *out, size_t size, const char *value)
{
	char key[64];
	parity_code_key(key, sizeof key, value);
	/* NHS disability codes 01-10 name kinds of disability. */
	if (strlen(key) == 2 && isdigit((unsigned char)key[0]) &&
	    isdigit((unsigned char)key[1])) {
		int kind = (key[0] - '0') * 10 + (key[1] - '0');
		if (kind >= 1 && kind <= 10)
			return put_code(out, size, "Y");
	}
	const char *alias = find_alias(disability_aliases,
	                               sizeof disability_aliases / sizeof disability_aliases[0],
	                               key);
	if (alias)
		return put_code(out, size, alias);
	return parity_error_set(PARITY_EDATA, "unknown disability value \"%.80s\"",
	                        value);
}

static const struct label_map sex_aliases[] = {
	{"m", "M"}, {"male", "M"}, {"man", "M"}, {"1", "M"},
	{"f", "F"}, {"female", "F"}, {"woman", "F"}, {"2", "F"},
	{"z", "Z"}, {"x", "Z"}, {"9", "Z"}, {"0", "Z"}, {"notstated", "Z"},
	{"notknown", "Z"}, {"unknown", "Z"}, {"prefernottosay", "Z"},
	{"indeterminate", "Z"}, {"notspecified", "Z"}, {"", "Z"},
};

int parity_code_sex(char *out, size_t size, const char *value)
{
	char key[64];
	parity_code_key(key, sizeof key, value);
	const char *alias = find_alias(sex_aliases,
	                               sizeof sex_aliases / sizeof sex_aliases[0], key);
	if (alias)
		return put_code(out, size, alias);
	return parity_error_set(PARITY_EDATA, "unknown sex value \"%.80s\"", value);
}

/* ---- sexual orientation and religion or belief ---------------------------- */

/* NHS Data Dictionary SEXUAL ORIENTATION CODE (2015): 1-4 and U are stated
 * answers ("U": asked, does not know or is not sure); Z, asked and declined,
 * is not stated; 9, never recorded, is not known. */
typedef struct code_label {
	const char *code;  /* canonical code */
	const char *label; /* its NHS Data Dictionary description */
} code_label;

static const code_label orientation_codes[] = {
	{"1", "Heterosexual or Straight"},
	{"2", "Gay or Lesbian"},
	{"3", "Bisexual"},
	{"4", "Other sexual orientation not listed"},
	{"U", "Does not know or is not sure"},
	{"Z", "Not stated"},
	{"X", "Not known"},
};

static const struct label_map orientation_aliases[] = {
	{"1", "1"}, {"heterosexual", "1"}, {"straight", "1"},
	{"straightorheterosexual", "1"}, {"heterosexualstraight", "1"},
	{"straightheterosexual", "1"},
	{"2", "2"}, {"gay", "2"}, {"lesbian", "2"}, {"gaylesbian", "2"},
	{"lesbianorgay", "2"}, {"lesbiangay", "2"}, {"gayman", "2"},
	{"gaywoman", "2"}, {"gaywomanlesbian", "2"}, {"homosexual", "2"},
	{"3", "3"}, {"bisexual", "3"}, {"bi", "3"},
	{"4", "4"}, {"other", "4"}, {"othersexualorientation", "4"},
	{"othersexualorientationnotlisted", "4"}, {"pansexual", "4"},
	{"asexual", "4"}, {"queer", "4"},
	{"u", "U"}, {"undecided", "U"}, {"notsure", "U"}, {"unsure", "U"},
	{"dontknow", "U"}, {"doesnotknow", "U"}, {"questioning", "U"},
	{"personaskedanddoesnotknoworisnotsure", "U"},
	{"z", "Z"}, {"notstated", "Z"}, {"notdeclared", "Z"}, {"declined", "Z"},
	{"prefernottosay", "Z"}, {"notdisclosed", "Z"}, {"",  "Z"},
	{"idonotwishtodisclosemysexualorientation", "Z"},
	{"notstatedpersonaskedbutdeclinedtoprovidearesponse", "Z"},
	{"9", "X"}, {"x", "X"}, {"notknown", "X"}, {"unknown", "X"},
	{"notrecorded", "X"}, {"notknownnotrecorded", "X"},
};

/* NHS Data Dictionary RELIGIOUS OR OTHER BELIEF SYSTEM AFFILIATION GROUP
 * CODE: A-L are stated; M (declines to disclose) is not stated and N
 * (religion unknown) not known. */
static const code_label religion_codes[] = {
	{"A", "Baha'i"}, {"B", "Buddhist"}, {"C", "Christian"}, {"D", "Hindu"},
	{"E", "Jain"}, {"F", "Jewish"}, {"G", "Muslim"}, {"H", "Pagan"},
	{"I", "Sikh"}, {"J", "Zoroastrian"}, {"K", "Other"}, {"L", "None"},
	{"Z", "Not stated"}, {"X", "Not known"},
};

/* ESR's Religious Belief values and other usual spellings. */
static const struct label_map religion_aliases[] = {
	{"bahai", "A"}, {"bahaifaith", "A"},
	{"buddhism", "B"}, {"buddhist", "B"},
	{"christian", "C"}, {"christianity", "C"}, {"churchofengland", "C"},
	{"anglican", "C"}, {"catholic", "C"}, {"romancatholic", "C"},
	{"methodist", "C"}, {"baptist", "C"}, {"protestant", "C"},
	{"churchofscotland", "C"}, {"orthodoxchristian", "C"},
	{"pentecostal", "C"}, {"christianallchristiandenominations", "C"},
	{"hindu", "D"}, {"hinduism", "D"},
	{"jain", "E"}, {"jainism", "E"},
	{"jewish", "F"}, {"judaism", "F"},
	{"muslim", "G"}, {"islam", "G"},
	{"pagan", "H"}, {"paganism", "H"},
	{"sikh", "I"}, {"sikhism", "I"},
	{"zoroastrian", "J"}, {"zoroastrianism", "J"},
	{"other", "K"}, {"otherreligion", "K"}, {"anyotherreligion", "K"},
	{"otherreligionorbelief", "K"},
	{"none", "L"}, {"noreligion", "L"}, {"noreligionorbelief", "L"},
	{"atheism", "L"}, {"atheist", "L"}, {"noreligionatheist", "L"},
	{"z", "Z"}, {"m", "Z"}, {"notstated", "Z"}, {"notdeclared", "Z"},
	{"declinestodisclose", "Z"}, {"declined", "Z"}, {"prefernottosay", "Z"},
	{"idonotwishtodisclosemyreligionbelief", "Z"},
	{"idonotwishtodisclosemyreligion", "Z"}, {"", "Z"},
	{"x", "X"}, {"n", "X"}, {"notknown", "X"}, {"unknown", "X"},
	{"notrecorded", "X"}, {"patientreligionunknown", "X"},
	{"religionunknown", "X"},
};

/* Code the key of a value from a code list: its codes' labels, then the
 * aliases. Returns 0 with `out` filled, or 1 (no error set) when nothing
 * matches. */
static int code_from_list(char *out, size_t size, const char *key,
                          const code_label *list, size_t count,
                          const struct label_map *aliases, size_t alias_count)
{
	char label_key[128];
	for (size_t i = 0; i < count; i++) {
		parity_code_key(label_key, sizeof label_key, list[i].label);
		if (!strcmp(key, label_key))
			return put_code(out, size, list[i].code);
	}
	const char *alias = find_alias(aliases, alias_count, key);
	return alias ? put_code(out, size, alias) : 1;
}

/* The label of `code` in a code list, or NULL. */
static const char *label_of(const code_label *list, size_t count, const char *code)
{
	for (size_t i = 0; i < count; i++)
		if (code && !strcmp(list[i].code, code))
			return list[i].label;
	return NULL;
}

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

int parity_code_sexual_orientation(char *out, size_t size, const char *value)
{
	char key[128];
	parity_code_key(key, sizeof key, value);
	int rc = code_from_list(out, size, key, orientation_codes,
	                        COUNT_OF(orientation_codes), orientation_aliases,
	                        COUNT_OF(orientation_aliases));
	if (rc <= 0)
		return rc;
	return parity_error_set(PARITY_EDATA, "unknown sexual orientation \"%.80s\"",
	                        value);
}

const char *parity_sexual_orientation_label(const char *code)
{
	return label_of(orientation_codes, COUNT_OF(orientation_codes), code);
}

int parity_code_religion(char *out, size_t size, const char *value)
{
	char key[128];
	parity_code_key(key, sizeof key, value);
	/* A group code itself (A-L; M and N, as not stated and not known, are
	 * aliases). */
	if (key[0] >= 'a' && key[0] <= 'l' && !key[1])
		return put_code(out, size, (char[2]){(char)toupper((unsigned char)key[0]), '\0'});
	/* The four-character affiliation codes of the Baha'i, Buddhist and
	 * Christian families (A1, B1-B8, C1-C...) roll up to their group. */
	if ((key[0] == 'a' || key[0] == 'b' || key[0] == 'c') && key[1] &&
	    strspn(key + 1, "0123456789") == strlen(key + 1) && strlen(key) <= 4)
		return put_code(out, size, (char[2]){(char)toupper((unsigned char)key[0]), '\0'});
	int rc = code_from_list(out, size, key, religion_codes, COUNT_OF(religion_codes),
	                        religion_aliases, COUNT_OF(religion_aliases));
	if (rc <= 0)
		return rc;
	return parity_error_set(PARITY_EDATA, "unknown religion or belief \"%.80s\"",
	                        value);
}

const char *parity_religion_label(const char *code)
{
	return label_of(religion_codes, COUNT_OF(religion_codes), code);
}

/* ---- disciplinary stages (Archibong and Darr 2010) ------------------------ */

/* The outcomes of a formal case, least to most severe. */
static const code_label case_outcomes[] = {
	{"no_case_to_answer", "No case to answer"},
	{"informal", "Informal action"},
	{"first_written", "First written warning"},
	{"final_written", "Final written warning"},
	{"dismissal", "Dismissal"},
};

static const struct label_map case_outcome_aliases[] = {
	{"nocasetoanswer", "no_case_to_answer"}, {"nca", "no_case_to_answer"},
	{"noaction", "no_case_to_answer"}, {"nofurtheraction", "no_case_to_answer"},
	{"nfa", "no_case_to_answer"}, {"casenotproven", "no_case_to_answer"},
	{"allegationnotupheld", "no_case_to_answer"}, {"notupheld", "no_case_to_answer"},
	{"informal", "informal"}, {"informalwarning", "informal"},
	{"informalresolution", "informal"}, {"managementadvice", "informal"},
	{"verbalwarning", "informal"}, {"firstwritten", "first_written"},
	{"writtenwarning", "first_written"}, {"firstwrittenwarning", "first_written"},
	{"formalwarning", "first_written"}, {"finalwritten", "final_written"},
	{"finalwrittenwarning", "final_written"}, {"finalwarning", "final_written"},
	{"dismissal", "dismissal"}, {"dismissed", "dismissal"},
	{"summarydismissal", "dismissal"}, {"grossmisconductdismissal", "dismissal"},
};

/* The stages a case can reach, in order: each is worse than the one
 * before (an informal outcome without a hearing ranks below a hearing). */
static const code_label case_stages[] = {
	{"entered", "Entered the formal process"},
	{"investigation", "Investigated"},
	{"informal", "Informal action or worse"},
	{"hearing", "Went to a hearing"},
	{"first_written", "First written warning or worse"},
	{"final_written", "Final written warning or worse"},
	{"dismissal", "Dismissed"},
};

int parity_code_case_outcome(char *out, size_t size, const char *value)
{
	char key[128];
	parity_code_key(key, sizeof key, value);
	int rc = code_from_list(out, size, key, case_outcomes, COUNT_OF(case_outcomes),
	                        case_outcome_aliases, COUNT_OF(case_outcome_aliases));
	if (rc <= 0)
		return rc;
	return parity_error_set(PARITY_EDATA, "unknown case outcome \"%.80s\"", value);
}

int parity_case_stage_rank(const char *stage)
{
	for (size_t i = 0; i < COUNT_OF(case_stages); i++)
		if (stage && !strcmp(case_stages[i].code, stage))
			return (int)i;
	return -1;
}

const char *parity_case_stage_at(int rank)
{
	return rank >= 0 && (size_t)rank < COUNT_OF(case_stages) ? case_stages[rank].code
	                                                           : NULL;
}

const char *parity_case_stage_label(const char *stage)
{
	return label_of(case_stages, COUNT_OF(case_stages), stage);
}

const char *parity_case_stage(int investigated, int hearing, const char *outcome)
{
	int rank = 0;
	if (investigated)
		rank = 1;
	if (outcome && !strcmp(outcome, "no_case_to_answer") && rank < 1)
		rank = 1; /* an allegation was looked into */
	if (outcome && parity_case_stage_rank(outcome) > rank)
		rank = parity_case_stage_rank(outcome);
	if (hearing && rank < 3)
		rank = 3;
	return case_stages[rank].code;
}

int parity_code_yesno(int *out, const char *value)
{
	char key[16];
	parity_code_key(key, sizeof key, value);
	if (!strcmp(key, "y") || !strcmp(key, "yes") || !strcmp(key, "true") ||
	    !strcmp(key, "1")) {
		*out = 1;
		return 0;
	}
	if (!strcmp(key, "n") || !strcmp(key, "no") || !strcmp(key, "false") ||
	    !strcmp(key, "0")) {
		*out = 0;
		return 0;
	}
	return parity_error_set(PARITY_EDATA, "expected Y or N, found \"%.40s\"",
	                        value);
}

/* ---- job attributes: pay band, staff group, age band ---------------------- */

/* Words ESR, NHS Jobs and local reports put in front of a band number
 * ("AfC Band 8a", "Agenda for Change Band 6", "Review Body Band 5"). */
static const char *const band_prefixes[] = {
	"agendaforchange", "afc", "reviewbody", "nhs", "pay", "band", "grade",
};

static const struct label_map pay_band_aliases[] = {
	{"vsm", "VSM"}, {"veryseniormanager", "VSM"}, {"veryseniormanagers", "VSM"},
	{"medical", "Medical"}, {"medicalanddental", "Medical"},
	{"medicaldental", "Medical"}, {"medicalanddentalgrades", "Medical"},
	{"medicalgrades", "Medical"}, {"medicalanddentalstaff", "Medical"},
	{"nonafc", "Non-AfC"}, {"nonafcgrade", "Non-AfC"}, {"nonafcgrades", "Non-AfC"},
	{"nonagendaforchange", "Non-AfC"}, {"otherpayscale", "Non-AfC"},
};

int parity_code_pay_band(char *out, size_t size, const char *value)
{
	char key[128];
	parity_code_key(key, sizeof key, value);
	const char *alias = find_alias(pay_band_aliases,
	                               sizeof pay_band_aliases / sizeof pay_band_aliases[0],
	                               key);
	if (alias)
		return put_code(out, size, alias);
	const char *rest = key;
	for (int stripped = 1; stripped;) {
		stripped = 0;
		for (size_t i = 0; i < sizeof band_prefixes / sizeof band_prefixes[0]; i++) {
			size_t len = strlen(band_prefixes[i]);
			if (!strncmp(rest, band_prefixes[i], len) && rest[len]) {
				rest += len;
				stripped = 1;
			}
		}
	}
	alias = find_alias(pay_band_aliases,
	                   sizeof pay_band_aliases / sizeof pay_band_aliases[0], rest);
	if (alias)
		return put_code(out, size, alias);
	/* Bands 1-9; band 8 has ranges a-d ("8a", "8 - Range A", "8A"). */
	if (rest[0] >= '1' && rest[0] <= '9' && !rest[1])
		return put_code(out, size, (char[2]){rest[0], '\0'});
	if (rest[0] == '8') {
		const char *range = rest + 1;
		if (!strncmp(range, "range", 5))
			range += 5;
		if (range[0] >= 'a' && range[0] <= 'd' && !range[1])
			return put_code(out, size, (char[3]){'8', range[0], '\0'});
	}
	/* ESR's medical pay scales name the grade, not a band. */
	if (!parity_code_medical_grade(NULL, 0, value))
		return put_code(out, size, "Medical");
	return parity_error_set(PARITY_EDATA, "not a known pay band");
}

/* NHS staff groups (ESR's names, then its 30-character truncations and the
 * shorter spellings seen in local reports), as normalised keys. */
static const struct label_map staff_group_aliases[] = {
	{"additionalprofessionalscientificandtechnical",
	 "Additional Professional Scientific and Technical"},
	{"addprofscientificandtechnic", "Additional Professional Scientific and Technical"},
	{"addprofscientificandtechnical", "Additional Professional Scientific and Technical"},
	{"additionalprofscientificandtechnical",
	 "Additional Professional Scientific and Technical"},
	{"apst", "Additional Professional Scientific and Technical"},
	{"additionalclinicalservices", "Additional Clinical Services"},
	{"addclinicalservices", "Additional Clinical Services"},
	{"administrativeandclerical", "Administrative and Clerical"},
	{"adminandclerical", "Administrative and Clerical"},
	{"administrationandclerical", "Administrative and Clerical"},
	{"alliedhealthprofessionals", "Allied Health Professionals"},
	{"alliedhealthprofessional", "Allied Health Professionals"},
	{"ahp", "Allied Health Professionals"}, {"ahps", "Allied Health Professionals"},
	{"estatesandancillary", "Estates and Ancillary"},
	{"healthcarescientists", "Healthcare Scientists"},
	{"healthcarescientist", "Healthcare Scientists"},
	{"medicalanddental", "Medical and Dental"}, {"medicaldental", "Medical and Dental"},
	{"nursingandmidwiferyregistered", "Nursing and Midwifery Registered"},
	{"nursingmidwiferyregistered", "Nursing and Midwifery Registered"},
	{"registerednursingandmidwifery", "Nursing and Midwifery Registered"},
	{"students", "Students"}, {"student", "Students"},
};

int parity_code_staff_group(char *out, size_t size, const char *value)
{
	char key[128];
	parity_code_key(key, sizeof key, value);
	/* ESR writes the group's code in front of some exports ("010 Medical"). */
	const char *rest = key;
	while (*rest >= '0' && *rest <= '9')
		rest++;
	const char *alias = find_alias(staff_group_aliases,
	                               sizeof staff_group_aliases /
	                                       sizeof staff_group_aliases[0], rest);
	if (alias)
		return put_code(out, size, alias);
	return parity_error_set(PARITY_EDATA, "not a known staff group");
}

/* A whole number of years from *p (1-3 digits, at most 120), advancing *p;
 * -1 when there is none. */
static int read_age(const char **p)
{
	int age = 0, digits = 0;
	while (isdigit((unsigned char)**p) && digits < 4) {
		age = age * 10 + (**p - '0');
		(*p)++;
		digits++;
	}
	return digits == 0 || digits > 3 || age > 120 ? -1 : age;
}

int parity_code_age_band(char *out, size_t size, const char *value)
{
	char text[64];
	size_t used = 0;
	/* Lower case without blanks; an en or em dash is a hyphen. */
	for (const unsigned char *p = (const unsigned char *)value; *p; p++) {
		char c;
		if (*p == 0xe2 && p[1] == 0x80 && (p[2] == 0x93 || p[2] == 0x94)) {
			c = '-';
			p += 2;
		} else if (*p == ' ' || *p == '\t') {
			continue;
		} else {
			c = (char)tolower(*p);
		}
		if (used + 1 >= sizeof text)
			return parity_error_set(PARITY_EDATA, "not a known age band");
		text[used++] = c;
	}
	text[used] = '\0';
	static const char *const tails[] = {"years", "year", "yrs", "yr"};
	for (size_t i = 0; i < sizeof tails / sizeof tails[0]; i++) {
		size_t len = strlen(tails[i]);
		if (used > len && !strcmp(text + used - len, tails[i])) {
			used -= len;
			text[used] = '\0';
			break;
		}
	}
	const char *p = text;
	if (!strncmp(p, "aged", 4))
		p += 4;
	char band[32];
	int low, high;
	if (!strncmp(p, "<=", 2) || !strncmp(p, "upto", 4) || !strncmp(p, "under", 5)) {
		int below = p[0] == 'u' && p[1] == 'n'; /* "under 21": 20 and under */
		p += p[0] == '<' ? 2 : p[0] == 'u' && p[1] == 'p' ? 4 : 5;
		if ((high = read_age(&p)) < (below ? 1 : 0) || *p)
			return parity_error_set(PARITY_EDATA, "not a known age band");
		snprintf(band, sizeof band, "<=%d", below ? high - 1 : high);
	} else if (!strncmp(p, ">=", 2)) {
		p += 2;
		if ((low = read_age(&p)) < 0 || *p)
			return parity_error_set(PARITY_EDATA, "not a known age band");
		snprintf(band, sizeof band, "%d+", low);
	} else {
		if ((low = read_age(&p)) < 0)
			return parity_error_set(PARITY_EDATA, "not a known age band");
		if (!strcmp(p, "+") || !strcmp(p, "andover") || !strcmp(p, "orover") ||
		    !strcmp(p, "plus") || !strcmp(p, "andabove")) {
			snprintf(band, sizeof band, "%d+", low);
		} else if (*p == '-' || !strncmp(p, "to", 2)) {
			p += *p == '-' ? 1 : 2;
			if ((high = read_age(&p)) < 0 || *p || high <= low)
				return parity_error_set(PARITY_EDATA, "not a known age band");
			snprintf(band, sizeof band, "%d-%d", low, high);
		} else {
			return parity_error_set(PARITY_EDATA, "not a known age band");
		}
	}
	return put_code(out, size, band);
}
