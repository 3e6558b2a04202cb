/*
 * test_stats_did.c: the staggered difference-in-differences (event study)
 * of parity_did_compute(): a hand calculation; that it reduces to the
 * before/after cohort arithmetic (Mantel-Haenszel pools and Altman &
 * Bland's ratio of ratios) for one group and two years; and a simulation
 * of a staggered roll-out with a known effect, with none, and with a
 * pre-existing trend, over 100 seeds each.
 */
#include "harness.h"

#include "parity.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const parity_did_term *term_of(const parity_did *d, parity_did_kind kind,
                                      int index)
{
	for (size_t i = 0; i < d->term_count; i++)
		if (d->terms[i].kind == kind && (kind == PARITY_DID_OVERALL ||
		                                 d->terms[i].index == index))
			return &d->terms[i];
	return NULL;
}

/* One treated organisation (joins in year 1) and one never treated, two
 * years. By hand: treated 20/100 vs 10/100 (ratio 2) then 15/100 vs 10/100
 * (1.5); comparator 10/100 vs 10/100 (1) then 12/100 vs 10/100 (1.2).
 * ATT = ln(1.5/2) - ln(1.2/1) = ln 0.625. One organisation per pool: the
 * variance is Katz's for each of the four ratios (the cluster variance is
 * 0 with one organisation per arm), summed:
 * (1/20-1/100+1/10-1/100) + (1/15-1/100+1/10-1/100)
 * + (1/10-1/100+1/10-1/100) + (1/12-1/100+1/10-1/100)
 * = 0.13 + 0.1466667 + 0.18 + 0.1633333 = 0.62, SE 0.7874008.
 * 95%: exp(ln 0.625 -+ 1.959963985 * 0.7874008) = 0.1335498 .. 2.924939 (Python's
 * statistics.NormalDist for the normal quantiles).
 * MDE at 80%: k = 1.959963985 + 0.8416212336 = 2.801585218;
 * exp(-+k SE) = 0.1101436 .. 9.079058. */
static void test_did_hand_two_by_two(void)
{
	const parity_stratum cells[] = {{20, 100, 10, 100}, {15, 100, 10, 100},
	                                {10, 100, 10, 100}, {12, 100, 10, 100}};
	const int group[] = {0, PARITY_DID_NEVER};
	const int group_year[] = {1};
	parity_did_input in = {cells, 2, 2, group, group_year, 1, 0.95};
	parity_did d;
	CHECK(parity_did_compute(&d, &in) == 0);
	const parity_did_term *all = term_of(&d, PARITY_DID_OVERALL, 0);
	const parity_did_term *e0 = term_of(&d, PARITY_DID_EVENT, 0);
	CHECK(all && all->estimable && e0 && e0->estimable);
	if (all && e0) {
		CHECK_NEAR(all->ratio, 0.625, 1e-12);
		CHECK_NEAR(all->se, sqrt(0.62), 1e-12);
		CHECK_NEAR(all->ci_low, 0.1335498, 1e-6);
		CHECK_NEAR(all->ci_high, 2.924939, 1e-6);
		CHECK_NEAR(all->mde_low, 0.1101436, 1e-6);
		CHECK_NEAR(all->mde_high, 9.079058, 1e-6);
		CHECK(!all->cluster);
		CHECK(all->organisations == 2 && all->treated == 1);
		CHECK(all->counts.x1 == 57 && all->counts.n1 == 400);
		CHECK_NEAR(e0->ratio, 0.625, 1e-12);
	}
	CHECK(!d.pretrend_estimable); /* no year before the base */
	parity_did_free(&d);
}

/* Which organisation-years enter each term (what the disclosure gate checks):
 * three organisations over three years, one joining in year 2 (index 1:
 * base year 0), one never, and one with no counts in year 0, which can
 * enter no comparison with year 0 as its base (each comparison is
 * restricted to organisations with both groups in both of its years).
 * event:0 = ATT(year 1, base 0) uses years 0 and 1 of the first two;
 * event:1 = ATT(year 2, base 0) years 0 and 2; overall both, so every
 * year of the first two and none of the third organisation. */
