/*
 * generate.c: the synthetic sample-data generator. Writes anonymised
 * recruitment, workforce, disciplinary, training and cohort extracts whose
 * true ratios are planted (sample-data/README.md tables them), the same bytes
 * for the same seed; and streams large recruitment files for benchmarks.
 */
#define _POSIX_C_SOURCE 200809L
/* Keep a*b+c unfused so every platform draws the same thresholds (GCC's
 * ISO C mode already does this and would warn about the pragma). */
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#endif

#include <assert.h>
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

/*
 * The generator stands alone (it links only libm), so instead of the
 * library's error model its functions return 0 or a sysexits.h status and
 * print their own message: 64 usage, 71 out of memory, 73 cannot create an
 * output file, 74 write failure.
 */
#define PROG "parity-sample-gen"
#define DEFAULT_SEED 1u
#define YEARS 5             /* financial years 2021/22 .. 2025/26 */
#define FIRST_YEAR 2021     /* the first financial year starts 1 April of this */
#define ORGS 6

/* ---- code lists ---------------------------------------------------------- */

enum { WHITE, BME, UNKNOWN };                  /* ethnic groups */
enum { DIS_YES, DIS_NO, DIS_NOT_DECLARED };   /* disability */
enum { PERMANENT, FIXED_TERM, BANK };          /* contract */

#define ETHNIC_CODES 18
static const char *const ethnic_code[ETHNIC_CODES] = {
	"A", "B", "C", "D", "E", "F", "G", "H", "J", "K", "L", "M", "N", "P",
	"R", "S", "Z", "99"};
/* Shares in England's NHS workforce, roughly (WRES 2023: about a quarter
 * BME). A takes whatever the others leave; BME shares (D..S) are multiplied
 * by an organisation's diversity. */
static const double ethnic_share[ETHNIC_CODES] = {
	0, 0.015, 0.075, 0.005, 0.004, 0.005, 0.006, 0.065, 0.016, 0.006,
	0.040, 0.018, 0.060, 0.006, 0.006, 0.017, 0.040, 0.005};

static int ethnic_group(unsigned code)
{
	return code < 3 ? WHITE : code < 16 ? BME : UNKNOWN;
}

static const char *const sex_code[2] = {"F", "M"};
static const char *const disability_code[3] = {"Y", "N", "Z"};
static const char *const contract_name[3] = {"Permanent", "Fixed term", "Bank"};

#define AGE_BANDS 6
static const char *const age_band[AGE_BANDS] = {
	"16-24", "25-34", "35-44", "45-54", "55-64", "65+"};
static const int age_low[AGE_BANDS] = {16, 25, 35, 45, 55, 65};
static const int age_width[AGE_BANDS] = {9, 10, 10, 10, 10, 3};
static const double staff_age[AGE_BANDS] = {0.07, 0.24, 0.25, 0.24, 0.17, 0.03};
static const double applicant_age[AGE_BANDS] = {0.18, 0.35, 0.22, 0.15, 0.09, 0.01};

#define PAY_BANDS 13
#define BAND_MEDICAL 12
static const char *const pay_band[PAY_BANDS] = {
	"2", "3", "4", "5", "6", "7", "8a", "8b", "8c", "8d", "9", "VSM", "Medical"};
/* BME staff are under-represented from band 7 up (the pattern WRES shows). */
static const double bme_band_factor[PAY_BANDS] = {
	1.0, 1.0, 1.0, 1.15, 0.95, 0.75, 0.6, 0.5, 0.45, 0.4, 0.35, 0.3, 1.0};

#define STAFF_GROUPS 7
#define GROUP_MEDICAL 2
static const char *const staff_group[STAFF_GROUPS] = {
	"Nursing and Midwifery Registered", "Allied Health Professionals",
	"Medical and Dental", "Administrative and Clerical",
	"Estates and Ancillary", "Additional Clinical Services",
	"Healthcare Scientists"};
static const double group_share[STAFF_GROUPS] = {
	0.27, 0.08, 0.10, 0.24, 0.07, 0.21, 0.03};
static const double bme_group_factor[STAFF_GROUPS] = {
	1.3, 0.8, 1.6, 0.6, 0.9, 1.0, 1.0};
static const double female_share[STAFF_GROUPS] = {
	0.89, 0.84, 0.50, 0.82, 0.45, 0.83, 0.70};
/* Pay band given staff group (weights; Medical and Dental is all "Medical"). */
static const double band_share[STAFF_GROUPS][PAY_BANDS] = {
	{0, 0, 0, 40, 30, 18, 8, 3, 1, 0, 0, 0, 0},
	{0, 0, 0, 20, 35, 30, 10, 4, 1, 0, 0, 0, 0},
	{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1},
	{10, 30, 25, 12, 8, 6, 4, 2, 1.3, 0.8, 0.5, 0.4, 0},
	{55, 25, 10, 5, 3, 1.5, 0.5, 0, 0, 0, 0, 0, 0},
	{15, 55, 25, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0},
	{0, 5, 10, 15, 25, 25, 12, 6, 2, 0, 0, 0, 0}};

/* ---- the planted model (sample-data/README.md documents every number) ---- */

struct org {
	const char *code;
	double diversity;        /* BME shares relative to England's workforce */
	unsigned headcount;      /* staff at the 2022-03-31 snapshot, scale 1 */
	unsigned applications;   /* applications per financial year, scale 1 */
	double bme_appointed;    /* p2: P(appointed | BME, shortlisted) */
	double wres2[YEARS];     /* White vs BME appointed / shortlisted */
	double wres3[YEARS];     /* BME vs White entering disciplinary / headcount */
	double wres4;            /* White vs BME training / headcount */
	double wdes2;            /* Non-disabled vs Disabled appointed / shortlisted */
	double wdes3;            /* Disabled vs Non-disabled capability (performance) */
};

