/* mock/models: the model list (GET /api/v1/models) and model lookup.
 *
 * Item shape: openrouter-api.md §3.3 (OpenAPI example); prices are
 * decimal strings, USD per token.  The figures are plausible, not live. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const mock_model models[] = {
	{"openai/gpt-4o", "OpenAI: GPT-4o", "OpenAI",
	 "GPT-4o, OpenAI's omni model (mock entry).", 1715558400, 128000,
	 16384, "0.0000025", "0.00001", "GPT", NULL, 1},
	{"openai/gpt-4o-mini", "OpenAI: GPT-4o-mini", "OpenAI",
	 "A small, cheap OpenAI model (mock entry).", 1721260800, 128000,
	 16384, "0.00000015", "0.0000006", "GPT", NULL, 1},
	{"openai/gpt-4", "OpenAI: GPT-4", "OpenAI",
	 "The example of the OpenAPI spec (mock entry).", 1692901234, 8192,
	 4096, "0.00003", "0.00006", "GPT", "chatml", 1},
	{"anthropic/claude-sonnet-4.5", "Anthropic: Claude Sonnet 4.5",
	 "Anthropic", "Anthropic's Sonnet model (mock entry).", 1759161676,
	 1000000, 64000, "0.000003", "0.000015", "Claude", NULL, 0},
	{"anthropic/claude-3.5-haiku", "Anthropic: Claude 3.5 Haiku",
	 "Anthropic", "A fast Anthropic model (mock entry).", 1730678400,
	 200000, 8192, "0.0000008", "0.000004", "Claude", NULL, 0},
	{"google/gemini-2.5-flash", "Google: Gemini 2.5 Flash", "Google",
	 "Google's fast Gemini model (mock entry).", 1750172488, 1048576,
	 65535, "0.0000003", "0.0000025", "Gemini", NULL, 0},
	{"meta-llama/llama-3.3-70b-instruct:free",
	 "Meta: Llama 3.3 70B Instruct (free)", "Meta",
	 "A free variant: 20 requests/min, 50 or 1000 per day (mock entry).",
	 1733506137, 131072, 4096, "0", "0", "Llama3", "llama3", 0},
	{"deepseek/deepseek-chat-v3-0324:free",
	 "DeepSeek: DeepSeek V3 0324 (free)", "DeepSeek",
	 "A free variant (mock entry).", 1742824755, 163840, 16384, "0", "0",
	 "DeepSeek", NULL, 0},
};

/* Variant suffixes that may follow any listed id (":free" must be listed
 * itself). */
static const char *const variants[] = {
	":nitro", ":floor", ":online", ":exacto", ":thinking", ":extended",
};

static const struct {
	const char *author, *name;
} providers[] = {
	{"openai", "OpenAI"},     {"anthropic", "Anthropic"},
	{"google", "Google"},     {"meta-llama", "Meta"},
	{"deepseek", "DeepSeek"}, {"mistralai", "Mistral"},
	{"x-ai", "xAI"},          {"mock", "Mock"},
};

const mock_model *mock_model_find(const char *id)
{
	size_t i, j, n = strlen(id);

	for (i = 0; i < sizeof(models) / sizeof(*models); i++)
		if (!strcmp(models[i].id, id))
			return &models[i];
	for (j = 0; j < sizeof(variants) / sizeof(*variants); j++) {
		size_t vl = strlen(variants[j]);
		if (n <= vl || strcmp(id + n - vl, variants[j]))
			continue;
		for (i = 0; i < sizeof(models) / sizeof(*models); i++)
			if (strlen(models[i].id) == n - vl &&
			    !strncmp(models[i].id, id, n - vl) &&
			    !strchr(models[i].id, ':'))
				return &models[i];
	}
	return NULL;
}

