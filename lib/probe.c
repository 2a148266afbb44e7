/* probe: the facts of `ordoctor probe` (see probe.h).  The requests go
 * through lib/api's chat probe, so the safety rules of api.h hold here
 * too: only well-formed OpenRouter keys are sent, and only to the api
 * base. */
#include "probe.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "gate.h"
#include "resolve.h"
#include "source.h"

int ord_probe_model_is_free(const char *model)
{
	size_t n = model ? strlen(model) : 0;

	return (n > 5 && !strcmp(model + n - 5, ":free")) ||
	       (model && !strcmp(model, "openrouter/free"));
}

const char *ord_probe_outcome_id(ord_probe_outcome o)
{
	return o == ORD_PROBE_FINE ? "fine" : o == ORD_PROBE_PROBLEM ? "problem" : "unobserved";
}

void ord_probe_init(ord_probe *p)
{
	memset(p, 0, sizeof(*p));
	p->v.key = p->v.model = -1;
}

void ord_probe_release(ord_probe *p)
{
	size_t i;

	for (i = 0; i < p->nseries; i++)
		free(p->series[i].seq);
	for (i = 0; p->model_seq && i < p->nmodels; i++)
		free(p->model_seq[i]);
	free(p->model_seq);
	free(p->series);
	free(p->provs);
	if (p->obs)
		ord_wipe(p->obs, p->nobs * sizeof(*p->obs));
	free(p->obs);
	free(p->keys);
	free(p->models);
	ord_probe_init(p);
}

int ord_probe_add_key(ord_probe *p, const ord_key *k, const char *where)
{
	ord_probe_key *nk;
	size_t i;

	for (i = 0; i < p->nkeys; i++)
		if (ord_key_equal(p->keys[i].key, k))
			return 0;
	if (p->nkeys >= ORD_PROBE_KEYS_MAX)
		return E2BIG;
	nk = realloc(p->keys, (p->nkeys + 1) * sizeof(*nk));
	if (!nk)
		return ENOMEM;
	p->keys = nk;
	nk = &p->keys[p->nkeys++];
	memset(nk, 0, sizeof(*nk));
	nk->key = k;
	ord_key_redact(k, nk->redacted);
	ord_key_fingerprint(k, nk->fingerprint);
	snprintf(nk->where, sizeof(nk->where), "%s", where ? where : "");
	return 0;
}

int ord_probe_add_model(ord_probe *p, const char *model)
{
	char (*nm)[128];

	if (p->nmodels >= ORD_PROBE_MODELS_MAX)
		return E2BIG;
	if (strlen(model) >= sizeof(*p->models))
		return ENAMETOOLONG;
	nm = realloc(p->models, (p->nmodels + 1) * sizeof(*nm));
	if (!nm)
		return ENOMEM;
	p->models = nm;
	snprintf(p->models[p->nmodels++], sizeof(*p->models), "%s", model);
	return 0;
}

/* "~/.env line 3", "the environment (OPENROUTER_API_KEY)". */
static void hit_place(const ord_ctx *ctx, const ord_hit *h, char *out, size_t cap)
{
	ord_buf b = ORD_BUF_INIT(1024);

	ord_hit_where(ctx, h, &b);
	if (h->kind == ORD_SRC_ENV && h->name)
		ord_buf_addf(&b, " (%s)", h->name);
	snprintf(out, cap, "%s", b.data ? b.data : "");
	ord_buf_release(&b);
}

