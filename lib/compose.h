/* compose: what each Docker Compose service's container gets in its
 * environment, computed with Compose's own rules (a start context of
 * `ordoctor env`, and the `compose` source of the docker-compose profile).
 *
 * The model is Compose v2 (`docker compose`, compose-spec/compose-go), the
 * one people run today; Debian's docker-compose 1.29 is the test oracle
 * (tests/differential/compose.py) and where the two differ the difference
 * is listed in tests/differential/KNOWN with v2's source.  In short:
 *
 * - Files: COMPOSE_FILE (':'-separated, relative to the working directory)
 *   when set; else the first of compose.yaml, compose.yml,
 *   docker-compose.yml, docker-compose.yaml in the working directory or
 *   the nearest parent that has one, merged with the first of
 *   compose.override.yml, compose.override.yaml, docker-compose.override.yml,
 *   docker-compose.override.yaml beside it (compose-go cli/options.go
 *   DefaultFileNames; 1.29 prefers docker-compose.yml).
 * - Interpolation environment: the shell that runs compose, then the
 *   project .env (beside the first file); lib/compose_interp.c does
 *   ${VAR} $VAR ${VAR:-d} ${VAR-d} ${VAR:?e} ${VAR?e} ${VAR:+a} ${VAR+a} $$.
 * - environment: (list `- NAME=v` / `- NAME`, or map `NAME: v` / `NAME:`)
 *   over env_file: (a string or a list of paths relative to the compose
 *   file, or {path, required, format} entries; later files win).  A bare
 *   NAME takes the interpolation environment's value and is left out of
 *   the container when that has none, even over an env_file value.
 * - env_file contents are read with Compose's .env rules (compose_dotenv.c)
 *   and interpolated (project environment first); `format: raw` keeps every
 *   byte after '=' (quotes included) and interpolates nothing.
 *
 * Not simulated: `extends:` and `include:` (a warning says so), profiles,
 * `docker compose -f`/`--env-file` on the command line (and
 * COMPOSE_ENV_FILES), COMPOSE_FILE set only in .env, the image's own ENV,
 * `docker compose run -e`.
 */
#ifndef ORD_COMPOSE_H
#define ORD_COMPOSE_H

#include <stddef.h>

#include "buf.h"
#include "ctx.h"

/* Where a service's variable got its value. */
typedef enum ord_compose_from {
	ORD_CF_ENVIRONMENT, /* an environment: entry with a value */
	ORD_CF_BARE,        /* a bare environment: NAME: the interpolation env */
	ORD_CF_ENV_FILE,    /* a line of an env_file: */
	ORD_CF_ENV_FILE_BARE, /* a bare NAME line of an env_file */
} ord_compose_from;

/* A variable the value was interpolated from (the one that decided it when
 * the value is exactly one reference such as "${OPENROUTER_API_KEY}"). */
typedef struct ord_compose_ref {
	char *name;      /* NULL: no reference */
	char *path;      /* the .env that set it, or NULL: the shell */
	unsigned line;
	int found;       /* 0: set nowhere (the default or "" was used) */
} ord_compose_ref;

typedef struct ord_compose_var {
	char *name;
	char *value;     /* NULL: not set in the container */
	size_t len;
	ord_compose_from from;
	char *path;      /* the compose file or env_file of the entry */
	unsigned line;
	ord_compose_ref ref; /* the value is one reference: where it came from */
	int whole_ref;   /* the entry is exactly one reference */
	char *error;     /* ${VAR:?msg}: compose refuses to start; or NULL */
} ord_compose_var;

typedef struct ord_compose_service {
	char *name;
	ord_compose_var *v;
	size_t n;
} ord_compose_service;

typedef struct ord_compose {
	char **files;    /* absolute; files[0] is the main file */
	size_t nfiles;
	char *dir;       /* the project directory */
	char *dotenv;    /* the project .env when it exists, or NULL */
	ord_compose_service *sv;
	size_t nsv;
} ord_compose;

/* Find the project for working directory cwd and compute every service's
 * environment.  Returns 0 (c->nfiles == 0: no Compose file), or ENOMEM.
 * Unreadable or malformed files are warnings through ctx. */
int ord_compose_load(ord_ctx *ctx, const char *cwd, ord_compose *c);
void ord_compose_release(ord_compose *c);
const ord_compose_var *ord_compose_get(const ord_compose_service *s, const char *name);
/* One sentence on where the variable came from, for `ordoctor env` and the
 * verdict ("passed from the shell that runs docker compose", "the bare
 * `- NAME` entry at ./compose.yaml line 7 passes the shell's value, and
 * the shell has none: the container gets no NAME"). */
void ord_compose_explain(const ord_ctx *ctx, const ord_compose_var *v, const char *name,
			 ord_buf *out);

/* ---- lib/compose_interp.c: Compose's variable interpolation ---------- */

/* Look a variable up: 1 and its value when set, 0 when unset. */
typedef int (*ord_interp_lookup)(void *arg, const char *name, const char **val, size_t *len);

typedef struct ord_interp_info {
	char ref[128];   /* the last variable looked up ("" none) */
	int nrefs;       /* how many references were looked up */
	int found;       /* that last one was set */
	int whole;       /* the text is exactly one ${...} or $NAME */
} ord_interp_info;

/* Interpolate s[0..n) into out.  Returns 0; or EINVAL with a lowercase
 * reason in err (an invalid ${...}, or the message of ${VAR:?msg}); or
 * ENOSPC/ENOMEM.  info may be NULL. */
int ord_compose_interp(const char *s, size_t n, ord_interp_lookup fn, void *arg, ord_buf *out,
		       char *err, size_t errcap, ord_interp_info *info);

/* ---- lib/compose_dotenv.c: Compose's .env and env_file reading -------- */

typedef struct ord_cenv {
	char *name;
	char *value;     /* NULL: a bare NAME the lookup did not find */
	size_t len;
	unsigned line;
	int bare;        /* a bare NAME line */
	ord_interp_info info;
} ord_cenv;

typedef struct ord_cenvs {
	ord_cenv *v;
	size_t n;
} ord_cenvs;

/* Read a .env (raw = 0) or a `format: raw` env_file (raw = 1).  Values are
 * interpolated with fn first, then the file's own earlier lines (Compose
 * v2's order); a bare NAME line takes fn's value.  Returns 0, EINVAL with
 * the reason in err (the first bad line: Compose refuses the file), or
 * ENOMEM.  Later lines of one NAME replace earlier ones in out. */
int ord_compose_dotenv(const char *data, size_t len, int raw, ord_interp_lookup fn, void *arg,
		       ord_cenvs *out, char *err, size_t errcap);
void ord_cenvs_release(ord_cenvs *e);
const ord_cenv *ord_cenvs_get(const ord_cenvs *e, const char *name);

#endif
