/* cfg: JSON/JSONC/JSON5, YAML and TOML trees with line numbers, and the
 * FIELD paths of tool profiles.
 *
 * The fixture part reads tests/fixtures/tools/ from the source tree
 * ($ORD_SRCDIR, set by tests/meson.build; else the working directory or
 * its parents) and checks value and line of every FIELD that a
 * data/tools/ profile evaluates on a fixture file: test_profiles_covered
 * fails when a profile gains such a source without an entry below. */
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "lib/cfg.h"

/* ---- helpers ------------------------------------------------------------ */

typedef struct hit {
	ord_cfg_type type;
	char text[256];
	size_t len;
	unsigned line;
	char path[256];
	char tag[64];
	int assign;
} hit;

typedef struct hits {
	hit h[16];
	int n;
} hits;

static int collect(void *arg, const ord_cfg_value *v)
{
	hits *hs = arg;
	hit *h;

	assert_non_null(v->path);
	assert_true(v->line >= 1);
	if (hs->n == 16)
		return 0;
	h = &hs->h[hs->n++];
	memset(h, 0, sizeof(*h));
	h->type = v->type;
	h->len = v->len;
	h->line = v->line;
	h->assign = v->assign;
	if (v->text) {
		assert_int_equal(v->text[v->len], '\0');
		memcpy(h->text, v->text, v->len < 255 ? v->len : 255);
	} else {
		assert_true(v->type == ORD_CFG_OBJECT || v->type == ORD_CFG_ARRAY);
	}
	snprintf(h->path, sizeof(h->path), "%s", v->path);
	if (v->tag)
		snprintf(h->tag, sizeof(h->tag), "%s", v->tag);
	return 0;
}

static int query(const ord_cfg *c, const char *path, hits *hs)
{
	char err[128];
	int n;

	memset(hs, 0, sizeof(*hs));
	n = ord_cfg_query(c, path, collect, hs, err, sizeof(err));
	if (n < 0)
		fail_msg("query '%s': %s", path, err);
	assert_int_equal(n, hs->n);
	return n;
}

static ord_cfg *parse_n(ord_cfg_format f, const char *doc, size_t len)
{
	ord_cfg *c = NULL;
	char err[128];
	unsigned line = 0;
	int rc = ord_cfg_parse(&c, f, doc, len, err, sizeof(err), &line);

	if (rc)
		fail_msg("parse failed at line %u: %s", line, err);
	assert_non_null(c);
	return c;
}

static ord_cfg *parse(ord_cfg_format f, const char *doc)
{
	return parse_n(f, doc, strlen(doc));
}

/* The document must fail at line with a message containing msg, and the
 * message must not quote the document's secret. */
static void parse_err_n(ord_cfg_format f, const char *doc, size_t len,
			unsigned line, const char *msg)
{
	ord_cfg *c = NULL;
	char err[128];
	unsigned eline = 0;
	int rc = ord_cfg_parse(&c, f, doc, len, err, sizeof(err), &eline);

	if (rc != EINVAL)
		fail_msg("expected EINVAL for %.40s..., got %d", doc, rc);
	assert_null(c);
	if (!strstr(err, msg) || eline != line)
		fail_msg("expected line %u '%s', got line %u '%s'", line, msg, eline, err);
	assert_true(err[0] >= 'a' && err[0] <= 'z');
	assert_null(strstr(err, "SECRET"));
}

/* a literal with NUL bytes in it */
#define PARSE_ERR_LIT(f, lit, line, msg) parse_err_n((f), (lit), sizeof(lit) - 1, (line), (msg))

static void parse_err(ord_cfg_format f, const char *doc, unsigned line,
		      const char *msg)
{
	parse_err_n(f, doc, strlen(doc), line, msg);
}

/* One match of path: type, text and line. */
static void expect1(const ord_cfg *c, const char *path, ord_cfg_type type,
		    const char *text, unsigned line)
{
	hits hs;

	if (query(c, path, &hs) != 1)
		fail_msg("'%s': %d matches", path, hs.n);
	if (hs.h[0].type != type || hs.h[0].line != line ||
	    (text && strcmp(hs.h[0].text, text)))
		fail_msg("'%s': type %d line %u '%s'", path, hs.h[0].type,
			 hs.h[0].line, hs.h[0].text);
}

static void expect_none(const ord_cfg *c, const char *path)
{
	hits hs;

	assert_int_equal(query(c, path, &hs), 0);
}

/* ---- fixtures ----------------------------------------------------------- */

