/* discover: walk the places a key can live (data/places, the environment,
 * the .env files of the working directory and its parents) and turn every
 * relevant assignment into an ord_hit with its provenance.
 *
 * Decisions, so that users can predict the output:
 * - A value is linted as the documented loader of that file delivers it:
 *   python-dotenv rules for .env files (quotes stripped, CR dropped), the
 *   shell's for startup files (a CR before the newline stays in the value).
 *   A quoted .env value is noted, not flagged: `docker --env-file` would
 *   keep the quotes.
 * - Startup files are read in login order and simulated just enough to
 *   resolve `NAME="$OTHER"`: OTHER must be assigned on an earlier line or
 *   in an earlier file, else the expansion is empty (a classic cause of a
 *   missing key).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "crontab.h"
#include "data.h"
#include "dotenv.h"
#include "fishvars.h"
#include "netrc.h"
#include "rcfile.h"
#include "sdunit.h"
#include "source.h"

/* Assignments seen so far in the startup chain: name -> value. */
typedef struct shvar {
	char *name;
	char *value;
	size_t len;
	char *where; /* "path:line" */
} shvar;

typedef struct shvars {
	shvar *v;
	size_t n, cap;
} shvars;

static void shvars_release(shvars *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		free(s->v[i].name);
		ord_wipe(s->v[i].value, s->v[i].len);
		free(s->v[i].value);
		free(s->v[i].where);
	}
	free(s->v);
	memset(s, 0, sizeof(*s));
}

static shvar *shvars_find(shvars *s, const char *name, size_t nl)
{
	size_t i;

	for (i = s->n; i-- > 0;)
		if (strlen(s->v[i].name) == nl && !memcmp(s->v[i].name, name, nl))
			return &s->v[i];
	return NULL;
}

static void shvars_set(shvars *s, const char *name, size_t nl,
		       const char *value, size_t vl, const ord_ctx *ctx,
		       const char *path, unsigned line)
{
	shvar *v = shvars_find(s, name, nl);
	ord_buf w = ORD_BUF_INIT(4096);
	/* Copy first: `export X=$X` hands us the stored value of X itself,
	 * which the replacement below frees. */
	char *copy = malloc(vl + 1);

	if (!copy)
		return;
	if (vl)
		memcpy(copy, value, vl);
	copy[vl] = '\0';
	if (!v) {
		if (s->n == s->cap) {
			size_t nc = s->cap ? s->cap * 2 : 16;
			shvar *nv = realloc(s->v, nc * sizeof(*nv));
			if (!nv) {
				ord_wipe(copy, vl);
				free(copy);
				return;
			}
			s->v = nv;
			s->cap = nc;
		}
		v = &s->v[s->n++];
		memset(v, 0, sizeof(*v));
		v->name = strndup(name, nl);
	} else {
		ord_wipe(v->value, v->len);
		free(v->value);
		free(v->where);
	}
	v->value = copy;
	v->len = vl;
	ord_path_where(ctx, path, &w);
	ord_buf_addf(&w, " line %u", line);
	v->where = ord_buf_detach(&w, NULL);
}

typedef struct walk {
	ord_ctx *ctx;
	ord_hits *out;
	const char *path;
	ord_source_kind kind;
	size_t first;   /* first hit of this file, for in-file shadowing */
	shvars *vars;   /* startup chain (rc) or this file's lines (dotenv) */
} walk;

static void parse_error(void *arg, unsigned line, const char *msg)
{
	walk *w = arg;

	ord_warn(w->ctx, "'%s' line %u: %s", w->path, line, msg);
}