static const struct org orgs[ORGS] = {
	{"R0A", 1.8, 2000, 2900, 0.25, {1.80, 1.80, 1.80, 1.10, 1.10},
	 {1.60, 1.60, 1.60, 1.10, 1.10}, 1.15, 1.20, 1.8},
	{"R0B", 1.6, 1700, 2700, 0.26, {1.70, 1.70, 1.70, 1.10, 1.10},
	 {1.50, 1.50, 1.50, 1.10, 1.10}, 1.12, 1.15, 1.6},
	{"R0C", 0.5, 1100, 1200, 0.30, {1.30, 1.30, 1.30, 1.30, 1.30},
	 {1.20, 1.20, 1.20, 1.20, 1.20}, 1.05, 1.25, 2.0},
	{"R0D", 1.0, 1300, 1400, 0.28, {1.50, 1.52, 1.54, 1.56, 1.58},
	 {1.40, 1.40, 1.40, 1.40, 1.40}, 1.10, 1.10, 1.5},
	{"R0E", 0.7, 900, 1000, 0.24, {2.00, 1.97, 1.94, 1.91, 1.88},
	 {1.60, 1.60, 1.60, 1.60, 1.60}, 1.18, 1.30, 1.7},
	{"R0F", 1.2, 1200, 1300, 0.27, {1.60, 1.60, 1.60, 1.60, 1.60},
	 {1.30, 1.30, 1.30, 1.30, 1.30}, 1.08, 1.20, 1.9},
};

#define APPLICANT_DIVERSITY 1.3  /* applicants are more diverse than staff */
static const double shortlist_rate[3] = {0.42, 0.32, 0.36}; /* by ethnic group */
static const double applicant_disability[3] = {0.05, 0.83, 0.12};
static const double staff_disability[3] = {0.035, 0.765, 0.20};
static const double contract_share[3] = {0.86, 0.06, 0.08};
#define DISCIPLINARY_WHITE 0.010   /* P(entering disciplinary) per year, White */
#define CAPABILITY_NONDISABLED 0.008 /* P(capability, performance), Non-disabled */
#define CAPABILITY_ILL_HEALTH 0.003  /* P(capability, ill health), not disabled */
#define ILL_HEALTH_DISABLED 2.5      /* ... times this for disabled staff */
#define TRAINING_WHITE 0.45          /* P(non-mandatory training) per year, White */
#define TURNOVER 0.10                /* leavers per year */
#define GROWTH 1.02                  /* headcount growth per year */
#define RETIRE_AGE 68

#define COHORT_ROW "RMC1,Reciprocal mentoring cohort 1,R0A;R0B,2023-04-01,2024-03-31,30"

/* The staggered roll-out (programme.csv): each organisation's first cohort
 * starts in the financial year of join_year (an index, -1: never joins);
 * from that year on its WRES 4 ratio is ROLLOUT_EFFECT times its own. R0A
 * joins in 2022/23 and runs a second cohort in 2024/25. */
#define ROLLOUT_EFFECT 0.75
static const int join_year[ORGS] = {1, 3, 2, 2, 3, -1};
static const char *const programme_rows[] = {
	"RM22,Reciprocal mentoring 2022,R0A,2022-10-01,2023-09-30,12",
	"RM23,Reciprocal mentoring 2023,R0C;R0D,2023-06-01,2024-05-31,25",
	"RM24,Reciprocal mentoring 2024,R0B;R0E;R0A,2024-04-01,2025-03-31,",
};
/* ---- deterministic random numbers: xoshiro256** seeded by splitmix64 ----- */

typedef struct rng {
	uint64_t s[4];
} rng;

static uint64_t splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15u);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

/* One independent stream per (seed, purpose, organisation, year): changing
 * how much one file draws never shifts another file's numbers. */