const char *mock_provider_of(const char *model_id)
{
	const char *slash = strchr(model_id, '/');
	size_t n = slash ? (size_t)(slash - model_id) : strlen(model_id), i;

	if (!strncasecmp(model_id, "claude", 6))
		return "Anthropic";
	for (i = 0; i < sizeof(providers) / sizeof(*providers); i++)
		if (strlen(providers[i].author) == n &&
		    !strncasecmp(providers[i].author, model_id, n))
			return providers[i].name;
	return "Mock";
}

double mock_price(const char *s)
{
	return s ? strtod(s, NULL) : 0;
}

static json_object *jstr(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

static json_object *strings(const char *const *v, size_t n)
{
	json_object *a = json_object_new_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_object_array_add(a, json_object_new_string(v[i]));
	return a;
}

static json_object *model_item(const mock_model *mm)
{
	static const char *const text[] = {"text"};
	static const char *const params[] = {
		"max_tokens", "temperature", "top_p", "stop", "tools",
		"tool_choice", "response_format", "seed"};
	json_object *o = json_object_new_object(), *a, *p, *t, *l;
	char slug[128], links[192];
	const char *colon;

	snprintf(slug, sizeof(slug), "%s", mm->id);
	colon = strchr(slug, ':');
	if (colon)
		slug[colon - slug] = '\0';
	json_object_object_add(o, "id", jstr(mm->id));
	json_object_object_add(o, "canonical_slug", jstr(slug));
	json_object_object_add(o, "name", jstr(mm->name));
	json_object_object_add(o, "created", json_object_new_int64(mm->created));
	json_object_object_add(o, "description", jstr(mm->description));
	json_object_object_add(o, "context_length",
			       json_object_new_int(mm->context));
	a = json_object_new_object();
	json_object_object_add(a, "modality", jstr("text->text"));
	json_object_object_add(a, "input_modalities", strings(text, 1));
	json_object_object_add(a, "output_modalities", strings(text, 1));
	json_object_object_add(a, "tokenizer", jstr(mm->tokenizer));
	json_object_object_add(a, "instruct_type", jstr(mm->instruct));
	json_object_object_add(o, "architecture", a);
	p = json_object_new_object();
	json_object_object_add(p, "prompt", jstr(mm->prompt));
	json_object_object_add(p, "completion", jstr(mm->completion));
	json_object_object_add(p, "request", jstr("0"));
	json_object_object_add(p, "image", jstr("0"));
	json_object_object_add(o, "pricing", p);
	t = json_object_new_object();
	json_object_object_add(t, "context_length",
			       json_object_new_int(mm->context));
	json_object_object_add(t, "max_completion_tokens",
			       json_object_new_int(mm->max_out));
	json_object_object_add(t, "is_moderated",
			       json_object_new_boolean(mm->moderated));
	json_object_object_add(o, "top_provider", t);
	json_object_object_add(o, "per_request_limits", NULL);
	json_object_object_add(o, "supported_parameters",
			       strings(params, sizeof(params) / sizeof(*params)));
	json_object_object_add(o, "default_parameters", NULL);
	json_object_object_add(o, "expiration_date", NULL);
	json_object_object_add(o, "knowledge_cutoff", NULL);
	json_object_object_add(o, "supported_voices", NULL);
	l = json_object_new_object();
	snprintf(links, sizeof(links), "/api/v1/models/%s/endpoints", mm->id);
	json_object_object_add(l, "details", jstr(links));
	json_object_object_add(o, "links", l);
	return o;
}

/* GET /api/v1/models: no authentication (§3.3: the OpenAPI lists no 401;
 * "returns 200 OK regardless of key validity"). */
enum MHD_Result mock_route_models(mock_req *r)
{
	json_object *root = json_object_new_object(), *data;
	enum MHD_Result res;
	size_t i;

	data = json_object_new_array();
	for (i = 0; i < sizeof(models) / sizeof(*models); i++)
		json_object_array_add(data, model_item(&models[i]));
	json_object_object_add(root, "data", data);
	res = mock_send_json(r, 200, mock_jdump(root));
	json_object_put(root);
	return res;
}
