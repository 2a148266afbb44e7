/* xmachine: a pasted error read with this machine's facts (xmachine.h). */
#include "xmachine.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <strings.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "causes.h"

/* The readings of a rejected key: what the machine's keys can confirm or
 * rule out (explain.c's key causes, less the wrong endpoint, which the
 * text itself shows). */
static const char *const key_family[] = {
	"key_missing_or_empty", "key_malformed_or_truncated", "key_whitespace_or_quoting",
	"key_from_wrong_provider", "key_revoked_expired_or_unknown", "openrouter_incident",
	"tool_stale_stored_key", "env_precedence_shadowing", "wrong_env_var_or_config_field",
	"netrc_overrides_bearer", "tool_credential_bug", "container_or_ci_env_missing",
	"management_key_used_for_inference", NULL,
};

/* Readings that say the key itself is bad: unlikely once the key the
 * tool should send is valid. */
static const char *const key_itself[] = {
	"key_revoked_expired_or_unknown", "key_malformed_or_truncated",
	"key_whitespace_or_quoting", "key_from_wrong_provider", NULL,
};

/* Readings that say the request carried another key than the one found:
 * likelier once that one is valid. */
static const char *const key_elsewhere[] = {
	"tool_stale_stored_key", "env_precedence_shadowing", "tool_credential_bug",
	"container_or_ci_env_missing", "proxy_not_forwarding_auth", NULL,
};

static int in(const char *const *list, const char *s)
{
	size_t i;

	for (i = 0; s && list[i]; i++)
		if (!strcmp(list[i], s))
			return 1;
	return 0;
}

/* ---- the tool a text names --------------------------------------------------- */

/* Words that name a tool only in this exact spelling: the id or name of
 * some profiles is an everyday word ("continue", "llm") that error text
 * uses for other things. */
static const struct {
	const char *id, *only;
} strict_names[] = {
	{"continue", "Continue CLI"},
	{"llm", "llm-openrouter"},
};

/* A whole word, and not part of a dotted name: "litellm.AuthenticationError"
 * names the library inside another tool (Aider), not the LiteLLM proxy. */
static int word_at(const char *text, size_t len, size_t at, size_t n)
{
	size_t e = at + n;

	return (at == 0 || (!isalnum((unsigned char)text[at - 1]) && text[at - 1] != '.')) &&
	       (e >= len || (!isalnum((unsigned char)text[e]) &&
			     !(text[e] == '.' && e + 1 < len && isalnum((unsigned char)text[e + 1]))));
}

static int mentions(const char *text, size_t len, const char *w, int fold)
{
	size_t n = strlen(w), i;

	if (n < 3 || n > len)
		return 0;
	for (i = 0; i + n <= len; i++)
		if ((fold ? !strncasecmp(text + i, w, n) : !strncmp(text + i, w, n)) &&
		    word_at(text, len, i, n))
			return 1;
	return 0;
}

static int names_tool(const ord_profile *p, const char *text, size_t len)
{
	char w[128];
	size_t i;

	for (i = 0; i < sizeof(strict_names) / sizeof(strict_names[0]); i++)
		if (!strcmp(p->id, strict_names[i].id))
			return mentions(text, len, strict_names[i].only, 0);
	if (mentions(text, len, p->id, 1))
		return 1;
	/* "claude-code" as "claude code" */
	snprintf(w, sizeof(w), "%s", p->id);
	for (i = 0; w[i]; i++)
		if (w[i] == '-')
			w[i] = ' ';
	if (mentions(text, len, w, 1))
		return 1;
	/* the name without its parenthesis: "Home Assistant", "Vercel AI SDK" */
	snprintf(w, sizeof(w), "%s", p->name ? p->name : "");
	if (strstr(w, " ("))
		*strstr(w, " (") = '\0';
	return mentions(text, len, w, 1);
}

long ord_xmachine_tool_in_text(const ord_tools *t, const char *text, size_t len)
{
	long named = -1, present = -1;
	size_t i, nnamed = 0, npresent = 0;

	for (i = 0; t && text && i < t->n; i++) {
		if (!names_tool(t->v[i].p, text, len))
			continue;
		nnamed++;
		named = (long)i;
		if (t->v[i].present) {
			npresent++;
			present = (long)i;
		}
	}
	/* one tool named, or one of those named is on this machine */
	if (npresent == 1)
		return present;
	return nnamed == 1 ? named : -1;
}

/* ---- ranking ----------------------------------------------------------------- */

