/* codescan_rules: the patterns, on the tokens of one file (codescan.c),
 * that say how the code gets its key: client constructions of the SDKs in
 * data/sdks with their key and base-URL arguments, environment reads
 * (process.env.X, process.env["X"], import.meta.env.X, os.environ["X"],
 * os.environ.get("X"), os.getenv("X")), and .env loading (dotenv/config,
 * dotenv's config() with path/override, python-dotenv's load_dotenv() with
 * a path and override=, node --env-file in package.json scripts).
 *
 * An argument that is a plain name is followed one step to its assignment
 * in the same file (`const key = process.env.X; new OpenAI({apiKey: key})`
 * and the shorthand `{ apiKey }`); anything else is "not followed".
 */
#include <stdlib.h>
#include <string.h>

#include "codescan.h"

/* ---- token helpers -------------------------------------------------------------- */

typedef struct an {
	const ord_ctoks *t;
	ord_lang lang;
	ord_cfile *out;
} an;

static const ord_ctok *tok(const an *a, size_t i)
{
	return i < a->t->n ? &a->t->v[i] : NULL;
}

static int is(const an *a, size_t i, unsigned kind, const char *text)
{
	const ord_ctok *k = tok(a, i);

	return k && k->kind == kind && (!text || (k->n == strlen(text) && !memcmp(k->p, text, k->n)));
}

#define ID(i, s) is(a, (i), ORD_CTOK_IDENT, (s))
#define PU(i, s) is(a, (i), ORD_CTOK_PUNCT, (s))

/* A plain string: no ${…} or {…} inside. */
static int plain_str(const an *a, size_t i)
{
	const ord_ctok *k = tok(a, i);

	return k && k->kind == ORD_CTOK_STRING && !(k->flags & (ORD_CTOK_DYNAMIC | ORD_CTOK_UNTERMINATED));
}

/* A variable name in a string: plain, not empty, and a name (letters,
 * digits, '_'), as the variables tools read are. */
static int var_str(const an *a, size_t i)
{
	const ord_ctok *k = tok(a, i);
	size_t j;

	if (!plain_str(a, i) || !k->n)
		return 0;
	for (j = 0; j < k->n; j++)
		if (!((k->p[j] >= 'A' && k->p[j] <= 'Z') || (k->p[j] >= 'a' && k->p[j] <= 'z') ||
		      (k->p[j] >= '0' && k->p[j] <= '9') || k->p[j] == '_'))
			return 0;
	return 1;
}

/* The string's value: the common escapes decoded, others kept as written. */
static char *str_value(const ord_ctok *k)
{
	char *v = malloc(k->n + 1), *o = v;
	size_t i;

	if (!v)
		return NULL;
	for (i = 0; i < k->n; i++) {
		char c = k->p[i];
		if (c == '\\' && !(k->flags & ORD_CTOK_RAW) && i + 1 < k->n) {
			c = k->p[++i];
			c = c == 'n' ? '\n' : c == 't' ? '\t' : c == 'r' ? '\r' : c;
		}
		*o++ = c;
	}
	*o = '\0';
	return v;
}

/* The index just past the bracket that closes the one at i, or t->n. */
static size_t skip_group(const an *a, size_t i)
{
	unsigned depth = 0;

	for (; i < a->t->n; i++) {
		const ord_ctok *k = &a->t->v[i];
		if (k->kind != ORD_CTOK_PUNCT || k->n != 1)
			continue;
		if (strchr("([{", *k->p))
			depth++;
		else if (strchr(")]}", *k->p) && (!depth || !--depth))
			return i + 1;
	}
	return i;
}

/* The end of one argument or option value starting at i: a `,` or a
 * closing bracket at depth 0 (or `;`). */
static size_t value_end(const an *a, size_t i)
{
	size_t start = i;

	while (i < a->t->n) {
		const ord_ctok *k = &a->t->v[i];
		/* a new line that starts a new statement: without `;` (JS's
		 * automatic semicolons, Python's lines), two operands meet */
		if (i > start && k->line != a->t->v[i - 1].line && k->kind != ORD_CTOK_PUNCT &&
		    a->t->v[i - 1].kind != ORD_CTOK_PUNCT)
			break;
		if (k->kind == ORD_CTOK_PUNCT && k->n == 1) {
			if (strchr("([{", *k->p)) {
				i = skip_group(a, i);
				continue;
			}
			if (strchr(",;)]}", *k->p))
				break;
		}
		i++;
	}
	return i;
}

