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
