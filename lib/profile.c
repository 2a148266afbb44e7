/* profile: the parser of tool profiles (docs/profiles.md).
 *
 * Profiles are data users may write, so every malformed line is one
 * warning naming file and line, and the rest of the file (and every other
 * profile) still loads.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data.h"
#include "profile.h"
#include "codescan.h"

#define MAX_WORDS 16
#define MAX_LINE 4096

const char *ord_base_form_id(ord_base_form f)
{
	static const char *const ids[] = {"openai", "anthropic", "full", "fixed"};
	return (unsigned)f < 4 ? ids[f] : "?";
}

/* Split a value into words; "double quoted" words keep spaces (\" and \\
 * escapes).  Returns the count, or -1 for an unterminated quote. */
static int split_words(char *s, char *w[MAX_WORDS])
{
	int n = 0;

	while (*s) {
		char *o;

		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			break;
		if (n == MAX_WORDS)
			return -1;
		if (*s == '"') {
			o = w[n++] = ++s;
			while (*s && *s != '"') {
				if (*s == '\\' && (s[1] == '"' || s[1] == '\\'))
					s++;
				*o++ = *s++;
			}
			if (*s != '"')
				return -1;
			s++;
			*o = '\0';
			if (*s && *s != ' ' && *s != '\t')
				return -1;
		} else {
			w[n++] = s;
			while (*s && *s != ' ' && *s != '\t')
				s++;
			if (*s)
				*s++ = '\0';
		}
	}
	return n;
}

static int push_str(char ***v, size_t *n, const char *s)
{
	char **nv = realloc(*v, (*n + 1) * sizeof(**v));

	if (!nv)
		return ENOMEM;
	*v = nv;
	(*v)[*n] = strdup(s);
	if (!(*v)[*n])
		return ENOMEM;
	(*n)++;
	return 0;
}

typedef struct parse {
	ord_ctx *ctx;
	const char *file;
	unsigned line;
	int errors;
} parse;

