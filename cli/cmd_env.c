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

int cmd_env(ord_cli *cli, int argc, char **argv)
{
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
	ord_facts_release(&f);
	return ORD_EXIT_OK;
}
