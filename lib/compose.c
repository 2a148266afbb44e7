/* compose: each Compose service's environment (see compose.h).
 *
 * The YAML is read by lib/cfg_yaml.c (libyaml, every node with its line);
 * this file walks that tree directly (cfg_internal.h) because it needs the
 * member names of `services` and `environment`, which the query paths of
 * tool profiles do not hand out.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cfg_internal.h"
#include "compose_internal.h"

typedef struct cfile {
	char *path;
	char *dir;
	ord_cfg *doc;
} cfile;

typedef struct lstate {
	ord_ctx *ctx;
	ord_compose *c;
	ord_cenvs dot;      /* the project .env, as Compose reads it */
	const ord_cenvs *svc; /* env_file lookups: the service's environment */
} lstate;

/* ---- the tree ------------------------------------------------------------- */

static uint32_t member(const ord_cfg *d, uint32_t obj, const char *key)
{
	uint32_t i;

	if (obj == CFG_NONE || d->nodes[obj].type != ORD_CFG_OBJECT)
		return CFG_NONE;
	for (i = d->nodes[obj].first; i != CFG_NONE; i = d->nodes[i].next)
		if (!(d->nodes[i].flags & CFG_F_DEAD) && d->nodes[i].key && !strcmp(d->nodes[i].key, key))
			return i;
	return CFG_NONE;
}

static const cfg_node *node(const ord_cfg *d, uint32_t i)
{
	return &d->nodes[cfg_resolve(d, i)];
}

/* services.NAME of a document, or CFG_NONE */
static uint32_t svc_node(const ord_cfg *d, const char *name)
{
	return cfg_resolve(d, member(d, cfg_resolve(d, member(d, 0, "services")), name));
}

/* ---- lookups -------------------------------------------------------------- */

/* The interpolation environment: the shell, then the project .env. */
static int proj_lookup(void *arg, const char *name, const char **v, size_t *len)
{
	lstate *s = arg;
	const char *e = ord_env_get(s->ctx, name);
	const ord_cenv *d;

	if (e) {
		*v = e;
		*len = strlen(e);
		return 1;
	}
	d = ord_cenvs_get(&s->dot, name);
	if (d && d->value) {
		*v = d->value;
		*len = d->len;
		return 1;
	}
	return 0;
}

static int shell_lookup(void *arg, const char *name, const char **v, size_t *len)
{
	lstate *s = arg;
	const char *e = ord_env_get(s->ctx, name);

	if (!e)
		return 0;
	*v = e;
	*len = strlen(e);
	return 1;
}

/* An env_file's lookup: the project environment, then the service's
 * environment: entries (compose-go types/project.go
 * WithServicesEnvironmentResolved). */
static int envfile_lookup(void *arg, const char *name, const char **v, size_t *len)
{
	lstate *s = arg;
	const ord_cenv *e;

	if (proj_lookup(arg, name, v, len))
		return 1;
	e = s->svc ? ord_cenvs_get(s->svc, name) : NULL;
	if (e && e->value) {
		*v = e->value;
		*len = e->len;
		return 1;
	}
	return 0;
}

/* Where the interpolation environment has name: the shell (path NULL),
 * the .env line, or nowhere. */
static void ref_from(lstate *s, const char *name, ord_compose_ref *r)
{
	const ord_cenv *d;

	memset(r, 0, sizeof(*r));
	if (!name || !name[0] || !(r->name = strdup(name)))
		return;
	if (ord_env_get(s->ctx, name)) {
		r->found = 1;
		return;
	}
	d = ord_cenvs_get(&s->dot, name);
	if (d && d->value && s->c->dotenv) {
		r->found = 1;
		r->path = strdup(s->c->dotenv);
		r->line = d->line;
	}
}

/* ---- the service's variables ---------------------------------------------- */

static ord_compose_var *var_slot(ord_compose_service *sv, const char *name)
{
	ord_compose_var *nv;
	size_t i;

	for (i = 0; i < sv->n; i++)
		if (!strcmp(sv->v[i].name, name)) {
			ord_free_secret(sv->v[i].value);
			free(sv->v[i].path);
			free(sv->v[i].ref.name);
			free(sv->v[i].ref.path);
			free(sv->v[i].error);
			free(sv->v[i].name);
			memset(&sv->v[i], 0, sizeof(sv->v[i]));
			sv->v[i].name = strdup(name);
			return sv->v[i].name ? &sv->v[i] : NULL;
		}
	nv = realloc(sv->v, (sv->n + 1) * sizeof(*nv));
	if (!nv)
		return NULL;
	sv->v = nv;
	memset(&nv[sv->n], 0, sizeof(*nv));
	nv[sv->n].name = strdup(name);
	if (!nv[sv->n].name)
		return NULL;
	return &nv[sv->n++];
}

