/* resolve: evaluate each tool profile against the machine.
 *
 * Every source line of a profile is looked up in order; a value found in a
 * tool's config file becomes a hit of kind "config" (with file and line)
 * so that `keys` lists it and the live checks test it like any other key.
 * The first source that yields a value wins; the others are shadowed.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <fnmatch.h>

#include "cfg.h"
#include "dotenv.h"
#include "resolve.h"

typedef struct cfg_entry {
	char *path;
	ord_cfg *doc; /* NULL: missing or unparsable */
} cfg_entry;

typedef struct rstate {
	ord_ctx *ctx;
	ord_hits *hits;
	char *git_root; /* NULL outside a repository */
	cfg_entry *cache; /* every config path looked at, parsed or not */
	size_t ncache, capcache;
} rstate;

/* ---- paths -------------------------------------------------------------- */

static char *find_git_root(ord_ctx *ctx)
{
	char *dir = strdup(ctx->cwd);

	while (dir) {
		char *g = ord_path_join(dir, ".git");
		struct stat st;
		int found = g && !ord_stat(ctx, g, &st);

		free(g);
		if (found)
			return dir;
		if (!ord_path_up(dir))
			break;
	}
	free(dir);
	return NULL;
}

/* Expand the tokens of docs/profiles.md; NULL when the source does not
 * apply (an unset $VAR, no git root). */
static char *expand_path(rstate *r, const char *p)
{
	const char *x;

	if (!strncmp(p, "~/", 2))
		return ord_path_join(r->ctx->home, p + 2);
	if (!strncmp(p, "<cwd>/", 6))
		return ord_path_join(r->ctx->cwd, p + 6);
	if (!strncmp(p, "<git-root>/", 11))
		return r->git_root ? ord_path_join(r->git_root, p + 11) : NULL;
	if (!strncmp(p, "<xdg-config>/", 13) || !strncmp(p, "<xdg-data>/", 11)) {
		int config = p[5] == 'c';
		const char *rest = p + (config ? 13 : 11);
		char *base, *out;

		x = ord_env_get(r->ctx, config ? "XDG_CONFIG_HOME" : "XDG_DATA_HOME");
		if (x && *x == '/')
			return ord_path_join(x, rest);
		base = ord_path_join(r->ctx->home, config ? ".config" : ".local/share");
		out = base ? ord_path_join(base, rest) : NULL;
		free(base);
		return out;
	}
	if (p[0] == '$') {
		const char *slash = strchr(p, '/');
		char *name = slash ? strndup(p + 1, (size_t)(slash - p - 1)) : strdup(p + 1);
		const char *v = name ? ord_env_get(r->ctx, name) : NULL;
		free(name);
		if (!v || !*v)
			return NULL;
		return slash ? ord_path_join(v, slash + 1) : strdup(v);
	}
	if (!strncmp(p, "/etc/", 5))
		return ord_path_join(r->ctx->etc, p + 5);
	return strdup(p);
}

/* ---- hits ------------------------------------------------------------------ */

static long find_hit(const ord_hits *hits, ord_source_kind kind, const char *path,
		     const char *name)
{
	size_t i;

	for (i = hits->n; i-- > 0;) {
		const ord_hit *h = &hits->v[i];
		if (h->kind != kind || !h->name || strcmp(h->name, name) ||
		    (h->flags & ORD_HIT_SHADOWED_IN_FILE))
			continue;
		if (path ? (h->path && !strcmp(h->path, path)) : !h->path)
			return (long)i;
	}
	return -1;
}

static long add_hit(rstate *r, ord_source_kind kind, ord_role role, const char *path,
		    unsigned line, const char *name, const char *value, size_t len)
{
	ord_hit *h = ord_hits_add(r->hits, kind, role, path, line, name, value, len);

	return h ? (long)(h - r->hits->v) : -1;
}

static long env_hit(rstate *r, const char *name, ord_role role)
{
	long i = find_hit(r->hits, ORD_SRC_ENV, NULL, name);
	const char *v;

	if (i >= 0)
		return i;
	v = ord_env_get(r->ctx, name);
	return v ? add_hit(r, ORD_SRC_ENV, role, NULL, 0, name, v, strlen(v)) : -1;
}

typedef struct dot_find {
	const char *name;
	char *value;
	size_t len;
	unsigned line;
} dot_find;

