/* source: the list of discovered hits and its lifecycle. */
#include "source.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void ord_hits_init(ord_hits *h)
{
	memset(h, 0, sizeof(*h));
}

static void hit_release(ord_hit *x)
{
	free(x->path);
	free(x->name);
	free(x->field);
	free(x->note);
	ord_key_release(&x->key);
}

void ord_hits_release(ord_hits *h)
{
	size_t i;

	for (i = 0; i < h->n; i++)
		hit_release(&h->v[i]);
	free(h->v);
	memset(h, 0, sizeof(*h));
}

ord_hit *ord_hits_add(ord_hits *h, ord_source_kind kind, ord_role role,
		      const char *path, unsigned line, const char *name,
		      const void *value, size_t value_len)
{
	ord_hit *x;

	if (h->n == h->cap) {
		size_t nc = h->cap ? h->cap * 2 : 16;
		ord_hit *nv = realloc(h->v, nc * sizeof(*nv));
		if (!nv)
			return NULL;
		h->v = nv;
		h->cap = nc;
	}
	x = &h->v[h->n];
	memset(x, 0, sizeof(*x));
	x->kind = kind;
	x->role = role;
	x->line = line;
	x->origin = -1;
	x->path = path ? strdup(path) : NULL;
	x->name = name ? strdup(name) : NULL;
	if ((path && !x->path) || (name && !x->name) ||
	    ord_key_init(&x->key, value, value_len)) {
		hit_release(x);
		return NULL;
	}
	h->n++;
	return x;
}

const char *ord_source_kind_id(ord_source_kind k)
{
	static const char *const ids[] = {"env", "dotenv", "rc", "netrc",
					  "scan", "config"};
	return (unsigned)k < sizeof(ids) / sizeof(*ids) ? ids[k] : "?";
}

const char *ord_role_id(ord_role r)
{
	static const char *const ids[] = {"key", "base_url", "near_miss",
					  "stray", "netrc"};
	return (unsigned)r < sizeof(ids) / sizeof(*ids) ? ids[r] : "?";
}

/* Paths as people write them: "./.env" for a file of the project they
 * stand in, "~/.bashrc" for one in their home (also when they stand in
 * the home itself: "./.bashrc" would read as a project file), else the
 * absolute path.  JSON keeps absolute paths; this is for sentences. */
void ord_path_where(const ord_ctx *ctx, const char *path, ord_buf *out)
{
	size_t hl = strlen(ctx->home), cl = strlen(ctx->cwd);
	int cwd_is_home = !strcmp(ctx->cwd, ctx->home);

	if (!path)
		ord_buf_adds(out, "?");
	else if (!cwd_is_home && cl > 1 && !strncmp(path, ctx->cwd, cl) && path[cl] == '/')
		ord_buf_addf(out, ".%s", path + cl);
	else if (hl > 1 && !strncmp(path, ctx->home, hl) && path[hl] == '/')
		ord_buf_addf(out, "~%s", path + hl);
	else
		ord_buf_adds(out, path);
}

void ord_hit_where(const ord_ctx *ctx, const ord_hit *h, ord_buf *out)
{
	if (h->kind == ORD_SRC_ENV) {
		ord_buf_adds(out, "the environment");
		return;
	}
	ord_path_where(ctx, h->path, out);
	if (h->line)
		ord_buf_addf(out, " line %u", h->line);
}

char *ord_hit_where_str(const ord_ctx *ctx, const ord_hit *h)
{
	ord_buf b = ORD_BUF_INIT(8192);

	ord_hit_where(ctx, h, &b);
	return ord_buf_detach(&b, NULL);
}
