/* compose_dotenv: the project .env and env_file: as Compose v2 reads them
 * (see compose.h).
 *
 * Statements are split by lib/dotenv.c (python-dotenv's grammar: comments,
 * `export`, quotes, multi-line quoted values); the value of each is then
 * decoded from its raw bytes with compose-go's rules
 * (compose-spec/compose-go@e70e961c3a3a:dotenv/parser.go), which differ
 * from python-dotenv's:
 * - unquoted and "double-quoted" values are interpolated with the full
 *   template grammar ($VAR, ${VAR-d}, ${VAR:?e}, $$: compose_interp.c);
 *   python-dotenv only knows ${VAR} and ${VAR:-d}, and also expands them
 *   inside 'single quotes', where Compose expands nothing;
 * - the lookup asks the caller first (the shell for the project .env, the
 *   project environment for an env_file) and the file's earlier lines
 *   second; python-dotenv (Compose 1.29) asks the earlier lines first;
 * - inside double quotes \a \b \f \n \r \t \v \" \\ and \0NNN are decoded
 *   and \$ is a literal $; python-dotenv leaves \$ as written and decodes
 *   \' too; inside single quotes only \' is decoded (python-dotenv: \\ too);
 * - a bare NAME line takes the caller's value (python-dotenv: nothing);
 * - an unclosed quote makes Compose refuse the whole file.
 * Not modelled: Compose also accepts `NAME: value` lines, which the
 * statement split skips with the python-dotenv reading (a warning).
 *
 * `format: raw` (docker compose's kvfile, the `docker run --env-file`
 * reader, registered in docker/compose@0144eb2e7096:cmd/compose/compose.go rawEnv)
 * is line-based: leading blanks and '#' lines skipped, NAME=rest of the line
 * kept byte for byte, quotes and trailing blanks included; a bare NAME
 * takes the caller's value.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compose.h"
#include "dotenv.h"

typedef struct dstate {
	ord_cenvs *out;
	ord_interp_lookup fn;
	void *arg;
	char *err;
	size_t errcap;
	int failed;
	const char *data; /* the file, for unquoted values (see line_value) */
	size_t len;
} dstate;

void ord_cenvs_release(ord_cenvs *e)
{
	size_t i;

	for (i = 0; i < e->n; i++) {
		free(e->v[i].name);
		ord_free_secret(e->v[i].value);
	}
	free(e->v);
	e->v = NULL;
	e->n = 0;
}

const ord_cenv *ord_cenvs_get(const ord_cenvs *e, const char *name)
{
	size_t i;

	for (i = 0; i < e->n; i++)
		if (!strcmp(e->v[i].name, name))
			return &e->v[i];
	return NULL;
}

/* Replace or append NAME (the value is taken over). */
static int put(ord_cenvs *e, const char *name, size_t nlen, char *value, size_t len, unsigned line,
	       int bare, const ord_interp_info *info)
{
	ord_cenv *c = NULL, *nv;
	size_t i;

	/* a name with a NUL byte cannot be a variable (and a C string would
	 * cut it): nothing is set */
	if (!nlen || memchr(name, 0, nlen)) {
		ord_free_secret(value);
		return 0;
	}
	for (i = 0; i < e->n; i++)
		if (strlen(e->v[i].name) == nlen && !memcmp(e->v[i].name, name, nlen))
			c = &e->v[i];
	if (!c) {
		nv = realloc(e->v, (e->n + 1) * sizeof(*nv));
		if (!nv)
			return ENOMEM;
		e->v = nv;
		c = &e->v[e->n];
		memset(c, 0, sizeof(*c));
		c->name = strndup(name, nlen);
		if (!c->name)
			return ENOMEM;
		e->n++;
	} else
		ord_free_secret(c->value);
	c->value = value;
	c->len = len;
	c->line = line;
	c->bare = bare;
	if (info)
		c->info = *info;
	else
		memset(&c->info, 0, sizeof(c->info));
	return 0;
}

