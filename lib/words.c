/* words: every sentence of a diagnosis, from a claim's story and the facts
 * it names.  Rules decide; this file only tells (see words.h). */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "rules.h"
#include "words.h"

typedef struct wctx {
	const ord_ctx *ctx;
	const ord_facts *f;
	ord_diag *d;
} wctx;

static const ord_hit *hit_of(const wctx *w, long i)
{
	return ord_facts_hit(w->f, i);
}

static void where(const wctx *w, long i, ord_buf *b)
{
	const ord_hit *h = hit_of(w, i);

	if (h)
		ord_hit_where(w->ctx, h, b);
	else
		ord_buf_adds(b, "?");
}

void ord_words_fix_place(const ord_ctx *ctx, const ord_facts *f, long i, ord_buf *b)
{
	const ord_hit *h = ord_facts_hit(f, i);

	if (!h) {
		ord_buf_adds(b, "?");
		return;
	}
	if (h->kind == ORD_SRC_ENV && h->origin >= 0)
		h = &f->hits.v[h->origin];
	if (h->kind == ORD_SRC_ENV)
		ord_buf_addf(b, "%s in the environment (no startup file sets it: a parent process, an IDE or a secret wrapper does)",
			     h->name);
	else {
		ord_hit_where(ctx, h, b);
		if (h->kind == ORD_SRC_CONFIG && h->name)
			ord_buf_addf(b, " (%s)", h->name);
	}
}

static void fix_place(const wctx *w, long i, ord_buf *b)
{
	ord_words_fix_place(w->ctx, w->f, i, b);
}

/* "OPENROUTER_API_KEY (~/.bashrc line 3)"; the place alone when it
 * already names the variable (a value set outside any startup file). */
static void name_at(const wctx *w, long i, ord_buf *b)
{
	const ord_hit *h = ord_facts_hit(w->f, i);

	if (h && h->kind == ORD_SRC_ENV && h->origin < 0) {
		fix_place(w, i, b);
		return;
	}
	ord_buf_addf(b, "%s (", h && h->name ? h->name : "the key");
	fix_place(w, i, b);
	ord_buf_adds(b, ")");
}

/* "~/.env line 3, the environment": every place of a key. */
static void places_of(const wctx *w, long row, ord_buf *b)
{
	const ord_keyrow *k;
	size_t j;

	if (row < 0) {
		ord_buf_adds(b, "?");
		return;
	}
	k = &w->f->keys[row];
	for (j = 0; j < k->nhits; j++) {
		if (j)
			ord_buf_adds(b, ", ");
		ord_hit_where(w->ctx, &w->f->hits.v[k->hits[j]], b);
	}
}

static void redact(const ord_hit *h, char out[ORD_REDACT_MAX])
{
	if (h)
		ord_key_redact(&h->key, out);
	else
		strcpy(out, "?");
}

static const char *live_text(const ord_keyrow *k)
{
	if (!k)
		return "not checked";
	switch (k->live) {
	case ORD_LIVE_VALID:
		return k->has_info && k->info.is_management_key ? "a management key" : "valid";
	case ORD_LIVE_INVALID: return "rejected by OpenRouter";
	case ORD_LIVE_UNKNOWN: return "not checked: no answer";
	default:
		return k->why == ORD_WHY_OFFLINE ? "not checked: offline" : "not checked";
	}
}

static const ord_keyrow *row_at(const wctx *w, long row)
{
	return row >= 0 && (size_t)row < w->f->nkeys ? &w->f->keys[row] : NULL;
}

