/* The conditions on a profile line (unless=, when-env=, if=) and the values a
 * tool skips although they are set (min-len=, placeholder=): whether a source
 * line takes part in a tool's chain here. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "ctx.h"
#include "resolve_internal.h"

/* unless=PATH (repeatable): the line is left out while any PATH exists. */
int rs_unless_holds(rstate *r, const ord_psrc *s)
{
	size_t i;

	for (i = 0; i < s->nunless; i++) {
		char *path = rs_expand_path(r, s->unless[i]);
		struct stat st;
		int exists = path && !ord_stat(r->ctx, path, &st);

		free(path);
		if (exists)
			return 1;
	}
	return 0;
}

/* when-env=VAR:V1|V2|-: the line applies while VAR (as the tool gets it)
 * has one of the values; "-" stands for unset.  An empty VAR is the value
 * "" and matches no word: LiteLLM compares LITELLM_MODE with "DEV". */
int rs_when_env_holds(rstate *r, const ord_psrc *s)
{
	const char *colon, *val, *w;
	char *name;

	if (!s->when_env)
		return 1;
	colon = strchr(s->when_env, ':');
	name = colon ? strndup(s->when_env, (size_t)(colon - s->when_env)) : NULL;
	if (!name)
		return 1;
	val = ord_env_get(r->ctx, name);
	free(name);
	for (w = colon + 1;; w++) {
		size_t n = strcspn(w, "|");

		if (n == 1 && *w == '-' ? !val : val && strlen(val) == n && !strncmp(val, w, n))
			return 1;
		w += n;
		if (!*w)
			return 0;
	}
}

/* min-len= / placeholder=: Hermes skips a value that, blanks trimmed, is
 * shorter than 4 characters or a placeholder word (has_usable_secret). */
int rs_value_unusable(const ord_psrc *s, const ord_key *k)
{
	const char *v = (const char *)k->raw, *w;
	size_t n = k->raw_len;

	while (n && strchr(" \t\r\n\f\v", *v) && *v)
		v++, n--;
	while (n && strchr(" \t\r\n\f\v", v[n - 1]) && v[n - 1])
		n--;
	if (s->min_len && n < (size_t)s->min_len)
		return 1;
	for (w = s->placeholders; w && *w; w += *w == '|') {
		size_t wn = strcspn(w, "|");

		if (wn == n && !strncasecmp(w, v, n))
			return 1;
		w += wn;
	}
	return 0;
}

/* if=PATH[:TEXT]: the line applies when any condition holds (PATH exists
 * and, with TEXT, contains it), or when it has none.  The split is at the
 * first ':' after the path's first character: path tokens (<cwd>, ~, $VAR)
 * have no colon. */
int rs_if_holds(rstate *r, const ord_psrc *s)
{
	size_t i;

	for (i = 0; i < s->nifs; i++) {
		const char *colon = strchr(s->ifs[i] + 1, ':');
		char *want = colon ? strndup(s->ifs[i], (size_t)(colon - s->ifs[i])) : strdup(s->ifs[i]);
		char *path = want ? rs_expand_path(r, want) : NULL;
		struct stat st;
		int ok = 0;

		if (path && !colon)
			ok = !ord_stat(r->ctx, path, &st);
		else if (path) {
			ord_buf b = ORD_BUF_INIT(ORD_FILE_CAP);
			if (!ord_read_file(r->ctx, path, ORD_FILE_CAP, &b, NULL))
				ok = memmem(ord_buf_str(&b), b.len, colon + 1, strlen(colon + 1)) != NULL;
			ord_buf_release(&b);
		}
		free(path);
		free(want);
		if (ok)
			return 1;
	}
	return s->nifs == 0;
}