/* One environment: entry: name, the raw value (NULL: bare), where. */
static int env_entry(lstate *s, ord_compose_service *sv, ord_cenvs *resolved, const char *name,
		     const char *raw, size_t rawlen, const char *path, unsigned line)
{
	ord_compose_var *v = var_slot(sv, name);
	ord_interp_info info;
	ord_buf b = ORD_BUF_INIT(ORD_FILE_CAP);
	char err[256];
	const char *lv;
	size_t ll;
	int e;

	if (!v || !(v->path = strdup(path)))
		return ENOMEM;
	v->line = line;
	if (!raw) {
		v->from = ORD_CF_BARE;
		v->whole_ref = 1;
		if (proj_lookup(s, name, &lv, &ll)) {
			v->value = strndup(lv, ll);
			v->len = ll;
		}
		ref_from(s, name, &v->ref);
	} else {
		v->from = ORD_CF_ENVIRONMENT;
		e = ord_compose_interp(raw, rawlen, proj_lookup, s, &b, err, sizeof(err), &info);
		if (e == EINVAL) {
			v->error = strdup(err);
		} else if (!e) {
			v->value = ord_buf_detach(&b, &v->len);
			v->whole_ref = info.whole;
			if (info.nrefs)
				ref_from(s, info.ref, &v->ref);
		}
		ord_buf_release(&b);
	}
	/* env_file values may refer to the service's own entries */
	if (v->value) {
		char *copy = malloc(v->len + 1);
		ord_cenv *nv = realloc(resolved->v, (resolved->n + 1) * sizeof(*nv));
		if (!copy || !nv) {
			free(copy);
			if (nv)
				resolved->v = nv;
			return ENOMEM;
		}
		resolved->v = nv;
		memcpy(copy, v->value, v->len);
		copy[v->len] = 0;
		memset(&nv[resolved->n], 0, sizeof(*nv));
		nv[resolved->n].name = strdup(name);
		nv[resolved->n].value = copy;
		nv[resolved->n].len = v->len;
		resolved->n++;
	}
	return 0;
}

/* The environment: of one service in one file, list or map form. */
static int read_environment(lstate *s, ord_compose_service *sv, ord_cenvs *resolved, const cfile *f,
			    uint32_t svc)
{
	const ord_cfg *d = f->doc;
	uint32_t env = cfg_resolve(d, member(d, svc, "environment")), i;
	int e = 0;

	if (env == CFG_NONE)
		return 0;
	for (i = d->nodes[env].first; i != CFG_NONE && !e; i = d->nodes[i].next) {
		const cfg_node *m = &d->nodes[i], *val = node(d, i);
		if (m->flags & CFG_F_DEAD)
			continue;
		if (d->nodes[env].type == ORD_CFG_OBJECT) {
			if (!m->key)
				continue;
			e = env_entry(s, sv, resolved, m->key, val->type == ORD_CFG_NULL ? NULL : val->text,
				      val->type == ORD_CFG_NULL ? 0 : val->len, f->path, m->line);
		} else if (val->type == ORD_CFG_STRING && val->text) {
			const char *eq = strchr(val->text, '=');
			char *name = strndup(val->text, eq ? (size_t)(eq - val->text) : val->len);
			if (!name)
				return ENOMEM;
			e = env_entry(s, sv, resolved, name, eq ? eq + 1 : NULL,
				      eq ? val->len - (size_t)(eq - val->text) - 1 : 0, f->path, m->line);
			free(name);
		}
	}
	return e;
}

static int read_env_file(lstate *s, ord_compose_service *sv, const char *dir, const char *rel,
			 int required, int raw)
{
	char *path;
	ord_buf data = ORD_BUF_INIT(ORD_FILE_CAP);
	ord_cenvs vals = {0};
	char err[256];
	size_t i;
	int e;

	while (rel[0] == '.' && rel[1] == '/') /* "./config/agent.env" */
		rel += 2;
	path = rel[0] == '/' ? strdup(rel) : ord_path_join(dir, rel);
	if (!path)
		return ENOMEM;
	e = ord_read_file(s->ctx, path, ORD_FILE_CAP, &data, NULL);
	if (e) {
		if (required || e != ENOENT)
			ord_warn(s->ctx, "cannot read env_file '%s': %s", path, strerror(e));
		goto out;
	}
	e = ord_compose_dotenv(data.data ? data.data : "", data.len, raw, envfile_lookup, s, &vals, err,
			       sizeof(err));
	if (e == EINVAL)
		ord_warn(s->ctx, "docker compose refuses env_file '%s': %s", path, err);
	for (i = 0; !e && i < vals.n; i++) {
		ord_compose_var *v = var_slot(sv, vals.v[i].name);
		if (!v || !(v->path = strdup(path))) {
			e = ENOMEM;
			break;
		}
		v->from = vals.v[i].bare ? ORD_CF_ENV_FILE_BARE : ORD_CF_ENV_FILE;
		v->line = vals.v[i].line;
		v->value = vals.v[i].value;
		v->len = vals.v[i].len;
		vals.v[i].value = NULL;
		v->whole_ref = vals.v[i].bare || vals.v[i].info.whole;
		if (vals.v[i].bare)
			ref_from(s, v->name, &v->ref);
		else if (vals.v[i].info.nrefs)
			ref_from(s, vals.v[i].info.ref, &v->ref);
	}
out:
	if (e == EINVAL)
		e = 0;
	ord_cenvs_release(&vals);
	ord_buf_release(&data);
	free(path);
	return e;
}

