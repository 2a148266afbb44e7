/* live: the checks that ask OpenRouter (issue 3) and the base-URL lint.
 *
 * Every distinct well-formed key is sent once to GET /key, all at the same
 * time (lib/api); the answers become each key's live status and the
 * findings key_revoked_expired_or_unknown, management_key_used_for_inference,
 * per_key_credit_limit, openrouter_incident, tool_stale_stored_key.  Base
 * URLs found on the machine are linted offline and probed online.
 *
 * The incident rule needs memory across runs: a small cache of the
 * fingerprints last seen valid, with timestamps and no secrets, under
 * $XDG_CACHE_HOME/ordoctor (or ~/.cache/ordoctor).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "check.h"
#include "diag_internal.h"
#include "live.h"

enum {
	SCORE_DEAD = 70,
	SCORE_INCIDENT = 85,
	SCORE_MANAGEMENT = 65,
	SCORE_LIMIT = 60,
	SCORE_URL_WRONG = 50,
	SCORE_URL_MAYBE = 20,
	SCORE_REDIRECT = 55,
	INCIDENT_WINDOW = 7 * 24 * 3600,
};

/* The .env files that tools keep for themselves: a dead key there, with a
 * live one elsewhere, is that tool's stale stored key. */
static int tool_store(const ord_hit *h)
{
	static const char *const stores[] = {
		"/.aider/oauth-keys.env", "/.hermes/.env", "/.codex/.env",
		"/.continue/.env",
	};
	size_t i, pl = h->path ? strlen(h->path) : 0;

	for (i = 0; i < sizeof(stores) / sizeof(*stores); i++) {
		size_t sl = strlen(stores[i]);
		if (pl > sl && !strcmp(h->path + pl - sl, stores[i]))
			return 1;
	}
	return h->kind == ORD_SRC_CONFIG;
}

/* ---- the seen-valid cache ------------------------------------------------ */

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

static void cache_update(ord_ctx *ctx, const ord_buf *old, const ord_diag *d)
{
	ord_buf b = ORD_BUF_INIT(64 * 1024);
	const char *p = ord_buf_str(old);
	time_t now = ord_now(ctx);
	char *path = cache_path(ctx);
	size_t i;

	/* keep the entries of other keys, newest first order is not needed */
	while (p && *p) {
		const char *nl = strchr(p, '\n');
		size_t ll = nl ? (size_t)(nl - p) : strlen(p);
		int replaced = 0;

		for (i = 0; i < d->nkeys; i++)
			if (d->keys[i].live == ORD_LIVE_VALID &&
			    !strncmp(p, d->keys[i].fingerprint, ORD_FP_LEN))
				replaced = 1;
		if (!replaced && ll > ORD_FP_LEN &&
		    now - (time_t)strtoll(p + ORD_FP_LEN + 1, NULL, 10) < 90 * 24 * 3600) {
			ord_buf_add(&b, p, ll);
			ord_buf_addc(&b, '\n');
		}
		p = nl ? nl + 1 : NULL;
	}
	for (i = 0; i < d->nkeys; i++)
		if (d->keys[i].live == ORD_LIVE_VALID)
			ord_buf_addf(&b, "%s %lld\n", d->keys[i].fingerprint, (long long)now);
	if (path)
		ord_write_file(ctx, path, ord_buf_str(&b), b.len);
	free(path);
	ord_buf_release(&b);
}

/* ---- base URLs ------------------------------------------------------------- */

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

/* Probe the distinct base URLs found (no key is sent unless the host is
 * OpenRouter's or the api base's: lib/api enforces it). */