static int by_score(const void *a, const void *b)
{
	const ord_xcause *p = a, *q = b;

	if (p->score != q->score)
		return p->score < q->score ? 1 : -1;
	return strcmp(p->id, q->id);
}

/* Scores sum to 1 again (two decimals), highest first. */
static void renormalise(ord_explain *x)
{
	double sum = 0;
	size_t i, k;

	for (i = 0; i < x->ncauses; i++)
		sum += x->causes[i].score;
	for (i = k = 0; i < x->ncauses; i++) {
		x->causes[i].score = sum > 0 ? floor(x->causes[i].score / sum * 100 + 0.5) / 100 : 0;
		if (x->causes[i].score >= 0.01)
			x->causes[k++] = x->causes[i];
	}
	x->ncauses = k;
	qsort(x->causes, x->ncauses, sizeof(x->causes[0]), by_score);
}

static void rerank(ord_explain *x, const ord_xmachine *m)
{
	size_t i;

	if (m->outcome == ORD_XM_DECIDED) {
		ord_xcause *c = ord_explain_cause(x, m->cause);
		double others = 0;

		for (i = 0; i < x->ncauses; i++)
			if (c != &x->causes[i])
				others += x->causes[i].score;
		/* the machine's observation outweighs every reading of the text */
		if (c)
			c->score = 3 * (others > 0 ? others : 1);
	} else if (m->outcome == ORD_XM_ELSEWHERE) {
		for (i = 0; i < x->ncauses; i++)
			if (in(key_itself, x->causes[i].id))
				x->causes[i].score *= 0.2;
		for (i = 0; key_elsewhere[i]; i++) {
			ord_xcause *c = ord_explain_cause(x, key_elsewhere[i]);
			if (c)
				c->score += 0.15;
		}
	} else
		return;
	renormalise(x);
}

/* ---- the facts --------------------------------------------------------------- */

static void fact(ord_xmachine *m, const char *fmt, const char *a, const char *b)
{
	if (m->nfacts < ORD_XM_LINES)
		snprintf(m->facts[m->nfacts++], sizeof(m->facts[0]), fmt, a, b ? b : "");
}

static void place(const ord_ctx *ctx, const ord_diag *d, long hit, char *out, size_t cap)
{
	ord_buf b = ORD_BUF_INIT(1024);

	if (hit >= 0 && (size_t)hit < d->f.hits.n)
		ord_hit_where(ctx, &d->f.hits.v[hit], &b);
	snprintf(out, cap, "%s", b.len ? ord_buf_str(&b) : "?");
	ord_buf_release(&b);
}

/* "401 User not found." as OpenRouter gave it for a dead key. */
static void answer_text(const ord_keyrow *k, char *out, size_t cap)
{
	if (k->http_status)
		snprintf(out, cap, "%ld %s", k->http_status, k->message);
	else
		snprintf(out, cap, "%s", k->message[0] ? k->message : "no answer");
}

static void set_missing(ord_xmachine *m, const ord_keyrow *k, const char *where)
{
	m->outcome = ORD_XM_MISSING;
	snprintf(m->missing, sizeof(m->missing), "whether OpenRouter accepts %s (%s): %s", k->redacted,
		 where, k->why == ORD_WHY_OFFLINE ?
		 "not asked (--offline); to get it: drop --offline, the check is free" :
		 "no answer; to get it: run it again once OpenRouter answers (ordoctor check shows how far the connection got)");
}

/* The judgment's own verdict when it is about the key sent. */
static const ord_claim *key_verdict(const ord_diag *d, const ord_judgment *j)
{
	const ord_claim *c = j && j->verdict >= 0 ? &d->claims[j->verdict] : NULL;

	return c && in(key_family, c->cause) && c->cert >= ORD_CERT_STATIC ? c : NULL;
}

static int decide(ord_xmachine *m, const ord_claim *c, const char *cause, const char *fix)
{
	m->outcome = ORD_XM_DECIDED;
	m->cause = c ? c->cause : cause;
	free(m->fix);
	m->fix = strdup(c && c->fix ? c->fix : fix);
	return m->fix ? 0 : ENOMEM;
}

