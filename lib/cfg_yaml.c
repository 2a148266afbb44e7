/* cfg_yaml: YAML into the cfg tree through libyaml's event API.
 *
 * Events carry start marks, so every node gets its line for free; the
 * document API would build a second tree for nothing.  The reader keeps an
 * explicit stack of open containers (at most ORD_CFG_MAX_DEPTH), never
 * recursing.  Aliases become link nodes to the anchored node (no copy, so
 * a "billion laughs" file stays small; cfg_query bounds the walk); an
 * alias to a node still being read is a recursive alias and an error.
 * Merge keys (<<: *base, <<: [*a, *b]) are applied when their mapping
 * ends: every member of the merged mappings that the mapping does not
 * define itself is added as a link (explicit keys win, then earlier
 * merged mappings), as PyYAML and Go's yaml.v3 do.
 *
 * Only the first document is read.  libyaml copies the input into its own
 * buffers: the scalar values of events, the working buffers and any token
 * still queued are wiped before they are freed; its short-lived scanner
 * strings are not reachable and are not.
 */
#include <string.h>
#include <yaml.h>

#include "buf.h"
#include "cfg_internal.h"

typedef struct frame {
	uint32_t node;
	int mapping;
	int want_key;       /* mapping: the next node event is a key */
	uint32_t member;    /* mapping: the member whose value comes next */
} frame;

typedef struct ys {
	ord_cfg *c;
	frame stack[ORD_CFG_MAX_DEPTH];
	int depth;
	uint32_t anchors;   /* detached object: anchor name -> link */
	int have_root;
} ys;

#define TAG_PREFIX "tag:yaml.org,2002:"

static int is(const char *s, size_t n, const char *lit)
{
	return n == strlen(lit) && !memcmp(s, lit, n);
}

static int all(const char *s, const char *e, const char *set)
{
	if (s >= e)
		return 0;
	for (; s < e; s++)
		if (!strchr(set, *s))
			return 0;
	return 1;
}

/* The YAML 1.2 core schema for untagged plain scalars. */
static int plain_type(const char *s, size_t n)
{
	const char *e = s + n, *p = s, *d;

	if (!n || is(s, n, "~") || is(s, n, "null") || is(s, n, "Null") || is(s, n, "NULL"))
		return ORD_CFG_NULL;
	if (is(s, n, "true") || is(s, n, "True") || is(s, n, "TRUE") ||
	    is(s, n, "false") || is(s, n, "False") || is(s, n, "FALSE"))
		return ORD_CFG_BOOL;
	if (n > 2 && s[0] == '0' && s[1] == 'o' && all(s + 2, e, "01234567"))
		return ORD_CFG_NUMBER;
	if (n > 2 && s[0] == '0' && s[1] == 'x' && all(s + 2, e, "0123456789abcdefABCDEF"))
		return ORD_CFG_NUMBER;
	if (is(s, n, ".nan") || is(s, n, ".NaN") || is(s, n, ".NAN"))
		return ORD_CFG_NUMBER;
	if (*p == '-' || *p == '+')
		p++;
	if (is(p, (size_t)(e - p), ".inf") || is(p, (size_t)(e - p), ".Inf") ||
	    is(p, (size_t)(e - p), ".INF"))
		return ORD_CFG_NUMBER;
	/* [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )? */
	for (d = p; d < e && *d >= '0' && *d <= '9'; d++)
		;
	if (d < e && *d == '.') {
		const char *f = d + 1;

		while (f < e && *f >= '0' && *f <= '9')
			f++;
		if (d == p && f == d + 1)
			return ORD_CFG_STRING;
		d = f;
	} else if (d == p) {
		return ORD_CFG_STRING;
	}
	if (d < e && (*d == 'e' || *d == 'E')) {
		d++;
		if (d < e && (*d == '-' || *d == '+'))
			d++;
		if (d == e || !all(d, e, "0123456789"))
			return ORD_CFG_STRING;
		return ORD_CFG_NUMBER;
	}
	return d == e ? ORD_CFG_NUMBER : ORD_CFG_STRING;
}

