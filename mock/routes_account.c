/* mock/routes_account: GET /key (and /auth/key), /credits, /generation. */
#include "internal.h"

#include <stdio.h>
#include <string.h>

/* GET /api/v1/key and the legacy GET /api/v1/auth/key: §3.1, the
 * OpenAPI example's fields in its order. */
enum MHD_Result mock_route_key(mock_req *r)
{
	ord_buf b = ORD_BUF_INIT(8192);
	const mock_key *k;
	enum MHD_Result res;
	char n1[40], n2[40], n3[40];
	int mgmt;

	if (mock_auth(r, MOCK_SKIN_OPENROUTER, &res))
		return res;
	k = r->key;
	mgmt = k->state == MOCK_KEY_MANAGEMENT;
	ord_buf_adds(&b, "{\"data\":{\"label\":");
	mock_json_str(&b, k->label ? k->label : k->label_form);
	if (k->has_limit)
		ord_buf_addf(&b, ",\"limit\":%s,\"limit_remaining\":%s",
			     mock_num(n1, k->limit),
			     mock_num(n2, mock_key_remaining(k)));
	else
		ord_buf_adds(&b, ",\"limit\":null,\"limit_remaining\":null");
	if (k->has_limit && k->limit_reset)
		ord_buf_addf(&b, ",\"limit_reset\":\"%s\"", k->limit_reset);
	else
		ord_buf_adds(&b, ",\"limit_reset\":null");
	mock_num(n3, k->usage);
	ord_buf_addf(&b,
		     ",\"include_byok_in_limit\":false,\"usage\":%s,\"usage_daily\":%s,"
		     "\"usage_weekly\":%s,\"usage_monthly\":%s,\"byok_usage\":0,"
		     "\"byok_usage_daily\":0,\"byok_usage_weekly\":0,"
		     "\"byok_usage_monthly\":0,\"is_free_tier\":%s,"
		     "\"is_management_key\":%s,\"is_provisioning_key\":%s,"
		     "\"creator_user_id\":\"%s\",\"expires_at\":",
		     n3, n3, n3, n3, k->free_tier ? "true" : "false",
		     mgmt ? "true" : "false", mgmt ? "true" : "false",
		     k->user_id);
	if (k->expires_at)
		mock_json_str(&b, k->expires_at);
	else
		ord_buf_adds(&b, "null");
	/* rate_limit is deprecated ("Will always return -1"). */
	ord_buf_adds(&b,
		     ",\"rate_limit\":{\"requests\":-1,\"interval\":\"10s\","
		     "\"note\":\"This field is deprecated and safe to ignore.\"}}}");
	res = mock_send_json(r, 200, ord_buf_str(&b));
	ord_buf_release(&b);
	return res;
}

/* GET /api/v1/credits: §3.2.  Management keys only (the current spec);
 * whether production enforces it is UNCONFIRMED, so --credits-any-key
 * gives the older behaviour (any key gets 200). */
enum MHD_Result mock_route_credits(mock_req *r)
{
	enum MHD_Result res;
	char body[256], n1[40], n2[40];

	if (mock_auth(r, MOCK_SKIN_OPENROUTER, &res))
		return res;
	if (r->key->state != MOCK_KEY_MANAGEMENT && !r->m->cfg.credits_any_key)
		return mock_send_error(r, 403,
			"{\"error\":{\"code\":403,\"message\":\"Only management keys "
			"can perform this operation\"}}");
	/* Balance = total_credits - total_usage = credits=. */
	snprintf(body, sizeof(body),
		 "{\"data\":{\"total_credits\":%s,\"total_usage\":%s}}",
		 mock_num(n1, r->key->credits + r->key->usage),
		 mock_num(n2, r->key->usage));
	return mock_send_json(r, 200, body);
}

void mock_gen_record(ord_mock *m, const mock_gen *g)
{
	pthread_mutex_lock(&m->lock);
	m->gens[m->gen_next % MOCK_GEN_MAX] = *g;
	m->gen_next++;
	pthread_mutex_unlock(&m->lock);
}

