/* resolve_read: reading the value of one profile source: expanding its
 * path, finding or adding the hit (environment, .env file, config field),
 * substitutions ({env:X}, ${{ secrets.X }}, $X, os.environ/X) and the
 * list forms of a value.  See resolve.c for the chain. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dotenv.h"
#include "resolve_internal.h"

/* ---- paths -------------------------------------------------------------- */

/* Expand the tokens of docs/profiles.md; NULL when the source does not
 * apply (an unset $VAR, no git root). */
/* "a/b/../c" -> "a/c", in place and lexically, as Python's Path.parent is:
 * Hermes' profile base .env is $HERMES_HOME/../../.env, and the same file
 * must be the same place whichever line reached it. */
static char *drop_dotdot(char *path)
{
	char *dd;

	while (path && (dd = strstr(path, "/../")) && dd > path) {
		char *seg = dd;

		while (seg > path && seg[-1] != '/')
			seg--;
		if (dd - seg == 2 && !strncmp(seg, "..", 2))
			break;
		memmove(seg, dd + 4, strlen(dd + 4) + 1);
	}
	return path;
}

static char *expand_path(rstate *r, const char *p);

char *rs_expand_path(rstate *r, const char *p)
{
	return drop_dotdot(expand_path(r, p));
}

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

long rs_add_hit(rstate *r, ord_source_kind kind, ord_role role, const char *path,
		    unsigned line, const char *name, const char *value, size_t len)
{
	ord_hit *h = ord_hits_add(r->hits, kind, role, path, line, name, value, len);

	return h ? (long)(h - r->hits->v) : -1;
}

long rs_env_hit(rstate *r, const char *name, ord_role role)
{
	long i = find_hit(r->hits, ORD_SRC_ENV, NULL, name);
	const char *v;

	if (i >= 0)
		return i;
	v = ord_env_get(r->ctx, name);
	return v ? rs_add_hit(r, ORD_SRC_ENV, role, NULL, 0, name, v, strlen(v)) : -1;
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
		f->value = NULL;
		f->len = 0;
	}
	/* a bare NAME: python-dotenv's NAME=None drops the earlier value */
	if (a->flags & ORD_ASSIGN_UNSET)
		return 0;
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

long rs_dotenv_hit(rstate *r, const char *path, const char *name, ord_role role)
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
	i = rs_add_hit(r, ORD_SRC_DOTENV, role, path, f.line, name, f.value, f.len);
	ord_wipe(f.value, f.len);
	free(f.value);
	return i;
}

/* ---- config files ------------------------------------------------------------ */

ord_cfg *rs_cfg_get(rstate *r, const char *path, const char *format)
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