static int scalar_type(const yaml_event_t *ev)
{
	const char *tag = (const char *)ev->data.scalar.tag;
	size_t pl = strlen(TAG_PREFIX);

	if (tag && strcmp(tag, "!")) {
		if (strncmp(tag, TAG_PREFIX, pl))
			return ORD_CFG_STRING;          /* !secret, !include ... */
		tag += pl;
		if (!strcmp(tag, "null"))
			return ORD_CFG_NULL;
		if (!strcmp(tag, "bool"))
			return ORD_CFG_BOOL;
		if (!strcmp(tag, "int") || !strcmp(tag, "float"))
			return ORD_CFG_NUMBER;
		return ORD_CFG_STRING;
	}
	if (!tag && ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE)
		return plain_type((const char *)ev->data.scalar.value,
				  ev->data.scalar.length);
	return ORD_CFG_STRING;
}

static int set_tag(ys *y, uint32_t node, const yaml_char_t *tag)
{
	const char *t;

	if (!tag)
		return 0;
	t = cfg_strdup(y->c, (const char *)tag, strlen((const char *)tag),
		       y->c->nodes[node].line);
	if (!t)
		return -1;
	y->c->nodes[node].tag = t;
	return 0;
}

static int set_anchor(ys *y, uint32_t node, const yaml_char_t *anchor)
{
	ord_cfg *c = y->c;
	uint32_t a;

	if (!anchor)
		return 0;
	if (y->anchors == CFG_NONE) {
		y->anchors = cfg_add(c, CFG_NONE, ORD_CFG_OBJECT, 0);
		if (y->anchors == CFG_NONE)
			return -1;
	}
	a = cfg_add_member(c, y->anchors, CFG_LINK, c->nodes[node].line,
			   (const char *)anchor, strlen((const char *)anchor), NULL);
	if (a == CFG_NONE)
		return -1;
	c->nodes[a].target = node;   /* redefinition: the later one wins */
	return 0;
}

static uint32_t alias_target(ys *y, const yaml_event_t *ev, unsigned line)
{
	const char *name = (const char *)ev->data.alias.anchor;
	uint32_t a = CFG_NONE;

	if (y->anchors != CFG_NONE)
		a = cfg_find(y->c, y->anchors, name, strlen(name));
	if (a == CFG_NONE) {
		cfg_fail(y->c, line, "alias to an undefined anchor");
		return CFG_NONE;
	}
	a = y->c->nodes[a].target;
	if (y->c->nodes[a].flags & CFG_F_OPEN) {
		cfg_fail(y->c, line, "recursive alias");
		return CFG_NONE;
	}
	return a;
}

/* A key event of the mapping on top: create the member, value to come. */
static int key_event(ys *y, const yaml_event_t *ev, unsigned line)
{
	ord_cfg *c = y->c;
	frame *f = &y->stack[y->depth - 1];
	const char *k;
	size_t kl;
	uint32_t m, prev, t;
	int merge = 0;

	if (ev->type == YAML_SCALAR_EVENT) {
		k = (const char *)ev->data.scalar.value;
		kl = ev->data.scalar.length;
		merge = is(k, kl, "<<") && !ev->data.scalar.tag &&
			ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
	} else if (ev->type == YAML_ALIAS_EVENT) {
		if ((t = alias_target(y, ev, line)) == CFG_NONE)
			return -1;
		if (c->nodes[t].type == ORD_CFG_OBJECT || c->nodes[t].type == ORD_CFG_ARRAY)
			return cfg_fail(c, line, "complex mapping keys are not supported");
		k = c->nodes[t].text;
		kl = c->nodes[t].len;
	} else {
		return cfg_fail(c, line, "complex mapping keys are not supported");
	}
	if (merge) {
		m = cfg_add(c, f->node, ORD_CFG_NULL, line);
		if (m == CFG_NONE || !(c->nodes[m].key = cfg_strdup(c, "<<", 2, line)))
			return -1;
		c->nodes[m].klen = 2;
		c->nodes[m].flags |= CFG_F_MERGE;
	} else {
		m = cfg_add_member(c, f->node, ORD_CFG_NULL, line, k, kl, &prev);
		if (m == CFG_NONE)
			return -1;
		if (prev != CFG_NONE)
			c->nodes[prev].flags |= CFG_F_DEAD;
	}
	if (ev->type == YAML_SCALAR_EVENT && ev->data.scalar.anchor) {
		/* an anchored key: a detached scalar stands for it */
		uint32_t s = cfg_add(c, CFG_NONE, ORD_CFG_STRING, line);

		if (s == CFG_NONE || cfg_set_text(c, s, k, kl) ||
		    set_anchor(y, s, ev->data.scalar.anchor))
			return -1;
	}
	f->member = m;
	f->want_key = 0;
	return 0;
}

