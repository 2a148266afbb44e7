/* check: the offline checks.  Each looks at the discovered hits and raises
 * findings (cause, score, summary, fix).
 *
 * Scores rank the verdict.  The base score says how surely a cause breaks
 * the request; a hit in the process environment gets a bonus because that
 * is what a tool started from this shell receives, and a hit that a later
 * line of the same file overrides gets a malus because nobody reads it.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "diag_internal.h"

enum {
	BONUS_ENV = 20,
	MALUS_SHADOWED = 30,
	SCORE_FOREIGN = 60,
	SCORE_EMPTY = 55,
	SCORE_MALFORMED = 55,
	SCORE_NO_KEY = 50,
	SCORE_WRONG_NAME = 50,
	SCORE_WHITESPACE = 45,
	SCORE_SHELL_VS_DOTENV = 45,
	SCORE_NETRC_MACHINE = 45,
	SCORE_DUPLICATE = 40,
	SCORE_NETRC_DEFAULT = 35,
	SCORE_WRONG_ENDPOINT = 30,
	SCORE_STALE_SHELL = 35,
};

static const ord_check_def defs[] = {
	{"credentials", "OpenRouter keys found",
	 "key_missing_or_empty", 0},
	{"empty_values", "No empty, placeholder or unexpanded values",
	 "key_missing_or_empty", 0},
	{"key_format", "Keys are sk-or-v1- plus 64 hex digits",
	 "key_malformed_or_truncated", 0},
	{"whitespace", "No quotes, whitespace or invisible characters in keys",
	 "key_whitespace_or_quoting", 0},
	{"foreign_keys", "No other vendor's key where an OpenRouter key belongs",
	 "key_from_wrong_provider,request_sent_to_wrong_endpoint", 0},
	{"variable_names", "Keys sit in variables that tools read",
	 "wrong_env_var_or_config_field", 0},
	{"shadowing", "Every variable holds one key wherever it is set",
	 "env_precedence_shadowing", 0},
	{"netrc", "No ~/.netrc entry replaces the Bearer key",
	 "netrc_overrides_bearer", 0},
	{"env_origin", "Where the environment's keys come from", "", 0},
	{"base_urls", "Base URLs point at OpenRouter's API",
	 "wrong_base_url_path,http_redirect_drops_auth,request_sent_to_wrong_endpoint,proxy_not_forwarding_auth", 0},
	{"tools", "Each tool sends a working key to OpenRouter",
	 "tool_stale_stored_key,env_precedence_shadowing,wrong_env_var_or_config_field,request_sent_to_wrong_endpoint,wrong_auth_scheme_for_endpoint", 0},
	{"network", "The API host can be reached (DNS, TCP, TLS, HTTP; proxy named)", "", 1},
	{"key_status", "Keys accepted by OpenRouter",
	 "key_revoked_expired_or_unknown,tool_stale_stored_key,management_key_used_for_inference,per_key_credit_limit,openrouter_incident", 1},
};

const ord_check_def *ord_check_defs(size_t *n)
{
	*n = sizeof(defs) / sizeof(*defs);
	return defs;
}

static const char *title_of(const char *id)
{
	size_t i;

	for (i = 0; i < sizeof(defs) / sizeof(*defs); i++)
		if (!strcmp(defs[i].id, id))
			return defs[i].title;
	return id;
}

static ord_check *new_check(ord_diag *d, const char *id)
{
	return ord_diag_check(d, id, title_of(id));
}

static int effective(const ord_hit *h)
{
	return !(h->flags & ORD_HIT_SHADOWED_IN_FILE);
}

static int score_of(const ord_hit *h, int base)
{
	if (h->kind == ORD_SRC_ENV)
		base += BONUS_ENV;
	if (!effective(h))
		base -= MALUS_SHADOWED;
	return base;
}

static const ord_varspec *spec_of(const ord_hit *h)
{
	return h->name ? ord_var_lookup(h->name, strlen(h->name)) : NULL;
}

/* A variable that holds nothing but OpenRouter keys (slot=openrouter). */
static int openrouter_slot(const ord_hit *h)
{
	const ord_varspec *s = spec_of(h);

	return h->role == ORD_ROLE_KEY && s && s->openrouter_only;
}

