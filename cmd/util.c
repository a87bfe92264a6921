// SPDX-License-Identifier: GPL-2.0-or-later
/* Copyright (C) 2026 The iommuctl authors */
/* Verb dispatch, option parsing and error reporting shared by all objects. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"

unsigned int edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	unsigned int *row, prev, tmp, best;

	if (la > 64 || lb > 64)
		return 1000;
	row = calloc(lb + 1, sizeof(*row));
	if (!row)
		return 1000;
	for (j = 0; j <= lb; j++)
		row[j] = (unsigned int)j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = (unsigned int)i;
		for (j = 1; j <= lb; j++) {
			tmp = row[j];
			best = prev + (a[i - 1] != b[j - 1]);
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			prev = tmp;
		}
	}
	best = row[lb];
	free(row);
	return best;
}

/* The closest candidate if it is close enough to be a typo, else NULL. */
const char *did_you_mean(const char *word, const char *const *cand, size_t n)
{
	unsigned int best = 1000, d, limit;
	const char *pick = NULL;
	size_t i, wl = strlen(word);

	limit = wl <= 3 ? 1 : wl <= 6 ? 2 : 3;
	for (i = 0; i < n; i++) {
		if (!strncmp(cand[i], word, wl) && wl >= 2) {
			d = 0; /* a prefix: "grou" for "group" */
		} else {
			d = edit_distance(word, cand[i]);
		}
		if (d < best) {
			best = d;
			pick = cand[i];
		}
	}
	return best <= limit ? pick : NULL;
}
