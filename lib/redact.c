/* redact: what may be shown of a string that came from the input (keys
 * reduced to their label form or less), key fragments, and the two
 * decoders the unwrapper needs (Python repr to JSON, one level of JSON
 * string escaping).  See unwrap.h. */
#include "unwrap.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- scrubbing ------------------------------------------------------------ */

static int alnum(int c)
{
	return c < 0x80 && isalnum(c);
}

/* Masked keys ("sk-or-v1-8e54ae9000******0e38...d8e3"): at most 4
 * characters stay visible on each side of a run of 3+ '*'. */
static void mask_stars(char *s)
{
	size_t n = strlen(s), i, o = 0;
	char *t = malloc(n + 1);

	if (!t)
		return;
	for (i = 0; i < n;) {
		size_t j = i, b, e;

		if (s[i] != '*') {
			t[o++] = s[i++];
			continue;
		}
		while (j < n && s[j] == '*')
			j++;
		if (j - i >= 3) {
			for (b = o; b > 0 && alnum((unsigned char)t[b - 1]); b--)
				;
			if (o - b > 4)
				o = b + 4;
			memcpy(t + o, s + i, j - i);
			o += j - i;
			for (e = j; e < n && alnum((unsigned char)s[e]); e++)
				;
			if (e - j > 4)
				j = e - 4;
		} else {
			memcpy(t + o, s + i, j - i);
			o += j - i;
		}
		i = j;
	}
	t[o] = '\0';
	memcpy(s, t, o + 1);
	ord_wipe(t, n + 1);
	free(t);
}

/* Long hex runs (hashes, keys without a prefix) and long token-like runs
 * (letters and digits, 32+) become first3...last3. */
static void cut_tokens(char *s)
{
	size_t i = 0;

	while (s[i]) {
		size_t j = i, hex = 1, dig = 0, let = 0;

		if (!alnum((unsigned char)s[i])) {
			i++;
			continue;
		}
		while (alnum((unsigned char)s[j])) {
			if (!isxdigit((unsigned char)s[j]))
				hex = 0;
			if (isdigit((unsigned char)s[j]))
				dig = 1;
			else
				let = 1;
			j++;
		}
		if ((hex && j - i >= 20) || (j - i >= 32 && dig && let)) {
			memmove(s + i + 3, "...", 3);
			memmove(s + i + 6, s + j - 3, 3);
			memmove(s + i + 9, s + j, strlen(s + j) + 1);
			j = i + 9;
		}
		i = j;
	}
}

/* Invalid UTF-8 sequences become '?', so JSON output stays valid. */
static void fix_utf8(char *s)
{
	unsigned char *p = (unsigned char *)s;

	while (*p) {
		size_t need, k;

		if (*p < 0x80) {
			p++;
			continue;
		}
		need = (*p & 0xe0) == 0xc0 && *p >= 0xc2 ? 1 :
		       (*p & 0xf0) == 0xe0 ? 2 :
		       (*p & 0xf8) == 0xf0 && *p <= 0xf4 ? 3 : 0;
		for (k = 1; need && k <= need; k++)
			if ((p[k] & 0xc0) != 0x80)
				need = 0;
		if (!need) {
			*p++ = '?';
			continue;
		}
		p += need + 1;
	}
}

/* Any run of 32+ hex digits, even inside a longer word, becomes
 * first3...last3: a key body glued to other letters is still a key. */
static void cut_hex(char *s)
{
	size_t i = 0;

	while (s[i]) {
		size_t j = i;

		while (s[j] && s[j] < 0x7f && isxdigit((unsigned char)s[j]))
			j++;
		if (j - i >= 32) {
			memmove(s + i + 3, "...", 3);
			memmove(s + i + 6, s + j - 3, 3);
			memmove(s + i + 9, s + j, strlen(s + j) + 1);
			j = i + 9;
		}
		i = j > i ? j : i + 1;
	}
}

void ord_scrub(char *s)
{
	if (!s)
		return;
	mask_stars(s);
	ord_api_scrub(s);
	cut_tokens(s);
	cut_hex(s);
	fix_utf8(s);
}

/* ---- key fragments ------------------------------------------------------- */