static void perr(parse *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void perr(parse *p, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ord_warn(p->ctx, "'%s' line %u: %s", p->file, p->line, msg);
	p->errors++;
}

static const char *ext_format(const char *path)
{
	const char *dot = strrchr(path, '.');

	if (dot && (!strcmp(dot, ".yaml") || !strcmp(dot, ".yml")))
		return "yaml";
	if (dot && !strcmp(dot, ".toml"))
		return "toml";
	return "json";
}

/* A config file is the tool's own; so is a .env other than the shared
 * ones (the project's, the repository's, the home's): ~/.hermes/.env is
 * read by Hermes alone.  The environment and built-in values are nobody's
 * store. */
static int default_own(const ord_psrc *s)
{
	static const char *const shared[] = {"<cwd>/.env", "<git-root>/.env", "~/.env"};
	size_t i;

	switch (s->kind) {
	case ORD_PSRC_ENV:
	case ORD_PSRC_FIXED:
		return 0;
	case ORD_PSRC_DOTENV:
		/* the project's .env, .env.local, .env.production… */
		for (i = 0; i < sizeof(shared) / sizeof(*shared); i++)
			if (!strncmp(s->path, shared[i], strlen(shared[i])) &&
			    !strchr(s->path + strlen(shared[i]), '/'))
				return 0;
		return 1;
	default:
		return 1;
	}
}

static const char *const empty_ids[] = {"unset", "value", "mask", "error", "none"};

const char *ord_empty_rule_id(ord_empty_rule e)
{
	return (unsigned)e < sizeof(empty_ids) / sizeof(*empty_ids) ? empty_ids[e] : "?";
}

static int empty_rule_of(const char *w)
{
	int i;

	for (i = 0; i < (int)(sizeof(empty_ids) / sizeof(*empty_ids)); i++)
		if (!strcmp(w, empty_ids[i]))
			return i;
	return -1;
}

ord_empty_rule ord_psrc_empty(const ord_profile *p, const ord_psrc *s)
{
	return s->empty >= 0 ? (ord_empty_rule)s->empty : p->empty;
}

const ord_edit *ord_profile_edit(const ord_profile *p, const ord_psrc *s)
{
	size_t i;

	for (i = 0; s->path && i < p->nedits; i++)
		if (!strcmp(p->edits[i].path, s->path))
			return &p->edits[i];
	return NULL;
}

/* "empty=mask", "when=a:b", "own": a source option rather than an argument. */
static int is_option_word(const char *w)
{
	size_t n = strspn(w, "abcdefghijklmnopqrstuvwxyz-");

	return (n && w[n] == '=') || !strcmp(w, "own") || !strcmp(w, "shared") ||
	       !strcmp(w, "override");
}

static void psrc_release(ord_psrc *s)
{
	size_t i;

	free(s->format);
	free(s->path);
	/* a fixed key line holds a key written in the project's code */
	if (s->kind == ORD_PSRC_FIXED && s->field)
		ord_wipe(s->field, strlen(s->field));
	free(s->field);
	free(s->form);
	free(s->assign);
	free(s->what);
	for (i = 0; i < s->nunless; i++)
		free(s->unless[i]);
	free(s->unless);
	for (i = 0; i < s->nifs; i++)
		free(s->ifs[i]);
	free(s->ifs);
	free(s->header);
	free(s->at_path);
	free(s->when_field);
	free(s->when_value);
	free(s->when_env);
	free(s->placeholders);
}

/* key:/base: SOURCE */
static int parse_source(parse *p, char **w, int n, ord_psrc **v, size_t *nv)
{
	ord_psrc s;
	ord_psrc *grown;
	int i, need;

	memset(&s, 0, sizeof(s));
	s.line = p->line;
	s.empty = -1;
	if (n < 2) {
		perr(p, "a source needs a kind and an argument");
		return -1;
	}
	if (!strcmp(w[0], "env"))
		s.kind = ORD_PSRC_ENV, need = 2;
	else if (!strcmp(w[0], "dotenv"))
		s.kind = ORD_PSRC_DOTENV, need = 3;
	else if (!strcmp(w[0], "json"))
		s.kind = ORD_PSRC_JSON, need = 3;
	else if (!strcmp(w[0], "yaml"))
		s.kind = ORD_PSRC_YAML, need = 3;
	else if (!strcmp(w[0], "toml"))
		s.kind = ORD_PSRC_TOML, need = 3;
	else if (!strcmp(w[0], "env-indirect"))
		s.kind = ORD_PSRC_ENV_INDIRECT, need = 3;
	else if (!strcmp(w[0], "fixed"))
		s.kind = ORD_PSRC_FIXED, need = 2;
	else if (!strcmp(w[0], "store"))
		s.kind = ORD_PSRC_STORE, need = 3;
	else if (!strcmp(w[0], "compose"))
		s.kind = ORD_PSRC_COMPOSE, need = 3;
	else {
		perr(p, "unknown source kind '%s'", w[0]);
		return -1;
	}
	if (n < need) {
		perr(p, "'%s' needs %d argument%s", w[0], need - 1, need == 2 ? "" : "s");
		return -1;
	}
	if (s.kind == ORD_PSRC_STORE) {
		/* store KIND WHERE [WHAT]: field is the description shown.  WHAT
		 * may itself hold '=' (a field filter [name=OpenRouter]), so only
		 * a word shaped like an option (letters and '-' before '=') is
		 * taken for one. */
		char desc[MAX_LINE];
		int what = n > 3 && !is_option_word(w[3]);

		snprintf(desc, sizeof(desc), "%s %s%s%s", w[1], w[2], what ? " " : "", what ? w[3] : "");
		s.path = strdup(w[2]);
		s.field = strdup(desc);
		if (what) {
			s.what = strdup(w[3]);
			need = 4;
		}
	} else if (need == 2)
		s.field = strdup(w[1]);
	else {
		s.path = strdup(w[1]);
		s.field = strdup(w[2]);
	}
	if (s.kind == ORD_PSRC_ENV_INDIRECT)
		s.format = strdup(ext_format(w[1]));
	s.own = default_own(&s);
	for (i = need; i < n; i++) {
		if (!strcmp(w[i], "override") && s.kind == ORD_PSRC_DOTENV)
			s.override = 1;
		else if (!strcmp(w[i], "own") || !strcmp(w[i], "shared"))
			s.own = w[i][0] == 'o';
		else if (!strncmp(w[i], "empty=", 6) && empty_rule_of(w[i] + 6) >= 0)
			s.empty = empty_rule_of(w[i] + 6);
		else if (!strncmp(w[i], "form=", 5)) {
			free(s.form);
			s.form = strdup(w[i] + 5);
		} else if (!strncmp(w[i], "name=", 5) && w[i][5]) {
			free(s.assign);
			s.assign = strdup(w[i] + 5);
		} else if (!strncmp(w[i], "unless=", 7) && w[i][7]) {
			char **grown_unless = realloc(s.unless, (s.nunless + 1) * sizeof(*s.unless));
			if (grown_unless) {
				s.unless = grown_unless;
				s.unless[s.nunless++] = strdup(w[i] + 7);
			}
		} else if (!strncmp(w[i], "at=", 3) && strrchr(w[i], ':') > w[i] + 3 &&
			   s.kind == ORD_PSRC_FIXED) {
			char *colon = strrchr(w[i], ':');
			free(s.at_path);
			s.at_path = strndup(w[i] + 3, (size_t)(colon - w[i] - 3));
			s.at_line = (unsigned)strtoul(colon + 1, NULL, 10);
		} else if (!strncmp(w[i], "header=", 7) && w[i][7]) {
			free(s.header);
			s.header = strdup(w[i] + 7);
		} else if (!strncmp(w[i], "if=", 3) && w[i][3]) {
			char **grown_ifs = realloc(s.ifs, (s.nifs + 1) * sizeof(*s.ifs));
			if (grown_ifs) {
				s.ifs = grown_ifs;
				s.ifs[s.nifs++] = strdup(w[i] + 3);
			}
		} else if (!strncmp(w[i], "min-len=", 8) && w[i][8] >= '1' && w[i][8] <= '9' &&
			   strspn(w[i] + 8, "0123456789") == strlen(w[i] + 8) && strlen(w[i] + 8) < 4) {
			s.min_len = atoi(w[i] + 8);
		} else if (!strncmp(w[i], "placeholder=", 12) && w[i][12]) {
			free(s.placeholders);
			s.placeholders = strdup(w[i] + 12);
		} else if (!strncmp(w[i], "when-env=", 9) && strchr(w[i] + 9, ':') != w[i] + 9 &&
			   strchr(w[i] + 9, ':')) {
			free(s.when_env);
			s.when_env = strdup(w[i] + 9);
		} else if (!strncmp(w[i], "when=", 5) && strchr(w[i] + 5, ':')) {
			char *colon = strchr(w[i] + 5, ':');
			free(s.when_field);
			free(s.when_value);
			s.when_field = strndup(w[i] + 5, (size_t)(colon - w[i] - 5));
			s.when_value = strdup(colon + 1);
		} else
			perr(p, "unknown source option '%s' (ignored)", w[i]);
	}
	if (s.form && !strcmp(s.form, "assign-list") && !s.assign)
		perr(p, "form=assign-list needs name=NAME (the entry to read)");
	grown = s.field ? realloc(*v, (*nv + 1) * sizeof(**v)) : NULL;
	if (!grown) {
		psrc_release(&s);
		return -1;
	}
	*v = grown;
	(*v)[(*nv)++] = s;
	return 0;
}

static unsigned subst_bits(parse *p, char **w, int n)
{
	static const struct {
		const char *id;
		unsigned bit;
	} names[] = {
		{"dollar-literal", ORD_SUBST_DOLLAR_LITERAL},
		{"dollar-empty", ORD_SUBST_DOLLAR_EMPTY},
		{"env-brace", ORD_SUBST_ENV_BRACE},
		{"secrets", ORD_SUBST_SECRETS},
		{"os-environ", ORD_SUBST_OS_ENVIRON},
		{"dollar-error", ORD_SUBST_DOLLAR_ERROR},
		{"env-name", ORD_SUBST_ENV_NAME},
		{"none", 0},
	};
	unsigned bits = 0;
	int i;
	size_t j;

	for (i = 0; i < n; i++) {
		for (j = 0; j < sizeof(names) / sizeof(*names); j++)
			if (!strcmp(w[i], names[j].id))
				break;
		if (j == sizeof(names) / sizeof(*names))
			perr(p, "unknown substitution '%s'", w[i]);
		else
			bits |= names[j].bit;
	}
	return bits;
}

/* One "directive: value" line. */
static void parse_line(parse *p, ord_profile *o, const char *dir, char *val)
{
	char *w[MAX_WORDS];
	int n;

	if (!strcmp(dir, "id") || !strcmp(dir, "name") || !strcmp(dir, "homepage") ||
	    !strcmp(dir, "default-base")) {
		char **slot = !strcmp(dir, "id") ? &o->id : !strcmp(dir, "name") ? &o->name :
			      !strcmp(dir, "homepage") ? &o->homepage : &o->default_base;
		while (*val == ' ' || *val == '\t')
			val++;
		free(*slot);
		*slot = strdup(val);
		return;
	}
	if (!strcmp(dir, "source") || !strcmp(dir, "unconfirmed")) {
		while (*val == ' ')
			val++;
		if (!strcmp(dir, "source"))
			push_str(&o->sources, &o->nsources, val);
		else
			push_str(&o->unconfirmed, &o->nunconfirmed, val);
		return;
	}
	n = split_words(val, w);
	if (n < 0) {
		perr(p, "unterminated quote or too many words");
		return;
	}
	if (!strcmp(dir, "key") || !strcmp(dir, "base"))
		parse_source(p, w, n, !strcmp(dir, "key") ? &o->keys : &o->bases,
			     !strcmp(dir, "key") ? &o->nkeys : &o->nbases);
	else if (!strcmp(dir, "present") || !strcmp(dir, "store")) {
		char buf[MAX_LINE];
		size_t used = 0;
		int i;

		if (n < 2) {
			perr(p, "'%s' needs a kind and an argument", dir);
			return;
		}
		buf[0] = '\0';
		/* keep the words tab-separated: paths may hold spaces */
		for (i = 0; i < n && used + strlen(w[i]) + 2 < sizeof(buf); i++)
			used += (size_t)snprintf(buf + used, sizeof(buf) - used, "%s%s",
						 i ? "\t" : "", w[i]);
		if (!strcmp(dir, "present"))
			push_str(&o->present, &o->npresent, buf);
		else
			push_str(&o->stores, &o->nstores, buf);
	} else if (!strcmp(dir, "base-form")) {
		if (n != 1)
			perr(p, "base-form takes one word");
		else if (!strcmp(w[0], "openai"))
			o->base_form = ORD_FORM_OPENAI;
		else if (!strcmp(w[0], "anthropic"))
			o->base_form = ORD_FORM_ANTHROPIC;
		else if (!strcmp(w[0], "full"))
			o->base_form = ORD_FORM_FULL;
		else if (!strcmp(w[0], "fixed"))
			o->base_form = ORD_FORM_FIXED;
		else
			perr(p, "unknown base-form '%s'", w[0]);
	} else if (!strcmp(dir, "empty")) {
		if (n == 1 && empty_rule_of(w[0]) >= 0)
			o->empty = (ord_empty_rule)empty_rule_of(w[0]);
		else
			perr(p, "empty: is 'value', 'unset', 'mask' or 'error'");
	} else if (!strcmp(dir, "subst"))
		o->subst = subst_bits(p, w, n);
	else if (!strcmp(dir, "pitfall")) {
		ord_pitfall *np;
		if (n < 3) {
			perr(p, "pitfall: needs CAUSE PLACE \"sentence\"");
			return;
		}
		np = realloc(o->pitfalls, (o->npitfalls + 1) * sizeof(*np));
		if (!np)
			return;
		o->pitfalls = np;
		np[o->npitfalls].cause = strdup(w[0]);
		np[o->npitfalls].where = strdup(w[1]);
		np[o->npitfalls].text = strdup(w[2]);
		o->npitfalls++;
	} else if (!strcmp(dir, "run")) {
		ord_run_line *nr, r;
		int cb = n > 0 && !strcmp(w[n - 1], "when=config-base");

		if (cb)
			n--;
		memset(&r, 0, sizeof(r));
		if (n == 2 && !strcmp(w[0], "arg"))
			r.value = strdup(w[1]);
		else if (n == 3 && !strcmp(w[0], "env") && *w[1] && !strchr(w[1], '=')) {
			r.is_env = 1;
			r.name = strdup(w[1]);
			r.value = strdup(w[2]);
		} else {
			perr(p, "run: needs 'arg WORD' or 'env NAME VALUE', then optionally when=config-base");
			return;
		}
		r.config_base = cb;
		nr = realloc(o->runs, (o->nruns + 1) * sizeof(*nr));
		if (!nr || !r.value || (r.is_env && !r.name)) {
			free(r.name);
			free(r.value);
			if (nr)
				o->runs = nr;
			return;
		}
		o->runs = nr;
		nr[o->nruns++] = r;
	} else if (!strcmp(dir, "edit")) {
		ord_edit *ne;
		ord_edit_how how;

		if (n != 3 || (strcmp(w[1], "file") && strcmp(w[1], "ui") && strcmp(w[1], "command"))) {
			perr(p, "edit: needs PATH file|ui|command \"text\"");
			return;
		}
		how = w[1][0] == 'f' ? ORD_EDIT_FILE : w[1][0] == 'u' ? ORD_EDIT_UI : ORD_EDIT_COMMAND;
		ne = realloc(o->edits, (o->nedits + 1) * sizeof(*ne));
		if (!ne)
			return;
		o->edits = ne;
		ne[o->nedits].path = strdup(w[0]);
		ne[o->nedits].how = how;
		ne[o->nedits].text = strdup(w[2]);
		o->nedits++;
	} else
		perr(p, "unknown directive '%s'", dir);
}

int ord_profile_parse(ord_ctx *ctx, const char *file, const char *text,
		      size_t len, ord_profile *out)
{
	parse p = {ctx, file, 0, 0};
	const char *s = text, *end = text + len;

	memset(out, 0, sizeof(*out));
	out->file = strdup(file);
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t ll = nl ? (size_t)(nl - s) : (size_t)(end - s);
		char line[MAX_LINE], *colon, *q;

		p.line++;
		if (ll >= sizeof(line)) {
			perr(&p, "line longer than %d bytes", MAX_LINE);
			goto next;
		}
		memcpy(line, s, ll);
		line[ll] = '\0';
		if (memchr(line, '\0', ll)) {
			perr(&p, "NUL byte");
			goto next;
		}
		while (ll && (line[ll - 1] == '\r' || line[ll - 1] == ' ' || line[ll - 1] == '\t'))
			line[--ll] = '\0';
		for (q = line; *q == ' ' || *q == '\t'; q++)
			;
		if (!*q || *q == '#')
			goto next;
		colon = strchr(q, ':');
		if (!colon || colon == q || strcspn(q, " \t") < (size_t)(colon - q)) {
			perr(&p, "expected 'directive: value'");
			goto next;
		}
		*colon = '\0';
		parse_line(&p, out, q, colon + 1);
next:
		s = nl ? nl + 1 : end;
	}
	if (!out->id || !*out->id || (!out->nkeys && !out->nstores)) {
		p.line = 0;
		ord_warn(ctx, "'%s': no id or no key source; profile skipped", file);
		ord_profile_release(out);
		return EINVAL;
	}
	if (!out->name)
		out->name = strdup(out->id);
	if (!out->default_base)
		out->default_base = strdup("none");
	return 0;
}

