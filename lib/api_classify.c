/* api_classify: a decoded answer -> a cause id of causes.md.
 *
 * One ordered table; the first row that matches wins.  Each row names the
 * wording it keys on and where that wording is documented or observed
 * (openrouter-api.md = "api", causes.md = "causes").  Matching is a
 * case-insensitive substring test, so drifting punctuation ("User not
 * found." vs "User not found") and wrapper prefixes do not matter.  A status
 * of 0 (unknown, e.g. an error text without its status) passes every status
 * test; error.code stands in for it when present.
 */
#include "api.h"

#include <string.h>

enum field {
	F_NONE,      /* no text test */
	F_MSG,       /* error.message */
	F_RAW,       /* metadata.raw, its inner type and message */
	F_TEXT,      /* message or raw */
	F_AVAIL,     /* error.availability.code (exact) */
	F_ETYPE,     /* error_type or type (exact) */
};

/* Conditions on the decoded answer. */
enum {
	R_HTML = 1u << 0,
	R_PROVIDER = 1u << 1,    /* "Provider returned error" (an upstream answer) */
	R_NOT_PROVIDER = 1u << 2,
	R_MODERATION = 1u << 3,
	R_MIDSTREAM = 1u << 4,
	R_ERROR = 1u << 5,       /* a decoded error object of any shape */
	R_JSON_OK = 1u << 6,     /* JSON without an error */
	R_GARBAGE = 1u << 7,     /* garbage or empty */
};

struct rule {
	const char *id;
	short smin, smax;
	unsigned need;
	enum field f;
	const char *needle;
	const char *cause;
	const char *cand[3];
	unsigned char key_ok, not_key;
};