/* An environment read at i: the variable's token index, and the index
 * after the pattern; 0 when there is none. */
static int env_read(const an *a, size_t i, size_t *var, size_t *next)
{
	size_t j;

	if (a->lang == ORD_LANG_JS) {
		if (ID(i, "process") && (PU(i + 1, ".") || PU(i + 1, "?.")) && ID(i + 2, "env"))
			j = i + 3;
		else if (ID(i, "import") && PU(i + 1, ".") && ID(i + 2, "meta") && PU(i + 3, ".") && ID(i + 4, "env"))
			j = i + 5;
		else
			return 0;
		if ((PU(j, ".") || PU(j, "?.")) && ID(j + 1, NULL)) {
			*var = j + 1;
			*next = j + 2;
			return 1;
		}
		if ((PU(j, "[") && var_str(a, j + 1) && PU(j + 2, "]")) ||
		    (PU(j, "?.") && PU(j + 1, "[") && var_str(a, j + 2) && PU(j + 3, "]"))) {
			j += PU(j, "?.");
			*var = j + 1;
			*next = j + 3;
			return 1;
		}
		return 0;
	}
	j = i;
	if (ID(j, "os") && PU(j + 1, "."))
		j += 2;
	else if (i > 0 && PU(i - 1, "."))
		return 0; /* x.environ: not os's */
	if (ID(j, "environ") && PU(j + 1, "[") && var_str(a, j + 2) && PU(j + 3, "]")) {
		*var = j + 2;
		*next = j + 4;
		return 2; /* KeyError when unset */
	}
	if ((ID(j, "environ") && PU(j + 1, ".") && ID(j + 2, "get") && PU(j + 3, "(") && var_str(a, j + 4)) ||
	    (ID(j, "getenv") && PU(j + 1, "(") && var_str(a, j + 2))) {
		*var = ID(j, "getenv") ? j + 2 : j + 4;
		*next = skip_group(a, *var - 1);
		return 1;
	}
	return 0;
}

static char *tok_dup(const ord_ctok *k)
{
	return k->kind == ORD_CTOK_STRING ? str_value(k) : strndup(k->p, k->n);
}

/* NAME["X"] or NAME.get("X") where NAME = dotenv_values(…): the index of
 * that load, or -1. */
static long values_read(const an *a, size_t i, size_t *var)
{
	const ord_ctok *k = tok(a, i);
	size_t l;

	if (a->lang != ORD_LANG_PY || !k || k->kind != ORD_CTOK_IDENT)
		return -1;
	if (PU(i + 1, "[") && var_str(a, i + 2) && PU(i + 3, "]"))
		*var = i + 2;
	else if (PU(i + 1, ".") && ID(i + 2, "get") && PU(i + 3, "(") && var_str(a, i + 4))
		*var = i + 4;
	else
		return -1;
	for (l = 0; l < a->out->nloads; l++) {
		const ord_cload *d = &a->out->loads[l];
		if (d->kind == ORD_CLOAD_VALUES && d->name && strlen(d->name) == k->n && !memcmp(d->name, k->p, k->n))
			return (long)l;
	}
	return -1;
}

/* Where NAME is assigned in the file (`const NAME =`, `NAME =`): the
 * value's first token, or 0. */
static size_t assignment_of(const an *a, const ord_ctok *name)
{
	size_t i;

	for (i = 0; i + 2 < a->t->n; i++) {
		const ord_ctok *k = &a->t->v[i];
		if (k->kind == ORD_CTOK_IDENT && k->n == name->n && !memcmp(k->p, name->p, k->n) &&
		    (PU(i + 1, "=") || (PU(i + 1, ":") && a->lang == ORD_LANG_PY && PU(i + 3, "="))) &&
		    !(i > 0 && (PU(i - 1, ".") || PU(i - 1, ",") || PU(i - 1, "(") || PU(i - 1, "{"))))
			return PU(i + 1, "=") ? i + 2 : i + 4;
	}
	return 0;
}

/* What the value tokens [b, e) give: environment reads first, then a
 * literal, then a name followed once to its assignment. */