int ord_probe_keys_from_facts(const ord_ctx *ctx, const ord_facts *f,
			      const char *tool, ord_probe *p)
{
	char where[192];
	size_t i;
	int rc;

	if (tool) {
		const ord_tool_res *t = f->tools ? ord_tools_find(f->tools, tool) : NULL;
		const ord_hit *h;

		if (!t)
			return ENOENT;
		p->tool = t->p->id;
		if (t->win < 0 || !(h = ord_facts_hit(f, t->keys[t->win].hit)))
			return 0; /* the tool sends no key: the no_key rule says so */
		hit_place(ctx, h, where, sizeof(where));
		return ord_probe_add_key(p, &h->key, where);
	}
	for (i = 0; i < f->nkeys; i++) {
		const ord_keyrow *r = &f->keys[i];
		const ord_hit *h;
		size_t len;

		if (!r->openrouter || !r->nhits)
			continue;
		h = &f->hits.v[r->hits[0]];
		hit_place(ctx, h, where, sizeof(where));
		len = strlen(where);
		if (r->nhits > 1 && len < sizeof(where))
			snprintf(where + len, sizeof(where) - len, " and %zu more place%s",
				 r->nhits - 1, r->nhits > 2 ? "s" : "");
		rc = ord_probe_add_key(p, &h->key, where);
		if (rc == E2BIG)
			break; /* the first ORD_PROBE_KEYS_MAX are enough to see a pattern */
		if (rc)
			return rc;
	}
	return 0;
}

/* Copy, cut at a character boundary. */
#define COPY(dst, src) ord_gate_copy((dst), sizeof(dst), (src), strlen(src))

static void keep(ord_probe_obs *o, const ord_chat_probe *c)
{
	o->answered = c->http_status != 0;
	o->sent = o->answered || c->net_err != ORD_HTTP_OK;
	o->ok = c->ok;
	o->status = c->http_status;
	o->ms = c->seconds * 1000.0;
	o->key_ok = c->cause.key_ok || c->error.user_id_present;
	o->provider_error = c->error.provider[0] ||
			    !strcmp(c->error.message, "Provider returned error");
	o->cause = o->ok ? NULL : c->cause.cause;
	COPY(o->provider, c->error.provider[0] ? c->error.provider : c->provider);
	COPY(o->message, c->error.message);
	COPY(o->raw_message, c->error.raw_message);
	COPY(o->reason, c->reason);
	COPY(o->retry_after, c->retry_after);
	COPY(o->rl_limit, c->rl_limit);
	COPY(o->rl_remaining, c->rl_remaining);
	COPY(o->rl_reset, c->rl_reset);
}

