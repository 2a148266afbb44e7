/* startctx_gather: the files each start context runs, in order (see
 * startctx.h), and reading the ones discovery does not: zsh's files under
 * ZDOTDIR and /etc/zsh, environment.d's system directories, fish's, the
 * user's crontab and systemd user units.
 *
 * Paths: "~/" is the inspected home, "/etc/" the inspected etc, and other
 * absolute paths (/usr/lib, /var/spool) lie under the parent of the
 * inspected etc, so `--etc ROOT/etc` inspects a whole system image. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "rcfile.h"
#include "startctx.h"
#include "startctx_internal.h"

typedef struct spec {
	const char *kind; /* "sh", "environment", "fish", "fishvars", "@envd", "@fishd", "@pam", "@cron" */
	const char *path; /* "$Z0/": ZDOTDIR as zsh starts, "$Z/": after .zshenv */
	char how;
} spec;

static const spec bash_i[] = {{"environment", "/etc/environment", ' '}, {"@envd", "", ' '},
			      {"sh", "/etc/bash.bashrc", ' '}, {"sh", "~/.bashrc", ' '}, {"sh", "~/.bash_aliases", ' '}, {0, 0, 0}};
static const spec bash_l[] = {{"environment", "/etc/environment", ' '}, {"sh", "/etc/profile", ' '},
			      {"sh", "/etc/profile.d/*.sh", ' '}, {"sh", "~/.bash_profile", 'L'}, {"sh", "~/.bash_login", 'L'},
			      {"sh", "~/.profile", 'L'}, {"sh", "~/.bashrc", 'B'}, {"sh", "~/.bash_aliases", 'B'}, {0, 0, 0}};
static const spec bash_c[] = {{"sh", "$BASH_ENV", ' '}, {0, 0, 0}};
static const spec zsh_i[] = {{"environment", "/etc/environment", ' '}, {"sh", "/etc/zsh/zshenv", ' '},
			     {"sh", "$Z0/.zshenv", ' '}, {"sh", "/etc/zsh/zshrc", ' '}, {"sh", "$Z/.zshrc", ' '}, {0, 0, 0}};
static const spec zsh_l[] = {{"environment", "/etc/environment", ' '}, {"sh", "/etc/zsh/zshenv", ' '},
			     {"sh", "$Z0/.zshenv", ' '}, {"sh", "/etc/zsh/zprofile", ' '}, {"sh", "$Z/.zprofile", ' '},
			     {"sh", "/etc/zsh/zshrc", ' '}, {"sh", "$Z/.zshrc", ' '}, {"sh", "/etc/zsh/zlogin", ' '},
			     {"sh", "$Z/.zlogin", ' '}, {0, 0, 0}};
static const spec zsh_c[] = {{"sh", "/etc/zsh/zshenv", ' '}, {"sh", "$Z0/.zshenv", ' '}, {0, 0, 0}};
/* fish: universal variables, then conf.d snippets, then config.fish;
 * a `set -gx` in a file hides the universal variable of the same name */
static const spec fish[] = {{"environment", "/etc/environment", ' '}, {"fishvars", "~/.config/fish/fish_variables", ' '},
			    {"@fishd", "", ' '}, {"fish", "/etc/fish/config.fish", ' '},
			    {"fish", "~/.config/fish/config.fish", ' '}, {0, 0, 0}};
static const spec cron[] = {{"environment", "/etc/environment", ' '}, {"@cron", "", ' '}, {0, 0, 0}};
static const spec sysd[] = {{"@envd", "", ' '}, {0, 0, 0}};
/* the display managers' session scripts (GDM's Xsession, lightdm-session,
 * SDDM's) and GNOME's login-shell start source /etc/profile and ~/.profile */
static const spec gui[] = {{"environment", "/etc/environment", ' '}, {"@pam", "~/.pam_environment", ' '},
			   {"@envd", "", ' '}, {"sh", "/etc/profile", ' '}, {"sh", "/etc/profile.d/*.sh", ' '},
			   {"sh", "~/.profile", ' '}, {"sh", "~/.xprofile", ' '}, {0, 0, 0}};

