/* laststate: record the last good state, read it back, list what changed
 * (see laststate.h).  The file is JSON through json-c so that a person can
 * read it and a damaged one is refused whole, never half-trusted. */
#include <errno.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "laststate.h"

#define STATE_SCHEMA "ordoctor.last-good/1"
#define STATE_CAP (1024 * 1024)

static void place_release(ord_place *p)
{
	free(p->path);
	free(p->name);
}

void ord_laststate_release(ord_laststate *s)
{
	size_t i;

	for (i = 0; i < s->nkeys; i++)
		place_release(&s->keys[i].place);
	free(s->keys);
	for (i = 0; i < s->ntools; i++) {
		free(s->tools[i].id);
		place_release(&s->tools[i].src);
		free(s->tools[i].base_url);
	}
	free(s->tools);
	for (i = 0; i < s->nbases; i++)
		free(s->bases[i]);
	free(s->bases);
	memset(s, 0, sizeof(*s));
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* 0 or ENOMEM. */
static int place_of_hit(const ord_hit *h, ord_place *p)
{
	const char *name = h->field ? h->field : h->name;

	memset(p, 0, sizeof(*p));
	if (h->kind != ORD_SRC_ENV) {
		p->path = dup_or_null(h->path);
		p->line = h->line;
		if (h->path && !p->path)
			return ENOMEM;
	}
	p->name = dup_or_null(name);
	return name && !p->name ? ENOMEM : 0;
}

static int add_base(ord_laststate *s, const char *url)
{
	size_t i;
	char **v;

	for (i = 0; i < s->nbases; i++)
		if (!strcmp(s->bases[i], url))
			return 0;
	v = realloc(s->bases, (s->nbases + 1) * sizeof(*v));
	if (!v)
		return ENOMEM;
	s->bases = v;
	if (!(v[s->nbases] = strdup(url)))
		return ENOMEM;
	s->nbases++;
	return 0;
}

static int add_tool(ord_laststate *s, const ord_facts *f, const ord_tool_res *tr)
{
	ord_ls_tool *t = &s->tools[s->ntools];

	memset(t, 0, sizeof(*t));
	s->ntools++;
	if (!(t->id = strdup(tr->p->id)))
		return ENOMEM;
	if (tr->win >= 0) {
		const ord_hit *h = &f->hits.v[tr->keys[tr->win].hit];

		t->has_key = 1;
		ord_key_fingerprint(&h->key, t->fp);
		ord_key_redact(&h->key, t->redacted);
		if (place_of_hit(h, &t->src))
			return ENOMEM;
	}
	if (tr->base_url) {
		if (!(t->base_url = strdup(tr->base_url)))
			return ENOMEM;
		return add_base(s, tr->base_url);
	}
	return 0;
}

int ord_laststate_from_facts(const ord_facts *f, time_t now, ord_laststate *s)
{
	struct tm tm;
	size_t i, j, n = 0;

	memset(s, 0, sizeof(*s));
	if (gmtime_r(&now, &tm))
		strftime(s->date, sizeof(s->date), "%Y-%m-%dT%H:%M:%SZ", &tm);
	for (i = 0; i < f->nkeys; i++)
		n += f->keys[i].nhits;
	s->keys = calloc(n ? n : 1, sizeof(*s->keys));
	s->tools = calloc(f->tools && f->tools->n ? f->tools->n : 1, sizeof(*s->tools));
	if (!s->keys || !s->tools)
		goto nomem;
	for (i = 0; i < f->nkeys; i++)
		for (j = 0; j < f->keys[i].nhits; j++) {
			ord_ls_key *k = &s->keys[s->nkeys++];

			memcpy(k->fp, f->keys[i].fingerprint, sizeof(k->fp));
			memcpy(k->redacted, f->keys[i].redacted, sizeof(k->redacted));
			if (place_of_hit(&f->hits.v[f->keys[i].hits[j]], &k->place))
				goto nomem;
		}
	for (i = 0; f->tools && i < f->tools->n; i++)
		if (f->tools->v[i].present && add_tool(s, f, &f->tools->v[i]))
			goto nomem;
	return 0;
nomem:
	ord_laststate_release(s);
	return ENOMEM;
}

/* ---- the file ------------------------------------------------------------- */

static json_object *place_json(const ord_place *p)
{
	json_object *o = json_object_new_object();

	if (!p->path) {
		json_object_object_add(o, "environment", json_object_new_string(p->name ? p->name : ""));
		return o;
	}
	json_object_object_add(o, "path", json_object_new_string(p->path));
	if (p->line)
		json_object_object_add(o, "line", json_object_new_int((int)p->line));
	if (p->name)
		json_object_object_add(o, "name", json_object_new_string(p->name));
	return o;
}

static int same_place(const ord_place *a, const ord_place *b)
{
	if (!a->path != !b->path)
		return 0;
	if (!a->path)
		return a->name && b->name && !strcmp(a->name, b->name);
	return !strcmp(a->path, b->path) && a->line == b->line &&
	       !a->name == !b->name && (!a->name || !strcmp(a->name, b->name));
}

char *ord_laststate_serialize(const ord_laststate *s)
{
	json_object *root = json_object_new_object(), *keys = json_object_new_array(),
		    *tools = json_object_new_array(), *bases = json_object_new_array();
	size_t i, j;
	char *out;

	json_object_object_add(root, "schema", json_object_new_string(STATE_SCHEMA));
	json_object_object_add(root, "recorded_at", json_object_new_string(s->date));
	/* one entry per key row, its places together, as `keys` shows them */
	for (i = 0; i < s->nkeys; i++) {
		json_object *o, *pl;

		for (j = 0; j < i; j++)
			if (!strcmp(s->keys[j].fp, s->keys[i].fp))
				break;
		if (j < i)
			continue;
		o = json_object_new_object();
		pl = json_object_new_array();
		json_object_object_add(o, "fingerprint", json_object_new_string(s->keys[i].fp));
		json_object_object_add(o, "redacted", json_object_new_string(s->keys[i].redacted));
		for (j = i; j < s->nkeys; j++)
			if (!strcmp(s->keys[j].fp, s->keys[i].fp))
				json_object_array_add(pl, place_json(&s->keys[j].place));
		json_object_object_add(o, "places", pl);
		json_object_array_add(keys, o);
	}
	json_object_object_add(root, "keys", keys);
	for (i = 0; i < s->nbases; i++)
		json_object_array_add(bases, json_object_new_string(s->bases[i]));
	json_object_object_add(root, "base_urls", bases);
	for (i = 0; i < s->ntools; i++) {
		const ord_ls_tool *t = &s->tools[i];
		json_object *o = json_object_new_object(), *k = NULL;

		json_object_object_add(o, "id", json_object_new_string(t->id));
		if (t->has_key) {
			k = json_object_new_object();
			json_object_object_add(k, "fingerprint", json_object_new_string(t->fp));
			json_object_object_add(k, "redacted", json_object_new_string(t->redacted));
			json_object_object_add(k, "source", place_json(&t->src));
		}
		json_object_object_add(o, "key", k);
		json_object_object_add(o, "base_url", t->base_url ? json_object_new_string(t->base_url) : NULL);
		json_object_array_add(tools, o);
	}
	json_object_object_add(root, "tools", tools);
	out = dup_or_null(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
		JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(root);
	return out;
}

static const char *get_str(json_object *o, const char *name)
{
	json_object *v;

	if (!json_object_object_get_ex(o, name, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

/* A fingerprint or redacted form copied into a fixed buffer; EINVAL when
 * missing or too long. */
static int get_fixed(json_object *o, const char *name, char *out, size_t cap)
{
	const char *v = get_str(o, name);

	if (!v || strlen(v) >= cap || !*v)
		return EINVAL;
	strcpy(out, v);
	return 0;
}

static int parse_place(json_object *o, ord_place *p)
{
	const char *env = get_str(o, "environment"), *path = get_str(o, "path"),
		   *name = get_str(o, "name");
	json_object *line;

	memset(p, 0, sizeof(*p));
	if (!json_object_is_type(o, json_type_object) || (!env && !path))
		return EINVAL;
	if (env)
		return (p->name = strdup(env)) ? 0 : ENOMEM;
	if (json_object_object_get_ex(o, "line", &line)) {
		if (!json_object_is_type(line, json_type_int) || json_object_get_int(line) < 0)
			return EINVAL;
		p->line = (unsigned)json_object_get_int(line);
	}
	p->path = strdup(path);
	p->name = dup_or_null(name);
	return !p->path || (name && !p->name) ? ENOMEM : 0;
}

static json_object *get_array(json_object *o, const char *name)
{
	json_object *v;

	if (!json_object_object_get_ex(o, name, &v) || !json_object_is_type(v, json_type_array))
		return NULL;
	return v;
}

static int parse_keys(json_object *keys, ord_laststate *s)
{
	size_t i, j, n = 0, nk = json_object_array_length(keys);

	for (i = 0; i < nk; i++) {
		json_object *pl = get_array(json_object_array_get_idx(keys, i), "places");
		if (!pl)
			return EINVAL;
		n += json_object_array_length(pl);
	}
	if (!(s->keys = calloc(n ? n : 1, sizeof(*s->keys))))
		return ENOMEM;
	for (i = 0; i < nk; i++) {
		json_object *k = json_object_array_get_idx(keys, i), *pl = get_array(k, "places");

		for (j = 0; j < json_object_array_length(pl); j++) {
			ord_ls_key *e = &s->keys[s->nkeys++];
			int rc;

			if (get_fixed(k, "fingerprint", e->fp, sizeof(e->fp)) ||
			    get_fixed(k, "redacted", e->redacted, sizeof(e->redacted)))
				return EINVAL;
			if ((rc = parse_place(json_object_array_get_idx(pl, j), &e->place)))
				return rc;
		}
	}
	return 0;
}

static int parse_tools(json_object *tools, ord_laststate *s)
{
	size_t i, n = json_object_array_length(tools);

	if (!(s->tools = calloc(n ? n : 1, sizeof(*s->tools))))
		return ENOMEM;
	for (i = 0; i < n; i++) {
		json_object *o = json_object_array_get_idx(tools, i), *k, *src;
		ord_ls_tool *t = &s->tools[s->ntools++];
		const char *id = json_object_is_type(o, json_type_object) ? get_str(o, "id") : NULL,
			   *base = id ? get_str(o, "base_url") : NULL;
		int rc;

		if (!id || !(t->id = strdup(id)) || (base && !(t->base_url = strdup(base))))
			return id ? ENOMEM : EINVAL;
		if (!json_object_object_get_ex(o, "key", &k) || !k)
			continue;
		t->has_key = 1;
		if (!json_object_is_type(k, json_type_object) ||
		    get_fixed(k, "fingerprint", t->fp, sizeof(t->fp)) ||
		    get_fixed(k, "redacted", t->redacted, sizeof(t->redacted)) ||
		    !json_object_object_get_ex(k, "source", &src))
			return EINVAL;
		if ((rc = parse_place(src, &t->src)))
			return rc;
	}
	return 0;
}

int ord_laststate_parse(const char *text, ord_laststate *s)
{
	json_object *root = json_tokener_parse(text), *keys, *tools, *bases;
	const char *schema, *date;
	size_t i;
	int rc = EINVAL;

	memset(s, 0, sizeof(*s));
	if (!root || !json_object_is_type(root, json_type_object))
		goto out;
	schema = get_str(root, "schema");
	date = get_str(root, "recorded_at");
	keys = get_array(root, "keys");
	tools = get_array(root, "tools");
	bases = get_array(root, "base_urls");
	if (!schema || strcmp(schema, STATE_SCHEMA) || !date || strlen(date) < 10 ||
	    strlen(date) >= sizeof(s->date) || !keys || !tools)
		goto out;
	strcpy(s->date, date);
	if ((rc = parse_keys(keys, s)) || (rc = parse_tools(tools, s)))
		goto out;
	for (i = 0; bases && i < json_object_array_length(bases); i++) {
		json_object *b = json_object_array_get_idx(bases, i);

		if (!json_object_is_type(b, json_type_string)) {
			rc = EINVAL;
			goto out;
		}
		if ((rc = add_base(s, json_object_get_string(b))))
			goto out;
	}
	rc = 0;
out:
	json_object_put(root);
	if (rc)
		ord_laststate_release(s);
	return rc;
}

char *ord_laststate_path(const ord_ctx *ctx)
{
	const char *x = ord_env_get(ctx, "XDG_STATE_HOME");

	/* the XDG rule: a relative value is invalid and ignored */
	if (x && *x == '/')
		return ord_path_join(x, "ordoctor/last-good.json");
	return ord_path_join(ctx->home, ".local/state/ordoctor/last-good.json");
}

int ord_laststate_record(ord_ctx *ctx, const ord_facts *f)
{
	ord_laststate s;
	char *path = ord_laststate_path(ctx), *text = NULL;
	int rc = ENOMEM;

	if (path && !ord_laststate_from_facts(f, ord_now(ctx), &s)) {
		text = ord_laststate_serialize(&s);
		ord_laststate_release(&s);
		rc = text ? ord_write_file(ctx, path, text, strlen(text)) : ENOMEM;
	}
	if (rc && ctx->verbose)
		ord_warn(ctx, "cannot record the last good state in '%s': %s",
			 path ? path : "?", strerror(rc));
	free(text);
	free(path);
	return rc;
}

/* ---- what changed ------------------------------------------------------- */

const char *ord_change_kind_id(ord_change_kind k)
{
	static const char *const ids[] = {"key_changed", "key_added", "new_file", "key_removed",
		"tool_key", "tool_base_url", "tool_new", "tool_gone"};

	return (size_t)k < sizeof(ids) / sizeof(*ids) ? ids[k] : "?";
}

static ord_change *add_change(ord_since *s, ord_change_kind kind)
{
	ord_change *v = realloc(s->v, (s->n + 1) * sizeof(*v));

	if (!v)
		return NULL;
	s->v = v;
	memset(&v[s->n], 0, sizeof(*v));
	v[s->n].kind = kind;
	return &v[s->n++];
}

static const ord_ls_key *key_at(const ord_laststate *s, const ord_place *p)
{
	size_t i;

	for (i = 0; i < s->nkeys; i++)
		if (same_place(&s->keys[i].place, p))
			return &s->keys[i];
	return NULL;
}

static int file_known(const ord_laststate *s, const char *path)
{
	size_t i;

	for (i = 0; path && i < s->nkeys; i++)
		if (s->keys[i].place.path && !strcmp(s->keys[i].place.path, path))
			return 1;
	return 0;
}

static const ord_ls_tool *tool_of(const ord_laststate *s, const char *id)
{
	size_t i;

	for (i = 0; i < s->ntools; i++)
		if (!strcmp(s->tools[i].id, id))
			return &s->tools[i];
	return NULL;
}

static int str_differs(const char *a, const char *b)
{
	return !a != !b || (a && strcmp(a, b));
}

static int diff_places(ord_since *s)
{
	size_t i;
	ord_change *c;

	for (i = 0; i < s->cur.nkeys; i++) {
		const ord_ls_key *n = &s->cur.keys[i], *o = key_at(&s->old, &n->place);
		ord_change_kind k = o ? ORD_CHG_HOLDS : n->place.path &&
			!file_known(&s->old, n->place.path) ? ORD_CHG_NEW_FILE : ORD_CHG_ADDED;

		if (o && !strcmp(o->fp, n->fp))
			continue;
		if (!(c = add_change(s, k)))
			return ENOMEM;
		c->old_key = o;
		c->new_key = n;
	}
	for (i = 0; i < s->old.nkeys; i++) {
		if (key_at(&s->cur, &s->old.keys[i].place))
			continue;
		if (!(c = add_change(s, ORD_CHG_REMOVED)))
			return ENOMEM;
		c->old_key = &s->old.keys[i];
	}
	return 0;
}

static int diff_tools(ord_since *s)
{
	size_t i;
	ord_change *c;

	for (i = 0; i < s->cur.ntools; i++) {
		const ord_ls_tool *n = &s->cur.tools[i], *o = tool_of(&s->old, n->id);

		if (!o) {
			if (!(c = add_change(s, ORD_CHG_TOOL_NEW)))
				return ENOMEM;
			c->new_tool = n;
			continue;
		}
		if (o->has_key != n->has_key || (n->has_key && (strcmp(o->fp, n->fp) ||
		    !same_place(&o->src, &n->src)))) {
			if (!(c = add_change(s, ORD_CHG_TOOL_KEY)))
				return ENOMEM;
			c->old_tool = o;
			c->new_tool = n;
		}
		if (str_differs(o->base_url, n->base_url)) {
			if (!(c = add_change(s, ORD_CHG_TOOL_BASE)))
				return ENOMEM;
			c->old_tool = o;
			c->new_tool = n;
		}
	}
	for (i = 0; i < s->old.ntools; i++)
		if (!tool_of(&s->cur, s->old.tools[i].id)) {
			if (!(c = add_change(s, ORD_CHG_TOOL_GONE)))
				return ENOMEM;
			c->old_tool = &s->old.tools[i];
		}
	return 0;
}

int ord_since_diff(ord_since *s)
{
	int rc = diff_places(s);

	return rc ? rc : diff_tools(s);
}

void ord_since_free(ord_since *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->n; i++)
		free(s->v[i].text);
	free(s->v);
	ord_laststate_release(&s->old);
	ord_laststate_release(&s->cur);
	free(s);
}

ord_since *ord_since_compare(ord_ctx *ctx, const ord_facts *f)
{
	ord_buf b = ORD_BUF_INIT(STATE_CAP);
	char *path = ord_laststate_path(ctx);
	ord_since *s = calloc(1, sizeof(*s));
	int truncated = 0, rc;

	if (!path || !s)
		goto fail;
	rc = ord_read_file(ctx, path, STATE_CAP, &b, &truncated);
	if (rc == ENOENT)
		goto fail;
	if (!rc && (truncated || memchr(ord_buf_str(&b), '\0', b.len)))
		rc = EINVAL;
	if (!rc && (rc = ord_laststate_parse(ord_buf_str(&b), &s->old)) == ENOMEM)
		goto fail;
	if (rc) {
		ord_buf_reset(&b);
		ord_path_where(ctx, path, &b);
		ord_warn(ctx, "ignoring the last good state '%s': %s", ord_buf_str(&b),
			 rc == EINVAL ? "not a state file ordoctor wrote" : strerror(rc));
		goto fail;
	}
	if (ord_laststate_from_facts(f, f->now ? f->now : ord_now(ctx), &s->cur) || ord_since_diff(s))
		goto fail;
	ord_buf_release(&b);
	free(path);
	return s;
fail:
	ord_buf_release(&b);
	free(path);
	ord_since_free(s);
	return NULL;
}
