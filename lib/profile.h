/* profile: tool profiles (the files of data/tools, format in docs/profiles.md).
 *
 * A profile lists, for one AI tool, where it reads its OpenRouter key and
 * base URL, highest precedence first.  Profiles are data: the embedded
 * ones can be replaced or extended by files in
 * $XDG_CONFIG_HOME/ordoctor/tools/ (same format, same file name = same id).
 */
#ifndef ORD_PROFILE_H
#define ORD_PROFILE_H

#include <stddef.h>

#include "ctx.h"

typedef enum ord_psrc_kind {
	ORD_PSRC_ENV,          /* env NAME */
	ORD_PSRC_DOTENV,       /* dotenv PATH NAME [override] */
	ORD_PSRC_JSON,         /* json PATH FIELD */
	ORD_PSRC_YAML,         /* yaml PATH FIELD */
	ORD_PSRC_TOML,         /* toml PATH FIELD */
	ORD_PSRC_ENV_INDIRECT, /* env-indirect PATH FIELD (names a variable) */
	ORD_PSRC_FIXED,        /* fixed VALUE */
	ORD_PSRC_STORE,        /* store KIND ARGS… (a place ordoctor cannot read) */
	/* compose DIR NAME: NAME in a Compose service's container, computed
	 * as Compose does (lib/compose.c) for the project found from DIR */
	ORD_PSRC_COMPOSE,
} ord_psrc_kind;

/* What an empty value does, per source (empty=… on a key: line, or the
 * profile's empty:).  Loaders differ: python-dotenv with override writes
 * "" over a shell export, a Python `a or b` chain skips "", some tools
 * stop with "key is required". */
typedef enum ord_empty_rule {
	ORD_EMPTY_UNSET,  /* "" is as if absent: the next source is read */
	ORD_EMPTY_VALUE,  /* "" is sent ("Bearer " with nothing) */
	ORD_EMPTY_MASK,   /* "" hides the lower sources of the same variable */
	ORD_EMPTY_ERROR,  /* "" makes the tool stop before sending */
	ORD_EMPTY_NONE,   /* "" wins and no credential arrives: one client stops,
			   * another sends no header (the openai SDKs) */
} ord_empty_rule;

const char *ord_empty_rule_id(ord_empty_rule e);

typedef struct ord_psrc {
	ord_psrc_kind kind;
	char *format;    /* for env-indirect: json|yaml|toml from the file name */
	char *path;      /* with <cwd>, ~/, $VAR/ … tokens; NULL for env/fixed */
	char *field;     /* variable name, field path, or the fixed value */
	int override;    /* dotenv loaded over the environment */
	char *form;      /* "provider-list", "semicolon-list", "assign-list" or NULL */
	char *assign;    /* name=NAME of form=assign-list: the NAME=VALUE entry read */
	/* store lines: the WHAT word (a field of WHERE, a table, a key id) */
	char *what;
	/* unless=PATH: the line applies only while PATH does not exist (Hermes
	 * loads its install .env over the environment only without a user
	 * .env) */
	char **unless;   /* repeatable: left out while ANY of them exists */
	size_t nunless;
	/* if=PATH[:TEXT] (repeatable, any one suffices): the line applies only
	 * in a project that loads it: PATH exists (and contains TEXT).  A .env
	 * is read by a Next.js app or one that uses dotenv, not by a plain
	 * `node` script. */
	char **ifs;
	size_t nifs;
	/* header=NAME: the value travels in its own header (x-api-key), so
	 * below a winner of another header it is sent too, not shadowed
	 * (Claude Code's ANTHROPIC_API_KEY next to ANTHROPIC_AUTH_TOKEN) */
	char *header;
	char *when_field, *when_value; /* when=FIELD:VALUE */
	/* when-env=VAR:V1|V2|-: the line applies only while the environment
	 * variable VAR has one of the values (- = unset).  LiteLLM loads its
	 * .env only when LITELLM_MODE is exactly DEV or unset; Hermes reads
	 * ~/.hermes/.env over the environment only when HERMES_HOME is unset. */
	char *when_env;
	/* min-len=N and placeholder=W1|W2…: a value shorter than N once blanks
	 * are trimmed, or equal to one of the words (any case), is skipped like
	 * an absent one (Hermes' has_usable_secret: "changeme", "dummy", …) */
	int min_len;
	char *placeholders;
	/* empty=… on the line: what an empty value in this one source does
	 * (an ord_empty_rule); -1 = the profile's empty: */
	int empty;
	/* The tool's own store (its config, or a .env only it reads) rather
	 * than a place other programs share (the environment, a project's or
	 * the home's .env).  Derived from the kind and path, or given as the
	 * option own / shared. */
	int own;
	/* at=PATH:LINE on a fixed line: where the value is written (the
	 * project's own code, lib/codescan_project.c), so the hit has a place */
	char *at_path;
	unsigned at_line;
	unsigned line;   /* line in the profile file */
} ord_psrc;

