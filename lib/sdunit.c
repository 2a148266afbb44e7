/* sdunit: read Environment= and EnvironmentFile= of a unit file (see
 * sdunit.h).  Hand-written after systemd's documented syntax
 * (systemd.syntax(7), systemd.exec(7) "Environment="). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "sdunit.h"

static int blank(char c)
{
	return c == ' ' || c == '\t';
}

/* One word of s[*i..n) into out (no escape grows it); -1 on a bad escape
 * or an unterminated quote. */
static long word(const char *s, size_t n, size_t *i, char *out, int *pct)
{
	size_t o = 0;
	char q = 0;

	while (*i < n) {
		char c = s[*i];

		if (!q && blank(c))
			break;
		(*i)++;
		if (!q && (c == '"' || c == '\'')) {
			q = c;
			continue;
		}
		if (q && c == q) {
			q = 0;
			continue;
		}
		if (c == '%')
			*pct = 1;
		if (c != '\\') {
			out[o++] = c;
			continue;
		}
		if (*i >= n)
			return -1;
		c = s[(*i)++];
		switch (c) {
		case 'n': out[o++] = '\n'; break;
		case 't': out[o++] = '\t'; break;
		case 'r': out[o++] = '\r'; break;
		case 'a': out[o++] = '\a'; break;
		case 'b': out[o++] = '\b'; break;
		case 'f': out[o++] = '\f'; break;
		case 'v': out[o++] = '\v'; break;
		case 's': out[o++] = ' '; break;
		case 'x':
			if (*i + 2 > n || ord_hexval(s[*i]) < 0 || ord_hexval(s[*i + 1]) < 0 ||
			    (!ord_hexval(s[*i]) && !ord_hexval(s[*i + 1])))
				return -1;
			out[o++] = (char)(ord_hexval(s[*i]) * 16 + ord_hexval(s[*i + 1]));
			*i += 2;
			break;
		default: out[o++] = c; break; /* \\ \" \' */
		}
	}
	return q ? -1 : (long)o;
}

static int name_ok(const char *s, size_t n)
{
	size_t i;

	if (!n || (s[0] >= '0' && s[0] <= '9'))
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return 0;
	return 1;
}

static int environment(const char *s, size_t n, unsigned line, const ord_sdunit_cb *cb, void *arg, char *scratch)
{
	size_t i = 0;
	int rc = 0;

	while (!rc) {
		size_t start;
		long wl;
		int pct = 0;
		char *eq;
		ord_assign a;

		while (i < n && blank(s[i]))
			i++;
		if (i >= n)
			break;
		start = i;
		wl = word(s, n, &i, scratch, &pct);
		if (wl < 0) {
			if (cb->err)
				cb->err(arg, line, "a bad quote or escape in Environment=");
			break;
		}
		eq = memchr(scratch, '=', (size_t)wl);
		if (!eq || !name_ok(scratch, (size_t)(eq - scratch))) {
			if (cb->err)
				cb->err(arg, line, "an Environment= word that is not NAME=value");
			continue;
		}
		memset(&a, 0, sizeof(a));
		a.name = scratch;
		a.name_len = (size_t)(eq - scratch);
		a.value = eq + 1;
		a.value_len = (size_t)wl - a.name_len - 1;
		a.raw = s + start;
		a.raw_len = i - start;
		a.line = line;
		a.flags = ORD_ASSIGN_EXPORT | (pct ? ORD_ASSIGN_EXPANSION : 0);
		rc = cb->assign(arg, &a);
	}
	return rc;
}

/* One logical line (continuations joined) in l[0..n). */
static int logical(const char *l, size_t n, unsigned line, int *in_service, const ord_sdunit_cb *cb,
		   void *arg, char *scratch)
{
	size_t i = 0, ke;

	while (i < n && blank(l[i]))
		i++;
	if (i >= n || l[i] == '#' || l[i] == ';')
		return 0;
	if (l[i] == '[') {
		const char *close = memchr(l + i, ']', n - i);
		*in_service = close && close - (l + i) == 8 && !memcmp(l + i, "[Service", 8);
		return 0;
	}
	if (!*in_service)
		return 0;
	ke = i;
	while (ke < n && l[ke] != '=')
		ke++;
	if (ke >= n)
		return 0;
	{
		size_t k = ke, v = ke + 1;
		while (k > i && blank(l[k - 1]))
			k--;
		while (v < n && blank(l[v]))
			v++;
		if (k - i == 11 && !memcmp(l + i, "Environment", 11)) {
			if (v >= n) {
				if (cb->reset)
					cb->reset(arg, line);
				return 0;
			}
			return environment(l + v, n - v, line, cb, arg, scratch);
		}
		if (k - i == 15 && !memcmp(l + i, "EnvironmentFile", 15) && cb->file && v < n) {
			size_t e = n;
			int opt = l[v] == '-';
			while (e > v && blank(l[e - 1]))
				e--;
			if (e > v + (size_t)opt)
				cb->file(arg, line, l + v + opt, e - v - (size_t)opt, opt);
		}
	}
	return 0;
}

int ord_sdunit_parse(const char *data, size_t len, const ord_sdunit_cb *cb, void *arg)
{
	char *joined, *scratch;
	size_t i = 0;
	unsigned line = 0;
	int rc = 0, in_service = 0;

	if ((!data && len) || !cb || !cb->assign)
		return EINVAL;
	joined = malloc(len + 1);
	scratch = malloc(len + 1);
	if (!joined || !scratch) {
		free(joined);
		free(scratch);
		return ENOMEM;
	}
	while (i < len && !rc) {
		size_t jn = 0;
		unsigned first = line + 1;

		/* a logical line: a trailing backslash joins the next one */
		for (;;) {
			const char *nl = memchr(data + i, '\n', len - i);
			size_t e = nl ? (size_t)(nl - data) : len, n = e - i;

			line++;
			if (n && data[i + n - 1] == '\r')
				n--;
			if (n && data[i + n - 1] == '\\' && e < len) {
				memcpy(joined + jn, data + i, n - 1);
				jn += n - 1;
				joined[jn++] = ' ';
				i = e + 1;
				continue;
			}
			memcpy(joined + jn, data + i, n);
			jn += n;
			i = e + 1;
			break;
		}
		if (memchr(joined, '\0', jn)) {
			if (cb->err)
				cb->err(arg, first, "a NUL byte in a unit file");
			continue;
		}
		rc = logical(joined, jn, first, &in_service, cb, arg, scratch);
	}
	memset(joined, 0, len + 1);
	memset(scratch, 0, len + 1);
	free(joined);
	free(scratch);
	return rc;
}