/* Could this value be meant as an OpenRouter key? */
static int meant_for_openrouter(const ord_hit *h)
{
	uint32_t l = h->key.lint;

	return openrouter_slot(h) ||
	       ord_value_looks_like_openrouter_key(h->key.norm, h->key.norm_len) ||
	       (l & (ORD_LINT_BIT(ORD_LINT_TRUNCATED) |
		     ORD_LINT_BIT(ORD_LINT_PREFIX_TYPO)));
}

static void lint_list(const ord_key *k, uint32_t mask, ord_buf *b)
{
	int l, first = 1;

	for (l = 0; l < ORD_LINT_COUNT; l++)
		if (k->lint & mask & ORD_LINT_BIT(l)) {
			ord_buf_addf(b, "%s%s", first ? "" : "; ", ord_lint_text(l));
			first = 0;
		}
}

/* Where to fix a hit: for an environment variable, the startup file that
 * sets it when we know one. */
static char *fix_place(const ord_ctx *ctx, const ord_diag *d, const ord_hit *h)
{
	if (h->kind == ORD_SRC_ENV && h->origin >= 0)
		return ord_diag_where(ctx, &d->hits.v[h->origin]);
	if (h->kind == ORD_SRC_ENV) {
		ord_buf b = ORD_BUF_INIT(512);
		ord_buf_addf(&b, "whatever exports %s: no startup file does, so a parent process, IDE or secret wrapper", h->name);
		return ord_buf_detach(&b, NULL);
	}
	return ord_diag_where(ctx, h);
}

static void check_credentials(ord_ctx *ctx, ord_diag *d)
{
	ord_check *c = new_check(d, "credentials");
	size_t i, good = 0, places = 0, near = 0;

	(void)ctx;
	for (i = 0; i < d->nkeys; i++) {
		ord_hit *h = &d->hits.v[d->keys[i].hits[0]];
		if (h->key.shape == ORD_SHAPE_VALID || h->key.shape == ORD_SHAPE_FIXABLE) {
			good++;
			places += d->keys[i].nhits;
		}
	}
	for (i = 0; i < d->hits.n; i++)
		if (d->hits.v[i].role == ORD_ROLE_NEAR_MISS ||
		    d->hits.v[i].role == ORD_ROLE_STRAY)
			near++;
	if (good) {
		ord_check_set(c, ORD_ST_OK, "%zu distinct OpenRouter key%s in %zu place%s",
			      good, good == 1 ? "" : "s", places, places == 1 ? "" : "s");
		return;
	}
	ord_check_set(c, ORD_ST_FAIL, "no usable OpenRouter key in any variable or file a tool reads");
	if (!near)
		ord_diag_finding(d, "key_missing_or_empty", SCORE_NO_KEY, -1,
				 "Create a key at https://openrouter.ai/settings/keys and put it where your tool reads it, e.g. `export OPENROUTER_API_KEY=...` in ~/.bashrc (ordoctor tools lists each tool's places).",
				 "No OpenRouter key was found in the environment, the startup files or the .env files.");
}