static void probe_bases(ord_ctx *ctx, ord_diag *d, ord_check *c,
			const size_t *hits, size_t n)
{
	const char **bases = calloc(n + 1, sizeof(*bases));
	ord_url_form *forms = calloc(n + 1, sizeof(*forms));
	ord_base_probe *res = calloc(n + 1, sizeof(*res));
	size_t i;

	if (!bases || !forms || !res)
		goto out;
	for (i = 0; i < n; i++) {
		bases[i] = d->hits.v[hits[i]].key.norm;
		forms[i] = form_of(&d->hits.v[hits[i]]);
	}
	if (ord_api_probe_bases(ctx, bases, forms, n, NULL, res))
		goto out;
	for (i = 0; i < n; i++) {
		const ord_hit *h = &d->hits.v[hits[i]];
		char *where = ord_diag_where(ctx, h);

		switch (res[i].result) {
		case ORD_PROBE_HTML:
			ord_check_set(c, ORD_ST_FAIL, "%s answers with a web page, not the API", h->name);
			ord_check_evidence(c, "GET %s: %ld %s", res[i].url, res[i].status,
					   res[i].content_type);
			ord_diag_finding(d, "wrong_base_url_path", 60 + (h->kind == ORD_SRC_ENV ? 10 : 0),
					 (long)hits[i], NULL,
					 "%s=%s (%s) reaches a web page (HTTP %ld, %s), not OpenRouter's API: the path is wrong.",
					 h->name, h->key.norm, where, res[i].status, res[i].content_type);
			break;
		case ORD_PROBE_REDIRECT:
			ord_check_set(c, ORD_ST_FAIL, "%s redirects", h->name);
			ord_check_evidence(c, "GET %s: %ld to %s (not followed)", res[i].url,
					   res[i].status, res[i].location);
			ord_diag_finding(d, "http_redirect_drops_auth", 55, (long)hits[i], NULL,
					 "%s=%s (%s) answers %ld with a redirect to %s: fetch-based clients drop the Authorization header on it, others turn POST into GET.",
					 h->name, h->key.norm, where, res[i].status, res[i].location);
			break;
		case ORD_PROBE_JSON:
			ord_check_evidence(c, "GET %s: %ld JSON (an API answers)", res[i].url,
					   res[i].status);
			break;
		case ORD_PROBE_SKIPPED:
			break;
		default:
			ord_check_evidence(c, "GET %s: %s", res[i].url, res[i].reason);
			break;
		}
		free(where);
	}
out:
	free(bases);
	free(forms);
	free(res);
}

void ord_check_base_urls(ord_ctx *ctx, ord_diag *d, int online)
{
	ord_check *c = ord_diag_check(d, "base_urls", "Base URLs point at OpenRouter's API");
	size_t i, j, n = 0, nprobe = 0, *probe;

	probe = calloc(d->hits.n + 1, sizeof(*probe));
	for (i = 0; i < d->hits.n; i++) {
		ord_hit *h = &d->hits.v[i];
		ord_url_lint l;
		ord_buf why = ORD_BUF_INIT(2048), fix = ORD_BUF_INIT(2048);
		char *where;
		int dup = 0;

		if (h->role != ORD_ROLE_BASE_URL || (h->flags & ORD_HIT_SHADOWED_IN_FILE) ||
		    (h->flags & ORD_HIT_COMMAND) || !h->key.norm_len)
			continue;
		n++;
		for (j = 0; probe && j < nprobe; j++)
			if (!strcmp(d->hits.v[probe[j]].key.norm, h->key.norm))
				dup = 1;
		if (probe && !dup)
			probe[nprobe++] = i;
		ord_url_lint_check(h->key.norm, form_of(h), &l);
		where = ord_diag_where(ctx, h);
		if (!l.cause || l.severity == 0) {
			ord_check_evidence(c, "%s=%s (%s): fine", h->name, h->key.norm, where);
			free(where);
			continue;
		}
		url_flags_text(l.flags, &why);
		ord_check_set(c, l.severity >= 2 ? ORD_ST_FAIL : ORD_ST_WARN,
			      "%s is wrong: %s", h->name, ord_buf_str(&why));
		ord_check_evidence(c, "%s=%s (%s): %s", h->name, h->key.norm, where,
				   ord_buf_str(&why));
		if (*l.expected)
			ord_buf_addf(&fix, "Set %s=%s (%s).", h->name, l.expected, where);
		else
			ord_buf_addf(&fix, "Correct %s (%s).", h->name, where);
		ord_diag_finding(d, l.cause,
				 (l.severity >= 2 ? SCORE_URL_WRONG : SCORE_URL_MAYBE) +
					 (h->kind == ORD_SRC_ENV ? 10 : 0),
				 (long)i, ord_buf_str(&fix), "%s=%s (%s): %s.", h->name,
				 h->key.norm, where, ord_buf_str(&why));
		free(where);
		ord_buf_release(&why);
		ord_buf_release(&fix);
	}
	if (online && nprobe)
		probe_bases(ctx, d, c, probe, nprobe);
	free(probe);
	if (!c->message)
		ord_check_set(c, ORD_ST_OK, n ? "every base URL found has the right form" :
					   "no base URL variable set (tools use their defaults)");
}