/* env_file: a string, a list of strings, or of {path, required, format}. */
static int read_env_files(lstate *s, ord_compose_service *sv, const cfile *f, uint32_t svc)
{
	const ord_cfg *d = f->doc;
	uint32_t ef = cfg_resolve(d, member(d, svc, "env_file")), i;
	int e = 0;

	if (ef == CFG_NONE)
		return 0;
	if (d->nodes[ef].type == ORD_CFG_STRING)
		return read_env_file(s, sv, f->dir, d->nodes[ef].text, 1, 0);
	if (d->nodes[ef].type != ORD_CFG_ARRAY)
		return 0;
	for (i = d->nodes[ef].first; i != CFG_NONE && !e; i = d->nodes[i].next) {
		uint32_t el = cfg_resolve(d, i), p, r, fm;
		if (d->nodes[el].type == ORD_CFG_STRING) {
			e = read_env_file(s, sv, f->dir, d->nodes[el].text, 1, 0);
			continue;
		}
		p = cfg_resolve(d, member(d, el, "path"));
		r = cfg_resolve(d, member(d, el, "required"));
		fm = cfg_resolve(d, member(d, el, "format"));
		if (p == CFG_NONE || d->nodes[p].type != ORD_CFG_STRING)
			continue;
		e = read_env_file(s, sv, f->dir, d->nodes[p].text,
				  !(r != CFG_NONE && d->nodes[r].text && !strcmp(d->nodes[r].text, "false")),
				  fm != CFG_NONE && d->nodes[fm].text && !strcmp(d->nodes[fm].text, "raw"));
	}
	return e;
}

/* ---- the project ---------------------------------------------------------- */

static int add_service(ord_compose *c, const char *name, ord_compose_service **out)
{
	ord_compose_service *nv;
	size_t i;

	for (i = 0; i < c->nsv; i++)
		if (!strcmp(c->sv[i].name, name)) {
			*out = &c->sv[i];
			return 0;
		}
	nv = realloc(c->sv, (c->nsv + 1) * sizeof(*nv));
	if (!nv)
		return ENOMEM;
	c->sv = nv;
	memset(&nv[c->nsv], 0, sizeof(*nv));
	if (!(nv[c->nsv].name = strdup(name)))
		return ENOMEM;
	*out = &nv[c->nsv++];
	return 0;
}

static int load_dotenv(lstate *s)
{
	ord_buf data = ORD_BUF_INIT(ORD_FILE_CAP);
	char *p = ord_path_join(s->c->dir, ".env"), err[256];
	int e;

	if (!p)
		return ENOMEM;
	if (!ord_compose_is_file(s->ctx, p)) {
		free(p);
		return 0;
	}
	s->c->dotenv = p;
	e = ord_read_file(s->ctx, p, ORD_FILE_CAP, &data, NULL);
	if (e) {
		ord_warn(s->ctx, "cannot read '%s': %s", p, strerror(e));
		return 0;
	}
	e = ord_compose_dotenv(data.data ? data.data : "", data.len, 0, shell_lookup, s, &s->dot, err,
			       sizeof(err));
	if (e == EINVAL)
		ord_warn(s->ctx, "docker compose refuses '%s': %s", p, err);
	ord_buf_release(&data);
	return e == ENOMEM ? ENOMEM : 0;
}

static void release_cfiles(cfile *f, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(f[i].dir);
		ord_cfg_free(f[i].doc);
	}
	free(f);
}