static void check_empty(ord_ctx *ctx, ord_diag *d)
{
	ord_check *c = new_check(d, "empty_values");
	size_t i;

	for (i = 0; i < d->hits.n; i++) {
		ord_hit *h = &d->hits.v[i];
		char red[ORD_REDACT_MAX];
		char *where, *fix;
		ord_buf fb = ORD_BUF_INIT(2048);
		int slot = openrouter_slot(h) ||
			   (h->name && !strcmp(h->name, "ANTHROPIC_AUTH_TOKEN"));

		if (h->role != ORD_ROLE_KEY || (h->flags & ORD_HIT_COMMAND))
			continue;
		if (!(h->flags & ORD_HIT_EMPTY_EXPANSION) &&
		    !(slot && (h->key.shape == ORD_SHAPE_EMPTY ||
			       h->key.shape == ORD_SHAPE_PLACEHOLDER)))
			continue;
		ord_key_redact(&h->key, red);
		where = ord_diag_where(ctx, h);
		fix = fix_place(ctx, d, h);
		if (h->flags & ORD_HIT_EMPTY_EXPANSION) {
			ord_check_set(c, effective(h) ? ORD_ST_FAIL : ORD_ST_WARN,
				      "%s expands to an empty value", h->name);
			ord_check_evidence(c, "%s in %s: %s", h->name, where,
					   h->note ? h->note : "empty expansion");
			ord_buf_addf(&fb, "In %s, define the variable it refers to on an earlier line (or put the key itself there).", fix);
			ord_diag_finding(d, "key_missing_or_empty",
					 score_of(h, SCORE_EMPTY), (long)i, ord_buf_str(&fb),
					 "%s in %s expands a variable that is not set yet, so it is empty.",
					 h->name, where);
		} else if (h->key.shape == ORD_SHAPE_EMPTY) {
			ord_check_set(c, effective(h) ? ORD_ST_FAIL : ORD_ST_WARN,
				      "%s is set but empty", h->name);
			ord_check_evidence(c, "%s in %s: empty", h->name, where);
			ord_buf_addf(&fb, "Put your key from https://openrouter.ai/settings/keys into %s (%s), or remove the empty assignment.", h->name, fix);
			ord_diag_finding(d, "key_missing_or_empty",
					 score_of(h, SCORE_EMPTY), (long)i, ord_buf_str(&fb),
					 "%s is set but empty in %s.", h->name, where);
		} else {
			ord_check_set(c, effective(h) ? ORD_ST_FAIL : ORD_ST_WARN,
				      "%s holds a placeholder, not a key", h->name);
			ord_check_evidence(c, "%s in %s: %s", h->name, where, red);
			ord_buf_addf(&fb, "Replace %s with your key from https://openrouter.ai/settings/keys in %s.", red, fix);
			ord_diag_finding(d, "key_missing_or_empty",
					 score_of(h, SCORE_EMPTY - 5), (long)i, ord_buf_str(&fb),
					 "%s in %s is the placeholder %s, not a key.",
					 h->name, where, red);
		}
		free(where);
		free(fix);
		ord_buf_release(&fb);
	}
	if (!c->message)
		ord_check_set(c, ORD_ST_OK, "no empty or placeholder values");
}

/* key_format and whitespace: the same walk, different shapes. */
static void check_shape(ord_ctx *ctx, ord_diag *d, const char *id,
			ord_key_shape shape)
{
	ord_check *c = new_check(d, id);
	const uint32_t cosmetic =
		ORD_LINT_BIT(ORD_LINT_QUOTES) | ORD_LINT_BIT(ORD_LINT_WHITESPACE) |
		ORD_LINT_BIT(ORD_LINT_CRLF) | ORD_LINT_BIT(ORD_LINT_LINE_BREAK) |
		ORD_LINT_BIT(ORD_LINT_ZERO_WIDTH) |
		ORD_LINT_BIT(ORD_LINT_BEARER_PREFIX);
	size_t i, n = 0;

	for (i = 0; i < d->hits.n; i++) {
		ord_hit *h = &d->hits.v[i];
		ord_buf why = ORD_BUF_INIT(1024), fb = ORD_BUF_INIT(2048);
		char red[ORD_REDACT_MAX], *where, *fix;

		if (h->role == ORD_ROLE_BASE_URL || h->role == ORD_ROLE_NETRC ||
		    h->key.shape != shape || (h->flags & ORD_HIT_COMMAND) ||
		    !meant_for_openrouter(h))
			continue;
		n++;
		ord_key_redact(&h->key, red);
		where = ord_diag_where(ctx, h);
		fix = fix_place(ctx, d, h);
		lint_list(&h->key, shape == ORD_SHAPE_FIXABLE ? cosmetic : ~cosmetic, &why);
		ord_check_set(c, effective(h) ? ORD_ST_FAIL : ORD_ST_WARN, "%s in %s: %s",
			      h->name, where, ord_buf_str(&why));
		ord_check_evidence(c, "%s %s in %s: %s%s", h->name, red, where,
				   ord_buf_str(&why),
				   effective(h) ? "" : " (a later line overrides it)");
		if (shape == ORD_SHAPE_FIXABLE) {
			ord_buf_addf(&fb, "Remove the extra characters in %s so that %s is exactly the key (%s).",
				     fix, h->name, red);
			ord_diag_finding(d, "key_whitespace_or_quoting",
					 score_of(h, SCORE_WHITESPACE), (long)i,
					 ord_buf_str(&fb), "%s in %s is a key with extra characters: %s.",
					 h->name, where, ord_buf_str(&why));
		} else {
			ord_buf_addf(&fb, "Copy the key again from https://openrouter.ai/settings/keys into %s (%s).",
				     h->name, fix);
			ord_diag_finding(d, "key_malformed_or_truncated",
					 score_of(h, SCORE_MALFORMED), (long)i,
					 ord_buf_str(&fb), "%s in %s (%s) is not a whole OpenRouter key: %s.",
					 h->name, where, red, ord_buf_str(&why));
		}
		free(where);
		free(fix);
		ord_buf_release(&why);
		ord_buf_release(&fb);
	}
	if (!n)
		ord_check_set(c, ORD_ST_OK, shape == ORD_SHAPE_FIXABLE ?
			      "no key carries quotes, whitespace or invisible characters" :
			      "every key is well-formed");
}

