/* resolve: evaluate each tool profile against the machine.
 *
 * Every source line of a profile is looked up in order; a value found in a
 * tool's config file becomes a hit of kind "config" (with file and line)
 * so that `keys` lists it and the live checks test it like any other key.
 * The first source that yields a value wins; the others are shadowed.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fnmatch.h>

#include "helper.h"
#include "resolve_internal.h"

/* ---- presence ---------------------------------------------------------------- */

static int on_path(rstate *r, const char *cmd)
{
	const char *path = ord_env_get(r->ctx, "PATH"), *p;

	for (p = path; p && *p;) {
		const char *c = strchr(p, ':');
		size_t n = c ? (size_t)(c - p) : strlen(p);
		char *dir = strndup(p, n), *f = dir && n ? ord_path_join(dir, cmd) : NULL;
		struct stat st;
		int ok = f && !ord_stat(r->ctx, f, &st) && S_ISREG(st.st_mode) &&
			 (st.st_mode & 0111);

		free(dir);
		free(f);
		if (ok)
			return 1;
		p = c ? c + 1 : NULL;
	}
	return 0;
}

typedef struct glob_find {
	const char *pattern;
	char *match;
} glob_find;

static int glob_cb(void *arg, const char *name)
{
	glob_find *g = arg;

	if (fnmatch(g->pattern, name, FNM_PERIOD))
		return 0;
	/* the last in name order: the newest of versioned folders */
	free(g->match);
	g->match = strdup(name);
	return 0;
}

/* Does *path exist as a file (or directory)?  A '*' in its last component
 * is a glob (extension folders carry their version:
 * saoudrizwan.claude-dev-3.17.0); *path becomes the match. */
static int path_exists(rstate *r, char **path, int want_dir)
{
	struct stat st;
	char *slash = strrchr(*path, '/');
	glob_find g = {NULL, NULL};
	char **names = NULL;
	size_t n = 0, i;

	if (!slash || !strchr(slash, '*'))
		return !ord_stat(r->ctx, *path, &st) &&
		       (want_dir ? S_ISDIR(st.st_mode) : S_ISREG(st.st_mode));
	*slash = '\0';
	g.pattern = slash + 1;
	if (!ord_list_dir_sorted(r->ctx, **path ? *path : "/", NULL, 4096, &names, &n)) {
		for (i = 0; i < n; i++) {
			char *full = ord_path_join(**path ? *path : "/", names[i]);
			if (full && !ord_stat(r->ctx, full, &st) &&
			    (want_dir ? S_ISDIR(st.st_mode) : S_ISREG(st.st_mode)))
				glob_cb(&g, names[i]);
			free(full);
		}
		ord_names_free(names, n);
	}
	*slash = '/';
	if (!g.match)
		return 0;
	*slash = '\0';
	{
		char *full = ord_path_join(*path, g.match);
		free(g.match);
		if (!full) {
			*slash = '/';
			return 0;
		}
		free(*path);
		*path = full;
	}
	return 1;
}

static void presence(rstate *r, ord_tool_res *t)
{
	ord_buf b = ORD_BUF_INIT(1024);
	size_t i;

	for (i = 0; i < t->p->npresent && !t->present; i++) {
		char *kind = strdup(t->p->present[i]), *arg = kind ? strchr(kind, '\t') : NULL;
		char *path = NULL;

		if (!arg) {
			free(kind);
			continue;
		}
		*arg++ = '\0';
		if (!strcmp(kind, "code")) {
			/* a generated profile (lib/codescan_project.c): the
			 * code that builds the client is the evidence */
			t->present = 1;
			ord_buf_adds(&b, arg);
		} else if (!strcmp(kind, "command") && on_path(r, arg)) {
			t->present = 1;
			ord_buf_addf(&b, "the command '%s' is on PATH", arg);
		} else if (!strcmp(kind, "env") && ord_env_get(r->ctx, arg)) {
			t->present = 1;
			ord_buf_addf(&b, "%s is set", arg);
		} else if ((!strcmp(kind, "file") || !strcmp(kind, "dir")) &&
			   (path = rs_expand_path(r, arg)) &&
			   path_exists(r, &path, !strcmp(kind, "dir"))) {
			t->present = 1;
			ord_path_where(r->ctx, path, &b);
			ord_buf_adds(&b, " exists");
		}
		free(path);
		free(kind);
	}
	/* a tool whose own configuration holds a key is there, whatever else
	 * says; a generic .env or the environment proves nothing */
	for (i = 0; !t->present && i < t->nkeys; i++) {
		if (t->keys[i].src->own) {
			t->present = 1;
			ord_buf_adds(&b, "its own configuration holds a key");
		}
	}
	t->present_why = t->present ? ord_buf_detach(&b, NULL) : NULL;
	ord_buf_release(&b);
}