static const struct {
	const char *prefix, *vendor;
	size_t min_body;      /* unmasked bodies shorter than this are not keys */
} prefixes[] = {
	{"sk-or-v1-", "openrouter", 0}, {"sk-or-v1", "openrouter", 0},
	{"sk-or-", "openrouter", 8}, {"sk-ant-", "anthropic", 16},
	{"sk-proj-", "openai", 16}, {"sk-svcacct-", "openai", 16},
	{"AIza", "google", 20}, {"nvapi-", "nvidia", 16}, {"gsk_", "groq", 16},
	{"xai-", "xai", 16}, {"sk-", "other", 16},
};

static int keybody(int c)
{
	return alnum(c) || c == '_' || c == '-';
}

/* A mask at s: "*", "...", U+2026 or U+2022; returns its length or 0. */
static size_t mask_at(const unsigned char *s, const unsigned char *end)
{
	if (s < end && *s == '*')
		return 1;
	if (end - s >= 3 && !memcmp(s, "...", 3))
		return 3;
	if (end - s >= 3 && s[0] == 0xe2 && s[1] == 0x80 && (s[2] == 0xa6 || s[2] == 0xa2))
		return 3;
	return 0;
}

static int is_placeholder(const char *vendor, const char *h, size_t n)
{
	size_t i, x = 0;

	for (i = 0; i < n; i++)
		if (h[i] == 'x' || h[i] == 'X')
			x++;
	if (n && x * 2 >= n)
		return 1;
	if (!strcmp(vendor, "openrouter"))
		for (i = 0; i < n; i++)
			if (!isxdigit((unsigned char)h[i]) || isupper((unsigned char)h[i]))
				return 1;
	return 0;
}

size_t ord_key_fragments(const char *text, size_t len, ord_keyfrag *out, size_t max)
{
	const unsigned char *t = (const unsigned char *)text, *end = t + len;
	size_t i, k, nout = 0;

	for (i = 0; i < len && nout < max; i++) {
		const unsigned char *p, *head, *tail = NULL;
		size_t hl, tl = 0, pl = 0, m;
		int masked = 0;
		ord_keyfrag f;
		char *o;

		if (i && (keybody(t[i - 1]) || t[i - 1] == '.'))
			continue;
		for (k = 0; k < sizeof(prefixes) / sizeof(*prefixes); k++) {
			pl = strlen(prefixes[k].prefix);
			if ((size_t)(end - (t + i)) >= pl && !memcmp(t + i, prefixes[k].prefix, pl))
				break;
		}
		if (k == sizeof(prefixes) / sizeof(*prefixes))
			continue;
		p = head = t + i + pl;
		while (p < end && keybody(*p))
			p++;
		hl = (size_t)(p - head);
		while (p < end && (m = mask_at(p, end))) {
			masked = 1;
			p += m;
			while (p < end && keybody(*p) && !mask_at(p, end)) {
				if (!tail)
					tail = p;
				p++;
			}
			if (p < end && mask_at(p, end))
				tail = NULL;
		}
		if (tail)
			tl = (size_t)(p - tail);
		if (!masked && hl < prefixes[k].min_body)
			continue;
		memset(&f, 0, sizeof(f));
		f.vendor = prefixes[k].vendor;
		f.masked = masked;
		o = f.text;
		memcpy(o, prefixes[k].prefix, pl);
		o += pl;
		if ((!masked && !hl && p < end && strchr("<${[", *p)) ||
		    (hl && !masked && is_placeholder(f.vendor, (const char *)head, hl)) ||
		    (hl && masked && is_placeholder(f.vendor, (const char *)head, hl < 3 ? hl : 3))) {
			f.placeholder = 1;
			snprintf(o, sizeof(f.text) - pl, "(placeholder)");
		} else if (masked) {
			size_t hs = hl < 3 ? hl : 3, ts = tl < 4 ? tl : 4;

			snprintf(o, sizeof(f.text) - pl, "%.*s...%.*s", (int)hs, (const char *)head,
				 (int)ts, (const char *)(tail ? tail + tl - ts : head));
		} else {
			f.full = !strcmp(f.vendor, "openrouter") ? hl >= ORD_KEY_HEX_LEN : hl >= 32;
			f.truncated = !strcmp(f.vendor, "openrouter") && hl < ORD_KEY_HEX_LEN;
			if (hl > 6)
				snprintf(o, sizeof(f.text) - pl, "%.3s...%.3s", (const char *)head,
					 (const char *)head + hl - 3);
			else
				snprintf(o, sizeof(f.text) - pl, "%.*s%s", (int)(hl < 3 ? hl : 3),
					 (const char *)head, hl > 3 ? "..." : "");
		}
		for (k = 0; k < nout; k++)
			if (!strcmp(out[k].text, f.text))
				break;
		if (k == nout)
			out[nout++] = f;
		i = (size_t)(p - t);
		if (i)
			i--;
	}
	return nout;
}

