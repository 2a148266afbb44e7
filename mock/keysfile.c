/* mock/keysfile: parsing the mock's keys file (untrusted input). */
#include "keysfile.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/buf.h"

static const char *const state_names[] = {
	[MOCK_KEY_ACTIVE] = "active",
	[MOCK_KEY_DELETED] = "deleted",
	[MOCK_KEY_EXPIRED] = "expired",
	[MOCK_KEY_DISABLED] = "disabled",
	[MOCK_KEY_MANAGEMENT] = "management",
};

const char *mock_key_state_name(mock_key_state s)
{
	return (unsigned)s < sizeof(state_names) / sizeof(*state_names) ?
	       state_names[s] : "?";
}

typedef struct parser {
	mock_keys *ks;
	const char *name;
	mock_warn_fn warn;
	void *ud;
	unsigned line;
	size_t cap;
} parser;

/* A token: a slice of the line. */
typedef struct tok {
	const char *p;
	size_t n;
} tok;

static void warnf(parser *ps, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void warnf(parser *ps, const char *fmt, ...)
{
	char msg[512];
	int off;
	va_list ap;

	if (!ps->warn)
		return;
	off = snprintf(msg, sizeof(msg), "mock: '%s' line %u: ", ps->name,
		       ps->line);
	if (off < 0 || (size_t)off >= sizeof(msg))
		off = 0;
	va_start(ap, fmt);
	vsnprintf(msg + off, sizeof(msg) - (size_t)off, fmt, ap);
	va_end(ap);
	ps->warn(ps->ud, msg);
}

/* Text from the file that may be echoed in a warning: short, printable
 * ASCII, and nothing that looks like a key (a key pasted in the wrong
 * column must not end up on stderr). */
static const char *echo(tok t, char *out, size_t cap)
{
	size_t i;

	if (t.n == 0 || t.n > 24 || t.n >= cap ||
	    ord_value_looks_like_openrouter_key(t.p, t.n))
		return NULL;
	for (i = 0; i < t.n; i++) {
		unsigned char c = (unsigned char)t.p[i];
		if (c < 0x21 || c > 0x7e || c == '\'')
			return NULL;
		out[i] = (char)c;
	}
	out[t.n] = '\0';
	return out;
}

static int is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static int tok_eq(tok t, const char *s)
{
	return t.n == strlen(s) && !memcmp(t.p, s, t.n);
}

static char *tok_dup(tok t)
{
	char *s = malloc(t.n + 1);

	if (s) {
		memcpy(s, t.p, t.n);
		s[t.n] = '\0';
	}
	return s;
}

static int well_formed_key(tok t)
{
	size_t i;

	if (t.n != ORD_KEY_LEN || memcmp(t.p, ORD_KEY_PREFIX, 9))
		return 0;
	for (i = 9; i < t.n; i++)
		if (!((t.p[i] >= '0' && t.p[i] <= '9') ||
		      (t.p[i] >= 'a' && t.p[i] <= 'f')))
			return 0;
	return 1;
}

/* A USD amount: a finite decimal number, within ±1e12. */
static int parse_usd(tok v, double *out)
{
	char buf[64], *end;
	double d;

	if (v.n == 0 || v.n >= sizeof(buf))
		return -1;
	memcpy(buf, v.p, v.n);
	buf[v.n] = '\0';
	if (!isdigit((unsigned char)buf[0]) && buf[0] != '-' &&
	    buf[0] != '+' && buf[0] != '.')
		return -1;
	errno = 0;
	d = strtod(buf, &end);
	if (errno || *end || !isfinite(d) || fabs(d) > 1e12)
		return -1;
	*out = d;
	return 0;
}

static int digits(const char *s, int n, int *out)
{
	int i, v = 0;

	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
 * days_from_civil), so no timegm/TZ is needed. */
static long days_from_civil(int y, int m, int d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int mock_parse_iso8601(const char *s, time_t *out)
{
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
				    30, 31};
	int y, mo, d, h = 0, mi = 0, sec = 0, oh = 0, om = 0, sign = 0;
	size_t n = strlen(s), i;

	if (n < 10 || digits(s, 4, &y) || s[4] != '-' ||
	    digits(s + 5, 2, &mo) || s[7] != '-' || digits(s + 8, 2, &d))
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || y < 1970)
		return -1;
	if (mo == 2 && d == 29 && !((y % 4 == 0 && y % 100) || y % 400 == 0))
		return -1;
	i = 10;
	if (i < n) {
		if ((s[i] != 'T' && s[i] != 't' && s[i] != ' ') ||
		    n < i + 6 || digits(s + i + 1, 2, &h) ||
		    s[i + 3] != ':' || digits(s + i + 4, 2, &mi))
			return -1;
		i += 6;
		if (i < n && s[i] == ':') {
			if (n < i + 3 || digits(s + i + 1, 2, &sec))
				return -1;
			i += 3;
			if (i < n && s[i] == '.') {
				i++;
				if (i >= n || !isdigit((unsigned char)s[i]))
					return -1;
				while (i < n && isdigit((unsigned char)s[i]))
					i++;
			}
		}
		if (h > 23 || mi > 59 || sec > 60)
			return -1;
		if (i < n && (s[i] == 'Z' || s[i] == 'z'))
			i++;
		else if (i < n && (s[i] == '+' || s[i] == '-')) {
			sign = s[i] == '-' ? -1 : 1;
			if (n < i + 6 || digits(s + i + 1, 2, &oh) ||
			    s[i + 3] != ':' || digits(s + i + 4, 2, &om) ||
			    oh > 23 || om > 59)
				return -1;
			i += 6;
		} else
			return -1; /* a time needs a zone */
	}
	if (i != n)
		return -1;
	*out = (time_t)(days_from_civil(y, mo, d) * 86400L + h * 3600L +
			mi * 60L + sec - sign * (oh * 3600L + om * 60L));
	return 0;
}

