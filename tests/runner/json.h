/* json.h: the JSON path engine shared by json.c (paths, conditions,
 * evaluation) and jsonassert.c (the assertion forms, parsing stdout). */
#ifndef ORD_RUNNER_JSON_H
#define ORD_RUNNER_JSON_H

#include <json-c/json.h>
#include <stddef.h>

enum { SEG_KEY, SEG_INDEX, SEG_WILD };
enum { OP_EQ, OP_NE, OP_CONTAINS, OP_LENGTH, OP_EXISTS, OP_MISSING, OP_MATCHES };

typedef struct jseg {
	int type;
	char *key;
	long idx;
} jseg;

typedef struct jpath {
	jseg *v;
	size_t n;
	int wild;
} jpath;

typedef struct jcond {
	jpath path;
	int op;
	json_object *val;
	long n;
	char *last;     /* what the last leaf looked like, for messages */
	char *seen;     /* the first few leaves, for Json-Any messages */
	size_t nseen;
} jcond;

/* Parse a path at *sp, stopping at whitespace; 0 or -1 (*err). */
int rc_jpath_parse(const char **sp, jpath *p, char **err);
void rc_jpath_free(jpath *p);
/* Parse "PATH OP [VALUE]" (the whole rest of *sp). */
int rc_jcond_parse(const char **sp, jcond *c, char **err);
void rc_jcond_free(jcond *c);
/* Does some expansion of the path below node satisfy c?  *leaves counts
 * the leaves tried. */
int rc_jcond_any(json_object *node, const jseg *s, size_t n, jcond *c,
		 size_t *leaves);
/* Every node the path reaches (all [*] expanded). */
void rc_jpath_expand(json_object *node, const jseg *s, size_t n,
		     json_object ***out, size_t *nout);

#endif
