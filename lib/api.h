/* api: OpenRouter calls and response decoding (issue 3).
 *
 *   api.c           live calls: GET /key for a set of keys, the base-URL
 *                   probe, the chat probe; api base normalisation
 *   api_key.c       the /key body decoder (current and older shapes)
 *   api_errors.c    the error-envelope decoder (pure)
 *   api_classify.c  decoded error -> cause id of causes.md (a table)
 *   urllint.c       the base-URL linter (pure, no network)
 *
 * Safety rules enforced here, whatever the caller passes:
 *   - a key is sent only when ord_key_is_openrouter() holds (a foreign,
 *     placeholder or malformed key is never sent anywhere);
 *   - a key is sent only to the api base (ctx->api_base or the default),
 *     never to a URL found in a configuration file, and over plain http
 *     only to a loopback host (the mock);
 *   - strings decoded from answers have control characters replaced and
 *     anything that looks like a full key reduced to its label form.
 */
#ifndef ORD_API_H
#define ORD_API_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "ctx.h"
#include "http.h"
#include "key.h"
#include "listen.h"

#define ORD_API_BASE_DEFAULT "https://openrouter.ai/api/v1"
#define ORD_API_URL_MAX 512

/* ---- api base ---------------------------------------------------------- */

/* The api base in use: ctx->api_base normalised, or the default.
 * Normalisation (documented rule): trailing slashes are removed; a bare
 * server root ("http://127.0.0.1:1234") gets "/api/v1"; a base ending in
 * "/api" gets "/v1"; any other path is kept as given.  Returns out. */
const char *ord_api_base(const ord_ctx *ctx, char out[ORD_API_URL_MAX]);
int ord_api_base_normalise(const char *in, char *out, size_t cap);
/* True when the base is exactly the default OpenRouter one. */
int ord_api_base_is_default(const char *base);
/* 0 when a key may be sent to this base: https, or http to a loopback
 * host.  Otherwise EPERM with why in reason. */
int ord_api_base_sendable(const char *base, char *reason, size_t cap);

/* Network check (DNS, TCP, TLS) to the api base host; see
 * ord_http_netcheck.  r must be released with ord_http_resp_release. */
int ord_api_netcheck(ord_ctx *ctx, ord_http_resp *r);

/* ---- error envelope (pure) ---------------------------------------------- */

typedef enum ord_body_kind {
	ORD_BODY_EMPTY,       /* no bytes (or only whitespace) */
	ORD_BODY_HTML,        /* <!DOCTYPE html / <html: the web site */
	ORD_BODY_GARBAGE,     /* not JSON (json_truncated: JSON cut short) */
	ORD_BODY_JSON,        /* JSON without an error object */
	ORD_BODY_ERROR,       /* {"error":{"message","code",...}} (OpenRouter, OpenAI) */
	ORD_BODY_ANTHROPIC,   /* {"type":"error","error":{"type","message"}} */
	ORD_BODY_RESPONSES,   /* {"id":"resp_…","status":"failed","error":{…}} */
} ord_body_kind;

typedef struct ord_api_error {
	long status;              /* the HTTP status given */
	ord_body_kind kind;
	int json_truncated;       /* began like JSON, ended early */
	int sse;                  /* decoded from a "data:" event stream */
	int midstream;            /* error inside a completion/chunk (200) */
	long code;                /* error.code when a number, else 0 */
	char code_str[64];        /* error.code when a string ("server_error") */
	char message[512];        /* error.message */
	char type[64];            /* error.type (Anthropic skin, OpenAI) */
	char error_type[64];      /* metadata.error_type, or error.error_type,
				   * or top-level error_type (Responses skin) */
	char provider[64];        /* metadata.provider_name */
	char raw[2048];           /* metadata.raw (as text, cut) */
	int raw_is_json;
	char raw_type[64];        /* the upstream error type inside raw */
	char raw_message[512];    /* the upstream message inside raw */
	char availability[64];    /* error.availability.code */
	int user_id_present;      /* top-level "user_id": the account is known */
	int moderation;           /* metadata.reasons or metadata.flagged_input */
	int rate_headers;         /* metadata.headers (X-RateLimit-*) */
	/* metadata.headers' X-RateLimit-Limit, -Remaining, -Reset ("" absent) */
	char rl_limit[32], rl_remaining[32], rl_reset[32];
	int nested;               /* message/raw held another envelope (depth) */
} ord_api_error;

/* Decode any answer body; never fails (garbage is a kind).  len bytes
 * need not be NUL-terminated. */
