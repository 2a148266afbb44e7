/* cfg internals: the node arena (cfg_tree.c) shared by the three readers
 * (cfg_json.c, cfg_yaml.c, cfg_toml.c) and the query engine (cfg_query.c),
 * and the readers' entry points, which only ord_cfg_parse (cfg.c) calls.
 *
 * Nodes live in one array and refer to each other by index, so growing the
 * array never leaves a dangling pointer.  Strings (keys, scalar text, tags)
 * live in chunks that never move and are wiped on free.  A (parent, key)
 * hash table, alive during parsing only, finds members in O(1): duplicate
 * keys, TOML tables and YAML anchors need it, and a linear scan would let
 * a file of 100k keys cost 10^10 comparisons.
 */
#ifndef ORD_CFG_INTERNAL_H
#define ORD_CFG_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "cfg.h"

#define CFG_NONE UINT32_MAX
/* A node that stands for another (a YAML alias or merged member); only
 * ever points at a non-link node. */
#define CFG_LINK 15

/* node flags */
#define CFG_F_DEAD     0x01  /* replaced by a later duplicate key */
#define CFG_F_OPEN     0x02  /* YAML: container still being read */
#define CFG_F_MERGE    0x04  /* YAML: a "<<" member, resolved at the end */
#define CFG_F_IMPLICIT 0x08  /* TOML: table created by a header's prefix */
#define CFG_F_HEADER   0x10  /* TOML: table defined by a [header] */
#define CFG_F_DOTTED   0x20  /* TOML: table created by a dotted key */
#define CFG_F_FROZEN   0x40  /* TOML: inline table / static array content */
#define CFG_F_AOT      0x80  /* TOML: array created by [[header]] */

/* String storage limit: several times the 1 MiB input cap. */
#define CFG_MAX_STRBYTES (32u * 1024 * 1024)

typedef struct cfg_node {
	const char *key;     /* member name, NUL-terminated; NULL for elements */
	const char *text;    /* scalar text (NUL-terminated) or NULL */
	const char *tag;     /* YAML tag or NULL */
	uint32_t klen, len;
	uint32_t parent, first, last, next;
	uint32_t count;      /* children, dead ones included */
	uint32_t target;     /* CFG_LINK: the node this one stands for */
	unsigned line;
	uint8_t type;        /* ord_cfg_type or CFG_LINK */
	uint8_t flags;
} cfg_node;

typedef struct cfg_chunk cfg_chunk;

struct ord_cfg {
	cfg_node *nodes;
	uint32_t n, cap;
	cfg_chunk *chunks;   /* newest first */
	size_t strbytes;
	/* parse time only */
	uint32_t *hash;      /* node index + 1; 0 = empty slot */
	uint32_t hcap, hused;
	uint64_t seed;
	char *err;
	size_t errcap;
	unsigned errline;
	int failed;          /* 0, EINVAL or ENOMEM */
};

/* Record the first error (later ones are ignored); returns -1. */
int cfg_fail(ord_cfg *c, unsigned line, const char *msg);
int cfg_oom(ord_cfg *c, unsigned line);

/* Append a node as the last child of parent (CFG_NONE: the root, which
 * must be the first node).  Returns its index, or CFG_NONE after
 * recording "too many values" or ENOMEM. */
uint32_t cfg_add(ord_cfg *c, uint32_t parent, int type, unsigned line);
/* The same, as a member named key[0..klen) (copied), entered in the
 * member table.  *prev (may be NULL) receives the member it displaced
 * there (same parent and key), or CFG_NONE; the caller decides whether
 * that is a duplicate to hide (JSON, YAML) or an error (TOML). */
uint32_t cfg_add_member(ord_cfg *c, uint32_t parent, int type, unsigned line,
			const char *key, size_t klen, uint32_t *prev);
/* Enter an existing member (key set) in the member table; returns the
 * member it displaced, or CFG_NONE (or CFG_NONE after an ENOMEM, which
 * is recorded). */
uint32_t cfg_index(ord_cfg *c, uint32_t idx);
/* The member of parent named key as entered last, or CFG_NONE. */
uint32_t cfg_find(const ord_cfg *c, uint32_t parent, const char *key,
		  size_t klen);

/* Copy n bytes into string storage (NUL added); NULL after recording the
 * error. */
char *cfg_strdup(ord_cfg *c, const char *s, size_t n, unsigned line);
/* Reserve n+1 bytes to decode into; cfg_str_commit(c, used) then keeps
 * used bytes plus the NUL the caller wrote (used <= n). */
char *cfg_str_reserve(ord_cfg *c, size_t n, unsigned line);
void cfg_str_commit(ord_cfg *c, size_t used);
/* Set a scalar node's text (copied). */
int cfg_set_text(ord_cfg *c, uint32_t idx, const char *s, size_t n);

/* Follow a link to the node it stands for. */
static inline uint32_t cfg_resolve(const ord_cfg *c, uint32_t idx)
{
	if (idx != CFG_NONE && c->nodes[idx].type == CFG_LINK)
		return c->nodes[idx].target;
	return idx;
}

/* Line of the first byte that is not valid UTF-8 (overlong forms,
 * surrogates and code points above U+10FFFF included), or 0.  Lines break
 * at LF, CR LF and a lone CR. */
unsigned cfg_utf8_check(const char *s, size_t n);
/* The value of n hex digits at p (not past e), or -1. */
long cfg_hex(const char *p, const char *e, int n);
/* Encode a code point as UTF-8 into out (4 bytes room); returns length. */
size_t cfg_utf8_put(char *out, uint32_t cp);

int cfg_parse_json(ord_cfg *c, const char *data, size_t len, int json5);
int cfg_parse_yaml(ord_cfg *c, const char *data, size_t len);
int cfg_parse_toml(ord_cfg *c, const char *data, size_t len);

#endif
