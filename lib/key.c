#include "key.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <pthread.h>

#include "buf.h"

static const struct {
	const char *id;
	const char *text;
} lint_names[ORD_LINT_COUNT] = {
	[ORD_LINT_EMPTY] = {"empty", "the value is empty"},
	[ORD_LINT_PLACEHOLDER] = {"placeholder",
		"a template or unexpanded variable, not a key"},
	[ORD_LINT_TRUNCATED] = {"truncated",
		"truncated: the sk-or-v1- prefix or part of the key is missing"},
	[ORD_LINT_WRONG_LENGTH] = {"wrong_length",
		"not sk-or-v1- followed by exactly 64 hex digits"},
	[ORD_LINT_PREFIX_TYPO] = {"prefix_typo",
		"the prefix or the hex digits are mistyped (sk-0r-, sk_or_, upper case)"},
	[ORD_LINT_BEARER_PREFIX] = {"bearer_prefix",
		"the value starts with 'Bearer ': the client adds it again"},
	[ORD_LINT_QUOTES] = {"quotes", "quote characters are part of the value"},
	[ORD_LINT_WHITESPACE] = {"whitespace",
		"spaces or tabs around or inside the value"},
	[ORD_LINT_CRLF] = {"crlf",
		"a carriage return (Windows line ending) is part of the value"},
	[ORD_LINT_LINE_BREAK] = {"line_break", "a line break is part of the value"},
	[ORD_LINT_NON_ASCII] = {"non_ascii",
		"non-ASCII characters (look-alike letters?) in the value"},
	[ORD_LINT_ZERO_WIDTH] = {"zero_width",
		"invisible zero-width characters in the value"},
	[ORD_LINT_FOREIGN_PROVIDER] = {"foreign_provider",
		"another vendor's key, not an OpenRouter key"},
	[ORD_LINT_DASHBOARD_LABEL] = {"dashboard_label",
		"the key list's short form (its first and last digits), not the key: OpenRouter shows the whole key only once, when it is created"},
	[ORD_LINT_SECRET_REF] = {"secret_reference",
		"a 1Password secret reference: only `op run` or `op inject` turns it into the key; a tool that reads it itself sends the reference"},
};

const char *ord_lint_id(ord_lint l)
{
	return (unsigned)l < ORD_LINT_COUNT ? lint_names[l].id : "unknown";
}

const char *ord_lint_text(ord_lint l)
{
	return (unsigned)l < ORD_LINT_COUNT ? lint_names[l].text : "unknown";
}

const char *ord_key_shape_id(ord_key_shape s)
{
	static const char *const ids[] = {
		"valid", "fixable", "malformed", "foreign", "placeholder",
		"empty"};
	return (unsigned)s < sizeof(ids) / sizeof(ids[0]) ? ids[s] : "?";
}

/* Key prefixes, most specific first.  Sources: the vendors' key formats as
 * published in secret-scanner rule sets (gitleaks).  OpenRouter's come
 * first, damaged forms too ("sk-or-v1" without its dash, "sk-or-"), and the
 * bare "sk-" of unlisted vendors (OpenAI legacy, DeepSeek) last. */
const ord_vendor_prefix ord_vendor_prefixes[] = {
	{"sk-or-v1-", "openrouter", 10},
	{"sk-or-v1", "openrouter", 10},
	{"sk-or-", "openrouter", 8},
	{"sk-ant-", "anthropic", 16},
	{"sk-proj-", "openai", 16},
	{"sk-svcacct-", "openai", 16},
	{"sk-admin-", "openai", 16},
	{"AIza", "google", 20},
	{"nvapi-", "nvidia", 16},
	{"gsk_", "groq", 16},
	{"xai-", "xai", 16},
	{"hf_", "huggingface", 16},
	{"pplx-", "perplexity", 16},
	{"r8_", "replicate", 16},
	{"csk-", "cerebras", 16},
	{"ghp_", "github", 16},
	{"github_pat_", "github", 16},
	{"AKIA", "aws", 16},
	{"sk-", "other", 16},
	{NULL, NULL, 0},
};

/* Which pairs of bytes start a prefix (a bit per pair), and each
 * prefix's length: explain asks this of every failure line of a log of
 * any size, so the common case (no prefix) is one table lookup per byte. */
static unsigned char first_pair[65536 / 8];
static size_t vendor_len[32], nvendor;