/* ---- sources ------------------------------------------------------------------ */

static int add_cand(ord_cand **v, size_t *n, long hit, const ord_psrc *s, long via,
		    int yields, int own, const ord_edit *edit)
{
	ord_cand *nv;
	size_t i;

	/* the same place reached twice ($CODEX_HOME = ~/.codex), or the
	 * variable a config value already took its key from */
	for (i = 0; i < *n; i++)
		if ((*v)[i].hit == hit || (*v)[i].via == hit)
			return 0;
	nv = realloc(*v, (*n + 1) * sizeof(*nv));
	if (!nv)
		return ENOMEM;
	*v = nv;
	nv[*n].hit = hit;
	nv[*n].src = s;
	nv[*n].via = via;
	nv[*n].yields = yields;
	nv[*n].own = own;
	nv[*n].edit = edit;
	nv[*n].why = NULL;
	nv[*n].empty_rule = ORD_EMPTY_UNSET;
	nv[*n].masked_by = -1;
	(*n)++;
	return 0;
}

/* A value reached through a reference lives in the tool's own store when
 * it sits in a .env only that tool reads (Continue's ~/.continue/.env),
 * not in the environment or a shared .env. */
static int value_is_own(const rstate *r, const ord_hit *h)
{
	const char *slash;
	size_t dl;

	if (h->kind == ORD_SRC_CONFIG)
		return 1;
	if (h->kind != ORD_SRC_DOTENV || !h->path)
		return 0;
	slash = strrchr(h->path, '/');
	if (!slash || strncmp(slash, "/.env", 5))
		return 1;
	dl = (size_t)(slash - h->path);
	return !((strlen(r->ctx->cwd) == dl && !strncmp(h->path, r->ctx->cwd, dl)) ||
		 (strlen(r->ctx->home) == dl && !strncmp(h->path, r->ctx->home, dl)) ||
		 (r->git_root && strlen(r->git_root) == dl && !strncmp(h->path, r->git_root, dl)));
}

/* The variable a source stands for, for masking (empty=mask): an empty
 * value loaded over the environment hides every lower source of the same
 * variable.  env/dotenv lines: NAME.  env-indirect: the variable the
 * config names (the hit's name).  A config line: the last name of its
 * FIELD, since settings that are applied over the environment are written
 * as env.ANTHROPIC_AUTH_TOKEN or environment_variables.OPENROUTER_API_KEY.
 * Aider's lists set a variable named by the form: provider-list writes
 * OPENROUTER_API_KEY (--api-key openrouter=…), assign-list its name=. */
static const char *source_var(const rstate *r, const ord_psrc *s, long hit)
{
	const char *dot;

	/* name=NAME: the variable the line stands for (Aider's assign lists,
	 * and a YAML list entry `openrouter=` that Aider writes to
	 * OPENROUTER_API_KEY) */
	if (s->assign)
		return s->assign;
	if (s->form && !strcmp(s->form, "provider-list"))
		return "OPENROUTER_API_KEY";
	switch (s->kind) {
	case ORD_PSRC_ENV:
	case ORD_PSRC_DOTENV:
		return s->field;
	case ORD_PSRC_ENV_INDIRECT:
		return hit >= 0 ? r->hits->v[hit].name : NULL;
	case ORD_PSRC_JSON:
	case ORD_PSRC_YAML:
	case ORD_PSRC_TOML:
		dot = strrchr(s->field, '.');
		return dot ? dot + 1 : s->field;
	default:
		return NULL;
	}
}