static int dot_cb(void *arg, const ord_assign *a)
{
	dot_find *f = arg;

	if (a->name_len != strlen(f->name) || memcmp(a->name, f->name, a->name_len))
		return 0;
	if (f->value) {
		ord_wipe(f->value, f->len);
		free(f->value);
	}
	/* memcpy, not strndup: a NUL inside the value must not make the
	 * copy shorter than the length kept with it */
	f->len = a->value ? a->value_len : 0;
	f->value = malloc(f->len + 1);
	if (f->value) {
		if (f->len)
			memcpy(f->value, a->value, f->len);
		f->value[f->len] = '\0';
	} else
		f->len = 0;
	f->line = a->line;
	return 0;
}

static long dotenv_hit(rstate *r, const char *path, const char *name, ord_role role)
{
	long i = find_hit(r->hits, ORD_SRC_DOTENV, path, name);
	ord_buf b = ORD_BUF_INIT(ORD_FILE_CAP);
	dot_find f = {name, NULL, 0, 0};

	if (i >= 0)
		return i;
	/* discovery records only the variables of data/variables; a tool may
	 * read another one */
	if (!ord_read_file(r->ctx, path, ORD_FILE_CAP, &b, NULL))
		ord_dotenv_parse(ord_buf_str(&b), b.len, dot_cb, NULL, &f);
	ord_buf_release(&b);
	if (!f.value)
		return -1;
	i = add_hit(r, ORD_SRC_DOTENV, role, path, f.line, name, f.value, f.len);
	ord_wipe(f.value, f.len);
	free(f.value);
	return i;
}

/* ---- config files ------------------------------------------------------------ */

static ord_cfg *cfg_get(rstate *r, const char *path, const char *format)
{
	ord_buf b = ORD_BUF_INIT(ORD_FILE_CAP);
	ord_cfg *doc = NULL;
	char err[256];
	unsigned eline = 0;
	size_t i;
	int rc, trunc = 0;
	ord_cfg_format f = !strcmp(format, "yaml") ? ORD_CFG_YAML :
			   !strcmp(format, "toml") ? ORD_CFG_TOML : ORD_CFG_JSON;

	for (i = 0; i < r->ncache; i++)
		if (!strcmp(r->cache[i].path, path))
			return r->cache[i].doc;
	rc = ord_read_file(r->ctx, path, ORD_FILE_CAP, &b, &trunc);
	if (rc == 0 && trunc)
		ord_warn(r->ctx, "'%s' is larger than %d KiB; not read", path, ORD_FILE_CAP / 1024);
	else if (rc == 0 && memchr(ord_buf_str(&b), '\0', b.len))
		ord_warn(r->ctx, "'%s' looks like a binary file; skipped", path);
	else if (rc == 0 && ord_cfg_parse(&doc, f, ord_buf_str(&b), b.len, err, sizeof(err), &eline) &&
		 /* openclaw.json and others are JSON5 under a .json name */
		 (f != ORD_CFG_JSON ||
		  ord_cfg_parse(&doc, ORD_CFG_JSON5, ord_buf_str(&b), b.len, NULL, 0, NULL)))
		ord_warn(r->ctx, "'%s' line %u: %s; its settings are ignored", path, eline, err);
	else if (rc && rc != ENOENT && rc != ENOTDIR)
		ord_warn(r->ctx, "cannot read '%s': %s", path, strerror(rc));
	ord_buf_release(&b);
	if (r->ncache == r->capcache) {
		size_t nc = r->capcache ? r->capcache * 2 : 32;
		cfg_entry *n = realloc(r->cache, nc * sizeof(*n));
		if (!n) {
			if (doc)
				ord_cfg_free(doc);
			return NULL;
		}
		r->cache = n;
		r->capcache = nc;
	}
	r->cache[r->ncache].path = strdup(path);
	r->cache[r->ncache++].doc = doc;
	return doc;
}

typedef struct first_val {
	char *text;
	size_t len;
	unsigned line;
	int type;
	int count;
} first_val;

static int first_cb(void *arg, const ord_cfg_value *v)
{
	first_val *f = arg;

	if (f->count++)
		return 0;
	f->type = v->type;
	f->line = v->line;
	if (v->type != ORD_CFG_OBJECT && v->type != ORD_CFG_ARRAY && v->text) {
		f->text = strndup(v->text, v->len);
		f->len = v->len;
	}
	return 0;
}