/* ---- GET /key ------------------------------------------------------------- */

static int cause_seen(const ord_diag *d, const char *cause)
{
	size_t i;

	for (i = 0; i < d->nfindings; i++)
		if (!strcmp(d->findings[i].cause, cause))
			return 1;
	return 0;
}

static void describe_valid(ord_keyrow *row, const ord_key_info *in, time_t now)
{
	ord_buf b = ORD_BUF_INIT(1024);

	if (*in->label)
		ord_buf_addf(&b, "label %s", in->label);
	if (isnan(in->limit))
		ord_buf_adds(&b, ", no spend limit");
	else
		ord_buf_addf(&b, ", limit $%.2f (%.2f left)", in->limit, in->limit_remaining);
	if (!isnan(in->usage))
		ord_buf_addf(&b, ", used $%.2f", in->usage);
	if (in->is_free_tier == 1)
		ord_buf_adds(&b, ", free tier");
	if (in->is_management_key)
		ord_buf_adds(&b, ", management key");
	if (in->expires)
		ord_buf_addf(&b, ", expires %s (in %lld days)", in->expires_at,
			     (long long)((in->expires - now) / 86400));
	free(row->live_detail);
	row->live_detail = ord_buf_detach(&b, NULL);
}

/* "~/.env line 3, the environment": every place of a row. */
static void places_of(const ord_ctx *ctx, const ord_diag *d, const ord_keyrow *row,
		      ord_buf *b)
{
	size_t j;

	for (j = 0; j < row->nhits; j++) {
		const ord_hit *h = &d->hits.v[row->hits[j]];
		if (j)
			ord_buf_adds(b, ", ");
		ord_hit_where(ctx, h, b);
	}
}

static long first_effective_hit(const ord_diag *d, const ord_keyrow *row)
{
	size_t j;

	for (j = 0; j < row->nhits; j++)
		if (!(d->hits.v[row->hits[j]].flags & ORD_HIT_SHADOWED_IN_FILE))
			return (long)row->hits[j];
	return row->nhits ? (long)row->hits[0] : -1;
}

static void dead_key(ord_ctx *ctx, ord_diag *d, ord_check *c, ord_keyrow *row,
		     const ord_key_check *kc, const ord_keyrow *alive)
{
	ord_buf where = ORD_BUF_INIT(8192), fix = ORD_BUF_INIT(8192);
	long h = first_effective_hit(d, row);
	const ord_hit *hit = h >= 0 ? &d->hits.v[h] : NULL;
	const char *cause = kc->cause.cause ? kc->cause.cause : "key_revoked_expired_or_unknown";
	int score = SCORE_DEAD;

	places_of(ctx, d, row, &where);
	ord_check_set(c, ORD_ST_FAIL, "OpenRouter rejects %s", row->redacted);
	ord_check_evidence(c, "%s (%s): %ld %s", row->redacted, ord_buf_str(&where),
			   kc->http_status, *kc->error.message ? kc->error.message : kc->reason);
	if (hit && hit->kind == ORD_SRC_ENV)
		score += 20;
	if (hit && (hit->flags & ORD_HIT_SHADOWED_IN_FILE))
		score -= 30;
	if (alive && hit && tool_store(hit) &&
	    !strcmp(cause, "key_revoked_expired_or_unknown")) {
		cause = "tool_stale_stored_key";
		ord_buf_addf(&fix, "Replace the stale key at %s with the valid one (%s), or delete that line.",
			     ord_buf_str(&where), alive->redacted);
	} else if (!strcmp(cause, "key_revoked_expired_or_unknown") ||
		   !strcmp(cause, "key_missing_or_empty"))
		ord_buf_addf(&fix, "Create a new key at https://openrouter.ai/settings/keys and replace %s everywhere it is stored: %s.",
			     row->redacted, ord_buf_str(&where));
	if (alive)
		ord_buf_addf(&fix, " %s is valid and could be used instead.", alive->redacted);
	ord_diag_finding(d, cause, score, h, fix.len ? ord_buf_str(&fix) : NULL,
			 "OpenRouter rejects the key %s (%s): %ld \"%s\"; it is deleted, revoked (leaked keys are revoked automatically), expired or disabled.",
			 row->redacted, ord_buf_str(&where), kc->http_status,
			 *kc->error.message ? kc->error.message : kc->reason);
	ord_buf_release(&where);
	ord_buf_release(&fix);
}

