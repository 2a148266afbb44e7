/* words: every sentence of a diagnosis, from a claim's story and the facts
 * it names.  Rules decide; the tellers (words_place.c, words_tool.c) only
 * tell, with the helpers of words_util.c.  See words.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "words_internal.h"

/* ---- missing facts -------------------------------------------------------------- */

static const char *store_kind_text(const char *kind)
{
	static const struct {
		const char *id, *text;
	} kinds[] = {
		{"vscode-secret", "VS Code's secret storage"},
		{"keychain", "the system keychain"},
		{"sqlite", "an SQLite database"},
		{"mongodb", "a MongoDB database"},
		{"command", "the output of a command"},
	};
	size_t i;

	for (i = 0; i < sizeof(kinds) / sizeof(*kinds); i++)
		if (!strcmp(kind, kinds[i].id))
			return kinds[i].text;
	return "a store";
}

static void words_gap(const wctx *w, ord_gap *g)
{
	ord_buf what = ORD_BUF_INIT(4096), how = ORD_BUF_INIT(4096);
	const ord_keyrow *k = w_row_at(w, g->row);

	switch (g->kind) {
	case ORD_GAP_OFFLINE:
		ord_buf_addf(&what, "whether OpenRouter accepts %s (", k->redacted);
		w_places_of(w, g->row, &what);
		ord_buf_adds(&what, "): not asked (--offline)");
		ord_buf_adds(&how, "ordoctor check (without --offline) asks OpenRouter, at no cost");
		break;
	case ORD_GAP_NO_ANSWER:
		ord_buf_addf(&what, "whether OpenRouter accepts %s (", k->redacted);
		w_places_of(w, g->row, &what);
		ord_buf_addf(&what, "): no answer (%s)", k->message[0] ? k->message :
				      w->f->chat.p.reason[0] ? w->f->chat.p.reason : "network");
		ord_buf_addf(&how, "ordoctor check again once %s answers (the network check says how far the connection got)",
			     w->f->net.host[0] ? w->f->net.host : w->f->api_base);
		break;
	case ORD_GAP_COMMAND: {
		const ord_hit *h = &w->f->hits.v[g->hit];
		ord_buf_addf(&what, "the key %s gets from a command (", h->name ? h->name : "");
		ord_hit_where(w->ctx, h, &what);
		ord_buf_addf(&what, ": %.*s%s), which ordoctor does not run", (int)(h->key.raw_len > 80 ? 80 : h->key.raw_len),
			     (const char *)h->key.raw, h->key.raw_len > 80 ? "..." : "");
		/* the note says why --run-helpers did not read it, if it ran */
		if (h->note && !strncmp(h->note, "the value comes from the command", 31) &&
		    strstr(h->note, "`: ") && !strstr(h->note, "(--run-helpers runs it)"))
			ord_buf_addf(&what, " (--run-helpers: %s)", strstr(h->note, "`: ") + 3);
		ord_buf_adds(&how, "`ordoctor check --run-helpers` runs it (without a shell, within --timeout) and checks its output; "
				   "or run it yourself and pipe its output to `ordoctor verify --stdin`, or start the tool with `ordoctor run -- TOOL` to see the key it sends");
		break;
	}
	case ORD_GAP_STORE: {
		const ord_tool_res *t = &w->f->tools->v[g->tool];
		const ord_psrc *ranked = t->store >= 0 ? &t->p->keys[t->store] : NULL;
		const ord_edit *ed = ranked ? ord_profile_edit(t->p, ranked) : NULL;
		char kind[64] = "", where[512] = "", field[256] = "";

		/* "vscode-secret\tEXT\tKEY", or a ranked line's "KIND WHERE [WHAT]" */
		sscanf(ranked ? ranked->field : t->p->nstores ? t->p->stores[0] : "store ?",
		       "%63s %511s %255[^\n]", kind, where, field);
		if (t->store_cmd && !t->p->nstores) {
			/* a command whose output is the key (apiKeyHelper): name
			 * it, and what running it takes */
			ord_buf_addf(&what, "which key %s sends: it runs the command `%s` (", t->p->name,
				     t->store_cmd);
			if (t->store_path)
				ord_path_where(w->ctx, t->store_path, &what);
			ord_buf_addf(&what, " line %u, %s) and sends its output; %s", t->store_cmd_line,
				     ranked && ranked->what ? ranked->what : "", t->store_cmd_why ? t->store_cmd_why : "not run");
			if (t->win >= 0) {
				ord_buf_adds(&what, "; the key ordoctor sees (");
				ord_hit_where(w->ctx, &w->f->hits.v[t->keys[t->win].hit], &what);
				ord_buf_adds(&what, ") is used only when that command gives none");
			}
			ord_buf_adds(&how, "`ordoctor check --run-helpers` runs it (without a shell, within --timeout) and checks its output; "
					   "or run it yourself and pipe its output to `ordoctor verify --stdin`");
			break;
		}
		ord_buf_addf(&what, "which key %s sends: it can keep its key in %s (", t->p->name,
			     store_kind_text(kind));
		if (t->store_path)
			ord_path_where(w->ctx, t->store_path, &what);
		else
			ord_buf_adds(&what, where);
		if (field[0])
			ord_buf_addf(&what, ", %s", field);
		{
			/* unranked store lines are tab-separated words */
			char *tab = (char *)ord_buf_str(&what);
			for (; *tab; tab++)
				if (*tab == '\t')
					*tab = ' ';
		}
		ord_buf_adds(&what, "), which ordoctor cannot read");
		if (t->win >= 0) {
			ord_buf_adds(&what, "; the key ordoctor sees (");
			ord_hit_where(w->ctx, &w->f->hits.v[t->keys[t->win].hit], &what);
			ord_buf_adds(&what, ranked ? ") is used only when that store holds none" :
					   ") is read by other variants of the tool, not by that one");
		}
		if (ed)
			ord_buf_addf(&how, "to change the key there: %s; ", ed->text);
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
