/* cfg_tree: the document tree every reader builds (cfg_json.c, cfg_yaml.c,
 * cfg_toml.c) and the query engine walks (cfg_query.c): the node arena,
 * the member table, string storage and the UTF-8 helpers.  It sits below
 * the readers and calls none of them; ord_cfg_parse, which picks a reader,
 * is in cfg.c above them. */
#include "cfg.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cfg_internal.h"

struct cfg_chunk {
	cfg_chunk *next;
	size_t cap, used;
	char data[];
};

#define CHUNK_MIN (64u * 1024)

int cfg_fail(ord_cfg *c, unsigned line, const char *msg)
{
	if (!c->failed) {
		c->failed = EINVAL;
		c->errline = line ? line : 1;
		if (c->err && c->errcap)
			snprintf(c->err, c->errcap, "%s", msg);
	}
	return -1;
}

int cfg_oom(ord_cfg *c, unsigned line)
{
	if (!c->failed) {
		cfg_fail(c, line, "out of memory");
		c->failed = ENOMEM;
	}
	return -1;
}

/* ---- strings ----------------------------------------------------------- */

char *cfg_str_reserve(ord_cfg *c, size_t n, unsigned line)
{
	cfg_chunk *k = c->chunks;
	size_t cap;

	if (n >= CFG_MAX_STRBYTES) {
		cfg_fail(c, line, "document too large");
		return NULL;
	}
	if (k && k->cap - k->used >= n + 1)
		return k->data + k->used;
	cap = n + 1 > CHUNK_MIN ? n + 1 : CHUNK_MIN;
	if (c->strbytes + cap > CFG_MAX_STRBYTES) {
		cfg_fail(c, line, "document too large");
		return NULL;
	}
	k = malloc(sizeof(*k) + cap);
	if (!k) {
		cfg_oom(c, line);
		return NULL;
	}
	k->cap = cap;
	k->used = 0;
	k->next = c->chunks;
	c->chunks = k;
	c->strbytes += cap;
	return k->data;
}

void cfg_str_commit(ord_cfg *c, size_t used)
{
	c->chunks->used += used + 1;
}

char *cfg_strdup(ord_cfg *c, const char *s, size_t n, unsigned line)
{
	char *p = cfg_str_reserve(c, n, line);

	if (!p)
		return NULL;
	if (n)
		memmove(p, s, n); /* s may be the uncommitted reservation */
	p[n] = '\0';
	cfg_str_commit(c, n);
	return p;
}

int cfg_set_text(ord_cfg *c, uint32_t idx, const char *s, size_t n)
{
	char *p = cfg_strdup(c, s, n, c->nodes[idx].line);

	if (!p)
		return -1;
	c->nodes[idx].text = p;
	c->nodes[idx].len = (uint32_t)n;
	return 0;
}

/* ---- nodes ----------------------------------------------------------- */

uint32_t cfg_add(ord_cfg *c, uint32_t parent, int type, unsigned line)
{
	cfg_node *n;
	uint32_t idx;

	if (c->failed)
		return CFG_NONE;
	if (c->n >= ORD_CFG_MAX_NODES) {
		cfg_fail(c, line, "too many values (the limit is 262144)");
		return CFG_NONE;
	}
	if (c->n == c->cap) {
		uint32_t cap = c->cap ? c->cap * 2 : 64;
		cfg_node *nn;

		if (cap > ORD_CFG_MAX_NODES)
			cap = ORD_CFG_MAX_NODES;
		nn = realloc(c->nodes, cap * sizeof(*nn));
		if (!nn) {
			cfg_oom(c, line);
			return CFG_NONE;
		}
		c->nodes = nn;
		c->cap = cap;
	}
	idx = c->n++;
	n = &c->nodes[idx];
	memset(n, 0, sizeof(*n));
	n->parent = parent;
	n->first = n->last = n->next = n->target = CFG_NONE;
	n->type = (uint8_t)type;
	n->line = line;
	if (parent != CFG_NONE) {
		cfg_node *p = &c->nodes[parent];

		if (p->last == CFG_NONE)
			p->first = idx;
		else
			c->nodes[p->last].next = idx;
		p->last = idx;
		p->count++;
	}
	return idx;
}

/* FNV-1a over the parent and the key, mixed with a per-document seed so
 * that a file cannot be crafted to collide on every key. */
static uint64_t key_hash(uint64_t seed, uint32_t parent, const char *k,
			 size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL ^ seed;
	size_t i;

	h = (h ^ parent) * 0x100000001b3ULL;
	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)k[i]) * 0x100000001b3ULL;
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ULL;
	return h ^ (h >> 32);
}

static int same_key(const cfg_node *n, uint32_t parent, const char *k,
		    size_t klen)
{
	return n->parent == parent && n->klen == klen &&
	       (!klen || !memcmp(n->key, k, klen));
}