static const char *srcdir(void)
{
	static const char *const cand[] = { ".", "..", "../.." };
	const char *s = getenv("ORD_SRCDIR");
	static char buf[4096];
	size_t i;

	if (s && *s)
		return s;
	for (i = 0; i < sizeof(cand) / sizeof(cand[0]); i++) {
		snprintf(buf, sizeof(buf), "%s/tests/fixtures/tools/README.md", cand[i]);
		if (!access(buf, R_OK))
			return cand[i];
	}
	fail_msg("set ORD_SRCDIR to the source tree");
	return NULL;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *b;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	b = malloc((size_t)n + 1);
	assert_non_null(b);
	assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
	b[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return b;
}

static ord_cfg *parse_fixture(const char *rel, ord_cfg_format f)
{
	char path[4096];
	size_t len;
	char *doc;
	ord_cfg *c;

	snprintf(path, sizeof(path), "%s/tests/fixtures/tools/%s", srcdir(), rel);
	doc = slurp(path, &len);
	if (!doc)
		fail_msg("cannot read %s", path);
	c = parse_n(f, doc, len);
	free(doc);
	return c;
}

#define J ORD_CFG_JSON
#define J5 ORD_CFG_JSON5
#define Y ORD_CFG_YAML
#define T ORD_CFG_TOML
#define S ORD_CFG_STRING

typedef struct match {
	unsigned line;
	const char *text;
	const char *path;
	int assign;
} match;

typedef struct expect {
	const char *file;      /* under tests/fixtures/tools/ */
	ord_cfg_format fmt;
	const char *field;
	int count;
	match m[2];
} expect;

static const expect fixtures[] = {
	{ "aider/home/.aider.conf.yml", Y, "api-key", 0, {{0}} },
	{ "aider/home/.aider.conf.yml", Y, "api-key.openrouter", 0, {{0}} },
	{ "aider/home/.aider.conf.yml", Y, "set-env", 0, {{0}} },
	{ "aider/home/.aider.conf.yml", Y, "set-env.OPENROUTER_API_KEY", 0, {{0}} },
	{ "claude-code/home/.claude/settings.json", J, "env.ANTHROPIC_AUTH_TOKEN", 1,
	  {{ 5, "@KEY:ACTIVE_A@", "env.ANTHROPIC_AUTH_TOKEN", 0 }} },
	{ "claude-code/home/.claude/settings.json", J, "env.ANTHROPIC_API_KEY", 1,
	  {{ 6, "", "env.ANTHROPIC_API_KEY", 0 }} },
	{ "claude-code/home/.claude/settings.json", J, "env.ANTHROPIC_BASE_URL", 1,
	  {{ 4, "https://openrouter.ai/api", NULL, 0 }} },
	{ "claude-code/work/.claude/settings.json", J, "env.ANTHROPIC_AUTH_TOKEN", 0, {{0}} },
	{ "claude-code/work/.claude/settings.json", J, "env.ANTHROPIC_API_KEY", 0, {{0}} },
	{ "claude-code/work/.claude/settings.json", J, "env.ANTHROPIC_BASE_URL", 0, {{0}} },
	{ "claude-code-router/home/.claude-code-router/config.json", J,
	  "Providers[name=openrouter].api_key", 1,
	  {{ 10, "$OPENROUTER_API_KEY", "Providers[0].api_key", 0 }} },
	{ "claude-code-router/home/.claude-code-router/config.json", J,
	  "Providers[name=OpenRouter].api_key", 0, {{0}} },
	{ "claude-code-router/home/.claude-code-router/config.json", J,
	  "Providers[name=openrouter].api_base_url", 1,
	  {{ 9, "https://openrouter.ai/api/v1/chat/completions", "Providers[0].api_base_url", 0 }} },
	{ "claude-code-router/home/.claude-code-router/config.json", J,
	  "Providers[name=OpenRouter].api_base_url", 0, {{0}} },
	{ "cline/home/.cline/data/settings/providers.json", J,
	  "providers.openrouter.settings.apiKey", 1, {{ 7, "@KEY:ACTIVE_A@", NULL, 0 }} },
	{ "cline/home/.cline/data/settings/providers.json", J,
	  "providers.openrouter.settings.baseUrl", 0, {{0}} },
	{ "cline/home/.cline/data/secrets.json", J, "openRouterApiKey", 1,
	  {{ 2, "@KEY:DELETED@", "openRouterApiKey", 0 }} },
	{ "codex/home/.codex/config.toml", T, "model_providers.openrouter.env_key", 1,
	  {{ 8, "OPENROUTER_API_KEY", "model_providers.openrouter.env_key", 0 }} },
	{ "codex/home/.codex/config.toml", T, "model_provider", 1, {{ 2, "openrouter", NULL, 0 }} },
	{ "codex/home/.codex/config.toml", T,
	  "model_providers.openrouter.experimental_bearer_token", 0, {{0}} },
	{ "codex/home/.codex/config.toml", T, "model_providers.openrouter.base_url", 1,
	  {{ 7, "https://openrouter.ai/api/v1", NULL, 0 }} },
	{ "continue/home/.continue/config.yaml", Y, "models[provider=openrouter].apiKey", 2,
	  {{ 9, "${{ secrets.OPENROUTER_API_KEY }}", "models[0].apiKey", 0 },
	   { 17, "${{ secrets.OPENROUTER_API_KEY }}", "models[1].apiKey", 0 }} },
	{ "continue/home/.continue/config.yaml", Y, "models[provider=openrouter].apiBase", 1,
	  {{ 8, "https://openrouter.ai/api/v1", "models[0].apiBase", 0 }} },
	{ "crush/home/.local/share/crush/crush.json", J, "providers.openrouter.api_key", 1,
	  {{ 16, "@KEY:ACTIVE_A@", NULL, 0 }} },
	{ "crush/home/.local/share/crush/crush.json", J, "providers.openrouter.base_url", 0, {{0}} },
	{ "crush/home/.config/crush/crush.json", J, "providers.openrouter.api_key", 1,
	  {{ 5, "$OPENROUTER_API_KEY", NULL, 0 }} },
	{ "crush/home/.config/crush/crush.json", J, "providers.openrouter.base_url", 0, {{0}} },
	{ "docker-compose/work/compose.override.yaml", Y,
	  "services.*.environment.OPENROUTER_API_KEY", 1,
	  {{ 4, "@KEY:DELETED@", "services.worker.environment.OPENROUTER_API_KEY", 0 }} },
	{ "docker-compose/work/compose.yaml", Y, "services.*.environment.OPENROUTER_API_KEY", 2,
	  {{ 10, "${OPENROUTER_API_KEY:-}", "services.agent.environment[0]", 1 },
	   { 18, "${OPENROUTER_API_KEY-}", "services.worker.environment.OPENROUTER_API_KEY", 0 }} },
	{ "hermes/home/.hermes/config.yaml", Y, "model.base_url", 1,
	  {{ 4, "https://openrouter.ai/api/v1", NULL, 0 }} },
	{ "hermes/home/.hermes/config.yaml", Y, "model.provider", 1, {{ 2, "openrouter", NULL, 0 }} },
	{ "home-assistant/home/.homeassistant/.storage/core.config_entries", J,
	  "data.entries[domain=open_router].data.api_key", 1,
	  {{ 10, "@KEY:ACTIVE_A@", "data.entries[0].data.api_key", 0 }} },
	{ "kilo-code/home/.config/kilo/kilo.jsonc", J, "provider.openrouter.options.apiKey", 0, {{0}} },
	{ "kilo-code/home/.config/kilo/kilo.jsonc", J, "provider.openrouter.options.baseURL", 1,
	  {{ 8, "https://openrouter.ai/api/v1", NULL, 0 }} },
	{ "kilo-code/home/.local/share/kilo/auth.json", J, "openrouter.key", 1,
	  {{ 4, "@KEY:ACTIVE_A@", NULL, 0 }} },
	{ "kilo-code/home/.kilocode/cli/config.json", J,
	  "providers[provider=openrouter].openRouterApiKey", 1,
	  {{ 10, "@KEY:DELETED@", "providers[0].openRouterApiKey", 0 }} },
	{ "kilo-code/home/.kilocode/cli/config.json", J,
	  "providers[provider=openrouter].openRouterBaseUrl", 0, {{0}} },
	{ "librechat/work/librechat.yaml", Y, "endpoints.custom[name=OpenRouter].apiKey", 1,
	  {{ 10, "${OPENROUTER_KEY}", "endpoints.custom[0].apiKey", 0 }} },
	{ "librechat/work/librechat.yaml", Y, "endpoints.custom[name=OpenRouter].baseURL", 1,
	  {{ 11, "https://openrouter.ai/api/v1", NULL, 0 }} },
	{ "litellm/work/config.yaml", Y,
	  "model_list[litellm_params.model^=openrouter/].litellm_params.api_key", 2,
	  {{ 9, "os.environ/OPENROUTER_API_KEY", "model_list[1].litellm_params.api_key", 0 },
	   { 14, "os.environ/OPENROUTER_API_KEY", "model_list[2].litellm_params.api_key", 0 }} },
	{ "litellm/work/config.yaml", Y,
	  "model_list[litellm_params.model^=openrouter/].litellm_params.api_base", 1,
	  {{ 10, "https://openrouter.ai/api/v1", "model_list[1].litellm_params.api_base", 0 }} },
	{ "litellm/work/config.yaml", Y, "environment_variables.OPENROUTER_API_KEY", 0, {{0}} },
	{ "litellm/work/config.yaml", Y, "environment_variables.OR_API_KEY", 0, {{0}} },
	{ "litellm/work/config.yaml", Y, "litellm_settings.api_key", 0, {{0}} },
	{ "litellm/work/config.yaml", Y, "litellm_settings.api_base", 0, {{0}} },
	{ "llm/home/.config/io.datasette.llm/keys.json", J, "openrouter", 1,
	  {{ 3, "@KEY:ACTIVE_A@", "openrouter", 0 }} },
	{ "openclaw/home/.openclaw/agents/main/agent/auth-profiles.json", J,
	  "profiles[provider=openrouter].key", 1,
	  {{ 7, "@KEY:ACTIVE_A@", "profiles.openrouter:default.key", 0 }} },
	{ "openclaw/home/.openclaw/agents/main/agent/auth-profiles.json", J,
	  "profiles[provider=openrouter].keyRef.id", 0, {{0}} },
	/* openclaw.json is JSON5: the profile's json kind needs ORD_CFG_JSON5 */
	{ "openclaw/home/.openclaw/openclaw.json", J5, "env.OPENROUTER_API_KEY", 0, {{0}} },
	{ "openclaw/home/.openclaw/openclaw.json", J5, "env.vars.OPENROUTER_API_KEY", 0, {{0}} },
	{ "openclaw/home/.openclaw/openclaw.json", J5, "models.providers.openrouter.apiKey", 0, {{0}} },
	{ "openclaw/home/.openclaw/openclaw.json", J5, "models.providers.openrouter.baseUrl", 0, {{0}} },
	{ "opencode/work/opencode.jsonc", J, "provider.openrouter.options.apiKey", 0, {{0}} },
	{ "opencode/work/opencode.jsonc", J, "provider.openrouter.options.baseURL", 1,
	  {{ 8, "https://openrouter.ai/api/v1", "provider.openrouter.options.baseURL", 0 }} },
	{ "opencode/home/.config/opencode/opencode.json", J, "provider.openrouter.options.apiKey", 0, {{0}} },
	{ "opencode/home/.config/opencode/opencode.json", J, "provider.openrouter.options.baseURL", 0, {{0}} },
	{ "opencode/home/.local/share/opencode/auth.json", J, "openrouter.key", 1,
	  {{ 4, "@KEY:ACTIVE_A@", NULL, 0 }} },
	{ "pi/home/.pi/agent/auth.json", J, "openrouter.key", 1,
	  {{ 4, "@KEY:ACTIVE_A@", NULL, 0 }} },
	{ "pi/home/.pi/agent/auth.json", J, "openrouter.type", 1,
	  {{ 3, "api_key", NULL, 0 }} },
	{ "pi/home/.pi/agent/models.json", J, "providers.openrouter.apiKey", 0, {{0}} },
	{ "pi/home/.pi/agent/models.json", J, "providers.openrouter.baseUrl", 1,
	  {{ 4, "https://openrouter.ai/api/v1", NULL, 0 }} },
	{ "qwen-code/home/.qwen/settings.json", J, "env.OPENAI_API_KEY", 0, {{0}} },
	{ "qwen-code/home/.qwen/settings.json", J, "env.OPENAI_BASE_URL", 0, {{0}} },
	{ "qwen-code/home/.qwen/settings.json", J, "security.auth.apiKey", 1,
	  {{ 5, "@KEY:ACTIVE_A@", NULL, 0 }} },
	{ "qwen-code/home/.qwen/settings.json", J, "security.auth.baseUrl", 1,
	  {{ 6, "https://openrouter.ai/api/v1", NULL, 0 }} },
	{ "zed/home/.config/zed/settings.json", J, "language_models.open_router.api_url", 1,
	  {{ 16, "https://openrouter.ai/api/v1", NULL, 0 }} },
	/* not in a profile yet: the examples of the path syntax */
	{ "roo-code/home/Documents/roo-code-settings.json", J,
	  "providerProfiles.apiConfigs.*.openRouterApiKey", 2,
	  {{ 7, "@KEY:ACTIVE_A@", "providerProfiles.apiConfigs.openrouter.openRouterApiKey", 0 },
	   { 14, "@KEY:DELETED@", "providerProfiles.apiConfigs.architect-cheap.openRouterApiKey", 0 }} },
	{ "roo-code/home/.config/Code/User/settings.json", J,
	  "[\"roo-cline.autoImportSettingsPath\"]", 1,
	  {{ 4, "~/Documents/roo-code-settings.json", "[\"roo-cline.autoImportSettingsPath\"]", 0 }} },
	{ "openclaw/home/.openclaw/openclaw.json", J5,
	  "auth.profiles[provider=openrouter].mode", 1,
	  {{ 17, "api_key", "auth.profiles.openrouter:default.mode", 0 }} },
};

static void test_fixture_values_and_lines(void **state)
{
	size_t i;
	int k;

	(void)state;
	for (i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++) {
		const expect *x = &fixtures[i];
		ord_cfg *c = parse_fixture(x->file, x->fmt);
		hits hs;

		if (query(c, x->field, &hs) != x->count)
			fail_msg("%s %s: %d matches, expected %d", x->file, x->field,
				 hs.n, x->count);
		for (k = 0; k < x->count && k < 2; k++) {
			const hit *h = &hs.h[k];
			const match *m = &x->m[k];

			if (h->line != m->line || h->type != S || strcmp(h->text, m->text) ||
			    h->assign != m->assign || (m->path && strcmp(h->path, m->path)))
				fail_msg("%s %s #%d: line %u type %d path %s assign %d",
					 x->file, x->field, k, h->line, h->type, h->path,
					 h->assign);
		}
		ord_cfg_free(c);
	}
}

/* Split a profile line into words ("quoted words" kept whole). */
static int words(char *s, char **w, int max)
{
	int n = 0;

	while (*s && n < max) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			break;
		if (*s == '"') {
			w[n++] = ++s;
			while (*s && *s != '"')
				s++;
		} else {
			w[n++] = s;
			while (*s && *s != ' ' && *s != '\t')
				s++;
		}
		if (*s)
			*s++ = '\0';
	}
	return n;
}

