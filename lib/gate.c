/* gate: the one output gate (see gate.h).
 *
 * How keys are found in any encoding: the text is decoded in layers.  Layer
 * 0 is the bytes as given; each next layer decodes one level of the
 * escapes a key travels in (%XX, \uXXXX, \xHH, \n and the other JSON
 * escapes, &#NN; and &#xHH;) while every decoded character remembers the
 * span of source bytes it came from.  Keys are searched in every layer, and
 * each one found replaces its whole source span by the label form of the
 * decoded key.  So "sk%2Dor%2Dv1%2D…" and "\u0073k-or-v1-…" are found in
 * layer 1, a key escaped twice in layer 2.  Base64 runs (an HTTP Basic
 * credential) are decoded on the side and replaced whole when they hide a
 * key.  Masks ("***") are applied before and again after, and only then
 * are control characters and invalid UTF-8 replaced, on the text with the
 * keys gone.
 *
 * The output is a fixed point: gating it again changes nothing
 * (tests/fuzz/fuzz_gate.c checks that on every input), so no label can
 * combine with its neighbours into something that looks like a key, and
 * gating twice, as a string in a record and again on the stream, is safe.
 */
#include "gate.h"

#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "key.h"

#define MAX_LAYERS 4
/* A run of this many hex digits is a secret even glued into a word (a key
 * body without its prefix). */
#define HEX_GLUED 32
/* A whole word of this many hex digits (hashes, key bodies). */
#define HEX_WORD 20
/* A word of letters and digits this long, with both, is token-like. */
#define TOKEN_WORD 32
/* Base64 shorter than this cannot hide a key worth finding. */
#define B64_MIN 24

typedef struct layer {
	unsigned char *c; /* decoded bytes; 0x80 stands for any non-ASCII */
	size_t *s, *e;    /* source span [s, e) of each */
	size_t n;
} layer;

typedef struct repl {
	size_t s, e;
	int named;       /* the text names the key's vendor: preferred */
	char text[ORD_REDACT_MAX];
} repl;

typedef struct repls {
	repl *v;
	size_t n, cap;
	int oom;
} repls;

static int is_alnum(int c)
{
	return c < 0x80 && isalnum(c);
}

static int is_hex(int c)
{
	return c < 0x80 && isxdigit(c);
}

static int keych(int c)
{
	return is_alnum(c) || c == '_' || c == '-';
}

static void add_repl(repls *r, size_t s, size_t e, int named, const char *text)
{
	if (r->n == r->cap) {
		size_t nc = r->cap ? r->cap * 2 : 16;
		repl *v = realloc(r->v, nc * sizeof(*v));

		if (!v) {
			r->oom = 1;
			return;
		}
		r->v = v;
		r->cap = nc;
	}
	r->v[r->n].s = s;
	r->v[r->n].e = e;
	r->v[r->n].named = named;
	snprintf(r->v[r->n].text, sizeof(r->v[r->n].text), "%s", text);
	r->n++;
}

/* "abc...xyz" of c[0..n) (n > 6), after pre[0..pl). */
static void label(char out[ORD_REDACT_MAX], const unsigned char *pre, size_t pl,
		  const unsigned char *c, size_t n)
{
	snprintf(out, ORD_REDACT_MAX, "%.*s%.3s...%.3s", (int)pl, (const char *)pre,
		 (const char *)c, (const char *)c + n - 3);
}

/* Template values are not secrets: they start with x's
 * ("sk-or-v1-xxxxxxxx…").  Only the start counts: a key glued to a run of
 * x's is still a key. */
static int placeholder(const unsigned char *c, size_t n)
{
	size_t i;

	for (i = 0; i < n && i < 8; i++)
		if (c[i] != 'x' && c[i] != 'X')
			return 0;
	return 1;
}

/* Random enough to be a key body: a digit, or both cases over 20+
 * characters ("disk-usage-reporting-enabled" is not a key). */
