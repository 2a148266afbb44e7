/* mock/auth: the credential headers, the 401 mapping, the body check. */
#include "internal.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* §3.1 and the OpenAPI UnauthorizedResponse example (field order: code,
 * message). */
static const char body_missing_auth[] =
	"{\"error\":{\"code\":401,\"message\":\"Missing Authentication header\"}}";
/* Observed 2025-07..2026-05 (kelivo#147, continue#10153, …): §2. */
static const char body_no_cookie[] =
	"{\"error\":{\"message\":\"No cookie auth credentials found\",\"code\":401}}";
/* §2: envelope {"error":{"message":…,"code":401}}; docs#5, hermes#14637. */
static const char body_user_not_found[] =
	"{\"error\":{\"message\":\"User not found.\",\"code\":401}}";
/* §2, Anthropic skin (errors-and-debugging.mdx; the text is
 * illustrative there). */
static const char body_anthropic_401[] =
	"{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\","
	"\"message\":\"Invalid credentials\",\"error_type\":\"authentication\"},"
	"\"request_id\":null}";

/* Authorization (Bearer, Basic, or a bare value) and x-api-key, trimmed of
 * nothing (MHD itself drops the whitespace around a header value).  When
 * both carry a value, x-api-key is the one checked: UNCONFIRMED, chosen so
 * that a stale ANTHROPIC_API_KEY beside a good bearer fails as users
 * report (causes.md wrong_auth_scheme_for_endpoint). */
void mock_read_credential(mock_req *r)
{
	const char *a = sym_MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
						    "Authorization");
	const char *x = sym_MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
						    "x-api-key");
	const char *atok = NULL;
	mock_cred akind = MOCK_CRED_NONE;
	int a_ok = 0;

	if (a) {
		if (!*a)
			akind = MOCK_CRED_EMPTY;
		else if (!strncasecmp(a, "Basic", 5) &&
			 (a[5] == ' ' || a[5] == '\0'))
			akind = MOCK_CRED_BASIC;
		else if (!strncasecmp(a, "Bearer", 6) &&
			 (a[6] == ' ' || a[6] == '\0')) {
			atok = a[6] ? a + 7 : a + 6;
			akind = *atok ? MOCK_CRED_BEARER : MOCK_CRED_EMPTY;
			a_ok = 1;
		} else {
			akind = MOCK_CRED_BEARER; /* a bare value, no scheme */
			atok = a;
		}
	}
	if (a && x)
		r->cred = MOCK_CRED_BOTH;
	else if (a)
		r->cred = akind;
	else if (x)
		r->cred = *x ? MOCK_CRED_XAPIKEY : MOCK_CRED_EMPTY;
	else
		r->cred = MOCK_CRED_NONE;
	if (x && *x) {
		r->token = x;
		r->scheme_ok = 1;
	} else if (atok && *atok) {
		r->token = atok;
		r->scheme_ok = a_ok;
	}
	if (r->token)
		r->token_len = strlen(r->token);
}

static enum MHD_Result send_401(mock_req *r, mock_skin skin, int missing)
{
	char id[40], body[256];

	if (skin == MOCK_SKIN_ANTHROPIC)
		return mock_send_json(r, 401, body_anthropic_401);
	if (skin == MOCK_SKIN_RESPONSES) {
		/* §2, Responses skin. */
		mock_rand_id(r->m, id, sizeof(id), "resp_", 24);
		snprintf(body, sizeof(body),
			 "{\"id\":\"%s\",\"status\":\"failed\",\"error\":{\"code\":"
			 "\"server_error\",\"message\":\"Invalid credentials\"},"
			 "\"error_type\":\"authentication\"}", id);
		return mock_send_json(r, 401, body);
	}
	if (!missing)
		return mock_send_json(r, 401, body_user_not_found);
	return mock_send_json(r, 401, r->m->cfg.legacy_missing_auth ?
				      body_no_cookie : body_missing_auth);
}

/* The mapping of openrouter-api.md §2 ("Suggested mock mapping"):
 * 1. no header, an empty bearer, Basic → Missing Authentication header;
 * 2. a value that is not sk-or-v1- (another vendor's key, a JWT, a
 *    placeholder) → the same (exact text UNCONFIRMED);
 * 3. sk-or-v1- with the wrong hex, unknown, deleted, expired (state or
 *    expires_at in the past) → User not found.;
 * 4. disabled → User not found. (text UNCONFIRMED). */
int mock_auth(mock_req *r, mock_skin skin, enum MHD_Result *res)
{
	const mock_key *k;

	if (!r->token || !r->scheme_ok || r->token_len < 9 ||
	    memcmp(r->token, ORD_KEY_PREFIX, 9)) {
		*res = send_401(r, skin, 1);
		return -1;
	}
	k = mock_keys_find(&r->m->keys, r->token, r->token_len);
	if (!k || !mock_key_alive(k, mock_now(r->m)) ||
	    atomic_load(&r->m->incident)) {
		*res = send_401(r, skin, 0);
		return -1;
	}
	r->key = k;
	return 0;
}

int mock_parse_body(mock_req *r, mock_skin skin, enum MHD_Result *res)
{
	mock_fail f;

	if (r->json)
		return 0;
	/* Invalid JSON or not an object: §4's 400 example. */
	memset(&f, 0, sizeof(f));
	ord_buf_init(&f.body, 4096);
	f.status = 400;
	f.error_type = "invalid_request";
	snprintf(f.message, sizeof(f.message), "Invalid request parameters");
	ord_buf_adds(&f.body,
		"{\"error\":{\"code\":400,\"message\":\"Invalid request parameters\"}}");
	*res = mock_send_fail(r, skin, &f);
	mock_fail_release(&f);
	return -1;
}

const char *mock_query(mock_req *r, const char *name)
{
	return sym_MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND,
					   name);
}