static const expect *find_expect(const char *file, const char *field)
{
	size_t i;

	for (i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++)
		if (!strcmp(fixtures[i].file, file) && !strcmp(fixtures[i].field, field))
			return &fixtures[i];
	return NULL;
}

/* Where a profile PATH lands in the fixture tree of tool id, or NULL. */
static int fixture_of(const char *id, const char *path, char *out, size_t cap)
{
	static const char *const map[][2] = {
		{ "~/", "home/" }, { "<cwd>/", "work/" }, { "<git-root>/", "work/" },
		{ "<xdg-config>/", "home/.config/" }, { "<xdg-data>/", "home/.local/share/" },
	};
	char full[4096];
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		size_t n = strlen(map[i][0]);

		if (strncmp(path, map[i][0], n))
			continue;
		if (snprintf(out, cap, "%s/%s%s", id, map[i][1], path + n) >= (int)cap ||
		    snprintf(full, sizeof(full), "%s/tests/fixtures/tools/%s", srcdir(),
			     out) >= (int)sizeof(full))
			fail_msg("path too long");
		return access(full, R_OK) == 0;
	}
	return 0;
}

static void check_field(const char *id, const char *file, const char *field, int *checked)
{
	const expect *x = find_expect(file, field);
	ord_cfg *c;
	hits hs;

	if (!x)
		fail_msg("profile %s reads %s from fixture %s: add an entry to fixtures[]",
			 id, field, file);
	c = parse_fixture(file, x->fmt);
	assert_int_equal(query(c, field, &hs), x->count);
	ord_cfg_free(c);
	(*checked)++;
}