int ord_probe_run(ord_ctx *ctx, ord_probe *p)
{
	ord_chat_probe *c;
	unsigned r;
	size_t k, m;
	int rc = 0;

	if (!p->n)
		p->n = ORD_PROBE_N_DEFAULT;
	if (!p->nmodels && (rc = ord_probe_add_model(p, ORD_PROBE_MODEL_DEFAULT)))
		return rc;
	p->offline = ctx->offline;
	if (p->nkeys && !p->offline) {
		p->obs = calloc((size_t)p->n * p->nkeys * p->nmodels, sizeof(*p->obs));
		c = calloc(1, sizeof(*c));
		if (!p->obs || !c) {
			free(c);
			return ENOMEM;
		}
		for (r = 0; r < p->n && !rc; r++) {
			unsigned answers = 0, tries = 0;

			if (r)
				ord_sleep(ctx, p->interval);
			for (k = 0; k < p->nkeys && !rc; k++)
				for (m = 0; m < p->nmodels && !rc; m++) {
					ord_probe_obs *o = &p->obs[p->nobs];

					rc = ord_api_chat_probe(ctx, p->keys[k].key, p->models[m], c);
					if (rc)
						break;
					o->round = r;
					o->key = k;
					o->model = m;
					keep(o, c);
					p->nobs++;
					answers += o->answered;
					tries += o->sent;
				}
			/* A round where nothing answered: the network is down,
			 * and N more timeouts would tell nothing new. */
			if (tries && !answers && r + 1 < p->n) {
				p->stopped = 1;
				break;
			}
		}
		ord_wipe(c, sizeof(*c));
		free(c);
		if (rc)
			return rc;
	}
	return ord_probe_summarise(p);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void add_token(char *seq, const ord_probe_obs *o)
{
	size_t n = strlen(seq);

	if (n)
		seq[n++] = ' ';
	if (!o->sent)
		strcpy(seq + n, "x");
	else if (!o->answered)
		strcpy(seq + n, "-");
	else
		sprintf(seq + n, "%ld", o->status % 1000);
}

static ord_probe_prov *prov_of(ord_probe *p, size_t model, const char *name)
{
	ord_probe_prov *v;
	size_t i;

	for (i = 0; i < p->nprovs; i++)
		if (p->provs[i].model == model && !strcmp(p->provs[i].name, name))
			return &p->provs[i];
	v = realloc(p->provs, (p->nprovs + 1) * sizeof(*v));
	if (!v)
		return NULL;
	p->provs = v;
	v = &p->provs[p->nprovs++];
	memset(v, 0, sizeof(*v));
	v->model = model;
	snprintf(v->name, sizeof(v->name), "%s", name);
	v->first_fail = -1;
	return v;
}

/* A 401 about the OpenRouter key itself (not an upstream's, whose
 * answers carry provider_name or user_id). */
static int auth_failure(const ord_probe_obs *o)
{
	return o->answered && o->status == 401 && !o->provider_error && !o->key_ok;
}

static int summarise_series(ord_probe *p, ord_probe_series *s, double *lat)
{
	size_t i, nlat = 0;

	s->seq = calloc((size_t)p->n * 5 + 1, 1);
	if (!s->seq)
		return ENOMEM;
	s->first_fail = s->rate_obs = -1;
	for (i = 0; i < p->nobs; i++) {
		const ord_probe_obs *o = &p->obs[i];

		if (o->key != s->key || o->model != s->model)
			continue;
		add_token(s->seq, o);
		s->sent += o->sent;
		if (!o->answered)
			continue;
		s->answered++;
		lat[nlat++] = o->ms;
		if (o->ok)
			s->ok++;
		else {
			s->failed++;
			s->auth_failed += auth_failure(o);
			if (s->first_fail < 0)
				s->first_fail = (long)i;
		}
		if (o->rl_limit[0] || o->rl_remaining[0] || o->rl_reset[0])
			s->rate_obs = (long)i;
	}
	if (nlat) {
		qsort(lat, nlat, sizeof(*lat), cmp_double);
		s->p50_ms = lat[(nlat - 1) / 2];
		s->max_ms = lat[nlat - 1];
	}
	return 0;
}

int ord_probe_summarise(ord_probe *p)
{
	double *lat;
	size_t i, k, m;

	p->nseries = p->nkeys * p->nmodels;
	p->series = calloc(p->nseries ? p->nseries : 1, sizeof(*p->series));
	p->model_seq = calloc(p->nmodels ? p->nmodels : 1, sizeof(char *));
	lat = calloc(p->n ? p->n : 1, sizeof(*lat));
	if (!p->series || !p->model_seq || !lat) {
		free(lat);
		p->nseries = 0;
		return ENOMEM;
	}
	for (k = 0; k < p->nkeys; k++)
		for (m = 0; m < p->nmodels; m++) {
			ord_probe_series *s = &p->series[k * p->nmodels + m];

			s->key = k;
			s->model = m;
			if (summarise_series(p, s, lat)) {
				free(lat);
				return ENOMEM;
			}
		}
	free(lat);
	for (m = 0; m < p->nmodels; m++) {
		p->model_seq[m] = calloc(p->nobs * 5 + 1, 1);
		if (!p->model_seq[m])
			return ENOMEM;
	}
	for (i = 0; i < p->nobs; i++) {
		const ord_probe_obs *o = &p->obs[i];
		ord_probe_prov *v;

		add_token(p->model_seq[o->model], o);
		/* Only an answer that got past the key says which provider
		 * served (or refused) the model. */
		if (!o->answered || !o->provider[0])
			continue;
		if (!(v = prov_of(p, o->model, o->provider)))
			return ENOMEM;
		if (o->ok)
			v->ok++;
		else {
			v->failed++;
			v->provider_errors += o->provider_error;
			if (v->first_fail < 0)
				v->first_fail = (long)i;
		}
	}
	return 0;
}