static int query_first(rstate *r, ord_cfg *doc, const char *path, const char *field,
		       first_val *out)
{
	char err[256];

	memset(out, 0, sizeof(*out));
	if (ord_cfg_query(doc, field, first_cb, out, err, sizeof(err)) < 0) {
		ord_warn(r->ctx, "profile field '%s' for '%s': %s", field, path, err);
		return -1;
	}
	return out->count;
}

static void first_release(first_val *f)
{
	if (f->text) {
		ord_wipe(f->text, f->len);
		free(f->text);
	}
	memset(f, 0, sizeof(*f));
}

/* ---- substitutions (profile subst:) -------------------------------------- */

/* Continue's ${{ secrets.NAME }} (LocalPlatformClient.resolveFQSNs):
 * ~/.continue/.env, else the workspace files <cwd>/.continue/.env and
 * <cwd>/.env, then the environment.  The home file is combined with `??`,
 * so NAME= there (defined, empty) stops the workspace lookup; an empty
 * result counts as not found, and the process environment is used only
 * when non-empty.  Returns the hit that supplies the value, or -1. */
static long secret_hit(rstate *r, const char *name)
{
	static const char *const files[] = {"~/.continue/.env", "<cwd>/.continue/.env",
					    "<cwd>/.env"};
	size_t i;
	long h = -1, env;

	for (i = 0; i < sizeof(files) / sizeof(*files) && h < 0; i++) {
		char *path = expand_path(r, files[i]);
		h = path ? dotenv_hit(r, path, name, ORD_ROLE_KEY) : -1;
		free(path);
	}
	if (h >= 0 && r->hits->v[h].key.raw_len)
		return h;
	env = env_hit(r, name, ORD_ROLE_KEY);
	return env >= 0 && r->hits->v[env].key.raw_len ? env : -1;
}

/* When the whole value is one reference the profile's subst: understands,
 * its variable name; *style says which rule applies. */
static char *whole_ref(const ord_profile *p, const char *v, size_t n, unsigned *style)
{
	size_t i;

	if ((p->subst & ORD_SUBST_ENV_BRACE) && n > 6 && !strncmp(v, "{env:", 5) && v[n - 1] == '}') {
		*style = ORD_SUBST_ENV_BRACE;
		return strndup(v + 5, n - 6);
	}
	if ((p->subst & ORD_SUBST_SECRETS) && n > 6 && !strncmp(v, "${{", 3) &&
	    !strncmp(v + n - 2, "}}", 2)) {
		const char *a = v + 3, *b = v + n - 2;
		while (a < b && *a == ' ')
			a++;
		while (b > a && b[-1] == ' ')
			b--;
		if (b - a > 8 && !strncmp(a, "secrets.", 8)) {
			*style = ORD_SUBST_SECRETS;
			return strndup(a + 8, (size_t)(b - a - 8));
		}
	}
	if ((p->subst & ORD_SUBST_OS_ENVIRON) && n > 11 && !strncmp(v, "os.environ/", 11)) {
		*style = ORD_SUBST_OS_ENVIRON;
		return strndup(v + 11, n - 11);
	}
	if ((p->subst & (ORD_SUBST_DOLLAR_LITERAL | ORD_SUBST_DOLLAR_EMPTY | ORD_SUBST_DOLLAR_ERROR)) &&
	    n > 1 && v[0] == '$') {
		const char *a = v + 1, *b = v + n;
		if (*a == '{') {
			if (v[n - 1] != '}')
				return NULL;
			a++;
			b--;
		}
		for (i = 0; a + i < b; i++)
			if (!(a[i] == '_' || (a[i] >= 'A' && a[i] <= 'Z') ||
			      (a[i] >= 'a' && a[i] <= 'z') || (i && a[i] >= '0' && a[i] <= '9')))
				return NULL;
		*style = p->subst & ORD_SUBST_DOLLAR_LITERAL ? ORD_SUBST_DOLLAR_LITERAL :
			 p->subst & ORD_SUBST_DOLLAR_EMPTY ? ORD_SUBST_DOLLAR_EMPTY :
							     ORD_SUBST_DOLLAR_ERROR;
		return b > a ? strndup(a, (size_t)(b - a)) : NULL;
	}
	return NULL;
}

/* The config value as the tool sees it after substitution; a whole-value
 * reference records the hit it came from in *via and its ORD_SUBST_* style
 * in *style (0 for a plain value). */
