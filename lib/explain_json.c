/* explain_json: the `ordoctor.explain/1` document (docs/signatures.md,
 * "JSON").  Every string that came from the input went through the
 * output gate (gate.h) before it got here. */
#include "explain.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TL_WIDTH 60

static json_object *jstr(const char *s)
{
	return s && *s ? json_object_new_string(s) : NULL;
}

static json_object *strings(const char *const *v, size_t n)
{
	json_object *a = json_object_new_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_object_array_add(a, json_object_new_string(v[i]));
	return a;
}

static void seen(json_object *o, const char *key, const ord_ts *ts)
{
	json_object_object_add(o, key, ts->t == INT64_MIN ? NULL : json_object_new_string(ts->text));
}

static json_object *sig_json(const ord_explain *x, ord_logscan *ls, const ord_sigdb *db, size_t i)
{
	const ord_sig *s = &db->sigs[i];
	const ord_sigstat *st = ord_logscan_stat(ls, i);
	json_object *o = json_object_new_object();

	json_object_object_add(o, "id", json_object_new_string(s->id));
	json_object_object_add(o, "title", json_object_new_string(s->title));
	json_object_object_add(o, "category", json_object_new_string(s->category));
	json_object_object_add(o, "role", json_object_new_string(
		s->role == ORD_SIGROLE_FAILURE ? "failure" : s->role == ORD_SIGROLE_FALLBACK ? "fallback" : "evidence"));
	json_object_object_add(o, "status", s->status > 0 ? json_object_new_int(s->status) :
				s->status < 0 ? json_object_new_string("local") : NULL);
	json_object_object_add(o, "meaning", json_object_new_string(s->meaning));
	json_object_object_add(o, "check", jstr(s->check));
	json_object_object_add(o, "fix", json_object_new_string(s->fix));
	json_object_object_add(o, "sources", strings((const char *const *)s->sources, s->nsources));
	json_object_object_add(o, "count", json_object_new_int64((int64_t)ord_explain_sig_count(x, ls, i)));
	if (st && st->count) {
		seen(o, "first_seen", &st->first);
		seen(o, "last_seen", &st->last);
		json_object_object_add(o, "first_line", json_object_new_int64((int64_t)st->first_line));
		json_object_object_add(o, "last_line", json_object_new_int64((int64_t)st->last_line));
		json_object_object_add(o, "first_file", json_object_new_string(
			ord_logscan_input_name(ls, st->first_input)));
	}
	return o;
}

