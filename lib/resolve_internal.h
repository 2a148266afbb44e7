/* Shared by resolve.c (the chain of sources, presence, the verdict-free
 * resolution of each tool) and resolve_read.c (reading one source's value:
 * paths, hits, config files, substitutions, list forms); not public API. */
#ifndef ORD_RESOLVE_INTERNAL_H
#define ORD_RESOLVE_INTERNAL_H

#include "cfg.h"
#include "compose.h"
#include "resolve.h"

/* rs_*: the helpers resolve.c takes from resolve_read.c. */

typedef struct cfg_entry {
	char *path;
	ord_cfg *doc; /* NULL: missing or unparsable */
} cfg_entry;

typedef struct rstate {
	ord_ctx *ctx;
	ord_hits *hits;
	char *git_root; /* NULL outside a repository */
	cfg_entry *cache; /* every config path looked at, parsed or not */
	size_t ncache, capcache;
	/* the key's `store command` line met while evaluating a tool's keys
	 * (moved to its ord_tool_res): the command, its line, why not run */
	char *cmd;
	unsigned cmd_line;
	char *cmd_why;
	/* the Compose project of `compose` sources, computed once */
	ord_compose compose;
	char *compose_dir; /* the directory it was looked up from, or NULL */
} rstate;

typedef struct first_val {
	char *text;
	size_t len;
	unsigned line;
	int type;
	int count;
} first_val;

char *rs_expand_path(rstate *r, const char *p);
long rs_add_hit(rstate *r, ord_source_kind kind, ord_role role, const char *path,
		    unsigned line, const char *name, const char *value, size_t len);
long rs_env_hit(rstate *r, const char *name, ord_role role);
long rs_dotenv_hit(rstate *r, const char *path, const char *name, ord_role role);
ord_cfg *rs_cfg_get(rstate *r, const char *path, const char *format);
int rs_query_first(rstate *r, ord_cfg *doc, const char *path, const char *field,
		       first_val *out);
void rs_first_release(first_val *f);
long rs_list_part(rstate *r, long hit);
long rs_prefix_part(rstate *r, long hit, const char *prefix);
int rs_when_holds(rstate *r, ord_cfg *doc, const char *path, const ord_psrc *s);
long rs_config_hit(rstate *r, const ord_profile *p, const ord_psrc *s,
		       const char *path, ord_role role, long *via, unsigned *style);
int rs_is_config_file(const char *path);
/* resolve_compose.c: NAME in the first Compose service that has an entry
 * for it; the entry's hit, and in *via the place an entry that is one
 * reference took its value from (the .env line, the environment), or -1. */
long rs_compose_hit(rstate *r, const ord_psrc *s, const char *dir, ord_role role, long *via);
void rs_compose_release(rstate *r);
const char *rs_ext_format_of(const char *path);

/* resolve_cond.c: whether a line takes part (unless=, when-env=, if=) and
 * whether a set value is one the tool skips (min-len=, placeholder=) */
int rs_unless_holds(rstate *r, const ord_psrc *s);
int rs_when_env_holds(rstate *r, const ord_psrc *s);
int rs_if_holds(rstate *r, const ord_psrc *s);
int rs_value_unusable(const ord_psrc *s, const ord_key *k);

#endif