static void user_id_of(mock_key *k)
{
	/* Clerk-style ids are "user_" + 27 characters
	 * ("user_2dHFtVWx2n56w6HkM0000000000" in the OpenAPI example). */
	snprintf(k->user_id, sizeof(k->user_id), "user_2mock%s0000000000",
		 k->fingerprint);
}

static void key_free(mock_key *k)
{
	if (k->value) {
		ord_wipe(k->value, k->len);
		free(k->value);
	}
	free(k->label);
	free(k->expires_at);
	free(k->limit_reset);
	ord_wipe(k, sizeof(*k));
}

enum { OPT_OK, OPT_BAD_LINE, OPT_IGNORED, OPT_NOMEM };

static int set_text(char **dst, tok v)
{
	free(*dst);
	*dst = tok_dup(v);
	return *dst ? OPT_OK : OPT_NOMEM;
}

/* Apply one name=value option. */
static int apply_option(parser *ps, mock_key *k, tok opt)
{
	const char *eq = memchr(opt.p, '=', opt.n);
	tok name, v;
	char eb[32];
	size_t i;

	if (!eq) {
		const char *e = echo(opt, eb, sizeof(eb));
		warnf(ps, "option %s%s%s is not name=value (line skipped)",
		      e ? "'" : "", e ? e : "(not shown)", e ? "'" : "");
		return OPT_BAD_LINE;
	}
	name.p = opt.p;
	name.n = (size_t)(eq - opt.p);
	v.p = eq + 1;
	v.n = opt.n - name.n - 1;

	if (tok_eq(name, "limit") || tok_eq(name, "usage") ||
	    tok_eq(name, "credits")) {
		double d;
		if (parse_usd(v, &d) ||
		    (!tok_eq(name, "credits") && d < 0)) {
			warnf(ps, "bad value for %.*s= (a number of USD; line skipped)",
			      (int)name.n, name.p);
			return OPT_BAD_LINE;
		}
		if (tok_eq(name, "limit")) {
			k->has_limit = 1;
			k->limit = d;
		} else if (tok_eq(name, "usage")) {
			k->usage = d;
		} else
			k->credits = d;
		return OPT_OK;
	}
	if (tok_eq(name, "label")) {
		if (v.n == 0 || v.n > 200) {
			warnf(ps, "bad value for label= (1 to 200 characters; line skipped)");
			return OPT_BAD_LINE;
		}
		for (i = 0; i < v.n; i++)
			if ((unsigned char)v.p[i] < 0x20 || v.p[i] == 0x7f) {
				warnf(ps, "bad value for label= (control characters; line skipped)");
				return OPT_BAD_LINE;
			}
		return set_text(&k->label, v);
	}
	if (tok_eq(name, "free_tier")) {
		if (tok_eq(v, "true") || tok_eq(v, "1") || tok_eq(v, "yes"))
			k->free_tier = 1;
		else if (tok_eq(v, "false") || tok_eq(v, "0") ||
			 tok_eq(v, "no"))
			k->free_tier = 0;
		else {
			warnf(ps, "bad value for free_tier= (true or false; line skipped)");
			return OPT_BAD_LINE;
		}
		return OPT_OK;
	}
	if (tok_eq(name, "expires_at")) {
		char buf[48];
		time_t t;
		if (v.n == 0 || v.n >= sizeof(buf)) {
			warnf(ps, "bad value for expires_at= (ISO 8601, e.g. 2027-12-31T23:59:59Z; line skipped)");
			return OPT_BAD_LINE;
		}
		memcpy(buf, v.p, v.n);
		buf[v.n] = '\0';
		if (memchr(v.p, '\0', v.n) || mock_parse_iso8601(buf, &t)) {
			warnf(ps, "bad value for expires_at= (ISO 8601, e.g. 2027-12-31T23:59:59Z; line skipped)");
			return OPT_BAD_LINE;
		}
		k->expires = t;
		return set_text(&k->expires_at, v);
	}
	if (tok_eq(name, "limit_reset")) {
		if (!tok_eq(v, "daily") && !tok_eq(v, "weekly") &&
		    !tok_eq(v, "monthly")) {
			warnf(ps, "bad value for limit_reset= (daily, weekly or monthly; line skipped)");
			return OPT_BAD_LINE;
		}
		return set_text(&k->limit_reset, v);
	}
	if (tok_eq(name, "byok")) {
		const char *colon = memchr(v.p, ':', v.n);
		size_t pn = colon ? (size_t)(colon - v.p) : 0;
		tok what;

		if (!colon || pn == 0 || pn >= sizeof(k->byok[0])) {
			warnf(ps, "bad value for byok= (PROVIDER:invalid; line skipped)");
			return OPT_BAD_LINE;
		}
		for (i = 0; i < pn; i++)
			if (!isalnum((unsigned char)v.p[i]) && v.p[i] != '-' &&
			    v.p[i] != '_' && v.p[i] != '.') {
				warnf(ps, "bad value for byok= (PROVIDER:invalid; line skipped)");
				return OPT_BAD_LINE;
			}
		what.p = colon + 1;
		what.n = v.n - pn - 1;
		if (tok_eq(what, "valid"))
			return OPT_OK; /* the default: nothing to simulate */
		if (!tok_eq(what, "invalid")) {
			warnf(ps, "bad value for byok= (PROVIDER:invalid; line skipped)");
			return OPT_BAD_LINE;
		}
		if (k->nbyok >= MOCK_BYOK_MAX) {
			warnf(ps, "more than %d byok= options (extra ignored)",
			      MOCK_BYOK_MAX);
			return OPT_IGNORED;
		}
		for (i = 0; i < pn; i++)
			k->byok[k->nbyok][i] =
				(char)tolower((unsigned char)v.p[i]);
		k->byok[k->nbyok][pn] = '\0';
		k->nbyok++;
		return OPT_OK;
	}
	{
		const char *e = echo(name, eb, sizeof(eb));
		warnf(ps, "unknown option %s%s%s (ignored)", e ? "'" : "",
		      e ? e : "(not shown)", e ? "'" : "");
	}
	return OPT_IGNORED;
}

