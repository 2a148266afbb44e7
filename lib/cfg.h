/* cfg: JSON (JSONC, JSON5), YAML and TOML configuration files as one tree
 * whose every node knows its 1-based source line, and the FIELD paths of
 * tool profiles (docs/profiles.md) evaluated on it.
 *
 * Input is untrusted: nesting is capped at ORD_CFG_MAX_DEPTH, the tree at
 * ORD_CFG_MAX_NODES values, and a malformed or hostile file gives EINVAL
 * with a one-line reason, never a crash.  Values are secrets: error
 * messages never quote the document (not even key names, since a stray key
 * sitting where a name belongs may be one), and the string storage is
 * wiped by ord_cfg_free.
 *
 * Formats:
 *   ORD_CFG_JSON   RFC 8259 plus JSONC as VS Code, opencode and Claude
 *                  settings allow: // and block comments, trailing commas
 *                  in objects and arrays.  A UTF-8 BOM is skipped.
 *   ORD_CFG_JSON5  JSON plus JSON5 (OpenClaw's openclaw.json): unquoted
 *                  identifier keys, single-quoted strings, \x and line
 *                  continuation escapes, hex numbers, leading or trailing
 *                  decimal points, +, Infinity and NaN.
 *   ORD_CFG_YAML   YAML 1.1/1.2 through libyaml: block and flow styles,
 *                  block scalars, anchors and aliases (resolved, a
 *                  recursive alias is an error), merge keys (<<), tags
 *                  (kept, see ord_cfg_value.tag).  Only the first document
 *                  of a multi-document stream is read.  Plain scalars are
 *                  typed by the YAML 1.2 core schema (yes/no/on/off are
 *                  strings; PyYAML would read booleans).
 *   ORD_CFG_TOML   TOML 1.0.  Date-times are STRING values as written.
 *
 * Duplicate keys: in JSON and YAML the last one wins (JSON.parse, Python,
 * Go, PyYAML) and the earlier ones are invisible to queries; in TOML a
 * duplicate is an error, as the spec says.
 */
#ifndef ORD_CFG_H
#define ORD_CFG_H

#include <stddef.h>

#define ORD_CFG_MAX_DEPTH 64
#define ORD_CFG_MAX_NODES 262144

typedef enum {
	ORD_CFG_JSON,
	ORD_CFG_YAML,
	ORD_CFG_TOML,
	ORD_CFG_JSON5,
} ord_cfg_format;

typedef enum {
	ORD_CFG_NULL,
	ORD_CFG_BOOL,
	ORD_CFG_NUMBER,
	ORD_CFG_STRING,
	ORD_CFG_OBJECT,
	ORD_CFG_ARRAY,
} ord_cfg_type;

typedef struct ord_cfg ord_cfg;  /* a parsed document */

/* Parse len bytes of data (need not be NUL-terminated; NUL bytes are an
 * error in every format).  Returns 0 and a document in *out; or EINVAL
 * with a one-line lowercase reason in err ("expected ':' after key") and
 * the 1-based line in *errline; or ENOMEM.  err and errline may be NULL. */
int ord_cfg_parse(ord_cfg **out, ord_cfg_format f, const char *data,
		  size_t len, char *err, size_t errcap, unsigned *errline);
/* Wipes the string storage and frees; NULL is fine. */
void ord_cfg_free(ord_cfg *c);

typedef struct ord_cfg_value {
	ord_cfg_type type;
	/* Scalars: the decoded string (NUL-terminated, but a JSON \u0000 may
	 * put a NUL inside: use len); numbers and booleans as written, null as
	 * written ("" when the value is absent, as in YAML "key:").  Objects
	 * and arrays: NULL.  Valid until ord_cfg_free. */
	const char *text;
	/* Scalars: bytes of text.  Objects and arrays: number of members. */
	size_t len;
	/* Where the entry starts: an object member's key line (the [table]
	 * header line for a TOML table), else the line where the value
	 * starts.  For a YAML alias, the line of the anchored original: that
	 * is where the text is written. */
	unsigned line;
	/* The concrete path of this match, itself a valid query path, e.g.
	 * "Providers[0].api_key" or "services.agent.environment[0]".  Valid
	 * only during the callback. */
	const char *path;
	/* YAML only: the node's explicit tag as libyaml reports it ("!secret",
	 * "tag:yaml.org,2002:str"), else NULL. */
	const char *tag;
	/* 1 when the match is a NAME=VALUE string of an array (see the path
	 * syntax): text is what follows the '=', or "" with type NULL for a
	 * bare NAME. */
	int assign;
} ord_cfg_value;

/* Path syntax (the FIELD of profile sources):
 *
 *   name          an object member; dot-separated: provider.openrouter.apiKey.
 *                 A bare name is any bytes but . [ ] and "; names like
 *                 api-key, $schema or openrouter:default need no quoting.
 *   ["a.b"]       a quoted member name (\" \\ \n \r \t \xHH escapes).
 *   *             every member of an object or element of an array.
 *   [N]           element N (from 0) of an array.
 *   [*]           the same as .*
 *   [F=V]         the elements of an array, or the members of an object,
 *                 whose field F is a scalar (not null) whose text is V.  F is
 *                 a dotted path of names (each bare or "quoted"), evaluated
 *                 from the element: model_list[litellm_params.model^=openrouter/].
 *                 Operators: = equal, ^= starts with, *= contains, ~= equal
 *                 ignoring ASCII case.  V is bare (up to the ']') or "quoted".
 *
 *   A name step applied to an array matches the array's string elements
 *   of the form NAME=VALUE, and a bare NAME (with type NULL): the Compose
 *   `environment:` list form (- OPENROUTER_API_KEY=${X}) and Aider's
 *   set-env lists, so services.*.environment.OPENROUTER_API_KEY finds both
 *   forms.  Such a match ends the path (it is a string); several entries
 *   with the same NAME all match, in document order.  The concrete path is
 *   the element's ("environment[0]"), and value.assign is 1.
 *
 *   A path ending on an object or array matches it (type tells); to list
 *   its contents, query value.path + ".*".
 *
 * Calls fn for every match in document order; a non-zero return from fn
 * stops the walk.  Returns the number of matches (counting the one that
 * stopped it), or -1 for a malformed path or a query that would visit more
 * than a few million nodes (alias bombs), with the reason in err. */
int ord_cfg_query(const ord_cfg *c, const char *path,
		  int (*fn)(void *arg, const ord_cfg_value *v), void *arg,
		  char *err, size_t errcap);

#endif