/* The caller's lookup, then the file's earlier lines. */
static int file_lookup(void *arg, const char *name, const char **v, size_t *len)
{
	dstate *d = arg;
	const ord_cenv *c;

	if (d->fn && d->fn(d->arg, name, v, len))
		return 1;
	c = ord_cenvs_get(d->out, name);
	if (c && c->value) {
		*v = c->value;
		*len = c->len;
		return 1;
	}
	return 0;
}

static int octal(const char *s, size_t n, size_t *used)
{
	int v = 0;
	size_t k = 0;

	while (k < 3 && k < n && s[k] >= '0' && s[k] <= '7')
		v = v * 8 + (s[k++] - '0');
	*used = k;
	return v;
}

/* Decode a double-quoted value's inside (compose-go: a backslash before
 * the quote drops, the known escapes are decoded, others stay as written;
 * \$ becomes $$ so that interpolation leaves a $). */
static int unescape_double(const char *s, size_t n, ord_buf *o)
{
	static const char from[] = "abfnrtv\"\\", to[] = "\a\b\f\n\r\t\v\"\\";
	size_t i, used;
	int e = 0;

	for (i = 0; i < n && !e; i++) {
		const char *p;
		if (s[i] != '\\' || i + 1 >= n) {
			e = ord_buf_addc(o, s[i]);
			continue;
		}
		i++;
		if (s[i] == '$')
			e = ord_buf_add(o, "$$", 2);
		else if (s[i] && (p = strchr(from, s[i])))
			e = ord_buf_addc(o, to[p - from]);
		else if (s[i] == '0' && (octal(s + i + 1, n - i - 1, &used), used)) {
			e = ord_buf_addc(o, (char)octal(s + i + 1, n - i - 1, &used));
			i += used;
		} else {
			e = ord_buf_addc(o, '\\');
			if (!e)
				e = ord_buf_addc(o, s[i]);
		}
	}
	return e;
}

/* An unquoted value as compose-go reads it: everything after the '=' and
 * its blanks up to the end of the line, cut at the first " #", trailing
 * blanks dropped.  python-dotenv reads "KEY= #c" as empty (1.2.4) and
 * stops at a tab before '#'; Compose reads "#c" and keeps the tab. */
static void line_value(const dstate *d, const ord_assign *a, const char **v, size_t *n)
{
	const char *p = a->name + a->name_len, *e = d->data + d->len, *nl, *h;

	while (p < e && (*p == ' ' || *p == '\t'))
		p++;
	if (p < e && (*p == '=' || *p == ':'))
		p++;
	while (p < e && (*p == ' ' || *p == '\t' || *p == '\v' || *p == '\f' || *p == '\r'))
		p++;
	nl = memchr(p, '\n', (size_t)(e - p));
	if (!nl)
		nl = e;
	for (h = p; h + 1 < nl; h++)
		if (h[0] == ' ' && h[1] == '#') {
			nl = h;
			break;
		}
	while (nl > p && (nl[-1] == ' ' || nl[-1] == '\t' || nl[-1] == '\v' || nl[-1] == '\f' ||
			  nl[-1] == '\r'))
		nl--;
	*v = p;
	*n = (size_t)(nl - p);
}

