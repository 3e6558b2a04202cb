/*
 * harness.h: a minimal unit-test harness. Each test is a function; CHECK*
 * macros record failures without stopping; main() runs the tests listed with
 * RUN() and prints "N passed, N failed" so ctest and readers see the tally.
 */
#ifndef PARITY_TEST_HARNESS_H
#define PARITY_TEST_HARNESS_H

#include <math.h>
#include <stdio.h>
#include <string.h>

static int harness_failures;     /* checks failed in the current test */
static int harness_passed_tests;
static int harness_failed_tests;

#define CHECK(cond)                                                           \
	do {                                                                  \
		if (!(cond)) {                                                \
			fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__,  \
			        __LINE__, #cond);                             \
			harness_failures++;                                   \
		}                                                             \
	} while (0)

/* |actual - expected| <= tol * max(1, |expected|) */
#define CHECK_NEAR(actual, expected, tol)                                     \
	do {                                                                  \
		double a_ = (double)(actual), e_ = (double)(expected);        \
		double s_ = fabs(e_) > 1.0 ? fabs(e_) : 1.0;                  \
		if (!(fabs(a_ - e_) <= (tol) * s_)) {                         \
			fprintf(stderr, "%s:%d: CHECK_NEAR failed: %s = %.12g, " \
			        "expected %.12g (tol %g)\n", __FILE__, __LINE__,   \
			        #actual, a_, e_, (double)(tol));              \
			harness_failures++;                                   \
		}                                                             \
	} while (0)

#define CHECK_STR(actual, expected)                                           \
	do {                                                                  \
		const char *a_ = (actual), *e_ = (expected);                  \
		if (!a_ || strcmp(a_, e_) != 0) {                             \
			fprintf(stderr, "%s:%d: CHECK_STR failed: %s = \"%s\", " \
			        "expected \"%s\"\n", __FILE__, __LINE__, #actual,  \
			        a_ ? a_ : "(null)", e_);                      \
			harness_failures++;                                   \
		}                                                             \
	} while (0)

#define RUN(test)                                                             \
	do {                                                                  \
		harness_failures = 0;                                         \
		test();                                                       \
		if (harness_failures) {                                       \
			fprintf(stderr, "FAIL %s\n", #test);                  \
			harness_failed_tests++;                               \
		} else {                                                      \
			printf("ok   %s\n", #test);                           \
			harness_passed_tests++;                               \
		}                                                             \
	} while (0)

#define HARNESS_REPORT()                                                      \
	(printf("%d passed, %d failed\n", harness_passed_tests,               \
	        harness_failed_tests),                                        \
	 harness_failed_tests ? 1 : 0)

#endif