/* How the user changes a store (edit: PATH HOW "TEXT"). */
typedef enum ord_edit_how {
	ORD_EDIT_FILE,     /* edit the file by hand (the default) */
	ORD_EDIT_UI,       /* the tool rewrites it: TEXT is the settings path */
	ORD_EDIT_COMMAND,  /* TEXT is the command that rewrites it */
} ord_edit_how;

typedef struct ord_edit {
	char *path;        /* as written on the source line (unexpanded) */
	ord_edit_how how;
	char *text;
} ord_edit;

/* One run: line (docs/profiles.md).  {base} in value is the proxy's URL
 * in the tool's base form, {proxy} its bare URL. */
typedef struct ord_run_line {
	int is_env;       /* 0: `arg WORD`, a word after the program name;
			     1: `env NAME VALUE`, a variable for the tool */
	char *name;       /* the variable (env lines) */
	char *value;      /* the word, or the variable's value */
	int config_base;  /* when=config-base: only while a base: line other
			     than env (the tool's own config) wins */
} ord_run_line;

typedef struct ord_pitfall {
	char *cause, *where, *text;
} ord_pitfall;

enum {
	ORD_SUBST_DOLLAR_LITERAL = 1u << 0, /* unset $VAR stays verbatim */
	ORD_SUBST_DOLLAR_EMPTY = 1u << 1,   /* unset $VAR becomes "" */
	ORD_SUBST_ENV_BRACE = 1u << 2,      /* {env:VAR}, unset becomes "" */
	ORD_SUBST_SECRETS = 1u << 3,        /* ${{ secrets.X }} (Continue) */
	ORD_SUBST_OS_ENVIRON = 1u << 4,     /* os.environ/X (LiteLLM) */
	/* $VAR that is unset or empty: the tool drops the provider rather
	 * than send "" (Crush: "Skipping provider due to missing API key") */
	ORD_SUBST_DOLLAR_ERROR = 1u << 5,
	/* a whole value that is a variable NAME set (non-empty) in the
	 * environment is replaced by it; else it is taken literally (pi's
	 * resolveConfigValue: `process.env[v] || v`) */
	ORD_SUBST_ENV_NAME = 1u << 6,
};

typedef enum ord_base_form {
	ORD_FORM_OPENAI, ORD_FORM_ANTHROPIC, ORD_FORM_FULL, ORD_FORM_FIXED,
} ord_base_form;

typedef struct ord_profile {
	char *id, *name, *homepage;
	char *file;               /* where it was loaded from ("data/tools/x") */
	char **present;           /* "command aider", "file ~/.x", … */
	size_t npresent;
	ord_base_form base_form;
	char *default_base;       /* URL, "sdk-openai", "sdk-anthropic", "none" */
	ord_empty_rule empty;     /* empty: (default for every source) */
	unsigned subst;           /* ORD_SUBST_* */
	ord_psrc *keys, *bases;
	size_t nkeys, nbases;
	char **stores;            /* "vscode-secret EXT KEY", … */
	size_t nstores;
	ord_pitfall *pitfalls;
	size_t npitfalls;
	ord_edit *edits;
	size_t nedits;
	char **sources, **unconfirmed;
	size_t nsources, nunconfirmed;
	/* run: lines: how `ordoctor run` points the tool at its proxy when the
	 * variables run sets do not reach it */
	ord_run_line *runs;
	size_t nruns;
} ord_profile;

typedef struct ord_profiles {
	ord_profile *v;
	size_t n;
} ord_profiles;

/* Parse one profile text.  Errors go to ctx warnings as "'FILE' line N:
 * reason"; returns 0 when the profile is usable (id and at least one
 * source), else EINVAL (nothing to free then). */
int ord_profile_parse(ord_ctx *ctx, const char *file, const char *text,
		      size_t len, ord_profile *out);
void ord_profile_release(ord_profile *p);

/* Every embedded profile, then the user's directory (a file with the id
 * of an embedded one replaces it), sorted by id. */
void ord_profiles_load(ord_ctx *ctx, ord_profiles *out);
/* The same list without reading the project's code: "this project" is
 * there as an id only (for --tool and completion, which need names). */
void ord_profiles_load_ids(ord_ctx *ctx, ord_profiles *out);
void ord_profiles_release(ord_profiles *ps);
const ord_profile *ord_profiles_find(const ord_profiles *ps, const char *id);

const char *ord_base_form_id(ord_base_form f);

/* What an empty value in this source does. */
ord_empty_rule ord_psrc_empty(const ord_profile *p, const ord_psrc *s);
/* How the store a source reads is changed, or NULL (edit the file). */
const ord_edit *ord_profile_edit(const ord_profile *p, const ord_psrc *s);

/* Whether a hit's name is the variable NAME a profile line speaks of:
 * NAME itself, or a config field path ending in ".NAME" (env.NAME). */
int ord_field_names_var(const char *field, const char *name);

#endif