/* The earlier candidate whose empty value masks variable var, or -1. */
static long masking_cand(const rstate *r, const ord_cand *v, size_t n, const char *var)
{
	size_t i;

	for (i = 0; var && i < n; i++) {
		const ord_cand *c = &v[i];
		const char *cv;

		/* empty (it yields nothing only for that reason) and not itself
		 * hidden by a higher one */
		if (c->empty_rule != ORD_EMPTY_MASK || c->yields || c->masked_by >= 0)
			continue;
		cv = source_var(r, c->src, c->src->kind == ORD_PSRC_ENV_INDIRECT ? c->hit : -1);
		if (cv && !strcmp(cv, var))
			return (long)i;
	}
	return -1;
}

static int store_competes(rstate *r, const ord_psrc *s)
{
	char *path;
	struct stat st;
	int ok;

	if (s->path[0] != '/' && s->path[0] != '~' && s->path[0] != '<' && s->path[0] != '$')
		return 1;
	path = rs_expand_path(r, s->path);
	ok = path && !ord_stat(r->ctx, path, &st);
	if (ok && (s->what || s->when_field) && rs_is_config_file(path)) {
		ord_cfg *doc = rs_cfg_get(r, path, rs_ext_format_of(path));
		first_val v;

		ok = doc && rs_when_holds(r, doc, path, s);
		if (ok && s->what) {
			ok = rs_query_first(r, doc, path, s->what, &v) > 0 && v.type != ORD_CFG_NULL &&
			     (v.type == ORD_CFG_OBJECT || v.type == ORD_CFG_ARRAY || v.len);
			rs_first_release(&v);
		}
	}
	free(path);
	return ok;
}

/* A `store command WHERE WHAT` line (Claude Code's apiKeyHelper): the
 * command is the text of WHAT.  Without --run-helpers it is named (never
 * "no key"); with it, its output is the key, a hit at WHAT's line. */
static long store_command(rstate *r, const ord_psrc *s, ord_role role)
{
	char *path, why[160];
	ord_cfg *doc;
	first_val v;
	long hit = -1;

	if (strncmp(s->field, "command ", 8) || !s->what || r->cmd)
		return -1;
	path = rs_expand_path(r, s->path);
	doc = path && rs_is_config_file(path) ? rs_cfg_get(r, path, rs_ext_format_of(path)) : NULL;
	if (doc && rs_query_first(r, doc, path, s->what, &v) > 0 && v.type == ORD_CFG_STRING && v.len) {
		ord_buf out = ORD_BUF_INIT(ORD_HELPER_OUT_CAP);

		r->cmd = strndup(v.text, v.len);
		r->cmd_line = v.line;
		if (r->cmd && !ord_helper_run(r->ctx, r->cmd, &out, why, sizeof(why))) {
			hit = rs_add_hit(r, ORD_SRC_CONFIG, role, path, v.line, s->what,
					 ord_buf_str(&out), out.len);
			if (hit >= 0) {
				ord_hit *h = &r->hits->v[hit];
				h->flags |= ORD_HIT_FROM_HELPER;
				if (asprintf(&h->note, "the output of the command `%s` (run by --run-helpers)",
					     r->cmd) < 0)
					h->note = NULL;
			}
		} else if (r->cmd)
			r->cmd_why = strdup(why);
		ord_buf_release(&out);
	}
	if (doc)
		rs_first_release(&v);
	free(path);
	return hit;
}

