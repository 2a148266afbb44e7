/* words_place: the stories about places and keys (see words.h). */
#include <math.h>
#include <string.h>

#include "words_internal.h"

/* ---- places and keys ------------------------------------------------------ */

void words_hit(const wctx *w, const ord_claim *c, texts *t)
{
	const ord_hit *h = w_hit_of(w, c->hit), *o = w_hit_of(w, c->other);
	ord_buf wh = ORD_BUF_INIT(4096), fx = ORD_BUF_INIT(4096), why = ORD_BUF_INIT(2048);
	ord_buf wo = ORD_BUF_INIT(4096);
	char red[ORD_REDACT_MAX], ro[ORD_REDACT_MAX];
	const char *name = h && h->name ? h->name : "the key";

	w_redact(h, red);
	w_redact(o, ro);
	if (h) {
		w_where(w, c->hit, &wh);
		w_fix_place(w, c->hit, &fx);
	}
	if (o)
		w_where(w, c->other, &wo);
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
		w_name_at(w, c->hit, &t->fix);
		ord_buf_adds(&t->fix, ", or remove the empty assignment.");
		break;
	case ORD_STORY_PLACEHOLDER:
		ord_buf_addf(&t->head, "%s holds a placeholder, not a key", name);
		ord_buf_addf(&t->ev, "%s in %s: %s", name, ord_buf_str(&wh), red);
		if (h->key.lint & ORD_LINT_BIT(ORD_LINT_SECRET_REF)) {
			ord_buf_addf(&t->sum, "%s in %s is a 1Password secret reference (%s): only `op run` or `op inject` turns it into the key; a tool that reads it itself sends the reference text.",
				     name, ord_buf_str(&wh), red);
			ord_buf_addf(&t->fix, "Start the tool through 1Password (`op run --env-file=FILE -- TOOL` for a .env, or `op inject` for a config file), or put the key itself in %s.",
				     ord_buf_str(&fx));
			break;
		}
		ord_buf_addf(&t->sum, "%s in %s is the placeholder %s, not a key.", name,
			     ord_buf_str(&wh), red);
		ord_buf_addf(&t->fix, "Replace %s with your key from https://openrouter.ai/settings/keys in %s.",
			     red, ord_buf_str(&fx));
		break;
	case ORD_STORY_MALFORMED:
	case ORD_STORY_FIXABLE: {
		int fixable = c->story == ORD_STORY_FIXABLE;
		w_lint_list(&h->key, fixable ? w_cosmetic : ~w_cosmetic, &why);
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
			if (h->key.lint & ORD_LINT_BIT(ORD_LINT_DASHBOARD_LABEL))
				ord_buf_adds(&t->fix, "Create a new key at https://openrouter.ai/settings/keys, copy it the moment it is shown (the list keeps only its first and last digits), and put it into ");
			else
				ord_buf_adds(&t->fix, "Copy the key again from https://openrouter.ai/settings/keys into ");
			w_name_at(w, c->hit, &t->fix);
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
		w_name_at(w, c->hit, &t->fix);
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
		ord_url_lint_check(h->key.norm, w_form_of(h), &l);
		w_url_flags_text(l.flags, &why);
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
		ord_url_lint_check(h->key.norm, w_form_of(h), &l);
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

void words_key(const wctx *w, const ord_claim *c, texts *t)
{
	const ord_keyrow *k = w_row_at(w, c->row), *alt = w_row_at(w, c->other);
	const ord_key_info *in = k ? &k->info : NULL;
	ord_buf pl = ORD_BUF_INIT(8192);

	w_places_of(w, c->row, &pl);
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
		ord_buf left = ORD_BUF_INIT(64);
		w_days_left(in->expires, w->f->now, &left);
		ord_buf_addf(&t->head, "%s expires within 7 days (%s, %s)", k->redacted,
			     in->expires_at, ord_buf_str(&left));
		ord_buf_addf(&t->sum, "%s (%s) expires on %s, %s.", k->redacted,
			     ord_buf_str(&pl), in->expires_at, ord_buf_str(&left));
		ord_buf_release(&left);
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