static void strv_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void ord_profile_release(ord_profile *p)
{
	size_t i;

	free(p->id);
	free(p->name);
	free(p->homepage);
	free(p->file);
	free(p->default_base);
	strv_free(p->present, p->npresent);
	strv_free(p->stores, p->nstores);
	strv_free(p->sources, p->nsources);
	strv_free(p->unconfirmed, p->nunconfirmed);
	for (i = 0; i < p->nruns; i++) {
		free(p->runs[i].name);
		free(p->runs[i].value);
	}
	free(p->runs);
	for (i = 0; i < p->nkeys; i++)
		psrc_release(&p->keys[i]);
	for (i = 0; i < p->nbases; i++)
		psrc_release(&p->bases[i]);
	free(p->keys);
	free(p->bases);
	for (i = 0; i < p->npitfalls; i++) {
		free(p->pitfalls[i].cause);
		free(p->pitfalls[i].where);
		free(p->pitfalls[i].text);
	}
	free(p->pitfalls);
	for (i = 0; i < p->nedits; i++) {
		free(p->edits[i].path);
		free(p->edits[i].text);
	}
	free(p->edits);
	memset(p, 0, sizeof(*p));
}

static void add_profile(ord_profiles *ps, ord_profile *p)
{
	size_t i;
	ord_profile *nv;

	for (i = 0; i < ps->n; i++)
		if (!strcmp(ps->v[i].id, p->id)) {
			/* a user's file replaces the embedded one */
			ord_profile_release(&ps->v[i]);
			ps->v[i] = *p;
			return;
		}
	nv = realloc(ps->v, (ps->n + 1) * sizeof(*nv));
	if (!nv) {
		ord_profile_release(p);
		return;
	}
	ps->v = nv;
	ps->v[ps->n++] = *p;
}