/* Is some base-URL variable of this family pointed at OpenRouter? */
static int family_points_to_openrouter(const ord_diag *d, const char *prefix)
{
	size_t i;

	for (i = 0; i < d->hits.n; i++) {
		const ord_hit *h = &d->hits.v[i];
		if (h->role == ORD_ROLE_BASE_URL && !strncmp(h->name, prefix, strlen(prefix)) &&
		    strstr(h->key.norm, "openrouter.ai"))
			return 1;
	}
	return 0;
}

static void check_foreign(ord_ctx *ctx, ord_diag *d)
{
	ord_check *c = new_check(d, "foreign_keys");
	int openai_base = family_points_to_openrouter(d, "OPENAI_");
	int anthropic_base = family_points_to_openrouter(d, "ANTHROPIC_");
	size_t i;

	for (i = 0; i < d->hits.n; i++) {
		ord_hit *h = &d->hits.v[i];
		char red[ORD_REDACT_MAX], *where, *fix;
		ord_buf fb = ORD_BUF_INIT(2048);
		int openai = h->name && !strncmp(h->name, "OPENAI_API_KEY", 14);
		int anthropic = h->name && !strncmp(h->name, "ANTHROPIC_", 10);

		if (h->role != ORD_ROLE_KEY || (h->flags & ORD_HIT_COMMAND))
			continue;
		ord_key_redact(&h->key, red);
		where = ord_diag_where(ctx, h);
		fix = fix_place(ctx, d, h);
		if (h->key.shape == ORD_SHAPE_FOREIGN &&
		    (openrouter_slot(h) || (openai && openai_base) ||
		     (anthropic && anthropic_base))) {
			ord_check_set(c, effective(h) ? ORD_ST_FAIL : ORD_ST_WARN,
				      "%s holds %s key", h->name, ord_provider_name(h->key.provider));
			ord_check_evidence(c, "%s %s in %s: %s key", h->name, red,
					   where, ord_provider_name(h->key.provider));
			ord_buf_addf(&fb, "Put your OpenRouter key from https://openrouter.ai/settings/keys into %s (%s); it holds %s key now.",
				     h->name, fix, ord_provider_name(h->key.provider));
			ord_diag_finding(d, "key_from_wrong_provider",
					 score_of(h, SCORE_FOREIGN), (long)i,
					 ord_buf_str(&fb), "%s in %s holds %s key (%s), not an OpenRouter key.",
					 h->name, where, ord_provider_name(h->key.provider), red);
		} else if (ord_key_is_openrouter(&h->key) && effective(h) &&
			   ((openai && !openai_base) ||
			    (anthropic && !anthropic_base))) {
			const char *base = openai ? "OPENAI_BASE_URL" : "ANTHROPIC_BASE_URL";
			const char *url = openai ? "https://openrouter.ai/api/v1" :
						   "https://openrouter.ai/api";
			ord_check_set(c, ORD_ST_WARN, "an OpenRouter key in %s, but no %s points at OpenRouter",
				      h->name, base);
			ord_check_evidence(c, "%s %s in %s", h->name, red, where);
			ord_buf_addf(&fb, "Set %s=%s next to %s (or pass the base URL in code).",
				     base, url, fix);
			ord_diag_finding(d, "request_sent_to_wrong_endpoint",
					 score_of(h, SCORE_WRONG_ENDPOINT), (long)i,
					 ord_buf_str(&fb),
					 "%s in %s holds an OpenRouter key, but no %s points at OpenRouter: clients that read it send the key to %s.",
					 h->name, where, base,
					 openai ? "api.openai.com" : "api.anthropic.com");
		}
		free(where);
		free(fix);
		ord_buf_release(&fb);
	}
	if (!c->message)
		ord_check_set(c, ORD_ST_OK, "no other vendor's key in an OpenRouter slot");
}