static void test_profiles_covered(void **state)
{
	char dir[4096], path[4096], line[2048], file[4096];
	struct dirent *de;
	DIR *d;
	int checked = 0;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/data/tools", srcdir());
	d = opendir(dir);
	assert_non_null(d);
	while ((de = readdir(d))) {
		FILE *f;

		if (de->d_name[0] == '.')
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", dir, de->d_name) >= (int)sizeof(path) ||
		    !(f = fopen(path, "r")))
			continue;
		while (fgets(line, sizeof(line), f)) {
			char *w[16];
			int n, i;

			line[strcspn(line, "\r\n")] = '\0';
			if (strncmp(line, "key:", 4) && strncmp(line, "base:", 5))
				continue;
			n = words(strchr(line, ':') + 1, w, 16);
			if (n < 3 || (strcmp(w[0], "json") && strcmp(w[0], "yaml") &&
				      strcmp(w[0], "toml") && strcmp(w[0], "env-indirect")))
				continue;
			if (!fixture_of(de->d_name, w[1], file, sizeof(file)))
				continue;
			check_field(de->d_name, file, w[2], &checked);
			for (i = 3; i < n; i++) {      /* when=FIELD:VALUE reads FIELD */
				char *colon;

				if (strncmp(w[i], "when=", 5) || !(colon = strchr(w[i], ':')))
					continue;
				*colon = '\0';
				check_field(de->d_name, file, w[i] + 5, &checked);
			}
		}
		fclose(f);
	}
	closedir(d);
	assert_true(checked >= 50);
}

static void test_json5_fixture_is_not_json(void **state)
{
	char path[4096];
	size_t len;
	char *doc;

	(void)state;
	snprintf(path, sizeof(path), "%s/tests/fixtures/tools/openclaw/home/.openclaw/openclaw.json",
		 srcdir());
	doc = slurp(path, &len);
	assert_non_null(doc);
	parse_err_n(J, doc, len, 3, "expected a quoted key");
	free(doc);
}

/* ---- JSON --------------------------------------------------------------- */

static void test_jsonc(void **state)
{
	ord_cfg *c;
	hits hs;

	(void)state;
	c = parse(J,
		  "// settings\n"
		  "{\n"
		  "  /* block\n"
		  "     comment */ \"a\": [1, 2,],\n"
		  "  \"b\": {\"c\": \"d\", }, // tail\n"
		  "  \"url\": \"http://x//y/*z*/\",\n"
		  "}\n");
	assert_int_equal(query(c, "a", &hs), 1);
	assert_int_equal(hs.h[0].type, ORD_CFG_ARRAY);
	assert_int_equal(hs.h[0].len, 2);
	assert_int_equal(hs.h[0].line, 4);
	expect1(c, "a[1]", ORD_CFG_NUMBER, "2", 4);
	expect1(c, "b.c", S, "d", 5);
	expect1(c, "url", S, "http://x//y/*z*/", 6);
	ord_cfg_free(c);
}

static void test_json_values(void **state)
{
	ord_cfg *c;
	hits hs;

	(void)state;
	c = parse(J, "\xef\xbb\xbf{\"k\": \"a\\\"\\\\\\/\\n\\u00e9\\ud83d\\ude00\",\n"
		  " \"n\": -1.5e3, \"t\": true, \"z\": null,\n"
		  " \"dup\": \"first\",\r\n \"dup\": \"second\",\r\n"
		  " \"nul\\u0000\": \"x\\u0000y\", \"lone\": \"\\ud800\"}");
	expect1(c, "k", S, "a\"\\/\n\xc3\xa9\xf0\x9f\x98\x80", 1);
	expect1(c, "n", ORD_CFG_NUMBER, "-1.5e3", 2);
	expect1(c, "t", ORD_CFG_BOOL, "true", 2);
	expect1(c, "z", ORD_CFG_NULL, "null", 2);
	/* the last duplicate wins, as in JSON.parse */
	expect1(c, "dup", S, "second", 4);
	assert_int_equal(query(c, "*", &hs), 7);
	assert_int_equal(query(c, "[\"nul\\x00\"]", &hs), 1);
	assert_int_equal(hs.h[0].len, 3);
	assert_memory_equal(hs.h[0].text, "x\0y", 3);
	assert_string_equal(hs.h[0].path, "[\"nul\\x00\"]");
	expect1(c, "lone", S, "\xef\xbf\xbd", 5);
	ord_cfg_free(c);

	c = parse(J, "[\"a\", [true, {\"x\": 1}]]");
	expect1(c, "[1][1].x", ORD_CFG_NUMBER, "1", 1);
	assert_int_equal(query(c, "*", &hs), 2);
	assert_string_equal(hs.h[1].path, "[1]");
	ord_cfg_free(c);

	c = parse(J, "\"just a string\"");
	expect_none(c, "a");
	ord_cfg_free(c);
}

static void test_json5(void **state)
{
	ord_cfg *c;

	(void)state;
	c = parse(J5, "// JSON5\n{\n  unquoted: 'single \\' quote',\n"
		  "  $id_2: 0x1F, half: .5, more: 5., pos: +1, inf: -Infinity,\n"
		  "  cont: 'a\\\nb', hex: '\\x41',\n  \"trailing\": [1,],\n}\n");
	expect1(c, "unquoted", S, "single ' quote", 3);
	expect1(c, "$id_2", ORD_CFG_NUMBER, "0x1F", 4);
	expect1(c, "half", ORD_CFG_NUMBER, ".5", 4);
	expect1(c, "inf", ORD_CFG_NUMBER, "-Infinity", 4);
	expect1(c, "cont", S, "ab", 5);
	expect1(c, "hex", S, "A", 6);
	expect1(c, "trailing[0]", ORD_CFG_NUMBER, "1", 7);
	ord_cfg_free(c);
	parse_err(J, "{'a': 1}", 1, "expected a quoted key");
	parse_err(J, "[.5]", 1, "invalid number");
	parse_err(J, "[0x1]", 1, "invalid number");
}