static json_object *evidence_json(const ord_explain *x, ord_logscan *ls, const ord_sigdb *db)
{
	const ord_evidence *ev = &x->ev;
	json_object *o = json_object_new_object(), *fr = json_object_new_array(), *d;
	size_t i;

	json_object_object_add(o, "status", ev->status ? json_object_new_int((int)ev->status) : NULL);
	json_object_object_add(o, "status_from", jstr(ev->status_from));
	json_object_object_add(o, "message", jstr(ev->message));
	json_object_object_add(o, "provider", jstr(ev->provider));
	json_object_object_add(o, "user_id_present", json_object_new_boolean(ev->user_id_present));
	json_object_object_add(o, "key_accepted", json_object_new_boolean(x->key_ok));
	if (x->mode == ORD_XMODE_LOGS)
		json_object_object_add(o, "key_accepted_lines", json_object_new_int64((int64_t)x->key_ok_lines));
	for (i = 0; i < ev->nfrags; i++)
		json_object_array_add(fr, json_object_new_string(ev->frags[i].text));
	json_object_object_add(o, "key_fragments", fr);
	json_object_object_add(o, "full_key_in_input", json_object_new_boolean(x->full_key_seen));
	json_object_object_add(o, "model", jstr(ev->model));
	json_object_object_add(o, "wrapper", jstr(ev->wrapper));
	json_object_object_add(o, "encoding", jstr(ev->encoding));
	json_object_object_add(o, "wrapper_vendor", jstr(ev->wrapper_vendor));
	json_object_object_add(o, "body", json_object_new_string(
		ev->have_body ? ord_body_kind_id(ev->body.kind) : ev->html ? "html" : "none"));
	json_object_object_add(o, "error_type", jstr(ev->have_body ? ev->body.error_type : NULL));
	json_object_object_add(o, "upstream_message", jstr(ev->have_body ? ev->body.raw_message : NULL));
	json_object_object_add(o, "midstream", json_object_new_boolean(ev->have_body && ev->body.midstream));
	{
		/* The first and last failure seen, over every kind. */
		const ord_ts *first = NULL, *last = NULL;

		for (i = 0; i < db->nsigs; i++) {
			const ord_sigstat *st = ord_logscan_stat(ls, i);

			if (!st || !st->count || db->sigs[i].role == ORD_SIGROLE_EVIDENCE || st->first.t == INT64_MIN)
				continue;
			if (!first || st->first.t < first->t)
				first = &st->first;
			if (!last || st->last.t > last->t)
				last = &st->last;
		}
		json_object_object_add(o, "first_seen", first ? json_object_new_string(first->text) : NULL);
		json_object_object_add(o, "last_seen", last ? json_object_new_string(last->text) : NULL);
	}
	if (ev->guessed) {
		d = json_object_new_object();
		json_object_object_add(d, "rule", jstr(ev->guess.rule));
		json_object_object_add(d, "cause", jstr(ev->guess.cause));
		fr = json_object_new_array();
		for (i = 0; i < 4 && ev->guess.candidates[i]; i++)
			json_object_array_add(fr, json_object_new_string(ev->guess.candidates[i]));
		json_object_object_add(d, "candidates", fr);
		json_object_object_add(o, "decoder", d);
	} else
		json_object_object_add(o, "decoder", NULL);
	fr = json_object_new_array();
	for (i = 0; i < x->nurls; i++) {
		d = json_object_new_object();
		json_object_object_add(d, "url", json_object_new_string(x->urls[i].url));
		json_object_object_add(d, "cause", jstr(x->urls[i].cause));
		json_object_object_add(d, "why", jstr(x->urls[i].why));
		json_object_array_add(fr, d);
	}
	json_object_object_add(o, "urls", fr);
	if (x->rate.have) {
		d = json_object_new_object();
		json_object_object_add(d, "limit", x->rate.limit >= 0 ? json_object_new_int64(x->rate.limit) : NULL);
		json_object_object_add(d, "remaining", x->rate.remaining >= 0 ? json_object_new_int64(x->rate.remaining) : NULL);
		json_object_object_add(d, "reset", x->rate.reset >= 0 ? json_object_new_int64(x->rate.reset) : NULL);
		json_object_object_add(d, "reset_utc", jstr(x->rate.reset_utc));
		json_object_object_add(o, "rate_limit", d);
	} else
		json_object_object_add(o, "rate_limit", NULL);
	fr = json_object_new_array();
	for (i = 0; i < x->nbugs; i++) {
		const ord_kbug *b = x->bugs[i].bug;

		d = json_object_new_object();
		json_object_object_add(d, "tool", json_object_new_string(b->tool));
		json_object_object_add(d, "version", jstr(x->bugs[i].version));
		json_object_object_add(d, "affected_from", jstr(b->from));
		json_object_object_add(d, "affected_to", jstr(b->to));
		json_object_object_add(d, "fixed", jstr(b->fixed));
		json_object_object_add(d, "url", json_object_new_string(b->url));
		json_object_array_add(fr, d);
	}
	json_object_object_add(o, "known_bugs", fr);
	json_object_object_add(o, "check", jstr(x->sig_check));
	fr = json_object_new_array();
	for (i = 0; i < x->nnotes; i++)
		json_object_array_add(fr, json_object_new_string(x->notes[i]));
	json_object_object_add(o, "notes", fr);
	return o;
}

