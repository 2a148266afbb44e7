/* `ordoctor env [NAME...]`: for each key variable, what each way of
 * starting a program sees of it (a terminal, a login shell, bash -c, cron,
 * a systemd user service, …), with the file and line that set it there.
 * The answer comes from lib/startctx.c; this file only prints.
 *
 * Exit: 0 (a listing); 2 usage.
 */
#include "cli.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "lib/compose.h"
#include "lib/facts.h"
#include "lib/report.h"
#include "lib/startctx.h"

static int known_name(char **names, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(names[i], name))
			return 1;
	return 0;
}

/* With no NAME: OPENROUTER_API_KEY and every key or base-URL variable a
 * start-up file sets. */
static size_t default_names(const ord_facts *f, const ord_startctx *sc, char ***out)
{
	const ord_hits *all[2] = {&f->hits, &sc->extra};
	char **v = malloc((f->hits.n + sc->extra.n + 1) * sizeof(*v));
	size_t i, k, n = 0;

	if (!v)
		return 0;
	v[n++] = (char *)"OPENROUTER_API_KEY";
	for (k = 0; k < 2; k++)
		for (i = 0; i < all[k]->n; i++) {
			const ord_hit *h = &all[k]->v[i];
			if ((h->kind == ORD_SRC_RC || k) && h->name && (h->role == ORD_ROLE_KEY || h->role == ORD_ROLE_BASE_URL) &&
			    !known_name(v, n, h->name))
				v[n++] = h->name;
		}
	*out = v;
	return n;
}

static void value_text(ord_cli *cli, const ord_startctx_value *v, ord_buf *b)
{
	char red[ORD_REDACT_MAX];
	const ord_hit *h = v->hit;

	if (!h) {
		ord_buf_adds(b, v->unknown ? "unknown" : "unset");
		return;
	}
	if (h->flags & ORD_HIT_COMMAND)
		ord_buf_adds(b, "from a command");
	else {
		ord_key_redact(&h->key, red);
		ord_buf_adds(b, red);
	}
	ord_buf_adds(b, "  ");
	ord_hit_where(&cli->ctx, h, b);
	if (v->maybe)
		ord_buf_adds(b, " (inside a condition)");
}

static json_object *value_json(const char *id, const char *name, const ord_startctx_value *v, const char *note)
{
	json_object *o = json_object_new_object();
	const ord_hit *h = v->hit;
	char red[ORD_REDACT_MAX], fp[ORD_FP_LEN + 1];

	json_object_object_add(o, "context", json_object_new_string(name));
	json_object_object_add(o, "id", json_object_new_string(id));
	json_object_object_add(o, "set", h || !v->unknown ? json_object_new_boolean(h != NULL) : NULL);
	json_object_object_add(o, "unknown", json_object_new_boolean(!h && v->unknown));
	if (h && !(h->flags & ORD_HIT_COMMAND)) {
		ord_key_redact(&h->key, red);
		ord_key_fingerprint(&h->key, fp);
		json_object_object_add(o, "redacted", json_object_new_string(red));
		json_object_object_add(o, "fingerprint", json_object_new_string(fp));
	}
	if (h) {
		json_object_object_add(o, "source", ord_report_source(h));
		json_object_object_add(o, "from_command", json_object_new_boolean(!!(h->flags & ORD_HIT_COMMAND)));
		json_object_object_add(o, "conditional", json_object_new_boolean(v->maybe));
	}
	json_object_object_add(o, "not_simulated", note && note[0] ? json_object_new_string(note) : NULL);
	return o;
}

static void value_line(ord_cli *cli, const char *name, const ord_startctx_value *v, const char *note)
{
	ord_buf b = ORD_BUF_INIT(4096);

	value_text(cli, v, &b);
	fprintf(cli->out, "  %-28s %s", name, ord_buf_str(&b));
	if (note && note[0] && !v->hit)
		fprintf(cli->out, "  (%s)", note);
	fputc('\n', cli->out);
	ord_buf_release(&b);
}