static void test_json_errors(void **state)
{
	(void)state;
	parse_err(J, "{\n  \"apiKey\": \"sk-or-v1-SECRET\"\n  \"b\": 1\n}", 3,
		  "expected ',' or '}' after a member");
	parse_err(J, "{\n  \"apiKey\" \"sk-or-v1-SECRET\"\n}", 2, "expected ':' after key");
	parse_err(J, "{\n  \"apiKey\": \"sk-or-v1-SECRET\n}", 2, "unterminated string");
	parse_err(J, "{\n  \"a\": 1 /* open\n\n", 2, "unterminated comment");
	parse_err(J, "[1,\n,2]", 2, "expected a value");
	parse_err(J, "{\"a\": [1, 2}", 1, "expected ',' or ']'");
	parse_err(J, "{\"a\": 1}\n}", 2, "unexpected data after the document");
	parse_err(J, "// nothing\n", 2, "empty document");
	parse_err(J, "", 1, "empty document");
	parse_err(J, "{\"a\":\n", 2, "unexpected end of input");
	parse_err(J, "{\"a\": \"\\q\"}", 1, "invalid escape");
	parse_err(J, "{\"a\": \"\\u12G4\"}", 1, "invalid unicode escape");
	/* JSON5: \0 before a digit is no escape (json5 rejects it: no octal) */
	parse_err(J5, "{a: '\\01'}", 1, "invalid escape");
	parse_err(J5, "{a: '\\8'}", 1, "invalid escape");
	parse_err(J, "{\"a\": \"tab\there\"}", 1, "control character");
	parse_err(J, "[01]", 1, "invalid number");
	parse_err(J, "[1.]", 1, "invalid number");
	parse_err(J, "[tru]", 1, "expected a value");
	parse_err(J, "{\n\"a\": \"\xc3\x28\"}", 2, "invalid utf-8");
	parse_err(J, "{\n\"a\": \"\xed\xa0\x80\"}", 2, "invalid utf-8");   /* surrogate */
	parse_err(J, "{\n\"a\": \"\xc0\xaf\"}", 2, "invalid utf-8");       /* overlong */
	PARSE_ERR_LIT(J, "{\"a\":\n \"x\0y\"}", 2, "control character");
	PARSE_ERR_LIT(J, "{\"a\":\n 1}\0", 2, "unexpected data");
}

/* ---- YAML --------------------------------------------------------------- */

static void test_yaml_anchors_and_merges(void **state)
{
	ord_cfg *c;
	hits hs;

	(void)state;
	c = parse(Y,
		  "x-env: &env\n"                          /* 1 */
		  "  OPENROUTER_API_KEY: sk-or-v1-anchor\n" /* 2 */
		  "  LOG: info\n"                          /* 3 */
		  "key: &k plain\n"                        /* 4 */
		  "services:\n"                            /* 5 */
		  "  a:\n"                                 /* 6 */
		  "    environment:\n"                     /* 7 */
		  "      <<: *env\n"                       /* 8 */
		  "      LOG: debug\n"                     /* 9 */
		  "  b:\n"                                 /* 10 */
		  "    environment: *env\n"                /* 11 */
		  "  c:\n"                                 /* 12 */
		  "    environment:\n"                     /* 13 */
		  "      <<: [{LOG: warn}, *env]\n"        /* 14 */
		  "copy: *k\n");                           /* 15 */
	assert_int_equal(query(c, "services.*.environment.OPENROUTER_API_KEY", &hs), 3);
	/* an alias reports the line where the text is written */
	assert_int_equal(hs.h[0].line, 2);
	assert_string_equal(hs.h[0].text, "sk-or-v1-anchor");
	assert_string_equal(hs.h[0].path, "services.a.environment.OPENROUTER_API_KEY");
	assert_string_equal(hs.h[1].path, "services.b.environment.OPENROUTER_API_KEY");
	assert_string_equal(hs.h[2].path, "services.c.environment.OPENROUTER_API_KEY");
	/* explicit keys beat merged ones; earlier merged mappings beat later */
	expect1(c, "services.a.environment.LOG", S, "debug", 9);
	expect1(c, "services.c.environment.LOG", S, "warn", 14);
	expect_none(c, "services.a.environment[\"<<\"]");
	assert_int_equal(query(c, "services.a.environment.*", &hs), 2);
	expect1(c, "copy", S, "plain", 4);
	ord_cfg_free(c);

	/* a key alias, flow style */
	c = parse(Y, "names: [&n apiKey]\nm: {*n : v}\n");
	expect1(c, "m.apiKey", S, "v", 2);
	ord_cfg_free(c);

	parse_err(Y, "a: &a\n  b: *a\n", 2, "recursive alias");
	parse_err(Y, "a: 1\nb: *missing\n", 2, "undefined anchor");
	parse_err(Y, "a:\n  <<: 1\n", 2, "merge key");
}