static void eval_sources(rstate *r, const ord_profile *p, const ord_psrc *srcs, size_t n,
			 ord_role role, ord_cand **out, size_t *nout, long *win, long *store)
{
	size_t i;

	*win = -1;
	*store = -1;
	for (i = 0; i < n; i++) {
		const ord_psrc *s = &srcs[i];
		char *path = NULL;
		long hit = -1, via = -1, mask;
		int yields, own, empty, unloaded, unusable;
		unsigned style = 0;
		size_t before;
		ord_empty_rule rule = ord_psrc_empty(p, s);

		if (rs_unless_holds(r, s) || !rs_when_env_holds(r, s))
			continue;
		/* a failed if= still looks the value up: a key in a .env the
		 * tool does not load here is part of the story ("not read") */
		unloaded = !rs_if_holds(r, s);
		switch (s->kind) {
		case ORD_PSRC_ENV:
			hit = rs_env_hit(r, s->field, role);
			break;
		case ORD_PSRC_DOTENV:
			path = rs_expand_path(r, s->path);
			if (path)
				hit = rs_dotenv_hit(r, path, s->field, role);
			break;
		case ORD_PSRC_FIXED:
			hit = rs_add_hit(r, ORD_SRC_CONFIG, role, s->at_path, s->at_line,
					 s->at_path && s->assign ? s->assign : "(built in)", s->field,
					 strlen(s->field));
			break;
		case ORD_PSRC_COMPOSE:
			/* a directory: "<cwd>" alone is the working directory */
			path = !strcmp(s->path, "<cwd>") ? strdup(r->ctx->cwd) : rs_expand_path(r, s->path);
			if (path)
				hit = rs_compose_hit(r, s, path, role, &via);
			break;
		case ORD_PSRC_STORE:
			/* unreadable: it matters when it ranks above the winner;
			 * a command run by --run-helpers is read after all */
			if (*win < 0 && *store < 0 && store_competes(r, s) &&
			    (hit = store_command(r, s, role)) < 0)
				*store = (long)i;
			break;
		default:
			path = rs_expand_path(r, s->path);
			if (path)
				hit = rs_config_hit(r, p, s, path, role, &via, &style);
			break;
		}
		free(path);
		if (hit < 0)
			continue;
		if (s->form && !strcmp(s->form, "provider-list"))
			hit = rs_prefix_part(r, hit, "openrouter=");
		else if (s->form && !strcmp(s->form, "assign-list") && s->assign) {
			char *prefix = malloc(strlen(s->assign) + 2);
			if (prefix) {
				strcpy(prefix, s->assign);
				strcat(prefix, "=");
				hit = rs_prefix_part(r, hit, prefix);
			}
			free(prefix);
		} else if (s->form && !strcmp(s->form, "semicolon-list"))
			hit = rs_list_part(r, hit);
		if (hit < 0)
			continue;
		empty = r->hits->v[hit].key.raw_len == 0;
		unusable = !empty && rs_value_unusable(s, &r->hits->v[hit].key);
		/* Crush drops the provider when $VAR resolves to nothing */
		if (empty && style == ORD_SUBST_DOLLAR_ERROR)
			rule = ORD_EMPTY_ERROR;
		yields = !empty || rule == ORD_EMPTY_VALUE || rule == ORD_EMPTY_ERROR ||
			 rule == ORD_EMPTY_NONE;
		own = s->own;
		mask = masking_cand(r, *out, *nout, source_var(r, s, hit));
		if (via >= 0 && (r->hits->v[hit].flags & ORD_HIT_TEMPLATE)) {
			/* the key lives where the reference points: that is the
			 * place to change, the template line is how it got here */
			long tmpl = hit;
			hit = via;
			via = tmpl;
			own = value_is_own(r, &r->hits->v[hit]);
		} else
			via = -1;
		if (mask >= 0 || unloaded || unusable)
			yields = 0;
		before = *nout;
		if (add_cand(out, nout, hit, s, via, yields, own, ord_profile_edit(p, s)))
			return;
		if (*nout == before)
			continue; /* the same place reached twice */
		(*out)[*nout - 1].empty_rule = rule;
		(*out)[*nout - 1].masked_by = mask;
		(*out)[*nout - 1].unloaded = unloaded;
		(*out)[*nout - 1].unusable = unusable;
		if (*win < 0 && yields)
			*win = (long)*nout - 1;
	}
}

/* The first value below the winner that travels in another header than
 * the winner's is sent as well (Claude Code: ANTHROPIC_API_KEY as x-api-key
 * next to the Bearer ANTHROPIC_AUTH_TOKEN; measured, make conformance). */
static long also_sent(const ord_tool_res *t)
{
	const char *wh;
	size_t i;

	if (t->win < 0)
		return -1;
	wh = t->keys[t->win].src->header;
	for (i = (size_t)t->win + 1; i < t->nkeys; i++) {
		const ord_cand *c = &t->keys[i];
		if (c->yields && c->src->header && (!wh || strcmp(wh, c->src->header)))
			return (long)i;
	}
	return -1;
}

/* ---- the effective base URL and the losers' reasons ---------------------- */