static void eval_value(const an *a, size_t b, size_t e, ord_cval *v, int follow)
{
	size_t i, var, next;

	v->line = b < a->t->n ? a->t->v[b].line : 0;
	for (i = b; i < e && v->kind == ORD_CVAL_NONE; i++) {
		long l = values_read(a, i, &var);
		if (l >= 0) {
			v->kind = ORD_CVAL_DOTENV;
			v->var = tok_dup(&a->t->v[var]);
			v->load = l;
			v->line = a->t->v[i].line;
			return;
		}
	}
	for (i = b; i < e; i++) {
		int how = env_read(a, i, &var, &next);
		if (!how)
			continue;
		if (v->kind != ORD_CVAL_ENV) {
			v->kind = ORD_CVAL_ENV;
			v->strict = how == 2;
			v->var = tok_dup(&a->t->v[var]);
			v->line = a->t->v[i].line;
		} else if (!v->var2)
			v->var2 = tok_dup(&a->t->v[var]);
		i = next - 1;
	}
	if (v->kind == ORD_CVAL_ENV)
		return;
	if (e == b + 1 && plain_str(a, b)) {
		v->kind = ORD_CVAL_LITERAL;
		v->text = str_value(&a->t->v[b]);
		return;
	}
	if (e == b + 1 && ID(b, NULL) && follow) {
		size_t at = assignment_of(a, &a->t->v[b]);
		if (at) {
			eval_value(a, at, value_end(a, at), v, 0);
			if (v->kind != ORD_CVAL_NONE)
				return;
		}
	}
	v->kind = ORD_CVAL_OTHER;
}

/* ---- client constructions ---------------------------------------------------- */

static int imports(const an *a, const char *module)
{
	size_t i, n = strlen(module);

	for (i = 0; i < a->t->n; i++) {
		const ord_ctok *k = &a->t->v[i];
		if (a->lang == ORD_LANG_JS) {
			if (k->kind == ORD_CTOK_STRING && k->n == n && !memcmp(k->p, module, n) && i > 0 &&
			    (ID(i - 1, "from") || ID(i - 1, "import") || (PU(i - 1, "(") && i > 1 &&
			     (ID(i - 2, "require") || ID(i - 2, "import")))))
				return 1;
		} else if (k->kind == ORD_CTOK_IDENT && k->n == n && !memcmp(k->p, module, n) && i > 0 &&
			   (ID(i - 1, "import") || ID(i - 1, "from")))
			return 1;
	}
	return 0;
}

static void set_arg(const an *a, ord_cclient *c, const ord_ctok *name, size_t vb, size_t ve)
{
	const char *n = name->p;
	size_t len = name->n;
	ord_cval *v = NULL;

	if (c->sdk->key_arg && len == strlen(c->sdk->key_arg) && !memcmp(n, c->sdk->key_arg, len))
		v = &c->key;
	else if (c->sdk->base_arg && len == strlen(c->sdk->base_arg) && !memcmp(n, c->sdk->base_arg, len))
		v = &c->base;
	else if (len == 5 && !memcmp(n, "model", 5) && ve == vb + 1 && plain_str(a, vb) && !c->model)
		c->model = str_value(&a->t->v[vb]);
	if (v && v->kind == ORD_CVAL_NONE)
		eval_value(a, vb, ve, v, 1);
}

/* Arguments ordoctor cannot see (an options object built elsewhere,
 * **kwargs): the key and base URL are "not followed", not the defaults. */
static void unknown_args(const an *a, ord_cclient *c, size_t j)
{
	unsigned line = j < a->t->n ? a->t->v[j].line : c->line;

	if (c->key.kind == ORD_CVAL_NONE) {
		c->key.kind = ORD_CVAL_OTHER;
		c->key.line = line;
	}
	if (c->base.kind == ORD_CVAL_NONE) {
		c->base.kind = ORD_CVAL_OTHER;
		c->base.line = line;
	}
}

/* The arguments of the call whose '(' is at i. */
static void client_args(const an *a, ord_cclient *c, size_t i)
{
	size_t end = skip_group(a, i), j = i + 1;

	if (a->lang == ORD_LANG_JS) {
		if (!PU(j, "{")) {
			/* new OpenAI(options): the options are built elsewhere */
			if (!PU(j, ")"))
				unknown_args(a, c, j);
			return;
		}
		end = skip_group(a, j) - 1;
		for (j++; j < end;) {
			const ord_ctok *name = tok(a, j);
			size_t ve;
			if (name && (name->kind == ORD_CTOK_IDENT || plain_str(a, j)) && PU(j + 1, ":")) {
				ve = value_end(a, j + 2);
				set_arg(a, c, name, j + 2, ve);
			} else if (name && name->kind == ORD_CTOK_IDENT && (PU(j + 1, ",") || j + 1 == end)) {
				ve = j + 1; /* { apiKey }: the variable of that name */
				set_arg(a, c, name, j, ve);
			} else
				ve = value_end(a, j);
			j = ve + 1;
		}
		return;
	}
	for (; j < end;) {
		size_t ve;
		if (PU(j, "**")) {
			unknown_args(a, c, j); /* OpenAI(**settings) */
			return;
		}
		if (ID(j, NULL) && PU(j + 1, "=")) {
			ve = value_end(a, j + 2);
			set_arg(a, c, &a->t->v[j], j + 2, ve);
		} else
			ve = value_end(a, j);
		j = ve + 1;
	}
}