static void test_did_used_cells(void)
{
	const parity_stratum cells[] = {
		{20, 100, 10, 100}, {15, 100, 10, 100}, {18, 100, 9, 100},
		{10, 100, 10, 100}, {12, 100, 10, 100}, {11, 100, 10, 100},
		{0, 0, 0, 0}, {10, 80, 3, 40}, {12, 90, 4, 40}};
	const int group[] = {0, PARITY_DID_NEVER, PARITY_DID_NEVER};
	const int group_year[] = {1};
	parity_did_input in = {cells, 3, 3, group, group_year, 1, 0.95};
	parity_did d;
	CHECK(parity_did_compute(&d, &in) == 0);
	CHECK(d.used != NULL);
	for (size_t i = 0; d.used && i < d.term_count; i++) {
		const unsigned char *u = &d.used[i * 9];
		const parity_did_term *t = &d.terms[i];
		int e0 = t->kind == PARITY_DID_EVENT && t->index == 0;
		int e1 = t->kind == PARITY_DID_EVENT && t->index == 1;
		int all = t->kind != PARITY_DID_EVENT;
		for (size_t o = 0; o < 2; o++) {
			CHECK(u[o * 3 + 0] == (e0 || e1 || all));
			CHECK(u[o * 3 + 1] == (e0 || all));
			CHECK(u[o * 3 + 2] == (e1 || all));
		}
		CHECK(!u[6] && !u[7] && !u[8]); /* never in a comparison */
	}
	parity_did_free(&d);
	CHECK(d.used == NULL);
}

/* One group joining in year 1 of two, with two organisations in each arm:
 * the estimate is exactly the cohort evaluation's difference-in-differences
 * (each arm's Mantel-Haenszel after/before, then their ratio), as cohort.c
 * computes it with parity_pool_mh() and parity_change_from_ci(). The
 * intervals differ: cohort.c sums four Greenland-Robins variances, the
 * event study a delta-method (or cluster) variance; with one organisation
 * per arm both are Katz's, checked in the test above. */
static void test_did_reduces_to_before_after(void)
{
	/* organisations: treated A, B; never C, D; years before, after */
	const parity_stratum cells[] = {
		{30, 200, 12, 150}, {25, 210, 14, 160}, /* A */
		{18, 120, 9, 110},  {16, 125, 11, 100}, /* B */
		{22, 180, 15, 170}, {26, 190, 15, 175}, /* C */
		{40, 300, 30, 310}, {44, 290, 28, 300}, /* D */
	};
	const int group[] = {0, 0, PARITY_DID_NEVER, PARITY_DID_NEVER};
	const int group_year[] = {1};
	parity_did_input in = {cells, 4, 2, group, group_year, 1, 0.95};
	parity_did d;
	CHECK(parity_did_compute(&d, &in) == 0);
	parity_stratum tb[] = {cells[0], cells[2]}, ta[] = {cells[1], cells[3]};
	parity_stratum cb[] = {cells[4], cells[6]}, ca[] = {cells[5], cells[7]};
	parity_pooled p_tb, p_ta, p_cb, p_ca;
	CHECK(parity_pool_mh(&p_tb, tb, 2, 0.95) == 0 && parity_pool_mh(&p_ta, ta, 2, 0.95) == 0);
	CHECK(parity_pool_mh(&p_cb, cb, 2, 0.95) == 0 && parity_pool_mh(&p_ca, ca, 2, 0.95) == 0);
	parity_ratio_ci a1 = {p_ta.ratio, p_ta.ci_low, p_ta.ci_high, 0.95};
	parity_ratio_ci b1 = {p_tb.ratio, p_tb.ci_low, p_tb.ci_high, 0.95};
	parity_ratio_ci a2 = {p_ca.ratio, p_ca.ci_low, p_ca.ci_high, 0.95};
	parity_ratio_ci b2 = {p_cb.ratio, p_cb.ci_low, p_cb.ci_high, 0.95};
	parity_change cohort, comparators, did;
	CHECK(parity_change_from_ci(&cohort, &a1, &b1, 0.95) == 0);
	CHECK(parity_change_from_ci(&comparators, &a2, &b2, 0.95) == 0);
	parity_ratio_ci c1 = {cohort.ratio, cohort.ci_low, cohort.ci_high, 0.95};
	parity_ratio_ci c2 = {comparators.ratio, comparators.ci_low, comparators.ci_high, 0.95};
	CHECK(parity_change_from_ci(&did, &c1, &c2, 0.95) == 0);
	const parity_did_term *all = term_of(&d, PARITY_DID_OVERALL, 0);
	CHECK(all && all->estimable);
	if (all)
		CHECK_NEAR(all->ratio, did.ratio, 1e-9);
	parity_did_free(&d);
}

/* ---- simulation ------------------------------------------------------------ */

enum { SIM_ORGS = 40, SIM_YEARS = 6, SIM_SEEDS = 100 };