const char *ord_source_kind_text(const ord_psrc *s)
{
	switch (s->kind) {
	case ORD_PSRC_ENV: return "the environment";
	case ORD_PSRC_DOTENV: return s->override ? "a .env file it loads over the environment" :
						   "a .env file that only fills unset variables";
	case ORD_PSRC_JSON:
	case ORD_PSRC_YAML:
	case ORD_PSRC_TOML: return "its own configuration";
	case ORD_PSRC_ENV_INDIRECT: return "the variable its configuration names";
	case ORD_PSRC_FIXED: return "a built-in value";
	case ORD_PSRC_STORE: return "a store ordoctor cannot read";
	case ORD_PSRC_COMPOSE: return "the container's environment (Compose)";
	}
	return "?";
}

static void set_base_url(ord_tool_res *t, const ord_hits *hits)
{
	const char *def = t->p->default_base;

	free(t->base_url);
	t->base_url = NULL;
	t->base_default = 0;
	if (t->bstore >= 0)
		return; /* in a store ordoctor cannot read: unknown, not the default */
	if (t->bwin >= 0) {
		const ord_hit *h = &hits->v[t->bases[t->bwin].hit];
		t->base_url = strdup(h->key.norm);
	} else if (def && !strcmp(def, "sdk-openai")) {
		t->base_url = strdup("https://api.openai.com/v1");
		t->base_default = 1;
	} else if (def && !strcmp(def, "sdk-anthropic")) {
		t->base_url = strdup("https://api.anthropic.com");
		t->base_default = 1;
	} else if (def && strcmp(def, "none")) {
		t->base_url = strdup(def);
		t->base_default = 1;
	}
}

static int is_config(const ord_psrc *s)
{
	return s->kind == ORD_PSRC_JSON || s->kind == ORD_PSRC_YAML || s->kind == ORD_PSRC_TOML;
}

/* Why each candidate other than the winner loses, in the profile's terms. */
static void explain_losers(const ord_ctx *ctx, const ord_hits *hits, ord_tool_res *t)
{
	size_t i;
	ord_buf b = ORD_BUF_INIT(1024);

	for (i = 0; i < t->nkeys; i++) {
		const ord_cand *w = t->win >= 0 ? &t->keys[t->win] : NULL;
		ord_cand *c = &t->keys[i];

		/* a masked candidate says what hides it even when nothing wins:
		 * that is the whole story of "no key" */
		if ((long)i == t->win ||
		    (!w && !(!c->yields && (c->masked_by >= 0 || c->unloaded || c->unusable))))
			continue;
		ord_buf_reset(&b);
		if ((long)i == t->also) {
			const ord_hit *wh = &hits->v[w->hit];
			ord_buf_addf(&b, "sent too, in the %s header next to %s from ", c->src->header,
				     wh->name ? wh->name : "the key");
			ord_hit_where(ctx, wh, &b);
		} else if (c->unloaded) {
			size_t k;
			/* "…where <cwd>/package.json names "next", "dotenv" or
			 * --env-file, or <cwd>/requirements.txt names dotenv" */
			ord_buf_addf(&b, "%s reads this file only in a project where ", t->p->name);
			for (k = 0; k < c->src->nifs; k++) {
				const char *cond = c->src->ifs[k], *colon = strchr(cond + 1, ':');
				size_t plen = colon ? (size_t)(colon - cond) : strlen(cond);
				const char *prev = k ? c->src->ifs[k - 1] : NULL;
				const char *next = k + 1 < c->src->nifs ? c->src->ifs[k + 1] : NULL;
				int same_prev = prev && colon && !strncmp(prev, cond, plen + 1);
				int same_next = next && colon && !strncmp(next, cond, plen + 1);

				if (k)
					ord_buf_adds(&b, same_prev ? (same_next ? ", " : " or ") :
						     (next ? ", " : ", or "));
				if (!colon)
					ord_buf_addf(&b, "%s exists", cond);
				else if (same_prev)
					ord_buf_adds(&b, colon + 1);
				else
					ord_buf_addf(&b, "%.*s names %s", (int)plen, cond, colon + 1);
			}
			ord_buf_adds(&b, ", and this project does not (a framework or the code loads such a file)");
		} else if (c->unusable) {
			ord_buf_addf(&b, "too short or a placeholder word, and %s skips such values there",
				     t->p->name);
		} else if (!c->yields && c->masked_by >= 0) {
			ord_buf_adds(&b, t->keys[c->masked_by].unusable ? "hidden by the placeholder value in " :
				     "hidden by the empty value in ");
			ord_hit_where(ctx, &hits->v[t->keys[c->masked_by].hit], &b);
			ord_buf_addf(&b, ", which %s loads over the environment", t->p->name);
		} else if (!c->yields)
			ord_buf_addf(&b, "empty, and %s skips empty values there", t->p->name);
		else if ((long)i < t->win)
			ord_buf_adds(&b, "?");
		else if (w->src->kind == ORD_PSRC_DOTENV && w->src->override &&
			 c->src->kind == ORD_PSRC_ENV)
			ord_buf_addf(&b, "%s loads .env files with override, so the .env beats the environment",
				     t->p->name);
		else if (w->src->kind == ORD_PSRC_ENV && c->src->kind == ORD_PSRC_DOTENV &&
			 !c->src->override)
			ord_buf_addf(&b, "this .env only fills variables the environment lacks");
		else if (is_config(w->src) && c->src->kind == ORD_PSRC_ENV)
			ord_buf_addf(&b, "the key stored in %s's configuration beats the environment",
				     t->p->name);
		else {
			ord_buf_addf(&b, "%s reads ", t->p->name);
			ord_hit_where(ctx, &hits->v[w->via >= 0 ? w->via : w->hit], &b);
			ord_buf_adds(&b, " first");
		}
		free(c->why);
		c->why = ord_buf_detach(&b, NULL);
	}
	ord_buf_release(&b);
}