static int on_assign(void *arg, const ord_assign *a)
{
	dstate *d = arg;
	ord_buf v = ORD_BUF_INIT(ORD_FILE_CAP), t = ORD_BUF_INIT(ORD_FILE_CAP);
	ord_interp_info info;
	const char *r = a->raw;
	size_t rl = a->raw_len, i;
	int e = 0, interp = 1;
	char *val;
	size_t len;

	memset(&info, 0, sizeof(info));
	if (a->flags & ORD_ASSIGN_UNTERMINATED) {
		snprintf(d->err, d->errcap, "line %u: unterminated quoted value", a->line);
		d->failed = EINVAL;
		return 1;
	}
	if (a->flags & ORD_ASSIGN_UNSET) {
		const char *lv;
		size_t ll;
		char nm[128];
		if (a->name_len >= sizeof(nm) || !d->fn)
			return 0;
		memcpy(nm, a->name, a->name_len);
		nm[a->name_len] = 0;
		if (!d->fn(d->arg, nm, &lv, &ll))
			return 0;
		val = malloc(ll + 1);
		if (!val || (memcpy(val, lv, ll), val[ll] = 0, put(d->out, a->name, a->name_len, val, ll, a->line, 1, NULL))) {
			d->failed = ENOMEM;
			return 1;
		}
		return 0;
	}
	if (a->flags & ORD_ASSIGN_QUOTED_SINGLE) {
		/* only \' is an escape; nothing is interpolated */
		for (i = 1; i + 1 < rl && !e; i++) {
			if (r[i] == '\\' && i + 2 < rl && r[i + 1] == '\'')
				i++;
			e = ord_buf_addc(&t, r[i]);
		}
		interp = 0;
	} else if (a->flags & ORD_ASSIGN_QUOTED_DOUBLE)
		e = unescape_double(r + 1, rl >= 2 ? rl - 2 : 0, &t);
	else if (a->name >= d->data && a->name < d->data + d->len) {
		line_value(d, a, &r, &rl);
		e = ord_buf_add(&t, r, rl);
	}
	if (!e && interp) {
		e = ord_compose_interp(t.data ? t.data : "", t.len, file_lookup, d, &v, d->err, d->errcap, &info);
		if (e == EINVAL) {
			char why[200];
			snprintf(why, sizeof(why), "%s", d->err);
			snprintf(d->err, d->errcap, "line %u: %s", a->line, why);
		}
	} else if (!e)
		e = ord_buf_add(&v, t.data ? t.data : "", t.len);
	ord_buf_release(&t);
	if (!e) {
		val = ord_buf_detach(&v, &len);
		e = val ? put(d->out, a->name, a->name_len, val, len, a->line, 0, &info) : ENOMEM;
	}
	ord_buf_release(&v);
	if (e) {
		d->failed = e == ENOSPC ? EINVAL : e;
		if (e == ENOSPC)
			snprintf(d->err, d->errcap, "line %u: value too long", a->line);
		return 1;
	}
	return 0;
}

/* docker run --env-file's reader (format: raw). */
static int parse_raw(dstate *d, const char *s, size_t n)
{
	size_t i = 0;
	unsigned line = 0;

	if (n >= 3 && !memcmp(s, "\xef\xbb\xbf", 3))
		i = 3;
	while (i < n) {
		const char *e = memchr(s + i, '\n', n - i), *p = s + i, *eq, *q;
		size_t ll = e ? (size_t)(e - p) : n - i;
		char *val;

		line++;
		i += ll + 1;
		if (ll && p[ll - 1] == '\r')
			ll--;
		while (ll && (*p == ' ' || *p == '\t' || *p == '\v' || *p == '\f' || *p == '\r'))
			p++, ll--;
		if (!ll || *p == '#')
			continue;
		eq = memchr(p, '=', ll);
		for (q = p; q < (eq ? eq : p + ll); q++)
			if (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\v' || *q == '\f' || *q == '\r') {
				snprintf(d->err, d->errcap, "line %u: variable name contains whitespace", line);
				return EINVAL;
			}
		if (eq == p) {
			snprintf(d->err, d->errcap, "line %u: no variable name", line);
			return EINVAL;
		}
		if (!eq) {
			ord_assign a = {0};
			a.name = p;
			a.name_len = ll;
			a.line = line;
			a.flags = ORD_ASSIGN_UNSET;
			on_assign(d, &a);
			if (d->failed)
				return d->failed;
			continue;
		}
		val = strndup(eq + 1, (size_t)(p + ll - eq - 1));
		if (!val || put(d->out, p, (size_t)(eq - p), val, strlen(val), line, 0, NULL))
			return ENOMEM;
	}
	return 0;
}

static void on_err(void *arg, unsigned line, const char *msg)
{
	(void)arg;
	(void)line;
	(void)msg;
	/* python-dotenv's grammar skips the line; so does this reading */
}

int ord_compose_dotenv(const char *data, size_t len, int raw, ord_interp_lookup fn, void *arg,
		       ord_cenvs *out, char *err, size_t errcap)
{
	dstate d = {out, fn, arg, err, errcap, 0, data, len};

	if (err && errcap)
		err[0] = 0;
	if (raw)
		return parse_raw(&d, data, len);
	ord_dotenv_parse(data, len, on_assign, on_err, &d);
	return d.failed;
}
