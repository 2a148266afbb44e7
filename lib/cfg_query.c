/* cfg_query: FIELD paths (cfg.h has the syntax) evaluated on a cfg tree.
 *
 * The path is parsed into at most QMAX_STEPS steps; the walk recurses once
 * per step, so its depth is bounded by the path (a profile's, not the
 * file's).  Every node visited costs one unit of a budget, which stops an
 * alias bomb (ten aliases to ten aliases to ...) from turning one
 * wildcard path into billions of matches.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cfg_internal.h"

#define QMAX_LEN 1024
#define QMAX_STEPS 32
#define QMAX_FIELDS 8
#define QBUDGET (1ul << 22)
#define QPATH_MAX (16u * 1024 * 1024)

enum { ST_NAME, ST_ANY, ST_INDEX, ST_FILTER };
enum { OP_EQ, OP_PREFIX, OP_CONTAINS, OP_ICASE };

typedef struct qname {
	const char *s;
	size_t n;
} qname;

typedef struct step {
	int kind;
	qname name;                  /* ST_NAME */
	unsigned long index;         /* ST_INDEX */
	qname fields[QMAX_FIELDS];   /* ST_FILTER */
	int nfields, op;
	qname val;
} step;

typedef struct query {
	const ord_cfg *c;
	step steps[QMAX_STEPS];
	int nsteps;
	char names[QMAX_LEN + 1];    /* decoded quoted names */
	size_t used;
	ord_buf path;
	int (*fn)(void *arg, const ord_cfg_value *v);
	void *arg;
	int count, stop;
	const char *fail;            /* set when the walk is abandoned */
	unsigned long visits;
} query;

/* ---- the path ---------------------------------------------------------- */

/* A "quoted" name at *pp (on the quote), decoded into q->names. */
static const char *quoted(query *q, const char **pp, qname *out)
{
	const char *p = *pp + 1;
	char *o = q->names + q->used;

	out->s = o;
	for (; *p != '"'; p++) {
		if (!*p)
			return "unterminated quote in path";
		if (*p != '\\') {
			*o++ = *p;
			continue;
		}
		switch (*++p) {
		case '"': case '\\': *o++ = *p; break;
		case 'n': *o++ = '\n'; break;
		case 'r': *o++ = '\r'; break;
		case 't': *o++ = '\t'; break;
		case 'x':
			if (ord_hexval(p[1]) < 0 || ord_hexval(p[2]) < 0)
				return "invalid escape in path";
			*o++ = (char)(ord_hexval(p[1]) * 16 + ord_hexval(p[2]));
			p += 2;
			break;
		default:
			return "invalid escape in path";
		}
	}
	out->n = (size_t)(o - out->s);
	q->used += out->n;
	*pp = p + 1;
	return NULL;
}

/* [ ... ] at *pp (on the '['). */
static const char *bracket(query *q, const char **pp, step *st)
{
	const char *p = *pp + 1, *e;

	if (*p == '"') {
		st->kind = ST_NAME;
		if ((e = quoted(q, &p, &st->name)))
			return e;
	} else if (p[0] == '*' && p[1] == ']') {
		st->kind = ST_ANY;
		p++;
	} else {
		for (e = p; *e >= '0' && *e <= '9'; e++)
			;
		if (e > p && *e == ']') {
			if (e - p > 9)
				return "array index too large in path";
			st->kind = ST_INDEX;
			for (st->index = 0; p < e; p++)
				st->index = st->index * 10 + (unsigned long)(*p - '0');
		} else {
			st->kind = ST_FILTER;
			for (;;) {
				qname *f;

				if (st->nfields == QMAX_FIELDS)
					return "too many fields in filter";
				f = &st->fields[st->nfields++];
				if (*p == '"') {
					if ((e = quoted(q, &p, f)))
						return e;
				} else {
					for (f->s = p; *p && !strchr(".[]\"=^*~", *p); p++)
						;
					f->n = (size_t)(p - f->s);
				}
				if (!f->n)
					return "empty field name in filter";
				if (*p != '.')
					break;
				p++;
			}
			if (*p == '=')
				st->op = OP_EQ;
			else if (*p && p[1] == '=' && strchr("^*~", *p))
				st->op = *p == '^' ? OP_PREFIX : *p == '*' ? OP_CONTAINS : OP_ICASE;
			else
				return "expected '=', '^=', '*=' or '~=' in filter";
			p += st->op == OP_EQ ? 1 : 2;
			if (*p == '"') {
				if ((e = quoted(q, &p, &st->val)))
					return e;
			} else {
				for (st->val.s = p; *p && *p != ']'; p++)
					;
				st->val.n = (size_t)(p - st->val.s);
			}
		}
	}
	if (*p != ']')
		return "expected ']' in path";
	*pp = p + 1;
	return NULL;
}