static const spec *const specs[ORD_SC_COUNT] = {
	[ORD_SC_BASH_INTERACTIVE] = bash_i, [ORD_SC_BASH_LOGIN] = bash_l, [ORD_SC_BASH_LOGIN_CMD] = bash_l,
	[ORD_SC_BASH_CMD] = bash_c, [ORD_SC_ZSH] = zsh_i, [ORD_SC_ZSH_LOGIN] = zsh_l, [ORD_SC_ZSH_CMD] = zsh_c,
	[ORD_SC_FISH] = fish, [ORD_SC_CRON] = cron, [ORD_SC_SYSTEMD_USER] = sysd, [ORD_SC_GRAPHICAL] = gui,
};

static const char *const base_note[ORD_SC_COUNT] = {
	[ORD_SC_BASH_INTERACTIVE] = "plus what the terminal's parent passes on (a desktop session, an ssh login)",
	[ORD_SC_BASH_LOGIN_CMD] = "~/.bashrc stops at its interactive-only guard",
	[ORD_SC_BASH_CMD] = "no start-up file but $BASH_ENV's: only what the parent passes on",
	[ORD_SC_FISH] = "$XDG_CONFIG_HOME and the vendor conf.d directories are not followed",
	[ORD_SC_SYSTEMD_USER] = "a unit's own Environment= and EnvironmentFile= are listed per unit; `systemctl --user show-environment` shows what the manager has",
	[ORD_SC_GRAPHICAL] = "as GDM, LightDM and SDDM start a session: /etc/profile and ~/.profile (not ~/.bashrc), and ~/.xprofile for X11 sessions; another session manager may differ",
};


static int exists(ord_ctx *ctx, const char *path)
{
	struct stat st;
	return !ord_stat(ctx, path, &st) && S_ISREG(st.st_mode);
}

/* Read a file no discovered hit comes from, once, into extra. */
static void read_once(gather *g, const char *path, const char *kind)
{
	size_t i;

	for (i = 0; i < g->hits->n; i++)
		if (g->hits->v[i].path && !strcmp(g->hits->v[i].path, path))
			return;
	for (i = 0; i < g->sc->extra.n; i++)
		if (g->sc->extra.v[i].path && !strcmp(g->sc->extra.v[i].path, path))
			return;
	if (exists(g->ctx, path))
		ord_discover_file(g->ctx, path, kind, &g->sc->extra);
}

/* systemd's environment.d and fish's conf.d: *.EXT of several directories
 * in file-name order, where a name in an earlier directory hides the same
 * name in later ones. */
static int merged(gather *g, int c, const char *const *dirs, const char *ext, const char *kind)
{
	char **names = NULL, **paths = NULL;
	size_t n = 0, d, i, j;
	int rc = 0;

	for (d = 0; dirs[d]; d++) {
		char *dir = sc_sys_path(g, dirs[d]), **ns = NULL;
		size_t k = 0;

		if (dir && !ord_list_dir_sorted(g->ctx, dir, ext, 4096, &ns, &k)) {
			for (i = 0; i < k; i++) {
				for (j = 0; j < n && strcmp(names[j], ns[i]); j++)
					;
				if (j < n)
					continue;
				char **nn = realloc(names, (n + 1) * sizeof(*names)), **np;
				if (nn)
					names = nn;
				np = nn ? realloc(paths, (n + 1) * sizeof(*paths)) : NULL;
				if (np)
					paths = np;
				if (!nn || !np) {
					rc = ENOMEM;
					break;
				}
				names[n] = strdup(ns[i]);
				paths[n] = ord_path_join(dir, ns[i]);
				if (!names[n++] || !paths[n - 1])
					rc = ENOMEM;
			}
		}
		ord_names_free(ns, k);
		free(dir);
		if (rc)
			break;
	}
	/* insertion sort by name: a handful of files */
	for (i = 1; !rc && i < n; i++)
		for (j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
			char *t = names[j]; names[j] = names[j - 1]; names[j - 1] = t;
			t = paths[j]; paths[j] = paths[j - 1]; paths[j - 1] = t;
		}
	for (i = 0; i < n; i++) {
		if (!rc && paths[i] && names[i]) {
			read_once(g, paths[i], kind);
			rc = sc_add_file(g->sc, c, paths[i], kind, ' ');
		}
		free(names[i]);
		free(paths[i]);
	}
	free(names);
	free(paths);
	return rc;
}