static void first_pairs_init(void)
{
	size_t k;

	for (k = 0; ord_vendor_prefixes[k].prefix && k < sizeof(vendor_len) / sizeof(*vendor_len); k++) {
		const unsigned char *p = (const unsigned char *)ord_vendor_prefixes[k].prefix;
		unsigned pair = (unsigned)p[0] << 8 | p[1];

		vendor_len[k] = strlen(ord_vendor_prefixes[k].prefix);
		first_pair[pair >> 3] |= (unsigned char)(1u << (pair & 7));
	}
	nvendor = k;
}

int ord_vendor_prefix_in(const char *s, size_t n)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	size_t k;

	pthread_once(&once, first_pairs_init);
	for (; p + 1 < end; p++) {
		unsigned pair = (unsigned)p[0] << 8 | p[1];

		if (!(first_pair[pair >> 3] & (1u << (pair & 7))))
			continue;
		for (k = 0; k < nvendor; k++)
			if ((size_t)(end - p) >= vendor_len[k] &&
			    !memcmp(p, ord_vendor_prefixes[k].prefix, vendor_len[k]))
				return 1;
	}
	return 0;
}

/* The entry of another vendor (not OpenRouter, not the bare "sk-") whose
 * prefix starts s, or NULL. */
static const ord_vendor_prefix *foreign_prefix(const char *s)
{
	const ord_vendor_prefix *p;

	for (p = ord_vendor_prefixes; p->prefix; p++)
		if (strcmp(p->vendor, "openrouter") && strcmp(p->vendor, "other") &&
		    !strncmp(s, p->prefix, strlen(p->prefix)))
			return p;
	return NULL;
}

const char *ord_provider_name(const char *provider)
{
	static const struct {
		const char *id, *name;
	} names[] = {
		{"anthropic", "an Anthropic"}, {"openai", "an OpenAI"},
		{"google", "a Google"}, {"nvidia", "an NVIDIA"},
		{"groq", "a Groq"}, {"xai", "an xAI"},
		{"huggingface", "a Hugging Face"}, {"perplexity", "a Perplexity"},
		{"replicate", "a Replicate"}, {"cerebras", "a Cerebras"},
		{"github", "a GitHub"}, {"aws", "an AWS"},
		{"sk-vendor", "another vendor's (sk-)"},
	};
	size_t i;

	for (i = 0; provider && i < sizeof(names) / sizeof(*names); i++)
		if (!strcmp(names[i].id, provider))
			return names[i].name;
	return "another vendor's";
}

/* Texts that people leave in templates.  Compared case-insensitively
 * against the whole normalised value. */
static const char *const placeholder_words[] = {
	"not-provided", "test", "testing", "changeme", "change-me", "dummy",
	"placeholder", "none", "null", "undefined", "nil", "todo", "fixme",
	"secret", "apikey", "api_key", "api-key", "key", "token", "xxx",
	"replace_me", "replaceme", "sk-or-v1-", "sk-or-", "sk-or-v1",
	"sk-...", "sk-or-...", "sk-or-v1-...", "<your-key>", "your-key",
	"ollama", "lm-studio", "sk-no-key-required", "sk-1234", "sk-xxx",
};

static int is_hex_lower(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

static int is_hex_any(int c)
{
	return is_hex_lower(c) || (c >= 'A' && c <= 'F');
}

static int all_chars(const char *s, size_t n, int (*pred)(int))
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!pred((unsigned char)s[i]))
			return 0;
	return 1;
}

static int well_formed(const char *s, size_t n)
{
	return n == ORD_KEY_LEN && !memcmp(s, ORD_KEY_PREFIX, 9) &&
	       all_chars(s + 9, ORD_KEY_HEX_LEN, is_hex_lower);
}

/* Length in bytes of a zero-width character starting at p, or 0: U+200B..D,
 * U+2060 (word joiner) and U+FEFF (BOM / zero-width no-break space). */
