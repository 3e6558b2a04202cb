/*
 * stats_internal.h: helpers the statistics files (stats.c, stats_tests.c,
 * stats_pool.c) share and do not export: count validation with messages
 * that name the bad argument, and the level check.
 */
#ifndef PARITY_STATS_INTERNAL_H
#define PARITY_STATS_INTERNAL_H

#include <stdint.h>

/*
 * Check one table's counts: x <= n in each group and no count above
 * PARITY_STATS_MAX_COUNT. `where` prefixes the message ("stratum 3: ") and
 * may be "". Returns 0 or PARITY_EUSAGE with the message set.
 */
int stats_check_counts(uint64_t x1, uint64_t n1, uint64_t x2, uint64_t n2,
                       const char *where);

/* Check a confidence level: 0 or PARITY_EUSAGE unless 0 < level < 1. */
int stats_check_level(double level);

#endif
