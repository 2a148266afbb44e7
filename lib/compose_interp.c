/* compose_interp: Compose's variable interpolation (see compose.h).
 *
 * The grammar is compose-go's template package
 * (compose-spec/compose-go@e70e961c3a3a:template/template.go):
 *   $$            a literal $
 *   $NAME         NAME = [_A-Za-z][_A-Za-z0-9]*; unset gives ""
 *   ${NAME}       the same
 *   ${NAME:-w}    w when NAME is unset or empty;  ${NAME-w}  when unset
 *   ${NAME:?w}    an error (message w) when unset or empty; ${NAME?w} unset
 *   ${NAME:+w}    w when NAME is set and not empty; ${NAME+w}  when set
 * w is itself interpolated, and only when it is used; it ends at the brace
 * that balances the opening one, so defaults nest (${A:-${B}}).  Any other
 * ${...} is an invalid template, which Compose refuses.  A $ followed by
 * anything else stays a literal $ in v2; Compose 1.29 refuses it
 * ("Invalid interpolation format"), a difference listed in
 * tests/differential/KNOWN.
 *
 * The text is untrusted: nesting is capped (MAX_DEPTH) and the output
 * goes into the caller's bounded buffer.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "compose.h"

#define MAX_DEPTH 16

typedef struct ip {
	ord_interp_lookup fn;
	void *arg;
	char *err;
	size_t errcap;
	ord_interp_info *info;
} ip;

static int name_start(int c)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int name_char(int c)
{
	return name_start(c) || (c >= '0' && c <= '9');
}

static int fail(ip *p, const char *fmt, const char *name, size_t nlen)
{
	if (p->err && p->errcap)
		snprintf(p->err, p->errcap, fmt, (int)nlen, name);
	return EINVAL;
}

static int lookup(ip *p, const char *name, size_t n, const char **v, size_t *vl)
{
	char nm[128];
	int found;

	if (n >= sizeof(nm)) {
		*v = "";
		*vl = 0;
		return 0;
	}
	memcpy(nm, name, n);
	nm[n] = 0;
	found = p->fn(p->arg, nm, v, vl);
	if (!found) {
		*v = "";
		*vl = 0;
	}
	if (p->info) {
		memcpy(p->info->ref, nm, n + 1);
		p->info->nrefs++;
		p->info->found = found;
	}
	return found;
}

/* The index of the brace that closes the one at s[0] (compose-go's
 * getFirstBraceClosingIndex: a '{' also skips the byte after it), or -1. */
static long closing(const char *s, size_t n)
{
	long open = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] == '}' && --open == 0)
			return (long)i;
		if (s[i] == '{') {
			open++;
			i++;
		}
	}
	return -1;
}

static int run(ip *p, const char *s, size_t n, ord_buf *out, int depth);

/* ${...}: body is what lies between the braces. */
static int braced(ip *p, const char *body, size_t n, ord_buf *out, int depth)
{
	size_t k = 0, wl;
	const char *v, *w;
	size_t vl;
	int found, colon = 0;
	char op;

	if (!n || !name_start((unsigned char)body[0]))
		return fail(p, "invalid interpolation format: '${%.*s}'", body, n > 40 ? 40 : n);
	while (k < n && name_char((unsigned char)body[k]))
		k++;
	found = lookup(p, body, k, &v, &vl);
	if (k == n)
		return ord_buf_add(out, v, vl);
	if (body[k] == ':') {
		colon = 1;
		k++;
	}
	op = k < n ? body[k] : 0;
	if (op != '-' && op != '?' && op != '+')
		return fail(p, "invalid interpolation format: '${%.*s}'", body, n > 40 ? 40 : n);
	w = body + k + 1;
	wl = n - k - 1;
	switch (op) {
	case '-':
		if (!found || (colon && !vl))
			return run(p, w, wl, out, depth + 1);
		return ord_buf_add(out, v, vl);
	case '+':
		if (found && (!colon || vl))
			return run(p, w, wl, out, depth + 1);
		return ord_buf_add(out, v, vl);
	default: /* '?' */
		if (!found || (colon && !vl)) {
			ord_buf msg = ORD_BUF_INIT(ORD_FILE_CAP);
			int e = run(p, w, wl, &msg, depth + 1);
			/* an invalid message is that error; a long one is cut */
			if (e != EINVAL && p->err && p->errcap)
				snprintf(p->err, p->errcap, "required variable '%.*s' is missing a value: %.*s",
					 (int)(k - colon), body, e ? 0 : 160, ord_buf_str(&msg));
			ord_buf_release(&msg);
			return EINVAL;
		}
		return ord_buf_add(out, v, vl);
	}
}

static int run(ip *p, const char *s, size_t n, ord_buf *out, int depth)
{
	size_t i = 0;
	int e;

	if (depth > MAX_DEPTH)
		return fail(p, "interpolation nested too deep%.*s", "", 0);
	while (i < n) {
		const char *d = memchr(s + i, '$', n - i);
		size_t j;

		if (!d)
			return ord_buf_add(out, s + i, n - i);
		if ((e = ord_buf_add(out, s + i, (size_t)(d - s) - i)))
			return e;
		i = (size_t)(d - s);
		if (i + 1 < n && s[i + 1] == '$') {
			if ((e = ord_buf_addc(out, '$')))
				return e;
			i += 2;
		} else if (i + 1 < n && name_start((unsigned char)s[i + 1])) {
			const char *v;
			size_t vl;
			for (j = i + 1; j < n && name_char((unsigned char)s[j]); j++)
				;
			lookup(p, s + i + 1, j - i - 1, &v, &vl);
			if ((e = ord_buf_add(out, v, vl)))
				return e;
			i = j;
		} else if (i + 1 < n && s[i + 1] == '{') {
			long c = closing(s + i + 1, n - i - 1);
			if (c < 0)
				return fail(p, "invalid interpolation format: '%.*s'", s + i,
					    n - i > 40 ? 40 : n - i);
			if ((e = braced(p, s + i + 2, (size_t)c - 1, out, depth)))
				return e;
			i += (size_t)c + 2;
		} else {
			/* v2 keeps a lone '$' (1.29 refuses it) */
			if ((e = ord_buf_addc(out, '$')))
				return e;
			i++;
		}
	}
	return 0;
}

/* Is s[0..n) exactly one reference: $NAME or ${...}? */
static int whole_ref(const char *s, size_t n)
{
	size_t j;

	if (n < 2 || s[0] != '$')
		return 0;
	if (s[1] == '{')
		return closing(s + 1, n - 1) == (long)n - 2;
	if (!name_start((unsigned char)s[1]))
		return 0;
	for (j = 2; j < n && name_char((unsigned char)s[j]); j++)
		;
	return j == n;
}

int ord_compose_interp(const char *s, size_t n, ord_interp_lookup fn, void *arg, ord_buf *out,
		       char *err, size_t errcap, ord_interp_info *info)
{
	ip p = {fn, arg, err, errcap, info};

	if (err && errcap)
		err[0] = 0;
	if (info) {
		memset(info, 0, sizeof(*info));
		info->whole = whole_ref(s, n);
	}
	return run(&p, s, n, out, 0);
}