static void check_names(ord_ctx *ctx, ord_diag *d)
{
	ord_check *c = new_check(d, "variable_names");
	size_t i, j;
	int have_slot_key = 0;

	for (j = 0; j < d->hits.n; j++)
		if (openrouter_slot(&d->hits.v[j]) && effective(&d->hits.v[j]) &&
		    (d->hits.v[j].key.shape == ORD_SHAPE_VALID ||
		     d->hits.v[j].key.shape == ORD_SHAPE_FIXABLE))
			have_slot_key = 1;
	for (i = 0; i < d->hits.n; i++) {
		ord_hit *h = &d->hits.v[i];
		char red[ORD_REDACT_MAX], *where;
		ord_buf fb = ORD_BUF_INIT(2048);

		if ((h->role != ORD_ROLE_NEAR_MISS && h->role != ORD_ROLE_STRAY) ||
		    h->key.shape == ORD_SHAPE_EMPTY)
			continue;
		ord_key_redact(&h->key, red);
		where = ord_diag_where(ctx, h);
		if (h->role == ORD_ROLE_STRAY) {
			ord_check_evidence(c, "%s %s in %s: no known tool reads this name",
					   h->name, red, where);
			if (!c->message)
				ord_check_set(c, ORD_ST_OK, "a key also sits in other variables (listed below)");
		} else {
			ord_check_set(c, have_slot_key ? ORD_ST_WARN : ORD_ST_FAIL,
				      "%s is not a name any tool reads", h->name);
			ord_check_evidence(c, "%s %s in %s", h->name, red, where);
			ord_buf_addf(&fb, "Rename %s to OPENROUTER_API_KEY (%s); the llm tool and LibreChat read OPENROUTER_KEY.",
				     h->name, where);
			ord_diag_finding(d, "wrong_env_var_or_config_field",
					 have_slot_key ? 10 : score_of(h, SCORE_WRONG_NAME),
					 (long)i, ord_buf_str(&fb),
					 "The key %s sits in %s (%s), a name no tool reads.",
					 red, h->name, where);
		}
		free(where);
		ord_buf_release(&fb);
	}
	if (!c->message)
		ord_check_set(c, ORD_ST_OK, "no key in a misspelt variable");
}

static const ord_hit *shell_value(const ord_diag *d, const char *name)
{
	size_t i;
	const ord_hit *rc = NULL;

	for (i = 0; i < d->hits.n; i++) {
		const ord_hit *h = &d->hits.v[i];
		if (strcmp(h->name ? h->name : "", name))
			continue;
		if (h->kind == ORD_SRC_ENV)
			return h;
		if (h->kind == ORD_SRC_RC && effective(h) && (h->flags & ORD_HIT_EXPORTED))
			rc = h;
	}
	return rc;
}