/* Add every member of src that map lacks, as links. */
static int merge_from(ys *y, uint32_t map, uint32_t src, unsigned line)
{
	ord_cfg *c = y->c;
	uint32_t s, l;

	if (c->nodes[src].type != ORD_CFG_OBJECT)
		return cfg_fail(c, line, "merge key (<<) value is not a mapping");
	for (s = c->nodes[src].first; s != CFG_NONE; s = c->nodes[s].next) {
		if (c->nodes[s].flags & (CFG_F_DEAD | CFG_F_MERGE))
			continue;
		if (cfg_find(c, map, c->nodes[s].key, c->nodes[s].klen) != CFG_NONE)
			continue;
		l = cfg_add(c, map, CFG_LINK, c->nodes[s].line);
		if (l == CFG_NONE)
			return -1;
		c->nodes[l].key = c->nodes[s].key;
		c->nodes[l].klen = c->nodes[s].klen;
		c->nodes[l].target = cfg_resolve(c, s);
		cfg_index(c, l);
		if (c->failed)
			return -1;
	}
	return 0;
}

static int apply_merges(ys *y, uint32_t map)
{
	ord_cfg *c = y->c;
	uint32_t m, v, e;

	for (m = c->nodes[map].first; m != CFG_NONE; m = c->nodes[m].next) {
		if (!(c->nodes[m].flags & CFG_F_MERGE) || (c->nodes[m].flags & CFG_F_DEAD))
			continue;
		c->nodes[m].flags |= CFG_F_DEAD;
		v = cfg_resolve(c, m);
		if (c->nodes[v].type != ORD_CFG_ARRAY) {
			if (merge_from(y, map, v, c->nodes[m].line))
				return -1;
			continue;
		}
		for (e = c->nodes[v].first; e != CFG_NONE; e = c->nodes[e].next)
			if (merge_from(y, map, cfg_resolve(c, e), c->nodes[m].line))
				return -1;
	}
	return 0;
}

static int node_event(ys *y, const yaml_event_t *ev)
{
	ord_cfg *c = y->c;
	unsigned line = (unsigned)ev->start_mark.line + 1;
	frame *top = y->depth ? &y->stack[y->depth - 1] : NULL;
	const yaml_char_t *anchor = NULL, *tag = NULL;
	uint32_t node, t;

	if (top && top->mapping && top->want_key)
		return key_event(y, ev, line);
	if (!top) {
		if (y->have_root)
			return cfg_fail(c, line, "unexpected second root node");
		y->have_root = 1;
		node = cfg_add(c, CFG_NONE, ORD_CFG_NULL, line);
	} else if (top->mapping) {
		node = top->member;
		top->want_key = 1;
	} else {
		node = cfg_add(c, top->node, ORD_CFG_NULL, line);
	}
	if (node == CFG_NONE)
		return -1;
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		c->nodes[node].type = (uint8_t)scalar_type(ev);
		if (cfg_set_text(c, node, (const char *)ev->data.scalar.value,
				 ev->data.scalar.length))
			return -1;
		anchor = ev->data.scalar.anchor;
		tag = ev->data.scalar.tag;
		break;
	case YAML_ALIAS_EVENT:
		if ((t = alias_target(y, ev, line)) == CFG_NONE)
			return -1;
		c->nodes[node].type = CFG_LINK;
		c->nodes[node].target = cfg_resolve(c, t);
		return 0;
	case YAML_MAPPING_START_EVENT:
	case YAML_SEQUENCE_START_EVENT:
		if (y->depth == ORD_CFG_MAX_DEPTH)
			return cfg_fail(c, line, "nesting deeper than 64 levels");
		if (ev->type == YAML_MAPPING_START_EVENT) {
			c->nodes[node].type = ORD_CFG_OBJECT;
			anchor = ev->data.mapping_start.anchor;
			tag = ev->data.mapping_start.tag;
		} else {
			c->nodes[node].type = ORD_CFG_ARRAY;
			anchor = ev->data.sequence_start.anchor;
			tag = ev->data.sequence_start.tag;
		}
		c->nodes[node].flags |= CFG_F_OPEN;
		y->stack[y->depth].node = node;
		y->stack[y->depth].mapping = ev->type == YAML_MAPPING_START_EVENT;
		y->stack[y->depth].want_key = 1;
		y->stack[y->depth].member = CFG_NONE;
		y->depth++;
		break;
	default:
		return 0;
	}
	if (set_tag(y, node, tag) || set_anchor(y, node, anchor))
		return -1;
	return 0;
}

