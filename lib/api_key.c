/* api_key: the body of GET /api/v1/key (openrouter-api.md §3.1).
 *
 * Current shape (OpenAPI, 2026-08):
 *   {"data":{"label":"sk-or-v1-au7...890","limit":100,"limit_remaining":74.5,
 *    "limit_reset":"monthly","include_byok_in_limit":false,"usage":25.5,
 *    "usage_daily":…,"usage_weekly":…,"usage_monthly":…,"byok_usage":…,
 *    "is_free_tier":false,"is_management_key":false,"is_provisioning_key":false,
 *    "creator_user_id":"user_…","expires_at":"2027-12-31T23:59:59Z",
 *    "rate_limit":{…}}}
 * Older shape (docs.rs openrouter 0.2.0):
 *   {"data":{"label":"sk-or-v1-116...0ce","limit":5,"usage":0.1015644762,
 *    "is_provisioning_key":false,"limit_remaining":4.8984355238,
 *    "is_free_tier":false,"rate_limit":{"requests":50,"interval":"10s"}}}
 * Newer docs add free_model_daily_requests {limit, remaining, used}.
 * Every field may be null or missing: nothing here is required but "data".
 */
#include "api.h"

#include <errno.h>
#include <json-c/json.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gate.h"

static json_object *get(json_object *o, const char *k)
{
	json_object *v = NULL;

	if (!o || !json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, k, &v))
		return NULL;
	return v;
}

static double num(json_object *o, const char *k)
{
	json_object *v = get(o, k);
	const char *s;
	char *end;
	double d;

	if (!v)
		return NAN;
	if (json_object_is_type(v, json_type_int) ||
	    json_object_is_type(v, json_type_double)) {
		d = json_object_get_double(v);
		return isfinite(d) ? d : NAN;
	}
	if (json_object_is_type(v, json_type_string)) {
		/* Prices elsewhere are decimal strings; accept them here too. */
		s = json_object_get_string(v);
		d = strtod(s, &end);
		if (end != s && !*end && isfinite(d))
			return d;
	}
	return NAN;
}

static long lnum(json_object *o, const char *k)
{
	double d = num(o, k);

	return isnan(d) || d < 0 || d > (double)LONG_MAX ? -1 : (long)d;
}

static int boolean(json_object *o, const char *k)
{
	json_object *v = get(o, k);

	if (!v || json_object_is_type(v, json_type_null))
		return -1;
	if (json_object_is_type(v, json_type_boolean))
		return json_object_get_boolean(v) ? 1 : 0;
	if (json_object_is_type(v, json_type_string)) {
		const char *s = json_object_get_string(v);
		return !strcmp(s, "true") ? 1 : !strcmp(s, "false") ? 0 : -1;
	}
	if (json_object_is_type(v, json_type_int))
		return json_object_get_int64(v) != 0;
	return -1;
}

static void str(json_object *o, const char *k, char *dst, size_t cap)
{
	json_object *v = get(o, k);

	dst[0] = '\0';
	if (v && json_object_is_type(v, json_type_string)) {
		ord_gate_copy(dst, cap, json_object_get_string(v),
			      (size_t)json_object_get_string_len(v));
	}
}

/* "2027-12-31T23:59:59Z", with optional fraction and "+hh:mm" offset, or a
 * bare date.  0 when unreadable. */
static time_t parse_iso8601(const char *s)
{
	struct tm tm;
	int y, mo, d, h = 0, mi = 0, se = 0, n = 0, oh = 0, om = 0;
	const char *p;
	time_t t;

	memset(&tm, 0, sizeof(tm));
	if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3)
		return 0;
	p = s + n;
	if (*p == 'T' || *p == 't' || *p == ' ') {
		if (sscanf(p + 1, "%2d:%2d:%2d%n", &h, &mi, &se, &n) != 3)
			return 0;
		p += 1 + n;
		if (*p == '.')
			for (p++; *p >= '0' && *p <= '9'; p++)
				;
		if (*p == '+' || *p == '-') {
			int sign = *p == '-' ? -1 : 1;
			if (sscanf(p + 1, "%2d:%2d", &oh, &om) < 1)
				return 0;
			oh *= sign;
			om *= sign;
		}
	}
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 ||
	    mi > 59 || se > 60)
		return 0;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = se;
	t = timegm(&tm);
	if (t == (time_t)-1)
		return 0;
	return t - (time_t)(oh * 3600 + om * 60);
}

int ord_api_decode_key(const char *body, size_t len, ord_key_info *out)
{
	json_tokener *tok;
	json_object *root, *data, *fd, *rl;
	int rc = EINVAL;

	memset(out, 0, sizeof(*out));
	out->limit = out->limit_remaining = NAN;
	out->usage = out->usage_daily = out->usage_weekly = NAN;
	out->usage_monthly = out->byok_usage = NAN;
	out->is_free_tier = out->is_management_key = -1;
	out->is_provisioning_key = out->include_byok_in_limit = -1;
	out->free_daily_limit = out->free_daily_remaining = -1;
	out->free_daily_used = out->rate_limit_requests = -1;
	if (!body || !len || len > INT_MAX || memchr(body, '\0', len))
		return EINVAL;
	tok = json_tokener_new_ex(32);
	if (!tok)
		return ENOMEM;
	root = json_tokener_parse_ex(tok, body, (int)len);
	json_tokener_free(tok);
	if (!root)
		return EINVAL;
	data = get(root, "data");
	if (!data || !json_object_is_type(data, json_type_object) || get(root, "error"))
		goto out;
	rc = 0;
	str(data, "label", out->label, sizeof(out->label));
	out->limit = num(data, "limit");
	out->limit_remaining = num(data, "limit_remaining");
	str(data, "limit_reset", out->limit_reset, sizeof(out->limit_reset));
	out->usage = num(data, "usage");
	out->usage_daily = num(data, "usage_daily");
	out->usage_weekly = num(data, "usage_weekly");
	out->usage_monthly = num(data, "usage_monthly");
	out->byok_usage = num(data, "byok_usage");
	out->is_free_tier = boolean(data, "is_free_tier");
	out->is_management_key = boolean(data, "is_management_key");
	out->is_provisioning_key = boolean(data, "is_provisioning_key");
	out->include_byok_in_limit = boolean(data, "include_byok_in_limit");
	str(data, "expires_at", out->expires_at, sizeof(out->expires_at));
	out->expires = out->expires_at[0] ? parse_iso8601(out->expires_at) : 0;
	str(data, "creator_user_id", out->creator_user_id, sizeof(out->creator_user_id));
	fd = get(data, "free_model_daily_requests");
	if (fd && json_object_is_type(fd, json_type_object)) {
		out->has_free_daily = 1;
		out->free_daily_limit = lnum(fd, "limit");
		out->free_daily_remaining = lnum(fd, "remaining");
		out->free_daily_used = lnum(fd, "used");
	}
	rl = get(data, "rate_limit");
	if (rl && json_object_is_type(rl, json_type_object)) {
		double r = num(rl, "requests");
		out->rate_limit_requests = isnan(r) ? -1 : (long)r;
		str(rl, "interval", out->rate_limit_interval, sizeof(out->rate_limit_interval));
	}
	/* limit_remaining absent but limit and usage known (older bodies did
	 * not always carry it). */
	if (isnan(out->limit_remaining) && !isnan(out->limit) && !isnan(out->usage) &&
	    !get(data, "limit_remaining"))
		out->limit_remaining = out->limit - out->usage;
	out->legacy = !get(data, "usage_daily") && !get(data, "is_management_key");
out:
	json_object_put(root);
	return rc;
}