static int about_tool(ord_xmachine *m, const ord_diag *d, const ord_ctx *ctx)
{
	const ord_tool_res *t = &d->f.tools->v[m->tool];
	const ord_judgment *j = d->tools ? &d->tools[m->tool] : NULL;
	const ord_claim *v = key_verdict(d, j);
	char where[384], ans[600];
	const ord_keyrow *k;
	long hit, row;

	if (t->win < 0) {
		fact(m, "%s finds no key on this machine%s", t->p->name,
		     t->store >= 0 ? " it can read (it may keep one in a store ordoctor cannot read)" : "");
		if (t->store >= 0) {
			m->outcome = ORD_XM_MISSING;
			snprintf(m->missing, sizeof(m->missing),
				 "which key %s sends: `ordoctor run -- <the %s command>` shows it", t->p->name, t->p->id);
			return 0;
		}
		snprintf(m->decided_by, sizeof(m->decided_by), "no source %s reads holds a key", t->p->name);
		return decide(m, v, "key_missing_or_empty", ord_cause_fix("key_missing_or_empty"));
	}
	hit = t->keys[t->win].hit;
	row = ord_facts_row_of_hit(&d->f, hit);
	place(ctx, d, hit, where, sizeof(where));
	if (row < 0)
		return 0;
	k = &d->f.keys[row];
	fact(m, "%s sends %s", t->p->name, k->redacted);
	fact(m, "from %s%s", where, t->store >= 0 ? " (unless a store ordoctor cannot read holds another)" : "");
	if (k->live == ORD_LIVE_INVALID) {
		answer_text(k, ans, sizeof(ans));
		fact(m, "OpenRouter answers %s for it (GET /api/v1/key)", ans, NULL);
		snprintf(m->decided_by, sizeof(m->decided_by),
			 "OpenRouter rejects the key %s sends (%s, %s)", t->p->name, k->redacted, where);
		{
			char fix[1024];

			snprintf(fix, sizeof(fix), "Replace the key at %s with a new key from https://openrouter.ai/settings/keys.", where);
			return decide(m, v, "key_revoked_expired_or_unknown", fix);
		}
	}
	if (k->live == ORD_LIVE_VALID) {
		fact(m, "OpenRouter accepts it (GET /api/v1/key)%s", "", NULL);
		if (v) { /* e.g. an empty value that masks it, a wrong variable */
			snprintf(m->decided_by, sizeof(m->decided_by), "the judgment of %s on this machine", t->p->name);
			return decide(m, v, NULL, NULL);
		}
		m->outcome = ORD_XM_ELSEWHERE;
		snprintf(m->decided_by, sizeof(m->decided_by),
			 "the key %s should send works, so the failing request carried another key or none", t->p->name);
		snprintf(m->missing, sizeof(m->missing),
			 "which key %s really sent: `ordoctor run -- <the %s command>` shows it on the wire",
			 t->p->name, t->p->id);
		return 0;
	}
	set_missing(m, k, where);
	return 0;
}

static int about_machine(ord_xmachine *m, const ord_diag *d, const ord_ctx *ctx)
{
	const ord_claim *v = key_verdict(d, &d->main);
	size_t i, nvalid = 0, ninvalid = 0, nunknown = 0, n = 0;
	long dead = -1, unknown = -1;
	char where[384], num[32];

	for (i = 0; i < d->f.nkeys; i++) {
		const ord_keyrow *k = &d->f.keys[i];

		if (!k->openrouter)
			continue;
		n++;
		if (k->live == ORD_LIVE_VALID)
			nvalid++;
		else if (k->live == ORD_LIVE_INVALID) {
			ninvalid++;
			if (dead < 0)
				dead = (long)i;
		} else {
			nunknown++;
			if (unknown < 0)
				unknown = (long)i;
		}
	}
	if (!n) {
		fact(m, "no OpenRouter key on this machine%s", "", NULL);
		m->outcome = ORD_XM_MISSING;
		snprintf(m->missing, sizeof(m->missing),
			 "where the failing program runs: if here, it has no key to send (key_missing_or_empty); if in a container or CI job, the key is not forwarded there");
		return 0;
	}
	snprintf(num, sizeof(num), "%zu", n);
	fact(m, "%s OpenRouter key(s) found; the text names no tool%s", num,
	     " (--tool ID says which one it sends)");
	if (ninvalid) {
		const ord_keyrow *k = &d->f.keys[dead];
		char ans[600];

		place(ctx, d, k->nhits ? (long)k->hits[0] : -1, where, sizeof(where));
		answer_text(k, ans, sizeof(ans));
		fact(m, "OpenRouter answers %s for %s", ans, k->redacted);
		fact(m, "which lives at %s%s", where, NULL);
		if (v || !nvalid) {
			char fix[1024];

			snprintf(m->decided_by, sizeof(m->decided_by), "%s",
				 v ? "the judgment of this machine (ordoctor check)" :
				     "every OpenRouter key on this machine that OpenRouter answered for is rejected");
			snprintf(fix, sizeof(fix), "Replace the key at %s with a new key from https://openrouter.ai/settings/keys.", where);
			return decide(m, v, "key_revoked_expired_or_unknown", fix);
		}
		m->outcome = ORD_XM_MISSING;
		snprintf(m->missing, sizeof(m->missing),
			 "which key the failing tool sends: some keys here work, %s does not; `ordoctor explain --check --tool ID` or `ordoctor run -- <command>` tells",
			 k->redacted);
		return 0;
	}
	if (nunknown) {
		const ord_keyrow *k = &d->f.keys[unknown];

		place(ctx, d, k->nhits ? (long)k->hits[0] : -1, where, sizeof(where));
		set_missing(m, k, where);
		return 0;
	}
	fact(m, "OpenRouter accepts every one of them (GET /api/v1/key)%s", "", NULL);
	if (v) {
		snprintf(m->decided_by, sizeof(m->decided_by), "the judgment of this machine (ordoctor check)");
		return decide(m, v, NULL, NULL);
	}
	m->outcome = ORD_XM_ELSEWHERE;
	snprintf(m->decided_by, sizeof(m->decided_by),
		 "every key here works, so the failing request carried another key or none");
	snprintf(m->missing, sizeof(m->missing),
		 "which key the failing program really sent: `ordoctor run -- <its command>` shows it on the wire");
	return 0;
}