void ord_api_decode_error(long status, const char *body, size_t len,
			  ord_api_error *out);
const char *ord_body_kind_id(ord_body_kind k); /* "html", "garbage", … */

/* ---- classification (table-driven, api_classify.c) --------------------- */

typedef struct ord_cause_guess {
	const char *cause;         /* causes.md id, or NULL: nothing wrong / unknown */
	const char *candidates[4]; /* other causes, NULL-terminated */
	const char *rule;          /* the table row that matched (evidence, tests) */
	int key_ok;                /* the OpenRouter key was accepted */
	int not_a_key_problem;     /* e.g. 403 "Only management keys…" */
} ord_cause_guess;

/* Map a decoded answer to a cause; returns 1 when a row matched. */
int ord_api_classify(const ord_api_error *e, ord_cause_guess *out);

/* ---- GET /key ----------------------------------------------------------- */

typedef struct ord_key_info {
	int legacy;               /* the older shape (no usage_daily etc.) */
	char label[64];
	/* Amounts in USD; NAN when null or absent (isnan()). */
	double limit, limit_remaining;
	double usage, usage_daily, usage_weekly, usage_monthly;
	double byok_usage;
	char limit_reset[16];     /* "daily", "weekly", "monthly" or "" */
	int is_free_tier;         /* 1, 0, or -1 when absent */
	int is_management_key;
	int is_provisioning_key;
	int include_byok_in_limit;
	char expires_at[40];      /* as sent, "" when null (never expires) */
	time_t expires;           /* parsed expires_at, 0 when none */
	char creator_user_id[64];
	int has_free_daily;       /* free_model_daily_requests present */
	long free_daily_limit, free_daily_remaining, free_daily_used; /* -1 null */
	long rate_limit_requests; /* deprecated; -1 when absent */
	char rate_limit_interval[16];
} ord_key_info;

/* Decode a 200 body of /key.  0, or EINVAL when it is not one (no
 * "data" object). */
int ord_api_decode_key(const char *body, size_t len, ord_key_info *out);

typedef enum ord_key_status {
	ORD_KEYST_NOT_CHECKED,    /* never sent (shape, offline, refused base) */
	ORD_KEYST_VALID,          /* 200 and decoded */
	ORD_KEYST_INVALID,        /* 401/403 */
	ORD_KEYST_UNKNOWN,        /* network, 5xx, 429, garbage, redirect */
} ord_key_status;

const char *ord_key_status_id(ord_key_status s); /* "valid", … */

typedef struct ord_key_check {
	ord_key_status status;
	char reason[256];         /* why not valid, one line; "" when valid */
	long http_status;
	ord_key_info info;        /* when valid */
	ord_api_error error;      /* when an answer body came back */
	ord_cause_guess cause;    /* for invalid/unknown answers */
	ord_http_err net_err;
	double seconds;           /* total time of the request */
	size_t same_as;           /* index of the first equal key, or itself */
	char url[ORD_API_URL_MAX];/* where it went (no key in it) */
} ord_key_check;

/* GET <base>/key for keys[0..n), each distinct OpenRouter key once, all
 * at the same time.  out[i] describes keys[i] (a duplicate copies the
 * result of its first occurrence, same_as says which).  Returns 0 or
 * ENOMEM. */
int ord_api_check_keys(ord_ctx *ctx, const ord_key *const *keys, size_t n,
		       ord_key_check *out);

/* ---- URL linter (pure, urllint.c) -------------------------------------- */

typedef enum ord_url_form {
	ORD_URL_OPENAI,       /* base "https://openrouter.ai/api/v1" (most tools) */
	ORD_URL_ANTHROPIC,    /* base "https://openrouter.ai/api" (Claude Code) */
	ORD_URL_FULL,         /* ".../api/v1/chat/completions" (claude-code-router) */
} ord_url_form;