static size_t zero_width_at(const unsigned char *p, size_t left)
{
	if (left >= 3 && p[0] == 0xE2 && p[1] == 0x80 &&
	    (p[2] == 0x8B || p[2] == 0x8C || p[2] == 0x8D))
		return 3;
	if (left >= 3 && p[0] == 0xE2 && p[1] == 0x81 && p[2] == 0xA0)
		return 3;
	if (left >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
		return 3;
	return 0;
}

static int is_quote(int c)
{
	return c == '"' || c == '\'' || c == '`';
}

static int is_unexpanded_ref(const char *s, size_t n)
{
	/* $VAR, ${VAR}, ${VAR:-x}, {env:VAR}, ${{ secrets.X }}, %VAR%,
	 * os.environ/VAR (LiteLLM), $env:VAR (PowerShell) */
	if (n >= 2 && s[0] == '$' && (isalpha((unsigned char)s[1]) ||
				      s[1] == '_' || s[1] == '{'))
		return 1;
	if (n >= 6 && !strncmp(s, "{env:", 5) && s[n - 1] == '}')
		return 1;
	if (n >= 7 && !strncmp(s, "{file:", 6) && s[n - 1] == '}')
		return 1;
	if (n >= 3 && s[0] == '%' && s[n - 1] == '%')
		return 1;
	if (n > 11 && !strncmp(s, "os.environ/", 11))
		return 1;
	return 0;
}

static int contains_ci(const char *s, const char *needle)
{
	size_t nl = strlen(needle);

	for (; *s; s++)
		if (!strncasecmp(s, needle, nl))
			return 1;
	return 0;
}

/* What the key list at openrouter.ai/settings/keys shows of a key:
 * "sk-or-v1-0e9...872" (or with "…").  Users copy it believing it is the
 * key; it is the label, and the key itself cannot be shown again. */
static int is_dashboard_label(const char *s, size_t n)
{
	size_t i = 9, a, dots;

	if (n < 9 || strncmp(s, ORD_KEY_PREFIX, 9))
		return 0;
	/* the list shows hex; users retype it as any letters ("abc...xyz") */
	for (a = i; i < n && isalnum((unsigned char)s[i]); i++)
		;
	if (i == a || i - a > 8)
		return 0;
	if (n - i >= 3 && !strncmp(s + i, "...", 3))
		dots = 3;
	else if (n - i >= 3 && !strncmp(s + i, "\xe2\x80\xa6", 3))
		dots = 3;
	else
		return 0;
	for (i += dots, a = i; i < n && isalnum((unsigned char)s[i]); i++)
		;
	return i == n && i > a && i - a <= 8;
}

static int is_placeholder(const char *s, size_t n)
{
	size_t i, x = 0;

	if (is_unexpanded_ref(s, n))
		return 1;
	for (i = 0; i < sizeof(placeholder_words) / sizeof(*placeholder_words);
	     i++)
		if (!strcasecmp(s, placeholder_words[i]))
			return 1;
	/* <...>, [...], "your_openrouter_api_key_here", "insert key" */
	if (n >= 2 && ((s[0] == '<' && s[n - 1] == '>') ||
		       (s[0] == '[' && s[n - 1] == ']')))
		return 1;
	if (contains_ci(s, "your") || contains_ci(s, "_here") ||
	    contains_ci(s, "insert") || contains_ci(s, "example") ||
	    contains_ci(s, "replace"))
		return 1;
	/* The dashboard label copied instead of the key: sk-or-v1-abc...xyz,
	 * or masked forms sk-or-v1-****, sk-or-v1-xxxxxxxx. */
	if (strstr(s, "...") || strstr(s, "\xe2\x80\xa6") || strstr(s, "**"))
		return 1;
	if (n > 9 && !strncmp(s, ORD_KEY_PREFIX, 9)) {
		for (i = 9; i < n; i++)
			if (s[i] == 'x' || s[i] == 'X' || s[i] == '*' ||
			    s[i] == '.')
				x++;
		if (x * 2 >= n - 9)
			return 1;
	}
	return 0;
}

/* Build the normalised form and the flags that describe the raw bytes. */
static int normalise(ord_key *k)
{
	const unsigned char *r = k->raw;
	size_t n = k->raw_len, i, a, b;
	ord_buf nb = ORD_BUF_INIT(k->raw_len);
	int rc = 0, internal_space = 0;

	if (!n) {
		k->norm = calloc(1, 1);
		return k->norm ? 0 : ENOMEM;
	}
	for (i = 0; i < n; i++) {
		size_t zw = zero_width_at(r + i, n - i);
		if (zw) {
			k->lint |= ORD_LINT_BIT(ORD_LINT_ZERO_WIDTH);
			i += zw - 1;
			continue;
		}
		if (r[i] == '\r')
			k->lint |= ORD_LINT_BIT(ORD_LINT_CRLF);
		else if (r[i] == '\n')
			k->lint |= ORD_LINT_BIT(ORD_LINT_LINE_BREAK);
		else if (r[i] >= 0x80 || (r[i] < 0x20 && r[i] != '\t'))
			k->lint |= ORD_LINT_BIT(ORD_LINT_NON_ASCII);
		if (r[i] == '\r' || r[i] == '\n')
			continue;
		rc = ord_buf_addc(&nb, (char)r[i]);
		if (rc)
			goto out;
	}
	/* Trim spaces/tabs, then quotes, repeatedly ("' key '"). */
	a = 0;
	b = nb.len;
	for (;;) {
		size_t a0 = a, b0 = b;
		while (a < b && (nb.data[a] == ' ' || nb.data[a] == '\t')) {
			a++;
			k->lint |= ORD_LINT_BIT(ORD_LINT_WHITESPACE);
		}
		while (b > a && (nb.data[b - 1] == ' ' ||
				 nb.data[b - 1] == '\t')) {
			b--;
			k->lint |= ORD_LINT_BIT(ORD_LINT_WHITESPACE);
		}
		if (b > a && is_quote(nb.data[a])) {
			a++;
			k->lint |= ORD_LINT_BIT(ORD_LINT_QUOTES);
		}
		if (b > a && is_quote(nb.data[b - 1])) {
			b--;
			k->lint |= ORD_LINT_BIT(ORD_LINT_QUOTES);
		}
		if (a == a0 && b == b0)
			break;
	}
	if (b - a > 7 && !strncasecmp(nb.data + a, "bearer", 6) &&
	    (nb.data[a + 6] == ' ' || nb.data[a + 6] == '\t' ||
	     nb.data[a + 6] == ':')) {
		k->lint |= ORD_LINT_BIT(ORD_LINT_BEARER_PREFIX);
		a += 7;
		while (a < b && (nb.data[a] == ' ' || nb.data[a] == '\t'))
			a++;
	}
	/* A space inside a key is a paste accident; drop it from the
	 * normalised form only when what remains is a key. */
	for (i = a; i < b; i++)
		if (nb.data[i] == ' ' || nb.data[i] == '\t')
			internal_space = 1;
	k->norm = malloc(b - a + 1);
	if (!k->norm) {
		rc = ENOMEM;
		goto out;
	}
	k->norm_len = 0;
	for (i = a; i < b; i++) {
		if (internal_space && (nb.data[i] == ' ' || nb.data[i] == '\t'))
			continue;
		k->norm[k->norm_len++] = nb.data[i];
	}
	k->norm[k->norm_len] = '\0';
	if (internal_space) {
		if (well_formed(k->norm, k->norm_len))
			k->lint |= ORD_LINT_BIT(ORD_LINT_WHITESPACE);
		else {
			/* Not a broken key: keep the value as it was. */
			memcpy(k->norm, nb.data + a, b - a);
			k->norm_len = b - a;
			k->norm[k->norm_len] = '\0';
		}
	}
out:
	ord_buf_release(&nb);
	return rc;
}

/* Compare the first 9 characters loosely: case, 0/o, _/-, l/1 folded. */
static int loose_prefix(const char *s, size_t n)
{
	static const char want[] = "sk-or-v1-";
	size_t i;

	if (n < 9)
		return 0;
	for (i = 0; i < 9; i++) {
		int c = tolower((unsigned char)s[i]);
		if (c == '0')
			c = 'o';
		if (c == '_')
			c = '-';
		if (c == 'l' || c == 'i' || c == '!')
			c = want[i] == '1' ? '1' : c;
		if (c != want[i])
			return 0;
	}
	return 1;
}

static void classify(ord_key *k)
{
	const char *s = k->norm;
	size_t n = k->norm_len, i, body;

	if (!n) {
		k->lint |= ORD_LINT_BIT(ORD_LINT_EMPTY);
		return;
	}
	if (well_formed(s, n))
		return;
	/* op://vault/item/field, or {{ op://… }} for `op inject` */
	if ((n > 5 && !strncmp(s, "op://", 5)) || (n > 8 && !strncmp(s, "{{", 2) && strstr(s, "op://"))) {
		k->lint |= ORD_LINT_BIT(ORD_LINT_SECRET_REF) | ORD_LINT_BIT(ORD_LINT_PLACEHOLDER);
		return;
	}
	if (is_dashboard_label(s, n)) {
		k->lint |= ORD_LINT_BIT(ORD_LINT_DASHBOARD_LABEL);
		return;
	}
	if (is_placeholder(s, n)) {
		k->lint |= ORD_LINT_BIT(ORD_LINT_PLACEHOLDER);
		return;
	}
	if (foreign_prefix(s)) {
		k->lint |= ORD_LINT_BIT(ORD_LINT_FOREIGN_PROVIDER);
		k->provider = foreign_prefix(s)->vendor;
		return;
	}
	if (!strncmp(s, ORD_KEY_PREFIX, 9)) {
		body = n - 9;
		if (all_chars(s + 9, body, is_hex_lower))
			k->lint |= ORD_LINT_BIT(body < ORD_KEY_HEX_LEN ?
						ORD_LINT_TRUNCATED :
						ORD_LINT_WRONG_LENGTH);
		else if (all_chars(s + 9, body, is_hex_any)) {
			k->lint |= ORD_LINT_BIT(ORD_LINT_PREFIX_TYPO);
			if (body != ORD_KEY_HEX_LEN)
				k->lint |= ORD_LINT_BIT(
					body < ORD_KEY_HEX_LEN ?
						ORD_LINT_TRUNCATED :
						ORD_LINT_WRONG_LENGTH);
		} else
			k->lint |= ORD_LINT_BIT(ORD_LINT_WRONG_LENGTH);
		return;
	}
	if (loose_prefix(s, n)) {
		k->lint |= ORD_LINT_BIT(ORD_LINT_PREFIX_TYPO);
		if (n != ORD_KEY_LEN)
			k->lint |= ORD_LINT_BIT(n < ORD_KEY_LEN ?
						ORD_LINT_TRUNCATED :
						ORD_LINT_WRONG_LENGTH);
		return;
	}
	/* Lost prefix: "or-v1-…", "-v1-…", "v1-…", "1-…" or bare hex. */
	{
		static const char *const tails[] = {"k-or-v1-", "-or-v1-",
						    "or-v1-", "r-v1-", "-v1-",
						    "v1-"};
		for (i = 0; i < sizeof(tails) / sizeof(*tails); i++) {
			size_t tl = strlen(tails[i]);
			if (n > tl && !strncmp(s, tails[i], tl) &&
			    all_chars(s + tl, n - tl, is_hex_lower)) {
				k->lint |= ORD_LINT_BIT(ORD_LINT_TRUNCATED);
				return;
			}
		}
		if (n >= 32 && n <= ORD_KEY_HEX_LEN &&
		    all_chars(s, n, is_hex_lower)) {
			k->lint |= ORD_LINT_BIT(ORD_LINT_TRUNCATED);
			return;
		}
	}
	/* Look-alike letters make a key that only seems to be ours. */
	if (k->lint & ORD_LINT_BIT(ORD_LINT_NON_ASCII))
		return;
	/* sk-… of an unlisted vendor (OpenAI legacy, DeepSeek, …). */
	if (n > 20 && !strncmp(s, "sk-", 3)) {
		k->lint |= ORD_LINT_BIT(ORD_LINT_FOREIGN_PROVIDER);
		k->provider = strstr(s, "T3BlbkFJ") ? "openai" : "sk-vendor";
		return;
	}
	k->lint |= ORD_LINT_BIT(ORD_LINT_WRONG_LENGTH);
}

static ord_key_shape shape_of(const ord_key *k)
{
	const uint32_t cosmetic =
		ORD_LINT_BIT(ORD_LINT_QUOTES) | ORD_LINT_BIT(ORD_LINT_WHITESPACE) |
		ORD_LINT_BIT(ORD_LINT_CRLF) | ORD_LINT_BIT(ORD_LINT_LINE_BREAK) |
		ORD_LINT_BIT(ORD_LINT_ZERO_WIDTH) |
		ORD_LINT_BIT(ORD_LINT_BEARER_PREFIX);

	if (k->lint & ORD_LINT_BIT(ORD_LINT_EMPTY))
		return ORD_SHAPE_EMPTY;
	if (k->lint & ORD_LINT_BIT(ORD_LINT_PLACEHOLDER))
		return ORD_SHAPE_PLACEHOLDER;
	if (k->lint & ORD_LINT_BIT(ORD_LINT_FOREIGN_PROVIDER))
		return ORD_SHAPE_FOREIGN;
	if (well_formed(k->norm, k->norm_len))
		return (k->lint & ~cosmetic) ? ORD_SHAPE_MALFORMED :
		       k->lint ? ORD_SHAPE_FIXABLE : ORD_SHAPE_VALID;
	return ORD_SHAPE_MALFORMED;
}

int ord_key_init(ord_key *k, const void *value, size_t len)
{
	memset(k, 0, sizeof(*k));
	k->raw = malloc(len + 1);
	if (!k->raw)
		return ENOMEM;
	if (len)
		memcpy(k->raw, value, len);
	k->raw[len] = '\0';
	k->raw_len = len;
	if (normalise(k)) {
		ord_key_release(k);
		return ENOMEM;
	}
	classify(k);
	k->shape = shape_of(k);
	return 0;
}

void ord_key_release(ord_key *k)
{
	if (k->raw) {
		ord_wipe(k->raw, k->raw_len);
		free(k->raw);
	}
	if (k->norm) {
		ord_wipe(k->norm, k->norm_len);
		free(k->norm);
	}
	memset(k, 0, sizeof(*k));
}

int ord_key_is_openrouter(const ord_key *k)
{
	return k->norm && well_formed(k->norm, k->norm_len);
}

int ord_key_equal(const ord_key *a, const ord_key *b)
{
	size_t i;
	unsigned char d = 0;

	if (a->norm_len != b->norm_len)
		return 0;
	for (i = 0; i < a->norm_len; i++)
		d |= (unsigned char)(a->norm[i] ^ b->norm[i]);
	return d == 0;
}

/* Append n bytes of s, printable ASCII only. */
static void put_safe(char *out, size_t *o, size_t cap, const char *s,
		     size_t n)
{
	size_t i;

	for (i = 0; i < n && *o + 1 < cap; i++) {
		unsigned char c = (unsigned char)s[i];
		out[(*o)++] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
	}
	out[*o] = '\0';
}

void ord_key_redact(const ord_key *k, char out[ORD_REDACT_MAX])
{
	const char *s = k->norm ? k->norm : "";
	size_t n = k->norm_len, o = 0, pre = 0;
	char tmp[32];

	out[0] = '\0';
	if (!n) {
		put_safe(out, &o, ORD_REDACT_MAX, "(empty)", 7);
		return;
	}
	if (k->lint & ORD_LINT_BIT(ORD_LINT_PLACEHOLDER)) {
		/* Templates are not secrets; show them so the user finds
		 * them, shortened. */
		put_safe(out, &o, ORD_REDACT_MAX, "\"", 1);
		put_safe(out, &o, ORD_REDACT_MAX, s, n > 32 ? 29 : n);
		if (n > 32)
			put_safe(out, &o, ORD_REDACT_MAX, "...", 3);
		put_safe(out, &o, ORD_REDACT_MAX, "\"", 1);
		return;
	}
	if (!strncmp(s, ORD_KEY_PREFIX, 9))
		pre = 9;
	else if (k->provider) {
		if (foreign_prefix(s))
			pre = strlen(foreign_prefix(s)->prefix);
		if (!pre && !strncmp(s, "sk-", 3))
			pre = 3;
	}
	put_safe(out, &o, ORD_REDACT_MAX, s, pre);
	if (n - pre >= 12) {
		/* The label form: 3 first, 3 last of what follows the
		 * prefix. */
		put_safe(out, &o, ORD_REDACT_MAX, s + pre, 3);
		put_safe(out, &o, ORD_REDACT_MAX, "...", 3);
		put_safe(out, &o, ORD_REDACT_MAX, s + n - 3, 3);
	} else {
		snprintf(tmp, sizeof(tmp), "...(%zu chars)", n - pre);
		put_safe(out, &o, ORD_REDACT_MAX, tmp, strlen(tmp));
	}
}

/* OpenSSL 3 reads openssl.cnf on first use; a SHA-256 does not need it, and
 * reading it was a fifth of the instructions of `ordoctor tools`. */
static void crypto_init(void)
{
	OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG, NULL);
}

void ord_crypto_init(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, crypto_init);
}

void ord_key_fingerprint(const ord_key *k, char out[ORD_FP_LEN + 1])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	static const char hex[] = "0123456789abcdef";
	size_t i;

	ord_crypto_init();
	if (!EVP_Digest(k->norm ? k->norm : "", k->norm_len, md, &mdlen,
			EVP_sha256(), NULL) ||
	    mdlen < ORD_FP_LEN / 2) {
		memset(out, '0', ORD_FP_LEN);
		out[ORD_FP_LEN] = '\0';
		return;
	}
	for (i = 0; i < ORD_FP_LEN / 2; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[ORD_FP_LEN] = '\0';
	ord_wipe(md, sizeof(md));
}

int ord_value_looks_like_openrouter_key(const char *value, size_t len)
{
	size_t i;

	for (i = 0; i + 6 <= len; i++)
		if (!strncasecmp(value + i, "sk-or-", 6) ||
		    !strncasecmp(value + i, "sk_or_", 6))
			return 1;
	return 0;
}