#define ANY 0, 999
static const struct rule rules[] = {
	/* 3xx, never followed: fetch-based clients drop Authorization on the
	 * http -> https redirect (api §1 "Does a redirect drop Authorization?"). */
	{"redirect", 300, 399, 0, F_NONE, NULL, "http_redirect_drops_auth", {"wrong_base_url_path"}, 0, 0},
	/* The web site answered: wrong base path (api §1 "Wrong base URLs";
	 * causes 404 row "an HTML page (<!DOCTYPE html)").  An HTML 5xx is a
	 * CDN error page. */
	{"html_5xx", 500, 599, R_HTML, F_NONE, NULL, "provider_unavailable", {"openrouter_incident"}, 0, 0},
	{"html", ANY, R_HTML, F_NONE, NULL, "wrong_base_url_path", {"request_sent_to_wrong_endpoint", "proxy_not_forwarding_auth"}, 0, 0},

	/* BYOK: "Provider returned error" with an auth error in metadata.raw,
	 * e.g. raw {"type":"error","error":{"type":"authentication_error",
	 * "message":"invalid x-api-key"}} (api §4 BYOK; ai-sdk-provider#24). */
	{"byok_raw_auth_type", ANY, R_PROVIDER, F_RAW, "authentication", "byok_provider_key_invalid", {"provider_unavailable"}, 1, 0},
	{"byok_raw_x_api_key", ANY, R_PROVIDER, F_RAW, "x-api-key", "byok_provider_key_invalid", {"provider_unavailable"}, 1, 0},
	{"byok_raw_api_key", ANY, R_PROVIDER, F_RAW, "api key", "byok_provider_key_invalid", {"provider_unavailable"}, 1, 0},
	{"byok_raw_api_key_", ANY, R_PROVIDER, F_RAW, "api_key", "byok_provider_key_invalid", {"provider_unavailable"}, 1, 0},
	{"byok_raw_unauthorized", ANY, R_PROVIDER, F_RAW, "unauthorized", "byok_provider_key_invalid", {"provider_unavailable"}, 1, 0},
	{"byok_raw_credentials", ANY, R_PROVIDER, F_RAW, "invalid credentials", "byok_provider_key_invalid", {"provider_unavailable"}, 1, 0},
	/* Upstream refuses the caller's region (causes provider_geoblock;
	 * api §4 403 "Region: availability code region_restricted"). */
	{"geo_availability", ANY, 0, F_AVAIL, "region_restricted", "provider_geoblock", {"model_specific_failure"}, 1, 0},
	{"geo_raw_region", ANY, R_PROVIDER, F_RAW, "region", "provider_geoblock", {"model_specific_failure"}, 1, 0},
	{"geo_raw_country", ANY, R_PROVIDER, F_RAW, "country", "provider_geoblock", {"model_specific_failure"}, 1, 0},
	{"geo_raw_location", ANY, R_PROVIDER, F_RAW, "location is not supported", "provider_geoblock", {"model_specific_failure"}, 1, 0},
	/* Upstream 401 without a readable raw: still the provider's key. */
	{"byok_401", 401, 401, R_PROVIDER, F_NONE, NULL, "byok_provider_key_invalid", {"provider_unavailable"}, 1, 0},

	/* One family: no usable credential arrived (api §2 "401 bodies";
	 * causes decoder row 1).  "Missing Authentication header or invalid
	 * API key" (2024, taskweaver#357) is covered by the first needle. */
	{"401_missing_header", 401, 401, 0, F_MSG, "Missing Authentication header", "key_missing_or_empty", {"key_malformed_or_truncated", "key_from_wrong_provider", "tool_credential_bug"}, 0, 0},
	{"401_no_cookie_auth", 401, 401, 0, F_MSG, "No cookie auth credentials found", "key_missing_or_empty", {"key_malformed_or_truncated", "key_from_wrong_provider", "tool_credential_bug"}, 0, 0},
	{"401_no_auth", 401, 401, 0, F_MSG, "No auth credentials found", "key_missing_or_empty", {"key_malformed_or_truncated", "key_from_wrong_provider", "tool_credential_bug"}, 0, 0},
	/* A well-formed key that maps to no live key (api §2; docs#5,
	 * hermes-agent#14637); only /key per candidate tells these apart. */
	{"401_user_not_found", 401, 401, 0, F_MSG, "User not found", "key_revoked_expired_or_unknown", {"openrouter_incident", "tool_stale_stored_key", "env_precedence_shadowing"}, 0, 0},

	/* Another vendor answered (causes "Another vendor's answer"). */
	{"openai_incorrect_key", ANY, R_NOT_PROVIDER, F_MSG, "Incorrect API key provided", "request_sent_to_wrong_endpoint", {"key_from_wrong_provider"}, 0, 0},
	{"anthropic_x_api_key_required", ANY, R_NOT_PROVIDER, F_MSG, "x-api-key header is required", "request_sent_to_wrong_endpoint", {"wrong_auth_scheme_for_endpoint"}, 0, 0},
	{"anthropic_invalid_x_api_key", ANY, R_NOT_PROVIDER, F_MSG, "invalid x-api-key", "request_sent_to_wrong_endpoint", {"wrong_auth_scheme_for_endpoint"}, 0, 0},

	/* 402 (api §4 402): a text pointing at settings/keys is the key's own
	 * cap (opencode#12219); "can only afford N" is max_tokens
	 * (openclaude#1125); else the balance. */
	{"402_key_limit", 402, 402, 0, F_TEXT, "settings/keys", "per_key_credit_limit", {"insufficient_credits"}, 1, 0},
	{"402_can_only_afford", 402, 402, 0, F_TEXT, "can only afford", "max_tokens_unaffordable", {"insufficient_credits"}, 1, 0},
	{"402_credits", 402, 402, 0, F_NONE, NULL, "insufficient_credits", {"per_key_credit_limit", "max_tokens_unaffordable"}, 1, 0},
	/* 403 (causes decoder; api §4 403). */
	{"403_key_limit", 403, 403, 0, F_MSG, "Key limit exceeded", "per_key_credit_limit", {"insufficient_credits"}, 1, 0},
	{"403_management_only", 403, 403, 0, F_MSG, "Only management keys", NULL, {NULL}, 1, 1},
	{"403_provisioning_only", 403, 403, 0, F_MSG, "Only provisioning keys", NULL, {NULL}, 1, 1},
	{"403_moderation", 403, 403, R_MODERATION, F_NONE, NULL, "moderation_flagged", {"model_specific_failure"}, 1, 0},
	{"403_flagged", 403, 403, 0, F_MSG, "flagged", "moderation_flagged", {"model_specific_failure"}, 1, 0},
	{"403_guardrail", 403, 403, 0, F_MSG, "Request blocked", "moderation_flagged", {"data_policy_or_tos_block"}, 1, 0},
	{"403_byok_required", 403, 403, 0, F_MSG, "requiring a key", "byok_required_for_model", {"model_specific_failure"}, 1, 0},
	{"tos", ANY, 0, F_MSG, "Terms Of Service", "data_policy_or_tos_block", {"model_specific_failure"}, 1, 0},
	/* 404 (api §4 404 availability codes; causes 404 row). */
	{"privacy_availability", ANY, 0, F_AVAIL, "privacy_restricted", "data_policy_or_tos_block", {"model_not_found"}, 1, 0},
	{"data_policy", ANY, 0, F_MSG, "data policy", "data_policy_or_tos_block", {"model_not_found"}, 1, 0},
	{"constraint_filtered", ANY, 0, F_AVAIL, "constraint_filtered", "data_policy_or_tos_block", {"model_specific_failure"}, 1, 0},
	{"model_not_found_availability", ANY, 0, F_AVAIL, "model_not_found", "model_not_found", {NULL}, 1, 0},
	{"model_deprecated", ANY, 0, F_AVAIL, "model_deprecated", "model_not_found", {NULL}, 1, 0},
	{"free_variant_ended", ANY, 0, F_AVAIL, "free_variant_ended", "model_not_found", {NULL}, 1, 0},
	{"no_endpoints", ANY, 0, F_AVAIL, "no_endpoints", "model_not_found", {"data_policy_or_tos_block"}, 1, 0},
	{"not_a_valid_model", 400, 404, 0, F_MSG, "is not a valid model", "model_not_found", {NULL}, 0, 0},
	{"model_not_found_text", 400, 404, 0, F_MSG, "model not found", "model_not_found", {NULL}, 0, 0},
	{"no_endpoints_text", 400, 404, 0, F_MSG, "No endpoints found", "model_not_found", {"data_policy_or_tos_block"}, 1, 0},
	/* 429 (api §4 429; openclaude#936, cline#5301; limits.mdx). */
	{"free_models_per_day", ANY, 0, F_MSG, "free-models-per-day", "free_model_rate_limit", {"rate_limited"}, 1, 0},
	{"capacity", ANY, 0, F_AVAIL, "capacity_exhausted", "rate_limited", {"provider_unavailable"}, 1, 0},
	{"429", 429, 429, 0, F_NONE, NULL, "rate_limited", {"free_model_rate_limit"}, 0, 0},
	{"rate_limit_type", ANY, 0, F_ETYPE, "rate_limit_exceeded", "rate_limited", {"provider_unavailable"}, 0, 0},
	/* Provider down, or failure after generation started (api §3.4, §4
	 * 502/503/524/529). */
	{"provider_5xx", 502, 504, 0, F_NONE, NULL, "provider_unavailable", {"model_specific_failure", "openrouter_incident"}, 0, 0},
	{"provider_524", 524, 524, 0, F_NONE, NULL, "provider_unavailable", {"openrouter_incident"}, 0, 0},
	{"provider_529", 529, 529, 0, F_NONE, NULL, "provider_unavailable", {"model_specific_failure"}, 0, 0},
	{"provider_unavailable_type", ANY, 0, F_ETYPE, "provider_unavailable", "provider_unavailable", {"model_specific_failure"}, 0, 0},
	{"provider_overloaded_type", ANY, 0, F_ETYPE, "provider_overloaded", "provider_unavailable", {"model_specific_failure"}, 0, 0},
	{"temporarily_unavailable", ANY, 0, F_AVAIL, "temporarily_unavailable", "provider_unavailable", {NULL}, 0, 0},
	{"midstream", ANY, R_MIDSTREAM, F_NONE, NULL, "provider_unavailable", {"model_specific_failure"}, 1, 0},
	{"408", 408, 408, 0, F_NONE, NULL, "provider_unavailable", {"openrouter_incident"}, 0, 0},
	{"500", 500, 599, 0, F_NONE, NULL, "provider_unavailable", {"openrouter_incident"}, 0, 0},
	/* Any other upstream refusal: that model/provider. */
	{"provider_other", ANY, R_PROVIDER, F_NONE, NULL, "model_specific_failure", {"provider_unavailable"}, 1, 0},
	/* Other 401s: the skins' "Invalid credentials" (api §2), unknown
	 * wordings. */
	{"401", 401, 401, 0, F_NONE, NULL, "key_revoked_expired_or_unknown", {"key_missing_or_empty", "openrouter_incident"}, 0, 0},
	{"authentication_type", ANY, 0, F_ETYPE, "authentication", "key_revoked_expired_or_unknown", {"key_missing_or_empty", "openrouter_incident"}, 0, 0},
	{"authentication_error_type", ANY, 0, F_ETYPE, "authentication_error", "key_revoked_expired_or_unknown", {"key_missing_or_empty"}, 0, 0},
	/* A JSON 404 from the API: a path it does not serve (e.g. /api/v1/v1/messages). */
	{"404", 404, 404, R_ERROR, F_NONE, NULL, "wrong_base_url_path", {"model_not_found"}, 0, 0},
	{"403", 403, 403, 0, F_NONE, NULL, NULL, {"moderation_flagged", "byok_required_for_model"}, 0, 0},
	{"ok", 200, 299, R_JSON_OK, F_NONE, NULL, NULL, {NULL}, 0, 0},
	{"garbage", ANY, R_GARBAGE, F_NONE, NULL, NULL, {"proxy_not_forwarding_auth", "wrong_base_url_path"}, 0, 0},
};

