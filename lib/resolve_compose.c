/* resolve_compose: the `compose DIR NAME` source of tool profiles: what a
 * Compose service's container gets for NAME (lib/compose.c), as hits that
 * say where the value lives.
 *
 * An entry that is one reference (`OPENROUTER_API_KEY: ${OPENROUTER_API_KEY}`,
 * a bare `- OPENROUTER_API_KEY`) keeps its key where the interpolation
 * found it, the project .env line or the shell, with the entry as `via`
 * (as a config template does); any other value lives at its entry, in the
 * compose file or the env_file.  The first service (in file order) with
 * an entry for NAME is the one judged; a service that leaves NAME out of
 * its container, or that Compose refuses to start, is said in a warning,
 * since no value reaches the tool then.
 */
#include <stdlib.h>
#include <string.h>

#include "resolve_internal.h"

void rs_compose_release(rstate *r)
{
	if (r->compose_dir)
		ord_compose_release(&r->compose);
	free(r->compose_dir);
	r->compose_dir = NULL;
}

static const ord_compose *project(rstate *r, const char *dir)
{
	if (r->compose_dir && !strcmp(r->compose_dir, dir))
		return &r->compose;
	rs_compose_release(r);
	if (!(r->compose_dir = strdup(dir)))
		return NULL;
	if (ord_compose_load(r->ctx, dir, &r->compose)) {
		ord_compose_release(&r->compose);
		memset(&r->compose, 0, sizeof(r->compose));
	}
	return &r->compose;
}

/* The .env line the interpolation used: discovery's hit when it is that
 * line with the same bytes, else a new one. */
static long dotenv_place(rstate *r, const ord_compose_var *v, ord_role role)
{
	long i = rs_dotenv_hit(r, v->ref.path, v->ref.name, role);

	if (i >= 0 && r->hits->v[i].line == v->ref.line && r->hits->v[i].key.raw_len == v->len &&
	    !memcmp(r->hits->v[i].key.raw, v->value, v->len))
		return i;
	return rs_add_hit(r, ORD_SRC_DOTENV, role, v->ref.path, v->ref.line, v->ref.name, v->value, v->len);
}

long rs_compose_hit(rstate *r, const ord_psrc *s, const char *dir, ord_role role, long *via)
{
	const ord_compose *c = project(r, dir);
	const ord_compose_var *v = NULL;
	const ord_compose_service *sv = NULL;
	ord_buf why = ORD_BUF_INIT(4096);
	size_t i;
	long h, place = -1;

	*via = -1;
	for (i = 0; c && i < c->nsv && !v; i++)
		if ((v = ord_compose_get(&c->sv[i], s->field)))
			sv = &c->sv[i];
	if (!v)
		return -1;
	if (!v->value) {
		ord_compose_explain(r->ctx, v, s->field, &why);
		ord_warn(r->ctx, "compose service '%s': %s", sv->name, ord_buf_str(&why));
		ord_buf_release(&why);
		return -1;
	}
	h = rs_add_hit(r, v->from == ORD_CF_ENV_FILE || v->from == ORD_CF_ENV_FILE_BARE ? ORD_SRC_DOTENV
										     : ORD_SRC_CONFIG,
		       role, v->path, v->line, s->field, v->value, v->len);
	if (h < 0)
		return -1;
	ord_buf_addf(&why, "services.%s.environment.%s", sv->name, s->field);
	r->hits->v[h].field = ord_buf_detach(&why, NULL);
	ord_buf_release(&why);
	if (v->whole_ref && v->ref.name && v->ref.found) {
		place = v->ref.path ? dotenv_place(r, v, role) : rs_env_hit(r, v->ref.name, role);
		if (place >= 0) {
			r->hits->v[h].flags |= ORD_HIT_TEMPLATE;
			*via = place;
		}
	}
	return h;
}