static int random_body(const unsigned char *c, size_t n)
{
	size_t i;
	int dig = 0, up = 0, lo = 0;

	for (i = 0; i < n; i++) {
		dig |= isdigit(c[i]) != 0;
		up |= c[i] < 0x80 && isupper(c[i]);
		lo |= c[i] < 0x80 && islower(c[i]);
	}
	return dig || (up && lo && n >= 20);
}

/* For each byte, the first entry of ord_vendor_prefixes that starts with
 * it (+1; 0: none), and every prefix's length: the gate runs over every
 * line ordoctor prints, and most bytes start no prefix. */
static pthread_once_t prefixes_once = PTHREAD_ONCE_INIT;
static unsigned char first_entry[256];
static size_t prefix_len[64], nprefix;

static void prefixes_init(void)
{
	size_t k;

	for (k = 0; ord_vendor_prefixes[k].prefix && k < sizeof(prefix_len) / sizeof(*prefix_len); k++) {
		unsigned char b = (unsigned char)ord_vendor_prefixes[k].prefix[0];

		prefix_len[k] = strlen(ord_vendor_prefixes[k].prefix);
		if (!first_entry[b])
			first_entry[b] = (unsigned char)(k + 1);
	}
	nprefix = k;
}

/* The vendor prefix at c[i..n), or NULL. */
static const ord_vendor_prefix *prefix_at(const unsigned char *c, size_t i, size_t n)
{
	size_t k;

	if (!first_entry[c[i]])
		return NULL;
	for (k = first_entry[c[i]] - 1u; k < nprefix; k++) {
		size_t pl = prefix_len[k];

		if (n - i >= pl && ord_vendor_prefixes[k].prefix[0] == (char)c[i] &&
		    !memcmp(c + i, ord_vendor_prefixes[k].prefix, pl))
			return &ord_vendor_prefixes[k];
	}
	return NULL;
}

/* Every secret in c[0..n); spans from s/e.  A vendor key is replaced by
 * its label form, other runs by first3...last3.  The three kinds are
 * searched independently, each over the whole text, and their overlaps
 * merged by the caller: a key whose prefix starts inside a token-like run
 * ("…9sk-or-v1-…") must be found, or the run's label ("3fa...9sk") would
 * hand its prefix back to what follows it. */
static void find(const unsigned char *c, const size_t *s, const size_t *e, size_t n,
		 repls *r)
{
	size_t i, j;
	char text[ORD_REDACT_MAX];

	for (i = 0; i < n;) {
		const ord_vendor_prefix *p = prefix_at(c, i, n);

		if (p) {
			size_t pl = strlen(p->prefix), b = i + pl;
			int or = !strcmp(p->vendor, "openrouter");

			for (j = b; j < n && keych(c[j]); j++)
				;
			/* 10 or more: the label (3 + "..." + 3) is then
			 * shorter than what it replaces. */
			if (j - b >= p->min_body && j - b >= 10 && !placeholder(c + b, j - b) &&
			    (or || random_body(c + b, j - b))) {
				label(text, c + i, pl, c + b, j - b);
				add_repl(r, s[i], e[j - 1], 1, text);
				i = j;
				continue;
			}
		}
		i++;
	}
	for (i = 0; i < n;) {
		if (is_alnum(c[i]) && (!i || !is_alnum(c[i - 1]))) {
			int hex = 1, dig = 0, let = 0;

			for (j = i; j < n && is_alnum(c[j]); j++) {
				hex &= is_hex(c[j]);
				if (isdigit(c[j]))
					dig = 1;
				else
					let = 1;
			}
			if ((hex && j - i >= HEX_WORD) || (j - i >= TOKEN_WORD && dig && let)) {
				label(text, (const unsigned char *)"", 0, c + i, j - i);
				add_repl(r, s[i], e[j - 1], 0, text);
				i = j;
				continue;
			}
		}
		i++;
	}
	/* Hex glued to anything: "x" + a key body is still a key body. */
	for (i = 0; i < n;) {
		for (j = i; j < n && is_hex(c[j]); j++)
			;
		if (j - i >= HEX_GLUED) {
			label(text, (const unsigned char *)"", 0, c + i, j - i);
			add_repl(r, s[i], e[j - 1], 0, text);
		}
		i = j > i ? j : i + 1;
	}
}

