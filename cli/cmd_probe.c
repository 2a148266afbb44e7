/* `ordoctor probe`: the smallest failing action, repeated.  N one-token
 * chat requests with the key a tool would send, a key named by --env or
 * --key-file, or every distinct key found; the library (lib/probe*.c)
 * sends them, summarises and judges; this file parses and prints. */
#include <errno.h>
#include <json-c/json.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "lib/causes.h"
#include "lib/facts.h"
#include "lib/probe.h"

#define KEY_INPUT_CAP (64 * 1024)

typedef struct probe_args {
	const char *tool, *env, *file;
	int nsrc, allow_cost;
	ord_probe *p;
} probe_args;

static int looks_like_key(const char *a)
{
	return !strncmp(a, "sk-", 3) || strstr(a, "sk-or") ||
	       ord_value_looks_like_openrouter_key(a, strlen(a));
}

static int parse(ord_cli *cli, int argc, char **argv, probe_args *a)
{
	const char *v;
	char *end;
	int i, rc;

	for (i = 1; i < argc; i++) {
		const char *arg = argv[i];

		if ((v = ord_opt_value(argc, argv, &i, "--tool")))
			a->tool = v, a->nsrc++;
		else if ((v = ord_opt_value(argc, argv, &i, "--env")))
			a->env = v, a->nsrc++;
		else if ((v = ord_opt_value(argc, argv, &i, "--key-file")))
			a->file = ord_cli_path(cli, v), a->nsrc++;
		else if ((v = ord_opt_value(argc, argv, &i, "--model"))) {
			if (looks_like_key(v))
				return ord_cli_usage_error(cli, "probe: refusing a key as --model (keys are never taken from the command line)");
			rc = ord_probe_add_model(a->p, v);
			if (rc == E2BIG)
				return ord_cli_usage_error(cli, "probe: at most %d --model options", ORD_PROBE_MODELS_MAX);
			if (rc)
				return ord_cli_usage_error(cli, "probe: model '%.60s…' is too long", v);
		} else if ((v = ord_opt_value(argc, argv, &i, "-n"))) {
			long n;

			errno = 0;
			n = strtol(v, &end, 10);
			if (errno || *end || !*v || n < 1 || n > ORD_PROBE_N_MAX)
				return ord_cli_usage_error(cli, "probe: invalid -n '%s' (1 to %d requests)", v, ORD_PROBE_N_MAX);
			a->p->n = (unsigned)n;
		} else if ((v = ord_opt_value(argc, argv, &i, "--interval"))) {
			double t;

			errno = 0;
			t = strtod(v, &end);
			if (errno || *end || !*v || !(t >= 0 && t <= 3600))
				return ord_cli_usage_error(cli, "probe: invalid --interval '%s' (seconds, 0 to 3600)", v);
			a->p->interval = t;
		} else if (!strcmp(arg, "--allow-cost"))
			a->allow_cost = 1;
		else if (!strcmp(arg, "--tool") || !strcmp(arg, "--env") || !strcmp(arg, "--key-file") ||
			 !strcmp(arg, "--model") || !strcmp(arg, "-n") || !strcmp(arg, "--interval"))
			return ord_cli_usage_error(cli, "probe: option '%s' needs a value", arg);
		else if (!strncmp(arg, "--key", 5) || looks_like_key(arg)) {
			if (arg[0] != '-' || strchr(arg, '='))
				ord_wipe(argv[i], strlen(argv[i]));
			return ord_cli_usage_error(cli,
				"probe: refusing to take a key from the command line (other users see it in ps, and it stays in shell history); "
				"use --env NAME or --key-file FILE");
		} else
			return ord_cli_unknown_option(cli, "probe", arg);
	}
	if (a->nsrc > 1)
		return ord_cli_usage_error(cli, "probe: give one of --tool, --env or --key-file");
	return 0;
}