static void check_shadowing(ord_ctx *ctx, ord_diag *d)
{
	ord_check *c = new_check(d, "shadowing");
	size_t i, j;

	for (i = 0; i < d->hits.n; i++) {
		ord_hit *h = &d->hits.v[i];
		const ord_hit *sh;
		char ra[ORD_REDACT_MAX], rb[ORD_REDACT_MAX], *wa, *wb;
		ord_buf fb = ORD_BUF_INIT(2048);

		if (h->role != ORD_ROLE_KEY || (h->flags & ORD_HIT_COMMAND))
			continue;
		/* (a) the same name twice in one file, different keys */
		if (h->kind != ORD_SRC_ENV && effective(h)) {
			for (j = 0; j < i; j++) {
				ord_hit *o = &d->hits.v[j];
				if (o->kind != h->kind || strcmp(o->path, h->path) ||
				    strcmp(o->name, h->name) || ord_key_equal(&o->key, &h->key))
					continue;
				ord_key_redact(&o->key, ra);
				ord_key_redact(&h->key, rb);
				wa = ord_diag_where(ctx, o);
				wb = ord_diag_where(ctx, h);
				ord_check_set(c, ORD_ST_FAIL, "%s is set twice with different keys in one file", h->name);
				ord_check_evidence(c, "%s %s in %s, overridden by %s in %s",
						   h->name, ra, wa, rb, wb);
				ord_buf_addf(&fb, "Keep one %s in %s: delete the stale line (%s or %s).",
					     h->name, h->path, wa, wb);
				ord_diag_finding(d, "env_precedence_shadowing",
						 SCORE_DUPLICATE, (long)i, ord_buf_str(&fb),
						 "%s is set twice with different keys: %s in %s and %s in %s; the last one wins.",
						 h->name, ra, wa, rb, wb);
				free(wa);
				free(wb);
				ord_buf_reset(&fb);
				break;
			}
		}
		/* (b) the shell and a .env disagree */
		if (h->kind == ORD_SRC_DOTENV && effective(h) &&
		    (sh = shell_value(d, h->name)) && !ord_key_equal(&sh->key, &h->key)) {
			char *fs;

			ord_key_redact(&sh->key, ra);
			ord_key_redact(&h->key, rb);
			wa = ord_diag_where(ctx, sh);
			wb = ord_diag_where(ctx, h);
			fs = fix_place(ctx, d, sh);
			ord_check_set(c, ORD_ST_FAIL, "the shell and a .env file give %s different values", h->name);
			if (sh->key.shape == ORD_SHAPE_EMPTY) {
				ord_check_evidence(c, "%s is exported empty (%s) and hides %s in %s from python-dotenv and Node dotenv",
						   h->name, wa, rb, wb);
				ord_buf_addf(&fb, "Remove the empty export of %s (%s) so that %s is used.",
					     h->name, fs, wb);
				ord_diag_finding(d, "env_precedence_shadowing",
						 SCORE_SHELL_VS_DOTENV + 5, (long)i, ord_buf_str(&fb),
						 "%s is exported but empty in the shell (%s); python-dotenv and Node dotenv never override it, so the key in %s is not used.",
						 h->name, wa, wb);
			} else {
				ord_check_evidence(c, "%s: %s from the shell (%s), %s from %s",
						   h->name, ra, wa, rb, wb);
				ord_buf_addf(&fb, "Keep one key: update or delete %s, or the value from %s.",
					     wb, fs);
				ord_diag_finding(d, "env_precedence_shadowing",
						 SCORE_SHELL_VS_DOTENV, (long)i, ord_buf_str(&fb),
						 "Your shell sets %s to %s (%s) but %s holds %s: python-dotenv and Node dotenv keep the shell's key, while Aider, Hermes, Codex and Continue let the .env win (ordoctor check --tool NAME tells which one a tool sends).",
						 h->name, ra, wa, wb, rb);
			}
			free(wa);
			free(wb);
			free(fs);
		}
		/* (c) this shell's environment is older than the startup file */
		if (h->kind == ORD_SRC_ENV && h->origin < 0) {
			for (j = 0; j < d->hits.n; j++) {
				ord_hit *r = &d->hits.v[j];
				if (r->kind != ORD_SRC_RC || !effective(r) ||
				    strcmp(r->name, h->name) || ord_key_equal(&r->key, &h->key))
					continue;
				ord_key_redact(&h->key, ra);
				ord_key_redact(&r->key, rb);
				wb = ord_diag_where(ctx, r);
				ord_check_set(c, ORD_ST_WARN, "the environment's %s differs from the startup files", h->name);
				ord_check_evidence(c, "%s is %s here, but %s sets %s",
						   h->name, ra, wb, rb);
				ord_buf_addf(&fb, "Open a new shell (or `source` the file) after changing %s, or remove whatever else exports %s.",
					     wb, h->name);
				ord_diag_finding(d, "env_precedence_shadowing",
						 SCORE_STALE_SHELL, (long)i, ord_buf_str(&fb),
						 "This shell has %s=%s, but %s sets %s: the shell was started before the change, or something else exports it.",
						 h->name, ra, wb, rb);
				free(wb);
				break;
			}
		}
		ord_buf_release(&fb);
	}
	if (!c->message)
		ord_check_set(c, ORD_ST_OK, "no variable holds different keys in different places");
}