static int b64val(int ch)
{
	if (ch >= 'A' && ch <= 'Z')
		return ch - 'A';
	if (ch >= 'a' && ch <= 'z')
		return ch - 'a' + 26;
	if (ch >= '0' && ch <= '9')
		return ch - '0' + 52;
	if (ch == '+' || ch == '-')
		return 62;
	if (ch == '/' || ch == '_')
		return 63;
	return -1;
}

/* Base64 runs in l that decode to something holding a key (standard or
 * URL-safe alphabet, any alignment): the whole run goes. */
static void find_b64(const layer *l, repls *r)
{
	size_t i = 0, j, k, off, nd;
	unsigned char *d = NULL;
	size_t *sp = NULL, *ep = NULL;

	while (i < l->n) {
		for (j = i; j < l->n && b64val(l->c[j]) >= 0; j++)
			;
		if (j - i >= B64_MIN) {
			repls sub = {0};
			size_t len = j - i;

			d = malloc(len);
			sp = malloc(len * sizeof(*sp));
			ep = malloc(len * sizeof(*ep));
			if (!d || !sp || !ep) {
				r->oom = 1;
				goto next;
			}
			for (k = 0; k < len; k++) {
				sp[k] = l->s[i];
				ep[k] = l->e[j - 1];
			}
			for (off = 0; off < 4 && !sub.n; off++) {
				unsigned acc = 0, bits = 0;

				nd = 0;
				for (k = i + off; k < j; k++) {
					acc = (acc << 6) | (unsigned)b64val(l->c[k]);
					bits += 6;
					if (bits >= 8) {
						bits -= 8;
						d[nd++] = (unsigned char)(acc >> bits);
						acc &= (1u << bits) - 1;
					}
				}
				find(d, sp, ep, nd, &sub);
			}
			if (sub.n)
				add_repl(r, l->s[i], l->e[j - 1], sub.v[0].named, sub.v[0].text);
			if (sub.oom)
				r->oom = 1;
			ord_wipe(d, len);
			free(sub.v);
next:
			free(d);
			free(sp);
			free(ep);
			d = NULL;
			sp = ep = NULL;
		}
		i = j > i ? j : i + 1;
	}
}

static int hex2(const unsigned char *c, size_t i, size_t n)
{
	int a, b;

	if (i + 1 >= n || (a = ord_hexval(c[i])) < 0 || (b = ord_hexval(c[i + 1])) < 0)
		return -1;
	return a * 16 + b;
}

/* One level of decoding of in into out; returns how many escapes were
 * decoded (0: out is the same text). */