/* A glob "dir/ *.ext" or one file. */
static int one_spec(gather *g, int c, const spec *s, int *login_done, int *bashrc_ok)
{
	static const char *const envd[] = {"~/.config/environment.d", "/etc/environment.d", "/run/environment.d",
					   "/usr/local/lib/environment.d", "/usr/lib/environment.d", NULL};
	static const char *const fishd[] = {"~/.config/fish/conf.d", "/etc/fish/conf.d", NULL};
	const char *star;
	char *path;
	int rc = 0;

	if (!strcmp(s->kind, "@envd"))
		return merged(g, c, envd, ".conf", "environment");
	if (!strcmp(s->kind, "@fishd"))
		return merged(g, c, fishd, ".fish", "fish");
	if (!strcmp(s->kind, "@cron"))
		return 0; /* gather_cron */
	if (!strcmp(s->kind, "@pam") && !g->pam_user)
		return 0;
	/* where zsh reads .zshrc from is not known: no guess */
	if (!strncmp(s->path, "$Z/", 3) && g->zsh_unknown)
		return 0;
	if (!strcmp(s->path, "$BASH_ENV")) {
		const char *be = ord_env_get(g->ctx, "BASH_ENV");
		if (!be || be[0] != '/')
			return 0;
		path = strdup(be);
	} else
		path = sc_sys_path(g, s->path);
	if (!path)
		return ENOMEM;
	star = strstr(path, "/*");
	if (star) {
		char *dir = strndup(path, (size_t)(star - path)), **ns = NULL;
		size_t k = 0, i;

		if (dir && !ord_list_dir_sorted(g->ctx, dir, star + 2, 4096, &ns, &k))
			for (i = 0; i < k && !rc; i++) {
				char *p = ord_path_join(dir, ns[i]);
				if (p) {
					read_once(g, p, s->kind);
					rc = sc_add_file(g->sc, c, p, s->kind, ' ');
				}
				free(p);
			}
		ord_names_free(ns, k);
		free(dir);
		free(path);
		return rc;
	}
	if (s->how == 'L') {
		if (*login_done || !exists(g->ctx, path)) {
			free(path);
			return 0;
		}
		*login_done = 1;
		/* Debian's ~/.profile: `. "$HOME/.bashrc"` */
		{
			ord_buf b = ORD_BUF_INIT(ORD_FILE_CAP);
			if (!ord_read_file(g->ctx, path, ORD_FILE_CAP, &b, NULL))
				*bashrc_ok = strstr(ord_buf_str(&b), ".bashrc") != NULL;
			ord_buf_release(&b);
		}
	} else if (s->how == 'B' && !*bashrc_ok) {
		free(path);
		return 0;
	}
	read_once(g, path, !strcmp(s->kind, "@pam") ? "environment" : s->kind);
	rc = sc_add_file(g->sc, c, path, s->kind, s->how);
	free(path);
	return rc;
}

/* ZDOTDIR: the last `ZDOTDIR=…` of a zsh file, expanded as far as it is
 * a fixed path below $HOME, ~ or $XDG_CONFIG_HOME. */
typedef struct zfind {
	char *value;
	unsigned line, flags;
} zfind;

static int on_zdotdir(void *arg, const ord_assign *a)
{
	zfind *z = arg;

	if (a->name_len == 7 && !memcmp(a->name, "ZDOTDIR", 7)) {
		free(z->value);
		z->value = strndup(a->value, a->value_len);
		z->line = a->line;
		z->flags = a->flags;
	}
	return 0;
}

