/* fishvars: read fish_variables (see fishvars.h).
 *
 * fish writes a value with every byte that is not alphanumeric, '/' or '_'
 * escaped (`sk\x2dor\x2dv1\x2d…`), so the decoding below is the whole
 * format; written by hand from the file fish 3.6 writes and checked against
 * it by tests/differential/startctx.py. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "fishvars.h"

static size_t put_utf8(char *o, unsigned long cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xc0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xe0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | ((cp >> 18) & 0x07));
	o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	o[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* Decode s[0..n) into out (room for n bytes: no escape grows); the list
 * separator 0x1e becomes sep.  Returns the length, or -1 on a bad escape. */
static long decode(const char *s, size_t n, char sep, char *out)
{
	size_t i = 0, o = 0;

	while (i < n) {
		char c = s[i++];
		unsigned long cp = 0;
		int want = 0, k;

		if (c != '\\') {
			out[o++] = c == '\x1e' ? sep : c;
			continue;
		}
		if (i >= n)
			return -1;
		c = s[i++];
		switch (c) {
		case 'x': want = 2; break;
		case 'u': want = 4; break;
		case 'U': want = 8; break;
		case 'n': out[o++] = '\n'; continue;
		case 't': out[o++] = '\t'; continue;
		case 'r': out[o++] = '\r'; continue;
		case 'e': out[o++] = '\x1b'; continue;
		case 'a': out[o++] = '\a'; continue;
		case 'b': out[o++] = '\b'; continue;
		case 'f': out[o++] = '\f'; continue;
		case 'v': out[o++] = '\v'; continue;
		default: out[o++] = c; continue; /* \\ \' \" \  \$ … */
		}
		/* fish reads at most `want` hex digits, at least one */
		for (k = 0; k < want && i < n && ord_hexval(s[i]) >= 0; k++)
			cp = cp * 16 + (unsigned long)ord_hexval(s[i++]);
		if (!k || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return -1;
		if (cp == 0x1e)
			out[o++] = sep;
		else if (want == 2)
			out[o++] = (char)cp; /* a byte, as fish takes \xHH */
		else {
			/* \u and \U take 2+ characters and give at most 4 bytes
			 * for 6+ written: never more than was read */
			o += put_utf8(out + o, cp);
		}
	}
	return (long)o;
}

static int is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

static int one_line(const char *s, size_t n, unsigned line, char *scratch, ord_assign_fn fn,
		    ord_parse_error_fn err, void *arg)
{
	size_t i = 0, ns, ne;
	int exported = 0, path = 0;
	const char *colon;
	ord_assign a;
	long vl;
	char sep;

	/* the command word: SETUVAR (fish 3), SET / SET_EXPORT (fish 2) */
	if (n > 8 && !memcmp(s, "SETUVAR ", 8))
		i = 8;
	else if (n > 11 && !memcmp(s, "SET_EXPORT ", 11)) {
		i = 11;
		exported = 1;
	} else if (n > 4 && !memcmp(s, "SET ", 4))
		i = 4;
	else
		return 0;
	for (;;) {
		while (i < n && s[i] == ' ')
			i++;
		if (n - i >= 9 && !memcmp(s + i, "--export ", 9)) {
			exported = 1;
			i += 9;
		} else if (n - i >= 7 && !memcmp(s + i, "--path ", 7)) {
			path = 1;
			i += 7;
		} else
			break;
	}
	colon = memchr(s + i, ':', n - i);
	if (!colon)
		return 0;
	ns = i;
	ne = (size_t)(colon - s);
	if (ne == ns)
		return 0;
	for (i = ns; i < ne; i++)
		if (!is_name_char(s[i]))
			return 0; /* fish would not set it as the environment's */
	if (memchr(s, '\0', n)) {
		if (err)
			err(arg, line, "a NUL byte in a universal variable");
		return 0;
	}
	sep = path || (ne - ns >= 4 && !memcmp(s + ne - 4, "PATH", 4)) ? ':' : ' ';
	vl = decode(colon + 1, n - (ne + 1), sep, scratch);
	if (vl < 0) {
		if (err)
			err(arg, line, "a bad backslash escape in a universal variable");
		return 0;
	}
	scratch[vl] = '\0';
	memset(&a, 0, sizeof(a));
	a.name = s + ns;
	a.name_len = ne - ns;
	a.value = scratch;
	a.value_len = (size_t)vl;
	a.raw = colon + 1;
	a.raw_len = n - (ne + 1);
	a.line = line;
	a.flags = exported ? ORD_ASSIGN_EXPORT : 0;
	return fn(arg, &a);
}

int ord_fishvars_parse(const char *data, size_t len, ord_assign_fn fn,
		       ord_parse_error_fn err, void *arg)
{
	size_t i = 0;
	unsigned line = 0;
	char *scratch;
	int rc = 0;

	if ((!data && len) || !fn)
		return EINVAL;
	scratch = malloc(len + 1);
	if (!scratch)
		return ENOMEM;
	while (i < len && !rc) {
		const char *nl = memchr(data + i, '\n', len - i);
		size_t e = nl ? (size_t)(nl - data) : len, n = e - i;

		line++;
		if (n && data[i + n - 1] == '\r')
			n--;
		rc = one_line(data + i, n, line, scratch, fn, err, arg);
		i = e + 1;
	}
	/* values are secrets */
	memset(scratch, 0, len + 1);
	free(scratch);
	return rc;
}