static size_t decode(const layer *in, layer *out)
{
	const unsigned char *c = in->c;
	size_t i = 0, n = in->n, o = 0, k, ndec = 0;

	while (i < n) {
		long v = -1;
		size_t used = 1;

		if (c[i] == '%' && hex2(c, i + 1, n) >= 0) {
			v = hex2(c, i + 1, n);
			used = 3;
		} else if (c[i] == '\\' && i + 1 < n) {
			unsigned char x = c[i + 1];
			static const char from[] = "ntrbf/\\\"'", to[] = "\n\t\r\b\f/\\\"'";
			const char *m = x ? strchr(from, x) : NULL;

			if (x == 'u' && i + 5 < n && hex2(c, i + 2, n) >= 0 && hex2(c, i + 4, n) >= 0) {
				v = hex2(c, i + 2, n) * 256 + hex2(c, i + 4, n);
				used = 6;
			} else if (x == 'x' && hex2(c, i + 2, n) >= 0) {
				v = hex2(c, i + 2, n);
				used = 4;
			} else if (m) {
				v = (unsigned char)to[m - from];
				used = 2;
			}
		} else if (c[i] == '&' && i + 3 < n && c[i + 1] == '#') {
			int hexform = c[i + 2] == 'x' || c[i + 2] == 'X';
			size_t j = i + 2 + (size_t)hexform;
			long acc = 0;

			for (k = j; k < n && k < j + 7 &&
				    (hexform ? is_hex(c[k]) : (c[k] < 0x80 && isdigit(c[k]))); k++)
				acc = acc * (hexform ? 16 : 10) + ord_hexval(c[k]);
			if (k > j && k < n && c[k] == ';') {
				v = acc;
				used = k + 1 - i;
			}
		}
		if (v >= 0) {
			out->c[o] = v < 0x80 ? (unsigned char)v : 0x80;
			out->s[o] = in->s[i];
			out->e[o] = in->e[i + used - 1];
			ndec++;
		} else {
			out->c[o] = c[i];
			out->s[o] = in->s[i];
			out->e[o] = in->e[i];
		}
		o++;
		i += used;
	}
	out->n = o;
	return ndec;
}

static int layer_alloc(layer *l, size_t n)
{
	l->c = malloc(n + 1);
	l->s = malloc((n + 1) * sizeof(*l->s));
	l->e = malloc((n + 1) * sizeof(*l->e));
	l->n = 0;
	return l->c && l->s && l->e ? 0 : ENOMEM;
}

static void layer_free(layer *l)
{
	if (l->c)
		ord_wipe(l->c, l->n);
	free(l->c);
	free(l->s);
	free(l->e);
	memset(l, 0, sizeof(*l));
}

static int by_start(const void *a, const void *b)
{
	const repl *x = a, *y = b;

	if (x->s != y->s)
		return x->s < y->s ? -1 : 1;
	return x->e > y->e ? -1 : x->e < y->e;
}

/* Masked keys ("sk-or-v1-8e54ae9000******0e38...d8e3"): at most 4
 * characters stay visible on each side of a run of 3+ '*'; a mask tells
 * that the writer meant to hide what is around it. */
static void mask_stars(const char *s, size_t n, ord_buf *t)
{
	size_t i, b;

	if (!memmem(s, n, "***", 3)) {
		ord_buf_add(t, s, n);
		return;
	}
	for (i = 0; i < n;) {
		size_t j = i, e;

		if (s[i] != '*') {
			ord_buf_addc(t, s[i++]);
			continue;
		}
		while (j < n && s[j] == '*')
			j++;
		if (j - i >= 3) {
			for (b = t->len; b > 0 && is_alnum((unsigned char)t->data[b - 1]); b--)
				;
			if (t->len - b > 4) {
				ord_wipe(t->data + b + 4, t->len - b - 4);
				t->len = b + 4;
				t->data[t->len] = '\0';
			}
			ord_buf_add(t, s + i, j - i);
			for (e = j; e < n && is_alnum((unsigned char)s[e]); e++)
				;
			if (e - j > 4)
				j = e - 4;
		} else
			ord_buf_add(t, s + i, j - i);
		i = j;
	}
}

static const char *const sgr[] = {
	"\033[0m", "\033[1m", "\033[2m", "\033[31m", "\033[32m", "\033[33m", "\033[36m",
};