static void rng_seed(rng *r, uint64_t seed, uint64_t purpose, uint64_t a,
                     uint64_t b)
{
	uint64_t x = seed;
	x = splitmix(&x) ^ purpose;
	x = splitmix(&x) ^ a;
	x = splitmix(&x) ^ b;
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix(&x);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t rng_next(rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

/* Uniform on [0, 1) with 53 random bits. */
static double rng_unit(rng *r)
{
	return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

/* Uniform integer on [0, n), by multiply-shift (Lemire, bias < n / 2^32). */
static unsigned rng_below(rng *r, unsigned n)
{
	return (unsigned)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

static int chance(rng *r, double p)
{
	return rng_unit(r) < p;
}

/* Index drawn with probability proportional to weight[i]. */
static unsigned pick(rng *r, const double *weight, unsigned count)
{
	double total = 0;
	for (unsigned i = 0; i < count; i++)
		total += weight[i];
	double u = rng_unit(r) * total;
	for (unsigned i = 0; i + 1 < count; i++) {
		if (u < weight[i] && weight[i] > 0)
			return i;
		u -= weight[i];
	}
	return count - 1;
}

/* ---- dates: days since 1970-01-01 (Hinnant's civil calendar algorithms) -- */

static int days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int era = y / 400; /* years here are positive */
	int yoe = y - era * 400;
	int doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int z, int *y, int *m, int *d)
{
	z += 719468;
	int era = z / 146097;
	int doe = z - era * 146097;
	int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

/* First day of financial year `year` (0 = 2021/22) and its length. */
static int year_start(unsigned year)
{
	return days_from_civil(FIRST_YEAR + (int)year, 4, 1);
}

static unsigned year_days(unsigned year)
{
	return (unsigned)(year_start(year + 1) - year_start(year));
}

/* ---- output lines and files ---------------------------------------------- */

struct line {
	char text[256];  /* the row being built, without its newline */
	size_t len;      /* bytes used */
};

static void put(struct line *l, const char *s)
{
	size_t n = strlen(s);
	assert(l->len + n + 2 < sizeof l->text);
	if (l->len)
		l->text[l->len++] = ',';
	memcpy(l->text + l->len, s, n);
	l->len += n;
}

/* Append prefix and value zero-padded to at least `width` digits. */
static void put_id(struct line *l, const char *prefix, uint64_t value, int width)
{
	char digits[32], text[48];
	int n = 0;
	do {
		digits[n++] = (char)('0' + value % 10);
		value /= 10;
	} while (value);
	while (n < width)
		digits[n++] = '0';
	size_t len = strlen(prefix);
	memcpy(text, prefix, len);
	while (n)
		text[len++] = digits[--n];
	text[len] = '\0';
	put(l, text);
}

static void put_date(struct line *l, int day)
{
	int y, m, d;
	civil_from_days(day, &y, &m, &d);
	char text[11] = {(char)('0' + y / 1000), (char)('0' + y / 100 % 10),
	                 (char)('0' + y / 10 % 10), (char)('0' + y % 10), '-',
	                 (char)('0' + m / 10), (char)('0' + m % 10), '-',
	                 (char)('0' + d / 10), (char)('0' + d % 10), '\0'};
	put(l, text);
}

/* Write the line and its newline; write errors surface at out_close. */
static void emit(struct line *l, FILE *fp)
{
	l->text[l->len++] = '\n';
	fwrite(l->text, 1, l->len, fp);
	l->len = 0;
}

struct out {
	FILE *fp;            /* open on `temp` while writing */
	char path[4096];     /* where the finished file goes */
	char temp[4112];     /* written first, renamed into place at the end */
};

/* Create the temporary file for `path` (or dir/name). Returns 0 or 73. */
static int out_open(struct out *o, const char *dir, const char *name)
{
	int n = dir ? snprintf(o->path, sizeof o->path, "%s/%s", dir, name)
	            : snprintf(o->path, sizeof o->path, "%s", name);
	if (n < 0 || (size_t)n >= sizeof o->path) {
		fprintf(stderr, PROG ": output path too long: '%s'\n", dir ? dir : name);
		return EX_CANTCREAT;
	}
	snprintf(o->temp, sizeof o->temp, "%s.tmp", o->path);
	o->fp = fopen(o->temp, "wb");
	if (!o->fp) {
		fprintf(stderr, PROG ": cannot create '%s': %s\n", o->temp,
		        strerror(errno));
		return EX_CANTCREAT;
	}
	setvbuf(o->fp, NULL, _IOFBF, 1 << 16);
	return 0;
}

/* Flush and close; returns 0 or 74 naming the file. */
static int out_close(struct out *o)
{
	int failed = ferror(o->fp);
	int saved = errno;
	if (fclose(o->fp) != 0 && !failed) {
		failed = 1;
		saved = errno;
	}
	o->fp = NULL;
	if (failed) {
		fprintf(stderr, PROG ": cannot write '%s': %s\n", o->temp,
		        strerror(saved));
		return EX_IOERR;
	}
	return 0;
}

/* Close (if open) and remove the temporary file of an abandoned output. */
static void out_discard(struct out *o)
{
	if (o->fp)
		fclose(o->fp);
	o->fp = NULL;
	if (o->temp[0])
		remove(o->temp);
}

static int out_commit(struct out *o)
{
	if (rename(o->temp, o->path) != 0) {
		fprintf(stderr, PROG ": cannot rename '%s' to '%s': %s\n", o->temp,
		        o->path, strerror(errno));
		return EX_IOERR;
	}
	o->temp[0] = '\0';
	return 0;
}

/* ---- drawing people and applications ------------------------------------- */

/* Ethnic category weights for a population `diversity` times England's BME
 * share; White British takes the remainder. */
static void ethnic_weights(double weight[ETHNIC_CODES], double diversity)
{
	double rest = 0;
	for (unsigned i = 1; i < ETHNIC_CODES; i++) {
		weight[i] = ethnic_share[i] * (ethnic_group(i) == BME ? diversity : 1.0);
		rest += weight[i];
	}
	assert(rest < 0.9);
	weight[0] = 1.0 - rest;
}

struct person {
	uint32_t id;          /* the number in STF-nnnnnn */
	int born;             /* age on 31 March of year Y is Y - born */
	int joined;           /* day joined (before the first year for starters) */
	unsigned char ethnic, sex, disability, group, band, contract;
};

/* Staff group, pay band and sex: BME staff lean to nursing and medicine and
 * away from the upper bands. */
static void draw_job(rng *r, int group_of_ethnic, unsigned char *group,
                     unsigned char *band, unsigned char *sex)
{
	double w[PAY_BANDS];
	for (unsigned i = 0; i < STAFF_GROUPS; i++)
		w[i] = group_share[i] * (group_of_ethnic == BME ? bme_group_factor[i] : 1.0);
	*group = (unsigned char)pick(r, w, STAFF_GROUPS);
	for (unsigned i = 0; i < PAY_BANDS; i++)
		w[i] = band_share[*group][i] * (group_of_ethnic == BME ? bme_band_factor[i] : 1.0);
	*band = (unsigned char)pick(r, w, PAY_BANDS);
	*sex = chance(r, female_share[*group]) ? 0 : 1;
}

static int draw_age(rng *r, const double *weight)
{
	unsigned b = pick(r, weight, AGE_BANDS);
	return age_low[b] + (int)rng_below(r, (unsigned)age_width[b]);
}

static unsigned age_band_of(int age)
{
	unsigned b = 0;
	while (b + 1 < AGE_BANDS && age >= age_low[b + 1])
		b++;
	return b;
}

struct application {
	unsigned ethnic, sex, disability, age_band, band, group;
	int shortlisted, appointed;
};

/*
 * P(appointed | shortlisted, ethnic group, disability) for an organisation
 * and year. Multiplicative in the two, with disability independent of
 * ethnicity among the shortlisted, so the true White/BME ratio is wres2 and
 * the Non-disabled/Disabled ratio is wdes2, exactly: p2 is P(appointed |
 * BME), and the disability factors average to 1 over the applicants.
 */
static double appoint_probability(const struct org *o, unsigned year,
                                  int group, unsigned disability)
{
	double ratio = o->wres2[year];
	double by_ethnic = group == WHITE ? ratio : group == BME ? 1.0 : (1.0 + ratio) / 2.0;
	double disabled = 1.0 / o->wdes2;
	double mean = applicant_disability[DIS_YES] * disabled +
	              (1.0 - applicant_disability[DIS_YES]);
	double by_disability = disability == DIS_YES ? disabled : 1.0;
	return o->bme_appointed * by_ethnic * by_disability / mean;
}

static void draw_application(struct application *a, rng *r, const struct org *o,
                             unsigned year, const double *ethnic_weight)
{
	a->ethnic = pick(r, ethnic_weight, ETHNIC_CODES);
	int group = ethnic_group(a->ethnic);
	a->disability = pick(r, applicant_disability, 3);
	a->age_band = age_band_of(draw_age(r, applicant_age));
	unsigned char g, b, s;
	draw_job(r, group, &g, &b, &s);
	a->group = g;
	a->band = b;
	a->sex = s;
	a->shortlisted = chance(r, shortlist_rate[group]);
	a->appointed = a->shortlisted &&
	               chance(r, appoint_probability(o, year, group, a->disability));
}

static void write_application(FILE *fp, uint64_t id, const char *org, int day,
                              const struct application *a)
{
	struct line l = {.len = 0};
	put_id(&l, "APP-", id, 6);
	put(&l, org);
	put_date(&l, day);
	put(&l, ethnic_code[a->ethnic]);
	put(&l, sex_code[a->sex]);
	put(&l, disability_code[a->disability]);
	put(&l, age_band[a->age_band]);
	put(&l, pay_band[a->band]);
	put(&l, staff_group[a->group]);
	put(&l, a->shortlisted ? "Y" : "N");
	put(&l, a->appointed ? "Y" : "N");
	emit(&l, fp);
}

/* The characteristic columns shared by the person-level files. */
static void put_person(struct line *l, const struct person *p, int year_end)
{
	put(l, ethnic_code[p->ethnic]);
	put(l, sex_code[p->sex]);
	put(l, disability_code[p->disability]);
	put(l, age_band[age_band_of(year_end - p->born)]);
	put(l, pay_band[p->band]);
	put(l, staff_group[p->group]);
}

/* ---- the sample: five files over five years ----------------------------- */

enum { DRAW_STAFF = 1, DRAW_CASES, DRAW_TRAINING, DRAW_RECRUITMENT,
       DRAW_BENCH_ROW, DRAW_BENCH_CELL, DRAW_GRADE };

/* Medical and dental grades (WRES 1 / WDES 1's sub-groups), by ethnic group
 * (White, BME, unknown), in per cent: BME doctors are fewer among
 * consultants and more among specialty doctors (the pattern the WRES
 * medical data show). The last, blank, is a doctor with no grade recorded
 * (counted as "other"). Drawn once per person from a stream of their own,
 * so no other draw of the sample moves. */
#define GRADES 8
static const char *const grade_label[GRADES] = {
	"Consultant", "Specialty Doctor", "Associate Specialist", "Foundation Year 1",
	"Foundation Year 2", "Specialty Registrar", "Core Trainee", ""};
static const double grade_share[3][GRADES] = {
	{42, 6, 2, 8, 8, 22, 8, 4},
	{30, 12, 4, 9, 9, 24, 8, 4},
	{36, 9, 3, 8.5, 8.5, 23, 8, 4}};

/* The grade written for `p` (a person of organisation `o`): "" unless
 * medical and dental. */
static const char *grade_of(const struct person *p, unsigned o, uint64_t seed)
{
	if (p->band != BAND_MEDICAL)
		return "";
	rng r;
	rng_seed(&r, seed, DRAW_GRADE, o, p->id);
	return grade_label[pick(&r, grade_share[ethnic_group(p->ethnic)], GRADES)];
}

struct staff {
	struct person *people;   /* in staff_id order */
	size_t count, capacity;
	rng r;                   /* this organisation's staff stream, kept across years */
};

static int compare_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

/*
 * Move organisation `o`'s staff to the 31 March snapshot of `year`: leavers
 * go, then new starters (fresh staff ids from *next_id) bring headcount to
 * its target. Returns 0 or 71 when memory runs out.
 */
static int advance_staff(struct staff *s, unsigned o, unsigned year, double scale,
                         uint32_t *next_id)
{
	const struct org *org = &orgs[o];
	int year_end = FIRST_YEAR + 1 + (int)year;
	size_t kept = 0;
	for (size_t i = 0; i < s->count; i++) {
		const struct person *p = &s->people[i];
		if (year > 0 && (year_end - p->born >= RETIRE_AGE || chance(&s->r, TURNOVER)))
			continue;
		s->people[kept++] = *p;
	}
	s->count = kept;

	double target = org->headcount * scale;
	for (unsigned y = 0; y < year; y++)
		target *= GROWTH;
	size_t want = (size_t)(target + 0.5);
	if (want < 1)
		want = 1;
	if (want > s->capacity) {
		struct person *grown = realloc(s->people, want * sizeof *grown);
		if (!grown) {
			fprintf(stderr, PROG ": out of memory\n");
			return EX_OSERR;
		}
		s->people = grown;
		s->capacity = want;
	}
	double weight[ETHNIC_CODES];
	ethnic_weights(weight, org->diversity);
	while (s->count < want) {
		struct person *p = &s->people[s->count++];
		p->id = (*next_id)++;
		p->ethnic = (unsigned char)pick(&s->r, weight, ETHNIC_CODES);
		draw_job(&s->r, ethnic_group(p->ethnic), &p->group, &p->band, &p->sex);
		p->disability = (unsigned char)pick(&s->r, staff_disability, 3);
		p->contract = (unsigned char)pick(&s->r, contract_share, 3);
		int age = draw_age(&s->r, year == 0 ? staff_age : applicant_age);
		p->born = year_end - age;
		p->joined = year == 0 ? year_start(0) - 1
		                      : year_start(year) + (int)rng_below(&s->r, year_days(year));
	}
	return 0;
}

/* A day of `year` on or after the person joined. */
static int day_in_post(rng *r, const struct person *p, unsigned year)
{
	int first = year_start(year), end = year_start(year + 1);
	if (p->joined > first)
		first = p->joined;
	return first + (int)rng_below(r, (unsigned)(end - first));
}

struct case_row {
	int day;          /* date entered */
	uint32_t person;  /* index into the organisation's staff */
	int kind;         /* 0 disciplinary, 1 capability (performance), 2 (ill health) */
};

static int compare_case(const void *a, const void *b)
{
	const struct case_row *x = a, *y = b;
	if (x->day != y->day)
		return (x->day > y->day) - (x->day < y->day);
	if (x->person != y->person)
		return (x->person > y->person) - (x->person < y->person);
	return (x->kind > y->kind) - (x->kind < y->kind);
}

/*
 * Disciplinary and capability cases for one organisation-year, in date order.
 * Each non-bank person enters each process at most once a year, with a
 * probability that depends only on ethnic group (disciplinary) or only on
 * disability (capability), so the planted ratios hold exactly.
 */
static int write_cases(FILE *fp, const struct staff *s, unsigned o, unsigned year,
                       uint64_t seed, uint64_t *next_case)
{
	const struct org *org = &orgs[o];
	double ratio = org->wres3[year];
	const double disciplinary[3] = {DISCIPLINARY_WHITE, DISCIPLINARY_WHITE * ratio,
	                                DISCIPLINARY_WHITE * (1.0 + ratio) / 2.0};
	const double capability[3] = {CAPABILITY_NONDISABLED * org->wdes3,
	                              CAPABILITY_NONDISABLED, CAPABILITY_NONDISABLED};
	rng r;
	rng_seed(&r, seed, DRAW_CASES, o, year);
	size_t count = 0, capacity = 64;
	struct case_row *cases = malloc(capacity * sizeof *cases);
	if (!cases)
		goto oom;
	for (size_t i = 0; i < s->count; i++) {
		const struct person *p = &s->people[i];
		if (p->contract == BANK)
			continue;
		double ill = CAPABILITY_ILL_HEALTH *
		             (p->disability == DIS_YES ? ILL_HEALTH_DISABLED : 1.0);
		/* Three statements: initialiser lists are not evaluated in order. */
		int entered[3];
		entered[0] = chance(&r, disciplinary[ethnic_group(p->ethnic)]);
		entered[1] = chance(&r, capability[p->disability]);
		entered[2] = chance(&r, ill);
		for (int k = 0; k < 3; k++) {
			if (!entered[k])
				continue;
			if (count == capacity) {
				struct case_row *grown = realloc(cases, 2 * capacity * sizeof *cases);
				if (!grown)
					goto oom;
				cases = grown;
				capacity *= 2;
			}
			cases[count++] = (struct case_row){day_in_post(&r, p, year),
			                                   (uint32_t)i, k};
		}
	}
	qsort(cases, count, sizeof *cases, compare_case);
	int year_end = FIRST_YEAR + 1 + (int)year;
	for (size_t c = 0; c < count; c++) {
		const struct person *p = &s->people[cases[c].person];
		struct line l = {.len = 0};
		put_id(&l, "CASE-", (*next_case)++, 5);
		put_id(&l, "STF-", p->id, 6);
		put(&l, org->code);
		put_date(&l, cases[c].day);
		put(&l, cases[c].kind == 0 ? "disciplinary" : "capability");
		put(&l, cases[c].kind == 0 ? "conduct"
		        : cases[c].kind == 1 ? "performance" : "ill health");
		put_person(&l, p, year_end);
		emit(&l, fp);
	}
	free(cases);
	return 0;
oom:
	free(cases);
	fprintf(stderr, PROG ": out of memory\n");
	return EX_OSERR;
}

/* The workforce snapshot rows and the training rows of one organisation-year. */
static void write_staff_rows(FILE *workforce, FILE *training, const struct staff *s,
                             unsigned o, unsigned year, uint64_t seed)
{
	const struct org *org = &orgs[o];
	int year_end = FIRST_YEAR + 1 + (int)year;
	int snapshot = year_start(year + 1) - 1;
	double wres4 = org->wres4;
	if (join_year[o] >= 0 && (int)year >= join_year[o])
		wres4 *= ROLLOUT_EFFECT;
	const double trained[3] = {TRAINING_WHITE, TRAINING_WHITE / wres4,
	                           TRAINING_WHITE * (1.0 + 1.0 / wres4) / 2.0};
	rng r;
	rng_seed(&r, seed, DRAW_TRAINING, o, year);
	for (size_t i = 0; i < s->count; i++) {
		const struct person *p = &s->people[i];
		struct line l = {.len = 0};
		put_id(&l, "STF-", p->id, 6);
		put(&l, org->code);
		put_date(&l, snapshot);
		put_person(&l, p, year_end);
		put(&l, contract_name[p->contract]);
		put(&l, grade_of(p, o, seed));
		emit(&l, workforce);
		if (p->contract == BANK || !chance(&r, trained[ethnic_group(p->ethnic)]))
			continue;
		put_id(&l, "STF-", p->id, 6);
		put(&l, org->code);
		put_date(&l, day_in_post(&r, p, year));
		put_person(&l, p, year_end);
		emit(&l, training);
	}
}

/* One organisation-year of applications, in date order. */
static int write_recruitment(FILE *fp, unsigned o, unsigned year, double scale,
                             uint64_t seed, uint64_t *next_app)
{
	const struct org *org = &orgs[o];
	size_t count = (size_t)(org->applications * scale + 0.5);
	int *days = malloc((count ? count : 1) * sizeof *days);
	if (!days) {
		fprintf(stderr, PROG ": out of memory\n");
		return EX_OSERR;
	}
	rng r;
	rng_seed(&r, seed, DRAW_RECRUITMENT, o, year);
	for (size_t i = 0; i < count; i++)
		days[i] = year_start(year) + (int)rng_below(&r, year_days(year));
	qsort(days, count, sizeof *days, compare_int);
	double weight[ETHNIC_CODES];
	ethnic_weights(weight, org->diversity * APPLICANT_DIVERSITY);
	for (size_t i = 0; i < count; i++) {
		struct application a;
		draw_application(&a, &r, org, year, weight);
		write_application(fp, (*next_app)++, org->code, days[i], &a);
	}
	free(days);
	return 0;
}

/*
 * Boards (WRES 9, WDES 10): one row per member at 31 March of each year,
 * planted, not drawn (no random numbers, so the other files keep their
 * bytes and --scale leaves boards as they are: a board does not grow with
 * the workforce). Each organisation's members are, in order: executive
 * voting, executive non-voting, non-executive voting (the chair first),
 * non-executive non-voting. `bme` and `disabled` list which members (by
 * position, 1-based) are BME or disabled in 2025/26; `bme_before` those
 * BME in the four years before (one member was replaced in 2025/26).
 * `not_stated` and `not_declared` mark an ethnicity and a disability not
 * given. sample-data/README.md tables the result.
 */
#define BOARD_MAX 16
struct board {
	unsigned exec_voting, exec_other, ned_voting, ned_other;
	unsigned bme[5], bme_before[5];    /* positions, 0 ends the list */
	unsigned disabled[3], not_declared[3], not_stated[2];
};
static const struct board boards[ORGS] = {
	/* R0A: 16 members, 3 BME (2 before), 1 disabled */
	{5, 2, 7, 2, {2, 9, 15}, {2, 9}, {10}, {0}, {0}},
	/* R0B: 15 members, 2 BME, 1 disabled, 1 not declared */
	{5, 2, 7, 1, {6, 11}, {6, 11}, {12}, {4}, {0}},
	/* R0C: 14 members, no BME member, none disabled */
	{5, 1, 7, 1, {0}, {0}, {0}, {0}, {0}},
	/* R0D: 15 members, 4 BME (3 before), 2 disabled, 1 ethnicity not stated */
	{5, 2, 7, 1, {1, 3, 8, 14}, {1, 8, 14}, {5, 13}, {0}, {12}},
	/* R0E: 13 members, 1 BME, 1 disabled */
	{5, 1, 6, 1, {9}, {9}, {3}, {0}, {0}},
	/* R0F: 14 members, 3 BME, none disabled, 1 not declared */
	{5, 2, 6, 1, {4, 8, 10}, {4, 8, 10}, {0}, {7}, {0}},
};
static const char *const board_bme_code[4] = {"H", "N", "M", "L"};

static int listed(const unsigned *list, size_t size, unsigned position)
{
	for (size_t i = 0; i < size && list[i]; i++)
		if (list[i] == position)
			return 1;
	return 0;
}
#define LISTED(list, position) listed((list), sizeof(list) / sizeof((list)[0]), (position))

/* Every organisation's board at 31 March of each year. */
static void write_boards(FILE *fp)
{
	for (unsigned year = 0; year < YEARS; year++) {
		int year_end = FIRST_YEAR + 1 + (int)year;
		for (unsigned o = 0; o < ORGS; o++) {
			const struct board *b = &boards[o];
			unsigned size = b->exec_voting + b->exec_other + b->ned_voting + b->ned_other;
			assert(size <= BOARD_MAX);
			for (unsigned m = 1; m <= size; m++) {
				int executive = m <= b->exec_voting + b->exec_other;
				int voting = m <= b->exec_voting ||
				             (m > b->exec_voting + b->exec_other &&
				              m <= b->exec_voting + b->exec_other + b->ned_voting);
				int bme = year == YEARS - 1 ? LISTED(b->bme, m) : LISTED(b->bme_before, m);
				const char *ethnic = LISTED(b->not_stated, m) ? "Z"
				                     : bme ? board_bme_code[(m + o) % 4]
				                     : m % 5 == 0 ? "C" : "A";
				const char *disability = LISTED(b->disabled, m) ? "Y"
				                         : LISTED(b->not_declared, m) ? "Z" : "N";
				/* A member replaced in the last year has a new id. */
				int replaced = year == YEARS - 1 && bme != LISTED(b->bme_before, m);
				fprintf(fp, "BRD-%s-%02u%s,%s,%04d-03-31,%s,%s,%s,%s,%s\n",
				        orgs[o].code, m, replaced ? "b" : "", orgs[o].code, year_end,
				        ethnic, sex_code[(m + o) % 2], disability, voting ? "Y" : "N",
				        executive ? "Y" : "N");
			}
		}
	}
}

/*
 * The NHS Staff Survey's results by group (WRES 5-8, WDES 4-9), planted,
 * not drawn: for each organisation and survey year (autumn 2021 .. 2025,
 * feeding the return of financial years 2021/22 .. 2025/26) and question,
 * the respondents of each group and those answering positively at the
 * planted rate (per mille, rounded), or the engagement score's mean and
 * sd (tenths). sample-data/README.md tables them.
 */
struct survey_org {
	unsigned respondents;  /* respondents in 2025 */
	unsigned bme_permille; /* of respondents stating an ethnicity */
	int gap;               /* added to each planted gap, per mille */
};
static const struct survey_org survey_orgs[ORGS] = {
	{900, 450, 20}, {780, 380, 10}, {520, 100, 0}, {600, 220, 0}, {420, 140, -10},
	{560, 270, 0},
};
#define SURVEY_DISABLED_PERMILLE 230
struct survey_question {
	const char *code;
	int wdes;               /* 0: White / BME rows; 1: Disabled / Non-disabled */
	unsigned reference;     /* White or Non-disabled rate, per mille (9a: tenths) */
	int gap;                /* protected minus reference, per mille, in 2025 */
	int trend;              /* the gap's change per year before 2025 (older: minus) */
	unsigned sd_tenths;     /* engagement only */
};
static const struct survey_question survey_questions[] = {
	{"q14a", 0, 260, 20, 0, 0},      /* WRES 5 */
	{"WRES6", 0, 220, 50, 5, 0},     /* WRES 6 */
	{"q15", 0, 590, -140, -5, 0},    /* WRES 7 */
	{"q16b", 0, 60, 100, 5, 0},      /* WRES 8 */
	{"q14a", 1, 250, 70, 0, 0},      /* WDES 4a */
	{"q14b", 1, 90, 60, 0, 0},       /* WDES 4b */
	{"q14c", 1, 170, 80, 0, 0},      /* WDES 4c */
	{"q14d", 1, 460, 10, 0, 0},      /* WDES 4d (of those harassed) */
	{"q15", 1, 570, -60, 0, 0},      /* WDES 5 */
	{"q11e", 1, 210, 80, 5, 0},      /* WDES 6 */
	{"q4b", 1, 440, -110, 0, 0},     /* WDES 7 */
	{"q30b", 1, 720, 0, 0, 0},       /* WDES 8 (Disabled only) */
	{"engagement", 1, 70, -6, 0, 17}, /* WDES 9a: 7.0 vs 6.4, sd 1.7 */
};

static unsigned share_of(unsigned n, unsigned permille)
{
	return (n * permille + 500) / 1000;
}

static void write_survey(FILE *fp)
{
	for (unsigned year = 0; year < YEARS; year++) {
		int survey_year = FIRST_YEAR + (int)year;
		int back = (int)(YEARS - 1 - year); /* years before 2025 */
		for (unsigned o = 0; o < ORGS; o++) {
			const struct survey_org *so = &survey_orgs[o];
			/* Response grows a little each year to 2025. */
			unsigned total = so->respondents - 20u * (unsigned)back;
			for (size_t q = 0; q < sizeof survey_questions / sizeof survey_questions[0];
			     q++) {
				const struct survey_question *sq = &survey_questions[q];
				unsigned protected_n = sq->wdes ? share_of(total, SURVEY_DISABLED_PERMILLE)
				                                : share_of(total, so->bme_permille);
				unsigned reference_n = total - protected_n;
				if (!strcmp(sq->code, "q14d")) {
					/* asked of those harassed: about a quarter */
					protected_n = protected_n / 4;
					reference_n = reference_n / 4;
					if (o == 4 && year == YEARS - 1)
						protected_n = 9; /* R0E 2025: under 11, withheld */
				}
				int gap = sq->gap + so->gap - sq->trend * back;
				const char *groups[2] = {sq->wdes ? "Disabled" : "BME",
				                         sq->wdes ? "Non-disabled" : "White"};
				unsigned n[2] = {protected_n, reference_n};
				for (int g = 0; g < 2; g++) {
					if (!strcmp(sq->code, "q30b") && g == 1)
						continue; /* asked of Disabled staff only */
					if (sq->sd_tenths) {
						int mean = (int)sq->reference + (g ? 0 : sq->gap);
						fprintf(fp, "%s,%d,%s,%s,%u,,%d.%d,%u.%u\n", orgs[o].code,
						        survey_year, sq->code, groups[g], n[g], mean / 10,
						        mean % 10, sq->sd_tenths / 10, sq->sd_tenths % 10);
						continue;
					}
					unsigned rate = g ? sq->reference
					                  : (unsigned)((int)sq->reference + gap);
					fprintf(fp, "%s,%d,%s,%s,%u,%u,,\n", orgs[o].code, survey_year,
					        sq->code, groups[g], n[g], share_of(n[g], rate));
				}
			}
		}
	}
}

enum { F_RECRUITMENT, F_WORKFORCE, F_DISCIPLINARY, F_TRAINING, F_COHORTS, F_BOARD,
       F_SURVEY, F_PROGRAMME, FILES };
static const char *const file_name[FILES] = {
	"recruitment.csv", "workforce.csv", "disciplinary.csv", "training.csv",
	"cohorts.csv", "board.csv", "survey.csv", "programme.csv"};
static const char *const file_header[FILES] = {
	"application_id,organisation,date,ethnic_category,sex,disability,age_band,"
	"pay_band,staff_group,shortlisted,appointed",
	"staff_id,organisation,snapshot_date,ethnic_category,sex,disability,"
	"age_band,pay_band,staff_group,contract,grade",
	"case_id,staff_id,organisation,date_entered,process,grounds,ethnic_category,"
	"sex,disability,age_band,pay_band,staff_group",
	"staff_id,organisation,date,ethnic_category,sex,disability,age_band,"
	"pay_band,staff_group",
	"cohort_id,name,organisations,start_date,end_date,pairs",
	"member_id,organisation,date,ethnic_category,sex,disability,voting,executive",
	"organisation,survey_year,question,group,respondents,positive,mean,sd",
	"cohort_id,name,organisations,start_date,end_date,pairs"};

/*
 * Write the eight sample files into `dir`: every file goes to a temporary
 * name and all eight are renamed into place only when all succeeded.
 * Returns 0 or a sysexits status (message printed).
 */
static int write_sample(const char *dir, uint64_t seed, double scale)
{
	struct out out[FILES];
	struct staff staff[ORGS];
	memset(out, 0, sizeof out);
	memset(staff, 0, sizeof staff);
	uint32_t next_staff = 1;
	uint64_t next_app = 1, next_case = 1;
	int rc = 0;

	for (unsigned f = 0; f < FILES; f++) {
		if ((rc = out_open(&out[f], dir, file_name[f])) != 0)
			goto done;
		fprintf(out[f].fp, "%s\n", file_header[f]);
	}
	fprintf(out[F_COHORTS].fp, "%s\n", COHORT_ROW);
	for (size_t k = 0; k < sizeof programme_rows / sizeof programme_rows[0]; k++)
		fprintf(out[F_PROGRAMME].fp, "%s\n", programme_rows[k]);
	for (unsigned o = 0; o < ORGS; o++)
		rng_seed(&staff[o].r, seed, DRAW_STAFF, o, 0);

	for (unsigned year = 0; year < YEARS; year++) {
		for (unsigned o = 0; o < ORGS; o++) {
			if ((rc = advance_staff(&staff[o], o, year, scale, &next_staff)) != 0)
				goto done;
			write_staff_rows(out[F_WORKFORCE].fp, out[F_TRAINING].fp, &staff[o],
			                 o, year, seed);
			rc = write_cases(out[F_DISCIPLINARY].fp, &staff[o], o, year, seed,
			                 &next_case);
			if (rc)
				goto done;
			rc = write_recruitment(out[F_RECRUITMENT].fp, o, year, scale, seed,
			                       &next_app);
			if (rc)
				goto done;
		}
	}
	write_boards(out[F_BOARD].fp);
	write_survey(out[F_SURVEY].fp);
	for (unsigned f = 0; f < FILES; f++)
		if ((rc = out_close(&out[f])) != 0)
			goto done;
	for (unsigned f = 0; f < FILES; f++)
		if ((rc = out_commit(&out[f])) != 0)
			goto done;
done:
	for (unsigned f = 0; f < FILES; f++)
		out_discard(&out[f]);
	for (unsigned o = 0; o < ORGS; o++)
		free(staff[o].people);
	return rc;
}

/* ---- benchmark mode: one large recruitment file, streamed ---------------- */

#define BENCH_CELLS 100000u  /* distinct cells at most, without --distinct */
#define BENCH_ORGS 2000u     /* organisations B0000..B1999 with --distinct */
#define BENCH_MONTHS 60u     /* April 2021 .. March 2026 */

static int month_start(unsigned month)
{
	return days_from_civil(FIRST_YEAR + (int)((month + 3) / 12),
	                       (int)((month + 3) % 12) + 1, 1);
}

/*
 * Write `rows` applications to `path` in constant memory. Without
 * `distinct`, each row copies one of BENCH_CELLS cells (its fields drawn by
 * the sample's model from a stream of its own) and varies only its id and
 * day; with it, every field is uniform over its codes, so collisions are
 * rare (about rows^2 / 4e10 of them). Returns 0 or a sysexits status.
 */
static int write_benchmark(const char *path, uint64_t rows, int distinct,
                           uint64_t seed, unsigned org_count, unsigned months)
{
	struct out out;
	memset(&out, 0, sizeof out);
	int rc = out_open(&out, NULL, path);
	if (rc)
		goto done;
	fprintf(out.fp, "%s\n", file_header[F_RECRUITMENT]);
	double weight[ORGS][ETHNIC_CODES];
	for (unsigned o = 0; o < ORGS; o++)
		ethnic_weights(weight[o], orgs[o].diversity * APPLICANT_DIVERSITY);
	rng r;
	rng_seed(&r, seed, DRAW_BENCH_ROW, 0, 0);
	for (uint64_t i = 0; i < rows; i++) {
		struct application a;
		char org_code[12];
		unsigned month;
		if (distinct) {
			unsigned org = rng_below(&r, org_count);
			snprintf(org_code, sizeof org_code, org_count > 10000 ? "B%06u" : "B%04u",
			         org);
			/* the last `months` months of the span */
			month = BENCH_MONTHS - months + rng_below(&r, months);
			a.ethnic = rng_below(&r, ETHNIC_CODES);
			a.sex = rng_below(&r, 2);
			a.disability = rng_below(&r, 3);
			a.age_band = rng_below(&r, AGE_BANDS);
			a.band = rng_below(&r, PAY_BANDS);
			a.group = rng_below(&r, STAFF_GROUPS);
			unsigned outcome = rng_below(&r, 3);
			a.shortlisted = outcome > 0;
			a.appointed = outcome > 1;
		} else {
			rng cell;
			rng_seed(&cell, seed, DRAW_BENCH_CELL, rng_below(&r, BENCH_CELLS), 0);
			unsigned org = rng_below(&cell, ORGS);
			snprintf(org_code, sizeof org_code, "%s", orgs[org].code);
			month = rng_below(&cell, BENCH_MONTHS);
			draw_application(&a, &cell, &orgs[org], month / 12, weight[org]);
		}
		int first = month_start(month);
		int day = first + (int)rng_below(&r, (unsigned)(month_start(month + 1) - first));
		write_application(out.fp, i + 1, org_code, day, &a);
	}
	if ((rc = out_close(&out)) == 0)
		rc = out_commit(&out);
done:
	out_discard(&out);
	return rc;
}

/* ---- command line -------------------------------------------------------- */

static void usage(FILE *fp)
{
	fputs("usage: " PROG " [--seed N] [--out DIR] [--scale F]\n"
	      "       " PROG " --kind recruitment --rows N [--distinct [--orgs N] [--months M]]\n"
	      "           [--seed N] --out FILE\n"
	      "\n"
	      "Writes the synthetic extracts recruitment.csv, workforce.csv,\n"
	      "disciplinary.csv, training.csv, cohorts.csv, board.csv and survey.csv\n"
	      "into DIR\n"
	      "(default \".\"),\n"
	      "the same bytes for the same seed (default 1) and scale (default 1).\n"
	      "With --kind, streams N recruitment rows into FILE instead (benchmarks);\n"
	      "--distinct makes nearly every row a distinct cell, over N organisations\n"
	      "(default 2000, at most 1000000) and the last M of the 60 months from\n"
	      "April 2021 to March 2026 (default 60).\n", fp);
}

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, PROG ": ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry '" PROG " --help'.\n");
	return EX_USAGE;
}

static int parse_u64(const char *text, uint64_t *out)
{
	if (!text[0] || text[0] < '0' || text[0] > '9')
		return -1;
	char *end;
	errno = 0;
	unsigned long long v = strtoull(text, &end, 10);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{"seed", required_argument, NULL, 's'},
		{"out", required_argument, NULL, 'o'},
		{"scale", required_argument, NULL, 'c'},
		{"kind", required_argument, NULL, 'k'},
		{"rows", required_argument, NULL, 'r'},
		{"distinct", no_argument, NULL, 'd'},
		{"orgs", required_argument, NULL, 'g'},
		{"months", required_argument, NULL, 'm'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}};
	uint64_t seed = DEFAULT_SEED, rows = 0, org_count = BENCH_ORGS, months = BENCH_MONTHS;
	const char *out = NULL, *kind = NULL;
	double scale = 1.0;
	int have_rows = 0, distinct = 0, have_scale = 0, have_shape = 0;
	int c;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		switch (c) {
		case 's':
			if (parse_u64(optarg, &seed))
				return usage_error("--seed: '%s' is not a whole number", optarg);
			break;
		case 'o':
			out = optarg;
			break;
		case 'c': {
			char *end;
			scale = strtod(optarg, &end);
			if (*end || end == optarg || !(scale > 0.0 && scale <= 1000.0))
				return usage_error("--scale: '%s' is not a number in (0, 1000]",
				                   optarg);
			have_scale = 1;
			break;
		}
		case 'k':
			kind = optarg;
			if (strcmp(kind, "recruitment") != 0)
				return usage_error("--kind: '%s' is not supported "
				                   "(only 'recruitment')", optarg);
			break;
		case 'r':
			if (parse_u64(optarg, &rows))
				return usage_error("--rows: '%s' is not a whole number", optarg);
			have_rows = 1;
			break;
		case 'd':
			distinct = 1;
			break;
		case 'g':
			if (parse_u64(optarg, &org_count) || org_count < 1 || org_count > 1000000)
				return usage_error("--orgs: '%s' is not a number from 1 to 1000000",
				                   optarg);
			have_shape = 1;
			break;
		case 'm':
			if (parse_u64(optarg, &months) || months < 1 || months > BENCH_MONTHS)
				return usage_error("--months: '%s' is not a number from 1 to 60",
				                   optarg);
			have_shape = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case ':':
			return usage_error("option '%s' needs a value", argv[optind - 1]);
		default:
			return usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return usage_error("unexpected argument '%s'", argv[optind]);
	if (kind) {
		if (!have_rows)
			return usage_error("%s needs --rows N", "--kind");
		if (!out)
			return usage_error("%s needs --out FILE", "--kind");
		if (have_scale)
			return usage_error("%s does not take --scale", "--kind");
		if (have_shape && !distinct)
			return usage_error("%s need --distinct", "--orgs and --months");
		return write_benchmark(out, rows, distinct, seed, (unsigned)org_count,
		                       (unsigned)months);
	}
	if (have_rows || distinct || have_shape)
		return usage_error("%s need --kind recruitment",
		                   "--rows, --distinct, --orgs and --months");
	return write_sample(out ? out : ".", seed, scale);
}
