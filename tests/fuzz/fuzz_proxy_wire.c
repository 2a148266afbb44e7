/* libFuzzer target for the proxy's analysis of a request and its answer
 * (lib/proxy_wire.c): what arrives from any local client and any upstream,
 * before a line is printed about it.  ord_proxy_wire_request() on fuzzed
 * Authorization and x-api-key headers, URI and body, then
 * ord_proxy_wire_answer() on a fuzzed status and answer body, then the
 * record's JSON, against facts that hold keys (so matching and prediction
 * run).
 *
 * Input: the six parts separated by lines "@@": Authorization, x-api-key,
 * URI, request body, status (decimal), answer body; a missing part is an
 * absent header or an empty body.  Seed corpus: tests/fuzz/corpus/proxy_wire.
 * Checked: nothing crashes (ASan), the JSON is strict, and every string of
 * the record is already gated: the gate finds nothing more to change in it
 * (no key, no control character, valid UTF-8). */
#include <json-c/json.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/facts.h"
#include "lib/gate.h"
#include "lib/proxy_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(x) do { if (!(x)) abort(); } while (0)

static ord_ctx ctx;
static ord_facts facts;
static int ready;

/* Facts with keys to match against: fake keys in the environment of a
 * home that does not exist. */
static void init(void)
{
	static char *envp[] = {
		(char *)"OPENROUTER_API_KEY=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",
		(char *)"OPENAI_API_KEY=sk-or-v1-0000000000000000000000000000000000000000000000000000000000000dea",
		(char *)"ANTHROPIC_API_KEY=sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789",
		(char *)"OPENROUTER_BASE_URL=http://127.0.0.1:9/api/v1",
		NULL,
	};

	if (ord_ctx_init(&ctx, envp, "/nonexistent-fuzz-home", "/nonexistent-fuzz-home"))
		abort();
	ctx.offline = 1;
	ord_facts_init(&facts);
	if (ord_facts_gather(&ctx, &facts))
		abort();
	ready = 1;
}

static void gated(const char *s, size_t cap)
{
	char *g;

	CHECK(strnlen(s, cap) < cap);
	g = ord_gate_dup(s, strlen(s));
	CHECK(g && !strcmp(g, s));
	free(g);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char sep[] = "\n@@\n";
	static const char *const tools[] = {NULL, "aider", "claude-code", "openai-sdk", "cline"};
	char *part[6] = {NULL};
	size_t plen[6] = {0}, n = 0;
	const char *p = (const char *)data, *end = p + size;
	ord_proxy_config cfg;
	ord_proxy_record rec;
	json_object *o;
	json_tokener *tok;
	const char *js;
	long status;
	int i;

	if (!ready)
		init();
	if (size > 64 * 1024)
		return 0;
	while (n < 6) {
		const char *s = memmem(p, (size_t)(end - p), sep, sizeof(sep) - 1);
		size_t l = s ? (size_t)(s - p) : (size_t)(end - p);

		part[n] = malloc(l + 1);
		if (!part[n])
			goto out;
		memcpy(part[n], p, l);
		part[n][l] = '\0';
		plen[n++] = l;
		if (!s)
			break;
		p = s + sizeof(sep) - 1;
	}
	ord_proxy_config_init(&cfg);
	cfg.facts = &facts;
	cfg.tool = tools[size % (sizeof(tools) / sizeof(*tools))];
	memset(&rec, 0, sizeof(rec));
	rec.predicted = rec.cred.match = rec.other.match = -1;
	/* Headers and the URI as MHD hands them over: C strings. */
	ord_proxy_wire_request(&cfg, n > 0 ? part[0] : NULL, n > 1 ? part[1] : NULL,
			       n > 2 ? part[2] : "/", n > 3 ? part[3] : NULL, n > 3 ? plen[3] : 0,
			       &rec);
	status = n > 4 ? strtol(part[4], NULL, 10) % 1000 : 0;
	if (status < 0)
		status = -status;
	ord_proxy_wire_answer(&cfg, status, n > 5 ? part[5] : NULL, n > 5 ? plen[5] : 0, &rec);
	gated(rec.path, sizeof(rec.path));
	gated(rec.model, sizeof(rec.model));
	gated(rec.message, sizeof(rec.message));
	gated(rec.problem, sizeof(rec.problem));
	gated(rec.error, sizeof(rec.error));
	gated(rec.cred.redacted, sizeof(rec.cred.redacted));
	gated(rec.other.redacted, sizeof(rec.other.redacted));
	o = ord_proxy_record_json(&rec, &facts);
	CHECK(o);
	js = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
	tok = json_tokener_new();
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	{
		json_object *back = json_tokener_parse_ex(tok, js, (int)strlen(js) + 1);

		CHECK(back && json_tokener_get_error(tok) == json_tokener_success);
		json_object_put(back);
	}
	json_tokener_free(tok);
	json_object_put(o);
out:
	for (i = 0; i < 6; i++)
		free(part[i]);
	return 0;
}
