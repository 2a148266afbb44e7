/* facts: discovery, resolution, grouping, and what the network answers.
 * No judgment here: see facts.h. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facts.h"
#include "helper.h"

enum {
	/* entries of the seen-valid cache older than this are dropped */
	CACHE_KEEP = 90 * 24 * 3600,
};

const char *ord_live_id(ord_live l)
{
	static const char *const ids[] = {"not_checked", "valid", "invalid",
					  "unknown"};
	return (unsigned)l < sizeof(ids) / sizeof(*ids) ? ids[l] : "?";
}

const char *ord_unknown_why_id(ord_unknown_why w)
{
	static const char *const ids[] = {"", "offline", "no_answer", "not_sent"};
	return (unsigned)w < sizeof(ids) / sizeof(*ids) ? ids[w] : "?";
}

void ord_facts_init(ord_facts *f)
{
	memset(f, 0, sizeof(*f));
	ord_hits_init(&f->hits);
	f->chat.row = -1;
}

void ord_facts_release(ord_facts *f)
{
	size_t i;

	for (i = 0; i < f->nkeys; i++) {
		free(f->keys[i].hits);
		free(f->keys[i].used_by);
	}
	free(f->keys);
	free(f->bases);
	free(f->wire);
	if (f->tools) {
		ord_tools_release(f->tools);
		free(f->tools);
	}
	ord_hits_release(&f->hits);
	memset(f, 0, sizeof(*f));
	f->chat.row = -1;
}

const ord_hit *ord_facts_hit(const ord_facts *f, long hit)
{
	return hit >= 0 && (size_t)hit < f->hits.n ? &f->hits.v[hit] : NULL;
}

long ord_facts_row_of_hit(const ord_facts *f, long hit)
{
	size_t i, j;

	for (i = 0; i < f->nkeys; i++)
		for (j = 0; j < f->keys[i].nhits; j++)
			if ((long)f->keys[i].hits[j] == hit)
				return (long)i;
	return -1;
}

int ord_facts_add_wire(ord_facts *f, const ord_wire_fact *w)
{
	ord_wire_fact *n = realloc(f->wire, (f->nwire + 1) * sizeof(*n));
	long row = ord_facts_row_of_hit(f, w->hit);
	ord_keyrow *k = row >= 0 ? &f->keys[row] : NULL;

	if (!n)
		return ENOMEM;
	f->wire = n;
	f->wire[f->nwire++] = *w;
	/* what OpenRouter said about the key on the wire is what /key
	 * would say; an earlier answer stays */
	if (!k || k->live == ORD_LIVE_VALID || k->live == ORD_LIVE_INVALID)
		return 0;
	if (w->cause && (w->status == 401 || w->status == 403) &&
	    (!strcmp(w->cause, "key_revoked_expired_or_unknown") ||
	     !strcmp(w->cause, "tool_stale_stored_key"))) {
		k->live = ORD_LIVE_INVALID;
		k->why = ORD_WHY_NONE;
		k->http_status = w->status;
		snprintf(k->message, sizeof(k->message), "%s", w->message);
	} else if (w->status >= 200 && w->status < 300) {
		k->live = ORD_LIVE_VALID;
		k->why = ORD_WHY_NONE;
		k->http_status = w->status;
	}
	return 0;
}

/* ---- grouping ----------------------------------------------------------- */

static int csv_has(const char *list, const char *id, size_t len)
{
	const char *p = list;

	while (p && *p) {
		const char *c = strchr(p, ',');
		size_t pl = c ? (size_t)(c - p) : strlen(p);

		if (pl == len && !memcmp(p, id, len))
			return 1;
		p = c ? c + 1 : NULL;
	}
	return 0;
}

static void add_tool(ord_keyrow *row, const char *id)
{
	ord_buf b = ORD_BUF_INIT(4096);

	if (row->used_by && csv_has(row->used_by, id, strlen(id)))
		return;
	if (row->used_by) {
		ord_buf_adds(&b, row->used_by);
		ord_buf_addc(&b, ',');
	}
	ord_buf_adds(&b, id);
	free(row->used_by);
	row->used_by = ord_buf_detach(&b, NULL);
}