static char *expand_dir(gather *g, const char *v)
{
	static const char *const homes[] = {"$HOME", "${HOME}", "~", "${XDG_CONFIG_HOME:-$HOME/.config}",
					    "${XDG_CONFIG_HOME:-${HOME}/.config}", NULL};
	const char *xdg = ord_env_get(g->ctx, "XDG_CONFIG_HOME");
	ord_buf b = ORD_BUF_INIT(4096);
	size_t i;

	for (i = 0; homes[i]; i++) {
		size_t l = strlen(homes[i]);
		if (!strncmp(v, homes[i], l) && (v[l] == '/' || !v[l])) {
			if (i >= 3 && xdg && *xdg)
				ord_buf_adds(&b, xdg);
			else {
				ord_buf_adds(&b, g->ctx->home);
				if (i >= 3)
					ord_buf_adds(&b, "/.config");
			}
			v += l;
			break;
		}
	}
	if (!homes[i] && xdg && *xdg && (!strncmp(v, "$XDG_CONFIG_HOME/", 17) || !strncmp(v, "${XDG_CONFIG_HOME}/", 19))) {
		ord_buf_adds(&b, xdg);
		v = strchr(v, '/');
	}
	if (strchr(v, '$') || strchr(v, '`') || (!b.len && v[0] != '/')) {
		ord_buf_release(&b);
		return NULL;
	}
	ord_buf_adds(&b, v);
	return ord_buf_detach(&b, NULL);
}

/* Follow a ZDOTDIR set in file; *dir is replaced.  0 when not followed. */
static int zdotdir_in(gather *g, const char *file, char **dir)
{
	ord_buf b = ORD_BUF_INIT(ORD_FILE_CAP);
	zfind z = {0};
	char *d;

	if (ord_read_file(g->ctx, file, ORD_FILE_CAP, &b, NULL)) {
		ord_buf_release(&b);
		return 1;
	}
	ord_rc_parse(ord_buf_str(&b), b.len, ORD_RC_SH, on_zdotdir, NULL, &z);
	ord_buf_release(&b);
	if (!z.value)
		return 1;
	d = (z.flags & ORD_ASSIGN_COMMAND_SUBST) ? NULL : expand_dir(g, z.value);
	if (!d) {
		ord_buf n = ORD_BUF_INIT(4096);
		ord_path_where(g->ctx, file, &n);
		ord_buf_addf(&n, " line %u sets ZDOTDIR to a value not followed here; `zsh -ic 'echo $ZDOTDIR'` shows where zsh reads the rest",
			     z.line);
		free(g->zsh_note);
		g->zsh_note = ord_buf_detach(&n, NULL);
		free(z.value);
		return 0;
	}
	free(*dir);
	*dir = d;
	free(z.value);
	return 1;
}

static void zdotdir(gather *g)
{
	const char *env = ord_env_get(g->ctx, "ZDOTDIR");
	char *f;

	g->z0 = strdup(env && env[0] == '/' ? env : g->ctx->home);
	f = ord_path_join(g->ctx->etc, "zsh/zshenv");
	if (f && g->z0 && !zdotdir_in(g, f, &g->z0))
		g->zsh_unknown = 1;
	free(f);
	g->z = g->z0 ? strdup(g->z0) : NULL;
	f = g->z0 ? ord_path_join(g->z0, ".zshenv") : NULL;
	if (f && g->z && !zdotdir_in(g, f, &g->z))
		g->zsh_unknown = 1;
	free(f);
	if (!g->zsh_note && g->z && strcmp(g->z, g->ctx->home)) {
		ord_buf n = ORD_BUF_INIT(4096);
		ord_buf_adds(&n, "ZDOTDIR is ");
		ord_path_where(g->ctx, g->z, &n);
		g->zsh_note = ord_buf_detach(&n, NULL);
	}
}

static char *join_notes(const char *a, const char *b)
{
	ord_buf n = ORD_BUF_INIT(4096);

	if (a && *a)
		ord_buf_adds(&n, a);
	if (b && *b)
		ord_buf_addf(&n, "%s%s", n.len ? "; " : "", b);
	return ord_buf_detach(&n, NULL);
}