static int is_provider_error(const ord_api_error *e)
{
	return strcasestr(e->message, "Provider returned error") ||
	       (e->provider[0] && e->raw[0]);
}

static int has(const char *hay, const char *needle)
{
	return hay[0] && strcasestr(hay, needle) != NULL;
}

static int row_matches(const struct rule *r, const ord_api_error *e, long st)
{
	unsigned n = r->need;

	if (st && (st < r->smin || st > r->smax))
		return 0;
	/* Without a status, a row whose only test is the status says nothing. */
	if (!st && r->f == F_NONE && (r->smin != 0 || r->smax != 999))
		return 0;
	if ((n & R_HTML) && e->kind != ORD_BODY_HTML)
		return 0;
	if (e->kind == ORD_BODY_HTML && !(n & R_HTML) && r->f != F_NONE)
		return 0;
	if ((n & R_PROVIDER) && !is_provider_error(e))
		return 0;
	if ((n & R_NOT_PROVIDER) && is_provider_error(e))
		return 0;
	if ((n & R_MODERATION) && !e->moderation)
		return 0;
	if ((n & R_MIDSTREAM) && !e->midstream)
		return 0;
	if ((n & R_ERROR) && e->kind < ORD_BODY_ERROR)
		return 0;
	if ((n & R_JSON_OK) && (e->kind != ORD_BODY_JSON || e->midstream))
		return 0;
	if ((n & R_GARBAGE) && e->kind != ORD_BODY_GARBAGE && e->kind != ORD_BODY_EMPTY)
		return 0;
	switch (r->f) {
	case F_NONE:
		return 1;
	case F_MSG:
		return has(e->message, r->needle);
	case F_RAW:
		return has(e->raw, r->needle) || has(e->raw_type, r->needle) ||
		       has(e->raw_message, r->needle);
	case F_TEXT:
		return has(e->message, r->needle) || has(e->raw, r->needle);
	case F_AVAIL:
		return !strcmp(e->availability, r->needle);
	case F_ETYPE:
		return !strcmp(e->error_type, r->needle) || !strcmp(e->type, r->needle);
	}
	return 0;
}

int ord_api_classify(const ord_api_error *e, ord_cause_guess *out)
{
	long st = e->status ? e->status : e->code;
	size_t i, j;

	memset(out, 0, sizeof(*out));
	/* A mid-stream error travels with HTTP 200: its code says more. */
	if (e->midstream && e->code)
		st = e->code;
	for (i = 0; i < sizeof(rules) / sizeof(*rules); i++) {
		const struct rule *r = &rules[i];

		if (!row_matches(r, e, st))
			continue;
		out->cause = r->cause;
		for (j = 0; j < 3 && r->cand[j]; j++)
			out->candidates[j] = r->cand[j];
		out->rule = r->id;
		out->key_ok = r->key_ok;
		out->not_a_key_problem = r->not_key;
		break;
	}
	/* Top-level user_id: OpenRouter identified the account, so the key is
	 * fine whatever else failed (causes decoder, "any" row). */
	if (e->user_id_present)
		out->key_ok = 1;
	/* An upstream answered, or generation had started: OpenRouter took
	 * the key (api §3.4, §4 "Doctor rule"). */
	if (e->midstream || is_provider_error(e))
		out->key_ok = 1;
	return out->rule != NULL;
}
