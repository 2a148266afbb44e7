/* codescan_project: "this project" as a tool.  The project's files (the
 * git root of the working directory, or the working directory alone) are
 * tokenized and matched (codescan.c, codescan_rules.c); the first client
 * construction found, the variable it reads, the literal it was given and
 * how .env is loaded become a tool profile in the text format of
 * data/tools (docs/profiles.md), which resolve evaluates like any other.
 * So the precedence of the environment and a .env, empty values and the
 * judgment are the same machinery every tool gets.
 *
 * The walk goes through the ctx, skips dependency and build folders
 * (node_modules, virtualenvs, .git, dist, …), hidden folders, binary
 * files and files over a size cap, and stops after a bounded number of
 * files, as `keys --scan` does.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "codescan.h"
#include "key.h"
#include "source.h"

#define MAX_FILES 2000
#define MAX_ENTRIES 20000  /* every name looked at, code or not: bounds the walk's time */
#define MAX_DEPTH 12
#define FILE_CAP (512u * 1024u)
#define MAX_TOKENS 200000

typedef struct cfound {
	char *path;        /* absolute */
	ord_cfile f;
} cfound;

typedef struct walker {
	ord_ctx *ctx;
	const char *root;
	int no_git;        /* no git root: the working directory's own files only */
	const ord_csdks *sdks;
	cfound *v;
	size_t n, files, entries;
	ord_buf buf;
} walker;

static const char *const skip_dirs[] = {
	"node_modules", "venv", "env", "site-packages", "dist", "build", "out", "target",
	"coverage", "__pycache__", "bower_components", "vendor", NULL,
};

static int lang_of(const char *name, ord_lang *lang)
{
	static const char *const js[] = {".js", ".mjs", ".cjs", ".ts", ".tsx", ".jsx", ".mts", ".cts", NULL};
	const char *dot = strrchr(name, '.');
	size_t i;

	if (!dot)
		return 0;
	if (!strcmp(dot, ".py")) {
		*lang = ORD_LANG_PY;
		return 1;
	}
	for (i = 0; js[i]; i++)
		if (!strcmp(dot, js[i]) && !strstr(name, ".d.ts") && !strstr(name, ".min.js")) {
			*lang = ORD_LANG_JS;
			return 1;
		}
	return 0;
}

static void add_found(walker *w, const char *path, ord_cfile *f)
{
	cfound *g;

	if (!f->nclients && !f->nloads && !f->nreads) {
		ord_cfile_release(f);
		return;
	}
	g = realloc(w->v, (w->n + 1) * sizeof(*g));
	if (!g) {
		ord_cfile_release(f);
		return;
	}
	w->v = g;
	g[w->n].path = strdup(path);
	g[w->n++].f = *f;
}

static void scan_file(walker *w, const char *path, const char *name, const struct stat *st)
{
	ord_lang lang = ORD_LANG_JS;
	int is_pkg = !strcmp(name, "package.json"), truncated = 0;
	ord_ctoks t;
	ord_cfile f;

	if (!is_pkg && !lang_of(name, &lang))
		return;
	if ((size_t)st->st_size > FILE_CAP || w->files >= MAX_FILES)
		return;
	w->files++;
	ord_buf_reset(&w->buf);
	if (ord_read_file(w->ctx, path, FILE_CAP, &w->buf, &truncated) || truncated)
		return;
	if (memchr(ord_buf_str(&w->buf), '\0', w->buf.len))
		return; /* binary */
	memset(&f, 0, sizeof(f));
	if (is_pkg) {
		ord_code_analyse_scripts(ord_buf_str(&w->buf), w->buf.len, &f);
	} else {
		if (ord_code_tokenize(ord_buf_str(&w->buf), w->buf.len, lang, MAX_TOKENS, &t))
			return;
		ord_code_analyse(w->sdks, lang, &t, &f);
		ord_ctoks_release(&t);
	}
	add_found(w, path, &f);
}

