/* sysinfo: versions from files (see sysinfo.h). */
#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sysinfo.h"

#define PKG_CAP (256 * 1024)

/* The value of NAME= in os-release text (quotes removed), or "". */
static void os_field(const char *text, const char *name, char *out, size_t cap)
{
	size_t nl = strlen(name);
	const char *p = text;

	*out = '\0';
	while (p && *p) {
		if (!strncmp(p, name, nl) && p[nl] == '=') {
			const char *v = p + nl + 1;
			size_t n = strcspn(v, "\n");

			if (n && (*v == '"' || *v == '\'')) {
				v++;
				n = n >= 2 && (v[n - 2] == '"' || v[n - 2] == '\'') ? n - 2 : n - 1;
			}
			snprintf(out, cap, "%.*s", (int)n, v);
			return;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
}

int ord_os_release(ord_ctx *ctx, char *out, size_t cap)
{
	ord_buf b = ORD_BUF_INIT(64 * 1024);
	char *path = ord_path_join(ctx->etc ? ctx->etc : "/etc", "os-release");
	int rc = path ? ord_read_file(ctx, path, 64 * 1024, &b, NULL) : ENOMEM;

	snprintf(out, cap, "unknown");
	if (!rc) {
		char name[128], ver[64];

		os_field(ord_buf_str(&b), "PRETTY_NAME", out, cap);
		if (!*out) {
			os_field(ord_buf_str(&b), "NAME", name, sizeof(name));
			os_field(ord_buf_str(&b), "VERSION_ID", ver, sizeof(ver));
			snprintf(out, cap, "%s%s%s", *name ? name : "unknown", *ver ? " " : "", ver);
		}
	}
	free(path);
	ord_buf_release(&b);
	return rc;
}

/* "version" of dir/package.json when its "bin" has `command` (any bin
 * when command is NULL).  0 or ENOENT. */
static int pkg_version(ord_ctx *ctx, const char *dir, const char *command, char *version,
		       size_t cap, char **from)
{
	ord_buf b = ORD_BUF_INIT(PKG_CAP);
	char *path = ord_path_join(dir, "package.json");
	json_object *root = NULL, *v, *bin;
	int rc = ENOENT;

	if (!path || ord_read_file(ctx, path, PKG_CAP, &b, NULL))
		goto out;
	root = json_tokener_parse(ord_buf_str(&b));
	if (!root || !json_object_object_get_ex(root, "version", &v) ||
	    !json_object_is_type(v, json_type_string))
		goto out;
	if (command) {
		const char *name = NULL, *slash;

		if (!json_object_object_get_ex(root, "bin", &bin))
			goto out;
		/* "bin": "cli.js" names the command after the package */
		if (json_object_is_type(bin, json_type_string) &&
		    json_object_object_get_ex(root, "name", &v) && json_object_is_type(v, json_type_string)) {
			name = json_object_get_string(v);
			slash = strrchr(name, '/');
			if (strcmp(slash ? slash + 1 : name, command))
				goto out;
		} else if (!json_object_is_type(bin, json_type_object) ||
			   !json_object_object_get_ex(bin, command, NULL))
			goto out;
		json_object_object_get_ex(root, "version", &v);
	}
	snprintf(version, cap, "%s", json_object_get_string(v));
	*from = path;
	path = NULL;
	rc = 0;
out:
	json_object_put(root);
	free(path);
	ord_buf_release(&b);
	return rc;
}

typedef struct walk {
	ord_ctx *ctx;
	const char *dir, *command;
	char *version;
	size_t cap;
	char **from;
	int found;
} walk;

static int visit(void *arg, const char *name);

/* One entry of a node_modules directory (or of an @scope in it). */
static int visit(void *arg, const char *name)
{
	walk *w = arg;
	char *sub = ord_path_join(w->dir, name);

	if (!sub)
		return 1;
	if (name[0] == '@') {
		walk inner = *w;

		inner.dir = sub;
		ord_list_dir(w->ctx, sub, visit, &inner);
		w->found = inner.found;
	} else if (name[0] != '.' &&
		   !pkg_version(w->ctx, sub, w->command, w->version, w->cap, w->from))
		w->found = 1;
	free(sub);
	return w->found;
}

int ord_tool_version(ord_ctx *ctx, const ord_profile *p, char *version, size_t cap,
		     char **from)
{
	static const char *const prefixes[] = {"/usr/local/lib/node_modules", "/usr/lib/node_modules",
		"~/.npm-global/lib/node_modules", "~/.local/lib/node_modules"};
	size_t i, k;

	*from = NULL;
	for (i = 0; i < p->npresent; i++) {
		const char *e = p->present[i];

		if (!strncmp(e, "dir\t<cwd>/node_modules/", 23)) {
			char *dir = ord_path_join(ctx->cwd, e + 10);
			int rc = dir ? pkg_version(ctx, dir, NULL, version, cap, from) : ENOMEM;

			free(dir);
			if (!rc)
				return 0;
		}
	}
	for (i = 0; i < p->npresent; i++) {
		if (strncmp(p->present[i], "command\t", 8))
			continue;
		for (k = 0; k < sizeof(prefixes) / sizeof(*prefixes); k++) {
			char *dir = prefixes[k][0] == '~' ? ord_path_home(ctx, prefixes[k]) : strdup(prefixes[k]);
			walk w = {ctx, dir, p->present[i] + 8, version, cap, from, 0};

			if (dir)
				ord_list_dir(ctx, dir, visit, &w);
			free(dir);
			if (w.found)
				return 0;
		}
	}
	return ENOENT;
}
