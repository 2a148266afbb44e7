/* startctx: what each start context runs (see startctx.h). */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "startctx.h"

/* The files a context runs, in order; "~/" and "/etc/" are the inspected
 * home and etc.  Flags: G the interactive guard of ~/.bashrc stops it,
 * L only the first existing of the L files runs (bash's login files),
 * B ~/.bashrc when the login file sources it. */
typedef struct place {
	const char *path;
	char how; /* ' ', 'L', 'B' */
} place;

static const place bash_i[] = {{"/etc/environment", ' '}, {"~/.config/environment.d/*.conf", ' '},
			       {"/etc/bash.bashrc", ' '}, {"~/.bashrc", ' '}, {"~/.bash_aliases", ' '}, {0, 0}};
static const place bash_l[] = {{"/etc/environment", ' '}, {"/etc/profile", ' '}, {"/etc/profile.d/*.sh", ' '},
			       {"~/.bash_profile", 'L'}, {"~/.bash_login", 'L'}, {"~/.profile", 'L'},
			       {"~/.bashrc", 'B'}, {"~/.bash_aliases", 'B'}, {0, 0}};
static const place bash_c[] = {{0, 0}};
static const place zsh_i[] = {{"/etc/environment", ' '}, {"/etc/zsh/zshenv", ' '}, {"~/.zshenv", ' '},
			      {"~/.zshrc", ' '}, {"~/.config/zsh/.zshrc", ' '}, {0, 0}};
static const place fish_i[] = {{"/etc/environment", ' '}, {"~/.config/fish/config.fish", ' '},
			       {"~/.config/fish/conf.d/*.fish", ' '}, {0, 0}};
static const place cron[] = {{"/etc/environment", ' '}, {0, 0}};
static const place sysd[] = {{"~/.config/environment.d/*.conf", ' '}, {0, 0}};

static const struct {
	const char *name;
	const place *files;
	int interactive;
	const char *note;
} contexts[ORD_SC_COUNT] = {
	[ORD_SC_BASH_INTERACTIVE] = {"bash, a terminal", bash_i, 1,
		"plus what the terminal's parent passes on (a desktop session, an ssh login)"},
	[ORD_SC_BASH_LOGIN] = {"bash, login (ssh, console)", bash_l, 1, ""},
	[ORD_SC_BASH_LOGIN_CMD] = {"bash -lc CMD", bash_l, 0,
		"~/.bashrc stops at its interactive-only guard"},
	[ORD_SC_BASH_CMD] = {"bash -c CMD, sh -c CMD", bash_c, 0,
		"no start-up file (only $BASH_ENV, not read here): only what the parent passes on"},
	[ORD_SC_ZSH] = {"zsh, a terminal", zsh_i, 1, "ZDOTDIR is not followed"},
	[ORD_SC_FISH] = {"fish, a terminal", fish_i, 1, "universal variables (fish_variables) are not read"},
	[ORD_SC_CRON] = {"cron job", cron, 0,
		"the crontab's own NAME=value lines are not read (`crontab -l` shows them)"},
	[ORD_SC_SYSTEMD_USER] = {"systemd user service", sysd, 0,
		"a unit's Environment= and EnvironmentFile= are not read (`systemctl --user show-environment`)"},
};

const char *ord_startctx_name(ord_startctx_id c)
{
	return (unsigned)c < ORD_SC_COUNT ? contexts[c].name : "?";
}

const char *ord_startctx_note(ord_startctx_id c)
{
	return (unsigned)c < ORD_SC_COUNT ? contexts[c].note : "";
}

static char *expand(const ord_ctx *ctx, const char *p)
{
	if (!strncmp(p, "~/", 2))
		return ord_path_join(ctx->home, p + 2);
	if (!strncmp(p, "/etc/", 5))
		return ord_path_join(ctx->etc, p + 5);
	return strdup(p);
}

/* Does the hit's file belong to the place ("dir/ *.ext" included)? */
static int in_place(const char *path, const char *want)
{
	const char *star = strstr(want, "/*");
	size_t dl;

	if (!star)
		return !strcmp(path, want);
	dl = (size_t)(star - want);
	return !strncmp(path, want, dl) && path[dl] == '/' && !strchr(path + dl + 1, '/') &&
	       strlen(path) >= strlen(star + 2) && !strcmp(path + strlen(path) - strlen(star + 2), star + 2);
}

/* Debian's ~/.profile: `if [ -f "$HOME/.bashrc" ]; then . "$HOME/.bashrc"` */
static int sources_bashrc(ord_ctx *ctx, const char *login_file)
{
	ord_buf b = ORD_BUF_INIT(ORD_FILE_CAP);
	int yes = 0;

	if (!ord_read_file(ctx, login_file, ORD_FILE_CAP, &b, NULL))
		yes = strstr(ord_buf_str(&b), ".bashrc") != NULL;
	ord_buf_release(&b);
	return yes;
}

void ord_startctx_value_of(ord_ctx *ctx, const ord_hits *hits, ord_startctx_id c,
			   const char *name, ord_startctx_value *out)
{
	const place *pl;
	int login_done = 0, bashrc_ok = 0;

	out->hit = -1;
	out->maybe = 0;
	if ((unsigned)c >= ORD_SC_COUNT)
		return;
	for (pl = contexts[c].files; pl->path; pl++) {
		char *want = expand(ctx, pl->path);
		size_t i;

		if (!want)
			continue;
		if (pl->how == 'L') {
			struct stat st;
			if (login_done || ord_stat(ctx, want, &st)) {
				free(want);
				continue;
			}
			login_done = 1;
			bashrc_ok = sources_bashrc(ctx, want);
		} else if (pl->how == 'B' && !bashrc_ok) {
			free(want);
			continue;
		}
		for (i = 0; i < hits->n; i++) {
			const ord_hit *h = &hits->v[i];
			if (h->kind != ORD_SRC_RC || !h->path || !h->name || strcmp(h->name, name) ||
			    !in_place(h->path, want))
				continue;
			if (!contexts[c].interactive && (h->flags & ORD_HIT_INTERACTIVE_ONLY))
				continue;
			out->hit = (long)i;
			out->maybe = !!(h->flags & ORD_HIT_CONDITIONAL);
		}
		free(want);
	}
}
