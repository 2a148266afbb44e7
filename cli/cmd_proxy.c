/* `ordoctor proxy`: the diagnostic reverse proxy (lib/proxy.h), one line
 * (or one JSON object with --json) per request.  Also the option parsing
 * and record rendering shared with `ordoctor run` (proxy_out.h). */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "lib/api.h"
#include "lib/report.h"
#include "lib/resolve.h"
#include "proxy_out.h"

void proxy_opts_init(ord_cli *cli, proxy_opts *o)
{
	memset(o, 0, sizeof(*o));
	ord_proxy_config_init(&o->cfg);
	o->cfg.ctx = &cli->ctx;
}

static int parse_listen(ord_cli *cli, const char *v, ord_proxy_config *cfg)
{
	static char host[128];
	const char *colon = strrchr(v, ':');
	char *end;
	unsigned long port;
	size_t hn;

	if (!colon) {
		colon = v - 1; /* "PORT" alone */
		hn = 0;
	} else
		hn = (size_t)(colon - v);
	errno = 0;
	port = strtoul(colon + 1, &end, 10);
	if (errno || end == colon + 1 || *end || port > 65535 || hn >= sizeof(host)) {
		ord_cli_usage_error(cli, "invalid --listen '%s' (HOST:PORT; port 0 picks one)", v);
		return -1;
	}
	if (hn >= 2 && v[0] == '[' && v[hn - 1] == ']') {
		memcpy(host, v + 1, hn - 2);
		host[hn - 2] = '\0';
	} else {
		memcpy(host, v, hn);
		host[hn] = '\0';
	}
	cfg->host = host[0] ? host : "127.0.0.1";
	cfg->port = (unsigned)port;
	return 0;
}

static int num_opt(ord_cli *cli, const char *name, const char *v, double lo,
		   double hi, double *out)
{
	char *end;
	double x;

	errno = 0;
	x = strtod(v, &end);
	if (errno || end == v || *end || x < lo || x > hi) {
		ord_cli_usage_error(cli, "invalid %s '%s'", name, v);
		return -1;
	}
	*out = x;
	return 0;
}

int proxy_opt(ord_cli *cli, proxy_opts *o, int argc, char **argv, int *i)
{
	const char *v, *a = argv[*i];
	double x;

	if ((v = ord_opt_value(argc, argv, i, "--listen"))) {
		o->listen = v;
		return parse_listen(cli, v, &o->cfg) ? -1 : 1;
	}
	if ((v = ord_opt_value(argc, argv, i, "--upstream"))) {
		o->cfg.upstream = v;
		return 1;
	}
	if ((v = ord_opt_value(argc, argv, i, "--tool"))) {
		if (ord_cli_tool_id(cli, v, o->tool_buf, sizeof(o->tool_buf)))
			return -1;
		o->tool = o->tool_buf;
		return 1;
	}
	if ((v = ord_opt_value(argc, argv, i, "--max-body"))) {
		if (num_opt(cli, "--max-body", v, 1, 1024.0 * 1024 * 1024, &x))
			return -1;
		o->cfg.max_body = (size_t)x;
		return 1;
	}
	if ((v = ord_opt_value(argc, argv, i, "--upstream-timeout"))) {
		if (num_opt(cli, "--upstream-timeout", v, 0.1, 86400, &x))
			return -1;
		o->cfg.idle_timeout = x;
		return 1;
	}
	if (!strcmp(a, "--log-bodies")) {
		o->cfg.log_bodies = 1;
		return 1;
	}
	if (!strcmp(a, "--listen") || !strcmp(a, "--upstream") || !strcmp(a, "--tool") ||
	    !strcmp(a, "--max-body") || !strcmp(a, "--upstream-timeout")) {
		ord_cli_usage_error(cli, "option '%s' needs a value", a);
		return -1;
	}
	return 0;
}

/* The server root of --api-base (the mock, say), for a default upstream. */
static const char *root_of_api_base(ord_cli *cli, char *buf, size_t cap)
{
	const char *s, *slash;

	if (!cli->api_base)
		return NULL;
	s = strstr(cli->api_base, "://");
	if (!s)
		return NULL;
	slash = strchr(s + 3, '/');
	snprintf(buf, cap, "%.*s", (int)(slash ? (size_t)(slash - cli->api_base)
					   : strlen(cli->api_base)), cli->api_base);
	return buf;
}

