/* startctx: what each start context sees (see startctx.h).  The files of
 * each context are worked out by lib/startctx_gather.c; this finds the
 * assignment that wins among them and builds a context's environment. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "startctx.h"

static const struct {
	const char *id;
	const char *name;
	int interactive;
	const char *who;
} contexts[ORD_SC_COUNT] = {
	[ORD_SC_BASH_INTERACTIVE] = {"bash", "bash, a terminal", 1, "bash terminals"},
	[ORD_SC_BASH_LOGIN] = {"bash-login", "bash, login (ssh, console)", 1, "bash login shells"},
	[ORD_SC_BASH_LOGIN_CMD] = {"bash-lc", "bash -lc CMD", 0, "`bash -lc`"},
	[ORD_SC_BASH_CMD] = {"bash-c", "bash -c CMD, sh -c CMD", 0, "`bash -c`"},
	[ORD_SC_ZSH] = {"zsh", "zsh, a terminal", 1, "zsh terminals"},
	[ORD_SC_ZSH_LOGIN] = {"zsh-login", "zsh, login (ssh, macOS)", 1, "zsh login shells"},
	[ORD_SC_ZSH_CMD] = {"zsh-c", "zsh -c CMD", 0, "`zsh -c`"},
	[ORD_SC_FISH] = {"fish", "fish, a terminal", 1, "fish"},
	[ORD_SC_CRON] = {"cron", "cron job", 0, "cron jobs"},
	[ORD_SC_SYSTEMD_USER] = {"systemd", "systemd user service", 0, "systemd user services"},
	[ORD_SC_GRAPHICAL] = {"graphical", "graphical session", 0, "the graphical session"},
};

const char *ord_startctx_who(ord_startctx_id c)
{
	return (unsigned)c < ORD_SC_COUNT ? contexts[c].who : "?";
}

const char *ord_startctx_name(ord_startctx_id c)
{
	return (unsigned)c < ORD_SC_COUNT ? contexts[c].name : "?";
}

const char *ord_startctx_id_str(ord_startctx_id c)
{
	return (unsigned)c < ORD_SC_COUNT ? contexts[c].id : "?";
}

int ord_startctx_lookup(const char *id)
{
	int c;

	for (c = 0; id && c < ORD_SC_COUNT; c++)
		if (!strcmp(id, contexts[c].id))
			return c;
	return -1;
}

void ord_startctx_init(ord_startctx *sc)
{
	memset(sc, 0, sizeof(*sc));
	ord_hits_init(&sc->extra);
}

void ord_startctx_release(ord_startctx *sc)
{
	size_t i;
	int c;

	for (c = 0; c < ORD_SC_COUNT; c++) {
		for (i = 0; i < sc->nfiles[c]; i++)
			free(sc->files[c][i].path);
		free(sc->files[c]);
		free(sc->note[c]);
	}
	for (i = 0; i < sc->nunits; i++)
		free(sc->units[i].name);
	free(sc->units);
	ord_hits_release(&sc->extra);
	memset(sc, 0, sizeof(*sc));
}

/* Does a hit stand for `name` at this point of context c? */
static int counts(const ord_hit *h, const char *path, const char *name, int interactive)
{
	if ((h->kind != ORD_SRC_RC && h->kind != ORD_SRC_DOTENV) || !h->path || !h->name ||
	    strcmp(h->name, name) || strcmp(h->path, path))
		return 0;
	if (!interactive && (h->flags & ORD_HIT_INTERACTIVE_ONLY))
		return 0;
	/* `set -U NAME v` without -x: fish has it, the programs it starts
	 * do not */
	if (!(h->flags & ORD_HIT_EXPORTED) && strlen(path) >= 15 && !strcmp(path + strlen(path) - 15, "/fish_variables"))
		return 0;
	if (h->flags & ORD_HIT_DROPPED)
		return 0;
	return 1;
}

static void last_in(const ord_hits *hs, const char *path, const char *name, int interactive,
		    ord_startctx_value *out)
{
	size_t i;

	for (i = 0; i < hs->n; i++)
		if (counts(&hs->v[i], path, name, interactive)) {
			out->hit = &hs->v[i];
			out->maybe = !!(hs->v[i].flags & ORD_HIT_CONDITIONAL);
		}
}

/* Debian's ~/.profile: `if [ -f "$HOME/.bashrc" ]; then . "$HOME/.bashrc"`;
 * gather marks the ~/.bashrc entry 'B' only when the login file sources it,
 * and 'L' entries are the login files of which the first existing one runs
 * (gather keeps only that one). */
