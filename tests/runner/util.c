/* util.c: allocation helpers, the fixture keys file, word splitting, C
 * escapes and @...@ substitution.  Included by runner.c. */
#include "runner.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- allocation helpers: the runner aborts on out-of-memory ---------- */

void *rc_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p) {
		fputs("ordoctor-cases: out of memory\n", stderr);
		abort();
	}
	return p;
}

void *rc_xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p) {
		fputs("ordoctor-cases: out of memory\n", stderr);
		abort();
	}
	return p;
}

char *rc_xstrndup(const char *s, size_t n)
{
	char *d = rc_xmalloc(n + 1);

	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *rc_xstrdup(const char *s)
{
	return rc_xstrndup(s, strlen(s));
}

char *rc_xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0) {
		fputs("ordoctor-cases: out of memory\n", stderr);
		abort();
	}
	va_end(ap);
	return s;
}

void rc_strv_push(rc_strv *sv, char *s)
{
	if (sv->n + 2 > sv->cap) {
		sv->cap = sv->cap ? sv->cap * 2 : 8;
		sv->v = rc_xrealloc(sv->v, sv->cap * sizeof(char *));
	}
	sv->v[sv->n++] = s;
	sv->v[sv->n] = NULL;
}

void rc_strv_free(rc_strv *sv)
{
	size_t i;

	for (i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	memset(sv, 0, sizeof(*sv));
}

/* ---- fixture keys ------------------------------------------------------ */

void rc_keys_add(rc_keys *keys, const char *name, const char *value)
{
	keys->v = rc_xrealloc(keys->v, (keys->n + 1) * sizeof(rc_key));
	keys->v[keys->n].name = rc_xstrdup(name);
	keys->v[keys->n].value = rc_xstrdup(value);
	keys->n++;
}

const char *rc_keys_get(const rc_keys *keys, const char *name)
{
	size_t i;

	for (i = 0; i < keys->n; i++)
		if (!strcmp(keys->v[i].name, name))
			return keys->v[i].value;
	return NULL;
}

void rc_keys_free(rc_keys *keys)
{
	size_t i;

	for (i = 0; i < keys->n; i++) {
		free(keys->v[i].name);
		free(keys->v[i].value);
	}
	free(keys->v);
	keys->v = NULL;
	keys->n = 0;
}

int rc_keys_load(rc_keys *keys, const char *path, char **err)
{
	size_t len;
	char *text = rc_read_file(path, &len, 1 << 20), *line, *save = NULL;
	int lineno = 0;

	if (!text) {
		*err = rc_xasprintf("cannot read fixture keys '%s': %s", path,
				    strerror(errno));
		return -1;
	}
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char name[128], value[1024], extra[8];
		int n;

		lineno++;
		while (isspace((unsigned char)*line))
			line++;
		if (!*line || *line == '#')
			continue;
		n = sscanf(line, "%127s %1023s %7s", name, value, extra);
		if (n != 2 || strlen(value) < 8 || rc_keys_get(keys, name)) {
			*err = rc_xasprintf("%s: bad line '%.20s...': want 'NAME VALUE' "
					    "(unique NAME, VALUE of 8+ chars)",
					    path, line);
			free(text);
			return -1;
		}
		rc_keys_add(keys, name, value);
	}
	free(text);
	return 0;
}

void rc_keys_add_literals(rc_keys *keys, const char *text)
{
	static const char prefix[] = "sk-or-v1-";
	const char *p = text;
	size_t i;

	while ((p = strstr(p, prefix))) {
		const char *h = p + sizeof(prefix) - 1;
		int ok = 1;

		for (i = 0; i < 64 && ok; i++)
			ok = (h[i] >= '0' && h[i] <= '9') || (h[i] >= 'a' && h[i] <= 'f');
		if (ok) {
			char *val = rc_xstrndup(p, sizeof(prefix) - 1 + 64);
			size_t k;
			int dup = 0;

			for (k = 0; k < keys->n; k++)
				dup |= !strcmp(keys->v[k].value, val);
			if (!dup) {
				int line = 1;
				const char *q;
				char name[32];

				for (q = text; q < p; q++)
					line += *q == '\n';
				snprintf(name, sizeof(name), "LITERAL_%d", line);
				rc_keys_add(keys, name, val);
			}
			free(val);
		}
		p += sizeof(prefix) - 1;
	}
}

