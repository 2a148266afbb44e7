/* compose_files: which Compose files a project has (see compose.h): the
 * COMPOSE_FILE list, else the first default name in the working directory
 * or the nearest parent that has one, with the first override file beside
 * it, in compose-go's order (compose-spec/compose-go@e70e961c3a3a:
 * cli/options.go DefaultFileNames, DefaultOverrideFileNames; Compose 1.29
 * took docker-compose.yml first). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "compose_internal.h"

static const char *const main_names[] = {"compose.yaml", "compose.yml", "docker-compose.yml",
					  "docker-compose.yaml", NULL};
static const char *const override_names[] = {"compose.override.yml", "compose.override.yaml",
					      "docker-compose.override.yml",
					      "docker-compose.override.yaml", NULL};

int ord_compose_is_file(ord_ctx *ctx, const char *p)
{
	struct stat st;

	return !ord_stat(ctx, p, &st) && S_ISREG(st.st_mode);
}

static int add_file(ord_compose *c, char *path)
{
	char **nv;

	if (!path)
		return ENOMEM;
	nv = realloc(c->files, (c->nfiles + 1) * sizeof(*nv));
	if (!nv) {
		free(path);
		return ENOMEM;
	}
	c->files = nv;
	c->files[c->nfiles++] = path;
	return 0;
}

static int first_of(ord_ctx *ctx, const char *dir, const char *const *names, ord_compose *c)
{
	size_t i;

	for (i = 0; names[i]; i++) {
		char *p = ord_path_join(dir, names[i]);
		if (p && ord_compose_is_file(ctx, p))
			return add_file(c, p) ? -1 : 1;
		free(p);
	}
	return 0;
}

int ord_compose_find_files(ord_ctx *ctx, const char *cwd, ord_compose *c)
{
	const char *cf = ord_env_get(ctx, "COMPOSE_FILE");
	const char *sep = ord_env_get(ctx, "COMPOSE_PATH_SEPARATOR");
	char *dir;
	int r = 0;

	if (cf && cf[0]) {
		char sp = sep && sep[0] ? sep[0] : ':';
		const char *p = cf;
		while (*p) {
			const char *e = strchr(p, sp);
			size_t n = e ? (size_t)(e - p) : strlen(p);
			char *rel = strndup(p, n), *rp = rel;
			if (!rel)
				return ENOMEM;
			while (rp[0] == '.' && rp[1] == '/')
				rp += 2;
			if (*rp && add_file(c, rp[0] == '/' ? strdup(rp) : ord_path_join(cwd, rp))) {
				free(rel);
				return ENOMEM;
			}
			free(rel);
			p += n + (e ? 1 : 0);
		}
		return 0;
	}
	if (!(dir = strdup(cwd)))
		return ENOMEM;
	for (;;) {
		r = first_of(ctx, dir, main_names, c);
		if (r)
			break;
		if (!ord_path_up(dir))
			break;
	}
	if (r > 0)
		r = first_of(ctx, dir, override_names, c);
	free(dir);
	return r < 0 ? ENOMEM : 0;
}

char *ord_compose_dir_of(const char *path)
{
	const char *sl = strrchr(path, '/');

	return sl == path ? strdup("/") : strndup(path, sl ? (size_t)(sl - path) : 0);
}