int ord_compose_load(ord_ctx *ctx, const char *cwd, ord_compose *c)
{
	lstate s = {ctx, c, {0}, NULL};
	cfile *f;
	size_t i, k;
	int e;

	memset(c, 0, sizeof(*c));
	if ((e = ord_compose_find_files(ctx, cwd, c)) || !c->nfiles)
		return e;
	if (!(c->dir = ord_compose_dir_of(c->files[0])) || !(f = calloc(c->nfiles, sizeof(*f))))
		return ENOMEM;
	if ((e = load_dotenv(&s)))
		goto out;
	for (i = 0; i < c->nfiles; i++) {
		ord_buf data = ORD_BUF_INIT(ORD_FILE_CAP);
		char err[160] = "";
		unsigned line = 0;

		f[i].path = c->files[i];
		if (!(f[i].dir = ord_compose_dir_of(c->files[i]))) {
			e = ENOMEM;
			goto out;
		}
		e = ord_read_file(ctx, c->files[i], ORD_FILE_CAP, &data, NULL);
		if (e)
			ord_warn(ctx, "cannot read '%s': %s", c->files[i], strerror(e));
		else if (ord_cfg_parse(&f[i].doc, ORD_CFG_YAML, data.data ? data.data : "", data.len, err,
				       sizeof(err), &line))
			ord_warn(ctx, "cannot parse '%s' line %u: %s", c->files[i], line, err);
		else if (member(f[i].doc, 0, "include") != CFG_NONE)
			ord_warn(ctx, "'%s': include: is not followed: the services it brings in are not shown",
				 c->files[i]);
		ord_buf_release(&data);
		e = 0;
	}
	/* services in the order the files name them; the later file's
	 * env_file and environment entries go over the earlier ones */
	for (i = 0; i < c->nfiles && !e; i++) {
		uint32_t svcs, j;
		if (!f[i].doc)
			continue;
		svcs = cfg_resolve(f[i].doc, member(f[i].doc, 0, "services"));
		if (svcs == CFG_NONE || f[i].doc->nodes[svcs].type != ORD_CFG_OBJECT)
			continue;
		for (j = f[i].doc->nodes[svcs].first; j != CFG_NONE && !e; j = f[i].doc->nodes[j].next) {
			ord_compose_service *sv;
			if ((f[i].doc->nodes[j].flags & CFG_F_DEAD) || !f[i].doc->nodes[j].key)
				continue;
			e = add_service(c, f[i].doc->nodes[j].key, &sv);
		}
	}
	for (k = 0; k < c->nsv && !e; k++) {
		ord_compose_service *sv = &c->sv[k];
		ord_cenvs resolved = {0};
		uint32_t svc;
		/* environment: first (env_file values may refer to it), then
		 * env_file:, then environment: again over it */
		for (i = 0; i < c->nfiles && !e; i++)
			if (f[i].doc && (svc = svc_node(f[i].doc, sv->name)) != CFG_NONE) {
				if (member(f[i].doc, svc, "extends") != CFG_NONE)
					ord_warn(ctx, "compose service '%s' uses extends:, which is not followed: what it inherits is not shown",
						 sv->name);
				e = read_environment(&s, sv, &resolved, &f[i], svc);
			}
		s.svc = &resolved;
		for (i = 0; i < c->nfiles && !e; i++)
			if (f[i].doc && (svc = svc_node(f[i].doc, sv->name)) != CFG_NONE)
				e = read_env_files(&s, sv, &f[i], svc);
		for (i = 0; i < c->nfiles && !e; i++) {
			ord_cenvs scratch = {0};
			if (f[i].doc && (svc = svc_node(f[i].doc, sv->name)) != CFG_NONE)
				e = read_environment(&s, sv, &scratch, &f[i], svc);
			ord_cenvs_release(&scratch);
		}
		s.svc = NULL;
		ord_cenvs_release(&resolved);
	}
out:
	for (i = 0; i < c->nfiles; i++)
		f[i].path = NULL;
	release_cfiles(f, c->nfiles);
	ord_cenvs_release(&s.dot);
	return e;
}

void ord_compose_release(ord_compose *c)
{
	size_t i, j;

	for (i = 0; i < c->nsv; i++) {
		for (j = 0; j < c->sv[i].n; j++) {
			ord_compose_var *v = &c->sv[i].v[j];
			free(v->name);
			ord_free_secret(v->value);
			free(v->path);
			free(v->ref.name);
			free(v->ref.path);
			free(v->error);
		}
		free(c->sv[i].v);
		free(c->sv[i].name);
	}
	free(c->sv);
	for (i = 0; i < c->nfiles; i++)
		free(c->files[i]);
	free(c->files);
	free(c->dir);
	free(c->dotenv);
	memset(c, 0, sizeof(*c));
}

const ord_compose_var *ord_compose_get(const ord_compose_service *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->v[i].name, name))
			return &s->v[i];
	return NULL;
}