static const char *parse_path(query *q, const char *s)
{
	const char *p = s, *e;

	if (!*s)
		return "empty path";
	if (strlen(s) > QMAX_LEN)
		return "path too long";
	while (*p) {
		step *st;

		if (q->nsteps == QMAX_STEPS)
			return "too many steps in path";
		st = &q->steps[q->nsteps];
		memset(st, 0, sizeof(*st));
		if (q->nsteps && *p != '[') {
			if (*p != '.')
				return "expected '.' or '[' in path";
			p++;
		}
		if (*p == '[') {
			if ((e = bracket(q, &p, st)))
				return e;
		} else {
			for (st->name.s = p; *p && !strchr(".[]\"", *p); p++)
				;
			st->name.n = (size_t)(p - st->name.s);
			if (!st->name.n)
				return *p == '"' ? "quoted names go in brackets: [\"a.b\"]" :
					"empty name in path";
			st->kind = st->name.n == 1 && *st->name.s == '*' ? ST_ANY : ST_NAME;
		}
		q->nsteps++;
	}
	return NULL;
}

/* ---- the walk ---------------------------------------------------------- */

static int spend(query *q)
{
	if (++q->visits > QBUDGET) {
		q->fail = "query visits too many nodes";
		q->stop = 1;
	}
	return q->stop;
}

static int live(const cfg_node *n)
{
	return !(n->flags & CFG_F_DEAD);
}

/* The live member of object obj named nm. */
static uint32_t member(query *q, uint32_t obj, const char *s, size_t n)
{
	const ord_cfg *c = q->c;
	uint32_t m;

	for (m = c->nodes[obj].first; m != CFG_NONE; m = c->nodes[m].next) {
		if (spend(q))
			return CFG_NONE;
		if (live(&c->nodes[m]) && c->nodes[m].klen == n &&
		    (!n || !memcmp(c->nodes[m].key, s, n)))
			return m;
	}
	return CFG_NONE;
}

static int plain_name(const char *s, size_t n)
{
	size_t i;

	if (!n || (n == 1 && *s == '*'))
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch < 0x20 || ch == 0x7f || strchr(".[]\"\\", ch))
			return 0;
	}
	return 1;
}

static void push_name(query *q, const char *s, size_t n)
{
	int rc = 0;
	size_t i;

	if (plain_name(s, n)) {
		if (q->path.len)
			rc = ord_buf_addc(&q->path, '.');
		rc = rc ? rc : ord_buf_add(&q->path, s, n);
	} else {
		rc = ord_buf_adds(&q->path, "[\"");
		for (i = 0; i < n && !rc; i++) {
			unsigned char ch = (unsigned char)s[i];

			if (ch == '"' || ch == '\\')
				rc = ord_buf_addf(&q->path, "\\%c", ch);
			else if (ch == '\n')
				rc = ord_buf_adds(&q->path, "\\n");
			else if (ch == '\r')
				rc = ord_buf_adds(&q->path, "\\r");
			else if (ch == '\t')
				rc = ord_buf_adds(&q->path, "\\t");
			else if (ch < 0x20 || ch == 0x7f)
				rc = ord_buf_addf(&q->path, "\\x%02x", ch);
			else
				rc = ord_buf_addc(&q->path, (char)ch);
		}
		rc = rc ? rc : ord_buf_adds(&q->path, "\"]");
	}
	if (rc) {
		q->fail = "path of a match too long";
		q->stop = 1;
	}
}

static void push_index(query *q, unsigned long k)
{
	if (ord_buf_addf(&q->path, "[%lu]", k)) {
		q->fail = "path of a match too long";
		q->stop = 1;
	}
}

static void pop(query *q, size_t mark)
{
	q->path.len = mark;
	if (q->path.data)
		q->path.data[mark] = '\0';
}

static void emit(query *q, uint32_t idx, const char *text, size_t len, int assign)
{
	const ord_cfg *c = q->c;
	const cfg_node *n = &c->nodes[cfg_resolve(c, idx)];
	ord_cfg_value v;
	uint32_t m;

	if (q->stop)
		return;
	memset(&v, 0, sizeof(v));
	v.type = (ord_cfg_type)n->type;
	v.line = n->line;
	v.path = ord_buf_str(&q->path);
	v.tag = n->tag;
	if (assign) {
		v.assign = 1;
		v.type = text ? ORD_CFG_STRING : ORD_CFG_NULL;
		v.text = text ? text : "";
		v.len = len;
	} else if (n->type == ORD_CFG_OBJECT || n->type == ORD_CFG_ARRAY) {
		for (m = n->first; m != CFG_NONE; m = c->nodes[m].next)
			if (live(&c->nodes[m]))
				v.len++;
	} else {
		v.text = n->text ? n->text : "";
		v.len = n->text ? n->len : 0;
	}
	q->count++;
	if (q->fn && q->fn(q->arg, &v))
		q->stop = 1;
}

static int ieq(const char *a, const char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char x = a[i], y = b[i];

		if (x >= 'A' && x <= 'Z')
			x = (char)(x - 'A' + 'a');
		if (y >= 'A' && y <= 'Z')
			y = (char)(y - 'A' + 'a');
		if (x != y)
			return 0;
	}
	return 1;
}