static void add_client(an *a, const ord_csdk *sdk, size_t i)
{
	ord_cclient *g = realloc(a->out->clients, (a->out->nclients + 1) * sizeof(*g));

	if (!g)
		return;
	a->out->clients = g;
	g += a->out->nclients++;
	memset(g, 0, sizeof(*g));
	g->sdk = sdk;
	g->line = a->t->v[i].line;
	client_args(a, g, i + 1);
}

static void find_clients(an *a, const ord_csdks *sdks)
{
	const char *lang = a->lang == ORD_LANG_JS ? "js" : "py";
	size_t s, i;

	for (s = 0; s < sdks->n; s++) {
		const ord_csdk *sdk = &sdks->v[s];
		if (strcmp(sdk->lang, lang) || !imports(a, sdk->module))
			continue;
		for (i = 0; i + 1 < a->t->n; i++) {
			if (!ID(i, sdk->call) || !PU(i + 1, "(") || (a->t->v[i].flags & ORD_CTOK_IN_TEMPLATE))
				continue;
			/* a definition of that name is not a call */
			if (i > 0 && (ID(i - 1, "def") || ID(i - 1, "function") || ID(i - 1, "class")))
				continue;
			add_client(a, sdk, i);
		}
	}
}

/* ---- .env loading and reads ----------------------------------------------- */

/* One more, zeroed, .env load of a file; NULL when out of memory. */
static ord_cload *new_load(ord_cfile *out)
{
	ord_cload *g = realloc(out->loads, (out->nloads + 1) * sizeof(*g));

	if (!g)
		return NULL;
	out->loads = g;
	g += out->nloads++;
	memset(g, 0, sizeof(*g));
	return g;
}

static void add_load(an *a, ord_cload_kind kind, unsigned line, size_t args)
{
	ord_cload *g = new_load(a->out);
	size_t end, j;

	if (!g)
		return;
	g->kind = kind;
	g->line = line;
	if (!args)
		return;
	end = skip_group(a, args);
	for (j = args + 1; j < end; j++) {
		if (a->lang == ORD_LANG_JS) {
			if (ID(j, "path") && PU(j + 1, ":") && plain_str(a, j + 2) && !g->path)
				g->path = str_value(&a->t->v[j + 2]);
			if (ID(j, "override") && PU(j + 1, ":") && ID(j + 2, "true"))
				g->override = 1;
			continue;
		}
		if (j == args + 1 && plain_str(a, j) && (PU(j + 1, ",") || PU(j + 1, ")")))
			g->path = str_value(&a->t->v[j]);
		if (ID(j, "dotenv_path") && PU(j + 1, "=") && plain_str(a, j + 2) && !g->path)
			g->path = str_value(&a->t->v[j + 2]);
		if (ID(j, "override") && PU(j + 1, "=") && ID(j + 2, "True"))
			g->override = 1;
	}
}