/* The key of --env or --key-file (its first line) into k. */
static int read_key(ord_cli *cli, const probe_args *a, ord_key *k)
{
	ord_buf b = ORD_BUF_INIT(KEY_INPUT_CAP);
	size_t len;
	int rc, trunc = 0;

	if (a->env) {
		const char *val = ord_env_get(&cli->ctx, a->env);

		if (!val)
			return ord_cli_usage_error(cli, "probe: '%s' is not set in the environment", a->env);
		rc = ord_key_init(k, val, strlen(val));
	} else {
		rc = ord_read_file(&cli->ctx, a->file, KEY_INPUT_CAP, &b, &trunc);
		if (rc)
			return ord_cli_usage_error(cli, "probe: cannot read '%s': %s", a->file, strerror(rc));
		if (trunc) {
			ord_buf_release(&b);
			return ord_cli_usage_error(cli, "probe: '%s' is larger than 64 KiB: not a key file", a->file);
		}
		len = b.data ? strcspn(b.data, "\n") : 0;
		rc = ord_key_init(k, b.data ? b.data : "", len);
		ord_buf_release(&b);
	}
	return rc ? ord_cli_usage_error(cli, "out of memory") : 0;
}

static json_object *jstr(const char *s)
{
	return s && *s ? json_object_new_string(s) : NULL;
}

static json_object *obs_error(const ord_probe_obs *o)
{
	json_object *e = json_object_new_object();

	json_object_object_add(e, "status", o->answered ? json_object_new_int64(o->status) : NULL);
	json_object_object_add(e, "message", jstr(o->answered ? o->message : o->reason));
	json_object_object_add(e, "provider", jstr(o->provider));
	json_object_object_add(e, "upstream_message", jstr(o->raw_message));
	json_object_object_add(e, "cause", jstr(o->cause));
	json_object_object_add(e, "key_accepted", json_object_new_boolean(o->key_ok));
	return e;
}

static json_object *rate_json(const ord_probe_obs *o)
{
	json_object *r = json_object_new_object();

	json_object_object_add(r, "limit", jstr(o->rl_limit));
	json_object_object_add(r, "remaining", jstr(o->rl_remaining));
	json_object_object_add(r, "reset", jstr(o->rl_reset));
	json_object_object_add(r, "retry_after", jstr(o->retry_after));
	return r;
}

static json_object *key_json(const ord_probe_key *k)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "redacted", json_object_new_string(k->redacted));
	json_object_object_add(o, "fingerprint", json_object_new_string(k->fingerprint));
	json_object_object_add(o, "where", jstr(k->where));
	return o;
}

static int exit_of(const ord_probe *p)
{
	return p->v.outcome == ORD_PROBE_FINE ? ORD_EXIT_OK :
	       p->v.outcome == ORD_PROBE_PROBLEM ? ORD_EXIT_PROBLEM : ORD_EXIT_UNDECIDED;
}