static json_object *names_json(const ord_namecount *t, size_t n, uint64_t other, const ord_sigdb *db)
{
	json_object *a = json_object_new_array();
	size_t i;

	for (i = 0; i < n; i++) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "name", json_object_new_string(t[i].name));
		json_object_object_add(o, "count", json_object_new_int64((int64_t)t[i].count));
		json_object_object_add(o, "top", t[i].top_kind >= 0 ?
				       json_object_new_string(db->sigs[t[i].top_kind].id) : NULL);
		json_object_array_add(a, o);
	}
	if (other) {
		json_object *o = json_object_new_object();
		json_object_object_add(o, "name", json_object_new_string("(other)"));
		json_object_object_add(o, "count", json_object_new_int64((int64_t)other));
		json_object_array_add(a, o);
	}
	return a;
}

static json_object *summary_json(ord_logscan *ls, const ord_sigdb *db)
{
	json_object *o = json_object_new_object(), *a = json_object_new_array(), *t;
	const ord_namecount *nc;
	ord_alternation alt[4];
	uint64_t other, counts[TL_WIDTH];
	long kinds[TL_WIDTH];
	size_t i, n;
	int by_time;
	int64_t start, end;
	char *sym = calloc(db->nsigs ? db->nsigs : 1, 1);

	json_object_object_add(o, "files", json_object_new_int(ord_logscan_inputs(ls)));
	json_object_object_add(o, "bytes", json_object_new_int64((int64_t)ord_logscan_bytes(ls)));
	json_object_object_add(o, "lines", json_object_new_int64((int64_t)ord_logscan_lines(ls)));
	json_object_object_add(o, "failure_lines", json_object_new_int64((int64_t)ord_logscan_matched_lines(ls)));
	for (i = 0; i < db->nsigs; i++) {
		const ord_sigstat *st = ord_logscan_stat(ls, i);
		json_object *s;

		if (!st || !st->count)
			continue;
		s = json_object_new_object();
		json_object_object_add(s, "id", json_object_new_string(db->sigs[i].id));
		json_object_object_add(s, "count", json_object_new_int64((int64_t)st->count));
		json_object_object_add(s, "kind_count", json_object_new_int64((int64_t)st->kind_count));
		seen(s, "first_seen", &st->first);
		seen(s, "last_seen", &st->last);
		json_object_object_add(s, "first_line", json_object_new_int64((int64_t)st->first_line));
		json_object_object_add(s, "last_line", json_object_new_int64((int64_t)st->last_line));
		json_object_object_add(s, "first_file", json_object_new_string(ord_logscan_input_name(ls, st->first_input)));
		json_object_object_add(s, "last_file", json_object_new_string(ord_logscan_input_name(ls, st->last_input)));
		json_object_array_add(a, s);
	}
	json_object_object_add(o, "signatures", a);
	n = ord_logscan_providers(ls, &nc, &other);
	json_object_object_add(o, "providers", names_json(nc, n, other, db));
	n = ord_logscan_models(ls, &nc, &other);
	json_object_object_add(o, "models", names_json(nc, n, other, db));
	a = json_object_new_array();
	n = ord_logscan_alternations(ls, alt, 4);
	for (i = 0; i < n; i++) {
		json_object *s = json_object_new_object();
		json_object_object_add(s, "a", json_object_new_string(db->sigs[alt[i].a].id));
		json_object_object_add(s, "b", json_object_new_string(db->sigs[alt[i].b].id));
		json_object_object_add(s, "switches", json_object_new_int64((int64_t)alt[i].switches));
		json_object_array_add(a, s);
	}
	json_object_object_add(o, "alternations", a);
	if (sym && ord_logscan_timeline(ls, TL_WIDTH, kinds, counts, &by_time, &start, &end)) {
		char cols[TL_WIDTH + 1], tb[32];
		json_object *lg = json_object_new_object();

		ord_explain_symbols(ls, db, sym);
		for (i = 0; i < TL_WIDTH; i++)
			cols[i] = kinds[i] >= 0 && sym[kinds[i]] ? sym[kinds[i]] : '.';
		cols[TL_WIDTH] = '\0';
		t = json_object_new_object();
		json_object_object_add(t, "axis", json_object_new_string(by_time ? "time" : "bytes"));
		if (by_time) {
			ord_explain_time(start, tb, sizeof(tb));
			json_object_object_add(t, "start", json_object_new_string(tb));
			ord_explain_time(end, tb, sizeof(tb));
			json_object_object_add(t, "end", json_object_new_string(tb));
		} else {
			json_object_object_add(t, "start", json_object_new_int64(start));
			json_object_object_add(t, "end", json_object_new_int64(end));
		}
		json_object_object_add(t, "columns", json_object_new_string(cols));
		for (i = 0; i < db->nsigs; i++)
			if (sym[i] && sym[i] != '#') {
				char k[2] = {sym[i], 0};
				json_object_object_add(lg, k, json_object_new_string(db->sigs[i].id));
			}
		json_object_object_add(t, "legend", lg);
		json_object_object_add(o, "timeline", t);
	} else
		json_object_object_add(o, "timeline", NULL);
	free(sym);
	return o;
}