static int filter_ok(query *q, const step *st, uint32_t idx)
{
	const ord_cfg *c = q->c;
	uint32_t cur = cfg_resolve(c, idx);
	const cfg_node *n;
	const char *t;
	size_t tl, vl = st->val.n, i;
	int k;

	for (k = 0; k < st->nfields; k++) {
		if (c->nodes[cur].type != ORD_CFG_OBJECT)
			return 0;
		cur = member(q, cur, st->fields[k].s, st->fields[k].n);
		if (cur == CFG_NONE)
			return 0;
		cur = cfg_resolve(c, cur);
	}
	n = &c->nodes[cur];
	if (n->type != ORD_CFG_STRING && n->type != ORD_CFG_NUMBER &&
	    n->type != ORD_CFG_BOOL)
		return 0;
	t = n->text ? n->text : "";
	tl = n->text ? n->len : 0;
	switch (st->op) {
	case OP_EQ:
		return tl == vl && !memcmp(t, st->val.s, vl);
	case OP_PREFIX:
		return tl >= vl && !memcmp(t, st->val.s, vl);
	case OP_ICASE:
		return tl == vl && ieq(t, st->val.s, vl);
	default:
		if (!vl)
			return 1;
		for (i = 0; i + vl <= tl; i++)
			if (!memcmp(t + i, st->val.s, vl))
				return 1;
		return 0;
	}
}

static void walk(query *q, uint32_t idx, int si);

/* Descend into child (member or element k) of the current node. */
static void down(query *q, uint32_t child, unsigned long k, int is_obj, int si)
{
	size_t mark = q->path.len;
	const cfg_node *n = &q->c->nodes[child];

	if (is_obj)
		push_name(q, n->key, n->klen);
	else
		push_index(q, k);
	if (!q->stop)
		walk(q, child, si + 1);
	pop(q, mark);
}

static void walk(query *q, uint32_t idx, int si)
{
	const ord_cfg *c = q->c;
	const step *st;
	uint32_t node, m;
	unsigned long k = 0;
	int obj;

	if (spend(q))
		return;
	if (si == q->nsteps) {
		emit(q, idx, NULL, 0, 0);
		return;
	}
	node = cfg_resolve(c, idx);
	st = &q->steps[si];
	obj = c->nodes[node].type == ORD_CFG_OBJECT;
	if (!obj && c->nodes[node].type != ORD_CFG_ARRAY)
		return;
	if (st->kind == ST_INDEX && obj)
		return;
	if (st->kind == ST_NAME && obj) {
		m = member(q, node, st->name.s, st->name.n);
		if (m != CFG_NONE)
			down(q, m, 0, 1, si);
		return;
	}
	for (m = c->nodes[node].first; m != CFG_NONE && !q->stop;
	     m = c->nodes[m].next, k++) {
		const cfg_node *e;

		if (spend(q) || !live(&c->nodes[m]))
			continue;
		switch (st->kind) {
		case ST_ANY:
			down(q, m, k, obj, si);
			break;
		case ST_INDEX:
			if (k == st->index) {
				down(q, m, k, 0, si);
				return;
			}
			break;
		case ST_FILTER:
			if (filter_ok(q, st, m))
				down(q, m, k, obj, si);
			break;
		default:  /* a name on an array: NAME=VALUE strings */
			e = &c->nodes[cfg_resolve(c, m)];
			if (si + 1 == q->nsteps && e->type == ORD_CFG_STRING &&
			    e->len >= st->name.n && !memcmp(e->text, st->name.s, st->name.n) &&
			    (e->len == st->name.n || e->text[st->name.n] == '=')) {
				size_t mark = q->path.len;
				int eq = e->len > st->name.n;

				push_index(q, k);
				emit(q, m, eq ? e->text + st->name.n + 1 : NULL,
				     eq ? e->len - st->name.n - 1 : 0, 1);
				pop(q, mark);
			}
			break;
		}
	}
}

int ord_cfg_query(const ord_cfg *c, const char *path,
		  int (*fn)(void *arg, const ord_cfg_value *v), void *arg,
		  char *err, size_t errcap)
{
	query *q;
	const char *e;
	int count;

	if (err && errcap)
		err[0] = '\0';
	q = calloc(1, sizeof(*q));
	if (!q) {
		if (err && errcap)
			snprintf(err, errcap, "out of memory");
		return -1;
	}
	q->c = c;
	q->fn = fn;
	q->arg = arg;
	ord_buf_init(&q->path, QPATH_MAX);
	e = path ? parse_path(q, path) : "empty path";
	if (!e && c && c->n)
		walk(q, 0, 0);
	if (!e)
		e = q->fail;
	count = q->count;
	ord_buf_release(&q->path);
	free(q);
	if (e) {
		if (err && errcap)
			snprintf(err, errcap, "%s", e);
		return -1;
	}
	return count;
}