/* A .env file or a tool's own config is read by the tools whose profile
 * reads that file (a key in ~/.hermes/.env is Hermes's alone): the tools
 * whose resolution has that place as a candidate. */
static int place_of_one_file(const ord_hit *h)
{
	return h->kind == ORD_SRC_DOTENV || h->kind == ORD_SRC_CONFIG;
}

static void used_by_resolution(ord_facts *f, const ord_hit *h, ord_keyrow *row)
{
	size_t t, c;

	for (t = 0; f->tools && t < f->tools->n; t++) {
		const ord_tool_res *tr = &f->tools->v[t];
		for (c = 0; c < tr->nkeys; c++) {
			const ord_hit *x = &f->hits.v[tr->keys[c].hit];
			if (x == h || (x->kind == h->kind && x->line == h->line && x->path && h->path &&
				       !strcmp(x->path, h->path) && x->name && h->name && !strcmp(x->name, h->name)))
				add_tool(row, tr->p->id);
		}
	}
}

/* Tool ids reading a hit's variable, merged into row->used_by. */
static void add_used_by(ord_keyrow *row, const ord_hit *h)
{
	const ord_varspec *s;
	ord_buf b = ORD_BUF_INIT(4096);
	const char *t, *e;

	if (!h->name || h->kind == ORD_SRC_NETRC || h->kind == ORD_SRC_SCAN)
		return;
	s = ord_var_lookup(h->name, strlen(h->name));
	if (!s || !s->tools)
		return;
	if (row->used_by)
		ord_buf_adds(&b, row->used_by);
	for (t = s->tools; *t; t = *e ? e + 1 : e) {
		e = strchr(t, ',');
		if (!e)
			e = t + strlen(t);
		if (csv_has(ord_buf_str(&b), t, (size_t)(e - t)))
			continue;
		if (b.len)
			ord_buf_addc(&b, ',');
		ord_buf_add(&b, t, (size_t)(e - t));
	}
	free(row->used_by);
	row->used_by = ord_buf_detach(&b, NULL);
}

int ord_facts_group(ord_facts *f)
{
	size_t i, j;

	for (i = 0; i < f->hits.n; i++) {
		ord_hit *h = &f->hits.v[i];
		ord_keyrow *row = NULL;
		size_t *nh;

		/* a template's value lives where its variable is set */
		if (h->role == ORD_ROLE_BASE_URL ||
		    (h->flags & (ORD_HIT_COMMAND | ORD_HIT_TEMPLATE)))
			continue;
		for (j = 0; j < f->nkeys; j++)
			if (ord_key_equal(&f->hits.v[f->keys[j].hits[0]].key, &h->key)) {
				row = &f->keys[j];
				break;
			}
		if (!row) {
			ord_keyrow *n = realloc(f->keys, (f->nkeys + 1) * sizeof(*n));
			if (!n)
				return ENOMEM;
			f->keys = n;
			row = &f->keys[f->nkeys++];
			memset(row, 0, sizeof(*row));
			ord_key_redact(&h->key, row->redacted);
			ord_key_fingerprint(&h->key, row->fingerprint);
			row->openrouter = ord_key_is_openrouter(&h->key) &&
					  h->role != ORD_ROLE_NETRC;
			row->why = row->openrouter ? ORD_WHY_NONE : ORD_WHY_NOT_SENT;
		}
		nh = realloc(row->hits, (row->nhits + 1) * sizeof(*nh));
		if (!nh)
			return ENOMEM;
		row->hits = nh;
		row->hits[row->nhits++] = i;
		row->lint |= h->key.lint;
		/* the environment and start-up files are shared by every tool
		 * that reads the variable; a file, by the tools that read it */
		if (f->tools && place_of_one_file(h))
			used_by_resolution(f, h, row);
		else
			add_used_by(row, h);
	}
	return 0;
}

int ord_facts_gather(ord_ctx *ctx, ord_facts *f)
{
	char base[ORD_API_URL_MAX];

	f->now = ord_now(ctx);
	f->offline = ctx->offline;
	snprintf(f->api_base, sizeof(f->api_base), "%s", ord_api_base(ctx, base));
	f->api_base_default = ord_api_base_is_default(f->api_base);
	ord_discover_all(ctx, &f->hits);
	/* tool configs add hits of their own: resolve before grouping */
	f->tools = calloc(1, sizeof(*f->tools));
	if (!f->tools)
		return ENOMEM;
	ord_tools_resolve(ctx, &f->hits, f->tools);
	ord_helpers_apply(ctx, &f->hits);
	return ord_facts_group(f);
}