int rs_query_first(rstate *r, ord_cfg *doc, const char *path, const char *field,
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

void rs_first_release(first_val *f)
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
		char *path = rs_expand_path(r, files[i]);
		h = path ? rs_dotenv_hit(r, path, name, ORD_ROLE_KEY) : -1;
		free(path);
	}
	if (h >= 0 && r->hits->v[h].key.raw_len)
		return h;
	env = rs_env_hit(r, name, ORD_ROLE_KEY);
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
	if ((p->subst & ORD_SUBST_ENV_NAME) && n && !(v[0] >= '0' && v[0] <= '9')) {
		for (i = 0; i < n; i++)
			if (!(v[i] == '_' || (v[i] >= 'A' && v[i] <= 'Z') || (v[i] >= 'a' && v[i] <= 'z') ||
			      (v[i] >= '0' && v[i] <= '9')))
				break;
		if (i == n) {
			*style = ORD_SUBST_ENV_NAME;
			return strndup(v, n);
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
	ord_buf shown = ORD_BUF_INIT(512);

	if (name) {
		ref = style == ORD_SUBST_SECRETS ? secret_hit(r, name) : rs_env_hit(r, name, role);
		/* pi: only a set, non-empty variable replaces the name */
		if (ref >= 0 && style == ORD_SUBST_ENV_NAME && !r->hits->v[ref].key.raw_len)
			ref = -1;
		if (ref < 0 && (style == ORD_SUBST_DOLLAR_LITERAL || style == ORD_SUBST_DOLLAR_EMPTY ||
				style == ORD_SUBST_DOLLAR_ERROR)) {
			/* LibreChat (dotenv at start-up), Crush (godotenv
			 * autoload) and Compose (interpolation) fill ${VAR} from
			 * the project's .env when the environment lacks it */
			char *env_file = ord_path_join(r->ctx->cwd, ".env");
			if (env_file)
				ref = rs_dotenv_hit(r, env_file, name, role);
			free(env_file);
		}
		if (ref >= 0) {
			val = (const char *)r->hits->v[ref].key.raw;
			len = r->hits->v[ref].key.raw_len;
		} else if (style == ORD_SUBST_SECRETS) {
			/* Continue renders a secret it cannot find as its fully
			 * qualified name, with the empty owner and package of a
			 * local config: "${{ secrets.//NAME }}" is what the
			 * request carries (measured, cn 1.5.47: make conformance) */
			ord_buf_addf(&shown, "${{ secrets.%s%s }}", strchr(name, '/') ? "" : "//", name);
			val = ord_buf_str(&shown);
			len = strlen(val);
		} else if (style != ORD_SUBST_DOLLAR_LITERAL && style != ORD_SUBST_ENV_NAME) {
			/* {env:UNSET} and the like become "" */
			val = "";
			len = 0;
		}
	}
	h = rs_add_hit(r, ORD_SRC_CONFIG, role, path, line, s->field, val, len);
	if (h >= 0 && name) {
		ord_hit *x = &r->hits->v[h];
		ord_buf b = ORD_BUF_INIT(512);

		if (ref >= 0)
			ord_buf_addf(&b, "the value comes from %s", name);
		else if (style == ORD_SUBST_SECRETS)
			ord_buf_addf(&b, "%s is found in no .env Continue reads nor in the environment, so the text %s is sent",
				     name, ord_buf_str(&shown));
		else if (style == ORD_SUBST_DOLLAR_LITERAL)
			ord_buf_addf(&b, "%s is not set, so the text is sent as it is", name);
		else if (style == ORD_SUBST_ENV_NAME)
			ord_buf_addf(&b, "no variable %s is set, so the name itself is sent as the key", name);
		else
			ord_buf_addf(&b, "%s is not set, so this is an empty value", name);
		x->note = ord_buf_detach(&b, NULL);
		if (ref < 0 && style != ORD_SUBST_DOLLAR_LITERAL && style != ORD_SUBST_SECRETS &&
		    style != ORD_SUBST_ENV_NAME)
			x->flags |= ORD_HIT_EMPTY_EXPANSION;
		if (ref >= 0)
			x->flags |= ORD_HIT_TEMPLATE;
	}
	*via = ref;
	*pstyle = style;
	free(name);
	ord_buf_release(&shown);
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

long rs_list_part(rstate *r, long hit)
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
	out = rs_add_hit(r, h->kind, h->role, path, h->line, name, pick, plen);
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
long rs_prefix_part(rstate *r, long hit, const char *prefix)
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
			out = rs_add_hit(r, h->kind, h->role, path, h->line, name, p + pl, j - i - pl);
			free(path);
			free(name);
			return out;
		}
		i = j + 1;
	}
	return -1;
}


/* when=FIELD:VALUE of a source holds in doc (or there is none). */
int rs_when_holds(rstate *r, ord_cfg *doc, const char *path, const ord_psrc *s)
{
	first_val w;
	int ok;

	if (!s->when_field)
		return 1;
	ok = rs_query_first(r, doc, path, s->when_field, &w) > 0 && w.text &&
	     !strcmp(w.text, s->when_value);
	rs_first_release(&w);
	return ok;
}

/* A config-file source: the value (substituted) as a config hit. */
long rs_config_hit(rstate *r, const ord_profile *p, const ord_psrc *s,
		       const char *path, ord_role role, long *via, unsigned *style)
{
	const char *format = s->kind == ORD_PSRC_YAML ? "yaml" :
			     s->kind == ORD_PSRC_TOML ? "toml" :
			     s->kind == ORD_PSRC_ENV_INDIRECT ? s->format : "json";
	ord_cfg *doc = rs_cfg_get(r, path, format);
	first_val v;
	long hit = -1;

	*via = -1;
	*style = 0;
	if (!doc || !rs_when_holds(r, doc, path, s))
		return -1;
	if (rs_query_first(r, doc, path, s->field, &v) <= 0)
		return -1;
	if (s->kind == ORD_PSRC_ENV_INDIRECT) {
		/* the field names the variable that holds the key */
		if (v.text && *v.text)
			hit = rs_env_hit(r, v.text, role);
		rs_first_release(&v);
		return hit;
	}
	if (!v.text) {
		rs_first_release(&v);
		return -1;
	}
	hit = subst_hit(r, p, s, path, v.line, v.text, v.len, role, via, style);
	rs_first_release(&v);
	return hit;
}


int rs_is_config_file(const char *path)
{
	const char *dot = strrchr(path, '.');

	return dot && (!strcmp(dot, ".json") || !strcmp(dot, ".jsonc") || !strcmp(dot, ".json5") ||
		       !strcmp(dot, ".yaml") || !strcmp(dot, ".yml") || !strcmp(dot, ".toml"));
}

const char *rs_ext_format_of(const char *path)
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
