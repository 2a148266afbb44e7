/* json.c: JSON paths and conditions (the assertion forms and parsing of
 * stdout are in jsonassert.c).  Included by runner.c.
 *
 *   PATH   := ['$'] [NAME] { '.' NAME | '[' INDEX ']' | '[' "KEY" ']' | '[*]' }
 *             or '.' alone (the current element);  INDEX may be negative
 *             (-1 is the last element)
 *   COND   := PATH OP [VALUE]
 *   OP     := == | != | contains | length | exists | missing | matches
 *   Json:      COND                       (no [*])
 *   Json-Any:  COND                       some expansion of the [*] holds
 *   Json-Any:  BASE COND && COND ...      some element of BASE satisfies
 *                                         every COND (paths relative to it)
 *   Json-None: the same forms, negated
 */
#include "runner.h"
#include "json.h"

#include <ctype.h>
#include <json-c/json.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>

void rc_jpath_free(jpath *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		free(p->v[i].key);
	free(p->v);
	memset(p, 0, sizeof(*p));
}

static void push_seg(jpath *p, int type, char *key, long idx)
{
	p->v = rc_xrealloc(p->v, (p->n + 1) * sizeof(jseg));
	p->v[p->n].type = type;
	p->v[p->n].key = key;
	p->v[p->n].idx = idx;
	p->n++;
	p->wild |= type == SEG_WILD;
}

/* Parse a path at *sp, stopping at whitespace; returns 0 or -1 (*err). */
int rc_jpath_parse(const char **sp, jpath *p, char **err)
{
	const char *s = *sp;
	int first = 1;

	memset(p, 0, sizeof(*p));
	if (*s == '$')
		s++;
	if (*s == '.' && (!s[1] || isspace((unsigned char)s[1]))) {
		*sp = s + 1; /* "." : the element itself */
		return 0;
	}
	while (*s && !isspace((unsigned char)*s)) {
		if (*s == '[') {
			s++;
			if (s[0] == '*' && s[1] == ']') {
				push_seg(p, SEG_WILD, NULL, 0);
				s += 2;
			} else if (*s == '"') {
				char *k = rc_xmalloc(strlen(s) + 1);
				size_t n = 0;

				for (s++; *s && *s != '"'; s++) {
					if (*s == '\\' && s[1])
						s++;
					k[n++] = *s;
				}
				k[n] = '\0';
				if (s[0] != '"' || s[1] != ']') {
					free(k);
					goto bad;
				}
				push_seg(p, SEG_KEY, k, 0);
				s += 2;
			} else {
				char *end;
				long idx = strtol(s, &end, 10);

				if (end == s || *end != ']')
					goto bad;
				push_seg(p, SEG_INDEX, NULL, idx);
				s = end + 1;
			}
		} else {
			size_t n;

			if (*s == '.' && !first)
				s++;
			n = strcspn(s, ".[ \t");
			if (!n)
				goto bad;
			push_seg(p, SEG_KEY, rc_xstrndup(s, n), 0);
			s += n;
		}
		first = 0;
	}
	*sp = s;
	return 0;
bad:
	*err = rc_xasprintf("bad path near '%.20s'", s);
	rc_jpath_free(p);
	return -1;
}

/* A whole JSON literal; NULL value (JSON null) is fine: *ok says. */
static json_object *parse_literal(const char *text, int *ok)
{
	json_tokener *tok = json_tokener_new();
	size_t len = strlen(text), end;
	json_object *o;

	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	o = json_tokener_parse_ex(tok, text, (int)len + 1);
	*ok = json_tokener_get_error(tok) == json_tokener_success;
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	while (*ok && end < len && isspace((unsigned char)text[end]))
		end++;
	if (*ok && end < len)
		*ok = 0;
	if (!*ok) {
		json_object_put(o);
		o = NULL;
	}
	return o;
}

