/* scope: is the working directory a project, and does that matter?
 *
 * Many tools read a project's own files (Aider's ./.aider.conf.yml and
 * ./.env, opencode's ./opencode.json, a Compose file): run from the home
 * directory, ordoctor sees none of them and judges a tool as it would
 * start there, not where the user starts it.  That is a true answer to
 * another question, so it says so (issue 15, "where to look").
 *
 * A project is a directory, the working one or a parent below the home,
 * holding one of the files a project is recognised by (a VCS, a package
 * manifest, a .env, a tool's project config).  The home itself and / are
 * never projects.
 */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "scope.h"

static const char *const markers[] = {
	".git", ".hg", "package.json", "pyproject.toml", "requirements.txt", "setup.py",
	"Pipfile", "Cargo.toml", "go.mod", "deno.json", "Gemfile", "pom.xml", ".env",
	"compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml",
	".aider.conf.yml", "opencode.json", ".claude", ".continue", ".vscode", ".qwen",
	"configuration.yaml", /* a Home Assistant config directory */
	NULL,
};

static int is_project_dir(ord_ctx *ctx, const char *dir)
{
	size_t i;

	for (i = 0; markers[i]; i++) {
		char *p = ord_path_join(dir, markers[i]);
		struct stat st;
		int found = p && !ord_stat(ctx, p, &st);

		free(p);
		if (found)
			return 1;
	}
	return 0;
}

int ord_scope_in_project(ord_ctx *ctx)
{
	char *dir = ctx->cwd ? strdup(ctx->cwd) : NULL;
	size_t hl = ctx->home ? strlen(ctx->home) : 0;
	int found = 0;

	if (!dir)
		return 0;
	for (;;) {
		/* the home and / are where everything lives, not a project */
		if (!strcmp(dir, "/") || (hl && !strcmp(dir, ctx->home)))
			break;
		if (is_project_dir(ctx, dir)) {
			found = 1;
			break;
		}
		if (!ord_path_up(dir))
			break;
	}
	free(dir);
	return found;
}

/* A source line that reads the project: a path under the working
 * directory or the repository's root. */
static int reads_project(const ord_psrc *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i].path && (!strncmp(s[i].path, "<cwd>", 5) || !strncmp(s[i].path, "<git-root>", 10)))
			return 1;
	return 0;
}

/* "~/code" for a folder in the home, the path as it is otherwise */
static void folder_text(const ord_ctx *ctx, const char *dir, ord_buf *out)
{
	size_t hl = ctx->home ? strlen(ctx->home) : 0;

	if (hl && !strncmp(dir, ctx->home, hl) && (!dir[hl] || dir[hl] == '/'))
		ord_buf_addf(out, "~%s", dir + hl);
	else
		ord_buf_adds(out, dir);
}

char *ord_scope_note(ord_ctx *ctx, const ord_diag *d, long focus)
{
	const ord_tools *t = d->f.tools;
	const char *names[64];
	ord_buf out = ORD_BUF_INIT(8192);
	size_t i, n = 0;

	if (!t || !ctx->cwd || ord_scope_in_project(ctx))
		return NULL;
	for (i = 0; i < t->n && n < 64; i++) {
		const ord_profile *p = t->v[i].p;

		if (focus >= 0 ? (long)i != focus : !t->v[i].present)
			continue;
		if (reads_project(p->keys, p->nkeys) || reads_project(p->bases, p->nbases))
			names[n++] = p->name;
	}
	if (!n)
		return NULL;
	ord_buf_adds(&out, "the working folder, ");
	folder_text(ctx, ctx->cwd, &out);
	ord_buf_adds(&out, ", is no project (no .git, package.json, pyproject.toml, .env or tool config there), but ");
	for (i = 0; i < n; i++)
		ord_buf_addf(&out, "%s%s", i ? (i + 1 == n ? " and " : ", ") : "", names[i]);
	ord_buf_addf(&out, " also read%s a project's own files (its .env, its config) in the folder %s started from: "
			   "run `ordoctor -C DIR check` with that folder to see what %s there",
		     n == 1 ? "s" : "", n == 1 ? "it is" : "they are", n == 1 ? "it gets" : "they get");
	return ord_buf_detach(&out, NULL);
}