static long subst_hit(rstate *r, const ord_profile *p, const ord_psrc *s,
		      const char *path, unsigned line, const char *v, size_t n,
		      ord_role role, long *via, unsigned *pstyle)
{
	unsigned style = 0;
	char *name = whole_ref(p, v, n, &style);
	long ref = -1, h;
	const char *val = v;
	size_t len = n;

	if (name) {
		ref = style == ORD_SUBST_SECRETS ? secret_hit(r, name) : env_hit(r, name, role);
		if (ref < 0 && (style == ORD_SUBST_DOLLAR_LITERAL || style == ORD_SUBST_DOLLAR_EMPTY ||
				style == ORD_SUBST_DOLLAR_ERROR)) {
			/* LibreChat (dotenv at start-up), Crush (godotenv
			 * autoload) and Compose (interpolation) fill ${VAR} from
			 * the project's .env when the environment lacks it */
			char *env_file = ord_path_join(r->ctx->cwd, ".env");
			if (env_file)
				ref = dotenv_hit(r, env_file, name, role);
			free(env_file);
		}
		if (ref >= 0) {
			val = (const char *)r->hits->v[ref].key.raw;
			len = r->hits->v[ref].key.raw_len;
		} else if (style != ORD_SUBST_DOLLAR_LITERAL && style != ORD_SUBST_SECRETS) {
			/* {env:UNSET} and the like become "" */
			val = "";
			len = 0;
		}
	}
	h = add_hit(r, ORD_SRC_CONFIG, role, path, line, s->field, val, len);
	if (h >= 0 && name) {
		ord_hit *x = &r->hits->v[h];
		ord_buf b = ORD_BUF_INIT(512);

		if (ref >= 0)
			ord_buf_addf(&b, "the value comes from %s", name);
		else if (style == ORD_SUBST_DOLLAR_LITERAL || style == ORD_SUBST_SECRETS)
			ord_buf_addf(&b, "%s is not set, so the text is sent as it is", name);
		else
			ord_buf_addf(&b, "%s is not set, so this is an empty value", name);
		x->note = ord_buf_detach(&b, NULL);
		if (ref < 0 && style != ORD_SUBST_DOLLAR_LITERAL && style != ORD_SUBST_SECRETS)
			x->flags |= ORD_HIT_EMPTY_EXPANSION;
		if (ref >= 0)
			x->flags |= ORD_HIT_TEMPLATE;
	}
	*via = ref;
	*pstyle = style;
	free(name);
	return h;
}

/* Open WebUI's OPENAI_API_KEYS "k1;k2": matched to OPENAI_API_BASE_URLS by
 * position.  Without reading that list too, the entry that looks like an
 * OpenRouter key (else the first) stands for it, and in the URL list the
 * entry on openrouter.ai (else the first). */
static int list_entry_fits(const ord_hit *h, const char *v, size_t n)
{
	if (h->role == ORD_ROLE_BASE_URL)
		return memmem(v, n, "openrouter.ai", 13) != NULL;
	return ord_value_looks_like_openrouter_key(v, n);
}

static long list_part(rstate *r, long hit)
{
	const ord_hit *h = &r->hits->v[hit];
	const char *v = (const char *)h->key.raw, *pick = NULL;
	size_t n = h->key.raw_len, i = 0, plen = 0;
	char *path, *name;
	long out;

	if (!memchr(v, ';', n))
		return hit;
	while (i <= n) {
		size_t j = i;
		while (j < n && v[j] != ';')
			j++;
		if (!pick || (list_entry_fits(h, v + i, j - i) && !list_entry_fits(h, pick, plen))) {
			pick = v + i;
			plen = j - i;
		}
		i = j + 1;
	}
	path = h->path ? strdup(h->path) : NULL;
	name = strdup(h->name);
	out = add_hit(r, h->kind, h->role, path, h->line, name, pick, plen);
	free(path);
	free(name);
	return out;
}

/* Aider's "openrouter=KEY,anthropic=KEY" (--api-key) and
 * "OPENROUTER_API_KEY=KEY" (--set-env) lists: a hit holding only the entry
 * that starts with prefix ("openrouter=").  Entries are separated by commas
 * or blanks; configargparse writes a list variable as "[a, b]".  An entry
 * with nothing after the '=' is an empty value: Aider writes "" into the
 * variable (the line's empty rule decides what that does). */
