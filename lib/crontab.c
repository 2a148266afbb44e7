/* crontab: read a user's crontab (see crontab.h).  Hand-written: a crontab
 * line is either NAME=value or a job, decided as cron decides it (a line
 * whose first word has '=' before any blank is an assignment). */
#include <errno.h>
#include <string.h>

#include "crontab.h"

static int blank(char c)
{
	return c == ' ' || c == '\t';
}

static int name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* NAME = value; returns 1 when it is an assignment line. */
static int assignment(const char *s, size_t n, unsigned line, ord_assign_fn fn, void *arg, int *rc)
{
	size_t i = 0, ns, ne, vs, ve;
	ord_assign a;

	while (i < n && blank(s[i]))
		i++;
	ns = i;
	while (i < n && s[i] != '=' && !blank(s[i]))
		i++;
	ne = i;
	while (i < n && blank(s[i]))
		i++;
	if (ne == ns || i >= n || s[i] != '=')
		return 0;
	for (i = ns; i < ne; i++)
		if (!name_char(s[i]))
			return 1; /* cron sets it, but no tool reads such a name */
	i = ne;
	while (s[i] != '=')
		i++;
	i++;
	while (i < n && blank(s[i]))
		i++;
	vs = i;
	ve = n;
	while (ve > vs && blank(s[ve - 1]))
		ve--;
	memset(&a, 0, sizeof(a));
	a.raw = s + vs;
	a.raw_len = ve - vs;
	if (ve - vs >= 2 && (s[vs] == '"' || s[vs] == '\'') && s[ve - 1] == s[vs]) {
		a.flags |= s[vs] == '"' ? ORD_ASSIGN_QUOTED_DOUBLE : ORD_ASSIGN_QUOTED_SINGLE;
		vs++;
		ve--;
	}
	a.name = s + ns;
	a.name_len = ne - ns;
	a.value = s + vs;
	a.value_len = ve - vs;
	a.line = line;
	a.flags |= ORD_ASSIGN_EXPORT;
	if (memchr(a.value, '$', a.value_len))
		a.flags |= ORD_ASSIGN_EXPANSION;
	*rc = fn(arg, &a);
	return 1;
}

/* The command of a job line: after @word or five fields. */
static size_t command_start(const char *s, size_t n)
{
	size_t i = 0;
	int fields = s[0] == '@' ? 1 : 5, f;

	for (f = 0; f < fields; f++) {
		while (i < n && blank(s[i]))
			i++;
		if (i >= n)
			return n;
		while (i < n && !blank(s[i]))
			i++;
	}
	while (i < n && blank(s[i]))
		i++;
	return i;
}

/* `. FILE`, `source FILE` at a command's start; `bash -l…`, `--login`. */
static void sources(const char *s, size_t n, unsigned line, ord_crontab_source_fn src, void *arg)
{
	size_t i = command_start(s, n);
	int at_start = 1;

	while (i < n) {
		size_t w = i, we;

		while (w < n && blank(s[w]))
			w++;
		we = w;
		while (we < n && !blank(s[we]) && s[we] != ';' && s[we] != '&' && s[we] != '|')
			we++;
		if (at_start && ((we - w == 1 && s[w] == '.') || (we - w == 6 && !memcmp(s + w, "source", 6)))) {
			size_t fs = we, fe;
			while (fs < n && blank(s[fs]))
				fs++;
			fe = fs;
			while (fe < n && !blank(s[fe]) && s[fe] != ';' && s[fe] != '&' && s[fe] != '|')
				fe++;
			if (fe > fs)
				src(arg, line, s + fs, fe - fs);
		} else if ((we - w == 7 && !memcmp(s + w, "--login", 7)) ||
			   (we - w >= 2 && s[w] == '-' && s[w + 1] != '-' && memchr(s + w, 'l', we - w) &&
			    w >= 5 && (!memcmp(s + w - 5, "bash ", 5) || !memcmp(s + w - 4, "zsh ", 4)))) {
			src(arg, line, "a login shell", 13);
		}
		at_start = 0;
		i = we;
		if (i < n && (s[i] == ';' || s[i] == '&' || s[i] == '|')) {
			while (i < n && (s[i] == ';' || s[i] == '&' || s[i] == '|'))
				i++;
			at_start = 1;
		} else if (i == w)
			i++;
	}
}

int ord_crontab_parse(const char *data, size_t len, ord_assign_fn fn,
		      ord_crontab_source_fn src, void *arg)
{
	size_t i = 0;
	unsigned line = 0;
	int rc = 0;

	if ((!data && len) || !fn)
		return EINVAL;
	while (i < len && !rc) {
		const char *nl = memchr(data + i, '\n', len - i);
		size_t e = nl ? (size_t)(nl - data) : len, n = e - i, k = 0;
		const char *s = data + i;

		line++;
		i = e + 1;
		while (k < n && blank(s[k]))
			k++;
		if (k == n || s[k] == '#' || memchr(s, '\0', n))
			continue;
		if (assignment(s, n, line, fn, arg, &rc))
			continue;
		if (src)
			sources(s + k, n - k, line, src, arg);
	}
	return rc;
}
