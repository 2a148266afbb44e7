/* netrc: ~/.netrc as Python's netrc module (what python-requests uses, the
 * reader that matters for netrc_overrides_bearer) and curl read it.
 *
 * Tokens are separated by space, tab, CR and LF.  A token may be quoted
 * ("…", backslash takes the next byte literally, as Python does; curl would
 * also turn \n \r \t into control characters) and an unquoted token may
 * hold backslash escapes too.  An unquoted '#' at the start of a token
 * comments out the rest of the line, as in curl and inside Python's entries.
 * Where the two readers differ we stay lenient like curl and report what
 * would make Python reject the whole file (requests then ignores netrc).
 */
#include "netrc.h"

#include <errno.h>
#include <string.h>

#include "buf.h"

#define NONE ((size_t)-1)

typedef struct nr {
	const char *d;
	size_t n, i;
	unsigned line;
	ord_parse_error_fn err;
	void *arg;
	ord_buf sb; /* the current entry's decoded tokens, NUL-separated */
	int rc;
} nr;

static void fail(nr *t, unsigned line, const char *msg)
{
	if (t->err)
		t->err(t->arg, line, msg);
}

static void add(nr *t, char c)
{
	if (!t->rc && ord_buf_addc(&t->sb, c))
		t->rc = ENOMEM;
}

/* The next token, decoded onto sb and NUL-terminated; its offset in *off.
 * Returns 0 at the end of the input. */
static int token(nr *t, size_t *off, unsigned *line)
{
	const char *nl;
	char c;

	for (;;) {
		while (t->i < t->n && strchr(" \t\r\n", t->d[t->i]) && t->d[t->i])
			t->line += t->d[t->i++] == '\n';
		if (t->i >= t->n)
			return 0;
		if (t->d[t->i] != '#')
			break;
		nl = memchr(t->d + t->i, '\n', t->n - t->i);
		t->i = nl ? (size_t)(nl - t->d) : t->n;
	}
	*off = t->sb.len;
	*line = t->line;
	if (t->d[t->i] == '"') {
		for (t->i++;; ) {
			if (t->i >= t->n) {
				fail(t, *line, "unterminated quoted token");
				break;
			}
			c = t->d[t->i++];
			if (c == '"')
				break;
			if (c == '\\' && t->i < t->n)
				c = t->d[t->i++];
			t->line += c == '\n';
			add(t, c);
		}
	} else {
		while (t->i < t->n && !(strchr(" \t\r\n", t->d[t->i]) && t->d[t->i])) {
			c = t->d[t->i++];
			if (c == '\\' && t->i < t->n)
				c = t->d[t->i++];
			t->line += c == '\n';
			add(t, c);
		}
	}
	add(t, '\0');
	return 1;
}

static int tok_is(const nr *t, size_t off, const char *kw)
{
	return !strcmp(t->sb.data + off, kw);
}

/* macdef NAME: the rest of the line, then lines up to an empty one (curl's
 * reading; Python would end at once on "macdef x \n"). */
static void macdef(nr *t, unsigned line)
{
	const char *nl;
	size_t off, ls;
	int first = 1;

	if (!token(t, &off, &line)) {
		fail(t, line, "missing macro name");
		return;
	}
	while (t->i < t->n) {
		ls = t->i;
		nl = memchr(t->d + ls, '\n', t->n - ls);
		t->i = nl ? (size_t)(nl - t->d) + 1 : t->n;
		t->line += nl != NULL;
		if (!first && nl && (t->d + ls == nl || (t->d + ls + 1 == nl && t->d[ls] == '\r')))
			return;
		first = 0; /* the rest of the macdef line itself */
	}
	fail(t, line, "macro definition without a terminating empty line");
}

int ord_netrc_parse(const char *data, size_t len, ord_netrc_fn fn,
		    ord_parse_error_fn err, void *arg)
{
	size_t off, mach = NONE, val[3] = {NONE, NONE, NONE}, k;
	static const char *const kws[] = {"login", "password", "account", "user"};
	int in = 0, dflt = 0;
	unsigned line, eline = 0;
	ord_netrc_entry e;
	nr t;

	if (!fn || (!data && len))
		return EINVAL;
	memset(&t, 0, sizeof(t));
	t.d = data;
	t.n = len;
	t.line = 1;
	t.err = err;
	t.arg = arg;
	/* every token costs at least one input byte plus a separator */
	ord_buf_init(&t.sb, len + 16);
	for (;;) {
		int more = !t.rc && token(&t, &off, &line) && !t.rc;
		int top = more && (tok_is(&t, off, "machine") || tok_is(&t, off, "default") ||
				   tok_is(&t, off, "macdef"));

		if (in && !t.rc && (!more || top)) { /* the entry is complete */
			e.machine = dflt ? NULL : t.sb.data + mach;
			e.login = val[0] == NONE ? NULL : t.sb.data + val[0];
			e.password = val[1] == NONE ? NULL : t.sb.data + val[1];
			e.line = eline;
			in = 0;
			t.rc = fn(arg, &e);
		}
		if (!more || t.rc)
			break;
		if (top) {
			dflt = tok_is(&t, off, "default");
			if (tok_is(&t, off, "macdef")) {
				macdef(&t, line);
				continue;
			}
			/* the keyword's bytes go, the values are wiped with them */
			ord_buf_reset(&t.sb);
			val[0] = val[1] = val[2] = NONE;
			eline = line;
			mach = 0;
			if (!dflt && !token(&t, &mach, &line)) {
				fail(&t, eline, "missing machine name");
				break;
			}
			in = 1;
			continue;
		}
		for (k = 0; k < 4 && !tok_is(&t, off, kws[k]); k++)
			;
		if (!in) {
			fail(&t, line, "unexpected token outside a machine entry");
		} else if (k == 4) {
			fail(&t, line, "unknown keyword in machine entry");
		} else if (!token(&t, &val[k == 3 ? 0 : k], &line)) {
			fail(&t, line, k == 1 ? "missing value after password" :
				       "missing value after login or account");
			val[k == 3 ? 0 : k] = NONE;
		}
	}
	ord_buf_release(&t.sb);
	return t.rc;
}