int proxy_begin(ord_cli *cli, proxy_opts *o, proxy_out *out, ord_facts *d,
		ord_proxy **px)
{
	static char root[512];
	char err[512];

	if (!o->cfg.upstream)
		o->cfg.upstream = root_of_api_base(cli, root, sizeof(root));
	if (o->cfg.upstream &&
	    ord_proxy_upstream_check(o->cfg.upstream, err, sizeof(err)))
		return ord_cli_usage_error(cli, "%s", err);
	if (o->tool && d->tools && !ord_tools_find(d->tools, o->tool))
		return ord_cli_usage_error(cli, "unknown tool '%s' (see 'ordoctor tools')", o->tool);
	o->cfg.facts = d;
	o->cfg.tool = o->tool;
	o->cfg.on_record = proxy_out_record;
	o->cfg.ud = out;
	if (ord_proxy_start(&o->cfg, px, err, sizeof(err)))
		return ord_cli_usage_error(cli, "proxy: %s", err);
	return 0;
}

static void where(proxy_out *o, const ord_wire_cred *w, ord_buf *b)
{
	const ord_hit *h;

	if (!w->present) {
		ord_buf_adds(b, "(none)");
		return;
	}
	ord_buf_addf(b, "%s", w->redacted);
	if (w->fingerprint[0])
		ord_buf_addf(b, " fp %s", w->fingerprint);
	if (w->match < 0 || !o->d) {
		ord_buf_adds(b, ", matches no key on this machine");
		return;
	}
	h = &o->d->hits.v[w->match];
	ord_buf_adds(b, ", from ");
	ord_hit_where(&o->cli->ctx, h, b);
	if (h->field)
		ord_buf_addf(b, " (%s)", h->field);
	else if (h->name)
		ord_buf_addf(b, " (%s)", h->name);
	if (w->nmatch > 1)
		ord_buf_addf(b, " and %zu other place%s", w->nmatch - 1,
			     w->nmatch > 2 ? "s" : "");
}

void proxy_out_print(proxy_out *o, FILE *f, const ord_proxy_record *r)
{
	ord_cli *cli = o->cli;
	ord_buf b = ORD_BUF_INIT(64 * 1024);

	if (o->json) {
		json_object *j = ord_proxy_record_json(r, o->d);

		json_object_object_add(j, "schema", json_object_new_string(o->schema));
		fprintf(f, "%s\n", json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN));
		json_object_put(j);
		fflush(f);
		return;
	}
	if (r->event) {
		fprintf(f, "%.12s %sclient error:%s %s\n", r->time + 11,
			ord_c(cli, ORD_C_YELLOW), ord_c(cli, ORD_C_RESET), r->error);
		fflush(f);
		return;
	}
	ord_buf_addf(&b, "%.12s %s %s", r->time + 11, r->method, r->path);
	if (r->model[0])
		ord_buf_addf(&b, " model=%s", r->model);
	if (r->stream)
		ord_buf_adds(&b, " stream");
	ord_buf_addf(&b, " | %s ", ord_wire_header_id(r->header));
	if (r->header == ORD_WIRE_BOTH) {
		ord_buf_adds(&b, "x-api-key ");
		where(o, &r->cred, &b);
		ord_buf_adds(&b, "; bearer ");
		where(o, &r->other, &b);
	} else if (r->header != ORD_WIRE_NONE && r->header != ORD_WIRE_EMPTY &&
		   r->header != ORD_WIRE_BASIC)
		where(o, &r->cred, &b);
	else
		b.len--, b.data[b.len] = '\0';
	if (r->status)
		ord_buf_addf(&b, " | %ld%s%s%s", r->status, r->message[0] ? " \"" : "",
			     r->message, r->message[0] ? "\"" : "");
	if (r->error[0])
		ord_buf_addf(&b, " | %s", r->error);
	if (r->cause)
		ord_buf_addf(&b, " | %scause: %s%s", ord_c(cli, ORD_C_RED), r->cause,
			     ord_c(cli, ORD_C_RESET));
	else if (r->status >= 200 && r->status < 300 && !r->error[0])
		ord_buf_addf(&b, " | %sok%s", ord_c(cli, ORD_C_GREEN), ord_c(cli, ORD_C_RESET));
	if (r->problem[0])
		ord_buf_addf(&b, " (%s)", r->problem);
	fprintf(f, "%s\n", ord_buf_str(&b));
	if (r->req_body)
		fprintf(f, "  > %s\n", r->req_body);
	if (r->resp_body)
		fprintf(f, "  < %s\n", r->resp_body);
	fflush(f);
	ord_buf_release(&b);
}