void ord_tools_resolve(ord_ctx *ctx, ord_hits *hits, ord_tools *t)
{
	rstate r;
	size_t i;

	memset(t, 0, sizeof(*t));
	memset(&r, 0, sizeof(r));
	r.ctx = ctx;
	r.hits = hits;
	r.git_root = ord_git_root(ctx);
	ord_profiles_load(ctx, &t->profiles);
	t->v = calloc(t->profiles.n + 1, sizeof(*t->v));
	if (!t->v)
		goto out;
	for (i = 0; i < t->profiles.n; i++) {
		ord_tool_res *tr = &t->v[t->n++];
		const ord_profile *p = &t->profiles.v[i];

		tr->p = p;
		eval_sources(&r, p, p->keys, p->nkeys, ORD_ROLE_KEY, &tr->keys, &tr->nkeys, &tr->win,
			     &tr->store);
		tr->store_cmd = r.cmd;
		tr->store_cmd_line = r.cmd_line;
		tr->store_cmd_why = r.cmd_why;
		r.cmd = r.cmd_why = NULL;
		eval_sources(&r, p, p->bases, p->nbases, ORD_ROLE_BASE_URL, &tr->bases, &tr->nbases,
			     &tr->bwin, &tr->bstore);
		tr->also = also_sent(tr);
		presence(&r, tr);
		set_base_url(tr, hits);
		if (tr->store >= 0 && strchr("/~<$", p->keys[tr->store].path[0]))
			tr->store_path = rs_expand_path(&r, p->keys[tr->store].path);
		explain_losers(ctx, hits, tr);
	}
out:
	for (i = 0; i < r.ncache; i++) {
		free(r.cache[i].path);
		if (r.cache[i].doc)
			ord_cfg_free(r.cache[i].doc);
	}
	free(r.cache);
	free(r.git_root);
	rs_compose_release(&r);
}

void ord_tools_release(ord_tools *t)
{
	size_t i, j;

	for (i = 0; i < t->n; i++) {
		for (j = 0; j < t->v[i].nkeys; j++)
			free(t->v[i].keys[j].why);
		for (j = 0; j < t->v[i].nbases; j++)
			free(t->v[i].bases[j].why);
		free(t->v[i].keys);
		free(t->v[i].bases);
		free(t->v[i].present_why);
		free(t->v[i].base_url);
		free(t->v[i].store_path);
		free(t->v[i].store_cmd);
		free(t->v[i].store_cmd_why);
	}
	free(t->v);
	ord_profiles_release(&t->profiles);
	memset(t, 0, sizeof(*t));
}

const ord_tool_res *ord_tools_find(const ord_tools *t, const char *id)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (!strcmp(t->v[i].p->id, id))
			return &t->v[i];
	return NULL;
}
