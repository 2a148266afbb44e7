/* rules_key: what OpenRouter said about each key (/key, --chat, the wire),
 * and the facts that are missing about them.  See rules.h. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "rules_internal.h"

/* ---- what OpenRouter says about each key --------------------------------- */

enum {
	INCIDENT_WINDOW = 7 * 24 * 3600,
	EXPIRY_WARN = 7 * 24 * 3600,
};

/* Every key refused with "User not found.", one of them valid a few days
 * ago: more likely OpenRouter than every key dying at once. */
static int incident(const ord_facts *f)
{
	size_t i, n = 0, dead = 0;
	int recent = 0;

	for (i = 0; i < f->nkeys; i++) {
		const ord_keyrow *k = &f->keys[i];
		if (!k->openrouter)
			continue;
		n++;
		if (k->live == ORD_LIVE_INVALID && !strcmp(k->message, "User not found.")) {
			dead++;
			if (k->seen_valid && f->now - k->seen_valid < INCIDENT_WINDOW)
				recent = 1;
		}
	}
	return n && dead == n && recent;
}

void rule_keys(rstate *r)
{
	const ord_facts *f = r->f;
	int inc = incident(f), pass;
	long valid;
	size_t i;
	ord_claim *c;

	if (inc)
		rule_claim(r, "openrouter_incident", ORD_STORY_INCIDENT, ORD_CERT_OBSERVED,
			   ORD_REACH_SENT);
	/* dead keys first: among equally sure claims, the central story of
	 * causes.md comes before the rarer ones */
	for (pass = 0; pass < 2; pass++)
	for (i = 0; i < f->nkeys; i++) {
		const ord_keyrow *k = &f->keys[i];
		const ord_key_info *in = &k->info;

		c = NULL;
		if ((k->live == ORD_LIVE_INVALID) != (pass == 0))
			continue;
		if (k->live == ORD_LIVE_INVALID && !inc)
			c = rule_claim(r, "key_revoked_expired_or_unknown", ORD_STORY_DEAD,
				       ORD_CERT_OBSERVED, rule_row_reach(r, (long)i));
		else if (k->live == ORD_LIVE_UNKNOWN && k->http_status && k->http_status != 401) {
			/* an answer that says something else (rate limit, 402…) */
			ord_api_error e;
			ord_cause_guess g;
			memset(&g, 0, sizeof(g));
			memset(&e, 0, sizeof(e));
			e.status = k->http_status;
			snprintf(e.message, sizeof(e.message), "%s", k->message);
			if (ord_api_classify(&e, &g) && g.cause)
				c = rule_claim(r, g.cause, ORD_STORY_KEY_ANSWER, ORD_CERT_OBSERVED,
					       rule_row_reach(r, (long)i));
		} else if (k->live == ORD_LIVE_VALID && k->has_info && in->is_management_key)
			c = rule_claim(r, "management_key_used_for_inference", ORD_STORY_MANAGEMENT,
				       ORD_CERT_OBSERVED, rule_row_reach(r, (long)i));
		else if (k->live == ORD_LIVE_VALID && k->has_info &&
			 !isnan(in->limit_remaining) && in->limit_remaining <= 0)
			c = rule_claim(r, "per_key_credit_limit", ORD_STORY_LIMIT, ORD_CERT_OBSERVED,
				       rule_row_reach(r, (long)i));
		else if (k->live == ORD_LIVE_VALID && k->has_info && in->expires &&
			 in->expires - f->now < EXPIRY_WARN)
			c = rule_claim(r, "key_revoked_expired_or_unknown", ORD_STORY_EXPIRING,
				       ORD_CERT_NOTE, rule_row_reach(r, (long)i));
		if (c) {
			c->row = (long)i;
			c->hit = rule_first_effective_hit(f, k);
			if ((valid = rule_valid_row(f, (long)i)) >= 0)
				c->other = (long)f->keys[valid].hits[0];
		}
	}
}

void rule_chat(rstate *r)
{
	const ord_facts *f = r->f;
	const ord_chat_probe *p = &f->chat.p;
	const ord_keyrow *k;
	ord_claim *c;

	if (!f->chat.asked || f->chat.row < 0 || p->ok || !p->http_status || !p->cause.cause)
		return;
	k = &f->keys[f->chat.row];
	/* a management key cannot chat: key_status already says why */
	if (k->has_info && k->info.is_management_key)
		return;
	c = rule_claim(r, p->cause.cause, ORD_STORY_CHAT, ORD_CERT_OBSERVED,
		       rule_row_reach(r, f->chat.row));
	if (c) {
		c->row = f->chat.row;
		c->hit = rule_first_effective_hit(f, k);
	}
}

/* What a request showed by itself (both headers, no key, a doubled path,
 * a key other than the predicted one); a dead key on the wire is told by
 * the key and tool rules, from the liveness the wire settled. */
void rule_wire(rstate *r)
{
	const ord_facts *f = r->f;
	size_t i;

	for (i = 0; i < f->nwire; i++) {
		const ord_wire_fact *w = &f->wire[i];
		ord_claim *c;
		const ord_keyrow *k = rule_row(f, w->hit);

		if (!w->cause || !strcmp(w->cause, "key_revoked_expired_or_unknown") ||
		    (k && k->live == ORD_LIVE_INVALID && !strcmp(w->cause, "tool_stale_stored_key")))
			continue;
		c = rule_claim(r, w->cause, ORD_STORY_WIRE, ORD_CERT_OBSERVED, ORD_REACH_SENT);
		if (c) {
			c->tool = r->focus;
			c->hit = w->hit;
			c->other = (long)i;
		}
	}
}

/* ---- missing facts --------------------------------------------------------- */

void gaps_keys(rstate *r)
{
	const ord_facts *f = r->f;
	size_t i;

	for (i = 0; i < f->nkeys; i++) {
		const ord_keyrow *k = &f->keys[i];

		if (!k->openrouter || rule_row_reach(r, (long)i) == ORD_REACH_UNREAD)
			continue;
		if (k->live == ORD_LIVE_NOT_CHECKED)
			ord_diag_gap(r->d, ORD_GAP_OFFLINE, -1, (long)i);
		else if (k->live == ORD_LIVE_UNKNOWN)
			ord_diag_gap(r->d, ORD_GAP_NO_ANSWER, -1, (long)i);
	}
	if (f->chat.asked && f->chat.row >= 0 && !f->chat.p.ok && !f->chat.p.http_status)
		ord_diag_gap(r->d, ORD_GAP_NO_ANSWER, -1, f->chat.row);
}

