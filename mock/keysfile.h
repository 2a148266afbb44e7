/* mock/keysfile: the mock's keys file (design.md, "The mock's keys file").
 *
 * One key per line, '#' comments, fields separated by whitespace:
 *
 *     KEY STATE [name=value ...]
 *
 * STATE is active, deleted, expired, disabled or management.  Options:
 * limit=USD, usage=USD, credits=USD, label=TEXT, free_tier=true|false,
 * expires_at=ISO8601, byok=PROVIDER:invalid, and (an extension of the
 * contract) limit_reset=daily|weekly|monthly.
 *
 * The file is untrusted input (fuzzed: tests/fuzz/fuzz_mockkeys.c).  A bad
 * line gives one warning naming the file and the line, never the key, and
 * the rest loads.  This module depends on lib/ only, so the fuzz target can
 * include it whole.
 */
#ifndef ORD_MOCK_KEYSFILE_H
#define ORD_MOCK_KEYSFILE_H

#include <stddef.h>
#include <time.h>

#include "lib/key.h"

/* The account balance of a key without credits=. */
#define MOCK_DEFAULT_CREDITS 100.0
/* More keys than this in one file are ignored (with a warning). */
#define MOCK_KEYS_MAX 65536
/* A keys file larger than this is refused. */
#define MOCK_KEYS_FILE_MAX (8u * 1024 * 1024)
#define MOCK_BYOK_MAX 4
#define MOCK_USER_ID_LEN 40

typedef enum mock_key_state {
	MOCK_KEY_ACTIVE,
	MOCK_KEY_DELETED,
	MOCK_KEY_EXPIRED,
	MOCK_KEY_DISABLED,
	MOCK_KEY_MANAGEMENT,
} mock_key_state;

typedef struct mock_key {
	char *value;            /* the key as written; wiped on release */
	size_t len;
	mock_key_state state;
	unsigned line;
	int has_limit;
	double limit;           /* USD */
	double usage;           /* USD, default 0 */
	double credits;         /* account balance, USD */
	char *label;            /* NULL: OpenRouter's label form */
	char label_form[ORD_REDACT_MAX];
	char fingerprint[ORD_FP_LEN + 1];
	char user_id[MOCK_USER_ID_LEN];
	int free_tier;
	char *expires_at;       /* as written (validated), or NULL */
	time_t expires;
	char *limit_reset;      /* "daily", "weekly", "monthly" or NULL */
	char byok[MOCK_BYOK_MAX][32]; /* providers whose BYOK key is invalid */
	size_t nbyok;
} mock_key;

typedef struct mock_keys {
	mock_key *v;
	size_t n;
} mock_keys;

/* Receives one warning line, without a trailing newline. */
typedef void (*mock_warn_fn)(void *ud, const char *msg);

/* Parse text[0..len) (may hold NULs) into ks (which must be zeroed or
 * released).  name is the file name used in warnings.  Returns 0 or
 * ENOMEM. */
int mock_keys_parse(mock_keys *ks, const char *text, size_t len,
		    const char *name, mock_warn_fn warn, void *ud);
/* Read and parse a file.  Returns 0, or an errno value (ENOENT, EFBIG,
 * ENOMEM, …) when the file cannot be read at all. */
int mock_keys_load(mock_keys *ks, const char *path, mock_warn_fn warn,
		   void *ud);
/* Wipe and free. */
void mock_keys_release(mock_keys *ks);

/* The key whose value is exactly cred[0..len), or NULL. */
const mock_key *mock_keys_find(const mock_keys *ks, const char *cred,
			       size_t len);
const char *mock_key_state_name(mock_key_state s);
/* Does the key authenticate at time now (active or management, not past
 * expires_at)? */
int mock_key_alive(const mock_key *k, time_t now);
/* limit - usage, meaningful with has_limit. */
double mock_key_remaining(const mock_key *k);

/* Parse "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS[.fff]](Z|±HH:MM)".  Returns 0
 * and the UTC time, or -1. */
int mock_parse_iso8601(const char *s, time_t *out);

#endif
