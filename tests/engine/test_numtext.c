/*
 * test_numtext.c: util_double_text prints what printf and strtod give:
 * the shortest of %.15g, %.16g and %.17g that reads back as the same
 * double. The expected text of every value comes from glibc's snprintf
 * and strtod (tried in turn, as the analysts' files did before), over
 * ratios of counts, random doubles, powers of ten and of two and their
 * neighbours, and exact ties (values whose decimal expansion ends in a 5
 * just past the digits printed).
 */
#include "harness.h"
#include "util/util.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static long mismatches, checked;

/* The printf way: %.15g, then %.16g, then %.17g until strtod reads it back. */
static void by_printf(char *out, size_t size, double value)
{
	for (int digits = 15; digits <= 17; digits++) {
		snprintf(out, size, "%.*g", digits, value);
		if (strtod(out, NULL) == value)
			return;
	}
}

/* Compare util_double_text with printf on `value` and on -value. */
static void same(double value)
{
	for (int sign = 0; sign < 2; sign++) {
		double v = sign ? -value : value;
		char want[64], got[UTIL_DOUBLE_TEXT_MAX];
		by_printf(want, sizeof want, v);
		size_t n = util_double_text(got, v);
		checked++;
		if ((strcmp(got, want) || n != strlen(want)) && mismatches++ < 10)
			fprintf(stderr, "  %a: got \"%s\", printf gives \"%s\"\n", v, got, want);
	}
}

/* xorshift64*: the same values every run. */
static uint64_t state = UINT64_C(0x9e3779b97f4a7c15);
static uint64_t next_random(void)
{
	state ^= state >> 12;
	state ^= state << 25;
	state ^= state >> 27;
	return state * UINT64_C(2685821657736338717);
}

static void test_numtext_examples(void)
{
	/* By hand: 0.95's nearest double is 0.94999999999999995559..., which
	 * %.15g rounds back to 0.95; 0.1 + 0.2 is 0.30000000000000004441...,
	 * which needs 17 digits; 1/3 needs 16. */
	char text[UTIL_DOUBLE_TEXT_MAX];
	util_double_text(text, 0.95);
	CHECK_STR(text, "0.95");
	util_double_text(text, 0.1 + 0.2);
	CHECK_STR(text, "0.30000000000000004");
	util_double_text(text, 1.0 / 3.0);
	CHECK_STR(text, "0.3333333333333333");
	util_double_text(text, 2.5e-5);
	CHECK_STR(text, "2.5e-05");
	util_double_text(text, -1234.5);
	CHECK_STR(text, "-1234.5");
	util_double_text(text, 12.0);
	CHECK_STR(text, "12");
}

static void test_numtext_ratios_of_counts(void)
{
	mismatches = checked = 0;
	/* Rates x / n and ratios of rates, as the results print. */
	for (uint64_t n = 1; n <= 600; n++)
		for (uint64_t x = 0; x <= n; x++) {
			same((double)x / (double)n);
			if (x)
				same(((double)x / (double)n) / ((double)(n - x / 2 + 1) / (double)(n + 7)));
		}
	CHECK(mismatches == 0);
	CHECK(checked > 300000);
}

static void test_numtext_random_doubles(void)
{
	mismatches = checked = 0;
	for (int i = 0; i < 400000; i++) {
		uint64_t bits = next_random();
		/* Mostly the fast path's range (2^-17 to 2^47), some anywhere. */
		if (i % 8) {
			uint64_t exponent = 1023 - 17 + next_random() % 64;
			bits = (bits & ((UINT64_C(1) << 52) - 1)) | exponent << 52;
		}
		double v;
		memcpy(&v, &bits, sizeof v);
		if (isfinite(v))
			same(v);
	}
	CHECK(mismatches == 0);
}

static void test_numtext_powers_and_neighbours(void)
{
	mismatches = checked = 0;
	for (int j = -7; j <= 16; j++) {
		double p = pow(10.0, j);
		double lo = p, hi = p;
		for (int k = 0; k < 200; k++) {
			same(lo);
			same(hi);
			lo = nextafter(lo, 0);
			hi = nextafter(hi, INFINITY);
		}
		for (int k = 1; k < 1000; k++)
			same(p * (1 + k * 1e-13));
	}
	/* Powers of two: the smallest mantissa, whose step below is half. */
	for (int j = -20; j <= 50; j++) {
		double p = ldexp(1.0, j);
		for (int k = 0; k < 50; k++) {
			same(p * 3 / 7);
			same(p);
			p = nextafter(p, INFINITY);
		}
	}
	CHECK(mismatches == 0);
}

static void test_numtext_exact_ties(void)
{
	mismatches = checked = 0;
	/* i / 2^j has exactly j decimals; for j past 15 the digit after those
	 * printed is often a 5 followed by nothing: printf rounds it to even. */
	for (int j = 1; j <= 68; j++)
		for (uint64_t i = 1; i < 4000; i += 2) {
			same(ldexp((double)i, -j));
			same(ldexp((double)(i + (UINT64_C(1) << 40)), -j));
			same(ldexp((double)(i * UINT64_C(1000003) + (UINT64_C(1) << 52)), -j));
		}
	CHECK(mismatches == 0);
}

int main(void)
{
	RUN(test_numtext_examples);
	RUN(test_numtext_ratios_of_counts);
	RUN(test_numtext_random_doubles);
	RUN(test_numtext_powers_and_neighbours);
	RUN(test_numtext_exact_ties);
	return HARNESS_REPORT();
}