int ord_startctx_gather(ord_ctx *ctx, const ord_hits *hits, ord_startctx *sc)
{
	gather g = {ctx, hits, sc, NULL, NULL, NULL, NULL, NULL, 0, 0};
	size_t el = strlen(ctx->etc);
	int c, rc = 0;

	/* the system root is the parent of the inspected etc */
	g.root = el >= 4 && !strcmp(ctx->etc + el - 4, "/etc") ? strndup(ctx->etc, el - 4) : strdup("");
	if (!g.root)
		return ENOMEM;
	zdotdir(&g);
	g.pam_user = sc_pam_user_readenv(&g);
	for (c = 0; c < ORD_SC_COUNT && !rc; c++) {
		const spec *s;
		int login_done = 0, bashrc_ok = 0;
		const char *extra = NULL;

		for (s = specs[c]; s->kind && !rc; s++)
			rc = one_spec(&g, c, s, &login_done, &bashrc_ok);
		if (c == ORD_SC_ZSH || c == ORD_SC_ZSH_LOGIN || c == ORD_SC_ZSH_CMD) {
			extra = g.zsh_note;
			sc->unknown[c] = g.zsh_unknown && c != ORD_SC_ZSH_CMD;
		} else if (c == ORD_SC_GRAPHICAL && !g.pam_user)
			extra = "~/.pam_environment is not read: pam_env's user_readenv is off (the default since Linux-PAM 1.4, Debian 11) and no file in etc/pam.d turns it on";
		if (c != ORD_SC_CRON)
			sc->note[c] = join_notes(base_note[c], extra);
	}
	if (!rc)
		rc = sc_gather_cron(&g);
	if (!rc)
		rc = sc_gather_units(&g);
	free(g.root);
	free(g.z0);
	free(g.z);
	free(g.zsh_note);
	return rc;
}

/* Does path belong to the spec's place ("dir/ *.ext" included)? */
static int spec_has(const char *want, const char *path)
{
	const char *star = strstr(want, "/*");
	size_t dl, pl = strlen(path), sl;

	if (!star)
		return !strcmp(path, want);
	dl = (size_t)(star - want);
	sl = strlen(star + 2);
	return !strncmp(path, want, dl) && path[dl] == '/' && !strchr(path + dl + 1, '/') && pl >= sl &&
	       !strcmp(path + pl - sl, star + 2);
}

unsigned ord_startctx_readers(const ord_ctx *ctx, const char *path)
{
	static const char *const envd[] = {"~/.config/environment.d/*.conf", "/etc/environment.d/*.conf",
					   "/usr/lib/environment.d/*.conf", NULL};
	static const char *const fishd[] = {"~/.config/fish/conf.d/*.fish", "/etc/fish/conf.d/*.fish", NULL};
	gather g;
	size_t el = strlen(ctx->etc);
	unsigned mask = 0;
	int c;

	memset(&g, 0, sizeof(g));
	g.ctx = (ord_ctx *)ctx; /* sys_path only reads it */
	g.root = el >= 4 && !strcmp(ctx->etc + el - 4, "/etc") ? strndup(ctx->etc, el - 4) : strdup("");
	g.z0 = g.z = ctx->home; /* without reading .zshenv: the default */
	for (c = 0; g.root && path && c < ORD_SC_COUNT; c++) {
		const spec *s;
		for (s = specs[c]; s->kind; s++) {
			const char *const *list = !strcmp(s->kind, "@envd") ? envd : !strcmp(s->kind, "@fishd") ? fishd : NULL;
			size_t k;
			if (list) {
				for (k = 0; list[k]; k++) {
					char *p = sc_sys_path(&g, list[k]);
					if (p && spec_has(p, path))
						mask |= 1u << c;
					free(p);
				}
			} else if (s->kind[0] != '@' && (s->path[0] != '$' || s->path[1] == 'Z')) {
				char *p = sc_sys_path(&g, s->path);
				if (p && spec_has(p, path))
					mask |= 1u << c;
				free(p);
			}
		}
	}
	free(g.root);
	return mask;
}