int rc_jcond_parse(const char **sp, jcond *c, char **err)
{
	static const char *const ops[] = {"==", "!=", "contains", "length",
					  "exists", "missing", "matches"};
	const char *s = *sp;
	size_t i, n;
	int ok;

	memset(c, 0, sizeof(*c));
	if (rc_jpath_parse(&s, &c->path, err))
		return -1;
	while (isspace((unsigned char)*s))
		s++;
	n = strcspn(s, " \t");
	for (i = 0; i < sizeof(ops) / sizeof(*ops); i++)
		if (strlen(ops[i]) == n && !strncmp(s, ops[i], n))
			break;
	if (i == sizeof(ops) / sizeof(*ops)) {
		*err = rc_xasprintf("expected ==, !=, contains, length, exists, missing or "
				    "matches, got '%.*s'", (int)n, s);
		goto fail;
	}
	c->op = (int)i;
	s += n;
	while (isspace((unsigned char)*s))
		s++;
	if (c->op == OP_EXISTS || c->op == OP_MISSING) {
		if (*s) {
			*err = rc_xasprintf("'%s' takes no value", ops[i]);
			goto fail;
		}
	} else if (c->op == OP_LENGTH) {
		char *end;

		c->n = strtol(s, &end, 10);
		if (end == s || *end || c->n < 0) {
			*err = rc_xasprintf("length wants a number, not '%s'", s);
			goto fail;
		}
	} else {
		c->val = parse_literal(s, &ok);
		if (!ok) {
			*err = rc_xasprintf("'%s' is not one JSON value (strings need "
					    "\"quotes\"; join conditions with ' && ' only "
					    "after a BASE path)", s);
			goto fail;
		}
		if (c->op == OP_MATCHES && !json_object_is_type(c->val, json_type_string)) {
			*err = rc_xstrdup("matches wants a \"string\" holding an ERE");
			goto fail;
		}
	}
	*sp = s + strlen(s);
	return 0;
fail:
	rc_jpath_free(&c->path);
	json_object_put(c->val);
	c->val = NULL;
	return -1;
}

void rc_jcond_free(jcond *c)
{
	rc_jpath_free(&c->path);
	json_object_put(c->val);
	free(c->last);
	free(c->seen);
}

static int is_number(json_object *o)
{
	return json_object_is_type(o, json_type_int) ||
	       json_object_is_type(o, json_type_double);
}

static int json_eq(json_object *a, json_object *b)
{
	size_t i, n;

	if (!a || !b)
		return a == b;
	if (is_number(a) && is_number(b)) {
		if (json_object_is_type(a, json_type_int) &&
		    json_object_is_type(b, json_type_int))
			return json_object_get_int64(a) == json_object_get_int64(b);
		return json_object_get_double(a) == json_object_get_double(b);
	}
	if (json_object_get_type(a) != json_object_get_type(b))
		return 0;
	switch (json_object_get_type(a)) {
	case json_type_boolean:
		return json_object_get_boolean(a) == json_object_get_boolean(b);
	case json_type_string:
		return json_object_get_string_len(a) == json_object_get_string_len(b) &&
		       !memcmp(json_object_get_string(a), json_object_get_string(b),
			       (size_t)json_object_get_string_len(a));
	case json_type_array:
		n = json_object_array_length(a);
		if (n != json_object_array_length(b))
			return 0;
		for (i = 0; i < n; i++)
			if (!json_eq(json_object_array_get_idx(a, i),
				     json_object_array_get_idx(b, i)))
				return 0;
		return 1;
	case json_type_object: {
		json_object *bv;

		if (json_object_object_length(a) != json_object_object_length(b))
			return 0;
		json_object_object_foreach(a, k, av) {
			if (!json_object_object_get_ex(b, k, &bv) || !json_eq(av, bv))
				return 0;
		}
		return 1;
	}
	default:
		return 1;
	}
}

static void note_leaf(jcond *c, int found, json_object *node)
{
	char *v, *old;

	free(c->last);
	if (!found)
		v = rc_xstrdup("missing");
	else if (c->op == OP_LENGTH &&
		 (json_object_is_type(node, json_type_array) ||
		  json_object_is_type(node, json_type_object)))
		v = rc_xasprintf("%s of length %zu",
				 json_object_is_type(node, json_type_array) ? "an array" : "an object",
				 json_object_is_type(node, json_type_array)
					 ? json_object_array_length(node)
					 : (size_t)json_object_object_length(node));
	else {
		const char *js = json_object_to_json_string_ext(node, JSON_C_TO_STRING_PLAIN);

		v = strlen(js) > 200 ? rc_xasprintf("%.200s...", js) : rc_xstrdup(js);
	}
	c->last = found ? rc_xasprintf("got %s", v) : rc_xstrdup(v);
	if (c->nseen < 4) {
		old = c->seen;
		c->seen = old ? rc_xasprintf("%s, %s", old, v) : rc_xstrdup(v);
		free(old);
	} else if (c->nseen == 4) {
		old = c->seen;
		c->seen = rc_xasprintf("%s, ...", old);
		free(old);
	}
	c->nseen++;
	free(v);
}

