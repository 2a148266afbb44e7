/* mock/chat: what every inference route checks, and the failure bodies.
 *
 * Order of the checks after authentication: management key, model
 * (unknown → 400), key limit (403), credits (402), trigger models
 * (mock/…), affordability of max_tokens (402), BYOK (401), flaky
 * providers (502).  The bodies are built in failures.c.
 */
#include "internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const reply[] = {"Hello", " from", " the", " ordoctor",
				    " mock", "."};
#define NREPLY (sizeof(reply) / sizeof(*reply))

/* ---- text of the request ---------------------------------------- */

static void add_text(mock_call *c, size_t *chars, json_object *v,
		     int is_user)
{
	size_t i, n;

	if (!v)
		return;
	if (json_object_is_type(v, json_type_string)) {
		*chars += (size_t)json_object_get_string_len(v);
		if (is_user)
			snprintf(c->last_user, sizeof(c->last_user), "%s",
				 json_object_get_string(v));
		return;
	}
	if (!json_object_is_type(v, json_type_array))
		return;
	n = json_object_array_length(v);
	for (i = 0; i < n && i < 10000; i++) {
		json_object *part = json_object_array_get_idx(v, i), *t;

		if (json_object_is_type(part, json_type_string))
			add_text(c, chars, part, is_user);
		else if (json_object_object_get_ex(part, "text", &t))
			add_text(c, chars, t, is_user);
		else if (json_object_object_get_ex(part, "content", &t))
			add_text(c, chars, t, is_user);
	}
}

static void count_prompt(mock_call *c, json_object *o, mock_skin skin)
{
	json_object *msgs = NULL, *v;
	size_t chars = 0, i, n;

	if (skin == MOCK_SKIN_RESPONSES) {
		if (json_object_object_get_ex(o, "instructions", &v))
			add_text(c, &chars, v, 0);
		if (json_object_object_get_ex(o, "input", &v))
			msgs = v;
	} else {
		if (json_object_object_get_ex(o, "system", &v))
			add_text(c, &chars, v, 0);
		json_object_object_get_ex(o, "messages", &msgs);
	}
	if (msgs && json_object_is_type(msgs, json_type_string))
		add_text(c, &chars, msgs, 1);
	else if (msgs && json_object_is_type(msgs, json_type_array)) {
		n = json_object_array_length(msgs);
		for (i = 0; i < n && i < 10000; i++) {
			json_object *m = json_object_array_get_idx(msgs, i), *role,
				    *content;
			int user = json_object_object_get_ex(m, "role", &role) &&
				   !strcmp(json_object_get_string(role), "user");

			if (json_object_object_get_ex(m, "content", &content))
				add_text(c, &chars, content, user);
		}
	}
	c->prompt_tokens = (unsigned)(chars / 4 + 1);
}

/* ---- the pipeline ---------------------------------------------------- */

static void author_of(const char *model, char out[32])
{
	const char *slash = strchr(model, '/');
	size_t n = slash ? (size_t)(slash - model) : 0, i;

	if (!slash && !strncasecmp(model, "claude", 6)) {
		snprintf(out, 32, "anthropic");
		return;
	}
	if (n >= 32)
		n = 31;
	for (i = 0; i < n; i++)
		out[i] = (char)((model[i] >= 'A' && model[i] <= 'Z') ?
				model[i] + 32 : model[i]);
	out[n] = '\0';
}

static int flaky_hits(ord_mock *m, const char *author, const char *prov)
{
	size_t i;
	int hit = 0;

	pthread_mutex_lock(&m->lock);
	for (i = 0; i < m->cfg.nflaky; i++) {
		const ord_mock_flaky *fl = &m->cfg.flaky[i];
		unsigned long n;

		if (strcasecmp(fl->provider, author) &&
		    strcasecmp(fl->provider, prov))
			continue;
		/* A deterministic share: request n fails when
		 * floor((n+1)·rate) > floor(n·rate), so any window of
		 * requests fails at the given rate. */
		n = m->flaky_seen[i]++;
		if (floor((double)(n + 1) * fl->rate) > floor((double)n * fl->rate))
			hit = 1;
		break;
	}
	pthread_mutex_unlock(&m->lock);
	return hit;
}