json_object *ord_explain_json(const ord_explain *x, ord_logscan *ls, const ord_sigdb *db, size_t top)
{
	json_object *doc = json_object_new_object(), *a = json_object_new_array(), *in;
	size_t i, n = top && top < x->ncauses ? top : x->ncauses;
	int f;

	json_object_object_add(doc, "schema", json_object_new_string("ordoctor.explain/1"));
	json_object_object_add(doc, "mode", json_object_new_string(x->mode == ORD_XMODE_LOGS ? "logs" : "message"));
	json_object_object_add(doc, "recognised", json_object_new_boolean(x->recognised));
	in = json_object_new_object();
	{
		json_object *files = json_object_new_array();
		for (f = 0; f < ord_logscan_inputs(ls); f++)
			json_object_array_add(files, json_object_new_string(ord_logscan_input_name(ls, f)));
		json_object_object_add(in, "files", files);
	}
	json_object_object_add(in, "bytes", json_object_new_int64((int64_t)ord_logscan_bytes(ls)));
	json_object_object_add(in, "lines", json_object_new_int64((int64_t)ord_logscan_lines(ls)));
	json_object_object_add(in, "failure_lines", json_object_new_int64((int64_t)x->failure_lines));
	json_object_object_add(doc, "input", in);
	for (i = 0; i < n; i++) {
		const ord_xcause *c = &x->causes[i];
		json_object *o = json_object_new_object(), *sigs = json_object_new_array();
		size_t k;

		json_object_object_add(o, "id", json_object_new_string(c->id));
		json_object_object_add(o, "category", jstr(c->category));
		{
			char sc[16];

			snprintf(sc, sizeof(sc), "%.2f", c->score);
			json_object_object_add(o, "score", json_object_new_double_s(c->score, sc));
		}
		json_object_object_add(o, "meaning", jstr(c->meaning));
		json_object_object_add(o, "check", jstr(c->check));
		json_object_object_add(o, "fix", jstr(c->fix));
		json_object_object_add(o, "sources", strings(c->sources, c->nsources));
		for (k = 0; k < c->nsigs; k++)
			json_object_array_add(sigs, json_object_new_string(db->sigs[c->sigs[k]].id));
		json_object_object_add(o, "signatures", sigs);
		json_object_array_add(a, o);
	}
	json_object_object_add(doc, "causes", a);
	a = json_object_new_array();
	for (i = 0; i < db->nsigs; i++)
		if (ord_explain_sig_count(x, ls, i))
			json_object_array_add(a, sig_json(x, ls, db, i));
	json_object_object_add(doc, "signatures", a);
	json_object_object_add(doc, "top_signature", x->top_sig >= 0 ?
			       json_object_new_string(db->sigs[x->top_sig].id) : NULL);
	json_object_object_add(doc, "evidence", evidence_json(x, ls, db));
	if (x->mode == ORD_XMODE_LOGS || x->failure_lines > 1)
		json_object_object_add(doc, "summary", summary_json(ls, db));
	if (!x->recognised) {
		a = json_object_new_array();
		for (i = 0; ord_explain_next_steps[i]; i++)
			json_object_array_add(a, json_object_new_string(ord_explain_next_steps[i]));
		json_object_object_add(doc, "next_steps", a);
	}
	json_object_object_add(doc, "exit", json_object_new_int(ord_explain_exit(x)));
	return doc;
}