static const ord_keyrow *row_of(const wctx *w, long hit)
{
	return row_at(w, ord_facts_row_of_hit(w->f, hit));
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

static const uint32_t cosmetic =
	ORD_LINT_BIT(ORD_LINT_QUOTES) | ORD_LINT_BIT(ORD_LINT_WHITESPACE) |
	ORD_LINT_BIT(ORD_LINT_CRLF) | ORD_LINT_BIT(ORD_LINT_LINE_BREAK) |
	ORD_LINT_BIT(ORD_LINT_ZERO_WIDTH) | ORD_LINT_BIT(ORD_LINT_BEARER_PREFIX);

/* The four texts of a claim, built in buffers and detached at the end. */
typedef struct texts {
	ord_buf head, ev, sum, fix;
} texts;

static ord_url_form form_of(const ord_hit *h)
{
	return h->name && !strncmp(h->name, "ANTHROPIC_", 10) ? ORD_URL_ANTHROPIC :
								ORD_URL_OPENAI;
}

static void url_flags_text(uint32_t flags, ord_buf *b)
{
	unsigned i;
	int first = 1;

	for (i = 0; i < ORD_URLF_COUNT; i++)
		if (flags & (1u << i)) {
			ord_buf_addf(b, "%s%s", first ? "" : "; ", ord_url_flag_text(1u << i));
			first = 0;
		}
}

/* ---- places and keys ------------------------------------------------------ */

static void words_hit(const wctx *w, const ord_claim *c, texts *t)
{
	const ord_hit *h = hit_of(w, c->hit), *o = hit_of(w, c->other);
	ord_buf wh = ORD_BUF_INIT(4096), fx = ORD_BUF_INIT(4096), why = ORD_BUF_INIT(2048);
	ord_buf wo = ORD_BUF_INIT(4096);
	char red[ORD_REDACT_MAX], ro[ORD_REDACT_MAX];
	const char *name = h && h->name ? h->name : "the key";

	redact(h, red);
	redact(o, ro);
	if (h) {
		where(w, c->hit, &wh);
		fix_place(w, c->hit, &fx);
	}
	if (o)
		where(w, c->other, &wo);
	switch (c->story) {
	case ORD_STORY_EMPTY_EXPANSION:
		ord_buf_addf(&t->head, "%s expands to an empty value", name);
		ord_buf_addf(&t->ev, "%s in %s: %s", name, ord_buf_str(&wh),
			     h->note ? h->note : "empty expansion");
		ord_buf_addf(&t->sum, "%s in %s expands a variable that is not set yet, so it is empty.",
			     name, ord_buf_str(&wh));
		ord_buf_addf(&t->fix, "In %s, define the variable it refers to on an earlier line (or put the key itself there).",
			     ord_buf_str(&fx));
		break;
	case ORD_STORY_EMPTY:
		ord_buf_addf(&t->head, "%s is set but empty", name);
		ord_buf_addf(&t->ev, "%s in %s: empty%s", name, ord_buf_str(&wh),
			     c->cert == ORD_CERT_NOTE ? " (another place sets a key; only loaders that let this place win get the empty value)" : "");
		ord_buf_addf(&t->sum, "%s is set but empty in %s.", name, ord_buf_str(&wh));
		ord_buf_adds(&t->fix, "Put your key from https://openrouter.ai/settings/keys into ");
		name_at(w, c->hit, &t->fix);
		ord_buf_adds(&t->fix, ", or remove the empty assignment.");
		break;
	case ORD_STORY_PLACEHOLDER:
		ord_buf_addf(&t->head, "%s holds a placeholder, not a key", name);
		ord_buf_addf(&t->ev, "%s in %s: %s", name, ord_buf_str(&wh), red);
		ord_buf_addf(&t->sum, "%s in %s is the placeholder %s, not a key.", name,
			     ord_buf_str(&wh), red);
		ord_buf_addf(&t->fix, "Replace %s with your key from https://openrouter.ai/settings/keys in %s.",
			     red, ord_buf_str(&fx));
		break;
	case ORD_STORY_MALFORMED:
	case ORD_STORY_FIXABLE: {
		int fixable = c->story == ORD_STORY_FIXABLE;
		lint_list(&h->key, fixable ? cosmetic : ~cosmetic, &why);
		ord_buf_addf(&t->head, "%s in %s: %s", name, ord_buf_str(&wh), ord_buf_str(&why));
		ord_buf_addf(&t->ev, "%s %s in %s: %s%s", name, red, ord_buf_str(&wh), ord_buf_str(&why),
			     c->reach == ORD_REACH_UNREAD ? " (a later line overrides it)" : "");
		if (fixable) {
			ord_buf_addf(&t->sum, "%s in %s is a key with extra characters: %s.", name,
				     ord_buf_str(&wh), ord_buf_str(&why));
			ord_buf_addf(&t->fix, "Remove the extra characters in %s so that %s is exactly the key (%s).",
				     ord_buf_str(&fx), name, red);
		} else {
			ord_buf_addf(&t->sum, "%s in %s (%s) is not a whole OpenRouter key: %s.", name,
				     ord_buf_str(&wh), red, ord_buf_str(&why));
			ord_buf_adds(&t->fix, "Copy the key again from https://openrouter.ai/settings/keys into ");
			name_at(w, c->hit, &t->fix);
			ord_buf_adds(&t->fix, ".");
		}
		break;
	}
	case ORD_STORY_FOREIGN: {
		const char *prov = ord_provider_name(h->key.provider);
		ord_buf_addf(&t->head, "%s holds %s key", name, prov);
		ord_buf_addf(&t->ev, "%s %s in %s: %s key", name, red, ord_buf_str(&wh), prov);
		ord_buf_addf(&t->sum, "%s in %s holds %s key (%s), not an OpenRouter key.", name,
			     ord_buf_str(&wh), prov, red);
		ord_buf_adds(&t->fix, "Put your OpenRouter key from https://openrouter.ai/settings/keys into ");
		name_at(w, c->hit, &t->fix);
		ord_buf_addf(&t->fix, "; it holds %s key now.", prov);
		break;
	}
	case ORD_STORY_NO_BASE: {
		int openai = !strncmp(name, "OPENAI_", 7);
		const char *base = openai ? "OPENAI_BASE_URL" : "ANTHROPIC_BASE_URL";
		ord_buf_addf(&t->head, "an OpenRouter key in %s, but no %s points at OpenRouter", name, base);
		ord_buf_addf(&t->ev, "%s %s in %s", name, red, ord_buf_str(&wh));
		ord_buf_addf(&t->sum, "%s in %s holds an OpenRouter key, but no %s points at OpenRouter: clients that read it send the key to %s.",
			     name, ord_buf_str(&wh), base, openai ? "api.openai.com" : "api.anthropic.com");
		ord_buf_addf(&t->fix, "Set %s=%s next to %s (or pass the base URL in code).", base,
			     openai ? "https://openrouter.ai/api/v1" : "https://openrouter.ai/api",
			     ord_buf_str(&fx));
		break;
	}
	case ORD_STORY_NEAR_MISS:
		ord_buf_addf(&t->head, "%s is not a name any tool reads", name);
		ord_buf_addf(&t->ev, "%s %s in %s", name, red, ord_buf_str(&wh));
		ord_buf_addf(&t->sum, "The key %s sits in %s (%s), a name no tool reads.", red, name,
			     ord_buf_str(&wh));
		ord_buf_addf(&t->fix, "Rename %s to OPENROUTER_API_KEY (%s); the llm tool and LibreChat read OPENROUTER_KEY.",
			     name, ord_buf_str(&wh));
		break;
	case ORD_STORY_DUP_IN_FILE:
		ord_buf_addf(&t->head, "%s is set twice with different keys in one file", name);
		ord_buf_addf(&t->ev, "%s %s in %s, overridden by %s in %s", name, ro, ord_buf_str(&wo),
			     red, ord_buf_str(&wh));
		ord_buf_addf(&t->sum, "%s is set twice with different keys: %s in %s and %s in %s; the last one wins.",
			     name, ro, ord_buf_str(&wo), red, ord_buf_str(&wh));
		if (c->cert == ORD_CERT_OBSERVED)
			ord_buf_addf(&t->fix, "Delete %s (%s, rejected by OpenRouter): the earlier line %s holds the key that works.",
				     ord_buf_str(&wh), red, ord_buf_str(&wo));
		else
			ord_buf_addf(&t->fix, "Keep one %s in %s: delete the stale line (%s or %s).", name,
				     h->path, ord_buf_str(&wo), ord_buf_str(&wh));
		break;
	case ORD_STORY_SHELL_EMPTY:
		ord_buf_addf(&t->head, "the shell and a .env file give %s different values", name);
		ord_buf_addf(&t->ev, "%s is exported empty (%s) and hides %s in %s from python-dotenv and Node dotenv",
			     name, ord_buf_str(&wh), ro, ord_buf_str(&wo));
		ord_buf_addf(&t->sum, "%s is exported but empty in the shell (%s); python-dotenv and Node dotenv never override it, so the key in %s is not used.",
			     name, ord_buf_str(&wh), ord_buf_str(&wo));
		ord_buf_addf(&t->fix, "Remove the empty export of %s (%s) so that %s is used.", name,
			     ord_buf_str(&fx), ord_buf_str(&wo));
		break;
	case ORD_STORY_SHELL_VS_DOTENV:
		ord_buf_addf(&t->head, "the shell and a .env file give %s different %s", name,
			     c->cert == ORD_CERT_NOTE ? "keys" : "values");
		ord_buf_addf(&t->ev, "%s: %s from the shell (%s), %s from %s", name, red,
			     ord_buf_str(&wh), ro, ord_buf_str(&wo));
		ord_buf_addf(&t->sum, "Your shell sets %s to %s (%s) but %s holds %s: python-dotenv and Node dotenv keep the shell's key, while Aider, Hermes, Codex and Continue let the .env win (ordoctor check --tool NAME tells which one a tool sends).",
			     name, red, ord_buf_str(&wh), ord_buf_str(&wo), ro);
		ord_buf_addf(&t->fix, "Keep one key: update or delete %s, or the value from %s.",
			     ord_buf_str(&wo), ord_buf_str(&fx));
		break;
	case ORD_STORY_STALE_SHELL:
		ord_buf_addf(&t->head, "the environment's %s differs from the startup files", name);
		ord_buf_addf(&t->ev, "%s is %s here, but %s sets %s", name, red, ord_buf_str(&wo), ro);
		ord_buf_addf(&t->sum, "This shell has %s=%s, but %s sets %s: the shell was started before the change, or something else exports it.",
			     name, red, ord_buf_str(&wo), ro);
		ord_buf_addf(&t->fix, "Open a new shell (or `source` the file) after changing %s, or remove whatever else exports %s.",
			     ord_buf_str(&wo), name);
		break;
	case ORD_STORY_NETRC: {
		int def = !strcmp(name, "default");
		ord_buf_addf(&t->head, "a ~/.netrc %s entry applies to openrouter.ai", def ? "default" : "machine");
		if (def)
			ord_buf_addf(&t->ev, "default entry in %s", ord_buf_str(&wh));
		else
			ord_buf_addf(&t->ev, "machine %s in %s", name, ord_buf_str(&wh));
		ord_buf_addf(&t->sum, "The %s entry in %s makes python-requests send Basic auth to openrouter.ai instead of your Bearer key.",
			     def ? "default" : name, ord_buf_str(&wh));
		ord_buf_addf(&t->fix, "Remove the %s entry in %s (python-requests then sends the Bearer key again).",
			     def ? "default" : name, ord_buf_str(&wh));
		break;
	}
	case ORD_STORY_URL_LINT: {
		ord_url_lint l;
		ord_url_lint_check(h->key.norm, form_of(h), &l);
		url_flags_text(l.flags, &why);
		ord_buf_addf(&t->head, "%s is wrong: %s", name, ord_buf_str(&why));
		ord_buf_addf(&t->ev, "%s=%s (%s): %s", name, h->key.norm, ord_buf_str(&wh), ord_buf_str(&why));
		ord_buf_addf(&t->sum, "%s=%s (%s): %s.", name, h->key.norm, ord_buf_str(&wh), ord_buf_str(&why));
		if (*l.expected)
			ord_buf_addf(&t->fix, "Set %s=%s (%s).", name, l.expected, ord_buf_str(&fx));
		else
			ord_buf_addf(&t->fix, "Correct %s (%s).", name, ord_buf_str(&fx));
		break;
	}
	case ORD_STORY_URL_HTML:
	case ORD_STORY_URL_REDIRECT: {
		const ord_base_probe *p = &w->f->bases[c->other].probe;
		ord_url_lint l;
		ord_url_lint_check(h->key.norm, form_of(h), &l);
		if (c->story == ORD_STORY_URL_HTML) {
			ord_buf_addf(&t->head, "%s answers with a web page, not the API", name);
			ord_buf_addf(&t->ev, "GET %s: %ld %s", p->url, p->status, p->content_type);
			ord_buf_addf(&t->sum, "%s=%s (%s) reaches a web page (HTTP %ld, %s), not OpenRouter's API: the path is wrong.",
				     name, h->key.norm, ord_buf_str(&wh), p->status, p->content_type);
		} else {
			ord_buf_addf(&t->head, "%s redirects", name);
			ord_buf_addf(&t->ev, "GET %s: %ld to %s (not followed)", p->url, p->status, p->location);
			ord_buf_addf(&t->sum, "%s=%s (%s) answers %ld with a redirect to %s: fetch-based clients drop the Authorization header on it, others turn POST into GET.",
				     name, h->key.norm, ord_buf_str(&wh), p->status, p->location);
		}
		if (*l.expected)
			ord_buf_addf(&t->fix, "Set %s=%s (%s).", name, l.expected, ord_buf_str(&fx));
		break;
	}
	default:
		break;
	}
	ord_buf_release(&wh);
	ord_buf_release(&wo);
	ord_buf_release(&fx);
	ord_buf_release(&why);
}

static void words_key(const wctx *w, const ord_claim *c, texts *t)
{
	const ord_keyrow *k = row_at(w, c->row), *alt = row_at(w, c->other);
	const ord_key_info *in = k ? &k->info : NULL;
	ord_buf pl = ORD_BUF_INIT(8192);

	places_of(w, c->row, &pl);
	switch (c->story) {
	case ORD_STORY_DEAD:
		ord_buf_addf(&t->head, "OpenRouter rejects %s", k->redacted);
		ord_buf_addf(&t->ev, "%s (%s): %ld %s", k->redacted, ord_buf_str(&pl), k->http_status,
			     k->message);
		ord_buf_addf(&t->sum, "OpenRouter rejects the key %s (%s): %ld \"%s\"; it is deleted, revoked (leaked keys are revoked automatically), expired or disabled.",
			     k->redacted, ord_buf_str(&pl), k->http_status, k->message);
		ord_buf_addf(&t->fix, "Create a new key at https://openrouter.ai/settings/keys and replace %s everywhere it is stored: %s.",
			     k->redacted, ord_buf_str(&pl));
		if (alt)
			ord_buf_addf(&t->fix, " %s is valid and could be used instead.", alt->redacted);
		break;
	case ORD_STORY_KEY_ANSWER:
		ord_buf_addf(&t->head, "%s: %ld %s", k->redacted, k->http_status, k->message);
		ord_buf_addf(&t->ev, "%s: could not tell: %s", k->redacted, k->message);
		ord_buf_addf(&t->sum, "Asking OpenRouter about %s gave no answer about the key: %s.",
			     k->redacted, k->message);
		break;
	case ORD_STORY_MANAGEMENT:
		ord_buf_addf(&t->head, "%s is a management key", k->redacted);
		ord_buf_addf(&t->sum, "%s (%s) is a management key: it manages keys and credits but cannot call completion endpoints.",
			     k->redacted, ord_buf_str(&pl));
		ord_buf_addf(&t->fix, "Create an inference key at https://openrouter.ai/settings/keys and put it in these places instead: %s.",
			     ord_buf_str(&pl));
		break;
	case ORD_STORY_LIMIT:
		ord_buf_addf(&t->head, "%s has used up its spend limit", k->redacted);
		ord_buf_addf(&t->sum, "%s (%s) has used its whole limit ($%.2f of $%.2f): requests get 403 \"Key limit exceeded\" or 402.",
			     k->redacted, ord_buf_str(&pl), in->usage, in->limit);
		ord_buf_addf(&t->fix, "Raise or remove this key's limit at https://openrouter.ai/settings/keys (account credits do not lift it).");
		break;
	case ORD_STORY_EXPIRING: {
		long long days = (long long)((in->expires - w->f->now) / 86400);
		ord_buf_addf(&t->head, "%s expires within 7 days (%s, in %lld day%s)", k->redacted,
			     in->expires_at, days, days == 1 ? "" : "s");
		ord_buf_addf(&t->sum, "%s (%s) expires on %s, in %lld day%s.", k->redacted,
			     ord_buf_str(&pl), in->expires_at, days, days == 1 ? "" : "s");
		ord_buf_addf(&t->fix, "Create a new key at https://openrouter.ai/settings/keys before then and put it in: %s.",
			     ord_buf_str(&pl));
		break;
	}
	case ORD_STORY_INCIDENT: {
		size_t i, n = 0;
		for (i = 0; i < w->f->nkeys; i++)
			if (w->f->keys[i].openrouter)
				n++;
		ord_buf_adds(&t->head, "every key is refused, including one that worked recently");
		ord_buf_addf(&t->sum, "Every key (%zu) now gets \"User not found.\", including one that OpenRouter accepted in the last 7 days: this looks like an OpenRouter incident, not %zu dead keys.",
			     n, n);
		ord_buf_adds(&t->fix, "Wait and retry; check https://status.openrouter.ai. Do not rotate keys yet.");
		break;
	}
	case ORD_STORY_CHAT: {
		const ord_chat_probe *p = &w->f->chat.p;
		const char *msg = *p->error.message ? p->error.message : p->reason;
		ord_buf_addf(&t->head, "%s with %s: %ld %s", p->model, k->redacted, p->http_status, msg);
		if (*p->error.provider)
			ord_buf_addf(&t->ev, "provider %s: %s", p->error.provider,
				     *p->error.raw_message ? p->error.raw_message : p->error.raw);
		ord_buf_addf(&t->sum, "A completion with %s (model %s) fails: %ld \"%s\"%s%s.",
			     k->redacted, p->model, p->http_status, msg,
			     *p->error.provider ? " from provider " : "", p->error.provider);
		break;
	}
	default:
		break;
	}
	ord_buf_release(&pl);
}

/* ---- one tool ---------------------------------------------------------------- */

/* "Export it as OPENROUTER_KEY (the variable llm reads), or put it in
 * keys.json": the variables a tool reads, then its first file. */
static void suggest_place(const ord_profile *p, ord_buf *fix)
{
	size_t i, nenv = 0;
	const ord_psrc *file = NULL;

	for (i = 0; i < p->nkeys; i++) {
		const ord_psrc *s = &p->keys[i];
		if (s->kind == ORD_PSRC_ENV) {
			ord_buf_addf(fix, "%s%s", nenv++ ? " or " : "Export it as ", s->field);
		} else if (s->kind != ORD_PSRC_STORE && s->path && s->path[0] != '$' && s->path[0] != '/' &&
			   (!file || (file->path[0] != '~' && s->path[0] == '~')))
			file = s; /* a place in the home reads best */
	}
	if (nenv)
		ord_buf_addf(fix, " (the variable%s %s reads)", nenv > 1 ? "s" : "", p->name);
	if (file)
		ord_buf_addf(fix, "%s%s %s in %s", nenv ? ", or put it as " : "Put it as ",
			     file->kind == ORD_PSRC_DOTENV ? "the variable" : "the field",
			     file->field, file->path);
	ord_buf_adds(fix, nenv || file ? "; `ordoctor tools` lists every place." :
					 "`ordoctor tools` lists the places it reads.");
}

/* How to change the winner's store: by hand, or the tool's own way. */
static void change_store(const wctx *w, const ord_tool_res *t, const ord_cand *cd,
			 const char *newkey, ord_buf *fix)
{
	ord_buf at = ORD_BUF_INIT(4096);

	fix_place(w, cd->hit, &at);
	if (cd->edit && cd->edit->how == ORD_EDIT_UI)
		ord_buf_addf(fix, "%s keeps this key itself (%s): do not edit the file; %s%s%s.",
			     t->p->name, ord_buf_str(&at), cd->edit->text,
			     newkey ? ", with the key " : "", newkey ? newkey : "");
	else if (cd->edit && cd->edit->how == ORD_EDIT_COMMAND)
		ord_buf_addf(fix, "Run `%s`%s%s to replace the key %s keeps in %s.", cd->edit->text,
			     newkey ? " with the key " : "", newkey ? newkey : "", t->p->name,
			     ord_buf_str(&at));
	else
		ord_buf_addf(fix, "Delete or update %s%s%s.", ord_buf_str(&at),
			     newkey ? " with the key " : "", newkey ? newkey : "");
	ord_buf_release(&at);
}

static void words_tool(const wctx *w, const ord_claim *c, texts *t)
{
	const ord_tool_res *tr = &w->f->tools->v[c->tool];
	const char *tool = tr->p->name;
	const ord_cand *win = tr->win >= 0 ? &tr->keys[tr->win] : NULL;
	const ord_hit *h = hit_of(w, c->hit), *o = hit_of(w, c->other);
	const ord_keyrow *k = row_of(w, c->hit), *ko = row_of(w, c->other);
	ord_buf wh = ORD_BUF_INIT(4096), wo = ORD_BUF_INIT(4096), fx = ORD_BUF_INIT(4096);
	char red[ORD_REDACT_MAX], ro[ORD_REDACT_MAX];
	const char *name = h && h->name ? h->name : "a key";

	redact(h, red);
	redact(o, ro);
	if (h) {
		where(w, c->hit, &wh);
		fix_place(w, c->hit, &fx);
	}
	if (o)
		where(w, c->other, &wo);
	/* "Aider uses OPENROUTER_API_KEY from ~/.env line 3 (sk-…, rejected)" */
	if (win && h && c->hit == win->hit && c->story != ORD_STORY_TOOL_AUTH_SCHEME &&
	    c->story != ORD_STORY_TOOL_URL && c->story != ORD_STORY_TOOL_ENDPOINT) {
		ord_buf_addf(&t->sum, "%s uses %s from %s", tool, name, ord_buf_str(&wh));
		if (win->via >= 0) {
			ord_buf_adds(&t->sum, " (through ");
			where(w, win->via, &t->sum);
			ord_buf_adds(&t->sum, ")");
		}
		ord_buf_addf(&t->sum, " (%s, %s)", red, live_text(k));
	}
	switch (c->story) {
	case ORD_STORY_TOOL_NO_KEY:
		if (h) {
			ord_buf_addf(&t->sum, "%s finds no key: the empty %s in %s, which it loads over the environment, hides the key exported in the shell.",
				     tool, name, ord_buf_str(&wh));
			ord_buf_addf(&t->fix, "Remove the empty %s line in %s, or put the key there.", name,
				     ord_buf_str(&fx));
		} else {
			ord_buf_addf(&t->sum, "%s finds no OpenRouter key in any place it reads.", tool);
			suggest_place(tr->p, &t->fix);
		}
		break;
	case ORD_STORY_TOOL_EMPTY_ABOVE: {
		const ord_hit *e = hit_of(w, c->hit);
		ord_buf_addf(&t->sum, "%s looks first at %s, which is empty: %s in %s expands a variable that is not set yet",
			     tool, e && e->name ? e->name : "a key", e && e->name ? e->name : "it", ord_buf_str(&wh));
		if (o) {
			ord_buf_addf(&t->sum, "; so %s falls back to %s from ", tool, o->name ? o->name : "another key");
			where(w, c->other, &t->sum);
			if (o->key.shape == ORD_SHAPE_FOREIGN)
				ord_buf_addf(&t->sum, " (%s, %s key)", ro, ord_provider_name(o->key.provider));
			else
				ord_buf_addf(&t->sum, " (%s, %s)", ro, live_text(ko));
		}
		ord_buf_adds(&t->sum, ".");
		ord_buf_addf(&t->fix, "In %s, define the variable it refers to on an earlier line (or put the key itself there).",
			     ord_buf_str(&wh));
		break;
	}
	case ORD_STORY_TOOL_ELSEWHERE:
		ord_buf_addf(&t->sum, "%s finds no key: your key %s is in %s (%s), which %s does not read.",
			     tool, ro, o && o->name ? o->name : "a file", ord_buf_str(&wo), tool);
		suggest_place(tr->p, &t->fix);
		break;
	case ORD_STORY_TOOL_NOT_LOADED: {
		ord_buf file = ORD_BUF_INIT(4096);
		ord_path_where(w->ctx, h->path, &file);
		ord_buf_addf(&t->sum, "%s reads %s from the environment; %s exports it (%s), but this environment does not have it: the shell was opened before that line was written, or %s is started outside a login shell (a desktop launcher, a service, cron, an IDE task), which never reads that file.",
			     tool, name, ord_buf_str(&wh), red, tool);
		ord_buf_addf(&t->fix, "Open a new terminal (or run `source %s`) and start %s from it; for a desktop app, a service or a scheduled job, set %s where it is started.",
			     ord_buf_str(&file), tool, name);
		ord_buf_release(&file);
		break;
	}
	case ORD_STORY_TOOL_SHAPE:
		switch (h->key.shape) {
		case ORD_SHAPE_EMPTY:
			if (win->empty_rule == ORD_EMPTY_ERROR)
				ord_buf_addf(&t->sum, ": it is empty, and %s stops with \"API key is required\" before sending anything.",
					     tool);
			else
				ord_buf_adds(&t->sum, ": it is empty, so an empty credential is sent.");
			break;
		case ORD_SHAPE_PLACEHOLDER:
			ord_buf_adds(&t->sum, ": a placeholder, not a key.");
			break;
		case ORD_SHAPE_FOREIGN:
			ord_buf_addf(&t->sum, ": %s key, not an OpenRouter key.", ord_provider_name(h->key.provider));
			break;
		default: {
			ord_buf why = ORD_BUF_INIT(1024);
			lint_list(&h->key, h->key.shape == ORD_SHAPE_FIXABLE ? cosmetic : ~cosmetic, &why);
			ord_buf_addf(&t->sum, ": %s.", ord_buf_str(&why));
			ord_buf_release(&why);
		}
		}
		if (h->flags & ORD_HIT_EMPTY_EXPANSION) {
			ord_buf_addf(&t->fix, "In %s, define the variable it refers to on an earlier line (or put the key itself there).",
				     ord_buf_str(&fx));
		} else
			ord_buf_addf(&t->fix, "Put your OpenRouter key (exactly sk-or-v1- and 64 hex digits) in %s.",
				     ord_buf_str(&fx));
		break;
	case ORD_STORY_TOOL_SHADOWED:
	case ORD_STORY_TOOL_SHADOW_UNKNOWN: {
		const ord_cand *b = NULL;
		size_t i;
		for (i = 0; i < tr->nkeys; i++)
			if (tr->keys[i].hit == c->other)
				b = &tr->keys[i];
		ord_buf_addf(&t->sum, "; %s (%s) in %s loses: %s.", ko ? ko->redacted : ro, live_text(ko),
			     ord_buf_str(&wo), b && b->why ? b->why : "it comes later");
		if (c->story == ORD_STORY_TOOL_SHADOW_UNKNOWN)
			ord_buf_adds(&t->sum, " Which of the two keys OpenRouter accepts is not known yet.");
		change_store(w, tr, win, ko ? ko->redacted : ro, &t->fix);
		break;
	}
	case ORD_STORY_TOOL_DEAD_ELSEWHERE:
		ord_buf_addf(&t->sum, "; %s key %s (%s) is in a place %s does not read.",
			     ko && ko->live == ORD_LIVE_VALID ? "your valid" : "another", ko ? ko->redacted : ro,
			     ord_buf_str(&wo), tool);
		if (win->own)
			change_store(w, tr, win, ko ? ko->redacted : ro, &t->fix);
		else
			ord_buf_addf(&t->fix, "Put the %skey %s (now in %s) in %s, or create a new key at https://openrouter.ai/settings/keys.",
				     ko && ko->live == ORD_LIVE_VALID ? "valid " : "", ko ? ko->redacted : ro,
				     ord_buf_str(&wo), ord_buf_str(&fx));
		break;
	case ORD_STORY_TOOL_DEAD:
		ord_buf_adds(&t->sum, ".");
		if (win->own && win->edit && win->edit->how != ORD_EDIT_FILE)
			change_store(w, tr, win, "of a new key from https://openrouter.ai/settings/keys", &t->fix);
		else
			ord_buf_addf(&t->fix, "Create a new key at https://openrouter.ai/settings/keys and put it in %s.",
				     ord_buf_str(&fx));
		break;
	case ORD_STORY_TOOL_MANAGEMENT:
		ord_buf_adds(&t->sum, ": management keys manage keys and credits but cannot call completion endpoints.");
		ord_buf_addf(&t->fix, "Create an inference key at https://openrouter.ai/settings/keys and put it in %s%s%s%s.",
			     ord_buf_str(&fx), ko ? " (" : "", ko ? ko->redacted : "", ko ? " is one that works)" : "");
		break;
	case ORD_STORY_TOOL_LIMIT:
		ord_buf_addf(&t->sum, ": its spend limit is used up ($%.2f of $%.2f).", k->info.usage, k->info.limit);
		ord_buf_adds(&t->fix, "Raise or remove this key's limit at https://openrouter.ai/settings/keys (account credits do not lift it).");
		break;
	case ORD_STORY_TOOL_ENDPOINT: {
		const char *want = tr->p->base_form == ORD_FORM_ANTHROPIC ? "https://openrouter.ai/api" :
									 "https://openrouter.ai/api/v1";
		ord_buf_addf(&t->sum, "%s sends your OpenRouter key to its default %s: no base URL points it at OpenRouter.",
			     tool, tr->base_url);
		if (tr->p->nbases && tr->p->bases[0].kind == ORD_PSRC_ENV)
			ord_buf_addf(&t->fix, "Set %s=%s.", tr->p->bases[0].field, want);
		else if (tr->p->nbases)
			ord_buf_addf(&t->fix, "Set %s to %s in %s.", tr->p->bases[0].field, want,
				     tr->p->bases[0].path ? tr->p->bases[0].path : "its configuration");
		break;
	}
	case ORD_STORY_TOOL_URL: {
		ord_url_lint l;
		ord_url_form form = tr->p->base_form == ORD_FORM_ANTHROPIC ? ORD_URL_ANTHROPIC :
				    tr->p->base_form == ORD_FORM_FULL ? ORD_URL_FULL : ORD_URL_OPENAI;
		ord_url_lint_check(tr->base_url, form, &l);
		ord_buf_addf(&t->sum, "%s's base URL %s does not have the form it needs (%s).", tool,
			     tr->base_url, *l.expected ? l.expected : ord_url_form_id(form));
		if (h && *l.expected) {
			if (h->kind == ORD_SRC_ENV && h->origin < 0)
				ord_buf_addf(&t->fix, "Set %s=%s.", h->name, l.expected);
			else if (h->kind == ORD_SRC_ENV)
				ord_buf_addf(&t->fix, "Set %s=%s in %s.", h->name, l.expected, ord_buf_str(&fx));
			else
				ord_buf_addf(&t->fix, "Set %s to %s in %s.", h->name, l.expected, ord_buf_str(&wh));
		}
		break;
	}
	case ORD_STORY_TOOL_AUTH_SCHEME: {
		const ord_pitfall *pf = &tr->p->pitfalls[c->other];
		ord_buf_addf(&t->sum, "%s: %s is set (not empty) in %s, so %s also sends it as x-api-key: %s.",
			     tool, pf->where, ord_buf_str(&wh), tool, pf->text);
		ord_buf_addf(&t->fix, "Set ANTHROPIC_API_KEY=\"\" (explicitly empty) where it is set (%s) and put the OpenRouter key in ANTHROPIC_AUTH_TOKEN.",
			     ord_buf_str(&fx));
		break;
	}
	default:
		break;
	}
	ord_buf_addf(&t->head, "%s: %s", tr->p->id, c->cause);
	ord_buf_release(&wh);
	ord_buf_release(&wo);
	ord_buf_release(&fx);
}

void ord_words_key_detail(const ord_keyrow *k, time_t now, ord_buf *b)
{
	const ord_key_info *in = &k->info;

	if (*in->label)
		ord_buf_addf(b, "label %s", in->label);
	if (isnan(in->limit))
		ord_buf_adds(b, ", no spend limit");
	else
		ord_buf_addf(b, ", limit $%.2f (%.2f left)", in->limit, in->limit_remaining);
	if (!isnan(in->usage))
		ord_buf_addf(b, ", used $%.2f", in->usage);
	if (in->is_free_tier == 1)
		ord_buf_adds(b, ", free tier");
	if (in->is_management_key)
		ord_buf_adds(b, ", management key");
	if (in->expires)
		ord_buf_addf(b, ", expires %s (in %lld days)", in->expires_at,
			     (long long)((in->expires - now) / 86400));
}

/* ---- the wire ------------------------------------------------------------------ */

static void words_wire(const wctx *w, const ord_claim *c, texts *t)
{
	const ord_wire_fact *wf = &w->f->wire[c->other];
	const char *who = c->tool >= 0 ? w->f->tools->v[c->tool].p->name : "The command";

	ord_buf_addf(&t->sum, "%s sent %s: %s", who, wf->what, wf->problem[0] ? wf->problem : c->cause);
	if (wf->status)
		ord_buf_addf(&t->sum, "; OpenRouter answered %ld%s%s%s", wf->status,
			     wf->message[0] ? " \"" : "", wf->message, wf->message[0] ? "\"" : "");
	ord_buf_adds(&t->sum, ".");
	if (c->hit >= 0) {
		ord_buf_adds(&t->sum, " The key sent is the one in ");
		where(w, c->hit, &t->sum);
		ord_buf_adds(&t->sum, ".");
	}
	ord_buf_addf(&t->head, "%s: %s", wf->what, c->cause);
}

/* ---- missing facts -------------------------------------------------------------- */

static void words_gap(const wctx *w, ord_gap *g)
{
	ord_buf what = ORD_BUF_INIT(4096), how = ORD_BUF_INIT(4096);
	const ord_keyrow *k = row_at(w, g->row);

	switch (g->kind) {
	case ORD_GAP_OFFLINE:
		ord_buf_addf(&what, "whether OpenRouter accepts %s (", k->redacted);
		places_of(w, g->row, &what);
		ord_buf_adds(&what, "): not asked (--offline)");
		ord_buf_adds(&how, "ordoctor check (without --offline) asks OpenRouter, at no cost");
		break;
	case ORD_GAP_NO_ANSWER:
		ord_buf_addf(&what, "whether OpenRouter accepts %s (", k->redacted);
		places_of(w, g->row, &what);
		ord_buf_addf(&what, "): no answer (%s)", k->message[0] ? k->message :
				      w->f->chat.p.reason[0] ? w->f->chat.p.reason : "network");
		ord_buf_addf(&how, "ordoctor check again once %s answers (the network check says how far the connection got)",
			     w->f->net.host[0] ? w->f->net.host : w->f->api_base);
		break;
	case ORD_GAP_STORE: {
		const ord_tool_res *t = &w->f->tools->v[g->tool];
		const char *store = t->store >= 0 ? t->p->keys[t->store].field :
				    t->p->nstores ? t->p->stores[0] : "its own store";
		char *desc = strdup(store), *p;
		for (p = desc; p && *p; p++)
			if (*p == '\t')
				*p = ' ';
		ord_buf_addf(&what, "which key %s sends: it can keep its key in %s, which ordoctor cannot read",
			     t->p->name, desc ? desc : store);
		if (t->win >= 0) {
			ord_buf_adds(&what, " (the key seen, ");
			ord_hit_where(w->ctx, &w->f->hits.v[t->keys[t->win].hit], &what);
			ord_buf_adds(&what, ", is used only when that store has none)");
		}
		free(desc);
		if (t->p->base_form == ORD_FORM_FIXED)
			ord_buf_addf(&how, "re-enter the key in %s's settings; https://openrouter.ai/activity shows which key (by its label) each request used",
				     t->p->name);
		else
			ord_buf_addf(&how, "`ordoctor run -- <the %s command>` shows the key it sends; or re-enter the key in its settings, and https://openrouter.ai/activity shows which key (by its label) each request used",
				     t->p->name);
		break;
	}
	}
	free(g->what);
	free(g->how);
	g->what = ord_buf_detach(&what, NULL);
	g->how = ord_buf_detach(&how, NULL);
}

void ord_words_write(const ord_ctx *ctx, ord_diag *d)
{
	wctx w = {ctx, &d->f, d};
	size_t i;

	for (i = 0; i < d->nclaims; i++) {
		ord_claim *c = &d->claims[i];
		texts t = {ORD_BUF_INIT(8192), ORD_BUF_INIT(8192), ORD_BUF_INIT(16384),
			   ORD_BUF_INIT(16384)};

		if (c->story == ORD_STORY_WIRE)
			words_wire(&w, c, &t);
		else if (c->tool >= 0)
			words_tool(&w, c, &t);
		else if (c->story == ORD_STORY_NO_KEY) {
			ord_buf_adds(&t.head, "no usable OpenRouter key in any variable or file a tool reads");
			ord_buf_adds(&t.sum, "No OpenRouter key was found in the environment, the startup files or the .env files.");
			ord_buf_adds(&t.fix, "Create a key at https://openrouter.ai/settings/keys and put it where your tool reads it, e.g. `export OPENROUTER_API_KEY=...` in ~/.bashrc (ordoctor tools lists each tool's places).");
		} else if (c->row >= 0 && (c->story == ORD_STORY_DEAD || c->story == ORD_STORY_KEY_ANSWER ||
					   c->story == ORD_STORY_MANAGEMENT || c->story == ORD_STORY_LIMIT ||
					   c->story == ORD_STORY_EXPIRING || c->story == ORD_STORY_CHAT))
			words_key(&w, c, &t);
		else if (c->story == ORD_STORY_INCIDENT)
			words_key(&w, c, &t);
		else
			words_hit(&w, c, &t);
		if (!t.fix.len && ord_cause_fix(c->cause))
			ord_buf_adds(&t.fix, ord_cause_fix(c->cause));
		c->headline = ord_buf_detach(&t.head, NULL);
		c->evidence = t.ev.len ? ord_buf_detach(&t.ev, NULL) : NULL;
		c->summary = ord_buf_detach(&t.sum, NULL);
		c->fix = t.fix.len ? ord_buf_detach(&t.fix, NULL) : NULL;
		ord_buf_release(&t.ev);
		ord_buf_release(&t.fix);
	}
	for (i = 0; i < d->ngaps; i++)
		words_gap(&w, &d->gaps[i]);
}