/* ---- the seen-valid cache (for the incident rule) ------------------------ */

static char *cache_path(const ord_ctx *ctx)
{
	const char *x = ord_env_get(ctx, "XDG_CACHE_HOME");

	if (x && *x == '/')
		return ord_path_join(x, "ordoctor/seen-valid");
	return ord_path_join(ctx->home, ".cache/ordoctor/seen-valid");
}

/* Last time a fingerprint was seen valid, or 0. */
static time_t cache_seen(const ord_buf *cache, const char *fp)
{
	const char *p = ord_buf_str(cache);
	size_t fl = strlen(fp);

	while (p && *p) {
		if (!strncmp(p, fp, fl) && p[fl] == ' ')
			return (time_t)strtoll(p + fl + 1, NULL, 10);
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return 0;
}

static void cache_update(ord_ctx *ctx, const ord_buf *old, const ord_facts *f)
{
	ord_buf b = ORD_BUF_INIT(64 * 1024);
	const char *p = ord_buf_str(old);
	char *path = cache_path(ctx);
	size_t i;

	while (p && *p) {
		const char *nl = strchr(p, '\n');
		size_t ll = nl ? (size_t)(nl - p) : strlen(p);
		int replaced = 0;

		for (i = 0; i < f->nkeys; i++)
			if (f->keys[i].live == ORD_LIVE_VALID &&
			    !strncmp(p, f->keys[i].fingerprint, ORD_FP_LEN))
				replaced = 1;
		if (!replaced && ll > ORD_FP_LEN &&
		    f->now - (time_t)strtoll(p + ORD_FP_LEN + 1, NULL, 10) < CACHE_KEEP) {
			ord_buf_add(&b, p, ll);
			ord_buf_addc(&b, '\n');
		}
		p = nl ? nl + 1 : NULL;
	}
	for (i = 0; i < f->nkeys; i++)
		if (f->keys[i].live == ORD_LIVE_VALID)
			ord_buf_addf(&b, "%s %lld\n", f->keys[i].fingerprint, (long long)f->now);
	if (path)
		ord_write_file(ctx, path, ord_buf_str(&b), b.len);
	free(path);
	ord_buf_release(&b);
}

/* ---- probes ---------------------------------------------------------------- */

static void network_fact(ord_ctx *ctx, ord_facts *f)
{
	ord_http_resp r;
	const char *step;

	ord_http_resp_init(&r);
	ord_api_netcheck(ctx, &r);
	step = r.reached == ORD_STEP_NONE ? "resolving the host name" :
	       r.reached == ORD_STEP_DNS ? "connecting (TCP)" :
	       r.reached == ORD_STEP_TCP ? (strncmp(f->api_base, "https:", 6) ? "sending the request" :
									"the TLS handshake") :
	       r.reached == ORD_STEP_TLS ? "waiting for an HTTP answer" : NULL;
	f->net.checked = 1;
	f->net.ok = step == NULL;
	f->net.status = r.status;
	snprintf(f->net.host, sizeof(f->net.host), "%s", r.host[0] ? r.host : f->api_base);
	snprintf(f->net.step, sizeof(f->net.step), "%s", step ? step : "");
	snprintf(f->net.error, sizeof(f->net.error), "%s", r.errtext[0] ? r.errtext : "no answer");
	snprintf(f->net.proxy, sizeof(f->net.proxy), "%s", r.proxy);
	ord_http_resp_release(&r);
}

static int probe_keys(ord_ctx *ctx, ord_facts *f)
{
	const ord_key **keys = calloc(f->nkeys + 1, sizeof(*keys));
	ord_key_check *res = calloc(f->nkeys + 1, sizeof(*res));
	size_t *rows = calloc(f->nkeys + 1, sizeof(*rows));
	ord_buf cache = ORD_BUF_INIT(64 * 1024);
	size_t i, n = 0, nvalid = 0;
	int rc = ENOMEM, no_answer = 0;
	char *cpath;

	if (!keys || !res || !rows)
		goto out;
	for (i = 0; i < f->nkeys; i++)
		if (f->keys[i].openrouter) {
			keys[n] = &f->hits.v[f->keys[i].hits[0]].key;
			rows[n++] = i;
		}
	rc = 0;
	if (!n)
		goto out;
	if ((rc = ord_api_check_keys(ctx, keys, n, res)))
		goto out;
	cpath = cache_path(ctx);
	if (cpath)
		ord_read_file(ctx, cpath, 64 * 1024, &cache, NULL);
	free(cpath);
	for (i = 0; i < n; i++) {
		ord_keyrow *row = &f->keys[rows[i]];
		const ord_key_check *kc = &res[i];

		row->http_status = kc->http_status;
		row->seen_valid = cache_seen(&cache, row->fingerprint);
		switch (kc->status) {
		case ORD_KEYST_VALID:
			row->live = ORD_LIVE_VALID;
			row->has_info = 1;
			row->info = kc->info;
			nvalid++;
			break;
		case ORD_KEYST_INVALID:
			row->live = ORD_LIVE_INVALID;
			snprintf(row->message, sizeof(row->message), "%s",
				 *kc->error.message ? kc->error.message : kc->reason);
			break;
		default:
			row->live = ORD_LIVE_UNKNOWN;
			row->why = ORD_WHY_NO_ANSWER;
			snprintf(row->message, sizeof(row->message), "%s", kc->reason);
			if (!kc->http_status)
				no_answer = 1;
			break;
		}
	}
	if (no_answer)
		network_fact(ctx, f);
	if (nvalid)
		cache_update(ctx, &cache, f);
out:
	ord_buf_release(&cache);
	free(keys);
	free(res);
	free(rows);
	return rc;
}

/* The URL form a base needs: the form of the tool that reads it, else
 * what the variable's name says (ANTHROPIC_BASE_URL: …/api). */
static ord_url_form form_of(const ord_facts *f, long hit)
{
	const ord_hit *h = &f->hits.v[hit];
	const char *name = h->name, *dot;
	size_t i, j;

	for (i = 0; f->tools && i < f->tools->n; i++)
		for (j = 0; j < f->tools->v[i].nbases; j++)
			if (f->tools->v[i].bases[j].hit == hit)
				switch (f->tools->v[i].p->base_form) {
				case ORD_FORM_ANTHROPIC: return ORD_URL_ANTHROPIC;
				case ORD_FORM_FULL: return ORD_URL_FULL;
				default: return ORD_URL_OPENAI;
				}
	if (name && (dot = strrchr(name, '.')))
		name = dot + 1;
	return name && !strncmp(name, "ANTHROPIC_", 10) ? ORD_URL_ANTHROPIC : ORD_URL_OPENAI;
}

/* A URL found in a file names a host; a cloned repository must not make
 * ordoctor contact hosts the user never chose.  Only OpenRouter's own
 * host (unless --api-base chose another endpoint: then only that one),
 * and loopback are probed. */
static int may_probe(const ord_facts *f, const char *url)
{
	ord_url_lint l;
	char base_host[256] = "";
	ord_url_lint bl;

	if (ord_url_lint_check(url, ORD_URL_OPENAI, &l) || !l.host[0])
		return 0;
	if (!ord_url_lint_check(f->api_base, ORD_URL_OPENAI, &bl))
		snprintf(base_host, sizeof(base_host), "%s", bl.host);
	return (f->api_base_default && !strcmp(l.host, "openrouter.ai")) ||
	       ord_url_is_loopback_host(l.host) || (base_host[0] && !strcmp(l.host, base_host));
}

static int probe_bases(ord_ctx *ctx, ord_facts *f)
{
	const char **bases = calloc(f->hits.n + 1, sizeof(*bases));
	ord_url_form *forms = calloc(f->hits.n + 1, sizeof(*forms));
	size_t i, j, n = 0;
	int rc = ENOMEM;

	f->bases = calloc(f->hits.n + 1, sizeof(*f->bases));
	if (!bases || !forms || !f->bases)
		goto out;
	for (i = 0; i < f->hits.n; i++) {
		const ord_hit *h = &f->hits.v[i];
		int dup = 0;

		if (h->role != ORD_ROLE_BASE_URL || (h->flags & ORD_HIT_SHADOWED_IN_FILE) ||
		    (h->flags & ORD_HIT_COMMAND) || !h->key.norm_len)
			continue;
		for (j = 0; j < n; j++)
			if (!strcmp(bases[j], h->key.norm))
				dup = 1;
		if (dup)
			continue;
		f->bases[n].hit = (long)i;
		bases[n] = h->key.norm;
		forms[n++] = form_of(f, (long)i);
	}
	f->nbases = n;
	rc = 0;
	for (i = 0; i < n; i++) {
		ord_base_probe *p = &f->bases[i].probe;
		if (!may_probe(f, bases[i])) {
			p->result = ORD_PROBE_SKIPPED;
			snprintf(p->reason, sizeof(p->reason),
				 f->api_base_default ?
				 "not probed: ordoctor contacts only OpenRouter and loopback hosts" :
				 "not probed: with --api-base, ordoctor contacts only that host and loopback hosts");
		}
	}
	/* probe the allowed ones in one batch */
	{
		const char **sel = calloc(n + 1, sizeof(*sel));
		ord_url_form *sf = calloc(n + 1, sizeof(*sf));
		ord_base_probe *sr = calloc(n + 1, sizeof(*sr));
		size_t *ix = calloc(n + 1, sizeof(*ix)), m = 0;

		if (!sel || !sf || !sr || !ix)
			rc = ENOMEM;
		for (i = 0; rc == 0 && i < n; i++)
			if (f->bases[i].probe.result != ORD_PROBE_SKIPPED || !f->bases[i].probe.reason[0]) {
				sel[m] = bases[i];
				sf[m] = forms[i];
				ix[m++] = i;
			}
		if (rc == 0 && m && !(rc = ord_api_probe_bases(ctx, sel, sf, m, NULL, sr)))
			for (i = 0; i < m; i++)
				f->bases[ix[i]].probe = sr[i];
		free(sel);
		free(sf);
		free(sr);
		free(ix);
	}
out:
	free(bases);
	free(forms);
	return rc;
}

/* The key a tool started from this shell would send, if it is alive;
 * else any valid key. */
static long chat_row(const ord_facts *f)
{
	size_t i, j;

	for (i = 0; i < f->nkeys; i++) {
		if (f->keys[i].live != ORD_LIVE_VALID)
			continue;
		for (j = 0; j < f->keys[i].nhits; j++)
			if (f->hits.v[f->keys[i].hits[j]].kind == ORD_SRC_ENV)
				return (long)i;
	}
	for (i = 0; i < f->nkeys; i++)
		if (f->keys[i].live == ORD_LIVE_VALID)
			return (long)i;
	return -1;
}

int ord_facts_probe(ord_ctx *ctx, ord_facts *f, unsigned what, const char *chat_model)
{
	size_t i;
	int rc = 0;

	f->probed = 1;
	f->offline = ctx->offline;
	if (ctx->offline) {
		for (i = 0; i < f->nkeys; i++)
			if (f->keys[i].openrouter) {
				f->keys[i].live = ORD_LIVE_NOT_CHECKED;
				f->keys[i].why = ORD_WHY_OFFLINE;
			}
		f->chat.asked = !!(what & ORD_PROBE_CHAT);
		return 0;
	}
	if ((what & ORD_PROBE_KEYS) && (rc = probe_keys(ctx, f)))
		return rc;
	if ((what & ORD_PROBE_BASES) && (rc = probe_bases(ctx, f)))
		return rc;
	if (what & ORD_PROBE_CHAT) {
		f->chat.asked = 1;
		f->chat.row = chat_row(f);
		if (f->chat.row >= 0)
			rc = ord_api_chat_probe(ctx, &f->hits.v[f->keys[f->chat.row].hits[0]].key,
						chat_model, &f->chat.p);
		if (!rc && f->chat.row >= 0 && !f->chat.p.ok && !f->chat.p.http_status &&
		    !f->net.checked)
			network_fact(ctx, f);
	}
	return rc;
}