/* One Compose service's view of NAME: the container's value (computed
 * by lib/compose.c), where it lives, and the sentence that says how it
 * got there. */
static json_object *compose_json(ord_cli *cli, const ord_compose_service *sv, const char *name)
{
	const ord_compose_var *v = ord_compose_get(sv, name);
	json_object *o = json_object_new_object(), *src = NULL, *via = NULL;
	ord_buf b = ORD_BUF_INIT(4096), ctxname = ORD_BUF_INIT(512);
	int set = v && v->value;

	ord_buf_addf(&ctxname, "compose service %s", sv->name);
	json_object_object_add(o, "context", json_object_new_string(ord_buf_str(&ctxname)));
	json_object_object_add(o, "set", json_object_new_boolean(set));
	if (set) {
		ord_key k;
		char red[ORD_REDACT_MAX], fp[ORD_FP_LEN + 1];
		if (!ord_key_init(&k, v->value, v->len)) {
			ord_key_redact(&k, red);
			ord_key_fingerprint(&k, fp);
			json_object_object_add(o, "redacted", json_object_new_string(red));
			json_object_object_add(o, "fingerprint", json_object_new_string(fp));
			ord_key_release(&k);
		}
		/* format: raw keeps quotes, which the fingerprint (of the
		 * normalised key) does not show */
		json_object_object_add(o, "length", json_object_new_int64((int64_t)v->len));
	}
	if (v) {
		int by_ref = v->whole_ref && v->ref.name && v->ref.found;
		src = json_object_new_object();
		json_object_object_add(src, "kind", json_object_new_string(
			by_ref ? (v->ref.path ? "dotenv" : "env") :
			v->from == ORD_CF_ENV_FILE || v->from == ORD_CF_ENV_FILE_BARE ? "dotenv" : "config"));
		json_object_object_add(src, "path", by_ref ? (v->ref.path ? json_object_new_string(v->ref.path) : NULL)
							 : json_object_new_string(v->path));
		json_object_object_add(src, "line", json_object_new_int((int)(by_ref ? v->ref.line : v->line)));
		json_object_object_add(src, "name", json_object_new_string(by_ref ? v->ref.name : name));
		json_object_object_add(o, "source", src);
		via = json_object_new_object();
		json_object_object_add(via, "path", json_object_new_string(v->path));
		json_object_object_add(via, "line", json_object_new_int((int)v->line));
		json_object_object_add(o, "compose_entry", via);
		json_object_object_add(o, "compose_error", v->error ? json_object_new_string(v->error) : NULL);
	}
	ord_compose_explain(&cli->ctx, v, name, &b);
	json_object_object_add(o, "note", json_object_new_string(ord_buf_str(&b)));
	ord_buf_release(&b);
	ord_buf_release(&ctxname);
	return o;
}

static void compose_text(ord_cli *cli, const ord_compose_service *sv, const char *name)
{
	const ord_compose_var *v = ord_compose_get(sv, name);
	ord_buf b = ORD_BUF_INIT(4096), ctxname = ORD_BUF_INIT(512);

	ord_buf_addf(&ctxname, "compose service %s", sv->name);
	if (v && v->value) {
		ord_key k;
		char red[ORD_REDACT_MAX];
		if (!ord_key_init(&k, v->value, v->len)) {
			ord_key_redact(&k, red);
			ord_buf_adds(&b, v->len ? red : "(empty)");
			ord_key_release(&k);
		}
	} else
		ord_buf_adds(&b, "unset");
	ord_buf_adds(&b, "  ");
	ord_compose_explain(&cli->ctx, v, name, &b);
	fprintf(cli->out, "  %-28s %s\n", ord_buf_str(&ctxname), ord_buf_str(&b));
	ord_buf_release(&b);
	ord_buf_release(&ctxname);
}