/* Controls out, valid UTF-8 in, from s[0..n) to out. */
static int clean_chars(const unsigned char *s, size_t n, unsigned flags, ord_buf *out)
{
	size_t i = 0, k;
	int rc = 0;

	while (i < n && !rc) {
		unsigned char c = s[i];
		size_t need = 0;
		unsigned lo = 0x80, hi = 0xbf;

		if (c == '\033' && (flags & ORD_GATE_SGR)) {
			for (k = 0; k < sizeof(sgr) / sizeof(*sgr); k++) {
				size_t l = strlen(sgr[k]);
				if (n - i >= l && !memcmp(s + i, sgr[k], l))
					break;
			}
			if (k < sizeof(sgr) / sizeof(*sgr)) {
				rc = ord_buf_adds(out, sgr[k]);
				i += strlen(sgr[k]);
				continue;
			}
		}
		if (c < 0x80) {
			size_t j = i;

			/* printable ASCII runs go in one piece */
			while (j < n && ((s[j] >= 0x20 && s[j] < 0x7f) || s[j] == '\n' || s[j] == '\t'))
				j++;
			if (j > i) {
				rc = ord_buf_add(out, s + i, j - i);
				i = j;
				continue;
			}
			rc = ord_buf_addc(out, '?');
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			need = 1;
		else if (c >= 0xe0 && c <= 0xef) {
			need = 2;
			if (c == 0xe0)
				lo = 0xa0;
			else if (c == 0xed)
				hi = 0x9f; /* no UTF-16 surrogates */
		} else if (c >= 0xf0 && c <= 0xf4) {
			need = 3;
			if (c == 0xf0)
				lo = 0x90;
			else if (c == 0xf4)
				hi = 0x8f;
		}
		if (need && i + need < n && s[i + 1] >= lo && s[i + 1] <= hi) {
			for (k = 2; k <= need && (s[i + k] & 0xc0) == 0x80; k++)
				;
			if (k > need) {
				/* C1 controls; bidirectional overrides and
				 * isolates; line and paragraph separators. */
				if ((c == 0xc2 && s[i + 1] < 0xa0) ||
				    (c == 0xe2 && s[i + 1] == 0x80 && s[i + 2] >= 0xa8 && s[i + 2] <= 0xae) ||
				    (c == 0xe2 && s[i + 1] == 0x81 && s[i + 2] >= 0xa6 && s[i + 2] <= 0xa9))
					rc = ord_buf_addc(out, '?');
				else
					rc = ord_buf_add(out, s + i, need + 1);
				i += need + 1;
				continue;
			}
		}
		rc = ord_buf_adds(out, "\xef\xbf\xbd");
		i++;
	}
	return rc;
}

/* One pass: masks, then every secret found in any layer replaced, then
 * masks again; the result (not yet cleaned of controls) goes to res, and
 * *found says whether anything was replaced. */
static int gate_pass(const char *in, size_t len, ord_buf *res, int *found)
{
	ord_buf m = ORD_BUF_INIT(len + 1), mid = ORD_BUF_INIT(2 * len + 64);
	layer l[2] = {{0}, {0}};
	repls r = {0};
	const unsigned char *t;
	size_t i, n, at, depth, cur = 0;
	int rc = 0;

	*found = 0;
	mask_stars(in, len, &m);
	if (!m.data) {
		rc = ENOMEM;
		goto out;
	}
	t = (const unsigned char *)m.data;
	n = m.len;
	if (layer_alloc(&l[0], n) || layer_alloc(&l[1], n)) {
		rc = ENOMEM;
		goto out;
	}
	for (i = 0; i < n; i++) {
		l[0].c[i] = t[i] < 0x80 ? t[i] : 0x80;
		l[0].s[i] = i;
		l[0].e[i] = i + 1;
	}
	l[0].n = n;
	for (depth = 0; depth < MAX_LAYERS; depth++) {
		find(l[cur].c, l[cur].s, l[cur].e, l[cur].n, &r);
		find_b64(&l[cur], &r);
		if (!decode(&l[cur], &l[1 - cur]))
			break;
		cur = 1 - cur;
	}
	if (r.oom) {
		rc = ENOMEM;
		goto out;
	}
	*found = r.n > 0;
	/* Overlapping finds merge; one that names a vendor, then the widest,
	 * gives the text. */
	if (r.n)
		qsort(r.v, r.n, sizeof(*r.v), by_start);
	for (i = 0, at = 0; i < r.n && !rc; i++) {
		repl cur_r = r.v[i];

		while (i + 1 < r.n && r.v[i + 1].s < cur_r.e) {
			const repl *x = &r.v[i + 1];

			if (x->named > cur_r.named ||
			    (x->named == cur_r.named && x->e - x->s > cur_r.e - cur_r.s)) {
				memcpy(cur_r.text, x->text, sizeof(cur_r.text));
				cur_r.named = x->named;
			}
			if (r.v[i + 1].e > cur_r.e)
				cur_r.e = r.v[i + 1].e;
			i++;
		}
		if (cur_r.s > at)
			rc = ord_buf_add(&mid, t + at, cur_r.s - at);
		if (!rc)
			rc = ord_buf_adds(&mid, cur_r.text);
		at = cur_r.e;
	}
	if (!rc && at < n)
		rc = ord_buf_add(&mid, t + at, n - at);
	/* Masks again: a label may have moved characters next to a mask
	 * ("***7889" + "sk-or-v1-…"). */
	if (!rc && mid.len)
		mask_stars(mid.data, mid.len, res);
out:
	free(r.v);
	layer_free(&l[0]);
	layer_free(&l[1]);
	ord_buf_release(&m);
	ord_buf_release(&mid);
	return rc;
}

int ord_gate_buf(const char *in, size_t len, unsigned flags, ord_buf *out)
{
	ord_buf a = ORD_BUF_INIT(len + 1);
	int rc, found, pass;

	if (!len)
		return 0;
	pthread_once(&prefixes_once, prefixes_init);
	/* A label joins what stands next to it ("…889" + "sk-or-v1-…" is
	 * one word), and that word may look like a secret in turn: gate again
	 * until a pass replaces nothing.  Every replacement is shorter than
	 * what it replaces, so this ends; most text needs one pass. */
	rc = gate_pass(in, len, &a, &found);
	for (pass = 1; !rc && found && a.len && pass < 16; pass++) {
		ord_buf b = ORD_BUF_INIT(a.len + 1);

		rc = gate_pass(a.data, a.len, &b, &found);
		ord_buf_release(&a);
		a = b;
	}
	if (!rc && found && pass == 16)
		rc = EAGAIN; /* cannot happen: every pass shrinks the text */
	if (!rc && a.len)
		rc = clean_chars((const unsigned char *)a.data, a.len, flags, out);
	ord_buf_release(&a);
	return rc;
}

char *ord_gate_dup(const char *in, size_t len)
{
	ord_buf b = ORD_BUF_INIT(len * 3 + 64);

	if (ord_gate_buf(in, len, 0, &b)) {
		ord_buf_release(&b);
		return NULL;
	}
	return ord_buf_detach(&b, NULL);
}

void ord_gate_copy(char *dst, size_t cap, const char *src, size_t len)
{
	ord_buf b = ORD_BUF_INIT(len * 3 + 64);
	size_t n;

	if (!dst || !cap)
		return;
	if (!src || ord_gate_buf(src, len, 0, &b)) {
		/* Nothing ungated may pass: without memory, nothing does. */
		dst[0] = '\0';
		ord_buf_release(&b);
		return;
	}
	n = b.len;
	if (n >= cap) {
		ord_buf again = ORD_BUF_INIT(cap * 3 + 64);

		n = cap - 1;
		while (n && ((unsigned char)b.data[n] & 0xc0) == 0x80)
			n--;
		/* A cut can end a word early ("000…0sk" becomes a hex run):
		 * gate the cut text once more; gating never lengthens text
		 * that has been gated, so it still fits. */
		if (ord_gate_buf(b.data, n, 0, &again) || again.len >= cap) {
			dst[0] = '\0';
			ord_buf_release(&again);
			ord_buf_release(&b);
			return;
		}
		ord_buf_release(&b);
		b = again;
		n = b.len;
	}
	if (n)
		memmove(dst, b.data, n);
	dst[n] = '\0';
	ord_buf_release(&b);
}

void ord_gate_str(char *s, size_t cap)
{
	if (s && cap)
		ord_gate_copy(s, cap, s, strnlen(s, cap - 1));
}