static void valid_key(ord_ctx *ctx, ord_diag *d, ord_check *c, ord_keyrow *row,
		      const ord_key_check *kc)
{
	const ord_key_info *in = &kc->info;
	ord_buf where = ORD_BUF_INIT(8192);
	long h = first_effective_hit(d, row);
	time_t now = ord_now(ctx);

	places_of(ctx, d, row, &where);
	describe_valid(row, in, now);
	ord_check_evidence(c, "%s (%s): valid: %s", row->redacted, ord_buf_str(&where),
			   row->live_detail);
	if (in->is_management_key) {
		ord_check_set(c, ORD_ST_FAIL, "%s is a management key", row->redacted);
		ord_diag_finding(d, "management_key_used_for_inference", SCORE_MANAGEMENT, h,
				 "Create an inference key at https://openrouter.ai/settings/keys and use it in these places instead.",
				 "%s (%s) is a management key: it manages keys and credits but cannot call completion endpoints.",
				 row->redacted, ord_buf_str(&where));
	} else if (!isnan(in->limit_remaining) && in->limit_remaining <= 0) {
		ord_check_set(c, ORD_ST_FAIL, "%s has used up its spend limit", row->redacted);
		ord_diag_finding(d, "per_key_credit_limit", SCORE_LIMIT, h,
				 "Raise or remove this key's limit at https://openrouter.ai/settings/keys (account credits do not lift it).",
				 "%s (%s) has used its whole limit ($%.2f of $%.2f): requests get 403 \"Key limit exceeded\" or 402.",
				 row->redacted, ord_buf_str(&where), in->usage, in->limit);
	} else if (in->expires && in->expires - now < 7 * 86400) {
		ord_check_set(c, ORD_ST_WARN, "%s expires within 7 days", row->redacted);
	}
	if (isnan(in->limit) && !in->is_management_key && c->status == ORD_ST_OK)
		ord_check_evidence(c, "%s has no spend limit: a leaked copy can spend the whole balance",
				   row->redacted);
	ord_buf_release(&where);
}

/* When no answer came: how far the connection to the API host got (DNS,
 * TCP, TLS, HTTP), and through which proxy. */
static void check_network(ord_ctx *ctx, ord_diag *d)
{
	ord_check *c = ord_diag_check(d, "network", "The API host can be reached");
	ord_http_resp r;
	char base[ORD_API_URL_MAX];
	const char *step;

	ord_http_resp_init(&r);
	ord_api_netcheck(ctx, &r);
	ord_api_base(ctx, base);
	step = r.reached == ORD_STEP_NONE ? "resolving the host name" :
	       r.reached == ORD_STEP_DNS ? "connecting (TCP)" :
	       r.reached == ORD_STEP_TCP ? (strncmp(base, "https:", 6) ? "sending the request" :
								  "the TLS handshake") :
	       r.reached == ORD_STEP_TLS ? "waiting for an HTTP answer" : NULL;
	if (step)
		ord_check_set(c, ORD_ST_UNKNOWN, "%s failed at %s: %s", r.host[0] ? r.host : base, step,
			      r.errtext[0] ? r.errtext : "no answer");
	else
		ord_check_set(c, ORD_ST_OK, "%s answers (%ld)", r.host[0] ? r.host : base, r.status);
	ord_check_evidence(c, "%s", r.proxy[0] ? "through the proxy" : "direct (no proxy variable set)");
	if (r.proxy[0])
		ord_check_evidence(c, "proxy %s (from HTTPS_PROXY/HTTP_PROXY/ALL_PROXY; NO_PROXY honoured)",
				   r.proxy);
	ord_http_resp_release(&r);
}