void ord_startctx_value_of(const ord_startctx *sc, const ord_hits *hits, ord_startctx_id c,
			   const char *name, ord_startctx_value *out)
{
	size_t f;

	memset(out, 0, sizeof(*out));
	if ((unsigned)c >= ORD_SC_COUNT)
		return;
	for (f = 0; f < sc->nfiles[c]; f++) {
		const char *p = sc->files[c][f].path;
		last_in(hits, p, name, contexts[c].interactive, out);
		last_in(&sc->extra, p, name, contexts[c].interactive, out);
	}
	if (!out->hit && sc->unknown[c])
		out->unknown = 1;
}

int ord_startctx_unit_value(const ord_startctx *sc, const ord_hits *hits, size_t u,
			    const char *name, ord_startctx_value *out)
{
	size_t i;
	int own = 0;

	ord_startctx_value_of(sc, hits, ORD_SC_SYSTEMD_USER, name, out);
	if (u >= sc->nunits)
		return 0;
	for (i = sc->units[u].first; i < sc->units[u].end && i < sc->extra.n; i++) {
		const ord_hit *h = &sc->extra.v[i];
		if (h->path && counts(h, h->path, name, 0)) {
			out->hit = h;
			out->maybe = 0;
			out->unknown = 0;
			own = 1;
		}
	}
	return own;
}

long ord_startctx_unit_lookup(const ord_startctx *sc, const char *name)
{
	size_t i, nl = strlen(name);

	for (i = 0; i < sc->nunits; i++) {
		const char *u = sc->units[i].name;
		if (!strcmp(u, name) || (strlen(u) == nl + 8 && !strncmp(u, name, nl) && !strcmp(u + nl, ".service")))
			return (long)i;
	}
	return -1;
}

static int has_name(char **v, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(v[i], name))
			return 1;
	return 0;
}

/* Every variable name an assignment in hits or extra gives. */
static int collect_names(const ord_hits *a, const ord_hits *b, char ***out, size_t *n)
{
	const ord_hits *all[2] = {a, b};
	size_t k, i, cap = a->n + b->n + 1;
	char **v = malloc(cap * sizeof(*v));

	if (!v)
		return ENOMEM;
	*n = 0;
	for (k = 0; k < 2; k++)
		for (i = 0; i < all[k]->n; i++) {
			const ord_hit *h = &all[k]->v[i];
			if ((h->kind == ORD_SRC_RC || h->kind == ORD_SRC_DOTENV) && h->name && !has_name(v, *n, h->name))
				v[(*n)++] = h->name;
		}
	*out = v;
	return 0;
}

static void env_drop(ord_ctx *ctx, const char *name)
{
	size_t i, nl = strlen(name);

	for (i = 0; i < ctx->env_len; i++)
		if (!strncmp(ctx->env[i], name, nl) && ctx->env[i][nl] == '=') {
			ord_free_secret(ctx->env[i]);
			memmove(ctx->env + i, ctx->env + i + 1, (ctx->env_len - i) * sizeof(char *));
			ctx->env_len--;
			return;
		}
}

int ord_startctx_apply(ord_ctx *ctx, const ord_startctx *sc, const ord_hits *hits,
		       ord_startctx_id c, long unit)
{
	char **names = NULL;
	size_t n = 0, i;
	int rc = 0;

	/* the keys the current process has say nothing about the context */
	for (i = ctx->env_len; i-- > 0;) {
		const char *eq = strchr(ctx->env[i], '=');
		const ord_varspec *v = eq ? ord_var_lookup(ctx->env[i], (size_t)(eq - ctx->env[i])) : NULL;
		if (v && (v->role == ORD_ROLE_KEY || v->role == ORD_ROLE_BASE_URL)) {
			char *nm = strndup(ctx->env[i], (size_t)(eq - ctx->env[i]));
			if (nm)
				env_drop(ctx, nm);
			free(nm);
		}
	}
	if (collect_names(hits, &sc->extra, &names, &n))
		return ENOMEM;
	for (i = 0; i < n && !rc; i++) {
		ord_startctx_value v;
		char *val;

		if (unit >= 0)
			ord_startctx_unit_value(sc, hits, (size_t)unit, names[i], &v);
		else
			ord_startctx_value_of(sc, hits, c, names[i], &v);
		if (!v.hit || (v.hit->flags & ORD_HIT_COMMAND) || !(v.hit->flags & ORD_HIT_EXPORTED))
			continue;
		val = strndup((const char *)v.hit->key.raw, v.hit->key.raw_len);
		if (!val)
			return ENOMEM;
		rc = ord_env_set(ctx, names[i], val);
		ord_free_secret(val);
	}
	free(names);
	return rc;
}