static void walk(walker *w, const char *dir, unsigned depth)
{
	char **names = NULL;
	size_t i, j, n = 0;

	if (depth > MAX_DEPTH || ord_list_dir_sorted(w->ctx, dir, NULL, 4096, &names, &n))
		return;
	for (i = 0; i < n && w->files < MAX_FILES && w->entries < MAX_ENTRIES; i++) {
		char *path = ord_path_join(dir, names[i]);
		struct stat st;

		w->entries++;
		if (path && !ord_lstat(w->ctx, path, &st)) {
			if (S_ISREG(st.st_mode))
				scan_file(w, path, names[i], &st);
			else if (S_ISDIR(st.st_mode) && names[i][0] != '.') {
				for (j = 0; skip_dirs[j] && strcmp(skip_dirs[j], names[i]); j++)
					;
				if (!skip_dirs[j] && !w->no_git)
					walk(w, path, depth + 1);
			}
		}
		free(path);
	}
	ord_names_free(names, n);
}

static char *project_root(ord_ctx *ctx, int *no_git)
{
	char *root = ord_git_root(ctx);

	if (root)
		return root;
	*no_git = 1;
	return strdup(ctx->cwd);
}

/* ---- the generated profile ----------------------------------------------- */

/* A value as one word of the profile format; NULL when it cannot be one
 * (a control character). */