int cmd_env(ord_cli *cli, int argc, char **argv)
{
	ord_compose compose;
	ord_facts f;
	ord_startctx sc;
	char **names = NULL;
	size_t nnames = 0, i, u;
	int c, a;
	json_object *doc = NULL, *vars = NULL;

	for (a = 1; a < argc; a++)
		if (argv[a][0] == '-')
			return ord_cli_unknown_option(cli, "env", argv[a]);
	ord_facts_init(&f);
	ord_startctx_init(&sc);
	if (ord_facts_gather(&cli->ctx, &f) || ord_startctx_gather(&cli->ctx, &f.hits, &sc)) {
		ord_startctx_release(&sc);
		ord_facts_release(&f);
		return ord_cli_usage_error(cli, "out of memory");
	}
	if (ord_compose_load(&cli->ctx, cli->ctx.cwd, &compose)) {
		ord_startctx_release(&sc);
		ord_facts_release(&f);
		return ord_cli_usage_error(cli, "out of memory");
	}
	if (argc > 1) {
		names = (char **)argv + 1;
		nnames = (size_t)argc - 1;
	} else
		nnames = default_names(&f, &sc, &names);
	if (cli->format == ORD_FMT_JSON) {
		doc = json_object_new_object();
		vars = json_object_new_array();
		json_object_object_add(doc, "schema", json_object_new_string("ordoctor.env/1"));
	}
	for (i = 0; i < nnames; i++) {
		json_object *jv = NULL, *jc = NULL;

		if (doc) {
			jv = json_object_new_object();
			jc = json_object_new_array();
			json_object_object_add(jv, "name", json_object_new_string(names[i]));
		} else
			fprintf(cli->out, "%s%s\n", i ? "\n" : "", names[i]);
		for (c = 0; c < ORD_SC_COUNT; c++) {
			ord_startctx_value v;

			ord_startctx_value_of(&sc, &f.hits, (ord_startctx_id)c, names[i], &v);
			if (jc)
				json_object_array_add(jc, value_json(ord_startctx_id_str((ord_startctx_id)c),
								     ord_startctx_name((ord_startctx_id)c), &v, sc.note[c]));
			else
				value_line(cli, ord_startctx_name((ord_startctx_id)c), &v, sc.note[c]);
			if (c != ORD_SC_SYSTEMD_USER)
				continue;
			/* a unit that sets it itself: that service sees its own */
			for (u = 0; u < sc.nunits; u++) {
				ord_buf n = ORD_BUF_INIT(256), id = ORD_BUF_INIT(256);

				if (!ord_startctx_unit_value(&sc, &f.hits, u, names[i], &v))
					continue;
				ord_buf_addf(&n, "  systemd unit %s", sc.units[u].name);
				ord_buf_addf(&id, "systemd:%s", sc.units[u].name);
				if (jc)
					json_object_array_add(jc, value_json(ord_buf_str(&id), ord_buf_str(&n) + 2, &v, NULL));
				else
					value_line(cli, ord_buf_str(&n), &v, NULL);
				ord_buf_release(&n);
				ord_buf_release(&id);
			}
		}
		for (c = 0; c < (int)compose.nsv; c++) {
			if (jc)
				json_object_array_add(jc, compose_json(cli, &compose.sv[c], names[i]));
			else
				compose_text(cli, &compose.sv[c], names[i]);
		}
		if (jv) {
			json_object_object_add(jv, "contexts", jc);
			json_object_array_add(vars, jv);
		}
	}
	if (doc) {
		json_object_object_add(doc, "variables", vars);
		fprintf(cli->out, "%s\n", json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(doc);
	} else if (!cli->quiet)
		fprintf(cli->out, "\nA program sees these plus what the process that starts it passes on; `ordoctor check --context ID` judges the tools as if started there (IDs: bash, bash-login, bash-lc, bash-c, zsh, zsh-login, zsh-c, fish, cron, systemd, graphical).\n");
	if (argc <= 1)
		free(names);
	ord_startctx_release(&sc);
	ord_compose_release(&compose);
	ord_facts_release(&f);
	return ORD_EXIT_OK;
}
