/* cli/suggest: "did you mean …?" for a mistyped command, option or tool id.
 *
 * The distance is written here rather than taken from a library: it is
 * twenty lines, the words are a few dozen short names, and what Debian
 * ships that does this (a spell checker, a fuzzy-matching library) would be
 * a new dependency for one loop. */
#include "cli.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#define WORD_MAX 64

/* Optimal string alignment distance (Levenshtein plus the swap of two
 * neighbours, so "chekc" is one step from "check"), case-insensitive.
 * Words longer than WORD_MAX are cut: nobody mistypes a 64-letter name. */
size_t ord_edit_distance(const char *a, const char *b)
{
	size_t la = strnlen(a, WORD_MAX), lb = strnlen(b, WORD_MAX), i, j;
	size_t d[WORD_MAX + 1][WORD_MAX + 1];

	for (i = 0; i <= la; i++)
		d[i][0] = i;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++)
		for (j = 1; j <= lb; j++) {
			int ca = tolower((unsigned char)a[i - 1]), cb = tolower((unsigned char)b[j - 1]);
			size_t best = d[i - 1][j - 1] + (ca != cb);

			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && ca == tolower((unsigned char)b[j - 2]) &&
			    cb == tolower((unsigned char)a[i - 2]) && d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	return d[la][lb];
}

/* The candidate nearest to word, or NULL when none is near enough: at most
 * a third of the word's letters wrong (at least one), or the word is the
 * start of a candidate ("claude" for "claude-code").  "--x=value" is
 * compared by its "--x". */
const char *ord_suggest(const char *word, const char *const *cands, size_t n)
{
	size_t len = strcspn(word, "="), i, best = (size_t)-1, limit;
	const char *pick = NULL;
	char w[WORD_MAX + 1];

	if (!len || len > WORD_MAX)
		return NULL;
	memcpy(w, word, len);
	w[len] = '\0';
	limit = len / 3 ? len / 3 : 1;
	for (i = 0; i < n; i++) {
		size_t dist;

		if (!cands[i])
			continue;
		if (!strcmp(w, cands[i]))
			continue; /* the same word: not a typo of it */
		dist = ord_edit_distance(w, cands[i]);
		if (dist == 0)
			dist = 1; /* only the case differs */
		if (len >= 3 && !strncasecmp(cands[i], w, len) && strlen(cands[i]) > len)
			dist = 1;
		if (dist <= limit && dist < best) {
			best = dist;
			pick = cands[i];
		}
	}
	return pick;
}