static int end_event(ys *y, const yaml_event_t *ev)
{
	ord_cfg *c = y->c;
	uint32_t node;

	if (!y->depth)
		return 0;
	node = y->stack[--y->depth].node;
	if (ev->type == YAML_MAPPING_END_EVENT &&
	    apply_merges(y, node))
		return -1;
	c->nodes[node].flags &= (uint8_t)~CFG_F_OPEN;
	return 0;
}

static unsigned offset_line(const char *data, size_t len, size_t off)
{
	unsigned line = 1;
	size_t i;

	if (off > len)
		off = len;
	for (i = 0; i < off; i++)
		if (data[i] == '\n' || (data[i] == '\r' && (i + 1 >= len || data[i + 1] != '\n')))
			line++;
	return line;
}

static void parser_error(ord_cfg *c, const yaml_parser_t *p, const char *data,
			 size_t len)
{
	/* libyaml's problem and context strings are static texts ("did not
	 * find expected key", "while parsing a block mapping") that never
	 * quote the input. */
	char msg[160];
	unsigned line;

	if (p->error == YAML_MEMORY_ERROR) {
		cfg_oom(c, 1);
		return;
	}
	if (p->error == YAML_READER_ERROR)
		line = offset_line(data, len, p->problem_offset);
	else
		line = (unsigned)p->problem_mark.line + 1;
	if (p->context)
		snprintf(msg, sizeof(msg), "%s %s", p->problem ? p->problem : "invalid yaml",
			 p->context);
	else
		snprintf(msg, sizeof(msg), "%s", p->problem ? p->problem : "invalid yaml");
	cfg_fail(c, line, msg);
}

static void wipe_parser(yaml_parser_t *p)
{
	yaml_token_t *t;

	if (p->buffer.start)
		ord_wipe(p->buffer.start, (size_t)(p->buffer.end - p->buffer.start));
	if (p->raw_buffer.start)
		ord_wipe(p->raw_buffer.start,
			 (size_t)(p->raw_buffer.end - p->raw_buffer.start));
	for (t = p->tokens.head; t && t != p->tokens.tail; t++)
		if (t->type == YAML_SCALAR_TOKEN && t->data.scalar.value)
			ord_wipe(t->data.scalar.value, t->data.scalar.length);
}

int cfg_parse_yaml(ord_cfg *c, const char *data, size_t len)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	ys y;
	int done = 0, docs = 0;

	memset(&y, 0, sizeof(y));
	y.c = c;
	y.anchors = CFG_NONE;
	if (memchr(data, '\0', len))
		return cfg_fail(c, offset_line(data, len, (size_t)((const char *)
				memchr(data, '\0', len) - data)), "nul byte in document");
	if (!yaml_parser_initialize(&parser))
		return cfg_oom(c, 1);
	yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
	while (!done && !c->failed) {
		if (!yaml_parser_parse(&parser, &ev)) {
			parser_error(c, &parser, data, len);
			break;
		}
		switch (ev.type) {
		case YAML_DOCUMENT_START_EVENT:
			docs++;
			break;
		case YAML_DOCUMENT_END_EVENT:
		case YAML_STREAM_END_EVENT:
			done = 1;
			break;
		case YAML_SCALAR_EVENT:
		case YAML_ALIAS_EVENT:
		case YAML_MAPPING_START_EVENT:
		case YAML_SEQUENCE_START_EVENT:
			node_event(&y, &ev);
			break;
		case YAML_MAPPING_END_EVENT:
		case YAML_SEQUENCE_END_EVENT:
			end_event(&y, &ev);
			break;
		default:
			break;
		}
		if (ev.type == YAML_SCALAR_EVENT && ev.data.scalar.value)
			ord_wipe(ev.data.scalar.value, ev.data.scalar.length);
		yaml_event_delete(&ev);
	}
	wipe_parser(&parser);
	yaml_parser_delete(&parser);
	if (c->failed)
		return -1;
	if (!y.have_root)  /* an empty stream: a null document */
		cfg_add(c, CFG_NONE, ORD_CFG_NULL, 1);
	(void)docs;
	return c->failed ? -1 : 0;
}