typedef struct load_ctx {
	ord_ctx *ctx;
	ord_profiles *ps;
	const char *dir;
} load_ctx;

static void load_embedded(void *arg, const char *name, const char *data, size_t len)
{
	load_ctx *l = arg;
	char file[256];
	ord_profile p;

	snprintf(file, sizeof(file), "data/%s", name);
	if (!ord_profile_parse(l->ctx, file, data, len, &p))
		add_profile(l->ps, &p);
}

static int load_user(void *arg, const char *name)
{
	load_ctx *l = arg;
	ord_buf b = ORD_BUF_INIT(256 * 1024);
	char *path;
	ord_profile p;
	int rc;

	if (name[0] == '.')
		return 0;
	path = ord_path_join(l->dir, name);
	if (!path)
		return 0;
	rc = ord_read_file(l->ctx, path, 256 * 1024, &b, NULL);
	if (rc)
		ord_warn(l->ctx, "cannot read '%s': %s", path, strerror(rc));
	else if (!ord_profile_parse(l->ctx, path, ord_buf_str(&b), b.len, &p))
		add_profile(l->ps, &p);
	ord_buf_release(&b);
	free(path);
	return 0;
}

/* "this project": a profile generated from the project's own code
 * (lib/codescan_project.c).  It is always listed, absent when the code
 * builds no client, so `--tool project` is known everywhere. */