static int test_leaf(jcond *c, int found, json_object *node)
{
	size_t i, n;

	note_leaf(c, found, node);
	switch (c->op) {
	case OP_EXISTS:
		return found;
	case OP_MISSING:
		return !found;
	case OP_EQ:
		return found && json_eq(node, c->val);
	case OP_NE:
		return found && !json_eq(node, c->val);
	case OP_CONTAINS:
		if (!found)
			return 0;
		if (json_object_is_type(node, json_type_string) &&
		    json_object_is_type(c->val, json_type_string))
			return memmem(json_object_get_string(node),
				      (size_t)json_object_get_string_len(node),
				      json_object_get_string(c->val),
				      (size_t)json_object_get_string_len(c->val)) != NULL;
		if (json_object_is_type(node, json_type_array)) {
			n = json_object_array_length(node);
			for (i = 0; i < n; i++)
				if (json_eq(json_object_array_get_idx(node, i), c->val))
					return 1;
		}
		return 0;
	case OP_LENGTH:
		if (!found)
			return 0;
		if (json_object_is_type(node, json_type_array))
			return json_object_array_length(node) == (size_t)c->n;
		if (json_object_is_type(node, json_type_object))
			return json_object_object_length(node) == c->n;
		if (json_object_is_type(node, json_type_string))
			return json_object_get_string_len(node) == c->n;
		return 0;
	case OP_MATCHES: {
		regex_t rx;
		int hit;

		if (!found || !json_object_is_type(node, json_type_string))
			return 0;
		if (regcomp(&rx, json_object_get_string(c->val),
			    REG_EXTENDED | REG_NOSUB))
			return 0;
		hit = !regexec(&rx, json_object_get_string(node), 0, NULL, 0);
		regfree(&rx);
		return hit;
	}
	}
	return 0;
}

/* Does some expansion of the path below node satisfy c?  *leaves counts
 * the leaves tried. */
int rc_jcond_any(json_object *node, const jseg *s, size_t n, jcond *c,
		      size_t *leaves)
{
	json_object *child;
	size_t i, len;

	if (!n) {
		++*leaves;
		return test_leaf(c, 1, node);
	}
	switch (s->type) {
	case SEG_KEY:
		if (json_object_is_type(node, json_type_object) &&
		    json_object_object_get_ex(node, s->key, &child))
			return rc_jcond_any(child, s + 1, n - 1, c, leaves);
		break;
	case SEG_INDEX:
		if (json_object_is_type(node, json_type_array)) {
			long idx = s->idx;

			len = json_object_array_length(node);
			if (idx < 0)
				idx += (long)len;
			if (idx >= 0 && (size_t)idx < len)
				return rc_jcond_any(json_object_array_get_idx(node, (size_t)idx),
						  s + 1, n - 1, c, leaves);
		}
		break;
	case SEG_WILD:
		if (json_object_is_type(node, json_type_array)) {
			len = json_object_array_length(node);
			for (i = 0; i < len; i++)
				if (rc_jcond_any(json_object_array_get_idx(node, i),
					       s + 1, n - 1, c, leaves))
					return 1;
		} else if (json_object_is_type(node, json_type_object)) {
			json_object_object_foreach(node, k, v) {
				(void)k;
				if (rc_jcond_any(v, s + 1, n - 1, c, leaves))
					return 1;
			}
		}
		return 0;
	}
	++*leaves;
	return test_leaf(c, 0, NULL);
}

/* Every node the path reaches (all [*] expanded). */
void rc_jpath_expand(json_object *node, const jseg *s, size_t n,
		   json_object ***out, size_t *nout)
{
	json_object *child;
	size_t i, len;

	if (!n) {
		*out = rc_xrealloc(*out, (*nout + 1) * sizeof(json_object *));
		(*out)[(*nout)++] = node;
		return;
	}
	if (s->type == SEG_KEY) {
		if (json_object_is_type(node, json_type_object) &&
		    json_object_object_get_ex(node, s->key, &child))
			rc_jpath_expand(child, s + 1, n - 1, out, nout);
	} else if (s->type == SEG_INDEX) {
		if (json_object_is_type(node, json_type_array)) {
			long idx = s->idx;

			len = json_object_array_length(node);
			if (idx < 0)
				idx += (long)len;
			if (idx >= 0 && (size_t)idx < len)
				rc_jpath_expand(json_object_array_get_idx(node, (size_t)idx),
				       s + 1, n - 1, out, nout);
		}
	} else if (json_object_is_type(node, json_type_array)) {
		len = json_object_array_length(node);
		for (i = 0; i < len; i++)
			rc_jpath_expand(json_object_array_get_idx(node, i), s + 1, n - 1, out, nout);
	} else if (json_object_is_type(node, json_type_object)) {
		json_object_object_foreach(node, k, v) {
			(void)k;
			rc_jpath_expand(v, s + 1, n - 1, out, nout);
		}
	}
}