static void test_yaml_alias_bomb(void **state)
{
	char doc[2048];
	size_t n = 0;
	ord_cfg *c;
	char err[128];
	int i;

	(void)state;
	n += (size_t)snprintf(doc + n, sizeof(doc) - n, "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
	for (i = 1; i < 9; i++)
		n += (size_t)snprintf(doc + n, sizeof(doc) - n,
			"a%d: &a%d [*a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d]\n",
			i, i, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1);
	c = parse(Y, doc);
	/* 10^9 leaves: the walk gives up instead of running for minutes */
	assert_int_equal(ord_cfg_query(c, "a8.*.*.*.*.*.*.*.*.*", NULL, NULL, err, sizeof(err)), -1);
	assert_string_equal(err, "query visits too many nodes");
	assert_int_equal(ord_cfg_query(c, "a2.*.*.*", NULL, NULL, err, sizeof(err)), 1000);
	ord_cfg_free(c);
}

static void test_yaml_scalars(void **state)
{
	ord_cfg *c;
	hits hs;

	(void)state;
	c = parse(Y,
		  "# comment\n"
		  "lit: |\n"                 /* 2 */
		  "  line one\n"
		  "  line two\n"
		  "fold: >-\n"               /* 5 */
		  "  folded\n"
		  "  text\n"
		  "api_key: !secret openrouter_key\n"  /* 8 */
		  "empty:\n"                 /* 9 */
		  "tilde: ~\n"
		  "dq: \"a\\tb\\u00e9\"\n"   /* 11 */
		  "sq: 'it''s'\n"
		  "num: 0x1F\n"              /* 13 */
		  "flt: -1.5e3\n"
		  "yes_str: yes\n"           /* 15 */
		  "bool: True\n"
		  "quoted_num: \"1\"\n"      /* 17 */
		  "multi: first\n"
		  "  second\n"
		  "api-key:\n"               /* 20 */
		  "  - openrouter=sk-or-v1-a\n"
		  "  - openai=sk-b\n");
	expect1(c, "lit", S, "line one\nline two\n", 2);
	expect1(c, "fold", S, "folded text", 5);
	assert_int_equal(query(c, "api_key", &hs), 1);
	assert_string_equal(hs.h[0].tag, "!secret");
	assert_string_equal(hs.h[0].text, "openrouter_key");
	expect1(c, "empty", ORD_CFG_NULL, "", 9);
	expect1(c, "tilde", ORD_CFG_NULL, "~", 10);
	expect1(c, "dq", S, "a\tb\xc3\xa9", 11);
	expect1(c, "sq", S, "it's", 12);
	expect1(c, "num", ORD_CFG_NUMBER, "0x1F", 13);
	expect1(c, "flt", ORD_CFG_NUMBER, "-1.5e3", 14);
	expect1(c, "yes_str", S, "yes", 15);
	expect1(c, "bool", ORD_CFG_BOOL, "True", 16);
	expect1(c, "quoted_num", S, "1", 17);
	expect1(c, "multi", S, "first second", 18);
	/* Aider's api-key list, then its elements through the concrete path */
	assert_int_equal(query(c, "api-key", &hs), 1);
	assert_int_equal(hs.h[0].type, ORD_CFG_ARRAY);
	assert_int_equal(hs.h[0].len, 2);
	assert_int_equal(hs.h[0].line, 20);
	assert_int_equal(query(c, "api-key.*", &hs), 2);
	assert_int_equal(hs.h[1].line, 22);
	expect1(c, "api-key.openrouter", S, "sk-or-v1-a", 21);
	ord_cfg_free(c);
}

static void test_yaml_compose_forms(void **state)
{
	ord_cfg *c;
	hits hs;

	(void)state;
	c = parse(Y,
		  "services:\n"
		  "  list:\n"
		  "    environment:\n"
		  "      - OTHER=1\n"                          /* 4 */
		  "      - OPENROUTER_API_KEY=sk-or=with=eq\n" /* 5 */
		  "      - \"OPENROUTER_API_KEY_2=x\"\n"       /* 6 */
		  "      - OPENROUTER_API_KEY\n"               /* 7 */
		  "      - OPENROUTER_API_KEY=\n"              /* 8 */
		  "  map:\n"
		  "    environment:\n"
		  "      OPENROUTER_API_KEY:\n"                /* 11 */
		  "  flow:\n"
		  "    environment: [OPENROUTER_API_KEY=flow]\n" /* 13 */
		  "  none:\n"
		  "    image: x\n");
	assert_int_equal(query(c, "services.*.environment.OPENROUTER_API_KEY", &hs), 5);
	assert_int_equal(hs.h[0].line, 5);
	assert_string_equal(hs.h[0].text, "sk-or=with=eq");
	assert_string_equal(hs.h[0].path, "services.list.environment[1]");
	assert_int_equal(hs.h[0].assign, 1);
	assert_int_equal(hs.h[1].type, ORD_CFG_NULL);         /* bare NAME */
	assert_int_equal(hs.h[1].line, 7);
	assert_int_equal(hs.h[1].assign, 1);
	assert_int_equal(hs.h[2].type, S);                    /* NAME= */
	assert_int_equal(hs.h[2].len, 0);
	assert_int_equal(hs.h[2].line, 8);
	assert_int_equal(hs.h[3].type, ORD_CFG_NULL);         /* map form, no value */
	assert_int_equal(hs.h[3].line, 11);
	assert_int_equal(hs.h[3].assign, 0);
	assert_string_equal(hs.h[4].text, "flow");
	assert_int_equal(hs.h[4].line, 13);
	/* the list form ends a path */
	expect_none(c, "services.list.environment.OPENROUTER_API_KEY.x");
	ord_cfg_free(c);
}

static void test_yaml_documents(void **state)
{
	ord_cfg *c;
	hits hs;

	(void)state;
	c = parse(Y, "%YAML 1.1\n---\na: 1\n...\n---\na: 2\n--- [broken\n");
	expect1(c, "a", ORD_CFG_NUMBER, "1", 3);
	ord_cfg_free(c);
	c = parse(Y, "");
	assert_int_equal(query(c, "a", &hs), 0);
	ord_cfg_free(c);
	c = parse(Y, "# only a comment\n");
	expect_none(c, "a");
	ord_cfg_free(c);
	c = parse(Y, "a: 1\na: 2\n");     /* PyYAML: the last one wins */
	expect1(c, "a", ORD_CFG_NUMBER, "2", 2);
	ord_cfg_free(c);
}

static void test_yaml_errors(void **state)
{
	(void)state;
	parse_err(Y, "a:\n  b: sk-or-v1-SECRET\n c: 2\n", 3, "did not find expected key");
	parse_err(Y, "a: \"sk-or-v1-SECRET\n", 2, "found unexpected end of stream");
	parse_err(Y, "a: 1\n\tb: 2\n", 2, "tab");
	parse_err(Y, "a: [1, 2\n", 2, "did not find expected");
	parse_err(Y, "? [a]\n: 1\n", 1, "complex mapping keys");
	parse_err(Y, "a: 1\nb: \xff\n", 2, "invalid");
	PARSE_ERR_LIT(Y, "a: 1\nb: x\0y\n", 2, "nul byte");
}

/* ---- TOML --------------------------------------------------------------- */

static void test_toml_tables_and_keys(void **state)
{
	ord_cfg *c;
	hits hs;

	(void)state;
	c = parse(T,
		  "# Codex\n"
		  "model_provider = \"openrouter\"  # trailing comment\n"  /* 2 */
		  "a.b.c = 1\n"                                          /* 3 */
		  "a . b . \"d.e\" = 'lit\\eral'\n"                      /* 4 */
		  "\n"
		  "[model_providers.openrouter]\n"                       /* 6 */
		  "env_key = \"OPENROUTER_API_KEY\"\n"                   /* 7 */
		  "http_headers = { \"X-Title\" = \"t\", x.y = 2 }\n"    /* 8 */
		  "[model_providers.\"open.router\"]\n"                  /* 9 */
		  "base_url = \"https://x\"\n"
		  "[[servers]]\n"                                        /* 11 */
		  "name = \"one\"\n"
		  "[servers.auth]\n"                                     /* 13 */
		  "token = \"t1\"\n"
		  "[[servers]]\n"                                        /* 15 */
		  "name = \"two\"\n"
		  "[x.y.z]\n"                                            /* 17 */
		  "[x]\n"                                                /* 18 */
		  "w = true\n");
	expect1(c, "model_provider", S, "openrouter", 2);
	expect1(c, "a.b.c", ORD_CFG_NUMBER, "1", 3);
	expect1(c, "a.b[\"d.e\"]", S, "lit\\eral", 4);
	assert_int_equal(query(c, "model_providers.openrouter", &hs), 1);
	assert_int_equal(hs.h[0].type, ORD_CFG_OBJECT);
	assert_int_equal(hs.h[0].line, 6);
	expect1(c, "model_providers.openrouter.env_key", S, "OPENROUTER_API_KEY", 7);
	expect1(c, "model_providers.openrouter.http_headers.X-Title", S, "t", 8);
	expect1(c, "model_providers.openrouter.http_headers.x.y", ORD_CFG_NUMBER, "2", 8);
	expect1(c, "model_providers[\"open.router\"].base_url", S, "https://x", 10);
	assert_int_equal(query(c, "model_providers.*", &hs), 2);
	assert_string_equal(hs.h[1].path, "model_providers[\"open.router\"]");
	expect1(c, "servers[name=one].auth.token", S, "t1", 14);
	assert_int_equal(query(c, "servers.*.name", &hs), 2);
	assert_int_equal(hs.h[1].line, 16);
	assert_int_equal(query(c, "servers[1]", &hs), 1);
	assert_int_equal(hs.h[0].line, 15);
	/* an implicit table takes the line of its own header */
	assert_int_equal(query(c, "x", &hs), 1);
	assert_int_equal(hs.h[0].line, 18);
	ord_cfg_free(c);
}

static void test_toml_values(void **state)
{
	ord_cfg *c;

	(void)state;
	c = parse(T,
		  "s = \"tab\\t \\\"q\\\" \\u00e9 \\U0001F600\"\n"  /* 1 */
		  "ml = \"\"\"\n"                                  /* 2 */
		  "first\n"
		  "second \\\n"
		  "    joined\"\"\"\n"
		  "lit = '''\n"                                   /* 6 */
		  "C:\\path\\'''\n"
		  "q5 = \"\"\"two quotes: \"\"\"\"\"\n"           /* 8 */
		  "i = +1_000\n"
		  "h = 0xdead_BEEF\n"                             /* 10 */
		  "o = 0o755\n"
		  "b = 0b1010\n"
		  "f = 6.626e-34\n"                               /* 13 */
		  "inf = -inf\n"
		  "t = false\n"                                   /* 15 */
		  "dt = 1979-05-27 07:32:00.999-07:00\n"
		  "ld = 1979-05-27\n"                             /* 17 */
		  "lt = 07:32:00\n"
		  "arr = [\n"                                     /* 19 */
		  "  \"x\", # comment\n"
		  "  [1, 2],\n"
		  "  { k = \"v\" },\n"
		  "]\n"
		  "after = 1\n");                                 /* 24 */
	expect1(c, "s", S, "tab\t \"q\" \xc3\xa9 \xf0\x9f\x98\x80", 1);
	expect1(c, "ml", S, "first\nsecond joined", 2);
	expect1(c, "lit", S, "C:\\path\\", 6);
	expect1(c, "q5", S, "two quotes: \"\"", 8);
	expect1(c, "i", ORD_CFG_NUMBER, "+1_000", 9);
	expect1(c, "h", ORD_CFG_NUMBER, "0xdead_BEEF", 10);
	expect1(c, "f", ORD_CFG_NUMBER, "6.626e-34", 13);
	expect1(c, "inf", ORD_CFG_NUMBER, "-inf", 14);
	expect1(c, "t", ORD_CFG_BOOL, "false", 15);
	expect1(c, "dt", S, "1979-05-27 07:32:00.999-07:00", 16);
	expect1(c, "ld", S, "1979-05-27", 17);
	expect1(c, "lt", S, "07:32:00", 18);
	expect1(c, "arr[0]", S, "x", 20);
	expect1(c, "arr[1][1]", ORD_CFG_NUMBER, "2", 21);
	expect1(c, "arr[2].k", S, "v", 22);
	expect1(c, "after", ORD_CFG_NUMBER, "1", 24);
	ord_cfg_free(c);

	/* CR LF inside a multi-line string is a newline, "\n" (tomllib and
	 * the Rust toml crate; found by make differential) */
	c = parse(T, "ml = \"\"\"\r\nx\r\ny\"\"\"\r\nlit = '''a\r\nb'''\r\nleap = 2024-02-29\r\n");
	expect1(c, "ml", S, "x\ny", 1);
	expect1(c, "lit", S, "a\nb", 4);
	expect1(c, "leap", S, "2024-02-29", 6);
	ord_cfg_free(c);
}

static void test_toml_errors(void **state)
{
	(void)state;
	parse_err(T, "a = 1\n[t]\nx = 1\n[t]\n", 4, "table defined more than once");
	parse_err(T, "key = \"sk-or-v1-SECRET\"\nkey = 2\n", 2, "duplicate key");
	parse_err(T, "\n\nsk-or-v1-SECRET\n", 3, "expected '=' after key");
	parse_err(T, "x = \"sk-or-v1-SECRET\n", 1, "unterminated string");
	parse_err(T, "x = \"\"\"\nsk-or-v1-SECRET\n", 1, "unterminated string");
	parse_err(T, "x = 1 y = 2\n", 1, "expected a new line");
	parse_err(T, "x =\n", 1, "missing value");
	/* no such day: tomllib rejects the file (found by make differential) */
	parse_err(T, "x = 1\nd = 2021-02-30\n", 2, "invalid value");
	parse_err(T, "d = 2023-02-29T00:00:00Z\n", 1, "invalid value");
	parse_err(T, "d = 2100-02-29\n", 1, "invalid value");
	parse_err(T, "x = sk-or-v1-SECRET\n", 1, "invalid value");
	parse_err(T, "x = 01\n", 1, "invalid value");
	parse_err(T, "x = 1__0\n", 1, "invalid value");
	parse_err(T, "x = 1979-13-01\n", 1, "invalid value");
	parse_err(T, "[a]\nb.c = 1\n[a.b]\n", 3, "table defined more than once");
	parse_err(T, "[a.b]\n[a]\nb.c = 1\n", 3, "dotted key");
	parse_err(T, "a.b = 1\n[a]\n", 2, "table defined more than once");
	parse_err(T, "a = {x = 1}\n[a.y]\n", 2, "goes through a value");
	parse_err(T, "a = {x = 1}\na.y = 2\n", 2, "dotted key");
	parse_err(T, "a = [1]\n[[a]]\n", 2, "array of tables");
	parse_err(T, "[t\n", 1, "expected ']'");
	parse_err(T, "[[t]\n", 1, "expected ']]'");
	parse_err(T, "x = [1 2]\n", 1, "expected ',' or ']'");
	parse_err(T, "a = 1\nx = [\n  1,\n", 2, "unterminated array");
	parse_err(T, "x = {a = 1,\n b = 2}\n", 1, "toml 1.1");
	parse_err(T, "x = {a = 1,}\n", 1, "toml 1.1");
	parse_err(T, "x = \"\\e\"\n", 1, "toml 1.1");
	parse_err(T, "x = \"\\uD800\"\n", 1, "invalid unicode escape");
	parse_err(T, "x = \"\"\"a\"\"\"\"\"\"\n", 1, "too many quotes");
	parse_err(T, "\"\"\"k\"\"\" = 1\n", 1, "multi-line string cannot be a key");
	parse_err(T, "# \x01 control\n", 1, "control character");
	parse_err(T, "a = 1\nb = \"\xff\"\n", 2, "invalid utf-8");
	PARSE_ERR_LIT(T, "a = 1\nb = \"x\0\"\n", 2, "control character");
}

/* ---- robustness --------------------------------------------------------- */

static void test_depth_limits(void **state)
{
	char doc[1024];
	ord_cfg *c;
	int i;

	(void)state;
	for (i = 0; i < 64; i++)
		doc[i] = '[';
	for (i = 0; i < 64; i++)
		doc[64 + i] = ']';
	doc[128] = '\0';
	c = parse(J, doc);
	ord_cfg_free(c);
	doc[64] = '[';
	doc[65] = '\0';
	parse_err(J, doc, 1, "nesting deeper than 64 levels");
	doc[0] = 'a';
	doc[1] = ' ';
	doc[2] = '=';
	doc[3] = ' ';
	for (i = 4; i < 4 + 65; i++)
		doc[i] = '[';
	doc[i] = '\0';
	parse_err(T, doc, 1, "nesting deeper than 64 levels");
	for (i = 0; i < 65; i++)
		doc[i] = '[';
	doc[i] = '\0';
	parse_err(Y, doc, 1, "nesting deeper than 64 levels");
}

static void test_node_limit(void **state)
{
	size_t n = 300000 * 2 + 2, i;
	char *doc = malloc(n + 1);
	ord_cfg *c = NULL;
	char err[128];
	unsigned line;

	(void)state;
	assert_non_null(doc);
	doc[0] = '[';
	for (i = 1; i < n - 1; i += 2) {
		doc[i] = '0';
		doc[i + 1] = ',';
	}
	doc[n - 1] = ']';
	doc[n] = '\0';
	assert_int_equal(ord_cfg_parse(&c, J, doc, n, err, sizeof(err), &line), EINVAL);
	assert_non_null(strstr(err, "too many values"));
	free(doc);
}

static void test_paths(void **state)
{
	static const char *const bad[] = {
		"", "a..b", "a.", ".a", "a[", "a[0", "a[\"x", "a[\"x\"", "a[=x]",
		"a[b]", "a[b=x", "a[\"\\q\"]", "a]b", "a\"b\"", "a[9999999999]",
		"a[b.=x]",
	};
	ord_cfg *c;
	char err[128];
	hits hs;
	size_t i;

	(void)state;
	c = parse(J,
		  "{\"profiles\": {\n"
		  "  \"openrouter:default\": {\"provider\": \"openrouter\", \"key\": \"k1\"},\n"
		  "  \"anthropic:x\": {\"provider\": \"anthropic\", \"key\": \"k2\"}},\n"
		  " \"list\": [{\"m\": {\"id\": \"OpenRouter/x\"}, \"v\": 1},\n"
		  "          {\"m\": {\"id\": \"other\"}, \"v\": 2}, 3, \"s\"],\n"
		  " \"a.b\": {\"\": \"empty name\", \"*\": \"star\"},\n"
		  " \"n\": 7, \"b\": true}\n");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (ord_cfg_query(c, bad[i], collect, &hs, err, sizeof(err)) != -1)
			fail_msg("path '%s' accepted", bad[i]);
		assert_true(err[0] >= 'a' && err[0] <= 'z');
	}
	expect1(c, "profiles[provider=openrouter].key", S, "k1", 2);
	expect1(c, "profiles[provider^=anth].key", S, "k2", 3);
	expect1(c, "list[m.id~=openrouter/X].v", ORD_CFG_NUMBER, "1", 4);
	expect1(c, "list[m.id*=Router].v", ORD_CFG_NUMBER, "1", 4);
	expect1(c, "list[m.\"id\"=\"other\"].v", ORD_CFG_NUMBER, "2", 5);
	expect_none(c, "list[m.id=OpenRouter].v");
	expect1(c, "list[2]", ORD_CFG_NUMBER, "3", 5);
	expect_none(c, "list[4]");
	expect_none(c, "profiles[0]");
	assert_int_equal(query(c, "list[*]", &hs), 4);
	assert_int_equal(query(c, "list.*", &hs), 4);
	expect1(c, "[\"a.b\"][\"\"]", S, "empty name", 6);
	expect1(c, "[\"a.b\"].[\"*\"]", S, "star", 6);
	assert_int_equal(query(c, "[\"a.b\"].*", &hs), 2);
	assert_string_equal(hs.h[0].path, "[\"a.b\"][\"\"]");
	assert_string_equal(hs.h[1].path, "[\"a.b\"][\"*\"]");
	expect_none(c, "n.x");
	expect_none(c, "b[0]");
	/* every concrete path is a query path that finds the same node */
	assert_int_equal(query(c, "*.*", &hs), 8);
	for (i = 0; i < (size_t)hs.n; i++) {
		hits again;

		assert_int_equal(query(c, hs.h[i].path, &again), 1);
		assert_int_equal(again.h[0].line, hs.h[i].line);
		assert_string_equal(again.h[0].path, hs.h[i].path);
	}
	ord_cfg_free(c);
}