/* ---- words and escapes ------------------------------------------------- */

int rc_split_words(const char *s, rc_strv *out, char **err)
{
	for (;;) {
		size_t cap = strlen(s) + 1, n = 0;
		char *w;
		int quoted = 0;

		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			return 0;
		w = rc_xmalloc(cap);
		while (*s && (quoted || (*s != ' ' && *s != '\t'))) {
			if (*s == '"') {
				quoted = !quoted;
				s++;
			} else if (quoted && *s == '\\' && (s[1] == '"' || s[1] == '\\')) {
				w[n++] = s[1];
				s += 2;
			} else
				w[n++] = *s++;
		}
		if (quoted) {
			free(w);
			*err = rc_xstrdup("unterminated double quote");
			return -1;
		}
		w[n] = '\0';
		rc_strv_push(out, w);
	}
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

long rc_decode_escapes(const char *in, char **out, char **err)
{
	char *o = rc_xmalloc(strlen(in) + 1);
	long n = 0;

	while (*in) {
		if (*in != '\\') {
			o[n++] = *in++;
			continue;
		}
		in++;
		switch (*in) {
		case 'n': o[n++] = '\n'; break;
		case 'r': o[n++] = '\r'; break;
		case 't': o[n++] = '\t'; break;
		case 'e': o[n++] = '\033'; break;
		case '0': o[n++] = '\0'; break;
		case '\\': o[n++] = '\\'; break;
		case '"': o[n++] = '"'; break;
		case 'x':
			if (hexval(in[1]) < 0 || hexval(in[2]) < 0)
				goto bad;
			o[n++] = (char)(hexval(in[1]) * 16 + hexval(in[2]));
			in += 2;
			break;
		default:
			goto bad;
		}
		in++;
	}
	o[n] = '\0';
	*out = o;
	return n;
bad:
	free(o);
	*err = rc_xasprintf("bad escape '\\%.3s' (use \\n \\r \\t \\e \\0 \\\\ \\\" \\xHH)",
			    *in ? in : "");
	return -1;
}

/* ---- substitution ------------------------------------------------------ */

char *rc_subst(rc_run *r, const char *in)
{
	size_t cap = strlen(in) + 1, n = 0;
	char *o = rc_xmalloc(cap);
	const char *p = in;

	while (*p) {
		const char *val = NULL;
		size_t skip = 0, vl;

		if (*p == '@') {
			if (!strncmp(p, "@ROOT@", 6))
				val = r->root, skip = 6;
			else if (!strncmp(p, "@HOME@", 6))
				val = r->home, skip = 6;
			else if (!strncmp(p, "@WORK@", 6))
				val = r->work, skip = 6;
			else if (!strncmp(p, "@MOCK@", 6)) {
				if (!r->mock_url) {
					rc_failf(r, "@MOCK@ used but the case has no Mock-Keys/Mock-Args "
						 "(or the mock is not started yet)");
					free(o);
					return NULL;
				}
				val = r->mock_url, skip = 6;
			} else if (!strncmp(p, "@KEY:", 5)) {
				size_t k = 5;
				char *name;

				while (isalnum((unsigned char)p[k]) || p[k] == '_')
					k++;
				if (p[k] == '@' && k > 5) {
					name = rc_xstrndup(p + 5, k - 5);
					val = rc_keys_get(&r->keys, name);
					if (!val) {
						rc_failf(r, "unknown fixture key @KEY:%s@ (see tests/fixtures/keys)",
							 name);
						free(name);
						free(o);
						return NULL;
					}
					free(name);
					skip = k + 1;
				}
			}
		}
		if (!val) {
			val = p;
			skip = vl = 1;
		} else
			vl = strlen(val);
		if (n + vl + 1 > cap) {
			cap = (n + vl + 1) * 2;
			o = rc_xrealloc(o, cap);
		}
		memcpy(o + n, val, vl);
		n += vl;
		p += skip;
	}
	o[n] = '\0';
	return o;
}
