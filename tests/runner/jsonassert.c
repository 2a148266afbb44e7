/* jsonassert.c: the Json / Json-Any / Json-None forms (see json.c for the
 * grammar) and parsing the command's stdout.  Included by runner.c. */
#include "runner.h"
#include "json.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static int is_op_word(const char *s)
{
	static const char *const ops[] = {"==", "!=", "contains", "length",
					  "exists", "missing", "matches"};
	size_t i, n = strcspn(s, " \t");

	for (i = 0; i < sizeof(ops) / sizeof(*ops); i++)
		if (strlen(ops[i]) == n && !strncmp(s, ops[i], n))
			return 1;
	return 0;
}

/* Split "A && B && C" outside double-quoted strings. */
static void split_and(const char *s, rc_strv *out)
{
	const char *start = s;
	int q = 0;

	for (; *s; s++) {
		if (*s == '"' && (s == start || s[-1] != '\\'))
			q = !q;
		else if (!q && !strncmp(s, " && ", 4)) {
			rc_strv_push(out, rc_xstrndup(start, (size_t)(s - start)));
			start = s + 4;
			s += 3;
		}
	}
	rc_strv_push(out, rc_xstrdup(start));
}

/* BASE COND && COND ...: how many elements of base satisfy every cond;
 * stops at the first when stop_first. */
static int form_b(int kind, const char *text, json_object *doc, char **why)
{
	const char *s = text;
	jpath base;
	rc_strv parts = {0};
	jcond *conds = NULL;
	json_object **elems = NULL;
	size_t nel = 0, i, j, nc = 0, leaves;
	int rc = -1, hit = 0;
	long first_hit = -1, best = -1;
	size_t best_good = 0;
	char *best_why = NULL;

	if (rc_jpath_parse(&s, &base, why))
		return -1;
	while (isspace((unsigned char)*s))
		s++;
	split_and(s, &parts);
	conds = rc_xmalloc(parts.n * sizeof(jcond));
	for (i = 0; i < parts.n; i++, nc++) {
		const char *cs = parts.v[i];
		char *e = NULL;

		if (rc_jcond_parse(&cs, &conds[i], &e)) {
			*why = rc_xasprintf("condition %zu: %s", i + 1, e);
			free(e);
			goto out;
		}
	}
	rc_jpath_expand(doc, base.v, base.n, &elems, &nel);
	for (i = 0; i < nel && !hit; i++) {
		size_t good = 0, bad = nc;

		for (j = 0; j < nc; j++) {
			leaves = 0;
			free(conds[j].seen);
			conds[j].seen = NULL;
			conds[j].nseen = 0;
			if (rc_jcond_any(elems[i], conds[j].path.v, conds[j].path.n,
				       &conds[j], &leaves))
				good++;
			else if (bad == nc)
				bad = j;
		}
		if (good == nc) {
			hit = 1;
			first_hit = (long)i;
		} else if (best < 0 || good > best_good) {
			/* The element closest to matching, for the message. */
			best = (long)i;
			best_good = good;
			free(best_why);
			best_why = rc_xasprintf("closest is element %ld: '%s' fails (%s)",
						best, parts.v[bad],
						conds[bad].seen ? conds[bad].seen : "missing");
		}
	}
	if (kind == RC_A_JSON_NONE ? !hit : hit)
		rc = 1;
	else {
		rc = 0;
		if (kind == RC_A_JSON_NONE)
			*why = rc_xasprintf("element %ld of %zu satisfies every condition",
					    first_hit, nel);
		else
			*why = rc_xasprintf("none of the %zu elements satisfies every condition%s%s",
					    nel, best_why ? "; " : "", best_why ? best_why : "");
	}
out:
	for (i = 0; i < nc; i++)
		rc_jcond_free(&conds[i]);
	free(conds);
	free(elems);
	free(best_why);
	rc_strv_free(&parts);
	rc_jpath_free(&base);
	return rc;
}

int rc_json_assert(int kind, const char *text, void *doc, char **why)
{
	const char *s = text;
	jcond c;
	size_t leaves = 0;
	int hit, rc;

	*why = NULL;
	{
		/* Which form?  Look at the word after the path. */
		jpath probe;
		const char *t = text;
		char *e = NULL;

		if (rc_jpath_parse(&t, &probe, &e)) {
			*why = e;
			return -1;
		}
		rc_jpath_free(&probe);
		while (isspace((unsigned char)*t))
			t++;
		if (!is_op_word(t)) {
			if (kind == RC_A_JSON) {
				*why = rc_xstrdup("expected 'PATH OP VALUE' (BASE COND && COND is "
						  "for Json-Any/Json-None)");
				return -1;
			}
			return form_b(kind, text, doc, why);
		}
	}
	if (rc_jcond_parse(&s, &c, why))
		return -1;
	if (kind == RC_A_JSON && c.path.wild) {
		rc_jcond_free(&c);
		*why = rc_xstrdup("[*] needs Json-Any or Json-None");
		return -1;
	}
	hit = rc_jcond_any(doc, c.path.v, c.path.n, &c, &leaves);
	if (kind == RC_A_JSON_NONE ? !hit : hit)
		rc = 1;
	else {
		rc = 0;
		if (kind == RC_A_JSON)
			*why = rc_xstrdup(c.last ? c.last : "no value");
		else if (kind == RC_A_JSON_ANY)
			*why = rc_xasprintf("no match among %zu candidates (%s)", leaves,
					    c.seen ? c.seen : "none");
		else
			*why = rc_xasprintf("a match: %s", c.last ? c.last : "?");
	}
	rc_jcond_free(&c);
	return rc;
}

static json_object *parse_one(const char *buf, size_t len, char **err)
{
	json_tokener *tok = json_tokener_new_ex(128);
	json_object *o;
	size_t end;
	enum json_tokener_error e;

	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	o = json_tokener_parse_ex(tok, buf, (int)len + 1);
	e = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (e != json_tokener_success) {
		*err = rc_xasprintf("%s at byte %zu", json_tokener_error_desc(e), end);
		json_object_put(o);
		return NULL;
	}
	while (end < len && isspace((unsigned char)buf[end]))
		end++;
	if (end < len || !o) {
		*err = rc_xasprintf(o ? "text after the JSON document at byte %zu"
				      : "null document", end);
		json_object_put(o);
		return NULL;
	}
	return o;
}

void *rc_json_parse_output(const char *buf, size_t len, char **err)
{
	json_object *o, *arr;
	const char *p = buf, *end = buf + len;
	char *e2 = NULL;

	*err = NULL;
	if (len > 0x7ffffff0u || memchr(buf, '\0', len)) {
		*err = rc_xstrdup("NUL byte or too large");
		return NULL;
	}
	if (!len) {
		*err = rc_xstrdup("stdout is empty");
		return NULL;
	}
	if ((o = parse_one(buf, len, err)))
		return o;
	/* JSON lines (proxy/run --json): every non-empty line one value. */
	arr = json_object_new_array();
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t ll = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char *line = rc_xstrndup(p, ll);

		p += ll + (nl != NULL);
		if (strspn(line, " \t\r") == ll) {
			free(line);
			continue;
		}
		o = parse_one(line, ll, &e2);
		free(line);
		free(e2);
		e2 = NULL;
		if (!o) {
			json_object_put(arr);
			return NULL;
		}
		json_object_array_add(arr, o);
	}
	if (json_object_array_length(arr) < 2) {
		json_object_put(arr);
		return NULL;
	}
	free(*err);
	*err = NULL;
	return arr;
}

void rc_json_put(void *doc)
{
	json_object_put(doc);
}