int ord_xmachine_run(ord_xmachine *m, ord_explain *x, const ord_diag *d,
		     const ord_ctx *ctx, long tool, const char *text, size_t len)
{
	int about_key = 0, rc;
	size_t i;

	memset(m, 0, sizeof(*m));
	m->tool = tool;
	if (m->tool < 0 && d->f.tools) {
		m->tool = ord_xmachine_tool_in_text(d->f.tools, text, len);
		m->tool_from_text = m->tool >= 0;
	}
	for (i = 0; i < x->ncauses && i < 3; i++)
		if (in(key_family, x->causes[i].id) && (i == 0 || !strcmp(x->causes[i].id, "key_revoked_expired_or_unknown")))
			about_key = 1;
	if (x->key_ok || !about_key) {
		m->outcome = ORD_XM_NOT_KEY;
		snprintf(m->decided_by, sizeof(m->decided_by), "%s",
			 x->key_ok ? "the text shows OpenRouter accepted the key: the machine's keys do not change the reading" :
				     "the text is not about a rejected key: the machine's keys do not change the reading");
		return 0;
	}
	rc = m->tool >= 0 ? about_tool(m, d, ctx) : about_machine(m, d, ctx);
	if (!rc)
		rerank(x, m);
	return rc;
}

void ord_xmachine_release(ord_xmachine *m)
{
	free(m->fix);
	m->fix = NULL;
}

int ord_xmachine_exit(const ord_xmachine *m, const ord_explain *x)
{
	switch (m->outcome) {
	case ORD_XM_DECIDED:
		return 1;
	case ORD_XM_ELSEWHERE:
	case ORD_XM_MISSING:
		return 3;
	default:
		return ord_explain_exit(x);
	}
}

static const char *outcome_id(ord_xm_outcome o)
{
	static const char *const ids[] = {"decided", "elsewhere", "missing", "not_about_the_key"};

	return ids[o];
}

static json_object *str_or_null(const char *s)
{
	return s && *s ? json_object_new_string(s) : NULL;
}

json_object *ord_xmachine_json(const ord_xmachine *m, const ord_diag *d)
{
	json_object *o = json_object_new_object(), *a = json_object_new_array();
	size_t i;

	json_object_object_add(o, "outcome", json_object_new_string(outcome_id(m->outcome)));
	json_object_object_add(o, "tool", m->tool >= 0 ? json_object_new_string(d->f.tools->v[m->tool].p->id) : NULL);
	json_object_object_add(o, "tool_named_in_text", json_object_new_boolean(m->tool_from_text));
	json_object_object_add(o, "cause", str_or_null(m->cause));
	json_object_object_add(o, "fix", str_or_null(m->fix));
	for (i = 0; i < m->nfacts; i++)
		json_object_array_add(a, json_object_new_string(m->facts[i]));
	json_object_object_add(o, "facts", a);
	json_object_object_add(o, "decided_by", str_or_null(m->decided_by));
	json_object_object_add(o, "missing", str_or_null(m->missing));
	return o;
}