static int gen_find(ord_mock *m, const char *id, const char *fp,
		    mock_gen *out)
{
	size_t i, n;
	int found = 0;

	pthread_mutex_lock(&m->lock);
	n = m->gen_next < MOCK_GEN_MAX ? m->gen_next : MOCK_GEN_MAX;
	for (i = 0; i < n; i++)
		if (!strcmp(m->gens[i].id, id) && !strcmp(m->gens[i].fp, fp)) {
			*out = m->gens[i];
			found = 1;
			break;
		}
	pthread_mutex_unlock(&m->lock);
	return found;
}

static void add(json_object *o, const char *k, json_object *v)
{
	json_object_object_add(o, k, v);
}

/* GET /api/v1/generation?id=…: §3.5.  Only ids this mock issued to the
 * same key; anything else is 404 Resource not found. */
enum MHD_Result mock_route_generation(mock_req *r)
{
	json_object *root, *d;
	enum MHD_Result res;
	const char *id;
	char when[40];
	mock_gen g;

	if (mock_auth(r, MOCK_SKIN_OPENROUTER, &res))
		return res;
	id = mock_query(r, "id");
	if (!id || !gen_find(r->m, id, r->key->fingerprint, &g))
		return mock_send_error(r, 404,
			"{\"error\":{\"code\":404,\"message\":\"Resource not found\"}}");
	mock_iso_time(when, g.created);
	root = json_object_new_object();
	d = json_object_new_object();
	add(d, "id", json_object_new_string(g.id));
	add(d, "upstream_id", json_object_new_string(g.id + 4));
	add(d, "total_cost", mock_jnum(g.cost));
	add(d, "usage", mock_jnum(g.cost));
	add(d, "cache_discount", NULL);
	add(d, "upstream_inference_cost", mock_jnum(g.cost));
	add(d, "created_at", json_object_new_string(when));
	add(d, "model", json_object_new_string(g.model));
	add(d, "app_id", NULL);
	add(d, "streamed", json_object_new_boolean(g.streamed));
	add(d, "cancelled", json_object_new_boolean(0));
	add(d, "provider_name", json_object_new_string(g.provider));
	add(d, "latency", json_object_new_int((int)r->m->cfg.latency_ms));
	add(d, "moderation_latency", NULL);
	add(d, "generation_time", json_object_new_int(1));
	add(d, "finish_reason", json_object_new_string(g.finish));
	add(d, "native_finish_reason", json_object_new_string(g.finish));
	add(d, "tokens_prompt", json_object_new_int((int)g.prompt));
	add(d, "tokens_completion", json_object_new_int((int)g.completion));
	add(d, "native_tokens_prompt", json_object_new_int((int)g.prompt));
	add(d, "native_tokens_completion",
	    json_object_new_int((int)g.completion));
	add(d, "native_tokens_completion_images", json_object_new_int(0));
	add(d, "native_tokens_reasoning", json_object_new_int(0));
	add(d, "native_tokens_cached", json_object_new_int(0));
	add(d, "num_media_prompt", NULL);
	add(d, "num_input_audio_prompt", NULL);
	add(d, "num_media_completion", NULL);
	add(d, "num_search_results", NULL);
	add(d, "origin", json_object_new_string(""));
	add(d, "is_byok", json_object_new_boolean(0));
	add(d, "api_type", json_object_new_string(g.api_type));
	add(d, "data_region", NULL);
	add(d, "external_user", NULL);
	add(d, "http_referer", NULL);
	add(d, "user_agent", NULL);
	add(d, "router", NULL);
	add(d, "request_id", NULL);
	add(d, "service_tier", NULL);
	add(d, "session_id", NULL);
	add(d, "preset_id", NULL);
	add(d, "provider_responses", NULL);
	add(d, "web_search_engine", NULL);
	add(d, "num_fetches", NULL);
	add(root, "data", d);
	res = mock_send_json(r, 200, mock_jdump(root));
	json_object_put(root);
	return res;
}