static int hash_grow(ord_cfg *c)
{
	uint32_t ncap = c->hcap ? c->hcap * 2 : 256, i;
	uint32_t *nh = calloc(ncap, sizeof(*nh));

	if (!nh)
		return -1;
	for (i = 0; i < c->hcap; i++) {
		const cfg_node *n;
		uint32_t s;

		if (!c->hash[i])
			continue;
		n = &c->nodes[c->hash[i] - 1];
		s = (uint32_t)key_hash(c->seed, n->parent, n->key, n->klen) & (ncap - 1);
		while (nh[s])
			s = (s + 1) & (ncap - 1);
		nh[s] = c->hash[i];
	}
	free(c->hash);
	c->hash = nh;
	c->hcap = ncap;
	return 0;
}

uint32_t cfg_find(const ord_cfg *c, uint32_t parent, const char *key,
		  size_t klen)
{
	uint32_t s;

	if (!c->hcap)
		return CFG_NONE;
	s = (uint32_t)key_hash(c->seed, parent, key, klen) & (c->hcap - 1);
	for (; c->hash[s]; s = (s + 1) & (c->hcap - 1))
		if (same_key(&c->nodes[c->hash[s] - 1], parent, key, klen))
			return c->hash[s] - 1;
	return CFG_NONE;
}

uint32_t cfg_index(ord_cfg *c, uint32_t idx)
{
	const cfg_node *n = &c->nodes[idx];
	uint32_t s, old;

	if ((c->hused + 1) * 2 > c->hcap && hash_grow(c)) {
		cfg_oom(c, n->line);
		return CFG_NONE;
	}
	s = (uint32_t)key_hash(c->seed, n->parent, n->key, n->klen) & (c->hcap - 1);
	for (; c->hash[s]; s = (s + 1) & (c->hcap - 1)) {
		if (same_key(&c->nodes[c->hash[s] - 1], n->parent, n->key, n->klen)) {
			old = c->hash[s] - 1;
			c->hash[s] = idx + 1;
			return old;
		}
	}
	c->hash[s] = idx + 1;
	c->hused++;
	return CFG_NONE;
}

uint32_t cfg_add_member(ord_cfg *c, uint32_t parent, int type, unsigned line,
			const char *key, size_t klen, uint32_t *prev)
{
	uint32_t idx, old;
	char *k;

	if (prev)
		*prev = CFG_NONE;
	k = cfg_strdup(c, key, klen, line);
	if (!k)
		return CFG_NONE;
	idx = cfg_add(c, parent, type, line);
	if (idx == CFG_NONE)
		return CFG_NONE;
	c->nodes[idx].key = k;
	c->nodes[idx].klen = (uint32_t)klen;
	old = cfg_index(c, idx);
	if (c->failed)
		return CFG_NONE;
	if (prev)
		*prev = old;
	return idx;
}

/* ---- UTF-8 ------------------------------------------------------------- */

unsigned cfg_utf8_check(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *e = p + n;
	unsigned line = 1;

	while (p < e) {
		unsigned char b = *p;
		size_t need, i;
		uint32_t cp;

		if (b < 0x80) {
			if (b == '\n' || (b == '\r' && (p + 1 == e || p[1] != '\n')))
				line++;
			p++;
			continue;
		}
		if (b >= 0xc2 && b <= 0xdf) {
			need = 1;
			cp = b & 0x1f;
		} else if (b >= 0xe0 && b <= 0xef) {
			need = 2;
			cp = b & 0x0f;
		} else if (b >= 0xf0 && b <= 0xf4) {
			need = 3;
			cp = b & 0x07;
		} else {
			return line;
		}
		if ((size_t)(e - p) <= need)
			return line;
		for (i = 1; i <= need; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return line;
			cp = (cp << 6) | (p[i] & 0x3f);
		}
		if ((need == 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
		    (need == 3 && (cp < 0x10000 || cp > 0x10ffff)))
			return line;
		p += need + 1;
	}
	return 0;
}

long cfg_hex(const char *p, const char *e, int n)
{
	long v = 0;
	int i;

	if (e - p < n)
		return -1;
	for (i = 0; i < n; i++) {
		int d = ord_hexval((unsigned char)p[i]);

		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

size_t cfg_utf8_put(char *out, uint32_t cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* ---- the document ----------------------------------------------------- */

void ord_cfg_free(ord_cfg *c)
{
	cfg_chunk *k, *next;

	if (!c)
		return;
	for (k = c->chunks; k; k = next) {
		next = k->next;
		ord_wipe(k->data, k->cap);
		free(k);
	}
	free(c->nodes);
	free(c->hash);
	free(c);
}