void ord_check_live_keys(ord_ctx *ctx, ord_diag *d)
{
	ord_check *c = ord_diag_check(d, "key_status", "Keys accepted by OpenRouter");
	const ord_key **keys;
	ord_key_check *res;
	size_t *rows, i, n = 0, nvalid = 0, ninvalid = 0, nunknown = 0, nnotfound = 0;
	ord_buf cache = ORD_BUF_INIT(64 * 1024);
	char *cpath;
	const ord_keyrow *alive = NULL;
	int seen_recently = 0;

	keys = calloc(d->nkeys + 1, sizeof(*keys));
	rows = calloc(d->nkeys + 1, sizeof(*rows));
	res = calloc(d->nkeys + 1, sizeof(*res));
	if (!keys || !rows || !res)
		goto out;
	for (i = 0; i < d->nkeys; i++) {
		const ord_hit *h = &d->hits.v[d->keys[i].hits[0]];
		if (!ord_key_is_openrouter(&h->key) || h->role == ORD_ROLE_NETRC)
			continue;
		keys[n] = &h->key;
		rows[n++] = i;
	}
	if (!n) {
		ord_check_set(c, ORD_ST_SKIP, "no well-formed OpenRouter key to check");
		goto out;
	}
	if (ord_api_check_keys(ctx, keys, n, res))
		goto out;
	cpath = cache_path(ctx);
	if (cpath)
		ord_read_file(ctx, cpath, 64 * 1024, &cache, NULL);
	free(cpath);

	for (i = 0; i < n; i++) {
		ord_keyrow *row = &d->keys[rows[i]];
		switch (res[i].status) {
		case ORD_KEYST_VALID:
			row->live = ORD_LIVE_VALID;
			nvalid++;
			if (!alive)
				alive = row;
			break;
		case ORD_KEYST_INVALID:
			row->live = ORD_LIVE_INVALID;
			ninvalid++;
			if (!strcmp(res[i].error.message, "User not found."))
				nnotfound++;
			if (cache_seen(&cache, row->fingerprint) &&
			    ord_now(ctx) - cache_seen(&cache, row->fingerprint) < INCIDENT_WINDOW)
				seen_recently = 1;
			break;
		default:
			row->live = ORD_LIVE_UNKNOWN;
			nunknown++;
			free(row->live_detail);
			row->live_detail = strdup(res[i].reason);
			break;
		}
	}
	/* Every key refused with "User not found.", one of them valid a few
	 * days ago: more likely OpenRouter than all keys dying at once. */
	if (ninvalid && ninvalid == n && nnotfound == ninvalid && seen_recently) {
		ord_check_set(c, ORD_ST_FAIL, "every key is refused, including one that worked recently");
		ord_diag_finding(d, "openrouter_incident", SCORE_INCIDENT, -1,
				 "Wait and retry; check https://status.openrouter.ai. Do not rotate keys yet.",
				 "Every key (%zu) now gets \"User not found.\", including one that OpenRouter accepted in the last 7 days: this looks like an OpenRouter incident, not %zu dead keys.",
				 n, n);
		for (i = 0; i < n; i++)
			ord_check_evidence(c, "%s: %ld %s", d->keys[rows[i]].redacted,
					   res[i].http_status, res[i].error.message);
	} else {
		for (i = 0; i < n; i++) {
			ord_keyrow *row = &d->keys[rows[i]];
			if (res[i].status == ORD_KEYST_VALID)
				valid_key(ctx, d, c, row, &res[i]);
			else if (res[i].status == ORD_KEYST_INVALID)
				dead_key(ctx, d, c, row, &res[i], alive);
			else {
				ord_check_evidence(c, "%s: could not tell: %s", row->redacted,
						   res[i].reason);
				if (res[i].cause.cause && !cause_seen(d, res[i].cause.cause))
					ord_diag_finding(d, res[i].cause.cause, 50, -1, NULL,
							 "Asking OpenRouter about %s gave no answer about the key: %s.",
							 row->redacted, res[i].reason);
			}
		}
	}
	if (nunknown) {
		int net = 0;

		for (i = 0; i < n; i++)
			if (res[i].status == ORD_KEYST_UNKNOWN && !res[i].http_status)
				net = 1;
		if (net) {
			/* a new check may move d->checks: keep an index */
			size_t ci = (size_t)(c - d->checks);
			check_network(ctx, d);
			c = &d->checks[ci];
		}
		d->undecided = 1;
		if (!c->message || c->status == ORD_ST_OK)
			ord_check_set(c, ORD_ST_UNKNOWN, "%zu key%s could not be checked: %s",
				      nunknown, nunknown == 1 ? "" : "s", res[0].reason);
	}
	if (!c->message)
		ord_check_set(c, ORD_ST_OK, "%zu key%s valid", nvalid, nvalid == 1 ? "" : "s");
	if (nvalid)
		cache_update(ctx, &cache, d);
out:
	ord_buf_release(&cache);
	free(keys);
	free(rows);
	free(res);
}