static void set_note(ord_hit *h, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void set_note(ord_hit *h, const char *fmt, ...)
{
	ord_buf b = ORD_BUF_INIT(1024);
	va_list ap;

	if (h->note) {
		ord_buf_adds(&b, h->note);
		ord_buf_adds(&b, "; ");
		free(h->note);
	}
	va_start(ap, fmt);
	ord_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	h->note = ord_buf_detach(&b, NULL);
}

/* HTTPS_PROXY, all_proxy, …: the URL of a proxy (ordoctor's own requests
 * read them, lib/http_proxy.c).  A key-looking value there is the proxy's
 * password, not a key any tool sends to OpenRouter. */
static int proxy_variable(const char *name, size_t nl)
{
	return nl > 6 && !strncasecmp(name + nl - 6, "_proxy", 6);
}

/* Classify a variable name: returns 0 to ignore it. */
static int role_of(const char *name, size_t nl, const char *value, size_t vl,
		   ord_role *role, const ord_varspec **spec)
{
	*spec = ord_var_lookup(name, nl);
	if (*spec) {
		*role = (*spec)->role;
		return 1;
	}
	if (ord_var_is_near_miss(name, nl)) {
		*role = ORD_ROLE_NEAR_MISS;
		return 1;
	}
	if (!proxy_variable(name, nl) && ord_value_looks_like_openrouter_key(value, vl)) {
		*role = ORD_ROLE_STRAY;
		return 1;
	}
	return 0;
}

/* Aider's AIDER_API_KEY is "openrouter=KEY,anthropic=KEY": keep only the
 * OpenRouter part.  Returns 0 when there is none. */
static int provider_list_part(const char *v, size_t n, const char **out,
			      size_t *outlen)
{
	size_t i = 0;

	while (i < n) {
		size_t j = i;
		while (j < n && v[j] != ',')
			j++;
		if (j - i > 11 && !memcmp(v + i, "openrouter=", 11)) {
			*out = v + i + 11;
			*outlen = j - i - 11;
			return 1;
		}
		i = j + 1;
	}
	return 0;
}

static ord_hit *add_hit(walk *w, ord_role role, const char *name, size_t nl,
			unsigned line, const char *value, size_t vl)
{
	char *nm = strndup(name, nl);
	ord_hit *h;

	if (!nm)
		return NULL;
	h = ord_hits_add(w->out, w->kind, role, w->path, line, nm, value, vl);
	free(nm);
	return h;
}

/* The default of a whole-value "${NAME:-word}" or "${NAME-word}" (shells
 * also "${NAME:=word}", "${NAME=word}": the same value), taken literally;
 * *colon says whether an empty NAME takes it too.  python-dotenv knows only
 * ":-", and takes the default only when NAME is unset.  0 when the value
 * has no default. */
static int ref_default(const char *v, size_t n, size_t ref_len, int shell,
		       const char **d, size_t *dl, int *colon)
{
	size_t i = 2 + ref_len;

	if (n < i + 2 || v[0] != '$' || v[1] != '{' || v[n - 1] != '}')
		return 0;
	*colon = v[i] == ':';
	if (*colon)
		i++;
	if (v[i] != '-' && !(shell && v[i] == '='))
		return 0;
	if (!shell && !*colon)
		return 0;
	if (!shell)
		*colon = 0;
	*d = v + i + 1;
	*dl = n - 1 - (i + 1);
	return 1;
}

static int on_assign(void *arg, const ord_assign *a)
{
	walk *w = arg;
	const ord_varspec *spec = NULL;
	ord_role role;
	const char *value = a->value, *full;
	size_t vl = a->value_len, i, full_len;
	shvar *ref = NULL;
	ord_hit *h;
	int empty_expansion = 0, colon = 0, used_default = 0;
	const char *dflt = NULL;
	size_t dflt_len = 0;
	int expands = a->ref && (a->flags & ORD_ASSIGN_EXPANSION);

	/* A bare NAME after NAME=value: python-dotenv's NAME=None, so
	 * load_dotenv sets nothing and the earlier lines are not loaded. */
	if (a->flags & ORD_ASSIGN_UNSET) {
		for (i = w->first; i < w->out->n; i++) {
			ord_hit *o = &w->out->v[i];
			if (strlen(o->name) == a->name_len &&
			    !memcmp(o->name, a->name, a->name_len) &&
			    !(o->flags & ORD_HIT_SHADOWED_IN_FILE)) {
				o->flags |= ORD_HIT_SHADOWED_IN_FILE;
				set_note(o, "line %u, a bare '%.*s', makes python-dotenv drop this value (NAME=None), so it is not loaded",
					 a->line, (int)a->name_len, a->name);
			}
		}
		return 0;
	}
	/* python-dotenv expands only ${X}; a bare $X stays literal there */
	if (w->kind == ORD_SRC_DOTENV && a->ref && a->value_len > 1 && a->value[1] != '{')
		expands = 0;
	if (expands && w->vars) {
		ref = shvars_find(w->vars, a->ref, a->ref_len);
		if (ref) {
			value = ref->value;
			vl = ref->len;
		} else if (w->kind == ORD_SRC_DOTENV) {
			/* python-dotenv interpolates from the environment
			 * first. */
			char *rn = strndup(a->ref, a->ref_len);
			const char *ev = rn ? ord_env_get(w->ctx, rn) : NULL;
			free(rn);
			value = ev ? ev : "";
			vl = strlen(value);
			empty_expansion = !ev;
		} else {
			value = "";
			vl = 0;
			empty_expansion = 1;
		}
		/* ${OPENROUTER_API_KEY:-sk-or-…}: the usual "unless already
		 * set" idiom gives the default here */
		if (ref_default(a->value, a->value_len, a->ref_len,
				w->kind != ORD_SRC_DOTENV, &dflt, &dflt_len, &colon) &&
		    (empty_expansion || (colon && !vl))) {
			value = dflt;
			vl = dflt_len;
			empty_expansion = 0;
			used_default = 1;
		}
	}
	/* The variable is recorded last: `export X=$X` expands X from the
	 * record that recording replaces, and a new record may move the
	 * array `ref` points into. */
	full = value;
	full_len = vl;
	if (!value || !role_of(a->name, a->name_len, value, vl, &role, &spec))
		goto out;
	if (spec && spec->form && !strcmp(spec->form, "provider-list") &&
	    !provider_list_part(value, vl, &value, &vl))
		goto out;

	/* Earlier assignments of the same name in this file lose. */
	for (i = w->first; i < w->out->n; i++) {
		ord_hit *o = &w->out->v[i];
		if (strlen(o->name) == a->name_len &&
		    !memcmp(o->name, a->name, a->name_len))
			o->flags |= ORD_HIT_SHADOWED_IN_FILE;
	}
	h = add_hit(w, role, a->name, a->name_len, a->line, value, vl);
	if (!h)
		goto out;
	if (a->flags & ORD_ASSIGN_EXPORT)
		h->flags |= ORD_HIT_EXPORTED;
	if (a->flags & ORD_ASSIGN_CONDITIONAL)
		h->flags |= ORD_HIT_CONDITIONAL;
	if (a->flags & ORD_ASSIGN_COMMAND_SUBST) {
		h->flags |= ORD_HIT_COMMAND;
		set_note(h, "the value comes from a command; run it to see the key");
	}
	if (w->kind == ORD_SRC_DOTENV &&
	    (a->flags & (ORD_ASSIGN_QUOTED_SINGLE | ORD_ASSIGN_QUOTED_DOUBLE))) {
		h->flags |= ORD_HIT_QUOTED;
		set_note(h, "quoted: python-dotenv and Node dotenv strip the quotes, `docker --env-file` keeps them");
	}
	/* the value keeps them: python-dotenv's reading */
	if (w->kind == ORD_SRC_DOTENV && (a->flags & ORD_ASSIGN_QUOTED_BACKTICK))
		set_note(h, "in backticks: python-dotenv (Aider, LiteLLM) keeps them in the value, Node dotenv strips them");
	if (w->kind == ORD_SRC_DOTENV && (a->flags & ORD_ASSIGN_CRLF))
		set_note(h, "Windows line ending: dotenv loaders drop the CR, `source` and `docker --env-file` keep it");
	if (used_default)
		set_note(h, "'$%.*s' is %s at this point, so this is the default after '-'",
			 (int)a->ref_len, a->ref, ref ? "empty" : "not set");
	else if (expands) {
		if (empty_expansion) {
			h->flags |= ORD_HIT_EMPTY_EXPANSION;
			set_note(h, "'$%.*s' is not set at this point, so this expands to an empty value",
				 (int)a->ref_len, a->ref);
		} else if (ref)
			set_note(h, "expands '$%.*s' from %s", (int)a->ref_len,
				 a->ref, ref->where);
	}
out:
	if (w->vars && full)
		shvars_set(w->vars, a->name, a->name_len, full, full_len, w->ctx, w->path,
			   a->line);
	return 0;
}

static int valid_utf8(const char *s, size_t n)
{
	size_t i = 0, k, more;

	while (i < n) {
		unsigned char c = (unsigned char)s[i++];

		if (c < 0x80)
			continue;
		more = (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2 :
		       (c & 0xF8) == 0xF0 ? 3 : 0;
		if (!more || i + more > n)
			return 0;
		for (k = 0; k < more; k++)
			if (((unsigned char)s[i++] & 0xC0) != 0x80)
				return 0;
	}
	return 1;
}

/* Read a file of any kind; returns 0 when there is something to parse.
 * Missing files are silent: most places do not exist on most machines. */
static int load(ord_ctx *ctx, const char *path, ord_buf *b)
{
	int truncated = 0, rc;
	size_t probe;

	rc = ord_read_file(ctx, path, ORD_FILE_CAP, b, &truncated);
	if (rc == ENOENT || rc == ENOTDIR)
		return -1;
	if (rc == EISDIR) {
		ord_warn(ctx, "'%s' is a directory, not a file; skipped", path);
		return -1;
	}
	if (rc == EINVAL) {
		ord_warn(ctx, "'%s' is not a regular file; skipped", path);
		return -1;
	}
	if (rc) {
		ord_warn(ctx, "cannot read '%s': %s", path, strerror(rc));
		return -1;
	}
	probe = b->len < 8192 ? b->len : 8192;
	if (memchr(ord_buf_str(b), '\0', probe)) {
		ord_warn(ctx, "'%s' looks like a binary file; skipped", path);
		return -1;
	}
	if (truncated)
		ord_warn(ctx, "'%s' is larger than %d KiB; only the start was read",
			 path, ORD_FILE_CAP / 1024);
	/* Invalid UTF-8 is reported once; the bytes are still parsed since
	 * a key is ASCII and may sit next to Latin-1 comments. */
	if (!valid_utf8(b->data, b->len))
		ord_warn(ctx, "'%s' is not valid UTF-8; read as bytes", path);
	return 0;
}

static void parse_file(ord_ctx *ctx, ord_hits *out, const char *path,
		       const char *kind, shvars *chain);

/* EnvironmentFile= of a unit: systemd reads it with the environment.d
 * reader; "%h" is the home (the one specifier a user unit needs here). */
static void on_unit_file(void *arg, unsigned line, const char *p, size_t n, int optional)
{
	walk *w = arg;
	char *path = NULL;

	(void)line;
	(void)optional;
	if (n > 3 && !memcmp(p, "%h/", 3)) {
		char *rel = strndup(p + 3, n - 3);
		path = rel ? ord_path_join(w->ctx->home, rel) : NULL;
		free(rel);
	} else if (n && p[0] == '/')
		path = strndup(p, n);
	if (path)
		parse_file(w->ctx, w->out, path, "environment", NULL);
	free(path);
}

/* An empty Environment= drops what the unit's Environment= lines set
 * before it, in the unit file and in earlier drop-ins (NAME.service.d/);
 * EnvironmentFile= is a list of its own and stays. */
static void on_unit_reset(void *arg, unsigned line)
{
	walk *w = arg;
	const char *d = strstr(w->path, ".service.d/");
	size_t i, bl = d ? (size_t)(d - w->path) + 8 : strlen(w->path);

	for (i = 0; i < w->out->n; i++)
		if (w->out->v[i].path && !strncmp(w->out->v[i].path, w->path, bl) &&
		    (!w->out->v[i].path[bl] || !strncmp(w->out->v[i].path + bl, ".d/", 3)) &&
		    !(w->out->v[i].flags & ORD_HIT_DROPPED)) {
			w->out->v[i].flags |= ORD_HIT_SHADOWED_IN_FILE | ORD_HIT_DROPPED;
			set_note(&w->out->v[i], "the empty Environment= on line %u drops it", line);
		}
}

static void parse_file(ord_ctx *ctx, ord_hits *out, const char *path,
		       const char *kind, shvars *chain)
{
	ord_buf b = ORD_BUF_INIT(ORD_FILE_CAP);
	shvars local = {0};
	walk w = {ctx, out, path, ORD_SRC_RC, out->n, chain};

	if (load(ctx, path, &b)) {
		ord_buf_release(&b);
		return;
	}
	if (!strcmp(kind, "dotenv")) {
		w.kind = ORD_SRC_DOTENV;
		w.vars = &local;
		ord_dotenv_parse(ord_buf_str(&b), b.len, on_assign, parse_error, &w);
		/* python-dotenv 1.2.4 drops a byte order mark; older releases
		 * (Debian's 0.21, 1.2.2) and Node 20's --env-file keep it in
		 * the first name, which then is not the variable */
		if (b.len >= 3 && !memcmp(b.data, "\xef\xbb\xbf", 3)) {
			size_t i;

			for (i = w.first; i < out->n; i++)
				if (out->v[i].line == 1)
					set_note(&out->v[i], "the file starts with a byte order mark: python-dotenv before 1.2.4 and `node --env-file` read it as part of this name, so they do not set it");
		}
	} else if (!strcmp(kind, "sh")) {
		unsigned start = 0, guard = ord_rc_interactive_guard(ord_buf_str(&b), b.len, &start);
		size_t i;

		ord_rc_parse(ord_buf_str(&b), b.len, ORD_RC_SH, on_assign, parse_error, &w);
		for (i = w.first; guard && i < out->n; i++)
			if (out->v[i].line > guard && out->v[i].path && !strcmp(out->v[i].path, path)) {
				out->v[i].flags |= ORD_HIT_INTERACTIVE_ONLY;
				out->v[i].guard_line = start;
				set_note(&out->v[i], "below the interactive-only guard at line %u: shells started by cron, systemd, an IDE task or `bash -c` stop there and never set it",
					 start);
			}
	}
	else if (!strcmp(kind, "fish"))
		ord_rc_parse(ord_buf_str(&b), b.len, ORD_RC_FISH, on_assign, parse_error, &w);
	else if (!strcmp(kind, "csh"))
		ord_rc_parse(ord_buf_str(&b), b.len, ORD_RC_CSH, on_assign, parse_error, &w);
	else if (!strcmp(kind, "environment"))
		ord_rc_parse(ord_buf_str(&b), b.len, ORD_RC_ENVIRONMENT, on_assign, parse_error, &w);
	else if (!strcmp(kind, "fishvars"))
		ord_fishvars_parse(ord_buf_str(&b), b.len, on_assign, parse_error, &w);
	else if (!strcmp(kind, "crontab"))
		ord_crontab_parse(ord_buf_str(&b), b.len, on_assign, NULL, &w);
	else if (!strcmp(kind, "sdunit")) {
		ord_sdunit_cb cb = {on_assign, on_unit_file, on_unit_reset, parse_error};
		ord_sdunit_parse(ord_buf_str(&b), b.len, &cb, &w);
	}
	shvars_release(&local);
	ord_buf_release(&b);
}

void ord_discover_dotenv_file(ord_ctx *ctx, const char *path, ord_hits *out)
{
	parse_file(ctx, out, path, "dotenv", NULL);
}

void ord_discover_file(ord_ctx *ctx, const char *path, const char *kind, ord_hits *out)
{
	parse_file(ctx, out, path, kind, NULL);
}

/* netrc: only entries that python-requests would use for openrouter.ai. */
typedef struct netrc_walk {
	ord_ctx *ctx;
	ord_hits *out;
	const char *path;
} netrc_walk;

static int on_netrc(void *arg, const ord_netrc_entry *e)
{
	netrc_walk *w = arg;
	const char *pw = e->password ? e->password : "";
	ord_hit *h;
	size_t ml;

	if (e->machine) {
		ml = strlen(e->machine);
		if (strcmp(e->machine, "openrouter.ai") &&
		    !(ml > 14 && !strcmp(e->machine + ml - 14, ".openrouter.ai")))
			return 0;
	}
	h = ord_hits_add(w->out, ORD_SRC_NETRC, ORD_ROLE_NETRC, w->path,
			 e->line, e->machine ? e->machine : "default", pw,
			 strlen(pw));
	if (h) {
		h->field = strdup("password");
		set_note(h, "%s entry: python-requests sends Basic auth from it instead of the Bearer key",
			 e->machine ? "machine" : "default");
	}
	return 0;
}

static void netrc_error(void *arg, unsigned line, const char *msg)
{
	netrc_walk *w = arg;

	ord_warn(w->ctx, "'%s' line %u: %s", w->path, line, msg);
}

static void parse_netrc(ord_ctx *ctx, ord_hits *out, const char *path)
{
	ord_buf b = ORD_BUF_INIT(ORD_FILE_CAP);
	netrc_walk w = {ctx, out, path};

	if (!load(ctx, path, &b))
		ord_netrc_parse(ord_buf_str(&b), b.len, on_netrc, netrc_error, &w);
	ord_buf_release(&b);
}

/* Expand "~/" and "/etc/" against the inspected home and etc. */
static char *place_path(ord_ctx *ctx, const char *p)
{
	if (!strncmp(p, "~/", 2))
		return ord_path_join(ctx->home, p + 2);
	if (!strncmp(p, "/etc/", 5))
		return ord_path_join(ctx->etc, p + 5);
	return strdup(p);
}

/* Call parse for one place, expanding "dir/ *.ext". */
static void visit_place(ord_ctx *ctx, ord_hits *out, const char *kind,
			const char *path, shvars *chain)
{
	const char *star = strstr(path, "/*");
	size_t i;

	if (!star) {
		if (!strcmp(kind, "netrc"))
			parse_netrc(ctx, out, path);
		else
			parse_file(ctx, out, path, kind, chain);
		return;
	} else {
		char *dir = strndup(path, (size_t)(star - path));
		char **ns = NULL;
		size_t n = 0;

		if (dir && !ord_list_dir_sorted(ctx, dir, star + 2, 4096, &ns, &n)) {
			for (i = 0; i < n; i++) {
				char *p = ord_path_join(dir, ns[i]);
				if (p)
					parse_file(ctx, out, p, kind, chain);
				free(p);
			}
		}
		ord_names_free(ns, n);
		free(dir);
	}
}

/* Split one line of data/places into kind and path; 0 when it is not an
 * entry.  Copies the line first: sscanf would read on past the newline. */
static int place_entry(const char *p, const char *end, char kind[32],
		       char rel[512])
{
	char line[600];
	size_t n = (size_t)(end - p);

	if (n >= sizeof(line))
		return 0;
	memcpy(line, p, n);
	line[n] = '\0';
	return sscanf(line, "%31s %511s", kind, rel) == 2 && kind[0] != '#';
}

/* Visit data/places, filtered by kind ("dotenv", "netrc", or NULL for the
 * startup files). */
static void visit_places(ord_ctx *ctx, ord_hits *out, const char *want)
{
	size_t len = 0;
	const char *d = ord_data_get("places", &len), *p, *end;
	shvars sh = {0}, fish = {0}, csh = {0};

	for (p = d; d && p < d + len; p = end + 1) {
		char kind[32], rel[512], *path;
		int is_rc;

		end = memchr(p, '\n', (size_t)(d + len - p));
		if (!end)
			end = d + len;
		if (!place_entry(p, end, kind, rel))
			continue;
		is_rc = strcmp(kind, "dotenv") && strcmp(kind, "netrc");
		if (want ? strcmp(kind, want) : !is_rc)
			continue;
		path = place_path(ctx, rel);
		if (!path)
			continue;
		/* environment files feed every shell; the others their own
		 * chain. */
		visit_place(ctx, out, kind, path,
			    !strcmp(kind, "fish") || !strcmp(kind, "fishvars") ? &fish :
			    !strcmp(kind, "csh") ? &csh : &sh);
		free(path);
	}
	shvars_release(&sh);
	shvars_release(&fish);
	shvars_release(&csh);
}

void ord_discover_rc(ord_ctx *ctx, ord_hits *out)
{
	visit_places(ctx, out, NULL);
}

void ord_discover_netrc(ord_ctx *ctx, ord_hits *out)
{
	const char *env = ord_env_get(ctx, "NETRC");

	/* python-requests and curl honour $NETRC before ~/.netrc. */
	if (env && *env)
		parse_netrc(ctx, out, env);
	else
		visit_places(ctx, out, "netrc");
}

static int already_seen(const ord_hits *out, size_t from, const char *path)
{
	size_t i;

	for (i = from; i < out->n; i++)
		if (out->v[i].path && !strcmp(out->v[i].path, path))
			return 1;
	return 0;
}

void ord_discover_dotenv(ord_ctx *ctx, ord_hits *out)
{
	char *dir = strdup(ctx->cwd);
	size_t hl = strlen(ctx->home), start = out->n;
	int under_home = !strncmp(ctx->cwd, ctx->home, hl) &&
			 (ctx->cwd[hl] == '/' || ctx->cwd[hl] == '\0');

	/* The working directory and its parents, nearest first, up to HOME
	 * (or / when outside HOME): python-dotenv's find_dotenv() walks up
	 * the same way and loads the nearest one. */
	while (dir) {
		char *p = ord_path_join(dir, ".env");

		if (p)
			parse_file(ctx, out, p, "dotenv", NULL);
		free(p);
		if ((under_home && !strcmp(dir, ctx->home)) || !ord_path_up(dir))
			break;
	}
	free(dir);
	/* The tools' own .env files, unless the walk above read them. */
	{
		size_t len = 0;
		const char *d = ord_data_get("places", &len), *p, *end;

		for (p = d; d && p < d + len; p = end + 1) {
			char kind[32], rel[512], *path;

			end = memchr(p, '\n', (size_t)(d + len - p));
			if (!end)
				end = d + len;
			if (!place_entry(p, end, kind, rel) || strcmp(kind, "dotenv"))
				continue;
			path = place_path(ctx, rel);
			if (path && !already_seen(out, start, path))
				parse_file(ctx, out, path, "dotenv", NULL);
			free(path);
		}
	}
}

void ord_discover_env(ord_ctx *ctx, ord_hits *out)
{
	size_t i;

	for (i = 0; i < ctx->env_len; i++) {
		const char *e = ctx->env[i], *eq = strchr(e, '=');
		walk w = {ctx, out, NULL, ORD_SRC_ENV, out->n, NULL};
		ord_assign a;

		if (!eq || eq == e)
			continue;
		memset(&a, 0, sizeof(a));
		a.name = e;
		a.name_len = (size_t)(eq - e);
		a.value = eq + 1;
		a.value_len = strlen(eq + 1);
		a.raw = a.value;
		a.raw_len = a.value_len;
		on_assign(&w, &a);
	}
}

void ord_link_env_origins(const ord_ctx *ctx, ord_hits *h)
{
	size_t i, j;

	for (i = 0; i < h->n; i++) {
		ord_hit *e = &h->v[i];
		long same = -1, other = -1, dot = -1;

		if (e->kind != ORD_SRC_ENV)
			continue;
		for (j = 0; j < h->n; j++) {
			ord_hit *r = &h->v[j];
			if (r->kind != ORD_SRC_RC && r->kind != ORD_SRC_DOTENV)
				continue;
			if (strcmp(r->name, e->name))
				continue;
			if (ord_key_equal(&r->key, &e->key)) {
				if (r->kind == ORD_SRC_RC)
					same = (long)j;
				else if (dot < 0)
					dot = (long)j;
			} else if (r->kind == ORD_SRC_RC &&
				   !(r->flags & ORD_HIT_SHADOWED_IN_FILE))
				other = (long)j;
		}
		if (same >= 0)
			e->origin = same;
		else if (dot >= 0) {
			char *at = ord_hit_where_str(ctx, &h->v[dot]);
			e->origin = dot;
			set_note(e, "same value as %s (loaded by direnv, `source` or a wrapper?)",
				 at ? at : "a .env file");
			free(at);
		} else if (other >= 0) {
			char *at = ord_hit_where_str(ctx, &h->v[other]);
			set_note(e, "set outside any startup file; %s sets a different value",
				 at ? at : "a startup file");
			free(at);
		} else
			set_note(e, "set outside any startup file (parent process, IDE, secret-manager wrapper)");
	}
}

void ord_discover_all(ord_ctx *ctx, ord_hits *out)
{
	struct stat st;

	if (ord_stat(ctx, ctx->home, &st))
		ord_warn(ctx, "home directory '%s' does not exist", ctx->home);
	else if (!S_ISDIR(st.st_mode))
		ord_warn(ctx, "home '%s' is not a directory", ctx->home);
	ord_discover_env(ctx, out);
	ord_discover_rc(ctx, out);
	ord_discover_dotenv(ctx, out);
	ord_discover_netrc(ctx, out);
	ord_link_env_origins(ctx, out);
}