static void find_loads(an *a)
{
	size_t i;

	for (i = 0; i < a->t->n; i++) {
		const ord_ctok *k = &a->t->v[i];
		if (a->lang == ORD_LANG_JS) {
			/* import "dotenv/config" and require("dotenv/config") */
			if (k->kind == ORD_CTOK_STRING && k->n == 13 && !memcmp(k->p, "dotenv/config", 13) && i > 0 &&
			    (ID(i - 1, "import") || (PU(i - 1, "(") && i > 1 && ID(i - 2, "require"))))
				add_load(a, ORD_CLOAD_DOTENV_CONFIG, k->line, 0);
			/* dotenv.config(…), require("dotenv").config(…), config(…) */
			else if (ID(i, "config") && PU(i + 1, "(") && imports(a, "dotenv") &&
				 !(i > 0 && (ID(i - 1, "function") || PU(i - 1, "?."))) &&
				 (i == 0 || !PU(i - 1, ".") || (i > 1 && (ID(i - 2, "dotenv") || PU(i - 2, ")")))))
				add_load(a, ORD_CLOAD_DOTENV_CONFIG, k->line, i + 1);
		} else if (ID(i, "load_dotenv") && PU(i + 1, "(") && !(i > 0 && ID(i - 1, "def")))
			add_load(a, ORD_CLOAD_LOAD_DOTENV, k->line, i + 1);
		else if (ID(i, "dotenv_values") && PU(i + 1, "(") && i > 1 && PU(i - 1, "=") && ID(i - 2, NULL)) {
			add_load(a, ORD_CLOAD_VALUES, k->line, i + 1);
			if (a->out->nloads && a->out->loads[a->out->nloads - 1].kind == ORD_CLOAD_VALUES)
				a->out->loads[a->out->nloads - 1].name = tok_dup(&a->t->v[i - 2]);
		}
	}
}

static void find_reads(an *a)
{
	size_t i, var, next;

	for (i = 0; i < a->t->n; i++) {
		ord_cread *g;
		if (!env_read(a, i, &var, &next))
			continue;
		g = realloc(a->out->reads, (a->out->nreads + 1) * sizeof(*g));
		if (!g)
			return;
		a->out->reads = g;
		g[a->out->nreads].var = tok_dup(&a->t->v[var]);
		g[a->out->nreads++].line = a->t->v[i].line;
		i = next - 1;
	}
}

void ord_code_analyse(const ord_csdks *sdks, ord_lang lang, const ord_ctoks *t, ord_cfile *out)
{
	an a = {t, lang, out};

	find_loads(&a);
	find_clients(&a, sdks);
	find_reads(&a);
}

static unsigned line_at(const char *s, const char *at)
{
	unsigned line = 1;

	for (; s < at; s++)
		line += *s == '\n';
	return line;
}

static void preload(const char *json, size_t n, ord_cfile *out)
{
	static const char *const forms[] = {"-r dotenv/config", "--require dotenv/config",
					    "--require=dotenv/config", "--import dotenv/config",
					    "--import=dotenv/config", NULL};
	size_t i;

	for (i = 0; forms[i]; i++) {
		const char *m = memmem(json, n, forms[i], strlen(forms[i]));
		ord_cload *g;
		if (!m)
			continue;
		if (!(g = new_load(out)))
			return;
		g->kind = ORD_CLOAD_DOTENV_CONFIG;
		g->line = line_at(json, m);
		return;
	}
}

void ord_code_analyse_scripts(const char *json, size_t n, ord_cfile *out)
{
	static const char flag[] = "--env-file";
	const char *p = json, *end = json + n, *m;

	/* node -r dotenv/config: dotenv's preload, the same rules as importing it */
	preload(json, n, out);

	while ((m = memmem(p, (size_t)(end - p), flag, sizeof(flag) - 1))) {
		const char *v = m + sizeof(flag) - 1, *q;
		ord_cload *g;
		unsigned line = line_at(json, m);

		if (v < end && *v == '-') {
			/* --env-file-if-exists reads the same way */
			while (v < end && *v != '=' && *v != ' ')
				v++;
		}
		if (v < end && (*v == '=' || *v == ' '))
			v++;
		for (q = v; q < end && !strchr(" \"'\\\n", *q); q++)
			;
		if (!(g = new_load(out)))
			return;
		g->kind = ORD_CLOAD_ENV_FILE;
		g->line = line;
		g->path = q > v ? strndup(v, (size_t)(q - v)) : NULL;
		p = q > m ? q : m + 1;
	}
}

static void cval_release(ord_cval *v)
{
	free(v->var);
	free(v->var2);
	if (v->text)
		ord_wipe(v->text, strlen(v->text));
	free(v->text);
}

void ord_cfile_release(ord_cfile *f)
{
	size_t i;

	for (i = 0; i < f->nclients; i++) {
		cval_release(&f->clients[i].key);
		cval_release(&f->clients[i].base);
		free(f->clients[i].model);
	}
	for (i = 0; i < f->nloads; i++) {
		free(f->loads[i].path);
		free(f->loads[i].name);
	}
	for (i = 0; i < f->nreads; i++)
		free(f->reads[i].var);
	free(f->clients);
	free(f->loads);
	free(f->reads);
	memset(f, 0, sizeof(*f));
}
