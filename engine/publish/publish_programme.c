/*
 * publish_programme.c: what the disclosure gate allows of a programme's
 * event study (results->programme): a term is withheld whole when any
 * organisation-year behind it holds a small count, since a ratio of ratios
 * over few organisations, set beside the published ratios of the same
 * organisations and years, could give that count away.
 */
#include "parity/publish.h"

int parity_publish_programme_hidden(const parity_published *pub,
                                    const parity_programme_row *row)
{
	unsigned threshold = parity_publish_threshold(pub);
	if (!pub || !row || threshold < 2)
		return 0;
	return row->smallest >= 1 && row->smallest < threshold;
}