static void check_netrc(ord_ctx *ctx, ord_diag *d)
{
	ord_check *c = new_check(d, "netrc");
	size_t i;

	for (i = 0; i < d->hits.n; i++) {
		ord_hit *h = &d->hits.v[i];
		char *where;
		ord_buf fb = ORD_BUF_INIT(1024);
		int def = !strcmp(h->name, "default");

		if (h->role != ORD_ROLE_NETRC)
			continue;
		where = ord_diag_where(ctx, h);
		ord_check_set(c, ORD_ST_FAIL, "%s has a%s entry that applies to openrouter.ai",
			      h->path, def ? " default" : " machine");
		ord_check_evidence(c, "%s %s in %s", def ? "default" : "machine", h->name, where);
		ord_buf_addf(&fb, "Remove the %s entry in %s (python-requests then sends the Bearer key again).",
			     def ? "default" : h->name, where);
		ord_diag_finding(d, "netrc_overrides_bearer",
				 def ? SCORE_NETRC_DEFAULT : SCORE_NETRC_MACHINE, (long)i,
				 ord_buf_str(&fb),
				 "The %s entry in %s makes python-requests send Basic auth to openrouter.ai instead of your Bearer key.",
				 def ? "default" : h->name, where);
		free(where);
		ord_buf_release(&fb);
	}
	if (!c->message)
		ord_check_set(c, ORD_ST_OK, "no ~/.netrc entry for openrouter.ai or default");
}

static void check_env_origin(ord_ctx *ctx, ord_diag *d)
{
	ord_check *c = new_check(d, "env_origin");
	size_t i, n = 0;

	for (i = 0; i < d->hits.n; i++) {
		ord_hit *h = &d->hits.v[i];
		char red[ORD_REDACT_MAX], *where;

		if (h->kind != ORD_SRC_ENV || h->role != ORD_ROLE_KEY)
			continue;
		n++;
		ord_key_redact(&h->key, red);
		if (h->origin >= 0) {
			where = ord_diag_where(ctx, &d->hits.v[h->origin]);
			ord_check_evidence(c, "%s %s: set by %s", h->name, red, where);
			free(where);
		} else
			ord_check_evidence(c, "%s %s: %s", h->name, red,
					   h->note ? h->note : "origin unknown");
	}
	if (n)
		ord_check_set(c, ORD_ST_OK, "%zu key variable%s in the environment", n, n == 1 ? "" : "s");
	else
		ord_check_set(c, ORD_ST_OK, "no key variable in the environment");
}

void ord_run_offline_checks(ord_ctx *ctx, ord_diag *d)
{
	check_credentials(ctx, d);
	check_empty(ctx, d);
	check_shape(ctx, d, "key_format", ORD_SHAPE_MALFORMED);
	check_shape(ctx, d, "whitespace", ORD_SHAPE_FIXABLE);
	check_foreign(ctx, d);
	check_names(ctx, d);
	check_shadowing(ctx, d);
	check_netrc(ctx, d);
	check_env_origin(ctx, d);
}