/* ---- conversions --------------------------------------------------------- */

static int word_at(const char *s, size_t i, size_t n, const char *w)
{
	size_t wl = strlen(w);

	return i + wl <= n && !memcmp(s + i, w, wl) &&
	       (i == 0 || !(isalnum((unsigned char)s[i - 1]) || s[i - 1] == '_')) &&
	       (i + wl == n || !(isalnum((unsigned char)s[i + wl]) || s[i + wl] == '_'));
}

int ord_pyrepr_to_json(const char *in, size_t len, ord_buf *out)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < len && !rc; i++) {
		char c = in[i];

		if (c == '\'' || c == '"') {
			char q = c;

			rc = ord_buf_addc(out, '"');
			for (i++; i < len && !rc && in[i] != q; i++) {
				if (in[i] == '\\' && i + 1 < len) {
					char e = in[++i];
					if (e == '\'')
						rc = ord_buf_addc(out, '\'');
					else if (e == 'x' && i + 2 < len)
						rc = ord_buf_addf(out, "\\u00%c%c", in[i + 1], in[i + 2]), i += 2;
					else
						rc = ord_buf_addf(out, "\\%c", e);
				} else if (in[i] == '"')
					rc = ord_buf_adds(out, "\\\"");
				else if ((unsigned char)in[i] < 0x20)
					rc = ord_buf_addf(out, "\\u%04x", (unsigned char)in[i]);
				else
					rc = ord_buf_addc(out, in[i]);
			}
			if (!rc)
				rc = ord_buf_addc(out, '"');
		} else if (word_at(in, i, len, "True"))
			rc = ord_buf_adds(out, "true"), i += 3;
		else if (word_at(in, i, len, "False"))
			rc = ord_buf_adds(out, "false"), i += 4;
		else if (word_at(in, i, len, "None"))
			rc = ord_buf_adds(out, "null"), i += 3;
		else
			rc = ord_buf_addc(out, c);
	}
	return rc;
}

int ord_json_unescape(const char *in, size_t len, ord_buf *out)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < len && !rc; i++) {
		char c = in[i];

		if (c == '"')
			break;
		if (c != '\\' || i + 1 >= len) {
			rc = ord_buf_addc(out, c);
			continue;
		}
		c = in[++i];
		switch (c) {
		case 'n': rc = ord_buf_addc(out, '\n'); break;
		case 't': rc = ord_buf_addc(out, '\t'); break;
		case 'r': rc = ord_buf_addc(out, '\r'); break;
		case 'u':
			if (i + 4 < len && isxdigit((unsigned char)in[i + 1])) {
				unsigned v = (unsigned)strtoul((char[5]){in[i + 1], in[i + 2], in[i + 3], in[i + 4], 0}, NULL, 16);
				if (v < 0x80)
					rc = ord_buf_addc(out, (char)(v ? v : '?'));
				else if (v < 0x800)
					rc = ord_buf_addf(out, "%c%c", (char)(0xc0 | (v >> 6)), (char)(0x80 | (v & 0x3f)));
				else
					rc = ord_buf_addf(out, "%c%c%c", (char)(0xe0 | (v >> 12)),
							  (char)(0x80 | ((v >> 6) & 0x3f)), (char)(0x80 | (v & 0x3f)));
				i += 4;
			} else
				rc = ord_buf_addc(out, 'u');
			break;
		default:
			rc = ord_buf_addc(out, c);
		}
	}
	return rc;
}