static void print_json(ord_cli *cli, const ord_probe *p, const char *base, int allow_cost)
{
	json_object *doc = json_object_new_object(), *a, *o, *v;
	size_t i;

	json_object_object_add(doc, "schema", json_object_new_string("ordoctor.probe/1"));
	json_object_object_add(doc, "api_base", json_object_new_string(base));
	json_object_object_add(doc, "requests", json_object_new_int((int)p->n));
	json_object_object_add(doc, "interval", json_object_new_double(p->interval));
	json_object_object_add(doc, "allow_cost", json_object_new_boolean(allow_cost));
	json_object_object_add(doc, "tool", jstr(p->tool));
	a = json_object_new_array();
	for (i = 0; i < p->nmodels; i++)
		json_object_array_add(a, json_object_new_string(p->models[i]));
	json_object_object_add(doc, "models", a);
	a = json_object_new_array();
	for (i = 0; i < p->nkeys; i++)
		json_object_array_add(a, key_json(&p->keys[i]));
	json_object_object_add(doc, "keys", a);
	a = json_object_new_array();
	for (i = 0; i < p->nseries; i++) {
		const ord_probe_series *s = &p->series[i];
		json_object *st = json_object_new_array(), *lat = json_object_new_object();
		size_t j;

		o = json_object_new_object();
		json_object_object_add(o, "key", json_object_new_string(p->keys[s->key].redacted));
		json_object_object_add(o, "fingerprint", json_object_new_string(p->keys[s->key].fingerprint));
		json_object_object_add(o, "model", json_object_new_string(p->models[s->model]));
		for (j = 0; j < p->nobs; j++)
			if (p->obs[j].key == s->key && p->obs[j].model == s->model)
				json_object_array_add(st, p->obs[j].answered ?
					json_object_new_int64(p->obs[j].status) : NULL);
		json_object_object_add(o, "statuses", st);
		json_object_object_add(o, "sequence", json_object_new_string(s->seq ? s->seq : ""));
		json_object_object_add(o, "sent", json_object_new_int((int)s->sent));
		json_object_object_add(o, "ok", json_object_new_int((int)s->ok));
		json_object_object_add(o, "failed", json_object_new_int((int)s->failed));
		json_object_object_add(o, "unanswered", json_object_new_int((int)(s->sent - s->answered)));
		json_object_object_add(lat, "p50", s->answered ? json_object_new_double(round(s->p50_ms * 10) / 10) : NULL);
		json_object_object_add(lat, "max", s->answered ? json_object_new_double(round(s->max_ms * 10) / 10) : NULL);
		json_object_object_add(o, "latency_ms", lat);
		json_object_object_add(o, "error", s->first_fail >= 0 ? obs_error(&p->obs[s->first_fail]) : NULL);
		json_object_object_add(o, "rate_limit", s->rate_obs >= 0 ? rate_json(&p->obs[s->rate_obs]) : NULL);
		json_object_array_add(a, o);
	}
	json_object_object_add(doc, "series", a);
	a = json_object_new_array();
	for (i = 0; i < p->nprovs; i++) {
		const ord_probe_prov *pv = &p->provs[i];

		o = json_object_new_object();
		json_object_object_add(o, "model", json_object_new_string(p->models[pv->model]));
		json_object_object_add(o, "provider", json_object_new_string(pv->name));
		json_object_object_add(o, "ok", json_object_new_int((int)pv->ok));
		json_object_object_add(o, "failed", json_object_new_int((int)pv->failed));
		json_object_object_add(o, "provider_errors", json_object_new_int((int)pv->provider_errors));
		json_object_object_add(o, "error", pv->first_fail >= 0 ? obs_error(&p->obs[pv->first_fail]) : NULL);
		json_object_array_add(a, o);
	}
	json_object_object_add(doc, "providers", a);
	json_object_object_add(doc, "pattern", jstr(p->v.pattern));
	v = json_object_new_object();
	json_object_object_add(v, "cause", jstr(p->v.cause));
	json_object_object_add(v, "category", jstr(p->v.cause ? ord_cause_category(p->v.cause) : NULL));
	json_object_object_add(v, "rule", jstr(p->v.rule));
	json_object_object_add(v, "summary", jstr(p->v.summary));
	json_object_object_add(v, "fix", jstr(p->v.fix));
	a = json_object_new_array();
	for (i = 0; i < 4 && p->v.candidates[i]; i++)
		json_object_array_add(a, json_object_new_string(p->v.candidates[i]));
	json_object_object_add(v, "candidates", a);
	o = json_object_new_object();
	json_object_object_add(o, "key", p->v.key >= 0 ? json_object_new_string(p->keys[p->v.key].redacted) : NULL);
	json_object_object_add(o, "model", p->v.model >= 0 ? json_object_new_string(p->models[p->v.model]) : NULL);
	json_object_object_add(o, "provider", jstr(p->v.provider));
	json_object_object_add(v, "subject", o);
	json_object_object_add(v, "reset", jstr(p->v.reset));
	json_object_object_add(doc, "verdict", v);
	json_object_object_add(doc, "exit", json_object_new_int(exit_of(p)));
	fprintf(cli->out, "%s\n", json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PRETTY |
			JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(doc);
}

static void print_text(ord_cli *cli, const ord_probe *p)
{
	const ord_probe_verdict *v = &p->v;
	size_t k, m, i;

	for (k = 0; k < p->nkeys && p->nobs; k++) {
		fprintf(cli->out, "%s%s%s%s%s%s\n", ord_c(cli, ORD_C_BOLD), p->keys[k].redacted,
			ord_c(cli, ORD_C_RESET), p->keys[k].where[0] ? " (" : "", p->keys[k].where,
			p->keys[k].where[0] ? ")" : "");
		for (m = 0; m < p->nmodels; m++) {
			const ord_probe_series *s = ord_probe_series_of(p, k, m);

			fprintf(cli->out, "  %s: %s\n", p->models[m], s->seq);
			fprintf(cli->out, "    %u ok, %u failed", s->ok, s->failed);
			if (s->sent > s->answered)
				fprintf(cli->out, ", %u unanswered", s->sent - s->answered);
			if (s->answered)
				fprintf(cli->out, "; latency p50 %.1f ms, max %.1f ms", s->p50_ms, s->max_ms);
			fputc('\n', cli->out);
			if (s->first_fail >= 0) {
				const ord_probe_obs *o = &p->obs[s->first_fail];

				fprintf(cli->out, "    error: %ld \"%s\"%s%s%s%s%s\n", o->status, o->message,
					o->provider[0] ? " from " : "", o->provider,
					o->raw_message[0] ? " (upstream: \"" : "", o->raw_message,
					o->raw_message[0] ? "\")" : "");
			} else if (s->sent > s->answered) {
				for (i = 0; i < p->nobs; i++)
					if (p->obs[i].key == k && p->obs[i].model == m && !p->obs[i].answered) {
						fprintf(cli->out, "    no answer: %s\n", p->obs[i].reason);
						break;
					}
			}
			if (s->rate_obs >= 0) {
				const ord_probe_obs *o = &p->obs[s->rate_obs];

				fprintf(cli->out, "    X-RateLimit-Limit %s, -Remaining %s, -Reset %s%s%s\n",
					o->rl_limit[0] ? o->rl_limit : "?", o->rl_remaining[0] ? o->rl_remaining : "?",
					o->rl_reset[0] ? o->rl_reset : "?", o->retry_after[0] ? "; Retry-After " : "",
					o->retry_after);
			}
		}
	}
	if (p->nprovs) {
		fprintf(cli->out, "providers:\n");
		for (i = 0; i < p->nprovs; i++)
			fprintf(cli->out, "  %s via %s: %u ok, %u failed\n", p->models[p->provs[i].model],
				p->provs[i].name, p->provs[i].ok, p->provs[i].failed);
	}
	if (p->nobs)
		fputc('\n', cli->out);
	fprintf(cli->out, "%sPattern:%s %s\n", ord_c(cli, ORD_C_BOLD), ord_c(cli, ORD_C_RESET),
		v->pattern ? v->pattern : "?");
	if (v->cause)
		fprintf(cli->out, "%sVerdict: %s%s%s (%s)\n", ord_c(cli, ORD_C_BOLD), ord_c(cli, ORD_C_RED),
			v->cause, ord_c(cli, ORD_C_RESET),
			ord_cause_category(v->cause) ? ord_cause_category(v->cause) : "?");
	else
		fprintf(cli->out, "%sVerdict:%s %s\n", ord_c(cli, ORD_C_BOLD), ord_c(cli, ORD_C_RESET),
			v->outcome == ORD_PROBE_FINE ? "no problem seen" : "undecided: nothing was observed");
	fprintf(cli->out, "  %s\n", v->summary);
	if (v->fix[0])
		fprintf(cli->out, "  %sFix:%s %s\n", ord_c(cli, ORD_C_BOLD), ord_c(cli, ORD_C_RESET), v->fix);
	if (v->candidates[0] && !cli->quiet) {
		fprintf(cli->out, "Other candidates:");
		for (i = 0; i < 4 && v->candidates[i]; i++)
			fprintf(cli->out, "%s %s", i ? "," : "", v->candidates[i]);
		fputc('\n', cli->out);
	}
}

/* The keys, the checks before sending, the sending, the output. */
static int probe(ord_cli *cli, probe_args *a, const char *base)
{
	ord_probe *p = a->p;
	ord_facts f;
	ord_key own;
	int rc, have_own = 0;
	size_t i;

	ord_facts_init(&f);
	memset(&own, 0, sizeof(own));
	if (a->env || a->file) {
		if ((rc = read_key(cli, a, &own))) {
			ord_probe_release(p);
			return rc;
		}
		have_own = 1;
		rc = ord_probe_add_key(p, &own, a->env ? a->env : a->file);
		if (a->env && !rc) {
			snprintf(p->keys[0].where, sizeof(p->keys[0].where), "the environment (%s)", a->env);
		} else if (!rc)
			snprintf(p->keys[0].where, sizeof(p->keys[0].where), "%s line 1", a->file);
	} else {
		rc = ord_facts_gather(&cli->ctx, &f);
		if (!rc)
			rc = ord_probe_keys_from_facts(&cli->ctx, &f, a->tool, p);
		if (rc == ENOENT) {
			ord_facts_release(&f);
			ord_probe_release(p);
			return ord_cli_usage_error(cli, "probe: unknown tool '%s' (see 'ordoctor tools --all')", a->tool);
		}
	}
	if (rc) {
		rc = ord_cli_usage_error(cli, "out of memory");
		goto out;
	}
	if (!p->nmodels && (rc = ord_probe_add_model(p, ORD_PROBE_MODEL_DEFAULT))) {
		rc = ord_cli_usage_error(cli, "out of memory");
		goto out;
	}
	if (!p->n)
		p->n = ORD_PROBE_N_DEFAULT;
	if (a->allow_cost && !cli->quiet)
		for (i = 0; i < p->nmodels; i++)
			if (!ord_probe_model_is_free(p->models[i]))
				fprintf(cli->err, "cost bound: %u requests × %zu key%s × max_tokens 1 = at most %zu output tokens of %s, "
					"plus a one-word prompt each, at its per-token prices\n",
					p->n, p->nkeys, p->nkeys == 1 ? "" : "s", (size_t)p->n * p->nkeys, p->models[i]);
	rc = ord_probe_run(&cli->ctx, p);
	if (rc) {
		rc = ord_cli_usage_error(cli, "out of memory");
		goto out;
	}
	ord_probe_judge(p);
	if (cli->format == ORD_FMT_JSON)
		print_json(cli, p, base, a->allow_cost);
	else
		print_text(cli, p);
	rc = exit_of(p);
out:
	ord_probe_release(p);
	ord_facts_release(&f);
	if (have_own)
		ord_key_release(&own);
	return rc;
}

int cmd_probe(ord_cli *cli, int argc, char **argv)
{
	probe_args a;
	ord_probe p;
	char base[ORD_API_URL_MAX], shown[ORD_API_URL_MAX], why[256], tool_buf[128];
	size_t i;
	int rc;

	memset(&a, 0, sizeof(a));
	ord_probe_init(&p);
	a.p = &p;
	rc = parse(cli, argc, argv, &a);
	if (rc) {
		ord_probe_release(&p);
		return rc < 0 ? ORD_EXIT_OK : rc;
	}
	/* any case, and "did you mean", before a request is sent */
	if (a.tool) {
		if (ord_cli_tool_id(cli, a.tool, tool_buf, sizeof(tool_buf))) {
			ord_probe_release(&p);
			return ORD_EXIT_USAGE;
		}
		a.tool = tool_buf;
	}
	for (i = 0; i < p.nmodels; i++)
		if (!a.allow_cost && !ord_probe_model_is_free(p.models[i])) {
			rc = ord_cli_usage_error(cli, "probe: model '%s' is not free (its id does not end in ':free'): "
						 "add --allow-cost to send %u paid requests", p.models[i],
						 p.n ? p.n : ORD_PROBE_N_DEFAULT);
			ord_probe_release(&p);
			return rc;
		}
	if (cli->format == ORD_FMT_MARKDOWN) {
		ord_probe_release(&p);
		return ord_cli_usage_error(cli, "probe: --format markdown is not supported (text or json)");
	}
	ord_api_base(&cli->ctx, base);
	ord_http_strip_userinfo(base, shown, sizeof(shown));
	if (!cli->offline && ord_api_base_sendable(base, why, sizeof(why))) {
		ord_probe_release(&p);
		return ord_cli_usage_error(cli, "probe: %s", why);
	}
	ord_cli_warn_api_base(cli);
	return probe(cli, &a, shown);
}