/* A staggered roll-out over six years: organisations 0-9 join in year 2,
 * 10-19 in year 3, 20-29 in year 4, 30-39 never. Each organisation-year has
 * n1 = 250 + 13 * (o % 20) people in group 1 and n2 = 200 + 11 * (o % 17) in
 * group 2; group 2's rate is the organisation's own, 0.08 to 0.18 (drawn
 * once per organisation); group 1's is that times the ratio
 * ln R = 0.4 + 0.04 y + effect * [joined by y] + drift * y * [a joiner],
 * so every organisation shares the ratio in a year apart from the
 * programme (and, with `drift`, a trend of the joiners' own). */
static void simulate(parity_stratum *cells, gsl_rng *r, double effect, double drift)
{
	static const int join[4] = {2, 3, 4, -1};
	for (size_t o = 0; o < SIM_ORGS; o++) {
		int g = join[o / 10];
		double p2 = 0.08 + 0.10 * gsl_rng_uniform(r);
		for (size_t y = 0; y < SIM_YEARS; y++) {
			unsigned n1 = 250 + 13 * (unsigned)(o % 20), n2 = 200 + 11 * (unsigned)(o % 17);
			double lr = 0.4 + 0.04 * (double)y;
			if (g >= 0 && (int)y >= g)
				lr += effect;
			if (g >= 0)
				lr += drift * (double)y;
			double p1 = p2 * exp(lr);
			parity_stratum *c = &cells[o * SIM_YEARS + y];
			c->n1 = n1;
			c->n2 = n2;
			c->x1 = gsl_ran_binomial(r, p1 > 1 ? 1 : p1, n1);
			c->x2 = gsl_ran_binomial(r, p2, n2);
		}
	}
}

typedef struct sim_tally {
	int covered;   /* seeds whose overall interval covers the truth */
	int flagged;   /* seeds whose pre-trend test has p < 0.05 */
	int estimable; /* seeds with an overall estimate */
} sim_tally;

static sim_tally run_scenario(double effect, double drift)
{
	static const int join_year[3] = {2, 3, 4};
	int group[SIM_ORGS];
	parity_stratum cells[SIM_ORGS * SIM_YEARS];
	sim_tally tally = {0, 0, 0};
	for (size_t o = 0; o < SIM_ORGS; o++)
		group[o] = o < 30 ? (int)(o / 10) : PARITY_DID_NEVER;
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	for (unsigned long seed = 1; seed <= SIM_SEEDS; seed++) {
		gsl_rng_set(r, seed);
		simulate(cells, r, effect, drift);
		parity_did_input in = {cells, SIM_ORGS, SIM_YEARS, group, join_year, 3, 0.95};
		parity_did d;
		if (parity_did_compute(&d, &in))
			continue;
		const parity_did_term *all = term_of(&d, PARITY_DID_OVERALL, 0);
		if (all && all->estimable) {
			tally.estimable++;
			tally.covered += all->ci_low <= exp(effect) && exp(effect) <= all->ci_high;
		}
		tally.flagged += d.pretrend_estimable && d.pretrend_p < 0.05;
		parity_did_free(&d);
	}
	gsl_rng_free(r);
	return tally;
}

/* Seeds 1-100 (GSL's mt19937). With a known effect (ratio of ratios 0.75:
 * the gap narrows by a quarter on joining) and with none, the overall 95%
 * interval covers the truth in at least 90 of 100 seeds (measured when
 * written: 98 and 95), and the pre-trend test (5%) flags at most 10 (5 and
 * 8). With no effect but the joiners' ratio falling 0.25 a year of their
 * own, the pre-trend test flags at least 90 of 100 (100). */
static void test_did_simulation_coverage_and_pretrend(void)
{
	sim_tally known = run_scenario(log(0.75), 0);
	sim_tally none = run_scenario(0, 0);
	sim_tally trend = run_scenario(0, -0.25);
	printf("     known effect: covered %d/100, pre-trend flagged %d/100\n",
	       known.covered, known.flagged);
	printf("     no effect:    covered %d/100, pre-trend flagged %d/100\n",
	       none.covered, none.flagged);
	printf("     trend:        covered %d/100, pre-trend flagged %d/100\n",
	       trend.covered, trend.flagged);
	CHECK(known.estimable == SIM_SEEDS && none.estimable == SIM_SEEDS);
	CHECK(known.covered >= 90);
	CHECK(none.covered >= 90);
	CHECK(known.flagged <= 10);
	CHECK(none.flagged <= 10);
	CHECK(trend.flagged >= 90);
}

int main(void)
{
	parity_init();
	RUN(test_did_hand_two_by_two);
	RUN(test_did_used_cells);
	RUN(test_did_reduces_to_before_after);
	RUN(test_did_simulation_coverage_and_pretrend);
	return HARNESS_REPORT();
}