static void project_profile(ord_ctx *ctx, ord_profiles *ps, int scan)
{
	static const char none[] =
		"id: project\nname: this project\n"
		"key: store code \"no client construction found in the project's code\"\n";
	ord_buf b = ORD_BUF_INIT(64 * 1024);
	ord_profile p;
	int rc = scan ? ord_codescan_profile(ctx, &b) : ENOENT;

	if (!ord_profile_parse(ctx, "(this project)", rc ? none : ord_buf_str(&b),
			       rc ? sizeof(none) - 1 : b.len, &p) ||
	    (!rc && !ord_profile_parse(ctx, "(this project)", none, sizeof(none) - 1, &p)))
		add_profile(ps, &p);
	ord_buf_release(&b);
}

static int cmp_profile(const void *a, const void *b)
{
	return strcmp(((const ord_profile *)a)->id, ((const ord_profile *)b)->id);
}

static void load_all(ord_ctx *ctx, ord_profiles *out, int scan)
{
	load_ctx l = {ctx, out, NULL};
	const char *x = ord_env_get(ctx, "XDG_CONFIG_HOME");
	char *dir;

	memset(out, 0, sizeof(*out));
	ord_data_each("tools/", load_embedded, &l);
	dir = x && *x == '/' ? ord_path_join(x, "ordoctor/tools") :
			       ord_path_join(ctx->home, ".config/ordoctor/tools");
	if (dir) {
		l.dir = dir;
		ord_list_dir(ctx, dir, load_user, &l);
	}
	free(dir);
	project_profile(ctx, out, scan);
	if (out->n)
		qsort(out->v, out->n, sizeof(*out->v), cmp_profile);
}

void ord_profiles_load(ord_ctx *ctx, ord_profiles *out)
{
	load_all(ctx, out, 1);
}

void ord_profiles_load_ids(ord_ctx *ctx, ord_profiles *out)
{
	load_all(ctx, out, 0);
}

void ord_profiles_release(ord_profiles *ps)
{
	size_t i;

	for (i = 0; i < ps->n; i++)
		ord_profile_release(&ps->v[i]);
	free(ps->v);
	memset(ps, 0, sizeof(*ps));
}

const ord_profile *ord_profiles_find(const ord_profiles *ps, const char *id)
{
	size_t i;

	for (i = 0; i < ps->n; i++)
		if (!strcmp(ps->v[i].id, id))
			return &ps->v[i];
	return NULL;
}

int ord_field_names_var(const char *field, const char *name)
{
	size_t fl = field ? strlen(field) : 0, nl = strlen(name);

	if (!field)
		return 0;
	return !strcmp(field, name) ||
	       (fl > nl && field[fl - nl - 1] == '.' && !strcmp(field + fl - nl, name));
}