static int parse_state(tok t, mock_key_state *out)
{
	size_t i;

	for (i = 0; i < sizeof(state_names) / sizeof(*state_names); i++)
		if (tok_eq(t, state_names[i])) {
			*out = (mock_key_state)i;
			return 0;
		}
	return -1;
}

/* One line without its newline.  Returns 0 or ENOMEM. */
static int parse_line(parser *ps, const char *p, size_t n)
{
	tok toks[64];
	size_t nt = 0, i, j;
	mock_key k;
	int rc;
	char eb[32];
	ord_key ok;

	/* '#' starts a comment anywhere a field may start. */
	for (i = 0; i < n;) {
		while (i < n && is_ws(p[i]))
			i++;
		if (i >= n || p[i] == '#')
			break;
		if (nt == sizeof(toks) / sizeof(*toks)) {
			warnf(ps, "too many fields (line skipped)");
			return 0;
		}
		toks[nt].p = p + i;
		while (i < n && !is_ws(p[i]))
			i++;
		toks[nt].n = (size_t)(p + i - toks[nt].p);
		nt++;
	}
	if (nt == 0)
		return 0;
	if (!well_formed_key(toks[0])) {
		warnf(ps, "the key is not sk-or-v1- followed by 64 lowercase hex digits (line skipped)");
		return 0;
	}
	if (nt < 2) {
		warnf(ps, "no state after the key (line skipped)");
		return 0;
	}
	memset(&k, 0, sizeof(k));
	if (parse_state(toks[1], &k.state)) {
		const char *e = echo(toks[1], eb, sizeof(eb));
		if (e)
			warnf(ps, "unknown state '%s'", e);
		else
			warnf(ps, "unknown state (not shown)");
		return 0;
	}
	for (i = 0; i < ps->ks->n; i++)
		if (ps->ks->v[i].len == toks[0].n &&
		    !memcmp(ps->ks->v[i].value, toks[0].p, toks[0].n)) {
			warnf(ps, "duplicate key (first at line %u; line skipped)",
			      ps->ks->v[i].line);
			return 0;
		}
	if (ps->ks->n >= MOCK_KEYS_MAX) {
		warnf(ps, "more than %d keys (line skipped)", MOCK_KEYS_MAX);
		return 0;
	}
	k.line = ps->line;
	k.credits = MOCK_DEFAULT_CREDITS;
	for (j = 2; j < nt; j++) {
		rc = apply_option(ps, &k, toks[j]);
		if (rc == OPT_NOMEM || rc == OPT_BAD_LINE) {
			key_free(&k);
			return rc == OPT_NOMEM ? ENOMEM : 0;
		}
	}
	k.value = tok_dup(toks[0]);
	if (!k.value) {
		key_free(&k);
		return ENOMEM;
	}
	k.len = toks[0].n;
	if (ord_key_init(&ok, k.value, k.len)) {
		key_free(&k);
		return ENOMEM;
	}
	ord_key_redact(&ok, k.label_form);
	ord_key_fingerprint(&ok, k.fingerprint);
	ord_key_release(&ok);
	user_id_of(&k);

	if (ps->ks->n == ps->cap) {
		size_t nc = ps->cap ? ps->cap * 2 : 16;
		mock_key *nv = calloc(nc, sizeof(*nv));
		if (!nv) {
			key_free(&k);
			return ENOMEM;
		}
		if (ps->ks->n) {
			memcpy(nv, ps->ks->v, ps->ks->n * sizeof(*nv));
			ord_wipe(ps->ks->v, ps->ks->n * sizeof(*nv));
		}
		free(ps->ks->v);
		ps->ks->v = nv;
		ps->cap = nc;
	}
	ps->ks->v[ps->ks->n++] = k;
	return 0;
}

