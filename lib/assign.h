/* assign: the record every assignment parser (dotenv, shell rc, netrc…)
 * hands to its caller, one per NAME=value it understood.
 *
 * Pointers are valid only during the callback: parsers decode escapes into
 * a scratch buffer and wipe it afterwards, because values are secrets.
 */
#ifndef ORD_ASSIGN_H
#define ORD_ASSIGN_H

#include <stddef.h>

enum {
	ORD_ASSIGN_EXPORT = 1u << 0,       /* "export NAME=…", "set -gx" */
	ORD_ASSIGN_QUOTED_SINGLE = 1u << 1,
	ORD_ASSIGN_QUOTED_DOUBLE = 1u << 2,
	ORD_ASSIGN_QUOTED_BACKTICK = 1u << 3,
	ORD_ASSIGN_CRLF = 1u << 4,         /* the line ended in CR LF */
	ORD_ASSIGN_EXPANSION = 1u << 5,    /* value refers to $VAR / ${VAR} */
	ORD_ASSIGN_UNTERMINATED = 1u << 6, /* a quote was never closed */
	ORD_ASSIGN_MULTILINE = 1u << 7,    /* the value spans lines */
	ORD_ASSIGN_CONDITIONAL = 1u << 8,  /* inside if/case/function: may not run */
	ORD_ASSIGN_COMMAND_SUBST = 1u << 9,/* $(…) or `…`: value comes from a command */
	ORD_ASSIGN_UNSET = 1u << 10,       /* dotenv: a bare NAME, python-dotenv's
					    * NAME=None: drops an earlier value */
};

typedef struct ord_assign {
	const char *name;
	size_t name_len;
	/* The value as the consumer receives it: quotes removed, escapes
	 * decoded, references left as written ("$OPENROUTER_API_KEY"). */
	const char *value;
	size_t value_len;
	/* The value's bytes exactly as written in the file, quotes included,
	 * up to the end of the value (not the comment). */
	const char *raw;
	size_t raw_len;
	/* When the whole value is one reference ("$X", "${X}", "${X:-}"),
	 * the referenced name; else NULL. */
	const char *ref;
	size_t ref_len;
	unsigned line;  /* 1-based line where the assignment starts */
	unsigned flags; /* ORD_ASSIGN_* */
} ord_assign;

/* Return non-zero to stop parsing. */
typedef int (*ord_assign_fn)(void *arg, const ord_assign *a);
/* A line the parser could not understand; msg is lowercase, no secret
 * (never quote the value), e.g. "unterminated double quote". */
typedef void (*ord_parse_error_fn)(void *arg, unsigned line, const char *msg);

#endif
