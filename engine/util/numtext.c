/*
 * numtext.c: doubles as text for the analysts' files: the shortest of
 * printf's %.15g, %.16g and %.17g that reads back as the same double, the
 * same bytes printf and strtod give, worked out in integers (a national
 * run prints tens of millions of ratios and intervals).
 */
#include "util/util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__extension__ typedef unsigned __int128 u128;

static const uint64_t pow10_u64[20] = {
	UINT64_C(1), UINT64_C(10), UINT64_C(100), UINT64_C(1000), UINT64_C(10000),
	UINT64_C(100000), UINT64_C(1000000), UINT64_C(10000000), UINT64_C(100000000),
	UINT64_C(1000000000), UINT64_C(10000000000), UINT64_C(100000000000),
	UINT64_C(1000000000000), UINT64_C(10000000000000), UINT64_C(100000000000000),
	UINT64_C(1000000000000000), UINT64_C(10000000000000000),
	UINT64_C(100000000000000000), UINT64_C(1000000000000000000),
	UINT64_C(10000000000000000000)};

static u128 pow10_u128(int k)
{
	return k < 20 ? (u128)pow10_u64[k] : (u128)pow10_u64[19] * pow10_u64[k - 19];
}

/* What printf and strtod do, for the values the integer path leaves: the
 * shortest of %.15g, %.16g, %.17g that reads back as `value`. */
static size_t by_printf(char *out, double value)
{
	int n = 0;
	for (int digits = 15; digits <= 17; digits++) {
		n = snprintf(out, UTIL_DOUBLE_TEXT_MAX, "%.*g", digits, value);
		if (strtod(out, NULL) == value)
			break;
	}
	return n > 0 ? (size_t)n : 0;
}

/* The digits of q (exactly `digits` of them) laid out as %.<digits>g lays
 * out a value of decimal exponent x: fixed when -4 <= x < digits, else
 * d.ddde+XX, trailing zeros of the fraction dropped. Returns the length. */
static size_t lay_out(char *out, int negative, uint64_t q, int digits, int x)
{
	char d[20];
	for (int i = digits - 1; i >= 0; i--) {
		d[i] = (char)('0' + q % 10);
		q /= 10;
	}
	int used = digits; /* significant digits once trailing zeros go */
	while (used > 1 && d[used - 1] == '0')
		used--;
	size_t n = 0;
	if (negative)
		out[n++] = '-';
	if (x < -4 || x >= digits) {
		out[n++] = d[0];
		if (used > 1) {
			out[n++] = '.';
			memcpy(out + n, d + 1, (size_t)(used - 1));
			n += (size_t)(used - 1);
		}
		out[n++] = 'e';
		out[n++] = x < 0 ? '-' : '+';
		int ax = x < 0 ? -x : x;
		if (ax >= 100)
			out[n++] = (char)('0' + ax / 100);
		out[n++] = (char)('0' + ax / 10 % 10);
		out[n++] = (char)('0' + ax % 10);
	} else if (x >= 0) {
		memcpy(out + n, d, (size_t)x + 1);
		n += (size_t)x + 1;
		if (used > x + 1) {
			out[n++] = '.';
			memcpy(out + n, d + x + 1, (size_t)(used - x - 1));
			n += (size_t)(used - x - 1);
		}
	} else {
		out[n++] = '0';
		out[n++] = '.';
		for (int i = 0; i < -x - 1; i++)
			out[n++] = '0';
		memcpy(out + n, d, (size_t)used);
		n += (size_t)used;
	}
	out[n] = '\0';
	return n;
}

/*
 * For 1e-5 <= |value| < 1e14 with a fraction: value = m / 2^s exactly (m
 * of 53 bits). For D digits and decimal exponent x, N = m * 10^k with
 * k = D - 1 - x (below 2^123), q = N / 2^s is the truncated D digits and
 * r the remainder: rounding q to nearest, ties to even, is what printf
 * prints. The printed decimal Q / 10^k reads back as value when it lies
 * within half a step of value's neighbours: |Q * 2^s - N| < 10^k / 2
 * (a tie goes to the even m), the step below being half as wide when m
 * is the smallest mantissa (value a power of two). Neither a tie nor that
 * narrower step decides anything in this range (a midpoint between two
 * doubles has more than 17 digits; a power of two here at most 12), but
 * the rule is strtod's whole rule, kept so that no case rests on that.
 */
size_t util_double_text(char *out, double value)
{
	double a = fabs(value);
	if (!(a >= 1e-5 && a < 1e14) || a == floor(a))
		return by_printf(out, value);
	int ex;
	double f = frexp(a, &ex);          /* a = f * 2^ex, 0.5 <= f < 1 */
	uint64_t m = (uint64_t)ldexp(f, 53); /* exact: 53 bits */
	int s = 53 - ex;                   /* a = m / 2^s; 6 < s < 71 here */
	u128 one = 1, low = (one << s) - 1;
	int x = (int)floor(log10(a));      /* corrected below if one off */
	for (int digits = 15; digits <= 17; digits++) {
		u128 q, r, n;
		int k;
		for (;;) {
			k = digits - 1 - x;
			n = (u128)m * pow10_u128(k);
			q = n >> s;
			if (q < pow10_u64[digits - 1])
				x--;
			else if (q >= pow10_u64[digits])
				x++;
			else
				break;
		}
		r = n & low;
		u128 half = one << (s - 1);
		int up = r > half || (r == half && (q & 1));
		u128 dist = up ? (one << s) - r : r; /* |Q * 2^s - N| */
		u128 p10 = pow10_u128(k);
		int below = !up && r; /* the decimal lies below value */
		int back;
		if (below && m == UINT64_C(1) << 52)
			back = 4 * dist <= p10; /* the neighbour below is half a step away */
		else
			back = 2 * dist < p10 || (2 * dist == p10 && !(m & 1));
		if (!back && digits < 17)
			continue;
		uint64_t digits_q = (uint64_t)q + (uint64_t)up;
		int xx = x;
		if (digits_q == pow10_u64[digits]) { /* 9.99.. rounded up to 10.0.. */
			digits_q = pow10_u64[digits - 1];
			xx++;
		}
		return lay_out(out, value < 0, digits_q, digits, xx);
	}
	return by_printf(out, value); /* not reached: 17 digits always read back */
}