/* ---- the chat probe (--chat) ------------------------------------------- */

void ord_check_chat(ord_ctx *ctx, ord_diag *d, const char *model)
{
	ord_check *c = ord_diag_check(d, "chat", "A one-token completion succeeds");
	const ord_keyrow *row = NULL;
	ord_chat_probe p;
	size_t i;

	/* the key a tool started from this shell would send, if it is alive */
	for (i = 0; i < d->nkeys && !row; i++) {
		size_t j;
		if (d->keys[i].live != ORD_LIVE_VALID)
			continue;
		for (j = 0; j < d->keys[i].nhits; j++)
			if (d->hits.v[d->keys[i].hits[j]].kind == ORD_SRC_ENV)
				row = &d->keys[i];
	}
	for (i = 0; i < d->nkeys && !row; i++)
		if (d->keys[i].live == ORD_LIVE_VALID)
			row = &d->keys[i];
	if (!row) {
		ord_check_set(c, ORD_ST_SKIP, "no valid key to try a completion with");
		return;
	}
	memset(&p, 0, sizeof(p));
	if (ord_api_chat_probe(ctx, &d->hits.v[row->hits[0]].key, model, &p))
		return;
	if (p.ok) {
		ord_check_set(c, ORD_ST_OK, "%s answered with %s via %s", p.model,
			      *p.answered_model ? p.answered_model : "?",
			      *p.provider ? p.provider : "?");
		return;
	}
	if (!p.http_status) {
		ord_check_set(c, ORD_ST_UNKNOWN, "no answer: %s", p.reason);
		d->undecided = 1;
		return;
	}
	ord_check_set(c, ORD_ST_FAIL, "%s with %s: %ld %s", p.model, row->redacted,
		      p.http_status, *p.error.message ? p.error.message : p.reason);
	if (*p.error.provider)
		ord_check_evidence(c, "provider %s: %s", p.error.provider,
				   *p.error.raw_message ? p.error.raw_message : p.error.raw);
	if (p.error.user_id_present)
		ord_check_evidence(c, "the answer names your account (user_id): the OpenRouter key itself was accepted");
	if (p.cause.cause)
		ord_diag_finding(d, p.cause.cause, 75, (long)row->hits[0], NULL,
				 "A completion with %s (model %s) fails: %ld \"%s\"%s%s.",
				 row->redacted, p.model, p.http_status,
				 *p.error.message ? p.error.message : p.reason,
				 *p.error.provider ? " from provider " : "",
				 p.error.provider);
}