void proxy_out_record(void *ud, const ord_proxy_record *r)
{
	proxy_out *o = ud;

	if (!r->event)
		o->nreq++;
	if (o->live)
		proxy_out_print(o, o->live, r);
	if (o->keep) {
		if (o->n == o->cap) {
			size_t nc = o->cap ? o->cap * 2 : 16;
			ord_proxy_record *v = realloc(o->recs, nc * sizeof(*v));

			if (!v)
				return;
			o->recs = v;
			o->cap = nc;
		}
		o->recs[o->n] = *r;
		/* bodies (--log-bodies) are already scrubbed */
		o->recs[o->n].req_body = r->req_body ? strdup(r->req_body) : NULL;
		o->recs[o->n].resp_body = r->resp_body ? strdup(r->resp_body) : NULL;
		o->n++;
	}
}

void proxy_out_release(proxy_out *o)
{
	size_t i;

	for (i = 0; i < o->n; i++) {
		free((char *)o->recs[i].req_body);
		free((char *)o->recs[i].resp_body);
	}
	free(o->recs);
	o->recs = NULL;
	o->n = o->cap = 0;
}


int cmd_proxy(ord_cli *cli, int argc, char **argv)
{
	proxy_opts o;
	proxy_out out;
	ord_facts d;
	ord_proxy *px = NULL;
	sigset_t set, old;
	int i, rc, sig = 0;

	proxy_opts_init(cli, &o);
	o.cfg.port = 8788;
	for (i = 1; i < argc; i++) {
		rc = proxy_opt(cli, &o, argc, argv, &i);
		if (rc < 0)
			return ORD_EXIT_USAGE;
		if (rc)
			continue;
		if (argv[i][0] == '-')
			return ord_cli_unknown_option(cli, "proxy", argv[i]);
		return ord_cli_usage_error(cli, "proxy: unknown argument '%s' (see 'ordoctor proxy --help')", argv[i]);
	}
	memset(&out, 0, sizeof(out));
	out.cli = cli;
	out.d = &d;
	out.schema = "ordoctor.proxy/1";
	out.json = cli->format == ORD_FMT_JSON;
	out.live = cli->out;
	ord_facts_init(&d);
	if (ord_facts_gather(&cli->ctx, &d)) {
		ord_facts_release(&d);
		return ord_cli_usage_error(cli, "out of memory");
	}
	ord_cli_flush_warnings(cli);
	/* The server threads inherit a mask without SIGINT/SIGTERM; this
	 * thread takes them with sigwait. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, &old);
	rc = proxy_begin(cli, &o, &out, &d, &px);
	if (rc) {
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		ord_facts_release(&d);
		return rc;
	}
	fprintf(out.json ? cli->err : cli->out, "listening on %s\n", ord_proxy_url(px));
	fflush(out.json ? cli->err : cli->out);
	ord_cli_warn_listen(cli, "the proxy", ord_proxy_url(px));
	if (!cli->quiet)
		fprintf(cli->err, "forwarding to %s; point tools at %s/api/v1 (Claude Code: %s/api)%s%s\n",
			o.cfg.upstream ? o.cfg.upstream : ORD_PROXY_UPSTREAM_DEFAULT,
			ord_proxy_url(px), ord_proxy_url(px),
			o.tool ? "; tool: " : "", o.tool ? o.tool : "");
	fflush(cli->err);
	while (sigwait(&set, &sig) == 0 && sig != SIGINT && sig != SIGTERM)
		;
	ord_proxy_stop(px);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (!cli->quiet && !out.json)
		fprintf(cli->err, "%lu request%s\n", out.nreq, out.nreq == 1 ? "" : "s");
	ord_facts_release(&d);
	return ORD_EXIT_OK;
}