static long prefix_part(rstate *r, long hit, const char *prefix)
{
	const ord_hit *h = &r->hits->v[hit];
	const char *v = (const char *)h->key.raw, *p;
	size_t n = h->key.raw_len, i = 0, pl = strlen(prefix);
	char *path, *name;
	long out = -1;

	if (!n)
		return -1; /* an empty list has no entry: it sets nothing */
	if (!memchr(v, '=', n))
		return hit; /* discovery already extracted it */
	while (i < n) {
		size_t j = i;
		while (j < n && !strchr(", []", v[j]))
			j++;
		p = v + i;
		if (j - i >= pl && !memcmp(p, prefix, pl)) {
			path = h->path ? strdup(h->path) : NULL;
			name = strdup(h->name);
			out = add_hit(r, h->kind, h->role, path, h->line, name, p + pl, j - i - pl);
			free(path);
			free(name);
			return out;
		}
		i = j + 1;
	}
	return -1;
}


/* when=FIELD:VALUE of a source holds in doc (or there is none). */
static int when_holds(rstate *r, ord_cfg *doc, const char *path, const ord_psrc *s)
{
	first_val w;
	int ok;

	if (!s->when_field)
		return 1;
	ok = query_first(r, doc, path, s->when_field, &w) > 0 && w.text &&
	     !strcmp(w.text, s->when_value);
	first_release(&w);
	return ok;
}