static int stop_first(void *arg, const ord_cfg_value *v)
{
	(void)v;
	++*(int *)arg;
	return 1;
}

static void test_query_stop_and_null(void **state)
{
	ord_cfg *c = parse(Y, "a: [1, 2, 3]\n");
	char err[64];
	int calls = 0;

	(void)state;
	assert_int_equal(ord_cfg_query(c, "a.*", stop_first, &calls, err, sizeof(err)), 1);
	assert_int_equal(calls, 1);
	assert_int_equal(ord_cfg_query(c, "a.*", NULL, NULL, err, sizeof(err)), 3);
	assert_int_equal(ord_cfg_query(NULL, "a", NULL, NULL, err, sizeof(err)), 0);
	assert_int_equal(ord_cfg_query(NULL, "a[", NULL, NULL, err, sizeof(err)), -1);
	ord_cfg_free(c);
	ord_cfg_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixture_values_and_lines),
		cmocka_unit_test(test_profiles_covered),
		cmocka_unit_test(test_json5_fixture_is_not_json),
		cmocka_unit_test(test_jsonc),
		cmocka_unit_test(test_json_values),
		cmocka_unit_test(test_json5),
		cmocka_unit_test(test_json_errors),
		cmocka_unit_test(test_yaml_anchors_and_merges),
		cmocka_unit_test(test_yaml_alias_bomb),
		cmocka_unit_test(test_yaml_scalars),
		cmocka_unit_test(test_yaml_compose_forms),
		cmocka_unit_test(test_yaml_documents),
		cmocka_unit_test(test_yaml_errors),
		cmocka_unit_test(test_toml_tables_and_keys),
		cmocka_unit_test(test_toml_values),
		cmocka_unit_test(test_toml_errors),
		cmocka_unit_test(test_depth_limits),
		cmocka_unit_test(test_node_limit),
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_query_stop_and_null),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
