/* source: discovery.  Every place a key or base URL can come from becomes an
 * ord_hit that remembers where it was found (kind, path, line, name), the
 * way curl's credentials carry their origin.
 */
#ifndef ORD_SOURCE_H
#define ORD_SOURCE_H

#include <stddef.h>

#include "ctx.h"
#include "key.h"

typedef enum ord_source_kind {
	ORD_SRC_ENV,     /* the process environment */
	ORD_SRC_DOTENV,  /* a .env file */
	ORD_SRC_RC,      /* a shell startup file, /etc/environment, … */
	ORD_SRC_NETRC,   /* ~/.netrc */
	ORD_SRC_SCAN,    /* found by `keys --scan` in an arbitrary file */
	ORD_SRC_CONFIG,  /* a tool's own config or secret store */
} ord_source_kind;

typedef enum ord_role {
	ORD_ROLE_KEY,       /* a variable some tool reads as its key */
	ORD_ROLE_BASE_URL,  /* a variable some tool reads as its base URL */
	ORD_ROLE_NEAR_MISS, /* a name no tool reads, close to one that is */
	ORD_ROLE_STRAY,     /* another name whose value looks like a key */
	ORD_ROLE_NETRC,     /* a netrc entry that applies to openrouter.ai */
} ord_role;

enum {
	ORD_HIT_SHADOWED_IN_FILE = 1u << 0, /* a later line of the same file wins */
	ORD_HIT_EMPTY_EXPANSION = 1u << 1,  /* "$X" where X is not set yet */
	ORD_HIT_EXPORTED = 1u << 2,
	ORD_HIT_QUOTED = 1u << 3,           /* quoted in a file whose parser strips quotes */
	ORD_HIT_CONDITIONAL = 1u << 4,
	ORD_HIT_COMMAND = 1u << 5,          /* value is a $(command): not known */
	/* a config value that is one reference ({env:X}, ${{ secrets.X }}):
	 * the key lives where X is set, so this is not a place of the key */
	ORD_HIT_TEMPLATE = 1u << 6,
	/* below ~/.bashrc's interactive-only guard (guard_line): cron,
	 * systemd, IDE tasks and `bash -c` never run it */
	ORD_HIT_INTERACTIVE_ONLY = 1u << 7,
	/* the value is a command's output, run by --run-helpers (lib/helper.h);
	 * the note names the command */
	ORD_HIT_FROM_HELPER = 1u << 8,
	/* a systemd unit's empty Environment= on a later line drops it */
	ORD_HIT_DROPPED = 1u << 9,
};

typedef struct ord_hit {
	ord_source_kind kind;
	ord_role role;
	char *path;      /* absolute; NULL for the environment */
	unsigned line;   /* 0 when not applicable */
	char *name;      /* variable or field name */
	char *field;     /* e.g. "password" for netrc, JSON path for configs */
	ord_key key;     /* the value (keys and base URLs alike) */
	unsigned flags;  /* ORD_HIT_* */
	unsigned guard_line; /* ORD_HIT_INTERACTIVE_ONLY: the guard's first line */
	char *note;      /* one line of extra evidence, or NULL */
	/* For environment hits: the startup-file hit that sets the same
	 * value, or -1 when set outside any startup file. */
	long origin;
} ord_hit;

typedef struct ord_hits {
	ord_hit *v;
	size_t n, cap;
} ord_hits;

void ord_hits_init(ord_hits *h);
void ord_hits_release(ord_hits *h);
/* Takes ownership of nothing: copies path/name/field/value. */
ord_hit *ord_hits_add(ord_hits *h, ord_source_kind kind, ord_role role,
		      const char *path, unsigned line, const char *name,
		      const void *value, size_t value_len);

const char *ord_source_kind_id(ord_source_kind k);

/* Where a hit is, for sentences: "~/.env line 3", "./.env line 1", "the
 * environment".  Paths in the home start with "~", paths in the working
 * directory (when it is not the home) with "./". */
void ord_hit_where(const ord_ctx *ctx, const ord_hit *h, ord_buf *out);
char *ord_hit_where_str(const ord_ctx *ctx, const ord_hit *h); /* malloc'd */
void ord_path_where(const ord_ctx *ctx, const char *path, ord_buf *out);
const char *ord_role_id(ord_role r);

/* The vocabulary of variables (data/variables). */
typedef struct ord_varspec {
	const char *name;
	ord_role role;
	const char *form;  /* NULL, or a value form such as "provider-list" */
	const char *tools; /* comma-separated tool ids that read it, or NULL */
	int openrouter_only; /* slot=openrouter: holds nothing but our keys */
} ord_varspec;
/* NULL when the name is not one a known tool reads. */
const ord_varspec *ord_var_lookup(const char *name, size_t len);
/* Does a name look like a misspelling of a key variable? */
int ord_var_is_near_miss(const char *name, size_t len);

/* Discovery steps; each appends hits and raises warnings through ctx. */
void ord_discover_env(ord_ctx *ctx, ord_hits *out);
void ord_discover_dotenv(ord_ctx *ctx, ord_hits *out);
void ord_discover_rc(ord_ctx *ctx, ord_hits *out);
void ord_discover_netrc(ord_ctx *ctx, ord_hits *out);
/* Parse one file of the given kind (used by the steps above and tests). */
void ord_discover_dotenv_file(ord_ctx *ctx, const char *path, ord_hits *out);
/* One file of a data/places kind ("sh", "environment", "fishvars") or of
 * the start contexts' own ("crontab", "sdunit": a systemd unit, with its
 * EnvironmentFile=), outside any startup chain. */
void ord_discover_file(ord_ctx *ctx, const char *path, const char *kind, ord_hits *out);
/* All of the above, then link each environment hit to its origin. */
void ord_discover_all(ord_ctx *ctx, ord_hits *out);
void ord_link_env_origins(const ord_ctx *ctx, ord_hits *h);

/* `keys --scan DIR`: every sk-or-v1- key in text files below dir. */
typedef struct ord_scan_opts {
	size_t max_file;  /* skip larger files (default 8 MiB) */
	unsigned max_depth;
} ord_scan_opts;
void ord_scan_tree(ord_ctx *ctx, const char *dir, const ord_scan_opts *o,
		   ord_hits *out);

#endif
