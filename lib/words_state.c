/* words_state: the sentences of "what changed since it last worked"
 * (lib/laststate.h), written as people write places: "~/.env line 2",
 * "./.env", "env OPENROUTER_API_KEY". */
#include <stdlib.h>
#include <string.h>

#include "laststate.h"
#include "words.h"

/* "~/.hermes/.env line 2", or "OPENROUTER_API_KEY in the environment". */
static void place_text(const ord_ctx *ctx, const ord_place *p, ord_buf *b)
{
	if (!p->path) {
		ord_buf_addf(b, "%s in the environment", p->name ? p->name : "?");
		return;
	}
	ord_path_where(ctx, p->path, b);
	if (p->line)
		ord_buf_addf(b, " line %u", p->line);
	else if (p->name)
		ord_buf_addf(b, " (%s)", p->name);
}

/* The short form inside parentheses: "env OPENROUTER_API_KEY". */
static void source_text(const ord_ctx *ctx, const ord_place *p, ord_buf *b)
{
	if (!p->path)
		ord_buf_addf(b, "env %s", p->name ? p->name : "?");
	else
		place_text(ctx, p, b);
}

static void tool_key_text(const ord_ctx *ctx, const ord_ls_tool *t, ord_buf *b)
{
	if (!t->has_key) {
		ord_buf_adds(b, "no key");
		return;
	}
	ord_buf_addf(b, "%s (", t->redacted);
	source_text(ctx, &t->src, b);
	ord_buf_addc(b, ')');
}

static const char *base_text(const char *url)
{
	return url ? url : "none known";
}

static void change_text(const ord_ctx *ctx, const ord_change *c, ord_buf *b)
{
	const char *base;

	switch (c->kind) {
	case ORD_CHG_HOLDS:
		place_text(ctx, &c->new_key->place, b);
		ord_buf_addf(b, " now holds %s (was %s)", c->new_key->redacted, c->old_key->redacted);
		break;
	case ORD_CHG_ADDED:
		if (!c->new_key->place.path) {
			ord_buf_addf(b, "%s is now set in the environment: %s",
				     c->new_key->place.name ? c->new_key->place.name : "?", c->new_key->redacted);
			break;
		}
		place_text(ctx, &c->new_key->place, b);
		ord_buf_addf(b, " now holds %s (it held no key)", c->new_key->redacted);
		break;
	case ORD_CHG_NEW_FILE:
		base = strrchr(c->new_key->place.path, '/');
		ord_buf_addf(b, "a new %s appeared: ", base ? base + 1 : c->new_key->place.path);
		ord_path_where(ctx, c->new_key->place.path, b);
		if (c->new_key->place.line)
			ord_buf_addf(b, " (line %u holds %s)", c->new_key->place.line, c->new_key->redacted);
		else
			ord_buf_addf(b, " (holds %s)", c->new_key->redacted);
		break;
	case ORD_CHG_REMOVED:
		if (!c->old_key->place.path) {
			ord_buf_addf(b, "%s is no longer set in the environment (was %s)",
				     c->old_key->place.name ? c->old_key->place.name : "?", c->old_key->redacted);
			break;
		}
		place_text(ctx, &c->old_key->place, b);
		ord_buf_addf(b, " no longer holds %s", c->old_key->redacted);
		break;
	case ORD_CHG_TOOL_KEY:
		ord_buf_addf(b, "the key %s sends changed from ", c->new_tool->id);
		tool_key_text(ctx, c->old_tool, b);
		ord_buf_adds(b, " to ");
		tool_key_text(ctx, c->new_tool, b);
		break;
	case ORD_CHG_TOOL_BASE:
		ord_buf_addf(b, "the base URL of %s changed from %s to %s", c->new_tool->id,
			     base_text(c->old_tool->base_url), base_text(c->new_tool->base_url));
		break;
	case ORD_CHG_TOOL_NEW:
		ord_buf_addf(b, "%s is found now and was not then (it sends ", c->new_tool->id);
		tool_key_text(ctx, c->new_tool, b);
		ord_buf_addc(b, ')');
		break;
	case ORD_CHG_TOOL_GONE:
		ord_buf_addf(b, "%s is no longer found (it sent ", c->old_tool->id);
		tool_key_text(ctx, c->old_tool, b);
		ord_buf_addc(b, ')');
		break;
	}
}

void ord_words_since(const ord_ctx *ctx, ord_since *s)
{
	size_t i;

	for (i = 0; s && i < s->n; i++) {
		ord_buf b = ORD_BUF_INIT(4096);

		free(s->v[i].text);
		change_text(ctx, &s->v[i], &b);
		s->v[i].text = ord_buf_detach(&b, NULL);
	}
}

void ord_words_since_date(const ord_since *s, char out[11])
{
	memcpy(out, s->old.date, 10);
	out[10] = '\0';
}