int mock_keys_parse(mock_keys *ks, const char *text, size_t len,
		    const char *name, mock_warn_fn warn, void *ud)
{
	parser ps;
	size_t i = 0, start;
	int rc;

	memset(&ps, 0, sizeof(ps));
	ps.ks = ks;
	ps.name = name ? name : "keys";
	ps.warn = warn;
	ps.ud = ud;
	ps.cap = ks->n;
	/* A UTF-8 byte order mark is not part of the first key. */
	if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3))
		i = 3;
	while (i < len) {
		const char *nl;

		start = i;
		ps.line++;
		nl = memchr(text + i, '\n', len - i);
		i = nl ? (size_t)(nl - text) : len;
		rc = parse_line(&ps, text + start, i - start);
		if (rc)
			return rc;
		if (nl)
			i++;
	}
	return 0;
}

int mock_keys_load(mock_keys *ks, const char *path, mock_warn_fn warn,
		   void *ud)
{
	ord_buf b = ORD_BUF_INIT(MOCK_KEYS_FILE_MAX);
	char chunk[8192];
	struct stat st;
	ssize_t got;
	int fd, rc = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	if (fstat(fd, &st)) {
		rc = errno;
		close(fd);
		return rc;
	}
	if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode)) {
		close(fd);
		return S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
	}
	for (;;) {
		got = read(fd, chunk, sizeof(chunk));
		if (got < 0) {
			if (errno == EINTR)
				continue;
			rc = errno;
			break;
		}
		if (got == 0)
			break;
		rc = ord_buf_add(&b, chunk, (size_t)got);
		if (rc) {
			rc = rc == ENOSPC ? EFBIG : rc;
			break;
		}
	}
	close(fd);
	ord_wipe(chunk, sizeof(chunk));
	if (!rc)
		rc = mock_keys_parse(ks, ord_buf_str(&b), b.len, path, warn,
				     ud);
	ord_buf_release(&b);
	return rc;
}

void mock_keys_release(mock_keys *ks)
{
	size_t i;

	for (i = 0; i < ks->n; i++)
		key_free(&ks->v[i]);
	free(ks->v);
	ks->v = NULL;
	ks->n = 0;
}

const mock_key *mock_keys_find(const mock_keys *ks, const char *cred,
			       size_t len)
{
	size_t i, j;

	for (i = 0; i < ks->n; i++) {
		unsigned char d = 0;

		if (ks->v[i].len != len)
			continue;
		for (j = 0; j < len; j++)
			d |= (unsigned char)(ks->v[i].value[j] ^ cred[j]);
		if (!d)
			return &ks->v[i];
	}
	return NULL;
}

int mock_key_alive(const mock_key *k, time_t now)
{
	if (k->state != MOCK_KEY_ACTIVE && k->state != MOCK_KEY_MANAGEMENT)
		return 0;
	if (k->expires_at && k->expires <= now)
		return 0;
	return 1;
}

double mock_key_remaining(const mock_key *k)
{
	return k->limit - k->usage;
}