/* A config-file source: the value (substituted) as a config hit. */
static long config_hit(rstate *r, const ord_profile *p, const ord_psrc *s,
		       const char *path, ord_role role, long *via, unsigned *style)
{
	const char *format = s->kind == ORD_PSRC_YAML ? "yaml" :
			     s->kind == ORD_PSRC_TOML ? "toml" :
			     s->kind == ORD_PSRC_ENV_INDIRECT ? s->format : "json";
	ord_cfg *doc = cfg_get(r, path, format);
	first_val v;
	long hit = -1;

	*via = -1;
	*style = 0;
	if (!doc || !when_holds(r, doc, path, s))
		return -1;
	if (query_first(r, doc, path, s->field, &v) <= 0)
		return -1;
	if (s->kind == ORD_PSRC_ENV_INDIRECT) {
		/* the field names the variable that holds the key */
		if (v.text && *v.text)
			hit = env_hit(r, v.text, role);
		first_release(&v);
		return hit;
	}
	if (!v.text) {
		first_release(&v);
		return -1;
	}
	hit = subst_hit(r, p, s, path, v.line, v.text, v.len, role, via, style);
	first_release(&v);
	return hit;
}

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
		if (!strcmp(kind, "command") && on_path(r, arg)) {
			t->present = 1;
			ord_buf_addf(&b, "the command '%s' is on PATH", arg);
		} else if (!strcmp(kind, "env") && ord_env_get(r->ctx, arg)) {
			t->present = 1;
			ord_buf_addf(&b, "%s is set", arg);
		} else if ((!strcmp(kind, "file") || !strcmp(kind, "dir")) &&
			   (path = expand_path(r, arg)) &&
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

	if (s->form && !strcmp(s->form, "assign-list"))
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

static int is_config_file(const char *path)
{
	const char *dot = strrchr(path, '.');

	return dot && (!strcmp(dot, ".json") || !strcmp(dot, ".jsonc") || !strcmp(dot, ".json5") ||
		       !strcmp(dot, ".yaml") || !strcmp(dot, ".yml") || !strcmp(dot, ".toml"));
}

static const char *ext_format_of(const char *path)
{
	const char *dot = strrchr(path, '.');

	if (dot && (!strcmp(dot, ".yaml") || !strcmp(dot, ".yml")))
		return "yaml";
	return dot && !strcmp(dot, ".toml") ? "toml" : "json";
}

/* Does a ranked store ordoctor cannot read compete?  A WHERE written as a
 * path must exist (claude-code-router's config.sqlite exists once the app
 * has migrated; a crushrc only when the user wrote one); a WHAT on a JSON,
 * YAML or TOML file must be set there and not empty (Claude Code's
 * apiKeyHelper), and when= must hold.  A WHERE that is no path (a
 * keychain URL, an extension id) always competes. */
static int store_competes(rstate *r, const ord_psrc *s)
{
	char *path;
	struct stat st;
	int ok;

	if (s->path[0] != '/' && s->path[0] != '~' && s->path[0] != '<' && s->path[0] != '$')
		return 1;
	path = expand_path(r, s->path);
	ok = path && !ord_stat(r->ctx, path, &st);
	if (ok && (s->what || s->when_field) && is_config_file(path)) {
		ord_cfg *doc = cfg_get(r, path, ext_format_of(path));
		first_val v;

		ok = doc && when_holds(r, doc, path, s);
		if (ok && s->what) {
			ok = query_first(r, doc, path, s->what, &v) > 0 && v.type != ORD_CFG_NULL &&
			     (v.type == ORD_CFG_OBJECT || v.type == ORD_CFG_ARRAY || v.len);
			first_release(&v);
		}
	}
	free(path);
	return ok;
}

/* unless=PATH: the line is left out while PATH exists. */
static int unless_holds(rstate *r, const ord_psrc *s)
{
	char *path;
	struct stat st;
	int exists;

	if (!s->unless)
		return 0;
	path = expand_path(r, s->unless);
	exists = path && !ord_stat(r->ctx, path, &st);
	free(path);
	return exists;
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
		int yields, own, empty;
		unsigned style = 0;
		size_t before;
		ord_empty_rule rule = ord_psrc_empty(p, s);

		if (unless_holds(r, s))
			continue;
		switch (s->kind) {
		case ORD_PSRC_ENV:
			hit = env_hit(r, s->field, role);
			break;
		case ORD_PSRC_DOTENV:
			path = expand_path(r, s->path);
			if (path)
				hit = dotenv_hit(r, path, s->field, role);
			break;
		case ORD_PSRC_FIXED:
			hit = add_hit(r, ORD_SRC_CONFIG, role, NULL, 0, "(built in)", s->field,
				      strlen(s->field));
			break;
		case ORD_PSRC_STORE:
			/* unreadable: it matters when it ranks above the winner */
			if (*win < 0 && *store < 0 && store_competes(r, s))
				*store = (long)i;
			break;
		default:
			path = expand_path(r, s->path);
			if (path)
				hit = config_hit(r, p, s, path, role, &via, &style);
			break;
		}
		free(path);
		if (hit < 0)
			continue;
		if (s->form && !strcmp(s->form, "provider-list"))
			hit = prefix_part(r, hit, "openrouter=");
		else if (s->form && !strcmp(s->form, "assign-list") && s->assign) {
			char *prefix = malloc(strlen(s->assign) + 2);
			if (prefix) {
				strcpy(prefix, s->assign);
				strcat(prefix, "=");
				hit = prefix_part(r, hit, prefix);
			}
			free(prefix);
		} else if (s->form && !strcmp(s->form, "semicolon-list"))
			hit = list_part(r, hit);
		if (hit < 0)
			continue;
		empty = r->hits->v[hit].key.raw_len == 0;
		/* Crush drops the provider when $VAR resolves to nothing */
		if (empty && style == ORD_SUBST_DOLLAR_ERROR)
			rule = ORD_EMPTY_ERROR;
		yields = !empty || rule == ORD_EMPTY_VALUE || rule == ORD_EMPTY_ERROR;
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
		if (mask >= 0)
			yields = 0;
		before = *nout;
		if (add_cand(out, nout, hit, s, via, yields, own, ord_profile_edit(p, s)))
			return;
		if (*nout == before)
			continue; /* the same place reached twice */
		(*out)[*nout - 1].empty_rule = rule;
		(*out)[*nout - 1].masked_by = mask;
		if (*win < 0 && yields)
			*win = (long)*nout - 1;
	}
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
		if ((long)i == t->win || (!w && !(!c->yields && c->masked_by >= 0)))
			continue;
		ord_buf_reset(&b);
		if (!c->yields && c->masked_by >= 0) {
			ord_buf_adds(&b, "hidden by the empty value in ");
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
	r.git_root = find_git_root(ctx);
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
		eval_sources(&r, p, p->bases, p->nbases, ORD_ROLE_BASE_URL, &tr->bases, &tr->nbases,
			     &tr->bwin, &tr->bstore);
		presence(&r, tr);
		set_base_url(tr, hits);
		if (tr->store >= 0 && strchr("/~<$", p->keys[tr->store].path[0]))
			tr->store_path = expand_path(&r, p->keys[tr->store].path);
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
