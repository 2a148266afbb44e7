/* redact: key fragments (what an error message shows of a key, never more
 * than the input showed) and the two decoders the unwrapper needs (Python
 * repr to JSON, one level of JSON string escaping).  See unwrap.h; making
 * a string safe to show is the output gate's (gate.h). */
#include "unwrap.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- key fragments ------------------------------------------------------- */

static int alnum(int c)
{
	return c < 0x80 && isalnum(c);
}

/* Shorter unmasked bodies are not keys; for OpenRouter's own full
 * prefixes any body is a fragment worth naming. */
static size_t min_body(const ord_vendor_prefix *p)
{
	return !strcmp(p->vendor, "openrouter") && strcmp(p->prefix, "sk-or-") ? 0 : p->min_body;
}

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
		const ord_vendor_prefix *vp;
		size_t hl, tl = 0, pl = 0, m;
		int masked = 0;
		ord_keyfrag f;
		char *o;

		if (i && (keybody(t[i - 1]) || t[i - 1] == '.'))
			continue;
		for (vp = ord_vendor_prefixes; vp->prefix; vp++) {
			pl = strlen(vp->prefix);
			if ((size_t)(end - (t + i)) >= pl && !memcmp(t + i, vp->prefix, pl))
				break;
		}
		if (!vp->prefix)
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
		if (!masked && hl < min_body(vp))
			continue;
		memset(&f, 0, sizeof(f));
		f.vendor = vp->vendor;
		f.masked = masked;
		o = f.text;
		memcpy(o, vp->prefix, pl);
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