enum {
	ORD_URLF_EMPTY = 1u << 0,
	ORD_URLF_UNPARSABLE = 1u << 1,      /* no scheme://host */
	ORD_URLF_HTTP = 1u << 2,            /* http:// to a non-loopback host */
	ORD_URLF_MISSING_API = 1u << 3,     /* openrouter.ai/v1 or no path */
	ORD_URLF_V1_WITHOUT_API = 1u << 4,  /* …/v1 without /api */
	ORD_URLF_MISSING_V1 = 1u << 5,      /* …/api for an OpenAI-style client */
	ORD_URLF_EXTRA_V1 = 1u << 6,        /* …/api/v1 for Claude Code */
	ORD_URLF_TRAILING_SLASH = 1u << 7,  /* breaks naive concatenation */
	ORD_URLF_DOUBLE_SLASH = 1u << 8,    /* "//" inside the path */
	ORD_URLF_FULL_ENDPOINT = 1u << 9,   /* …/chat/completions in a base field */
	ORD_URLF_NOT_FULL = 1u << 10,       /* full form expected, base given */
	ORD_URLF_OTHER_VENDOR = 1u << 11,   /* api.openai.com, api.anthropic.com… */
	ORD_URLF_THIRD_PARTY = 1u << 12,    /* another host (a router, a gateway) */
	ORD_URLF_LOOPBACK = 1u << 13,       /* 127.0.0.1/localhost (a local router) */
	ORD_URLF_WRONG_PATH = 1u << 14,     /* some other path on openrouter.ai */
	ORD_URLF_QUERY = 1u << 15,          /* "?…" or "#…" in a base */
};
#define ORD_URLF_COUNT 16

typedef struct ord_url_lint {
	uint32_t flags;
	const char *cause;        /* the main cause, NULL when fine */
	int severity;             /* 0 fine, 1 may break some clients, 2 wrong */
	char host[256];
	char expected[128];       /* the URL this form needs */
} ord_url_lint;

int ord_url_lint_check(const char *url, ord_url_form form, ord_url_lint *out);
const char *ord_url_flag_id(uint32_t bit);    /* "http_scheme", … */
const char *ord_url_flag_text(uint32_t bit);  /* a short sentence */
const char *ord_url_form_id(ord_url_form f);
/* ord_url_is_loopback_host(): listen.h. */

/* ---- base-URL probe ----------------------------------------------------- */

typedef enum ord_probe_result {
	ORD_PROBE_JSON,       /* a JSON answer: an API is there */
	ORD_PROBE_HTML,       /* a web page: wrong path */
	ORD_PROBE_REDIRECT,   /* 3xx, Location reported, not followed */
	ORD_PROBE_OTHER,      /* an answer that is neither (status, garbage) */
	ORD_PROBE_NETWORK,    /* no answer */
	ORD_PROBE_SKIPPED,    /* offline or unusable URL */
} ord_probe_result;

const char *ord_probe_result_id(ord_probe_result r);

typedef struct ord_base_probe {
	ord_probe_result result;
	long status;
	char url[ORD_API_URL_MAX];   /* what was fetched, credentials removed */
	char location[ORD_HTTP_VALUE];
	char content_type[128];
	char reason[256];
	int key_sent;
	const char *cause;           /* causes.md id or NULL */
	ord_api_error error;
} ord_base_probe;

/* GET <base>/models (ORD_URL_OPENAI), <base>/v1/models (ANTHROPIC) or,
 * for a full endpoint, the /models next to it; all bases at once.  key
 * may be NULL; it is sent only to openrouter.ai or to the api base host
 * (and only a well-formed OpenRouter key).  Returns 0 or ENOMEM. */
int ord_api_probe_bases(ord_ctx *ctx, const char *const *bases,
			const ord_url_form *forms, size_t n,
			const ord_key *key, ord_base_probe *out);

/* ---- chat probe ----------------------------------------------------------- */

/* "openrouter/free": the documented router over the free models
 * (openrouter-api.md §3.4).  It costs nothing and, unlike one ":free"
 * model id, does not go away when a model is retired. */
#define ORD_CHAT_MODEL_DEFAULT "openrouter/free"

typedef struct ord_chat_probe {
	int ok;                   /* 200 with a completion and no error */
	long http_status;
	char model[128];          /* asked for */
	char answered_model[128]; /* "model" of the answer */
	char provider[64];        /* "provider" of the answer */
	char generation_id[128];
	char reason[256];         /* one line when not ok */
	ord_http_err net_err;
	ord_api_error error;
	ord_cause_guess cause;
	double seconds;           /* total time of the request, 0 when none */
	char retry_after[64];     /* the Retry-After header, "" when absent */
	/* X-RateLimit-Limit, -Remaining, -Reset: the response headers, else
	 * the copies in error.metadata.headers; "" when absent. */
	char rl_limit[32], rl_remaining[32], rl_reset[32];
} ord_chat_probe;

/* POST <base>/chat/completions {"model":M,"max_tokens":1,"messages":[…]}
 * with key (model NULL: the default).  A key that is not a well-formed
 * OpenRouter key is not sent (reason says so).  Returns 0 or ENOMEM. */
int ord_api_chat_probe(ord_ctx *ctx, const ord_key *key, const char *model,
		       ord_chat_probe *out);

#endif