static int resolve_model(mock_call *c, mock_skin skin)
{
	const char *id = c->model;

	if (!strcmp(id, "openrouter/auto"))
		id = "openai/gpt-4o-mini";
	else if (!strcmp(id, "openrouter/free"))
		id = "meta-llama/llama-3.3-70b-instruct:free";
	else if (skin == MOCK_SKIN_ANTHROPIC && !strchr(id, '/') &&
		 !strncasecmp(id, "claude", 6))
		/* Claude Code's own model names (UNCONFIRMED mapping). */
		id = strstr(id, "haiku") ? "anthropic/claude-3.5-haiku" :
					   "anthropic/claude-sonnet-4.5";
	c->mm = mock_model_find(id);
	if (!c->mm)
		return -1;
	snprintf(c->routed, sizeof(c->routed), "%s", c->mm->id);
	return 0;
}

int mock_call_prepare(mock_req *r, mock_skin skin, mock_call *c,
		      mock_fail *f)
{
	const mock_key *k = r->key;
	json_object *o = r->json, *v;
	const char *model = NULL;
	char author[32];
	int t;

	memset(c, 0, sizeof(*c));
	memset(f, 0, sizeof(*f));
	ord_buf_init(&f->body, MOCK_BODY_MAX);
	c->max_tokens = -1;
	if (json_object_object_get_ex(o, "model", &v) &&
	    json_object_is_type(v, json_type_string))
		model = json_object_get_string(v);
	if (!model || !*model)
		model = "openrouter/auto"; /* the account default */
	if (json_object_object_get_ex(o, "stream", &v))
		c->stream = json_object_get_boolean(v);
	if ((json_object_object_get_ex(o, skin == MOCK_SKIN_RESPONSES ?
					  "max_output_tokens" : "max_tokens", &v) ||
	     json_object_object_get_ex(o, "max_completion_tokens", &v)) &&
	    !json_object_is_type(v, json_type_null)) {
		if (!json_object_is_type(v, json_type_int) ||
		    json_object_get_int64(v) < 1 ||
		    json_object_get_int64(v) > 100000000) {
			mock_fail_simple(f, 400, "invalid_request",
				    "Invalid request parameters");
			return 1;
		}
		c->max_tokens = (long)json_object_get_int64(v);
	}
	count_prompt(c, o, skin);

	if (k->state == MOCK_KEY_MANAGEMENT) {
		/* UNCONFIRMED (§2): management keys "cannot be used to make
		 * API calls to OpenRouter's completion endpoints"; status and
		 * body undocumented.  Reading 1 (default, 401): the inference
		 * path does not know the key, like any dead key.  Reading 2
		 * (--management-status 403): a permission error, text ours. */
		if (r->m->cfg.management_status == 403)
			mock_fail_simple(f, 403, "permission_denied",
				    "Management keys cannot be used for inference. "
				    "Use an API key from https://openrouter.ai/settings/keys");
		else {
			mock_fail_set(f, 401, "authentication", "User not found.");
			ord_buf_adds(&f->body,
				     "{\"error\":{\"message\":\"User not found.\",\"code\":401}}");
			r->key = NULL; /* no user_id: it reads as a dead key */
		}
		return 1;
	}
	if (strlen(model) >= sizeof(c->model)) {
		mock_fail_model_not_found(f, model);
		return 1;
	}
	snprintf(c->model, sizeof(c->model), "%s", model);
	author_of(model, author);
	if (!strncmp(model, "mock/", 5)) {
		c->provider = "Mock";
		snprintf(c->routed, sizeof(c->routed), "%s", model);
	} else if (resolve_model(c, skin)) {
		mock_fail_model_not_found(f, model);
		return 1;
	} else {
		author_of(c->routed, author);
		c->provider = mock_provider_of(c->routed);
	}

	if (k->has_limit && mock_key_remaining(k) <= 0) {
		/* causes.md "Key limit exceeded…"; the rest of the sentence
		 * and the reset kind in parentheses are from public reports
		 * (MCPJam/inspector#1287: "Key limit exceeded (total limit).
		 * Manage it using https://openrouter.ai/settings/keys"), not
		 * from the reference: partly documented. */
		char msg[200];
		snprintf(msg, sizeof(msg),
			 "Key limit exceeded (%s limit). Manage it using "
			 "https://openrouter.ai/settings/keys",
			 k->limit_reset ? k->limit_reset : "total");
		mock_fail_set(f, 403, "permission_denied", msg);
		ord_buf_adds(&f->body, "{\"error\":{\"message\":");
		mock_json_str(&f->body, msg);
		ord_buf_adds(&f->body, ",\"code\":403}}");
		return 1;
	}
	if (k->credits <= 0) {
		/* §4 402, OpenAPI example.  The contract (design.md) gives 402
		 * for credits=0 on every model; OpenRouter itself lets a zero
		 * (not negative) balance use :free models. */
		mock_fail_simple(f, 402, "payment_required",
			    "Insufficient credits. Add more using https://openrouter.ai/credits");
		return 1;
	}
	if (!strncmp(model, "mock/", 5)) {
		t = mock_fail_trigger(model + 5, mock_now(r->m), c, f);
		if (t < 0) {
			mock_fail_model_not_found(f, model);
			return 1;
		}
		if (t > 0)
			return 1;
	}
	if (c->mm) {
		double pp = mock_price(c->mm->prompt),
		       cp = mock_price(c->mm->completion);
		long asked = c->max_tokens > 0 ? c->max_tokens : c->mm->max_out;
		double need = c->prompt_tokens * pp + (double)asked * cp;

		if (cp > 0 && k->credits < need) {
			double left = k->credits - c->prompt_tokens * pp;
			mock_fail_unaffordable(f, asked,
					  left > 0 ? (long)floor(left / cp) : 0, 0);
			return 1;
		}
		if (cp > 0 && k->has_limit && mock_key_remaining(k) < need) {
			double left = mock_key_remaining(k) - c->prompt_tokens * pp;
			mock_fail_unaffordable(f, asked,
					  left > 0 ? (long)floor(left / cp) : 0, 1);
			return 1;
		}
	}
	for (size_t i = 0; i < k->nbyok; i++)
		if (!strcmp(k->byok[i], author)) {
			mock_fail_byok(f, author, c->provider);
			return 1;
		}
	if (flaky_hits(r->m, author, c->provider)) {
		mock_fail_provider(f, author, c->provider);
		return 1;
	}

	/* Success. */
	c->completion_tokens = NREPLY;
	c->finish = "stop";
	if (c->max_tokens > 0 && (size_t)c->max_tokens < NREPLY) {
		c->completion_tokens = (unsigned)c->max_tokens;
		c->finish = "length";
	}
	if (c->midstream_error) {
		c->completion_tokens = 2;
		c->finish = "error";
	}
	for (size_t i = 0; i < c->completion_tokens; i++)
		strncat(c->text, reply[i], sizeof(c->text) - strlen(c->text) - 1);
	if (c->mm)
		c->cost = c->prompt_tokens * mock_price(c->mm->prompt) +
			  c->completion_tokens * mock_price(c->mm->completion);
	c->created = mock_now(r->m);
	{
		char prefix[40];
		snprintf(prefix, sizeof(prefix), "gen-%lld-", (long long)c->created);
		mock_rand_id(r->m, c->gen_id, sizeof(c->gen_id), prefix, 20);
	}
	return 0;
}

size_t mock_call_pieces(const mock_call *c, char pieces[][32], size_t max)
{
	size_t i;

	for (i = 0; i < c->completion_tokens && i < max; i++)
		snprintf(pieces[i], 32, "%s", reply[i]);
	return i;
}

void mock_call_record(mock_req *r, const mock_call *c, const char *api)
{
	mock_gen g;

	memset(&g, 0, sizeof(g));
	snprintf(g.id, sizeof(g.id), "%s", c->gen_id);
	snprintf(g.fp, sizeof(g.fp), "%s", r->key->fingerprint);
	snprintf(g.model, sizeof(g.model), "%s", c->routed);
	snprintf(g.provider, sizeof(g.provider), "%s", c->provider);
	snprintf(g.api_type, sizeof(g.api_type), "%s", api);
	snprintf(g.finish, sizeof(g.finish), "%s", c->finish);
	g.created = c->created;
	g.prompt = c->prompt_tokens;
	g.completion = c->completion_tokens;
	g.cost = c->cost;
	g.streamed = c->stream;
	mock_gen_record(r->m, &g);
}

