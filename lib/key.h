/* key: the credential model.
 *
 * An ord_key holds a value exactly as a consumer would receive it (raw bytes,
 * after the source's own parser: dotenv unquoting, shell quoting) and a
 * normalised form (quotes, whitespace, CR/LF, zero-width characters and a
 * "Bearer " prefix removed) used to recognise the same key in several
 * places.  Lint flags describe what is wrong with the raw bytes.  Nothing
 * here ever returns the full value to a caller that prints: use
 * ord_key_redact() and ord_key_fingerprint().
 */
#ifndef ORD_KEY_H
#define ORD_KEY_H

#include <stddef.h>
#include <stdint.h>

/* Stable ids: they appear in JSON (`lint`) and in tests. */
typedef enum ord_lint {
	ORD_LINT_EMPTY,
	ORD_LINT_PLACEHOLDER,
	ORD_LINT_TRUNCATED,
	ORD_LINT_WRONG_LENGTH,
	ORD_LINT_PREFIX_TYPO,
	ORD_LINT_BEARER_PREFIX,
	ORD_LINT_QUOTES,
	ORD_LINT_WHITESPACE,
	ORD_LINT_CRLF,
	ORD_LINT_LINE_BREAK,
	ORD_LINT_NON_ASCII,
	ORD_LINT_ZERO_WIDTH,
	ORD_LINT_FOREIGN_PROVIDER,
	ORD_LINT_DASHBOARD_LABEL,
	ORD_LINT_SECRET_REF,
	ORD_LINT_COUNT
} ord_lint;

#define ORD_LINT_BIT(l) (1u << (l))

/* The key's overall shape, derived from the lint flags. */
typedef enum ord_key_shape {
	ORD_SHAPE_VALID,       /* sk-or-v1- + 64 lowercase hex, nothing else */
	ORD_SHAPE_FIXABLE,     /* normalises to a valid key (quotes, spaces…) */
	ORD_SHAPE_MALFORMED,   /* looks like an OpenRouter key but is broken */
	ORD_SHAPE_FOREIGN,     /* another vendor's key */
	ORD_SHAPE_PLACEHOLDER, /* a template value, unexpanded variable */
	ORD_SHAPE_EMPTY,
} ord_key_shape;

typedef struct ord_key {
	unsigned char *raw;   /* exact bytes, NUL-terminated, may hold NULs */
	size_t raw_len;
	char *norm;           /* normalised value, NUL-terminated */
	size_t norm_len;
	uint32_t lint;        /* ORD_LINT_BIT() set */
	const char *provider; /* with FOREIGN_PROVIDER: "anthropic", … */
	ord_key_shape shape;
} ord_key;

#define ORD_KEY_PREFIX "sk-or-v1-"
#define ORD_KEY_HEX_LEN 64
#define ORD_KEY_LEN (9 + ORD_KEY_HEX_LEN)

/* Redacted form size: "sk-or-v1-abc...xyz" or a placeholder shown in
 * quotes, always short. */
#define ORD_REDACT_MAX 48
/* "sha256:" is not part of it: 12 lowercase hex characters. */
#define ORD_FP_LEN 12

/* Copy value[0..len) and lint it.  Returns 0 or ENOMEM. */
int ord_key_init(ord_key *k, const void *value, size_t len);
/* Wipe and free. */
void ord_key_release(ord_key *k);

/* True when the normalised form is a well-formed OpenRouter key. */
int ord_key_is_openrouter(const ord_key *k);
/* Same normalised value (constant time in the length). */
int ord_key_equal(const ord_key *a, const ord_key *b);

/* OpenRouter's own label form: first and last 3 characters of the hex part
 * ("sk-or-v1-abc...xyz").  Other values: their recognised prefix plus
 * "...", and the last 3 characters when at least 16 characters long;
 * placeholders are shown verbatim when they are known template texts
 * (they are not secrets); empty is "(empty)".  Never more than the label
 * form reveals. */
void ord_key_redact(const ord_key *k, char out[ORD_REDACT_MAX]);
/* First ORD_FP_LEN hex chars of SHA-256(normalised value). */
void ord_key_fingerprint(const ord_key *k, char out[ORD_FP_LEN + 1]);
/* Initialise OpenSSL without reading openssl.cnf (once per process): call
 * before any other digest (sigdb_hs.c's) so that it does not pay for it. */
void ord_crypto_init(void);

/* Every vendor key prefix ordoctor knows, most specific first, ending with
 * a NULL prefix: the one table that key linting, the output gate
 * (lib/gate.c) and explain's key fragments (lib/redact.c) read.  vendor is
 * "openrouter" for OpenRouter's own prefixes and "other" for a bare "sk-"
 * of an unlisted vendor; min_body is the length of what must follow the
 * prefix for the value to be a key and not a word. */
typedef struct ord_vendor_prefix {
	const char *prefix;
	const char *vendor;
	unsigned min_body;
} ord_vendor_prefix;
extern const ord_vendor_prefix ord_vendor_prefixes[];
/* Does s[0..n) contain any prefix of that table (a cheap test before a
 * closer look)? */
int ord_vendor_prefix_in(const char *s, size_t n);

/* "an Anthropic", "a Google", … for sentences about a foreign key. */
const char *ord_provider_name(const char *provider);

const char *ord_lint_id(ord_lint l);
/* A short human sentence for the flag ("trailing whitespace"). */
const char *ord_lint_text(ord_lint l);
const char *ord_key_shape_id(ord_key_shape s);

/* Does a raw value look like any credential at all (for "any other
 * variable whose value looks like an OpenRouter key")? */
int ord_value_looks_like_openrouter_key(const char *value, size_t len);

#endif
