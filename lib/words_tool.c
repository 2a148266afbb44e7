/* words_tool: the stories about one tool, and about what a request showed
 * on the wire (see words.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "startctx.h"
#include "words_internal.h"

/* ---- one tool ---------------------------------------------------------------- */

/* "Export it as OPENROUTER_KEY (the variable llm reads), or put it in
 * keys.json": the variables a tool reads, then its first file. */
static void suggest_place(const ord_profile *p, ord_buf *fix)
{
	size_t i, nenv = 0;
	const ord_psrc *file = NULL;

	for (i = 0; i < p->nkeys; i++) {
		const ord_psrc *s = &p->keys[i];
		if (s->kind == ORD_PSRC_COMPOSE) {
			/* a container gets only what an entry gives it */
			ord_buf_addf(fix, "Give the service the entry `%s: ${%s}` under environment: and put %s=KEY in the .env beside the compose file (or export it in the shell that runs docker compose), then recreate the container (`docker compose up -d`); `ordoctor env %s` shows what each service gets.",
				     s->field, s->field, s->field, s->field);
			return;
		}
		if (s->kind == ORD_PSRC_ENV) {
			ord_buf_addf(fix, "%s%s", nenv++ ? " or " : "Export it as ", s->field);
		} else if (s->kind != ORD_PSRC_STORE && s->path && s->path[0] != '$' && s->path[0] != '/' &&
			   !s->nifs && /* read only in some projects */
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

/* How to change the winner's store: by hand, or the tool's own way.
 * `with` is what to put there ("the key sk-or-v1-…", "a new key …"). */
static void change_store(const wctx *w, const ord_tool_res *t, const ord_cand *cd,
			 const char *with, ord_buf *fix)
{
	ord_buf at = ORD_BUF_INIT(4096);

	w_fix_place(w, cd->hit, &at);
	if (cd->edit && cd->edit->how == ORD_EDIT_UI)
		ord_buf_addf(fix, "%s keeps this key itself (%s): do not edit the file; %s%s%s.",
			     t->p->name, ord_buf_str(&at), cd->edit->text,
			     with ? ", with " : "", with ? with : "");
	else if (cd->edit && cd->edit->how == ORD_EDIT_COMMAND)
		ord_buf_addf(fix, "Run `%s`%s%s to replace the key %s keeps in %s.", cd->edit->text,
			     with ? " with " : "", with ? with : "", t->p->name, ord_buf_str(&at));
	else
		ord_buf_addf(fix, "Delete or update %s%s%s.", ord_buf_str(&at),
			     with ? " with " : "", with ? with : "");
	ord_buf_release(&at);
}

/* The profile's known trap for this cause at this place, if it has one:
 * a fact about the tool the user may not know ("the OAuth flow appends
 * keys; an old one may still be there"). */
static const ord_pitfall *pitfall_for(const ord_tool_res *t, const ord_claim *c, const ord_hit *h)
{
	const ord_cand *win = t->win >= 0 ? &t->keys[t->win] : NULL;
	size_t i;

	for (i = 0; h && i < t->p->npitfalls; i++) {
		const ord_pitfall *pf = &t->p->pitfalls[i];
		if (strcmp(pf->cause, c->cause))
			continue;
		if (ord_field_names_var(h->name, pf->where) ||
		    (win && win->src->path && !strcmp(win->src->path, pf->where)))
			return pf;
	}
	return NULL;
}

/* A file that only some start contexts run (~/.zshrc, ~/.xprofile, an
 * environment.d file): *readers names them, *others the common contexts
 * that do not ("cron jobs, systemd user services or `bash -c`").  0 when
 * the file reaches cron and systemd too, or no context runs it. */
static int only_some(const wctx *w, const char *path, ord_buf *readers, ord_buf *others)
{
	static const ord_startctx_id common[] = {ORD_SC_CRON, ORD_SC_SYSTEMD_USER, ORD_SC_BASH_CMD, ORD_SC_GRAPHICAL};
	unsigned mask = ord_startctx_readers(w->ctx, path), n = 0, k, seen = 0;
	size_t i;
	int c;

	if (!mask || ((mask >> ORD_SC_CRON) & 1 && (mask >> ORD_SC_SYSTEMD_USER) & 1))
		return 0;
	for (c = 0; c < ORD_SC_COUNT; c++)
		n += (mask >> c) & 1;
	for (c = 0, k = 0; c < ORD_SC_COUNT; c++)
		if ((mask >> c) & 1) {
			k++;
			ord_buf_addf(readers, "%s%s", k == 1 ? "" : k == n ? " and " : ", ", ord_startctx_who((ord_startctx_id)c));
		}
	for (i = 0; i < sizeof(common) / sizeof(*common); i++)
		if (!((mask >> common[i]) & 1))
			seen++;
	for (i = 0, k = 0; i < sizeof(common) / sizeof(*common); i++)
		if (!((mask >> common[i]) & 1)) {
			k++;
			ord_buf_addf(others, "%s%s", k == 1 ? "" : k == seen ? " or " : ", ", ord_startctx_who(common[i]));
		}
	return 1;
}

void words_tool(const wctx *w, const ord_claim *c, texts *t)
{
	const ord_tool_res *tr = &w->f->tools->v[c->tool];
	const char *tool = tr->p->name;
	const ord_cand *win = tr->win >= 0 ? &tr->keys[tr->win] : NULL;
	const ord_hit *h = w_hit_of(w, c->hit), *o = w_hit_of(w, c->other);
	const ord_keyrow *k = w_row_of(w, c->hit), *ko = w_row_of(w, c->other);
	ord_buf wh = ORD_BUF_INIT(4096), wo = ORD_BUF_INIT(4096), fx = ORD_BUF_INIT(4096);
	char red[ORD_REDACT_MAX], ro[ORD_REDACT_MAX], with_key[ORD_REDACT_MAX + 16];
	const ord_pitfall *pf;
	const char *name = h && h->name ? h->name : "a key";

	w_redact(h, red);
	w_redact(o, ro);
	snprintf(with_key, sizeof(with_key), "the key %s", ko ? ko->redacted : ro);
	if (h) {
		w_where(w, c->hit, &wh);
		w_fix_place(w, c->hit, &fx);
	}
	if (o)
		w_where(w, c->other, &wo);
	/* "Aider uses OPENROUTER_API_KEY from ~/.env line 3 (sk-…, rejected)" */
	if (win && h && c->hit == win->hit && c->story != ORD_STORY_TOOL_AUTH_SCHEME &&
	    c->story != ORD_STORY_TOOL_URL && c->story != ORD_STORY_TOOL_ENDPOINT) {
		ord_buf_addf(&t->sum, "%s uses %s from %s", tool, name, ord_buf_str(&wh));
		if (win->via >= 0) {
			ord_buf_adds(&t->sum, " (through ");
			w_where(w, win->via, &t->sum);
			ord_buf_adds(&t->sum, ")");
		}
		ord_buf_addf(&t->sum, " (%s, %s)", red, w_live_text(k));
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
		const ord_hit *e = w_hit_of(w, c->hit);
		ord_buf_addf(&t->sum, "%s looks first at %s, which is empty: %s in %s expands a variable that is not set yet",
			     tool, e && e->name ? e->name : "a key", e && e->name ? e->name : "it", ord_buf_str(&wh));
		if (o) {
			ord_buf_addf(&t->sum, "; so %s falls back to %s from ", tool, o->name ? o->name : "another key");
			w_where(w, c->other, &t->sum);
			if (o->key.shape == ORD_SHAPE_FOREIGN)
				ord_buf_addf(&t->sum, " (%s, %s key)", ro, ord_provider_name(o->key.provider));
			else
				ord_buf_addf(&t->sum, " (%s, %s)", ro, w_live_text(ko));
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
	case ORD_STORY_TOOL_UNLOADED: {
		const char *why = NULL;
		size_t i;

		for (i = 0; i < tr->nkeys; i++)
			if (tr->keys[i].hit == c->other)
				why = tr->keys[i].why;
		ord_buf_addf(&t->sum, "%s finds no key: your key %s is in %s, but %s.", tool, ro,
			     ord_buf_str(&wo), why ? why : "this project does not load that file");
		ord_buf_addf(&t->fix, "Load that file where the application starts (Node: `import \"dotenv/config\"` or `node --env-file=.env`; Python: `load_dotenv()` from python-dotenv), or export %s in the environment that starts it.",
			     o && o->name ? o->name : "the variable");
		break;
	}
	case ORD_STORY_TOOL_NOT_LOADED: {
		ord_buf file = ORD_BUF_INIT(4096), readers = ORD_BUF_INIT(512), others = ORD_BUF_INIT(512);
		ord_path_where(w->ctx, h->path, &file);
		if (h->flags & ORD_HIT_INTERACTIVE_ONLY) {
			/* Debian's ~/.bashrc returns early unless interactive */
			ord_buf_addf(&t->sum, "%s reads %s from the environment; %s exports it (%s), but below the interactive-only guard at line %u: only interactive terminals run that line, and %s started by cron, a systemd unit, an IDE task, a desktop launcher or `bash -c` never sees it.",
				     tool, name, ord_buf_str(&wh), red, h->guard_line, tool);
			ord_buf_addf(&t->fix, "Move the export of %s above line %u of %s (or into ~/.profile, which login shells read), or set it where %s is started; then open a new terminal.",
				     name, h->guard_line, ord_buf_str(&file), tool);
			ord_buf_release(&file);
			break;
		}
		if (h->path && only_some(w, h->path, &readers, &others)) {
			/* a file that only some start contexts run: name them */
			ord_buf_addf(&t->sum, "%s reads %s from the environment; %s exports it (%s), but only %s run that file: this environment does not have it (it was opened before that line was written, or not from one of them), and %s started from %s never sees it.",
				     tool, name, ord_buf_str(&wh), red, ord_buf_str(&readers), tool, ord_buf_str(&others));
		} else
		ord_buf_addf(&t->sum, "%s reads %s from the environment; %s exports it (%s), but this environment does not have it: the shell was opened before that line was written, or %s is started outside a login shell (a desktop launcher, a service, cron, an IDE task), which never reads that file.",
			     tool, name, ord_buf_str(&wh), red, tool);
		ord_buf_addf(&t->fix, "Open a new terminal (or run `source %s`) and start %s from it; for a desktop app, a service or a scheduled job, set %s where it is started.",
			     ord_buf_str(&file), tool, name);
		ord_buf_release(&file);
		ord_buf_release(&readers);
		ord_buf_release(&others);
		break;
	}
	case ORD_STORY_TOOL_SHAPE:
		switch (h->key.shape) {
		case ORD_SHAPE_EMPTY:
			if (win->empty_rule == ORD_EMPTY_ERROR)
				ord_buf_addf(&t->sum, ": it is empty, and %s stops with an error (no key) before sending anything.",
					     tool);
			else if (win->empty_rule == ORD_EMPTY_NONE)
				ord_buf_addf(&t->sum, ": it is empty, so no credential reaches OpenRouter (%s either stops with a missing-key error or sends the request without one).",
					     tool);
			else
				ord_buf_adds(&t->sum, ": it is empty, so an empty credential is sent.");
			break;
		case ORD_SHAPE_PLACEHOLDER:
			if (h->key.lint & ORD_LINT_BIT(ORD_LINT_SECRET_REF))
				ord_buf_addf(&t->sum, ": a 1Password secret reference, which %s sends as it is unless it is started through `op run`.",
					     tool);
			else
				ord_buf_adds(&t->sum, ": a placeholder, not a key.");
			break;
		case ORD_SHAPE_FOREIGN:
			ord_buf_addf(&t->sum, ": %s key, not an OpenRouter key.", ord_provider_name(h->key.provider));
			break;
		default: {
			ord_buf why = ORD_BUF_INIT(1024);
			w_lint_list(&h->key, h->key.shape == ORD_SHAPE_FIXABLE ? w_cosmetic : ~w_cosmetic, &why);
			ord_buf_addf(&t->sum, ": %s.", ord_buf_str(&why));
			ord_buf_release(&why);
		}
		}
		/* how a substitution produced this text ("no variable X is
		 * set, so the name itself is sent") is the story's root */
		if (h->note && !(h->flags & ORD_HIT_TEMPLATE) && h->key.shape != ORD_SHAPE_EMPTY) {
			ord_buf_addf(&t->sum, " In %s, %s.", ord_buf_str(&wh), h->note);
		}
		if (h->flags & ORD_HIT_EMPTY_EXPANSION) {
			ord_buf_addf(&t->fix, "In %s, define the variable it refers to on an earlier line (or put the key itself there).",
				     ord_buf_str(&fx));
		} else if (h->key.lint & ORD_LINT_BIT(ORD_LINT_SECRET_REF))
			ord_buf_addf(&t->fix, "Start %s through 1Password (`op run --env-file=FILE -- COMMAND` for a .env, `op inject` for a config file), or put the key itself in %s.",
				     tool, ord_buf_str(&fx));
		else if (h->key.lint & ORD_LINT_BIT(ORD_LINT_DASHBOARD_LABEL))
			ord_buf_addf(&t->fix, "Create a new key at https://openrouter.ai/settings/keys, copy it the moment it is shown (the list keeps only its first and last digits), and put it in %s.",
				     ord_buf_str(&fx));
		else if (h->kind == ORD_SRC_CONFIG && !strcmp(tr->p->id, "project"))
			/* a value written in the project's own code: a real key
			 * does not belong there either */
			ord_buf_addf(&t->fix, "In %s, read the key from the environment instead (process.env.OPENROUTER_API_KEY, os.environ[\"OPENROUTER_API_KEY\"]) and set OPENROUTER_API_KEY to your OpenRouter key (exactly sk-or-v1- and 64 hex digits) in the shell or the project's .env.",
				     ord_buf_str(&fx));
		else
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
		ord_buf_addf(&t->sum, "; %s (%s) in %s loses: %s.", ko ? ko->redacted : ro, w_live_text(ko),
			     ord_buf_str(&wo), b && b->why ? b->why : "it comes later");
		if (c->story == ORD_STORY_TOOL_SHADOW_UNKNOWN)
			ord_buf_adds(&t->sum, " Which of the two keys OpenRouter accepts is not known yet.");
		change_store(w, tr, win, with_key, &t->fix);
		break;
	}
	case ORD_STORY_TOOL_DEAD_ELSEWHERE:
		ord_buf_addf(&t->sum, "; %s key %s (%s) is in a place %s does not read.",
			     ko && ko->live == ORD_LIVE_VALID ? "your valid" : "another", ko ? ko->redacted : ro,
			     ord_buf_str(&wo), tool);
		if (win->own)
			change_store(w, tr, win, with_key, &t->fix);
		else
			ord_buf_addf(&t->fix, "Put the %skey %s (now in %s) in %s, or create a new key at https://openrouter.ai/settings/keys.",
				     ko && ko->live == ORD_LIVE_VALID ? "valid " : "", ko ? ko->redacted : ro,
				     ord_buf_str(&wo), ord_buf_str(&fx));
		break;
	case ORD_STORY_TOOL_DEAD:
		ord_buf_adds(&t->sum, ".");
		if (win->own && win->edit && win->edit->how != ORD_EDIT_FILE)
			change_store(w, tr, win, "a new key from https://openrouter.ai/settings/keys", &t->fix);
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
		const ord_pitfall *ap = &tr->p->pitfalls[c->other];
		ord_buf_addf(&t->sum, "%s: %s is set (not empty) in %s, so %s also sends it as x-api-key: %s.",
			     tool, ap->where, ord_buf_str(&wh), tool, ap->text);
		ord_buf_addf(&t->fix, "Set ANTHROPIC_API_KEY=\"\" (explicitly empty) where it is set (%s) and put the OpenRouter key in ANTHROPIC_AUTH_TOKEN.",
			     ord_buf_str(&fx));
		break;
	}
	default:
		break;
	}
	if ((pf = pitfall_for(tr, c, h)) && c->story != ORD_STORY_TOOL_AUTH_SCHEME)
		ord_buf_addf(&t->sum, " Known trap: %s.", pf->text);
	ord_buf_addf(&t->head, "%s: %s", tr->p->id, c->cause);
	ord_buf_release(&wh);
	ord_buf_release(&wo);
	ord_buf_release(&fx);
}

/* ---- the wire ------------------------------------------------------------------ */

void words_wire(const wctx *w, const ord_claim *c, texts *t)
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
		w_where(w, c->hit, &t->sum);
		ord_buf_adds(&t->sum, ".");
	}
	ord_buf_addf(&t->head, "%s: %s", wf->what, c->cause);
}