static int put_word(ord_buf *b, const char *s)
{
	const char *p;

	for (p = s; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return -1;
	ord_buf_addc(b, '"');
	for (p = s; *p; p++) {
		if (*p == '"' || *p == '\\')
			ord_buf_addc(b, '\\');
		ord_buf_addc(b, *p);
	}
	ord_buf_addc(b, '"');
	return 0;
}

static const char *rel(const walker *w, const char *path)
{
	size_t n = strlen(w->root);

	if (!strncmp(path, w->root, n) && path[n] == '/')
		return path + n + 1;
	return path;
}

/* Where the .env that a load reads is: an absolute path or NULL. */
static char *load_path(walker *w, const cfound *fd, const ord_cload *l)
{
	char *dir, *p;
	struct stat st;

	if (l->path && l->kind == ORD_CLOAD_ENV_FILE && l->path[0] != '/') {
		/* npm runs a script in the folder of its package.json */
		dir = strdup(fd->path);
		if (dir && strrchr(dir, '/'))
			*strrchr(dir, '/') = '\0';
		p = dir ? ord_path_join(dir, l->path) : NULL;
		free(dir);
		return p;
	}
	if (l->path)
		return l->path[0] == '/' ? strdup(l->path) : ord_path_join(w->ctx->cwd, l->path);
	if (l->kind != ORD_CLOAD_LOAD_DOTENV && l->kind != ORD_CLOAD_VALUES)
		return ord_path_join(w->ctx->cwd, ".env");
	/* python-dotenv's find_dotenv(): upward from the calling file's folder */
	dir = strdup(fd->path);
	if (dir && strrchr(dir, '/'))
		*strrchr(dir, '/') = '\0';
	while (dir && *dir) {
		p = ord_path_join(dir, ".env");
		if (p && !ord_stat(w->ctx, p, &st) && S_ISREG(st.st_mode)) {
			free(dir);
			return p;
		}
		free(p);
		if (!ord_path_up(dir))
			break;
	}
	free(dir);
	return NULL;
}

static const char *load_words(const ord_cload *l)
{
	switch (l->kind) {
	case ORD_CLOAD_DOTENV_CONFIG: return "dotenv";
	case ORD_CLOAD_LOAD_DOTENV: return "load_dotenv()";
	default: return "node --env-file";
	}
}

/* Is the folder of `loader` the folder of `file` or above it?  An entry
 * point (or the package.json whose scripts start the app) sits there; a
 * load in a sibling folder (tests/, another package) belongs to other code. */
static int dir_covers(const char *loader, const char *file)
{
	const char *slash = strrchr(loader, '/');
	size_t n = slash ? (size_t)(slash - loader) : 0;

	return !strncmp(loader, file, n) && file[n] == '/';
}

/* The .env load that applies to a client in a file of this language:
 * one in the same file first, then one in a file of its folder or above. */
static const ord_cload *pick_load(const walker *w, const cfound *cf, int py, const cfound **where)
{
	size_t i, j;

	for (j = 0; j < cf->f.nloads; j++) {
		if (cf->f.loads[j].kind == ORD_CLOAD_VALUES)
			continue; /* a dict: the environment is left alone */
		*where = cf;
		return &cf->f.loads[j];
	}
	for (i = 0; i < w->n; i++) {
		int fpy = strlen(w->v[i].path) > 3 && !strcmp(w->v[i].path + strlen(w->v[i].path) - 3, ".py");
		if (!dir_covers(w->v[i].path, cf->path))
			continue;
		for (j = 0; j < w->v[i].f.nloads; j++) {
			const ord_cload *l = &w->v[i].f.loads[j];
			if (l->kind == ORD_CLOAD_VALUES || (l->kind == ORD_CLOAD_LOAD_DOTENV) != py ||
			    (fpy != py && l->kind != ORD_CLOAD_ENV_FILE))
				continue;
			*where = &w->v[i];
			return l;
		}
	}
	return NULL;
}

/* The sources of one variable, in the order the load gives them. */
static void var_lines(ord_buf *b, const char *role, const char *var, const char *dotenv, int override)
{
	if (dotenv && override) {
		ord_buf_addf(b, "%s: dotenv ", role);
		put_word(b, dotenv);
		ord_buf_addf(b, " %s override empty=mask shared\n", var);
	}
	ord_buf_addf(b, "%s: env %s\n", role, var);
	if (dotenv && !override) {
		ord_buf_addf(b, "%s: dotenv ", role);
		put_word(b, dotenv);
		ord_buf_addf(b, " %s shared\n", var);
	}
}

static void val_lines(walker *w, const cfound *cf, ord_buf *b, const char *role, const char *arg,
		      const ord_cval *v, const char *dflt, const char *dotenv, int override)
{
	const char *file = cf->path;

	if (v->kind == ORD_CVAL_DOTENV && v->load >= 0 && (size_t)v->load < cf->f.nloads) {
		/* dotenv_values(): the value comes from that file, never the environment */
		char *path = load_path(w, cf, &cf->f.loads[v->load]);
		if (path) {
			ord_buf_addf(b, "%s: dotenv ", role);
			put_word(b, path);
			ord_buf_addf(b, " %s shared\n", v->var);
		}
		free(path);
		return;
	}
	if (v->kind == ORD_CVAL_LITERAL) {
		ord_buf_addf(b, "%s: fixed ", role);
		if (put_word(b, v->text))
			ord_buf_adds(b, "\"\"");
		ord_buf b2 = ORD_BUF_INIT(8192);
		ord_buf_addf(b, " name=%s ", arg ? arg : role);
		ord_buf_addf(&b2, "at=%s:%u", file, v->line);
		put_word(b, ord_buf_str(&b2));
		ord_buf_adds(b, "\n");
		ord_buf_release(&b2);
		return;
	}
	if (v->kind == ORD_CVAL_ENV) {
		var_lines(b, role, v->var, dotenv, override);
		if (v->var2)
			var_lines(b, role, v->var2, dotenv, override);
		/* an unset variable passes undefined / None, and every SDK of
		 * data/sdks then reads its own default variable (openai-node's
		 * destructuring default, openai-python's `if api_key is None`);
		 * os.environ["X"] raises instead */
		if (!v->strict && dflt && strcmp(dflt, v->var) && (!v->var2 || strcmp(dflt, v->var2)))
			var_lines(b, role, dflt, dotenv, override);
		return;
	}
	if (v->kind == ORD_CVAL_NONE && dflt)
		var_lines(b, role, dflt, dotenv, override);
	if (v->kind == ORD_CVAL_OTHER && !strcmp(role, "key")) {
		/* a value computed in ways not followed: a place ordoctor
		 * cannot read, so the answer is "could not tell" */
		ord_buf at = ORD_BUF_INIT(8192);
		ord_buf_addf(&at, "%s:%u", rel(w, file), v->line);
		ord_buf_adds(b, "key: store code ");
		put_word(b, ord_buf_str(&at));
		ord_buf_adds(b, "\n");
		ord_buf_release(&at);
		/* whatever it computes, an undefined key falls back to the
		 * SDK's own variable */
		if (dflt)
			var_lines(b, role, dflt, dotenv, override);
	}
}

static void describe_val(ord_buf *b, const char *arg, const ord_cval *v, const char *dflt)
{
	switch (v->kind) {
	case ORD_CVAL_ENV:
		ord_buf_addf(b, "%s from %s%s%s (line %u)", arg, v->var, v->var2 ? " or " : "",
			     v->var2 ? v->var2 : "", v->line);
		break;
	case ORD_CVAL_LITERAL:
		ord_buf_addf(b, "%s written in the code (line %u)", arg, v->line);
		break;
	case ORD_CVAL_DOTENV:
		ord_buf_addf(b, "%s from %s of dotenv_values(), the .env alone (line %u)", arg, v->var, v->line);
		break;
	case ORD_CVAL_OTHER:
		ord_buf_addf(b, "%s from an expression ordoctor does not follow (line %u)", arg, v->line);
		break;
	default:
		if (dflt)
			ord_buf_addf(b, "no %s: the SDK reads %s", arg, dflt);
		else
			ord_buf_addf(b, "no %s", arg);
	}
}

/* A key written in the code is a finding of its own, whether it works or
 * not: it travels with every copy of the code (a placeholder is told by
 * the rules, as the key the tool sends). */
static void warn_literal(walker *w, const cfound *cf, const ord_cval *v)
{
	char red[ORD_REDACT_MAX];
	ord_key k;

	if (ord_key_init(&k, v->text, strlen(v->text)))
		return;
	if (k.shape != ORD_SHAPE_PLACEHOLDER && k.shape != ORD_SHAPE_EMPTY) {
		ord_key_redact(&k, red);
		ord_warn(w->ctx, "'%s' line %u: hard-coded key %s in the source: everyone with the code "
			 "has it; read it from the environment instead (process.env / os.environ)",
			 rel(w, cf->path), v->line, red);
	}
	ord_key_release(&k);
}

static void write_profile(walker *w, const cfound *cf, const ord_cclient *c, const ord_csdks *sdks, ord_buf *b)
{
	const ord_csdk *s = c->sdk;
	const char *kvar = s->key_var, *bvar = s->base_var, *bdef = s->base_default;
	int py = !strcmp(s->lang, "py");
	const cfound *lf = NULL;
	const ord_cload *l = pick_load(w, cf, py, &lf);
	char *dotenv = l ? load_path(w, lf, l) : NULL;
	ord_buf why = ORD_BUF_INIT(4096);
	size_t i;

	if (kvar && !strcmp(kvar, "@prefix")) {
		kvar = bvar = bdef = NULL;
		for (i = 0; c->model && i < sdks->npre; i++)
			if (!strncmp(c->model, sdks->pre[i].prefix, strlen(sdks->pre[i].prefix))) {
				kvar = sdks->pre[i].key_var;
				bvar = sdks->pre[i].base_var;
				bdef = sdks->pre[i].base_default;
				break;
			}
	}
	ord_buf_addf(&why, "%s line %u builds the client: %s of %s; ", rel(w, cf->path), c->line, s->call, s->module);
	describe_val(&why, s->key_arg ? s->key_arg : "key", &c->key, kvar);
	ord_buf_adds(&why, ", ");
	describe_val(&why, s->base_arg ? s->base_arg : "base URL", &c->base, bvar);
	if (l)
		ord_buf_addf(&why, "; %s %s .env at %s line %u%s", load_words(l),
			     l->override ? "loads" : "fills unset variables from",
			     rel(w, lf->path), l->line,
			     l->override ? ", over the environment" : ": the environment wins");
	if (l && !dotenv)
		ord_buf_adds(&why, " (no .env found above the file)");
	if (w->no_git)
		ord_buf_adds(&why, " (no git root: only the working directory's own files were read)");

	if (c->key.kind == ORD_CVAL_LITERAL)
		warn_literal(w, cf, &c->key);
	ord_buf_adds(b, "id: project\nname: this project\npresent: code ");
	put_word(b, ord_buf_str(&why));
	ord_buf_addf(b, "\nbase-form: %s\ndefault-base: %s\nempty: none\nsubst: none\n",
		     bdef && !strcmp(bdef, "sdk-anthropic") ? "anthropic" : "openai",
		     c->base.kind == ORD_CVAL_NONE && bdef ? bdef : "none");
	val_lines(w, cf, b, "key", s->key_arg, &c->key, kvar, dotenv, l && l->override);
	val_lines(w, cf, b, "base", s->base_arg, &c->base, bvar, dotenv, l && l->override);
	ord_buf_adds(b, "source: ");
	put_word(b, ord_buf_str(&why));
	ord_buf_adds(b, "\n");
	ord_buf_release(&why);
	free(dotenv);
}

/* No client construction, but the code reads a key variable a tool
 * reads (data/variables): the project sends that key somewhere; the base
 * URL is not known. */
static int write_reads(walker *w, ord_buf *b)
{
	size_t i, j;

	for (i = 0; i < w->n; i++)
		for (j = 0; j < w->v[i].f.nreads; j++) {
			const ord_cread *r = &w->v[i].f.reads[j];
			const ord_varspec *vs = ord_var_lookup(r->var, strlen(r->var));
			int py = strlen(w->v[i].path) > 3 && !strcmp(w->v[i].path + strlen(w->v[i].path) - 3, ".py");
			const cfound *lf = NULL;
			const ord_cload *l;
			ord_buf why = ORD_BUF_INIT(4096);
			char *dotenv;

			if (!vs || vs->role != ORD_ROLE_KEY)
				continue;
			l = pick_load(w, &w->v[i], py, &lf);
			dotenv = l ? load_path(w, lf, l) : NULL;
			ord_buf_addf(&why, "%s line %u reads %s (no client construction found: the base URL "
				     "is not known)", rel(w, w->v[i].path), r->line, r->var);
			if (l)
				ord_buf_addf(&why, "; %s %s .env at %s line %u", load_words(l),
					     l->override ? "loads, over the environment," : "fills unset variables from",
					     rel(w, lf->path), l->line);
			ord_buf_adds(b, "id: project\nname: this project\npresent: code ");
			put_word(b, ord_buf_str(&why));
			ord_buf_adds(b, "\nbase-form: openai\ndefault-base: none\nempty: none\nsubst: none\n");
			var_lines(b, "key", r->var, dotenv, l && l->override);
			ord_buf_release(&why);
			free(dotenv);
			return 0;
		}
	return ENOENT;
}

int ord_codescan_profile(ord_ctx *ctx, ord_buf *out)
{
	walker w;
	ord_csdks sdks;
	size_t i, j;
	int rc = ENOENT;

	memset(&w, 0, sizeof(w));
	w.ctx = ctx;
	w.buf = (ord_buf)ORD_BUF_INIT(FILE_CAP + 1);
	if (!ctx->cwd)
		return ENOENT;
	ord_csdks_load(ctx, &sdks);
	w.sdks = &sdks;
	w.root = project_root(ctx, &w.no_git);
	if (w.root)
		walk(&w, w.root, 0);
	for (i = 0; i < w.n && rc; i++)
		for (j = 0; j < w.v[i].f.nclients && rc; j++) {
			write_profile(&w, &w.v[i], &w.v[i].f.clients[j], &sdks, out);
			rc = 0;
		}
	if (rc)
		rc = write_reads(&w, out);
	for (i = 0; i < w.n; i++) {
		free(w.v[i].path);
		ord_cfile_release(&w.v[i].f);
	}
	free(w.v);
	free((char *)w.root);
	ord_buf_release(&w.buf);
	ord_csdks_release(&sdks);
	return rc;
}
