/* startctx_sys: the start contexts' share of the system (see startctx.h):
 * whether pam_env reads ~/.pam_environment, the user's crontab, and the
 * user's systemd units with their drop-ins; and the path helpers both
 * files use. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "crontab.h"
#include "startctx_internal.h"

char *sc_sys_path(gather *g, const char *p)
{
	ord_buf b = ORD_BUF_INIT(4096);

	if (!strncmp(p, "~/", 2))
		return ord_path_join(g->ctx->home, p + 2);
	if (!strncmp(p, "/etc/", 5))
		return ord_path_join(g->ctx->etc, p + 5);
	if (!strncmp(p, "$Z0/", 4))
		return ord_path_join(g->z0, p + 4);
	if (!strncmp(p, "$Z/", 3))
		return ord_path_join(g->z, p + 3);
	ord_buf_adds(&b, g->root);
	ord_buf_adds(&b, p);
	return ord_buf_detach(&b, NULL);
}

int sc_add_file(ord_startctx *sc, int c, const char *path, const char *kind, char how)
{
	ord_startctx_file *v = realloc(sc->files[c], (sc->nfiles[c] + 1) * sizeof(*v));

	if (!v)
		return ENOMEM;
	sc->files[c] = v;
	v[sc->nfiles[c]].path = strdup(path);
	v[sc->nfiles[c]].how = how;
	v[sc->nfiles[c]].kind = kind;
	if (!v[sc->nfiles[c]].path)
		return ENOMEM;
	sc->nfiles[c]++;
	return 0;
}

/* pam_env reads ~/.pam_environment only with user_readenv=1, off by default
 * since Linux-PAM 1.4 (Debian 11): look for it in etc/pam.d. */
int sc_pam_user_readenv(gather *g)
{
	char *dir = ord_path_join(g->ctx->etc, "pam.d"), **ns = NULL;
	size_t n = 0, i;
	int yes = 0;

	if (dir && !ord_list_dir_sorted(g->ctx, dir, "", 256, &ns, &n))
		for (i = 0; i < n && !yes; i++) {
			char *p = ord_path_join(dir, ns[i]);
			ord_buf b = ORD_BUF_INIT(65536);
			const char *s, *l;

			if (p && !ord_read_file(g->ctx, p, 65536, &b, NULL))
				for (s = ord_buf_str(&b); s && *s; s = l ? l + 1 : NULL) {
					const char *hash;
					size_t ll;
					l = strchr(s, '\n');
					ll = l ? (size_t)(l - s) : strlen(s);
					hash = memchr(s, '#', ll);
					if (hash)
						ll = (size_t)(hash - s);
					if (memmem(s, ll, "pam_env.so", 10) && memmem(s, ll, "user_readenv=1", 14))
						yes = 1;
				}
			ord_buf_release(&b);
			free(p);
		}
	ord_names_free(ns, n);
	free(dir);
	return yes;
}

/* The job lines that source a start-up file. */
static void on_cron_source(void *arg, unsigned line, const char *what, size_t n)
{
	ord_buf *b = arg;

	ord_buf_addf(b, "%sthe job on line %u %s%.*s, so it also sees what that sets", b->len ? "; " : "", line,
		     n == 13 && !memcmp(what, "a login shell", 13) ? "starts " : "sources ", (int)n, what);
}

static int ignore_assign(void *arg, const ord_assign *a)
{
	(void)arg;
	(void)a;
	return 0;
}

/* The crontab is root-only on Debian (/var/spool/cron/crontabs is 1730
 * root:crontab): read it when this process can, otherwise say how. */
int sc_gather_cron(gather *g)
{
	const char *user = ord_env_get(g->ctx, "USER");
	ord_buf note = ORD_BUF_INIT(4096), b = ORD_BUF_INIT(ORD_FILE_CAP);
	char *spool = sc_sys_path(g, "/var/spool/cron/crontabs"), *path = NULL;
	struct stat st;
	int rc = 0, err;

	if (!user || !*user)
		user = ord_env_get(g->ctx, "LOGNAME");
	if (!user || !*user || strchr(user, '/')) {
		user = strrchr(g->ctx->home, '/');
		user = user && user[1] ? user + 1 : "root";
	}
	path = spool ? ord_path_join(spool, user) : NULL;
	if (!path) {
		free(spool);
		return ENOMEM;
	}
	err = ord_read_file(g->ctx, path, ORD_FILE_CAP, &b, NULL);
	if (!err) {
		ord_buf_adds(&note, "the crontab's own lines come from ");
		ord_path_where(g->ctx, path, &note);
		ord_crontab_parse(ord_buf_str(&b), b.len, ignore_assign, on_cron_source, &note);
		ord_discover_file(g->ctx, path, "crontab", &g->sc->extra);
		rc = sc_add_file(g->sc, ORD_SC_CRON, path, "crontab", ' ');
	} else if (err == ENOENT && !ord_stat(g->ctx, spool, &st) && S_ISDIR(st.st_mode)) {
		ord_buf_addf(&note, "%s has no crontab", user);
	} else {
		g->sc->unknown[ORD_SC_CRON] = 1;
		ord_buf_addf(&note, "the crontab of %s cannot be read here (", user);
		ord_path_where(g->ctx, path, &note);
		ord_buf_addf(&note, ": %s); `crontab -l` shows its NAME=value lines", strerror(err));
	}
	ord_buf_release(&b);
	g->sc->note[ORD_SC_CRON] = ord_buf_detach(&note, NULL);
	free(path);
	free(spool);
	return rc;
}

/* ~/.config/systemd/user/NAME.service, then NAME.service.d/ *.conf. */
int sc_gather_units(gather *g)
{
	char *dir = ord_path_join(g->ctx->home, ".config/systemd/user"), **ns = NULL;
	size_t n = 0, i;
	int rc = 0;

	if (!dir)
		return ENOMEM;
	if (ord_list_dir_sorted(g->ctx, dir, ".service", 1024, &ns, &n)) {
		free(dir);
		return 0;
	}
	for (i = 0; i < n && !rc; i++) {
		char *p = ord_path_join(dir, ns[i]), *dd = NULL, **ds = NULL;
		ord_startctx_unit *u = realloc(g->sc->units, (g->sc->nunits + 1) * sizeof(*u));
		size_t k = 0, j;

		if (!p || !u) {
			free(p);
			rc = ENOMEM;
			break;
		}
		g->sc->units = u;
		u += g->sc->nunits;
		u->name = strdup(ns[i]);
		u->first = g->sc->extra.n;
		ord_discover_file(g->ctx, p, "sdunit", &g->sc->extra);
		{
			ord_buf d = ORD_BUF_INIT(4096);
			ord_buf_addf(&d, "%s.d", p);
			dd = ord_buf_detach(&d, NULL);
		}
		if (dd && !ord_list_dir_sorted(g->ctx, dd, ".conf", 1024, &ds, &k))
			for (j = 0; j < k; j++) {
				char *q = ord_path_join(dd, ds[j]);
				if (q)
					ord_discover_file(g->ctx, q, "sdunit", &g->sc->extra);
				free(q);
			}
		ord_names_free(ds, k);
		free(dd);
		free(p);
		u->end = g->sc->extra.n;
		g->sc->nunits++;
		if (!u->name)
			rc = ENOMEM;
	}
	ord_names_free(ns, n);
	free(dir);
	return rc;
}
